"""Calibrated probabilities: a monotone map per label fitted on grouped out-of-fold scores.

The linear models are trained with balanced class weights, so their probabilities rank
well but over-state rare labels. As ``CalibratedClassifierCV(cv=grouped folds,
ensemble=False)`` does, :func:`fit_calibration` fits a map from a model's probabilities
to observed frequencies on **inner out-of-fold** probabilities of the training rows (the
folds grouped by article or outlet), and the model itself stays the one linear model
fitted on all training rows, so its coefficients remain the evidence. Two methods:
``sigmoid`` (Platt scaling on the logit of the probability: two numbers per label) and
``isotonic`` (a step function; needs more rows). The map is plain numbers, kept in the
model card. Multiclass models get one map per class (one-vs-rest), renormalised to sum
to one. :func:`brier` and :func:`ece` score probabilities against outcomes.

Examples
--------
>>> import numpy as np
>>> p = np.array([0.1, 0.2, 0.6, 0.7, 0.8, 0.9, 0.3, 0.95])
>>> y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
>>> cal = fit_calibration(p[:, None], y[:, None], method="sigmoid")
>>> cal["method"], len(cal["maps"])
('sigmoid', 1)
>>> q = apply_calibration(p[:, None], cal)
>>> bool(brier(y, q[:, 0]) <= brier(y, p))
True
"""

from __future__ import annotations

import numpy as np

from framelens.errors import ConfigError

__all__ = ["METHODS", "fit_calibration", "apply_calibration", "brier", "ece", "scores"]

METHODS = ("sigmoid", "isotonic")
_EPS = 1e-6


def _logit(p):
    p = np.clip(np.asarray(p, float), _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


def _fit_one(p, y, method):
    y = np.asarray(y, float)
    if y.min() == y.max():  # a constant label: its frequency
        return {"constant": float(y[0])}
    if method == "sigmoid":
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
        lr.fit(_logit(p)[:, None], y.astype(int))
        return {"a": round(float(lr.coef_[0, 0]), 10), "b": round(float(lr.intercept_[0]), 10)}
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y)
    return {"x": [round(float(v), 10) for v in iso.X_thresholds_],
            "y": [round(float(v), 10) for v in iso.y_thresholds_]}  # fmt: skip


def fit_calibration(P, Y, *, method: str = "sigmoid") -> dict:
    """One calibration map per column of the probabilities ``P`` (rows x labels) and the
    0/1 outcomes ``Y`` of the same shape; ``{"method", "maps"}`` (JSON-ready)."""
    if method not in METHODS:
        raise ConfigError(f"calibration method {method!r}; choose one of {METHODS}")
    P, Y = np.asarray(P, float), np.asarray(Y, float)
    if P.shape != Y.shape or P.ndim != 2:
        raise ConfigError(f"calibration needs probabilities and outcomes of one shape, "
                          f"not {P.shape} and {Y.shape}")  # fmt: skip
    return {"method": method, "maps": [_fit_one(P[:, j], Y[:, j], method)
                                       for j in range(P.shape[1])]}  # fmt: skip


def _apply_one(p, m):
    if "constant" in m:
        return np.full(len(p), m["constant"])
    if "a" in m:
        return 1.0 / (1.0 + np.exp(-(m["a"] * _logit(p) + m["b"])))
    return np.interp(p, m["x"], m["y"])


def apply_calibration(P, calibration: dict | None, *, normalise: bool = False):
    """``P`` through the maps of :func:`fit_calibration` (unchanged when ``calibration``
    is empty); ``normalise`` makes rows sum to one (multiclass)."""
    P = np.asarray(P, float)
    if not calibration:
        return P
    maps = calibration["maps"]
    if len(maps) != P.shape[1]:
        raise ConfigError(f"the calibration has {len(maps)} maps for {P.shape[1]} columns")
    Q = np.column_stack([_apply_one(P[:, j], m) for j, m in enumerate(maps)]) if len(P) else P
    if normalise and len(Q):
        s = Q.sum(1, keepdims=True)
        Q = np.where(s > 0, Q / np.where(s > 0, s, 1), 1.0 / Q.shape[1])
    return Q


def brier(y, p) -> float:
    """Mean squared difference of probabilities and 0/1 outcomes (all cells)."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    return float(np.mean((p - y) ** 2)) if y.size else float("nan")


def ece(y, p, *, bins: int = 10) -> float:
    """Expected calibration error: over ``bins`` equal-width bins of the probabilities
    (all cells pooled), the row-weighted mean |mean probability - observed frequency|."""
    y, p = np.asarray(y, float).ravel(), np.asarray(p, float).ravel()
    if not y.size:
        return float("nan")
    idx = np.minimum((p * bins).astype(int), bins - 1)
    tot = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            tot += m.sum() * abs(p[m].mean() - y[m].mean())
    return float(tot / y.size)


def scores(Y, P) -> dict:
    """``{"brier", "ece"}`` of probabilities ``P`` for outcomes ``Y`` (same shape)."""
    return {"brier": round(brier(Y, P), 6), "ece": round(ece(Y, P), 6)}
