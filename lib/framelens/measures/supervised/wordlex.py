"""A word lexicon learned from coders' marked words, cross-fitted on training rows only.

BABE's coders mark the words that make a sentence biased (``biased_words``). A recipe
with ``learned="biased_words"`` turns the marks of its **training rows** into a lexicon:
for every word, ``weight = b / (n + 1)`` where ``b`` is the number of training sentences
in which coders marked it and ``n`` the number of training sentences containing it. Three
numeric columns per sentence (:data:`COLUMNS`) summarise the lexicon's hits: the largest
weight, log(1 + the sum of weights) and log(1 + the number of words marked at least twice).

Inside training the columns of the training rows are **cross-fitted**
(:func:`cross_fit`): each row's values come from a lexicon built on the other folds
(grouped by article or outlet), so a row's own marks never explain its own label; the
lexicon kept with the model (for new text) is built on all training rows. Marks are
never read at prediction time.

Examples
--------
>>> lex = fit_lexicon(["A radical plan.", "A plan.", "Radical ideas."], ["radical", "", "radical"],
...                   [1, 0, 1])
>>> lex["radical"]
0.666667
>>> columns(["The radical mayor"], lex).round(3).iloc[0].tolist()
[0.667, 0.511, 0.693]
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "fit_lexicon", "columns", "cross_fit", "spans", "parse_marks"]

COLUMNS = ("bw_max", "bw_sum", "bw_hits")
_TOK = re.compile(r"\w+(?:['\u2019\-]\w+)*")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).lower(), m.start(), m.end()) for m in _TOK.finditer(str(text))]


def parse_marks(value) -> set[str]:
    """The marked words of one cell: a list, or a string joined by ``|``."""
    items = value if isinstance(value, (list, tuple, set)) else str(value or "").split("|")
    return {t for item in items for t, _, _ in _tokens(item)}


def fit_lexicon(texts, marks, y) -> dict[str, float]:
    """``{word: weight}`` from training sentences, their marked words and labels (only
    positive rows' marks count)."""
    b, n = Counter(), Counter()
    for text, mark, lab in zip(texts, marks, y):
        n.update({t for t, _, _ in _tokens(text)})
        if int(lab) == 1:
            b.update(parse_marks(mark))
    return {w: round(c / (n[w] + 1), 6) for w, c in sorted(b.items())}


def columns(texts, lexicon: dict[str, float]) -> pd.DataFrame:
    """The :data:`COLUMNS` of each text under ``lexicon`` (see the module docstring)."""
    rows = []
    for text in texts:
        w = [lexicon.get(t, 0.0) for t, _, _ in _tokens(text)]
        hits = sum(1 for v in w if v > 0)
        rows.append((max(w, default=0.0), np.log1p(sum(w)), np.log1p(hits)))
    return pd.DataFrame(np.array(rows, float).reshape(len(rows), 3), columns=list(COLUMNS))


def cross_fit(texts, marks, y, groups, *, n_splits: int = 5, seed: int = 0) -> pd.DataFrame:
    """:func:`columns` of every training row from a lexicon fitted on the other folds
    (``n_splits`` folds grouped by ``groups``)."""
    from sklearn.model_selection import GroupKFold

    texts, marks, y = list(texts), list(marks), np.asarray(y)
    out = np.zeros((len(texts), len(COLUMNS)))
    k = min(n_splits, len(set(groups)))
    if k < 2:
        return pd.DataFrame(out, columns=list(COLUMNS))
    for tr, te in GroupKFold(k, shuffle=True, random_state=seed).split(texts, groups=groups):
        lex = fit_lexicon([texts[i] for i in tr], [marks[i] for i in tr], y[tr])
        out[te] = columns([texts[i] for i in te], lex).to_numpy()
    return pd.DataFrame(out, columns=list(COLUMNS))


def spans(text: str, lexicon: dict[str, float]) -> list[tuple[int, int]]:
    """Character spans of ``text``'s words that are in ``lexicon``."""
    return [(a, b) for t, a, b in _tokens(text) if lexicon.get(t, 0.0) > 0]
