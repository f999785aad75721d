"""Voice segments (author / quoted / reported): a partition of every text into voiced spans.

Spans are located in sentences and segments by :func:`framelens.core.spans.locate`
(re-exported as ``framelens.text.locate``).

Attribution kinds (:func:`voice_of`)
    A quotes table with an ``attribution`` column (the model path,
    ``process(attribution="model")``) splits reported voice by kind: ``speech`` and
    ``evidential`` attributions are reported voice; a ``cognition`` attribution
    ("Kim believes the law is unfair") is not: the words are the author's account of a
    mental state, no one is reported as saying them, so its clause stays author voice
    (quoted words inside it stay ``quoted``). Without the column (the rule layer) every
    indirect clause is reported voice, as before."""

from __future__ import annotations

import logging

import pandas as pd

from framelens.core import schema
from framelens.errors import TableError

from .segmentation import row_columns
from .tables import as_docs, table_frame

log = logging.getLogger(__name__)


def _doc_segments(
    n: int, spans: list[tuple[int, int, str, int]]
) -> list[tuple[int, int, str, int | None]]:
    """Partition [0, n) into voiced spans; quoted beats reported beats author, and
    among spans of one voice the innermost (latest start) wins. A sweep over the
    span boundaries with the (few) spans active at each point."""
    if n == 0:
        return []
    if not spans:
        return [(0, n, "author", None)]
    spans = sorted(spans)
    bounds = sorted(
        {
            0,
            n,
            *(min(max(s, 0), n) for s, _, _, _ in spans),
            *(min(max(e, 0), n) for _, e, _, _ in spans),
        }
    )
    out: list[tuple[int, int, str, int | None]] = []
    active: list[tuple[int, int, str, int]] = []
    k = 0
    for a, b in zip(bounds[:-1], bounds[1:]):
        while k < len(spans) and spans[k][0] <= a:
            active.append(spans[k])
            k += 1
        if active:
            active = [sp for sp in active if sp[1] > a]
        voice, qid = "author", None
        if active:
            best = active[0]
            for sp in active:  # quoted beats reported; then the latest start
                if (sp[2] == "quoted", sp[0]) > (best[2] == "quoted", best[0]):
                    best = sp
            voice, qid = best[2], best[3]
        if out and out[-1][2] == voice and out[-1][3] == qid:
            out[-1] = (out[-1][0], b, voice, qid)
        else:
            out.append((a, b, voice, qid))
    return out


#: Attribution kinds whose indirect clauses are reported voice (see the module docstring).
REPORTED_KINDS = ("speech", "evidential")
#: Attribution kinds whose indirect clauses stay author voice.
AUTHOR_KINDS = ("cognition",)


def voice_of(kind: str, attribution: str | None = None) -> str | None:
    """Voice of a quote row: ``quoted`` (direct, partial), ``reported`` (indirect speech
    or evidential, or of no stated kind), None (an indirect cognition: author voice).

    Examples
    --------
    >>> voice_of("direct"), voice_of("indirect"), voice_of("indirect", "evidential")
    ('quoted', 'reported', 'reported')
    >>> voice_of("indirect", "cognition") is None, voice_of("partial", "cognition")
    (True, 'quoted')
    """
    if kind != "indirect":
        return "quoted"
    if not isinstance(attribution, str) or attribution in REPORTED_KINDS:
        return "reported"
    return None


def segments(docs, quotes) -> pd.DataFrame:
    """Partition every document's characters into author / quoted / reported spans.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        As for :func:`sentences` (only the text lengths are used).
    quotes : DataFrame
        A quotes table (:func:`quotes`): direct and partial quote contents are
        ``quoted``, indirect clauses ``reported`` (a quote inside a reported clause
        stays ``quoted``); with an ``attribution`` column, indirect ``cognition`` rows
        stay author voice (:func:`voice_of`).

    Returns
    -------
    DataFrame
        Columns of :data:`framelens.core.schema.SEGMENT_COLUMNS`: contiguous,
        non-overlapping spans covering ``[0, len(text))`` of every non-empty document;
        ``quote_id`` of the innermost quotation (missing for author spans).

    Examples
    --------
    >>> from framelens.text import quotes
    >>> t = 'He said it was "fine".'
    >>> segments(t, quotes(t))["voice"].astype(str).tolist()
    ['author', 'reported', 'quoted', 'reported', 'author']
    """
    if not isinstance(quotes, pd.DataFrame):
        raise TypeError("quotes must be the DataFrame returned by framelens.text.quotations()")
    missing = [c for c in ("doc_id", "start", "end", "kind", "quote_id") if c not in quotes.columns]
    if missing:
        raise TableError(
            f"quotes lacks the columns {missing}; pass the table from framelens.text.quotations()"
        )
    ids, texts, _ = as_docs(docs)
    by_doc: dict[str, list] = {}
    if len(quotes):
        q = quotes
        kinds = q["attribution"].tolist() if "attribution" in q.columns else [None] * len(q)
        for did, s, e, kind, qid, att in zip(
            q["doc_id"].astype(str).tolist(),
            q["start"].tolist(),
            q["end"].tolist(),
            q["kind"].astype(str).tolist(),
            q["quote_id"].tolist(),
            kinds,
        ):
            voice = voice_of(kind, att)
            if voice is not None:
                by_doc.setdefault(did, []).append((int(s), int(e), voice, int(qid)))
    return segment_frame(ids, texts, [by_doc.get(d, []) for d in ids])


def segment_frame(ids, texts, spans_per_doc) -> pd.DataFrame:
    rows = [
        (did, st, e, voice, qid)
        for did, text, spans in zip(ids, texts, spans_per_doc)
        for st, e, voice, qid in _doc_segments(len(text), spans)
    ]
    return table_frame("segments", row_columns(rows, schema.SEGMENT_COLUMNS))
