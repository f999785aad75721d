"""The validation report's learning curves: a round's codes as training rows, the curve
drawn with its baseline, and a round too small to train on reported, not dropped."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from conftest import ROOT
from framelens.report import curves as vc
from framelens.report import validation as vv


def test_round_rows_take_the_majority_and_count_ties_and_missing_units():
    codes = pd.DataFrame({"unit_id": ["u1", "u1", "u2", "u2", "u3", "u3", "u9", "u1"],
                          "coder": ["a", "b", "a", "b", "a", "b", "a", "framelens"],
                          "variable": "bias",
                          "value": ["biased", "biased", "neutral", "biased", "neutral",
                                    "neutral", "biased", "neutral"]})  # fmt: skip
    texts = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "doc_id": ["d1", "d1", "d2"],
                          "text": ["A smear.", "A vote.", "A count."]})  # fmt: skip
    rows = vc.round_rows(codes, texts, variable="bias", positive="biased")
    assert rows["y"].tolist() == [1, 0] and rows["X"]["text"].tolist() == ["A smear.", "A count."]
    assert rows["groups"].tolist() == ["d1", "d2"]
    assert any("tie" in n for n in rows["notes"]) and any("not in the analysis" in n
                                                         for n in rows["notes"])  # fmt: skip


def test_the_sample_round_is_too_small_and_says_so():
    rnd = vv.read_round(ROOT / "data" / "coding")
    units = rnd["units"]
    texts = units.assign(text="word " + units["unit_id"].astype(str))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # a report shows notes, not warnings
        lc, notes = vc.round_curve(rnd, texts, variable="bias", n_splits=3, n_inner=2)
    assert any("A small round" in n for n in notes)
    parts = vc.curve_parts(lc, title="round", notes=notes)
    if lc is None:
        assert notes and parts
    else:
        assert len(lc) == 4 and (lc["trained"] | (lc["note"] != "")).all()
    none, why = vc.round_curve(rnd, texts, variable="tone")
    assert none is None and "two-valued" in why[0]


def test_curve_parts_draw_the_curve_and_table():
    lc = pd.DataFrame({"fraction": [0.5, 1.0], "n_train_units": [40.0, 80.0],
                       "n_train_groups": [10.0, 20.0], "metric": "macro_f1",
                       "score": [0.6, 0.7], "baseline": [0.33, 0.33], "folds_trained": [5, 5],
                       "trained": [True, True], "note": ["", ""]})  # fmt: skip
    parts = vc.curve_parts(lc, title="t")
    assert len(parts) == 2 and "learning-curve" in parts[1]
    assert np.isclose(float(lc["score"].iloc[-1]), 0.7)
