"""Delimited text (CSV, TSV) read record by record, with the file lines of each record.

The parser is Python's :mod:`csv` module, driven so that no record can corrupt another:

- a record with more fields than the header is a ``bad_record`` (never a shifted row or
  a column taken as the index); extra fields that are all empty (trailing delimiters)
  are dropped, and a record with fewer fields gets empty values;
- a quotation mark that opens a field and never closes does not swallow the rest of
  the file: its line is read without quoting (the mark is kept) and reading goes on
  at the next line, with a ``merged_rows`` warning;
- a quoted field spanning lines whose every line has exactly the header's number of
  fields is probably rows merged by a stray quotation mark: kept as one record, with a
  ``merged_rows`` warning naming the lines;
- TSV is read without quoting (text is verbatim, ``"Hello," he said.`` stays so),
  unless the whole file parses under strict CSV quoting with one field count, as
  ``pandas.DataFrame.to_csv(sep="\\t")`` and R's ``write.table`` write it. A TSV value
  that is exactly one quoted string (``"Yes"``) in such a file loses its marks.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "Delimited",
    "parse_delimited",
    "sniff_delimiter",
    "tsv_uses_quoting",
    "to_frame",
    "open_quote_at_end",
]


@dataclass
class Delimited:
    """What :func:`parse_delimited` found.

    ``rows`` are the good records (each as long as ``header``) and ``records`` their
    names (``"row N"``: the N-th data record, bad ones counted); ``broken`` the
    refused records as ``(record, why)`` with ``record`` = ``"line L"``, the file line
    where the record starts; ``notes`` warnings as ``(record, code, why)``.
    """

    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    broken: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV file: ``,`` unless the header line holds none and holds
    ``;``, a tab or ``|`` (spreadsheets in many locales export ``;``).

    Examples
    --------
    >>> sniff_delimiter("text;outlet\\nA, b;RT\\n"), sniff_delimiter("text,outlet\\n")
    (';', ',')
    """
    first = text.split("\n", 1)[0]
    if "," in first:
        return ","
    for sep in (";", "\t", "|"):
        if sep in first:
            return sep
    return ","


_FIELD_QUOTE = re.compile(r'(?:\A|[\t\r\n])"')


def tsv_uses_quoting(text: str) -> bool:
    """True when a TSV text is consistently CSV-quoted (see the module docstring).

    Examples
    --------
    >>> tsv_uses_quoting('text\\n"Hello," he said.\\n')
    False
    >>> tsv_uses_quoting('text\\tx\\n"a\\tb"\\t1\\n')
    True
    """
    if _FIELD_QUOTE.search(text) is None:
        return False
    try:
        counts = {
            len(r) for r in csv.reader(io.StringIO(text, newline=""), "excel-tab", strict=True)
        }
    except csv.Error:
        return False
    counts.discard(0)
    return len(counts) == 1


def open_quote_at_end(raw: str, sep: str) -> bool:
    """True when a quoted field of ``raw`` is still open at its end (csv rules).

    Examples
    --------
    >>> open_quote_at_end('a,"b\\n', ","), open_quote_at_end('a,"b""c"\\n', ",")
    (True, False)
    """
    inq = False
    closed_at = -2
    for m in re.finditer('"', raw):
        i = m.start()
        if inq:
            inq, closed_at = False, i
        elif i == closed_at + 1:  # "" inside a quoted field
            inq = True
        elif i == 0 or raw[i - 1] in (sep, "\n", "\r"):
            inq = True
    return inq


