"""Recipes of the transparent supervised models: features and estimators per task.

Each recipe is a scikit-learn ``Pipeline``: a ``ColumnTransformer`` named ``features``
whose blocks a reader can inspect (word and bigram TF-IDF, character n-grams, left and
right windows around a target, standardised numeric features such as lexicon scores)
and a logistic regression named ``clf`` with a fixed ``random_state``. The settings are
those the research prototypes chose by nested cross-validation on the development
halves (docs/validation.md); nothing here is tuned to rows.

=================  ==========  =================================================  ==========
task               kind        features                                           decision
=================  ==========  =================================================  ==========
semeval-frames     multilabel  word 1-2-gram TF-IDF (+ the policy lexicon's 42    one global
                               frame features x0.1 when given); OvR LR (C=3,      threshold
                               balanced)
narrative-frames   multilabel  word 1-2-gram TF-IDF (+ the generic lexicon's 15   C and
                               and the policy lexicon's 42 frame features x0.1    threshold
                               when given); OvR LR, C per frame from (1, 3, 10,   per frame,
                               30) by inner CV                                    or "always
                                                                                  present"
babe               binary      word 1-2 + char_wb 2-5 TF-IDF, the word lexicon    threshold
                               learned from the training rows' marked words
                               (cross-fitted, 3 columns x3); LR (C=1, balanced)
newsmtsc           multiclass  left / right 8-word windows, target-masked         argmax
                               sentence TF-IDF, VADER of the windows and the
                               31 target-tone features x0.3; multinomial LR
                               (C=1, balanced); grouped by article
=================  ==========  =================================================  ==========

The numeric blocks are computed by :mod:`.features` (the same functions for training,
evaluation and analysis), and the decision rules are chosen by :mod:`.training` on the
training rows only (one set of inner out-of-fold probabilities per candidate C).

Examples
--------
>>> sorted(RECIPES)
['babe', 'narrative-frames', 'newsmtsc', 'semeval-frames']
>>> make_pipeline("babe").named_steps["clf"].random_state
0
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framelens.errors import ConfigError

__all__ = [
    "Recipe",
    "RECIPES",
    "make_pipeline",
    "make_features",
    "make_classifier",
    "target_windows",
    "MASK",
    "WORD_PATTERN",
]

RANDOM_STATE = 0
MASK = " tgtx "
WORD_PATTERN = r"(?u)\b\w+\b"
_TOK = re.compile(r"\w+(?:['\u2019\-]\w+)*|[!?\"\u201c\u201d]")
_DOC_TFIDF = dict(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_df=0.9,
                  strip_accents="unicode", dtype=np.float64)  # fmt: skip


@dataclass(frozen=True)
class Recipe:
    """What a task's model is: kind (multilabel / binary / multiclass), text blocks
    (name -> column, vectorizer options), C, decision rule, numeric block weight."""

    kind: str
    blocks: dict
    C: float
    decision: str
    numeric_weight: float = 0.3
    grouping: str = "article"
    C_grid: tuple = ()
    notes: tuple = field(default_factory=tuple)
    calibration: str = "sigmoid"
    learned: str | None = None


RECIPES = {
    "semeval-frames": Recipe(
        "multilabel", {"word": ("text", _DOC_TFIDF)}, 3.0, "global", numeric_weight=0.1
    ),
    "narrative-frames": Recipe(
        "multilabel",
        {"word": ("text", _DOC_TFIDF)},
        10.0,
        "per_label",
        numeric_weight=0.1,
        C_grid=(1.0, 3.0, 10.0, 30.0),
    ),  # fmt: skip
    "babe": Recipe(
        "binary",
        {
            "word": ("text", dict(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
            "char": (
                "text",
                dict(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=3),
            ),  # fmt: skip
        },
        1.0,
        "threshold",
        numeric_weight=3.0,
        learned="biased_words",
    ),
    "newsmtsc": Recipe(
        "multiclass",
        {
            "left": (
                "left",
                dict(ngram_range=(1, 2), token_pattern=WORD_PATTERN, sublinear_tf=True, min_df=2),
            ),  # fmt: skip
            "right": (
                "right",
                dict(ngram_range=(1, 2), token_pattern=WORD_PATTERN, sublinear_tf=True, min_df=2),
            ),  # fmt: skip
            "masked": (
                "masked",
                dict(
                    ngram_range=(1, 2),
                    token_pattern=WORD_PATTERN,
                    sublinear_tf=True,
                    min_df=2,
                    max_df=0.9,
                ),
            ),  # fmt: skip
        },
        1.0,
        "argmax",
    ),
}


def make_features(task: str, *, numeric: Sequence[str] = ()):
    """The untrained ``ColumnTransformer`` of ``task``: its text blocks and, when
    ``numeric`` columns are given, a standardised numeric block with the recipe's
    ``numeric_weight``."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import StandardScaler

    r = _recipe(task)
    parts = [
        (n, TfidfVectorizer(lowercase=True, **opts), col) for n, (col, opts) in r.blocks.items()
    ]
    weights = {n: 1.0 for n in r.blocks}
    if numeric:
        parts.append(("num", StandardScaler(), list(numeric)))
        weights["num"] = r.numeric_weight
    return ColumnTransformer(parts, transformer_weights=weights, sparse_threshold=1.0)


