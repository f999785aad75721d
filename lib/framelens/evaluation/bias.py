"""Validation of the neutrality-language measures on human-labelled bias data.

Tasks
-----
``babe``
    A BABE ``final_labels_SG2.csv`` file (Spinde et al. 2021; ``;``-separated; columns
    ``text, news_link, outlet, topic, type, label_bias, label_opinion,
    biased_words``). Rows labelled "No agreement" are dropped. The framelens bias score
    (:func:`framelens.measures.neutrality.sentence_bias`, shipped logistic model) is compared
    with ``label_bias``: macro-F1, precision/recall per class, ROC AUC, bootstrap 95%
    CIs; the cue words behind the score are compared with the annotators'
    ``biased_words``. Baselines on the same rows: majority class; VADER |compound| with
    the threshold fitted on development data (stored in ``bias_model.json`` by
    ``benchmarks/fit_bias_model.py``) and, labelled ``vader_abs_compound_in_data``, with
    a threshold fitted on these very rows (in-sample, so optimistic).
``semeval-techniques``
    SemEval-2023 Task 3 subtask 3 layout (``articles/article<ID>.txt`` one paragraph per
    line; ``labels.txt``: ``ID<TAB>line<TAB>comma-separated techniques``). Positive
    paragraphs carry ``Loaded_Language`` or ``Name_Calling-Labeling``; the score flags
    paragraphs. Baselines: all-positive; VADER |compound| with the BABE-development
    threshold (not refitted) and, labelled ``_in_data``, with an in-sample threshold.

Every unit is one "document" with one "sentence" (the labelled unit), so the score sees
exactly the text the annotators saw.

Examples
--------
>>> from framelens.evaluation import evaluate
>>> r = evaluate("babe", "final_labels_SG2.csv")       # doctest: +SKIP
>>> r["metrics"]["macro_f1"]                             # doctest: +SKIP
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.core.resources import data_path
from framelens.evaluation import common, register

log = logging.getLogger(__name__)

__all__ = [
    "read_babe",
    "read_semeval_techniques",
    "unit_features",
    "babe",
    "semeval_techniques",
    "classification_metrics",
    "bootstrap_ci",
    "dev_baselines",
]

TECHNIQUES = ("Loaded_Language", "Name_Calling-Labeling")


# ------------------------------------------------------------------------------- io
def _parse_words(s: Any) -> list[str]:
    if not isinstance(s, str) or not s.strip():
        return []
    try:
        v = ast.literal_eval(s)
    except (ValueError, SyntaxError):
        return [w.strip(" '\"") for w in s.strip("[]").split(",") if w.strip(" '\"")]
    return [str(w) for w in v] if isinstance(v, (list, tuple)) else [str(v)]


def read_babe(path: str | Path) -> pd.DataFrame:
    """Read a BABE ``final_labels_SG2.csv``-format file.

    Returns
    -------
    DataFrame
        ``unit_id, text, label (1 = Biased, 0 = Non-biased), biased_words (list),
        news_link, outlet, topic`` - "No agreement" rows dropped.
    """
    path = Path(path)
    try:
        d = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    except Exception as exc:  # pragma: no cover - pandas error types vary
        raise ValueError(f"{path}: cannot read as a ';'-separated BABE file: {exc}") from exc
    need = {"text", "label_bias"}
    if not need <= set(d.columns):
        raise ValueError(
            f"{path}: not a BABE final_labels file; needs columns {sorted(need)}, "
            f"found {list(d.columns)}"
        )
    lab = d["label_bias"].str.strip()
    bad = sorted(set(lab) - {"Biased", "Non-biased", "No agreement"})
    if bad:
        raise ValueError(f"{path}: unknown label_bias value(s) {bad}")
    keep = lab != "No agreement"
    d = d[keep].reset_index(drop=True)
    return pd.DataFrame(
        {
            "unit_id": [f"babe{i}" for i in range(len(d))],
            "text": d["text"].astype(str).to_numpy(),
            "label": (lab[keep].to_numpy() == "Biased").astype("int64"),
            "biased_words": [_parse_words(x) for x in d.get("biased_words", [""] * len(d))],
            "news_link": d.get("news_link", pd.Series([""] * len(d))).astype(str).to_numpy(),
            "outlet": d.get("outlet", pd.Series([""] * len(d))).astype(str).to_numpy(),
            "topic": d.get("topic", pd.Series([""] * len(d))).astype(str).to_numpy(),
        }
    )


def read_semeval_techniques(path: str | Path, *, techniques=TECHNIQUES) -> pd.DataFrame:
    """Read the SemEval-2023 subtask-3 layout: one unit per non-empty article line.

    Returns
    -------
    DataFrame
        ``unit_id, article, line (1-based), text, label (1 when the line carries one of
        ``techniques``), techniques``.
    """
    path = Path(path)
    art = path / "articles"
    lab = path / "labels.txt"
    if not art.is_dir() or not lab.is_file():
        raise ValueError(
            f"{path}: expected the SemEval-2023 subtask-3 layout with "
            f"articles/article<ID>.txt and labels.txt"
        )
    labels: dict[tuple[str, int], str] = {}
    with open(lab, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise ValueError(f"{lab}:{i}: expected ID<TAB>line<TAB>techniques")
            labels[(parts[0].strip(), int(parts[1]))] = parts[2].strip() if len(parts) > 2 else ""
    want = set(techniques)
    rows = []
    for f in sorted(art.glob("article*.txt")):
        aid = f.stem.removeprefix("article")
        for ln, text in enumerate(f.read_text(encoding="utf-8").split("\n"), 1):
            if not text.strip():
                continue
            tech = labels.get((aid, ln), "")
            has = bool(want & {t.strip() for t in tech.split(",") if t.strip()})
            rows.append((f"{aid}:{ln}", aid, ln, text, int(has), tech))
    if not rows:
        raise ValueError(f"{art}: no article lines found")
    return pd.DataFrame(rows, columns=["unit_id", "article", "line", "text", "label", "techniques"])


# ------------------------------------------------------------------------- features
def unit_features(ids, texts, *, sentiment: bool = True):
    """Bias features for labelled units, each one document = one sentence.

    Returns
    -------
    (features, matches)
        :func:`framelens.measures.neutrality.bias_features` output (doc_id = unit id) and the
        ``bias_cues`` matches.
    """
    from framelens import lexicon
    from framelens.measures import neutrality
    from framelens.sentiment import sentence_sentiment

    ids = [str(i) for i in ids]
    texts = [str(t) for t in texts]
    docs = pd.DataFrame({"doc_id": ids, "text": texts})
    sent = pd.DataFrame(
        {
            "doc_id": ids,
            "sent_id": np.zeros(len(ids), "int32"),
            "start": np.zeros(len(ids), "int64"),
            "end": np.array([len(t) for t in texts], "int64"),
            "text": texts,
        }
    )
    matcher = lexicon.Matcher([lexicon.load(neutrality.BIAS_LEXICON)])
    matches = lexicon.match(docs, matcher, sentences=sent)
    senti = sentence_sentiment(sent) if sentiment else None
    feats = neutrality.bias_features(matches, sent, senti)
    return feats, matches


# -------------------------------------------------------------------------- metrics
def classification_metrics(y, pred, score=None) -> dict[str, float]:
    """Macro-F1, accuracy, precision/recall/F1 per class and ROC AUC (if ``score``)."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support, roc_auc_score

    y = np.asarray(y, dtype=int)
    pred = np.asarray(pred, dtype=int)
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=[1, 0], zero_division=0)
    out = {
        "macro_f1": float(f1_score(y, pred, average="macro", labels=[0, 1], zero_division=0)),
        "accuracy": float(np.mean(y == pred)),
        "precision_pos": float(p[0]),
        "recall_pos": float(r[0]),
        "f1_pos": float(f[0]),
        "precision_neg": float(p[1]),
        "recall_neg": float(r[1]),
        "f1_neg": float(f[1]),
    }
    if score is not None and len(set(y.tolist())) == 2:
        out["roc_auc"] = float(roc_auc_score(y, np.asarray(score, dtype=float)))
    return out