def _lines_label(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def parse_delimited(
    text: str,
    *,
    sep: str,
    quoting: bool,
    header: list[str] | None = None,
    first_line: int = 1,
    first_row: int = 0,
    eof: bool = True,
) -> Delimited:
    """Split a delimited text into header and records (see the module docstring).

    Parameters
    ----------
    text : str
        The decoded file.
    sep : str
        The delimiter.
    quoting : bool
        Apply CSV quoting rules (fields in ``"``, inner marks doubled).
    header : list of str, optional
        The header when ``text`` is a piece of a file after it (a batch): every record of
        ``text`` is data, starting at file line ``first_line`` after ``first_row``
        records, and records and lines are named by their place in the file. ``eof``:
        the piece ends the file (only then is a quotation mark still open at its end
        one that never closes).

    Returns
    -------
    Delimited

    Examples
    --------
    >>> d = parse_delimited("text,outlet\\nHello, world,RT\\nFine,BBC\\n", sep=",", quoting=True)
    >>> d.rows, d.records, d.broken[0][0]
    ([['Fine', 'BBC']], ['row 2'], 'line 2')
    >>> d = parse_delimited("Fine,BBC\\n", sep=",", quoting=True, header=["text", "outlet"],
    ...                     first_line=3, first_row=2)
    >>> d.records
    ['row 3']
    """
    # long: one pass over the records keeping the line bookkeeping, the field-count checks and
    #  the restart after a quotation mark that never closes together
    # a field as long as the file must fit (the limit is process-wide; it only grows)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    lines = io.StringIO(text, newline="").readlines()
    out = Delimited(header=list(header or []))
    ncols = len(out.header)
    n_data = first_row
    shift = first_line - 1  # file line of the line before text's first
    pos = 0  # index of the next line to read
    style = csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE
    while pos < len(lines):
        reader = csv.reader(iter(lines[pos:]), delimiter=sep, quoting=style, strict=False)
        base, prev, restart = pos, 0, None
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as e:  # pragma: no cover - the non-strict parser rarely refuses
                first, last = base + prev + 1, base + reader.line_num
                prev = reader.line_num
                n_data += 1
                out.broken.append((f"line {first + shift}", f"cannot be parsed ({e})"))
                continue
            first, last = base + prev + 1, base + reader.line_num
            prev = reader.line_num
            if not fields:
                continue  # a blank line is no record
            if (
                quoting
                and eof
                and last == len(lines)
                and open_quote_at_end("".join(lines[first - 1 : last]), sep)
            ):
                # a quotation mark that never closes: read its line verbatim, go on after it
                fields = lines[first - 1].rstrip("\r\n").split(sep)
                if last > first:
                    restart = first
                    note = (
                        f"line {first + shift}: a quotation mark opens a field and never "
                        f"closes, which would merge lines {first + shift}-{last + shift} into "
                        f"one record; line {first + shift} was read without quoting (the mark "
                        "is kept in the value) "
                        "and the lines after it as records of their own. Fix the quoting"
                    )
                else:
                    note = ""
                last = first
            elif quoting and last > first and ncols > 1:
                span = lines[first - 1 : last]
                if all(len(s.rstrip("\r\n").split(sep)) == ncols for s in span):
                    note = (
                        f"{_lines_label(first + shift, last + shift)} form one record through "
                        "a quoted field, "
                        f"yet each of these lines has exactly {ncols} fields like a row of its "
                        "own: a stray quotation mark probably merged them. The record was "
                        "kept as one; fix the quoting (or ignore this if the text really "
                        "spans lines)"
                    )
                else:
                    note = ""
            else:
                note = ""
            if not out.header:
                out.header = fields
                ncols = len(fields)
            else:
                n_data += 1
                _add_record(out, fields, ncols, n_data, first + shift, last + shift, note)
            if restart is not None:
                break
        if restart is None:
            break
        pos = restart
    return out


def _add_record(
    out: Delimited, fields: list[str], ncols: int, n_data: int, first: int, last: int, note: str
) -> None:
    where = _lines_label(first, last)
    if len(fields) > ncols and not any(f.strip() for f in fields[ncols:]):
        fields = fields[:ncols]  # trailing delimiters
    if len(fields) > ncols:
        out.broken.append(
            (
                f"line {first}",
                f"{where} has {len(fields)} fields but the header has {ncols} (an unquoted "
                "delimiter inside a value?); nothing was shifted",
            )
        )
        return
    if any("\x00" in f for f in fields):
        out.broken.append(
            (f"line {first}", f"{where} contains NUL bytes (binary data pasted in?); remove them")
        )
        return
    if len(fields) < ncols:
        fields = fields + [""] * (ncols - len(fields))
    rec = f"row {n_data}"
    out.rows.append(fields)
    out.records.append(rec)
    if note:
        out.notes.append((rec, "merged_rows", note))


_BOOLS = {"True": True, "False": False, "TRUE": True, "FALSE": False, "true": True, "false": False}


def to_frame(d: Delimited, str_cols: set) -> pd.DataFrame:
    """The records as a DataFrame: empty values missing, columns outside ``str_cols``
    numeric (or boolean) when every value is, as :func:`pandas.read_csv` infers them.
    Duplicate header names are kept as they are (the loader renames them).

    Examples
    --------
    >>> d = parse_delimited("text,n\\na,1\\nb,\\n", sep=",", quoting=True)
    >>> to_frame(d, {"text"}).dtypes.astype(str).tolist()
    ['object', 'float64']
    """
    cols = []
    for j in range(len(d.header)):
        vals = [None if r[j] == "" else r[j] for r in d.rows]
        s = pd.Series(vals, dtype=object)
        if d.header[j] not in str_cols and len(s) and s.notna().any():
            s = _infer(s)
        cols.append(s)
    df = pd.concat(cols, axis=1, ignore_index=True) if cols else pd.DataFrame()
    if cols:
        df.columns = list(d.header)
    return df


def _infer(s: pd.Series) -> pd.Series:
    present = s.notna()
    vals = set(s[present])
    if vals <= set(_BOOLS):
        return s.map(_BOOLS, na_action="ignore")
    num = pd.to_numeric(s, errors="coerce")
    if int(num.notna().sum()) == int(present.sum()) and np.isfinite(num[present]).all():
        return num
    return s
