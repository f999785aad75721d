"""Coding sheets: the sample as a table coders fill in, written as CSV and XLSX.

Column order is what coders see: ``row`` (the sheet row number), ``text``,
``context``, then one blank column per variable and coder, named
``variable[coder]``, and only then the hidden columns (``unit_id, unit_kind, doc_id,
start, end`` and the tool's current value as ``tool[variable]``), so the tool's value
does not prime the coders. In XLSX the hidden columns are grouped and hidden, the coder
columns carry a drop-down of the allowed values, and a second sheet holds the
codebook. CSV cells that a spreadsheet would read as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) are prefixed with a single quote, as the
OWASP guidance on CSV injection recommends; :func:`unneutralise` undoes it on import.

Examples
--------
>>> import pandas as pd
>>> from framelens.coding.codebooks import codebook
>>> cb = codebook([{"variable": "bias", "level": "nominal", "values": ["yes", "no"],
...                 "definition": "Biased wording?"}])
>>> u = pd.DataFrame({"unit_id": ["d1:s0"], "unit_kind": ["sentences"], "doc_id": ["d1"],
...                   "start": [0], "end": [4], "text": ["=1+1"], "context": [""]})
>>> sheet = coding_sheet(u, cb, coders=["ann", "bob"])
>>> list(sheet.columns)[:5]
['row', 'text', 'context', 'bias[ann]', 'bias[bob]']
>>> neutralise("=1+1"), neutralise("plain")
("'=1+1", 'plain')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from framelens.errors import CodingError, OutputError

__all__ = [
    "HIDDEN_COLUMNS",
    "coder_column",
    "parse_coder_column",
    "coding_sheet",
    "neutralise",
    "unneutralise",
    "write_csv",
    "write_xlsx",
    "write_units",
    "read_units",
    "write_codes",
]

#: Identification columns placed after the coder columns (hidden in XLSX).
HIDDEN_COLUMNS = ("unit_id", "unit_kind", "doc_id", "start", "end")
_VISIBLE = ("row", "text", "context")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CODER = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)\[([^\[\]]+)\]$")
_TOOL = re.compile(r"^tool\[([A-Za-z][A-Za-z0-9_]*)\]$")
_CODER_NAME = re.compile(r"^[A-Za-z0-9_.\- ]+$")


def coder_column(variable: str, coder: str) -> str:
    """The sheet column of ``variable`` for ``coder``: ``variable[coder]``.

    Examples
    --------
    >>> coder_column("bias", "ann")
    'bias[ann]'
    """
    return f"{variable}[{coder}]"


def parse_coder_column(name: str) -> tuple[str, str] | None:
    """``(variable, coder)`` of a coder column, None for any other column.

    Examples
    --------
    >>> parse_coder_column("bias[ann]"), parse_coder_column("text")
    (('bias', 'ann'), None)
    """
    m = _CODER.match(str(name).strip())
    if not m or _TOOL.match(str(name).strip()):
        return None
    return m.group(1), m.group(2).strip()


def neutralise(value):
    """Prefix a string that a spreadsheet would run as a formula with ``'`` (OWASP).

    Examples
    --------
    >>> neutralise("@SUM(A1)"), neutralise("-3"), neutralise(5)
    ("'@SUM(A1)", "'-3", 5)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def unneutralise(value):
    """Undo :func:`neutralise` (a leading ``'`` before a formula character).

    Examples
    --------
    >>> unneutralise("'=1+1"), unneutralise("'quoted")
    ('=1+1', "'quoted")
    """
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def _check_coders(coders: Sequence[str]) -> list[str]:
    if isinstance(coders, str) or not len(coders):
        raise CodingError("coders must be a non-empty list of names, e.g. ['ann', 'bob']")
    out = [str(c).strip() for c in coders]
    bad = [c for c in out if not _CODER_NAME.match(c)]
    if bad or len(set(out)) != len(out):
        raise CodingError(f"coder names must be unique letters/digits/_.- : {out}")
    return out


