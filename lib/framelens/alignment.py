"""Relations between actors, tone toward actors, alignment index and networks.

A *relation event* is a relation cue (``relations`` lexicon: CAMEO root classes with
Goldstein weights, see ``lexicons/relations.yaml``) together with the actors the
sentence structure ties to it. Rules (documented in docs/methods/alignment.md):

* **scope** - a sentence is cut into clauses (``;``, ``:``, `` - ``, and before
  *despite, but, although, though, while, whereas, however, after, because*); each
  actor mention of a clause belongs to the nearest cue of the clause (ties: the cue
  before it); mentions inside a cue's span ("Serbia-Russia relations") belong to it;
* **pairs** - cue with actors on both sides: directed from the nearest actor on the left
  (and actors coordinated with it by "and") to the actors on the right ("X thanked Y");
  "<cue> from|by X" (pressure from the West): X is the source, the target the actors on
  the left or else the focal actor when the sentence names it; actors inside the cue or
  only on one side of it: undirected pairs among them; one side empty and the focal
  actor named elsewhere in the sentence: undirected pair with the focal actor;
* **negation** - a negator (not, n't, never, no, without, unlikely, fail to) at most 4
  words before the cue flips the sign and halves the weight; "not change / end / cut
  ... <cooperation>" is a double negation and is not flipped;
* **refusal** - "refuse / reject / decline to <conflict cue>" ("refused to join the
  sanctions") yields a 12 REJECT event from the refuser to the actors pressing for the
  act (sources of "pressure / demands from" in the same sentence) and the flipped,
  halved conflict weight toward the remaining actors (the would-be target, Russia);
* **irrealis** - cues inside a demanded action ("asking Serbia to cut off relations",
  "the condition ... to normalize relations") are not events of their own;
* **history** - a sentence coded at an explicit year at least ``historical_years`` before
  the document (the 1944 liberation of Belgrade) gives ``historical`` events, left out
  of the alignment index by default.

Examples
--------
>>> import pandas as pd
>>> from framelens.alignment import analyze_text
>>> ev = analyze_text("Serbia thanked Russia for gas supplies.", date="2024-10-20")["events"]
>>> ev[["source", "target", "cue", "weight"]].values.tolist()[0]
['SRB', 'RUS', 'thanked', 3.5]
"""

from __future__ import annotations

import functools
import logging
from bisect import bisect_left, bisect_right
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .normalize import fold

__all__ = [
    "EVENT_COLUMNS", "ALIGNMENT_COLUMNS", "TONE_COLUMNS", "ACTOR_TONE_COLUMNS",
    "DEFAULT_CAMPS", "relations_lexicon", "relation_matches", "events", "tone",
    "actor_tone", "alignment_index", "network", "clause_bounds", "span_tone", "step",
    "target_features", "target_tone", "TONE_FEATURES", "TONE_MODEL",
    "analyze_text", "camp_of", "check_parameters", "events_for",
]

log = logging.getLogger(__name__)

#: Default camps for the alignment index: Russia vs the West (WST = members of the EU
#: or NATO at the date, plus the EU, NATO and G7 themselves and "the West").
DEFAULT_CAMPS: dict[str, list[str]] = {"RUS": ["RUS"], "WST": ["WST"]}

EVENT_COLUMNS = {
    "doc_id": "string", "sent_id": "int32", "event_id": "int32",
    "source": "string", "target": "string", "source_root": "string", "target_root": "string",
    "source_blocs": "string", "target_blocs": "string", "directed": "bool",
    "cue": "string", "category": "string", "cameo": "string", "quad_class": "int8",
    "weight": "float64", "negated": "bool", "refused": "bool", "historical": "bool",
    "voice": "string", "start": "int64", "end": "int64", "cue_start": "int64", "cue_end": "int64",
    "source_start": "int64", "target_start": "int64", "ref_date": "datetime64[ns]",
}
TONE_COLUMNS = {
    "doc_id": "string", "sent_id": "int32", "start": "int64", "end": "int64", "actor": "string",
    "root": "string", "voice": "string", "sentiment": "float64", "relation": "float64",
    "tone": "float64", "clause_start": "int64", "clause_end": "int64",
}
ACTOR_TONE_COLUMNS = {
    "doc_id": "string", "root": "string", "n_mentions": "int64", "tone": "float64",
    "sentiment": "float64", "relation": "float64", "n_positive": "int64", "n_negative": "int64",
}
ALIGNMENT_COLUMNS = {
    "doc_id": "string", "focal": "string", "camp": "string", "n_events": "int64",
    "n_coop": "int64", "n_conflict": "int64", "net": "float64", "gross": "float64",
    "index": "float64", "camp_a": "string", "camp_b": "string", "event_ids": "string",
}

_CLAUSE_SEP = re.compile(
    r"\s*;\s*|\s*:\s+|\s+-\s+|,?\s+(?=(?:despite|but|although|though|while|whereas|however|"
    r"after|because|before)\b)"
)
_NEGATOR = re.compile(r"(?:\b(?:not|never|no|without|unlikely|neither|nor|fail(?:s|ed|ing)?\s+to|"
                      r"cannot)\b|n't\b)")
_CHANGE = re.compile(r"\b(?:chang\w*|alter\w*|abandon\w*|end|ending|stop\w*|cut\w*|reduc\w*|"
                     r"sever\w*|weaken\w*|give\s+up|break\w*|downgrad\w*|sacrific\w*|question\w*)\b")
_REFUSAL_TERMS = {"refus*", "reject*", "declined to", "declines to", "declining to", "oppose",
                  "opposes", "opposed", "opposing", "resist*"}
_IRREALIS = re.compile(
    r"\b(?:ask\w*|urg\w*|press\w*|pressur\w*|demand\w*|call\w*\s+on|condition\w*|forc\w*|"
    r"requir\w*|insist\w*)\b[^.;]{0,80}?\bto\s+(?:[\w'-]+\s+){0,2}$"
)
_AGENTIVE = re.compile(r"^\s*(?:[\w'-]+\s+){0,3}?(?:from|by)\s+(?:the\s+)?$")
_SEPARATIVE = {"liberat*", "withdr*"}
_AND = re.compile(r"^\s*(?:,\s*)?(?:and|&|,)\s*(?:the\s+)?$|^\s*\(\s*$|^\s*\)\s*(?:and\s+)?$|^[\s-]*$")


@functools.lru_cache(maxsize=4)
def relations_lexicon(name: str = "relations"):
    """The relation-cue lexicon and its CAMEO table ``category -> (code, goldstein, quad)``."""
    from . import lexicon

    lex = lexicon.load(name)
    cameo = lex.meta.get("cameo") or {}
    table = {}
    for cat in lex.categories:
        c = cameo.get(cat)
        if c is None:
            raise ValueError(f"relations lexicon {lex.name!r}: category {cat!r} has no entry in "
                             "its 'cameo:' block (code, goldstein, quad)")
        table[cat] = (str(c["code"]), float(c["goldstein"]), int(c["quad"]))
    return lex, table


def relation_matches(docs: pd.DataFrame, *, sentences=None, segments=None,
                     lexicon_name: str = "relations") -> pd.DataFrame:
    """Match the relation-cue lexicon on ``docs`` (what the pipeline's matcher does)."""
    from . import lexicon

    lex, _ = relations_lexicon(lexicon_name)
    return lexicon.match(docs, lex, sentences=sentences, segments=segments)


@functools.lru_cache(maxsize=65536)
def _clause_bounds_cached(text: str) -> tuple[int, ...]:

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
    return np.asarray(_clause_bounds_cached(text), dtype="int64")


def _negated(before: str) -> bool:
    """``before``: folded text of the sentence up to the cue."""
    words = re.findall(r"[\w']+", before)[-5:]
    window = " ".join(words)
    m = list(_NEGATOR.finditer(window))
    if not m:
        return False
    after_neg = window[m[-1].end():]
    return not _CHANGE.search(after_neg)


def _empty(cols: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})


def _frame(rows: dict[str, list], cols: Mapping[str, str]) -> pd.DataFrame:
    if not rows or not next(iter(rows.values())):
        return _empty(cols)
    out = pd.DataFrame({c: rows[c] for c in cols})
    for c, t in cols.items():
        out[c] = out[c].astype(t)
    return out


def _ensure_root(mentions: pd.DataFrame | None) -> pd.DataFrame | None:
    """Mentions with a ``root`` column (derived from ``actor`` when a table lacks it)."""
    if mentions is None or "root" in mentions.columns:
        return mentions
    from .actors import load_gazetteer

    gaz = load_gazetteer()
    return mentions.assign(root=[gaz.split_code(a)[0] for a in mentions["actor"].astype(str)])


