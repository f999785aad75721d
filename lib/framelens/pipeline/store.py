"""The analysis folder on disk: write it without deleting anything else, read it verified.

An analysis folder holds ``manifest.json`` and each table as a Parquet dataset, one part
per batch (``quotes/part-00000.parquet``, ``quotes/part-00001.parquet`` ...). The manifest
carries the marker ``"format": "framelens.analysis"`` and lists every file the analysis
wrote (``files``: row count and SHA-256 of each), so that

- :func:`write` recognises a folder that is an analysis (and may replace *its* files),
  refuses any other non-empty folder unless ``overwrite=True``, and even then deletes
  nothing but files an earlier analysis listed as its own;
- :func:`open_folder` checks row counts and hashes before it hands out a table, so a file
  replaced after saving (a valid Parquet file with fewer rows, edited values) is
  detected; tables are then read on first use (:class:`.lazy.LazyTables`), and
  :func:`read_table` reads chosen columns and rows only (pyarrow.dataset push-down).

The new analysis is written into a fresh temporary folder beside the destination and
moved into place; a destination that does not exist (or is empty) is replaced in one
rename.

Examples
--------
>>> import tempfile, pathlib, pandas as pd
>>> out = pathlib.Path(tempfile.mkdtemp()) / "an"
>>> _ = write(out, {"docs": pd.DataFrame({"doc_id": ["a"]})}, {})
>>> tables, manifest = open_folder(out)
>>> is_analysis(out), tables["docs"]["doc_id"].tolist(), list(manifest["files"])
(True, ['a'], ['docs/part-00000.parquet'])
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core import provenance
from framelens.errors import AnalysisFileError, OutputError

from .config import MANIFEST
from .lazy import LazyTables
from .parquet import (  # noqa: F401 - reading lives there; store keeps its public names
    filter_expression,
    read_part,
    read_table,
    select,
    table_columns,
    table_files,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "check_destination",
    "is_analysis",
    "own_files",
    "write",
    "PartWriter",
    "open_folder",
    "read_table",
    "select",
    "table_files",
    "verify_files",
]

#: The marker of an analysis folder's manifest (``manifest["format"]``).
FORMAT = "framelens.analysis"

#: Version of the folder layout (1: one ``<table>.parquet`` per table; 2: a folder of
#: parts per table). Both are read.
FORMAT_VERSION = 2


def _manifest_of(path: Path) -> dict[str, Any] | None:
    """The manifest of the analysis at ``path``, or None when ``path`` is not one."""
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict):
        return None
    if manifest.get("format") == FORMAT:
        return manifest
    # written before the marker: framelens' version, the key and the table counts
    legacy = {"framelens", "key", "tables"} <= set(manifest)
    return manifest if legacy and isinstance(manifest["tables"], Mapping) else None


def is_analysis(path: str | Path) -> bool:
    """Whether ``path`` is a folder written by framelens (its manifest has the marker).

    Examples
    --------
    >>> import tempfile
    >>> is_analysis(tempfile.mkdtemp())
    False
    """
    return Path(path).is_dir() and _manifest_of(Path(path)) is not None


def own_files(manifest: Mapping[str, Any]) -> list[str]:
    """The files (relative paths) an analysis with ``manifest`` wrote, manifest included.

    Examples
    --------
    >>> own_files({"tables": {"docs": 3}})
    ['docs.parquet', 'manifest.json']
    """
    files = manifest.get("files")
    if isinstance(files, Mapping):
        names = [str(f) for f in files]
    else:
        names = [f"{t}.parquet" for t in manifest.get("tables", {})]
    return sorted(set(names) | {MANIFEST})


def _writable(path: Path) -> None:
    """Raise when ``path`` (an existing folder) cannot be written."""
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(
            f"cannot write the analysis to {path}: the folder is read-only; choose a "
            "folder you can write to (--out), or make it writable"
        )


def _check_destination(path: Path, *, overwrite: bool) -> dict[str, Any] | None:
    """What is at ``path``: None (absent or empty folder), the manifest of an analysis,
    or ``{}`` (a non-empty other folder, with ``overwrite``); raise for anything else."""
    near = path
    while not near.exists() and near != near.parent:
        near = near.parent
    if near.exists() and not near.is_dir():
        where = "is a file" if near == path else f"is inside {near}, which is a file"
        raise OutputError(
            f"cannot write the analysis to {path}: it {where}, not a folder; "
            "choose another --out folder"
        )
    _writable(path.parent if near == path else near)
    if near != path:
        return None
    _writable(path)
    if not any(path.iterdir()):
        return {} if path.is_symlink() else None  # a linked folder is filled, not renamed
    manifest = _manifest_of(path)
    if manifest is not None:
        return manifest
    if overwrite:
        return {}
    raise OutputError(
        f"{path} is not empty and is not a framelens analysis (no {MANIFEST} with the "
        f"framelens marker); nothing was written. Choose a new or empty folder, or pass "
        "overwrite=True (--overwrite) to add the analysis's files to it; other files "
        "are kept"
    )


def _bounds(n: int, parts: Sequence[int] | None) -> list[tuple[int, int]]:
    """``(offset, length)`` of each part of a table of ``n`` rows: the batches' row counts
    when they add up to ``n`` (empty batches left out), else one part."""
    sizes = [int(k) for k in parts or () if int(k) > 0]
    if not sizes or sum(sizes) != n:
        return [(0, n)]
    offsets = [sum(sizes[:i]) for i in range(len(sizes))]
    return list(zip(offsets, sizes))


def _write_tables(
    tmp: Path, tables: Mapping[str, pd.DataFrame], parts: Mapping[str, Sequence[int]]
) -> dict[str, dict]:
    """Write every table as ``<name>/part-NNNNN.parquet`` into ``tmp`` (one Arrow
    schema for all parts of a table); the manifest's ``files``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    files: dict[str, dict] = {}
    for name, df in tables.items():
        arrow = pa.Table.from_pandas(df, preserve_index=False)
        (tmp / name).mkdir()
        for i, (offset, n) in enumerate(_bounds(len(df), parts.get(name))):
            rel = f"{name}/part-{i:05d}.parquet"
            pq.write_table(arrow.slice(offset, n), tmp / rel)
            files[rel] = {"table": name, "rows": n, "sha256": provenance.sha256_file(tmp / rel)}
    return files


