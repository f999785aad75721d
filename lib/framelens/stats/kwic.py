"""Keyword in context, with an explicit pattern type (quanteda's ``valuetype``).

Pattern types:

- ``"glob"`` (default): words and phrases with wildcards, ``*`` for any run of word
  characters and ``?`` for one (``sanction*``, ``trade deal``);
- ``"fixed"``: the words and phrases literally (no wildcards);
- ``"regex"``: a Python regular expression;
- ``"category"``: the spans of a lexicon category in the ``matches`` table.

Glob, fixed and regex patterns are matched case- and diacritics-insensitively on the
folded text (:func:`framelens.core.normalize.fold`, offsets preserved); glob and fixed
patterns match whole words only. Context windows count whitespace-separated pieces of
the text, so the context keeps its punctuation ("hard."): a display, not a length (lengths
and rates count the words of :mod:`framelens.core.tokens`).
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

from framelens.core.normalize import fold
from framelens.core.schema import require

__all__ = ["PATTERN_TYPES", "kwic", "pattern_regex"]

log = logging.getLogger(__name__)

#: The pattern types of :func:`kwic` (quanteda's ``valuetype`` plus lexicon categories).
PATTERN_TYPES = ("glob", "regex", "fixed", "category")


def pattern_regex(pattern: str, *, pattern_type: str = "glob") -> re.Pattern:
    """The compiled regex of a glob, fixed or regex pattern, for folded text.

    Examples
    --------
    >>> pattern_regex("sanction*").pattern
    '(?<!\\\\w)sanction\\\\w*(?!\\\\w)'
    >>> bool(pattern_regex("Vučić?", pattern_type="fixed").search("vucic? yes"))
    True
    """
    check_pattern_type(pattern_type)
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError("kwic pattern is empty")
    if pattern_type == "regex":
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"kwic pattern {pattern!r} is not a valid regex: {exc}") from None
    if pattern_type == "category":
        raise ValueError("a category pattern has no regex: it selects rows of matches")
    parts = []
    for w in fold(pattern.strip()).split():
        if pattern_type == "glob":
            parts.append("".join(_GLOB.get(ch, re.escape(ch)) for ch in w))
        else:
            parts.append(re.escape(w))
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")


_GLOB = {"*": r"\w*", "?": r"\w"}
_PIECE_RE = re.compile(r"\S+")  # context pieces: whitespace-separated (display only)


def check_pattern_type(pattern_type: str) -> str:
    if pattern_type not in PATTERN_TYPES:
        raise ValueError(
            f"pattern_type must be one of {', '.join(map(repr, PATTERN_TYPES))}, "
            f"not {pattern_type!r}"
        )
    return pattern_type


def category_spans(
    matches: pd.DataFrame | None, category: str, lexicon: str | None
) -> list[tuple[str, int, int, str, str]]:
    """(doc_id, start, end, term, category) of the matches of one lexicon category."""
    if matches is None:
        raise ValueError("pattern_type='category' needs the matches table (matches=...)")
    require(matches, ("doc_id", "start", "end", "category"), table="matches")
    if not len(matches):
        return []
    sel = matches["category"].astype(str).to_numpy() == category
    if lexicon is not None:
        sel &= matches["lexicon"].astype(str).to_numpy() == lexicon
    m = matches.loc[sel].sort_values(["doc_id", "start"], kind="stable")
    return list(
        zip(
            m["doc_id"].astype(str),
            m["start"].astype(int),
            m["end"].astype(int),
            m["term"].astype(str) if "term" in m else [""] * len(m),
            m["category"].astype(str),
        )
    )


def kwic(
    docs: pd.DataFrame,
    pattern: str,
    *,
    pattern_type: str = "glob",
    matches: pd.DataFrame | None = None,
    lexicon: str | None = None,
    window: int = 8,
    max_rows: int | None = None,
) -> pd.DataFrame:
    """Keyword in context for a glob, fixed or regex pattern, or a lexicon category.

    Parameters
    ----------
    docs : DataFrame
        doc_id and text.
    pattern : str
        The pattern, or a category name with ``pattern_type="category"``.
    pattern_type : {"glob", "regex", "fixed", "category"}, keyword-only
        How ``pattern`` is read (module docstring); ``"category"`` needs ``matches``.
    matches : DataFrame, optional
        The ``matches`` table (only with ``pattern_type="category"``).
    lexicon : str, optional
        Restrict a category to this lexicon.
    window : int
        Number of whitespace-separated pieces of context on each side.
    max_rows : int, optional
        Stop after this many rows.

    Returns
    -------
    DataFrame
        doc_id, start, end, left, match, right (``text[start:end] == match``), and
        term / category with ``pattern_type="category"``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ["New EU sanctions hit Russia hard."]})
    >>> r = kwic(d, "sanction*", window=2)
    >>> r[["start", "end", "left", "match", "right"]].values.tolist()
    [[7, 16, 'New EU', 'sanctions', 'hit Russia']]
    >>> kwic(d, r"\\bhit\\b", pattern_type="regex", window=1)["right"].tolist()
    ['Russia']
    """
    check_pattern_type(pattern_type)
    require(docs, ("doc_id", "text"), table="docs")
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"window must be an int >= 0, got {window!r}")
    if matches is not None and pattern_type != "category":
        raise ValueError(
            f"matches is only used with pattern_type='category' (got {pattern_type!r}); "
            "pass pattern_type='category' to show a lexicon category's spans"
        )
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"].astype(object)))
    if pattern_type == "category":
        spans = category_spans(matches, pattern, lexicon)
    else:
        rx = pattern_regex(pattern, pattern_type=pattern_type)
        spans = pattern_spans(texts, rx, pattern, max_rows=max_rows)
    out = context_rows(texts, spans[: max_rows or None], window)
    if pattern_type != "category":
        out = out.drop(columns=["term", "category"])
    return out


def pattern_spans(
    texts: dict, rx: re.Pattern, pattern: str, *, max_rows: int | None = None
) -> list[tuple[str, int, int, str, str]]:
    """(doc_id, start, end, pattern, "") of the non-empty matches of ``rx`` in folded text."""
    spans: list[tuple] = []
    for did, text in texts.items():
        if not isinstance(text, str):
            continue
        for mo in rx.finditer(fold(text)):
            if mo.end() > mo.start():
                spans.append((did, mo.start(), mo.end(), pattern, ""))
                if max_rows and len(spans) >= max_rows:
                    return spans
    return spans


def context_rows(texts: dict, spans: list[tuple], window: int) -> pd.DataFrame:
    """The KWIC rows of ``spans``: left / right context of ``window`` words each."""
    rows: dict[str, list] = {
        k: [] for k in ("doc_id", "start", "end", "left", "match", "right", "term", "category")
    }
    bounds_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for did, s, e, term, cat in spans:
        text = texts.get(did)
        if not isinstance(text, str):
            continue
        if did not in bounds_cache:
            ws = [mo.span() for mo in _PIECE_RE.finditer(text)]
            bounds_cache[did] = (
                np.array([w[0] for w in ws], dtype=np.int64),
                np.array([w[1] for w in ws], dtype=np.int64),
            )
        starts, ends = bounds_cache[did]
        i_left = int(np.searchsorted(ends, s, side="right"))  # words ending at/before s
        lo = starts[max(i_left - window, 0)] if window and i_left > 0 else s
        i_right = int(np.searchsorted(starts, e, side="left"))  # first word starting at/after e
        hi = ends[min(i_right + window, len(ends)) - 1] if window and i_right < len(starts) else e
        rows["doc_id"].append(did)
        rows["start"].append(int(s))
        rows["end"].append(int(e))
        rows["left"].append(" ".join(text[lo:s].split()))
        rows["match"].append(text[s:e])
        rows["right"].append(" ".join(text[e : max(hi, e)].split()))
        rows["term"].append(term)
        rows["category"].append(cat)
    out = pd.DataFrame(rows)
    out["start"] = out["start"].astype(np.int64)
    out["end"] = out["end"].astype(np.int64)
    return out
