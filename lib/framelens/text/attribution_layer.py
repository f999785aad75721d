"""Quotes from the learned attribution model, with the rule layer outside its windows.

:func:`model_quote_frame` turns the model's attributions
(:func:`framelens.text.attribution_model.tag_document`) and the rule layer's quotes
into one ``quotes`` table: the columns of :data:`framelens.core.schema.QUOTE_COLUMNS`
plus ``attribution`` (kind of attribution), ``speaker_id``, ``speaker_type`` and
``content_frags`` (``"s-e;s-e"``: a content may be discontinuous; ``start``/``end``
are its extent).

Rows
    A content wholly inside double quotation marks is ``direct``; any other content is
    ``indirect``, and each quoted stretch inside it is also a ``partial`` row with the
    same speaker (as the rule layer does), so voice segments treat quoted words as
    quoted. A model content that touches a quotation covers all of it, marks
    included (:func:`complete_quotes`): the model may tag only part of a short quote,
    or only its closing mark, and a quotation is one speaker's words. A grown content is
    then cut where a quotation stands as a sentence of its own (:func:`split_quotes`:
    the words before it end with a sentence end or a colon, or its quoted words end a
    sentence and the content runs on past the closing mark); each cut-off piece stays
    an attribution of its own with the same source and cue. On the cross-validated
    PolNeAR folds this lifts pure-quote recall from 0.923 to 0.941. Rule-layer quotes
    that start outside every model window are kept as they
    are; inside a window, the rule layer's reported speech that no model row touches
    (neither its content nor its verb overlaps a model content or cue, and it has a
    speaker and a verb: :func:`_untouched_rule_indirect`) is kept too. The CRF rarely
    tags a content *before* its tag ("The vote will be held in March, the commission
    said."), a wire-news shape that PolNeAR's long US articles seldom have (in 150
    training articles, 8 of the 293 unquoted contents whose cue holds said / says /
    told come before it); on the same 5 cross-validated folds keeping these rows moves
    indirect recall 0.407 -> 0.411, precision 0.642 -> 0.639, all-attribution F1
    0.6325 -> 0.6334 (0.6335 with :func:`_content_from_the_cue_sentence`). A model
    content without a source takes the speaker (and, without a cue, the
    verb) of the rule quote that overlaps it most.
Attribution kinds (:func:`attribution_kind`)
    ``evidential`` when the cue contains "according to", or the source is a document
    (a report, poll, statement ...), or the cue is an evidential verb (show, find,
    indicate, reveal, suggest, estimate, project) with a source that is no person;
    ``cognition`` when a cue word is a verb or noun of mental state (think, believe,
    feel, know, want, hope, fear, expect, worry, doubt, assume, consider, wonder,
    suspect, understand, realise, view, belief, concern ...); else ``speech``.
    The voice partition (``segments``) counts speech and evidentials as reported voice;
    an indirect cognition stays author voice (its quoted words stay quoted).

Examples
--------
>>> import pandas as pd
>>> from framelens.text import process
>>> t = 'Polls show Clinton ahead. "We will win," Kim Smith said.'
>>> q = process(t, attribution="model")["quotes"]
>>> q[["kind", "attribution", "speaker", "speaker_type"]].astype(str).values.tolist()
[['indirect', 'evidential', 'Polls', 'document'], ['direct', 'speech', 'Kim Smith', 'person']]
"""

from __future__ import annotations

import bisect
import re

import pandas as pd

from framelens.core import schema

from .attribution_features import QUOTE_MARK_RE, quote_intervals
from .attribution_model import tag_documents
from .entities import resolve_speakers
from .quotations import problem_frame
from .segmentation import sentence_frame
from .tables import table_frame
from .verbs import reporting_verbs
from .voice import segment_frame, voice_of

__all__ = [
    "ATTRIBUTION_KINDS",
    "EXTRA_COLUMNS",
    "attribution_kind",
    "complete_quotes",
    "split_quotes",
    "model_quote_frame",
    "model_rows",
    "rows_frame",
    "model_layer",
]

