"""What the reports will have to show for a corpus, before they run.

``framelens check CORPUS`` lists, besides the input problems, the reports that will have
little to show: no outlet column (no per-outlet comparisons), one group only (no keyness,
no comparison between groups), no dates (no time series), no mention of the focal actor
(an empty alignment report). Each warning names the fix.

Examples
--------
>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"], "outlet": ["RT", "RT"],
...                      "date": pd.to_datetime(["2024-01-01", None])})
>>> for line in report_coverage(docs, focal="SRB"):
...     print(line)
one outlet only (RT): no keyness and no comparison between outlets; ...
"""

from __future__ import annotations

from typing import Any

__all__ = ["report_coverage"]


def _filled(docs, column: str):
    if column not in docs.columns:
        return None
    col = docs[column]
    if col.dtype == object or str(col.dtype).startswith("string"):
        col = col.astype("string").str.strip().replace("", None)
    return col.dropna()


def _near(docs, column: str) -> str:
    """The fix when ``docs`` has ``column`` under another case or with spaces
    (``Outlet``, `` date``): read it with ``--outlet-col`` / ``--date-col``."""
    near = [
        str(c) for c in docs.columns if str(c) != column and str(c).strip().casefold() == column
    ]
    if not near or column not in ("outlet", "date", "title"):
        return ""
    return f" (the corpus has a column {near[0]!r}: read it with --{column}-col '{near[0]}')"


def report_coverage(
    docs, *, group_col: str = "outlet", focal: str | None = None, mentions: Any = None
) -> list[str]:
    """Warnings, one line each, about the reports that will have little to show.

    Parameters
    ----------
    docs : DataFrame
        The corpus's ``docs`` table.
    group_col : str, keyword-only
        The column the reports compare groups by (the workbook's ``group_col``).
    focal : str, optional, keyword-only
        The alignment report's focal actor (a gazetteer code such as ``SRB``).
    mentions : DataFrame, optional, keyword-only
        The ``mentions`` table of the corpus (``root`` column), to look for ``focal``.

    Returns
    -------
    list of str
        Empty when every report has something to show.
    """
    out: list[str] = []
    groups = _filled(docs, group_col)
    fix = f"add it with --default {group_col}=NAME or --metadata FILE (a doc_id,{group_col} CSV)"
    fix += _near(docs, group_col)
    if groups is None or groups.empty:
        out.append(
            f"no {group_col} column: the corpus, framing, neutrality and alignment reports "
            f"show no per-{group_col} comparisons and no keyness; {fix}"
        )
    else:
        values = sorted(map(str, groups.unique()))
        if len(values) == 1:
            out.append(
                f"one {group_col} only ({values[0]}): no keyness and no comparison between "
                f"{group_col}s; the reports describe the corpus as one group"
            )
        missing = len(docs) - len(groups)
        if missing:
            out.append(
                f"{missing} of {len(docs)} documents have no {group_col}: they form a "
                f"'(missing)' group; {fix}"
            )
    dates = _filled(docs, "date")
    if dates is None or dates.empty:
        out.append(
            "no dates: the framing and alignment reports show no time series; add a date "
            "column (front matter, --metadata FILE with doc_id,date)" + _near(docs, "date")
        )
    if focal and mentions is not None:
        n = int((mentions["root"].astype(str) == focal).sum()) if len(mentions) else 0
        if n == 0:
            out.append(
                f"no mentions of the focal actor {focal}: the alignment report will be empty; "
                "run it with another focal actor (framelens run -p focal=CODE)"
            )
    elif not focal:
        out.append(
            "no focal actor set: pass --focal CODE (or --config FILE) to check that the "
            "alignment report will have events to show"
        )
    return out
