"""A folder of .txt files in batches of files: the plan and the reading of one batch.

The folder is scanned and its sidecar metadata read once (:func:`scan_txt`); a first
pass over the files collects the field names of their rows in order of first use (front
matter, sidecar, title line), so every batch has the columns of the whole folder; each
batch then reads its own files with the folder reader's per-file function. The scan's
problems (linked folders, skipped files, the sidecar's rows) go with the first batch;
each file's problems with its batch.

Examples
--------
>>> import tempfile, pathlib
>>> from framelens.corpus.load import prepare
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> for i in range(3):
...     _ = (d / f"a{i}.txt").write_text(f"Text {i}.")
>>> p = plan_txt(prepare(d), 2)
>>> [b.files for b in p.batches]
[('a0.txt', 'a1.txt'), ('a2.txt',)]
>>> read_txt_batch(p, p.batches[1])[0].frame["text"].tolist()
['Text 2.']
"""

from __future__ import annotations

from .plan import Batch, Plan
from .sources import Raw
from .txtfolder import read_txt_file, scan_txt, txt_frame

__all__ = ["plan_txt", "read_txt_batch"]


def _raw(name: str) -> Raw:
    raw = Raw(name=name, strict_columns=False)
    raw.records, raw.sources, raw.default_ids = [], [], []
    return raw


def plan_txt(prep, batch_size: int) -> Plan | None:
    """Batches of ``batch_size`` files of a folder, or None (one file, no .txt files)."""
    if not prep.source.is_dir():
        return None
    scan = scan_txt(prep.source, prep.opts)
    if not scan.txt:
        return None
    keys: dict[str, None] = {}
    for rel in scan.txt:  # the columns of the whole folder, one file in memory at a time
        rows: list[dict] = []
        read_txt_file(scan, rel, prep.opts, _raw(scan.name), rows)
        for row in rows:
            keys.update(dict.fromkeys(map(str, row)))
    files = scan.txt
    batches = [
        Batch(k, files=tuple(files[a : a + batch_size]))
        for k, a in enumerate(range(0, len(files), batch_size))
    ]
    return Plan(prep, list(keys) or [prep.opts.text_col], batches, scan=scan)


def read_txt_batch(p: Plan, batch: Batch) -> tuple[Raw, list[int]]:
    """The files of one batch as the folder reader's Raw (scan problems phase 0, with
    the first batch; the files' problems phase 1)."""
    scan, opts = p.scan, p.prep.opts
    raw = _raw(scan.name)
    if batch.index == 0:
        raw.problems.extend(scan.raw.problems)
        raw.n_records += scan.raw.n_records
    n_scan = len(raw.problems)
    rows: list[dict] = []
    for rel in batch.files:
        read_txt_file(scan, rel, opts, raw, rows)
    raw.frame = txt_frame(rows, opts.text_col, p.keys)
    return raw, [0] * n_scan + [1] * (len(raw.problems) - n_scan)
