"""Relation coding on real-sentence shapes: actors from the cue's own phrase, reversal
verbs, shared history, and the coding-confidence column (docs/methods/alignment.md).

Goldstein weights (relations.yaml `cameo` block): 057 sign agreement +8.0, 16 reduce
relations -4.0, 18 assault -9.0, 19 fight -10.0. Every sentence is written here.
Confidence = min(source score, target score) x 0.8 when negated / refused / reversed;
a role from the cue's own phrase scores 1.0, "its / their" resolved 0.8, an actor the
clause assigns to the cue by word gap: <= 1 word 0.9, <= 3 0.8, <= 8 0.6, else 0.5.
"""

from __future__ import annotations

import pytest

from framelens.measures.alignment import EVENT_COLUMNS, analyze_text

CASE = {"focal": "SRB", "camps": {"RUS": ["RUS"], "WST": ["WST"]}, "date": "2024-10-20"}


def _ev(text):
    return analyze_text(text, **CASE)["events"]


def _rows(ev):
    return [
        (r.source_root, r.target_root, r.cameo, r.weight, bool(r.directed), r.confidence)
        for r in ev.itertuples()
    ]


def test_contract_has_confidence_and_reversal():
    assert EVENT_COLUMNS["confidence"] == "float64" and EVENT_COLUMNS["reversal"] == "bool"
    ev = _ev("Serbia thanked Russia.")
    assert list(ev.columns) == list(EVENT_COLUMNS)
    assert ((ev["confidence"] >= 0) & (ev["confidence"] <= 1)).all()


# --- 1. source and target from the cue's own phrase ----------------------------------


def test_war_of_aggression_against_y_takes_its_antecedent_not_the_sentence_subject():
    # was: Belgrade -> Ukraine "aggression" -10 (the sentence's first actor)
    ev = _ev(
        "The EU told Belgrade that a candidate must back sanctions against Russia "
        "for its brutal war of aggression against Ukraine."
    )
    war = ev[ev.cue == "war of aggression"]
    # "its" -> Russia (0.8), "against Ukraine" in the phrase (1.0): min = 0.8
    assert _rows(war) == [("RUS", "UKR", "19", -10.0, True, 0.8)]
    assert not (ev.cue == "aggression").any()  # one cue, not war + aggression


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # X's <cue> of Y: both in the phrase -> 1.0
        ("Officials recalled Russia's invasion of Ukraine.", ("RUS", "UKR", "19", -10.0)),
        # the war of X against Y: of = source, against = target
        ("Many recall the war of Russia against Ukraine.", ("RUS", "UKR", "19", -10.0)),
        # <cue> against Y with the subject right before the cue
        ("Russia waged war against Ukraine.", ("RUS", "UKR", "19", -10.0)),
    ],
)
def test_phrase_roles_generalise(text, expected):
    ev = _ev(text)
    assert [r[:5] for r in _rows(ev)] == [(*expected, True)]  # directed, from the phrase
    assert ev.iloc[0].confidence >= 0.8


def test_adjectival_source_does_not_pair_with_an_actor_outside_its_scope():
    # was: Russia -> Serbia "bombs" -9 (the fronted "For ...," phrase is its own scope)
    ev = _ev(
        "For Ukrainians who live under Russian bombs every night, Serbia's neutral "
        "stance looks cold."
    )
    # source "Russian" premodifies the cue (1.0); target: Ukrainians, 4 words away (0.6)
    assert _rows(ev) == [("RUS", "UKR", "18", -9.0, True, 0.6)]
    assert ev.iloc[0].target == "UKRCVL"


def test_possessive_owner_of_the_conflict_is_the_source_even_with_the_focal_named():
    ev = _ev("Serbia abstained, but Russia's attack on Ukraine continued.")
    assert [r[:4] for r in _rows(ev)] == [("RUS", "UKR", "18", -9.0)]


def test_liberation_of_y_without_from_is_no_conflict_with_the_liberated():
    # "liberation of Belgrade" alone: no -10 event between liberator and liberated (a guard)
    assert len(_ev("Moscow's liberation of Serbia is remembered.")) == 0
    # with "from Z": the liberator against Z, both in the phrase
    ev = _ev("The Red Army's liberation of Belgrade from German occupation is remembered.")
    assert _rows(ev) == [("SUN", "DEU", "19", -10.0, True, 1.0)]


# --- 2. reversal verbs ----------------------------------------------------------------


def test_reneged_on_the_treaty_is_reduce_relations_not_cooperation():
    # was: USA -> IRN "treaty" 057 +8.0
    ev = _ev("The United States reneged on the nuclear treaty with Iran in 2018.")
    r = ev.iloc[0]
    # 16 reduce relations -4.0 (quad 4); cue spans the verb; roles in the phrase (1.0)
    # x 0.8 for the reversal = 0.8
    assert _rows(ev) == [("USA", "IRN", "16", -4.0, True, 0.8)]
    assert r.cue == "reneged on the nuclear treaty" and r.quad_class == 4
    assert bool(r.reversal) and not bool(r.negated)


@pytest.mark.parametrize(
    "verb",
    ["withdrew from", "pulled out of", "scrapped", "abandoned", "tore up", "suspended"],
)
def test_reversal_verbs_generalise(verb):
    ev = _ev(f"The United States {verb} the treaty with Iran.")
    assert [r[:4] for r in _rows(ev)] == [("USA", "IRN", "16", -4.0)]
    # one event: "withdrew" (08 yield) / "suspended" (16) are absorbed into the reversal
    assert ev["reversal"].all() and ev.iloc[0].cue.startswith(verb.split()[0])


