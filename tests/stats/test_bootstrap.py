"""The one bootstrap: seeded, rows or groups as the resampling unit."""

import numpy as np
import pytest

from framelens.stats.bootstrap import bootstrap_ci, percentile_ci, resample_indices


def test_same_seed_same_samples_and_intervals():
    a = [s.tolist() for s in resample_indices(20, n_boot=5, random_state=7)]
    b = [s.tolist() for s in resample_indices(20, n_boot=5, random_state=7)]
    c = [s.tolist() for s in resample_indices(20, n_boot=5, random_state=8)]
    assert a == b and a != c
    x = np.random.default_rng(0).normal(size=50)
    ci = bootstrap_ci(lambda i: x[i].mean(), len(x), n_boot=300, random_state=3)
    assert ci == bootstrap_ci(lambda i: x[i].mean(), len(x), n_boot=300, random_state=3)
    assert ci[0] < x.mean() < ci[1]


def test_rows_are_the_numpy_draws():
    rng = np.random.default_rng(5)
    expected = [rng.integers(0, 9, 9).tolist() for _ in range(3)]
    assert [s.tolist() for s in resample_indices(9, n_boot=3, random_state=5)] == expected


def test_groups_are_drawn_whole_in_sorted_label_order():
    groups = np.array(["b", "a", "b", "c", "a", "a"])
    members = {"a": [1, 4, 5], "b": [0, 2], "c": [3]}
    rng = np.random.default_rng(2)
    for sample in resample_indices(len(groups), groups=groups, n_boot=20, random_state=2):
        pick = rng.integers(0, 3, 3)
        expected = [i for p in pick for i in members["abc"[p]]]
        assert sample.tolist() == expected


def test_groups_must_label_every_row():
    with pytest.raises(ValueError, match="one per row"):
        next(resample_indices(3, groups=["a", "b"]))


def test_mapping_and_array_statistics_and_unusable_values():
    y = np.array([0, 0, 1, 1, 1, 0, 1, 0])

    def stat(i):
        both = len(set(y[i].tolist())) == 2
        return {
            "mean": y[i].mean(),
            "pair": np.array([y[i].sum(), len(i)]),
            "only_both": 1.0 if both else None,
            "never": float("nan"),
        }

    ci = bootstrap_ci(stat, len(y), n_boot=100, random_state=0)
    assert set(ci) == {"mean", "pair", "only_both"}  # 'never' has no usable value
    assert ci["pair"][1] == [8.0, 8.0] and len(ci["mean"]) == 2
    assert bootstrap_ci(lambda i: float("nan"), 4, n_boot=10) != bootstrap_ci(
        lambda i: 0.0, 4, n_boot=10
    )
    lo, hi = bootstrap_ci(lambda i: float("nan"), 4, n_boot=10)
    assert np.isnan(lo) and np.isnan(hi)


def test_level_tails_are_exact():
    v = np.arange(1001, dtype=float)
    assert percentile_ci(v) == [np.percentile(v, 2.5), np.percentile(v, 97.5)]
    assert percentile_ci(v, level=0.9) == [50.0, 950.0]
    with pytest.raises(ValueError, match="level"):
        percentile_ci(v, level=95)
