"""The neutrality pipeline step."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core import schema
from framelens.core.resources import data_path

from ..registry import Option, register_step
from .attributions import attribution
from .bias import sentence_bias
from .cues import cue_rates
from .discourse import neutrality_statements
from .profile import neutrality_profile
from .sentiment_by_voice import sentence_voice, voice_sentiment
from .sourcing import sources
from .voice import voice_pieces

log = logging.getLogger(__name__)

OPTIONS = (
    Option(
        "bias_model",
        (str, Path, Mapping),
        "default",
        'sentence-bias model: "default" (the shipped fit), "formula" or a JSON model path',
    ),
    Option("bias_variant", str, None, 'model variant ("cues", "cues+vader"); None: default'),
    Option("bias_threshold", float, None, "flagging threshold; None: the model's own"),
    Option("camp_map", Mapping, None, "actor code -> camp name, for the sources table"),
    Option("sentiment", bool, True, "use the sentiment table when present"),
)


def _resources(options: Mapping[str, Any]) -> dict[str, Path]:
    model = options["bias_model"]
    if isinstance(model, Mapping) or str(model) == "formula":
        return {}
    return {"bias_model": data_path("bias_model.json") if model == "default" else Path(model)}


@register_step(
    "neutrality",
    requires=("sentences", "segments", "quotes", "matches"),
    provides=(
        "cue_rates",
        "attribution",
        "sources",
        "neutrality_statements",
        "voice_sentiment",
        "sentence_bias",
        "neutrality_profile",
    ),
    options=OPTIONS,
    resources=_resources,
)
def step(
    tables: Mapping[str, pd.DataFrame],
    *,
    bias_model: str | Path | Mapping,
    bias_variant: str | None,
    bias_threshold: float | None,
    camp_map: Mapping[str, str] | None,
    sentiment: bool,
) -> dict[str, pd.DataFrame]:
    """The pipeline step ``neutrality``: all tables of this module for one batch.

    Options and their defaults are :data:`OPTIONS` (registered step ``neutrality``);
    the registry resolves them before this function runs.

    Parameters
    ----------
    tables : mapping of DataFrame
        ``sentences``, ``segments``, ``quotes``, ``matches`` (with the ``bias_cues`` and
        ``neutrality_discourse`` lexicons), optionally ``sentiment`` and ``docs``.
    bias_model, bias_variant, bias_threshold, camp_map, sentiment
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
    sent = tables.get("sentences")
    if sent is None:
        raise ValueError("neutrality.step needs the 'sentences' table (run text.process first)")
    seg = tables.get("segments")
    matches = tables.get("matches")
    quotes = tables.get("quotes")
    senti = tables.get("sentiment") if sentiment else None
    if senti is not None and len(senti) == 0:
        senti = None
    out: dict[str, pd.DataFrame] = {}
    # the sentence x voice pieces and each sentence's voice, computed once for the step
    pieces = voice_pieces(sent, seg)
    # the sentences' word counts: the text layer's n_words (count_words of each sentence's
    # text, core.schema), not counted again for the bias features
    words = None
    if "n_words" in sent.columns and not sent["n_words"].isna().any():
        words = sent["n_words"].to_numpy("int64")
    voice = sentence_voice(sent, seg, pieces=pieces)
    out["cue_rates"] = cue_rates(matches, sent, seg, pieces=pieces)
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
        out["voice_sentiment"] = voice_sentiment(senti, sent, seg, voice=voice)
    out["sentence_bias"] = sentence_bias(
        matches,
        sent,
        seg,
        senti,
        model=bias_model,
        variant=bias_variant,
        threshold=bias_threshold,
        voice=voice,
        tokens=words,
    )
    prof_in = dict(tables)
    prof_in.update(out)
    prof_in["quotes"] = quotes
    out["neutrality_profile"] = neutrality_profile(prof_in, camp_map=camp_map)
    return out
