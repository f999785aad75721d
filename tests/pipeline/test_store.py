"""Saving analyses never deletes what framelens did not write; caches are verified before use."""

import json
import logging
import os

import pandas as pd
import pyarrow.parquet as pq
import pytest

from framelens.errors import FramelensError
from framelens.pipeline import Analysis, Config, analysis_key, analyze

DOCS = pd.DataFrame(
    {
        "doc_id": ["a", "b"],
        "text": [
            'President Vucic said that Serbia would not join. "We are neutral," he said.',
            "Gas prices rose sharply in Serbia this winter.",
        ],
    }
)
BASE = Config(sentiment=False, steps=(), batch_size=2)


@pytest.fixture(scope="module")
def an():
    return analyze(DOCS, BASE, use_cache=False)


def _tree(path):
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*"))


# --- Analysis.save: never delete what framelens did not write ---------------------------


def test_save_refuses_a_non_empty_folder_that_is_not_an_analysis(an, tmp_path):
    (tmp_path / "corpus.csv").write_text("doc_id,text\na,Hello.\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "n.txt").write_text("mine")
    before = _tree(tmp_path)
    with pytest.raises(FramelensError, match="not a framelens analysis") as err:
        an.save(tmp_path)
    assert str(tmp_path) in str(err.value) and "overwrite=True" in str(err.value)
    assert _tree(tmp_path) == before  # nothing written, nothing deleted
    assert (tmp_path / "corpus.csv").read_text() == "doc_id,text\na,Hello.\n"


def test_check_output_refuses_before_anything_is_computed(tmp_path):
    from framelens.pipeline import check_output

    (tmp_path / "mine.txt").write_text("x")
    with pytest.raises(FramelensError, match="--overwrite"):
        check_output(tmp_path)
    check_output(tmp_path, overwrite=True)
    check_output(tmp_path / "new")
    with pytest.raises(FramelensError, match="is a file"):
        check_output(tmp_path / "mine.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_save_with_overwrite_adds_the_analysis_and_keeps_every_other_file(an, tmp_path):
    (tmp_path / "corpus.csv").write_text("keep me")
    an.save(tmp_path, overwrite=True)
    assert (tmp_path / "corpus.csv").read_text() == "keep me"
    back = Analysis.load(tmp_path)
    assert len(back.docs) == 2
    # saving again (now an analysis) replaces the analysis's own files only
    smaller = Analysis({"docs": an.docs.head(1)}, config=BASE, manifest=an.manifest)
    smaller.save(tmp_path)
    assert (tmp_path / "corpus.csv").read_text() == "keep me"
    assert len(Analysis.load(tmp_path).docs) == 1
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # no temporary folder left beside or inside


def test_save_replaces_an_earlier_analysis_without_touching_other_files(an, tmp_path):
    out = tmp_path / "out"
    an.save(out)
    (out / "my_notes.txt").write_text("mine")
    (tmp_path / "sibling.txt").write_text("sibling")
    extra = Analysis(
        {**an.tables, "extra_table": pd.DataFrame({"x": [1]})}, config=BASE, manifest=an.manifest
    )
    extra.save(out)
    assert (out / "extra_table" / "part-00000.parquet").exists()
    an.save(out)  # the new analysis has no extra_table: the old analysis's files go
    assert not (out / "extra_table").exists()
    assert (out / "my_notes.txt").read_text() == "mine"
    assert (tmp_path / "sibling.txt").read_text() == "sibling"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "sibling.txt"]


def test_save_into_a_new_or_empty_folder(an, tmp_path):
    an.save(tmp_path / "a" / "b")
    assert len(Analysis.load(tmp_path / "a" / "b").docs) == 2
    (tmp_path / "empty").mkdir()
    an.save(tmp_path / "empty")
    assert len(Analysis.load(tmp_path / "empty").docs) == 2


def test_save_through_dot_dot_and_a_symlinked_folder(an, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "keep.txt").write_text("keep")
    with pytest.raises(FramelensError, match="not a framelens analysis"):
        an.save(tmp_path / "sub" / "..")
    assert (tmp_path / "keep.txt").read_text() == "keep"
    target = tmp_path / "target"
    target.mkdir()
    (tmp_path / "link").symlink_to(target)
    an.save(tmp_path / "link")
    assert (tmp_path / "link").is_symlink()
    assert len(Analysis.load(target).docs) == 2
    an.save(tmp_path / "link")  # again: the analysis inside the linked folder is replaced
    assert (tmp_path / "link").is_symlink() and len(Analysis.load(target).docs) == 2


def test_a_manifest_without_the_framelens_marker_is_not_an_analysis(an, tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"name": "my web app"}))
    (tmp_path / "docs.parquet").write_text("not mine to delete")
    with pytest.raises(FramelensError, match="not a framelens analysis"):
        an.save(tmp_path)
    assert json.loads((tmp_path / "manifest.json").read_text()) == {"name": "my web app"}
    assert (tmp_path / "docs.parquet").read_text() == "not mine to delete"


