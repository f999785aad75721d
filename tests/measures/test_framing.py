"""Tests of framelens.measures.framing: every score hand-computed on tiny tables.

The hand-built tables follow framelens.core.schema; expected values are worked out in the
comments next to each assertion.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from framelens.core import schema
from framelens.measures import framing
from framelens.pipeline import Analysis

# --------------------------------------------------------------------------- fixtures
# Document d1: title "Sanctions hit trade" opens the text and is sentence 0.
D1_TEXT = "Sanctions hit trade. Prices rose as tariffs bit, troops said. Election due."


def _tables():
    docs = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "title": ["Sanctions hit trade", "", "Calm day"],
            "text": [D1_TEXT, "", "Nothing happened here at all."],
            "outlet": ["A", "B", "B"],
            "date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-01"]),
        }
    )
    sentences = pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d1", "d3"],
            "sent_id": [0, 1, 2, 0],
            "para_id": [0, 0, 0, 0],
            "start": [0, 21, 62, 0],
            "end": [20, 61, 75, 29],
            "text": [
                "Sanctions hit trade.",
                "Prices rose as tariffs bit, troops said.",
                "Election due.",
                "Nothing happened here at all.",
            ],
            "n_words": [3, 7, 2, 5],  # words (core.tokens): d1 3 + 7 + 2 = 12
        }
    )
    rows = [  # doc, sent, start, end, lexicon, category, term, voice, weight
        ("d1", 0, 14, 19, "policy", "Economic", "trade", "author", 1.0),
        ("d1", 0, 0, 9, "policy", "External_regulation_and_reputation", "sanction*", "author", 1.0),
        ("d1", 1, 21, 27, "policy", "Economic", "prices", "author", 1.0),
        ("d1", 1, 36, 43, "policy", "Economic", "tariff*", "quoted", 1.0),
        ("d1", 1, 49, 55, "policy", "Security_and_defense", "troops", "reported", 1.0),
        ("d1", 2, 62, 70, "policy", "Political", "elect*", "author", 2.0),
        ("d1", 1, 21, 27, "generic", "economic", "price*", "author", 1.0),  # other scheme
        ("d1", 1, 0, 1, "bias_cues", "hedge", "x", "author", 1.0),  # other lexicon
    ]
    matches = pd.DataFrame(rows, columns=list(schema.MATCH_COLUMNS))
    return docs, sentences, matches


def _row(fd, doc, frame):
    r = fd[(fd.doc_id.astype(str) == doc) & (fd.frame.astype(str) == frame)]
    assert len(r) == 1
    return r.iloc[0]


# --------------------------------------------------------------------------- schemes
def test_schemes_have_the_expected_frames():
    pol = framing.scheme_frames("policy")
    assert len(pol) == 15 and pol[-1] == "Other"
    from framelens.evaluation.frames import SEMEVAL_FRAMES

    assert set(pol) - {"Other"} == set(SEMEVAL_FRAMES)
    assert framing.scheme_info("generic").label_map == {
        "responsibility": "RE",
        "human_interest": "HI",
        "conflict": "CO",
        "morality": "MO",
        "economic": "EC",
    }


def test_unknown_scheme_is_a_clear_value_error():
    docs, sents, m = _tables()
    with pytest.raises(ValueError, match="unknown frame scheme 'policies'"):
        framing.doc_frames(m, sents, scheme="policies")
    with pytest.raises(ValueError, match="unknown frame scheme"):
        framing.step({"matches": m, "sentences": sents}, schemes=("policy", "nope"))


def test_bad_threshold_keys_are_rejected():
    docs, sents, m = _tables()
    with pytest.raises(ValueError, match="unknown threshold key or frame"):
        framing.doc_frames(m, sents, scheme="policy", thresholds={"min_cue": 2})


# --------------------------------------------------------------------------- sentences
def test_sentence_frames_counts_and_voice():
    docs, sents, m = _tables()
    sf = framing.sentence_frames(m, sents, scheme="policy")
    got = {(r.sent_id, str(r.frame)): r for r in sf.itertuples()}
    # sentence 1: Economic = prices (author) + tariffs (quoted) = 2
    e = got[(1, "Economic")]
    assert (e.n_cues, e.n_hits, e.n_author, e.n_quoted, e.n_reported) == (2.0, 2, 1.0, 1.0, 0.0)
    s = got[(1, "Security_and_defense")]
    assert (s.n_cues, s.n_reported) == (1.0, 1.0)
    # weights: "elect*" has weight 2 -> n_cues 2 from one hit
    p = got[(2, "Political")]
    assert (p.n_cues, p.n_hits, bool(p.coded)) == (2.0, 1, True)
    # 5 non-zero (sentence, frame) cells; generic and bias_cues rows ignored
    assert len(sf) == 5
    assert set(sf.scheme.astype(str)) == {"policy"}


def test_sentence_frames_dense_and_min_cues():
    docs, sents, m = _tables()
    dense = framing.sentence_frames(m, sents, scheme="generic", dense=True)
    assert len(dense) == 4 * 5  # 4 sentences x 5 generic frames
    assert dense.n_cues.sum() == 1.0
    sf = framing.sentence_frames(m, scheme="policy", sentence_min_cues=2)
    # only Economic in sentence 1 (2 cues) and Political in sentence 2 (weight 2) are coded
    assert sorted(map(tuple, sf.loc[sf.coded, ["sent_id", "frame"]].astype(str).values)) == [
        ("1", "Economic"),
        ("2", "Political"),
    ]
    with pytest.raises(ValueError, match="dense=True needs the sentences"):
        framing.sentence_frames(m, scheme="policy", dense=True)


# --------------------------------------------------------------------------- documents
def test_doc_frames_counts_rates_shares_scores():
    docs, sents, m = _tables()
    fd = framing.doc_frames(m, sents, scheme="policy", docs=docs, thresholds={"min_cues": 2})
    # every doc x every frame, zeros included: 3 docs x 15 frames
    assert len(fd) == 45
    assert not fd.isna().any().any()
    e = _row(fd, "d1", "Economic")
    assert "n_tokens" not in fd.columns  # one length unit: words
    assert e.n_cues == 3.0  # trade, prices, tariffs
    # words (punctuation not counted): "Sanctions hit trade" 3 + "Prices rose as tariffs
    # bit troops said" 7 + "Election due" 2 = 12 -> 3 / 12 * 1000 = 250 cues per 1,000 words
    assert e.n_words == 12
    assert e.rate == pytest.approx(3 / 12 * 1000)
    assert e.n_sentences == 2  # sentences 0 and 1
    assert e.share == pytest.approx(2 / 3)  # of d1's 3 sentences
    # weighted: headline (x2) trade = 2; lead sentence 1 (x1.5) prices + tariffs = 3 -> 5
    # External: headline sanctions = 2; Security: lead 1 x 1.5 = 1.5;
    # Political: sentence 2 is also in the lead (2 lead sentences): 2 x 1.5 = 3
    # total weighted = 5 + 2 + 1.5 + 3 = 11.5
    assert e.weighted == pytest.approx(5.0)
    assert e.score == pytest.approx(5 / 11.5)
    assert _row(fd, "d1", "External_regulation_and_reputation").score == pytest.approx(2 / 11.5)
    assert _row(fd, "d1", "Political").score == pytest.approx(3 / 11.5)
    assert fd[fd.doc_id == "d1"].score.sum() == pytest.approx(1.0)
    # presence with min_cues = 2: Economic (3) and Political (2) only
    pres = sorted(fd.loc[fd.present & (fd.doc_id == "d1"), "frame"].astype(str))
    assert pres == ["Economic", "Political"]
    assert bool(e.primary) and fd.primary.sum() == 1


def test_presence_thresholds_rate_and_score_and_per_frame():
    docs, sents, m = _tables()
    # min_rate 200 (per 1,000 words, d1 has 12): Economic 3/12*1000 = 250 passes,
    # Political 2/12*1000 = 166.7 does not
    fd = framing.doc_frames(
        m, sents, scheme="policy", docs=docs, thresholds={"min_cues": 1, "min_rate": 200}
    )
    assert sorted(fd.loc[fd.present, "frame"].astype(str)) == ["Economic"]
    # min_score 0.2: Economic 0.435 and Political 0.261 pass, External 0.174 no
    fd = framing.doc_frames(
        m, sents, scheme="policy", docs=docs, thresholds={"min_cues": 1, "min_score": 0.2}
    )
    assert sorted(fd.loc[fd.present, "frame"].astype(str)) == ["Economic", "Political"]
    # per-frame override on top of a flat value
    fd = framing.doc_frames(
        m,
        sents,
        scheme="policy",
        docs=docs,
        thresholds={"min_cues": 1, "Economic": {"min_cues": 4}},
    )
    pres = set(fd.loc[fd.present, "frame"].astype(str))
    assert "Economic" not in pres and "Security_and_defense" in pres


def test_empty_documents_and_documents_without_cues_are_zero():
    docs, sents, m = _tables()
    fd = framing.doc_frames(m, sents, scheme="generic", docs=docs)
    for d in ("d2", "d3"):  # d2 has no sentences at all
        sub = fd[fd.doc_id == d]
        assert len(sub) == 5
        assert (sub[["n_cues", "rate", "share", "score", "weighted"]].to_numpy() == 0).all()
        assert not sub.present.any() and not sub.primary.any()
    summ = framing.frame_summary(fd)
    d2 = summ[summ.doc_id == "d2"].iloc[0]
    assert (d2.primary_frame, d2.primary_score, d2.diversity, d2.n_present) == ("none", 0.0, 0.0, 0)
    # completely empty inputs
    out = framing.step(
        {
            "matches": schema.empty("matches"),
            "sentences": schema.empty("sentences"),
            "docs": schema.empty("docs"),
        }
    )
    assert all(len(t) == 0 for t in out.values())


def test_headline_weighting_with_separate_title_matches():
    # title not part of text: its cues count only in `weighted` (x headline_weight)
    docs = pd.DataFrame({"doc_id": ["x"], "title": ["War and taxes"], "text": ["Body text here."]})
    sents = pd.DataFrame(
        {
            "doc_id": ["x", "x", "x"],
            "sent_id": [0, 1, 2],
            "start": [0, 5, 10],
            "end": [4, 9, 15],
            "n_words": [2, 2, 2],
        }
    )
    m = pd.DataFrame(
        [
            ("x", 2, 10, 14, "generic", "economic", "tax*", "author", 1.0),
            ("x", 2, 10, 14, "generic", "conflict", "war", "author", 1.0),
            ("x", 0, 0, 4, "generic", "conflict", "war", "author", 1.0),
        ],
        columns=list(schema.MATCH_COLUMNS),
    )
    tm = pd.DataFrame(
        {"doc_id": ["x"], "lexicon": ["generic"], "category": ["economic"], "weight": [1.0]}
    )
    fd = framing.doc_frames(
        m, sents, scheme="generic", docs=docs, title_matches=tm, lead_sentences=1
    )
    # conflict: sentence 0 is the lead (no headline in text) 1 x 1.5 + sentence 2 body 1 = 2.5
    # economic: body 1 + title 1 x 2 = 3 > 2.5 -> primary economic; its n_cues stays 1
    # (cues in a separate title are not counted in n_cues / rate)
    assert _row(fd, "x", "conflict").weighted == pytest.approx(2.5)
    assert _row(fd, "x", "economic").weighted == pytest.approx(3.0)
    assert _row(fd, "x", "economic").n_cues == 1.0
    assert framing.primary_frame(fd).primary_frame.tolist() == ["economic"]
    # without position weights conflict (2 cues) wins
    fd0 = framing.doc_frames(
        m, sents, scheme="generic", docs=docs, headline_weight=1, lead_weight=1
    )
    assert framing.primary_frame(fd0).primary_frame.tolist() == ["conflict"]


def test_primary_frame_tie_breaks_by_cues_then_lexicon_order():
    fd = pd.DataFrame(
        {
            "doc_id": ["a"] * 3,
            "scheme": ["generic"] * 3,
            "frame": ["responsibility", "conflict", "economic"],
            "score": [0.4, 0.4, 0.2],
            "n_cues": [1.0, 2.0, 1.0],
        }
    )
    assert framing.primary_frame(fd).primary_frame.tolist() == ["conflict"]
    fd["n_cues"] = [2.0, 2.0, 1.0]
    assert framing.primary_frame(fd).primary_frame.tolist() == ["responsibility"]


def test_frame_diversity_is_normalised_entropy():
    docs, sents, m = _tables()
    fd = framing.doc_frames(m, sents, scheme="policy", docs=docs)
    div = framing.frame_diversity(fd).set_index("doc_id")
    # d1 cues: Economic 3, External 1, Security 1, Political 2 (total 7)
    p = [3 / 7, 1 / 7, 1 / 7, 2 / 7]
    h = -sum(x * math.log(x) for x in p)  # 1.277034
    assert div.loc["d1", "diversity"] == pytest.approx(h / math.log(15))  # 0.471570
    assert div.loc["d1", "diversity"] == pytest.approx(0.471570, abs=1e-6)
    assert div.loc["d1", "n_frames_cued"] == 4
    assert div.loc["d3", "diversity"] == 0.0
    # evenly spread over all K frames -> 1
    even = pd.DataFrame(
        {
            "doc_id": ["e"] * 5,
            "scheme": ["generic"] * 5,
            "frame": list(framing.scheme_frames("generic")),
            "n_cues": [2.0] * 5,
        }
    )
    assert framing.frame_diversity(even).diversity[0] == pytest.approx(1.0)


def test_step_returns_documented_tables_for_both_schemes():
    docs, sents, m = _tables()
    out = framing.step(
        {"docs": docs, "sentences": sents, "matches": m}, thresholds={"policy": {"min_cues": 2}}
    )
    assert set(out) == {"frame_sentences", "frame_docs", "frame_summary"}
    fd = out["frame_docs"]
    assert len(fd) == 3 * 15 + 3 * 5
    summ = out["frame_summary"].set_index(["doc_id", "scheme"])
    row = summ.loc[("d1", "policy")]
    assert row.primary_frame == "Economic"
    assert row.frames_present == "Economic;Political"
    assert row.n_sentences == 3 and row.n_cues == 7.0
    assert summ.loc[("d1", "generic")].primary_frame == "economic"
    # inputs are not mutated
    docs2, sents2, m2 = _tables()
    pd.testing.assert_frame_equal(m, m2)
    pd.testing.assert_frame_equal(sents, sents2)


# --------------------------------------------------------------------------- comparisons
def _two_outlet_frame_docs():
    # outlet A: Economic 10 cues, Political 20; outlet B: Economic 30, Political 40
    docs = pd.DataFrame({"doc_id": ["a1", "a2", "b1"], "outlet": ["A", "A", "B"]})
    rows = []
    for d, e, p in (("a1", 4, 5), ("a2", 6, 15), ("b1", 30, 40)):
        for f in framing.scheme_frames("policy"):
            rows.append(
                {
                    "doc_id": d,
                    "scheme": "policy",
                    "frame": f,
                    "n_cues": {"Economic": e, "Political": p}.get(f, 0.0),
                    "present": f == "Economic" and d != "a2",
                    "primary": f == "Political",
                }
            )
    return pd.DataFrame(rows), docs


def test_frame_by_group_chi_square_and_adjusted_residuals():
    fd, docs = _two_outlet_frame_docs()
    r = framing.frame_by_group(fd, docs, by="outlet", measure="n_cues")
    assert r.table.loc["A", "Economic"] == 10 and r.table.loc["B", "Political"] == 40
    # N = 100, rows 30 / 70, columns 40 / 60 -> E = [[12, 18], [28, 42]]
    assert r.expected.loc["A", "Economic"] == pytest.approx(12.0)
    # chi2 = 4/12 + 4/18 + 4/28 + 4/42 = 0.793651; zero columns are left out -> dof 1
    assert r.chi2 == pytest.approx(0.793651, abs=1e-6)
    assert r.dof == 1
    from scipy.stats import chi2 as chi2_dist

    assert r.p_value == pytest.approx(chi2_dist.sf(0.793651, 1), abs=1e-6)
    # adjusted residual (10 - 12) / sqrt(12 * (1 - 0.3) * (1 - 0.4)) = -0.890871
    assert r.residuals.loc["A", "Economic"] == pytest.approx(-0.890871, abs=1e-6)
    assert r.residuals.loc["B", "Economic"] == pytest.approx(0.890871, abs=1e-6)
    assert (r.residuals["Morality"] == 0).all()  # zero column: residual 0, not NaN
    assert r.cramers_v == pytest.approx(math.sqrt(0.793651 / 100), abs=1e-6)
    tidy = r.tidy()
    assert set(tidy.columns) == {"group", "frame", "observed", "expected", "residual", "share"}
    assert not tidy.isna().any().any()
    # presence counts documents: A has 1 document with Economic present
    rp = framing.frame_by_group(fd, docs, measure="present")
    assert rp.table.loc["A", "Economic"] == 1 and np.isnan(rp.chi2)  # one column only
    with pytest.raises(ValueError, match="measure must be"):
        framing.frame_by_group(fd, docs, measure="bogus")


def test_frames_over_time_monthly_shares():
    docs, sents, m = _tables()
    fd = framing.doc_frames(m, sents, scheme="policy", docs=docs, thresholds={"min_cues": 2})
    t = framing.frames_over_time(fd, docs, freq="M")
    eco = t[t.frame.astype(str) == "Economic"].set_index("period")
    # January: d1 (Economic present) and d2 (empty) -> 1/2; February: d3 -> 0
    assert eco.loc[pd.Timestamp("2024-01-01"), "value"] == pytest.approx(0.5)
    assert eco.loc[pd.Timestamp("2024-01-01"), "n_docs"] == 2
    assert eco.loc[pd.Timestamp("2024-02-01"), "value"] == 0.0
    byo = framing.frames_over_time(fd, docs, freq="M", by="outlet")
    assert set(byo.outlet) == {"A", "B"}
    with pytest.raises(ValueError, match="freq"):
        framing.frames_over_time(fd, docs, freq="fortnight")


def test_keyness_g2_by_hand():
    d = pd.DataFrame({"text": ["war war peace", "trade trade peace"], "g": ["A", "B"]})
    k = framing.keyness(d, "A", by="g", min_count=1, correction="none").set_index("term")
    # "war": a=2, b=0, c=1, d=3, N=6; E = [[1, 1], [2, 2]]
    # G2 = 2 (2 ln 2 + 1 ln 1/2 + 3 ln 3/2) = 3.819085, positive (more in target)
    assert k.loc["war", "G2"] == pytest.approx(3.819085, abs=1e-6)
    assert k.loc["trade", "G2"] == pytest.approx(-3.819085, abs=1e-6)
    assert k.loc["peace", "G2"] == pytest.approx(0.0, abs=1e-12)
    # log ratio (Hardie): log2((2/3) / (b/3)) with the zero b replaced by 0.5 -> log2 4 = 2
    assert k.loc["war", "log_ratio"] == pytest.approx(2.0)
    assert k.loc["peace", "log_ratio"] == pytest.approx(0.0)  # log2((1/3)/(1/3))
    # Williams as quanteda: b = 0 is a zero cell -> q = 1, G2 unchanged
    kw = framing.keyness(d, "A", by="g", min_count=1).set_index("term")
    assert kw.loc["war", "G2"] == pytest.approx(3.819085, abs=1e-6)
    # Yates as quanteda: |ad - bc| = |6 - 0| = 6 >= N/2 = 3 and E11 = 1 < 5 -> applied;
    # cells move 0.5 toward E: 1.5, 0.5, 1.5, 2.5
    # G2 = 2 (1.5 ln 1.5 + 0.5 ln 0.5 + 1.5 ln 0.75 + 2.5 ln 1.25) = 0.775920
    ky = framing.keyness(d, "A", by="g", min_count=1, correction="yates").set_index("term")
    assert ky.loc["war", "G2"] == pytest.approx(0.775920, abs=1e-6)

    # no zero cell: target "war war war peace", reference "war peace peace peace"
    # "war": a=3, b=1, c=1, d=3, N=8; E = [[2, 2], [2, 2]]
    # G2 = 2 (3 ln 1.5 + 1 ln 0.5 + 1 ln 0.5 + 3 ln 1.5) = 2 (2.432790 - 1.386294) = 2.092993
    # Williams: q = 1 + (8/4 + 8/4 - 1)(8/4 + 8/4 - 1) / (6*8) = 1 + 9/48 = 1.1875
    #   -> 2.092993 / 1.1875 = 1.762520
    # Yates: |ad - bc| = |9 - 1| = 8 >= 4 and E = 2 < 5 -> cells 2.5, 1.5, 1.5, 2.5
    #   -> 2 (2 * 2.5 ln 1.25 + 2 * 1.5 ln 0.75) = 2 (1.115718 - 0.863046) = 0.505343
    # log ratio log2((3/4) / (1/4)) = log2 3
    d2 = pd.DataFrame({"text": ["war war war peace", "war peace peace peace"], "g": ["A", "B"]})
    g2 = {
        c: framing.keyness(d2, "A", by="g", min_count=1, correction=c).set_index("term")
        for c in ("none", "williams", "yates")
    }
    assert g2["none"].loc["war", "G2"] == pytest.approx(2.092993, abs=1e-6)
    assert g2["williams"].loc["war", "G2"] == pytest.approx(1.762520, abs=1e-6)
    assert g2["yates"].loc["war", "G2"] == pytest.approx(0.505343, abs=1e-6)
    assert g2["none"].loc["war", "log_ratio"] == pytest.approx(math.log2(3))

    # large expected counts: 10 war + 10 peace vs 5 war + 15 peace
    # "war": a=10, b=5, c=10, d=15, N=40; E = [[7.5, 7.5], [12.5, 12.5]], all >= 5
    # -> Yates is NOT applied (quanteda) although |ad - bc| = 100 >= 20
    # G2 = 2 (10 ln(4/3) + 5 ln(2/3) + 10 ln 0.8 + 15 ln 1.2)
    #    = 2 (2.876821 - 2.027326 - 2.231436 + 2.734823) = 2.705766
    # Williams: q = 1 + (40/15 + 40/25 - 1)(40/20 + 40/20 - 1) / 240 = 1.040833 -> 2.599615
    d3 = pd.DataFrame(
        {"text": ["war " * 10 + "peace " * 10, "war " * 5 + "peace " * 15], "g": ["A", "B"]}
    )
    g3 = {
        c: framing.keyness(d3, "A", by="g", min_count=1, correction=c).set_index("term")
        for c in ("none", "williams", "yates")
    }
    assert g3["none"].loc["war", "G2"] == pytest.approx(2.705766, abs=1e-6)
    assert g3["yates"].loc["war", "G2"] == pytest.approx(2.705766, abs=1e-6)
    assert g3["williams"].loc["war", "G2"] == pytest.approx(2.599615, abs=1e-6)
    # boolean mask form gives the same as by=
    km = framing.keyness(d, np.array([True, False]), min_count=1, correction="none")
    assert km.iloc[0]["term"] == "war"
    with pytest.raises(ValueError, match="no rows with g"):
        framing.keyness(d, "Z", by="g")


def test_kwic_term_offsets_and_category():
    d = pd.DataFrame(
        {"doc_id": ["a"], "text": ["New EU sanctions hit Russia hard. Sanctions again."]}
    )
    r = framing.kwic(d, "sanction*", window=2)
    assert r[["start", "end", "left", "match", "right"]].values.tolist() == [
        [7, 16, "New EU", "sanctions", "hit Russia"],
        [34, 43, "Russia hard.", "Sanctions", "again."],
    ]
    for row in r.itertuples():
        assert d.text[0][row.start : row.end] == row.match
    # a phrase, no hits
    assert len(framing.kwic(d, "trade deal")) == 0
    m = pd.DataFrame(
        [
            (
                "a",
                0,
                21,
                27,
                "policy",
                "External_regulation_and_reputation",
                "russia*",
                "author",
                1.0,
            )
        ],
        columns=list(schema.MATCH_COLUMNS),
    )
    rc = framing.kwic(
        d, "External_regulation_and_reputation", pattern_type="category", matches=m, window=1
    )
    assert rc[["start", "end", "left", "match", "right", "term"]].values.tolist() == [
        [21, 27, "hit", "Russia", "hard.", "russia*"]
    ]


# --------------------------------------------------------------------------- planted differences
PLANTED = ROOT / "data" / "sample" / "planted.yaml"
_GENERIC_NAMES = {
    "attribution of responsibility": "responsibility",
    "responsibility": "responsibility",
    "human interest": "human_interest",
    "conflict": "conflict",
    "morality": "morality",
    "economic consequences": "economic",
    "economic": "economic",
}
# Planted differences the lexicon does not recover (reported, not hidden), with the
# reason. A "top" claim is checked strictly: the frame must be among the outlet's
# len(top) highest mean rates over the 15 policy frames. The synthetic articles are all
# about Serbia's foreign relations, so Political and External_regulation_and_reputation
# (foreign, international, sanctions, talks ...) have the highest rates in every outlet
# and push a planted third/fourth frame down one or two ranks.
KNOWN_MISSES = {
    (
        "Danube Herald",
        "top",
        "Economic",
    ): "rank 5 of 15: Political (rank 2) outranks it; economic cues are few per article",
    (
        "Meridian Wire",
        "top",
        "Economic",
    ): "rank 3 of 15: External_regulation_and_reputation (rank 2) outranks it",
    (
        "Europa Monitor",
        "top",
        "Legality_Constitutionality_and_jurisprudence",
    ): "rank 6 of 15: the legal emphasis is carried by rule-of-law / accession wording "
    "that the Legality cues (courts, laws, rulings) only partly cover",
}


def _planted_claims():
    if not PLANTED.exists():
        return []
    import yaml

    spec = yaml.safe_load(PLANTED.read_text(encoding="utf-8"))
    claims = []
    for outlet, o in (spec.get("outlets") or {}).items():
        if not o.get("synthetic") or not o.get("frames"):
            continue
        f = o["frames"]
        for fr_ in f.get("top") or []:
            claims.append((outlet, "top", fr_))
        for fr_ in f.get("highest_among_outlets") or []:
            claims.append((outlet, "highest", fr_))
        for fr_ in f.get("higher_than_wire") or []:
            claims.append((outlet, "higher_than_wire", fr_))
        for g in f.get("generic") or []:
            claims.append((outlet, "generic_top2", _GENERIC_NAMES[g]))
    return claims


@pytest.fixture(scope="module")
def sample_rates():
    import yaml

    from framelens import lexicon, text
    from framelens.corpus import load_corpus

    spec = yaml.safe_load(PLANTED.read_text(encoding="utf-8"))
    synthetic = [k for k, v in spec["outlets"].items() if v.get("synthetic")]
    wire = [k for k, v in spec["outlets"].items() if "wire" in str(v.get("style", ""))]
    docs = load_corpus(PLANTED.parent).docs
    tb = text.process(docs)
    m = lexicon.match(
        docs,
        lexicon.Matcher([lexicon.load("policy"), lexicon.load("generic")]),
        sentences=tb["sentences"],
        segments=tb["segments"],
    )
    fd = framing.step({"docs": docs, "sentences": tb["sentences"], "matches": m})["frame_docs"]
    fd = fd.merge(docs[["doc_id", "outlet"]].astype({"doc_id": "string"}), on="doc_id")
    fd = fd[fd["outlet"].astype(str).isin(synthetic)]
    # mean cues per 1,000 tokens per (outlet, frame)
    rates = fd.assign(frame=fd["frame"].astype(str)).pivot_table(
        index="frame", columns="outlet", values="rate", aggfunc="mean"
    )
    return rates, synthetic, wire[0] if wire else None


@pytest.mark.skipif(not PLANTED.exists(), reason="data/sample/planted.yaml not written yet")
@pytest.mark.parametrize(
    "claim",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[c]))
        if c in KNOWN_MISSES
        else c
        for c in _planted_claims()
    ],
    ids=lambda c: "-".join(c),
)
def test_planted_frame_differences_are_recovered(sample_rates, claim):
    rates, synthetic, wire = sample_rates
    outlet, kind, frame = claim
    if kind == "top":
        # among the outlet's len(top) highest mean rates over the policy frames
        import yaml

        top = yaml.safe_load(PLANTED.read_text(encoding="utf-8"))["outlets"][outlet]["frames"][
            "top"
        ]
        pol = rates.loc[list(framing.scheme_frames("policy")), outlet]
        assert frame in pol.sort_values(ascending=False).index[: len(top)], pol.to_dict()
    elif kind == "highest":
        # the outlet's mean rate of the frame exceeds every other synthetic outlet's
        others = [o for o in synthetic if o != outlet]
        assert all(rates.loc[frame, outlet] > rates.loc[frame, o] for o in others), rates.loc[
            frame
        ].to_dict()
    elif kind == "higher_than_wire":
        assert rates.loc[frame, outlet] > rates.loc[frame, wire], rates.loc[frame].to_dict()
    else:  # a planted generic frame is among the outlet's two highest generic rates
        gen = rates.loc[list(framing.scheme_frames("generic")), outlet]
        assert frame in gen.sort_values(ascending=False).index[:2], gen.to_dict()


# --------------------------------------------------------------------------- viz
def test_article_section_escapes_text_and_shows_profile():
    from framelens.report import framing as vf

    docs, sents, m = _tables()
    docs = docs.copy()
    docs.loc[0, "text"] = D1_TEXT.replace("Election due.", "<script>x</script>")
    tables = {"docs": docs, "sentences": sents, "matches": m}
    tables.update(framing.step(tables))
    tables = Analysis(tables)
    html = vf.article_section(tables, "d1").data
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Frame profile (policy)" in html and "Frame profile (generic)" in html
    assert html.count("<mark") >= 5  # the policy cues are highlighted
    with pytest.raises(KeyError):
        vf.article_section(tables, "nope")


def test_figures_draw_on_tiny_tables():
    import matplotlib

    matplotlib.use("Agg")
    from framelens.report import framing as vf

    docs, sents, m = _tables()
    out = framing.step({"docs": docs, "sentences": sents, "matches": m})
    fd = out["frame_docs"]
    cmp = framing.frame_by_group(fd, docs, by="outlet", scheme="policy", measure="n_cues")
    assert vf.plot_frame_heatmap(cmp) is not None
    ot = framing.frames_over_time(fd, docs, scheme="policy")
    assert vf.plot_frames_over_time(ot) is not None
    assert vf.plot_primary_frames(out["frame_summary"], docs) is not None
    terms = framing.cue_terms(m, scheme="policy", docs=docs)
    assert set(terms["term"]) >= {"trade", "prices", "tariffs"}  # surface forms
    assert vf.plot_top_terms(terms) is not None
    import matplotlib.pyplot as plt

    plt.close("all")


# --------------------------------------------------------------------------- lexicon cues
def _cues(text_, scheme):
    """(category, matched text) of the scheme's cues in one short text."""
    from framelens import lexicon
    from framelens import text as tx

    docs = pd.DataFrame({"doc_id": ["x"], "text": [text_]})
    tb = tx.process(docs)
    m = lexicon.match(
        docs,
        lexicon.Matcher([lexicon.load(scheme)]),
        sentences=tb["sentences"],
        segments=tb["segments"],
    )
    return {(str(c), text_[s:e].lower()) for c, s, e in zip(m["category"], m["start"], m["end"])}


