"""What every reader shares: options, raw records, decoding and whole-source errors."""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .problems import NUL_CHECK_BYTES

log = logging.getLogger(__name__)


def doc_hash(text: str) -> str:
    """Return the stable document id of a text: the first 16 hex characters of the
    SHA-1 of its UTF-8 encoding.

    Examples
    --------
    >>> doc_hash("abc")
    'a9993e364706816a'
    """
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class SourceError(Exception):
    """A whole-source problem (code + message), turned into a problems row."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def is_wide_encoding(encoding: str) -> bool:
    name = codecs.lookup(encoding).name
    return name.startswith(("utf-16", "utf-32"))


def decode_bytes(data: bytes, encoding: str) -> tuple[str, str | None]:
    """Decode bytes; on failure decode with replacement and describe the first bad byte."""
    enc = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    try:
        return data.decode(enc), None
    except UnicodeDecodeError as e:
        detail = (
            f"bytes that are not valid {encoding} (first at byte {e.start}: "
            f"{data[e.start : e.start + 4]!r})"
        )
        return data.decode(enc, errors="replace"), detail


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise SourceError(
            "unreadable_file",
            f"{path}: cannot read the file "
            f"({e.strerror or type(e).__name__}); check that it exists and "
            "that you may read it.",
        ) from None


def looks_binary(data: bytes, encoding: str) -> bool:
    return not is_wide_encoding(encoding) and b"\x00" in data[:NUL_CHECK_BYTES]


def clean_extra(s: pd.Series) -> pd.Series:
    """Give a user metadata column a Parquet-friendly dtype."""
    if s.dtype != object:
        return s
    vals = s.tolist()
    if any(isinstance(v, (list, dict, tuple, set)) for v in vals):
        vals = [
            json.dumps(v, default=str, ensure_ascii=False)
            if isinstance(v, (list, dict, tuple, set))
            else v
            for v in vals
        ]
        s = pd.Series(vals, index=s.index, dtype=object)
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("integer", "floating", "mixed-integer-float", "boolean", "decimal"):
        return s.convert_dtypes()
    if kind in ("date", "datetime", "datetime64"):
        return s
    return s.astype("string")


@dataclass(frozen=True)
class Options:
    text_col: Any
    id_col: Any
    title_col: Any
    outlet_col: Any
    date_col: Any
    url_col: Any
    language_col: Any
    metadata: Any
    encoding: str
    recursive: bool
    ignore: tuple[str, ...] = ()

    def mapped(self) -> dict[str, Any]:
        return {
            "text": self.text_col,
            "title": self.title_col,
            "outlet": self.outlet_col,
            "date": self.date_col,
            "url": self.url_col,
            "language": self.language_col,
        }


@dataclass
class Raw:
    """What a reader returns: raw records plus what it already found wrong."""

    name: str  # source name used in messages
    frame: pd.DataFrame | None = None  # one row per record that was read
    records: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    n_records: int = 0  # records seen, including failed ones
    default_ids: list[str] | None = None  # ids derived from file names (txt)
    strict_columns: bool = True  # missing mapped columns raise ValueError
    text_unreadable: dict[int, str] = field(default_factory=dict)  # row -> decode detail


def scalar_value(v: Any) -> Any:
    if isinstance(v, (list, dict, tuple, set)):
        return json.dumps(v, default=str, ensure_ascii=False)
    return v


def is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and np.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


#: File name suffixes (lower case) and the format they mean.
SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
