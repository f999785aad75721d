"""iter_batches: a corpus read in batches is load_corpus's corpus, cut into pieces."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, SAMPLE
from framelens.corpus import concat_problems, iter_batches, load_corpus
from framelens.errors import CorpusError

_spec = importlib.util.spec_from_file_location(
    "hostile_cases", Path(__file__).with_name("test_hostile.py")
)
_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_hostile)
CASES = _hostile.CASES


def _same(source, batch_size, **kw):
    whole = load_corpus(source, **kw)
    batches = list(iter_batches(source, batch_size=batch_size, **kw))
    docs = [d for d, _ in batches]
    got = pd.concat(docs, ignore_index=True) if docs else whole.docs.iloc[0:0]
    pd.testing.assert_frame_equal(got, whole.docs, check_exact=True)
    problems = concat_problems([p for _, p in batches])
    pd.testing.assert_frame_equal(problems, whole.problems, check_exact=True)
    return batches


@pytest.mark.parametrize("size", [1, 2, 7])
@pytest.mark.parametrize(
    "name", ["news.jsonl", "news.csv", "news.tsv", "news.parquet", "good", "broken"]
)
def test_fixtures_equal_load_corpus(name, size):
    _same(FIXTURES / "corpus" / name, size)


def test_sample_corpus():
    _same(SAMPLE, 5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_cases_equal_load_corpus(tmp_path, name):
    source, kwargs, _, _ = CASES[name](tmp_path)
    try:
        whole = load_corpus(source, **kwargs)
    except (CorpusError, ValueError, TypeError) as exc:
        with pytest.raises(type(exc)):
            list(iter_batches(source, batch_size=2, **kwargs))
        return
    del whole
    _same(source, 2, **kwargs)


def _jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_duplicates_across_batches(tmp_path):
    f = _jsonl(
        tmp_path / "c.jsonl",
        [
            {"doc_id": "a", "text": "First text here."},
            {"doc_id": "b", "text": "Second text."},
            {"doc_id": "a", "text": "Another text."},  # duplicate id in batch 2
            {"doc_id": "c", "text": "First text here."},  # duplicate text in batch 2
            "not json",
            {"title": "no text field"},
        ],
    )
    batches = _same(f, 2)
    assert len(batches) == 3
    codes = concat_problems([p for _, p in batches])["code"].astype(str).tolist()
    assert sorted(codes) == ["bad_record", "bad_record", "duplicate_id", "duplicate_text"]


def test_generated_ids_of_repeated_texts_across_batches(tmp_path):
    f = _jsonl(tmp_path / "c.jsonl", [{"text": "Same."}, {"text": "Other."}, {"text": "Same."}])
    batches = _same(f, 1)
    ids = pd.concat([d for d, _ in batches])["doc_id"].tolist()
    assert ids[2] == f"{ids[0]}-2"


def test_jsonl_fields_that_appear_late_are_columns_of_every_batch(tmp_path):
    f = _jsonl(tmp_path / "c.jsonl", [{"text": "One."}, {"text": "Two.", "section": "World"}])
    batches = list(iter_batches(f, batch_size=1))
    assert all(list(d.columns) == list(load_corpus(f).docs.columns) for d, _ in batches)
    got = pd.concat([d for d, _ in batches], ignore_index=True)["section"].astype(object)
    assert got.isna().tolist() == [True, False] and got[1] == "World"


def test_jsonl_is_read_line_by_line(tmp_path, monkeypatch):
    f = _jsonl(tmp_path / "c.jsonl", [{"text": f"Text {i}."} for i in range(5)])
    import framelens.corpus.tabular as tabular

    def whole(*a, **k):  # the whole-file reader must not run for a plain JSONL file
        raise AssertionError("read whole")

    monkeypatch.setattr(tabular, "_read_jsonl_table", whole)
    assert [len(d) for d, _ in iter_batches(f, batch_size=2)] == [2, 2, 1]


def test_parquet_in_row_batches(tmp_path):
    df = pd.DataFrame({"doc_id": [f"d{i}" for i in range(5)], "text": ["A.", "B.", "C.", "D.", ""]})
    f = tmp_path / "c.parquet"
    df.to_parquet(f, row_group_size=2)
    batches = _same(f, 2)
    assert [len(d) for d, _ in batches] == [2, 2, 0]
    assert concat_problems([p for _, p in batches])["record"].tolist() == ["row 5"]


def test_options_checked_as_load_corpus(tmp_path):
    with pytest.raises(CorpusError, match="batch_size"):
        next(iter_batches(SAMPLE, batch_size=0))
    with pytest.raises(CorpusError, match="max_chars"):
        next(iter_batches(SAMPLE, batch_size=2, max_chars=0))
    with pytest.raises(CorpusError, match="does not exist"):
        next(iter_batches(tmp_path / "nope.jsonl", batch_size=2))


_CSV = (
    "doc_id,text,outlet\n"
    'a,"Line one,\nstill the first record.",RT\n'
    "\n"
    "b,Second record.,BBC\n"
    "c,too,many,fields,here\n"
    'd,"A quote ""inside"" it.",RT\n'
    'e,"x,1\ny,2",z\n'  # lines that each have 3 fields: a merged_rows warning
    "f,Last record.,\n"
)


def _whole_reader_refused(monkeypatch):
    import framelens.corpus.tabular as tabular

    def whole(*a, **k):  # the whole-file reader must not run for a plain CSV / TSV file
        raise AssertionError("read whole")

    monkeypatch.setattr(tabular, "read_table", whole)


@pytest.mark.parametrize("size", [1, 2, 3, 10])
def test_csv_is_read_in_chunks_with_the_whole_files_problems(tmp_path, monkeypatch, size):
    f = tmp_path / "c.csv"
    f.write_text(_CSV, encoding="utf-8")
    whole = load_corpus(f)
    assert {"bad_record", "merged_rows"} <= set(whole.problems["code"])
    _whole_reader_refused(monkeypatch)
    batches = list(iter_batches(f, batch_size=size))
    got = pd.concat([d for d, _ in batches], ignore_index=True)
    pd.testing.assert_frame_equal(got, whole.docs, check_exact=True)
    problems = concat_problems([p for _, p in batches])
    pd.testing.assert_frame_equal(problems, whole.problems, check_exact=True)
    assert problems["record"].tolist() == ["row 5", "line 6"]  # the file's own rows and lines
    assert "lines 8-9" in problems["message"][0]


@pytest.mark.parametrize("quoted", [True, False])
def test_tsv_is_read_in_chunks_quoting_decided_over_the_file(tmp_path, monkeypatch, quoted):
    df = pd.DataFrame(
        {"doc_id": list("abcde"), "text": ['"Hi," he said.', "Tab\there", "x", "y\nz", "w"]}
    )
    f = tmp_path / "c.tsv"
    if quoted:
        df.to_csv(f, sep="\t", index=False)
    else:
        f.write_text('doc_id\ttext\na\t"Hi," he said.\nb\tplain\nc\t"x\n', encoding="utf-8")
    whole = load_corpus(f)
    _whole_reader_refused(monkeypatch)
    _same_after_load(f, whole, 2)


def _same_after_load(f, whole, size):
    batches = list(iter_batches(f, batch_size=size))
    got = pd.concat([d for d, _ in batches], ignore_index=True)
    pd.testing.assert_frame_equal(got, whole.docs, check_exact=True)
    problems = concat_problems([p for _, p in batches])
    pd.testing.assert_frame_equal(problems, whole.problems, check_exact=True)


@pytest.mark.parametrize(
    "data",
    [
        'text\nOne\r\n"open quote\nTwo\n',  # a quoted field never closed: read whole
        "text\nOne\rTwo\n",  # a lone carriage return
        "\ufefftext\nOne\n",  # a byte-order mark
    ],
)
def test_csv_files_the_chunked_reader_refuses_are_read_whole(tmp_path, data):
    f = tmp_path / "c.csv"
    f.write_bytes(data.encode("utf-8"))
    from framelens.corpus.load import prepare
    from framelens.corpus.plan import plan_batches

    assert plan_batches(prepare(f), batch_size=1) is None
    _same(f, 1)


def test_txt_folder_is_read_in_batches_of_files(tmp_path, monkeypatch):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("---\nsection: World\n---\nFirst text.", encoding="utf-8")
    (folder / "b.txt").write_text("Second text.", encoding="utf-8")
    (folder / "c.txt").write_text("---\n: bad: yaml\n---\nThird text.", encoding="utf-8")
    (folder / "d.txt").write_bytes(b"bin\x00ary")
    (folder / "e.txt").write_text("Second text.", encoding="utf-8")  # repeats b
    (folder / "notes.csv").write_text("x\n1\n", encoding="utf-8")  # skipped
    (folder / "metadata.csv").write_text("file,outlet\nb.txt,RT\nzz.txt,BBC\n", encoding="utf-8")
    whole = load_corpus(folder)
    assert {"bad_front_matter", "wrong_format", "skipped_file", "missing_file"} <= set(
        whole.problems["code"]
    )
    from framelens.corpus.readers import READERS

    def whole_reader(*a, **k):  # the whole-folder reader must not run
        raise AssertionError("read whole")

    monkeypatch.setitem(READERS, "txt", whole_reader)
    for size in (1, 2, 4):
        batches = list(iter_batches(folder, batch_size=size))
        assert len(batches) == -(-5 // size)
        got = pd.concat([d for d, _ in batches], ignore_index=True)
        pd.testing.assert_frame_equal(got, whole.docs, check_exact=True)
        problems = concat_problems([p for _, p in batches])
        pd.testing.assert_frame_equal(problems, whole.problems, check_exact=True)


@pytest.mark.parametrize(
    "record", ["line 12", "row 1", "index 3", "line 007", "row ²", "index -1", "a/b.txt", "row "]
)
def test_duplicate_checker_gives_back_the_first_record_name_exactly(record):
    from framelens.corpus.validate import DuplicateChecker

    chk = DuplicateChecker()
    assert chk.see_id("x", record) is None and chk.see_id("x", "row 9") == record
    assert chk.see_text("T.", record, "x") is None
    assert chk.see_text("T.", "row 9", "y") == (record, "x", 2)
    assert chk.see_text("T.", "row 10", "z") == (record, "x", 3)
