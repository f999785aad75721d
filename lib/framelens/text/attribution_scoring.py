"""Exact decoding of the attribution CRF in numpy: the tagger's answer, many windows at once.

Weights (:func:`read_crfsuite`)
    The crfsuite model file (format ``lCRF``/``FOMC``) is read as it is: the feature
    chunk (state and transition weights, as float64), the label and attribute
    dictionaries (CQDB). Nothing is re-estimated or rounded.
Scores (:func:`window_scores`)
    The state score of a token is the sum of the weights of its attributes, added in
    the order :func:`framelens.text.attribution_features.window_features` lists them,
    starting from 0 (crfsuite's own order, so the sums are the same floating-point
    numbers); an attribute the model does not know adds 0. The attributes themselves
    are never built as strings: per word type the sum of its own attributes and the ids
    of its neighbour attributes are computed once and cached, the flags (quotes, rule
    layer, sentence edges, distance to the verb) are added as whole columns.
Decoding (:func:`viterbi`)
    crfsuite's Viterbi (no start or end transitions; on equal scores the lower label
    id wins), run over all windows at once: windows sorted by length, one numpy step
    per position for the windows that are that long.

Examples
--------
>>> import numpy as np
>>> trans = np.array([[0.0, -5.0], [0.0, 0.0]])          # 0 -> 1 costs 5
>>> viterbi([np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[0.0, 1.0]])], trans)
[[1, 1], [1]]
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from framelens.errors import ConfigError

from .attribution_features import CLAUSE_MARKS, COMPLEMENTIZERS, verb_geometry, word_info

__all__ = ["read_crfsuite", "scorer_for", "window_scores", "token_scores", "viterbi"]

_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_BUCKETS = ("0", "1", "2", "3", "4-6", "4-6", "4-6") + ("7-12",) * 6 + (">12",)
_FLAGS = ("rv=neutral", "q", "rc=d", "rc=i", "rs", "rk", "ws", "sb", "se", "ac", "pb")
_CL = ("cl=0", "cl=1", "cl=2")
_NV = ("nv=1", "nv=2")
_OFFSETS = ("-2", "-1", "1", "2")


def _cqdb_keys(buf: bytes, base: int) -> list[str]:
    """Keys of a CQDB dictionary at ``base``, in id order."""
    if buf[base : base + 4] != b"CQDB":
        raise ConfigError("not a crfsuite model: no CQDB dictionary where the header says")
    n, bwd = struct.unpack_from("<II", buf, base + 16)
    offs = np.frombuffer(buf, dtype="<u4", count=n, offset=base + bwd)
    keys = []
    for off in offs.tolist():
        _id, ksize = struct.unpack_from("<II", buf, base + off)
        keys.append(buf[base + off + 8 : base + off + 7 + ksize].decode("utf-8"))
    return keys


def read_crfsuite(path: str | Path) -> dict:
    """Labels, attributes and weights of a crfsuite model file.

    Returns
    -------
    dict
        ``labels`` (list, id order), ``attrs`` (attribute -> row of ``state``),
        ``state`` (float64, one row per attribute plus a last row of zeros for unknown
        attributes, one column per label), ``trans`` (from label x to label).

    Examples
    --------
    >>> from framelens.core.resources import data_path
    >>> w = read_crfsuite(data_path("attribution_model.crfsuite"))
    >>> w["labels"][0], w["state"].shape[1], w["trans"].shape
    ('O', 7, (7, 7))
    """
    buf = Path(path).read_bytes()
    if buf[:4] != b"lCRF" or buf[8:12] != b"FOMC":
        raise ConfigError(f"{path}: not a crfsuite CRF model file (refit the model)")
    n_labels, n_attrs, off_f, off_l, off_a = struct.unpack_from("<5I", buf, 20)
    n_feat = struct.unpack_from("<I", buf, off_f + 8)[0]
    feats = np.frombuffer(buf, dtype=_FEATURE, count=n_feat, offset=off_f + 12)
    state = np.zeros((n_attrs + 1, n_labels))
    trans = np.zeros((n_labels, n_labels))
    s, t = feats[feats["type"] == 0], feats[feats["type"] == 1]
    state[s["src"], s["dst"]] = s["weight"]
    trans[t["src"], t["dst"]] = t["weight"]
    attrs = {a: i for i, a in enumerate(_cqdb_keys(buf, off_a))}
    return {"labels": _cqdb_keys(buf, off_l), "attrs": attrs, "state": state, "trans": trans}


def scorer_for(weights: dict, *, vocab, verb_classes: Mapping, cue_words=frozenset()) -> dict:
    """A scorer: the weights, the ids of the flag attributes and an empty word-type table.

    Examples
    --------
    >>> w = {"labels": ["O"], "attrs": {"q": 0}, "state": np.zeros((2, 1)), "trans": None}
    >>> s = scorer_for(w, vocab=set(), verb_classes={})
    >>> s["flag"]["q"], s["flag"]["se"]
    (0, 1)
    """
    zero = len(weights["state"]) - 1
    attrs = weights["attrs"]
    flag = {f: attrs.get(f, zero) for f in _FLAGS}
    pad = [attrs.get(o + "pad", zero) for o in _OFFSETS]
    dist = [attrs.get(f"d={sg}{b}", zero) for sg in "-+" for b in _BUCKETS] + [zero]
    return weights | {
        "zero": zero,
        "flag": flag,
        "pad": pad,
        "dist": np.array(dist, dtype=np.int64),
        "cl": np.array([attrs.get(f, zero) for f in _CL] + [zero], dtype=np.int64),
        "nv": np.array([zero] + [attrs.get(f, zero) for f in _NV], dtype=np.int64),
        "vocab": vocab,
        "verb_classes": verb_classes,
        "cue_words": frozenset(cue_words),
        "types": {"index": {}, "own": np.zeros((0, len(weights["labels"]))), "n": 0},
    }


def _type_ids(words: Sequence[str], sc: dict) -> np.ndarray:
    """Row of every word in the scorer's word-type table (new types are added)."""
    tab = sc["types"]
    index = tab["index"]
    get = index.get
    ids = [get(w, -1) for w in words]
    new = [w for w in dict.fromkeys(words) if w not in index] if -1 in ids else []
    if new:
        attrs, st, zero = sc["attrs"], sc["state"], sc["zero"]
        n0, k = tab["n"], len(new)
        if n0 + k > len(tab["own"]):
            cap = max(1024, 2 * (n0 + k))
            for key, shape, dt in (("own", (st.shape[1],), float), ("nb", (4, 2), np.int64)):
                grown = np.zeros((cap, *shape), dtype=dt)
                if key in tab:
                    grown[:n0] = tab[key][:n0]
                tab[key] = grown
            for key in ("rv", "according", "to", "mark", "comp"):
                grown = np.zeros(cap, dtype=bool)
                if key in tab:
                    grown[:n0] = tab[key][:n0]
                tab[key] = grown
        for j, w in enumerate(new):
            lw, own, is_rv, nb = word_info(w, sc["vocab"], sc["verb_classes"], sc["cue_words"])
            row = n0 + j
            total = np.zeros(st.shape[1])
            for a in own:  # crfsuite's order: one attribute after the other, from 0
                total = total + st[attrs.get(a, zero)]
            tab["own"][row] = total
            for o, feats in enumerate(nb):
                ids = [attrs.get(a, zero) for a in feats] + [zero]
                tab["nb"][row, o] = ids[:2]
            tab["rv"][row], tab["according"][row], tab["to"][row] = (
                is_rv,
                lw == "according",
                lw == "to",
            )
            tab["mark"][row], tab["comp"][row] = w in CLAUSE_MARKS, lw in COMPLEMENTIZERS
            index[w] = row
        tab["n"] = n0 + k
        ids = [index[w] for w in words]
    return np.array(ids, dtype=np.int64)


