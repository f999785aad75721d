"""What a notebook's validation cell needs besides :func:`framelens.report.params.select`:
paths that work from wherever the notebook runs, and injected parameters checked by name.

A notebook's default paths (``corpus = "../data/sample"``) are relative to ``notebooks/``,
where ``framelens run`` and JupyterLab execute it. :func:`resolve_path` also finds them
when papermill runs the notebook from the repository root (``papermill
notebooks/corpus.ipynb out.ipynb`` keeps the caller's working folder), so the same
notebook works from both places. :func:`check_injected` compares the names papermill
injected (its cell tagged ``injected-parameters``, which starts with ``# Parameters``)
with the names of the notebook's ``parameters`` cell, so a misspelt ``-p focus HUN``
stops the notebook with the valid names instead of being silently ignored.

Examples
--------
>>> resolve_path("")
''
>>> check_injected(history=["", 'corpus = "a"', '# Parameters\\ncorpus = "b"\\n'])
>>> check_injected(history=["", 'corpus = "a"', '# Parameters\\ncorpsu = "b"\\n'])
Traceback (most recent call last):
...
framelens.errors.WorkbookError: unknown notebook parameter 'corpsu' (did you mean 'corpus'?); \
this notebook's parameters are: corpus
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Sequence
from pathlib import Path

import framelens
from framelens.errors import WorkbookError

__all__ = ["INJECTED_MARK", "search_folders", "resolve_path", "check_injected"]

#: The first line of the cell papermill injects (tagged ``injected-parameters``).
INJECTED_MARK = "# Parameters"


def search_folders() -> list[Path]:
    """Where a relative notebook path is looked up, in order: the working folder, its
    ``notebooks/`` subfolder (papermill run from the repository root) and the
    repository's own ``notebooks/`` folder (an editable install of framelens).

    Examples
    --------
    >>> search_folders()[0] == Path.cwd()
    True
    """
    folders = [Path.cwd(), Path.cwd() / "notebooks"]
    repo_notebooks = Path(framelens.__file__).resolve().parents[2] / "notebooks"
    if repo_notebooks.is_dir():
        folders.append(repo_notebooks)
    return list(dict.fromkeys(folders))


def resolve_path(path: str | Path | None, *, name: str = "path") -> str | None:
    """A notebook path parameter as an absolute path that exists.

    Absolute paths are returned as they are; a relative one is looked up in
    :func:`search_folders` (working folder first, then ``notebooks/``), so
    ``"../data/sample"`` works from ``notebooks/`` and from the repository root.

    Parameters
    ----------
    path : str, Path or None
        The parameter; ``None`` and ``""`` (no file: library defaults) pass through.
    name : str, keyword-only
        The parameter's name, for the error message.

    Returns
    -------
    str or None

    Raises
    ------
    WorkbookError
        When no candidate exists; the message lists the places tried.

    Examples
    --------
    >>> resolve_path(None) is None
    True
    >>> resolve_path("no/such/corpus", name="corpus")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    framelens.errors.WorkbookError: corpus 'no/such/corpus' not found; looked in: ...
    """
    if path is None or str(path) == "":
        return path
    p = Path(str(path)).expanduser()
    if p.is_absolute():
        return str(p)
    tried = [folder / p for folder in search_folders()]
    for candidate in tried:
        if candidate.exists():
            return str(candidate.resolve())
    raise WorkbookError(
        f"{name} {str(path)!r} not found; looked in: {', '.join(str(t) for t in tried)}. "
        "Give an absolute path, or one relative to the working folder or to notebooks/"
    )


def _assigned(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return list(dict.fromkeys(names))


def _history() -> list[str]:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return []
    shell = get_ipython()
    return list(shell.user_ns.get("In", [])) if shell is not None else []


def check_injected(*, history: Sequence[str] | None = None) -> None:
    """Stop a notebook whose papermill-injected parameters it does not declare.

    papermill executes the ``parameters`` cell, then the cell it injects (first line
    ``# Parameters``); both are in the kernel's input history. Every name the injected
    cell assigns must be assigned in the parameters cell. Outside a kernel, or without
    an injected cell (run by hand), nothing is checked. Names starting with
    ``PAPERMILL_`` (papermill's own ``--inject-paths``) are allowed.

    Parameters
    ----------
    history : sequence of str, keyword-only
        Executed cell sources in order; default: the running kernel's ``In``.

    Raises
    ------
    WorkbookError
        Naming each unknown parameter (with a close match) and the valid ones.
    """
    history = _history() if history is None else list(history)
    marked = [i for i, src in enumerate(history) if str(src).lstrip().startswith(INJECTED_MARK)]
    if not marked or marked[-1] == 0:
        return
    injected = _assigned(str(history[marked[-1]]))
    declared = _assigned(str(history[marked[-1] - 1]))
    unknown = [n for n in injected if n not in declared and not n.startswith("PAPERMILL_")]
    if not unknown:
        return
    hints = []
    for n in unknown:
        close = difflib.get_close_matches(n, declared, n=1)
        hints.append(f"{n!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    label = "parameter" if len(unknown) == 1 else "parameters"
    raise WorkbookError(
        f"unknown notebook {label} {', '.join(hints)}; this notebook's parameters are: "
        + ", ".join(declared)
    )
