"""Document frames: weighted cue rates, shares, presence, primary frame, diversity, summaries."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from framelens.core.normalize import fold
from framelens.core.tokens import count_words

from .schemes import (
    NO_FRAME,
    SCHEMES,
    as_str_array,
    check_actor_cues,
    require,
    resolve_thresholds,
    scheme_frames,
)
from .sentences import scheme_hits, sentence_core

log = logging.getLogger(__name__)


#: Defaults of the framing options, ONE set: the ``framing`` step's Option specs
#: (:data:`framelens.measures.framing.steps.OPTIONS`) and :func:`doc_frames` use them.
DEFAULTS: dict[str, Any] = {
    "sentence_min_cues": 1.0,
    "headline_weight": 2.0,
    "lead_weight": 1.5,
    "lead_sentences": 2,
    "actor_cues": "exclude",
}


def sentence_words(sentences: pd.DataFrame) -> np.ndarray:
    """Words per sentence: the sentences table's ``n_words`` (the one word unit,
    :mod:`framelens.core.tokens`), else counted in ``text``, else zeros."""
    if "n_words" in sentences.columns:
        return pd.to_numeric(sentences["n_words"], errors="coerce").fillna(0).to_numpy(float)
    if "text" in sentences.columns:
        return count_words(as_str_array(sentences["text"])).astype(float)
    return np.zeros(len(sentences))


def sentence_arrays(sentences: pd.DataFrame) -> dict[str, np.ndarray]:
    if isinstance(sentences, dict):
        return sentences
    require(sentences, "sentences", ("doc_id", "sent_id"))
    n = len(sentences)
    return {
        "nword": sentence_words(sentences),
        "doc": as_str_array(sentences["doc_id"]),
        "sent": sentences["sent_id"].to_numpy(dtype=np.int64),
        "start": sentences["start"].to_numpy(dtype=np.int64)
        if "start" in sentences.columns
        else np.zeros(n, dtype=np.int64),
    }


def title_ends(docs: pd.DataFrame | None) -> dict[str, int]:
    """doc_id -> end offset of the title, for documents whose text opens with it."""
    ends: dict[str, int] = {}
    if docs is None or "title" not in docs.columns or "text" not in docs.columns or not len(docs):
        return ends
    for d, title, text in zip(as_str_array(docs["doc_id"]), docs["title"], docs["text"]):
        if not isinstance(title, str) or not isinstance(text, str):
            continue
        t = title.strip()
        if not t:
            continue
        lead_ws = len(text) - len(text.lstrip())
        if fold(text[lead_ws : lead_ws + len(t)]) == fold(t):
            ends[d] = lead_ws + len(t)
    return ends


def _sentence_weights(
    sentences,
    docs: pd.DataFrame | None,
    *,
    headline_weight: float,
    lead_weight: float,
    lead_sentences: int,
    _ends: dict[str, int] | None = None,
) -> dict[str, np.ndarray]:
    """doc, sent, pos_w (headline / lead / body weight) per sentence, sorted by doc code.

    A sentence is part of the *headline* when the document's ``title`` opens its text
    and the sentence starts inside it; the *lead* is the next ``lead_sentences``
    sentences (or the first ones when the title is not part of the text).
    """
    sa = sentence_arrays(sentences)
    codes, uni = pd.factorize(sa["doc"])
    order = np.lexsort((sa["sent"], codes))
    codes, sent, start, did = codes[order], sa["sent"][order], sa["start"][order], sa["doc"][order]
    ends = title_ends(docs) if _ends is None else _ends
    te = (
        np.array([ends.get(u, -1) for u in uni], dtype=np.int64)[codes]
        if len(uni)
        else np.zeros(0, dtype=np.int64)
    )
    is_head = start < te
    body = (~is_head).astype(np.int64)
    # rank among the non-headline sentences of the document (codes are sorted)
    if len(codes):
        cs = np.cumsum(body)
        first = np.r_[0, np.flatnonzero(np.diff(codes)) + 1]
        grp = np.cumsum(np.r_[0, (np.diff(codes) != 0).astype(np.int64)])
        body_rank = cs - (cs - body)[first][grp] - 1
    else:
        body_rank = body
    is_lead = (~is_head) & (body_rank < lead_sentences)
    pos_w = np.where(is_head, headline_weight, np.where(is_lead, lead_weight, 1.0))
    return {"doc": did, "sent": sent, "pos_w": pos_w}


def _doc_index(sentences, docs: pd.DataFrame | None) -> list[str]:
    ids = list(dict.fromkeys(sentence_arrays(sentences)["doc"].tolist()))
    if docs is not None:
        require(docs, "docs", ("doc_id",))
        dids = list(dict.fromkeys(as_str_array(docs["doc_id"]).tolist()))  # unique, docs order
        seen = set(dids)
        ids = dids + [d for d in ids if d not in seen]
    return ids


def doc_frames(
    matches: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    scheme: str,
    docs: pd.DataFrame | None = None,
    thresholds: Mapping[str, Any] | None = None,
    sentence_min_cues: float = DEFAULTS["sentence_min_cues"],
    headline_weight: float = DEFAULTS["headline_weight"],
    lead_weight: float = DEFAULTS["lead_weight"],
    lead_sentences: int = DEFAULTS["lead_sentences"],
    title_matches: pd.DataFrame | None = None,
    actor_cues: str = DEFAULTS["actor_cues"],
    _sf: dict | None = None,
    _ends: dict | None = None,
    _arrays: dict | None = None,
) -> pd.DataFrame:
    """Document frame scores, every frame present even at zero.

    Parameters
    ----------
    matches, sentences : DataFrame
        The ``matches`` and ``sentences`` tables.
    scheme : str
        ``"policy"`` or ``"generic"``.
    docs : DataFrame, optional
        The ``docs`` table: adds documents without sentences (as zeros) and lets the
        headline (``title`` at the start of ``text``) be up-weighted.
    thresholds : dict, optional
        Presence thresholds ``min_cues`` (cue weight), ``min_rate`` (cues per 1,000
        words), ``min_score`` (share of the document's weighted cues), either flat (all
        frames) or per frame; merged over the tuned values shipped in the lexicon YAML
        (:func:`default_thresholds`). A frame is present when the document has at least
        one cue of it and all three thresholds are reached.
    sentence_min_cues : float
        Cue weight that makes a sentence frame-coded.
    headline_weight, lead_weight : float
        Multipliers of cue weight in the headline and in the lead (default 2 and 1.5)
        for ``weighted``, ``score`` and the primary frame; counts and rates are
        unweighted. The framing literature says headlines and leads are the most salient
        framing devices, not by how much: these values are framelens's own choice
        (round numbers, not tuned; docs/methods/framing.md).
    lead_sentences : int
        Number of sentences after the headline forming the lead.
    title_matches : DataFrame, optional
        Matches found in titles that are *not* part of ``text`` (doc_id, lexicon,
        category, weight); they count with ``headline_weight`` in ``weighted`` only.
    actor_cues : {"exclude", "down-weight", "count"}
        How named-actor cues count: names of countries, capitals, governments by
        metonymy, nationality adjectives and international organisations (the lexicon's
        ``actor_cues`` list; in ``policy`` they are cues of
        External_regulation_and_reputation). ``"exclude"`` (default): not at all -
        naming a country or an organisation says who a story is about, not how it
        frames it, and in foreign news these names otherwise make the foreign-relations
        frame present and primary in nearly every article; ``"down-weight"``: with their
        YAML weight times :data:`ACTOR_DOWN_WEIGHT`; ``"count"``: like any cue. The
        matches stay in the ``matches`` table (highlighting, KWIC) in every mode.

    Returns
    -------
    DataFrame
        See the module docstring (``frame_docs``).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["e"], "sent_id": [0], "start": [0], "end": [0],
    ...                   "n_words": [0]})
    >>> m = pd.DataFrame(columns=["doc_id", "sent_id", "lexicon", "category"])
    >>> fd = doc_frames(m, s, scheme="generic")
    >>> len(fd), float(fd.rate.sum()), bool(fd.present.any())
    (5, 0.0, False)
    """
    # long: every per-document matrix (counts, weights, rates, presence, primary) is built from the
    # same index arrays in one pass
    frames = scheme_frames(scheme)
    thr = resolve_thresholds(scheme, thresholds)
    check_actor_cues(actor_cues)
    if not isinstance(sentences, dict):
        require(sentences, "sentences", ("doc_id", "sent_id"))
    for name, val in (("headline_weight", headline_weight), ("lead_weight", lead_weight)):
        if not (isinstance(val, (int, float)) and val >= 0):
            raise ValueError(f"{name} must be a number >= 0, got {val!r}")
    if not (isinstance(lead_sentences, (int, np.integer)) and lead_sentences >= 0):
        raise ValueError(f"lead_sentences must be an int >= 0, got {lead_sentences!r}")
    sa = sentence_arrays(sentences)
    ids = _doc_index(sa, docs)
    n, k = len(ids), len(frames)
    doc_ix = pd.Index(ids)
    # per-document words and sentences
    s_ix = doc_ix.get_indexer(sa["doc"])
    n_word = np.bincount(s_ix, weights=sa["nword"], minlength=n)[:n] if n else np.zeros(0)
    n_sent = np.bincount(s_ix, minlength=n)[:n].astype(float) if n else np.zeros(0)

    core = (
        _sf
        if _sf is not None
        else sentence_core(scheme_hits(matches, scheme, actor_cues), k, sentence_min_cues)
    )
    pos = _sentence_weights(
        sa,
        docs,
        headline_weight=float(headline_weight),
        lead_weight=float(lead_weight),
        lead_sentences=int(lead_sentences),
        _ends=_ends,
    )
    mats = {
        c: np.zeros((n, k))
        for c in (
            "n_cues",
            "n_hits",
            "n_author",
            "n_quoted",
            "n_reported",
            "n_sentences",
            "weighted",
        )
    }
    if len(core["doc"]):
        r = doc_ix.get_indexer(core["doc"])
        sm = int(max(pos["sent"].max() if len(pos["sent"]) else 0, core["sent"].max())) + 1
        pkey = doc_ix.get_indexer(pos["doc"]).astype(np.int64) * sm + pos["sent"]
        skey = r.astype(np.int64) * sm + core["sent"]
        pw = pd.Series(pos["pos_w"], index=pkey)
        pw = pw[~pw.index.duplicated()]
        pos_w = pw.reindex(skey).fillna(1.0).to_numpy(dtype=float)
        ok = r >= 0
        r, c = r[ok], core["f"][ok]
        for col in ("n_cues", "n_hits", "n_author", "n_quoted", "n_reported"):
            np.add.at(mats[col], (r, c), np.asarray(core[col], dtype=float)[ok])
        np.add.at(mats["n_sentences"], (r, c), core["coded"].astype(float)[ok])
        np.add.at(mats["weighted"], (r, c), (core["n_cues"] * pos_w)[ok])
    if title_matches is not None and len(title_matches):
        tm = title_matches if "sent_id" in title_matches else title_matches.assign(sent_id=0)
        th = scheme_hits(tm, scheme, actor_cues)
        r = doc_ix.get_indexer(th["doc"])
        ok = r >= 0
        np.add.at(mats["weighted"], (r[ok], th["f"][ok]), th["w"][ok] * float(headline_weight))

    cues, wtd = mats["n_cues"], mats["weighted"]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n_word[:, None] > 0, cues / n_word[:, None] * 1000.0, 0.0)
        share = np.where(n_sent[:, None] > 0, mats["n_sentences"] / n_sent[:, None], 0.0)
        tot_w = wtd.sum(axis=1, keepdims=True)
        score = np.where(tot_w > 0, wtd / tot_w, 0.0)
    t_cues = np.array([thr[f]["min_cues"] for f in frames])
    t_rate = np.array([thr[f]["min_rate"] for f in frames])
    t_score = np.array([thr[f]["min_score"] for f in frames])
    present = (cues > 0) & (cues >= t_cues) & (rate >= t_rate) & (score >= t_score)
    # primary: max score, then max cues, then lexicon order; none without cues
    primary = np.zeros((n, k), dtype=bool)
    if n and k:
        best = score == score.max(axis=1, keepdims=True)
        c2 = np.where(best, cues, -np.inf)
        best2 = c2 == c2.max(axis=1, keepdims=True)
        j = np.argmax(best2, axis=1)
        has = score.max(axis=1) > 0
        primary[np.flatnonzero(has), j[has]] = True

    out = pd.DataFrame(
        {
            "doc_id": pd.array(np.repeat(np.asarray(ids, dtype=object), k), dtype="string"),
            "scheme": pd.Categorical.from_codes(
                np.full(n * k, SCHEMES.index(scheme)), categories=list(SCHEMES)
            ),
            "frame": pd.Categorical.from_codes(np.tile(np.arange(k), n), categories=list(frames)),
            "n_words": np.repeat(n_word, k).astype(np.int64),
            "n_cues": cues.ravel(),
            "n_hits": mats["n_hits"].ravel().astype(np.int64),
            "n_author": mats["n_author"].ravel(),
            "n_quoted": mats["n_quoted"].ravel(),
            "n_reported": mats["n_reported"].ravel(),
            "rate": rate.ravel(),
            "n_sentences": mats["n_sentences"].ravel().astype(np.int64),
            "share": share.ravel(),
            "weighted": wtd.ravel(),
            "score": score.ravel(),
            "present": present.ravel(),
            "primary": primary.ravel(),
        }
    )
    if _arrays is not None:  # for step(): the summary without re-reading the table
        _arrays.update(
            ids=np.asarray(ids, dtype=object),
            n_word=n_word,
            n_sent=n_sent,
            cues=cues,
            present=present,
            score=score,
            primary=primary,
        )
    return out


def primary_frame(frame_docs: pd.DataFrame) -> pd.DataFrame:
    """The primary frame of each document: the frame with the largest ``score``.

    ``score`` already carries the headline and lead weighting (see :func:`doc_frames`).
    Ties are broken by the unweighted cue count, then by lexicon order. Documents
    without any cue get ``"none"`` and score 0.

    Parameters
    ----------
    frame_docs : DataFrame
        Output of :func:`doc_frames` (one or several schemes).

    Returns
    -------
    DataFrame
        doc_id, scheme, primary_frame, primary_score.

    Examples
    --------
    >>> import pandas as pd
    >>> fd = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "scheme": ["generic"] * 4,
    ...                    "frame": ["conflict", "economic"] * 2,
    ...                    "score": [0.25, 0.75, 0.0, 0.0], "n_cues": [1.0, 1.0, 0, 0]})
    >>> primary_frame(fd)["primary_frame"].tolist()
    ['economic', 'none']
    """
    require(frame_docs, "frame_docs", ("doc_id", "scheme", "frame", "score", "n_cues"))
    if frame_docs.empty:
        return pd.DataFrame(
            {
                "doc_id": pd.Series(dtype="string"),
                "scheme": pd.Series(dtype=str),
                "primary_frame": pd.Series(dtype=str),
                "primary_score": pd.Series(dtype=float),
            }
        )
    fd = pd.DataFrame(
        {
            "doc_id": as_str_array(frame_docs["doc_id"]),
            "scheme": as_str_array(frame_docs["scheme"]),
            "frame": as_str_array(frame_docs["frame"]),
            "score": frame_docs["score"].to_numpy(dtype=float),
            "n_cues": frame_docs["n_cues"].to_numpy(dtype=float),
            "order": np.arange(len(frame_docs)),
        }
    )
    fd = fd.sort_values(
        ["doc_id", "scheme", "score", "n_cues", "order"],
        ascending=[True, True, False, False, True],
        kind="stable",
    )
    top = fd.drop_duplicates(["doc_id", "scheme"], keep="first")
    keys = frame_docs[["doc_id", "scheme"]].astype(str).drop_duplicates()
    top = keys.merge(top, on=["doc_id", "scheme"], how="left")
    none = ~(top["score"].to_numpy() > 0)
    return pd.DataFrame(
        {
            "doc_id": top["doc_id"].astype("string").to_numpy(),
            "scheme": top["scheme"].to_numpy(),
            "primary_frame": np.where(none, NO_FRAME, top["frame"].to_numpy()),
            "primary_score": np.where(none, 0.0, top["score"].to_numpy()),
        }
    )


def frame_diversity(frame_docs: pd.DataFrame) -> pd.DataFrame:
    """Frame diversity per document: normalised Shannon entropy of its cues over frames.

    ``diversity = -sum_f p_f ln p_f / ln K`` with ``p_f = n_cues_f / sum n_cues`` and
    ``K`` the number of frames of the scheme (15 for policy, 5 for generic); 0 when the
    document has no cue or all cues fall in one frame, 1 when cues are spread evenly
    over all K frames.

    Returns
    -------
    DataFrame
        doc_id, scheme, diversity, n_frames_cued (frames with at least one cue).

    Examples
    --------
    >>> import pandas as pd
    >>> fd = pd.DataFrame({"doc_id": ["a"] * 5, "scheme": ["generic"] * 5,
    ...                    "frame": ["responsibility", "human_interest", "conflict",
    ...                              "morality", "economic"],
    ...                    "n_cues": [1.0, 1.0, 0, 0, 0]})
    >>> round(float(frame_diversity(fd).diversity[0]), 4)   # ln 2 / ln 5
    0.4307
    """
    require(frame_docs, "frame_docs", ("doc_id", "scheme", "frame", "n_cues"))
    d = pd.DataFrame(
        {
            "doc_id": as_str_array(frame_docs["doc_id"]),
            "scheme": as_str_array(frame_docs["scheme"]),
            "c": np.clip(frame_docs["n_cues"].to_numpy(dtype=float), 0, None),
        }
    )
    k_of = {sc: len(scheme_frames(sc)) for sc in set(d["scheme"])}
    k = d["scheme"].map(k_of).to_numpy(dtype=float)
    tot = d.groupby(["doc_id", "scheme"], sort=False)["c"].transform("sum").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tot > 0, d["c"].to_numpy() / tot, 0.0)
        h = np.where(p > 0, -p * np.log(p), 0.0) / np.where(k > 1, np.log(k), 1.0)
    d["h"] = h
    d["cued"] = d["c"].to_numpy() > 0
    g = d.groupby(["doc_id", "scheme"], sort=False).agg(
        diversity=("h", "sum"), n_frames_cued=("cued", "sum")
    )
    g = g.reset_index()
    g["diversity"] = np.clip(g["diversity"].to_numpy(), 0.0, 1.0)
    g["n_frames_cued"] = g["n_frames_cued"].astype(np.int64)
    g["doc_id"] = g["doc_id"].astype("string")
    return g


def frame_summary(frame_docs: pd.DataFrame, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (doc_id, scheme): totals, frames present, primary frame, diversity.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["e"], "sent_id": [0], "n_words": [3]})
    >>> m = pd.DataFrame(columns=["doc_id", "sent_id", "lexicon", "category"])
    >>> fs = frame_summary(doc_frames(m, s, scheme="generic"))
    >>> fs[["n_words", "primary_frame", "diversity"]].values.tolist()
    [[3, 'none', 0.0]]
    """
    # long: the general path for tables not laid out by doc_frames (the fast path is _grid_summary)
    require(
        frame_docs,
        "frame_docs",
        ("doc_id", "scheme", "frame", "n_cues", "present", "score", "n_words"),
    )
    schemes_in = list(dict.fromkeys(as_str_array(frame_docs["scheme"])))
    if len(schemes_in) == 1 and schemes_in[0] in SCHEMES:
        fast = _grid_summary(frame_docs, schemes_in[0], sentences)
        if fast is not None:
            return fast
    key = ["doc_id", "scheme"]
    fd = pd.DataFrame(
        {
            "doc_id": as_str_array(frame_docs["doc_id"]),
            "scheme": as_str_array(frame_docs["scheme"]),
            "frame": as_str_array(frame_docs["frame"]),
            "n_words": frame_docs["n_words"].to_numpy(),
            "n_cues": frame_docs["n_cues"].to_numpy(dtype=float),
            "present": frame_docs["present"].to_numpy(dtype=bool),
            "score": frame_docs["score"].to_numpy(dtype=float),
        }
    )
    base = (
        fd.groupby(key, sort=False)
        .agg(n_words=("n_words", "first"), n_cues=("n_cues", "sum"), n_present=("present", "sum"))
        .reset_index()
    )
    pres = (
        fd.loc[fd["present"].to_numpy()]
        .groupby(key, sort=False)["frame"]
        .agg(";".join)
        .rename("frames_present")
        .reset_index()
    )
    base = base.merge(pres, on=key, how="left")
    base["frames_present"] = base["frames_present"].fillna("").astype(object)
    if sentences is not None:
        ns = pd.Series(as_str_array(sentences["doc_id"])).value_counts()
        base["n_sentences"] = base["doc_id"].map(ns).fillna(0).astype(np.int64)
    if "primary" in frame_docs.columns:
        p = (
            fd.loc[frame_docs["primary"].to_numpy(dtype=bool), key + ["frame", "score"]]
            .drop_duplicates(key)
            .rename(columns={"frame": "primary_frame", "score": "primary_score"})
        )
        prim = base[key].merge(p, on=key, how="left")
        prim["primary_frame"] = prim["primary_frame"].fillna(NO_FRAME)
        prim["primary_score"] = prim["primary_score"].fillna(0.0)
    else:
        prim = primary_frame(fd).assign(doc_id=lambda x: as_str_array(x["doc_id"]))
    div = frame_diversity(fd).assign(doc_id=lambda x: as_str_array(x["doc_id"]))
    out = base.merge(prim, on=key, how="left").merge(div, on=key, how="left")
    out["n_present"] = out["n_present"].astype(np.int64)
    out["doc_id"] = out["doc_id"].astype("string")
    out["scheme"] = pd.Categorical(out["scheme"], categories=list(SCHEMES))
    cols = (
        ["doc_id", "scheme", "n_words"]
        + (["n_sentences"] if sentences is not None else [])
        + [
            "n_cues",
            "n_present",
            "frames_present",
            "primary_frame",
            "primary_score",
            "diversity",
            "n_frames_cued",
        ]
    )
    return out[cols]


