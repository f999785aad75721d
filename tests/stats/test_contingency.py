"""stats.contingency: chi-square and adjusted residuals; stats imports only core."""

from __future__ import annotations

import ast
import math
import sys

import pandas as pd
import pytest
from scipy import stats as sps

from conftest import ROOT
from framelens.stats import GroupComparison, contingency_test


def test_chi2_and_residuals_by_hand():
    t = pd.DataFrame([[10, 0], [0, 10]], index=["A", "B"], columns=["x", "y"])
    r = contingency_test(t)
    assert isinstance(r, GroupComparison)
    assert r.chi2 == pytest.approx(20.0) and r.dof == 1
    # adjusted residual (O - E) / sqrt(E (1 - r/n)(1 - c/n)) = 5 / sqrt(5 * 0.25)
    assert r.residuals.loc["A", "x"] == pytest.approx(5 / math.sqrt(1.25))
    chi2, p, dof, _ = sps.chi2_contingency(t.to_numpy(), correction=False)
    assert r.p_value == pytest.approx(p) and r.cramers_v == pytest.approx(1.0)
    assert list(r.tidy(names=("outlet", "frame")).columns[:2]) == ["outlet", "frame"]


def test_zero_rows_are_kept_but_not_tested():
    t = pd.DataFrame([[3, 1], [0, 0], [1, 3]], index=["A", "Z", "B"], columns=["x", "y"])
    r = contingency_test(t)
    assert list(r.table.index) == ["A", "Z", "B"] and r.dof == 1
    assert (r.residuals.loc["Z"] == 0).all()
    one = contingency_test(pd.DataFrame([[1, 2]], index=["A"], columns=["x", "y"]))
    assert math.isnan(one.chi2) and one.dof == 0


def test_stats_imports_only_core():
    for name in ("__init__", "keyness", "kwic", "contingency"):
        path = ROOT / "lib" / "framelens" / "stats" / f"{name}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mod = node.module
            elif isinstance(node, ast.Import):
                mod = node.names[0].name
            else:
                continue
            if mod.startswith("framelens"):
                assert mod == "framelens.core" or mod.startswith("framelens.core."), (path, mod)
            else:
                top = mod.split(".")[0]
                assert top in {"numpy", "scipy", "pandas"} | sys.stdlib_module_names, (path, mod)
