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
    "reversal": "bool",
    "historical": "bool",
    "voice": "string",
    "start": "int64",
    "end": "int64",
    "cue_start": "int64",
    "cue_end": "int64",
    "source_start": "int64",
    "target_start": "int64",
    "ref_date": "datetime64[ns]",
    "confidence": "float64",
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
    r"sever\w*|weaken\w*|give\s+up|break\w*|downgrad\w*|sacrific\w*|question\w*|"
    r"reneg\w*|withdr\w*|pull\w*\s+out|scrap\w*|tear\s+up|suspend\w*|quit(?:s|ting)?|exit\w*|"
    r"revok\w*|cancel\w*|walk\w*\s+away|back\w*\s+out)\b"
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


#: A reversal verb (or its noun) a few words before a cooperative cue: "reneged on the
#: treaty", "withdrew from the agreement", "pulled out of the deal", "scrapped / abandoned /
#: tore up / suspended the partnership". The cue is coded 16 REDUCE RELATIONS instead.
REVERSAL = re.compile(
    r"\b(?:reneg\w*\s+on|withdr[ae]w\w*\s+from|withdrawal\s+from|withdrawn\s+from|"
    r"pull\w*\s+out\s+of|back\w*\s+out\s+of|walk\w*\s+away\s+from|exit\w*\s+(?:from\s+)?|"
    r"quit(?:s|ting)?|scrap\w*|abandon\w*|tear\w*\s+up|tore\s+up|torn\s+up|rip\w*\s+up|suspen\w*|"
    r"revok\w*|revocation\s+of|cancel\w*|terminat\w*|annul\w*|repudiat\w*|renounc\w*)"
    r"\s+(?:of\s+)?(?:[\w'-]+\s+){0,3}?$"
)


#: Shared history: actors presented as partners of a past struggle ("centuries of shared
#: faith and struggle", "fought together / side by side", "wars of liberation").
SHARED_HISTORY = re.compile(
    r"\b(?:shared|common|joint)\s+(?:[\w'-]+(?:\s*,\s*|\s+and\s+|\s+)){0,4}?"
    r"(?:struggles?|fights?|history|past|sacrifices?|suffering|victor(?:y|ies)|resistance|"
    r"battles?|wars?)\b|\bfought\s+(?:[\w'-]+\s+){0,3}?(?:together|side\s+by\s+side|"
    r"shoulder\s+to\s+shoulder|alongside)\b|\b(?:brothers|comrades)[\s-]+in[\s-]+arms\b|"
    r"\bwars?\s+of\s+(?:liberation|independence)\b|\bliberation\s+wars?\b"
)


_FRONTED = re.compile(
    r"^\s*(?:for|to|among|amongst|unlike|like|as\s+for)\s+[^,;:]{1,120}?,\s*(?=\S)"
)


def event_clause_bounds(text: str) -> np.ndarray:
    """Clause starts for relation events: :func:`clause_bounds`, and a fronted
    "For / To / Among / Unlike ... ," phrase at the start of the sentence is a clause.

    Examples
    --------
    >>> event_clause_bounds("For Ukrainians under Russian bombs, Serbia looks away").tolist()
    [0, 36]
    """
    b = clause_bounds_cached(text)
    m = _FRONTED.match(fold(text))
    if m is None:
        return np.asarray(b, dtype="int64")
    return np.asarray(sorted(set(b) | {m.end()}), dtype="int64")


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


_PREMOD = re.compile(r"(?:'s?\s+(?:[\w-]+\s+){0,2}|\s*)")
_PRONOUN = re.compile(r"\b(?:its|their)\s+(?:[\w-]+\s+){0,2}$")
_HYPHEN = re.compile(r"\s*[-/]\s*")
_OF = re.compile(r"\s+of\s+(?:the\s+)?")
_FROM = re.compile(r"\s+from\s+(?:the\s+)?")
_OF_FROM = re.compile(r"\s+(?:of\s+(?:[\w'-]+\s+){1,2})?from\s+(?:the\s+)?")
_AGAINST = re.compile(r"\s+against\s+(?:the\s+)?")
_BY = re.compile(r"\s+by\s+(?:the\s+)?")
_PREP = re.compile(r"\s+(?:[\w'-]+\s+){0,2}?(against|towards?|with|on|upon|at)\s+(?:the\s+)?")
_OBJ = re.compile(r"\s+(?:the\s+)?")
PREP_OBJECT = re.compile(
    r"\b(?:of|with|against|to|from|on|in|for|by|at|towards?|into|under|over|between|among|"
    r"about)\s+(?:the\s+)?$"
)


