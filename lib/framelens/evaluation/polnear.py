"""Task ``polnear``: attribution (quotes, speakers, cues) on PolNeAR-style BRAT data.

Reads a split folder in PolNeAR's layout (:mod:`framelens.evaluation.brat`) and scores
three systems with :func:`framelens.evaluation.attribution_metrics.attribution_scores`:

``rules``
    The rule layer (``framelens.text.process``). Quotes nested inside another quote of
    the same document (a partial inside an indirect clause) are dropped: the annotation
    is univocal (each token in at most one attribution), so only the outermost content
    is comparable. The same holds for the model.
``regex``
    A plain regex baseline (:data:`REGEX_PATTERNS`): ``"..." said X``, ``"..." X said``,
    ``X said "..."`` and ``X said (that) clause.`` with 16 reporting verbs; the first
    pattern wins where spans overlap.
``model``
    The learned model (``process(attribution="model")``), the shipped weights unless
    ``model`` names others. With ``cv=K`` it is instead refitted and scored in K folds
    grouped by article (``GroupKFold``, shuffled, ``random_state=0``), which is the only
    fair figure on the data the shipped weights were fitted on.

Examples
--------
>>> from framelens.evaluation import evaluate
>>> r = evaluate("polnear", "polnear/train")                 # doctest: +SKIP
>>> r["metrics"]["model"]["indirect_F1"]                     # doctest: +SKIP
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.errors import ConfigError
from framelens.text import process

from . import register
from .attribution_metrics import attribution_scores
from .brat import read_brat
from .common import dataset_sha256

__all__ = [
    "rules_predict",
    "regex_predict",
    "model_predict",
    "cross_validate",
    "train_attribution",
    "REGEX_PATTERNS",
]

_V = (
    r"(?:said|says|say|told|tells|added|adds|asked|asks|wrote|writes|stated|explained|noted"
    r"|argued|claimed)"
)
_NAME = (
    r"(?:(?:[A-Z][\w'\u2019.\-]*\s+){0,3}[A-Z][\w'\u2019\-]*|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I)"
)
_Q = r"(?P<q>[\"\u201c][^\"\u201c\u201d\n]+[\"\u201d])"
#: The regex baseline, tried in this order.
REGEX_PATTERNS = (
    re.compile(_Q + r"\s*,?\s*" + _V + r"\s+(?P<s>" + _NAME + r")"),
    re.compile(_Q + r"\s*,?\s*(?P<s>" + _NAME + r")\s+" + _V + r"\b"),
    re.compile(r"(?P<s>" + _NAME + r")\s+" + _V + r"\s*[,:]?\s*" + _Q),
    re.compile(
        r"(?P<s>"
        + _NAME
        + r")\s+"
        + _V
        + r"\s+(?:that\s+)?(?P<q>[^\"\u201c\u201d\n]+?)(?=[.?!](?:\s|$))"
    ),
)
_KEEP = ["doc_id", "content_start", "content_end", "content_frags", "cue_start", "cue_end"]
_KEEP += ["source_start", "source_end", "speaker"]


def _outermost(q: pd.DataFrame) -> pd.DataFrame:
    keep = []
    for _, g in q.groupby("doc_id", sort=False):
        spans = list(zip(g["start"], g["end"]))
        for idx, (s, e) in zip(g.index, spans):
            if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2 in spans):
                keep.append(idx)
    return q.loc[keep]


def _as_pred(q: pd.DataFrame) -> pd.DataFrame:
    if not len(q):
        return pd.DataFrame(columns=_KEEP)
    q = _outermost(q)
    frags = (
        q["content_frags"]
        if "content_frags" in q
        else q["start"].astype(str) + "-" + q["end"].astype(str)
    )
    return pd.DataFrame(
        {
            "doc_id": q["doc_id"].astype(str).to_numpy(),
            "content_start": q["start"].to_numpy(),
            "content_end": q["end"].to_numpy(),
            "content_frags": pd.Series(frags).astype(str).to_numpy(),
            "cue_start": q["verb_start"].to_numpy(),
            "cue_end": q["verb_end"].to_numpy(),
            "source_start": q["speaker_start"].to_numpy(),
            "source_end": q["speaker_end"].to_numpy(),
            "speaker": q["speaker"].astype(object).where(q["speaker"].notna(), None).to_numpy(),
        }
    )


def rules_predict(docs: pd.DataFrame) -> pd.DataFrame:
    """The rule layer's attributions (outermost quotes) as a prediction table.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ['"Yes," Kim Lee said.']})
    >>> rules_predict(d)[["content_start", "content_end", "speaker"]].values.tolist()
    [[1, 5, 'Kim Lee']]
    """
    return _as_pred(process(docs[["doc_id", "text"]])["quotes"])


def model_predict(docs: pd.DataFrame, *, model=None) -> pd.DataFrame:
    """The learned model's attributions (outermost quotes) as a prediction table.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ['"We will not give up," Kim Lee said.']})
    >>> model_predict(d)[["content_start", "content_end", "speaker"]].values.tolist()
    [[1, 21, 'Kim Lee']]
    """
    return _as_pred(process(docs[["doc_id", "text"]], attribution="model", model=model)["quotes"])


def regex_predict(docs: pd.DataFrame) -> pd.DataFrame:
    """The plain regex baseline (:data:`REGEX_PATTERNS`) as a prediction table.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ['Kim said "no".']})
    >>> regex_predict(d)[["content_start", "content_end", "speaker"]].values.tolist()
    [[9, 13, 'Kim']]
    """
    rows = []
    for doc, text in zip(docs["doc_id"], docs["text"]):
        taken: list[tuple[int, int]] = []
        for pat in REGEX_PATTERNS:
            for m in pat.finditer(text):
                qs, qe = m.span("q")
                if any(qs < e and s < qe for s, e in taken):
                    continue
                taken.append((qs, qe))
                ss, se = m.span("s")
                rows.append((doc, qs, qe, f"{qs}-{qe}", None, None, ss, se, m.group("s")))
    return pd.DataFrame(rows, columns=_KEEP)


def folds(doc_ids, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test article ids of ``k`` folds grouped by article (shuffled, seed 0)."""
    from sklearn.model_selection import GroupKFold

    ids = np.asarray(sorted(doc_ids))
    gkf = GroupKFold(n_splits=k, shuffle=True, random_state=0)
    return [(ids[a], ids[b]) for a, b in gkf.split(ids, groups=ids)]


