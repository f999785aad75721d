"""Agreement among coders, and between the tool and the coders.

Per variable: Krippendorff's alpha at the codebook's level of measurement with a
seeded bootstrap interval over units, percent agreement (pairable units), pairwise
Cohen's kappa, and the table of units on which coders disagree. Passing the tool's
values as one more coder (:func:`tool_codes`) gives tool-vs-human figures: the mean
kappa of the tool with each coder beside the mean kappa between coders, and alpha
of the coders with and without the tool, so a report can say whether the tool agrees
with the coders as well as they agree with each other. Alpha and kappa are
:mod:`framelens.stats.reliability` (checked there against published examples).

Examples
--------
>>> import pandas as pd
>>> from framelens.coding.codebooks import codebook
>>> cb = codebook([{"variable": "b", "level": "nominal", "values": ["y", "n"],
...                 "definition": ""}])
>>> codes = pd.DataFrame({"unit_id": ["u1", "u1", "u2", "u2", "u3", "u3"],
...                       "coder": ["ann", "bob"] * 3, "variable": "b",
...                       "value": ["y", "y", "n", "n", "y", "n"]})
>>> a = agreement(codes, cb, n_boot=50)
>>> round(float(a.loc[0, "percent_agreement"]), 3)
0.667
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from framelens.errors import CodingError
from framelens.stats.bootstrap import percentile_ci
from framelens.stats.reliability import cohen_kappa, krippendorff_alpha

from .codebooks import allowed, value_codes

__all__ = [
    "TOOL",
    "reliability_matrix",
    "percent_agreement",
    "pairwise_kappa",
    "agreement",
    "disagreements",
    "tool_codes",
    "tool_agreement",
]

#: The coder name the tool's values carry.
TOOL = "framelens"


def _check(codes: pd.DataFrame):
    need = [c for c in ("unit_id", "coder", "variable", "value") if c not in codes.columns]
    if need:
        raise CodingError(f"the codes table lacks column(s) {need}")


def reliability_matrix(codes: pd.DataFrame, codebook: pd.DataFrame, variable: str):
    """``(matrix, coders, units)``: coders x units of numeric codes (NaN = not coded).

    Examples
    --------
    >>> import pandas as pd
    >>> from framelens.coding.codebooks import codebook
    >>> cb = codebook([{"variable": "b", "level": "ordinal", "values": ["lo", "hi"],
    ...                 "definition": ""}])
    >>> c = pd.DataFrame({"unit_id": ["u1", "u1"], "coder": ["a", "b"], "variable": "b",
    ...                   "value": ["lo", "hi"]})
    >>> reliability_matrix(c, cb, "b")[0].tolist()
    [[0.0], [1.0]]
    """
    _check(codes)
    num = value_codes(codebook, variable)
    sub = codes[codes["variable"].astype(str) == variable]
    vals = sub["value"].astype(str)
    bad = sorted(set(vals) - set(num))
    if bad:
        raise CodingError(f"codes of {variable!r} hold values not in the codebook: {bad}")
    wide = (
        sub.assign(x=vals.map(num).astype(float), coder=sub["coder"].astype(str))
        .pivot_table(index="coder", columns="unit_id", values="x", aggfunc="first")
        .sort_index()
    )
    return wide.to_numpy(float), list(wide.index), list(wide.columns)


def percent_agreement(matrix) -> float:
    """Share of agreeing pairs of codes within units (units with >= 2 codes).

    Examples
    --------
    >>> percent_agreement([[1, 1, 2], [1, 2, 2]])
    0.6666666666666666
    """
    m = np.asarray(matrix, float)
    agree = pairs = 0
    for col in m.T:
        v = col[~np.isnan(col)]
        k = len(v)
        if k < 2:
            continue
        _, counts = np.unique(v, return_counts=True)
        agree += float((counts * (counts - 1)).sum())
        pairs += k * (k - 1)
    return agree / pairs if pairs else float("nan")


def _kappa_pair(a, b, k: int, weights) -> tuple[float, int]:
    ok = ~np.isnan(a) & ~np.isnan(b)
    if ok.sum() < 2:
        return float("nan"), int(ok.sum())
    table = np.zeros((k, k))
    for x, y in zip(a[ok].astype(int), b[ok].astype(int)):
        table[x, y] += 1
    if (table.sum(1) > 0).sum() < 2 and (table.sum(0) > 0).sum() < 2:
        return float("nan"), int(ok.sum())
    return cohen_kappa(table, weights=weights), int(ok.sum())


def pairwise_kappa(codes: pd.DataFrame, codebook: pd.DataFrame, variable: str) -> pd.DataFrame:
    """Cohen's kappa for every pair of coders (linear weights for ordinal variables;
    interval variables are tabulated on their ordered values, linear weights).

    Returns
    -------
    DataFrame
        ``variable, coder_a, coder_b, n_units, kappa``.
    """
    m, coders, _ = reliability_matrix(codes, codebook, variable)
    level = codebook.loc[codebook["variable"] == variable, "level"].iloc[0]
    vals = list(allowed(codebook, variable))
    weights = None if level == "nominal" else "linear"
    # interval values become their rank for the table
    rank = {v: float(i) for i, v in enumerate(vals)}
    num = value_codes(codebook, variable)
    to_rank = {num[v]: rank[v] for v in vals}
    r = np.vectorize(lambda x: to_rank.get(x, np.nan))(m) if m.size else m
    rows = []
    for i, j in combinations(range(len(coders)), 2):
        kap, n = _kappa_pair(r[i], r[j], len(vals), weights)
        rows.append((variable, coders[i], coders[j], n, kap))
    return pd.DataFrame(rows, columns=["variable", "coder_a", "coder_b", "n_units", "kappa"])


def _alpha(m, level):
    m = m[:, (~np.isnan(m)).sum(0) >= 2]
    if m.shape[1] < 1 or len(np.unique(m[~np.isnan(m)])) < 2:
        return float("nan")
    return krippendorff_alpha(m, level=level)


def _alpha_ci(m, level, n_boot, random_state):
    rng = np.random.default_rng(random_state)
    n = m.shape[1]
    vals = []
    for _ in range(n_boot):
        a = _alpha(m[:, rng.integers(0, n, n)], level)
        if np.isfinite(a):
            vals.append(a)
    return percentile_ci(vals) if vals else [float("nan"), float("nan")]


def agreement(
    codes: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    n_boot: int = 1000,
    random_state: int = 0,
    exclude: tuple[str, ...] = (TOOL,),
) -> pd.DataFrame:
    """Agreement among coders per variable.

    Parameters
    ----------
    codes : DataFrame
        The ``codes`` table (``unit_id, coder, variable, value``).
    codebook : DataFrame
    n_boot, random_state : int, keyword-only
        Bootstrap samples of units for alpha's 95 % interval, and their seed.
    exclude : tuple of str
        Coders left out (the tool by default; see :func:`tool_agreement`).

    Returns
    -------
    DataFrame
        ``variable, level, n_units, n_coders, alpha, alpha_lo, alpha_hi,
        percent_agreement, mean_kappa``.
    """
    _check(codes)
    if not isinstance(n_boot, int) or n_boot < 0:
        raise CodingError(f"n_boot must be a non-negative integer, not {n_boot!r}")
    human = codes[~codes["coder"].astype(str).isin(exclude)]
    rows = []
    for var, level in zip(codebook["variable"], codebook["level"]):
        m, coders, unit_ids = reliability_matrix(human, codebook, var)
        alpha = _alpha(m, level) if m.size else float("nan")
        lo, hi = _alpha_ci(m, level, n_boot, random_state) if m.size and n_boot else [np.nan] * 2
        kap = pairwise_kappa(human, codebook, var)["kappa"] if m.size else pd.Series(dtype=float)
        rows.append(
            (var, level, len(unit_ids), len(coders), alpha, lo, hi,
             percent_agreement(m) if m.size else np.nan,
             float(kap.mean()) if kap.notna().any() else np.nan)
        )  # fmt: skip
    cols = ["variable", "level", "n_units", "n_coders", "alpha", "alpha_lo", "alpha_hi"]
    return pd.DataFrame(rows, columns=[*cols, "percent_agreement", "mean_kappa"])


def disagreements(codes: pd.DataFrame, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Units on which coders gave different values: one row per unit and variable, one
    column per coder, with the unit's text when ``units`` (``unit_id, text``) is given.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"unit_id": ["u1", "u1", "u2", "u2"], "coder": ["a", "b"] * 2,
    ...                   "variable": "v", "value": ["x", "y", "x", "x"]})
    >>> disagreements(c).to_dict("records")
    [{'variable': 'v', 'unit_id': 'u1', 'a': 'x', 'b': 'y', 'n_values': 2}]
    """
    _check(codes)
    c = codes.assign(
        coder=codes["coder"].astype(str), value=codes["value"].astype(str),
        variable=codes["variable"].astype(str), unit_id=codes["unit_id"].astype(str),
    )  # fmt: skip
    wide = c.pivot_table(
        index=["variable", "unit_id"], columns="coder", values="value", aggfunc="first"
    )
    wide.columns = [str(x) for x in wide.columns]
    wide["n_values"] = wide.nunique(axis=1)
    out = wide[wide["n_values"] > 1].reset_index()
    if units is not None:
        texts = units.assign(unit_id=units["unit_id"].astype(str))[["unit_id", "text"]]
        out = out.merge(texts.drop_duplicates("unit_id"), on="unit_id", how="left")
    return out.reset_index(drop=True)