def _grid_summary(
    fd: pd.DataFrame, scheme: str, sentences: pd.DataFrame | None
) -> pd.DataFrame | None:
    """frame_summary for a table laid out as doc_frames makes it (documents x frames in
    lexicon order): numpy on reshaped arrays. None when the layout differs."""
    frames = scheme_frames(scheme)
    k = len(frames)
    col = fd["frame"]
    if (
        not isinstance(col.dtype, pd.CategoricalDtype)
        or list(col.cat.categories) != list(frames)
        or "primary" not in fd.columns
        or len(fd) % k
    ):
        return None
    n = len(fd) // k
    if not np.array_equal(col.cat.codes.to_numpy(), np.tile(np.arange(k), n)):
        return None
    dids = as_str_array(fd["doc_id"]).reshape(n, k)
    if n and not (dids == dids[:, :1]).all():
        return None
    arr = {
        "ids": dids[:, 0] if n else np.array([], dtype=object),
        "n_word": fd["n_words"].to_numpy().reshape(n, k)[:, 0] if n else np.zeros(0),
        "cues": fd["n_cues"].to_numpy(dtype=float).reshape(n, k),
        "present": fd["present"].to_numpy(dtype=bool).reshape(n, k),
        "score": fd["score"].to_numpy(dtype=float).reshape(n, k),
        "primary": fd["primary"].to_numpy(dtype=bool).reshape(n, k),
    }
    if sentences is not None:
        ns = pd.Series(as_str_array(sentences["doc_id"])).value_counts()
        arr["n_sent"] = pd.Series(arr["ids"], dtype=object).map(ns).fillna(0).to_numpy()
    return summary_from_arrays(arr, scheme, with_sentences=sentences is not None)


