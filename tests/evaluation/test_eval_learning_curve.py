"""`framelens evaluate TASK PATH --learning-curve` on a small BABE-layout file, and a
task without a recipe refused by name."""

from __future__ import annotations

import json

import pytest

from framelens.cli import main
from framelens.errors import ConfigError
from framelens.evaluation.learned import dataset_learning_curve

BIASED = ["the brutal regime lied again", "so-called experts shamefully lied",
          "a disgraceful and brutal crackdown", "radical zealots smeared the judge"]  # fmt: skip
PLAIN = ["the council met on tuesday", "officials approved the budget",
         "the vote was seven to two", "the judge read the ruling"]  # fmt: skip


def _babe(path, n=40):
    rows = ["text;news_link;outlet;topic;type;label_bias;label_opinion;biased_words"]
    for k in range(n):
        j = k % 4
        rows.append(f"{BIASED[j]} {k};https://x/{k};O{k % 5};t;left;Biased;;['brutal', 'lied']")
        rows.append(f"{PLAIN[j]} {k};https://x/{k};O{k % 5};t;left;Non-biased;;[]")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_learning_curve_from_the_command_line(tmp_path, capsys):
    f = _babe(tmp_path / "babe.csv")
    assert main(["evaluate", "babe", str(f), "--learning-curve", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["fraction"] for r in rows] == [0.1, 0.25, 0.5, 1.0]
    assert rows[-1]["trained"] and rows[-1]["n_train_groups"] == 32.0


def test_a_task_without_a_recipe_is_refused():
    with pytest.raises(ConfigError, match="no learning curve for 'ukraine-tone'"):
        dataset_learning_curve("ukraine-tone", "nowhere")