def coding_sheet(
    units: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    coders: Sequence[str],
    tool: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The coding sheet as a DataFrame (visible columns, coder columns, hidden columns).

    Parameters
    ----------
    units : DataFrame
        Sampled units with :data:`HIDDEN_COLUMNS`, ``text`` and ``context``.
    codebook : DataFrame
        From :func:`framelens.coding.codebooks.codebook`.
    coders : list of str, keyword-only
        One blank column per variable and coder.
    tool : mapping variable -> units column, optional
        The tool's current value of a variable, written to the hidden ``tool[variable]``.

    Returns
    -------
    DataFrame
    """
    coders = _check_coders(coders)
    need = [c for c in (*HIDDEN_COLUMNS, "text", "context") if c not in units.columns]
    if need:
        raise CodingError(f"the units table lacks column(s) {need}")
    tool = dict(tool or {})
    unknown = sorted(set(tool) - set(codebook["variable"]))
    if unknown:
        raise CodingError(f"tool names variable(s) {unknown} that are not in the codebook")
    out = pd.DataFrame(
        {
            "row": range(1, len(units) + 1),
            "text": units["text"].astype(str).to_numpy(),
            "context": units["context"].fillna("").astype(str).to_numpy(),
        }
    )
    for var in codebook["variable"]:
        for c in coders:
            out[coder_column(var, c)] = ""
    for col in HIDDEN_COLUMNS:
        out[col] = units[col].to_numpy()
    for var, col in tool.items():
        if col not in units.columns:
            raise CodingError(f"tool column {col!r} for {var!r} is not in the units table")
        out[f"tool[{var}]"] = units[col].to_numpy()
    return out


def _codebook_sheet(codebook: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "variable": codebook["variable"],
            "level": codebook["level"],
            "allowed values": [" | ".join(v) for v in codebook["values"]],
            "definition": codebook["definition"],
        }
    )


def write_csv(sheet: pd.DataFrame, path: str | Path, *, codebook: pd.DataFrame | None = None):
    """Write ``sheet`` as UTF-8 CSV with formula-like cells neutralised; the codebook, if
    given, goes next to it as ``<stem>.codebook.csv``. Returns the paths written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = sheet.astype(object).map(neutralise)
    safe.to_csv(path, index=False, encoding="utf-8")
    written = [path]
    if codebook is not None:
        cb_path = path.with_name(path.stem + ".codebook.csv")
        _codebook_sheet(codebook).astype(object).map(neutralise).to_csv(cb_path, index=False)
        written.append(cb_path)
    return written


def write_units(units: pd.DataFrame, path: str | Path) -> Path:
    """Write the sampled units (``<name>.units.csv``) with formula-like cells neutralised,
    as the sheets are; :func:`read_units` reads them back."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    units.astype(object).map(neutralise).to_csv(path, index=False, encoding="utf-8")
    return path


def read_units(path: str | Path) -> pd.DataFrame:
    """The units a round exported (:func:`write_units`), neutralised cells restored.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "s.units.csv")
    >>> _ = write_units(pd.DataFrame({"unit_id": ["=d:s0"], "start": [0]}), p)
    >>> read_units(p).to_dict("records")
    [{'unit_id': '=d:s0', 'start': 0}]
    """
    path = Path(path)
    if not path.is_file():
        raise CodingError(f"{path}: no exported units here (the <name>.units.csv of the export)")
    try:
        units = pd.read_csv(path, dtype={"unit_id": str, "doc_id": str}, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CodingError(f"{path}: cannot read the exported units: {exc}") from None
    if "unit_id" not in units.columns:
        raise CodingError(f"{path}: no unit_id column; is this the exported <name>.units.csv?")
    for col in units.columns:
        if pd.api.types.is_object_dtype(units[col]) or pd.api.types.is_string_dtype(units[col]):
            units[col] = units[col].map(unneutralise, na_action="ignore")
    return units


def write_codes(codes: pd.DataFrame, path: str | Path) -> Path:
    """Write the ``codes`` table as Parquet (``.parquet``) or as CSV with formula-like
    cells neutralised (what ``framelens code import --out`` writes)."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"--out {path} is a folder; give a file name ending .csv or .parquet")
    if path.suffix == ".parquet":
        path.parent.mkdir(parents=True, exist_ok=True)
        codes.to_parquet(path, index=False)
        return path
    return write_csv(codes, path)[0]


def write_xlsx(sheet: pd.DataFrame, path: str | Path, *, codebook: pd.DataFrame) -> Path:
    """Write ``sheet`` (sheet "coding") and ``codebook`` (sheet "codebook") as XLSX.

    Cells are written as strings or numbers, never formulas; hidden columns are grouped
    and hidden; coder columns get a list validation of the allowed values.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "coding"
    cols = list(sheet.columns)
    ws.append(cols)
    for rec in sheet.itertuples(index=False):
        ws.append([_cell(v) for v in rec])
    for cell in ws[1]:
        cell.data_type = "s"
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string that looks like a formula stays a string
    allowed = dict(zip(codebook["variable"], codebook["values"]))
    n = len(sheet) + 1
    hidden = [i for i, c in enumerate(cols, 1) if c in HIDDEN_COLUMNS or _TOOL.match(c)]
    for i, c in enumerate(cols, 1):
        letter = get_column_letter(i)
        parsed = parse_coder_column(c)
        ws.column_dimensions[letter].width = {"text": 70, "context": 50}.get(c, 14)
        if parsed and parsed[0] in allowed and n > 1:
            dv = DataValidation(type="list", formula1='"' + ",".join(allowed[parsed[0]]) + '"')
            dv.add(f"{letter}2:{letter}{n}")
            ws.add_data_validation(dv)
    if hidden:
        first, last = get_column_letter(hidden[0]), get_column_letter(hidden[-1])
        ws.column_dimensions.group(first, last, hidden=True, outline_level=1)
    ws.freeze_panes = "B2"
    cb = wb.create_sheet("codebook")
    cbs = _codebook_sheet(codebook)
    cb.append(list(cbs.columns))
    for rec in cbs.itertuples(index=False):
        cb.append([_cell(v) for v in rec])
    for row in cb.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    cb.column_dimensions["D"].width = 80
    wb.save(path)
    return path


#: Control characters an XLSX cell cannot hold (openpyxl refuses them): a vertical tab
#: from a word processor's line break, a bell, ... Shown as a space in the XLSX sheet.
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):
        v = v.item()
    return v if isinstance(v, int | float | bool) else _ILLEGAL_XLSX.sub(" ", str(v))
