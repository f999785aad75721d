"""The learned attribution model: refit reproducibility, the text-layer hook, speakers."""

import hashlib

import pandas as pd
import pytest

from conftest import FIXTURES
from framelens.errors import ConfigError
from framelens.evaluation.brat import read_brat
from framelens.text import process
from framelens.text.attribution_training import fit_attribution_model
from framelens.text.entities import resolve_speakers


def test_fit_twice_gives_identical_bytes(tmp_path):
    docs, gold = read_brat(FIXTURES / "polnear")
    digests = []
    for i in range(2):
        out = tmp_path / f"m{i}.crfsuite"
        fit_attribution_model(docs, gold, out=out, min_df=1, max_iterations=20)
        digests.append(
            (hashlib.sha256(out.read_bytes()).hexdigest(), out.with_suffix(".json").read_text())
        )
    assert digests[0][0] == digests[1][0]
    assert digests[0][1].replace("m0.", "m1.") == digests[1][1]


def test_process_model_hook_keeps_rules_default():
    t = '"We will win," Donald Trump said. Mr. Trump said the polls were wrong.'
    rules = process(t)["quotes"]
    model = process(t, attribution="model")["quotes"]
    assert "speaker_id" not in rules.columns
    for c in ("attribution", "speaker_id", "speaker_type", "content_frags"):
        assert c in model.columns
    with pytest.raises(ConfigError, match="rules' or 'model"):
        process(t, attribution="crf")


def test_model_quotes_link_trump_and_keep_pronouns_out():
    t = (
        'Donald Trump spoke on Monday. "We will win," Mr. Trump said. '
        "He said the polls were wrong. They said nothing."
    )
    q = process(t, attribution="model")["quotes"]
    spk = q["speaker"].dropna().str.lower().tolist()
    assert not set(spk) & {"he", "she", "they", "i", "we"}
    ids = set(q.loc[q["speaker"].notna(), "speaker_id"])
    assert ids <= {"person:donald trump"}


def test_entities_gender_and_titles():
    t = "Hillary Clinton and Donald Trump met. Rep. G.K. Butterfield spoke. She said no."
    rows = [{"source": (t.index("She"), t.index("She") + 3)}]
    assert resolve_speakers(t, rows)[0]["speaker"] == "Hillary Clinton"
    rows = [{"source": (t.index("Rep."), t.index(" spoke"))}]
    assert resolve_speakers(t, rows)[0]["speaker"] == "G.K. Butterfield"


def test_entities_types_for_documents_and_organisations():
    t = "A new poll found gains. The Clinton campaign said no."
    s = t.index("The Clinton campaign")
    rows = [{"source": (0, 10)}, {"source": (s, s + len("The Clinton campaign"))}]
    out = resolve_speakers(t, rows)
    assert [r["speaker_type"] for r in out] == ["document", "organisation"]


def test_model_file_missing_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="framelens train attribution"):
        process("x said y.", attribution="model", model=tmp_path / "none.crfsuite")


def test_inputs_are_not_mutated():
    docs = pd.DataFrame({"doc_id": ["a"], "text": ['"Yes," Kim Lee said.']})
    before = docs.copy()
    process(docs, attribution="model")
    pd.testing.assert_frame_equal(docs, before)


def _sample_texts():
    docs, _ = read_brat(FIXTURES / "polnear")
    seed = sorted((FIXTURES.parent.parent / "data" / "sample" / "articles").rglob("*.txt"))
    extra = [p.read_text(encoding="utf-8") for p in seed[:5]]
    extra.append("Kim Smith believes the law is unfair. Polls show Clinton ahead, according to")
    return docs["doc_id"].tolist() + [f"x{i}" for i in range(len(extra))], docs[
        "text"
    ].tolist() + extra


def test_numpy_decoder_gives_the_crfsuite_tags_exactly():
    import numpy as np

    from framelens.text.attribution_model import doc_window_scores, doc_windows, load_model
    from framelens.text.attribution_scoring import viterbi
    from framelens.text.attribution_training import rule_quotes

    m = load_model()
    sc = m["scorer"]
    assert sc["labels"] == m["tagger"].labels()
    ids, texts = _sample_texts()
    sents, rq = rule_quotes(ids, texts)
    ref, scores = [], []
    for d, t, s in zip(ids, texts, sents):
        wins = doc_windows(t, s, rq.get(d, []), gate=m["gate"], vocab=m["vocab"])
        for w in wins:
            ref.append(m["tagger"].tag(w["features"]))
            # the scores are crfsuite's sums: each attribute's weights, in list order
            want = np.zeros((len(w["features"]), len(sc["labels"])))
            for i, feats in enumerate(w["features"]):
                for a in feats:
                    want[i] = want[i] + sc["state"][sc["attrs"].get(a, sc["zero"])]
            scores.append(want)
        got = doc_window_scores(t, s, rq.get(d, []), gate=m["gate"], scorer=sc)
        for w, want in zip(got, scores[len(scores) - len(got) :]):
            assert np.array_equal(w["scores"], want)
    assert len(ref) > 20
    assert [[sc["labels"][k] for k in p] for p in viterbi(scores, sc["trans"])] == ref


def test_voice_counts_speech_and_evidentials_not_cognition():
    from framelens.text import segments

    t = (
        "Kim Smith believes the law is unfair. Polls show Clinton ahead. "
        "Al Jones said the bill would pass."
    )
    out = process(t, attribution="model")
    q, seg = out["quotes"], out["segments"]
    kinds = dict(zip(q["attribution"], q["kind"]))
    assert kinds == {"cognition": "indirect", "evidential": "indirect", "speech": "indirect"}

    def voice_at(word):
        i = t.index(word)
        row = seg[(seg["start"] <= i) & (seg["end"] > i)]
        return row["voice"].iloc[0]

    assert voice_at("unfair") == "author"  # cognition: the author's account
    assert voice_at("ahead") == "reported"  # evidential
    assert voice_at("bill") == "reported"  # speech
    pd.testing.assert_frame_equal(segments(t, q), seg)
    rules = process(t)  # the default path keeps its tables: no kind column, no new rule
    assert "attribution" not in rules["quotes"].columns
    pd.testing.assert_frame_equal(segments(t, rules["quotes"]), rules["segments"])
