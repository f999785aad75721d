"""Speakers: subject finding before a reporting verb and coreference of person mentions."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .words import (
    INST_LINKS,
    INST_SET,
    LEADER_TITLES,
    ORG_WORDS,
    PARTICLES,
    ROLE_HEADS,
    STOP_CAPS,
    TITLE_SET,
)

log = logging.getLogger(__name__)


@dataclass
class _Entity:
    name: list[str]
    nats: set = field(default_factory=set)
    titles: set = field(default_factory=set)
    person: bool = False


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    surface: str
    kind: str  # name | role | pron | other
    subject: bool = False
    sent: int = 0
    name: list[str] | None = None  # name tokens (kind name)
    nats: tuple = ()
    titles: tuple = ()
    head: str = ""
    person: bool = False
    entity: _Entity | None = None
    fallback: str | None = None  # speaker string when unresolved


def _stem(s: str) -> str:
    s = s.lower().replace("\u2019", "'")
    if s.endswith("'s"):
        s = s[:-2]
    s = s.replace(".", "")
    for suf in ("ian", "ese", "ish", "an", "i", "a", "e"):
        if s.endswith(suf) and len(s) - len(suf) >= 3:
            return s[: -len(suf)]
    return s


def _nat_match(a: str, b: str) -> bool:
    a2, b2 = a.lower().replace(".", ""), b.lower().replace(".", "")
    if a2 == b2:
        return True
    if min(len(a2), len(b2)) >= 4 and (a2.startswith(b2) or b2.startswith(a2)):
        return True
    sa, sb = _stem(a), _stem(b)
    return min(len(sa), len(sb)) >= 4 and (sa.startswith(sb) or sb.startswith(sa))


def _is_name_part(toks: Sequence[str], i: int) -> bool:
    """Whether the lower-case ``toks[i]`` is a name particle ("von der Leyen") or an
    "al-"/"el-" name word, i.e. continues into a capitalised name word."""
    t = toks[i]
    if t[:3] in ("al-", "el-") and t[3:4].isupper():
        return True
    j = i
    while j < len(toks) and toks[j] in PARTICLES:
        j += 1
    return (
        j > i and j < len(toks) and j - i <= 2 and (toks[j][:1].isupper() or _is_name_part(toks, j))
    )


def parse_named(surface: str) -> tuple[list[str], tuple, tuple, bool]:
    """Split a capitalised run into (name tokens, nationality words, titles, is_person)."""
    toks = surface.split()
    if toks and toks[0].lower() == "the":
        toks = toks[1:]
    # title words and lower-case descriptors ("pensioner", "energy analyst")
    n = len(toks)
    # an institution ("Balkan Energy Observatory", "Institute for Slavic Studies"): the
    # whole run is its name, no titles, never a person
    if n and toks[-1].lower().rstrip(".") in INST_SET and not toks[-1].endswith(("'s", "\u2019s")):
        return toks, (), (), False
    # title words, lower-case descriptors ("pensioner", "energy analyst") and institution
    # heads before a name ("Institute director Branka Ostojic") precede the name; name
    # particles followed by a name word ("von der Leyen") are part of it
    idx = [
        i
        for i, t in enumerate(toks)
        if (
            t.lower() in TITLE_SET
            or t.lower() in INST_SET
            or (t[:1].islower() and not _is_name_part(toks, i))
        )
    ]
    if idx:
        first, last = idx[0], idx[-1]
        nats = tuple(t for t in toks[:first] if t.lower() not in STOP_CAPS)
        titles = tuple(t.lower() for t in toks[first : last + 1])
        name = toks[last + 1 :]
    else:
        nats, titles, name = (), (), toks
    name = [t[:-2] if t.endswith(("'s", "\u2019s")) else t for t in name]
    is_org = any(t.lower() in ORG_WORDS for t in name)
    person = bool(name) and not is_org and (bool(titles) or len(name) >= 2)
    return name, nats, titles, person


#: Role nouns and pronouns look back over at most this many resolved mentions.
_LOOKBACK = 200


class Resolver:
    """Resolve mentions, in text order, to entities (see the module docstring)."""

    def __init__(self) -> None:
        self.by_surname: dict[str, list[_Entity]] = {}  # most recently mentioned last
        self.history: list[tuple[Mention, _Entity]] = []  # resolved mentions in order

    def _find_name(self, name: list[str]) -> _Entity | None:
        for ent in reversed(self.by_surname.get(name[-1], ())):
            en = ent.name
            if (
                len(name) == 1
                or len(en) == 1
                or en[0] == name[0]
                or (
                    name[0].lower() in PARTICLES
                    and len(en) > len(name)
                    and [x.lower() for x in en[-len(name) :]] == [x.lower() for x in name]
                )
            ):
                return ent
        return None

    def _touch(self, ent: _Entity) -> None:
        lst = self.by_surname.setdefault(ent.name[-1], [])
        if lst and lst[-1] is ent:
            return
        if ent in lst:
            lst.remove(ent)
        lst.append(ent)

    def resolve(self, m: Mention) -> None:
        ent = None
        if m.kind == "name" and m.name:
            ent = self._find_name(m.name)
            if ent is None:
                ent = _Entity(list(m.name))
            elif len(m.name) > len(ent.name):
                ent.name = list(m.name)
            ent.nats.update(m.nats)
            ent.titles.update(m.titles)
            ent.person = ent.person or m.person
        elif m.kind == "role":
            for _prev, e in reversed(self.history[-_LOOKBACK:]):
                if not e.person:
                    continue
                if m.nats and not any(_nat_match(a, b) for a in m.nats for b in e.nats):
                    continue
                if m.head == "leader":
                    if not (e.titles & LEADER_TITLES):
                        continue
                elif not any(m.head in t or t in m.head.split() for t in e.titles):
                    continue
                ent = e
                break
        elif m.kind == "pron" and m.surface.lower() in ("he", "she"):
            for prev, e in reversed(self.history[-_LOOKBACK:]):
                if prev.sent < m.sent - 2:
                    break
                if e.person and prev.subject:
                    ent = e
                    break
            if ent is None:
                for _prev, e in reversed(self.history[-_LOOKBACK:]):
                    if e.person:
                        ent = e
                        break
        m.entity = ent
        if ent is not None:
            self.history.append((m, ent))
            self._touch(ent)


def speaker_of(m: Mention | None) -> str | None:
    if m is None:
        return None
    if m.entity is not None:
        return " ".join(m.entity.name)
    return m.fallback


_AUX_WORDS = frozenset(
    """
