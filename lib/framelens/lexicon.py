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
    straight quotes, see :func:`framelens.normalize.fold`), case-insensitively; the
    regex author places the ``\\b`` boundaries.

Matching is case- and diacritics-insensitive (``Vučić`` = ``Vucic``) because both the
patterns and the text are folded with the length-preserving
:func:`framelens.normalize.fold`, so match offsets are offsets into the original text.
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

import csv
import difflib
import functools
import hashlib
import io
import itertools
import json
import logging
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
import pandas as pd
import yaml

from . import schema
from .normalize import fold_table, register_table
from .normalize import lookup_table as _lut
from .normalize import translate as _translate
from .normalize import translate_codes as _translate_codes

__all__ = [
    "KINDS", "FORMATS", "Pattern", "Category", "Lexicon", "LexiconError", "Matcher",
    "load", "available", "dump", "match", "count", "to_frame", "parse_pattern",
]

log = logging.getLogger(__name__)

#: Pattern kinds, as in quanteda's ``valuetype`` plus ``phrase``.
KINDS = ("word", "glob", "phrase", "regex")
#: File formats :func:`load` reads.
FORMATS = ("yaml", "csv", "quanteda", "liwc")

_BUILTIN_DIR = Path(__file__).parent / "lexicons"
_TOP_KEYS = ("name", "version", "description", "citations", "licence", "categories")
_CAT_KEYS = ("description", "patterns")
_SEP = " \x00 "  # between documents in a chunk: a boundary that no key can cross
_CHUNK_CHARS = 2_000_000


class LexiconError(ValueError):
    """A lexicon file or definition that cannot be used; the message names the place
    (file and line where known) and the fix."""


# --------------------------------------------------------------------------- data model
@dataclass(frozen=True)
class Pattern:
    """One pattern of a lexicon category.

    Parameters
    ----------
    term : str
        The pattern as written in the lexicon (``sanction*``, ``trade deal``,
        ``\\b\\d+ billion\\b`` for a regex).
    kind : {"word", "glob", "phrase", "regex"}
        How ``term`` is matched (see the module docstring).
    weight : float, default 1.0
        Weight of a match (used by ``count(..., weighted=True)``).

    Examples
    --------
    >>> Pattern("sanction*", "glob")
    Pattern(term='sanction*', kind='glob', weight=1.0)
    """

    term: str
    kind: str
    weight: float = 1.0

    def __post_init__(self):
        if not isinstance(self.term, str) or not self.term.strip():
            raise LexiconError(f"pattern term must be a non-empty string, got {self.term!r}")
        if self.kind not in KINDS:
            raise LexiconError(
                f"pattern {self.term!r}: unknown kind {self.kind!r}; use one of {', '.join(KINDS)}"
            )
        try:
            w = float(self.weight)
        except (TypeError, ValueError):
            raise LexiconError(
                f"pattern {self.term!r}: weight {self.weight!r} is not a number; "
                "write e.g. {term: x, weight: 2.0}"
            ) from None
        if not math.isfinite(w):
            raise LexiconError(f"pattern {self.term!r}: weight must be finite, got {w}")
        object.__setattr__(self, "weight", w)
        if self.kind == "regex":
            try:
                re.compile(self.term)
            except re.error as exc:
                raise LexiconError(
                    f"pattern {self.term!r}: invalid regular expression ({exc})"
                ) from None
            return
        inferred = _infer_kind(self.term)  # validates '*' placement
        if inferred != self.kind:
            raise LexiconError(
                f"pattern {self.term!r} is a {inferred}, not a {self.kind}: a trailing * makes "
                "a glob, several words a phrase; leave 'kind' out or use {regex: ...}"
            )
        if self.term.strip() == "*":
            raise LexiconError(f"pattern {self.term!r}: a lone * matches everything")


@dataclass(frozen=True)
class Category:
    """A named category of patterns.

    Examples
    --------
    >>> Category("Economic", "costs", (Pattern("cost*", "glob"),)).terms()
    ['cost*']
    """

    name: str
    description: str = ""
    patterns: tuple[Pattern, ...] = ()

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise LexiconError(f"category name must be a non-empty string, got {self.name!r}")
        object.__setattr__(self, "patterns", tuple(self.patterns))
        object.__setattr__(self, "description", "" if self.description is None
                           else str(self.description))

    def terms(self) -> list[str]:
        """The pattern terms as written, in order."""
        return [p.term for p in self.patterns]


@dataclass(frozen=True)
class Lexicon:
    """A lexicon: metadata plus categories of patterns.

    Parameters
    ----------
    name : str
        Unique name; the value of the ``lexicon`` column in matches.
    version, description, licence : str
    citations : tuple of str
    categories : dict of str to Category
        In display order.
    source : str
        Where it was loaded from (not part of :attr:`hash`).
    meta : dict
        Further top-level keys of a project YAML file (e.g. thresholds a measure reads);
        part of :attr:`hash`.

    Examples
    --------
    >>> lex = Lexicon.from_dict({"name": "t", "categories": {"A": ["war"]}})
    >>> lex.terms(), len(lex.hash)
    (['war'], 64)
    """

    name: str
    version: str = ""
    description: str = ""
    citations: tuple[str, ...] = ()
    licence: str = ""
    categories: dict[str, Category] = field(default_factory=dict)
    source: str = field(default="", compare=False)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise LexiconError(f"lexicon name must be a non-empty string, got {self.name!r}")
        object.__setattr__(self, "citations", tuple(str(c) for c in self.citations))
        for attr in ("version", "description", "licence"):
            v = getattr(self, attr)
            object.__setattr__(self, attr, "" if v is None else str(v))
        cats = dict(self.categories)
        for key, cat in cats.items():
            if not isinstance(cat, Category) or cat.name != key:
                raise LexiconError(
                    f"lexicon {self.name!r}: categories must map each name to a Category of "
                    f"that name (key {key!r})"
                )
        object.__setattr__(self, "categories", cats)

    def __hash__(self) -> int:  # equal lexicons have equal content hashes
        return hash(self.hash)

    @functools.cached_property
    def hash(self) -> str:
        """sha256 of a canonical JSON of the content (independent of key order, file
        formatting and :attr:`source`)."""
        return hashlib.sha256(_canonical_json(self._content()).encode("utf-8")).hexdigest()

    def _content(self) -> dict:
        return {
            "name": self.name, "version": self.version, "description": self.description,
            "citations": list(self.citations), "licence": self.licence,
            "categories": {
                c.name: {"description": c.description,
                         "patterns": [[p.term, p.kind, p.weight] for p in c.patterns]}
                for c in self.categories.values()
            },
            "meta": self.meta,
        }

    def terms(self, category: str | None = None) -> list[str]:
        """All pattern terms (of one ``category`` when given), in lexicon order.

        A term listed in two categories appears twice.
        """
        if category is not None:
            if category not in self.categories:
                raise KeyError(
                    f"lexicon {self.name!r} has no category {category!r}; "
                    f"categories: {', '.join(self.categories)}"
                )
            return self.categories[category].terms()
        return [p.term for c in self.categories.values() for p in c.patterns]

    @classmethod
    def from_dict(cls, data: Mapping, *, source: str = "") -> Lexicon:
        """Build a lexicon from the project format as a Python mapping.

        ``categories`` maps a name to ``{description, patterns}`` or directly to a list
        of patterns; a pattern is a string or ``{term|regex: ..., weight: ...}``.
        """
        return _from_project_data(data, source=source or "<dict>", node=None)

    def __repr__(self) -> str:
        n = sum(len(c.patterns) for c in self.categories.values())
        return (f"Lexicon(name={self.name!r}, version={self.version!r}, "
                f"categories={len(self.categories)}, patterns={n}, hash={self.hash[:12]})")


