"""The step ``models``: trained supervised models applied in ``analyze``, with evidence.

The lexicon measures stay the default; this step adds the predictions of trained models
(:mod:`.training`, saved by :mod:`.persist`) *beside* them. Its options name one model
file per task, or a model shipped with the package (:data:`SHIPPED`):

================  ==========================  ===================================
option            task of the model's card    table (one row per)
================  ==========================  ===================================
``sentence_bias``  babe                        ``model_sentence_bias`` (sentence)
``frames``         semeval-frames or           ``model_frames`` (document, frame)
                   narrative-frames
``target_tone``    newsmtsc                    ``model_target_tone`` (actor mention)
================  ==========================  ===================================

Every prediction keeps its evidence in ``model_evidence``: the ``evidence`` largest
terms ``coefficient x feature value`` of its score (:func:`.evidence.explain`), one row
per feature and character span (``start`` / ``end`` into ``docs.text``; numeric
features such as lexicon scores have no span). With no model named the step makes the
four tables empty.

The step requires the tables of the lexicon measures (``frame_docs``, ``sentence_bias``,
``mention_tone``), so a model's figures are always computed beside the measure they
compete with. A model file must have its card (``.card.json``, checked against the
file's hash on loading) and the card's task must be the option's: a BABE model named as
``frames`` is a :class:`~framelens.errors.ConfigError` naming the file and the task.

Examples
--------
>>> model_path("narrative_frames").name
'narrative_frames.skops'
>>> check_models({"sentence_bias": None, "frames": "narrative_frames",
...               "target_tone": "narrative_frames", "evidence": 5})
"target_tone names ...narrative_frames.skops, a model trained for the task \
'narrative-frames'; target_tone takes a model of newsmtsc ..."
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.core import schema
from framelens.errors import ConfigError

from ..registry import Option, register_step
from .evidence import explain_rows
from .features import OTHER_SCHEMES, frame_lexicon_features, other_scheme_features, tone_table
from .persist import load_model
from .shipped import FRAME_SCHEMES, NAME, SHIPPED, model_card, model_path
from .training import predict, predict_proba

__all__ = [
    "SHIPPED",
    "TASKS",
    "TABLES",
    "OPTIONS",
    "FRAME_SCHEMES",
    "model_path",
    "model_card",
    "check_models",
    "model_files",
    "loaded_model",
    "bias_predictions",
    "frame_predictions",
    "tone_predictions",
    "apply_models",
    "register",
    "NAME",
]

#: The tasks (card ``task``) each option accepts.
TASKS = {
    "sentence_bias": ("babe",),
    "frames": ("semeval-frames", "narrative-frames"),
    "target_tone": ("newsmtsc",),
}

#: The tables the step provides (their contracts are in :mod:`framelens.core.schema`).
TABLES = ("model_sentence_bias", "model_frames", "model_target_tone", "model_evidence")

TONES = {-1: "negative", 0: "neutral", 1: "positive"}
BIAS_LABELS = {0: "non-biased", 1: "biased"}


@functools.lru_cache(maxsize=16)
def _card(path: str, mtime_ns: int, size: int) -> dict:
    p = Path(path).with_suffix(".card.json")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _card_of(path: Path) -> dict:
    st = path.stat()
    return _card(str(path), st.st_mtime_ns, st.st_size)


def check_models(options: Mapping[str, Any]) -> str | None:
    """Why the model files of ``options`` cannot serve their options (None if they can):
    a missing file or card, or a card trained for another task."""
    for option, tasks in TASKS.items():
        value = options.get(option)
        if value is None:
            continue
        path = model_path(value)
        if not path.is_file():
            shipped = ", ".join(SHIPPED)
            return (f"{option} names {path}, not a file; give the path of a .skops model "
                    f"(`framelens train`) or a shipped model: {shipped}")  # fmt: skip
        task = _card_of(path).get("task")
        if task is None:
            card = path.with_suffix(".card.json")
            return (f"{option} names {path}, which has no card ({card} with a 'task'); "
                    "save models with framelens.measures.supervised.persist")  # fmt: skip
        if task not in tasks:
            return (f"{option} names {path}, a model trained for the task {task!r}; {option} "
                    f"takes a model of {' or '.join(tasks)} (train one with "
                    f"`framelens train {tasks[-1]} PATH`)")  # fmt: skip
    return None


def model_files(options: Mapping[str, Any]) -> dict[str, Path]:
    """The files the step reads (model and card per named model): its ``resources``."""
    out = {}
    for option in TASKS:
        value = options.get(option)
        if value is not None:
            path = model_path(value)
            out[f"{option}_model"] = path
            out[f"{option}_card"] = path.with_suffix(".card.json")
    return out


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int):
    return load_model(path)[0]


def loaded_model(option: str, value: str | Path):
    """The model an option names, loaded once per file version (its card hash checked);
    a model of another task than ``option`` takes is a :class:`ConfigError`."""
    path = model_path(value)
    why = check_models({option: value})
    if why:
        raise ConfigError(why)
    st = path.stat()
    model = _load(str(path), st.st_mtime_ns, st.st_size)
    if model.task not in TASKS[option]:
        raise ConfigError(f"{path}: a model of {model.task!r}, not of {TASKS[option]}")
    return model


def _evidence(model, X: pd.DataFrame, pairs, keys, shifts, *, k: int) -> list[dict]:
    """Evidence rows of many predictions (one per (feature, span)), spans shifted to
    ``docs.text``: ``pairs`` are (row of ``X``, label), with one key and shift each."""
    out = []
    for expl, key, shift in zip(explain_rows(model, X, pairs, k=k), keys, shifts):
        for rank, e in enumerate(expl):
            spans = e["spans"] or [(None, None)]
            for a, b in spans:
                out.append({**key, "label": str(e["label"]), "rank": rank,
                            "feature": e["feature"], "weight": e["contribution"],
                            "start": None if a is None else a + shift,
                            "end": None if b is None else b + shift})  # fmt: skip
    return out


def _name(value) -> str:
    return model_path(value).name


def bias_predictions(model, sentences: pd.DataFrame, *, k: int, name: str):
    """``model_sentence_bias`` and its evidence rows for a BABE model over ``sentences``."""
    s = sentences.reset_index(drop=True)
    if not len(s):
        return schema.empty("model_sentence_bias"), []
    X = pd.DataFrame({"text": s["text"].astype(str).to_numpy()})
    p = predict_proba(model, X)[1].to_numpy(float)
    y = predict(model, X).to_numpy()
    table = pd.DataFrame({"doc_id": s["doc_id"].astype(str), "sent_id": s["sent_id"],
                          "start": s["start"], "end": s["end"], "model": name, "p_biased": p,
                          "label": [BIAS_LABELS[int(v)] for v in y]})  # fmt: skip
    docs, sids = s["doc_id"].astype(str).tolist(), s["sent_id"].astype(int).tolist()
    starts, ends = s["start"].astype(int).tolist(), s["end"].astype(int).tolist()
    keys = [{"table": "model_sentence_bias", "doc_id": d, "sent_id": i, "row_start": a,
             "row_end": b, "frame": None}
            for d, i, a, b in zip(docs, sids, starts, ends)]  # fmt: skip
    ev = _evidence(model, X, [(i, None) for i in range(len(s))], keys, starts, k=k)
    return schema.conform(table, "model_sentence_bias"), ev


def _frame_inputs(model, docs: pd.DataFrame, frame_docs: pd.DataFrame) -> pd.DataFrame:
    """The rows a frame model reads: ``text`` and, if it was trained with them, the
    lexicon features of its scheme's ``frame_docs``."""
    from framelens.measures.framing import scheme_info

    X = pd.DataFrame({"text": docs["text"].astype(str).to_numpy()})
    if not model.numeric:
        return X
    scheme = FRAME_SCHEMES[model.task]
    fd = frame_docs[frame_docs["scheme"].astype(str) == scheme]
    inv = {v: f for f, v in scheme_info(scheme).label_map.items()}
    names = {inv.get(lab, lab): lab for lab in model.labels}
    lex = frame_lexicon_features(fd, docs["doc_id"].astype(str), list(names), names=names)
    if len(docs) and fd.empty:
        raise ConfigError(f"the {model.task} model reads the {scheme!r} scheme's lexicon "
                          f"features; add {scheme!r} to the framing step's schemes")  # fmt: skip
    for other in OTHER_SCHEMES.get(model.task, ()):
        if not any(c.startswith(("lexrate_", "lexscore_", "lexcues_")) and f"_{other}_" in c
                   for c in model.numeric):  # fmt: skip
            continue  # a model trained without that block
        if len(docs) and (frame_docs["scheme"].astype(str) == other).sum() == 0:
            raise ConfigError(f"the {model.task} model reads the {other!r} scheme's lexicon "
                              f"features; add {other!r} to the framing step's schemes")  # fmt: skip
        lex = pd.concat([lex, other_scheme_features(frame_docs, docs["doc_id"].astype(str),
                                                    other)], axis=1)  # fmt: skip
    missing = [c for c in model.numeric if c not in lex.columns]
    if missing:
        raise ConfigError(f"the {model.task} model reads lexicon features the framing step "
                          f"did not give: {missing[:3]}")  # fmt: skip
    return pd.concat([X, lex[list(model.numeric)]], axis=1)