#: Kinds of attribution (``quotes.attribution``).
ATTRIBUTION_KINDS = ("speech", "cognition", "evidential")
#: Columns the model's quotes table has beyond ``QUOTE_COLUMNS``.
EXTRA_COLUMNS = ("attribution", "speaker_id", "speaker_type", "content_frags")
_COGNITION = frozenset(
    """think thinks thought thinking believe believes believed believing belief beliefs feel
feels felt feeling know knows knew known want wants wanted hope hopes hoped hoping fear
fears feared worry worries worried expect expects expected doubt doubts doubted assume
assumes assumed consider considers considered wonder wonders wondered suspect suspects
suspected understand understands understood realize realizes realized realise realised
view views viewed concern concerns concerned convinced sure aware confident skeptical
sceptical imagine imagines imagined guess guessed decide decided plan plans planned
intend intends intended like likes liked love loves hate hates prefer prefers""".split()
)
_EVIDENTIAL_VERBS = frozenset(
    """show shows showed shown find finds found indicate indicates indicated reveal reveals
revealed suggest suggests suggested estimate estimates estimated project projects
projected""".split()
)
_CUE_WORD = re.compile(r"[A-Za-z]+")
_ALNUM = re.compile(r"[^\W_]+")  # runs of exactly the characters str.isalnum accepts


def attribution_kind(cue: str, source_type: str | None) -> str:
    """Attribution kind of a cue and its source's type (module docstring).

    Examples
    --------
    >>> attribution_kind("said", "person"), attribution_kind("believes", "person")
    ('speech', 'cognition')
    >>> attribution_kind("according to", "person"), attribution_kind("found", "document")
    ('evidential', 'evidential')
    """
    words = [w.lower() for w in _CUE_WORD.findall(cue or "")]
    if "according" in words or source_type == "document":
        return "evidential"
    if any(w in _EVIDENTIAL_VERBS for w in words) and source_type not in ("person", "role"):
        return "evidential"
    if any(w in _COGNITION for w in words):
        return "cognition"
    return "speech"


def _verb(cue: str) -> tuple[str | None, str | None]:
    rv = reporting_verbs()
    low = " ".join(cue.lower().split())
    if "according to" in low:
        return "according to", rv.get("according to", ("according to", "neutral"))[1]
    for w in _CUE_WORD.findall(low):
        if w in rv:
            return rv[w]
    return (low or None), None


def _mark_len(text: str, i: int) -> int:
    """Length of the quotation mark at ``i`` (2 for ``''`` and ``````, else 1); for a
    closing mark ending at ``j`` pass ``j - 2``."""
    return 2 if text[max(i, 0) : i + 2] in ("''", "``") else 1


def _n_alnum(text: str, start: int, end: int) -> int:
    """Alphanumeric characters (``str.isalnum``) in ``text[start:end]``."""
    return sum(map(len, _ALNUM.findall(text, start, end))) if end > start else 0


def _inside(starts: list, spans: list, pos: int) -> bool:
    """Whether ``pos`` is inside one of the sorted disjoint ``spans`` (starts given)."""
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and pos < spans[k][1]


def _touching(spans: list, ends: list, s: int, e: int) -> list:
    """The sorted disjoint ``spans`` (ends given) that overlap ``[s, e)``, in order."""
    out = []
    for k in range(bisect.bisect_right(ends, s), len(spans)):
        if spans[k][0] >= e:
            break
        out.append(spans[k])
    return out


def _overlap(a, b) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _merge_rules(text, sents, rule_rows, model_rows):
    """Model rows completed from rule quotes, plus rule quotes outside the windows."""
    for r in model_rows:
        if r["source"] is not None and r["cue"] is not None:
            continue
        best, score = None, 0
        for q in rule_rows:
            ov = _overlap(r["content"], [(q["start"], q["end"])])
            if ov > score and q.get("speaker_start") is not None:
                best, score = q, ov
        if best is not None:
            if r["source"] is None:
                r["source"] = (int(best["speaker_start"]), int(best["speaker_end"]))
            if r["cue"] is None and best.get("verb_start") is not None:
                r["cue"] = (int(best["verb_start"]), int(best["verb_end"]))
    return model_rows


