"""Each report's key result in words (issue 12): hand-built tables, hand-computed sentences."""

from __future__ import annotations

import pandas as pd

from framelens.report import findings

CAMPS = {"RUS": ["RUS"], "WST": ["WST"]}
NAMES = {"SRB": "Serbia", "RUS": "Russia", "WST": "the West"}


def _events(rows):
    cols = ["doc_id", "event_id", "source_root", "target_root", "source_blocs", "target_blocs",
            "weight", "historical"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def test_alignment_finding_names_the_group_with_most_events_and_its_index():
    # RT: 3 events: SRB->RUS +4, RUS->SRB +3, SRB->EU(WST) -1 => net_A 7, net_B -1,
    # gross 7 + 1 = 8, index (7 - -1) / 8 = 1.00; Y: one event SRB->EU +5 => -1.00
    ev = _events([
        ("a", 0, "SRB", "RUS", "", "", 4.0, False),
        ("a", 1, "RUS", "SRB", "", "", 3.0, False),
        ("b", 0, "SRB", "EU", "", "WST", -1.0, False),
        ("c", 0, "SRB", "EU", "", "WST", 5.0, False),
        ("c", 1, "SRB", "RUS", "", "", -2.0, True),  # historical: not counted
    ])  # fmt: skip
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["RT", "RT", "Y"]})
    got = findings.alignment_finding(ev, docs, by="outlet", focal="SRB", camps=CAMPS, names=NAMES)
    assert got == "RT: Serbia's alignment index 1.00 toward Russia (3 events)"
    # the other way round: index (0 - 5) / 5 = -1 toward the second camp
    got = findings.alignment_finding(
        ev[ev["doc_id"] == "c"], docs[docs["doc_id"] == "c"], by="outlet", focal="SRB",
        camps=CAMPS, names=NAMES,
    )  # fmt: skip
    assert got == "Y: Serbia's alignment index -1.00 toward the West (1 events)"


def test_alignment_finding_mixed_index_and_no_events():
    # SRB->RUS +4, SRB->EU +2: index (4 - 2) / (4 + 2) = 0.33 toward Russia
    ev = _events([("a", 0, "SRB", "RUS", "", "", 4.0, False),
                  ("a", 1, "SRB", "EU", "", "WST", 2.0, False)])  # fmt: skip
    docs = pd.DataFrame({"doc_id": ["a"], "outlet": ["RT"]})
    got = findings.alignment_finding(ev, docs, by="outlet", focal="SRB", camps=CAMPS, names=NAMES)
    assert got == "RT: Serbia's alignment index 0.33 toward Russia (2 events)"
    none = findings.alignment_finding(ev.iloc[:0], docs, by="outlet", focal="SRB", camps=CAMPS)
    assert none == "No relation event involves SRB and RUS or WST"


def test_actor_names_from_mentions():
    m = pd.DataFrame({"root": ["SRB"] * 3 + ["WST"], "person": ["", "", "Vucic", ""],
                      "surface": ["Serbia", "Belgrade", "Vucic", "the West"]})  # fmt: skip
    # Serbia / Belgrade tie at 1: alphabetical -> Belgrade; the person mention is left out
    assert findings.actor_names(m, ["SRB", "WST", "RUS"]) == {
        "SRB": "Belgrade", "WST": "the West", "RUS": "RUS"}  # fmt: skip


def test_framing_finding_most_frequent_primary_frame_per_group():
    s = pd.DataFrame({
        "doc_id": list("abcdef"), "scheme": ["policy"] * 5 + ["generic"],
        "primary_frame": ["economic", "economic", "morality", "none", "morality", "conflict"],
    })  # fmt: skip
    d = pd.DataFrame({"doc_id": list("abcdef"), "outlet": ["X", "X", "X", "Y", "Y", "Y"]})
    # X: 3 policy docs, economic 2; Y: 2 policy docs (d none, e morality) -> morality 1 of 2
    assert findings.framing_finding(s, d, by="outlet", scheme="policy") == (
        "Most frequent primary frame (policy): X Economic consequences (2 of 3 documents); "
        "Y Morality (1 of 2)"
    )


def test_neutrality_finding_pooled_author_rate():
    # X: cues 10*1000/1000 + 2*3000/1000 = 16 over 4000 words = 4.0; Y: 8 over 500 = 16.0
    p = pd.DataFrame({"doc_id": list("abc"), "tokens_author": [1000, 3000, 500],
                      "author_evaluative_rate": [10.0, 2.0, 16.0]})  # fmt: skip
    d = pd.DataFrame({"doc_id": list("abc"), "outlet": ["X", "X", "Y"]})
    assert findings.neutrality_finding(p, d, by="outlet") == (
        "Highest author-voice evaluative rate: Y, 16.0 per 1,000 author words "
        "(lowest: X, 4.0; 2 outlets)"
    )
    one = findings.neutrality_finding(p.iloc[:1], d.iloc[:1], by="outlet")
    assert one == "X: author-voice evaluative rate 10.0 per 1,000 author words"


def test_corpus_finding_counts_and_missing_groups():
    d = pd.DataFrame({"doc_id": list("abcd"), "outlet": ["X", "Y", "Y", None]})
    assert findings.corpus_finding(d, by="outlet") == (
        "4 documents from 2 outlets (1 without outlet)"
    )
    single = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "date": ["2024-02-03"]})
    assert findings.corpus_finding(single, by="outlet") == (
        "1 document from 1 outlet, dated 2024-02-03 to 2024-02-03"
    )


def test_article_finding_title_passages_and_named_speakers_without_pronouns():
    d = pd.DataFrame({"doc_id": ["a"], "title": ["Vucic talks to Putin"]})
    q = pd.DataFrame({
        "doc_id": ["a"] * 5,
        "kind": ["indirect", "partial", "direct", "direct", "indirect"],
        "start": [0, 10, 100, 200, 300], "end": [50, 20, 150, 250, 350],
        "speaker": ["Aleksandar Vucic", "Aleksandar Vucic", "Vladimir Putin", "they", None],
    })  # fmt: skip
    # passages: the partial inside the indirect quote (1), two directs (2) = 3
    assert findings.article_finding(d, q) == (
        '"Vucic talks to Putin": 3 quoted passages, 5 quotations; '
        "speakers: Aleksandar Vucic (2), Vladimir Putin (1)"
    )
    no_title = pd.DataFrame({"doc_id": ["a"], "title": [None]})
    assert findings.article_finding(no_title, q.iloc[:0]) == "a: 0 quoted passages, 0 quotations"


def test_validation_finding():
    ag = pd.DataFrame({"variable": ["bias", "tone"], "alpha": [0.8, 0.7], "alpha_lo": [0.5, 0.4],
                       "alpha_hi": [1.0, 0.9], "n_units": [16, 16]})  # fmt: skip
    ta = pd.DataFrame({"variable": ["bias", "tone"], "kappa_coders": [0.6, 0.5],
                       "kappa_tool": [0.7, 0.2]})  # fmt: skip
    assert findings.validation_finding(ag, ta) == (
        "bias: coders alpha 0.80 (95% CI 0.50 to 1.00, 16 units); framelens vs coders kappa "
        "0.70, as high as the coders' 0.60; tone: coders alpha 0.70 (95% CI 0.40 to 0.90, 16 "
        "units); framelens vs coders kappa 0.20, below the coders' 0.50"
    )
    assert findings.validation_finding(ag.iloc[:1], None).endswith("16 units)")
