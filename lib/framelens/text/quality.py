"""Input quality: what a reader should check in a text before trusting the measures.

Two kinds of warning, each with character offsets into ``docs.text`` and never a
correction (framelens does not rewrite its input):

* **probable garbled words** (:func:`garbled_words`): a lower-case word that a
  well-kept English frequency list (``wordfreq``, Speer 2022: its word lists ship with
  the package, nothing is downloaded) does not know at all, and that is not a known name
  (a term of the actor gazetteer, passed as ``known``). Capitalised words are taken as
  names and left alone; words with digits are numbers or codes. The seed article's
  "kmarsome" is one.
* **dated claims about historical events** (:func:`dated_claims`): a sentence naming a
  past year (not after the document's own date) together with an event cue (war,
  treaty, ended, signed, armistice ...): a factual statement a reader should verify
  ("North and South Korea ended the North Korean war ... in 2019").

:func:`quality_warnings` puts both into one tidy table (``doc_id, sent_id, start, end,
severity, code, word, message``) for ``framelens check`` and the article report.

Examples
--------
>>> import pandas as pd
>>> text = "The talks were kmarsome. The war ended in 1953."
>>> docs = pd.DataFrame({"doc_id": ["a"], "text": [text]})
>>> w = quality_warnings(docs)
>>> w[["code", "start", "end", "word"]].values.tolist()
[['garbled_word', 15, 23, 'kmarsome'], ['dated_claim', 25, 47, '1953']]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from framelens.core.tokens import WORD_RE
from framelens.text.segmentation import sentences as split_sentences

__all__ = [
    "EVENT_CUES",
    "GARBLED_COLUMNS",
    "CLAIM_COLUMNS",
    "WARNING_COLUMNS",
    "is_known_word",
    "garbled_words",
    "dated_claims",
    "quality_warnings",
]

#: Words that mark a sentence as a claim about a historical event (matched as whole
#: words, case-insensitive; ``end*``-style stems written out).
EVENT_CUES = (
    "war",
    "wars",
    "treaty",
    "treaties",
    "armistice",
    "ceasefire",
    "truce",
    "ended",
    "ending",
    "signed",
    "invaded",
    "invasion",
    "occupation",
    "occupied",
    "liberation",
    "liberated",
    "annexed",
    "annexation",
    "independence",
    "revolution",
    "coup",
    "battle",
    "bombing",
    "bombed",
    "massacre",
    "genocide",
    "surrendered",
    "surrender",
    "founded",
    "dissolved",
    "collapse",
    "collapsed",
    "conflict",
    "accords",
    "peace agreement",
)
_CUE_RE = re.compile(
    r"\b(" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in EVENT_CUES) + r")\b",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(?<![\d.,])(1[5-9]\d\d|20\d\d)(?![\d.,]\d)")

GARBLED_COLUMNS = ["doc_id", "sent_id", "start", "end", "word", "message"]
CLAIM_COLUMNS = ["doc_id", "sent_id", "start", "end", "year", "cues", "text", "message"]
WARNING_COLUMNS = ["doc_id", "sent_id", "start", "end", "severity", "code", "word", "message"]


@functools.lru_cache(maxsize=200_000)
def is_known_word(word: str) -> bool:
    """Whether ``wordfreq`` lists ``word`` (any frequency above zero) in English.

    Examples
    --------
    >>> is_known_word("neutrality"), is_known_word("kmarsome")
    (True, False)
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") > 0


def _empty(cols: list[str]) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype="string") for c in cols})
    for c in ("sent_id", "start", "end"):
        if c in out:
            out[c] = out[c].astype("int64")
    return out


def _sentence_index(docs: pd.DataFrame, sentences: pd.DataFrame | None) -> dict:
    """doc_id -> (starts, ends, sent_ids) arrays of its sentences."""
    sents = split_sentences(docs) if sentences is None else sentences
    out = {}
    for doc, g in sents.groupby(sents["doc_id"].astype(str), sort=False):
        g = g.sort_values("start")
        out[doc] = (
            g["start"].to_numpy(dtype=np.int64),
            g["end"].to_numpy(dtype=np.int64),
            g["sent_id"].to_numpy(dtype=np.int64),
        )
    return out


def _sent_of(index: dict, doc: str, offset: int) -> int:
    starts, _, ids = index.get(doc, (np.array([0]), None, np.array([0])))
    i = max(int(np.searchsorted(starts, offset, side="right")) - 1, 0)
    return int(ids[i]) if len(ids) else 0


def _docs(docs: pd.DataFrame) -> list[tuple[str, str]]:
    if not isinstance(docs, pd.DataFrame) or not {"doc_id", "text"} <= set(docs.columns):
        raise TypeError("expected a docs table (a DataFrame with doc_id and text columns)")
    texts = docs["text"].astype("string").fillna("")
    return list(zip(docs["doc_id"].astype(str), texts.astype(str)))


