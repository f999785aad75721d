"""Frames across groups and over time, with contingency tests."""

from __future__ import annotations

import dataclasses
import logging
import math

import numpy as np
import pandas as pd

from .schemes import SCHEMES, as_str_array, require, scheme_frames, scheme_info

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class GroupComparison:
    """Frame x group contingency with a chi-square test of independence.

    Attributes
    ----------
    table : DataFrame
        Observed counts, groups (rows) x frames (columns), zero rows/columns kept.
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
        What was counted (``present``, ``primary`` or ``n_cues``).
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

    def tidy(self) -> pd.DataFrame:
        """Long form: group, frame, observed, expected, residual, share (of the group)."""
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
        out.index.names = ["group", "frame"]
        return out.reset_index()


def _measure_counts(frame_docs: pd.DataFrame, measure: str) -> pd.Series:
    if measure == "present":
        return frame_docs["present"].astype(float)
    if measure == "primary":
        return frame_docs["primary"].astype(float)
    if measure in ("n_cues", "n_hits", "n_sentences"):
        return frame_docs[measure].astype(float)
    raise ValueError(
        f"measure must be 'present', 'primary', 'n_cues', 'n_hits' or "
        f"'n_sentences', got {measure!r}"
    )


def _one_scheme(frame_docs: pd.DataFrame, scheme: str | None) -> tuple[pd.DataFrame, str]:
    require(frame_docs, "frame_docs", ("doc_id", "scheme", "frame"))
    have = list(dict.fromkeys(frame_docs["scheme"].astype(str)))
    if scheme is None:
        if len(have) > 1:
            raise ValueError(f"frame_docs holds several schemes {have}; pass scheme=...")
        scheme = have[0] if have else SCHEMES[0]
    scheme_info(scheme)
    return frame_docs.loc[as_str_array(frame_docs["scheme"]) == scheme], scheme


def contingency_test(table: pd.DataFrame, measure: str = "counts") -> GroupComparison:
    """Chi-square test and adjusted residuals for any table of counts (rows x columns).

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


def frame_by_group(
    frame_docs: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    by: str = "outlet",
    scheme: str | None = None,
    measure: str = "present",
) -> GroupComparison:
    """Frame x group contingency table, chi-square test and adjusted residuals.

    Parameters
    ----------
    frame_docs : DataFrame
        Output of :func:`doc_frames` / ``step()["frame_docs"]``.
    docs : DataFrame
        The ``docs`` table with the grouping column.
    by : str
        Any column of ``docs`` (outlet, language, a user metadata column ...). Missing
        values form the group ``"(missing)"``.
    scheme : str, optional
        Needed when ``frame_docs`` holds several schemes.
    measure : {"present", "primary", "n_cues", "n_hits", "n_sentences"}
        What is counted per cell: documents where the frame is present (multi-label: a
        document can count in several cells, so the chi-square's independence
        assumption is only approximate); documents by primary frame (one cell per
        document with cues: the textbook test); or cue / sentence counts (many per
        document: the test then overstates significance - read residuals descriptively).

    Returns
    -------
    GroupComparison

    Examples
    --------
    >>> import pandas as pd
    >>> fd = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "scheme": ["generic"] * 4,
    ...                    "frame": ["conflict", "economic"] * 2,
    ...                    "present": [True, False, False, True]})
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]})
    >>> frame_by_group(fd, docs, by="outlet").table.loc["X", "conflict"]
    np.float64(1.0)
    """
    fd, scheme = _one_scheme(frame_docs, scheme)
    require(docs, "docs", ("doc_id", by))
    frames = list(scheme_frames(scheme))
    grp = docs.assign(doc_id=docs["doc_id"].astype(str)).set_index("doc_id")[by]
    grp = grp.astype(object).where(grp.notna(), "(missing)").astype(str)
    g = fd["doc_id"].astype(str).map(grp).fillna("(missing)")
    val = _measure_counts(fd, measure)
    t = pd.DataFrame(
        {"group": g.to_numpy(), "frame": as_str_array(fd["frame"]), "v": val.to_numpy()}
    ).pivot_table(index="group", columns="frame", values="v", aggfunc="sum", fill_value=0.0)
    groups = sorted(set(grp.tolist()) | set(t.index))
    t = t.reindex(index=groups, columns=frames, fill_value=0.0)
    t.index.name, t.columns.name = by, "frame"
    return contingency_test(t, measure=measure)


def frames_over_time(
    frame_docs: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    freq: str = "M",
    scheme: str | None = None,
    measure: str = "present",
    by: str | None = None,
) -> pd.DataFrame:
    """Frame shares per period (and group).

    Parameters
    ----------
    freq : str
        A pandas period alias: ``"D"``, ``"W"``, ``"M"``, ``"Q"``, ``"Y"``.
    measure : {"present", "primary", "score"}
        ``present``: share of the period's documents in which the frame is present;
        ``primary``: share of documents with that primary frame; ``score``: mean frame
        profile score.
    by : str, optional
        A docs column to split by (e.g. ``"outlet"``).

    Returns
    -------
    DataFrame
        period (Timestamp of the period start), [by], frame, n_docs, value. Documents
        without a date are left out (a log line says how many).

    Examples
    --------
    >>> import pandas as pd
    >>> fd = pd.DataFrame({"doc_id": ["a", "b"], "scheme": ["generic"] * 2,
    ...                    "frame": ["conflict"] * 2, "present": [True, False]})
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"],
    ...                      "date": pd.to_datetime(["2024-01-03", "2024-01-20"])})
    >>> frames_over_time(fd, docs).query("frame == 'conflict'").value.tolist()
    [0.5]
    """
    if measure not in ("present", "primary", "score"):
        raise ValueError(f"measure must be 'present', 'primary' or 'score', got {measure!r}")
    fd, scheme = _one_scheme(frame_docs, scheme)
    require(docs, "docs", ("doc_id", "date") + ((by,) if by else ()))
    dates = pd.to_datetime(docs["date"], errors="coerce")
    try:
        per = dates.dt.to_period(freq)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"freq {freq!r} is not a pandas period alias (use D, W, M, Q or Y)"
        ) from exc
    meta = pd.DataFrame(
        {"doc_id": as_str_array(docs["doc_id"]), "period": per.dt.start_time.to_numpy()}
    )
    if by:
        meta[by] = (
            docs[by].astype(object).where(docs[by].notna(), "(missing)").astype(str).to_numpy()
        )
    n_missing = int(meta["period"].isna().sum())
    if n_missing:
        log.info("frames_over_time: %d document(s) without a date left out", n_missing)
    meta = meta.dropna(subset=["period"])
    d = pd.DataFrame(
        {
            "doc_id": as_str_array(fd["doc_id"]),
            "frame": pd.Categorical(
                fd["frame"].astype(str), categories=list(scheme_frames(scheme))
            ),
            "v": fd[measure].astype(float).to_numpy(),
        }
    ).merge(meta, on="doc_id")
    keys = ["period"] + ([by] if by else [])
    out = (
        d.groupby(keys + ["frame"], observed=False)
        .agg(n_docs=("doc_id", "nunique"), value=("v", "mean"))
        .reset_index()
    )
    out = out[out["n_docs"] > 0].reset_index(drop=True)
    out["value"] = out["value"].fillna(0.0)
    return out
