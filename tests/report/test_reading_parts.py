"""Reports over an analysis on disk read chosen columns, documents and parts: the
part-by-part figures equal the one-pass figures over the tables in memory."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import framelens
from conftest import SAMPLE
from framelens.measures import framing
from framelens.measures import neutrality as nt
from framelens.pipeline import Analysis, Config
from framelens.report import attributed, framing_terms, params, verb_mix
from framelens.report import corpus as vc


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    # the sample in batches of 7 documents: a saved analysis of several parts
    cfg = dataclasses.replace(Config.from_file(SAMPLE / "analysis.yaml"), batch_size=7)
    an = framelens.analyze(framelens.load_corpus(SAMPLE), config=cfg, use_cache=False)
    out = tmp_path_factory.mktemp("parts") / "an"
    an.save(out)
    back = Analysis.load(out)
    assert len(list(back.iter_parts("quotes"))) > 1
    return an, back


@pytest.mark.parametrize("whole", [True, False])
def test_part_by_part_sections_equal_one_pass(both, whole):
    an, back = both
    kw = {} if whole else {"date_from": "2024-03-01"}
    mem, disk = (params.select(a, group_col="outlet", **kw) for a in (an, back))
    assert disk.whole is whole and disk.doc_ids == mem.doc_ids
    docs = mem.docs
    ids = set(mem.doc_ids)
    quotes = an.quotes[an.quotes["doc_id"].astype(str).isin(ids)]
    matches = an.matches[an.matches["doc_id"].astype(str).isin(ids)]
    segments = an.segments[an.segments["doc_id"].astype(str).isin(ids)]
    pd.testing.assert_frame_equal(
        framing_terms.cue_terms_of(disk, scheme="policy", n=5),
        framing.cue_terms(matches, scheme="policy", docs=docs, n=5),
    )
    for speaker_by in (None, "camp"):
        pd.testing.assert_frame_equal(
            verb_mix.verb_mix_of(disk, speaker_by=speaker_by),
            nt.group_verb_mix(quotes, docs, by="outlet", speaker_by=speaker_by),
        )
    pd.testing.assert_frame_equal(
        attributed.attributed_share_of(disk),
        attributed.attributed_share(segments, docs, by="outlet"),
    )
    frame = str(matches.loc[matches["lexicon"].astype(str) == "policy", "category"].iloc[0])
    rows, total = framing_terms.kwic_of(disk, frame, lexicon="policy", n=3)
    every = framing.kwic(docs, frame, pattern_type="category", matches=matches, lexicon="policy")
    assert total == len(every)
    pd.testing.assert_frame_equal(rows, every.head(3).reset_index(drop=True))
    assert not back.tables.is_loaded("matches") and not back.tables.is_loaded("quotes")


def test_corpus_figures_from_parts_equal_the_tables_in_memory(both):
    an, back = both
    assert vc.corpus_figures(back, by="outlet") == vc.corpus_figures(an.tables, by="outlet")
    pd.testing.assert_frame_equal(
        vc.verb_class_mix(back, by="outlet"), vc.verb_class_mix(an.tables, by="outlet")
    )
