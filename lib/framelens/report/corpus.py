"""Tables and figures of the corpus overview (``notebooks/corpus.ipynb``).

Everything is grouped by a docs column ``by`` (usually ``outlet``; missing values become
the group ``"(missing)"``). Functions take the tidy tables of an analysis (see
:mod:`framelens.core.schema`) — or the analysis itself where several tables are needed — and
return DataFrames, HTML strings (corpus text escaped) or matplotlib Axes; nothing is
displayed here and no input is modified.

Examples
--------
>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
...                      "date": pd.to_datetime(["2024-01-05", "2024-02-01", None])})
>>> docs_per_period(docs, by="outlet").values.tolist()   # columns 2024-01, 2024-02, no date
[[1, 1, 0], [0, 0, 1]]
>>> an = framelens.pipeline.open_analysis("../data/sample")           # doctest: +SKIP
>>> quoting_habits(an, by="outlet")                                   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from framelens.core.schema import DOC_COLUMNS
from framelens.report.core import (
    MISSING_GROUP,
    OKABE_ITO,
    VERB_CLASS_COLORS,
    label_axes,
    new_axes,
    note_html,
    table_html,
)
from framelens.report.quote_units import passages_per_doc, quote_counts
from framelens.report.reading import parts, read

__all__ = [
    "MISSING_GROUP",
    "group_labels",
    "doc_table",
    "summary_line",
    "corpus_figures",
    "docs_per_period",
    "plot_docs_per_period",
    "docs_over_time",
    "period_for",
    "MAX_PERIODS",
    "length_table",
    "plot_lengths",
    "document_table",
    "problem_summary",
    "problems_html",
    "quoting_habits",
    "verb_class_mix",
    "plot_verb_class_mix",
]

_PERIODS = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def _tables(analysis: Any) -> Mapping[str, pd.DataFrame]:
    tables = getattr(analysis, "tables", analysis)
    if not isinstance(tables, Mapping) or "docs" not in tables:
        raise TypeError(
            "expected an Analysis (or a mapping of table name -> DataFrame with 'docs')"
        )
    return tables


def group_labels(docs: pd.DataFrame, by: str) -> pd.Series:
    """The group of each document: ``docs[by]`` as strings, missing -> ``"(missing)"``.

    Examples
    --------
    >>> group_labels(pd.DataFrame({"outlet": ["X", None]}), "outlet").tolist()
    ['X', '(missing)']
    """
    if by == "text" or (by not in docs.columns and by not in DOC_COLUMNS):
        raise ValueError(f"{by!r} is not a docs column to group by; columns: {list(docs.columns)}")
    if by not in docs.columns:  # a standard column the corpus lacks: every document missing
        return pd.Series(MISSING_GROUP, index=docs.index, name=by)
    return docs[by].astype("string").fillna(MISSING_GROUP).astype(str).rename(by)


def doc_table(docs: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """``docs`` plus ``words`` (``sentences.n_words`` summed) and ``characters`` per document.

    Parameters
    ----------
    docs, sentences : DataFrame
        The ``docs`` and ``sentences`` tables; a document without sentences has 0 words.

    Returns
    -------
    DataFrame
        A copy of ``docs`` with two int columns added.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One two.", ""]})
    >>> s = pd.DataFrame({"doc_id": ["a"], "n_words": [3]})
    >>> doc_table(docs, s)[["words", "characters"]].values.tolist()
    [[3, 8], [0, 0]]
    """
    words = sentences.groupby(sentences["doc_id"].astype(str))["n_words"].sum()
    ids = docs["doc_id"].astype(str)
    return docs.assign(
        words=ids.map(words).fillna(0).astype("int64").to_numpy(),
        characters=docs["text"].astype("string").str.len().fillna(0).astype("int64").to_numpy(),
    )


def _with_words(docs: pd.DataFrame) -> None:
    if "words" not in docs.columns:
        raise ValueError("docs has no 'words' column: pass doc_table(an.docs, an.sentences)")


def summary_line(docs: pd.DataFrame, *, by: str) -> str:
    """One line: documents, groups and words (``docs`` from :func:`doc_table`).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"], "words": [1200, 3]})
    >>> summary_line(docs, by="outlet")
    '2 documents, 2 outlet values, 1,203 words'
    """
    _with_words(docs)
    n_groups = group_labels(docs, by).nunique()
    return f"{len(docs)} documents, {n_groups} {by} values, {int(docs['words'].sum()):,} words"


def corpus_figures(analysis: Any, *, by: str) -> dict[str, Any]:
    """Headline numbers of the corpus for :func:`framelens.report.core.key_figures`.

    Examples
    --------
    >>> t = {"docs": pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"], "outlet": ["X", "X"]}),
    ...      "sentences": pd.DataFrame({"doc_id": ["a", "b"], "n_words": [300, 100]}),
    ...      "quotes": pd.DataFrame({"doc_id": ["a"]}),
    ...      "problems": pd.DataFrame({"severity": ["error", "warning", "warning"]})}
    >>> f = corpus_figures(t, by="outlet")
    >>> f["quotes per 1,000 words"], f["input errors"], f["input warnings"]
    (2.5, 1, 2)
    """
    t = _tables(analysis)
    docs = doc_table(t["docs"], _words(analysis))
    n_words = int(docs["words"].sum())
    q = {"quoted passages": 0, "quotations": 0}
    if "quotes" in t:  # passages are counted within documents: part by part
        for part in parts(analysis, "quotes", columns=_QUOTE_COLUMNS):
            q = {k: v + quote_counts(part)[k] for k, v in q.items()}
    n_quotes = q["quotations"]
    problems = t.get("problems")
    sev = problems["severity"].astype(str) if problems is not None else pd.Series([], dtype=str)
    n_err = int((sev == "error").sum())
    return {
        "documents": len(docs),
        f"{by} values": int(group_labels(docs, by).nunique()),
        "words": n_words,
        "quoted passages": q["quoted passages"],
        "quotations": n_quotes,
        "quotes per 1,000 words": round(1000 * n_quotes / max(n_words, 1), 2),
        "input errors": n_err,
        "input warnings": int(len(sev) - n_err),
    }


# --------------------------------------------------------------------------- documents over time
def docs_per_period(
    docs: pd.DataFrame, *, by: str, freq: str = "M", fill_gaps: bool = True
) -> pd.DataFrame:
    """Documents per group (rows) and publication period (columns).

    Parameters
    ----------
    docs : DataFrame
        A docs table (``date`` column).
    by : str, keyword-only
        Grouping column.
    freq : {"D", "W", "M", "Q", "Y"}, keyword-only
        Period length; documents without a date are counted under ``"no date"`` (last).
    fill_gaps : bool, keyword-only
        Include every period between the first and the last date, with zeros where no
        group has documents (a gap is worth seeing); False keeps only periods with
        documents.

    Returns
    -------
    DataFrame
        Index named ``by`` (sorted groups), columns named after the period (``month`` …)
        in time order; zero where a group has no documents.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": list("abc"), "outlet": ["X", "Y", "Y"],
    ...                      "date": pd.to_datetime(["2024-03-31", "2024-01-01", "2024-03-01"])})
    >>> t = docs_per_period(docs, by="outlet", freq="Q")
    >>> t.columns.tolist(), t.loc["Y"].tolist()
    (['2024Q1'], [2])
    >>> docs_per_period(docs, by="outlet").columns.tolist()   # February: no documents
    ['2024-01', '2024-02', '2024-03']
    >>> docs_per_period(docs, by="outlet", fill_gaps=False).columns.tolist()
    ['2024-01', '2024-03']
    """
    if freq not in _PERIODS:
        raise ValueError(f"freq must be one of {list(_PERIODS)}, not {freq!r}")
    groups = group_labels(docs, by)
    dates = pd.to_datetime(docs["date"], errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert(None)
    period = dates.dt.to_period(freq).astype("string").fillna("no date").astype(str)
    out = pd.crosstab(groups.to_numpy(), period.to_numpy())
    dated = dates.dropna()
    if fill_gaps and len(dated):
        span = pd.period_range(dated.min().to_period(freq), dated.max().to_period(freq), freq=freq)
        cols = span.astype(str).tolist()
    else:
        cols = sorted(c for c in out.columns if c != "no date")
    cols += ["no date"] if "no date" in out.columns else []
    out = out.reindex(columns=cols, fill_value=0).astype("int64")
    return out.rename_axis(index=by, columns=_PERIODS[freq])


def plot_docs_per_period(table: pd.DataFrame, *, ax=None):
    """Stacked bars of :func:`docs_per_period`: one bar per period, one colour per group.

    Returns the matplotlib Axes.

    Examples
    --------
    >>> t = pd.DataFrame({"2024-01": [1, 2], "2024-02": [0, 1]},
    ...                  index=pd.Index(["X", "Y"], name="outlet"))
    >>> ax = plot_docs_per_period(t.rename_axis(columns="month"))
    >>> [round(p.get_height()) for p in ax.patches]
    [1, 0, 2, 1]
    """
    ax = new_axes(ax, figsize=(8, 3.5))
    by = table.index.name or "group"
    period = table.columns.name or "period"
    x = table.columns.astype(str).tolist()
    bottom = np.zeros(table.shape[1])
    for i, (g, row) in enumerate(table.iterrows()):  # one bar series per group, not per document
        vals = row.to_numpy(dtype=float)
        ax.bar(x, vals, bottom=bottom, label=str(g), color=OKABE_ITO[i % len(OKABE_ITO)])
        bottom += vals
    if len(table):
        ax.legend(title=by, loc="upper left", bbox_to_anchor=(1, 1))
    ax.tick_params(axis="x", rotation=45)
    return label_axes(
        ax, title=f"Documents per {period} and {by}", xlabel=period, ylabel="documents"
    )


def docs_over_time(docs: pd.DataFrame, *, by: str, freq: str = "M") -> list:
    """The documents-per-period table and figure; without any date, the table (all
    "no date") and a note instead of a figure with one bar.

    Returns a list of parts (HTML and a matplotlib Figure) for
    :func:`framelens.report.core.show`.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "outlet": [None], "date": [pd.NaT]})
    >>> parts = docs_over_time(d, by="outlet")
    >>> len(parts), "No document has a date" in parts[1]
    (2, True)
    """
    freq, fill, note = period_for(docs, freq=freq)
    per = docs_per_period(docs, by=by, freq=freq, fill_gaps=fill)
    table = table_html(
        per, name="documents-per-group-period", caption=f"Documents per {by} and {_PERIODS[freq]}"
    )
    if list(per.columns) == ["no date"] or per.empty:
        return [table, note_html("No document has a date: there is nothing to plot over time.")]
    import matplotlib.pyplot as plt

    fig = plot_docs_per_period(per).figure
    plt.close(fig)
    return [table, fig] + ([note_html(note)] if note else [])


#: At most this many periods on the documents-over-time axis; a wider span of dates is
#: shown by a coarser period (month -> quarter -> year), then without the empty years.
MAX_PERIODS = 120


def period_for(docs: pd.DataFrame, *, freq: str = "M") -> tuple[str, bool, str]:
    """The period to count documents by, whether to fill the gaps, and a note when the
    dates span more than :data:`MAX_PERIODS` periods of ``freq`` (often one wrong date,
    such as 1970-01-01 from an export, stretches the axis over decades).

    Examples
    --------
    >>> d = pd.DataFrame({"date": pd.to_datetime(["1970-01-01", "2024-05-01"])})
    >>> period_for(d, freq="M")[:2]
    ('Y', True)
    >>> period_for(d.iloc[[1]], freq="M")
    ('M', True, '')
    """
    dates = pd.to_datetime(docs["date"], errors="coerce").dropna()
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert(None)
    if dates.empty:
        return freq, True, ""
    order = list(_PERIODS)
    for f in order[order.index(freq) :]:
        n = len(pd.period_range(dates.min().to_period(f), dates.max().to_period(f), freq=f))
        if n <= MAX_PERIODS:
            break
    fill = n <= MAX_PERIODS
    if f == freq and fill:
        return freq, True, ""
    lo, hi = dates.min().date(), dates.max().date()
    how = f"per {_PERIODS[f]}" + ("" if fill else ", empty years left out")
    return (
        f,
        fill,
        (
            f"The dates span {lo} to {hi}, too many {_PERIODS[freq]}s to show: documents are "
            f"counted {how}. A date far from the others may be an error in the source "
            "(1970-01-01, 1900-01-01)."
        ),
    )


# --------------------------------------------------------------------------- lengths
def length_table(docs: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Words per document by group: count, mean, min, median, max.

    ``docs`` comes from :func:`doc_table`.

    Examples
    --------
    >>> docs = pd.DataFrame({"outlet": ["X", "X", "Y"], "words": [100, 300, 50]})
    >>> length_table(docs, by="outlet").loc["X"].tolist()
    [2.0, 200.0, 100.0, 200.0, 300.0]
    """
    _with_words(docs)
    out = docs["words"].groupby(group_labels(docs, by).to_numpy()).describe()
    out = out[["count", "mean", "min", "50%", "max"]].rename(columns={"50%": "median"})
    return out.astype({"count": "int64"}).rename_axis(by)


