"""Analysis: the tidy tables of one analysis with their manifest; save and load."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core import schema
from framelens.errors import ConfigError

from . import store
from .config import BASE_TABLES, Config
from .lazy import LazyTables

log = logging.getLogger(__name__)


class Analysis:
    """The tidy tables of one analysis, with the configuration and manifest that made them.

    Tables are attributes (``an.docs``, ``an.quotes``, ``an.frame_docs`` …, pandas
    DataFrames) and live in ``an.tables``. Not a god object: measures are plain functions
    over these tables. A loaded analysis reads each table on first use, and
    :meth:`table` reads chosen columns and rows only.

    Examples
    --------
    >>> an = Analysis({"docs": schema.empty("docs")})
    >>> an.docs.empty
    True
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        *,
        config: Config | None = None,
        manifest: Mapping[str, Any] | None = None,
        parts: Mapping[str, Sequence[int]] | None = None,
    ):
        if isinstance(tables, LazyTables):  # opened by load: conformed as they are read
            self.tables: MutableMapping[str, pd.DataFrame] = tables
        else:
            self.tables = {name: schema.conform(df, name) for name, df in tables.items()}
        for name in BASE_TABLES:
            if name not in self.tables:
                self.tables[name] = schema.empty(name)
        self.config = config or Config()
        self.manifest: dict[str, Any] = dict(manifest or {})
        #: row counts of each table's batches: the parts :meth:`save` writes
        self.parts: dict[str, list[int]] = {k: list(v) for k, v in (parts or {}).items()}
        self.folder: Path | None = None  # where a loaded analysis was read from

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"Analysis has no table {name!r}; tables: {', '.join(sorted(tables))}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    def __repr__(self) -> str:
        t = self.tables
        rows = t.rows if isinstance(t, LazyTables) else (lambda k: len(t[k]))
        sizes = ", ".join(f"{k}={rows(k)}" for k in t)
        return f"<Analysis {sizes}>"

    def step_options(self, name: str) -> dict[str, Any]:
        """The options step ``name`` ran with, defaults included, as the manifest
        records them (``manifest["steps"][name]["options"]``; also for a loaded analysis).

        What reports show instead of reading a function's defaults. An analysis made
        before steps were recorded falls back to its configuration's resolved options.

        Raises
        ------
        ConfigError
            When step ``name`` did not run in this analysis (the message lists those that did).

        Examples
        --------
        >>> an = Analysis({}, config=Config(steps=["framing"], sentiment=False))
        >>> an.step_options("framing")["lead_weight"]
        1.5
        """
        recorded = self.manifest.get("steps")
        if recorded is None:
            ran = list(self.config.steps)
        else:
            ran = list(recorded)
        if name not in ran:
            raise ConfigError(
                f"step {name!r} did not run in this analysis; steps run: {ran or 'none'}"
            )
        if recorded is None:
            return self.config.step_options(name)
        return dict(recorded[name].get("options", {}))

    def table(
        self,
        name: str,
        *,
        columns: Sequence[str] | None = None,
        filters=None,
    ) -> pd.DataFrame:
        """The table called ``name``; with ``columns`` or ``filters`` only those.

        Without options the same as the attribute. With them, a table of a loaded
        analysis that is not yet in memory is read through :mod:`pyarrow.dataset` with
        column and filter push-down: only the chosen columns, and row groups that can
        match, are read.

        Parameters
        ----------
        name : str
        columns : list of str, optional, keyword-only
        filters : pyarrow expression or list of tuples, optional, keyword-only
            As :func:`pandas.read_parquet` takes them: ``[("doc_id", "==", "a")]``
            (AND of the tuples), ``[[...], [...]]`` (OR of ANDs), or a
            ``pyarrow.compute`` expression.

        Raises
        ------
        AttributeError
            When the analysis has no table ``name`` (the message lists those it has).
        FramelensError
            When a column is unknown or the filter does not apply.

        Examples
        --------
        >>> an = Analysis({"docs": schema.empty("docs").reindex(range(2))})
        >>> an.docs.loc[:, "doc_id"] = ["a", "b"]
        >>> an.table("docs", columns=["doc_id"], filters=[("doc_id", "==", "b")])
          doc_id
        0      b
        """
        if columns is None and filters is None:
            return getattr(self, name)
        if name not in self.tables:
            getattr(self, name)  # the AttributeError naming the tables
        source = self._source_of(name)
        if source is not None:  # a view: the parent reads, the view's documents only
            parent, ids = source
            has_id = ids is not None and "doc_id" in parent.columns(name)
            return parent.table(
                name, columns=columns, filters=with_ids(filters, ids if has_id else None)
            )
        lazy = isinstance(self.tables, LazyTables) and not self.tables.is_loaded(name)
        if lazy and self.folder is not None:
            df = store.read_table(
                self.folder, self.manifest, name, columns=columns, filters=filters
            )
        else:
            df = store.select(self.tables[name], name, columns=columns, filters=filters)
        return schema.conform(df, name)

    def columns(self, name: str) -> list[str]:
        """The column names of table ``name``, without reading a table not yet read.

        Examples
        --------
        >>> Analysis({"docs": schema.empty("docs")}).columns("docs")[:2]
        ['doc_id', 'text']
        """
        if name not in self.tables:
            getattr(self, name)  # the AttributeError naming the tables
        source = self._source_of(name)
        if source is not None:
            return source[0].columns(name)
        if self.on_disk(name):
            return store.table_columns(self.folder, self.manifest, name)
        return [str(c) for c in self.tables[name].columns]

    def on_disk(self, name: str) -> bool:
        """Whether table ``name`` is on disk, not yet read (push-down applies)."""
        t = self.tables
        if isinstance(t, LazyTables) and not t.is_loaded(name):
            source = self._source_of(name)
            return source[0].on_disk(name) if source is not None else self.folder is not None
        return False

    def _source_of(self, name: str):
        """``(parent, doc_ids)`` of a view whose table ``name`` is not read yet, else None."""
        source = self.__dict__.get("_source")
        t = self.tables
        if source is None or not isinstance(t, LazyTables) or t.is_loaded(name):
            return None
        return source

    def iter_parts(
        self,
        name: str,
        *,
        columns: Sequence[str] | None = None,
        filters=None,
        doc_ids: Sequence[str] | None = None,
    ) -> Iterator[pd.DataFrame]:
        """Table ``name`` part by part: for a table on disk, one DataFrame per Parquet
        part (one batch of documents) with column and filter push-down; otherwise the
        table in memory, once.

        Every document's rows are in one part (parts are batches of documents), so
        per-document counts summed over parts equal the counts over the whole table,
        and a report can aggregate a table of any size in the memory of one part.
        At least one (possibly empty) frame is yielded.

        Examples
        --------
        >>> an = Analysis({"docs": schema.empty("docs").reindex(range(2))})
        >>> an.docs.loc[:, "doc_id"] = ["a", "b"]
        >>> [len(p) for p in an.iter_parts("docs", doc_ids=["b"])]
        [1]
        """
        if name not in self.tables:
            getattr(self, name)  # the AttributeError naming the tables
        source = self._source_of(name)
        if source is not None:
            parent, own = source
            keep = doc_ids if own is None else own if doc_ids is None else _both(own, doc_ids)
            yield from parent.iter_parts(name, columns=columns, filters=filters, doc_ids=keep)
            return
        has_id = doc_ids is not None and "doc_id" in self.columns(name)
        where = with_ids(filters, [str(i) for i in doc_ids] if has_id else None)
        if not self.on_disk(name):
            df = self.rows_of(name, doc_ids)
            if filters is not None or columns is not None:
                df = schema.conform(store.select(df, name, columns=columns, filters=filters), name)
            yield df
            return
        yielded, first = False, None
        for rel in store.table_files(self.manifest, name):
            df = store.read_part(self.folder / rel, name, columns=columns, filters=where)
            if len(df):
                yielded = True
                yield schema.conform(df, name)
            elif first is None:
                first = df
        if not yielded:  # no part has a matching row: one empty frame with the columns
            yield schema.conform(first if first is not None else schema.empty(name), name)

    def rows_of(self, name: str, doc_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Table ``name`` restricted to ``doc_ids`` (all rows when None), pushed down
        to the files when the table is not in memory yet.

        A table without a ``doc_id`` column is returned whole. Rows keep their order.

        Examples
        --------
        >>> an = Analysis({"docs": schema.empty("docs").reindex(range(2))})
        >>> an.docs.loc[:, "doc_id"] = ["a", "b"]
        >>> an.rows_of("docs", ["b"])["doc_id"].tolist()
        ['b']
        """
        source = self._source_of(name)
        if source is not None:
            parent, own = source
            keep = doc_ids if own is None else own if doc_ids is None else _both(own, doc_ids)
            return parent.rows_of(name, keep)
        if doc_ids is None or "doc_id" not in self.columns(name):
            return getattr(self, name) if name in self.tables else self.table(name)
        ids = [str(i) for i in doc_ids]
        if self.on_disk(name):
            return self.table(name, filters=[("doc_id", "in", ids)])
        df = self.tables[name]
        keep = df["doc_id"].astype(str).isin(set(ids)).to_numpy()
        return df[keep].reset_index(drop=True)

    def doc(self, doc_id: str) -> Analysis:
        """A one-document view: every table filtered to ``doc_id``.

        The view reads a table on first use; for a loaded analysis only the
        document's rows are read from disk (filter push-down), so the view of one
        article of a large corpus stays small.

        Raises
        ------
        KeyError
            When the document is not in the analysis (the message lists a few ids).
        """
        docs = self.table("docs", columns=["doc_id"]) if self.on_disk("docs") else self.docs
        ids = docs["doc_id"].astype(str)
        if not (ids == doc_id).any():
            sample = ", ".join(ids.head(5).tolist())
            raise KeyError(f"doc_id {doc_id!r} is not in this analysis (e.g. {sample})")
        return self.view([doc_id])

    def view(self, doc_ids: Sequence[str] | None) -> Analysis:
        """An analysis of the documents ``doc_ids`` only (None: all), each table read on
        first use (:meth:`rows_of`); configuration and manifest kept."""
        ids = None if doc_ids is None else [str(i) for i in doc_ids]
        names = list(self.tables)
        tables = LazyTables(dict.fromkeys(names, -1), lambda name: self.rows_of(name, ids))
        out = Analysis(tables, config=self.config, manifest=self.manifest)
        out._source = (self, ids)
        return out

    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write every table as Parquet plus ``manifest.json`` into folder ``path``.

        The analysis is written into a fresh temporary folder beside ``path`` and moved
        into place, so a reader never sees half an analysis, and nothing framelens did
        not write is ever deleted (:func:`framelens.pipeline.store.write`): a new or
        empty folder is created, an earlier analysis's own files are replaced (other
        files in its folder are kept), any other non-empty folder is refused.

        Parameters
        ----------
        path : path
            The analysis folder.
        overwrite : bool, keyword-only
            Also write into a non-empty folder that is not a framelens analysis: files
            of the analysis's names are replaced, every other file is kept.

        Raises
        ------
        FramelensError
            When ``path`` is a file, read-only, a non-empty folder that is not an
            analysis (without ``overwrite``), or cannot be written; it is left as it was.
        """
        manifest = {**self.manifest, "config": self.config.to_dict()}
        return store.write(path, self.tables, manifest, overwrite=overwrite, parts=self.parts)

    @classmethod
    def load(cls, path: str | Path, *, verify: bool = True) -> Analysis:
        """Read an analysis written by :meth:`save`.

        Tables are read on first use (``an.quotes``), each as one DataFrame of its parts.

        Parameters
        ----------
        path : path
        verify : bool, keyword-only
            Check each table's row count and SHA-256 against the manifest first.

        Raises
        ------
        FileNotFoundError
            When ``path`` holds no ``manifest.json``.
        FramelensError
            When (``verify``) a table file is missing or not the one saved; the message
            names the file.
        """
        tables, manifest = store.open_folder(path, verify=verify, conform=schema.conform)
        config = dict(manifest.get("config") or {})
        if config:  # saved before the attribution option existed: the rule layer made it
            config.setdefault("attribution", "rules")
        an = cls(tables, config=Config.from_dict(config), manifest=manifest)
        an.folder = Path(path)
        return an


def _both(a: Sequence[str], b: Sequence[str]) -> list[str]:
    """The ids of ``a`` that are also in ``b``, in ``a``'s order."""
    keep = {str(i) for i in b}
    return [i for i in a if str(i) in keep]


def with_ids(filters, ids: Sequence[str] | None):
    """``filters`` (DNF tuples or a pyarrow expression) AND ``doc_id in ids``."""
    if ids is None:
        return filters
    import pyarrow.compute as pc

    cond = pc.field("doc_id").isin(list(ids))
    extra = store.filter_expression(filters)
    return cond if extra is None else cond & extra
