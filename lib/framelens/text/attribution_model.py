"""The learned attribution model: a linear-chain CRF over gated windows of sentences.

Tags and model
    BIO over ``SOURCE`` / ``CUE`` / ``CONTENT`` per token of
    :func:`framelens.text.attribution_features.window_tokens` (CUE wins over SOURCE over
    CONTENT where annotated spans overlap); crfsuite via ``sklearn-crfsuite``, L-BFGS with L1
    ``c1`` / L2 ``c2``; features and gate in :mod:`framelens.text.attribution_features`. Word
    identity only for a vocabulary (>= ``min_df`` training articles, plus the reporting-verb
    forms): the weights file holds feature statistics, not text.
Decoding (:func:`decode_window`)
    Each CONTENT span joins the nearest CUE of its window, the source is the nearest SOURCE;
    cues without content are dropped; outside windows the rule layer's quotes are kept.

Examples
--------
>>> m = load_model()                                     # the shipped weights
>>> sorted(m)
['cache', 'card', 'context', 'cue_words', 'gate', 'scorer', 'tagger', 'vocab']
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from framelens.core.resources import data_path
from framelens.errors import ConfigError

from .attribution_features import (
    gate_regex,
    quote_mask,
    window_features,
    window_tokens,
    window_words,
    windows,
)
from .attribution_scoring import read_crfsuite, scorer_for, token_scores, viterbi, window_scores
from .verbs import reporting_verbs

__all__ = [
    "MODEL_FILE",
    "DEFAULT_PARAMS",
    "rule_codes",
    "doc_windows",
    "doc_window_scores",
    "token_labels",
    "spans_of",
    "spans_of_ids",
    "decode_window",
    "learn_vocabulary",
    "learn_cue_words",
    "train_crf",
    "load_model",
    "tag_document",
    "tag_documents",
]

#: The shipped weights (package data) and its card ``attribution_model.json``.
MODEL_FILE = "attribution_model.crfsuite"
#: Training parameters of the shipped model.
DEFAULT_PARAMS = {
    "c1": 0.3,
    "c2": 0.1,
    "max_iterations": 100,
    "min_df": 5,
    "min_cue": 5,
    "cue_share": 0.15,
    "context": 1,
}
_ROLES = ("O", "CONTENT", "SOURCE", "CUE")


def rule_codes(n: int, quotes: Sequence[dict]) -> np.ndarray:
    """Per-character bit flags of the rule layer's quotes (see ``window_features``).

    Examples
    --------
    >>> q = [{"start": 4, "end": 6, "kind": "indirect", "speaker_start": 0,
    ...       "speaker_end": 2, "verb_start": 2, "verb_end": 4}]
    >>> rule_codes(7, q).tolist()
    [4, 4, 8, 8, 2, 2, 0, 0]
    """
    codes = np.zeros(n + 1, dtype=np.int8)
    for r in quotes:
        codes[r["start"] : r["end"]] |= 2 if r["kind"] == "indirect" else 1
        for key, bit in (("speaker", 4), ("verb", 8)):
            s, e = r.get(key + "_start"), r.get(key + "_end")
            if s is not None and s == s and e is not None:
                codes[int(s) : int(e)] |= bit
    return codes


def _mask_of(n: int, intervals) -> np.ndarray:
    """:func:`quote_mask` from the text's quote intervals, already found."""
    mask = np.zeros(n + 1, dtype=bool)
    for s, e in intervals:
        mask[s:e] = True
    return mask


def _doc_tokens(text, sents, quotes, *, gate, context, qiv=None):
    """Windows of one document with their tokens, and the per-token inputs of the features."""
    wins = windows(text, sents, gate, context=context)
    if not wins:
        return None
    sent_starts = np.array([s for s, _, _ in sents], dtype=np.int64)
    out, all_words, all_st, lens = [], [], [], []
    for a, b in wins:  # one feature call per document: neighbours stop at window edges
        ws, we = sents[a][0], sents[b - 1][1]
        words, st = window_words(text, ws, we)
        if words:
            out.append({"sents": (a, b), "start": ws, "end": we, "words": words})
            all_words += words
            all_st += st
            lens.append(len(words))
    if not out:
        return None
    st = np.array(all_st, dtype=np.int64)
    en = st + np.fromiter(map(len, all_words), dtype=np.int64, count=len(all_words))
    cuts = np.r_[0, np.cumsum(lens)].tolist()
    sent_of = np.searchsorted(sent_starts, st, side="right") - 1
    for k, w in enumerate(out):
        i, j = cuts[k], cuts[k + 1]
        w.update(starts=st[i:j], ends=en[i:j], sent_of=sent_of[i:j])
    para = np.fromiter((p for _, _, p in sents), dtype=np.int64, count=len(sents))
    first = np.r_[True, para[1:] != para[:-1]]
    inputs = {
        "para_first": first[sent_of],
        "starts": st,
        "sent_of": sent_of,
        "qmask": quote_mask(text) if qiv is None else _mask_of(len(text), qiv),
        "rule_codes": rule_codes(len(text), quotes),
        "window_of": np.repeat(np.arange(len(lens)), lens),
    }
    return out, all_words, inputs, cuts