def garbled_words(
    docs: pd.DataFrame,
    *,
    sentences: pd.DataFrame | None = None,
    known: Iterable[str] = (),
    min_length: int = 3,
) -> pd.DataFrame:
    """Probable garbled words: lower-case words no English word list knows.

    Parameters
    ----------
    docs : DataFrame
        A docs table (``doc_id``, ``text``); not modified.
    sentences : DataFrame, optional, keyword-only
        The ``sentences`` table, for ``sent_id`` (computed when not given).
    known : iterable of str, keyword-only
        Further words or names that are not garbled (the actor gazetteer's terms,
        a project word list); compared case-insensitively, word by word.
    min_length : int, keyword-only
        Shorter words are never flagged (abbreviations, typos of short words).

    Returns
    -------
    DataFrame
        :data:`GARBLED_COLUMNS`: one row per occurrence, offsets of the word.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ["A kmarsome deadlock in Xyzzyville."]})
    >>> garbled_words(d)[["start", "end", "word"]].values.tolist()
    [[2, 10, 'kmarsome']]
    >>> len(garbled_words(d, known=["Kmarsome"]))
    0
    """
    known_words = {w.lower() for term in known for w in WORD_RE.findall(str(term))}
    pairs = _docs(docs)
    index = _sentence_index(docs, sentences)
    rows = []
    for doc, text in pairs:
        for m in WORD_RE.finditer(text):
            w = m.group()
            if (
                len(w) < min_length
                or not w[0].islower()
                or any(ch.isdigit() for ch in w)
                or w.lower() in known_words
                or is_known_word(w.lower())
            ):
                continue
            rows.append(
                (
                    doc,
                    _sent_of(index, doc, m.start()),
                    m.start(),
                    m.end(),
                    w,
                    f"probable garbled word {w!r} at {m.start()}-{m.end()}: not in the "
                    "English word list (wordfreq) nor a known name; check the source text",
                )
            )
    if not rows:
        return _empty(GARBLED_COLUMNS)
    return pd.DataFrame(rows, columns=GARBLED_COLUMNS)


def dated_claims(docs: pd.DataFrame, *, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sentences that date a historical event: a past year and an event cue.

    A year counts as past when it is not after the year of the document's ``date``
    (any year from 1500 to 2099 when the document has no date: results never depend on
    today's date).

    Parameters
    ----------
    docs : DataFrame
        A docs table (``doc_id``, ``text``, optionally ``date``); not modified.
    sentences : DataFrame, optional, keyword-only
        The ``sentences`` table (computed when not given).

    Returns
    -------
    DataFrame
        :data:`CLAIM_COLUMNS`: one row per sentence, offsets of the sentence, the
        years (``;``-joined) and the cue words found.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ["Talks went well. The war ended in 1953."],
    ...                   "date": pd.to_datetime(["2024-10-01"])})
    >>> dated_claims(d)[["sent_id", "start", "end", "year", "cues"]].values.tolist()
    [[1, 17, 39, '1953', 'war;ended']]
    """
    pairs = _docs(docs)
    years = {}
    if "date" in docs.columns:
        d = pd.to_datetime(docs["date"], errors="coerce")
        years = dict(zip(docs["doc_id"].astype(str), d.dt.year))
    sents = split_sentences(docs) if sentences is None else sentences
    texts = dict(pairs)
    rows = []
    for r in sents.itertuples(index=False):
        doc = str(r.doc_id)
        s, e = int(r.start), int(r.end)
        sentence = texts.get(doc, "")[s:e]
        limit = years.get(doc)
        limit = 2099 if limit is None or pd.isna(limit) else int(limit)
        found = [y for y in _YEAR_RE.findall(sentence) if int(y) <= limit]
        cues = [c.lower() for c in _CUE_RE.findall(sentence)]
        if not found or not cues:
            continue
        year, cue = ";".join(dict.fromkeys(found)), ";".join(dict.fromkeys(cues))
        rows.append(
            (
                doc,
                int(r.sent_id),
                s,
                e,
                year,
                cue,
                sentence,
                f"dated claim at {s}-{e} ({year}; {cue}): a historical statement to verify "
                "against a reliable source",
            )
        )
    if not rows:
        return _empty(CLAIM_COLUMNS)
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def quality_warnings(
    docs: pd.DataFrame,
    *,
    sentences: pd.DataFrame | None = None,
    known: Iterable[str] = (),
) -> pd.DataFrame:
    """Both checks as one tidy warnings table, sorted by document and offset.

    ``code`` is ``garbled_word`` or ``dated_claim``; ``word`` the flagged word or the
    years of the claim; ``severity`` always ``warning`` (nothing is corrected or dropped).

    Parameters
    ----------
    docs : DataFrame
        A docs table.
    sentences : DataFrame, optional, keyword-only
        The ``sentences`` table (computed when not given).
    known : iterable of str, keyword-only
        Names and words that are not garbled (see :func:`garbled_words`).

    Returns
    -------
    DataFrame
        :data:`WARNING_COLUMNS`.
    """
    if sentences is None:
        sentences = split_sentences(docs)
    g = garbled_words(docs, sentences=sentences, known=known)
    c = dated_claims(docs, sentences=sentences)
    parts = [
        g.assign(severity="warning", code="garbled_word")[WARNING_COLUMNS],
        c.rename(columns={"year": "word"}).assign(severity="warning", code="dated_claim")[
            WARNING_COLUMNS
        ],
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty(WARNING_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["doc_id", "start", "code"], kind="stable").reset_index(drop=True)
    return out.astype({"sent_id": "int64", "start": "int64", "end": "int64"})
