"""Units of coding drawn from an analysis: sentences, quotations, relation events, documents.

:func:`units` turns the tables of an analysis into one row per unit with the columns a
coding sheet needs: ``unit_id, unit_kind, doc_id, start, end, text, context, outlet,
date`` and, when asked, ``tool_value`` (the measure's own score for the unit, read from a
measure table such as ``sentence_bias.cue_density``).

Examples
--------
>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["One. Two."], "outlet": ["X"],
...                      "date": ["2024-01-02"], "title": ["T"]})
>>> sents = pd.DataFrame({"doc_id": ["d1", "d1"], "sent_id": [0, 1], "start": [0, 5],
...                       "end": [4, 9], "text": ["One.", "Two."]})
>>> u = units({"docs": docs, "sentences": sents}, "sentences")
>>> u[["unit_id", "text", "context"]].to_dict("records")[1]
{'unit_id': 'd1:s1', 'text': 'Two.', 'context': 'One. [Two.]'}
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from framelens.errors import CodingError

__all__ = ["UNIT_KINDS", "UNIT_COLUMNS", "units"]

#: Unit kinds and the analysis table each is read from.
UNIT_KINDS = {
    "sentences": "sentences",
    "quotations": "quotes",
    "events": "events",
    "documents": "docs",
}
#: Columns of a units table, in order.
UNIT_COLUMNS = ("unit_id", "unit_kind", "doc_id", "start", "end", "text", "context")
_KEYS = {"sentences": ["sent_id"], "quotations": ["quote_id"], "events": ["event_id"]}
_PREFIX = {"sentences": "s", "quotations": "q", "events": "e"}


def _tables(analysis) -> Mapping[str, pd.DataFrame]:
    tables = getattr(analysis, "tables", analysis)
    if not isinstance(tables, Mapping):
        raise CodingError("units needs an Analysis or a mapping of table name -> DataFrame")
    return tables


def _table(tables, name: str) -> pd.DataFrame:
    if name not in tables:
        raise CodingError(
            f"the analysis has no {name!r} table (has {sorted(tables)}); run the step "
            "that provides it first"
        )
    return tables[name]


def _sentence_context(sents: pd.DataFrame) -> pd.Series:
    """'previous [this] next' within each document."""
    s = sents.sort_values(["doc_id", "sent_id"], kind="stable")
    same_prev = s["doc_id"].eq(s["doc_id"].shift(1))
    same_next = s["doc_id"].eq(s["doc_id"].shift(-1))
    prev = s["text"].shift(1).where(same_prev, "").fillna("")
    nxt = s["text"].shift(-1).where(same_next, "").fillna("")
    ctx = (prev + " [" + s["text"] + "] " + nxt).str.strip()
    return ctx.reindex(sents.index)


def _sentence_text(tables, rows: pd.DataFrame) -> pd.Series:
    sents = _table(tables, "sentences")
    key = sents.set_index(["doc_id", "sent_id"])["text"]
    idx = pd.MultiIndex.from_arrays([rows["doc_id"].astype(str), rows["sent_id"].astype(int)])
    key.index = pd.MultiIndex.from_arrays(
        [key.index.get_level_values(0).astype(str), key.index.get_level_values(1).astype(int)]
    )
    return pd.Series(key.reindex(idx).fillna("").to_numpy(), index=rows.index)


def _base(tables, kind: str) -> pd.DataFrame:
    t = _table(tables, UNIT_KINDS[kind]).copy()
    docs = _table(tables, "docs")
    if kind == "documents":
        text = t["text"].astype(str)
        out = pd.DataFrame(
            {
                "unit_id": t["doc_id"].astype(str),
                "doc_id": t["doc_id"].astype(str),
                "start": 0,
                "end": text.str.len(),
                "text": text,
                "context": t.get("title", pd.Series("", index=t.index)).fillna("").astype(str),
            }
        )
        return out
    t["doc_id"] = t["doc_id"].astype(str)
    key = _KEYS[kind][0]
    out = pd.DataFrame(
        {
            "unit_id": t["doc_id"] + f":{_PREFIX[kind]}" + t[key].astype("Int64").astype(str),
            "doc_id": t["doc_id"],
            "start": t["start"].astype("int64"),
            "end": t["end"].astype("int64"),
        },
        index=t.index,
    )
    if kind == "sentences":
        out["text"] = t["text"].astype(str)
        out["context"] = _sentence_context(t)
    else:
        full = docs.assign(doc_id=docs["doc_id"].astype(str)).set_index("doc_id")["text"]
        out["text"] = [
            str(full.get(d, ""))[a:b] for d, a, b in zip(out["doc_id"], out["start"], out["end"])
        ]
        out["context"] = _sentence_text(tables, t)
    return out.reset_index(drop=True).assign(**{key: t[key].to_numpy()})


def _tool_value(tables, kind: str, out: pd.DataFrame, score: str) -> pd.Series:
    name, dot, col = score.partition(".")
    if not dot:
        raise CodingError(
            f"score must be 'table.column' (e.g. sentence_bias.cue_density), not {score!r}"
        )
    t = _table(tables, name)
    if col not in t.columns:
        raise CodingError(f"table {name!r} has no column {col!r} (has {list(t.columns)})")
    keys = ["doc_id"] + [k for k in _KEYS.get(kind, []) if k in t.columns]
    sub = t[keys + [col]].copy()
    sub["doc_id"] = sub["doc_id"].astype(str)
    if sub.duplicated(keys).any():
        raise CodingError(
            f"{name}.{col} has several rows per unit (keys {keys}); filter the table to one "
            "row per unit first (e.g. one frame of frame_docs) and pass the filtered tables"
        )
    left = out[keys].copy()
    for k in keys[1:]:
        left[k] = left[k].astype(sub[k].dtype)
    return left.merge(sub, on=keys, how="left")[col].reset_index(drop=True)


def units(analysis, kind: str, *, score: str | None = None) -> pd.DataFrame:
    """One row per unit of ``kind``, with text, context and metadata for a coding sheet.

    Parameters
    ----------
    analysis : Analysis or mapping of table name -> DataFrame
        Needs ``docs`` and the kind's table (``sentences``, ``quotes``, ``events``).
    kind : {"sentences", "quotations", "events", "documents"}
    score : str, optional, keyword-only
        ``"table.column"`` of a measure table with one row per unit (joined on
        ``doc_id`` and the unit key): the tool's current value, column ``tool_value``.

    Returns
    -------
    DataFrame
        :data:`UNIT_COLUMNS` plus ``outlet``, ``date`` (from ``docs``), the unit key
        (``sent_id``, ``quote_id``, ``event_id``) and ``tool_value`` when asked.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Hello world."], "title": ["Hi"]})
    >>> units({"docs": docs}, "documents")[["unit_id", "end", "context"]].to_dict("records")
    [{'unit_id': 'd1', 'end': 12, 'context': 'Hi'}]
    """
    if kind not in UNIT_KINDS:
        raise CodingError(f"unit kind must be one of {sorted(UNIT_KINDS)}, not {kind!r}")
    tables = _tables(analysis)
    out = _base(tables, kind)
    out.insert(1, "unit_kind", kind)
    docs = _table(tables, "docs")
    meta = pd.DataFrame({"doc_id": docs["doc_id"].astype(str)})
    for c in ("outlet", "date"):
        meta[c] = docs[c].astype(str).where(docs[c].notna(), "") if c in docs else ""
    out = out.merge(meta.drop_duplicates("doc_id"), on="doc_id", how="left")
    if score is not None:
        out["tool_value"] = _tool_value(tables, kind, out, score).to_numpy()
    out = out.sort_values(["doc_id", "start", "unit_id"], kind="stable").reset_index(drop=True)
    if out["unit_id"].duplicated().any():
        raise CodingError(
            f"{kind}: unit ids repeat; the {UNIT_KINDS[kind]} table has duplicate keys"
        )
    return out.assign(start=out["start"].astype(np.int64), end=out["end"].astype(np.int64))
