"""A corpus in batches: :func:`iter_batches` reads, validates and yields it piece by piece.

The batches hold exactly what :func:`framelens.load_corpus` returns, cut into pieces:
concatenating the ``docs`` of every batch gives ``load_corpus``'s docs, and
:func:`concat_problems` over the batches' ``problems`` gives its problems, row for row
and in its order. One :class:`~framelens.corpus.validate.DuplicateChecker` follows the
whole source, so a ``doc_id`` or a text repeated in a later batch is found as in one
pass (a dictionary of ids and text hashes, not a table of documents).

How each format is read:

- **JSON lines** (UTF-8 without a byte-order mark): line by line; a first pass reads the
  field names only (so every batch has the same columns), the second yields records.
  Only one batch of records is in memory.
- **Parquet**: in batches of rows with :meth:`pyarrow.parquet.ParquetFile.iter_batches`.
- **CSV / TSV, a folder of .txt files, a DataFrame**, and files the two readers above
  cannot stream (another encoding, a byte-order mark, undecodable bytes, a file that is
  not what its extension says): the source's reader runs once (the records' raw text is
  in memory once), then validation and everything after it runs batch by batch.

Limits: a user metadata column (not one of the standard fields) whose values are all
missing in one batch, or numbers in some batches and text in others, may get a
different dtype in that batch than ``load_corpus`` infers over the whole source.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"doc_id": ["a", "b", "a"], "text": ["One.", "Two.", "One."]})
>>> batches = list(iter_batches(df, batch_size=2))
>>> [len(d) for d, _ in batches], concat_problems([p for _, p in batches])["code"].tolist()
([2, 0], ['duplicate_text', 'duplicate_id'])
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .load import prepare
from .model import Corpus
from .problems import NUL_CHECK_BYTES, problem_row, problems_frame
from .readers import READERS
from .sources import Raw
from .validate import DuplicateChecker, normalise

__all__ = ["iter_batches", "concat_problems", "DEFAULT_BATCH_SIZE"]

#: Documents per batch when none is given.
DEFAULT_BATCH_SIZE = 500

#: Phase numbers of the validation checks start here (reader problems come first).
_CHECKS = 10

#: Phases of column-level checks (renamed columns): reported once, by the first batch.
_COLUMN_PHASES = {_CHECKS + 1, _CHECKS + 3}


def iter_batches(
    source: Any, *, batch_size: int = DEFAULT_BATCH_SIZE, **load_options: Any
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Read and validate a corpus in batches of at most ``batch_size`` input records.

    Parameters
    ----------
    source : str, path or DataFrame
        As :func:`framelens.load_corpus`.
    batch_size : int, keyword-only
        Input records per batch (a batch holds fewer documents when records are dropped).
    **load_options
        The options of :func:`framelens.load_corpus` (``text_col=``, ``defaults=`` ...),
        checked the same way.

    Yields
    ------
    (docs, problems) : tuple of DataFrame
        The batch's documents and its problem rows. Concatenate the problems with
        :func:`concat_problems` to get them in ``load_corpus``'s order.

    Raises
    ------
    framelens.errors.CorpusError
        As :func:`framelens.load_corpus`, and for a ``batch_size`` below 1.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["One.", "Two.", "Three."]})
    >>> [d["text"].tolist() for d, _ in iter_batches(df, batch_size=2)]
    [['One.', 'Two.'], ['Three.']]
    """
    from framelens.errors import CorpusError

    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise CorpusError(f"batch_size must be a positive int, got {batch_size!r}")
    prep = prepare(source, **load_options)
    if isinstance(prep, Corpus):  # unknown format: its one problem, no documents
        yield prep.docs, _with_phases(prep.problems, [0] * len(prep.problems))
        return
    checker = DuplicateChecker()
    first = True
    for raw, raw_phases in _raw_batches(prep, batch_size):
        marks: list[int] = []
        docs, problems = normalise(
            raw,
            prep.opts,
            defaults=prep.defaults,
            max_chars=prep.max_chars,
            check_language=prep.check_language,
            checker=checker,
            marks=marks,
        )
        phases = [
            raw_phases[j] if j < marks[0] else _CHECKS + bisect.bisect_right(marks, j)
            for j in range(len(problems))
        ]
        if not first:  # a column's problem is the same in every batch: reported once
            keep = [
                not (p in _COLUMN_PHASES and row["record"] is None)
                for p, row in zip(phases, problems)
            ]
            problems = [row for row, k in zip(problems, keep) if k]
            phases = [p for p, k in zip(phases, keep) if k]
        first = False
        yield docs, _with_phases(problems_frame(problems), phases)


