"""The model path's quotes brought to the text layer's conventions.

:func:`refine_quotes` runs after the learned attribution model
(:func:`framelens.text.attribution_layer.model_layer`) and before the voice segments,
so both attribution systems give quotes in one convention:

Content edges
    A ``direct`` content is the text inside its quotation marks (marks, the two
    apostrophes of ``''...''`` and surrounding spaces left out); an ``indirect``
    content starts after a complementiser ``that``
    and ends before a trailing comma or coordinator (``..., and``), as the rule layer
    cuts them. (PolNeAR's annotation includes the ``that``; the strict matching of
    ``framelens evaluate polnear`` is unaffected: overlap/union moves by one word.)
Contents without cue, source or mark
    An ``indirect`` content the model found with neither a cue nor a source, and with
    no quotation mark in it, is no attribution: it is dropped (its words stay author
    voice). On the cross-validated PolNeAR folds such rows were right 32 % of the time;
    dropping them leaves all-attribution F1 unchanged (0.604 -> 0.605) and costs 0.009
    indirect recall (0.408 -> 0.399).
Verbs of several words
    A cue holding a phrasal reporting verb of the lexicon ("often calls for") takes its
    lemma and class ("call for", neutral). A verb whose complement is a noun phrase
    (:data:`framelens.text.words.NP_ONLY_VERBS`) makes no indirect quote, as in the rule
    layer: "Vucic calls for a diplomatic solution" reports a speech act, not speech;
    quoted words after it stay quotes of the speaker.
Nested speech
    A rule-layer quote whose own reporting verb lies inside the content of another
    attribution ("Mr. Vucic said that President Putin said "What is good ...""): the
    model reads the outer attribution only, so the inner quote is taken from the rules
    with its own speaker and verb (replacing the partial row the model made of the same
    words). Its ``speaker_id`` comes from :func:`framelens.text.entities.resolve_speakers`.

Examples
--------
>>> from framelens.text import process
>>> t = '"We will win," Kim Lee said. She said that taxes rise.'
>>> q = process(t, attribution="model")["quotes"]
>>> q[["kind", "text", "speaker"]].astype(str).values.tolist()
[['direct', 'We will win,', 'Kim Lee'], ['indirect', 'taxes rise', 'Kim Lee']]
>>> t = 'Mr. Vucic said that President Putin said "Serbia is a friend."'
>>> q = process(t, attribution="model")["quotes"]
>>> q[["kind", "text", "speaker"]].astype(str).values.tolist()
[['indirect', 'President Putin said "Serbia is a friend."', 'Vucic'], \
['direct', 'Serbia is a friend.', 'Putin']]
"""

from __future__ import annotations

import bisect
import functools
import re

import pandas as pd

from .entities import mentions_of, resolve_speakers
from .verbs import reporting_verbs
from .words import NP_ONLY_VERBS

__all__ = ["refine_quotes", "refine_rows"]

_MARKS = '"\u201c\u201d\u201e\u00ab\u00bb'
_LEAD = re.compile(r"(?:\s|[,:;\u2014\u2013-])*(?:that\b\s*)?", re.I)
_TRAIL = re.compile(r"(?:[\s,;:\u2014\u2013-]|\b(?:and|but|or)\b)*\Z", re.I)
_SPEAKER_COLS = (
    "speaker",
    "speaker_surface",
    "speaker_start",
    "speaker_end",
    "verb",
    "verb_class",
    "verb_start",
    "verb_end",
)


def _edges(text: str, start: int, end: int, kind: str) -> tuple[int, int]:
    """Content edges in the rule layer's convention (module docstring)."""
    if kind == "direct":
        while start < end:
            if text[start].isspace() or text[start] in _MARKS:
                start += 1
            elif text.startswith(("''", "``"), start, end):
                start += 2
            else:
                break
        while end > start:
            if text[end - 1].isspace() or text[end - 1] in _MARKS:
                end -= 1
            elif text.endswith("''", start, end):
                end -= 2
            else:
                break
        return start, end
    if kind != "indirect":
        return start, end
    m = _LEAD.match(text, start, end)
    s2 = m.end() if m and m.end() < end else start
    t = _TRAIL.search(text, s2, end)
    e2 = t.start() if t and t.start() > s2 else end
    return s2, e2