def plot_lengths(docs: pd.DataFrame, *, by: str, ax=None):
    """Words per document by group: one dot per document, a black bar at the median.

    Returns the matplotlib Axes.

    Examples
    --------
    >>> docs = pd.DataFrame({"outlet": ["X", "X", "Y"], "words": [100, 300, 50]})
    >>> [t.get_text() for t in plot_lengths(docs, by="outlet").get_yticklabels()]
    ['X', 'Y']
    """
    _with_words(docs)
    groups = group_labels(docs, by)
    names = sorted(groups.unique())
    ax = new_axes(ax, figsize=(7, 0.6 * len(names) + 1.4))
    words = docs["words"].to_numpy()
    for i, g in enumerate(names):
        w = words[(groups == g).to_numpy()]
        ax.scatter(w, np.full(len(w), i), alpha=0.6, color=OKABE_ITO[i % len(OKABE_ITO)])
        ax.plot([np.median(w)] * 2, [i - 0.3, i + 0.3], color="black", linewidth=2)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(-0.6, len(names) - 0.4)
    return label_axes(
        ax,
        title=f"Document length by {by} (dots: documents, bar: median)",
        xlabel="words per document",
        ylabel=by,
    )


def document_table(docs: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Every document: ``doc_id``, the group, ``date``, ``title``, ``words``, ``characters``.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "outlet": [None], "date": [pd.NaT], "title": ["T"],
    ...                      "text": ["x"], "words": [1], "characters": [1]})
    >>> document_table(docs, by="outlet").values.tolist()
    [['a', '(missing)', NaT, 'T', 1, 1]]
    """
    _with_words(docs)
    cols = list(dict.fromkeys(["doc_id", by, "date", "title", "words", "characters"]))
    cols = [c for c in cols if c in docs.columns]
    return docs[cols].assign(**{by: group_labels(docs, by).to_numpy()}).reset_index(drop=True)


# --------------------------------------------------------------------------- problems
def problem_summary(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems per severity and code (``severity, code, problems``), sorted.

    Examples
    --------
    >>> p = pd.DataFrame({"severity": ["warning", "error", "warning"], "code": ["q", "d", "q"]})
    >>> problem_summary(p).values.tolist()
    [['error', 'd', 1], ['warning', 'q', 2]]
    """
    keys = [
        problems[c].astype("string").fillna("").astype(str).rename(c) for c in ("severity", "code")
    ]
    return problems.groupby(keys).size().rename("problems").reset_index()


