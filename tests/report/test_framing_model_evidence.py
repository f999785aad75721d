"""The framing report's supervised section: model beside lexicon, evidence highlighted
at its characters (escaped), the card linked; a note when no model ran."""

from __future__ import annotations

import pandas as pd

from framelens.report import model_evidence as vme


class _Analysis:
    def __init__(self, tables, models=None):
        self.tables = tables
        self._models = models

    def step_options(self, step):
        if self._models is None:
            raise KeyError(step)
        return self._models


def _tables():
    text = "Protesters <script>clashed</script> with police over the fuel tax."
    docs = pd.DataFrame({"doc_id": ["d1"], "text": [text]})
    mf = pd.DataFrame({"doc_id": ["d1", "d1"], "frame": ["CO", "EC"], "p": [0.8, 0.3],
                       "present": [True, False], "model": "narrative_frames.skops"})  # fmt: skip
    a = text.index("clashed")
    ev = pd.DataFrame({"table": "model_frames", "doc_id": "d1", "sent_id": None,
                       "row_start": None, "row_end": None, "frame": ["CO", "CO", "EC"],
                       "label": ["CO", "CO", "EC"], "rank": [0, 1, 0],
                       "feature": ["word:clashed", "num:lexrate_CO", "word:tax"],
                       "weight": [0.9, 0.2, 0.5], "start": [a, None, text.index("tax")],
                       "end": [a + 7, None, text.index("tax") + 3]})  # fmt: skip
    fd = pd.DataFrame({"doc_id": ["d1", "d1"], "scheme": "generic",
                       "frame": ["conflict", "economic"], "present": [True, True]})  # fmt: skip
    return {"docs": docs, "model_frames": mf, "model_evidence": ev, "frame_docs": fd}


def test_no_model_gives_a_note():
    parts = vme.model_parts(_Analysis(_tables(), models=None))
    assert len(parts) == 1 and "No supervised frame model" in parts[0]


def test_model_section_shows_card_comparison_and_escaped_evidence():
    an = _Analysis(_tables(), models={"frames": "narrative_frames", "evidence": 5})
    parts = vme.model_parts(an)
    assert len(parts) == 4
    card, comparison, probs, text = parts
    assert "narrative_frames.card.json" in card and "docs/validation.md" in card
    assert "model-vs-lexicon" in comparison
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert text.count("<mark") == 1 and "clashed" in text  # only the present frame's span
    assert "word:clashed (+0.900)" in text
    cmp = vme.frame_comparison(an, {"task": "narrative-frames"}).set_index("frame")
    assert cmp.loc["CO", "agree"] == 1.0 and cmp.loc["EC", "agree"] == 0.0
