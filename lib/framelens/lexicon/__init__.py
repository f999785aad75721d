"""Lexicons: the file formats, loading, hashing, one compiled matcher, matches and counts.

A :class:`Lexicon` is data: a name, version, description, citations and licence, and
named :class:`Category` objects holding :class:`Pattern` objects. Pattern kinds are
explicit (as quanteda's ``valuetype``):

``word``
    one word, matched on word boundaries (``war`` matches "war", "War's", not "award");
``glob``
    a prefix: ``sanction*`` matches "sanction", "Sanctions", "sanctioned", not
    "unsanctioned"; the match extends to the end of the word;
``phrase``
    several words separated by single whitespace characters in the text (a space, a
    newline, a tab or a non-breaking space); the last word may be a glob
    (``trade sanction*``);
``regex``
    a Python regular expression run on the *folded* text (lower case, no diacritics,
    straight quotes, see :func:`framelens.core.normalize.fold`), case-insensitively; the
    regex author places the ``\\b`` boundaries.

Matching is case- and diacritics-insensitive (``Vučić`` = ``Vucic``) because both the
patterns and the text are folded with the length-preserving
:func:`framelens.core.normalize.fold`, so match offsets are offsets into the original text.
A *word character* is a letter, a digit or a combining mark; everything else
(whitespace, punctuation, the apostrophe, hyphens) is a boundary, so ``Serbia's``
matches ``serbia`` and ``pro-Russian`` matches ``russian``.

All word, glob and phrase patterns of all lexicons of a :class:`Matcher` are compiled
into ONE Aho-Corasick automaton (pyahocorasick) whose keys carry the boundary
characters, so the automaton only reports hits that start and end on word boundaries.
Within one lexicon the selection is leftmost-longest and non-overlapping; a term listed
in several categories yields one match row per category; different lexicons are
independent (the same span may match in two lexicons).

Punctuation inside a pattern must be matched exactly (after folding): ``U.S.`` does not
match "U-S-", ``pro-Russian`` does not match "pro Russian". Patterns of punctuation only
(``$``, ``%``) match anywhere, without word boundaries.

Limits (documented choices): phrases do not match across two or more consecutive
whitespace characters ("trade  deal", "trade\\r\\ndeal"); text in decomposed Unicode
(NFD) should be NFC-normalised first; characters outside the Basic Multilingual Plane
(emoji) are boundaries.

Formats (:func:`load`): the project YAML format (docs/architecture.md; further top-level
keys are kept in :attr:`Lexicon.meta` and hashed), CSV/TSV ``term,category[,weight]``
(header optional), quanteda-style YAML dictionaries (``category: [terms]``, nested keys
joined with ``.``) and LIWC ``.dic`` files (``%`` header of ``number<TAB>category``,
``%``, then ``term<TAB>number...``; conditional LIWC codes are skipped with a warning).
Errors name the file, the line and the fix. :func:`dump` writes the project format.

Examples
--------
>>> from framelens import lexicon
>>> lex = lexicon.Lexicon.from_dict({"name": "demo", "categories": {
...     "Sanctions": ["sanction*", "embargo"], "EU": ["European Union", "Union"]}})
>>> m = lexicon.Matcher([lex])
>>> starts, ends, pids = m.find("Vučić's Union: the European Union sanctioned Serbia.")
>>> [m.patterns.term[i] for i in pids]
['Union', 'European Union', 'sanction*']
>>> starts.tolist(), ends.tolist()
([8, 19, 34], [13, 33, 44])
"""

from __future__ import annotations

from .formats import available, dump, load
from .matcher import Matcher, compiled
from .matching import count, match, to_frame
from .model import FORMATS, KINDS, Category, Lexicon, LexiconError, Pattern, parse_pattern

__all__ = [
    "KINDS",
    "FORMATS",
    "Pattern",
    "Category",
    "Lexicon",
    "LexiconError",
    "Matcher",
    "compiled",
    "load",
    "available",
    "dump",
    "match",
    "count",
    "to_frame",
    "parse_pattern",
]
