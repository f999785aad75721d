"""Neutrality language: voice-aware bias cues, attribution, sourcing, neutrality
discourse and a transparent sentence bias score.

Journalistic objectivity norms allow evaluation inside attributed quotations but not in
the author's own voice, so every measure here keeps the **voice** (``author``,
``quoted``, ``reported``; see docs/architecture.md) apart. All functions are pure:
DataFrames in, new DataFrames out. Definitions, formulas and limits are in
docs/methods/neutrality.md.

Tables returned by :func:`step` (the pipeline step ``neutrality``)
-------------------------------------------------------------------
``cue_rates``
    doc_id, voice (author/quoted/reported), category (the 8 ``bias_cues`` categories,
    all kept), n (cue matches), tokens (words in that voice, the unit of
    :mod:`framelens.core.tokens`), rate (n per 1,000 words; NaN when the voice has no
    words).
``attribution``
    doc_id, speaker, verb_class (neutral/endorsing/distancing/guilt_implying, all
    kept), n (reporting verbs of the class, each verb counted once even when a nested
    partial quote shares it), n_verbs, n_quotes, share (n / n_verbs).
``sources``
    doc_id, source (the person), affiliation (actor code), camp, n_quotes, n_verbs,
    quoted_words, share_words, n_neutral, n_endorsing, n_distancing, n_guilt_implying.
``neutrality_statements``
    doc_id, sent_id, start, end, voice, quote_id, speaker, speaker_actor, terms,
    n_neutrality, n_balance, n_sovereignty, n_diplomacy, n_non_participation,
    n_asserting, n_questioning, core, negated, distanced, contrast, stance
    (asserted/qualified/questioned), text.
``voice_sentiment`` (only when a ``sentiment`` table is present)
    doc_id, voice, n_sentences, compound_mean, share_positive, share_negative.
``sentence_bias``
    doc_id, sent_id, start, end, voice (dominant voice of the sentence), tokens (words),
    n_<category> for the 8 cue categories, n_author_cues, cue_density, n_exclaim,
    n_question, n_quote_marks, the model's features ``f_<name>``, contributions
    ``c_<name>`` (coefficient x standardised feature), intercept, logit, bias_score
    (logistic probability, cues of all voices), flagged, model, bias_score_author and
    flagged_author (the same model on the author-voice cues only).
``neutrality_profile``
    one row per document: words and word shares per voice, author cue rates per
    category, author_evaluative_rate, author_hedge_rate, verb-class shares, source and
    camp balance, dominant source share, neutrality-discourse counts, bias-score
    summaries and (when available) mean compound per voice.

Corpus-level summaries over the saved tables (used by notebooks/neutrality.ipynb):
:func:`group_cue_rates`, :func:`group_verb_mix`, :func:`group_sourcing`,
:func:`attribution_asymmetry`, :func:`source_balance` (notebook parameters are checked
by :func:`framelens.report.params.select`).

Examples
--------
>>> import pandas as pd
>>> from framelens.measures import neutrality
>>> sent = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [20],
...                      "text": ["It is clearly wrong."]})
>>> m = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [6], "end": [13],
...                   "lexicon": ["bias_cues"], "category": ["boosters"],
...                   "term": ["clearly"], "voice": ["author"], "weight": [1.0]})
>>> r = neutrality.cue_rates(m, sent, None)
>>> float(r.query("voice == 'author' and category == 'boosters'")["rate"].iloc[0])
250.0
"""

from __future__ import annotations

from framelens.core.schema import VERB_CLASSES, VOICES
from framelens.core.tokens import WORD_RE, count_words

from .attributions import attribution, attribution_asymmetry, source_key, verb_counted
from .bias import (
    CUE_FEATURES,
    FORMULA_SCALE,
    FORMULA_WEIGHTS,
    apply_bias_model,
    bias_features,
    load_bias_model,
    sentence_bias,
)
from .common import (
    AUTHOR,
    BIAS_LEXICON,
    CONTRAST_RE,
    CORE_DISCOURSE,
    CUE_CATEGORIES,
    DISCOURSE_CATEGORIES,
    DISCOURSE_LEXICON,
    DISTANCING_RE,
    EVALUATIVE,
    NEGATION_RE,
    UNATTRIBUTED,
)
from .cues import cue_rates
from .discourse import neutrality_statements
from .groups import combine_verb_mix, group_cue_rates, group_sourcing, group_verb_mix, with_group
from .profile import neutrality_profile
from .sentiment_by_voice import sentence_voice, voice_sentiment
from .sourcing import source_balance, sources
from .steps import step
from .voice import voice_tokens

__all__ = [
    "BIAS_LEXICON",
    "DISCOURSE_LEXICON",
    "CUE_CATEGORIES",
    "DISCOURSE_CATEGORIES",
    "VERB_CLASSES",
    "VOICES",
    "count_words",
    "voice_tokens",
    "cue_rates",
    "attribution",
    "attribution_asymmetry",
    "source_key",
    "verb_counted",
    "sources",
    "source_balance",
    "neutrality_statements",
    "voice_sentiment",
    "sentence_voice",
    "bias_features",
    "load_bias_model",
    "apply_bias_model",
    "sentence_bias",
    "neutrality_profile",
    "step",
    "group_cue_rates",
    "group_verb_mix",
    "combine_verb_mix",
    "group_sourcing",
    "EVALUATIVE",
    "CORE_DISCOURSE",
    "CUE_FEATURES",
    "FORMULA_WEIGHTS",
]