def _swap(tmp: Path, path: Path, old: dict[str, Any] | None, new: list[str]) -> None:
    """Move the analysis written in ``tmp`` to ``path``, deleting only ``old``'s files."""
    if old is None:  # absent or empty: one rename
        if path.is_dir():
            path.rmdir()  # fails (nothing deleted) if a file appeared meanwhile
        os.replace(tmp, path)
        return
    clash = [rel for rel in new if (path / rel).is_dir()]
    if clash:
        raise OutputError(
            f"cannot write the analysis to {path}: {', '.join(clash)} exist there as "
            "folders; move them or choose another --out folder"
        )
    if old:  # the earlier analysis stops being one before its files change
        (path / MANIFEST).unlink(missing_ok=True)
    for rel in new:
        if rel != MANIFEST:
            (path / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, path / rel)
    for rel in sorted(set(own_files(old)) - set(new)) if old else ():
        target = path / rel
        if target.is_file() and path.resolve() in target.resolve().parents:
            target.unlink()
            if target.parent != path and not any(target.parent.iterdir()):
                target.parent.rmdir()  # a table folder the analysis made, now empty
    os.replace(tmp / MANIFEST, path / MANIFEST)


def check_destination(path: str | Path, *, overwrite: bool = False) -> None:
    """Raise now what :func:`write` would raise for ``path`` (nothing is written): for a
    command to refuse a bad ``--out`` before it analyses anything.

    Raises
    ------
    FramelensError
        As :func:`write`: a file, inside a file, read-only, or a non-empty folder that
        is not an analysis (without ``overwrite``).

    Examples
    --------
    >>> import tempfile
    >>> check_destination(tempfile.mkdtemp())
    """
    _check_destination(Path(os.path.abspath(path)), overwrite=overwrite)


