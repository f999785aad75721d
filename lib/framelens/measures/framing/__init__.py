"""Frame analysis: cue counts, document frame scores, presence, primary frame, diversity,
and corpus comparisons (chi-square with residuals, frames over time, keyness, KWIC).

A *scheme* is a frame lexicon: ``"policy"`` (the 15 Policy Frames Codebook dimensions,
keyed by the SemEval-2023 labels plus ``Other``) or ``"generic"`` (Semetko &
Valkenburg's five generic news frames). Lexicon hits (the ``matches`` table of
:mod:`framelens.lexicon`) are the cues; everything here is counting and arithmetic over
them, so every number can be traced back to highlighted spans of the source text.
Definitions, formulas, thresholds and their limits: docs/methods/framing.md.

Tables returned by :func:`step` (and by the functions of the same names)
-----------------------------------------------------------------------
``frame_sentences`` - one row per (doc_id, sent_id, scheme, frame) with at least one cue
    (sparse; ``dense=True`` gives every sentence x frame): ``n_cues`` (sum of cue
    weights), ``n_hits`` (number of cue matches), ``n_author``, ``n_quoted``,
    ``n_reported`` (cue weight by voice), ``coded`` (``n_cues >= sentence_min_cues``).
``frame_docs`` - one row per (doc_id, scheme, frame), every frame present even at zero:
    ``n_words`` (words, :mod:`framelens.core.tokens`), ``n_cues``, ``n_hits``,
    ``n_author``, ``n_quoted``, ``n_reported``, ``rate`` (cues per 1,000 words),
    ``n_sentences`` (frame-coded sentences),
    ``share`` (frame-coded sentences / sentences), ``weighted`` (cue weight with the
    headline and lead up-weighted), ``score`` (``weighted`` / the document's total
    ``weighted``: the frame profile, summing to 1 over frames when there are cues),
    ``present`` (multi-label presence from the thresholds), ``primary`` (the frame is
    the document's primary frame).
``frame_summary`` - one row per (doc_id, scheme): ``n_words``, ``n_sentences``,
    ``n_cues``, ``n_present``, ``frames_present`` (``";"``-joined), ``primary_frame``
    (``"none"`` when the document has no cue), ``primary_score``, ``diversity``
    (normalised Shannon entropy of the cue distribution over frames, 0..1).

Corpus-level functions (over saved tables, called from notebooks):
:func:`frame_by_group`, :func:`frames_over_time`, :func:`keyness`, :func:`kwic`.

Examples
--------
>>> import pandas as pd
>>> from framelens.measures import framing
>>> sents = pd.DataFrame({"doc_id": ["d1"], "sent_id": [0], "para_id": [0],
...                       "start": [0], "end": [30], "text": ["Taxes rose and prices fell."],
...                       "n_words": [5]})
>>> m = pd.DataFrame({"doc_id": ["d1", "d1"], "sent_id": [0, 0], "start": [0, 15],
...                   "end": [5, 21], "lexicon": ["policy", "policy"],
...                   "category": ["Economic", "Economic"], "term": ["taxes", "prices"],
...                   "voice": ["author", "author"], "weight": [1.0, 1.0]})
>>> fd = framing.doc_frames(m, sents, scheme="policy", thresholds={"min_cues": 1})
>>> row = fd[fd.frame == "Economic"].iloc[0]
>>> float(row.n_cues), round(float(row.rate), 1), bool(row.present)
(2.0, 400.0, True)
"""

from __future__ import annotations

from framelens.core.tokens import WORD_PATTERN
from framelens.stats.contingency import GroupComparison, contingency_test
from framelens.stats.keyness import keyness
from framelens.stats.kwic import kwic

from .compare import frame_by_group, frames_over_time
from .documents import doc_frames, frame_diversity, frame_summary, primary_frame
from .helpers import cue_term_counts, cue_terms, rank_cue_terms
from .schemes import (
    ACTOR_CUE_MODES,
    ACTOR_DOWN_WEIGHT,
    FALLBACK_THRESHOLDS,
    NO_FRAME,
    SCHEMES,
    SchemeInfo,
    categories_hash,
    default_thresholds,
    scheme_frames,
    scheme_info,
)
from .sentences import sentence_frames
from .steps import step

__all__ = [
    "SCHEMES",
    "scheme_frames",
    "scheme_info",
    "default_thresholds",
    "sentence_frames",
    "doc_frames",
    "primary_frame",
    "frame_diversity",
    "frame_summary",
    "step",
    "frame_by_group",
    "GroupComparison",
    "contingency_test",
    "frames_over_time",
    "keyness",
    "kwic",
    "cue_terms",
    "cue_term_counts",
    "rank_cue_terms",
]
