"""Figures and article sections for actors, relations and alignment.

Figures take the tables of :mod:`framelens.actors` and :mod:`framelens.measures.alignment`
(``mentions``, ``events``, ``mention_tone``) plus ``docs`` and a grouping column.
HTML helpers build on :func:`framelens.report.core.highlight_html`; every piece of corpus
text is escaped.

Examples
--------
>>> from framelens.report import alignment as va                 # doctest: +SKIP
>>> va.plot_salience(an.mentions, an.docs, by="outlet")        # doctest: +SKIP
>>> va.plot_network(alignment.network(an.events))              # doctest: +SKIP
>>> va.article_section(an, "000_fbaa5b5f07ee96ab")             # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from framelens.measures import alignment as al
from framelens.report.core import (
    PALETTE,
    doc_title,
    label_axes,
    new_axes,
    note_html,
    section_html,
    table_html,
)
from framelens.report.highlight import highlight_html
from framelens.report.params import group_docs

__all__ = [
    "plot_salience",
    "plot_network",
    "plot_alignment",
    "plot_alignment_over_time",
    "plot_actor_tone",
    "strongest_relations",
    "strongest_relations_html",
    "tone_actors",
    "alignment_by_group",
    "alignment_over_time",
    "focal_relations",
    "article_section",
    "ROLE_COLORS",
    "SIGN_COLORS",
]

#: Highlight colours of mentions by role (light tints).
ROLE_COLORS = {
    "GOV": "#BFE0F5",
    "STATE": "#F5E7A0",
    "IGO": "#D9C8E8",
    "BLOC": "#D9C8E8",
    "MIL": "#F5C2A0",
    "MED": "#DDDDDD",
    "LOC": "#EEEEEE",
    "ELI": "#B8E6D6",
    "OPP": "#F2C9DC",
    "CVL": "#E8E0C8",
    "BUS": "#E8E0C8",
    "LEG": "#BFE0F5",
}
#: Edge colours of the signed network: cooperation / conflict.
SIGN_COLORS = {1: PALETTE["bluish_green"], -1: PALETTE["vermillion"], 0: "#999999"}


def _ax(ax, figsize):
    return new_axes(ax, figsize=figsize)


def _with_group(df: pd.DataFrame, docs: pd.DataFrame, by: str) -> pd.DataFrame:
    """``df`` with its document's group as the last column ``by`` (a look-up, not a merge:
    no copy of a large table)."""
    meta = group_docs(docs, by)  # missing values: "(missing)"
    group = pd.Series(meta[by].astype(str).to_numpy(), index=meta["doc_id"].astype(str).to_numpy())
    doc = df["doc_id"].astype(str)
    out = df.drop(columns=[by]) if by in df.columns else df
    return out.assign(doc_id=doc, **{by: doc.map(group)}).reset_index(drop=True)


def plot_salience(
    mentions: pd.DataFrame, docs: pd.DataFrame, *, by: str = "outlet", top: int = 10, ax=None
):
    """Horizontal bars: share of actor mentions per actor root (top ``top`` overall), per group.

    Places (role LOC) are left out. Returns the matplotlib Axes.
    """
    if not isinstance(top, int) or top < 1:
        raise ValueError("top must be a positive integer")
    ax = _ax(ax, (8, 0.45 * top + 1.5))
    m = mentions[mentions["role"].astype(str) != "LOC"]
    if not len(m):
        ax.text(0.5, 0.5, "no actor mentions", ha="center", transform=ax.transAxes)
        return label_axes(ax, title="Actor salience", xlabel="share of mentions", ylabel="actor")
    m = _with_group(m, docs, by)
    roots = m["root"].astype(str).value_counts().head(top).index.tolist()[::-1]
    tab = pd.crosstab(m["root"].astype(str), m[by]).reindex(roots).fillna(0)
    share = tab / tab.sum(axis=0).replace(0, np.nan)
    groups = list(share.columns)
    h = 0.8 / max(len(groups), 1)
    colors = list(PALETTE.values())
    y = np.arange(len(roots))
    for k, g in enumerate(groups):
        ax.barh(
            y + k * h - 0.4 + h / 2,
            share[g].to_numpy(),
            height=h,
            label=str(g),
            color=colors[k % len(colors)],
        )
    ax.set_yticks(y, roots)
    ax.legend(title=by, fontsize=8)
    return label_axes(
        ax,
        title=f"Actor salience by {by}",
        xlabel="share of the group's actor mentions",
        ylabel="actor (root code)",
    )


def plot_network(
    graph,
    *,
    ax=None,
    focal: str | None = None,
    min_abs_weight: float = 0.0,
    seed: int = 0,
    title: str = "Signed relation network",
):
    """Draw a :func:`framelens.measures.alignment.networks` graph.

    Signed networks: edge colour = sign of the net Goldstein weight (green cooperation,
    vermillion conflict), width proportional to ``|weight|``; co-occurrence networks:
    grey edges, width proportional to the count. Node size = number of events /
    mentions; the ``focal`` node is outlined. Layout: spring layout with a fixed seed.
    """
    import networkx as nx

    ax = _ax(ax, (7, 6))
    g = graph.copy()
    if min_abs_weight > 0:
        g.remove_edges_from(
            [(u, v) for u, v, d in g.edges(data=True) if abs(d.get("weight", 0)) < min_abs_weight]
        )
        g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
    ax.set_axis_off()
    if not g.number_of_nodes():
        ax.text(0.5, 0.5, "no relations", ha="center", transform=ax.transAxes)
        ax.set_title(title)
        return ax
    pos = nx.spring_layout(g, seed=seed, weight=None)
    signed = g.graph.get("kind", "signed") == "signed"
    ws = [abs(d.get("weight", 1.0)) for _, _, d in g.edges(data=True)]
    wmax = max(ws) if ws else 1.0
    colors = [
        SIGN_COLORS[int(np.sign(d.get("weight", 0)))] if signed else "#888888"
        for _, _, d in g.edges(data=True)
    ]
    nx.draw_networkx_edges(
        g, pos, ax=ax, width=[0.8 + 5 * w / wmax for w in ws], edge_color=colors, alpha=0.8
    )
    counts = np.array([g.nodes[n].get("count", 1) for n in g.nodes], dtype=float)
    sizes = 200 + 1200 * counts / counts.max()
    edgecolors = ["#000000" if n == focal else "#FFFFFF" for n in g.nodes]
    nx.draw_networkx_nodes(
        g, pos, ax=ax, node_size=sizes, node_color="#F5E7A0", edgecolors=edgecolors, linewidths=2
    )
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=9)
    if signed:
        from matplotlib.lines import Line2D

        ax.legend(
            handles=[
                Line2D([0], [0], color=SIGN_COLORS[1], lw=3, label="net cooperation"),
                Line2D([0], [0], color=SIGN_COLORS[-1], lw=3, label="net conflict"),
            ],
            loc="lower left",
            fontsize=8,
        )
    ax.set_title(title)
    return ax


def plot_alignment(alignment: pd.DataFrame, *, by: str = "outlet", ax=None):
    """Bars of the alignment index per group (from :func:`alignment.alignment_index` with
    ``by``), annotated with the number of events; positive = toward camp A."""
    ax = _ax(ax, (7, 3.5))
    if not len(alignment):
        ax.text(0.5, 0.5, "no events", ha="center", transform=ax.transAxes)
        return label_axes(ax, title="Alignment index", xlabel=by, ylabel="index")
    if by not in alignment.columns:
        raise ValueError(f"alignment has no column {by!r}; compute it with by={by!r}")
    a = alignment.groupby(by, sort=True).agg(
        index=("index", "first"),
        n=("n_events", "sum"),
        camp_a=("camp_a", "first"),
        camp_b=("camp_b", "first"),
    )
    x = np.arange(len(a))
    vals = a["index"].fillna(0).to_numpy()
    ax.bar(x, vals, color=[PALETTE["vermillion"] if v > 0 else PALETTE["blue"] for v in vals])
    for xi, v, n in zip(x, vals, a["n"]):
        ax.annotate(
            f"n={int(n)}", (xi, v), ha="center", va="bottom" if v >= 0 else "top", fontsize=8
        )
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xticks(x, [str(i) for i in a.index], rotation=20)
    ca, cb = a["camp_a"].iloc[0], a["camp_b"].iloc[0]
    return label_axes(
        ax,
        title=f"Alignment index: +1 toward {ca}, -1 toward {cb}",
        xlabel=by,
        ylabel="(net_A - net_B) / (gross_A + gross_B)",
    )


def plot_alignment_over_time(
    events: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    focal: str,
    camps: Mapping[str, Sequence[str]],
    by: str = "outlet",
    freq: str = "QS",
    ax=None,
):
    """Alignment index of ``focal`` between the two ``camps`` per period (``freq``,
    default quarters) and group, as lines (:func:`framelens.measures.alignment.alignment_index`
    over the analysis's events)."""
    ax = _ax(ax, (8, 3.5))
    if "date" not in docs.columns:
        raise ValueError("docs needs a 'date' column for a time plot")
    d = group_docs(docs, by)[["doc_id", "date", by]].copy()
    d["date"] = pd.to_datetime(d["date"], errors="coerce")
    d["period"] = d["date"].dt.to_period(freq.rstrip("S") or "Q").dt.start_time.astype(str)
    d = d.dropna(subset=["date"])
    if not len(d) or events is None or not len(events):
        ax.text(0.5, 0.5, "no dated events", ha="center", transform=ax.transAxes)
        return label_axes(ax, title="Alignment over time", xlabel="period", ylabel="index")
    a = al.alignment_index(events, focal=focal, camps=camps, by=[by, "period"], docs=d)
    a = a.drop_duplicates([by, "period"])
    colors = list(PALETTE.values())
    for k, (g, grp) in enumerate(a.groupby(by, sort=True)):
        grp = grp.sort_values("period")
        ax.plot(
            grp["period"], grp["index"], marker="o", label=str(g), color=colors[k % len(colors)]
        )
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.legend(title=by, fontsize=8)
    ax.tick_params(axis="x", rotation=30)
    names = list(camps)
    return label_axes(
        ax,
        title=f"{focal}: alignment index over time (+1 {names[0]}, -1 {names[1]})",
        xlabel="period start",
        ylabel="index",
    )


def plot_actor_tone(
    mention_tone: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    by: str = "outlet",
    actors: Sequence[str] | None = None,
    top: int = 8,
    ax=None,
):
    """Heat map of the mean tone toward each actor root per group (blank: not mentioned).

    ``actors`` are the roots shown (default: :func:`tone_actors`, the corpus's ``top``
    most mentioned actors)."""
    ax = _ax(ax, (8, 3.5))
    if not len(mention_tone):
        ax.text(0.5, 0.5, "no mentions", ha="center", transform=ax.transAxes)
        return label_axes(ax, title="Tone toward actors", xlabel="actor", ylabel=by)
    t = _with_group(mention_tone, docs, by)
    if actors is None:
        actors = tone_actors(mention_tone, top=top)
    t = al.actor_tone(t, by=[by, "root"])
    piv = t.pivot(index=by, columns="root", values="tone").reindex(
        columns=list(dict.fromkeys(actors))
    )
    im = ax.imshow(piv.to_numpy(dtype=float), cmap="RdBu", vmin=-0.6, vmax=0.6, aspect="auto")
    ax.set_xticks(range(len(piv.columns)), piv.columns)
    ax.set_yticks(range(len(piv.index)), piv.index)
    for i in range(piv.shape[0]):
        for j in range(piv.shape[1]):
            v = piv.iat[i, j]
            if pd.notna(v):
                ax.text(
                    j,
                    i,
                    f"{v:+.2f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if abs(v) > 0.4 else "black",
                )
    ax.figure.colorbar(im, ax=ax, label="mean tone")
    return label_axes(
        ax, title=f"Mean tone toward actors by {by}", xlabel="actor (root)", ylabel=by
    )


def tone_actors(
    mention_tone: pd.DataFrame, *, first: Sequence[str] = (), top: int = 8
) -> list[str]:
    """The actors a tone heat map shows: the corpus's ``top`` most mentioned roots, with
    the roots of ``first`` (e.g. the focal actor) in front when the corpus mentions them.

    Examples
    --------
    >>> t = pd.DataFrame({"root": ["RUS", "RUS", "USA", "SRB"]})
    >>> tone_actors(t, top=2), tone_actors(t, first=["SRB", "HUN"], top=2)
    (['RUS', 'SRB'], ['SRB', 'RUS'])
    """
    roots = mention_tone["root"].astype(str) if "root" in mention_tone else pd.Series([], dtype=str)
    counts = roots.value_counts(sort=False)
    order = sorted(counts.index, key=lambda r: (-counts[r], r))
    mentioned = set(counts.index)
    lead = [r for r in dict.fromkeys(first) if r in mentioned]
    return (lead + [r for r in order if r not in lead])[: max(top, len(lead))]


def strongest_relations(
    events: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    focal: str | None = None,
    n: int = 5,
    include_historical: bool = False,
) -> dict[str, pd.DataFrame]:
    """The ``n`` most cooperative and most conflictual events with their sentences.

    Returns ``{"cooperative": DataFrame, "conflictual": DataFrame}`` with doc_id, title /
    outlet when available, source, target, cue, weight, negated and the evidence text.
    """
    ev = events
    if not include_historical and "historical" in ev:
        ev = ev[~ev["historical"].astype(bool)]
    if focal:
        ev = ev[(ev["source_root"].astype(str) == focal) | (ev["target_root"].astype(str) == focal)]
    meta = [c for c in ("outlet", "date") if c in docs.columns]
    if meta:  # row labels: positions among the events considered (as a merge numbers them)
        ev = ev.reset_index(drop=True)
    cols = (
        ["doc_id"]
        + meta
        + ["sent_id", "source", "target", "cue", "cameo", "weight", "negated"]
        + [c for c in ("reversal", "confidence") if c in ev.columns]
        + ["voice", "evidence"]
    )
    coop = ev.sort_values("weight", ascending=False, kind="stable").head(n)
    conf = ev.sort_values("weight", kind="stable").head(n)
    return {  # evidence and metadata of the rows shown only (not of every event)
        "cooperative": _shown(coop, docs, meta)[cols].query("weight > 0"),
        "conflictual": _shown(conf, docs, meta)[cols].query("weight < 0"),
    }


def _shown(ev: pd.DataFrame, docs: pd.DataFrame, meta: list[str]) -> pd.DataFrame:
    """``ev`` (its row labels kept) with its sentence's ``evidence`` and, as strings,
    the docs columns ``meta`` of its documents."""
    mine = docs[docs["doc_id"].astype(str).isin(set(ev["doc_id"].astype(str)))]
    texts = dict(zip(mine["doc_id"].astype(str), mine["text"].astype(str)))
    out = ev.assign(
        evidence=[
            texts.get(str(d), "")[s:e] for d, s, e in zip(ev["doc_id"], ev["start"], ev["end"])
        ]
    )
    if not meta:
        return out
    if len(meta) == 1:
        joined = _with_group(out, mine.assign(**{c: mine[c].astype(str) for c in meta}), meta[0])
    else:
        joined = out.assign(doc_id=out["doc_id"].astype(str)).merge(
            mine[["doc_id"] + meta].astype(str), on="doc_id", how="left"
        )
    return joined.set_axis(out.index)


def strongest_relations_html(
    events: pd.DataFrame, docs: pd.DataFrame, *, focal: str | None = None, n: int = 5
) -> str:
    """HTML tables (escaped) of :func:`strongest_relations`."""
    s = strongest_relations(events, docs, focal=focal, n=n)
    return "".join(
        [
            table_html(
                s["cooperative"],
                name="strongest_cooperative",
                caption=f"Most cooperative relations{' of ' + focal if focal else ''}",
            ),
            table_html(
                s["conflictual"],
                name="strongest_conflictual",
                caption=f"Most conflictual relations{' of ' + focal if focal else ''}",
            ),
        ]
    )


# --------------------------------------------------------------------------- report sections
def _focal_note(sel: Any) -> list[str] | None:
    """A note when the selection's focal actor is absent (None when it is mentioned)."""
    if sel.focal_mentioned is False:
        return [note_html(n) for n in sel.notes if "focal actor" in n]
    return None


def _close(ax) -> Any:
    import matplotlib.pyplot as plt

    fig = ax.figure
    plt.close(fig)
    return fig


def alignment_by_group(sel: Any) -> list:
    """The alignment index of the focal actor per group: a figure and its table, or a
    note when the corpus never mentions the focal actor or no event involves it.

    ``sel`` is the :class:`~framelens.report.params.Selection` of an alignment report
    (``focal``, ``camps``, ``group_col``); show the parts with
    :func:`framelens.report.core.show`.
    """
    note = _focal_note(sel)
    if note is not None:
        return note
    by, events = sel.group_col, sel.table("events")
    a = al.alignment_index(events, focal=sel.focal, camps=sel.camps, by=by, docs=sel.docs)
    if not int(a["n_events"].sum()):
        return [
            note_html(f"No relation event involves {sel.focal} and the camps {list(sel.camps)}.")
        ]
    fig = _close(plot_alignment(a, by=by))
    return [fig, table_html(a.drop(columns=["event_ids"]), name="alignment_by_group")]


def alignment_over_time(sel: Any, *, freq: str = "QS") -> list:
    """:func:`plot_alignment_over_time` of the selection, or a note when the documents
    have no dates or the focal actor is absent."""
    note = _focal_note(sel)
    if note is not None:
        return note
    dates = pd.to_datetime(sel.docs["date"], errors="coerce") if "date" in sel.docs else None
    if dates is None or not dates.notna().any():
        return [note_html("No document has a date: there is no alignment over time to show.")]
    ax = plot_alignment_over_time(
        sel.table("events"), sel.docs, focal=sel.focal, camps=sel.camps, by=sel.group_col, freq=freq
    )
    return [_close(ax)]


def focal_relations(sel: Any, *, n: int = 8) -> list:
    """:func:`strongest_relations_html` of the focal actor, or a note when it is absent."""
    note = _focal_note(sel)
    if note is not None:
        return note
    return [strongest_relations_html(sel.table("events"), sel.docs, focal=sel.focal, n=n)]


def _position_html(one: Any, doc_id: str) -> str:
    """The document's rows of the ``alignment`` table (focal actor between the camps the
    analysis ran with), or a note when the analysis has no focal actor."""
    a = one.tables.get("alignment")
    if a is None or not len(a):
        return note_html(
            "No alignment index: the analysis has no focal actor and camps "
            "(options.alignment.focal and camps in the configuration)."
        )
    focal = str(a["focal"].iloc[0])
    return table_html(
        a[["focal", "camp", "n_events", "n_coop", "n_conflict", "net", "gross", "index"]],
        name=f"alignment_{doc_id}",
        download=False,
        caption=f"Position of {focal}: index +1 toward {a['camp_a'].iloc[0]}, "
        f"-1 toward {a['camp_b'].iloc[0]}",
    )


def _mention_spans(m: pd.DataFrame) -> pd.DataFrame:
    persons = m["person"].fillna("").astype(str) if "person" in m else [""] * len(m)
    return pd.DataFrame(
        {
            "start": m["start"].to_numpy(),
            "end": m["end"].to_numpy(),
            "label": m["role"].astype(str).to_numpy(),
            "title": [
                f"{a}{' = ' + p if p else ''}{' [' + b + ']' if b else ''}"
                for a, p, b in zip(
                    m["actor"].astype(str), persons, m["blocs"].fillna("").astype(str)
                )
            ],
        }
    )


def article_section(analysis: Any, doc_id: str, *, max_rows: int = 40):
    """The alignment section of an article report, as ``IPython.display.HTML``.

    Shows the text with actor mentions highlighted by role (hover: code, person, blocs),
    the relation events with their evidence, and the focal actor's position (net weight
    toward each camp and the index) as the analysis computed it, for the focal actor and
    camps of its configuration. All corpus text is escaped.
    """
    from IPython.display import HTML

    doc_id = str(doc_id)
    one = analysis.doc(doc_id)
    text = str(one.docs["text"].iloc[0])
    title = doc_title(one.docs)
    parts = []
    m = one.tables.get("mentions")
    if m is not None and len(m):
        parts.append(
            highlight_html(
                text,
                _mention_spans(m),
                colors=ROLE_COLORS,
                title_col="title",
                legend_title="Actor mentions by role",
            )
        )
    else:
        parts.append(note_html("No actor mentions found in this document."))
    ev = one.tables.get("events")
    if ev is not None and len(ev):
        show = ev.assign(evidence=[text[s:e] for s, e in zip(ev["start"], ev["end"])])
        parts.append(
            table_html(
                show[_EVENT_COLUMNS],
                max_rows=max_rows,
                name=f"events_{doc_id}",
                caption="Relation events (CAMEO root, Goldstein weight) with evidence",
            )
        )
        parts.append(_position_html(one, doc_id))
    else:
        parts.append(note_html("No relation events coded in this document."))
    parts.append(
        note_html(
            "Events are coded from cue words and sentence position, not from a parse: read the "
            "evidence before citing an event. Historical events (a year long before the article) "
            "are listed but not counted in the index."
        )
    )
    head = f"Actors and alignment: {title}" if title else "Actors and alignment"
    return HTML(section_html(head, *parts))


_EVENT_COLUMNS = [
    "sent_id",
    "source",
    "target",
    "directed",
    "cue",
    "cameo",
    "quad_class",
    "weight",
    "negated",
    "reversal",
    "confidence",
    "historical",
    "voice",
    "evidence",
]