def bootstrap_ci(
    y,
    pred,
    score=None,
    *,
    n_boot: int = 1000,
    random_state: int = 0,
    groups=None,
    keys=("macro_f1", "f1_pos", "roc_auc"),
) -> dict[str, list[float]]:
    """Percentile bootstrap 95% CIs of ``keys``, resampling rows (or ``groups`` of rows).

    Groups are resampled in order of first appearance
    (:func:`framelens.stats.bootstrap.bootstrap_ci` with factorised group codes); ROC
    AUC is left out of a sample with one class.

    Examples
    --------
    >>> ci = bootstrap_ci([0, 1, 1, 0, 1], [0, 1, 0, 0, 1], n_boot=50, keys=("f1_pos",))
    >>> ci["f1_pos"][0] < 0.8 <= ci["f1_pos"][1]
    True
    """
    from sklearn.metrics import f1_score, roc_auc_score

    y = np.asarray(y, dtype=int)
    pred = np.asarray(pred, dtype=int)
    score = None if score is None else np.asarray(score, dtype=float)
    codes = None if groups is None else pd.factorize(pd.Series(groups))[0]

    def roc_auc(yy, idx):
        two = score is not None and len(set(yy.tolist())) == 2
        return roc_auc_score(yy, score[idx]) if two else None

    fns = {
        "macro_f1": lambda yy, pp, idx: f1_score(
            yy, pp, average="macro", labels=[0, 1], zero_division=0
        ),
        "f1_pos": lambda yy, pp, idx: f1_score(yy, pp, pos_label=1, zero_division=0),
        "roc_auc": lambda yy, pp, idx: roc_auc(yy, idx),
    }

    def stats(idx):
        yy, pp = y[idx], pred[idx]
        return {k: fns[k](yy, pp, idx) for k in keys if k in fns}

    return common.bootstrap_ci(
        stats, len(y), groups=codes, n_boot=n_boot, random_state=random_state
    )