def _content_from_the_cue_sentence(text, sents, rule_rows, model_rows) -> None:
    """A model content wholly in the sentences before its cue's sentence, where the rule
    layer reads the same cue with reported speech inside the cue's sentence, takes the
    rule content ("The deal runs for three years. The economy grew, officials said.": the
    content is "The economy grew", not the sentence before). A content with a quotation
    mark is left as it is. In place."""
    starts = [a for a, _, _ in sents]
    for r in model_rows:
        if r["cue"] is None:
            continue
        k = bisect.bisect_right(starts, r["cue"][0]) - 1
        if k < 0 or max(e for _, e in r["content"]) > sents[k][0]:
            continue
        if any(QUOTE_MARK_RE.search(text, a, b) for a, b in r["content"]):
            continue  # a quotation before its tag stays the quotation
        for q in rule_rows:
            vs = q.get("verb_start")
            if (
                vs is not None
                and q["kind"] == "indirect"
                and _overlap([r["cue"]], [(int(vs), int(q["verb_end"]))])
                and sents[k][0] <= q["start"] < q["end"] <= sents[k][1]
            ):
                r["content"] = [(q["start"], q["end"])]
                break


def _untouched_rule_indirect(rule_rows, model_rows, cov_s, covered) -> list:
    """Rule-layer reported speech inside the model's windows that no model row touches:
    neither its content nor its verb overlaps a model content or cue."""
    spans = [f for r in model_rows for f in r["content"]]
    spans += [r["cue"] for r in model_rows if r["cue"] is not None]
    out = []
    for q in rule_rows:
        if q["kind"] != "indirect" or not _inside(cov_s, covered, q["start"]):
            continue
        if q.get("speaker_start") is None or q.get("verb_start") is None:
            continue
        mine = [(q["start"], q["end"]), (int(q["verb_start"]), int(q["verb_end"]))]
        if not _overlap(mine, spans):
            out.append(q)
    return out


def complete_quotes(frags: list, qiv: list, q_ends: list) -> list:
    """Content fragments grown to cover every quotation they touch, marks included
    (module docstring); overlapping fragments merged.

    Examples
    --------
    >>> complete_quotes([(13, 14)], [(0, 14)], [14])
    [(0, 14)]
    >>> complete_quotes([(3, 9), (20, 25)], [(8, 12)], [12])
    [(3, 12), (20, 25)]
    """
    grown = []
    for s, e in frags:
        for a, b in _touching(qiv, q_ends, s, e):
            s, e = min(s, a), max(e, b)
        grown.append((s, e))
    grown.sort()
    out = [grown[0]] if grown else []
    for s, e in grown[1:]:
        if s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


_CUT_BEFORE = ".!?:\n"  # a quotation after these opens a sentence of its own
_QUOTE_TAIL = "\"'\u201d\u00bb\u2019 "


def split_quotes(text: str, frags: list, qiv: list, q_ends: list) -> list:
    """A content cut where its quotations stand as sentences of their own (module
    docstring): the pieces, the one holding the quotations first.

    Cut before the first quotation it touches when the words before it end with a
    sentence end or a colon (``... chanting. "Lock her up!"``, ``... wrote: "..."``),
    and after the last one when the quoted words end a sentence (``"... for good."
    and shared a link``). Pieces without a letter or digit are left out.

    Examples
    --------
    >>> t = 'The crowd roared. "Lock her up!" they chanted.'
    >>> split_quotes(t, [(0, 32)], [(18, 32)], [32])
    [[(18, 32)], [(0, 18)]]
    >>> split_quotes('He said "no" to it.', [(0, 18)], [(8, 12)], [12])
    [[(0, 18)]]

    A quotation in a gap between the content's fragments is not the content's:

    >>> t = 'We met. "Go home." Then he left town.'
    >>> split_quotes(t, [(0, 7), (19, 36)], [(8, 18)], [18])
    [[(0, 7), (19, 36)]]
    """
    lo, hi = frags[0][0], frags[-1][1]
    # the quotations the fragments themselves touch (not one in a gap between them)
    touch = sorted({q for s, e in frags for q in _touching(qiv, q_ends, s, e)})
    if not touch:
        return [frags]
    a, b = touch[0][0], touch[-1][1]
    head = text[lo:a].rstrip(" \t")
    cut_l = lo < a and (head[-1:] in _CUT_BEFORE)
    cut_r = hi > b and text[a:b].rstrip(_QUOTE_TAIL)[-1:] in (".", "!", "?")
    if not (cut_l or cut_r):
        return [frags]
    ms, me = (a if cut_l else lo), (b if cut_r else hi)
    pieces = [[(max(s, ms), min(e, me)) for s, e in frags if min(e, me) > max(s, ms)]]
    if not pieces[0]:  # nothing of the content lies between the cuts: leave it whole
        return [frags]
    if cut_l:
        pieces.append([(s, min(e, a)) for s, e in frags if s < a])
    if cut_r:
        pieces.append([(max(s, b), e) for s, e in frags if e > b])
    return [pieces[0]] + [p for p in pieces[1:] if _n_alnum(text, p[0][0], p[-1][1])]


