"""Figures and article sections for the neutrality-language measures.

Figures take the tables of :mod:`framelens.measures.neutrality` (per document) plus ``docs`` and
a grouping column, aggregate them with the corpus-level functions of that module
(pooled rates and shares) and draw them with the framelens style. HTML helpers build on
:func:`framelens.report.core.highlight_html`: every piece of corpus text is escaped.

Examples
--------
>>> from framelens.report import neutrality as vn           # doctest: +SKIP
>>> vn.plot_author_cues(an.cue_rates, an.docs)            # doctest: +SKIP
>>> vn.article_section(an, "000_fbaa5b5f07ee96ab")        # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framelens.core.tokens import RATE_PER
from framelens.measures import neutrality as nt
from framelens.report.biased import VOICE_COLORS, top_biased_html
from framelens.report.biased import cue_spans as _cue_spans
from framelens.report.core import (
    OKABE_ITO,
    PALETTE,
    VERB_CLASS_COLORS,
    doc_title,
    label_axes,
    new_axes,
    note_html,
    section_html,
    table_html,
)
from framelens.report.highlight import highlight_html
from framelens.report.params import group_docs
from framelens.report.speakers import drop_pronouns

__all__ = [
    "STANCE_COLORS",
    "plot_author_cues",
    "plot_voice_evaluation",
    "plot_verb_mix",
    "plot_verb_shares",
    "verb_mix_shares",
    "plot_sourcing",
    "plot_neutrality_speakers",
    "top_biased_html",
    "neutrality_speakers",
    "article_section",
    "VOICE_COLORS",
    "CATEGORY_LABELS",
]

CATEGORY_LABELS = {
    "hedges": "hedges",
    "boosters": "boosters",
    "attitude_markers": "attitude markers",
    "factive_verbs": "factive verbs",
    "assertive_verbs": "assertive verbs",
    "implicatives": "implicatives",
    "intensifiers": "intensifiers",
    "loaded_terms": "loaded terms",
}


def _ax(ax, figsize):
    return new_axes(ax, figsize=figsize)


def plot_author_cues(
    cue_rates: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    by: str = "outlet",
    voice: str = "author",
    ax=None,
):
    """Grouped bars: cue rate per 1,000 words in one ``voice``, per category and group.

    Returns the matplotlib Axes.
    """
    if voice not in nt.VOICES:
        raise ValueError(f"voice must be one of {nt.VOICES}")
    g = nt.group_cue_rates(cue_rates, group_docs(docs, by), by=by)
    g = g[g["voice"] == voice]
    w = (
        g.pivot(index="category", columns="group", values="rate")
        .reindex(list(nt.CUE_CATEGORIES))
        .fillna(0)
    )
    ax = _ax(ax, (9, 4.2))
    n = max(len(w.columns), 1)
    x = np.arange(len(w.index))
    width = 0.8 / n
    for i, col in enumerate(w.columns):
        ax.bar(
            x + i * width - 0.4 + width / 2,
            w[col].to_numpy(),
            width,
            label=str(col),
            color=OKABE_ITO[i % len(OKABE_ITO)],
        )
    ax.set_xticks(x)
    ax.set_xticklabels([CATEGORY_LABELS.get(c, c) for c in w.index], rotation=30, ha="right")
    ax.legend(title=by, fontsize=8)
    return label_axes(
        ax,
        title=f"Bias cues in the {voice}'s voice (pooled per {by})",
        xlabel="cue category (lexicon bias_cues)",
        ylabel=f"cues per 1,000 {voice}-voice words",
    )


def plot_voice_evaluation(
    cue_rates: pd.DataFrame, docs: pd.DataFrame, *, by: str = "outlet", ax=None
):
    """Evaluative cues (attitude markers, intensifiers, loaded terms, boosters) and
    hedges per 1,000 words, by voice, per group: is evaluation the outlet's or its
    sources'?"""
    g = nt.group_cue_rates(cue_rates, group_docs(docs, by), by=by)
    ev = (
        g[g["category"].isin(nt.EVALUATIVE)]
        .groupby(["group", "voice"])
        .agg(n=("n", "sum"), words=("tokens", "first"))  # cue_rates.tokens counts words
        .reset_index()
    )
    words = ev["words"]
    ev["rate"] = np.where(words > 0, RATE_PER * ev["n"] / words.where(words > 0, 1), np.nan)
    w = ev.pivot(index="group", columns="voice", values="rate").reindex(columns=list(nt.VOICES))
    ax = _ax(ax, (8, 3.8))
    x = np.arange(len(w.index))
    for i, v in enumerate(nt.VOICES):
        ax.bar(x + (i - 1) * 0.27, w[v].fillna(0).to_numpy(), 0.27, label=v, color=OKABE_ITO[i])
    ax.set_xticks(x)
    ax.set_xticklabels([str(i) for i in w.index])
    ax.legend(title="voice", fontsize=8)
    return label_axes(
        ax,
        title="Evaluative language by voice",
        xlabel=by,
        ylabel="evaluative cues per 1,000 words",
        source="attitude markers + intensifiers + loaded terms + boosters",
    )


