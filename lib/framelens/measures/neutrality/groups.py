"""Corpus-level summaries per group (outlet) for the neutrality report."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from framelens.core.schema import VERB_CLASSES
from framelens.core.tokens import RATE_PER

from .attributions import attribution, source_key, verb_grid
from .common import UNATTRIBUTED, as_str_array, camp_of_sources
from .sourcing import source_balance

log = logging.getLogger(__name__)


def with_group(table: pd.DataFrame, docs: pd.DataFrame, by: str) -> pd.DataFrame:
    if by not in docs.columns:
        raise ValueError(f"docs has no column {by!r} to group by; columns: {list(docs.columns)}")
    d = pd.DataFrame({"doc_id": as_str_array(docs["doc_id"]), "_group": as_str_array(docs[by])})
    t = table.copy()
    t["doc_id"] = as_str_array(t["doc_id"])
    return t.merge(d, on="doc_id", how="inner")


def group_cue_rates(
    cue_rates_table: pd.DataFrame, docs: pd.DataFrame, *, by: str = "outlet"
) -> pd.DataFrame:
    """Pooled cue rates per group (e.g. outlet), voice and category.

    ``rate = 1000 * sum(n) / sum(tokens)`` over the group's documents (pooled, so long
    documents weigh more than short ones); all categories kept.

    Returns
    -------
    DataFrame
        ``group, voice, category, n, tokens, rate, n_docs``.
    """
    t = with_group(cue_rates_table, docs, by)
    t["voice"] = as_str_array(t["voice"])
    t["category"] = as_str_array(t["category"])
    g = (
        t.groupby(["_group", "voice", "category"], sort=True)
        .agg(n=("n", "sum"), tokens=("tokens", "sum"), n_docs=("doc_id", "nunique"))
        .reset_index()
    )
    tok = g["tokens"].to_numpy("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        g["rate"] = np.where(tok > 0, RATE_PER * g["n"].to_numpy("float64") / tok, np.nan)
    return g.rename(columns={"_group": "group"})[
        ["group", "voice", "category", "n", "tokens", "rate", "n_docs"]
    ]


def group_verb_mix(
    quotes: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    by: str = "outlet",
    speaker_by: str | None = None,
    camp_map=None,
) -> pd.DataFrame:
    """Reporting-verb class shares per group (pooled over its quotes), optionally split
    by ``speaker_by`` (``"camp"`` or ``"source"``).

    This is THE reporting-verb mix of framelens: every report that shows a verb mix
    calls it, so the corpus and neutrality reports show the same number. Each
    reporting verb counts once (:func:`verb_counted`: a partial quote nested in an
    indirect one shares its verb) and a quote without a verb class counts as neutral.

    Returns
    -------
    DataFrame
        ``group, [speaker group,] verb_class, n, n_verbs, n_quotes, share`` (each
        reporting verb counted once, see :func:`attribution`).

    Examples
    --------
    >>> q = pd.DataFrame({"doc_id": ["a", "a", "a"], "verb_start": [3, 3, 40],
    ...                   "verb_class": ["endorsing", "endorsing", None]})
    >>> d = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"]})
    >>> m = group_verb_mix(q, d, by="outlet")
    >>> m[["verb_class", "n", "share"]].astype({"verb_class": str}).values.tolist()[:2]
    [['neutral', 1, 0.5], ['endorsing', 1, 0.5]]
    """
    q = quotes.copy()
    if speaker_by == "camp":
        q["camp"] = camp_of_sources(source_key(quotes).to_numpy(), quotes, camp_map)
    elif speaker_by == "source":
        q["source"] = source_key(quotes).to_numpy()
    elif speaker_by is not None:
        raise ValueError("speaker_by must be None, 'camp' or 'source'")
    q = with_group(q, docs, by)
    keys = ["_group"] + ([speaker_by] if speaker_by else [])
    a = attribution(q, by=keys)
    return a.rename(columns={"_group": "group"})


_MIX_COUNTS = ("verb_class", "n", "n_verbs", "n_quotes", "share")


def combine_verb_mix(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """:func:`group_verb_mix` of the union of disjoint sets of documents, from the mix of
    each set (counts added, shares recomputed): a large quotes table can be read part by
    part. Rows and dtypes are those :func:`group_verb_mix` gives for all quotes at once.

    Examples
    --------
    >>> q = pd.DataFrame({"doc_id": ["a", "b", "b"], "verb_start": [3, 3, 9],
    ...                   "verb_class": ["endorsing", "neutral", "neutral"]})
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "X"]})
    >>> one = group_verb_mix(q, d, by="outlet")
    >>> two = combine_verb_mix([group_verb_mix(q[q["doc_id"] == i], d, by="outlet") for i in "ab"])
    >>> two.equals(one)
    True
    """
    full = [p for p in parts if len(p)]
    if len(full) <= 1:
        return full[0] if full else parts[0]
    a = pd.concat(full, ignore_index=True)
    keys = [c for c in a.columns if c not in _MIX_COUNTS]
    row_key = list(zip(*(a[c].to_numpy(dtype=object) for c in keys)))
    groups = sorted(set(row_key))
    where = {g: i for i, g in enumerate(groups)}
    gi = np.fromiter((where[t] for t in row_key), dtype=np.int64, count=len(row_key))
    k = len(VERB_CLASSES)
    cls = pd.Index(list(VERB_CLASSES)).get_indexer(a["verb_class"].astype(str))
    n = np.zeros((len(groups), k), dtype=np.int64)
    np.add.at(n, (gi, cls), a["n"].to_numpy(dtype=np.int64))
    first = cls == 0  # one row per group and part carries the part's n_quotes
    n_q = np.zeros(len(groups), dtype=np.int64)
    np.add.at(n_q, gi[first], a["n_quotes"].to_numpy(dtype=np.int64)[first])
    keys_of = {c: np.array([g[j] for g in groups], dtype=object) for j, c in enumerate(keys)}
    return verb_grid(keys_of, n, n_q)


def group_sourcing(
    src: pd.DataFrame, docs: pd.DataFrame, *, by: str = "outlet", level: str = "camp"
) -> pd.DataFrame:
    """Share of quoted words per camp (or source) within each group, pooled, plus the
    group's balance (normalised entropy) and dominant share over those shares.

    Returns
    -------
    DataFrame
        ``group, <level>, quoted_words, share, balance, dominant_share``.
    """
    if level not in ("camp", "source"):
        raise ValueError("level must be 'camp' or 'source'")
    s = with_group(src[as_str_array(src["source"]) != UNATTRIBUTED], docs, by)
    g = s.groupby(["_group", level], sort=True)["quoted_words"].sum().reset_index()
    tot = g.groupby("_group")["quoted_words"].transform("sum")
    g["share"] = g["quoted_words"] / tot.where(tot > 0)
    bal = source_balance(
        g.rename(columns={"_group": "doc_id"}).assign(source=g[level], camp=g[level]), by="source"
    )
    g = g.merge(
        bal[["doc_id", "balance", "dominant_share"]].rename(columns={"doc_id": "_group"}),
        on="_group",
        how="left",
    )
    return g.rename(columns={"_group": "group"})