has have had will would could should can may might must did does do also then later
earlier again once often previously recently reportedly repeatedly further still already
now first today yesterday not never
""".split()
)


_DETS = frozenset(
    {"the", "The", "his", "His", "her", "Her", "their", "Their", "its", "Its", "a", "A", "an", "An"}
)


_PREPS = frozenset(
    """in at from to with for on by of across over under about after before
between against during without within into through near like than as among via""".split()
)


_FUNCTION_WORDS = _PREPS | frozenset(
    """and or but nor yet so that which who whom whose when
while where if because although though since the a an this these those is are was were be
been being has have had do does did will would can could should may might must not no
it its he she they we you i his her their our my your said says say told""".split()
)


_MOD_STOP = frozenset("the a an of with and to in on that for by at from who which".split())


HEAD_SET = frozenset(h for h in ROLE_HEADS if " " not in h)


_BARE_SET = frozenset(
    """officials sources analysts experts observers diplomats critics
residents witnesses lawmakers protesters""".split()
)


_PRON_WORDS = frozenset({"he", "she", "they", "He", "She", "They"})


_APPOS_START = frozenset({"a", "an", "the", "who", "whose"})


_OF_LINKS = frozenset({"of", "the", "for", "and", "on", "de", "in"})


_WORD_RE = re.compile(r"\S+")


def _is_cap(w: str) -> bool:
    return (w[:1].isupper() or (w[:3] in ("al-", "el-") and w[3:4].isupper())) and not w.endswith(
        (",", ";", ":")
    )


def subject_before(text: str, lo: int, vs: int) -> tuple[int, int, str] | None:
    """The subject of a reporting verb at ``vs``: ``(start, end, kind)`` or None.

    Walks back over the words of ``text[lo:vs]``: auxiliaries and adverbs ("has
    recently"), an appositive (", a spokesman for the Kremlin,"), then a pronoun
    (he/she/they), a role noun phrase (determiner + up to three modifiers + a role
    head: "The Serbian leader"), a bare plural source ("officials", "Western
    diplomats") or a run of up to seven capitalised words ("Serbian President
    Aleksandar Vucic", optionally after "the").
    """
    # long: one ordered cascade of subject rules (pronoun, role phrase, plural, name run) walking
    #  back over the same word list
    spans = [m.span() for m in _WORD_RE.finditer(text, lo, vs)]
    if not spans or spans[-1][1] == vs:  # the verb must follow a space
        return None
    words = [text[a:b] for a, b in spans]
    i = len(words) - 1
    while i >= 0 and (
        words[i] in _AUX_WORDS
        or (
            len(words[i]) > 3
            and words[i].endswith("ly")
            and words[i].isalpha()
            and words[i].islower()
        )
    ):
        i -= 1
    if i < 0:
        return None
    if words[i].endswith(","):
        # "Name, a spokesman for X, said" (appositive after the name) or
        # "Russia's ambassador, Alexander Botsan-Kharchenko, said" (the name is the
        # appositive): the subject is the name before the comma-phrase, else the name.
        j = i
        while j > 0 and i - j < 16:
            if words[j - 1].endswith(",") and (words[j][:1].islower() or words[j] in _APPOS_START):
                break
            j -= 1
        else:
            j = 0
        if j > 0:
            i = j - 1
        words[i] = words[i][:-1]
        spans[i] = (spans[i][0], spans[i][1] - 1)
        if not words[i]:
            return None
    w = words[i]
    end = spans[i][1]
    if w in _PRON_WORDS:
        return spans[i][0], end, "pron"
    low = w.lower()
    head = (
        low
        if low in HEAD_SET
        else (low[:-1] if low.endswith("s") and low[:-1] in HEAD_SET else None)
    )
    if head is not None:
        j = i - 1
        while j >= 0 and i - j <= 4:
            wj = words[j]
            if wj in _DETS or (wj[:1].isupper() and wj.endswith(("'s", "\u2019s"))):
                return spans[j][0], end, "role"
            if wj.lower() in _MOD_STOP or wj.endswith(","):
                break
            j -= 1
    if low in _BARE_SET:
        start = spans[i - 1][0] if i > 0 and _is_cap(words[i - 1]) else spans[i][0]
        return start, end, "other"
    if _is_cap(w) and not w.endswith(".") and not w.endswith(("'s", "\u2019s")):
        # (a possessive is no subject: "Mr. Vulin's remarks as proof" -- a noun "remarks")
        j = i
        while (
            j > 0
            and i - j < 6
            and (
                _is_cap(words[j - 1]) or (words[j - 1] in PARTICLES and _is_name_part(words, j - 1))
            )
        ):
            j -= 1  # "Ursula von der Leyen": particles kept
        while j < i and words[j].lower() in STOP_CAPS and words[j] not in ("The", "the"):
            j += 1  # "Such Vucic" -> "Vucic"; "Such" -> none
        if j < i and words[j] in ("The", "the"):
            j += 1  # "The European Union": "the" re-added below
        if words[j].lower() in STOP_CAPS:
            return None
        if j > 0 and words[j - 1] in ("the", "The"):
            j -= 1
        # "Stefan Ilic of the Balkan Energy Observatory said": the person before "of"
        # (not a title: "Minister of Foreign Affairs Ivica Dacic" is one subject)
        k, steps = j - 1, 0
        while k > 0 and steps < 8 and (_is_cap(words[k]) or words[k] in _OF_LINKS):
            if (
                words[k] == "of"
                and _is_cap(words[k - 1])
                and not words[k - 1].endswith(".")
                and words[k - 1].lower() not in TITLE_SET
                and words[k - 1].lower() not in INST_SET
            ):
                i2 = k - 1
                j2 = i2
                while (
                    j2 > 0
                    and i2 - j2 < 6
                    and (
                        _is_cap(words[j2 - 1])
                        or (words[j2 - 1] in PARTICLES and _is_name_part(words, j2 - 1))
                    )
                ):
                    j2 -= 1
                return spans[j2][0], spans[i2][1], "name"
            k -= 1
            steps += 1
        # "The Institute for Slavic Studies said", "the Centre for Climate Change said",
        # "Commissioner for Regional Policy Elisa Ferreira said": the whole name, not
        # the run after the last link word, when a title or institution head precedes it
        k = _institution_start(words, j)
        if k is not None:
            if k > 0 and words[k - 1] in ("the", "The"):
                k -= 1
            return spans[k][0], end, "name"
        if j > 0 and words[j - 1] in _PREPS:  # "polls in Serbia show": not the subject
            # "The U.S. embassy in Belgrade said": a role before a place
            return _located_subject(text, lo, spans, words, j - 1)
        # lower-case descriptors before a name: "pensioner Marko Jovanovic",
        # "Kremlin spokesman Dmitry Peskov", "an energy analyst Stefan Ilic"
        k = j
        while (
            k > 0
            and j - k < 3
            and words[k - 1].islower()
            and words[k - 1].replace("-", "").isalpha()
            and words[k - 1] not in _FUNCTION_WORDS
        ):
            k -= 1
        if k < j and k > 0 and _is_cap(words[k - 1]) and any(x in TITLE_SET for x in words[k:j]):
            k -= 1
        if k < j and k > 0 and words[k - 1] in ("a", "an", "the", "A", "An", "The"):
            k -= 1
        return spans[k][0], end, "name"
    # "Western diplomats at the conference alleged": a role before a short place phrase
    for p in range(i - 1, max(i - 4, 0), -1):
        if words[p] in ("in", "at"):
            return _located_subject(text, lo, spans, words, p)
        if words[p].endswith(",") or words[p] in _FUNCTION_WORDS and words[p] not in _DETS:
            break
    return None


def _institution_start(words: list[str], j: int) -> int | None:
    """Start of an institution name that ends with the capitalised run at ``words[j]``.

    Walks back over link words (for/of/on/and/the/de) and capitalised words; returns the
    first capitalised word when the added part holds a title or institution head
    ("Institute", "Centre", "Commissioner"), else None.
    """
    if j == 0 or words[j - 1] not in INST_LINKS or words[j] in ("the", "The"):
        return None
    k, steps = j, 0
    while k > 0 and steps < 10 and (words[k - 1] in INST_LINKS or _is_cap(words[k - 1])):
        k -= 1
        steps += 1
    while k < j and (words[k] in INST_LINKS or words[k].lower() in STOP_CAPS):
        k += 1
    if k >= j:
        return None
    if any(_is_cap(x) and (x.lower() in INST_SET or x.lower() in TITLE_SET) for x in words[k:j]):
        return k
    return None


def _located_subject(
    text: str, lo: int, spans: list, words: list[str], p: int
) -> tuple[int, int, str] | None:
    """A role or bare-plural subject before the preposition ``words[p]`` ("in"/"at").

    "The U.S. embassy in Belgrade said" -> "The U.S. embassy"; "officials in Brussels
    said" -> "officials"; "polls in Serbia show" -> None (no role head).
    """
    if p == 0 or words[p] not in ("in", "at"):
        return None
    found = subject_before(text, lo, spans[p][0])
    if found is not None and found[2] in ("role", "other"):
        return found
    return None
