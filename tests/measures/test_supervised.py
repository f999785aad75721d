"""Supervised recipes: byte-reproducible skops files, cards, evidence spans, grouped CV."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from framelens.measures import supervised as sv

WORDS = {
    "Security": ["troops", "army", "attack", "border", "missile"],
    "Economic": ["budget", "tax", "prices", "jobs", "trade"],
    "Political": ["election", "party", "vote", "senate", "campaign"],
}


def _frames_fixture(n=60, seed=0):
    rng = np.random.default_rng(seed)
    texts, rows = [], []
    for _ in range(n):
        on = {f: bool(rng.random() < 0.45) for f in WORDS}
        words = ["the", "report", "said", "on", "monday"]
        for f, v in on.items():
            if v:
                words += list(rng.choice(WORDS[f], 3))
        rng.shuffle(words)
        texts.append(" ".join(words) + ".")
        rows.append(on)
    return pd.DataFrame({"text": texts}), pd.DataFrame(rows), np.arange(n)


def test_training_is_byte_reproducible_and_the_file_loads(tmp_path):
    X, Y, g = _frames_fixture()
    paths = []
    for k in range(2):
        m = sv.fit("semeval-frames", X, Y, groups=g, n_inner=3)
        card = sv.card(m, X, Y, licence="fixture", dataset="synthetic")
        paths.append(sv.persist.save_model(m, tmp_path / f"m{k}.skops", card=card))
    (a, ca), (b, cb) = paths
    assert a.read_bytes() == b.read_bytes()
    card_a, card_b = json.loads(ca.read_text()), json.loads(cb.read_text())
    assert card_a["training_data_sha256"] == card_b["training_data_sha256"]
    assert card_a["model_sha256"] == card_b["model_sha256"]
    loaded, card = sv.persist.load_model(a)
    assert card["task"] == "semeval-frames" and card["data_licence"] == "fixture"
    pd.testing.assert_frame_equal(sv.predict(loaded, X), sv.predict(m, X))
    assert set(card) >= {"features", "parameters", "thresholds", "labels", "cross_validation"}


def test_a_tampered_model_file_is_refused(tmp_path):
    from framelens.errors import ConfigError

    X, Y, g = _frames_fixture(30)
    m = sv.fit("narrative-frames", X, Y, groups=g, n_inner=3)
    p, _ = sv.persist.save_model(m, tmp_path / "m.skops", card={})
    data = bytearray(p.read_bytes())
    other = sv.persist.canonical(sv.persist.dumps(sv.make_pipeline("babe")))
    p.write_bytes(other)
    with pytest.raises(ConfigError, match="does not match its card"):
        sv.persist.load_model(p)
    assert len(data) > 0


def test_grouped_cv_reports_scores_with_intervals():
    X, Y, g = _frames_fixture(80)
    cv = sv.cross_validate("semeval-frames", X, Y, groups=g // 2, n_splits=4, n_inner=3,
                           n_boot=100)  # fmt: skip
    assert cv["micro_f1"] > 0.8 and cv["ci"]["micro_f1"][0] <= cv["micro_f1"]
    assert set(cv["per_label_f1"]) == set(WORDS)


def test_explain_gives_features_with_character_spans():
    X, Y, g = _frames_fixture()
    m = sv.fit("semeval-frames", X, Y, groups=g, n_inner=3)
    row = X.iloc[int(np.flatnonzero(Y["Security"])[0])]
    ev = sv.explain(m, row, k=5, label="Security")
    assert ev and all(e["label"] == "Security" for e in ev)
    for e in ev:
        term = e["feature"].split(":", 1)[1]
        for a, b in e["spans"]:
            assert row["text"][a:b].lower() == term.replace(" ", " ")[: b - a] or " " in term


def test_binary_bias_recipe_with_char_ngrams():
    biased = ["the brutal regime lied again", "so-called experts shamefully lied",
              "a disgraceful and brutal crackdown"]  # fmt: skip
    plain = ["the council met on tuesday", "officials approved the budget",
             "the vote was seven to two"]  # fmt: skip
    X = pd.DataFrame({"text": (biased + plain) * 4})
    y = ([1] * 3 + [0] * 3) * 4
    m = sv.fit("babe", X, y, groups=np.arange(24) // 2, n_inner=3)
    assert sv.predict(m, X).tolist() == y
    ev = sv.explain(m, X.iloc[0], k=10)
    word = [e for e in ev if e["feature"].startswith("word:")]
    assert any(X["text"].iloc[0][a:b] in ("brutal", "lied") for e in word for a, b in e["spans"])


def test_target_tone_windows_map_evidence_back_to_the_sentence():
    texts = ["Critics slammed Russia over the brutal war.", "Leaders praised Ukraine for reform.",
             "Officials met Germany on Tuesday."] * 6  # fmt: skip
    starts = [16, 16, 14] * 6
    ends = [22, 23, 21] * 6
    W = sv.target_windows(texts, starts, ends)
    assert (W["text"].str.slice(0, 0) == "").all()
    m = sv.fit("newsmtsc", W, [-1, 1, 0] * 6, groups=np.arange(18) // 3)
    ev = sv.explain(m, W.iloc[0], k=20)
    for e in ev:
        block, term = e["feature"].split(":", 1)
        for a, b in e["spans"]:
            piece = texts[0][a:b].lower()
            assert piece == term or (block == "masked" and "tgtx" in term) or " " in term
    left = [e for e in ev if e["feature"] == "left:slammed"]
    assert left and left[0]["spans"] == [(8, 15)]


def test_narrative_recipe_chooses_c_per_frame_by_inner_cv_and_keeps_it(tmp_path):
    X, Y, g = _frames_fixture(60, seed=3)
    m = sv.fit("narrative-frames", X, Y, groups=g, n_inner=3)
    grid = sv.RECIPES["narrative-frames"].C_grid
    assert len(m.label_C) == len(m.labels) and set(m.label_C) <= set(grid)
    clf = m.pipeline.named_steps["clf"]
    assert [e.C for e in clf.estimators_] == m.label_C
    p, _ = sv.persist.save_model(m, tmp_path / "n.skops", card={})
    back, card = sv.persist.load_model(p)
    assert back.label_C == m.label_C and card["label_C"] == m.label_C
    pd.testing.assert_frame_equal(sv.predict(back, X), sv.predict(m, X))


def test_numeric_lexicon_block_is_weighted_and_explained_without_spans():
    X, Y, g = _frames_fixture(40)
    X = X.assign(lexcues_Security=Y["Security"].astype(float) * 2.0)
    m = sv.fit("semeval-frames", X, Y, groups=g, numeric=["lexcues_Security"], n_inner=3)
    ct = m.pipeline.named_steps["features"]
    assert ct.transformer_weights["num"] == sv.RECIPES["semeval-frames"].numeric_weight == 0.1
    ev = sv.explain(m, X.iloc[0], k=50, label="Security")
    num = [e for e in ev if e["feature"].startswith("num:")]
    assert all(e["spans"] == [] for e in num)


def test_too_little_data_is_a_clear_error():
    from framelens.errors import ConfigError

    X = pd.DataFrame({"text": ["one text", "another text"]})
    with pytest.raises(ConfigError, match="one class"):
        sv.fit("babe", X, [1, 1], groups=[0, 1])
    with pytest.raises(ConfigError, match="give more labelled rows|grouped folds"):
        sv.fit("babe", X, [1, 0], groups=[0, 1], n_inner=2)


def test_cross_predict_gives_out_of_fold_decisions_in_row_order():
    X, Y, g = _frames_fixture(40)
    pred, proba = sv.cross_predict("semeval-frames", X, Y, groups=g, n_splits=4, n_inner=3)
    assert pred.shape == Y.shape == proba.shape and pred.dtype == bool
    assert (pred == Y.to_numpy()).mean() > 0.8
    folds = sv.outer_folds("semeval-frames", Y, g, 4)
    assert sorted(np.concatenate([te for _, te in folds]).tolist()) == list(range(40))


def test_model_bytes_are_equal_across_processes(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys, pandas as pd\n"
        "from framelens.measures import supervised as sv\n"
        "X = pd.DataFrame({'text': ['war army troops attack', 'budget tax money jobs'] * 6})\n"
        "Y = pd.DataFrame({'Security': [True, False] * 6, 'Economic': [False, True] * 6})\n"
        "m = sv.fit('narrative-frames', X, Y, groups=list(range(12)), n_inner=3)\n"
        "sv.persist.save_model(m, sys.argv[1], card={})\n"
    )
    files = [tmp_path / f"m{k}.skops" for k in range(2)]
    for f in files:
        subprocess.run([sys.executable, "-c", code, str(f)], check=True)
    assert files[0].read_bytes() == files[1].read_bytes()
