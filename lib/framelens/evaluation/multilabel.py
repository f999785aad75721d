"""Multi-label evaluation of frame presence: metrics, the bootstrap, threshold tuning.

Used by the frame tasks (:mod:`framelens.evaluation.frames`): documents x frames boolean
arrays of labels and predictions; presence predicted from per-frame feature arrays
(``n_cues``, ``rate``, ``score``) and thresholds (``min_cues``, ``min_rate``,
``min_score``).

Examples
--------
>>> import numpy as np
>>> y = np.array([[1, 0], [0, 1]], bool)
>>> multilabel_metrics(y, y, ["a", "b"])["micro_f1"]
1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from framelens.evaluation import common

__all__ = [
    "THRESHOLD_GRID",
    "predict",
    "prf",
    "multilabel_metrics",
    "bootstrap_ci",
    "tune_thresholds",
    "cross_validated",
]

#: Candidate values searched per frame by :func:`tune_thresholds`.
THRESHOLD_GRID = {
    "min_cues": (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30),
    "min_rate": (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.5, 15.0, 20.0, 25.0, 30.0),
    "min_score": (0.0, 0.02, 0.04, 0.06, 0.08, 0.10, 0.125, 0.15, 0.2, 0.25),
}


def predict(
    feat: Mapping[str, np.ndarray], thr: Mapping[str, Mapping[str, float]], frames: Sequence[str]
) -> np.ndarray:
    t = {k: np.array([thr[f][k] for f in frames]) for k in ("min_cues", "min_rate", "min_score")}
    return (
        (feat["n_cues"] > 0)
        & (feat["n_cues"] >= t["min_cues"])
        & (feat["rate"] >= t["min_rate"])
        & (feat["score"] >= t["min_score"])
    )


def prf(tp, fp, fn):
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        r = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
    return p, r, f


def multilabel_metrics(y: np.ndarray, pred: np.ndarray, labels: Sequence[str]) -> dict[str, Any]:
    """Micro and macro P/R/F1 and per-label P/R/F1/support (zero division -> 0).

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([[1, 0], [1, 1]], bool); p = np.array([[1, 1], [0, 1]], bool)
    >>> m = multilabel_metrics(y, p, ["a", "b"])
    >>> round(m["micro_f1"], 4), round(m["macro_f1"], 4)
    (0.6667, 0.6667)
    """
    y, pred = np.asarray(y, bool), np.asarray(pred, bool)
    tp = (y & pred).sum(0)
    fp = (~y & pred).sum(0)
    fn = (y & ~pred).sum(0)
    p, r, f = prf(tp, fp, fn)
    mp, mr, mf = prf(tp.sum(), fp.sum(), fn.sum())
    return {
        "micro_precision": float(mp),
        "micro_recall": float(mr),
        "micro_f1": float(mf),
        "macro_precision": float(p.mean()),
        "macro_recall": float(r.mean()),
        "macro_f1": float(f.mean()),
        "per_frame": {
            lab: {
                "precision": float(p[i]),
                "recall": float(r[i]),
                "f1": float(f[i]),
                "support": int(y[:, i].sum()),
                "predicted": int(pred[:, i].sum()),
            }
            for i, lab in enumerate(labels)
        },
    }


def bootstrap_ci(
    y: np.ndarray,
    pred: np.ndarray,
    *,
    n_boot: int = 1000,
    random_state: int = 0,
    level: float = 0.95,
) -> dict[str, Any]:
    """Percentile bootstrap CIs (documents resampled) of micro-F1, macro-F1, per-label F1.

    Examples
    --------
    >>> y = np.array([[1, 0], [0, 1], [1, 1]], bool)
    >>> bootstrap_ci(y, y, n_boot=20)["micro_f1"]
    [1.0, 1.0]
    """

    def stats(idx):
        yy, pp = y[idx], pred[idx]
        tp = (yy & pp).sum(0)
        fp = (~yy & pp).sum(0)
        fn = (yy & ~pp).sum(0)
        per = prf(tp, fp, fn)[2]
        return {
            "micro_f1": float(prf(tp.sum(), fp.sum(), fn.sum())[2]),
            "macro_f1": per.mean(),
            "per_frame_f1": per,
        }

    ci = common.bootstrap_ci(
        stats, y.shape[0], n_boot=n_boot, random_state=random_state, level=level
    )
    return {
        "micro_f1": ci["micro_f1"],
        "macro_f1": ci["macro_f1"],
        "per_frame_f1": ci["per_frame_f1"],
        "n_boot": n_boot,
        "random_state": random_state,
        "level": level,
    }


# --------------------------------------------------------------------------- tuning
def _grid_arrays(grid):
    mc, mr, ms = np.meshgrid(
        np.asarray(grid["min_cues"], float),
        np.asarray(grid["min_rate"], float),
        np.asarray(grid["min_score"], float),
        indexing="ij",
    )
    return mc.ravel(), mr.ravel(), ms.ravel()


def tune_thresholds(
    feat: Mapping[str, np.ndarray],
    y: np.ndarray,
    frames: Sequence[str],
    *,
    grid: Mapping[str, Sequence[float]] | None = None,
    objective: str = "f1",
    passes: int = 3,
) -> dict[str, dict[str, float]]:
    """Per-frame thresholds chosen on the given documents.

    ``objective="f1"`` maximises each frame's own F1 (frames tuned independently);
    ``objective="micro"`` starts there and then does coordinate ascent on the pooled
    micro-F1 (each frame in turn gets the grid point that maximises micro-F1 given the
    others; ``passes`` rounds) - the official SemEval metric. Ties are broken toward
    the setting with the fewest predicted positives, then by grid order, so the choice
    is deterministic.
    """
    if objective not in ("f1", "micro"):
        raise ValueError(f"objective must be 'f1' or 'micro', got {objective!r}")
    grid = grid or THRESHOLD_GRID
    mc, mr, ms = _grid_arrays(grid)
    cand = []  # per frame: (candidates x docs) predictions
    choice = []
    for j in range(len(frames)):
        c, r, s = feat["n_cues"][:, j], feat["rate"][:, j], feat["score"][:, j]
        yj = y[:, j].astype(bool)
        pred = (
            (c[None, :] > 0)
            & (c[None, :] >= mc[:, None])
            & (r[None, :] >= mr[:, None])
            & (s[None, :] >= ms[:, None])
        )
        cand.append(pred)
        tp = (pred & yj).sum(1)
        fp = (pred & ~yj).sum(1)
        fn = (~pred & yj).sum(1)
        choice.append(_best(prf(tp, fp, fn)[2], pred))
    if objective == "micro":
        yb = y.astype(bool)
        cur = np.stack([cand[j][choice[j]] for j in range(len(frames))], axis=1)
        for _ in range(passes):
            changed = False
            for j in range(len(frames)):
                rest = np.delete(cur, j, axis=1)
                yr = np.delete(yb, j, axis=1)
                tp0 = (rest & yr).sum()
                fp0 = (rest & ~yr).sum()
                fn0 = (~rest & yr).sum()
                yj = yb[:, j]
                pred = cand[j]
                tp = tp0 + (pred & yj).sum(1)
                fp = fp0 + (pred & ~yj).sum(1)
                fn = fn0 + (~pred & yj).sum(1)
                i = _best(prf(tp, fp, fn)[2], pred)
                if i != choice[j]:
                    choice[j], changed = i, True
                    cur[:, j] = pred[i]
            if not changed:
                break
    return {
        f: {"min_cues": float(mc[i]), "min_rate": float(mr[i]), "min_score": float(ms[i])}
        for f, i in zip(frames, choice)
    }


def _best(score: np.ndarray, pred: np.ndarray) -> int:
    best = np.flatnonzero(np.isclose(score, score.max()))
    # among ties: fewest predicted positives (most conservative); argmin takes the first
    return int(best[int(np.argmin(pred[best].sum(1)))])


def cross_validated(
    feat: Mapping[str, np.ndarray],
    y: np.ndarray,
    frames: Sequence[str],
    *,
    folds: int = 5,
    random_state: int = 0,
    grid=None,
    objective: str = "f1",
) -> np.ndarray:
    """Out-of-fold predictions: thresholds tuned on k-1 folds applied to the k-th."""
    n = y.shape[0]
    rng = np.random.default_rng(random_state)
    fold_of = rng.permutation(np.arange(n) % folds)
    pred = np.zeros_like(y, dtype=bool)
    for k in range(folds):
        tr, te = fold_of != k, fold_of == k
        thr = tune_thresholds(
            {c: v[tr] for c, v in feat.items()}, y[tr], frames, grid=grid, objective=objective
        )
        pred[te] = predict({c: v[te] for c, v in feat.items()}, thr, frames)
    return pred
