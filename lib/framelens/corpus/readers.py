"""Readers, one per input format, and the reader registry."""

from __future__ import annotations

import codecs
import fnmatch
import hashlib
import io
import json
import logging
import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
import yaml

from framelens.errors import CorpusError

from .problems import IGNORED_NAMES, NUL_CHECK_BYTES, problem_row

log = logging.getLogger(__name__)


def doc_hash(text: str) -> str:
    """Return the stable document id of a text: the first 16 hex characters of the
    SHA-1 of its UTF-8 encoding.

    Examples
    --------
    >>> doc_hash("abc")
    'a9993e364706816a'
    """
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class _SourceError(Exception):
    """A whole-source problem (code + message), turned into a problems row."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _is_wide_encoding(encoding: str) -> bool:
    name = codecs.lookup(encoding).name
    return name.startswith(("utf-16", "utf-32"))


def _decode(data: bytes, encoding: str) -> tuple[str, str | None]:
    """Decode bytes; on failure decode with replacement and describe the first bad byte."""
    enc = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    try:
        return data.decode(enc), None
    except UnicodeDecodeError as e:
        detail = (
            f"bytes that are not valid {encoding} (first at byte {e.start}: "
            f"{data[e.start : e.start + 4]!r})"
        )
        return data.decode(enc, errors="replace"), detail


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise _SourceError(
            "unreadable_file",
            f"{path}: cannot read the file "
            f"({e.strerror or type(e).__name__}); check that it exists and "
            "that you may read it.",
        ) from None


def _looks_binary(data: bytes, encoding: str) -> bool:
    return not _is_wide_encoding(encoding) and b"\x00" in data[:NUL_CHECK_BYTES]


def clean_extra(s: pd.Series) -> pd.Series:
    """Give a user metadata column a Parquet-friendly dtype."""
    if s.dtype != object:
        return s
    vals = s.tolist()
    if any(isinstance(v, (list, dict, tuple, set)) for v in vals):
        vals = [
            json.dumps(v, default=str, ensure_ascii=False)
            if isinstance(v, (list, dict, tuple, set))
            else v
            for v in vals
        ]
        s = pd.Series(vals, index=s.index, dtype=object)
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("integer", "floating", "mixed-integer-float", "boolean", "decimal"):
        return s.convert_dtypes()
    if kind in ("date", "datetime", "datetime64"):
        return s
    return s.astype("string")


@dataclass(frozen=True)
class Options:
    text_col: Any
    id_col: Any
    title_col: Any
    outlet_col: Any
    date_col: Any
    url_col: Any
    language_col: Any
    metadata: Any
    encoding: str
    recursive: bool
    ignore: tuple[str, ...] = ()

    def mapped(self) -> dict[str, Any]:
        return {
            "text": self.text_col,
            "title": self.title_col,
            "outlet": self.outlet_col,
            "date": self.date_col,
            "url": self.url_col,
            "language": self.language_col,
        }


@dataclass
class Raw:
    """What a reader returns: raw records plus what it already found wrong."""

    name: str  # source name used in messages
    frame: pd.DataFrame | None = None  # one row per record that was read
    records: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    n_records: int = 0  # records seen, including failed ones
    default_ids: list[str] | None = None  # ids derived from file names (txt)
    strict_columns: bool = True  # missing mapped columns raise ValueError
    text_unreadable: dict[int, str] = field(default_factory=dict)  # row -> decode detail


def _read_table(
    path: Path, fmt: str, encoding: str, str_cols: set
) -> tuple[pd.DataFrame, list[str], list[tuple[str, str]], str | None]:
    """Read a tabular file. Returns (frame, record labels, [(record, bad message)],
    decode detail). Raises _SourceError for whole-file problems."""
    if fmt == "parquet":
        return _read_parquet_table(path)
    if fmt == "jsonl":
        return _read_jsonl_table(path, encoding)
    sep = "\t" if fmt == "tsv" else ","
    data = _read_bytes(path)
    if not data.strip():
        raise _SourceError("empty_source", f"{path}: the file is empty; nothing to load.")
    if _looks_binary(data, encoding):
        raise _SourceError(
            "wrong_format",
            f"{path}: contains NUL bytes, so it is not a "
            f"{fmt.upper()} text file (binary data, or a spreadsheet saved "
            "under the wrong name?); export it as UTF-8 CSV or pass the "
            "right format= .",
        )
    text, bad = _decode(data, encoding)
    try:
        header = pd.read_csv(io.StringIO(text), sep=sep, nrows=0)
        cols = [str(c) for c in header.columns]
        dtype = {c: str for c in cols if c in str_cols}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            df = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=dtype,
                keep_default_na=False,
                na_values=[""],
                on_bad_lines="warn",
            )
    except pd.errors.EmptyDataError:
        raise _SourceError("empty_source", f"{path}: no columns found; nothing to load.") from None
    except (pd.errors.ParserError, ValueError) as e:
        raise _SourceError(
            "wrong_format",
            f"{path}: cannot be parsed as {fmt.upper()} "
            f"({str(e).strip()}); check the delimiter and quoting or pass "
            "the right format= .",
        ) from None
    skipped = []
    for w in caught:
        for m in re.finditer(r"Skipping line (\d+): ([^\n]*)", str(w.message)):
            skipped.append((f"line {m.group(1)}", m.group(2)))
    df.columns = [str(c) for c in df.columns]
    records = [f"row {i}" for i in range(1, len(df) + 1)]
    return df, records, skipped, bad


def _read_parquet_table(path: Path):
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as e:
        raise _SourceError(
            "unreadable_file", f"{path}: cannot read the file ({e.strerror or type(e).__name__})."
        ) from None
    if size == 0:
        raise _SourceError("empty_source", f"{path}: the file is empty; nothing to load.")
    if head != b"PAR1":
        raise _SourceError(
            "wrong_format",
            f"{path}: is not a Parquet file (it does not "
            "start with the Parquet magic bytes PAR1); check the file, or "
            "pass format='csv' / 'jsonl' if that is what it holds.",
        )
    try:
        df = pd.read_parquet(path)
    except Exception as e:  # pyarrow raises several types for corrupt files
        raise _SourceError(
            "wrong_format",
            f"{path}: cannot be read as Parquet "
            f"({type(e).__name__}: {e}); the file may be truncated.",
        ) from None
    df = df.rename(columns=str)
    return df, [f"row {i}" for i in range(1, len(df) + 1)], [], None


def _read_jsonl_table(path: Path, encoding: str):
    data = _read_bytes(path)
    if not data.strip():
        raise _SourceError("empty_source", f"{path}: the file is empty; nothing to load.")
    if _looks_binary(data, encoding):
        raise _SourceError(
            "wrong_format",
            f"{path}: contains NUL bytes, so it is not a "
            "JSON Lines text file; write one JSON object per line in UTF-8.",
        )
    text, bad = _decode(data, encoding)
    rows: list[dict] = []
    records: list[str] = []
    broken: list[tuple[str, str]] = []
    loads = json.loads
    for i, line in enumerate(text.split("\n"), 1):
        s = line.strip()
        if not s:
            continue
        try:
            obj = loads(s)
        except json.JSONDecodeError as e:
            broken.append((f"line {i}", f"not valid JSON ({e.msg} at column {e.colno})"))
            continue
        except ValueError as e:  # e.g. numbers too large for Python's limits
            broken.append((f"line {i}", f"not valid JSON ({e})"))
            continue
        if not isinstance(obj, dict):
            broken.append((f"line {i}", f"a JSON {type(obj).__name__}, not an object"))
            continue
        rows.append(obj)
        records.append(f"line {i}")
    if not rows and broken:
        hint = ""
        try:
            whole = json.loads(text)
            if isinstance(whole, (list, dict)):
                hint = (
                    " The file holds one JSON document spread over lines; write one "
                    "object per line (e.g. pandas.read_json(path).to_json(out, "
                    "orient='records', lines=True))."
                )
        except ValueError:
            pass
        raise _SourceError(
            "wrong_format",
            f"{path}: no line is a JSON object, so this is "
            f"not JSON Lines ({broken[0][0]}: {broken[0][1]}).{hint}",
        )
    df = pd.DataFrame.from_records(rows) if rows else pd.DataFrame()
    df.columns = [str(c) for c in df.columns]
    df.attrs["jsonl_keys"] = [tuple(map(str, obj)) for obj in rows]  # which fields each object had
    return df, records, broken, bad


def _tabular_reader(fmt: str) -> Callable[[Any, Options], Raw]:
    def read(source: Path, opts: Options) -> Raw:
        name = str(source)
        raw = Raw(name=name)
        str_cols = {c for c in opts.mapped().values()} | {opts.id_col or "doc_id"}
        try:
            df, records, broken, bad = _read_table(source, fmt, opts.encoding, str_cols)
        except _SourceError as e:
            raw.problems.append(problem_row(name, None, None, e.code, e.message))
            return raw
        fix = (
            "fix the line or remove it"
            if fmt == "jsonl"
            else "fix the quoting/delimiters on that line or remove it"
        )
        keys = df.attrs.get("jsonl_keys")
        if fmt == "jsonl" and keys and opts.text_col in df.columns:
            # an object without the text field is a different problem from an empty text
            absent = np.array([opts.text_col not in k for k in keys])
            if absent.any():
                for i in absent.nonzero()[0]:
                    broken.append(
                        (
                            records[i],
                            f"the object has no {opts.text_col!r} field; "
                            f"fields present: {list(keys[i])}. Pass "
                            f"text_col= if the text is in another field",
                        )
                    )
                keep = ~absent
                df = df[keep].reset_index(drop=True)
                records = [r for r, k in zip(records, keep) if k]
        for rec, why in broken:
            raw.problems.append(
                problem_row(
                    name,
                    rec,
                    None,
                    "bad_record",
                    f"{name}, {rec}: {why}; the record was skipped, {fix}.",
                )
            )
        # the file's name, not the path as given: tables don't depend on where the corpus lies
        raw.frame, raw.records, raw.sources = df, records, [Path(name).name] * len(df)
        raw.n_records = len(df) + len(broken)
        if bad:
            _decode_warnings(raw, bad)
        if len(df) == 0 and not broken:
            raw.problems.append(
                problem_row(
                    name,
                    None,
                    None,
                    "empty_source",
                    f"{name}: has no records (header only); nothing to load.",
                )
            )
        return raw

    read.__name__ = f"read_{fmt}"
    read.__doc__ = f"Read a {fmt.upper()} file into raw records."
    return read


def _decode_warnings(raw: Raw, detail: str) -> None:
    """Attach decode_error warnings to the records whose values hold U+FFFD."""
    df = raw.frame
    hit = np.zeros(len(df), dtype=bool)
    for c in df.columns:
        s = df[c]
        if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
            has = s.astype("string").str.contains("\ufffd", regex=False)
            hit |= has.fillna(False).to_numpy(bool)
    rows = np.flatnonzero(hit)
    if len(rows) == 0:
        raw.problems.append(
            problem_row(
                raw.name,
                None,
                None,
                "decode_error",
                f"{raw.name}: {detail}; they were replaced by U+FFFD. "
                f"Re-save the file as UTF-8 or pass encoding=.",
            )
        )
    for i in rows:
        rec = raw.records[i]
        raw.problems.append(
            problem_row(
                raw.name,
                rec,
                None,
                "decode_error",
                f"{raw.name}, {rec}: {detail} in the file; this record "
                "holds replacement characters (U+FFFD). Re-save the file "
                "as UTF-8 or pass encoding=.",
            )
        )


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*(?:\n|\Z)", re.S | re.M)


def _front_matter(text: str) -> tuple[dict | None, str, str | None]:
    """Split YAML front matter from a text: (metadata or None, body, problem or None).

    When the block between the ``---`` lines is not a YAML mapping, the whole text is
    kept as the body (it may be a rule in the article, not metadata) with a problem.
    """
    if not text.startswith("---"):
        return None, text, None
    m = _FRONT_MATTER.match(text)
    if not m:
        return None, text, None
    body = text[m.end() :]
    try:
        meta = yaml.load(m.group(1), Loader=_YAML_LOADER) if m.group(1).strip() else {}
    except yaml.YAMLError as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        return None, text, f"front matter is not valid YAML ({first})"
    if not isinstance(meta, dict):
        return None, text, f"front matter is a YAML {type(meta).__name__}, not a mapping"
    return {str(k): v for k, v in meta.items()}, body, None


def _scan_folder(root: Path, recursive: bool) -> list[str]:
    """Relative POSIX paths of all files (and broken links) under root, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = Path(dirpath).relative_to(root)
        for f in filenames:
            if not f.startswith("."):
                out.append((rel_dir / f).as_posix())
        if not recursive:
            # broken links / dirs named *.txt are not walked; report subfolders once
            if dirnames:
                log.info("%s: not reading subfolders %s (recursive=False)", root, dirnames)
            break
    return sorted(out)


