"""Corpus input/output: read a corpus from disk or memory, normalise it, validate it.

:func:`load_corpus` reads a source -- a folder of ``.txt`` files (with optional YAML
front matter and/or a sidecar ``metadata.csv``), a ``.csv``/``.tsv`` table, a
``.jsonl``/``.ndjson`` file, a ``.parquet`` file or an in-memory
:class:`pandas.DataFrame` -- and returns a :class:`Corpus` with two tables:

``docs``
    one row per document, columns of :data:`framelens.core.schema.DOC_COLUMNS`
    (``doc_id, text, title, outlet, date, url, language, source``) followed by any
    user metadata columns in the order the source gives them. ``source`` is where the
    record came from *relative to the corpus*: the file's path inside a folder of .txt
    files, the file's name for CSV/TSV/JSONL/Parquet, ``DataFrame[label]`` for a
    DataFrame; so the table does not depend on where the corpus lies or how its path
    was spelled (:attr:`Corpus.source` keeps the path as given).
``problems``
    one row per input problem, columns of :data:`framelens.core.schema.PROBLEM_COLUMNS`
    (``source, record, doc_id, severity, code, message``). Every message names the
    file (or ``DataFrame``), the record and the fix.

**Nothing is silently lost.** Every input record ends up either as a row of ``docs``
or with exactly one ``error`` row in ``problems`` whose ``record`` names it, so
``corpus.n_records == len(corpus.docs) + number of error rows with a record``. Errors
about a whole source (``empty_source``, ``unknown_format``, ``wrong_format`` of a file
source, ...) have a missing ``record`` and mean that source contributed no records.
Warnings never drop anything.

Records are named as follows: the file's path relative to the folder for a txt folder
(``"sub/a.txt"``); ``"row N"`` for CSV/TSV/Parquet (the N-th data record, header not
counted, refused records counted too -- equal to file line N+1 when no field spans
lines) and ``"line L"`` (the file line where it starts) for a CSV/TSV record that was
refused; ``"line N"`` (1-based file line) for JSONL; and ``"index L"`` (the index
label) for a DataFrame.

CSV is parsed with the usual quoting rules (fields holding the delimiter, a newline or
``"`` are quoted and inner quotes doubled, as pandas and spreadsheets write them); a
header without commas but with ``;``, tabs or ``|`` selects that delimiter. A record
with more fields than the header is a ``bad_record`` (nothing is ever shifted); a
quotation mark that never closes is kept verbatim in its line and the lines after it
are read as records of their own; a quoted field whose lines each look like a row is
reported as ``merged_rows``. TSV is read verbatim, without quoting, unless the whole
file is consistently CSV-quoted (as ``pandas.DataFrame.to_csv(sep="\\t")`` writes it).
A byte-order mark (UTF-8, UTF-16, UTF-32) decides the encoding of any text file.
See docs/methods/corpus.md for every rule.

Problem codes
-------------
==================  ========  ==========================================================
code                severity  meaning (what happens to the record)
==================  ========  ==========================================================
empty_text          error     text missing or whitespace only (dropped)
duplicate_id        error     a doc_id seen before in this source (the later one dropped)
bad_record          error     a JSONL line that is not a JSON object (or repeats a key), a
                              CSV/TSV record with more fields than the header or with NUL
                              bytes, a text that is not a string (dropped)
missing_file        error     listed in the sidecar metadata but not on disk (counted as a
                              record, nothing to load)
unreadable_file     error     the file cannot be read (permissions, broken link; dropped)
wrong_format        error     the content is not what the extension claims (binary .txt,
                              .parquet that is not Parquet, ...; dropped)
unknown_format      error     the source's extension is not a known format
empty_source        error     an empty folder or file
duplicate_text      warning   same text as an earlier document (kept; when the ids are
                              generated from the text, the later one gets ``-2``, ``-3`` ...)
decode_error        warning   undecodable bytes or a lone surrogate, replaced by U+FFFD (kept)
bad_date            warning   the date could not be parsed (kept, date missing)
bad_id              warning   an id that is a float, boolean or list (kept as text)
unbalanced_quotes   warning   odd number of ``"`` or mismatched curly quotes in a paragraph
merged_rows         warning   a CSV quotation mark that merges (or would merge) lines into
                              one record (kept; the lines are named)
not_english         warning   probably not English (kept; see :data:`NOT_ENGLISH_THRESHOLD`)
too_long            warning   longer than ``max_chars`` characters (kept)
bad_front_matter    warning   YAML front matter that does not parse to a mapping, is too
                              large or has no closing ``---`` line (kept as text)
renamed_column      warning   a column named like a framelens column (``source``), repeated
                              or blank: its values are kept under the name the message gives
duplicate_metadata  warning   a file listed twice in the sidecar (first row used)
bad_metadata        warning   a sidecar metadata line that cannot be parsed (skipped)
skipped_file        warning   a non-.txt file in a txt folder, or a link to a folder read
                              anyway (not read)
followed_link       warning   a link to a folder outside a txt folder (followed, its files read)
==================  ========  ==========================================================

Examples
--------
>>> import pandas as pd
>>> from framelens.corpus import load_corpus
>>> c = load_corpus(pd.DataFrame({"text": ["Hello world.", "  "], "outlet": ["A", "B"]}))
>>> len(c), c.problems["code"].tolist()
(1, ['empty_text'])
"""

from __future__ import annotations

from .load import load_corpus
from .model import Corpus
from .problems import (
    NOT_ENGLISH_MIN_WORDS,
    NOT_ENGLISH_THRESHOLD,
    PROBLEM_CODES,
    has_errors,
    problem_counts,
    problems_report,
)
from .readers import READERS, SUFFIXES, detect_format, doc_hash, register_reader
from .stream import concat_problems, iter_batches

__all__ = [
    "Corpus",
    "load_corpus",
    "iter_batches",
    "concat_problems",
    "problems_report",
    "has_errors",
    "problem_counts",
    "doc_hash",
    "detect_format",
    "register_reader",
    "READERS",
    "SUFFIXES",
    "NOT_ENGLISH_THRESHOLD",
    "NOT_ENGLISH_MIN_WORDS",
    "PROBLEM_CODES",
]
