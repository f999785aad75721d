"""Tests of framelens.measures.neutrality: every rate and index computed by hand (see comments).

Hand-built tables follow framelens.core.schema; tests that need the text layer or the
pipeline are skipped until those modules exist.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from framelens.errors import ConfigError
from framelens.measures import neutrality as nt


# ------------------------------------------------------------------------ fixtures
def sentences_of(doc_id: str, text: str, bounds: list[int]) -> pd.DataFrame:
    """Sentences cut at the given boundaries (each sentence is text[b_i:b_{i+1}].strip())."""
    rows = []
    for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        s, e = a + lead, a + len(seg.rstrip())
        rows.append((doc_id, i, s, e, text[s:e]))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "start", "end", "text"])


def match_rows(doc_id, text, items, sentences, segments=None):
    """matches for (term, lexicon, category) items found by str.find in text."""
    rows = []
    pos = 0
    for term, lex, cat in items:
        st = text.lower().index(term.lower(), pos)
        en = st + len(term)
        pos = en
        inside = (sentences["start"] <= st) & (sentences["end"] > st)
        sid = int(sentences[inside]["sent_id"].iloc[0])
        voice = "author"
        if segments is not None:
            g = segments[(segments["start"] <= st) & (segments["end"] > st)]
            voice = str(g["voice"].iloc[0])
        rows.append((doc_id, sid, st, en, lex, cat, term, voice, 1.0))
    return pd.DataFrame(
        rows,
        columns=[
            "doc_id",
            "sent_id",
            "start",
            "end",
            "lexicon",
            "category",
            "term",
            "voice",
            "weight",
        ],
    )


# Doc "d": author sentence, then a sentence with a direct quote.
TEXT = 'Clearly the regime failed badly. "We are not neutral," she said.'
#        0         1         2         3         4         5         6
Q0 = TEXT.index("We")  # 34
Q1 = TEXT.index(',"')  # 52
SENT = sentences_of("d", TEXT, [0, 33, len(TEXT)])
SEG = pd.DataFrame(
    {
        "doc_id": ["d"] * 3,
        "start": [0, Q0, Q1],
        "end": [Q0, Q1, len(TEXT)],
        "voice": ["author", "quoted", "author"],
        "quote_id": [None, 0, None],
    }
)
QUOTES = pd.DataFrame(
    {
        "doc_id": ["d"],
        "quote_id": [0],
        "sent_id": [1],
        "start": [Q0],
        "end": [Q1],
        "text": [TEXT[Q0:Q1]],
        "kind": ["direct"],
        "speaker": ["Ana Brnabic"],
        "speaker_surface": ["she"],
        "speaker_actor": ["SRBGOV"],
        "verb": ["say"],
        "verb_class": ["neutral"],
    }
)
MATCHES = match_rows(
    "d",
    TEXT,
    [
        ("Clearly", "bias_cues", "boosters"),
        ("regime", "bias_cues", "loaded_terms"),
        ("failed", "bias_cues", "implicatives"),
        ("not neutral", "neutrality_discourse", "questioning"),
    ],
    SENT,
    SEG,
)


# ---------------------------------------------------------------------- voice tokens
def test_voice_tokens_split_by_segments():
    # sentence 0: "Clearly the regime failed badly." -> 5 author words
    # sentence 1: '"We are not neutral," she said.' -> quoted: We are not neutral (4);
    #             author: she said (2)
    vt = nt.voice_tokens(SENT, SEG)
    got = {(r.sent_id, r.voice): r.tokens for r in vt.itertuples()}
    assert got == {(0, "author"): 5, (1, "author"): 2, (1, "quoted"): 4}
    doc = nt.voice_tokens(SENT, SEG, level="doc")
    assert dict(zip(doc["voice"], doc["tokens"])) == {"author": 7, "quoted": 4}


def test_voice_tokens_without_segments_is_author():
    vt = nt.voice_tokens(SENT, None, level="doc")
    assert vt["voice"].tolist() == ["author"] and vt["tokens"].tolist() == [11]


def test_count_words():
    # don't = 1, well-known = 1; the one word unit of framelens.core.tokens
    from framelens.core import tokens

    assert nt.count_words is tokens.count_words and nt.WORD_RE is tokens.WORD_RE
    assert nt.count_words(["I don't know well-known x.", "", "a,b"]).tolist() == [5, 0, 2]
    # a number with separators is one word (it was two or three before the one definition)
    assert nt.count_words(["1,500 troops", "2.5%"]).tolist() == [2, 1]


def test_vocabularies_come_from_the_schema():
    from framelens.core import schema

    assert nt.VOICES is schema.VOICES and nt.VERB_CLASSES is schema.VERB_CLASSES


def test_rates_are_per_1000_words():
    """Drift fix: neutrality rates were per 100 tokens; every rate is per 1,000 words."""
    r = nt.cue_rates(MATCHES, SENT, SEG).set_index(["voice", "category"])
    row = r.loc[("author", "boosters")]
    assert row["rate"] == pytest.approx(1000 * row["n"] / row["tokens"])
    b = nt.sentence_bias(MATCHES, SENT, SEG, model="formula").set_index("sent_id")
    cues = b.loc[0, [f"n_{c}" for c in nt.CUE_CATEGORIES]].sum()
    assert b.loc[0, "cue_density"] == pytest.approx(1000 * cues / b.loc[0, "tokens"])


# -------------------------------------------------------------------------- cue rates
def test_cue_rates_doc_level_by_voice():
    r = nt.cue_rates(MATCHES, SENT, SEG)
    # 3 voices x 8 categories, zero categories kept
    assert len(r) == 24
    r = r.set_index(["voice", "category"])
    # author: 3 cues (booster, loaded, implicative) over 7 author words: per 1,000 words
    assert r.loc[("author", "boosters"), "n"] == 1
    assert r.loc[("author", "boosters"), "rate"] == pytest.approx(1000 / 7)
    assert r.loc[("author", "loaded_terms"), "rate"] == pytest.approx(1000 / 7)
    assert r.loc[("author", "hedges"), "rate"] == 0.0
    # quoted voice: 4 tokens, no bias cue ("not neutral" belongs to another lexicon)
    assert r.loc[("quoted", "boosters"), "tokens"] == 4
    assert r.loc[("quoted", "boosters"), "rate"] == 0.0
    # reported voice has no tokens -> NaN rate
    assert r.loc[("reported", "boosters"), "tokens"] == 0
    assert math.isnan(r.loc[("reported", "boosters"), "rate"])


def test_cue_rates_pooled_and_sentence_level():
    r = nt.cue_rates(MATCHES, SENT, SEG, by_voice=False)
    assert set(r["voice"].astype(str)) == {"all"}
    # 3 cues over 11 tokens
    assert r["n"].sum() == 3
    assert r.set_index("category").loc["implicatives", "rate"] == pytest.approx(1000 / 11)
    s = nt.cue_rates(MATCHES, SENT, SEG, level="sentence")
    # sentence 0: author only (5 words): regime -> 200 per 1,000 words
    row = s[(s["sent_id"] == 0) & (s["category"] == "loaded_terms")]
    assert row["voice"].astype(str).tolist() == ["author"]
    assert row["rate"].item() == pytest.approx(200.0)
    # sentence 1 has author and quoted rows only
    assert set(s[s["sent_id"] == 1]["voice"].astype(str)) == {"author", "quoted"}


def test_cue_rates_validates_and_does_not_mutate():
    before = MATCHES.copy()
    nt.cue_rates(MATCHES, SENT, SEG)
    pd.testing.assert_frame_equal(MATCHES, before)
    with pytest.raises(ValueError, match="level"):
        nt.cue_rates(MATCHES, SENT, SEG, level="word")
    with pytest.raises(ValueError, match="sentences table lacks"):
        nt.cue_rates(MATCHES, SENT.drop(columns=["text"]), SEG)


# ------------------------------------------------------------------------ attribution
Q3 = pd.DataFrame(
    {
        "doc_id": ["a"] * 5,
        "speaker": ["Vucic", "Vucic", "Borrell", "Borrell", ""],
        "speaker_actor": ["SRBGOV", "SRBGOV", "EU", "EU", ""],
        "text": ["one two three four", "five six", "seven", "eight nine ten", "x y"],
        "verb_class": ["endorsing", "neutral", "distancing", "guilt_implying", "neutral"],
    }
)


def test_attribution_shares_per_speaker():
    a = nt.attribution(Q3)
    # 3 speakers (incl. unattributed) x 4 classes
    assert len(a) == 12
    v = a[(a["speaker"] == "Vucic")].set_index("verb_class")
    assert v.loc["endorsing", "share"] == 0.5 and v.loc["neutral", "share"] == 0.5
    assert v.loc["distancing", "n"] == 0
    assert (a[a["speaker"] == "(unattributed)"]["n_quotes"] == 1).all()
    with pytest.raises(ValueError, match="no column"):
        nt.attribution(Q3, by=("doc_id", "nope"))
    bad = Q3.assign(verb_class=["praising"] + Q3["verb_class"].tolist()[1:])
    with pytest.raises(ValueError, match="unknown verb_class"):
        nt.attribution(bad)


def test_attribution_asymmetry_range_and_pair():
    # SRB: (1 endorsing - 0) / 2 = 0.5 ; EU: (0 - 1 distancing - 1 guilt) / 2 = -1.0
    # unattributed quote (source '(unattributed)', camp '(unattributed)'): 0 / 1 = 0
    r = nt.attribution_asymmetry(Q3, min_quotes=2)
    assert r["asymmetry"].item() == pytest.approx(1.5)
    assert r["group_max"].item() == "SRB" and r["group_min"].item() == "EU"
    p = nt.attribution_asymmetry(Q3, groups=("EU", "SRB"))
    assert p["asymmetry"].item() == pytest.approx(-1.5)
    one = nt.attribution_asymmetry(Q3[Q3["speaker_actor"] == "EU"])
    assert one["asymmetry"].item() == 0.0 and one["n_groups"].item() == 1


# --------------------------------------------------------------------------- sourcing
def test_sources_shares_and_camps():
    s = nt.sources(Q3, camp_map={"EU": "West"}).set_index("source")
    # the source is the person; words: Vucic 4 + 2 = 6; Borrell 1 + 3 = 4; total 10
    assert s.loc["Vucic", "quoted_words"] == 6
    assert s.loc["Vucic", "share_words"] == pytest.approx(0.6)
    assert s.loc["Borrell", "share_words"] == pytest.approx(0.4)
    assert s.loc["Borrell", "affiliation"] == "EU" and s.loc["Vucic", "affiliation"] == "SRBGOV"
    assert s.loc["Borrell", "camp"] == "West" and s.loc["Vucic", "camp"] == "SRB"
    assert math.isnan(s.loc["(unattributed)", "share_words"])
    assert s.loc["Borrell", "n_guilt_implying"] == 1
    # without actor codes the speaker name is the source and the camp
    s2 = nt.sources(Q3.drop(columns=["speaker_actor"])).set_index("source")
    assert s2.loc["Vucic", "camp"] == "Vucic" and s2.loc["Vucic", "affiliation"] == ""


def test_two_members_of_one_government_are_two_sources():
    # Vucic and Vulin share the actor code SRBGOV (affiliation) but are two sources;
    # an actor code without any name stays the source; no speaker -> (unattributed)
    q = pd.DataFrame(
        {
            "doc_id": ["g"] * 5,
            "speaker": ["Aleksandar Vučić", "Aleksandar Vulin", "Vladimir Putin", "", ""],
            "speaker_surface": ["Vucic", "Vulin", "Putin", "", ""],
            "speaker_actor": ["SRBGOV", "SRBGOV", "RUSGOV", "", ""],
            "text": ["a b c d", "e f", "g h", "x", "y z"],
            "verb_class": ["neutral"] * 5,
        }
    )
    s = nt.sources(q).set_index("source")
    assert sorted(s.index) == [
        "(unattributed)",
        "Aleksandar Vucic",
        "Aleksandar Vulin",
        "Vladimir Putin",
    ]
    assert s.loc["Aleksandar Vulin", "affiliation"] == "SRBGOV"
    assert s.loc["Aleksandar Vulin", "camp"] == "SRB" and s.loc["Vladimir Putin", "camp"] == "RUS"
    assert s.loc["(unattributed)", "n_quotes"] == 2
    # source balance over words (4, 2, 2)/8 = (.5, .25, .25):
    # H = -(.5 ln .5 + 2 * .25 ln .25) = 0.346574 + 0.693147 = 1.039721; / ln 3 = 0.946395
    b = nt.source_balance(nt.sources(q)).iloc[0]
    assert b["n"] == 3 and b["balance"] == pytest.approx(0.946395, abs=1e-6)
    assert b["dominant"] == "Aleksandar Vucic" and b["dominant_share"] == 0.5
    # camps: SRB 6 words, RUS 2 -> (.75, .25): H / ln 2 = 0.811278
    c = nt.source_balance(nt.sources(q), by="camp").iloc[0]
    assert c["n"] == 2 and c["balance"] == pytest.approx(0.811278, abs=1e-6)
    # a quote with an actor code but no name: the code is the source
    q2 = q.assign(speaker=["", "", "", "", ""], speaker_surface=[""] * 5)
    assert nt.source_key(q2).tolist()[:3] == ["SRBGOV", "SRBGOV", "RUSGOV"]


# A sentence like the seed's sentence 7: 'He noted that X "a" and "b".' - one indirect
# quote and two partial quotes nested in it share ONE reporting verb (verb_start 3);
# a second sentence has "said" (neutral); an EU official "claimed" (distancing).
QV = pd.DataFrame(
    {
        "doc_id": ["v"] * 5,
        "quote_id": [0, 1, 2, 3, 4],
        "speaker": ["Vucic", "Vucic", "Vucic", "Vucic", "Borrell"],
        "speaker_actor": ["SRBGOV"] * 4 + ["EU"],
        "text": ["one two three", "two", "three", "four five", "six"],
        "kind": ["indirect", "partial", "partial", "direct", "direct"],
        "verb_class": ["endorsing", "endorsing", "endorsing", "neutral", "distancing"],
        "verb_start": [3, 3, 3, 60, 90],
    }
)


def test_each_reporting_verb_counts_once():
    assert nt.verb_counted(QV).tolist() == [True, False, False, True, True]
    a = nt.attribution(QV).set_index(["speaker", "verb_class"])
    # Vucic: 2 reporting verbs (noted, said) for 4 quotes -> endorsing 1/2
    # (counting per quote would give 3/4)
    assert a.loc[("Vucic", "endorsing"), "n"] == 1
    assert a.loc[("Vucic", "endorsing"), "n_verbs"] == 2
    assert a.loc[("Vucic", "endorsing"), "n_quotes"] == 4
    assert a.loc[("Vucic", "endorsing"), "share"] == pytest.approx(0.5)
    s = nt.sources(QV).set_index("source")
    assert s.loc["Vucic", "n_quotes"] == 4 and s.loc["Vucic", "n_verbs"] == 2
    assert s.loc["Vucic", "n_endorsing"] == 1 and s.loc["Vucic", "n_neutral"] == 1
    # quoted words stay per quote (from texts): 3 + 1 + 1 + 2 = 7
    assert s.loc["Vucic", "quoted_words"] == 7
    # asymmetry: E_SRB = (1 - 0) / 2 = 0.5 ; E_EU = -1 / 1 ; range 1.5 (per quote: 1.75)
    r = nt.attribution_asymmetry(QV)
    assert r["asymmetry"].item() == pytest.approx(1.5)
    # without verb positions every quote counts: endorsing 3 of 4
    b = nt.attribution(QV.drop(columns=["verb_start"])).set_index(["speaker", "verb_class"])
    assert b.loc[("Vucic", "endorsing"), "share"] == pytest.approx(0.75)
    # group_verb_mix pools per outlet with the same rule: 1 endorsing of 3 verbs
    docs = pd.DataFrame({"doc_id": ["v"], "outlet": ["O"]})
    g = nt.group_verb_mix(QV, docs).set_index("verb_class")
    assert g.loc["endorsing", "n"] == 1 and g.loc["endorsing", "n_verbs"] == 3
    assert g.loc["distancing", "share"] == pytest.approx(1 / 3)
    gs = nt.group_verb_mix(QV, docs, speaker_by="source")
    assert set(gs["source"]) == {"Vucic", "Borrell"}


def test_source_balance_entropy_and_dominant_share():
    src = pd.DataFrame(
        {
            "doc_id": ["x", "x", "y", "y", "y", "z"],
            "source": ["A", "B", "A", "B", "C", "A"],
            "camp": ["K", "L", "K", "K", "L", "K"],
            "quoted_words": [30, 10, 5, 5, 5, 9],
            "n_quotes": [1, 1, 1, 1, 2, 1],
        }
    )
    b = nt.source_balance(src).set_index("doc_id")
    # x: p = (.75, .25): H = -(.75 ln .75 + .25 ln .25) = 0.562335; / ln 2 = 0.811278
    assert b.loc["x", "entropy"] == pytest.approx(0.562335, abs=1e-6)
    assert b.loc["x", "balance"] == pytest.approx(0.811278, abs=1e-6)
    assert b.loc["x", "dominant_share"] == 0.75 and b.loc["x", "dominant"] == "A"
    # y: three equal sources -> balance 1, dominant share 1/3
    assert b.loc["y", "balance"] == pytest.approx(1.0)
    assert b.loc["y", "dominant_share"] == pytest.approx(1 / 3)
    # z: one source -> balance 0, dominant share 1
    assert b.loc["z", "balance"] == 0.0 and b.loc["z", "dominant_share"] == 1.0
    # camps of y: K 10 words, L 5 -> p = (2/3, 1/3); H/ln2 = 0.918296
    c = nt.source_balance(src, by="camp").set_index("doc_id")
    assert c.loc["y", "balance"] == pytest.approx(0.918296, abs=1e-6)
    # by quotes instead of words: y = (1, 1, 2)/4 -> H = 1.039721; /ln 3 = 0.946395
    q = nt.source_balance(src, weight="n_quotes").set_index("doc_id")
    assert q.loc["y", "balance"] == pytest.approx(0.946395, abs=1e-6)
    with pytest.raises(ValueError, match="by must be"):
        nt.source_balance(src, by="outlet")


# ---------------------------------------------------------------- neutrality discourse
def test_neutrality_statements_stance_voice_and_speaker():
    text = (
        "Serbia remains neutral. Belgrade is neutral, but it refused to join the "
        'sanctions. Its so-called neutrality is a label. "We will stay neutral," '
        "Vucic said. He is no longer neutral in practice."
    )
    bounds = [
        0,
        text.index("Belgrade"),
        text.index("Its"),
        text.index('"We'),
        text.index("He is"),
        len(text),
    ]
    sent = sentences_of("n", text, bounds)
    q0 = text.index("We will")
    q1 = text.index(',"')
    seg = pd.DataFrame(
        {
            "doc_id": ["n"] * 3,
            "start": [0, q0, q1],
            "end": [q0, q1, len(text)],
            "voice": ["author", "quoted", "author"],
            "quote_id": [None, 3, None],
        }
    )
    quotes = pd.DataFrame(
        {
            "doc_id": ["n"],
            "quote_id": [3],
            "speaker": ["Aleksandar Vucic"],
            "speaker_surface": ["Vucic"],
            "speaker_actor": ["SRBGOV"],
            "text": [text[q0:q1]],
            "verb_class": ["neutral"],
        }
    )
    L = "neutrality_discourse"
    m = match_rows(
        "n",
        text,
        [
            ("remains neutral", L, "asserting"),
            ("neutral", L, "neutrality"),
            ("refused to join", L, "non_participation"),
            ("so-called neutrality", L, "questioning"),
            ("neutral", L, "neutrality"),
            ("neutral", L, "neutrality"),
        ],
        sent,
        seg,
    )
    ns = nt.neutrality_statements(m, sent, quotes, seg)
    st = dict(zip(ns["sent_id"], ns["stance"].astype(str)))
    # 0 asserted; 1 has "but" -> qualified; 2 questioning phrase; 3 quoted, asserted;
    # 4 negation ("no longer") in the 4 words before "neutral" -> questioned
    assert st == {0: "asserted", 1: "qualified", 2: "questioned", 3: "asserted", 4: "questioned"}
    row3 = ns[ns["sent_id"] == 3].iloc[0]
    assert str(row3["voice"]) == "quoted" and row3["speaker"] == "Aleksandar Vucic"
    assert row3["speaker_actor"] == "SRBGOV" and row3["quote_id"] == 3
    row1 = ns[ns["sent_id"] == 1].iloc[0]
    assert row1["speaker"] == "(author)" and row1["n_non_participation"] == 1
    assert row1["n_neutrality"] == 1 and bool(row1["core"])
    assert bool(ns[ns["sent_id"] == 4]["negated"].item())


def test_neutrality_statements_sovereignty_only_is_not_core():
    text = "We defend our sovereignty."
    sent = sentences_of("s", text, [0, len(text)])
    m = match_rows("s", text, [("sovereignty", "neutrality_discourse", "sovereignty")], sent)
    ns = nt.neutrality_statements(m, sent)
    assert len(ns) == 1 and not bool(ns["core"].item())
    assert len(nt.neutrality_statements(m, sent, core_only=True)) == 0
    empty = nt.neutrality_statements(m.iloc[0:0], sent)
    assert len(empty) == 0 and "stance" in empty.columns


# ---------------------------------------------------------------------------- sentiment
def test_voice_sentiment_uses_dominant_voice():
    senti = pd.DataFrame(
        {
            "doc_id": ["d", "d"],
            "sent_id": [0, 1],
            "compound": [-0.5, 0.3],
            "pos": [0.0, 0.3],
            "neg": [0.5, 0.0],
        }
    )
    # sentence 1: quoted covers 18 of 31 characters -> dominant voice quoted
    v = nt.voice_sentiment(senti, SENT, SEG).set_index("voice")
    assert v.loc["author", "compound_mean"] == -0.5
    assert v.loc["quoted", "compound_mean"] == 0.3
    assert v.loc["quoted", "share_positive"] == 1.0 and v.loc["author", "share_negative"] == 1.0
    sv = nt.sentence_voice(SENT, SEG)
    assert sv["voice"].tolist() == ["author", "quoted"]
    # sentence 1 = '"We are not neutral," she said.' : 31 chars, 13 of them author voice
    # (the opening mark and ',"' + ' she said.')
    assert sv["author_share"].iloc[1] == pytest.approx(13 / 31)


# --------------------------------------------------------------------------- bias score
def test_bias_features_counts():
    f = nt.bias_features(MATCHES, SENT).set_index("sent_id")
    assert f.loc[0, "n_boosters"] == 1 and f.loc[0, "n_loaded_terms"] == 1
    assert f.loc[0, "n_implicatives"] == 1 and f.loc[1, "n_loaded_terms"] == 0
    assert f.loc[1, "n_quote_marks"] == 2 and f.loc[0, "tokens"] == 5


def test_formula_score_by_hand():
    b = nt.sentence_bias(MATCHES, SENT, SEG, model="formula").set_index("sent_id")
    # sentence 0: 3 cues with weight 1 -> raw 3; score = 1 - exp(-3/2) = 0.776870
    assert b.loc[0, "logit"] == pytest.approx(3.0)
    assert b.loc[0, "bias_score"] == pytest.approx(1 - math.exp(-1.5))
    assert bool(b.loc[0, "flagged"]) and not bool(b.loc[1, "flagged"])
    assert b.loc[0, "c_n_loaded_terms"] == 1.0
    # cue density: 3 cues over 5 words = 600 per 1,000 words; author cues 3
    assert b.loc[0, "cue_density"] == pytest.approx(600.0)
    assert b.loc[0, "n_author_cues"] == 3


def test_logistic_model_components_by_hand():
    model = {
        "features": [
            {
                "name": "n_loaded_terms",
                "transform": "log1p",
                "mean": 0.0,
                "scale": 1.0,
                "coef": 2.0,
            },
            {"name": "tokens", "transform": "identity", "mean": 5.0, "scale": 2.0, "coef": -1.0},
        ],
        "intercept": -0.5,
        "threshold": 0.6,
        "name": "toy",
    }
    b = nt.sentence_bias(MATCHES, SENT, SEG, model=model).set_index("sent_id")
    # sentence 0: loaded 1 -> log1p(1)=0.693147 * 2 = 1.386294; tokens 5 -> z 0 -> 0
    # logit = -0.5 + 1.386294 = 0.886294 ; p = 1/(1+e^-0.886294) = 1/1.412180 = 0.708125
    assert b.loc[0, "c_n_loaded_terms"] == pytest.approx(2 * math.log(2))
    assert b.loc[0, "c_tokens"] == pytest.approx(0.0)
    assert b.loc[0, "logit"] == pytest.approx(0.886294, abs=1e-6)
    assert b.loc[0, "bias_score"] == pytest.approx(0.708125, abs=1e-6)
    assert bool(b.loc[0, "flagged"])
    # sentence 1: tokens 6 -> z = 0.5 -> -0.5 ; logit = -1.0 ; p = 0.268941 < 0.6
    assert b.loc[1, "bias_score"] == pytest.approx(0.268941, abs=1e-6)
    assert not bool(b.loc[1, "flagged"])
    # a stricter threshold un-flags sentence 0 (p = 0.708 < 0.8); the score stays
    b2 = nt.sentence_bias(MATCHES, SENT, SEG, model=model, threshold=0.8).set_index("sent_id")
    assert not bool(b2.loc[0, "flagged"]) and b2.loc[0, "bias_score"] == b.loc[0, "bias_score"]
    with pytest.raises(ValueError, match="threshold"):
        nt.sentence_bias(MATCHES, SENT, SEG, model=model, threshold=1.5)
    # components add up to the logit
    comp = b.loc[0, ["c_n_loaded_terms", "c_tokens"]].sum() + b.loc[0, "intercept"]
    assert comp == pytest.approx(b.loc[0, "logit"])


def test_shipped_model_has_provenance_and_positive_loaded_terms():
    spec = nt.load_bias_model()
    assert spec["name"] == "cues"
    prov = spec["provenance"]
    assert len(prov["data_sha256"]) == 64 and "fit_bias_model.py" in prov["command"]
    coef = {f["name"]: f["coef"] for f in spec["features"]}
    assert coef["n_loaded_terms"] > 0 and coef["n_intensifiers"] > 0
    ev = spec["evaluation"]
    assert {"in_sample", "cv5_grouped_by_article", "cv5_grouped_by_outlet"} <= set(ev)
    with pytest.raises(ValueError, match="variant"):
        nt.load_bias_model(variant="nope")
    # the shipped score sums its visible components
    b = nt.sentence_bias(MATCHES, SENT, SEG)
    c = b[[c for c in b.columns if c.startswith("c_")]].sum(axis=1) + b["intercept"]
    np.testing.assert_allclose(c, b["logit"])
    np.testing.assert_allclose(b["bias_score"], 1 / (1 + np.exp(-b["logit"])))


# ------------------------------------------------------------------------ step, profile
def test_step_tables_and_profile():
    tables = {
        "docs": pd.DataFrame({"doc_id": ["d"], "text": [TEXT]}),
        "sentences": SENT,
        "segments": SEG,
        "quotes": QUOTES,
        "matches": MATCHES,
    }
    snapshot = {k: v.copy() for k, v in tables.items()}
    out = nt.step(tables)
    assert set(out) == {
        "cue_rates",
        "attribution",
        "sources",
        "neutrality_statements",
        "sentence_bias",
        "neutrality_profile",
    }
    for k, v in tables.items():
        pd.testing.assert_frame_equal(v, snapshot[k])
    p = out["neutrality_profile"].iloc[0]
    # tokens: author 7, quoted 4 -> share_author 7/11
    assert p["tokens_author"] == 7 and p["share_author"] == pytest.approx(7 / 11)
    # evaluative = boosters + loaded (+ attitude + intensifiers) = 2 over 7 author tokens
    assert p["author_evaluative_rate"] == pytest.approx(2000 / 7)
    assert p["verb_neutral"] == 1.0 and p["n_quotes"] == 1 and p["n_sources"] == 1
    assert p["dominant_source"] == "Ana Brnabic" and p["n_neutrality"] == 1
    assert p["n_verbs"] == 1
    assert p["n_neutrality_questioned"] == 1 and p["n_neutrality_author"] == 0
    senti = pd.DataFrame(
        {
            "doc_id": ["d", "d"],
            "sent_id": [0, 1],
            "compound": [-0.5, 0.3],
            "pos": [0.0, 0.3],
            "neg": [0.5, 0.0],
        }
    )
    out2 = nt.step({**tables, "sentiment": senti})
    assert "voice_sentiment" in out2
    assert out2["neutrality_profile"]["compound_author"].item() == -0.5
    assert "voice_sentiment" not in nt.step({**tables, "sentiment": senti}, sentiment=False)
    with pytest.raises(ConfigError, match="neutrality has no option 'bias_modle'.*did you mean"):
        nt.step(tables, bias_modle="formula")


def test_step_on_a_document_without_quotes_or_matches():
    text = "Nothing happened."
    sent = sentences_of("e", text, [0, len(text)])
    empty_m = MATCHES.iloc[0:0]
    out = nt.step({"sentences": sent, "segments": None, "quotes": None, "matches": empty_m})
    assert out["cue_rates"]["n"].sum() == 0
    assert len(out["sources"]) == 0 and len(out["neutrality_statements"]) == 0
    assert out["neutrality_profile"]["n_quotes"].item() == 0


# ----------------------------------------------------------------------------- lexicons
def test_lexicons_load_with_all_categories():
    from framelens import lexicon

    b = lexicon.load("bias_cues")
    assert (
        set(nt.CUE_CATEGORIES) == {c for c in b.categories}
        if not isinstance(b.categories, dict)
        else set(b.categories)
    )
    d = lexicon.load("neutrality_discourse")
    cats = set(d.categories) if isinstance(d.categories, dict) else {c for c in d.categories}
    assert set(nt.DISCOURSE_CATEGORIES) <= {getattr(c, "name", c) for c in cats}


def test_lexicon_matches_on_seed_phrases():
    from framelens import lexicon

    docs = pd.DataFrame(
        {
            "doc_id": ["s"],
            "text": [
                "Belgrade's official stance on the conflict is neutral, but the country has "
                "repeatedly refused to join the sanctions. The so-called regime claimed victory."
            ],
        }
    )
    m = lexicon.match(
        docs, lexicon.Matcher([lexicon.load("bias_cues"), lexicon.load("neutrality_discourse")])
    )
    got = set(zip(m["category"].astype(str), m["term"].astype(str)))
    assert ("asserting", "is neutral") in got
    assert ("non_participation", "refused to join") in got
    assert ("loaded_terms", "so-called") in got and ("loaded_terms", "regime") in got
    assert ("assertive_verbs", "claimed") in got


# ------------------------------------------------------------------ seed article (text)
def test_seed_article_sentences(seed_text):
    from framelens import lexicon, text

    docs = pd.DataFrame({"doc_id": ["seed"], "text": [seed_text]})
    t = text.process(docs)
    m = lexicon.match(
        docs,
        lexicon.Matcher([lexicon.load("bias_cues"), lexicon.load("neutrality_discourse")]),
        sentences=t["sentences"],
        segments=t["segments"],
    )
    out = nt.step({"docs": docs, **t, "matches": m})
    # "... President Vucic explained, stressing that ..." -> endorsing verb for Vucic
    q = t["quotes"]
    expl = q[q["verb"].astype(str) == "explain"]
    assert len(expl) >= 1 and set(expl["verb_class"].astype(str)) == {"endorsing"}
    att = out["attribution"]
    vuc = att[att["speaker"].astype(str).str.contains("Vucic")]
    assert vuc[vuc["verb_class"].astype(str) == "endorsing"]["n"].sum() >= 1
    # "Belgrade's official stance on the conflict is neutral" -> author-voice discourse
    ns = out["neutrality_statements"]
    row = ns[ns["text"].astype(str).str.startswith("Belgrade's official stance")]
    assert len(row) == 1 and str(row["voice"].iloc[0]) == "author"
    assert row["speaker"].iloc[0] == "(author)" and bool(row["core"].iloc[0])
    # the 'but ... refused to join the sanctions' clause qualifies the statement
    assert str(row["stance"].iloc[0]) == "qualified"
    # Vucic's quoted "independence and sovereignty" is quoted-voice discourse
    sov = ns[(ns["n_sovereignty"] > 0) & (ns["voice"].astype(str) == "quoted")]
    assert len(sov) >= 1
    # distinct sources are persons: Vucic, Vulin (same government) and Putin
    src = out["sources"].set_index("source")
    assert {"Aleksandar Vucic", "Aleksandar Vulin", "Vladimir Putin"} <= set(src.index)
    # each reporting verb once: sentence 7 ('The Serbian leader noted that ... "do not
    # always think ..." ... "understands ..."') has 3 quotes but one "noted"
    s7 = q[(q["sent_id"] == 7) & (q["verb"].astype(str) == "note")]
    assert len(s7) == 3 and nt.verb_counted(q)[s7.index].sum() == 1
    # Vucic: 17 quotes but 11 reporting verbs (positions 124, 366, 686, 695, 1253, 1264,
    # 1387, 1567, 1785, 2121, 2204), 4 of them endorsing (noted x2, explained,
    # stressing): share 4/11 = 0.364 (0.47 = 8/17 when every quote counted its verb)
    v = att[(att["speaker"] == "Aleksandar Vucic")].set_index("verb_class")
    assert v.loc["endorsing", "n_quotes"] == 17 and v.loc["endorsing", "n_verbs"] == 11
    assert v.loc["endorsing", "n"] == 4
    assert v.loc["endorsing", "share"] == pytest.approx(4 / 11)
    assert src.loc["Aleksandar Vucic", "n_endorsing"] == 4


# --------------------------------------------------------- planted outlet differences
PLANTED = {
    "sentiment": False,
    "steps": ("actors", "neutrality"),
    "lexicons": ("bias_cues", "neutrality_discourse"),
}


@pytest.fixture(scope="module")
def sample_analysis():
    from conftest import SAMPLE
    from framelens import corpus, pipeline

    docs = corpus.load_corpus(SAMPLE).docs
    return docs, pipeline.analyze(docs, pipeline.Config(**PLANTED), use_cache=False)


def _by_outlet(docs, table, value_cols):
    o = docs[["doc_id", "outlet"]].astype({"doc_id": str, "outlet": str})
    return table.astype({"doc_id": str}).merge(o, on="doc_id").groupby("outlet")[value_cols]


def _author_evaluative_rate(docs, an):
    """Evaluative cues in the author's voice per author-voice token, pooled per outlet."""
    cr = an.cue_rates.astype({"voice": str, "category": str})
    au = cr[(cr["voice"] == "author") & cr["category"].isin(nt.EVALUATIVE)]
    g = _by_outlet(docs, au, ["n", "tokens"]).sum()
    tok = _by_outlet(
        docs, cr[(cr["voice"] == "author") & (cr["category"] == "hedges")], ["tokens"]
    ).sum()["tokens"]
    return g["n"] / tok


