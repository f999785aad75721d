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


# --------------------------------------------------------------------------- word windows
# left60 / right60 / target / left3 / right3 valences come from the sentence's words with
# the words crossing a cut clipped: the same as a regex over each substring.

_PIECES = st.sampled_from(
    [
        "good",
        "bad",
        "the",
        "mayor",
        "isn't",
        "Kyiv's",
        "happy",
        "war",
        "peace",
        "killed",
        "brave",
        "a",
        "NATO",
        "2024",
        "well-known",
        "great!",
        '"love"',
        "hate,",
        "-",
        "...",
    ]
)
_SEPS = st.sampled_from([" ", " ", "  ", ", ", "-", "'", "\n"])


def _lexv(words):
    lex = analyzer().lexicon
    return [lex.get(x.lower(), 0.0) for x in words]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_PIECES, _SEPS), min_size=1, max_size=40), st.data())
def test_window_valences_equal_regex_over_substrings(parts, data):
    t = "".join(w + s for w, s in parts).strip() or "good"
    s = data.draw(st.integers(0, len(t) - 1))
    e = data.draw(st.integers(s + 1, len(t)))
    f = tones.TONE_FEATURES
    row = tones.target_features([t], [s], [e], cues=[[]])[0]
    findall = vader.VADER_WORD_RE.findall
    for name, piece in (("left60", t[max(0, s - 60) : s]), ("right60", t[e : e + 60])):
        v = _lexv(findall(piece))
        assert row[f.index(f"{name}_pos")] == sum(x for x in v if x > 0)
        assert row[f.index(f"{name}_neg")] == sum(x for x in v if x < 0)
    assert row[f.index("target_valence")] == sum(_lexv(findall(t[s:e])))
    ws = [m.span() for m in vader.VADER_WORD_RE.finditer(t)]
    lw = [t[a:z] for a, z in ws if a < s][-6:]
    if lw and [z for a, z in ws if a < s][-1] > s:
        lw[-1] = lw[-1][: len(lw[-1]) - ([z for a, z in ws if a < s][-1] - s)]
    rw = [(a, t[a:z]) for a, z in ws if z > e][:6]
    rw = [w if a >= e else w[e - a :] for a, w in rw]
    assert row[f.index("left3_valence")] == sum(_lexv(lw[-3:]))
    assert row[f.index("right3_valence")] == sum(_lexv(rw[:3]))


def test_one_definition_of_the_tone_features():
    from framelens.measures.alignment import TONE_MODEL, tone_model

    assert tones.TONE_FEATURES is tone_model.TONE_FEATURES
    assert TONE_MODEL["features"] == list(tones.TONE_FEATURES)
    assert len(TONE_MODEL["coef"][0]) == len(tones.TONE_FEATURES) == 31


def test_target_features_restore_the_garbage_collector():
    import gc

    assert gc.isenabled()
    tones.target_features(SENTS, [0] * len(SENTS), [3] * len(SENTS))
    assert gc.isenabled()
    gc.disable()
    try:
        tones.target_features(SENTS, [0] * len(SENTS), [3] * len(SENTS))
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
    with pytest.raises(ValueError):
        tones.target_features(["a b"], ["x"], [1], cues=[[]])
    assert gc.isenabled()  # also after an error


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_PIECES, _SEPS), min_size=1, max_size=40), st.data())
def test_window6_compound_is_polarity_scores_of_the_window(parts, data):
    # the 6-word window is scored without VADER when none of its tokens is a lexicon
    # word: the feature must still be polarity_scores of the window text
    t = "".join(w + s for w, s in parts).strip() or "good"
    s = data.draw(st.integers(0, len(t) - 1))
    e = data.draw(st.integers(s + 1, len(t)))
    row = tones.target_features([t], [s], [e], cues=[[]])[0]
    ws = [m.span() for m in vader.VADER_WORD_RE.finditer(t)]
    lw = [t[a : min(z, s)] for a, z in ws if a < s][-6:]
    rw = [t[max(a, e) : z] for a, z in ws if z > e][:6]
    window = " ".join(lw) + " " + t[s:e] + " " + " ".join(rw)
    assert row[tones.TONE_FEATURES.index("window6_compound")] == _pol(window)[0]


@pytest.mark.parametrize(
    "text",
    [
        "Peace talks stalled; the mayor left.",  # lexicon words only far from the target
        "The mayor met Kyiv's envoy in 2024.",  # none at all
        "He was not happy with the mayor's plan",  # one inside the window
        "Good\u00a0mayor, bad\u2009council",  # non-ASCII white space
        "The mayor \U0001f600 smiled",  # emoji: VADER itself
    ],
)
def test_window6_compound_cases(text):
    s = text.index("mayor")
    row = tones.target_features([text], [s], [s + 5], cues=[[]])[0]
    ws = [m.span() for m in vader.VADER_WORD_RE.finditer(text)]
    lw = [text[a:z] for a, z in ws if z <= s][-6:]
    rw = [text[a:z] for a, z in ws if a >= s + 5][:6]
    window = " ".join(lw) + " mayor " + " ".join(rw)
    assert row[tones.TONE_FEATURES.index("window6_compound")] == _pol(window)[0]