def camp_of(roots: Sequence[str], blocs: Sequence[str], camps: Mapping[str, Sequence[str]]
            ) -> list[list[str]]:
    """Camps each actor belongs to: a camp item matches the actor's root or one of its blocs."""
    out = []
    sets = {k: set(v) for k, v in camps.items()}
    for r, b in zip(roots, blocs):
        bs = set(str(b).split(";")) if isinstance(b, str) and b else set()
        out.append([k for k, items in sets.items() if r in items or bs & items])
    return out


# ---------------------------------------------------------------------- events
def events(docs: pd.DataFrame, *, sentences: pd.DataFrame, mentions: pd.DataFrame,
           matches: pd.DataFrame | None = None, segments: pd.DataFrame | None = None,
           focal: str = "SRB", historical_years: int = 25,
           lexicon_name: str = "relations") -> pd.DataFrame:
    """Relation events per sentence: actor pairs tied to a relation cue.

    Parameters
    ----------
    docs : DataFrame
        ``doc_id``, ``text`` (``date`` optional).
    sentences, mentions : DataFrame, keyword-only
        The sentences table and :func:`framelens.actors.mentions`.
    matches : DataFrame, optional
        Lexicon matches; rows of lexicon ``lexicon_name`` are used. Matched here when
        absent or without such rows.
    focal : str, default "SRB"
        Root of the focal actor, used to complete one-sided cues ("pressure from the
        West" acts on the focal actor when the sentence names it).
    historical_years : int, default 25
        Events in sentences coded at a year at least this far before the document are
        flagged ``historical``.

    Returns
    -------
    DataFrame
        :data:`EVENT_COLUMNS`: doc_id, sent_id, event_id (0-based within the document),
        source, target (actor codes),
        source_root, target_root, source_blocs, target_blocs, directed, cue (the text),
        category (lexicon category), cameo (code), quad_class (1-4), weight (Goldstein,
        flipped and halved when negated), negated, refused, historical, voice (of the
        cue), start/end (evidence span, from the first to the last of cue and actors),
        cue_start, cue_end, source_start, target_start, ref_date.

    Examples
    --------
    >>> from framelens.alignment import analyze_text
    >>> ev = analyze_text("Serbia refused to join the sanctions despite pressure from the EU.",
    ...                   date="2024-01-01")["events"]
    >>> ev[["source", "target", "cameo", "weight"]].values.tolist()
    [['SRB', 'EU', '12', -4.0], ['EU', 'SRB', '10', -5.0]]
    """
    if not isinstance(focal, str) or not focal:
        raise ValueError("focal must be an actor root such as 'SRB'")
    if historical_years < 0:
        raise ValueError("historical_years must be >= 0")
    _, cameo = relations_lexicon(lexicon_name)
    if matches is None or not len(matches) or not (matches["lexicon"].astype(str) == lexicon_name).any():
        matches = relation_matches(docs, sentences=sentences, segments=segments,
                                   lexicon_name=lexicon_name)
    rel = matches[matches["lexicon"].astype(str) == lexicon_name]
    cols = list(EVENT_COLUMNS)
    rows: dict[str, list] = {c: [] for c in cols}
    if not len(rel) or mentions is None or not len(mentions):
        return _empty(EVENT_COLUMNS)
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"].astype(str)))
    doc_year = {}
    if "date" in docs:
        for d, x in zip(docs["doc_id"].astype(str), pd.to_datetime(docs["date"], errors="coerce")):
            doc_year[d] = None if pd.isna(x) else x.year

    mentions = _ensure_root(mentions)
    ment = mentions[mentions["role"].astype(str) != "LOC"]
    m_doc = ment["doc_id"].astype(str).to_numpy()
    m_sid = ment["sent_id"].to_numpy(dtype="int64")
    m_st = ment["start"].to_numpy(dtype="int64")
    order = np.lexsort((m_st, m_sid, m_doc))
    mcols = {
        "start": m_st[order].tolist(), "end": ment["end"].to_numpy(dtype="int64")[order].tolist(),
        "root": ment["root"].astype(str).to_numpy()[order].tolist(),
        "actor": ment["actor"].astype(str).to_numpy()[order].tolist(),
        "blocs": (ment["blocs"].astype(str).to_numpy()[order].tolist() if "blocs" in ment
                  else [""] * len(ment)),
        "ref": (list(pd.to_datetime(ment["ref_date"]).to_numpy()[order]) if "ref_date" in ment
                else [np.datetime64("NaT")] * len(ment)),
    }
    m_index: dict[tuple[str, int], list[int]] = {}
    for k, (d, si) in enumerate(zip(m_doc[order].tolist(), m_sid[order].tolist())):
        m_index.setdefault((d, si), []).append(k)
    r_doc = rel["doc_id"].astype(str).to_numpy()
    r_sid = rel["sent_id"].to_numpy(dtype="int64")
    r_st = rel["start"].to_numpy(dtype="int64")
    rorder = np.lexsort((r_st, r_sid, r_doc))
    r_rows = list(zip(r_st[rorder].tolist(), rel["end"].to_numpy(dtype="int64")[rorder].tolist(),
                      rel["category"].astype(str).to_numpy()[rorder].tolist(),
                      rel["term"].astype(str).to_numpy()[rorder].tolist(),
                      rel["voice"].astype(str).to_numpy()[rorder].tolist()))
    r_keys = list(zip(r_doc[rorder].tolist(), r_sid[rorder].tolist()))
    sent_span = {(d, int(i)): (int(s), int(e)) for d, i, s, e in zip(
        sentences["doc_id"].astype(str), sentences["sent_id"], sentences["start"], sentences["end"])}
    folded: dict[str, str] = {}
    next_id: dict[str, int] = {}     # event_id is 0-based per document (batch-independent)
    k = 0
    while k < len(r_keys):
        key = r_keys[k]
        k2 = k
        while k2 < len(r_keys) and r_keys[k2] == key:
            k2 += 1
        cues = r_rows[k:k2]
        k = k2
        idx = m_index.get(key)
        if not idx or len({mcols["root"][j] for j in idx}) < 2:
            continue
        doc_id, sid = key
        text = texts[doc_id]
        ftext = folded.get(doc_id)
        if ftext is None:
            folded.clear()
            ftext = folded[doc_id] = fold(text)
        s0, s1 = sent_span.get((doc_id, int(sid)), (0, len(text)))
        ms = {c: [mcols[c][j] for j in idx] for c in ("start", "end", "root", "actor", "blocs")}
        new = _sentence_events(text, ftext, s0, s1, cues, ms, cameo, focal)
        # the earliest coding date among the sentence's mentions: the year rule dates
        # only a clause (actors.clause_dates), the event stays historical if any is dated
        refs = [pd.Timestamp(mcols["ref"][j]) for j in idx]
        refs = [r for r in refs if pd.notna(r)]
        ref = min(refs) if refs else pd.NaT
        dy = doc_year.get(doc_id)
        hist = bool(dy is not None and pd.notna(ref) and ref.year <= dy - historical_years)
        for ev in new:
            eid = next_id.get(doc_id, 0)
            next_id[doc_id] = eid + 1
            ev.update(doc_id=doc_id, sent_id=int(sid), event_id=eid, historical=hist, ref_date=ref)
            for c in cols:
                rows[c].append(ev[c])
    return _frame(rows, EVENT_COLUMNS)


