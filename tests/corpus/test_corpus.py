"""Tests for framelens.corpus: readers, normalisation, validation, reports.

Fixture corpora live in tests/fixtures/corpus/ (written by make_fixtures.py there; all
texts synthetic). Larger or platform-specific inputs are generated in tmp_path.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

import framelens
from conftest import FIXTURES
from framelens.core import schema
from framelens.corpus import (
    NOT_ENGLISH_MIN_WORDS,
    PROBLEM_CODES,
    READERS,
    Corpus,
    detect_format,
    doc_hash,
    has_errors,
    load_corpus,
    problem_counts,
    problems_report,
)
from framelens.errors import CorpusError

FIX = FIXTURES / "corpus"
BROKEN = FIX / "broken"
GOOD = FIX / "good"

A1 = (
    "Serbian officials met European Union envoys in Belgrade on Monday. The talks covered "
    "energy supplies and the accession process, and both sides said they would meet "
    "again in the spring."
)


def codes(c: Corpus) -> list[str]:
    return c.problems["code"].astype(str).tolist()


def problem(c: Corpus, code: str) -> pd.DataFrame:
    return c.problems[c.problems["code"].astype(str) == code]


def error_records(c: Corpus) -> int:
    p = c.problems
    return int(((p["severity"].astype(str) == "error") & p["record"].notna()).sum())


# --------------------------------------------------------------------------- broken corpus


def test_broken_corpus_nothing_silently_lost():
    # Independent count of input records: every .txt file in the folder plus every file
    # the sidecar lists that is not on disk (README.md documents 12 + 1 = 13).
    txt = sorted(p.name for p in BROKEN.glob("*.txt"))
    side = pd.read_csv(BROKEN / "metadata.csv")
    missing = [f for f in side["file"] if not (BROKEN / f).exists()]
    n_records = len(txt) + len(missing)
    assert n_records == 13
    c = load_corpus(BROKEN)
    assert len(c.docs) == 8
    assert n_records == len(c.docs) + error_records(c)
    assert c.n_records == n_records
    # each record is either a doc or has exactly one error row
    errs = c.problems[c.problems["severity"].astype(str) == "error"]
    assert not errs["record"].duplicated().any()
    loaded = {Path(s).name for s in c.docs["source"].tolist()}
    assert loaded.isdisjoint(set(errs["record"].tolist()))
    assert loaded | set(errs["record"].tolist()) == set(txt) | set(missing)


def test_broken_corpus_expected_problems():
    c = load_corpus(BROKEN)
    got = {(r, k) for r, k in zip(c.problems["record"].tolist(), codes(c))}
    assert got == {
        ("b_empty.txt", "empty_text"),
        ("c_blank.txt", "empty_text"),
        ("d_latin1.txt", "decode_error"),
        ("e_dup_id.txt", "duplicate_id"),
        ("f_dup_text.txt", "duplicate_text"),
        ("g_open_quote.txt", "unbalanced_quotes"),
        ("i_binary.txt", "wrong_format"),
        ("j_german.txt", "not_english"),
        ("k_bad_date.txt", "bad_date"),
        ("l_bad_yaml.txt", "bad_front_matter"),
        ("notes.pdf", "skipped_file"),
        ("zz_missing.txt", "missing_file"),
    }
    # README.md is documentation, not data: neither a doc nor a problem
    assert "README.md" not in c.problems["record"].tolist()
    assert has_errors(c.problems)
    for sev, code in zip(c.problems["severity"].astype(str), codes(c)):
        assert PROBLEM_CODES[code] == sev


def test_every_message_names_file_and_record():
    c = load_corpus(BROKEN)
    for src, rec, msg in c.problems[["source", "record", "message"]].itertuples(index=False):
        assert src in msg, msg
        assert rec in msg, msg
    # the fix is named too (a few spot checks)
    msgs = dict(zip(codes(c), c.problems["message"].tolist()))
    assert "unique id" in msgs["duplicate_id"]
    assert "encoding=" in msgs["decode_error"]
    assert "ISO 8601" in msgs["bad_date"]


def test_problems_table_schema_and_docs_schema():
    c = load_corpus(BROKEN)
    assert list(c.problems.columns) == list(schema.PROBLEM_COLUMNS)
    assert isinstance(c.problems["severity"].dtype, pd.CategoricalDtype)
    assert list(c.problems["severity"].cat.categories) == list(schema.SEVERITIES)
    assert list(c.docs.columns[: len(schema.DOC_COLUMNS)]) == list(schema.DOC_COLUMNS)
    assert str(c.docs["date"].dtype) == "datetime64[ns]"
    for col in ("doc_id", "text", "title", "outlet", "url", "language", "source"):
        assert isinstance(c.docs[col].dtype, pd.StringDtype), col


# --------------------------------------------------------------------------- bad input


def test_empty_folder(tmp_path):
    c = load_corpus(tmp_path)
    assert len(c) == 0 and codes(c) == ["empty_source"]
    assert str(tmp_path) in c.problems["message"].iloc[0]
    assert c.problems["record"].isna().all()
    assert has_errors(c.problems)
    assert list(c.docs.columns) == list(schema.DOC_COLUMNS)


def test_folder_with_only_other_files_warns_for_each(tmp_path):
    (tmp_path / "a.csv").write_text("text\nhello there\n")
    (tmp_path / "b.json").write_text("{}")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")  # hidden: ignored
    c = load_corpus(tmp_path)
    assert sorted(codes(c)) == ["empty_source", "skipped_file", "skipped_file"]
    msg = problem(c, "empty_source")["message"].iloc[0]
    assert "a.csv" in msg and "load_corpus(" in msg
    c = load_corpus(tmp_path, ignore=["*.csv", "b.json"])
    assert codes(c) == ["empty_source"]
    with pytest.raises(ValueError, match="glob patterns"):
        load_corpus(tmp_path, ignore="*.csv")


def test_file_not_the_format_its_extension_claims(tmp_path):
    c = load_corpus(FIX / "not_parquet.parquet")
    assert len(c) == 0 and codes(c) == ["wrong_format"]
    assert "not_parquet.parquet" in c.problems["message"].iloc[0]
    assert "PAR1" in c.problems["message"].iloc[0]
    c = load_corpus(FIX / "binary.jsonl")
    assert codes(c) == ["wrong_format"] and "binary.jsonl" in c.problems["message"].iloc[0]
    # a .csv that is binary; a truncated parquet; a .jsonl holding one pretty-printed JSON
    (tmp_path / "x.csv").write_bytes(b"PK\x03\x04\x14\x00\x00\x00binaryzip")
    assert codes(load_corpus(tmp_path / "x.csv")) == ["wrong_format"]
    data = (FIX / "news.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2])
    assert codes(load_corpus(tmp_path / "cut.parquet")) == ["wrong_format"]
    (tmp_path / "pretty.jsonl").write_text(json.dumps([{"text": "a b"}], indent=2))
    c = load_corpus(tmp_path / "pretty.jsonl")
    assert codes(c) == ["wrong_format"]
    assert "one object per line" in c.problems["message"].iloc[0]
    # the format can be forced when the extension lies
    (tmp_path / "really_csv.dat").write_text("text\nThe mayor spoke.\n")
    assert len(load_corpus(tmp_path / "really_csv.dat", format="csv")) == 1


def test_unknown_format_is_an_error_row(tmp_path):
    p = tmp_path / "corpus.xlsx"
    p.write_bytes(b"whatever")
    c = load_corpus(p)
    assert len(c) == 0 and codes(c) == ["unknown_format"]
    msg = c.problems["message"].iloc[0]
    assert "corpus.xlsx" in msg and ".xlsx" in msg and "format=" in msg and ".jsonl" in msg


def test_csv_without_text_column_lists_columns():
    with pytest.raises(ValueError) as exc:
        load_corpus(FIX / "body_column.csv")
    msg = str(exc.value)
    assert "body_column.csv" in msg and "'text'" in msg
    assert "doc_id, title, outlet, date, url, language, body, section" in msg
    assert "text_col=" in msg and "text_col='body'" in msg
    c = load_corpus(FIX / "body_column.csv", text_col="body")
    assert c.docs["doc_id"].tolist() == ["n1", "n2", "n3"]
    assert "body" not in c.docs.columns  # mapped onto text, not kept twice


def test_named_column_missing_raises():
    with pytest.raises(ValueError, match="headline.*Available columns"):
        load_corpus(FIX / "news.csv", title_col="headline")
    with pytest.raises(ValueError, match="id_col='uid'"):
        load_corpus(FIX / "news.csv", id_col="uid")


def test_jsonl_with_one_broken_line():
    c = load_corpus(FIX / "news.jsonl")
    assert c.docs["doc_id"].tolist() == ["n1", "n2", "n3"]
    assert codes(c) == ["bad_record"]
    row = c.problems.iloc[0]
    assert row["record"] == "line 3" and row["severity"] == "error"
    assert "news.jsonl, line 3" in row["message"] and "not valid JSON" in row["message"]
    assert c.n_records == 4 == len(c) + error_records(c)  # the blank line 5 is no record


def test_jsonl_non_object_line_and_non_string_text(tmp_path):
    lines = ['{"text": "Fine text here."}', "[1, 2]", '{"text": ["a", "list"]}', '{"text": null}']
    (tmp_path / "x.jsonl").write_text("\n".join(lines))
    c = load_corpus(tmp_path / "x.jsonl")
    assert len(c) == 1
    assert sorted(zip(c.problems["record"], codes(c))) == [
        ("line 2", "bad_record"),
        ("line 3", "bad_record"),
        ("line 4", "empty_text"),
    ]
    assert c.n_records == 4 == len(c) + error_records(c)


def test_non_utf8_bytes_decode_with_replacement(tmp_path):
    c = load_corpus(BROKEN)
    d = c.docs.set_index("doc_id")
    assert "\ufffd" in d.loc["d_latin1", "text"]
    row = problem(c, "decode_error").iloc[0]
    assert row["severity"] == "warning" and "byte 23" in row["message"]
    # with the right encoding the same file decodes cleanly
    shutil.copy(BROKEN / "d_latin1.txt", tmp_path / "d.txt")
    c2 = load_corpus(tmp_path / "d.txt", encoding="cp1250")
    assert "Niš" in c2.docs["text"].iloc[0] and "decode_error" not in codes(c2)
    # CSV: the warning names the row that holds the bad bytes
    (tmp_path / "x.csv").write_bytes(b"text\nAll fine here.\nCaf\xe9 society\n")
    c3 = load_corpus(tmp_path / "x.csv")
    assert len(c3) == 2
    assert problem(c3, "decode_error")["record"].tolist() == ["row 2"]


def test_empty_text_is_dropped_with_error(tmp_path):
    (tmp_path / "x.csv").write_text('doc_id,text\na,Some words.\nb,\nc,"   "\n')
    c = load_corpus(tmp_path / "x.csv")
    assert c.docs["doc_id"].tolist() == ["a"]
    p = problem(c, "empty_text")
    assert p["record"].tolist() == ["row 2", "row 3"]
    assert all("x.csv, row" in m for m in p["message"])
    c = load_corpus(pd.DataFrame({"text": ["x y", None, "\n\t"]}, index=[10, 11, 12]))
    assert problem(c, "empty_text")["record"].tolist() == ["index 11", "index 12"]
    assert "DataFrame, index 11" in problem(c, "empty_text")["message"].iloc[0]


def test_five_megabyte_single_document(tmp_path):
    para = A1 + ' The minister said "we will see" and left.\n\n'
    text = para * (5_000_000 // len(para) + 1)
    assert len(text.encode()) >= 5_000_000
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    c = load_corpus(tmp_path / "big.txt")
    elapsed = time.perf_counter() - t0
    assert len(c) == 1 and c.docs["text"].iloc[0] == text
    assert codes(c) == ["too_long"]
    msg = c.problems["message"].iloc[0]
    assert "big.txt" in msg and "max_chars" in msg
    assert elapsed < 10  # generous; typically well under a second
    assert codes(load_corpus(tmp_path / "big.txt", max_chars=10_000_000)) == []


def test_duplicate_ids_later_dropped(tmp_path):
    (tmp_path / "x.csv").write_text("doc_id,text\n7,First text.\n8,Second text.\n7,Third text.\n")
    c = load_corpus(tmp_path / "x.csv")
    assert c.docs["doc_id"].tolist() == ["7", "8"]
    assert c.docs["text"].tolist() == ["First text.", "Second text."]
    row = problem(c, "duplicate_id").iloc[0]
    assert row["record"] == "row 3" and row["doc_id"] == "7" and row["severity"] == "error"
    assert "x.csv, row 3" in row["message"] and "row 1" in row["message"]


def test_duplicate_texts_warned_and_kept(tmp_path):
    df = pd.DataFrame({"text": ["Same words.", "Other words.", "Same words.", "Same words."]})
    c = load_corpus(df)
    h = doc_hash("Same words.")
    # generated ids stay unique: the repeats get -2, -3
    assert c.docs["doc_id"].tolist() == [h, doc_hash("Other words."), f"{h}-2", f"{h}-3"]
    assert codes(c) == ["duplicate_text", "duplicate_text"]
    assert not has_errors(c.problems)


def test_only_an_opening_quotation_mark():
    c = load_corpus(BROKEN)
    text = c.docs.set_index("doc_id").loc["g_open_quote", "text"]
    msg = problem(c, "unbalanced_quotes")["message"].iloc[0]
    # "The envoy said: “We ..." -- the mark is character 16 (0-based) of paragraph 1
    assert text[16] == "\u201c"
    assert "paragraph 1" in msg and "offset 16" in msg and "g_open_quote.txt" in msg
    # straight marks: odd count in paragraph 2 of 3, the stray mark at offset 27
    t = 'First "quoted" part.\nHe said "no.\nLast line is fine.'
    # offsets: line 2 starts at 21; 'He said ' is 8 chars -> the mark is at 29
    assert t[29] == '"'
    c2 = load_corpus(pd.DataFrame({"text": [t]}))
    m2 = problem(c2, "unbalanced_quotes")["message"].iloc[0]
    assert "paragraph 2" in m2 and "offset 29" in m2
    # a stray closing curly mark, like the seed article's after "1944"
    c3 = load_corpus(pd.DataFrame({"text": ["Belgrade was freed in 1944\u201d. Then more."]}))
    assert "closing \u201d at offset 26" in problem(c3, "unbalanced_quotes")["message"].iloc[0]
    # balanced texts, and quotes closed within each paragraph, are fine
    ok = 'He said "yes".\n\n\u201cNo,\u201d she said. \u201cMaybe \u201cnested\u201d.\u201d'
    assert codes(load_corpus(pd.DataFrame({"text": [ok]}))) == []


def test_script_tag_kept_verbatim_as_data():
    c = load_corpus(BROKEN)
    t = c.docs.set_index("doc_id").loc["h_script", "text"]
    assert "<script>alert(1)</script>" in t
    assert t == (BROKEN / "h_script.txt").read_text(encoding="utf-8")
    assert c.docs.set_index("doc_id").loc["h_script", "outlet"] == "Blog"  # from sidecar


def test_unreadable_file(tmp_path):
    (tmp_path / "ok.txt").write_text(A1)
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    c = load_corpus(tmp_path)
    assert c.docs["doc_id"].tolist() == ["ok"]
    row = problem(c, "unreadable_file").iloc[0]
    assert row["record"] == "dangling.txt" and "dangling.txt" in row["message"]
    assert c.n_records == 2 == len(c) + error_records(c)


def test_csv_ragged_line_is_an_error_row(tmp_path):
    (tmp_path / "x.csv").write_text("doc_id,text\na,One.\nb,Two,extra field\nc,Three.\n")
    c = load_corpus(tmp_path / "x.csv")
    assert c.docs["doc_id"].tolist() == ["a", "c"]
    row = problem(c, "bad_record").iloc[0]
    assert row["record"] == "line 3" and "x.csv, line 3" in row["message"]
    assert c.n_records == 3 == len(c) + error_records(c)


def test_empty_files(tmp_path):
    for name in ("e.csv", "e.jsonl", "e.parquet", "e.tsv"):
        (tmp_path / name).write_bytes(b"")
        assert codes(load_corpus(tmp_path / name)) == ["empty_source"], name
    (tmp_path / "h.csv").write_text("doc_id,text\n")
    assert codes(load_corpus(tmp_path / "h.csv")) == ["empty_source"]


# --------------------------------------------------------------------------- txt folder


def test_front_matter_and_sidecar():
    c = load_corpus(GOOD)
    d = c.docs.set_index("doc_id")
    # doc_id: sidecar (n2), else the path without .txt relative to the folder
    assert list(d.index) == ["alpha", "n2", "more/gamma"]
    # sidecar values override front matter; front matter fills the rest
    assert d.loc["alpha", "outlet"] == "Wire (sidecar)"
    assert d.loc["alpha", "title"] == "Talks in Belgrade"
    assert d.loc["alpha", "section"] == "politics"  # extra front-matter key kept
    assert str(d.loc["alpha", "date"].date()) == "2024-03-04"
    assert str(d.loc["more/gamma", "date"].date()) == "2024-03-06"  # "6 March 2024"
    # the text is what follows the front matter; offsets refer to it
    assert d.loc["alpha", "text"].startswith("Serbian officials met")
    raw = (GOOD / "alpha.txt").read_text()
    assert raw.endswith(d.loc["alpha", "text"])
    # \r\n became \n, nothing else changed
    g = (GOOD / "more" / "gamma.txt").read_bytes().decode()
    assert "\r\n" in g and d.loc["more/gamma", "text"] == g.replace("\r\n", "\n")
    assert codes(c) == []
    assert c.docs.columns.tolist()[-1] == "section"


def test_front_matter_with_windows_line_endings(tmp_path):
    (tmp_path / "w.txt").write_bytes(b"---\r\noutlet: RT\r\n---\r\nLine one.\r\nLine two.\r\n")
    c = load_corpus(tmp_path)
    assert c.docs["outlet"].tolist() == ["RT"]
    assert c.docs["text"].tolist() == ["Line one.\nLine two.\n"]


def test_txt_order_is_sorted_not_creation_order(tmp_path):
    for name in ("c.txt", "a.txt", "b.txt"):
        (tmp_path / name).write_text(f"Text of {name} for the order test.")
    assert load_corpus(tmp_path).docs["doc_id"].tolist() == ["a", "b", "c"]


def test_recursive_option(tmp_path):
    (tmp_path / "top.txt").write_text("Top level text.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.txt").write_text("Deeper text.")
    assert load_corpus(tmp_path).docs["doc_id"].tolist() == ["sub/deep", "top"]
    assert load_corpus(tmp_path, recursive=False).docs["doc_id"].tolist() == ["top"]


def test_explicit_sidecar_and_sidecar_errors(tmp_path):
    (tmp_path / "a.txt").write_text("Alpha text.")
    (tmp_path / "b.txt").write_text("Beta text.")
    meta = tmp_path.parent / f"{tmp_path.name}_meta.csv"
    meta.write_text("file,outlet,extra\na.txt,RT,1\na.txt,Other,2\n")
    c = load_corpus(tmp_path, metadata=meta, defaults={"outlet": "Unknown"})
    d = c.docs.set_index("doc_id")
    assert d.loc["a", "outlet"] == "RT" and d.loc["b", "outlet"] == "Unknown"
    assert codes(c) == ["duplicate_metadata"]
    # files not in the sidecar are fine; a sidecar DataFrame works too
    c2 = load_corpus(tmp_path, metadata=pd.DataFrame({"file": ["b.txt"], "title": ["B"]}))
    assert c2.docs.set_index("doc_id").loc["b", "title"] == "B" and codes(c2) == []
    with pytest.raises(ValueError, match="'file' column.*outlet"):
        load_corpus(tmp_path, metadata=pd.DataFrame({"name": ["b.txt"], "outlet": ["X"]}))


def test_single_txt_file_uses_its_row_of_the_sidecar():
    c = load_corpus(GOOD / "beta.txt")  # metadata.csv beside it lists three files
    assert c.docs["doc_id"].tolist() == ["n2"] and c.docs["outlet"].tolist() == ["Herald"]
    assert codes(c) == []


def test_bad_front_matter_stays_text():
    # a --- block that is not a YAML mapping may be part of the article: kept verbatim
    c = load_corpus(BROKEN)
    t = c.docs.set_index("doc_id").loc["l_bad_yaml", "text"]
    assert t == (BROKEN / "l_bad_yaml.txt").read_text()
    assert "stays part of the text" in problem(c, "bad_front_matter")["message"].iloc[0]
    # front matter is a txt-folder convention: table texts are never split
    fm = "---\ntitle: x\n---\nBody."
    assert load_corpus(pd.DataFrame({"text": [fm]})).docs["text"].iloc[0] == fm


# --------------------------------------------------------------------------- readers


@pytest.mark.parametrize("name", ["news.csv", "news.tsv", "news.jsonl", "news.parquet"])
def test_each_reader_gives_the_same_docs(name):
    ref = load_corpus(FIX / "news.csv").docs
    c = load_corpus(FIX / name)
    cols = ["doc_id", "text", "title", "outlet", "date", "url", "language", "section"]
    pd.testing.assert_frame_equal(c.docs[cols], ref[cols], check_dtype=False)
    # the file's name, not the path as given: tables don't depend on where the corpus lies
    assert c.docs["source"].tolist() == [name] * 3
    assert c.docs["text"].iloc[1].count('"') == 2  # quotes survive CSV/TSV quoting


def test_readers_are_a_registry():
    assert {"txt", "csv", "tsv", "jsonl", "parquet", "dataframe"} <= set(READERS)
    assert detect_format("a.ndjson") == "jsonl" and detect_format("a.TSV") == "tsv"
    assert detect_format(GOOD) == "txt" and detect_format("a.xlsx") is None
    with pytest.raises(ValueError, match="unknown format 'xml'.*csv"):
        load_corpus(FIX / "news.csv", format="xml")


def test_dataframe_input_not_mutated():
    df = pd.DataFrame(
        {
            "body": ["B text one.", "  ", "B text two."],
            "doc_id": [1, 2, 3],
            "date": ["2024-01-02", "bad", None],
            "source": ["wire", "wire", "tv"],
        },
        index=["r1", "r2", "r3"],
    )
    before = df.copy(deep=True)
    c = load_corpus(df, text_col="body", defaults={"language": "en"})
    pd.testing.assert_frame_equal(df, before)
    assert c.docs["doc_id"].tolist() == ["1", "3"]
    assert c.docs["source"].tolist() == ["DataFrame[r1]", "DataFrame[r3]"]
    # a user column named like a standard one is kept under another name
    assert c.docs["source_orig"].tolist() == ["wire", "tv"]
    assert c.docs["language"].tolist() == ["en", "en"]


def test_dataframe_with_non_string_column_names():
    df = pd.DataFrame({0: ["Words in column zero."], 1: ["RT"]})
    c = load_corpus(df, text_col=0, outlet_col=1)
    assert c.docs["text"].tolist() == ["Words in column zero."]
    assert c.docs["outlet"].tolist() == ["RT"]


def test_ids_keep_leading_zeros_and_integer_floats(tmp_path):
    (tmp_path / "x.csv").write_text("doc_id,text\n007,Bond text.\n010,Other text.\n")
    assert load_corpus(tmp_path / "x.csv").docs["doc_id"].tolist() == ["007", "010"]
    df = pd.DataFrame({"doc_id": [1.0, None], "text": ["A b c.", "D e f."]})
    assert load_corpus(df).docs["doc_id"].tolist() == ["1", doc_hash("D e f.")]


def test_doc_id_hash_is_stable_and_order_independent():
    # SHA-1("abc") = a9993e364706816aba3e25717850c26c9cd0d89d (FIPS 180 test vector)
    assert doc_hash("abc") == "a9993e364706816a"
    assert doc_hash("Vučić") == hashlib.sha1("Vučić".encode()).hexdigest()[:16]
    texts = ["First article.", "Second article.", "Third article."]
    a = load_corpus(pd.DataFrame({"text": texts})).docs.set_index("text")["doc_id"]
    b = load_corpus(pd.DataFrame({"text": texts[::-1]})).docs.set_index("text")["doc_id"]
    assert a.to_dict() == b.to_dict()
    # \r\n is normalised before hashing
    c = load_corpus(pd.DataFrame({"text": ["a\r\nb"]}))
    assert c.docs["text"].iloc[0] == "a\nb" and c.docs["doc_id"].iloc[0] == doc_hash("a\nb")


def test_date_parsing():
    df = pd.DataFrame(
        {
            "text": [f"Text number {i}." for i in range(7)],
            "date": [
                "2024-10-20",
                "20 October 2024",
                "2024-10-20T23:30:00-02:00",
                "not a date",
                None,
                "3000-01-01",
                "2024",
            ],
        }
    )
    c = load_corpus(df)
    got = [None if pd.isna(x) else str(x) for x in c.docs["date"]]
    assert got == [
        "2024-10-20 00:00:00",
        "2024-10-20 00:00:00",
        "2024-10-21 01:30:00",  # converted to UTC, then tz-naive
        None,
        None,
        None,
        "2024-01-01 00:00:00",
    ]
    assert str(c.docs["date"].dtype) == "datetime64[ns]"
    # unparseable and out-of-range values warn; a missing value does not
    assert problem(c, "bad_date")["record"].tolist() == ["index 3", "index 5"]
    # real datetime columns (tz-aware) pass through, converted to UTC
    ts = pd.Series(pd.to_datetime(["2024-05-01 12:00"]).tz_localize("Europe/Belgrade"))
    c2 = load_corpus(pd.DataFrame({"text": ["A b."], "date": ts}))
    assert str(c2.docs["date"].iloc[0]) == "2024-05-01 10:00:00"


def test_defaults_fill_only_missing_values():
    df = pd.DataFrame({"text": ["One.", "Two."], "outlet": ["Wire", None]})
    c = load_corpus(df, defaults={"outlet": "RT", "language": "en", "country": "RS"})
    assert c.docs["outlet"].tolist() == ["Wire", "RT"]
    assert c.docs["language"].tolist() == ["en", "en"]
    assert c.docs["country"].tolist() == ["RS", "RS"]


def test_not_english_heuristic():
    german = (BROKEN / "j_german.txt").read_text()
    english = A1 + " " + A1.lower()
    short_german = "Die Regierung sagte nichts."
    assert len(short_german.split()) < NOT_ENGLISH_MIN_WORDS
    df = pd.DataFrame({"text": [german, english, short_german], "language": [None, "en", None]})
    c = load_corpus(df)
    assert problem(c, "not_english")["record"].tolist() == ["index 0"]
    assert "2%" in problem(c, "not_english")["message"].iloc[0]  # 1 of 44 words ("in")
    # a document that says it is German is not flagged; the check can be switched off
    assert codes(load_corpus(df.assign(language=["de", "en", None]))) == []
    assert codes(load_corpus(df, check_language=False)) == []


def test_option_validation(tmp_path):
    with pytest.raises(CorpusError, match="nope"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(ValueError, match="max_chars"):
        load_corpus(FIX / "news.csv", max_chars=0)
    with pytest.raises(ValueError, match="encoding"):
        load_corpus(FIX / "news.csv", encoding="klingon-8")
    with pytest.raises(ValueError, match="defaults cannot set doc_id"):
        load_corpus(FIX / "news.csv", defaults={"doc_id": "x"})
    with pytest.raises(ValueError, match="mapping"):
        load_corpus(FIX / "news.csv", defaults=["outlet"])
    with pytest.raises(TypeError, match="path or a pandas DataFrame"):
        load_corpus(42)


# --------------------------------------------------------------------------- reports


def test_problems_report_and_has_errors():
    c = load_corpus(BROKEN)
    rep = problems_report(c.problems)
    assert rep.splitlines()[0] == "5 errors, 7 warnings"
    assert rep.index("ERROR empty_text (2)") < rep.index("WARNING")
    assert "b_empty.txt" in rep and "zz_missing.txt" in rep
    short = problems_report(c.problems, max_per_code=1)
    assert "... and 1 more" in short
    assert problems_report(schema.empty("problems")) == "No problems found."
    assert not has_errors(schema.empty("problems"))
    assert not has_errors(load_corpus(FIX / "news.csv").problems)
    counts = problem_counts(c.problems)
    assert counts.iloc[0].tolist() == ["error", "empty_text", 2]


def test_summary_and_len():
    c = framelens.load_corpus(FIX / "news.csv")
    s = c.summary()
    assert s.splitlines()[0] == (
        f"Corpus from {FIX / 'news.csv'}: 3 documents, 3 outlets, 2024-03-04 to 2024-03-06"
    )
    assert "Herald" in s and "problems: none" in s and len(c) == 3
    b = load_corpus(BROKEN).summary()
    assert "input records: 13 (8 loaded, 5 dropped with an error)" in b
    assert "empty_text" in b and "(no outlet)" in b
    assert "docs=8" in repr(load_corpus(BROKEN))


def test_docs_do_not_depend_on_how_the_corpus_path_is_spelled(tmp_path):
    import shutil

    shutil.copytree(FIX / "good", tmp_path / "good")
    a = load_corpus(FIX / "good").docs
    b = load_corpus(tmp_path / "good" / ".." / "good").docs
    pd.testing.assert_frame_equal(a, b)


def test_jsonl_object_without_the_text_field_says_so(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"text": "Talks in Belgrade went on."}\n{"body": "elsewhere", "id": 2}\n')
    c = load_corpus(f, check_language=False)
    assert len(c.docs) == 1
    row = c.problems.iloc[0]
    assert row["record"] == "line 2" and row["severity"] == "error"
    assert "no 'text' field" in row["message"] and "body" in row["message"]


def test_user_errors_are_framelens_errors(tmp_path):
    # every error a user can cause in the corpus room is a CorpusError naming the fix
    from framelens.errors import FramelensError

    with pytest.raises(CorpusError, match="does not exist"):
        framelens.load_corpus(tmp_path / "missing.csv")
    (tmp_path / "a.csv").write_text("body\nhello\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="text_col='body'") as exc:
        framelens.load_corpus(tmp_path / "a.csv")
    assert isinstance(exc.value, FramelensError) and isinstance(exc.value, ValueError)
