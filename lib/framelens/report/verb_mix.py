"""The reporting-verb mix of a selection, read part by part.

:func:`framelens.measures.neutrality.group_verb_mix` is THE verb mix of every report. Over
a large corpus, :func:`verb_mix_of` computes it on each part of ``quotes`` (one batch of
documents, the columns it reads only) and adds the parts up
(:func:`~framelens.measures.neutrality.combine_verb_mix`): the same table as over all
quotes at once. :func:`shares_wide` is the per-group table the reports plot.

Examples
--------
>>> import pandas as pd
>>> from framelens.pipeline import Analysis
>>> from framelens.report import params
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["", ""], "outlet": ["X", "X"]})
>>> q = pd.DataFrame({"doc_id": ["a", "b"], "verb_start": [3, 3],
...                   "verb_class": ["endorsing", "neutral"]})
>>> sel = params.select(Analysis({"docs": docs, "quotes": q}), group_col="outlet")
>>> shares_wide(verb_mix_of(sel), by="outlet").loc["X"].tolist()
[0.5, 0.5, 0.0, 0.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from framelens.measures import neutrality as nt
from framelens.report.params import group_docs
from framelens.report.reading import parts
from framelens.report.speakers import VERB_MIX_COLUMNS

__all__ = ["verb_mix_of", "verb_mix_parts", "shares_wide"]


def verb_mix_of(sel: Any, *, speaker_by: str | None = None) -> pd.DataFrame:
    """:func:`framelens.measures.neutrality.group_verb_mix` of the selection's quotes
    (groups: ``sel.group_col`` of ``sel.docs``), computed part by part."""
    return verb_mix_parts(sel.analysis, sel.docs, by=sel.group_col, speaker_by=speaker_by,
                          doc_ids=sel.filter_ids)  # fmt: skip


def verb_mix_parts(
    analysis: Any,
    docs: pd.DataFrame,
    *,
    by: str,
    speaker_by: str | None = None,
    doc_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """:func:`framelens.measures.neutrality.group_verb_mix` of an analysis's quotes (of
    ``doc_ids``; None: all), groups ``by`` of ``docs``, computed part by part."""
    g = group_docs(docs, by)
    cols = VERB_MIX_COLUMNS if speaker_by else VERB_MIX_COLUMNS[:3]
    return nt.combine_verb_mix(
        [
            nt.group_verb_mix(part, g, by=by, speaker_by=speaker_by)
            for part in parts(analysis, "quotes", columns=cols, doc_ids=doc_ids)
        ]
    )


def shares_wide(mix: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """A verb mix (``group_verb_mix`` without ``speaker_by``) as one row per group:
    the share of each verb class in :data:`framelens.measures.neutrality.VERB_CLASSES`
    order and ``n_verbs``; index named ``by``, columns ``verb class``."""
    w = (
        mix.assign(verb_class=mix["verb_class"].astype(str))
        .pivot(index="group", columns="verb_class", values="share")
        .reindex(columns=list(nt.VERB_CLASSES))
        .fillna(0.0)
    )
    w["n_verbs"] = mix.groupby("group")["n_verbs"].first().reindex(w.index).astype(float)
    return w.rename_axis(index=by, columns="verb class")
