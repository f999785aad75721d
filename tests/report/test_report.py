"""framelens.report.core: escaping, overlapping spans, tables with CSV download, key
figures, palette and style. Expected outputs are worked out by hand in the comments."""

from __future__ import annotations

import base64
import html
import re
import time

import numpy as np
import pandas as pd
import pytest

from framelens.report import core as viz
from framelens.report import highlight as hl

EVIL = '<script>alert(1)</script> <img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a>'


def _text_of(fragment: str) -> str:
    """The visible text of the highlighted part (tags removed, entities decoded)."""
    body = fragment[fragment.index('<div class="fl-text"') :]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def _spans(rows):
    return pd.DataFrame(rows, columns=["start", "end", "label"])


# ----------------------------------------------------------------------------- highlight
def test_highlight_escapes_text_labels_and_tooltips():
    text = f"Title {EVIL} end"
    spans = pd.DataFrame(
        {"start": [6], "end": [40], "label": ["<b>label</b>"], "tip": ['"><script>x']}
    )
    out = hl.highlight_html(text, spans, title_col="tip")
    assert "<script" not in out and "<img" not in out and "<a href" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert (
        'title="&lt;b&gt;label&lt;/b&gt;: &quot;&gt;&lt;script&gt;x"' in out
    )  # tooltip: label: tip
    assert "&lt;b&gt;label&lt;/b&gt;" in out
    assert _text_of(out) == text  # nothing lost, nothing added


def test_nested_and_overlapping_spans_split_at_every_boundary():
    text = "abcdefghij"
    # outer [0,6) "abcdef", inner [2,4) "cd", crossing [5,8) "fgh"
    # pieces: ab(outer) cd(outer+inner) e(outer) f(outer+crossing) gh(crossing) ij(none)
    out = hl.highlight_html(
        text, _spans([(0, 6, "outer"), (2, 4, "inner"), (5, 8, "cross")]), legend=False
    )
    marks = re.findall(r'<mark[^>]*data-label="([^"]+)"[^>]*>([^<]*)</mark>', out)
    assert marks == [
        ("outer", "ab"),
        ("inner", "cd"),
        ("outer", "e"),
        ("cross", "f"),
        ("cross", "gh"),
    ]
    assert _text_of(out) == text
    # a piece inside two spans carries both in its tooltip and an underline
    cd = re.search(r'<mark style="([^"]*)" title="([^"]*)" data-label="inner"', out)
    assert "border-bottom" in cd.group(1) and cd.group(2) == "outer; inner"


def test_bad_offsets_are_clipped_or_ignored():
    text = "hello world"
    spans = pd.DataFrame(
        {"start": [-5, 6, 8, None, 4], "end": [2, 99, 8, 3, 2], "label": ["a", "b", "c", "d", "e"]}
    )
    # a -> [0,2) "he"; b -> [6,11) "world"; c empty; d missing; e reversed: ignored
    out = hl.highlight_html(text, spans, legend=False)
    marks = re.findall(r'data-label="([^"]+)"[^>]*>([^<]*)</mark>', out)
    assert marks == [("a", "he"), ("b", "world")]
    assert _text_of(out) == text


def test_offset_maps_document_offsets_onto_a_piece():
    # the piece "world" starts at 6 in the document; the span [6, 9) is "wor"
    out = hl.highlight_html("world", _spans([(6, 9, "x")]), offset=6, legend=False)
    assert re.findall(r">([^<]*)</mark>", out) == ["wor"]


def test_highlight_without_spans_and_missing_columns():
    assert _text_of(hl.highlight_html("a < b", None)) == "a < b"
    assert _text_of(hl.highlight_html("a < b", _spans([]))) == "a < b"
    with pytest.raises(ValueError, match="no column"):
        hl.highlight_html("x", pd.DataFrame({"start": [0], "end": [1]}))


def test_legend_counts_and_colors():
    out = hl.highlight_html(
        "aa bb cc", _spans([(0, 2, "x"), (3, 5, "x"), (6, 8, "y")]), colors={"y": "#123456"}
    )
    assert "x (2)" in out and "y (1)" in out and "background:#123456" in out
    with pytest.raises(ValueError, match="CSS colour"):
        hl.highlight_html("aa", _spans([(0, 1, "x")]), colors={"x": "red;background:url(//evil)"})


