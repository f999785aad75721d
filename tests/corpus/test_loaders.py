"""The loader failures of issue 12, one test each, plus the reader options and the
duplicate checker that works across batches.

Every input is generated in tmp_path by the test itself.
"""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framelens.corpus import Corpus, doc_hash, load_corpus
from framelens.corpus.validate import DuplicateChecker
from framelens.errors import CorpusError


def codes(c: Corpus) -> list[str]:
    return c.problems["code"].astype(str).tolist()


def problem(c: Corpus, code: str) -> pd.DataFrame:
    return c.problems[c.problems["code"].astype(str) == code]


def error_records(c: Corpus) -> int:
    p = c.problems
    return int(((p["severity"].astype(str) == "error") & p["record"].notna()).sum())


def accounted(c: Corpus, n_in: int) -> None:
    assert c.n_records == n_in
    assert len(c.docs) + error_records(c) == n_in


# --------------------------------------------------------------------------- CSV / TSV


def test_csv_first_row_with_an_unquoted_comma_is_a_problem_row_not_a_shift(tmp_path):
    # before: pandas took the first column as index, "Hello" vanished, columns shifted
    f = tmp_path / "x.csv"
    f.write_text("text,outlet\nHello, world,RT\nSecond text,BBC\n")
    c = load_corpus(f)
    assert c.docs["text"].tolist() == ["Second text"]
    assert c.docs["outlet"].tolist() == ["BBC"]
    row = problem(c, "bad_record").iloc[0]
    assert row["record"] == "line 2" and row["severity"] == "error"
    assert "3 fields" in row["message"] and "header has 2" in row["message"]
    accounted(c, 2)


def test_tsv_text_starting_with_a_quotation_mark_is_kept_verbatim(tmp_path):
    # before: '"Hello," he said.' became 'Hello, he said.'
    f = tmp_path / "x.tsv"
    f.write_text('text\toutlet\n"Hello," he said.\tRT\nShe said "no" twice.\tBBC\n')
    c = load_corpus(f)
    assert c.docs["text"].tolist() == ['"Hello," he said.', 'She said "no" twice.']
    assert c.docs["outlet"].tolist() == ["RT", "BBC"]
    # a TSV written with CSV quoting (pandas' to_csv(sep="\t")) is still unquoted
    df = pd.DataFrame({"text": ['"Hello," he said.', "tab\there"], "outlet": ["RT", "B"]})
    df.to_csv(tmp_path / "q.tsv", sep="\t", index=False)
    assert load_corpus(tmp_path / "q.tsv").docs["text"].tolist() == df["text"].tolist()


def test_csv_stray_quote_that_never_closes_loses_nothing(tmp_path):
    # before: "EOF inside string": the whole file was one wrong_format error, 0 docs
    f = tmp_path / "x.csv"
    f.write_text('doc_id,text\n1,"Stray quote here\n2,second\n3,third\n')
    c = load_corpus(f)
    assert c.docs["doc_id"].tolist() == ["1", "2", "3"]
    assert c.docs["text"].iloc[0] == '"Stray quote here'  # verbatim, mark kept
    row = problem(c, "merged_rows").iloc[0]
    assert row["record"] == "row 1" and "line 2" in row["message"]
    accounted(c, 3)


def test_csv_stray_quote_swallowing_rows_is_reported_with_line_numbers(tmp_path):
    # before: one text holding three rows, only an unbalanced_quotes warning
    f = tmp_path / "x.csv"
    f.write_text(
        "doc_id,text,outlet\n"
        '1,"Quoted start with no end,RT\n'
        "2,text two,BBC\n"
        '3,He said "yes" ok,AP\n'
        "4,Fine row,DW\n"
    )
    c = load_corpus(f)
    row = problem(c, "merged_rows").iloc[0]
    assert row["record"] == "row 1" and row["severity"] == "warning"
    assert "lines 2-4" in row["message"]
    assert c.docs["doc_id"].tolist() == ["1", "4"]  # nothing dropped, the merge reported
    accounted(c, 2)
    # a real multi-line text is not flagged
    g = tmp_path / "ok.csv"
    g.write_text('doc_id,text,outlet\n1,"Para one.\n\nPara two, still one text.",RT\n')
    assert codes(load_corpus(g, check_language=False)) == []


def test_user_columns_named_like_framelens_columns_keep_every_value(tmp_path):
    # before: the user's source_orig was overwritten by the renamed source column
    f = tmp_path / "x.csv"
    f.write_text("text,source,source_orig\nHello there,wire,orig\n")
    c = load_corpus(f)
    d = c.docs.iloc[0]
    assert d["source"] == "x.csv"
    assert d["source_orig"] == "orig"
    renamed = [c_ for c_ in c.docs.columns if c_.startswith("source_orig_")]
    assert len(renamed) == 1 and d[renamed[0]] == "wire"
    p = problem(c, "renamed_column")
    assert len(p) == 1 and renamed[0] in p["message"].iloc[0]
    assert "'source'" in p["message"].iloc[0] and p["severity"].iloc[0] == "warning"


