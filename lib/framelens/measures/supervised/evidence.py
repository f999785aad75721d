"""Evidence for one prediction: the features that pushed it, with their character spans.

A linear model's score is a sum of ``coefficient x feature value``; :func:`explain`
returns the largest terms of that sum for one row, each with the characters of the
row's ``text`` it came from: word n-grams are re-tokenised with the vectorizer's own
token pattern, character n-grams are found in the lower-cased text, window features are
shifted by the window's offset and masked-sentence features mapped around the target.
Numeric features (lexicon scores, target-tone features) have no span of their own,
except the learned word lexicon's columns (``bw_*``), which span the row's lexicon words.

Examples
--------
>>> import pandas as pd
>>> from framelens.measures.supervised.training import fit
>>> X = pd.DataFrame({"text": ["the brutal regime lied", "the council met today"] * 6})
>>> m = fit("babe", X, [1, 0] * 6, groups=list(range(12)), n_inner=3)
>>> top = explain(m, X.iloc[0], k=3)
>>> top[0]["feature"].startswith(("word:", "char:")), top[0]["spans"][0][0] >= 0
(True, True)
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import wordlex
from .recipes import MASK, RECIPES

__all__ = ["explain", "explain_rows", "ngram_spans", "masked_to_text"]


def ngram_spans(text: str, gram: str, *, token_pattern: str, ngram_range=(1, 2)):
    """Character spans of the word n-gram ``gram`` (as a vectorizer spells it) in ``text``.

    Examples
    --------
    >>> ngram_spans("The brutal regime; brutal.", "brutal", token_pattern=r"(?u)\\b\\w\\w+\\b")
    [(4, 10), (19, 25)]
    """
    toks = [(m.group(0).lower(), m.start(), m.end()) for m in re.finditer(token_pattern, text)]
    want = gram.split(" ")
    n = len(want)
    return [
        (toks[i][1], toks[i + n - 1][2])
        for i in range(len(toks) - n + 1)
        if [t[0] for t in toks[i : i + n]] == want
    ]


def masked_to_text(a: int, b: int, start: int, end: int) -> tuple[int, int]:
    """The span ``a:b`` of a target-masked sentence as a span of the sentence itself.

    The mask replaces the target ``start:end``; a span reaching into the mask reaches the
    target (``"said tgtx"`` is "said" up to the target's end).

    Examples
    --------
    >>> t = "They said Russia lied."
    >>> m = t[:10] + MASK + t[16:]          # 'They said  tgtx  lied.'
    >>> a, b = masked_to_text(m.index("said"), m.index("tgtx") + 4, 10, 16)
    >>> t[a:b]
    'said Russia'
    >>> t[slice(*masked_to_text(m.index("lied"), m.index("lied") + 4, 10, 16))]
    'lied'
    """
    stop = start + len(MASK)
    shift = len(MASK) - (end - start)
    a2 = a if a <= start else start if a < stop else a - shift
    b2 = b if b <= start else end if b <= stop else b - shift
    return a2, b2


def _spans(name, tr, col, row, gram):
    if not hasattr(tr, "vocabulary_"):
        return []
    src = str(row[col])
    if tr.analyzer == "word":
        found = ngram_spans(src, gram, token_pattern=tr.token_pattern or r"(?u)\b\w\w+\b")
    else:
        g = gram.strip()
        found = [(m.start(), m.start() + len(g)) for m in re.finditer(re.escape(g), src.lower())]
    if col == "left":
        base = int(row["left_start"])
        lead = len(src) - len(src.lstrip())
        return [(a + base + lead, b + base + lead) for a, b in found]
    if col == "right":
        base = int(row["right_start"])
        return [(a + base, b + base) for a, b in found]
    if col == "masked":
        return [masked_to_text(a, b, int(row["start"]), int(row["end"])) for a, b in found]
    return found


def explain(model, row: pd.Series, *, k: int = 8, label=None) -> list[dict]:
    """The ``k`` largest contributions ``coef x value`` to one row's score.

    Parameters
    ----------
    model : framelens.measures.supervised.training.Model
    row : Series
        One row of the frame the model was trained on (``text`` and, for target tone,
        the window columns of :func:`~framelens.measures.supervised.recipes.target_windows`).
    k : int, keyword-only
    label : optional
        The label (multilabel) or class (multiclass) to explain; default: the most
        probable one. Binary models explain the positive class.

    Returns
    -------
    list of dict
        ``feature`` (block:term), ``contribution``, ``spans`` (character offsets into
        ``row["text"]``), ``label``.
    """
    return explain_rows(model, pd.DataFrame([row]), [(0, label)], k=k)[0]


def explain_rows(model, X: pd.DataFrame, pairs, *, k: int = 8) -> list[list[dict]]:
    """:func:`explain` for many (row, label) pairs of one frame, with one transform.

    The features of every row are computed once (the vectorizers are row-wise), so the
    result is :func:`explain`'s for each pair, row by row, at a fraction of the cost.

    Parameters
    ----------
    model : framelens.measures.supervised.training.Model
    X : DataFrame
        Rows of the frame the model was trained on.
    pairs : iterable of (int, label)
        Row positions in ``X`` and the label to explain (None: the most probable).
    k : int, keyword-only

    Returns
    -------
    list of list of dict
        One :func:`explain` result per pair, in order.

    Examples
    --------
    >>> from framelens.measures.supervised.training import fit
    >>> X = pd.DataFrame({"text": ["the brutal regime lied", "the council met today"] * 6})
    >>> m = fit("babe", X, [1, 0] * 6, groups=list(range(12)), n_inner=3)
    >>> explain_rows(m, X, [(0, None), (1, None)], k=2) == [explain(m, X.iloc[i], k=2)
    ...                                                   for i in (0, 1)]
    True
    """
    from .training import model_inputs

    pairs = list(pairs)
    if not pairs:
        return []
    X = X.reset_index(drop=True)
    pipe = model.pipeline
    ct, clf = pipe.named_steps["features"], pipe.named_steps["clf"]
    X1 = model_inputs(model, X)
    M = ct.transform(X1).tocsr()
    kind = RECIPES[model.task].kind
    P = None
    if kind != "binary" and any(lab is None for _, lab in pairs):
        P = pipe.predict_proba(X1)
    blocks = []
    for name, tr, col in ct.transformers_:
        if name == "remainder" or tr == "drop":
            continue
        names = tr.get_feature_names_out() if hasattr(tr, "get_feature_names_out") else col
        blocks += [(name, tr, col, str(f)) for f in names]
    classes = list(getattr(clf, "classes_", []))
    rows: dict[int, pd.Series] = {}
    out = []
    for i, label in pairs:
        if kind == "multilabel":
            j = model.labels.index(label) if label is not None else int(np.argmax(P[i]))
            coef, lab = clf.estimators_[j].coef_[0], model.labels[j]
        elif kind == "binary":
            coef, lab = clf.coef_[0], 1
        else:
            j = classes.index(label) if label is not None else int(np.argmax(P[i]))
            coef, lab = clf.coef_[j], classes[j]
        lo, hi = M.indptr[i], M.indptr[i + 1]
        idx, data = M.indices[lo:hi], M.data[lo:hi]
        contrib = data * coef[idx]
        order = np.argsort(-np.abs(contrib), kind="stable")[:k]
        if i not in rows:
            rows[i] = X.iloc[i]
        row = rows[i]
        one = []
        for o in order:
            name, tr, col, gram = blocks[idx[o]]
            spans = _spans(name, tr, col, row, gram) if isinstance(col, str) else []
            if gram in wordlex.COLUMNS and getattr(model, "lexicon", None):
                spans = wordlex.spans(str(row["text"]), model.lexicon)  # the lexicon's words
            one.append({"feature": f"{name}:{gram}", "contribution": round(float(contrib[o]), 6),
                        "spans": [tuple(map(int, s)) for s in spans], "label": lab})  # fmt: skip
        out.append(one)
    return out
