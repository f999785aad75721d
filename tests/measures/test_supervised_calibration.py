"""Calibrated probabilities, the cross-fitted word lexicon and learning curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.errors import ConfigError
from framelens.measures import supervised as sv
from framelens.measures.supervised import calibration as cal
from framelens.measures.supervised import wordlex


def test_calibration_maps_overconfident_scores_to_frequencies():
    rng = np.random.default_rng(0)
    true = rng.uniform(0.05, 0.5, 4000)  # real frequencies at most one half
    y = (rng.uniform(size=true.size) < true).astype(float)
    raw = np.clip(true * 1.8, 0, 0.99)  # a balanced model's over-statement
    for method in cal.METHODS:
        c = cal.fit_calibration(raw[:, None], y[:, None], method=method)
        q = cal.apply_calibration(raw[:, None], c)[:, 0]
        assert cal.ece(y, q) < cal.ece(y, raw) / 3
        assert cal.brier(y, q) < cal.brier(y, raw)
        assert np.all(np.diff(q[np.argsort(raw)]) >= -1e-12)  # monotone: ranks kept
    with pytest.raises(ConfigError, match="calibration method"):
        cal.fit_calibration(raw[:, None], y[:, None], method="beta")


def _bias_rows(n_groups=30):
    biased = [
        "the brutal regime lied again",
        "so-called experts shamefully lied",
        "a disgraceful and brutal crackdown",
        "radical zealots smeared the judge",
    ]
    plain = ["the council met on tuesday", "officials approved the budget",
             "the vote was seven to two", "the judge read the ruling"]  # fmt: skip
    marks = ["brutal|lied", "so-called|shamefully", "disgraceful|brutal", "radical|zealots|smeared"]
    texts, y, m, g = [], [], [], []
    for k in range(n_groups):
        j = k % 4
        texts += [biased[j], plain[(j + 1) % 4]]
        y += [1, 0]
        m += [marks[j], ""]
        g += [k, k]
    return pd.DataFrame({"text": texts, "biased_words": m}), np.array(y), np.array(g)


def test_every_recipe_kind_stores_calibration_and_thresholds_on_calibrated_probabilities():
    X, y, g = _bias_rows()
    m = sv.fit("babe", X, y, groups=g, n_inner=3)
    assert m.calibration["method"] == "sigmoid" and len(m.calibration["maps"]) == 1
    assert 0 < m.thresholds[0] < 1
    p_cal = sv.predict_proba(m, X)[1].to_numpy()
    p_raw = sv.predict_proba(m, X, calibrated=False)[1].to_numpy()
    assert not np.allclose(p_cal, p_raw)
    assert (sv.predict(m, X).to_numpy() == (p_cal >= m.thresholds[0])).all()
    texts = ["Critics slammed Russia over the brutal war.", "Leaders praised Ukraine for reform.",
             "Officials met Germany on Tuesday."] * 6  # fmt: skip
    W = sv.target_windows(texts, [16, 16, 14] * 6, [22, 23, 21] * 6)
    t = sv.fit("newsmtsc", W, [-1, 1, 0] * 6, groups=np.arange(18) // 3, n_inner=3)
    assert len(t.calibration["maps"]) == 3
    P = sv.predict_proba(t, W)
    assert np.allclose(P.sum(axis=1), 1.0)


def test_calibration_survives_saving_and_the_file_is_byte_reproducible(tmp_path):
    X, y, g = _bias_rows()
    files = []
    for k in range(2):
        m = sv.fit("babe", X, y, groups=g, n_inner=3)
        files.append(sv.persist.save_model(m, tmp_path / f"b{k}.skops", card={})[0])
    assert files[0].read_bytes() == files[1].read_bytes()
    loaded, card = sv.persist.load_model(files[0])
    assert card["calibration"] == m.calibration and card["lexicon"] == m.lexicon
    X2 = X[["text"]]  # no marks at prediction time
    pd.testing.assert_frame_equal(sv.predict_proba(loaded, X2), sv.predict_proba(m, X2))


def test_cross_validation_reports_brier_and_ece_calibrated_and_not():
    X, y, g = _bias_rows(40)
    cv = sv.cross_validate("babe", X, y, groups=g, n_splits=4, n_inner=3, n_boot=50)
    c = cv["calibration"]
    assert c["method"] == "sigmoid"
    assert set(c["calibrated"]) == {"brier", "ece"} == set(c["uncalibrated"])
    assert 0 <= c["calibrated"]["brier"] <= 1


def test_the_word_lexicon_is_cross_fitted_and_learned_from_training_rows_only():
    texts = ["a vile plan", "a vile speech", "a plan", "an odious idea"]
    marks = ["vile", "vile", "", "odious"]
    y = [1, 1, 0, 1]
    lex = wordlex.fit_lexicon(texts, marks, y)
    assert lex == {"odious": 0.5, "vile": 0.666667}
    cf = wordlex.cross_fit(texts, marks, y, groups=[0, 1, 2, 3], n_splits=4)
    # "odious" is marked in its own row only: cross-fitted, that row learns nothing of it
    assert cf.loc[3, "bw_max"] == 0.0
    assert cf.loc[0, "bw_max"] > 0  # "vile" is marked in another row too
    X, yb, g = _bias_rows()
    m = sv.fit("babe", X, yb, groups=g, n_inner=3)
    assert "smeared" in m.lexicon and "council" not in m.lexicon
    plain = sv.fit("babe", X[["text"]], yb, groups=g, n_inner=3)
    assert plain.lexicon == {}  # no marks: no learned lexicon, the text features only


def test_explain_spans_the_lexicon_words_of_the_learned_feature():
    X, y, g = _bias_rows()
    m = sv.fit("babe", X, y, groups=g, n_inner=3)
    ev = sv.explain(m, X[["text"]].iloc[0], k=40)
    bw = [e for e in ev if e["feature"].split(":", 1)[1] in wordlex.COLUMNS]
    assert bw
    text = X["text"].iloc[0]
    assert {text[a:b] for e in bw for a, b in e["spans"]} <= set(m.lexicon) | {"brutal", "lied"}


def test_learning_curve_grows_with_the_groups_and_keeps_untrainable_points():
    X, y, g = _bias_rows(40)
    lc = sv.learning_curve("babe", X, y, groups=g, fractions=(0.03, 0.5, 1.0), n_splits=4,
                           n_inner=2)  # fmt: skip
    assert lc["fraction"].tolist() == [0.03, 0.5, 1.0]
    assert lc["n_train_units"].is_monotonic_increasing
    first = lc.iloc[0]
    assert not first["trained"] and "cannot train on these 2 rows" in first["note"]
    assert lc["trained"].iloc[-1] and lc["score"].iloc[-1] >= lc["baseline"].iloc[-1]
    with pytest.raises(ConfigError, match="fractions"):
        sv.learning_curve("babe", X, y, groups=g, fractions=(0, 1))
