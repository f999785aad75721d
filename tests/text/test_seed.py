"""The motivating article (data/sample/articles/000_fbaa5b5f07ee96ab.txt) through the
text layer, with every expectation worked out by hand from the text.

The article has 12 paragraphs (one per line) and 17 sentences:

====  =========================================================  =========
para  sentences (first words)                                    count
====  =========================================================  =========
0     "Russia and Serbia will continue ... Vladimir Putin."       1
1     "The phone call was held ... in 1944"."  (stray mark)        1
2     "President Vucic said that the talks ..."                   1
3     '"We talked like old friends ...' / "He noted that ..."     2
4     "Belgrade's official stance ..."                            1
5     '"When 25 presidents ...'                                   1
6     "The Serbian leader also noted ..." / "Mr. Vucic said ..."  2
7     "President Vucic often calls ..." / "He has recently ..."   2
8     "North and South Korea ended ..."                           1
9     "President Vucic said he thanked ..."                       1
10    "Serbia applied ..." / "In the following years ..."         2
11    "Serbian Deputy Prime Minister ..." / "Therefore, ..."      2
====  =========================================================  =========
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT
from framelens import text as T
from framelens.core.tokens import count_words

SEED = ROOT / "data" / "sample" / "articles" / "000_fbaa5b5f07ee96ab.txt"
VUCIC = "Aleksandar Vucic"
PUTIN = "Vladimir Putin"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=["rules", "model"])
def system(request) -> str:
    """Both attribution systems: the rules and the learned model (the default of
    ``framelens analyze``) must give every hand-coded quotation below."""
    return request.param


@pytest.fixture(scope="module")
def out(seed_text, system):
    docs = pd.DataFrame({"doc_id": ["seed"], "text": [seed_text]})
    return T.process(docs, attribution=system)


@pytest.fixture(scope="module")
def quotes(out):
    q = out["quotes"]
    return q.assign(
        text=q["text"].astype(str),
        kind=q["kind"].astype(str),
        speaker=q["speaker"].astype(object),
        verb=q["verb"].astype(object),
        verb_class=q["verb_class"].astype(object),
    )


# ------------------------------------------------------------------ sentences
SENTENCE_STARTS = [
    "Russia and Serbia will continue",
    "The phone call was held",
    "President Vucic said that the talks",
    '"We talked like old friends',
    "He noted that although",
    "Belgrade's official stance",
    '"When 25 presidents',
    "The Serbian leader also noted",
    "Mr. Vucic said that President Putin said",
    "President Vucic often calls",
    "He has recently said",
    "North and South Korea",
    "President Vucic said he thanked",
    "Serbia applied for EU membership",
    "In the following years",
    "Serbian Deputy Prime Minister",
    "Therefore, Serbia will learn",
]
PARA_OF_SENTENCE = [0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 7, 8, 9, 10, 10, 11, 11]


def test_seed_sentence_boundaries(out, seed_text):
    s = out["sentences"]
    assert len(s) == 17  # counted by hand, see the module docstring
    assert s["sent_id"].tolist() == list(range(17))
    assert s["para_id"].tolist() == PARA_OF_SENTENCE
    for (_, row), first in zip(s.iterrows(), SENTENCE_STARTS):
        assert str(row["text"]).startswith(first)
        assert seed_text[row["start"] : row["end"]] == row["text"]
    # "Mr. Vucic" is no boundary: the sentence runs on to "... with that view."
    mr = s.loc[8]
    assert str(mr["text"]).endswith("expressed his agreement with that view.")
    # the stray closing mark belongs to its sentence, which ends the paragraph
    assert str(s.loc[1, "text"]).endswith('in 1944".')
    # the last sentence of each paragraph ends at its line's end (no newline inside)
    assert not any("\n" in str(t) for t in s["text"])


def test_seed_word_counts(out):
    s = out["sentences"]
    # sentence 10: He has recently said that the situation could end in a "kmarsome"
    # deadlock on the Korean Peninsula, with open hostilities ending but the parties
    # unlikely to agree on a peaceful solution.
    # words: He has recently said that the situation could end in a (11) kmarsome (12)
    # deadlock on the Korean Peninsula (17) with open hostilities ending but the parties
    # (24) unlikely to agree on a peaceful solution (31); the marks " " , . are no words
    assert int(s.loc[10, "n_words"]) == 31
    # sentence 16: Therefore, Serbia will learn about the alternative of joining BRICS. -> 10
    assert int(s.loc[16, "n_words"]) == 10
    # n_words is the one word unit of core.tokens, sentence by sentence
    assert s["n_words"].tolist() == count_words(s["text"].astype(str)).tolist()


# ------------------------------------------------------------------ quotations
def _row(quotes, kind, startswith):
    hit = quotes[(quotes["kind"] == kind) & quotes["text"].str.startswith(startswith)]
    assert len(hit) == 1, (kind, startswith, quotes[["kind", "text"]])
    return hit.iloc[0]


#: What the learned model adds to the hand-coded inventory of the seed: attributions in
#: PolNeAR's wider sense (a refusal, two demands of the EU reported as participles, with
#: no speaker: the EU is not found) and one false one ("Serbia will learn about ...");
#: (kind, first words, speaker, cue).
MODEL_EXTRA = [
    ("indirect", "to join the sanctions", None, "has repeatedly refused"),
    ("indirect", "the independence of the breakaway province", None, "recognizing"),
    ("indirect", "Serbia to cut off relations", None, "asking"),
    ("indirect", "the alternative of joining BRICS", "Serbia", "will learn about"),
]


def _extra(quotes, system):
    """The model's rows beyond the hand-coded ones (MODEL_EXTRA), and the others."""
    if system == "rules":
        return quotes.iloc[:0], quotes
    hit = pd.Series(False, index=quotes.index)
    for kind, first, _, _ in MODEL_EXTRA:
        hit |= (quotes["kind"] == kind) & quotes["text"].str.startswith(first)
    return quotes[hit], quotes[~hit]


