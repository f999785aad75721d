"""Readers of tables: CSV / TSV, JSON lines, Parquet files and in-memory DataFrames."""

from __future__ import annotations

import io
import json
import logging
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .problems import problem_row
from .sources import Options, Raw, SourceError, decode_bytes, looks_binary, read_bytes

log = logging.getLogger(__name__)


def read_table(
    path: Path, fmt: str, encoding: str, str_cols: set
) -> tuple[pd.DataFrame, list[str], list[tuple[str, str]], str | None]:
    """Read a tabular file. Returns (frame, record labels, [(record, bad message)],
    decode detail). Raises SourceError for whole-file problems."""
    if fmt == "parquet":
        return _read_parquet_table(path)
    if fmt == "jsonl":
        return _read_jsonl_table(path, encoding)
    sep = "\t" if fmt == "tsv" else ","
    data = read_bytes(path)
    if not data.strip():
        raise SourceError("empty_source", f"{path}: the file is empty; nothing to load.")
    if looks_binary(data, encoding):
        raise SourceError(
            "wrong_format",
            f"{path}: contains NUL bytes, so it is not a "
            f"{fmt.upper()} text file (binary data, or a spreadsheet saved "
            "under the wrong name?); export it as UTF-8 CSV or pass the "
            "right format= .",
        )
    text, bad = decode_bytes(data, encoding)
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
        raise SourceError("empty_source", f"{path}: no columns found; nothing to load.") from None
    except (pd.errors.ParserError, ValueError) as e:
        raise SourceError(
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
        raise SourceError(
            "unreadable_file", f"{path}: cannot read the file ({e.strerror or type(e).__name__})."
        ) from None
    if size == 0:
        raise SourceError("empty_source", f"{path}: the file is empty; nothing to load.")
    if head != b"PAR1":
        raise SourceError(
            "wrong_format",
            f"{path}: is not a Parquet file (it does not "
            "start with the Parquet magic bytes PAR1); check the file, or "
            "pass format='csv' / 'jsonl' if that is what it holds.",
        )
    try:
        df = pd.read_parquet(path)
    except Exception as e:  # pyarrow raises several types for corrupt files
        raise SourceError(
            "wrong_format",
            f"{path}: cannot be read as Parquet "
            f"({type(e).__name__}: {e}); the file may be truncated.",
        ) from None
    df = df.rename(columns=str)
    return df, [f"row {i}" for i in range(1, len(df) + 1)], [], None


def _read_jsonl_table(path: Path, encoding: str):
    data = read_bytes(path)
    if not data.strip():
        raise SourceError("empty_source", f"{path}: the file is empty; nothing to load.")
    if looks_binary(data, encoding):
        raise SourceError(
            "wrong_format",
            f"{path}: contains NUL bytes, so it is not a "
            "JSON Lines text file; write one JSON object per line in UTF-8.",
        )
    text, bad = decode_bytes(data, encoding)
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
        raise SourceError(
            "wrong_format",
            f"{path}: no line is a JSON object, so this is "
            f"not JSON Lines ({broken[0][0]}: {broken[0][1]}).{hint}",
        )
    df = pd.DataFrame.from_records(rows) if rows else pd.DataFrame()
    df.columns = [str(c) for c in df.columns]
    df.attrs["jsonl_keys"] = [tuple(map(str, obj)) for obj in rows]  # which fields each object had
    return df, records, broken, bad


def tabular_reader(fmt: str) -> Callable[[Any, Options], Raw]:
    def read(source: Path, opts: Options) -> Raw:
        name = str(source)
        raw = Raw(name=name)
        str_cols = {c for c in opts.mapped().values()} | {opts.id_col or "doc_id"}
        try:
            df, records, broken, bad = read_table(source, fmt, opts.encoding, str_cols)
        except SourceError as e:
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
            decode_warnings(raw, bad)
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


def decode_warnings(raw: Raw, detail: str) -> None:
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


def read_dataframe(source: pd.DataFrame, opts: Options) -> Raw:
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
