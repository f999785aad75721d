"""Sentence sentiment with VADER (Hutto & Gilbert 2014), through ``vaderSentiment``.

VADER's compound score is the normalised sum of valence scores,
``compound = s / sqrt(s**2 + 15)`` clipped to [-1, 1]; a text is positive at
``compound >= 0.05`` and negative at ``compound <= -0.05`` (the authors' thresholds).
It is the costliest step per byte of the pipeline: :func:`sentence_sentiment` is
optional in :func:`framelens.analyze` (``Config(sentiment=False)``).

Examples
--------
>>> from framelens.sentiment import score_texts
>>> round(float(score_texts(["The book was good."])[0]), 4)
0.4404
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from framelens.errors import ConfigError

__all__ = ["analyzer", "score_texts", "polarity", "sentence_sentiment", "POS", "NEG"]

#: VADER's published thresholds for positive / negative compound scores.
POS = 0.05
NEG = -0.05


@functools.lru_cache(maxsize=1)
def analyzer():
    """Return the process-wide VADER ``SentimentIntensityAnalyzer`` (its lexicon ships
    inside the ``vaderSentiment`` package; nothing is downloaded)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def score_texts(texts: Iterable[str], *, component: str = "compound") -> np.ndarray:
    """VADER scores for each text.

    Parameters
    ----------
    texts : iterable of str
    component : {"compound", "pos", "neu", "neg"}, keyword-only

    Returns
    -------
    numpy.ndarray of float64

    Examples
    --------
    >>> score_texts(["Today SUX!"]).round(4).tolist()
    [-0.5461]
    """
    if component not in {"compound", "pos", "neu", "neg"}:
        raise ConfigError(f"component must be 'compound', 'pos', 'neu' or 'neg', not {component!r}")
    sia = analyzer()
    return np.fromiter((sia.polarity_scores(t or "")[component] for t in texts), dtype="float64")


def polarity(compound: Sequence[float] | np.ndarray, *, pos: float = POS, neg: float = NEG):
    """Map compound scores to -1 / 0 / +1 with VADER's thresholds.

    Examples
    --------
    >>> polarity([0.4404, 0.0, -0.5461]).tolist()
    [1, 0, -1]
    """
    c = np.asarray(compound, dtype="float64")
    return np.where(c >= pos, 1, np.where(c <= neg, -1, 0)).astype("int8")


def sentence_sentiment(sentences: pd.DataFrame) -> pd.DataFrame:
    """VADER scores per sentence.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (``doc_id``, ``sent_id``, ``text``).

    Returns
    -------
    DataFrame
        ``doc_id, sent_id, compound, pos, neu, neg, polarity`` - one row per sentence.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "text": ["The book was good."]})
    >>> float(sentence_sentiment(s)["compound"][0])
    0.4404
    """
    sia = analyzer()
    scores = [sia.polarity_scores(t or "") for t in sentences["text"].tolist()]
    out = pd.DataFrame(
        {
            "doc_id": sentences["doc_id"].to_numpy(),
            "sent_id": sentences["sent_id"].to_numpy(),
            "compound": np.array([s["compound"] for s in scores], dtype="float64"),
            "pos": np.array([s["pos"] for s in scores], dtype="float64"),
            "neu": np.array([s["neu"] for s in scores], dtype="float64"),
            "neg": np.array([s["neg"] for s in scores], dtype="float64"),
        }
    )
    out["polarity"] = polarity(out["compound"].to_numpy())
    return out
