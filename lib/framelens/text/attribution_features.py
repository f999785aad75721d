"""Token features for the learned attribution model, built per window of sentences.

Quotation state (:func:`quote_intervals`)
    Double marks only: straight ``"``, curly, guillemets and the ``````/``''``
    convention, paired within a paragraph (a line); a straight mark opens when no
    quote is open, else closes; two apostrophes ``''`` also open when no quote is open
    and they start a word (after a space, a paragraph's start, a bracket or a dash;
    the convention of some US papers: ``''It's anti-reform,'' he said``), else close.
    A mark left open at a paragraph's end counts to the
    paragraph's end only when the next non-empty paragraph opens with a mark (the
    convention for quotes running over several paragraphs). The evaluation uses the
    same function to call a span direct, mixed or indirect.
Gate (:func:`windows`)
    The model reads only *windows*: maximal runs of sentences of one paragraph that
    have a reporting-verb form (the lexicon's inflections, "according to") or a cue
    word learned from the training data, or a double quotation mark, together with the
    sentence before and after each such sentence. Elsewhere the rules' answer stands
    (they make no attribution without a verb or a mark either).
Features (:func:`window_features`), as crfsuite attribute strings, per token
    ``w=`` the lower-cased word when it is in the model's vocabulary (words of at
    least ``min_df`` training articles, plus the reporting-verb forms), else nothing;
    ``s=`` a coarse shape (``Xx``, ``X``, ``XX``, ``x``, ``d``, or the punctuation
    mark itself for ``" , . : ( ) - '``); ``rv=`` the verb class of a lexicon form;
    ``q`` inside double quotes; ``rc=`` inside a rule-layer quote (``d`` direct or
    partial, ``i`` indirect), ``rs`` inside a rule speaker span, ``rk`` a rule cue;
    ``pr`` a personal pronoun, ``ti`` a title word, ``cw`` a learned cue word (not a
    verb form); ``sb`` / ``se`` first / last token of its sentence, ``ws`` first of
    the window, ``pb`` its sentence opens its paragraph; ``d=`` the signed distance (in
    tokens, bucketed 1, 2, 3, 4-6, 7-12, >12) to the nearest cue form (a reporting-verb
    form, "according to" or a learned cue word) in the sentence; ``cl=`` the clause
    marks (``, ; : ( )`` and dashes) between the token and that cue form (0, 1, 2 or
    more); ``ac`` after a complementizer (that, whether, if) within two tokens after a
    cue form of the sentence; ``nv=`` cue forms in the sentence (1, 2 or more) (see
    :func:`verb_geometry`). Neighbours -2..+2 add their ``w``/``s`` and ``rv``
    features with the offset as prefix. No word pairs: the model file holds single
    vocabulary words and flags, never text.

Examples
--------
>>> quote_intervals('He said "yes" and ``no.\\'\\'')
[(8, 13), (18, 25)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .verbs import reporting_verbs
from .words import TITLES, TOKEN_RE

__all__ = [
    "quote_intervals",
    "QUOTE_MARK_RE",
    "quote_mask",
    "windows",
    "window_tokens",
    "window_words",
    "window_features",
    "gate_regex",
    "PRONOUNS",
    "word_info",
    "verb_geometry",
    "CLAUSE_MARKS",
    "COMPLEMENTIZERS",
]

#: Personal pronouns (lower case): never a speaker by themselves.
PRONOUNS = frozenset("i we you he she they it me us him her them".split())
_OPEN = frozenset(("\u201c", "\u201e", "\u00ab", "``"))
#: A double quotation mark of any convention (straight, curly, guillemets, ```` `` ````/``''``).
QUOTE_MARK_RE = re.compile(r"``|''|[\"\u201c\u201d\u201e\u00ab\u00bb]")
_MARK_RE = _QUOTE_CHAR_RE = QUOTE_MARK_RE
_PARA_RE = re.compile(r"[^\n]+")
_BEFORE_OPEN = frozenset("([{\u2014\u2013-")
_GROUP, _START = re.Match.group, re.Match.start
_JOINERS = frozenset("_'\u2019-")
_PUNCT = frozenset("\",.:()-'\u201c\u201d;?!")
_TITLE_WORDS = frozenset(t.rstrip(".") for t in TITLES) | frozenset(
    "mr mrs ms dr sen rep gov gen rev".split()
)


def quote_intervals(text: str) -> list[tuple[int, int]]:
    """Character intervals inside double quotation marks, marks included.

    Parameters
    ----------
    text : str
        One document.

    Returns
    -------
    list of (int, int)
        Sorted ``(start, end)`` intervals (see the module docstring for the rules).

    Examples
    --------
    >>> quote_intervals('\\u201cA\\u201d and "b c"')
    [(0, 3), (8, 13)]
    >>> quote_intervals("''No,'' he said, ''it's fine.''")
    [(0, 7), (17, 31)]
    """
    paras = [m.span() for m in _PARA_RE.finditer(text) if m.group().strip()]
    out = []
    for pi, (ps, pe) in enumerate(paras):
        open_at = None
        for m in _MARK_RE.finditer(text, ps, pe):
            mk = m.group()
            if mk == '"':
                is_open = open_at is None
            elif mk == "''":  # opens at a word's start when no quote is open
                a, b = m.start(), m.end()
                is_open = (
                    open_at is None
                    and (a == ps or text[a - 1].isspace() or text[a - 1] in _BEFORE_OPEN)
                    and b < pe
                    and not text[b].isspace()
                    and text[b] != "'"
                )
            else:
                is_open = mk in _OPEN
            if is_open:
                if open_at is None:
                    open_at = m.start()
            elif open_at is not None:
                out.append((open_at, m.end()))
                open_at = None
        if open_at is not None and pi + 1 < len(paras):
            nxt = text[paras[pi + 1][0] : paras[pi + 1][0] + 3].lstrip()
            if nxt[:1] in ('"', "\u201c", "\u201e", "\u00ab") or nxt.startswith(("``", "''")):
                out.append((open_at, pe))
    return out


def quote_mask(text: str) -> np.ndarray:
    """Boolean array, one per character (plus one), True inside double quotes.

    Examples
    --------
    >>> quote_mask('a "b" c').astype(int).tolist()
    [0, 0, 1, 1, 1, 0, 0, 0]
    """
    mask = np.zeros(len(text) + 1, dtype=bool)
    for s, e in quote_intervals(text):
        mask[s:e] = True
    return mask


def gate_regex(cue_words: Iterable[str] = ()):
    """The gate: a function giving the offsets of reporting-verb forms, "according to"
    and ``cue_words`` in a text (case-insensitive, whole words; one Aho-Corasick pass).

    Examples
    --------
    >>> g = gate_regex()
    >>> g("Officials SAID no, unsaid"), g("rain")
    ([10], [])
    """
    import ahocorasick

    words = sorted(set(reporting_verbs()) | {"according to"} | {w.lower() for w in cue_words})
    auto = ahocorasick.Automaton()
    for w in words:
        auto.add_word(w, len(w))
    auto.make_automaton()

    def hits(text: str) -> list[int]:
        low = text.lower()
        n = len(low)
        out = []
        for end, k in auto.iter_long(low):
            s = end + 1 - k
            if s > 0 and (low[s - 1].isalnum() or low[s - 1] in _JOINERS):
                continue
            if end + 1 < n and (low[end + 1].isalnum() or low[end + 1] in _JOINERS):
                continue
            out.append(s)
        return out

    return hits


def windows(
    text: str, sents: Sequence[tuple[int, int, int]], gate, *, context: int = 1
) -> list[tuple[int, int]]:
    """Sentence-index windows ``[a, b)`` the model reads (see the module docstring).

    Parameters
    ----------
    text : str
        The document.
    sents : sequence of (start, end, para_id)
        Its sentences in order.
    gate : callable
        From :func:`gate_regex`.
    context : {0, 1, 2}, keyword-only
        Also read the sentence before and after a gated one (1), its whole paragraph
        (2) or nothing more (0).

    Examples
    --------
    >>> t = "Rain fell. Kim said so. Sun. Dry.\\nNew line."
    >>> s = [(0, 10, 0), (11, 23, 0), (24, 28, 0), (29, 33, 0), (34, 43, 1)]
    >>> windows(t, s, gate_regex())
    [(0, 3)]
    """
    n = len(sents)
    if not n:
        return []
    starts = np.fromiter((s for s, _, _ in sents), dtype=np.int64, count=n)
    hits = gate(text)
    hits += [m.start() for m in _QUOTE_CHAR_RE.finditer(text)]
    if not hits:
        return []
    sid = np.searchsorted(starts, np.asarray(hits, dtype=np.int64), side="right") - 1
    flag = np.zeros(n, dtype=bool)
    flag[sid[sid >= 0]] = True
    para = np.fromiter((p for _, _, p in sents), dtype=np.int64, count=n)
    same_prev = np.r_[False, para[1:] == para[:-1]]
    same_next = np.r_[para[:-1] == para[1:], False]
    grown = flag.copy()
    if context == 2:
        grown = np.isin(para, para[flag])
    elif context:
        grown[:-1] |= flag[1:] & same_next[:-1]
        grown[1:] |= flag[:-1] & same_prev[1:]
    out = []
    i = 0
    while i < n:
        if not grown[i]:
            i += 1
            continue
        j = i + 1
        while j < n and grown[j] and same_prev[j]:
            j += 1
        out.append((i, j))
        i = j
    return out


def window_tokens(text: str, start: int, end: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Tokens (words and punctuation marks) of ``text[start:end]`` with their offsets.

    Examples
    --------
    >>> w, s, e = window_tokens("Kim said: yes.", 0, 14)
    >>> w, s.tolist()
    (['Kim', 'said', ':', 'yes', '.'], [0, 4, 8, 10, 13])
    """
    ms = list(TOKEN_RE.finditer(text, start, end))
    words = [m.group() for m in ms]
    st = np.fromiter((m.start() for m in ms), dtype=np.int64, count=len(ms))
    en = st + np.fromiter((len(w) for w in words), dtype=np.int64, count=len(ms))
    return words, st, en