def fit_threshold(y, x) -> tuple[float, float]:
    """The threshold on ``x`` maximising macro-F1 on (y, x) - in-sample."""
    from sklearn.metrics import f1_score

    cands = np.unique(np.quantile(x, np.linspace(0, 1, 101)))
    best = (-1.0, 0.0)
    for t in cands:
        f = f1_score(y, (x >= t).astype(int), average="macro", labels=[0, 1], zero_division=0)
        if f > best[0]:
            best = (float(f), float(t))
    return best[1], best[0]


def dev_baselines(model: Any = "default") -> dict[str, Any]:
    """The baseline parameters fitted on development data and shipped with the bias
    model (``baselines`` in ``bias_model.json``, written by
    ``benchmarks/fit_bias_model.py``); ``{}`` when the model file has none."""

    from framelens.measures.neutrality.bias import read_model_file

    if isinstance(model, dict):
        return dict(model.get("baselines", {}))
    if str(model) in ("default", "formula"):
        path = data_path("bias_model.json")
    else:
        path = Path(model)
    if not Path(str(path)).exists():
        return {}
    return dict(read_model_file(str(path)).get("baselines", {}))


def _baselines(y, vader_abs, *, dev: dict[str, Any] | None = None) -> dict[str, Any]:
    """Majority / all-positive and the VADER |compound| baseline: with the threshold
    fitted on development data (``dev``, shipped in bias_model.json) and, as a second,
    labelled row, with a threshold fitted on the evaluated rows themselves."""
    y = np.asarray(y, dtype=int)
    vader_abs = np.asarray(vader_abs, dtype=float)
    maj = int(np.mean(y) >= 0.5)
    out = {
        "majority_class": {"predicts": maj, **classification_metrics(y, np.full(len(y), maj))},
        "all_positive": classification_metrics(y, np.ones(len(y), int)),
    }
    d = (dev or {}).get("vader_abs_compound")
    if d:
        t = float(d["threshold"])
        out["vader_abs_compound"] = {
            "threshold": t,
            "fitted_on": (
                f"development data (BABE dev, sha256 "
                f"{str(d.get('fitted_on_sha256', ''))[:12]}...), stored in "
                f"bias_model.json baselines; not refitted here"
            ),
            **classification_metrics(y, (vader_abs >= t).astype(int), vader_abs),
        }
    t, _ = fit_threshold(y, vader_abs)
    out["vader_abs_compound_in_data"] = {
        "threshold": t,
        "fitted_on": "these rows (in-sample: optimistic)",
        **classification_metrics(y, (vader_abs >= t).astype(int), vader_abs),
    }
    return out


