"""Tone toward a target mention: window features, the tone model and per-actor tone."""

from __future__ import annotations

import gc
import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd

from framelens.sentiment import scores as sentence_scores

from .common import (
    ACTOR_TONE_COLUMNS,
    TONE_COLUMNS,
    clause_bounds,
    clause_bounds_cached,
    empty_frame,
    ensure_root,
    relations_lexicon,
)
from .tone_model import TONE_FEATURES, TONE_MODEL
from .vader import (
    SentTokens,
    sub_compound,
    text_scores,
    vader_tables,
    word_spans,
)

log = logging.getLogger(__name__)


def span_tone(
    texts: Sequence[str], starts: Sequence[int], ends: Sequence[int], *, scope: str = "clause"
) -> tuple[np.ndarray, np.ndarray]:
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
    if scope not in {"clause", "sentence"}:
        raise ValueError(f"scope must be 'clause' or 'sentence', not {scope!r}")
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
            cache[piece] = sentence_scores(piece)[0]
        sent[k] = cache[piece]
        bounds[k] = (cs, ce)
    return sent, bounds


_SAY_AFTER = re.compile(r"^\W*(?:\w+\W+){0,2}?(?:said|says|told|added|stated|wrote|according)\b")


_PRON = {"he", "she", "they", "him", "her", "his", "it", "them", "their"}


def _cues_for_texts(texts: Sequence[str], lexicon_name: str = "relations") -> dict[str, list]:
    """Relation cues (start, end, quad, goldstein) in each distinct text."""
    from framelens import lexicon

    lex, cameo = relations_lexicon(lexicon_name)
    uniq = list(dict.fromkeys(texts))
    if not uniq:
        return {}
    docs = pd.DataFrame({"doc_id": [str(i) for i in range(len(uniq))], "text": uniq})
    mm = lexicon.match(docs, lex)
    out: dict[str, list] = {t: [] for t in uniq}
    for d, s, e, c in zip(
        mm["doc_id"].astype(str), mm["start"], mm["end"], mm["category"].astype(str)
    ):
        code, w, q = cameo[c]
        out[uniq[int(d)]].append((int(s), int(e), q, w))
    return out


def _window_valences(t: str, ws, we, wv, lexv, a: int, b: int) -> list:
    """``[lexv.get(x.lower(), 0.0) for x in VADER_WORD_RE.findall(t[a:b])]`` from the
    text's words (``ws``, ``we``) and their valences ``wv``: the words of a substring
    are the text's words inside it, the ones crossing a cut clipped and rescored."""
    if b <= a:
        return []
    k0 = bisect_right(we, a)
    k1 = bisect_left(ws, b)
    if k1 <= k0:
        return []
    v = wv[k0:k1]
    if ws[k0] < a or we[k0] > b:
        v[0] = lexv.get(t[max(ws[k0], a) : min(we[k0], b)].lower(), 0.0)
    k = k1 - 1
    if k != k0 and (we[k] > b):
        v[-1] = lexv.get(t[ws[k] : b].lower(), 0.0)
    return v


def target_features(
    texts: Sequence[str],
    starts: Sequence[int],
    ends: Sequence[int],
    *,
    cues: Sequence[list] | None = None,
) -> np.ndarray:
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
    costs nothing (see ``sub_scores``). The words of ``text[:start]`` and
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
    with _gc_paused():
        return _target_features(texts, starts, ends, cues)


@contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector for a loop that creates many small lists
    and tuples but no reference cycles (they are freed by reference counting): the
    collector's full passes over a batch's heap took about a third of the target-tone
    time. Nothing computed changes; the collector is restored on exit."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _target_features(texts, starts, ends, cues) -> np.ndarray:
    # long: the 31 target-tone features in one loop, in the fitted model's feature order
    lexv = vader_tables()[1]
    subc = sub_compound
    if cues is None:
        by_text = _cues_for_texts(list(texts))
        cues = [by_text.get(t, []) for t in texts]
    n = len(texts)
    nf = len(TONE_FEATURES)
    rows: list[list] = []
    per_text: dict[str, tuple] = {}
    for _k, (t, s, e, cs_) in enumerate(zip(texts, starts, ends, cues)):
        s, e = int(s), int(e)
        pt = per_text.get(t)
        if pt is None:
            ws, we = word_spans(t)
            st = SentTokens(t)
            # lexicon valence of each VADER_WORD_RE word (clipped words are rescored)
            wv = [lexv.get(t[a:z].lower(), 0.0) for a, z in zip(ws, we)]
            # the whole sentence: VADER's scores as sentence_sentiment computed them
            c_, p_, _, n_ = sentence_scores(t)
            sent = (c_, p_, n_)
            pt = per_text[t] = (
                clause_bounds_cached(t),
                ws,
                we,
                sent,
                float(any(ch in t for ch in '"\u201c\u201d')),
                len(t) / 200,
                st,
                wv,
            )
        b, ws, we, sent, has_q, length, st, wv = pt
        i = bisect_right(b, s) - 1
        c0 = b[max(i, 0)]
        c1 = b[i + 1] if i + 1 < len(b) else len(t)
        target = t[s:e]
        if len(t[c0:c1].split()) <= len(target.split()) + 1:
            c0, c1 = 0, len(t)
        # words of t[:s] (last 6) and t[e:] (first 6), clipped at the cut
        li = bisect_left(ws, s)
        lw = [t[a:z] for a, z in zip(ws[max(0, li - 6) : li], we[max(0, li - 6) : li])]
        if lw and we[li - 1] > s:
            lw[-1] = t[ws[li - 1] : s]
        ri = bisect_right(we, e)
        rw = [t[a:z] for a, z in zip(ws[ri : ri + 6], we[ri : ri + 6])]
        if rw and ws[ri] < e:
            rw[0] = t[e : we[ri]]
        f = [0.0] * nf
        rows.append(f)
        f[0] = sent[0]
        f[1] = subc(st, c0, c1)
        for j, a, z in ((2, max(0, s - 60), s), (4, e, e + 60)):
            v = _window_valences(t, ws, we, wv, lexv, a, z)
            f[j] = sum([x for x in v if x > 0])
            f[j + 1] = sum([x for x in v if x < 0])
        if cs_:
            f[6] = sum(w for (a, z, q, w) in cs_ if z <= s and a >= c0) / 10
            f[7] = sum(w for (a, z, q, w) in cs_ if a >= e and z <= c1) / 10
            for a, z, q, _w in cs_:
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
        f[22] = float(bool(_SAY_AFTER.match(t[e : e + 40])))
        f[23] = length
        f[24] = sum(_window_valences(t, ws, we, wv, lexv, s, e))
        f[25] = float(target.strip().lower() in _PRON)
        v = wv[max(0, li - 3) : li]
        if v and we[li - 1] > s:
            v[-1] = lexv.get(lw[-1].lower(), 0.0)
        f[26] = sum(v)
        v = wv[ri : ri + 3]
        if v and ws[ri] < e:
            v[0] = lexv.get(rw[0].lower(), 0.0)
        f[27] = sum(v)
        f[28] = sent[1]
        f[29] = sent[2]
        f[30] = text_scores(" ".join(lw) + " " + target + " " + " ".join(rw))[0]
    return np.array(rows, dtype=float).reshape(n, nf)


