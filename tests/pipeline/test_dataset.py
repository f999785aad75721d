"""Saved analyses as partitioned Parquet datasets: one part per batch, opened lazily."""

import json

import pandas as pd
import pytest

from framelens.errors import FramelensError
from framelens.pipeline import Analysis, Config, analyze

DOCS = pd.DataFrame(
    {
        "doc_id": ["a", "b", "c"],
        "text": [
            'President Vucic said that Serbia would not join. "We are neutral," he said.',
            "The European Union demanded that Belgrade align. Talks will continue.",
            "Gas prices rose sharply in Serbia this winter. Brussels said nothing.",
        ],
    }
)
CFG = Config(sentiment=False, steps=("actors", "framing"), batch_size=2)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    out = tmp_path_factory.mktemp("an") / "an"
    an = analyze(DOCS, CFG, use_cache=False)
    an.save(out)
    return an, out


def test_each_table_is_saved_in_one_part_per_batch(saved):
    an, out = saved
    assert sorted(p.name for p in (out / "docs").iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
    ]
    files = json.loads((out / "manifest.json").read_text())["files"]
    assert [files[f"sentences/part-0000{i}.parquet"]["rows"] for i in (0, 1)] == [
        int((an.sentences["doc_id"].astype(str) != "c").sum()),
        int((an.sentences["doc_id"].astype(str) == "c").sum()),
    ]
    assert [f for f in files if f.startswith("problems/")] == ["problems/part-00000.parquet"]


def test_load_reads_a_table_on_first_use_and_gives_the_same_tables(saved):
    an, out = saved
    back = Analysis.load(out)
    assert not back.tables.is_loaded("sentences")
    assert "sentences=" in repr(back) and not back.tables.is_loaded("sentences")
    for name in an.tables:
        pd.testing.assert_frame_equal(back.table(name), an.tables[name], obj=name)
    assert back.tables.is_loaded("sentences")


