"""Validation of read records into documents and problem rows."""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from framelens.core.schema import DOC_COLUMNS
from framelens.errors import CorpusError

from .columns import rename_standard, unique_columns, without_surrogates
from .problems import (
    FUNCTION_WORDS,
    LANGUAGE_SAMPLE_CHARS,
    LANGUAGE_WORD_RE,
    METADATA_FIELDS,
    NOT_ENGLISH_MIN_WORDS,
    NOT_ENGLISH_THRESHOLD,
    problem_row,
    where_text,
)
from .readers import Options, Raw, clean_extra, doc_hash, is_missing
from .sources import scalar_value

log = logging.getLogger(__name__)

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


_QUOTES_BLANK = re.compile(r'["\u201c\u201d]|\n[ \t]*\n')


_QUOTES_LINE = re.compile(r'["\u201c\u201d]|\n')


def _quote_issues(text: str) -> list[str]:
    """Describe unbalanced double quotation marks per paragraph.

    Paragraphs are separated by blank lines when the text has any, else by newlines.
    A paragraph is unbalanced when it holds an odd number of straight ``"`` or when a
    curly closing mark has no opening one (or an opening one is never closed).
    """
    if '"' not in text and "\u201c" not in text and "\u201d" not in text:
        return []
    pat = _QUOTES_BLANK if _BLANK_LINE.search(text) else _QUOTES_LINE
    issues: list[str] = []
    para = 1
    straight: list[int] = []
    opens: list[int] = []
    stray: int | None = None

    def close() -> None:
        if len(straight) % 2:
            issues.append(
                f"paragraph {para}: odd number ({len(straight)}) of straight "
                f"quotation marks, the last at offset {straight[-1]}"
            )
        if stray is not None:
            issues.append(
                f"paragraph {para}: closing \u201d at offset {stray} without an opening \u201c"
            )
        if opens:
            issues.append(
                f"paragraph {para}: opening \u201c at offset {opens[0]} is not "
                "closed in its paragraph"
            )

    for m in pat.finditer(text):
        ch = m.group()
        if ch == '"':
            straight.append(m.start())
        elif ch == "\u201c":
            opens.append(m.start())
        elif ch == "\u201d":
            if opens:
                opens.pop()
            elif stray is None:
                stray = m.start()
        else:
            if straight or opens or stray is not None:
                close()
            para += 1
            straight, opens, stray = [], [], None
    close()
    return issues


def _english_share(text: str) -> tuple[int, float]:
    """(number of words, share of English function words) in the text's first
    :data:`LANGUAGE_SAMPLE_CHARS` characters."""
    words = LANGUAGE_WORD_RE.findall(text[:LANGUAGE_SAMPLE_CHARS].lower())
    if not words:
        return 0, 0.0
    counts = Counter(words)  # counted in C
    return len(words), sum(counts[w] for w in FUNCTION_WORDS) / len(words)


_EXACT_FLOAT = 2**53  # whole floats below this are exact integers


def _id_string(v: Any) -> tuple[str | None, str | None]:
    """(id string or None when missing, why the value is a doubtful id or None)."""
    if is_missing(v):
        return None, None
    if isinstance(v, (bool, np.bool_)):
        return str(v), f"doc_id {v!r} is a boolean, not an id"
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if np.isnan(f):
            return None, None
        if np.isinf(f):
            return str(f), f"doc_id {f!r} is an infinite number"
        if f.is_integer():
            text = str(int(f))
            if abs(f) < _EXACT_FLOAT:
                return text, None
            return text, (
                f"doc_id {f!r} is a floating-point number too large to be an exact "
                "integer, so it may not be the id you wrote"
            )
        return repr(f), f"doc_id {f!r} is a floating-point number, not a whole number"
    if isinstance(v, (list, dict, tuple, set)):
        text = scalar_value(v)
        return text, f"doc_id is a {type(v).__name__}, not an id"
    text = str(v).strip()
    return (text or None), None