@pytest.mark.xfail(
    strict=True,
    reason="the learned attribution model reads 'claimed the agreement proved' as one cue "
    "(Europa Monitor's 'proved' falls to the author's voice) and 'Serbian voters have "
    "delivered a ... verdict' as an attribution (Danube Herald's 'aggressive' to reported "
    "voice): the planted Danube > Europa margin (2%) is reversed (0.0088 vs 0.0096); "
    "with attribution: rules it holds (test below)",
)
def test_planted_author_evaluative_order_danube_over_europa(sample_analysis):
    docs, an = sample_analysis
    rate = _author_evaluative_rate(docs, an)
    assert rate["Danube Herald"] > rate["Europa Monitor"], rate


def test_planted_author_evaluative_order_with_the_rule_layer():
    from conftest import SAMPLE
    from framelens import corpus, pipeline

    docs = corpus.load_corpus(SAMPLE).docs
    cfg = pipeline.Config(**PLANTED, attribution="rules")
    an = pipeline.analyze(docs, cfg, use_cache=False)
    rate = _author_evaluative_rate(docs, an)
    assert rate["Danube Herald"] > rate["Europa Monitor"] > rate["Meridian Wire"], rate


def test_planted_outlet_differences_are_recovered(sample_analysis):
    docs, an = sample_analysis
    DH, MW, EM = "Danube Herald", "Meridian Wire", "Europa Monitor"
    # author-voice evaluative language: Danube > Europa > Meridian (rates pooled per outlet)
    rate = _author_evaluative_rate(docs, an)
    assert min(rate[DH], rate[EM]) > rate[MW], rate
    # the sentence bias score flags the partisan outlets' sentences more than the wire's
    sb = _by_outlet(docs, an.sentence_bias, ["flagged"]).mean()["flagged"]
    assert min(sb[DH], sb[EM]) > sb[MW], sb
    # reporting-verb mix: endorsing share Danube > Europa > Meridian; neutral Meridian top
    q = an.quotes.astype({"doc_id": str, "verb_class": str})
    q = q.merge(docs[["doc_id", "outlet"]].astype(str), on="doc_id")
    share = q.groupby("outlet")["verb_class"].value_counts(normalize=True).unstack(fill_value=0)
    assert share.loc[DH, "endorsing"] > share.loc[EM, "endorsing"] > share.loc[MW, "endorsing"]
    assert share.loc[MW, "neutral"] > max(share.loc[EM, "neutral"], share.loc[DH, "neutral"])
    # neutrality discourse in the author's voice (planted cues: neutral(ity), militarily
    # neutral, sovereign(ty)): Danube > Europa > Meridian, and Meridian has no explicit
    # neutrality wording of its own (it occurs only inside quotations)
    ns = an.neutrality_statements.astype({"voice": str, "stance": str, "doc_id": str})
    ns = ns.merge(docs[["doc_id", "outlet"]].astype(str), on="doc_id")
    au = ns[ns["voice"] == "author"]
    about = au[au["core"].astype(bool) | (au["n_sovereignty"] > 0)]
    n = about.groupby("outlet").size().reindex([DH, EM, MW], fill_value=0)
    assert n[DH] > n[EM] > n[MW], n
    core = au[au["core"].astype(bool)]
    assert (core["outlet"] == MW).sum() == 0
    assert (ns[(ns["outlet"] == MW) & ns["core"].astype(bool)]["voice"] == "quoted").all()
    # Europa's author statements question neutrality (so-called, in name only, not neutral)
    em = core[core["outlet"] == EM]
    assert len(em) >= 3 and (em["stance"] == "questioned").mean() >= 0.5
    # Danube asserts it
    dh = core[core["outlet"] == DH]
    assert (dh["stance"] == "questioned").sum() == 0


