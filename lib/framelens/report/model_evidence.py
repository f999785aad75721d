"""Supervised frame predictions beside the lexicon measure, with their evidence.

When an analysis ran the opt-in step ``models`` with a frame model
(docs/methods/supervised.md), :func:`frame_comparison` sets the model's frames beside
the lexicon's (the share of documents each calls present, and how often they agree),
:func:`evidence_spans` turns ``model_evidence`` into highlight spans (each feature that
pushed a frame's score, at its characters; hover for the feature and its weight),
:func:`card_table` summarises the model's card (training data, licence, nested-CV scores
with intervals, calibration) and :func:`model_parts` puts them together for a report.
Everything is read from the analysis's tables and the model's card; text is escaped by
:func:`framelens.report.highlight.highlight_html`.

Examples
--------
>>> import pandas as pd
>>> ev = pd.DataFrame({"table": "model_frames", "doc_id": "d1", "frame": ["CO", "CO"],
...                    "feature": ["word:war", "num:lexrate_CO"], "weight": [0.8, 0.1],
...                    "start": [4, None], "end": [7, None], "rank": [0, 1]})
>>> evidence_spans(ev, "d1")[["start", "end", "label"]].values.tolist()
[[4, 7, 'CO +']]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from framelens.measures.supervised import shipped as model_step
from framelens.report.core import note_html, table_html
from framelens.report.highlight import highlight_html
from framelens.report.reading import read

__all__ = ["frames_model", "frame_comparison", "evidence_spans", "card_table", "model_parts",
           "VALIDITY_DOC"]  # fmt: skip

#: Where the models' validity figures are (the card holds the same CV figures).
VALIDITY_DOC = "docs/validation.md, section 'Supervised models beside the lexicon measures'"


def _tables(analysis: Any) -> Mapping[str, pd.DataFrame]:
    return getattr(analysis, "tables", analysis)


def frames_model(analysis: Any) -> str | None:
    """The frame model the analysis's ``models`` step ran with (its option value), or
    None (the step did not run or named no frame model)."""
    try:
        opts = analysis.step_options(model_step.NAME)
    except Exception:  # noqa: BLE001 - an analysis without the step: nothing to show
        return None
    value = (opts or {}).get("frames")
    return None if value in (None, "") else str(value)


def frame_comparison(analysis: Any, card: Mapping[str, Any]) -> pd.DataFrame:
    """Per model frame: documents, share present by the model, by the lexicon (the
    scheme the model's task maps to) and the share of documents on which they agree."""
    from framelens.measures.framing import scheme_info

    mf = read(analysis, "model_frames")
    scheme = model_step.FRAME_SCHEMES.get(str(card.get("task")), "")
    fd = read(analysis, "frame_docs", columns=["doc_id", "scheme", "frame", "present"],
              filters=[("scheme", "==", scheme)])  # fmt: skip
    fd = fd[fd["scheme"].astype(str) == scheme]
    label_of = scheme_info(scheme).label_map if scheme else {}
    lex = fd.assign(label=fd["frame"].astype(str).map(lambda f: label_of.get(f, f)))
    lex = lex.set_index(["doc_id", "label"])["present"]
    rows = []
    for frame, g in mf.groupby(mf["frame"].astype(str), sort=False):
        keys = list(zip(g["doc_id"].astype(str), [frame] * len(g)))
        lp = lex.reindex(keys).fillna(False).astype(bool).to_numpy()
        mp = g["present"].astype(bool).to_numpy()
        rows.append({"frame": frame, "documents": len(g), "model_present": mp.mean(),
                     "lexicon_present": lp.mean(), "agree": (mp == lp).mean(),
                     "mean_p": float(g["p"].mean())})  # fmt: skip
    return pd.DataFrame(rows)


def evidence_spans(evidence: pd.DataFrame, doc_id: str, *, frames=None) -> pd.DataFrame:
    """Highlight spans (``start, end, label, tip``) of a document's frame evidence:
    label ``"<frame> +"`` for features that raised the frame's score, ``"<frame> -"``
    for those that lowered it; features without a span (numeric scores) are left out
    of the highlight (they are in the evidence table)."""
    e = evidence[(evidence["table"].astype(str) == "model_frames")
                 & (evidence["doc_id"].astype(str) == str(doc_id))]  # fmt: skip
    if frames is not None:
        e = e[e["frame"].astype(str).isin([str(f) for f in frames])]
    e = e[e["start"].notna() & e["end"].notna()]
    sign = np.where(e["weight"].to_numpy(float) >= 0, "+", "-")
    return pd.DataFrame({
        "start": e["start"].astype(int).to_numpy(), "end": e["end"].astype(int).to_numpy(),
        "label": [f"{f} {s}" for f, s in zip(e["frame"].astype(str), sign)],
        "tip": [f"{f} ({w:+.3f})" for f, w in zip(e["feature"].astype(str), e["weight"])],
    })  # fmt: skip


def card_table(card: Mapping[str, Any], *, value: str) -> pd.DataFrame:
    """The card's key facts as a two-column table (what a reader needs to trust it)."""
    cv = card.get("cross_validation") or {}
    ci = cv.get("ci") or {}
    cal = cv.get("calibration") or {}
    facts = {"model": value, "task": card.get("task"), "dataset": card.get("dataset"),
             "data licence": card.get("data_licence"),
             "training rows": card.get("n_training_rows"),
             "training data sha256": str(card.get("training_data_sha256", ""))[:16]}  # fmt: skip
    for k in ("micro_f1", "macro_f1"):
        if k in cv:
            lo, hi = ci.get(k, [float("nan")] * 2)
            facts[f"{k} (nested grouped CV)"] = f"{cv[k]:.3f} [{lo:.3f}, {hi:.3f}]"
    if cal:
        facts["calibration"] = (f"{cal.get('method')}: Brier {cal['calibrated']['brier']:.3f} "
                                f"(uncalibrated {cal['uncalibrated']['brier']:.3f}), ECE "
                                f"{cal['calibrated']['ece']:.3f}")  # fmt: skip
    facts["card file"] = model_step.model_path(value).with_suffix(".card.json").name
    return pd.DataFrame({"fact": list(facts), "value": [str(v) for v in facts.values()]})


def _pick_doc(mf: pd.DataFrame) -> str:
    n = mf.groupby(mf["doc_id"].astype(str))["present"].sum()
    return str(n.sort_values(ascending=False, kind="stable").index[0])


def model_parts(analysis: Any, *, doc_id: str | None = None, max_chars: int = 6000) -> list:
    """The report section's parts: a note when no frame model ran; otherwise the card,
    the model-versus-lexicon table, and one document (``doc_id``, default the one with
    most frames present) with its predictions and evidence highlighted."""
    value = frames_model(analysis)
    t = _tables(analysis)
    if value is None or "model_frames" not in t or not len(t["model_frames"]):
        return [note_html("No supervised frame model in this analysis: add the step 'models' "
                          "with a 'frames' model to the configuration (docs/methods/"
                          "supervised.md) to see its predictions beside the lexicon.")]  # fmt: skip
    card = model_step.model_card(value)
    mf = t["model_frames"]
    doc = str(doc_id) if doc_id is not None else _pick_doc(mf)
    docs = read(analysis, "docs", columns=["doc_id", "text"], doc_ids=[doc])
    text = str(docs.loc[docs["doc_id"].astype(str) == doc, "text"].iloc[0])
    one = mf[mf["doc_id"].astype(str) == doc][["frame", "p", "present"]]
    present = one.loc[one["present"].astype(bool), "frame"].astype(str).tolist()
    evidence = read(analysis, "model_evidence", doc_ids=[doc])  # the one document's rows
    spans = evidence_spans(evidence, doc, frames=present or None)
    spans = spans[spans["end"] <= max_chars]
    return [
        table_html(card_table(card, value=value), name="model-card",
                   caption=f"The frame model's card ({value}); validity: {VALIDITY_DOC}"),
        table_html(frame_comparison(analysis, card).round(3), name="model-vs-lexicon",
                   caption="Frames present: the supervised model beside the lexicon measure"),
        table_html(one.round(3), name=f"model-frames-{doc}",
                   caption=f"Document {doc}: calibrated probability per frame"),
        highlight_html(text[:max_chars], spans, title_col="tip",
                       legend_title="model evidence (frame +/-: raised / lowered its score)"),
    ]  # fmt: skip
