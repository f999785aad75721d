"""CAMEO relation events between actors with Goldstein scores, negation and refusal."""

from __future__ import annotations

import logging
import re
from bisect import bisect_right

import numpy as np
import pandas as pd

from framelens.core.normalize import fold

from .common import (
    AGENTIVE,
    EVENT_COLUMNS,
    IRREALIS,
    PREP_OBJECT,
    REFUSAL_TERMS,
    REVERSAL,
    SEPARATIVE,
    SHARED_HISTORY,
    coordinated,
    coordinated_left,
    empty_frame,
    ensure_root,
    event_clause_bounds,
    is_negated,
    phrase_roles,
    relation_matches,
    relations_lexicon,
    rows_frame,
)
from .reported import attributions_by_doc, barred_mentions

log = logging.getLogger(__name__)


def events(
    docs: pd.DataFrame,
    *,
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    matches: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    quotes: pd.DataFrame | None = None,
    focal: str | None = None,
    historical_years: int = 25,
    lexicon_name: str = "relations",
) -> pd.DataFrame:
    """Relation events per sentence: actor pairs tied to a relation cue.

    Parameters
    ----------
    docs : DataFrame
        ``doc_id``, ``text`` (``date`` optional).
    sentences, mentions : DataFrame, keyword-only
        The sentences table and :func:`framelens.actors.tagging`.
    matches : DataFrame, optional
        Lexicon matches; rows of lexicon ``lexicon_name`` are used. Matched here when
        absent or without such rows.
    quotes : DataFrame, optional
        The text layer's attributions (``start``/``end`` of the content,
        ``speaker_start``/``speaker_end`` of the source span). An actor named in an
        attribution's source span is not an actor of a relation cue inside that
        attribution's content ("According to Lavrov, the United States threatened
        Serbia": Russia does not threaten), unless the content refers back to its
        speaker with a pronoun before the cue ("Vucic said he would ..."): the cue's
        source and target come from the clause the attribution reports.
    focal : str, optional
        Root of the focal actor (e.g. ``"SRB"``), used to complete one-sided cues
        ("pressure from the West" acts on the focal actor when the sentence names it).
        No default: with None one-sided cues are not completed.
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
    >>> from framelens.measures.alignment import analyze_text
    >>> ev = analyze_text("Serbia refused to join the sanctions despite pressure from the EU.",
    ...                   date="2024-01-01", focal="SRB",
    ...                   camps={"RUS": ["RUS"], "WST": ["WST"]})["events"]
    >>> ev[["source", "target", "cameo", "weight"]].values.tolist()
    [['SRB', 'EU', '12', -4.0], ['EU', 'SRB', '10', -5.0]]
    """
    # long: the per-document loop (cue spans, clause bounds, mention scopes, historical dates)
    # shares its arrays
    if focal is not None and (not isinstance(focal, str) or not focal):
        raise ValueError(f"focal must be an actor root such as 'SRB' or None, not {focal!r}")
    if historical_years < 0:
        raise ValueError("historical_years must be >= 0")
    _, cameo = relations_lexicon(lexicon_name)
    if (
        matches is None
        or not len(matches)
        or not (matches["lexicon"].astype(str) == lexicon_name).any()
    ):
        matches = relation_matches(
            docs, sentences=sentences, segments=segments, lexicon_name=lexicon_name
        )
    rel = matches[matches["lexicon"].astype(str) == lexicon_name]
    cols = list(EVENT_COLUMNS)
    rows: dict[str, list] = {c: [] for c in cols}
    if not len(rel) or mentions is None or not len(mentions):
        return empty_frame(EVENT_COLUMNS)
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"].astype(str)))
    doc_year = {}
    if "date" in docs:
        for d, x in zip(
            docs["doc_id"].astype(str).tolist(),
            pd.to_datetime(docs["date"], errors="coerce").tolist(),
        ):
            doc_year[d] = None if pd.isna(x) else x.year

    mentions = ensure_root(mentions)
    ment = mentions[mentions["role"].astype(str) != "LOC"]
    m_doc = ment["doc_id"].astype(str).to_numpy()
    m_sid = ment["sent_id"].to_numpy(dtype="int64")
    m_st = ment["start"].to_numpy(dtype="int64")
    order = np.lexsort((m_st, m_sid, m_doc))
    mcols = {
        "start": m_st[order].tolist(),
        "end": ment["end"].to_numpy(dtype="int64")[order].tolist(),
        "root": ment["root"].astype(str).to_numpy()[order].tolist(),
        "actor": ment["actor"].astype(str).to_numpy()[order].tolist(),
        "blocs": (
            ment["blocs"].astype(str).to_numpy()[order].tolist()
            if "blocs" in ment
            else [""] * len(ment)
        ),
        "ref": (
            list(pd.to_datetime(ment["ref_date"]).to_numpy()[order])
            if "ref_date" in ment
            else [np.datetime64("NaT")] * len(ment)
        ),
    }
    m_index: dict[tuple[str, int], list[int]] = {}
    for k, (d, si) in enumerate(zip(m_doc[order].tolist(), m_sid[order].tolist())):
        m_index.setdefault((d, si), []).append(k)
    r_doc = rel["doc_id"].astype(str).to_numpy()
    r_sid = rel["sent_id"].to_numpy(dtype="int64")
    r_st = rel["start"].to_numpy(dtype="int64")
    # at one start the longest cue first ("war of aggression" before "war")
    rorder = np.lexsort((-rel["end"].to_numpy(dtype="int64"), r_st, r_sid, r_doc))
    r_rows = list(
        zip(
            r_st[rorder].tolist(),
            rel["end"].to_numpy(dtype="int64")[rorder].tolist(),
            rel["category"].astype(str).to_numpy()[rorder].tolist(),
            rel["term"].astype(str).to_numpy()[rorder].tolist(),
            rel["voice"].astype(str).to_numpy()[rorder].tolist(),
        )
    )
    r_keys = list(zip(r_doc[rorder].tolist(), r_sid[rorder].tolist()))
    sent_span = {
        (d, int(i)): (int(s), int(e))
        for d, i, s, e in zip(
            sentences["doc_id"].astype(str).tolist(),
            sentences["sent_id"].tolist(),
            sentences["start"].tolist(),
            sentences["end"].tolist(),
        )
    }
    attrs = attributions_by_doc(quotes)
    folded: dict[str, str] = {}
    next_id: dict[str, int] = {}  # event_id is 0-based per document (batch-independent)
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
        att = [a for a in attrs.get(doc_id, ()) if a[0] < s1 and a[1] > s0]
        new = _sentence_events(text, ftext, s0, s1, cues, ms, cameo, focal, att)
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
    return rows_frame(rows, EVENT_COLUMNS)


