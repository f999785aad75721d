"""Tables, highlighted text and figures of the one-article report (``notebooks/article.ipynb``).

Each function takes the tidy tables of an analysis (see :mod:`framelens.core.schema`) —
usually of a one-document view ``analysis.doc(doc_id)`` — and returns a DataFrame, an
HTML string (built with :func:`framelens.report.core.highlight_html`, so every piece of
corpus text is escaped) or a matplotlib Axes. Nothing is displayed here and no input is
modified; the notebook only calls these functions and shows what they return.

Examples
--------
>>> import pandas as pd
>>> quotes = pd.DataFrame({"quote_id": [0, 1], "verb_class": ["neutral", "distancing"]})
>>> verb_mix(quotes)["reporting verbs"].tolist()
[1, 1]
>>> an = framelens.pipeline.open_analysis("../data/sample")            # doctest: +SKIP
>>> one = an.doc("000_fbaa5b5f07ee96ab")                               # doctest: +SKIP
>>> html = quotes_html(one.docs["text"].iloc[0], one.quotes)           # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from framelens.measures import neutrality as nt
from framelens.report.core import (
    VERB_CLASS_COLORS,
    label_axes,
    new_axes,
    note_html,
    table_html,
)
from framelens.report.highlight import doc_text_html, highlight_html
from framelens.report.quote_units import quote_counts

__all__ = [
    "TONE_COLORS",
    "VOICE_COLORS",
    "summary_line",
    "metadata_table",
    "article_figures",
    "sentence_table",
    "sentences_html",
    "quote_spans",
    "quotes_html",
    "quote_table",
    "verb_mix",
    "plot_verb_mix",
    "voice_spans",
    "voice_html",
    "voice_shares",
    "match_spans",
    "matches_html",
    "match_counts",
    "problems_html",
]

#: Sentence shading by VADER tone (light tints of Okabe–Ito bluish green / vermillion, grey).
TONE_COLORS: dict[str, str] = {
    "positive tone": "#B3E2D5",
    "negative tone": "#F2C9B0",
    "neutral tone": "#E6E6E6",
}
#: Highlight colours of the non-author voices (author text stays unmarked).
VOICE_COLORS: dict[str, str] = {"quoted": "#CDE6F6", "reported": "#FAE8B0"}


def _need(df: pd.DataFrame, cols, what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} must be a DataFrame, not {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(
            f"{what} has no column(s) {missing}; columns: {list(df.columns)} "
            f"(pass the {what} table of an analysis, see framelens.core.schema)"
        )


def _str(s: pd.Series, fill: str = "") -> pd.Series:
    """Strings with missing values replaced by ``fill`` (object dtype, for concatenation)."""
    return s.astype("string").fillna(fill).astype(str)


def _tables(analysis: Any) -> Mapping[str, pd.DataFrame]:
    tables = getattr(analysis, "tables", analysis)
    if not isinstance(tables, Mapping) or "docs" not in tables:
        raise TypeError(
            "expected an Analysis (or a mapping of table name -> DataFrame with 'docs')"
        )
    return tables


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- header
def summary_line(analysis: Any) -> str:
    """One line saying what the (one-document) analysis holds.

    Examples
    --------
    >>> from framelens.pipeline import Analysis
    >>> an = Analysis({"docs": pd.DataFrame({"doc_id": ["a"], "text": ["Hi there."]})})
    >>> summary_line(an)
    'a: 9 characters, 0 sentences, 0 quoted passages, 0 quotations, 0 lexicon matches'
    """
    t = _tables(analysis)
    docs = t["docs"]
    ids = ", ".join(docs["doc_id"].astype(str).tolist())
    n_chars = int(docs["text"].astype("string").str.len().fillna(0).sum())
    n = {k: len(t[k]) if k in t else 0 for k in ("sentences", "matches")}
    q = quote_counts(t.get("quotes"))
    return (
        f"{ids}: {n_chars:,} characters, {n['sentences']} sentences, "
        f"{_count(q['quoted passages'], 'quoted passage')}, "
        f"{_count(q['quotations'], 'quotation')}, "
        f"{n['matches']} lexicon matches"
    )


def metadata_table(docs: pd.DataFrame) -> pd.DataFrame:
    """The documents' metadata (every column but ``text``) as strings, one row per field.

    Parameters
    ----------
    docs : DataFrame
        A docs table; usually one document.

    Returns
    -------
    DataFrame
        Index: field names; one column per document, called ``value`` for a single
        document (else the doc ids). Dates as ``YYYY-MM-DD``; missing values empty.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["…"], "date": [pd.Timestamp("2024-03-01")]})
    >>> metadata_table(docs)["value"].tolist()
    ['a', '2024-03-01']
    """
    _need(docs, ["doc_id"], "docs")
    meta = docs.drop(columns=[c for c in ("text",) if c in docs.columns])
    if "date" in meta.columns:
        meta = meta.assign(
            date=pd.to_datetime(meta["date"], errors="coerce").dt.strftime("%Y-%m-%d")
        )
    meta = meta.astype("string").fillna("")
    out = meta.T
    out.columns = ["value"] if len(meta) == 1 else meta["doc_id"].astype(str).tolist()
    return out


def article_figures(analysis: Any) -> dict[str, Any]:
    """Headline numbers of one document for :func:`framelens.report.core.key_figures`.

    *Words* are :mod:`framelens.core.tokens` words (``sentences.n_words`` summed).
    Quotations are counted in both units of :mod:`framelens.report.quote_units`:
    *quoted passages* (outermost quotation-mark spans) and *quotations* (attributed
    quote rows: an indirect quote and a partial quote inside it are two).

    Examples
    --------
    >>> from framelens.pipeline import Analysis
    >>> s = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [0], "end": [9],
    ...                   "text": ["Hi there."], "n_words": [2]})
    >>> an = Analysis({"docs": pd.DataFrame({"doc_id": ["a"], "text": ["Hi there."]}),
    ...                "sentences": s})
    >>> article_figures(an)["words"], article_figures(an)["quotes per 1,000 words"]
    (2, 0.0)
    """
    t = _tables(analysis)
    n_words = int(t["sentences"]["n_words"].sum()) if "sentences" in t else 0
    q = quote_counts(t.get("quotes"))
    n_quotes = q["quotations"]
    return {
        "characters": int(t["docs"]["text"].astype("string").str.len().fillna(0).sum()),
        "words": n_words,
        "sentences": len(t["sentences"]) if "sentences" in t else 0,
        "quoted passages": q["quoted passages"],
        "quotations": n_quotes,
        "quotes per 1,000 words": round(1000 * n_quotes / max(n_words, 1), 2),
        "lexicon matches": len(t["matches"]) if "matches" in t else 0,
        "input warnings": len(t["problems"]) if "problems" in t else 0,
    }


# --------------------------------------------------------------------------- sentences
def sentence_table(sentences: pd.DataFrame, sentiment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sentences with a highlight label and tooltip, shaded by tone when there is sentiment.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table of one document.
    sentiment : DataFrame, optional
        The ``sentiment`` table (``sent_id``, ``compound``); ``None`` or empty when the
        analysis ran without sentiment.

    Returns
    -------
    DataFrame
        ``sent_id, start, end, n_words, text`` (+ ``compound``), ``label`` and ``tip``.
        With sentiment the label is the tone by VADER's thresholds (``compound >= 0.05``
        positive, ``<= -0.05`` negative, else neutral — also when a sentence has no
        score); without it sentences alternate between "sentence (even)" and
        "sentence (odd)" so their boundaries stay visible.

    Examples
    --------
    >>> s = pd.DataFrame({"sent_id": [0, 1], "start": [0, 4], "end": [3, 8],
    ...                   "n_words": [1, 1], "text": ["Yes", "No."]})
    >>> sentence_table(s)["label"].tolist()
    ['sentence (even)', 'sentence (odd)']
    >>> tone = pd.DataFrame({"sent_id": [0, 1], "compound": [0.4, -0.05]})
    >>> sentence_table(s, tone)[["label", "tip"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['positive tone', 'sentence 0, compound 0.40'],
     ['negative tone', 'sentence 1, compound -0.05']]
    """
    cols = ["sent_id", "start", "end", "n_words", "text"]
    _need(sentences, cols, "sentences")
    out = sentences[cols].reset_index(drop=True).copy()
    ids = out["sent_id"].astype(str)
    if sentiment is not None and len(sentiment):
        _need(sentiment, ["sent_id", "compound"], "sentiment")
        tone = sentiment[["sent_id", "compound"]].drop_duplicates("sent_id")
        out = out.merge(tone, on="sent_id", how="left")
        c = pd.to_numeric(out["compound"], errors="coerce").to_numpy(dtype=float)
        out["label"] = np.select(
            [c >= 0.05, c <= -0.05], ["positive tone", "negative tone"], "neutral tone"
        )
        shown = ["n/a" if np.isnan(v) else f"{v:.2f}" for v in c]
        out["tip"] = (
            "sentence " + ids + ", compound " + pd.Series(shown, index=out.index)
        ).tolist()
    else:
        out["label"] = np.where(
            out["sent_id"].to_numpy() % 2 == 0, "sentence (even)", "sentence (odd)"
        )
        out["tip"] = ("sentence " + ids).tolist()
    return out


