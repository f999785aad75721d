"""Shared display helpers: palette, matplotlib style, highlighted text, tables, key figures.

Everything here returns HTML *strings* (wrap them in ``IPython.display.HTML`` to show
them) except :func:`show_table` and :func:`key_figures`, which display directly. Every
piece of text that may come from a corpus — document text, titles, labels, tooltips,
table cells, column names, file names — goes through :func:`html.escape`, so a document
containing ``<script>`` shows those characters instead of running them.

Colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), which
stays distinguishable under the common colour-vision deficiencies; highlight
backgrounds are light tints of the same hues so the text stays readable.

Examples
--------
>>> import pandas as pd
>>> spans = pd.DataFrame({"start": [0, 4], "end": [3, 9], "label": ["a", "b"]})
>>> html = highlight_html("foo <script>", spans)
>>> "<script>" in html
False
>>> html.count("<mark")
2
"""

from __future__ import annotations

import base64
import html as _html
import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "new_axes",
    "doc_title",
    "OKABE_ITO",
    "PALETTE",
    "TINTS",
    "VERB_CLASS_COLORS",
    "escape",
    "color_map",
    "use_style",
    "label_axes",
    "highlight_html",
    "legend_html",
    "doc_text_html",
    "table_html",
    "show_table",
    "csv_download_link",
    "key_figures",
    "section_html",
    "note_html",
    "KEY_FIGURES_MIME",
]

#: Okabe–Ito colours, in their customary order (black last: used for text/reference lines).
PALETTE: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
OKABE_ITO: tuple[str, ...] = tuple(v for k, v in PALETTE.items() if k != "black")
KEY_FIGURES_MIME = "application/vnd.framelens.key-figures+json"
#: One colour per reporting-verb class (METHODS.md §2), the same in every report.
VERB_CLASS_COLORS: dict[str, str] = {
    "neutral": PALETTE["blue"],
    "endorsing": PALETTE["bluish_green"],
    "distancing": PALETTE["orange"],
    "guilt_implying": PALETTE["vermillion"],
    "(no verb)": "#BBBBBB",
}

_CSS_COLOR = re.compile(
    r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|rgba?\(\s*[\d.%]+\s*,\s*[\d.%]+\s*,\s*[\d.%]+\s*(,\s*[\d.]+\s*)?\))$"
)


def escape(value: Any) -> str:
    """HTML-escape ``str(value)``, quotes included; missing values become ``""``.

    Parameters
    ----------
    value : Any
        Anything; ``None``, ``NaN`` and ``pd.NA`` count as missing.

    Returns
    -------
    str
        Safe to put in HTML text and in quoted attribute values.

    Examples
    --------
    >>> escape('<a href="x">')
    '&lt;a href=&quot;x&quot;&gt;'
    >>> escape(None), escape(float("nan")), escape(3)
    ('', '', '3')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return _html.escape(str(value), quote=True)


def _tint(hex_color: str, amount: float = 0.6) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#{:02X}{:02X}{:02X}".format(*mix)


#: Light tints of :data:`OKABE_ITO` for text-highlight backgrounds (same order), then
#: medium tints of the same hues for an 8th to 14th label.
TINTS: tuple[str, ...] = tuple(_tint(c) for c in OKABE_ITO) + tuple(
    _tint(c, 0.35) for c in OKABE_ITO
)


def _check_color(label: str, color: Any) -> str:
    c = str(color).strip()
    if not _CSS_COLOR.match(c):
        raise ValueError(
            f"colour for {label!r} must be a CSS colour like '#E69F00', 'orange' or 'rgb(1,2,3)', not {color!r}"
        )
    return c


def color_map(
    labels: Sequence[Any], *, colors: Mapping[Any, str] | None = None, tints: bool = True
) -> dict[str, str]:
    """A stable label -> colour mapping: given ``colors`` first, then the palette in
    sorted label order (so the same labels always get the same colours).

    Parameters
    ----------
    labels : sequence
        Labels (converted to ``str``; duplicates ignored).
    colors : mapping, optional, keyword-only
        label -> CSS colour, used as given (validated: a hex colour, a colour name or
        ``rgb()``/``rgba()``; anything else raises ``ValueError``).
    tints : bool, keyword-only
        Light :data:`TINTS` (for highlight backgrounds, the default) or the full-strength
        :data:`OKABE_ITO` colours (for lines and bars). Colours repeat after 14 (tints)
        or 7 labels.

    Returns
    -------
    dict
        ``{label: colour}`` in sorted label order.

    Examples
    --------
    >>> color_map(["b", "a"], tints=False)
    {'a': '#E69F00', 'b': '#56B4E9'}
    """
    given = {str(k): _check_color(str(k), v) for k, v in (colors or {}).items()}
    base = TINTS if tints else OKABE_ITO
    out: dict[str, str] = {}
    i = 0
    for lab in sorted({str(x) for x in labels}):
        if lab in given:
            out[lab] = given[lab]
        else:
            out[lab] = base[i % len(base)]
            i += 1
    return out


# --------------------------------------------------------------------------- matplotlib
def use_style() -> None:
    """Apply the framelens matplotlib style: Okabe–Ito colour cycle, readable sizes,
    light grid, no top/right spines, PNG figures (deterministic bytes in reports).

    Changes the global ``matplotlib.rcParams`` (and, inside a kernel, the inline figure
    format); safe to call repeatedly.

    Returns
    -------
    None

    Examples
    --------
    >>> use_style()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["axes.prop_cycle"].by_key()["color"][0]
    '#E69F00'
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
            "figure.figsize": (7.5, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "savefig.bbox": "tight",
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "legend.frameon": False,
            "font.size": 10,
            "svg.hashsalt": "framelens",
            "image.cmap": "cividis",
        }
    )
    try:  # inline figures as PNG in notebooks and reports
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except Exception:  # not in a kernel: nothing to configure
        pass