def test_color_map_is_stable_and_colour_blind_safe():
    assert viz.color_map(["b", "a", "b"], tints=False) == {
        "a": viz.OKABE_ITO[0],
        "b": viz.OKABE_ITO[1],
    }
    assert viz.OKABE_ITO[:3] == ("#E69F00", "#56B4E9", "#009E73")
    assert len(set(viz.TINTS)) == 2 * len(viz.OKABE_ITO)  # 14 distinct highlight colours


def test_highlight_is_fast_on_many_spans():
    rng = np.random.default_rng(0)
    text = "word " * 40_000  # 200,000 characters
    s = rng.integers(0, len(text) - 40, 20_000)
    spans = pd.DataFrame(
        {
            "start": s,
            "end": s + rng.integers(1, 40, 20_000),
            "label": rng.choice(["A", "B", "C"], 20_000),
        }
    )
    t0 = time.perf_counter()
    out = hl.highlight_html(text, spans)
    assert time.perf_counter() - t0 < 3.0
    assert _text_of(out) == text


# ----------------------------------------------------------------------------- documents
def test_doc_text_html_escapes_metadata_and_links_only_http():
    docs = pd.DataFrame(
        {
            "doc_id": ["d<1>"],
            "text": [EVIL],
            "title": ["<script>alert('t')</script>"],
            "outlet": ["<i>Out</i>"],
            "date": [pd.Timestamp("2024-01-02")],
            "url": ["javascript:alert(1)"],
            "language": ["en"],
            "source": ["x"],
        }
    )
    out = hl.doc_text_html(docs, "d<1>", _spans([(0, 8, "tag")]))
    for bad in ("<script", "<img", "<i>", 'href="javascript', '<a href="javascript'):
        assert bad not in out
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in out and "2024-01-02" in out
    assert "javascript:alert(1)" in out  # shown as text, not as a link
    docs.loc[0, "url"] = "https://example.org/a?b=1&c=<2>"
    out = hl.doc_text_html(docs, "d<1>")
    assert '<a href="https://example.org/a?b=1&amp;c=&lt;2&gt;"' in out
    with pytest.raises(KeyError, match="not found"):
        hl.doc_text_html(docs, "nope")


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
    b = viz.key_figures(
        {"docs": np.int64(4), "rate": np.float64(0.5), "bad": float("nan"), "<b>": "<script>"},
        display=False,
    )
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
    assert (
        viz.section_html("<h1>", "<p>ok</p>")
        == '<section class="fl-section"><h3>&lt;h1&gt;</h3><p>ok</p></section>'
    )
    assert "&lt;script&gt;" in viz.note_html("<script>")


# ============================================================================= article report
# framelens.report.article / framelens.report.corpus: tiny hand-built tables (framelens.core.schema
# columns), expected values worked out by hand in the comments.
from framelens.core import schema  # noqa: E402
from framelens.errors import WorkbookError  # noqa: E402
from framelens.pipeline import Analysis  # noqa: E402
from framelens.report import article as va  # noqa: E402
from framelens.report import corpus as vc  # noqa: E402
from framelens.report import params  # noqa: E402

#          0         1         2         3
#          0123456789012345678901234567890123456
ATEXT = 'Ann said "<script>x</script>". Bob claimed it.'