def test_seed_quote_inventory(quotes, system, seed_text):
    # 19 quotations, listed by paragraph: P0 1 (headline indirect); P2 2 (indirect +
    # partial); P3 3 (direct, indirect, partial); P5 3 (direct, indirect, partial);
    # P6 5 (indirect + 2 partial; indirect + nested direct); P7 2; P9 2; P11 1.
    # "President Vucic often calls for a diplomatic solution ..." (P7) makes no quote:
    # "call for" is a reporting verb, but its noun-phrase complement is a report of a
    # speech act, not indirect speech (see the text module docstring).
    extra, quotes = _extra(quotes, system)
    assert len(quotes) == 19
    assert quotes["kind"].value_counts().to_dict() == {"indirect": 10, "partial": 6, "direct": 3}
    assert quotes["start"].is_monotonic_increasing
    assert quotes["speaker_actor"].isna().all()
    if system == "model":  # exactly the four known extra rows, nothing else
        got = [
            (k, t, None if pd.isna(s) else s, seed_text[int(a) : int(b)])
            for k, t, s, a, b in zip(
                extra["kind"],
                extra["text"],
                extra["speaker"],
                extra["verb_start"],
                extra["verb_end"],
            )
        ]
        assert [
            (k, t[: len(f)], s, c) for (k, t, s, c), (_, f, _, _) in zip(got, MODEL_EXTRA)
        ] == MODEL_EXTRA


def test_seed_quote_ids(out):
    q = out["quotes"]
    assert q["quote_id"].tolist() == list(range(len(q)))


def test_seed_every_quote_is_attributed(quotes, system):
    # every quotation of the seed has a speaker: Putin for the nested direct quote,
    # Vulin for the last paragraph, Vucic for the other 17
    _, quotes = _extra(quotes, system)
    assert quotes["speaker"].tolist().count(PUTIN) == 1
    assert quotes["speaker"].tolist().count("Aleksandar Vulin") == 1
    assert quotes["speaker"].tolist().count(VUCIC) == 17
    assert set(quotes["verb_class"]) == {"neutral", "endorsing"}


def test_seed_headline(quotes, seed_text):
    q = _row(quotes, "indirect", "Russia and Serbia")
    assert (
        q["text"]
        == "Russia and Serbia will continue to strengthen relations despite pressure from the West"
    )
    assert (q["start"], q["sent_id"]) == (0, 0)
    assert q["speaker"] == VUCIC
    assert q["speaker_surface"] == "Serbian President Aleksandar Vucic"
    assert seed_text[q["speaker_start"] : q["speaker_end"]] == q["speaker_surface"]
    assert (q["verb"], q["verb_class"]) == ("say", "neutral")
    assert seed_text[q["verb_start"] : q["verb_end"]] == "said"


def test_seed_direct_quote_with_trailing_attribution(quotes, seed_text):
    q = _row(quotes, "direct", "We talked like old friends")
    # content inside the marks, trailing comma included
    assert q["text"].endswith("who is a strong leader,")
    assert seed_text[q["start"] - 1] == '"' and seed_text[q["end"]] == '"'
    assert (q["speaker"], q["speaker_surface"]) == (VUCIC, "President Vucic")
    assert (q["verb"], q["verb_class"], q["sent_id"]) == ("say", "neutral", 3)


def test_seed_pronoun_and_partial(quotes):
    ind = _row(quotes, "indirect", "although Serbia's stance")
    assert ind["text"].endswith("on the Russia-Ukraine conflict")
    assert (ind["speaker"], ind["speaker_surface"]) == (VUCIC, "He")
    assert (ind["verb"], ind["verb_class"], ind["sent_id"]) == ("note", "endorsing", 4)
    part = _row(quotes, "partial", "not simple")
    assert part["text"] == "not simple"
    assert (part["speaker"], part["verb"], part["verb_class"]) == (VUCIC, "note", "endorsing")


