"""Parameter checks and selections for alignment reports."""

from __future__ import annotations

import logging

import pandas as pd

from .event_coding import events

log = logging.getLogger(__name__)


def check_parameters(
    docs: pd.DataFrame,
    *,
    focal: str,
    camp_a,
    camp_b,
    group_col: str = "outlet",
    date_from: str = "",
    date_to: str = "",
    gazetteer=None,
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Validate the alignment notebook's parameters and select its documents.

    Parameters
    ----------
    docs : DataFrame
    focal : str
        A root of the gazetteer ("SRB").
    camp_a, camp_b : str or list of str
        Roots or blocs ("RUS", "WST", ["RUS", "BLR"]).
    group_col : str
        A column of ``docs``.
    date_from, date_to : str
        ISO dates ("" = open), inclusive.

    Returns
    -------
    (docs, camps) : the selected documents and ``{name_a: [...], name_b: [...]}``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "date": [pd.Timestamp("2024-01-01")]})
    >>> check_parameters(d, focal="SRB", camp_a="RUS", camp_b="WST")[1]
    {'RUS': ['RUS'], 'WST': ['WST']}
    """
    from framelens.actors import load_gazetteer

    gaz = (
        load_gazetteer(gazetteer)
        if gazetteer is None or isinstance(gazetteer, (str,))
        else gazetteer
    )
    known = set(gaz.roots) | set(gaz.bloc_members_) | {"WST"}
    if not isinstance(focal, str) or focal not in known:
        raise ValueError(f"focal {focal!r} is not a gazetteer root; use e.g. 'SRB', 'RUS', 'EU'")
    camps = {}
    for c in (camp_a, camp_b):
        items = [c] if isinstance(c, str) else list(c)
        if not items or any(not isinstance(x, str) or x not in known for x in items):
            raise ValueError(
                f"camp {c!r}: give a root or bloc code or a list of them "
                f"(e.g. 'RUS', 'WST', ['RUS', 'BLR']); known blocs: "
                f"{sorted(set(gaz.bloc_members_) | {'WST'})}"
            )
        camps["+".join(items)] = items
    if len(camps) != 2:
        raise ValueError("camp_a and camp_b must differ")
    if group_col not in docs.columns:
        raise ValueError(
            f"group_col {group_col!r} is not a docs column; choose one of "
            f"{[c for c in docs.columns if c != 'text']}"
        )
    out = docs
    dates = pd.to_datetime(docs["date"], errors="coerce") if "date" in docs else None
    for val, op in ((date_from, "ge"), (date_to, "le")):
        if val:
            try:
                ts = pd.Timestamp(val)
            except ValueError:
                raise ValueError(f"date {val!r} is not an ISO date like 2024-01-31") from None
            if dates is None:
                raise ValueError("docs has no 'date' column to filter on")
            keep = (dates >= ts) if op == "ge" else (dates <= ts)
            out = out[keep.reindex(out.index).fillna(False).to_numpy()]
    return out, camps


def events_for(analysis, *, focal: str = "SRB") -> pd.DataFrame:
    """The analysis's events, recomputed when ``focal`` differs from the focal actor the
    pipeline used (one-sided cues are completed with the focal actor)."""
    opts = {}
    cfg = getattr(analysis, "config", None)
    if cfg is not None:
        opts = dict((getattr(cfg, "options", {}) or {}).get("alignment", {}) or {})
    if opts.get("focal", "SRB") == focal and "events" in getattr(analysis, "tables", {"events": 1}):
        return analysis.events
    return events(
        analysis.docs,
        sentences=analysis.sentences,
        mentions=analysis.mentions,
        matches=analysis.matches,
        segments=analysis.segments,
        focal=focal,
    )
