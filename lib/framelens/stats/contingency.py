"""Contingency tables: Pearson chi-square test of independence and adjusted residuals.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame([[30, 10], [10, 30]], index=["A", "B"], columns=["x", "y"])
>>> r = contingency_test(t)
>>> r.dof, round(r.cramers_v, 2), r.tidy()["residual"].round(2).tolist()
(1, 0.5, [4.47, -4.47, -4.47, 4.47])
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

__all__ = ["GroupComparison", "contingency_test"]


@dataclasses.dataclass(frozen=True)
class GroupComparison:
    """A contingency table with a chi-square test of independence and residuals.

    Attributes
    ----------
    table : DataFrame
        Observed counts, groups (rows) x categories (columns, e.g. frames), zero rows
        and columns kept.
    expected : DataFrame
        Expected counts under independence, ``row_total * col_total / n``.
    residuals : DataFrame
        Adjusted standardised residuals (Haberman 1973):
        ``(O - E) / sqrt(E * (1 - row_total/n) * (1 - col_total/n))``; 0 where E = 0.
        |r| > 1.96 marks a cell that departs from independence at about the 5% level
        (uncorrected for the number of cells).
    chi2, dof, p_value : float, int, float
        Pearson chi-square (no continuity correction) over the rows and columns with
        non-zero totals; NaN with dof 0 when fewer than two of either remain.
    cramers_v : float
        ``sqrt(chi2 / (n * (min(r, c) - 1)))``.
    measure : str
        What was counted (e.g. ``present``, ``primary`` or ``n_cues`` of frames).
    n : float
        Total count.
    """

    table: pd.DataFrame
    expected: pd.DataFrame
    residuals: pd.DataFrame
    chi2: float
    dof: int
    p_value: float
    cramers_v: float
    measure: str
    n: float

    def tidy(self, *, names: tuple[str, str] = ("group", "frame")) -> pd.DataFrame:
        """Long form: row, column, observed, expected, residual, share (of the row).

        ``names`` names the row and column keys (default ``group`` and ``frame``).
        """
        rows = self.table.sum(axis=1)
        share = self.table.div(rows.where(rows > 0, 1), axis=0)
        out = pd.DataFrame(
            {
                "observed": self.table.stack(),
                "expected": self.expected.stack(),
                "residual": self.residuals.stack(),
                "share": share.stack(),
            }
        )
        out.index.names = list(names)
        return out.reset_index()


def contingency_test(table: pd.DataFrame, measure: str = "counts") -> GroupComparison:
    """Chi-square test and adjusted residuals for any table of counts (rows x columns).

    Parameters
    ----------
    table : DataFrame
        Counts, rows x columns (zero rows and columns are kept in the result and left
        out of the test).
    measure : str
        A label of what was counted, kept in the result.

    Returns
    -------
    GroupComparison

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame([[10, 0], [0, 10]], index=["A", "B"], columns=["x", "y"])
    >>> r = contingency_test(t)
    >>> round(r.chi2, 1), round(float(r.residuals.loc["A", "x"]), 3)
    (20.0, 4.472)
    """
    from scipy import stats

    obs = table.astype(float)
    n = float(obs.to_numpy().sum())
    rt = obs.sum(axis=1).to_numpy()
    ct = obs.sum(axis=0).to_numpy()
    exp = np.outer(rt, ct) / n if n > 0 else np.zeros(obs.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        den = np.sqrt(exp * np.outer(1 - rt / n, 1 - ct / n)) if n > 0 else np.zeros(obs.shape)
        res = np.where(den > 0, (obs.to_numpy() - exp) / den, 0.0)
    keep_r, keep_c = rt > 0, ct > 0
    if keep_r.sum() >= 2 and keep_c.sum() >= 2:
        chi2, p, dof, _ = stats.chi2_contingency(
            obs.to_numpy()[np.ix_(keep_r, keep_c)], correction=False
        )
        v = math.sqrt(chi2 / (n * (min(keep_r.sum(), keep_c.sum()) - 1)))
    else:
        chi2, p, dof, v = float("nan"), float("nan"), 0, float("nan")
    return GroupComparison(
        table=obs,
        expected=pd.DataFrame(exp, index=obs.index, columns=obs.columns),
        residuals=pd.DataFrame(res, index=obs.index, columns=obs.columns),
        chi2=float(chi2),
        dof=int(dof),
        p_value=float(p),
        cramers_v=float(v),
        measure=measure,
        n=n,
    )
