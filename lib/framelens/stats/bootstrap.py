"""The bootstrap: percentile confidence intervals, resampling rows or groups of rows.

One implementation for every confidence interval framelens reports (the evaluation
tasks use it). The *resampling unit* is a parameter: rows (``groups=None``: ``n`` row
indices drawn with replacement) or groups (``groups``: one label per row; whole groups
are drawn with replacement, e.g. the sentences of an article, so that rows of one unit
never count as independent). Draws come from ``numpy.random.default_rng(random_state)``:
the same seed gives the same intervals.

Groups are taken in sorted order of their labels (``numpy.unique``); pass integer codes
(``pandas.factorize``) to order them by first appearance instead.

Examples
--------
>>> import numpy as np
>>> x = np.arange(10.0)
>>> bootstrap_ci(lambda i: {"mean": x[i].mean()}, len(x), n_boot=200, random_state=0)
{'mean': [2.9, 6.4]}
>>> bootstrap_ci(lambda i: x[i].mean(), len(x), groups=x // 5, n_boot=200)
[2.0, 7.0]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

__all__ = ["resample_indices", "bootstrap_ci", "percentile_ci"]


def resample_indices(
    n: int, *, groups=None, n_boot: int = 1000, random_state: int = 0
) -> Iterator[np.ndarray]:
    """Yield ``n_boot`` bootstrap samples of row indices ``0 .. n-1``.

    Parameters
    ----------
    n : int
        Number of rows.
    groups : array-like of length ``n``, optional, keyword-only
        A group label per row: whole groups are resampled (their rows concatenated in
        the order drawn). ``None`` resamples rows.
    n_boot : int
        Number of samples.
    random_state : int
        Seed of ``numpy.random.default_rng``.

    Yields
    ------
    ndarray of int
        Row indices of one sample (empty only when there are no rows).

    Examples
    --------
    >>> [s.tolist() for s in resample_indices(3, n_boot=2, random_state=1)]
    [[1, 1, 2], [2, 0, 0]]
    >>> [s.tolist() for s in resample_indices(3, groups=["a", "a", "b"], n_boot=2)]
    [[2, 2], [2, 0, 1]]
    """
    rng = np.random.default_rng(random_state)
    if groups is None:
        for _ in range(n_boot):
            yield rng.integers(0, n, n)
        return
    groups = np.asarray(groups)
    if len(groups) != n:
        raise ValueError(f"groups has {len(groups)} labels for {n} rows; give one per row")
    labels, inv = np.unique(groups, return_inverse=True)
    members = [np.flatnonzero(inv == g) for g in range(len(labels))]
    for _ in range(n_boot):
        pick = rng.integers(0, len(labels), len(labels))
        yield np.concatenate([members[p] for p in pick]) if len(pick) else np.array([], int)


def percentile_ci(values, *, level: float = 0.95) -> list:
    """Percentile interval ``[lo, hi]`` of bootstrap ``values`` (along the first axis).

    The tails are ``50 * (1 - level)`` and ``50 * (1 + level)`` percent, rounded to 10
    decimals (so that ``level=0.95`` uses exactly 2.5 and 97.5). For 2-D ``values``
    (one column per statistic) the result is one ``[lo, hi]`` per column.

    Examples
    --------
    >>> percentile_ci([0.0, 1.0, 2.0, 3.0, 4.0], level=0.5)
    [1.0, 3.0]
    >>> percentile_ci([[0.0, 10.0], [4.0, 14.0]], level=0.5)
    [[1.0, 3.0], [11.0, 13.0]]
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), not {level!r}")
    lo = round(50 * (1 - level), 10)
    hi = round(50 * (1 + level), 10)
    a = np.asarray(values, dtype=float)
    if a.ndim == 1:
        return [float(np.percentile(a, lo)), float(np.percentile(a, hi))]
    return [percentile_ci(a[:, j], level=level) for j in range(a.shape[1])]


def _usable(v: Any) -> bool:
    if v is None:
        return False
    return bool(np.all(np.isfinite(np.asarray(v, dtype=float))))


def bootstrap_ci(
    statistic: Callable[[np.ndarray], Any],
    n: int,
    *,
    groups=None,
    n_boot: int = 1000,
    random_state: int = 0,
    level: float = 0.95,
):
    """Percentile bootstrap confidence intervals of ``statistic``.

    Parameters
    ----------
    statistic : callable
        ``statistic(idx)`` of one sample of row indices. It returns a number, an array
        (one interval per element) or a mapping ``{name: number or array}``. A value
        that is ``None`` or not finite (e.g. ROC AUC of a sample with one class) is left
        out of that statistic's interval.
    n : int
        Number of rows.
    groups : array-like, optional, keyword-only
        The resampling unit (see :func:`resample_indices`); ``None``: rows.
    n_boot, random_state
        Number of samples and seed.
    level : float
        Coverage of the interval (see :func:`percentile_ci`).

    Returns
    -------
    list or dict
        ``[lo, hi]`` (a list of them for an array statistic) or, for a mapping
        statistic, ``{name: interval}`` for every name with at least one usable value.
        A single statistic with no usable value gives ``[nan, nan]``.

    Examples
    --------
    >>> y = np.array([0, 1, 1, 0, 1, 1])
    >>> bootstrap_ci(lambda i: y[i].mean(), len(y), n_boot=100, random_state=3)
    [0.3333333333333333, 0.8333333333333334]
    """
    values: dict[Any, list] = {}
    mapping = True
    for idx in resample_indices(n, groups=groups, n_boot=n_boot, random_state=random_state):
        if not len(idx):
            continue
        out = statistic(idx)
        if not isinstance(out, Mapping):
            mapping = False
            out = {None: out}
        for k, v in out.items():
            vals = values.setdefault(k, [])
            if _usable(v):
                vals.append(v)
    if not mapping:
        vals = values.get(None, [])
        return percentile_ci(vals, level=level) if vals else [float("nan"), float("nan")]
    return {k: percentile_ci(v, level=level) for k, v in values.items() if v}