def write(
    path: str | Path,
    tables: Mapping[str, pd.DataFrame],
    manifest: Mapping[str, Any],
    *,
    overwrite: bool = False,
    parts: Mapping[str, Sequence[int]] | None = None,
) -> Path:
    """Write ``tables`` and ``manifest`` as an analysis folder at ``path``.

    Parameters
    ----------
    path : path
        The folder. Absent or empty: created. An earlier analysis: its own files are
        replaced, other files in it are kept.
    tables : mapping of str to DataFrame
    manifest : mapping
        Written as ``manifest.json`` with ``format``, ``tables`` (row counts) and
        ``files`` (row count and SHA-256 of each file) added.
    overwrite : bool, keyword-only
        Also write into a non-empty folder that is not an analysis (files of the same
        names are replaced, nothing else is touched).
    parts : mapping of str to list of int, optional, keyword-only
        Row counts of each table's parts (the batches); default one part per table.

    Raises
    ------
    FramelensError
        When ``path`` is a file or inside one, is read-only or inside a read-only folder,
        is a non-empty folder that is not an analysis (without ``overwrite``), or writing
        fails (e.g. the disk is full); the destination is then left as it was.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "mine.txt").write_text("x")
    >>> write(d, {"docs": pd.DataFrame({"a": [1]})}, {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    framelens.errors.OutputError: ... is not empty and is not a framelens analysis ...
    """
    path = Path(os.path.abspath(path))  # "out/.." is the folder above, never a name
    old = _check_destination(path, overwrite=overwrite)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.framelens-tmp-", dir=path.parent))
        files = _write_tables(tmp, tables, parts or {})
        full = {
            **manifest,
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "tables": {k: int(len(v)) for k, v in tables.items()},
            "files": files,
        }
        text = json.dumps(full, indent=2, sort_keys=True, default=str)
        (tmp / MANIFEST).write_text(text, encoding="utf-8")
        _swap(tmp, path, old, [*files, MANIFEST])
    except OSError as exc:
        raise OutputError(
            f"cannot write the analysis to {path}: {exc.strerror or exc}; "
            "free space or choose another --out folder"
        ) from exc
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)  # the temporary folder is ours
    return path


class PartWriter:
    """Write an analysis folder table part by table part, as the batches finish.

    Parts go into a fresh temporary folder beside ``path``; :meth:`finish` writes the
    manifest and moves the analysis into place as :func:`write` does (same checks of the
    destination, nothing else deleted); :meth:`abort` removes the temporary folder. Each
    table's parts share the Arrow schema of its first part.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "an"
    >>> w = PartWriter(out)
    >>> for doc_id in ("a", "b"):
    ...     w.add("docs", pd.DataFrame({"doc_id": [doc_id]}))
    >>> _ = w.finish({})
    >>> open_folder(out)[0]["docs"]["doc_id"].tolist(), sorted(w.files)
    (['a', 'b'], ['docs/part-00000.parquet', 'docs/part-00001.parquet'])
    """

    def __init__(self, path: str | Path, *, overwrite: bool = False):
        self.path = Path(os.path.abspath(path))
        self.old = _check_destination(self.path, overwrite=overwrite)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(
            tempfile.mkdtemp(prefix=f".{self.path.name}.framelens-tmp-", dir=self.path.parent)
        )
        self.files: dict[str, dict] = {}
        self.rows: dict[str, int] = {}
        self._schemas: dict[str, Any] = {}
        self._empty: dict[str, pd.DataFrame] = {}
        self._parts: dict[str, int] = {}

    def add(self, name: str, df: pd.DataFrame) -> None:
        """Write ``df`` as the next part of table ``name`` (an empty frame only records the
        table and its columns: a table without rows gets one empty part at the end)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.rows.setdefault(name, 0)
        if len(df) == 0:
            self._empty.setdefault(name, df)
            return
        arrow = pa.Table.from_pandas(df, preserve_index=False)
        schema = self._schemas.setdefault(name, arrow.schema)
        if arrow.schema != schema:
            try:
                arrow = arrow.cast(schema)
            except (pa.ArrowException, ValueError, TypeError):
                pass  # kept as it is; the dataset reader unifies what it can
        k = self._parts.get(name, 0)  # a counter: no pass over every part written so far
        self._parts[name] = k + 1
        rel = f"{name}/part-{k:05d}.parquet"
        (self.tmp / name).mkdir(exist_ok=True)
        try:
            pq.write_table(arrow, self.tmp / rel)
        except OSError as exc:
            self.abort()
            raise OutputError(
                f"cannot write the analysis to {self.path}: {exc.strerror or exc}; "
                "free space or choose another --out folder"
            ) from exc
        self.files[rel] = {
            "table": name,
            "rows": len(df),
            "sha256": provenance.sha256_file(self.tmp / rel),
        }
        self.rows[name] += len(df)

    def finish(self, manifest: Mapping[str, Any]) -> Path:
        """Write the manifest and move the analysis to its folder; the folder."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        for name, df in self._empty.items():
            if self.rows[name] == 0:  # a table without rows: one empty part
                rel = f"{name}/part-00000.parquet"
                (self.tmp / name).mkdir(exist_ok=True)
                pq.write_table(pa.Table.from_pandas(df, preserve_index=False), self.tmp / rel)
                sha = provenance.sha256_file(self.tmp / rel)
                self.files[rel] = {"table": name, "rows": 0, "sha256": sha}
        full = {
            **manifest,
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "parts_per_batch": True,
            "tables": dict(self.rows),
            "files": dict(sorted(self.files.items())),
        }
        try:
            text = json.dumps(full, indent=2, sort_keys=True, default=str)
            (self.tmp / MANIFEST).write_text(text, encoding="utf-8")
            _swap(self.tmp, self.path, self.old, [*self.files, MANIFEST])
        except OSError as exc:
            raise OutputError(
                f"cannot write the analysis to {self.path}: {exc.strerror or exc}; "
                "free space or choose another --out folder"
            ) from exc
        finally:
            self.abort()
        return self.path

    def abort(self) -> None:
        """Remove the temporary folder (the destination is left as it was)."""
        if self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)


