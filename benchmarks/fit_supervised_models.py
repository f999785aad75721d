"""Refit the supervised models framelens ships (lib/framelens/lexicons/*.skops + cards).

Usage (the documented command that reproduces the shipped files byte for byte)::

    python benchmarks/fit_supervised_models.py \
        --newsmtsc /path/to/newsmtsc/train.jsonl \
        --narrative /path/to/narrative-frames/articles_metadata.tsv \
        [--out lib/framelens/lexicons] [--check] [--no-cv]

Only datasets whose licence allows redistributing derived weights ship a model:
NewsMTSC (MIT-style) and the Narrative Frames Corpus (MIT). BABE (AGPL-3.0) and
SemEval-2023 (no licence stated) ship the recipe only: ``framelens train babe PATH``.
Each model is the recipe of :mod:`framelens.measures.supervised` fitted on the
development file given (read through its path, never copied), saved as canonical skops
(equal models give equal bytes) with a JSON card: the data's SHA-256 (file and
training table), features, parameters, thresholds, nested grouped cross-validated
scores with bootstrap 95% intervals, the licence and this command. ``--check`` refits
and compares with the files in ``--out`` instead of writing them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from framelens.evaluation.learned import DEFAULT_MODELS, training_data  # noqa: E402
from framelens.measures import supervised as sv  # noqa: E402

DATASETS = {
    "newsmtsc": "NewsMTSC (Hamborg & Donnay 2021), train.jsonl of the development half",
    "narrative-frames": "Narrative Frames Corpus (Frermann et al. 2023) articles_metadata.tsv",
}
COMMAND = ("python benchmarks/fit_supervised_models.py --newsmtsc NEWSMTSC_TRAIN_JSONL "
           "--narrative NARRATIVE_ARTICLES_METADATA_TSV")  # fmt: skip


def fit_one(task: str, path: str, *, cv: bool = True):
    """(model, card) of ``task`` fitted on ``path``; CPU seconds in ``card['fit_cpu_s']``
    are left out of the card (they differ between machines)."""
    d = training_data(task, path)
    t = time.process_time()
    model = sv.fit(task, d["X"], d["y"], groups=d["groups"], numeric=d["numeric"])
    fit_s = time.process_time() - t
    scores = None
    if cv:
        scores = sv.cross_validate(task, d["X"], d["y"], groups=d["groups"],
                                   numeric=d["numeric"], n_boot=1000)  # fmt: skip
    card = sv.card(model, d["X"], d["y"], cv=scores, licence=d["licence"],
                   dataset=DATASETS[task])  # fmt: skip
    card["data_file_sha256"] = d["data_sha256"]
    card["refit_command"] = COMMAND
    card["grouping"] = "article" if task != "newsmtsc" else "article (primary_gid prefix)"
    return model, card, fit_s, time.process_time() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--newsmtsc", help="NewsMTSC train.jsonl (development half)")
    ap.add_argument("--narrative", help="Narrative Frames articles_metadata.tsv")
    ap.add_argument("--out", default=str(ROOT / "lib" / "framelens" / "lexicons"))
    ap.add_argument("--check", action="store_true", help="compare with the files in --out")
    ap.add_argument("--no-cv", action="store_true", help="skip the CV scores (card only)")
    a = ap.parse_args(argv)
    todo = {"newsmtsc": a.newsmtsc, "narrative-frames": a.narrative}
    ok = True
    for task, path in todo.items():
        if not path:
            continue
        model, card, fit_s, all_s = fit_one(task, path, cv=not a.no_cv)
        target = Path(a.out) / DEFAULT_MODELS[task]
        if a.check:
            tmp = Path(a.out) / f".check-{target.name}"
            p, c = sv.persist.save_model(model, tmp, card=card)
            same = p.read_bytes() == target.read_bytes()
            ok &= same
            print(f"{task}: {'identical to' if same else 'DIFFERS from'} {target}")
            p.unlink()
            c.unlink()
        else:
            p, c = sv.persist.save_model(model, target, card=card)
            print(f"{task}: wrote {p} and {c}")
        cvs = card.get("cross_validation") or {}
        print(f"  fit {fit_s:.1f} s CPU, with CV {all_s:.1f} s CPU;",
              {k: round(v, 4) for k, v in cvs.items() if isinstance(v, float)})  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
