"""Read filled coding sheets back into the tidy ``codes`` table, validating every cell.

:func:`import_codes` reads any number of sheets (CSV or XLSX, one or several coders
each), checks every cell and raises one :class:`~framelens.errors.CodingError` listing
every problem with its file, row and column: a value not allowed by the codebook, a
column naming an unknown variable, a row whose unit is unknown or missing, a unit coded
twice by one coder, a coder column left partly blank. Nothing is dropped silently: either
every filled cell becomes a row of ``codes`` or the error lists what is wrong.

Row numbers are spreadsheet rows (the header is row 1); columns are given by letter
and name.

Examples
--------
>>> import pandas as pd
>>> from framelens.coding.codebooks import codebook
>>> cb = codebook([{"variable": "bias", "level": "nominal", "values": ["yes", "no"],
...                 "definition": ""}])
>>> sheet = pd.DataFrame({"row": [1], "text": ["t"], "context": [""], "bias[ann]": ["yes"],
...     "unit_id": ["d1:s0"], "unit_kind": ["sentences"], "doc_id": ["d1"],
...     "start": ["0"], "end": ["1"]})
>>> codes_from_sheet(sheet, cb, source="s.csv")[["unit_id", "coder", "value"]].values.tolist()
[['d1:s0', 'ann', 'yes']]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from framelens.core import schema
from framelens.errors import CodingError

from .sheets import HIDDEN_COLUMNS, parse_coder_column, unneutralise

__all__ = ["read_sheet", "codes_from_sheet", "import_codes"]

_KNOWN = {"row", "text", "context", *HIDDEN_COLUMNS}


def _letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def read_sheet(path: str | Path) -> pd.DataFrame:
    """A filled sheet as strings (blank cells ""), CSV or XLSX (sheet "coding").

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "s.csv")
    >>> _ = open(p, "w").write("row,bias[ann]\\n1,'=x\\n")
    >>> read_sheet(p).iloc[0].tolist()
    ['1', '=x']
    """
    path = Path(path)
    if not path.exists():
        raise CodingError(f"{path}: no such coding sheet")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        if "coding" not in wb.sheetnames:
            raise CodingError(f"{path}: no sheet named 'coding' (sheets: {wb.sheetnames})")
        rows = [
            ["" if v is None else _text(v) for v in r]
            for r in wb["coding"].iter_rows(values_only=True)
        ]
        wb.close()
        if not rows:
            raise CodingError(f"{path}: the 'coding' sheet is empty")
        width = len(rows[0])
        body = [(r + [""] * width)[:width] for r in rows[1:]]
        df = pd.DataFrame(body, columns=[str(c) for c in rows[0]], dtype=object)
    elif path.suffix.lower() == ".csv":
        try:
            sep = _delimiter(path)
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", sep=sep)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise CodingError(
                f"{path}: cannot read as a UTF-8 CSV coding sheet: {exc}. Save it as "
                "'CSV UTF-8' or as the exported .xlsx"
            ) from None
    else:
        raise CodingError(f"{path}: a coding sheet is .csv or .xlsx, not {path.suffix!r}")
    return df.astype(object).map(lambda v: unneutralise(str(v).strip()))


def _delimiter(path: Path) -> str:
    """``,``; or ``;`` / tab when the header line has none of ``,`` but one of those (a
    spreadsheet saving CSV in a locale whose decimal mark is the comma)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = fh.readline()
    if "," in header:
        return ","
    return next((d for d in (";", "\t") if d in header), ",")


def _text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _canonical(value: str, allowed: tuple[str, ...], level: str) -> str | None:
    if value in allowed:
        return value
    if level == "interval":
        try:
            x = float(value)
        except ValueError:
            return None
        for a in allowed:
            if float(a) == x:
                return a
    low = {a.casefold(): a for a in allowed}
    return low.get(value.casefold())


def _check_columns(df, cb, source, problems):
    """Coder columns of known variables as (index, name, variable, coder)."""
    cols = []
    variables = set(cb["variable"])
    for i, c in enumerate(df.columns):
        where = f"{source}: column {_letter(i)} {c!r}"
        parsed = parse_coder_column(c)
        if parsed is None:
            if c not in _KNOWN and not str(c).startswith(("tool[", "note")):
                problems.append(f"{where}: unknown column (not a variable[coder] column)")
            continue
        if parsed[0] not in variables:
            problems.append(
                f"{where}: unknown variable {parsed[0]!r}; the codebook has {sorted(variables)}"
            )
            continue
        cols.append((i, c, *parsed))
    missing = [c for c in HIDDEN_COLUMNS if c not in df.columns]
    if missing:
        problems.append(f"{source}: the hidden column(s) {missing} are missing; re-export")
    return cols


