"""The one definition of a word, and the one length unit: words.

A **word** is a number (``1,500.5``) or a run of word characters with internal
apostrophes or hyphens (``Serbia's``, ``isn't``, ``Russia-Ukraine``); punctuation is not a
word. Every length, rate and share in framelens is counted in these words (rates are per
1,000 words), so two reports that show the same quantity show the same number.

Examples
--------
>>> count_words(["Serbia's 1,500 troops - isn't it?", ""]).tolist()
[5, 0]
>>> [m.group() for m in WORD_RE.finditer("pro-EU, 2.5%")]
['pro-EU', '2.5']
>>> word_spans("He said: no.")
[(0, 2), (3, 7), (9, 11)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

__all__ = ["WORD_PATTERN", "WORD_RE", "RATE_PER", "count_words", "word_spans"]

#: A word: a number with optional thousands/decimal separators, or word characters with
#: internal apostrophes (straight or curly) or hyphens.
WORD_PATTERN = r"\d+(?:[.,]\d+)*(?!\w)|\w+(?:['\u2019\u2010-]\w+)*"
WORD_RE = re.compile(WORD_PATTERN)
#: Rates are per this many words.
RATE_PER = 1000


def count_words(texts: Iterable[str]) -> np.ndarray:
    """Words in each text (int64 array, one compiled regex).

    Parameters
    ----------
    texts : iterable of str
        Texts; ``None`` counts as empty.

    Returns
    -------
    numpy.ndarray
        Word counts, one per text.
    """
    findall = WORD_RE.findall
    return np.fromiter((len(findall(t)) if t else 0 for t in texts), dtype=np.int64)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the words of ``text``."""
    return [m.span() for m in WORD_RE.finditer(text)]