def make_classifier(task: str, *, C: float | None = None):
    """The untrained classifier of ``task`` (``C`` overrides the recipe's)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    r = _recipe(task)
    c = r.C if C is None else float(C)
    if r.kind == "multiclass":
        return LogisticRegression(C=c, class_weight="balanced", max_iter=3000,
                                  random_state=RANDOM_STATE)  # fmt: skip
    # the dual problem: far fewer rows than features, so 50x faster for the same optimum
    lr = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", dual=True,
                            max_iter=2000, random_state=RANDOM_STATE)  # fmt: skip
    return OneVsRestClassifier(lr, n_jobs=1) if r.kind == "multilabel" else lr


def _recipe(task: str) -> Recipe:
    if task not in RECIPES:
        raise ConfigError(f"unknown task {task!r}; tasks: {sorted(RECIPES)}")
    return RECIPES[task]


def make_pipeline(task: str, *, numeric: Sequence[str] = (), C: float | None = None):
    """The untrained pipeline of ``task`` (see :data:`RECIPES`): ``features``
    (:func:`make_features`) then ``clf`` (:func:`make_classifier`).

    Parameters
    ----------
    task : str
    numeric : sequence of str, keyword-only
        Numeric columns (lexicon categories, the rule score, target-tone features)
        standardised and added with the recipe's ``numeric_weight``.
    C : float, optional
        Overrides the recipe's inverse regularisation strength.
    """
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [("features", make_features(task, numeric=numeric)), ("clf", make_classifier(task, C=C))]
    )


def target_windows(texts, starts, ends, *, window: int = 8) -> pd.DataFrame:
    """Left / right word windows around each target and the target-masked sentence.

    Returns ``text, start, end, left, left_start, right, right_start, masked`` (offsets
    into ``text``, so evidence maps back to characters).

    Examples
    --------
    >>> w = target_windows(["Critics slammed Russia over the war."], [16], [22], window=2)
    >>> w[["left", "right", "masked"]].iloc[0].tolist()
    ['Critics slammed', 'over the', 'Critics slammed  tgtx  over the war.']
    >>> int(w["right_start"].iloc[0])
    23
    """
    rows = []
    for t, s, e in zip(texts, starts, ends):
        s, e = int(s), int(e)
        if not 0 <= s <= e <= len(t):
            raise ConfigError(f"target offsets {s}:{e} fall outside a text of {len(t)} characters")
        lt = list(_TOK.finditer(t, 0, s))[-window:]
        rt = list(_TOK.finditer(t, e))[:window]
        ls = lt[0].start() if lt else s
        re_ = rt[-1].end() if rt else e
        rstart = rt[0].start() if rt else e
        rows.append((t, s, e, t[ls:s].strip(), ls, t[rstart:re_], rstart, t[:s] + MASK + t[e:]))
    cols = ["text", "start", "end", "left", "left_start", "right", "right_start", "masked"]
    return pd.DataFrame(rows, columns=cols)
