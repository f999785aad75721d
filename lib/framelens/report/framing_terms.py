"""Cue terms and cues in context for the framing report, read part by part.

A frame scheme's cues in a large corpus run to millions of ``matches`` rows; the report
shows the most frequent terms and a few cues in context. Both are computed over the
table's parts (one batch of documents each, :meth:`framelens.pipeline.Analysis.iter_parts`)
with the scheme's rows pushed down, so the report never holds the whole table:

* :func:`cue_terms_of` sums :func:`framelens.measures.framing.cue_term_counts` of each
  part (counts of disjoint document sets add up) and ranks them
  (:func:`~framelens.measures.framing.rank_cue_terms`) - the table
  :func:`~framelens.measures.framing.cue_terms` gives over the whole table;
* :func:`kwic_of` keeps each part's first ``n`` cues of a category (document and offset
  order, as :func:`~framelens.measures.framing.kwic` orders them), takes the first ``n``
  of those and builds their rows from their documents alone; the number of all the
  category's cues is counted on the way, so the table still says "showing n of N".

Examples
--------
>>> import pandas as pd
>>> from framelens.pipeline import Analysis
>>> from framelens.report import params
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Tariffs rose.", "New tariffs."]})
>>> m = pd.DataFrame({"doc_id": ["a", "b"], "sent_id": [0, 0], "start": [0, 4],
...                   "end": [7, 11], "lexicon": ["policy"] * 2, "category": ["Economic"] * 2,
...                   "term": ["tariff*"] * 2, "voice": ["author"] * 2, "weight": [1.0] * 2})
>>> sel = params.select(Analysis({"docs": docs, "matches": m}))
>>> rows, total = kwic_of(sel, "Economic", lexicon="policy", n=1)
>>> rows["match"].tolist(), total
(['Tariffs'], 2)
>>> cue_terms_of(sel, scheme="policy")[["term", "n_cues", "n_docs"]].values.tolist()
[['tariffs', 2.0, 2]]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from framelens.measures import framing
from framelens.report.reading import parts

__all__ = ["cue_terms_of", "kwic_of"]

_KWIC_COLUMNS = ["doc_id", "start", "end", "lexicon", "category", "term"]


def cue_terms_of(sel: Any, *, scheme: str, n: int = 8, by: str | None = None) -> pd.DataFrame:
    """:func:`framelens.measures.framing.cue_terms` of the selection's matches of
    ``scheme`` (surface forms from ``sel.docs``), computed part by part."""
    counts = [
        framing.cue_term_counts(part, scheme=scheme, docs=sel.docs, by=by)
        for part in parts(sel.analysis, "matches", doc_ids=sel.filter_ids,
                          filters=[("lexicon", "==", scheme)])
    ]  # fmt: skip
    return framing.rank_cue_terms(counts, scheme=scheme, by=by, n=n)


def kwic_of(
    sel: Any, category: str, *, lexicon: str, window: int = 8, n: int = 8
) -> tuple[pd.DataFrame, int]:
    """The first ``n`` KWIC rows of a lexicon category in the selection's documents
    (:func:`framelens.measures.framing.kwic`, ``pattern_type="category"``), and the
    number of the category's cues there."""
    total, first = 0, []
    where = [("lexicon", "==", lexicon), ("category", "==", category)]
    for part in parts(sel.analysis, "matches", columns=_KWIC_COLUMNS, doc_ids=sel.filter_ids,
                      filters=where):  # fmt: skip
        total += len(part)
        first.append(part.sort_values(["doc_id", "start"], kind="stable").head(n))
    cand = pd.concat(first, ignore_index=True).sort_values(["doc_id", "start"], kind="stable")
    keep = set(cand.head(n)["doc_id"].astype(str))
    docs = sel.docs[sel.docs["doc_id"].astype(str).isin(keep)]
    mine = cand[cand["doc_id"].astype(str).isin(keep)]
    rows = framing.kwic(docs, category, pattern_type="category", matches=mine,
                        lexicon=lexicon, window=window, max_rows=n)  # fmt: skip
    return rows, total
