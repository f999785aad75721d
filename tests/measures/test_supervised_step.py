"""The step ``models``: trained models in analyze, their tables and evidence spans."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from framelens import analyze
from framelens.core import schema
from framelens.errors import ConfigError
from framelens.measures import registry
from framelens.measures import supervised as sv
from framelens.measures.supervised import step as models_step
from framelens.pipeline import Config

#: The lexicon measures: the default steps, before and after the step ``models`` exists.
LEXICON_STEPS = ("actors", "framing", "neutrality", "alignment")

BIASED = ["brutal", "corrupt", "shameful", "disastrous", "reckless"]
NEUTRAL = ["met", "discussed", "announced", "visited", "signed"]
TOPIC = {
    "Security": ["troops", "army", "missile"],
    "Economic": ["budget", "tax", "trade"],
}

DOCS = pd.DataFrame(
    {
        "doc_id": ["d1", "d2", "d3"],
        "title": ["Talks", "Clash", "Trade"],
        "text": [
            "Serbia met Russia on Monday. The brutal army of Russia moved troops to the border.",
            "The corrupt government of Serbia raised the tax. Officials discussed the budget.",
            "Russia signed a trade deal with Serbia. A reckless missile test shocked the EU.",
        ],
    }
)


@pytest.fixture(scope="module")
def models_registered():
    """The step ``models`` registered for these tests (and left as it was found)."""
    before = bool(registry.providers("model_evidence"))
    models_step.register()
    yield
    if not before:
        registry.unregister_step("models")


def _bias_model(tmp_path):
    rng = np.random.default_rng(0)
    texts, y = [], []
    for i in range(40):
        words = list(rng.choice(BIASED if i % 2 else NEUTRAL, 2)) + ["the", "minister", "today"]
        rng.shuffle(words)
        texts.append(" ".join(words) + ".")
        y.append(i % 2)
    X = pd.DataFrame({"text": texts})
    m = sv.fit("babe", X, y, groups=np.arange(40), n_inner=3)
    return sv.persist.save_model(m, tmp_path / "bias.skops", card=sv.card(m, X, y))[0]


def _frame_model(tmp_path):
    rng = np.random.default_rng(1)
    texts, rows = [], []
    for i in range(40):
        on = {"Security": i % 2 == 0, "Economic": i % 3 == 0}
        words = ["the", "report", "said", "monday"]
        for f, v in on.items():
            words += list(rng.choice(TOPIC[f], 2)) if v else []
        rng.shuffle(words)
        texts.append(" ".join(words) + ".")
        rows.append(on)
    X, Y = pd.DataFrame({"text": texts}), pd.DataFrame(rows)
    m = sv.fit("semeval-frames", X, Y, groups=np.arange(40), n_inner=3)
    return sv.persist.save_model(m, tmp_path / "frames.skops", card=sv.card(m, X, Y))[0]


def _tone_model(tmp_path):
    texts, starts, ends, y = [], [], [], []
    for i in range(30):
        word = ["met", "brutal", "visited"][i % 3]
        t = f"The minister {word} Russia on day {i}."
        s = t.index("Russia")
        texts.append(t), starts.append(s), ends.append(s + 6), y.append([1, -1, 0][i % 3])
    X, num = sv.tone_table(texts, starts, ends)
    m = sv.fit("newsmtsc", X, y, groups=np.arange(30), numeric=num, n_inner=3)
    return sv.persist.save_model(m, tmp_path / "tone.skops", card=sv.card(m, X, y))[0]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    d = tmp_path_factory.mktemp("models")
    return {"sentence_bias": str(_bias_model(d)), "frames": str(_frame_model(d)),
            "target_tone": str(_tone_model(d))}  # fmt: skip


def _config(options=None, **kw):
    return Config(steps=(*LEXICON_STEPS, "models"), sentiment=False,
                  options={"models": options or {}}, **kw)  # fmt: skip


def _check_spans(an):
    ev, texts = an.model_evidence, dict(zip(an.docs["doc_id"], an.docs["text"]))
    spans = ev[ev["start"].notna()]
    assert len(spans)
    for r in spans.itertuples():
        text, a, b = texts[r.doc_id], int(r.start), int(r.end)
        piece = text[a:b]
        block, gram = r.feature.split(":", 1)
        if "tgtx" in gram.split(" "):  # the target-masked sentence: the mask is the target
            piece = text[a : int(r.row_start)] + " tgtx " + text[int(r.row_end) : b]
        if block == "char":
            assert piece.lower() == gram.strip()
        else:  # a word n-gram: the span's words are the feature's words
            assert re.findall(r"(?u)\b\w+\b", piece.lower()) == gram.split(" "), (piece, gram)
    return spans


def test_the_default_configuration_runs_no_model():
    # the step is opt-in: the default Config (and its hash) is the lexicon measures only
    assert Config().steps == LEXICON_STEPS
    assert Config().hash == Config(steps=list(LEXICON_STEPS)).hash
    an = analyze(DOCS, Config(sentiment=False), use_cache=False)
    assert not set(models_step.TABLES) & set(an.tables)


def test_no_model_named_gives_empty_tables_beside_unchanged_ones(models_registered):
    base = analyze(DOCS, Config(sentiment=False, steps=LEXICON_STEPS), use_cache=False)
    an = analyze(DOCS, _config(), use_cache=False)
    for t in models_step.TABLES:  # no model named: the four tables, empty, with their columns
        assert len(an.tables[t]) == 0 and list(an.tables[t].columns) == list(schema.TABLES[t])
    for t in set(base.tables) - {"docs"}:
        pd.testing.assert_frame_equal(an.tables[t], base.tables[t], obj=t)


def test_trained_models_give_tables_and_evidence_beside_the_lexicon(models_registered, trained):
    plain = analyze(DOCS, Config(sentiment=False, steps=LEXICON_STEPS), use_cache=False)
    an = analyze(DOCS, _config(trained), use_cache=False)
    b = an.model_sentence_bias
    assert len(b) == len(an.sentences) and b["p_biased"].between(0, 1).all()
    assert set(b["label"]) <= {"biased", "non-biased"} and (b["model"] == "bias.skops").all()
    f = an.model_frames
    assert len(f) == 2 * len(DOCS) and set(f["frame"]) == {"Security", "Economic"}
    assert f.loc[(f.doc_id == "d3") & (f.frame == "Economic"), "present"].item()
    t = an.model_target_tone
    assert len(t) == len(an.mentions) and len(t) > 0
    np.testing.assert_allclose(t[["p_neg", "p_neu", "p_pos"]].sum(axis=1), 1.0)
    spans = _check_spans(an)
    assert set(spans["table"]) == set(models_step.TABLES[:3])
    brutal = spans[spans["feature"] == "word:brutal"]
    assert brutal[["doc_id", "start"]].values.tolist() == [["d1", 33]]
    for name in ("frame_docs", "sentence_bias", "mention_tone", "alignment"):
        pd.testing.assert_frame_equal(getattr(an, name), getattr(plain, name))
    rec = an.manifest["steps"]["models"]["options"]
    assert rec["frames"] == trained["frames"] and rec["evidence"] == 5


def test_shipped_models_read_lexicon_features_and_spans(models_registered):
    an = analyze(DOCS, _config({"frames": "narrative_frames", "target_tone": "newsmtsc_tone",
                                "evidence": 3}), use_cache=False)  # fmt: skip
    assert set(an.model_frames["frame"]) == {"RE", "HI", "CO", "MO", "EC"}
    assert an.model_target_tone["tone"].isin(["negative", "neutral", "positive"]).all()
    ev = an.model_evidence
    assert (
        ev.groupby(["table", "doc_id", "frame", "row_start"], dropna=False)["rank"]
        .max()
        .le(2)
        .all()
    )
    _check_spans(an)


def test_model_files_are_resources_of_the_cache_key(models_registered, trained):
    from framelens.pipeline.cache import resource_hashes

    h = resource_hashes(_config(trained))
    assert {"frames_model", "frames_card", "sentence_bias_model"} <= set(h)
    assert _config(trained).hash != _config().hash


def test_a_model_of_another_task_is_a_config_error_naming_file_and_task(models_registered, trained):
    with pytest.raises(ConfigError, match=r"frames names .*bias\.skops, a model trained for the "
                       r"task 'babe'"):  # fmt: skip
        _config({"frames": trained["sentence_bias"]})
    with pytest.raises(ConfigError, match="target_tone names .*narrative_frames.skops"):
        _config({"target_tone": "narrative_frames"})
    with pytest.raises(ConfigError, match="not a file"):
        _config({"sentence_bias": "no/such/model.skops"})


def test_a_tampered_card_is_refused_on_loading(models_registered, trained, tmp_path):
    src = trained["sentence_bias"]
    p = tmp_path / "b.skops"
    p.write_bytes(open(src, "rb").read())
    card = json.loads(open(src.replace(".skops", ".card.json")).read())
    card["model_sha256"] = "0" * 64
    p.with_suffix(".card.json").write_text(json.dumps(card))
    with pytest.raises(ConfigError, match="does not match its card"):
        models_step.loaded_model("sentence_bias", str(p))