def _read_sidecar(meta: Any, opts: Options) -> tuple[pd.DataFrame | None, list]:
    """Read a sidecar metadata table: a path or a DataFrame with a ``file`` column."""
    problems: list[dict] = []
    if isinstance(meta, pd.DataFrame):
        df = meta.rename(columns=str)
        sname = "metadata DataFrame"
    else:
        path = Path(meta)
        sname = str(path)
        if not path.exists():
            raise CorpusError(
                f"metadata file {path} does not exist; pass metadata= "
                "the path of a CSV with a 'file' column"
            )
        fmt = SUFFIXES.get(path.suffix.lower())
        if fmt not in ("csv", "tsv", "jsonl", "parquet"):
            raise CorpusError(
                f"metadata file {path}: unknown format {path.suffix!r}; use a "
                ".csv, .tsv, .jsonl or .parquet file with a 'file' column"
            )
        str_cols = set(opts.mapped().values()) | {opts.id_col or "doc_id", "file"}
        try:
            df, records, broken, _bad = _read_table(path, fmt, opts.encoding, str_cols)
        except _SourceError as e:
            problems.append(
                problem_row(sname, None, None, e.code, e.message + " The metadata was not used.")
            )
            return None, problems
        for rec, why in broken:
            problems.append(
                problem_row(
                    sname,
                    rec,
                    None,
                    "bad_metadata",
                    f"{sname}, {rec}: {why}; this metadata row was skipped, "
                    "fix it to give its file metadata.",
                )
            )
    if "file" not in df.columns:
        raise CorpusError(
            f"{sname}: the sidecar metadata needs a 'file' column naming each "
            f".txt file; available columns: {', '.join(map(str, df.columns))}"
        )
    return df.reset_index(drop=True), problems


