"""Refit the shipped attribution model byte for byte.

Usage::

    PYTHONPATH=lib python benchmarks/fit_attribution_model.py PATH [--out FILE] [--limit N]
        [--scores CV.json]

PATH is a split folder in PolNeAR's layout (the shipped weights: PolNeAR ``data/train``,
840 articles). Writes ``lib/framelens/lexicons/attribution_model.crfsuite`` and its card
``attribution_model.json`` (data hash, features, parameters, vocabulary, cue words and,
with ``--scores``, the cross-validated figures from ``bench_attribution_cv`` output).
The same data give the same bytes (crfsuite's L-BFGS is deterministic; documents are
sorted by name; nothing depends on hash seeds).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from framelens.core.resources import data_path  # noqa: E402
from framelens.evaluation.brat import read_brat  # noqa: E402
from framelens.evaluation.common import dataset_sha256  # noqa: E402
from framelens.text.attribution_model import MODEL_FILE  # noqa: E402
from framelens.text.attribution_training import fit_attribution_model  # noqa: E402

LICENCE = (
    "Weights are feature statistics (word identities only for words of >= min_df "
    "training articles, plus the reporting-verb lexicon; no text). Trained on PolNeAR "
    "(Newell, Margolin & Ruths 2018, LREC), published openly for research "
    "(networkdynamics/PolNeAR @ c3eee833, data/train); the articles belong to their "
    "publishers and are not shipped. framelens software: MIT."
)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path")
    ap.add_argument("--out", default=str(data_path(MODEL_FILE)))
    ap.add_argument("--limit", type=int)
    ap.add_argument("--scores", help="JSON of cross-validated scores to put into the card")
    a = ap.parse_args(argv)
    docs, gold = read_brat(a.path, limit=a.limit)
    extra = {
        "data": "PolNeAR train split, BRAT standoff (first annotator file by name per article)",
        "data_sha256": dataset_sha256(Path(a.path)),
        "licence": LICENCE,
        "refit": "PYTHONPATH=lib python benchmarks/fit_attribution_model.py PATH",
    }
    if a.scores:
        extra["scores"] = json.loads(Path(a.scores).read_text())
    t0 = time.process_time()
    card = fit_attribution_model(docs, gold, out=a.out, card_extra=extra)
    digest = hashlib.sha256(Path(a.out).read_bytes()).hexdigest()
    print(
        f"fitted on {card['n_documents']} documents, {card['n_sequences']} windows, "
        f"{card['n_tokens']} tokens in {time.process_time() - t0:.0f} CPU s -> {a.out} "
        f"sha256 {digest}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
