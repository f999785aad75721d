"""Table contracts, clause bounds and camp helpers shared by the alignment measures."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from framelens.core.normalize import fold

log = logging.getLogger(__name__)


EVENT_COLUMNS = {
    "doc_id": "string",
    "sent_id": "int32",
    "event_id": "int32",
    "source": "string",
    "target": "string",
    "source_root": "string",
    "target_root": "string",
    "source_blocs": "string",
    "target_blocs": "string",
    "directed": "bool",
    "cue": "string",
    "category": "string",
    "cameo": "string",
    "quad_class": "int8",
    "weight": "float64",
    "negated": "bool",
    "refused": "bool",
    "historical": "bool",
    "voice": "string",
    "start": "int64",
    "end": "int64",
    "cue_start": "int64",
    "cue_end": "int64",
    "source_start": "int64",
    "target_start": "int64",
    "ref_date": "datetime64[ns]",
}


TONE_COLUMNS = {
    "doc_id": "string",
    "sent_id": "int32",
    "start": "int64",
    "end": "int64",
    "actor": "string",
    "root": "string",
    "voice": "string",
    "sentiment": "float64",
    "relation": "float64",
    "tone": "float64",
    "clause_start": "int64",
    "clause_end": "int64",
}


ACTOR_TONE_COLUMNS = {
    "doc_id": "string",
    "root": "string",
    "n_mentions": "int64",
    "tone": "float64",
    "sentiment": "float64",
    "relation": "float64",
    "n_positive": "int64",
    "n_negative": "int64",
}


ALIGNMENT_COLUMNS = {
    "doc_id": "string",
    "focal": "string",
    "camp": "string",
    "n_events": "int64",
    "n_coop": "int64",
    "n_conflict": "int64",
    "net": "float64",
    "gross": "float64",
    "index": "float64",
    "camp_a": "string",
    "camp_b": "string",
    "event_ids": "string",
}


_CLAUSE_SEP = re.compile(
    r"\s*;\s*|\s*:\s+|\s+-\s+|,?\s+(?=(?:despite|but|although|though|while|whereas|however|"
    r"after|because|before)\b)"
)


_NEGATOR = re.compile(
    r"(?:\b(?:not|never|no|without|unlikely|neither|nor|fail(?:s|ed|ing)?\s+to|"
    r"cannot)\b|n't\b)"
)


_CHANGE = re.compile(
    r"\b(?:chang\w*|alter\w*|abandon\w*|end|ending|stop\w*|cut\w*|reduc\w*|"
    r"sever\w*|weaken\w*|give\s+up|break\w*|downgrad\w*|sacrific\w*|question\w*)\b"
)


REFUSAL_TERMS = {
    "refus*",
    "reject*",
    "declined to",
    "declines to",
    "declining to",
    "oppose",
    "opposes",
    "opposed",
    "opposing",
    "resist*",
}


IRREALIS = re.compile(
    r"\b(?:ask\w*|urg\w*|press\w*|pressur\w*|demand\w*|call\w*\s+on|condition\w*|forc\w*|"
    r"requir\w*|insist\w*)\b[^.;]{0,80}?\bto\s+(?:[\w'-]+\s+){0,2}$"
)


AGENTIVE = re.compile(r"^\s*(?:[\w'-]+\s+){0,3}?(?:from|by)\s+(?:the\s+)?$")


SEPARATIVE = {"liberat*", "withdr*"}


AND_RE = re.compile(
    r"^\s*(?:,\s*)?(?:and|&|,)\s*(?:the\s+)?$|^\s*\(\s*$|^\s*\)\s*(?:and\s+)?$|^[\s-]*$"
)


@functools.lru_cache(maxsize=4)
def relations_lexicon(name: str = "relations"):
    """The relation-cue lexicon and its CAMEO table ``category -> (code, goldstein, quad)``."""
    from framelens import lexicon

    lex = lexicon.load(name)
    cameo = lex.meta.get("cameo") or {}
    table = {}
    for cat in lex.categories:
        c = cameo.get(cat)
        if c is None:
            raise ValueError(
                f"relations lexicon {lex.name!r}: category {cat!r} has no entry in "
                "its 'cameo:' block (code, goldstein, quad)"
            )
        table[cat] = (str(c["code"]), float(c["goldstein"]), int(c["quad"]))
    return lex, table


def relation_matches(
    docs: pd.DataFrame, *, sentences=None, segments=None, lexicon_name: str = "relations"
) -> pd.DataFrame:
    """Match the relation-cue lexicon on ``docs`` (what the pipeline's matcher does)."""
    from framelens import lexicon

    lex, _ = relations_lexicon(lexicon_name)
    return lexicon.match(docs, lex, sentences=sentences, segments=segments)


@functools.lru_cache(maxsize=65536)
def clause_bounds_cached(text: str) -> tuple[int, ...]:

    f = fold(text)
    starts = [0] + [m.end() for m in _CLAUSE_SEP.finditer(f) if m.end() < len(f)]
    return tuple(sorted(set(starts)))


def clause_bounds(text: str) -> np.ndarray:
    """Start offsets of the clauses of ``text`` (see module doc), starting with 0.

    Examples
    --------
    >>> clause_bounds("A rose despite pressure from B - C said").tolist()
    [0, 7, 33]
    """
    return np.asarray(clause_bounds_cached(text), dtype="int64")


def is_negated(before: str) -> bool:
    """``before``: folded text of the sentence up to the cue."""
    words = re.findall(r"[\w']+", before)[-5:]
    window = " ".join(words)
    m = list(_NEGATOR.finditer(window))
    if not m:
        return False
    after_neg = window[m[-1].end() :]
    return not _CHANGE.search(after_neg)


def empty_frame(cols: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})


