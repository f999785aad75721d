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


ROUND_CODEBOOK = """- variable: bias
  level: nominal
  values: [neutral, biased]
  definition: Loaded wording?
  tool: sentence_bias.bias_score
  cuts: [0.5]
"""


def _tiny_analysis(tmp_path):
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One here. Two there.", "Three. Four."],
                         "outlet": ["=HYPERLINK(x)", "@SUM(1)"]})  # fmt: skip
    sents = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "sent_id": [0, 1, 0, 1],
                          "start": [0, 10, 0, 7], "end": [9, 20, 6, 12],
                          "text": ["One here.", "Two there.", "Three.", "Four."]})  # fmt: skip
    Analysis({"docs": docs, "sentences": sents}).save(tmp_path / "an")
    return str(tmp_path / "an")


def test_code_commands_read_the_round_codebook_and_keep_earlier_sheets(tmp_path, capsys):
    an = _tiny_analysis(tmp_path)
    (tmp_path / "codebook.yaml").write_text(ROUND_CODEBOOK)  # the validation round's format
    out = tmp_path / "round"
    args = ["code", "export", an, "--codebook", str(tmp_path / "codebook.yaml"),
            "--out", str(out), "--n", "4", "--coders", "ann"]  # fmt: skip
    assert main(args) == 0
    assert "coding_sheet.units.csv" in capsys.readouterr().out
    filled = pd.read_csv(out / "coding_sheet.csv", dtype=str, keep_default_na=False)
    filled["bias[ann]"] = "neutral"
    filled.to_csv(out / "coding_sheet.csv", index=False)  # the coder filled the sheet in place
    before = (out / "coding_sheet.csv").read_bytes()
    assert main(args) == 2
    assert "already holds a coding round" in capsys.readouterr().err
    assert (out / "coding_sheet.csv").read_bytes() == before
    codes = tmp_path / "new" / "codes.csv"
    args = ["code", "import", str(out / "coding_sheet.csv"), "--codebook",
            str(tmp_path / "codebook.yaml"), "--units", str(out / "coding_sheet.units.csv"),
            "--out", str(codes)]  # fmt: skip
    assert main(args) == 0
    assert len(pd.read_csv(codes)) == 4
    assert main([*args[:-1], str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_codes_csv_neutralises_formula_cells(tmp_path):
    an = _tiny_analysis(tmp_path)
    (tmp_path / "cb.yaml").write_text(CODEBOOK)
    out = tmp_path / "round"
    args = ["code", "export", an, "--codebook", str(tmp_path / "cb.yaml"), "--out", str(out),
            "--n", "2", "--coders", "ann", "--kind", "documents"]  # fmt: skip
    assert main(args) == 0
    for line in (out / "coding_sheet.units.csv").read_text().splitlines():
        assert not any(c.strip('"').startswith(("=", "@")) for c in line.split(",")), line
    sheet = pd.read_csv(out / "coding_sheet.csv", dtype=str, keep_default_na=False)
    sheet["bias[ann]"] = "neutral"
    sheet["unit_id"] = sheet["doc_id"] = ["=a", "b"]  # ids a spreadsheet would run
    sheet.to_csv(tmp_path / "filled.csv", index=False)
    codes = tmp_path / "codes.csv"
    args = ["code", "import", str(tmp_path / "filled.csv"), "--codebook",
            str(tmp_path / "cb.yaml"), "--out", str(codes)]  # fmt: skip
    assert main(args) == 0
    assert "'=a" in codes.read_text() and "\n=a" not in codes.read_text()