def frame_predictions(model, docs: pd.DataFrame, frame_docs: pd.DataFrame, *, k: int, name: str):
    """``model_frames`` and its evidence rows for a frame model over ``docs``."""
    d = docs.reset_index(drop=True)
    if not len(d):
        return schema.empty("model_frames"), []
    X = _frame_inputs(model, d, frame_docs)
    P, Y = predict_proba(model, X), predict(model, X)
    labels = [str(v) for v in model.labels]
    ids = d["doc_id"].astype(str).to_numpy()
    table = pd.DataFrame({"doc_id": np.repeat(ids, len(labels)),
                          "frame": np.tile(labels, len(d)),
                          "p": P.to_numpy(float).ravel(), "present": Y.to_numpy(bool).ravel(),
                          "model": name})  # fmt: skip
    pairs = [(i, lab) for i in range(len(d)) for lab in model.labels]
    keys = [{"table": "model_frames", "doc_id": ids[i], "sent_id": None, "row_start": None,
             "row_end": None, "frame": str(lab)} for i, lab in pairs]  # fmt: skip
    ev = _evidence(model, X, pairs, keys, [0] * len(pairs), k=k)
    return schema.conform(table, "model_frames"), ev


def tone_predictions(model, sentences: pd.DataFrame, mentions: pd.DataFrame, *, k: int,
                     name: str):  # fmt: skip
    """``model_target_tone`` and its evidence rows for a NewsMTSC model over the actor
    ``mentions`` (each read within its sentence)."""
    m = mentions.reset_index(drop=True)
    if not len(m):
        return schema.empty("model_target_tone"), []
    s = sentences.assign(doc_id=sentences["doc_id"].astype(str)).set_index(["doc_id", "sent_id"])
    key = pd.MultiIndex.from_arrays([m["doc_id"].astype(str), m["sent_id"].astype("int32")])
    st = s["start"].reindex(key).to_numpy(np.int64)
    texts = s["text"].reindex(key).astype(str).tolist()
    ms, me = m["start"].to_numpy(np.int64) - st, m["end"].to_numpy(np.int64) - st
    X, _ = tone_table(texts, ms, me)
    P = predict_proba(model, X).reindex(columns=[-1, 0, 1], fill_value=0.0)
    classes = np.array([-1, 0, 1])[np.argmax(P.to_numpy(float), axis=1)]
    table = pd.DataFrame({"doc_id": m["doc_id"].astype(str), "sent_id": m["sent_id"],
                          "start": m["start"], "end": m["end"], "actor": m["actor"],
                          "p_neg": P[-1].to_numpy(float), "p_neu": P[0].to_numpy(float),
                          "p_pos": P[1].to_numpy(float), "tone": [TONES[c] for c in classes],
                          "model": name})  # fmt: skip
    keys = [{"table": "model_target_tone", "doc_id": d, "sent_id": i, "row_start": a,
             "row_end": b, "frame": None}
            for d, i, a, b in zip(m["doc_id"].astype(str).tolist(),
                                  m["sent_id"].astype(int).tolist(),
                                  m["start"].astype(int).tolist(),
                                  m["end"].astype(int).tolist())]  # fmt: skip
    pairs = [(i, int(c)) for i, c in enumerate(classes)]
    ev = _evidence(model, X, pairs, keys, [int(v) for v in st], k=k)
    return schema.conform(table, "model_target_tone"), ev


