"""The pipeline: batching, caching by content hash, determinism, save/load, engines."""

import pandas as pd
import pytest

import framelens
from framelens.errors import ConfigError
from framelens.pipeline import Analysis, Config, analysis_key, analyze

DOCS = pd.DataFrame(
    {
        "doc_id": ["a", "b", "c"],
        "text": [
            "President Aleksandar Vucic said that Serbia would not join the sanctions. "
            '"We are a neutral country," he told reporters in Belgrade.',
            "The European Union demanded that Belgrade align its foreign policy. "
            "According to Brussels, the talks will continue.",
            "Gas prices rose sharply in Serbia this winter.",
        ],
        "outlet": ["X", "Y", "X"],
        "date": ["2024-10-20", "2024-10-21", "2024-10-22"],
    }
)

BASE = Config(sentiment=False, steps=(), batch_size=2)


def _frames_equal(a: Analysis, b: Analysis):
    assert set(a.tables) == set(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(
            a.tables[name].reset_index(drop=True),
            b.tables[name].reset_index(drop=True),
            obj=name,
        )


def test_config_rejects_values_of_the_wrong_type():
    with pytest.raises(ValueError, match="list of names"):
        Config(lexicons="policy")
    with pytest.raises(ValueError, match="true or false"):
        Config(sentiment="false")
    with pytest.raises(ValueError, match="options"):
        Config(options={"framing": 2})


def test_cached_analysis_equals_fresh_one_including_dtypes(tmp_path):
    full = Config(sentiment=True, batch_size=2)
    fresh = analyze(DOCS, full, cache_dir=tmp_path)
    cached = analyze(DOCS, full, cache_dir=tmp_path)
    _frames_equal(fresh, cached)
    assert "reporting_verbs" in fresh.manifest["lexicons"]


def test_config_validation():
    with pytest.raises(ConfigError, match="unknown step 'nonsense'; valid steps: actors"):
        Config(steps=("framing", "nonsense"))
    with pytest.raises(ValueError, match="valid keys"):
        Config.from_dict({"sentimnet": False})
    with pytest.raises(ConfigError, match="requires the table 'mentions'.*add 'actors'"):
        Config(steps=("alignment",))
    assert (
        Config(batch_size=5).hash == Config(batch_size=50).hash
    )  # batching doesn't change results


def test_config_from_file(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("sentiment: false\nsteps: []\n")
    assert Config.from_file(p) == Config(sentiment=False, steps=())
    p.write_text("- not a mapping\n")
    with pytest.raises(ValueError, match="mapping"):
        Config.from_file(p)


def test_analyze_base_tables_are_keyed_and_in_batches(tmp_path):
    an = analyze(DOCS, BASE, cache_dir=tmp_path)
    assert len(an.docs) == 3
    assert set(an.sentences["doc_id"].astype(str)) == {"a", "b", "c"}
    # every sentence span is the sentence text
    docs = dict(zip(an.docs["doc_id"].astype(str), an.docs["text"].astype(str)))
    for row in an.sentences.itertuples():
        assert docs[row.doc_id][row.start : row.end] == row.text
    for row in an.matches.itertuples():
        assert 0 <= row.start < row.end <= len(docs[row.doc_id])
    # the quote in doc a is attributed
    qa = an.quotes[an.quotes["doc_id"].astype(str) == "a"]
    assert len(qa) >= 1


def test_batch_size_does_not_change_results(tmp_path):
    a = analyze(DOCS, BASE, use_cache=False)
    b = analyze(DOCS, Config(sentiment=False, steps=(), batch_size=100), use_cache=False)
    _frames_equal(a, b)


def test_deterministic_and_cached(tmp_path):
    first = analyze(DOCS, BASE, cache_dir=tmp_path)
    key = first.manifest["key"]
    assert (tmp_path / key / "manifest.json").exists()
    again = analyze(DOCS, BASE, cache_dir=tmp_path)
    assert again.manifest["key"] == key
    _frames_equal(first, again)
    fresh = analyze(DOCS, BASE, use_cache=False)
    _frames_equal(first, fresh)


def test_cache_key_changes_with_content_and_config():
    k = analysis_key(DOCS, BASE)
    changed = DOCS.assign(text=DOCS["text"].str.replace("Gas", "Oil"))
    assert analysis_key(changed, BASE) != k
    assert analysis_key(DOCS, Config(sentiment=True, steps=())) != k
    assert analysis_key(DOCS.copy(), BASE) == k


def test_save_load_roundtrip(tmp_path):
    an = analyze(DOCS, BASE, use_cache=False)
    an.save(tmp_path / "out")
    back = Analysis.load(tmp_path / "out")
    _frames_equal(an, back)
    assert back.config == BASE
    assert back.manifest["tables"]["docs"] == 3


def test_doc_view_and_errors(tmp_path):
    an = analyze(DOCS, BASE, use_cache=False)
    one = an.doc("b")
    assert set(one.sentences["doc_id"].astype(str)) == {"b"}
    with pytest.raises(KeyError, match="not in this analysis"):
        an.doc("zzz")
    with pytest.raises(AttributeError, match="tables:"):
        _ = an.no_such_table


def test_input_not_mutated():
    before = DOCS.copy()
    analyze(DOCS, BASE, use_cache=False)
    pd.testing.assert_frame_equal(DOCS, before)


def test_dask_engine_matches_local():
    pytest.importorskip("dask")
    local = analyze(DOCS, BASE, use_cache=False)
    dist = analyze(DOCS, BASE, use_cache=False, engine="dask", scheduler="synchronous")
    _frames_equal(local, dist)


def test_public_api():
    assert framelens.analyze is analyze
    assert framelens.Analysis is Analysis


def test_manifest_records_resolved_step_options_and_reads_them_back(tmp_path):
    from framelens import measures

    cfg = Config(
        sentiment=False,
        steps=("framing",),
        lexicons=("policy", "generic"),
        options={"framing": {"lead_sentences": 3}},
    )
    an = analyze(DOCS, cfg, use_cache=False)
    rec = an.manifest["steps"]["framing"]
    assert rec["requires"] == list(measures.get_step("framing").requires)
    assert rec["provides"] == list(measures.get_step("framing").provides)
    expected = cfg.step_options("framing")
    assert set(rec["options"]) == set(expected)  # every option, defaults included
    assert an.step_options("framing")["lead_sentences"] == 3
    assert an.step_options("framing")["headline_weight"] == expected["headline_weight"]
    an.save(tmp_path / "out")
    back = Analysis.load(tmp_path / "out")
    assert back.step_options("framing") == an.step_options("framing")
    with pytest.raises(ConfigError, match="did not run in this analysis"):
        back.step_options("alignment")


def test_cache_key_changes_when_a_declared_resource_file_changes(tmp_path):
    from framelens.actors import BUILTIN_PATH
    from framelens.pipeline import resource_hashes

    gaz = tmp_path / "gazetteer.yaml"
    gaz.write_bytes(BUILTIN_PATH.read_bytes())
    cfg = Config(sentiment=False, steps=("actors",), gazetteer=str(gaz))
    k = analysis_key(DOCS, cfg)
    h = resource_hashes(cfg)["gazetteer"]
    gaz.write_bytes(BUILTIN_PATH.read_bytes() + b"\n# edited\n")
    assert resource_hashes(cfg)["gazetteer"] != h
    assert analysis_key(DOCS, cfg) != k
    gaz.unlink()
    with pytest.raises(ConfigError, match="step 'actors' reads gazetteer from .*not a file"):
        analysis_key(DOCS, cfg)


def test_a_failing_step_is_named():
    from framelens.measures import registry

    @registry.register_step("broken_example", requires=("docs",), provides=("nothing",))
    def broken(tables):
        raise ValueError("the docs table has no outlet column")

    try:
        with pytest.raises(ValueError, match="^step 'broken_example': the docs table"):
            analyze(DOCS, Config(sentiment=False, steps=("broken_example",)), use_cache=False)
    finally:
        registry.unregister_step("broken_example")
