"""Match lexicons over documents (hits with sentence and voice) and count hits per category."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from framelens.core import schema

from .matcher import Matcher, as_lexicons, rank_right
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


def _doc_codes(col: pd.Series) -> tuple[np.ndarray, pd.Index]:
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = np.asarray(col.cat.categories, dtype=object).astype(str)
        return col.cat.codes.to_numpy(np.int64), pd.Index(cats, dtype=object)
    codes, uniques = pd.factorize(col)
    return codes.astype(np.int64), pd.Index(
        np.asarray(uniques, dtype=object).astype(str), dtype=object
    )


def _frame_keys(frame: pd.DataFrame, docs: pd.Index):
    """Document codes (positions in ``docs``; -1 unknown) and starts of a table."""
    fc, fu = pd.factorize(frame["doc_id"])  # few distinct ids: map those, not every row
    umap = docs.get_indexer(pd.Index(np.asarray(fu, dtype=object).astype(str), dtype=object))
    fd = umap[fc] if umap.size else np.full(fc.size, -1, dtype=np.int64)
    fd = np.where(fc >= 0, fd, -1).astype(np.int64)
    return fd, frame["start"].to_numpy(np.int64)


class _SpanLocator:
    """The sentences and voice segments of a batch as sorted integer keys, for
    repeated vectorised lookups (:func:`numpy.searchsorted`) of spans given as document
    codes (positions in ``docs``) and start offsets: the row with the same document and
    the greatest start <= the span's start.

    Every document code gets a sentinel row just below its first possible key, holding
    the value for "no row at or before the start" (sentence 0 when the document has
    sentences, -1 when it has none; voice author), so a lookup is one search
    (:func:`rank_right`, a linear merge when the spans come sorted) and one gather,
    without checks."""

    def __init__(
        self,
        docs: pd.Index,
        sentences: pd.DataFrame | None,
        segments: pd.DataFrame | None,
        *,
        max_start: int,
    ):
        self.tables: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        prepared = []
        for name, frame in (("sentences", sentences), ("segments", segments)):
            if frame is None or not len(frame):
                continue
            fd, fstart = _frame_keys(frame, docs)
            if name == "sentences":
                vals = frame["sent_id"].to_numpy(np.int64).astype(np.int32)
            else:
                fv = frame["voice"]
                if isinstance(fv.dtype, pd.CategoricalDtype) and list(fv.cat.categories) == list(
                    schema.VOICES
                ):
                    vals = fv.cat.codes.to_numpy()
                else:
                    vals = pd.Categorical(fv.astype(str), categories=list(schema.VOICES)).codes
                vals = np.where(vals < 0, 0, vals).astype(np.int8)
            ok = fd >= 0
            if not ok.all():
                fd, fstart, vals = fd[ok], fstart[ok], vals[ok]
            if fd.size:
                prepared.append((name, fd, fstart, vals))
        nd = len(docs)
        # key of a row: doc * big + start + off; of the sentinel of doc d: d * big
        self.off = 1 - min([0] + [int(p[2].min()) for p in prepared])
        self.big = max([int(max_start)] + [int(p[2].max()) for p in prepared]) + self.off + 2
        self.known = np.zeros(nd + 1, dtype=bool)
        for name, fd, _, _ in prepared:
            if name == "sentences":
                self.known[fd] = True
        for name, fd, fstart, vals in prepared:
            if name == "sentences":
                sentinel = np.where(self.known[:nd], 0, -1).astype(np.int32)
            else:
                sentinel = np.zeros(nd, dtype=np.int8)
            fkey = np.concatenate(
                [np.arange(nd, dtype=np.int64) * self.big, fd * self.big + (fstart + self.off)]
            )
            vals = np.concatenate([sentinel, vals])
            order = np.argsort(fkey, kind="stable")  # keys of equal rows keep their order
            self.tables[name] = (fkey[order], vals[order])

    def __call__(
        self, codes: np.ndarray, starts: np.ndarray, lo: int | None = None, hi: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """sent_id (int32; 0 before the first sentence, -1 for documents without
        sentences) and voice codes (int8 into schema.VOICES; 0 = author). With ``lo``
        and ``hi`` all codes lie in [lo, hi): only those documents' rows are searched
        (cache-friendly per chunk)."""
        n = codes.size
        sent = np.full(n, -1, dtype=np.int32)
        vcode = np.zeros(n, dtype=np.int8)
        if not n:
            return sent, vcode
        needle = codes * self.big
        needle += starts
        needle += self.off
        for name, (fkey, vals) in self.tables.items():
            if lo is not None:
                r0, r1 = np.searchsorted(fkey, [lo * self.big, hi * self.big], side="left")
                fkey, vals = fkey[r0:r1], vals[r0:r1]
            pos = rank_right(fkey, needle)
            pos -= 1
            if name == "sentences":
                sent = vals.take(pos)
            else:
                vcode = vals.take(pos)
        if lo is None:
            neg = codes < 0  # unknown document (missing id)
            if neg.any():
                sent[neg] = -1
                vcode[neg] = 0
        return sent, vcode


def _locate_arrays(
    codes: np.ndarray,
    starts: np.ndarray,
    docs: pd.Index,
    sentences: pd.DataFrame | None,
    segments: pd.DataFrame | None,
):
    """sent_id and voice codes of spans (see :class:`_SpanLocator`)."""
    if not codes.size:
        return np.full(0, -1, dtype=np.int32), np.zeros(0, dtype=np.int8)
    loc = _SpanLocator(docs, sentences, segments, max_start=int(starts.max()))
    return loc(codes, starts)


def _locate(spans: pd.DataFrame, *, sentences=None, segments=None) -> pd.DataFrame:
    """Fallback of :func:`framelens.text.locate` with its behaviour: add ``sent_id``
    (the sentence holding the span's start; the previous sentence in a gap; 0 before
    the first sentence; -1 for documents absent from ``sentences``) and ``voice`` (the
    voice segment holding the start; "author" otherwise). Vectorised with
    ``numpy.searchsorted``; input not mutated."""
    out = spans.copy()
    codes, docs = _doc_codes(out["doc_id"])
    sent, vcode = _locate_arrays(codes, out["start"].to_numpy(np.int64), docs, sentences, segments)
    out["sent_id"] = sent
    out["voice"] = pd.Categorical.from_codes(vcode, categories=list(schema.VOICES))
    return out


_VOICE_DTYPE = pd.CategoricalDtype(list(schema.VOICES))


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


def _locator():
    """The span locator match() uses.

    :func:`_locate` has exactly the behaviour of :func:`framelens.text.locate` (a test
    checks the two agree) but works on integer document codes, not strings: on 440,000
    matches it takes 0.1 s where ``text.locate`` takes 0.8-1.2 s, which alone would
    break the lexicon speed target (docs/performance.md). Set ``USE_TEXT_LOCATE = True``
    to route through ``text.locate`` instead.
    """
    if USE_TEXT_LOCATE:
        try:
            from framelens.text import locate
        except ImportError:
            return _locate, "lexicon._locate"
        return locate, "text.locate"
    return _locate, "lexicon._locate"


#: Use framelens.text.locate in match() instead of the faster equivalent _locate.
USE_TEXT_LOCATE = False


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
        match (the sentence / voice segment holding its start), with the behaviour of
        :func:`framelens.text.locate` (computed here on integer document codes, per
        chunk, for speed; see :data:`USE_TEXT_LOCATE`). Without them ``sent_id`` is -1
        (unknown) and ``voice`` "author".
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
    if not isinstance(docs, pd.DataFrame):
        raise TypeError(f"docs must be a DataFrame with doc_id and text, got {type(docs)}")
    missing = [c for c in ("doc_id", "text") if c not in docs.columns]
    if missing:
        raise ValueError(
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
    loc, _ = _locator()
    ucode, uniq = pd.factorize(doc_ids)
    # integer document codes all the way (no strings per match); per chunk when the
    # ids are unique (codes == positions), which keeps the lookups cache-friendly
    per_chunk = loc is _locate and len(uniq) == len(doc_ids)
    locator = (
        _SpanLocator(
            pd.Index(np.asarray(uniq, dtype=object), dtype=object),
            sentences,
            segments,
            max_start=max(map(len, texts), default=0),
        )
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
        d, st, en, pid = matcher._find_chunk(texts[lo:hi])
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
        sent, vcode = cols[4], cols[5]
        voice = pd.Categorical.from_codes(vcode, dtype=_VOICE_DTYPE, validate=False)
    elif loc is _locate:
        sent, vcode = _locate_arrays(
            ucode[doc].astype(np.int64),
            st,
            pd.Index(np.asarray(uniq, dtype=object), dtype=object),
            sentences,
            segments,
        )
        voice = pd.Categorical.from_codes(vcode, dtype=_VOICE_DTYPE, validate=False)
    else:
        spans = loc(
            pd.DataFrame({"doc_id": doc_ids[doc], "start": st, "end": en}),
            sentences=schema.empty("sentences") if sentences is None else sentences,
            segments=schema.empty("segments") if segments is None else segments,
        )
        sent = spans["sent_id"].to_numpy()
        voice = pd.Categorical(spans["voice"].astype(str), categories=list(schema.VOICES))
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
    if isinstance(by, str):
        by = (by,)
    by = list(by)
    if not isinstance(weighted, bool):
        raise TypeError("weighted must be True or False")
    need = by + ["lexicon", "category"] + (["weight"] if weighted else [])
    missing = [c for c in need if c not in matches.columns]
    if missing:
        raise ValueError(
            f"matches lacks column(s) {missing}; available: {list(matches.columns)}. Merge "
            "document metadata first, e.g. matches.merge(docs[['doc_id', 'outlet']], on='doc_id')"
        )
    if {"lexicon", "category"} & set(by):
        raise ValueError("'lexicon' and 'category' are always in the output; leave them out of by")
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
                    raise ValueError(f"index lacks the by column(s) {miss}")
                groups.append(index[by].astype({c: object for c in by}))
            else:
                if len(by) != 1:
                    raise ValueError("with several by columns, index must be a DataFrame")
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
