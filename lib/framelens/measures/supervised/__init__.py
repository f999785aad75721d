"""Transparent supervised measures: linear models trained on human coding.

Recipes (:mod:`.recipes`) are scikit-learn pipelines over features a reader can
inspect; :mod:`.training` fits them with thresholds chosen by inner grouped CV and
cross-validates them by article or outlet; :mod:`.calibration` maps their
probabilities to observed frequencies (fitted on inner grouped out-of-fold scores);
:mod:`.wordlex` learns a word lexicon from coders' marked words, cross-fitted;
:mod:`.learning` gives learning curves; :mod:`.persist` saves them with skops in a
canonical, byte-reproducible form with a JSON card; :mod:`.features` builds the numeric
blocks (lexicon frame features, target-tone windows); :mod:`.explain` gives each
prediction's evidence as features with character spans.

These live in ``measures`` (not a room of their own) because they are measures: they
read the same tables and lexicons, and the layering already keeps measures free of
report, runner and cli.

Examples
--------
>>> from framelens.measures import supervised
>>> sorted(supervised.RECIPES)[:2]
['babe', 'narrative-frames']
"""

from __future__ import annotations

from . import persist
from .evidence import explain, ngram_spans
from .features import frame_lexicon_features, tone_table
from .learning import learning_curve
from .recipes import RECIPES, Recipe, make_pipeline, target_windows
from .training import (
    Model,
    calibration_report,
    card,
    cross_predict,
    cross_validate,
    data_sha256,
    fit,
    outer_folds,
    predict,
    predict_proba,
)

__all__ = [
    "persist",
    "RECIPES",
    "Recipe",
    "Model",
    "make_pipeline",
    "target_windows",
    "fit",
    "predict",
    "predict_proba",
    "cross_predict",
    "cross_validate",
    "calibration_report",
    "learning_curve",
    "outer_folds",
    "frame_lexicon_features",
    "tone_table",
    "card",
    "data_sha256",
    "explain",
    "ngram_spans",
]