def tool_codes(
    units: pd.DataFrame, codebook: pd.DataFrame, *, variable: str, column: str, coder: str = TOOL
) -> pd.DataFrame:
    """The tool's values as codes of one more coder (values must be allowed values;
    a numeric column of an interval variable is matched to the nearest allowed value).

    Examples
    --------
    >>> import pandas as pd
    >>> from framelens.coding.codebooks import codebook
    >>> cb = codebook([{"variable": "t", "level": "interval", "values": [-1, 0, 1],
    ...                 "definition": ""}])
    >>> u = pd.DataFrame({"unit_id": ["u1", "u2"], "score": [0.8, -0.2]})
    >>> tool_codes(u, cb, variable="t", column="score")["value"].tolist()
    ['1', '0']
    """
    vals = allowed(codebook, variable)
    level = codebook.loc[codebook["variable"] == variable, "level"].iloc[0]
    raw = units[column]
    if level == "interval" and pd.api.types.is_numeric_dtype(raw):
        grid = np.array([float(v) for v in vals])
        value = [vals[int(np.argmin(np.abs(grid - x)))] if pd.notna(x) else None for x in raw]
    else:
        value = [str(x) if pd.notna(x) else None for x in raw]
    bad = sorted({v for v in value if v is not None and v not in vals})
    if bad:
        raise CodingError(
            f"tool column {column!r} holds values not allowed for {variable!r}: {bad}"
        )
    out = pd.DataFrame(
        {"unit_id": units["unit_id"].astype(str), "coder": coder, "variable": variable,
         "value": value}
    )  # fmt: skip
    for c in ("unit_kind", "doc_id", "start", "end"):
        if c in units.columns:
            out[c] = units[c].to_numpy()
    return out.dropna(subset=["value"]).reset_index(drop=True)


