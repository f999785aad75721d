"""Validation of tone toward actors on human-labelled news data.

Tasks
-----
``ukraine-tone``
    A folder of article JSON files of the Ukraine-crisis news bias dataset (Färber,
    Burkard, Jatowt & Lim 2020; one file per article with ``sentences[*].content`` and
    crowd tone toward three governments ``framing.score.{russia,ukraine,west}.avg``,
    about -2..+2). The folder may be the dataset root holding ``articles/``. Each article
    is one document whose sentences are the dataset's sentences (so the text the crowd
    saw). framelens's tone toward a government in a sentence is the mean
    :func:`framelens.measures.alignment.tones` of the sentence's mentions of that government
    (russia: roots RUS, SUN; ukraine: UKR; west: anything in the WST camp - members of the
    EU or NATO, the EU, NATO, G7, "the West"); a sentence that does not name the
    government falls back to its plain VADER compound (``fallback="sentence"``).
    Metrics: for sentences with ``|avg| >= 0.4`` (at least two of five judges), the share
    whose predicted tone has the same sign, per government and overall, with bootstrap
    95% CIs (resampling articles); coverage (share of those sentences naming the
    government); Spearman's rho between predicted tone and ``avg`` over all sentences
    naming the government. Baseline: the sign of plain sentence VADER (0 counts as a
    disagreement).
``newsmtsc``
    A NewsMTSC JSONL file (Hamborg & Donnay 2021; ``sentence_normalized`` and
    ``targets[*].from/to/polarity`` with 2.0 negative, 4.0 neutral, 6.0 positive).
    framelens's target tone (:func:`framelens.measures.alignment.target_tone`, the shipped
    model) is compared per target: macro-F1 over the three classes with bootstrap 95%
    CIs (resampling sentences), accuracy, F1 per class. Baselines: plain sentence VADER
    with its published +-0.05 thresholds; the majority class. ``cv=True`` adds a grouped
    5-fold cross-validated estimate of refitting the model on this file (what
    :func:`fit_tone_model` does).

Examples
--------
>>> from framelens.evaluation import evaluate
>>> r = evaluate("newsmtsc", "train.jsonl")            # doctest: +SKIP
>>> r["metrics"]["macro_f1"]                            # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.evaluation import common, register

log = logging.getLogger(__name__)

__all__ = [
    "read_newsmtsc",
    "read_ukraine",
    "newsmtsc",
    "ukraine_tone",
    "fit_tone_model",
    "sign_agreement",
    "model_government_tone",
    "GOVERNMENTS",
]

#: Government -> camp items (roots or blocs) used for the Ukraine task.
GOVERNMENTS = {"russia": ["RUS", "SUN"], "ukraine": ["UKR"], "west": ["WST"]}
_LABELS = {2.0: -1, 4.0: 0, 6.0: 1}


# ------------------------------------------------------------------------------ NewsMTSC
def read_newsmtsc(path: str | Path) -> tuple[pd.DataFrame, list[Path]]:
    """Read a NewsMTSC JSONL file (or every ``*.jsonl`` in a folder) into one row per target.

    Returns
    -------
    (DataFrame, files) : columns ``sentence_id, article, text, start, end, mention, label``
        (-1, 0, 1); ``article`` is the first three ``_``-parts of the record's
        ``primary_gid`` (source, article, event), the sentence when it has none.
    """
    path = Path(path)
    files = [path] if path.is_file() else sorted(path.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"{path}: no NewsMTSC .jsonl file found")
    rows: dict[str, list] = {
        k: [] for k in ("sentence_id", "article", "text", "start", "end", "mention", "label")
    }
    k = 0
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for ln, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    text = rec["sentence_normalized"]
                    targets = rec["targets"]
                except (json.JSONDecodeError, KeyError) as exc:
                    raise ValueError(
                        f"{f}:{ln}: not a NewsMTSC record ({exc}); expected "
                        "sentence_normalized and targets"
                    ) from None
                gid = str(rec.get("primary_gid") or f"{f.name}:{ln}")
                art = "_".join(gid.split("_")[:3])
                for t in targets:
                    if float(t["polarity"]) not in _LABELS:
                        continue
                    rows["sentence_id"].append(k)
                    rows["article"].append(art)
                    rows["text"].append(text)
                    rows["start"].append(int(t["from"]))
                    rows["end"].append(int(t["to"]))
                    rows["mention"].append(t.get("mention", text[int(t["from"]) : int(t["to"])]))
                    rows["label"].append(_LABELS[float(t["polarity"])])
                k += 1
    return pd.DataFrame(rows), files


def _macro_f1(y, p) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, p, labels=[-1, 0, 1], average="macro", zero_division=0))


def fit_tone_model(
    path: str | Path, *, C: float = 1.0, cv: int = 5, random_state: int = 0
) -> tuple[dict[str, Any], float]:
    """Fit the target-tone model (multinomial logistic regression, balanced classes) on a
    NewsMTSC file and return it with its grouped ``cv``-fold macro-F1 estimate.

    The returned dict has the layout of :data:`framelens.measures.alignment.TONE_MODEL`.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    from framelens.measures.alignment import TONE_FEATURES, target_features

    data, files = read_newsmtsc(path)
    X = target_features(data["text"].tolist(), data["start"].to_numpy(), data["end"].to_numpy())
    y = data["label"].to_numpy()
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    pred = cross_val_predict(clf, X, y, cv=GroupKFold(cv), groups=data["sentence_id"].to_numpy())
    est = _macro_f1(y, pred)
    clf.fit(X, y)
    order = [list(clf.classes_).index(c) for c in (-1, 0, 1)]
    model = {
        "classes": [-1, 0, 1],
        "intercept": [round(float(clf.intercept_[i]), 6) for i in order],
        "coef": [[round(float(v), 6) for v in clf.coef_[i]] for i in order],
        "features": list(TONE_FEATURES),
        "fitted_on": f"NewsMTSC {files[0].name} sha256={common.dataset_sha256(files)[:16]} "
        f"n={len(y)} C={C}; grouped {cv}-fold CV macro-F1={est:.4f}",
    }
    return model, est