def _sentence_events(text, ftext, s0, s1, cues, ms, cameo, focal, att=()) -> list[dict]:
    # long: the event-coding rules of one sentence (pairs, from/by, negation, refusal, irrealis)
    # read and write the same local arrays
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
        c_list.append(
            {
                "start": st,
                "end": en,
                "cat": cat,
                "term": term,
                "voice": voice,
                "negated": False,
                "refused": False,
                "reversal": False,
                "drop": False,
            }
        )
    if not c_list:
        return []
    # refusal: "refused to <conflict cue>"
    for a, b in zip(c_list, c_list[1:]):
        gap = ftext[a["end"] : b["start"]]
        if a["term"] in REFUSAL_TERMS and re.fullmatch(r"\s*(?:to\s+)?(?:[\w'-]+\s+){0,3}?", gap):
            a["drop"] = True
            b["refused"] = True
    for c in c_list:
        before = ftext[s0 : c["start"]]
        if not c["refused"]:
            c["negated"] = is_negated(before)
        if IRREALIS.search(before[-120:]):
            c["drop"] = True
    # irrealis spreads over "and"-coordinated following cues
    for a, b in zip(c_list, c_list[1:]):
        if (
            a["drop"]
            and a["term"] not in REFUSAL_TERMS
            and re.fullmatch(
                r"\s*(?:[\w'-]+\s+){0,4}?(?:and|or|by)\s+", ftext[a["end"] : b["start"]]
            )
        ):
            b["drop"] = True
    _mark_reversals(c_list, ftext, s0, cameo)
    shared = SHARED_HISTORY.search(ftext[s0:s1]) is not None
    # clauses
    bounds = (event_clause_bounds(text[s0:s1]) + s0).tolist()
    clause_of = lambda pos: bisect_right(bounds, pos) - 1  # noqa: E731 - searchsorted "right"
    cue_clause = [clause_of(c["start"]) for c in c_list]
    barred = barred_mentions(c_list, att, ftext, ms)
    assign: dict[int, list[int]] = {i: [] for i in range(len(c_list))}
    inside: dict[int, list[int]] = {i: [] for i in range(len(c_list))}
    for j in range(len(m_start)):
        cl = clause_of(m_start[j])
        best, best_gap = None, None
        # a possessive right before a cue is its subject ("Russia's invasion")
        poss = re.match(r"'s?\s+$", ftext[m_end[j] : m_end[j] + 3])
        for i, c in enumerate(c_list):
            if c["drop"] and (c["term"] in REFUSAL_TERMS or c.get("absorbed")):
                continue
            if poss and cue_clause[i] == cl and c["start"] == m_end[j] + len(poss.group(0)):
                best = ("near", i)
                break
            if cue_clause[i] != cl:
                continue
            if c["start"] <= m_start[j] and m_end[j] <= c["end"]:
                best = ("in", i)
                break
            seg = (
                ftext[m_end[j] : c["start"]]
                if m_end[j] <= c["start"]
                else ftext[c["end"] : m_start[j]]
            )
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

    def score(j, i):
        # how surely mention j is an actor of cue i when no phrase rule names it
        c = c_list[i]
        if clause_of(m_start[j]) != cue_clause[i]:
            return 0.3
        if c["start"] <= m_start[j] and m_end[j] <= c["end"]:
            return 1.0
        before_cue = m_end[j] <= c["start"]
        seg = ftext[m_end[j] : c["start"]] if before_cue else ftext[c["end"] : m_start[j]]
        gap = len(re.findall(r"[\w']+", seg))
        return 0.9 if gap <= 1 else 0.8 if gap <= 3 else 0.6 if gap <= 8 else 0.5

    def emit(
        i, src, tgt, directed, *, cat=None, weight=None, negated=None, cue_override=None, sc=None
    ):
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
        if m_root[src] == m_root[tgt] or src in barred[i] or tgt in barred[i]:
            return
        st = min(c["start"], m_start[src], m_start[tgt])
        en = max(c["end"], m_end[src], m_end[tgt])
        s_sc, t_sc = sc if sc is not None else (score(src, i), score(tgt, i))
        conf = min(s_sc, t_sc) * (0.8 if (neg or c["refused"] or c["reversal"]) else 1.0)
        out.append(
            {
                "source": m_actor[src],
                "target": m_actor[tgt],
                "source_root": m_root[src],
                "target_root": m_root[tgt],
                "source_blocs": m_blocs[src],
                "target_blocs": m_blocs[tgt],
                "directed": bool(directed),
                "cue": cue_override or text[c["start"] : c["end"]],
                "category": cat,
                "cameo": code,
                "quad_class": int(quad),
                "weight": float(weight),
                "negated": bool(neg),
                "refused": bool(c["refused"]),
                "reversal": bool(c["reversal"]),
                "voice": c["voice"],
                "start": int(st),
                "end": int(en),
                "cue_start": c["start"],
                "cue_end": c["end"],
                "source_start": int(m_start[src]),
                "target_start": int(m_start[tgt]),
                "confidence": round(float(conf), 2),
            }
        )

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
        ok = [j for j in assign[i] if j not in barred[i]]
        left = [j for j in ok if m_end[j] <= c["start"]]
        right = [j for j in ok if m_start[j] >= c["end"]]
        ins = [j for j in inside[i] if j not in barred[i]]
        if c["refused"]:
            pending_refusals.append((i, left, right))
            continue
        agent = []
        if (
            right
            and c["term"] not in SEPARATIVE
            and AGENTIVE.match(ftext[c["end"] : m_start[right[0]]])
        ):
            agent = coordinated(right, m_start, m_end, ftext)
        if agent:
            agentive_sources.update(agent)
            targets = left[-1:] and coordinated_left(left, m_start, m_end, ftext)
            if not targets:
                f = nearest_focal(c["start"], {m_root[a] for a in agent})
                targets = [f] if f is not None else []
            for a in uniq(agent):
                for t in uniq(targets):
                    emit(i, a, t, True, sc=(1.0, score(t, i)))
            continue
        conflict = cameo[c["cat"]][1] < 0
        in_cl = [
            j
            for j in range(len(m_start))
            if clause_of(m_start[j]) == cue_clause[i] and j not in barred[i]
        ]
        # the cue's own phrase decides for conflict cues and reversals; cooperative cues
        # keep the clause rules below
        roles = None
        if conflict or c["reversal"]:
            roles = phrase_roles(
                c,
                [j for j in in_cl if m_end[j] <= c["start"]],
                [j for j in in_cl if m_start[j] >= c["end"]],
                [j for j in range(len(m_start)) if m_end[j] <= c["start"] and j not in barred[i]],
                ftext,
                m_start,
                m_end,
                separative=c["term"] in SEPARATIVE,
                conflict=conflict,
            )
        if roles is not None:
            # the source, when the phrase names none: the nearest actor before the cue in
            # its clause, assigned to it or at most 3 words away, that is not the object of
            # a preposition ("with Iran")
            subj = [
                j
                for j in in_cl
                if m_end[j] <= c["start"]
                and (j in left or score(j, i) >= 0.8)
                and not PREP_OBJECT.search(ftext[max(0, m_start[j] - 20) : m_start[j]])
            ]
            _emit_phrase(i, roles, (subj, right, ins, left), shared and conflict, emit, score, ms)
            continue
        if shared and conflict:
            continue  # shared history: no conflict between the partners it names
        if len(uniq(ins)) >= 2:
            pairs = uniq(ins)
            for x in range(len(pairs)):
                for y in range(x + 1, len(pairs)):
                    emit(i, pairs[x], pairs[y], False)
            continue
        if left and (right or ins):
            srcs = coordinated_left(left, m_start, m_end, ftext)
            tgts = coordinated(right, m_start, m_end, ftext) if right else ins
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
            emit(
                i,
                refuser,
                d,
                True,
                cat=_reject_category(cameo),
                negated=False,
                cue_override=text[c["start"] : c["end"]],
            )
        dem_roots = {m_root[d] for d in demanders}
        targets = right or [
            j
            for j in range(len(m_root))
            if m_root[j] not in dem_roots and m_root[j] != m_root[refuser]
        ]
        code, w, quad = cameo[c["cat"]]
        for t in uniq(targets):
            emit(i, refuser, t, True, negated=True, weight=-w / 2.0)
    out.sort(key=lambda e: (e["cue_start"], e["source_start"], e["target_start"]))
    return out


