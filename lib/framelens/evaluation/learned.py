"""The supervised side of ``framelens evaluate``: the transparent models of
:mod:`framelens.measures.supervised` scored beside the lexicon measures.

:func:`training_data` reads a labelled dataset in its published layout into what the
recipes train on (texts, the numeric feature blocks, labels, the groups of the grouped
CV, the data licence). :func:`supervised_block` gives the ``supervised`` metrics of a
task under the names its lexicon metrics use (``micro_f1``, ``macro_f1``, ``macro_f1``
+ ``f1_per_class``, ``sign_agreement``), either cross-validated within one path (nested,
grouped by article: the thresholds and C are chosen on the training folds only) or
trained on a development path and scored on a test path, together with the baselines
that need training data (the label prior of the training rows, the VADER threshold
fitted on them, their majority class).

Examples
--------
>>> from framelens.evaluation.learned import SUPERVISED_TASKS
>>> sorted(SUPERVISED_TASKS)
['babe', 'narrative-frames', 'newsmtsc', 'semeval-frames', 'ukraine-tone']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.errors import ConfigError
from framelens.evaluation import common

__all__ = [
    "SUPERVISED_TASKS",
    "LICENCES",
    "DEFAULT_MODELS",
    "LEXICON_BLOCK",
    "training_data",
    "supervised_block",
    "task_metrics",
    "format_table",
    "dataset_learning_curve",
]

#: Evaluation task -> the supervised recipe it trains (ukraine-tone: the NewsMTSC model).
SUPERVISED_TASKS = {
    "babe": "babe",
    "semeval-frames": "semeval-frames",
    "narrative-frames": "narrative-frames",
    "newsmtsc": "newsmtsc",
    "ukraine-tone": "newsmtsc",
}
#: Licence of each training dataset (decides whether a trained model may ship).
LICENCES = {
    "babe": "AGPL-3.0",
    "semeval-frames": "none stated (SemEval-2023 organisers' data)",
    "narrative-frames": "MIT",
    "newsmtsc": "MIT",
}


#: Whether a frame task's model gets the lexicon feature block (chosen by nested CV on the
#: development halves, docs/validation.md: on SemEval it costs micro-F1, the official metric).
LEXICON_BLOCK = {"semeval-frames": False, "narrative-frames": True}


def _frames_data(task, path, *, lexicon):
    from framelens.evaluation import frames
    from framelens.measures import framing
    from framelens.measures.supervised import frame_lexicon_features
    from framelens.measures.supervised.features import OTHER_SCHEMES, other_scheme_features

    if task == "semeval-frames":
        docs, labels, skipped, sha = frames.read_semeval(path)
        scheme, names = "policy", {f: f for f in labels.columns}
    else:
        docs, labels, skipped, sha = frames.read_narrative(path)
        scheme = "generic"
        inv = {v: k for k, v in framing.scheme_info("generic").label_map.items()}
        names = {inv[lab]: lab for lab in labels.columns}
    X = docs[["text"]].reset_index(drop=True)
    numeric: list[str] = []
    if lexicon and len(docs):
        fd = frames.frame_scores(docs, scheme)
        lex = frame_lexicon_features(fd, docs["doc_id"].astype(str), list(names), names=names)
        others = [other_scheme_features(frames.frame_scores(docs, s), docs["doc_id"].astype(str),
                                        s) for s in OTHER_SCHEMES[task]]  # fmt: skip
        lex = pd.concat([lex, *others], axis=1)
        X = pd.concat([X, lex], axis=1)
        numeric = list(lex.columns)
    groups = docs["doc_id"].astype(str).to_numpy()
    return X, labels.reset_index(drop=True), groups, numeric, sha


def training_data(task: str, path: str | Path, *, group: str = "article",
                  lexicon: bool | None = None) -> dict[str, Any]:  # fmt: skip
    """What the recipe of ``task`` trains on, read from ``path``.

    Parameters
    ----------
    task : str
        babe, semeval-frames, narrative-frames or newsmtsc.
    path : str or Path
        The dataset in its published layout.
    group : "article" or "outlet", keyword-only
        The unit of the grouped CV (BABE only has outlets as well).
    lexicon : bool, optional, keyword-only
        Add the lexicon frame features to the frame tasks (the recipes' numeric block);
        default :data:`LEXICON_BLOCK`.

    Returns
    -------
    dict
        ``X`` (DataFrame), ``y``, ``groups``, ``numeric`` (column names), ``licence``,
        ``data_sha256``.
    """
    from framelens.evaluation import bias, tone
    from framelens.measures.supervised import tone_table

    if task == "babe":
        u = bias.read_babe(path)
        g = u["news_link"] if group == "article" else u["outlet"]
        # the coders' marked words: the recipe learns its word lexicon from the training
        # rows' marks only (cross-fitted; never read at prediction time)
        X = pd.DataFrame({"text": u["text"].to_numpy(),
                          "biased_words": ["|".join(w) for w in u["biased_words"]]})  # fmt: skip
        y, groups, num = u["label"].to_numpy(), g.to_numpy(), []
        sha = common.dataset_sha256(path)
    elif task in ("semeval-frames", "narrative-frames"):
        lexicon = LEXICON_BLOCK[task] if lexicon is None else lexicon
        X, y, groups, num, sha = _frames_data(task, path, lexicon=lexicon)
    elif task == "newsmtsc":
        d, files = tone.read_newsmtsc(path)
        X, num = tone_table(d["text"], d["start"], d["end"])
        y, groups, sha = (
            d["label"].to_numpy(),
            d["article"].to_numpy(),
            common.dataset_sha256(files),
        )
    else:
        raise ConfigError(f"no supervised recipe trains on {task!r}; tasks: "
                          "babe, semeval-frames, narrative-frames, newsmtsc")  # fmt: skip
    return {"X": X, "y": y, "groups": np.asarray(groups), "numeric": num,
            "licence": LICENCES[task], "data_sha256": sha}  # fmt: skip


# ----------------------------------------------------------------------- metrics
def task_metrics(task: str, y, pred, score=None, *, groups=None, labels=(), n_boot=1000,
                 random_state=0) -> dict[str, Any]:  # fmt: skip
    """The metrics of ``task`` for decisions ``pred`` (and scores), under the names the
    lexicon measure's metrics use, with bootstrap 95% intervals (resampling ``groups``)."""
    if task in ("semeval-frames", "narrative-frames"):
        from framelens.evaluation.multilabel import multilabel_metrics

        Y, P = np.asarray(y, bool), np.asarray(pred, bool)
        m = multilabel_metrics(Y, P, list(labels))
        m["ci95"] = common.bootstrap_ci(
            lambda i: {"micro_f1": multilabel_metrics(Y[i], P[i], list(labels))["micro_f1"],
                       "macro_f1": multilabel_metrics(Y[i], P[i], list(labels))["macro_f1"]},
            len(Y), groups=groups, n_boot=n_boot, random_state=random_state)  # fmt: skip
        return m
    if task == "babe":
        from framelens.evaluation.bias import bootstrap_ci, classification_metrics

        m = classification_metrics(y, pred, score)
        m["ci95"] = bootstrap_ci(y, pred, score, n_boot=n_boot, random_state=random_state,
                                 groups=groups)  # fmt: skip
        return m
    return _tone_metrics(y, pred, groups=groups, n_boot=n_boot, random_state=random_state)


def _tone_metrics(y, pred, *, groups, n_boot, random_state):
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    y, pred = np.asarray(y), np.asarray(pred)

    def mf(i):
        return float(f1_score(y[i], pred[i], labels=[-1, 0, 1], average="macro",
                              zero_division=0))  # fmt: skip

    per = f1_score(y, pred, labels=[-1, 0, 1], average=None, zero_division=0)
    return {
        "macro_f1": mf(np.arange(len(y))),
        "macro_f1_ci95": common.bootstrap_ci(mf, len(y), groups=groups, n_boot=n_boot,
                                             random_state=random_state),  # fmt: skip
        "accuracy": float(accuracy_score(y, pred)),
        "f1_per_class": dict(zip(["negative", "neutral", "positive"], map(float, per))),
        "confusion": {"labels": [-1, 0, 1],
                      "matrix": confusion_matrix(y, pred, labels=[-1, 0, 1]).tolist()},
    }  # fmt: skip


def _score(task, proba):
    """The score a metric ranks by (BABE's ROC AUC: P(biased))."""
    return np.asarray(proba).reshape(len(proba), -1)[:, -1] if task == "babe" else None


# ------------------------------------------------------------------------ blocks
def _cv(task, data, *, n_splits, n_inner, n_boot, random_state):
    from framelens.measures import supervised as sv

    X, y, g, num = data["X"], data["y"], data["groups"], data["numeric"]
    pred, proba = sv.cross_predict(task, X, y, groups=g, numeric=num, n_splits=n_splits,
                                   n_inner=n_inner)  # fmt: skip
    labels = list(y.columns) if isinstance(y, pd.DataFrame) else ()
    Y = y.to_numpy(bool) if isinstance(y, pd.DataFrame) else y
    m = task_metrics(task, Y, pred, _score(task, proba), groups=g, labels=labels,
                     n_boot=n_boot, random_state=random_state)  # fmt: skip
    m["protocol"] = (f"nested grouped CV: outer {n_splits} folds by article ({len(set(g))} "
                     f"groups, random_state 0), thresholds/C by inner {n_inner}-fold CV on the "
                     "training folds only")  # fmt: skip
    return m, pred


def _heldout(task, train, test, *, n_inner, n_boot, random_state):
    from framelens.measures import supervised as sv

    model = sv.fit(task, train["X"], train["y"], groups=train["groups"],
                   numeric=train["numeric"], n_inner=n_inner)  # fmt: skip
    X, y = test["X"], test["y"]
    pred = sv.predict(model, X).to_numpy()
    proba = sv.predict_proba(model, X).to_numpy()
    labels = list(y.columns) if isinstance(y, pd.DataFrame) else ()
    Y = y.to_numpy(bool) if isinstance(y, pd.DataFrame) else y
    m = task_metrics(task, Y, pred, _score(task, proba), groups=test["groups"], labels=labels,
                     n_boot=n_boot, random_state=random_state)  # fmt: skip
    m["protocol"] = (f"trained on {train['n']} rows of the --train data (thresholds/C by inner "
                     f"{n_inner}-fold grouped CV there), scored on this path")  # fmt: skip
    return m, pred, model


def _prior_from(y_train: np.ndarray, frames) -> list[int]:
    """The label prior of training rows: the k most frequent frames, k best by micro-F1
    on those rows."""
    from framelens.evaluation.multilabel import multilabel_metrics

    order = np.argsort(-y_train.sum(0), kind="stable").tolist()
    best = (-1.0, 1)
    for k in range(1, len(order) + 1):
        p = np.zeros_like(y_train, bool)
        p[:, order[:k]] = True
        f = multilabel_metrics(y_train, p, frames)["micro_f1"]
        if f > best[0] + 1e-12:
            best = (f, k)
    return order[: best[1]]


def _prior_metrics(Y, pred, frames, how):
    from framelens.evaluation.multilabel import multilabel_metrics

    m = multilabel_metrics(Y, pred, frames)
    return {"description": how, "micro_f1": m["micro_f1"], "macro_f1": m["macro_f1"]}


def _trained_baselines(task, train, test, *, folds=None) -> dict[str, Any]:
    """Baselines that learn from training rows: the label prior (frames), the VADER
    |compound| threshold (BABE), the majority class (NewsMTSC)."""
    from framelens.sentiment import score_texts

    y_te = test["y"]
    if task == "semeval-frames":
        frames, Y = list(y_te.columns), y_te.to_numpy(bool)
        pred = np.zeros_like(Y)
        if folds is None:
            pred[:, _prior_from(train["y"].to_numpy(bool), frames)] = True
            how = "the k most frequent frames of the --train rows (k best there by micro-F1)"
            return {"top_k_train_prior": _prior_metrics(Y, pred, frames, how)}
        for tr, te in folds:
            pred[np.ix_(te, _prior_from(Y[tr], frames))] = True
        how = "the k most frequent frames of the training folds, in the supervised model's folds"
        return {"top_k_prior_cv": _prior_metrics(Y, pred, frames, how)}
    if task == "babe" and folds is None:
        from framelens.evaluation.bias import classification_metrics, fit_threshold

        a_tr = np.abs(score_texts(train["X"]["text"].astype(str).tolist()))
        a_te = np.abs(score_texts(test["X"]["text"].astype(str).tolist()))
        t, _ = fit_threshold(train["y"], a_tr)
        return {"vader_abs_compound_train": {"threshold": t, "fitted_on": "the --train rows",
                **classification_metrics(y_te, (a_te >= t).astype(int), a_te)}}  # fmt: skip
    if task == "newsmtsc" and folds is None:
        major = int(pd.Series(train["y"]).mode().iloc[0])
        return {"majority_train": {"label": major, **_tone_metrics(
            y_te, np.full(len(y_te), major), groups=None, n_boot=0, random_state=0)}}  # fmt: skip
    return {}


def _ukraine(path, train, *, n_inner, n_boot, random_state, threshold=0.4):
    from framelens.evaluation import tone
    from framelens.measures import supervised as sv
    from framelens.sentiment import score_texts

    if train is not None:
        d = training_data("newsmtsc", train)
        model = sv.fit("newsmtsc", d["X"], d["y"], groups=d["groups"], numeric=d["numeric"],
                       n_inner=n_inner)  # fmt: skip
        source = f"trained on the NewsMTSC file {train} ({len(d['y'])} targets)"
    else:
        from framelens.core.resources import data_path

        f = Path(str(data_path(DEFAULT_MODELS["newsmtsc"])))
        if not f.exists():
            return {"error": "no --train NewsMTSC file and no shipped NewsMTSC model"}
        model, _ = sv.persist.load_model(f)
        source = f"the shipped NewsMTSC model {f.name}"
    data, _ = tone.read_ukraine(path)
    vader = score_texts(data["text"].tolist())
    m, _, _ = tone.sign_agreement(data, tone.model_government_tone(model, data), vader,
                                  threshold=threshold, n_boot=n_boot,
                                  random_state=random_state)  # fmt: skip
    other = tone.model_government_tone(model, data, calibrated=not tone.SIGN_FROM_CALIBRATED)
    o, _, _ = tone.sign_agreement(data, other, vader, threshold=threshold, n_boot=n_boot,
                                  random_state=random_state)  # fmt: skip
    rule = "calibrated" if tone.SIGN_FROM_CALIBRATED else "uncalibrated (decision function)"
    m["sign_rule"] = rule
    m["sign_agreement_other_rule"] = {
        "rule": "uncalibrated" if tone.SIGN_FROM_CALIBRATED else "calibrated",
        "sign_agreement": o["sign_agreement"],
        "sign_agreement_ci95": o["sign_agreement_ci95"],
        "note": "reported, not chosen: the rule was chosen on NewsMTSC",
    }
    m["protocol"] = (f"{source}; sign of P(positive) - P(negative) at each government "
                     f"mention, {rule} probabilities")  # fmt: skip
    return m


#: Default models shipped as package data (file names in ``framelens/lexicons``).
DEFAULT_MODELS = {"newsmtsc": "newsmtsc_tone.skops", "narrative-frames": "narrative_frames.skops"}


def supervised_block(task: str, path: str | Path, *, train: str | Path | None = None,
                     n_splits: int = 5, n_inner: int = 5, n_boot: int = 1000,
                     random_state: int = 0) -> dict[str, Any]:  # fmt: skip
    """``{"supervised": metrics, "baselines": extra baselines}`` of ``task`` on ``path``.

    Without ``train``: nested grouped cross-validation within ``path`` (for ukraine-tone,
    the shipped NewsMTSC model). With ``train``: the recipe trained on ``train`` (for
    ukraine-tone, a NewsMTSC JSONL file) and scored on ``path``.
    """
    if task not in SUPERVISED_TASKS:
        raise ConfigError(f"no supervised model for {task!r}; tasks: {sorted(SUPERVISED_TASKS)}")
    kw = dict(n_inner=n_inner, n_boot=n_boot, random_state=random_state)
    if task == "ukraine-tone":
        return {"supervised": _ukraine(path, train, **kw), "baselines": {}}
    test = training_data(task, path)
    if train is None:
        m, _ = _cv(task, test, n_splits=n_splits, **kw)
        from framelens.measures.supervised import outer_folds

        folds = outer_folds(task, test["y"], test["groups"], n_splits)
        return {"supervised": m, "baselines": _trained_baselines(task, test, test, folds=folds)}
    tr = training_data(task, train)
    tr["n"] = len(tr["y"])
    m, _, _ = _heldout(task, tr, test, **kw)
    m["train_data_sha256"] = tr["data_sha256"]
    return {"supervised": m, "baselines": _trained_baselines(task, tr, test)}


def dataset_learning_curve(task: str, path: str | Path, **options) -> pd.DataFrame:
    """The learning curve (:func:`framelens.measures.supervised.learning_curve`: grouped
    outer folds, 10/25/50/100% of the training groups, seed 0) of ``task``'s recipe on a
    labelled dataset read from ``path`` in its published layout."""
    from framelens.measures.supervised import learning_curve

    if task not in SUPERVISED_TASKS or task == "ukraine-tone":
        raise ConfigError(f"no learning curve for {task!r}; tasks: babe, semeval-frames, "
                          "narrative-frames, newsmtsc")  # fmt: skip
    d = training_data(task, path)
    return learning_curve(task, d["X"], d["y"], groups=d["groups"], numeric=d["numeric"],
                          **options)  # fmt: skip


#: The metrics each task's table shows.
TABLE_METRICS = {
    "semeval-frames": ("micro_f1", "macro_f1"),
    "narrative-frames": ("macro_f1", "micro_f1"),
    "babe": ("macro_f1", "roc_auc"),
    "newsmtsc": ("macro_f1", "accuracy"),
    "ukraine-tone": ("sign_agreement",),
}


def format_table(result: dict[str, Any]) -> str:
    """A short text table of ``evaluate``'s result: one line per system (the lexicon
    measure, the supervised model, each baseline) and the task's main metrics.

    Examples
    --------
    >>> r = {"task": "babe", "n": 3, "lexicon": {"macro_f1": 0.6}, "supervised":
    ...      {"macro_f1": 0.7, "roc_auc": 0.8}, "baselines": {"majority": {"macro_f1": 0.3}}}
    >>> print(format_table(r))
    babe (n=3)            macro_f1   roc_auc
    lexicon                  0.600         -
    supervised               0.700     0.800
    baseline: majority       0.300         -
    """
    keys = TABLE_METRICS.get(result.get("task"), ("macro_f1",))
    rows = [("lexicon", result.get("lexicon") or result.get("metrics") or {})]
    if isinstance(result.get("supervised"), dict):
        rows.append(("supervised", result["supervised"]))
    rows += [(f"baseline: {k}", v) for k, v in (result.get("baselines") or {}).items()
             if isinstance(v, dict) and any(key in v for key in keys)]  # fmt: skip

    def cell(v):
        return f"{v:9.3f}" if isinstance(v, (int, float)) and v == v else f"{'-':>9}"

    head = f"{result.get('task', '')} (n={result.get('n', '?')})"
    width = max(len(head), *(len(name) for name, _ in rows)) + 1
    lines = [head.ljust(width) + " ".join(f"{k:>9}" for k in keys)]
    lines += [name.ljust(width) + " ".join(cell(m.get(k)) for k in keys) for name, m in rows]
    if isinstance(result.get("supervised"), dict) and "error" in result["supervised"]:
        lines.append(f"supervised: {result['supervised']['error']}")
    return "\n".join(line.rstrip() for line in lines)
