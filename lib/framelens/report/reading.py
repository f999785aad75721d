"""Reading what a report shows: chosen columns and documents of an analysis table.

Report functions take an :class:`~framelens.pipeline.Analysis` (or, in tests, any
object with a ``tables`` mapping). :func:`read` gives them a table restricted to the
columns and documents they use; for a loaded analysis whose table is still on disk the
restriction is pushed down to the Parquet files, so a report over a large corpus reads
what it shows, not whole tables.

Examples
--------
>>> import pandas as pd
>>> from framelens.pipeline import Analysis
>>> an = Analysis({"docs": pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"]})})
>>> read(an, "docs", columns=["text"], doc_ids=["b"])["text"].tolist()
['y']
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd

__all__ = ["read", "parts", "columns_of", "QUOTE_TEXT"]

#: The text columns of ``quotes``: left out where only speakers, verbs and kinds count.
QUOTE_TEXT = ("text", "content_frags")


def columns_of(analysis: Any, name: str) -> list[str]:
    """The column names of table ``name`` (without reading a table still on disk)."""
    if hasattr(analysis, "columns") and hasattr(analysis, "on_disk"):
        return analysis.columns(name)
    return [str(c) for c in getattr(analysis, "tables", analysis)[name].columns]


def _asked(analysis: Any, name: str, columns, doc_ids, without: Sequence[str] = ()):
    """The columns to read (those of ``columns`` the table has, less ``without``; None:
    all) and the doc ids to keep (None: all, or a table without ``doc_id``)."""
    have = columns_of(analysis, name)
    cols = None if columns is None else [c for c in columns if c in have]
    if without:
        cols = [c for c in (have if cols is None else cols) if c not in set(without)]
    ids = None if doc_ids is None or "doc_id" not in have else [str(i) for i in doc_ids]
    return cols, ids


def read(
    analysis: Any,
    name: str,
    *,
    columns: Sequence[str] | None = None,
    doc_ids: Sequence[str] | None = None,
    filters=None,
    without: Sequence[str] = (),
) -> pd.DataFrame:
    """Table ``name`` of ``analysis``: only ``columns`` (those the table has) less
    ``without``, only the rows of ``doc_ids`` (None: all) and, for an analysis, only rows
    matching ``filters`` (as :meth:`framelens.pipeline.Analysis.table` takes them).

    Rows keep the table's order; a table without ``doc_id`` is not filtered by document.
    """
    cols, ids = _asked(analysis, name, columns, doc_ids, without)
    if hasattr(analysis, "on_disk") and analysis.on_disk(name):
        from framelens.pipeline.analysis import with_ids

        return analysis.table(name, columns=cols, filters=with_ids(filters, ids))
    if hasattr(analysis, "rows_of"):
        df = analysis.rows_of(name, ids)
    else:
        df = getattr(analysis, "tables", analysis)[name]
        if ids is not None:
            df = df[df["doc_id"].astype(str).isin(set(ids))].reset_index(drop=True)
    if filters is not None:
        from framelens.core.schema import conform
        from framelens.pipeline.store import select

        df = conform(select(df, name, filters=filters), name)
    return df if cols is None else df[cols].reset_index(drop=True)


def parts(
    analysis: Any,
    name: str,
    *,
    columns: Sequence[str] | None = None,
    doc_ids: Sequence[str] | None = None,
    filters=None,
) -> Iterator[pd.DataFrame]:
    """Table ``name`` part by part (:meth:`framelens.pipeline.Analysis.iter_parts`: one
    batch of documents each, every document in one part); other objects give
    :func:`read` of the whole table once. Same options as :func:`read`."""
    if hasattr(analysis, "iter_parts"):
        cols, ids = _asked(analysis, name, columns, doc_ids)
        yield from analysis.iter_parts(name, columns=cols, filters=filters, doc_ids=ids)
    else:
        yield read(analysis, name, columns=columns, doc_ids=doc_ids, filters=filters)