# --------------------------------------------------------------------- notebook helpers


def test_article_section_escapes_corpus_text():
    from framelens.pipeline import Analysis
    from framelens.report import neutrality as vn

    text = '<script>alert(1)</script> The regime "is <b>neutral</b>," he said.'
    sent = sentences_of("x", text, [0, len(text)])
    q0, q1 = text.index("is <b>"), text.index(',"')
    seg = pd.DataFrame(
        {
            "doc_id": ["x"] * 3,
            "start": [0, q0, q1],
            "end": [q0, q1, len(text)],
            "voice": ["author", "quoted", "author"],
            "quote_id": [None, 0, None],
        }
    )
    quotes = pd.DataFrame(
        {
            "doc_id": ["x"],
            "quote_id": [0],
            "sent_id": [0],
            "start": [q0],
            "end": [q1],
            "text": [text[q0:q1]],
            "speaker": ["<i>Boss</i>"],
            "speaker_surface": ["he"],
            "speaker_actor": [""],
            "verb_class": ["neutral"],
        }
    )
    m = match_rows(
        "x",
        text,
        [
            ("regime", "bias_cues", "loaded_terms"),
            ("neutral", "neutrality_discourse", "neutrality"),
        ],
        sent,
        seg,
    )
    docs = pd.DataFrame(
        {"doc_id": ["x"], "text": [text], "title": ["<img src=x>"], "outlet": ["O"]}
    )
    tabs = {"docs": docs, "sentences": sent, "segments": seg, "quotes": quotes, "matches": m}
    tabs.update(nt.step(tabs))
    html = vn.article_section(Analysis(tabs), "x").data
    assert "<script>" not in html and "<img" not in html and "<i>Boss" not in html
    assert "&lt;script&gt;" in html and "quoted voice" in html and "author voice" in html
    top = vn.top_biased_html(Analysis(tabs), n=1)
    assert "<script>" not in top and "&lt;script&gt;" in top


