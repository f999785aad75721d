"""Sentence sentiment with VADER (Hutto & Gilbert 2014), through ``vaderSentiment``.

VADER's compound score is the normalised sum of valence scores,
``compound = s / sqrt(s**2 + 15)`` clipped to [-1, 1]; a text is positive at
``compound >= 0.05`` and negative at ``compound <= -0.05`` (the authors' thresholds).
It is the costliest step per byte of the pipeline: :func:`sentence_sentiment` is
optional in :func:`framelens.analyze` (``Config(sentiment=False)``).

:func:`scores` is VADER's ``polarity_scores``, exactly, at a fraction of its cost: VADER
gives a non-zero valence only to a token (its own tokenisation: white-space split,
punctuation stripped unless that leaves 2 characters or fewer) whose lower case is a
lexicon word, so a text without one gets VADER's neutral result without calling it
(``neu`` 1.0, or all zeros for a text without tokens), and in a text with some only
those tokens are scored, by :func:`token_valence` (VADER's ``sentiment_valence`` on
the token's window of 6 tokens, memoised per window); ``_but_check`` and
``score_valence`` are VADER's own. Texts with an emoji (VADER translates them into
words) are scored by ``polarity_scores`` itself. The scores are memoised per text, so
the target-tone features reuse the sentence scores :func:`sentence_sentiment` computed.

Examples
--------
>>> from framelens.sentiment import score_texts
>>> round(float(score_texts(["The book was good."])[0]), 4)
0.4404
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from framelens.errors import ConfigError

__all__ = [
    "analyzer",
    "scores",
    "score_texts",
    "polarity",
    "sentence_sentiment",
    "vader_tokens",
    "token_valence",
    "POS",
    "NEG",
]

#: VADER's published thresholds for positive / negative compound scores.
POS = 0.05
NEG = -0.05


@functools.lru_cache(maxsize=1)
def analyzer():
    """Return the process-wide VADER ``SentimentIntensityAnalyzer`` (its lexicon ships
    inside the ``vaderSentiment`` package; nothing is downloaded)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"  # string.punctuation, as VADER strips
_NEUTRAL = (0.0, 0.0, 1.0, 0.0)  # (compound, pos, neu, neg) of tokens without valence
_EMPTY = (0.0, 0.0, 0.0, 0.0)  # ... of a text without tokens ("", white space)
_CACHE_SIZE = 1 << 16


@functools.lru_cache(maxsize=1)
def _tables():
    from vaderSentiment.vaderSentiment import BOOSTER_DICT

    sia = analyzer()
    return sia, sia.lexicon, frozenset(k for k in sia.emojis if len(k) == 1), BOOSTER_DICT


def vader_tokens(text: str) -> list[str]:
    """VADER's tokens of a text without emoji: white-space split, punctuation stripped
    unless that leaves 2 characters or fewer (VADER's ``SentiText``).

    Examples
    --------
    >>> vader_tokens("Great, isn't it? :)")
    ['Great', "isn't", 'it?', ':)']
    """
    return [w if len(x := w.strip(_PUNCT)) <= 2 else x for w in text.split()]


@functools.lru_cache(maxsize=1)
def _rules():
    import vaderSentiment.vaderSentiment as v

    return (
        analyzer().lexicon,
        v.BOOSTER_DICT,
        v.SPECIAL_CASES,
        frozenset(v.NEGATE),
        v.N_SCALAR,
        v.C_INCR,
        v.scalar_inc_dec,
    )


