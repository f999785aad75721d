"""Narrative frame model: the per-frame "always present" fallback decided in the inner
folds, and the other scheme's lexicon block read the same way in training and analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.errors import ConfigError
from framelens.measures import supervised as sv
from framelens.measures.supervised import step
from framelens.measures.supervised.training import _cv_threshold_f1, _per_label_choice


def _fixture(n=80, seed=0):
    rng = np.random.default_rng(seed)
    texts, sep, noise = [], [], []
    for _ in range(n):
        on = bool(rng.random() < 0.4)
        words = ["the", "report", "said", "on", "monday", *rng.choice(["x", "y", "z"], 3)]
        if on:
            words += ["budget", "tax", "prices"]
        rng.shuffle(words)
        texts.append(" ".join(words) + ".")
        sep.append(on)
        noise.append(bool(rng.random() < 0.6))  # common and unrelated to the words
    return pd.DataFrame({"text": texts}), pd.DataFrame({"EC": sep, "RE": noise}), np.arange(n)


def test_a_frame_the_model_cannot_separate_falls_back_to_always_present():
    X, Y, g = _fixture()
    m = sv.fit("narrative-frames", X, Y, groups=g, n_inner=4)
    thr = dict(zip(m.labels, m.thresholds))
    assert thr["RE"] == 0.0 and thr["EC"] > 0.0
    P = sv.predict(m, X)
    assert P["RE"].all() and not P["EC"].all()
    assert (P["EC"] == Y["EC"]).mean() > 0.9


def test_the_threshold_rule_is_scored_on_rows_it_was_not_chosen_on():
    rng = np.random.default_rng(1)
    y = rng.random(200) < 0.5
    q = rng.random(200)  # no signal: a threshold tuned in-sample still finds some F1
    fold = np.arange(200) % 5
    present = 2 * y.mean() / (1 + y.mean())
    assert _cv_threshold_f1(y, q, fold) <= present + 0.02
    Cs, thr = _per_label_choice(y[:, None], {1.0: q[:, None], 3.0: q[:, None]}, fold)
    assert Cs == [1.0] and thr == [0.0]
    good = np.where(y, 0.8, 0.2) + rng.normal(0, 0.05, 200)
    Cs, thr = _per_label_choice(y[:, None], {1.0: q[:, None], 3.0: good[:, None]}, fold)
    assert Cs == [3.0] and 0.2 < thr[0] < 0.8


def _frame_docs(ids, schemes):
    rows = []
    for d in ids:
        for s, frames in schemes.items():
            for f in frames:
                rows.append({"doc_id": d, "scheme": s, "frame": f, "n_cues": 2, "rate": 3.0,
                             "score": 0.5})  # fmt: skip
    return pd.DataFrame(rows)


def test_analysis_builds_the_policy_block_a_narrative_model_was_trained_with():
    from framelens.measures.supervised.features import other_scheme_features

    ids = ["a", "b"]
    fd = _frame_docs(ids, {"generic": ["responsibility", "economic"],
                           "policy": ["Economic", "Morality"]})  # fmt: skip
    pol = other_scheme_features(fd, ids, "policy")
    assert pol.shape == (2, 42) and not any("Other" in c for c in pol.columns)
    num = ["lexcues_RE", "lexscore_EC", "lexcues_policy_Economic", "lexrate_policy_Morality"]
    model = sv.Model("narrative-frames", None, ["RE", "EC"], numeric=num)
    docs = pd.DataFrame({"doc_id": ids, "text": ["one text.", "another text."]})
    X = step._frame_inputs(model, docs, fd)
    assert list(X.columns) == ["text", *num]
    assert X["lexcues_policy_Economic"].tolist() == pytest.approx([np.log1p(2)] * 2)
    with pytest.raises(ConfigError, match="'policy'"):
        step._frame_inputs(model, docs, fd[fd["scheme"] == "generic"])
    # a model trained without the block does not need the policy scheme
    old = sv.Model("narrative-frames", None, ["RE", "EC"], numeric=num[:2])
    assert list(step._frame_inputs(old, docs, fd[fd["scheme"] == "generic"]).columns) == [
        "text", *num[:2]]  # fmt: skip
