"""The validation report's pieces on a hand-built round, and the bundled sample round."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT
from framelens import coding
from framelens.errors import CodingError
from framelens.report import validation as vv

CODEBOOK = """
- variable: bias
  level: nominal
  values: [neutral, biased]
  definition: Loaded wording?
  tool: sentence_bias.bias_score
  cuts: [0.5]
"""


def _analysis():
    docs = pd.DataFrame({"doc_id": ["d"], "text": ["A b. C d. E f."], "outlet": ["X"]})
    sents = pd.DataFrame({"doc_id": ["d"] * 3, "sent_id": [0, 1, 2], "start": [0, 5, 10],
                          "end": [4, 9, 14], "text": ["A b.", "C d.", "E f."]})  # fmt: skip
    bias = sents[["doc_id", "sent_id"]].assign(bias_score=[0.2, 0.5, 0.9])
    return {"docs": docs, "sentences": sents, "sentence_bias": bias}


def _round(tmp_path, codes_ann, codes_bob):
    (tmp_path / "codebook.yaml").write_text(CODEBOOK)
    cb, _ = vv.read_codebook(tmp_path / "codebook.yaml")
    res = coding.export(_analysis(), cb, tmp_path, n=3, coders=["ann", "bob"], strata=("outlet",))
    sheet = pd.read_csv(res["files"][0], dtype=str, keep_default_na=False)
    (tmp_path / "filled").mkdir()
    sheet.assign(**{"bias[ann]": codes_ann, "bias[bob]": codes_bob}).to_csv(
        tmp_path / "filled" / "both.csv", index=False
    )
    return vv.read_round(tmp_path)


def test_round_tool_codes_confusion_and_worst_units(tmp_path):
    rnd = _round(tmp_path, ["neutral", "neutral", "biased"], ["neutral", "biased", "biased"])
    tool = vv.tool_codes_of(_analysis(), rnd["units"], rnd["codebook"], rnd["tools"])
    # scores 0.2, 0.5, 0.9 cut at 0.5: a cut belongs to the value above it
    assert tool.sort_values("unit_id")["value"].tolist() == ["neutral", "biased", "biased"]
    res = vv.compare(_analysis(), rnd, n_boot=20)
    assert res["vs_tool"] is not None and not res["notes"]
    conf = vv.confusion(res["codes"], "bias")
    # (unit, coder) pairs: s0 n/n vs n; s1 n/b vs b; s2 b/b vs b
    assert conf.loc["neutral"].to_dict() == {"biased": 1, "neutral": 2}
    assert conf.loc["biased"].to_dict() == {"biased": 3, "neutral": 0}
    texts = coding.units(_analysis(), "sentences")
    worst = vv.worst_units(res["codes"], texts, "bias")
    assert worst["unit_id"].tolist() == ["d:s1"] and worst["text"].tolist() == ["C d."]
    assert worst.loc[0, "against_tool"] == 1 and bool(worst.loc[0, "coders_differ"])


def test_round_of_another_corpus_gives_a_note_not_a_failure(tmp_path):
    rnd = _round(tmp_path, ["neutral"] * 3, ["neutral", "biased", "neutral"])
    other = _analysis()
    other["docs"] = other["docs"].assign(doc_id="other")
    for k in ("sentences", "sentence_bias"):
        other[k] = other[k].assign(doc_id="other")
    res = vv.compare(other, rnd, n_boot=0)
    assert res["vs_tool"] is None and "another corpus" in res["notes"][0]
    assert len(vv.tool_parts(res, coding.units(other, "sentences"))) == 1


def test_codebook_cuts_are_checked(tmp_path):
    (tmp_path / "codebook.yaml").write_text(CODEBOOK.replace("cuts: [0.5]", "cuts: [0.2, 0.5]"))
    with pytest.raises(CodingError, match="one fewer than its values"):
        vv.read_codebook(tmp_path / "codebook.yaml")
    with pytest.raises(CodingError, match="no codebook here"):
        vv.read_round(tmp_path / "nowhere")


def test_the_sample_round_reads_back_two_coders():
    rnd = vv.read_round(ROOT / "data" / "coding")
    assert set(rnd["codes"]["coder"]) == {"ann", "bob"}
    assert rnd["codes"]["unit_id"].nunique() == 16
    assert set(rnd["tools"]) == {"bias", "tone"}
