"""Validation of framelens measures against real, human-labelled news datasets.

Each task reads a dataset in its *published* layout from a path given at run time
(nothing is copied into the project) and returns one JSON-serialisable dict of
metrics, including trivial baselines on the same data so that no label prior is
mistaken for skill. Tasks register themselves with :func:`register`; the CLI's
``framelens evaluate TASK PATH --json`` calls :func:`evaluate`.

Examples
--------
>>> from framelens.evaluation import tasks
>>> "babe" in tasks()          # doctest: +SKIP
True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["register", "tasks", "evaluate"]

_TASKS: dict[str, Callable[..., dict[str, Any]]] = {}
# modules that define tasks (imported on first use)
_MODULES = (
    "framelens.evaluation.frames",  # semeval-frames, narrative-frames
    "framelens.evaluation.bias",  # babe, semeval-techniques
    "framelens.evaluation.tone",  # ukraine-tone, newsmtsc
    "framelens.evaluation.polnear",  # polnear (attribution)
)


def register(name: str):
    """Decorator registering ``func(path: Path, **options) -> dict`` as task ``name``."""

    def deco(func):
        if name in _TASKS and _TASKS[name] is not func:
            raise ValueError(f"evaluation task {name!r} registered twice")
        _TASKS[name] = func
        return func

    return deco


def _load_all() -> None:
    for mod in _MODULES:
        importlib.import_module(mod)


def tasks() -> list[str]:
    """Names of the registered evaluation tasks, sorted."""
    _load_all()
    return sorted(_TASKS)


def evaluate(task: str, path: str | Path, **options: Any) -> dict[str, Any]:
    """Run evaluation ``task`` on the dataset at ``path``.

    Parameters
    ----------
    task : str
        A name from :func:`tasks` (named after the datasets, e.g. ``"babe"``).
    path : str or Path
        The dataset in its published layout.

    Returns
    -------
    dict
        ``task``, ``path``, ``n``, ``metrics``, ``baselines``, ``params`` and
        ``data_sha256`` at least.
    """
    _load_all()
    if task not in _TASKS:
        raise ValueError(
            f"unknown evaluation task {task!r}; available: {', '.join(sorted(_TASKS))}"
        )
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no such file or folder (give the dataset's path in its published layout)"
        )
    return _TASKS[task](path, **options)
