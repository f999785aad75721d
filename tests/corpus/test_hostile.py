"""Hostile inputs: every case is written into tmp_path by the test itself.

Each case asserts that no exception escapes :func:`load_corpus` and that
``records in == len(docs) + error rows that name a record``, where *records in* is
counted independently of the loader, per format:

- a folder of .txt files: the ``.txt`` files found (regular files, links, broken links,
  files in followed linked folders) plus sidecar rows naming a file that is not there;
- CSV/TSV: the non-blank data records as the quoting rules delimit them (a quoted field
  may span lines; a quotation mark that never closes ends its record at its own line);
- JSON lines: the non-blank lines;
- Parquet and DataFrame: the rows.

A whole-source error (zero-byte file, binary data) means zero records in.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from framelens.core import schema
from framelens.corpus import PROBLEM_CODES, load_corpus

TXT = "Officials met envoys in Belgrade on Monday and talked about energy."


def _csv(tmp: Path, data: str | bytes, name: str = "x.csv") -> Path:
    f = tmp / name
    f.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return f


def _folder(tmp: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp / "corpus"
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    root.mkdir(exist_ok=True)
    return root


def _codes(c) -> set[str]:
    return set(c.problems["code"].astype(str))


# each case: tmp_path -> (source, load_corpus kwargs, records in, check(corpus) or None)
Case = Callable[[Path], tuple]
CASES: dict[str, Case] = {}


def case(fn: Case) -> Case:
    CASES[fn.__name__] = fn
    return fn


# --------------------------------------------------------------------------- encodings, BOMs


@case
def csv_utf8_bom(t):
    f = _csv(t, codecs.BOM_UTF8 + b"text,outlet\nCaf\xc3\xa9 talk,RT\n")
    return f, {}, 1, lambda c: c.docs["text"].tolist() == ["Café talk"] and not _codes(c)


@case
def csv_latin1_read_as_utf8(t):
    f = _csv(t, "text\nCafé society\nPlain\n".encode("latin-1"))
    return f, {}, 2, lambda c: _codes(c) == {"decode_error"} and "\ufffd" in c.docs["text"][0]


@case
def csv_cp1252_with_encoding(t):
    f = _csv(t, "text\n\u201cQuoted\u201d \u2013 dash\n".encode("cp1252"))
    return (
        f,
        {"encoding": "cp1252"},
        1,
        lambda c: c.docs["text"][0] == "\u201cQuoted\u201d \u2013 dash",
    )


@case
def csv_utf16_le_bom(t):
    f = _csv(t, "text,outlet\nЗдраво свете,RT\n".encode("utf-16"))
    return f, {}, 1, lambda c: c.docs["text"].tolist() == ["Здраво свете"]


@case
def csv_utf16_be_bom(t):
    f = _csv(t, codecs.BOM_UTF16_BE + "text\nHello big end\n".encode("utf-16-be"))
    return f, {}, 1, lambda c: c.docs["text"].tolist() == ["Hello big end"]


@case
def csv_utf16_no_bom(t):
    f = _csv(t, "text\nHello little end\n".encode("utf-16-le"))
    return f, {}, 0, lambda c: "utf-16" in c.problems["message"][0]


@case
def csv_utf16_no_bom_with_encoding(t):
    f = _csv(t, "text\nHello little end\n".encode("utf-16-le"))
    return f, {"encoding": "utf-16-le"}, 1, lambda c: c.docs["text"][0] == "Hello little end"


@case
def txt_utf16_bom(t):
    root = _folder(t, {"a.txt": TXT.encode("utf-16"), "b.txt": TXT + " Again."})
    return root, {}, 2, lambda c: c.docs["text"][0] == TXT and not _codes(c)


@case
def txt_latin1(t):
    root = _folder(t, {"a.txt": "Niš and Čačak".encode("cp1250"), "b.txt": TXT})
    return root, {}, 2, lambda c: _codes(c) == {"decode_error"}


@case
def jsonl_utf8_bom_and_utf16(t):
    f = _csv(t, codecs.BOM_UTF8 + b'{"text": "one"}\n', "a.jsonl")
    g = _csv(t, '{"text": "two"}\n'.encode("utf-16"), "b.jsonl")
    ok = load_corpus(g).docs["text"].tolist() == ["two"]
    return f, {}, 1, lambda c: ok and c.docs["text"].tolist() == ["one"]


# --------------------------------------------------------------------------- delimiters, quoting


@case
def csv_semicolons(t):
    f = _csv(t, "text;outlet\nOne, with a comma;RT\nTwo;BBC\n")
    return f, {}, 2, lambda c: c.docs["outlet"].tolist() == ["RT", "BBC"]


@case
def csv_unquoted_comma_in_first_row(t):
    f = _csv(t, "text,outlet\nHello, world,RT\nSecond,BBC\n")
    return f, {}, 2, lambda c: c.docs["text"].tolist() == ["Second"]


@case
def csv_trailing_delimiters(t):
    f = _csv(t, "text,outlet,\nOne,RT,\nTwo,BBC,,\n")
    return f, {}, 2, lambda c: c.docs["outlet"].tolist() == ["RT", "BBC"]


@case
def csv_short_row(t):
    f = _csv(t, "text,outlet,url\nOne,RT\nTwo\n")
    return f, {}, 2, lambda c: c.docs["outlet"].fillna("-").tolist() == ["RT", "-"]


@case
def csv_stray_quote_to_eof(t):
    f = _csv(t, 'text,outlet\n"Never closed,RT\nTwo,BBC\nThree,AP\n')
    return f, {}, 3, lambda c: "merged_rows" in _codes(c) and len(c) == 3


@case
def csv_stray_quote_closed_later(t):
    f = _csv(t, 'id,text,outlet\n1,"Open,RT\n2,Two,BBC\n3,Close" here,AP\n4,Four,DW\n')
    return f, {}, 2, lambda c: "merged_rows" in _codes(c)


@case
def csv_embedded_newlines_quoted(t):
    f = _csv(t, 'text,outlet\n"Line one\nLine two, with comma\n\nPara",RT\nB,BBC\n')
    return f, {}, 2, lambda c: c.docs["text"][0].count("\n") == 3 and not _codes(c)


@case
def csv_doubled_quotes(t):
    f = _csv(t, 'text\n"He said ""no"" twice."\n')
    return f, {}, 1, lambda c: c.docs["text"][0] == 'He said "no" twice.'


@case
def csv_crlf_and_cr_only(t):
    g = _csv(t, b"text\rOld Mac one\rOld Mac two\r", "cr.csv")
    ok = load_corpus(g).docs["text"].tolist() == ["Old Mac one", "Old Mac two"]
    f = _csv(t, b'text\r\n"a\r\nb"\r\nc\r\n')
    return f, {}, 2, lambda c: ok and c.docs["text"].tolist() == ["a\nb", "c"]


@case
def csv_duplicate_header_names(t):
    f = _csv(t, "text,tag,tag\nOne,a,b\n")
    return f, {}, 1, lambda c: {"tag", "tag.1"} <= set(c.docs.columns)


@case
def csv_columns_named_like_ours(t):
    f = _csv(t, "text,source,source_orig,doc_id\nOne,w,o,7\n")
    return f, {}, 1, lambda c: sorted(c.docs.iloc[0].dropna().astype(str))[:3] == ["7", "One", "o"]


@case
def tsv_leading_quote_verbatim(t):
    f = _csv(t, 'text\toutlet\n"Hello," he said.\tRT\n', "x.tsv")
    return f, {}, 1, lambda c: c.docs["text"][0] == '"Hello," he said.'


@case
def tsv_written_by_pandas(t):
    df = pd.DataFrame({"text": ['Said "x"', "multi\nline", "tab\tin"], "outlet": list("abc")})
    df.to_csv(t / "x.tsv", sep="\t", index=False)
    return t / "x.tsv", {}, 3, lambda c: c.docs["text"].tolist() == df["text"].tolist()


@case
def tsv_ragged(t):
    f = _csv(t, "text\toutlet\nOne\tRT\textra\nTwo\tBBC\n", "x.tsv")
    return f, {}, 2, lambda c: c.docs["text"].tolist() == ["Two"]


# --------------------------------------------------------------------------- NULs, huge, binary


@case
def csv_nul_in_one_row(t):
    rows = "".join(f"Row number {i} with a plain text.\n" for i in range(40))
    f = _csv(t, ("text\nBad \x00 row\n" + rows).encode())
    return f, {}, 41, lambda c: len(c) == 40 and "bad_record" in _codes(c)


@case
def csv_huge_field(t):
    big = "word " * 400_000
    f = _csv(t, f'text,outlet\n"{big}",RT\nsmall,BBC\n')
    return f, {}, 2, lambda c: len(c.docs["text"][0]) == len(big)


@case
def jsonl_huge_line(t):
    big = "word " * 400_000
    f = _csv(t, json.dumps({"text": big}) + "\n" + json.dumps({"text": "x"}), "x.jsonl")
    return f, {}, 2, lambda c: len(c.docs["text"][0]) == len(big)


@case
def csv_binary(t):
    f = _csv(t, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    return f, {}, 0, lambda c: _codes(c) == {"wrong_format"}


@case
def zero_byte_files(t):
    for n in ("e.tsv", "e.jsonl", "e.parquet"):
        assert _codes(load_corpus(_csv(t, b"", n))) == {"empty_source"}
    return _csv(t, b""), {}, 0, lambda c: _codes(c) == {"empty_source"}


@case
def csv_header_only_and_blank_lines(t):
    f = _csv(t, "text\n\n\n  \n\nA real one.\n\n")
    return f, {}, 2, lambda c: c.docs["text"].tolist() == ["A real one."]


@case
def txt_zero_byte_and_binary(t):
    root = _folder(t, {"a.txt": b"", "b.txt": b"\x00\x01\x02binary", "c.txt": TXT})
    return root, {}, 3, lambda c: {"empty_text", "wrong_format"} <= _codes(c)


@case
def txt_nul_in_text(t):
    root = _folder(t, {"a.txt": TXT + "\x00", "b.txt": TXT + " two."})
    return root, {}, 2, lambda c: len(c) == 1


# --------------------------------------------------------------------------- JSONL records


@case
def jsonl_lone_surrogate(t):
    f = _csv(t, '{"text": "a \\ud800 b"}\n{"text": "fine"}\n', "x.jsonl")
    return f, {}, 2, lambda c: "decode_error" in _codes(c) and len(c) == 2


@case
def jsonl_float_and_odd_ids(t):
    lines = [
        {"doc_id": 1e20, "text": "a"},
        {"doc_id": 2.0, "text": "b"},
        {"doc_id": True, "text": "c"},
        {"doc_id": None, "text": "d"},
        {"doc_id": [1], "text": "e"},
        {"doc_id": "x", "text": "f"},
    ]
    f = _csv(t, "\n".join(json.dumps(x) for x in lines), "x.jsonl")
    return f, {}, 6, lambda c: c.docs["doc_id"].is_unique and len(c) == 6


@case
def jsonl_wrong_types(t):
    lines = [
        {"text": 5},
        {"text": {"a": 1}},
        {"text": "ok", "outlet": {"name": "RT"}, "date": 20240101, "title": 3.5},
        {"text": "ok too", "date": [2024], "language": False},
    ]
    f = _csv(t, "\n".join(json.dumps(x) for x in lines), "x.jsonl")
    return f, {}, 4, lambda c: len(c) == 2


@case
def jsonl_missing_keys_and_non_objects(t):
    f = _csv(t, '{"text": "ok"}\n{"body": "elsewhere"}\n[1,2]\n"str"\n42\nnull\n{}\n', "x.jsonl")
    return f, {}, 7, lambda c: len(c) == 1


@case
def jsonl_truncated_and_garbage(t):
    f = _csv(t, '{"text": "ok"}\n{"text": "cut\n}{\n{"text": "ok2"} trailing\n', "x.jsonl")
    return f, {}, 4, lambda c: len(c) == 1


@case
def jsonl_nan_infinity_and_control_chars(t):
    f = _csv(
        t,
        '{"text": "a", "score": NaN}\n{"text": "b", "x": Infinity}\n{"text": "c\x01"}\n',
        "x.jsonl",
    )
    return f, {}, 3, None


@case
def jsonl_deep_nesting(t):
    f = _csv(
        t, '{"text": "a", "x": ' + "[" * 5000 + "]" * 5000 + "}\n" + '{"text": "b"}\n', "x.jsonl"
    )
    return f, {}, 2, None


# --------------------------------------------------------------------------- dates, ids, empties


@case
def csv_bad_dates(t):
    f = _csv(t, "text,date\na,2024-02-30\nb,31/31/2024\nc,99999-01-01\nd,2024-02-29\n")
    return f, {}, 4, lambda c: len(c) == 4 and "bad_date" in _codes(c)


@case
def csv_duplicate_ids_and_texts(t):
    f = _csv(t, "doc_id,text\n1,Same.\n1,Other.\n2,Same.\n")
    return f, {}, 3, lambda c: {"duplicate_id", "duplicate_text"} <= _codes(c)


@case
def csv_empty_texts(t):
    f = _csv(t, 'doc_id,text\n1,\n2,"   "\n3,"\n\n"\n4,ok\n')
    return f, {}, 4, lambda c: c.docs["doc_id"].tolist() == ["4"]


@case
def txt_impossible_front_matter_date(t):
    root = _folder(t, {"a.txt": "---\ndate: 2024-02-30\n---\nBody.", "b.txt": "Body b."})
    return root, {}, 2, lambda c: "bad_date" in _codes(c) and len(c) == 2


@case
def txt_yaml_bomb_and_odd_front_matter(t):
    bomb = "---\na: &a [x,x,x,x,x,x,x,x]\n" + "".join(
        f"{b}: &{b} [{','.join(['*' + p] * 8)}]\n" for p, b in zip("abcdefg", "bcdefgh")
    )
    files = {
        "bomb.txt": bomb + "---\nBody.",
        "list.txt": "---\n- a\n- b\n---\nBody list.",
        "tag.txt": "---\nx: !!python/object:os.system ls\n---\nBody tag.",
        "text_key.txt": "---\ntext: summary here\nsource: wire\n---\nBody with keys.",
        "deep.txt": "---\nx: " + "[" * 3000 + "]" * 3000 + "\n---\nBody deep.",
    }
    root = _folder(t, files)
    return root, {}, 5, lambda c: len(c) == 5


@case
def txt_symlinked_folder_and_loop(t):
    real = t / "real"
    real.mkdir()
    (real / "x.txt").write_text(TXT)
    root = _folder(t, {"top.txt": TXT + " Top."})
    os.symlink(real, root / "linked")
    os.symlink(root, root / "loop")
    return root, {}, 2, lambda c: "followed_link" in _codes(c)


@case
def txt_dangling_link_and_link_file(t):
    root = _folder(t, {"a.txt": TXT})
    os.symlink(root / "nowhere.txt", root / "dangling.txt")
    os.symlink(root / "a.txt", root / "alias.txt")
    return root, {}, 3, lambda c: {"unreadable_file", "duplicate_text"} <= _codes(c)


@case
def txt_many_tiny_files(t):
    root = _folder(t, {f"d{i % 7}/f{i:04d}.txt": f"Tiny text {i}." for i in range(600)})
    return root, {"check_language": False}, 600, lambda c: len(c) == 600


@case
def txt_sidecar_hostile(t):
    root = _folder(
        t,
        {
            "a.txt": TXT,
            "b.txt": TXT + " b",
            "metadata.csv": "file,doc_id,outlet,date\na.txt,X,RT,2024-02-30\nb.txt,X,B,\n"
            "gone.txt,Y,C,\n,Z,D,\n",
        },
    )
    return root, {}, 4, lambda c: {"duplicate_id", "missing_file", "bad_date"} <= _codes(c)


# --------------------------------------------------------------------------- parquet, DataFrame


@case
def parquet_wrong_types(t):
    df = pd.DataFrame({"text": [1, 2], "doc_id": [1e20, 3.0], "outlet": [b"x", b"y"]})
    df.to_parquet(t / "x.parquet")
    return t / "x.parquet", {}, 2, lambda c: len(c) == 0


@case
def dataframe_duplicate_columns_and_surrogates(t):
    rows = [["a \ud800", "x", "y"], ["b", "z", "w"]]  # object dtype: str columns refuse them
    df = pd.DataFrame(rows, columns=["text", "tag", "tag"], dtype=object)
    return (
        df,
        {},
        2,
        lambda c: {"tag", "tag.1"} <= set(c.docs.columns) and "\ufffd" in c.docs["text"][0],
    )


@case
def dataframe_odd_values(t):
    df = pd.DataFrame(
        {
            "text": ["ok", None, float("nan"), b"bytes", ["a"], "  "],
            "doc_id": [1e300, None, 2, 3, 4, 5],
            "date": [pd.Timestamp("2024-01-01"), "x", None, 5, 2.5, "2024-13-01"],
        }
    )
    return df, {}, 6, lambda c: len(c) == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_case(tmp_path, name):
    source, kwargs, n_in, check = CASES[name](tmp_path)
    c = load_corpus(source, **kwargs)  # no exception may escape
    p = c.problems
    errors = p[(p["severity"].astype(str) == "error") & p["record"].notna()]
    assert c.n_records == n_in, c.problems[["record", "code"]].to_string()
    assert len(c.docs) + len(errors) == n_in
    assert not errors["record"].duplicated().any()  # one error row per dropped record
    assert c.docs["doc_id"].is_unique
    assert list(c.docs.columns[: len(schema.DOC_COLUMNS)]) == list(schema.DOC_COLUMNS)
    for src, rec, code, sev, msg in p[
        ["source", "record", "code", "severity", "message"]
    ].itertuples(index=False):
        assert PROBLEM_CODES[code] == sev
        assert src in msg and (rec is pd.NA or rec in msg), msg
    if check is not None:
        assert check(c), c.problems[["record", "code", "message"]].to_string()


def test_the_suite_has_at_least_forty_cases():
    assert len(CASES) >= 40