# --------------------------------------------------------------------------- JSONL


def test_jsonl_lone_surrogate_is_a_problem_row(tmp_path):
    # before: UnicodeEncodeError, every record lost
    f = tmp_path / "x.jsonl"
    f.write_text('{"text": "ok text"}\n{"text": "bad \\ud800 x", "outlet": "A\\udc00"}\n')
    c = load_corpus(f)
    assert c.docs["text"].tolist() == ["ok text", "bad \ufffd x"]
    assert c.docs["outlet"].tolist()[1] == "A\ufffd"
    p = problem(c, "decode_error")
    assert p["record"].tolist() == ["line 2"] and "surrogate" in p["message"].iloc[0]
    accounted(c, 2)


def test_float_ids_are_kept_with_a_warning(tmp_path):
    # before: TypeError "cannot safely cast non-equivalent float64 to int64"
    f = tmp_path / "x.jsonl"
    f.write_text('{"doc_id": 1e20, "text": "ok text"}\n{"doc_id": 2, "text": "two"}\n')
    c = load_corpus(f)
    assert c.docs["doc_id"].tolist() == ["100000000000000000000", "2"]
    p = problem(c, "bad_id")
    assert p["record"].tolist() == ["line 1"] and "1e+20" in p["message"].iloc[0]
    accounted(c, 2)
    df = pd.DataFrame({"doc_id": [1.5, 2.0, float("inf")], "text": ["a b", "c d", "e f"]})
    c = load_corpus(df)
    assert c.docs["doc_id"].tolist() == ["1.5", "2", "inf"]
    assert problem(c, "bad_id")["record"].tolist() == ["index 0", "index 2"]


# --------------------------------------------------------------------------- txt folder


def test_impossible_front_matter_date_is_a_bad_date_row(tmp_path):
    # before: ValueError "day is out of range for month", every record lost
    (tmp_path / "a.txt").write_text("---\noutlet: RT\ndate: 2024-02-30\n---\nBody a.\n")
    (tmp_path / "b.txt").write_text("---\ndate: 2024-02-29\n---\nBody b.\n")
    c = load_corpus(tmp_path)
    assert c.docs["doc_id"].tolist() == ["a", "b"]
    assert c.docs["outlet"].tolist()[0] == "RT"  # the rest of the front matter is used
    assert problem(c, "bad_date")["record"].tolist() == ["a.txt"]
    assert str(c.docs["date"].iloc[1].date()) == "2024-02-29"


def test_yaml_alias_bomb_in_front_matter_is_refused(tmp_path):
    # before: the expanded structure was serialised into a cell (memory grows as 9**n)
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    (tmp_path / "bomb.txt").write_text("---\n" + "\n".join(levels) + "\n---\nBody.\n")
    (tmp_path / "loop.txt").write_text("---\nx: &x [*x]\n---\nBody loop.\n")
    (tmp_path / "big.txt").write_text("---\n" + "k: v\n" * 40_000 + "---\nBody big.\n")
    (tmp_path / "ok.txt").write_text("---\noutlet: RT\n---\nFine body.\n")
    c = load_corpus(tmp_path)
    assert sorted(c.docs["doc_id"]) == ["big", "bomb", "loop", "ok"]
    bad = problem(c, "bad_front_matter")
    assert sorted(bad["record"]) == ["big.txt", "bomb.txt", "loop.txt"]
    assert all(x not in c.docs.columns for x in "abcdefghix")
    assert any("characters" in m for m in bad["message"])  # the size limit is named
    assert c.docs.set_index("doc_id").loc["ok", "outlet"] == "RT"


