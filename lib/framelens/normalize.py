"""Offset-preserving text normalisation.

Matching in framelens runs on a *folded* copy of each document: lower-cased, with
diacritics removed and typographic variants unified (curly quotes and apostrophes,
dashes, non-breaking spaces). Every character maps to exactly one character, so an
offset in the folded text is the same offset in the original text and spans found
in the folded copy can be shown, highlighted, in the source.

Examples
--------
>>> from framelens.normalize import fold
>>> fold("Vučić’s “Belgrade”")
'vucic\\'s "belgrade"'
>>> len(fold("Ærø İstanbul")) == len("Ærø İstanbul")
True
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["fold", "fold_table", "QUOTE_CHARS", "APOSTROPHES", "DASHES"]

#: Characters treated as double quotation marks (opening or closing).
QUOTE_CHARS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033'
#: Characters treated as apostrophes / single quotes.
APOSTROPHES = "'\u2018\u2019\u201a\u201b\u2032`\u00b4"
#: Characters treated as dashes.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

# Letters that Unicode does not decompose but that readers treat as base letters.
_EXTRA = {
    "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ħ": "h", "Ħ": "h",
    "ı": "i", "ß": "s", "æ": "a", "Æ": "a", "œ": "o", "Œ": "o", "þ": "t", "Þ": "t",
    "ð": "d", "Ð": "d",
}


@functools.lru_cache(maxsize=1)
def fold_table() -> dict[int, int]:
    """Return the one-to-one translation table used by :func:`fold`.

    Built once per process for the Basic Multilingual Plane; characters whose
    lower-cased, accent-stripped form is not a single character are left as they are
    (lower-cased when that keeps the length).

    Returns
    -------
    dict
        Mapping of code point to code point, suitable for :meth:`str.translate`.
    """
    table: dict[int, int] = {}
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        out = _EXTRA.get(ch)
        if out is None:
            low = ch.lower()
            if len(low) != 1:
                low = ch
            base = "".join(
                c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c)
            )
            out = base.lower() if len(base) == 1 else low
        if out != ch:
            table[cp] = ord(out)
    for q in QUOTE_CHARS:
        table[ord(q)] = ord('"')
    for a in APOSTROPHES:
        table[ord(a)] = ord("'")
    for d in DASHES:
        table[ord(d)] = ord("-")
    for sp in "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003":
        table[ord(sp)] = ord(" ")
    # keep characters whose NFKD form happens to be a single ASCII letter but which
    # carry other meaning (none known today); the table must stay length-preserving.
    return table


def fold(text: str) -> str:
    """Fold ``text`` for matching: lower case, no diacritics, unified punctuation.

    The result has exactly the same length as ``text``.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The folded text, character-for-character aligned with ``text``.

    Examples
    --------
    >>> fold("Aleksandar VUČIĆ – “neutral”")
    'aleksandar vucic - "neutral"'
    """
    out = text.translate(fold_table())
    if len(out) != len(text):  # pragma: no cover - guarded by construction
        raise AssertionError("fold() changed the length of a text")
    return out