def _word_overlap(matches: pd.DataFrame, units: pd.DataFrame, positive_cats) -> dict[str, Any]:
    """Cue words (of categories raising the score) vs annotators' biased_words."""
    from framelens.core.normalize import fold
    from framelens.measures.neutrality import WORD_RE

    m = matches[matches["category"].astype(str).isin(list(positive_cats))]
    texts = dict(zip(units["unit_id"].astype(str).tolist(), units["text"].astype(str).tolist()))
    cue = {}
    # the matched words as written in the unit (a regex pattern's term is the regex)
    for doc, a, b in zip(m["doc_id"].astype(str).tolist(), m["start"].tolist(), m["end"].tolist()):
        cue.setdefault(doc, set()).update(WORD_RE.findall(fold(texts.get(doc, "")[a:b])))
    n_ann = n_hit = n_cue = n_cue_in = n_annw = n_annw_hit = 0
    for uid, words in zip(units["unit_id"].tolist(), units["biased_words"].tolist()):
        ann = {w for x in words for w in WORD_RE.findall(fold(x))}
        c = cue.get(uid, set())
        if ann:
            n_ann += 1
            n_hit += bool(ann & c)
            n_annw += len(ann)
            n_annw_hit += len(ann & c)
            n_cue += len(c)
            n_cue_in += len(c & ann)
    return {
        "units_with_annotated_words": n_ann,
        "unit_hit_rate": n_hit / n_ann if n_ann else None,
        "cue_word_precision": n_cue_in / n_cue if n_cue else None,
        "annotated_word_recall": n_annw_hit / n_annw if n_annw else None,
        "categories": sorted(positive_cats),
        "definition": (
            "over units with non-empty biased_words: unit_hit_rate = share with at "
            "least one cue word among the annotated words; cue_word_precision = "
            "cue word types that are annotated / cue word types; "
            "annotated_word_recall = annotated word types covered by a cue"
        ),
    }


def _score_units(feats: pd.DataFrame, model, variant):
    from framelens.measures.neutrality import apply_bias_model

    return apply_bias_model(feats, model, variant=variant)


FRAMING_CUES = ("loaded_terms", "intensifiers", "attitude_markers")


