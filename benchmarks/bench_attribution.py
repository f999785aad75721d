"""Speed of the text layer with the attribution model against NLTK Punkt + Treebank.

Usage::

    PYTHONPATH=lib python benchmarks/bench_attribution.py PATH [--limit N] [--repeat 3]

PATH is a folder of ``.txt`` files or a PolNeAR split (its ``text/`` folder is used).
In one run, on the same texts, best of ``--repeat`` in CPU seconds
(``time.process_time``): NLTK's Punkt sentence splitter + Treebank word tokenizer per
paragraph (the baseline), ``text.process`` with the rules, and with
``attribution="model"``; the share of tokens inside model windows; the ratio of each
throughput to the baseline's. The target is a ratio >= 3 for the model path.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import pandas as pd  # noqa: E402
from nltk.tokenize import TreebankWordTokenizer  # noqa: E402
from nltk.tokenize.punkt import PunktSentenceTokenizer  # noqa: E402

from framelens.text import process  # noqa: E402
from framelens.text.attribution_features import windows  # noqa: E402
from framelens.text.attribution_model import load_model  # noqa: E402
from framelens.text.attribution_training import rule_quotes  # noqa: E402


def best(fn, n):
    ts = []
    for _ in range(n):
        t0 = time.process_time()
        fn()
        ts.append(time.process_time() - t0)
    return min(ts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", help="weights file (default: the shipped model)")
    a = ap.parse_args(argv)
    root = Path(a.path)
    folder = root / "text" if (root / "text").is_dir() else root
    files = sorted(folder.glob("*.txt"))[: a.limit]
    docs = pd.DataFrame(
        {"doc_id": [f.stem for f in files], "text": [f.read_text(encoding="utf-8") for f in files]}
    )
    mb = sum(len(t.encode("utf-8")) for t in docs["text"]) / 1e6
    punkt, tb = PunktSentenceTokenizer(), TreebankWordTokenizer()

    def baseline():
        for t in docs["text"]:
            for para in t.split("\n"):
                for s in punkt.tokenize(para):
                    tb.tokenize(s)

    model = load_model(a.model)
    res = {
        "punkt+treebank": best(baseline, a.repeat),
        "text.process rules": best(lambda: process(docs), a.repeat),
        "text.process model": best(
            lambda: process(docs, attribution="model", model=a.model), a.repeat
        ),
    }
    sents, _ = rule_quotes(docs["doc_id"], docs["text"])
    inside = total = 0
    for t, ss in zip(docs["text"], sents):
        total += len(t)
        inside += sum(ss[b - 1][1] - ss[a_][0] for a_, b in windows(t, ss, model["gate"]))
    base = mb / res["punkt+treebank"]
    print(
        f"{len(docs)} documents, {mb:.2f} MB; "
        f"model windows cover {inside / total:.0%} of characters"
    )
    for k, v in res.items():
        print(f"{k:22s} {v:6.2f} CPU s {mb / v:6.2f} MB/s  {mb / v / base:5.2f}x baseline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
