"""Explicit neutrality statements and who makes them."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from framelens.core.normalize import fold
from framelens.core.schema import VOICES
from framelens.core.tokens import WORD_RE

from .attributions import speaker
from .common import (
    AUTHOR,
    CONTRAST_RE,
    CORE_DISCOURSE,
    DISCOURSE_CATEGORIES,
    DISCOURSE_LEXICON,
    DISTANCING_RE,
    NEGATION_RE,
    UNATTRIBUTED,
    as_categorical,
    as_str_array,
    need_columns,
)
from .cues import lexicon_matches

log = logging.getLogger(__name__)


def _segment_of(m: pd.DataFrame, segments: pd.DataFrame | None) -> np.ndarray:
    """quote_id (float, NaN for author voice) of the segment containing each match start."""
    out = np.full(len(m), np.nan)
    if segments is None or len(segments) == 0 or len(m) == 0 or "quote_id" not in segments:
        return out
    seg = pd.DataFrame(
        {
            "doc_id": as_str_array(segments["doc_id"]),
            "start": segments["start"].to_numpy("int64"),
            "seg_end": segments["end"].to_numpy("int64"),
            "quote_id": pd.to_numeric(segments["quote_id"], errors="coerce")
            .astype("float64")
            .to_numpy(),
        }
    ).sort_values("start")
    left = pd.DataFrame(
        {
            "doc_id": m["doc_id"].to_numpy(),
            "start": m["start"].to_numpy("int64"),
            "_i": np.arange(len(m)),
        }
    ).sort_values("start")
    j = pd.merge_asof(left, seg, on="start", by="doc_id", direction="backward")
    ok = j["seg_end"].notna() & (j["start"] < j["seg_end"])
    out[j["_i"].to_numpy()] = np.where(ok, j["quote_id"].to_numpy("float64"), np.nan)
    return out


def neutrality_statements(
    matches: pd.DataFrame,
    sentences: pd.DataFrame,
    quotes: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    *,
    lexicon: str = DISCOURSE_LEXICON,
    core_only: bool = False,
) -> pd.DataFrame:
    """Sentences that talk about neutrality, who says it, and whether it is asserted.

    One row per (sentence, voice, quote) with at least one ``neutrality_discourse``
    match. ``speaker`` is the quote's speaker for quoted/reported voice and
    ``"(author)"`` for the author's voice. ``stance`` is decided by transparent rules,
    in this order:

    - ``questioned``: a ``questioning`` phrase ("so-called neutrality", "not
      neutral", "sitting on the fence" ...), or in the four words before a
      ``neutrality``/``balance``/``asserting`` term a negation (not, no, never, hardly,
      far from, no longer ...; ``negated``) or a distancing modifier (so-called,
      alleged, supposed, professed, nominal ...; ``distanced``);
    - ``qualified``: a contrast or concession marker (but, however, although, despite,
      yet, while ...) anywhere in the sentence;
    - ``asserted``: otherwise.

    ``core`` is True when the row has a ``neutrality``, ``asserting`` or
    ``questioning`` match (talk about neutrality as such, not only about balance,
    sovereignty, diplomacy or non-participation).

    Parameters
    ----------
    matches, sentences : DataFrame
    quotes, segments : DataFrame, optional
        To name the speakers of quoted/reported statements.
    lexicon : str
    core_only : bool
        Keep only ``core`` rows.

    Returns
    -------
    DataFrame
        see the module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [28],
    ...                   "text": ["Serbia is not neutral at all."]})
    >>> m = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [10], "end": [21],
    ...                   "lexicon": ["neutrality_discourse"], "category": ["questioning"],
    ...                   "term": ["not neutral"], "voice": ["author"], "weight": [1.0]})
    >>> neutrality_statements(m, s)["stance"].tolist()
    ['questioned']
    """
    # long: one pass over the discourse matches: negation, distancing, contrast and stance from the
    # same window
    cols = (
        [
            "doc_id",
            "sent_id",
            "start",
            "end",
            "voice",
            "quote_id",
            "speaker",
            "speaker_actor",
            "terms",
        ]
        + [f"n_{c}" for c in DISCOURSE_CATEGORIES]
        + ["core", "negated", "distanced", "contrast", "stance", "text"]
    )
    m = lexicon_matches(matches, lexicon)
    if len(m) == 0:
        out = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
        out["stance"] = as_categorical([], ("asserted", "qualified", "questioned"))
        return out
    need_columns(sentences, ("doc_id", "sent_id", "start", "end", "text"), "sentences")
    s = pd.DataFrame(
        {
            "doc_id": as_str_array(sentences["doc_id"]),
            "sent_id": sentences["sent_id"].to_numpy("int64"),
            "s_start": sentences["start"].to_numpy("int64"),
            "s_end": sentences["end"].to_numpy("int64"),
            "text": as_str_array(sentences["text"]),
        }
    )
    m = m.merge(s, on=["doc_id", "sent_id"], how="left")
    m["quote_id"] = _segment_of(m, segments)
    # negation in the 4 words before neutrality / asserting terms (folded text)
    neg = np.zeros(len(m), dtype=bool)
    dist = np.zeros(len(m), dtype=bool)
    chk = m["category"].isin(["neutrality", "balance", "asserting"]).to_numpy()
    texts = m["text"].tolist()
    rel = (m["start"] - m["s_start"]).to_numpy()
    for i in np.flatnonzero(chk):
        t = texts[i] or ""
        before = fold(t[: max(int(rel[i]), 0)])
        window = " ".join(WORD_RE.findall(before.replace("n't", " not"))[-4:])
        neg[i] = bool(NEGATION_RE.search(window))
        dist[i] = bool(DISTANCING_RE.search(window))
    m["_neg"] = neg
    m["_dist"] = dist
    # the words as written (a regex pattern's term is the regex itself)
    ends = (m["end"] - m["s_start"]).to_numpy()
    m["surface"] = [
        (t or "")[max(int(a), 0) : int(b)].lower()
        for t, a, b in zip(texts, rel.tolist(), ends.tolist())
    ]
    m["quote_key"] = m["quote_id"].fillna(-1).astype("int64")
    keys = ["doc_id", "sent_id", "voice", "quote_key"]
    agg = {
        "start": ("s_start", "first"),
        "end": ("s_end", "first"),
        "text": ("text", "first"),
        "negated": ("_neg", "any"),
        "distanced": ("_dist", "any"),
        "terms": ("surface", lambda x: "; ".join(dict.fromkeys(x))),
    }
    out = m.groupby(keys, sort=True).agg(**agg).reset_index()
    cnt = (
        m.groupby(keys + ["category"], sort=False)
        .size()
        .unstack("category", fill_value=0)
        .reindex(columns=list(DISCOURSE_CATEGORIES), fill_value=0)
    )
    cnt.columns = [f"n_{c}" for c in cnt.columns]
    out = out.merge(cnt.reset_index(), on=keys, how="left")
    out["core"] = out[[f"n_{c}" for c in CORE_DISCOURSE]].sum(axis=1) > 0
    folded = [fold(t) for t in out["text"].tolist()]
    out["contrast"] = np.fromiter(
        (bool(CONTRAST_RE.search(t)) for t in folded), dtype=bool, count=len(folded)
    )
    questioned = (out["n_questioning"] > 0) | out["negated"] | out["distanced"]
    out["stance"] = as_categorical(
        np.where(questioned, "questioned", np.where(out["contrast"], "qualified", "asserted")),
        ("asserted", "qualified", "questioned"),
    )
    out["quote_id"] = out["quote_key"].where(out["quote_key"] >= 0).astype("Int64")
    spk = np.full(len(out), AUTHOR, dtype=object)
    act = np.full(len(out), "", dtype=object)
    if quotes is not None and len(quotes) and "quote_id" in quotes.columns:
        qq = pd.DataFrame(
            {
                "doc_id": as_str_array(quotes["doc_id"]),
                "quote_key": pd.to_numeric(quotes["quote_id"]).astype("int64"),
                "speaker": speaker(quotes),
                "_actor": (
                    as_str_array(quotes["speaker_actor"])
                    if "speaker_actor" in quotes.columns
                    else ""
                ),
            }
        )
        j = out[["doc_id", "quote_key"]].merge(qq, on=["doc_id", "quote_key"], how="left")
        has = out["quote_key"].to_numpy() >= 0
        spk = np.where(has, j["speaker"].fillna(UNATTRIBUTED).to_numpy(), spk)
        act = np.where(has, j["_actor"].fillna("").to_numpy(), act)
    else:
        spk = np.where(out["voice"].to_numpy() == "author", AUTHOR, UNATTRIBUTED)
    out["speaker"] = spk
    out["speaker_actor"] = act
    out["voice"] = as_categorical(out["voice"], VOICES)
    if core_only:
        out = out[out["core"]]
    return out[cols].reset_index(drop=True)
