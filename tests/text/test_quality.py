"""framelens.text.quality: probable garbled words and dated historical claims, as
warnings with offsets (never corrections). The seed article plants one of each."""

from __future__ import annotations

import socket

import pandas as pd
import pytest

from framelens.actors import load_gazetteer
from framelens.text import quality

CLEAN = (
    "The minister said on Monday that the new budget would raise spending on schools and "
    "hospitals. Opposition members criticised the plan, arguing that it relied on optimistic "
    "growth forecasts. A vote is expected next week, after a debate in parliament."
)


def _docs(text, date="2024-10-20"):
    return pd.DataFrame({"doc_id": ["d"], "text": [text], "date": pd.to_datetime([date])})


def test_the_seed_article_flags_kmarsome_and_the_2019_korea_sentence(seed_text):
    w = quality.quality_warnings(_docs(seed_text), known=load_gazetteer().terms)
    garbled = w[w["code"] == "garbled_word"]
    k = garbled[garbled["word"] == "kmarsome"].iloc[0]
    assert seed_text[k["start"] : k["end"]] == "kmarsome"
    claims = w[w["code"] == "dated_claim"]
    korea = claims[claims["word"] == "2019"].iloc[0]
    sentence = seed_text[korea["start"] : korea["end"]]
    assert sentence.startswith("North and South Korea ended the North Korean war")
    assert "2019" in korea["message"] and set(w["severity"]) == {"warning"}
    # names (capitalised) and gazetteer terms are never garbled
    assert not garbled["word"].str[0].str.isupper().any()
    assert "Vucic" not in set(garbled["word"])


def test_a_clean_paragraph_flags_nothing():
    assert quality.quality_warnings(_docs(CLEAN)).empty
    assert list(quality.quality_warnings(_docs(CLEAN)).columns) == quality.WARNING_COLUMNS


def test_garbled_words_skip_names_numbers_short_words_and_known_terms():
    text = "Zorblat met the qwzx team in 2024 at km 12; a blorptastic idea."
    w = quality.garbled_words(_docs(text))
    assert w["word"].tolist() == ["qwzx", "blorptastic"]
    assert [text[s:e] for s, e in zip(w["start"], w["end"])] == w["word"].tolist()
    assert quality.garbled_words(_docs(text), known=["qwzx", "Blorptastic"]).empty


def test_dated_claims_need_a_past_year_and_an_event_cue():
    text = "The treaty was signed in 1995. Sales rose in 2001. The war ended in 2030."
    c = quality.dated_claims(_docs(text, "2024-01-01"))
    assert c[["sent_id", "year", "cues"]].values.tolist() == [[0, "1995", "treaty;signed"]]
    # without a date every year may be past: the 2030 sentence is listed too
    undated = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    assert quality.dated_claims(undated)["year"].tolist() == ["1995", "2030"]


def test_the_word_list_works_offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("offline")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    quality.is_known_word.cache_clear()
    assert quality.is_known_word("armistice") and not quality.is_known_word("kmarsome")


def test_bad_input_is_a_clear_error():
    with pytest.raises(TypeError, match="doc_id and text"):
        quality.garbled_words(pd.DataFrame({"x": [1]}))