def _reject_category(cameo, code: str = "12", name: str = "reject") -> str:
    for cat, (c, _w, _q) in cameo.items():
        if c == code:
            return cat
    raise ValueError(f"the relations lexicon needs a category with CAMEO code {code} ({name})")


def _mark_reversals(c_list: list[dict], ftext: str, s0: int, cameo) -> None:
    """Recode a cooperative cue after a reversal verb ("reneged on the treaty") as 16.

    The cue then spans from the verb to the cue ("reneged on the nuclear treaty"), is coded
    16 REDUCE RELATIONS with its Goldstein weight, and absorbs the cues inside that span
    ("withdrew" of 08 YIELD, "suspended" of 16). A negated reversal verb ("did not withdraw
    from the treaty") leaves the cooperation as it is (the verb's own cue is still absorbed).
    """
    reduce_cat = None
    for i, c in enumerate(c_list):
        if c["drop"] or c["refused"] or cameo[c["cat"]][1] <= 0:
            continue
        lo = max(s0, c["start"] - 100)
        m = REVERSAL.search(ftext[lo : c["start"]])
        if m is None:
            continue
        vs = lo + m.start()
        for o in c_list[:i]:
            if o["start"] >= vs:
                # "withdrew" of "withdrew from the treaty" is no yield
                o.update(drop=True, absorbed=True)
        if is_negated(ftext[s0:vs]):
            continue
        reduce_cat = reduce_cat or _reject_category(cameo, "16", "reduce relations")
        c.update(start=vs, cat=reduce_cat, reversal=True, negated=False)


