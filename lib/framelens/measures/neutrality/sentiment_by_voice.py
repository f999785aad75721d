"""Sentence sentiment split by voice."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from framelens.core.schema import VOICES

from .common import (
    as_categorical,
    as_str_array,
    need_columns,
)
from .voice import voice_pieces

log = logging.getLogger(__name__)


def sentence_voice(
    sentences: pd.DataFrame, segments: pd.DataFrame | None, *, pieces: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Dominant voice of each sentence (the voice covering most of its characters; ties
    go to author, then quoted) and the author's share of its characters.

    ``pieces``: :func:`voice_pieces` of the same tables, when the caller has them.

    Returns
    -------
    DataFrame
        ``doc_id, sent_id, voice, author_share``.
    """
    p = voice_pieces(sentences, segments) if pieces is None else pieces
    c = (
        p.groupby(["doc_id", "sent_id", "voice"], sort=False)["chars"]
        .sum()
        .unstack("voice", fill_value=0)
        .reindex(columns=list(VOICES), fill_value=0)
    )
    arr = c.to_numpy("float64")
    dom = np.array(VOICES, dtype=object)[np.argmax(arr, axis=1)] if len(c) else np.array([])
    tot = arr.sum(axis=1) if len(c) else np.array([])
    with np.errstate(divide="ignore", invalid="ignore"):
        ash = np.where(tot > 0, arr[:, 0] / tot, np.nan) if len(c) else np.array([])
    out = c.reset_index()[["doc_id", "sent_id"]]
    out["voice"] = dom
    out["author_share"] = ash
    return out


def voice_sentiment(
    sentiment: pd.DataFrame,
    sentences: pd.DataFrame,
    segments: pd.DataFrame | None,
    *,
    voice: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sentence sentiment aggregated per document and (dominant) voice.

    Each sentence counts in its dominant voice (:func:`sentence_voice`);
    ``compound_mean`` is the mean VADER compound, ``share_positive`` /
    ``share_negative`` the shares of sentences at or beyond VADER's +-0.05 thresholds.

    Returns
    -------
    DataFrame
        ``doc_id, voice, n_sentences, compound_mean, share_positive, share_negative``.
        ``voice``: :func:`sentence_voice` of the same tables, when the caller has it.
    """
    need_columns(sentiment, ("doc_id", "sent_id", "compound"), "sentiment")
    v = sentence_voice(sentences, segments) if voice is None else voice
    s = pd.DataFrame(
        {
            "doc_id": as_str_array(sentiment["doc_id"]),
            "sent_id": sentiment["sent_id"].to_numpy("int64"),
            "compound": sentiment["compound"].to_numpy("float64"),
        }
    )
    s = s.merge(v[["doc_id", "sent_id", "voice"]], on=["doc_id", "sent_id"], how="left")
    s["voice"] = s["voice"].fillna("author")
    s["_pos"] = s["compound"] >= 0.05
    s["_neg"] = s["compound"] <= -0.05
    out = (
        s.groupby(["doc_id", "voice"], sort=True)
        .agg(
            n_sentences=("compound", "size"),
            compound_mean=("compound", "mean"),
            share_positive=("_pos", "mean"),
            share_negative=("_neg", "mean"),
        )
        .reset_index()
    )
    out["voice"] = as_categorical(out["voice"], VOICES)
    return out
