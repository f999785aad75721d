"""stats.kwic: explicit pattern types (quanteda's valuetype)."""

from __future__ import annotations

import pandas as pd
import pytest

from framelens.core import schema
from framelens.stats.kwic import PATTERN_TYPES, kwic

D = pd.DataFrame({"doc_id": ["a"], "text": ["New EU sanctions hit Russia hard. Sanctions again."]})


def test_pattern_types():
    assert PATTERN_TYPES == ("glob", "regex", "fixed", "category")
    assert kwic(D, "sanction*")["match"].tolist() == ["sanctions", "Sanctions"]
    assert kwic(D, "sanction?")["match"].tolist() == ["sanctions", "Sanctions"]
    assert len(kwic(D, "sanction*", pattern_type="fixed")) == 0
    assert kwic(D, "hit russia", pattern_type="fixed")["match"].tolist() == ["hit Russia"]
    assert kwic(D, r"sanctions?\s+\w+", pattern_type="regex")["match"].tolist() == [
        "sanctions hit",
        "Sanctions again",
    ]


def test_category_needs_matches_and_matches_need_category():
    m = pd.DataFrame(
        [("a", 0, 21, 27, "policy", "External", "russia*", "author", 1.0)],
        columns=list(schema.MATCH_COLUMNS),
    )
    r = kwic(D, "External", pattern_type="category", matches=m, window=1)
    assert r[["match", "left", "right", "term"]].values.tolist() == [
        ["Russia", "hit", "hard.", "russia*"]
    ]
    with pytest.raises(ValueError, match="needs the matches table"):
        kwic(D, "External", pattern_type="category")
    with pytest.raises(ValueError, match="pass pattern_type='category'"):
        kwic(D, "External", matches=m)


def test_pattern_type_is_validated_and_keyword_only():
    with pytest.raises(ValueError, match="pattern_type must be one of 'glob', 'regex'"):
        kwic(D, "x", pattern_type="phrase")
    with pytest.raises(TypeError):
        kwic(D, "x", "glob")  # keyword-only
    with pytest.raises(ValueError, match="not a valid regex"):
        kwic(D, "(", pattern_type="regex")


def test_offsets_point_into_the_text():
    for ptype, pat in (("glob", "sanction*"), ("regex", "r[a-z]+"), ("fixed", "eu")):
        for row in kwic(D, pat, pattern_type=ptype).itertuples():
            assert D.text[0][row.start : row.end] == row.match