def test_negated_reversal_keeps_the_cooperation():
    ev = _ev("The United States did not withdraw from the treaty with Iran.")
    # treaty 057 +8.0 stands; no 08 "withdraw" event; Iran right after "with" (0.9)...
    # the source is 6 words before the cue (0.6): min = 0.6, no polarity change
    assert _rows(ev) == [("USA", "IRN", "057", 8.0, True, 0.6)]
    assert not ev["reversal"].any() and not ev["negated"].any()


def test_quite_is_not_quit():
    ev = _ev("Serbia signed a quite modest treaty with Russia.")
    assert not ev["reversal"].any() and (ev["weight"] > 0).all()


# --- 3. shared history ----------------------------------------------------------------


def test_shared_struggle_is_not_bilateral_conflict():
    # was: Serbia - Russia "wars" -10
    ev = _ev(
        "The bond between Serbia and Russia is rooted in centuries of shared faith and "
        "struggle, from the wars of liberation to the present."
    )
    assert len(ev) == 0


@pytest.mark.parametrize(
    "text",
    [
        "Serbia and Russia fought together in two world wars.",
        "Serbs and Russians fought side by side in the war.",
        "Serbia and Russia share a common history of battles.",
    ],
)
def test_shared_history_generalises(text):
    ev = _ev(text)
    assert (ev["weight"] >= 0).all()


def test_shared_history_keeps_conflict_with_the_common_enemy():
    ev = _ev("Serbia and Russia fought together against Germany.")
    # "against Germany" is the phrase target (1.0); sources: the partners before the cue
    pairs = sorted(r[:4] for r in _rows(ev))
    assert ("SRB", "RUS") not in {p[:2] for p in pairs}
    assert ("RUS", "DEU", "19", -10.0) in pairs


# --- 4. confidence --------------------------------------------------------------------


def test_confidence_rule_hand_computed():
    # directed cooperation, both actors adjacent to the cue (0 words): 0.9
    assert _rows(_ev("Serbia thanked Russia."))[0][-1] == 0.9
    # negated: 16 -4.0 -> +2.0; Serbia 3 words before ("did not join the" -> 0.8 ... the
    # cue "join the sanctions" starts after "did not"), Russia after "against" (1 word)
    ev = _ev("Serbia did not join the sanctions against Russia.")
    r = ev.iloc[0]
    assert (r.cameo, r.weight, bool(r.negated)) == ("16", 2.0, True)
    assert r.confidence == pytest.approx(min(0.8, 0.9) * 0.8)


# --- 5. the reported clause gives the cue its actors, not the speaker's span ----------


def test_speaker_of_an_evidential_is_not_an_actor_of_the_reported_clause():
    # was: RUS -> SRB threatened too ("Lavrov, the United States" read as a list)
    ev = _ev("According to Lavrov, the United States threatened Serbia with sanctions.")
    # 13 threaten -6.0; "the United States" right before the cue (gap 0: 0.9) ... the
    # phrase rule names both sides of a conflict cue: 1.0
    assert _rows(ev) == [("USA", "SRB", "13", -6.0, True, 1.0)]


def _events_with(text, quotes):
    """events() over one sentence with a hand-made attribution table."""
    import pandas as pd

    from framelens.measures.alignment import events

    r = analyze_text(text, **CASE)
    q = pd.DataFrame(
        {
            "doc_id": ["t0"] * len(quotes),
            "start": [text.index(c) for c, _ in quotes],
            "end": [text.index(c) + len(c) for c, _ in quotes],
            "speaker_start": pd.array([text.index(s) for _, s in quotes], dtype="Int64"),
            "speaker_end": pd.array([text.index(s) + len(s) for _, s in quotes], dtype="Int64"),
        }
    )
    return events(
        r["docs"], sentences=r["sentences"], mentions=r["mentions"], quotes=q, focal="SRB"
    )


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        # the content names both sides, one before the cue: the speaker is barred
        # (without the rule: also USA -> RUS, the tag's "Moscow" as a second target)
        (
            "Washington pressured Belgrade, Moscow's envoy said.",
            ("Washington pressured Belgrade", "Moscow's envoy"),
            {("USA", "SRB")},
        ),
        # a mid-sentence tag inside the content (without the rule: also RUS -> SRB)
        (
            "Washington, Moscow's envoy said, pressured Belgrade.",
            ("Washington, Moscow's envoy said, pressured Belgrade", "Moscow's envoy"),
            {("USA", "SRB")},
        ),
        # a pronoun before the cue refers to the speaker: the speaker stays
        (
            "Vucic said he and Moscow would never sanction Russia's ally Belarus.",
            ("he and Moscow would never sanction Russia's ally Belarus", "Vucic"),
            None,
        ),
        # no actor of the content before the cue: the speaker is the implicit subject
        (
            "Vucic said the talks with Putin and Zelensky ended early.",
            ("the talks with Putin and Zelensky ended early", "Vucic"),
            None,
        ),
    ],
)
def test_reported_clause_rule_on_hand_made_attributions(text, quote, expected):
    with_q = _events_with(text, [quote])
    without = _events_with(text, [])
    pairs = {(r.source_root, r.target_root) for r in with_q.itertuples()}
    if expected is None:  # the rule does not apply: the same events as without it
        assert with_q.drop(columns="event_id").equals(without.drop(columns="event_id"))
    else:
        assert pairs == expected
        assert {(r.source_root, r.target_root) for r in without.itertuples()} != expected
