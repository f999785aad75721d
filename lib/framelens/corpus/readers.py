"""The reader registry: one reader per input format, chosen by name or file suffix.

The readers live in :mod:`.txtfolder` (a folder of .txt files) and :mod:`.tabular`
(CSV / TSV, JSON lines, Parquet, DataFrame); what they share in :mod:`.sources`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .sources import SUFFIXES, Options, Raw, clean_extra, doc_hash, is_missing
from .tabular import read_dataframe, tabular_reader
from .txtfolder import read_txt

__all__ = [
    "READERS",
    "SUFFIXES",
    "Options",
    "Raw",
    "clean_extra",
    "detect_format",
    "doc_hash",
    "is_missing",
    "register_reader",
]


#: Readers by format name: ``reader(source, options) -> raw records``. Extend with
#: :func:`register_reader`.
READERS: dict[str, Callable[[Any, Options], Raw]] = {
    "txt": read_txt,
    "csv": tabular_reader("csv"),
    "tsv": tabular_reader("tsv"),
    "jsonl": tabular_reader("jsonl"),
    "parquet": tabular_reader("parquet"),
    "dataframe": read_dataframe,
}


def register_reader(name: str, reader: Callable, *, suffixes: tuple[str, ...] = ()) -> None:
    """Register a reader for a new format.

    Parameters
    ----------
    name : str
        Format name, usable as ``load_corpus(..., format=name)``.
    reader : callable
        ``reader(path, options) -> Raw``; see the built-in readers.
    suffixes : tuple of str
        File suffixes (``".xml"``) that select this format.
    """
    if not callable(reader):
        raise TypeError("reader must be callable")
    READERS[name] = reader
    for s in suffixes:
        SUFFIXES[s.lower() if s.startswith(".") else "." + s.lower()] = name


def detect_format(source: Any) -> str | None:
    """Return the format name of a source (``None`` when the extension is unknown).

    Examples
    --------
    >>> detect_format("news.ndjson")
    'jsonl'
    >>> detect_format("news.xlsx") is None
    True
    """
    if isinstance(source, pd.DataFrame):
        return "dataframe"
    p = Path(source)
    if p.is_dir():
        return "txt"
    return SUFFIXES.get(p.suffix.lower())
