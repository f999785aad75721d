"""Shared HTML helpers of every report: escaping, highlighted text, tables, sections.

Everything here returns HTML *strings* (wrap them in ``IPython.display.HTML`` to show
them) except :func:`show_table`, which displays directly. Every piece of text that may
come from a corpus — document text, titles, labels, tooltips, table cells, column
names, file names — goes through :func:`html.escape`, so a document containing
``<script>`` shows those characters instead of running them.

Highlighted text is :mod:`framelens.report.highlight`; colours and the figure style
live in :mod:`framelens.report.style`, key figures in :mod:`framelens.report.keyfigures`
(both re-exported here, so a notebook needs one ``from framelens.report import core as
viz`` for tables, notes, style and key figures).

Examples
--------
>>> import pandas as pd
>>> html = table_html(pd.DataFrame({"<x>": ["<script>"]}))
>>> "<script>" in html
False
>>> note_html("a <b>")
'<p class="fl-note" style="color:#555"><em>a &lt;b&gt;</em></p>'
"""

from __future__ import annotations

import base64
import html as _html
import io
import math
import re
from typing import Any

import pandas as pd

from framelens.report.keyfigures import KEY_FIGURES_MIME, key_figures
from framelens.report.style import (
    OKABE_ITO,
    PALETTE,
    TINTS,
    VERB_CLASS_COLORS,
    color_map,
    label_axes,
    new_axes,
    use_style,
)

__all__ = [
    "MISSING_GROUP",
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
    "table_html",
    "show_table",
    "csv_download_link",
    "csv_safe",
    "key_figures",
    "section_html",
    "note_html",
    "notes_html",
    "show",
    "KEY_FIGURES_MIME",
]

#: The group of documents with no value in the grouping column (every report).
MISSING_GROUP = "(missing)"


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


# --------------------------------------------------------------------------- tables
#: A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _neutral_cell(v: Any) -> Any:
    if isinstance(v, str) and v.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(v):
        return "'" + v
    return v


def _neutral_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_neutral_labels(lv) for lv in index.levels])
    if index.dtype == object or pd.api.types.is_string_dtype(index.dtype):
        return index.map(_neutral_cell)
    return index


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` safe to open in a spreadsheet: every text cell, column name and
    index label that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    gets a leading single quote (OWASP's advice against CSV formula injection), so a
    spreadsheet shows it as text instead of running it. Numbers - numeric columns, and
    text that is just a number such as ``"-5"`` - are left as they are.

    Parameters
    ----------
    df : DataFrame
        Any table; it is not modified.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> t = csv_safe(pd.DataFrame({"@x": ["=SUM(A1)", "-5", "ok"], "n": [-1, 2, 3]}))
    >>> t.columns.tolist(), t.iloc[:, 0].tolist(), t["n"].tolist()
    (["'@x", 'n'], ["'=SUM(A1)", '-5', 'ok'], [-1, 2, 3])
    """
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            out.isetitem(i, col.map(_neutral_cell, na_action="ignore").astype(col.dtype))
        elif isinstance(col.dtype, pd.CategoricalDtype):
            out.isetitem(i, col.cat.rename_categories(_neutral_labels(col.cat.categories)))
    out.columns = _neutral_labels(
        out.columns.map(str) if not isinstance(out.columns, pd.MultiIndex) else out.columns
    )
    out.index = _neutral_labels(out.index)
    return out


def _safe_file_name(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", str(name)).strip("._") or "table"
    return s[:100]


def csv_download_link(df: pd.DataFrame, *, name: str, max_bytes: int = 5_000_000) -> str:
    """An ``<a download>`` link carrying ``df`` as CSV in a ``data:`` URI (no JavaScript).

    Cells are made safe for spreadsheets first (:func:`csv_safe`: a text cell starting
    with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'``).

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
    # CRLF line ends (RFC 4180) also make the writer quote a cell holding a lone CR
    index = not isinstance(df.index, pd.RangeIndex)
    csv_safe(df).to_csv(buf, index=index, lineterminator="\r\n")
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
    >>> section_html("A <b>", "<p>x</p>", level=4)
    '<section class="fl-section"><h4>A &lt;b&gt;</h4><p>x</p></section>'
    """
    if level not in (2, 3, 4, 5):
        raise ValueError("level must be 2, 3, 4 or 5")
    head = f"<h{level}>{escape(title)}</h{level}>"
    return f'<section class="fl-section">{head}{"".join(parts)}</section>'


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


def notes_html(notes) -> str:
    """:func:`note_html` of each note of a sequence (``""`` for none).

    Examples
    --------
    >>> notes_html(["a", "b"]).count("fl-note"), notes_html(())
    (2, '')
    """
    return "".join(note_html(n) for n in notes)


def show(parts) -> None:
    """Display the parts a report section returns, in order: HTML strings as HTML,
    matplotlib Figures as images (then closed, so a cell shows each once).

    Section functions (``corpus.docs_over_time``, ``alignment.alignment_by_group`` ...)
    return such a list instead of drawing a figure that would have nothing to show:
    a corpus without dates gets a note, not an empty time axis.

    Parameters
    ----------
    parts : sequence of str or matplotlib.figure.Figure

    Returns
    -------
    None

    Examples
    --------
    >>> show([note_html("nothing to plot")])  # doctest: +SKIP
    """
    from IPython.display import HTML, display

    for part in parts:
        if isinstance(part, str):
            display(HTML(part))
        else:
            import matplotlib.pyplot as plt

            display(part)
            plt.close(part)
