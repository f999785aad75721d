"""Fitting, predicting and cross-validating the supervised recipes, and the model card.

:func:`fit` trains a recipe's pipeline and chooses its decision rule by inner grouped
cross-validation on the training rows only (one global threshold for SemEval frames,
one per frame for narrative frames, where a frame the model cannot predict better than
"always present" in the inner folds falls back to that; one for BABE; argmax for target
tone).
:func:`cross_validate` nests that inside an outer grouped CV (by article or outlet) and
reports each metric with a bootstrap interval over groups. :func:`card` describes a
trained model: data hash, features, parameters, CV scores, licence.

Examples
--------
>>> import pandas as pd
>>> X = pd.DataFrame({"text": ["war army troops", "budget tax money", "army war attack",
...                            "tax budget spending"] * 3})
>>> Y = pd.DataFrame({"Security": [1, 0, 1, 0] * 3, "Economic": [0, 1, 0, 1] * 3}).astype(bool)
>>> m = fit("semeval-frames", X, Y, groups=list(range(12)), n_inner=3)
>>> predict(m, X.iloc[:2]).astype(int).values.tolist()
[[1, 0], [0, 1]]
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framelens.errors import ConfigError
from framelens.stats.bootstrap import bootstrap_ci

from . import wordlex
from .calibration import apply_calibration, fit_calibration
from .calibration import scores as calibration_scores
from .recipes import RANDOM_STATE, RECIPES, make_classifier, make_features, make_pipeline

__all__ = [
    "Model",
    "fit",
    "predict",
    "predict_proba",
    "model_inputs",
    "cross_predict",
    "cross_validate",
    "calibration_report",
    "sign_report",
    "card",
    "data_sha256",
]

GRID = np.round(np.arange(0.02, 0.981, 0.01), 3)


@dataclass
class Model:
    """A trained recipe: the pipeline, its labels, decision thresholds (on calibrated
    probabilities), the calibration maps and, for recipes that learn one, the word
    lexicon of the training rows."""

    task: str
    pipeline: object
    labels: list
    thresholds: list = field(default_factory=list)
    numeric: list = field(default_factory=list)
    label_C: list = field(default_factory=list)
    calibration: dict = field(default_factory=dict)
    lexicon: dict = field(default_factory=dict)


def _f1(tp, fp, fn):
    d = 2 * tp + fp + fn
    return np.where(d > 0, 2 * tp / np.where(d > 0, d, 1), 0.0)


def _splits(kind, y, groups, k, seed=RANDOM_STATE):
    from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

    k = min(k, len(set(groups)))
    if k < 2:
        raise ConfigError("cross-validation needs at least two groups (articles or outlets)")
    try:
        if kind == "multilabel":
            return list(GroupKFold(k, shuffle=True, random_state=seed).split(y, groups=groups))
        return list(StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(y, y, groups))
    except ValueError as exc:
        raise ConfigError(f"cannot make {k} grouped folds of {len(y)} rows: {exc}") from None


def outer_folds(task: str, y, groups, n_splits: int = 5) -> list:
    """The outer folds :func:`cross_predict` uses for ``task`` (``(train, test)`` index
    arrays), so baselines can be scored in the same folds."""
    kind = RECIPES[task].kind
    Y = y.to_numpy(bool) if kind == "multilabel" else np.asarray(y)
    return _splits(kind, Y, np.asarray(groups), n_splits)


def _proba(kind, clf, B, labels):
    """Probabilities as a 2-D array: the positive class (binary), per label, or per
    class in ``labels`` order (a class missing from the training rows gets 0)."""
    P = clf.predict_proba(B)
    if kind == "binary":
        return P[:, [list(clf.classes_).index(1)]] if 1 in clf.classes_ else P[:, -1:] * 0
    if kind == "multiclass":
        out = np.zeros((len(P), len(labels)))
        for i, c in enumerate(clf.classes_):
            out[:, labels.index(c)] = P[:, i]
        return out
    return P


def _outcomes(kind, Y, labels):
    """0/1 outcomes in the columns of :func:`_proba`."""
    if kind == "multilabel":
        return np.asarray(Y, float)
    if kind == "binary":
        return (np.asarray(Y) == 1).astype(float)[:, None]
    return (np.asarray(Y)[:, None] == np.asarray(labels)[None, :]).astype(float)


def _learns(task, X) -> bool:
    col = RECIPES[task].learned
    return bool(col) and col in X.columns


def _with_lexicon(X, lexicon):
    cols = wordlex.columns(X["text"].astype(str), lexicon).set_axis(X.index)
    return pd.concat([X.drop(columns=list(wordlex.COLUMNS), errors="ignore"), cols], axis=1)


def _learned(task, X_tr, y_tr, g_tr, X_other=None):
    """The training rows with cross-fitted lexicon columns, the other rows with the
    columns of the lexicon of all training rows, and that lexicon (unchanged rows and
    no lexicon when the recipe learns none or the rows carry no marks)."""
    if not _learns(task, X_tr):
        return X_tr, X_other, {}
    col = RECIPES[task].learned
    texts = X_tr["text"].astype(str).tolist()
    lex = wordlex.fit_lexicon(texts, X_tr[col].tolist(), y_tr)
    cf = wordlex.cross_fit(texts, X_tr[col].tolist(), y_tr, g_tr).set_axis(X_tr.index)
    a = pd.concat([X_tr.drop(columns=list(wordlex.COLUMNS), errors="ignore"), cf], axis=1)
    return a, None if X_other is None else _with_lexicon(X_other, lex), lex


def _needs_lexicon(model) -> bool:
    ct = model.pipeline.named_steps["features"]
    return any(isinstance(c, list) and wordlex.COLUMNS[0] in c for _, _, c in ct.transformers)


def model_inputs(model, X: pd.DataFrame) -> pd.DataFrame:
    """``X`` with the columns the model computes itself (the learned lexicon's)."""
    return _with_lexicon(X, model.lexicon) if _needs_lexicon(model) else X


def _thresholds(rule, Y, P):
    if rule == "global":
        f = [_f1(*_counts(Y, P >= t)).item() for t in GRID]
        return [float(GRID[int(np.argmax(f))])] * Y.shape[1]
    if rule == "per_label":
        # 0.0 (every row positive) is a candidate: a label the model cannot separate better
        # than "always present" falls back to it instead of sitting below it
        grid = np.concatenate([[0.0], GRID])
        out = []
        for j in range(Y.shape[1]):
            f = [_f1(*_counts(Y[:, j], P[:, j] >= t)).item() for t in grid]
            out.append(float(grid[len(f) - 1 - int(np.argmax(f[::-1]))]))
        return out
    if rule == "threshold":
        from sklearn.metrics import f1_score

        f = [f1_score(Y, P >= t, average="macro", zero_division=0) for t in GRID]
        return [float(GRID[int(np.argmax(f))])]
    return []


def _counts(y, pred):
    y, pred = np.asarray(y, bool), np.asarray(pred, bool)
    return (pred & y).sum(), (pred & ~y).sum(), (~pred & y).sum()


def _check(task, X, y, groups):
    if task not in RECIPES:
        raise ConfigError(f"unknown task {task!r}; tasks: {sorted(RECIPES)}")
    if len(X) != len(y) or len(groups) != len(y):
        raise ConfigError(f"{len(X)} rows, {len(y)} labels and {len(groups)} groups: give one each")
    kind = RECIPES[task].kind
    if kind != "multilabel" and len(pd.unique(np.asarray(y))) < 2:
        raise ConfigError(f"{task}: the training rows hold one class only; a model needs two")


def _fit_clf(task, A, Y, C):
    return make_classifier(task, C=C).fit(A, Y)


def _oof(task, X, Y, groups, numeric, Cs, n_inner, labels):
    """Inner out-of-fold probabilities (2-D) for every C in ``Cs`` and the inner fold of
    each row: the features (and a learned lexicon) are fitted once per inner fold and
    shared by the candidate C."""
    from sklearn.base import clone

    kind = RECIPES[task].kind
    feats = make_features(task, numeric=numeric)
    width = {"binary": 1, "multiclass": len(labels)}.get(kind, Y.shape[-1])
    oof = {C: np.zeros((len(Y), width), float) for C in Cs}
    fold = np.zeros(len(Y), int)
    for i, (tr, te) in enumerate(_splits(kind, Y, groups, n_inner)):
        fold[te] = i
        Xa, Xb, _ = _learned(task, X.iloc[tr], Y[tr], groups[tr], X.iloc[te])
        ct = clone(feats).fit(Xa)
        A, B = ct.transform(Xa), ct.transform(Xb)
        for C in Cs:
            oof[C][te] = _proba(kind, _fit_clf(task, A, Y[tr], C), B, labels)
    return oof, fold


def _cv_threshold_f1(y, q, fold):
    """F1 of the per-label threshold rule itself: for each inner fold, the threshold is
    chosen on the other inner folds' out-of-fold probabilities and applied to this one,
    so a threshold fitted to the very rows it is scored on earns nothing."""
    pred = np.zeros(len(y), bool)
    for i in np.unique(fold):
        m = fold == i
        t = _thresholds("per_label", y[~m][:, None], q[~m][:, None])[0]
        pred[m] = q[m] >= t
    return float(_f1(*_counts(y, pred)))


def _per_label_choice(Y, oof, fold):
    """(C, threshold) per label. C is the candidate whose thresholded predictions score
    best when each inner fold's threshold comes from the other inner folds
    (:func:`_cv_threshold_f1`; ties go to the smaller C); the threshold is then chosen
    on all inner out-of-fold probabilities. When even the best C does not beat
    predicting the label present for every row (its F1 on the same rows), the threshold
    is 0.0: "always present"."""
    Cs, thr = [], []
    for j in range(Y.shape[1]):
        y = Y[:, j]
        best = (-1.0, None)
        for C, P in oof.items():
            f = _cv_threshold_f1(y, P[:, j], fold)
            if f > best[0] + 1e-12:
                best = (f, C)
        f, C = best
        present = float(_f1(*_counts(y, np.ones(len(y), bool))))
        t = _thresholds("per_label", y[:, None], oof[C][:, [j]])[0] if f > present else 0.0
        Cs.append(float(C))
        thr.append(float(t))
    return Cs, thr


def fit(task: str, X: pd.DataFrame, y, *, groups, numeric=(), n_inner: int = 5) -> Model:
    """Train ``task``'s recipe on ``X`` (its text columns, and ``numeric`` columns) and
    labels ``y`` (a DataFrame of bool per label for multilabel tasks; 0/1 or classes
    otherwise); thresholds (and, where the recipe has a ``C_grid``, C per label) by inner
    CV grouped by ``groups`` on these rows only."""
    _check(task, X, y, groups)
    try:
        return _fit(task, X, y, groups=groups, numeric=numeric, n_inner=n_inner)
    except ValueError as exc:  # scikit-learn's word for too few rows / terms / classes
        raise ConfigError(
            f"{task}: cannot train on these {len(X)} rows ({exc}); give more labelled rows"
        ) from None


def _decide(r, Y, oof, labels, fold):
    """Calibration maps fitted on the inner OOF probabilities, then thresholds (and C per
    label) chosen on the calibrated ones: ``(calibration, thresholds, label_C)``."""
    T = _outcomes(r.kind, Y, labels)
    cals = {C: fit_calibration(P, T, method=r.calibration) for C, P in oof.items()}
    Q = {C: apply_calibration(P, cals[C], normalise=r.kind == "multiclass")
         for C, P in oof.items()}  # fmt: skip
    if r.decision == "per_label" and r.C_grid:
        label_C, thresholds = _per_label_choice(Y, Q, fold)
        maps = [cals[C]["maps"][j] for j, C in enumerate(label_C)]
        return {"method": r.calibration, "maps": maps}, thresholds, label_C
    P = Q[r.C][:, 0] if r.kind == "binary" else Q[r.C]
    return cals[r.C], _thresholds(r.decision, Y, P), []


def _fit(task, X, y, *, groups, numeric, n_inner):
    r = RECIPES[task]
    labels = list(y.columns) if r.kind == "multilabel" else sorted(pd.unique(np.asarray(y)))
    Y = y.to_numpy(bool) if r.kind == "multilabel" else np.asarray(y)
    groups = np.asarray(groups)
    X = X.reset_index(drop=True)
    num = list(numeric) + (list(wordlex.COLUMNS) if _learns(task, X) else [])
    oof, fold = _oof(task, X, Y, groups, num, r.C_grid or (r.C,), n_inner, labels)
    cal, thresholds, label_C = _decide(r, Y, oof, labels, fold)
    Xf, _, lex = _learned(task, X, Y, groups)
    pipe = make_pipeline(task, numeric=num).fit(Xf, Y)
    if label_C:
        _refit_labels(task, pipe, Xf, Y, label_C)
    return Model(task, pipe, [str(v) if r.kind == "multilabel" else v for v in labels],
                 thresholds, list(numeric), label_C, cal, lex)  # fmt: skip


def _refit_labels(task, pipe, X, Y, label_C):
    """Give each label of a fitted one-vs-rest pipeline the C chosen for it (the same
    features; the binary estimator of label j replaced by one fitted with C_j)."""
    from sklearn.linear_model import LogisticRegression

    A = pipe.named_steps["features"].transform(X)
    clf = pipe.named_steps["clf"]
    for j, C in enumerate(label_C):
        if not isinstance(clf.estimators_[j], LogisticRegression):
            continue  # a label constant in the training rows: nothing to fit
        clf.estimators_[j] = make_classifier(task, C=C).estimator.fit(A, Y[:, j])


def predict_proba(model: Model, X: pd.DataFrame, *, calibrated: bool = True) -> pd.DataFrame:
    """Probabilities per label (multilabel), of the positive class (binary, column 1) or
    per class (multiclass), one row per row of ``X``; calibrated by the model's maps
    unless ``calibrated=False`` (the linear model's own probabilities)."""
    kind = RECIPES[model.task].kind
    P = model.pipeline.predict_proba(model_inputs(model, X))
    if kind == "binary":
        P = P[:, 1:2]
    if calibrated:
        P = apply_calibration(P, model.calibration, normalise=kind == "multiclass")
    if kind == "binary":
        return pd.DataFrame({1: P[:, 0]}, index=X.index)
    cols = model.labels if kind == "multilabel" else list(model.pipeline.classes_)
    return pd.DataFrame(P, columns=cols, index=X.index)


def predict(model: Model, X: pd.DataFrame):
    """Decisions: bool per label (multilabel), 0/1 (binary) or the class (multiclass)."""
    kind = RECIPES[model.task].kind
    P = predict_proba(model, X)
    if kind == "multilabel":
        return P >= np.asarray(model.thresholds)
    if kind == "binary":
        return pd.Series((P[1] >= model.thresholds[0]).astype(int), index=X.index)
    return pd.Series(P.columns[np.argmax(P.to_numpy(), axis=1)], index=X.index)


def _metrics(kind, Y, pred):
    from sklearn.metrics import f1_score

    if kind == "multilabel":
        out = {"micro_f1": float(_f1(*_counts(Y, pred))), "macro_f1": float(np.mean(
            [_f1(*_counts(Y[:, j], pred[:, j])) for j in range(Y.shape[1])]))}  # fmt: skip
        return out
    return {"macro_f1": float(f1_score(Y, pred, average="macro", zero_division=0))}


def cross_predict(
    task: str, X: pd.DataFrame, y, *, groups, numeric=(), n_splits: int = 5, n_inner: int = 5
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold decisions and probabilities of a nested grouped CV: outer ``n_splits``
    folds by ``groups``; in each, :func:`fit` on the other folds (its inner folds choose
    thresholds and C) predicts the held-out fold. Returns ``(pred, proba)`` in row order
    (proba, calibrated: per label, the positive class, or per class in
    ``sorted(classes)`` order)."""
    pred, proba, _ = _cross(task, X, y, groups=groups, numeric=numeric, n_splits=n_splits,
                            n_inner=n_inner)  # fmt: skip
    return pred, proba


def _cross(task, X, y, *, groups, numeric, n_splits, n_inner):
    """Out-of-fold decisions, calibrated and uncalibrated probabilities."""
    _check(task, X, y, groups)
    kind = RECIPES[task].kind
    Y = y.to_numpy(bool) if kind == "multilabel" else np.asarray(y)
    X = X.reset_index(drop=True)
    groups = np.asarray(groups)
    classes = sorted(pd.unique(Y)) if kind == "multiclass" else None
    pred = np.zeros(Y.shape, bool) if kind == "multilabel" else np.empty(len(Y), dtype=Y.dtype)
    proba = np.zeros((len(Y), len(classes)) if classes else Y.shape, float)
    raw = proba.copy()
    for tr, te in _splits(kind, Y, groups, n_splits):
        yt = y.iloc[tr] if kind == "multilabel" else Y[tr]
        m = fit(task, X.iloc[tr], yt, groups=groups[tr], numeric=numeric, n_inner=n_inner)
        pred[te] = predict(m, X.iloc[te]).to_numpy()
        for out, cal in ((proba, True), (raw, False)):
            P = predict_proba(m, X.iloc[te], calibrated=cal)
            if classes:
                P = P.reindex(columns=classes, fill_value=0.0)
            out[te] = P.to_numpy().reshape(out[te].shape)
    return pred, proba, raw


def calibration_report(task: str, y, proba, raw) -> dict:
    """Brier score and expected calibration error of out-of-fold probabilities, calibrated
    (``proba``) and the linear model's own (``raw``), with the method used."""
    kind = RECIPES[task].kind
    Y = y.to_numpy(bool) if kind == "multilabel" else np.asarray(y)
    classes = sorted(pd.unique(Y)) if kind == "multiclass" else None
    T = _outcomes(kind, Y, classes)
    shape = T.shape
    return {"method": RECIPES[task].calibration,
            "calibrated": calibration_scores(T, np.reshape(proba, shape)),
            "uncalibrated": calibration_scores(T, np.reshape(raw, shape)),
            "fitted_on": "inner grouped out-of-fold probabilities of the training folds",
            }  # fmt: skip


def sign_report(y, proba, raw, *, groups=None, n_boot: int = 500) -> dict:
    """How well the sign of P(positive) - P(negative) (classes ``-1, 0, 1`` in that
    column order) matches the sign of the targets that are not neutral, out of fold:
    accuracy and balanced accuracy (mean over the two signs) for the calibrated
    (``proba``) and the linear model's own (``raw``) probabilities, and the bootstrap
    interval (over ``groups``) of the difference raw - calibrated.

    Examples
    --------
    >>> y = np.array([-1, -1, 1, 1, 0])
    >>> raw = np.array([[.6, .1, .3], [.5, .2, .3], [.3, .2, .5], [.2, .1, .7], [.3, .4, .3]])
    >>> cal = np.array([[.6, .1, .3], [.5, .2, .3], [.5, .2, .3], [.2, .1, .7], [.3, .4, .3]])
    >>> r = sign_report(y, cal, raw, n_boot=0)
    >>> r["uncalibrated"], r["calibrated"]["balanced_accuracy"]
    ({'accuracy': 1.0, 'balanced_accuracy': 1.0}, 0.75)
    """
    y = np.asarray(y)
    nn = y != 0
    t = np.sign(y[nn])

    def acc(s, i):
        per = [np.mean(s[i][t[i] == c] == c) for c in (-1, 1) if (t[i] == c).any()]
        return {"accuracy": float(np.mean(s[i] == t[i])), "balanced_accuracy": float(np.mean(per))}

    pairs = (("calibrated", proba), ("uncalibrated", raw))
    signs = {k: np.sign(np.asarray(P)[nn, 2] - np.asarray(P)[nn, 0]) for k, P in pairs}
    every = np.arange(len(t))
    out = {k: {m: round(v, 6) for m, v in acc(s, every).items()} for k, s in signs.items()}
    out["n_not_neutral"] = int(nn.sum())
    if n_boot:
        g = None if groups is None else np.asarray(groups)[nn]

        def diff(i):
            a, b = acc(signs["uncalibrated"], i), acc(signs["calibrated"], i)
            return {m: a[m] - b[m] for m in a}

        out["uncalibrated_minus_calibrated_ci95"] = bootstrap_ci(
            diff, len(t), groups=g, n_boot=n_boot, random_state=RANDOM_STATE)  # fmt: skip
    return out


def cross_validate(
    task: str, X: pd.DataFrame, y, *, groups, numeric=(), n_splits: int = 5,
    n_inner: int = 5, n_boot: int = 500,
) -> dict:  # fmt: skip
    """Nested grouped CV of ``task`` (:func:`cross_predict`). Returns ``{metric: value}``,
    ``ci`` (bootstrap over groups), ``per_label_f1`` for multilabel tasks, and the folds
    used."""
    kind = RECIPES[task].kind
    pred, proba, raw = _cross(task, X, y, groups=groups, numeric=numeric, n_splits=n_splits,
                              n_inner=n_inner)  # fmt: skip
    Y = y.to_numpy(bool) if kind == "multilabel" else np.asarray(y)
    groups = np.asarray(groups)
    out = _metrics(kind, Y, pred)
    out["ci"] = bootstrap_ci(lambda i: _metrics(kind, Y[i], pred[i]), len(Y), groups=groups,
                             n_boot=n_boot, random_state=RANDOM_STATE)  # fmt: skip
    if kind == "multilabel":
        out["per_label_f1"] = {
            str(c): float(_f1(*_counts(Y[:, j], pred[:, j]))) for j, c in enumerate(y.columns)
        }
    out["calibration"] = calibration_report(task, y, proba, raw)
    if kind == "multiclass" and {-1, 1} <= set(np.unique(Y).tolist()):
        out["sign"] = sign_report(Y, proba, raw, groups=groups)
    out["folds"] = f"{n_splits}-fold grouped ({len(set(groups))} groups), inner {n_inner}-fold"
    out["n"] = int(len(Y))
    return out


def data_sha256(X: pd.DataFrame, y) -> str:
    """SHA-256 of the training texts and labels (order-sensitive)."""
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(X.reset_index(drop=True), index=False).values.tobytes())
    yy = y if isinstance(y, pd.DataFrame) else pd.Series(np.asarray(y))
    h.update(pd.util.hash_pandas_object(yy.reset_index(drop=True), index=False).values.tobytes())
    return h.hexdigest()


def card(model: Model, X: pd.DataFrame, y, *, cv: dict | None = None, licence: str = "",
         dataset: str = "") -> dict:  # fmt: skip
    """The JSON card of a trained model."""
    import sklearn

    r = RECIPES[model.task]
    ct = model.pipeline.named_steps["features"]
    return {
        "task": model.task,
        "kind": r.kind,
        "dataset": dataset,
        "data_licence": licence,
        "training_data_sha256": data_sha256(X, y),
        "n_training_rows": int(len(X)),
        "labels": [str(v) for v in model.labels],
        "decision": r.decision,
        "thresholds": model.thresholds,
        "label_C": model.label_C,
        "calibration": model.calibration,
        "learned_lexicon": {"from": r.learned, "words": len(model.lexicon)} if r.learned else None,
        "features": {name: (str(cols), type(tr).__name__, int(len(getattr(tr, "vocabulary_", {}))
                     or len(cols))) for name, tr, cols in ct.transformers_ if name != "remainder"},
        "parameters": {"C": float(model.pipeline.named_steps["clf"].get_params().get(
            "C", model.pipeline.named_steps["clf"].get_params().get("estimator__C"))),
            "class_weight": "balanced", "random_state": RANDOM_STATE},
        "cross_validation": cv,
        "sklearn_version": sklearn.__version__,
    }  # fmt: skip
