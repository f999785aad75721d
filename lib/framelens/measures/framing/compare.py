"""Frames across groups and over time, with contingency tests (:mod:`framelens.stats`)."""

from __future__ import annotations

import logging

import pandas as pd

from framelens.stats.contingency import GroupComparison, contingency_test

from .schemes import SCHEMES, as_str_array, require, scheme_frames, scheme_info

log = logging.getLogger(__name__)


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