def phrase_roles(
    c, left, right, before, ftext, m_start, m_end, *, separative, conflict
) -> dict | None:
    """Source and target named in the cue's own phrase, or None when it names neither.

    ``left`` / ``right``: mentions of the cue's clause before / after it (in text order);
    ``before``: every mention of the sentence before the cue (for "its" / "their").
    Source: a premodifier or subject right before the cue ("Russia's brutal war",
    "Russian bombs", "Serbia thanked"), the antecedent of "its / their <cue>" (the nearest
    earlier mention, score 0.8), "<cue> of X against Y" or "<cue> of Y by X". Target:
    "<cue> of Y", "<cue> against / toward / with Y" (also "on / upon / at Y" for conflict
    cues), "<cue> from Y" for liberation and withdrawal, the object right after a verbal
    cue with a subject. "X-Y <cue>" is an undirected pair. "liberation of Y" without
    "from Z" is ``blocked``: the liberated party is not an adversary.
    """
    # long: one rule per phrase shape, read in order over the same gaps
    src: list = []
    tgt: list = []
    out = {"src": src, "tgt": tgt, "undirected": False, "blocked": False}
    if left and _PREMOD.fullmatch(ftext[m_end[left[-1]] : c["start"]]):
        j = left[-1]
        if len(left) > 1 and _HYPHEN.fullmatch(ftext[m_end[left[-2]] : m_start[j]]):
            src.append((left[-2], 1.0))
            tgt.append((j, 1.0))
            out["undirected"] = True
            return out
        src.extend((k, 1.0) for k in coordinated_left(left, m_start, m_end, ftext))
    else:
        p = _PRONOUN.search(ftext[max(0, c["start"] - 40) : c["start"]])
        if p is not None:
            pos = max(0, c["start"] - 40) + p.start()
            ante = [k for k in before if m_end[k] <= pos]
            if ante:
                src.append((ante[-1], 0.8))
    if right:
        j1 = right[0]
        g1 = ftext[c["end"] : m_start[j1]]
        j2 = right[1] if len(right) > 1 else None
        g2 = ftext[m_end[j1] : m_start[j2]] if j2 is not None else ""
        if _OF.fullmatch(g1):
            if separative:
                out["blocked"] = True
                if j2 is not None and _FROM.fullmatch(g2):
                    tgt.append((j2, 1.0))
                    out["blocked"] = False
            elif j2 is not None and _AGAINST.fullmatch(g2) and not src:
                src.append((j1, 1.0))
                tgt.extend((k, 1.0) for k in coordinated(right[1:], m_start, m_end, ftext))
            else:
                tgt.extend((k, 1.0) for k in coordinated(right, m_start, m_end, ftext))
                if j2 is not None and _BY.fullmatch(g2) and not src:
                    src.append((j2, 1.0))
        elif separative and _OF_FROM.fullmatch(g1):
            tgt.append((j1, 1.0))
        elif (m := _PREP.fullmatch(g1)) is not None and (
            conflict or m.group(1) in {"against", "toward", "towards", "with"}
        ):
            tgt.extend((k, 1.0) for k in coordinated(right, m_start, m_end, ftext))
        elif src and _OBJ.fullmatch(g1):
            tgt.extend((k, 1.0) for k in coordinated(right, m_start, m_end, ftext))
    if not src and not tgt and not out["blocked"]:
        return None
    return out


def coordinated(right: list[int], m_start, m_end, ftext) -> list[int]:
    """The first mention on the right and those joined to it by and / commas / brackets."""
    out = [right[0]]
    for a, b in zip(right, right[1:]):
        if AND_RE.match(ftext[m_end[a] : m_start[b]]):
            out.append(b)
        else:
            break
    return out


def coordinated_left(left: list[int], m_start, m_end, ftext) -> list[int]:
    """The nearest mention on the left and those joined to it by and / commas."""
    out = [left[-1]]
    for b, a in zip(reversed(left), list(reversed(left))[1:]):
        if AND_RE.match(ftext[m_end[a] : m_start[b]]):
            out.append(a)
        else:
            break
    return out[::-1]
