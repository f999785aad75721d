"""The text layer: sentences, tokens, quotations with attribution, and voice.

Everything here works on character offsets into ``docs.text`` (``text[start:end]`` is
the span), builds one DataFrame per call, and is rule-based and transparent: every
rule is written out below and in docs/architecture.md.

Sentences
    NLTK's :class:`~nltk.tokenize.punkt.PunktSentenceTokenizer` built from
    :class:`~nltk.tokenize.punkt.PunktParameters` with the abbreviation list
    :data:`ABBREVIATIONS` and the sentence starters :data:`SENT_STARTERS` written here
    (no downloaded model; "Mr. Vucic" is no boundary, "... the U.S. The talks" is).
    Lines are paragraphs and hard boundaries; Punkt runs per paragraph (a paragraph
    without an inner ``.``/``?``/``!`` is one sentence without calling it); spans are
    stripped of surrounding whitespace. Two speed-ups of the tokenizer keep its
    decisions identical (see ``_Punkt``).
Tokens
    Never materialised in the pipeline: ``n_tokens`` counts the matches of
    :data:`TOKEN_PATTERN` in each sentence (one compiled regex). A token is a number
    (``1,500.5``), a word with internal apostrophes or hyphens (``Serbia's``,
    ``isn't``, ``Russia-Ukraine``) or a single punctuation mark. :func:`tokens` returns
    them with offsets on demand. (Treebank-style tokenisers split ``Serbia 's`` and
    ``is n't``, so their counts are a little higher.)
Quotation marks
    Straight ``"``, curly and guillemet double marks are paired within a paragraph
    only (a straight mark opens after a space or bracket and closes after a non-space);
    a mark left unpaired yields no quote and an ``unmatched_quote`` warning, so an
    unbalanced mark never swallows the rest of a document. Single quotes are not
    quotation marks here (they are apostrophes far more often). A quote whose opening
    mark starts its sentence, or that follows a reporting verb with a colon or begins
    with a capital right after it, is ``direct``; any other quoted fragment is
    ``partial`` (``stance is "not simple"``).
Reporting verbs
    Lemmas and classes come from ``lexicons/reporting_verbs.yaml`` (read by
    :func:`load_reporting_verbs`; inflections by :func:`inflect`); verbs inside quotes
    are ignored. Around each verb the rules look for a subject *before* it, walking
    back over auxiliaries and adverbs ("has recently said"):

    * a pronoun (he/she/they);
    * a role phrase: determiner + up to three modifiers + a role head
      ("The Serbian leader", "an EU spokesperson", "the ministry");
    * a bare plural source ("officials", "Western diplomats");
    * a run of up to seven capitalised words ("Serbian Deputy Prime Minister Aleksandar
      Vulin"; "the European Union"), name particles inside it kept
      (:data:`NAME_PARTICLES`: "Ursula von der Leyen", "von der Leyen", "al-Sharaa"),
      with lower-case
      descriptors before it ("pensioner Marko Jovanovic", "Kremlin spokesman Dmitry
      Peskov"), an appositive after it ("Dmitry Peskov, a spokesman for the Kremlin,
      said") or as the appositive of a role phrase ("Russia's ambassador, Alexander
      Botsan-Kharchenko, said"); "X of the Y Institute said" gives X (X no title:
      "Minister of Foreign Affairs Ivica Dacic" is one subject); a run after a link
      word (for/of/on/and/the/de) extends back over it when a title or institution head
      precedes ("The Institute for Slavic Studies", "Commissioner for Regional Policy
      Elisa Ferreira"), never leaving a trailing fragment ("Slavic Studies"); a run
      that ends in an institution head (:data:`INSTITUTION_HEADS`: Institute, Studies,
      Policy, Observatory, Centre, Ministry, ...) is an institution, kept whole and
      never a person; a name right after a preposition ("polls in Serbia show") is no
      subject, but a role or bare plural before "in"/"at" + a place is ("The U.S.
      embassy in Belgrade said", "diplomats at the conference alleged"); a bare verb
      form after one capitalised non-plural word is a noun ("Russian state media").

    Failing that, a subject *after* the verb when the verb follows a comma or a
    closing mark (", said Foreign Minister Sergei Lavrov."), or none at all after
    "and"/"but" ("... and said he wanted ...") or for a participle after a comma
    (", stressing that ..."): then the speaker is that of the previous reporting verb
    in the sentence. The content, in this order:

    1. the direct quote that closes right before the subject (trailing attribution,
       ``"...," President Vucic said``);
    2. the quote that opens right after the verb (leading attribution,
       ``President Putin said "What ..."``);
    3. a clause after ``that`` (up to ~60 characters of adjuncts may come first:
       "told RT on Monday that"), after a colon, or a zero-``that`` clause: a pronoun;
       a determiner (also his/her/its/their), a capitalised word or a particle name
       followed within six words by an auxiliary, a modal or an ``-ed`` verb ("said
       Moscow welcomed", "said her party had"); or a bare lower-case noun phrase of one
       to three words followed by an auxiliary or modal ("said candidate countries
       were") -- not by an ``-ed`` word ("noted concerns raised by" is an object), and
       not starting with a preposition, time adverb or wh-word; an object before the
       clause ("told Reuters ...") is skipped, a possessive name ("Serbia's economy")
       is no object. It runs to the end of the sentence (without the final
       ``.``/``!``/``?``), is cut before a coordinated reporting verb ("and said",
       ", adding that"), and extends to the end of a quote it opens;
    4. postposed and headline-style speech: the part of the sentence before
       ", X said", "..." X said" or " - X said" when nothing but an object or an adjunct
       ("in an interview") follows the verb; a dateline ("BELGRADE, Nov 14 - ") is
       left out.

    Verbs whose complement is a noun phrase (``call for``: "calls for a diplomatic
    solution", a report of a speech act, not indirect speech) only attribute a
    quotation that opens right after them ('called for "restraint"').

    "According to X, ..." and "..., according to X" are read in both orders. A
    reported clause may contain further reporting verbs (nested speech: "Mr. Vucic
    said that President Putin said "..."" gives an indirect quote of Vucic containing
    a direct quote of Putin). A quote without its own verb takes the speaker and verb
    of the innermost reported clause that contains it, else (a direct quote) of the
    previous attributed direct quote in the paragraph; other quotes ("so-called
    "special operation"") keep no speaker.
Speakers (coreference)
    Persons are tracked as capitalised name sequences after titles (:data:`TITLES`)
    and as subjects of reporting verbs. A surname ("Mr. Vucic", "President Vucic",
    "Vucic") resolves to the most recent person with that surname; a role phrase
    ("the Serbian leader") to the most recent person whose nationality (the word
    before the title: "Serbian President ...", "Russia's ...") and title match
    ("leader" matches presidents, prime ministers, chancellors, kings); he/she to the
    most recent person who was a subject (of a reporting verb, or sentence-initial) in
    the current or two previous sentences, else to the last person mentioned; "they"
    stays unresolved. A name with particles matches its full form ("von der Leyen",
    "Von der Leyen" -> "Ursula von der Leyen"). An organisation word before the title
    ("Foreign Ministry spokeswoman Maria Zakharova") does not make the person an
    organisation; only the name words decide. The resolved ``speaker`` is the longest
    form of the name seen in the document ("Aleksandar Vucic"); an unresolved role
    phrase keeps its words without the determiner ("ministry"). :func:`references`
    lists every reference and its resolution. ``speaker_actor`` is left empty for the actors step.
Voice
    :func:`segments` partitions every document into ``quoted`` (inside a direct or
    partial quote), ``reported`` (inside an indirect clause, outside quotes) and
    ``author`` spans; :func:`locate` maps any span table onto sentences and voices
    with one ``numpy.searchsorted`` per table.

Known limits: rules, not a parser. A reported clause runs to the end of its sentence
("... said that X and expressed his agreement" includes the second verb phrase);
speech continued in the next sentence without a verb is author voice; gender is not
used for he/she; quotes spread over several paragraphs (an opening mark repeated at
each paragraph start) give warnings and no quote; speech acts with a noun-phrase
complement ("calls for a ceasefire", "called the findings politically motivated") make
no indirect quote; a zero-``that`` clause starting with a lower-case noun phrase needs an
auxiliary ("said prices rose" is author voice); institution names with more than ten
words or without a title/head word before a link word ("the Study of War" alone) are
cut at the link.

Examples
--------
>>> import pandas as pd
>>> from framelens import text
>>> docs = pd.DataFrame({"doc_id": ["a"], "text": ['"We agree," Mr. Vucic said. He noted that it was "fine".']})
>>> out = text.process(docs)
>>> out["quotes"][["kind", "text", "speaker", "verb", "verb_class"]].astype(str).values.tolist()
[['direct', 'We agree,', 'Vucic', 'say', 'neutral'], ['indirect', 'it was "fine"', 'Vucic', 'note', 'endorsing'], ['partial', 'fine', 'Vucic', 'note', 'endorsing']]
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from . import schema

__all__ = [
    "sentences", "tokens", "quotes", "segments", "locate", "process", "references",
    "reporting_verbs", "load_reporting_verbs", "inflect", "ABBREVIATIONS",
    "SENT_STARTERS", "TOKEN_PATTERN", "TITLES", "VERB_CLASSES", "KINDS",
    "NAME_PARTICLES", "INSTITUTION_HEADS",
]

log = logging.getLogger(__name__)

# ----------------------------------------------------------------------------- constants
#: Abbreviations that never end a sentence by themselves (Punkt ``abbrev_types``;
#: lower-cased, without the final period). Written for framelens.
ABBREVIATIONS: tuple[str, ...] = (
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm",
    "maj", "gov", "sen", "rep", "rev", "st", "jr", "sr", "hon", "pres", "amb",
    "u.s", "u.k", "u.n", "e.u", "u.s.a", "u.s.s.r", "d.c",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "vs", "etc", "inc", "ltd", "co", "corp", "approx", "est", "dept",
    "e.g", "i.e", "cf", "al", "fig", "vol", "ch", "pp", "p", "ca", "mt", "ft", "a.m", "p.m",
)
#: Words that, capitalised after an abbreviation, do start a new sentence
#: ("... in the U.S. The talks ..."): Punkt's ``sent_starters``.
SENT_STARTERS: tuple[str, ...] = (
    "the", "he", "she", "it", "they", "we", "i", "this", "that", "these", "those",
    "there", "but", "and", "in", "a", "an", "his", "her", "their", "its", "our",
    "however", "meanwhile", "after", "on", "at", "when", "while", "if", "as",
    "officials", "talks", "critics", "analysts", "observers", "according", "asked",
    "speaking", "earlier", "later", "last", "since", "despite", "although", "following",
    "both", "many", "some", "no", "not", "so", "yet", "then", "now", "still", "also",
)
#: "No." / "Nos." is an abbreviation only before a number ("Resolution No. 1244"); it is
#: not in :data:`ABBREVIATIONS` because "... said no. Russia agreed." ends a sentence.
_NUMBER_ABBREV_RE = re.compile(r"\b[Nn]os?\.$")
#: One token: a number, a word (internal apostrophes/hyphens kept), or a punctuation mark.
TOKEN_PATTERN = r"\d+(?:[.,]\d+)*(?!\w)|\w+(?:['\u2019\u2010-]\w+)*|[^\w\s]"
_TOKEN_RE = re.compile(TOKEN_PATTERN)

VERB_CLASSES = ("neutral", "endorsing", "distancing", "guilt_implying")
KINDS = ("direct", "partial", "indirect")
_LEXICON_PATH = Path(__file__).with_name("lexicons") / "reporting_verbs.yaml"

#: Title words that may precede a person's name (case-insensitive; "Prime Minister"
#: is two title words). The word before the first title word is kept as the person's
#: nationality / affiliation ("Serbian", "Russia's", "Kremlin").
TITLES: tuple[str, ...] = (
    "president", "prime", "minister", "deputy", "vice", "foreign", "defence", "defense",
    "interior", "finance", "economy", "energy", "first", "acting", "former", "chancellor",
    "premier", "spokesperson", "spokesman", "spokeswoman", "secretary", "general",
    "ambassador", "envoy", "commissioner", "king", "queen", "prince", "mayor", "governor",
    "senator", "congressman", "congresswoman", "chairman", "chairwoman", "patriarch",
    "pope", "sheikh", "emir", "leader", "mr.", "mrs.", "ms.", "dr.", "prof.", "gen.",
    "col.", "lt.", "sgt.", "capt.", "gov.", "sen.", "rep.", "adm.", "amb.", "high",
    "representative", "chief", "head", "speaker", "director", "counsellor", "adviser",
    "advisor", "diplomat", "official", "ministry", "mp", "mep", "pm", "lawmaker", "analyst",
    "professor", "economist", "researcher", "expert", "commander", "colonel", "captain",
    "judge", "bishop", "patriarch", "metropolitan", "activist", "candidate", "member",
)
_TITLE_SET = frozenset(TITLES)
# Titles also recognised in lower case before a name ("foreign minister Sergei Lavrov").
_LOWER_TITLES = frozenset({
    "president", "prime", "minister", "deputy", "foreign", "defence", "defense", "interior",
    "finance", "chancellor", "spokesperson", "spokesman", "spokeswoman", "secretary",
    "ambassador", "envoy", "commissioner", "leader", "mayor", "governor", "senator",
    "analyst", "economist", "lawmaker", "professor", "expert", "researcher",
})
# Heads of role references found anywhere ("the Russian leader").
_ROLE_REF_HEADS = ("leader", "president", "premier", "prime minister", "foreign minister",
                   "minister", "chancellor", "head of state", "king", "queen")
# Title words that make a person eligible for "leader" roles ("the Serbian leader").
_LEADER_TITLES = frozenset({"president", "premier", "chancellor", "king", "queen", "leader",
                            "prime", "emir", "sheikh", "head"})
# Heads of role noun phrases that may stand for a speaker.
#: Reporting verbs whose complement is a noun phrase, not a clause ("calls for a
#: diplomatic solution": a report of a speech act). They attribute a quotation that opens
#: right after them ('called for "restraint"') and make no indirect quote.
_NP_ONLY_VERBS = frozenset({"call for"})
_ROLE_HEADS = (
    "leader", "president", "premier", "prime minister", "minister", "chancellor",
    "spokesperson", "spokesman", "spokeswoman", "official", "diplomat", "ambassador",
    "envoy", "head", "chief", "secretary", "ministry", "government", "kremlin", "office",
    "statement", "report", "agency", "commission", "council", "parliament", "embassy",
    "army", "military", "police", "prosecutor", "court", "company", "party", "newspaper",
    "broadcaster", "analyst", "expert", "observer", "source", "commissioner", "mayor",
    "governor", "king", "queen", "patriarch", "general", "commander", "adviser", "advisor",
)
# Words that begin a run of capitalised words but are no part of a name.
_STOP_CAPS = frozenset("""
the a an in on at after before but and or so then meanwhile however therefore also
such some many several both other others all most few each every another any
yet still instead indeed now here there thus hence moreover furthermore nevertheless
nonetheless ultimately finally separately elsewhere asked speaking
earlier later today yesterday tomorrow last this that these those his her their its our
monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december speaking asked when while
according if as although though since because despite during with without for from by
""".split())
# Capitalised tokens that mark an organisation, not a person ("European Commission").
_ORG_WORDS = frozenset("""
union commission ministry council government kremlin parliament office agency department
committee party army bank fund organization organisation nations states news times post
press service court assembly house forces embassy institute university center centre
group company corporation federation republic kingdom
""".split())

#: Lower-case particles inside personal names ("Ursula von der Leyen", "Charles de
#: Gaulle", "Mohammed bin Salman"); kept as part of the name when a capitalised word
#: follows. Words starting with "al-"/"el-" ("al-Sisi") count as capitalised name parts.
NAME_PARTICLES: tuple[str, ...] = ("von", "van", "der", "den", "de", "del", "della", "da",
                                   "di", "du", "la", "le", "bin", "ibn", "al", "ter", "zu")
_PARTICLES = frozenset(NAME_PARTICLES)
#: Head words that end the name of an institution ("Institute for Slavic Studies",
#: "Balkan Energy Observatory", "Centre for Climate Change"): a capitalised run ending
#: in one of them is an organisation, never a person, and is kept whole.
INSTITUTION_HEADS: tuple[str, ...] = tuple(sorted(set("""
institute institution studies policy policies observatory centre center ministry
commission council agency office foundation university committee association union
bank fund forum network watch alliance coalition movement party parliament assembly
court service department group organisation organization programme program initiative
academy school college society federation front board authority bureau secretariat
government embassy delegation mission research affairs relations development security
cooperation rights democracy change corporation company trust league chamber
""".split())))
_INST_SET = frozenset(INSTITUTION_HEADS)
#: Words that link the parts of an institution name ("Institute for Slavic Studies").
_INST_LINKS = frozenset({"for", "of", "on", "and", "the", "de"})

_QUOTE_MARKS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'
_OPENERS = "\u201c\u201e\u201f\u00ab"
_CLOSERS = "\u201d\u00bb"
_QMARK_RE = re.compile("[" + _QUOTE_MARKS + "]")
_OPEN_CONTEXT = set("([{\u2014\u2013-/\u2018'")
_PARA_RE = re.compile(r"[^\n]+")
_CANDIDATE_RE = re.compile(r"[.?!]\S*\s")


# ----------------------------------------------------------------------------- input
def _as_docs(docs) -> tuple[list[str], list[str], list[str] | None]:
    """Return (doc_ids, texts, sources) from the accepted input forms."""
    if isinstance(docs, pd.DataFrame):
        missing = [c for c in ("doc_id", "text") if c not in docs.columns]
        if missing:
            raise ValueError(
                f"docs needs the columns 'doc_id' and 'text'; missing {missing}; available "
                f"columns: {list(docs.columns)}. Load it with framelens.load_corpus(...) or "
                "rename the columns (docs.rename(columns={...}))."
            )
        ids = docs["doc_id"].astype(str).tolist()
        texts = [t if isinstance(t, str) else "" for t in docs["text"].astype(object).tolist()]
        sources = None
        if "source" in docs.columns:
            sources = [s if isinstance(s, str) else "text" for s in docs["source"].astype(object).tolist()]
        return ids, texts, sources
    if isinstance(docs, str):
        return ["0"], [docs], None
    if isinstance(docs, pd.Series):
        return [str(i) for i in docs.index], [t if isinstance(t, str) else "" for t in docs], None
    if isinstance(docs, Mapping):
        return [str(k) for k in docs], [t if isinstance(t, str) else "" for t in docs.values()], None
    if isinstance(docs, Sequence) and all(isinstance(t, str) for t in docs):
        return [str(i) for i in range(len(docs))], list(docs), None
    raise TypeError(
        "docs must be a DataFrame with 'doc_id' and 'text' columns, a string, a Series or "
        f"mapping of doc_id -> text, or a list of strings; got {type(docs).__name__}"
    )


def _frame(table: str, cols: dict[str, list]) -> pd.DataFrame:
    """Build a schema-conforming DataFrame; categorical columns with fixed categories."""
    spec = schema.TABLES[table]
    df = pd.DataFrame({c: pd.Series(cols[c], dtype=spec[c]) for c in spec})
    for c, cats in (("kind", KINDS), ("verb_class", VERB_CLASSES), ("voice", schema.VOICES),
                    ("severity", schema.SEVERITIES)):
        if c in df.columns:
            df[c] = pd.Categorical(df[c].astype(object), categories=list(cats))
    if "code" in df.columns:
        df["code"] = pd.Categorical(df["code"].astype(object))
    return df


# ----------------------------------------------------------------------------- lexicon
def inflect(lemma: str) -> list[str]:
    """Return the lemma and its inflected forms (3rd person, past, participles).

    Rules: ``-s``/``-es``/``-ies`` for the third person, ``-ed``/``-d``/``-ied`` for the
    past, ``-ing`` (dropping a final ``e``); a final consonant is doubled for the verbs
    in a small table (admit -> admitted); irregular verbs come from a table (say ->
    said, tell -> told, write -> wrote/written, show -> shown). A phrasal lemma inflects
    its first word ("point out" -> "pointed out"); "according to" is not inflected.

    Examples
    --------
    >>> inflect("deny")
    ['denied', 'denies', 'deny', 'denying']
    """
    if not isinstance(lemma, str) or not lemma.strip():
        raise ValueError(f"lemma must be a non-empty string, got {lemma!r}")
    lemma = " ".join(lemma.split()).lower()
    if lemma == "according to":
        return [lemma]
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    forms = {head}
    irregular = _IRREGULAR.get(head, ())
    forms.update(irregular)
    vowels = "aeiou"
    if head.endswith(("s", "sh", "ch", "x", "z")):
        forms.add(head + "es")
    elif head.endswith("y") and len(head) > 1 and head[-2] not in vowels:
        forms.add(head[:-1] + "ies")
    else:
        forms.add(head + "s")
    if not irregular or head in _IRREGULAR_ALSO_REGULAR:
        if head.endswith("e"):
            forms.add(head + "d")
        elif head.endswith("y") and head[-2] not in vowels:
            forms.add(head[:-1] + "ied")
        elif head in _DOUBLING:
            forms.add(head + head[-1] + "ed")
        else:
            forms.add(head + "ed")
    if head.endswith("ie"):
        forms.add(head[:-2] + "ying")
    elif head.endswith("e") and not head.endswith("ee"):
        forms.add(head[:-1] + "ing")
    elif head in _DOUBLING:
        forms.add(head + head[-1] + "ing")
    else:
        forms.add(head + "ing")
    return sorted(f + tail for f in forms)


_IRREGULAR = {
    "say": ("said",), "tell": ("told",), "write": ("wrote", "written"),
    "show": ("showed", "shown"), "speak": ("spoke", "spoken"), "think": ("thought",),
}
_IRREGULAR_ALSO_REGULAR = frozenset({"show"})
_DOUBLING = frozenset({"admit", "commit", "omit", "submit", "permit", "regret", "refer",
                       "prefer", "confer", "rebut", "aver"})


@functools.lru_cache(maxsize=8)
def load_reporting_verbs(path: str | None = None) -> dict[str, str]:
    """Read a reporting-verb lexicon (framelens YAML lexicon format) as lemma -> class.

    Parameters
    ----------
    path : str, optional
        A YAML lexicon whose categories are the four classes of :data:`VERB_CLASSES`
        and whose patterns are lemmas; default: the built-in
        ``lexicons/reporting_verbs.yaml``.

    Returns
    -------
    dict
        Lemma (lower case) -> verb class.

    Examples
    --------
    >>> load_reporting_verbs()["say"]
    'neutral'
    """
    p = Path(path) if path is not None else _LEXICON_PATH
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise FileNotFoundError(f"cannot read the reporting-verb lexicon {p}: {exc}") from exc
    cats = data.get("categories")
    if not isinstance(cats, Mapping) or not cats:
        raise ValueError(f"{p}: a lexicon needs a 'categories' mapping (see docs/architecture.md)")
    out: dict[str, str] = {}
    for cat, body in cats.items():
        if cat not in VERB_CLASSES:
            raise ValueError(f"{p}: unknown verb class {cat!r}; use one of {VERB_CLASSES}")
        patterns = body.get("patterns", []) if isinstance(body, Mapping) else body
        for pat in patterns or []:
            term = pat.get("term") if isinstance(pat, Mapping) else pat
            if not isinstance(term, str) or not term.strip():
                raise ValueError(f"{p}: category {cat!r} has an invalid pattern {pat!r}")
            term = " ".join(term.split()).lower()
            if term in out and out[term] != cat:
                raise ValueError(f"{p}: lemma {term!r} is in both {out[term]!r} and {cat!r}")
            out[term] = cat
    return out


@functools.lru_cache(maxsize=8)
def reporting_verbs(path: str | None = None) -> dict[str, tuple[str, str]]:
    """Return every inflected reporting-verb form -> (lemma, verb class).

    Examples
    --------
    >>> reporting_verbs()["stressing"]
    ('stress', 'endorsing')
    """
    out: dict[str, tuple[str, str]] = {}
    for lemma, cls in sorted(load_reporting_verbs(path).items()):
        for form in inflect(lemma):
            out.setdefault(form, (lemma, cls))
    return out


def _trie_regex(words: Sequence[str]) -> str:
    """A regex alternation of ``words`` factored as a character trie (fast to scan)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        alts = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            alts.append(piece + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return emit(trie)


@functools.lru_cache(maxsize=8)
def _automaton(path: str | None = None):
    """One Aho-Corasick automaton for reporting-verb forms, title words and role heads.

    Values are ``(key, kinds)`` with kinds a subset of {"verb", "title", "head"}; a
    document is scanned once (case-sensitively) and the hits are dispatched.
    """
    import ahocorasick

    kinds: dict[str, set] = {}
    for f in reporting_verbs(path):
        kinds.setdefault(f, set()).add("verb")
    kinds.setdefault("According to", set()).add("verb")
    for t in _TITLE_SET:
        forms = {t[0].upper() + t[1:]}
        if t in _LOWER_TITLES:
            forms.add(t)
        for f in forms:
            kinds.setdefault(f, set()).add("title")
    for h in _ROLE_REF_HEADS:
        for f in {h, h[0].upper() + h[1:], h.title()}:
            kinds.setdefault(f, set()).add("head")
    auto = ahocorasick.Automaton()
    for k in sorted(kinds):
        idx = tuple(i for i, kind in enumerate(("verb", "title", "head")) if kind in kinds[k])
        auto.add_word(k, (k, len(k), idx, k.endswith(".")))
    auto.make_automaton()
    return auto


def _scan(auto, text: str) -> tuple[list, list, list]:
    """Verb, title and head hits ``(start, end, key)`` on word boundaries, by start.

    The automaton reports leftmost-longest non-overlapping keys ("Prime Minister", not
    "Prime" and "Minister"; "noted", not "note"); hits inside words are dropped.
    """
    stores: tuple[dict, dict, dict] = ({}, {}, {})
    n = len(text)
    for end, (key, klen, kinds, dotted) in auto.iter_long(text):
        e = end + 1
        s = e - klen
        if s > 0:
            c = text[s - 1]
            if c.isalnum() or c in "_'\u2019-.":
                continue
        if e < n and not dotted:
            c = text[e]
            if c.isalnum() or c in "_'\u2019-":
                continue
        for i in kinds:
            store = stores[i]
            old = store.get(s)
            if old is None or old[1] < e:
                store[s] = (s, e, key)
    return tuple([st[k] for k in sorted(st)] for st in stores)


# ----------------------------------------------------------------------------- sentences
class _Punkt(PunktSentenceTokenizer):
    """NLTK's Punkt with two speed-ups that leave every decision unchanged.

    * ``_get_last_whitespace_index`` scans the text before every candidate period
      character by character in Python; the override returns the same index (the last
      whitespace character, 0 when there is none) from C-level ``rfind`` calls.
    * ``text_contains_sentbreak(context)`` -- the decision for one candidate, given the
      words around it ("Mr. Vucic", "said. He") -- is a pure function of the context
      once the parameters are fixed (no training happens here), so it is memoised in a
      bounded dictionary (cleared when it reaches :data:`_MEMO_SIZE` entries).

    Tests compare the sentence spans with the stock class.
    """

    _WHITESPACE = tuple(" \t\n\r\x0b\x0c")
    _MEMO_SIZE = 1 << 16

    def __init__(self, params: PunktParameters, spaces_only: bool = False) -> None:
        super().__init__(params)
        self._memo: dict[str, bool] = {}
        self._spaces_only = spaces_only   # for paragraphs whose only whitespace is " "

    def _get_last_whitespace_index(self, text: str) -> int:
        if self._spaces_only:
            return max(text.rfind(" "), 0)
        return max(0, *(text.rfind(c) for c in self._WHITESPACE))

    def text_contains_sentbreak(self, text: str) -> bool:
        memo = self._memo
        hit = memo.get(text)
        if hit is None:
            hit = super().text_contains_sentbreak(text)
            if len(memo) >= self._MEMO_SIZE:
                memo.clear()
            memo[text] = hit
        return hit


def _punkt_params() -> PunktParameters:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    params.sent_starters = set(SENT_STARTERS)
    return params


@functools.lru_cache(maxsize=2)
def _punkt(spaces_only: bool = False) -> PunktSentenceTokenizer:
    """The shared tokenizer; ``spaces_only`` for text without tabs, CR, VT or FF."""
    return _Punkt(_punkt_params(), spaces_only)


_OTHER_WS = re.compile("[\t\n\r\x0b\x0c]")


def _doc_sentences(text: str) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
    """Sentence spans (start, end, para_id) and paragraph spans of one document."""
    sents: list[tuple[int, int, int]] = []
    paras: list[tuple[int, int]] = []
    for m in _PARA_RE.finditer(text):
        para = m.group()
        stripped = para.strip()
        if not stripped:
            continue
        ps = m.start() + (len(para) - len(para.lstrip()))
        pe = ps + len(stripped)
        pid = len(paras)
        paras.append((ps, pe))
        if not _CANDIDATE_RE.search(stripped):
            sents.append((ps, pe, pid))
            continue
        punkt = _punkt(_OTHER_WS.search(stripped) is None)
        first = len(sents)
        for s, e in punkt.span_tokenize(stripped):
            seg = stripped[s:e]
            ls = len(seg) - len(seg.lstrip())
            rs = len(seg.rstrip())
            if rs <= ls:
                continue
            start, end = ps + s + ls, ps + s + rs
            if (len(sents) > first and text[start].isdigit()
                    and _NUMBER_ABBREV_RE.search(text, sents[-1][0], sents[-1][1])):
                sents[-1] = (sents[-1][0], end, pid)  # "No. 1244": no boundary
                continue
            sents.append((start, end, pid))
    return sents, paras


def sentences(docs) -> pd.DataFrame:
    """Split documents into sentences with character offsets and token counts.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        A docs table (columns ``doc_id``, ``text``), or texts (a bare string gets
        doc_id ``"0"``; a list gets ``"0", "1", ...``).

    Returns
    -------
    DataFrame
        Columns of :data:`framelens.schema.SENTENCE_COLUMNS`: doc_id, sent_id (0-based
        per document), para_id (0-based over non-empty lines), start, end, text,
        n_tokens (matches of :data:`TOKEN_PATTERN`).

    Examples
    --------
    >>> sentences("Mr. Vucic spoke. He left.")["text"].tolist()
    ['Mr. Vucic spoke.', 'He left.']
    """
    ids, texts, _ = _as_docs(docs)
    return _sentence_frame(ids, texts, [_doc_sentences(t)[0] for t in texts])


def _sentence_frame(ids, texts, all_sents) -> pd.DataFrame:
    count = _TOKEN_RE.findall
    rows = [(did, sid, p, st, e, text[st:e], len(count(text, st, e)))
            for did, text, sents in zip(ids, texts, all_sents)
            for sid, (st, e, p) in enumerate(sents)]
    return _frame("sentences", _columns(rows, schema.SENTENCE_COLUMNS))


def _columns(rows: list[tuple], spec: Mapping[str, str]) -> dict[str, list]:
    """Transpose row tuples (in the order of ``spec``) into named column lists."""
    if not rows:
        return {c: [] for c in spec}
    return {c: list(col) for c, col in zip(spec, zip(*rows))}


def tokens(docs_or_text, *, lower: bool = False) -> pd.DataFrame:
    """Return the tokens of documents with offsets (on demand; the pipeline only counts).

    Parameters
    ----------
    docs_or_text : DataFrame, str, Series, mapping or list of str
        As for :func:`sentences`.
    lower : bool, keyword-only
        Lower-case the ``token`` column (offsets are unchanged).

    Returns
    -------
    DataFrame
        Columns doc_id, sent_id, start, end, token; ``text[start:end] == token``
        (before lower-casing). Tokens outside sentences do not exist (sentences cover
        every non-space character).

    Examples
    --------
    >>> tokens("Serbia's stance isn't simple.")["token"].tolist()
    ["Serbia's", 'stance', "isn't", 'simple', '.']
    """
    if not isinstance(lower, bool):
        raise TypeError(f"lower must be True or False, got {lower!r}")
    ids, texts, _ = _as_docs(docs_or_text)
    out: dict[str, list] = {"doc_id": [], "sent_id": [], "start": [], "end": [], "token": []}
    for did, text in zip(ids, texts):
        sents, _ = _doc_sentences(text)
        for sid, (s, e, _p) in enumerate(sents):
            for m in _TOKEN_RE.finditer(text, s, e):
                out["doc_id"].append(did)
                out["sent_id"].append(sid)
                out["start"].append(m.start())
                out["end"].append(m.end())
                tok = m.group()
                out["token"].append(tok.lower() if lower else tok)
    return pd.DataFrame({
        "doc_id": pd.Series(out["doc_id"], dtype="string"),
        "sent_id": pd.Series(out["sent_id"], dtype="int32"),
        "start": pd.Series(out["start"], dtype="int64"),
        "end": pd.Series(out["end"], dtype="int64"),
        "token": pd.Series(out["token"], dtype="string"),
    })


# ----------------------------------------------------------------------------- regexes
_CAPW = r"[A-Z][\w'\u2019.\-]*"            # a capitalised word (may end in a period: Mr.)
_CAPW_END = r"[A-Z][\w'\u2019\-]*"          # ... the last word of a name has no period
_MOD = r"(?!(?:the|a|an|of|with|and|to|in|on|that|for|by|at|from|who|which)\b)[\w'\u2019.\-]+"
_HEADS = "|".join(sorted((h.replace(" ", r"\s+") for h in _ROLE_HEADS), key=len, reverse=True))
_DET = r"(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|" + _CAPW_END + r"['\u2019]s)"
_ROLE = rf"{_DET}\s+(?:{_MOD}\s+){{0,3}}?(?i:(?:{_HEADS})s?)(?![\w\-])"
# name particles between capitalised words ("Ursula von der Leyen"); "al-"/"el-" prefixes
_PART = r"(?:(?:" + "|".join(NAME_PARTICLES) + r")\s+){0,2}(?:[ae]l-)?"
_NAMED = rf"(?:[Tt]he\s+)?{_PART}(?:{_CAPW}\s+{_PART}){{0,6}}{_CAPW_END}"
_PRON = r"(?:[Hh]e|[Ss]he|[Tt]hey)"

# subject after the verb (", said X." / ", X said")
_END_LIKE = (r"(?=\s*(?:[.,;!?\"\u201d\u00bb)]|$)|\s+(?:in|on|at|during|after|before|to|from|with|"
             r"when|while|last|this|yesterday|today|earlier|later|late|according)\b)")
_SUBJ_AFTER = re.compile(
    rf"\s+(?:(?P<pron>{_PRON})|(?P<role>(?:[Tt]he|[Hh]is|[Hh]er)\s+(?:{_MOD}\s+){{0,3}}?"
    rf"(?i:(?:{_HEADS})s?))|(?P<named>{_NAMED})){_END_LIKE}"
)
# after the verb: an optional object then nothing of substance (postposed "..., X said.")
_POST_END = re.compile(
    r"(?:\s+(?:me|him|her|us|them|reporters|journalists|(?:the\s+)?" + _CAPW
    + r"(?:\s+" + _CAPW + r")*))?" + _END_LIKE
)
_THAT = re.compile(r"[^,.;:!?\"\u201c\u201d\u201e\u00ab\u00bb\n]{0,60}?\bthat\b[\s,]*")
_COLON = re.compile(r"\s*:\s*")
_LEAD_QUOTE = re.compile(r"\s*[,:]?\s*(?=[" + _QUOTE_MARKS + "])")
_FINITE_AUX = (r"(?:is|are|was|were|will|would|could|can|should|must|has|have|had|did|does|do|"
               r"might|may)")
# a lower-case word that may open a noun phrase subject ("talks", "candidate countries")
_LOWER_NP_WORD = (r"(?!(?:that|what|whether|how|when|why|who|which|if|to|of|in|on|at|for|by|"
                  r"with|from|about|after|before|during|last|next|this|earlier|later|"
                  r"yesterday|today|tomorrow|again|also|then|so|and|but|or|not)\b)"
                  r"[a-z][\w'\u2019\-]*")
_ZERO_THAT = re.compile(
    r"\s+(?:(?:me|him|her(?=\s+(?:he|she|it|they|we|I|you|there|the|a|an|[A-Z])\b)|us|them|"
    r"reporters|journalists|" + _CAPW + r"(?<!['\u2019]s))\s+)?"
    r"(?=(?:he|she|it|they|we|I|you|there)\b|(?:the|a|an|this|these|those|his|her|its|their|"
    r"our|my|" + _PART + _CAPW_END
    + r")(?:\s+[\w'\u2019\-]+){0,5}?\s+(?:" + _FINITE_AUX + r"|[a-z]+ed)\b"
    # a bare lower-case noun phrase of one to three words, then an auxiliary or modal
    # ("said talks were", "said candidate countries were expected"); no -ed verb here
    # ("noted concerns raised by ..." is an object with a participle, not a clause)
    r"|" + _LOWER_NP_WORD + r"(?:\s+" + _LOWER_NP_WORD + r"){0,2}\s+" + _FINITE_AUX + r"\b)"
)
# a dateline opening a paragraph ("BELGRADE, Nov 14 (Wire) - "): no part of a clause
_DATELINE = re.compile(
    r"[A-Z][A-Z.'\- ]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([^)\n]{1,30}\))?"
    r"\s+[-\u2013\u2014]{1,2}\s+"
)
_COORD_TAIL = re.compile(r"(?:,\s*|\s)(?:and|but)(?:\s+(?:also|then|later|further))?\s+$")
_SUBJ_CUT_RE = re.compile(r"[;:()" + _QUOTE_MARKS + r"]|\s[-\u2013\u2014]\s")
_ACC_NP = re.compile(r"\s+([^,.;:!?\"\u201c\u201d\n]{1,80}?)(?=\s*(?:[,.;:!?\"\u201c\u201d]|$)|\s+(?:who|which|that|whose)\b)")
# person mentions anywhere: [nationality] title(s) Name Name. Title hits come from the
# automaton (_scan); _PERSON_AT is matched at a title hit; the nationality word before
# it is read by _NAT_BEFORE. Role references ("the Serbian leader") are found from
# their head word backwards (_ROLE_BACK).
_TITLE_FORMS = sorted({f for t in _TITLE_SET for f in ((t[0].upper() + t[1:],) + ((t,) if t in _LOWER_TITLES else ()))})
_TITLE_TRIE = "(?:" + _trie_regex(_TITLE_FORMS) + ")"
_PERSON_AT = re.compile(
    rf"{_TITLE_TRIE}(?:\s+{_TITLE_TRIE})*\s+"
    rf"(?P<name>{_PART}{_CAPW_END}(?:\s+{_PART}{_CAPW_END}){{0,3}})"
)
_NAT_WORD = re.compile(rf"{_CAPW_END}|U\.S\.|U\.K\.|E\.U\.")


def _word_before(text: str, pos: int) -> tuple[int, int] | None:
    """Span of the space-delimited word that ends just before ``pos`` (one or more spaces
    between), within 40 characters; None at a line start or without a space."""
    j = pos
    while j > 0 and text[j - 1] == " ":
        j -= 1
    if j == pos or j == 0 or text[j - 1] == "\n":
        return None
    lo = max(0, j - 40)
    k = max(text.rfind(" ", lo, j), text.rfind("\n", lo, j)) + 1
    if k == 0 and lo > 0:
        return None
    return k, j
_WS = re.compile(r"\s+")


# ----------------------------------------------------------------------------- coreference
@dataclass
class _Entity:
    name: list[str]
    nats: set = field(default_factory=set)
    titles: set = field(default_factory=set)
    person: bool = False


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    surface: str
    kind: str                      # name | role | pron | other
    subject: bool = False
    sent: int = 0
    name: list[str] | None = None  # name tokens (kind name)
    nats: tuple = ()
    titles: tuple = ()
    head: str = ""
    person: bool = False
    entity: _Entity | None = None
    fallback: str | None = None    # speaker string when unresolved


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
    while j < len(toks) and toks[j] in _PARTICLES:
        j += 1
    return (j > i and j < len(toks) and j - i <= 2
            and (toks[j][:1].isupper() or _is_name_part(toks, j)))


def _parse_named(surface: str) -> tuple[list[str], tuple, tuple, bool]:
    """Split a capitalised run into (name tokens, nationality words, titles, is_person)."""
    toks = surface.split()
    if toks and toks[0].lower() == "the":
        toks = toks[1:]
    # title words and lower-case descriptors ("pensioner", "energy analyst")
    n = len(toks)
    # an institution ("Balkan Energy Observatory", "Institute for Slavic Studies"): the
    # whole run is its name, no titles, never a person
    if n and toks[-1].lower().rstrip(".") in _INST_SET and not toks[-1].endswith(("'s", "\u2019s")):
        return toks, (), (), False
    # title words, lower-case descriptors ("pensioner", "energy analyst") and institution
    # heads before a name ("Institute director Branka Ostojic") precede the name; name
    # particles followed by a name word ("von der Leyen") are part of it
    idx = [i for i, t in enumerate(toks)
           if (t.lower() in _TITLE_SET or t.lower() in _INST_SET
               or (t[:1].islower() and not _is_name_part(toks, i)))]
    if idx:
        first, last = idx[0], idx[-1]
        nats = tuple(t for t in toks[:first] if t.lower() not in _STOP_CAPS)
        titles = tuple(t.lower() for t in toks[first:last + 1])
        name = toks[last + 1:]
    else:
        nats, titles, name = (), (), toks
    name = [t[:-2] if t.endswith(("'s", "\u2019s")) else t for t in name]
    is_org = any(t.lower() in _ORG_WORDS for t in name)
    person = bool(name) and not is_org and (bool(titles) or len(name) >= 2)
    return name, nats, titles, person


#: Role nouns and pronouns look back over at most this many resolved mentions.
_LOOKBACK = 200


class _Resolver:
    """Resolve mentions, in text order, to entities (see the module docstring)."""

    def __init__(self) -> None:
        self.by_surname: dict[str, list[_Entity]] = {}   # most recently mentioned last
        self.history: list[tuple[_Mention, _Entity]] = []   # resolved mentions in order

    def _find_name(self, name: list[str]) -> _Entity | None:
        for ent in reversed(self.by_surname.get(name[-1], ())):
            en = ent.name
            if (len(name) == 1 or len(en) == 1 or en[0] == name[0]
                    or (name[0].lower() in _PARTICLES and len(en) > len(name)
                        and [x.lower() for x in en[-len(name):]] == [x.lower() for x in name])):
                return ent
        return None

    def _touch(self, ent: _Entity) -> None:
        lst = self.by_surname.setdefault(ent.name[-1], [])
        if lst and lst[-1] is ent:
            return
        if ent in lst:
            lst.remove(ent)
        lst.append(ent)

    def resolve(self, m: _Mention) -> None:
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
            for prev, e in reversed(self.history[-_LOOKBACK:]):
                if not e.person:
                    continue
                if m.nats and not any(_nat_match(a, b) for a in m.nats for b in e.nats):
                    continue
                if m.head == "leader":
                    if not (e.titles & _LEADER_TITLES):
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
                for prev, e in reversed(self.history[-_LOOKBACK:]):
                    if e.person:
                        ent = e
                        break
        m.entity = ent
        if ent is not None:
            self.history.append((m, ent))
            self._touch(ent)


def _speaker_of(m: _Mention | None) -> str | None:
    if m is None:
        return None
    if m.entity is not None:
        return " ".join(m.entity.name)
    return m.fallback


# ----------------------------------------------------------------------------- quotes
@dataclass(slots=True)
class _Quote:
    open: int          # offset of the opening mark
    close: int         # offset of the closing mark
    sent: int          # sentence of the opening mark
    direct_like: bool  # opening mark starts its sentence
    kind: str = "partial"
    mention: _Mention | None = None
    verb: tuple | None = None        # (lemma, class, start, end)


@dataclass(slots=True)
class _Report:
    vs: int
    ve: int
    lemma: str
    cls: str
    sent: int
    mention: _Mention | None
    own_subject: bool
    connector: int | None = None     # start of "and"/"," before a subjectless verb
    clause: list | None = None       # [start, end]
    forward: bool = False


def _pair_quotes(text: str, ps: int, pe: int, problems: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Pair quotation marks within one paragraph; report unpaired marks."""
    pairs: list[tuple[int, int]] = []
    open_pos: int | None = None
    for m in _QMARK_RE.finditer(text, ps, pe):
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i > ps else " "
        nxt = text[i + 1] if i + 1 < pe else " "
        looks_open = (prev.isspace() or prev in _OPEN_CONTEXT) and not nxt.isspace()
        looks_close = not prev.isspace() and prev not in "([{"
        if ch in _OPENERS:
            role = "close" if (open_pos is not None and looks_close and not looks_open) else "open"
        elif ch in _CLOSERS:
            role = "open" if (open_pos is None and looks_open and not looks_close) else "close"
        else:
            role = "open" if looks_open and not looks_close else (
                "close" if looks_close and not looks_open else "either")
        if open_pos is None:
            if role == "close":
                problems.append((i, "closing"))
            else:
                open_pos = i
        elif role == "open":
            problems.append((open_pos, "opening"))
            open_pos = i
        else:
            if text[open_pos + 1:i].strip():
                pairs.append((open_pos, i))
            open_pos = None
    if open_pos is not None:
        problems.append((open_pos, "opening"))
    return pairs


def _strip_span(text: str, s: int, e: int, chars: str = " \t\r\n,;:") -> tuple[int, int]:
    while s < e and text[s] in " \t\r\n,;:":
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


_AUX_WORDS = frozenset("""
has have had will would could should can may might must did does do also then later
earlier again once often previously recently reportedly repeatedly further still already
now first today yesterday not never
""".split())
_DETS = frozenset({"the", "The", "his", "His", "her", "Her", "their", "Their", "its", "Its",
                   "a", "A", "an", "An"})
_PREPS = frozenset("""in at from to with for on by of across over under about after before
between against during without within into through near like than as among via""".split())
_FUNCTION_WORDS = _PREPS | frozenset("""and or but nor yet so that which who whom whose when
while where if because although though since the a an this these those is are was were be
been being has have had do does did will would can could should may might must not no
it its he she they we you i his her their our my your said says say told""".split())
_MOD_STOP = frozenset("the a an of with and to in on that for by at from who which".split())
_HEAD_SET = frozenset(h for h in _ROLE_HEADS if " " not in h)
_BARE_SET = frozenset("""officials sources analysts experts observers diplomats critics
residents witnesses lawmakers protesters""".split())
_PRON_WORDS = frozenset({"he", "she", "they", "He", "She", "They"})
_APPOS_START = frozenset({"a", "an", "the", "who", "whose"})
_OF_LINKS = frozenset({"of", "the", "for", "and", "on", "de", "in"})
_WORD_RE = re.compile(r"\S+")


def _is_cap(w: str) -> bool:
    return ((w[:1].isupper() or (w[:3] in ("al-", "el-") and w[3:4].isupper()))
            and not w.endswith((",", ";", ":")))


def _subject_before(text: str, lo: int, vs: int) -> tuple[int, int, str] | None:
    """The subject of a reporting verb at ``vs``: ``(start, end, kind)`` or None.

    Walks back over the words of ``text[lo:vs]``: auxiliaries and adverbs ("has
    recently"), an appositive (", a spokesman for the Kremlin,"), then a pronoun
    (he/she/they), a role noun phrase (determiner + up to three modifiers + a role
    head: "The Serbian leader"), a bare plural source ("officials", "Western
    diplomats") or a run of up to seven capitalised words ("Serbian President
    Aleksandar Vucic", optionally after "the").
    """
    spans = [m.span() for m in _WORD_RE.finditer(text, lo, vs)]
    if not spans or spans[-1][1] == vs:          # the verb must follow a space
        return None
    words = [text[a:b] for a, b in spans]
    i = len(words) - 1
    while i >= 0 and (words[i] in _AUX_WORDS or (len(words[i]) > 3 and words[i].endswith("ly")
                                                   and words[i].isalpha() and words[i].islower())):
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
    head = low if low in _HEAD_SET else (low[:-1] if low.endswith("s") and low[:-1] in _HEAD_SET else None)
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
        while j > 0 and i - j < 6 and (_is_cap(words[j - 1]) or (
                words[j - 1] in _PARTICLES and _is_name_part(words, j - 1))):
            j -= 1                               # "Ursula von der Leyen": particles kept
        while j < i and words[j].lower() in _STOP_CAPS and words[j] not in ("The", "the"):
            j += 1                               # "Such Vucic" -> "Vucic"; "Such" -> none
        if j < i and words[j] in ("The", "the"):
            j += 1                               # "The European Union": "the" re-added below
        if words[j].lower() in _STOP_CAPS:
            return None
        if j > 0 and words[j - 1] in ("the", "The"):
            j -= 1
        # "Stefan Ilic of the Balkan Energy Observatory said": the person before "of"
        # (not a title: "Minister of Foreign Affairs Ivica Dacic" is one subject)
        k, steps = j - 1, 0
        while k > 0 and steps < 8 and (_is_cap(words[k]) or words[k] in _OF_LINKS):
            if (words[k] == "of" and _is_cap(words[k - 1]) and not words[k - 1].endswith(".")
                    and words[k - 1].lower() not in _TITLE_SET
                    and words[k - 1].lower() not in _INST_SET):
                i2 = k - 1
                j2 = i2
                while j2 > 0 and i2 - j2 < 6 and (_is_cap(words[j2 - 1]) or (
                        words[j2 - 1] in _PARTICLES and _is_name_part(words, j2 - 1))):
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
        if j > 0 and words[j - 1] in _PREPS:    # "polls in Serbia show": not the subject
            # "The U.S. embassy in Belgrade said": a role before a place
            return _located_subject(text, lo, spans, words, j - 1)
        # lower-case descriptors before a name: "pensioner Marko Jovanovic",
        # "Kremlin spokesman Dmitry Peskov", "an energy analyst Stefan Ilic"
        k = j
        while (k > 0 and j - k < 3 and words[k - 1].islower() and words[k - 1].replace("-", "").isalpha()
               and words[k - 1] not in _FUNCTION_WORDS):
            k -= 1
        if k < j and k > 0 and _is_cap(words[k - 1]) and any(x in _TITLE_SET for x in words[k:j]):
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
    if j == 0 or words[j - 1] not in _INST_LINKS or words[j] in ("the", "The"):
        return None
    k, steps = j, 0
    while k > 0 and steps < 10 and (words[k - 1] in _INST_LINKS or _is_cap(words[k - 1])):
        k -= 1
        steps += 1
    while k < j and (words[k] in _INST_LINKS or words[k].lower() in _STOP_CAPS):
        k += 1
    if k >= j:
        return None
    if any(_is_cap(x) and (x.lower() in _INST_SET or x.lower() in _TITLE_SET) for x in words[k:j]):
        return k
    return None


def _located_subject(text: str, lo: int, spans: list, words: list[str],
                     p: int) -> tuple[int, int, str] | None:
    """A role or bare-plural subject before the preposition ``words[p]`` ("in"/"at").

    "The U.S. embassy in Belgrade said" -> "The U.S. embassy"; "officials in Brussels
    said" -> "officials"; "polls in Serbia show" -> None (no role head).
    """
    if p == 0 or words[p] not in ("in", "at"):
        return None
    found = _subject_before(text, lo, spans[p][0])
    if found is not None and found[2] in ("role", "other"):
        return found
    return None


class _DocAnalysis:
    """Quotes, reports and mentions of one document."""

    def __init__(self, text: str, sents, paras, auto, verb_forms) -> None:
        self.text = text
        self.sents = sents
        self.sstarts = [s for s, _, _ in sents]
        self.paras = paras
        self.problems: list[tuple[int, str, int]] = []
        self.quotes: list[_Quote] = []
        self.reports: list[_Report] = []
        self.mentions: list[_Mention] = []
        self._find_quotes()
        verbs, self._titles, self._heads = _scan(auto, text)
        self._find_reports(verbs, verb_forms)
        self._resolve()
        self._attribute_quotes()

    # -- helpers
    def sent_of(self, pos: int) -> int:
        return max(bisect.bisect_right(self.sstarts, pos) - 1, 0)

    def _inside_quote(self, pos: int) -> _Quote | None:
        i = bisect.bisect_right(self._qopens, pos) - 1
        if i >= 0 and self.quotes[i].open < pos < self.quotes[i].close:
            return self.quotes[i]
        return None

    # -- quotation marks
    def _find_quotes(self) -> None:
        text = self.text
        for pid, (ps, pe) in enumerate(self.paras):
            probs: list[tuple[int, str]] = []
            for o, c in _pair_quotes(text, ps, pe, probs):
                sid = self.sent_of(o)
                ss = self.sents[sid][0]
                lead = text[ss:o].strip()
                direct_like = lead == "" or lead in ("-", "\u2013", "\u2014")
                self.quotes.append(_Quote(o, c, sid, direct_like,
                                          "direct" if direct_like else "partial"))
            self.problems.extend((pos, which, pid) for pos, which in probs)
        self._qopens = [q.open for q in self.quotes]
        self._qclose = {q.close: q for q in self.quotes}
        self._qopen = {q.open: q for q in self.quotes}

    # -- reporting verbs
    def _drop_mention(self, men: _Mention) -> None:
        """Forget a subject mention that found no speech to attribute (usually the last)."""
        if self.mentions and self.mentions[-1] is men:
            self.mentions.pop()
        else:
            self.mentions.remove(men)

    def _mention(self, s: int, e: int, kind: str, subject: bool = True) -> _Mention:
        """Record a speaker mention ``text[s:e]`` of ``kind`` (name/role/pron/other)."""
        text = self.text
        surface = text[s:e]
        m = _Mention(s, e, surface, kind, subject=subject, sent=self.sent_of(s))
        if kind == "name":
            toks = surface.split()
            # drop leading words that are no part of a name ("Therefore Vucic")
            while len(toks) > 1 and toks[0].lower() in _STOP_CAPS and toks[0].lower() != "the":
                s = text.index(toks[1], s + len(toks[0]))
                toks = toks[1:]
            m.start, m.surface = s, text[s:e]
            name, nats, titles, person = _parse_named(m.surface)
            m.name, m.nats, m.titles, m.person = name, nats, titles, person
            m.fallback = " ".join(name) if name else m.surface
            if not name:
                m.kind = "other"
        elif kind == "role":
            words = _WS.split(surface.strip())
            det = words[0].lower() in ("the", "his", "her", "their", "its", "a", "an")
            body = words[1:] if det else words
            m.nats = tuple(w for w in body[:-1] if w[:1].isupper())
            if words[0][-2:] in ("'s", "\u2019s"):
                m.nats = (words[0],) + m.nats
            head = body[-1].lower() if body else ""
            m.head = head[:-1] if head.endswith("s") and head[:-1] in _HEAD_SET else head
            if m.head in ("minister",) and len(body) >= 2 and body[-2].lower() == "prime":
                m.head = "prime"
            m.fallback = " ".join(body) if det else surface
        elif kind == "pron":
            m.fallback = None
        else:
            m.fallback = surface
        self.mentions.append(m)
        return m

    def _find_reports(self, verbs, verb_forms) -> None:
        for vs, ve, key in verbs:
            if self._inside_quote(vs) is not None:
                continue
            form = key.lower()
            lemma, cls = ("according to", "neutral") if form == "according to" else verb_forms[form]
            sid = self.sent_of(vs)
            ss, se, _ = self.sents[sid]
            if vs >= se:
                continue
            if lemma == "according to":
                self._according(vs, ve, sid, ss, se, cls)
            else:
                self._report(vs, ve, lemma, cls, form, sid, ss, se)
        self._finish_clauses()

    def _according(self, vs, ve, sid, ss, se, cls) -> None:
        text = self.text
        m = _ACC_NP.match(text, ve, se)
        if not m:
            return
        ns, ne = m.span(1)
        np_text = text[ns:ne]
        if re.fullmatch(_PRON, np_text):
            men = self._mention(ns, ne, "pron")
        elif re.fullmatch(_NAMED, np_text):
            men = self._mention(ns, ne, "name")
        elif re.fullmatch(_ROLE, np_text):
            men = self._mention(ns, ne, "role")
        else:
            men = self._mention(ns, ne, "other")
            if np_text.lower().startswith("the "):
                men.fallback = np_text[4:]
        rep = _Report(vs, ve, "according to", cls, sid, men, True)
        pre = text[ss:vs].strip().rstrip(",").strip()
        after = ne
        rest = text[after:se]
        if rest.lstrip().startswith(",") and len(pre.split()) <= 2 and len(rest.strip(" ,.!?")) > 3:
            cs = after + len(rest) - len(rest.lstrip()) + 1
            rep.clause = [cs, se]
            rep.forward = True
        else:
            rep.clause = [self._clause_start(ss), vs]
        self.reports.append(rep)

    def _clause_start(self, ss: int) -> int:
        """Start of a clause running from the sentence start ``ss``: after a dateline."""
        m = _DATELINE.match(self.text, ss)
        return m.end() if m is not None else ss

    def _closing_quote_before(self, pos: int, ss: int) -> _Quote | None:
        """The quote whose closing mark ends the text before ``pos`` (commas allowed)."""
        j = pos
        text = self.text
        while j > ss and text[j - 1] in " \t,":
            j -= 1
        if j > ss and text[j - 1] in _QUOTE_MARKS:
            q = self._qclose.get(j - 1)
            if q is not None:
                return q
            # "...", X said  -> comma after the mark
        if j > ss + 1 and text[j - 1] == "," and text[j - 2] in _QUOTE_MARKS:
            return self._qclose.get(j - 2)
        return None

    def _report(self, vs, ve, lemma, cls, form, sid, ss, se) -> None:
        text = self.text
        # The subject never contains quotation marks, brackets, semicolons or a spaced
        # dash, and lies after the last comma unless an appositive ends there; search
        # only that tail (a regex anchored at the end costs time per character).
        window_start = lo = max(ss, vs - 120)
        for cm in _SUBJ_CUT_RE.finditer(text, lo, vs):
            window_start = cm.end()
        c = text.rfind(",", window_start, vs)
        if c >= 0 and text[c + 1:vs].strip():
            window_start = c + 1
        found = _subject_before(text, window_start, vs)
        if (found is not None and form == lemma and found[2] == "name"
                and " " not in text[found[0]:found[1]] and not text[found[1] - 1] == "s"):
            # a bare verb form after one capitalised word that is no plural is a noun
            # use ("Russian state media", "EU report"), not speech
            found = None
        rep: _Report | None = None
        if found is not None:
            men = self._mention(*found)
            rep = _Report(vs, ve, lemma, cls, sid, men, True)
            subj_start = men.start
            if lemma in _NP_ONLY_VERBS:
                # only a quotation opening right after the verb: 'calls for "restraint"'
                if self._lead(rep, ve, se):
                    self.reports.append(rep)
                else:
                    self._drop_mention(men)
                return
            # 1. trailing attribution of a direct quote:  "...," President Vucic said
            q = self._closing_quote_before(subj_start, ss)
            if q is not None and q.direct_like and q.mention is None:
                self._attach(q, rep)
                self._lead(rep, ve, se)
                self.reports.append(rep)
                return
            # 2. leading attribution:  President Putin said "..."
            if self._lead(rep, ve, se):
                self.reports.append(rep)
                return
            # 3. forward clause: that / colon / zero-that
            if self._forward(rep, ve, se):
                self.reports.append(rep)
                return
            # 4. postposed: "<clause>, X said" / "<clause> - X said ..."
            before = text[ss:subj_start].rstrip()
            sep = before.endswith((",", ":", " -", " \u2013", " \u2014"))
            if before and (sep or q is not None) and _POST_END.match(text, ve, se):
                rep.clause = [self._clause_start(ss), q.close + 1 if q is not None else ss + len(before) - 1]
                self.reports.append(rep)
                return
            self._drop_mention(men)
            return
        # no subject before the verb
        q = self._closing_quote_before(vs, ss)
        j = vs
        while j > ss and text[j - 1].isspace():
            j -= 1
        comma = j - 1 if j > ss and text[j - 1] == "," else None
        if (q is not None or comma is not None) and lemma not in _NP_ONLY_VERBS:
            ma = _SUBJ_AFTER.match(text, ve, se)
            if ma is not None:
                for kind, grp in (("pron", "pron"), ("role", "role"), ("name", "named")):
                    if ma.group(grp) is not None:
                        men = self._mention(ma.start(grp), ma.end(grp), kind)
                        break
                rep = _Report(vs, ve, lemma, cls, sid, men, True)
                if q is not None and q.direct_like and q.mention is None:
                    self._attach(q, rep)
                else:
                    j = vs
                    while j > ss and text[j - 1] in " \t":
                        j -= 1
                    rep.clause = [self._clause_start(ss), j - 1 if text[j - 1] == "," else j]
                self.reports.append(rep)
                return
        coord = _COORD_TAIL.search(text[max(ss, vs - 20):vs])
        participle = form.split()[0].endswith("ing") and comma is not None   # "pointing out"
        if coord is not None or participle:
            prev = next((r for r in reversed(self.reports) if r.sent == sid and r.mention is not None), None)
            if prev is None:
                return
            rep = _Report(vs, ve, lemma, cls, sid, prev.mention, False)
            rep.connector = max(ss, vs - 20) + coord.start() if coord is not None else comma
            if self._lead(rep, ve, se) or self._forward(rep, ve, se):
                self.reports.append(rep)

    def _attach(self, q: _Quote, rep: _Report) -> None:
        """Attribute the direct quote ``q`` to the speaker and verb of ``rep``."""
        q.mention, q.verb, q.kind = rep.mention, (rep.lemma, rep.cls, rep.vs, rep.ve), "direct"

    def _lead(self, rep: _Report, ve: int, se: int) -> bool:
        m = _LEAD_QUOTE.match(self.text, ve, se)
        if m is None:
            return False
        q = self._qopen.get(m.end())
        if q is None or q.mention is not None:
            return False
        colon = ":" in m.group()
        first = self.text[q.open + 1:q.close].lstrip()[:1]
        if colon or first.isupper() or q.direct_like:
            q.kind = "direct"
        q.mention, q.verb = rep.mention, (rep.lemma, rep.cls, rep.vs, rep.ve)
        return True

    def _forward(self, rep: _Report, ve: int, se: int) -> bool:
        text = self.text
        if rep.lemma in _NP_ONLY_VERBS:
            return False
        m = _THAT.match(text, ve, se) or None
        if m is None:
            m = _COLON.match(text, ve, se)
            if m is not None and m.end() == ve:
                m = None
        if m is None:
            m = _ZERO_THAT.match(text, ve, se)
        if m is None:
            return False
        rep.clause = [m.end(), se]
        rep.forward = True
        return True

    def _finish_clauses(self) -> None:
        """Cut forward clauses at coordinated verbs, extend them over quotes, strip."""
        text = self.text
        by_sent: dict[int, list[_Report]] = {}
        for r in self.reports:
            by_sent.setdefault(r.sent, []).append(r)
        for rs in by_sent.values():
            for r in rs:
                if r.clause is None or not r.forward:
                    continue
                cs, ce = r.clause
                for other in rs:
                    if other.connector is not None and other.vs > cs and other.connector < ce:
                        ce = other.connector
                # the clause ends at the sentence end (minus final punctuation) ...
                if ce == self.sents[r.sent][1] and text[ce - 1] in ".!?":
                    ce -= 1
                # ... or later, when it opens a quote that closes in a later sentence
                k = bisect.bisect_left(self._qopens, cs)
                while k < len(self.quotes) and self.quotes[k].open < ce:
                    q = self.quotes[k]
                    if q.close >= ce:
                        se2 = self.sents[self.sent_of(q.close)][1]
                        ce = max(ce, se2 - 1 if text[se2 - 1] in ".!?" else se2)
                    k += 1
                r.clause = [cs, ce]
        for r in self.reports:
            if r.clause is not None:
                cs, ce = _strip_span(text, *r.clause)
                r.clause = [cs, ce] if ce > cs else None

    # -- coreference
    def _resolve(self) -> None:
        text = self.text
        by_end = {m.end: m for m in self.mentions if m.kind in ("name", "role")}
        extra: list[_Mention] = []
        covered = -1
        for ts, _te, _key in self._titles:
            if ts < covered:
                continue
            pm = _PERSON_AT.match(text, ts)
            if pm is None:
                continue
            s, e = pm.span()
            covered = e
            if e in by_end:
                continue
            wb = _word_before(text, s)
            if wb is not None and _NAT_WORD.fullmatch(text, *wb) and text[wb[0]:wb[1]].lower() not in _STOP_CAPS:
                s = wb[0]
            m = _Mention(s, e, text[s:e], "name", sent=self.sent_of(s))
            name, nats, titles, person = _parse_named(m.surface)
            if not name:
                continue
            m.name, m.nats, m.titles, m.person = name, nats, titles, person
            m.subject = s == self.sents[m.sent][0]
            extra.append(m)
            by_end[e] = m
        covered = -1
        for hs, e, key in self._heads:
            if hs < covered or e in by_end:
                continue
            nat = _word_before(text, hs)
            if nat is None or not _NAT_WORD.fullmatch(text, *nat):
                continue
            det = _word_before(text, nat[0])
            if det is None or text[det[0]:det[1]] not in ("the", "The"):
                continue
            covered = e
            s = det[0]
            m = _Mention(s, e, text[s:e], "role", sent=self.sent_of(s))
            m.nats = (text[nat[0]:nat[1]],)
            head = key.lower()
            m.head = "prime" if head.startswith("prime") else head.split()[-1] if head != "head of state" else "leader"
            m.fallback = text[s:e][4:]
            extra.append(m)
            by_end[e] = m
        # subject name mentions: complete them with the title-based parse of the same span
        resolver = _Resolver()
        self.references = sorted(self.mentions + extra, key=lambda m: (m.start, m.end))
        for m in self.references:
            resolver.resolve(m)

    # -- quotes without a verb of their own
    def _attribute_quotes(self) -> None:
        clauses = sorted(((r.clause[0], r.clause[1], i, r) for i, r in enumerate(self.reports)
                          if r.clause is not None), key=lambda c: (c[0], c[1]))
        starts = [c[0] for c in clauses]
        last_direct: dict[int, _Quote] = {}
        for q in self.quotes:
            pid = self.sents[q.sent][2]
            if q.mention is None:
                inner = None
                # the innermost clause containing the quote: among the few clauses that
                # start before it (clauses are sentence-sized; look back at most 8)
                k = bisect.bisect_right(starts, q.open) - 1
                for cs, ce, _i, r in clauses[max(0, k - 7):k + 1][::-1]:
                    if cs <= q.open and q.close < ce + 1:
                        inner = (cs, ce, r)
                        break
                if inner is not None:
                    r = inner[2]
                    q.mention, q.verb = r.mention, (r.lemma, r.cls, r.vs, r.ve)
                elif q.kind == "direct" and pid in last_direct:
                    p = last_direct[pid]
                    q.mention, q.verb = p.mention, p.verb
            if q.kind == "direct" and q.mention is not None:
                last_direct[pid] = q


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while a batch is analysed.

    The analysis allocates many small objects but builds no reference cycles
    (refcounting frees everything); with the collector running, its passes over
    all live objects cost 15-30% of the text layer's time. The previous state is
    restored on exit, also on errors.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _analyse(ids, texts, sources=None, verb_path=None):
    auto = _automaton(verb_path)
    forms = reporting_verbs(verb_path)
    all_sents, analyses = [], []
    for text in texts:
        sents, paras = _doc_sentences(text)
        all_sents.append(sents)
        analyses.append(_DocAnalysis(text, sents, paras, auto, forms))
    return all_sents, analyses


def _quote_frame(ids, texts, analyses) -> pd.DataFrame:
    out: list[tuple] = []
    for did, text, an in zip(ids, texts, analyses):
        rows = [(q.open + 1, q.close, q.kind, q.mention, q.verb) for q in an.quotes]
        rows += [(r.clause[0], r.clause[1], "indirect", r.mention, (r.lemma, r.cls, r.vs, r.ve))
                 for r in an.reports if r.clause is not None]
        rows.sort(key=lambda x: (x[0], -x[1]))
        for qid, (st, e, kind, men, verb) in enumerate(rows):
            sp = (_speaker_of(men), men.surface, men.start, men.end) if men is not None else _NO_SPEAKER
            out.append((did, qid, an.sent_of(st), st, e, text[st:e], kind, *sp, None,
                        *(verb if verb else _NO_VERB)))
    return _frame("quotes", _columns(out, schema.QUOTE_COLUMNS))


_NO_SPEAKER = (None, None, None, None)
_NO_VERB = (None, None, None, None)


def _problem_frame(ids, texts, sources, analyses) -> pd.DataFrame:
    cols: dict[str, list] = {c: [] for c in schema.PROBLEM_COLUMNS}
    for i, (did, text, an) in enumerate(zip(ids, texts, analyses)):
        for pos, which, pid in sorted(an.problems):
            ctx = text[max(0, pos - 25):pos + 5].replace("\n", " ")
            cols["source"].append(sources[i] if sources else "text")
            cols["record"].append(f"paragraph {pid}")
            cols["doc_id"].append(did)
            cols["severity"].append("warning")
            cols["code"].append("unmatched_quote")
            cols["message"].append(
                f"doc {did}: unmatched {which} quotation mark {text[pos]!r} at offset {pos} "
                f"(paragraph {pid}): ...{ctx}... - no quote was made of it")
    return _frame("problems", cols)


def quotes(docs, *, sentences=None) -> pd.DataFrame:
    """Find direct, partial and indirect quotations with speaker and reporting verb.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        As for :func:`sentences`.
    sentences : DataFrame, optional, keyword-only
        Accepted for symmetry with the pipeline; sentences are recomputed (the
        segmentation is deterministic, so the ids agree with :func:`sentences`).

    Returns
    -------
    DataFrame
        Columns of :data:`framelens.schema.QUOTE_COLUMNS`, ordered by start per
        document; ``quote_id`` is 0-based per document. See the module docstring for
        the rules.

    Examples
    --------
    >>> q = quotes('"We talked like old friends," President Vucic said.')
    >>> q[["kind", "text", "speaker", "verb"]].astype(str).values.tolist()
    [['direct', 'We talked like old friends,', 'Vucic', 'say']]
    """
    if sentences is not None and not isinstance(sentences, pd.DataFrame):
        raise TypeError("sentences must be a DataFrame from framelens.text.sentences() or None")
    ids, texts, _ = _as_docs(docs)
    _, analyses = _analyse(ids, texts)
    return _quote_frame(ids, texts, analyses)


def references(docs) -> pd.DataFrame:
    """Return the person references found and how coreference resolved them.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        As for :func:`sentences`.

    Returns
    -------
    DataFrame
        Columns doc_id, start, end, surface, kind (name / role / pron / other),
        subject (bool: sentence-initial or subject of a reporting verb), person (the
        resolved name, missing when unresolved).

    Examples
    --------
    >>> r = references("Russian President Vladimir Putin spoke. The Russian leader left.")
    >>> r[["surface", "person"]].astype(str).values.tolist()
    [['Russian President Vladimir Putin', 'Vladimir Putin'], ['The Russian leader', 'Vladimir Putin']]
    """
    ids, texts, _ = _as_docs(docs)
    _, analyses = _analyse(ids, texts)
    out: dict[str, list] = {k: [] for k in ("doc_id", "start", "end", "surface", "kind", "subject", "person")}
    for did, an in zip(ids, analyses):
        for m in an.references:
            out["doc_id"].append(did)
            out["start"].append(m.start)
            out["end"].append(m.end)
            out["surface"].append(m.surface)
            out["kind"].append(m.kind)
            out["subject"].append(m.subject)
            out["person"].append(" ".join(m.entity.name) if m.entity is not None and m.entity.person else None)
    return pd.DataFrame({
        "doc_id": pd.Series(out["doc_id"], dtype="string"),
        "start": pd.Series(out["start"], dtype="int64"),
        "end": pd.Series(out["end"], dtype="int64"),
        "surface": pd.Series(out["surface"], dtype="string"),
        "kind": pd.Series(out["kind"], dtype="string"),
        "subject": pd.Series(out["subject"], dtype="bool"),
        "person": pd.Series(out["person"], dtype="string"),
    })


# ----------------------------------------------------------------------------- voice
def _doc_segments(n: int, spans: list[tuple[int, int, str, int]]) -> list[tuple[int, int, str, int | None]]:
    """Partition [0, n) into voiced spans; quoted beats reported beats author, and
    among spans of one voice the innermost (latest start) wins. A sweep over the
    span boundaries with the (few) spans active at each point."""
    if n == 0:
        return []
    if not spans:
        return [(0, n, "author", None)]
    spans = sorted(spans)
    bounds = sorted({0, n, *(min(max(s, 0), n) for s, _, _, _ in spans),
                     *(min(max(e, 0), n) for _, e, _, _ in spans)})
    out: list[tuple[int, int, str, int | None]] = []
    active: list[tuple[int, int, str, int]] = []
    k = 0
    for a, b in zip(bounds[:-1], bounds[1:]):
        while k < len(spans) and spans[k][0] <= a:
            active.append(spans[k])
            k += 1
        if active:
            active = [sp for sp in active if sp[1] > a]
        voice, qid = "author", None
        if active:
            best = active[0]
            for sp in active:   # quoted beats reported; then the latest start
                if (sp[2] == "quoted", sp[0]) > (best[2] == "quoted", best[0]):
                    best = sp
            voice, qid = best[2], best[3]
        if out and out[-1][2] == voice and out[-1][3] == qid:
            out[-1] = (out[-1][0], b, voice, qid)
        else:
            out.append((a, b, voice, qid))
    return out


def segments(docs, quotes) -> pd.DataFrame:
    """Partition every document's characters into author / quoted / reported spans.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        As for :func:`sentences` (only the text lengths are used).
    quotes : DataFrame
        A quotes table (:func:`quotes`): direct and partial quote contents are
        ``quoted``, indirect clauses ``reported`` (a quote inside a reported clause
        stays ``quoted``).

    Returns
    -------
    DataFrame
        Columns of :data:`framelens.schema.SEGMENT_COLUMNS`: contiguous,
        non-overlapping spans covering ``[0, len(text))`` of every non-empty document;
        ``quote_id`` of the innermost quotation (missing for author spans).

    Examples
    --------
    >>> segments("He said it was \\"fine\\".", quotes('He said it was "fine".'))["voice"].astype(str).tolist()
    ['author', 'reported', 'quoted', 'reported', 'author']
    """
    if not isinstance(quotes, pd.DataFrame):
        raise TypeError("quotes must be the DataFrame returned by framelens.text.quotes()")
    missing = [c for c in ("doc_id", "start", "end", "kind", "quote_id") if c not in quotes.columns]
    if missing:
        raise ValueError(f"quotes lacks the columns {missing}; pass the table from framelens.text.quotes()")
    ids, texts, _ = _as_docs(docs)
    by_doc: dict[str, list] = {}
    if len(quotes):
        q = quotes
        for did, s, e, kind, qid in zip(q["doc_id"].astype(str).tolist(), q["start"].tolist(),
                                        q["end"].tolist(), q["kind"].astype(str).tolist(),
                                        q["quote_id"].tolist()):
            by_doc.setdefault(did, []).append(
                (int(s), int(e), "reported" if kind == "indirect" else "quoted", int(qid)))
    return _segment_frame(ids, texts, [by_doc.get(d, []) for d in ids])


def _segment_frame(ids, texts, spans_per_doc) -> pd.DataFrame:
    rows = [(did, st, e, voice, qid)
            for did, text, spans in zip(ids, texts, spans_per_doc)
            for st, e, voice, qid in _doc_segments(len(text), spans)]
    return _frame("segments", _columns(rows, schema.SEGMENT_COLUMNS))


def locate(spans: pd.DataFrame, *, sentences: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Add ``sent_id`` and ``voice`` to any table of spans (vectorised).

    Parameters
    ----------
    spans : DataFrame
        Any table with ``doc_id`` and ``start`` columns (``end`` optional); other
        columns and the row order are kept.
    sentences, segments : DataFrame, keyword-only
        The tables from :func:`sentences` and :func:`segments` for the same documents.

    Returns
    -------
    DataFrame
        A copy of ``spans`` with ``sent_id`` (the sentence containing ``start``, or the
        last sentence starting before it; 0 before the first sentence; -1 for unknown
        documents) and ``voice`` (the segment containing ``start``; "author" for
        unknown documents or offsets) replaced or added.

    Examples
    --------
    >>> import pandas as pd
    >>> t = 'He said it was "fine". Then he left.'
    >>> out = process(t)
    >>> locate(pd.DataFrame({"doc_id": ["0", "0"], "start": [16, 28]}), **{k: out[k] for k in ("sentences", "segments")})[["sent_id", "voice"]].astype(str).values.tolist()
    [['0', 'quoted'], ['1', 'author']]
    """
    for name, df, need in (("spans", spans, ("doc_id", "start")),
                           ("sentences", sentences, ("doc_id", "start", "sent_id")),
                           ("segments", segments, ("doc_id", "start", "voice"))):
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"{name} must be a DataFrame, got {type(df).__name__}")
        missing = [c for c in need if c not in df.columns]
        if missing:
            raise ValueError(f"{name} lacks the column(s) {missing}; available: {list(df.columns)}")
    out = spans.copy()
    n = len(out)
    sid_col = np.full(n, -1, dtype=np.int32)
    voice_codes = np.zeros(n, dtype=np.int8)  # index into VOICES; 0 = author
    if n:
        span_doc = out["doc_id"].astype(str).to_numpy(dtype=object)
        cats = pd.Index(pd.unique(np.concatenate([
            span_doc, sentences["doc_id"].astype(str).to_numpy(dtype=object),
            segments["doc_id"].astype(str).to_numpy(dtype=object)])))
        shift = np.int64(1) << np.int64(40)

        def keyed(doc, start):
            codes = cats.get_indexer(doc).astype(np.int64)
            return codes * shift + np.asarray(start, dtype=np.int64), codes

        pos_key, pos_code = keyed(span_doc, out["start"].to_numpy(dtype=np.int64))
        for table, is_sent in ((sentences, True), (segments, False)):
            if not len(table):
                continue
            k, c = keyed(table["doc_id"].astype(str).to_numpy(dtype=object),
                         table["start"].to_numpy(dtype=np.int64))
            order = np.argsort(k, kind="stable")
            k, c = k[order], c[order]
            idx = np.searchsorted(k, pos_key, side="right") - 1
            ok = idx >= 0
            same = np.zeros(n, dtype=bool)
            same[ok] = c[idx[ok]] == pos_code[ok]
            if is_sent:
                vals = table["sent_id"].to_numpy()[order]
                sid_col[same] = vals[idx[same]]
                # before the first sentence of a known document -> 0
                known = np.isin(pos_code, c)
                sid_col[known & ~same] = 0
            else:
                vmap = {v: i for i, v in enumerate(schema.VOICES)}
                vals = np.array([vmap.get(v, 0) for v in table["voice"].astype(str).tolist()], dtype=np.int8)[order]
                voice_codes[same] = vals[idx[same]]
    out["sent_id"] = sid_col
    out["voice"] = pd.Categorical.from_codes(voice_codes, categories=list(schema.VOICES))
    return out


# ----------------------------------------------------------------------------- pipeline
def process(docs, *, verbs: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Run the whole text layer over a batch of documents.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        As for :func:`sentences`; a ``source`` column, when present, names the origin
        in problem rows.
    verbs : path, optional, keyword-only
        Another reporting-verb lexicon (same YAML format and classes as the built-in
        ``lexicons/reporting_verbs.yaml``).

    Returns
    -------
    dict of DataFrame
        ``sentences``, ``quotes``, ``segments`` and ``problems`` (``unmatched_quote``
        warnings with the mark's offset), each with the columns of
        :mod:`framelens.schema`.

    Notes
    -----
    The cyclic garbage collector is paused while the batch is analysed (the analysis
    makes no reference cycles) and restored afterwards. A lexicon file given as
    ``verbs`` is read once per path and process (cached).

    Examples
    --------
    >>> out = process('The war ended in 1944". Then "peace".')
    >>> out["problems"]["code"].astype(str).tolist(), len(out["quotes"])
    (['unmatched_quote'], 1)
    """
    if verbs is not None and not isinstance(verbs, (str, Path)):
        raise TypeError(f"verbs must be a path to a YAML lexicon or None, got {verbs!r}")
    ids, texts, sources = _as_docs(docs)
    with _gc_paused():
        return _process(ids, texts, sources, None if verbs is None else str(verbs))


def _process(ids, texts, sources, verb_path) -> dict[str, pd.DataFrame]:
    all_sents, analyses = _analyse(ids, texts, sources, verb_path)
    q = _quote_frame(ids, texts, analyses)
    spans_per_doc = []
    for an in analyses:
        rows = [(q_.open + 1, q_.close, "quoted") for q_ in an.quotes]
        rows += [(r.clause[0], r.clause[1], "reported") for r in an.reports if r.clause is not None]
        rows.sort(key=lambda x: (x[0], -x[1]))
        spans_per_doc.append([(s, e, v, qid) for qid, (s, e, v) in enumerate(rows)])
    out = {
        "sentences": _sentence_frame(ids, texts, all_sents),
        "quotes": q,
        "segments": _segment_frame(ids, texts, spans_per_doc),
        "problems": _problem_frame(ids, texts, sources, analyses),
    }
    log.debug("text.process: %d docs -> %d sentences, %d quotes, %d problems",
              len(ids), len(out["sentences"]), len(q), len(out["problems"]))
    return out