def _idioms(valence: float, low: list[str], i: int) -> float:
    # VADER's _special_idioms_check (called for i > 2 only), on lower-cased words
    _, booster, special = _rules()[:3]
    onezero = f"{low[i - 1]} {low[i]}"
    twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
    twoone = f"{low[i - 2]} {low[i - 1]}"
    threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
    threetwo = f"{low[i - 3]} {low[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in special:
            valence = special[seq]
            break
    if len(low) - 1 > i:
        zeroone = f"{low[i]} {low[i + 1]}"
        if zeroone in special:
            valence = special[zeroone]
    if len(low) - 1 > i + 1:
        zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
        if zeroonetwo in special:
            valence = special[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in booster:
            valence = valence + booster[n_gram]
    return valence


def _negation(valence: float, low: list[str], start_i: int, i: int, negate, n_scalar) -> float:
    # VADER's _negation_check, on lower-cased words; negated([w]) is w in NEGATE or "n't" in w
    w = low[i - (start_i + 1)]
    if start_i == 0:
        if w in negate or "n't" in w:
            valence = valence * n_scalar
    elif start_i == 1:
        if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
            valence = valence * 1.25
        elif low[i - 2] == "without" and low[i - 1] == "doubt":
            pass
        elif w in negate or "n't" in w:
            valence = valence * n_scalar
    else:
        if (
            low[i - 3] == "never"
            and (low[i - 2] == "so" or low[i - 2] == "this")
            or (low[i - 1] == "so" or low[i - 1] == "this")
        ):
            valence = valence * 1.25
        elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
            pass
        elif w in negate or "n't" in w:
            valence = valence * n_scalar
    return valence


@functools.lru_cache(maxsize=_CACHE_SIZE)
def token_valence(words: tuple[str, ...], i: int, cap: bool) -> float:
    """VADER's valence of the lexicon word ``words[i]``, exactly ``sentiment_valence``.

    ``sentiment_valence`` reads only the tokens ``i-3 .. i+2`` of a text and whether
    some but not all of its tokens are in capitals (``cap``), so ``words`` is that
    window (fewer tokens at the ends of a text) and ``i`` the word's place in it; the
    valence of a word in a text equals its valence in its window. This is VADER's
    ``sentiment_valence`` (with ``_negation_check``, ``_special_idioms_check`` and
    ``_least_check``) step by step in the same order of floating-point operations, but
    with the window lower-cased once instead of in every check; memoised per window, so
    a context seen in the sentence sentiment, a clause or a target-tone window is scored
    once. Only for lexicon words: boosters and the "kind" of "kind of", which
    ``polarity_scores`` gives 0 without this call, are the caller's.

    Examples
    --------
    >>> token_valence(("was", "not", "good"), 2, False)
    -1.406
    >>> token_valence(("The", "book", "was", "good", "."), 3, False)
    1.9
    """
    lex, _, _, negate, n_scalar, c_incr, scalar_inc_dec = _rules()
    low = [w.lower() for w in words]
    item, il, n = words[i], low[i], len(words)
    if il not in lex:
        return 0  # sentiment_valence appends the 0 it was given
    valence = lex[il]
    if il == "no" and i != n - 1 and low[i + 1] in lex:
        valence = 0.0  # "no" negates the next lexicon word instead
    if (
        (i > 0 and low[i - 1] == "no")
        or (i > 1 and low[i - 2] == "no")
        or (i > 2 and low[i - 3] == "no" and low[i - 1] in ("or", "nor"))
    ):
        valence = lex[il] * n_scalar
    if item.isupper() and cap:
        if valence > 0:
            valence += c_incr
        else:
            valence -= c_incr
    for start_i in range(0, 3):
        if i > start_i and low[i - (start_i + 1)] not in lex:
            s = scalar_inc_dec(words[i - (start_i + 1)], valence, cap)
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = _negation(valence, low, start_i, i, negate, n_scalar)
            if start_i == 2:
                valence = _idioms(valence, low, i)
    # VADER's _least_check
    if i > 1 and low[i - 1] not in lex and low[i - 1] == "least":
        if low[i - 2] != "at" and low[i - 2] != "very":
            valence = valence * n_scalar
    elif i > 0 and low[i - 1] not in lex and low[i - 1] == "least":
        valence = valence * n_scalar
    return valence


@functools.lru_cache(maxsize=_CACHE_SIZE)
def scores(text: str) -> tuple[float, float, float, float]:
    """VADER ``(compound, pos, neu, neg)`` of a text, exactly ``polarity_scores``.

    Only tokens whose lower case is a lexicon word are scored (with VADER's own
    ``sentiment_valence``); a text without any never reaches VADER. Memoised per text.

    Examples
    --------
    >>> scores("The book was good.")
    (0.4404, 0.492, 0.508, 0.0)
    >>> scores("The committee met on Tuesday."), scores("")
    ((0.0, 0.0, 1.0, 0.0), (0.0, 0.0, 0.0, 0.0))
    """
    sia, lex, emo, booster = _tables()
    if not isinstance(text, str) or not (text.isascii() or emo.isdisjoint(text)):
        r = sia.polarity_scores(text)
        return r["compound"], r["pos"], r["neu"], r["neg"]
    tok = vader_tokens(text)
    low = [x.lower() for x in tok]
    rel = [i for i, x in enumerate(low) if x in lex]
    if not rel:
        return _NEUTRAL if tok else _EMPTY
    n = len(tok)
    n_up = sum(1 for x in tok if x.isupper())
    cap = 0 < n_up < n
    sent = [0] * n
    for i in rel:
        x = low[i]
        if x in booster or (x == "kind" and i < n - 1 and low[i + 1] == "of"):
            continue  # polarity_scores gives boosters and "kind of" 0
        w0 = i - 3 if i > 3 else 0
        sent[i] = token_valence(tuple(tok[w0 : i + 3]), i - w0, cap)
    if "but" in low:
        sent = sia._but_check(tok, sent)
    r = sia.score_valence(sent, text)
    return r["compound"], r["pos"], r["neu"], r["neg"]


def score_texts(texts: Iterable[str], *, component: str = "compound") -> np.ndarray:
    """VADER scores for each text.

    Parameters
    ----------
    texts : iterable of str
    component : {"compound", "pos", "neu", "neg"}, keyword-only

    Returns
    -------
    numpy.ndarray of float64

    Examples
    --------
    >>> score_texts(["Today SUX!"]).round(4).tolist()
    [-0.5461]
    """
    if component not in {"compound", "pos", "neu", "neg"}:
        raise ConfigError(f"component must be 'compound', 'pos', 'neu' or 'neg', not {component!r}")
    k = ("compound", "pos", "neu", "neg").index(component)
    return np.fromiter((scores(t or "")[k] for t in texts), dtype="float64")


def polarity(compound: Sequence[float] | np.ndarray, *, pos: float = POS, neg: float = NEG):
    """Map compound scores to -1 / 0 / +1 with VADER's thresholds.

    Examples
    --------
    >>> polarity([0.4404, 0.0, -0.5461]).tolist()
    [1, 0, -1]
    """
    c = np.asarray(compound, dtype="float64")
    return np.where(c >= pos, 1, np.where(c <= neg, -1, 0)).astype("int8")


def sentence_sentiment(sentences: pd.DataFrame) -> pd.DataFrame:
    """VADER scores per sentence.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (``doc_id``, ``sent_id``, ``text``).

    Returns
    -------
    DataFrame
        ``doc_id, sent_id, compound, pos, neu, neg, polarity`` - one row per sentence.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "text": ["The book was good."]})
    >>> float(sentence_sentiment(s)["compound"][0])
    0.4404
    """
    rows = [scores(t or "") for t in sentences["text"].tolist()]
    sc = np.array(rows, dtype="float64").reshape(len(rows), 4)
    out = pd.DataFrame(
        {
            "doc_id": sentences["doc_id"].to_numpy(),
            "sent_id": sentences["sent_id"].to_numpy(),
            "compound": sc[:, 0],
            "pos": sc[:, 1],
            "neu": sc[:, 2],
            "neg": sc[:, 3],
        }
    )
    out["polarity"] = polarity(out["compound"].to_numpy())
    return out