@functools.lru_cache(maxsize=1)
def _phrasal_forms() -> tuple[re.Pattern, dict]:
    """One regex over the phrasal forms of the reporting-verb lexicon, and their
    (lemma, class)."""
    forms = {f: v for f, v in reporting_verbs().items() if " " in f}
    alt = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alt})\b"), forms


def _phrasal(cue: str) -> tuple[str, str] | None:
    """Lemma and class of a phrasal reporting verb in ``cue`` ("often calls for")."""
    if " " not in cue.strip():
        return None
    pat, forms = _phrasal_forms()
    m = pat.search(" ".join(cue.lower().split()))
    return forms[m.group(0)] if m else None


def _fix_row(text: str, r: dict) -> dict | None:
    """One model row in the text layer's conventions, or None when it is no quote."""
    if r["verb_start"] is not None:
        ph = _phrasal(text[int(r["verb_start"]) : int(r["verb_end"])])
        if ph is not None:
            r["verb"], r["verb_class"] = ph
            if ph[0] in NP_ONLY_VERBS and r["kind"] == "indirect":
                return None
    if r["kind"] == "indirect" and r["verb_start"] is None and r["speaker_start"] is None:
        if not any(c in _MARKS for c in text[int(r["start"]) : int(r["end"])]):
            return None  # no cue, no source, no quotation mark: no attribution
    frags = [tuple(int(x) for x in f.split("-")) for f in str(r["content_frags"]).split(";")]
    s, e = _edges(text, int(r["start"]), int(r["end"]), r["kind"])
    if e <= s:
        return r
    frags = [(max(a, s), min(b, e)) for a, b in frags if min(b, e) > max(a, s)] or [(s, e)]
    r["start"], r["end"] = s, e
    r["content_frags"] = ";".join(f"{a}-{b}" for a, b in frags)
    r["text"] = text[s:e]
    return r


def _nested(text: str, rows: list[dict], rules: list[dict], memo=None) -> list[dict]:
    """Rule quotes whose own verb is inside another attribution's content (module
    docstring), replacing the model's row of the same span."""
    for rq in rules:
        vs = rq["verb_start"]
        if vs is None or rq["speaker_start"] is None or rq["kind"] == "partial":
            continue
        outer = [
            r
            for r in rows
            if r["kind"] == "indirect"
            and r["start"] <= vs < r["end"]
            and r["verb_start"] is not None
            and not (r["start"] <= r["verb_start"] < r["end"])
            and (r["start"], r["end"]) != (rq["start"], rq["end"])
        ]
        if not outer:
            continue
        same = [r for r in rows if (r["start"], r["end"]) == (rq["start"], rq["end"])]
        src = (int(rq["speaker_start"]), int(rq["speaker_end"]))
        ent = resolve_speakers(text, [{"source": src}], mentions=memo)[0]
        new = dict(same[0] if same else outer[0])
        new.update({c: rq[c] for c in _SPEAKER_COLS})
        new.update({"start": rq["start"], "end": rq["end"], "kind": rq["kind"], "text": rq["text"]})
        new.update(
            content_frags=f"{rq['start']}-{rq['end']}",
            attribution="speech",
            speaker_id=ent["speaker_id"],
            speaker_type=ent["speaker_type"],
        )
        rows = [r for r in rows if r not in same] + [new]
    return rows


_SPK = ("speaker", "speaker_surface", "speaker_start", "speaker_end", "speaker_id", "speaker_type")


def _inherit(text: str, rows: list[dict], sent_starts: list[int], memo=None) -> list[dict]:
    """Speakers for attributions with a cue but no source (module docstring)."""

    def sent(pos):
        return bisect.bisect_right(sent_starts, pos) - 1

    ments = None
    for r in rows:
        if r["speaker_start"] is not None or r["verb_start"] is None or r["kind"] == "partial":
            continue
        vs, si = r["verb_start"], sent(r["verb_start"])
        prev = [
            o
            for o in rows
            if o is not r
            and o["speaker_start"] is not None
            and o["verb_start"] is not None
            and o["verb_start"] < vs
            and sent(o["verb_start"]) == si
        ]
        if prev:
            src = max(prev, key=lambda o: o["verb_start"])
            r.update({c: src[c] for c in _SPK})
            continue
        if ments is None:
            ments = mentions_of(text, memo)[0]
        s0 = sent_starts[si] if si >= 0 else 0
        first = [m for m in ments if s0 <= m["start"] < vs]
        if first:
            span = (first[0]["start"], first[0]["end"])
            ent = resolve_speakers(text, [{"source": span}], mentions=memo)[0]
            r.update(
                speaker=ent["speaker"],
                speaker_surface=" ".join(text[span[0] : span[1]].split()),
                speaker_start=span[0],
                speaker_end=span[1],
                speaker_id=ent["speaker_id"],
                speaker_type=ent["speaker_type"],
            )
    for r in rows:  # quoted words inside an indirect clause: its speaker
        if r["kind"] == "partial" and r["speaker_start"] is None:
            outer = [
                o
                for o in rows
                if o["kind"] == "indirect"
                and o["start"] <= r["start"] < o["end"]
                and o["verb_start"] == r["verb_start"]
                and o["speaker_start"] is not None
            ]
            if outer:
                r.update({c: outer[0][c] for c in _SPK})
    return rows


