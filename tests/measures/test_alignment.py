"""Tests for framelens.measures.alignment: relation events, tone, alignment index, networks.

Goldstein weights (relations.yaml `cameo` block, METHODS.md §3): 03 intend +4.0,
04 consult +1.0, 05 diplomatic cooperation +3.5, 06 material cooperation +6.0,
10 demand -5.0, 12 reject -4.0, 16 reduce relations -4.0, 19 fight -10.0.
A negated cue flips the sign and halves the weight: -4.0 -> +2.0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import ROOT
from framelens.errors import ConfigError
from framelens.measures import alignment as A
from framelens.measures.alignment import alignment_index, analyze_text, network
from framelens.measures.alignment import tones as AT
from framelens.measures.alignment import vader as AV

SEED = ROOT / "data" / "sample" / "articles" / "000_fbaa5b5f07ee96ab.txt"
PLANTED = ROOT / "data" / "sample" / "planted.yaml"


#: The sample's case study, set explicitly: the library has no default focal actor or camps.
CAMPS = {"RUS": ["RUS"], "WST": ["WST"]}
CASE = {"focal": "SRB", "camps": CAMPS}


def _at(text, **kw):
    return analyze_text(text, **{**CASE, **kw})


def _ev(text, date="2024-10-20", **kw):
    return _at(text, date=date, **kw)["events"]


def _pairs(ev):
    return [
        (r.source_root, r.target_root, r.cameo, r.weight, bool(r.directed)) for r in ev.itertuples()
    ]


def test_thanked_is_directed_cooperation():
    ev = _ev("Serbia thanked Russia.")
    assert _pairs(ev) == [("SRB", "RUS", "05", 3.5, True)]
    r = ev.iloc[0]
    # evidence span = "Serbia thanked Russia" (0..21), cue "thanked" at 7..14
    assert (r.start, r.end, r.cue_start, r.cue_end, r.cue) == (0, 21, 7, 14, "thanked")
    assert r.quad_class == 1 and not r.negated


def test_pressure_from_the_west_acts_on_the_focal_actor():
    ev = _ev("Serbia will keep its course despite pressure from the West.")
    assert _pairs(ev) == [("WST", "SRB", "10", -5.0, True)]
    assert ev.iloc[0].quad_class == 3


def test_coordinated_subjects_give_an_undirected_pair():
    ev = _ev("Russia and Serbia will strengthen relations.")
    assert _pairs(ev) == [("RUS", "SRB", "03", 4.0, False)]


def test_negation_flips_and_halves():
    ev = _ev("Serbia did not join the sanctions against Russia.")
    # 16 reduce relations -4.0, negated -> +2.0, quad class 1 (verbal cooperation)
    assert _pairs(ev) == [("SRB", "RUS", "16", 2.0, True)]
    assert bool(ev.iloc[0].negated) and ev.iloc[0].quad_class == 1


def test_will_not_change_cooperation_is_not_negated():
    ev = _ev("Serbia's stance will not change on cooperation with Russia.")
    assert _pairs(ev) == [("SRB", "RUS", "05", 3.5, True)]
    assert not bool(ev.iloc[0].negated)


def test_refusal_rejects_the_demanders_and_spares_the_target():
    ev = _ev(
        "Belgrade maintains close ties with Moscow and refused to join the sanctions "
        "despite pressure from the European Union."
    )
    got = sorted(_pairs(ev))
    # ties (05 +3.5) SRB-RUS, fill with the focal actor -> undirected
    # refused sanctions: 12 REJECT -4.0 toward the EU (the side pressing), +2.0 toward Russia
    # pressure from the EU: 10 demand -5.0, EU -> SRB
    assert got == sorted(
        [
            ("SRB", "RUS", "05", 3.5, True),
            ("SRB", "RUS", "16", 2.0, True),
            ("SRB", "EU", "12", -4.0, True),
            ("EU", "SRB", "10", -5.0, True),
        ]
    )
    assert ev["refused"].sum() == 2


def test_demanded_actions_are_not_events():
    ev = _ev(
        "The EU added the condition to Serbia to cut off relations and impose sanctions on Russia."
    )
    # only the demand itself: EU -> SRB (10, -5.0); not SRB-RUS
    assert _pairs(ev) == [("EU", "SRB", "10", -5.0, True)]


def test_historical_event_flag_and_exclusion():
    r = _at(
        "The Red Army's liberation of Belgrade from German occupation in 1944 was celebrated.",
        date="2024-10-20",
    )
    ev = r["events"]
    assert _pairs(ev) == [("SUN", "DEU", "19", -10.0, True)]
    assert ev.iloc[0].source == "SUNMIL" and ev.iloc[0].target == "DEUMIL"
    assert bool(ev.iloc[0].historical) and ev.iloc[0].quad_class == 4
    camps = {"SUN": ["SUN"], "DEU": ["DEU"]}
    a = alignment_index(ev, focal="SUN", camps=camps)
    assert a["n_events"].tolist() == [0, 0] and a["index"].isna().all()
    a2 = alignment_index(ev, focal="SUN", camps=camps, include_historical=True)
    # net toward DEU = -10, gross 10: index = (0 - (-10)) / (0 + 10) = 1
    assert a2["net"].tolist() == [0.0, -10.0] and a2["index"].tolist() == [1.0, 1.0]


def test_historical_flag_uses_the_dated_clause():
    # the year rule dates only "that ... in 1944" (actors.clause_dates); Vucic, before
    # "that", keeps the document date, but the sentence's event is still historical
    # because a mention in it is coded at 1944-07-01 (80 years >= 25 before 2024).
    r = _at(
        "Vucic recalled that the Red Army's liberation of Belgrade from German "
        "occupation in 1944 was celebrated.",
        date="2024-10-20",
    )
    m = r["mentions"].set_index("surface")
    assert str(m.loc["Vucic", "ref_date"].date()) == "2024-10-20"
    assert str(m.loc["Red Army", "ref_date"].date()) == "1944-07-01"
    ev = r["events"]
    assert len(ev) >= 1 and ev["historical"].all()
    assert str(pd.Timestamp(ev.iloc[0].ref_date).date()) == "1944-07-01"


def test_alignment_index_hand_computed():
    ev = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "a", "b"],
            "event_id": [0, 1, 2, 3, 0],
            "source_root": ["SRB", "EU", "SRB", "SRB", "RUS"],
            "target_root": ["RUS", "SRB", "USA", "UKR", "SRB"],
            "source_blocs": ["", "WST", "", "", "BRICS"],
            "target_blocs": ["BRICS", "", "NATO;WST", "", ""],
            "weight": [4.0, -5.0, 3.5, -10.0, -2.0],
            "historical": [False] * 5,
        }
    )
    a = alignment_index(ev, focal="SRB", camps=CAMPS).set_index(["doc_id", "camp"])
    # doc a: RUS net +4 gross 4; WST net -5 + 3.5 = -1.5, gross 8.5 (UKR in no camp)
    # index = (4 - (-1.5)) / (4 + 8.5) = 5.5 / 12.5 = 0.44
    assert a.loc[("a", "RUS"), "net"] == 4.0 and a.loc[("a", "WST"), "net"] == -1.5
    assert a.loc[("a", "WST"), "gross"] == 8.5
    assert a.loc[("a", "RUS"), "index"] == pytest.approx(0.44)
    assert a.loc[("a", "WST"), "event_ids"] == "a:1;a:2"
    assert a.loc[("a", "WST"), "n_coop"] == 1 and a.loc[("a", "WST"), "n_conflict"] == 1
    # doc b: RUS -2 only: index = (-2 - 0) / 2 = -1
    assert a.loc[("b", "RUS"), "index"] == -1.0
    # grouping by a docs column
    docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "X"]})
    g = alignment_index(ev, focal="SRB", camps=CAMPS, by="outlet", docs=docs).set_index("camp")
    # RUS net 4 - 2 = 2 gross 6; WST net -1.5 gross 8.5: (2 + 1.5) / 14.5
    assert g.loc["RUS", "index"] == pytest.approx(3.5 / 14.5)
    with pytest.raises(ValueError, match="at least two camps"):
        alignment_index(ev, focal="SRB", camps={"RUS": ["RUS"]})
    with pytest.raises(ValueError, match="list of roots"):
        alignment_index(ev, focal="SRB", camps={"RUS": "RUS", "WST": ["WST"]})


def test_networks():
    ev = pd.DataFrame(
        {
            "source_root": ["SRB", "SRB", "EU"],
            "target_root": ["RUS", "RUS", "SRB"],
            "source": ["SRB", "SRBGOV", "EU"],
            "target": ["RUS", "RUSGOV", "SRB"],
            "weight": [4.0, -1.0, -5.0],
            "historical": [False, False, False],
        }
    )
    g = network(ev)
    e = g.get_edge_data("SRB", "RUS")
    assert (e["weight"], e["n"], e["n_coop"], e["n_conflict"], e["sign"]) == (3.0, 2, 1, 1, 1)
    assert g.get_edge_data("EU", "SRB")["sign"] == -1 and g.nodes["SRB"]["count"] == 3
    assert network(ev, level="actor").has_edge("SRBGOV", "RUSGOV")
    m = pd.DataFrame(
        {
            "doc_id": ["d"] * 4,
            "sent_id": [0, 0, 1, 1],
            "root": ["SRB", "RUS", "SRB", "RUS"],
            "actor": ["SRB", "RUS", "SRB", "EU"],
            "role": ["STATE"] * 4,
        }
    )
    c = network(m, kind="cooccurrence")
    assert c.get_edge_data("SRB", "RUS")["weight"] == 2 and c.nodes["SRB"]["count"] == 2
    with pytest.raises(ValueError, match="kind"):
        network(ev, kind="bogus")


def test_tone_relation_component_hand_computed():
    zero = {"classes": [-1, 0, 1], "intercept": [0, 0, 0], "coef": [[0.0] * 31] * 3}
    r = _at("Serbia thanked Russia.", date="2024-01-01")
    t = A.tone(r["mentions"], sentences=r["sentences"], events=r["events"], model=zero)
    # zero model: P uniform -> S = 0; R(SRB, source) = 3.5/10 = 0.35;
    # R(RUS, directed target) = 0.35 * 0.5 = 0.175; tone = 0.25 * R
    assert t["sentiment"].tolist() == [0.0, 0.0]
    assert t["relation"].tolist() == pytest.approx([0.35, 0.175])
    assert t["tone"].tolist() == pytest.approx([0.0875, 0.04375])


def test_tone_sign_follows_language():
    good = _at("The generous EU praised the wonderful Serbian people and their brave leaders.")
    bad = _at(
        "The brutal Russian army attacked and killed innocent civilians in a horrific massacre."
    )
    assert good["mention_tone"]["tone"].min() > 0
    assert bad["mention_tone"].set_index("root").loc["RUS", "tone"] < 0
    at = A.actor_tone(good["mention_tone"])
    assert set(at.columns) >= {"doc_id", "root", "n_mentions", "tone", "n_positive", "n_negative"}


def test_seed_article_relations_and_alignment():
    r = _at(SEED.read_text(encoding="utf-8"), date="2024-10-20")
    ev = r["events"]
    cur = ev[~ev["historical"]]
    srb = (cur.source_root == "SRB") | (cur.target_root == "SRB")
    rus = srb & ((cur.source_root == "RUS") | (cur.target_root == "RUS"))
    west = srb & cur[["source_blocs", "target_blocs"]].apply(
        lambda c: c.astype(str).str.contains("WST")
    ).any(axis=1)
    # Serbia-Russia: strengthen relations, talks, phone call, cooperation, economic ties,
    # agreement, thanked, refusing sanctions (+2.0): all cooperative
    assert rus.sum() >= 7 and (cur.loc[rus, "weight"] > 0).all()
    # Serbia-EU / West: pressure, sanctions refusal toward the pressing side, condition, demands
    wcues = set(cur.loc[west & (cur.weight < 0), "cue"].str.lower())
    assert {"pressure", "condition", "demands", "join the sanctions"} <= wcues
    assert cur.loc[west, "weight"].sum() < 0
    a = alignment_index(ev, focal="SRB", camps=CAMPS).set_index("camp")
    assert a.loc["RUS", "net"] > 0 > a.loc["WST", "net"]
    assert a.loc["RUS", "index"] > 0.5  # leans toward Russia
    # the 1944 sentence: Soviet army vs German army, historical, no Serbia-Russia event
    hist = ev[ev["historical"]]
    assert _pairs(hist) == [("SUN", "DEU", "19", -10.0, True)]
    # every event is traceable: evidence span inside its sentence
    s = r["sentences"].set_index("sent_id")
    assert all(
        s.loc[x.sent_id, "start"] <= x.start < x.end <= s.loc[x.sent_id, "end"]
        for x in ev.itertuples()
    )


def test_step_contract_and_empty():
    docs = pd.DataFrame({"doc_id": ["e"], "text": ["Nothing happens."], "date": [pd.NaT]})
    out = _at("Nothing happens.")
    assert set(out) >= {"events", "mention_tone", "actor_tone", "alignment"}
    assert list(out["events"].columns) == list(A.EVENT_COLUMNS) and len(out["events"]) == 0
    assert len(out["alignment"]) == 2 and out["alignment"]["index"].isna().all()
    with pytest.raises(ValueError, match="focal"):
        A.events(docs, sentences=out["sentences"], mentions=out["mentions"], focal="")


def test_planted_outlet_differences_recovered():
    import framelens.corpus as corpus_mod
    import framelens.pipeline as pipeline

    if not PLANTED.exists():
        pytest.skip("data/sample/planted.yaml not written yet")
    planted = yaml.safe_load(PLANTED.read_text(encoding="utf-8"))
    corpus = corpus_mod.load_corpus(ROOT / "data" / "sample")
    cfg = pipeline.Config(
        sentiment=False,
        steps=("actors", "alignment"),
        lexicons=("relations",),
        options={"alignment": CASE},
    )
    an = pipeline.analyze(corpus, cfg, use_cache=False)
    docs = an.docs
    a = alignment_index(an.events, focal="SRB", camps=CAMPS, by="outlet", docs=docs)
    idx = a.drop_duplicates("outlet").set_index("outlet")["index"]
    # the state-broadcaster style leans to Russia more than the EU-leaning outlet
    assert idx["Danube Herald"] > 0 > idx["Europa Monitor"]
    mt = an.mention_tone.merge(docs[["doc_id", "outlet"]].astype(str), on="doc_id")
    tone = A.actor_tone(mt, by=["outlet", "root"]).set_index(["outlet", "root"])["tone"]
    root_of = {
        "RUSGOV": "RUS",
        "SRBGOV": "SRB",
        "EU": "EU",
        "NATO": "NATO",
        "USAGOV": "USA",
        "UKRGOV": "UKR",
    }
    pd_, pe = (
        planted["outlets"]["Danube Herald"]["tone"],
        planted["outlets"]["Europa Monitor"]["tone"],
    )
    checked = 0
    for actor, root in root_of.items():
        d, e = pd_.get(actor), pe.get(actor)
        if {d, e} == {"positive", "negative"}:
            hi, lo = (
                ("Danube Herald", "Europa Monitor")
                if d == "positive"
                else ("Europa Monitor", "Danube Herald")
            )
            assert tone[(hi, root)] > tone[(lo, root)], (actor, hi, lo)
            checked += 1
    assert checked >= 4


def test_article_section_escapes_text():
    import framelens.pipeline as pipeline
    from framelens.report import alignment as va

    text = "<script>alert(1)</script> Serbia thanked Russia despite pressure from the EU."
    r = _at(text, date="2024-10-20")
    tables = {k: v for k, v in r.items()}
    an = pipeline.Analysis(tables)
    html = va.article_section(an, "t0").data
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<mark") >= 3  # Serbia, Russia, the EU highlighted
    assert "thanked" in html and "pressure" in html


def test_notebook_is_thin_and_clean():
    import ast
    import json

    nb = json.loads((ROOT / "notebooks" / "alignment.ipynb").read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for c in code:
        c["source"] = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
    assert "parameters" in code[0]["metadata"].get("tags", [])
    for node in ast.parse(code[0]["source"]).body:  # literals only
        assert isinstance(node, ast.Assign) and isinstance(node.value, (ast.Constant, ast.List))
    params = {n.targets[0].id for n in ast.parse(code[0]["source"]).body}
    assert params == {
        "corpus",
        "focal",
        "camp_a",
        "camp_b",
        "group_col",
        "date_from",
        "date_to",
        "config",
    }
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert not any("def " in c["source"] for c in code)


# ---------------------------------------------------------------------- speed-ups stay exact
# Hand-written texts that exercise every rule VADER applies around a lexicon word:
# capitals (some but not all tokens), "but", "no", negation ("n't", never), boosters,
# "kind of", "least", idioms, "!" / "?" emphasis, stripped punctuation, an emoji, and
# tokens that get clipped when a substring cuts a word ("Serbia's" -> "'s").
_VADER_TEXTS = [
    "The GREAT leader was not very happy, but Serbia's people were kind of glad!!",
    "No good deal?? They rarely if ever praised it; at least it wasn't the worst.",
    "Moscow's support is extremely good but the EU's pressure is bad :) and sad",
    "ALL CAPS ANGRY WORDS HERE BUT FINE",
    "never so bad, without doubt the best - the kiss of death for the 'great' plan",
    "Brussels \u2764 loves Belgrade \U0001f600 and hates nothing.",
    "  ",
    "",
]


def test_substring_scores_equal_polarity_scores():
    # _sub_scores(st, a, b) must equal VADER's polarity_scores(text[a:b]) for EVERY
    # substring: the target-tone features use it for the clause and both sides of a
    # mention, and the tone results must not move (checked here exhaustively).
    sia = AV.vader_tables()[0]
    for t in _VADER_TEXTS:
        st = AV.SentTokens(t)
        for a in range(len(t) + 1):
            for b in range(a, len(t) + 1):
                r = sia.polarity_scores(t[a:b])
                assert AV.sub_scores(st, a, b) == r, (t, a, b)
                assert AV.sub_compound(st, a, b) == r["compound"], (t, a, b)


def _reference_features(t, s, e):
    """The target-tone features as first written: one polarity_scores per string."""
    sia = AV.vader_tables()[0]
    lexv, W = sia.lexicon, AV.VADER_WORD_RE
    b = A.clause_bounds(t)
    i = int(np.searchsorted(b, s, side="right") - 1)
    c0, c1 = int(b[i]), (int(b[i + 1]) if i + 1 < len(b) else len(t))
    if len(t[c0:c1].split()) <= len(t[s:e].split()) + 1:
        c0, c1 = 0, len(t)
    sc = lambda x: sia.polarity_scores(x)  # noqa: E731
    lw, rw = W.findall(t[:s]), W.findall(t[e:])
    f = np.zeros(len(A.TONE_FEATURES))
    f[0], f[1] = sc(t)["compound"], sc(t[c0:c1])["compound"]
    for j, w in ((2, t[max(0, s - 60) : s]), (4, t[e : e + 60])):
        v = [lexv.get(x.lower(), 0.0) for x in W.findall(w)]
        f[j], f[j + 1] = sum(x for x in v if x > 0), sum(x for x in v if x < 0)
    f[8], f[9] = float(s < 3), float(any(ch in t for ch in '"\u201c\u201d'))
    f[10], f[11] = sc(t[c0:s])["compound"], sc(t[e:c1])["compound"]
    f[12], f[13] = sc(t[:s])["compound"], sc(t[e:])["compound"]
    f[22] = float(bool(AT._SAY_AFTER.match(t[e : e + 40])))
    f[23] = len(t) / 200
    f[24] = sum(lexv.get(x.lower(), 0.0) for x in W.findall(t[s:e]))
    f[25] = float(t[s:e].strip().lower() in AT._PRON)
    f[26] = sum(lexv.get(x.lower(), 0.0) for x in lw[-3:])
    f[27] = sum(lexv.get(x.lower(), 0.0) for x in rw[:3])
    f[28], f[29] = sc(t)["pos"], sc(t)["neg"]
    f[30] = sc(" ".join(lw[-6:]) + " " + t[s:e] + " " + " ".join(rw[:6]))["compound"]
    return f


def test_target_features_equal_the_plain_computation():
    # every word start of every text is a target (1 to 3 words long), including
    # targets glued to punctuation ("Serbia's", "'great'"); no relation cues given.
    texts, starts, ends = [], [], []
    for t in _VADER_TEXTS[:6]:
        spans = [(m.start(), m.end()) for m in AV.VADER_WORD_RE.finditer(t)]
        for k in range(len(spans)):
            for w in (1, 3):
                if k + w <= len(spans):
                    texts.append(t)
                    starts.append(spans[k][0])
                    ends.append(spans[k + w - 1][1])
    X = A.target_features(texts, starts, ends, cues=[[] for _ in texts])
    ref = np.array([_reference_features(t, s, e) for t, s, e in zip(texts, starts, ends)])
    assert len(texts) > 100
    np.testing.assert_array_equal(X, ref)


def test_step_without_tone_keeps_events_and_index():
    r = _at("Serbia thanked Russia for gas supplies. The EU criticised Serbia.", date="2024-10-20")
    tabs = {
        "docs": r["docs"],
        "sentences": r["sentences"],
        "mentions": r["mentions"],
        "matches": r["matches"],
    }
    on, off = A.step(tabs, **CASE), A.step(tabs, mention_tone=False, **CASE)
    pd.testing.assert_frame_equal(on["events"], off["events"])
    pd.testing.assert_frame_equal(on["alignment"], off["alignment"])
    # SRB->RUS +3.5 (05), EU->SRB -2.0 (11): index = (3.5 - (-2.0)) / (3.5 + 2.0) = 1.0
    assert off["alignment"]["index"].tolist() == [1.0, 1.0]
    assert len(on["mention_tone"]) == 4 and len(off["mention_tone"]) == 0
    assert list(off["mention_tone"].columns) == list(A.TONE_COLUMNS)
    assert list(off["actor_tone"].columns) == list(on["actor_tone"].columns)
    assert len(off["actor_tone"]) == 0
    with pytest.raises(ConfigError, match="alignment option 'mention_tone' must be true/false"):
        A.step(tabs, mention_tone="no", **CASE)
    with pytest.raises(ConfigError, match="alignment has no option 'tone'"):
        A.step(tabs, tone=False, **CASE)


def test_no_case_study_defaults():
    """No focal actor or camps by default: the alignment table is empty (events stay)."""
    import inspect

    r = _at("Serbia thanked Russia for gas supplies.", date="2024-10-20")
    tabs = {k: r[k] for k in ("docs", "sentences", "mentions", "matches")}
    out = A.step(tabs)
    assert len(out["events"]) == 1 and len(out["alignment"]) == 0
    assert list(out["alignment"].columns) == list(A.ALIGNMENT_COLUMNS)
    assert A.step(tabs, **CASE)["alignment"]["camp"].tolist() == ["RUS", "WST"]
    for f in (A.alignment_index, A.events, A.analyze_text):
        for p in inspect.signature(f).parameters.values():
            if p.name in ("focal", "camps"):
                assert p.default in (None, inspect.Parameter.empty), (f.__name__, p.name)
    assert not hasattr(A, "DEFAULT_CAMPS")
    with pytest.raises(TypeError):
        A.alignment_index(out["events"])  # focal and camps are required


def test_camps_accept_lists_of_codes():
    ev = pd.DataFrame(
        {
            "doc_id": ["d", "d"],
            "event_id": [0, 1],
            "source_root": ["SRB", "SRB"],
            "target_root": ["BLR", "RUS"],
            "source_blocs": ["", ""],
            "target_blocs": ["", ""],
            "weight": [2.0, 3.0],
            "historical": [False, False],
        }
    )
    a = A.alignment_index(ev, focal="SRB", camps={"EAST": ["RUS", "BLR"], "WST": ["WST"]})
    assert a.set_index("camp").loc["EAST", "net"] == 5.0