def _read_txt(source: Path, opts: Options) -> Raw:
    """Read a folder of .txt files (or one .txt file) into raw records."""
    name = str(source)
    raw = Raw(name=name, strict_columns=False)
    if source.is_dir():
        root = source
        sidecar = opts.metadata
        if sidecar is None and (root / "metadata.csv").is_file():
            sidecar = root / "metadata.csv"
        names = _scan_folder(root, opts.recursive)
    else:  # one .txt file: a sidecar (given, or metadata.csv beside it) may describe it
        root = source.parent
        sidecar = opts.metadata
        if sidecar is None and (root / "metadata.csv").is_file():
            sidecar = root / "metadata.csv"
        names = [source.name]
    single = not source.is_dir()
    sidecar_rel = None
    if isinstance(sidecar, (str, os.PathLike)):
        try:
            sidecar_rel = Path(sidecar).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            sidecar_rel = None

    txt: list[str] = []
    for rel in names:
        if rel == sidecar_rel or any(
            fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(PurePosixPath(rel).name, pat)
            for pat in opts.ignore
        ):
            continue
        if rel.lower().endswith(".txt"):
            txt.append(rel)
        elif IGNORED_NAMES.match(PurePosixPath(rel).name):
            log.debug("%s: ignoring %s (documentation, not data)", name, rel)
        else:
            raw.problems.append(
                problem_row(
                    name,
                    rel,
                    None,
                    "skipped_file",
                    f"{name}, {rel}: not a .txt file, so it was not "
                    "read; move it out of the corpus folder or load it "
                    "separately (e.g. load_corpus('...csv')).",
                )
            )

    # sidecar metadata
    meta_rows: dict[str, dict] = {}
    if sidecar is not None:
        sdf, sprobs = _read_sidecar(sidecar, opts)
        raw.problems.extend(sprobs)
        if sdf is not None:
            sname = "metadata DataFrame" if isinstance(sidecar, pd.DataFrame) else str(sidecar)
            txt_set = set(txt)
            by_base: dict[str, list[str]] = {}
            for rel in txt:
                by_base.setdefault(PurePosixPath(rel).name, []).append(rel)
            cols = [c for c in sdf.columns if c != "file"]
            files = sdf["file"].astype("string").tolist()
            values = {c: sdf[c].tolist() for c in cols}
            for i, f in enumerate(files):
                if f is None or f is pd.NA or not str(f).strip():
                    raw.n_records += 1
                    raw.problems.append(
                        problem_row(
                            sname,
                            f"row {i + 1}",
                            None,
                            "missing_file",
                            f"{sname}, row {i + 1}: the 'file' value is "
                            "empty; fill it in or remove the row.",
                        )
                    )
                    continue
                key = str(f).strip().replace("\\", "/")
                if key.startswith("./"):
                    key = key[2:]
                rel = key if key in txt_set else None
                if rel is None and len(by_base.get(PurePosixPath(key).name, [])) == 1:
                    rel = by_base[PurePosixPath(key).name][0]
                if rel is None and single:
                    continue  # the sidecar describes other files of the folder too
                if rel is None:
                    extra = "" if key.lower().endswith(".txt") else " (only .txt files are read)"
                    raw.n_records += 1
                    raw.problems.append(
                        problem_row(
                            sname,
                            key,
                            None,
                            "missing_file",
                            f"{sname}, file {key}: listed in the "
                            f"metadata but not found in {name}{extra}; "
                            "add the file or remove the row.",
                        )
                    )
                    continue
                if rel in meta_rows:
                    raw.problems.append(
                        problem_row(
                            sname,
                            key,
                            None,
                            "duplicate_metadata",
                            f"{sname}, file {key}: listed more than "
                            "once; the first row was used, remove the "
                            "others.",
                        )
                    )
                    continue
                meta_rows[rel] = {c: values[c][i] for c in cols if not is_missing(values[c][i])}

    # the files
    rows: list[dict] = []
    records: list[str] = []
    sources: list[str] = []
    default_ids: list[str] = []
    text_key = opts.text_col
    wide = _is_wide_encoding(opts.encoding)
    for rel in txt:
        path = root / rel
        raw.n_records += 1
        try:
            data = path.read_bytes()
        except OSError as e:
            why = e.strerror or type(e).__name__
            raw.problems.append(
                problem_row(
                    name,
                    rel,
                    None,
                    "unreadable_file",
                    f"{name}, {rel}: cannot read the file ({why}); "
                    "check that it exists (not a broken link) and that "
                    "you may read it.",
                )
            )
            continue
        if not wide and b"\x00" in data:
            raw.problems.append(
                problem_row(
                    name,
                    rel,
                    None,
                    "wrong_format",
                    f"{name}, {rel}: contains NUL bytes, so it is not a "
                    "plain-text file (binary data renamed .txt?); the "
                    "file was skipped, convert it to UTF-8 text or "
                    "remove it.",
                )
            )
            continue
        text, bad = _decode(data, opts.encoding)
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        fm, body, fm_problem = _front_matter(text)
        row: dict[str, Any] = {}
        if fm_problem:
            raw.problems.append(
                problem_row(
                    name,
                    rel,
                    None,
                    "bad_front_matter",
                    f"{name}, {rel}: {fm_problem}; it was not used as "
                    "metadata and stays part of the text. Fix the YAML "
                    "between the --- lines.",
                )
            )
        if fm:
            row.update({k: _scalar(v) for k, v in fm.items()})
        if rel in meta_rows:
            row.update(meta_rows[rel])
        row[text_key] = body
        if bad:
            raw.text_unreadable[len(rows)] = bad
        rows.append(row)
        records.append(rel)
        sources.append(rel)  # relative to the corpus folder: tables don't depend on where it lies
        stem = rel[:-4] if rel.lower().endswith(".txt") else rel
        default_ids.append(stem)
    if not txt and not any(p["code"] == "missing_file" for p in raw.problems):
        others = [p["record"] for p in raw.problems if p["code"] == "skipped_file"]
        hint = (
            f" (found {', '.join(others[:5])}{' ...' if len(others) > 5 else ''}; to "
            "load a table pass its path, e.g. load_corpus('folder/file.csv'))"
            if others
            else ""
        )
        raw.problems.append(
            problem_row(
                name,
                None,
                None,
                "empty_source",
                f"{name}: no .txt files found{hint}; nothing to load.",
            )
        )
    if rows:
        raw.frame = pd.DataFrame(rows)
        raw.frame.columns = [str(c) for c in raw.frame.columns]
    else:
        raw.frame = pd.DataFrame({text_key: pd.Series(dtype=object)})
    raw.records, raw.sources, raw.default_ids = records, sources, default_ids
    return raw


