"""The actors step's shortcuts give what the plain scans they replace give."""

import re

import numpy as np
import pandas as pd
import pytest

from framelens.actors import dates, gazetteer, tagging
from framelens.core.normalize import fold


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.load_gazetteer()


def _blocs_scan(g, root, date):
    # Gazetteer.blocs before it was indexed by root: a pass over every bloc's members
    day = g._day(date)
    out = {b for b, ms in g.bloc_members_.items() for m in ms if m.value == root and m.covers(day)}
    if out & {"EU", "NATO"} or root in {"EU", "NATO", "G7"}:
        out.add("WST")
    return ";".join(sorted(out))


@pytest.mark.parametrize(
    "date",
    [None, "1995-01-01", "2004-03-29", "2013-07-01", "2023-04-04", np.datetime64("NaT", "D")],
)
def test_blocs_by_root_equal_the_scan_of_all_members(gaz, date):
    day = gaz._day(date)
    for root in sorted(gaz.roots):
        assert gaz.blocs(root, day) == _blocs_scan(gaz, root, day)
        assert gaz.blocs(root, date) == _blocs_scan(gaz, root, date)


def test_a_day_is_kept_and_nat_is_the_reference_date(gaz):
    d = np.datetime64("2020-02-29", "D")
    assert gaz._day(d) == d == gaz._day("2020-02-29")
    assert gaz._day(np.datetime64("NaT", "D")) == gaz.reference_date == gaz._day(None)


def _name_code_plain(name, day, g):
    # _name_code before the per-name target memo
    code = g.code(name, day)
    if code is None:
        code = g.code(re.sub(r"['\u2019]s\b", "", name), day)
    if code is None:
        hits = tagging._find(name, g)
        if hits:
            root, role, _ = g.resolve(hits[0][2], g.reference_date if day is None else day)
            code = gazetteer.actor_code(root, role)
    return code


def test_name_codes_with_the_target_memo_equal_the_plain_lookups(gaz):
    names = sorted(gaz.terms)[::7][:300] + [
        "Russia's ambassador",
        "Aleksandar Vucic",
        "the European Commission",
        "U.S. embassy officials",
        "an unknown man",
        "he",
        "",
    ]
    days = [None, np.datetime64("2012-05-01", "D"), np.datetime64("2024-06-30", "D")]
    memo: dict = {}
    for day in days:
        for name in names:
            assert tagging._name_code(name, day, gaz, memo) == _name_code_plain(name, day, gaz)


def test_clause_lookup_by_bisection_only_for_sorted_disjoint_clauses():
    d = np.datetime64("2000-07-01", "D")
    assert tagging._disjoint_starts([(0, 5, d), (5, 9, d), (12, 20, d)]) == [0, 5, 12]
    assert tagging._disjoint_starts([]) == []
    assert tagging._disjoint_starts([(0, 10, d), (5, 9, d)]) is None  # nested
    assert tagging._disjoint_starts([(5, 9, d), (0, 3, d)]) is None  # unsorted


def test_containing_mention_stops_only_on_sorted_mentions():
    ms = [(0, 10, "A"), (2, 4, "B"), (20, 30, "C")]
    assert tagging._containing(ms, 2, 4, False) == "A"
    assert tagging._containing(ms, 21, 25, False) == "C"
    assert tagging._containing(ms, 12, 14, False) is None
    unsorted = [(20, 30, "C"), (0, 10, "A")]
    assert tagging._containing(unsorted, 2, 4, True) == "A"


def test_clause_dates_prefilter_skips_only_texts_without_years(monkeypatch):
    texts = [
        "Ties date from 1944, officials said.",
        "They met in \uff11\uff19\uff19\uff19 in Belgrade.",  # full-width digits
        "No year here at all.",
        "Since 2013 Serbia has negotiated; in 1999 it was bombed.",
        "In 3000 BC and 1492 too.",
    ]
    s = pd.DataFrame(
        {"doc_id": ["d"] * len(texts), "start": np.arange(len(texts)) * 100, "text": texts}
    )
    doc_dates = {"d": np.datetime64("2024-10-20", "D")}
    got = dates.clause_dates(s, doc_dates)
    every = frozenset("".join(texts))  # no text is skipped
    monkeypatch.setattr(dates, "_year_chars", lambda: every)
    pd.testing.assert_frame_equal(got, dates.clause_dates(s, doc_dates), check_exact=True)


def test_year_chars_are_the_characters_that_fold_to_1_or_2():
    chars = dates._year_chars()
    assert {"1", "2"} <= chars
    assert all(fold(c) in ("1", "2") for c in chars)
    sample = [chr(c) for c in range(0x20, 0x3000)]
    assert {c for c in sample if fold(c) in ("1", "2")} <= chars
