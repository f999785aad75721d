"""Warming the cache: the analysis of each (corpus, configuration), once, in the runner.

Every notebook of a suite opens the same cached analysis; the runner computes it before
any kernel starts, so a suite costs one analysis plus one kernel per notebook. The corpus
is analysed batch by batch straight into its cache folder
(:func:`framelens.pipeline.analyze_to` into :func:`framelens.pipeline.cache_folder`, the
folder :func:`framelens.pipeline.open_analysis` opens in the notebooks): the runner's
memory grows with one batch, not with the corpus. A failed analysis fails the reports
that need it, with its message; other reports go on.

Examples
--------
>>> warm([], None, cache_dir=Path("/tmp/cache"), progress=False)
{}
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from framelens.runner.record import say

__all__ = ["warm", "input_problems"]


def input_problems(corpus: str, problems, *, n_docs: int, progress: bool) -> str | None:
    """Print how many input errors and warnings the corpus has (as ``framelens analyze``
    does); the failure message when it has no document at all, naming its first problems
    (an unknown format, an empty folder, a header-only file), else None.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"severity": ["error"], "message": ["c.xyz: unknown format '.xyz'"]})
    >>> input_problems("c.xyz", p, n_docs=0, progress=False)
    "c.xyz has no documents to report on: c.xyz: unknown format '.xyz'; run `framelens check c.xyz`"
    """
    n = len(problems)
    n_err = int((problems["severity"].astype(str) == "error").sum()) if n else 0
    if n:
        say(
            progress,
            f"  {n_err} input error(s), {n - n_err} warning(s): run `framelens check {corpus}` "
            "for details",
        )
    if n_docs:
        return None
    why = "; ".join(m.rstrip(". ") for m in problems["message"].astype(str).head(3)) or "no records"
    return f"{corpus} has no documents to report on: {why}; run `framelens check {corpus}`"


def warm(
    pairs: Iterable[tuple[str, str | None]],
    memo,
    *,
    cache_dir: Path,
    progress: bool,
) -> dict[tuple[str, str | None], str]:
    """Analyse each (corpus, config) pair into ``cache_dir``.

    Parameters
    ----------
    pairs : iterable of (str, str or None)
        Corpus paths and configuration files (None: the default configuration).
    memo : AnalysisMemo or None
        The run's analyses (:class:`~framelens.runner.planner.AnalysisMemo`); not read:
        the corpus is streamed from its path.
    cache_dir : Path, keyword-only
        The cache folder (:func:`framelens.pipeline.cache.default_cache_dir`).
    progress : bool, keyword-only
        Print a line per analysis on stderr.

    Returns
    -------
    dict
        ``{(corpus, config): error message}`` of the analyses that failed.
    """
    failed: dict[tuple[str, str | None], str] = {}
    for corpus, config in sorted(set(pairs), key=lambda t: (t[0], t[1] or "")):
        t0 = time.perf_counter()
        say(progress, f"analysing {corpus}" + (f" with {config}" if config else "") + " ...")
        try:
            from framelens.pipeline import analyze_to, cache_folder

            folder = cache_folder(corpus, config or None, cache_dir=cache_dir)
            an = analyze_to(
                folder, corpus, config or None, overwrite=True, progress=None if progress else False
            )
            took = time.perf_counter() - t0
            say(progress, f"  analysis ready: {len(an.docs)} document(s) in {took:.1f} s")
            empty = input_problems(corpus, an.problems, n_docs=len(an.docs), progress=progress)
            if empty:
                failed[(corpus, config)] = empty
                say(progress, "  " + empty)
        except Exception as exc:  # every report on this corpus fails; others go on
            failed[(corpus, config)] = f"analysis of {corpus} failed: {type(exc).__name__}: {exc}"
            say(progress, "  " + failed[(corpus, config)])
    return failed