def _canonical_json(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def _infer_kind(term: str) -> str:
    words = term.split()
    for i, w in enumerate(words):
        star = w.find("*")
        if star == -1:
            continue
        if star != len(w) - 1 or i != len(words) - 1 or "?" in w:
            raise LexiconError(
                f"pattern {term!r}: only a trailing * on the last word is supported "
                "(prefix glob); use {regex: ...} for other wildcards"
            )
        if len(w) == 1:
            raise LexiconError(f"pattern {term!r}: a lone * matches everything; write a prefix")
    if len(words) > 1:
        return "phrase"
    return "glob" if term.strip().endswith("*") else "word"


def parse_pattern(spec: Any, *, where: str = "") -> Pattern:
    """Parse a pattern as written in a lexicon file.

    Parameters
    ----------
    spec : str or dict
        ``"sanction*"`` (glob), ``"trade deal"`` (phrase), ``"war"`` (word), or a dict
        ``{term: ..., weight: ...}`` / ``{regex: ..., weight: ...}`` (optional ``kind``).
    where : str
        Location for error messages (``file:line``).

    Examples
    --------
    >>> parse_pattern("trade  sanction*")
    Pattern(term='trade sanction*', kind='phrase', weight=1.0)
    >>> parse_pattern({"regex": r"\\d+ billion", "weight": 2})
    Pattern(term='\\\\d+ billion', kind='regex', weight=2.0)
    """
    pre = f"{where}: " if where else ""
    try:
        if isinstance(spec, str):
            term = " ".join(spec.split())
            return Pattern(term, _infer_kind(term))
        if isinstance(spec, Mapping):
            unknown = set(spec) - {"term", "regex", "weight", "kind"}
            if unknown:
                raise LexiconError(
                    f"unknown key(s) {sorted(map(str, unknown))} in pattern {dict(spec)!r}; "
                    "a pattern dict has term or regex, and optionally weight and kind"
                )
            if ("term" in spec) == ("regex" in spec):
                raise LexiconError(
                    f"pattern {dict(spec)!r} needs exactly one of 'term' or 'regex'"
                )
            weight = spec.get("weight", 1.0)
            if "regex" in spec:
                if spec.get("kind", "regex") != "regex":
                    raise LexiconError(f"pattern {dict(spec)!r}: a regex has kind regex")
                if not isinstance(spec["regex"], str):
                    raise LexiconError(f"regex must be a string, got {spec['regex']!r}")
                return Pattern(spec["regex"], "regex", weight)
            if not isinstance(spec["term"], str):
                raise LexiconError(
                    f"term must be a string, got {spec['term']!r} (quote numbers: \"1944\")"
                )
            term = " ".join(spec["term"].split())
            kind = spec.get("kind") or _infer_kind(term)
            if kind == "regex":
                return Pattern(spec["term"], "regex", weight)
            return Pattern(term, kind, weight)
        if isinstance(spec, (int, float)) and not isinstance(spec, bool):
            return parse_pattern(str(spec), where=where)
        raise LexiconError(
            f"a pattern must be a string or a mapping like {{term: x, weight: 2}}, got {spec!r}"
        )
    except LexiconError as exc:
        if pre and not str(exc).startswith(pre):
            raise LexiconError(pre + str(exc)) from None
        raise


# --------------------------------------------------------------------------- loaders
def available() -> list[str]:
    """Names of the built-in lexicons (``lib/framelens/lexicons/<name>.yaml``).

    Examples
    --------
    >>> isinstance(available(), list)
    True
    """
    if not _BUILTIN_DIR.is_dir():
        return []
    names = set()
    for p in _BUILTIN_DIR.iterdir():
        if p.suffix in (".yaml", ".yml") and p.stem != "actors":
            names.add(p.stem)
    return sorted(names)


def load(name_or_path: str | Path | Lexicon, *, format: str | None = None) -> Lexicon:
    """Load a lexicon by built-in name or from a file.

    Parameters
    ----------
    name_or_path : str, Path or Lexicon
        A built-in name (see :func:`available`), or a path to a project YAML lexicon,
        a CSV/TSV file (``term,category[,weight]``), a quanteda-style YAML dictionary
        (``category: [terms]``, nested keys joined with ``.``) or a LIWC ``.dic`` file.
        A Lexicon is returned unchanged.
    format : {"yaml", "csv", "quanteda", "liwc"}, optional
        Overrides the guess from the extension (``.yaml``/``.yml`` with a top-level
        ``categories`` key is the project format, otherwise quanteda; ``.csv``/``.tsv``;
        ``.dic``).

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        With the file, line and the fix.

    Examples
    --------
    >>> lex = load("policy")                          # doctest: +SKIP
    >>> lex = load("my_dictionary.dic")               # doctest: +SKIP
    """
    if isinstance(name_or_path, Lexicon):
        return name_or_path
    if format is not None and format not in FORMATS:
        raise LexiconError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if not isinstance(name_or_path, (str, Path)):
        raise TypeError(f"load() takes a name, a path or a Lexicon, got {type(name_or_path)}")
    path = Path(name_or_path)
    if isinstance(name_or_path, str) and not path.suffix and "/" not in name_or_path \
            and "\\" not in name_or_path:
        for ext in (".yaml", ".yml"):
            cand = _BUILTIN_DIR / f"{name_or_path}{ext}"
            if cand.is_file():
                return _load_file(cand, format or "yaml")
        if not path.exists():
            close = difflib.get_close_matches(name_or_path, available(), n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise LexiconError(
                f"no built-in lexicon {name_or_path!r} and no such file.{hint} "
                f"Built-in lexicons: {', '.join(available()) or '(none)'}; or pass a path "
                "to a .yaml, .csv, .tsv or .dic file"
            )
    if not path.exists():
        raise LexiconError(f"{path}: no such lexicon file; check the path")
    if path.is_dir():
        raise LexiconError(f"{path}: is a folder; pass one lexicon file")
    if format is None:
        ext = path.suffix.lower()
        if ext in (".yaml", ".yml"):
            format = "yaml"  # the project format or quanteda, decided on the content
        elif ext in (".csv", ".tsv", ".txt"):
            format = "csv"
        elif ext == ".dic":
            format = "liwc"
        else:
            raise LexiconError(
                f"{path}: cannot tell the lexicon format from the extension {ext!r}; "
                f"name it .yaml, .csv, .tsv or .dic or pass format= one of {', '.join(FORMATS)}"
            )
    return _load_file(path, format)


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        warnings.warn(
            f"{path}:{line}: not valid UTF-8; read as Windows-1252. Save the file as UTF-8 "
            "to silence this warning", stacklevel=4,
        )
        return raw.decode("cp1252", errors="replace")


#: Parsed lexicons by (resolved path, format, sha256 of the bytes): a file is parsed
#: once per process however often a configuration names it (Lexicon is immutable).
_CACHE: dict[tuple[str, str, str], Lexicon] = {}
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


def _load_file(path: Path, format: str) -> Lexicon:
    raw = path.read_bytes()
    key = (str(path.resolve()), format, hashlib.sha256(raw).hexdigest())
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    lex = _parse_file(path, format)
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[key] = lex
    return lex


def _parse_file(path: Path, format: str) -> Lexicon:
    text = _read_text(path)
    if format == "csv":
        return _load_csv(text, path)
    if format == "liwc":
        return _load_liwc(text, path)
    loader = _YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise LexiconError(
            f"{where}: YAML syntax error ({problem}); check indentation, and quote terms "
            "that start with * or contain ': '"
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, Mapping):
        raise LexiconError(
            f"{path}:1: a lexicon YAML file must be a mapping (name:, categories: ... or "
            f"category: [terms]), got {type(data).__name__}"
        )
    if format == "yaml" and "categories" in data:
        return _from_project_data(data, source=str(path), node=node)
    if format == "yaml" and "name" in data and "version" in data:
        raise LexiconError(
            f"{path}:1: a project lexicon needs a 'categories:' mapping of category names "
            "to patterns"
        )
    return _from_quanteda_data(data, path=path, node=node)


def _node_line(node, path: Sequence) -> int | None:
    """1-based line of the YAML node at ``path`` (keys / indices), best effort."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(key):
                    line = k.start_mark.line + 1
                    node = v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) \
                and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _where(source: str, node, path: Sequence) -> str:
    line = _node_line(node, path)
    return f"{source}:{line}" if line else source


def _from_project_data(data: Mapping, *, source: str, node) -> Lexicon:
    stem = Path(source).stem if source and not source.startswith("<") else ""
    for key in data:
        if key not in _TOP_KEYS and key != "license":
            close = difflib.get_close_matches(str(key), _TOP_KEYS, n=1, cutoff=0.8)
            if close:
                warnings.warn(
                    f"{_where(source, node, [key])}: unknown key {key!r}; did you mean "
                    f"{close[0]!r}? (kept as metadata)", stacklevel=4,
                )
    name = data.get("name") or stem
    if not name:
        raise LexiconError(f"{source}: a lexicon needs a 'name:'")
    cats_data = data.get("categories")
    if not isinstance(cats_data, Mapping) or not cats_data:
        raise LexiconError(
            f"{_where(source, node, ['categories'])}: 'categories' must be a non-empty mapping "
            "of category name to {description:, patterns: [...]} (or to a list of patterns)"
        )
    citations = data.get("citations") or ()
    if isinstance(citations, str):
        citations = (citations,)
    if not isinstance(citations, (list, tuple)):
        raise LexiconError(
            f"{_where(source, node, ['citations'])}: 'citations' must be a list of strings"
        )
    cats: dict[str, Category] = {}
    for cname, cdata in cats_data.items():
        cpath = ["categories", cname]
        if isinstance(cdata, Mapping):
            for key in cdata:
                if key not in _CAT_KEYS:
                    raise LexiconError(
                        f"{_where(source, node, cpath + [key])}: unknown key {key!r} in "
                        f"category {cname!r}; a category has 'description' and 'patterns'"
                    )
            pats = cdata.get("patterns")
            desc = cdata.get("description", "")
            ppath = cpath + ["patterns"]
        elif isinstance(cdata, list):
            pats, desc, ppath = cdata, "", cpath
        else:
            raise LexiconError(
                f"{_where(source, node, cpath)}: category {cname!r} must be a mapping with "
                "'patterns:' (a list) or a list of patterns"
            )
        if not isinstance(pats, list) or not pats:
            raise LexiconError(
                f"{_where(source, node, ppath)}: category {cname!r} needs a non-empty list "
                "of patterns ('- word', '- prefix*', '- two words', '- {term: x, weight: 2}')"
            )
        patterns = tuple(
            parse_pattern(p, where=_where(source, node, ppath + [i])) for i, p in enumerate(pats)
        )
        cats[str(cname)] = Category(str(cname), desc, patterns)
    meta = {str(k): v for k, v in data.items() if k not in _TOP_KEYS}
    return Lexicon(
        name=str(name), version=data.get("version", ""),
        description=data.get("description", ""), citations=tuple(citations),
        licence=data.get("licence", data.get("license", "")) or "", categories=cats,
        source=source, meta={k: v for k, v in meta.items() if k != "license"},
    )


def _from_quanteda_data(data: Mapping, *, path: Path, node) -> Lexicon:
    cats: dict[str, list[Pattern]] = {}

    def walk(obj, prefix: list):
        for key, val in obj.items():
            keypath = prefix + [key]
            cname = ".".join(str(k) for k in keypath)
            if isinstance(val, Mapping):
                walk(val, keypath)
            elif isinstance(val, (list, str)):
                terms = [val] if isinstance(val, str) else val
                if not terms:
                    raise LexiconError(
                        f"{_where(str(path), node, keypath)}: dictionary key {cname!r} has no "
                        "terms; give it a list of terms or remove it"
                    )
                pats = cats.setdefault(cname, [])
                for i, t in enumerate(terms):
                    if not isinstance(t, (str, int, float)) or isinstance(t, bool):
                        raise LexiconError(
                            f"{_where(str(path), node, keypath + [i])}: term {t!r} of "
                            f"{cname!r} must be a string"
                        )
                    pats.append(parse_pattern(str(t), where=_where(str(path), node,
                                                                    keypath + [i])))
            else:
                raise LexiconError(
                    f"{_where(str(path), node, keypath)}: dictionary key {cname!r} must hold a "
                    f"list of terms or nested keys, got {val!r}"
                )

    walk(data, [])
    return Lexicon(
        name=path.stem, description=f"quanteda-style dictionary {path.name}",
        categories={k: Category(k, "", tuple(v)) for k, v in cats.items()}, source=str(path),
    )


def _load_csv(text: str, path: Path) -> Lexicon:
    delim = "\t" if path.suffix.lower() == ".tsv" or ("\t" in text.split("\n", 1)[0]
                                                     and "," not in text.split("\n", 1)[0]) \
        else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    cols = {"term": 0, "category": 1, "weight": 2}
    first = 0
    while first < len(rows) and not any(c.strip() for c in rows[first]):
        first += 1
    if first < len(rows):
        head = [c.strip().lower() for c in rows[first]]
        if "term" in head or "category" in head:
            if "term" not in head or "category" not in head:
                raise LexiconError(
                    f"{path}:{first + 1}: the header must name the columns 'term' and "
                    f"'category' (optional 'weight'), found {rows[first]}"
                )
            cols = {c: head.index(c) for c in ("term", "category", "weight") if c in head}
            first += 1
    cats: dict[str, list[Pattern]] = {}
    for i in range(first, len(rows)):
        row = rows[i]
        if not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        line = i + 1
        need = max(cols["term"], cols["category"]) + 1
        if len(row) < need or not row[cols["term"]].strip() or not row[cols["category"]].strip():
            raise LexiconError(
                f"{path}:{line}: expected 'term{delim}category[{delim}weight]', got "
                f"{delim.join(row)!r}; give every row a term and a category"
            )
        spec: Any = row[cols["term"]]
        if "weight" in cols and len(row) > cols["weight"] and row[cols["weight"]].strip():
            w = row[cols["weight"]].strip()
            try:
                wf = float(w)
            except ValueError:
                raise LexiconError(
                    f"{path}:{line}: weight {w!r} is not a number; write e.g. 0.5"
                ) from None
            spec = {"term": spec, "weight": wf}
        cats.setdefault(row[cols["category"]].strip(), []).append(
            parse_pattern(spec, where=f"{path}:{line}"))
    if not cats:
        raise LexiconError(f"{path}: no 'term,category' rows found")
    return Lexicon(
        name=path.stem, description=f"CSV lexicon {path.name}",
        categories={k: Category(k, "", tuple(v)) for k, v in cats.items()}, source=str(path),
    )


def _load_liwc(text: str, path: Path) -> Lexicon:
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or lines[i].strip() != "%":
        raise LexiconError(
            f"{path}:{i + 1}: a LIWC .dic file starts with a line '%', then 'number<TAB>"
            "category' lines, another '%', then 'term<TAB>numbers' lines"
        )
    i += 1
    numbers: dict[str, str] = {}
    while i < len(lines) and lines[i].strip() != "%":
        line = lines[i].strip()
        if line:
            parts = line.split(None, 1)
            if len(parts) != 2 or not parts[0].isdigit():
                raise LexiconError(
                    f"{path}:{i + 1}: expected 'number<TAB>category' in the header, got "
                    f"{lines[i]!r}"
                )
            numbers[str(int(parts[0]))] = parts[1].strip()
        i += 1
    if i >= len(lines):
        raise LexiconError(
            f"{path}: the category header is not closed by a second '%' line; add it after "
            "the last 'number<TAB>category' line"
        )
    if not numbers:
        raise LexiconError(f"{path}: the header between the '%' lines lists no categories")
    cats: dict[str, list[Pattern]] = {name: [] for name in numbers.values()}
    for j in range(i + 1, len(lines)):
        raw = lines[j]
        if not raw.strip():
            continue
        if "\t" in raw:
            fields = [f for f in raw.split("\t") if f.strip()]
            term, codes = fields[0].strip(), " ".join(fields[1:]).split()
        else:  # space-separated: the trailing run of numbers are the codes
            toks = raw.split()
            k = len(toks)
            while k > 1 and toks[k - 1].isdigit():
                k -= 1
            term, codes = " ".join(toks[:k]), toks[k:]
        if not codes:
            raise LexiconError(
                f"{path}:{j + 1}: term {term!r} has no category numbers; write "
                "'term<TAB>number [number ...]'"
            )
        pat = parse_pattern(term, where=f"{path}:{j + 1}")
        for code in codes:
            if not code.isdigit():
                warnings.warn(
                    f"{path}:{j + 1}: LIWC conditional or malformed category {code!r} of "
                    f"{term!r} is not supported and was skipped", stacklevel=4,
                )
                continue
            name = numbers.get(str(int(code)))
            if name is None:
                raise LexiconError(
                    f"{path}:{j + 1}: term {term!r} uses category number {code} which the "
                    f"header does not define; header numbers: {', '.join(numbers)}"
                )
            cats[name].append(pat)
    empty = [k for k, v in cats.items() if not v]
    return Lexicon(
        name=path.stem, description=f"LIWC-format dictionary {path.name}",
        categories={k: Category(k, "", tuple(v)) for k, v in cats.items()},
        source=str(path), meta={"empty_categories": empty} if empty else {},
    )


def _pattern_spec(p: Pattern):
    if p.kind == "regex":
        return {"regex": p.term} if p.weight == 1.0 else {"regex": p.term, "weight": p.weight}
    if p.weight != 1.0:
        return {"term": p.term, "weight": p.weight}
    return p.term


def dump(lexicon: Lexicon, path: str | Path) -> Path:
    """Write ``lexicon`` as a project YAML file; ``load(path)`` gives it back.

    Examples
    --------
    >>> dump(load("policy"), "policy_copy.yaml")       # doctest: +SKIP
    """
    lexicon = load(lexicon) if not isinstance(lexicon, Lexicon) else lexicon
    data: dict[str, Any] = {
        "name": lexicon.name, "version": lexicon.version, "description": lexicon.description,
        "citations": list(lexicon.citations), "licence": lexicon.licence,
        "categories": {
            c.name: {"description": c.description,
                     "patterns": [_pattern_spec(p) for p in c.patterns]}
            for c in lexicon.categories.values()
        },
    }
    for k, v in lexicon.meta.items():
        data[k] = v
    path = Path(path)
    path.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
    return path


def to_frame(lexicon: Lexicon | str | Iterable) -> pd.DataFrame:
    """One row per pattern: lexicon, category, term, kind, weight (for display).

    Examples
    --------
    >>> to_frame(Lexicon.from_dict({"name": "t", "categories": {"A": ["war", "cost*"]}}))
      lexicon category   term  kind  weight
    0       t        A    war  word     1.0
    1       t        A  cost*  glob     1.0
    """
    lexs = _as_lexicons(lexicon)
    rows = [(lx.name, c.name, p.term, p.kind, p.weight)
            for lx in lexs for c in lx.categories.values() for p in c.patterns]
    df = pd.DataFrame(rows, columns=["lexicon", "category", "term", "kind", "weight"])
    df["lexicon"] = pd.Categorical(df["lexicon"], categories=[lx.name for lx in lexs])
    df["category"] = pd.Categorical(
        df["category"], categories=list(dict.fromkeys(df["category"].tolist()))
    )
    df["kind"] = pd.Categorical(df["kind"], categories=list(KINDS))
    df["weight"] = df["weight"].astype("float64")
    return df


def _as_lexicons(lexicons) -> list[Lexicon]:
    if isinstance(lexicons, Matcher):
        return list(lexicons.lexicons)
    if isinstance(lexicons, (Lexicon, str, Path)):
        return [load(lexicons)]
    if isinstance(lexicons, Iterable):
        out = [load(lx) for lx in lexicons]
        if not out:
            raise ValueError("no lexicons given; pass a Lexicon, a name, a path or a list")
        return out
    raise TypeError(
        f"expected a Lexicon, a built-in name, a path, a list of them or a Matcher, got "
        f"{type(lexicons).__name__}"
    )


# --------------------------------------------------------------------------- matcher
def _is_word_char(c: str) -> bool:
    return c.isalnum() or bool(unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def _bound_table() -> dict[int, int]:
    """fold() composed with boundary folding: word characters as fold() gives them,
    whitespace -> ' ', every other character -> '\\x01' ('\\x00' is kept as the
    document separator). Length preserving."""
    ft = fold_table()
    table: dict[int, int] = {}
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF or cp == 0:
            continue
        f = ft.get(cp, cp)
        c = chr(f)
        if _is_word_char(c):
            out = f
        elif c.isspace():
            out = 0x20
        else:
            out = 0x01
        if out != cp:
            table[cp] = out
    return table


def _bound_lut() -> np.ndarray:
    """Lookup table of :func:`_bound_table`; characters outside the BMP are boundaries."""
    lut = np.arange(0x110000, dtype=np.uint32)
    table = _bound_table()
    lut[np.fromiter(table.keys(), dtype=np.int64)] = np.fromiter(table.values(), dtype=np.uint32)
    lut[0x10000:] = 1
    return lut


register_table("bound", _bound_lut)


def _bound_fold(text: str) -> str:
    return _translate(text, "bound")


_WORD_RE = re.compile(r"\w")


def _has_upper_literal(pattern: str) -> bool:
    """Whether a regex has an upper-case letter outside escapes and group names."""
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if pattern.startswith("(?P<", i) or pattern.startswith("(?P=", i):
            i = pattern.find(">" if pattern[i + 3] == "<" else ")", i) + 1 or len(pattern)
            continue
        if c.isupper():
            return True
        i += 1
    return False


def _leading_boundary(pattern: str) -> bool:
    """Whether the regex starts with a ``\\b`` that applies to the whole pattern (not
    only to the first branch of a top-level alternation)."""
    if not pattern.startswith("\\b"):
        return False
    try:
        from re import _parser as sre_parse  # Python >= 3.11

        parsed = sre_parse.parse(pattern)
        op, arg = parsed[0]
        return op is sre_parse.AT and arg is sre_parse.AT_BOUNDARY
    except Exception:  # pragma: no cover - private API changed: do not rewrite
        return False


def _literal_prefixes(pattern: str, *, limit: int = 64, min_len: int = 3) -> list[str] | None:
    """Literal strings one of which every match of ``pattern`` starts with (on folded,
    lower-case text), or None when there is no such small set of prefixes of at least
    ``min_len`` characters. ``(?:lift|ease)\\w*`` -> ["lift", "ease"]; lookaround
    assertions are skipped: ``(?<!\\bin )may\\b`` -> ["may"]."""
    try:
        from re import _parser as sre_parse  # Python >= 3.11
        from re import _constants as C

        parsed = sre_parse.parse(pattern)
    except Exception:
        return None
    if parsed.state.flags & (C.SRE_FLAG_VERBOSE | C.SRE_FLAG_MULTILINE):
        return None

    def seq(items):  # -> (set of prefixes, complete)
        acc = {""}
        for op, av in items:
            if op is C.LITERAL:
                part, done = {chr(av)}, True
            elif op is C.AT and av is C.AT_BOUNDARY:
                part, done = {""}, True
            elif op is C.ASSERT or op is C.ASSERT_NOT:
                # lookahead / lookbehind: zero width, the match still starts with what
                # follows (rx.match(text, pos) sees the text before pos)
                part, done = {""}, True
            elif op is C.SUBPATTERN:
                part, done = seq(av[3])
            elif op is C.BRANCH:
                part, done = set(), True
                for branch in av[1]:
                    p, d = seq(branch)
                    part |= p
                    done = done and d
            else:
                return acc, False
            acc = {a + b for a in acc for b in part}
            if len(acc) > limit:
                return {""}, False
            if not done:
                return acc, False
        return acc, True

    prefixes, _ = seq(list(parsed))
    out = sorted({p.lower() for p in prefixes})
    if not out or any(len(p) < min_len or not p.isascii() for p in out):
        return None
    return out


def _regex_at(rx: re.Pattern, text: str, positions: list[int]) -> list[tuple[int, int]]:
    """Matches of ``rx`` like ``finditer`` when every match must start at one of the
    sorted candidate ``positions``."""
    out, last = [], -1
    match = rx.match
    for p in positions:
        if p < last:
            continue
        m = match(text, p)
        if m is not None and m.end() > p:
            out.append((p, m.end()))
            last = m.end()
    return out


def _regex_spans(rx: re.Pattern, text: str, lead_b: bool) -> list[tuple[int, int]]:
    """Non-empty, non-overlapping matches of ``rx`` like ``finditer``; with ``lead_b``
    a match must also start on a word boundary (the stripped leading ``\\b``), and
    after a rejected candidate the search resumes one character later."""
    if not lead_b:
        return [m.span() for m in rx.finditer(text) if m.end() > m.start()]
    out, pos, n = [], 0, len(text)
    search, word = rx.search, _WORD_RE.match
    while pos <= n:
        m = search(text, pos)
        if m is None:
            break
        a, b = m.span()
        left = a > 0 and word(text, a - 1) is not None
        right = a < n and word(text, a) is not None
        if left != right:
            if b > a:
                out.append((a, b))
            pos = b if b > a else a + 1
        else:
            pos = a + 1
    return out


def _rank_right(keys: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """``numpy.searchsorted(keys, needles, side="right")`` for sorted ``keys``; when
    ``needles`` are sorted too (the usual case here) by a stable merge of the two runs,
    which is linear and several times faster than a binary search per needle."""
    n = needles.size
    if n < 2 or keys.size < 2 or not bool((needles[1:] >= needles[:-1]).all()):
        return np.searchsorted(keys, needles, side="right")
    order = np.argsort(np.concatenate([keys, needles]), kind="stable")
    pos = np.flatnonzero(order >= keys.size)  # merged positions of the needles, in order
    pos -= np.arange(n, dtype=pos.dtype)  # minus the needles before: keys <= the needle
    return pos


def _sort_order(keys: Sequence[np.ndarray]) -> np.ndarray:
    """Stable sort order by several integer keys (first key most significant); None
    when already sorted.

    The keys are packed into one int64 when they fit, and sorted with a stable sort
    (timsort: fast on the nearly sorted hit lists the automaton produces); otherwise
    ``numpy.lexsort``.
    """
    n = keys[0].size
    if n == 0:
        return None
    lows = [int(k.min()) for k in keys]
    spans_ = [int(k.max()) - lo + 1 for k, lo in zip(keys, lows)]
    total = 1
    for sp in spans_:
        total *= sp
    if total >= 2**62:
        order = np.lexsort(tuple(reversed(keys)))
        return None if bool((order[1:] > order[:-1]).all()) else order
    packed = np.zeros(n, dtype=np.int64)
    for k, lo, sp in zip(keys, lows, spans_):
        packed *= sp
        packed += k - lo
    if n < 2 or bool((packed[1:] >= packed[:-1]).all()):
        return None
    return np.argsort(packed, kind="stable")


class Matcher:
    """All patterns of a set of lexicons compiled into one Aho-Corasick automaton
    (word, glob and phrase patterns, plus the literal prefixes of regex patterns, whose
    candidate positions come from the same pass) and one compiled regex per regex
    pattern. Picklable (the Dask engine ships it to workers).

    Parameters
    ----------
    lexicons : Lexicon, str, path or list of them
        Lexicon names must be unique within the set.

    Attributes
    ----------
    lexicons : tuple of Lexicon
    patterns : DataFrame
        One row per pattern id: pattern_id, lexicon, category, term, kind, weight.
    hash : str
        sha256 over the lexicons' content hashes, in order.

    Examples
    --------
    >>> lex = Lexicon.from_dict({"name": "w", "categories": {"War": ["war"]}})
    >>> Matcher(lex).find("An award; war.")
    (array([10]), array([13]), array([0]))
    """

    def __init__(self, lexicons):
        lexs = _as_lexicons(lexicons)
        names = [lx.name for lx in lexs]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise LexiconError(
                f"lexicon name(s) {dup} given twice; a matcher needs unique lexicon names "
                "(rename one with dataclasses.replace(lex, name=...))"
            )
        self.lexicons = tuple(lexs)
        self.hash = hashlib.sha256(
            _canonical_json([[lx.name, lx.hash] for lx in lexs]).encode()
        ).hexdigest()
        rows = [(li, lx.name, c.name, p) for li, lx in enumerate(lexs)
                for c in lx.categories.values() for p in c.patterns]
        self._lexicon_names = names
        cat_names = list(dict.fromkeys(r[2] for r in rows))
        cat_index = {c: i for i, c in enumerate(cat_names)}
        self._category_names = cat_names
        terms = [r[3].term for r in rows]
        self._terms = list(dict.fromkeys(terms))
        term_index = {t: i for i, t in enumerate(self._terms)}
        n = len(rows)
        self._p_lex = np.array([r[0] for r in rows], dtype=np.int64)
        self._p_cat = np.array([cat_index[r[2]] for r in rows], dtype=np.int64)
        self._p_term = np.array([term_index[t] for t in terms], dtype=np.int64)
        self._p_weight = np.array([r[3].weight for r in rows], dtype=np.float64)
        self._lex_dtype = pd.CategoricalDtype(names)
        self._cat_dtype = pd.CategoricalDtype(cat_names)
        self._terms_arr = np.asarray(self._terms, dtype=object)
        self._p_glob = np.array([r[3].kind != "regex" and r[3].term.endswith("*")
                                 for r in rows], dtype=bool)
        self.patterns = pd.DataFrame({
            "pattern_id": np.arange(n, dtype=np.int64),
            "lexicon": pd.Categorical([r[1] for r in rows], categories=names),
            "category": pd.Categorical([r[2] for r in rows], categories=cat_names),
            "term": pd.array(terms, dtype="string"),
            "kind": pd.Categorical([r[3].kind for r in rows], categories=list(KINDS)),
            "weight": self._p_weight.copy(),
        })
        self._build_automaton(rows)

    def _build_automaton(self, rows) -> None:
        # key -> entries (pattern id, leading boundary length, trailing boundary length):
        # one key string may serve patterns with different boundaries ("trade" + '\x01'
        # is the word "trade" before punctuation and the glob "trade-*")
        keys: dict[str, list[tuple[int, int, int]]] = {}
        self._rx_terms: dict[int, str] = {}
        self._verify: dict[int, tuple[str, str]] = {}
        for pid, (_, lname, cname, p) in enumerate(rows):
            if p.kind == "regex":
                self._rx_terms[pid] = p.term
                continue
            glob = p.term.endswith("*")
            raw = p.term[:-1] if glob else p.term
            body = re.sub(" +", " ", _bound_fold(raw)).strip(" ")
            if not body or "\x00" in body:
                raise LexiconError(
                    f"lexicon {lname!r}, category {cname!r}: pattern {p.term!r} has nothing "
                    "to match"
                )
            exact = re.sub(" +", " ", _translate(raw, "foldws")).strip(" ")
            if len(exact) != len(body):  # pragma: no cover - both folds keep lengths
                raise LexiconError(f"pattern {p.term!r}: cannot fold consistently")
            if not any(c > "\x01" for c in body):
                # punctuation only ("$", "%"): no word boundaries; matched as a regex
                rx = r"\s".join(re.escape(w) for w in exact.split(" "))
                self._rx_terms[pid] = rx + (r"\w*" if glob else "")
                continue
            if "\x01" in body:  # punctuation inside: the automaton sees any punctuation
                self._verify[pid] = (exact, body)
            leads = [" ", "\x01"] if body[0] > "\x01" else [""]
            glob = p.term.endswith("*")
            trails = [" ", "\x01"] if (not glob and body[-1] > "\x01") else [""]
            for lc, tc in itertools.product(leads, trails):
                key = lc + body + tc
                keys.setdefault(key, []).append((pid, len(lc), len(tc)))
        self._automaton = None
        self._p_verify = np.zeros(len(rows), dtype=bool)
        self._p_verify[list(self._verify)] = True
        # per verified pattern: offsets of its punctuation and their folded code points
        offs: list[list[int]] = [[] for _ in rows]
        vcodes: list[list[int]] = [[] for _ in rows]
        for pid, (exact, body) in self._verify.items():
            for i, (ce, cb) in enumerate(zip(exact, body)):
                if cb == "\x01":
                    offs[pid].append(i)
                    vcodes[pid].append(ord(ce))
        self._v_cnt = np.array([len(o) for o in offs], dtype=np.int64)
        self._v_ptr = np.concatenate([[0], np.cumsum(self._v_cnt)[:-1]]).astype(np.int64) \
            if rows else np.zeros(0, dtype=np.int64)
        self._v_off = np.array([o for ol in offs for o in ol], dtype=np.int64)
        self._v_code = np.array([c for cl in vcodes for c in cl], dtype=np.uint32)
        self._plan_regexes(keys)
        if not keys:
            return
        # STORE_ANY with the int objects kept alive: iteration then returns the stored
        # objects instead of allocating a new int per hit (STORE_INTS)
        auto = ahocorasick.Automaton()
        klist = list(keys)
        for ki, key in enumerate(klist):
            auto.add_word(key, ki)
        auto.make_automaton()
        self._automaton = auto
        counts = np.array([len(keys[k]) for k in klist], dtype=np.int64)
        self._k_count = counts
        self._k_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        entries = [(len(k), e) for k in klist for e in keys[k]]
        self._e_pid = np.array([e[0] for _, e in entries], dtype=np.int64)
        # start = end index of the hit - (len(key) - 1 - leading boundary)
        self._e_back = np.array([n - 1 - e[1] for n, e in entries], dtype=np.int64)
        self._e_trail = np.array([e[2] for _, e in entries], dtype=np.int64)
        self._e_pid32, self._e_back32, self._e_trail32 = (
            a.astype(np.int32) for a in (self._e_pid, self._e_back, self._e_trail))
        self._k_single = bool((counts == 1).all())  # then entry index == key index

    def _plan_regexes(self, keys: dict) -> None:
        """One compiled regex per regex pattern, run separately; the selection treats
        their matches like any other candidate (leftmost-longest per lexicon).

        Speed-ups that keep Python's regex engine off a scan of every position: the text
        is folded (lower case), so IGNORECASE is only needed for an upper-case literal; a
        regex whose matches must start with one of a few literal prefixes (``\\bsign``,
        ``(?:lift|ease)``) gets its candidate positions from the main automaton (extra
        keys with negative entry ids; at word starts when it begins with ``\\b``) and
        is only tried there; otherwise a leading ``\\b`` is checked after the search.
        """
        self._regexes: list[tuple[re.Pattern, bool, int]] = []
        self._rx_prefixed: list[tuple[re.Pattern, int]] = []
        other_keys: dict[str, list[int]] = {}  # prefixes with punctuation: over fold()
        for pid in sorted(self._rx_terms):
            term = self._rx_terms[pid]
            flags = re.IGNORECASE if _has_upper_literal(term) else 0
            prefixes = _literal_prefixes(term)
            if prefixes:
                j = len(self._rx_prefixed)
                self._rx_prefixed.append((re.compile(term, flags), pid))
                if all(p.isalnum() for p in prefixes):  # same in the boundary-folded text
                    leads = (" ", "\x01") if _leading_boundary(term) else ("",)
                    for pre in prefixes:
                        for lc in leads:
                            keys.setdefault(lc + pre, []).append((-1 - j, len(lc), 0))
                else:
                    for pre in prefixes:
                        other_keys.setdefault(pre, []).append(j)
                continue
            lead_b = _leading_boundary(term)
            body = term[2:] if lead_b else term
            try:
                rx = re.compile(body, flags)
            except re.error:  # stripping \b broke it: keep as written
                lead_b, rx = False, re.compile(term, flags)
            self._regexes.append((rx, lead_b, pid))
        self._rx_auto = None
        if other_keys:
            auto = ahocorasick.Automaton()
            for pre, js in other_keys.items():
                auto.add_word(pre, (len(pre), tuple(js)))
            auto.make_automaton()
            self._rx_auto = auto

    def __repr__(self) -> str:
        return (f"Matcher(lexicons={self._lexicon_names}, patterns={len(self.patterns)}, "
                f"hash={self.hash[:12]})")

    # ---- core -------------------------------------------------------------------
    def _find_chunk(self, texts: Sequence[str]):
        """Matches in a list of raw texts: (doc_index, start, end, pattern_id) arrays,
        offsets local to each text, sorted by document, start, pattern id."""
        joined = " " + _SEP.join(texts) + " "
        if joined.count("\x00") != max(len(texts) - 1, 0):  # NUL inside a text: a boundary
            joined = " " + _SEP.join(t.replace("\x00", "\x01") for t in texts) + " "
        lens = np.array(list(map(len, texts)), dtype=np.int64)
        bases = np.empty(len(texts), dtype=np.int64)
        if len(texts):
            bases[0] = 1
            bases[1:] = 1 + np.cumsum(lens[:-1] + len(_SEP))
        starts, ends, pids = [], [], []
        rx_cand = None
        if self._automaton is not None:
            s, codes, raw = _translate_codes(joined, "bound")
            # int32 positions when the chunk allows (half the memory traffic below)
            small = len(s) < 2**31 - 256
            flat = np.fromiter(itertools.chain.from_iterable(self._automaton.iter(s)),
                               dtype=np.int32 if small else np.int64)
            if flat.size:
                last, kidx = flat[0::2], flat[1::2]
                if self._k_single:
                    ent = kidx
                else:
                    cnt = self._k_count[kidx]
                    within = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
                    ent = np.repeat(self._k_ptr[kidx], cnt) + within
                    last = np.repeat(last, cnt)
                if small:
                    st = last - self._e_back32.take(ent)
                    en = last + 1 - self._e_trail32.take(ent)
                    pid = self._e_pid32.take(ent)
                else:
                    st = last - self._e_back.take(ent)
                    en = last + 1 - self._e_trail.take(ent)
                    pid = self._e_pid.take(ent)
                if self._rx_prefixed:
                    neg = pid < 0  # candidate starts of prefixed regexes
                    if neg.any():
                        rx_cand = (-1 - pid[neg], st[neg])
                        keep = ~neg
                        st, en, pid = st[keep], en[keep], pid[keep]
                if self._verify:
                    st, en, pid = self._verified(raw, st, en, pid)
                g = np.flatnonzero(self._p_glob.take(pid))
                if g.size:  # globs: extend to the end of the word (the chunk ends in ' ')
                    ge = en.take(g)
                    act = np.flatnonzero(codes.take(ge) > 32)  # still inside a word
                    while act.size:
                        ge[act] += 1
                        act = act[codes.take(ge.take(act)) > 32]
                    en[g] = ge
                starts.append(st)
                ends.append(en)
                pids.append(pid)
        if self._rx_terms:
            f = _translate(joined, "fold")
            found_by: list[tuple[list, int]] = []
            if self._rx_prefixed:
                cands: list[list[int]] = [[] for _ in self._rx_prefixed]
                if rx_cand is not None:
                    for j, a in zip(rx_cand[0].tolist(), rx_cand[1].tolist()):
                        cands[j].append(a)
                if self._rx_auto is not None:
                    for end, (n, js) in self._rx_auto.iter(f):
                        for j in js:
                            cands[j].append(end - n + 1)
                for (rx, rpid), pos in zip(self._rx_prefixed, cands):
                    found_by.append((_regex_at(rx, f, sorted(set(pos))), rpid))
            for rx, lead_b, rpid in self._regexes:
                found_by.append((_regex_spans(rx, f, lead_b), rpid))
            for found, rpid in found_by:
                if found:
                    arr = np.array(found, dtype=np.int64)
                    starts.append(arr[:, 0])
                    ends.append(arr[:, 1])
                    pids.append(np.full(len(found), rpid, dtype=np.int64))
        if not starts:
            e = np.empty(0, dtype=np.int64)
            return e, e, e, e
        st = np.concatenate(starts)
        en = np.concatenate(ends)
        pid = np.concatenate(pids)
        if not st.size:
            e = np.empty(0, dtype=np.int64)
            return e, e, e, e
        st, en, pid = self._select(st, en, pid)
        doc = _rank_right(bases, st)
        doc -= 1
        if self._rx_terms:  # only regexes can match in (or across) separators
            keep = (doc >= 0) & (en <= bases[doc] + lens[doc])
            if not keep.all():
                doc, st, en, pid = doc[keep], st[keep], en[keep], pid[keep]
        base = bases.take(doc)
        return doc, st - base, en - base, pid.astype(np.int64, copy=False)

    def _verified(self, raw, st, en, pid):
        """Drop automaton hits of patterns with inner punctuation whose punctuation
        differs from the pattern's (the automaton folds all punctuation to one class):
        the folded original characters at the pattern's punctuation offsets must equal
        the pattern's."""
        idx = np.flatnonzero(self._p_verify[pid])
        if not idx.size:
            return st, en, pid
        p = pid[idx]
        cnt = self._v_cnt[p]
        rep = np.repeat(idx, cnt)
        within = np.arange(rep.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        e = np.repeat(self._v_ptr[p], cnt) + within
        got = _lut("fold")[0][raw[st[rep] + self._v_off[e]]]
        bad = rep[got != self._v_code[e]]
        if not bad.size:
            return st, en, pid
        ok = np.ones(pid.size, dtype=bool)
        ok[bad] = False
        return st[ok], en[ok], pid[ok]

    def _select(self, st, en, pid):
        """Leftmost-longest non-overlapping selection per lexicon; every category of a
        selected span gets one row (the first pattern id of that category)."""
        multi = len(self._lexicon_names) > 1
        if multi:  # lexicons are independent: offset each lexicon's positions
            shift = int(max(en.max(), 1)) + 1
            lex = self._p_lex[pid] * shift
            st, en = st + lex, en + lex
        order = _sort_order((st, -en, pid))
        if order is not None:
            st, en, pid = st.take(order), en.take(order), pid.take(order)
        n = st.size
        # candidate spans: one per distinct (start, end), longest first at each start
        first = np.empty(n, dtype=bool)
        first[0] = True
        np.not_equal(st[1:], st[:-1], out=first[1:])
        first[1:] |= en[1:] != en[:-1]
        all_first = bool(first.all())
        if all_first:
            cs, ce = st, en
        else:
            fi = np.flatnonzero(first)
            cs, ce = st.take(fi), en.take(fi)
        prev = np.empty_like(ce)
        prev[0] = -1
        np.maximum.accumulate(ce[:-1], out=prev[1:])
        chosen = cs >= prev  # overlaps nothing before: chosen, starts a cluster
        if not chosen.all():
            # clusters of overlapping candidates, resolved greedily and vectorised:
            # from each cluster start follow "next candidate starting at or after my
            # end" while it stays inside the cluster (cs is sorted ascending); a shorter
            # span at the same start as a longer one is never reached
            starts_ = np.flatnonzero(chosen)  # cluster starts
            front = np.flatnonzero(chosen[:-1] & ~chosen[1:])  # clusters of 2+
            bound = np.append(starts_, cs.size)[np.searchsorted(starts_, front, "right")]
            while front.size:
                nxt = np.searchsorted(cs, ce[front], side="left")
                inside = nxt < bound
                front, bound = nxt[inside], bound[inside]
                chosen[front] = True
        if not all_first:
            span = np.cumsum(first)
            span -= 1
            keep = chosen.take(span)  # rows of chosen spans
            # one span, several rows: one row per category. A row is dropped when an
            # earlier row of its span (rows of a span are adjacent, by pattern id) has
            # its category: compare with the row j back, for the rows whose previous j
            # rows all belong to the same span (few rows: only multi-row spans)
            cont = ~first
            idx = np.flatnonzero(cont)
            idx = idx[keep[idx]]
            pcat = self._p_cat
            j = 1
            while idx.size:
                keep[idx[pcat[pid[idx]] == pcat[pid[idx - j]]]] = False
                idx = idx[cont[idx - j]]
                j += 1
            sel = np.flatnonzero(keep)
            st, en, pid = st.take(sel), en.take(sel), pid.take(sel)
        elif not chosen.all():
            sel = np.flatnonzero(chosen)
            st, en, pid = st.take(sel), en.take(sel), pid.take(sel)
        if multi:
            lex = self._p_lex[pid] * shift
            st, en = st - lex, en - lex
            order = _sort_order((st, pid))
            if order is not None:
                st, en, pid = st[order], en[order], pid[order]
        return st, en, pid

    def find(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Matches in one raw text.

        Returns
        -------
        starts, ends, pattern_ids : numpy.ndarray
            Character offsets into ``text`` (``text[start:end]`` is the surface) and row
            numbers of :attr:`patterns`, sorted by start then pattern id.
        """
        if not isinstance(text, str):
            raise TypeError(f"find() takes a str, got {type(text).__name__}")
        _, st, en, pid = self._find_chunk([text])
        return st, en, pid


# --------------------------------------------------------------------------- match / count
def _doc_codes(col: pd.Series) -> tuple[np.ndarray, pd.Index]:
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = np.asarray(col.cat.categories, dtype=object).astype(str)
        return col.cat.codes.to_numpy(np.int64), pd.Index(cats, dtype=object)
    codes, uniques = pd.factorize(col)
    return codes.astype(np.int64), pd.Index(np.asarray(uniques, dtype=object).astype(str),
                                            dtype=object)


def _frame_keys(frame: pd.DataFrame, docs: pd.Index):
    """Document codes (positions in ``docs``; -1 unknown) and starts of a table."""
    fc, fu = pd.factorize(frame["doc_id"])  # few distinct ids: map those, not every row
    umap = docs.get_indexer(pd.Index(np.asarray(fu, dtype=object).astype(str), dtype=object))
    fd = umap[fc] if umap.size else np.full(fc.size, -1, dtype=np.int64)
    fd = np.where(fc >= 0, fd, -1).astype(np.int64)
    return fd, frame["start"].to_numpy(np.int64)


class _SpanLocator:
    """The sentences and voice segments of a batch as sorted integer keys, for
    repeated vectorised lookups (:func:`numpy.searchsorted`) of spans given as document
    codes (positions in ``docs``) and start offsets: the row with the same document and
    the greatest start <= the span's start.

    Every document code gets a sentinel row just below its first possible key, holding
    the value for "no row at or before the start" (sentence 0 when the document has
    sentences, -1 when it has none; voice author), so a lookup is one search
    (:func:`_rank_right`, a linear merge when the spans come sorted) and one gather,
    without checks."""

    def __init__(self, docs: pd.Index, sentences: pd.DataFrame | None,
                 segments: pd.DataFrame | None, *, max_start: int):
        self.tables: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        prepared = []
        for name, frame in (("sentences", sentences), ("segments", segments)):
            if frame is None or not len(frame):
                continue
            fd, fstart = _frame_keys(frame, docs)
            if name == "sentences":
                vals = frame["sent_id"].to_numpy(np.int64).astype(np.int32)
            else:
                fv = frame["voice"]
                if isinstance(fv.dtype, pd.CategoricalDtype) \
                        and list(fv.cat.categories) == list(schema.VOICES):
                    vals = fv.cat.codes.to_numpy()
                else:
                    vals = pd.Categorical(fv.astype(str), categories=list(schema.VOICES)).codes
                vals = np.where(vals < 0, 0, vals).astype(np.int8)
            ok = fd >= 0
            if not ok.all():
                fd, fstart, vals = fd[ok], fstart[ok], vals[ok]
            if fd.size:
                prepared.append((name, fd, fstart, vals))
        nd = len(docs)
        # key of a row: doc * big + start + off; of the sentinel of doc d: d * big
        self.off = 1 - min([0] + [int(p[2].min()) for p in prepared])
        self.big = max([int(max_start)] + [int(p[2].max()) for p in prepared]) \
            + self.off + 2
        self.known = np.zeros(nd + 1, dtype=bool)
        for name, fd, _, _ in prepared:
            if name == "sentences":
                self.known[fd] = True
        for name, fd, fstart, vals in prepared:
            if name == "sentences":
                sentinel = np.where(self.known[:nd], 0, -1).astype(np.int32)
            else:
                sentinel = np.zeros(nd, dtype=np.int8)
            fkey = np.concatenate([np.arange(nd, dtype=np.int64) * self.big,
                                   fd * self.big + (fstart + self.off)])
            vals = np.concatenate([sentinel, vals])
            order = np.argsort(fkey, kind="stable")  # keys of equal rows keep their order
            self.tables[name] = (fkey[order], vals[order])

    def __call__(self, codes: np.ndarray, starts: np.ndarray, lo: int | None = None,
                 hi: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """sent_id (int32; 0 before the first sentence, -1 for documents without
        sentences) and voice codes (int8 into schema.VOICES; 0 = author). With ``lo``
        and ``hi`` all codes lie in [lo, hi): only those documents' rows are searched
        (cache-friendly per chunk)."""
        n = codes.size
        sent = np.full(n, -1, dtype=np.int32)
        vcode = np.zeros(n, dtype=np.int8)
        if not n:
            return sent, vcode
        needle = codes * self.big
        needle += starts
        needle += self.off
        for name, (fkey, vals) in self.tables.items():
            if lo is not None:
                r0, r1 = np.searchsorted(fkey, [lo * self.big, hi * self.big], side="left")
                fkey, vals = fkey[r0:r1], vals[r0:r1]
            pos = _rank_right(fkey, needle)
            pos -= 1
            if name == "sentences":
                sent = vals.take(pos)
            else:
                vcode = vals.take(pos)
        if lo is None:
            neg = codes < 0  # unknown document (missing id)
            if neg.any():
                sent[neg] = -1
                vcode[neg] = 0
        return sent, vcode


def _locate_arrays(codes: np.ndarray, starts: np.ndarray, docs: pd.Index,
                   sentences: pd.DataFrame | None, segments: pd.DataFrame | None):
    """sent_id and voice codes of spans (see :class:`_SpanLocator`)."""
    if not codes.size:
        return np.full(0, -1, dtype=np.int32), np.zeros(0, dtype=np.int8)
    loc = _SpanLocator(docs, sentences, segments, max_start=int(starts.max()))
    return loc(codes, starts)


def _locate(spans: pd.DataFrame, *, sentences=None, segments=None) -> pd.DataFrame:
    """Fallback of :func:`framelens.text.locate` with its behaviour: add ``sent_id``
    (the sentence holding the span's start; the previous sentence in a gap; 0 before
    the first sentence; -1 for documents absent from ``sentences``) and ``voice`` (the
    voice segment holding the start; "author" otherwise). Vectorised with
    ``numpy.searchsorted``; input not mutated."""
    out = spans.copy()
    codes, docs = _doc_codes(out["doc_id"])
    sent, vcode = _locate_arrays(codes, out["start"].to_numpy(np.int64), docs,
                                 sentences, segments)
    out["sent_id"] = sent
    out["voice"] = pd.Categorical.from_codes(vcode, categories=list(schema.VOICES))
    return out


_VOICE_DTYPE = pd.CategoricalDtype(list(schema.VOICES))


def _take_strings(values: np.ndarray, idx: np.ndarray):
    """``values[idx]`` as a pandas "string" array, built by pyarrow's take (no Python
    string objects per row)."""
    try:
        import pyarrow as pa

        # large_string: what pandas stores (a string array would be cast per call)
        arr = pa.array(values, type=pa.large_string())
        return pd.arrays.ArrowStringArray(arr.take(pa.array(idx, type=pa.int64())))
    except (ImportError, TypeError, ValueError):  # pragma: no cover - pyarrow is a dependency
        return pd.array(values[idx], dtype="string")


def _locator():
    """The span locator match() uses.

    :func:`_locate` has exactly the behaviour of :func:`framelens.text.locate` (a test
    checks the two agree) but works on integer document codes, not strings: on 440,000
    matches it takes 0.1 s where ``text.locate`` takes 0.8-1.2 s, which alone would
    break the lexicon speed target (docs/performance.md). Set ``USE_TEXT_LOCATE = True``
    to route through ``text.locate`` instead.
    """
    if USE_TEXT_LOCATE:
        try:
            from .text import locate
        except ImportError:
            return _locate, "lexicon._locate"
        return locate, "text.locate"
    return _locate, "lexicon._locate"


#: Use framelens.text.locate in match() instead of the faster equivalent _locate.
USE_TEXT_LOCATE = False


def match(docs: pd.DataFrame, lexicons_or_matcher, *, sentences: pd.DataFrame | None = None,
          segments: pd.DataFrame | None = None, progress: bool = False) -> pd.DataFrame:
    """Find every lexicon match in ``docs``.

    Parameters
    ----------
    docs : DataFrame
        With columns ``doc_id`` and ``text``.
    lexicons_or_matcher : Matcher, Lexicon, str, path or list of them
        Compile once and pass a :class:`Matcher` when calling repeatedly.
    sentences, segments : DataFrame, optional
        Tables of :func:`framelens.text.process`; give ``sent_id`` and ``voice`` of each
        match (the sentence / voice segment holding its start), with the behaviour of
        :func:`framelens.text.locate` (computed here on integer document codes, per
        chunk, for speed; see :data:`USE_TEXT_LOCATE`). Without them ``sent_id`` is -1
        (unknown) and ``voice`` "author".
    progress : bool, default False
        Show a tqdm progress bar over chunks of documents.

    Returns
    -------
    DataFrame
        Columns of :data:`framelens.schema.MATCH_COLUMNS`: doc_id, sent_id, start, end,
        lexicon, category, term (the pattern as written), voice, weight; one row per
        (span, category); ordered by document (as in ``docs``), start, pattern.

    Examples
    --------
    >>> import pandas as pd
    >>> lex = Lexicon.from_dict({"name": "w", "categories": {"War": ["war*"]}})
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Wars, an award."]})
    >>> match(docs, lex)[["doc_id", "start", "end", "term"]]
      doc_id  start  end  term
    0      a      0    4  war*
    """
    if not isinstance(docs, pd.DataFrame):
        raise TypeError(f"docs must be a DataFrame with doc_id and text, got {type(docs)}")
    missing = [c for c in ("doc_id", "text") if c not in docs.columns]
    if missing:
        raise ValueError(
            f"docs lacks column(s) {missing}; available: {list(docs.columns)}. "
            "Load documents with framelens.load_corpus(...).docs"
        )
    matcher = lexicons_or_matcher if isinstance(lexicons_or_matcher, Matcher) \
        else Matcher(lexicons_or_matcher)
    texts = ["" if t is None or (isinstance(t, float) and math.isnan(t)) else str(t)
             for t in docs["text"].tolist()]
    doc_ids = docs["doc_id"].astype(str).to_numpy()
    # chunks of about _CHUNK_CHARS characters: one automaton pass each
    bounds = [0]
    acc = 0
    for i, t in enumerate(texts):
        acc += len(t) + len(_SEP)
        if acc >= _CHUNK_CHARS:
            bounds.append(i + 1)
            acc = 0
    if bounds[-1] != len(texts):
        bounds.append(len(texts))
    loc, _ = _locator()
    ucode, uniq = pd.factorize(doc_ids)
    # integer document codes all the way (no strings per match); per chunk when the
    # ids are unique (codes == positions), which keeps the lookups cache-friendly
    per_chunk = loc is _locate and len(uniq) == len(doc_ids)
    locator = _SpanLocator(pd.Index(np.asarray(uniq, dtype=object), dtype=object),
                           sentences, segments,
                           max_start=max(map(len, texts), default=0)) if per_chunk else None
    parts = []
    it = range(len(bounds) - 1)
    if progress:
        from tqdm.auto import tqdm
        it = tqdm(it, desc="lexicon match", unit="chunk")
    for b in it:
        lo, hi = bounds[b], bounds[b + 1]
        d, st, en, pid = matcher._find_chunk(texts[lo:hi])
        d += lo
        if per_chunk:
            parts.append((d, st, en, pid, *locator(d, st, lo, hi)))
        else:
            parts.append((d, st, en, pid))
    if parts:
        cols = [np.concatenate([p[k] for p in parts]) for k in range(len(parts[0]))]
    else:
        cols = [np.empty(0, dtype=np.int64)] * 4 + [np.empty(0, dtype=np.int32),
                                                   np.empty(0, dtype=np.int8)]
    del parts
    doc, st, en, pid = cols[:4]
    if per_chunk:
        sent, vcode = cols[4], cols[5]
        voice = pd.Categorical.from_codes(vcode, dtype=_VOICE_DTYPE, validate=False)
    elif loc is _locate:
        sent, vcode = _locate_arrays(ucode[doc].astype(np.int64), st,
                                     pd.Index(np.asarray(uniq, dtype=object), dtype=object),
                                     sentences, segments)
        voice = pd.Categorical.from_codes(vcode, dtype=_VOICE_DTYPE, validate=False)
    else:
        spans = loc(pd.DataFrame({"doc_id": doc_ids[doc], "start": st, "end": en}),
                    sentences=schema.empty("sentences") if sentences is None else sentences,
                    segments=schema.empty("segments") if segments is None else segments)
        sent = spans["sent_id"].to_numpy()
        voice = pd.Categorical(spans["voice"].astype(str), categories=list(schema.VOICES))
    out = pd.DataFrame({
        "doc_id": _take_strings(doc_ids, doc),
        "sent_id": np.asarray(sent, dtype=np.int32),
        "start": st.astype(np.int64, copy=False), "end": en.astype(np.int64, copy=False),
        "lexicon": pd.Categorical.from_codes(matcher._p_lex.take(pid), dtype=matcher._lex_dtype,
                                             validate=False),
        "category": pd.Categorical.from_codes(matcher._p_cat.take(pid), dtype=matcher._cat_dtype,
                                              validate=False),
        "term": _take_strings(matcher._terms_arr, matcher._p_term.take(pid)),
        "voice": voice,
        "weight": matcher._p_weight.take(pid),
    }, copy=False)
    return out


def count(matches: pd.DataFrame, lexicons, *, by: Sequence[str] | str = ("doc_id",),
          weighted: bool = False, index: pd.DataFrame | Sequence | None = None) -> pd.DataFrame:
    """Tidy counts of matches per group and category, zeros included.

    Every category of every lexicon appears for every group: the groups are those
    present in ``matches`` plus those in ``index`` (e.g. all documents, so documents
    without any match get zero rows).

    Parameters
    ----------
    matches : DataFrame
        The output of :func:`match` (with the ``by`` columns added when grouping by
        document metadata, e.g. ``outlet``).
    lexicons : Lexicon, name, path, list of them or Matcher
        Defines the categories; matches of other lexicons are ignored.
    by : str or sequence of str, default ("doc_id",)
        Grouping columns (may be empty: one corpus-wide count per category).
    weighted : bool, default False
        Also sum the match weights into a column ``weight``.
    index : DataFrame, Series or list, optional
        Groups to include even without matches (a DataFrame with the ``by`` columns,
        or values of the single ``by`` column).

    Returns
    -------
    DataFrame
        Columns ``*by, lexicon, category, n`` (int64) and ``weight`` (float64) when
        ``weighted``; lexicon and category Categorical in lexicon order.

    Examples
    --------
    >>> lex = Lexicon.from_dict({"name": "w", "categories": {"A": ["war"], "B": ["aid"]}})
    >>> m = match(pd.DataFrame({"doc_id": ["d1"], "text": ["war, war"]}), lex)
    >>> count(m, lex)
      doc_id lexicon category  n
    0     d1       w        A  2
    1     d1       w        B  0
    """
    if isinstance(by, str):
        by = (by,)
    by = list(by)
    if not isinstance(weighted, bool):
        raise TypeError("weighted must be True or False")
    need = by + ["lexicon", "category"] + (["weight"] if weighted else [])
    missing = [c for c in need if c not in matches.columns]
    if missing:
        raise ValueError(
            f"matches lacks column(s) {missing}; available: {list(matches.columns)}. Merge "
            "document metadata first, e.g. matches.merge(docs[['doc_id', 'outlet']], on='doc_id')"
        )
    if {"lexicon", "category"} & set(by):
        raise ValueError("'lexicon' and 'category' are always in the output; leave them out of by")
    lexs = _as_lexicons(lexicons)
    cat_rows = [(lx.name, c) for lx in lexs for c in lx.categories]
    ncat = len(cat_rows)
    lex_names = [lx.name for lx in lexs]
    cat_names = list(dict.fromkeys(c for _, c in cat_rows))
    # each match -> its row in cat_rows (-1: a lexicon or category not given)
    lc, lu = pd.factorize(matches["lexicon"])
    cc, cu = pd.factorize(matches["category"])
    row_of = {r: i for i, r in enumerate(cat_rows)}
    table = np.full((len(lu) + 1, len(cu) + 1), -1, dtype=np.int64)  # last: missing
    for i, ln in enumerate(lu):
        for j, cn in enumerate(cu):
            table[i, j] = row_of.get((str(ln), str(cn)), -1)
    crow = table[lc, cc]
    # groups: those present in matches, plus index; sorted by the by columns
    if by:
        if len(by) == 1:
            gcode, guniq = pd.factorize(matches[by[0]], use_na_sentinel=False)
            present = pd.DataFrame({by[0]: guniq})
        else:
            codes = [pd.factorize(matches[c], use_na_sentinel=False)[0] for c in by]
            gcode = pd.factorize(pd.MultiIndex.from_arrays(codes))[0]
            first = np.unique(gcode, return_index=True)[1]  # codes in order of appearance
            present = matches[by].iloc[first].reset_index(drop=True)
        groups = [present.astype({c: object for c in by})]
        if index is not None:
            if isinstance(index, pd.DataFrame):
                miss = [c for c in by if c not in index.columns]
                if miss:
                    raise ValueError(f"index lacks the by column(s) {miss}")
                groups.append(index[by].astype({c: object for c in by}))
            else:
                if len(by) != 1:
                    raise ValueError("with several by columns, index must be a DataFrame")
                groups.append(pd.DataFrame({by[0]: pd.Series(list(index), dtype=object)}))
        grp = pd.concat(groups, ignore_index=True).drop_duplicates()
        grp = grp.sort_values(by, kind="stable").reset_index(drop=True)
        # match group -> row of grp
        if len(by) == 1:
            pos = pd.Index(grp[by[0]]).get_indexer(pd.Index(present[by[0]].astype(object)))
        else:
            pos = pd.MultiIndex.from_frame(grp[by]).get_indexer(
                pd.MultiIndex.from_frame(present.astype({c: object for c in by})))
        grow = pos[gcode]
    else:
        grp = pd.DataFrame(index=range(1))
        grow = np.zeros(len(matches), dtype=np.int64)
    ok = crow >= 0
    key = grow[ok] * ncat + crow[ok]
    size = len(grp) * ncat
    n = np.bincount(key, minlength=size).astype(np.int64)
    out = grp.loc[np.repeat(np.arange(len(grp)), ncat), by].reset_index(drop=True) if by \
        else pd.DataFrame(index=range(ncat))
    for c in by:
        src = matches[c].dtype
        try:
            out[c] = out[c].astype(src)
        except (TypeError, ValueError):
            pass
    li = np.tile(np.array([lex_names.index(r[0]) for r in cat_rows]), len(grp))
    ci = np.tile(np.array([cat_names.index(r[1]) for r in cat_rows]), len(grp))
    out["lexicon"] = pd.Categorical.from_codes(li, categories=lex_names)
    out["category"] = pd.Categorical.from_codes(ci, categories=cat_names)
    out["n"] = n
    if weighted:
        w = matches["weight"].to_numpy(np.float64)[ok]
        out["weight"] = np.bincount(key, weights=w, minlength=size).astype(np.float64)
    return out
