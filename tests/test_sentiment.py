"""VADER oracles from Hutto & Gilbert (2014) as shipped in vaderSentiment 3.3.2 (METHODS.md §4)."""

import pandas as pd
import pytest

from framelens.sentiment import polarity, score_texts, sentence_sentiment

ORACLES = [
    ("VADER is smart, handsome, and funny.", 0.8316),
    ("VADER is smart, handsome, and funny!", 0.8439),
    ("VADER is very smart, handsome, and funny.", 0.8545),
    ("VADER is VERY SMART, handsome, and FUNNY.", 0.9227),
    ("VADER is not smart, handsome, nor funny.", -0.7424),
    ("The book was good.", 0.4404),
    ("The book was only kind of good.", 0.3832),
    ("Today SUX!", -0.5461),
]


@pytest.mark.parametrize("text,expected", ORACLES)
def test_vader_compound_oracles(text, expected):
    assert score_texts([text])[0] == pytest.approx(expected, abs=1e-4)


def test_polarity_thresholds():
    # VADER's published cut-offs: >= 0.05 positive, <= -0.05 negative
    assert polarity([0.05, 0.0499, -0.05, -0.0499]).tolist() == [1, 0, -1, 0]


def test_sentence_sentiment_table():
    s = pd.DataFrame({"doc_id": ["d", "d"], "sent_id": [0, 1], "text": ["The book was good.", ""]})
    out = sentence_sentiment(s)
    assert out.columns.tolist() == [
        "doc_id",
        "sent_id",
        "compound",
        "pos",
        "neu",
        "neg",
        "polarity",
    ]
    assert out["compound"].tolist() == pytest.approx([0.4404, 0.0])
    assert out["polarity"].tolist() == [1, 0]


def test_bad_component():
    with pytest.raises(ValueError, match="component"):
        score_texts(["x"], component="joy")