@register("newsmtsc")
def newsmtsc(
    path: Path, *, n_boot: int = 1000, random_state: int = 0, cv: bool = False, **_: Any
) -> dict[str, Any]:
    """Macro-F1 of framelens's tone toward NewsMTSC target spans (see module doc)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    from framelens.measures.alignment import TONE_MODEL, target_tone
    from framelens.sentiment import polarity, score_texts

    path = Path(path)
    data, files = read_newsmtsc(path)
    y = data["label"].to_numpy()
    tone, proba = target_tone(
        data["text"].tolist(), data["start"].to_numpy(), data["end"].to_numpy()
    )
    pred = np.array([-1, 0, 1])[proba.argmax(axis=1)]
    groups = data["sentence_id"].to_numpy()
    vader = polarity(score_texts(data["text"].tolist())).astype(int)
    major = int(pd.Series(y).mode().iloc[0])

    def ci(statistic):  # sentences resampled: the targets of one sentence stay together
        return common.bootstrap_ci(
            statistic, len(y), groups=groups, n_boot=n_boot, random_state=random_state
        )

    metrics = {
        "macro_f1": _macro_f1(y, pred),
        "macro_f1_ci95": ci(lambda i: _macro_f1(y[i], pred[i])),
        "accuracy": float(accuracy_score(y, pred)),
        "f1_per_class": dict(
            zip(
                ["negative", "neutral", "positive"],
                map(float, f1_score(y, pred, labels=[-1, 0, 1], average=None, zero_division=0)),
            )
        ),
        "confusion": {
            "labels": [-1, 0, 1],
            "matrix": confusion_matrix(y, pred, labels=[-1, 0, 1]).tolist(),
        },
    }
    if cv:
        _, est = fit_tone_model(path, random_state=random_state)
        metrics["refit_grouped_cv5_macro_f1"] = est
    baselines = {
        "vader_sentence": {
            "macro_f1": _macro_f1(y, vader),
            "macro_f1_ci95": ci(lambda i: _macro_f1(y[i], vader[i])),
            "accuracy": float(accuracy_score(y, vader)),
        },
        "majority": {"label": major, "macro_f1": _macro_f1(y, np.full_like(y, major))},
    }
    log.info(
        "newsmtsc: macro-F1 %.3f (VADER sentence %.3f)",
        metrics["macro_f1"],
        baselines["vader_sentence"]["macro_f1"],
    )
    return {
        "task": "newsmtsc",
        "path": str(path),
        "data_sha256": common.dataset_sha256(files),
        "n": int(len(y)),
        "n_sentences": int(len(np.unique(groups))),
        "label_counts": {
            str(k): int(v) for k, v in pd.Series(y).value_counts().sort_index().items()
        },
        "metrics": metrics,
        "baselines": baselines,
        "params": {
            "model": TONE_MODEL.get("fitted_on", ""),
            "n_boot": n_boot,
            "random_state": random_state,
            "bootstrap_unit": "sentence",
            "prediction": "argmax of the target-tone model's class probabilities",
        },
    }


# ------------------------------------------------------------------------------ Ukraine
def read_ukraine(path: str | Path) -> tuple[pd.DataFrame, list[Path]]:
    """Read the Ukraine-crisis news bias article JSON files (one row per sentence).

    Returns
    -------
    (DataFrame, files) : ``article, position, text, russia, ukraine, west`` (crowd ``avg``).
    """
    path = Path(path)
    if path.is_dir() and (path / "articles").is_dir():
        path = path / "articles"
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise FileNotFoundError(f"{path}: no article .json files found")
    rows: dict[str, list] = {k: [] for k in ("article", "position", "text", *GOVERNMENTS)}
    for f in files:
        try:
            art = json.loads(f.read_text(encoding="utf-8"))
            sents = art["sentences"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(
                f"{f}: not an article of the Ukraine news bias dataset ({exc})"
            ) from None
        for s in sorted(sents, key=lambda s: s.get("position_in_article", 0)):
            rows["article"].append(str(art.get("id", f.stem)))
            rows["position"].append(int(s.get("position_in_article", 0)))
            rows["text"].append(str(s.get("content", "")))
            score = (s.get("framing") or {}).get("score") or {}
            for g in GOVERNMENTS:
                v = (score.get(g) or {}).get("avg")
                rows[g].append(float(v) if v is not None else np.nan)
    return pd.DataFrame(rows), files


def _article_tables(data: pd.DataFrame, date: str | None):
    """One document per article (its sentences joined by newlines), its sentences and
    the data row of each (article, sentence)."""
    # one document per article, the dataset's sentences joined by newlines
    docs_rows, sent_rows = [], {k: [] for k in ("doc_id", "sent_id", "start", "end", "text")}
    row_of: dict[tuple[str, int], int] = {}
    for art, g in data.groupby("article", sort=True):
        pos, parts = 0, []
        for k, (i, t) in enumerate(zip(g.index, g["text"])):
            sent_rows["doc_id"].append(art)
            sent_rows["sent_id"].append(k)
            sent_rows["start"].append(pos)
            sent_rows["end"].append(pos + len(t))
            sent_rows["text"].append(t)
            row_of[(art, k)] = i
            parts.append(t)
            pos += len(t) + 1
        docs_rows.append((art, "\n".join(parts)))
    docs = pd.DataFrame(docs_rows, columns=["doc_id", "text"])
    docs["date"] = pd.to_datetime(date) if date else pd.NaT
    sentences = pd.DataFrame(sent_rows).astype(
        {"sent_id": "int32", "start": "int64", "end": "int64"}
    )
    return docs, sentences, row_of


def _government_tone(data, docs, sentences, row_of, *, relation_weight):
    """framelens's tone toward each government per data row (NaN: not named)."""
    from framelens import actors
    from framelens.measures import alignment
    from framelens.measures.alignment import camp_of

    tables = {"docs": docs, "sentences": sentences, "segments": None, "quotes": None}
    m = actors.mentions(docs, sentences=sentences)
    tables["mentions"] = m
    tables["matches"] = alignment.relation_matches(docs, sentences=sentences)
    res = alignment.step(tables, relation_weight=relation_weight)
    mt = res["mention_tone"]
    memb = camp_of(
        mt["root"].astype(str).tolist(),
        m.set_index(["doc_id", "start"])
        .reindex(pd.MultiIndex.from_arrays([mt["doc_id"].astype(str), mt["start"]]))["blocs"]
        .astype(str)
        .tolist()
        if len(mt)
        else [],
        GOVERNMENTS,
    )
    pred = {g: np.full(len(data), np.nan) for g in GOVERNMENTS}
    if len(mt):
        rows_idx = np.array(
            [row_of[(d, int(s))] for d, s in zip(mt["doc_id"].astype(str), mt["sent_id"])]
        )
        tone_v = mt["tone"].to_numpy()
        for g in GOVERNMENTS:
            sel = np.array([g in x for x in memb], dtype=bool)
            if sel.any():
                ser = pd.Series(tone_v[sel]).groupby(rows_idx[sel]).mean()
                pred[g][ser.index.to_numpy()] = ser.to_numpy()
    return pred


