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
semeval-frames     multilabel  word 1-2-gram TF-IDF; OvR LR (C=3, balanced)       one global
                                                                                  threshold
narrative-frames   multilabel  word 1-2-gram TF-IDF; OvR LR (C=10, balanced)      per frame
babe               binary      word 1-2 + char_wb 2-5 TF-IDF; LR (C=1, balanced)  threshold
newsmtsc           multiclass  left / right 8-word windows, target-masked         argmax
                               sentence TF-IDF, 31 target-tone features x0.3;
                               multinomial LR (C=1, balanced)
=================  ==========  =================================================  ==========

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

__all__ = ["Recipe", "RECIPES", "make_pipeline", "target_windows", "MASK", "WORD_PATTERN"]

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
    notes: tuple = field(default_factory=tuple)


RECIPES = {
    "semeval-frames": Recipe("multilabel", {"word": ("text", _DOC_TFIDF)}, 3.0, "global"),
    "narrative-frames": Recipe("multilabel", {"word": ("text", _DOC_TFIDF)}, 10.0, "per_label"),
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


def make_pipeline(task: str, *, numeric: Sequence[str] = (), C: float | None = None):
    """The untrained pipeline of ``task`` (see :data:`RECIPES`).

    Parameters
    ----------
    task : str
    numeric : sequence of str, keyword-only
        Numeric columns (lexicon categories, the rule score, target-tone features)
        standardised and added with the recipe's ``numeric_weight``.
    C : float, optional
        Overrides the recipe's inverse regularisation strength.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if task not in RECIPES:
        raise ConfigError(f"unknown task {task!r}; tasks: {sorted(RECIPES)}")
    r = RECIPES[task]
    parts = [
        (n, TfidfVectorizer(lowercase=True, **opts), col) for n, (col, opts) in r.blocks.items()
    ]
    weights = {n: 1.0 for n in r.blocks}
    if numeric:
        parts.append(("num", StandardScaler(), list(numeric)))
        weights["num"] = r.numeric_weight
    ct = ColumnTransformer(parts, transformer_weights=weights, sparse_threshold=1.0)
    c = r.C if C is None else float(C)
    if r.kind == "multiclass":
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=3000,
                                random_state=RANDOM_STATE)  # fmt: skip
        clf = lr
    else:
        lr = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=2000,
                                random_state=RANDOM_STATE)  # fmt: skip
        clf = OneVsRestClassifier(lr, n_jobs=1) if r.kind == "multilabel" else lr
    return Pipeline([("features", ct), ("clf", clf)])


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
