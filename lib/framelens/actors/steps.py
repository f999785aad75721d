"""The actors pipeline step."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .gazetteer import load_gazetteer
from .tagging import mentions, speaker_actors

log = logging.getLogger(__name__)


def step(
    tables: Mapping[str, pd.DataFrame],
    *,
    gazetteer: str | Path | None = None,
    extend: str | Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Pipeline step: ``mentions`` and ``quotes`` with ``speaker_actor`` filled.

    Parameters
    ----------
    tables : mapping
        Needs ``docs`` and ``sentences``; uses ``segments`` and ``quotes`` when present.
    gazetteer : path, optional
        A gazetteer replacing the built-in one (``Config.gazetteer``).
    extend : path, optional
        A gazetteer file merged into the base (see :func:`load_gazetteer`).
    """
    gaz = load_gazetteer(gazetteer, extend=extend)
    docs = tables["docs"]
    quotes = tables.get("quotes")
    m = mentions(
        docs,
        sentences=tables["sentences"],
        segments=tables.get("segments"),
        quotes=quotes,
        gazetteer=gaz,
    )
    out = {"mentions": m}
    if quotes is not None:
        q = quotes.copy()
        q["speaker_actor"] = speaker_actors(quotes, docs, mentions=m, gazetteer=gaz)
        out["quotes"] = q
    return out
