"""Batch plans: where each batch of a corpus file starts, found in one pass; any batch
read on its own.

:func:`plan_batches` cuts a JSON lines, Parquet, CSV or TSV file (or a folder of .txt
files, :mod:`.txtbatches`) into batches of at most ``batch_size`` input records
without holding any of them, and :func:`read_batch` reads one batch as the source's
reader reads it (the same records, problems, record names and line numbers).
:func:`framelens.corpus.iter_batches` reads the batches in order; the Dask planner of
the streamed analysis sends each to a worker.

- **JSON lines**: one pass collects the field names in order of first use (so every
  batch has the same columns) and the byte offset and first line of each batch of
  ``batch_size`` non-blank lines.
- **Parquet**: row ranges, read from the row groups that hold them.
- **CSV / TSV**: one pass with :mod:`csv` over the file's lines (TSV: one more pass
  decides quoting over the whole file, as the reader does) records the byte offset,
  first line and number of earlier records of each batch's first record; the batch is
  parsed from there by the reader's own parser
  (:func:`~framelens.corpus.delimited.parse_delimited`), which numbers rows and lines
  as in the whole file.

A file the line readers do not stream (another encoding than UTF-8, a byte-order mark,
NUL bytes or undecodable bytes, a lone carriage return, no records, a quoted field
still open at the end of the file) has no plan (None): it is read whole.

Examples
--------
>>> import tempfile, pathlib
>>> from framelens.corpus.load import prepare
>>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
>>> _ = f.write_text('text,n\\n"One,\\nstill one",1\\nTwo,2\\nThree,3\\n')
>>> p = plan_batches(prepare(f), batch_size=2)
>>> [(b.line, b.start, b.n) for b in p.batches]
[(2, 0, 2), (5, 2, 1)]
>>> read_batch(p, p.batches[1])[0].records
['row 3']
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .delimited import open_quote_at_end, parse_delimited, sniff_delimiter, to_frame
from .problems import NUL_CHECK_BYTES, problem_row, skipped_record
from .sources import Raw
from .tabular import jsonl_records

__all__ = [
    "Batch",
    "Plan",
    "plan_batches",
    "read_batch",
    "for_batch",
    "jsonl_keys",
    "jsonl_raw",
]

#: JSON lines parsed at a time while collecting field names.
_KEY_CHUNK = 2000


@dataclass(frozen=True)
class Batch:
    """One batch of a source: ``index``; JSON lines, CSV, TSV: byte ``offset`` of its
    first line, that line's number ``line``, ``n`` records (JSON lines: non-blank lines);
    CSV / TSV: records before it ``start`` and the byte offset ``stop`` where it ends;
    Parquet: rows ``start`` to ``stop``; .txt folders: the ``files`` it reads."""

    index: int
    offset: int = 0
    line: int = 1
    n: int = 0
    start: int = 0
    stop: int = 0
    files: tuple[str, ...] = ()


@dataclass
class Plan:
    """What every batch of a source shares: the prepared options (``prep``), the JSON
    lines field names (``keys``), the batches, and per format: CSV / TSV ``sep``,
    ``quoting``, ``header`` and the file's ``size``; .txt folders the folder ``scan``."""

    prep: Any
    keys: list[str] = field(default_factory=list)
    batches: list[Batch] = field(default_factory=list)
    sep: str = ","
    quoting: bool = True
    header: list[str] = field(default_factory=list)
    size: int = 0
    scan: Any = None


class _Unstreamable(Exception):
    """The file is one the line readers do not stream (read whole instead)."""


def plan_batches(prep, *, batch_size: int) -> Plan | None:
    """The batches of a prepared source (:func:`framelens.corpus.load.prepare`), or None
    when the source is read whole (see the module docstring)."""
    if not hasattr(prep, "fmt") or not isinstance(prep.source, Path):
        return None
    if prep.fmt == "jsonl":
        return _plan_jsonl(prep, batch_size)
    if prep.fmt == "parquet":
        return _plan_parquet(prep, batch_size)
    if prep.fmt in ("csv", "tsv"):
        return _plan_delimited(prep, batch_size)
    if prep.fmt == "txt":
        from .txtbatches import plan_txt

        return plan_txt(prep, batch_size)
    return None


