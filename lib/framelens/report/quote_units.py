"""The two units quotations are counted in, named apart in every report.

* **quoted passages**: the outermost quotation-mark spans of a text - what a reader
  sees as one stretch of someone else's words. A partial quote nested in an indirect
  one, or a quotation inside a quotation, is part of one passage.
* **quotations**: the rows of the ``quotes`` table - each attributed quote (direct,
  partial or indirect) with its speaker and reporting verb. An indirect quote and the
  partial quote inside it are two quotations; an indirect quote has no quotation marks
  at all, so it is a quotation but not a quoted passage.

Examples
--------
>>> import pandas as pd
>>> q = pd.DataFrame({"doc_id": ["a"] * 3, "kind": ["indirect", "partial", "direct"],
...                   "start": [0, 10, 50], "end": [40, 20, 70]})
>>> quote_counts(q)
{'quoted passages': 2, 'quotations': 3}
"""

from __future__ import annotations

import pandas as pd

__all__ = ["MARKED_KINDS", "quoted_passages", "quote_counts", "passages_per_doc"]

#: Quotation kinds whose ``start``/``end`` are the content inside quotation marks.
MARKED_KINDS = ("direct", "partial", "mixed")


def quoted_passages(quotes: pd.DataFrame) -> pd.DataFrame:
    """The outermost quotation-mark spans: direct and partial quotes, nested or
    overlapping ones merged, per document.

    Parameters
    ----------
    quotes : DataFrame
        A ``quotes`` table (``doc_id``, ``kind``, ``start``, ``end``; without them there
        is no passage to find); not modified.

    Returns
    -------
    DataFrame
        ``doc_id, start, end, quotations`` (quote rows inside the passage), sorted.

    Examples
    --------
    >>> q = pd.DataFrame({"doc_id": ["a", "a", "a"], "kind": ["direct", "partial", "partial"],
    ...                   "start": [0, 5, 30], "end": [20, 9, 35]})
    >>> quoted_passages(q).values.tolist()
    [['a', 0, 20, 2], ['a', 30, 35, 1]]
    """
    cols = ["doc_id", "start", "end", "quotations"]
    if not len(quotes) or any(c not in quotes for c in ("doc_id", "kind", "start", "end")):
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in cols}).astype({"doc_id": str})
    marked = quotes[quotes["kind"].astype(str).isin(MARKED_KINDS).to_numpy()]
    rows: list[list] = []
    spans = zip(
        marked["doc_id"].astype(str),
        pd.to_numeric(marked["start"]).astype("int64"),
        pd.to_numeric(marked["end"]).astype("int64"),
    )
    for doc, start, end in sorted(spans, key=lambda r: (r[0], r[1], -r[2])):
        last = rows[-1] if rows else None
        if last is not None and last[0] == doc and start < last[2]:
            last[2], last[3] = max(last[2], end), last[3] + 1
        else:
            rows.append([doc, int(start), int(end), 1])
    return pd.DataFrame(rows, columns=cols).astype({"start": "int64", "end": "int64"})


def passages_per_doc(quotes: pd.DataFrame) -> pd.Series:
    """Quoted passages per ``doc_id`` (documents without any are absent).

    Examples
    --------
    >>> q = pd.DataFrame({"doc_id": ["a", "b"], "kind": ["direct", "indirect"],
    ...                   "start": [0, 0], "end": [5, 5]})
    >>> passages_per_doc(q).to_dict()
    {'a': 1}
    """
    return quoted_passages(quotes).groupby("doc_id").size().rename("quoted passages")


def quote_counts(quotes: pd.DataFrame | None) -> dict[str, int]:
    """``{"quoted passages": n, "quotations": n}`` of a quotes table (None: zeros)."""
    if quotes is None or not len(quotes):
        return {"quoted passages": 0, "quotations": 0}
    return {"quoted passages": len(quoted_passages(quotes)), "quotations": len(quotes)}
