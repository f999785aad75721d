"""`evaluate(task, test, train=dev)`: lexicon, supervised model and baselines side by side.

Each fixture is split into two halves written to tmp_path: the first half trains, the
second is scored. The training half's rows are written three times under new ids (and
new articles) so the recipes' vectorizers (min_df=2) and the inner grouped folds have
something to count; the test half is the fixture's own rows.
"""

from __future__ import annotations

import json
import warnings

import pytest

from conftest import FIXTURES
from framelens.evaluation import evaluate, format_table

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _babe_halves(tmp_path):
    lines = (FIXTURES / "bias" / "babe_tiny.csv").read_text(encoding="utf-8").splitlines()
    head, rows = lines[0], lines[1:]
    dev, test = rows[:6], rows[6:]
    copies = [r.replace("example.org/a", f"example.org/c{k}a") for k in range(3) for r in dev]
    (tmp_path / "dev.csv").write_text("\n".join([head, *copies]) + "\n", encoding="utf-8")
    (tmp_path / "test.csv").write_text("\n".join([head, *test]) + "\n", encoding="utf-8")
    return tmp_path / "dev.csv", tmp_path / "test.csv"


def _semeval_halves(tmp_path):
    src = FIXTURES / "frames" / "semeval"
    labels = [x for x in (src / "labels.txt").read_text().splitlines() if x.strip()]
    out = {}
    for name, part, copies in (("dev", labels[:2], 3), ("test", labels[2:4], 1)):
        d = tmp_path / name
        (d / "articles").mkdir(parents=True)
        lab = []
        for k in range(copies):
            for line in part:
                did = line.split("\t")[0]
                new = f"{did}{k}" if copies > 1 else did
                text = (src / "articles" / f"article{did}.txt").read_text(encoding="utf-8")
                (d / "articles" / f"article{new}.txt").write_text(text, encoding="utf-8")
                lab.append(line.replace(did, new, 1))
        (d / "labels.txt").write_text("\n".join(lab) + "\n", encoding="utf-8")
        out[name] = d
    return out["dev"], out["test"]


