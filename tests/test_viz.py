"""framelens.viz.core: escaping, overlapping spans, tables with CSV download, key
figures, palette and style. Expected outputs are worked out by hand in the comments."""

from __future__ import annotations

import base64
import html
import re
import time

import numpy as np
import pandas as pd
import pytest

from framelens.viz import core as viz

EVIL = "<script>alert(1)</script> <img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">x</a>"


def _text_of(fragment: str) -> str:
    """The visible text of the highlighted part (tags removed, entities decoded)."""
    body = fragment[fragment.index('<div class="fl-text"'):]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def _spans(rows):
    return pd.DataFrame(rows, columns=["start", "end", "label"])


# ----------------------------------------------------------------------------- highlight
def test_highlight_escapes_text_labels_and_tooltips():
    text = f"Title {EVIL} end"
    spans = pd.DataFrame({"start": [6], "end": [40], "label": ["<b>label</b>"], "tip": ['"><script>x']})
    out = viz.highlight_html(text, spans, title_col="tip")
    assert "<script" not in out and "<img" not in out and "<a href" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert 'title="&lt;b&gt;label&lt;/b&gt;: &quot;&gt;&lt;script&gt;x"' in out  # tooltip: label: tip
    assert "&lt;b&gt;label&lt;/b&gt;" in out
    assert _text_of(out) == text  # nothing lost, nothing added


def test_nested_and_overlapping_spans_split_at_every_boundary():
    text = "abcdefghij"
    # outer [0,6) "abcdef", inner [2,4) "cd", crossing [5,8) "fgh"
    # pieces: ab(outer) cd(outer+inner) e(outer) f(outer+crossing) gh(crossing) ij(none)
    out = viz.highlight_html(text, _spans([(0, 6, "outer"), (2, 4, "inner"), (5, 8, "cross")]),
                             legend=False)
    marks = re.findall(r'<mark[^>]*data-label="([^"]+)"[^>]*>([^<]*)</mark>', out)
    assert marks == [("outer", "ab"), ("inner", "cd"), ("outer", "e"), ("cross", "f"), ("cross", "gh")]
    assert _text_of(out) == text
    # a piece inside two spans carries both in its tooltip and an underline
    cd = re.search(r'<mark style="([^"]*)" title="([^"]*)" data-label="inner"', out)
    assert "border-bottom" in cd.group(1) and cd.group(2) == "outer; inner"


def test_bad_offsets_are_clipped_or_ignored():
    text = "hello world"
    spans = pd.DataFrame({"start": [-5, 6, 8, None, 4], "end": [2, 99, 8, 3, 2], "label": ["a", "b", "c", "d", "e"]})
    # a -> [0,2) "he"; b -> [6,11) "world"; c empty; d missing; e reversed: ignored
    out = viz.highlight_html(text, spans, legend=False)
    marks = re.findall(r'data-label="([^"]+)"[^>]*>([^<]*)</mark>', out)
    assert marks == [("a", "he"), ("b", "world")]
    assert _text_of(out) == text


def test_offset_maps_document_offsets_onto_a_piece():
    # the piece "world" starts at 6 in the document; the span [6, 9) is "wor"
    out = viz.highlight_html("world", _spans([(6, 9, "x")]), offset=6, legend=False)
    assert re.findall(r">([^<]*)</mark>", out) == ["wor"]


def test_highlight_without_spans_and_missing_columns():
    assert _text_of(viz.highlight_html("a < b", None)) == "a < b"
    assert _text_of(viz.highlight_html("a < b", _spans([]))) == "a < b"
    with pytest.raises(ValueError, match="no column"):
        viz.highlight_html("x", pd.DataFrame({"start": [0], "end": [1]}))


def test_legend_counts_and_colors():
    out = viz.highlight_html("aa bb cc", _spans([(0, 2, "x"), (3, 5, "x"), (6, 8, "y")]),
                             colors={"y": "#123456"})
    assert "x (2)" in out and "y (1)" in out and "background:#123456" in out
    with pytest.raises(ValueError, match="CSS colour"):
        viz.highlight_html("aa", _spans([(0, 1, "x")]), colors={"x": "red;background:url(//evil)"})


def test_color_map_is_stable_and_colour_blind_safe():
    assert viz.color_map(["b", "a", "b"], tints=False) == {"a": viz.OKABE_ITO[0], "b": viz.OKABE_ITO[1]}
    assert viz.OKABE_ITO[:3] == ("#E69F00", "#56B4E9", "#009E73")
    assert len(set(viz.TINTS)) == 2 * len(viz.OKABE_ITO)  # 14 distinct highlight colours