def _article_analysis(text: str = ATEXT, *, sentiment: bool = True) -> Analysis:
    docs = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "text": [text, "Other."],
            "title": ["<T>", "U"],
            "outlet": ["X", None],
            "date": pd.to_datetime(["2024-01-05", None]),
            "url": ["", ""],
            "language": ["en", "en"],
            "source": ["s", "s"],
        }
    )
    sentences = pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d2"],
            "sent_id": [0, 1, 0],
            "para_id": [0, 0, 0],
            "start": [0, 31, 0],
            "end": [30, 46, 6],
            "text": [text[0:30], text[31:46], "Other."],
            "n_words": [8, 4, 2],
        }
    )
    quotes = pd.DataFrame(
        {
            "doc_id": ["d1", "d1"],
            "quote_id": [0, 1],
            "sent_id": [0, 1],
            "start": [10, 42],
            "end": [28, 45],
            "text": [text[10:28], "it"],
            "kind": ["direct", "indirect"],
            "speaker": ["Ann <A>", "Bob"],
            "speaker_surface": ["Ann", "Bob"],
            "speaker_start": pd.array([0, 31], dtype="Int64"),
            "speaker_end": pd.array([3, 34], dtype="Int64"),
            "speaker_actor": [None, None],
            "verb": ["said", "claimed"],
            "verb_class": ["neutral", "distancing"],
            "verb_start": pd.array([4, 35], dtype="Int64"),
            "verb_end": pd.array([8, 42], dtype="Int64"),
        }
    )
    segments = pd.DataFrame(
        {
            "doc_id": ["d1"] * 4,
            "start": [0, 9, 30, 42],
            "end": [9, 30, 42, 46],
            "voice": ["author", "quoted", "author", "reported"],
            "quote_id": pd.array([None, 0, None, 1], dtype="Int64"),
        }
    )
    matches = pd.DataFrame(
        {
            "doc_id": ["d1"] * 3,
            "sent_id": [0, 1, 1],
            "start": [10, 35, 35],
            "end": [18, 42, 42],
            "lexicon": ["lex", "lex", "lex"],
            "category": ["<c>", "doubt", "verbs"],
            "term": ["<script>", "claimed", "claimed"],
            "voice": ["quoted", "author", "author"],
            "weight": [1.0, 1.0, 1.0],
        }
    )
    problems = pd.DataFrame(
        {
            "source": ["s"],
            "record": ["1"],
            "doc_id": ["d1"],
            "severity": ["warning"],
            "code": ["unbalanced_quotes"],
            "message": ["<script>odd quote</script>"],
        }
    )
    tables = {
        "docs": docs,
        "sentences": sentences,
        "quotes": quotes,
        "segments": segments,
        "matches": matches,
        "problems": problems,
    }
    if sentiment:
        tables["sentiment"] = pd.DataFrame(
            {"doc_id": ["d1", "d1"], "sent_id": [0, 1], "compound": [0.3, -0.6]}
        )
    return Analysis(tables)


def test_article_parameters_and_figures():
    an = params.select(_article_analysis(), doc_id="d1").view()
    assert an.docs["doc_id"].tolist() == ["d1"] and len(an.quotes) == 2
    with pytest.raises(WorkbookError, match="valid ids include: d1, d2"):
        params.select(_article_analysis(), doc_id="nope")
    with pytest.raises(WorkbookError, match="non-empty string"):
        params.select(_article_analysis(), doc_id="")
    f = va.article_figures(an)
    # 46 characters; 8 + 4 = 12 words; 2 quotes per 12 words -> 166.67 per 1,000
    assert (f["characters"], f["words"], f["sentences"], f["quotations"]) == (46, 12, 2, 2)
    assert (
        f["quotes per 1,000 words"] == 166.67
        and f["lexicon matches"] == 3
        and f["input warnings"] == 1
    )
    assert va.summary_line(an) == (
        "d1: 46 characters, 2 sentences, 1 quoted passage, 2 quotations, 3 lexicon matches"
    )
    assert f["quoted passages"] == 1


def test_article_metadata_table():
    meta = va.metadata_table(_article_analysis().doc("d1").docs)
    assert meta.columns.tolist() == ["value"] and "text" not in meta.index
    assert meta.loc["date", "value"] == "2024-01-05" and meta.loc["title", "value"] == "<T>"
    assert "&lt;T&gt;" in viz.table_html(meta)  # escaped when shown


def test_sentence_table_tone_and_alternation():
    an = _article_analysis().doc("d1")
    s = va.sentence_table(an.sentences, an.sentiment)
    # 0.3 >= 0.05 -> positive; -0.6 <= -0.05 -> negative
    assert s["label"].tolist() == ["positive tone", "negative tone"]
    assert s["tip"].tolist() == ["sentence 0, compound 0.30", "sentence 1, compound -0.60"]
    html_ = va.sentences_html(an.docs, s)
    assert "<script" not in html_ and "background:#B3E2D5" in html_ and _text_of(html_) == ATEXT
    # a sentence without a score is neutral, not dropped
    s2 = va.sentence_table(an.sentences, an.sentiment.head(1))
    assert s2["label"].tolist() == ["positive tone", "neutral tone"] and s2["tip"][1].endswith(
        "n/a"
    )
    plain = va.sentence_table(an.sentences, None)
    assert (
        plain["label"].tolist() == ["sentence (even)", "sentence (odd)"] and "compound" not in plain
    )
    assert (
        an.sentences.columns.tolist() == schema.empty("sentences").columns.tolist()
    )  # not mutated


