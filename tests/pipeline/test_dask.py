"""analyze_to(engine="dask"): workers read their own batches; tables equal the local run's."""

from __future__ import annotations

import json
import logging
import sys

import pandas as pd
import pytest

from conftest import ROOT
from framelens.corpus import concat_problems, iter_batches
from framelens.corpus.plan import for_batch
from framelens.errors import ConfigError
from framelens.pipeline import Analysis, Config, analyze_to, partitions
from framelens.pipeline.scaleout import replay_seeds

CONFIG = {
    "batch_size": 3,
    "sentiment": False,
    "options": {"alignment": {"focal": "SRB", "camps": {"RUS": ["RUS"], "WST": ["WST"]}}},
}


def _assert_same(got: Analysis, want: Analysis):
    assert set(got.tables) == set(want.tables)
    for name in want.tables:
        a = got.tables[name].reset_index(drop=True)
        b = want.tables[name].reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)


def _lines(path, rows):
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write((r if isinstance(r, str) else json.dumps(r)) + "\n")
    return path


@pytest.fixture()
def repeats(tmp_path):
    """JSON lines whose repeats cross batches (batch_size 3): an id used again in a later
    batch, a text repeated in later batches (generated ids get -2, -3), a text repeated by
    a record that is dropped for its id, blank and broken lines, an object without text."""
    t = "Vucic said Serbia would stay neutral. Moscow welcomed it."
    rows = [
        {"doc_id": "a", "text": "Brussels said the talks went well."},
        {"text": t},
        "",
        {"doc_id": "b", "text": "A quiet day in Belgrade."},
        {"doc_id": "a", "text": "A later record reusing id a."},  # batch 1: duplicate_id
        "not json",
        {"text": t},  # generated id: -2
        {"doc_id": "c", "title": "no text"},
        {"doc_id": "d", "text": "Serbia and Russia signed a deal."},
        {"doc_id": "b", "text": "A text first seen in a dropped record."},  # dropped (id b)
        {"text": t},  # -3
        {"doc_id": "e", "text": "A text first seen in a dropped record."},  # duplicate_text
        {"doc_id": "f", "text": "Brussels said the talks went well."},  # repeats a's text
    ]
    return _lines(tmp_path / "rep.jsonl", rows)


def test_planned_batches_equal_iter_batches(repeats, tmp_path):
    p = partitions.plan(repeats, batch_size=3)
    assert p is not None and [b.n for b in p.batches] == [3, 3, 3, 3]
    local = list(iter_batches(repeats, batch_size=3))
    checker = partitions.RecordingChecker()
    got = [partitions.read(p, b, checker=checker) for b in p.batches]  # one checker: in order
    assert len(got) == len(local)
    for (d1, p1), (d2, p2) in zip(got, local):
        pd.testing.assert_frame_equal(d1, d2, check_exact=True)
        pd.testing.assert_frame_equal(p1, p2, check_exact=True)
        assert p1.attrs["phases"] == p2.attrs["phases"]


