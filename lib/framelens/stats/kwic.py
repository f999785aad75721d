"""Keyword in context."""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

from framelens.core.normalize import fold

from .schemes import as_str_array, require

log = logging.getLogger(__name__)


def _pattern_regex(pattern: str) -> re.Pattern:
    """Glob/phrase pattern -> regex on folded text with word boundaries."""
    words = fold(pattern.strip()).split()
    if not words:
        raise ValueError("kwic pattern is empty")
    parts = []
    for w in words:
        if w.endswith("*"):
            parts.append(re.escape(w[:-1]) + r"\w*")
        else:
            parts.append(re.escape(w))
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")


_WORD_RE = re.compile(r"\S+")


def kwic(
    docs: pd.DataFrame,
    pattern: str,
    *,
    matches: pd.DataFrame | None = None,
    lexicon: str | None = None,
    window: int = 8,
    max_rows: int | None = None,
) -> pd.DataFrame:
    """Keyword in context for a term/phrase/glob or a lexicon category.

    If ``matches`` is given and ``pattern`` is a category in it (optionally of
    ``lexicon``), the category's match spans are shown; otherwise ``pattern`` is a
    word, a phrase or a prefix glob (``sanction*``) searched case- and
    diacritics-insensitively on word boundaries.

    Parameters
    ----------
    docs : DataFrame
        doc_id and text.
    pattern : str
        Term, phrase, glob or category name.
    window : int
        Number of whitespace-separated words of context on each side.
    max_rows : int, optional
        Stop after this many rows.

    Returns
    -------
    DataFrame
        doc_id, start, end, left, match, right (``text[start:end] == match``), and
        term / category when taken from ``matches``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ["New EU sanctions hit Russia hard."]})
    >>> r = kwic(d, "sanction*", window=2)
    >>> r[["start", "end", "left", "match", "right"]].values.tolist()
    [[7, 16, 'New EU', 'sanctions', 'hit Russia']]
    """
    require(docs, "docs", ("doc_id", "text"))
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"window must be an int >= 0, got {window!r}")
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"].astype(object)))
    spans: list[tuple] = []
    from_matches = False
    if matches is not None and len(matches):
        require(matches, "matches", ("doc_id", "start", "end", "category"))
        sel = as_str_array(matches["category"]) == pattern
        if lexicon is not None:
            sel &= as_str_array(matches["lexicon"]) == lexicon
        if sel.any():
            from_matches = True
            m = matches.loc[sel].sort_values(["doc_id", "start"], kind="stable")
            spans = list(
                zip(
                    m["doc_id"].astype(str),
                    m["start"].astype(int),
                    m["end"].astype(int),
                    m["term"].astype(str) if "term" in m else [""] * len(m),
                    m["category"].astype(str),
                )
            )
    if not from_matches:
        rx = _pattern_regex(pattern)
        for did, text in texts.items():
            if not isinstance(text, str):
                continue
            for mo in rx.finditer(fold(text)):
                spans.append((did, mo.start(), mo.end(), pattern, ""))
                if max_rows and len(spans) >= max_rows:
                    break
            if max_rows and len(spans) >= max_rows:
                break
    rows = {"doc_id": [], "start": [], "end": [], "left": [], "match": [], "right": []}
    extra = {"term": [], "category": []}
    bounds_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for did, s, e, term, cat in spans[: max_rows or None]:
        text = texts.get(did)
        if not isinstance(text, str):
            continue
        if did not in bounds_cache:
            ws = [(mo.start(), mo.end()) for mo in _WORD_RE.finditer(text)]
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
        extra["term"].append(term)
        extra["category"].append(cat)
    out = pd.DataFrame(rows)
    out["start"] = out["start"].astype(np.int64)
    out["end"] = out["end"].astype(np.int64)
    if from_matches:
        out["term"] = extra["term"]
        out["category"] = extra["category"]
    return out