def _emit_phrase(i, roles, assigned, need_target, emit, score, ms) -> None:
    """Emit the events of a cue whose phrase names an actor; the missing side is the
    nearest subject-like actor before the cue in its clause (a missing source) or the
    nearest actor the clause assigns to the cue (a missing target); no focal completion."""
    if roles["blocked"]:
        return
    subj, right, ins, left = assigned
    m_root = ms["root"]
    src, tgt = list(roles["src"]), list(roles["tgt"])
    if not tgt and need_target:
        return  # shared history: a conflict cue needs its own target
    if not src:
        t_roots = {m_root[j] for j, _ in tgt}
        cand = [j for j in subj if m_root[j] not in t_roots]
        src = [(j, score(j, i)) for j in cand[-1:]]
    elif not tgt:
        s_roots = {m_root[j] for j, _ in src}
        cand = [j for j in right + ins if m_root[j] not in s_roots]
        cand = cand[:1] or [j for j in left if m_root[j] not in s_roots][-1:]
        tgt = [(j, score(j, i)) for j in cand]
    seen = set()
    for a, sa in src:
        for t, st in tgt:
            if (m_root[a], m_root[t]) in seen:
                continue
            seen.add((m_root[a], m_root[t]))
            emit(i, a, t, not roles["undirected"], sc=(sa, st))
