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
    import pyarrow.dataset as ds

    files = [str(Path(path) / rel) for rel in table_files(manifest, name)]
    return list(ds.dataset(files, format="parquet").schema.names)


def filter_expression(filters):
    """A pyarrow expression from an expression or DNF tuples (``[("doc_id", "==", "a")]``)."""
    if filters is None:
        return None
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    return filters if isinstance(filters, pc.Expression) else pq.filters_to_expression(filters)


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
    import pyarrow.dataset as ds

    files = [str(Path(path) / rel) for rel in table_files(manifest, name)]
    if columns is None and filters is None and manifest.get("parts_per_batch"):
        import pyarrow.parquet as pq

        from .engine import concat_tables  # parts written one by one: joined as analyze joins

        return concat_tables([_to_pandas(pq.read_table(f)) for f in files], name)
    if columns is None and filters is None:
        return _to_pandas(ds.dataset(files, format="parquet").to_table())
    return _scan(ds.dataset(files, format="parquet"), name, columns=columns, filters=filters)


def _scan(dataset, name: str, *, columns, filters, where: str = "") -> pd.DataFrame:
    """``dataset`` read with column and filter push-down, as a DataFrame; an unknown
    column or a filter that does not apply is an error naming the table's columns."""
    import pyarrow as pa

    try:
        table = dataset.to_table(
            columns=None if columns is None else list(columns), filter=filter_expression(filters)
        )
    except (ValueError, TypeError, KeyError, pa.ArrowException) as exc:  # unknown column
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
    import pyarrow.dataset as ds

    dataset = ds.dataset(str(file), format="parquet")
    return _scan(dataset, name, columns=columns, filters=filters, where=f" ({file})")


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
    import pyarrow.dataset as ds

    dataset = ds.dataset(pa.Table.from_pandas(df, preserve_index=False))
    return _scan(dataset, name, columns=columns, filters=filters)