def test_table_pushes_columns_and_filters_down(saved):
    an, out = saved
    back = Analysis.load(out)
    got = back.table("sentences", columns=["doc_id", "text"], filters=[("doc_id", "==", "c")])
    assert not back.tables.is_loaded("sentences")  # read from the files, not loaded whole
    full = an.sentences
    want = full.loc[full["doc_id"].astype(str) == "c", ["doc_id", "text"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    # the same selection over a table in memory
    pd.testing.assert_frame_equal(
        an.table("sentences", columns=["doc_id", "text"], filters=[("doc_id", "==", "c")]), want
    )
    import pyarrow.compute as pc

    expr = pc.field("doc_id").isin(["a", "b"])
    assert set(back.table("sentences", filters=expr)["doc_id"].astype(str)) == {"a", "b"}


def test_table_with_an_unknown_column_names_the_columns(saved):
    _, out = saved
    back = Analysis.load(out)
    with pytest.raises(FramelensError, match="its columns: .*doc_id"):
        back.table("sentences", columns=["nope"])
    with pytest.raises(AttributeError, match="tables:"):
        back.table("no_such_table", columns=["x"])


def test_an_analysis_saved_in_the_single_file_layout_still_loads(saved, tmp_path):
    an, _ = saved
    old = tmp_path / "old"
    old.mkdir()
    for name, df in an.tables.items():
        df.to_parquet(old / f"{name}.parquet", index=False)
    manifest = {
        "key": "k",
        "framelens": "0",
        "tables": {k: len(v) for k, v in an.tables.items()},
        "config": CFG.to_dict(),
    }
    (old / "manifest.json").write_text(json.dumps(manifest))
    back = Analysis.load(old)
    pd.testing.assert_frame_equal(back.sentences, an.sentences)
    assert len(back.table("docs", columns=["doc_id"], filters=[("doc_id", "==", "a")])) == 1
    an.save(old)  # an analysis of the earlier layout is replaced, its files removed
    assert not (old / "docs.parquet").exists() and (old / "docs").is_dir()
    pd.testing.assert_frame_equal(Analysis.load(old).sentences, an.sentences)


def _rows(df, ids):
    return df[df["doc_id"].astype(str).isin(ids)].reset_index(drop=True)


def test_a_view_reads_only_its_documents_and_leaves_the_parent_unread(saved):
    an, out = saved
    back = Analysis.load(out)
    one = back.doc("b")
    for name in ("sentences", "matches", "mentions", "frame_docs"):
        pd.testing.assert_frame_equal(one.tables[name], _rows(an.tables[name], {"b"}), obj=name)
        assert not back.tables.is_loaded(name)  # pushed down: the whole table was never read
    two = back.view(["c", "a"])
    got = two.table("sentences", columns=["doc_id", "sent_id"], filters=[("sent_id", "==", 0)])
    assert not two.tables.is_loaded("sentences") and not back.tables.is_loaded("sentences")
    full = an.sentences
    want = full.loc[
        full["doc_id"].astype(str).isin({"a", "c"}) & (full["sent_id"] == 0), ["doc_id", "sent_id"]
    ].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    # a view of a view keeps the documents of both
    pd.testing.assert_frame_equal(two.rows_of("sentences", ["a", "b"]), _rows(full, {"a"}))
    assert two.columns("docs") == list(an.docs.columns)
    # the same views over the analysis in memory
    pd.testing.assert_frame_equal(an.doc("b").tables["matches"], _rows(an.matches, {"b"}))
    pd.testing.assert_frame_equal(an.view(["c", "a"]).table("sentences", columns=["doc_id",
                                  "sent_id"], filters=[("sent_id", "==", 0)]), want)  # fmt: skip


def test_a_selection_pushes_columns_and_documents_down(saved):
    from framelens.report import params

    an, out = saved
    back = Analysis.load(out)
    sel = params.select(back, doc_id="c")
    got = sel.table("matches", columns=["doc_id", "term"])
    assert not back.tables.is_loaded("matches")
    pd.testing.assert_frame_equal(got, _rows(an.matches, {"c"})[["doc_id", "term"]])
    whole = params.select(back)
    assert whole.whole and not sel.whole
    pd.testing.assert_frame_equal(whole.table("mentions", columns=["doc_id"]),
                                  an.mentions[["doc_id"]])  # fmt: skip
    pd.testing.assert_frame_equal(sel.view().tables["sentences"], _rows(an.sentences, {"c"}))


def test_parts_of_a_table_join_to_the_table_and_keep_each_document_in_one_part(saved):
    an, out = saved
    back = Analysis.load(out)
    for name in ("sentences", "matches", "mentions"):
        parts = list(back.iter_parts(name))
        assert len(parts) == 2 and not back.tables.is_loaded(name)
        pd.testing.assert_frame_equal(
            pd.concat(parts, ignore_index=True), an.tables[name], obj=name
        )
        ids = [set(p["doc_id"].astype(str)) for p in parts]
        assert not ids[0] & ids[1]
    # documents, columns and filters pushed down; a view's parts keep its documents
    got = list(back.view(["c", "a"]).iter_parts("sentences", columns=["doc_id", "sent_id"],
                                                 filters=[("sent_id", "==", 0)]))  # fmt: skip
    full = an.sentences
    want = full.loc[
        full["doc_id"].astype(str).isin({"a", "c"}) & (full["sent_id"] == 0), ["doc_id", "sent_id"]
    ].reset_index(drop=True)
    pd.testing.assert_frame_equal(pd.concat(got, ignore_index=True), want)
    # nothing matches: one empty frame with the columns
    (none,) = back.iter_parts("sentences", doc_ids=["zz"])
    assert none.empty and list(none.columns) == list(an.sentences.columns)
    # in memory: the table once
    (whole,) = an.iter_parts("sentences", doc_ids=["b"])
    pd.testing.assert_frame_equal(whole, _rows(full, {"b"}))


def test_tables_with_columns_without_values_read_with_filters(tmp_path):
    # before: an empty table (every column of Arrow type null) failed any read by
    # document ("Array type doesn't match type of values set: null vs string"), so the
    # article report failed on a corpus without neutrality statements; and a first part
    # whose text column had no value could not be read with a later part holding values
    from framelens.pipeline import store
    from framelens.pipeline.parquet import read_part, read_table, select

    empty = pd.DataFrame({"doc_id": pd.Series([], dtype=object), "n": pd.Series([], dtype=object)})
    Analysis({"docs": DOCS, "stmts": empty}).save(tmp_path / "an")
    an = Analysis.load(tmp_path / "an")
    got = an.table("stmts", filters=[("doc_id", "in", ["a"])])
    assert got.empty and list(got.columns) == ["doc_id", "n"]
    assert an.view(["a"]).table("stmts").empty
    assert select(empty, "stmts", filters=[("doc_id", "==", "a")]).empty
    w = store.PartWriter(tmp_path / "parts")
    w.add("t", pd.DataFrame({"doc_id": ["a"], "speaker": [None]}))
    w.add("t", pd.DataFrame({"doc_id": ["b"], "speaker": ["Vucic"]}))
    w.finish({})
    manifest = json.loads((tmp_path / "parts" / "manifest.json").read_text())
    got = read_table(tmp_path / "parts", manifest, "t", filters=[("speaker", "==", "Vucic")])
    assert got["doc_id"].tolist() == ["b"]
    assert read_table(tmp_path / "parts", manifest, "t", columns=["speaker"]).shape == (2, 1)
    part = tmp_path / "parts" / "t" / "part-00000.parquet"
    assert read_part(part, "t", filters=[("doc_id", "==", "a")])["doc_id"].tolist() == ["a"]
    with pytest.raises(FramelensError, match="its columns: doc_id, speaker"):
        read_table(tmp_path / "parts", manifest, "t", columns=["nope"])


def test_a_filter_on_an_empty_list_of_documents_reads_no_row(saved):
    # before: ("doc_id", "in", []) gave pyarrow an empty list typed null and the read
    # failed ("large_string vs null"), so the neutrality report failed on a selection
    # without flagged sentences
    an, out = saved
    for a in (an, Analysis.load(out)):
        none = a.table("sentences", filters=[("doc_id", "in", [])])
        assert none.empty and "sent_id" in none.columns
        every = a.table("sentences", filters=[("doc_id", "not in", [])])
        assert len(every) == len(an.sentences)
        either = a.table("docs", filters=[[("doc_id", "in", [])], [("doc_id", "==", "b")]])
        assert either["doc_id"].tolist() == ["b"]
