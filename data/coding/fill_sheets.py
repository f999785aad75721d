"""Write the sample coding round: export 16 sentences of the sample corpus, then fill
the sheet as two fictional coders, "ann" and "bob", by the rules below.

The codes are the project's own fixture, not human judgements: each coder is a small,
deterministic reading rule written for this file, so that the validation report has a
round to show. Run from the repository root:

    .venv/bin/python data/coding/fill_sheets.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import framelens.pipeline
from framelens import coding
from framelens.report.validation import read_codebook

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# ann: loaded or evaluative words she reads as biased; bob reads "regime" as descriptive
ANN_BIASED = ("brutal", "so-called", "shameful", "regime", "propaganda", "puppet", "betray",
              "hysteria", "reckless", "aggressive", "slammed", "tough", "weak", "strong",
              "historic", "dangerous", "hostile", "absurd", "!")  # fmt: skip
BOB_BIASED = tuple(w for w in ANN_BIASED if w not in ("regime", "strong")) + ("claimed", "deep")
NEGATIVE = ("war", "sanction", "threat", "crisis", "condemn", "attack", "aggression", "brutal",
            "pressure", "accus", "reject", "protest", "kill", "bomb")  # fmt: skip
POSITIVE = ("agree", "cooperat", "friend", "praise", "welcome", "support", "partner",
            "peace", "deal", "thank")  # fmt: skip


def tone(text: str) -> str:
    low = text.lower()
    neg = sum(w in low for w in NEGATIVE)
    pos = sum(w in low for w in POSITIVE)
    return "negative" if neg > pos else "positive" if pos > neg else "neutral"


def ann(text: str, i: int) -> tuple[str, str]:
    low = text.lower()
    return ("biased" if any(w in low for w in ANN_BIASED) else "neutral", tone(text))


def bob(text: str, i: int) -> tuple[str, str]:
    low = text.lower()
    t = tone(text)
    if i % 5 == 2 and t != "neutral":
        t = "neutral"  # bob reads every fifth evaluative sentence as neutral
    return ("biased" if any(w in low for w in BOB_BIASED) else "neutral", t)


def main() -> None:
    cb, _ = read_codebook(HERE / "codebook.yaml")
    an = framelens.pipeline.open_analysis(ROOT / "data/sample",
                                          config=ROOT / "data/sample/analysis.yaml")  # fmt: skip
    res = coding.export(an, cb, HERE, kind="sentences", n=16, coders=["ann", "bob"],
                        score="sentence_bias.bias_score", tool_variable="bias",
                        strata=("outlet", "score_bin"), random_state=7, overwrite=True)  # fmt: skip
    blank = pd.read_csv(res["files"][0], dtype=str, keep_default_na=False)
    for name, rule in (("ann", ann), ("bob", bob)):
        sheet = blank.drop(
            columns=[
                c
                for c in blank.columns
                if c.endswith("]") and not c.endswith(f"[{name}]") and not c.startswith("tool[")
            ]
        )
        coded = [rule(t, i) for i, t in enumerate(sheet["text"])]
        sheet[f"bias[{name}]"] = [b for b, _ in coded]
        sheet[f"tone[{name}]"] = [t for _, t in coded]
        (HERE / "filled").mkdir(exist_ok=True)
        sheet.to_csv(HERE / "filled" / f"{name}.csv", index=False)
    print(f"wrote {len(blank)} units and the sheets of ann and bob into {HERE}")


if __name__ == "__main__":
    main()