def window_words(text: str, start: int, end: int) -> tuple[list[str], list[int]]:
    """The tokens of :func:`window_tokens` and their start offsets, as plain lists.

    Examples
    --------
    >>> window_words("Kim said: yes.", 4, 14)
    (['said', ':', 'yes', '.'], [4, 8, 10, 13])
    """
    ms = list(TOKEN_RE.finditer(text, start, end))
    return list(map(_GROUP, ms)), list(map(_START, ms))


def _shape(w: str) -> str:
    c = w[0]
    if c.isalpha():
        if w.islower():
            return "s=x"
        if w.isupper():
            return "s=X" if len(w) == 1 else "s=XX"
        return "s=Xx"
    if c.isdigit():
        return "s=d"
    return "s=" + c if c in _PUNCT else "s=p"


_BUCKETS = np.array(["0", "1", "2", "3", "4-6", "4-6", "4-6", "7-12"] + ["7-12"] * 5 + [">12"])


#: Clause boundaries (tokens) for the ``cl=`` feature; complementizers for ``ac``.
CLAUSE_MARKS = frozenset(",;:()\u2014\u2013")
COMPLEMENTIZERS = frozenset(("that", "whether", "if"))


def verb_geometry(sent_of, is_rv, is_mark, is_comp, para_first) -> dict:
    """Per-token position relative to the reporting verbs of its sentence (integer codes).

    Returns
    -------
    dict of ndarray
        ``d`` signed token distance to the nearest reporting-verb form of the sentence
        (ties to the left; ``10**6`` when there is none); ``cl`` clause marks strictly
        between token and that verb (0, 1, 2 = two or more; -1 without verb); ``ac``
        after a complementizer that follows a verb form within two tokens (same
        sentence); ``nv`` verb forms in the sentence (0, 1, 2 = two or more); ``pb`` the
        token's sentence opens its paragraph.

    Examples
    --------
    >>> import numpy as np
    >>> g = verb_geometry(np.zeros(5, int), np.array([0, 1, 0, 0, 0], bool),
    ...                   np.array([0, 0, 0, 1, 0], bool), np.array([0, 0, 1, 0, 0], bool),
    ...                   np.ones(5, bool))
    >>> g["d"].tolist(), g["cl"].tolist(), g["ac"].astype(int).tolist(), g["nv"].tolist()
    ([-1, 0, 1, 2, 3], [0, 0, 0, 0, 1], [0, 0, 0, 1, 1], [1, 1, 1, 1, 1])
    """
    n = len(sent_of)
    idx = np.arange(n)
    pos = np.flatnonzero(is_rv)
    d = np.full(n, 10**6, dtype=np.int64)
    cl = np.full(n, -1, dtype=np.int64)
    nv = np.zeros(n, dtype=np.int64)
    ac = np.zeros(n, dtype=bool)
    if len(pos):
        k = np.searchsorted(pos, idx)
        left = pos[np.clip(k - 1, 0, len(pos) - 1)]
        right = pos[np.clip(k, 0, len(pos) - 1)]
        dl = np.where((k > 0) & (sent_of[left] == sent_of), idx - left, 10**6)
        dr = np.where((k < len(pos)) & (sent_of[right] == sent_of), right - idx, 10**6)
        d = np.where(dl <= dr, dl, -dr)
        has = np.abs(d) < 10**6
        v = np.where(has, idx - d, idx)
        cum = np.r_[0, np.cumsum(is_mark)]  # marks in [a, b) = cum[b] - cum[a]
        lo, hi = np.minimum(idx, v), np.maximum(idx, v)
        between = cum[np.maximum(hi, lo + 1)] - cum[lo + 1]
        cl = np.where(has, np.minimum(between, 2), -1)
        per_sent = np.bincount(sent_of[pos], minlength=int(sent_of.max()) + 1)
        nv = np.minimum(per_sent[sent_of], 2)
        prev1 = np.r_[False, is_rv[:-1] & (sent_of[1:] == sent_of[:-1])]
        prev2 = np.r_[False, False, is_rv[:-2] & (sent_of[2:] == sent_of[:-2])]
        comp = is_comp & (prev1 | prev2)
        if comp.any():
            cpos = np.flatnonzero(comp)
            kk = np.searchsorted(cpos, idx) - 1  # the last complementizer before the token
            ok = kk >= 0
            ac = ok & (sent_of[cpos[np.maximum(kk, 0)]] == sent_of)
    return {"d": d, "cl": cl, "ac": ac, "nv": nv, "pb": np.asarray(para_first, dtype=bool)}


