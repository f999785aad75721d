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
    "ConfigError",
    "CorpusError",
    "LexiconError",
    "TableError",
    "WorkbookError",
]


class FramelensError(ValueError):
    """Base class of the errors framelens raises for bad input or options."""


class ConfigError(FramelensError):
    """An analysis configuration is invalid: unknown step, unknown or ill-typed option."""


class CorpusError(FramelensError):
    """A corpus source cannot be read at all (per-record problems are rows, not errors)."""


class LexiconError(FramelensError):
    """A lexicon file or pattern is invalid (the message names file, line and pattern)."""


class TableError(FramelensError):
    """A table handed to a measure lacks required columns or has the wrong types."""


class WorkbookError(FramelensError):
    """A workbook (report jobs) or a notebook's parameters are invalid."""
