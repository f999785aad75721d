"""The text layer in one call: sentences, quotes, segments and problems for a batch."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from framelens.errors import ConfigError

from .attribution import analyse_docs, gc_paused
from .attribution_layer import model_rows, rows_frame
from .attribution_model import load_model
from .quotations import problem_frame, quote_frame
from .refine import refine_rows
from .segmentation import sentence_frame
from .tables import as_docs
from .voice import segment_frame, voice_of

log = logging.getLogger(__name__)


def process(
    docs, *, verbs: str | Path | None = None, attribution: str = "rules", model=None
) -> dict[str, pd.DataFrame]:
    """Run the whole text layer over a batch of documents.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        As for :func:`sentences`; a ``source`` column, when present, names the origin
        in problem rows.
    verbs : path, optional, keyword-only
        Another reporting-verb lexicon (same YAML format and classes as the built-in
        ``lexicons/reporting_verbs.yaml``).
    attribution : {"rules", "model"}, keyword-only
        ``"rules"`` (default of this function; ``framelens analyze`` uses
        ``Config.attribution``, the model by default): the rule layer. ``"model"``: the
        learned attribution model where a sentence has a reporting cue or a quotation
        mark (and one sentence around it), the rules elsewhere; quotes gain
        ``attribution``, ``speaker_id``, ``speaker_type`` and ``content_frags`` (see
        :mod:`framelens.text.attribution_layer`), in the rule layer's conventions
        (:mod:`framelens.text.refine`: content edges, phrasal verbs, nested speech).
    model : path, optional, keyword-only
        Weights for ``attribution="model"`` (default: the shipped ones).

    Returns
    -------
    dict of DataFrame
        ``sentences``, ``quotes``, ``segments`` and ``problems`` (``unmatched_quote``
        warnings with the mark's offset), each with the columns of
        :mod:`framelens.core.schema`.

    Notes
    -----
    The cyclic garbage collector is paused while the batch is analysed (the analysis
    makes no reference cycles) and restored afterwards. A lexicon file given as
    ``verbs`` is read once per path and process (cached).

    Examples
    --------
    >>> out = process('The war ended in 1944". Then "peace".')
    >>> out["problems"]["code"].astype(str).tolist(), len(out["quotes"])
    (['unmatched_quote'], 1)
    """
    if verbs is not None and not isinstance(verbs, (str, Path)):
        raise TypeError(f"verbs must be a path to a YAML lexicon or None, got {verbs!r}")
    if attribution not in ("rules", "model"):
        raise ConfigError(f"attribution must be 'rules' or 'model', got {attribution!r}")
    ids, texts, sources = as_docs(docs)
    with gc_paused():
        return _process(
            ids, texts, sources, None if verbs is None else str(verbs), attribution, model
        )


def _voice_segments(ids, texts, quotes):
    """Voice segments of a quotes table with attribution kinds (``voice_of``)."""
    by: dict = {}
    att = quotes["attribution"].astype(object).where(quotes["attribution"].notna(), None)
    for did, s, e, k, a, qid in zip(
        quotes["doc_id"],
        quotes["start"],
        quotes["end"],
        quotes["kind"].astype(str),
        att,
        quotes["quote_id"],
    ):
        v = voice_of(k, a)
        if v is not None:
            by.setdefault(did, []).append((int(s), int(e), v, int(qid)))
    return segment_frame(ids, texts, [by.get(d, []) for d in ids])


def _process(ids, texts, sources, verb_path, attribution="rules", model=None):
    all_sents, analyses = analyse_docs(ids, texts, sources, verb_path)
    q = quote_frame(ids, texts, analyses)
    if attribution == "model":
        # the tables of attribution_layer.model_layer, but its voice segments are made
        # once, from the refined quotes; person mentions are found once per document
        # (refine_quotes reads the model's rows before a table is built of them)
        memo: dict = {}
        rows = model_rows(ids, texts, all_sents, q, load_model(model), mentions=memo)
        sentences = sentence_frame(ids, texts, all_sents)
        empty = rows_frame([])
        cols, dtypes = list(empty.columns), dict(empty.dtypes)
        if rows:
            quotes = refine_rows(
                ids, texts, rows, q, cols, dtypes, sentences=sentences, mentions=memo
            )
        else:
            quotes = empty
        return {
            "sentences": sentences,
            "quotes": quotes,
            "segments": _voice_segments(ids, texts, quotes),
            "problems": problem_frame(ids, texts, sources, analyses),
        }
    spans_per_doc = []
    for an in analyses:
        rows = [(q_.open + 1, q_.close, "quoted") for q_ in an.quotes]
        rows += [(r.clause[0], r.clause[1], "reported") for r in an.reports if r.clause is not None]
        rows.sort(key=lambda x: (x[0], -x[1]))
        spans_per_doc.append([(s, e, v, qid) for qid, (s, e, v) in enumerate(rows)])
    out = {
        "sentences": sentence_frame(ids, texts, all_sents),
        "quotes": q,
        "segments": segment_frame(ids, texts, spans_per_doc),
        "problems": problem_frame(ids, texts, sources, analyses),
    }
    log.debug(
        "text.process: %d docs -> %d sentences, %d quotes, %d problems",
        len(ids),
        len(out["sentences"]),
        len(q),
        len(out["problems"]),
    )
    return out
