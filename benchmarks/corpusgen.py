"""Seeded generator of a news-like benchmark corpus, written as JSONL (one document a line).

The sentences come from the foundation benchmark's generator (``bench_foundation.Gen``,
imported, not copied: datelines, direct / indirect / partial / multi-sentence quotes,
reporting verbs, honorifics and abbreviations, names with diacritics, evaluative verbs
and adjectives from VADER's lexicon in about two sentences of three). This module adds
what a corpus of many documents needs: a stable ``doc_id``, an outlet and a date per
document (both drawn from the seed), and a length mix (short wire items and longer
articles), so that 10k, 100k and 1M documents are the first N of one sequence: the
document ``i`` of a seed is the same whatever N is.

Usage::

    .venv/bin/python benchmarks/corpusgen.py --n 10000 --out benchmarks/out/corpus_10k.jsonl
    .venv/bin/python benchmarks/corpusgen.py --n 2000 --seed 7 --out /tmp/c.jsonl

Each line: ``{"doc_id", "title", "text", "outlet", "date"}`` (date as ``YYYY-MM-DD``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_foundation import SEED, Gen  # noqa: E402

OUTLETS = (
    "Wire Service",
    "Daily Courier",
    "Evening Standard Online",
    "Balkan Observer",
    "Central European Times",
    "Morning Ledger",
    "Capital Radio News",
    "Regional Herald",
)
FIRST_DAY = dt.date(2022, 1, 1)
N_DAYS = 3 * 365


class CorpusGen:
    """Document ``i`` of a seeded corpus; independent of how many documents are asked for.

    Each document gets its own ``random.Random`` derived from ``(seed, i)``, so the
    sequence can be cut at any N, generated in parallel or resumed.
    """

    def __init__(self, seed: int = SEED):
        self.seed = seed

    def document(self, i: int) -> dict:
        g = Gen(self.seed * 1_000_003 + i)
        r = random.Random(self.seed * 7_919 + i)
        title, text = g.article(i)
        if r.random() < 0.35:  # a short wire item: the dateline and the first paragraphs
            paras = text.split("\n\n")
            text = "\n\n".join(paras[: r.randint(1, 3)])
        return {
            "doc_id": f"gen{self.seed}-{i:07d}",
            "title": title,
            "text": text,
            "outlet": OUTLETS[r.randrange(len(OUTLETS))],
            "date": (FIRST_DAY + dt.timedelta(days=r.randrange(N_DAYS))).isoformat(),
        }

    def documents(self, n: int, start: int = 0) -> Iterator[dict]:
        for i in range(start, start + n):
            yield self.document(i)


def write_jsonl(path: str | Path, n: int, *, seed: int = SEED) -> dict:
    """Write ``n`` documents to ``path``; return ``{"n_docs", "bytes_text", "bytes_file"}``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text_bytes = 0
    with path.open("w", encoding="utf-8") as f:
        for d in CorpusGen(seed).documents(n):
            text_bytes += len(d["text"].encode("utf-8"))
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return {"n_docs": n, "bytes_text": text_bytes, "bytes_file": path.stat().st_size}


def docs_frame(n: int, *, seed: int = SEED):
    """The first ``n`` documents as a docs DataFrame (for in-process benchmarks and checks)."""
    import pandas as pd

    return pd.DataFrame(list(CorpusGen(seed).documents(n)))


def docs_of_mb(mb: float, *, seed: int = SEED):
    """The shortest prefix of the sequence holding at least ``mb`` MB of UTF-8 text."""
    import pandas as pd

    rows, size, target, i = [], 0, int(mb * 1_000_000), 0
    gen = CorpusGen(seed)
    while size < target:
        d = gen.document(i)
        rows.append(d)
        size += len(d["text"].encode("utf-8"))
        i += 1
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="number of documents")
    ap.add_argument("--out", required=True, help="JSONL file to write")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    info = write_jsonl(args.out, args.n, seed=args.seed)
    print(
        f"{args.out}: {info['n_docs']} documents, {info['bytes_text'] / 1e6:.2f} MB of text, "
        f"{info['bytes_file'] / 1e6:.2f} MB on disk"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