def _evaluate_units(
    units: pd.DataFrame,
    path: Path,
    task: str,
    *,
    model,
    variant,
    n_boot: int,
    random_state: int,
    groups=None,
    main: str = "model",
) -> dict[str, Any]:
    from framelens.measures.neutrality import CUE_CATEGORIES, load_bias_model

    feats, matches = unit_features(units["unit_id"], units["text"], sentiment=True)
    y = units["label"].to_numpy()
    sha = common.dataset_sha256(path)
    main_variant = variant or "cues"
    scored = {}
    for v in ("cues", "cues+vader", "formula"):
        b = _score_units(
            feats, "formula" if v == "formula" else model, None if v == "formula" else v
        )
        scored[f"model:{v}" if v != "formula" else "formula"] = (
            b["flagged"].astype(int).to_numpy(),
            b["bias_score"].to_numpy(),
        )
    fc = feats[[f"n_{c}" for c in FRAMING_CUES]].sum(axis=1).to_numpy("float64")
    scored["framing_cues"] = ((fc >= 1).astype(int), fc)
    variants = {k: classification_metrics(y, p, sc) for k, (p, sc) in scored.items()}
    key = "framing_cues" if main == "framing_cues" else f"model:{main_variant}"
    pred, score = scored[key]
    metrics = classification_metrics(y, pred, score)
    metrics["ci95"] = bootstrap_ci(
        y, pred, score, n_boot=n_boot, random_state=random_state, groups=groups
    )
    spec = load_bias_model(model, variant=main_variant) if model != "formula" else {}
    prov = spec.get("provenance", {}) if spec else {}
    pos = [
        f["name"].removeprefix("n_")
        for f in spec.get("features", [])
        if f["name"].removeprefix("n_") in CUE_CATEGORIES and f["coef"] > 0
    ]
    baselines = _baselines(y, feats["vader_abs"].to_numpy(), dev=dev_baselines(model))
    tok = feats["tokens"].to_numpy("float64")
    baselines["length_median_split"] = {
        "threshold": float(np.median(tok)),
        "fitted_on": "these rows (median, in-sample)",
        **classification_metrics(y, (tok >= np.median(tok)).astype(int), tok),
    }
    out = {
        "task": task,
        "path": str(path),
        "data_sha256": sha,
        "n": int(len(units)),
        "n_positive": int(y.sum()),
        "metrics": metrics,
        "variants": variants,
        "baselines": baselines,
        "params": {
            "prediction": key,
            "model": str(model),
            "variant": main_variant,
            "threshold": spec.get("threshold"),
            "framing_cues": list(FRAMING_CUES),
            "n_boot": n_boot,
            "random_state": random_state,
            "bootstrap_unit": "article" if groups is not None else "row",
            "model_fitted_on_sha256": prov.get("data_sha256"),
            "in_sample": bool(prov.get("data_sha256") == sha),
        },
    }
    if "biased_words" in units.columns:
        out["word_overlap"] = _word_overlap(matches, units, pos or ["loaded_terms"])
    return out


@register("babe")
def babe(
    path: Path,
    *,
    model: str = "default",
    variant: str | None = None,
    n_boot: int = 1000,
    random_state: int = 0,
) -> dict[str, Any]:
    """Evaluate the sentence bias score on a BABE ``final_labels_SG2.csv`` file.

    Parameters
    ----------
    path : Path
    model : "default", "formula" or a path to a bias-model JSON
    variant : "cues" (default) or "cues+vader"
    n_boot, random_state : bootstrap settings

    Returns
    -------
    dict
        task, path, data_sha256, n, metrics (macro_f1, accuracy, precision/recall/f1
        per class, roc_auc, ci95), variants, baselines, word_overlap, params.
    """
    units = read_babe(path)
    if len(units) == 0:
        raise ValueError(f"{path}: no labelled rows")
    return _evaluate_units(
        units,
        Path(path),
        "babe",
        model=model,
        variant=variant,
        n_boot=n_boot,
        random_state=random_state,
    )


@register("semeval-techniques")
def semeval_techniques(
    path: Path,
    *,
    model: str = "default",
    variant: str | None = None,
    n_boot: int = 1000,
    random_state: int = 0,
) -> dict[str, Any]:
    """F1 of flagging paragraphs labelled Loaded_Language or Name_Calling-Labeling.

    The main prediction is the a-priori *framing-cue rule*: a paragraph is flagged when
    it has at least one ``loaded_terms``, ``intensifiers`` or ``attitude_markers`` cue
    (Recasens et al.'s framing bias plus Hyland's attitude markers); the BABE-fitted
    sentence model and the unfitted formula are reported under ``variants``. Bootstrap
    CIs resample whole articles (paragraphs of an article are not independent).
    """
    units = read_semeval_techniques(path)
    return _evaluate_units(
        units,
        Path(path),
        "semeval-techniques",
        model=model,
        variant=variant,
        n_boot=n_boot,
        random_state=random_state,
        groups=units["article"].to_numpy(),
        main="framing_cues",
    )