def test_shipped_model_matches_the_current_lexicon():
    # editing bias_cues.yaml changes the features: refit with
    # `python benchmarks/fit_bias_model.py BABE_DEV_CSV` (see docs/validation.md)
    from framelens import lexicon

    prov = nt.load_bias_model()["provenance"]
    assert prov["lexicon_hash"] == lexicon.load("bias_cues").hash


def test_sources_count_nested_quotes_once_from_segments():
    # 'Vucic said that Putin said "good for both" and more.' : the indirect quote (id 0,
    # Vucic) covers 'Putin said "good for both" and more'; the direct quote (id 1, Putin)
    # is nested in it. From segments each character counts once, in its innermost quote.
    text = 'Vucic said that Putin said "good for both" and more.'
    a, b = text.index("Putin"), text.index(" and more") + len(" and more")
    c, d = text.index("good"), text.index('" and')
    seg = pd.DataFrame(
        {
            "doc_id": ["n"] * 5,
            "start": [0, a, c, d, b],
            "end": [a, c, d, b, len(text)],
            "voice": ["author", "reported", "quoted", "reported", "author"],
            "quote_id": [None, 0, 1, 0, None],
        }
    )
    q = pd.DataFrame(
        {
            "doc_id": ["n", "n"],
            "quote_id": [0, 1],
            "speaker": ["Vucic", "Putin"],
            "text": [text[a:b], text[c:d]],
            "verb_class": ["neutral", "neutral"],
        }
    )
    docs = pd.DataFrame({"doc_id": ["n"], "text": [text]})
    s = nt.sources(q, segments=seg, docs=docs).set_index("source")
    # Vucic: 'Putin said "' (2) + '" and more' (2) = 4 ; Putin: 3 ; shares 4/7, 3/7
    assert s.loc["Vucic", "quoted_words"] == 4 and s.loc["Putin", "quoted_words"] == 3
    assert s.loc["Putin", "share_words"] == pytest.approx(3 / 7)
    # from quote texts the nested words count twice: Vucic 7, Putin 3
    t = nt.sources(q).set_index("source")
    assert t.loc["Vucic", "quoted_words"] == 7


