"""Accuracy cost of each feature cut of the attribution model (one grouped split).

Usage::

    PYTHONPATH=lib python benchmarks/ablate_attribution.py PATH [--limit 300]

Articles are split once by article (``GroupKFold`` fold 0 of 5, as in the
cross-validation); for each variant the CRF is refitted on the training articles with
a feature group removed (by attribute prefix) and scored on the held-out articles'
windows: token-level F1 of CONTENT, SOURCE and CUE tags (B/I merged), and attributes
per token (what tagging time grows with).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import pycrfsuite  # noqa: E402

from framelens.evaluation.brat import read_brat  # noqa: E402
from framelens.evaluation.polnear import folds  # noqa: E402
from framelens.text.attribution_model import (  # noqa: E402
    DEFAULT_PARAMS,
    learn_vocabulary,
    train_crf,
)
from framelens.text.attribution_training import training_sequences  # noqa: E402

VARIANTS = {
    "all (shipped)": (),
    "- word identity": ("w=", "-2w=", "-1w=", "1w=", "2w="),
    "- neighbours +-2": ("-2", "2"),
    "- all neighbours": ("-2", "-1", "1", "2"),
    "- rule-layer output": ("rc=", "rs", "rk"),
    "- verb distance": ("d=",),
    "- quote state": ("q",),
}


def _drop(xs, prefixes):
    if not prefixes:
        return xs
    return [[[a for a in tok if not a.startswith(prefixes)] or ["bias"] for tok in x] for x in xs]


def _f1(gold, pred, role):
    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        for a, b in zip(g, p):
            ga, pb = a.endswith(role), b.endswith(role)
            tp += ga and pb
            fp += pb and not ga
            fn += ga and not pb
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path")
    ap.add_argument("--limit", type=int, default=300)
    a = ap.parse_args(argv)
    docs, gold = read_brat(a.path, limit=a.limit)
    tr, te = folds(docs["doc_id"], 5)[0]
    trd, ted = docs[docs["doc_id"].isin(tr)], docs[docs["doc_id"].isin(te)]
    vocab = learn_vocabulary(trd["text"].tolist(), min_df=DEFAULT_PARAMS["min_df"])
    xtr, ytr = training_sequences(trd, gold, vocab=vocab)
    xte, yte = training_sequences(ted, gold, vocab=vocab)
    print(f"{len(trd)} training / {len(ted)} held-out articles; {sum(map(len, xte))} tokens")
    print("variant                 attrs/token  CONTENT  SOURCE  CUE   fit CPU s")
    for name, prefixes in VARIANTS.items():
        a_tr, a_te = _drop(xtr, prefixes), _drop(xte, prefixes)
        with tempfile.TemporaryDirectory() as tmp:
            p = Path(tmp) / "m.crfsuite"
            t0 = time.process_time()
            train_crf(
                a_tr,
                ytr,
                path=p,
                c1=DEFAULT_PARAMS["c1"],
                c2=DEFAULT_PARAMS["c2"],
                max_iterations=DEFAULT_PARAMS["max_iterations"],
            )
            fit_s = time.process_time() - t0
            tagger = pycrfsuite.Tagger()
            tagger.open(str(p))
            pred = [tagger.tag(x) for x in a_te]
        apt = sum(len(t) for x in a_te for t in x) / max(1, sum(map(len, a_te)))
        f = [_f1(yte, pred, r) for r in ("CONTENT", "SOURCE", "CUE")]
        print(
            f"{name:24s} {apt:8.1f}  {f[0]:7.3f} {f[1]:7.3f} {f[2]:5.3f}  {fit_s:6.0f}", flush=True
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
