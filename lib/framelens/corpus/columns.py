"""User columns: unique names, no name that framelens fills itself, valid Unicode."""

from __future__ import annotations

import pandas as pd

from .problems import STANDARD, problem_row, where_text
from .sources import fix_surrogates

__all__ = ["rename_standard", "unique_columns", "without_surrogates"]


def unique_columns(frame: pd.DataFrame, name: str, problems: list[dict]) -> pd.DataFrame:
    """Give blank column names ``Unnamed: i`` and repeated ones ``name.1``, ``name.2``
    (as :func:`pandas.read_csv` does), with a ``renamed_column`` warning each."""
    cols = [str(c) for c in frame.columns]
    if len(set(cols)) == len(cols) and all(c.strip() for c in cols):
        return frame
    out: list[str] = []
    taken = set(cols)
    for i, c in enumerate(cols):
        new = c if c.strip() else f"Unnamed: {i}"
        if new in out or (new != c and new in taken):
            base, k = new, 1
            while f"{base}.{k}" in taken or f"{base}.{k}" in out:
                k += 1
            new = f"{base}.{k}"
        if new != c:
            why = "has no name" if not c.strip() else f"{c!r} is a repeated column name"
            problems.append(
                problem_row(
                    name,
                    None,
                    None,
                    "renamed_column",
                    f"{name}: column {i + 1} {why}; its values are kept in column {new!r}. "
                    "Give every column a distinct name in the source.",
                )
            )
        out.append(new)
    frame = frame.copy(deep=False)
    frame.columns = out
    return frame


def without_surrogates(
    frame: pd.DataFrame, name: str, records: list[str], problems: list[dict]
) -> pd.DataFrame:
    """Replace lone surrogates (e.g. a JSON ``"\\ud800"`` escape) by U+FFFD, with a
    ``decode_error`` warning per record naming the columns."""
    hits: dict[int, list[str]] = {}
    fixed: dict[str, list] = {}
    for c in frame.columns:
        if frame[c].dtype != object:
            continue
        vals = frame[c].tolist()
        strings = [v for v in vals if isinstance(v, str)]
        nested = any(isinstance(v, (list, dict, tuple)) for v in vals)
        if not nested and not fix_surrogates("".join(strings))[1]:
            continue  # the common case, checked in one pass
        changed = False
        for i, v in enumerate(vals):
            v2, hit = fix_surrogates(v)
            if hit:
                vals[i], changed = v2, True
                hits.setdefault(i, []).append(c)
        if changed:
            fixed[c] = vals
    if not fixed:
        return frame
    frame = frame.copy()
    for c, vals in fixed.items():
        frame[c] = pd.Series(vals, index=frame.index, dtype=object)
    for i in sorted(hits):
        problems.append(
            problem_row(
                name,
                records[i],
                None,
                "decode_error",
                f"{where_text(name, records[i])}: {', '.join(map(repr, hits[i]))} "
                "held a lone surrogate (an unpaired \\ud800-\\udfff escape, not valid "
                "Unicode); it was replaced by U+FFFD. Fix the escape in the source.",
            )
        )
    return frame


def rename_standard(
    extras: list[str], cols: list[str], name: str, problems: list[dict]
) -> dict[str, str]:
    """Names for user columns: one named like a framelens column (``source``) becomes
    ``source_orig`` (``source_orig_2`` ... when taken), with a ``renamed_column`` warning."""
    taken = set(cols) | set(STANDARD)
    out: dict[str, str] = {}
    for c in extras:
        if c not in STANDARD:
            out[c] = c
            continue
        new, k = f"{c}_orig", 2
        while new in taken:
            new, k = f"{c}_orig_{k}", k + 1
        taken.add(new)
        out[c] = new
        problems.append(
            problem_row(
                name,
                None,
                None,
                "renamed_column",
                f"{name}: the column {c!r} is named like a column framelens fills itself; "
                f"its values are kept in column {new!r}. Rename it in the source"
                + (
                    f" (or map it with {c if c != 'doc_id' else 'id'}_col=)"
                    if c != "source"
                    else ""
                )
                + " to choose the name.",
            )
        )
    return out
