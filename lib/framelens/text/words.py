"""Word lists and quotation marks the text layer's rules use.

Written here, with their sources in docs/methods/text.md.
"""

from __future__ import annotations

import logging
import re

from framelens.core.resources import data_path
from framelens.core.tokens import WORD_PATTERN

log = logging.getLogger(__name__)


#: Abbreviations that never end a sentence by themselves (Punkt ``abbrev_types``;
#: lower-cased, without the final period). Written for framelens.
ABBREVIATIONS: tuple[str, ...] = (
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "cmdr",
    "adm",
    "maj",
    "gov",
    "sen",
    "rep",
    "rev",
    "st",
    "jr",
    "sr",
    "hon",
    "pres",
    "amb",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "u.s.a",
    "u.s.s.r",
    "d.c",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "approx",
    "est",
    "dept",
    "e.g",
    "i.e",
    "cf",
    "al",
    "fig",
    "vol",
    "ch",
    "pp",
    "p",
    "ca",
    "mt",
    "ft",
    "a.m",
    "p.m",
)


#: Words that, capitalised after an abbreviation, do start a new sentence
#: ("... in the U.S. The talks ..."): Punkt's ``sent_starters``.
SENT_STARTERS: tuple[str, ...] = (
    "the",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "this",
    "that",
    "these",
    "those",
    "there",
    "but",
    "and",
    "in",
    "a",
    "an",
    "his",
    "her",
    "their",
    "its",
    "our",
    "however",
    "meanwhile",
    "after",
    "on",
    "at",
    "when",
    "while",
    "if",
    "as",
    "officials",
    "talks",
    "critics",
    "analysts",
    "observers",
    "according",
    "asked",
    "speaking",
    "earlier",
    "later",
    "last",
    "since",
    "despite",
    "although",
    "following",
    "both",
    "many",
    "some",
    "no",
    "not",
    "so",
    "yet",
    "then",
    "now",
    "still",
    "also",
)


#: "No." / "Nos." is an abbreviation only before a number ("Resolution No. 1244"); it is
#: not in :data:`ABBREVIATIONS` because "... said no. Russia agreed." ends a sentence.
NUMBER_ABBREV_RE = re.compile(r"\b[Nn]os?\.$")


#: One token of the on-demand token listing (:func:`framelens.text.tokens`): a word of
#: :data:`framelens.core.tokens.WORD_PATTERN` or a single punctuation mark. Tokens are
#: **not** the length unit: lengths and rates count words (``sentences.n_words``).
TOKEN_PATTERN = WORD_PATTERN + r"|[^\w\s]"


TOKEN_RE = re.compile(TOKEN_PATTERN)


LEXICON_PATH = data_path("reporting_verbs.yaml")


#: Title words that may precede a person's name (case-insensitive; "Prime Minister"
#: is two title words). The word before the first title word is kept as the person's
#: nationality / affiliation ("Serbian", "Russia's", "Kremlin").
TITLES: tuple[str, ...] = (
    "president",
    "prime",
    "minister",
    "deputy",
    "vice",
    "foreign",
    "defence",
    "defense",
    "interior",
    "finance",
    "economy",
    "energy",
    "first",
    "acting",
    "former",
    "chancellor",
    "premier",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "secretary",
    "general",
    "ambassador",
    "envoy",
    "commissioner",
    "king",
    "queen",
    "prince",
    "mayor",
    "governor",
    "senator",
    "congressman",
    "congresswoman",
    "chairman",
    "chairwoman",
    "patriarch",
    "pope",
    "sheikh",
    "emir",
    "leader",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "prof.",
    "gen.",
    "col.",
    "lt.",
    "sgt.",
    "capt.",
    "gov.",
    "sen.",
    "rep.",
    "adm.",
    "amb.",
    "high",
    "representative",
    "chief",
    "head",
    "speaker",
    "director",
    "counsellor",
    "adviser",
    "advisor",
    "diplomat",
    "official",
    "ministry",
    "mp",
    "mep",
    "pm",
    "lawmaker",
    "analyst",
    "professor",
    "economist",
    "researcher",
    "expert",
    "commander",
    "colonel",
    "captain",
    "judge",
    "bishop",
    "patriarch",
    "metropolitan",
    "activist",
    "candidate",
    "member",
)


TITLE_SET = frozenset(TITLES)


# Titles also recognised in lower case before a name ("foreign minister Sergei Lavrov").
LOWER_TITLES = frozenset(
    {
        "president",
        "prime",
        "minister",
        "deputy",
        "foreign",
        "defence",
        "defense",
        "interior",
        "finance",
        "chancellor",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "secretary",
        "ambassador",
        "envoy",
        "commissioner",
        "leader",
        "mayor",
        "governor",
        "senator",
        "analyst",
        "economist",
        "lawmaker",
        "professor",
        "expert",
        "researcher",
    }
)


