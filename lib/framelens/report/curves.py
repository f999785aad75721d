"""Learning curves in the validation report: score against the number of coded units.

:func:`round_rows` turns a coding round (:func:`framelens.report.validation.read_round`)
into training rows of a two-valued variable (the coders' majority value per unit; ties
are counted in a note, not guessed); :func:`round_curve` runs
:func:`framelens.measures.supervised.learning_curve` on them (the BABE recipe: sentence
text in, a binary code out); :func:`curve_parts` draws the curve with its trivial
baseline and tabulates it. A dataset given at run time goes through the same
:func:`curve_parts` (the notebook reads it with ``framelens.evaluation``).

Examples
--------
>>> import pandas as pd
>>> codes = pd.DataFrame({"unit_id": ["u1", "u1", "u2", "u2"], "coder": ["a", "b"] * 2,
...                       "variable": "bias", "value": ["biased", "biased", "neutral", "biased"]})
>>> texts = pd.DataFrame({"unit_id": ["u1", "u2"], "doc_id": ["d1", "d2"],
...                       "text": ["A smear.", "A vote."]})
>>> rows = round_rows(codes, texts, variable="bias", positive="biased")
>>> rows["y"].tolist(), rows["notes"]
([1], ['1 unit(s) with a tie between coders left out of the curve (no majority value)'])
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["round_rows", "round_curve", "plot_curve", "curve_parts", "CURVE_NOTE"]

#: How to read the curve (the notebook prints it above the figure).
CURVE_NOTE = (
    "Each point refits the model on a share (10, 25, 50, 100%) of the training groups of "
    "every grouped outer fold (seed 0) and scores it on the held-out fold. A curve still "
    "rising at 100% says more coding would pay; a flat one that more of the same will not. "
    "The dashed line is the trivial baseline of the same training rows."
)


def round_rows(codes: pd.DataFrame, texts: pd.DataFrame, *, variable: str,
               positive: str, tool: str = "framelens") -> dict[str, Any]:  # fmt: skip
    """Training rows of ``variable`` from a round's ``codes`` (the tool's codes ignored):
    ``X`` (text), ``y`` (1 when the coders' majority value is ``positive``), ``groups``
    (the unit's document) and ``notes`` (units left out, with the reason)."""
    c = codes[(codes["variable"] == variable) & (codes["coder"] != tool)]
    votes = c.assign(pos=c["value"].astype(str) == str(positive)).groupby("unit_id")["pos"]
    share = votes.mean()
    ties = share[share == 0.5].index
    share = share.drop(ties)
    t = texts.drop_duplicates("unit_id").set_index("unit_id")
    missing = [u for u in share.index if u not in t.index]
    share = share.drop(missing)
    notes = []
    if len(ties):
        notes.append(f"{len(ties)} unit(s) with a tie between coders left out of the curve "
                     "(no majority value)")  # fmt: skip
    if missing:
        notes.append(f"{len(missing)} coded unit(s) not in the analysis (no text): left out")
    X = pd.DataFrame({"text": t.loc[share.index, "text"].astype(str).to_numpy()})
    groups = t.loc[share.index, "doc_id"].astype(str).to_numpy()
    return {"X": X, "y": (share.to_numpy() > 0.5).astype(int), "groups": groups, "notes": notes}


def round_curve(
    rnd: Mapping[str, Any], texts: pd.DataFrame, *, variable: str | None = None,
    task: str = "babe", **options,
) -> tuple[pd.DataFrame | None, list[str]]:  # fmt: skip
    """The learning curve of a round's two-valued ``variable`` (default: the codebook's
    first; positive: its second value) with the ``task`` recipe; ``(None, notes)`` when
    it cannot be drawn."""
    from framelens.measures.supervised import learning_curve

    cb = rnd["codebook"].set_index("variable")
    if variable is None:
        two = [v for v, vals in cb["values"].items() if len(vals) == 2]
        variable = two[0] if two else ""
    if variable not in cb.index or len(cb.loc[variable, "values"]) != 2:
        return None, [f"no learning curve: the round has no two-valued variable {variable!r}"]
    rows = round_rows(rnd["codes"], texts, variable=variable,
                      positive=cb.loc[variable, "values"][1])  # fmt: skip
    if len(set(rows["groups"])) < 2 or len(set(rows["y"])) < 2:
        why = (f"no learning curve: {len(rows['y'])} coded unit(s) of {variable!r} in "
               f"{len(set(rows['groups']))} document(s), or one value only")  # fmt: skip
        return None, [*rows["notes"], why]
    with warnings.catch_warnings(record=True) as caught:  # said as a note, not a traceback
        warnings.simplefilter("always", UserWarning)
        lc = learning_curve(task, rows["X"], rows["y"], groups=rows["groups"], **options)
    thin = sorted({str(w.message) for w in caught if "least populated class" in str(w.message)})
    notes = list(rows["notes"])
    if thin:
        notes.append(
            "A small round: in some cross-validation folds a value of "
            f"{variable!r} has fewer coded units than folds ({thin[0]}), so those folds "
            "are unbalanced and the curve is rough; code more units for a smooth curve"
        )
    return lc, notes


def plot_curve(lc: pd.DataFrame, *, title: str, ax=None):
    """Score (and the trivial baseline) against the mean number of training units."""
    from framelens.report.core import PALETTE, label_axes, new_axes

    ax = new_axes(ax, figsize=(7, 4))
    ok = lc[lc["trained"]]
    ax.plot(ok["n_train_units"], ok["score"], marker="o", color=PALETTE["blue"],
            label="supervised model")  # fmt: skip
    ax.plot(ok["n_train_units"], ok["baseline"], ls="--", color="#888888",
            label="trivial baseline")  # fmt: skip
    for _, r in ok.iterrows():
        ax.annotate(f"{r['fraction']:.0%}", (r["n_train_units"], r["score"]), fontsize=8,
                    textcoords="offset points", xytext=(0, 6), ha="center")  # fmt: skip
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, loc="lower right")
    metric = str(lc["metric"].iloc[0]) if len(lc) else "score"
    return label_axes(
        ax, title=title, xlabel="coded units trained on (mean over folds)", ylabel=metric,
        source="grouped outer folds; share of training groups",
    )  # fmt: skip


def curve_parts(lc: pd.DataFrame | None, *, title: str, notes: Sequence[str] = ()) -> list:
    """Figure and table of a learning curve (notes only when there is none to draw)."""
    import matplotlib.pyplot as plt

    from framelens.report.core import note_html, table_html

    parts = [note_html(n) for n in notes]
    if lc is None or not lc["trained"].any():
        return parts + ([table_html(lc, name="learning-curve", caption=title)]
                        if lc is not None else [])  # fmt: skip
    fig = plot_curve(lc, title=title).figure
    plt.close(fig)
    shown = lc.assign(score=lc["score"].round(3), baseline=lc["baseline"].round(3),
                      n_train_units=np.round(lc["n_train_units"], 1))  # fmt: skip
    return parts + [fig, table_html(shown, name="learning-curve", caption=title)]
