"""The command-line hooks: framelens code export / import and framelens train."""

from __future__ import annotations

import json

import pandas as pd

from conftest import FIXTURES
from framelens.cli import main
from framelens.pipeline import Analysis

CODEBOOK = """variables:
  - variable: bias
    level: nominal
    values: [biased, neutral]
    definition: Does the sentence use one-sided, loaded wording?
"""


def test_code_export_then_import(tmp_path, capsys):
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One here. Two there.", "Three. Four."],
                         "outlet": ["X", "Y"]})  # fmt: skip
    sents = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "sent_id": [0, 1, 0, 1],
                          "start": [0, 10, 0, 7], "end": [9, 20, 6, 12],
                          "text": ["One here.", "Two there.", "Three.", "Four."]})  # fmt: skip
    Analysis({"docs": docs, "sentences": sents}).save(tmp_path / "an")
    (tmp_path / "cb.yaml").write_text(CODEBOOK)
    args = ["code", "export", str(tmp_path / "an"), "--codebook", str(tmp_path / "cb.yaml"),
            "--out", str(tmp_path / "sheets"), "--n", "4", "--coders", "ann,bob"]  # fmt: skip
    assert main(args) == 0
    sheet = pd.read_csv(tmp_path / "sheets" / "coding_sheet.csv", dtype=str, keep_default_na=False)
    sheet["bias[ann]"] = "neutral"
    sheet["bias[bob]"] = ["neutral", "neutral", "neutral", "biased"]
    sheet.to_csv(tmp_path / "filled.csv", index=False)
    units = str(tmp_path / "sheets" / "coding_sheet.units.csv")
    args = ["code", "import", str(tmp_path / "filled.csv"), "--codebook",
            str(tmp_path / "cb.yaml"), "--units", units,
            "--out", str(tmp_path / "codes.csv")]  # fmt: skip
    assert main(args) == 0
    assert "8 codes from 2 coder(s)" in capsys.readouterr().out
    assert len(pd.read_csv(tmp_path / "codes.csv")) == 8
    sheet.loc[0, "bias[ann]"] = "nonsense"
    sheet.to_csv(tmp_path / "bad.csv", index=False)
    args[2] = str(tmp_path / "bad.csv")
    assert main(args) == 2
    assert "row 2, column D 'bias[ann]': 'nonsense'" in capsys.readouterr().err


def test_train_writes_a_model_and_its_card(tmp_path, capsys):
    out = tmp_path / "babe.skops"
    assert main(["train", "babe", str(FIXTURES / "bias" / "babe_tiny.csv"), "--out", str(out)]) == 0
    card = json.loads(out.with_suffix(".card.json").read_text())
    assert card["task"] == "babe" and card["data_licence"] == "AGPL-3.0"
    assert len(card["training_data_sha256"]) == 64
