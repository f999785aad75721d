"""Words per voice (author / quoted / reported) per sentence."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from framelens.core.tokens import count_words

from .common import (
    as_str_array,
    need_columns,
)

log = logging.getLogger(__name__)


def voice_pieces(sentences: pd.DataFrame, segments: pd.DataFrame | None) -> pd.DataFrame:
    """Intersections of sentences with voice segments (doc_id, sent_id, voice,
    quote_id, lo, hi, piece text)."""
    # long: cuts sentences at segment boundaries with vectorised searchsorted over both tables
    s = need_columns(sentences, ("doc_id", "sent_id", "start", "end", "text"), "sentences")
    s = pd.DataFrame(
        {
            "doc_id": as_str_array(s["doc_id"]),
            "sent_id": s["sent_id"].to_numpy("int64"),
            "start": s["start"].to_numpy("int64"),
            "end": s["end"].to_numpy("int64"),
            "text": as_str_array(s["text"]),
        }
    )
    if segments is None or len(segments) == 0:
        seg = pd.DataFrame(
            {
                "doc_id": pd.Series([], dtype=object),
                "seg_start": pd.Series([], dtype="int64"),
                "seg_end": pd.Series([], dtype="int64"),
                "voice": pd.Series([], dtype=object),
                "quote_id": pd.Series([], dtype="float64"),
            }
        )
    else:
        g = need_columns(segments, ("doc_id", "start", "end", "voice"), "segments")
        qid = g["quote_id"] if "quote_id" in g.columns else pd.Series(np.nan, index=g.index)
        seg = pd.DataFrame(
            {
                "doc_id": as_str_array(g["doc_id"]),
                "seg_start": g["start"].to_numpy("int64"),
                "seg_end": g["end"].to_numpy("int64"),
                "voice": as_str_array(g["voice"]),
                "quote_id": pd.to_numeric(qid, errors="coerce").astype("float64").to_numpy(),
            }
        )
    # Vectorised interval intersection: segments partition each document, so with a
    # combined key (document code x stride + offset) the segments overlapping a
    # sentence are a contiguous run found with searchsorted.
    covered = pd.Index(pd.unique(seg["doc_id"]))
    code_s = covered.get_indexer(s["doc_id"])
    has = code_s >= 0
    parts = []
    if has.any() and len(seg):
        stride = int(max(seg["seg_end"].max(), s["end"].max())) + 1
        seg = seg.assign(_code=covered.get_indexer(seg["doc_id"])).sort_values(
            ["_code", "seg_start"]
        )
        skey = seg["_code"].to_numpy("int64") * stride + seg["seg_start"].to_numpy("int64")
        sh = s[has]
        base = code_s[has].astype("int64") * stride
        st = sh["start"].to_numpy("int64")
        en = sh["end"].to_numpy("int64")
        j0 = np.searchsorted(skey, base + st, side="right") - 1
        j1 = np.searchsorted(skey, base + np.maximum(en - 1, st), side="right") - 1
        j0 = np.maximum(j0, 0)
        cnt = np.maximum(j1 - j0 + 1, 1)
        rep = np.repeat(np.arange(len(sh)), cnt)
        within = np.arange(len(rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        j = j0[rep] + within
        seg_start = seg["seg_start"].to_numpy("int64")[j]
        seg_end = seg["seg_end"].to_numpy("int64")[j]
        lo = np.maximum(st[rep], seg_start)
        hi = np.minimum(en[rep], seg_end)
        keep = (hi > lo) & (seg["_code"].to_numpy("int64")[j] == code_s[has][rep])
        parts.append(
            pd.DataFrame(
                {
                    "doc_id": sh["doc_id"].to_numpy()[rep][keep],
                    "sent_id": sh["sent_id"].to_numpy()[rep][keep],
                    "voice": seg["voice"].to_numpy()[j][keep],
                    "quote_id": seg["quote_id"].to_numpy()[j][keep],
                    "lo": lo[keep],
                    "hi": hi[keep],
                    "start": st[rep][keep],
                    "text": sh["text"].to_numpy()[rep][keep],
                }
            )
        )
    rest = s[~has]  # documents without segments: everything is the author's voice
    if len(rest) or not parts:
        parts.append(
            pd.DataFrame(
                {
                    "doc_id": rest["doc_id"].to_numpy(),
                    "sent_id": rest["sent_id"].to_numpy(),
                    "voice": "author",
                    "quote_id": np.nan,
                    "lo": rest["start"].to_numpy(),
                    "hi": rest["end"].to_numpy(),
                    "start": rest["start"].to_numpy(),
                    "text": rest["text"].to_numpy(),
                }
            )
        )
    p = pd.concat(parts, ignore_index=True)
    rel_lo = (p["lo"] - p["start"]).to_numpy()
    rel_hi = (p["hi"] - p["start"]).to_numpy()
    texts = p["text"].tolist()
    p["piece"] = [t[a:b] for t, a, b in zip(texts, rel_lo.tolist(), rel_hi.tolist())]
    p["chars"] = p["hi"] - p["lo"]
    return p.drop(columns=["text", "start"])


def voice_tokens(
    sentences: pd.DataFrame,
    segments: pd.DataFrame | None,
    *,
    level: str = "sentence",
    pieces: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Words per voice (:func:`framelens.core.tokens.count_words`), per sentence or document.

    Each sentence is cut at the boundaries of the voice ``segments`` (a partition of
    the document's characters); the words (:data:`framelens.core.tokens.WORD_RE`) of every piece are
    counted in the piece's voice. A word cut by a segment boundary counts in each
    piece it touches (rare: segments end at quotation marks). Documents without
    segments are entirely in the author's voice.

    Parameters
    ----------
    sentences, segments : DataFrame
        framelens tables (``segments`` may be None).
    level : {"sentence", "doc"}, keyword-only
    pieces : DataFrame, optional
        :func:`voice_pieces` of the same tables, when the caller has them.

    Returns
    -------
    DataFrame
        ``doc_id, [sent_id,] voice, tokens, chars`` (only voices that occur).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [22],
    ...                   "text": ['He said "we are neutral"']})
    >>> g = pd.DataFrame({"doc_id": ["d"] * 3, "start": [0, 9, 23], "end": [9, 23, 24],
    ...                   "voice": ["author", "quoted", "author"], "quote_id": [None, 0, None]})
    >>> voice_tokens(s, g)[["voice", "tokens"]].values.tolist()
    [['author', 2], ['quoted', 3]]
    """
    if level not in ("sentence", "doc"):
        raise ValueError(f"level must be 'sentence' or 'doc', not {level!r}")
    p = voice_pieces(sentences, segments) if pieces is None else pieces
    p = p.assign(tokens=count_words(p["piece"].tolist()))
    keys = ["doc_id", "sent_id", "voice"] if level == "sentence" else ["doc_id", "voice"]
    out = p.groupby(keys, sort=True, observed=True)[["tokens", "chars"]].sum().reset_index()
    return out
