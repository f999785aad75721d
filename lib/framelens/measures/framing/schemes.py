"""Frame schemes (lexicons), their frames, default thresholds and option checks."""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from framelens.core import schema
from framelens.core.resources import data_path

log = logging.getLogger(__name__)


#: Built-in frame schemes (lexicon names).
SCHEMES = ("policy", "generic")


#: Presence thresholds used for a frame the lexicon YAML gives none for.
FALLBACK_THRESHOLDS = {"min_cues": 2.0, "min_rate": 0.0, "min_score": 0.0}


_THRESHOLD_KEYS = ("min_cues", "min_rate", "min_score")


#: Value of ``primary_frame`` for a document without any cue of the scheme.
NO_FRAME = "none"


@dataclasses.dataclass(frozen=True)
class SchemeInfo:
    """What framelens knows about a frame scheme (read from its lexicon YAML)."""

    name: str
    frames: tuple[str, ...]
    descriptions: Mapping[str, str]
    thresholds: Mapping[str, Mapping[str, float]]
    label_map: Mapping[str, str]
    provenance: Mapping[str, Any]
    actor_terms: frozenset = frozenset()
    dev_frame_ranking: tuple[str, ...] = ()
    dev_ranking_source: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@functools.cache
def scheme_info(scheme: str) -> SchemeInfo:
    """Frames, descriptions, tuned thresholds and label map of a built-in scheme.

    Parameters
    ----------
    scheme : str
        ``"policy"`` or ``"generic"``.

    Returns
    -------
    SchemeInfo

    Raises
    ------
    ValueError
        For an unknown scheme name.

    Examples
    --------
    >>> scheme_info("generic").frames
    ('responsibility', 'human_interest', 'conflict', 'morality', 'economic')
    """
    import yaml

    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise ValueError(
            f"unknown frame scheme {scheme!r}; choose one of {', '.join(map(repr, SCHEMES))}"
        )
    res = data_path(f"{scheme}.yaml")
    data = yaml.safe_load(res.read_text(encoding="utf-8"))
    cats = data.get("categories") or {}
    frames = tuple(cats)
    desc = {k: " ".join(str((v or {}).get("description", "")).split()) for k, v in cats.items()}
    tuned = data.get("framing_thresholds") or {}
    default = {**FALLBACK_THRESHOLDS, **(tuned.get("default") or {})}
    per = tuned.get("frames") or {}
    thr = {
        f: {k: float({**default, **(per.get(f) or {})}[k]) for k in _THRESHOLD_KEYS} for f in frames
    }
    prov = {k: v for k, v in tuned.items() if k not in ("default", "frames")}
    places = frozenset(
        (str(f), str(t))
        for f, terms in (data.get("actor_cues") or {}).items()
        for t in (terms or ())
    )
    rank_src = dict(data.get("dev_frame_ranking") or {})
    ranking = tuple(rank_src.get("order") or ())
    return SchemeInfo(
        scheme,
        frames,
        desc,
        thr,
        dict(data.get("label_map") or {}),
        prov,
        places,
        ranking,
        rank_src,
    )


#: How named-actor cues - names of countries, capitals, governments by metonymy,
#: nationality adjectives and international organisations (the ``actor_cues`` list of
#: a lexicon YAML) - count: see :func:`doc_frames`.
ACTOR_CUE_MODES = ("count", "down-weight", "exclude")


#: Factor applied to the (already reduced) weight of place cues with ``"down-weight"``.
ACTOR_DOWN_WEIGHT = 0.5


def check_actor_cues(actor_cues: str) -> str:
    if actor_cues not in ACTOR_CUE_MODES:
        raise ValueError(
            f"actor_cues must be one of {', '.join(map(repr, ACTOR_CUE_MODES))}, got {actor_cues!r}"
        )
    return actor_cues