def read_batch(p: Plan, batch: Batch) -> tuple[Raw, list[int]]:
    """One batch of ``p`` as the source's reader's Raw, with the phase of each of its
    problems (the order :func:`~framelens.corpus.concat_problems` restores)."""
    fmt = p.prep.fmt
    if fmt == "jsonl":
        return _raw_jsonl(p, batch)
    if fmt == "parquet":
        return _raw_parquet(p, batch)
    if fmt in ("csv", "tsv"):
        return _raw_delimited(p, batch)
    from .txtbatches import read_txt_batch

    return read_txt_batch(p, batch)


def for_batch(p: Plan, batch: Batch) -> Plan:
    """What reading ``batch`` needs of ``p`` and no more (no list of batches; of a .txt
    folder's scan, the sidecar rows of the batch's files, the scan's problems for the
    first batch only): the plan a task on another machine is sent with.

    Examples
    --------
    >>> p = Plan(prep=None, batches=[Batch(0), Batch(1)])
    >>> for_batch(p, p.batches[1]).batches
    []
    """
    scan = p.scan
    if scan is not None:
        meta = {f: scan.meta[f] for f in batch.files if f in scan.meta}
        raw = scan.raw if batch.index == 0 else Raw(name=scan.name)
        scan = scan._replace(txt=[], meta=meta, raw=raw)
    return replace(p, batches=[], scan=scan)


def _utf8_head(path: Path, encoding: str) -> bytes:
    """The file's first bytes, when it is UTF-8 text the line readers stream."""
    if codecs.lookup(encoding).name != "utf-8":
        raise _Unstreamable
    with open(path, "rb") as fh:
        head = fh.read(NUL_CHECK_BYTES)
    if not head.strip() or head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE)):
        raise _Unstreamable
    if head.startswith(codecs.BOM_UTF16_BE) or b"\x00" in head:
        raise _Unstreamable
    return head


# ---- JSON lines


def jsonl_keys(lines) -> tuple[list[str], int]:
    """The field names of JSON lines ``(number, text)`` in order of first use, and the
    number of objects.

    The one pass over a JSON lines file that both the local batch reader and the Dask
    planner make.

    Examples
    --------
    >>> jsonl_keys([(1, '{"a": 1}'), (2, '{"b": 2, "a": 3}'), (3, "oops")])
    (['a', 'b'], 2)
    """
    keys: dict[str, None] = {}
    n_objects = 0
    chunk: list[tuple[int, str]] = []
    for i, text in lines:
        chunk.append((i, text))
        if len(chunk) >= _KEY_CHUNK:
            df = jsonl_records(chunk)[0]
            keys.update(dict.fromkeys(df.columns))
            n_objects += len(df)
            chunk = []
    df = jsonl_records(chunk)[0]
    keys.update(dict.fromkeys(df.columns))
    return list(keys), n_objects + len(df)


def _plan_jsonl(prep, batch_size: int) -> Plan | None:
    """One pass: the field names, and where each batch of non-blank lines starts."""
    batches: list[Batch] = []
    tail: list = [0, None]  # non-blank lines of the open batch, its (offset, line)

    def lines(fh):
        offset = 0
        for i, raw in enumerate(fh, 1):
            text = raw.decode("utf-8")
            if text.strip():
                if tail[1] is None:
                    tail[1] = (offset, i)
                tail[0] += 1
                if tail[0] >= batch_size:
                    batches.append(Batch(len(batches), *tail[1], tail[0]))
                    tail[:] = [0, None]
            offset += len(raw)
            yield i, text

    try:
        _utf8_head(prep.source, prep.opts.encoding)
        with open(prep.source, "rb") as fh:
            keys, n_objects = jsonl_keys(lines(fh))
    except (OSError, UnicodeDecodeError, _Unstreamable):
        return None
    if not n_objects:
        return None
    if tail[0]:
        batches.append(Batch(len(batches), *tail[1], tail[0]))
    return Plan(prep, keys, batches)


def _raw_jsonl(p: Plan, batch: Batch) -> tuple[Raw, list[int]]:
    lines: list[tuple[int, str]] = []
    with open(p.prep.source, "rb") as fh:
        fh.seek(batch.offset)
        i = batch.line
        while len(lines) < batch.n:
            raw = fh.readline()
            if not raw:
                break
            text = raw.decode("utf-8")
            if text.strip():
                lines.append((i, text))
            i += 1
    return jsonl_raw(p.prep, str(p.prep.source), p.keys, jsonl_records(lines))