def verb_mix_shares(quotes: pd.DataFrame, docs: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Share of each group's reporting verbs per verb class: THE verb mix of every report.

    One definition, :func:`framelens.measures.neutrality.group_verb_mix`: each reporting
    verb counts once (a partial quote nested in an indirect one shares its verb), and a
    quote without a verb class counts as neutral. Documents without a value in ``by``
    form the group ``"(missing)"``.

    Parameters
    ----------
    quotes, docs : DataFrame
        The ``quotes`` and ``docs`` tables.
    by : str, keyword-only
        The docs column to group by.

    Returns
    -------
    DataFrame
        Index ``by`` (groups with quotations), one column per verb class in
        :data:`framelens.measures.neutrality.VERB_CLASSES` order (rows sum to 1), and
        ``n_verbs``, the group's reporting verbs.

    Examples
    --------
    >>> q = pd.DataFrame({"doc_id": ["a", "a", "a"], "verb_class": ["endorsing", "endorsing",
    ...                   "neutral"], "verb_start": [3, 3, 40]})      # quotes 0, 1: one verb
    >>> d = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"]})
    >>> verb_mix_shares(q, d, by="outlet").loc["X"].tolist()
    [0.5, 0.5, 0.0, 0.0, 2.0]
    """
    from framelens.report.verb_mix import shares_wide

    return shares_wide(nt.group_verb_mix(quotes, group_docs(docs, by), by=by), by=by)


def plot_verb_mix(quotes: pd.DataFrame, docs: pd.DataFrame, *, by: str = "outlet", ax=None):
    """Stacked horizontal bars of :func:`verb_mix_shares`: share of reporting verbs per
    class, per group (each verb counted once)."""
    return plot_verb_shares(verb_mix_shares(quotes, docs, by=by), by=by, ax=ax)


def plot_verb_shares(shares: pd.DataFrame, *, by: str = "outlet", ax=None):
    """The bars of :func:`plot_verb_mix` from its table (:func:`verb_mix_shares`, or
    :func:`framelens.report.verb_mix.shares_wide` of a mix read part by part)."""
    w = shares.copy()
    nq = w.pop("n_verbs")
    ax = _ax(ax, (8, 0.6 * max(len(w), 2) + 1.5))
    left = np.zeros(len(w))
    for vc in nt.VERB_CLASSES:
        vals = w[vc].fillna(0).to_numpy()
        ax.barh(np.arange(len(w)), vals, left=left, color=VERB_CLASS_COLORS[vc], label=vc)
        left += vals
    ax.set_yticks(np.arange(len(w)))
    ax.set_yticklabels([f"{g} (n={int(nq.get(g, 0))})" for g in w.index])
    ax.set_xlim(0, 1)
    ax.legend(ncol=4, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.08))
    return label_axes(
        ax,
        title="Reporting-verb mix",
        xlabel="share of reporting verbs",
        ylabel=by,
        source="verb classes after METHODS.md §2; n = reporting "
        "verbs (each once, nested partial quotes share it)",
    )


def plot_sourcing(
    sources: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    by: str = "outlet",
    level: str = "camp",
    top: int = 8,
    ax=None,
):
    """Stacked bars: share of quoted words per camp (top ``top``, rest pooled as
    "other"), per group, with the balance index in the labels."""
    sources = drop_pronouns(sources, ["source", "camp"])[0]  # a pronoun is never a camp
    g = nt.group_sourcing(sources, group_docs(docs, by), by=by, level=level)
    ax = _ax(ax, (9, 0.6 * max(g["group"].nunique(), 2) + 1.8))
    if g.empty:
        ax.text(0.5, 0.5, "no attributed quotes", ha="center", transform=ax.transAxes)
        return label_axes(ax, title="Sourcing", xlabel="share of quoted words", ylabel=by)
    keep = (
        g.groupby(level)["quoted_words"].sum().sort_values(ascending=False).head(top).index.tolist()
    )
    g = g.assign(_k=np.where(g[level].isin(keep), g[level], "other"))
    w = g.groupby(["group", "_k"])["share"].sum().unstack(fill_value=0)
    cols = [k for k in keep if k in w.columns] + (["other"] if "other" in w.columns else [])
    w = w[cols]
    bal = g.groupby("group")["balance"].first()
    left = np.zeros(len(w))
    colors = list(OKABE_ITO) + ["#888888", "#444444"]
    for i, c in enumerate(cols):
        vals = w[c].to_numpy()
        ax.barh(
            np.arange(len(w)),
            vals,
            left=left,
            label=str(c),
            color="#DDDDDD" if c == "other" else colors[i % len(colors)],
        )
        left += vals
    ax.set_yticks(np.arange(len(w)))
    ax.set_yticklabels([f"{i} (balance {bal.get(i, np.nan):.2f})" for i in w.index])
    ax.set_xlim(0, 1)
    ax.legend(ncol=4, fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.08))
    return label_axes(
        ax,
        title=f"Who is quoted: share of quoted words per {level}",
        xlabel="share of quoted words (attributed quotes)",
        ylabel=by,
        source="balance = normalised entropy of the shares (1 = even)",
    )


def neutrality_speakers(
    statements: pd.DataFrame, docs: pd.DataFrame, *, by: str = "outlet", core_only: bool = True
) -> pd.DataFrame:
    """Who talks about neutrality: statements per group, voice, speaker and stance."""
    s = statements[statements["core"].astype(bool)] if core_only else statements
    s = drop_pronouns(s, "speaker")[0]  # pronouns never rank as speakers
    s = nt.with_group(s, group_docs(docs, by), by)
    s = s.assign(voice=s["voice"].astype(str), stance=s["stance"].astype(str))
    t = s.groupby(["_group", "voice", "speaker", "stance"]).size().rename("n").reset_index()
    t = t.pivot_table(
        index=["_group", "voice", "speaker"], columns="stance", values="n", fill_value=0
    ).reset_index()
    for c in ("asserted", "qualified", "questioned"):
        if c not in t.columns:
            t[c] = 0
    t["n"] = t[["asserted", "qualified", "questioned"]].sum(axis=1)
    t.columns.name = None
    return (
        t.rename(columns={"_group": by})[
            [by, "voice", "speaker", "n", "asserted", "qualified", "questioned"]
        ]
        .sort_values([by, "n"], ascending=[True, False])
        .reset_index(drop=True)
    )


STANCE_COLORS = {
    "asserted": PALETTE["bluish_green"],
    "qualified": PALETTE["orange"],
    "questioned": PALETTE["vermillion"],
}
VOICE_HATCH = {"author": "", "quoted": "//", "reported": ".."}


def plot_neutrality_speakers(
    statements: pd.DataFrame, docs: pd.DataFrame, *, by: str = "outlet", ax=None
):
    """Stacked bars: neutrality statements per group by voice (hatching) x stance
    (colour)."""
    s = statements[statements["core"].astype(bool)]
    s = nt.with_group(s, group_docs(docs, by), by)
    s = s.assign(voice=s["voice"].astype(str), stance=s["stance"].astype(str))
    w = s.groupby(["_group", "voice", "stance"]).size()
    groups = sorted(set(s["_group"]))
    ax = _ax(ax, (8, 0.6 * max(len(groups), 2) + 1.8))
    left = np.zeros(len(groups))
    for v in nt.VOICES:
        for st, col in STANCE_COLORS.items():
            vals = np.array([w.get((g, v, st), 0) for g in groups], dtype=float)
            if not vals.any():
                continue
            ax.barh(
                np.arange(len(groups)),
                vals,
                left=left,
                label=f"{v} / {st}",
                color=col,
                hatch=VOICE_HATCH[v],
                edgecolor="white",
            )
            left += vals
    ax.set_yticks(np.arange(len(groups)))
    ax.set_yticklabels(groups)
    if left.any():
        ax.legend(ncol=3, fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.08))
    else:
        ax.text(0.5, 0.5, "no sentences about neutrality", ha="center", transform=ax.transAxes)
    return label_axes(
        ax,
        title="Talk about neutrality: voice (hatching) and stance (colour)",
        xlabel="sentences about neutrality",
        ylabel=by,
        source="core neutrality discourse: neutral, non-aligned, asserting or questioning phrases",
    )


def _profile_html(prof: pd.DataFrame, doc_id: str) -> str:
    """The document's neutrality profile as a measure / value table."""
    p = prof.iloc[0]
    keep = [
        c
        for c in (
            "share_author",
            "share_quoted",
            "share_reported",
            "author_evaluative_rate",
            "author_hedge_rate",
            "quoted_evaluative_rate",
            "n_quotes",
            "n_verbs",
            "verb_neutral",
            "verb_endorsing",
            "verb_distancing",
            "verb_guilt_implying",
            "n_sources",
            "source_balance",
            "dominant_source",
            "dominant_share",
            "camp_balance",
            "asymmetry",
            "n_neutrality",
            "n_neutrality_author",
            "n_neutrality_questioned",
            "bias_mean",
            "bias_max",
            "share_flagged",
            "bias_author_mean",
            "share_flagged_author",
        )
        if c in prof.columns
    ]
    t = pd.DataFrame({"measure": keep, "value": [p[c] for c in keep]})
    return table_html(
        t,
        name=f"neutrality_profile_{doc_id}",
        caption="Neutrality profile (rates per 1,000 words, shares 0-1)",
        download=False,
    )


def article_section(analysis: Any, doc_id: str, *, max_rows: int = 30):
    """The neutrality section of an article report, as ``IPython.display.HTML``.

    Shows the text with bias cues and neutrality-discourse terms highlighted by voice
    (author / quoted / reported; hover for category and term), the document's profile
    (word shares, author-voice rates, verb mix, balance), the sourcing table and the
    reporting-verb classes per speaker. All corpus text is escaped.
    """
    from IPython.display import HTML

    doc_id = str(doc_id)
    one = analysis.doc(doc_id)
    text = str(one.docs["text"].iloc[0])
    title = doc_title(one.docs)
    spans = _cue_spans(one.matches, text=text)
    colors = {f"{v} voice": c for v, c in VOICE_COLORS.items()}
    hl = highlight_html(text, spans, colors=colors, title_col="title", legend_title="Cues by voice")
    parts = [hl]
    prof = one.tables.get("neutrality_profile")
    if prof is not None and len(prof):
        parts.append(_profile_html(prof, doc_id))
    src = one.tables.get("sources")
    if src is not None and len(src):
        src = drop_pronouns(src, ["source", "camp"])[0]  # pronouns are never sources
        parts.append(
            table_html(
                src.drop(columns=["doc_id"]),
                max_rows=max_rows,
                name=f"sources_{doc_id}",
                caption="Sourcing: who is quoted, how much",
            )
        )
    else:
        parts.append(note_html("No quotations found in this document."))
    att = one.tables.get("attribution")
    if att is not None and len(att):
        att = drop_pronouns(att, "speaker")[0]
        w = att.assign(verb_class=att["verb_class"].astype(str)).pivot_table(
            index="speaker", columns="verb_class", values="n", fill_value=0, aggfunc="sum"
        )
        w = w.reindex(columns=list(nt.VERB_CLASSES), fill_value=0).reset_index()
        w.columns.name = None
        parts.append(
            table_html(
                w,
                max_rows=max_rows,
                name=f"verb_classes_{doc_id}",
                caption="Reporting-verb classes per speaker (reporting verbs, each counted once)",
            )
        )
    ns = one.tables.get("neutrality_statements")
    if ns is not None and len(ns):
        parts.append(
            table_html(
                ns[["sent_id", "voice", "speaker", "stance", "terms", "text"]],
                max_rows=max_rows,
                name=f"neutrality_statements_{doc_id}",
                caption="Sentences about neutrality, sovereignty, balance, diplomacy",
            )
        )
    parts.append(
        note_html(
            "Evaluation inside quotations is the source's; in the author's voice it is the "
            "outlet's. Cue lexicons match words, not senses: hover a highlight to see the "
            "category, and read the sentence before counting it."
        )
    )
    head = f"Neutrality language: {title}" if title else "Neutrality language"
    return HTML(section_html(head, *parts))