def categories_hash(scheme) -> str:
    """SHA-256 of a scheme's categories and patterns only (names, descriptions, pattern
    terms, kinds and weights, in a canonical JSON), i.e. without the thresholds block
    and other metadata - the hash recorded as ``lexicon_hash_at_tuning`` (thresholds
    are tuned for a given set of cues; writing the tuned thresholds into the YAML must
    not change the hash they are checked against).

    Parameters
    ----------
    scheme : str or framelens.lexicon.Lexicon
        A built-in scheme name or a loaded lexicon.

    Examples
    --------
    >>> len(categories_hash("generic"))
    64
    """
    import hashlib
    import json

    from framelens import lexicon

    lex = scheme if isinstance(scheme, lexicon.Lexicon) else lexicon.load(scheme_info(scheme).name)
    content = {
        c.name: {
            "description": c.description,
            "patterns": [[p.term, p.kind, p.weight] for p in c.patterns],
        }
        for c in lex.categories.values()
    }
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8"
        )
    ).hexdigest()


def scheme_frames(scheme: str) -> tuple[str, ...]:
    """The frame keys of ``scheme`` in lexicon order.

    Examples
    --------
    >>> len(scheme_frames("policy"))
    15
    """
    return scheme_info(scheme).frames


def default_thresholds(scheme: str) -> dict[str, dict[str, float]]:
    """Per-frame presence thresholds shipped with ``scheme`` (a copy you may edit).

    Examples
    --------
    >>> sorted(default_thresholds("generic")["conflict"])
    ['min_cues', 'min_rate', 'min_score']
    """
    return {f: dict(v) for f, v in scheme_info(scheme).thresholds.items()}


def resolve_thresholds(scheme: str, thresholds) -> dict[str, dict[str, float]]:
    """Merge user thresholds over the shipped ones.

    ``thresholds`` may be None, a flat dict applied to every frame
    (``{"min_cues": 2}``) or a dict of frame -> dict.
    """
    base = default_thresholds(scheme)
    if thresholds is None:
        return base
    if not isinstance(thresholds, Mapping):
        raise TypeError("thresholds must be a dict: {'min_cues': 2} or {frame: {'min_cues': 2}}")
    flat = {k: v for k, v in thresholds.items() if k in _THRESHOLD_KEYS}
    nested = {k: v for k, v in thresholds.items() if k not in _THRESHOLD_KEYS}
    for k in nested:
        if k not in base:
            raise ValueError(
                f"unknown threshold key or frame {k!r} for scheme {scheme!r}; use "
                f"{', '.join(_THRESHOLD_KEYS)} or a frame among {', '.join(base)}"
            )
        if not isinstance(nested[k], Mapping):
            raise TypeError(f"thresholds[{k!r}] must be a dict like {{'min_cues': 2}}")
        bad = set(nested[k]) - set(_THRESHOLD_KEYS)
        if bad:
            raise ValueError(
                f"unknown threshold keys {sorted(bad)}; use {', '.join(_THRESHOLD_KEYS)}"
            )
    for f in base:
        base[f].update({k: float(v) for k, v in flat.items()})
        base[f].update({k: float(v) for k, v in (nested.get(f) or {}).items()})
    return base


def check_schemes(schemes) -> tuple[str, ...]:
    if isinstance(schemes, str):
        schemes = (schemes,)
    schemes = tuple(schemes)
    for s in schemes:
        scheme_info(s)  # raises ValueError on unknown names
    return schemes


def as_str_array(s: pd.Series) -> np.ndarray:
    """A column as an object array of Python str (missing -> ""), without building an
    intermediate pandas string array (the costly part of ``astype(str)`` on pandas 3)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = np.asarray([str(c) for c in s.cat.categories] + [""], dtype=object)
        codes = s.cat.codes.to_numpy()
        return cats[np.where(codes < 0, len(cats) - 1, codes)]
    if pd.api.types.is_string_dtype(s.dtype):
        out = s.to_numpy(dtype=object, na_value="")
        return out
    return np.asarray(
        [("" if v is None or (isinstance(v, float) and v != v) else str(v)) for v in s.tolist()],
        dtype=object,
    )


def require(df: pd.DataFrame, name: str, cols: Iterable[str]) -> None:
    schema.require(df, cols, table=name)
