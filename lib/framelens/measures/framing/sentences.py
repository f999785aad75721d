"""Sentence-level frame cues and sentence frames."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from .schemes import (
    ACTOR_DOWN_WEIGHT,
    SCHEMES,
    as_str_array,
    check_actor_cues,
    require,
    scheme_frames,
    scheme_info,
)

log = logging.getLogger(__name__)

_SENT_COUNT_COLS = ("n_cues", "n_hits", "n_author", "n_quoted", "n_reported")


def match_arrays(matches: pd.DataFrame) -> dict[str, np.ndarray]:
    """The matches columns framing needs, as numpy arrays (strings as Python objects).

    Extracted once per step: pandas 3 stores strings in Arrow arrays, and every
    DataFrame round trip of a string column converts it, which dominated the cost."""
    if isinstance(matches, dict):
        return matches
    require(matches, "matches", ("doc_id", "sent_id", "lexicon", "category"))
    n = len(matches)
    if "weight" in matches.columns:
        w = pd.to_numeric(matches["weight"], errors="coerce").to_numpy(dtype=float)
        w = np.where(np.isnan(w), 1.0, w)
    else:
        w = np.ones(n)
    return {
        "doc": as_str_array(matches["doc_id"]),
        "sent": matches["sent_id"].to_numpy(dtype=np.int64),
        "lexicon": as_str_array(matches["lexicon"]),
        "category": as_str_array(matches["category"]),
        "w": w,
        "voice": as_str_array(matches["voice"])
        if "voice" in matches.columns
        else np.full(n, "author", dtype=object),
        "term": as_str_array(matches["term"])
        if "term" in matches.columns
        else np.full(n, "", dtype=object),
        "index": np.arange(n),
    }


def scheme_hits(matches, scheme: str, actor_cues: str = "count") -> dict[str, np.ndarray]:
    """Cue rows of one scheme as arrays: doc, sent, f (frame code in lexicon order), w,
    voice, term, index (row in ``matches``); other lexicons and categories dropped.
    Named-actor cues (the lexicon's ``actor_cues``) are kept, down-weighted or dropped."""
    frames = scheme_frames(scheme)
    a = match_arrays(matches)
    # frame codes of this lexicon's rows only (a dict, no Index of all matches' categories)
    of_scheme = np.flatnonzero(a["lexicon"] == scheme)
    code_of = {f: i for i, f in enumerate(frames)}
    fcode = np.full(len(a["lexicon"]), -1, dtype=np.int64)
    fcode[of_scheme] = [code_of.get(c, -1) for c in a["category"][of_scheme].tolist()]
    keep = fcode >= 0
    places = scheme_info(scheme).actor_terms
    w = a["w"]
    if actor_cues != "count" and places and keep.any():
        # (frame, term) pairs of named actors, tested on the kept rows only (the others
        # are dropped whatever they hold)
        pairs = {(f, t) for f, t in places}
        is_place = np.zeros(len(keep), dtype=bool)
        ki = np.flatnonzero(keep)
        is_place[ki] = [
            (c, t) in pairs for c, t in zip(a["category"][ki].tolist(), a["term"][ki].tolist())
        ]
        if actor_cues == "exclude":
            keep &= ~is_place
        else:
            w = np.where(is_place, w * ACTOR_DOWN_WEIGHT, w)
    sel = np.flatnonzero(keep)
    out = {k: v[sel] for k, v in a.items() if k not in ("lexicon", "category", "w")}
    out["w"] = w[sel]
    out["f"] = fcode[sel]
    return out


def sentence_core(
    h: dict[str, np.ndarray], k: int, sentence_min_cues: float
) -> dict[str, np.ndarray]:
    """Sum the hits per (doc, sentence, frame): one integer key, bincount (no groupby).
    Rows come out sorted by doc id, sentence, frame."""
    w, v = h["w"], h["voice"]
    dcode, duni = pd.factorize(h["doc"], sort=True)
    sent = h["sent"]
    smax = int(sent.max()) + 1 if len(sent) else 1
    key = (dcode.astype(np.int64) * smax + sent) * k + h["f"]
    uk, inv = np.unique(key, return_inverse=True)
    nk = len(uk)

    def total(x):
        return np.bincount(inv, weights=x, minlength=nk)[:nk] if nk else np.zeros(0)

    n_cues = total(w)
    return {
        "doc": np.asarray(duni, dtype=object)[uk // k // smax]
        if nk
        else np.array([], dtype=object),
        "sent": (uk // k) % smax,
        "f": uk % k,
        "n_cues": n_cues,
        "n_hits": total(np.ones(len(w))).astype(np.int64),
        "n_author": total(np.where(v == "author", w, 0.0)),
        "n_quoted": total(np.where(v == "quoted", w, 0.0)),
        "n_reported": total(np.where(v == "reported", w, 0.0)),
        "coded": n_cues >= sentence_min_cues,
    }


def sentence_frames(
    matches: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    *,
    scheme: str,
    sentence_min_cues: float = 1.0,
    dense: bool = False,
    actor_cues: str = "exclude",
) -> pd.DataFrame:
    """Frame cue counts per sentence.

    Parameters
    ----------
    matches : DataFrame
        The ``matches`` table (any lexicons; rows of other lexicons are ignored).
    sentences : DataFrame, optional
        The ``sentences`` table; required when ``dense=True``.
    scheme : str
        ``"policy"`` or ``"generic"``.
    sentence_min_cues : float
        A sentence is *coded* for a frame when its cue weight reaches this value.
    dense : bool
        Return every sentence x frame (zeros included) instead of only rows with cues.
    actor_cues : {"exclude", "down-weight", "count"}
        How named-actor cues (countries, capitals, organisations) count (see :func:`doc_frames`).

    Returns
    -------
    DataFrame
        doc_id, sent_id, scheme, frame (Categorical in lexicon order), n_cues (sum of
        weights), n_hits (matches), n_author, n_quoted, n_reported (weight by voice),
        coded (bool).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 0], "lexicon": ["generic"] * 2,
    ...                   "category": ["conflict", "conflict"], "voice": ["author", "quoted"],
    ...                   "weight": [1.0, 1.0]})
    >>> sf = sentence_frames(m, scheme="generic")
    >>> sf[["frame", "n_cues", "n_author", "n_quoted"]].to_dict("records")
    [{'frame': 'conflict', 'n_cues': 2.0, 'n_author': 1.0, 'n_quoted': 1.0}]
    """
    frames = scheme_frames(scheme)
    if sentence_min_cues <= 0:
        raise ValueError("sentence_min_cues must be > 0 (a sentence needs a cue to be coded)")
    core = sentence_core(
        scheme_hits(matches, scheme, check_actor_cues(actor_cues)), len(frames), sentence_min_cues
    )
    return sentence_table(
        core, scheme, sentences=sentences, dense=dense, sentence_min_cues=sentence_min_cues
    )


def sentence_table(core, scheme, *, sentences=None, dense=False, sentence_min_cues=1.0):
    frames = scheme_frames(scheme)
    k = len(frames)
    doc, sent, f = core["doc"], core["sent"], core["f"]
    cols = {c: core[c] for c in _SENT_COUNT_COLS}
    if dense:
        if sentences is None:
            raise ValueError("dense=True needs the sentences table (pass sentences=...)")
        require(sentences, "sentences", ("doc_id", "sent_id"))
        sdoc = as_str_array(sentences["doc_id"])
        ssent = sentences["sent_id"].to_numpy(dtype=np.int64)
        order = np.lexsort((ssent, sdoc))
        sdoc, ssent = sdoc[order], ssent[order]
        gdoc, gsent = np.repeat(sdoc, k), np.repeat(ssent, k)
        gf = np.tile(np.arange(k), len(sdoc))
        lookup = (
            pd.Series(np.arange(len(doc)), index=pd.MultiIndex.from_arrays([doc, sent, f]))
            if len(doc)
            else None
        )
        pos = (
            lookup.reindex(pd.MultiIndex.from_arrays([gdoc, gsent, gf])).to_numpy()
            if lookup is not None
            else np.full(len(gdoc), np.nan)
        )
        hit = ~np.isnan(pos)
        pi = np.where(hit, pos, 0).astype(np.int64)
        cols = {c: np.where(hit, v[pi] if len(v) else 0, 0) for c, v in cols.items()}
        doc, sent, f = gdoc, gsent, gf
    n_cues = np.asarray(cols["n_cues"], dtype=float)
    return pd.DataFrame(
        {
            "doc_id": pd.array(doc, dtype="string"),
            "sent_id": np.asarray(sent, dtype=np.int32),
            "scheme": pd.Categorical.from_codes(
                np.full(len(doc), SCHEMES.index(scheme)), categories=list(SCHEMES)
            ),
            "frame": pd.Categorical.from_codes(
                np.asarray(f, dtype=np.int64), categories=list(frames)
            ),
            "n_cues": n_cues,
            "n_hits": np.asarray(cols["n_hits"], dtype=np.int64),
            "n_author": np.asarray(cols["n_author"], dtype=float),
            "n_quoted": np.asarray(cols["n_quoted"], dtype=float),
            "n_reported": np.asarray(cols["n_reported"], dtype=float),
            "coded": n_cues >= sentence_min_cues,
        }
    )