def codes_from_sheet(
    df: pd.DataFrame, codebook: pd.DataFrame, *, source: str, problems: list | None = None
) -> pd.DataFrame:
    """The codes of one sheet (a DataFrame of strings); problems are appended to
    ``problems`` when given, otherwise raised at once as a :class:`CodingError`."""
    own = problems is None
    problems = [] if own else problems
    cols = _check_columns(df, codebook, source, problems)
    info = {r.variable: (tuple(r.values), r.level) for r in codebook.itertuples()}
    out = []
    if all(c in df.columns for c in HIDDEN_COLUMNS):
        for i, name, var, coder in cols:
            vals = df[name].astype(str)
            if not vals.str.len().any():
                continue  # this coder did not code in this file
            allowed, level = info[var]
            for r, (v, uid) in enumerate(zip(vals, df["unit_id"].astype(str))):
                where = f"{source}: row {r + 2}, column {_letter(i)} {name!r}"
                if not uid:
                    problems.append(f"{where}: the row has no unit_id (hidden column emptied?)")
                    continue
                if not v:
                    problems.append(f"{where}: left blank (coder {coder!r} coded other rows)")
                    continue
                canon = _canonical(v, allowed, level)
                if canon is None:
                    problems.append(f"{where}: {v!r} is not an allowed value {list(allowed)}")
                    continue
                row = df.iloc[r]
                out.append(
                    (uid, row["unit_kind"], row["doc_id"], row["start"], row["end"],
                     coder, var, canon, where)
                )  # fmt: skip
    if own and problems:
        raise CodingError(_message(problems))
    cols_out = [*schema.CODE_COLUMNS, "where"]
    return pd.DataFrame(out, columns=cols_out)


def _message(problems: list[str]) -> str:
    head = f"{len(problems)} problem(s) in the coding sheet(s); nothing was imported:"
    return "\n  ".join([head, *problems])


def _int(v):
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return pd.NA


def import_codes(
    paths: str | Path | Iterable[str | Path],
    codebook: pd.DataFrame,
    *,
    units: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Read filled coding sheets into the tidy ``codes`` table.

    Parameters
    ----------
    paths : path or list of paths
        CSV or XLSX sheets written by :func:`framelens.coding.exporting.export` and filled in
        (several coders, several files).
    codebook : DataFrame
        The codebook the sheets were exported with.
    units : DataFrame, optional, keyword-only
        The exported units (``unit_id``): a unit id not among them is an error, and so is
        an exported unit that no file has (a missing row).

    Returns
    -------
    DataFrame
        ``unit_id, unit_kind, doc_id, start, end, coder, variable, value``
        (:data:`framelens.core.schema.CODE_COLUMNS`), sorted.

    Raises
    ------
    CodingError
        Listing every problem with file, row and column.
    """
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    if not paths:
        raise CodingError("import_codes needs at least one coding sheet")
    problems: list[str] = []
    parts, seen_units = [], set()
    for p in paths:
        try:
            df = read_sheet(p)
        except CodingError as exc:
            problems.append(str(exc))
            continue
        part = codes_from_sheet(df, codebook, source=str(p), problems=problems)
        parts.append(part)
        if "unit_id" in df.columns:
            seen_units.update(df["unit_id"].astype(str))
            if units is not None:
                known = set(units["unit_id"].astype(str))
                for r, uid in enumerate(df["unit_id"].astype(str)):
                    if uid and uid not in known:
                        problems.append(
                            f"{p}: row {r + 2}, column unit_id: unknown unit {uid!r} "
                            "(not in the exported sample)"
                        )
    codes = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=[*schema.CODE_COLUMNS, "where"]
    )  # fmt: skip
    if units is not None:
        for uid in sorted(set(units["unit_id"].astype(str)) - seen_units):
            problems.append(f"unit {uid!r} of the exported sample is missing from every sheet")
    dup = codes[codes.duplicated(["unit_id", "coder", "variable"], keep=False)]
    for (uid, coder, var), g in dup.groupby(["unit_id", "coder", "variable"], sort=True):
        problems.append(
            f"unit {uid!r} coded {len(g)} times by {coder!r} for {var!r}: " + "; ".join(g["where"])
        )
    if problems:
        raise CodingError(_message(problems))
    codes = codes.drop(columns="where")
    codes["start"] = codes["start"].map(_int)
    codes["end"] = codes["end"].map(_int)
    codes = codes.sort_values(["variable", "unit_id", "coder"], kind="stable")
    return schema.conform(codes.reset_index(drop=True), "codes")