def apply_models(tables: Mapping[str, pd.DataFrame], *, sentence_bias=None, frames=None,
                 target_tone=None, evidence: int = 5) -> dict[str, pd.DataFrame]:  # fmt: skip
    """The four tables of the step for one batch (empty where no model is named).

    Examples
    --------
    >>> out = apply_models({})
    >>> sorted(out), len(out["model_evidence"])
    (['model_evidence', 'model_frames', 'model_sentence_bias', 'model_target_tone'], 0)
    """
    out = {t: schema.empty(t) for t in TABLES}
    ev: list[dict] = []
    if sentence_bias is not None:
        m = loaded_model("sentence_bias", sentence_bias)
        out["model_sentence_bias"], e = bias_predictions(
            m, tables["sentences"], k=evidence, name=_name(sentence_bias)
        )
        ev += e  # fmt: skip
    if frames is not None:
        m = loaded_model("frames", frames)
        out["model_frames"], e = frame_predictions(
            m, tables["docs"], tables["frame_docs"], k=evidence, name=_name(frames)
        )
        ev += e  # fmt: skip
    if target_tone is not None:
        m = loaded_model("target_tone", target_tone)
        out["model_target_tone"], e = tone_predictions(
            m, tables["sentences"], tables["mentions"], k=evidence, name=_name(target_tone)
        )
        ev += e  # fmt: skip
    if ev:
        cols = list(schema.TABLES["model_evidence"])
        out["model_evidence"] = schema.conform(pd.DataFrame(ev, columns=cols), "model_evidence")
    return out