def tool_agreement(
    codes: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    tool: str = TOOL,
    n_boot: int = 1000,
    random_state: int = 0,
) -> pd.DataFrame:
    """Does the tool agree with the coders as well as they agree with each other?

    Returns
    -------
    DataFrame
        Per variable: ``alpha_coders`` (coders only), ``alpha_with_tool`` (tool as one
        more coder, with its interval), ``kappa_coders`` (mean pairwise kappa between
        coders), ``kappa_tool`` (mean kappa of the tool with each coder) and
        ``tool_as_good`` (kappa_tool >= kappa_coders).
    """
    _check(codes)
    if not (codes["coder"].astype(str) == tool).any():
        raise CodingError(f"the codes hold no values of the tool coder {tool!r}; see tool_codes")
    humans = agreement(codes, codebook, n_boot=0, exclude=(tool,))
    withtool = agreement(codes, codebook, n_boot=n_boot, random_state=random_state, exclude=())
    rows = []
    for var in codebook["variable"]:
        k = pairwise_kappa(codes, codebook, var)
        is_tool = (k["coder_a"] == tool) | (k["coder_b"] == tool)
        kc = k.loc[~is_tool, "kappa"].mean()
        kt = k.loc[is_tool, "kappa"].mean()
        h = humans[humans["variable"] == var].iloc[0]
        w = withtool[withtool["variable"] == var].iloc[0]
        rows.append(
            (var, h["alpha"], w["alpha"], w["alpha_lo"], w["alpha_hi"], kc, kt,
             bool(kt >= kc) if np.isfinite(kc) and np.isfinite(kt) else None)
        )  # fmt: skip
    cols = ["variable", "alpha_coders", "alpha_with_tool", "alpha_with_tool_lo"]
    cols += ["alpha_with_tool_hi", "kappa_coders", "kappa_tool", "tool_as_good"]
    return pd.DataFrame(rows, columns=cols)