def _sentence_events(text, ftext, s0, s1, cues, ms, cameo, focal) -> list[dict]:
    m_start = ms["start"]
    m_end = ms["end"]
    m_root = ms["root"]
    m_actor = ms["actor"]
    m_blocs = ms["blocs"]
    # cues: drop those inside an actor mention ("German occupation") or overlapping another
    c_list = []
    for st, en, cat, term, voice in cues:
        if any(ms_ <= st and en <= me_ for ms_, me_ in zip(m_start, m_end)):
            continue
        if c_list and st < c_list[-1]["end"]:
            continue
        c_list.append({"start": st, "end": en, "cat": cat, "term": term, "voice": voice,
                       "negated": False, "refused": False, "drop": False})
    if not c_list:
        return []
    # refusal: "refused to <conflict cue>"
    for a, b in zip(c_list, c_list[1:]):
        gap = ftext[a["end"]:b["start"]]
        if a["term"] in _REFUSAL_TERMS and re.fullmatch(r"\s*(?:to\s+)?(?:[\w'-]+\s+){0,3}?", gap):
            a["drop"] = True
            b["refused"] = True
    for c in c_list:
        before = ftext[s0:c["start"]]
        if not c["refused"]:
            c["negated"] = _negated(before)
        if _IRREALIS.search(before[-120:]):
            c["drop"] = True
    # irrealis spreads over "and"-coordinated following cues
    for a, b in zip(c_list, c_list[1:]):
        if a["drop"] and not a["term"] in _REFUSAL_TERMS and re.fullmatch(
                r"\s*(?:[\w'-]+\s+){0,4}?(?:and|or|by)\s+", ftext[a["end"]:b["start"]]):
            b["drop"] = True
    # clauses
    bounds = clause_bounds(text[s0:s1]) + s0
    clause_of = lambda pos: int(np.searchsorted(bounds, pos, side="right") - 1)  # noqa: E731
    cue_clause = [clause_of(c["start"]) for c in c_list]
    assign: dict[int, list[int]] = {i: [] for i in range(len(c_list))}
    inside: dict[int, list[int]] = {i: [] for i in range(len(c_list))}
    for j in range(len(m_start)):
        cl = clause_of(m_start[j])
        best, best_gap = None, None
        # a possessive right before a cue is its subject ("Russia's invasion")
        poss = re.match(r"'s?\s+$", ftext[m_end[j]:m_end[j] + 3])
        for i, c in enumerate(c_list):
            if c["drop"] and c["term"] in _REFUSAL_TERMS:
                continue
            if poss and cue_clause[i] == cl and c["start"] == m_end[j] + len(poss.group(0)):
                best = ("near", i)
                break
            if cue_clause[i] != cl:
                continue
            if c["start"] <= m_start[j] and m_end[j] <= c["end"]:
                best = ("in", i)
                break
            seg = ftext[m_end[j]:c["start"]] if m_end[j] <= c["start"] else ftext[c["end"]:m_start[j]]
            gap = len(re.findall(r"[\w']+", seg))
            # ties go to the cue before the mention (the mention is its object)
            if best_gap is None or gap < best_gap or (gap == best_gap and c["end"] <= m_start[j]):
                best, best_gap = ("near", i), gap
        if best is None:
            continue
        (inside if best[0] == "in" else assign)[best[1]].append(j)
    focal_idx = [j for j in range(len(m_root)) if m_root[j] == focal]
    out = []
    agentive_sources: set[int] = set()
    pending_refusals = []

    def emit(i, src, tgt, directed, *, cat=None, weight=None, negated=None, cue_override=None):
        c = c_list[i]
        cat = cat or c["cat"]
        code, w, quad = cameo[cat]
        neg = c["negated"] if negated is None else negated
        if weight is None:
            weight = w
            if neg:
                weight = -w / 2.0
        if neg or (weight * w < 0):
            quad = 1 if weight > 0 else 3
        if m_root[src] == m_root[tgt]:
            return
        st = min(c["start"], m_start[src], m_start[tgt])
        en = max(c["end"], m_end[src], m_end[tgt])
        out.append({
            "source": m_actor[src], "target": m_actor[tgt], "source_root": m_root[src],
            "target_root": m_root[tgt], "source_blocs": m_blocs[src], "target_blocs": m_blocs[tgt],
            "directed": bool(directed), "cue": cue_override or text[c["start"]:c["end"]],
            "category": cat, "cameo": code, "quad_class": int(quad), "weight": float(weight),
            "negated": bool(neg), "refused": bool(c["refused"]), "voice": c["voice"],
            "start": int(st), "end": int(en), "cue_start": c["start"], "cue_end": c["end"],
            "source_start": int(m_start[src]), "target_start": int(m_start[tgt]),
        })

    def nearest_focal(pos, exclude_roots):
        cands = [j for j in focal_idx if m_root[j] not in exclude_roots]
        if not cands:
            return None
        return min(cands, key=lambda j: (abs(m_start[j] - pos), -m_start[j]))

    def uniq(js):
        seen, res = set(), []
        for j in js:
            if m_root[j] not in seen:
                seen.add(m_root[j])
                res.append(j)
        return res

    for i, c in enumerate(c_list):
        if c["drop"]:
            continue
        left = [j for j in assign[i] if m_end[j] <= c["start"]]
        right = [j for j in assign[i] if m_start[j] >= c["end"]]
        ins = inside[i]
        if c["refused"]:
            pending_refusals.append((i, left, right))
            continue
        agent = []
        if right and c["term"] not in _SEPARATIVE and _AGENTIVE.match(ftext[c["end"]:m_start[right[0]]]):
            agent = _coordinated(right, m_start, m_end, ftext)
        if agent:
            agentive_sources.update(agent)
            targets = left[-1:] and _coordinated_left(left, m_start, m_end, ftext)
            if not targets:
                f = nearest_focal(c["start"], {m_root[a] for a in agent})
                targets = [f] if f is not None else []
            for a in uniq(agent):
                for t in uniq(targets):
                    emit(i, a, t, True)
            continue
        if len(uniq(ins)) >= 2:
            pairs = uniq(ins)
            for x in range(len(pairs)):
                for y in range(x + 1, len(pairs)):
                    emit(i, pairs[x], pairs[y], False)
            continue
        if left and (right or ins):
            srcs = _coordinated_left(left, m_start, m_end, ftext)
            tgts = _coordinated(right, m_start, m_end, ftext) if right else ins
            for a in uniq(srcs):
                for t in uniq(tgts):
                    emit(i, a, t, True)
            continue
        group = uniq(left or right or ins)
        if len(group) >= 2:
            for x in range(len(group)):
                for y in range(x + 1, len(group)):
                    emit(i, group[x], group[y], False)
        elif len(group) == 1:
            f = nearest_focal(c["start"], {m_root[group[0]]})
            if f is not None:
                emit(i, f, group[0], False)
    for i, left, right in pending_refusals:
        c = c_list[i]
        refuser = left[-1] if left else nearest_focal(c["start"], set())
        if refuser is None:
            continue
        demanders = uniq([j for j in agentive_sources if m_root[j] != m_root[refuser]])
        for d in demanders:
            emit(i, refuser, d, True, cat=_reject_category(cameo), negated=False,
                 cue_override=text[c["start"]:c["end"]])
        dem_roots = {m_root[d] for d in demanders}
        targets = right or [j for j in range(len(m_root))
                            if m_root[j] not in dem_roots and m_root[j] != m_root[refuser]]
        code, w, quad = cameo[c["cat"]]
        for t in uniq(targets):
            emit(i, refuser, t, True, negated=True, weight=-w / 2.0)
    out.sort(key=lambda e: (e["cue_start"], e["source_start"], e["target_start"]))
    return out


def _reject_category(cameo) -> str:
    for cat, (code, _w, _q) in cameo.items():
        if code == "12":
            return cat
    raise ValueError("the relations lexicon needs a category with CAMEO code 12 (reject)")


def _coordinated(right: list[int], m_start, m_end, ftext) -> list[int]:
    """The first mention on the right and those joined to it by and / commas / brackets."""
    out = [right[0]]
    for a, b in zip(right, right[1:]):
        if _AND.match(ftext[m_end[a]:m_start[b]]):
            out.append(b)
        else:
            break
    return out


def _coordinated_left(left: list[int], m_start, m_end, ftext) -> list[int]:
    """The nearest mention on the left and those joined to it by and / commas."""
    out = [left[-1]]
    for b, a in zip(reversed(left), list(reversed(left))[1:]):
        if _AND.match(ftext[m_end[a]:m_start[b]]):
            out.append(a)
        else:
            break
    return out[::-1]


# ---------------------------------------------------------------------- tone
def span_tone(texts: Sequence[str], starts: Sequence[int], ends: Sequence[int], *,
              scope: str = "clause") -> tuple[np.ndarray, np.ndarray]:
    """VADER compound of the clause (or sentence) around each span of each text.

    Parameters
    ----------
    texts : sequence of str
        The sentence (or document) each span lies in.
    starts, ends : sequences of int
        Span offsets in the corresponding text.
    scope : {"clause", "sentence"}
        Score the clause holding the span, or the whole text.

    Returns
    -------
    (sentiment, (clause_start, clause_end)) : numpy arrays
    """
    from .sentiment import analyzer

    if scope not in {"clause", "sentence"}:
        raise ValueError(f"scope must be 'clause' or 'sentence', not {scope!r}")
    sia = analyzer()
    cache: dict[str, float] = {}
    sent = np.zeros(len(texts))
    bounds = np.zeros((len(texts), 2), dtype="int64")
    for k, (t, s, e) in enumerate(zip(texts, starts, ends)):
        if scope == "clause":
            b = clause_bounds(t)
            i = int(np.searchsorted(b, s, side="right") - 1)
            cs = int(b[i])
            ce = int(b[i + 1]) if i + 1 < len(b) else len(t)
            # a clause of only the mention: widen to the sentence
            if len(t[cs:ce].split()) <= len(t[s:e].split()) + 1:
                cs, ce = 0, len(t)
        else:
            cs, ce = 0, len(t)
        piece = t[cs:ce]
        if piece not in cache:
            cache[piece] = sia.polarity_scores(piece)["compound"]
        sent[k] = cache[piece]
        bounds[k] = (cs, ce)
    return sent, bounds


