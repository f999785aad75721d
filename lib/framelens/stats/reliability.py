"""Reliability of human (or machine) coding: Krippendorff's alpha, Cohen's and Fleiss' kappa.

Validation of an automated measure is only as good as the human coding it is
compared with (Grimmer & Stewart 2013); these helpers report that coding's own
reliability. They wrap maintained implementations (``krippendorff``,
``statsmodels``) with tidy inputs.

Examples
--------
>>> import numpy as np
>>> round(cohen_kappa([[20, 5], [10, 15]]), 4)
0.4
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["krippendorff_alpha", "cohen_kappa", "fleiss_kappa", "ratings_matrix"]

_LEVELS = ("nominal", "ordinal", "interval", "ratio")


def krippendorff_alpha(reliability_data, *, level: str = "nominal") -> float:
    """Krippendorff's alpha for a coders × units matrix (NaN = missing).

    Parameters
    ----------
    reliability_data : array-like, shape (n_coders, n_units)
    level : {"nominal", "ordinal", "interval", "ratio"}, keyword-only

    Returns
    -------
    float

    Examples
    --------
    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(krippendorff_alpha(data, level="nominal"), 3)
    0.743
    """
    import krippendorff

    if level not in _LEVELS:
        raise ValueError(f"level must be one of {_LEVELS}, not {level!r}")
    data = np.asarray(reliability_data, dtype="float64")
    if data.ndim != 2:
        raise ValueError("reliability_data must be a 2-D coders x units matrix")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def cohen_kappa(table, *, weights: str | None = None) -> float:
    """Cohen's kappa from a square agreement table (rows: coder 1, columns: coder 2).

    Parameters
    ----------
    table : array-like, shape (k, k)
    weights : {None, "linear", "quadratic"}, keyword-only

    Examples
    --------
    >>> round(cohen_kappa([[0, 4, 1], [0, 8, 0], [0, 1, 5]], weights="linear"), 4)
    0.4701
    """
    from statsmodels.stats.inter_rater import cohens_kappa

    if weights not in (None, "linear", "quadratic"):
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")
    t = np.asarray(table, dtype="float64")
    if t.ndim != 2 or t.shape[0] != t.shape[1]:
        raise ValueError("table must be a square k x k agreement table")
    wt = {None: None, "linear": "linear", "quadratic": "quadratic"}[weights]
    res = cohens_kappa(t, wt=wt)
    return float(res.kappa)


def fleiss_kappa(counts) -> float:
    """Fleiss' kappa from a units × categories table of rater counts.

    Examples
    --------
    >>> round(fleiss_kappa([[2, 0], [0, 2], [1, 1]]), 4)
    0.3333
    """
    from statsmodels.stats.inter_rater import fleiss_kappa as _fk

    c = np.asarray(counts, dtype="float64")
    if c.ndim != 2:
        raise ValueError("counts must be a units x categories table")
    if not np.allclose(c.sum(axis=1), c.sum(axis=1)[0]):
        raise ValueError("Fleiss' kappa needs the same number of ratings for every unit")
    return float(_fk(c, method="fleiss"))


def ratings_matrix(
    ratings: pd.DataFrame, *, unit: str = "unit", coder: str = "coder", value: str = "value"
) -> np.ndarray:
    """Turn tidy ratings (one row per unit × coder) into a coders × units matrix.

    Examples
    --------
    >>> r = pd.DataFrame({"unit": [1, 1, 2], "coder": ["a", "b", "a"], "value": [1, 1, 2]})
    >>> ratings_matrix(r).tolist()
    [[1.0, 2.0], [1.0, nan]]
    """
    wide = ratings.pivot_table(index=coder, columns=unit, values=value, aggfunc="first")
    return wide.to_numpy(dtype="float64")