def _labelled_rows(data, threshold):
    lab = [np.isfinite(data[g].to_numpy()) & (np.abs(data[g].to_numpy()) >= threshold)
           for g in GOVERNMENTS]  # fmt: skip
    return np.concatenate([np.flatnonzero(x) for x in lab]) if len(data) else np.array([], int)


def sign_agreement(data, pred, vader, *, threshold=0.4, fallback="sentence", n_boot=1000,
                   random_state=0):  # fmt: skip
    """Sign agreement of predicted tone per government (``pred``: government -> array
    over the rows of ``data``, NaN where the sentence does not name it) with the crowd,
    over sentences with ``|avg| >= threshold``; VADER of the sentence fills unnamed rows
    (``fallback="sentence"``). Returns ``(metrics, baselines, agree)``."""
    articles = data["article"].to_numpy()
    metrics: dict[str, Any] = {"per_government": {}}
    base: dict[str, Any] = {"per_government": {}}
    all_y, all_p, all_v, all_a = [], [], [], []
    for g in GOVERNMENTS:
        y = data[g].to_numpy()
        lab = np.isfinite(y) & (np.abs(y) >= threshold)
        named = np.isfinite(pred[g])
        p = np.where(named, pred[g], vader if fallback == "sentence" else 0.0)
        metrics["per_government"][g] = _agreement(y, p, pred[g], lab, named)
        vag = np.sign(vader[lab]) == np.sign(y[lab])
        base["per_government"][g] = {
            "sign_agreement": float(vag.mean()) if lab.any() else float("nan")
        }
        all_y.append(y[lab])
        all_p.append(p[lab])
        all_v.append(vader[lab])
        all_a.append(articles[lab])
    y, p, v, a = (np.concatenate(x) for x in (all_y, all_p, all_v, all_a))
    ok = np.sign(p) == np.sign(y)
    vok = np.sign(v) == np.sign(y)
    metrics["sign_agreement"] = float(ok.mean()) if len(ok) else float("nan")
    metrics["sign_agreement_ci95"] = common.bootstrap_ci(
        lambda i: ok[i].mean(), len(ok), groups=a, n_boot=n_boot, random_state=random_state
    )
    base["vader_sentence"] = {
        "sign_agreement": float(vok.mean()) if len(vok) else float("nan"),
        "sign_agreement_ci95": common.bootstrap_ci(
            lambda i: vok[i].mean(), len(vok), groups=a, n_boot=n_boot, random_state=random_state
        ),
    }
    return metrics, base, ok


