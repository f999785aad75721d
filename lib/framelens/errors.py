"""framelens' errors: one base class, one subclass per room that raises.

Every error a user can cause (a bad file, a misspelt option, a table without the
columns a measure needs) is a :class:`FramelensError` whose message names the thing
that is wrong and how to fix it. The command line catches ``FramelensError`` and prints
its message without a traceback. ``FramelensError`` subclasses ``ValueError`` so that
code written against the earlier ``ValueError`` keeps working.

Examples
--------
>>> issubclass(ConfigError, FramelensError) and issubclass(FramelensError, ValueError)
True
>>> str(TableError("quotes needs the column 'speaker'"))
"quotes needs the column 'speaker'"
"""

from __future__ import annotations

__all__ = [
    "FramelensError",
    "CodingError",
    "ConfigError",
    "CorpusError",
    "LexiconError",
    "OutputError",
    "AnalysisFileError",
    "TableError",
    "WorkbookError",
]


class FramelensError(ValueError):
    """Base class of the errors framelens raises for bad input or options."""


class CodingError(FramelensError):
    """A codebook, coding sheet or codes table is invalid; for a filled sheet the message
    lists every problem with its file, row and column, so nothing is silently dropped."""


class ConfigError(FramelensError):
    """An option is invalid: an unknown step, an unknown or ill-typed option of the analysis
    configuration or of a function (the message names the option and its valid values)."""


class CorpusError(FramelensError):
    """A corpus source cannot be read at all (missing path, no text column, invalid
    ``load_corpus`` option); per-record problems are rows of ``problems``, not errors."""


class LexiconError(FramelensError):
    """A lexicon, reporting-verb lexicon or actor gazetteer (file or pattern) is invalid or
    missing; the message names file, line and pattern where known, and the fix."""


class TableError(FramelensError):
    """A table handed to a measure lacks required columns or has the wrong types."""


class WorkbookError(FramelensError):
    """A workbook (report jobs) or a notebook's parameters are invalid."""


class OutputError(FramelensError):
    """An output folder cannot be written, or is refused (not empty and not framelens')."""


class AnalysisFileError(FramelensError):
    """A saved analysis is incomplete or changed since it was written (failed verification)."""