def concat_problems(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The problems of a corpus's batches as one table, in :func:`framelens.load_corpus`'s
    order (each check's rows together, checks in the order ``load_corpus`` runs them).

    Examples
    --------
    >>> concat_problems([])["code"].tolist()
    []
    """
    frames = list(frames)
    if not frames:
        return problems_frame([])
    phases = [p for f in frames for p in f.attrs.get("phases", [0] * len(f))]
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return problems_frame([])
    allp = pd.concat(nonempty, ignore_index=True)
    order = sorted(range(len(allp)), key=lambda i: phases[i])  # stable: batch order kept
    return problems_frame(allp.iloc[order].to_dict("records"))


def _with_phases(problems: pd.DataFrame, phases: list[int]) -> pd.DataFrame:
    problems.attrs["phases"] = list(phases)
    return problems


def _raw_batches(prep, batch_size: int) -> Iterator[tuple[Raw, list[int]]]:
    """Raw records of the source in batches, with the phase of each reader problem."""
    if prep.fmt == "jsonl":
        keys = _jsonl_keys(prep.source, prep.opts.encoding)
        if keys is not None:
            yield from _jsonl_batches(prep, keys, batch_size)
            return
    if prep.fmt == "parquet":
        reader = _parquet_reader(prep.source)
        if reader is not None:
            yield from _parquet_batches(prep, reader, batch_size)
            return
    raw = READERS[prep.fmt](prep.source, prep.opts)
    yield from _slices(raw, batch_size)


def _slices(raw: Raw, batch_size: int) -> Iterator[tuple[Raw, list[int]]]:
    """One Raw read whole, cut into batches (its reader's problems go with the first)."""
    frame = raw.frame if raw.frame is not None else pd.DataFrame()
    n = len(frame)
    for a in range(0, max(n, 1), batch_size):
        b = min(a + batch_size, n)
        part = Raw(
            name=raw.name,
            frame=frame.iloc[a:b].reset_index(drop=True),
            records=raw.records[a:b],
            sources=raw.sources[a:b],
            problems=list(raw.problems) if a == 0 else [],
            n_records=b - a,
            default_ids=None if raw.default_ids is None else raw.default_ids[a:b],
            strict_columns=raw.strict_columns,
            text_unreadable={i - a: d for i, d in raw.text_unreadable.items() if a <= i < b},
        )
        yield part, [0] * len(part.problems)


def _jsonl_keys(path: Path, encoding: str) -> list[str] | None:
    """The field names of a JSON lines file in order of first use, or None when the file
    is one the line reader does not stream (read whole instead, as load_corpus does)."""
    import codecs

    if codecs.lookup(encoding).name != "utf-8":
        return None
    from .tabular import jsonl_records

    keys: dict[str, None] = {}
    n_objects = 0
    try:
        with open(path, "rb") as fh:
            head = fh.read(NUL_CHECK_BYTES)
            if not head.strip() or head.startswith(codecs.BOM_UTF8) or b"\x00" in head:
                return None
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return None
            fh.seek(0)
            lines: list[tuple[int, str]] = []
            for i, line in enumerate(fh, 1):
                lines.append((i, line.decode("utf-8")))
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
    return list(keys) if n_objects else None


def _jsonl_batches(prep, keys: list[str], batch_size: int) -> Iterator[tuple[Raw, list[int]]]:
    """JSON lines in batches of ``batch_size`` non-blank lines, each read by the JSONL
    reader's own line parser (the same records, problems and record names)."""
    from .tabular import jsonl_records

    name = str(prep.source)
    with open(prep.source, "rb") as fh:
        lines: list[tuple[int, str]] = []
        for i, line in enumerate(fh, 1):
            text = line.decode("utf-8")
            if text.strip():
                lines.append((i, text))
            if len(lines) >= batch_size:
                yield jsonl_raw(prep, name, keys, jsonl_records(lines))
                lines = []
        if lines:
            yield jsonl_raw(prep, name, keys, jsonl_records(lines))


def jsonl_raw(prep, name: str, keys: list[str], table) -> tuple[Raw, list[int]]:
    """A batch of JSON lines records as the JSONL reader's Raw, with phases of its problems
    (lone surrogates, then lines that are not records, then objects without the text)."""
    df, records, broken, notes = table
    missing = [k for k in keys if k not in df.columns]
    df = df.reindex(columns=keys) if len(df) else pd.DataFrame(columns=keys)
    for k in missing:  # a field no object of this batch has: missing values, no type
        df[k] = df[k].astype(object)
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
            raw.problems.append(
                problem_row(
                    name,
                    rec,
                    None,
                    "bad_record",
                    f"{name}, {rec}: {why}; the record was skipped, fix the line or remove it.",
                )
            )
            phases.append(phase)
    df = df[kept].reset_index(drop=True)
    records = [r for r, k in zip(records, kept) if k]
    raw.frame, raw.records, raw.sources = df, records, [Path(name).name] * len(df)
    raw.n_records = len(df) + len(broken) + len(absent)
    return raw, phases


def _parquet_reader(path: Path):
    """A :class:`pyarrow.parquet.ParquetFile` with rows, or None (read whole instead)."""
    import pyarrow.parquet as pq

    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"PAR1":
                return None
        pf = pq.ParquetFile(path)
    except Exception:  # unreadable or damaged: the whole-file reader names the problem
        return None
    return pf if pf.metadata.num_rows > 0 else None


def _parquet_batches(prep, pf, batch_size: int) -> Iterator[tuple[Raw, list[int]]]:
    """Parquet rows in batches (pandas types from the file's own schema, as
    :func:`pandas.read_parquet` gives them)."""
    import pyarrow as pa

    name = str(prep.source)
    start = 0
    schema = pf.schema_arrow
    for batch in pf.iter_batches(batch_size=batch_size):
        df = pa.Table.from_batches([batch], schema=schema).to_pandas()
        df = df.rename(columns=str)
        n = len(df)
        raw = Raw(name=name)
        raw.frame = df
        raw.records = [f"row {i}" for i in range(start + 1, start + n + 1)]
        raw.sources = [Path(name).name] * n
        raw.n_records = n
        start += n
        yield raw, []
