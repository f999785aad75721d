"""Speakers as entities: one ``speaker_id`` per person per document, with a type.

Person mentions
    Runs of one to four capitalised words, initials kept ("G.K. Butterfield"), after
    an optional honorific (Mr., Mrs., Ms., Dr., Sen., Rep., Gov., Gen., Rev.). A run is
    a person when (a) it has two or more words and its first word is a first name
    known to ``gender-guesser`` (any answer but ``unknown``), (b) an honorific or a
    title word precedes it, or (c) its last word is the surname of a person already
    seen in the document. Words up to the last title or function word inside the run
    are left out of the name ("U.S. President Donald Trump" -> "Donald Trump", titled);
    a sentence-initial first word that is no known first name is dropped ("Neither
    Trump"); runs of capitals only (acronyms: "IT", "US") are no persons, nor is a run
    that only a preceding title word makes a person when a lower-case title word follows
    it ("former *New Jersey* governor": a modifier). Capitals and letters include the
    accented Latin ones ("Felipe Calderón").
Entities
    Keyed by surname within a document (a suffix Jr./Sr./II/III kept apart): a mention
    with a first name joins the entity with that surname and the same or no first
    name; a surname alone ("Trump", "Mr. Trump") joins the most recent entity with
    that surname. The entity's name is its longest form ("Donald Trump"); its
    ``speaker_id`` is ``person:`` + its first and last name words in lower case
    (middle names and initials left out), so the same name is one id across the
    corpus.
Gender and number
    ``gender-guesser`` on the first name (male / mostly_male -> m, female /
    mostly_female -> f), else the honorific (Mr. -> m; Mrs., Ms. -> f), else unknown.
Sources
    A named source is the person entity its span overlaps. Otherwise its type comes
    from its head word (:func:`source_type`): ``document`` (report, poll, statement,
    ...), ``organisation`` (campaign, committee, Pentagon, a capitalised name that is
    not a person, ...), ``group`` (a plural: officials, voters), else ``role``
    ("the Republican nominee"). A role phrase links to the most recent person whose
    mentions were introduced with the same role word ("Republican nominee Donald
    Trump"), else it stays a role with its own words.
Pronouns
    he/him -> the most recent named speaker within 600 characters that is m or of
    unknown gender -- a person, a role phrase ("the spokesman") or a bare capitalised
    surname the article gives no first name for and never writes in lower case ("Cruz",
    typed ``organisation``) -- else
    the most recent m person mention within 600 characters, then the same allowing an
    unknown gender, else the most recent m-or-unknown person mention; she/her likewise
    with f;
    I/me/we/us inside the content of another attribution -> that attribution's
    speaker (nested speech); they/them/we/us -> the most recent preceding source that
    is a group or organisation. An unresolved pronoun gets no speaker: pronouns never
    become speakers, camps or ranked sources (``speaker_surface`` keeps the word).

Examples
--------
>>> t = "Donald Trump spoke. Mr. Trump said it. He said more."
>>> rows = [{"source": (20, 29)}, {"source": (39, 41)}]
>>> for r in resolve_speakers(t, rows):
...     print(r["speaker"], r["speaker_id"], r["speaker_type"])
Donald Trump person:donald trump person
Donald Trump person:donald trump person
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

from .words import INSTITUTION_HEADS

__all__ = [
    "person_mentions",
    "mentions_of",
    "source_type",
    "resolve_speakers",
    "gender_of",
    "SPEAKER_TYPES",
]

#: Types of ``quotes.speaker_type``.
SPEAKER_TYPES = ("person", "role", "group", "organisation", "document")
_HON_M = frozenset({"mr"})
_HON_F = frozenset({"mrs", "ms", "miss"})
_ROLE_WORDS = frozenset(
    """sen senator gov governor rep representative president candidate nominee congressman