def rows_frame(rows: dict[str, list], cols: Mapping[str, str]) -> pd.DataFrame:
    if not rows or not next(iter(rows.values())):
        return empty_frame(cols)
    out = pd.DataFrame({c: rows[c] for c in cols})
    for c, t in cols.items():
        out[c] = out[c].astype(t)
    return out


def ensure_root(mentions: pd.DataFrame | None) -> pd.DataFrame | None:
    """Mentions with a ``root`` column (derived from ``actor`` when a table lacks it)."""
    if mentions is None or "root" in mentions.columns:
        return mentions
    from framelens.actors import load_gazetteer

    gaz = load_gazetteer()
    return mentions.assign(root=[gaz.split_code(a)[0] for a in mentions["actor"].astype(str)])


def check_camps(camps: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Validate camps and return them as ``{camp: [roots or blocs]}``.

    A camp is a name and a list of gazetteer roots or blocs (``"WST"`` is the bloc of
    EU / NATO members at the date, the EU, NATO, G7 and "the West"). There are no default
    camps: the first two given are the A and B of the alignment index.

    Examples
    --------
    >>> check_camps({"RUS": ["RUS", "BLR"], "WST": ("WST",)})
    {'RUS': ['RUS', 'BLR'], 'WST': ['WST']}
    >>> check_camps({"RUS": "RUS", "WST": ["WST"]})
    Traceback (most recent call last):
    ...
    ValueError: camp 'RUS' must be a list of roots or blocs, e.g. ['RUS'], not 'RUS'
    """
    if not isinstance(camps, Mapping) or len(camps) < 2:
        raise ValueError(
            "camps needs at least two camps, e.g. {'RUS': ['RUS', 'BLR'], 'WST': ['WST']}"
        )
    out = {}
    for k, v in camps.items():
        if (
            isinstance(v, str)
            or not isinstance(v, (list, tuple, set, frozenset))
            or not all(isinstance(x, str) and x for x in v)
        ):
            raise ValueError(
                f"camp {k!r} must be a list of roots or blocs, e.g. ['RUS'], not {v!r}"
            )
        out[str(k)] = list(v)
    return out


def camp_of(
    roots: Sequence[str], blocs: Sequence[str], camps: Mapping[str, Sequence[str]]
) -> list[list[str]]:
    """Camps each actor belongs to: a camp item matches the actor's root or one of its blocs."""
    out = []
    sets = {k: set(v) for k, v in camps.items()}
    for r, b in zip(roots, blocs):
        bs = set(str(b).split(";")) if isinstance(b, str) and b else set()
        out.append([k for k, items in sets.items() if r in items or bs & items])
    return out
