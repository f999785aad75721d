"""The lexicon data model: patterns, categories, lexicons and their content hash."""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import logging
import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from framelens.core.resources import DATA_DIR
from framelens.core.schema import PATTERN_KINDS
from framelens.errors import LexiconError  # defined in framelens.errors; re-exported here

log = logging.getLogger(__name__)


#: Pattern kinds, as in quanteda's ``valuetype`` plus ``phrase``
#: (:data:`framelens.core.schema.PATTERN_KINDS`).
KINDS = PATTERN_KINDS


#: File formats :func:`load` reads.
FORMATS = ("yaml", "csv", "quanteda", "liwc")


BUILTIN_DIR = DATA_DIR


_TOP_KEYS = ("name", "version", "description", "citations", "licence", "categories")


_CAT_KEYS = ("description", "patterns")


SEP = " \x00 "  # between documents in a chunk: a boundary that no key can cross


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
        object.__setattr__(
            self, "description", "" if self.description is None else str(self.description)
        )

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
        return hashlib.sha256(canonical_json(self._content()).encode("utf-8")).hexdigest()

    def _content(self) -> dict:
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "citations": list(self.citations),
            "licence": self.licence,
            "categories": {
                c.name: {
                    "description": c.description,
                    "patterns": [[p.term, p.kind, p.weight] for p in c.patterns],
                }
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
        return from_project_data(data, source=source or "<dict>", node=None)

    def __repr__(self) -> str:
        n = sum(len(c.patterns) for c in self.categories.values())
        return (
            f"Lexicon(name={self.name!r}, version={self.version!r}, "
            f"categories={len(self.categories)}, patterns={n}, hash={self.hash[:12]})"
        )


def canonical_json(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


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
                raise LexiconError(f"pattern {dict(spec)!r} needs exactly one of 'term' or 'regex'")
            weight = spec.get("weight", 1.0)
            if "regex" in spec:
                if spec.get("kind", "regex") != "regex":
                    raise LexiconError(f"pattern {dict(spec)!r}: a regex has kind regex")
                if not isinstance(spec["regex"], str):
                    raise LexiconError(f"regex must be a string, got {spec['regex']!r}")
                return Pattern(spec["regex"], "regex", weight)
            if not isinstance(spec["term"], str):
                raise LexiconError(
                    f'term must be a string, got {spec["term"]!r} (quote numbers: "1944")'
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
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def node_where(source: str, node, path: Sequence) -> str:
    line = _node_line(node, path)
    return f"{source}:{line}" if line else source


def from_project_data(data: Mapping, *, source: str, node) -> Lexicon:
    stem = Path(source).stem if source and not source.startswith("<") else ""
    for key in data:
        if key not in _TOP_KEYS and key != "license":
            close = difflib.get_close_matches(str(key), _TOP_KEYS, n=1, cutoff=0.8)
            if close:
                warnings.warn(
                    f"{node_where(source, node, [key])}: unknown key {key!r}; did you mean "
                    f"{close[0]!r}? (kept as metadata)",
                    stacklevel=4,
                )
    name = data.get("name") or stem
    if not name:
        raise LexiconError(f"{source}: a lexicon needs a 'name:'")
    cats_data = data.get("categories")
    if not isinstance(cats_data, Mapping) or not cats_data:
        raise LexiconError(
            f"{node_where(source, node, ['categories'])}: 'categories' must be a non-empty mapping "
            "of category name to {description:, patterns: [...]} (or to a list of patterns)"
        )
    citations = data.get("citations") or ()
    if isinstance(citations, str):
        citations = (citations,)
    if not isinstance(citations, (list, tuple)):
        raise LexiconError(
            f"{node_where(source, node, ['citations'])}: 'citations' must be a list of strings"
        )
    cats: dict[str, Category] = {}
    for cname, cdata in cats_data.items():
        cpath = ["categories", cname]
        if isinstance(cdata, Mapping):
            for key in cdata:
                if key not in _CAT_KEYS:
                    raise LexiconError(
                        f"{node_where(source, node, cpath + [key])}: unknown key {key!r} in "
                        f"category {cname!r}; a category has 'description' and 'patterns'"
                    )
            pats = cdata.get("patterns")
            desc = cdata.get("description", "")
            ppath = cpath + ["patterns"]
        elif isinstance(cdata, list):
            pats, desc, ppath = cdata, "", cpath
        else:
            raise LexiconError(
                f"{node_where(source, node, cpath)}: category {cname!r} must be a mapping with "
                "'patterns:' (a list) or a list of patterns"
            )
        if not isinstance(pats, list) or not pats:
            raise LexiconError(
                f"{node_where(source, node, ppath)}: category {cname!r} needs a non-empty list "
                "of patterns ('- word', '- prefix*', '- two words', '- {term: x, weight: 2}')"
            )
        patterns = tuple(
            parse_pattern(p, where=node_where(source, node, ppath + [i]))
            for i, p in enumerate(pats)
        )
        cats[str(cname)] = Category(str(cname), desc, patterns)
    meta = {str(k): v for k, v in data.items() if k not in _TOP_KEYS}
    return Lexicon(
        name=str(name),
        version=data.get("version", ""),
        description=data.get("description", ""),
        citations=tuple(citations),
        licence=data.get("licence", data.get("license", "")) or "",
        categories=cats,
        source=source,
        meta={k: v for k, v in meta.items() if k != "license"},
    )
