"""Reports on a corpus without metadata: a folder of .txt files with no outlet and no
date (tests/report/fixtures/nometa, three short articles written for these tests).
Every section function of the corpus, framing, neutrality and alignment reports runs on
it; documents without a group form the group "(missing)"; comparisons that need two
groups or dates give a note; an absent focal actor gives a message, not empty figures."""

from __future__ import annotations

import html
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import framelens  # noqa: E402
from conftest import SAMPLE  # noqa: E402
from framelens.measures import alignment as al  # noqa: E402
from framelens.measures import framing  # noqa: E402
from framelens.pipeline import Config  # noqa: E402
from framelens.report import alignment as va  # noqa: E402
from framelens.report import corpus as vc  # noqa: E402
from framelens.report import framing as vf  # noqa: E402
from framelens.report import framing_compare as vfc  # noqa: E402
from framelens.report import neutrality as vn  # noqa: E402
from framelens.report import params  # noqa: E402

HERE = Path(__file__).parent / "fixtures"
NOMETA = HERE / "nometa"
MISSING = "(missing)"


def _analyze(config: Path):
    corpus = framelens.load_corpus(NOMETA)
    return framelens.analyze(corpus, config=Config.from_file(config))


@pytest.fixture(scope="module")
def an():
    return _analyze(SAMPLE / "analysis.yaml")  # focal Serbia, camps Russia and the West


@pytest.fixture(scope="module")
def an_hun():
    return _analyze(HERE / "focal_hun.yaml")  # focal Hungary: never mentioned


def _labels(ax, axis="y"):
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


def _kinds(parts):
    return ["figure" if isinstance(p, Figure) else "html" for p in parts]


def test_the_fixture_has_no_metadata(an):
    assert an.docs["outlet"].isna().all() and an.docs["date"].isna().all()


def test_select_puts_every_document_in_the_missing_group_with_a_note(an):
    sel = params.select(an, group_col="outlet")
    assert set(sel.docs["outlet"]) == {MISSING}
    assert "No document has a value in 'outlet'" in sel.notes[0]
    assert set(sel.table("docs")["outlet"]) == {MISSING}  # the selection's docs everywhere
    # a standard docs column a corpus lacks is a missing group too; a misspelt one an error
    no_outlet = framelens.pipeline.Analysis({"docs": an.docs.drop(columns=["outlet"])})
    assert set(params.select(no_outlet, group_col="outlet").docs["outlet"]) == {MISSING}
    with pytest.raises(framelens.errors.WorkbookError, match="'outlte' is not a docs column"):
        params.select(an, group_col="outlte")


def test_corpus_report_sections(an):
    sel = params.select(an, group_col="outlet")
    docs = vc.doc_table(sel.docs, an.sentences)
    parts = vc.docs_over_time(docs, by="outlet")
    assert _kinds(parts) == ["html", "html"] and "No document has a date" in parts[1]
    assert _labels(vc.plot_lengths(docs, by="outlet")) == [MISSING]
    assert vc.length_table(docs, by="outlet").index.tolist() == [MISSING]
    assert vc.quoting_habits(an, by="outlet").index.tolist() == [MISSING]
    assert vc.corpus_figures(an, by="outlet")["outlet values"] == 1
    assert vc.verb_class_mix(an, by="outlet").index.tolist() == [MISSING]
    plt.close("all")


def test_framing_report_sections(an):
    sel = params.select(an, scheme="policy", group_col="outlet")
    fd = sel.table("frame_docs")
    fd = fd[fd["scheme"].astype(str) == "policy"]
    summary = sel.table("frame_summary")
    # one group: no keyness against nothing, a note instead (was an IndexError)
    parts = vfc.keyness_parts(sel.docs, by="outlet")
    assert _kinds(parts) == ["html"] and "at least two groups" in parts[0]
    parts = vfc.frames_over_time_parts(fd, sel.docs, scheme="policy")
    assert _kinds(parts) == ["html"] and "No document has a date" in parts[0]
    cmp = framing.frame_by_group(fd, sel.docs, by="outlet", scheme="policy", measure="present")
    assert _labels(vf.plot_frame_heatmap(cmp)) == [MISSING]
    ax = vf.plot_primary_frames(summary, sel.docs, scheme="policy", by="outlet")
    assert _labels(ax) == [f"{MISSING} (n=3)"]
    plt.close("all")


