"""The actor gazetteer: dated codes, roles and blocs, loaded from YAML."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from framelens.core.normalize import fold
from framelens.core.resources import data_path
from framelens.errors import LexiconError

log = logging.getLogger(__name__)
_DAY = np.dtype("datetime64[D]")


BUILTIN_PATH = data_path("actors.yaml")


#: Columns ``mentions`` adds after :data:`framelens.core.schema.MENTION_COLUMNS`.
MENTION_EXTRA_COLUMNS = {"root": "string", "person": "string", "ref_date": "datetime64[ns]"}


#: Roles that make the actor code the bare root ("FRA", "EU", "WST").
BARE_ROLES = ("STATE", "IGO", "BLOC", "LOC")


#: Singular person nouns after a country adjective that refer back to a person.
PERSON_AGENTS = {
    "president",
    "prime minister",
    "premier",
    "leader",
    "chancellor",
    "foreign minister",
    "defence minister",
    "defense minister",
    "interior minister",
    "finance minister",
    "minister",
    "counterpart",
    "head of state",
    "spokesman",
    "spokeswoman",
    "spokesperson",
}


GENERIC_PERSON_AGENTS = {"leader", "counterpart", "head of state"}


PRONOUNS = {"he", "she", "him", "her", "they"}


# metonym -> place: a locative preposition or a place-event noun ("liberation of")
PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|inside|around|across|throughout|into|via|through|over|"
    r"(?:visit(?:s|ed|ing)?|trip|travel(?:s|led|ed|ling)?|journey|flight|flew|came|went|"
    r"arriv(?:e|ed|al)|return(?:ed)?)\s+to)"
    r"|\b(?:liberation|occupation|siege|bombing|shelling|capture|fall|streets|centre|center|"
    r"outskirts|suburbs|residents|mayor|city|heart|battle|defen[cs]e|people|citizens|"
    r"population|airport|university|stadium)\s+of)"
    r"\s+(?:the\s+)?(?:city\s+of\s+)?$"
)


# "Belgrade Institute for ...", "Moscow State University": a capital inside a proper name
NAME_AFTER = re.compile(r" (?:[A-Z][a-z]+|[A-Z]{2,})\b(?! (?:said|says|told))")


YEAR_RE = re.compile(
    r"\b(?:in|since|during|until|till|by|of|from|before|after)\s+(?:[a-z]+\s+){0,2}?"
    r"((?:18|19|20)\d\d)\b"
)


_DATE_SPEC = re.compile(r"^\s*([A-Z][A-Z0-9]*)\s*(?:([<>])\s*(\d{8})|(\d{8})\s*-\s*(\d{8}))?\s*$")


def _day(s: str) -> np.datetime64:
    return np.datetime64(f"{s[:4]}-{s[4:6]}-{s[6:8]}", "D")


@dataclasses.dataclass(frozen=True)
class Dated:
    """A value valid from ``lo`` to ``hi`` inclusive (None: open); both None = default."""

    value: str
    lo: np.datetime64 | None = None
    hi: np.datetime64 | None = None

    @property
    def undated(self) -> bool:
        return self.lo is None and self.hi is None

    def covers(self, day: np.datetime64) -> bool:
        return (self.lo is None or day >= self.lo) and (self.hi is None or day <= self.hi)

    @classmethod
    def parse(cls, spec: str, *, lower_value: bool = False) -> Dated:
        """Parse ``"FRAGOV >20170531"``, ``"FRAGOV <20170531"``,
        ``"FRAGOV 20140427-20170531"`` or an undated ``"FRAELI"``."""
        spec = str(spec)
        if lower_value:  # offices: "prime minister 20140427-20170530"
            m = re.match(r"^(.*?)\s*(?:([<>])\s*(\d{8})|(\d{8})\s*-\s*(\d{8}))?\s*$", spec)
        else:
            m = _DATE_SPEC.match(spec)
        if not m:
            raise LexiconError(
                f"bad dated entry {spec!r}: write CODE, 'CODE >YYYYMMDD', 'CODE <YYYYMMDD' "
                "or 'CODE YYYYMMDD-YYYYMMDD'"
            )
        value, op, d, lo, hi = m.groups()
        if op == ">":
            return cls(value.strip(), _day(d), None)
        if op == "<":
            return cls(value.strip(), None, _day(d))
        if lo:
            return cls(value.strip(), _day(lo), _day(hi))
        return cls(value.strip())


def _pick(entries: Sequence[Dated], day: np.datetime64) -> str | None:
    """PETRARCH2 semantics: the first dated entry covering ``day``, else the undated default."""
    default = None
    for e in entries:
        if e.undated:
            if default is None:
                default = e.value
        elif e.covers(day):
            return e.value
    return default


@dataclasses.dataclass(frozen=True)
class Target:
    """What a gazetteer phrase stands for."""

    root: str | None = None  # fixed root (countries, organisations)
    role: str = "STATE"
    codes: tuple[Dated, ...] = ()  # dated codes (people, fixed entries)
    person: str | None = None
    offices: tuple[Dated, ...] = ()
    agent: str | None = None  # "leader" in "Serbian leader" (role references)
    metonym: bool = False
    case: str | None = None  # "upper": acronym; "cap": capitalised word;
    #                                        "title": several capitalised words
    generic: bool = False  # "Security Council": not after a qualifier
    anaphor: bool = False  # "the alliance": only after the body was named


class Gazetteer:
    """A parsed actor gazetteer. Build with :func:`load_gazetteer`.

    Attributes
    ----------
    name, version, sha256 : str
    reference_date : numpy.datetime64
        Date used for undated documents.
    roots : dict
        Root code -> kind ("country" or "organisation").
    people : dict
        Canonical person name -> :class:`Target`.

    Examples
    --------
    >>> g = load_gazetteer()
    >>> g.code("Aleksandar Vucic", "2024-10-20"), g.code("Aleksandar Vucic", "2010-01-01")
    ('SRBGOV', 'SRBELI')
    >>> g.blocs("FIN", "2023-04-04"), g.blocs("FIN", "2023-04-03")
    ('EU;NATO;WST', 'EU;WST')
    """

    def __init__(self, data: Mapping[str, Any], *, sha256: str = ""):
        self.data = data
        self.name = str(data.get("name", "actors"))
        self.version = str(data.get("version", ""))
        self.sha256 = sha256
        self.reference_date = np.datetime64(str(data.get("reference_date", "2024-12-31")), "D")
        self.roots: dict[str, str] = {}
        self.terms: dict[str, Target] = {}
        self.people: dict[str, Target] = {}
        self.person_alias: dict[str, str] = {}
        self.adjectives: dict[str, list[str]] = {}
        self.bloc_members: dict[str, list[Dated]] = {}
        self._build()

    # ------------------------------------------------------------------ building
    def _add(self, phrase: str, target: Target, *, override: bool = False) -> None:
        phrase = " ".join(str(phrase).split())
        if not phrase:
            return
        key = fold(phrase)
        case = None
        bare = phrase.replace(".", "").replace("-", "")
        if target.anaphor:
            case = None
        elif " " not in phrase and bare.isupper() and len(bare) <= 6:
            case = "upper"
        elif " " not in phrase and phrase[:1].isupper():
            case = "cap"
        elif " " in phrase and title_words(phrase):
            case = "title"
        if case != target.case:
            target = dataclasses.replace(target, case=case)
        if override or key not in self.terms:
            self.terms[key] = target

    def _build(self) -> None:
        # long: reads each section of the gazetteer YAML in turn into the same lookup tables
        d = self.data
        agents: dict[str, list[str]] = {
            r: list(v or []) for r, v in (d.get("agents") or {}).items()
        }
        titles = [str(t) for t in (d.get("titles") or [])]
        countries = d.get("countries") or {}
        orgs = d.get("organisations") or {}
        for code in countries:
            self.roots[str(code)] = "country"
        for code in orgs:
            self.roots[str(code)] = "organisation"
        # lowest priority first; later groups override (people > fixed > orgs > countries)
        for code, c in countries.items():
            code = str(code)
            c = c or {}
            adjs = [str(a) for a in c.get("adjectives") or []]
            names = [str(n) for n in c.get("names") or []]
            self.adjectives[code] = adjs + names
            for n in names + adjs:
                self._add(n, Target(root=code, role="STATE"))
            for n in c.get("demonyms") or []:
                self._add(n, Target(root=code, role="CVL"))
            for n in c.get("capitals") or []:
                self._add(n, Target(root=code, role="GOV", metonym=True))
            for role, ns in (c.get("metonyms") or {}).items():
                for n in ns:
                    self._add(n, Target(root=code, role=str(role), metonym=True))
            for a in adjs + names:
                for role, ns in agents.items():
                    for ag in ns:
                        self._add(
                            f"{a} {ag}", Target(root=code, role=role, agent=ag), override=True
                        )
        for code, o in orgs.items():
            code = str(code)
            o = o or {}
            role = str(o.get("role", "IGO"))
            for n in o.get("names") or []:
                self._add(n, Target(root=code, role=role), override=True)
            for n in o.get("metonyms") or []:
                self._add(n, Target(root=code, role=role, metonym=True), override=True)
            for n in o.get("generic") or []:
                self._add(n, Target(root=code, role=role, generic=True), override=True)
            for n in o.get("anaphors") or []:
                self._add(n, Target(root=code, role=role, anaphor=True), override=True)
            self.adjectives.setdefault(
                code, [str(n) for n in o.get("names") or [] if len(str(n).split()) <= 2]
            )
        for f in d.get("fixed") or []:
            codes = tuple(Dated.parse(s) for s in f.get("codes") or [])
            for n in f.get("names") or []:
                self._add(n, Target(codes=codes), override=True)
        for p in d.get("people") or []:
            names = [str(n) for n in p.get("names") or []]
            if not names:
                raise LexiconError(
                    f"gazetteer person {p!r} has no names; give it names: ['Full Name', ...]"
                )
            canon = names[0]
            country = str(p.get("country", ""))
            t = Target(
                root=None,
                codes=tuple(Dated.parse(s) for s in p.get("codes") or []),
                person=canon,
                offices=tuple(Dated.parse(s, lower_value=True) for s in p.get("offices") or []),
            )
            if not t.codes:
                raise LexiconError(
                    f"gazetteer person {canon!r} has no codes; give it codes: ['FRAGOV'] "
                    "(dated like 'CODE >YYYYMMDD' where it changes)"
                )
            self.people[canon] = t
            adjs = self.adjectives.get(country, [])
            for n in names:
                self.person_alias.setdefault(fold(n), canon)
                self._add(n, t, override=True)
                for ti in titles:
                    self._add(f"{ti} {n}", t, override=True)
                    for a in adjs:
                        self._add(f"{a} {ti} {n}", t, override=True)

    # ------------------------------------------------------------------ queries
    @functools.cached_property
    def _roots_by_length(self) -> list[str]:
        return sorted(self.roots, key=len, reverse=True)

    def split_code(self, code: str) -> tuple[str, str]:
        """Split an actor code into (root, role): ``"FRAGOV" -> ("FRA", "GOV")``."""
        for r in self._roots_by_length:
            if code.startswith(r):
                rest = code[len(r) :]
                if not rest:
                    return r, "STATE" if self.roots[r] == "country" else str(
                        (self.data["organisations"][r] or {}).get("role", "IGO")
                    )
                return r, rest
        if len(code) > 3:
            return code[:3], code[3:]
        return code, "STATE"

    def target(self, phrase: str) -> Target | None:
        """The target of ``phrase`` (a gazetteer phrase or person name), or None."""
        key = fold(" ".join(str(phrase).split()))
        t = self.terms.get(key)
        if t is None and key in self.person_alias:
            t = self.people[self.person_alias[key]]
        return t

    def code(self, phrase: str, date=None) -> str | None:
        """The actor code of ``phrase`` (a gazetteer phrase or person name) at ``date``."""
        t = self.target(phrase)
        if t is None:
            return None
        day = self._day(date)
        root, role, _ = self.resolve(t, day)
        return actor_code(root, role)

    def _day(self, date) -> np.datetime64:
        if type(date) is np.datetime64 and date.dtype == _DAY:  # already a day (tagging)
            return self.reference_date if np.isnat(date) else date
        if date is None or (not isinstance(date, str) and pd.isna(date)):
            return self.reference_date
        return np.datetime64(pd.Timestamp(date).date(), "D")

    def resolve(self, t: Target, day: np.datetime64) -> tuple[str, str, str | None]:
        """(root, role, office) of a target on ``day``."""
        office = _pick(t.offices, day) if t.offices else None
        if t.codes:
            code = _pick(t.codes, day)
            if code is None:
                code = t.codes[-1].value
            root, role = self.split_code(code)
            return root, role, office
        return t.root or "", t.role, office

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - small, per gazetteer
    def blocs(self, root: str, date=None) -> str:
        """Blocs ``root`` belongs to on ``date``, sorted and ";"-joined (WST derived)."""
        day = self._day(date)
        out = {bloc for bloc, m in self._blocs_of_root.get(root, ()) if m.covers(day)}
        if out & {"EU", "NATO"} or root in {"EU", "NATO", "G7"}:
            out.add("WST")
        return ";".join(sorted(out))

    @functools.cached_property
    def _blocs_of_root(self) -> dict[str, list[tuple[str, Dated]]]:
        """:attr:`bloc_members_` indexed by member root: ``root -> [(bloc, dated)]``
        (what :meth:`blocs` scans, without the pass over every bloc's members)."""
        out: dict[str, list[tuple[str, Dated]]] = {}
        for bloc, members in self.bloc_members_.items():
            for m in members:
                out.setdefault(m.value, []).append((bloc, m))
        return out

    @functools.cached_property
    def bloc_members_(self) -> dict[str, list[Dated]]:
        return {
            str(b): [Dated.parse(s) for s in ms or []]
            for b, ms in (self.data.get("blocs") or {}).items()
        }

    @functools.cached_property
    def automaton(self):
        """The compiled Aho-Corasick automaton over all folded phrases."""
        import ahocorasick

        A = ahocorasick.Automaton()
        for key, t in self.terms.items():
            A.add_word(key, (len(key), t))
        A.make_automaton()
        return A

    def __repr__(self) -> str:
        return (
            f"Gazetteer({self.name!r} v{self.version}, {len(self.terms)} phrases, "
            f"{len(self.people)} people, {len(self.roots)} roots)"
        )


def actor_code(root: str, role: str) -> str:
    """``("FRA", "GOV") -> "FRAGOV"``; bare roles give the root ("FRA", "EU").

    Examples
    --------
    >>> actor_code("FRA", "GOV"), actor_code("EU", "IGO")
    ('FRAGOV', 'EU')
    """
    return root if role in BARE_ROLES or not role else f"{root}{role}"


def _merge(base: dict, ext: Mapping) -> dict:
    out = dict(base)
    for k, v in ext.items():
        if k in out and isinstance(out[k], dict) and isinstance(v, Mapping):
            out[k] = {**out[k], **v}
        elif k in out and isinstance(out[k], list) and isinstance(v, list):
            out[k] = out[k] + list(v)
        else:
            out[k] = v
    return out


def _load_cached(path: str, extend: str | None) -> Gazetteer:
    """Cached by path and modification time, so an edited file is re-read."""
    mt = Path(path).stat().st_mtime_ns
    mte = Path(extend).stat().st_mtime_ns if extend else 0
    return _load_cached_key(path, mt, extend, mte)


#: Gazetteers by content hash: one parsed gazetteer (and one compiled automaton) per
#: content per process, however it was reached (a re-saved file, a mapping extension).
_BY_HASH: dict[str, Gazetteer] = {}
_BY_HASH_SIZE = 16


def _shared(sha256: str, build) -> Gazetteer:
    g = _BY_HASH.get(sha256)
    if g is None:
        if len(_BY_HASH) >= _BY_HASH_SIZE:
            _BY_HASH.pop(next(iter(_BY_HASH)))
        g = _BY_HASH[sha256] = build()
    return g


@functools.lru_cache(maxsize=16)
def _load_cached_key(path: str, _mtime: int, extend: str | None, _mtime_ext: int) -> Gazetteer:
    raw = Path(path).read_bytes()
    ext_raw = Path(extend).read_bytes() if extend else b""
    h = hashlib.sha256(raw)
    if extend:
        h.update(ext_raw)

    def build():
        data = yaml.safe_load(raw) or {}
        if extend:
            data = _merge(data, yaml.safe_load(ext_raw) or {})
        return Gazetteer(data, sha256=h.hexdigest())

    return _shared(h.hexdigest(), build)


def load_gazetteer(
    path: str | Path | None = None, *, extend: str | Path | Mapping | None = None
) -> Gazetteer:
    """Load the built-in gazetteer, a replacement file, and/or an extension.

    Parameters
    ----------
    path : str or Path, optional
        A gazetteer YAML file replacing the built-in one.
    extend : str, Path or mapping, keyword-only
        A YAML file (or dict) in the same format whose sections are merged into the
        base: lists are appended (a later person entry with the same first name
        overrides the earlier), mappings updated key by key.

    Returns
    -------
    Gazetteer

    Examples
    --------
    >>> g = load_gazetteer(extend={"fixed": [{"names": ["Matignon"], "codes": ["FRAGOV"]}]})
    >>> g.code("Matignon")
    'FRAGOV'
    """
    if isinstance(path, Gazetteer):
        return path
    p = Path(path) if path else BUILTIN_PATH
    if not p.exists():
        raise LexiconError(
            f"gazetteer {p} not found; give a YAML file in the format "
            "of docs/methods/alignment.md or None for the built-in one"
        )
    if extend is None or isinstance(extend, (str, Path)):
        return _load_cached(str(p), str(extend) if extend else None)
    base = _load_cached(str(p), None)
    h = hashlib.sha256(base.sha256.encode() + repr(sorted(map(str, extend.items()))).encode())
    return _shared(
        h.hexdigest(), lambda: Gazetteer(_merge(dict(base.data), extend), sha256=h.hexdigest())
    )


#: Lower-case words allowed inside a capitalised multi-word name ("Republic of Serbia").
_NAME_STOPWORDS = frozenset(
    {
        "the",
        "of",
        "and",
        "for",
        "in",
        "on",
        "a",
        "an",
        "de",
        "der",
        "von",
        "van",
        "du",
        "la",
        "le",
        "al",
        "bin",
    }
)


def title_words(phrase: str) -> bool:
    """True when every word of ``phrase`` but name particles is capitalised."""
    words = [w for w in phrase.split() if w.lower() not in _NAME_STOPWORDS]
    return bool(words) and all(not w[:1].isalpha() or w[:1].isupper() for w in words)
