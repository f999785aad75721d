"""A stratified, seeded sample of coding units.

Strata are the cross of the chosen columns: ``outlet``, ``score_bin`` (quantile bins of
the tool's own value, so that low, middle and high scores are all coded) and
``date_bin`` (quantile bins of the date). Each stratum gets a share of the sample
proportional to its size (largest remainders, at least one unit for every non-empty
stratum while the sample allows), units within a stratum are drawn with
``numpy.random.default_rng(random_state)``, and the result does not depend on the
order of the input rows.

Examples
--------
>>> import pandas as pd
>>> u = pd.DataFrame({"unit_id": [f"u{i}" for i in range(8)],
...                   "outlet": ["A"] * 6 + ["B"] * 2, "tool_value": range(8)})
>>> s = sample_units(u, n=4, strata=("outlet",), random_state=0)
>>> s["outlet"].value_counts().sort_index().to_dict()
{'A': 3, 'B': 1}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framelens.errors import CodingError

__all__ = ["STRATA", "sample_units", "allocate"]

#: Strata :func:`sample_units` knows.
STRATA = ("outlet", "score_bin", "date_bin")


def allocate(sizes, n: int) -> np.ndarray:
    """Split ``n`` over strata of ``sizes``: proportional, largest remainder, every
    stratum at least one while ``n`` allows, never more than a stratum holds.

    Examples
    --------
    >>> allocate([6, 2, 2], 5).tolist()
    [3, 1, 1]
    """
    sizes = np.asarray(sizes, dtype=int)
    n = min(int(n), int(sizes.sum()))
    take = np.zeros(len(sizes), int)
    if n <= 0 or not len(sizes):
        return take
    order = np.argsort(-sizes, kind="stable")
    for i in order[: min(n, int((sizes > 0).sum()))]:
        take[i] = 1
    while take.sum() < n:
        room = sizes - take
        quota = n * sizes / sizes.sum() - take
        quota[room <= 0] = -np.inf
        take[int(np.argmax(quota))] += 1
    return take


def _bins(values: pd.Series, n_bins: int) -> pd.Series:
    v = pd.to_numeric(values, errors="coerce")
    if v.notna().sum() == 0:
        return pd.Series("all", index=values.index)
    ranks = v.rank(method="first")
    b = pd.qcut(ranks, q=min(n_bins, int(v.notna().sum())), labels=False)
    return b.astype("Int64").astype(str).where(v.notna(), "missing")


def sample_units(
    units: pd.DataFrame,
    *,
    n: int,
    strata=("outlet", "score_bin"),
    n_bins: int = 3,
    random_state: int = 0,
) -> pd.DataFrame:
    """Draw ``n`` units, stratified by ``strata``; a new table (input not changed).

    Parameters
    ----------
    units : DataFrame
        A units table (:func:`framelens.coding.unit_table.units`); needs ``unit_id`` and the
        strata's source columns (``outlet``; ``tool_value`` for ``score_bin``; ``date``
        for ``date_bin``).
    n : int, keyword-only
        Sample size (all units when there are fewer).
    strata : sequence of {"outlet", "score_bin", "date_bin"}
    n_bins : int
        Quantile bins for ``score_bin`` and ``date_bin``.
    random_state : int

    Returns
    -------
    DataFrame
        The sampled rows with a ``stratum`` column, in ``unit_id`` order.
    """
    bad = [s for s in strata if s not in STRATA]
    if bad:
        raise CodingError(f"unknown strata {bad}; choose from {STRATA}")
    if not isinstance(n, int | np.integer) or n < 1:
        raise CodingError(f"n must be a positive integer, not {n!r}")
    if not isinstance(n_bins, int) or n_bins < 1:
        raise CodingError(f"n_bins must be a positive integer, not {n_bins!r}")
    need = {"outlet": "outlet", "score_bin": "tool_value", "date_bin": "date"}
    missing = [need[s] for s in strata if need[s] not in units.columns]
    if "unit_id" not in units.columns or missing:
        raise CodingError(f"the units table lacks column(s) {['unit_id', *missing]} for the strata")
    u = units.sort_values("unit_id", kind="stable").reset_index(drop=True)
    parts = []
    for s in strata:
        if s == "outlet":
            parts.append(u["outlet"].fillna("").astype(str))
        elif s == "score_bin":
            parts.append("score" + _bins(u["tool_value"], n_bins))
        else:
            d = pd.to_datetime(u["date"], errors="coerce", utc=True)
            parts.append(
                "date" + _bins(pd.Series(d.astype("int64").where(d.notna()), index=u.index), n_bins)
            )
    stratum = pd.Series("all", index=u.index) if not parts else parts[0]
    for p in parts[1:]:
        stratum = stratum + "|" + p
    u["stratum"] = stratum.to_numpy()
    names = sorted(u["stratum"].unique())
    sizes = [int((u["stratum"] == s).sum()) for s in names]
    take = allocate(sizes, n)
    rng = np.random.default_rng(random_state)
    picked = []
    for s, k in zip(names, take):
        rows = np.flatnonzero(u["stratum"].to_numpy() == s)
        picked.extend(rng.choice(rows, size=int(k), replace=False).tolist() if k else [])
    return u.iloc[sorted(picked)].reset_index(drop=True)
