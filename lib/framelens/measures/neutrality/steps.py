"""The neutrality pipeline step."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from framelens.core import schema

from .attributions import attribution
from .bias import sentence_bias
from .cues import cue_rates
from .discourse import neutrality_statements
from .profile import neutrality_profile
from .sentiment_by_voice import voice_sentiment
from .sourcing import sources

log = logging.getLogger(__name__)

_STEP_OPTIONS = {"bias_model", "bias_variant", "bias_threshold", "camp_map", "sentiment"}


def step(tables: Mapping[str, pd.DataFrame], **options: Any) -> dict[str, pd.DataFrame]:
    """The pipeline step ``neutrality``: all tables of this module for one batch.

    Parameters
    ----------
    tables : mapping of DataFrame
        ``sentences``, ``segments``, ``quotes``, ``matches`` (with the ``bias_cues`` and
        ``neutrality_discourse`` lexicons), optionally ``sentiment`` and ``docs``.
    **options
        ``bias_model`` ("default" | "formula" | path to a JSON model),
        ``bias_variant`` ("cues" | "cues+vader"), ``bias_threshold`` (flagging
        threshold, default the model's 0.5), ``camp_map`` (actor code -> camp),
        ``sentiment`` (False ignores the sentiment table even when present).

    Returns
    -------
    dict of DataFrame
        ``cue_rates``, ``attribution``, ``sources``, ``neutrality_statements``,
        ``sentence_bias``, ``neutrality_profile`` and, with sentiment,
        ``voice_sentiment`` (columns in the module docstring).
    """
    bad = set(options) - _STEP_OPTIONS
    if bad:
        raise ValueError(
            f"unknown neutrality option(s) {sorted(bad)}; known: {sorted(_STEP_OPTIONS)}"
        )
    sent = tables.get("sentences")
    if sent is None:
        raise ValueError("neutrality.step needs the 'sentences' table (run text.process first)")
    seg = tables.get("segments")
    matches = tables.get("matches")
    quotes = tables.get("quotes")
    senti = tables.get("sentiment") if options.get("sentiment", True) else None
    if senti is not None and len(senti) == 0:
        senti = None
    camp_map = options.get("camp_map")
    out: dict[str, pd.DataFrame] = {}
    out["cue_rates"] = cue_rates(matches, sent, seg)
    if quotes is None or len(quotes) == 0:
        quotes = schema.empty("quotes")
    out["attribution"] = attribution(quotes, by=("doc_id", "speaker"))
    docs = tables.get("docs")
    out["sources"] = sources(
        quotes,
        camp_map=camp_map,
        segments=seg,
        docs=docs if docs is not None and "text" in docs.columns else None,
    )
    out["neutrality_statements"] = neutrality_statements(matches, sent, quotes, seg)
    if senti is not None:
        out["voice_sentiment"] = voice_sentiment(senti, sent, seg)
    out["sentence_bias"] = sentence_bias(
        matches,
        sent,
        seg,
        senti,
        model=options.get("bias_model", "default"),
        variant=options.get("bias_variant"),
        threshold=options.get("bias_threshold"),
    )
    prof_in = dict(tables)
    prof_in.update(out)
    prof_in["quotes"] = quotes
    out["neutrality_profile"] = neutrality_profile(prof_in, camp_map=camp_map)
    return out
