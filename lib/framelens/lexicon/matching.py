"""Match lexicons over documents (hits with sentence and voice) and count hits per category."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from framelens.core.spans import VOICE_DTYPE, SpanLocator
from framelens.errors import ConfigError, TableError

from .matcher import Matcher, as_lexicons
from .model import KINDS, SEP, Lexicon

#: Characters per automaton pass in match() (documents are joined into chunks).
CHUNK_CHARS = 2_000_000

log = logging.getLogger(__name__)


def to_frame(lexicon: Lexicon | str | Iterable) -> pd.DataFrame:
    """One row per pattern: lexicon, category, term, kind, weight (for display).

    Examples
    --------
    >>> to_frame(Lexicon.from_dict({"name": "t", "categories": {"A": ["war", "cost*"]}}))
      lexicon category   term  kind  weight
    0       t        A    war  word     1.0
    1       t        A  cost*  glob     1.0
    """
    lexs = as_lexicons(lexicon)
    rows = [
        (lx.name, c.name, p.term, p.kind, p.weight)
        for lx in lexs
        for c in lx.categories.values()
        for p in c.patterns
    ]
    df = pd.DataFrame(rows, columns=["lexicon", "category", "term", "kind", "weight"])
    df["lexicon"] = pd.Categorical(df["lexicon"], categories=[lx.name for lx in lexs])
    df["category"] = pd.Categorical(
        df["category"], categories=list(dict.fromkeys(df["category"].tolist()))
    )
    df["kind"] = pd.Categorical(df["kind"], categories=list(KINDS))
    df["weight"] = df["weight"].astype("float64")
    return df


def _take_strings(values: np.ndarray, idx: np.ndarray):
    """``values[idx]`` as a pandas "string" array, built by pyarrow's take (no Python
    string objects per row)."""
    try:
        import pyarrow as pa

        # large_string: what pandas stores (a string array would be cast per call)
        arr = pa.array(values, type=pa.large_string())
        return pd.arrays.ArrowStringArray(arr.take(pa.array(idx, type=pa.int64())))
    except (ImportError, TypeError, ValueError):  # pragma: no cover - pyarrow is a dependency
        return pd.array(values[idx], dtype="string")


def match(
    docs: pd.DataFrame,
    lexicons_or_matcher,
    *,
    sentences: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Find every lexicon match in ``docs``.

    Parameters
    ----------
    docs : DataFrame
        With columns ``doc_id`` and ``text``.
    lexicons_or_matcher : Matcher, Lexicon, str, path or list of them
        Compile once and pass a :class:`Matcher` when calling repeatedly.
    sentences, segments : DataFrame, optional
        Tables of :func:`framelens.text.layer`; give ``sent_id`` and ``voice`` of each
        match by the convention of :mod:`framelens.core.spans` (the sentence / voice
        segment holding its start; sentence 0 before the first sentence). Without them
        ``sent_id`` is -1 (unknown) and ``voice`` "author".
    progress : bool, default False
        Show a tqdm progress bar over chunks of documents.

    Returns
    -------
    DataFrame
        Columns of :data:`framelens.core.schema.MATCH_COLUMNS`: doc_id, sent_id, start, end,
        lexicon, category, term (the pattern as written), voice, weight; one row per
        (span, category); ordered by document (as in ``docs``), start, pattern.

    Examples
    --------
    >>> import pandas as pd
    >>> lex = Lexicon.from_dict({"name": "w", "categories": {"War": ["war*"]}})
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Wars, an award."]})
    >>> match(docs, lex)[["doc_id", "start", "end", "term"]]
      doc_id  start  end  term
    0      a      0    4  war*
    """
    # long: the docstring documents the table; the body is chunking, per-chunk location and one
    #  column assembly over shared arrays
    if not isinstance(docs, pd.DataFrame):
        raise TypeError(f"docs must be a DataFrame with doc_id and text, got {type(docs)}")
    missing = [c for c in ("doc_id", "text") if c not in docs.columns]
    if missing:
        raise TableError(
            f"docs lacks column(s) {missing}; available: {list(docs.columns)}. "
            "Load documents with framelens.load_corpus(...).docs"
        )
    matcher = (
        lexicons_or_matcher
        if isinstance(lexicons_or_matcher, Matcher)
        else Matcher(lexicons_or_matcher)
    )
    texts = [
        "" if t is None or (isinstance(t, float) and math.isnan(t)) else str(t)
        for t in docs["text"].tolist()
    ]
    doc_ids = docs["doc_id"].astype(str).to_numpy()
    # chunks of about CHUNK_CHARS characters: one automaton pass each
    bounds = [0]
    acc = 0
    for i, t in enumerate(texts):
        acc += len(t) + len(SEP)
        if acc >= CHUNK_CHARS:
            bounds.append(i + 1)
            acc = 0
    if bounds[-1] != len(texts):
        bounds.append(len(texts))
    ucode, uniq = pd.factorize(doc_ids)
    docs_index = pd.Index(np.asarray(uniq, dtype=object), dtype=object)
    # integer document codes all the way (no strings per match); per chunk when the
    # ids are unique (codes == positions), which keeps the lookups cache-friendly
    per_chunk = len(uniq) == len(doc_ids)
    locator = (
        SpanLocator(docs_index, sentences, segments, max_start=max(map(len, texts), default=0))
        if per_chunk
        else None
    )
    parts = []
    it = range(len(bounds) - 1)
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(it, desc="lexicon match", unit="chunk")
    for b in it:
        lo, hi = bounds[b], bounds[b + 1]
        d, st, en, pid = matcher.find_chunk(texts[lo:hi])
        d += lo
        if per_chunk:
            parts.append((d, st, en, pid, *locator(d, st, lo, hi)))
        else:
            parts.append((d, st, en, pid))
    if parts:
        cols = [np.concatenate([p[k] for p in parts]) for k in range(len(parts[0]))]
    else:
        cols = [np.empty(0, dtype=np.int64)] * 4 + [
            np.empty(0, dtype=np.int32),
            np.empty(0, dtype=np.int8),
        ]
    del parts
    doc, st, en, pid = cols[:4]
    if per_chunk:
        sent = cols[4]
        voice = pd.Categorical.from_codes(cols[5], dtype=VOICE_DTYPE, validate=False)
    else:  # repeated ids: one locator over the distinct ids
        loc = SpanLocator(
            docs_index, sentences, segments, max_start=int(st.max()) if st.size else 0
        )
        sent, vcode = loc(ucode[doc].astype(np.int64), st)
        voice = pd.Categorical.from_codes(vcode, dtype=VOICE_DTYPE, validate=False)
    out = pd.DataFrame(
        {
            "doc_id": _take_strings(doc_ids, doc),
            "sent_id": np.asarray(sent, dtype=np.int32),
            "start": st.astype(np.int64, copy=False),
            "end": en.astype(np.int64, copy=False),
            "lexicon": pd.Categorical.from_codes(
                matcher._p_lex.take(pid), dtype=matcher._lex_dtype, validate=False
            ),
            "category": pd.Categorical.from_codes(
                matcher._p_cat.take(pid), dtype=matcher._cat_dtype, validate=False
            ),
            "term": _take_strings(matcher._terms_arr, matcher._p_term.take(pid)),
            "voice": voice,
            "weight": matcher._p_weight.take(pid),
        },
        copy=False,
    )
    return out