def doc_windows(
    text: str,
    sents: Sequence[tuple[int, int, int]],
    quotes: Sequence[dict],
    *,
    gate,
    vocab,
    context: int = 1,
    cache: dict | None = None,
    cue_words: frozenset = frozenset(),
) -> list[dict]:
    """Tokens and features of every window of one document.

    Returns
    -------
    list of dict
        ``sents`` (first, last+1 sentence index), ``start`` / ``end`` (characters),
        ``words``, ``starts``, ``ends``, ``sent_of``, ``features``.

    Examples
    --------
    >>> t = 'Kim said "no".'
    >>> w = doc_windows(t, [(0, len(t), 0)], [], gate=gate_regex(), vocab=set())
    >>> w[0]["words"]
    ['Kim', 'said', '"', 'no', '"', '.']
    """
    got = _doc_tokens(text, sents, quotes, gate=gate, context=context)
    if got is None:
        return []
    out, words, inp, cuts = got
    feats = window_features(words, vocab=vocab, cache=cache, cue_words=cue_words, **inp)
    for k, w in enumerate(out):
        w["features"] = feats[cuts[k] : cuts[k + 1]]
    return out


def doc_window_scores(text, sents, quotes, *, gate, scorer, context: int = 1) -> list[dict]:
    """As :func:`doc_windows`, with ``scores`` (the model's state scores per token, from
    :func:`framelens.text.attribution_scoring.window_scores`) in place of ``features``.

    Examples
    --------
    >>> m = load_model()
    >>> t = 'Kim said "no".'
    >>> w = doc_window_scores(t, [(0, len(t), 0)], [], gate=m["gate"], scorer=m["scorer"])
    >>> w[0]["scores"].shape
    (6, 7)
    """
    got = _doc_tokens(text, sents, quotes, gate=gate, context=context)
    if got is None:
        return []
    out, words, inp, cuts = got
    scores = window_scores(words, scorer=scorer, **inp)
    for k, w in enumerate(out):
        w["scores"] = scores[cuts[k] : cuts[k + 1]]
    return out


def token_labels(n: int, gold: Sequence[dict], starts, ends) -> list[str]:
    """BIO labels of tokens from gold fragment lists ``content``/``source``/``cue``.

    Examples
    --------
    >>> g = [{"content": [(9, 18)], "source": [(0, 3)], "cue": [(4, 8)]}]
    >>> token_labels(19, g, [0, 4, 9, 12, 18], [3, 8, 11, 18, 19])
    ['B-SOURCE', 'B-CUE', 'B-CONTENT', 'I-CONTENT', 'O']
    """
    role = np.zeros(n + 1, dtype=np.int8)
    aid = np.full(n + 1, -1, dtype=np.int32)
    for idx, r in enumerate(gold):
        for key, code in (("content", 1), ("source", 2), ("cue", 3)):
            for s, e in r.get(key) or ():
                sl = slice(s, e)
                upd = role[sl] < code
                role[sl] = np.where(upd, code, role[sl])
                aid[sl] = np.where(upd, idx, aid[sl])
    labels, prev = [], (0, -1)
    for s, e in zip(starts, ends):
        seg = role[s:e]
        c = int(seg.max()) if e > s else 0
        if c == 0:
            labels.append("O")
            prev = (0, -1)
            continue
        a = int(aid[s:e][seg.argmax()])
        labels.append(("I-" if prev == (c, a) else "B-") + _ROLES[c])
        prev = (c, a)
    return labels


