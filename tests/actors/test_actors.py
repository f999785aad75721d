"""Tests for framelens.actors: the dated gazetteer and actor mentions.

Expected values are stated by hand from the gazetteer entries (lexicons/actors.yaml)
and the coding rules in docs/methods/alignment.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from framelens import actors
from framelens.actors import Dated, load_gazetteer, mentions
from framelens.core.schema import MENTION_COLUMNS
from framelens.errors import LexiconError
from framelens.measures.mentions import actors_step  # the actors pipeline step

SEED = ROOT / "data" / "sample" / "articles" / "000_fbaa5b5f07ee96ab.txt"


def _docs(text, date="2024-10-20", doc_id="d"):
    return pd.DataFrame(
        {"doc_id": [doc_id], "text": [text], "date": [pd.Timestamp(date) if date else pd.NaT]}
    )


def _one_sentence(text, doc_id="d"):
    return pd.DataFrame(
        {"doc_id": [doc_id], "sent_id": [0], "start": [0], "end": [len(text)], "text": [text]}
    )


def _m(text, date="2024-10-20", **kw):
    return mentions(_docs(text, date), sentences=_one_sentence(text), **kw)


def test_title_and_name_are_one_mention():
    text = "Serbian President Aleksandar Vucic said so."
    m = _m(text)
    assert len(m) == 1
    row = m.iloc[0]
    # span 0..34 = "Serbian President Aleksandar Vucic" (7+1+9+1+10+1+5 = 34 characters)
    assert (int(row.start), int(row.end)) == (0, 34)
    assert row.actor == "SRBGOV" and row.role == "GOV" and row.person == "Aleksandar Vucic"


def test_diacritics_insensitive_and_possessive():
    m = _m("Vučić's talks with Vucic's team; Serbia's stance.")
    assert m["surface"].tolist() == ["Vučić", "Vucic", "Serbia"]
    assert m["actor"].tolist() == ["SRBGOV", "SRBGOV", "SRB"]
    assert m["person"].tolist()[:2] == ["Aleksandar Vucic"] * 2
    # "Serbia" starts at 33 and ends before the apostrophe
    assert (int(m.start.iloc[2]), int(m.end.iloc[2])) == (33, 39)


@pytest.mark.parametrize(
    "date,code,office",
    [
        ("2010-01-01", "SRBELI", None),  # before 2012-07-27: not in government
        ("2015-06-01", "SRBGOV", "prime minister"),  # PM 2014-04-27 .. 2017-05-30
        ("2017-05-31", "SRBGOV", "president"),  # president from 2017-05-31 (inclusive)
        ("2024-10-20", "SRBGOV", "president"),
    ],
)
def test_dated_codes(date, code, office):
    g = load_gazetteer()
    assert g.code("Aleksandar Vucic", date) == code
    t = g.people["Aleksandar Vucic"]
    assert g.resolve(t, np.datetime64(date))[2] == office


def test_bloc_membership_dates():
    g = load_gazetteer()
    assert "NATO" in g.blocs("FIN", "2023-04-04").split(";")
    assert "NATO" not in g.blocs("FIN", "2023-04-03").split(";")
    assert "NATO" in g.blocs("SWE", "2024-03-07").split(";")
    assert "NATO" not in g.blocs("SWE", "2024-03-06").split(";")
    assert "EU" in g.blocs("HRV", "2013-07-01").split(";")
    assert "EU" not in g.blocs("HRV", "2013-06-30").split(";")
    assert "BRICS" in g.blocs("EGY", "2024-01-01").split(";")
    assert "BRICS" not in g.blocs("EGY", "2023-12-31").split(";")
    assert g.blocs("GBR", "2021-01-01") == "NATO;WST"  # left the EU 2020-01-31
    assert g.blocs("SRB", "2024-10-20") == ""  # candidate, not a member
    assert g.blocs("EU", "2024-10-20") == "WST"


def test_red_army_1944_coded_historically():
    text = (
        "The phone call was held on the 80th anniversary of the Red Army's liberation of "
        "Belgrade from German occupation in 1944."
    )
    m = _m(text, "2024-10-20").set_index("surface")
    # Red Army: the Soviet force (ISO 3166-3 SUN), never today's RUSMIL
    assert m.loc["Red Army", "actor"] == "SUNMIL"
    assert "ALLIES" in m.loc["Red Army", "blocs"]
    # German occupation in 1944: German military, an Axis power then
    assert m.loc["German occupation", "actor"] == "DEUMIL"
    assert m.loc["German occupation", "blocs"].split(";")[0] == "AXIS"
    # "liberation of Belgrade": the city as a place, not the Serbian government
    assert m.loc["Belgrade", "role"] == "LOC" and m.loc["Belgrade", "actor"] == "SRB"
    # the sentence names 1944 -> coded at 1944-07-01
    assert str(m.loc["Red Army", "ref_date"].date()) == "1944-07-01"


def test_metonym_actor_versus_place():
    m = _m(
        "Moscow warned Kiev. Talks were held in Moscow. Belgrade's stance is firm. "
        "The Belgrade Institute for Public Opinion polled."
    )
    assert m["actor"].tolist() == ["RUSGOV", "UKRGOV", "RUS", "SRBGOV", "SRB"]
    assert m["role"].astype(str).tolist() == ["GOV", "GOV", "LOC", "GOV", "LOC"]


def test_acronyms_are_case_sensitive():
    m = _m("Let us see what the US and the EU said; the eu-sceptics and turkey dinners.")
    assert m["actor"].tolist() == ["USA", "EU"]


def test_role_references_link_to_last_person():
    text = (
        "Serbian President Aleksandar Vucic spoke to Russian President Vladimir Putin. "
        "The Serbian leader thanked the Russian leader."
    )
    m = _m(text)
    refs = m[m["surface"].isin(["Serbian leader", "Russian leader"])]
    assert refs["person"].tolist() == ["Aleksandar Vucic", "Vladimir Putin"]
    assert refs["actor"].tolist() == ["SRBGOV", "RUSGOV"]


def test_pronoun_speakers_from_quotes():
    text = 'Vucic met Putin. He said "we are friends".'
    q = pd.DataFrame(
        {
            "doc_id": ["d"],
            "quote_id": [0],
            "sent_id": [1],
            "start": [26],
            "end": [41],
            "speaker": ["Aleksandar Vucic"],
            "speaker_surface": ["He"],
            "speaker_start": pd.array([17], dtype="Int64"),
            "speaker_end": pd.array([19], dtype="Int64"),
        }
    )
    sents = pd.DataFrame(
        {"doc_id": ["d", "d"], "sent_id": [0, 1], "start": [0, 17], "end": [16, 43]}
    )
    m = mentions(_docs(text), sentences=sents, quotes=q)
    he = m[m["surface"] == "He"].iloc[0]
    assert he.actor == "SRBGOV" and he.person == "Aleksandar Vucic" and int(he.sent_id) == 1
    out = actors_step(
        {"docs": _docs(text), "sentences": sents, "quotes": q}, gazetteer=None, extend=None
    )
    assert out["quotes"]["speaker_actor"].tolist() == ["SRBGOV"]
    assert "speaker_actor" not in q.columns  # input not mutated


def test_undated_document_uses_reference_date():
    g = load_gazetteer()
    m = _m("Zelensky spoke.", date=None)
    # reference date 2024-12-31: Zelensky in office since 2019-05-20
    assert str(g.reference_date) == "2024-12-31"
    assert m["actor"].tolist() == ["UKRGOV"]


def test_schema_and_empty():
    m = _m("Nothing to see here.")
    assert list(m.columns)[: len(MENTION_COLUMNS)] == list(MENTION_COLUMNS)
    assert len(m) == 0
    m2 = _m("Russia and Serbia.")
    assert list(m2.columns)[: len(MENTION_COLUMNS)] == list(MENTION_COLUMNS)
    assert m2["sent_id"].tolist() == [0, 0] and m2["voice"].astype(str).tolist() == ["author"] * 2


def test_voice_from_segments():
    text = 'Vucic said "Russia is a friend".'
    seg = pd.DataFrame(
        {
            "doc_id": ["d"] * 3,
            "start": [0, 12, 30],
            "end": [12, 30, 32],
            "voice": ["author", "quoted", "author"],
            "quote_id": pd.array([None, 0, None], dtype="Int64"),
        }
    )
    m = mentions(_docs(text), sentences=_one_sentence(text), segments=seg)
    assert m["voice"].astype(str).tolist() == ["author", "quoted"]


def test_extend_and_replace(tmp_path):
    ext = tmp_path / "ext.yaml"
    ext.write_text("fixed:\n  - {names: [Novi Sad], codes: [SRBGOV]}\n", encoding="utf-8")
    g = load_gazetteer(extend=ext)
    assert g.code("Novi Sad") == "SRBGOV" and g.code("Vucic", "2024-01-01") == "SRBGOV"
    own = tmp_path / "own.yaml"
    own.write_text("name: mine\ncountries:\n  AAA: {names: [Atlantis]}\n", encoding="utf-8")
    g2 = load_gazetteer(own)
    assert g2.code("Atlantis") == "AAA" and g2.code("Serbia") is None
    with pytest.raises(LexiconError, match="gazetteer"):
        load_gazetteer(tmp_path / "missing.yaml")


def test_dated_spec_parsing_and_errors():
    d = Dated.parse("SRBGOV 20140427-20170530")
    assert d.value == "SRBGOV" and str(d.lo) == "2014-04-27" and str(d.hi) == "2017-05-30"
    assert Dated.parse("USAGOV >20210120").covers(np.datetime64("2021-01-20"))
    assert not Dated.parse("USAGOV <20210120").covers(np.datetime64("2021-01-21"))
    with pytest.raises(ValueError, match="YYYYMMDD"):
        Dated.parse("SRBGOV after 2017")


def test_inputs_not_mutated():
    docs = _docs("Moscow warned Kiev.")
    sents = _one_sentence("Moscow warned Kiev.")
    before = (docs.copy(), sents.copy())
    mentions(docs, sentences=sents)
    pd.testing.assert_frame_equal(docs, before[0])
    pd.testing.assert_frame_equal(sents, before[1])


def test_seed_article_with_text_layer():
    text_mod = pytest.importorskip("framelens.text")
    text = SEED.read_text(encoding="utf-8")
    docs = _docs(text, doc_id="seed")
    tables = dict(text_mod.process(docs))
    tables["docs"] = docs
    out = actors_step(tables, gazetteer=None, extend=None)
    m = out["mentions"]
    first = m.iloc[3]
    assert first.surface == "Serbian President Aleksandar Vucic" and first.actor == "SRBGOV"
    # every Vucic reference (title + name, "Mr. Vucic", "The Serbian leader") is one person
    vu = m[m["person"] == "Aleksandar Vucic"]
    assert {"President Vucic", "Mr. Vucic", "Serbian leader"} <= set(vu["surface"])
    assert (vu["actor"] == "SRBGOV").all()
    # the 1944 sentence
    assert m.loc[m.surface == "Red Army", "actor"].tolist() == ["SUNMIL"]
    q = out["quotes"]
    said = q[q["speaker"].astype(str) == "Aleksandar Vucic"]
    assert len(said) and (said["speaker_actor"].astype(str) == "SRBGOV").all()


# ---------------------------------------------------------------- review fixes (issue 6)
def test_year_applies_to_its_clause_only():
    # "that" opens the clause holding "since 2013"; the sitting PM before it keeps the
    # document date (2024-02-27: Brnabic PM until 2024-03-19 -> SRBGOV).
    text = "Prime Minister Ana Brnabic pointed out that Vucic had kept every agreement since 2013."
    m = _m(text, "2024-02-27").set_index("surface")
    assert m.loc["Prime Minister Ana Brnabic", "actor"] == "SRBGOV"
    assert str(m.loc["Prime Minister Ana Brnabic", "ref_date"].date()) == "2024-02-27"
    # Vucic sits in the dated clause: coded at 2013-07-01, when he was first deputy PM
    assert str(m.loc["Vucic", "ref_date"].date()) == "2013-07-01"
    # clause span: from "that" (offset 39) to the end of the sentence (len 85)
    cd = actors.clause_dates(_one_sentence(text), {"d": np.datetime64("2024-02-27")})
    assert cd[["start", "end"]].values.tolist() == [[39, len(text)]]


def test_year_clause_spares_a_title_held_on_the_document_date():
    # the whole sentence is one clause dated 2010, but "President" is an office Vucic
    # holds on 2024-10-20 -> document date; bare "Putin" takes the clause date (2010:
    # prime minister, still RUSGOV).
    text = "In 2010 President Aleksandar Vucic met Putin."
    m = _m(text).set_index("surface")
    assert str(m.loc["President Aleksandar Vucic", "ref_date"].date()) == "2024-10-20"
    assert m.loc["President Aleksandar Vucic", "actor"] == "SRBGOV"
    assert str(m.loc["Putin", "ref_date"].date()) == "2010-07-01"
    # without a title Vucic is coded in 2010: not in office -> SRBELI
    assert _m("In 2010 Vucic met Putin.")["actor"].tolist() == ["SRBELI", "RUSGOV"]


@pytest.mark.parametrize(
    "name,date,code",
    [
        ("Emmanuel Macron", "2015-06-01", "FRAGOV"),  # economy minister 2014-08-26..2016-08-30
        ("Emmanuel Macron", "2016-12-01", "FRAELI"),  # out of government
        ("Emmanuel Macron", "2017-05-14", "FRAGOV"),  # president from 2017-05-14
        ("Ana Brnabic", "2024-03-19", "SRBGOV"),
        ("Ana Brnabic", "2024-03-20", "SRBLEG"),  # Speaker of the National Assembly
        ("Aleksandar Vulin", "2023-06-01", "SRBGOV"),  # BIA director
        ("Aleksandar Vulin", "2024-01-15", "SRBELI"),  # resigned Nov 2023
        ("Aleksandar Vulin", "2024-06-01", "SRBGOV"),  # deputy PM from 2024-05-02
        ("Aleksandar Vucic", "1999-03-24", "SRBGOV"),  # information minister 1998-2000
        ("Aleksandar Vucic", "2005-01-01", "SRBELI"),
        ("Ivica Dacic", "2021-06-01", "SRBLEG"),  # Speaker 2020-2022
        ("Ivica Dacic", "2023-06-01", "SRBGOV"),
        ("Miroslav Lajcak", "2024-02-27", "EU"),
        ("Oliver Varhelyi", "2023-11-14", "EU"),
        ("Alexander Botsan-Kharchenko", "2024-04-16", "RUSGOV"),
    ],
)
def test_gazetteer_dates_after_review(name, date, code):
    assert load_gazetteer().code(name, date) == code


def test_speaker_title_and_foreign_minister_reference():
    m = _m("Speaker Ana Brnabic met Ivica Dacic. The Serbian foreign minister left.", "2024-04-16")
    assert m["actor"].tolist() == ["SRBLEG", "SRBGOV", "SRBGOV"]
    # Dacic is foreign minister 2022-10-26..2024-05-01 -> the role reference links to him
    assert m["person"].tolist()[1:] == ["Ivica Dacic", "Ivica Dacic"]
    m2 = _m(
        "EU special envoy Miroslav Lajčák and Russian Ambassador Alexander "
        "Botsan-Kharchenko spoke.",
        "2024-02-27",
    )
    assert m2["actor"].tolist() == ["EU", "RUSGOV"]
    assert m2["surface"].tolist()[0] == "EU special envoy Miroslav Lajčák"


def test_speaker_actors_containment_and_institutions():
    text = (
        "European Commission President Ursula von der Leyen spoke. Western diplomats "
        "agreed. Russia's ambassador and the U.S. embassy disagreed."
    )
    docs = _docs(text, "2024-06-27")
    m = mentions(docs, sentences=_one_sentence(text))
    # speaker span 30..50 = "Ursula von der Leyen", inside the 0..50 mention
    spk = [
        "Ursula von der Leyen",
        "Western diplomats",
        "Russia's ambassador",
        "U.S. embassy",
        "Commission spokesperson",
        "Pavel Zorin",
    ]
    q = pd.DataFrame(
        {
            "doc_id": ["d"] * 6,
            "speaker": spk,
            "speaker_start": pd.array([30, None, None, None, None, None], dtype="Int64"),
            "speaker_end": pd.array([50, None, None, None, None, None], dtype="Int64"),
        }
    )
    got = actors.speaker_actors(q, docs, mentions=m).tolist()
    assert got[:5] == ["EU", "WST", "RUSGOV", "USAGOV", "EU"]
    assert pd.isna(got[5])  # unknown (invented) person stays unknown


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Serbia cannot join a customs union with Russia.", ["SRB", "RUS"]),  # lower case
        ("Serbia cannot join the Customs Union with Russia.", ["SRB", "EAEU", "RUS"]),
        ("Serbia's National Security Council met.", ["SRB"]),  # another body
        ("Russia's Security Council met.", ["RUS"]),  # possessive qualifier
        ("The Security Council met.", ["UN"]),  # sentence-initial
        ("Kosovo raised it at the UN Security Council.", ["XKX", "UN"]),
        ("Serbia left the EU Customs Union talks.", ["SRB", "EU"]),  # generic after a hit
        ("The Western European Union was dissolved.", []),  # another body (WEU)
        ("Serbia's European Union path.", ["SRB", "EU"]),  # possessive: still the EU
        ("The Soviet Red Army entered.", ["SUN", "SUNMIL"]),  # modifier is a gazetteer hit
        ("Members said the alliance would respond.", []),  # no NATO before
        ("NATO met. Members said the alliance would respond.", ["NATO", "NATO"]),
    ],
)
def test_capitalisation_and_qualifier_rules(text, expected):
    assert _m(text)["actor"].tolist() == expected


def test_gazetteer_built_once_per_content(tmp_path):
    # the same content, however reached, is one Gazetteer (one compiled automaton) per process
    from framelens.actors.gazetteer import BUILTIN_PATH

    ext = {"fixed": [{"names": ["Matignon"], "codes": ["FRAGOV"]}]}
    a = load_gazetteer(extend=ext)
    _ = a.automaton
    b = load_gazetteer(extend={"fixed": [{"names": ["Matignon"], "codes": ["FRAGOV"]}]})
    assert b is a
    copy = tmp_path / "gaz.yaml"
    copy.write_bytes(BUILTIN_PATH.read_bytes())
    assert load_gazetteer(copy) is load_gazetteer()
    copy.write_bytes(BUILTIN_PATH.read_bytes())  # re-saved, same content: still shared
    assert load_gazetteer(copy) is load_gazetteer()
    assert load_gazetteer(extend=ext).code("Matignon") == "FRAGOV"
