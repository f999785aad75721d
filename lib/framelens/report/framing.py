"""Figures and the article section for frame analysis.

Figures take the tables of :mod:`framelens.measures.framing` (``frame_docs``, ``frame_summary``)
plus ``docs`` and draw them with the framelens style (:mod:`framelens.report.core`). HTML
helpers build on :func:`framelens.report.core.highlight_html`: every piece of corpus text is
escaped with :func:`html.escape`.

Examples
--------
>>> from framelens.measures import framing
>>> from framelens.report import framing as vf                           # doctest: +SKIP
>>> cmp = framing.frame_by_group(an.frame_docs, an.docs, by="outlet")  # doctest: +SKIP
>>> vf.plot_frame_heatmap(cmp)                                        # doctest: +SKIP
>>> vf.article_section(an, "000_fbaa5b5f07ee96ab")                    # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framelens.measures import framing as fr
from framelens.report.core import (
    MISSING_GROUP,
    OKABE_ITO,
    color_map,
    escape,
    label_axes,
    new_axes,
    note_html,
    section_html,
    table_html,
    use_style,
)
from framelens.report.highlight import highlight_html
from framelens.report.params import group_docs, step_options

__all__ = [
    "FRAME_LABELS",
    "frame_label",
    "format_p",
    "readable_frames",
    "plot_frame_heatmap",
    "plot_frames_over_time",
    "plot_primary_frames",
    "plot_top_terms",
    "kwic_html",
    "frame_profile",
    "article_section",
    "weighting_note",
]

#: Short display names of the frames (tables keep the lexicon keys).
FRAME_LABELS = {
    "Economic": "Economic",
    "Capacity_and_resources": "Capacity & resources",
    "Morality": "Morality",
    "Fairness_and_equality": "Fairness & equality",
    "Legality_Constitutionality_and_jurisprudence": "Legality & jurisprudence",
    "Policy_prescription_and_evaluation": "Policy prescription",
    "Crime_and_punishment": "Crime & punishment",
    "Security_and_defense": "Security & defence",
    "Health_and_safety": "Health & safety",
    "Quality_of_life": "Quality of life",
    "Cultural_identity": "Cultural identity",
    "Public_opinion": "Public opinion",
    "Political": "Political",
    "External_regulation_and_reputation": "External relations & reputation",
    "Other": "Other",
    "responsibility": "Responsibility",
    "human_interest": "Human interest",
    "conflict": "Conflict",
    "morality": "Morality",
    "economic": "Economic consequences",
}


def frame_label(frame: str) -> str:
    """Display name of a frame key (unknown keys: underscores become spaces).

    Examples
    --------
    >>> frame_label("Security_and_defense")
    'Security & defence'
    """
    return FRAME_LABELS.get(str(frame), str(frame).replace("_", " "))


def format_p(p: float) -> str:
    """A p-value for display: 3 significant digits, ``<1e-16`` below double precision's
    resolution (a p of exactly 0 is an underflow, not a certainty).

    Examples
    --------
    >>> format_p(0.0), format_p(0.0312), format_p(float("nan"))
    ('<1e-16', '0.0312', 'n/a')
    """
    if p is None or not np.isfinite(p):
        return "n/a"
    return "<1e-16" if p < 1e-16 else f"{p:.3g}"


def readable_frames(table: pd.DataFrame, col: str = "frame") -> pd.DataFrame:
    """A copy of ``table`` with the frame keys in ``col`` replaced by display names and
    any ``p`` column formatted with :func:`format_p` (for tables shown in reports).

    Examples
    --------
    >>> import pandas as pd
    >>> readable_frames(pd.DataFrame({"frame": ["Security_and_defense"]})).frame.tolist()
    ['Security & defence']
    """
    out = table.copy()
    if col in out.columns:
        out[col] = out[col].astype(str).map(frame_label)
    if "p" in out.columns:
        out["p"] = [format_p(float(v)) for v in out["p"].to_numpy(dtype=float)]
    return out


def weighting_note(analysis: Any) -> str:
    """One sentence on the headline/lead weighting, with the values the analysis ran
    with (its recorded ``framing`` options, :func:`framelens.report.params.step_options`).

    Examples
    --------
    >>> from framelens.pipeline import Analysis, Config
    >>> an = Analysis({}, config=Config(options={"framing": {"headline_weight": 3.0,
    ...                                                       "lead_weight": 1.0,
    ...                                                       "lead_sentences": 1}}))
    >>> "x3 and cues of the lead (1 sentence) x1 " in weighting_note(an)
    True
    """
    o = step_options(analysis, "framing")
    hw, lw, ls = o["headline_weight"], o["lead_weight"], o["lead_sentences"]
    return (
        f"score = share of the document's cues with headline cues weighted x{hw:g} and "
        f"cues of the lead ({ls} sentence{'s' if ls != 1 else ''}) x{lw:g} - weights "
        "chosen by framelens, not taken from the framing literature"
    )


def _plt():
    import matplotlib.pyplot as plt

    use_style()
    return plt


def _new_ax(ax, figsize):
    return new_axes(ax, figsize=figsize)


def _frame_colors(frames: Sequence[str]) -> dict[str, str]:
    # fixed order (lexicon order), cycling the 7 Okabe-Ito colours; _frame_styles tells
    # the cycles apart (line style / hatch), so 15 frames stay distinguishable
    return {f: OKABE_ITO[i % len(OKABE_ITO)] for i, f in enumerate(frames)}


def _frame_styles(frames: Sequence[str]) -> dict[str, tuple[str, str]]:
    """frame -> (line style, bar hatch) by palette cycle."""
    styles = [("-", ""), ("--", "//"), (":", "..")]
    return {f: styles[(i // len(OKABE_ITO)) % len(styles)] for i, f in enumerate(frames)}


# --------------------------------------------------------------------------- figures
def plot_frame_heatmap(
    comparison: fr.GroupComparison, *, ax=None, drop_empty: bool = True, title: str | None = None
):
    """Heatmap of a frame x group comparison: colour = adjusted standardised residual
    (blue above, red below what independence predicts), text = the group's share.

    Cells with |residual| > 1.96 are marked with ``*``. Returns the matplotlib Axes.

    Parameters
    ----------
    comparison : GroupComparison
        From :func:`framelens.measures.framing.frame_by_group`.
    drop_empty : bool
        Leave out frames with no count in any group.
    """
    from matplotlib.colors import TwoSlopeNorm

    tab = comparison.table
    res = comparison.residuals
    if drop_empty:
        keep = tab.sum(axis=0) > 0
        tab, res = tab.loc[:, keep], res.loc[:, keep]
    rows = tab.sum(axis=1)
    share = tab.div(rows.where(rows > 0, 1), axis=0)
    ax = _new_ax(ax, (max(6.0, 0.75 * tab.shape[1] + 2.5), 0.55 * max(tab.shape[0], 1) + 2.2))
    if tab.size == 0:
        ax.text(
            0.5, 0.5, "no frame counts to show", ha="center", va="center", transform=ax.transAxes
        )
        return label_axes(
            ax,
            title=title or "Frames by group",
            xlabel="frame",
            ylabel=str(tab.index.name or "group"),
        )
    lim = max(2.0, float(np.nanmax(np.abs(res.to_numpy()))) if res.size else 2.0)
    im = ax.imshow(
        res.to_numpy(dtype=float),
        cmap="RdBu",
        aspect="auto",
        norm=TwoSlopeNorm(vcenter=0.0, vmin=-lim, vmax=lim),
    )
    for i in range(tab.shape[0]):
        for j in range(tab.shape[1]):
            r = res.iat[i, j]
            star = "*" if abs(r) > 1.96 else ""
            ax.text(
                j,
                i,
                f"{share.iat[i, j]:.0%}{star}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if abs(r) > 0.6 * lim else "black",
            )
    ax.set_xticks(range(tab.shape[1]))
    ax.set_xticklabels([frame_label(c) for c in tab.columns], rotation=35, ha="right")
    ax.set_yticks(range(tab.shape[0]))
    ax.set_yticklabels([str(i) for i in tab.index])
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label="adjusted residual", shrink=0.8)
    p = comparison.p_value
    sub = (
        f"chi2 = {comparison.chi2:.1f}, df = {comparison.dof}, p = {format_p(p)}, "
        f"Cramer's V = {comparison.cramers_v:.2f}"
        if comparison.dof
        else "chi-square not defined"
    )
    return label_axes(
        ax,
        title=title or f"Frames by {tab.index.name or 'group'} ({comparison.measure})",
        xlabel=f"frame\n{sub}\ncell text: share of the group's counts; "
        "* |adjusted residual| > 1.96",
        ylabel=str(tab.index.name or "group"),
    )


def plot_frames_over_time(
    over_time: pd.DataFrame,
    *,
    frames: Sequence[str] | None = None,
    top: int = 6,
    ax=None,
    title: str | None = None,
):
    """Lines of frame shares per period (from :func:`framelens.measures.framing.frames_over_time`).

    ``frames`` picks the frames; otherwise the ``top`` frames by mean value. With a
    group column in the table, groups are averaged weighting by ``n_docs``.
    Returns the matplotlib Axes.
    """
    ax = _new_ax(ax, (9, 4.2))
    if over_time.empty:
        ax.text(0.5, 0.5, "no dated documents", ha="center", va="center", transform=ax.transAxes)
        return label_axes(
            ax, title=title or "Frames over time", xlabel="period", ylabel="share of documents"
        )
    t = over_time.assign(
        frame=over_time["frame"].astype(str), w=over_time["value"] * over_time["n_docs"]
    )
    t = t.groupby(["period", "frame"], as_index=False).agg(w=("w", "sum"), n=("n_docs", "sum"))
    t["value"] = t["w"] / t["n"].where(t["n"] > 0, 1)
    order = (
        list(over_time["frame"].cat.categories)
        if hasattr(over_time["frame"], "cat")
        else sorted(t["frame"].unique())
    )
    if frames is None:
        means = t.groupby("frame")["value"].mean().sort_values(ascending=False)
        frames = [f for f in means.index if means[f] > 0][:top]
    colors = _frame_colors(order)
    # every plotted line gets its own line style and marker (by plotting order), so
    # frames with equal shares (lines on top of each other) stay visible
    line_styles = ["-", "--", ":", "-."]
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    for i, f in enumerate(frames):
        d = t[t["frame"] == f].sort_values("period")
        ax.plot(
            d["period"],
            d["value"],
            marker=markers[i % len(markers)],
            ms=5 - 0.4 * (i % 4),
            label=frame_label(f),
            color=colors.get(f),
            alpha=0.85,
            lw=1.6,
            linestyle=line_styles[i % len(line_styles)],
        )
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    n_per = t.groupby("period")["n"].max()
    return label_axes(
        ax,
        title=title or "Frame shares over time",
        xlabel="period (start)",
        ylabel="share of documents",
        source=f"{len(n_per)} periods, {int(n_per.min())}-{int(n_per.max())} documents "
        "per period; small periods swing widely",
    )


def plot_primary_frames(
    frame_summary: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    scheme: str = "policy",
    by: str = "outlet",
    ax=None,
    title: str | None = None,
):
    """Stacked horizontal bars: share of each group's documents by primary frame.

    Documents without any cue count as ``none`` (grey). Returns the matplotlib Axes.
    """
    frames = list(fr.scheme_frames(scheme))
    s = frame_summary[frame_summary["scheme"].astype(str) == scheme]
    g = group_docs(docs, by)
    g = g.assign(doc_id=g["doc_id"].astype(str)).set_index("doc_id")[by].astype(str)
    d = pd.DataFrame(
        {
            "group": s["doc_id"].astype(str).map(g).fillna(MISSING_GROUP).to_numpy(),
            "primary": s["primary_frame"].astype(str).to_numpy(),
        }
    )
    ct = pd.crosstab(d["group"], d["primary"])
    cols = [f for f in frames if f in ct.columns] + (
        [fr.NO_FRAME] if fr.NO_FRAME in ct.columns else []
    )
    ct = ct.reindex(columns=cols, fill_value=0)
    share = ct.div(ct.sum(axis=1).where(ct.sum(axis=1) > 0, 1), axis=0)
    ax = _new_ax(ax, (9, 0.5 * max(len(share), 1) + 2.2))
    colors, styles = _frame_colors(frames), _frame_styles(frames)
    colors[fr.NO_FRAME] = "#BBBBBB"
    left = np.zeros(len(share))
    for f in share.columns:
        v = share[f].to_numpy()
        ax.barh(
            range(len(share)),
            v,
            left=left,
            color=colors[f],
            label=frame_label(f),
            edgecolor="white",
            hatch=styles.get(f, ("-", ""))[1],
        )
        left += v
    ax.set_yticks(range(len(share)))
    ax.set_yticklabels([f"{i} (n={int(ct.loc[i].sum())})" for i in share.index])
    ax.set_xlim(0, 1)
    ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    return label_axes(
        ax,
        title=title or f"Primary frame ({scheme}) by {by}",
        xlabel="share of documents",
        ylabel=by,
    )


def plot_top_terms(
    terms: pd.DataFrame,
    *,
    frames: Sequence[str] | None = None,
    n: int = 8,
    ncols: int = 3,
    title: str | None = None,
):
    """Small multiples: the most frequent cue terms of each frame.

    ``terms`` comes from :func:`framelens.measures.framing.cue_terms` (without ``by``).
    Returns the matplotlib Figure.
    """
    plt = _plt()
    t = terms.assign(frame=terms["frame"].astype(str))
    if frames is None:
        tot = t.groupby("frame")["n_cues"].sum().sort_values(ascending=False)
        frames = [f for f in tot.index if tot[f] > 0][:6]
    frames = list(frames)
    nrow = max(1, int(np.ceil(len(frames) / ncols)))
    fig, axes = plt.subplots(nrow, ncols, figsize=(3.4 * ncols, 2.3 * nrow + 0.6), squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        if k >= len(frames):
            ax.axis("off")
            continue
        f = frames[k]
        d = t[t["frame"] == f].sort_values("n_cues", ascending=False).head(n)[::-1]
        ax.barh(d["term"].astype(str), d["n_cues"], color=OKABE_ITO[k % len(OKABE_ITO)])
        ax.set_title(frame_label(f), fontsize=10)
        ax.tick_params(axis="y", labelsize=8)
        ax.set_xlabel("cues (weighted)", fontsize=8)
    fig.suptitle(title or "Most frequent cue terms per frame", fontweight="bold")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- HTML
def kwic_html(rows: pd.DataFrame, *, max_rows: int = 20, caption: str | None = None,
              total: int | None = None) -> str:  # fmt: skip
    """KWIC rows (from :func:`framelens.measures.framing.kwic`) as an escaped HTML table with the
    match in bold, right-aligned left context; ``total``: all occurrences (default: the rows)."""
    total = len(rows) if total is None else int(total)
    if rows.empty:
        return note_html("no occurrences")
    body = []
    for r in rows.head(max_rows).itertuples(index=False):
        body.append(
            f"<tr><td style='color:#666;font-size:85%'>{escape(r.doc_id)}:{int(r.start)}</td>"
            f"<td style='text-align:right'>{escape(r.left)}</td>"
            f"<td><strong>{escape(r.match)}</strong></td><td>{escape(r.right)}</td></tr>"
        )
    more = (
        f"<p class='fl-note' style='color:#555'><em>showing {min(max_rows, len(rows))} of "
        f"{total}</em></p>"
        if total > min(max_rows, len(rows))
        else ""
    )
    cap = f"<p><strong>{escape(caption)}</strong></p>" if caption else ""
    return (
        f"<div class='fl-kwic'>{cap}<table class='fl-table'>"
        "<tr><th>doc:offset</th><th>left</th><th>match</th><th>right</th></tr>"
        + "".join(body)
        + f"</table>{more}</div>"
    )


def _frame_table(analysis: Any, name: str) -> pd.DataFrame:
    tables = getattr(analysis, "tables", analysis)
    if name not in tables:
        raise ValueError(
            f"the analysis has no {name!r} table: run it with the 'framing' step "
            "(Config.steps); reports read the measure tables, they do not recompute them"
        )
    return tables[name]


def frame_profile(analysis: Any, doc_id: str, *, scheme: str = "policy") -> pd.DataFrame:
    """One document's frame profile: every frame of ``scheme`` with its cue counts, rate,
    share of sentences, score, presence and primary flag (display names)."""
    fd = _frame_table(analysis, "frame_docs")
    fr.scheme_info(scheme)
    sub = fd[(fd["doc_id"].astype(str) == str(doc_id)) & (fd["scheme"].astype(str) == scheme)]
    cols = [
        "frame",
        "n_cues",
        "n_author",
        "n_quoted",
        "n_reported",
        "rate",
        "n_sentences",
        "share",
        "score",
        "present",
        "primary",
    ]
    out = sub[[c for c in cols if c in sub.columns]].copy()
    out["frame"] = out["frame"].astype(str).map(frame_label)
    return out.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)


def _summary_list(analysis: Any, fd: pd.DataFrame, doc_id: str) -> str:
    """The document's frame_summary rows as an HTML list (words from frame_docs)."""
    summ = _frame_table(analysis, "frame_summary")
    summ = summ[summ["doc_id"].astype(str) == doc_id]
    one = fd[fd["doc_id"].astype(str) == doc_id]
    first = one.drop_duplicates("scheme")
    words = pd.Series(first["n_words"].to_numpy(), index=first["scheme"].astype(str).to_numpy())
    lines = []
    for r in summ.itertuples(index=False):
        present = ", ".join(frame_label(f) for f in str(r.frames_present).split(";") if f)
        lines.append(
            f"<li><strong>{escape(r.scheme)}</strong>: primary frame "
            f"<strong>{escape(frame_label(r.primary_frame))}</strong> "
            f"(score {r.primary_score:.2f}); frames present: {escape(present or 'none')}; "
            f"diversity {r.diversity:.2f}; {r.n_cues:g} cues in "
            f"{int(words.get(str(r.scheme), 0)):,} words</li>"
        )
    return "<ul>" + "".join(lines) + "</ul>"


