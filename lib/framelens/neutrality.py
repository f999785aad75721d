"""Neutrality language: voice-aware bias cues, attribution, sourcing, neutrality
discourse and a transparent sentence bias score.

Journalistic objectivity norms allow evaluation inside attributed quotations but not in
the author's own voice, so every measure here keeps the **voice** (``author``,
``quoted``, ``reported``; see docs/architecture.md) apart. All functions are pure:
DataFrames in, new DataFrames out. Definitions, formulas and limits are in
docs/methods/neutrality.md.

Tables returned by :func:`step` (the pipeline step ``neutrality``)
-------------------------------------------------------------------
``cue_rates``
    doc_id, voice (author/quoted/reported), category (the 8 ``bias_cues`` categories,
    all kept), n (cue matches), tokens (word tokens in that voice), rate (n per 100
    tokens; NaN when the voice has no tokens).
``attribution``
    doc_id, speaker, verb_class (neutral/endorsing/distancing/guilt_implying, all
    kept), n (reporting verbs of the class, each verb counted once even when a nested
    partial quote shares it), n_verbs, n_quotes, share (n / n_verbs).
``sources``
    doc_id, source (the person), affiliation (actor code), camp, n_quotes, n_verbs,
    quoted_words, share_words, n_neutral, n_endorsing, n_distancing, n_guilt_implying.
``neutrality_statements``
    doc_id, sent_id, start, end, voice, quote_id, speaker, speaker_actor, terms,
    n_neutrality, n_balance, n_sovereignty, n_diplomacy, n_non_participation,
    n_asserting, n_questioning, core, negated, distanced, contrast, stance
    (asserted/qualified/questioned), text.
``voice_sentiment`` (only when a ``sentiment`` table is present)
    doc_id, voice, n_sentences, compound_mean, share_positive, share_negative.
``sentence_bias``
    doc_id, sent_id, start, end, voice (dominant voice of the sentence), tokens,
    n_<category> for the 8 cue categories, n_author_cues, cue_density, n_exclaim,
    n_question, n_quote_marks, the model's features ``f_<name>``, contributions
    ``c_<name>`` (coefficient x standardised feature), intercept, logit, bias_score
    (logistic probability, cues of all voices), flagged, model, bias_score_author and
    flagged_author (the same model on the author-voice cues only).
``neutrality_profile``
    one row per document: tokens and token shares per voice, author cue rates per
    category, author_evaluative_rate, author_hedge_rate, verb-class shares, source and
    camp balance, dominant source share, neutrality-discourse counts, bias-score
    summaries and (when available) mean compound per voice.

Corpus-level summaries over the saved tables (used by notebooks/neutrality.ipynb):
:func:`group_cue_rates`, :func:`group_verb_mix`, :func:`group_sourcing`,
:func:`attribution_asymmetry`, :func:`source_balance`; :func:`select_docs` validates
the notebook's grouping column and date range.

Examples
--------
>>> import pandas as pd
>>> from framelens import neutrality
>>> sent = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [20],
...                      "text": ["It is clearly wrong."]})
>>> m = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [6], "end": [13],
...                   "lexicon": ["bias_cues"], "category": ["boosters"],
...                   "term": ["clearly"], "voice": ["author"], "weight": [1.0]})
>>> r = neutrality.cue_rates(m, sent, None)
>>> float(r.query("voice == 'author' and category == 'boosters'")["rate"].iloc[0])
25.0
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from .normalize import fold

log = logging.getLogger(__name__)

__all__ = [
    "BIAS_LEXICON", "DISCOURSE_LEXICON", "CUE_CATEGORIES", "DISCOURSE_CATEGORIES",
    "VERB_CLASSES", "VOICES", "count_words", "voice_tokens", "cue_rates", "attribution",
    "attribution_asymmetry", "source_key", "verb_counted", "sources", "source_balance",
    "neutrality_statements", "voice_sentiment", "sentence_voice", "bias_features",
    "load_bias_model", "apply_bias_model", "sentence_bias", "neutrality_profile",
    "step", "group_cue_rates", "group_verb_mix", "group_sourcing", "select_docs",
    "EVALUATIVE", "CORE_DISCOURSE", "CUE_FEATURES", "FORMULA_WEIGHTS",
]

BIAS_LEXICON = "bias_cues"
DISCOURSE_LEXICON = "neutrality_discourse"
#: Categories of the ``bias_cues`` lexicon, in report order.
CUE_CATEGORIES = (
    "hedges", "boosters", "attitude_markers", "factive_verbs", "assertive_verbs",
    "implicatives", "intensifiers", "loaded_terms",
)
#: Categories of the ``neutrality_discourse`` lexicon.
DISCOURSE_CATEGORIES = (
    "neutrality", "balance", "sovereignty", "diplomacy", "non_participation", "asserting",
    "questioning",
)
#: Categories that make a sentence talk about neutrality *as such* (``core``): explicit
#: neutral / non-aligned wording and the phrases asserting or questioning it.
CORE_DISCOURSE = ("neutrality", "asserting", "questioning")
VERB_CLASSES = ("neutral", "endorsing", "distancing", "guilt_implying")
VOICES = ("author", "quoted", "reported")
#: Categories summed into the author's *evaluative* rate in the profile.
EVALUATIVE = ("attitude_markers", "intensifiers", "loaded_terms", "boosters")
UNATTRIBUTED = "(unattributed)"
AUTHOR = "(author)"

#: Word tokens: runs of word characters with internal apostrophes or hyphens.
WORD_RE = re.compile(r"\w+(?:['\u2019\-]\w+)*")
#: Negation looked for in the 4 words before a neutrality term (on folded text).
NEGATION_RE = re.compile(
    r"\b(?:not|no|never|nor|hardly|barely|scarcely|far from|anything but|n't|cannot|"
    r"longer|less)\b|n't\b"
)
#: Distancing modifiers (Recasens et al. 2013; Wikipedia words to watch) looked for in
#: the 4 words before a neutrality / balance term: they question the stance.
DISTANCING_RE = re.compile(
    r"\b(?:so-called|so called|alleged|supposed|professed|proclaimed|self-proclaimed|"
    r"ostensible|nominal|pretended|sham|fake|false|purported)\b"
)
#: Contrast / concession markers that *qualify* a neutrality statement.
CONTRAST_RE = re.compile(
    r"\b(?:but|however|although|though|despite|yet|nevertheless|nonetheless|while|"
    r"whereas|even as|in spite of)\b"
)


# ----------------------------------------------------------------------------- helpers
def _need(df: pd.DataFrame | None, cols: Iterable[str], name: str) -> pd.DataFrame:
    if df is None:
        raise ValueError(f"{name} table is required (got None)")
    return schema.require(df, cols, table=name)


def _str(s: pd.Series) -> np.ndarray:
    """Column as an object array of Python str ('' for missing)."""
    arr = s.to_numpy(dtype=object, na_value="")
    if isinstance(s.dtype, pd.StringDtype) or pd.api.types.infer_dtype(arr, skipna=False) in (
            "string", "empty"):
        return arr
    return np.array([str(x) for x in arr.tolist()], dtype=object)


def count_words(texts: Iterable[str]) -> np.ndarray:
    """Number of word tokens (:data:`WORD_RE`) in each text.

    Examples
    --------
    >>> count_words(["Don't take sides, well-known man!", ""]).tolist()
    [5, 0]
    """
    return np.fromiter((len(WORD_RE.findall(t or "")) for t in texts), dtype="int64")


def _cat(values, categories) -> pd.Categorical:
    return pd.Categorical(values, categories=list(categories))


# ------------------------------------------------------------------------ voice tokens
def _pieces(sentences: pd.DataFrame, segments: pd.DataFrame | None) -> pd.DataFrame:
    """Intersections of sentences with voice segments (doc_id, sent_id, voice,
    quote_id, lo, hi, piece text)."""
    s = _need(sentences, ("doc_id", "sent_id", "start", "end", "text"), "sentences")
    s = pd.DataFrame({
        "doc_id": _str(s["doc_id"]), "sent_id": s["sent_id"].to_numpy("int64"),
        "start": s["start"].to_numpy("int64"), "end": s["end"].to_numpy("int64"),
        "text": _str(s["text"]),
    })
    if segments is None or len(segments) == 0:
        seg = pd.DataFrame({"doc_id": pd.Series([], dtype=object),
                            "seg_start": pd.Series([], dtype="int64"),
                            "seg_end": pd.Series([], dtype="int64"),
                            "voice": pd.Series([], dtype=object),
                            "quote_id": pd.Series([], dtype="float64")})
    else:
        g = _need(segments, ("doc_id", "start", "end", "voice"), "segments")
        qid = g["quote_id"] if "quote_id" in g.columns else pd.Series(np.nan, index=g.index)
        seg = pd.DataFrame({
            "doc_id": _str(g["doc_id"]), "seg_start": g["start"].to_numpy("int64"),
            "seg_end": g["end"].to_numpy("int64"), "voice": _str(g["voice"]),
            "quote_id": pd.to_numeric(qid, errors="coerce").astype("float64").to_numpy(),
        })
    # Vectorised interval intersection: segments partition each document, so with a
    # combined key (document code x stride + offset) the segments overlapping a
    # sentence are a contiguous run found with searchsorted.
    covered = pd.Index(pd.unique(seg["doc_id"]))
    code_s = covered.get_indexer(s["doc_id"])
    has = code_s >= 0
    parts = []
    if has.any() and len(seg):
        stride = int(max(seg["seg_end"].max(), s["end"].max())) + 1
        seg = seg.assign(_code=covered.get_indexer(seg["doc_id"])).sort_values(
            ["_code", "seg_start"])
        skey = seg["_code"].to_numpy("int64") * stride + seg["seg_start"].to_numpy("int64")
        sh = s[has]
        base = code_s[has].astype("int64") * stride
        st = sh["start"].to_numpy("int64")
        en = sh["end"].to_numpy("int64")
        j0 = np.searchsorted(skey, base + st, side="right") - 1
        j1 = np.searchsorted(skey, base + np.maximum(en - 1, st), side="right") - 1
        j0 = np.maximum(j0, 0)
        cnt = np.maximum(j1 - j0 + 1, 1)
        rep = np.repeat(np.arange(len(sh)), cnt)
        within = np.arange(len(rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        j = j0[rep] + within
        seg_start = seg["seg_start"].to_numpy("int64")[j]
        seg_end = seg["seg_end"].to_numpy("int64")[j]
        lo = np.maximum(st[rep], seg_start)
        hi = np.minimum(en[rep], seg_end)
        keep = (hi > lo) & (seg["_code"].to_numpy("int64")[j] == code_s[has][rep])
        parts.append(pd.DataFrame({
            "doc_id": sh["doc_id"].to_numpy()[rep][keep],
            "sent_id": sh["sent_id"].to_numpy()[rep][keep],
            "voice": seg["voice"].to_numpy()[j][keep],
            "quote_id": seg["quote_id"].to_numpy()[j][keep],
            "lo": lo[keep], "hi": hi[keep], "start": st[rep][keep],
            "text": sh["text"].to_numpy()[rep][keep],
        }))
    rest = s[~has]  # documents without segments: everything is the author's voice
    if len(rest) or not parts:
        parts.append(pd.DataFrame({
            "doc_id": rest["doc_id"].to_numpy(), "sent_id": rest["sent_id"].to_numpy(),
            "voice": "author", "quote_id": np.nan, "lo": rest["start"].to_numpy(),
            "hi": rest["end"].to_numpy(), "start": rest["start"].to_numpy(),
            "text": rest["text"].to_numpy(),
        }))
    p = pd.concat(parts, ignore_index=True)
    rel_lo = (p["lo"] - p["start"]).to_numpy()
    rel_hi = (p["hi"] - p["start"]).to_numpy()
    texts = p["text"].tolist()
    p["piece"] = [t[a:b] for t, a, b in zip(texts, rel_lo.tolist(), rel_hi.tolist())]
    p["chars"] = p["hi"] - p["lo"]
    return p.drop(columns=["text", "start"])


def voice_tokens(sentences: pd.DataFrame, segments: pd.DataFrame | None, *,
                 level: str = "sentence") -> pd.DataFrame:
    """Word tokens per voice, per sentence or per document.

    Each sentence is cut at the boundaries of the voice ``segments`` (a partition of
    the document's characters); the word tokens (:data:`WORD_RE`) of every piece are
    counted in the piece's voice. A word cut by a segment boundary counts in each
    piece it touches (rare: segments end at quotation marks). Documents without
    segments are entirely in the author's voice.

    Parameters
    ----------
    sentences, segments : DataFrame
        framelens tables (``segments`` may be None).
    level : {"sentence", "doc"}, keyword-only

    Returns
    -------
    DataFrame
        ``doc_id, [sent_id,] voice, tokens, chars`` (only voices that occur).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [22],
    ...                   "text": ['He said "we are neutral"']})
    >>> g = pd.DataFrame({"doc_id": ["d"] * 3, "start": [0, 9, 23], "end": [9, 23, 24],
    ...                   "voice": ["author", "quoted", "author"], "quote_id": [None, 0, None]})
    >>> voice_tokens(s, g)[["voice", "tokens"]].values.tolist()
    [['author', 2], ['quoted', 3]]
    """
    if level not in ("sentence", "doc"):
        raise ValueError(f"level must be 'sentence' or 'doc', not {level!r}")
    p = _pieces(sentences, segments)
    p["tokens"] = count_words(p["piece"].tolist())
    keys = ["doc_id", "sent_id", "voice"] if level == "sentence" else ["doc_id", "voice"]
    out = p.groupby(keys, sort=True, observed=True)[["tokens", "chars"]].sum().reset_index()
    return out


# --------------------------------------------------------------------------- cue rates
def _lexicon_matches(matches: pd.DataFrame | None, lexicon: str) -> pd.DataFrame:
    if matches is None or len(matches) == 0:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in
                             ("doc_id", "sent_id", "start", "end", "category", "term", "voice")})
    _need(matches, ("doc_id", "sent_id", "start", "end", "lexicon", "category", "voice"),
          "matches")
    m = matches[_str(matches["lexicon"]) == lexicon]
    return pd.DataFrame({
        "doc_id": _str(m["doc_id"]), "sent_id": m["sent_id"].to_numpy("int64"),
        "start": m["start"].to_numpy("int64"), "end": m["end"].to_numpy("int64"),
        "category": _str(m["category"]),
        "term": _str(m["term"]) if "term" in m.columns else "",
        "voice": _str(m["voice"]),
    })


def cue_rates(matches: pd.DataFrame, sentences: pd.DataFrame,
              segments: pd.DataFrame | None, *, by_voice: bool = True,
              level: str = "doc", lexicon: str = BIAS_LEXICON,
              categories: Iterable[str] | None = None) -> pd.DataFrame:
    """Cue matches per 100 word tokens, per document or sentence, split by voice.

    ``rate = 100 * n / tokens`` where ``n`` counts the lexicon's matches of a category
    in that voice and ``tokens`` the word tokens of the text in that voice (see
    :func:`voice_tokens`). Every category is kept (n = 0). At document level all three
    voices are kept (rate NaN where a voice has no tokens); at sentence level only the
    voices present in the sentence.

    Parameters
    ----------
    matches, sentences, segments : DataFrame
    by_voice : bool, keyword-only
        False pools the voices (voice = "all").
    level : {"doc", "sentence"}
    lexicon : str
        Lexicon name in ``matches`` (default ``bias_cues``).
    categories : iterable of str, optional
        Categories to report (default :data:`CUE_CATEGORIES` for ``bias_cues``, else
        those found).

    Returns
    -------
    DataFrame
        ``doc_id, [sent_id,] voice, category, n, tokens, rate``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [10],
    ...                   "text": ["a b c d e."]})
    >>> empty = pd.DataFrame(columns=["doc_id", "sent_id", "start", "end", "lexicon",
    ...                               "category", "term", "voice", "weight"])
    >>> int(cue_rates(empty, s, None, by_voice=False)["n"].sum())
    0
    """
    if level not in ("doc", "sentence"):
        raise ValueError(f"level must be 'doc' or 'sentence', not {level!r}")
    m = _lexicon_matches(matches, lexicon)
    if categories is None:
        categories = CUE_CATEGORIES if lexicon == BIAS_LEXICON else sorted(set(m["category"]))
    categories = list(categories)
    tok = voice_tokens(sentences, segments, level="sentence" if level == "sentence" else "doc")
    keys = ["doc_id", "sent_id"] if level == "sentence" else ["doc_id"]
    if not by_voice:
        tok = tok.groupby(keys, sort=True)[["tokens"]].sum().reset_index()
        tok["voice"] = "all"
        m = m.assign(voice="all")
        voices = ["all"]
    else:
        voices = list(VOICES)
    if level == "doc":
        docs = pd.unique(_str(sentences["doc_id"]))
        grid = pd.MultiIndex.from_product([docs, voices], names=["doc_id", "voice"]).to_frame(
            index=False)
        tok = grid.merge(tok[["doc_id", "voice", "tokens"]], on=["doc_id", "voice"], how="left")
        tok["tokens"] = tok["tokens"].fillna(0).astype("int64")
    else:
        tok = tok[["doc_id", "sent_id", "voice", "tokens"]]
    kv = keys + ["voice"]
    cats = pd.DataFrame({"category": categories})
    grid = tok.merge(cats, how="cross")
    m = m[m["category"].isin(categories)]
    n = m.groupby(kv + ["category"], sort=False).size().rename("n").reset_index()
    out = grid.merge(n, on=kv + ["category"], how="left")
    out["n"] = out["n"].fillna(0).astype("int64")
    t = out["tokens"].to_numpy("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate"] = np.where(t > 0, 100.0 * out["n"].to_numpy("float64") / t, np.nan)
    out = out[kv + ["category", "n", "tokens", "rate"]]
    vcat = voices if by_voice else ["all"]
    out["voice"] = _cat(out["voice"], vcat)
    out["category"] = _cat(out["category"], categories)
    return out.sort_values(kv + ["category"]).reset_index(drop=True)


# ------------------------------------------------------------------------- attribution
def _plain_name(name: str) -> str:
    """A speaker name without diacritics and extra spaces ("Oliver Várhelyi" ->
    "Oliver Varhelyi"), so that spelling variants count as one source."""
    if name.isascii():
        return " ".join(name.split())
    base = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in base if not unicodedata.combining(c))
                    .translate(_NAME_EXTRA).split())


_NAME_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
                             "ß": "s"})


def source_key(quotes: pd.DataFrame) -> pd.Series:
    """The source a quote is attributed to: the **person** - the resolved ``speaker``,
    else ``speaker_surface`` (names without diacritics, so "Vučić" and "Vucic" are one
    source) - else, when no name is known at all, the ``speaker_actor`` code, else
    ``"(unattributed)"``. The actor code is the source's *affiliation* (see
    :func:`sources`), not its identity: two ministers of one government are two sources.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"speaker_actor": ["SRBGOV", "SRBGOV", ""],
    ...                   "speaker": ["Aleksandar Vučić", "Aleksandar Vulin", ""],
    ...                   "speaker_surface": ["He", "", ""]})
    >>> source_key(q).tolist()
    ['Aleksandar Vucic', 'Aleksandar Vulin', '(unattributed)']
    """
    out = _speaker(quotes)
    if "speaker_actor" in quotes.columns:
        v = np.array([x.strip() for x in _str(quotes["speaker_actor"])], dtype=object)
        out = np.where((out == UNATTRIBUTED) & (v != ""), v, out)
    return pd.Series(out, index=quotes.index, name="source", dtype=object)


def verb_counted(quotes: pd.DataFrame) -> np.ndarray:
    """Which quotes carry their reporting verb's count (boolean array).

    A partial quote nested in an indirect one ('He noted that ... "not simple" ...')
    shares that quote's reporting verb: the same ``verb_start``. Verb-class counts count
    each reporting verb once per ``(doc_id, verb_start)`` - the first quote of the group
    in table order carries it; quotes without a verb position (``verb_start`` missing
    or the column absent) each count once.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"doc_id": ["d"] * 4, "verb_start": [5, 5, None, 40]})
    >>> verb_counted(q).tolist()
    [True, False, True, True]
    """
    n = len(quotes)
    if "verb_start" not in quotes.columns or n == 0:
        return np.ones(n, dtype=bool)
    vs = pd.to_numeric(quotes["verb_start"], errors="coerce").astype("float64").to_numpy()
    has = ~np.isnan(vs)
    doc = _str(quotes["doc_id"]) if "doc_id" in quotes.columns else np.full(n, "", dtype=object)
    dup = pd.DataFrame({"d": doc, "v": vs}).duplicated(["d", "v"], keep="first").to_numpy()
    return ~(has & dup)


def _speaker(quotes: pd.DataFrame) -> np.ndarray:
    """Resolved speaker, else surface form, else "(unattributed)"; diacritics removed."""
    out = np.full(len(quotes), UNATTRIBUTED, dtype=object)
    for col in ("speaker_surface", "speaker"):  # later wins
        if col in quotes.columns:
            v = np.array([_plain_name(x) for x in _str(quotes[col])], dtype=object)
            out = np.where(v != "", v, out)
    return out


def attribution(quotes: pd.DataFrame, *, by: Iterable[str] = ("doc_id", "speaker")
                ) -> pd.DataFrame:
    """Reporting-verb class mix per group of quotes (default per document and speaker).

    Each **reporting verb counts once** (:func:`verb_counted`): a partial quote nested
    in an indirect quote shares its verb and does not count it again. ``n`` is the
    number of reporting verbs of the class, ``n_verbs`` of all classes in the group,
    ``share = n / n_verbs``; ``n_quotes`` is the number of quotes of the group (each
    quote, nested or not). All four classes are kept (n = 0). A missing speaker is
    ``"(unattributed)"``; a missing verb class counts as ``neutral`` - other unknown
    values raise.

    Parameters
    ----------
    quotes : DataFrame
        The ``quotes`` table (``verb_class``, ideally ``verb_start``, and the ``by``
        columns). ``"source"`` may be used in ``by``: see :func:`source_key`.
    by : iterable of str, keyword-only

    Returns
    -------
    DataFrame
        ``*by, verb_class, n, n_verbs, n_quotes, share``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"doc_id": ["d"] * 4, "speaker": ["A", "A", "A", "B"],
    ...                   "verb_class": ["endorsing", "endorsing", "neutral", "distancing"],
    ...                   "verb_start": [3, 3, 50, 90]})   # quotes 0 and 1 share a verb
    >>> a = attribution(q)
    >>> r = a.query("speaker == 'A' and verb_class == 'endorsing'").iloc[0]
    >>> int(r["n"]), int(r["n_verbs"]), int(r["n_quotes"]), float(r["share"])
    (1, 2, 3, 0.5)
    """
    by = list(by)
    if not by:
        raise ValueError("by must name at least one column, e.g. ('doc_id', 'speaker')")
    _need(quotes, ["verb_class"], "quotes")
    q = pd.DataFrame(index=quotes.index)
    for c in by:
        if c == "source":
            q[c] = source_key(quotes).to_numpy()
        elif c == "speaker":
            q[c] = _speaker(quotes)
        elif c in quotes.columns:
            q[c] = _str(quotes[c])
        else:
            raise ValueError(f"quotes has no column {c!r} to group by; columns: "
                             f"{list(quotes.columns)} (or 'source')")
    vc = _str(quotes["verb_class"])
    vc = np.where(vc == "", "neutral", vc)
    bad = sorted(set(vc) - set(VERB_CLASSES))
    if bad:
        raise ValueError(f"unknown verb_class value(s) {bad}; expected {VERB_CLASSES}")
    q["verb_class"] = vc
    if len(q) == 0:
        cols = {c: pd.Series([], dtype=object) for c in by}
        cols.update(verb_class=_cat([], VERB_CLASSES), n=pd.Series([], dtype="int64"),
                    n_verbs=pd.Series([], dtype="int64"), n_quotes=pd.Series([], dtype="int64"),
                    share=pd.Series([], dtype="float64"))
        return pd.DataFrame(cols)
    groups = q[by].drop_duplicates()
    nq = q.groupby(by, sort=False).size().rename("n_quotes").reset_index()
    grid = groups.merge(pd.DataFrame({"verb_class": list(VERB_CLASSES)}), how="cross")
    qv = q[verb_counted(quotes)]
    n = qv.groupby(by + ["verb_class"], sort=False).size().rename("n").reset_index()
    out = grid.merge(n, on=by + ["verb_class"], how="left")
    out["n"] = out["n"].fillna(0).astype("int64")
    out["n_verbs"] = out.groupby(by, sort=False)["n"].transform("sum").astype("int64")
    out = out.merge(nq, on=by, how="left")
    out["n_quotes"] = out["n_quotes"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["n_verbs"] > 0,
                                out["n"] / out["n_verbs"].where(out["n_verbs"] > 0, 1), np.nan)
    out["verb_class"] = _cat(out["verb_class"], VERB_CLASSES)
    out = out[by + ["verb_class", "n", "n_verbs", "n_quotes", "share"]]
    return out.sort_values(by + ["verb_class"]).reset_index(drop=True)


def attribution_asymmetry(quotes: pd.DataFrame, *, group: str = "camp",
                          by: Iterable[str] = ("doc_id",), groups: tuple[str, str] | None = None,
                          min_quotes: int = 1, camp_map: Mapping[str, str] | None = None
                          ) -> pd.DataFrame:
    """Do some sources get endorsing verbs and others distancing ones?

    For each group *g* of sources (by default their camp) the **net endorsement** is
    ``E_g = (n_endorsing - n_distancing - n_guilt_implying) / n_verbs_g``
    (in [-1, 1]), counting each reporting verb once (:func:`verb_counted`). The
    asymmetry is ``E_a - E_b`` for two named ``groups`` (signed), otherwise the range
    ``max_g E_g - min_g E_g`` over groups with at least ``min_quotes`` reporting verbs
    (0 when only one group qualifies; NaN when none).

    Parameters
    ----------
    quotes : DataFrame
    group : str, keyword-only
        ``"camp"``, ``"source"`` or any column of ``quotes``.
    by : iterable of str
        Units within which groups are compared (``()`` for the whole table).
    groups : (str, str), optional
        Compare these two groups: asymmetry = E_first - E_second.
    min_quotes : int
        Minimum number of (distinct) reporting verbs of a group.
    camp_map : mapping, optional
        Passed to :func:`sources` logic when ``group == "camp"``.

    Returns
    -------
    DataFrame
        ``*by, n_groups, group_max, net_max, group_min, net_min, asymmetry``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"doc_id": ["d"] * 3, "speaker_actor": ["SRBGOV", "SRBGOV", "EU"],
    ...                   "verb_class": ["endorsing", "neutral", "distancing"]})
    >>> float(attribution_asymmetry(q)["asymmetry"].iloc[0])    # 0.5 - (-1.0)
    1.5
    """
    by = list(by)
    if min_quotes < 1:
        raise ValueError("min_quotes must be >= 1")
    _need(quotes, ["verb_class"], "quotes")
    q = pd.DataFrame(index=quotes.index)
    for c in by:
        q[c] = _str(_need(quotes, [c], "quotes")[c])
    if group == "camp":
        src = source_key(quotes)
        q["_g"] = _camp(src.to_numpy(), quotes, camp_map)
    elif group == "source":
        q["_g"] = source_key(quotes).to_numpy()
    else:
        q["_g"] = _str(_need(quotes, [group], "quotes")[group])
    vc = _str(quotes["verb_class"])
    q["_net"] = np.where(vc == "endorsing", 1.0,
                         np.where(np.isin(vc, ["distancing", "guilt_implying"]), -1.0, 0.0))
    q = q[verb_counted(quotes)]  # each reporting verb once (nested partial quotes share it)
    if not by:
        q["_all"] = "all"
        keys = ["_all"]
    else:
        keys = by
    g = q.groupby(keys + ["_g"], sort=True).agg(net=("_net", "mean"), n=("_net", "size"))
    g = g.reset_index()
    g = g[g["n"] >= min_quotes]
    units = q[keys].drop_duplicates().sort_values(keys).reset_index(drop=True)
    cols = ["n_groups", "group_max", "net_max", "group_min", "net_min", "asymmetry"]
    if groups is not None:
        a, b = groups
        ga = g[g["_g"] == a][keys + ["net"]].rename(columns={"net": "net_max"})
        gb = g[g["_g"] == b][keys + ["net"]].rename(columns={"net": "net_min"})
        out = units.merge(ga, on=keys, how="left").merge(gb, on=keys, how="left")
        out["n_groups"] = out["net_max"].notna().astype("int64") + out["net_min"].notna().astype(
            "int64")
        out["group_max"] = a
        out["group_min"] = b
    else:
        srt = g.sort_values(keys + ["net", "_g"])
        lo = srt.drop_duplicates(keys, keep="first")[keys + ["_g", "net"]].rename(
            columns={"_g": "group_min", "net": "net_min"})
        hi = srt.drop_duplicates(keys, keep="last")[keys + ["_g", "net"]].rename(
            columns={"_g": "group_max", "net": "net_max"})
        ng = g.groupby(keys).size().rename("n_groups").reset_index()
        out = units.merge(ng, on=keys, how="left").merge(hi, on=keys, how="left").merge(
            lo, on=keys, how="left")
        out["n_groups"] = out["n_groups"].fillna(0).astype("int64")
        out["group_max"] = out["group_max"].fillna("")
        out["group_min"] = out["group_min"].fillna("")
    out["asymmetry"] = out["net_max"] - out["net_min"]
    out = out[keys + cols]
    if not by:
        out = out.drop(columns=["_all"])
    return out


# ----------------------------------------------------------------------------- sources
_ROLES = {"GOV", "MIL", "OPP", "MED", "BUS", "CVL", "ELI", "JUD", "LEG", "REB", "IGO", "NGO",
          "EDU", "HLH", "REF", "LAB", "SPY", "UAF", "CRM", "AGR", "REL", "DEV", "ENV", "COP",
          "PTY", "MOD", "RAD", "IND", "EXP", "CIV"}


def _camp(src: np.ndarray, quotes: pd.DataFrame, camp_map: Mapping[str, str] | None
          ) -> np.ndarray:
    """Camp of each source: ``camp_map[actor]`` if given, else the country part of a
    CAMEO-style actor code (``SRBGOV`` -> ``SRB``), else the actor code itself (``EU``),
    else the source name (no actor known)."""
    actor = (np.array([x.strip() for x in _str(quotes["speaker_actor"])], dtype=object)
             if "speaker_actor" in quotes.columns else np.full(len(quotes), "", dtype=object))
    out = np.empty(len(src), dtype=object)
    for i, (a, s) in enumerate(zip(actor.tolist(), src.tolist())):
        if camp_map and a in camp_map:
            out[i] = camp_map[a]
        elif a:
            out[i] = a[:3] if len(a) >= 6 and a[3:6] in _ROLES else a
        else:
            out[i] = s
    return out


def _segment_words(quotes: pd.DataFrame, segments: pd.DataFrame, docs: pd.DataFrame
                   ) -> np.ndarray:
    """Words of each quote counted from the voice segments it owns, so that a partial
    quote nested in an indirect one is not counted twice (each character belongs to the
    innermost quote's segment)."""
    _need(segments, ("doc_id", "start", "end", "quote_id"), "segments")
    _need(docs, ("doc_id", "text"), "docs")
    g = segments[segments["quote_id"].notna()]
    texts = dict(zip(_str(docs["doc_id"]), _str(docs["text"])))
    dids = _str(g["doc_id"])
    st = g["start"].to_numpy("int64")
    en = g["end"].to_numpy("int64")
    pieces = [texts.get(d, "")[a:b] for d, a, b in zip(dids, st.tolist(), en.tolist())]
    w = pd.DataFrame({"doc_id": dids,
                      "quote_id": pd.to_numeric(g["quote_id"]).astype("int64").to_numpy(),
                      "w": count_words(pieces)}).groupby(["doc_id", "quote_id"])["w"].sum()
    key = pd.MultiIndex.from_arrays([_str(quotes["doc_id"]),
                                     pd.to_numeric(quotes["quote_id"]).astype("int64").to_numpy()])
    return w.reindex(key).fillna(0).astype("int64").to_numpy()


def sources(quotes: pd.DataFrame, *, camp_map: Mapping[str, str] | None = None,
            include_unattributed: bool = True, segments: pd.DataFrame | None = None,
            docs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Who is quoted in each document, and how much.

    One row per (document, source). ``source`` is :func:`source_key`: the resolved
    person (speaker name without diacritics; quotes with no speaker at all are
    ``"(unattributed)"``); ``affiliation`` the person's actor code (``speaker_actor``,
    e.g. ``SRBGOV``; '' if unknown; the first non-empty one if a person has several);
    ``camp`` the country/bloc part of that code (``SRB``; see ``camp_map``), or the
    source name when no actor code is known.
    ``quoted_words`` counts the word tokens of the quote contents attributed to the
    source - from the voice ``segments`` when ``segments`` and ``docs`` are given (each
    character once, in its innermost quote: a partial quote nested in an indirect one,
    or "X said that Y said '...'", is not counted twice), else from each quote's
    ``text``; ``share_words = quoted_words / quoted words of all attributed sources in
    the document`` (unattributed quotes get a row with NaN share when kept).
    ``n_quotes`` counts the source's quotes; ``n_verbs`` and ``n_<verb class>`` count
    its reporting verbs, each once (:func:`verb_counted`: a nested partial quote shares
    its parent's verb).

    Parameters
    ----------
    quotes : DataFrame
    camp_map : mapping of actor code to camp, optional
        e.g. ``{"SRBGOV": "Serbia", "EU": "West"}``.
    include_unattributed : bool
        Keep a ``"(unattributed)"`` row for quotes without a speaker.
    segments, docs : DataFrame, optional
        Count quoted words from the voice segments (recommended; the pipeline does).

    Returns
    -------
    DataFrame
        ``doc_id, source, affiliation, camp, n_quotes, n_verbs, quoted_words,
        share_words, n_neutral, n_endorsing, n_distancing, n_guilt_implying``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"doc_id": ["d", "d"], "speaker": ["A", "B"],
    ...                   "text": ["one two three", "four"], "verb_class": ["neutral"] * 2})
    >>> sources(q)["share_words"].tolist()
    [0.75, 0.25]
    """
    _need(quotes, ("doc_id", "text"), "quotes")
    cols = ["doc_id", "source", "affiliation", "camp", "n_quotes", "n_verbs", "quoted_words",
            "share_words"] + [f"n_{v}" for v in VERB_CLASSES]
    if len(quotes) == 0:
        return pd.DataFrame({c: pd.Series([], dtype=object if c in cols[:4] else "float64")
                             for c in cols})
    src = source_key(quotes).to_numpy()
    aff = (np.array([x.strip() for x in _str(quotes["speaker_actor"])], dtype=object)
           if "speaker_actor" in quotes.columns else np.full(len(quotes), "", dtype=object))
    vc = (_str(quotes["verb_class"]) if "verb_class" in quotes.columns
          else np.full(len(quotes), "", dtype=object))
    vc = np.where(vc == "", "neutral", vc)
    q = pd.DataFrame({
        "doc_id": _str(quotes["doc_id"]), "source": src, "affiliation": aff,
        "camp": _camp(src, quotes, camp_map),
        "words": (_segment_words(quotes, segments, docs)
                  if segments is not None and docs is not None and len(segments)
                  and "quote_id" in quotes.columns else count_words(_str(quotes["text"]))),
    })
    counted = verb_counted(quotes)
    q["n_verbs"] = counted.astype("int64")
    for v in VERB_CLASSES:
        q[f"n_{v}"] = ((vc == v) & counted).astype("int64")
    # affiliation / camp: the first non-empty actor code of the person
    q["_noaff"] = q["affiliation"] == ""
    q = q.sort_values(["doc_id", "source", "_noaff"], kind="stable")
    agg = {"affiliation": ("affiliation", "first"), "camp": ("camp", "first"),
           "n_quotes": ("words", "size"), "n_verbs": ("n_verbs", "sum"),
           "quoted_words": ("words", "sum")}
    agg.update({f"n_{v}": (f"n_{v}", "sum") for v in VERB_CLASSES})
    out = q.groupby(["doc_id", "source"], sort=True).agg(**agg).reset_index()
    unat = out["source"] == UNATTRIBUTED
    if not include_unattributed:
        out = out[~unat].reset_index(drop=True)
        unat = out["source"] == UNATTRIBUTED
    tot = out["quoted_words"].where(~unat, 0).groupby(out["doc_id"]).transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where((tot > 0) & ~unat, out["quoted_words"] / tot, np.nan)
    out["share_words"] = share
    return out[cols]


def source_balance(src: pd.DataFrame, *, by: str = "source", weight: str = "quoted_words"
                   ) -> pd.DataFrame:
    """Balance of sourcing per document: normalised entropy and dominant share.

    With shares ``p_i`` of ``weight`` over the *k* attributed sources (or camps),
    ``H = -sum p_i ln p_i`` and ``balance = H / ln k`` (1 = perfectly even, 0 = one
    source carries everything; 0 when k = 1, NaN when k = 0); ``dominant_share =
    max p_i``. Unattributed quotes are left out.

    Parameters
    ----------
    src : DataFrame
        Output of :func:`sources`.
    by : {"source", "camp"}
    weight : {"quoted_words", "n_quotes"}

    Returns
    -------
    DataFrame
        ``doc_id, n, entropy, balance, dominant, dominant_share``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"] * 2, "source": ["A", "B"], "camp": ["X", "Y"],
    ...                   "quoted_words": [30, 10], "n_quotes": [1, 1]})
    >>> round(float(source_balance(s)["balance"].iloc[0]), 4)   # H(.75,.25)/ln 2
    0.8113
    """
    if by not in ("source", "camp"):
        raise ValueError(f"by must be 'source' or 'camp', not {by!r}")
    if weight not in ("quoted_words", "n_quotes"):
        raise ValueError(f"weight must be 'quoted_words' or 'n_quotes', not {weight!r}")
    cols = ["doc_id", "n", "entropy", "balance", "dominant", "dominant_share"]
    s = src[_str(src["source"]) != UNATTRIBUTED] if len(src) else src
    if len(s) == 0:
        return pd.DataFrame({c: pd.Series([], dtype=object if c in ("doc_id", "dominant")
                                          else "float64") for c in cols})
    g = s.groupby(["doc_id", by], sort=True)[weight].sum().reset_index()
    g = g.rename(columns={by: "_k"})
    tot = g.groupby("doc_id")[weight].transform("sum").to_numpy("float64")
    w = g[weight].to_numpy("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tot > 0, w / tot, np.nan)
        g["_h"] = np.where(p > 0, -p * np.log(p), 0.0)
    g["_p"] = p
    g["_fin"] = np.isfinite(p)
    agg = g.groupby("doc_id", sort=True).agg(n=("_k", "size"), entropy=("_h", "sum"),
                                             _ok=("_fin", "all"))
    dom = (g.sort_values(["doc_id", "_p", "_k"], ascending=[True, False, True])
           .drop_duplicates("doc_id").set_index("doc_id"))
    out = agg.reset_index()
    k = out["n"].to_numpy("float64")
    h = out["entropy"].to_numpy("float64")
    ok = out["_ok"].to_numpy(bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["balance"] = np.where(k > 1, h / np.log(np.where(k > 1, k, 2.0)), 0.0)
    out["entropy"] = np.where(ok, h, np.nan)
    out["balance"] = np.where(ok, out["balance"], np.nan)
    out["dominant"] = np.where(ok, dom.loc[out["doc_id"], "_k"].astype(str).to_numpy(), "")
    out["dominant_share"] = np.where(ok, dom.loc[out["doc_id"], "_p"].to_numpy("float64"),
                                     np.nan)
    out["n"] = out["n"].astype("int64")
    return out[cols]


# ---------------------------------------------------------------- neutrality discourse
def _segment_of(m: pd.DataFrame, segments: pd.DataFrame | None) -> np.ndarray:
    """quote_id (float, NaN for author voice) of the segment containing each match start."""
    out = np.full(len(m), np.nan)
    if segments is None or len(segments) == 0 or len(m) == 0 or "quote_id" not in segments:
        return out
    seg = pd.DataFrame({"doc_id": _str(segments["doc_id"]),
                        "start": segments["start"].to_numpy("int64"),
                        "seg_end": segments["end"].to_numpy("int64"),
                        "quote_id": pd.to_numeric(segments["quote_id"], errors="coerce")
                        .astype("float64").to_numpy()}).sort_values("start")
    left = pd.DataFrame({"doc_id": m["doc_id"].to_numpy(),
                         "start": m["start"].to_numpy("int64"),
                         "_i": np.arange(len(m))}).sort_values("start")
    j = pd.merge_asof(left, seg, on="start", by="doc_id", direction="backward")
    ok = j["seg_end"].notna() & (j["start"] < j["seg_end"])
    out[j["_i"].to_numpy()] = np.where(ok, j["quote_id"].to_numpy("float64"), np.nan)
    return out


def neutrality_statements(matches: pd.DataFrame, sentences: pd.DataFrame,
                          quotes: pd.DataFrame | None = None,
                          segments: pd.DataFrame | None = None, *,
                          lexicon: str = DISCOURSE_LEXICON, core_only: bool = False
                          ) -> pd.DataFrame:
    """Sentences that talk about neutrality, who says it, and whether it is asserted.

    One row per (sentence, voice, quote) with at least one ``neutrality_discourse``
    match. ``speaker`` is the quote's speaker for quoted/reported voice and
    ``"(author)"`` for the author's voice. ``stance`` is decided by transparent rules,
    in this order:

    - ``questioned``: a ``questioning`` phrase ("so-called neutrality", "not
      neutral", "sitting on the fence" ...), or in the four words before a
      ``neutrality``/``balance``/``asserting`` term a negation (not, no, never, hardly,
      far from, no longer ...; ``negated``) or a distancing modifier (so-called,
      alleged, supposed, professed, nominal ...; ``distanced``);
    - ``qualified``: a contrast or concession marker (but, however, although, despite,
      yet, while ...) anywhere in the sentence;
    - ``asserted``: otherwise.

    ``core`` is True when the row has a ``neutrality``, ``asserting`` or
    ``questioning`` match (talk about neutrality as such, not only about balance,
    sovereignty, diplomacy or non-participation).

    Parameters
    ----------
    matches, sentences : DataFrame
    quotes, segments : DataFrame, optional
        To name the speakers of quoted/reported statements.
    lexicon : str
    core_only : bool
        Keep only ``core`` rows.

    Returns
    -------
    DataFrame
        see the module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [28],
    ...                   "text": ["Serbia is not neutral at all."]})
    >>> m = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [10], "end": [21],
    ...                   "lexicon": ["neutrality_discourse"], "category": ["questioning"],
    ...                   "term": ["not neutral"], "voice": ["author"], "weight": [1.0]})
    >>> neutrality_statements(m, s)["stance"].tolist()
    ['questioned']
    """
    cols = (["doc_id", "sent_id", "start", "end", "voice", "quote_id", "speaker",
             "speaker_actor", "terms"] + [f"n_{c}" for c in DISCOURSE_CATEGORIES]
            + ["core", "negated", "distanced", "contrast", "stance", "text"])
    m = _lexicon_matches(matches, lexicon)
    if len(m) == 0:
        out = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
        out["stance"] = _cat([], ("asserted", "qualified", "questioned"))
        return out
    _need(sentences, ("doc_id", "sent_id", "start", "end", "text"), "sentences")
    s = pd.DataFrame({"doc_id": _str(sentences["doc_id"]),
                      "sent_id": sentences["sent_id"].to_numpy("int64"),
                      "s_start": sentences["start"].to_numpy("int64"),
                      "s_end": sentences["end"].to_numpy("int64"),
                      "text": _str(sentences["text"])})
    m = m.merge(s, on=["doc_id", "sent_id"], how="left")
    m["quote_id"] = _segment_of(m, segments)
    # negation in the 4 words before neutrality / asserting terms (folded text)
    neg = np.zeros(len(m), dtype=bool)
    dist = np.zeros(len(m), dtype=bool)
    chk = m["category"].isin(["neutrality", "balance", "asserting"]).to_numpy()
    texts = m["text"].tolist()
    rel = (m["start"] - m["s_start"]).to_numpy()
    for i in np.flatnonzero(chk):
        t = texts[i] or ""
        before = fold(t[: max(int(rel[i]), 0)])
        window = " ".join(WORD_RE.findall(before.replace("n't", " not"))[-4:])
        neg[i] = bool(NEGATION_RE.search(window))
        dist[i] = bool(DISTANCING_RE.search(window))
    m["_neg"] = neg
    m["_dist"] = dist
    # the words as written (a regex pattern's term is the regex itself)
    ends = (m["end"] - m["s_start"]).to_numpy()
    m["surface"] = [(t or "")[max(int(a), 0):int(b)].lower()
                    for t, a, b in zip(texts, rel.tolist(), ends.tolist())]
    m["quote_key"] = m["quote_id"].fillna(-1).astype("int64")
    keys = ["doc_id", "sent_id", "voice", "quote_key"]
    agg = {"start": ("s_start", "first"), "end": ("s_end", "first"), "text": ("text", "first"),
           "negated": ("_neg", "any"), "distanced": ("_dist", "any"),
           "terms": ("surface", lambda x: "; ".join(dict.fromkeys(x)))}
    out = m.groupby(keys, sort=True).agg(**agg).reset_index()
    cnt = (m.groupby(keys + ["category"], sort=False).size().unstack("category", fill_value=0)
           .reindex(columns=list(DISCOURSE_CATEGORIES), fill_value=0))
    cnt.columns = [f"n_{c}" for c in cnt.columns]
    out = out.merge(cnt.reset_index(), on=keys, how="left")
    out["core"] = out[[f"n_{c}" for c in CORE_DISCOURSE]].sum(axis=1) > 0
    folded = [fold(t) for t in out["text"].tolist()]
    out["contrast"] = np.fromiter((bool(CONTRAST_RE.search(t)) for t in folded), dtype=bool,
                                  count=len(folded))
    questioned = (out["n_questioning"] > 0) | out["negated"] | out["distanced"]
    out["stance"] = _cat(np.where(questioned, "questioned",
                                  np.where(out["contrast"], "qualified", "asserted")),
                         ("asserted", "qualified", "questioned"))
    out["quote_id"] = out["quote_key"].where(out["quote_key"] >= 0).astype("Int64")
    spk = np.full(len(out), AUTHOR, dtype=object)
    act = np.full(len(out), "", dtype=object)
    if quotes is not None and len(quotes) and "quote_id" in quotes.columns:
        qq = pd.DataFrame({"doc_id": _str(quotes["doc_id"]),
                           "quote_key": pd.to_numeric(quotes["quote_id"]).astype("int64"),
                           "_speaker": _speaker(quotes),
                           "_actor": (_str(quotes["speaker_actor"])
                                      if "speaker_actor" in quotes.columns else "")})
        j = out[["doc_id", "quote_key"]].merge(qq, on=["doc_id", "quote_key"], how="left")
        has = out["quote_key"].to_numpy() >= 0
        spk = np.where(has, j["_speaker"].fillna(UNATTRIBUTED).to_numpy(), spk)
        act = np.where(has, j["_actor"].fillna("").to_numpy(), act)
    else:
        spk = np.where(out["voice"].to_numpy() == "author", AUTHOR, UNATTRIBUTED)
    out["speaker"] = spk
    out["speaker_actor"] = act
    out["voice"] = _cat(out["voice"], VOICES)
    if core_only:
        out = out[out["core"]]
    return out[cols].reset_index(drop=True)


# ---------------------------------------------------------------------------- sentiment
def sentence_voice(sentences: pd.DataFrame, segments: pd.DataFrame | None) -> pd.DataFrame:
    """Dominant voice of each sentence (the voice covering most of its characters; ties
    go to author, then quoted) and the author's share of its characters.

    Returns
    -------
    DataFrame
        ``doc_id, sent_id, voice, author_share``.
    """
    p = _pieces(sentences, segments)
    c = p.groupby(["doc_id", "sent_id", "voice"], sort=False)["chars"].sum().unstack(
        "voice", fill_value=0).reindex(columns=list(VOICES), fill_value=0)
    arr = c.to_numpy("float64")
    dom = np.array(VOICES, dtype=object)[np.argmax(arr, axis=1)] if len(c) else np.array([])
    tot = arr.sum(axis=1) if len(c) else np.array([])
    with np.errstate(divide="ignore", invalid="ignore"):
        ash = np.where(tot > 0, arr[:, 0] / tot, np.nan) if len(c) else np.array([])
    out = c.reset_index()[["doc_id", "sent_id"]]
    out["voice"] = dom
    out["author_share"] = ash
    return out


def voice_sentiment(sentiment: pd.DataFrame, sentences: pd.DataFrame,
                    segments: pd.DataFrame | None) -> pd.DataFrame:
    """Sentence sentiment aggregated per document and (dominant) voice.

    Each sentence counts in its dominant voice (:func:`sentence_voice`);
    ``compound_mean`` is the mean VADER compound, ``share_positive`` /
    ``share_negative`` the shares of sentences at or beyond VADER's +-0.05 thresholds.

    Returns
    -------
    DataFrame
        ``doc_id, voice, n_sentences, compound_mean, share_positive, share_negative``.
    """
    _need(sentiment, ("doc_id", "sent_id", "compound"), "sentiment")
    v = sentence_voice(sentences, segments)
    s = pd.DataFrame({"doc_id": _str(sentiment["doc_id"]),
                      "sent_id": sentiment["sent_id"].to_numpy("int64"),
                      "compound": sentiment["compound"].to_numpy("float64")})
    s = s.merge(v[["doc_id", "sent_id", "voice"]], on=["doc_id", "sent_id"], how="left")
    s["voice"] = s["voice"].fillna("author")
    s["_pos"] = s["compound"] >= 0.05
    s["_neg"] = s["compound"] <= -0.05
    out = s.groupby(["doc_id", "voice"], sort=True).agg(
        n_sentences=("compound", "size"), compound_mean=("compound", "mean"),
        share_positive=("_pos", "mean"), share_negative=("_neg", "mean")).reset_index()
    out["voice"] = _cat(out["voice"], VOICES)
    return out


# ---------------------------------------------------------------------------- bias score
#: Names of the transparent features of the bias model, in order.
CUE_FEATURES = tuple(f"n_{c}" for c in CUE_CATEGORIES)


def bias_features(matches: pd.DataFrame, sentences: pd.DataFrame,
                  sentiment: pd.DataFrame | None = None, *,
                  lexicon: str = BIAS_LEXICON) -> pd.DataFrame:
    """Per-sentence cue features (all transparent counts).

    Columns: ``doc_id, sent_id, tokens`` (word tokens), ``n_<category>`` for the 8
    ``bias_cues`` categories (all voices), ``n_exclaim`` / ``n_question`` (``!``/``?``
    marks), ``n_quote_marks`` (double quotation marks: scare quotes and quotations),
    and, when ``sentiment`` is given, ``vader_pos``, ``vader_neg``, ``vader_abs``
    (|compound|).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [9],
    ...                   "text": ["Shocking!"]})
    >>> f = bias_features(None, s)
    >>> f[["tokens", "n_exclaim", "n_loaded_terms"]].values.tolist()
    [[1, 1, 0]]
    """
    _need(sentences, ("doc_id", "sent_id", "text"), "sentences")
    text = _str(sentences["text"])
    f = pd.DataFrame({"doc_id": _str(sentences["doc_id"]),
                      "sent_id": sentences["sent_id"].to_numpy("int64"),
                      "tokens": count_words(text)})
    m = _lexicon_matches(matches, lexicon)
    cnt = (m.groupby(["doc_id", "sent_id", "category"], sort=False).size()
           .unstack("category", fill_value=0)
           .reindex(columns=list(CUE_CATEGORIES), fill_value=0))
    cnt.columns = [f"n_{c}" for c in cnt.columns]
    f = f.merge(cnt.reset_index(), on=["doc_id", "sent_id"], how="left")
    for c in CUE_FEATURES:
        f[c] = f[c].fillna(0).astype("int64")
    ts = pd.Series(text, dtype=object)
    f["n_exclaim"] = ts.str.count("!").to_numpy("int64")
    f["n_question"] = ts.str.count(r"\?").to_numpy("int64")
    f["n_quote_marks"] = ts.str.count('["\u201c\u201d\u201e\u00ab\u00bb]').to_numpy("int64")
    if sentiment is not None and len(sentiment):
        _need(sentiment, ("doc_id", "sent_id", "compound", "pos", "neg"), "sentiment")
        sv = pd.DataFrame({"doc_id": _str(sentiment["doc_id"]),
                           "sent_id": sentiment["sent_id"].to_numpy("int64"),
                           "vader_pos": sentiment["pos"].to_numpy("float64"),
                           "vader_neg": sentiment["neg"].to_numpy("float64"),
                           "vader_abs": np.abs(sentiment["compound"].to_numpy("float64"))})
        f = f.merge(sv, on=["doc_id", "sent_id"], how="left")
    return f


_TRANSFORMS = {
    "log1p": np.log1p,
    "identity": lambda x: x,
}


@lru_cache(maxsize=8)
def _read_model(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_bias_model(model: str | Path | Mapping = "default", *, variant: str | None = None
                    ) -> dict:
    """Load the fitted logistic bias model (``lexicons/bias_model.json``) or a user's.

    The JSON holds ``variants``: each with ``features`` (name, transform, mean, scale,
    coef), ``intercept`` and ``threshold``; and ``provenance``. ``variant`` picks one
    (``"cues"``, the default: cue counts only; ``"cues+vader"``: plus VADER components).

    Returns
    -------
    dict
        One variant, with ``name`` and ``provenance`` added.
    """
    if isinstance(model, Mapping):
        data = dict(model)
    else:
        if str(model) == "default":
            path = resources.files("framelens") / "lexicons" / "bias_model.json"
        else:
            path = Path(model)
        if not Path(str(path)).exists():
            raise FileNotFoundError(
                f"bias model {str(path)!r} not found; reproduce the shipped one with "
                f"`python benchmarks/fit_bias_model.py BABE_CSV` or pass model='formula'")
        data = _read_model(str(path))
    if "variants" not in data:
        return data
    variants = data["variants"]
    name = variant or data.get("default_variant") or next(iter(variants))
    if name not in variants:
        raise ValueError(f"bias model has no variant {name!r}; variants: {list(variants)}")
    out = dict(variants[name])
    out["name"] = name
    out["provenance"] = data.get("provenance", {})
    return out


#: The unfitted, documented formula (chosen a priori, not fitted): every cue counts 1,
#: hedges count -0.5 (they soften a claim); a sentence is flagged at a weighted count of
#: :data:`FORMULA_SCALE` (two net cues) or more.
FORMULA_WEIGHTS = {"n_hedges": -0.5, "n_boosters": 1.0, "n_attitude_markers": 1.0,
                   "n_factive_verbs": 1.0, "n_assertive_verbs": 1.0, "n_implicatives": 1.0,
                   "n_intensifiers": 1.0, "n_loaded_terms": 1.0}
FORMULA_SCALE = 2.0


def apply_bias_model(features: pd.DataFrame, model: Mapping | str | Path = "default", *,
                     variant: str | None = None, threshold: float | None = None
                     ) -> pd.DataFrame:
    """Apply a bias model to :func:`bias_features`, keeping every component visible.

    Logistic model: ``z_j = (t_j(x_j) - mean_j) / scale_j``, ``c_j = coef_j * z_j``,
    ``logit = intercept + sum_j c_j``, ``bias_score = 1 / (1 + exp(-logit))``,
    ``flagged = bias_score >= threshold`` and, when the model says ``require_cue`` (the
    shipped one does), at least one bias-cue match in the sentence.
    ``model="formula"`` uses the unfitted :data:`FORMULA_WEIGHTS` instead:
    ``logit = sum_j w_j n_j`` (weighted cue count),
    ``bias_score = 1 - exp(-max(logit, 0) / 2)`` and ``flagged = logit >= 2``.

    ``threshold`` overrides the model's (0.5 for the shipped model, whose intercept
    reflects BABE's 50% share of biased sentences; raise it for corpora where biased
    sentences are rarer).

    Returns
    -------
    DataFrame
        ``features`` plus ``f_<name>`` (transformed feature), ``c_<name>``
        (contribution), ``intercept``, ``logit``, ``bias_score``, ``flagged``, ``model``.
    """
    if threshold is not None and not 0.0 < float(threshold) < 1.0:
        raise ValueError(f"threshold must be between 0 and 1, not {threshold!r}")
    out = features.copy()
    if isinstance(model, str) and model == "formula":
        raw = np.zeros(len(out))
        for name, w in FORMULA_WEIGHTS.items():
            out[f"f_{name}"] = out[name].to_numpy("float64")
            out[f"c_{name}"] = w * out[f"f_{name}"]
            raw = raw + out[f"c_{name}"].to_numpy()
        out["intercept"] = 0.0
        out["logit"] = raw
        out["bias_score"] = 1.0 - np.exp(-np.maximum(raw, 0.0) / FORMULA_SCALE)
        out["flagged"] = raw >= FORMULA_SCALE
        out["model"] = "formula"
        return out
    spec = load_bias_model(model, variant=variant)
    logit = np.full(len(out), float(spec["intercept"]))
    for feat in spec["features"]:
        name = feat["name"]
        if name not in out.columns:
            raise ValueError(f"bias model needs feature {name!r}, missing from the features "
                             f"table (VADER features need the sentiment table)")
        x = out[name].to_numpy("float64")
        t = _TRANSFORMS[feat.get("transform", "identity")](x)
        z = (t - float(feat["mean"])) / float(feat["scale"])
        out[f"f_{name}"] = t
        out[f"c_{name}"] = float(feat["coef"]) * z
        logit = logit + out[f"c_{name}"].to_numpy()
    out["intercept"] = float(spec["intercept"])
    out["logit"] = logit
    out["bias_score"] = 1.0 / (1.0 + np.exp(-logit))
    thr = float(spec.get("threshold", 0.5)) if threshold is None else float(threshold)
    flagged = out["bias_score"].to_numpy() >= thr
    if spec.get("require_cue", False):
        flagged &= out[list(CUE_FEATURES)].sum(axis=1).to_numpy() > 0
    out["flagged"] = flagged
    out["model"] = spec.get("name", "custom")
    return out


def sentence_bias(matches: pd.DataFrame, sentences: pd.DataFrame,
                  segments: pd.DataFrame | None = None, sentiment: pd.DataFrame | None = None,
                  *, model: str | Path | Mapping = "default", variant: str | None = None,
                  threshold: float | None = None) -> pd.DataFrame:
    """Sentence-level bias score with every component visible.

    Features from :func:`bias_features`; score from :func:`apply_bias_model` (the
    shipped logistic model ``bias_model.json`` by default, variant ``cues`` so that the
    score does not change when sentiment is switched off; ``variant="cues+vader"`` adds
    VADER's components - or the unfitted ``"formula"``).
    Also reports the sentence's dominant ``voice``, ``n_author_cues`` (cues in the
    author's voice) and ``cue_density`` (all bias cues per 100 tokens).

    ``bias_score`` counts the cues of **every voice**: a sentence that quotes a source's
    loaded words scores high although the outlet only reports them. The
    **author-only variant** ``bias_score_author`` / ``flagged_author`` applies the same
    model to the cue counts in the author's voice only (punctuation, quotation-mark and
    length features stay those of the whole sentence); use it to rank the outlet's own
    evaluative language. Both are on the same scale; the components ``c_*`` shown are
    those of ``bias_score``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [9],
    ...                   "text": ["Plain text"]})
    >>> b = sentence_bias(None, s, model="formula")
    >>> float(b["bias_score"].iloc[0])
    0.0
    """
    if not (isinstance(model, (str, Path, Mapping))):
        raise ValueError("model must be 'default', 'formula', a path or a mapping")
    f = bias_features(matches, sentences, sentiment)
    b = apply_bias_model(f, model, variant=variant, threshold=threshold)
    v = sentence_voice(sentences, segments)
    m = _lexicon_matches(matches, BIAS_LEXICON)
    na = m[m["voice"] == "author"].groupby(["doc_id", "sent_id"]).size().rename("n_author_cues")
    # author-only variant: the same model with only the author-voice cue counts
    am = None
    if matches is not None and len(matches):
        am = matches[(_str(matches["lexicon"]) != BIAS_LEXICON)
                     | (_str(matches["voice"]) == "author")]
    fa = apply_bias_model(bias_features(am, sentences, sentiment), model, variant=variant,
                          threshold=threshold)
    b = b.assign(bias_score_author=fa["bias_score"].to_numpy(),
                 flagged_author=fa["flagged"].to_numpy())
    pos = pd.DataFrame({"doc_id": _str(sentences["doc_id"]),
                        "sent_id": sentences["sent_id"].to_numpy("int64"),
                        "start": sentences["start"].to_numpy("int64"),
                        "end": sentences["end"].to_numpy("int64")})
    b = pos.merge(b, on=["doc_id", "sent_id"], how="left")
    b = b.merge(v[["doc_id", "sent_id", "voice"]], on=["doc_id", "sent_id"], how="left")
    b = b.merge(na.reset_index(), on=["doc_id", "sent_id"], how="left")
    b["n_author_cues"] = b["n_author_cues"].fillna(0).astype("int64")
    ncues = b[list(CUE_FEATURES)].sum(axis=1).to_numpy("float64")
    tok = b["tokens"].to_numpy("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        b["cue_density"] = np.where(tok > 0, 100.0 * ncues / tok, np.nan)
    b["voice"] = _cat(b["voice"].fillna("author"), VOICES)
    lead = ["doc_id", "sent_id", "start", "end", "voice", "tokens", *CUE_FEATURES,
            "n_author_cues", "cue_density"]
    rest = [c for c in b.columns if c not in lead]
    return b[lead + rest]


# --------------------------------------------------------------------------- profile
def neutrality_profile(tables: Mapping[str, pd.DataFrame], *, camp_map=None) -> pd.DataFrame:
    """One row per document summarising every neutrality measure side by side.

    ``tables`` holds the outputs of :func:`step` (``cue_rates``, ``attribution`` ...)
    and the base tables (``sentences``, ``quotes``). Columns: ``tokens_<voice>``,
    ``share_<voice>`` (token shares), ``author_<category>`` (author cue rate per 100
    author tokens), ``author_evaluative_rate`` (attitude markers + intensifiers +
    loaded terms + boosters per 100 author tokens), ``author_hedge_rate``,
    ``quoted_evaluative_rate``, ``n_quotes``, ``n_verbs`` (distinct reporting verbs),
    ``verb_<class>`` (share of reporting verbs, each counted once), ``n_sources``
    (distinct persons quoted), ``source_balance``, ``dominant_source``, ``dominant_share``,
    ``n_camps``, ``camp_balance``, ``asymmetry`` (camp net-endorsement range),
    ``n_neutrality`` (core neutrality-discourse rows), ``n_neutrality_author``,
    ``n_neutrality_questioned``, ``bias_mean``, ``bias_max``, ``share_flagged`` (all
    voices), ``bias_author_mean``, ``share_flagged_author`` (author-voice cues only),
    ``compound_<voice>`` (when sentiment is available).
    """
    sent = tables["sentences"]
    docs = pd.DataFrame({"doc_id": pd.unique(_str(sent["doc_id"]))})
    if "docs" in tables and len(tables["docs"]):
        docs = pd.DataFrame({"doc_id": _str(tables["docs"]["doc_id"])}).drop_duplicates()
    out = docs.copy()
    cr = tables.get("cue_rates")
    if cr is not None and len(cr):
        cr = cr.assign(doc_id=_str(cr["doc_id"]), voice=_str(cr["voice"]),
                       category=_str(cr["category"]))
        tok = cr.drop_duplicates(["doc_id", "voice"]).pivot(index="doc_id", columns="voice",
                                                            values="tokens")
        tok = tok.reindex(columns=list(VOICES), fill_value=0).fillna(0)
        tot = tok.sum(axis=1)
        t = pd.DataFrame(index=tok.index)
        for v in VOICES:
            t[f"tokens_{v}"] = tok[v].astype("int64")
        for v in VOICES:
            t[f"share_{v}"] = np.where(tot > 0, tok[v] / tot.where(tot > 0, 1), np.nan)
        au = cr[cr["voice"] == "author"].pivot(index="doc_id", columns="category", values="rate")
        au = au.reindex(columns=list(CUE_CATEGORIES))
        for c in CUE_CATEGORIES:
            t[f"author_{c}"] = au[c]
        for v, name in (("author", "author_evaluative_rate"), ("quoted", "quoted_evaluative_rate")):
            d = cr[(cr["voice"] == v) & cr["category"].isin(EVALUATIVE)]
            g = d.groupby("doc_id").agg(n=("n", "sum"), tokens=("tokens", "first"))
            tk = g["tokens"]
            t[name] = np.where(tk > 0, 100 * g["n"] / tk.where(tk > 0, 1), np.nan)
        t["author_hedge_rate"] = t["author_hedges"]
        out = out.merge(t.reset_index(), on="doc_id", how="left")
    q = tables.get("quotes")
    if q is not None and len(q) and "verb_class" in q.columns:
        a = attribution(q, by=("doc_id",))
        a = a.assign(verb_class=_str(a["verb_class"]))
        w = a.pivot(index="doc_id", columns="verb_class", values="share").reindex(
            columns=list(VERB_CLASSES))
        w.columns = [f"verb_{c}" for c in w.columns]
        first = a.drop_duplicates("doc_id").set_index("doc_id")
        w["n_quotes"] = first["n_quotes"]
        w["n_verbs"] = first["n_verbs"]
        out = out.merge(w.reset_index(), on="doc_id", how="left")
        asym = attribution_asymmetry(q, group="camp", by=("doc_id",), camp_map=camp_map)
        out = out.merge(asym[["doc_id", "asymmetry"]], on="doc_id", how="left")
    else:
        out["n_quotes"] = 0
        out["n_verbs"] = 0
    out["n_quotes"] = out["n_quotes"].fillna(0).astype("int64")
    out["n_verbs"] = out["n_verbs"].fillna(0).astype("int64")
    src = tables.get("sources")
    if src is not None and len(src):
        b = source_balance(src, by="source").rename(columns={
            "n": "n_sources", "balance": "source_balance", "dominant": "dominant_source"})
        out = out.merge(b[["doc_id", "n_sources", "source_balance", "dominant_source",
                           "dominant_share"]], on="doc_id", how="left")
        c = source_balance(src, by="camp").rename(columns={"n": "n_camps",
                                                            "balance": "camp_balance"})
        out = out.merge(c[["doc_id", "n_camps", "camp_balance"]], on="doc_id", how="left")
    for col in ("n_sources", "n_camps"):
        out[col] = out[col].fillna(0).astype("int64") if col in out else 0
    ns = tables.get("neutrality_statements")
    if ns is not None and len(ns):
        core = ns[ns["core"].astype(bool)]
        g = pd.DataFrame({
            "n_neutrality": core.groupby(_str(core["doc_id"])).size(),
            "n_neutrality_author": core[_str(core["voice"]) == "author"].groupby(
                _str(core[_str(core["voice"]) == "author"]["doc_id"])).size(),
            "n_neutrality_questioned": core[_str(core["stance"]) == "questioned"].groupby(
                _str(core[_str(core["stance"]) == "questioned"]["doc_id"])).size(),
        })
        g.index.name = "doc_id"
        out = out.merge(g.reset_index(), on="doc_id", how="left")
    for col in ("n_neutrality", "n_neutrality_author", "n_neutrality_questioned"):
        out[col] = out[col].fillna(0).astype("int64") if col in out else 0
    sb = tables.get("sentence_bias")
    if sb is not None and len(sb):
        agg = dict(bias_mean=("bias_score", "mean"), bias_max=("bias_score", "max"),
                   share_flagged=("flagged", "mean"))
        if "bias_score_author" in sb.columns:
            agg.update(bias_author_mean=("bias_score_author", "mean"),
                       share_flagged_author=("flagged_author", "mean"))
        g = sb.assign(doc_id=_str(sb["doc_id"])).groupby("doc_id").agg(**agg)
        out = out.merge(g.reset_index(), on="doc_id", how="left")
    vs = tables.get("voice_sentiment")
    if vs is not None and len(vs):
        vs = vs.assign(doc_id=_str(vs["doc_id"]), voice=_str(vs["voice"]))
        w = vs.pivot(index="doc_id", columns="voice", values="compound_mean").reindex(
            columns=list(VOICES))
        w.columns = [f"compound_{c}" for c in w.columns]
        out = out.merge(w.reset_index(), on="doc_id", how="left")
    return out


# ------------------------------------------------------------------------------- step
_STEP_OPTIONS = {"bias_model", "bias_variant", "bias_threshold", "camp_map", "sentiment"}


def step(tables: Mapping[str, pd.DataFrame], **options: Any) -> dict[str, pd.DataFrame]:
    """The pipeline step ``neutrality``: all tables of this module for one batch.

    Parameters
    ----------
    tables : mapping of DataFrame
        ``sentences``, ``segments``, ``quotes``, ``matches`` (with the ``bias_cues`` and
        ``neutrality_discourse`` lexicons), optionally ``sentiment`` and ``docs``.
    **options
        ``bias_model`` ("default" | "formula" | path to a JSON model),
        ``bias_variant`` ("cues" | "cues+vader"), ``bias_threshold`` (flagging
        threshold, default the model's 0.5), ``camp_map`` (actor code -> camp),
        ``sentiment`` (False ignores the sentiment table even when present).

    Returns
    -------
    dict of DataFrame
        ``cue_rates``, ``attribution``, ``sources``, ``neutrality_statements``,
        ``sentence_bias``, ``neutrality_profile`` and, with sentiment,
        ``voice_sentiment`` (columns in the module docstring).
    """
    bad = set(options) - _STEP_OPTIONS
    if bad:
        raise ValueError(f"unknown neutrality option(s) {sorted(bad)}; "
                         f"known: {sorted(_STEP_OPTIONS)}")
    sent = tables.get("sentences")
    if sent is None:
        raise ValueError("neutrality.step needs the 'sentences' table (run text.process first)")
    seg = tables.get("segments")
    matches = tables.get("matches")
    quotes = tables.get("quotes")
    senti = tables.get("sentiment") if options.get("sentiment", True) else None
    if senti is not None and len(senti) == 0:
        senti = None
    camp_map = options.get("camp_map")
    out: dict[str, pd.DataFrame] = {}
    out["cue_rates"] = cue_rates(matches, sent, seg)
    if quotes is None or len(quotes) == 0:
        quotes = schema.empty("quotes")
    out["attribution"] = attribution(quotes, by=("doc_id", "speaker"))
    docs = tables.get("docs")
    out["sources"] = sources(quotes, camp_map=camp_map, segments=seg,
                             docs=docs if docs is not None and "text" in docs.columns else None)
    out["neutrality_statements"] = neutrality_statements(matches, sent, quotes, seg)
    if senti is not None:
        out["voice_sentiment"] = voice_sentiment(senti, sent, seg)
    out["sentence_bias"] = sentence_bias(matches, sent, seg, senti,
                                         model=options.get("bias_model", "default"),
                                         variant=options.get("bias_variant"),
                                         threshold=options.get("bias_threshold"))
    prof_in = dict(tables)
    prof_in.update(out)
    prof_in["quotes"] = quotes
    out["neutrality_profile"] = neutrality_profile(prof_in, camp_map=camp_map)
    return out


# ------------------------------------------------------------- corpus-level summaries
def _grouped(table: pd.DataFrame, docs: pd.DataFrame, by: str) -> pd.DataFrame:
    if by not in docs.columns:
        raise ValueError(f"docs has no column {by!r} to group by; columns: {list(docs.columns)}")
    d = pd.DataFrame({"doc_id": _str(docs["doc_id"]), "_group": _str(docs[by])})
    t = table.copy()
    t["doc_id"] = _str(t["doc_id"])
    return t.merge(d, on="doc_id", how="inner")


def group_cue_rates(cue_rates_table: pd.DataFrame, docs: pd.DataFrame, *, by: str = "outlet"
                    ) -> pd.DataFrame:
    """Pooled cue rates per group (e.g. outlet), voice and category.

    ``rate = 100 * sum(n) / sum(tokens)`` over the group's documents (pooled, so long
    documents weigh more than short ones); all categories kept.

    Returns
    -------
    DataFrame
        ``group, voice, category, n, tokens, rate, n_docs``.
    """
    t = _grouped(cue_rates_table, docs, by)
    t["voice"] = _str(t["voice"])
    t["category"] = _str(t["category"])
    g = t.groupby(["_group", "voice", "category"], sort=True).agg(
        n=("n", "sum"), tokens=("tokens", "sum"), n_docs=("doc_id", "nunique")).reset_index()
    tok = g["tokens"].to_numpy("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        g["rate"] = np.where(tok > 0, 100 * g["n"].to_numpy("float64") / tok, np.nan)
    return g.rename(columns={"_group": "group"})[["group", "voice", "category", "n", "tokens",
                                                  "rate", "n_docs"]]


def group_verb_mix(quotes: pd.DataFrame, docs: pd.DataFrame, *, by: str = "outlet",
                   speaker_by: str | None = None, camp_map=None) -> pd.DataFrame:
    """Reporting-verb class shares per group (pooled over its quotes), optionally split
    by ``speaker_by`` (``"camp"`` or ``"source"``).

    Returns
    -------
    DataFrame
        ``group, [speaker group,] verb_class, n, n_verbs, n_quotes, share`` (each
        reporting verb counted once, see :func:`attribution`).
    """
    q = quotes.copy()
    if speaker_by == "camp":
        q["camp"] = _camp(source_key(quotes).to_numpy(), quotes, camp_map)
    elif speaker_by == "source":
        q["source"] = source_key(quotes).to_numpy()
    elif speaker_by is not None:
        raise ValueError("speaker_by must be None, 'camp' or 'source'")
    q = _grouped(q, docs, by)
    keys = ["_group"] + ([speaker_by] if speaker_by else [])
    a = attribution(q, by=keys)
    return a.rename(columns={"_group": "group"})


def group_sourcing(src: pd.DataFrame, docs: pd.DataFrame, *, by: str = "outlet",
                   level: str = "camp") -> pd.DataFrame:
    """Share of quoted words per camp (or source) within each group, pooled, plus the
    group's balance (normalised entropy) and dominant share over those shares.

    Returns
    -------
    DataFrame
        ``group, <level>, quoted_words, share, balance, dominant_share``.
    """
    if level not in ("camp", "source"):
        raise ValueError("level must be 'camp' or 'source'")
    s = _grouped(src[_str(src["source"]) != UNATTRIBUTED], docs, by)
    g = s.groupby(["_group", level], sort=True)["quoted_words"].sum().reset_index()
    tot = g.groupby("_group")["quoted_words"].transform("sum")
    g["share"] = g["quoted_words"] / tot.where(tot > 0)
    bal = source_balance(g.rename(columns={"_group": "doc_id"}).assign(
        source=g[level], camp=g[level]), by="source")
    g = g.merge(bal[["doc_id", "balance", "dominant_share"]].rename(columns={"doc_id": "_group"}),
                on="_group", how="left")
    return g.rename(columns={"_group": "group"})


def select_docs(docs: pd.DataFrame, *, group_col: str = "outlet", date_from: str = "",
                date_to: str = "") -> pd.DataFrame:
    """Validate notebook parameters and return the documents in the date range.

    ``date_from`` / ``date_to`` are ISO dates (inclusive; ``""`` = open). Documents
    without a date are kept only when no range is given. Raises ``ValueError`` naming
    the fix for an unknown ``group_col`` or an unparsable date.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"],
    ...                   "date": pd.to_datetime(["2024-01-05", "2024-03-01"])})
    >>> select_docs(d, date_from="2024-02-01")["doc_id"].tolist()
    ['b']
    """
    if group_col not in docs.columns:
        raise ValueError(f"group_col {group_col!r} is not a docs column; choose one of "
                         f"{list(docs.columns)}")
    out = docs
    if date_from or date_to:
        if "date" not in docs.columns:
            raise ValueError("a date range needs a 'date' column in docs; set date_from = "
                             "date_to = \"\"")
        dates = pd.to_datetime(docs["date"], errors="coerce")
        keep = dates.notna()
        for val, name, op in ((date_from, "date_from", "ge"), (date_to, "date_to", "le")):
            if val:
                try:
                    t = pd.Timestamp(val)
                except ValueError:
                    raise ValueError(f"{name}={val!r} is not an ISO date like 2024-01-31") from None
                keep &= getattr(dates, op)(t)
        out = docs[keep.to_numpy()]
    if len(out) == 0:
        raise ValueError("no documents left after the date filter; widen date_from/date_to")
    return out.reset_index(drop=True)
