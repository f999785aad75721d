"""VADER oracles from Hutto & Gilbert (2014) as shipped in vaderSentiment 3.3.2 (METHODS.md §4)."""

import pandas as pd
import pytest

from framelens.sentiment import polarity, score_texts, sentence_sentiment

ORACLES = [
    ("VADER is smart, handsome, and funny.", 0.8316),
    ("VADER is smart, handsome, and funny!", 0.8439),
    ("VADER is very smart, handsome, and funny.", 0.8545),
    ("VADER is VERY SMART, handsome, and FUNNY.", 0.9227),
    ("VADER is not smart, handsome, nor funny.", -0.7424),
    ("The book was good.", 0.4404),
    ("The book was only kind of good.", 0.3832),
    ("Today SUX!", -0.5461),
]


@pytest.mark.parametrize("text,expected", ORACLES)
def test_vader_compound_oracles(text, expected):
    assert score_texts([text])[0] == pytest.approx(expected, abs=1e-4)


def test_polarity_thresholds():
    # VADER's published cut-offs: >= 0.05 positive, <= -0.05 negative
    assert polarity([0.05, 0.0499, -0.05, -0.0499]).tolist() == [1, 0, -1, 0]


def test_sentence_sentiment_table():
    s = pd.DataFrame({"doc_id": ["d", "d"], "sent_id": [0, 1], "text": ["The book was good.", ""]})
    out = sentence_sentiment(s)
    assert out.columns.tolist() == [
        "doc_id",
        "sent_id",
        "compound",
        "pos",
        "neu",
        "neg",
        "polarity",
    ]
    assert out["compound"].tolist() == pytest.approx([0.4404, 0.0])
    assert out["polarity"].tolist() == [1, 0]


def test_bad_component():
    with pytest.raises(ValueError, match="component"):
        score_texts(["x"], component="joy")


# --------------------------------------------------------------------------- exactness
# framelens.sentiment.scores skips VADER for texts without lexicon tokens and scores only
# the lexicon tokens of the others; it must equal polarity_scores on every text.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES  # noqa: E402

from framelens.sentiment import analyzer, scores, vader_tokens  # noqa: E402

_LEX = sorted(analyzer().lexicon)
_NEUTRAL_WORDS = [
    "the",
    "minister",
    "said",
    "on",
    "Tuesday",
    "that",
    "Belgrade",
    "talks",
    "of",
    "a",
    "kind",
    "sort",
    "at",
    "very",
    "or",
    "nor",
    "so",
    "this",
    "never",
    "without",
    "doubt",
    "least",
    "but",
    "BUT",
    "no",
    "No",
    "NO",
    "U.S.",
    "p.m.",
    "2024",
    "$5",
    "it's",
    "'s",
]
_SPECIAL = sorted({w for k in (*SPECIAL_CASES, *BOOSTER_DICT) for w in k.split()})
_PUNCT_TOKENS = ["!", "!!", "!!!!!", "?", "??", "????", "...", ",", ":", '"', "\u201c", "-", "--"]
#: tokens VADER gives no valence (no lexicon word, in any case; boosters and negations too)
_NO_VALENCE = [
    w
    for w in _NEUTRAL_WORDS + _PUNCT_TOKENS + sorted(NEGATE)
    if w.lower() not in analyzer().lexicon
]
_EMOJI = ["\U0001f600", "\u2639\ufe0f", "\U0001f44d", "\u2764"]


def _decorate(word: str, style: int) -> str:
    if style == 1:
        return word.upper()
    if style == 2:
        return word.capitalize()
    if style == 3:
        return f'"{word}'
    if style == 4:
        return f"{word}!"
    if style == 5:
        return f"{word},"
    if style == 6:
        return f"({word})"
    return word


_WORD = st.one_of(
    st.sampled_from(_LEX),
    st.sampled_from(_NEUTRAL_WORDS),
    st.sampled_from(_SPECIAL),
    st.sampled_from(sorted(NEGATE)),
    st.sampled_from(_PUNCT_TOKENS),
)
_TOKEN = st.one_of(
    st.tuples(_WORD, st.integers(0, 6)).map(lambda p: _decorate(*p)),
    st.sampled_from(_EMOJI),
)
_SEP = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", ""])
_TEXT = st.lists(st.tuples(_TOKEN, _SEP), max_size=18).map(
    lambda parts: "".join(t + s for t, s in parts)
)