def sentences_html(docs: pd.DataFrame, sents: pd.DataFrame, *, doc_id: str | None = None) -> str:
    """The document with its sentences shaded by :func:`sentence_table`'s labels (escaped HTML).

    ``docs`` is the docs table (``doc_id`` picks the row; default: the first one).
    Tone labels get :data:`TONE_COLORS`; alternating labels get palette tints.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["<b>Yes</b> No."]})
    >>> s = pd.DataFrame({"sent_id": [0], "start": [0], "end": [10], "n_words": [2], "text": ["x"]})
    >>> out = sentences_html(docs, sentence_table(s))
    >>> "<b>" in out, out.count("<mark")
    (False, 1)
    """
    _need(docs, ["doc_id", "text"], "docs")
    _need(sents, ["start", "end", "label", "tip"], "sents")
    doc_id = str(docs["doc_id"].iloc[0]) if doc_id is None else doc_id
    tone = sents["label"].astype(str).isin(list(TONE_COLORS)).any()
    return doc_text_html(
        docs,
        doc_id,
        sents,
        label_col="label",
        title_col="tip",
        colors=TONE_COLORS if tone else None,
    )


# --------------------------------------------------------------------------- quotations
def quote_spans(quotes: pd.DataFrame) -> pd.DataFrame:
    """Highlight spans of the speakers and reporting verbs of quotations.

    Parameters
    ----------
    quotes : DataFrame
        The ``quotes`` table.

    Returns
    -------
    DataFrame
        ``start, end, label, tip``: one ``speaker`` row per quotation with a located
        speaker (tip ``quote <id>: <speaker>``), then one ``verb: <class>`` row per
        quotation with a located verb (tip ``quote <id>: <verb>``).

    Examples
    --------
    >>> q = pd.DataFrame({"quote_id": [0, 1], "speaker": ["Ann", None],
    ...                   "speaker_start": [0, None], "speaker_end": [3, None],
    ...                   "verb": ["said", "claimed"], "verb_class": ["neutral", "distancing"],
    ...                   "verb_start": [4, 20], "verb_end": [8, 27]})
    >>> quote_spans(q).values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [[0, 3, 'speaker', 'quote 0: Ann'], [4, 8, 'verb: neutral', 'quote 0: said'],
     [20, 27, 'verb: distancing', 'quote 1: claimed']]
    """
    cols = [
        "quote_id",
        "speaker",
        "speaker_start",
        "speaker_end",
        "verb",
        "verb_class",
        "verb_start",
        "verb_end",
    ]
    _need(quotes, cols, "quotes")
    qid = "quote " + _str(quotes["quote_id"], "-") + ": "
    parts = []
    for kind, s_col, e_col in (
        ("speaker", "speaker_start", "speaker_end"),
        ("verb", "verb_start", "verb_end"),
    ):
        ok = (quotes[s_col].notna() & quotes[e_col].notna()).to_numpy()
        sub = quotes[ok]
        if kind == "speaker":
            label = pd.Series("speaker", index=sub.index)
            tip = qid[ok] + _str(sub["speaker"], "?")
        else:
            label = "verb: " + _str(sub["verb_class"], "?")
            tip = qid[ok] + _str(sub["verb"], "?")
        parts.append(
            pd.DataFrame(
                {
                    "start": pd.to_numeric(sub[s_col]).astype("int64").to_numpy(),
                    "end": pd.to_numeric(sub[e_col]).astype("int64").to_numpy(),
                    "label": label.to_numpy(dtype=object),
                    "tip": tip.to_numpy(dtype=object),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def quotes_html(text: str, quotes: pd.DataFrame) -> str:
    """``text`` with the speakers and reporting verbs of :func:`quote_spans` highlighted.

    Examples
    --------
    >>> q = pd.DataFrame({"quote_id": [0], "speaker": ["<script>"], "speaker_start": [0],
    ...                   "speaker_end": [3], "verb": [None], "verb_class": [None],
    ...                   "verb_start": [None], "verb_end": [None]})
    >>> out = quotes_html("Ann <script>", q)
    >>> "<script>" in out, out.count("<mark")
    (False, 1)
    """
    return highlight_html(
        text, quote_spans(quotes), title_col="tip", legend_title="Speakers and reporting verbs"
    )


def quote_table(quotes: pd.DataFrame) -> pd.DataFrame:
    """The quotation columns a reader needs: id, kind, speaker (resolved and as written),
    verb and class, quoted text and offsets.

    Examples
    --------
    >>> from framelens.core import schema
    >>> list(quote_table(schema.empty("quotes")).columns)[:4]
    ['quote_id', 'kind', 'speaker', 'speaker_surface']
    """
    cols = [
        "quote_id",
        "kind",
        "speaker",
        "speaker_surface",
        "verb",
        "verb_class",
        "text",
        "start",
        "end",
    ]
    _need(quotes, cols, "quotes")
    return quotes[cols].reset_index(drop=True)


def verb_mix(quotes: pd.DataFrame) -> pd.DataFrame:
    """Reporting verbs per verb class, by the one verb-mix definition of every report
    (:func:`framelens.measures.neutrality.attribution`: each reporting verb counted once,
    a quote without a verb class counted as neutral).

    Returns
    -------
    DataFrame
        Index ``verb class`` in :data:`framelens.measures.neutrality.VERB_CLASSES`
        order, classes without a verb left out; one column ``reporting verbs``.

    Examples
    --------
    >>> q = pd.DataFrame({"verb_class": ["distancing", "neutral", None, "neutral"]})
    >>> verb_mix(q)["reporting verbs"].to_dict()
    {'neutral': 3, 'distancing': 1}
    """
    _need(quotes, ["verb_class"], "quotes")
    a = nt.attribution(quotes.assign(_all=""), by=["_all"])
    counts = a.set_index(a["verb_class"].astype(str))["n"].astype("int64")
    out = counts[counts > 0].rename("reporting verbs").to_frame()
    return out.rename_axis("verb class")


def plot_verb_mix(
    mix: pd.DataFrame, *, ax=None, title: str = "Reporting-verb classes in this article"
):
    """Horizontal bars of :func:`verb_mix`, one colour per verb class (the same in every report).

    Returns the matplotlib Axes.

    Examples
    --------
    >>> ax = plot_verb_mix(verb_mix(pd.DataFrame({"verb_class": ["neutral", "endorsing"]})))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['neutral', 'endorsing']
    """
    _need(mix, ["reporting verbs"], "mix")
    ax = new_axes(ax, figsize=(6, 2.8))
    labels = mix.index.astype(str).tolist()
    ax.barh(
        labels,
        mix["reporting verbs"].to_numpy(),
        color=[VERB_CLASS_COLORS.get(c, "#777777") for c in labels],
    )
    ax.invert_yaxis()
    return label_axes(ax, title=title, xlabel="reporting verbs", ylabel="verb class")


# --------------------------------------------------------------------------- voice
def voice_spans(segments: pd.DataFrame) -> pd.DataFrame:
    """The quoted and reported segments as highlight spans (author text left out).

    Returns ``start, end, label`` (the voice) and ``tip`` (``quote <id>``).

    Examples
    --------
    >>> seg = pd.DataFrame({"start": [0, 5, 9], "end": [5, 9, 12],
    ...                     "voice": ["author", "quoted", "reported"], "quote_id": [None, 0, 1]})
    >>> voice_spans(seg).values.tolist()
    [[5, 9, 'quoted', 'quote 0'], [9, 12, 'reported', 'quote 1']]
    """
    _need(segments, ["start", "end", "voice", "quote_id"], "segments")
    voice = _str(segments["voice"])
    sub = segments[(voice != "author").to_numpy()]
    qid = pd.to_numeric(sub["quote_id"], errors="coerce").astype("Int64")
    return pd.DataFrame(
        {
            "start": sub["start"].astype("int64").to_numpy(),
            "end": sub["end"].astype("int64").to_numpy(),
            "label": _str(sub["voice"]).to_numpy(dtype=object),
            "tip": ("quote " + _str(qid, "-")).to_numpy(dtype=object),
        }
    )


def voice_html(text: str, segments: pd.DataFrame) -> str:
    """``text`` with quoted and reported passages highlighted (:data:`VOICE_COLORS`)."""
    return highlight_html(
        text,
        voice_spans(segments),
        title_col="tip",
        colors=VOICE_COLORS,
        legend_title="Voice (author text is not highlighted)",
    )


def voice_shares(segments: pd.DataFrame, *, text_length: int) -> pd.DataFrame:
    """Share of the text's characters in each voice.

    Parameters
    ----------
    segments : DataFrame
        The ``segments`` table of one document (its segments partition the text).
    text_length : int, keyword-only
        Characters in the document.

    Returns
    -------
    DataFrame
        Index ``voice`` (sorted), column ``share of characters`` rounded to 3 decimals.

    Examples
    --------
    >>> seg = pd.DataFrame({"start": [0, 6], "end": [6, 8], "voice": ["author", "quoted"]})
    >>> voice_shares(seg, text_length=8)["share of characters"].to_dict()
    {'author': 0.75, 'quoted': 0.25}
    """
    _need(segments, ["start", "end", "voice"], "segments")
    if not isinstance(text_length, (int, np.integer)) or text_length < 0:
        raise ValueError(f"text_length must be a non-negative integer, not {text_length!r}")
    length = (segments["end"] - segments["start"]).astype("int64")
    share = length.groupby(_str(segments["voice"]).to_numpy()).sum() / max(int(text_length), 1)
    return share.round(3).rename("share of characters").rename_axis("voice").to_frame()


# --------------------------------------------------------------------------- lexicon matches
def match_spans(matches: pd.DataFrame) -> pd.DataFrame:
    """Lexicon matches as highlight spans: label = lexicon, tip = ``category: term (voice voice)``.

    Examples
    --------
    >>> m = pd.DataFrame({"start": [0], "end": [4], "lexicon": ["frames"], "category": ["Economic"],
    ...                   "term": ["cost"], "voice": ["author"]})
    >>> match_spans(m)["tip"].tolist()
    ['Economic: cost (author voice)']
    """
    _need(matches, ["start", "end", "lexicon", "category", "term", "voice"], "matches")
    tip = (
        _str(matches["category"])
        + ": "
        + _str(matches["term"])
        + " ("
        + _str(matches["voice"])
        + " voice)"
    )
    return pd.DataFrame(
        {
            "start": matches["start"].to_numpy(),
            "end": matches["end"].to_numpy(),
            "label": _str(matches["lexicon"]).to_numpy(dtype=object),
            "tip": tip.to_numpy(dtype=object),
        }
    )


def matches_html(text: str, matches: pd.DataFrame) -> str:
    """``text`` with the lexicon matches of :func:`match_spans` highlighted, coloured by lexicon."""
    return highlight_html(text, match_spans(matches), title_col="tip", legend_title="Lexicons")


def match_counts(matches: pd.DataFrame) -> pd.DataFrame:
    """Matches per lexicon and category (rows) and voice (columns).

    A term in several categories is one row per category in ``matches``, so it counts
    once per category.

    Examples
    --------
    >>> m = pd.DataFrame({"lexicon": ["f", "f", "f"], "category": ["A", "A", "B"],
    ...                   "voice": ["author", "quoted", "author"]})
    >>> match_counts(m).reset_index().values.tolist()
    [['f', 'A', 1, 1], ['f', 'B', 1, 0]]
    """
    _need(matches, ["lexicon", "category", "voice"], "matches")
    keys = [_str(matches[c]).rename(c) for c in ("lexicon", "category", "voice")]
    if not len(matches):
        idx = pd.MultiIndex.from_arrays([[], []], names=["lexicon", "category"])
        return pd.DataFrame(index=idx, columns=pd.Index([], name="voice"), dtype="int64")
    return matches.groupby(keys).size().unstack(fill_value=0)


# --------------------------------------------------------------------------- problems
def problems_html(problems: pd.DataFrame, *, name: str = "problems") -> str:
    """The input problems of a document as a table (CSV download ``name``), or a note that
    there are none.

    Examples
    --------
    >>> from framelens.core import schema
    >>> problems_html(schema.empty("problems"))
    '<p class="fl-note" style="color:#555"><em>No problems were found in this document.</em></p>'
    """
    _need(problems, ["severity", "code", "message"], "problems")
    if not len(problems):
        return note_html("No problems were found in this document.")
    return table_html(
        problems[["severity", "code", "message"]].reset_index(drop=True),
        name=name,
        caption="Problems found in this document",
    )