def test_save_to_an_existing_file_is_a_clear_error(an, tmp_path):
    f = tmp_path / "out"
    f.write_text("a file")
    with pytest.raises(FramelensError, match="is a file"):
        an.save(f)
    assert f.read_text() == "a file"
    with pytest.raises(FramelensError, match="is a file"):
        an.save(f / "inside")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_save_to_a_read_only_destination_is_a_clear_error(an, tmp_path, monkeypatch):
    ro = tmp_path / "ro"
    ro.mkdir()
    real = os.access

    def access(path, mode, *a, **k):
        if os.fspath(path).startswith(os.fspath(ro)) and mode & os.W_OK:
            return False
        return real(path, mode, *a, **k)

    monkeypatch.setattr(os, "access", access)
    with pytest.raises(FramelensError, match="read-only"):
        an.save(ro)  # the destination itself
    with pytest.raises(FramelensError, match="read-only") as err:
        an.save(ro / "out")  # inside a read-only folder
    assert str(ro) in str(err.value)
    assert list(ro.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_save_inside_a_really_read_only_folder(an, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        with pytest.raises(FramelensError, match="read-only"):
            an.save(ro / "out")
    finally:
        ro.chmod(0o755)


def test_a_write_failure_is_a_framelens_error_and_leaves_the_destination_alone(
    an, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    an.save(out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq, "write_table", full)
    with pytest.raises(FramelensError, match="No space left"):
        an.save(out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cli_analyze_out_dot_keeps_the_working_folder(tmp_path, monkeypatch, capsys):
    from framelens.cli import main

    corpus = tmp_path / "corpus.csv"
    corpus.write_text("doc_id,text\na,Gas prices rose in Serbia.\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FRAMELENS_CACHE_DIR", str(tmp_path / ".cache"))
    code = main(["analyze", "corpus.csv", "--out", ".", "--no-sentiment"])
    assert code != 0
    assert "not a framelens analysis" in capsys.readouterr().err
    assert corpus.read_text() == "doc_id,text\na,Gas prices rose in Serbia.\n"


# --- the cache key covers every input that shapes a table ---------------------------------


def _csv(path, rows):
    body = "".join(f"{i},{t}\n" for i, t in rows)
    path.write_text("doc_id,text\n" + body)
    return path


def test_cache_key_covers_the_corpus_problems(tmp_path):
    from framelens import load_corpus

    rows = [("a", "Gas prices rose in Serbia."), ("b", "Talks will continue.")]
    csv = _csv(tmp_path / "c.csv", rows)
    first = analyze(csv, BASE, cache_dir=tmp_path / "cache")
    assert len(first.problems) == 0
    # an empty-text row and a duplicate-id row: same docs, new problems
    _csv(csv, [*rows, ("c", ""), ("a", "A duplicate.")])
    corpus = load_corpus(csv)
    assert len(corpus.docs) == 2
    again = analyze(corpus, BASE, cache_dir=tmp_path / "cache")
    assert set(again.problems["code"].astype(str)) >= {"empty_text", "duplicate_id"}
    assert again.manifest["key"] != first.manifest["key"]
    assert analysis_key(corpus, BASE) == again.manifest["key"]


def test_analysis_key_is_the_key_analyze_uses(tmp_path):
    an = analyze(DOCS, BASE, cache_dir=tmp_path)
    assert analysis_key(DOCS, BASE) == an.manifest["key"]


def test_cache_key_does_not_depend_on_how_the_corpus_path_is_spelt(tmp_path, monkeypatch):
    _csv(tmp_path / "c.csv", [("a", "Gas prices rose."), ("a", "Dup."), ("b", "")])
    monkeypatch.chdir(tmp_path)
    assert analysis_key("c.csv", BASE) == analysis_key(tmp_path / "c.csv", BASE)


# --- a cache entry is verified before it is used ------------------------------------------


def test_a_cached_table_replaced_by_a_shorter_valid_one_is_recomputed(tmp_path, caplog):
    first = analyze(DOCS, BASE, cache_dir=tmp_path)
    entry = tmp_path / first.manifest["key"]
    f = entry / "sentences" / "part-00000.parquet"
    pd.read_parquet(f).head(1).to_parquet(f, index=False)  # valid Parquet, fewer rows
    with caplog.at_level(logging.WARNING, logger="framelens"):
        again = analyze(DOCS, BASE, cache_dir=tmp_path)
    assert len(again.sentences) == len(first.sentences)
    assert "sentences/part-00000.parquet" in caplog.text and "recomputing" in caplog.text
    # the recomputed analysis replaced the damaged entry
    assert len(Analysis.load(entry).sentences) == len(first.sentences)


def test_a_cached_table_with_changed_content_is_recomputed(tmp_path, caplog):
    first = analyze(DOCS, BASE, cache_dir=tmp_path)
    f = tmp_path / first.manifest["key"] / "docs" / "part-00000.parquet"
    pd.read_parquet(f).assign(text="tampered").to_parquet(f, index=False)  # same row count
    with caplog.at_level(logging.WARNING, logger="framelens"):
        again = analyze(DOCS, BASE, cache_dir=tmp_path)
    assert again.docs["text"].tolist() == DOCS["text"].tolist()
    assert "docs/part-00000.parquet" in caplog.text


def test_load_verifies_row_counts_and_hashes(an, tmp_path):
    an.save(tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["format"] == "framelens.analysis"
    assert manifest["files"]["docs/part-00000.parquet"]["rows"] == 2
    assert len(manifest["files"]["docs/part-00000.parquet"]["sha256"]) == 64
    f = tmp_path / "out" / "docs" / "part-00000.parquet"
    pd.read_parquet(f).head(1).to_parquet(f, index=False)
    with pytest.raises(FramelensError, match=r"part-00000\.parquet.*1 row.*2") as err:
        Analysis.load(tmp_path / "out")
    assert "re-run" in str(err.value)
    assert len(Analysis.load(tmp_path / "out", verify=False).docs) == 1
    f.unlink()
    with pytest.raises(FramelensError, match=r"part-00000\.parquet.*missing"):
        Analysis.load(tmp_path / "out")
