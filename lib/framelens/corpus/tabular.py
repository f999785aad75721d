"""Readers of tables: CSV / TSV, JSON lines, Parquet files and in-memory DataFrames."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .delimited import parse_delimited, sniff_delimiter, to_frame, tsv_uses_quoting
from .problems import problem_row, skipped_record
from .sources import (
    Options,
    Raw,
    SourceError,
    decode_bytes,
    fix_surrogates,
    looks_binary,
    read_bytes,
    utf16_hint,
)

log = logging.getLogger(__name__)


class Table(NamedTuple):
    """A table file as read: frame, record names, refused records ``(record, why)``,
    a decode detail (or None) and warnings ``(record, code, why)``."""

    frame: pd.DataFrame
    records: list[str]
    broken: list[tuple[str, str]]
    bad: str | None
    notes: list[tuple[str, str, str]]


def read_table(path: Path, fmt: str, encoding: str, str_cols: set) -> Table:
    """Read a tabular file. Raises SourceError for whole-file problems."""
    if fmt == "parquet":
        return _read_parquet_table(path)
    if fmt == "jsonl":
        return _read_jsonl_table(path, encoding)
    data = read_bytes(path)
    if not data.strip():
        raise SourceError("empty_source", f"{path}: the file is empty; nothing to load.")
    if looks_binary(data, encoding):
        raise SourceError(
            "wrong_format",
            f"{path}: contains NUL bytes, so it is not a "
            f"{fmt.upper()} text file (binary data, or a spreadsheet saved "
            "under the wrong name?); export it as UTF-8 CSV or pass the "
            f"right format= .{utf16_hint(data)}",
        )
    text, bad = decode_bytes(data, encoding)
    if not text.strip():
        raise SourceError("empty_source", f"{path}: no columns found; nothing to load.")
    if fmt == "tsv":
        sep, quoting = "\t", tsv_uses_quoting(text)
    else:
        sep, quoting = sniff_delimiter(text), True
    d = parse_delimited(text, sep=sep, quoting=quoting)
    if not d.header:
        raise SourceError("empty_source", f"{path}: no columns found; nothing to load.")
    return Table(to_frame(d, str_cols), d.records, d.broken, bad, d.notes)


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
    return Table(df, [f"row {i}" for i in range(1, len(df) + 1)], [], None, [])


def _not_jsonl(path: Path, text: str, broken: list[tuple[str, str]]) -> SourceError:
    """The error for a .jsonl file none of whose lines is a JSON object."""
    hint = ""
    try:
        whole = json.loads(text)
        if isinstance(whole, (list, dict)):
            hint = (
                " The file holds one JSON document spread over lines; write one "
                "object per line (e.g. pandas.read_json(path).to_json(out, "
                "orient='records', lines=True))."
            )
    except (ValueError, RecursionError):
        pass
    return SourceError(
        "wrong_format",
        f"{path}: no line is a JSON object, so this is "
        f"not JSON Lines ({broken[0][0]}: {broken[0][1]}).{hint}",
    )


def _read_jsonl_table(path: Path, encoding: str):
    data = read_bytes(path)
    if not data.strip():
        raise SourceError("empty_source", f"{path}: the file is empty; nothing to load.")
    if looks_binary(data, encoding):
        raise SourceError(
            "wrong_format",
            f"{path}: contains NUL bytes, so it is not a "
            f"JSON Lines text file; write one JSON object per line in UTF-8.{utf16_hint(data)}",
        )
    text, bad = decode_bytes(data, encoding)
    df, records, broken, notes = jsonl_records(enumerate(text.split("\n"), 1))
    if not records and broken:
        raise _not_jsonl(path, text, broken)
    return Table(df, records, broken, bad, notes)


def jsonl_records(lines: Iterable[tuple[int, str]]):
    """Parse JSON lines ``(line number, text)``: the frame of objects (``attrs
    ["jsonl_keys"]``: the fields each object had), record names, refused lines
    ``(record, why)`` and warnings ``(record, code, why)``.

    What the JSONL reader and the batch reader (:mod:`.stream`) share.

    Examples
    --------
    >>> df, records, broken, notes = jsonl_records([(1, '{"text": "a"}'), (2, "[1]")])
    >>> records, broken
    (['line 1'], [('line 2', 'a JSON list, not an object')])
    """
    rows: list[dict] = []
    records: list[str] = []
    broken: list[tuple[str, str]] = []
    notes: list[tuple[str, str, str]] = []
    repeated: list[str] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            keys = [k for k, _ in pairs]
            repeated.extend(k for k in obj if keys.count(k) > 1)
        return obj

    for i, line in lines:
        s = line.strip()
        if not s:
            continue
        repeated.clear()
        try:
            obj = json.loads(s, object_pairs_hook=pairs_hook)
        except json.JSONDecodeError as e:
            broken.append((f"line {i}", f"not valid JSON ({e.msg} at column {e.colno})"))
            continue
        except ValueError as e:  # e.g. numbers too large for Python's limits
            broken.append((f"line {i}", f"not valid JSON ({e})"))
            continue
        except RecursionError:
            broken.append((f"line {i}", "JSON nested too deeply to read"))
            continue
        if not isinstance(obj, dict):
            broken.append((f"line {i}", f"a JSON {type(obj).__name__}, not an object"))
            continue
        if repeated:
            broken.append(
                (
                    f"line {i}",
                    f"the object repeats the key(s) {sorted(set(repeated))} (JSON keeps only "
                    "the last value, so one would be lost silently); give each field once",
                )
            )
            continue
        fixed, hit = fix_surrogates(obj)
        if hit:
            notes.append(
                (
                    f"line {i}",
                    "decode_error",
                    "a value holds a lone surrogate (an unpaired \\ud800-\\udfff escape, "
                    "not valid Unicode); it was replaced by U+FFFD. Fix the escape in the "
                    "source",
                )
            )
        rows.append(fixed)
        records.append(f"line {i}")
    df = pd.DataFrame(rows, index=range(len(rows))) if rows else pd.DataFrame()  # [{}]: 1 row
    df.columns = [str(c) for c in df.columns]
    df.attrs["jsonl_keys"] = [tuple(map(str, obj)) for obj in rows]  # which fields each object had
    return df, records, broken, notes


def tabular_reader(fmt: str) -> Callable[[Any, Options], Raw]:
    def read(source: Path, opts: Options) -> Raw:
        name = str(source)
        raw = Raw(name=name)
        str_cols = {c for c in opts.mapped().values()} | {opts.id_col or "doc_id"}
        try:
            df, records, broken, bad, notes = read_table(source, fmt, opts.encoding, str_cols)
        except SourceError as e:
            raw.problems.append(problem_row(name, None, None, e.code, e.message))
            return raw
        for rec, code, why in notes:
            raw.problems.append(problem_row(name, rec, None, code, f"{name}, {rec}: {why}."))
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
            raw.problems.append(skipped_record(name, rec, why, fix))
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
