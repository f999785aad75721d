"""Fit the shipped sentence bias model (lib/framelens/lexicons/bias_model.json).

Usage (the documented command that reproduces the shipped weights)::

    python benchmarks/fit_bias_model.py /work/shared/eval/babe/babe_sg2.csv \
        [--out lib/framelens/lexicons/bias_model.json]

The data is a BABE ``final_labels_SG2.csv``-format *development* file, read through the
path given here and never copied. Features are the transparent counts of
``framelens.measures.neutrality.bias_features`` (bias-cue category counts, punctuation, sentence
length) and, for the ``cues+vader`` variant, VADER's pos / neg / |compound|. Each feature
is transformed (log1p for counts), standardised with the mean and standard deviation of
the development data, and a scikit-learn ``LogisticRegression`` (L2, C=1.0) is fitted.
The JSON stores, per variant, every coefficient with its feature's transform, mean and
scale, the intercept, the decision threshold (0.5) and ``require_cue`` (a sentence is
flagged only if it has at least one bias-cue match), and a provenance block: the
data's SHA-256, this command, the library versions, and the in-sample figures beside
5-fold cross-validated figures grouped by article (news_link) and by outlet, so that
fit is not mistaken for validity. It also stores ``baselines.vader_abs_compound``: the
threshold on VADER |compound| that maximises macro-F1 on this development data, which
the evaluations apply unchanged (issue 5: baselines fitted on development data).
Nothing in the file depends on the date or on hash seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from framelens.evaluation.bias import (  # noqa: E402
    classification_metrics,
    fit_threshold,
    read_babe,
    unit_features,
)
from framelens.evaluation.common import dataset_sha256  # noqa: E402
from framelens.measures.neutrality import CUE_FEATURES  # noqa: E402

COUNT_FEATURES = list(CUE_FEATURES) + ["tokens", "n_exclaim", "n_question", "n_quote_marks"]
VADER_FEATURES = ["vader_pos", "vader_neg", "vader_abs"]
VARIANTS = {"cues": COUNT_FEATURES, "cues+vader": COUNT_FEATURES + VADER_FEATURES}
C = 1.0


def transform(name: str) -> str:
    return "identity" if name.startswith("vader_") else "log1p"


def design(feats, names):
    cols = []
    for n in names:
        x = feats[n].to_numpy("float64")
        cols.append(np.log1p(x) if transform(n) == "log1p" else x)
    return np.column_stack(cols)


def fit(X, y):
    from sklearn.linear_model import LogisticRegression

    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit((X - mean) / scale, y)
    return mean, scale, clf


def predict(model, X):
    mean, scale, clf = model
    return clf.predict_proba((X - mean) / scale)[:, 1]


def cross_validate(X, y, groups, has_cue, *, n_splits=5):
    from sklearn.model_selection import GroupKFold

    prob = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=n_splits).split(X, y, groups):
        prob[te] = predict(fit(X[tr], y[tr]), X[te])
    m = classification_metrics(y, ((prob >= 0.5) & has_cue).astype(int), prob)
    return {k: round(v, 4) for k, v in m.items()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("babe_csv", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "lib/framelens/lexicons/bias_model.json")
    args = ap.parse_args(argv)
    import sklearn

    import framelens
    from framelens import lexicon

    lexicon_hash = lexicon.load("bias_cues").hash
    units = read_babe(args.babe_csv)
    feats, _ = unit_features(units["unit_id"], units["text"], sentiment=True)
    y = units["label"].to_numpy()
    # a sentence is flagged only when it has at least one lexicon cue (require_cue)
    has_cue = feats[list(CUE_FEATURES)].sum(axis=1).to_numpy() > 0
    variants, evaluation = {}, {}
    for name, names in VARIANTS.items():
        X = design(feats, names)
        mean, scale, clf = fit(X, y)
        prob = predict((mean, scale, clf), X)
        ins = classification_metrics(y, ((prob >= 0.5) & has_cue).astype(int), prob)
        evaluation[name] = {
            "in_sample": {k: round(v, 4) for k, v in ins.items()},
            "cv5_grouped_by_article": cross_validate(X, y, units["news_link"].to_numpy(), has_cue),
            "cv5_grouped_by_outlet": cross_validate(X, y, units["outlet"].to_numpy(), has_cue),
            "cv5_grouped_by_article_without_require_cue": cross_validate(
                X, y, units["news_link"].to_numpy(), np.ones(len(y), bool)
            ),
        }
        variants[name] = {
            "features": [
                {
                    "name": n,
                    "transform": transform(n),
                    "mean": round(float(m), 6),
                    "scale": round(float(s), 6),
                    "coef": round(float(c), 6),
                }
                for n, m, s, c in zip(names, mean, scale, clf.coef_[0])
            ],
            "intercept": round(float(clf.intercept_[0]), 6),
            "threshold": 0.5,
            "require_cue": True,
            "evaluation": evaluation[name],
        }
        print(name, json.dumps(evaluation[name]), file=sys.stderr)
    # the VADER |compound| baseline's threshold, fitted once on this development data and
    # applied unchanged by `framelens evaluate babe / semeval-techniques`
    vabs = feats["vader_abs"].to_numpy("float64")
    vt, vf = fit_threshold(y, vabs)
    baselines = {
        "vader_abs_compound": {
            "threshold": round(float(vt), 4),
            "macro_f1_dev": round(float(vf), 4),
            "method": (
                "threshold on VADER |compound| maximising macro-F1 among the 101 "
                "quantiles (0, 0.01, ..., 1) of this development data"
            ),
            "fitted_on_sha256": dataset_sha256(args.babe_csv),
        }
    }
    print("vader baseline", json.dumps(baselines), file=sys.stderr)
    out = {
        "name": "framelens-bias-logistic",
        "description": (
            "Logistic regression of BABE label_bias on transparent cue features; "
            "score = 1/(1+exp(-(intercept + sum coef*(t(x)-mean)/scale)))."
        ),
        "default_variant": "cues",
        "variants": variants,
        "baselines": baselines,
        "provenance": {
            "data": "BABE final_labels_SG2.csv development half (Spinde et al. 2021), AGPL-3.0; "
            "not shipped",
            "data_sha256": dataset_sha256(args.babe_csv),
            "n": int(len(y)),
            "n_biased": int(y.sum()),
            "command": "python benchmarks/fit_bias_model.py BABE_DEV_CSV",
            "estimator": f"sklearn.linear_model.LogisticRegression(C={C}, penalty='l2')",
            "sklearn": sklearn.__version__,
            "framelens": framelens.__version__,
            "lexicon": "bias_cues",
            "lexicon_hash": lexicon_hash,
        },
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
