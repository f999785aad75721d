"""Geopolitical actors: a dated gazetteer (PETRARCH2 style) and actor mentions.

The gazetteer (``lexicons/actors.yaml``; format in docs/methods/alignment.md) maps
phrases to actor codes made of a *root* (ISO-3166 alpha-3 country such as ``SRB``, or
an organisation / bloc such as ``EU``, ``NATO``, ``WST`` for "the West") and a *role*
(``GOV``, ``MIL``, ``MED``, ``OPP``, ``CVL``, ``BUS``, ``LEG``, ``ELI``). People carry
date-restricted codes: Aleksandar Vucic is ``SRBGOV`` from 2012-07-27 and ``SRBELI``
before. Every document is coded at its own date; a clause that names an earlier year
("... in 1944") is coded at that year, except a person whose title in the text is an
office they hold on the document date (see :func:`clause_dates`).

All phrases are compiled into ONE Aho-Corasick automaton, run once per document over
``normalize.fold(text)`` (so offsets are offsets into the original text); hits are
filtered on word boundaries and resolved leftmost-longest, which makes "Serbian
President Aleksandar Vucic" one mention.

Examples
--------
>>> import pandas as pd
>>> from framelens.actors import mentions
>>> docs = pd.DataFrame({"doc_id": ["d"], "text": ["Serbian President Aleksandar Vučić met Putin."],
...                      "date": [pd.Timestamp("2024-10-20")]})
>>> sents = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [45]})
>>> m = mentions(docs, sentences=sents, segments=None)
>>> m[["surface", "actor"]].values.tolist()
[['Serbian President Aleksandar Vučić', 'SRBGOV'], ['Putin', 'RUSGOV']]
"""

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

from .normalize import fold
from .schema import MENTION_COLUMNS

__all__ = [
    "Gazetteer", "load_gazetteer", "mentions", "speaker_actors", "step", "sentence_dates",
    "clause_dates",
    "MENTION_EXTRA_COLUMNS", "BUILTIN_PATH",
]

log = logging.getLogger(__name__)

BUILTIN_PATH = Path(__file__).parent / "lexicons" / "actors.yaml"

#: Columns ``mentions`` adds after :data:`framelens.schema.MENTION_COLUMNS`.
MENTION_EXTRA_COLUMNS = {"root": "string", "person": "string", "ref_date": "datetime64[ns]"}

#: Roles that make the actor code the bare root ("SRB", "EU", "WST").
BARE_ROLES = ("STATE", "IGO", "BLOC", "LOC")
#: Singular person nouns after a country adjective that refer back to a person.
_PERSON_AGENTS = {
    "president", "prime minister", "premier", "leader", "chancellor", "foreign minister",
    "defence minister", "defense minister", "interior minister", "finance minister",
    "minister", "counterpart", "head of state", "spokesman", "spokeswoman", "spokesperson",
}
_GENERIC_PERSON_AGENTS = {"leader", "counterpart", "head of state"}
_PRONOUNS = {"he", "she", "him", "her", "they"}