def count(
    matches: pd.DataFrame,
    lexicons,
    *,
    by: Sequence[str] | str = ("doc_id",),
    weighted: bool = False,
    index: pd.DataFrame | Sequence | None = None,
) -> pd.DataFrame:
    """Tidy counts of matches per group and category, zeros included.

    Every category of every lexicon appears for every group: the groups are those
    present in ``matches`` plus those in ``index`` (e.g. all documents, so documents
    without any match get zero rows).

    Parameters
    ----------
    matches : DataFrame
        The output of :func:`match` (with the ``by`` columns added when grouping by
        document metadata, e.g. ``outlet``).
    lexicons : Lexicon, name, path, list of them or Matcher
        Defines the categories; matches of other lexicons are ignored.
    by : str or sequence of str, default ("doc_id",)
        Grouping columns (may be empty: one corpus-wide count per category).
    weighted : bool, default False
        Also sum the match weights into a column ``weight``.
    index : DataFrame, Series or list, optional
        Groups to include even without matches (a DataFrame with the ``by`` columns,
        or values of the single ``by`` column).

    Returns
    -------
    DataFrame
        Columns ``*by, lexicon, category, n`` (int64) and ``weight`` (float64) when
        ``weighted``; lexicon and category Categorical in lexicon order.

    Examples
    --------
    >>> lex = Lexicon.from_dict({"name": "w", "categories": {"A": ["war"], "B": ["aid"]}})
    >>> m = match(pd.DataFrame({"doc_id": ["d1"], "text": ["war, war"]}), lex)
    >>> count(m, lex)
      doc_id lexicon category  n
    0     d1       w        A  2
    1     d1       w        B  0
    """
    # long: the docstring documents the options; the body is one vectorised group x category
    #  bincount
    if isinstance(by, str):
        by = (by,)
    by = list(by)
    if not isinstance(weighted, bool):
        raise TypeError("weighted must be True or False")
    need = by + ["lexicon", "category"] + (["weight"] if weighted else [])
    missing = [c for c in need if c not in matches.columns]
    if missing:
        raise TableError(
            f"matches lacks column(s) {missing}; available: {list(matches.columns)}. Merge "
            "document metadata first, e.g. matches.merge(docs[['doc_id', 'outlet']], on='doc_id')"
        )
    if {"lexicon", "category"} & set(by):
        raise ConfigError("'lexicon' and 'category' are always in the output; leave them out of by")
    lexs = as_lexicons(lexicons)
    cat_rows = [(lx.name, c) for lx in lexs for c in lx.categories]
    ncat = len(cat_rows)
    lex_names = [lx.name for lx in lexs]
    cat_names = list(dict.fromkeys(c for _, c in cat_rows))
    # each match -> its row in cat_rows (-1: a lexicon or category not given)
    lc, lu = pd.factorize(matches["lexicon"])
    cc, cu = pd.factorize(matches["category"])
    row_of = {r: i for i, r in enumerate(cat_rows)}
    table = np.full((len(lu) + 1, len(cu) + 1), -1, dtype=np.int64)  # last: missing
    for i, ln in enumerate(lu):
        for j, cn in enumerate(cu):
            table[i, j] = row_of.get((str(ln), str(cn)), -1)
    crow = table[lc, cc]
    # groups: those present in matches, plus index; sorted by the by columns
    if by:
        if len(by) == 1:
            gcode, guniq = pd.factorize(matches[by[0]], use_na_sentinel=False)
            present = pd.DataFrame({by[0]: guniq})
        else:
            codes = [pd.factorize(matches[c], use_na_sentinel=False)[0] for c in by]
            gcode = pd.factorize(pd.MultiIndex.from_arrays(codes))[0]
            first = np.unique(gcode, return_index=True)[1]  # codes in order of appearance
            present = matches[by].iloc[first].reset_index(drop=True)
        groups = [present.astype({c: object for c in by})]
        if index is not None:
            if isinstance(index, pd.DataFrame):
                miss = [c for c in by if c not in index.columns]
                if miss:
                    raise TableError(
                        f"index lacks the by column(s) {miss}; give a DataFrame with the "
                        f"columns {by}"
                    )
                groups.append(index[by].astype({c: object for c in by}))
            else:
                if len(by) != 1:
                    raise ConfigError(
                        f"with several by columns {by}, index must be a DataFrame with those "
                        "columns (e.g. docs[[...]]), not a list"
                    )
                groups.append(pd.DataFrame({by[0]: pd.Series(list(index), dtype=object)}))
        grp = pd.concat(groups, ignore_index=True).drop_duplicates()
        grp = grp.sort_values(by, kind="stable").reset_index(drop=True)
        # match group -> row of grp
        if len(by) == 1:
            pos = pd.Index(grp[by[0]]).get_indexer(pd.Index(present[by[0]].astype(object)))
        else:
            pos = pd.MultiIndex.from_frame(grp[by]).get_indexer(
                pd.MultiIndex.from_frame(present.astype({c: object for c in by}))
            )
        grow = pos[gcode]
    else:
        grp = pd.DataFrame(index=range(1))
        grow = np.zeros(len(matches), dtype=np.int64)
    ok = crow >= 0
    key = grow[ok] * ncat + crow[ok]
    size = len(grp) * ncat
    n = np.bincount(key, minlength=size).astype(np.int64)
    out = (
        grp.loc[np.repeat(np.arange(len(grp)), ncat), by].reset_index(drop=True)
        if by
        else pd.DataFrame(index=range(ncat))
    )
    for c in by:
        src = matches[c].dtype
        try:
            out[c] = out[c].astype(src)
        except (TypeError, ValueError):
            pass
    li = np.tile(np.array([lex_names.index(r[0]) for r in cat_rows]), len(grp))
    ci = np.tile(np.array([cat_names.index(r[1]) for r in cat_rows]), len(grp))
    out["lexicon"] = pd.Categorical.from_codes(li, categories=lex_names)
    out["category"] = pd.Categorical.from_codes(ci, categories=cat_names)
    out["n"] = n
    if weighted:
        w = matches["weight"].to_numpy(np.float64)[ok]
        out["weight"] = np.bincount(key, weights=w, minlength=size).astype(np.float64)
    return out
