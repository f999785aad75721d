"""Analysis: the tidy tables of one analysis with their manifest; save and load."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core import schema
from framelens.errors import ConfigError

from .config import BASE_TABLES, MANIFEST, Config

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

    def save(self, path: str | Path) -> Path:
        """Write every table as Parquet plus ``manifest.json`` into folder ``path``.

        The folder is written next to its destination and moved into place, so a
        reader never sees half an analysis.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=path.parent))
        try:
            for name, df in self.tables.items():
                df.to_parquet(tmp / f"{name}.parquet", index=False)
            manifest = dict(self.manifest)
            manifest["tables"] = {k: int(len(v)) for k, v in self.tables.items()}
            manifest["config"] = self.config.to_dict()
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str))
            if path.exists():
                shutil.rmtree(path)
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return path

    @classmethod
    def load(cls, path: str | Path) -> Analysis:
        """Read an analysis written by :meth:`save`."""
        path = Path(path)
        mf = path / MANIFEST
        if not mf.exists():
            raise FileNotFoundError(
                f"{path}: no {MANIFEST} here; is this a saved framelens analysis?"
            )
        manifest = json.loads(mf.read_text())
        tables = {
            name: pd.read_parquet(path / f"{name}.parquet") for name in manifest.get("tables", {})
        }
        return cls(tables, config=Config.from_dict(manifest.get("config")), manifest=manifest)