def test_txt_files_in_a_symlinked_folder_are_read_with_a_message(tmp_path):
    # before: os.walk did not follow the link; its files were skipped with no message
    real = tmp_path / "real"
    real.mkdir()
    (real / "x.txt").write_text("In the linked folder.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "top.txt").write_text("Top level.")
    os.symlink(real, corpus / "link")
    os.symlink(corpus, corpus / "loop")  # a link back to the corpus itself: not followed
    c = load_corpus(corpus)
    assert c.docs["doc_id"].tolist() == ["link/x", "top"]
    p = problem(c, "followed_link")
    assert p["record"].tolist() == ["link"] and "1 .txt file" in p["message"].iloc[0]
    loop = problem(c, "skipped_file")
    assert loop["record"].tolist() == ["loop"] and "loop" in loop["message"].iloc[0]
    accounted(c, 2)


def test_title_line_option(tmp_path):
    (tmp_path / "a.txt").write_text("Talks in Belgrade\n\nSerbian officials met envoys.\n")
    (tmp_path / "b.txt").write_text("Only a title\n")
    c = load_corpus(tmp_path, title_line=True)
    assert c.docs["title"].tolist() == ["Talks in Belgrade"]
    assert c.docs["text"].tolist() == ["Serbian officials met envoys.\n"]
    assert problem(c, "empty_text")["record"].tolist() == ["b.txt"]
    # front matter (and the sidecar) still win for the title; the line is not text
    (tmp_path / "b.txt").write_text("---\ntitle: From YAML\n---\nLine title\nBody b.\n")
    d = load_corpus(tmp_path, title_line=True).docs.set_index("doc_id")
    assert d.loc["b", "title"] == "From YAML" and d.loc["b", "text"] == "Body b.\n"
    with pytest.raises(CorpusError, match="title_line"):
        load_corpus(pd.DataFrame({"text": ["x"]}), title_line=True)


def test_missing_outlet_and_date_metadata_is_a_normal_case(tmp_path):
    for i in range(20):
        (tmp_path / f"{i:03d}.txt").write_text(f"Article {i}\n\nBody of article number {i}.")
    c = load_corpus(tmp_path, title_line=True, check_language=False)
    assert len(c) == 20 and codes(c) == []  # no warning storm: no problem at all
    assert c.docs["outlet"].isna().all() and c.docs["date"].isna().all()


# --------------------------------------------------------------------------- duplicates


def test_duplicate_checker_across_batches():
    chk = DuplicateChecker()
    assert chk.see_id("a", "row 1") is None
    assert chk.see_text("Same words.", "row 1", "a") is None
    # a later batch: the checker remembers ids and texts of earlier ones
    assert chk.see_id("a", "row 7") == "row 1"
    assert chk.see_text("Same words.", "row 7", "b") == ("row 1", "a", 2)
    assert chk.see_text("Same words.", "row 9", "c") == ("row 1", "a", 3)
    assert chk.n_ids == 1 and chk.n_texts == 1
    # the loader uses it: messages and generated ids as before
    c = load_corpus(pd.DataFrame({"text": ["Same words.", "Same words."]}))
    assert c.docs["doc_id"].tolist() == [doc_hash("Same words."), doc_hash("Same words.") + "-2"]


# --------------------------------------------------------------------------- fuzzing

_cell = st.text(alphabet=st.sampled_from(list('ab ,;"\t\n\r\x00\\é\u201c')), max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(_cell, min_size=1, max_size=4), min_size=1, max_size=6))
def test_fuzz_csv_and_tsv_never_raise_and_account_for_records(tmp_path, rows):
    for ext, sep in ((".csv", ","), (".tsv", "\t")):
        body = "\n".join(sep.join(r) for r in rows)
        f = tmp_path / f"fuzz{ext}"
        f.write_text("doc_id" + sep + "text\n" + body, encoding="utf-8")
        c = load_corpus(f, check_language=False)
        assert c.n_records == len(c.docs) + error_records(c)
        assert not c.docs["doc_id"].duplicated().any()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    objs=st.lists(
        st.dictionaries(
            st.sampled_from(["text", "doc_id", "date", "outlet", "source"]),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.floats(),
                st.text(max_size=8),
                st.lists(st.integers(), max_size=2),
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_fuzz_jsonl_never_raises_and_accounts_for_records(tmp_path, objs):
    f = tmp_path / "fuzz.jsonl"
    f.write_text("\n".join(json.dumps(o) for o in objs), encoding="utf-8")
    if not any("text" in o for o in objs):  # no text field at all: the option is wrong
        with pytest.raises(CorpusError, match="text_col="):
            load_corpus(f, check_language=False)
        return
    c = load_corpus(f, check_language=False)
    assert c.n_records == len(objs) == len(c.docs) + error_records(c)


def test_front_matter_without_its_closing_line_is_a_warning(tmp_path):
    # before: the metadata silently became the start of the text, with no problem row
    (tmp_path / "open.txt").write_text("---\noutlet: BBC\ndate: 2024-01-02\nBody of the text.\n")
    (tmp_path / "rule.txt").write_text("---\nA rule opens this article, no metadata.\n")
    (tmp_path / "ok.txt").write_text("---\noutlet: RT\n---\nFine body.\n")
    c = load_corpus(tmp_path)
    bad = problem(c, "bad_front_matter")
    assert bad["record"].tolist() == ["open.txt"] and bad["severity"].tolist() == ["warning"]
    assert "never closed by a second --- line" in bad["message"].iloc[0]
    docs = c.docs.set_index("doc_id")
    assert docs.loc["open", "text"].startswith("---\noutlet: BBC")  # kept, not lost
    assert docs.loc["ok", "outlet"] == "RT" and docs.loc["rule", "text"].startswith("---\nA rule")
    accounted(c, 3)


def test_a_text_of_invisible_characters_only_is_empty(tmp_path):
    # before: zero-width spaces, a BOM or soft hyphens only made a document with nothing
    # to read (str.isspace does not count them as blank)
    df = pd.DataFrame(
        {
            "doc_id": ["zw", "bom", "shy", "ok"],
            "text": ["\u200b\u200b", "\ufeff \n", "\xad", "A\u200bB."],
        }
    )
    c = load_corpus(df)
    assert c.docs["doc_id"].tolist() == ["ok"] and c.docs["text"].tolist() == ["A\u200bB."]
    assert problem(c, "empty_text")["record"].tolist() == ["index 0", "index 1", "index 2"]
    accounted(c, 4)
