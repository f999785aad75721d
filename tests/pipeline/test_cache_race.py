"""Two processes writing the same cache entry at once, and analyses saved before the
attribution option existed."""

import json

import pandas as pd
import pytest

from framelens.errors import OutputError
from framelens.pipeline import Analysis, Config, analyze, engine


@pytest.fixture
def docs():
    return pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["Vucic said Serbia is neutral.", "It rained."]}
    )


def _racing_save(real):
    """A save that loses the race: the other process writes the entry first."""

    def save(self, path, *, overwrite=False):
        real(self, path, overwrite=overwrite)  # the other process's complete entry
        raise OutputError(f"cannot write the analysis to {path}: Directory not empty")

    return save


def test_an_entry_of_the_same_key_written_meanwhile_is_kept(docs, tmp_path, monkeypatch):
    cfg = Config(sentiment=False)
    monkeypatch.setattr(Analysis, "save", _racing_save(Analysis.save))
    an = analyze(docs, cfg, cache_dir=tmp_path, progress=False)
    monkeypatch.undo()
    again = analyze(docs, cfg, cache_dir=tmp_path, progress=False)  # served from the cache
    pd.testing.assert_frame_equal(an.quotes, again.quotes)


def test_an_entry_of_another_key_is_an_error(docs, tmp_path, monkeypatch):
    an = analyze(docs, Config(sentiment=False), cache_dir=tmp_path, use_cache=False)
    target = tmp_path / "entry"
    target.mkdir()
    (target / "manifest.json").write_text(json.dumps({"key": "other"}), encoding="utf-8")

    def fails(self, path, *, overwrite=False):
        raise OutputError(f"cannot write the analysis to {path}: Directory not empty")

    monkeypatch.setattr(Analysis, "save", fails)
    with pytest.raises(OutputError, match="Directory not empty"):
        engine.save_cache_entry(an, target, an.manifest["key"])


def test_an_analysis_saved_before_the_attribution_option_loads_as_rules(docs, tmp_path):
    an = analyze(docs, Config(attribution="rules"), use_cache=False)
    out = an.save(tmp_path / "old")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    del manifest["config"]["attribution"]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert Analysis.load(out, verify=False).config.attribution == "rules"
