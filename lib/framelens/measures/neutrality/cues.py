"""Cue rates per voice for the bias-cue and neutrality-discourse lexicons."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd

from framelens.core.schema import VOICES
from framelens.core.tokens import RATE_PER

from .common import (
    BIAS_LEXICON,
    CUE_CATEGORIES,
    as_categorical,
    as_str_array,
    need_columns,
)
from .voice import voice_tokens

log = logging.getLogger(__name__)


def lexicon_matches(matches: pd.DataFrame | None, lexicon: str) -> pd.DataFrame:
    if matches is None or len(matches) == 0:
        return pd.DataFrame(
            {
                c: pd.Series([], dtype=object)
                for c in ("doc_id", "sent_id", "start", "end", "category", "term", "voice")
            }
        )
    need_columns(
        matches, ("doc_id", "sent_id", "start", "end", "lexicon", "category", "voice"), "matches"
    )
    keep = as_str_array(matches["lexicon"]) == lexicon
    # only the columns used here are filtered (the matches table has more)
    cols = ["doc_id", "sent_id", "start", "end", "category", "voice"]
    if "term" in matches.columns:
        cols.append("term")
    m = matches[cols][keep]
    return pd.DataFrame(
        {
            "doc_id": as_str_array(m["doc_id"]),
            "sent_id": m["sent_id"].to_numpy("int64"),
            "start": m["start"].to_numpy("int64"),
            "end": m["end"].to_numpy("int64"),
            "category": as_str_array(m["category"]),
            "term": as_str_array(m["term"]) if "term" in m.columns else "",
            "voice": as_str_array(m["voice"]),
        }
    )


def cue_rates(
    matches: pd.DataFrame,
    sentences: pd.DataFrame,
    segments: pd.DataFrame | None,
    *,
    by_voice: bool = True,
    level: str = "doc",
    lexicon: str = BIAS_LEXICON,
    categories: Iterable[str] | None = None,
    pieces: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Cue matches per 1,000 words, per document or sentence, split by voice.

    ``rate = 1000 * n / tokens`` where ``n`` counts the lexicon's matches of a category
    in that voice and ``tokens`` the words (:mod:`framelens.core.tokens`) of the text
    in that voice (see :func:`voice_tokens`). Every category is kept (n = 0). At
    document level all three voices are kept (rate NaN where a voice has no words); at
    sentence level only the voices present in the sentence.

    Parameters
    ----------
    matches, sentences, segments : DataFrame
    by_voice : bool, keyword-only
        False pools the voices (voice = "all").
    level : {"doc", "sentence"}
    lexicon : str
        Lexicon name in ``matches`` (default ``bias_cues``).
    categories : iterable of str, optional
        Categories to report (default :data:`CUE_CATEGORIES` for ``bias_cues``, else
        those found).
    pieces : DataFrame, optional
        ``voice_pieces`` of the same sentences and segments, when the caller has them.

    Returns
    -------
    DataFrame
        ``doc_id, [sent_id,] voice, category, n, tokens, rate``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [10],
    ...                   "text": ["a b c d e."]})
    >>> empty = pd.DataFrame(columns=["doc_id", "sent_id", "start", "end", "lexicon",
    ...                               "category", "term", "voice", "weight"])
    >>> int(cue_rates(empty, s, None, by_voice=False)["n"].sum())
    0
    """
    # long: numpydoc with the rate definition; the body is 39 lines
    if level not in ("doc", "sentence"):
        raise ValueError(f"level must be 'doc' or 'sentence', not {level!r}")
    m = lexicon_matches(matches, lexicon)
    if categories is None:
        categories = CUE_CATEGORIES if lexicon == BIAS_LEXICON else sorted(set(m["category"]))
    categories = list(categories)
    tok = voice_tokens(
        sentences, segments, level="sentence" if level == "sentence" else "doc", pieces=pieces
    )
    keys = ["doc_id", "sent_id"] if level == "sentence" else ["doc_id"]
    if not by_voice:
        tok = tok.groupby(keys, sort=True)[["tokens"]].sum().reset_index()
        tok["voice"] = "all"
        m = m.assign(voice="all")
        voices = ["all"]
    else:
        voices = list(VOICES)
    if level == "doc":
        docs = pd.unique(as_str_array(sentences["doc_id"]))
        grid = pd.MultiIndex.from_product([docs, voices], names=["doc_id", "voice"]).to_frame(
            index=False
        )
        tok = grid.merge(tok[["doc_id", "voice", "tokens"]], on=["doc_id", "voice"], how="left")
        tok["tokens"] = tok["tokens"].fillna(0).astype("int64")
    else:
        tok = tok[["doc_id", "sent_id", "voice", "tokens"]]
    kv = keys + ["voice"]
    cats = pd.DataFrame({"category": categories})
    grid = tok.merge(cats, how="cross")
    m = m[m["category"].isin(categories)]
    n = m.groupby(kv + ["category"], sort=False).size().rename("n").reset_index()
    out = grid.merge(n, on=kv + ["category"], how="left")
    out["n"] = out["n"].fillna(0).astype("int64")
    t = out["tokens"].to_numpy("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate"] = np.where(t > 0, RATE_PER * out["n"].to_numpy("float64") / t, np.nan)
    out = out[kv + ["category", "n", "tokens", "rate"]]
    vcat = voices if by_voice else ["all"]
    out["voice"] = as_categorical(out["voice"], vcat)
    out["category"] = as_categorical(out["category"], categories)
    return out.sort_values(kv + ["category"]).reset_index(drop=True)
