"""Cross-validated attribution figures: rules, regex baseline and the refitted model.

Usage::

    PYTHONPATH=lib python benchmarks/cv_attribution.py PATH [--folds 5] [--limit N]
        [--max-folds N] [--c1 C] [--c2 C] [--min-df N] [--min-cue N] [--cue-share S]
        [--out cv.json]

Folds: ``GroupKFold(n_splits=5, shuffle=True, random_state=0)`` grouped by article; the
model is refitted on each training part with the shipped parameters and scored on the
held-out articles; the table is the mean over folds; the JSON has per metric
``[mean, sd, ci95_low, ci95_high]`` (sd over folds, a t interval of the mean).
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from framelens.evaluation.brat import read_brat  # noqa: E402
from framelens.evaluation.polnear import cross_validate  # noqa: E402

KEYS = (
    "all_P all_R all_F1 all_lF1 direct_P direct_R direct_F1 direct_lF1 mixed_F1 indirect_P "
    "indirect_R indirect_F1 indirect_lF1 spk_exact spk_head no_speaker pron_resolved "
    "pron_mention cue_exact"
).split()


def fold_summary(values) -> list:
    """Mean, standard deviation and a 95 % t interval of the mean over the folds
    (folds with an undefined value, NaN, left out)."""
    from scipy.stats import t

    v = np.asarray([x for x in values if x == x], dtype=float)
    if not len(v):
        return [None, None, None, None]
    mean, sd = float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else 0.0
    half = float(t.ppf(0.975, len(v) - 1) * sd / np.sqrt(len(v))) if len(v) > 1 else 0.0
    return [round(mean, 4), round(sd, 4), round(mean - half, 4), round(mean + half, 4)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--max-folds", type=int)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--c1", type=float)
    ap.add_argument("--c2", type=float)
    ap.add_argument("--min-df", type=int)
    ap.add_argument("--min-cue", type=int)
    ap.add_argument("--cue-share", type=float)
    ap.add_argument("--out")
    a = ap.parse_args(argv)
    docs, gold = read_brat(a.path, limit=a.limit)
    given = (("c1", a.c1), ("c2", a.c2), ("min_df", a.min_df), ("min_cue", a.min_cue))
    given += (("cue_share", a.cue_share),)
    opts = {k: v for k, v in given if v is not None}
    t0 = time.process_time()
    res = cross_validate(docs, gold, k=a.folds, max_folds=a.max_folds, **opts)
    summary = {
        name: {k: fold_summary([m[k] for m in ms]) for k in ms[0]} for name, ms in res.items()
    }
    for name, s in summary.items():
        print(name.ljust(6), " ".join(f"{k}={s[k][0]}" for k in KEYS), flush=True)
    print(f"{time.process_time() - t0:.0f} CPU s; {len(docs)} articles; options {opts}")
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(
                {"folds": a.folds, "n_articles": len(docs), "options": opts, "summary": summary},
                fh,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