def jsonl_raw(prep, name: str, keys: list[str], table) -> tuple[Raw, list[int]]:
    """A batch of JSON lines records as the JSONL reader's Raw, with phases of its problems
    (lone surrogates, then lines that are not records, then objects without the text)."""
    df, records, broken, notes = table
    missing = [k for k in keys if k not in df.columns]
    df = df.reindex(columns=keys) if len(df) else pd.DataFrame(columns=keys)
    for k in missing:  # a field no object of this batch has: missing text (its usual dtype)
        df[k] = df[k].astype("str")
    raw = Raw(name=name)
    phases: list[int] = []
    for rec, code, why in notes:
        raw.problems.append(problem_row(name, rec, None, code, f"{name}, {rec}: {why}."))
        phases.append(0)
    text_col = prep.opts.text_col
    absent: list[tuple[str, str]] = []
    kept = [True] * len(df)
    if text_col in keys:
        for i, k in enumerate(df.attrs.get("jsonl_keys", [])):
            if text_col not in k:
                kept[i] = False
                absent.append(
                    (
                        records[i],
                        f"the object has no {text_col!r} field; fields present: {list(k)}. "
                        "Pass text_col= if the text is in another field",
                    )
                )
    for phase, rows in ((1, broken), (2, absent)):
        for rec, why in rows:
            raw.problems.append(skipped_record(name, rec, why, "fix the line or remove it"))
            phases.append(phase)
    df = df[kept].reset_index(drop=True)
    records = [r for r, k in zip(records, kept) if k]
    raw.frame, raw.records, raw.sources = df, records, [Path(name).name] * len(df)
    raw.n_records = len(df) + len(broken) + len(absent)
    return raw, phases


# ---- Parquet


def _plan_parquet(prep, batch_size: int) -> Plan | None:
    import pyarrow.parquet as pq

    try:
        with open(prep.source, "rb") as fh:
            if fh.read(4) != b"PAR1":
                return None
        n = pq.ParquetFile(prep.source).metadata.num_rows
    except Exception:  # unreadable or damaged: the whole-file reader names the problem
        return None
    if n <= 0:
        return None
    bounds = range(0, n, batch_size)
    return Plan(
        prep, [], [Batch(i, start=a, stop=min(a + batch_size, n)) for i, a in enumerate(bounds)]
    )


def _raw_parquet(p: Plan, batch: Batch) -> tuple[Raw, list[int]]:
    """Rows ``start:stop`` from the row groups that hold them (the file's own schema)."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(p.prep.source)
    groups, first, at = [], None, 0
    for g in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        if at < batch.stop and at + n > batch.start:
            groups.append(g)
            first = at if first is None else first
        at += n
    table = pf.read_row_groups(groups).slice(batch.start - first, batch.stop - batch.start)
    df = table.cast(pf.schema_arrow).to_pandas().rename(columns=str)
    return parquet_raw(str(p.prep.source), df, batch.start), []


def parquet_raw(name: str, df: pd.DataFrame, start: int) -> Raw:
    """Parquet rows (the ``start``-th row of the file first) as the Parquet reader's Raw."""
    raw = Raw(name=name)
    raw.frame = df
    raw.records = [f"row {i}" for i in range(start + 1, start + len(df) + 1)]
    raw.sources = [Path(name).name] * len(df)
    raw.n_records = len(df)
    return raw


# ---- CSV / TSV


class _Lines:
    """The decoded lines of a binary file, with the byte offset after the last one read
    and the lines read since :meth:`cut`; a lone carriage return is unstreamable (the
    reader splits lines there, :mod:`csv` over file lines would not)."""

    def __init__(self, fh):
        self.fh, self.offset, self.lines = fh, 0, []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        raw = self.fh.readline()
        if not raw:
            raise StopIteration
        n_cr = raw.count(b"\r")
        if n_cr > 1 or (n_cr == 1 and not raw.endswith((b"\r\n", b"\r"))):
            raise _Unstreamable
        self.offset += len(raw)
        text = raw.decode("utf-8")
        self.lines.append(text)
        return text

    def cut(self) -> list[str]:
        out, self.lines = self.lines, []
        return out


