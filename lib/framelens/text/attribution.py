"""Per-document attribution: reporting verbs, their clauses, quotations and speakers."""

from __future__ import annotations

import bisect
import contextlib
import gc
import logging
import re

from .marks import Quote, Report, pair_quotes, strip_span
from .patterns import (
    ACC_NP,
    COLON_RE,
    COORD_TAIL,
    DATELINE,
    LEAD_QUOTE,
    NAMED_RE,
    NAT_WORD,
    PERSON_AT,
    POST_END,
    PRON_RE,
    ROLE_RE,
    SUBJ_AFTER,
    SUBJ_CUT_RE,
    THAT_RE,
    WS_RE,
    ZERO_THAT,
    word_before,
)
from .segmentation import doc_sentences
from .speakers import HEAD_SET, Mention, Resolver, parse_named, subject_before
from .verbs import automaton, reporting_verbs, scan_verbs
from .words import NP_ONLY_VERBS, QUOTE_MARKS, STOP_CAPS

log = logging.getLogger(__name__)


class _DocAnalysis:
    """Quotes, reports and mentions of one document."""

    def __init__(self, text: str, sents, paras, auto, verb_forms) -> None:
        self.text = text
        self.sents = sents
        self.sstarts = [s for s, _, _ in sents]
        self.paras = paras
        self.problems: list[tuple[int, str, int]] = []
        self.quotes: list[Quote] = []
        self.reports: list[Report] = []
        self.mentions: list[Mention] = []
        self._find_quotes()
        verbs, self._titles, self._heads = scan_verbs(auto, text)
        self._find_reports(verbs, verb_forms)
        self._resolve()
        self._attribute_quotes()

    # -- helpers
    def sent_of(self, pos: int) -> int:
        """The sentence of ``pos`` by the convention of :mod:`framelens.core.spans`
        (greatest start <= pos; 0 before the first), as a scalar lookup for the rules."""
        return max(bisect.bisect_right(self.sstarts, pos) - 1, 0)

    def _inside_quote(self, pos: int) -> Quote | None:
        i = bisect.bisect_right(self._qopens, pos) - 1
        if i >= 0 and self.quotes[i].open < pos < self.quotes[i].close:
            return self.quotes[i]
        return None

    # -- quotation marks
    def _find_quotes(self) -> None:
        text = self.text
        for pid, (ps, pe) in enumerate(self.paras):
            probs: list[tuple[int, str]] = []
            for o, c in pair_quotes(text, ps, pe, probs):
                sid = self.sent_of(o)
                ss = self.sents[sid][0]
                lead = text[ss:o].strip()
                direct_like = lead == "" or lead in ("-", "\u2013", "\u2014")
                self.quotes.append(
                    Quote(o, c, sid, direct_like, "direct" if direct_like else "partial")
                )
            self.problems.extend((pos, which, pid) for pos, which in probs)
        self._qopens = [q.open for q in self.quotes]
        self._qclose = {q.close: q for q in self.quotes}
        self._qopen = {q.open: q for q in self.quotes}

    # -- reporting verbs
    def _drop_mention(self, men: Mention) -> None:
        """Forget a subject mention that found no speech to attribute (usually the last)."""
        if self.mentions and self.mentions[-1] is men:
            self.mentions.pop()
        else:
            self.mentions.remove(men)

    def _mention(self, s: int, e: int, kind: str, subject: bool = True) -> Mention:
        """Record a speaker mention ``text[s:e]`` of ``kind`` (name/role/pron/other)."""
        text = self.text
        surface = text[s:e]
        m = Mention(s, e, surface, kind, subject=subject, sent=self.sent_of(s))
        if kind == "name":
            toks = surface.split()
            # drop leading words that are no part of a name ("Therefore Vucic")
            while len(toks) > 1 and toks[0].lower() in STOP_CAPS and toks[0].lower() != "the":
                s = text.index(toks[1], s + len(toks[0]))
                toks = toks[1:]
            m.start, m.surface = s, text[s:e]
            name, nats, titles, person = parse_named(m.surface)
            m.name, m.nats, m.titles, m.person = name, nats, titles, person
            m.fallback = " ".join(name) if name else m.surface
            if not name:
                m.kind = "other"
        elif kind == "role":
            words = WS_RE.split(surface.strip())
            det = words[0].lower() in ("the", "his", "her", "their", "its", "a", "an")
            body = words[1:] if det else words
            m.nats = tuple(w for w in body[:-1] if w[:1].isupper())
            if words[0][-2:] in ("'s", "\u2019s"):
                m.nats = (words[0],) + m.nats
            head = body[-1].lower() if body else ""
            m.head = head[:-1] if head.endswith("s") and head[:-1] in HEAD_SET else head
            if m.head in ("minister",) and len(body) >= 2 and body[-2].lower() == "prime":
                m.head = "prime"
            m.fallback = " ".join(body) if det else surface
        elif kind == "pron":
            m.fallback = None
        else:
            m.fallback = surface
        self.mentions.append(m)
        return m

    def _find_reports(self, verbs, verb_forms) -> None:
        for vs, ve, key in verbs:
            if self._inside_quote(vs) is not None:
                continue
            form = key.lower()
            lemma, cls = ("according to", "neutral") if form == "according to" else verb_forms[form]
            sid = self.sent_of(vs)
            ss, se, _ = self.sents[sid]
            if vs >= se:
                continue
            if lemma == "according to":
                self._according(vs, ve, sid, ss, se, cls)
            else:
                self._report(vs, ve, lemma, cls, form, sid, ss, se)
        self._finish_clauses()

    def _according(self, vs, ve, sid, ss, se, cls) -> None:
        text = self.text
        m = ACC_NP.match(text, ve, se)
        if not m:
            return
        ns, ne = m.span(1)
        np_text = text[ns:ne]
        if re.fullmatch(PRON_RE, np_text):
            men = self._mention(ns, ne, "pron")
        elif re.fullmatch(NAMED_RE, np_text):
            men = self._mention(ns, ne, "name")
        elif re.fullmatch(ROLE_RE, np_text):
            men = self._mention(ns, ne, "role")
        else:
            men = self._mention(ns, ne, "other")
            if np_text.lower().startswith("the "):
                men.fallback = np_text[4:]
        rep = Report(vs, ve, "according to", cls, sid, men, True)
        pre = text[ss:vs].strip().rstrip(",").strip()
        after = ne
        rest = text[after:se]
        if rest.lstrip().startswith(",") and len(pre.split()) <= 2 and len(rest.strip(" ,.!?")) > 3:
            cs = after + len(rest) - len(rest.lstrip()) + 1
            rep.clause = [cs, se]
            rep.forward = True
        else:
            rep.clause = [self._clause_start(ss), vs]
        self.reports.append(rep)

    def _clause_start(self, ss: int) -> int:
        """Start of a clause running from the sentence start ``ss``: after a dateline."""
        m = DATELINE.match(self.text, ss)
        return m.end() if m is not None else ss

    def _closing_quote_before(self, pos: int, ss: int) -> Quote | None:
        """The quote whose closing mark ends the text before ``pos`` (commas allowed)."""
        j = pos
        text = self.text
        while j > ss and text[j - 1] in " \t,":
            j -= 1
        if j > ss and text[j - 1] in QUOTE_MARKS:
            q = self._qclose.get(j - 1)
            if q is not None:
                return q
            # "...", X said  -> comma after the mark
        if j > ss + 1 and text[j - 1] == "," and text[j - 2] in QUOTE_MARKS:
            return self._qclose.get(j - 2)
        return None

    def _report(self, vs, ve, lemma, cls, form, sid, ss, se) -> None:
        # long: one ordered cascade of attribution rules over a reporting verb; each step falls
        #  through to the next on the same local spans
        text = self.text
        # The subject never contains quotation marks, brackets, semicolons or a spaced
        # dash, and lies after the last comma unless an appositive ends there; search
        # only that tail (a regex anchored at the end costs time per character).
        window_start = lo = max(ss, vs - 120)
        for cm in SUBJ_CUT_RE.finditer(text, lo, vs):
            window_start = cm.end()
        c = text.rfind(",", window_start, vs)
        if c >= 0 and text[c + 1 : vs].strip():
            window_start = c + 1
        found = subject_before(text, window_start, vs)
        if (
            found is not None
            and form == lemma
            and found[2] == "name"
            and " " not in text[found[0] : found[1]]
            and not text[found[1] - 1] == "s"
        ):
            # a bare verb form after one capitalised word that is no plural is a noun
            # use ("Russian state media", "EU report"), not speech
            found = None
        rep: Report | None = None
        if found is not None:
            men = self._mention(*found)
            rep = Report(vs, ve, lemma, cls, sid, men, True)
            subj_start = men.start
            if lemma in NP_ONLY_VERBS:
                # only a quotation opening right after the verb: 'calls for "restraint"'
                if self._lead(rep, ve, se):
                    self.reports.append(rep)
                else:
                    self._drop_mention(men)
                return
            # 1. trailing attribution of a direct quote:  "...," President Vucic said
            q = self._closing_quote_before(subj_start, ss)
            if q is not None and q.direct_like and q.mention is None:
                self._attach(q, rep)
                self._lead(rep, ve, se)
                self.reports.append(rep)
                return
            # 2. leading attribution:  President Putin said "..."
            if self._lead(rep, ve, se):
                self.reports.append(rep)
                return
            # 3. forward clause: that / colon / zero-that
            if self._forward(rep, ve, se):
                self.reports.append(rep)
                return
            # 4. postposed: "<clause>, X said" / "<clause> - X said ..."
            before = text[ss:subj_start].rstrip()
            sep = before.endswith((",", ":", " -", " \u2013", " \u2014"))
            if before and (sep or q is not None) and POST_END.match(text, ve, se):
                rep.clause = [
                    self._clause_start(ss),
                    q.close + 1 if q is not None else ss + len(before) - 1,
                ]
                self.reports.append(rep)
                return
            self._drop_mention(men)
            return
        # no subject before the verb
        q = self._closing_quote_before(vs, ss)
        j = vs
        while j > ss and text[j - 1].isspace():
            j -= 1
        comma = j - 1 if j > ss and text[j - 1] == "," else None
        if (q is not None or comma is not None) and lemma not in NP_ONLY_VERBS:
            ma = SUBJ_AFTER.match(text, ve, se)
            if ma is not None:
                for kind, grp in (("pron", "pron"), ("role", "role"), ("name", "named")):
                    if ma.group(grp) is not None:
                        men = self._mention(ma.start(grp), ma.end(grp), kind)
                        break
                rep = Report(vs, ve, lemma, cls, sid, men, True)
                if q is not None and q.direct_like and q.mention is None:
                    self._attach(q, rep)
                else:
                    j = vs
                    while j > ss and text[j - 1] in " \t":
                        j -= 1
                    rep.clause = [self._clause_start(ss), j - 1 if text[j - 1] == "," else j]
                self.reports.append(rep)
                return
        coord = COORD_TAIL.search(text[max(ss, vs - 20) : vs])
        participle = form.split()[0].endswith("ing") and comma is not None  # "pointing out"
        if coord is not None or participle:
            prev = next(
                (r for r in reversed(self.reports) if r.sent == sid and r.mention is not None), None
            )
            if prev is None:
                return
            rep = Report(vs, ve, lemma, cls, sid, prev.mention, False)
            rep.connector = max(ss, vs - 20) + coord.start() if coord is not None else comma
            if self._lead(rep, ve, se) or self._forward(rep, ve, se):
                self.reports.append(rep)

    def _attach(self, q: Quote, rep: Report) -> None:
        """Attribute the direct quote ``q`` to the speaker and verb of ``rep``."""
        q.mention, q.verb, q.kind = rep.mention, (rep.lemma, rep.cls, rep.vs, rep.ve), "direct"

    def _lead(self, rep: Report, ve: int, se: int) -> bool:
        m = LEAD_QUOTE.match(self.text, ve, se)
        if m is None:
            return False
        q = self._qopen.get(m.end())
        if q is None or q.mention is not None:
            return False
        colon = ":" in m.group()
        first = self.text[q.open + 1 : q.close].lstrip()[:1]
        if colon or first.isupper() or q.direct_like:
            q.kind = "direct"
        q.mention, q.verb = rep.mention, (rep.lemma, rep.cls, rep.vs, rep.ve)
        return True

    def _forward(self, rep: Report, ve: int, se: int) -> bool:
        text = self.text
        if rep.lemma in NP_ONLY_VERBS:
            return False
        m = THAT_RE.match(text, ve, se) or None
        if m is None:
            m = COLON_RE.match(text, ve, se)
            if m is not None and m.end() == ve:
                m = None
        if m is None:
            m = ZERO_THAT.match(text, ve, se)
        if m is None:
            return False
        rep.clause = [m.end(), se]
        rep.forward = True
        return True

    def _finish_clauses(self) -> None:
        """Cut forward clauses at coordinated verbs, extend them over quotes, strip."""
        text = self.text
        by_sent: dict[int, list[Report]] = {}
        for r in self.reports:
            by_sent.setdefault(r.sent, []).append(r)
        for rs in by_sent.values():
            for r in rs:
                if r.clause is None or not r.forward:
                    continue
                cs, ce = r.clause
                for other in rs:
                    if other.connector is not None and other.vs > cs and other.connector < ce:
                        ce = other.connector
                # the clause ends at the sentence end (minus final punctuation) ...
                if ce == self.sents[r.sent][1] and text[ce - 1] in ".!?":
                    ce -= 1
                # ... or later, when it opens a quote that closes in a later sentence
                k = bisect.bisect_left(self._qopens, cs)
                while k < len(self.quotes) and self.quotes[k].open < ce:
                    q = self.quotes[k]
                    if q.close >= ce:
                        se2 = self.sents[self.sent_of(q.close)][1]
                        ce = max(ce, se2 - 1 if text[se2 - 1] in ".!?" else se2)
                    k += 1
                r.clause = [cs, ce]
        for r in self.reports:
            if r.clause is not None:
                cs, ce = strip_span(text, *r.clause)
                r.clause = [cs, ce] if ce > cs else None

    # -- coreference
    def _resolve(self) -> None:
        text = self.text
        by_end = {m.end: m for m in self.mentions if m.kind in ("name", "role")}
        extra: list[Mention] = []
        covered = -1
        for ts, _te, _key in self._titles:
            if ts < covered:
                continue
            pm = PERSON_AT.match(text, ts)
            if pm is None:
                continue
            s, e = pm.span()
            covered = e
            if e in by_end:
                continue
            wb = word_before(text, s)
            if (
                wb is not None
                and NAT_WORD.fullmatch(text, *wb)
                and text[wb[0] : wb[1]].lower() not in STOP_CAPS
            ):
                s = wb[0]
            m = Mention(s, e, text[s:e], "name", sent=self.sent_of(s))
            name, nats, titles, person = parse_named(m.surface)
            if not name:
                continue
            m.name, m.nats, m.titles, m.person = name, nats, titles, person
            m.subject = s == self.sents[m.sent][0]
            extra.append(m)
            by_end[e] = m
        covered = -1
        for hs, e, key in self._heads:
            if hs < covered or e in by_end:
                continue
            nat = word_before(text, hs)
            if nat is None or not NAT_WORD.fullmatch(text, *nat):
                continue
            det = word_before(text, nat[0])
            if det is None or text[det[0] : det[1]] not in ("the", "The"):
                continue
            covered = e
            s = det[0]
            m = Mention(s, e, text[s:e], "role", sent=self.sent_of(s))
            m.nats = (text[nat[0] : nat[1]],)
            head = key.lower()
            m.head = (
                "prime"
                if head.startswith("prime")
                else head.split()[-1]
                if head != "head of state"
                else "leader"
            )
            m.fallback = text[s:e][4:]
            extra.append(m)
            by_end[e] = m
        # subject name mentions: complete them with the title-based parse of the same span
        resolver = Resolver()
        self.references = sorted(self.mentions + extra, key=lambda m: (m.start, m.end))
        for m in self.references:
            resolver.resolve(m)

    # -- quotes without a verb of their own
    def _attribute_quotes(self) -> None:
        clauses = sorted(
            (
                (r.clause[0], r.clause[1], i, r)
                for i, r in enumerate(self.reports)
                if r.clause is not None
            ),
            key=lambda c: (c[0], c[1]),
        )
        starts = [c[0] for c in clauses]
        last_direct: dict[int, Quote] = {}
        for q in self.quotes:
            pid = self.sents[q.sent][2]
            if q.mention is None:
                inner = None
                # the innermost clause containing the quote: among the few clauses that
                # start before it (clauses are sentence-sized; look back at most 8)
                k = bisect.bisect_right(starts, q.open) - 1
                for cs, ce, _i, r in clauses[max(0, k - 7) : k + 1][::-1]:
                    if cs <= q.open and q.close < ce + 1:
                        inner = (cs, ce, r)
                        break
                if inner is not None:
                    r = inner[2]
                    q.mention, q.verb = r.mention, (r.lemma, r.cls, r.vs, r.ve)
                elif q.kind == "direct" and pid in last_direct:
                    p = last_direct[pid]
                    q.mention, q.verb = p.mention, p.verb
            if q.kind == "direct" and q.mention is not None:
                last_direct[pid] = q


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a batch is analysed.

    The analysis allocates many small objects but builds no reference cycles
    (refcounting frees everything); with the collector running, its passes over
    all live objects cost 15-30% of the text layer's time. The previous state is
    restored on exit, also on errors.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyse_docs(ids, texts, sources=None, verb_path=None):
    auto = automaton(verb_path)
    forms = reporting_verbs(verb_path)
    all_sents, analyses = [], []
    for text in texts:
        sents, paras = doc_sentences(text)
        all_sents.append(sents)
        analyses.append(_DocAnalysis(text, sents, paras, auto, forms))
    return all_sents, analyses
