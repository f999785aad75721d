"""analyze_to: a corpus analysed batch by batch into its folder equals analyze's tables."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from conftest import ROOT, SAMPLE
from framelens import load_corpus
from framelens.pipeline import Analysis, Config, analyze, analyze_to

CONFIG = {
    "batch_size": 7,
    "options": {"alignment": {"focal": "SRB", "camps": {"RUS": ["RUS"], "WST": ["WST"]}}},
}


def _assert_same(streamed: Analysis, memory: Analysis):
    assert set(streamed.tables) == set(memory.tables)
    for name in memory.tables:
        got = streamed.tables[name].reset_index(drop=True)
        want = memory.tables[name].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=name)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpusgen

    path = tmp_path_factory.mktemp("gen") / "c.jsonl"
    gen = corpusgen.CorpusGen(7)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(40):
            fh.write(corpusgen.json.dumps(gen.document(i)) + "\n")
    return path


@pytest.mark.parametrize("which", ["sample", "synthetic"])
def test_streamed_tables_equal_analyze(tmp_path, which, synthetic):
    source = SAMPLE if which == "sample" else synthetic
    config = Config.from_dict(CONFIG)
    streamed = analyze_to(tmp_path / "an", source, config, progress=False)
    memory = analyze(load_corpus(source), config, use_cache=False, progress=False)
    loaded = Analysis.load(tmp_path / "an")
    assert not loaded.tables.is_loaded("quotes")  # opened lazily
    _assert_same(loaded, memory)
    assert len(loaded.docs) == len(memory.docs) and streamed.manifest["corpus"]["streamed"]
    n_parts = -(-len(memory.docs) // 7)
    docs_parts = [f for f in loaded.manifest["files"] if f.startswith("docs/")]
    assert len(docs_parts) == n_parts


@pytest.mark.parametrize("fmt", ["csv", "tsv", "parquet", "txt"])
def test_streamed_tables_equal_analyze_for_each_format(tmp_path, synthetic, fmt):
    """Each format is read in batches (CSV / TSV from byte offsets, .txt in batches of
    files) and the tables equal the in-memory analysis of load_corpus's corpus."""
    docs = pd.read_json(synthetic, lines=True, dtype={"doc_id": str, "date": str})
    docs.loc[3, "text"] = docs.loc[3, "text"].replace(". ", ".\n", 2)  # newlines in a record
    if fmt == "txt":
        source = tmp_path / "folder"
        source.mkdir()
        for rec in docs.to_dict("records"):
            head = f"---\noutlet: {rec['outlet']}\ndate: '{rec['date']}'\n---\n"
            (source / f"{rec['doc_id']}.txt").write_text(head + rec["text"], encoding="utf-8")
    else:
        source = tmp_path / f"c.{fmt}"
        if fmt == "parquet":
            docs.to_parquet(source, row_group_size=5)
        else:
            docs.to_csv(source, sep="," if fmt == "csv" else "\t", index=False)
    config = Config.from_dict(CONFIG)
    analyze_to(tmp_path / "an", source, config, progress=False)
    memory = analyze(load_corpus(source), config, use_cache=False, progress=False)
    loaded = Analysis.load(tmp_path / "an")
    _assert_same(loaded, memory)
    assert len([f for f in loaded.manifest["files"] if f.startswith("docs/")]) == 6


def test_same_key_is_reused_and_a_change_recomputes(tmp_path, synthetic):
    config = Config.from_dict({**CONFIG, "sentiment": False, "steps": ["actors"]})
    first = analyze_to(tmp_path / "an", synthetic, config, progress=False)
    again = analyze_to(tmp_path / "an", synthetic, config, progress=False)
    assert again.manifest["key"] == first.manifest["key"]
    assert again.manifest["seconds"] == first.manifest["seconds"]  # loaded, not recomputed
    other = analyze_to(tmp_path / "an", synthetic, config, progress=False, text_col="title")
    assert other.manifest["key"] != first.manifest["key"]


def test_warm_streams_into_the_folder_open_analysis_opens(tmp_path, synthetic, monkeypatch):
    """framelens run: the runner analyses the corpus batch by batch into its cache folder
    and the notebooks' open_analysis opens that folder lazily; neither loads the corpus."""
    import framelens.corpus
    from framelens.pipeline import cache_folder, open_analysis
    from framelens.runner.warm import warm

    def no_load(*a, **k):
        raise AssertionError("the whole corpus was loaded")

    monkeypatch.setattr(framelens.corpus, "load_corpus", no_load)
    config = tmp_path / "analysis.yaml"
    config.write_text("batch_size: 7\nsentiment: false\nsteps: [actors]\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert warm([(str(synthetic), str(config))], None, cache_dir=cache, progress=False) == {}
    folder = cache_folder(synthetic, str(config), cache_dir=cache)
    first = Analysis.load(folder)
    assert first.manifest["corpus"]["streamed"] and len(first.manifest["files"]) > 10
    an = open_analysis(str(synthetic), config=str(config), cache_dir=cache)
    assert an.manifest["seconds"] == first.manifest["seconds"]  # opened, not recomputed
    assert not an.tables.is_loaded("mentions") and len(an.docs) == 40


def test_every_table_is_the_same_for_any_batch_size(synthetic):
    """Batches are consecutive slices: per-batch tables (frames too) concatenate to the
    table of one batch, so the cache key can leave the batch size out."""
    docs = load_corpus(synthetic).docs
    small = analyze(docs, Config.from_dict(CONFIG), use_cache=False, progress=False)
    one = analyze(
        docs, Config.from_dict({**CONFIG, "batch_size": 1000}), use_cache=False, progress=False
    )
    _assert_same(small, one)