def test_quote_spans_verb_mix_and_escaping():
    an = _article_analysis().doc("d1")
    spans = va.quote_spans(an.quotes)
    # speakers "Ann" [0,3), "Bob" [31,34); verbs "said" [4,8), "claimed" [35,42)
    assert spans[["start", "end", "label"]].values.tolist() == [
        [0, 3, "speaker"],
        [31, 34, "speaker"],
        [4, 8, "verb: neutral"],
        [35, 42, "verb: distancing"],
    ]
    assert [ATEXT[s:e] for s, e in spans[["start", "end"]].values.tolist()] == [
        "Ann",
        "Bob",
        "said",
        "claimed",
    ]
    out = va.quotes_html(ATEXT, an.quotes)
    assert "<script" not in out and "quote 0: Ann &lt;A&gt;" in out and _text_of(out) == ATEXT
    mix = va.verb_mix(an.quotes)
    assert mix.index.name == "verb class" and mix["reporting verbs"].to_dict() == {
        "neutral": 1,
        "distancing": 1,
    }
    assert va.verb_mix(an.quotes.head(0)).empty
    import matplotlib

    matplotlib.use("Agg")
    ax = va.plot_verb_mix(mix)
    assert [p.get_width() for p in ax.patches] == [1.0, 1.0]
    assert ax.get_xlabel() == "reporting verbs"
    assert va.quote_table(an.quotes).columns[0] == "quote_id"


def test_voice_spans_and_shares():
    an = _article_analysis().doc("d1")
    v = va.voice_spans(an.segments)
    assert v.values.tolist() == [[9, 30, "quoted", "quote 0"], [42, 46, "reported", "quote 1"]]
    # author 9 + 12 = 21 of 46 = 0.457; quoted 21/46 = 0.457; reported 4/46 = 0.087
    shares = va.voice_shares(an.segments, text_length=46)["share of characters"].to_dict()
    assert shares == {"author": 0.457, "quoted": 0.457, "reported": 0.087}
    assert "<script" not in va.voice_html(ATEXT, an.segments)
    with pytest.raises(ValueError, match="text_length"):
        va.voice_shares(an.segments, text_length=-1)


def test_match_counts_and_problems_html():
    an = _article_analysis().doc("d1")
    counts = va.match_counts(an.matches)
    # lex/<c>: 1 quoted; lex/doubt: 1 author; lex/verbs: 1 author
    # ("claimed" counts once per category)
    assert counts.reset_index().values.tolist() == [
        ["lex", "<c>", 0, 1],
        ["lex", "doubt", 1, 0],
        ["lex", "verbs", 1, 0],
    ]
    assert va.match_counts(an.matches.head(0)).empty
    out = va.matches_html(ATEXT, an.matches)
    assert "<script" not in out and "&lt;c&gt;: &lt;script&gt; (quoted voice)" in out
    p = va.problems_html(an.problems, name="p")
    assert "<script" not in p and "&lt;script&gt;odd quote" in p and 'download="p.csv"' in p
    assert "No problems" in va.problems_html(an.problems.head(0))
    with pytest.raises(ValueError, match="no column"):
        va.quote_spans(an.matches)


# ============================================================================= corpus report
def _corpus_tables():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "text": ["aaaa", "bb", "<script>", ""],
            "title": ["A", "B", "<C>", "D"],
            "outlet": ["X", "X", "<Y>", None],
            "date": pd.to_datetime(["2024-01-31", "2024-02-01", "2024-01-15", None]),
        }
    )
    sentences = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "n_words": [600, 400, 500, 2000]})
    quotes = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "c"],
            "kind": ["direct", "indirect", "direct", "partial"],
            "verb_class": ["neutral", "distancing", None, "endorsing"],
        }
    )
    problems = pd.DataFrame(
        {
            "severity": ["error", "warning", "warning"],
            "code": ["bad", "q", "q"],
            "message": ["<script>", "m", "m"],
        }
    )
    return {"docs": docs, "sentences": sentences, "quotes": quotes, "problems": problems}


