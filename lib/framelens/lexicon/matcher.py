"""One compiled matcher per lexicon set.

Aho-Corasick for literals, regexes with literal prefixes (:mod:`.regexes`) tried at the
automaton's candidate positions, word boundaries checked on the hits.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import ahocorasick
import numpy as np
import pandas as pd

from framelens.core.normalize import fold_table, register_table
from framelens.core.normalize import lookup_table as _lut
from framelens.core.normalize import translate as _translate
from framelens.core.normalize import translate_codes as _translate_codes
from framelens.core.spans import rank_right
from framelens.errors import LexiconError

from .formats import load
from .model import KINDS, SEP, Lexicon, canonical_json
from .regexes import has_upper_literal, leading_boundary, literal_prefixes, regex_at, regex_spans

log = logging.getLogger(__name__)


def as_lexicons(lexicons) -> list[Lexicon]:
    if isinstance(lexicons, Matcher):
        return list(lexicons.lexicons)
    if isinstance(lexicons, (Lexicon, str, Path)):
        return [load(lexicons)]
    if isinstance(lexicons, Iterable):
        out = [load(lx) for lx in lexicons]
        if not out:
            raise LexiconError("no lexicons given; pass a Lexicon, a name, a path or a list")
        return out
    raise TypeError(
        f"expected a Lexicon, a built-in name, a path, a list of them or a Matcher, got "
        f"{type(lexicons).__name__}"
    )


def _is_word_char(c: str) -> bool:
    return c.isalnum() or bool(unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def _bound_table() -> dict[int, int]:
    """fold() composed with boundary folding: word characters as fold() gives them,
    whitespace -> ' ', every other character -> '\\x01' ('\\x00' is kept as the
    document separator). Length preserving."""
    ft = fold_table()
    table: dict[int, int] = {}
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF or cp == 0:
            continue
        f = ft.get(cp, cp)
        c = chr(f)
        if _is_word_char(c):
            out = f
        elif c.isspace():
            out = 0x20
        else:
            out = 0x01
        if out != cp:
            table[cp] = out
    return table


def _bound_lut() -> np.ndarray:
    """Lookup table of :func:`_bound_table`; characters outside the BMP are boundaries."""
    lut = np.arange(0x110000, dtype=np.uint32)
    table = _bound_table()
    lut[np.fromiter(table.keys(), dtype=np.int64)] = np.fromiter(table.values(), dtype=np.uint32)
    lut[0x10000:] = 1
    return lut


register_table("bound", _bound_lut)


def _bound_fold(text: str) -> str:
    return _translate(text, "bound")


def _sort_order(keys: Sequence[np.ndarray]) -> np.ndarray:
    """Stable sort order by several integer keys (first key most significant); None
    when already sorted.

    The keys are packed into one int64 when they fit, and sorted with a stable sort
    (timsort: fast on the nearly sorted hit lists the automaton produces); otherwise
    ``numpy.lexsort``.
    """
    n = keys[0].size
    if n == 0:
        return None
    lows = [int(k.min()) for k in keys]
    spans_ = [int(k.max()) - lo + 1 for k, lo in zip(keys, lows)]
    total = 1
    for sp in spans_:
        total *= sp
    if total >= 2**62:
        order = np.lexsort(tuple(reversed(keys)))
        return None if bool((order[1:] > order[:-1]).all()) else order
    packed = np.zeros(n, dtype=np.int64)
    for k, lo, sp in zip(keys, lows, spans_):
        packed *= sp
        packed += k - lo
    if n < 2 or bool((packed[1:] >= packed[:-1]).all()):
        return None
    return np.argsort(packed, kind="stable")


class Matcher:
    """All patterns of a set of lexicons compiled into one Aho-Corasick automaton
    (word, glob and phrase patterns, plus the literal prefixes of regex patterns, whose
    candidate positions come from the same pass) and one compiled regex per regex
    pattern. Picklable (the Dask engine ships it to workers).

    Parameters
    ----------
    lexicons : Lexicon, str, path or list of them
        Lexicon names must be unique within the set.

    Attributes
    ----------
    lexicons : tuple of Lexicon
    patterns : DataFrame
        One row per pattern id: pattern_id, lexicon, category, term, kind, weight.
    hash : str
        sha256 over the lexicons' content hashes, in order.

    Examples
    --------
    >>> lex = Lexicon.from_dict({"name": "w", "categories": {"War": ["war"]}})
    >>> Matcher(lex).find("An award; war.")
    (array([10]), array([13]), array([0]))
    """

    def __init__(self, lexicons):
        lexs = as_lexicons(lexicons)
        names = [lx.name for lx in lexs]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise LexiconError(
                f"lexicon name(s) {dup} given twice; a matcher needs unique lexicon names "
                "(rename one with dataclasses.replace(lex, name=...))"
            )
        self.lexicons = tuple(lexs)
        self.hash = hashlib.sha256(
            canonical_json([[lx.name, lx.hash] for lx in lexs]).encode()
        ).hexdigest()
        rows = [
            (li, lx.name, c.name, p)
            for li, lx in enumerate(lexs)
            for c in lx.categories.values()
            for p in c.patterns
        ]
        self._lexicon_names = names
        cat_names = list(dict.fromkeys(r[2] for r in rows))
        cat_index = {c: i for i, c in enumerate(cat_names)}
        self._category_names = cat_names
        terms = [r[3].term for r in rows]
        self._terms = list(dict.fromkeys(terms))
        term_index = {t: i for i, t in enumerate(self._terms)}
        n = len(rows)
        self._p_lex = np.array([r[0] for r in rows], dtype=np.int64)
        self._p_cat = np.array([cat_index[r[2]] for r in rows], dtype=np.int64)
        self._p_term = np.array([term_index[t] for t in terms], dtype=np.int64)
        self._p_weight = np.array([r[3].weight for r in rows], dtype=np.float64)
        self._lex_dtype = pd.CategoricalDtype(names)
        self._cat_dtype = pd.CategoricalDtype(cat_names)
        self._terms_arr = np.asarray(self._terms, dtype=object)
        self._p_glob = np.array(
            [r[3].kind != "regex" and r[3].term.endswith("*") for r in rows], dtype=bool
        )
        self.patterns = pd.DataFrame(
            {
                "pattern_id": np.arange(n, dtype=np.int64),
                "lexicon": pd.Categorical([r[1] for r in rows], categories=names),
                "category": pd.Categorical([r[2] for r in rows], categories=cat_names),
                "term": pd.array(terms, dtype="string"),
                "kind": pd.Categorical([r[3].kind for r in rows], categories=list(KINDS)),
                "weight": self._p_weight.copy(),
            }
        )
        self._build_automaton(rows)

    def _build_automaton(self, rows) -> None:
        # key -> entries (pattern id, leading boundary length, trailing boundary length):
        # one key string may serve patterns with different boundaries ("trade" + '\x01'
        # is the word "trade" before punctuation and the glob "trade-*")
        keys: dict[str, list[tuple[int, int, int]]] = {}
        self._rx_terms: dict[int, str] = {}
        self._verify: dict[int, tuple[str, str]] = {}
        for pid, (_, lname, cname, p) in enumerate(rows):
            if p.kind == "regex":
                self._rx_terms[pid] = p.term
                continue
            glob = p.term.endswith("*")
            raw = p.term[:-1] if glob else p.term
            body = re.sub(" +", " ", _bound_fold(raw)).strip(" ")
            if not body or "\x00" in body:
                raise LexiconError(
                    f"lexicon {lname!r}, category {cname!r}: pattern {p.term!r} has nothing "
                    "to match"
                )
            exact = re.sub(" +", " ", _translate(raw, "foldws")).strip(" ")
            if len(exact) != len(body):  # pragma: no cover - both folds keep lengths
                raise LexiconError(f"pattern {p.term!r}: cannot fold consistently")
            if not any(c > "\x01" for c in body):
                # punctuation only ("$", "%"): no word boundaries; matched as a regex
                rx = r"\s".join(re.escape(w) for w in exact.split(" "))
                self._rx_terms[pid] = rx + (r"\w*" if glob else "")
                continue
            if "\x01" in body:  # punctuation inside: the automaton sees any punctuation
                self._verify[pid] = (exact, body)
            leads = [" ", "\x01"] if body[0] > "\x01" else [""]
            glob = p.term.endswith("*")
            trails = [" ", "\x01"] if (not glob and body[-1] > "\x01") else [""]
            for lc, tc in itertools.product(leads, trails):
                key = lc + body + tc
                keys.setdefault(key, []).append((pid, len(lc), len(tc)))
        self._automaton = None
        self._p_verify = np.zeros(len(rows), dtype=bool)
        self._p_verify[list(self._verify)] = True
        # per verified pattern: offsets of its punctuation and their folded code points
        offs: list[list[int]] = [[] for _ in rows]
        vcodes: list[list[int]] = [[] for _ in rows]
        for pid, (exact, body) in self._verify.items():
            for i, (ce, cb) in enumerate(zip(exact, body)):
                if cb == "\x01":
                    offs[pid].append(i)
                    vcodes[pid].append(ord(ce))
        self._v_cnt = np.array([len(o) for o in offs], dtype=np.int64)
        self._v_ptr = (
            np.concatenate([[0], np.cumsum(self._v_cnt)[:-1]]).astype(np.int64)
            if rows
            else np.zeros(0, dtype=np.int64)
        )
        self._v_off = np.array([o for ol in offs for o in ol], dtype=np.int64)
        self._v_code = np.array([c for cl in vcodes for c in cl], dtype=np.uint32)
        self._plan_regexes(keys)
        if not keys:
            return
        # STORE_ANY with the int objects kept alive: iteration then returns the stored
        # objects instead of allocating a new int per hit (STORE_INTS)
        auto = ahocorasick.Automaton()
        klist = list(keys)
        for ki, key in enumerate(klist):
            auto.add_word(key, ki)
        auto.make_automaton()
        self._automaton = auto
        counts = np.array([len(keys[k]) for k in klist], dtype=np.int64)
        self._k_count = counts
        self._k_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        entries = [(len(k), e) for k in klist for e in keys[k]]
        self._e_pid = np.array([e[0] for _, e in entries], dtype=np.int64)
        # start = end index of the hit - (len(key) - 1 - leading boundary)
        self._e_back = np.array([n - 1 - e[1] for n, e in entries], dtype=np.int64)
        self._e_trail = np.array([e[2] for _, e in entries], dtype=np.int64)
        self._e_pid32, self._e_back32, self._e_trail32 = (
            a.astype(np.int32) for a in (self._e_pid, self._e_back, self._e_trail)
        )
        self._k_single = bool((counts == 1).all())  # then entry index == key index

    def _plan_regexes(self, keys: dict) -> None:
        """One compiled regex per regex pattern, run separately; the selection treats
        their matches like any other candidate (leftmost-longest per lexicon).

        Speed-ups that keep Python's regex engine off a scan of every position: the text
        is folded (lower case), so IGNORECASE is only needed for an upper-case literal; a
        regex whose matches must start with one of a few literal prefixes (``\\bsign``,
        ``(?:lift|ease)``) gets its candidate positions from the main automaton (extra
        keys with negative entry ids; at word starts when it begins with ``\\b``) and
        is only tried there; otherwise a leading ``\\b`` is checked after the search.
        """
        self._regexes: list[tuple[re.Pattern, bool, int]] = []
        self._rx_prefixed: list[tuple[re.Pattern, int]] = []
        other_keys: dict[str, list[int]] = {}  # prefixes with punctuation: over fold()
        for pid in sorted(self._rx_terms):
            term = self._rx_terms[pid]
            flags = re.IGNORECASE if has_upper_literal(term) else 0
            prefixes = literal_prefixes(term)
            if prefixes:
                j = len(self._rx_prefixed)
                self._rx_prefixed.append((re.compile(term, flags), pid))
                if all(p.isalnum() for p in prefixes):  # same in the boundary-folded text
                    leads = (" ", "\x01") if leading_boundary(term) else ("",)
                    for pre in prefixes:
                        for lc in leads:
                            keys.setdefault(lc + pre, []).append((-1 - j, len(lc), 0))
                else:
                    for pre in prefixes:
                        other_keys.setdefault(pre, []).append(j)
                continue
            lead_b = leading_boundary(term)
            body = term[2:] if lead_b else term
            try:
                rx = re.compile(body, flags)
            except re.error:  # stripping \b broke it: keep as written
                lead_b, rx = False, re.compile(term, flags)
            self._regexes.append((rx, lead_b, pid))
        self._rx_auto = None
        if other_keys:
            auto = ahocorasick.Automaton()
            for pre, js in other_keys.items():
                auto.add_word(pre, (len(pre), tuple(js)))
            auto.make_automaton()
            self._rx_auto = auto

    def __repr__(self) -> str:
        return (
            f"Matcher(lexicons={self._lexicon_names}, patterns={len(self.patterns)}, "
            f"hash={self.hash[:12]})"
        )

    # ---- core -------------------------------------------------------------------
    def find_chunk(self, texts: Sequence[str]):
        """Matches in a list of raw texts: (doc_index, start, end, pattern_id) arrays,
        offsets local to each text, sorted by document, start, pattern id."""
        # long: the hot path of lexicon matching; automaton pass, boundary filter, regex candidates
        #  and ordering share the chunk's arrays
        joined = " " + SEP.join(texts) + " "
        if joined.count("\x00") != max(len(texts) - 1, 0):  # NUL inside a text: a boundary
            joined = " " + SEP.join(t.replace("\x00", "\x01") for t in texts) + " "
        lens = np.array(list(map(len, texts)), dtype=np.int64)
        bases = np.empty(len(texts), dtype=np.int64)
        if len(texts):
            bases[0] = 1
            bases[1:] = 1 + np.cumsum(lens[:-1] + len(SEP))
        starts, ends, pids = [], [], []
        rx_cand = None
        if self._automaton is not None:
            s, codes, raw = _translate_codes(joined, "bound")
            # int32 positions when the chunk allows (half the memory traffic below)
            small = len(s) < 2**31 - 256
            flat = np.fromiter(
                itertools.chain.from_iterable(self._automaton.iter(s)),
                dtype=np.int32 if small else np.int64,
            )
            if flat.size:
                last, kidx = flat[0::2], flat[1::2]
                if self._k_single:
                    ent = kidx
                else:
                    cnt = self._k_count[kidx]
                    within = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
                    ent = np.repeat(self._k_ptr[kidx], cnt) + within
                    last = np.repeat(last, cnt)
                if small:
                    st = last - self._e_back32.take(ent)
                    en = last + 1 - self._e_trail32.take(ent)
                    pid = self._e_pid32.take(ent)
                else:
                    st = last - self._e_back.take(ent)
                    en = last + 1 - self._e_trail.take(ent)
                    pid = self._e_pid.take(ent)
                if self._rx_prefixed:
                    neg = pid < 0  # candidate starts of prefixed regexes
                    if neg.any():
                        rx_cand = (-1 - pid[neg], st[neg])
                        keep = ~neg
                        st, en, pid = st[keep], en[keep], pid[keep]
                if self._verify:
                    st, en, pid = self._verified(raw, st, en, pid)
                g = np.flatnonzero(self._p_glob.take(pid))
                if g.size:  # globs: extend to the end of the word (the chunk ends in ' ')
                    ge = en.take(g)
                    act = np.flatnonzero(codes.take(ge) > 32)  # still inside a word
                    while act.size:
                        ge[act] += 1
                        act = act[codes.take(ge.take(act)) > 32]
                    en[g] = ge
                starts.append(st)
                ends.append(en)
                pids.append(pid)
        if self._rx_terms:
            f = _translate(joined, "fold")
            found_by: list[tuple[list, int]] = []
            if self._rx_prefixed:
                cands: list[list[int]] = [[] for _ in self._rx_prefixed]
                if rx_cand is not None:
                    for j, a in zip(rx_cand[0].tolist(), rx_cand[1].tolist()):
                        cands[j].append(a)
                if self._rx_auto is not None:
                    for end, (n, js) in self._rx_auto.iter(f):
                        for j in js:
                            cands[j].append(end - n + 1)
                for (rx, rpid), pos in zip(self._rx_prefixed, cands):
                    found_by.append((regex_at(rx, f, sorted(set(pos))), rpid))
            for rx, lead_b, rpid in self._regexes:
                found_by.append((regex_spans(rx, f, lead_b), rpid))
            for found, rpid in found_by:
                if found:
                    arr = np.array(found, dtype=np.int64)
                    starts.append(arr[:, 0])
                    ends.append(arr[:, 1])
                    pids.append(np.full(len(found), rpid, dtype=np.int64))
        if not starts:
            e = np.empty(0, dtype=np.int64)
            return e, e, e, e
        st = np.concatenate(starts)
        en = np.concatenate(ends)
        pid = np.concatenate(pids)
        if not st.size:
            e = np.empty(0, dtype=np.int64)
            return e, e, e, e
        st, en, pid = self._select(st, en, pid)
        doc = rank_right(bases, st)
        doc -= 1
        if self._rx_terms:  # only regexes can match in (or across) separators
            keep = (doc >= 0) & (en <= bases[doc] + lens[doc])
            if not keep.all():
                doc, st, en, pid = doc[keep], st[keep], en[keep], pid[keep]
        base = bases.take(doc)
        return doc, st - base, en - base, pid.astype(np.int64, copy=False)

    def _verified(self, raw, st, en, pid):
        """Drop automaton hits of patterns with inner punctuation whose punctuation
        differs from the pattern's (the automaton folds all punctuation to one class):
        the folded original characters at the pattern's punctuation offsets must equal
        the pattern's."""
        idx = np.flatnonzero(self._p_verify[pid])
        if not idx.size:
            return st, en, pid
        p = pid[idx]
        cnt = self._v_cnt[p]
        rep = np.repeat(idx, cnt)
        within = np.arange(rep.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        e = np.repeat(self._v_ptr[p], cnt) + within
        got = _lut("fold")[0][raw[st[rep] + self._v_off[e]]]
        bad = rep[got != self._v_code[e]]
        if not bad.size:
            return st, en, pid
        ok = np.ones(pid.size, dtype=bool)
        ok[bad] = False
        return st[ok], en[ok], pid[ok]

    def _select(self, st, en, pid):
        """Leftmost-longest non-overlapping selection per lexicon; every category of a
        selected span gets one row (the first pattern id of that category)."""
        multi = len(self._lexicon_names) > 1
        if multi:  # lexicons are independent: offset each lexicon's positions
            shift = int(max(en.max(), 1)) + 1
            lex = self._p_lex[pid] * shift
            st, en = st + lex, en + lex
        order = _sort_order((st, -en, pid))
        if order is not None:
            st, en, pid = st.take(order), en.take(order), pid.take(order)
        n = st.size
        # candidate spans: one per distinct (start, end), longest first at each start
        first = np.empty(n, dtype=bool)
        first[0] = True
        np.not_equal(st[1:], st[:-1], out=first[1:])
        first[1:] |= en[1:] != en[:-1]
        all_first = bool(first.all())
        if all_first:
            cs, ce = st, en
        else:
            fi = np.flatnonzero(first)
            cs, ce = st.take(fi), en.take(fi)
        prev = np.empty_like(ce)
        prev[0] = -1
        np.maximum.accumulate(ce[:-1], out=prev[1:])
        chosen = cs >= prev  # overlaps nothing before: chosen, starts a cluster
        if not chosen.all():
            # clusters of overlapping candidates, resolved greedily and vectorised:
            # from each cluster start follow "next candidate starting at or after my
            # end" while it stays inside the cluster (cs is sorted ascending); a shorter
            # span at the same start as a longer one is never reached
            starts_ = np.flatnonzero(chosen)  # cluster starts
            front = np.flatnonzero(chosen[:-1] & ~chosen[1:])  # clusters of 2+
            bound = np.append(starts_, cs.size)[np.searchsorted(starts_, front, "right")]
            while front.size:
                nxt = np.searchsorted(cs, ce[front], side="left")
                inside = nxt < bound
                front, bound = nxt[inside], bound[inside]
                chosen[front] = True
        if not all_first:
            span = np.cumsum(first)
            span -= 1
            keep = chosen.take(span)  # rows of chosen spans
            # one span, several rows: one row per category. A row is dropped when an
            # earlier row of its span (rows of a span are adjacent, by pattern id) has
            # its category: compare with the row j back, for the rows whose previous j
            # rows all belong to the same span (few rows: only multi-row spans)
            cont = ~first
            idx = np.flatnonzero(cont)
            idx = idx[keep[idx]]
            pcat = self._p_cat
            j = 1
            while idx.size:
                keep[idx[pcat[pid[idx]] == pcat[pid[idx - j]]]] = False
                idx = idx[cont[idx - j]]
                j += 1
            sel = np.flatnonzero(keep)
            st, en, pid = st.take(sel), en.take(sel), pid.take(sel)
        elif not chosen.all():
            sel = np.flatnonzero(chosen)
            st, en, pid = st.take(sel), en.take(sel), pid.take(sel)
        if multi:
            lex = self._p_lex[pid] * shift
            st, en = st - lex, en - lex
            order = _sort_order((st, pid))
            if order is not None:
                st, en, pid = st[order], en[order], pid[order]
        return st, en, pid

    def find(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Matches in one raw text.

        Returns
        -------
        starts, ends, pattern_ids : numpy.ndarray
            Character offsets into ``text`` (``text[start:end]`` is the surface) and row
            numbers of :attr:`patterns`, sorted by start then pattern id.
        """
        if not isinstance(text, str):
            raise TypeError(f"find() takes a str, got {type(text).__name__}")
        _, st, en, pid = self.find_chunk([text])
        return st, en, pid


_COMPILED: dict[tuple[str, ...], Matcher] = {}
_COMPILED_MAX = 8


def compiled(lexicons) -> Matcher:
    """One compiled :class:`Matcher` per set of lexicon contents, per process.

    ``analyze`` and every batch on a Dask worker ask for the same lexicons; compiling them
    takes a noticeable fraction of a second, so the matcher is kept by the lexicons'
    content hashes (an edited lexicon file has another hash and compiles anew).

    Parameters
    ----------
    lexicons : Lexicon, str, path or list of them
        As for :class:`Matcher`.

    Examples
    --------
    >>> from framelens.lexicon import Lexicon
    >>> lex = Lexicon.from_dict({"name": "t", "categories": {"A": ["war"]}})
    >>> compiled([lex]) is compiled([lex])
    True
    """
    lexs = as_lexicons(lexicons)
    key = tuple(lex.hash for lex in lexs)
    m = _COMPILED.get(key)
    if m is None:
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.pop(next(iter(_COMPILED)))
        m = _COMPILED[key] = Matcher(lexs)
    return m