def _records(df: pd.DataFrame, cols) -> list[dict]:
    """Rows of ``df[cols]`` as dicts, missing values as None (column-wise: fast)."""
    lists = []
    for c in cols:
        v = df[c].astype(object)
        lists.append(v.where(v.notna(), None).tolist())
    return [dict(zip(cols, vals)) for vals in zip(*lists)]


def refine_quotes(
    ids,
    texts,
    quotes: pd.DataFrame,
    rule_quotes: pd.DataFrame,
    *,
    sentences=None,
    mentions: dict | None = None,
) -> pd.DataFrame:
    """The model path's ``quotes`` in the text layer's conventions (module docstring).

    Parameters
    ----------
    ids, texts : sequences
        Document ids and texts.
    quotes : DataFrame
        The model path's quotes (:func:`framelens.text.attribution_layer.model_quote_frame`).
    rule_quotes : DataFrame
        The rule layer's quotes of the same documents.
    sentences : DataFrame, optional, keyword-only
        The sentences table (for speakers of attributions without a source).
    mentions : dict, optional, keyword-only
        Person mentions per text, shared with
        :func:`framelens.text.attribution_layer.model_quote_frame` (see
        :func:`framelens.text.entities.resolve_speakers`).

    Returns
    -------
    DataFrame
        Same columns, rows sorted by start (longest first) and ``quote_id`` renumbered
        per document; ``sent_id`` kept from the row's start.
    """
    if not len(quotes):
        return quotes
    cols = list(quotes.columns)
    dtypes = {c: quotes[c].dtype for c in cols}
    rows = _records(quotes, cols)
    return refine_rows(
        ids, texts, rows, rule_quotes, cols, dtypes, sentences=sentences, mentions=mentions
    )


def refine_rows(
    ids, texts, as_rows, rule_quotes, cols, dtypes, *, sentences=None, mentions=None
) -> pd.DataFrame:
    """:func:`refine_quotes` of quotes given as rows (dicts with the ``cols`` keys,
    missing values None), the table built with ``dtypes``: the model path hands its
    rows over without building the table in between
    (:func:`framelens.text.attribution_layer.model_rows`)."""
    text_of = dict(zip(ids, texts))
    rq = _records(rule_quotes, ["doc_id", "start", "end", "kind", "text", *_SPEAKER_COLS])
    by_doc: dict = {}
    for r in rq:
        by_doc.setdefault(r["doc_id"], []).append(r)
    per_doc: dict = {}
    for r in as_rows:
        per_doc.setdefault(r["doc_id"], []).append(r)
    starts: dict = {}
    if sentences is not None and len(sentences):
        for d, st in zip(sentences["doc_id"], sentences["start"]):
            starts.setdefault(d, []).append(int(st))
    out: list[dict] = []
    for did, rows in per_doc.items():
        text = text_of[did]
        fixed = [f for f in (_fix_row(text, dict(r)) for r in rows) if f is not None]
        fixed = _nested(text, fixed, by_doc.get(did, []), mentions)
        fixed = _inherit(text, fixed, starts.get(did, [0]), mentions)
        fixed.sort(key=lambda r: (r["start"], -r["end"]))
        for qid, r in enumerate(fixed):
            r["quote_id"] = qid
        out.extend(fixed)
    frame = pd.DataFrame(out, columns=cols)
    for c in cols:  # the dtypes of the model's table
        frame[c] = frame[c].astype(dtypes[c])
    return frame.reset_index(drop=True)
