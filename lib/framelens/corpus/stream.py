"""A corpus in batches: :func:`iter_batches` reads, validates and yields it piece by piece.

The batches hold exactly what :func:`framelens.load_corpus` returns, cut into pieces:
concatenating the ``docs`` of every batch gives ``load_corpus``'s docs, and
:func:`concat_problems` over the batches' ``problems`` gives its problems, row for row
and in its order. One :class:`~framelens.corpus.validate.DuplicateChecker` follows the
whole source, so a ``doc_id`` or a text repeated in a later batch is found as in one
pass (a dictionary of ids and text hashes, not a table of documents).

How each format is read (:mod:`.plan`: one pass finds where each batch starts, then
each batch is read on its own; only one batch of records is in memory):

- **JSON lines** (UTF-8 without a byte-order mark): a first pass reads the field names
  (so every batch has the same columns) and the byte offset of each batch, then batch
  by batch with the JSONL reader's line parser.
- **CSV / TSV** (UTF-8 without a byte-order mark): a first pass with :mod:`csv` finds
  the header and the byte offset of each batch's first record (TSV: one more pass
  decides quoting, as the reader does over the whole file), then each batch is parsed by
  the reader's own parser, rows and lines numbered as in the whole file.
- **A folder of .txt files**: the folder is scanned and the sidecar metadata read once,
  then batch by batch of files (a first pass reads the front matter's field names).
- **Parquet**: in batches of rows with :meth:`pyarrow.parquet.ParquetFile.iter_batches`.
- **A DataFrame**, and files the readers above do not stream (another encoding, a
  byte-order mark, NUL or undecodable bytes, a lone carriage return, a quoted field
  that never closes, a file that is not what its extension says): the source's reader
  runs once (the records' raw text is in memory once), then validation and everything
  after it runs batch by batch.

Limits: a user metadata column (not one of the standard fields) with numbers in some
batches and text in others, or with numbers in the source and none in one batch (a
field no record of the batch has is given missing text), may get a different dtype in
that batch than ``load_corpus`` infers over the whole source.

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
from .plan import parquet_raw, plan_batches, read_batch
from .problems import problems_frame
from .readers import READERS
from .sources import Raw
from .validate import DuplicateChecker, normalise

__all__ = ["iter_batches", "validate_batch", "concat_problems", "DEFAULT_BATCH_SIZE"]

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
    for k, (raw, raw_phases) in enumerate(_raw_batches(prep, batch_size)):
        yield validate_batch(prep, raw, raw_phases, checker=checker, first=k == 0)


def validate_batch(
    prep, raw: Raw, raw_phases: list[int], *, checker: DuplicateChecker, first: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate one batch of raw records: ``(docs, problems)`` as :func:`iter_batches`
    yields them (the problems' phases in ``attrs["phases"]``); ``checker`` follows the
    batches before it, ``first`` is the source's first batch (column problems are
    reported by it only)."""
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
            not (p in _COLUMN_PHASES and row["record"] is None) for p, row in zip(phases, problems)
        ]
        problems = [row for row, k in zip(problems, keep) if k]
        phases = [p for p, k in zip(phases, keep) if k]
    return docs, _with_phases(problems_frame(problems), phases)


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
    if prep.fmt == "parquet":
        reader = _parquet_reader(prep.source)
        if reader is not None:
            yield from _parquet_batches(prep, reader, batch_size)
            return
    p = plan_batches(prep, batch_size=batch_size)
    if p is not None:
        for batch in p.batches:
            yield read_batch(p, batch)
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
        yield parquet_raw(name, df.rename(columns=str), start), []
        start += len(df)
