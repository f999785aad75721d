"""What every reader shares: options, raw records, decoding and whole-source errors."""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .problems import BINARY_SHARE, NUL_CHECK_BYTES

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


# longest first: the UTF-32 LE mark starts with the UTF-16 LE one
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_encoding(data: bytes, encoding: str) -> str:
    """Return the codec to decode ``data`` with: a byte-order mark wins over ``encoding``.

    Examples
    --------
    >>> sniff_encoding("hi".encode("utf-16"), "utf-8")
    'utf-16'
    >>> sniff_encoding(b"hi", "utf-8"), sniff_encoding(b"hi", "cp1252")
    ('utf-8-sig', 'cp1252')
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


def decode_bytes(data: bytes, encoding: str) -> tuple[str, str | None]:
    """Decode bytes; on failure decode with replacement and describe the first bad byte."""
    enc = sniff_encoding(data, encoding)
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


def has_nul(data: bytes, encoding: str) -> bool:
    """True when undecoded NUL bytes mean the data is not text in ``encoding``."""
    return b"\x00" in data and not is_wide_encoding(sniff_encoding(data, encoding))


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes, encoding: str) -> bool:
    """True for binary data: NUL bytes, and more than :data:`BINARY_SHARE` of the first
    :data:`NUL_CHECK_BYTES` bytes are control characters. A few NULs in a text table
    are a problem of the records that hold them, not of the whole file."""
    sample = data[:NUL_CHECK_BYTES]
    if not has_nul(sample, encoding):
        return False
    n_control = len(sample) - len(sample.translate(None, _CONTROL))
    return n_control > BINARY_SHARE * len(sample)


def utf16_hint(data: bytes) -> str:
    """A hint when NUL bytes look like UTF-16 text without a byte-order mark."""
    sample = data[:NUL_CHECK_BYTES]
    even, odd = sample[0::2], sample[1::2]
    if odd and odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return " It looks like UTF-16 without a byte-order mark: pass encoding='utf-16-le'."
    if even and even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return " It looks like UTF-16 without a byte-order mark: pass encoding='utf-16-be'."
    return ""


_SURROGATE = re.compile("[\ud800-\udfff]")


def fix_surrogates(value: Any) -> tuple[Any, bool]:
    """Replace lone surrogates (not valid Unicode) by U+FFFD; (value, whether it changed).

    Containers (lists, dicts from JSON) are fixed inside and stay containers.

    Examples
    --------
    >>> fixed, changed = fix_surrogates("a\\ud800b")
    >>> fixed == "a\\ufffdb", changed
    (True, True)
    >>> fix_surrogates(["ok"])
    (['ok'], False)
    """
    if isinstance(value, str):
        if _SURROGATE.search(value) is None:
            return value, False
        return _SURROGATE.sub("\ufffd", value), True
    if isinstance(value, (list, dict, tuple)):
        try:
            dumped = json.dumps(value, default=str, ensure_ascii=False)
        except (ValueError, TypeError, RecursionError):
            return value, False
        if _SURROGATE.search(dumped) is None:
            return value, False
        return json.loads(_SURROGATE.sub("\ufffd", dumped)), True
    return value, False


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
    title_line: bool = False

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