def test_speaker_spelling_variants_are_one_source():
    q = pd.DataFrame(
        {
            "doc_id": ["d"] * 3,
            "speaker": ["Oliver Várhelyi", "Oliver Varhelyi", "Aleksandar Vučić"],
            "text": ["a b", "c", "d e f"],
            "verb_class": ["neutral"] * 3,
        }
    )
    s = nt.sources(q).set_index("source")
    # Varhelyi: 2 quotes, 3 words of 6 -> 0.5
    assert s.loc["Oliver Varhelyi", "n_quotes"] == 2
    assert s.loc["Oliver Varhelyi", "share_words"] == pytest.approx(0.5)
    assert "Aleksandar Vucic" in s.index


# ------------------------------------------------------------ bias score and voice
T2 = 'Officials met on Monday. "The regime failed," she said.'
S2 = sentences_of("q", T2, [0, 25, len(T2)])
_q0, _q1 = T2.index("The regime"), T2.index(',"')
G2 = pd.DataFrame(
    {
        "doc_id": ["q"] * 3,
        "start": [0, _q0, _q1],
        "end": [_q0, _q1, len(T2)],
        "voice": ["author", "quoted", "author"],
        "quote_id": [None, 0, None],
    }
)
M2 = match_rows(
    "q",
    T2,
    [("regime", "bias_cues", "loaded_terms"), ("failed", "bias_cues", "implicatives")],
    S2,
    G2,
)