def _rows(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


def verify_files(path: str | Path, manifest: Mapping[str, Any]) -> None:
    """Check every file the manifest lists: present, row count and SHA-256 as saved.

    Raises
    ------
    FramelensError
        Naming the first file that is missing or differs from what was saved.

    Examples
    --------
    >>> verify_files(".", {"files": {}})
    """
    import pyarrow.parquet as pq

    path = Path(path)
    fix = "re-run the analysis (a cached one is recomputed) or load it with verify=False"
    for rel, info in (manifest.get("files") or {}).items():
        f = path / rel
        if not f.is_file():
            raise AnalysisFileError(f"{f} is missing; the analysis's manifest lists it: {fix}")
        try:
            rows = pq.read_metadata(f).num_rows
        except Exception as exc:  # not Parquet at all
            raise AnalysisFileError(f"{f} is not a readable Parquet file ({exc}): {fix}") from None
        if rows != info.get("rows"):
            raise AnalysisFileError(
                f"{f} has {_rows(rows)}, the manifest records {info.get('rows')}: "
                f"the file changed after the analysis was saved; {fix}"
            )
        if provenance.sha256_file(f) != info.get("sha256"):
            raise AnalysisFileError(
                f"{f} is not the file the analysis saved (its SHA-256 differs from the "
                f"manifest's): {fix}"
            )


def open_folder(path: str | Path, *, verify: bool = True, conform=None) -> tuple[LazyTables, dict]:
    """The tables (read on first use) and manifest of the analysis folder at ``path``.

    Parameters
    ----------
    verify : bool, keyword-only
        Check every file's row count and SHA-256 against the manifest first.
    conform : callable, optional, keyword-only
        ``conform(df, name)`` applied to each table as it is read.

    Raises
    ------
    FileNotFoundError
        When ``path`` holds no manifest.
    FramelensError
        When the manifest is unreadable or (``verify``) a table differs from what was saved.
    """
    path = Path(path)
    mf = path / MANIFEST
    if not mf.exists():
        raise FileNotFoundError(f"{path}: no {MANIFEST} here; is this a saved framelens analysis?")
    try:
        manifest = json.loads(mf.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise AnalysisFileError(f"{mf} is not valid JSON ({exc}); re-run the analysis") from None
    if verify:
        verify_files(path, manifest)
    rows = manifest.get("tables", {})

    def load(name: str) -> pd.DataFrame:
        df = read_table(path, manifest, name)
        if verify and "files" not in manifest and len(df) != rows[name]:
            raise AnalysisFileError(
                f"{path / f'{name}.parquet'} has {_rows(len(df))}, the manifest "
                f"records {rows[name]}; re-run the analysis"
            )
        return conform(df, name) if conform else df

    return LazyTables(rows, load), manifest