# metonym -> place: a locative preposition or a place-event noun ("liberation of")
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|inside|around|across|throughout|into|via|through|over|"
    r"(?:visit(?:s|ed|ing)?|trip|travel(?:s|led|ed|ling)?|journey|flight|flew|came|went|"
    r"arriv(?:e|ed|al)|return(?:ed)?)\s+to)"
    r"|\b(?:liberation|occupation|siege|bombing|shelling|capture|fall|streets|centre|center|"
    r"outskirts|suburbs|residents|mayor|city|heart|battle|defen[cs]e|people|citizens|"
    r"population|airport|university|stadium)\s+of)"
    r"\s+(?:the\s+)?(?:city\s+of\s+)?$"
)
# "Belgrade Institute for ...", "Moscow State University": a capital inside a proper name
_NAME_AFTER = re.compile(r" (?:[A-Z][a-z]+|[A-Z]{2,})\b(?! (?:said|says|told))")
_YEAR_RE = re.compile(
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
        """Parse ``"SRBGOV >20170531"``, ``"SRBGOV <20170531"``,
        ``"SRBGOV 20140427-20170531"`` or an undated ``"SRBELI"``."""
        spec = str(spec)
        if lower_value:  # offices: "prime minister 20140427-20170530"
            m = re.match(r"^(.*?)\s*(?:([<>])\s*(\d{8})|(\d{8})\s*-\s*(\d{8}))?\s*$", spec)
        else:
            m = _DATE_SPEC.match(spec)
        if not m:
            raise ValueError(
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

    root: str | None = None               # fixed root (countries, organisations)
    role: str = "STATE"
    codes: tuple[Dated, ...] = ()          # dated codes (people, fixed entries)
    person: str | None = None
    offices: tuple[Dated, ...] = ()
    agent: str | None = None               # "leader" in "Serbian leader" (role references)
    metonym: bool = False
    case: str | None = None                # "upper": acronym; "cap": capitalised word;
    #                                        "title": several capitalised words
    generic: bool = False                  # "Security Council": not after a qualifier
    anaphor: bool = False                  # "the alliance": only after the body was named


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
        elif " " in phrase and _title_words(phrase):
            case = "title"
        if case != target.case:
            target = dataclasses.replace(target, case=case)
        if override or key not in self.terms:
            self.terms[key] = target

    def _build(self) -> None:
        d = self.data
        agents: dict[str, list[str]] = {r: list(v or []) for r, v in (d.get("agents") or {}).items()}
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
                        self._add(f"{a} {ag}", Target(root=code, role=role, agent=ag),
                                  override=True)
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
            self.adjectives.setdefault(code, [str(n) for n in o.get("names") or []
                                              if len(str(n).split()) <= 2])
        for f in d.get("fixed") or []:
            codes = tuple(Dated.parse(s) for s in f.get("codes") or [])
            for n in f.get("names") or []:
                self._add(n, Target(codes=codes), override=True)
        for p in d.get("people") or []:
            names = [str(n) for n in p.get("names") or []]
            if not names:
                raise ValueError("a gazetteer person needs at least one name")
            canon = names[0]
            country = str(p.get("country", ""))
            t = Target(
                root=None, codes=tuple(Dated.parse(s) for s in p.get("codes") or []),
                person=canon, offices=tuple(Dated.parse(s, lower_value=True)
                                            for s in p.get("offices") or []),
            )
            if not t.codes:
                raise ValueError(f"gazetteer person {canon!r} has no codes")
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
        """Split an actor code into (root, role): ``"SRBGOV" -> ("SRB", "GOV")``."""
        for r in self._roots_by_length:
            if code.startswith(r):
                rest = code[len(r):]
                if not rest:
                    return r, "STATE" if self.roots[r] == "country" else \
                        str((self.data["organisations"][r] or {}).get("role", "IGO"))
                return r, rest
        if len(code) > 3:
            return code[:3], code[3:]
        return code, "STATE"

    def code(self, phrase: str, date=None) -> str | None:
        """The actor code of ``phrase`` (a gazetteer phrase or person name) at ``date``."""
        key = fold(" ".join(str(phrase).split()))
        t = self.terms.get(key)
        if t is None and key in self.person_alias:
            t = self.people[self.person_alias[key]]
        if t is None:
            return None
        day = self._day(date)
        root, role, _ = self.resolve(t, day)
        return actor_code(root, role)

    def _day(self, date) -> np.datetime64:
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
        out = set()
        for bloc, members in self.bloc_members_.items():
            for m in members:
                if m.value == root and m.covers(day):
                    out.add(bloc)
        if out & {"EU", "NATO"} or root in {"EU", "NATO", "G7"}:
            out.add("WST")
        return ";".join(sorted(out))

    @functools.cached_property
    def bloc_members_(self) -> dict[str, list[Dated]]:
        return {str(b): [Dated.parse(s) for s in ms or []]
                for b, ms in (self.data.get("blocs") or {}).items()}

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
        return (f"Gazetteer({self.name!r} v{self.version}, {len(self.terms)} phrases, "
                f"{len(self.people)} people, {len(self.roots)} roots)")


def actor_code(root: str, role: str) -> str:
    """``("SRB", "GOV") -> "SRBGOV"``; bare roles give the root ("SRB", "EU")."""
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


@functools.lru_cache(maxsize=16)
def _load_cached_key(path: str, _mtime: int, extend: str | None, _mtime_ext: int) -> Gazetteer:
    raw = Path(path).read_bytes()
    h = hashlib.sha256(raw)
    data = yaml.safe_load(raw) or {}
    if extend:
        ext_raw = Path(extend).read_bytes()
        h.update(ext_raw)
        data = _merge(data, yaml.safe_load(ext_raw) or {})
    return Gazetteer(data, sha256=h.hexdigest())


def load_gazetteer(path: str | Path | None = None, *, extend: str | Path | Mapping | None = None
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
    >>> g = load_gazetteer(extend={"fixed": [{"names": ["Novi Sad"], "codes": ["SRBGOV"]}]})
    >>> g.code("Novi Sad")
    'SRBGOV'
    """
    if isinstance(path, Gazetteer):
        return path
    p = Path(path) if path else BUILTIN_PATH
    if not p.exists():
        raise FileNotFoundError(f"gazetteer {p} not found; give a YAML file in the format "
                                "of docs/methods/alignment.md or None for the built-in one")
    if extend is None or isinstance(extend, (str, Path)):
        return _load_cached(str(p), str(extend) if extend else None)
    base = _load_cached(str(p), None)
    data = _merge(dict(base.data), extend)
    h = hashlib.sha256(base.sha256.encode() + repr(sorted(map(str, extend.items()))).encode())
    return Gazetteer(data, sha256=h.hexdigest())


# ---------------------------------------------------------------------- helpers
#: Clause boundaries inside a sentence for the year rule: semicolons, colons, dashes,
#: brackets, a comma followed by a conjunction or relative pronoun, and the
#: complementisers / relativisers "that", "which", "who", "whom", "whose", "where", "when".
_CLAUSE_BOUNDARY = re.compile(
    r"[;:()\u2013\u2014]|\s-\s|,\s+(?=(?:and|but|or|nor|while|whereas|although|though|"
    r"because|as|when|after|before|since|until|who|which|where|whose|whom)\b)"
    r"|\b(?:that|which|who|whom|whose|where|when)\b"
)


def _year_of(m: re.Match) -> int:
    return int(m.group(1))


def clause_dates(sentences: pd.DataFrame, doc_dates: Mapping[str, np.datetime64], *,
                 min_gap_years: int = 2) -> pd.DataFrame:
    """Clauses that name an earlier year, and the date their actors are coded at.

    The year rule of :func:`mentions`: inside a sentence, a year after a temporal
    preposition ("in 1944", "since 2013") at least ``min_gap_years`` before the
    document's year dates only the *clause* containing it, i.e. the span between the
    nearest clause boundaries around the year (``;`` ``:`` brackets, dashes, a comma
    followed by a conjunction or relative pronoun, and "that" / "which" / "who" /
    "where" / "when"). The clause is coded at 1 July of its earliest such year; the
    rest of the sentence keeps the document date. So in "Prime Minister Ana Brnabic
    pointed out that Serbia had fulfilled its part since 2013" only "that ... 2013" is
    dated 2013.

    Parameters
    ----------
    sentences : DataFrame
        ``doc_id, start`` and ``text`` (the sentence text, offsets relative to ``start``).
    doc_dates : mapping
        doc_id -> numpy.datetime64[D].
    min_gap_years : int, keyword-only
        Years closer to the document year than this are ignored.

    Returns
    -------
    DataFrame
        ``doc_id, start, end, date`` (document offsets of each dated clause).

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["d"], "start": [0],
    ...                   "text": ["Vucic said that ties date from 1944."]})
    >>> clause_dates(s, {"d": np.datetime64("2024-10-20")}).values.tolist()
    [['d', 11, 36, Timestamp('1944-07-01 00:00:00')]]
    """
    rows: dict[str, list] = {"doc_id": [], "start": [], "end": [], "date": []}
    texts = sentences["text"].astype(str).tolist() if "text" in sentences else []
    for d, st, t in zip(sentences["doc_id"].astype(str).tolist(),
                        sentences["start"].astype("int64").tolist(), texts):
        ft = fold(t)
        years = list(_YEAR_RE.finditer(ft))
        if not years:
            continue
        doc_year = doc_dates[d].astype("datetime64[Y]").astype(int) + 1970
        cuts = [0]
        for b in _CLAUSE_BOUNDARY.finditer(ft):
            cuts.append(b.start())
        cuts.append(len(ft))
        cuts = np.asarray(sorted(set(cuts)), dtype="int64")
        best: dict[tuple[int, int], int] = {}
        for m in years:
            y = _year_of(m)
            if y > doc_year - min_gap_years:
                continue
            k = int(np.searchsorted(cuts, m.start(1), side="right")) - 1
            lo, hi = int(cuts[k]), int(cuts[min(k + 1, len(cuts) - 1)])
            best[(lo, hi)] = min(y, best.get((lo, hi), y))
        for (lo, hi), y in sorted(best.items()):
            rows["doc_id"].append(d)
            rows["start"].append(st + lo)
            rows["end"].append(st + hi)
            rows["date"].append(np.datetime64(f"{y:04d}-07-01", "D"))
    return pd.DataFrame({
        "doc_id": pd.array(rows["doc_id"], dtype="string"),
        "start": np.asarray(rows["start"], dtype="int64"),
        "end": np.asarray(rows["end"], dtype="int64"),
        "date": pd.to_datetime(np.asarray(rows["date"], dtype="datetime64[D]")).astype("datetime64[ns]"),
    })


def sentence_dates(sentences: pd.DataFrame, doc_dates: Mapping[str, np.datetime64], *,
                   min_gap_years: int = 2) -> np.ndarray:
    """The date each sentence is coded at.

    A sentence is coded at its document's date unless it names an earlier year after a
    temporal preposition ("in 1944", "since 2012") at least ``min_gap_years`` before
    the document's year; then it is coded at 1 July of the earliest such year.
    A summary per sentence only: :func:`mentions` applies the year to the clause that
    contains it (:func:`clause_dates`), not to the whole sentence.

    Returns
    -------
    numpy.ndarray of datetime64[D], aligned with ``sentences``.
    """
    texts = sentences["text"].astype(str).tolist() if "text" in sentences else [""] * len(sentences)
    ids = sentences["doc_id"].astype(str).tolist()
    out = np.empty(len(ids), dtype="datetime64[D]")
    for i, (d, t) in enumerate(zip(ids, texts)):
        day = doc_dates[d]
        out[i] = day
        years = [int(y) for y in _YEAR_RE.findall(fold(t))]
        if years:
            y = min(years)
            if y <= day.astype("datetime64[Y]").astype(int) + 1970 - min_gap_years:
                out[i] = np.datetime64(f"{y:04d}-07-01", "D")
    return out


def _doc_dates(docs: pd.DataFrame, gaz: Gazetteer) -> dict[str, np.datetime64]:
    ids = docs["doc_id"].astype(str).tolist()
    if "date" in docs:
        dates = pd.to_datetime(docs["date"], errors="coerce")
        vals = [gaz.reference_date if pd.isna(x) else np.datetime64(x.date(), "D") for x in dates]
    else:
        vals = [gaz.reference_date] * len(ids)
    return dict(zip(ids, vals))


def _locate(doc_ids: list[str], starts: np.ndarray, sentences: pd.DataFrame,
            segments: pd.DataFrame | None) -> tuple[np.ndarray, list[str]]:
    """sent_id and voice for (doc_id, start) positions: one vectorised searchsorted over
    (document code, offset) keys."""
    n = len(doc_ids)
    sent_id = np.full(n, -1, dtype="int32")
    voice = np.array(["author"] * n, dtype=object)
    if not n:
        return sent_id, voice.tolist()
    s_docs = sentences["doc_id"].astype(str).to_numpy()
    seg_docs = segments["doc_id"].astype(str).to_numpy() if segments is not None and len(segments) \
        else np.array([], dtype=object)
    codes, uniq = pd.factorize(np.concatenate([np.asarray(doc_ids, dtype=object), s_docs, seg_docs]))
    big = np.int64(1) << 40
    q = codes[:n].astype("int64") * big + np.asarray(starts, dtype="int64")
    if len(s_docs):
        sk = codes[n:n + len(s_docs)].astype("int64") * big + sentences["start"].to_numpy(dtype="int64")
        order = np.argsort(sk, kind="stable")
        sk = sk[order]
        pos = np.searchsorted(sk, q, side="right") - 1
        ok = (pos >= 0) & (sk[np.clip(pos, 0, None)] // big == q // big)
        sid = sentences["sent_id"].to_numpy()[order]
        sent_id = np.where(ok, sid[np.clip(pos, 0, None)], -1).astype("int32")
    if len(seg_docs):
        gk = codes[n + len(s_docs):].astype("int64") * big + segments["start"].to_numpy(dtype="int64")
        order = np.argsort(gk, kind="stable")
        gk = gk[order]
        pos = np.searchsorted(gk, q, side="right") - 1
        ok = (pos >= 0) & (gk[np.clip(pos, 0, None)] // big == q // big)
        vv = segments["voice"].astype(str).to_numpy()[order]
        voice = np.where(ok, vv[np.clip(pos, 0, None)], "author")
    return sent_id, list(voice)


#: Lower-case words allowed inside a capitalised multi-word name ("Republic of Serbia").
_NAME_STOPWORDS = frozenset({"the", "of", "and", "for", "in", "on", "a", "an", "de", "der",
                             "von", "van", "du", "la", "le", "al", "bin"})


def _title_words(phrase: str) -> bool:
    """True when every word of ``phrase`` but name particles is capitalised."""
    words = [w for w in phrase.split() if w.lower() not in _NAME_STOPWORDS]
    return bool(words) and all(not w[:1].isalpha() or w[:1].isupper() for w in words)


def _qualified(text: str, s: int, cand_ends: set[int], *, generic: bool) -> bool:
    """Is the name starting at ``s`` qualified by a preceding capitalised modifier that
    makes it another body ("Serbia's National Security Council")?

    The word before (same sentence, one space between) must be capitalised and not
    sentence-initial nor an article. For an ordinary name a modifier that is itself a
    gazetteer hit ending there ("Soviet Red Army") is allowed; a *generic* name
    ("Security Council", "Customs Union") is rejected after any capitalised word or
    any possessive ("Russia's Security Council", "the EU Customs Union").
    """
    if s < 2 or text[s - 1] != " ":
        return False
    j = s - 1
    i = j
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    word = text[i:j]
    if not word:
        return False
    possessive = word.endswith(("'s", "’s", "s'", "s’"))
    core = word.rstrip("'’s") if possessive else word
    if not core[:1].isupper() or core.lower() in {"the", "a", "an"}:
        return False
    k = i - 1
    while k >= 0 and text[k] == " ":
        k -= 1
    sentence_initial = k < 0 or text[k] in ".!?\n\"“”:;(‘'"
    if sentence_initial and not possessive:
        return False
    if generic:
        return True
    return not possessive and not any(e in cand_ends for e in (j, j - 2) if e > 0)


def _boundary_ok(text: str, s: int, e: int) -> bool:
    return (s == 0 or not text[s - 1].isalnum()) and (e >= len(text) or not text[e].isalnum())


def _case_ok(orig: str, case: str | None) -> bool:
    if case is None:
        return True
    if case == "upper":
        return orig.replace(".", "").replace("-", "").isupper()
    if case == "title":
        return _title_words(orig)
    return orig[:1].isupper()


def _find(text: str, gaz: Gazetteer, folded: str | None = None) -> list[tuple[int, int, Target]]:
    """Leftmost-longest, non-overlapping gazetteer hits in ``text`` (one automaton pass)."""
    folded = fold(text) if folded is None else folded
    cands = []
    for end, (n, t) in gaz.automaton.iter(folded):
        s, e = end - n + 1, end + 1
        if _boundary_ok(folded, s, e) and _case_ok(text[s:e], t.case) and \
                not (s >= 4 and folded[s - 4:s] in ("pro-", "nti-")):
            cands.append((s, -e, t))
    # capitalised names qualified by another proper modifier name another body
    ends = {-ne for _s, ne, _t in cands}
    cands = [c for c in cands if not (
        (c[2].generic or (c[2].case == "title" and c[2].person is None))
        and _qualified(text, c[0], ends, generic=c[2].generic))]
    cands.sort(key=lambda c: (c[0], c[1]))
    out, last = [], -1
    for s, ne, t in cands:
        if s >= last:
            out.append((s, -ne, t))
            last = -ne
    return out


def _empty_mentions() -> pd.DataFrame:
    cols = {**MENTION_COLUMNS, **MENTION_EXTRA_COLUMNS}
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})


# ---------------------------------------------------------------------- mentions
def mentions(docs: pd.DataFrame, *, sentences: pd.DataFrame, segments: pd.DataFrame | None = None,
             quotes: pd.DataFrame | None = None, gazetteer: Gazetteer | str | Path | None = None
             ) -> pd.DataFrame:
    """Actor mentions in each document, coded at the document's (or sentence's) date.

    Parameters
    ----------
    docs : DataFrame
        ``doc_id``, ``text`` and (optional) ``date``; undated documents are coded at the
        gazetteer's ``reference_date``.
    sentences : DataFrame, keyword-only
        The sentences table (``doc_id, sent_id, start, end`` [, ``text``]).
    segments : DataFrame, optional
        Voice segments; without them every mention has voice "author".
    quotes : DataFrame, optional
        Quotes with resolved ``speaker`` / ``speaker_start`` / ``speaker_end``: pronoun
        speakers ("he said") become mentions of the resolved person, and role phrases
        that are speakers ("The Serbian leader noted") are linked to that person.
    gazetteer : Gazetteer or path, optional
        Defaults to the built-in gazetteer.

    Returns
    -------
    DataFrame
        :data:`framelens.schema.MENTION_COLUMNS` (``doc_id, sent_id, start, end,
        surface, actor, role, blocs, voice``) plus ``root`` (country / organisation
        code), ``person`` (resolved person or empty) and ``ref_date`` (the date the
        mention was coded at). ``role`` "LOC" marks a capital used as a place, which
        takes part in no relation.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ["Moscow warned Kiev."], "date": [pd.NaT]})
    >>> s = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [0], "end": [19]})
    >>> mentions(d, sentences=s)["actor"].tolist()
    ['RUSGOV', 'UKRGOV']
    """
    for col in ("doc_id", "text"):
        if col not in docs:
            raise ValueError(f"docs needs a {col!r} column (got {list(docs.columns)})")
    for col in ("doc_id", "start"):
        if col not in sentences:
            raise ValueError(f"sentences needs a {col!r} column (the text.process table)")
    gaz = load_gazetteer(gazetteer) if not isinstance(gazetteer, Gazetteer) else gazetteer
    doc_dates = _doc_dates(docs, gaz)
    sents = sentences
    if "text" not in sents and len(sents):
        texts = dict(zip(docs["doc_id"].astype(str), docs["text"].astype(str)))
        sents = sents.assign(text=[texts[d][s:e] for d, s, e in zip(
            sents["doc_id"].astype(str), sents["start"], sents["end"])])
    cd = clause_dates(sents, doc_dates) if len(sents) else None
    clause_map: dict[str, list[tuple[int, int, np.datetime64]]] = {}
    if cd is not None:
        for d, lo, hi, day in zip(cd["doc_id"].astype(str).tolist(), cd["start"].tolist(),
                                  cd["end"].tolist(), cd["date"].to_numpy().astype("datetime64[D]")):
            clause_map.setdefault(d, []).append((lo, hi, day))

    speakers = _speaker_spans(quotes)
    rows: dict[str, list] = {k: [] for k in ("doc_id", "start", "end", "surface", "actor", "role",
                                             "blocs", "root", "person", "ref_date")}
    for doc_id, text in zip(docs["doc_id"].astype(str), docs["text"].astype(str)):
        folded = fold(text)
        hits = _find(text, gaz, folded)
        clauses = clause_map.get(doc_id, ())
        named_roots: set[str] = set()
        last_person: dict[str, list[tuple[str, str | None, str]]] = {}
        sp = speakers.get(doc_id, {})
        covered = set()
        for s, e, t in hits:
            doc_day = day = doc_dates[doc_id]
            for lo, hi, cday in clauses:
                if lo <= s < hi:
                    day = cday
                    break
            if day != doc_day and t.person and _titled_in_office(folded[s:e], t, doc_day):
                day = doc_day   # "Prime Minister Ana Brnabic" is the sitting PM
            if t.anaphor and (t.root or "") not in named_roots:
                continue        # "the alliance" before any NATO mention: not NATO
            root, role, office = gaz.resolve(t, day)
            named_roots.add(root)
            person = t.person
            if (t.metonym or (role == "STATE" and t.case == "cap" and not t.codes)) and (
                    _PLACE_BEFORE.search(folded[max(0, s - 40):s])
                    or (t.metonym and _NAME_AFTER.match(text, e))):
                role = "LOC"
            if person:
                last_person.setdefault(root, []).append((person, office, role))
            elif t.agent and t.agent in _PERSON_AGENTS and role == "GOV":
                person = _link_role(last_person.get(root, []), t.agent)
            if (s, e) in sp and not person:
                person = sp[(s, e)]
            covered.add((s, e))
            _append(rows, doc_id, s, e, text[s:e], root, role, gaz.blocs(root, day), person, day)
        # pronoun speakers resolved by the text layer
        for (s, e), name in sp.items():
            if (s, e) in covered or fold(text[s:e]).strip() not in _PRONOUNS:
                continue
            t = gaz.people.get(gaz.person_alias.get(fold(name), ""), None)
            if t is None:
                continue
            day = doc_dates[doc_id]
            root, role, _ = gaz.resolve(t, day)
            _append(rows, doc_id, s, e, text[s:e], root, role, gaz.blocs(root, day), t.person, day)
    if not rows["doc_id"]:
        return _empty_mentions()
    starts = np.asarray(rows["start"], dtype="int64")
    sent_id, voice = _locate(rows["doc_id"], starts, sentences, segments)
    out = pd.DataFrame({
        "doc_id": pd.array(rows["doc_id"], dtype="string"),
        "sent_id": sent_id.astype("int32"),
        "start": starts,
        "end": np.asarray(rows["end"], dtype="int64"),
        "surface": pd.array(rows["surface"], dtype="string"),
        "actor": pd.array(rows["actor"], dtype="string"),
        "role": pd.Categorical(rows["role"]),
        "blocs": pd.array(rows["blocs"], dtype="string"),
        "voice": pd.Categorical(voice, categories=["author", "quoted", "reported"]),
        "root": pd.array(rows["root"], dtype="string"),
        "person": pd.array(rows["person"], dtype="string"),
        "ref_date": pd.to_datetime(np.asarray(rows["ref_date"], dtype="datetime64[D]")
                                   ).astype("datetime64[ns]"),
    })
    return out.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def _append(rows, doc_id, s, e, surface, root, role, blocs, person, day):
    rows["doc_id"].append(doc_id)
    rows["start"].append(s)
    rows["end"].append(e)
    rows["surface"].append(surface)
    rows["actor"].append(actor_code(root, role) if role != "LOC" else root)
    rows["role"].append(role)
    rows["blocs"].append(blocs)
    rows["root"].append(root)
    rows["person"].append(person or "")
    rows["ref_date"].append(day)


def _titled_in_office(surface_folded: str, t: Target, day: np.datetime64) -> bool:
    """Does the mention's own title name an office ``t`` holds on ``day``?"""
    for o in t.offices:
        if o.covers(day) and re.search(rf"\b{re.escape(o.value)}\b", surface_folded):
            return True
    return False


