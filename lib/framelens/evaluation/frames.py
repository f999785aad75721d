"""Validation of frame presence against human-labelled news: SemEval-2023 and Narrative Frames.

Tasks
-----
``semeval-frames``
    SemEval-2023 Task 3 subtask 2 (Piskorski et al. 2023), English, in its published
    layout: a folder with ``articles/article<ID>.txt`` (first line = title) and
    ``labels.txt`` (``ID<TAB>comma-separated frames``). The ``policy`` scheme's
    multi-label presence (:func:`framelens.measures.framing.doc_frames`) is scored over the 14
    labels with micro-F1 (the official metric), macro-F1 and per-frame P/R/F1.
    Baselines: always predicting the k most frequent frames *of the development set*
    (best k; the ranking is stored with provenance in ``policy.yaml``,
    ``dev_frame_ranking``) and, labelled as a second, optimistic prior, the k most
    frequent frames *of the evaluated data itself*.
``narrative-frames``
    The Narrative Frames Corpus ``articles_metadata.tsv`` (Frermann et al. 2023): five
    binary labels RE, HI, CO, MO, EC per article, scored against the ``generic`` scheme
    through its ``label_map``. Baseline: predicting every frame present.

Both run the text layer and the lexicon matcher directly (``text.process`` +
``lexicon.match``), not the analysis cache, and report bootstrap 95% confidence
intervals (documents resampled, fixed ``random_state``). With ``tune=True`` they also
select per-frame thresholds on the given data by grid search - objective ``"micro"``
(default for ``semeval-frames``: each frame's F1-optimal cell, then coordinate ascent on
the pooled micro-F1, the official metric) or ``"f1"`` (default for
``narrative-frames``: each frame's own F1) - and report the in-sample figures next to a
k-fold cross-validated estimate (thresholds chosen on k-1 folds, applied to the
held-out fold): the way the shipped thresholds were made (docs/validation.md).
``lexicon_hash_at_tuning`` is :func:`framelens.measures.framing.categories_hash` (categories and
patterns only, so writing the tuned thresholds into the YAML does not change it).

Examples
--------
>>> from framelens.evaluation import evaluate
>>> r = evaluate("semeval-frames", "path/to/semeval2023-frames")   # doctest: +SKIP
>>> r["metrics"]["micro_f1"], r["baselines"]["top_k_prior"]["micro_f1"]  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.evaluation import common, register
from framelens.evaluation.multilabel import (
    THRESHOLD_GRID,
    bootstrap_ci,
    cross_validated,
    multilabel_metrics,
    predict,
    tune_thresholds,
)

log = logging.getLogger(__name__)

__all__ = [
    "SEMEVAL_FRAMES",
    "NARRATIVE_LABELS",
    "read_semeval",
    "read_narrative",
    "frame_scores",
    "multilabel_metrics",
    "bootstrap_ci",
    "tune_thresholds",
    "cross_validated",
    "semeval_frames",
    "narrative_frames",
    "THRESHOLD_GRID",
]

#: The 14 SemEval-2023 subtask-2 frame labels (Policy Frames Codebook minus Other).
SEMEVAL_FRAMES = (
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
)
#: Narrative Frames Corpus label columns.
NARRATIVE_LABELS = ("RE", "HI", "CO", "MO", "EC")


# --------------------------------------------------------------------------- readers
def read_semeval(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, list[dict], str]:
    """Read a SemEval-2023 subtask-2 folder.

    Returns
    -------
    docs : DataFrame
        doc_id, title (first line), text (the whole file, so the headline opens it).
    labels : DataFrame
        doc_id x the 14 frames, bool.
    skipped : list of dict
        ``{"id": ..., "reason": ...}`` for rows that could not be used.
    sha256 : str
        Hash of labels.txt and the article files used.
    """
    path = Path(path)
    lab_path = path / "labels.txt"
    art_dir = path / "articles"
    if not lab_path.is_file() or not art_dir.is_dir():
        raise FileNotFoundError(
            f"{path}: expected the SemEval-2023 subtask-2 layout (labels.txt and articles/"
            "article<ID>.txt)"
        )
    ids, texts, titles, rows, skipped, used = [], [], [], [], [], [lab_path]
    seen = set()
    for lineno, line in enumerate(lab_path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.rstrip("\r\n").split("\t")
        did = parts[0].strip()
        if did in seen:
            skipped.append({"id": did, "reason": f"duplicate id in labels.txt line {lineno}"})
            continue
        labs = [x.strip() for x in (parts[1] if len(parts) > 1 else "").split(",") if x.strip()]
        unknown = [x for x in labs if x not in SEMEVAL_FRAMES]
        if unknown:
            skipped.append({"id": did, "reason": f"unknown frame label(s) {unknown}"})
            continue
        f = art_dir / f"article{did}.txt"
        if not f.is_file():
            skipped.append({"id": did, "reason": f"article file {f.name} missing"})
            continue
        raw = f.read_bytes().decode("utf-8-sig", errors="replace")
        seen.add(did)
        used.append(f)
        ids.append(did)
        texts.append(raw)
        titles.append(raw.split("\n", 1)[0].strip())
        rows.append([fr in labs for fr in SEMEVAL_FRAMES])
    docs = pd.DataFrame({"doc_id": ids, "title": titles, "text": texts})
    labels = pd.DataFrame(
        rows, columns=list(SEMEVAL_FRAMES), index=pd.Index(ids, name="doc_id"), dtype=bool
    )
    return docs, labels, skipped, common.dataset_sha256(used)


def _parse_bool(v) -> bool | None:
    s = str(v).strip().lower()
    if s in ("true", "1", "yes"):
        return True
    if s in ("false", "0", "no"):
        return False
    return None


def read_narrative(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, list[dict], str]:
    """Read the Narrative Frames Corpus ``articles_metadata.tsv``.

    Rows whose five labels are not all ``True``/``False`` (empty or malformed values) are
    skipped and reported with the reason.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "articles_metadata.tsv"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: expected the Narrative Frames articles_metadata.tsv")
    df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    missing = [c for c in ("ID", "text", *NARRATIVE_LABELS) if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: columns {missing} missing (has {list(df.columns)})")
    keep, rows, skipped = [], [], []
    for i, rec in enumerate(df[["ID", "text", *NARRATIVE_LABELS]].itertuples(index=False)):
        did, text, *vals = rec
        parsed = [_parse_bool(v) for v in vals]
        if any(p is None for p in parsed):
            bad = {lab: v for lab, v, p in zip(NARRATIVE_LABELS, vals, parsed) if p is None}
            empty = all(str(v).strip() == "" for v in bad.values())
            reason = ("empty labels" if empty else "malformed label value(s)") + f" {bad}"
            skipped.append({"id": str(did), "reason": reason})
            continue
        if not str(text).strip():
            skipped.append({"id": str(did), "reason": "empty text"})
            continue
        keep.append(i)
        rows.append(parsed)
    sub = df.iloc[keep]
    docs = pd.DataFrame(
        {"doc_id": sub["ID"].astype(str).to_numpy(), "title": "", "text": sub["text"].to_numpy()}
    )
    labels = pd.DataFrame(
        rows,
        columns=list(NARRATIVE_LABELS),
        index=pd.Index(docs["doc_id"], name="doc_id"),
        dtype=bool,
    )
    return docs, labels, skipped, common.dataset_sha256(path)


# --------------------------------------------------------------------------- features
#: Options of the ``framing`` step that decide document frame scores (reported in params).
SCORE_OPTIONS = ("sentence_min_cues", "headline_weight", "lead_weight", "lead_sentences")


def framing_defaults() -> dict[str, Any]:
    """The ``framing`` step's option defaults (the one set, from the step registry)."""
    from framelens import measures

    return measures.get_step("framing").defaults()


def frame_scores(
    docs: pd.DataFrame,
    scheme: str,
    *,
    progress: bool = False,
    actor_cues: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Run the text layer, the scheme's lexicon and :func:`framing.doc_frames` (with a
    neutral threshold so presence can be re-decided by the caller).

    ``actor_cues`` and ``options`` (a subset of :data:`SCORE_OPTIONS`) default to the
    ``framing`` step's defaults (:func:`framing_defaults`)."""
    from framelens import lexicon, text
    from framelens.measures import framing

    defaults = framing_defaults()
    opts = {k: defaults[k] for k in SCORE_OPTIONS} | dict(options or {})
    if actor_cues is None:
        actor_cues = defaults["actor_cues"]

    tables = text.process(docs)
    matcher = lexicon.Matcher([lexicon.load(scheme)])
    matches = lexicon.match(
        docs, matcher, sentences=tables["sentences"], segments=tables["segments"], progress=progress
    )
    return framing.doc_frames(
        matches,
        tables["sentences"],
        scheme=scheme,
        docs=docs,
        thresholds={"min_cues": 0, "min_rate": 0, "min_score": 0},
        actor_cues=actor_cues,
        **opts,
    )


def _features(
    fd: pd.DataFrame, doc_ids: Sequence[str], frames: Sequence[str]
) -> dict[str, np.ndarray]:
    """Per-feature arrays (docs x frames) from a frame_docs table."""
    fd = fd.assign(doc_id=fd["doc_id"].astype(str), frame=fd["frame"].astype(str))
    out = {}
    for col in ("n_cues", "rate", "score"):
        w = fd.pivot_table(
            index="doc_id",
            columns="frame",
            values=col,
            aggfunc="sum",
            fill_value=0.0,
            observed=True,
        )
        out[col] = w.reindex(index=list(doc_ids), columns=list(frames), fill_value=0.0).to_numpy()
    return out


# --------------------------------------------------------------------------- tasks
def _run(
    docs,
    labels,
    skipped,
    sha,
    *,
    task,
    path,
    scheme,
    label_of,
    thresholds,
    n_boot,
    random_state,
    tune,
    folds,
    baselines_fn,
    objective,
):
    from framelens import lexicon
    from framelens.measures import framing
    from framelens.measures.framing.schemes import resolve_thresholds

    defaults = framing_defaults()
    frames = list(labels.columns)
    lex_frames = [label_of[f] for f in frames]  # scheme frame for each label
    fd = frame_scores(docs, scheme, actor_cues=defaults["actor_cues"]) if len(docs) else None
    if fd is None:
        raise ValueError(f"{path}: no usable documents ({len(skipped)} skipped)")
    feat = _features(fd, labels.index.astype(str).tolist(), lex_frames)
    y = labels.to_numpy(dtype=bool)
    thr_all = resolve_thresholds(scheme, thresholds)
    thr = {lab: thr_all[label_of[lab]] for lab in frames}
    pred = predict(feat, thr, frames)
    metrics = multilabel_metrics(y, pred, frames)
    ci = bootstrap_ci(y, pred, n_boot=n_boot, random_state=random_state)
    ci["per_frame_f1"] = dict(zip(frames, ci["per_frame_f1"]))
    metrics["ci95"] = {k: ci[k] for k in ("micro_f1", "macro_f1", "per_frame_f1")}
    out = {
        "task": task,
        "path": str(path),
        "data_sha256": sha,
        "n": int(len(labels)),
        "metrics": metrics,
        "baselines": baselines_fn(y, frames),
        "params": {
            "scheme": scheme,
            "lexicon_hash": lexicon.load(scheme).hash,
            "lexicon_categories_hash": framing.categories_hash(scheme),
            "thresholds_tuned_for_these_cues": framing.scheme_info(scheme).provenance.get(
                "lexicon_hash_at_tuning"
            )
            == framing.categories_hash(scheme),
            "label_map": {lab: label_of[lab] for lab in frames},
            "thresholds": {lab: thr[lab] for lab in frames},
            "thresholds_source": "user"
            if thresholds is not None
            else framing.scheme_info(scheme).provenance.get("source", "shipped defaults"),
            **{
                k: defaults[k]
                for k in ("headline_weight", "lead_weight", "lead_sentences", "actor_cues")
            },
            "sentence_min_cues": defaults["sentence_min_cues"],
            "bootstrap": {"n_boot": n_boot, "random_state": random_state, "level": 0.95},
        },
        "skipped": {"n": len(skipped), "rows": skipped},
    }
    if tune:
        out["tuning"] = _tuning(
            feat,
            y,
            frames,
            scheme=scheme,
            label_of=label_of,
            folds=folds,
            random_state=random_state,
            n_boot=n_boot,
            objective=objective,
        )
    return out


def _tuning(
    feat, y, frames, *, scheme, label_of, folds, random_state, n_boot, objective
) -> dict[str, Any]:
    """Thresholds tuned on these documents: in-sample and cross-validated scores."""
    from framelens.measures import framing

    tuned = tune_thresholds(feat, y, frames, objective=objective)
    ins = multilabel_metrics(y, predict(feat, tuned, frames), frames)
    cvp = cross_validated(
        feat, y, frames, folds=folds, random_state=random_state, objective=objective
    )
    cvm = multilabel_metrics(y, cvp, frames)
    cvci = bootstrap_ci(y, cvp, n_boot=n_boot, random_state=random_state)
    return {
        "method": f"grid search of per-frame thresholds, objective {objective!r} "
        "('f1': each frame's F1; 'micro': coordinate ascent on pooled micro-F1); "
        f"{folds}-fold cross-validation (thresholds tuned on the other folds) "
        "for an out-of-sample estimate",
        "objective": objective,
        "grid": {k: list(v) for k, v in THRESHOLD_GRID.items()},
        "thresholds": {label_of[lab]: tuned[lab] for lab in frames},
        "lexicon_hash_at_tuning": framing.categories_hash(scheme),
        "in_sample": {k: ins[k] for k in ("micro_f1", "macro_f1")}
        | {"per_frame_f1": {f: v["f1"] for f, v in ins["per_frame"].items()}},
        "cross_validated": {k: cvm[k] for k in ("micro_f1", "macro_f1")}
        | {
            "per_frame_f1": {f: v["f1"] for f, v in cvm["per_frame"].items()},
            "ci95": {"micro_f1": cvci["micro_f1"], "macro_f1": cvci["macro_f1"]},
        },
        "folds": folds,
        "random_state": random_state,
    }


def _topk_rows(y: np.ndarray, frames: Sequence[str], order: Sequence[int]) -> dict[str, Any]:
    rows = []
    for k in range(1, len(order) + 1):
        pred = np.zeros_like(y, dtype=bool)
        pred[:, list(order[:k])] = True
        m = multilabel_metrics(y, pred, frames)
        rows.append({"k": k, "micro_f1": m["micro_f1"], "macro_f1": m["macro_f1"]})
    best = max(rows, key=lambda r: (r["micro_f1"], -r["k"]))
    return {
        "k": best["k"],
        "frames": [frames[i] for i in order[: best["k"]]],
        "micro_f1": best["micro_f1"],
        "macro_f1": best["macro_f1"],
        "by_k": rows,
    }


def _topk_baseline(y: np.ndarray, frames: Sequence[str]) -> dict[str, Any]:
    """Label-prior baselines: the k most frequent development-set frames (ranking stored
    in policy.yaml) and, second, the k most frequent frames of the evaluated data."""
    from framelens.measures import framing

    info = framing.scheme_info("policy")
    ranking = [f for f in info.dev_frame_ranking if f in frames]
    dev_order = [list(frames).index(f) for f in ranking]
    in_data = np.argsort(-y.sum(0), kind="stable").tolist()
    prov = {k: v for k, v in info.dev_ranking_source.items() if k != "order"}
    return {
        "top_k_prior": {
            "description": "always predict the k most frequent development-set frames "
            "(ranking stored in policy.yaml dev_frame_ranking), best k by "
            "micro-F1",
            "ranking_source": prov,
            **_topk_rows(y, frames, dev_order),
        },
        "top_k_in_data": {
            "description": "always predict the k most frequent frames of the evaluated data "
            "itself (an optimistic label prior that peeks at the labels), "
            "best k by micro-F1",
            **_topk_rows(y, frames, in_data),
        },
    }


def _all_present_baseline(y: np.ndarray, frames: Sequence[str]) -> dict[str, Any]:
    m = multilabel_metrics(y, np.ones_like(y, dtype=bool), frames)
    return {
        "all_present": {
            "description": "predict every frame present in every article",
            "micro_f1": m["micro_f1"],
            "macro_f1": m["macro_f1"],
            "per_frame_f1": {f: v["f1"] for f, v in m["per_frame"].items()},
        }
    }


@register("semeval-frames")
def semeval_frames(
    path: Path,
    *,
    thresholds: Mapping[str, Any] | None = None,
    n_boot: int = 1000,
    random_state: int = 0,
    tune: bool = False,
    folds: int = 5,
    objective: str = "micro",
) -> dict[str, Any]:
    """Score the ``policy`` scheme's presence on a SemEval-2023 subtask-2 folder.

    Parameters
    ----------
    path : Path
        Folder with ``labels.txt`` and ``articles/``.
    thresholds : dict, optional
        Override the shipped thresholds (see :func:`framelens.measures.framing.doc_frames`).
    n_boot, random_state : int
        Bootstrap resamples and seed for the 95% CIs.
    tune, folds, objective
        Also tune thresholds on this data (``objective`` "micro": pooled micro-F1, the
        official metric; "f1": each frame's F1) and report in-sample and
        cross-validated F1.
    """
    docs, labels, skipped, sha = read_semeval(path)
    return _run(
        docs,
        labels,
        skipped,
        sha,
        task="semeval-frames",
        path=path,
        scheme="policy",
        label_of={f: f for f in SEMEVAL_FRAMES},
        thresholds=thresholds,
        n_boot=n_boot,
        random_state=random_state,
        tune=tune,
        folds=folds,
        baselines_fn=_topk_baseline,
        objective=objective,
    )


@register("narrative-frames")
def narrative_frames(
    path: Path,
    *,
    thresholds: Mapping[str, Any] | None = None,
    n_boot: int = 1000,
    random_state: int = 0,
    tune: bool = False,
    folds: int = 5,
    objective: str = "f1",
) -> dict[str, Any]:
    """Score the ``generic`` scheme's presence on the Narrative Frames ``articles_metadata.tsv``."""
    from framelens.measures import framing

    docs, labels, skipped, sha = read_narrative(path)
    inv = {v: k for k, v in framing.scheme_info("generic").label_map.items()}
    missing = [lab for lab in NARRATIVE_LABELS if lab not in inv]
    if missing:
        raise ValueError(f"generic lexicon label_map lacks {missing}")
    out = _run(
        docs,
        labels,
        skipped,
        sha,
        task="narrative-frames",
        path=path,
        scheme="generic",
        label_of={lab: inv[lab] for lab in NARRATIVE_LABELS},
        thresholds=thresholds,
        n_boot=n_boot,
        random_state=random_state,
        tune=tune,
        folds=folds,
        baselines_fn=_all_present_baseline,
        objective=objective,
    )
    ap = out["baselines"]["all_present"]["per_frame_f1"]
    out["metrics"]["above_all_present"] = {
        lab: bool(out["metrics"]["per_frame"][lab]["f1"] > ap[lab]) for lab in NARRATIVE_LABELS
    }
    return out
