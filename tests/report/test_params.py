"""framelens.report.params (the one notebook-parameter helper), the one verb mix of every
report, and reports reading the options the analysis recorded instead of recomputing.
Expected values are worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SAMPLE
from framelens.errors import ConfigError, FramelensError, WorkbookError
from framelens.pipeline import Analysis, Config
from framelens.report import corpus as vc
from framelens.report import framing as vf
from framelens.report import neutrality as vn
from framelens.report import params


def _docs():
    return pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "text": ["x", "y", "z", "w"],
            "outlet": ["X", "Y", "Y", None],
            "date": pd.to_datetime(["2024-01-05", "2024-02-10", "2024-03-01", None]),
        }
    )


def _alignment_analysis(focal="SRB", camps=None):
    camps = {"RUS": ["RUS"], "WST": ["WST"]} if camps is None else camps
    mentions = pd.DataFrame({"doc_id": ["a", "b"], "root": ["SRB", "RUS"]})
    cfg = Config(options={"alignment": {"focal": focal, "camps": camps}} if focal else {})
    return Analysis({"docs": _docs(), "mentions": mentions}, config=cfg)


# ----------------------------------------------------------------------------- select
def test_dates_select_inclusive_ranges_and_drop_undated_documents():
    an = Analysis({"docs": _docs()})
    assert params.select(an).doc_ids == ["a", "b", "c", "d"]  # no range: undated kept
    sel = params.select(an, date_from="2024-02-10", date_to="2024-03-01")
    assert sel.doc_ids == ["b", "c"] and sel.date_from == pd.Timestamp("2024-02-10")
    assert params.select(an, date_to="2024-01-31").doc_ids == ["a"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"date_from": "last spring"}, "date_from='last spring' is not a date"),
        ({"date_from": "2024-03-01", "date_to": "2024-01-01"}, "is after date_to"),
        ({"date_from": "2030-01-01"}, "no document is dated between"),
        ({"group_col": "region"}, "'region' is not a docs column"),
        ({"group_col": "text"}, "cannot be the text column"),
        ({"doc_id": "zz"}, "valid ids include: a, b, c, d"),
        ({"top_n": 0}, "top_n must be a positive integer"),
        ({"top_n": True}, "top_n must be a positive integer"),
    ],
)
def test_bad_parameters_name_the_parameter_and_the_fix(kwargs, message):
    with pytest.raises(WorkbookError, match=message):
        params.select(Analysis({"docs": _docs()}), **kwargs)


def test_errors_are_framelens_errors():
    assert issubclass(WorkbookError, FramelensError)


def test_table_and_view_restrict_every_table_to_the_selection():
    quotes = pd.DataFrame({"doc_id": ["a", "b", "c"], "verb_class": ["neutral"] * 3})
    an = Analysis({"docs": _docs(), "quotes": quotes})
    sel = params.select(an, group_col="outlet", date_from="2024-02-01")
    assert sel.table("quotes")["doc_id"].tolist() == ["b", "c"]
    view = sel.view()
    assert view.docs["doc_id"].tolist() == ["b", "c"] and len(view.quotes) == 2
    assert view.config == an.config
    with pytest.raises(WorkbookError, match="no table 'nope'"):
        sel.table("nope")


def test_scheme_must_be_one_the_analysis_ran():
    an = Analysis({"docs": _docs()}, config=Config(options={"framing": {"schemes": ["generic"]}}))
    sel = params.select(an, scheme="generic")
    assert sel.scheme == "generic" and sel.frames[:2] == ("responsibility", "human_interest")
    with pytest.raises(
        WorkbookError, match=r"'policy' was not analysed; choose one of \['generic'\]"
    ):
        params.select(an, scheme="policy")


def test_focal_actor_is_the_analysis_one_and_mentioned():
    sel = params.select(_alignment_analysis(), focal="SRB", camp_a="RUS", camp_b=["WST"])
    assert sel.focal == "SRB" and sel.camps == {"RUS": ["RUS"], "WST": ["WST"]}
    # "" = the analysis's focal actor and camps
    sel = params.select(_alignment_analysis(), focal="", camp_a="", camp_b="")
    assert sel.focal == "SRB" and sel.camps == {"RUS": ["RUS"], "WST": ["WST"]}
    # events complete one-sided cues with the analysis's focal actor: another one is wrong
    with pytest.raises(WorkbookError, match="not the focal actor the analysis coded events"):
        params.select(_alignment_analysis(), focal="RUS", camp_a="EU", camp_b="WST")
    # a focal actor the corpus never mentions is a note for the reader, not a failure
    sel = params.select(_alignment_analysis(focal="HUN"), focal="HUN", camp_a="RUS", camp_b="WST")
    assert sel.focal == "HUN" and sel.focal_mentioned is False
    assert "never mention the focal actor 'HUN'" in sel.notes[0] and "'SRB'" in sel.notes[0]
    assert params.select(_alignment_analysis(), focal="SRB", camp_a="RUS", camp_b="WST").notes == ()
    with pytest.raises(WorkbookError, match="not an actor root"):
        params.select(_alignment_analysis(), focal="ATLANTIS", camp_a="RUS", camp_b="WST")
    with pytest.raises(WorkbookError, match="no focal actor"):
        params.select(_alignment_analysis(focal=None), focal="", camp_a="RUS", camp_b="WST")
    with pytest.raises(WorkbookError, match="camp 'XX'"):
        params.select(_alignment_analysis(), focal="SRB", camp_a="XX", camp_b="WST")
    with pytest.raises(WorkbookError, match="must differ"):
        params.select(_alignment_analysis(), focal="SRB", camp_a="RUS", camp_b="RUS")


def test_step_options_are_the_recorded_ones():
    an = Analysis({}, config=Config(options={"framing": {"lead_sentences": 3}}))
    assert params.step_options(an, "framing")["lead_sentences"] == 3
    recorded = {"steps": {"framing": {"options": {"lead_sentences": 5}}}}
    assert params.step_options(Analysis({}, manifest=recorded), "framing") == {"lead_sentences": 5}
    with pytest.raises(ConfigError, match="did not run"):
        params.step_options(Analysis({}, config=Config(steps=[])), "framing")


# ------------------------------------------------------------------- notes = configuration
def test_weighting_note_shows_the_options_the_analysis_ran_with():
    # the note once read the defaults of doc_frames via inspect.signature: with
    # headline_weight 4 in the configuration it still said x2
    opts = {"headline_weight": 4.0, "lead_weight": 1.0, "lead_sentences": 3}
    note = vf.weighting_note(Analysis({}, config=Config(options={"framing": opts})))
    assert "weighted x4 and cues of the lead (3 sentences) x1 " in note
    default = vf.weighting_note(Analysis({}))
    d = Config().step_options("framing")
    assert f"x{d['headline_weight']:g} and cues of the lead ({d['lead_sentences']} " in default


def test_framing_section_reads_tables_and_never_recomputes():
    docs = _docs().head(1)
    an = Analysis({"docs": docs}, config=Config(steps=["framing"], sentiment=False))
    with pytest.raises(ValueError, match="no 'frame_docs' table"):
        vf.frame_profile(an, "a")


# ----------------------------------------------------------------------------- one verb mix
def _verb_tables():
    # doc a (X): an indirect quote with "noted" (endorsing) and a partial quote nested in
    # it that shares the verb (same verb_start) -> ONE endorsing verb; a "said" quote
    # (neutral); a quote without a verb class -> counted as neutral.
    # doc b (Y): one "claimed" (distancing).
    docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]})
    quotes = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "a", "b"],
            "verb_class": ["endorsing", "endorsing", "neutral", None, "distancing"],
            "verb_start": pd.array([3, 3, 40, None, 7], dtype="Int64"),
        }
    )
    return docs, quotes


def test_corpus_and_neutrality_reports_show_the_same_verb_mix():
    docs, quotes = _verb_tables()
    corpus_report = vc.verb_class_mix({"docs": docs, "quotes": quotes}, by="outlet")
    neutrality_report = vn.verb_mix_shares(quotes, docs, by="outlet").drop(columns="n_verbs")
    pd.testing.assert_frame_equal(corpus_report, neutrality_report)
    # X: 3 verbs (endorsing once, neutral, no class -> neutral): neutral 2/3, endorsing 1/3
    assert corpus_report.loc["X"].round(3).tolist() == [0.667, 0.333, 0.0, 0.0]
    assert corpus_report.loc["Y"].tolist() == [0.0, 0.0, 1.0, 0.0]


@pytest.mark.slow
def test_sample_rt_neutral_share_is_one_number_in_both_reports():
    # before: 0.579 in the corpus report (quotations, nested partial quotes counted again)
    # and 0.692 in the neutrality report (each reporting verb once); now 0.692 in both
    # (figures of the rule layer; with the learned model, the default, they agree too)
    import dataclasses

    import framelens.pipeline

    cfg = framelens.pipeline.Config.from_file(SAMPLE / "analysis.yaml")
    for attribution in ("rules", "model"):
        config = dataclasses.replace(cfg, attribution=attribution)
        an = framelens.pipeline.open_analysis(SAMPLE, config=config)
        corpus_report = vc.verb_class_mix(an, by="outlet").loc["RT", "neutral"]
        neutrality_report = vn.verb_mix_shares(an.quotes, an.docs, by="outlet").loc["RT", "neutral"]
        assert corpus_report == neutrality_report
        if attribution == "rules":
            assert round(float(corpus_report), 3) == 0.692
