"""Batch descriptors: plan a corpus file's batches on one machine, read each elsewhere.

:func:`plan` cuts a JSON lines or Parquet file into the batches
:func:`framelens.corpus.iter_batches` makes (same records in each, same order) without
holding any of them: a JSON lines batch is a byte offset, its first line number and its
number of non-blank lines; a Parquet batch is a range of rows (read from the row groups
that hold it). :func:`read` reads and validates one batch wherever it runs (a Dask
worker), with a :class:`~framelens.corpus.validate.DuplicateChecker` that may be seeded
with the ids and texts earlier batches used, and records every id and text hash it is
shown (:class:`RecordingChecker`), so that a driver can find repeats across batches from
those small lists alone (:mod:`.scaleout`).

The reading mirrors :mod:`framelens.corpus.stream` step for step (the field names of a
JSON lines file from a first pass, the same line parser, problems, phases and record
names); ``tests/pipeline/test_dask.py`` checks the batches are equal to
``iter_batches``'s. Any other source (CSV, TSV, a folder of .txt files, a file the line
reader does not stream) has no plan: :func:`plan` returns None.

Examples
--------
>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "c.jsonl"
>>> _ = f.write_text('{"text": "One."}\\n\\n{"text": "Two."}\\n{"text": "Three."}\\n')
>>> p = plan(f, batch_size=2)
>>> [(d.index, d.line, d.n) for d in p.batches]
[(0, 1, 2), (1, 4, 1)]
>>> [read(p, d)[0]["text"].tolist() for d in p.batches]
[['One.', 'Two.'], ['Three.']]
"""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framelens.corpus.load import prepare
from framelens.corpus.problems import NUL_CHECK_BYTES, problems_frame
from framelens.corpus.readers import doc_hash
from framelens.corpus.sources import Raw
from framelens.corpus.stream import jsonl_raw
from framelens.corpus.tabular import jsonl_records
from framelens.corpus.validate import DuplicateChecker, normalise

__all__ = ["Batch", "Plan", "RecordingChecker", "plan", "read"]

#: Phase numbers of the validation checks start here (as in framelens.corpus.stream).
CHECKS = 10

#: Phases of column-level checks: reported once, by the first batch.
COLUMN_PHASES = {CHECKS + 1, CHECKS + 3}


@dataclass(frozen=True)
class Batch:
    """One batch of a source: ``index``; JSON lines: byte ``offset``, first ``line``, ``n``
    non-blank lines; Parquet: rows ``start`` to ``stop``."""

    index: int
    offset: int = 0
    line: int = 1
    n: int = 0
    start: int = 0
    stop: int = 0


@dataclass
class Plan:
    """What every batch of a source shares: the prepared options, the format, the JSON
    lines field names, and the batches."""

    prep: Any
    keys: list[str] = field(default_factory=list)
    batches: list[Batch] = field(default_factory=list)


class RecordingChecker(DuplicateChecker):
    """A duplicate checker that records the ids and text hashes it is shown.

    ``seed`` (``{"texts": {hash: (record, doc_id, copies)}, "ids": {doc_id: record}}``)
    is what earlier batches left; it is applied first and not recorded.

    Examples
    --------
    >>> chk = RecordingChecker({"texts": {}, "ids": {"a": "line 1"}})
    >>> chk.see_id("a", "line 9"), chk.ids
    ('line 1', [('a', 'line 9')])
    """

    def __init__(self, seed: dict | None = None):
        super().__init__()
        for h, (rec, doc_id, copies) in (seed or {}).get("texts", {}).items():
            for _ in range(copies):
                super().see_text("", rec, doc_id, key=h)
        for doc_id, rec in (seed or {}).get("ids", {}).items():
            super().see_id(doc_id, rec)
        self.texts: list[tuple[str, str, str]] = []
        self.ids: list[tuple[str, str]] = []

    def see_id(self, doc_id: str, record: str) -> str | None:
        self.ids.append((doc_id, record))
        return super().see_id(doc_id, record)

    def see_text(self, text: str, record: str, doc_id: str, *, key: str | None = None):
        h = key if key is not None else doc_hash(text)
        self.texts.append((h, record, doc_id))
        return super().see_text(text, record, doc_id, key=h)


