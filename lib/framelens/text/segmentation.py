"""Sentence segmentation (Punkt with the abbreviations written here) and tokens.

A sentence's length is its number of words (``n_words``, :func:`framelens.core.tokens.count_words`'s
unit); :func:`tokens` lists words *and* punctuation marks on demand and is not a length unit.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping

import pandas as pd
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from framelens.core import schema
from framelens.core.tokens import WORD_RE

from .tables import as_docs, table_frame
from .words import ABBREVIATIONS, CANDIDATE_RE, NUMBER_ABBREV_RE, PARA_RE, SENT_STARTERS, TOKEN_RE

log = logging.getLogger(__name__)


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
        self._spaces_only = spaces_only  # for paragraphs whose only whitespace is " "

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


def doc_sentences(text: str) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
    """Sentence spans (start, end, para_id) and paragraph spans of one document."""
    sents: list[tuple[int, int, int]] = []
    paras: list[tuple[int, int]] = []
    for m in PARA_RE.finditer(text):
        para = m.group()
        stripped = para.strip()
        if not stripped:
            continue
        ps = m.start() + (len(para) - len(para.lstrip()))
        pe = ps + len(stripped)
        pid = len(paras)
        paras.append((ps, pe))
        if not CANDIDATE_RE.search(stripped):
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
            if (
                len(sents) > first
                and text[start].isdigit()
                and NUMBER_ABBREV_RE.search(text, sents[-1][0], sents[-1][1])
            ):
                sents[-1] = (sents[-1][0], end, pid)  # "No. 1244": no boundary
                continue
            sents.append((start, end, pid))
    return sents, paras


def sentences(docs) -> pd.DataFrame:
    """Split documents into sentences with character offsets and word counts.

    Parameters
    ----------
    docs : DataFrame, str, Series, mapping or list of str
        A docs table (columns ``doc_id``, ``text``), or texts (a bare string gets
        doc_id ``"0"``; a list gets ``"0", "1", ...``).

    Returns
    -------
    DataFrame
        Columns of :data:`framelens.core.schema.SENTENCE_COLUMNS`: doc_id, sent_id (0-based
        per document), para_id (0-based over non-empty lines), start, end, text,
        n_words (words of :data:`framelens.core.tokens.WORD_PATTERN`; punctuation is
        not a word).

    Examples
    --------
    >>> s = sentences("Mr. Vucic spoke. He left.")
    >>> s["text"].tolist(), s["n_words"].tolist()
    (['Mr. Vucic spoke.', 'He left.'], [3, 2])
    """
    ids, texts, _ = as_docs(docs)
    return sentence_frame(ids, texts, [doc_sentences(t)[0] for t in texts])


def sentence_frame(ids, texts, all_sents) -> pd.DataFrame:
    count = WORD_RE.findall  # the one word unit (core.tokens)
    rows = [
        (did, sid, p, st, e, text[st:e], len(count(text, st, e)))
        for did, text, sents in zip(ids, texts, all_sents)
        for sid, (st, e, p) in enumerate(sents)
    ]
    return table_frame("sentences", row_columns(rows, schema.SENTENCE_COLUMNS))


def row_columns(rows: list[tuple], spec: Mapping[str, str]) -> dict[str, list]:
    """Transpose row tuples (in the order of ``spec``) into named column lists."""
    if not rows:
        return {c: [] for c in spec}
    return {c: list(col) for c, col in zip(spec, zip(*rows))}


def tokens(docs_or_text, *, lower: bool = False) -> pd.DataFrame:
    """Return the tokens of documents with offsets: words and punctuation marks, on demand.

    Tokens (:data:`TOKEN_PATTERN`) are a listing, not the length unit: lengths and rates
    count words (``sentences.n_words``, :func:`framelens.core.tokens.count_words`), so
    the punctuation rows here are not counted anywhere.

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
    ids, texts, _ = as_docs(docs_or_text)
    out: dict[str, list] = {"doc_id": [], "sent_id": [], "start": [], "end": [], "token": []}
    for did, text in zip(ids, texts):
        sents, _ = doc_sentences(text)
        for sid, (s, e, _p) in enumerate(sents):
            for m in TOKEN_RE.finditer(text, s, e):
                out["doc_id"].append(did)
                out["sent_id"].append(sid)
                out["start"].append(m.start())
                out["end"].append(m.end())
                tok = m.group()
                out["token"].append(tok.lower() if lower else tok)
    return pd.DataFrame(
        {
            "doc_id": pd.Series(out["doc_id"], dtype="string"),
            "sent_id": pd.Series(out["sent_id"], dtype="int32"),
            "start": pd.Series(out["start"], dtype="int64"),
            "end": pd.Series(out["end"], dtype="int64"),
            "token": pd.Series(out["token"], dtype="string"),
        }
    )
