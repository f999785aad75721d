"""Reference dates per clause and sentence (a year dates only its own clause)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from framelens.core.normalize import fold, lookup_table

from .gazetteer import YEAR_RE, Gazetteer

log = logging.getLogger(__name__)

#: Clause boundaries inside a sentence for the year rule: semicolons, colons, dashes,
#: brackets, a comma followed by a conjunction or relative pronoun, and the
#: complementisers / relativisers "that", "which", "who", "whom", "whose", "where", "when".
_CLAUSE_BOUNDARY = re.compile(
    r"[;:()\u2013\u2014]|\s-\s|,\s+(?=(?:and|but|or|nor|while|whereas|although|though|"
    r"because|as|when|after|before|since|until|who|which|where|whose|whom)\b)"
    r"|\b(?:that|which|who|whom|whose|where|when)\b"
)


def _year_of(m: re.Match) -> int:
    return int(m.group(1))


def _year_chars() -> frozenset[str]:
    """The characters that fold to "1" or "2" (a year of :data:`YEAR_RE` starts with
    "18", "19" or "20" in the folded text): a text without any has no year. Read from
    the fold table in force (:func:`framelens.core.normalize.lookup_table`)."""
    lut = lookup_table("fold")[0]
    return frozenset(chr(c) for c in np.flatnonzero((lut == ord("1")) | (lut == ord("2"))))


def clause_dates(
    sentences: pd.DataFrame, doc_dates: Mapping[str, np.datetime64], *, min_gap_years: int = 2
) -> pd.DataFrame:
    """Clauses that name an earlier year, and the date their actors are coded at.

    The year rule of :func:`mentions`: inside a sentence, a year after a temporal
    preposition ("in 1944", "since 2013") at least ``min_gap_years`` before the
    document's year dates only the *clause* containing it, i.e. the span between the
    nearest clause boundaries around the year (``;`` ``:`` brackets, dashes, a comma
    followed by a conjunction or relative pronoun, and "that" / "which" / "who" /
    "where" / "when"). The clause is coded at 1 July of its earliest such year; the
    rest of the sentence keeps the document date. So in "Prime Minister Ana Brnabic
    pointed out that Serbia had fulfilled its part since 2013" only "that ... 2013" is
    dated 2013.

    Parameters
    ----------
    sentences : DataFrame
        ``doc_id, start`` and ``text`` (the sentence text, offsets relative to ``start``).
    doc_dates : mapping
        doc_id -> numpy.datetime64[D].
    min_gap_years : int, keyword-only
        Years closer to the document year than this are ignored.

    Returns
    -------
    DataFrame
        ``doc_id, start, end, date`` (document offsets of each dated clause).

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["d"], "start": [0],
    ...                   "text": ["Vucic said that ties date from 1944."]})
    >>> clause_dates(s, {"d": np.datetime64("2024-10-20")}).values.tolist()
    [['d', 11, 36, Timestamp('1944-07-01 00:00:00')]]
    """
    rows: dict[str, list] = {"doc_id": [], "start": [], "end": [], "date": []}
    texts = sentences["text"].astype(str).tolist() if "text" in sentences else []
    year_chars = _year_chars()
    for d, st, t in zip(
        sentences["doc_id"].astype(str).tolist(), sentences["start"].astype("int64").tolist(), texts
    ):
        if year_chars.isdisjoint(t):
            continue  # its folded text has no "1" or "2": no year
        ft = fold(t)
        years = list(YEAR_RE.finditer(ft))
        if not years:
            continue
        doc_year = doc_dates[d].astype("datetime64[Y]").astype(int) + 1970
        cuts = [0]
        for b in _CLAUSE_BOUNDARY.finditer(ft):
            cuts.append(b.start())
        cuts.append(len(ft))
        cuts = np.asarray(sorted(set(cuts)), dtype="int64")
        best: dict[tuple[int, int], int] = {}
        for m in years:
            y = _year_of(m)
            if y > doc_year - min_gap_years:
                continue
            k = int(np.searchsorted(cuts, m.start(1), side="right")) - 1
            lo, hi = int(cuts[k]), int(cuts[min(k + 1, len(cuts) - 1)])
            best[(lo, hi)] = min(y, best.get((lo, hi), y))
        for (lo, hi), y in sorted(best.items()):
            rows["doc_id"].append(d)
            rows["start"].append(st + lo)
            rows["end"].append(st + hi)
            rows["date"].append(np.datetime64(f"{y:04d}-07-01", "D"))
    return pd.DataFrame(
        {
            "doc_id": pd.array(rows["doc_id"], dtype="string"),
            "start": np.asarray(rows["start"], dtype="int64"),
            "end": np.asarray(rows["end"], dtype="int64"),
            "date": pd.to_datetime(np.asarray(rows["date"], dtype="datetime64[D]")).astype(
                "datetime64[ns]"
            ),
        }
    )


def sentence_dates(
    sentences: pd.DataFrame, doc_dates: Mapping[str, np.datetime64], *, min_gap_years: int = 2
) -> np.ndarray:
    """The date each sentence is coded at.

    A sentence is coded at its document's date unless it names an earlier year after a
    temporal preposition ("in 1944", "since 2012") at least ``min_gap_years`` before
    the document's year; then it is coded at 1 July of the earliest such year.
    A summary per sentence only: :func:`mentions` applies the year to the clause that
    contains it (:func:`clause_dates`), not to the whole sentence.

    Returns
    -------
    numpy.ndarray of datetime64[D], aligned with ``sentences``.
    """
    texts = sentences["text"].astype(str).tolist() if "text" in sentences else [""] * len(sentences)
    ids = sentences["doc_id"].astype(str).tolist()
    out = np.empty(len(ids), dtype="datetime64[D]")
    for i, (d, t) in enumerate(zip(ids, texts)):
        day = doc_dates[d]
        out[i] = day
        years = [int(y) for y in YEAR_RE.findall(fold(t))]
        if years:
            y = min(years)
            if y <= day.astype("datetime64[Y]").astype(int) + 1970 - min_gap_years:
                out[i] = np.datetime64(f"{y:04d}-07-01", "D")
    return out


def doc_ref_dates(docs: pd.DataFrame, gaz: Gazetteer) -> dict[str, np.datetime64]:
    ids = docs["doc_id"].astype(str).tolist()
    if "date" in docs:
        dates = pd.to_datetime(docs["date"], errors="coerce")
        vals = [gaz.reference_date if pd.isna(x) else np.datetime64(x.date(), "D") for x in dates]
    else:
        vals = [gaz.reference_date] * len(ids)
    return dict(zip(ids, vals))