def _link_role(previous: list[tuple[str, str | None, str]], agent: str) -> str | None:
    """Last person of the same root whose office matches ``agent`` (a generic agent such
    as "leader" takes the last person in government)."""
    for person, office, role in reversed(previous):
        if office and office == agent:
            return person
    if agent in _GENERIC_PERSON_AGENTS:
        for person, _office, role in reversed(previous):
            if role == "GOV":
                return person
    return None


def _speaker_spans(quotes: pd.DataFrame | None) -> dict[str, dict[tuple[int, int], str]]:
    out: dict[str, dict[tuple[int, int], str]] = {}
    if quotes is None or not len(quotes) or "speaker_start" not in quotes:
        return out
    q = quotes[quotes["speaker_start"].notna() & quotes["speaker"].notna()]
    for d, s, e, name in zip(q["doc_id"].astype(str), q["speaker_start"], q["speaker_end"],
                             q["speaker"].astype(str)):
        if name:
            out.setdefault(d, {})[(int(s), int(e))] = name
    return out


def speaker_actors(quotes: pd.DataFrame, docs: pd.DataFrame, *, mentions: pd.DataFrame | None = None,
                   gazetteer: Gazetteer | str | Path | None = None) -> pd.Series:
    """Actor code of each quote's speaker.

    The speaker span's mention wins (it was coded in context), or else a mention that
    contains the span (speaker "Ursula von der Leyen" inside "European Commission
    President Ursula von der Leyen"); otherwise the resolved ``speaker`` name is looked
    up as a person or a gazetteer phrase at the document's date, possessives read as
    modifiers ("Russia's ambassador" = "Russia ambassador" -> RUSGOV), and finally the
    first gazetteer hit inside the name. Institution speakers ("European Commission",
    "U.S. embassy", "Western diplomats") are gazetteer phrases. Unknown speakers
    (including every person not in the gazetteer) get ``<NA>``.

    Returns
    -------
    pandas.Series of string, aligned with ``quotes``.
    """
    gaz = load_gazetteer(gazetteer) if not isinstance(gazetteer, Gazetteer) else gazetteer
    if not len(quotes):
        return pd.Series(pd.array([], dtype="string"), index=quotes.index)
    dates = _doc_dates(docs, gaz)
    by_span = {}
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    if mentions is not None and len(mentions):
        for d, s, e, a in zip(mentions["doc_id"].astype(str), mentions["start"],
                              mentions["end"], mentions["actor"].astype(str)):
            by_span[(d, int(s), int(e))] = a
            by_doc.setdefault(d, []).append((int(s), int(e), a))
    out = []
    has_span = "speaker_start" in quotes
    ss = quotes["speaker_start"].tolist() if has_span else [None] * len(quotes)
    se = quotes["speaker_end"].tolist() if has_span else [None] * len(quotes)
    for i, (d, name) in enumerate(zip(quotes["doc_id"].astype(str), quotes["speaker"].tolist())):
        code = None
        s, e = ss[i], se[i]
        if s is not None and pd.notna(s):
            code = by_span.get((d, int(s), int(e)))
            if code is None:
                code = next((a for ms, me, a in by_doc.get(d, ())
                             if ms <= int(s) and int(e) <= me), None)
        if code is None and isinstance(name, str) and name:
            code = gaz.code(name, dates.get(d))
            if code is None:
                code = gaz.code(re.sub(r"['\u2019]s\b", "", name), dates.get(d))
            if code is None:
                hits = _find(name, gaz)
                if hits:
                    root, role, _ = gaz.resolve(hits[0][2], dates.get(d, gaz.reference_date))
                    code = actor_code(root, role)
        out.append(code)
    return pd.Series(pd.array(out, dtype="string"), index=quotes.index)


def step(tables: Mapping[str, pd.DataFrame], *, gazetteer: str | Path | None = None,
         extend: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Pipeline step: ``mentions`` and ``quotes`` with ``speaker_actor`` filled.

    Parameters
    ----------
    tables : mapping
        Needs ``docs`` and ``sentences``; uses ``segments`` and ``quotes`` when present.
    gazetteer : path, optional
        A gazetteer replacing the built-in one (``Config.gazetteer``).
    extend : path, optional
        A gazetteer file merged into the base (see :func:`load_gazetteer`).
    """
    gaz = load_gazetteer(gazetteer, extend=extend)
    docs = tables["docs"]
    quotes = tables.get("quotes")
    m = mentions(docs, sentences=tables["sentences"], segments=tables.get("segments"),
                 quotes=quotes, gazetteer=gaz)
    out = {"mentions": m}
    if quotes is not None:
        q = quotes.copy()
        q["speaker_actor"] = speaker_actors(quotes, docs, mentions=m, gazetteer=gaz)
        out["quotes"] = q
    return out
