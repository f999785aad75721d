"""Where trained models are: the shipped ones by name, any other by path, and their cards.

The step ``models`` (:mod:`.step`) and the reports use the same lookup: an option value
such as ``narrative_frames`` names a model shipped as package data
(``framelens/lexicons/narrative_frames.skops`` and its ``.card.json``); anything else is
a path to a ``.skops`` file.

Examples
--------
>>> model_path("narrative_frames").name
'narrative_frames.skops'
>>> model_card("narrative_frames")["task"]
'narrative-frames'
"""

from __future__ import annotations

import json
from pathlib import Path

from framelens.core.resources import data_path

__all__ = ["NAME", "SHIPPED", "FRAME_SCHEMES", "model_path", "model_card"]

#: The step's name in ``Config.steps`` and ``Config.options``.
NAME = "models"

#: Models shipped as package data: option value -> file in ``framelens/lexicons``.
SHIPPED = {"newsmtsc_tone": "newsmtsc_tone.skops", "narrative_frames": "narrative_frames.skops"}

#: The frame scheme whose lexicon features (``frame_docs``) a frame task's model reads.
FRAME_SCHEMES = {"semeval-frames": "policy", "narrative-frames": "generic"}


def model_path(value: str | Path) -> Path:
    """The file a ``models`` option names: a shipped model's name or a path."""
    if isinstance(value, str) and value in SHIPPED:
        return Path(str(data_path(SHIPPED[value])))
    return Path(value).expanduser()


def model_card(value: str | Path) -> dict:
    """The JSON card of the model a ``models`` option names (``{}`` when it has none)."""
    p = model_path(value).with_suffix(".card.json")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