@pytest.mark.parametrize(
    "text_, scheme, category",
    [
        ("Denis wore denim to the meeting.", "generic", "conflict"),  # deni* removed
        (
            "Bill Clinton visited the plant.",
            "policy",
            "Legality_Constitutionality_and_jurisprudence",
        ),
        ("Bill Clinton visited the plant.", "generic", "economic"),
        ("Bill Clinton visited the plant.", "generic", "responsibility"),
        ("A think tank published the report.", "policy", "Security_and_defense"),
        ("The plan promises job creation.", "generic", "morality"),
        ("The veterans of World War I were honoured.", "generic", "human_interest"),
        ("Firms met at the trade fair.", "policy", "Fairness_and_equality"),
        ("Il a vu un homme dans la rue.", "policy", "External_regulation_and_reputation"),
        ("She listened, arms folded.", "policy", "Security_and_defense"),
        ("The answer lies in the data.", "policy", "Morality"),
    ],
)
def test_ambiguous_words_are_not_frame_cues(text_, scheme, category):
    assert not {c for c, _ in _cues(text_, scheme)} & {category}, _cues(text_, scheme)


def test_restricted_cues_still_match_their_frame_sense():
    pol = _cues(
        "The UN Security Council met as the bill passed; arms deliveries resumed.", "policy"
    )
    assert ("External_regulation_and_reputation", "security council") in pol
    assert ("Legality_Constitutionality_and_jurisprudence", "the bill") in pol
    assert ("Security_and_defense", "arms deliveries") in pol
    assert ("human_interest", "i lost") in _cues("I lost everything, she said.", "generic")


