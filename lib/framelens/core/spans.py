"""The one span locator: character offsets -> ``sent_id`` and ``voice``.

Every table whose rows stand for a piece of text (matches, mentions, quotes, ...) gets
its ``sent_id`` and ``voice`` here, so that two tables give the same sentence for the
same offset.

The convention, for a span starting at offset ``s`` of document ``d``:

* ``sent_id`` is the sentence of ``d`` with the greatest start ``<= s``: the sentence
  holding ``s``, or, when ``s`` lies in a gap between sentences, the sentence before the
  gap. A span that starts **before the first sentence** of ``d`` belongs to the first
  sentence (``sent_id`` 0), so every span of a document with sentences is attached to a
  real sentence and a join on ``(doc_id, sent_id)`` never loses it. ``sent_id`` is -1
  only when ``d`` has no sentences at all (an empty text, or a document absent from the
  sentences table, or a missing ``doc_id``).
* ``voice`` is the voice of the segment of ``d`` with the greatest start ``<= s``;
  ``"author"`` when there is none (segments partition every text, so this happens only
  for documents without segments).

The lookups are vectorised: the sentences and segments are sorted once as integer keys
``document code * big + start`` with one sentinel key per document holding the value for
"nothing at or before the offset", so locating n spans is one :func:`numpy.searchsorted`
(or a linear merge, :func:`rank_right`, when the spans come sorted) and one gather.

Examples
--------
>>> import pandas as pd
>>> sentences = pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 1], "start": [2, 10]})
>>> segments = pd.DataFrame({"doc_id": ["a", "a"], "start": [0, 5], "voice": ["author", "quoted"]})
>>> spans = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "start": [0, 6, 12, 0]})
>>> out = locate(spans, sentences=sentences, segments=segments)
>>> out["sent_id"].tolist(), out["voice"].astype(str).tolist()
([0, 0, 1, -1], ['author', 'quoted', 'quoted', 'author'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framelens.errors import TableError

from .schema import VOICES

__all__ = ["VOICE_DTYPE", "SpanLocator", "doc_codes", "locate", "locate_arrays", "rank_right"]

#: The dtype of every ``voice`` column (categories :data:`framelens.core.schema.VOICES`).
VOICE_DTYPE = pd.CategoricalDtype(list(VOICES))


def rank_right(keys: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """``numpy.searchsorted(keys, needles, side="right")`` for sorted ``keys``.

    When ``needles`` are sorted too (the usual case: hits come in text order) this is a
    stable merge of the two runs, which is linear and several times faster than a binary
    search per needle.

    Examples
    --------
    >>> rank_right(np.array([1, 3, 3, 7]), np.array([0, 3, 8])).tolist()
    [0, 3, 4]
    """
    n = needles.size
    if n < 2 or keys.size < 2 or not bool((needles[1:] >= needles[:-1]).all()):
        return np.searchsorted(keys, needles, side="right")
    order = np.argsort(np.concatenate([keys, needles]), kind="stable")
    pos = np.flatnonzero(order >= keys.size)  # merged positions of the needles, in order
    pos -= np.arange(n, dtype=pos.dtype)  # minus the needles before: keys <= the needle
    return pos


def doc_codes(col: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of a ``doc_id`` column and the ids they stand for (as str).

    Missing ids get code -1. A Categorical column reuses its codes (no factorising).

    Examples
    --------
    >>> codes, docs = doc_codes(pd.Series(["b", "a", "b", None]))
    >>> codes.tolist(), docs.tolist()
    ([0, 1, 0, -1], ['b', 'a'])
    """
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = np.asarray(col.cat.categories, dtype=object).astype(str)
        return col.cat.codes.to_numpy(np.int64), pd.Index(cats, dtype=object)
    codes, uniques = pd.factorize(col)
    return codes.astype(np.int64), pd.Index(
        np.asarray(uniques, dtype=object).astype(str), dtype=object
    )