def target_tone(
    texts: Sequence[str],
    starts: Sequence[int],
    ends: Sequence[int],
    *,
    cues: Sequence[list] | None = None,
    model: Mapping | None = None,
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


def tone(
    mentions: pd.DataFrame,
    *,
    sentences: pd.DataFrame,
    events: pd.DataFrame | None = None,
    matches: pd.DataFrame | None = None,
    relation_weight: float = 0.25,
    target_factor: float = 0.5,
    model: Mapping | None = None,
    lexicon_name: str = "relations",
) -> pd.DataFrame:
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
    >>> from framelens.measures.alignment import analyze_text
    >>> t = analyze_text("The brave Serbian people welcomed the generous aid.")["mention_tone"]
    >>> float(t["tone"].iloc[0]) > 0
    True
    """
    # long: mention contexts, target features, the model and the relation component in one pass
    if relation_weight < 0 or target_factor < 0:
        raise ValueError("relation_weight and target_factor must be >= 0")
    if mentions is None or not len(mentions):
        return empty_frame(TONE_COLUMNS)
    mentions = ensure_root(mentions)
    ms = mentions[mentions["role"].astype(str) != "LOC"].reset_index(drop=True)
    if not len(ms):
        return empty_frame(TONE_COLUMNS)
    key = pd.MultiIndex.from_arrays([sentences["doc_id"].astype(str), sentences["sent_id"]])
    sidx = pd.Series(np.arange(len(sentences)), index=key)
    pos = sidx.reindex(
        pd.MultiIndex.from_arrays([ms["doc_id"].astype(str), ms["sent_id"]])
    ).to_numpy()
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
        for d, sid, st, en, c in zip(
            rel["doc_id"].astype(str).tolist(),
            rel["sent_id"].tolist(),
            rel["start"].tolist(),
            rel["end"].tolist(),
            rel["category"].astype(str).tolist(),
        ):
            code, w, q = cameo[c]
            by_sent.setdefault((d, int(sid)), []).append((int(st), int(en), q, w))
        cues = []
        for d, sid, o in zip(
            ms["doc_id"].astype(str).tolist(), ms["sent_id"].tolist(), off.tolist()
        ):
            cues.append([(a - o, z - o, q, w) for (a, z, q, w) in by_sent.get((d, int(sid)), [])])
    sent, _ = target_tone(texts, rs, re_, cues=cues, model=model)
    b = [clause_bounds_cached(t) for t in texts]
    ci = [bisect_right(bb, int(x)) - 1 for bb, x in zip(b, rs)]
    c0 = np.array([bb[i] for bb, i in zip(b, ci)], dtype="int64")
    c1 = np.array(
        [bb[i + 1] if i + 1 < len(bb) else len(t) for bb, i, t in zip(b, ci, texts)], dtype="int64"
    )
    rel_s = np.zeros(len(ms))
    if events is not None and len(events):
        key_m = {
            (d, int(s)): k
            for k, (d, s) in enumerate(zip(ms["doc_id"].astype(str).tolist(), ms["start"].tolist()))
        }
        for d, ss, ts, w, directed in zip(
            events["doc_id"].astype(str),
            events["source_start"],
            events["target_start"],
            events["weight"],
            events["directed"],
        ):
            k = key_m.get((d, int(ss)))
            if k is not None:
                rel_s[k] += w / 10.0
            k = key_m.get((d, int(ts)))
            if k is not None:
                rel_s[k] += (w / 10.0) * (target_factor if directed else 1.0)
    rel_s = np.clip(rel_s, -1, 1)
    t = np.clip(sent + relation_weight * rel_s, -1, 1)
    return pd.DataFrame(
        {
            "doc_id": ms["doc_id"].astype("string"),
            "sent_id": ms["sent_id"].astype("int32"),
            "start": ms["start"].astype("int64"),
            "end": ms["end"].astype("int64"),
            "actor": ms["actor"].astype("string"),
            "root": ms["root"].astype("string"),
            "voice": ms["voice"].astype("string"),
            "sentiment": sent,
            "relation": rel_s,
            "tone": t,
            "clause_start": c0 + off,
            "clause_end": c1 + off,
        }
    )


def actor_tone(
    mention_tone: pd.DataFrame, *, by: Sequence[str] = ("doc_id", "root"), threshold: float = 0.05
) -> pd.DataFrame:
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
        return empty_frame(
            {**{b: "string" for b in by}, **{k: v for k, v in cols.items() if k not in by}}
        )
    mt = mention_tone.assign(
        _pos=(mention_tone["tone"] >= threshold).astype(int),
        _neg=(mention_tone["tone"] <= -threshold).astype(int),
    )
    g = mt.groupby(by, observed=True, sort=True)
    out = g.agg(
        n_mentions=("tone", "size"),
        tone=("tone", "mean"),
        sentiment=("sentiment", "mean"),
        relation=("relation", "mean"),
        n_positive=("_pos", "sum"),
        n_negative=("_neg", "sum"),
    ).reset_index()
    return out