def test_no_topic_specific_climate_cues_in_generic():
    from framelens import lexicon

    terms = set(lexicon.load("generic").terms())
    assert not terms & {
        "net zero",
        "decarboni*",
        "renewable*",
        "clean energy",
        "carbon tax",
        "coal",
        "oil",
        "gas",
        "fossil fuel industry",
        "skeptic*",
        "deni*",
        "stewardship",
        "creation",
    }


# --------------------------------------------------------------------------- named-actor cues
def test_actor_cues_modes():
    # one sentence (no title): External cues russia* 0.5 + moscow 0.5 (named actors) +
    # sanction* 1.0; Political cues elect* 1.0 + parliament* 0.5
    sents = pd.DataFrame(
        {
            "doc_id": ["a"],
            "sent_id": [0],
            "start": [0],
            "end": [60],
            "text": ["x"],
            "n_words": [10],
        }
    )
    rows = [
        ("a", 0, 0, 1, "policy", "External_regulation_and_reputation", "russia*", "author", 0.5),
        ("a", 0, 2, 3, "policy", "External_regulation_and_reputation", "moscow", "author", 0.5),
        ("a", 0, 4, 5, "policy", "External_regulation_and_reputation", "sanction*", "author", 1.0),
        ("a", 0, 6, 7, "policy", "Political", "elect*", "author", 1.0),
        ("a", 0, 8, 9, "policy", "Political", "parliament*", "author", 0.5),
    ]
    m = pd.DataFrame(rows, columns=list(schema.MATCH_COLUMNS))
    ext = "External_regulation_and_reputation"
    got = {
        mode: framing.doc_frames(
            m, sents, scheme="policy", actor_cues=mode, thresholds={"min_cues": 1}
        )
        for mode in ("count", "down-weight", "exclude")
    }
    # count: External 0.5 + 0.5 + 1 = 2 > Political 1.5 -> primary External, score 2/3.5
    c = got["count"]
    assert _row(c, "a", ext).n_cues == 2.0 and bool(_row(c, "a", ext).primary)
    assert _row(c, "a", ext).score == pytest.approx(2 / 3.5)
    # down-weight: names x 0.5 -> 0.25 + 0.25 + 1 = 1.5
    assert _row(got["down-weight"], "a", ext).n_cues == pytest.approx(1.5)
    # exclude (default): External 1 (sanctions only) < Political 1.5 -> primary Political,
    # score 1.5 / 2.5 = 0.6; n_hits counts only the cue that is left
    e = got["exclude"]
    assert _row(e, "a", ext).n_cues == 1.0 and _row(e, "a", ext).n_hits == 1
    assert bool(_row(e, "a", "Political").primary)
    assert _row(e, "a", "Political").score == pytest.approx(0.6)
    default = framing.doc_frames(m, sents, scheme="policy", thresholds={"min_cues": 1})
    assert _row(default, "a", ext).n_cues == 1.0  # default is "exclude"
    with pytest.raises(ValueError, match="actor_cues must be one of"):
        framing.doc_frames(m, sents, scheme="policy", actor_cues="ignore")
    out = framing.step({"matches": m, "sentences": sents}, actor_cues="count")
    assert _row(out["frame_docs"], "a", ext).n_cues == 2.0


