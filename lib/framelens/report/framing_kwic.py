"""Cues in context for the framing report, read for the rows shown only.

A frame's cues in a large corpus run to millions; the report shows a few. The rows of
:func:`framelens.measures.framing.kwic` for the first ``n`` cues (in document and offset
order, as ``kwic`` orders them) are built from those cues' documents alone, and the
number of all cues is counted on the matches, so the table still says "showing n of N".

Examples
--------
>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Tariffs rose.", "New tariffs."]})
>>> m = pd.DataFrame({"doc_id": ["a", "b"], "start": [0, 4], "end": [7, 11],
...                   "lexicon": ["policy"] * 2, "category": ["Economic"] * 2,
...                   "term": ["tariff*"] * 2})
>>> rows, total = kwic_rows(docs, m, "Economic", lexicon="policy", n=1)
>>> rows["match"].tolist(), total
(['Tariffs'], 2)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framelens.measures import framing

__all__ = ["kwic_rows"]


def kwic_rows(
    docs: pd.DataFrame,
    matches: pd.DataFrame,
    category: str,
    *,
    lexicon: str,
    window: int = 8,
    n: int = 8,
) -> tuple[pd.DataFrame, int]:
    """The first ``n`` KWIC rows of a lexicon category, and how many cues it has.

    Returns
    -------
    (DataFrame, int)
        The rows :func:`framelens.measures.framing.kwic` gives for
        ``pattern_type="category"`` (its first ``n``), and the number of the
        category's matches in ``docs``'s documents.
    """
    ids = set(docs["doc_id"].astype(str))
    mine = (matches["category"].astype(str).to_numpy() == category) & (
        matches["lexicon"].astype(str).to_numpy() == lexicon
    )
    doc = matches["doc_id"].astype(str).to_numpy()
    mine &= np.fromiter((d in ids for d in doc), dtype=bool, count=len(doc))
    hits = matches.loc[mine, ["doc_id", "start"]].assign(doc_id=doc[mine])
    first = hits.sort_values(["doc_id", "start"], kind="stable").head(n)
    keep = set(first["doc_id"])
    sub_docs = docs[docs["doc_id"].astype(str).isin(keep)]
    sub_m = matches[np.isin(doc, list(keep)) & mine]
    rows = framing.kwic(sub_docs, category, pattern_type="category", matches=sub_m,
                        lexicon=lexicon, window=window, max_rows=n)  # fmt: skip
    return rows, int(mine.sum())