#: Features of the target-tone model, in order (see :func:`target_features`).
TONE_FEATURES = (
    "sent_compound", "clause_compound", "left60_pos", "left60_neg", "right60_pos",
    "right60_neg", "cue_left_clause", "cue_right_clause", "at_start", "has_quote",
    "clause_left_compound", "clause_right_compound", "sent_left_compound",
    "sent_right_compound", "left_q1", "left_q2", "left_q3", "left_q4", "right_q1",
    "right_q2", "right_q3", "right_q4", "say_after", "length", "target_valence",
    "target_pronoun", "left3_valence", "right3_valence", "sent_pos", "sent_neg",
    "window6_compound",
)
_WORD = re.compile(r"[\w']+")
_SAY_AFTER = re.compile(r"^\W*(?:\w+\W+){0,2}?(?:said|says|told|added|stated|wrote|according)\b")
_PRON = {"he", "she", "they", "him", "her", "his", "it", "them", "their"}


def _cues_for_texts(texts: Sequence[str], lexicon_name: str = "relations") -> dict[str, list]:
    """Relation cues (start, end, quad, goldstein) in each distinct text."""
    from . import lexicon

    lex, cameo = relations_lexicon(lexicon_name)
    uniq = list(dict.fromkeys(texts))
    if not uniq:
        return {}
    docs = pd.DataFrame({"doc_id": [str(i) for i in range(len(uniq))], "text": uniq})
    mm = lexicon.match(docs, lex)
    out: dict[str, list] = {t: [] for t in uniq}
    for d, s, e, c in zip(mm["doc_id"].astype(str), mm["start"], mm["end"],
                          mm["category"].astype(str)):
        code, w, q = cameo[c]
        out[uniq[int(d)]].append((int(s), int(e), q, w))
    return out


_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"   # string.punctuation, as VADER strips
_WS_TOKEN = re.compile(r"\S+")   # exactly the pieces of str.split()
_VADER_CACHE_SIZE = 1 << 16


@functools.lru_cache(maxsize=1)
def _vader_tables():
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, normalize

    from .sentiment import analyzer

    sia = analyzer()
    return (sia, sia.lexicon, frozenset(k for k in sia.emojis if len(k) == 1), BOOSTER_DICT,
            normalize)


class _Window:
    """What ``SentimentIntensityAnalyzer.sentiment_valence`` reads of a text."""

    __slots__ = ("words_and_emoticons", "is_cap_diff")

    def __init__(self, words, is_cap_diff):
        self.words_and_emoticons = words
        self.is_cap_diff = is_cap_diff


class _SentTokens:
    """VADER's view of one text (a sentence), computed once, so that any substring of
    it is scored without re-tokenising: white-space token spans, VADER's tokens
    (punctuation stripped unless that leaves 2 characters or fewer), lower-cased, which
    are lexicon words / "but" / in capitals; and a memo of token valences."""

    __slots__ = ("text", "ws", "we", "tok", "low", "upc", "rel", "but", "emoji", "memo")

    def __init__(self, t: str):
        _, lex, emo = _vader_tables()[:3]
        self.text = t
        self.emoji = not (t.isascii() or emo.isdisjoint(t))
        ws, we, tok = [], [], []
        for m in _WS_TOKEN.finditer(t):
            w = m.group()
            s = w.strip(_PUNCT)
            tok.append(w if len(s) <= 2 else s)
            ws.append(m.start())
            we.append(m.end())
        self.ws, self.we, self.tok = ws, we, tok
        self.low = low = [x.lower() for x in tok]
        upc = [0]
        for x in tok:
            upc.append(upc[-1] + x.isupper())
        self.upc = upc
        self.rel = [i for i, x in enumerate(low) if x in lex]
        self.but = [i for i, x in enumerate(low) if x == "but"]
        self.memo: dict = {}


def _sub_scores(st: _SentTokens, a: int, b: int) -> dict:
    """``polarity_scores(st.text[a:b])``, exactly, from the text's tokens.

    The tokens of a substring are the text's white-space tokens inside it, the two at
    its ends clipped. VADER gives a non-zero valence only to lexicon words, and the
    valence of a lexicon word at token ``i`` depends only on tokens ``i-3 .. i+2`` and
    on whether some but not all tokens are in capitals; each such valence is computed
    once with VADER's own ``sentiment_valence`` and memoised per window. The list of
    valences (0 for every other token, as in ``polarity_scores``: boosters and the
    "kind" of "kind of" are 0 too) then goes through VADER's own ``_but_check`` and
    ``score_valence``. A substring without lexicon words never reaches VADER. Texts
    with emoji are scored by ``polarity_scores`` directly.
    """
    r = st.memo.get((a, b))
    if r is None:
        r = st.memo[(a, b)] = _sub_scores_uncached(st, a, b)
    return r


def _sub_compound(st: _SentTokens, a: int, b: int) -> float:
    """``polarity_scores(st.text[a:b])["compound"]``, exactly: as :func:`_sub_scores`
    but only VADER's compound formula (``normalize`` of the valence sum, the sum
    moved away from 0 by the "!" / "?" emphasis, rounded to 4 places) is applied,
    which does not need the other tokens."""
    key = ("c", a, b)
    r = st.memo.get(key)
    if r is None:
        r = st.memo[key] = _sub_scores_uncached(st, a, b, compound_only=True)
    return r