def _as_id_strings(s: pd.Series) -> tuple[list[str | None], dict[int, str]]:
    """Ids as strings (whole floats without ``.0``) and the rows whose id is doubtful."""
    if isinstance(s.dtype, pd.StringDtype) or pd.api.types.is_integer_dtype(s.dtype):
        st = s.astype("string").str.strip()
        return [None if (v is pd.NA or v == "") else v for v in st.tolist()], {}
    ids: list[str | None] = []
    doubtful: dict[int, str] = {}
    for i, v in enumerate(s.tolist()):
        text, why = _id_string(v)
        ids.append(text)
        if why:
            doubtful[i] = why
    return ids, doubtful


_RECORD_KINDS = ("line ", "row ", "index ")


def _pack_record(record: str) -> int | str:
    """A record name as a small int when it is ``line N``, ``row N`` or ``index N`` (N
    written plainly), else the name itself: :func:`_unpack_record` gives it back."""
    for k, prefix in enumerate(_RECORD_KINDS):
        if record.startswith(prefix):
            n = record[len(prefix) :]
            if n.isascii() and n.isdigit() and str(int(n)) == n:
                return int(n) * 4 + k
            break
    return record


def _unpack_record(packed: int | str) -> str:
    if isinstance(packed, str):
        return packed
    return f"{_RECORD_KINDS[packed % 4]}{packed // 4}"


class DuplicateChecker:
    """Remember document ids and texts seen so far, to find repeats across batches.

    Keeps one dictionary entry per distinct id and per distinct text (its
    :func:`doc_hash` as a 64-bit int), mapped to the record that used it first (``line
    N`` and ``row N`` as ints): no table of documents and no texts, so one checker can
    follow a corpus read in batches (about 0.3 KB per document).

    Examples
    --------
    >>> chk = DuplicateChecker()
    >>> chk.see_id("a", "row 1") is None, chk.see_id("a", "row 5")
    (True, 'row 1')
    >>> chk.see_text("Same.", "row 1", "a") is None
    True
    >>> chk.see_text("Same.", "row 5", "b")  # (first record, its id, copy number)
    ('row 1', 'a', 2)
    """

    def __init__(self) -> None:
        self._ids: dict[str, int | str] = {}
        self._texts: dict[int, tuple[int | str, str]] = {}
        self._copies: dict[int, int] = {}  # texts seen more than once: how often

    @property
    def n_ids(self) -> int:
        """Distinct ids seen."""
        return len(self._ids)

    @property
    def n_texts(self) -> int:
        """Distinct texts seen."""
        return len(self._texts)

    def see_id(self, doc_id: str, record: str) -> str | None:
        """Register ``doc_id``; return the record that used it first, or None if new."""
        first = self._ids.get(doc_id)
        if first is None:
            self._ids[doc_id] = _pack_record(record)
            return None
        return _unpack_record(first)

    def see_text(
        self, text: str, record: str, doc_id: str, *, key: str | None = None
    ) -> tuple[str, str, int] | None:
        """Register a text; for a repeat return ``(first record, first id, copy number)``
        (2 for the first repeat), else None. ``key`` is the text's :func:`doc_hash`
        when already computed."""
        h = int(key if key is not None else doc_hash(text), 16)
        got = self._texts.get(h)
        if got is None:
            self._texts[h] = (_pack_record(record), doc_id)
            return None
        k = self._copies.get(h, 1) + 1
        self._copies[h] = k
        return _unpack_record(got[0]), got[1], k


_NS_LO = pd.Timestamp("1677-09-22", tz="UTC")


_NS_HI = pd.Timestamp("2262-04-11", tz="UTC")


#: Characters that show nothing: zero-width spaces and joiners, the word joiner, a BOM.
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\u00ad]*")


def _invisible(text: str) -> bool:
    """True for a text of whitespace and invisible format characters only (``"\u200b"``),
    which ``str.isspace`` does not count as blank."""
    return len(text) < 10_000 and _INVISIBLE.fullmatch(text) is not None


