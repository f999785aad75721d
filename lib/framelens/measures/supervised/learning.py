"""Learning curves: a supervised recipe's score against the number of coded units.

:func:`learning_curve` answers "how many units must we code?": in grouped outer folds
(by article or outlet, ``random_state`` fixed) the recipe is refitted on 10, 25, 50 and
100% of each fold's training *groups* (the same seeded order of groups for every
fraction, so each subset contains the smaller ones) and scored on the held-out fold; the
out-of-fold decisions are pooled per fraction. A fraction too small to train on (one
class only, too few groups or terms) is reported as such with its reason, never
dropped. Beside each score: the trivial baseline of the same training subset (the
majority class, or every label present for multi-label tasks).

Examples
--------
>>> import pandas as pd
>>> X = pd.DataFrame({"text": ["the brutal regime lied again", "the council met today"] * 20})
>>> lc = learning_curve("babe", X, [1, 0] * 20, groups=list(range(40)), n_splits=2, n_inner=2)
>>> lc[["fraction", "n_train_groups", "trained"]].values.tolist()[-1]
[1.0, 20.0, True]
>>> float(lc["score"].iloc[-1])
1.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelens.errors import ConfigError

__all__ = ["FRACTIONS", "METRIC", "learning_curve", "plain_metric"]

#: Shares of the training groups of each outer fold the recipe is refitted on.
FRACTIONS = (0.1, 0.25, 0.5, 1.0)
#: The metric of each recipe's curve.
METRIC = {"semeval-frames": "micro_f1", "narrative-frames": "macro_f1", "babe": "macro_f1",
          "newsmtsc": "macro_f1"}  # fmt: skip


def plain_metric(task: str, Y, pred) -> float:
    """The curve's metric (:data:`METRIC`) of decisions ``pred`` against ``Y``."""
    from sklearn.metrics import f1_score

    Y, pred = np.asarray(Y), np.asarray(pred)
    if Y.ndim == 2:
        avg = "micro" if METRIC[task] == "micro_f1" else "macro"
        return float(f1_score(Y.astype(bool), pred.astype(bool), average=avg, zero_division=0))
    return float(f1_score(Y, pred, average="macro", zero_division=0))


def _baseline(Ytr, n_test, kind):
    if kind == "multilabel":
        return np.ones((n_test, Ytr.shape[1]), bool)
    return np.full(n_test, pd.Series(Ytr).mode().iloc[0])


def _subset(groups_tr, fraction, order):
    """Indices (into the training rows) of the first ``fraction`` of the seeded groups."""
    keep = order[: max(1, int(np.ceil(fraction * len(order))))]
    return np.flatnonzero(np.isin(groups_tr, keep))


def learning_curve(task: str, X: pd.DataFrame, y, *, groups, numeric=(),
                   fractions: Sequence[float] = FRACTIONS, n_splits: int = 5, n_inner: int = 3,
                   random_state: int = 0) -> pd.DataFrame:  # fmt: skip
    """Score of ``task``'s recipe refitted on growing shares of the training groups.

    Parameters
    ----------
    task : str
        A recipe of :mod:`framelens.measures.supervised` (babe, semeval-frames,
        narrative-frames, newsmtsc).
    X, y, groups, numeric
        As for :func:`framelens.measures.supervised.fit`.
    fractions : sequence of float, keyword-only
        Shares (0, 1] of each outer fold's training groups.
    n_splits, n_inner, random_state : int, keyword-only
        Outer grouped folds, the inner folds of each fit, the seed of folds and order.

    Returns
    -------
    DataFrame
        One row per fraction: ``fraction, n_train_units, n_train_groups`` (means over the
        folds), ``metric, score, baseline, folds_trained, trained, note``.
    """
    # long: one loop over folds and fractions, with each fit's failure kept as a note
    from framelens.measures import supervised as sv  # the package: fit, predict, folds

    bad = [f for f in fractions if not 0 < float(f) <= 1]
    if bad:
        raise ConfigError(f"learning-curve fractions must lie in (0, 1], not {bad}")
    kind = sv.RECIPES[task].kind
    Y = y.to_numpy(bool) if kind == "multilabel" else np.asarray(y)
    X = X.reset_index(drop=True)
    groups = np.asarray(groups)
    folds = sv.outer_folds(task, y, groups, n_splits)
    rng = np.random.default_rng(random_state)
    orders = [rng.permutation(np.unique(groups[tr])) for tr, _ in folds]
    rows = []
    for f in fractions:
        pred, base = np.zeros_like(Y), np.zeros_like(Y)
        scored = np.zeros(len(Y), bool)
        units, ngroups, notes = [], [], []
        for (tr, te), order in zip(folds, orders):
            sub = tr[_subset(groups[tr], float(f), order)]
            units.append(len(sub))
            ngroups.append(len(set(groups[sub])))
            yt = y.iloc[sub] if kind == "multilabel" else Y[sub]
            try:
                m = sv.fit(task, X.iloc[sub], yt, groups=groups[sub], numeric=numeric,
                           n_inner=n_inner)  # fmt: skip
            except ConfigError as exc:
                notes.append(str(exc).split(";")[0])
                continue
            pred[te] = sv.predict(m, X.iloc[te]).to_numpy()
            base[te] = _baseline(Y[sub], len(te), kind)
            scored[te] = True
        ok = bool(scored.any())
        rows.append({
            "fraction": float(f),
            "n_train_units": float(np.mean(units)),
            "n_train_groups": float(np.mean(ngroups)),
            "metric": METRIC[task],
            "score": plain_metric(task, Y[scored], pred[scored]) if ok else float("nan"),
            "baseline": plain_metric(task, Y[scored], base[scored]) if ok else float("nan"),
            "folds_trained": len(folds) - len(notes),
            "trained": ok,
            "note": "; ".join(sorted(set(notes))),
        })  # fmt: skip
    return pd.DataFrame(rows)
