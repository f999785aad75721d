"""Offset-preserving text normalisation.

Matching in framelens runs on a *folded* copy of each document: lower-cased, with
diacritics removed and typographic variants unified (curly quotes and apostrophes,
dashes, non-breaking spaces). Every character maps to exactly one character, so an
offset in the folded text is the same offset in the original text and spans found
in the folded copy can be shown, highlighted, in the source.

Examples
--------
>>> from framelens.core.normalize import fold
>>> fold("Vučić’s “Belgrade”")
'vucic\\'s "belgrade"'
>>> len(fold("Ærø İstanbul")) == len("Ærø İstanbul")
True
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable

import numpy as np

from framelens.errors import ConfigError

__all__ = [
    "fold",
    "fold_table",
    "translate",
    "translate_codes",
    "lookup_table",
    "register_table",
    "QUOTE_CHARS",
    "APOSTROPHES",
    "DASHES",
]

#: Characters treated as double quotation marks (opening or closing).
QUOTE_CHARS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033'
#: Characters treated as apostrophes / single quotes.
APOSTROPHES = "'\u2018\u2019\u201a\u201b\u2032`\u00b4"
#: Characters treated as dashes.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

# Letters that Unicode does not decompose but that readers treat as base letters.
_EXTRA = {
    "đ": "d",
    "Đ": "d",
    "ø": "o",
    "Ø": "o",
    "ł": "l",
    "Ł": "l",
    "ħ": "h",
    "Ħ": "h",
    "ı": "i",
    "ß": "s",
    "æ": "a",
    "Æ": "a",
    "œ": "o",
    "Œ": "o",
    "þ": "t",
    "Þ": "t",
    "ð": "d",
    "Ð": "d",
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


#: Named length-preserving translation tables: name -> builder of a code-point lookup
#: table (uint32, one entry for every code point). A registry, so that other rooms (the
#: lexicon engine's word-boundary table) add tables without a second implementation.
_TABLES: dict[str, Callable[[], np.ndarray]] = {}


def register_table(name: str, builder: Callable[[], np.ndarray]) -> None:
    """Register a translation table for :func:`translate` under ``name``.

    ``builder()`` returns a ``uint32`` array of length 0x110000 mapping every code point
    to one code point (so translation keeps the length of the text).
    """
    if name in _TABLES and _TABLES[name] is not builder:
        raise ConfigError(
            f"translation table {name!r} is already registered; register yours under another name"
        )
    _TABLES[name] = builder


def _identity() -> np.ndarray:
    return np.arange(0x110000, dtype=np.uint32)


def _fold_lut() -> np.ndarray:
    lut = _identity()
    table = fold_table()
    lut[np.fromiter(table.keys(), dtype=np.int64)] = np.fromiter(table.values(), dtype=np.uint32)
    return lut


def _foldws_lut() -> np.ndarray:
    lut = _fold_lut()
    ws = np.fromiter((cp for cp in range(0x10000) if chr(cp).isspace()), dtype=np.int64)
    lut[np.isin(lut, ws)] = 0x20
    return lut


register_table("fold", _fold_lut)
register_table("foldws", _foldws_lut)  # fold, then every whitespace character -> " "


@functools.cache
def lookup_table(name: str) -> tuple[np.ndarray, bytes]:
    """The code-point lookup table ``name`` and a 256-byte table for ASCII input."""
    try:
        lut = _TABLES[name]()
    except KeyError:
        raise ConfigError(
            f"unknown translation table {name!r}; use one of {sorted(_TABLES)} or register "
            "it first with register_table()"
        ) from None
    return lut, bytes(lut[:128].astype(np.uint8).tolist()) + bytes(range(128, 256))


@functools.cache
def _lut16(name: str) -> np.ndarray:
    """The BMP part of :func:`lookup_table` as uint16; characters that map outside the
    BMP map to 0xFFFF, which sends a text to the 32-bit path."""
    lut = lookup_table(name)[0][:0x10000].copy()
    lut[lut >= 0xFFFF] = 0xFFFF
    return lut.astype(np.uint16)


def translate_codes(text: str, name: str = "fold") -> tuple[str, np.ndarray, np.ndarray]:
    """:func:`translate` plus the code points of the result and of ``text`` as arrays.

    Works on the bytes of the text with numpy (``bytes.translate`` for ASCII, a uint16
    lookup for the Basic Multilingual Plane, uint32 otherwise): several times faster than
    ``str.translate`` with a dict on non-ASCII text, with the same result (a test
    compares the two).
    """
    lut, small = lookup_table(name)
    if text.isascii():
        raw = text.encode("ascii")
        b = raw.translate(small)
        return (
            b.decode("ascii"),
            np.frombuffer(b, dtype=np.uint8),
            np.frombuffer(raw, dtype=np.uint8),
        )
    b16 = text.encode("utf-16-le", "surrogatepass")
    if len(b16) == 2 * len(text):  # no character outside the BMP: 2 bytes each
        raw = np.frombuffer(b16, dtype=np.uint16)
        codes = _lut16(name).take(raw)
        top = int(codes.max()) if codes.size else 0
        if top < 0x80:  # ASCII after translation (most English text): one byte per char
            return codes.astype(np.uint8).tobytes().decode("ascii"), codes, raw
        if top != 0xFFFF:  # 0xFFFF: maps outside the BMP (or is U+FFFF)
            return codes.tobytes().decode("utf-16-le", "surrogatepass"), codes, raw
    raw = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = lut[raw]
    return codes.tobytes().decode("utf-32-le", "surrogatepass"), codes, raw


def translate(text: str, name: str = "fold") -> str:
    """Length-preserving translation of ``text`` with the registered table ``name``.

    Examples
    --------
    >>> translate("Vučić\u2009said", "foldws")  # a thin space
    'vucic said'
    """
    lut, small = lookup_table(name)
    if text.isascii():
        return text.encode("ascii").translate(small).decode("ascii")
    return translate_codes(text, name)[0]


def fold(text: str) -> str:
    """Fold ``text`` for matching: lower case, no diacritics, unified punctuation.

    The result has exactly the same length as ``text`` (the mapping is
    :func:`fold_table`, applied with :func:`translate`).

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
    return translate(text, "fold")
