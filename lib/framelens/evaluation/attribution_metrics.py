"""Attribution metrics: predicted against annotated content, cue and source spans.

Tables (one row per attribution): ``doc_id`` and ``content_frags`` (``"s-e;s-e"``) or
``content_start``/``content_end``; ``cue_*`` and ``source_*`` likewise (missing = none);
predictions may add ``speaker`` (the resolved name). Everything below is computed from
the text, identically for gold and predictions.

Span normalisation
    Each content fragment is trimmed of surrounding whitespace, quotation marks and
    ``, . ; : ! ?``, so spans with and without the marks compare equal.
Kind of a content span
    Over its alphanumeric characters: all inside double quotation marks
    (:func:`framelens.text.attribution_features.quote_intervals`) -> ``direct``; none ->
    ``indirect``; some -> ``mixed``.
Matching
    Per document, one-to-one (Hungarian assignment). Strict: overlap/union of the
    normalised character sets >= 0.5 (maximising total overlap/union). Lenient: any
    overlap (maximising overlap).
P/R/F1 by kind
    One matching over all attributions; recall of kind K = matched gold of kind K / gold
    of kind K; precision of K = matched predictions whose own span is of kind K /
    predictions of kind K.
Speaker (over strict-matched pairs whose gold has a source)
    ``spk_exact``: normalised (case, whitespace, edge punctuation) predicted source
    surface equals the gold source text. ``spk_head``: the gold head word -- the last
    word of the gold source before its first comma, parenthesis, dash or relative /
    preposition (``"Haley Morris, a spokeswoman"`` -> ``morris``) -- is among the words
    of the predicted surface or resolved speaker. ``no_speaker``: share of those pairs
    whose prediction has no source.
Pronoun speakers (over strict-matched pairs whose gold source is a personal pronoun)
    The annotation has no coreference, so the gold antecedent is a proxy: the nearest
    preceding gold source in the document that is neither a pronoun nor who/which/that.
    It ignores gender and may pick an unrelated earlier source, so the figure is a
    lower bound. ``pron_resolved``: the predicted resolved speaker contains the head
    word of the proxy antecedent. ``pron_mention``: the predicted source surface is
    the gold pronoun.
Cue (over strict-matched pairs with a gold cue)
    ``cue_exact``: normalised cue texts equal.

Examples
--------
>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a"], "text": ['Kim said "no way".']})
>>> gold = pd.DataFrame({"doc_id": ["a"], "content_frags": ["9-17"], "cue_frags": ["4-8"],
...                      "source_frags": ["0-3"]})
>>> pred = gold.assign(speaker="Kim")
>>> m = attribution_scores(gold, pred, docs)
>>> m["direct_F1"], m["spk_exact"], m["cue_exact"]
(1.0, 1.0, 1.0)
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from framelens.text.attribution_features import PRONOUNS, quote_mask

__all__ = ["attribution_scores", "head_token", "span_kind", "KINDS"]

#: Kinds of content span.
KINDS = ("direct", "mixed", "indirect")
_EDGE = " \t\r\n\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019`,.;:!?"
_HEAD_CUT = re.compile(
    r",|\(|\s[-\u2013\u2014]\s|\s(?:who|which|that|of|at|for|from|with|in)\s", re.I
)
_WORD = re.compile(r"[\w'\u2019.\-]+")
_RELATIVES = ("who", "which", "that")


def span_kind(text: str, mask: np.ndarray, frags) -> str:
    """``direct`` / ``mixed`` / ``indirect`` of fragments (module docstring).

    Examples
    --------
    >>> t = 'a "b c" d'
    >>> span_kind(t, quote_mask(t), [(3, 6)]), span_kind(t, quote_mask(t), [(0, 9)])
    ('direct', 'mixed')
    """
    inside = total = 0
    for s, e in frags:
        for i, ch in enumerate(text[s:e]):
            if ch.isalnum():
                total += 1
                inside += bool(mask[s + i])
    if total == 0 or inside == 0:
        return "indirect"
    return "direct" if inside == total else "mixed"


def _norm_frags(text: str, frags) -> list[tuple[int, int]]:
    out = []
    for s, e in frags:
        while s < e and text[s] in _EDGE:
            s += 1
        while e > s and text[e - 1] in _EDGE:
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _norm_text(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip(_EDGE).lower()


def head_token(s: str) -> str:
    """The head word of a source phrase (module docstring).

    Examples
    --------
    >>> head_token("Haley Morris, a spokeswoman"), head_token("the chairman of the RNC")
    ('morris', 'chairman')
    """
    s = _HEAD_CUT.split(s, maxsplit=1)[0]
    ws = [re.sub(r"['\u2019]s$", "", w.strip(".'\u2019").lower()) for w in _WORD.findall(s)]
    ws = [w for w in ws if w]
    return ws[-1] if ws else ""


def _words(s) -> set[str]:
    if not isinstance(s, str):
        return set()
    return {re.sub(r"['\u2019]s$", "", w.strip(".'\u2019").lower()) for w in _WORD.findall(s)}


def _frags_of(row: dict, prefix: str) -> list[tuple[int, int]]:
    f = row.get(prefix + "_frags")
    if isinstance(f, str) and f:
        return [tuple(int(x) for x in p.split("-")) for p in f.split(";")]
    s, e = row.get(prefix + "_start"), row.get(prefix + "_end")
    if s is None or e is None or pd.isna(s) or pd.isna(e):
        return []
    return [(int(s), int(e))]


def _prepare(table: pd.DataFrame, texts, masks, keep_speaker: bool) -> dict[str, list[dict]]:
    per: dict[str, list[dict]] = {}
    for row in table.to_dict("records"):
        t = texts[row["doc_id"]]
        cf = _norm_frags(t, _frags_of(row, "content"))
        if not cf:
            continue
        sf, qf = _frags_of(row, "source"), _frags_of(row, "cue")
        spk = row.get("speaker") if keep_speaker else None
        per.setdefault(row["doc_id"], []).append(
            {
                "frags": cf,
                "len": sum(e - s for s, e in cf),
                "start": cf[0][0],
                "kind": span_kind(t, masks[row["doc_id"]], cf),
                "source": " ".join(t[s:e] for s, e in sf),
                "source_start": sf[0][0] if sf else None,
                "cue": " ".join(t[s:e] for s, e in qf),
                "speaker": spk if isinstance(spk, str) else None,
            }
        )
    return per


def _inter(a, b) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _assign(g, p, strict: bool) -> list[tuple[int, int]]:
    if not g or not p:
        return []
    m = np.zeros((len(g), len(p)))
    for i, a in enumerate(g):
        for j, b in enumerate(p):
            if b["frags"][0][0] > a["frags"][-1][1] or b["frags"][-1][1] < a["frags"][0][0]:
                continue
            inter = _inter(a["frags"], b["frags"])
            if inter and strict:
                iou = inter / (a["len"] + b["len"] - inter)
                m[i, j] = iou if iou >= 0.5 else 0
            elif inter:
                m[i, j] = inter
    if not m.any():
        return []
    r, c = linear_sum_assignment(-m)
    return [(i, j) for i, j in zip(r, c) if m[i, j] > 0]


def _prf(tp_p, n_p, tp_r, n_g) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else float("nan")
    r = tp_r / n_g if n_g else float("nan")
    f = 2 * p * r / (p + r) if n_p and n_g and (p + r) > 0 else 0.0
    return p, r, f


def _proxy_antecedent(g: list[dict], i: int) -> str | None:
    a = g[i]
    for k in range(i - 1, -1, -1):
        s2 = _norm_text(g[k]["source"])
        if (
            s2
            and s2 not in PRONOUNS
            and s2 not in _RELATIVES
            and (g[k]["source_start"] or 0) < (a["source_start"] or 0)
        ):
            return head_token(g[k]["source"])
    return None


def _pair_scores(g, p, pairs, acc) -> None:
    for i, j in pairs:
        a, b = g[i], p[j]
        if a["cue"]:
            acc["cue_n"] += 1
            acc["cue_ok"] += _norm_text(a["cue"]) == _norm_text(b["cue"])
        if not a["source"]:
            continue
        acc["spk_n"] += 1
        ps, gs = _norm_text(b["source"]), _norm_text(a["source"])
        acc["spk_none"] += not ps
        acc["spk_exact"] += ps == gs and ps != ""
        h = head_token(a["source"])
        acc["spk_head"] += bool(h) and h in (_words(b["source"]) | _words(b["speaker"]))
        if gs in PRONOUNS:
            acc["pron_n"] += 1
            ante = _proxy_antecedent(g, i)
            acc["pron_res"] += bool(ante) and ante in _words(b["speaker"])
            acc["pron_ment"] += ps == gs


def attribution_scores(gold: pd.DataFrame, pred: pd.DataFrame, docs: pd.DataFrame, doc_ids=None):
    """Every metric of the module docstring for ``pred`` against ``gold``.

    Parameters
    ----------
    gold, pred : DataFrame
        Attribution tables (module docstring).
    docs : DataFrame
        ``doc_id``, ``text``.
    doc_ids : iterable, optional
        Score only these documents (default all of ``docs``).

    Returns
    -------
    dict
        ``all_*``, ``direct_*``, ``mixed_*``, ``indirect_*`` with ``P``/``R``/``F1``
        (strict) and ``lP``/``lR``/``lF1`` (lenient); ``spk_exact``, ``spk_head``,
        ``no_speaker``, ``pron_resolved``, ``pron_mention``, ``cue_exact``; counts
        ``n_gold``, ``n_pred``, ``n_pron``, ``n_gold_<kind>``.
    """
    ids = set(docs["doc_id"] if doc_ids is None else doc_ids)
    texts = {d: t for d, t in zip(docs["doc_id"], docs["text"]) if d in ids}
    masks = {d: quote_mask(t) for d, t in texts.items()}
    G = _prepare(gold[gold["doc_id"].isin(ids)], texts, masks, False)
    P = _prepare(pred[pred["doc_id"].isin(ids)], texts, masks, True) if len(pred) else {}
    cnt: dict[str, int] = {}
    acc = dict.fromkeys(
        "cue_n cue_ok spk_n spk_none spk_exact spk_head pron_n pron_res pron_ment".split(), 0
    )

    def add(key, v=1):
        cnt[key] = cnt.get(key, 0) + v

    for doc in sorted(ids):
        g = sorted(G.get(doc, []), key=lambda x: x["start"])
        p = P.get(doc, [])
        add("g", len(g))
        add("p", len(p))
        for a in g:
            add("g_" + a["kind"])
        for b in p:
            add("p_" + b["kind"])
        for strict, pre in ((True, ""), (False, "l")):
            pairs = _assign(g, p, strict)
            add(pre + "tp", len(pairs))
            for i, j in pairs:
                add(pre + "tpg_" + g[i]["kind"])
                add(pre + "tpp_" + p[j]["kind"])
            if strict:
                _pair_scores(g, p, pairs, acc)
    c = cnt.get
    out: dict[str, float] = {}
    out["all_P"], out["all_R"], out["all_F1"] = _prf(c("tp", 0), c("p", 0), c("tp", 0), c("g", 0))
    out["all_lP"], out["all_lR"], out["all_lF1"] = _prf(
        c("ltp", 0), c("p", 0), c("ltp", 0), c("g", 0)
    )
    for k in KINDS:
        pk, gk = c("p_" + k, 0), c("g_" + k, 0)
        out[f"{k}_P"], out[f"{k}_R"], out[f"{k}_F1"] = _prf(
            c("tpp_" + k, 0), pk, c("tpg_" + k, 0), gk
        )
        out[f"{k}_lP"], out[f"{k}_lR"], out[f"{k}_lF1"] = _prf(
            c("ltpp_" + k, 0), pk, c("ltpg_" + k, 0), gk
        )
        out[f"n_gold_{k}"] = gk

    def ratio(a, b):
        return acc[a] / acc[b] if acc[b] else float("nan")

    out["spk_exact"], out["spk_head"] = ratio("spk_exact", "spk_n"), ratio("spk_head", "spk_n")
    out["no_speaker"] = ratio("spk_none", "spk_n")
    out["pron_mention"], out["pron_resolved"] = (
        ratio("pron_ment", "pron_n"),
        ratio("pron_res", "pron_n"),
    )
    out["cue_exact"] = ratio("cue_ok", "cue_n")
    out["n_gold"], out["n_pred"], out["n_pron"] = c("g", 0), c("p", 0), acc["pron_n"]
    return out
