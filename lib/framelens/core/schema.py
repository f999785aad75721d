"""Column contracts of the tidy tables (see docs/architecture.md).

Every table is a pandas DataFrame in long form keyed by ``doc_id`` (string) and, below
document level, ``sent_id`` (0-based within the document), with ``start``/``end``
character offsets into the document's ``text`` wherever a row stands for a span.

Examples
--------
>>> from framelens.core.schema import empty, MATCH_COLUMNS
>>> list(empty("matches").columns) == list(MATCH_COLUMNS)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framelens.errors import TableError

__all__ = [
    "DOC_COLUMNS",
    "PROBLEM_COLUMNS",
    "SENTENCE_COLUMNS",
    "QUOTE_COLUMNS",
    "SEGMENT_COLUMNS",
    "MATCH_COLUMNS",
    "MENTION_COLUMNS",
    "CODE_COLUMNS",
    "MODEL_SENTENCE_BIAS_COLUMNS",
    "MODEL_FRAME_COLUMNS",
    "MODEL_TARGET_TONE_COLUMNS",
    "MODEL_EVIDENCE_COLUMNS",
    "TABLES",
    "empty",
    "CATEGORICAL",
    "FIXED_CATEGORIES",
    "VOICES",
    "VERB_CLASSES",
    "KINDS",
    "PATTERN_KINDS",
    "SEVERITIES",
    "conform",
    "require",
]

#: Who speaks in a span: the author, a quoted source, or a source in reported speech.
VOICES = ("author", "quoted", "reported")
#: Classes of reporting verbs (``quotes.verb_class``), from the reporting-verb lexicon.
VERB_CLASSES = ("neutral", "endorsing", "distancing", "guilt_implying")
#: Kinds of quotation (``quotes.kind``).
KINDS = ("direct", "partial", "indirect")
#: Kinds of lexicon pattern (``lexicon.to_frame(...).kind``).
PATTERN_KINDS = ("word", "glob", "phrase", "regex")
#: Severities of input problems (``problems.severity``).
SEVERITIES = ("error", "warning")

DOC_COLUMNS = {
    "doc_id": "string",
    "text": "string",
    "title": "string",
    "outlet": "string",
    "date": "datetime64[ns]",
    "url": "string",
    "language": "string",
    "source": "string",
}
PROBLEM_COLUMNS = {
    "source": "string",
    "record": "string",
    "doc_id": "string",
    "severity": "string",
    "code": "string",
    "message": "string",
}
SENTENCE_COLUMNS = {
    "doc_id": "string",
    "sent_id": "int32",
    "para_id": "int32",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "n_words": "int32",  # words of framelens.core.tokens (punctuation is not a word)
}
QUOTE_COLUMNS = {
    "doc_id": "string",
    "quote_id": "int32",
    "sent_id": "int32",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "kind": "string",
    "speaker": "string",
    "speaker_surface": "string",
    "speaker_start": "Int64",
    "speaker_end": "Int64",
    "speaker_actor": "string",
    "verb": "string",
    "verb_class": "string",
    "verb_start": "Int64",
    "verb_end": "Int64",
}
#: Voice segments: a partition of every document's characters into voiced spans.
SEGMENT_COLUMNS = {
    "doc_id": "string",
    "start": "int64",
    "end": "int64",
    "voice": "string",
    "quote_id": "Int64",
}
MATCH_COLUMNS = {
    "doc_id": "string",
    "sent_id": "int32",
    "start": "int64",
    "end": "int64",
    "lexicon": "string",
    "category": "string",
    "term": "string",
    "voice": "string",
    "weight": "float64",
}
MENTION_COLUMNS = {
    "doc_id": "string",
    "sent_id": "int32",
    "start": "int64",
    "end": "int64",
    "surface": "string",
    "actor": "string",
    "role": "string",
    "blocs": "string",
    "voice": "string",
}

#: Human (or tool) coding: one coder's value for one unit and variable (framelens.coding).
CODE_COLUMNS = {
    "unit_id": "string",
    "unit_kind": "string",
    "doc_id": "string",
    "start": "Int64",
    "end": "Int64",
    "coder": "string",
    "variable": "string",
    "value": "string",
}

#: Trained models in ``analyze`` (step ``models``, framelens.measures.supervised.step):
#: a BABE model's probability per sentence.
MODEL_SENTENCE_BIAS_COLUMNS = {
    "doc_id": "string",
    "sent_id": "int32",
    "start": "int64",
    "end": "int64",
    "model": "string",
    "p_biased": "float64",
    "label": "string",
}
#: A frame model's probability and decision per document and frame (the model's labels).
MODEL_FRAME_COLUMNS = {
    "doc_id": "string",
    "frame": "string",
    "p": "float64",
    "present": "bool",
    "model": "string",
}
#: A target-tone model's class probabilities per actor mention (start/end: the mention).
MODEL_TARGET_TONE_COLUMNS = {
    "doc_id": "string",
    "sent_id": "int32",
    "start": "int64",
    "end": "int64",
    "actor": "string",
    "p_neg": "float64",
    "p_neu": "float64",
    "p_pos": "float64",
    "tone": "string",
    "model": "string",
}
#: The evidence of every model prediction: one row per contributing feature and span.
#: ``table`` names the prediction's table; its row is (doc_id, sent_id, row_start) for
#: sentences and mentions, (doc_id, frame) for frames. start/end: the feature's span in
#: ``docs.text`` (<NA> for numeric features); ``rank`` 0 is the largest contribution.
MODEL_EVIDENCE_COLUMNS = {
    "table": "string",
    "doc_id": "string",
    "sent_id": "Int32",
    "row_start": "Int64",
    "row_end": "Int64",
    "frame": "string",
    "label": "string",
    "rank": "int32",
    "feature": "string",
    "weight": "float64",
    "start": "Int64",
    "end": "Int64",
}

TABLES = {
    "docs": DOC_COLUMNS,
    "problems": PROBLEM_COLUMNS,
    "sentences": SENTENCE_COLUMNS,
    "quotes": QUOTE_COLUMNS,
    "segments": SEGMENT_COLUMNS,
    "matches": MATCH_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "codes": CODE_COLUMNS,
    "model_sentence_bias": MODEL_SENTENCE_BIAS_COLUMNS,
    "model_frames": MODEL_FRAME_COLUMNS,
    "model_target_tone": MODEL_TARGET_TONE_COLUMNS,
    "model_evidence": MODEL_EVIDENCE_COLUMNS,
}

#: Low-cardinality columns stored as pandas Categorical.
CATEGORICAL = {"lexicon", "category", "voice", "kind", "verb_class", "severity", "code", "role"}

#: Categorical columns with a fixed vocabulary: their categories are always these, so a
#: table has the same dtype whether it was just computed, is empty, or was reloaded.
FIXED_CATEGORIES = {
    "voice": VOICES,
    "severity": SEVERITIES,
    "kind": KINDS,
    "verb_class": VERB_CLASSES,
}


def empty(table: str) -> pd.DataFrame:
    """Return an empty DataFrame with the columns and dtypes of ``table``.

    Parameters
    ----------
    table : str
        One of the names in :data:`TABLES`.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> empty("problems").shape
    (0, 6)
    """
    try:
        cols = TABLES[table]
    except KeyError:
        raise TableError(f"unknown table {table!r}; known tables: {', '.join(TABLES)}") from None
    return conform(
        pd.DataFrame(
            {c: pd.Series(dtype="category" if c in CATEGORICAL else t) for c, t in cols.items()}
        ),
        table,
    )


def require(df: pd.DataFrame | None, columns, *, table: str) -> pd.DataFrame:
    """Check that ``df`` is a DataFrame holding ``columns``; return it unchanged.

    The one check every function taking a framelens table makes, so that a wrong table
    fails with the same clear message everywhere.

    Raises
    ------
    TypeError
        When ``df`` is not a DataFrame (or is None).
    framelens.errors.TableError
        When columns are missing; the message names the table, the missing columns and
        the columns it has.

    Examples
    --------
    >>> require(pd.DataFrame({"doc_id": []}), ["doc_id"], table="sentences").shape
    (0, 1)
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{table} table must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise TableError(
            f"{table} table lacks column(s) {missing}; expected the framelens.core.schema "
            f"{table!r} columns (docs/architecture.md); it has: {', '.join(map(str, df.columns))}"
        )
    return df


