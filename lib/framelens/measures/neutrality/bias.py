"""The transparent sentence-bias score: cue features, a logistic model, author-voice variant."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.core.resources import data_path
from framelens.core.schema import VOICES
from framelens.core.tokens import RATE_PER, count_words

from .common import (
    BIAS_LEXICON,
    CUE_CATEGORIES,
    as_categorical,
    as_str_array,
    need_columns,
)
from .cues import lexicon_matches
from .sentiment_by_voice import sentence_voice

log = logging.getLogger(__name__)

#: Names of the transparent features of the bias model, in order.
CUE_FEATURES = tuple(f"n_{c}" for c in CUE_CATEGORIES)


_QUOTE_MARKS = '"\u201c\u201d\u201e\u00ab\u00bb'  # double quotation marks


def bias_features(
    matches: pd.DataFrame,
    sentences: pd.DataFrame,
    sentiment: pd.DataFrame | None = None,
    *,
    lexicon: str = BIAS_LEXICON,
    tokens: np.ndarray | None = None,
) -> pd.DataFrame:
    """Per-sentence cue features (all transparent counts).

    Columns: ``doc_id, sent_id, tokens`` (words, :func:`framelens.core.tokens.count_words`;
    the column keeps the name the fitted model's feature has), ``n_<category>`` for the 8
    ``bias_cues`` categories (all voices), ``n_exclaim`` / ``n_question`` (``!``/``?``
    marks), ``n_quote_marks`` (double quotation marks: scare quotes and quotations),
    and, when ``sentiment`` is given, ``vader_pos``, ``vader_neg``, ``vader_abs``
    (|compound|). ``tokens``: the sentences' word counts
    (:func:`framelens.core.tokens.count_words` of their texts), when the caller has them.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [9],
    ...                   "text": ["Shocking!"]})
    >>> f = bias_features(None, s)
    >>> f[["tokens", "n_exclaim", "n_loaded_terms"]].values.tolist()
    [[1, 1, 0]]
    """
    need_columns(sentences, ("doc_id", "sent_id", "text"), "sentences")
    text = as_str_array(sentences["text"])
    f = pd.DataFrame(
        {
            "doc_id": as_str_array(sentences["doc_id"]),
            "sent_id": sentences["sent_id"].to_numpy("int64"),
            "tokens": count_words(text) if tokens is None else np.asarray(tokens, "int64"),
        }
    )
    f = with_cue_counts(f, matches, lexicon=lexicon)
    # counts of single characters: str.count, not a regex per sentence
    f["n_exclaim"] = np.fromiter((t.count("!") for t in text), dtype="int64", count=len(text))
    f["n_question"] = np.fromiter((t.count("?") for t in text), dtype="int64", count=len(text))
    f["n_quote_marks"] = np.fromiter(
        (sum([t.count(c) for c in _QUOTE_MARKS]) for t in text), dtype="int64", count=len(text)
    )
    if sentiment is not None and len(sentiment):
        need_columns(sentiment, ("doc_id", "sent_id", "compound", "pos", "neg"), "sentiment")
        sv = pd.DataFrame(
            {
                "doc_id": as_str_array(sentiment["doc_id"]),
                "sent_id": sentiment["sent_id"].to_numpy("int64"),
                "vader_pos": sentiment["pos"].to_numpy("float64"),
                "vader_neg": sentiment["neg"].to_numpy("float64"),
                "vader_abs": np.abs(sentiment["compound"].to_numpy("float64")),
            }
        )
        f = f.merge(sv, on=["doc_id", "sent_id"], how="left")
    return f


def with_cue_counts(
    features: pd.DataFrame, matches: pd.DataFrame | None, *, lexicon: str = BIAS_LEXICON
) -> pd.DataFrame:
    """``features`` (keyed by ``doc_id, sent_id``) with the ``n_<category>`` cue counts of
    ``matches`` (replaced when present, in place of the old columns; else added at the
    end): what :func:`bias_features` computes from the matches, so that features for
    another set of matches reuse the rest.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "tokens": [3]})
    >>> with_cue_counts(f, None).columns.tolist()[:4]
    ['doc_id', 'sent_id', 'tokens', 'n_hedges']
    """
    m = lexicon_matches(matches, lexicon)
    cnt = (
        m.groupby(["doc_id", "sent_id", "category"], sort=False)
        .size()
        .unstack("category", fill_value=0)
        .reindex(columns=list(CUE_CATEGORIES), fill_value=0)
    )
    cnt.columns = [f"n_{c}" for c in cnt.columns]
    cnt = cnt.reset_index()
    if any(c in features.columns for c in CUE_FEATURES):
        out = features.copy()
        keys = features[["doc_id", "sent_id"]].merge(cnt, on=["doc_id", "sent_id"], how="left")
        for c in CUE_FEATURES:
            out[c] = keys[c].fillna(0).astype("int64").to_numpy()
        return out
    out = features.merge(cnt, on=["doc_id", "sent_id"], how="left")
    for c in CUE_FEATURES:
        out[c] = out[c].fillna(0).astype("int64")
    return out


_TRANSFORMS = {
    "log1p": np.log1p,
    "identity": lambda x: x,
}


@lru_cache(maxsize=8)
def read_model_file(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_bias_model(model: str | Path | Mapping = "default", *, variant: str | None = None) -> dict:
    """Load the fitted logistic bias model (``lexicons/bias_model.json``) or a user's.

    The JSON holds ``variants``: each with ``features`` (name, transform, mean, scale,
    coef), ``intercept`` and ``threshold``; and ``provenance``. ``variant`` picks one
    (``"cues"``, the default: cue counts only; ``"cues+vader"``: plus VADER components).

    Returns
    -------
    dict
        One variant, with ``name`` and ``provenance`` added.
    """
    if isinstance(model, Mapping):
        data = dict(model)
    else:
        if str(model) == "default":
            path = data_path("bias_model.json")
        else:
            path = Path(model)
        if not Path(str(path)).exists():
            raise FileNotFoundError(
                f"bias model {str(path)!r} not found; reproduce the shipped one with "
                f"`python benchmarks/fit_bias_model.py BABE_CSV` or pass model='formula'"
            )
        data = read_model_file(str(path))
    if "variants" not in data:
        return data
    variants = data["variants"]
    name = variant or data.get("default_variant") or next(iter(variants))
    if name not in variants:
        raise ValueError(f"bias model has no variant {name!r}; variants: {list(variants)}")
    out = dict(variants[name])
    out["name"] = name
    out["provenance"] = data.get("provenance", {})
    return out


#: The unfitted, documented formula (chosen a priori, not fitted): every cue counts 1,
#: hedges count -0.5 (they soften a claim); a sentence is flagged at a weighted count of
#: :data:`FORMULA_SCALE` (two net cues) or more.
FORMULA_WEIGHTS = {
    "n_hedges": -0.5,
    "n_boosters": 1.0,
    "n_attitude_markers": 1.0,
    "n_factive_verbs": 1.0,
    "n_assertive_verbs": 1.0,
    "n_implicatives": 1.0,
    "n_intensifiers": 1.0,
    "n_loaded_terms": 1.0,
}


FORMULA_SCALE = 2.0


def apply_bias_model(
    features: pd.DataFrame,
    model: Mapping | str | Path = "default",
    *,
    variant: str | None = None,
    threshold: float | None = None,
) -> pd.DataFrame:
    """Apply a bias model to :func:`bias_features`, keeping every component visible.

    Logistic model: ``z_j = (t_j(x_j) - mean_j) / scale_j``, ``c_j = coef_j * z_j``,
    ``logit = intercept + sum_j c_j``, ``bias_score = 1 / (1 + exp(-logit))``,
    ``flagged = bias_score >= threshold`` and, when the model says ``require_cue`` (the
    shipped one does), at least one bias-cue match in the sentence.
    ``model="formula"`` uses the unfitted :data:`FORMULA_WEIGHTS` instead:
    ``logit = sum_j w_j n_j`` (weighted cue count),
    ``bias_score = 1 - exp(-max(logit, 0) / 2)`` and ``flagged = logit >= 2``.

    ``threshold`` overrides the model's (0.5 for the shipped model, whose intercept
    reflects BABE's 50% share of biased sentences; raise it for corpora where biased
    sentences are rarer).

    Returns
    -------
    DataFrame
        ``features`` plus ``f_<name>`` (transformed feature), ``c_<name>``
        (contribution), ``intercept``, ``logit``, ``bias_score``, ``flagged``, ``model``.
    """
    if threshold is not None and not 0.0 < float(threshold) < 1.0:
        raise ValueError(f"threshold must be between 0 and 1, not {threshold!r}")
    out = features.copy()
    if isinstance(model, str) and model == "formula":
        raw = np.zeros(len(out))
        for name, w in FORMULA_WEIGHTS.items():
            out[f"f_{name}"] = out[name].to_numpy("float64")
            out[f"c_{name}"] = w * out[f"f_{name}"]
            raw = raw + out[f"c_{name}"].to_numpy()
        out["intercept"] = 0.0
        out["logit"] = raw
        out["bias_score"] = 1.0 - np.exp(-np.maximum(raw, 0.0) / FORMULA_SCALE)
        out["flagged"] = raw >= FORMULA_SCALE
        out["model"] = "formula"
        return out
    spec = load_bias_model(model, variant=variant)
    logit = np.full(len(out), float(spec["intercept"]))
    for feat in spec["features"]:
        name = feat["name"]
        if name not in out.columns:
            raise ValueError(
                f"bias model needs feature {name!r}, missing from the features "
                f"table (VADER features need the sentiment table)"
            )
        x = out[name].to_numpy("float64")
        t = _TRANSFORMS[feat.get("transform", "identity")](x)
        z = (t - float(feat["mean"])) / float(feat["scale"])
        out[f"f_{name}"] = t
        out[f"c_{name}"] = float(feat["coef"]) * z
        logit = logit + out[f"c_{name}"].to_numpy()
    out["intercept"] = float(spec["intercept"])
    out["logit"] = logit
    out["bias_score"] = 1.0 / (1.0 + np.exp(-logit))
    thr = float(spec.get("threshold", 0.5)) if threshold is None else float(threshold)
    flagged = out["bias_score"].to_numpy() >= thr
    if spec.get("require_cue", False):
        flagged &= out[list(CUE_FEATURES)].sum(axis=1).to_numpy() > 0
    out["flagged"] = flagged
    out["model"] = spec.get("name", "custom")
    return out


def sentence_bias(
    matches: pd.DataFrame,
    sentences: pd.DataFrame,
    segments: pd.DataFrame | None = None,
    sentiment: pd.DataFrame | None = None,
    *,
    model: str | Path | Mapping = "default",
    variant: str | None = None,
    threshold: float | None = None,
    voice: pd.DataFrame | None = None,
    tokens: np.ndarray | None = None,
) -> pd.DataFrame:
    """Sentence-level bias score with every component visible.

    Features from :func:`bias_features`; score from :func:`apply_bias_model` (the
    shipped logistic model ``bias_model.json`` by default, variant ``cues`` so that the
    score does not change when sentiment is switched off; ``variant="cues+vader"`` adds
    VADER's components - or the unfitted ``"formula"``).
    Also reports the sentence's dominant ``voice``, ``n_author_cues`` (cues in the
    author's voice) and ``cue_density`` (all bias cues per 1,000 words).

    ``bias_score`` counts the cues of **every voice**: a sentence that quotes a source's
    loaded words scores high although the outlet only reports them. The
    **author-only variant** ``bias_score_author`` / ``flagged_author`` applies the same
    model to the cue counts in the author's voice only (punctuation, quotation-mark and
    length features stay those of the whole sentence); use it to rank the outlet's own
    evaluative language. Both are on the same scale; the components ``c_*`` shown are
    those of ``bias_score``. ``voice``: :func:`sentence_voice` of the same tables, when
    the caller has it; ``tokens``: the sentences' word counts (see :func:`bias_features`).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [9],
    ...                   "text": ["Plain text"]})
    >>> b = sentence_bias(None, s, model="formula")
    >>> float(b["bias_score"].iloc[0])
    0.0
    """
    # long: numpydoc on the two score variants; the body is 50 lines
    if not (isinstance(model, (str, Path, Mapping))):
        raise ValueError("model must be 'default', 'formula', a path or a mapping")
    f = bias_features(matches, sentences, sentiment, tokens=tokens)
    b = apply_bias_model(f, model, variant=variant, threshold=threshold)
    v = sentence_voice(sentences, segments) if voice is None else voice
    m = lexicon_matches(matches, BIAS_LEXICON)
    na = m[m["voice"] == "author"].groupby(["doc_id", "sent_id"]).size().rename("n_author_cues")
    # author-only variant: the same model with only the author-voice cue counts
    am = None
    if matches is not None and len(matches):
        am = matches[
            (as_str_array(matches["lexicon"]) != BIAS_LEXICON)
            | (as_str_array(matches["voice"]) == "author")
        ]
    # the same features but the cue counts (bias_features(am, ...), without recounting words)
    fa = apply_bias_model(with_cue_counts(f, am), model, variant=variant, threshold=threshold)
    b = b.assign(
        bias_score_author=fa["bias_score"].to_numpy(), flagged_author=fa["flagged"].to_numpy()
    )
    pos = pd.DataFrame(
        {
            "doc_id": as_str_array(sentences["doc_id"]),
            "sent_id": sentences["sent_id"].to_numpy("int64"),
            "start": sentences["start"].to_numpy("int64"),
            "end": sentences["end"].to_numpy("int64"),
        }
    )
    b = pos.merge(b, on=["doc_id", "sent_id"], how="left")
    b = b.merge(v[["doc_id", "sent_id", "voice"]], on=["doc_id", "sent_id"], how="left")
    b = b.merge(na.reset_index(), on=["doc_id", "sent_id"], how="left")
    b["n_author_cues"] = b["n_author_cues"].fillna(0).astype("int64")
    ncues = b[list(CUE_FEATURES)].sum(axis=1).to_numpy("float64")
    tok = b["tokens"].to_numpy("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        b["cue_density"] = np.where(tok > 0, RATE_PER * ncues / tok, np.nan)
    b["voice"] = as_categorical(b["voice"].fillna("author"), VOICES)
    lead = [
        "doc_id",
        "sent_id",
        "start",
        "end",
        "voice",
        "tokens",
        *CUE_FEATURES,
        "n_author_cues",
        "cue_density",
    ]
    rest = [c for c in b.columns if c not in lead]
    return b[lead + rest]