congresswoman chairman chairwoman director spokesman spokeswoman spokesperson adviser
advisor secretary speaker mayor judge gen general rev dr former vice manager strategist
lawyer attorney host analyst official aide leader chief minister ambassador businessman
billionaire pollster economist professor founder ceo chair treasurer commissioner""".split()
)
#: Titles a bare "leader" refers to ("the Serbian leader" -> "Serbian President ...").
_LEADERS = frozenset({"president", "prime", "premier", "chancellor", "king", "queen", "leader"})
_SUFFIX = frozenset({"jr", "sr", "ii", "iii", "iv"})
_CAP = r"[A-Z\u00c0-\u00d6\u00d8-\u00de](?:[^\W\d_]|['\u2019\-])+"
_RUN = re.compile(
    rf"(?=[A-Z\u00c0-\u00d6\u00d8-\u00de])(?:(?P<hon>Mr|Mrs|Ms|Dr|Sen|Gov|Rep|Gen|Rev)\.?\s+)?"
    rf"(?P<name>(?:[A-Z]\.\s?){{0,3}}{_CAP}(?:\s+[A-Z]\.)?(?:\s+{_CAP}){{0,3}}"
    rf"(?:,?\s+(?:Jr|Sr)\.?)?)"
)
_STOP = frozenset(
    """The A An In On At For But And Or If When While After Before As This That These Those
It He She They We I You His Her Their Our My Your There Here What Who Why How Where Mr Mrs
Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
May June July August September October November December Republican Democrat Democratic
Republicans Democrats American Americans Although However Because Since Though Gov Sen Rep
Gen Rev Lt Col Sgt Capt President Senator Governor Secretary Former Vice GOP Sens Reps""".split()
)
_DOCUMENT_HEADS = frozenset(
    """report reports poll polls survey surveys study studies statement statements filing
filings letter memo memos document documents analysis data records record email emails
complaint lawsuit indictment ruling book article articles tweet tweets post ad ads release
transcript review audit estimate estimates numbers figures website video interview
research release platform""".split()
)
_ORG_HEADS = frozenset(
    """campaign campaigns committee department agency administration party company office