def _narrative_halves(tmp_path):
    lines = (
        (FIXTURES / "frames" / "narrative" / "articles_metadata.tsv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    head, rows = lines[0], lines[1:5]
    dev = [f"{k}{r}" for k in range(1, 4) for r in rows[:2]]  # new ids: 11, 12, 21, ...
    (tmp_path / "dev.tsv").write_text("\n".join([head, *dev]) + "\n", encoding="utf-8")
    (tmp_path / "test.tsv").write_text("\n".join([head, *rows[2:]]) + "\n", encoding="utf-8")
    return tmp_path / "dev.tsv", tmp_path / "test.tsv"


def _newsmtsc_halves(tmp_path):
    recs = [json.loads(x) for x in (FIXTURES / "tone" / "newsmtsc.jsonl").read_text().splitlines()]
    dev = []
    for k in range(3):
        for r in recs:
            dev.append({**r, "primary_gid": f"copy{k}_{r['primary_gid']}"})
    (tmp_path / "dev.jsonl").write_text("\n".join(json.dumps(r) for r in dev) + "\n")
    (tmp_path / "test.jsonl").write_text("\n".join(json.dumps(r) for r in recs[3:]) + "\n")
    return tmp_path / "dev.jsonl", tmp_path / "test.jsonl"


def _check_side_by_side(r, keys):
    assert {"lexicon", "supervised", "baselines"} <= set(r)
    for k in keys:
        assert isinstance(r["lexicon"][k], float)
        assert isinstance(r["supervised"][k], float), r["supervised"]
    assert r["lexicon"] is r["metrics"]
    assert "trained on" in r["supervised"]["protocol"]
    table = format_table(r)
    assert "lexicon" in table and "supervised" in table and "baseline:" in table
    assert "{" not in table  # a table, not a JSON dump


def test_babe_trains_on_one_path_and_scores_another(tmp_path):
    dev, test = _babe_halves(tmp_path)
    r = evaluate("babe", test, train=dev, n_boot=20)
    _check_side_by_side(r, ["macro_f1"])
    assert r["n"] == 3 and r["params"]["train_path"] == str(dev)
    assert "vader_abs_compound_train" in r["baselines"]


def test_semeval_frames_train_form_has_the_training_prior(tmp_path):
    dev, test = _semeval_halves(tmp_path)
    r = evaluate("semeval-frames", test, train=dev, n_boot=20)
    _check_side_by_side(r, ["micro_f1", "macro_f1"])
    prior = r["baselines"]["top_k_train_prior"]
    assert 0.0 <= prior["micro_f1"] <= 1.0
    assert set(r["supervised"]["per_frame"]) == set(r["lexicon"]["per_frame"])


def test_narrative_frames_train_form(tmp_path):
    dev, test = _narrative_halves(tmp_path)
    r = evaluate("narrative-frames", test, train=dev, n_boot=20)
    _check_side_by_side(r, ["macro_f1"])
    assert "all_present" in r["baselines"]


def test_newsmtsc_train_form_groups_by_article(tmp_path):
    from framelens.evaluation.tone import read_newsmtsc

    dev, test = _newsmtsc_halves(tmp_path)
    d, _ = read_newsmtsc(dev)
    assert d["article"].iloc[0] == "copy0_fixture_0"
    r = evaluate("newsmtsc", test, train=dev, n_boot=20)
    _check_side_by_side(r, ["macro_f1"])
    assert set(r["supervised"]["f1_per_class"]) == {"negative", "neutral", "positive"}
    assert "majority_train" in r["baselines"]


def test_ukraine_tone_trains_on_a_newsmtsc_file(tmp_path):
    dev, _ = _newsmtsc_halves(tmp_path)
    r = evaluate("ukraine-tone", FIXTURES / "tone" / "articles", train=dev, n_boot=20)
    _check_side_by_side(r, ["sign_agreement"])
    assert set(r["supervised"]["per_government"]) == {"russia", "ukraine", "west"}
    assert "vader_sentence" in r["baselines"]


def test_one_path_form_keeps_working_and_reports_the_supervised_side():
    r = evaluate("babe", FIXTURES / "bias" / "babe_tiny.csv", n_boot=20)
    assert r["lexicon"]["macro_f1"] == r["metrics"]["macro_f1"]
    sup = r["supervised"]
    # nine rows in five articles: either nested-CV figures or the reason there are none
    assert "macro_f1" in sup or "cannot" in sup["error"]
    with warnings.catch_warnings():
        assert "supervised" not in evaluate("babe", FIXTURES / "bias" / "babe_tiny.csv",
                                            n_boot=20, supervised=False)  # fmt: skip


def test_train_is_refused_where_no_model_exists_and_must_exist(tmp_path):
    with pytest.raises(ValueError, match="supervised model"):
        evaluate("semeval-techniques", FIXTURES / "bias" / "semeval", train=tmp_path)
    with pytest.raises(FileNotFoundError, match="no such file"):
        evaluate("babe", FIXTURES / "bias" / "babe_tiny.csv", train=tmp_path / "nope.csv")


def test_shipped_models_load_with_their_cards():
    from framelens.core.resources import data_path
    from framelens.evaluation.learned import DEFAULT_MODELS, LICENCES
    from framelens.measures import supervised as sv

    for task, name in DEFAULT_MODELS.items():
        model, card = sv.persist.load_model(data_path(name))
        assert model.task == task and card["data_licence"] == LICENCES[task] == "MIT"
        assert {"training_data_sha256", "data_file_sha256", "features", "parameters",
                "refit_command"} <= set(card)  # fmt: skip
        cv = card["cross_validation"]
        assert cv["ci"]["macro_f1"][0] <= cv["macro_f1"] <= cv["ci"]["macro_f1"][1]
    assert "babe" not in DEFAULT_MODELS and "semeval-frames" not in DEFAULT_MODELS


def test_ukraine_one_path_form_uses_the_shipped_newsmtsc_model():
    r = evaluate("ukraine-tone", FIXTURES / "tone" / "articles", n_boot=20)
    assert "shipped NewsMTSC model" in r["supervised"]["protocol"]
    assert 0.0 <= r["supervised"]["sign_agreement"] <= 1.0


def test_ukraine_sign_rule_is_the_one_chosen_on_newsmtsc_and_the_other_is_reported():
    from framelens.core.resources import data_path
    from framelens.evaluation import tone
    from framelens.evaluation.learned import DEFAULT_MODELS
    from framelens.measures import supervised as sv

    r = evaluate("ukraine-tone", FIXTURES / "tone" / "articles", n_boot=20)["supervised"]
    assert r["sign_rule"].startswith("uncalibrated") and not tone.SIGN_FROM_CALIBRATED
    assert r["sign_agreement_other_rule"]["rule"] == "calibrated"
    assert 0.0 <= r["sign_agreement_other_rule"]["sign_agreement"] <= 1.0
    # the choice rests on the shipped model's NewsMTSC figures, which the card keeps
    _, card = sv.persist.load_model(data_path(DEFAULT_MODELS["newsmtsc"]))
    sign = card["cross_validation"]["sign"]
    assert sign["uncalibrated"]["balanced_accuracy"] > sign["calibrated"]["balanced_accuracy"]
    assert sign["uncalibrated_minus_calibrated_ci95"]["balanced_accuracy"][0] > 0