def _scalar(v: Any) -> Any:
    if isinstance(v, (list, dict, tuple, set)):
        return json.dumps(v, default=str, ensure_ascii=False)
    return v


def is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and np.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def _read_dataframe(source: pd.DataFrame, opts: Options) -> Raw:
    """Use an in-memory DataFrame as raw records (never modified)."""
    raw = Raw(name="DataFrame")
    df = source.rename(columns=str)  # a new object; the caller's frame is untouched
    labels = [str(x) for x in source.index]
    raw.frame = df.reset_index(drop=True)
    raw.records = [f"index {x}" for x in labels]
    raw.sources = [f"DataFrame[{x}]" for x in labels]
    raw.n_records = len(df)
    if len(df) == 0:
        raw.problems.append(
            problem_row(
                "DataFrame", None, None, "empty_source", "DataFrame: has no rows; nothing to load."
            )
        )
    return raw


#: Readers by format name: ``reader(source, options) -> raw records``. Extend with
#: :func:`register_reader`.
READERS: dict[str, Callable[[Any, Options], Raw]] = {
    "txt": _read_txt,
    "csv": _tabular_reader("csv"),
    "tsv": _tabular_reader("tsv"),
    "jsonl": _tabular_reader("jsonl"),
    "parquet": _tabular_reader("parquet"),
    "dataframe": _read_dataframe,
}


#: File name suffixes (lower case) and the format they mean.
SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def register_reader(name: str, reader: Callable, *, suffixes: tuple[str, ...] = ()) -> None:
    """Register a reader for a new format.

    Parameters
    ----------
    name : str
        Format name, usable as ``load_corpus(..., format=name)``.
    reader : callable
        ``reader(path, options) -> Raw``; see the built-in readers.
    suffixes : tuple of str
        File suffixes (``".xml"``) that select this format.
    """
    if not callable(reader):
        raise TypeError("reader must be callable")
    READERS[name] = reader
    for s in suffixes:
        SUFFIXES[s.lower() if s.startswith(".") else "." + s.lower()] = name


def detect_format(source: Any) -> str | None:
    """Return the format name of a source (``None`` when the extension is unknown).

    Examples
    --------
    >>> detect_format("news.ndjson")
    'jsonl'
    >>> detect_format("news.xlsx") is None
    True
    """
    if isinstance(source, pd.DataFrame):
        return "dataframe"
    p = Path(source)
    if p.is_dir():
        return "txt"
    return SUFFIXES.get(p.suffix.lower())