court group network team union council ministry government board commission bureau
institute foundation association coalition pac organization organisation newspaper
magazine times post journal house senate congress pentagon fbi cia gop dnc rnc police
firm bank fund center centre university school""".split()
)
#: Months that are also surnames after a first name ("Theresa May", "Brian June").
_MONTH_NAMES = frozenset({"May", "June", "April", "August"})
#: Last words that make a capitalised run no person name.
_NON_PERSON_HEADS = _ORG_HEADS | _DOCUMENT_HEADS | frozenset(INSTITUTION_HEADS)
PRONOUN_SOURCES = frozenset("i we you he she they it me us him her them".split())
#: Characters back from a pronoun within which its antecedent is looked for.
_WINDOW = 600
_SING = {"he": "m", "him": "m", "she": "f", "her": "f"}
_FIRST = frozenset({"i", "me", "we", "us"})
_PLURAL = frozenset({"they", "them", "we", "us"})
_WORD = re.compile(r"[\w'\u2019.\-]+")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_BARE_NAME = re.compile(r"[A-Z][a-z'\u2019\-]+")
_HEAD_CUT = re.compile(r",|\(|\s(?:of|for|at|from|with|in|who|which|that)\s")
#: Endings of nouns for people ("spokesman", "voter", "activist", "resident").
_PERSON_SUFFIXES = ("man", "woman", "er", "or", "ist", "ian", "ent", "ant", "ee")
_KIN = frozenset("mother father wife husband son daughter friend".split())


@functools.lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as gg

    return gg.Detector(case_sensitive=False)


@functools.lru_cache(maxsize=65536)
def gender_of(first: str) -> str | None:
    """``"m"``, ``"f"`` or None for a first name, from ``gender-guesser``.

    Examples
    --------
    >>> gender_of("Hillary"), gender_of("Donald"), gender_of("Xqzt")
    ('f', 'm', None)
    """
    g = _detector().get_gender(first)
    return "m" if g == "male" else ("f" if g == "female" else None)


@functools.lru_cache(maxsize=65536)
def _known_first(first: str) -> bool:
    return _detector().get_gender(first) != "unknown"


@functools.lru_cache(maxsize=65536)
def _clean_words(name: str) -> tuple[tuple[str, ...], str]:
    """Name words after the last title or function word, and that title word (cached:
    the same names recur across a corpus)."""
    return _split_name(name)[:2]


@functools.lru_cache(maxsize=65536)
def _split_name(name: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """:func:`_clean_words` and the lower-case words cut off before the name
    ("Serbian President Aleksandar Vucic" -> ("serbian", "president"))."""
    raw = [w for w in name.replace(",", " ").split() if w.strip(".")]
    poss = [i for i, w in enumerate(raw) if w.endswith(("'s", "\u2019s"))]
    if poss and 1 <= poss[0] < len(raw) - 1 and _known_first(raw[0]):
        raw = raw[: poss[0] + 1]  # "Louis Farrakhan's Saviours' Day" -> Louis Farrakhan
    words = [w[:-2] if w.endswith(("'s", "\u2019s")) else w for w in raw]
    words = [w for w in words if w.strip(".")]
    cut, role = 0, ""
    for i, w in enumerate(words[:-1]):
        low = w.rstrip(".").lower()
        if w.rstrip(".") in _STOP or low in _ROLE_WORDS:
            cut = i + 1
            role = low if low in _ROLE_WORDS else role
    last = words[-1].rstrip(".") if words else ""
    if last in _STOP and not (last in _MONTH_NAMES and len(words) - cut >= 2):
        return (), role, ()  # "Theresa May" is a name, "in May" is not
    return tuple(words[cut:]), role, tuple(w.rstrip(".").lower() for w in words[:cut])


@functools.lru_cache(maxsize=65536)
def _name_parts(cleaned: tuple[str, ...]) -> tuple[list, str, list] | None:
    """Words, suffix (jr, sr, ii ...) and the words without initials of a cleaned name,
    or None for an empty name or one of capitals only (an acronym). Cached: read the
    lists, do not change them."""
    if not cleaned or all(w.isupper() for w in cleaned):
        return None
    words = list(cleaned)
    suffix = ""
    if len(words) > 1 and words[-1].rstrip(".").lower() in _SUFFIX:
        suffix = words.pop().rstrip(".").lower()
    core = [w for w in words if not _INITIALS.fullmatch(w)] or words
    return words, suffix, core


@functools.lru_cache(maxsize=4)
def person_mentions(text: str) -> tuple[list[dict], list[dict]]:
    """Person mentions and the document's person entities (module docstring).

    Cached for the last few texts (the model path resolves a document's speakers in
    more than one pass): the returned lists are shared, read them, do not change them.

    Returns
    -------
    mentions : list of dict
        ``start``, ``end``, ``ent`` (index into entities), ``role`` (the title word
        before it, or "").
    entities : list of dict
        ``name``, ``first``, ``surname``, ``suffix``, ``gender``, ``roles`` (set).

    Examples
    --------
    >>> m, e = person_mentions("Rep. G.K. Butterfield spoke; Butterfield left.")
    >>> [x["name"] for x in e], len(m)
    (['G.K. Butterfield'], 2)
    """
    # long: one pass over the capitalised runs, each rule of the module docstring in turn
    ents: list[dict] = []
    ments: list[dict] = []
    by_surname: dict[str, list[int]] = {}
    for m in _RUN.finditer(text):
        cleaned, inner_role, cut_words = _split_name(m.group("name"))
        parts = _name_parts(cleaned)
        if parts is None:  # acronyms are no persons
            continue
        words, suffix, core = parts
        hon = (m.group("hon") or "").lower()
        prev = text[max(0, m.start() - 30) : m.start()].split()
        role = inner_role or (prev[-1].rstrip(".,").lower() if prev else "")
        if len(words) == 2 and not (inner_role or hon) and not _known_first(words[0]):
            ns = m.start("name")
            before = text[max(0, ns - 3) : ns].rstrip(" ")
            if not before or before[-1] in '.!?\n"\u201d\u201c':  # sentence-initial word
                words = words[1:]
                core = [w for w in words if not _INITIALS.fullmatch(w)] or words
        titled = bool(hon) or role in _ROLE_WORDS
        surname = core[-1].rstrip(".").lower()
        if surname in _NON_PERSON_HEADS:  # "Edison Research", "Brookings Institute"
            continue
        first = core[0] if len(core) >= 2 else None
        if not ((first and _known_first(first)) or titled or surname in by_surname):
            continue
        if not (hon or (first and _known_first(first)) or surname in by_surname):
            nxt = text[m.end() : m.end() + 30].split()
            if nxt and nxt[0][:1].islower() and nxt[0].strip(".,").lower() in _ROLE_WORDS:
                continue  # "former New Jersey governor": a modifier of a title, no name
        gender = "m" if hon in _HON_M else ("f" if hon in _HON_F else None)
        gender = gender or (gender_of(first) if first else None)
        cands = by_surname.get(surname, [])
        ei = None
        if first:
            fl = first.lower()
            ei = next(
                (
                    c
                    for c in reversed(cands)
                    if ents[c]["suffix"] == suffix and ents[c]["first"] in (None, fl)
                ),
                None,
            )
        elif cands:
            ei = cands[-1]
        form = " ".join(words)
        if ei is None:
            ei = len(ents)
            ents.append(
                {"name": form, "first": first.lower() if first else None, "surname": surname}
                | {"suffix": suffix, "gender": gender, "roles": set(), "descr": set()}
            )
            by_surname.setdefault(surname, []).append(ei)
        else:
            e = ents[ei]
            e["first"] = e["first"] or (first.lower() if first else None)
            e["gender"] = e["gender"] or gender
            if len(form) > len(e["name"]):
                e["name"] = form
            by_surname[surname].remove(ei)
            by_surname[surname].append(ei)
        if role in _ROLE_WORDS:
            ents[ei]["roles"].add(role)
        ents[ei]["descr"].update(cut_words)
        ents[ei]["descr"].update(w.strip(".,()").lower() for w in prev[-3:])
        ments.append({"start": m.start(), "end": m.end(), "ent": ei, "role": role})
    return ments, ents


@functools.lru_cache(maxsize=4)
def _lower_words(text: str) -> frozenset:
    """Words the text also writes in lower case (common words, whatever their case)."""
    return frozenset(re.findall(r"(?<![\w'\u2019])[a-z][a-z'\u2019\-]*", text))


def mentions_of(text: str, memo: dict | None) -> tuple[list[dict], list[dict]]:
    """:func:`person_mentions` of ``text`` through ``memo`` (a dict keyed by text, or
    None for the function's own cache).

    Examples
    --------
    >>> memo = {}
    >>> mentions_of("Kim Lee spoke.", memo) is mentions_of("Kim Lee spoke.", memo)
    True
    """
    if memo is None:
        return person_mentions(text)
    got = memo.get(text)
    if got is None:
        got = memo[text] = person_mentions(text)
    return got


def source_type(surface: str) -> str:
    """Type of a source that is no person name (module docstring).

    Examples
    --------
    >>> [source_type(s) for s in ("a new poll", "the Clinton campaign", "officials",
    ...                           "the Republican nominee", "Goldman Sachs")]
    ['document', 'organisation', 'group', 'role', 'organisation']
    """
    words = [w.strip(".,'\u2019").lower() for w in _WORD.findall(surface)]
    words = [re.sub(r"['\u2019]s$", "", w) for w in words if w]
    if not words:
        return "role"
    cut = re.split(r",|\(|\s(?:of|for|at|from|with|in|who|which|that)\s", surface, maxsplit=1)[0]
    cw = [w.strip(".,").lower() for w in _WORD.findall(cut)] or words
    head = cw[-1]
    if head in _DOCUMENT_HEADS or head.rstrip("s") in _DOCUMENT_HEADS:
        return "document"
    if head in _ORG_HEADS:
        return "organisation"
    caps = [w for w in _WORD.findall(cut) if w[:1].isupper()]
    if caps and len(caps) == len(_WORD.findall(cut)) and head not in _ROLE_WORDS:
        return "organisation"
    if head.endswith("s") and head not in _ROLE_WORDS and len(head) > 3 and not head.endswith("ss"):
        return "group"
    return "role"


def _role_matches(surface: str, ent: dict) -> bool:
    """A role phrase refers to a person entity: one of its role words is among the
    entity's titles ("the nominee" -> "Republican nominee Donald Trump"; "leader" is any
    head of state or government), and each capitalised modifier ("the *Serbian*
    leader") is among the words that introduced the person ("Serbian President ...").

    Examples
    --------
    >>> e = {"roles": {"president"}, "descr": {"serbian", "president"}}
    >>> _role_matches("The Serbian leader", e), _role_matches("the Russian leader", e)
    (True, False)
    """
    return _role_hit(_role_query(surface), ent)


@functools.lru_cache(maxsize=4096)
def _role_query(surface: str) -> tuple[frozenset, frozenset, bool]:
    """The parts of a role phrase :func:`_role_matches` compares with an entity: its
    role words, its capitalised modifiers, and whether it says "leader"."""
    raw = surface.replace("\u2019", "'").split()
    words = {re.sub(r"'s$", "", w.strip(".,").lower()) for w in raw}
    mods = {
        re.sub(r"'s$", "", w.strip(".,").lower())
        for w in raw[1:] + raw[:1]
        if w[:1].isupper()
        and w.strip(".,").lower() not in _ROLE_WORDS
        and w.strip(".,").lower() not in ("the", "a", "an")
    }
    return frozenset(words & _ROLE_WORDS), frozenset(mods), "leader" in words


def _role_hit(query: tuple[frozenset, frozenset, bool], ent: dict) -> bool:
    roles, mods, leader = query
    titles = ent["roles"] | (ent.get("descr", set()) & _ROLE_WORDS)
    hit = bool(titles & roles) or (leader and bool(titles & _LEADERS))
    return hit and mods <= ent.get("descr", set())


def _inside(pos: int, frags) -> bool:
    return any(s <= pos < e for s, e in frags)


def _entity_id(name: str) -> str:
    """``person:`` + first and last name words, lower case (middle names and initials
    left out, so "Donald J. Trump" and "Donald Trump" share an id)."""
    words = [w for w in name.lower().split() if not re.fullmatch(r"(?:[a-z]\.)+", w)]
    words = words or name.lower().split()
    return "person:" + " ".join(words[:1] + words[-1:] if len(words) > 2 else words)


def _personal(name: str, typ: str, lower: frozenset = frozenset()) -> bool:
    """A source he/she can refer to: a person, a role phrase whose head is a noun for a
    person (a title word, a kin word, or an ending such as -man, -er, -ist: "the
    spokesman", "a campaign strategist", not "the election"), or a bare capitalised word
    typed ``organisation`` that is no organisation head and that the article never
    writes in lower case (``lower``: a surname whose first name the article never gives,
    "Cruz", "Trump"; not "People" or "Nobody" at a sentence start).

    Examples
    --------
    >>> _personal("Cruz", "organisation"), _personal("Pentagon", "organisation")
    (True, False)
    >>> _personal("People", "organisation", frozenset({"people"}))
    False
    >>> _personal("spokesman", "role"), _personal("election", "role")
    (True, False)
    >>> _personal("voters", "group")
    False
    """
    if typ == "person":
        return True
    if typ == "role":
        cut = _HEAD_CUT.split(name, maxsplit=1)[0]
        words = [w.strip(".,").lower() for w in cut.split()]
        head = words[-1] if words else ""
        return head in _ROLE_WORDS or head in _KIN or head.endswith(_PERSON_SUFFIXES)
    return (
        typ == "organisation"
        and _BARE_NAME.fullmatch(name) is not None
        and name.lower() not in _NON_PERSON_HEADS
        and name.lower() not in lower
    )


def _resolve_pronoun(low, ss, rows, i, named, ments, ents, starts, lower=frozenset()):
    if low in _SING:
        want = _SING[low]
        for pos, spk, typ, g in reversed(named):  # the nearest compatible speaker
            if (
                pos < ss
                and _personal(spk[0], typ, lower)
                and g in (want, None)
                and ss - pos < _WINDOW
            ):
                return spk
        for ok in ((want,), (want, None)):  # else a mention: a known gender first
            k = bisect.bisect_left(starts, ss) - 1
            while k >= 0:
                e = ents[ments[k]["ent"]]
                if e["gender"] in ok and ss - ments[k]["start"] < _WINDOW:
                    return (e["name"], _entity_id(e["name"]), "person", e["gender"])
                k -= 1
        k = bisect.bisect_left(starts, ss) - 1
        while k >= 0:
            e = ents[ments[k]["ent"]]
            if e["gender"] in (want, None):
                return (e["name"], _entity_id(e["name"]), "person", e["gender"])
            k -= 1
        return None
    if low in _FIRST:
        for j, r2 in enumerate(rows):
            if j != i and r2.get("speaker_id") and _inside(ss, r2.get("content") or ()):
                return (r2["speaker"], r2["speaker_id"], r2["speaker_type"], None)
    if low in _PLURAL:
        for pos, spk, typ, _g in reversed(named):
            if pos < ss and typ in ("group", "organisation"):
                return spk
    if low == "it":
        for pos, spk, typ, _g in reversed(named):
            if pos < ss and typ in ("organisation", "document") and ss - pos < _WINDOW:
                return spk
    return None


def resolve_speakers(
    text: str, rows: Sequence[dict], *, mentions: dict | None = None
) -> list[dict]:
    """Copies of ``rows`` with ``speaker``, ``speaker_id`` and ``speaker_type``.

    Parameters
    ----------
    text : str
        The document.
    rows : sequence of dict
        Attributions with ``source`` ((start, end) or None) and optionally
        ``content`` (fragments, for nested first-person speech).
    mentions : dict, optional, keyword-only
        A memo of :func:`person_mentions` results keyed by text, shared by the calls of
        one batch (the model path resolves each document's speakers in several passes,
        more documents apart than :func:`person_mentions`' own cache holds); filled on a
        miss.

    Returns
    -------
    list of dict
        The rows (copied, inputs untouched) with the three speaker keys; None where
        there is no source or a pronoun stays unresolved.

    Examples
    --------
    >>> t = "Hillary Clinton spoke. Bill Smith left. She said no."
    >>> resolve_speakers(t, [{"source": (40, 43)}])[0]["speaker"]
    'Hillary Clinton'
    """
    # long: one pass over the rows, resolving names, roles and pronouns against shared state
    ments, ents = mentions_of(text, mentions)
    starts = [m["start"] for m in ments]
    out = [dict(r, speaker=None, speaker_id=None, speaker_type=None) for r in rows]
    order = sorted(
        range(len(out)),
        key=lambda i: (out[i].get("source") is None, (out[i].get("source") or (0,))[0]),
    )
    named: list[tuple[int, tuple]] = []
    pron: list[int] = []
    for i in order:
        src = out[i].get("source")
        if src is None:
            continue
        ss, se = src
        surf = " ".join(text[ss:se].split())
        low = surf.lower()
        if low in PRONOUN_SOURCES:
            pron.append(i)
            continue
        k = bisect.bisect_left(starts, se) - 1
        hit = [ments[k]] if k >= 0 and ments[k]["end"] > ss else []
        if hit:
            e = ents[hit[-1]["ent"]]
            res = (e["name"], _entity_id(e["name"]), "person", e["gender"])
        else:
            typ = source_type(surf)
            res = None
            if typ == "role":
                query, seen = _role_query(surf), set()
                k = bisect.bisect_left(starts, ss) - 1
                while k >= 0 and res is None:
                    ei = ments[k]["ent"]
                    if ei not in seen:  # an entity's answer is the same at each mention
                        seen.add(ei)
                        e = ents[ei]
                        if _role_hit(query, e):
                            res = (e["name"], _entity_id(e["name"]), "person", e["gender"])
                    k -= 1
            if res is None:
                name = re.sub(r"^(?:the|a|an)\s+", "", surf, flags=re.I)
                res = (name, f"{typ}:" + name.lower(), typ, None)
        out[i]["speaker"], out[i]["speaker_id"], out[i]["speaker_type"] = res[:3]
        named.append((ss, res))
    named_flat = [(pos, res, res[2], res[3]) for pos, res in named]
    named_flat.sort(key=lambda x: x[0])

    def first_person(i):
        s0, e0 = out[i]["source"]
        return " ".join(text[s0:e0].split()).lower() in _FIRST

    lower = _lower_words(text) if pron else frozenset()
    # first-person pronouns last: the attribution they are nested in may itself have
    # a pronoun source ('"I think ...," he said')
    for i in sorted(pron, key=first_person):
        ss = out[i]["source"][0]
        low = " ".join(text[ss : out[i]["source"][1]].split()).lower()
        res = _resolve_pronoun(low, ss, out, i, named_flat, ments, ents, starts, lower)
        if res is not None:
            out[i]["speaker"], out[i]["speaker_id"], out[i]["speaker_type"] = res[:3]
    return out
