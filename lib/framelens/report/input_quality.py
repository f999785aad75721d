"""The input-quality section of the article report: probable garbled words and dated
historical claims (:mod:`framelens.text.quality`), highlighted in the text and listed
with their offsets, for a reader to check. framelens never corrects them.

Examples
--------
>>> import pandas as pd
>>> from framelens.pipeline import Analysis
>>> an = Analysis({"docs": pd.DataFrame({"doc_id": ["a"], "text": ["A kmarsome talk."]})})
>>> input_quality(an, known=())["word"].tolist()
['kmarsome']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from framelens.report.core import note_html, section_html, table_html
from framelens.report.highlight import highlight_html
from framelens.text.quality import quality_warnings

__all__ = ["QUALITY_COLORS", "gazetteer_terms", "input_quality", "article_section"]

#: Highlight colours of the two kinds of warning (light Okabe-Ito tints).
QUALITY_COLORS = {"garbled_word": "#F2C9B0", "dated_claim": "#FAE8B0"}


def gazetteer_terms(analysis: Any = None) -> list[str]:
    """The surface terms of the actor gazetteer the analysis used (names that are never
    garbled words); the built-in gazetteer without an analysis."""
    from framelens.actors import load_gazetteer

    path = getattr(getattr(analysis, "config", None), "gazetteer", None)
    return list(load_gazetteer(path).terms)


def input_quality(analysis: Any, *, known: Iterable[str] | None = None) -> pd.DataFrame:
    """:func:`framelens.text.quality.quality_warnings` of an analysis's documents, with
    the analysis's own sentences and its gazetteer's names as known words.

    Parameters
    ----------
    analysis : Analysis
        With ``docs`` (and ``sentences``, used when present).
    known : iterable of str, optional, keyword-only
        Words that are not garbled; default :func:`gazetteer_terms` of the analysis.

    Returns
    -------
    DataFrame
        ``doc_id, sent_id, start, end, severity, code, word, message``.
    """
    tables = getattr(analysis, "tables", analysis)
    sents = tables.get("sentences")
    sents = sents if sents is not None and len(sents) else None
    known = gazetteer_terms(analysis) if known is None else known
    return quality_warnings(tables["docs"], sentences=sents, known=known)


def article_section(analysis: Any, doc_id: str, *, known: Iterable[str] | None = None):
    """The input-quality section of an article report, as ``IPython.display.HTML``: the
    text with garbled words and dated claims highlighted, and the warnings as a table.
    """
    from IPython.display import HTML

    one = analysis.doc(str(doc_id))
    text = str(one.docs["text"].iloc[0])
    w = input_quality(one, known=known)
    intro = note_html(
        "Probable garbled words are lower-case words that neither the English word list "
        "(wordfreq) nor the actor gazetteer knows; dated claims are sentences that date a "
        "historical event (a past year and a cue such as war, treaty, ended, signed). Both "
        "are for you to verify; framelens never corrects the text."
    )
    if not len(w):
        return HTML(section_html("Input quality", intro, note_html("Nothing to check was found.")))
    spans = pd.DataFrame(
        {"start": w["start"], "end": w["end"], "label": w["code"], "tip": w["message"]}
    )
    parts = [
        intro,
        highlight_html(
            text, spans, title_col="tip", colors=QUALITY_COLORS, legend_title="Input quality"
        ),
        table_html(
            w.drop(columns=["doc_id"]),
            name=f"input-quality-{doc_id}",
            caption="Warnings to check (offsets into the text)",
        ),
    ]
    return HTML(section_html("Input quality", *parts))