def plan(source: Any, *, batch_size: int, **load_options: Any) -> Plan | None:
    """The batches of a JSON lines or Parquet file, or None (read it on the driver).

    Raises
    ------
    framelens.errors.CorpusError
        As :func:`framelens.load_corpus` for bad options.
    """
    prep = prepare(source, **load_options)
    if not hasattr(prep, "fmt") or not isinstance(prep.source, Path):
        return None
    if prep.fmt == "jsonl":
        return _plan_jsonl(prep, batch_size)
    if prep.fmt == "parquet":
        return _plan_parquet(prep, batch_size)
    return None


def _plan_jsonl(prep, batch_size: int) -> Plan | None:
    """One pass: the field names in order of first use, and where each batch starts."""
    if codecs.lookup(prep.opts.encoding).name != "utf-8":
        return None
    keys: dict[str, None] = {}
    batches: list[Batch] = []
    n_objects, offset, count, start = 0, 0, 0, None
    try:
        with open(prep.source, "rb") as fh:
            head = fh.read(NUL_CHECK_BYTES)
            if not head.strip() or head.startswith(codecs.BOM_UTF8) or b"\x00" in head:
                return None
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return None
            fh.seek(0)
            lines: list[tuple[int, str]] = []
            for i, raw in enumerate(fh, 1):
                text = raw.decode("utf-8")
                lines.append((i, text))
                if text.strip():
                    if start is None:
                        start = (offset, i)
                    count += 1
                    if count >= batch_size:
                        batches.append(Batch(len(batches), start[0], start[1], count))
                        count, start = 0, None
                offset += len(raw)
                if len(lines) >= 2000:
                    df = jsonl_records(lines)[0]
                    keys.update(dict.fromkeys(df.columns))
                    n_objects += len(df)
                    lines = []
            df = jsonl_records(lines)[0]
            keys.update(dict.fromkeys(df.columns))
            n_objects += len(df)
    except (OSError, UnicodeDecodeError):
        return None
    if not n_objects:
        return None
    if count:
        batches.append(Batch(len(batches), start[0], start[1], count))
    return Plan(prep, list(keys), batches)


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


def read(p: Plan, batch: Batch, *, checker: DuplicateChecker | None = None):
    """Read and validate one batch: ``(docs, problems)`` as ``iter_batches`` yields it
    (the problems' phases in ``attrs["phases"]``), given the duplicate ``checker`` the
    batches before it leave (a fresh one by default)."""
    raw, raw_phases = _raw_jsonl(p, batch) if p.prep.fmt == "jsonl" else _raw_parquet(p, batch)
    marks: list[int] = []
    prep = p.prep
    docs, problems = normalise(
        raw,
        prep.opts,
        defaults=prep.defaults,
        max_chars=prep.max_chars,
        check_language=prep.check_language,
        checker=checker if checker is not None else DuplicateChecker(),
        marks=marks,
    )
    phases = [
        raw_phases[j] if j < marks[0] else CHECKS + bisect.bisect_right(marks, j)
        for j in range(len(problems))
    ]
    if batch.index > 0:  # a column's problem is the same in every batch: reported once
        keep = [
            not (ph in COLUMN_PHASES and row["record"] is None) for ph, row in zip(phases, problems)
        ]
        problems = [row for row, k in zip(problems, keep) if k]
        phases = [ph for ph, k in zip(phases, keep) if k]
    frame = problems_frame(problems)
    frame.attrs["phases"] = list(phases)
    return docs, frame


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
    name = str(p.prep.source)
    raw = Raw(name=name)
    raw.frame = df
    raw.records = [f"row {i}" for i in range(batch.start + 1, batch.stop + 1)]
    raw.sources = [Path(name).name] * len(df)
    raw.n_records = len(df)
    return raw, []