def test_keyness_with_two_groups_is_a_table(an):
    docs = an.docs.assign(outlet=["A", "B", "B"])
    parts = vfc.keyness_parts(docs, by="outlet", min_count=1)
    assert "Key words of B (vs. the rest)" in parts[0]


def test_neutrality_report_sections(an):
    sel = params.select(an, group_col="outlet")
    docs = sel.docs
    ax = vn.plot_author_cues(sel.table("cue_rates"), docs, by="outlet")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [MISSING]
    assert _labels(vn.plot_voice_evaluation(sel.table("cue_rates"), docs, by="outlet"), "x") == [
        MISSING
    ]
    assert _labels(vn.plot_verb_mix(sel.table("quotes"), an.docs, by="outlet"))[0].startswith(
        MISSING
    )
    vn.plot_sourcing(sel.table("sources"), an.docs, by="outlet")
    vn.plot_neutrality_speakers(sel.table("neutrality_statements"), an.docs, by="outlet")
    plt.close("all")


def _alignment_selection(an, **kw):
    kw = {"focal": "", "camp_a": "RUS", "camp_b": "WST", "group_col": "outlet", **kw}
    return params.select(an, **kw)


def test_alignment_report_sections(an):
    sel = _alignment_selection(an)
    assert sel.focal == "SRB" and sel.focal_mentioned
    parts = va.alignment_by_group(sel)  # was "'float' object has no attribute 'split'"
    assert _kinds(parts) == ["figure", "html"] and MISSING in parts[1]
    parts = va.alignment_over_time(sel)
    assert _kinds(parts) == ["html"] and "No document has a date" in parts[0]
    assert _kinds(va.focal_relations(sel)) == ["html"]
    tone = sel.table("mention_tone")
    ax = va.plot_actor_tone(tone, sel.docs, by="outlet", actors=va.tone_actors(tone, first=["SRB"]))
    shown = _labels(ax, "x")
    assert shown[0] == "SRB" and "RUS" in shown and "IRN" in shown  # the corpus's own actors
    assert _labels(ax) == [MISSING]
    ax = va.plot_salience(an.mentions, an.docs, by="outlet")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [MISSING]
    plt.close("all")


def test_alignment_camps_given_as_lists(an):
    sel = _alignment_selection(an, camp_a=["RUS", "BLR"], camp_b=["WST"])
    assert sel.camps == {"RUS+BLR": ["RUS", "BLR"], "WST": ["WST"]}
    parts = va.alignment_by_group(sel)
    assert _kinds(parts) == ["figure", "html"] and "RUS+BLR" in parts[1]
    a = al.alignment_index(sel.table("events"), focal="SRB", camps=sel.camps, docs=sel.docs)
    assert set(a["camp"]) == {"RUS+BLR", "WST"}
    plt.close("all")


def test_an_absent_focal_actor_gets_a_message_not_empty_figures(an_hun):
    sel = _alignment_selection(an_hun)
    assert sel.focal == "HUN" and sel.focal_mentioned is False
    for parts in (va.alignment_by_group(sel), va.alignment_over_time(sel), va.focal_relations(sel)):
        assert _kinds(parts) == ["html"]
        text = html.unescape(parts[0])
        assert "never mention the focal actor 'HUN'" in text and "'RUS'" in text


def test_article_sections_run_on_a_document_without_metadata(an):
    one = params.select(an, doc_id="n1").view()
    for section in (vf.article_section, vn.article_section, va.article_section):
        assert "<section" in section(one, "n1").data