#: How a named actor (country, capital, organisation) among a scheme's cues is labelled,
#: by the framing step's ``actor_cues`` option.
_ACTOR_LABELS = {
    "exclude": "named actor (not counted)",
    "down-weight": "named actor (down-weighted)",
    "count": "named actor (counted)",
}


def _cue_highlight(
    text: str, m: pd.DataFrame, *, scheme: str, max_chars: int | None, actor_label: str
) -> list[str]:
    """The text with the scheme's cues highlighted by frame (HTML parts)."""
    shown = text if max_chars is None else text[:max_chars]
    if not len(m):
        return [
            note_html(f"no {scheme} frame cues in this document"),
            highlight_html(shown, None, legend=False),
        ]
    actors = fr.scheme_info(scheme).actor_terms
    cats = m["category"].astype(str).to_numpy()
    terms = m["term"].astype(str).to_numpy() if "term" in m else np.full(len(m), "")
    is_actor = np.array([(c, t) in actors for c, t in zip(cats, terms)], dtype=bool)
    labels = np.where(is_actor, actor_label, pd.Series(cats).map(frame_label).to_numpy())
    spans = pd.DataFrame(
        {"start": m["start"].to_numpy(), "end": m["end"].to_numpy(), "label": labels, "tip": terms}
    )
    if max_chars is not None:
        spans = spans[spans["end"] <= max_chars]
    # colours over the frames present, in lexicon order (the palette has 7 tints:
    # with more frames colours repeat; the tooltip always names the frame)
    order = [frame_label(f) for f in fr.scheme_frames(scheme)] + [actor_label]
    present = [f for f in order if f in set(spans["label"])]
    parts = [
        highlight_html(
            shown,
            spans,
            label_col="label",
            title_col="tip",
            colors=color_map(present),
            legend_title=f"{scheme} frame cues",
        )
    ]
    if max_chars is not None and len(text) > max_chars:
        parts.append(note_html(f"text cut at {max_chars:,} of {len(text):,} characters"))
    return parts


