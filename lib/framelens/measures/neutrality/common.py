"""Constants and small helpers shared by the neutrality measures.

The vocabularies (voices, verb classes, quote kinds) are :mod:`framelens.core.schema`'s
and the word unit is :mod:`framelens.core.tokens`'; they are not redefined here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from framelens.core import schema

__all__ = [
    "BIAS_LEXICON",
    "DISCOURSE_LEXICON",
    "CUE_CATEGORIES",
    "DISCOURSE_CATEGORIES",
    "CORE_DISCOURSE",
    "EVALUATIVE",
    "UNATTRIBUTED",
    "AUTHOR",
    "NEGATION_RE",
    "DISTANCING_RE",
    "CONTRAST_RE",
    "need_columns",
    "as_str_array",
    "as_categorical",
    "camp_of_sources",
]

log = logging.getLogger(__name__)


BIAS_LEXICON = "bias_cues"


DISCOURSE_LEXICON = "neutrality_discourse"


#: Categories of the ``bias_cues`` lexicon, in report order.
CUE_CATEGORIES = (
    "hedges",
    "boosters",
    "attitude_markers",
    "factive_verbs",
    "assertive_verbs",
    "implicatives",
    "intensifiers",
    "loaded_terms",
)


#: Categories of the ``neutrality_discourse`` lexicon.
DISCOURSE_CATEGORIES = (
    "neutrality",
    "balance",
    "sovereignty",
    "diplomacy",
    "non_participation",
    "asserting",
    "questioning",
)


#: Categories that make a sentence talk about neutrality *as such* (``core``): explicit
#: neutral / non-aligned wording and the phrases asserting or questioning it.
CORE_DISCOURSE = ("neutrality", "asserting", "questioning")


#: Categories summed into the author's *evaluative* rate in the profile.
EVALUATIVE = ("attitude_markers", "intensifiers", "loaded_terms", "boosters")


UNATTRIBUTED = "(unattributed)"


AUTHOR = "(author)"


#: Negation looked for in the 4 words before a neutrality term (on folded text).
NEGATION_RE = re.compile(
    r"\b(?:not|no|never|nor|hardly|barely|scarcely|far from|anything but|n't|cannot|"
    r"longer|less)\b|n't\b"
)


#: Distancing modifiers (Recasens et al. 2013; Wikipedia words to watch) looked for in
#: the 4 words before a neutrality / balance term: they question the stance.
DISTANCING_RE = re.compile(
    r"\b(?:so-called|so called|alleged|supposed|professed|proclaimed|self-proclaimed|"
    r"ostensible|nominal|pretended|sham|fake|false|purported)\b"
)


#: Contrast / concession markers that *qualify* a neutrality statement.
CONTRAST_RE = re.compile(
    r"\b(?:but|however|although|though|despite|yet|nevertheless|nonetheless|while|"
    r"whereas|even as|in spite of)\b"
)


def need_columns(df: pd.DataFrame | None, cols: Iterable[str], name: str) -> pd.DataFrame:
    if df is None:
        raise ValueError(f"{name} table is required (got None)")
    return schema.require(df, cols, table=name)


def as_str_array(s: pd.Series) -> np.ndarray:
    """Column as an object array of Python str ('' for missing)."""
    arr = s.to_numpy(dtype=object, na_value="")
    if isinstance(s.dtype, pd.StringDtype) or pd.api.types.infer_dtype(arr, skipna=False) in (
        "string",
        "empty",
    ):
        return arr
    return np.array([str(x) for x in arr.tolist()], dtype=object)


def as_categorical(values, categories) -> pd.Categorical:
    return pd.Categorical(values, categories=list(categories))


_ROLES = {
    "GOV",
    "MIL",
    "OPP",
    "MED",
    "BUS",
    "CVL",
    "ELI",
    "JUD",
    "LEG",
    "REB",
    "IGO",
    "NGO",
    "EDU",
    "HLH",
    "REF",
    "LAB",
    "SPY",
    "UAF",
    "CRM",
    "AGR",
    "REL",
    "DEV",
    "ENV",
    "COP",
    "PTY",
    "MOD",
    "RAD",
    "IND",
    "EXP",
    "CIV",
}


def camp_of_sources(
    src: np.ndarray, quotes: pd.DataFrame, camp_map: Mapping[str, str] | None
) -> np.ndarray:
    """Camp of each source: ``camp_map[actor]`` if given, else the country part of a
    CAMEO-style actor code (``SRBGOV`` -> ``SRB``), else the actor code itself (``EU``),
    else the source name (no actor known)."""
    actor = (
        np.array([x.strip() for x in as_str_array(quotes["speaker_actor"])], dtype=object)
        if "speaker_actor" in quotes.columns
        else np.full(len(quotes), "", dtype=object)
    )
    out = np.empty(len(src), dtype=object)
    for i, (a, s) in enumerate(zip(actor.tolist(), src.tolist())):
        if camp_map and a in camp_map:
            out[i] = camp_map[a]
        elif a:
            out[i] = a[:3] if len(a) >= 6 and a[3:6] in _ROLES else a
        else:
            out[i] = s
    return out
