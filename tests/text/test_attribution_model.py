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
        wins = doc_windows(
            t, s, rq.get(d, []), gate=m["gate"], vocab=m["vocab"], cue_words=m["cue_words"]
        )
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


def test_vectorised_spans_and_flat_viterbi_equal_the_per_window_ones():
    import numpy as np

    from framelens.text.attribution_model import spans_of, spans_of_ids
    from framelens.text.attribution_scoring import viterbi

    labels = ["O", "B-CUE", "I-CUE", "B-CONTENT", "I-CONTENT", "B-SOURCE", "I-SOURCE"]
    rng = np.random.default_rng(0)
    lens = rng.integers(1, 30, size=200)
    ems = [rng.normal(size=(k, len(labels))) for k in lens]
    trans = rng.normal(size=(len(labels), len(labels)))
    paths = viterbi(ems, trans)
    flat = viterbi(ems, trans, flat=True)
    assert flat.tolist() == [k for p in paths for k in p]
    # random label ids (I- after O, role changes, spans at window edges)
    ids = rng.integers(0, len(labels), size=int(lens.sum()))
    cuts = np.r_[0, np.cumsum(lens)]
    got = spans_of_ids(ids, labels, cuts)
    want = [spans_of([labels[k] for k in ids[a:b]]) for a, b in zip(cuts[:-1], cuts[1:])]
    assert got == want


def test_documents_scored_together_give_the_rows_of_one_call_per_document():
    from framelens.text.attribution_model import load_model, tag_document, tag_documents
    from framelens.text.attribution_training import rule_quotes

    m = load_model()
    ids, texts = _sample_texts()
    texts = texts + ["No attribution here.", "Kim said it was according", "to plan."]
    ids = ids + ["y0", "y1", "y2"]
    sents, rq = rule_quotes(ids, texts)
    quotes = [rq.get(d, []) for d in ids]
    together = tag_documents(texts, sents, quotes, m)
    alone = [tag_document(t, s, q, m) for t, s, q in zip(texts, sents, quotes)]
    assert together == alone
    assert sum(len(rows) for rows, _ in together) > 20


def test_clause_features_anchor_on_learned_cue_words():
    import numpy as np

    from framelens.text.attribution_features import quote_mask, window_features, window_tokens

    def feats(t):
        w, s, _ = window_tokens(t, 0, len(t))
        f = window_features(
            w,
            s,
            sent_of=np.zeros(len(w), int),
            qmask=quote_mask(t),
            rule_codes=np.zeros(len(t) + 1, np.int8),
            vocab=set(w),
            cue_words=frozenset({"hopes"}),
            para_first=np.ones(len(w), bool),
        )
        return dict(zip(w, f))

    by = feats("Kim hopes that taxes fall, officials said.")
    assert "cw" in by["hopes"] and "cw" not in by["said"]  # said is a verb form: rv=, not cw
    assert {"d=+2", "cl=0", "ac", "nv=2", "pb"} <= set(by["taxes"])  # after "hopes that"
    assert {"d=-1", "cl=0"} <= set(by["officials"])
    assert "ac" not in by["Kim"] and "ac" not in by["that"]
    by = feats("Kim said, in a statement, the tax is low.")
    assert {"d=+4-6", "cl=1"} <= set(by["statement"]) and "cl=2" in by["tax"]


def test_two_apostrophe_quotes_are_quotes():
    from framelens.text.attribution_features import quote_intervals

    t = "''It's anti-reform,'' he said. ''We will fight,'' Smith added, 'plain' ''"
    got = [t[a:b] for a, b in quote_intervals(t)]
    # '' opens at a word's start, closes after one; single quotes and a lone '' are no quote
    assert got == ["''It's anti-reform,''", "''We will fight,''"]
    assert quote_intervals("He said \"yes,\" and ''no'' then.") == [(8, 14), (19, 25)]
    q = process("Kim Lee spoke. ''We will fight,'' Kim Lee said.", attribution="model")["quotes"]
    direct = q[q["kind"] == "direct"]
    assert direct["text"].tolist() == ["We will fight,"]  # inside the marks, '' left out
    assert direct["speaker"].tolist() == ["Kim Lee"]


def test_model_contents_cover_the_quotations_they_touch():
    from framelens.text.attribution_layer import complete_quotes

    assert complete_quotes([(13, 14)], [(0, 14)], [14]) == [(0, 14)]  # only the closing mark
    assert complete_quotes([(0, 5), (4, 9)], [], []) == [(0, 9)]  # overlaps merged
    assert complete_quotes([(0, 3)], [(5, 9)], [9]) == [(0, 3)]  # an untouched quote stays out
    q = process('"We will win," Kim Lee said.', attribution="model")["quotes"]
    assert q[["kind", "text"]].values.tolist() == [["direct", "We will win,"]]


