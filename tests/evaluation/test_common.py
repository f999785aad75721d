"""The evaluation tasks' shared helpers: one dataset hash."""

import hashlib

import pytest

from framelens.evaluation import bias, common, frames, tone


def test_one_file_hashes_like_sha256sum(tmp_path):
    f = tmp_path / "data.csv"
    f.write_bytes(b"text;label_bias\n")
    assert common.dataset_sha256(f) == hashlib.sha256(f.read_bytes()).hexdigest()
    assert common.dataset_sha256([f]) == common.dataset_sha256(str(f))


def test_several_files_hash_names_and_bytes_in_path_order(tmp_path):
    (tmp_path / "sub").mkdir()
    a, b = tmp_path / "a.txt", tmp_path / "sub" / "b.txt"
    a.write_text("one")
    b.write_text("two")
    h = common.dataset_sha256(tmp_path)
    assert h == common.dataset_sha256([b, a])
    expected = hashlib.sha256(b"a.txt\0one\0b.txt\0two\0").hexdigest()
    assert h == expected
    b.write_text("TWO")
    assert common.dataset_sha256(tmp_path) != h


def test_no_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="no data files"):
        common.dataset_sha256(tmp_path)


def test_tasks_share_the_helpers():
    for mod in (bias, frames, tone):
        assert mod.common is common
        assert not any(n.startswith("_sha256") or n == "_bootstrap" for n in vars(mod))


def _old_bias_groups_ci(y, pred, groups, n_boot, random_state):
    """The bias task's bootstrap before the shared one (macro-F1; groups by first
    appearance): the shared bootstrap must give the same intervals."""
    import numpy as np
    import pandas as pd
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(random_state)
    g = pd.factorize(pd.Series(groups))[0]
    members = [np.flatnonzero(g == k) for k in range(g.max() + 1)]
    vals = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(members), len(members))
        idx = np.concatenate([members[k] for k in pick])
        vals.append(f1_score(y[idx], pred[idx], average="macro", labels=[0, 1], zero_division=0))
    return [float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))]


def test_bias_group_bootstrap_keeps_its_intervals():
    import numpy as np

    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 60)
    pred = np.where(rng.random(60) < 0.7, y, 1 - y)
    groups = rng.choice(["z", "a", "m", "b", "q"], 60)  # first appearance != sorted
    new = bias.bootstrap_ci(y, pred, groups=groups, n_boot=200, random_state=1)
    assert new["macro_f1"] == _old_bias_groups_ci(y, pred, groups, 200, 1)
