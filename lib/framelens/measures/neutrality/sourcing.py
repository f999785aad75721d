"""Sources: who is quoted, their camp and the balance of sourcing."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd

from framelens.core.schema import VERB_CLASSES
from framelens.core.tokens import count_words

from .attributions import source_key, verb_counted
from .common import (
    UNATTRIBUTED,
    as_str_array,
    camp_of_sources,
    need_columns,
)

log = logging.getLogger(__name__)


def _segment_words(quotes: pd.DataFrame, segments: pd.DataFrame, docs: pd.DataFrame) -> np.ndarray:
    """Words of each quote counted from the voice segments it owns, so that a partial
    quote nested in an indirect one is not counted twice (each character belongs to the
    innermost quote's segment)."""
    need_columns(segments, ("doc_id", "start", "end", "quote_id"), "segments")
    need_columns(docs, ("doc_id", "text"), "docs")
    g = segments[segments["quote_id"].notna()]
    texts = dict(zip(as_str_array(docs["doc_id"]), as_str_array(docs["text"])))
    dids = as_str_array(g["doc_id"])
    st = g["start"].to_numpy("int64")
    en = g["end"].to_numpy("int64")
    pieces = [texts.get(d, "")[a:b] for d, a, b in zip(dids, st.tolist(), en.tolist())]
    w = (
        pd.DataFrame(
            {
                "doc_id": dids,
                "quote_id": pd.to_numeric(g["quote_id"]).astype("int64").to_numpy(),
                "w": count_words(pieces),
            }
        )
        .groupby(["doc_id", "quote_id"])["w"]
        .sum()
    )
    key = pd.MultiIndex.from_arrays(
        [
            as_str_array(quotes["doc_id"]),
            pd.to_numeric(quotes["quote_id"]).astype("int64").to_numpy(),
        ]
    )
    return w.reindex(key).fillna(0).astype("int64").to_numpy()


def sources(
    quotes: pd.DataFrame,
    *,
    camp_map: Mapping[str, str] | None = None,
    include_unattributed: bool = True,
    segments: pd.DataFrame | None = None,
    docs: pd.DataFrame | None = None,
) -> pd.DataFrame:
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
    # long: numpydoc; the body joins quotes, speakers and quoted words in 68 lines
    need_columns(quotes, ("doc_id", "text"), "quotes")
    cols = [
        "doc_id",
        "source",
        "affiliation",
        "camp",
        "n_quotes",
        "n_verbs",
        "quoted_words",
        "share_words",
    ] + [f"n_{v}" for v in VERB_CLASSES]
    if len(quotes) == 0:
        return pd.DataFrame(
            {c: pd.Series([], dtype=object if c in cols[:4] else "float64") for c in cols}
        )
    src = source_key(quotes).to_numpy()
    aff = (
        np.array([x.strip() for x in as_str_array(quotes["speaker_actor"])], dtype=object)
        if "speaker_actor" in quotes.columns
        else np.full(len(quotes), "", dtype=object)
    )
    vc = (
        as_str_array(quotes["verb_class"])
        if "verb_class" in quotes.columns
        else np.full(len(quotes), "", dtype=object)
    )
    vc = np.where(vc == "", "neutral", vc)
    q = pd.DataFrame(
        {
            "doc_id": as_str_array(quotes["doc_id"]),
            "source": src,
            "affiliation": aff,
            "camp": camp_of_sources(src, quotes, camp_map),
            "words": (
                _segment_words(quotes, segments, docs)
                if segments is not None
                and docs is not None
                and len(segments)
                and "quote_id" in quotes.columns
                else count_words(as_str_array(quotes["text"]))
            ),
        }
    )
    counted = verb_counted(quotes)
    q["n_verbs"] = counted.astype("int64")
    for v in VERB_CLASSES:
        q[f"n_{v}"] = ((vc == v) & counted).astype("int64")
    # affiliation / camp: the first non-empty actor code of the person
    q["_noaff"] = q["affiliation"] == ""
    q = q.sort_values(["doc_id", "source", "_noaff"], kind="stable")
    agg = {
        "affiliation": ("affiliation", "first"),
        "camp": ("camp", "first"),
        "n_quotes": ("words", "size"),
        "n_verbs": ("n_verbs", "sum"),
        "quoted_words": ("words", "sum"),
    }
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


def source_balance(
    src: pd.DataFrame, *, by: str = "source", weight: str = "quoted_words"
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
    s = src[as_str_array(src["source"]) != UNATTRIBUTED] if len(src) else src
    if len(s) == 0:
        return pd.DataFrame(
            {
                c: pd.Series([], dtype=object if c in ("doc_id", "dominant") else "float64")
                for c in cols
            }
        )
    g = s.groupby(["doc_id", by], sort=True)[weight].sum().reset_index()
    g = g.rename(columns={by: "_k"})
    tot = g.groupby("doc_id")[weight].transform("sum").to_numpy("float64")
    w = g[weight].to_numpy("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tot > 0, w / tot, np.nan)
        g["_h"] = np.where(p > 0, -p * np.log(p), 0.0)
    g["_p"] = p
    g["_fin"] = np.isfinite(p)
    agg = g.groupby("doc_id", sort=True).agg(
        n=("_k", "size"), entropy=("_h", "sum"), _ok=("_fin", "all")
    )
    dom = (
        g.sort_values(["doc_id", "_p", "_k"], ascending=[True, False, True])
        .drop_duplicates("doc_id")
        .set_index("doc_id")
    )
    out = agg.reset_index()
    k = out["n"].to_numpy("float64")
    h = out["entropy"].to_numpy("float64")
    ok = out["_ok"].to_numpy(bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["balance"] = np.where(k > 1, h / np.log(np.where(k > 1, k, 2.0)), 0.0)
    out["entropy"] = np.where(ok, h, np.nan)
    out["balance"] = np.where(ok, out["balance"], np.nan)
    out["dominant"] = np.where(ok, dom.loc[out["doc_id"], "_k"].astype(str).to_numpy(), "")
    out["dominant_share"] = np.where(ok, dom.loc[out["doc_id"], "_p"].to_numpy("float64"), np.nan)
    out["n"] = out["n"].astype("int64")
    return out[cols]
