"""Exact VADER scores of sub-spans of a sentence from its tokens (the target-tone windows).

The tokenisation here is VADER's own, not framelens' word unit
(:mod:`framelens.core.tokens`): VADER splits on whitespace and strips punctuation, and
the target-tone model's features are VADER scores, so a sub-span must be cut exactly
where VADER would cut it. :data:`VADER_WORD_RE` and the whitespace tokens reproduce that
definition; they are not a second definition of "word" for lengths or rates.
"""

from __future__ import annotations

import functools
import logging
import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from framelens.sentiment import scores, token_valence

log = logging.getLogger(__name__)


#: VADER-compatible word pieces (VADER's own definition; not framelens' word unit).
VADER_WORD_RE = re.compile(r"[\w']+")


_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"  # string.punctuation, as VADER strips


_WS_TOKEN = re.compile(r"\S+")  # exactly the pieces of str.split()


@functools.lru_cache(maxsize=1)
def vader_tables():
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, normalize

    from framelens.sentiment import analyzer

    sia = analyzer()
    return (
        sia,
        sia.lexicon,
        frozenset(k for k in sia.emojis if len(k) == 1),
        BOOSTER_DICT,
        normalize,
    )


class SentTokens:
    """VADER's view of one text (a sentence), computed once, so that any substring of
    it is scored without re-tokenising: white-space token spans, VADER's tokens
    (punctuation stripped unless that leaves 2 characters or fewer), lower-cased, which
    are lexicon words / "but" / in capitals; and a memo of its sub-span scores."""

    __slots__ = ("text", "ws", "we", "tok", "low", "upc", "rel", "but", "emoji", "memo")

    def __init__(self, t: str):
        _, lex, emo = vader_tables()[:3]
        self.text = t
        self.emoji = not (t.isascii() or emo.isdisjoint(t))
        sp = [m.span() for m in _WS_TOKEN.finditer(t)]
        self.ws = [x for x, _ in sp]
        self.we = [x for _, x in sp]
        self.tok = tok = [w if len(x := w.strip(_PUNCT)) <= 2 else x for w in t.split()]
        self.low = low = [x.lower() for x in tok]
        self.upc = list(accumulate(map(str.isupper, tok), initial=0))
        self.rel = [i for i, x in enumerate(low) if x in lex]
        self.but = [i for i, x in enumerate(low) if x == "but"] if "but" in low else []
        self.memo: dict = {}


def sub_scores(st: SentTokens, a: int, b: int) -> dict:
    """``polarity_scores(st.text[a:b])``, exactly, from the text's tokens.

    The tokens of a substring are the text's white-space tokens inside it, the two at
    its ends clipped. VADER gives a non-zero valence only to lexicon words, and the
    valence of a lexicon word at token ``i`` depends only on tokens ``i-3 .. i+2`` and
    on whether some but not all tokens are in capitals; each such valence is
    :func:`framelens.sentiment.token_valence` of that window (VADER's
    ``sentiment_valence``, memoised per window for the whole process, so a window the
    sentence sentiment or another span already scored costs a look-up). The list of
    valences (0 for every other token, as in ``polarity_scores``: boosters and the
    "kind" of "kind of" are 0 too) then goes through VADER's own ``_but_check`` and
    ``score_valence``. A substring without lexicon words never reaches VADER. Texts
    with emoji are scored by ``polarity_scores`` directly.
    """
    r = st.memo.get((a, b))
    if r is None:
        r = st.memo[(a, b)] = _sub_scores_uncached(st, a, b)
    return r


def sub_compound(st: SentTokens, a: int, b: int) -> float:
    """``polarity_scores(st.text[a:b])["compound"]``, exactly: as :func:`sub_scores`
    but only VADER's compound formula (``normalize`` of the valence sum, the sum
    moved away from 0 by the "!" / "?" emphasis, rounded to 4 places) is applied,
    which does not need the other tokens."""
    key = ("c", a, b)
    r = st.memo.get(key)
    if r is None:
        r = st.memo[key] = _sub_scores_uncached(st, a, b, compound_only=True)
    return r