def parse_dates(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse a column to tz-naive datetime64[ns] (UTC for tz-aware input), as the loaders
    parse every date.

    Returns the parsed series (a new 0..n-1 index) and a mask of values that were present
    but unparseable (a ``bad_date``).

    Examples
    --------
    >>> d, bad = parse_dates(pd.Series(["2024-10-20", "yesterday", ""]))
    >>> d.dt.strftime("%Y-%m-%d").tolist(), bad.tolist()
    (['2024-10-20', nan, nan], [False, True, False])
    """
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        out = s
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_convert("UTC")
        else:
            out = out.dt.tz_localize("UTC")
        present = out.notna().to_numpy()
    else:
        st = s.astype("string").str.strip()
        present = (st.notna() & (st != "")).to_numpy(bool)
        st = st.where(present)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = pd.to_datetime(st, errors="coerce", utc=True, format="ISO8601")
            retry = present & out.isna().to_numpy()
            if retry.any():
                out = out.copy()
                out[retry] = pd.to_datetime(st[retry], errors="coerce", utc=True, format="mixed")
    oob = (out < _NS_LO) | (out > _NS_HI)
    out = out.where(~oob)
    out = out.dt.tz_convert(None).astype("datetime64[ns]")
    bad = present & out.isna().to_numpy()
    return out.reset_index(drop=True), bad


def normalise(
    raw: Raw,
    opts: Options,
    *,
    defaults: Mapping[str, Any],
    max_chars: int,
    check_language: bool,
    checker: DuplicateChecker | None = None,
    marks: list[int] | None = None,
) -> tuple[pd.DataFrame, list[dict]]:
    # long: one pass over the raw records building every docs column and problem row together
    #  (splitting it would re-walk the records per check)
    # ``checker``: ids and texts of earlier batches (a corpus read in batches); ``marks``
    # receives the number of problem rows at the end of each check, so the rows of several
    # batches can be put in the order one call over the whole corpus gives
    if marks is None:
        marks = []
    problems = list(raw.problems)
    marks.append(len(problems))
    frame = raw.frame if raw.frame is not None else pd.DataFrame()
    name = raw.name
    frame = unique_columns(frame, name, problems)
    marks.append(len(problems))
    frame = without_surrogates(frame, name, raw.records, problems)
    marks.append(len(problems))
    n = len(frame)
    cols = list(frame.columns)

    # ---- column mapping
    id_col = opts.id_col
    if id_col is None and "doc_id" in cols:
        id_col = "doc_id"
    mapping = {"doc_id": id_col, **opts.mapped()}
    if raw.strict_columns and n and opts.text_col not in cols:
        guess = [
            c
            for c in cols
            if c.lower() in ("text", "body", "content", "article", "full_text", "fulltext", "story")
        ]
        tip = f" (maybe text_col={guess[0]!r}?)" if guess else ""
        raise CorpusError(
            f"{name}: no text column {opts.text_col!r}. Available columns: "
            f"{', '.join(cols)}. Pass text_col='<column>' to say which column "
            f"holds the article text{tip}."
        )
    defaults_given = {
        "doc_id": None,
        "title": "title",
        "outlet": "outlet",
        "date": "date",
        "url": "url",
        "language": "language",
    }
    if raw.strict_columns and n:
        for std, col in mapping.items():
            if std == "text" or col is None or col in cols:
                continue
            if col != defaults_given.get(std):
                raise CorpusError(
                    f"{name}: no column {col!r} for {std} (you passed "
                    f"{std if std != 'doc_id' else 'id'}_col={col!r}). "
                    f"Available columns: {', '.join(cols)}."
                )
    used = {c for c in mapping.values() if c is not None and c in cols}
    extras = [c for c in cols if c not in used]
    rename_extra = rename_standard(extras, cols, name, problems)
    marks.append(len(problems))

    def column(std: str) -> pd.Series:
        col = mapping.get(std)
        if col is not None and col in cols:
            return frame[col].reset_index(drop=True)
        return pd.Series([None] * n, dtype=object)

    records, sources = raw.records, raw.sources

    # ---- text
    keep = np.ones(n, dtype=bool)
    texts: list[str | None] = []
    for i, t in enumerate(column("text").tolist()):
        if isinstance(t, str):
            texts.append(t.replace("\r\n", "\n") if "\r" in t else t)
        elif is_missing(t):
            texts.append(None)
        else:
            texts.append(None)
            keep[i] = False
            problems.append(
                problem_row(
                    name,
                    records[i],
                    None,
                    "bad_record",
                    f"{where_text(name, records[i])}: the text is a "
                    f"{type(t).__name__}, not a string; the record was "
                    "dropped. Convert the text column to strings.",
                )
            )
    marks.append(len(problems))
    for i, t in enumerate(texts):
        if keep[i] and (t is None or not t or t.isspace() or _invisible(t)):
            keep[i] = False
            problems.append(
                problem_row(
                    name,
                    records[i],
                    None,
                    "empty_text",
                    f"{where_text(name, records[i])}: text is empty or "
                    "whitespace only; the record was dropped. Fill in the "
                    "text or remove the record.",
                )
            )
    marks.append(len(problems))

    # ---- ids
    hashes = [doc_hash(t) if keep[i] else None for i, t in enumerate(texts)]
    given, doubtful = _as_id_strings(column("doc_id"))
    if raw.default_ids is not None:
        given = [g if g is not None else d for g, d in zip(given, raw.default_ids)]
    generated = np.array([g is None for g in given], dtype=bool)
    ids = [g if g is not None else h for g, h in zip(given, hashes)]
    for i, why in doubtful.items():
        if keep[i]:
            problems.append(
                problem_row(
                    name,
                    records[i],
                    ids[i],
                    "bad_id",
                    f"{where_text(name, records[i])}: {why}; kept as {ids[i]!r}. Write ids "
                    "as strings (quoted in JSON) so they stay exactly as written.",
                )
            )
    marks.append(len(problems))

    # duplicate texts (warning; generated ids get -2, -3 ... so both stay), then duplicate
    # ids (error; later ones dropped)
    if checker is None:
        checker = DuplicateChecker()
    for i in np.flatnonzero(keep):
        seen = checker.see_text(texts[i], records[i], ids[i], key=hashes[i])
        if seen is not None:
            first_rec, first_id, k = seen
            note = ""
            if generated[i]:
                ids[i] = f"{hashes[i]}-{k}"
                note = f" Its generated id is {ids[i]}."
            problems.append(
                problem_row(
                    name,
                    records[i],
                    ids[i],
                    "duplicate_text",
                    f"{where_text(name, records[i], ids[i])}: same text as "
                    f"{first_rec} (doc {first_id}); kept.{note} Remove one "
                    "copy if it is not deliberate.",
                )
            )
    marks.append(len(problems))
    for i in np.flatnonzero(keep):
        d = ids[i]
        first_rec = checker.see_id(d, records[i])
        if first_rec is not None:
            keep[i] = False
            problems.append(
                problem_row(
                    name,
                    records[i],
                    d,
                    "duplicate_id",
                    f"{where_text(name, records[i])}: doc_id {d!r} was already "
                    f"used by {first_rec}; this record was dropped. Give "
                    "it a unique id (or fix id_col=).",
                )
            )
    marks.append(len(problems))

    # ---- decode warnings (txt reader)
    for i, detail in raw.text_unreadable.items():
        if keep[i]:
            problems.append(
                problem_row(
                    name,
                    records[i],
                    ids[i],
                    "decode_error",
                    f"{where_text(name, records[i], ids[i])}: {detail}; they "
                    "were replaced by U+FFFD. Re-save the file as UTF-8 or "
                    "pass encoding=.",
                )
            )
    marks.append(len(problems))

    idx = np.flatnonzero(keep)
    k_texts = [texts[i] for i in idx]
    k_ids = [ids[i] for i in idx]
    k_recs = [records[i] for i in idx]

    # ---- metadata columns
    meta: dict[str, pd.Series] = {}
    for std in METADATA_FIELDS:
        s = column(std)
        if s.dtype == object:  # lists/dicts (JSON) as JSON text, not Python reprs
            s = s.map(scalar_value)
        if std in defaults:
            s = s.astype(object).where(
                ~s.map(is_missing, na_action=None).astype(bool), defaults[std]
            )
        meta[std] = s.iloc[idx].reset_index(drop=True)
    dates, bad_dates = parse_dates(meta["date"])
    raw_dates = meta["date"].astype("string").tolist()
    for j in np.flatnonzero(bad_dates):
        problems.append(
            problem_row(
                name,
                k_recs[j],
                k_ids[j],
                "bad_date",
                f"{where_text(name, k_recs[j], k_ids[j])}: cannot parse the "
                f"date {raw_dates[j]!r}; it was left empty. Write dates as "
                "ISO 8601 (2024-10-20) or fix date_col=.",
            )
        )
    marks.append(len(problems))

    # ---- content checks (per document, on kept docs)
    langs = meta["language"].astype("string").str.strip().str.lower().tolist()
    for j, t in enumerate(k_texts):
        rec, d = k_recs[j], k_ids[j]
        if len(t) > max_chars:
            problems.append(
                problem_row(
                    name,
                    rec,
                    d,
                    "too_long",
                    f"{where_text(name, rec, d)}: {len(t):,} characters, more "
                    f"than max_chars={max_chars:,}; kept. Check that it is "
                    "one article and not several pasted together.",
                )
            )
        issues = _quote_issues(t)
        if issues:
            more = f"; and {len(issues) - 3} more" if len(issues) > 3 else ""
            problems.append(
                problem_row(
                    name,
                    rec,
                    d,
                    "unbalanced_quotes",
                    f"{where_text(name, rec, d)}: unbalanced quotation marks: "
                    f"{'; '.join(issues[:3])}{more}. Quotes are not carried "
                    "across paragraphs; fix the marks in the source if the "
                    "quotation attribution matters there.",
                )
            )
        if check_language:
            lang = langs[j]
            if lang is None or lang is pd.NA or lang.startswith("en"):
                n_words, share = _english_share(t)
                if n_words >= NOT_ENGLISH_MIN_WORDS and share < NOT_ENGLISH_THRESHOLD:
                    problems.append(
                        problem_row(
                            name,
                            rec,
                            d,
                            "not_english",
                            f"{where_text(name, rec, d)}: probably not English "
                            f"(only {share:.0%} of {n_words} words are "
                            "common English function words); kept. The "
                            "lexicons are English: set language for this "
                            "document or pass check_language=False.",
                        )
                    )

    # ---- assemble docs
    data: dict[str, Any] = {
        "doc_id": pd.Series(k_ids, dtype="string"),
        "text": pd.Series(k_texts, dtype="string"),
        "title": meta["title"].astype("string"),
        "outlet": meta["outlet"].astype("string"),
        "date": dates,
        "url": meta["url"].astype("string"),
        "language": meta["language"].astype("string"),
        "source": pd.Series([sources[i] for i in idx], dtype="string"),
    }
    for c in extras:
        data[rename_extra[c]] = clean_extra(frame[c].iloc[idx].reset_index(drop=True))
    for key, val in defaults.items():
        if key in METADATA_FIELDS:
            continue
        if key in data:
            s = data[key]
            data[key] = clean_extra(s.astype(object).where(~s.map(is_missing).astype(bool), val))
        else:
            data[key] = clean_extra(pd.Series([val] * len(idx), dtype=object))
    docs = pd.DataFrame(data)
    for c, dt in DOC_COLUMNS.items():
        if c != "date":
            docs[c] = docs[c].astype(dt)
    return docs, problems