def _sub_scores_uncached(st: _SentTokens, a: int, b: int, compound_only: bool = False):
    t = st.text
    if compound_only:
        r = _sub_scores_uncached(st, a, b) if st.emoji else None
        if r is not None:
            return r["compound"]
    if st.emoji:
        return _vader_tables()[0].polarity_scores(t[a:b])
    sia, lex, _, booster, _ = _vader_tables()
    ws, we = st.ws, st.we
    lo = bisect_right(we, a)
    hi = bisect_left(ws, b)
    n = hi - lo
    if n <= 0 or b <= a:
        return 0.0 if compound_only else {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
    tok, low = st.tok, st.low
    edge: dict[int, tuple[str, str]] = {}
    for j in (lo, hi - 1):
        if j not in edge and (ws[j] < a or we[j] > b):
            r = t[max(ws[j], a):min(we[j], b)]
            s = r.strip(_PUNCT)
            x = r if len(s) <= 2 else s
            edge[j] = (x, x.lower())
    rel = st.rel[bisect_left(st.rel, lo):bisect_left(st.rel, hi)]
    if edge:
        rel = sorted({j for j in rel if j not in edge} | {j for j, (_, lw) in edge.items() if lw in lex})
    if not rel:
        return 0.0 if compound_only else {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
    n_up = st.upc[hi] - st.upc[lo] + sum(int(x.isupper()) - int(tok[j].isupper())
                                        for j, (x, _) in edge.items())
    cap = 0 < n_up < n
    sent = [0] * n
    memo = st.memo
    for j in rel:
        w0, w1 = max(lo, j - 3), min(hi, j + 3)
        key = (j, w0, w1, cap, edge.get(w0, ("",))[0] if w0 in edge else None,
               edge[w1 - 1][0] if (w1 - 1) in edge else None)
        v = memo.get(key)
        if v is None:
            words = [edge[k][0] if k in edge else tok[k] for k in range(w0, w1)]
            item = words[j - w0]
            il = item.lower()
            if il in booster or (il == "kind" and j - w0 + 1 < len(words)
                                 and words[j - w0 + 1].lower() == "of"):
                v = 0
            else:
                v = sia.sentiment_valence(0, _Window(words, cap), item, j - w0, [])[0]
            memo[key] = v
        sent[j - lo] = v
    but = st.but[bisect_left(st.but, lo):bisect_left(st.but, hi)]
    if but or any(lw == "but" for _, lw in edge.values()):
        words = [edge[k][0] if k in edge else tok[k] for k in range(lo, hi)]
        sent = sia._but_check(words, sent)
    elif compound_only:
        # score_valence's compound without the O(n) pass over the zeros (adding 0 to a
        # float sum changes nothing, so the sum over the lexicon words is the same)
        sum_s = float(sum([sent[j - lo] for j in rel]))
        if sum_s:
            piece = t[a:b]
            emph = sia._punctuation_emphasis(piece) if ("!" in piece or "?" in piece) else 0
            sum_s = sum_s + emph if sum_s > 0 else sum_s - emph
        return round(_vader_tables()[4](sum_s), 4)
    if compound_only:
        return sia.score_valence(sent, t[a:b])["compound"]
    return sia.score_valence(sent, t[a:b])


@functools.lru_cache(maxsize=_VADER_CACHE_SIZE)
def _text_scores(text: str) -> tuple[float, float, float]:
    """VADER ``(compound, pos, neg)`` of a short text, memoised; a text without emoji
    whose tokens (raw or punctuation-stripped, lower-cased) are no lexicon words scores
    0 without calling VADER (only lexicon words carry valence)."""
    sia, lex, emo = _vader_tables()[:3]
    if text.isascii() or emo.isdisjoint(text):
        for w in text.split():
            lw = w.lower()
            if lw in lex or lw.strip(_PUNCT) in lex:
                break
        else:
            return 0.0, 0.0, 0.0
    r = sia.polarity_scores(text)
    return r["compound"], r["pos"], r["neg"]


def _spans(t: str) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for m in _WORD.finditer(t):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def target_features(texts: Sequence[str], starts: Sequence[int], ends: Sequence[int], *,
                    cues: Sequence[list] | None = None) -> np.ndarray:
    """Lexical features of the tone toward a target span ``text[start:end]``.

    VADER scores of the sentence, of the target's clause and of the text left / right of
    the target (in the clause and in the sentence), VADER lexicon valence of the words
    near the target, counts of relation cues per quad class left / right of the target in
    its clause, and a few positional cues (see :data:`TONE_FEATURES`).

    Cost: 7 VADER scores per target (sentence, clause, clause left / right, sentence
    left / right, a 6-word window) - the cost of the target-tone model. They are
    exactly VADER's ``polarity_scores``, but computed from each distinct sentence's
    tokens, tokenised once: a substring reuses them, each lexicon word's valence is
    computed once per context window, and a substring without VADER lexicon words
    costs nothing (see ``_sub_scores``). The words of ``text[:start]`` and
    ``text[end:]`` are taken from the sentence's words too (a word crossing the cut
    is clipped, exactly as a regex over the substring finds it).

    Parameters
    ----------
    texts : sequence of str
        The sentence of each target.
    starts, ends : sequences of int
        Target offsets in its sentence.
    cues : sequence of lists, optional
        Per target, relation cues ``(start, end, quad, goldstein)`` relative to its
        sentence; matched with the relations lexicon when not given.

    Returns
    -------
    numpy.ndarray of shape (n, len(TONE_FEATURES))

    Examples
    --------
    >>> X = target_features(["The brave mayor saved the city."], [10], [15])
    >>> X.shape, float(X[0, TONE_FEATURES.index("at_start")])
    ((1, 31), 0.0)
    """
    lexv = _vader_tables()[1]
    sub = _sub_scores
    subc = _sub_compound
    findall = _WORD.findall
    if cues is None:
        by_text = _cues_for_texts(list(texts))
        cues = [by_text.get(t, []) for t in texts]
    n = len(texts)
    nf = len(TONE_FEATURES)
    rows: list[list] = []
    per_text: dict[str, tuple] = {}
    for k, (t, s, e, cs_) in enumerate(zip(texts, starts, ends, cues)):
        s, e = int(s), int(e)
        pt = per_text.get(t)
        if pt is None:
            ws, we = _spans(t)
            st = _SentTokens(t)
            r = sub(st, 0, len(t))
            sent = (r["compound"], r["pos"], r["neg"])
            pt = per_text[t] = (_clause_bounds_cached(t), ws, we, sent,
                                float(any(ch in t for ch in '"\u201c\u201d')), len(t) / 200, st)
        b, ws, we, sent, has_q, length, st = pt
        i = bisect_right(b, s) - 1
        c0 = b[max(i, 0)]
        c1 = b[i + 1] if i + 1 < len(b) else len(t)
        target = t[s:e]
        if len(t[c0:c1].split()) <= len(target.split()) + 1:
            c0, c1 = 0, len(t)
        # words of t[:s] (last 6) and t[e:] (first 6), clipped at the cut
        li = bisect_left(ws, s)
        lw = [t[a:z] for a, z in zip(ws[max(0, li - 6):li], we[max(0, li - 6):li])]
        if lw and we[li - 1] > s:
            lw[-1] = t[ws[li - 1]:s]
        ri = bisect_right(we, e)
        rw = [t[a:z] for a, z in zip(ws[ri:ri + 6], we[ri:ri + 6])]
        if rw and ws[ri] < e:
            rw[0] = t[e:we[ri]]
        f = [0.0] * nf
        rows.append(f)
        f[0] = sent[0]
        f[1] = subc(st, c0, c1)
        for j, w in ((2, t[max(0, s - 60):s]), (4, t[e:e + 60])):
            v = [lexv.get(x.lower(), 0.0) for x in findall(w)]
            f[j] = sum(x for x in v if x > 0)
            f[j + 1] = sum(x for x in v if x < 0)
        if cs_:
            f[6] = sum(w for (a, z, q, w) in cs_ if z <= s and a >= c0) / 10
            f[7] = sum(w for (a, z, q, w) in cs_ if a >= e and z <= c1) / 10
            for (a, z, q, w) in cs_:
                if z <= s:
                    f[13 + q] += 1
                elif a >= e:
                    f[17 + q] += 1
        f[8] = float(s < 3)
        f[9] = has_q
        f[10] = subc(st, c0, s)
        f[11] = subc(st, e, c1)
        f[12] = subc(st, 0, s)
        f[13] = subc(st, e, len(t))
        f[22] = float(bool(_SAY_AFTER.match(t[e:e + 40])))
        f[23] = length
        f[24] = sum(lexv.get(x.lower(), 0.0) for x in findall(target))
        f[25] = float(target.strip().lower() in _PRON)
        f[26] = sum(lexv.get(x.lower(), 0.0) for x in lw[-3:])
        f[27] = sum(lexv.get(x.lower(), 0.0) for x in rw[:3])
        f[28] = sent[1]
        f[29] = sent[2]
        f[30] = _text_scores(" ".join(lw) + " " + target + " " + " ".join(rw))[0]
    return np.array(rows, dtype=float).reshape(n, nf)


def target_tone(texts: Sequence[str], starts: Sequence[int], ends: Sequence[int], *,
                cues: Sequence[list] | None = None, model: Mapping | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """Tone toward target spans with the multinomial logistic tone model.

    Returns
    -------
    (tone, proba) : tone = P(positive) - P(negative) in [-1, 1]; proba of shape (n, 3)
        for the classes negative, neutral, positive.

    Examples
    --------
    >>> t, p = target_tone(["The brave mayor saved the city."], [10], [15])
    >>> bool(t[0] > 0)
    True
    """
    model = TONE_MODEL if model is None else model
    X = target_features(texts, starts, ends, cues=cues)
    if not len(X):
        return np.zeros(0), np.zeros((0, 3))
    coef = np.asarray(model["coef"], dtype=float)
    icpt = np.asarray(model["intercept"], dtype=float)
    if coef.shape != (3, len(TONE_FEATURES)):
        raise ValueError(f"tone model coef must have shape (3, {len(TONE_FEATURES)})")
    z = X @ coef.T + icpt
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return p[:, 2] - p[:, 0], p


#: Multinomial logistic tone model (classes negative, neutral, positive) over
#: :data:`TONE_FEATURES`, fitted with ``framelens.evaluation.tone.fit_tone_model`` on the
#: NewsMTSC development half (see docs/validation.md, "Tone toward actors", for the cross-validated
#: estimate); fitted values below (C=0.1 chosen between 0.1 and 1.0 by the same CV).
TONE_MODEL: dict[str, Any] = {'classes': [-1, 0, 1],
 'intercept': [-0.159743, 0.563238, -0.403495],
 'coef': [[-0.410303,
           -0.179432,
           0.089113,
           -0.012226,
           0.083115,
           -0.150278,
           0.03481,
           0.20649,
           -0.328706,
           0.103317,
           0.166435,
           -0.068049,
           -0.133864,
           -0.078481,
           -0.245519,
           -0.114637,
           0.604824,
           0.014406,
           -0.119719,
           0.006362,
           0.393665,
           0.010825,
           -1.258515,
           0.192467,
           -0.007816,
           -0.126757,
           -0.080942,
           -0.119671,
           0.281747,
           0.651854,
           -0.492861],
          [0.07546,
           0.03754,
           -0.107332,
           -0.040506,
           -0.219427,
           0.107289,
           -0.065021,
           -0.072931,
           0.094423,
           -0.161654,
           -0.243682,
           -0.125298,
           0.013853,
           -0.240156,
           0.145822,
           0.022905,
           -0.131372,
           -0.020886,
           0.036286,
           -0.278065,
           -0.034712,
           -0.204458,
           1.125023,
           -0.254061,
           0.003188,
           -0.245638,
           -0.035255,
           0.065273,
           -0.573313,
           -0.531942,
           0.138721],
          [0.334843,
           0.141892,
           0.018219,
           0.052733,
           0.136312,
           0.042989,
           0.030211,
           -0.13356,
           0.234283,
           0.058336,
           0.077246,
           0.193347,
           0.120012,
           0.318637,
           0.099696,
           0.091731,
           -0.473453,
           0.00648,
           0.083433,
           0.271703,
           -0.358953,
           0.193633,
           0.133492,
           0.061594,
           0.004628,
           0.372395,
           0.116198,
           0.054398,
           0.291567,
           -0.119912,
           0.35414]],
 'features': ['sent_compound',
              'clause_compound',
              'left60_pos',
              'left60_neg',
              'right60_pos',
              'right60_neg',
              'cue_left_clause',
              'cue_right_clause',
              'at_start',
              'has_quote',
              'clause_left_compound',
              'clause_right_compound',
              'sent_left_compound',
              'sent_right_compound',
              'left_q1',
              'left_q2',
              'left_q3',
              'left_q4',
              'right_q1',
              'right_q2',
              'right_q3',
              'right_q4',
              'say_after',
              'length',
              'target_valence',
              'target_pronoun',
              'left3_valence',
              'right3_valence',
              'sent_pos',
              'sent_neg',
              'window6_compound'],
 'fitted_on': 'NewsMTSC train.jsonl sha256=fb80ff05993dd590 n=8739 C=0.1; grouped 5-fold CV '
              'macro-F1=0.5924'}


def tone(mentions: pd.DataFrame, *, sentences: pd.DataFrame, events: pd.DataFrame | None = None,
         matches: pd.DataFrame | None = None, relation_weight: float = 0.25,
         target_factor: float = 0.5, model: Mapping | None = None,
         lexicon_name: str = "relations") -> pd.DataFrame:
    """Tone toward each actor mention: target sentiment plus the relations it takes part in.

    ``tone = clip(S + relation_weight * R, -1, 1)``. ``S`` (column ``sentiment``) is the
    target-tone model (:func:`target_tone`: P(positive) - P(negative) of a multinomial
    logistic model over VADER scores of the mention's sentence, clause and context
    windows and the relation cues around it). ``R`` (column ``relation``) is
    ``sum(w / 10)`` over the events the mention takes part in (as source or in an
    undirected pair; as a directed target the weight is multiplied by ``target_factor``:
    being pressed is not the same as pressing), clipped to [-1, 1].

    Returns
    -------
    DataFrame
        :data:`TONE_COLUMNS`, one row per mention (places, role LOC, excluded).

    Examples
    --------
    >>> from framelens.alignment import analyze_text
    >>> t = analyze_text("The brave Serbian people welcomed the generous aid.")["mention_tone"]
    >>> float(t["tone"].iloc[0]) > 0
    True
    """
    if relation_weight < 0 or target_factor < 0:
        raise ValueError("relation_weight and target_factor must be >= 0")
    if mentions is None or not len(mentions):
        return _empty(TONE_COLUMNS)
    mentions = _ensure_root(mentions)
    ms = mentions[mentions["role"].astype(str) != "LOC"].reset_index(drop=True)
    if not len(ms):
        return _empty(TONE_COLUMNS)
    key = pd.MultiIndex.from_arrays([sentences["doc_id"].astype(str), sentences["sent_id"]])
    sidx = pd.Series(np.arange(len(sentences)), index=key)
    pos = sidx.reindex(pd.MultiIndex.from_arrays([ms["doc_id"].astype(str), ms["sent_id"]])).to_numpy()
    ok = ~pd.isna(pos)
    pos = np.where(ok, pos, 0).astype(int)
    s_text = sentences["text"].astype(str).to_numpy()
    s_start = sentences["start"].to_numpy()
    texts = [s_text[p] if o else "" for p, o in zip(pos, ok)]
    off = np.where(ok, s_start[pos], 0)
    rs = ms["start"].to_numpy() - off
    re_ = ms["end"].to_numpy() - off
    cues = None
    if matches is not None and len(matches):
        _, cameo = relations_lexicon(lexicon_name)
        rel = matches[matches["lexicon"].astype(str) == lexicon_name]
        by_sent: dict[tuple, list] = {}
        for d, sid, st, en, c in zip(rel["doc_id"].astype(str), rel["sent_id"], rel["start"],
                                     rel["end"], rel["category"].astype(str)):
            code, w, q = cameo[c]
            by_sent.setdefault((d, int(sid)), []).append((int(st), int(en), q, w))
        cues = []
        for d, sid, o in zip(ms["doc_id"].astype(str), ms["sent_id"], off):
            cues.append([(a - o, z - o, q, w) for (a, z, q, w) in by_sent.get((d, int(sid)), [])])
    sent, _ = target_tone(texts, rs, re_, cues=cues, model=model)
    b = [_clause_bounds_cached(t) for t in texts]
    ci = [bisect_right(bb, int(x)) - 1 for bb, x in zip(b, rs)]
    c0 = np.array([bb[i] for bb, i in zip(b, ci)], dtype="int64")
    c1 = np.array([bb[i + 1] if i + 1 < len(bb) else len(t) for bb, i, t in zip(b, ci, texts)],
                  dtype="int64")
    rel_s = np.zeros(len(ms))
    if events is not None and len(events):
        key_m = {(d, int(s)): k for k, (d, s) in enumerate(zip(ms["doc_id"].astype(str), ms["start"]))}
        for d, ss, ts, w, directed in zip(events["doc_id"].astype(str), events["source_start"],
                                          events["target_start"], events["weight"], events["directed"]):
            k = key_m.get((d, int(ss)))
            if k is not None:
                rel_s[k] += w / 10.0
            k = key_m.get((d, int(ts)))
            if k is not None:
                rel_s[k] += (w / 10.0) * (target_factor if directed else 1.0)
    rel_s = np.clip(rel_s, -1, 1)
    t = np.clip(sent + relation_weight * rel_s, -1, 1)
    return pd.DataFrame({
        "doc_id": ms["doc_id"].astype("string"), "sent_id": ms["sent_id"].astype("int32"),
        "start": ms["start"].astype("int64"), "end": ms["end"].astype("int64"),
        "actor": ms["actor"].astype("string"), "root": ms["root"].astype("string"),
        "voice": ms["voice"].astype("string"), "sentiment": sent, "relation": rel_s, "tone": t,
        "clause_start": c0 + off, "clause_end": c1 + off,
    })


def actor_tone(mention_tone: pd.DataFrame, *, by: Sequence[str] = ("doc_id", "root"),
               threshold: float = 0.05) -> pd.DataFrame:
    """Aggregate :func:`tone` per ``by`` (default: per document and actor root).

    Returns
    -------
    DataFrame
        ``by`` columns, n_mentions, tone (mean), sentiment, relation (means),
        n_positive / n_negative (mentions with tone >= threshold / <= -threshold).
    """
    by = list(by)
    if mention_tone is None or not len(mention_tone):
        cols = {c: t for c, t in ACTOR_TONE_COLUMNS.items()}
        return _empty({**{b: "string" for b in by}, **{k: v for k, v in cols.items() if k not in by}})
    mt = mention_tone.assign(_pos=(mention_tone["tone"] >= threshold).astype(int),
                             _neg=(mention_tone["tone"] <= -threshold).astype(int))
    g = mt.groupby(by, observed=True, sort=True)
    out = g.agg(n_mentions=("tone", "size"), tone=("tone", "mean"), sentiment=("sentiment", "mean"),
                relation=("relation", "mean"), n_positive=("_pos", "sum"),
                n_negative=("_neg", "sum")).reset_index()
    return out


# ---------------------------------------------------------------------- alignment index
def alignment_index(events: pd.DataFrame, *, focal: str = "SRB",
                    camps: Mapping[str, Sequence[str]] | None = None,
                    by: str | Sequence[str] | None = "doc_id", docs: pd.DataFrame | None = None,
                    include_historical: bool = False) -> pd.DataFrame:
    """Net relation weight of the focal actor toward each camp, and a two-camp index.

    For every event between the focal actor (root ``focal``) and an actor of camp ``k``
    (a camp item matches the other actor's root or one of its blocs), in either
    direction or undirected: ``net_k = sum(w)``, ``gross_k = sum(|w|)``. With the first
    two camps A and B::

        index = (net_A - net_B) / (gross_A + gross_B)        in [-1, 1]

    +1: only cooperation with A and / or only conflict with B; -1 the reverse; 0 balanced
    or no evidence (NaN when there are no events with either camp).

    Parameters
    ----------
    events : DataFrame
        :func:`events` output.
    focal : str
    camps : mapping, optional
        Camp name -> list of roots or blocs; default :data:`DEFAULT_CAMPS`
        (``{"RUS": ["RUS"], "WST": ["WST"]}``). The first two are A and B.
    by : str, list or None
        Group columns (``doc_id``; or a docs column such as ``outlet`` when ``docs`` is
        given; None for the whole table).
    docs : DataFrame, optional
        Joined on ``doc_id`` to group by document metadata.
    include_historical : bool
        Count historical events (default False).

    Returns
    -------
    DataFrame
        One row per group and camp: ``by`` columns, focal, camp, n_events, n_coop,
        n_conflict, net, gross, index (the A-vs-B index, repeated on the group's rows),
        camp_a, camp_b, event_ids (";"-joined ``doc_id:event_id`` of the events used).

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"doc_id": ["d", "d"], "event_id": [0, 1],
    ...     "source_root": ["SRB", "EU"], "target_root": ["RUS", "SRB"],
    ...     "source_blocs": ["", "WST"], "target_blocs": ["BRICS", ""],
    ...     "weight": [4.0, -5.0], "historical": [False, False]})
    >>> a = alignment_index(ev)
    >>> a[["camp", "net", "index"]].values.tolist()
    [['RUS', 4.0, 1.0], ['WST', -5.0, 1.0]]
    """
    camps = dict(DEFAULT_CAMPS if camps is None else camps)
    if len(camps) < 2:
        raise ValueError("camps needs at least two camps, e.g. {'RUS': ['RUS'], 'WST': ['WST']}")
    for k, v in camps.items():
        if isinstance(v, str) or not isinstance(v, (list, tuple, set)):
            raise ValueError(f"camp {k!r} must be a list of roots or blocs, e.g. ['RUS']")
    names = list(camps)
    a_name, b_name = names[0], names[1]
    group_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    ev = events if events is not None else pd.DataFrame()
    # every group gets rows, even without events: groups of docs (if given) or of events
    key_src = None
    if group_cols and docs is not None and all(c in docs.columns for c in group_cols):
        key_src = docs[group_cols]
    elif group_cols and len(ev) and all(c in ev.columns for c in group_cols):
        key_src = ev[group_cols]
    base_keys = sorted(set(_join_keys(key_src, group_cols))) \
        if key_src is not None and len(key_src) else []
    if len(ev) and not include_historical and "historical" in ev:
        ev = ev[~ev["historical"].astype(bool)]
    if docs is not None and group_cols and any(c not in ev.columns for c in group_cols):
        meta = docs[["doc_id"] + [c for c in group_cols if c != "doc_id"]].copy()
        meta["doc_id"] = meta["doc_id"].astype(str)
        ev = ev.assign(doc_id=ev["doc_id"].astype(str)).merge(meta, on="doc_id", how="left") \
            if len(ev) else ev
    missing = [c for c in group_cols if len(ev) and c not in ev.columns]
    if missing:
        raise ValueError(f"cannot group by {missing}: not in events; pass docs=... with those columns")
    rows = []
    if len(ev):
        src_f = ev["source_root"].astype(str).to_numpy() == focal
        tgt_f = ev["target_root"].astype(str).to_numpy() == focal
        other_root = np.where(src_f, ev["target_root"].astype(str), ev["source_root"].astype(str))
        other_blocs = np.where(src_f, ev["target_blocs"].astype(str), ev["source_blocs"].astype(str))
        involved = src_f | tgt_f
        memb = camp_of(list(other_root), list(other_blocs), camps)
        w = ev["weight"].to_numpy(dtype=float)
        ids = (ev["doc_id"].astype(str) + ":" + ev["event_id"].astype(str)).to_numpy()
        keys = _join_keys(ev, group_cols) if group_cols else np.array([""] * len(ev))
        acc: dict[tuple, dict] = {}
        for i in np.flatnonzero(involved):
            for k in memb[i]:
                r = acc.setdefault((keys[i], k), {"n": 0, "coop": 0, "conf": 0, "net": 0.0,
                                                  "gross": 0.0, "ids": []})
                r["n"] += 1
                r["coop"] += int(w[i] > 0)
                r["conf"] += int(w[i] < 0)
                r["net"] += w[i]
                r["gross"] += abs(w[i])
                r["ids"].append(ids[i])
        all_keys = sorted(set(keys) | set(base_keys)) if group_cols else [""]
    else:
        acc, all_keys = {}, ([""] if not group_cols else base_keys)
    for g in all_keys:
        ra = acc.get((g, a_name), {"net": 0.0, "gross": 0.0})
        rb = acc.get((g, b_name), {"net": 0.0, "gross": 0.0})
        den = ra["gross"] + rb["gross"]
        idx = (ra["net"] - rb["net"]) / den if den > 0 else np.nan
        parts = g.split("\x1f") if group_cols else []
        for k in names:
            r = acc.get((g, k), {"n": 0, "coop": 0, "conf": 0, "net": 0.0, "gross": 0.0, "ids": []})
            row = dict(zip(group_cols, parts))
            row.update(focal=focal, camp=k, n_events=r["n"], n_coop=r["coop"], n_conflict=r["conf"],
                       net=r["net"], gross=r["gross"], index=idx, camp_a=a_name, camp_b=b_name,
                       event_ids=";".join(r["ids"]))
            rows.append(row)
    cols = group_cols + [c for c in ALIGNMENT_COLUMNS if c not in group_cols and c != "doc_id"]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=ALIGNMENT_COLUMNS.get(c, "string")) for c in cols})
    out = pd.DataFrame(rows)[cols]
    for c in cols:
        if c in ALIGNMENT_COLUMNS:
            out[c] = out[c].astype(ALIGNMENT_COLUMNS[c])
    return out


