"""The reporting-verb lexicon: lemmas, inflected forms, verb classes and one compiled matcher."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from framelens.core.schema import VERB_CLASSES
from framelens.errors import LexiconError

from .words import LEXICON_PATH, LOWER_TITLES, ROLE_REF_HEADS, TITLE_SET

log = logging.getLogger(__name__)


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
        raise LexiconError(f"lemma must be a non-empty string, got {lemma!r}")
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
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "show": ("showed", "shown"),
    "speak": ("spoke", "spoken"),
    "think": ("thought",),
}


_IRREGULAR_ALSO_REGULAR = frozenset({"show"})


_DOUBLING = frozenset(
    {
        "admit",
        "commit",
        "omit",
        "submit",
        "permit",
        "regret",
        "refer",
        "prefer",
        "confer",
        "rebut",
        "aver",
    }
)


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
    p = Path(path) if path is not None else LEXICON_PATH
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise LexiconError(f"cannot read the reporting-verb lexicon {p}: {exc}") from exc
    cats = data.get("categories")
    if not isinstance(cats, Mapping) or not cats:
        raise LexiconError(
            f"{p}: a lexicon needs a 'categories' mapping (see docs/architecture.md)"
        )
    out: dict[str, str] = {}
    for cat, body in cats.items():
        if cat not in VERB_CLASSES:
            raise LexiconError(f"{p}: unknown verb class {cat!r}; use one of {VERB_CLASSES}")
        patterns = body.get("patterns", []) if isinstance(body, Mapping) else body
        for pat in patterns or []:
            term = pat.get("term") if isinstance(pat, Mapping) else pat
            if not isinstance(term, str) or not term.strip():
                raise LexiconError(f"{p}: category {cat!r} has an invalid pattern {pat!r}")
            term = " ".join(term.split()).lower()
            if term in out and out[term] != cat:
                raise LexiconError(f"{p}: lemma {term!r} is in both {out[term]!r} and {cat!r}")
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


def trie_regex(words: Sequence[str]) -> str:
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
def automaton(path: str | None = None):
    """One Aho-Corasick automaton for reporting-verb forms, title words and role heads.

    Values are ``(key, kinds)`` with kinds a subset of {"verb", "title", "head"}; a
    document is scanned once (case-sensitively) and the hits are dispatched.
    """
    import ahocorasick

    kinds: dict[str, set] = {}
    for f in reporting_verbs(path):
        kinds.setdefault(f, set()).add("verb")
    kinds.setdefault("According to", set()).add("verb")
    for t in TITLE_SET:
        forms = {t[0].upper() + t[1:]}
        if t in LOWER_TITLES:
            forms.add(t)
        for f in forms:
            kinds.setdefault(f, set()).add("title")
    for h in ROLE_REF_HEADS:
        for f in {h, h[0].upper() + h[1:], h.title()}:
            kinds.setdefault(f, set()).add("head")
    auto = ahocorasick.Automaton()
    for k in sorted(kinds):
        idx = tuple(i for i, kind in enumerate(("verb", "title", "head")) if kind in kinds[k])
        auto.add_word(k, (k, len(k), idx, k.endswith(".")))
    auto.make_automaton()
    return auto


def scan_verbs(auto, text: str) -> tuple[list, list, list]:
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