def _distance_ids(d: np.ndarray, sc: dict) -> np.ndarray:
    none = len(sc["dist"]) - 1
    code = np.minimum(np.abs(d), len(_BUCKETS) - 1) + np.where(d > 0, len(_BUCKETS), 0)
    return sc["dist"][np.where(np.abs(d) >= 10**6, none, code)]


def window_scores(
    words: Sequence[str],
    starts: np.ndarray,
    *,
    sent_of: np.ndarray,
    qmask: np.ndarray,
    rule_codes: np.ndarray,
    scorer: dict,
    window_of: np.ndarray | None = None,
    para_first: np.ndarray | None = None,
) -> np.ndarray:
    """State scores (tokens x labels) of the attributes ``window_features`` would list.

    Parameters are those of
    :func:`framelens.text.attribution_features.window_features`, with ``scorer`` (from
    :func:`scorer_for`) in place of the vocabulary and verb classes.

    Examples
    --------
    >>> from framelens.text.attribution_features import window_tokens, quote_mask
    >>> from framelens.text.verbs import reporting_verbs
    >>> w = {"labels": ["O", "B-CUE"], "attrs": {"rv=neutral": 0, "q": 1},
    ...      "state": np.array([[0.0, 2.0], [1.0, 0.0], [0.0, 0.0]]), "trans": None}
    >>> sc = scorer_for(w, vocab=set(), verb_classes=reporting_verbs())
    >>> t = 'Kim said "no".'
    >>> ws, st, _ = window_tokens(t, 0, len(t))
    >>> window_scores(ws, st, sent_of=np.zeros(len(ws), int), qmask=quote_mask(t),
    ...               rule_codes=np.zeros(len(t) + 1, np.int8), scorer=sc).tolist()
    [[0.0, 0.0], [0.0, 2.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]
    """
    return token_scores(
        words,
        inq=qmask[starts],
        codes=rule_codes[starts],
        sent_of=sent_of,
        scorer=scorer,
        window_of=window_of,
        para_first=para_first,
    )


