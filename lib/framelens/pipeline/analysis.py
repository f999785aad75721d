"""Analysis: the tidy tables of one analysis with their manifest; save and load."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core import schema
from framelens.errors import ConfigError

from . import store
from .config import BASE_TABLES, Config

log = logging.getLogger(__name__)


class Analysis:
    """The tidy tables of one analysis, with the configuration and manifest that made them.

    Tables are attributes (``an.docs``, ``an.quotes``, ``an.frame_docs`` …) and live in
    ``an.tables``. Not a god object: measures are plain functions over these tables.

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
    ):
        self.tables: dict[str, pd.DataFrame] = {
            name: schema.conform(df, name) for name, df in tables.items()
        }
        for name in BASE_TABLES:
            self.tables.setdefault(name, schema.empty(name))
        self.config = config or Config()
        self.manifest: dict[str, Any] = dict(manifest or {})

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"Analysis has no table {name!r}; tables: {', '.join(sorted(tables))}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
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

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name`` (same as the attribute)."""
        return getattr(self, name)

    def doc(self, doc_id: str) -> Analysis:
        """A one-document view: every table filtered to ``doc_id``.

        Raises
        ------
        KeyError
            When the document is not in the analysis (the message lists a few ids).
        """
        ids = self.docs["doc_id"].astype(str)
        if not (ids == doc_id).any():
            sample = ", ".join(ids.head(5).tolist())
            raise KeyError(f"doc_id {doc_id!r} is not in this analysis (e.g. {sample})")
        sub = {
            k: (
                v[v["doc_id"].astype(str) == doc_id].reset_index(drop=True)
                if "doc_id" in v.columns
                else v
            )
            for k, v in self.tables.items()
        }
        return Analysis(sub, config=self.config, manifest=self.manifest)

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
        return store.write(path, self.tables, manifest, overwrite=overwrite)

    @classmethod
    def load(cls, path: str | Path, *, verify: bool = True) -> Analysis:
        """Read an analysis written by :meth:`save`.

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
        tables, manifest = store.read(path, verify=verify)
        return cls(tables, config=Config.from_dict(manifest.get("config")), manifest=manifest)
