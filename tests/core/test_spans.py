"""The one span locator (framelens.core.spans) and its callers agree."""

import numpy as np
import pandas as pd

from framelens import actors, lexicon, text
from framelens.core import spans as S


def _locate_case():
    # doc a: sentences 0..5, 5..10; segments author 0..6, reported 6..10
    # doc b: sentence 2..9 (a span at 0 lies before it); doc c: unknown
    spans_ = pd.DataFrame(
        {"doc_id": ["a", "a", "b", "b", "c"], "start": [0, 7, 3, 0, 1], "end": [2, 9, 5, 1, 2]}
    )
    # (doc z has sentences and segments but no spans)
    sentences = pd.DataFrame(
        {
            "doc_id": ["b", "z", "a", "a"],
            "sent_id": [0, 0, 0, 1],
            "start": [2, 0, 0, 5],
            "end": [9, 4, 5, 10],
        }
    )
    segments = pd.DataFrame(
        {
            "doc_id": ["a", "a", "z", "b"],
            "start": [0, 6, 0, 0],
            "end": [6, 10, 4, 9],
            "voice": ["author", "reported", "quoted", "author"],
        }
    )
    return spans_, sentences, segments


def test_locate_convention():
    spans_, sentences, segments = _locate_case()
    out = S.locate(spans_, sentences=sentences, segments=segments)
    # a@0 -> 0, a@7 -> 1, b@3 -> 0, b@0 (before b's first sentence) -> 0, c -> -1
    assert out["sent_id"].tolist() == [0, 1, 0, 0, -1]
    assert out["sent_id"].dtype == np.int32
    assert out["voice"].astype(str).tolist() == ["author", "reported", "author", "author", "author"]
    assert out["voice"].dtype == S.VOICE_DTYPE
    assert "sent_id" not in spans_.columns  # input not mutated


def test_locate_with_a_missing_doc_id():
    spans_, sentences, segments = _locate_case()
    spans_ = spans_.astype({"doc_id": object})
    spans_.loc[4, "doc_id"] = None  # unknown document: sentence -1, author voice
    out = S.locate(spans_, sentences=sentences, segments=segments)
    assert out["sent_id"].tolist() == [0, 1, 0, 0, -1]
    assert out["voice"].astype(str).tolist() == ["author", "reported", "author", "author", "author"]


def test_locate_without_tables_and_bad_tables():
    spans_, sentences, _ = _locate_case()
    out = S.locate(spans_)
    assert out["sent_id"].tolist() == [-1] * 5
    assert set(out["voice"].astype(str)) == {"author"}
    import pytest

    from framelens.errors import TableError

    with pytest.raises(TableError, match="start"):
        S.locate(spans_.drop(columns="start"), sentences=sentences)
    with pytest.raises(TableError, match="sent_id"):
        S.locate(spans_, sentences=sentences.drop(columns="sent_id"))


def test_text_locate_is_the_core_locator():
    assert text.locate is S.locate


def test_rank_right_equals_searchsorted():
    rng = np.random.default_rng(11)
    for _ in range(50):
        keys = np.sort(rng.integers(0, 30, rng.integers(0, 20)))
        needles = rng.integers(-2, 33, rng.integers(0, 40))
        for nd in (needles, np.sort(needles)):  # unsorted: the searchsorted fallback
            got = S.rank_right(keys, nd)
            assert got.tolist() == np.searchsorted(keys, nd, side="right").tolist()


def test_locator_per_chunk_equals_whole_batch():
    rng = np.random.default_rng(5)
    docs = pd.Index([f"d{i}" for i in range(6)], dtype=object)
    srows = [(f"d{i}", k, 3 * k + i) for i in range(5) for k in range(4)]  # d5: none
    sentences = pd.DataFrame(srows, columns=["doc_id", "sent_id", "start"])
    loc = S.SpanLocator(docs, sentences, None, max_start=40)
    codes = np.sort(rng.integers(0, 6, 60)).astype(np.int64)
    starts = rng.integers(0, 20, 60).astype(np.int64)
    whole, _ = loc(codes, starts)
    part = [loc(codes[codes == d], starts[codes == d], d, d + 1)[0] for d in range(6)]
    assert whole.tolist() == np.concatenate(part).tolist()
    assert (whole[codes == 5] == -1).all()


def test_matches_and_mentions_agree_on_sent_id():
    # drift fix: a span starting before the first sentence had sent_id 0 in matches
    # (lexicon's locator) and -1 in mentions (the actors' locator); both use
    # core.spans now: the first sentence, 0
    doc = "Serbia and Russia met. Serbia left."
    docs = pd.DataFrame({"doc_id": ["a"], "text": [doc], "date": [pd.NaT]})
    # a hand-made sentences table whose first sentence starts after "Serbia"
    sentences = pd.DataFrame(
        {
            "doc_id": ["a", "a"],
            "sent_id": [0, 1],
            "start": [7, 23],
            "end": [22, 35],
            "text": [doc[7:22], doc[23:35]],
        }
    )
    segments = pd.DataFrame(
        {"doc_id": ["a"], "start": [0], "end": [len(doc)], "voice": ["author"], "quote_id": [None]}
    )
    lex = lexicon.Lexicon.from_dict({"name": "t", "categories": {"C": ["Serbia", "Russia"]}})
    m = lexicon.match(docs, lex, sentences=sentences, segments=segments)
    n = actors.mentions(docs, sentences=sentences, segments=segments)
    mm = dict(zip(m["start"], m["sent_id"]))
    nn = dict(zip(n["start"], n["sent_id"]))
    assert set(mm) == set(nn) == {0, 11, 23}
    assert mm == nn == {0: 0, 11: 0, 23: 1}


def test_quotes_sent_id_follows_the_same_convention():
    # the text layer's rules look sentences up one position at a time; their sent_id
    # is the one core.spans gives for the same offsets
    t = '"We agree," Mr. Vucic said. He noted that it was "fine". Then he left.'
    out = text.process(pd.DataFrame({"doc_id": ["a"], "text": [t]}))
    q = out["quotes"]
    located = S.locate(q[["doc_id", "start"]], sentences=out["sentences"])
    assert len(q) and located["sent_id"].tolist() == q["sent_id"].tolist()