def new_axes(ax=None, *, figsize: tuple[float, float] = (7, 4)):
    """Return ``ax``, or a new styled matplotlib Axes of ``figsize`` when ``ax`` is None.

    Every figure helper of the measure families starts here, so that all report figures
    share one style.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        An existing Axes to draw on (returned unchanged).
    figsize : (float, float), keyword-only
        Width and height in inches of a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = new_axes(figsize=(3, 2))
    >>> ax.figure.get_size_inches().tolist()
    [3.0, 2.0]
    """
    import matplotlib.pyplot as plt

    use_style()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def label_axes(ax, *, title: str, xlabel: str, ylabel: str, source: str | None = None):
    """Set a title and both axis labels (all required: a figure must say what it shows).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    title, xlabel, ylabel : str, keyword-only
        Non-empty texts; an empty one raises ``ValueError`` naming it.
    source : str, optional, keyword-only
        A small note under the plot (data source, caveat).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Examples
    --------
    >>> ax = label_axes(new_axes(), title="Documents per month", xlabel="month", ylabel="documents")
    >>> ax.get_title(), ax.get_ylabel()
    ('Documents per month', 'documents')
    """
    for name, v in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"label_axes needs a non-empty {name}")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if source:
        ax.annotate(
            source,
            xy=(0, -0.18),
            xycoords="axes fraction",
            fontsize=8,
            color="#555555",
            ha="left",
            va="top",
        )
    return ax


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
    return f'<div class="fl-legend" style="margin:4px 0 8px 0;font-size:90%">{head}{"".join(chips)}</div>'


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
                f'<mark style="{style}" title="{escape(tip)}" data-label="{escape(labels[inner])}">{piece}</mark>'
            )
    else:
        parts.append(escape(text))
    body = (
        '<div class="fl-text" style="white-space:pre-wrap;line-height:1.65;font-family:Georgia,serif;'
        'border-left:3px solid #ddd;padding:4px 12px">' + "".join(parts) + "</div>"
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


def doc_title(docs: pd.DataFrame) -> str:
    """The title of the first document of a docs table, or ``""`` when it has none.

    Titles are optional metadata: a missing one (no column, ``None``, ``NaN`` or
    ``pd.NA``) is the empty string, never an ambiguous truth value.

    Parameters
    ----------
    docs : DataFrame
        A docs table (usually a one-document view, ``analysis.doc(doc_id).docs``).

    Returns
    -------
    str

    Examples
    --------
    >>> doc_title(pd.DataFrame({"doc_id": ["a"], "title": [pd.NA]}))
    ''
    >>> doc_title(pd.DataFrame({"doc_id": ["a"], "title": ["Talks in Belgrade"]}))
    'Talks in Belgrade'
    """
    if "title" not in docs.columns or docs.empty:
        return ""
    title = docs["title"].iloc[0]
    return "" if pd.isna(title) else str(title)


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
    row = _doc_row(docs, doc_id) if doc_id is not None or not isinstance(docs, Mapping) else docs
    text = row.get("text")
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    cut = ""
    if max_chars is not None and len(text) > max_chars:
        cut = f'<p class="fl-note"><em>Text cut at {max_chars:,} of {len(text):,} characters.</em></p>'
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
        f'<div class="fl-doc">{head}<div class="fl-meta" style="color:#444;font-size:90%;display:flex;'
        f'gap:14px;flex-wrap:wrap;margin-bottom:6px">{"".join(meta)}</div>'
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


# --------------------------------------------------------------------------- tables
def _safe_file_name(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", str(name)).strip("._") or "table"
    return s[:100]


def csv_download_link(df: pd.DataFrame, *, name: str, max_bytes: int = 5_000_000) -> str:
    """An ``<a download>`` link carrying ``df`` as CSV in a ``data:`` URI (no JavaScript).

    Parameters
    ----------
    df : DataFrame
        The table; its index is written too unless it is a plain RangeIndex.
    name : str, keyword-only
        File name without ``.csv``; reduced to ``[A-Za-z0-9._-]`` (no paths).
    max_bytes : int, keyword-only
        Larger CSVs get a note instead of a link (reports stay small).

    Returns
    -------
    str
        An ``<a class="fl-download">`` element, or a ``<span class="fl-note">``.

    Examples
    --------
    >>> import pandas as pd
    >>> link = csv_download_link(pd.DataFrame({"a": [1, 2]}), name="../my table")
    >>> 'download="my_table.csv"' in link, "(2 rows)" in link
    (True, True)
    >>> "too large" in csv_download_link(pd.DataFrame({"a": [1, 2]}), name="t", max_bytes=1)
    True
    """
    buf = io.StringIO()
    df.to_csv(buf, index=not isinstance(df.index, pd.RangeIndex))
    data = buf.getvalue().encode("utf-8")
    fname = _safe_file_name(name) + ".csv"
    if len(data) > max_bytes:
        return (
            f'<span class="fl-note">{escape(fname)}: {len(data) / 1e6:.1f} MB, too large to embed; '
            "export it from the analysis tables instead.</span>"
        )
    b64 = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="fl-download" download="{escape(fname)}" '
        f'href="data:text/csv;charset=utf-8;base64,{b64}">Download {escape(fname)} '
        f"({len(df):,} rows)</a>"
    )


def _fmt_float(v: float) -> str:
    if v != v:  # NaN
        return ""
    if abs(v) >= 1e6:
        return f"{v:,.0f}"
    out = f"{v:,.3f}".rstrip("0").rstrip(".")  # 0.5, 316.5, 10 - at most 3 decimals
    return "0" if out in ("-0", "") else out


def table_html(
    df: pd.DataFrame,
    *,
    max_rows: int = 50,
    name: str | None = None,
    caption: str | None = None,
    download: bool = True,
    max_download_bytes: int = 5_000_000,
) -> str:
    """A table for reports: escaped cells and headers, at most ``max_rows`` rows shown,
    and (with ``name``) a CSV download of the *whole* table.

    Parameters
    ----------
    df : DataFrame
        The table; a non-RangeIndex is shown. Floats show at most 3 decimals.
    max_rows : int, keyword-only
        Rows shown (the rest is announced, and is in the download).
    name : str, optional, keyword-only
        CSV file name (without ``.csv``); no download link without it.
    caption : str, optional, keyword-only
        A bold caption above the table.
    download : bool, keyword-only
        Set False to omit the download link.
    max_download_bytes : int, keyword-only
        See :func:`csv_download_link`.

    Returns
    -------
    str
        ``<div class="fl-table-wrap">…</div>``.

    Examples
    --------
    >>> import pandas as pd
    >>> html = table_html(pd.DataFrame({"<x>": ["<script>"]}), name="t")
    >>> "<script>" in html, "download=\\"t.csv\\"" in html
    (False, True)
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"table_html expects a DataFrame, not {type(df).__name__}")
    if not isinstance(max_rows, int) or max_rows < 1:
        raise ValueError(f"max_rows must be a positive integer, not {max_rows!r}")
    shown = df.head(max_rows)
    show_index = not isinstance(df.index, pd.RangeIndex)
    # escape column labels ourselves (pandas escapes cells; labels may be MultiIndex)
    body = shown.rename(columns=lambda c: str(c)).to_html(
        index=show_index,
        escape=True,
        border=0,
        classes="fl-table dataframe",
        float_format=_fmt_float,
        na_rep="",
        max_cols=60,
    )
    parts = ['<div class="fl-table-wrap" style="overflow-x:auto;margin:6px 0">']
    if caption:
        parts.append(f"<p><strong>{escape(caption)}</strong></p>")
    parts.append(body)
    notes = []
    if len(df) > max_rows:
        notes.append(f"showing {max_rows:,} of {len(df):,} rows")
    elif len(df) == 0:
        notes.append("no rows")
    note = (
        f'<span class="fl-note" style="color:#555">{escape("; ".join(notes))}</span> '
        if notes
        else ""
    )
    link = (
        csv_download_link(df, name=name, max_bytes=max_download_bytes)
        if (download and name)
        else ""
    )
    if note or link:
        parts.append(f'<div style="font-size:90%;margin-top:2px">{note}{link}</div>')
    parts.append("</div>")
    return "".join(parts)


def show_table(
    df: pd.DataFrame,
    *,
    name: str,
    max_rows: int = 50,
    caption: str | None = None,
    download: bool = True,
) -> None:
    """Display :func:`table_html` of ``df`` with a CSV download named ``name``.csv.

    Parameters
    ----------
    df : DataFrame
    name : str, keyword-only
        Download file name (without ``.csv``).
    max_rows, caption, download
        As in :func:`table_html`.

    Returns
    -------
    None
        The table is shown with ``IPython.display``.

    Examples
    --------
    >>> import pandas as pd
    >>> show_table(pd.DataFrame({"outlet": ["A"], "documents": [3]}), name="docs")  # doctest: +SKIP
    """
    from IPython.display import HTML, display

    display(HTML(table_html(df, max_rows=max_rows, name=name, caption=caption, download=download)))


# --------------------------------------------------------------------------- key figures, sections
def _plain(v: Any) -> Any:
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, (int, str)) or v is None:
        return v
    return str(v)


def key_figures(figures: Mapping[str, Any], *, title: str = "Key figures", display: bool = True):
    """Show a small table of headline numbers and record them for the report index.

    The output carries the figures as JSON under the MIME type
    ``application/vnd.framelens.key-figures+json``; the runner reads it from the executed
    notebook and shows the figures in ``reports/index.html``.

    Parameters
    ----------
    figures : mapping
        name -> value (numbers or short strings), in display order; NumPy scalars become
        plain numbers, NaN/inf become ``None``.
    title : str, keyword-only
        Heading of the small table.
    display : bool, keyword-only
        Show the bundle (default) or return it.

    Returns
    -------
    dict or None
        The display bundle (``text/html``, ``text/plain`` and the key-figures JSON) when
        ``display=False``, else None.

    Raises
    ------
    ValueError
        When ``figures`` is empty or not a mapping.

    Examples
    --------
    >>> bundle = key_figures({"documents": 4, "quotes per 1,000 words": 3.25}, display=False)
    >>> bundle["application/vnd.framelens.key-figures+json"]["figures"]["documents"]
    4
    """
    if not isinstance(figures, Mapping) or not figures:
        raise ValueError("key_figures needs a non-empty mapping of name -> value")
    clean = {str(k): _plain(v) for k, v in figures.items()}

    def shown(v: Any) -> Any:
        if isinstance(v, float):
            return f"{v:,.3g}"
        if isinstance(v, int) and not isinstance(v, bool):
            return f"{v:,}"
        return v

    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:12px'>{escape(k)}</th>"
        f"<td style='text-align:right'>{escape(shown(v))}</td></tr>"
        for k, v in clean.items()
    )
    bundle = {
        "text/html": f'<div class="fl-key-figures"><strong>{escape(title)}</strong><table>{rows}</table></div>',
        "text/plain": json.dumps(clean, ensure_ascii=False),
        # notebooks are saved with sorted keys: "order" keeps the author's order
        KEY_FIGURES_MIME: {"title": str(title), "figures": clean, "order": list(clean)},
    }
    if not display:
        return bundle
    from IPython.display import display as _display

    _display(bundle, raw=True)
    return None


def section_html(title: str, *parts: str, level: int = 3) -> str:
    """A titled block: ``<section><hN>title</hN>…parts…</section>``.

    Parameters
    ----------
    title : str
        Heading text (escaped).
    *parts : str
        HTML fragments produced by these helpers (inserted as they are: never pass
        unescaped corpus text here).
    level : {2, 3, 4, 5}, keyword-only
        Heading level.

    Returns
    -------
    str

    Examples
    --------
    >>> section_html("A <b>", note_html("none"), level=4)
    '<section class="fl-section"><h4>A &lt;b&gt;</h4><p class="fl-note" style="color:#555"><em>none</em></p></section>'
    """
    if level not in (2, 3, 4, 5):
        raise ValueError("level must be 2, 3, 4 or 5")
    return f'<section class="fl-section"><h{level}>{escape(title)}</h{level}>{"".join(parts)}</section>'


def note_html(text: str) -> str:
    """A short escaped note (caveats, "nothing found" messages).

    Parameters
    ----------
    text : str
        The note (escaped).

    Returns
    -------
    str
        ``<p class="fl-note"><em>…</em></p>``.

    Examples
    --------
    >>> note_html("No quotes <here>.")
    '<p class="fl-note" style="color:#555"><em>No quotes &lt;here&gt;.</em></p>'
    """
    return f'<p class="fl-note" style="color:#555"><em>{escape(text)}</em></p>'
