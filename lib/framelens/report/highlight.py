"""Highlighted text: a document or a piece of it with spans marked, as escaped HTML.

Spans are rows with ``start``/``end`` character offsets and a label; they may nest and
overlap (the text is split at every boundary). All text, labels and tooltips are
escaped with :func:`framelens.report.core.escape`; links are made only for http(s) URLs.

Examples
--------
>>> import pandas as pd
>>> spans = pd.DataFrame({"start": [0, 4], "end": [3, 9], "label": ["a", "b"]})
>>> html = highlight_html("foo <script>", spans)
>>> "<script>" in html, html.count("<mark")
(False, 2)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from framelens.report.core import escape
from framelens.report.style import color_map

__all__ = ["legend_html", "highlight_html", "doc_text_html"]


# --------------------------------------------------------------------------- highlighted text
def legend_html(
    cmap: Mapping[str, str], *, counts: Mapping[str, int] | None = None, title: str | None = None
) -> str:
    """A row of colour chips with (escaped) label names and optional counts.

    Parameters
    ----------
    cmap : mapping
        label -> CSS colour, in display order (e.g. from :func:`color_map`).
    counts : mapping, optional, keyword-only
        label -> count, shown as ``label (n)``.
    title : str, optional, keyword-only
        A bold heading before the chips.

    Returns
    -------
    str
        ``<div class="fl-legend">…</div>``.

    Examples
    --------
    >>> out = legend_html({"<a>": "#E69F00"}, counts={"<a>": 1200})
    >>> "&lt;a&gt; (1,200)" in out, "background:#E69F00" in out
    (True, True)
    """
    chips = []
    for lab, col in cmap.items():
        n = f" ({counts[lab]:,})" if counts and lab in counts else ""
        chips.append(
            f'<span class="fl-chip" style="background:{col};padding:1px 6px;margin:0 6px 4px 0;'
            f'border-radius:3px;display:inline-block">{escape(lab)}{escape(n)}</span>'
        )
    head = f"<strong>{escape(title)}</strong> " if title else ""
    style = "margin:4px 0 8px 0;font-size:90%"
    return f'<div class="fl-legend" style="{style}">{head}{"".join(chips)}</div>'


def _span_arrays(
    spans: pd.DataFrame | None,
    n: int,
    *,
    start_col: str,
    end_col: str,
    label_col: str,
    title_col: str | None,
    offset: int,
):
    if spans is None or len(spans) == 0:
        return np.zeros(0, int), np.zeros(0, int), [], []
    missing = [c for c in (start_col, end_col, label_col) if c not in spans.columns]
    if title_col is not None and title_col not in spans.columns:
        missing.append(title_col)
    if missing:
        raise ValueError(
            f"spans has no column(s) {missing}; columns: {list(spans.columns)} "
            f"(set start_col/end_col/label_col/title_col)"
        )
    s = pd.to_numeric(spans[start_col], errors="coerce").to_numpy(dtype=float) - offset
    e = pd.to_numeric(spans[end_col], errors="coerce").to_numpy(dtype=float) - offset
    ok = ~(np.isnan(s) | np.isnan(e))
    s = np.clip(np.nan_to_num(s), 0, n).astype(np.int64)
    e = np.clip(np.nan_to_num(e), 0, n).astype(np.int64)
    ok &= e > s
    labels = (
        spans[label_col].astype(object).where(spans[label_col].notna(), "").astype(str).to_numpy()
    )
    titles = (
        spans[title_col].astype(object).where(spans[title_col].notna(), "").astype(str).to_numpy()
        if title_col
        else np.array([""] * len(spans), dtype=object)
    )
    idx = np.flatnonzero(ok)
    # order: by start, longer first (outer spans before inner ones)
    order = idx[np.lexsort((-(e[idx] - s[idx]), s[idx]))] if len(idx) else idx
    return s[order], e[order], labels[order].tolist(), titles[order].tolist()


def highlight_html(
    text: str,
    spans: pd.DataFrame | None = None,
    *,
    label_col: str = "label",
    colors: Mapping[Any, str] | None = None,
    title_col: str | None = None,
    start_col: str = "start",
    end_col: str = "end",
    offset: int = 0,
    legend: bool = True,
    legend_title: str | None = None,
) -> str:
    """Text with spans highlighted, as an HTML string; all text escaped.

    Parameters
    ----------
    text : str
        The text (a document, or a piece of it: then pass its start as ``offset``).
    spans : DataFrame, optional
        One row per span with ``start``/``end`` character offsets into ``text``
        (``text[start:end]``) and a label column. Spans may overlap or nest: the text is
        split at every boundary and each piece is marked with the innermost span's colour
        and, when several spans cover it, an underline in the outer span's colour; its
        tooltip lists every covering span. Offsets outside the text are clipped; empty or
        missing ones are ignored.
    label_col : str, keyword-only
        Column with the span labels (colour key and legend).
    colors : mapping, optional
        label -> CSS colour; other labels get palette tints.
    title_col : str, optional
        Column with extra tooltip text per span (e.g. the matched term).
    start_col, end_col : str
        Offset column names.
    offset : int
        Subtracted from the span offsets (when ``text`` starts at ``offset`` in the document).
    legend : bool
        Prepend a legend of the labels with their counts.
    legend_title : str, optional
        A heading for the legend.

    Returns
    -------
    str
        ``<div class="fl-highlight">…</div>``.

    Examples
    --------
    >>> import pandas as pd
    >>> spans = pd.DataFrame({"start": [0, 0], "end": [5, 2], "label": ["outer", "inner"]})
    >>> out = highlight_html("Hello world", spans, legend=False)
    >>> out.count("<mark")  # "He" (inner in outer), "llo" (outer)
    2
    """
    # long: its numpydoc docstring is half of it; the body is one pass over the boundaries
    if not isinstance(text, str):
        text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    n = len(text)
    s, e, labels, titles = _span_arrays(
        spans,
        n,
        start_col=start_col,
        end_col=end_col,
        label_col=label_col,
        title_col=title_col,
        offset=int(offset),
    )
    cmap = color_map(labels, colors=colors)
    counts: dict[str, int] = {}
    for lab in labels:
        counts[lab] = counts.get(lab, 0) + 1
    parts: list[str] = []
    if len(s):
        bounds = np.unique(np.concatenate([[0, n], s, e]))
        s, e = s.tolist(), e.tolist()
        k = 0  # next span (sorted by start) to activate
        active: list[int] = []
        for b0, b1 in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            while k < len(s) and s[k] <= b0:
                active.append(k)
                k += 1
            if active:
                active = [j for j in active if e[j] > b0]
            piece = escape(text[b0:b1])
            if not active:
                parts.append(piece)
                continue
            inner = active[-1]
            style = f"background:{cmap[labels[inner]]};padding:0;border-radius:2px"
            if len(active) > 1:
                outer = active[0]
                oc = cmap[labels[outer]]
                style += (
                    f";border-bottom:3px solid {oc if oc != cmap[labels[inner]] else '#555555'}"
                )
            tip = "; ".join(labels[j] + (f": {titles[j]}" if titles[j] else "") for j in active)
            parts.append(
                f'<mark style="{style}" title="{escape(tip)}" '
                f'data-label="{escape(labels[inner])}">{piece}</mark>'
            )
    else:
        parts.append(escape(text))
    body = (
        '<div class="fl-text" style="white-space:pre-wrap;line-height:1.65;'
        'font-family:Georgia,serif;border-left:3px solid #ddd;padding:4px 12px">'
        + "".join(parts)
        + "</div>"
    )
    leg = legend_html(cmap, counts=counts, title=legend_title) if legend and cmap else ""
    return f'<div class="fl-highlight">{leg}{body}</div>'


def _doc_row(docs, doc_id: str) -> Mapping[str, Any]:
    table = getattr(docs, "docs", docs)  # an Analysis or a docs DataFrame
    if isinstance(table, pd.DataFrame):
        hit = table[table["doc_id"].astype(str) == str(doc_id)]
        if hit.empty:
            raise KeyError(
                f"doc_id {doc_id!r} not found (e.g. {table['doc_id'].astype(str).head(3).tolist()})"
            )
        return hit.iloc[0].to_dict()
    if isinstance(table, Mapping):
        return table
    raise TypeError(
        "docs must be an Analysis, a docs DataFrame or a mapping of one document's fields"
    )


def doc_text_html(
    docs,
    doc_id: str | None = None,
    spans: pd.DataFrame | None = None,
    *,
    label_col: str = "label",
    colors: Mapping[Any, str] | None = None,
    title_col: str | None = None,
    legend: bool = True,
    legend_title: str | None = None,
    max_chars: int | None = None,
) -> str:
    """One document as HTML: a metadata header (title, outlet, date, link) and its text
    with ``spans`` highlighted. Everything escaped; links only for http(s) URLs.

    Parameters
    ----------
    docs : Analysis, DataFrame or mapping
        An Analysis or a docs DataFrame (then ``doc_id`` picks the row), or a mapping of
        one document's fields (``text``, ``title``, ``outlet``, ``date``, ``url`` …).
    doc_id : str, optional
        The document to show; required unless ``docs`` is a mapping.
    spans : DataFrame, optional
        Spans to highlight, offsets into the document text (see :func:`highlight_html`).
    label_col, colors, title_col, legend, legend_title
        Passed to :func:`highlight_html`.
    max_chars : int, optional, keyword-only
        Truncate longer texts (spans beyond are dropped, and the cut is announced).

    Returns
    -------
    str
        ``<div class="fl-doc">…</div>``.

    Raises
    ------
    KeyError
        When ``doc_id`` is not in ``docs`` (the message shows a few ids).

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "title": ["<Title>"], "text": ["Hello world"],
    ...                      "url": ["javascript:alert(1)"]})
    >>> out = doc_text_html(docs, "d1", pd.DataFrame({"start": [0], "end": [5], "label": ["x"]}))
    >>> "<h3>&lt;Title&gt;</h3>" in out, "<a href" in out, out.count("<mark")
    (True, False, 1)
    """
    # long: its numpydoc docstring is half of it; the body escapes each metadata field
    row = _doc_row(docs, doc_id) if doc_id is not None or not isinstance(docs, Mapping) else docs
    text = row.get("text")
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    cut = ""
    if max_chars is not None and len(text) > max_chars:
        cut = f"Text cut at {max_chars:,} of {len(text):,} characters."
        cut = f'<p class="fl-note"><em>{cut}</em></p>'
        text = text[:max_chars]
    meta = []
    for field in ("doc_id", "outlet", "date", "language"):
        v = row.get(field)
        missing = v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v))
        if not missing and str(v) not in ("", "<NA>", "NaT", "nan"):
            v = v.date().isoformat() if field == "date" and hasattr(v, "date") else v
            meta.append(f"<span><strong>{escape(field)}</strong> {escape(v)}</span>")
    url = row.get("url")
    if isinstance(url, str) and url:
        if re.match(r"^https?://", url, re.IGNORECASE):
            meta.append(
                f'<span><a href="{escape(url)}" rel="noopener noreferrer nofollow">'
                f"{escape(url)}</a></span>"
            )
        else:
            meta.append(f"<span><strong>url</strong> {escape(url)}</span>")
    title = row.get("title")
    head = f"<h3>{escape(title)}</h3>" if isinstance(title, str) and title else ""
    return (
        f'<div class="fl-doc">{head}<div class="fl-meta" style="color:#444;font-size:90%;'
        f'display:flex;gap:14px;flex-wrap:wrap;margin-bottom:6px">{"".join(meta)}</div>'
        + highlight_html(
            text,
            spans,
            label_col=label_col,
            colors=colors,
            title_col=title_col,
            legend=legend,
            legend_title=legend_title,
        )
        + cut
        + "</div>"
    )