def article_section(
    analysis: Any,
    doc_id: str,
    *,
    scheme: str = "policy",
    schemes: Sequence[str] | None = None,
    max_chars: int | None = 60_000,
):
    """The framing section of the article report, as ``IPython.display.HTML``.

    Shows, for ``doc_id``: the primary frame and diversity per scheme, the frame profile
    table of every scheme in ``schemes``, and the text with the cues of ``scheme``
    highlighted by frame (hover a cue for its frame and pattern). Everything is read
    from the analysis's tables and recorded options; all corpus text is escaped.

    Parameters
    ----------
    analysis : Analysis
        With docs, matches, frame_docs and frame_summary (the ``framing`` step).
    doc_id : str
        The document.
    scheme : str
        Scheme whose cues are highlighted.
    schemes : sequence of str, optional
        Schemes whose profiles are shown (default: every scheme the analysis ran).
    max_chars : int, optional
        Cut very long texts for display.
    """
    from IPython.display import HTML

    fr.scheme_info(scheme)
    fd = _frame_table(analysis, "frame_docs")
    docs = analysis.tables["docs"]
    if schemes is None:
        schemes = step_options(analysis, "framing").get("schemes") or fr.SCHEMES
    ids = docs["doc_id"].astype(str)
    if not (ids == str(doc_id)).any():
        raise KeyError(f"doc_id {doc_id!r} not found (e.g. {ids.head(3).tolist()})")
    row = docs[ids == str(doc_id)].iloc[0]
    text = row["text"] if isinstance(row["text"], str) else ""
    tables = getattr(analysis, "tables", analysis)
    m = tables["matches"]
    m = m[(m["doc_id"].astype(str) == str(doc_id)) & (m["lexicon"].astype(str) == scheme)]
    actor_cues = step_options(analysis, "framing")["actor_cues"]
    actor = _ACTOR_LABELS.get(actor_cues, f"named actor ({actor_cues})")
    parts = [_summary_list(analysis, fd, str(doc_id))]
    for s in schemes:
        prof = frame_profile(analysis, doc_id, scheme=s)
        parts.append(
            table_html(
                prof, max_rows=20, name=f"frames-{s}-{doc_id}", caption=f"Frame profile ({s})"
            )
        )
    parts.append(
        note_html(
            "rate = cues per 1,000 words; share = share of sentences with a cue of the frame; "
            + weighting_note(analysis)
            + "; present = passes the tuned thresholds (docs/methods/framing.md). Names of "
            "countries, capitals and international organisations are highlighted as "
            f"'{actor}' (this analysis: actor_cues = {actor_cues!r}). Cues are lexicon "
            "hits, not human frame codes."
        )
    )
    parts += _cue_highlight(text, m, scheme=scheme, max_chars=max_chars, actor_label=actor)
    return HTML(section_html("Frame profile of this document", *parts))
