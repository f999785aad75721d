"""The ``actors`` step: actor mentions and the speakers' actor codes.

The step calls the public functions of :mod:`framelens.actors` (gazetteer, mention
tagging, speaker coding); it lives here, with the other registered steps, so that the
actors room stays a library of functions over tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.actors import BUILTIN_PATH, load_gazetteer, mentions, speaker_actors

from .registry import Option, register_step

__all__ = ["actors_step"]


def _resources(options: Mapping[str, Any]) -> dict[str, Path]:
    out = {"gazetteer": Path(options["gazetteer"] or BUILTIN_PATH)}
    if options["extend"]:
        out["gazetteer_extend"] = Path(options["extend"])
    return out


@register_step(
    "actors",
    requires=("docs", "sentences"),
    provides=("mentions",),
    updates=("quotes",),
    options=[
        Option(
            "gazetteer",
            (str, Path),
            None,
            "a gazetteer file replacing the built-in one (Config.gazetteer)",
        ),
        Option("extend", (str, Path), None, "a gazetteer file merged into the base one"),
    ],
    resources=_resources,
)
def actors_step(
    tables: Mapping[str, pd.DataFrame],
    *,
    gazetteer: str | Path | None,
    extend: str | Path | None,
) -> dict[str, pd.DataFrame]:
    """Pipeline step: ``mentions`` and ``quotes`` with ``speaker_actor`` filled.

    Parameters
    ----------
    tables : mapping
        Needs ``docs`` and ``sentences``; uses ``segments`` and ``quotes`` when present.
    gazetteer : path, optional
        A gazetteer replacing the built-in one (``Config.gazetteer``).
    extend : path, optional
        A gazetteer file merged into the base (see :func:`framelens.actors.load_gazetteer`).

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["d"], "text": ["Putin spoke."],
    ...                      "date": [pd.Timestamp("2024-10-20")]})
    >>> sents = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [12]})
    >>> actors_step({"docs": docs, "sentences": sents})["mentions"]["actor"].tolist()
    ['RUSGOV']
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