#: Whether the Ukraine transfer takes the sign of tone from calibrated probabilities.
#: Chosen on NewsMTSC, never on the Ukraine data: in the nested grouped CV of the
#: shipped recipe (out-of-fold, non-neutral targets) the sign of the linear model's own
#: P(positive) - P(negative), i.e. of the decision function, equals the calibrated one's
#: in accuracy (0.817 both) and beats it in balanced accuracy over the two signs (0.816
#: against 0.810): the calibration maps move the sign towards NewsMTSC's majority sign,
#: which another corpus need not share (``cross_validation.sign`` in the model card).
SIGN_FROM_CALIBRATED = False


def model_government_tone(model, data: pd.DataFrame, *, date: str | None = None,
                          calibrated: bool = SIGN_FROM_CALIBRATED):  # fmt: skip
    """Tone toward each government per row of :func:`read_ukraine`'s table from a trained
    target-tone model (:mod:`framelens.measures.supervised`, task ``newsmtsc``): at every
    government mention, P(positive) - P(negative) of the model on the mention's sentence;
    the mean over a sentence's mentions of that government (NaN: not named).

    By default (:data:`SIGN_FROM_CALIBRATED` False) the linear model's own probabilities:
    their difference has the sign of the decision function's (positive minus negative
    logit), the sign rule chosen on NewsMTSC (docs/validation.md); ``calibrated=True``
    uses the calibrated ones, whose per-class maps carry NewsMTSC's class shares."""
    from framelens import actors
    from framelens.measures import supervised as sv
    from framelens.measures.alignment import camp_of

    docs, sentences, row_of = _article_tables(data, date)
    m = actors.mentions(docs, sentences=sentences).reset_index(drop=True)
    pred = {g: np.full(len(data), np.nan) for g in GOVERNMENTS}
    if not len(m):
        return pred
    s0 = sentences.set_index(["doc_id", "sent_id"])["start"]
    key = pd.MultiIndex.from_arrays([m["doc_id"].astype(str), m["sent_id"].astype("int32")])
    st = s0.reindex(key).to_numpy()
    rows = np.array([row_of[(d, int(k))] for d, k in zip(m["doc_id"].astype(str), m["sent_id"])])
    texts = data["text"].to_numpy()[rows].tolist()
    ms, me = (m["start"].to_numpy() - st).astype(int), (m["end"].to_numpy() - st).astype(int)
    X, _ = sv.tone_table(texts, ms, me)
    P = sv.predict_proba(model, X, calibrated=calibrated)
    tone_v = (P.get(1, 0.0) - P.get(-1, 0.0)).to_numpy(float)
    memb = camp_of(m["root"].astype(str).tolist(), m["blocs"].astype(str).tolist(), GOVERNMENTS)
    for g in GOVERNMENTS:
        sel = np.array([g in x for x in memb], dtype=bool)
        if sel.any():
            ser = pd.Series(tone_v[sel]).groupby(rows[sel]).mean()
            pred[g][ser.index.to_numpy()] = ser.to_numpy()
    return pred