def _distance_features(d: np.ndarray) -> list[str | None]:
    a = np.minimum(np.abs(d), len(_BUCKETS) - 1)
    lab = _BUCKETS[a]
    return [
        None if abs(x) >= 10**6 else ("d=+" if x > 0 else "d=-") + b
        for x, b in zip(d.tolist(), lab.tolist())
    ]


def window_features(
    words: Sequence[str],
    starts: np.ndarray,
    *,
    sent_of: np.ndarray,
    qmask: np.ndarray,
    rule_codes: np.ndarray,
    vocab: frozenset | set,
    verb_classes: Mapping[str, tuple[str, str]] | None = None,
    cache: dict | None = None,
    window_of: np.ndarray | None = None,
    para_first: np.ndarray | None = None,
    cue_words: frozenset = frozenset(),
) -> list[list[str]]:
    """crfsuite attribute lists for the tokens of one window.

    long: one loop over the tokens builds every attribute list (the hot path; splitting
    it would add a pass per token)

    Parameters
    ----------
    words : sequence of str
        The tokens (:func:`window_tokens`).
    starts : ndarray
        Their start offsets in the document.
    sent_of : ndarray, keyword-only
        Sentence index per token.
    qmask : ndarray, keyword-only
        The document's :func:`quote_mask`.
    rule_codes : ndarray, keyword-only
        Per document character, bit flags of the rule layer: 1 inside a direct or
        partial quote, 2 inside an indirect clause, 4 inside a speaker span, 8 a cue.
    vocab : set of str, keyword-only
        Words whose identity is a feature.
    verb_classes : mapping, optional, keyword-only
        Reporting-verb form -> (lemma, class); default the built-in lexicon.
    cache : dict, optional, keyword-only
        Per word type features, reused across calls with the same ``vocab`` and
        ``verb_classes`` (a speed-up; the features are the same).
    window_of : ndarray, optional, keyword-only
        Window index per token when the tokens of several windows are passed at once
        (one call per document): neighbours never cross a window's edge, so the
        features are those of one call per window.
    para_first : ndarray, optional, keyword-only
        Per token, True when its sentence opens its paragraph (default: none does).
    cue_words : set of str, optional, keyword-only
        The gate's learned cue words: flagged ``cw`` and, like the reporting-verb
        forms, anchors of ``d``, ``cl``, ``ac`` and ``nv``.

    Returns
    -------
    list of list of str
        One attribute list per token (see the module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> t = 'Kim said "no".'
    >>> w, s, _ = window_tokens(t, 0, len(t))
    >>> f = window_features(w, s, sent_of=np.zeros(len(w), int), qmask=quote_mask(t),
    ...                     rule_codes=np.zeros(len(t) + 1, np.int8), vocab={"said"})
    >>> f[1][:3]
    ['w=said', 's=x', 'rv=neutral']
    """
    rv = reporting_verbs() if verb_classes is None else verb_classes
    memo = {} if cache is None else cache
    n = len(words)
    info = []
    for w in words:
        hit = memo.get(w)
        if hit is None:
            hit = memo[w] = word_info(w, vocab, rv, cue_words)
        info.append(hit)
    low = [x[0] for x in info]
    is_rv = np.fromiter((x[2] for x in info), dtype=bool, count=n)
    extra: dict[int, str] = {}
    win = [0] * n if window_of is None else window_of.tolist()
    for i in range(n - 1):
        if low[i] == "according" and low[i + 1] == "to" and win[i] == win[i + 1]:
            extra[i] = "rv=neutral"
            is_rv[i] = True
    inq = qmask[starts].tolist()
    codes = rule_codes[starts].tolist()
    is_mark = np.fromiter((w in CLAUSE_MARKS for w in words), dtype=bool, count=n)
    is_comp = np.fromiter((x in COMPLEMENTIZERS for x in low), dtype=bool, count=n)
    pf = np.zeros(n, dtype=bool) if para_first is None else para_first
    geo = verb_geometry(sent_of, is_rv, is_mark, is_comp, pf)
    dist = _distance_features(geo["d"])
    cl, ac, nv, pb = (geo[k].tolist() for k in ("cl", "ac", "nv", "pb"))
    brk = (sent_of[1:] != sent_of[:-1]).tolist()
    out = []
    for i in range(n):
        wi = win[i]
        f = list(info[i][1])
        if i in extra:
            f.append(extra[i])
        if inq[i]:
            f.append("q")
        c = codes[i]
        if c:
            if c & 3:
                f.append("rc=d" if c & 1 else "rc=i")
            if c & 4:
                f.append("rs")
            if c & 8:
                f.append("rk")
        if i == 0 or win[i - 1] != wi:
            f.append("ws")
            f.append("sb")
        elif brk[i - 1]:
            f.append("sb")
        if i == n - 1 or brk[i]:
            f.append("se")
        if dist[i]:
            f.append(dist[i])
        if cl[i] >= 0:
            f.append(_CL[cl[i]])
        if ac[i]:
            f.append("ac")
        if nv[i]:
            f.append(_NV[nv[i]])
        if pb[i]:
            f.append("pb")
        f.extend(info[i - 2][3][0] if i >= 2 and win[i - 2] == wi else _PAD[0])
        f.extend(info[i - 1][3][1] if i >= 1 and win[i - 1] == wi else _PAD[1])
        f.extend(info[i + 1][3][2] if i + 1 < n and win[i + 1] == wi else _PAD[2])
        f.extend(info[i + 2][3][3] if i + 2 < n and win[i + 2] == wi else _PAD[3])
        out.append(f)
    return out


