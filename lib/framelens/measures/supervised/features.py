"""The numeric feature blocks of the supervised recipes, one definition for training,
evaluation and analysis.

:func:`frame_lexicon_features` turns a framing table (one row per document and frame:
``n_cues``, ``rate``, ``score``, from :func:`framelens.measures.framing.doc_frames`)
into three columns per frame: ``lexrate_<frame>`` = log(1 + rate), ``lexscore_<frame>``
= score and ``lexcues_<frame>`` = log(1 + n_cues). :func:`tone_table` builds the rows of
the target-tone recipe: the windows of
:func:`~framelens.measures.supervised.recipes.target_windows`, VADER
``(compound, pos, neu, neg)`` of the left window, the right window and the window with
the target, and the 31 :data:`framelens.measures.alignment.TONE_FEATURES` (``tf_``).

Examples
--------
>>> import pandas as pd
>>> fd = pd.DataFrame({"doc_id": ["a", "a"], "frame": ["Economic", "Political"],
...                    "n_cues": [3, 0], "rate": [12.0, 0.0], "score": [1.0, 0.0]})
>>> X = frame_lexicon_features(fd, ["a"], ["Economic", "Political"])
>>> list(X.columns)[:3], round(float(X["lexcues_Economic"].iloc[0]), 4)
(['lexrate_Economic', 'lexscore_Economic', 'lexcues_Economic'], 1.3863)
>>> T, num = tone_table(["Critics slammed Russia over the war."], [16], [22])
>>> T["left"].iloc[0], len(num)
('Critics slammed', 43)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .recipes import target_windows

__all__ = [
    "frame_lexicon_features",
    "other_scheme_features",
    "OTHER_SCHEMES",
    "tone_table",
    "VADER_PARTS",
]

#: The VADER components added per tone window.
VADER_PARTS = ("compound", "pos", "neu", "neg")


def frame_lexicon_features(
    frame_docs: pd.DataFrame,
    doc_ids: Sequence[str],
    frames: Sequence[str],
    *,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Three lexicon columns per frame, one row per ``doc_ids`` (zeros for documents
    without a row); ``names`` maps a scheme frame to the column suffix (a label)."""
    fd = frame_docs.assign(doc_id=frame_docs["doc_id"].astype(str),
                           frame=frame_docs["frame"].astype(str))  # fmt: skip
    cols = {}
    idx = [str(d) for d in doc_ids]
    for col in ("rate", "score", "n_cues"):
        w = fd.pivot_table(index="doc_id", columns="frame", values=col, aggfunc="sum",
                           fill_value=0.0, observed=True)  # fmt: skip
        cols[col] = w.reindex(index=idx, columns=list(frames), fill_value=0.0).to_numpy(float)
    out = {}
    for j, f in enumerate(frames):
        lab = (names or {}).get(f, f)
        out[f"lexrate_{lab}"] = np.log1p(cols["rate"][:, j])
        out[f"lexscore_{lab}"] = cols["score"][:, j]
        out[f"lexcues_{lab}"] = np.log1p(cols["n_cues"][:, j])
    return pd.DataFrame(out)


#: Lexicon blocks of *other* frame schemes a frame task's model reads beside its own
#: scheme's (task -> schemes): the narrative model also reads the policy lexicon's 14
#: frames (chosen by nested grouped CV on the development half, docs/validation.md).
OTHER_SCHEMES = {"narrative-frames": ("policy",), "semeval-frames": ()}


def other_scheme_features(frame_docs: pd.DataFrame, doc_ids: Sequence[str],
                          scheme: str) -> pd.DataFrame:  # fmt: skip
    """The three lexicon columns of every frame of ``scheme`` except ``Other``, named
    ``lexrate_<scheme>_<frame>`` (and ``lexscore_``, ``lexcues_``), from the rows of
    ``frame_docs`` of that scheme (all rows when it has no ``scheme`` column).

    Examples
    --------
    >>> fd = pd.DataFrame({"doc_id": ["a"], "frame": ["Morality"], "n_cues": [1],
    ...                    "rate": [2.0], "score": [0.5], "scheme": ["policy"]})
    >>> X = other_scheme_features(fd, ["a"], "policy")
    >>> X.shape, float(X["lexscore_policy_Morality"].iloc[0])
    ((1, 42), 0.5)
    """
    from framelens.measures.framing import scheme_info

    if "scheme" in frame_docs.columns:
        frame_docs = frame_docs[frame_docs["scheme"].astype(str) == scheme]
    frames = [f for f in scheme_info(scheme).frames if f != "Other"]
    return frame_lexicon_features(frame_docs, doc_ids, frames,
                                  names={f: f"{scheme}_{f}" for f in frames})  # fmt: skip


def tone_table(texts, starts, ends, *, window: int = 8) -> tuple[pd.DataFrame, list[str]]:
    """Rows of the target-tone recipe and the names of its numeric columns."""
    from framelens.measures.alignment import TONE_FEATURES, target_features
    from framelens.sentiment import scores

    texts = [str(t) for t in texts]
    w = target_windows(texts, starts, ends, window=window)
    pieces = {
        "vl": w["left"].tolist(),
        "vr": w["right"].tolist(),
        "vw": [
            f"{a} {t[s:e]} {b}"
            for a, b, t, s, e in zip(w["left"], w["right"], w["text"], w["start"], w["end"])
        ],  # fmt: skip
    }
    num = []
    for side, ps in pieces.items():
        vals = np.array([scores(p) for p in ps], float).reshape(len(ps), 4)
        for j, part in enumerate(VADER_PARTS):
            w[f"{side}_{part}"] = vals[:, j]
            num.append(f"{side}_{part}")
    if len(texts):
        tf = target_features(texts, np.asarray(starts), np.asarray(ends))
    else:
        tf = np.zeros((0, len(TONE_FEATURES)))
    for j, f in enumerate(TONE_FEATURES):
        w[f"tf_{f}"] = tf[:, j]
        num.append(f"tf_{f}")
    return w, num