def test_highlight_is_fast_on_many_spans():
    rng = np.random.default_rng(0)
    text = "word " * 40_000  # 200,000 characters
    s = rng.integers(0, len(text) - 40, 20_000)
    spans = pd.DataFrame({"start": s, "end": s + rng.integers(1, 40, 20_000),
                          "label": rng.choice(["A", "B", "C"], 20_000)})
    t0 = time.perf_counter()
    out = viz.highlight_html(text, spans)
    assert time.perf_counter() - t0 < 3.0
    assert _text_of(out) == text


# ----------------------------------------------------------------------------- documents
def test_doc_text_html_escapes_metadata_and_links_only_http():
    docs = pd.DataFrame({
        "doc_id": ["d<1>"], "text": [EVIL], "title": ["<script>alert('t')</script>"],
        "outlet": ["<i>Out</i>"], "date": [pd.Timestamp("2024-01-02")], "url": ["javascript:alert(1)"],
        "language": ["en"], "source": ["x"],
    })
    out = viz.doc_text_html(docs, "d<1>", _spans([(0, 8, "tag")]))
    for bad in ("<script", "<img", "<i>", 'href="javascript', "<a href=\"javascript"):
        assert bad not in out
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in out and "2024-01-02" in out
    assert "javascript:alert(1)" in out  # shown as text, not as a link
    docs.loc[0, "url"] = "https://example.org/a?b=1&c=<2>"
    out = viz.doc_text_html(docs, "d<1>")
    assert '<a href="https://example.org/a?b=1&amp;c=&lt;2&gt;"' in out
    with pytest.raises(KeyError, match="not found"):
        viz.doc_text_html(docs, "nope")


# ----------------------------------------------------------------------------- tables
def test_table_html_escapes_and_offers_the_whole_table_as_csv():
    df = pd.DataFrame({"<th>": [EVIL, "b", "c"], "n": [1.5, 2.0, np.nan]})
    out = viz.table_html(df, max_rows=2, name="../my table", caption="<cap>")
    assert "<script" not in out and "<th>&lt;th&gt;</th>" in out  # header escaped too
    assert "&lt;cap&gt;" in out and "showing 2 of 3 rows" in out
    m = re.search(r'download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([^"]+)"', out)
    assert m.group(1) == "my_table.csv"  # no path in the file name
    csv = base64.b64decode(m.group(2)).decode("utf-8")
    assert pd.read_csv(pd.io.common.StringIO(csv)).shape == (3, 2)  # all rows, not only the shown
    assert "<script>alert(1)</script>" in csv  # CSV keeps the data verbatim
    with pytest.raises(ValueError, match="max_rows"):
        viz.table_html(df, max_rows=0)


def test_table_html_size_limit_and_empty():
    big = pd.DataFrame({"x": ["y" * 100] * 100})
    assert "too large to embed" in viz.table_html(big, name="big", max_download_bytes=1000)
    assert "no rows" in viz.table_html(big.head(0), name="none")


# ----------------------------------------------------------------------------- key figures, style
def test_key_figures_bundle_is_json_and_escaped():
    b = viz.key_figures({"docs": np.int64(4), "rate": np.float64(0.5), "bad": float("nan"),
                         "<b>": "<script>"}, display=False)
    rec = b[viz.KEY_FIGURES_MIME]
    assert rec["figures"] == {"docs": 4, "rate": 0.5, "bad": None, "<b>": "<script>"}
    assert "<script>" not in b["text/html"] and "&lt;b&gt;" in b["text/html"]
    with pytest.raises(ValueError):
        viz.key_figures({}, display=False)


def test_use_style_and_label_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    viz.use_style()
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][:2] == ["#E69F00", "#56B4E9"]
    fig, ax = plt.subplots()
    viz.label_axes(ax, title="T", xlabel="x", ylabel="y")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "x", "y")
    with pytest.raises(ValueError, match="ylabel"):
        viz.label_axes(ax, title="T", xlabel="x", ylabel="")
    plt.close(fig)


def test_section_and_note_escape():
    assert viz.section_html("<h1>", "<p>ok</p>") == '<section class="fl-section"><h3>&lt;h1&gt;</h3><p>ok</p></section>'
    assert "&lt;script&gt;" in viz.note_html("<script>")
