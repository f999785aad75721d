"""Target tone reuses the sentence VADER scores and scores texts exactly as VADER does."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.measures.alignment import tones, vader
from framelens.sentiment import analyzer, scores, sentence_sentiment

SENTS = [
    "The brave mayor saved the city, but critics were not happy!!",
    "NATO condemned the attack on Kyiv.",
    "The committee met on Tuesday in Belgrade.",
    "He said the talks were kind of good \U0001f600",
    "Serbia and Russia signed a GREAT deal??",
]


def _pol(text):
    r = analyzer().polarity_scores(text)
    return r["compound"], r["pos"], r["neg"]


def test_sentence_features_are_polarity_scores():
    starts = [s.index(w) for s, w in zip(SENTS, ["mayor", "NATO", "committee", "He", "Russia"])]
    ends = [a + n for a, n in zip(starts, [5, 4, 9, 2, 6])]
    X = tones.target_features(SENTS, starts, ends)
    f = tones.TONE_FEATURES
    for row, t in zip(X, SENTS):
        c, p, n = _pol(t)
        assert row[f.index("sent_compound")] == c
        assert row[f.index("sent_pos")] == p
        assert row[f.index("sent_neg")] == n


def test_target_tone_reuses_sentence_sentiment():
    s = pd.DataFrame({"doc_id": ["d"] * len(SENTS), "sent_id": range(len(SENTS)), "text": SENTS})
    sentence_sentiment(s)
    before = scores.cache_info()
    tones.target_features(SENTS, [0] * len(SENTS), [3] * len(SENTS))
    after = scores.cache_info()
    # every whole-sentence score was a memo hit (the window texts may be new)
    assert after.hits - before.hits >= len(SENTS)


def test_span_tone_is_polarity_scores():
    t = ["The brave mayor saved the city, but critics were angry."]
    sent, _ = tones.span_tone(t, [10], [15], scope="sentence")
    assert sent[0] == analyzer().polarity_scores(t[0])["compound"]


_LEX = sorted(analyzer().lexicon)
_WORDS = st.one_of(
    st.sampled_from(_LEX),
    st.sampled_from(["the", "mayor", "but", "no", "not", "very", "kind", "of", "least", "!!"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_WORDS, st.booleans()), max_size=14))
def test_text_scores_is_polarity_scores(parts):
    text = " ".join(w.upper() if up else w for w, up in parts)
    assert vader.text_scores(text) == _pol(text)


@pytest.mark.parametrize("text", SENTS)
def test_sub_scores_of_whole_sentence_equal_scores(text):
    st_ = vader.SentTokens(text)
    r = vader.sub_scores(st_, 0, len(text))
    assert (r["compound"], r["pos"], r["neu"], r["neg"]) == scores(text)