def _frame_keys(frame: pd.DataFrame, docs: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Document codes (positions in ``docs``; -1 unknown) and starts of a table."""
    fc, fu = pd.factorize(frame["doc_id"])  # few distinct ids: map those, not every row
    umap = docs.get_indexer(pd.Index(np.asarray(fu, dtype=object).astype(str), dtype=object))
    fd = umap[fc] if umap.size else np.full(fc.size, -1, dtype=np.int64)
    fd = np.where(fc >= 0, fd, -1).astype(np.int64)
    return fd, frame["start"].to_numpy(np.int64)


def _voice_codes(voice: pd.Series) -> np.ndarray:
    """int8 codes into VOICES; unknown voices count as author (0)."""
    if isinstance(voice.dtype, pd.CategoricalDtype) and list(voice.cat.categories) == list(VOICES):
        vals = voice.cat.codes.to_numpy()
    else:
        vals = pd.Categorical(voice.astype(str), categories=list(VOICES)).codes
    return np.where(vals < 0, 0, vals).astype(np.int8)


def _check(name: str, df, need: tuple[str, ...]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a DataFrame, got {type(df).__name__}")
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise TableError(
            f"{name} lacks the column(s) {missing}; available: {list(df.columns)}. Pass the "
            f"{name} table of framelens.text.layer()"
        )


class SpanLocator:
    """The sentences and voice segments of a batch, sorted once for repeated lookups.

    Parameters
    ----------
    docs : pandas.Index
        The document ids (str) the spans' codes refer to: code ``i`` is ``docs[i]``.
    sentences, segments : DataFrame or None
        ``doc_id, sent_id, start`` and ``doc_id, start, voice``; rows of documents not
        in ``docs`` are ignored.
    max_start : int, keyword-only
        An upper bound of the span starts that will be looked up.

    Notes
    -----
    Every document code gets a sentinel key just below its first possible key, holding
    the value for "no row at or before the start" (sentence 0 when the document has
    sentences, -1 when it has none; voice author), so a lookup needs no checks. See the
    module docstring for the convention.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["x"], "sent_id": [0], "start": [3]})
    >>> loc = SpanLocator(pd.Index(["x", "y"]), s, None, max_start=10)
    >>> sent, voice = loc(np.array([0, 0, 1]), np.array([1, 5, 5]))
    >>> sent.tolist(), voice.tolist()
    ([0, 0, -1], [0, 0, 0])
    """

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
                vals = _voice_codes(frame["voice"])
            ok = fd >= 0
            if not ok.all():
                fd, fstart, vals = fd[ok], fstart[ok], vals[ok]
            if fd.size:
                prepared.append((name, fd, fstart, vals))
        nd = len(docs)
        # key of a row: doc * big + start + off; of the sentinel of doc d: d * big
        self.off = 1 - min([0] + [int(p[2].min()) for p in prepared])
        self.big = max([int(max_start)] + [int(p[2].max()) for p in prepared]) + self.off + 2
        known = np.zeros(nd, dtype=bool)
        for name, fd, _, _ in prepared:
            if name == "sentences":
                known[fd] = True
        for name, fd, fstart, vals in prepared:
            if name == "sentences":
                sentinel = np.where(known, 0, -1).astype(np.int32)
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
        """``sent_id`` (int32) and voice codes (int8 into VOICES; 0 = author).

        ``codes`` are int64 positions in ``docs`` (-1: unknown document). With ``lo``
        and ``hi``, all codes lie in ``[lo, hi)`` and only those documents' rows are
        searched (cache-friendly when called per chunk of documents).
        """
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


def locate_arrays(
    doc_ids,
    starts,
    *,
    sentences: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
) -> tuple[np.ndarray, pd.Categorical]:
    """``sent_id`` (int32 array) and ``voice`` (Categorical) of spans given as arrays.

    Parameters
    ----------
    doc_ids : sequence or Series
        The document of each span.
    starts : array-like of int
        The start offset of each span.
    sentences, segments : DataFrame, optional, keyword-only
        As for :func:`locate`; without them ``sent_id`` is -1 and ``voice`` author.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [4]})
    >>> sent, voice = locate_arrays(["a", "a"], [0, 5], sentences=s)
    >>> sent.tolist(), list(voice)
    ([0, 0], ['author', 'author'])
    """
    col = doc_ids if isinstance(doc_ids, pd.Series) else pd.Series(doc_ids, dtype=object)
    codes, docs = doc_codes(col)
    starts = np.asarray(starts, dtype=np.int64)
    if not codes.size:
        sent, vcode = np.full(0, -1, dtype=np.int32), np.zeros(0, dtype=np.int8)
    else:
        loc = SpanLocator(docs, sentences, segments, max_start=int(starts.max()))
        sent, vcode = loc(codes, starts)
    return sent, pd.Categorical.from_codes(vcode, dtype=VOICE_DTYPE, validate=False)


def locate(
    spans: pd.DataFrame,
    *,
    sentences: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add ``sent_id`` and ``voice`` to any table of spans (vectorised).

    Parameters
    ----------
    spans : DataFrame
        Any table with ``doc_id`` and ``start`` columns; other columns and the row order
        are kept; the input is not mutated.
    sentences : DataFrame, optional, keyword-only
        ``doc_id, sent_id, start`` (the sentences table of the same documents).
    segments : DataFrame, optional, keyword-only
        ``doc_id, start, voice`` (the voice segments of the same documents).

    Returns
    -------
    DataFrame
        A copy of ``spans`` with ``sent_id`` (int32) and ``voice`` (Categorical)
        replaced or added, by the convention of this module: the sentence / segment with
        the greatest start at or before the span's start; sentence 0 before the first
        sentence; -1 for documents without sentences; author without segments.

    Raises
    ------
    TableError
        When a table lacks a column it needs.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 1], "start": [0, 9]})
    >>> locate(pd.DataFrame({"doc_id": ["a"], "start": [12]}), sentences=s)["sent_id"].tolist()
    [1]
    """
    _check("spans", spans, ("doc_id", "start"))
    if sentences is not None:
        _check("sentences", sentences, ("doc_id", "start", "sent_id"))
    if segments is not None:
        _check("segments", segments, ("doc_id", "start", "voice"))
    out = spans.copy()
    sent, voice = locate_arrays(
        out["doc_id"], out["start"].to_numpy(np.int64), sentences=sentences, segments=segments
    )
    out["sent_id"] = sent
    out["voice"] = voice
    return out
