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


# --------------------------------------------------------------------------- neutrality
# The neutrality step computes the sentence x voice pieces and each sentence's voice once
# and hands them to the functions that used to recompute them: the same tables.


@pytest.fixture(scope="module")
def batch():
    from framelens import lexicon, text
    from framelens.pipeline import DEFAULT_LEXICONS

    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                'The minister said "this is a shocking, disgraceful attack!" on Tuesday. '
                "Critics allegedly claimed the deal was a so-called success?",
                "NATO condemned the regime. \u201cWe will never accept it,\u201d he warned. "
                "The committee met in Belgrade.",
            ],
        }
    )
    tabs = dict(text.process(docs))
    m = lexicon.Matcher([lexicon.load(n) for n in DEFAULT_LEXICONS])
    tabs["matches"] = lexicon.match(docs, m, sentences=tabs["sentences"], segments=tabs["segments"])
    tabs["sentiment"] = sentence_sentiment(tabs["sentences"])
    return tabs


def test_neutrality_shared_pieces_and_voice_give_the_same_tables(batch):
    from framelens.measures.neutrality import cues, sentiment_by_voice, voice
    from framelens.measures.neutrality.bias import sentence_bias

    s, g, m, senti = batch["sentences"], batch["segments"], batch["matches"], batch["sentiment"]
    p = voice.voice_pieces(s, g)
    v = sentiment_by_voice.sentence_voice(s, g, pieces=p)
    eq = pd.testing.assert_frame_equal
    eq(v, sentiment_by_voice.sentence_voice(s, g), check_exact=True)
    eq(cues.cue_rates(m, s, g, pieces=p), cues.cue_rates(m, s, g), check_exact=True)
    eq(
        voice.voice_tokens(s, g, level="doc", pieces=p),
        voice.voice_tokens(s, g, level="doc"),
        check_exact=True,
    )
    eq(
        sentiment_by_voice.voice_sentiment(senti, s, g, voice=v),
        sentiment_by_voice.voice_sentiment(senti, s, g),
        check_exact=True,
    )
    eq(sentence_bias(m, s, g, senti, voice=v), sentence_bias(m, s, g, senti), check_exact=True)
    assert "tokens" not in p.columns  # the shared pieces are not modified


def test_cue_counts_of_other_matches_equal_bias_features(batch):
    from framelens.measures.neutrality.bias import bias_features, with_cue_counts

    s, m, senti = batch["sentences"], batch["matches"], batch["sentiment"]
    author = m[m["voice"].astype(str) == "author"]
    f = bias_features(m, s, senti)
    for other in (author, m.iloc[:0], None):
        pd.testing.assert_frame_equal(
            with_cue_counts(f, other), bias_features(other, s, senti), check_exact=True
        )