def token_scores(words, *, inq, codes, sent_of, scorer, window_of=None, para_first=None):
    """:func:`window_scores` from per-token inputs: ``inq`` (inside double quotes) and
    ``codes`` (the rule layer's bit flags) per token, so that the tokens of many
    documents are scored in one call (``sent_of`` and ``window_of`` distinct across
    documents).

    Examples
    --------
    >>> from framelens.text.verbs import reporting_verbs
    >>> w = {"labels": ["O"], "attrs": {"q": 0}, "state": np.array([[1.0], [0.0]]),
    ...      "trans": None}
    >>> sc = scorer_for(w, vocab=set(), verb_classes=reporting_verbs())
    >>> token_scores(["a", "b"], inq=np.array([True, False]), codes=np.zeros(2, int),
    ...              sent_of=np.zeros(2, int), scorer=sc).tolist()
    [[1.0], [0.0]]
    """
    sc, st = scorer, scorer["state"]
    zero, flag, tab = scorer["zero"], scorer["flag"], scorer["types"]
    n = len(words)
    tid = _type_ids(words, sc)
    win = np.zeros(n, dtype=np.int64) if window_of is None else np.asarray(window_of)
    is_rv = tab["rv"][tid]
    extra = np.zeros(n, dtype=bool)
    extra[:-1] = tab["according"][tid[:-1]] & tab["to"][tid[1:]] & (win[:-1] == win[1:])
    is_rv = is_rv | extra
    codes = np.asarray(codes).astype(np.int64)
    first = np.r_[True, win[1:] != win[:-1]]
    brk = sent_of[1:] != sent_of[:-1]
    rc = np.where(codes & 1, flag["rc=d"], flag["rc=i"])
    pf = np.zeros(n, dtype=bool) if para_first is None else para_first
    geo = verb_geometry(sent_of, is_rv, tab["mark"][tid], tab["comp"][tid], pf)
    steps = (
        np.where(extra, flag["rv=neutral"], zero),
        np.where(inq, flag["q"], zero),
        np.where(codes & 3, rc, zero),
        np.where(codes & 4, flag["rs"], zero),
        np.where(codes & 8, flag["rk"], zero),
        np.where(first, flag["ws"], zero),
        np.where(first | np.r_[False, brk], flag["sb"], zero),
        np.where(np.r_[brk, True], flag["se"], zero),
        _distance_ids(geo["d"], sc),
        sc["cl"][geo["cl"]],  # -1 (no verb): the last entry, zero
        np.where(geo["ac"], flag["ac"], zero),
        sc["nv"][geo["nv"]],
        np.where(geo["pb"], flag["pb"], zero),
    )
    scores = tab["own"][tid]
    buf = np.empty_like(scores)
    for ids in steps:  # attributes in window_features' order, added one by one
        _add(scores, st, ids, zero, buf)
    nb = tab["nb"][tid]
    for o, shift in enumerate((-2, -1, 1, 2)):
        j = np.arange(n) + shift
        ok = (j >= 0) & (j < n)
        jc = np.clip(j, 0, max(n - 1, 0))
        ok &= win[jc] == win
        _add(scores, st, np.where(ok, nb[jc, o, 0], sc["pad"][o]), zero, buf)
        _add(scores, st, np.where(ok, nb[jc, o, 1], zero), zero, buf)
    return scores


