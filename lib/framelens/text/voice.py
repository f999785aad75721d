"""Voice segments (author / quoted / reported) and locating spans in sentences and segments."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from framelens.core import schema

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


def segments(docs, quotes) -> pd.DataFrame:
    """Partition every document's characters into author / quoted / reported spans.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        As for :func:`sentences` (only the text lengths are used).
    quotes : DataFrame
        A quotes table (:func:`quotes`): direct and partial quote contents are
        ``quoted``, indirect clauses ``reported`` (a quote inside a reported clause
        stays ``quoted``).

    Returns
    -------
    DataFrame
        Columns of :data:`framelens.core.schema.SEGMENT_COLUMNS`: contiguous,
        non-overlapping spans covering ``[0, len(text))`` of every non-empty document;
        ``quote_id`` of the innermost quotation (missing for author spans).

    Examples
    --------
    >>> segments("He said it was \\"fine\\".", quotes('He said it was "fine".'))["voice"].astype(str).tolist()
    ['author', 'reported', 'quoted', 'reported', 'author']
    """
    if not isinstance(quotes, pd.DataFrame):
        raise TypeError("quotes must be the DataFrame returned by framelens.text.quotations()")
    missing = [c for c in ("doc_id", "start", "end", "kind", "quote_id") if c not in quotes.columns]
    if missing:
        raise ValueError(
            f"quotes lacks the columns {missing}; pass the table from framelens.text.quotations()"
        )
    ids, texts, _ = as_docs(docs)
    by_doc: dict[str, list] = {}
    if len(quotes):
        q = quotes
        for did, s, e, kind, qid in zip(
            q["doc_id"].astype(str).tolist(),
            q["start"].tolist(),
            q["end"].tolist(),
            q["kind"].astype(str).tolist(),
            q["quote_id"].tolist(),
        ):
            by_doc.setdefault(did, []).append(
                (int(s), int(e), "reported" if kind == "indirect" else "quoted", int(qid))
            )
    return segment_frame(ids, texts, [by_doc.get(d, []) for d in ids])


def segment_frame(ids, texts, spans_per_doc) -> pd.DataFrame:
    rows = [
        (did, st, e, voice, qid)
        for did, text, spans in zip(ids, texts, spans_per_doc)
        for st, e, voice, qid in _doc_segments(len(text), spans)
    ]
    return table_frame("segments", row_columns(rows, schema.SEGMENT_COLUMNS))


def locate(spans: pd.DataFrame, *, sentences: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Add ``sent_id`` and ``voice`` to any table of spans (vectorised).

    Parameters
    ----------
    spans : DataFrame
        Any table with ``doc_id`` and ``start`` columns (``end`` optional); other
        columns and the row order are kept.
    sentences, segments : DataFrame, keyword-only
        The tables from :func:`sentences` and :func:`segments` for the same documents.

    Returns
    -------
    DataFrame
        A copy of ``spans`` with ``sent_id`` (the sentence containing ``start``, or the
        last sentence starting before it; 0 before the first sentence; -1 for unknown
        documents) and ``voice`` (the segment containing ``start``; "author" for
        unknown documents or offsets) replaced or added.

    Examples
    --------
    >>> import pandas as pd
    >>> t = 'He said it was "fine". Then he left.'
    >>> out = process(t)
    >>> locate(pd.DataFrame({"doc_id": ["0", "0"], "start": [16, 28]}), **{k: out[k] for k in ("sentences", "segments")})[["sent_id", "voice"]].astype(str).values.tolist()
    [['0', 'quoted'], ['1', 'author']]
    """
    for name, df, need in (
        ("spans", spans, ("doc_id", "start")),
        ("sentences", sentences, ("doc_id", "start", "sent_id")),
        ("segments", segments, ("doc_id", "start", "voice")),
    ):
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"{name} must be a DataFrame, got {type(df).__name__}")
        missing = [c for c in need if c not in df.columns]
        if missing:
            raise ValueError(f"{name} lacks the column(s) {missing}; available: {list(df.columns)}")
    out = spans.copy()
    n = len(out)
    sid_col = np.full(n, -1, dtype=np.int32)
    voice_codes = np.zeros(n, dtype=np.int8)  # index into VOICES; 0 = author
    if n:
        span_doc = out["doc_id"].astype(str).to_numpy(dtype=object)
        cats = pd.Index(
            pd.unique(
                np.concatenate(
                    [
                        span_doc,
                        sentences["doc_id"].astype(str).to_numpy(dtype=object),
                        segments["doc_id"].astype(str).to_numpy(dtype=object),
                    ]
                )
            )
        )
        shift = np.int64(1) << np.int64(40)

        def keyed(doc, start):
            codes = cats.get_indexer(doc).astype(np.int64)
            return codes * shift + np.asarray(start, dtype=np.int64), codes

        pos_key, pos_code = keyed(span_doc, out["start"].to_numpy(dtype=np.int64))
        for table, is_sent in ((sentences, True), (segments, False)):
            if not len(table):
                continue
            k, c = keyed(
                table["doc_id"].astype(str).to_numpy(dtype=object),
                table["start"].to_numpy(dtype=np.int64),
            )
            order = np.argsort(k, kind="stable")
            k, c = k[order], c[order]
            idx = np.searchsorted(k, pos_key, side="right") - 1
            ok = idx >= 0
            same = np.zeros(n, dtype=bool)
            same[ok] = c[idx[ok]] == pos_code[ok]
            if is_sent:
                vals = table["sent_id"].to_numpy()[order]
                sid_col[same] = vals[idx[same]]
                # before the first sentence of a known document -> 0
                known = np.isin(pos_code, c)
                sid_col[known & ~same] = 0
            else:
                vmap = {v: i for i, v in enumerate(schema.VOICES)}
                vals = np.array(
                    [vmap.get(v, 0) for v in table["voice"].astype(str).tolist()], dtype=np.int8
                )[order]
                voice_codes[same] = vals[idx[same]]
    out["sent_id"] = sid_col
    out["voice"] = pd.Categorical.from_codes(voice_codes, categories=list(schema.VOICES))
    return out