def summary_from_arrays(arr: dict, scheme: str, *, with_sentences: bool) -> pd.DataFrame:
    frames = scheme_frames(scheme)
    k = len(frames)
    ids, cues, present, score, prim = (
        arr[c] for c in ("ids", "cues", "present", "score", "primary")
    )
    n = len(ids)
    fr_arr = np.asarray(frames, dtype=object)
    tot = cues.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tot[:, None] > 0, np.clip(cues, 0, None) / tot[:, None], 0.0)
        h = np.where(p > 0, -p * np.log(np.where(p > 0, p, 1.0)), 0.0).sum(axis=1)
    div = np.clip(h / (np.log(k) if k > 1 else 1.0), 0.0, 1.0)
    has = prim.any(axis=1) if n else np.zeros(0, dtype=bool)
    j = np.argmax(prim, axis=1) if n else np.zeros(0, dtype=int)
    out = {
        "doc_id": pd.array(ids, dtype="string"),
        "scheme": pd.Categorical.from_codes(
            np.full(n, SCHEMES.index(scheme)), categories=list(SCHEMES)
        ),
        "n_words": np.asarray(arr["n_word"]).astype(np.int64),
    }
    if with_sentences:
        out["n_sentences"] = np.asarray(arr["n_sent"]).astype(np.int64)
    out.update(
        {
            "n_cues": tot,
            "n_present": present.sum(axis=1).astype(np.int64),
            "frames_present": [";".join(fr_arr[row]) for row in present],  # per document
            "primary_frame": np.where(has, fr_arr[j] if n else fr_arr[:0], NO_FRAME),
            "primary_score": np.where(has, score[np.arange(n), j] if n else 0.0, 0.0),
            "diversity": div,
            "n_frames_cued": (cues > 0).sum(axis=1).astype(np.int64),
        }
    )
    return pd.DataFrame(out)