def test_seed_explain_and_stress(quotes):
    d = _row(quotes, "direct", "When 25 presidents")
    assert (d["speaker"], d["verb"], d["verb_class"]) == (VUCIC, "explain", "endorsing")
    ind = _row(quotes, "indirect", "Serbia had")
    assert (
        ind["text"]
        == 'Serbia had "tried to protect its independence and sovereignty in making decisions."'
    )
    assert (ind["speaker"], ind["verb"], ind["verb_class"]) == (VUCIC, "stress", "endorsing")
    p = _row(quotes, "partial", "tried to protect")
    assert (p["speaker"], p["verb"]) == (VUCIC, "stress")


def test_seed_serbian_leader_and_russian_leader(quotes, seed_text):
    ind = _row(quotes, "indirect", "although he and President Putin")
    assert (ind["speaker"], ind["speaker_surface"]) == (VUCIC, "The Serbian leader")
    assert (ind["verb"], ind["verb_class"]) == ("note", "endorsing")
    assert ind["text"].endswith('"understands Serbia\'s stance better than anyone else"')
    p1 = _row(quotes, "partial", "do not always think")
    p2 = _row(quotes, "partial", "understands Serbia's stance")
    assert p1["speaker"] == p2["speaker"] == VUCIC
    # "the Russian leader" is a reference to Putin (nationality Russian, title President)
    refs = T.references(pd.DataFrame({"doc_id": ["seed"], "text": [seed_text]}))
    rl = refs[refs["surface"].astype(str) == "the Russian leader"]
    assert rl["person"].astype(str).tolist() == [PUTIN]
    sl = refs[refs["surface"].astype(str) == "The Serbian leader"]
    assert sl["person"].astype(str).tolist() == [VUCIC]


def test_seed_nested_reported_speech(quotes):
    outer = _row(quotes, "indirect", "President Putin said")
    assert (outer["speaker"], outer["speaker_surface"], outer["verb"]) == (
        VUCIC,
        "Mr. Vucic",
        "say",
    )
    inner = _row(quotes, "direct", "What is good for Serbia")
    assert inner["text"] == "What is good for Serbia is good for Russia"
    assert (inner["speaker"], inner["speaker_surface"], inner["verb"]) == (
        PUTIN,
        "President Putin",
        "say",
    )
    assert outer["start"] < inner["start"] < inner["end"] < outer["end"]
    assert outer["sent_id"] == inner["sent_id"] == 8


def test_seed_has_recently_said_and_coordination(quotes):
    ind = _row(quotes, "indirect", "the situation could end")
    assert (ind["speaker"], ind["speaker_surface"], ind["verb"]) == (VUCIC, "He", "say")
    assert _row(quotes, "partial", "kmarsome")["speaker"] == VUCIC
    a = _row(quotes, "indirect", "he thanked President Putin")
    assert a["text"] == "he thanked President Putin for ensuring sufficient gas supplies to Serbia"
    b = _row(quotes, "indirect", "he wanted to")
    assert b["text"] == "he wanted to further strengthen Serbia-Russia relations"
    assert a["speaker"] == b["speaker"] == VUCIC
    assert b["verb"] == "say"


def test_seed_vulin(quotes):
    q = _row(quotes, "indirect", "the EU has made")
    assert q["text"].endswith("has not made any progress on membership")
    assert (q["speaker"], q["verb"], q["verb_class"]) == ("Aleksandar Vulin", "say", "neutral")
    assert q["speaker_surface"] == "Serbian Deputy Prime Minister Aleksandar Vulin"


# ------------------------------------------------------------------ stray mark, voice
def test_seed_stray_mark(out, quotes, seed_text):
    pos = seed_text.index('1944"') + 4
    assert not ((quotes["start"] <= pos) & (quotes["end"] > pos)).any()
    # no quote crosses a paragraph boundary
    for _, q in quotes.iterrows():
        assert "\n" not in seed_text[q["start"] : q["end"]]
    p = out["problems"]
    assert len(p) == 1
    assert str(p.iloc[0]["code"]) == "unmatched_quote"
    assert str(p.iloc[0]["severity"]) == "warning"
    assert f"offset {pos}" in str(p.iloc[0]["message"])


def test_seed_voice(out, seed_text):
    seg = out["segments"]
    located = T.locate(
        pd.DataFrame(
            {
                "doc_id": ["seed"] * 7,
                "start": [
                    seed_text.index("not simple") + 3,  # inside a partial quote
                    seed_text.index("Belgrade's official stance"),  # narration
                    seed_text.index("Russia and Serbia will"),  # headline reported clause
                    seed_text.index("What is good for Serbia"),  # nested direct quote
                    seed_text.index("President Putin said"),  # Vucic's reported clause
                    seed_text.index('1944"') + 4,  # the stray mark itself
                    seed_text.index("Therefore"),  # narration after Vulin
                ],
            }
        ),
        sentences=out["sentences"],
        segments=seg,
    )
    assert located["voice"].astype(str).tolist() == [
        "quoted",
        "author",
        "reported",
        "quoted",
        "reported",
        "author",
        "author",
    ]
    assert located["sent_id"].tolist() == [4, 5, 0, 8, 8, 1, 16]
