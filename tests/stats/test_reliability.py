"""Published oracles (METHODS.md §5)."""

import numpy as np
import pytest

from framelens.stats.reliability import cohen_kappa, fleiss_kappa, krippendorff_alpha

nan = np.nan
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]


@pytest.mark.parametrize(
    "level,expected",
    [("nominal", 0.743421), ("ordinal", 0.815388), ("interval", 0.849107), ("ratio", 0.797403)],
)
def test_krippendorff_2011_worked_example(level, expected):
    assert krippendorff_alpha(K2011, level=level) == pytest.approx(expected, abs=1e-6)


def test_cohen_kappa_oracles():
    assert cohen_kappa([[20, 5], [10, 15]]) == pytest.approx(0.40, abs=1e-4)
    t = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
    assert cohen_kappa(t) == pytest.approx(0.4842, abs=1e-4)
    assert cohen_kappa(t, weights="linear") == pytest.approx(0.4701, abs=1e-4)


def test_fleiss_kappa_hand_computed():
    # 3 units x 2 raters: P_i = 1, 1, 0 -> P_bar = 2/3; p_j = .5, .5 -> P_e = .5
    # kappa = (2/3 - 1/2) / (1 - 1/2) = 1/3
    assert fleiss_kappa([[2, 0], [0, 2], [1, 1]]) == pytest.approx(1 / 3)


def test_fleiss_kappa_input_checks():
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa([[1, 1], [3, 0]])
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(K2011, level="cardinal")