_OFFSETS = ("-2", "-1", "1", "2")
_CL = ("cl=0", "cl=1", "cl=2")
_NV = (None, "nv=1", "nv=2")
_PAD = tuple((o + "pad",) for o in _OFFSETS)


def word_info(w: str, vocab, rv, cue_words=frozenset()) -> tuple:
    """Per word type: lower form, own static features, is a cue form (a reporting-verb
    form or a learned cue word), neighbour features.

    Examples
    --------
    >>> word_info("Said", {"said"}, {"said": ("say", "neutral")})[:3]
    ('said', ('w=said', 's=Xx', 'rv=neutral'), True)
    >>> word_info("hopes", {"hopes"}, {}, {"hopes"})[:3]
    ('hopes', ('w=hopes', 's=x', 'cw'), True)
    """
    lw = w.lower()
    shape = _shape(w)
    ident = ("w=" + lw) if lw in vocab else shape
    own = [ident]
    if ident != shape:
        own.append(shape)
    cls = rv[lw][1] if lw in rv else None
    if cls:
        own.append("rv=" + cls)
    if lw in PRONOUNS:
        own.append("pr")
    if lw.rstrip(".") in _TITLE_WORDS:
        own.append("ti")
    cw = cls is None and lw in cue_words
    if cw:
        own.append("cw")
    nb = tuple((o + ident, o + "rv") if cls else (o + ident,) for o in _OFFSETS)
    return lw, tuple(own), cls is not None or cw, nb