def _sub_scores_uncached(st: SentTokens, a: int, b: int, compound_only: bool = False):
    t = st.text
    if compound_only:
        r = _sub_scores_uncached(st, a, b) if st.emoji else None
        if r is not None:
            return r["compound"]
    if st.emoji:
        return vader_tables()[0].polarity_scores(t[a:b])
    sia, lex, _, booster, _ = vader_tables()
    ws, we = st.ws, st.we
    lo = bisect_right(we, a)
    hi = bisect_left(ws, b)
    n = hi - lo
    if n <= 0 or b <= a:
        return 0.0 if compound_only else {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
    tok = st.tok
    srel = st.rel
    rel = srel[bisect_left(srel, lo) : bisect_left(srel, hi)]
    edge: dict[int, tuple[str, str]] = {}
    if ws[lo] < a or we[lo] > b or ws[hi - 1] < a or we[hi - 1] > b:
        for j in (lo, hi - 1):
            if j not in edge and (ws[j] < a or we[j] > b):
                r = t[max(ws[j], a) : min(we[j], b)]
                s = r.strip(_PUNCT)
                x = r if len(s) <= 2 else s
                edge[j] = (x, x.lower())
        rel = sorted(
            {j for j in rel if j not in edge} | {j for j, (_, lw) in edge.items() if lw in lex}
        )
    if not rel:
        return 0.0 if compound_only else {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
    n_up = st.upc[hi] - st.upc[lo]
    if edge:
        n_up += sum(int(x.isupper()) - int(tok[j].isupper()) for j, (x, _) in edge.items())
    cap = 0 < n_up < n
    sent = [0] * n
    for j in rel:
        w0, w1 = max(lo, j - 3), min(hi, j + 3)
        if edge and (w0 in edge or (w1 - 1) in edge):
            words = tuple(edge[k][0] if k in edge else tok[k] for k in range(w0, w1))
        else:
            words = tuple(tok[w0:w1])
        il = words[j - w0].lower()
        if il in booster or (
            il == "kind" and j - w0 + 1 < len(words) and words[j - w0 + 1].lower() == "of"
        ):
            continue  # polarity_scores gives boosters and "kind of" 0
        sent[j - lo] = token_valence(words, j - w0, cap)
    but = st.but[bisect_left(st.but, lo) : bisect_left(st.but, hi)]
    if but or (edge and any(lw == "but" for _, lw in edge.values())):
        words = [edge[k][0] if k in edge else tok[k] for k in range(lo, hi)]
        sent = sia._but_check(words, sent)
    elif compound_only:
        # score_valence's compound without the O(n) pass over the zeros (adding 0 to a
        # float sum changes nothing, so the sum over the lexicon words is the same)
        sum_s = float(sum([sent[j - lo] for j in rel]))
        if sum_s:
            piece = t[a:b]
            emph = sia._punctuation_emphasis(piece) if ("!" in piece or "?" in piece) else 0
            sum_s = sum_s + emph if sum_s > 0 else sum_s - emph
        return round(vader_tables()[4](sum_s), 4)
    if compound_only:
        return sia.score_valence(sent, t[a:b])["compound"]
    return sia.score_valence(sent, t[a:b])


def text_scores(text: str) -> tuple[float, float, float]:
    """VADER ``(compound, pos, neg)`` of a short text, exactly ``polarity_scores``
    (:func:`framelens.sentiment.scores`: memoised, and a text without lexicon tokens
    never reaches VADER)."""
    c, p, _, n = scores(text)
    return c, p, n


def word_spans(t: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the :data:`VADER_WORD_RE` words of a text."""
    sp = [m.span() for m in VADER_WORD_RE.finditer(t)]
    return [x for x, _ in sp], [x for _, x in sp]