def test_author_only_bias_score_ignores_quoted_cues():
    b = nt.sentence_bias(M2, S2, G2, model="formula").set_index("sent_id")
    # sentence 1: two quoted cues -> all-voice formula logit 2, score 1 - e^-1 = 0.632121,
    # flagged; author-voice cues 0 -> author-only score 0, not flagged
    assert b.loc[1, "bias_score"] == pytest.approx(1 - math.exp(-1))
    assert bool(b.loc[1, "flagged"]) and not bool(b.loc[1, "flagged_author"])
    assert b.loc[1, "bias_score_author"] == 0.0 and b.loc[1, "n_author_cues"] == 0
    assert str(b.loc[1, "voice"]) == "quoted"
    # the author-voice sentence of the first fixture keeps its score
    a = nt.sentence_bias(MATCHES, SENT, SEG, model="formula").set_index("sent_id")
    assert a.loc[0, "bias_score_author"] == pytest.approx(a.loc[0, "bias_score"])


def test_top_biased_ranks_author_voice_cues_by_default():
    from framelens.pipeline import Analysis
    from framelens.report import neutrality as vn

    quotes = pd.DataFrame(
        {
            "doc_id": ["q"],
            "quote_id": [0],
            "sent_id": [1],
            "start": [_q0],
            "end": [_q1],
            "text": [T2[_q0:_q1]],
            "speaker": ["Ana"],
            "speaker_surface": ["she"],
            "speaker_actor": [""],
            "verb_class": ["neutral"],
        }
    )
    docs = pd.DataFrame({"doc_id": ["q"], "text": [T2], "outlet": ["O"]})
    tabs = {"docs": docs, "sentences": S2, "segments": G2, "quotes": quotes, "matches": M2}
    tabs.update(nt.step(tabs, bias_model="formula"))
    an = Analysis(tabs)
    # only quoted-voice cues: nothing to rank in the author's voice
    assert "No sentence has a bias cue in the author" in vn.top_biased_html(an)
    html = vn.top_biased_html(an, voices="all")
    assert "voice: <b>quoted</b>" in html and "author-voice cues 0 of 2" in html
    with pytest.raises(ValueError, match="voices"):
        vn.top_biased_html(an, voices="quoted")
    # two documents: "d" sentence 0 has 3 author-voice cues, "q" sentence 1 two quoted
    both = {
        "docs": pd.concat(
            [docs, pd.DataFrame({"doc_id": ["d"], "text": [TEXT], "outlet": ["P"]})],
            ignore_index=True,
        ),
        "sentences": pd.concat([S2, SENT], ignore_index=True),
        "segments": pd.concat([G2, SEG], ignore_index=True),
        "quotes": pd.concat([quotes, QUOTES], ignore_index=True),
        "matches": pd.concat([M2, MATCHES], ignore_index=True),
    }
    both.update(nt.step(both, bias_model="formula"))
    an2 = Analysis(both)
    default = vn.top_biased_html(an2, n=5)
    # ranked by the author-only score, only sentences with author-voice cues
    assert "author-only score 0.78" in default and "q · sentence 1" not in default
    assert "d · sentence 0" in default and "voice: <b>author</b>" in default
    every = vn.top_biased_html(an2, n=5, voices="all")
    assert "q · sentence 1" in every and "d · sentence 0" in every