def test_model_contents_are_cut_where_a_quotation_is_a_sentence_of_its_own():
    from framelens.text.attribution_layer import split_quotes

    t = 'The crowd roared. "Lock her up!" they chanted.'
    assert split_quotes(t, [(0, 32)], [(18, 32)], [32]) == [[(18, 32)], [(0, 18)]]
    t = 'Kim wrote: "It is time." And left.'
    assert split_quotes(t, [(0, 33)], [(11, 23)], [23]) == [[(11, 23)], [(0, 11)], [(23, 33)]]
    # an inline quotation inside a clause stays one mixed content
    t = 'He said the plan was "a disaster" for all.'
    assert split_quotes(t, [(8, 41)], [(21, 33)], [33]) == [[(8, 41)]]


def test_a_quotation_in_a_gap_of_a_content_is_not_cut_out_of_it():
    # a model content of two fragments with a quotation between them (seen in a
    # generated corpus): it was cut to an empty first piece and the batch failed
    from framelens.text.attribution_layer import split_quotes

    t = 'We met. "Go home." Then he left town.'
    assert split_quotes(t, [(0, 7), (19, 36)], [(8, 18)], [18]) == [[(0, 7), (19, 36)]]


@pytest.mark.parametrize("seed", range(200))
def test_split_quotes_pieces_are_non_empty_parts_of_the_content(seed):
    import random

    from framelens.text.attribution_features import quote_intervals
    from framelens.text.attribution_layer import split_quotes

    rnd = random.Random(seed)
    words = ["We", "met.", '"Go', 'home."', "Then", "he", "left:", '"Yes!"', "town.", "and"]
    t = " ".join(rnd.choice(words) for _ in range(14))
    qiv = quote_intervals(t)
    cuts = sorted(rnd.sample(range(1, len(t)), 4))
    frags = [(0, cuts[0]), (cuts[1], cuts[2]), (cuts[3], len(t))]
    frags = [(s, e) for s, e in frags if e > s]
    pieces = split_quotes(t, frags, qiv, [b for _, b in qiv])
    assert pieces and all(pieces)  # no empty piece, the first included
    for piece in pieces:
        for s, e in piece:
            assert any(a <= s and e <= b for a, b in frags)


def test_rule_reported_speech_the_model_leaves_untouched_is_kept():
    # the CRF tags the tags' source and cue but no content before them; the rule layer's
    # rows stand where no model row touches them, and are not doubled where one does
    t = (
        "BELGRADE - Serbia signed a new gas deal with Russia on Monday. The agreement runs "
        "for three years. The economy grew by 3 percent last year, officials said. Prices "
        "rose sharply in the winter.\n\n"
        "The vote will be held in March, the commission said on Tuesday. Washington "
        "pressured Belgrade, Moscow's envoy said. Opposition leaders said the deal was a "
        "mistake."
    )
    q = process(t, attribution="model")["quotes"]
    got = [(r.kind, t[r.start : r.end], r.speaker) for r in q.itertuples()]
    assert got == [
        ("indirect", "The economy grew by 3 percent last year", "officials"),
        ("indirect", "The vote will be held in March", "commission"),
        ("indirect", "Washington pressured Belgrade", "Moscow's envoy"),
        ("indirect", "the deal was a mistake", "Opposition leaders"),
    ]


def test_a_content_before_its_cue_sentence_takes_the_rule_content_of_that_sentence():
    # the CRF gives "officials said" the sentence before as its content; the rule layer
    # reads the same cue with the content of its own sentence
    t = (
        "BELGRADE - Serbia signed a gas deal with Russia on Monday. The deal runs for "
        "three years. The economy grew by 3 percent last year, officials said."
    )
    q = process(t, attribution="model")["quotes"]
    assert [(t[r.start : r.end], r.speaker, r.sent_id) for r in q.itertuples()] == [
        ("The economy grew by 3 percent last year", "officials", 2)
    ]


@pytest.mark.parametrize("inner", ["\U0001f525", "!!!"])
def test_a_quotation_without_letters_is_direct_and_quoted_as_with_the_rules(inner):
    t = f'The minister said: "{inner}".'
    out = process(t, attribution="model")
    q = out["quotes"]
    assert q["kind"].tolist() == ["direct"] and q["text"].tolist() == [inner]
    seg = out["segments"]
    assert seg.loc[seg.voice == "quoted", ["start", "end"]].values.tolist() == [
        [20, 20 + len(inner)]
    ]