def spans_of(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Labelled token spans ``(role, first, last+1)`` of a BIO sequence.

    Examples
    --------
    >>> spans_of(["B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "O"])
    [('SOURCE', 0, 1), ('CUE', 1, 2), ('CONTENT', 2, 4)]
    """
    out, cur = [], None
    for i, tg in enumerate(tags):
        if tg == "O":
            if cur:
                out.append(tuple(cur))
                cur = None
            continue
        bi, lab = tg.split("-", 1)
        if cur and (bi == "B" or cur[0] != lab):
            out.append(tuple(cur))
            cur = None
        if cur is None:
            cur = [lab, i, i + 1]
        else:
            cur[2] = i + 1
    if cur:
        out.append(tuple(cur))
    return out


def spans_of_ids(ids: np.ndarray, labels: Sequence[str], cuts: np.ndarray) -> list[list]:
    """:func:`spans_of` for many windows at once, from label ids.

    Parameters
    ----------
    ids : ndarray
        Label ids of the tokens of all windows, one after the other.
    labels : sequence of str
        The model's BIO labels by id.
    cuts : ndarray
        Window ``k`` holds tokens ``cuts[k]:cuts[k + 1]``.

    Returns
    -------
    list of list of (str, int, int)
        Per window, its spans with token indices inside the window.

    Examples
    --------
    >>> labs = ["O", "B-CUE", "I-CUE", "B-CONTENT", "I-CONTENT"]
    >>> spans_of_ids(np.array([1, 2, 3, 4, 4, 0]), labs, np.array([0, 4, 6]))
    [[('CUE', 0, 2), ('CONTENT', 2, 4)], [('CONTENT', 0, 1)]]
    """
    roles = [lb.split("-", 1)[1] if "-" in lb else "O" for lb in labels]
    names = sorted(set(roles) - {"O"})
    code = np.array([0 if r == "O" else names.index(r) + 1 for r in roles], dtype=np.int64)
    is_b = np.array([lb.startswith("B-") for lb in labels], dtype=bool)
    n = len(ids)
    out: list[list] = [[] for _ in range(len(cuts) - 1)]
    if not n:
        return out
    role, b = code[ids], is_b[ids]
    wstart = np.zeros(n + 1, dtype=bool)
    wstart[cuts[:-1]] = True
    start = (role != 0) & (b | wstart[:n] | (np.r_[0, role[:-1]] != role))
    boundary = np.r_[start | (role == 0) | wstart[:n], True]
    bpos = np.flatnonzero(boundary)
    st = np.flatnonzero(start)
    en = bpos[np.searchsorted(bpos, st, side="right")]
    win = np.searchsorted(cuts, st, side="right") - 1
    base = cuts[win]
    for w, r, a, e in zip(
        win.tolist(), role[st].tolist(), (st - base).tolist(), (en - base).tolist()
    ):
        out[w].append((names[r - 1], a, e))
    return out


def decode_window(win: dict, tags: Sequence[str], prev_open: dict | None, *, spans=None):
    """Attributions of one tagged window (see the module docstring).

    Returns
    -------
    rows : list of dict
        ``content`` (fragments), ``cue`` and ``source`` ((start, end) or None).
        ``spans`` (keyword-only), when given, are the spans of ``tags``
        (:func:`spans_of_ids`) and ``tags`` is only its length.
    open_row : dict or None
        The attribution whose content reached the window's end.

    Examples
    --------
    >>> win = {"starts": np.array([0, 4, 9]), "ends": np.array([3, 8, 18]),
    ...        "sent_of": np.zeros(3, int)}
    >>> rows, _ = decode_window(win, ["B-SOURCE", "B-CUE", "B-CONTENT"], None)
    >>> rows[0]["content"], rows[0]["cue"], rows[0]["source"]
    ([(9, 18)], (4, 8), (0, 3))
    """
    sp = spans_of(tags) if spans is None else spans
    if not sp:
        return [], None
    # plain lists: many scalar look-ups below
    st, en, so = win["starts"].tolist(), win["ends"].tolist(), win["sent_of"].tolist()
    cues = [x for x in sp if x[0] == "CUE"]
    srcs = [x for x in sp if x[0] == "SOURCE"]
    n = len(tags) if spans is None else len(st)

    def dist(x, y):
        gap = max(0, max(x[1], y[1]) - min(x[2], y[2]))
        same = so[x[1]] == so[y[1]] or so[x[2] - 1] == so[y[2] - 1]
        return gap + (0 if same else 1000)

    def chars(x):
        return (st[x[1]], en[x[2] - 1])

    by_cue: dict[int, list] = {}
    rows, open_row = [], None
    for c in (x for x in sp if x[0] == "CONTENT"):
        if cues:
            ci = min(range(len(cues)), key=lambda j: (dist(c, cues[j]), j))
            by_cue.setdefault(ci, []).append(c)
            continue
        if c[1] == 0 and prev_open is not None:
            prev_open["content"].append(chars(c))
            open_row = prev_open if c[2] >= n - 1 else open_row
            continue
        row = {"content": [chars(c)], "cue": None, "source": None}
        rows.append(row)
        open_row = row if c[2] >= n - 1 else open_row
    for ci, cs in sorted(by_cue.items()):
        cue = cues[ci]
        src = min(srcs, key=lambda s_: (dist(s_, cue), s_[1])) if srcs else None
        row = {
            "content": [chars(c) for c in sorted(cs, key=lambda x: x[1])],
            "cue": chars(cue),
            "source": chars(src) if src else None,
        }
        rows.append(row)
        if any(c[2] >= n - 1 for c in cs):
            open_row = row
    return rows, open_row


def learn_vocabulary(texts: Sequence[str], *, min_df: int = 5) -> frozenset:
    """Lower-cased words of at least ``min_df`` texts, plus the reporting-verb forms.

    Examples
    --------
    >>> v = learn_vocabulary(["the cat", "the dog"], min_df=2)
    >>> "the" in v, "cat" in v, "said" in v
    (True, False, True)
    """
    df: dict[str, int] = {}
    for t in texts:
        for w in {m.lower() for m in window_tokens(t, 0, len(t))[0]}:
            df[w] = df.get(w, 0) + 1
    return frozenset(w for w, c in df.items() if c >= min_df) | frozenset(reporting_verbs())


def learn_cue_words(
    texts, cue_frags, vocab, *, min_count: int = 5, min_share: float = 0.3
) -> frozenset:
    """Vocabulary words that are part of a gold cue at least ``min_count`` times and
    in at least ``min_share`` of their occurrences (the gate's learned words: believe, thinks,
    poll ...).

    Examples
    --------
    >>> learn_cue_words(["Kim believes it"] * 5, [[(4, 12)]] * 5, {"believes"})
    frozenset({'believes'})
    """
    cue: dict[str, int] = {}
    allc: dict[str, int] = {}
    for t, frags in zip(texts, cue_frags):
        for w in window_tokens(t, 0, len(t))[0]:
            allc[w.lower()] = allc.get(w.lower(), 0) + 1
        for s, e in frags:
            for w in window_tokens(t, s, e)[0]:
                cue[w.lower()] = cue.get(w.lower(), 0) + 1
    return frozenset(
        w
        for w, c in cue.items()
        if c >= min_count and c >= min_share * allc.get(w, c) and w[:1].isalpha() and w in vocab
    )


def train_crf(xs, ys, *, path: str | Path, c1: float, c2: float, max_iterations: int) -> Path:
    """Fit the CRF on attribute sequences ``xs`` and tags ``ys``; write it to ``path``.

    Deterministic: the same sequences in the same order give the same bytes.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "m.crfsuite")
    >>> _ = train_crf([[["a"], ["b"]]], [["B-CUE", "O"]], path=p, c1=0, c2=0.1,
    ...               max_iterations=5)
    >>> os.path.getsize(p) > 0
    True
    """
    import sklearn_crfsuite

    crf = sklearn_crfsuite.CRF(
        algorithm="lbfgs",
        c1=c1,
        c2=c2,
        max_iterations=max_iterations,
        all_possible_transitions=True,
        model_filename=str(path),
    )
    crf.fit(xs, ys)
    return Path(path)


@functools.lru_cache(maxsize=4)
def _load_cached(model_path: str) -> dict:
    import pycrfsuite

    p = Path(model_path)
    card_path = p.with_suffix(".json")
    if not p.exists() or not card_path.exists():
        raise ConfigError(
            f"{p}: no attribution model here (need {p.name} and {card_path.name}); "
            "refit one with `framelens train attribution PATH` or use attribution='rules'"
        )
    card = json.loads(card_path.read_text(encoding="utf-8"))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(p))
    cue_words = frozenset(card.get("cue_words", ()))
    vocab = frozenset(card.get("vocabulary", ())) | frozenset(reporting_verbs())
    return {
        "card": card,
        "cue_words": cue_words,
        "gate": gate_regex(cue_words),
        "tagger": tagger,
        "scorer": scorer_for(
            read_crfsuite(p), vocab=vocab, verb_classes=reporting_verbs(), cue_words=cue_words
        ),
        "context": int(card.get("params", {}).get("context", 1)),
        "cache": {},
        "vocab": vocab,
    }


def load_model(path: str | Path | None = None) -> dict:
    """The attribution model at ``path`` (default: the shipped weights).

    Returns
    -------
    dict
        ``tagger`` (a crfsuite tagger), ``scorer`` (the same weights for the exact numpy
        decoder, :mod:`framelens.text.attribution_scoring`), ``vocab``, ``cue_words``,
        ``gate``, ``context``
        (sentences of context around a gated sentence), a feature ``cache`` and the
        ``card`` (provenance: data hash, features, parameters, scores).

    Examples
    --------
    >>> load_model("/no/model.crfsuite")                # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    framelens.errors.ConfigError: /no/model.crfsuite: no attribution model here ...
    """
    p = data_path(MODEL_FILE) if path is None else Path(path)
    return _load_cached(str(p))


def tag_document(text, sents, quotes, model) -> tuple[list[dict], list[tuple[int, int]]]:
    """Model attributions of one document (fragments, cue, source; no speakers yet).

    Returns
    -------
    rows : list of dict
        ``content`` (fragments), ``cue``, ``source``.
    covered : list of (int, int)
        Character extents of the windows the model read.

    Examples
    --------
    >>> rows, cov = tag_document('"We will win," Kim said.', [(0, 24, 0)], [], load_model())
    >>> [(r["content"], r["cue"], r["source"]) for r in rows], cov
    ([([(0, 14)], (19, 23), (15, 18))], [(0, 24)])
    """
    return tag_documents([text], [sents], [quotes], model)[0]


def tag_documents(
    texts, all_sents, all_quotes, model, *, intervals=None
) -> list[tuple[list, list]]:
    """:func:`tag_document` for many documents, all windows decoded in one pass.

    ``intervals``, optional: each text's
    :func:`framelens.text.attribution_features.quote_intervals`, when the caller has
    them already.

    The tags are crfsuite's (the same weights, scores and Viterbi, see
    :mod:`framelens.text.attribution_scoring`), without building attribute strings.

    Examples
    --------
    >>> out = tag_documents(["Rain.", 'Kim said "no".'], [[(0, 5, 0)], [(0, 14, 0)]],
    ...                     [[], []], load_model())
    >>> [len(rows) for rows, _ in out]
    [0, 1]
    """
    sc = model["scorer"]
    ctx = model.get("context", 1)
    per_doc, words, inq, codes, sent_of, win_of, pfirst = [], [], [], [], [], [], []
    n_sents = n_wins = 0
    qivs = intervals if intervals is not None else [None] * len(texts)
    for t, s, q, qiv in zip(texts, all_sents, all_quotes, qivs):  # one scoring call for all
        got = _doc_tokens(t, s, q, gate=model["gate"], context=ctx, qiv=qiv)
        if got is None:
            per_doc.append([])
            n_sents += len(s)
            continue
        wins, ws, inp, _ = got
        per_doc.append(wins)
        words += ws
        inq.append(inp["qmask"][inp["starts"]])
        codes.append(inp["rule_codes"][inp["starts"]])
        sent_of.append(inp["sent_of"] + n_sents)
        win_of.append(inp["window_of"] + n_wins)
        pfirst.append(inp["para_first"])
        n_sents += len(s)
        n_wins += len(wins)
    lens = [len(w["words"]) for wins in per_doc for w in wins]
    cuts = np.r_[0, np.cumsum(lens, dtype=np.int64)]
    if words:
        scores = token_scores(
            words,
            inq=np.concatenate(inq),
            codes=np.concatenate(codes),
            sent_of=np.concatenate(sent_of),
            window_of=np.concatenate(win_of),
            para_first=np.concatenate(pfirst),
            scorer=sc,
        )
        ids = viterbi([scores[a:b] for a, b in zip(cuts[:-1], cuts[1:])], sc["trans"], flat=True)
    else:
        ids = np.zeros(0, dtype=np.int64)
    spans = iter(spans_of_ids(ids, sc["labels"], cuts))
    out = []
    for sents, wins in zip(all_sents, per_doc):
        rows, prev_open, prev_win = [], None, None
        for win in wins:
            sp = next(spans)
            a = win["sents"][0]
            cont = (
                prev_win is not None
                and prev_win["sents"][1] == a
                and sents[a][2] == sents[a - 1][2] + 1
            )
            got, prev_open = decode_window(win, (), prev_open if cont else None, spans=sp)
            rows.extend(got)
            prev_win = win
        for r in rows:
            r["content"] = sorted(r["content"])
        out.append((rows, [(w["start"], w["end"]) for w in wins]))
    return out


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