def _join_keys(df: pd.DataFrame, cols: Sequence[str]) -> np.ndarray:
    out = df[cols[0]].astype(str).to_numpy(dtype=object)
    for c in cols[1:]:
        out = out + "\x1f" + df[c].astype(str).to_numpy(dtype=object)
    return out


# ---------------------------------------------------------------------- networks
def network(data: pd.DataFrame, *, kind: str = "signed", level: str = "root",
            min_weight: float = 0.0, include_historical: bool = False):
    """Actor network as a :class:`networkx.Graph`.

    Parameters
    ----------
    data : DataFrame
        ``events`` (kind "signed") or ``mentions`` (kind "cooccurrence").
    kind : {"signed", "cooccurrence"}
        signed: edge weight = net Goldstein weight between two actors (attributes
        ``weight``, ``n``, ``n_coop``, ``n_conflict``, ``sign``); cooccurrence: edge
        weight = number of sentences naming both actors. Node attribute ``count``:
        number of events / mentions.
    level : {"root", "actor"}
        Nodes are roots (SRB) or full actor codes (SRBGOV).
    min_weight : float
        Drop edges with ``|weight| < min_weight``.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"source_root": ["SRB", "EU"], "target_root": ["RUS", "SRB"],
    ...     "source": ["SRB", "EU"], "target": ["RUS", "SRB"], "weight": [4.0, -5.0]})
    >>> g = network(ev)
    >>> sorted((u, v, d["weight"]) for u, v, d in g.edges(data=True))
    [('SRB', 'EU', -5.0), ('SRB', 'RUS', 4.0)]
    """
    import networkx as nx

    if kind not in {"signed", "cooccurrence"}:
        raise ValueError(f"kind must be 'signed' or 'cooccurrence', not {kind!r}")
    if level not in {"root", "actor"}:
        raise ValueError(f"level must be 'root' or 'actor', not {level!r}")
    g = nx.Graph(kind=kind)
    if data is None or not len(data):
        return g
    if kind == "signed":
        ev = data
        if not include_historical and "historical" in ev:
            ev = ev[~ev["historical"].astype(bool)]
        a = ev["source_root" if level == "root" else "source"].astype(str).tolist()
        b = ev["target_root" if level == "root" else "target"].astype(str).tolist()
        for u, v, w in zip(a, b, ev["weight"].astype(float)):
            for n in (u, v):
                if n not in g:
                    g.add_node(n, count=0)
                g.nodes[n]["count"] += 1
            if u == v:
                continue
            d = g.get_edge_data(u, v) or {"weight": 0.0, "n": 0, "n_coop": 0, "n_conflict": 0}
            d["weight"] += w
            d["n"] += 1
            d["n_coop"] += int(w > 0)
            d["n_conflict"] += int(w < 0)
            g.add_edge(u, v, **d)
        for u, v, d in g.edges(data=True):
            d["sign"] = int(np.sign(d["weight"]))
    else:
        ms = data[data["role"].astype(str) != "LOC"] if "role" in data else data
        col = "root" if level == "root" else "actor"
        for n, c in ms[col].astype(str).value_counts().items():
            g.add_node(n, count=int(c))
        for _, grp in ms.groupby([ms["doc_id"].astype(str), ms["sent_id"]], sort=False):
            nodes = sorted(set(grp[col].astype(str)))
            for x in range(len(nodes)):
                for y in range(x + 1, len(nodes)):
                    d = g.get_edge_data(nodes[x], nodes[y]) or {"weight": 0}
                    g.add_edge(nodes[x], nodes[y], weight=d["weight"] + 1)
    if min_weight > 0:
        g.remove_edges_from([(u, v) for u, v, d in g.edges(data=True) if abs(d["weight"]) < min_weight])
    return g