#: What the Ukraine task's predicted tone is (reported in its params).
UKRAINE_TONE = (
    "framelens.measures.alignment.tones (target-tone model + relation_weight x relation events)"
)


def _agreement(y, p, tone_g, lab, named) -> dict[str, Any]:
    """Sign agreement, coverage and rank correlation for one government."""
    from scipy.stats import spearmanr

    agree = np.sign(p[lab]) == np.sign(y[lab])
    sp = named & np.isfinite(y)
    rho = float(spearmanr(tone_g[sp], y[sp]).statistic) if sp.sum() > 2 else float("nan")
    return {
        "n_labelled": int(lab.sum()),
        "sign_agreement": float(agree.mean()) if lab.any() else float("nan"),
        "coverage": float(named[lab].mean()) if lab.any() else float("nan"),
        "sign_agreement_named": float(agree[named[lab]].mean())
        if (named[lab]).any()
        else float("nan"),
        "spearman_named": rho,
        "n_named": int(sp.sum()),
    }


@register("ukraine-tone")
def ukraine_tone(
    path: Path,
    *,
    threshold: float = 0.4,
    fallback: str = "sentence",
    date: str | None = None,
    relation_weight: float = 0.25,
    n_boot: int = 1000,
    random_state: int = 0,
    **_: Any,
) -> dict[str, Any]:
    """Sign agreement of framelens's tone toward governments with crowd tone (module doc)."""
    from framelens.sentiment import score_texts

    if fallback not in {"sentence", "none"}:
        raise ValueError("fallback must be 'sentence' (VADER of the sentence) or 'none'")
    path = Path(path)
    data, files = read_ukraine(path)
    docs, sentences, row_of = _article_tables(data, date)
    pred = _government_tone(data, docs, sentences, row_of, relation_weight=relation_weight)
    vader = score_texts(data["text"].tolist())
    metrics, base, ok = sign_agreement(data, pred, vader, threshold=threshold, fallback=fallback,
                                       n_boot=n_boot, random_state=random_state)  # fmt: skip
    a = data["article"].to_numpy()[_labelled_rows(data, threshold)]
    return {
        "task": "ukraine-tone",
        "path": str(path),
        "data_sha256": common.dataset_sha256(files),
        "n": int(len(ok)),
        "n_sentences": int(len(data)),
        "n_articles": int(len(docs)),
        "n_articles_labelled": int(len(np.unique(a))) if len(a) else 0,
        "metrics": metrics,
        "baselines": base,
        "params": {
            "threshold": threshold,
            "fallback": fallback,
            "date": date,
            "relation_weight": relation_weight,
            "governments": GOVERNMENTS,
            "n_boot": n_boot,
            "random_state": random_state,
            "bootstrap_unit": "article",
            "tone": UKRAINE_TONE,
        },
    }
