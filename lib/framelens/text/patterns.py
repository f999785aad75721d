"""The compiled regular expressions for subjects, names, roles and clauses."""

from __future__ import annotations

import logging
import re

from .verbs import trie_regex
from .words import LOWER_TITLES, NAME_PARTICLES, QUOTE_MARKS, ROLE_HEADS, TITLE_SET

log = logging.getLogger(__name__)

_CAPW = r"[A-Z][\w'\u2019.\-]*"  # a capitalised word (may end in a period: Mr.)


_CAPW_END = r"[A-Z][\w'\u2019\-]*"  # ... the last word of a name has no period


_MOD = r"(?!(?:the|a|an|of|with|and|to|in|on|that|for|by|at|from|who|which)\b)[\w'\u2019.\-]+"


_HEADS = "|".join(sorted((h.replace(" ", r"\s+") for h in ROLE_HEADS), key=len, reverse=True))


_DET = r"(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|" + _CAPW_END + r"['\u2019]s)"


ROLE_RE = rf"{_DET}\s+(?:{_MOD}\s+){{0,3}}?(?i:(?:{_HEADS})s?)(?![\w\-])"


# name particles between capitalised words ("Ursula von der Leyen"); "al-"/"el-" prefixes
_PART = r"(?:(?:" + "|".join(NAME_PARTICLES) + r")\s+){0,2}(?:[ae]l-)?"


NAMED_RE = rf"(?:[Tt]he\s+)?{_PART}(?:{_CAPW}\s+{_PART}){{0,6}}{_CAPW_END}"


PRON_RE = r"(?:[Hh]e|[Ss]he|[Tt]hey)"


# subject after the verb (", said X." / ", X said")
_END_LIKE = (
    r"(?=\s*(?:[.,;!?\"\u201d\u00bb)]|$)|\s+(?:in|on|at|during|after|before|to|from|with|"
    r"when|while|last|this|yesterday|today|earlier|later|late|according)\b)"
)


SUBJ_AFTER = re.compile(
    rf"\s+(?:(?P<pron>{PRON_RE})|(?P<role>(?:[Tt]he|[Hh]is|[Hh]er)\s+(?:{_MOD}\s+){{0,3}}?"
    rf"(?i:(?:{_HEADS})s?))|(?P<named>{NAMED_RE})){_END_LIKE}"
)


# after the verb: an optional object then nothing of substance (postposed "..., X said.")
POST_END = re.compile(
    r"(?:\s+(?:me|him|her|us|them|reporters|journalists|(?:the\s+)?"
    + _CAPW
    + r"(?:\s+"
    + _CAPW
    + r")*))?"
    + _END_LIKE
)


THAT_RE = re.compile(r"[^,.;:!?\"\u201c\u201d\u201e\u00ab\u00bb\n]{0,60}?\bthat\b[\s,]*")


COLON_RE = re.compile(r"\s*:\s*")


LEAD_QUOTE = re.compile(r"\s*[,:]?\s*(?=[" + QUOTE_MARKS + "])")


_FINITE_AUX = (
    r"(?:is|are|was|were|will|would|could|can|should|must|has|have|had|did|does|do|"
    r"might|may)"
)


# a lower-case word that may open a noun phrase subject ("talks", "candidate countries")
_LOWER_NP_WORD = (
    r"(?!(?:that|what|whether|how|when|why|who|which|if|to|of|in|on|at|for|by|"
    r"with|from|about|after|before|during|last|next|this|earlier|later|"
    r"yesterday|today|tomorrow|again|also|then|so|and|but|or|not)\b)"
    r"[a-z][\w'\u2019\-]*"
)


ZERO_THAT = re.compile(
    r"\s+(?:(?:me|him|her(?=\s+(?:he|she|it|they|we|I|you|there|the|a|an|[A-Z])\b)|us|them|"
    r"reporters|journalists|" + _CAPW + r"(?<!['\u2019]s))\s+)?"
    r"(?=(?:he|she|it|they|we|I|you|there)\b|(?:the|a|an|this|these|those|his|her|its|their|"
    r"our|my|"
    + _PART
    + _CAPW_END
    + r")(?:\s+[\w'\u2019\-]+){0,5}?\s+(?:"
    + _FINITE_AUX
    + r"|[a-z]+ed)\b"
    # a bare lower-case noun phrase of one to three words, then an auxiliary or modal
    # ("said talks were", "said candidate countries were expected"); no -ed verb here
    # ("noted concerns raised by ..." is an object with a participle, not a clause)
    r"|" + _LOWER_NP_WORD + r"(?:\s+" + _LOWER_NP_WORD + r"){0,2}\s+" + _FINITE_AUX + r"\b)"
)


# a dateline opening a paragraph ("BELGRADE, Nov 14 (Wire) - "): no part of a clause
DATELINE = re.compile(
    r"[A-Z][A-Z.'\- ]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([^)\n]{1,30}\))?"
    r"\s+[-\u2013\u2014]{1,2}\s+"
)


COORD_TAIL = re.compile(r"(?:,\s*|\s)(?:and|but)(?:\s+(?:also|then|later|further))?\s+$")


SUBJ_CUT_RE = re.compile(r"[;:()" + QUOTE_MARKS + r"]|\s[-\u2013\u2014]\s")


ACC_NP = re.compile(
    r"\s+([^,.;:!?\"\u201c\u201d\n]{1,80}?)(?=\s*(?:[,.;:!?\"\u201c\u201d]|$)|\s+(?:who|which|that|whose)\b)"
)


# person mentions anywhere: [nationality] title(s) Name Name. Title hits come from the
# automaton (scan_verbs); PERSON_AT is matched at a title hit; the nationality word before
# it is read by _NAT_BEFORE. Role references ("the Serbian leader") are found from
# their head word backwards (_ROLE_BACK).
_TITLE_FORMS = sorted(
    {f for t in TITLE_SET for f in ((t[0].upper() + t[1:],) + ((t,) if t in LOWER_TITLES else ()))}
)


_TITLE_TRIE = "(?:" + trie_regex(_TITLE_FORMS) + ")"


PERSON_AT = re.compile(
    rf"{_TITLE_TRIE}(?:\s+{_TITLE_TRIE})*\s+"
    rf"(?P<name>{_PART}{_CAPW_END}(?:\s+{_PART}{_CAPW_END}){{0,3}})"
)


NAT_WORD = re.compile(rf"{_CAPW_END}|U\.S\.|U\.K\.|E\.U\.")


def word_before(text: str, pos: int) -> tuple[int, int] | None:
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


WS_RE = re.compile(r"\s+")
