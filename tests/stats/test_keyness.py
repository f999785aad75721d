"""stats.keyness: G2 keyness over the one word unit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens import stats
from framelens.measures import framing
from framelens.stats.keyness import g2_table, keyness, term_counts


def test_framing_reexports_the_stats_functions():
    assert framing.keyness is keyness and framing.kwic is stats.kwic.kwic
    assert framing.contingency_test is stats.contingency_test


def test_terms_are_core_words_in_folded_text():
    d = pd.DataFrame({"text": ["Vučić's 1,500 troops, Vucic's troops", "peace"], "g": ["A", "B"]})
    k = keyness(d, "A", by="g", min_count=1, correction="none").set_index("term")
    assert k.loc["vucic's", "n_target"] == 2 and k.loc["1,500", "n_target"] == 1
    assert "peace" in k.index and k.loc["peace", "n_reference"] == 1


def test_g2_by_hand_and_sign():
    # a=2 war in target (3 words), b=0 in reference (3 words)
    t = g2_table(
        np.array(["war", "x"]), np.array([2.0, 1.0]), np.array([0.0, 3.0]), correction="none"
    )
    a, b, c, d = 2, 0, 1, 3
    n = a + b + c + d
    e = [(a + b) * (a + c) / n, (a + b) * (b + d) / n, (c + d) * (a + c) / n, (c + d) * (b + d) / n]
    g2 = 2 * sum(o * np.log(o / x) for o, x in zip((a, b, c, d), e) if o > 0)
    assert t.loc[0, "G2"] == pytest.approx(g2) and t.loc[0, "G2"] > 0


def test_term_counts_count_only_the_groups():
    v, a, b = term_counts(
        ["x y", "y", "z"], np.array([True, False, False]), np.array([False, True, False])
    )
    assert v == ["x", "y", "z"] and a.tolist() == [1, 1, 0] and b.tolist() == [0, 1, 0]


def test_options_are_validated():
    d = pd.DataFrame({"text": ["a b", "c"], "g": ["A", "B"]})
    with pytest.raises(ValueError, match="correction must be"):
        keyness(d, "A", by="g", correction="bonferroni")
    with pytest.raises(ValueError, match="no rows with g"):
        keyness(d, "Z", by="g")
