"""Cue terms: the most frequent cue terms per frame (a corpus-level view of the matches)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from framelens.core.normalize import fold

from .schemes import as_str_array, check_actor_cues, require, scheme_frames
from .sentences import scheme_hits

log = logging.getLogger(__name__)

#: Documents whose hits :func:`cue_terms` counts at once.
_DOCS_PER_CHUNK = 5000


def _chunk_counts(h, matches, docs, *, by, frames, keys) -> pd.DataFrame:
    """``keys, n_cues, n_docs`` of the cue hits ``h`` of ``matches`` (all rows of their
    documents)."""
    term = np.asarray(h["term"], dtype=object).copy()
    doc = np.asarray(h["doc"], dtype=object)
    if docs is not None:
        mine = docs[docs["doc_id"].astype(str).isin(set(doc))]
        texts = dict(zip(as_str_array(mine["doc_id"]), mine["text"].astype(object)))
        st = matches["start"].to_numpy(dtype=np.int64)[h["index"]]
        en = matches["end"].to_numpy(dtype=np.int64)[h["index"]]
        folded: dict[str, str] = {}
        for i, (d, a_, b_) in enumerate(zip(doc, st, en)):  # one slice per cue
            if d not in folded:
                t = texts.get(d)
                folded[d] = fold(t) if isinstance(t, str) else ""
            term[i] = folded[d][a_:b_] or term[i]
    f, w = np.asarray(h["f"]), np.asarray(h["w"])
    t = pd.DataFrame({"doc_id": doc, "frame": np.asarray(frames, dtype=object)[f], "term": term,
                      "w": w})  # fmt: skip
    if by:
        g = docs.assign(doc_id=docs["doc_id"].astype(str)).set_index("doc_id")[by]
        t[by] = (
            t["doc_id"]
            .map(g.astype(object).where(g.notna(), "(missing)"))
            .fillna("(missing)")
            .astype(str)
        )
    return (
        t.groupby(keys, sort=False).agg(n_cues=("w", "sum"), n_docs=("doc_id", "nunique"))
        .reset_index()
    )  # fmt: skip


def cue_terms(
    matches: pd.DataFrame,
    *,
    scheme: str,
    docs: pd.DataFrame | None = None,
    by: str | None = None,
    n: int = 10,
    actor_cues: str = "exclude",
) -> pd.DataFrame:
    """The most frequent cue terms per frame (and group).

    Parameters
    ----------
    matches : DataFrame
        The ``matches`` table.
    scheme : str
        ``"policy"`` or ``"generic"``.
    docs : DataFrame, optional
        Needed for ``by`` and to report the surface form (the folded matched text, e.g.
        "sanctions" for the pattern ``sanction*``); without it the pattern is reported.
    by : str, optional
        A docs column to split by.
    n : int
        Terms kept per frame (and group).
    actor_cues : {"exclude", "down-weight", "count"}
        As in :func:`doc_frames` (country and capital names left out by default).

    Returns
    -------
    DataFrame
        [by], frame, term, n_cues (sum of weights), n_docs, rank (1 = most frequent).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b"], "sent_id": [0, 0, 0], "start": [0, 9, 0],
    ...                   "end": [8, 14, 5], "lexicon": ["generic"] * 3,
    ...                   "category": ["conflict"] * 3, "term": ["clash*", "war", "war"],
    ...                   "weight": [1.0, 1.0, 1.0]})
    >>> cue_terms(m, scheme="generic")[["term", "n_cues", "n_docs"]].values.tolist()
    [['war', 2.0, 2], ['clash*', 1.0, 1]]
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    counts = cue_term_counts(matches, scheme=scheme, docs=docs, by=by, actor_cues=actor_cues)
    return rank_cue_terms([counts], scheme=scheme, by=by, n=n)


def cue_term_counts(
    matches: pd.DataFrame,
    *,
    scheme: str,
    docs: pd.DataFrame | None = None,
    by: str | None = None,
    actor_cues: str = "exclude",
) -> pd.DataFrame:
    """The unranked counts of :func:`cue_terms`: ``[by], frame, term, n_cues, n_docs``.

    Counts of matches of disjoint sets of documents add up (:func:`rank_cue_terms` sums
    them), so a large ``matches`` table can be counted part by part.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"doc_id": ["a", "b"], "sent_id": [0, 0], "start": [0, 0],
    ...                   "end": [3, 3], "lexicon": ["generic"] * 2,
    ...                   "category": ["conflict"] * 2, "term": ["war"] * 2, "weight": [1.0] * 2})
    >>> parts = [cue_term_counts(m[m["doc_id"] == d], scheme="generic") for d in "ab"]
    >>> rank_cue_terms(parts, scheme="generic", n=1)[["term", "n_cues", "n_docs"]].values.tolist()
    [['war', 2.0, 2]]
    """
    frames = scheme_frames(scheme)
    mode = check_actor_cues(actor_cues)
    if docs is not None:
        require(docs, "docs", ("doc_id", "text") + ((by,) if by else ()))
    elif by is not None:
        raise ValueError("by=... needs docs=... (the grouping column lives in docs)")
    keys = _keys(by)
    # the matches of disjoint sets of documents are counted chunk by chunk (n_docs adds
    # up), so memory grows with a chunk's cues, not the corpus's
    code = pd.factorize(matches["doc_id"])[0] // _DOCS_PER_CHUNK if len(matches) else []
    chunks = [np.flatnonzero(code == c) for c in np.unique(code)] or [np.arange(0)]
    parts = []
    for rows in chunks:
        sub = matches.iloc[rows]
        h = scheme_hits(sub, scheme, mode)
        parts.append(_chunk_counts(h, sub, docs, by=by, frames=frames, keys=keys))
    return _summed(parts, keys)


def _keys(by: str | None) -> list[str]:
    return ([by] if by else []) + ["frame", "term"]


def _summed(parts: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """Counts of disjoint document sets added up (one frame: as it is)."""
    parts = [p for p in parts if len(p)] or parts[:1]
    if len(parts) == 1:
        return parts[0]
    out = pd.concat(parts, ignore_index=True)
    return out.groupby(keys, sort=False).agg(n_cues=("n_cues", "sum"),
                                             n_docs=("n_docs", "sum")).reset_index()  # fmt: skip


def rank_cue_terms(
    counts: list[pd.DataFrame], *, scheme: str, by: str | None = None, n: int = 10
) -> pd.DataFrame:
    """The table of :func:`cue_terms` from :func:`cue_term_counts` of disjoint document
    sets: counts summed, terms ranked per frame (and group), the first ``n`` kept."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    frames = scheme_frames(scheme)
    keys = _keys(by)
    out = _summed(list(counts), keys)
    out["frame"] = pd.Categorical(out["frame"], categories=list(frames))
    out = out.sort_values(
        keys[:-2] + ["frame", "n_cues", "term"],
        ascending=[True] * (len(keys) - 2) + [True, False, True],
        kind="stable",
    )
    out["rank"] = out.groupby(keys[:-1], observed=True).cumcount() + 1
    return out[out["rank"] <= n].reset_index(drop=True)
