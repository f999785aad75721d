"""Tests of the bias evaluation adapters on tiny fixtures written here (same layouts as
BABE final_labels_SG2.csv and SemEval-2023 subtask 3). Expected values by hand."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from conftest import FIXTURES
from framelens.evaluation import bias, evaluate, tasks

FIX = FIXTURES / "bias"
BABE = FIX / "babe_tiny.csv"
SEMEVAL = FIX / "semeval"


def test_tasks_registered():
    assert {"babe", "semeval-techniques"} <= set(tasks())


def test_read_babe_drops_no_agreement_and_parses_words():
    u = bias.read_babe(BABE)
    # 10 rows, 1 "No agreement" -> 9; Biased rows 1, 3, 5, 8
    assert len(u) == 9
    assert u["label"].tolist() == [1, 0, 1, 0, 1, 0, 0, 1, 0]
    assert u["biased_words"].iloc[2] == ["so-called", "lied"]
    assert u["biased_words"].iloc[1] == []


def test_read_babe_rejects_other_files(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs columns"):
        bias.read_babe(p)
    p.write_text("text;label_bias\nx;Maybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown label_bias"):
        bias.read_babe(p)


@pytest.fixture(scope="module")
def babe_result():
    return evaluate("babe", BABE, n_boot=50)


def test_babe_output_structure_and_baselines(babe_result):
    r = babe_result
    assert r["task"] == "babe" and r["n"] == 9 and r["n_positive"] == 4
    assert r["data_sha256"] == hashlib.sha256(BABE.read_bytes()).hexdigest()
    assert {
        "macro_f1",
        "precision_pos",
        "recall_pos",
        "precision_neg",
        "recall_neg",
        "roc_auc",
        "ci95",
    } <= set(r["metrics"])
    assert not r["params"]["in_sample"]  # the shipped model was fitted on other data
    # majority class = Non-biased (5 of 9): F1_neg = 2 * (5/9) * 1 / (5/9 + 1) = 10/14;
    # F1_pos = 0 -> macro-F1 = 5/14 = 0.357143
    maj = r["baselines"]["majority_class"]
    assert maj["predicts"] == 0
    assert maj["macro_f1"] == pytest.approx(5 / 14)
    # VADER baseline: the threshold fitted on development data (shipped in
    # bias_model.json), not refitted here; the in-data fit is a second, labelled row
    dev = bias.dev_baselines()["vader_abs_compound"]
    v = r["baselines"]["vader_abs_compound"]
    assert v["threshold"] == dev["threshold"] and "development data" in v["fitted_on"]
    assert len(dev["fitted_on_sha256"]) == 64
    assert "in-sample" in r["baselines"]["vader_abs_compound_in_data"]["fitted_on"]
    json.dumps(r)  # JSON-serialisable


def test_vader_baseline_applies_the_dev_threshold_by_hand():
    y = np.array([1, 0, 1, 0])
    vabs = np.array([0.6, 0.4, 0.3, 0.7])
    b = bias._baselines(y, vabs, dev={"vader_abs_compound": {"threshold": 0.65}})
    # dev threshold 0.65 -> predictions [0, 0, 0, 1]: F1 biased 0 (no true positive);
    # non-biased: TN 1, FN 2, FP 1 -> P 1/3, R 1/2, F1 0.4 -> macro-F1 0.2
    assert b["vader_abs_compound"]["threshold"] == 0.65
    assert b["vader_abs_compound"]["macro_f1"] == pytest.approx(0.2)
    # fitted on these rows: a threshold in (0.4, 0.6] gives [1, 0, 0, 1]: each class
    # P = R = 1/2 -> macro-F1 0.5 (optimistic: chosen on the evaluated rows)
    assert b["vader_abs_compound_in_data"]["macro_f1"] == pytest.approx(0.5)
    # without dev thresholds only the labelled in-data row is reported
    assert "vader_abs_compound" not in bias._baselines(y, vabs, dev={})


def test_babe_word_overlap_by_hand(babe_result):
    # cue words per annotated row (lexicon bias_cues):
    #  1 {brutal, regime} vs {brutal, silenced}        -> 1 shared
    #  3 {so-called, clearly, lied} vs {so-called, lied} -> 2 shared
    #  5 {radical, shocking} vs {radical, stunt}       -> 1 shared
    #  8 {disastrous, destroy} vs {disastrous, destroy} -> 2 shared
    # hit rate 4/4; cue-word precision 6/9; annotated-word recall 6/8
    w = babe_result["word_overlap"]
    assert w["units_with_annotated_words"] == 4
    assert w["unit_hit_rate"] == 1.0
    assert w["cue_word_precision"] == pytest.approx(6 / 9)
    assert w["annotated_word_recall"] == pytest.approx(6 / 8)


def test_babe_is_deterministic_and_separates_the_fixture(babe_result):
    again = evaluate("babe", BABE, n_boot=50)
    assert again["metrics"]["ci95"] == babe_result["metrics"]["ci95"]
    # the invented biased rows carry loaded terms / intensifiers, the others none:
    # every biased row outranks every non-biased one
    assert babe_result["metrics"]["roc_auc"] == 1.0


def test_bootstrap_ci_brackets_the_point_estimate():
    y = np.array([0, 1] * 20)
    pred = y.copy()
    pred[:4] = 1 - pred[:4]
    ci = bias.bootstrap_ci(y, pred, n_boot=200, random_state=1, keys=("macro_f1",))
    point = bias.classification_metrics(y, pred)["macro_f1"]  # 36/40 right: 0.9
    assert point == pytest.approx(0.9)
    assert ci["macro_f1"][0] <= point <= ci["macro_f1"][1]


def test_read_semeval_units_and_labels():
    u = bias.read_semeval_techniques(SEMEVAL)
    # non-empty lines: 101:1,3,5 and 102:1,3,4
    assert u["unit_id"].tolist() == ["101:1", "101:3", "101:5", "102:1", "102:3", "102:4"]
    # Loaded_Language / Name_Calling-Labeling on 101:3 and 102:3 only (Doubt does not count)
    assert u["label"].tolist() == [0, 1, 0, 0, 1, 0]


def test_semeval_framing_cue_rule_by_hand():
    r = evaluate("semeval-techniques", SEMEVAL, n_boot=20)
    assert r["n"] == 6 and r["n_positive"] == 2
    assert r["params"]["prediction"] == "framing_cues"
    # 101:3 (corrupt, regime, lied) and 102:3 (traitors, thugs, so-called) carry framing
    # cues, no other line does -> perfect flagging
    assert r["metrics"]["f1_pos"] == 1.0
    # all-positive baseline: precision 2/6, recall 1 -> F1 = 2*(1/3)/(4/3) = 0.5
    assert r["baselines"]["all_positive"]["f1_pos"] == pytest.approx(0.5)
    assert r["params"]["bootstrap_unit"] == "article"


def test_semeval_rejects_wrong_layout(tmp_path):
    with pytest.raises(ValueError, match="subtask-3 layout"):
        bias.read_semeval_techniques(tmp_path)