def _expected(text):
    r = analyzer().polarity_scores(text)
    return r["compound"], r["pos"], r["neu"], r["neg"]


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_scores_equal_polarity_scores(text):
    assert scores(text) == _expected(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_NO_VALENCE), max_size=12).map(" ".join))
def test_texts_without_lexicon_words_are_vaders_neutral(text):
    assert scores(text) == _expected(text)
    assert scores(text) in {(0.0, 0.0, 1.0, 0.0), (0.0, 0.0, 0.0, 0.0)}


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\t",
        "!!!",
        "?",
        "??",
        "...",
        '"',
        "HELLO WORLD",
        "THE MINISTER SAID",
        "kind of",
        "but",
        "BUT",
        "no",
        "NO",
        "no no",
        ":)",
        ":-(",
        "ok",
        "OK!!!",
        "\U0001f600",
        "great \U0001f600",
        "\u2639\ufe0f sad",
        "He is not very good, but fine??",
        "The film was kind of good.",
        "at least good",
        "the least good",
        "never so good",
        "without doubt good",
        "the bomb",
        "yeah right",
        "cut the mustard",
        "It is VERY GOOD but the others are BAD!!",
        "not bad at all",
        "no problem",
    ],
)
def test_scores_edge_cases(text):
    assert scores(text) == _expected(text)


def test_scores_of_a_non_string_is_vaders():
    with pytest.raises(TypeError):
        analyzer().polarity_scores(float("nan"))
    with pytest.raises(TypeError):
        scores(float("nan"))


def test_vader_tokens_are_vaders():
    from vaderSentiment.vaderSentiment import SentiText

    t = 'He said: "great!!" -- (ok) it\'s :) U.S. p.m.'
    assert vader_tokens(t) == SentiText(t).words_and_emoticons


def test_sentence_sentiment_equals_polarity_scores_per_sentence():
    texts = ["The book was good.", "", "The committee met.", "NOT GOOD!!", "great \U0001f600"]
    s = pd.DataFrame({"doc_id": ["d"] * 5, "sent_id": range(5), "text": texts})
    out = sentence_sentiment(s)
    exp = [_expected(t) for t in texts]
    got = list(zip(out["compound"], out["pos"], out["neu"], out["neg"]))
    assert got == exp


class _Window:
    def __init__(self, words, cap):
        self.words_and_emoticons = list(words)
        self.is_cap_diff = cap


_WINDOW_WORD = st.tuples(_WORD, st.integers(0, 6)).map(lambda p: _decorate(*p).strip() or "x")


@settings(max_examples=1500, deadline=None)
@given(st.lists(_WINDOW_WORD, min_size=1, max_size=7), st.booleans(), st.data())
def test_token_valence_is_sentiment_valence(words, cap, data):
    from framelens.sentiment import token_valence

    words = [w for w in (x.split()[0] for x in words if x.split())] or ["good"]
    i = data.draw(st.integers(0, len(words) - 1))
    want = analyzer().sentiment_valence(0, _Window(words, cap), words[i], i, [])[0]
    # the rules themselves (not the memo), on the window and on the whole list
    got = token_valence.__wrapped__(tuple(words), i, cap)
    assert got == want and type(got) is type(want)
    w0 = max(0, i - 3)
    assert token_valence.__wrapped__(tuple(words[w0 : i + 3]), i - w0, cap) == want


@pytest.mark.parametrize(
    "words,i",
    [
        (("never", "so", "good"), 2),
        (("without", "a", "doubt", "good"), 3),
        (("no", "or", "nor", "good"), 3),
        (("no", "good"), 0),
        (("at", "least", "good"), 2),
        (("very", "least", "good"), 2),
        (("the", "least", "good"), 2),
        (("kiss", "of", "death", "sucks"), 2),
        (("the", "sort", "of", "good"), 3),
        (("to", "die", "for", "it"), 1),
        (("don't", "really", "like"), 2),
        (("VERY", "GOOD", "film"), 1),
    ],
)
def test_token_valence_rule_cases(words, i):
    from framelens.sentiment import token_valence

    for cap in (False, True):
        want = analyzer().sentiment_valence(0, _Window(words, cap), words[i], i, [])[0]
        assert token_valence.__wrapped__(words, i, cap) == want