def problems_html(problems: pd.DataFrame, *, max_rows: int = 100) -> str:
    """The summary of :func:`problem_summary` and every problem (both with CSV download),
    or a note that there are none. All text escaped.

    Examples
    --------
    >>> p = pd.DataFrame({"severity": ["error"], "code": ["bad"], "message": ["<script>"]})
    >>> out = problems_html(p)
    >>> "<script>" in out, "problem-summary.csv" in out
    (False, True)
    """
    if not len(problems):
        return note_html("No problems were found in the input.")
    return table_html(
        problem_summary(problems), name="problem-summary", caption="Problems by severity and code"
    ) + table_html(
        problems.reset_index(drop=True), name="problems", max_rows=max_rows, caption="Every problem"
    )


# --------------------------------------------------------------------------- quoting
#: The quotes' columns of quoted passages, quotation kinds and the verb mix.
_QUOTE_COLUMNS = ["doc_id", "kind", "start", "end", "verb_class", "verb_start"]


def _words(analysis: Any) -> pd.DataFrame:
    """``doc_id, n_words``: the words of each document's sentences, summed part by part."""
    sums = [
        part.groupby(part["doc_id"].astype(str))["n_words"].sum()
        for part in parts(analysis, "sentences", columns=["doc_id", "n_words"])
    ]
    words = pd.concat(sums) if sums else pd.Series([], dtype="int64")
    return pd.DataFrame({"doc_id": words.index.astype(str), "n_words": words.to_numpy()})