def test_parquet_row_ranges_equal_iter_batches(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    df = pd.DataFrame({"doc_id": [f"d{i}" for i in range(23)], "text": ["Word."] * 23})
    df["date"] = "2024-01-02"
    path = tmp_path / "c.parquet"
    pq.write_table(pa.Table.from_pandas(df), path, row_group_size=5)
    p = partitions.plan(path, batch_size=4)
    assert [(b.start, b.stop) for b in p.batches][-2:] == [(16, 20), (20, 23)]
    checker = partitions.RecordingChecker()
    got = [partitions.read(p, b, checker=checker) for b in p.batches]
    for (d1, p1), (d2, p2) in zip(got, iter_batches(path, batch_size=4)):
        pd.testing.assert_frame_equal(d1, d2, check_exact=True)
        pd.testing.assert_frame_equal(p1, p2, check_exact=True)


def test_replay_seeds_counts_copies_and_keeps_first_ids():
    calls = [
        ([("h", "line 1", "x")], [("x", "line 1")]),
        ([("h", "line 5", "h"), ("k", "line 6", "y")], [("h-2", "line 5"), ("x", "line 6")]),
        ([("h", "line 9", "h")], [("h-3", "line 9")]),
    ]
    seeds = replay_seeds(calls)
    assert seeds[0] is None
    assert seeds[1] == {"texts": {"h": ("line 1", "x", 1)}, "ids": {"x": "line 1"}}
    assert seeds[2] == {"texts": {"h": ("line 1", "x", 2)}, "ids": {}}


def test_cross_batch_repeats_give_the_local_problem_rows(tmp_path, repeats):
    """Each batch read with a fresh checker misses repeats of earlier batches; the
    driver's second pass over the returned ids and hashes reruns those batches seeded."""
    config = Config.from_dict(CONFIG)
    local = analyze_to(tmp_path / "local", repeats, config, progress=False)
    dask_an = analyze_to(
        tmp_path / "dask", repeats, config, progress=False, engine="dask", scheduler="synchronous"
    )
    _assert_same(Analysis.load(tmp_path / "dask"), Analysis.load(tmp_path / "local"))
    codes = dask_an.problems["code"].astype(str).tolist()
    assert codes.count("duplicate_id") == 2 and codes.count("duplicate_text") == 4
    ids = dask_an.docs["doc_id"].tolist()
    assert ids.count("a") == 1 and any(i.endswith("-3") for i in ids)
    want = concat_problems([p for _, p in iter_batches(repeats, batch_size=3)])
    corpus_rows = dask_an.problems.iloc[: len(want)].reset_index(drop=True)
    pd.testing.assert_frame_equal(corpus_rows, want, check_exact=True)
    assert dask_an.manifest["engine"].startswith("dask") and local.manifest["engine"] == "local"


def test_a_file_without_a_plan_is_read_on_the_driver_with_a_log_line(tmp_path, caplog):
    src = tmp_path / "c.csv"  # cp1252: the line readers stream UTF-8 only
    src.write_bytes("doc_id,text\na,Caf\xe9 said.\nb,Two.\na,Three.\nc,Two.\n".encode("cp1252"))
    config = Config.from_dict({**CONFIG, "batch_size": 2})
    with caplog.at_level(logging.INFO, logger="framelens"):
        analyze_to(
            tmp_path / "d",
            src,
            config,
            progress=False,
            engine="dask",
            scheduler="threads",
            encoding="cp1252",
        )
    assert "read on the driver" in caplog.text
    analyze_to(tmp_path / "l", src, config, progress=False, encoding="cp1252")
    _assert_same(Analysis.load(tmp_path / "d"), Analysis.load(tmp_path / "l"))


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_batches_are_planned_and_read_by_the_tasks(tmp_path, caplog, fmt):
    src = tmp_path / f"c.{fmt}"
    sep = "," if fmt == "csv" else "\t"
    text = [
        "Vucic said Serbia would stay neutral.\nMoscow welcomed it.",  # a quoted newline
        "Brussels said the talks went well.",
        "Vucic said Serbia would stay neutral.\nMoscow welcomed it.",  # repeats batch 1
        "A quiet day in Belgrade.",
        "Serbia and Russia signed a deal.",
    ]
    pd.DataFrame({"doc_id": list("abcda"), "text": text}).to_csv(src, sep=sep, index=False)
    config = Config.from_dict({**CONFIG, "batch_size": 2})
    p = partitions.plan(src, batch_size=2)
    assert [b.line for b in p.batches] == [2, 5, 8]  # quoted newlines counted
    want = [d for d, _ in iter_batches(src, batch_size=2)]
    assert [d["doc_id"].tolist() for d in want] == [["a", "b"], ["c", "d"], []]
    with caplog.at_level(logging.INFO, logger="framelens"):
        got = analyze_to(
            tmp_path / "d", src, config, progress=False, engine="dask", scheduler="threads"
        )
    assert "planned for the cluster" in caplog.text and "read on the driver" not in caplog.text
    local = analyze_to(tmp_path / "l", src, config, progress=False)
    assert set(local.problems["code"]) >= {"duplicate_id", "duplicate_text"}
    _assert_same(got, local)


def test_txt_folder_batches_are_file_lists_the_tasks_read(tmp_path, caplog):
    folder = tmp_path / "folder"
    folder.mkdir()
    texts = {
        "a": "---\nsection: World\n---\nVucic said Serbia would stay neutral.",
        "b": "Brussels said the talks went well.",
        "c": "---\n: bad\n---\nA quiet day in Belgrade.",
        "d": "Vucic said Serbia would stay neutral.",  # repeats a's text, in batch 2
        "e": "Serbia and Russia signed a deal.",
    }
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "metadata.csv").write_text("file,outlet\nd.txt,RT\nzz.txt,BBC\n", encoding="utf-8")
    p = partitions.plan(folder, batch_size=2)
    assert [b.files for b in p.batches] == [("a.txt", "b.txt"), ("c.txt", "d.txt"), ("e.txt",)]
    light = for_batch(p, p.batches[1])
    assert light.batches == [] and list(light.scan.meta) == ["d.txt"]
    want = list(iter_batches(folder, batch_size=2))[1][0]
    pd.testing.assert_frame_equal(partitions.read(light, p.batches[1])[0], want)
    config = Config.from_dict({**CONFIG, "batch_size": 2})
    with caplog.at_level(logging.INFO, logger="framelens"):
        got = analyze_to(
            tmp_path / "d", folder, config, progress=False, engine="dask", scheduler="threads"
        )
    assert "planned for the cluster" in caplog.text
    local = analyze_to(tmp_path / "l", folder, config, progress=False)
    assert {"duplicate_text", "bad_front_matter", "missing_file"} <= set(local.problems["code"])
    _assert_same(got, local)


def test_engine_options_are_checked(tmp_path, repeats):
    with pytest.raises(ConfigError, match="not both"):
        analyze_to(tmp_path / "x", repeats, engine="dask", workers=2, scheduler="tcp://h:1")
    with pytest.raises(ConfigError, match="options of engine='dask'"):
        analyze_to(tmp_path / "x", repeats, workers=2)
    with pytest.raises(ConfigError, match="positive int"):
        analyze_to(tmp_path / "x", repeats, engine="dask", workers=0)
    assert not (tmp_path / "x").exists()


def test_local_cluster_of_two_workers_equals_local(tmp_path):
    """Workers read their byte ranges of the file and write their own parts."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpusgen

    src = tmp_path / "gen.jsonl"
    corpusgen.write_jsonl(src, 24, seed=5)
    config = Config.from_dict({**CONFIG, "batch_size": 6, "sentiment": True})
    analyze_to(tmp_path / "local", src, config, progress=False)
    an = analyze_to(tmp_path / "dask", src, config, progress=False, engine="dask", workers=2)
    assert an.manifest["engine"] == "dask (distributed:2 workers)"
    assert sorted(f for f in an.manifest["files"] if f.startswith("docs/")) == [
        f"docs/part-{i:05d}.parquet" for i in range(4)
    ]
    _assert_same(Analysis.load(tmp_path / "dask"), Analysis.load(tmp_path / "local"))
