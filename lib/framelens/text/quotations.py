"""Quotation tables: direct, partial and indirect quotes with speaker and verb."""

from __future__ import annotations

import logging

import pandas as pd

from framelens.core import schema

from .attribution import analyse_docs
from .segmentation import row_columns
from .speakers import speaker_of
from .tables import as_docs, table_frame

log = logging.getLogger(__name__)


def quote_frame(ids, texts, analyses) -> pd.DataFrame:
    out: list[tuple] = []
    for did, text, an in zip(ids, texts, analyses):
        rows = [(q.open + 1, q.close, q.kind, q.mention, q.verb) for q in an.quotes]
        rows += [
            (r.clause[0], r.clause[1], "indirect", r.mention, (r.lemma, r.cls, r.vs, r.ve))
            for r in an.reports
            if r.clause is not None
        ]
        rows.sort(key=lambda x: (x[0], -x[1]))
        for qid, (st, e, kind, men, verb) in enumerate(rows):
            sp = (
                (speaker_of(men), men.surface, men.start, men.end)
                if men is not None
                else _NO_SPEAKER
            )
            out.append(
                (
                    did,
                    qid,
                    an.sent_of(st),
                    st,
                    e,
                    text[st:e],
                    kind,
                    *sp,
                    None,
                    *(verb if verb else _NO_VERB),
                )
            )
    return table_frame("quotes", row_columns(out, schema.QUOTE_COLUMNS))


_NO_SPEAKER = (None, None, None, None)


_NO_VERB = (None, None, None, None)


def problem_frame(ids, texts, sources, analyses) -> pd.DataFrame:
    cols: dict[str, list] = {c: [] for c in schema.PROBLEM_COLUMNS}
    for i, (did, text, an) in enumerate(zip(ids, texts, analyses)):
        for pos, which, pid in sorted(an.problems):
            ctx = text[max(0, pos - 25) : pos + 5].replace("\n", " ")
            cols["source"].append(sources[i] if sources else "text")
            cols["record"].append(f"paragraph {pid}")
            cols["doc_id"].append(did)
            cols["severity"].append("warning")
            cols["code"].append("unmatched_quote")
            cols["message"].append(
                f"doc {did}: unmatched {which} quotation mark {text[pos]!r} at offset {pos} "
                f"(paragraph {pid}): ...{ctx}... - no quote was made of it"
            )
    return table_frame("problems", cols)


def quotes(docs, *, sentences=None) -> pd.DataFrame:
    """Find direct, partial and indirect quotations with speaker and reporting verb.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        As for :func:`sentences`.
    sentences : DataFrame, optional, keyword-only
        Accepted for symmetry with the pipeline; sentences are recomputed (the
        segmentation is deterministic, so the ids agree with :func:`sentences`).

    Returns
    -------
    DataFrame
        Columns of :data:`framelens.core.schema.QUOTE_COLUMNS`, ordered by start per
        document; ``quote_id`` is 0-based per document. See the module docstring for
        the rules.

    Examples
    --------
    >>> q = quotes('"We talked like old friends," President Vucic said.')
    >>> q[["kind", "text", "speaker", "verb"]].astype(str).values.tolist()
    [['direct', 'We talked like old friends,', 'Vucic', 'say']]
    """
    if sentences is not None and not isinstance(sentences, pd.DataFrame):
        raise TypeError("sentences must be a DataFrame from framelens.text.segmentation() or None")
    ids, texts, _ = as_docs(docs)
    _, analyses = analyse_docs(ids, texts)
    return quote_frame(ids, texts, analyses)


def references(docs) -> pd.DataFrame:
    """Return the person references found and how coreference resolved them.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        As for :func:`sentences`.

    Returns
    -------
    DataFrame
        Columns doc_id, start, end, surface, kind (name / role / pron / other),
        subject (bool: sentence-initial or subject of a reporting verb), person (the
        resolved name, missing when unresolved).

    Examples
    --------
    >>> r = references("Russian President Vladimir Putin spoke. The Russian leader left.")
    >>> for surface, person in r[["surface", "person"]].astype(str).values:
    ...     print(surface, "->", person)
    Russian President Vladimir Putin -> Vladimir Putin
    The Russian leader -> Vladimir Putin
    """
    ids, texts, _ = as_docs(docs)
    _, analyses = analyse_docs(ids, texts)
    out: dict[str, list] = {
        k: [] for k in ("doc_id", "start", "end", "surface", "kind", "subject", "person")
    }
    for did, an in zip(ids, analyses):
        for m in an.references:
            out["doc_id"].append(did)
            out["start"].append(m.start)
            out["end"].append(m.end)
            out["surface"].append(m.surface)
            out["kind"].append(m.kind)
            out["subject"].append(m.subject)
            out["person"].append(
                " ".join(m.entity.name) if m.entity is not None and m.entity.person else None
            )
    return pd.DataFrame(
        {
            "doc_id": pd.Series(out["doc_id"], dtype="string"),
            "start": pd.Series(out["start"], dtype="int64"),
            "end": pd.Series(out["end"], dtype="int64"),
            "surface": pd.Series(out["surface"], dtype="string"),
            "kind": pd.Series(out["kind"], dtype="string"),
            "subject": pd.Series(out["subject"], dtype="bool"),
            "person": pd.Series(out["person"], dtype="string"),
        }
    )
