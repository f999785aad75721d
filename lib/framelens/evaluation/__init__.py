"""Validation of framelens measures against real, human-labelled news datasets.

Each task reads a dataset in its *published* layout from a path given at run time
(nothing is copied into the project) and returns one JSON-serialisable dict of
metrics, including trivial baselines on the same data so that no label prior is
mistaken for skill. Tasks register themselves with :func:`register`; the CLI's
``framelens evaluate TASK PATH --json`` calls :func:`evaluate`.

For babe, semeval-frames, narrative-frames, newsmtsc and ukraine-tone the result holds
three systems side by side: ``lexicon`` (the framelens measure; also under the older
key ``metrics``), ``supervised`` (the transparent model of
:mod:`framelens.measures.supervised`, :mod:`framelens.evaluation.learned`) and
``baselines``, each under the same metric names. One path: the supervised figures are
nested, grouped cross-validation within it; ``train=DEV_PATH``: the model is trained on
``DEV_PATH`` and scored on ``path`` (``framelens evaluate TASK --train DEV TEST``).
:func:`format_table` prints the short table of the non-JSON form.

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

__all__ = ["register", "tasks", "evaluate", "format_table"]

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


def evaluate(
    task: str,
    path: str | Path,
    *,
    train: str | Path | None = None,
    supervised: bool = True,
    **options: Any,
) -> dict[str, Any]:
    """Run evaluation ``task`` on the dataset at ``path``.

    Parameters
    ----------
    task : str
        A name from :func:`tasks` (named after the datasets, e.g. ``"babe"``).
    path : str or Path
        The dataset in its published layout (the test data when ``train`` is given).
    train : str or Path, optional, keyword-only
        Development data in the same layout (for ``ukraine-tone``: a NewsMTSC JSONL
        file): the supervised model is trained on it and scored on ``path``.
    supervised : bool, keyword-only
        Add the supervised model's figures (default); False gives the lexicon measure
        and its baselines only.
    **options
        The task's own options (``n_boot``, ``random_state``, thresholds, ...).

    Returns
    -------
    dict
        ``task``, ``path``, ``n``, ``lexicon`` (= ``metrics``), ``supervised``,
        ``baselines``, ``params`` and ``data_sha256`` at least.
    """
    _load_all()
    if task not in _TASKS:
        raise ValueError(
            f"unknown evaluation task {task!r}; available: {', '.join(sorted(_TASKS))}"
        )
    path = Path(path)
    for p in (path, train):
        if p is not None and not Path(p).exists():
            raise FileNotFoundError(
                f"{p}: no such file or folder (give the dataset's path in its published layout)"
            )
    from framelens.evaluation import learned

    if train is not None and task not in learned.SUPERVISED_TASKS:
        raise ValueError(
            f"{task}: --train needs a task with a supervised model "
            f"({', '.join(sorted(learned.SUPERVISED_TASKS))})"
        )
    result = _TASKS[task](path, **options)
    result["lexicon"] = result["metrics"]
    if supervised and task in learned.SUPERVISED_TASKS:
        keep = {k: options[k] for k in ("n_boot", "random_state") if k in options}
        block = _supervised(learned, task, path, train, keep)
        result["supervised"] = block["supervised"]
        result["baselines"].update(block["baselines"])
        result["params"]["train_path"] = None if train is None else str(train)
    return result


def _supervised(learned, task, path, train, options):
    from framelens.errors import ConfigError

    try:
        return learned.supervised_block(task, path, train=train, **options)
    except ConfigError as exc:
        if train is not None:
            raise
        # too little data to cross-validate within one path: said, not hidden
        return {"supervised": {"error": str(exc)}, "baselines": {}}


def format_table(result: dict[str, Any]) -> str:
    """The short side-by-side table of an :func:`evaluate` result (see
    :func:`framelens.evaluation.learned.format_table`)."""
    from framelens.evaluation import learned

    return learned.format_table(result)
