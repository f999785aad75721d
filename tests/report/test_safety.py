"""Output safety of the report package: corpus text in figures is never mathtext, and
CSV downloads never start a cell with a spreadsheet formula character."""

from __future__ import annotations

import base64
import csv as csv_module
import io
import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from framelens.report import core as viz  # noqa: E402
from framelens.report import corpus as vc  # noqa: E402

EVIL = r"$\foo{$"


def _draw(fig) -> None:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")  # mathtext is parsed (and fails) at draw time
    plt.close(fig)


def test_the_report_style_draws_every_text_as_plain_text():
    viz.use_style()
    assert matplotlib.rcParams["text.parse_math"] is False


def test_a_figure_with_dollar_labels_draws_and_shows_them_verbatim():
    ax = viz.new_axes(figsize=(3, 2))
    ax.bar([EVIL, "b"], [1, 2], label=EVIL)
    ax.legend(title=EVIL)
    ax.text(0, 1, EVIL)
    viz.label_axes(ax, title=EVIL, xlabel=EVIL, ylabel=EVIL, source=EVIL)
    assert ax.get_title() == EVIL  # the label is kept; only its rendering is plain text
    _draw(ax.figure)


def test_corpus_report_figures_with_a_mathtext_outlet_draw():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "outlet": [EVIL, "$x$"],
            "date": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "words": [3, 4],
        }
    )
    _draw(vc.plot_docs_per_period(vc.docs_per_period(docs, by="outlet")).figure)
    _draw(vc.plot_lengths(docs, by="outlet").figure)
    mix = pd.DataFrame({"neutral": [1.0, 1.0]}, index=pd.Index([EVIL, "$x$"], name="outlet"))
    ax = vc.plot_verb_class_mix(mix)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert EVIL in labels
    _draw(ax.figure)


def _csv_of(html: str) -> str:
    m = re.search(r'base64,([^"]+)"', html)
    return base64.b64decode(m.group(1)).decode("utf-8")


def test_csv_cells_that_start_a_formula_are_neutralised():
    df = pd.DataFrame(
        {
            "text": ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "ok", None],
            "n": [1, -2, 3, -4, 5, 6, 7, 8],
            "x": [-1.5, 0.5, 1.0, 2.0, -3.0, 4.0, 5.0, 6.0],
        }
    )
    csv = _csv_of(viz.table_html(df, name="t"))
    rows = list(csv_module.reader(io.StringIO(csv, newline="")))
    back = pd.DataFrame(rows[1:], columns=rows[0])
    assert back["text"].tolist() == [
        "'=HYPERLINK(1)",
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "ok",
        "",
    ]
    assert back["n"].tolist() == ["1", "-2", "3", "-4", "5", "6", "7", "8"]  # numbers untouched
    assert back["x"].tolist() == ["-1.5", "0.5", "1.0", "2.0", "-3.0", "4.0", "5.0", "6.0"]


def test_csv_neutralises_headers_and_index_but_not_numbers_written_as_text():
    df = pd.DataFrame({"=cmd": ["-5", "-1.5e3", "=1"]}, index=pd.Index(["@a", "b", "c"], name="g"))
    csv = _csv_of(viz.csv_download_link(df, name="t"))
    rows = list(pd.read_csv(io.StringIO(csv), dtype=str).itertuples(index=False))
    assert csv.splitlines()[0] == "g,'=cmd"
    assert [tuple(r) for r in rows] == [("'@a", "-5"), ("b", "-1.5e3"), ("c", "'=1")]


def test_safe_csv_table_does_not_modify_its_input():
    df = pd.DataFrame({"a": ["=x"]})
    out = viz.csv_safe(df)
    assert df["a"].iloc[0] == "=x" and out["a"].iloc[0] == "'=x"


@pytest.mark.parametrize("cell", ["=1", "+x", "-y", "@z", "\tq", "\rq"])
def test_every_formula_start_is_covered(cell):
    assert viz.csv_safe(pd.DataFrame({"a": [cell]}))["a"].iloc[0] == "'" + cell
