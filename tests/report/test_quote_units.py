"""Quotations counted in two named units: quoted passages (outermost quotation-mark
spans) and quotations (attributed quote rows). Nested quotes are not counted twice."""

from __future__ import annotations

import pandas as pd
import pytest

import framelens
from framelens.report import article as va
from framelens.report import corpus as vc
from framelens.report.quote_units import quote_counts, quoted_passages


def _quotes(rows):
    return pd.DataFrame(rows, columns=["doc_id", "kind", "start", "end"])


def test_nested_and_indirect_quotes_are_one_passage_or_none():
    q = _quotes(
        [
            ("a", "indirect", 0, 60),  # "He said that ... 'x' ..." - no marks of its own
            ("a", "partial", 10, 20),  # inside the indirect one: one passage
            ("a", "direct", 70, 120),  # a quotation ...
            ("a", "partial", 80, 90),  # ... with a quotation inside it: still one passage
            ("b", "direct", 70, 80),  # another document: its own passage
        ]
    )
    p = quoted_passages(q)
    assert p.values.tolist() == [["a", 10, 20, 1], ["a", 70, 120, 2], ["b", 70, 80, 1]]
    assert quote_counts(q) == {"quoted passages": 3, "quotations": 5}
    assert quote_counts(None) == {"quoted passages": 0, "quotations": 0}


@pytest.mark.parametrize("attribution, n_quotes", [("rules", 19), ("model", 23)])
def test_the_seed_article_counts_passages_not_nested_quote_rows(seed_text, attribution, n_quotes):
    # the learned model (the default) adds four attributions without quotation marks
    # to the 19 hand-coded ones (tests/text/test_seed.py: MODEL_EXTRA)
    docs = pd.DataFrame({"doc_id": ["seed"], "text": [seed_text]})
    an = framelens.analyze(docs, {"attribution": attribution})
    counts = quote_counts(an.quotes)
    # 19 quote rows, but the text has 9 pairs of quotation marks (and one stray mark
    # after "1944"): 9 outermost quoted passages
    assert counts == {"quoted passages": 9, "quotations": n_quotes}
    assert seed_text.count('"') == 19
    figures = va.article_figures(an)
    assert (figures["quoted passages"], figures["quotations"]) == (9, n_quotes)
    assert f"9 quoted passages, {n_quotes} quotations" in va.summary_line(an)
    habits = vc.quoting_habits(an, by="outlet")
    assert habits[["quoted passages", "quotations"]].values.tolist() == [[9, n_quotes]]
    assert vc.corpus_figures(an, by="outlet")["quoted passages"] == 9


def test_the_article_report_lists_input_quality_warnings(seed_text):
    from framelens.report import input_quality

    docs = pd.DataFrame({"doc_id": ["seed"], "text": [seed_text]})
    an = framelens.analyze(docs)
    w = input_quality.input_quality(an)
    assert {"kmarsome", "2019"} <= set(w["word"])
    html = input_quality.article_section(an, "seed").data
    assert "kmarsome" in html and "input-quality-seed.csv" in html and "<mark" in html
    clean = framelens.analyze(pd.DataFrame({"doc_id": ["c"], "text": ["The vote is next week."]}))
    assert "Nothing to check was found" in input_quality.article_section(clean, "c").data