def _model_kind(frags, touch, n_all: int, quoted: int) -> str:
    """``direct`` when every letter and digit of a content is inside quotation marks (a
    content with none, "🔥" or "!!!", when it lies wholly inside them), else
    ``indirect``."""
    if n_all:
        return "direct" if quoted == n_all else "indirect"
    inside = all(any(a <= s and e <= b for _, _, a, b in touch) for s, e in frags)
    return "direct" if inside else "indirect"


def _doc_rows(did, text, sents, rule_rows, model_rows, covered, memo=None, qiv=None):
    if qiv is None:  # disjoint: alnum characters are counted per fragment
        qiv = quote_intervals(text)
    q_ends = [b for _, b in qiv]
    if qiv:
        for r in model_rows:
            r["content"] = complete_quotes(r["content"], qiv, q_ends)
        extra = []
        for r in model_rows:
            pieces = split_quotes(text, r["content"], qiv, q_ends)
            r["content"] = pieces[0]
            extra += [dict(r, content=p) for p in pieces[1:]]
        model_rows = model_rows + extra
    rows = _merge_rules(text, sents, rule_rows, model_rows)
    _content_from_the_cue_sentence(text, sents, rule_rows, rows)
    cov_s = [s for s, _ in covered]  # windows: sorted, disjoint
    kept = [q for q in rule_rows if not _inside(cov_s, covered, q["start"])]
    kept += _untouched_rule_indirect(rule_rows, rows, cov_s, covered)
    for q in kept:
        ss = q.get("speaker_start")
        rows.append(
            {
                "content": [(q["start"], q["end"])],
                "source": (int(ss), int(q["speaker_end"])) if ss is not None else None,
                "cue": (int(q["verb_start"]), int(q["verb_end"]))
                if q.get("verb_start") is not None
                else None,
                "rule_kind": q["kind"],
            }
        )
    rows = resolve_speakers(text, rows, mentions=memo) if rows else rows
    sent_starts = [s for s, _, _ in sents] or [0]
    out = []
    for r in rows:
        frags = r["content"]
        st, en = frags[0][0], max(e for _, e in frags)
        n_all = sum(_n_alnum(text, s, e) for s, e in frags)
        touch = [(s, e, a, b) for s, e in frags for a, b in _touching(qiv, q_ends, s, e)]
        quoted = sum(_n_alnum(text, max(s, a), min(e, b)) for s, e, a, b in touch)
        kind = r.get("rule_kind") or _model_kind(frags, touch, n_all, quoted)
        inside = []
        if kind == "indirect" and quoted and "rule_kind" not in r:
            inside = [
                (max(s, a + _mark_len(text, a)), min(e, b - _mark_len(text, b - 2)))
                for s, e, a, b in touch
            ]
        cue = text[r["cue"][0] : r["cue"][1]] if r["cue"] else ""
        verb, vclass = _verb(cue) if cue else (None, None)
        src = r["source"]
        base = {
            "speaker": r["speaker"],
            "speaker_surface": " ".join(text[src[0] : src[1]].split()) if src else None,
            "speaker_start": src[0] if src else None,
            "speaker_end": src[1] if src else None,
            "speaker_actor": None,
            "verb": verb,
            "verb_class": vclass,
            "verb_start": r["cue"][0] if r["cue"] else None,
            "verb_end": r["cue"][1] if r["cue"] else None,
            "attribution": attribution_kind(cue, r["speaker_type"]),
            "speaker_id": r["speaker_id"],
            "speaker_type": r["speaker_type"],
        }
        frag_str = ";".join(f"{a}-{b}" for a, b in frags)
        out.append((st, en, kind, frag_str, base))
        for s, e in inside:
            if e > s:
                out.append((s, e, "partial", f"{s}-{e}", base))
    out.sort(key=lambda x: (x[0], -x[1]))
    res = []
    for qid, (st, en, kind, frag_str, base) in enumerate(out):
        sid = bisect.bisect_right(sent_starts, st) - 1
        res.append(
            {"doc_id": did, "quote_id": qid, "sent_id": max(sid, 0), "start": st, "end": en}
            | {"text": text[st:en], "kind": kind, "content_frags": frag_str}
            | base
        )
    return res


