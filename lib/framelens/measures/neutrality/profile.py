"""The per-document neutrality profile."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd

from framelens.core.schema import VERB_CLASSES, VOICES
from framelens.core.tokens import RATE_PER

from .attributions import attribution, attribution_asymmetry
from .common import (
    CUE_CATEGORIES,
    EVALUATIVE,
    as_str_array,
)
from .sourcing import source_balance

log = logging.getLogger(__name__)


def neutrality_profile(tables: Mapping[str, pd.DataFrame], *, camp_map=None) -> pd.DataFrame:
    """One row per document summarising every neutrality measure side by side.

    ``tables`` holds the outputs of :func:`step` (``cue_rates``, ``attribution`` ...)
    and the base tables (``sentences``, ``quotes``). Columns: ``tokens_<voice>``,
    ``share_<voice>`` (token shares), ``author_<category>`` (author cue rate per 1,000
    author words), ``author_evaluative_rate`` (attitude markers + intensifiers +
    loaded terms + boosters per 1,000 author words), ``author_hedge_rate``,
    ``quoted_evaluative_rate``, ``n_quotes``, ``n_verbs`` (distinct reporting verbs),
    ``verb_<class>`` (share of reporting verbs, each counted once), ``n_sources``
    (distinct persons quoted), ``source_balance``, ``dominant_source``, ``dominant_share``,
    ``n_camps``, ``camp_balance``, ``asymmetry`` (camp net-endorsement range),
    ``n_neutrality`` (core neutrality-discourse rows), ``n_neutrality_author``,
    ``n_neutrality_questioned``, ``bias_mean``, ``bias_max``, ``share_flagged`` (all
    voices), ``bias_author_mean``, ``share_flagged_author`` (author-voice cues only),
    ``compound_<voice>`` (when sentiment is available).
    """
    # long: the profile's column groups (voice shares, cue rates, verb mix, sourcing, discourse,
    # bias) join on one document index
    sent = tables["sentences"]
    docs = pd.DataFrame({"doc_id": pd.unique(as_str_array(sent["doc_id"]))})
    if "docs" in tables and len(tables["docs"]):
        docs = pd.DataFrame({"doc_id": as_str_array(tables["docs"]["doc_id"])}).drop_duplicates()
    out = docs.copy()
    cr = tables.get("cue_rates")
    if cr is not None and len(cr):
        cr = cr.assign(
            doc_id=as_str_array(cr["doc_id"]),
            voice=as_str_array(cr["voice"]),
            category=as_str_array(cr["category"]),
        )
        tok = cr.drop_duplicates(["doc_id", "voice"]).pivot(
            index="doc_id", columns="voice", values="tokens"
        )
        tok = tok.reindex(columns=list(VOICES), fill_value=0).fillna(0)
        tot = tok.sum(axis=1)
        t = pd.DataFrame(index=tok.index)
        for v in VOICES:
            t[f"tokens_{v}"] = tok[v].astype("int64")
        for v in VOICES:
            t[f"share_{v}"] = np.where(tot > 0, tok[v] / tot.where(tot > 0, 1), np.nan)
        au = cr[cr["voice"] == "author"].pivot(index="doc_id", columns="category", values="rate")
        au = au.reindex(columns=list(CUE_CATEGORIES))
        for c in CUE_CATEGORIES:
            t[f"author_{c}"] = au[c]
        for v, name in (("author", "author_evaluative_rate"), ("quoted", "quoted_evaluative_rate")):
            d = cr[(cr["voice"] == v) & cr["category"].isin(EVALUATIVE)]
            g = d.groupby("doc_id").agg(n=("n", "sum"), tokens=("tokens", "first"))
            tk = g["tokens"]
            t[name] = np.where(tk > 0, RATE_PER * g["n"] / tk.where(tk > 0, 1), np.nan)
        t["author_hedge_rate"] = t["author_hedges"]
        out = out.merge(t.reset_index(), on="doc_id", how="left")
    q = tables.get("quotes")
    if q is not None and len(q) and "verb_class" in q.columns:
        a = attribution(q, by=("doc_id",))
        a = a.assign(verb_class=as_str_array(a["verb_class"]))
        w = a.pivot(index="doc_id", columns="verb_class", values="share").reindex(
            columns=list(VERB_CLASSES)
        )
        w.columns = [f"verb_{c}" for c in w.columns]
        first = a.drop_duplicates("doc_id").set_index("doc_id")
        w["n_quotes"] = first["n_quotes"]
        w["n_verbs"] = first["n_verbs"]
        out = out.merge(w.reset_index(), on="doc_id", how="left")
        asym = attribution_asymmetry(q, group="camp", by=("doc_id",), camp_map=camp_map)
        out = out.merge(asym[["doc_id", "asymmetry"]], on="doc_id", how="left")
    else:
        out["n_quotes"] = 0
        out["n_verbs"] = 0
    out["n_quotes"] = out["n_quotes"].fillna(0).astype("int64")
    out["n_verbs"] = out["n_verbs"].fillna(0).astype("int64")
    src = tables.get("sources")
    if src is not None and len(src):
        b = source_balance(src, by="source").rename(
            columns={"n": "n_sources", "balance": "source_balance", "dominant": "dominant_source"}
        )
        out = out.merge(
            b[["doc_id", "n_sources", "source_balance", "dominant_source", "dominant_share"]],
            on="doc_id",
            how="left",
        )
        c = source_balance(src, by="camp").rename(
            columns={"n": "n_camps", "balance": "camp_balance"}
        )
        out = out.merge(c[["doc_id", "n_camps", "camp_balance"]], on="doc_id", how="left")
    for col in ("n_sources", "n_camps"):
        out[col] = out[col].fillna(0).astype("int64") if col in out else 0
    ns = tables.get("neutrality_statements")
    if ns is not None and len(ns):
        core = ns[ns["core"].astype(bool)]
        g = pd.DataFrame(
            {
                "n_neutrality": core.groupby(as_str_array(core["doc_id"])).size(),
                "n_neutrality_author": core[as_str_array(core["voice"]) == "author"]
                .groupby(as_str_array(core[as_str_array(core["voice"]) == "author"]["doc_id"]))
                .size(),
                "n_neutrality_questioned": core[as_str_array(core["stance"]) == "questioned"]
                .groupby(as_str_array(core[as_str_array(core["stance"]) == "questioned"]["doc_id"]))
                .size(),
            }
        )
        g.index.name = "doc_id"
        out = out.merge(g.reset_index(), on="doc_id", how="left")
    for col in ("n_neutrality", "n_neutrality_author", "n_neutrality_questioned"):
        out[col] = out[col].fillna(0).astype("int64") if col in out else 0
    sb = tables.get("sentence_bias")
    if sb is not None and len(sb):
        agg = dict(
            bias_mean=("bias_score", "mean"),
            bias_max=("bias_score", "max"),
            share_flagged=("flagged", "mean"),
        )
        if "bias_score_author" in sb.columns:
            agg.update(
                bias_author_mean=("bias_score_author", "mean"),
                share_flagged_author=("flagged_author", "mean"),
            )
        g = sb.assign(doc_id=as_str_array(sb["doc_id"])).groupby("doc_id").agg(**agg)
        out = out.merge(g.reset_index(), on="doc_id", how="left")
    vs = tables.get("voice_sentiment")
    if vs is not None and len(vs):
        vs = vs.assign(doc_id=as_str_array(vs["doc_id"]), voice=as_str_array(vs["voice"]))
        w = vs.pivot(index="doc_id", columns="voice", values="compound_mean").reindex(
            columns=list(VOICES)
        )
        w.columns = [f"compound_{c}" for c in w.columns]
        out = out.merge(w.reset_index(), on="doc_id", how="left")
    return out