def test_corpus_group_col_is_checked_listing_valid_columns():
    an = Analysis({"docs": _corpus_tables()["docs"]})
    assert params.select(an, group_col="outlet").group_col == "outlet"
    with pytest.raises(
        WorkbookError,
        match=r"'nope' is not a docs column; choose one of \['doc_id', 'title', 'outlet', 'date'\]",
    ):
        params.select(an, group_col="nope")
    with pytest.raises(WorkbookError, match="text column"):
        params.select(an, group_col="text")


def test_corpus_doc_table_figures_and_periods():
    t = _corpus_tables()
    docs = vc.doc_table(t["docs"], t["sentences"])
    assert docs["words"].tolist() == [1000, 500, 2000, 0] and docs["characters"].tolist() == [
        4,
        2,
        8,
        0,
    ]
    assert "words" not in t["docs"]  # input not mutated
    f = vc.corpus_figures(t, by="outlet")
    # 3 groups (X, <Y>, (missing)); 4 quotes per 3,500 words = 1.14 per 1,000
    assert (f["documents"], f["outlet values"], f["words"], f["quotations"]) == (4, 3, 3500, 4)
    assert (f["quotes per 1,000 words"], f["input errors"], f["input warnings"]) == (1.14, 1, 2)
    per = vc.docs_per_period(docs, by="outlet", freq="M")
    # X: a (Jan), b (Feb); <Y>: c (Jan); (missing): d (no date)
    assert per.columns.tolist() == ["2024-01", "2024-02", "no date"] and per.columns.name == "month"
    assert per.to_dict("index") == {
        "(missing)": {"2024-01": 0, "2024-02": 0, "no date": 1},
        "<Y>": {"2024-01": 1, "2024-02": 0, "no date": 0},
        "X": {"2024-01": 1, "2024-02": 1, "no date": 0},
    }
    assert vc.docs_per_period(docs, by="outlet", freq="Y").columns.tolist() == ["2024", "no date"]
    # a month without documents is shown as a column of zeros (2024-01 .. 2024-04, gap in 02-03)
    gap = docs.assign(date=pd.to_datetime(["2024-01-31", "2024-04-01", "2024-01-15", None]))
    per_gap = vc.docs_per_period(gap, by="outlet")
    assert per_gap.columns.tolist() == ["2024-01", "2024-02", "2024-03", "2024-04", "no date"]
    assert per_gap.sum().tolist() == [2, 0, 0, 1, 1]
    assert vc.docs_per_period(gap, by="outlet", fill_gaps=False).columns.tolist() == [
        "2024-01",
        "2024-04",
        "no date",
    ]
    no_dates = vc.docs_per_period(docs.assign(date=pd.NaT), by="outlet")
    assert no_dates.columns.tolist() == ["no date"] and no_dates["no date"].sum() == 4
    with pytest.raises(ValueError, match="freq"):
        vc.docs_per_period(docs, by="outlet", freq="fortnight")
    import matplotlib

    matplotlib.use("Agg")
    ax = vc.plot_docs_per_period(per)
    assert len(ax.patches) == 9 and ax.get_xlabel() == "month"  # 3 groups x 3 periods
    assert "<script" not in viz.table_html(per)


def test_corpus_lengths_and_documents():
    t = _corpus_tables()
    docs = vc.doc_table(t["docs"], t["sentences"])
    lengths = vc.length_table(docs, by="outlet")
    # X: 1000 and 500 -> count 2, mean 750, min 500, median 750, max 1000
    assert lengths.loc["X"].tolist() == [2, 750.0, 500.0, 750.0, 1000.0]
    assert lengths.index.name == "outlet" and lengths["count"].dtype == "int64"
    with pytest.raises(ValueError, match="doc_table"):
        vc.length_table(t["docs"], by="outlet")
    import matplotlib

    matplotlib.use("Agg")
    ax = vc.plot_lengths(docs, by="outlet")
    assert [x.get_text() for x in ax.get_yticklabels()] == ["(missing)", "<Y>", "X"]
    lst = vc.document_table(docs, by="outlet")
    assert lst.columns.tolist() == ["doc_id", "outlet", "date", "title", "words", "characters"]
    assert "<script" not in viz.table_html(lst)