def _tsv_quoting(path: Path) -> bool:
    """:func:`~framelens.corpus.delimited.tsv_uses_quoting` over the file, line by line."""
    with open(path, "rb") as fh:
        lines = _Lines(fh)
        counts: set[int] = set()
        quoted = False
        try:
            for row in csv.reader(lines, "excel-tab", strict=True):
                counts.add(len(row))
                for text in lines.cut():
                    quoted = quoted or text.startswith('"') or '\t"' in text or '\r"' in text
        except csv.Error:
            for _ in lines:  # the rest of the file: still refused when not streamable
                lines.cut()
            return False
    counts.discard(0)
    return quoted and len(counts) == 1


def _plan_delimited(prep, batch_size: int) -> Plan | None:
    """One pass with :mod:`csv`: header, and where each batch's first record starts."""
    # long: the record walk keeps offsets, line numbers and record counts together
    path = prep.source
    try:
        _utf8_head(path, prep.opts.encoding)
        if prep.fmt == "tsv":
            sep, quoting = "\t", _tsv_quoting(path)
        else:
            with open(path, "rb") as fh:
                first = fh.readline().decode("utf-8")
            sep, quoting = sniff_delimiter(first), True
        size = path.stat().st_size
        csv.field_size_limit(max(csv.field_size_limit(), size + 1))
        style = csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE
        header: list[str] | None = None
        batches: list[Batch] = []
        n_data = count = 0
        start = mark = (0, 1, 0)
        last: list[str] = []
        with open(path, "rb") as fh:
            lines = _Lines(fh)
            reader = csv.reader(lines, delimiter=sep, quoting=style, strict=False)
            for fields in reader:
                if not fields:
                    continue  # a blank line: part of the next record's lines
                if header is None:
                    header = fields
                else:
                    if count == 0:
                        start = mark
                    n_data += 1
                    count += 1
                    if count >= batch_size:
                        batches.append(Batch(len(batches), start[0], start[1], count, start[2]))
                        count = 0
                last = lines.cut()
                mark = (lines.offset, reader.line_num + 1, n_data)
    except (OSError, UnicodeDecodeError, csv.Error, _Unstreamable):
        return None
    if header is None or n_data == 0:
        return None
    if quoting and open_quote_at_end("".join(last), sep):
        return None  # a quotation mark that never closes: the reader restarts after it
    if count:
        batches.append(Batch(len(batches), start[0], start[1], count, start[2]))
    ends = [b.offset for b in batches[1:]] + [size]
    batches = [
        Batch(b.index, b.offset, b.line, b.n, b.start, stop) for b, stop in zip(batches, ends)
    ]
    return Plan(prep, batches=batches, sep=sep, quoting=quoting, header=header, size=size)


def _raw_delimited(p: Plan, batch: Batch) -> tuple[Raw, list[int]]:
    """A batch of CSV / TSV records as the delimited reader's Raw (warnings phase 0,
    refused records phase 1, as the reader lists them)."""
    prep = p.prep
    with open(prep.source, "rb") as fh:
        fh.seek(batch.offset)
        text = fh.read(batch.stop - batch.offset).decode("utf-8")
    d = parse_delimited(
        text,
        sep=p.sep,
        quoting=p.quoting,
        header=p.header,
        first_line=batch.line,
        first_row=batch.start,
        eof=batch.stop >= p.size,
    )
    opts = prep.opts
    str_cols = set(opts.mapped().values()) | {opts.id_col or "doc_id"}
    df = to_frame(d, str_cols)
    name = str(prep.source)
    raw = Raw(name=name)
    phases: list[int] = []
    for rec, code, why in d.notes:
        raw.problems.append(problem_row(name, rec, None, code, f"{name}, {rec}: {why}."))
        phases.append(0)
    for rec, why in d.broken:
        msg = (
            f"{name}, {rec}: {why}; the record was skipped, fix the quoting/delimiters on "
            "that line or remove it."
        )
        raw.problems.append(problem_row(name, rec, None, "bad_record", msg))
        phases.append(1)
    raw.frame, raw.records, raw.sources = df, d.records, [Path(name).name] * len(df)
    raw.n_records = len(df) + len(d.broken)
    return raw, phases
