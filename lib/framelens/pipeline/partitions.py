"""Batch descriptors: plan a corpus file's batches on one machine, read each elsewhere.

:func:`plan` cuts a source into the batches :func:`framelens.corpus.iter_batches` makes
(same records in each, same order) without holding any of them
(:mod:`framelens.corpus.plan`): a JSON lines, CSV or TSV batch is the byte offset and
line of its first record and its number of records; a Parquet batch is a range of rows
(read from the row groups that hold them); a batch of a .txt folder is its files.
:func:`read` reads and validates one batch wherever it runs (a Dask
worker), with a :class:`~framelens.corpus.validate.DuplicateChecker` that may be seeded
with the ids and texts earlier batches used, and records every id and text hash it is
shown (:class:`RecordingChecker`), so that a driver can find repeats across batches from
those small lists alone (:mod:`.scaleout`).

The reading and validation are :mod:`framelens.corpus.stream`'s own (one batch
reader, one batch validation); ``tests/pipeline/test_dask.py`` checks the batches are
equal to ``iter_batches``'s. Any other source (a file the line readers do not stream)
has no plan: :func:`plan` returns None.

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

from typing import Any

from framelens.corpus.load import prepare
from framelens.corpus.plan import Batch, Plan, plan_batches, read_batch
from framelens.corpus.readers import doc_hash
from framelens.corpus.stream import validate_batch
from framelens.corpus.validate import DuplicateChecker

__all__ = ["Batch", "Plan", "RecordingChecker", "plan", "read"]


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
    """The batches of a JSON lines, Parquet, CSV or TSV file or a folder of .txt files,
    or None (read it on the driver): :func:`framelens.corpus.plan.plan_batches`.

    Raises
    ------
    framelens.errors.CorpusError
        As :func:`framelens.load_corpus` for bad options.
    """
    return plan_batches(prepare(source, **load_options), batch_size=batch_size)


def read(p: Plan, batch: Batch, *, checker: DuplicateChecker | None = None):
    """Read and validate one batch: ``(docs, problems)`` as ``iter_batches`` yields it
    (the problems' phases in ``attrs["phases"]``), given the duplicate ``checker`` the
    batches before it leave (a fresh one by default)."""
    raw, raw_phases = read_batch(p, batch)
    checker = checker if checker is not None else DuplicateChecker()
    return validate_batch(p.prep, raw, raw_phases, checker=checker, first=batch.index == 0)