def test_corpus_problems_and_quoting_habits():
    t = _corpus_tables()
    assert vc.problem_summary(t["problems"]).values.tolist() == [
        ["error", "bad", 1],
        ["warning", "q", 2],
    ]
    out = vc.problems_html(t["problems"])
    assert "<script" not in out and "&lt;script&gt;" in out
    assert "No problems" in vc.problems_html(t["problems"].head(0))
    h = vc.quoting_habits(t, by="outlet")
    # X: 2 docs, 3 quotes / 1,500 words = 2.0 per 1,000;
    # kinds 2 direct + 1 indirect -> 0.667 / 0.333
    assert h.loc["X", ["documents", "quotations", "quotes per 1,000 words"]].tolist() == [2, 3, 2.0]
    assert h.loc["X", ["share direct", "share indirect", "share partial"]].tolist() == [
        0.667,
        0.333,
        0.0,
    ]
    # (missing): 1 doc, no quotes, 0 words -> rate 0 (words clipped at 1), shares empty
    assert h.loc["(missing)", ["documents", "quotations", "quotes per 1,000 words"]].tolist() == [
        1,
        0,
        0.0,
    ]
    assert h.loc["(missing)", ["share direct"]].isna().all()
    mix = vc.verb_class_mix(t, by="outlet")
    # X: neutral 1, distancing 1, no verb class 1 (counts as neutral) -> 2/3, 1/3;
    # <Y>: endorsing 1; (missing) has no quotes, so no row
    assert mix.columns.tolist() == ["neutral", "endorsing", "distancing", "guilt_implying"]
    assert mix.loc["X"].round(3).tolist() == [0.667, 0.0, 0.333, 0.0]
    assert mix.loc["<Y>"].tolist() == [0.0, 1.0, 0.0, 0.0]
    assert mix.index.tolist() == ["<Y>", "X"]
    import matplotlib

    matplotlib.use("Agg")
    ax = vc.plot_verb_class_mix(mix)
    assert len(ax.patches) == 8 and ax.get_xlim() == (0.0, 1.0)


def test_article_sections_work_for_a_document_without_title():
    # titles are optional metadata: a missing one (pd.NA) once made two sections raise
    # "boolean value of NA is ambiguous"
    import framelens
    import framelens.report.alignment
    import framelens.report.framing
    import framelens.report.neutrality

    docs = pd.DataFrame(
        {
            "doc_id": ["x"],
            "date": ["2024-10-20"],
            "text": [
                "Serbian President Aleksandar Vucic said Serbia will not join the sanctions "
                "against Russia despite <script>alert(1)</script> pressure from the EU."
            ],
        }
    )
    an = framelens.analyze(docs, use_cache=False)
    assert an.docs["title"].isna().all()
    for mod in (framelens.report.framing, framelens.report.neutrality, framelens.report.alignment):
        html = mod.article_section(an, "x").data
        assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_documents_over_time_with_a_wide_span_of_dates_stay_readable_and_fast():
    # before: one document dated 1900 among others in 2100 gave 2,412 monthly bars per
    # outlet: the corpus report of 30 documents took a minute and showed an unreadable axis
    from framelens.report import corpus as vc

    docs = pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(30)], "outlet": [f"O{i}" for i in range(30)],
         "date": pd.to_datetime(["1900-01-01", "2100-12-31", "2024-06-01"] * 10)}
    )  # fmt: skip
    t0 = time.perf_counter()
    parts = vc.docs_over_time(docs, by="outlet", freq="M")
    assert time.perf_counter() - t0 < 5
    table, fig, note = parts
    assert fig.axes[0].get_xlabel() == "year" and len(fig.axes[0].get_xticks()) == 3
    assert "1900-01-01 to 2100-12-31" in note and "empty years left out" in note
    recent = docs.assign(date=pd.to_datetime(["1970-01-01"] + ["2024-05-01"] * 29))
    assert vc.period_for(recent, freq="M")[:2] == ("Y", True)
    assert len(vc.docs_over_time(recent.iloc[1:], by="outlet")) == 2  # a normal span: no note