def cross_validate(docs, gold, *, k: int = 5, max_folds: int | None = None, **fit_options):
    """Fold-wise scores of rules, regex and the refitted model (module docstring).

    Returns
    -------
    dict
        system -> list of per-fold metric dicts.
    """
    from framelens.text.attribution_training import fit_attribution_model

    rules, regex = rules_predict(docs), regex_predict(docs)
    res: dict[str, list] = {"rules": [], "regex": [], "model": []}
    for tr, te in folds(docs["doc_id"], k)[: max_folds or k]:
        trd = docs[docs["doc_id"].isin(tr)]
        ted = docs[docs["doc_id"].isin(te)]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fold.crfsuite"
            fit_attribution_model(trd, gold[gold["doc_id"].isin(tr)], out=path, **fit_options)
            pred = model_predict(ted, model=path)
        res["model"].append(attribution_scores(gold, pred, docs, te))
        res["rules"].append(attribution_scores(gold, rules, docs, te))
        res["regex"].append(attribution_scores(gold, regex, docs, te))
    return res


def _mean(ms: list[dict]) -> dict:
    out = {}
    for k in ms[0]:
        vals = [m[k] for m in ms if not (isinstance(m[k], float) and np.isnan(m[k]))]
        out[k] = float(np.mean(vals)) if vals else float("nan")
    return out


def _json_safe(obj):
    """NaN (an undefined ratio, e.g. precision without predictions) as None (JSON null)."""
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, float) and np.isnan(obj):
        return None
    return obj


@register("polnear")
def evaluate_polnear(path: Path, *, cv: int = 0, limit: int | None = None, model=None) -> dict:
    """Score rules, regex and the model on a PolNeAR split (module docstring).

    Undefined ratios (no predictions or no gold of a kind) are None.
    """
    if not isinstance(cv, int) or cv == 1 or cv < 0:
        raise ConfigError(f"cv must be 0 (no refit) or a number of folds >= 2, got {cv!r}")
    docs, gold = read_brat(path, limit=limit)
    out = {
        "task": "polnear",
        "path": str(path),
        "n": len(docs),
        "n_attributions": len(gold),
        "data_sha256": dataset_sha256(path),
        "params": {"cv": cv, "limit": limit, "matching": "one-to-one, overlap/union >= 0.5"},
    }
    if cv:
        res = cross_validate(docs, gold, k=cv)
        out["metrics"] = {"model": _mean(res["model"]), "rules": _mean(res["rules"])}
        out["baselines"] = {"regex": _mean(res["regex"])}
        out["folds"] = res
        return _json_safe(out)
    out["metrics"] = {
        "model": attribution_scores(gold, model_predict(docs, model=model), docs),
        "rules": attribution_scores(gold, rules_predict(docs), docs),
    }
    out["baselines"] = {"regex": attribution_scores(gold, regex_predict(docs), docs)}
    return _json_safe(out)


def train_attribution(path: str | Path, *, out: str | Path, limit: int | None = None) -> dict:
    """Refit the attribution model on BRAT data in PolNeAR's layout (``framelens train``).

    Parameters
    ----------
    path : path
        A split folder with ``text/`` and ``attributions/``.
    out : path, keyword-only
        The weights file to write; the card (JSON) goes beside it. Use it with
        ``text.process(docs, attribution="model", model=out)``.
    limit : int, optional, keyword-only
        Fit on the first ``limit`` articles only.

    Returns
    -------
    dict
        The model card.

    Examples
    --------
    >>> train_attribution("data/polnear/train", out="my_model.crfsuite")  # doctest: +SKIP
    """
    from framelens.text.attribution_training import fit_attribution_model

    docs, gold = read_brat(path, limit=limit)
    extra = {"data_sha256": dataset_sha256(Path(path)), "data": str(path)}
    return fit_attribution_model(docs, gold, out=out, card_extra=extra)
