"""Input coercion and table building shared by the text layer's functions."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pandas as pd

from framelens.core import schema
from framelens.errors import TableError

log = logging.getLogger(__name__)


def as_docs(docs) -> tuple[list[str], list[str], list[str] | None]:
    """Return (doc_ids, texts, sources) from the accepted input forms."""
    if isinstance(docs, pd.DataFrame):
        missing = [c for c in ("doc_id", "text") if c not in docs.columns]
        if missing:
            raise TableError(
                f"docs needs the columns 'doc_id' and 'text'; missing {missing}; available "
                f"columns: {list(docs.columns)}. Load it with framelens.load_corpus(...) or "
                "rename the columns (docs.rename(columns={...}))."
            )
        ids = docs["doc_id"].astype(str).tolist()
        texts = [t if isinstance(t, str) else "" for t in docs["text"].astype(object).tolist()]
        sources = None
        if "source" in docs.columns:
            sources = [
                s if isinstance(s, str) else "text" for s in docs["source"].astype(object).tolist()
            ]
        return ids, texts, sources
    if isinstance(docs, str):
        return ["0"], [docs], None
    if isinstance(docs, pd.Series):
        return [str(i) for i in docs.index], [t if isinstance(t, str) else "" for t in docs], None
    if isinstance(docs, Mapping):
        return (
            [str(k) for k in docs],
            [t if isinstance(t, str) else "" for t in docs.values()],
            None,
        )
    if isinstance(docs, Sequence) and all(isinstance(t, str) for t in docs):
        return [str(i) for i in range(len(docs))], list(docs), None
    raise TypeError(
        "docs must be a DataFrame with 'doc_id' and 'text' columns, a string, a Series or "
        f"mapping of doc_id -> text, or a list of strings; got {type(docs).__name__}"
    )


def table_frame(table: str, cols: dict[str, list]) -> pd.DataFrame:
    """Build a schema-conforming DataFrame; categorical columns with fixed categories."""
    spec = schema.TABLES[table]
    df = pd.DataFrame({c: pd.Series(cols[c], dtype=spec[c]) for c in spec})
    for c, cats in (
        ("kind", schema.KINDS),
        ("verb_class", schema.VERB_CLASSES),
        ("voice", schema.VOICES),
        ("severity", schema.SEVERITIES),
    ):
        if c in df.columns:
            df[c] = pd.Categorical(df[c].astype(object), categories=list(cats))
    if "code" in df.columns:
        df["code"] = pd.Categorical(df["code"].astype(object))
    return df