# ---------------------------------------------------------------------- step + helpers
def step(tables: Mapping[str, pd.DataFrame], *, focal: str = "SRB",
         camps: Mapping[str, Sequence[str]] | None = None, historical_years: int = 25,
         relation_weight: float = 0.25, target_factor: float = 0.5,
         tone: bool = True) -> dict[str, pd.DataFrame]:
    """Pipeline step: ``events``, ``mention_tone``, ``actor_tone`` and ``alignment``.

    ``actor_tone`` aggregates ``mention_tone`` per (doc_id, root); ``alignment`` is
    :func:`alignment_index` per document for ``focal`` and ``camps``.

    Parameters
    ----------
    tables : mapping
        Needs ``docs``, ``sentences``, ``mentions``; uses ``matches`` and ``segments``.
    focal, camps, historical_years : see :func:`events` and :func:`alignment_index`.
    relation_weight, target_factor : see :func:`tone`.
    tone : bool, default True
        Compute the tone toward actors (``mention_tone``, ``actor_tone``). The
        target-tone model scores 7 VADER contexts per mention and is most of the
        step's cost (and about a third of a whole ``analyze``); it runs whatever
        ``Config.sentiment`` says, because its features *are* VADER scores and
        ``mention_tone`` must mean the same with sentence sentiment on or off. With
        ``tone=False`` (``Config(options={"alignment": {"tone": False}})``) both tables
        are empty with their usual columns; ``events`` and the alignment index (built
        from relation events only) are unchanged.

    Examples
    --------
    >>> from framelens.alignment import analyze_text
    >>> r = analyze_text("Serbia thanked Russia for gas supplies.", date="2024-10-20")
    >>> tabs = {"docs": r["docs"], "sentences": r["sentences"], "mentions": r["mentions"],
    ...         "matches": r["matches"]}
    >>> out = step(tabs, tone=False)
    >>> len(out["events"]), len(out["mention_tone"]), list(out["actor_tone"].columns)[:3]
    (1, 0, ['doc_id', 'root', 'n_mentions'])
    """
    if not isinstance(tone, bool):
        raise ValueError(f"tone must be True or False, not {tone!r}")
    docs = tables["docs"]
    ev = events(docs, sentences=tables["sentences"], mentions=tables.get("mentions"),
                matches=tables.get("matches"), segments=tables.get("segments"), focal=focal,
                historical_years=historical_years)
    if tone:
        matches = tables.get("matches")
        if matches is None or not len(matches) or \
                not (matches["lexicon"].astype(str) == "relations").any():
            matches = relation_matches(docs, sentences=tables["sentences"],
                                       segments=tables.get("segments"))
        mt = _tone_fn()(tables.get("mentions"), sentences=tables["sentences"], events=ev,
                        matches=matches, relation_weight=relation_weight,
                        target_factor=target_factor)
    else:
        if relation_weight < 0 or target_factor < 0:
            raise ValueError("relation_weight and target_factor must be >= 0")
        mt = _empty(TONE_COLUMNS)
    return {
        "events": ev,
        "mention_tone": mt,
        "actor_tone": actor_tone(mt),
        "alignment": alignment_index(ev, focal=focal, camps=camps, by="doc_id", docs=docs),
    }