def _quotes(analysis: Any) -> pd.DataFrame:
    """The quotes' columns the counts read (ids, kinds, offsets, verbs), not their text."""
    return read(analysis, "quotes", columns=_QUOTE_COLUMNS)


def _quotes_with_group(
    t: Mapping[str, pd.DataFrame], by: str, quotes: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series]:
    docs = t["docs"]
    groups = pd.Series(
        group_labels(docs, by).to_numpy(), index=docs["doc_id"].astype(str).to_numpy()
    )
    return quotes, quotes["doc_id"].astype(str).map(groups).rename(by)


def quoting_habits(analysis: Any, *, by: str) -> pd.DataFrame:
    """How much and how each group quotes.

    Parameters
    ----------
    analysis : Analysis
        With ``docs``, ``sentences`` and ``quotes`` tables (or a mapping of them).
    by : str, keyword-only
        Grouping column of ``docs``.

    Returns
    -------
    DataFrame
        One row per group (index named ``by``): ``documents``, ``quoted passages``
        (outermost quotation-mark spans), ``quotations`` (attributed quote rows, see
        :mod:`framelens.report.quote_units`), ``quotes per 1,000 words`` (quotations, 2
        decimals), and ``share <kind>`` per quotation kind
        (share of the group's quotations, 3 decimals; empty for a group without quotes).

    Examples
    --------
    >>> t = {"docs": pd.DataFrame({"doc_id": ["a", "b"], "text": ["", ""], "outlet": ["X", "Y"]}),
    ...      "sentences": pd.DataFrame({"doc_id": ["a", "b"], "n_words": [2000, 500]}),
    ...      "quotes": pd.DataFrame({"doc_id": ["a", "a", "a"],
    ...                              "kind": ["direct", "direct", "indirect"]})}
    >>> h = quoting_habits(t, by="outlet")
    >>> h.loc["X", ["quotations", "quotes per 1,000 words", "share direct"]].tolist()
    [3.0, 1.5, 0.667]
    """
    t = _tables(analysis)
    docs = doc_table(t["docs"], _words(analysis))
    groups = group_labels(docs, by).to_numpy()
    quotes, qgroup = _quotes_with_group(t, by, _quotes(analysis))
    passages = passages_per_doc(quotes)
    doc_group = dict(zip(docs["doc_id"].astype(str), groups))
    n_words = docs["words"].groupby(groups).sum()
    habits = (
        pd.DataFrame(
            {
                "documents": docs.groupby(groups).size(),
                "quoted passages": passages.groupby(passages.index.map(doc_group)).sum(),
                "quotations": qgroup.value_counts(),
            }
        )
        .fillna(0)
        .astype("int64")
    )
    habits["quotes per 1,000 words"] = (1000 * habits["quotations"] / n_words.clip(lower=1)).round(
        2
    )
    if len(quotes):
        kinds = pd.crosstab(
            qgroup.to_numpy(), quotes["kind"].astype(str).to_numpy(), normalize="index"
        )
        habits = habits.join(kinds.round(3).add_prefix("share "), how="left")
    return habits.rename_axis(by)


