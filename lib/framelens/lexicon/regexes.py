r"""Regex patterns of a lexicon: literal-prefix analysis and boundary-checked search.

A regex pattern whose every match starts with one of a few literal strings
(:func:`literal_prefixes`) gets its candidate positions from the matcher's
Aho-Corasick pass and is tried only there (:func:`regex_at`); any other regex runs over
the whole folded text (:func:`regex_spans`). Both give the matches ``re.finditer``
gives.

Examples
--------
>>> literal_prefixes(r"(?:lift|ease)\w* sanctions")
['ease', 'lift']
>>> regex_spans(re.compile("ban"), "a ban, urban", True)  # must start on a boundary
[(2, 5)]
"""

from __future__ import annotations

import re

__all__ = [
    "WORD_CHAR_RE",
    "has_upper_literal",
    "leading_boundary",
    "literal_prefixes",
    "regex_at",
    "regex_spans",
]


#: One word character (the boundary test of :func:`regex_spans`).
WORD_CHAR_RE = re.compile(r"\w")


def has_upper_literal(pattern: str) -> bool:
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


def leading_boundary(pattern: str) -> bool:
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


def literal_prefixes(pattern: str, *, limit: int = 64, min_len: int = 3) -> list[str] | None:
    """Literal strings one of which every match of ``pattern`` starts with (on folded,
    lower-case text), or None when there is no such small set of prefixes of at least
    ``min_len`` characters. ``(?:lift|ease)\\w*`` -> ["lift", "ease"]; lookaround
    assertions are skipped: ``(?<!\\bin )may\\b`` -> ["may"]."""
    try:
        from re import _constants as C
        from re import _parser as sre_parse  # Python >= 3.11

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


def regex_at(rx: re.Pattern, text: str, positions: list[int]) -> list[tuple[int, int]]:
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


def regex_spans(rx: re.Pattern, text: str, lead_b: bool) -> list[tuple[int, int]]:
    """Non-empty, non-overlapping matches of ``rx`` like ``finditer``; with ``lead_b``
    a match must also start on a word boundary (the stripped leading ``\\b``), and
    after a rejected candidate the search resumes one character later."""
    if not lead_b:
        return [m.span() for m in rx.finditer(text) if m.end() > m.start()]
    out, pos, n = [], 0, len(text)
    search, word = rx.search, WORD_CHAR_RE.match
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