def _tone_fn():
    # the module attribute, looked up at call time (the step's parameter shadows it)
    return globals()["tone"]


def _simple_sentences(docs: pd.DataFrame) -> pd.DataFrame:
    """Sentences by a plain regex (used when framelens.text is not available)."""
    rows = {"doc_id": [], "sent_id": [], "start": [], "end": [], "text": []}
    pat = re.compile(r"[^\n]+?(?:(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bMs)[.!?](?=\s+[A-Z\"“])|$)", re.M)
    for d, t in zip(docs["doc_id"].astype(str), docs["text"].astype(str)):
        k = 0
        for m in pat.finditer(t):
            s, e = m.start(), m.end()
            while s < e and t[s].isspace():
                s += 1
            if s >= e:
                continue
            rows["doc_id"].append(d)
            rows["sent_id"].append(k)
            rows["start"].append(s)
            rows["end"].append(e)
            rows["text"].append(t[s:e])
            k += 1
    return pd.DataFrame(rows).astype({"sent_id": "int32", "start": "int64", "end": "int64"})


def analyze_text(text: str | Iterable[str], *, date=None, focal: str = "SRB",
                 camps: Mapping[str, Sequence[str]] | None = None, gazetteer=None
                 ) -> dict[str, pd.DataFrame]:
    """Run actors + alignment on one text (or a list) - for examples, tests and notebooks.

    Uses :func:`framelens.text.process` when available, else a simple sentence splitter.
    """
    from . import actors

    texts = [text] if isinstance(text, str) else list(text)
    docs = pd.DataFrame({"doc_id": [f"t{i}" for i in range(len(texts))], "text": texts,
                         "date": pd.to_datetime([date] * len(texts))})
    try:
        from . import text as text_mod

        tables = dict(text_mod.process(docs))
    except ImportError:
        tables = {"sentences": _simple_sentences(docs), "quotes": None, "segments": None}
    tables["docs"] = docs
    out = actors.step(tables, gazetteer=gazetteer)
    tables.update({k: v for k, v in out.items()})
    tables["matches"] = relation_matches(docs, sentences=tables["sentences"],
                                         segments=tables.get("segments"))
    res = step(tables, focal=focal, camps=camps)
    return {"docs": docs, "sentences": tables["sentences"], "mentions": tables["mentions"],
            "matches": tables["matches"], **res}


# ---------------------------------------------------------------------- notebook helpers
def check_parameters(docs: pd.DataFrame, *, focal: str, camp_a, camp_b, group_col: str = "outlet",
                     date_from: str = "", date_to: str = "", gazetteer=None
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
    from .actors import load_gazetteer

    gaz = load_gazetteer(gazetteer) if gazetteer is None or isinstance(gazetteer, (str,)) else gazetteer
    known = set(gaz.roots) | set(gaz.bloc_members_) | {"WST"}
    if not isinstance(focal, str) or focal not in known:
        raise ValueError(f"focal {focal!r} is not a gazetteer root; use e.g. 'SRB', 'RUS', 'EU'")
    camps = {}
    for c in (camp_a, camp_b):
        items = [c] if isinstance(c, str) else list(c)
        if not items or any(not isinstance(x, str) or x not in known for x in items):
            raise ValueError(f"camp {c!r}: give a root or bloc code or a list of them "
                             f"(e.g. 'RUS', 'WST', ['RUS', 'BLR']); known blocs: "
                             f"{sorted(set(gaz.bloc_members_) | {'WST'})}")
        camps["+".join(items)] = items
    if len(camps) != 2:
        raise ValueError("camp_a and camp_b must differ")
    if group_col not in docs.columns:
        raise ValueError(f"group_col {group_col!r} is not a docs column; choose one of "
                         f"{[c for c in docs.columns if c != 'text']}")
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
    return events(analysis.docs, sentences=analysis.sentences, mentions=analysis.mentions,
                  matches=analysis.matches, segments=analysis.segments, focal=focal)