# Heads of role references found anywhere ("the Russian leader").
ROLE_REF_HEADS = (
    "leader",
    "president",
    "premier",
    "prime minister",
    "foreign minister",
    "minister",
    "chancellor",
    "head of state",
    "king",
    "queen",
)


# Title words that make a person eligible for "leader" roles ("the Serbian leader").
LEADER_TITLES = frozenset(
    {
        "president",
        "premier",
        "chancellor",
        "king",
        "queen",
        "leader",
        "prime",
        "emir",
        "sheikh",
        "head",
    }
)


# Heads of role noun phrases that may stand for a speaker.
#: Reporting verbs whose complement is a noun phrase, not a clause ("calls for a
#: diplomatic solution": a report of a speech act). They attribute a quotation that opens
#: right after them ('called for "restraint"') and make no indirect quote.
NP_ONLY_VERBS = frozenset({"call for"})


ROLE_HEADS = (
    "leader",
    "president",
    "premier",
    "prime minister",
    "minister",
    "chancellor",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "official",
    "diplomat",
    "ambassador",
    "envoy",
    "head",
    "chief",
    "secretary",
    "ministry",
    "government",
    "kremlin",
    "office",
    "statement",
    "report",
    "agency",
    "commission",
    "council",
    "parliament",
    "embassy",
    "army",
    "military",
    "police",
    "prosecutor",
    "court",
    "company",
    "party",
    "newspaper",
    "broadcaster",
    "analyst",
    "expert",
    "observer",
    "source",
    "commissioner",
    "mayor",
    "governor",
    "king",
    "queen",
    "patriarch",
    "general",
    "commander",
    "adviser",
    "advisor",
)


# Words that begin a run of capitalised words but are no part of a name.
STOP_CAPS = frozenset(
    """
the a an in on at after before but and or so then meanwhile however therefore also
such some many several both other others all most few each every another any
yet still instead indeed now here there thus hence moreover furthermore nevertheless
nonetheless ultimately finally separately elsewhere asked speaking
earlier later today yesterday tomorrow last this that these those his her their its our
monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december speaking asked when while
according if as although though since because despite during with without for from by
""".split()
)


# Capitalised tokens that mark an organisation, not a person ("European Commission").
ORG_WORDS = frozenset(
    """
union commission ministry council government kremlin parliament office agency department
committee party army bank fund organization organisation nations states news times post
press service court assembly house forces embassy institute university center centre
group company corporation federation republic kingdom
""".split()
)


#: Lower-case particles inside personal names ("Ursula von der Leyen", "Charles de
#: Gaulle", "Mohammed bin Salman"); kept as part of the name when a capitalised word
#: follows. Words starting with "al-"/"el-" ("al-Sisi") count as capitalised name parts.
NAME_PARTICLES: tuple[str, ...] = (
    "von",
    "van",
    "der",
    "den",
    "de",
    "del",
    "della",
    "da",
    "di",
    "du",
    "la",
    "le",
    "bin",
    "ibn",
    "al",
    "ter",
    "zu",
)


PARTICLES = frozenset(NAME_PARTICLES)


#: Head words that end the name of an institution ("Institute for Slavic Studies",
#: "Balkan Energy Observatory", "Centre for Climate Change"): a capitalised run ending
#: in one of them is an organisation, never a person, and is kept whole.
INSTITUTION_HEADS: tuple[str, ...] = tuple(
    sorted(
        set(
            """
institute institution studies policy policies observatory centre center ministry
commission council agency office foundation university committee association union
bank fund forum network watch alliance coalition movement party parliament assembly
court service department group organisation organization programme program initiative
academy school college society federation front board authority bureau secretariat
government embassy delegation mission research affairs relations development security
cooperation rights democracy change corporation company trust league chamber
""".split()
        )
    )
)


INST_SET = frozenset(INSTITUTION_HEADS)


#: Words that link the parts of an institution name ("Institute for Slavic Studies").
INST_LINKS = frozenset({"for", "of", "on", "and", "the", "de"})


QUOTE_MARKS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'


OPENERS = "\u201c\u201e\u201f\u00ab"


CLOSERS = "\u201d\u00bb"


QMARK_RE = re.compile("[" + QUOTE_MARKS + "]")


OPEN_CONTEXT = set("([{\u2014\u2013-/\u2018'")


PARA_RE = re.compile(r"[^\n]+")


CANDIDATE_RE = re.compile(r"[.?!]\S*\s")
