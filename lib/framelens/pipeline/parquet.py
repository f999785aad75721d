"""Reading an analysis folder's Parquet parts: whole tables, one part, chosen columns
and rows (pyarrow.dataset push-down).

:mod:`.store` writes the folder and re-exports these readers; :class:`~.analysis.Analysis`
reads through them (``table``, ``rows_of``, ``iter_parts``).

Examples
--------
>>> import pandas as pd
>>> select(pd.DataFrame({"doc_id": ["a", "b"]}), "docs", filters=[("doc_id", "==", "b")])
  doc_id
0      b
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.errors import FramelensError

__all__ = [
    "dataset_of",
    "filter_expression",
    "read_part",
    "read_table",
    "select",
    "table_columns",
    "table_files",
]


def table_files(manifest: Mapping[str, Any], name: str) -> list[str]:
    """The files (relative paths, in order) that hold table ``name``.

    Examples
    --------
    >>> table_files({"tables": {"docs": 1}}, "docs")
    ['docs.parquet']
    """
    files = manifest.get("files")
    if isinstance(files, Mapping):
        return sorted(rel for rel, info in files.items() if info.get("table") == name)
    return [f"{name}.parquet"]


def table_columns(path: str | Path, manifest: Mapping[str, Any], name: str) -> list[str]:
    """The column names of table ``name`` of the analysis folder at ``path`` (its
    Parquet schema; no rows are read)."""
    files = [str(Path(path) / rel) for rel in table_files(manifest, name)]
    return list(dataset_of(files).schema.names)


def filter_expression(filters):
    """A pyarrow expression from an expression or DNF tuples (``[("doc_id", "==", "a")]``).

    ``("doc_id", "in", [])`` matches no row and ``("doc_id", "not in", [])`` every row
    (pyarrow would give the empty list the type ``null`` and refuse the comparison).

    Examples
    --------
    >>> str(filter_expression([("doc_id", "in", []), ("n", ">", 1)]))
    '(false and (n > 1))'
    """
    if filters is None:
        return None
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if isinstance(filters, pc.Expression):
        return filters

    def term(t):
        if len(t) == 3 and t[1] in ("in", "not in") and not len(t[2]):
            return pc.scalar(t[1] == "not in")
        return pq.filters_to_expression([t])

    def conj(terms):
        out = None
        for t in terms:
            out = term(t) if out is None else out & term(t)
        return out

    filters = list(filters)
    if filters and all(
        isinstance(f, list | tuple) and f and not isinstance(f[0], str) for f in filters
    ):
        ors = [conj(f) for f in filters]  # a list of conjunctions, OR-ed
        out = ors[0]
        for e in ors[1:]:
            out = out | e
        return out
    return conj(filters) if filters else pq.filters_to_expression(filters)


def dataset_of(source, *, text_for_null: bool = False):
    """A pyarrow dataset of Parquet ``source`` (a list of files, or an Arrow table).

    With ``text_for_null`` its columns of Arrow type ``null`` (text columns without any
    value: every column of an empty table, or one all missing in a first part) read as
    text, so that a filter on them, or a later part with values, can be read.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.Table.from_pandas(pd.DataFrame({"doc_id": pd.Series([], dtype=object)}))
    >>> str(dataset_of(t, text_for_null=True).schema.field("doc_id").type)
    'large_string'
    """
    import pyarrow as pa
    import pyarrow.dataset as ds

    is_files = isinstance(source, list)
    dataset = ds.dataset(source, format="parquet") if is_files else ds.dataset(source)
    if not text_for_null or not any(pa.types.is_null(f.type) for f in dataset.schema):
        return dataset
    schema = dataset.schema
    if is_files and len(source) > 1:
        import pyarrow.parquet as pq

        try:  # a later part may hold values: its type wins (null unifies with any type)
            schema = pa.unify_schemas([pq.read_schema(f) for f in source])
        except (pa.ArrowException, ValueError, TypeError):
            return dataset
    fields = [f.with_type(pa.large_string()) if pa.types.is_null(f.type) else f for f in schema]
    schema = pa.schema(fields, metadata=schema.metadata)
    return (
        ds.dataset(source, format="parquet", schema=schema)
        if is_files
        else ds.dataset(source.cast(schema))
    )


def read_table(
    path: str | Path,
    manifest: Mapping[str, Any],
    name: str,
    *,
    columns: Sequence[str] | None = None,
    filters=None,
) -> pd.DataFrame:
    """Table ``name`` of the analysis folder at ``path``, as a DataFrame.

    Parameters
    ----------
    columns : list of str, optional, keyword-only
        Read only these columns.
    filters : pyarrow expression or list of tuples, optional, keyword-only
        Read only the rows that match (``[("doc_id", "in", ["a", "b"])]``; the
        ``filters`` of :func:`pandas.read_parquet`); pushed down to the Parquet files.
    """
    files = [str(Path(path) / rel) for rel in table_files(manifest, name)]
    if columns is None and filters is None and manifest.get("parts_per_batch"):
        import pyarrow.parquet as pq

        from .engine import concat_tables  # parts written one by one: joined as analyze joins

        return concat_tables([_to_pandas(pq.read_table(f)) for f in files], name)
    return _scan(files, name, columns=columns, filters=filters)


def _scan(source, name: str, *, columns, filters, where: str = "") -> pd.DataFrame:
    """``source`` (:func:`dataset_of`) read with column and filter push-down, as a
    DataFrame; an unknown column or a filter that does not apply is an error naming the
    table's columns. A read that fails on a column without values (Arrow type ``null``)
    is read again with such columns as text."""
    import pyarrow as pa

    kw = {"columns": None if columns is None else list(columns)}
    kw["filter"] = filter_expression(filters)
    dataset = dataset_of(source)
    try:
        table = dataset.to_table(**kw)
    except (ValueError, TypeError, KeyError, pa.ArrowException) as exc:  # unknown column
        try:
            table = dataset_of(source, text_for_null=True).to_table(**kw)
        except (ValueError, TypeError, KeyError, pa.ArrowException):
            table = None
        if table is not None:
            return _to_pandas(table)
        raise FramelensError(
            f"table {name!r}{where}: cannot read columns={columns!r} filters={filters!r}: "
            f"{exc}; its columns: {', '.join(dataset.schema.names)}"
        ) from None
    return _to_pandas(table)


def _to_pandas(table) -> pd.DataFrame:
    """``table`` as a DataFrame, its Arrow buffers freed column by column as they are
    converted (about half the peak memory of a plain ``to_pandas``)."""
    return table.to_pandas(split_blocks=True, self_destruct=True)


def read_part(
    file: str | Path, name: str, *, columns: Sequence[str] | None = None, filters=None
) -> pd.DataFrame:
    """One Parquet part of table ``name``, with column and filter push-down."""
    return _scan([str(file)], name, columns=columns, filters=filters, where=f" ({file})")


def select(
    df: pd.DataFrame, name: str, *, columns: Sequence[str] | None = None, filters=None
) -> pd.DataFrame:
    """The same selection as :func:`read_table`, over a table in memory.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "n": [1, 2]})
    >>> select(df, "t", columns=["n"], filters=[("doc_id", "==", "b")])
       n
    0  2
    """
    import pyarrow as pa

    return _scan(
        pa.Table.from_pandas(df, preserve_index=False), name, columns=columns, filters=filters
    )
