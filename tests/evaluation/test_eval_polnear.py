"""The PolNeAR reader, the attribution metrics (hand-computed) and the polnear task."""

import math

import pandas as pd
import pytest

from conftest import FIXTURES
from framelens.errors import CorpusError
from framelens.evaluation import evaluate, tasks
from framelens.evaluation.attribution_metrics import attribution_scores
from framelens.evaluation.brat import read_brat
from framelens.evaluation.polnear import regex_predict

BRAT = FIXTURES / "polnear"


def test_reader_keeps_first_annotator_and_fragments():
    docs, attrs = read_brat(BRAT)
    assert docs["doc_id"].tolist() == ["doc_a", "doc_b"]
    assert docs["annotator"].tolist() == ["0a1b", "0a1b"]  # 9f9f ignored
    assert len(attrs) == 5
    b = attrs[attrs["doc_id"] == "doc_b"].iloc[0]
    assert b["content_frags"] == "25-32;33-53"
    assert (b["content_start"], b["content_end"]) == (25, 53)
    assert b["cue_frags"] == "0-12" and b["source_frags"] == "13-23"


def test_reader_names_the_layout_when_wrong(tmp_path):
    with pytest.raises(CorpusError, match="text/ and attributions/"):
        read_brat(tmp_path)


def _pred():
    rows = [
        ("doc_a", "1-25", 40, 44, 27, 39, "Donald Trump"),  # G1 direct, exact
        ("doc_a", "72-82", None, None, None, None, None),  # G2 lenient only (IoU .45)
        ("doc_a", "106-118", 97, 105, 94, 96, "Donald Trump"),  # G3, pronoun resolved
        ("doc_b", "0-53", None, None, None, None, None),  # G4 (IoU 27/53), no speaker
        ("doc_b", "108-116", None, None, None, None, None),  # false positive
    ]
    cols = ["doc_id", "content_frags", "cue_start", "cue_end", "source_start", "source_end"]
    return pd.DataFrame(rows, columns=cols + ["speaker"])


def test_metrics_match_hand_computation():
    docs, gold = read_brat(BRAT)
    m = attribution_scores(gold, _pred(), docs)
    assert (m["n_gold"], m["n_pred"]) == (5, 5)
    assert (m["n_gold_direct"], m["n_gold_mixed"], m["n_gold_indirect"]) == (1, 1, 3)
    assert m["all_P"] == pytest.approx(0.6) and m["all_R"] == pytest.approx(0.6)
    assert m["all_lP"] == pytest.approx(0.8) and m["all_lR"] == pytest.approx(0.8)
    assert (m["direct_P"], m["direct_R"], m["direct_F1"]) == (1.0, 1.0, 1.0)
    assert m["indirect_P"] == pytest.approx(0.5) and m["indirect_R"] == pytest.approx(2 / 3)
    assert m["indirect_F1"] == pytest.approx(4 / 7)
    assert math.isnan(m["mixed_P"]) and m["mixed_R"] == 0 and m["mixed_F1"] == 0
    assert evaluate("polnear", BRAT)["baselines"]["regex"]["mixed_P"] is None
    assert m["spk_exact"] == pytest.approx(2 / 3) and m["spk_head"] == pytest.approx(2 / 3)
    assert m["no_speaker"] == pytest.approx(1 / 3)
    assert (m["n_pron"], m["pron_resolved"], m["pron_mention"]) == (1, 1.0, 1.0)
    assert m["cue_exact"] == pytest.approx(2 / 3)


def test_regex_baseline_on_fixture():
    docs, gold = read_brat(BRAT)
    pred = regex_predict(docs)
    # '"We will win in November," Donald Trump said' and 'Mr. Trump said the polls ...'
    assert len(pred) >= 2
    m = attribution_scores(gold, pred, docs)
    assert m["direct_R"] == 1.0


def test_polnear_task_registered_and_runs():
    assert "polnear" in tasks()
    r = evaluate("polnear", BRAT)
    assert r["n"] == 2 and r["n_attributions"] == 5
    assert set(r["metrics"]) == {"model", "rules"} and "regex" in r["baselines"]
    assert 0 <= r["metrics"]["model"]["all_F1"] <= 1


def test_cli_train_attribution_refits_on_brat(tmp_path, capsys):
    from framelens.cli import main

    out = tmp_path / "m.crfsuite"
    assert main(["train", "attribution", str(BRAT), "--out", str(out)]) == 0
    assert out.exists() and out.with_suffix(".json").exists()
    assert "fitted on 2 documents" in capsys.readouterr().out
    assert main(["train", "attribution", str(tmp_path)]) == 2  # not a BRAT layout