def verb_class_mix(analysis: Any, *, by: str) -> pd.DataFrame:
    """Share of each group's reporting verbs per verb class.

    The one verb-mix definition of every report,
    :func:`framelens.report.neutrality.verb_mix_shares` (each reporting verb counted
    once; a quote without a verb class counts as neutral), so the corpus and the
    neutrality report show the same numbers.

    Returns a DataFrame with index ``by`` (groups with quotations) and columns
    ``verb class`` in :data:`framelens.measures.neutrality.VERB_CLASSES` order; each row
    sums to 1.

    Examples
    --------
    >>> t = {"docs": pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]}),
    ...      "quotes": pd.DataFrame({"doc_id": ["a", "a", "b"],
    ...                              "verb_class": ["neutral", "distancing", None]})}
    >>> verb_class_mix(t, by="outlet").values.tolist()
    [[0.5, 0.0, 0.5, 0.0], [1.0, 0.0, 0.0, 0.0]]
    """
    from framelens.report.verb_mix import shares_wide, verb_mix_parts

    t = _tables(analysis)
    return shares_wide(verb_mix_parts(analysis, t["docs"], by=by), by=by).drop(columns=["n_verbs"])


def plot_verb_class_mix(mix: pd.DataFrame, *, ax=None):
    """Stacked horizontal bars of :func:`verb_class_mix`, in the report-wide verb colours.

    Returns the matplotlib Axes.

    Examples
    --------
    >>> mix = pd.DataFrame({"neutral": [0.5], "distancing": [0.5]},
    ...                    index=pd.Index(["X"], name="outlet"))
    >>> [float(p.get_width()) for p in plot_verb_class_mix(mix).patches]
    [0.5, 0.5]
    """
    by = mix.index.name or "group"
    ax = new_axes(ax, figsize=(8, 3.5))
    left = np.zeros(len(mix))
    for cls in mix.columns:
        vals = mix[cls].to_numpy(dtype=float)
        ax.barh(
            mix.index.astype(str),
            vals,
            left=left,
            label=str(cls),
            color=VERB_CLASS_COLORS.get(str(cls), "#777777"),
        )
        left += vals
    if len(mix.columns):
        ax.legend(title="verb class", loc="upper left", bbox_to_anchor=(1, 1))
    ax.set_xlim(0, 1)
    return label_axes(
        ax, title=f"Reporting-verb mix by {by}", xlabel="share of quotations", ylabel=by
    )