def test_lexicon_restrictions_month_may_around_gross_balance():
    from framelens import lexicon

    mt = lexicon.Matcher([lexicon.load("bias_cues"), lexicon.load("neutrality_discourse")])

    def cats(text):
        m = lexicon.match(pd.DataFrame({"doc_id": ["x"], "text": [text]}), mt)
        return [(str(c), text[a:b]) for c, a, b in zip(m["category"], m["start"], m["end"])]

    # the month is no hedge; the modal is
    assert cats("Talks resume in May.") == []
    assert cats("The summit of 9 May 2024 ended.") == []
    assert cats("In early May, Theresa May said nothing.") == []
    assert cats("It may rain.") == [("hedges", "may")]
    assert cats("May it rain? They may, however, stay.") == [("hedges", "May"), ("hedges", "may")]
    # "around" is an approximator before numbers only
    assert cats("Leaders around the world met.") == []
    assert cats("Around 300 people met.") == [("hedges", "Around")]
    # "gross" as an intensifier, not in "gross domestic product"
    assert cats("Gross domestic product rose.") == []
    assert cats("A gross violation.") == [("intensifiers", "gross")]
    # "balance" as even-handedness, not the trade balance
    assert cats("The trade balance and the balance of payments improved.") == []
    assert cats("Belgrade seeks balance between East and West.") == [("balance", "balance")]