def conform(df: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
    """Return ``df`` with the contract's dtypes: the columns of a known ``table`` cast to
    their declared dtype, and low-cardinality columns (:data:`CATEGORICAL`) as Categorical.

    Used where tables are assembled or read back, so that a table has the same dtypes
    whether it was just computed, empty, or loaded from Parquet. Columns not in the
    contract are kept as they are.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "voice": ["author"]})
    >>> conform(df, "matches").dtypes.astype(str).tolist()
    ['string', 'category']
    """
    declared = TABLES.get(table or "", {})
    changes = {}
    for col in df.columns:
        if col in CATEGORICAL:
            fixed = FIXED_CATEGORIES.get(col)
            dtype = df[col].dtype
            if fixed is not None:
                if isinstance(dtype, pd.CategoricalDtype):  # the used categories: no copy
                    codes = df[col].cat.codes.to_numpy()
                    values = {str(c) for c in dtype.categories[np.unique(codes[codes >= 0])]}
                else:
                    values = set(df[col].dropna().astype(str).unique())
                if values <= set(fixed) and not (
                    isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == list(fixed)
                ):
                    changes[col] = pd.Categorical(
                        df[col].astype(object).where(df[col].notna(), None), categories=list(fixed)
                    )
                    continue
            if not isinstance(dtype, pd.CategoricalDtype):
                obj = df[col].astype(object).where(df[col].notna(), None)
                changes[col] = obj.astype(
                    pd.CategoricalDtype(sorted({str(v) for v in obj.dropna()}))
                )
            else:
                # one canonical dtype for the categories themselves (Parquet may hand back
                # "string" where a fresh table has "object" or "str")
                cats = [str(c) for c in dtype.categories]
                canonical = pd.CategoricalDtype(cats)
                if canonical.categories.dtype != dtype.categories.dtype:
                    changes[col] = df[col].astype(canonical)
            continue
        want = declared.get(col)
        if want is None or str(df[col].dtype) == want:
            continue
        try:
            if want.startswith("datetime64"):
                changes[col] = pd.to_datetime(df[col], errors="coerce")
            else:
                changes[col] = df[col].astype(want)
        except (TypeError, ValueError):
            continue  # leave an unexpected column as it is rather than fail on display data
    return df.assign(**changes) if changes else df