def _positive(value) -> str | None:
    return None if value >= 1 else f"must be at least 1, not {value!r}"


#: The step's options, with their one set of defaults (no model: the lexicon measures only).
OPTIONS = (
    Option("sentence_bias", (str, Path), None, "BABE sentence-bias model (.skops path)"),
    Option("frames", (str, Path), None,
           "frame model (.skops path, or the shipped narrative_frames)"),
    Option("target_tone", (str, Path), None,
           "target-tone model (.skops path, or the shipped newsmtsc_tone)"),
    Option("evidence", int, 5, "features kept as evidence per prediction", check=_positive),
)  # fmt: skip

#: What :func:`register` registers (``requires`` holds the lexicon measures' tables, so
#: a model always runs beside the measure it competes with).
REGISTRATION = {
    "requires": ("docs", "sentences", "mentions", "frame_docs", "sentence_bias", "mention_tone"),
    "provides": TABLES,
    "options": OPTIONS,
    "resources": model_files,
    "check": check_models,
    "default": False,
}


def register() -> None:
    """Register the step ``models`` (:data:`REGISTRATION`); a no-op when it already is.

    Examples
    --------
    >>> REGISTRATION["provides"][0], [o.name for o in REGISTRATION["options"]][-1]
    ('model_sentence_bias', 'evidence')
    """
    from ..registry import get_step

    try:
        get_step(NAME)
    except ConfigError:
        register_step(NAME, **REGISTRATION)(_run)


def _run(tables: Mapping[str, pd.DataFrame], *, sentence_bias, frames, target_tone, evidence):
    """The pipeline step ``models``: trained models' predictions beside the lexicon measures."""
    return apply_models(tables, sentence_bias=sentence_bias, frames=frames,
                        target_tone=target_tone, evidence=evidence)  # fmt: skip