def _add(
    scores: np.ndarray, state: np.ndarray, ids: np.ndarray, zero: int, buf: np.ndarray | None
) -> None:
    """``scores += state[ids]``, skipping the rows of unknown attributes (they add 0.0,
    which leaves every sum as it is: a sum that starts at +0.0 is never -0.0).

    Where most rows add something, the rows are gathered into ``buf`` (an array of the
    shape of ``scores``, reused across calls) and added at once, the unknown ones as
    the zero row; else only the rows that add something are touched. Either way each
    element gets the same one addition."""
    hit = ids != zero
    k = int(np.count_nonzero(hit))
    if not k:
        return
    if buf is not None and 4 * k > len(ids):
        np.take(state, ids if k == len(ids) else np.where(hit, ids, zero), axis=0, out=buf)
        scores += buf
    elif k == len(ids):
        scores += state[ids]
    else:
        rows = np.flatnonzero(hit)
        scores[rows] += state[ids[rows]]


def viterbi(emissions: Sequence[np.ndarray], trans: np.ndarray, *, flat: bool = False):
    """Best label ids of every sequence (crfsuite's Viterbi, module docstring).

    Parameters
    ----------
    emissions : sequence of ndarray
        One (tokens x labels) array of state scores per sequence.
    trans : ndarray
        Transition weights, from label (rows) to label (columns).

    flat : bool, keyword-only
        Return one array of the label ids of all sequences, one after the other.

    Returns
    -------
    list of list of int, or ndarray
        Label ids per token, sequences in the given order.
    """
    lens = np.array([len(e) for e in emissions], dtype=np.int64)
    out: list[list[int]] = [[] for _ in emissions]
    if not len(lens) or lens.max() == 0:
        return np.zeros(0, dtype=np.int64) if flat else out
    order = np.argsort(-lens, kind="stable")
    order = order[lens[order] > 0]
    ls = lens[order]
    packed = np.concatenate([emissions[i] for i in order])
    offs = np.r_[0, np.cumsum(ls)[:-1]]
    maxlen = int(ls[0])
    active = len(ls) - np.searchsorted(ls[::-1], np.arange(maxlen + 1), side="right")
    final = np.empty((len(ls), trans.shape[0]))
    into = np.ascontiguousarray(trans.T)  # [to, from]: the best "from" along the last axis
    delta = packed[offs]
    back = [None]
    for t in range(1, maxlen):
        k = active[t]
        final[k : active[t - 1]] = delta[k:]
        cand = delta[:k, None, :] + into[None, :, :]  # [sequence, to, from]
        best = cand.argmax(axis=2)  # the first best on equal scores, as crfsuite
        back.append(best)
        delta = np.take_along_axis(cand, best[:, :, None], 2)[:, :, 0] + packed[offs[:k] + t]
    final[: active[maxlen - 1]] = delta
    lab = np.empty(len(packed), dtype=np.int64)
    cur = np.empty(len(ls), dtype=np.int64)
    last = final.argmax(axis=1)
    for t in range(maxlen - 1, -1, -1):
        k, k_next = active[t], active[t + 1]
        cur[k_next:k] = last[k_next:k]
        if k_next:
            cur[:k_next] = back[t + 1][np.arange(k_next), cur[:k_next]]
        lab[offs[:k] + t] = cur[:k]
    if flat:  # back to the given order
        start_given = np.r_[0, np.cumsum(lens)[:-1]]
        pos = np.arange(len(packed)) + np.repeat(start_given[order] - offs, ls)
        res = np.empty(len(packed), dtype=np.int64)
        res[pos] = lab
        return res
    cuts = np.r_[offs, len(packed)].tolist()
    ids = lab.tolist()
    for r, i in enumerate(order.tolist()):
        out[i] = ids[cuts[r] : cuts[r + 1]]
    return out
