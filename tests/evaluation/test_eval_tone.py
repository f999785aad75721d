"""Tests for the tone evaluation tasks on tiny fixtures written here
(tests/fixtures/tone: two Ukraine-bias-format articles, one NewsMTSC-format JSONL)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import FIXTURES
from framelens.evaluation import evaluate, tasks
from framelens.evaluation.tone import read_newsmtsc, read_ukraine

FIX = FIXTURES / "tone"


def test_tasks_registered():
    assert {"ukraine-tone", "newsmtsc"} <= set(tasks())


def test_read_newsmtsc():
    d, files = read_newsmtsc(FIX / "newsmtsc.jsonl")
    assert len(files) == 1 and len(d) == 6
    # polarity 2.0 / 4.0 / 6.0 -> -1 / 0 / 1
    assert d["label"].tolist() == [1, -1, 0, -1, 1, 0]
    assert d["mention"].tolist()[:2] == ["Anna Berg", "Tom Reed"]
    assert d["text"].tolist()[0][33:42] == "Anna Berg"


def test_newsmtsc_task():
    r = evaluate("newsmtsc", FIX / "newsmtsc.jsonl", n_boot=50)
    assert set(r) >= {"task", "path", "data_sha256", "n", "metrics", "baselines", "params"}
    assert r["task"] == "newsmtsc" and r["n"] == 6 and len(r["data_sha256"]) == 64
    # the fixture's targets carry unambiguous language (generous, brilliant, saved /
    # corrupt, lied, stole / a plain schedule): every target is classified correctly,
    # so macro-F1 = 1 and the confusion matrix is diagonal with 2 per class
    assert r["metrics"]["macro_f1"] == 1.0
    assert r["metrics"]["confusion"]["matrix"] == [[2, 0, 0], [0, 2, 0], [0, 0, 2]]
    b = r["baselines"]["vader_sentence"]
    assert 0.0 <= b["macro_f1"] <= 1.0
    # majority baseline: the first most frequent label (-1) on 2/6 targets ->
    # F1(neg) = 2*(1/3*1)/(1/3+1) = 0.5, others 0 -> macro 1/6
    assert r["baselines"]["majority"]["macro_f1"] == pytest.approx(0.5 / 3)
    json.dumps(r)  # serialisable


def test_read_ukraine():
    d, files = read_ukraine(FIX)  # the dataset root holding articles/
    assert len(files) == 2 and len(d) == 6
    assert d["russia"].tolist() == [-1.6, 0.0, 0.0, 1.0, 0.0, 0.2]


def test_ukraine_task_hand_computed():
    r = evaluate("ukraine-tone", FIX / "articles", n_boot=50)
    # labelled (|avg| >= 0.4): russia a1s0 (-1.6), a2s0 (+1.0); ukraine a1s1 (+0.8),
    # a2s1 (-1.4); west a1s1 (+1.2) -> n = 5
    assert r["n"] == 5 and r["n_articles"] == 2
    pg = r["metrics"]["per_government"]
    assert [pg[g]["n_labelled"] for g in ("russia", "ukraine", "west")] == [2, 2, 1]
    # "Russia brutally attacked ... killed" -> negative, "Moscow warmly welcomed ..." ->
    # positive, "Kiev's corrupt ... authorities" -> negative, "The European Union
    # generously offered help and praised" -> positive: all agree
    assert pg["russia"]["sign_agreement"] == 1.0 and pg["west"]["sign_agreement"] == 1.0
    # "... reforms in Ukraine": Ukraine is a place there (role LOC), so the sentence is not
    # counted as naming the Ukrainian government: coverage 1/2 and the fallback (sentence
    # VADER, positive) agrees
    assert pg["ukraine"]["coverage"] == 0.5
    assert r["metrics"]["sign_agreement"] == 1.0
    r2 = evaluate("ukraine-tone", FIX / "articles", n_boot=20, fallback="none")
    # without the fallback that sentence gets tone 0 -> a disagreement: 4 / 5
    assert r2["metrics"]["sign_agreement"] == pytest.approx(0.8)
    assert r2["metrics"]["per_government"]["ukraine"]["sign_agreement"] == 0.5
    assert np.isfinite(r["baselines"]["vader_sentence"]["sign_agreement"])
    with pytest.raises(ValueError, match="fallback"):
        evaluate("ukraine-tone", FIX, fallback="bogus")


def test_bad_input(tmp_path):
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"nope": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="NewsMTSC"):
        evaluate("newsmtsc", bad)
    (tmp_path / "arts").mkdir()
    with pytest.raises(FileNotFoundError):
        evaluate("ukraine-tone", tmp_path / "arts")