def model_quote_frame(
    ids, texts, all_sents, rule_quotes: pd.DataFrame, model, *, mentions: dict | None = None
) -> pd.DataFrame:
    """The ``quotes`` table of the model path (module docstring).

    Parameters
    ----------
    ids, texts : sequences
        Document ids and texts.
    all_sents : sequence of lists of (start, end, para_id)
        Each document's sentences.
    rule_quotes : DataFrame
        The rule layer's quotes table for the same documents.
    model : dict
        From :func:`framelens.text.attribution_model.load_model`.
    mentions : dict, optional, keyword-only
        A memo of person mentions per text, filled here and reused by
        :func:`framelens.text.refine.refine_quotes` (see
        :func:`framelens.text.entities.resolve_speakers`).

    Returns
    -------
    DataFrame
        ``QUOTE_COLUMNS`` plus :data:`EXTRA_COLUMNS`.
    """
    rows = model_rows(ids, texts, all_sents, rule_quotes, model, mentions=mentions)
    return rows_frame(rows)


def rows_frame(rows: list[dict]) -> pd.DataFrame:
    """The ``quotes`` table (``QUOTE_COLUMNS`` plus :data:`EXTRA_COLUMNS`) of rows as
    :func:`model_rows` gives them."""
    cols = {c: [r[c] for r in rows] for c in schema.QUOTE_COLUMNS}
    frame = table_frame("quotes", cols)
    for c in EXTRA_COLUMNS:
        frame[c] = pd.Series([r[c] for r in rows], dtype="string", index=frame.index)
    return frame


def model_rows(ids, texts, all_sents, rule_quotes, model, *, mentions=None) -> list[dict]:
    """The rows of :func:`model_quote_frame`, one dict per quote, before the table is
    built (its values as the table would give them back, missing ones None)."""
    by_doc: dict[str, list[dict]] = {}
    if len(rule_quotes):
        cols = ["doc_id", "start", "end", "kind", "speaker_start", "speaker_end"]
        cols += ["verb_start", "verb_end"]
        recs = rule_quotes[cols].astype(object).where(rule_quotes[cols].notna(), None)
        for r in recs.to_dict("records"):
            by_doc.setdefault(r["doc_id"], []).append(r)
    rows: list[dict] = []
    rqs = [by_doc.get(did, []) for did in ids]
    qivs = [quote_intervals(t) for t in texts]
    tagged = tag_documents(texts, all_sents, rqs, model, intervals=qivs)
    for did, text, sents, rq, (mrows, covered), qiv in zip(
        ids, texts, all_sents, rqs, tagged, qivs
    ):
        rows.extend(_doc_rows(did, text, sents, rq, mrows, covered, mentions, qiv))
    return rows


def model_layer(ids, texts, sources, all_sents, analyses, rule_quotes, model) -> dict:
    """The text layer's tables with the model's quotes (``process(attribution="model")``).

    Sentences and problems are the rule layer's; quotes come from
    :func:`model_quote_frame`; voice segments are ``quoted`` inside direct and partial
    quotes and ``reported`` inside indirect speech and evidentials; an indirect
    cognition ("Kim believes ...") stays author voice
    (:func:`framelens.text.voice.voice_of`).
    """
    q = model_quote_frame(ids, texts, all_sents, rule_quotes, model)
    by: dict = {}
    cols = (q[c].tolist() for c in ("doc_id", "start", "end", "kind", "attribution", "quote_id"))
    for did, s, e, k, a, i in zip(*cols):
        v = voice_of(k, a)
        if v is not None:
            by.setdefault(did, []).append((int(s), int(e), v, int(i)))
    spans_per_doc = [by.get(did, []) for did in ids]
    return {
        "sentences": sentence_frame(ids, texts, all_sents),
        "quotes": q,
        "segments": segment_frame(ids, texts, spans_per_doc),
        "problems": problem_frame(ids, texts, sources, analyses),
    }