# --------------------------------------------------------------------------- provenance
def test_threshold_provenance_hash_is_over_categories_only():
    from framelens import lexicon

    base = {"name": "t", "categories": {"A": ["war"], "B": ["peace"]}}
    l1 = lexicon.Lexicon.from_dict(
        {**base, "framing_thresholds": {"frames": {"A": {"min_cues": 1}}}}
    )
    l2 = lexicon.Lexicon.from_dict(
        {**base, "framing_thresholds": {"frames": {"A": {"min_cues": 3}}}}
    )
    l3 = lexicon.Lexicon.from_dict(
        {"name": "t", "categories": {"A": ["war", "battle"], "B": ["peace"]}}
    )
    assert l1.hash != l2.hash  # full hash sees thresholds
    assert framing.categories_hash(l1) == framing.categories_hash(l2)
    assert framing.categories_hash(l1) != framing.categories_hash(l3)  # a new cue changes it
    # the shipped thresholds were tuned on exactly the shipped cues
    for scheme in framing.SCHEMES:
        prov = framing.scheme_info(scheme).provenance
        assert prov["lexicon_hash_at_tuning"] == framing.categories_hash(scheme), scheme


def test_report_cosmetics_weights_p_values_and_labels():
    from framelens.report import framing as vf

    docs, sents, m = _tables()
    tables = {"docs": docs, "sentences": sents, "matches": m}
    tables.update(framing.step(tables))
    tables = Analysis(tables)
    html = vf.article_section(tables, "d1").data
    # the weighting note is derived from the parameters (defaults 2 / 1.5 / 2 sentences)
    assert "x2 " in html and "x1.5" in html and "not taken from the framing literature" in html
    assert "cues per 1,000 words" in html
    # p-values: an underflow to 0 is shown as <1e-16, not 0
    assert vf.format_p(0.0) == "<1e-16" and vf.format_p(2e-17) == "<1e-16"
    assert vf.format_p(0.01234) == "0.0123"
    t = vf.readable_frames(
        pd.DataFrame({"frame": ["Legality_Constitutionality_and_jurisprudence"], "p": [0.0]})
    )
    assert t.loc[0, "frame"] == "Legality & jurisprudence" and t.loc[0, "p"] == "<1e-16"


@pytest.mark.parametrize("by", [None, "outlet"])
def test_cue_terms_counted_in_chunks_of_documents_equal_one_pass(monkeypatch, by):
    # cue_terms counts the hits of disjoint sets of documents chunk by chunk (memory);
    # sums and document counts add up to the one-pass figures, ranks included
    from framelens.measures.framing import helpers

    docs, _, m = _tables()
    one = framing.cue_terms(m, scheme="policy", docs=docs, by=by, n=3)
    monkeypatch.setattr(helpers, "_DOCS_PER_CHUNK", 1)
    chunked = framing.cue_terms(m, scheme="policy", docs=docs, by=by, n=3)
    assert docs["doc_id"].nunique() > 1 and len(one)
    pd.testing.assert_frame_equal(chunked, one)
