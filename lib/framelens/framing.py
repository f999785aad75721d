"""Frame analysis: cue counts, document frame scores, presence, primary frame, diversity,
and corpus comparisons (chi-square with residuals, frames over time, keyness, KWIC).

A *scheme* is a frame lexicon: ``"policy"`` (the 15 Policy Frames Codebook dimensions,
keyed by the SemEval-2023 labels plus ``Other``) or ``"generic"`` (Semetko &
Valkenburg's five generic news frames). Lexicon hits (the ``matches`` table of
:mod:`framelens.lexicon`) are the cues; everything here is counting and arithmetic over
them, so every number can be traced back to highlighted spans of the source text.
Definitions, formulas, thresholds and their limits: docs/methods/framing.md.

Tables returned by :func:`step` (and by the functions of the same names)
-----------------------------------------------------------------------
``frame_sentences`` - one row per (doc_id, sent_id, scheme, frame) with at least one cue
    (sparse; ``dense=True`` gives every sentence x frame): ``n_cues`` (sum of cue
    weights), ``n_hits`` (number of cue matches), ``n_author``, ``n_quoted``,
    ``n_reported`` (cue weight by voice), ``coded`` (``n_cues >= sentence_min_cues``).
``frame_docs`` - one row per (doc_id, scheme, frame), every frame present even at zero:
    ``n_tokens``, ``n_cues``, ``n_hits``, ``n_author``, ``n_quoted``, ``n_reported``,
    ``n_words``, ``rate`` (cues per 1,000 words), ``n_sentences`` (frame-coded sentences),
    ``share`` (frame-coded sentences / sentences), ``weighted`` (cue weight with the
    headline and lead up-weighted), ``score`` (``weighted`` / the document's total
    ``weighted``: the frame profile, summing to 1 over frames when there are cues),
    ``present`` (multi-label presence from the thresholds), ``primary`` (the frame is
    the document's primary frame).
``frame_summary`` - one row per (doc_id, scheme): ``n_tokens``, ``n_sentences``,
    ``n_cues``, ``n_present``, ``frames_present`` (``";"``-joined), ``primary_frame``
    (``"none"`` when the document has no cue), ``primary_score``, ``diversity``
    (normalised Shannon entropy of the cue distribution over frames, 0..1).

Corpus-level functions (over saved tables, called from notebooks):
:func:`frame_by_group`, :func:`frames_over_time`, :func:`keyness`, :func:`kwic`.

Examples
--------
>>> import pandas as pd
>>> from framelens import framing
>>> sents = pd.DataFrame({"doc_id": ["d1"], "sent_id": [0], "para_id": [0],
...                       "start": [0], "end": [30], "text": ["Taxes rose and prices fell."],
...                       "n_tokens": [6]})
>>> m = pd.DataFrame({"doc_id": ["d1", "d1"], "sent_id": [0, 0], "start": [0, 15],
...                   "end": [5, 21], "lexicon": ["policy", "policy"],
...                   "category": ["Economic", "Economic"], "term": ["taxes", "prices"],
...                   "voice": ["author", "author"], "weight": [1.0, 1.0]})
>>> fd = framing.doc_frames(m, sents, scheme="policy", thresholds={"min_cues": 1})
>>> row = fd[fd.frame == "Economic"].iloc[0]
>>> float(row.n_cues), round(float(row.rate), 1), bool(row.present)
(2.0, 400.0, True)
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from .normalize import fold

__all__ = [
    "SCHEMES", "scheme_frames", "scheme_info", "default_thresholds",
    "sentence_frames", "doc_frames", "primary_frame", "frame_diversity", "frame_summary",
    "step", "frame_by_group", "GroupComparison", "contingency_test", "frames_over_time",
    "keyness", "kwic", "cue_terms", "check_params",
]

log = logging.getLogger(__name__)

#: Built-in frame schemes (lexicon names).
SCHEMES = ("policy", "generic")

#: Presence thresholds used for a frame the lexicon YAML gives none for.
FALLBACK_THRESHOLDS = {"min_cues": 2.0, "min_rate": 0.0, "min_score": 0.0}
_THRESHOLD_KEYS = ("min_cues", "min_rate", "min_score")

#: Value of ``primary_frame`` for a document without any cue of the scheme.
NO_FRAME = "none"


# --------------------------------------------------------------------------- schemes
@dataclasses.dataclass(frozen=True)
class SchemeInfo:
    """What framelens knows about a frame scheme (read from its lexicon YAML)."""

    name: str
    frames: tuple[str, ...]
    descriptions: Mapping[str, str]
    thresholds: Mapping[str, Mapping[str, float]]
    label_map: Mapping[str, str]
    provenance: Mapping[str, Any]
    actor_terms: frozenset = frozenset()
    dev_frame_ranking: tuple[str, ...] = ()
    dev_ranking_source: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@functools.lru_cache(maxsize=None)
def scheme_info(scheme: str) -> SchemeInfo:
    """Frames, descriptions, tuned thresholds and label map of a built-in scheme.

    Parameters
    ----------
    scheme : str
        ``"policy"`` or ``"generic"``.

    Returns
    -------
    SchemeInfo

    Raises
    ------
    ValueError
        For an unknown scheme name.

    Examples
    --------
    >>> scheme_info("generic").frames
    ('responsibility', 'human_interest', 'conflict', 'morality', 'economic')
    """
    import yaml

    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise ValueError(
            f"unknown frame scheme {scheme!r}; choose one of {', '.join(map(repr, SCHEMES))}"
        )
    res = importlib.resources.files("framelens") / "lexicons" / f"{scheme}.yaml"
    data = yaml.safe_load(res.read_text(encoding="utf-8"))
    cats = data.get("categories") or {}
    frames = tuple(cats)
    desc = {k: " ".join(str((v or {}).get("description", "")).split()) for k, v in cats.items()}
    tuned = data.get("framing_thresholds") or {}
    default = {**FALLBACK_THRESHOLDS, **(tuned.get("default") or {})}
    per = tuned.get("frames") or {}
    thr = {f: {k: float({**default, **(per.get(f) or {})}[k]) for k in _THRESHOLD_KEYS}
           for f in frames}
    prov = {k: v for k, v in tuned.items() if k not in ("default", "frames")}
    places = frozenset((str(f), str(t)) for f, terms in (data.get("actor_cues") or {}).items()
                       for t in (terms or ()))
    rank_src = dict(data.get("dev_frame_ranking") or {})
    ranking = tuple(rank_src.get("order") or ())
    return SchemeInfo(scheme, frames, desc, thr, dict(data.get("label_map") or {}), prov,
                      places, ranking, rank_src)


#: How named-actor cues - names of countries, capitals, governments by metonymy,
#: nationality adjectives and international organisations (the ``actor_cues`` list of
#: a lexicon YAML) - count: see :func:`doc_frames`.
ACTOR_CUE_MODES = ("count", "down-weight", "exclude")
#: Factor applied to the (already reduced) weight of place cues with ``"down-weight"``.
ACTOR_DOWN_WEIGHT = 0.5


def _check_actor_cues(actor_cues: str) -> str:
    if actor_cues not in ACTOR_CUE_MODES:
        raise ValueError(f"actor_cues must be one of {', '.join(map(repr, ACTOR_CUE_MODES))}, "
                         f"got {actor_cues!r}")
    return actor_cues


def categories_hash(scheme) -> str:
    """SHA-256 of a scheme's categories and patterns only (names, descriptions, pattern
    terms, kinds and weights, in a canonical JSON), i.e. without the thresholds block
    and other metadata - the hash recorded as ``lexicon_hash_at_tuning`` (thresholds
    are tuned for a given set of cues; writing the tuned thresholds into the YAML must
    not change the hash they are checked against).

    Parameters
    ----------
    scheme : str or framelens.lexicon.Lexicon
        A built-in scheme name or a loaded lexicon.

    Examples
    --------
    >>> len(categories_hash("generic"))
    64
    """
    import hashlib
    import json

    from . import lexicon

    lex = scheme if isinstance(scheme, lexicon.Lexicon) else lexicon.load(scheme_info(scheme).name)
    content = {c.name: {"description": c.description,
                        "patterns": [[p.term, p.kind, p.weight] for p in c.patterns]}
               for c in lex.categories.values()}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()


def scheme_frames(scheme: str) -> tuple[str, ...]:
    """The frame keys of ``scheme`` in lexicon order.

    Examples
    --------
    >>> len(scheme_frames("policy"))
    15
    """
    return scheme_info(scheme).frames


def default_thresholds(scheme: str) -> dict[str, dict[str, float]]:
    """Per-frame presence thresholds shipped with ``scheme`` (a copy you may edit).

    Examples
    --------
    >>> sorted(default_thresholds("generic")["conflict"])
    ['min_cues', 'min_rate', 'min_score']
    """
    return {f: dict(v) for f, v in scheme_info(scheme).thresholds.items()}


def _resolve_thresholds(scheme: str, thresholds) -> dict[str, dict[str, float]]:
    """Merge user thresholds over the shipped ones.

    ``thresholds`` may be None, a flat dict applied to every frame
    (``{"min_cues": 2}``) or a dict of frame -> dict.
    """
    base = default_thresholds(scheme)
    if thresholds is None:
        return base
    if not isinstance(thresholds, Mapping):
        raise TypeError("thresholds must be a dict: {'min_cues': 2} or {frame: {'min_cues': 2}}")
    flat = {k: v for k, v in thresholds.items() if k in _THRESHOLD_KEYS}
    nested = {k: v for k, v in thresholds.items() if k not in _THRESHOLD_KEYS}
    for k in nested:
        if k not in base:
            raise ValueError(
                f"unknown threshold key or frame {k!r} for scheme {scheme!r}; use "
                f"{', '.join(_THRESHOLD_KEYS)} or a frame among {', '.join(base)}"
            )
        if not isinstance(nested[k], Mapping):
            raise TypeError(f"thresholds[{k!r}] must be a dict like {{'min_cues': 2}}")
        bad = set(nested[k]) - set(_THRESHOLD_KEYS)
        if bad:
            raise ValueError(f"unknown threshold keys {sorted(bad)}; use {', '.join(_THRESHOLD_KEYS)}")
    for f in base:
        base[f].update({k: float(v) for k, v in flat.items()})
        base[f].update({k: float(v) for k, v in (nested.get(f) or {}).items()})
    return base


def _check_schemes(schemes) -> tuple[str, ...]:
    if isinstance(schemes, str):
        schemes = (schemes,)
    schemes = tuple(schemes)
    for s in schemes:
        scheme_info(s)  # raises ValueError on unknown names
    return schemes



def _str(s: pd.Series) -> np.ndarray:
    """A column as an object array of Python str (missing -> ""), without building an
    intermediate pandas string array (the costly part of ``astype(str)`` on pandas 3)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = np.asarray([str(c) for c in s.cat.categories] + [""], dtype=object)
        codes = s.cat.codes.to_numpy()
        return cats[np.where(codes < 0, len(cats) - 1, codes)]
    if pd.api.types.is_string_dtype(s.dtype):
        out = s.to_numpy(dtype=object, na_value="")
        return out
    return np.asarray([("" if v is None or (isinstance(v, float) and v != v) else str(v))
                       for v in s.tolist()], dtype=object)


def _require(df: pd.DataFrame, name: str, cols: Iterable[str]) -> None:
    schema.require(df, cols, table=name)


# --------------------------------------------------------------------------- sentences
_SENT_COUNT_COLS = ("n_cues", "n_hits", "n_author", "n_quoted", "n_reported")


def _match_arrays(matches: pd.DataFrame) -> dict[str, np.ndarray]:
    """The matches columns framing needs, as numpy arrays (strings as Python objects).

    Extracted once per step: pandas 3 stores strings in Arrow arrays, and every
    DataFrame round trip of a string column converts it, which dominated the cost."""
    if isinstance(matches, dict):
        return matches
    _require(matches, "matches", ("doc_id", "sent_id", "lexicon", "category"))
    n = len(matches)
    if "weight" in matches.columns:
        w = pd.to_numeric(matches["weight"], errors="coerce").to_numpy(dtype=float)
        w = np.where(np.isnan(w), 1.0, w)
    else:
        w = np.ones(n)
    return {
        "doc": _str(matches["doc_id"]),
        "sent": matches["sent_id"].to_numpy(dtype=np.int64),
        "lexicon": _str(matches["lexicon"]),
        "category": _str(matches["category"]),
        "w": w,
        "voice": _str(matches["voice"]) if "voice" in matches.columns
        else np.full(n, "author", dtype=object),
        "term": _str(matches["term"]) if "term" in matches.columns else np.full(n, "", dtype=object),
        "index": np.arange(n),
    }


def _scheme_hits(matches, scheme: str, actor_cues: str = "count") -> dict[str, np.ndarray]:
    """Cue rows of one scheme as arrays: doc, sent, f (frame code in lexicon order), w,
    voice, term, index (row in ``matches``); other lexicons and categories dropped.
    Named-actor cues (the lexicon's ``actor_cues``) are kept, down-weighted or dropped."""
    frames = scheme_frames(scheme)
    a = _match_arrays(matches)
    fcode = pd.Index(list(frames)).get_indexer(a["category"]).astype(np.int64)
    keep = (a["lexicon"] == scheme) & (fcode >= 0)
    places = scheme_info(scheme).actor_terms
    w = a["w"]
    if actor_cues != "count" and places and keep.any():
        is_place = np.zeros(len(keep), dtype=bool)
        for fr in sorted({f for f, _ in places}):        # one vectorised test per frame
            terms = [t for f, t in places if f == fr]
            is_place |= (a["category"] == fr) & np.isin(a["term"], terms)
        if actor_cues == "exclude":
            keep &= ~is_place
        else:
            w = np.where(is_place, w * ACTOR_DOWN_WEIGHT, w)
    sel = np.flatnonzero(keep)
    out = {k: v[sel] for k, v in a.items() if k not in ("lexicon", "category", "w")}
    out["w"] = w[sel]
    out["f"] = fcode[sel]
    return out


def _sentence_core(h: dict[str, np.ndarray], k: int, sentence_min_cues: float) -> dict[str, np.ndarray]:
    """Sum the hits per (doc, sentence, frame): one integer key, bincount (no groupby).
    Rows come out sorted by doc id, sentence, frame."""
    w, v = h["w"], h["voice"]
    dcode, duni = pd.factorize(h["doc"], sort=True)
    sent = h["sent"]
    smax = int(sent.max()) + 1 if len(sent) else 1
    key = (dcode.astype(np.int64) * smax + sent) * k + h["f"]
    uk, inv = np.unique(key, return_inverse=True)
    nk = len(uk)

    def total(x):
        return np.bincount(inv, weights=x, minlength=nk)[:nk] if nk else np.zeros(0)

    n_cues = total(w)
    return {
        "doc": np.asarray(duni, dtype=object)[uk // k // smax] if nk else np.array([], dtype=object),
        "sent": (uk // k) % smax,
        "f": uk % k,
        "n_cues": n_cues,
        "n_hits": total(np.ones(len(w))).astype(np.int64),
        "n_author": total(np.where(v == "author", w, 0.0)),
        "n_quoted": total(np.where(v == "quoted", w, 0.0)),
        "n_reported": total(np.where(v == "reported", w, 0.0)),
        "coded": n_cues >= sentence_min_cues,
    }


def sentence_frames(
    matches: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    *,
    scheme: str,
    sentence_min_cues: float = 1.0,
    dense: bool = False,
    actor_cues: str = "exclude",
) -> pd.DataFrame:
    """Frame cue counts per sentence.

    Parameters
    ----------
    matches : DataFrame
        The ``matches`` table (any lexicons; rows of other lexicons are ignored).
    sentences : DataFrame, optional
        The ``sentences`` table; required when ``dense=True``.
    scheme : str
        ``"policy"`` or ``"generic"``.
    sentence_min_cues : float
        A sentence is *coded* for a frame when its cue weight reaches this value.
    dense : bool
        Return every sentence x frame (zeros included) instead of only rows with cues.
    actor_cues : {"exclude", "down-weight", "count"}
        How named-actor cues (countries, capitals, organisations) count (see :func:`doc_frames`).

    Returns
    -------
    DataFrame
        doc_id, sent_id, scheme, frame (Categorical in lexicon order), n_cues (sum of
        weights), n_hits (matches), n_author, n_quoted, n_reported (weight by voice),
        coded (bool).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 0], "lexicon": ["generic"] * 2,
    ...                   "category": ["conflict", "conflict"], "voice": ["author", "quoted"],
    ...                   "weight": [1.0, 1.0]})
    >>> sf = sentence_frames(m, scheme="generic")
    >>> sf[["frame", "n_cues", "n_author", "n_quoted"]].to_dict("records")
    [{'frame': 'conflict', 'n_cues': 2.0, 'n_author': 1.0, 'n_quoted': 1.0}]
    """
    frames = scheme_frames(scheme)
    if sentence_min_cues <= 0:
        raise ValueError("sentence_min_cues must be > 0 (a sentence needs a cue to be coded)")
    core = _sentence_core(_scheme_hits(matches, scheme, _check_actor_cues(actor_cues)),
                          len(frames), sentence_min_cues)
    return _sentence_table(core, scheme, sentences=sentences, dense=dense,
                           sentence_min_cues=sentence_min_cues)


def _sentence_table(core, scheme, *, sentences=None, dense=False, sentence_min_cues=1.0):
    frames = scheme_frames(scheme)
    k = len(frames)
    doc, sent, f = core["doc"], core["sent"], core["f"]
    cols = {c: core[c] for c in _SENT_COUNT_COLS}
    if dense:
        if sentences is None:
            raise ValueError("dense=True needs the sentences table (pass sentences=...)")
        _require(sentences, "sentences", ("doc_id", "sent_id"))
        sdoc = _str(sentences["doc_id"])
        ssent = sentences["sent_id"].to_numpy(dtype=np.int64)
        order = np.lexsort((ssent, sdoc))
        sdoc, ssent = sdoc[order], ssent[order]
        gdoc, gsent = np.repeat(sdoc, k), np.repeat(ssent, k)
        gf = np.tile(np.arange(k), len(sdoc))
        lookup = pd.Series(np.arange(len(doc)),
                           index=pd.MultiIndex.from_arrays([doc, sent, f])) if len(doc) else None
        pos = (lookup.reindex(pd.MultiIndex.from_arrays([gdoc, gsent, gf])).to_numpy()
               if lookup is not None else np.full(len(gdoc), np.nan))
        hit = ~np.isnan(pos)
        pi = np.where(hit, pos, 0).astype(np.int64)
        cols = {c: np.where(hit, v[pi] if len(v) else 0, 0) for c, v in cols.items()}
        doc, sent, f = gdoc, gsent, gf
    n_cues = np.asarray(cols["n_cues"], dtype=float)
    return pd.DataFrame({
        "doc_id": pd.array(doc, dtype="string"),
        "sent_id": np.asarray(sent, dtype=np.int32),
        "scheme": pd.Categorical.from_codes(np.full(len(doc), SCHEMES.index(scheme)),
                                            categories=list(SCHEMES)),
        "frame": pd.Categorical.from_codes(np.asarray(f, dtype=np.int64), categories=list(frames)),
        "n_cues": n_cues,
        "n_hits": np.asarray(cols["n_hits"], dtype=np.int64),
        "n_author": np.asarray(cols["n_author"], dtype=float),
        "n_quoted": np.asarray(cols["n_quoted"], dtype=float),
        "n_reported": np.asarray(cols["n_reported"], dtype=float),
        "coded": n_cues >= sentence_min_cues,
    })


# --------------------------------------------------------------------------- documents
#: A *word* for rates: a number (``1,500.5``) or a run of letters/digits with inner
#: apostrophes or hyphens - the text layer's token pattern without its single
#: punctuation marks, so rates are per 1,000 words, not per 1,000 tokens.
WORD_PATTERN = r"\d+(?:[.,]\d+)*(?!\w)|\w+(?:['\u2019\u2010-]\w+)*"
_WORD_COUNT_RE = re.compile(WORD_PATTERN)


def _word_counts(sentences: pd.DataFrame) -> np.ndarray:
    """Words per sentence (one compiled regex per sentence text); the sentence's
    ``n_tokens`` when the table has no ``text`` column."""
    if "text" not in sentences.columns:
        if "n_tokens" in sentences.columns:
            return pd.to_numeric(sentences["n_tokens"], errors="coerce").fillna(0).to_numpy(dtype=float)
        return np.zeros(len(sentences))
    findall = _WORD_COUNT_RE.findall
    return np.fromiter((len(findall(t)) for t in _str(sentences["text"])), dtype=float,
                       count=len(sentences))


def _sentence_arrays(sentences: pd.DataFrame) -> dict[str, np.ndarray]:
    if isinstance(sentences, dict):
        return sentences
    _require(sentences, "sentences", ("doc_id", "sent_id"))
    n = len(sentences)
    return {
        "nword": _word_counts(sentences),
        "doc": _str(sentences["doc_id"]),
        "sent": sentences["sent_id"].to_numpy(dtype=np.int64),
        "start": sentences["start"].to_numpy(dtype=np.int64) if "start" in sentences.columns
        else np.zeros(n, dtype=np.int64),
        "ntok": pd.to_numeric(sentences["n_tokens"], errors="coerce").fillna(0).to_numpy(dtype=float)
        if "n_tokens" in sentences.columns else np.zeros(n),
    }


def _title_ends(docs: pd.DataFrame | None) -> dict[str, int]:
    """doc_id -> end offset of the title, for documents whose text opens with it."""
    ends: dict[str, int] = {}
    if docs is None or "title" not in docs.columns or "text" not in docs.columns or not len(docs):
        return ends
    for d, title, text in zip(_str(docs["doc_id"]), docs["title"], docs["text"]):
        if not isinstance(title, str) or not isinstance(text, str):
            continue
        t = title.strip()
        if not t:
            continue
        lead_ws = len(text) - len(text.lstrip())
        if fold(text[lead_ws:lead_ws + len(t)]) == fold(t):
            ends[d] = lead_ws + len(t)
    return ends


def _sentence_weights(
    sentences,
    docs: pd.DataFrame | None,
    *,
    headline_weight: float,
    lead_weight: float,
    lead_sentences: int,
    _ends: dict[str, int] | None = None,
) -> dict[str, np.ndarray]:
    """doc, sent, pos_w (headline / lead / body weight) per sentence, sorted by doc code.

    A sentence is part of the *headline* when the document's ``title`` opens its text
    and the sentence starts inside it; the *lead* is the next ``lead_sentences``
    sentences (or the first ones when the title is not part of the text).
    """
    sa = _sentence_arrays(sentences)
    codes, uni = pd.factorize(sa["doc"])
    order = np.lexsort((sa["sent"], codes))
    codes, sent, start, did = codes[order], sa["sent"][order], sa["start"][order], sa["doc"][order]
    ends = _title_ends(docs) if _ends is None else _ends
    te = (np.array([ends.get(u, -1) for u in uni], dtype=np.int64)[codes] if len(uni)
          else np.zeros(0, dtype=np.int64))
    is_head = start < te
    body = (~is_head).astype(np.int64)
    # rank among the non-headline sentences of the document (codes are sorted)
    if len(codes):
        cs = np.cumsum(body)
        first = np.r_[0, np.flatnonzero(np.diff(codes)) + 1]
        grp = np.cumsum(np.r_[0, (np.diff(codes) != 0).astype(np.int64)])
        body_rank = cs - (cs - body)[first][grp] - 1
    else:
        body_rank = body
    is_lead = (~is_head) & (body_rank < lead_sentences)
    pos_w = np.where(is_head, headline_weight, np.where(is_lead, lead_weight, 1.0))
    return {"doc": did, "sent": sent, "pos_w": pos_w}


def _doc_index(sentences, docs: pd.DataFrame | None) -> list[str]:
    ids = list(dict.fromkeys(_sentence_arrays(sentences)["doc"].tolist()))
    if docs is not None:
        _require(docs, "docs", ("doc_id",))
        dids = list(dict.fromkeys(_str(docs["doc_id"]).tolist()))   # unique, docs order
        seen = set(dids)
        ids = dids + [d for d in ids if d not in seen]
    return ids


def doc_frames(
    matches: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    scheme: str,
    docs: pd.DataFrame | None = None,
    thresholds: Mapping[str, Any] | None = None,
    sentence_min_cues: float = 1.0,
    headline_weight: float = 2.0,
    lead_weight: float = 1.5,
    lead_sentences: int = 2,
    title_matches: pd.DataFrame | None = None,
    actor_cues: str = "exclude",
    _sf: dict | None = None,
    _ends: dict | None = None,
    _arrays: dict | None = None,
) -> pd.DataFrame:
    """Document frame scores, every frame present even at zero.

    Parameters
    ----------
    matches, sentences : DataFrame
        The ``matches`` and ``sentences`` tables.
    scheme : str
        ``"policy"`` or ``"generic"``.
    docs : DataFrame, optional
        The ``docs`` table: adds documents without sentences (as zeros) and lets the
        headline (``title`` at the start of ``text``) be up-weighted.
    thresholds : dict, optional
        Presence thresholds ``min_cues`` (cue weight), ``min_rate`` (cues per 1,000
        words), ``min_score`` (share of the document's weighted cues), either flat (all
        frames) or per frame; merged over the tuned values shipped in the lexicon YAML
        (:func:`default_thresholds`). A frame is present when the document has at least
        one cue of it and all three thresholds are reached.
    sentence_min_cues : float
        Cue weight that makes a sentence frame-coded.
    headline_weight, lead_weight : float
        Multipliers of cue weight in the headline and in the lead (default 2 and 1.5)
        for ``weighted``, ``score`` and the primary frame; counts and rates are
        unweighted. The framing literature says headlines and leads are the most salient
        framing devices, not by how much: these values are framelens's own choice
        (round numbers, not tuned; docs/methods/framing.md).
    lead_sentences : int
        Number of sentences after the headline forming the lead.
    title_matches : DataFrame, optional
        Matches found in titles that are *not* part of ``text`` (doc_id, lexicon,
        category, weight); they count with ``headline_weight`` in ``weighted`` only.
    actor_cues : {"exclude", "down-weight", "count"}
        How named-actor cues count: names of countries, capitals, governments by
        metonymy, nationality adjectives and international organisations (the lexicon's
        ``actor_cues`` list; in ``policy`` they are cues of
        External_regulation_and_reputation). ``"exclude"`` (default): not at all -
        naming a country or an organisation says who a story is about, not how it
        frames it, and in foreign news these names otherwise make the foreign-relations
        frame present and primary in nearly every article; ``"down-weight"``: with their
        YAML weight times :data:`ACTOR_DOWN_WEIGHT`; ``"count"``: like any cue. The
        matches stay in the ``matches`` table (highlighting, KWIC) in every mode.

    Returns
    -------
    DataFrame
        See the module docstring (``frame_docs``).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["e"], "sent_id": [0], "start": [0], "end": [0],
    ...                   "n_tokens": [0]})
    >>> m = pd.DataFrame(columns=["doc_id", "sent_id", "lexicon", "category"])
    >>> fd = doc_frames(m, s, scheme="generic")
    >>> len(fd), float(fd.rate.sum()), bool(fd.present.any())
    (5, 0.0, False)
    """
    frames = scheme_frames(scheme)
    thr = _resolve_thresholds(scheme, thresholds)
    _check_actor_cues(actor_cues)
    if not isinstance(sentences, dict):
        _require(sentences, "sentences", ("doc_id", "sent_id"))
    for name, val in (("headline_weight", headline_weight), ("lead_weight", lead_weight)):
        if not (isinstance(val, (int, float)) and val >= 0):
            raise ValueError(f"{name} must be a number >= 0, got {val!r}")
    if not (isinstance(lead_sentences, (int, np.integer)) and lead_sentences >= 0):
        raise ValueError(f"lead_sentences must be an int >= 0, got {lead_sentences!r}")
    sa = _sentence_arrays(sentences)
    ids = _doc_index(sa, docs)
    n, k = len(ids), len(frames)
    doc_ix = pd.Index(ids)
    # per-document tokens and sentences
    s_ix = doc_ix.get_indexer(sa["doc"])
    n_tok = np.bincount(s_ix, weights=sa["ntok"], minlength=n)[:n] if n else np.zeros(0)
    n_word = np.bincount(s_ix, weights=sa["nword"], minlength=n)[:n] if n else np.zeros(0)
    n_sent = np.bincount(s_ix, minlength=n)[:n].astype(float) if n else np.zeros(0)

    core = _sf if _sf is not None else _sentence_core(_scheme_hits(matches, scheme, actor_cues), k,
                                                      sentence_min_cues)
    pos = _sentence_weights(sa, docs, headline_weight=float(headline_weight),
                            lead_weight=float(lead_weight), lead_sentences=int(lead_sentences),
                            _ends=_ends)
    mats = {c: np.zeros((n, k)) for c in ("n_cues", "n_hits", "n_author", "n_quoted",
                                           "n_reported", "n_sentences", "weighted")}
    if len(core["doc"]):
        r = doc_ix.get_indexer(core["doc"])
        sm = int(max(pos["sent"].max() if len(pos["sent"]) else 0, core["sent"].max())) + 1
        pkey = doc_ix.get_indexer(pos["doc"]).astype(np.int64) * sm + pos["sent"]
        skey = r.astype(np.int64) * sm + core["sent"]
        pw = pd.Series(pos["pos_w"], index=pkey)
        pw = pw[~pw.index.duplicated()]
        pos_w = pw.reindex(skey).fillna(1.0).to_numpy(dtype=float)
        ok = r >= 0
        r, c = r[ok], core["f"][ok]
        for col in ("n_cues", "n_hits", "n_author", "n_quoted", "n_reported"):
            np.add.at(mats[col], (r, c), np.asarray(core[col], dtype=float)[ok])
        np.add.at(mats["n_sentences"], (r, c), core["coded"].astype(float)[ok])
        np.add.at(mats["weighted"], (r, c), (core["n_cues"] * pos_w)[ok])
    if title_matches is not None and len(title_matches):
        tm = title_matches if "sent_id" in title_matches else title_matches.assign(sent_id=0)
        th = _scheme_hits(tm, scheme, actor_cues)
        r = doc_ix.get_indexer(th["doc"])
        ok = r >= 0
        np.add.at(mats["weighted"], (r[ok], th["f"][ok]), th["w"][ok] * float(headline_weight))

    cues, wtd = mats["n_cues"], mats["weighted"]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n_word[:, None] > 0, cues / n_word[:, None] * 1000.0, 0.0)
        share = np.where(n_sent[:, None] > 0, mats["n_sentences"] / n_sent[:, None], 0.0)
        tot_w = wtd.sum(axis=1, keepdims=True)
        score = np.where(tot_w > 0, wtd / tot_w, 0.0)
    t_cues = np.array([thr[f]["min_cues"] for f in frames])
    t_rate = np.array([thr[f]["min_rate"] for f in frames])
    t_score = np.array([thr[f]["min_score"] for f in frames])
    present = (cues > 0) & (cues >= t_cues) & (rate >= t_rate) & (score >= t_score)
    # primary: max score, then max cues, then lexicon order; none without cues
    primary = np.zeros((n, k), dtype=bool)
    if n and k:
        best = score == score.max(axis=1, keepdims=True)
        c2 = np.where(best, cues, -np.inf)
        best2 = c2 == c2.max(axis=1, keepdims=True)
        j = np.argmax(best2, axis=1)
        has = score.max(axis=1) > 0
        primary[np.flatnonzero(has), j[has]] = True

    out = pd.DataFrame({
        "doc_id": pd.array(np.repeat(np.asarray(ids, dtype=object), k), dtype="string"),
        "scheme": pd.Categorical.from_codes(np.full(n * k, SCHEMES.index(scheme)),
                                            categories=list(SCHEMES)),
        "frame": pd.Categorical.from_codes(np.tile(np.arange(k), n), categories=list(frames)),
        "n_tokens": np.repeat(n_tok, k).astype(np.int64),
        "n_words": np.repeat(n_word, k).astype(np.int64),
        "n_cues": cues.ravel(),
        "n_hits": mats["n_hits"].ravel().astype(np.int64),
        "n_author": mats["n_author"].ravel(),
        "n_quoted": mats["n_quoted"].ravel(),
        "n_reported": mats["n_reported"].ravel(),
        "rate": rate.ravel(),
        "n_sentences": mats["n_sentences"].ravel().astype(np.int64),
        "share": share.ravel(),
        "weighted": wtd.ravel(),
        "score": score.ravel(),
        "present": present.ravel(),
        "primary": primary.ravel(),
    })
    if _arrays is not None:  # for step(): the summary without re-reading the table
        _arrays.update(ids=np.asarray(ids, dtype=object), n_tok=n_tok, n_sent=n_sent,
                       cues=cues, present=present, score=score, primary=primary)
    return out


def primary_frame(frame_docs: pd.DataFrame) -> pd.DataFrame:
    """The primary frame of each document: the frame with the largest ``score``.

    ``score`` already carries the headline and lead weighting (see :func:`doc_frames`).
    Ties are broken by the unweighted cue count, then by lexicon order. Documents
    without any cue get ``"none"`` and score 0.

    Parameters
    ----------
    frame_docs : DataFrame
        Output of :func:`doc_frames` (one or several schemes).

    Returns
    -------
    DataFrame
        doc_id, scheme, primary_frame, primary_score.

    Examples
    --------
    >>> import pandas as pd
    >>> fd = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "scheme": ["generic"] * 4,
    ...                    "frame": ["conflict", "economic"] * 2,
    ...                    "score": [0.25, 0.75, 0.0, 0.0], "n_cues": [1.0, 1.0, 0, 0]})
    >>> primary_frame(fd)["primary_frame"].tolist()
    ['economic', 'none']
    """
    _require(frame_docs, "frame_docs", ("doc_id", "scheme", "frame", "score", "n_cues"))
    if frame_docs.empty:
        return pd.DataFrame({"doc_id": pd.Series(dtype="string"), "scheme": pd.Series(dtype=str),
                             "primary_frame": pd.Series(dtype=str),
                             "primary_score": pd.Series(dtype=float)})
    fd = pd.DataFrame({
        "doc_id": _str(frame_docs["doc_id"]),
        "scheme": _str(frame_docs["scheme"]),
        "frame": _str(frame_docs["frame"]),
        "score": frame_docs["score"].to_numpy(dtype=float),
        "n_cues": frame_docs["n_cues"].to_numpy(dtype=float),
        "order": np.arange(len(frame_docs)),
    })
    fd = fd.sort_values(["doc_id", "scheme", "score", "n_cues", "order"],
                        ascending=[True, True, False, False, True], kind="stable")
    top = fd.drop_duplicates(["doc_id", "scheme"], keep="first")
    keys = frame_docs[["doc_id", "scheme"]].astype(str).drop_duplicates()
    top = keys.merge(top, on=["doc_id", "scheme"], how="left")
    none = ~(top["score"].to_numpy() > 0)
    return pd.DataFrame({
        "doc_id": top["doc_id"].astype("string").to_numpy(),
        "scheme": top["scheme"].to_numpy(),
        "primary_frame": np.where(none, NO_FRAME, top["frame"].to_numpy()),
        "primary_score": np.where(none, 0.0, top["score"].to_numpy()),
    })


def frame_diversity(frame_docs: pd.DataFrame) -> pd.DataFrame:
    """Frame diversity per document: normalised Shannon entropy of its cues over frames.

    ``diversity = -sum_f p_f ln p_f / ln K`` with ``p_f = n_cues_f / sum n_cues`` and
    ``K`` the number of frames of the scheme (15 for policy, 5 for generic); 0 when the
    document has no cue or all cues fall in one frame, 1 when cues are spread evenly
    over all K frames.

    Returns
    -------
    DataFrame
        doc_id, scheme, diversity, n_frames_cued (frames with at least one cue).

    Examples
    --------
    >>> import pandas as pd
    >>> fd = pd.DataFrame({"doc_id": ["a"] * 5, "scheme": ["generic"] * 5,
    ...                    "frame": ["responsibility", "human_interest", "conflict",
    ...                              "morality", "economic"],
    ...                    "n_cues": [1.0, 1.0, 0, 0, 0]})
    >>> round(float(frame_diversity(fd).diversity[0]), 4)   # ln 2 / ln 5
    0.4307
    """
    _require(frame_docs, "frame_docs", ("doc_id", "scheme", "frame", "n_cues"))
    d = pd.DataFrame({
        "doc_id": _str(frame_docs["doc_id"]),
        "scheme": _str(frame_docs["scheme"]),
        "c": np.clip(frame_docs["n_cues"].to_numpy(dtype=float), 0, None),
    })
    k_of = {sc: len(scheme_frames(sc)) for sc in set(d["scheme"])}
    k = d["scheme"].map(k_of).to_numpy(dtype=float)
    tot = d.groupby(["doc_id", "scheme"], sort=False)["c"].transform("sum").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tot > 0, d["c"].to_numpy() / tot, 0.0)
        h = np.where(p > 0, -p * np.log(p), 0.0) / np.where(k > 1, np.log(k), 1.0)
    d["h"] = h
    d["cued"] = d["c"].to_numpy() > 0
    g = d.groupby(["doc_id", "scheme"], sort=False).agg(diversity=("h", "sum"),
                                                        n_frames_cued=("cued", "sum"))
    g = g.reset_index()
    g["diversity"] = np.clip(g["diversity"].to_numpy(), 0.0, 1.0)
    g["n_frames_cued"] = g["n_frames_cued"].astype(np.int64)
    g["doc_id"] = g["doc_id"].astype("string")
    return g


def frame_summary(frame_docs: pd.DataFrame, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (doc_id, scheme): totals, frames present, primary frame, diversity.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["e"], "sent_id": [0], "n_tokens": [3]})
    >>> m = pd.DataFrame(columns=["doc_id", "sent_id", "lexicon", "category"])
    >>> frame_summary(doc_frames(m, s, scheme="generic"))[["primary_frame", "diversity"]].values.tolist()
    [['none', 0.0]]
    """
    _require(frame_docs, "frame_docs", ("doc_id", "scheme", "frame", "n_cues", "present",
                                        "score", "n_tokens"))
    schemes_in = list(dict.fromkeys(_str(frame_docs["scheme"])))
    if len(schemes_in) == 1 and schemes_in[0] in SCHEMES:
        fast = _grid_summary(frame_docs, schemes_in[0], sentences)
        if fast is not None:
            return fast
    key = ["doc_id", "scheme"]
    fd = pd.DataFrame({"doc_id": _str(frame_docs["doc_id"]), "scheme": _str(frame_docs["scheme"]),
                       "frame": _str(frame_docs["frame"]),
                       "n_tokens": frame_docs["n_tokens"].to_numpy(),
                       "n_cues": frame_docs["n_cues"].to_numpy(dtype=float),
                       "present": frame_docs["present"].to_numpy(dtype=bool),
                       "score": frame_docs["score"].to_numpy(dtype=float)})
    base = fd.groupby(key, sort=False).agg(n_tokens=("n_tokens", "first"),
                                           n_cues=("n_cues", "sum"),
                                           n_present=("present", "sum")).reset_index()
    pres = (fd.loc[fd["present"].to_numpy()].groupby(key, sort=False)["frame"]
            .agg(";".join).rename("frames_present").reset_index())
    base = base.merge(pres, on=key, how="left")
    base["frames_present"] = base["frames_present"].fillna("").astype(object)
    if sentences is not None:
        ns = pd.Series(_str(sentences["doc_id"])).value_counts()
        base["n_sentences"] = base["doc_id"].map(ns).fillna(0).astype(np.int64)
    if "primary" in frame_docs.columns:
        p = fd.loc[frame_docs["primary"].to_numpy(dtype=bool), key + ["frame", "score"]] \
            .drop_duplicates(key).rename(columns={"frame": "primary_frame", "score": "primary_score"})
        prim = base[key].merge(p, on=key, how="left")
        prim["primary_frame"] = prim["primary_frame"].fillna(NO_FRAME)
        prim["primary_score"] = prim["primary_score"].fillna(0.0)
    else:
        prim = primary_frame(fd).assign(doc_id=lambda x: _str(x["doc_id"]))
    div = frame_diversity(fd).assign(doc_id=lambda x: _str(x["doc_id"]))
    out = base.merge(prim, on=key, how="left").merge(div, on=key, how="left")
    out["n_present"] = out["n_present"].astype(np.int64)
    out["doc_id"] = out["doc_id"].astype("string")
    out["scheme"] = pd.Categorical(out["scheme"], categories=list(SCHEMES))
    cols = ["doc_id", "scheme", "n_tokens"] + (["n_sentences"] if sentences is not None else []) \
        + ["n_cues", "n_present", "frames_present", "primary_frame", "primary_score",
           "diversity", "n_frames_cued"]
    return out[cols]


def _grid_summary(fd: pd.DataFrame, scheme: str, sentences: pd.DataFrame | None) -> pd.DataFrame | None:
    """frame_summary for a table laid out as doc_frames makes it (documents x frames in
    lexicon order): numpy on reshaped arrays. None when the layout differs."""
    frames = scheme_frames(scheme)
    k = len(frames)
    col = fd["frame"]
    if (not isinstance(col.dtype, pd.CategoricalDtype) or list(col.cat.categories) != list(frames)
            or "primary" not in fd.columns or len(fd) % k):
        return None
    n = len(fd) // k
    if not np.array_equal(col.cat.codes.to_numpy(), np.tile(np.arange(k), n)):
        return None
    dids = _str(fd["doc_id"]).reshape(n, k)
    if n and not (dids == dids[:, :1]).all():
        return None
    arr = {
        "ids": dids[:, 0] if n else np.array([], dtype=object),
        "n_tok": fd["n_tokens"].to_numpy().reshape(n, k)[:, 0] if n else np.zeros(0),
        "cues": fd["n_cues"].to_numpy(dtype=float).reshape(n, k),
        "present": fd["present"].to_numpy(dtype=bool).reshape(n, k),
        "score": fd["score"].to_numpy(dtype=float).reshape(n, k),
        "primary": fd["primary"].to_numpy(dtype=bool).reshape(n, k),
    }
    if sentences is not None:
        ns = pd.Series(_str(sentences["doc_id"])).value_counts()
        arr["n_sent"] = pd.Series(arr["ids"], dtype=object).map(ns).fillna(0).to_numpy()
    return _summary_from_arrays(arr, scheme, with_sentences=sentences is not None)


def _summary_from_arrays(arr: dict, scheme: str, *, with_sentences: bool) -> pd.DataFrame:
    frames = scheme_frames(scheme)
    k = len(frames)
    ids, cues, present, score, prim = (arr[c] for c in ("ids", "cues", "present", "score", "primary"))
    n = len(ids)
    fr_arr = np.asarray(frames, dtype=object)
    tot = cues.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tot[:, None] > 0, np.clip(cues, 0, None) / tot[:, None], 0.0)
        h = np.where(p > 0, -p * np.log(np.where(p > 0, p, 1.0)), 0.0).sum(axis=1)
    div = np.clip(h / (np.log(k) if k > 1 else 1.0), 0.0, 1.0)
    has = prim.any(axis=1) if n else np.zeros(0, dtype=bool)
    j = np.argmax(prim, axis=1) if n else np.zeros(0, dtype=int)
    out = {
        "doc_id": pd.array(ids, dtype="string"),
        "scheme": pd.Categorical.from_codes(np.full(n, SCHEMES.index(scheme)), categories=list(SCHEMES)),
        "n_tokens": np.asarray(arr["n_tok"]).astype(np.int64),
    }
    if with_sentences:
        out["n_sentences"] = np.asarray(arr["n_sent"]).astype(np.int64)
    out.update({
        "n_cues": tot,
        "n_present": present.sum(axis=1).astype(np.int64),
        "frames_present": [";".join(fr_arr[row]) for row in present],   # per document
        "primary_frame": np.where(has, fr_arr[j] if n else fr_arr[:0], NO_FRAME),
        "primary_score": np.where(has, score[np.arange(n), j] if n else 0.0, 0.0),
        "diversity": div,
        "n_frames_cued": (cues > 0).sum(axis=1).astype(np.int64),
    })
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- pipeline step
@functools.lru_cache(maxsize=4)
def _title_matcher(schemes: tuple[str, ...]):
    from . import lexicon

    return lexicon.Matcher([lexicon.load(s) for s in schemes])


def _separate_title_matches(docs: pd.DataFrame | None, schemes: tuple[str, ...]) -> pd.DataFrame | None:
    """Lexicon matches in titles that are not the opening of ``text``."""
    if docs is None or "title" not in docs.columns or "text" not in docs.columns or docs.empty:
        return None
    rows = []
    for did, title, text in zip(docs["doc_id"].astype(str), docs["title"], docs["text"]):
        if not isinstance(title, str) or not title.strip():
            continue
        t = title.strip()
        txt = text if isinstance(text, str) else ""
        lead_ws = len(txt) - len(txt.lstrip())
        if fold(txt[lead_ws:lead_ws + len(t)]) == fold(t):
            continue  # the headline is in the text: weighted as sentences
        rows.append((did, t))
    if not rows:
        return None
    try:
        from . import lexicon

        tdocs = pd.DataFrame({"doc_id": [r[0] for r in rows], "text": [r[1] for r in rows]})
        n = len(tdocs)
        sents = pd.DataFrame({"doc_id": tdocs["doc_id"], "sent_id": np.zeros(n, dtype=np.int32),
                              "para_id": np.zeros(n, dtype=np.int32),
                              "start": np.zeros(n, dtype=np.int64),
                              "end": tdocs["text"].str.len().astype("int64"),
                              "text": tdocs["text"], "n_tokens": np.ones(n, dtype=np.int32)})
        segs = pd.DataFrame({"doc_id": tdocs["doc_id"], "start": np.zeros(n, dtype=np.int64),
                             "end": tdocs["text"].str.len().astype("int64"),
                             "voice": ["author"] * n, "quote_id": pd.array([pd.NA] * n, dtype="Int64")})
        return lexicon.match(tdocs, _title_matcher(schemes), sentences=sents, segments=segs)
    except Exception as exc:  # headline weighting is a refinement; never fail the step
        log.warning("framing: could not match separate titles (%s); headline weighting "
                    "applies only to titles that open the text", exc)
        return None


def step(
    tables: Mapping[str, pd.DataFrame],
    *,
    schemes: Sequence[str] = SCHEMES,
    thresholds: Mapping[str, Any] | None = None,
    sentence_min_cues: float = 1.0,
    headline_weight: float = 2.0,
    lead_weight: float = 1.5,
    lead_sentences: int = 2,
    dense_sentences: bool = False,
    actor_cues: str = "exclude",
) -> dict[str, pd.DataFrame]:
    """Pipeline step: frame tables for one batch.

    Parameters
    ----------
    tables : mapping
        Needs ``matches`` and ``sentences``; uses ``docs`` for titles and documents
        without sentences.
    schemes : sequence of str
        Frame schemes to compute (lexicons of those names must be in ``matches``).
    thresholds : dict, optional
        ``{scheme: thresholds}`` (see :func:`doc_frames`); a flat dict applies to all.
    sentence_min_cues, headline_weight, lead_weight, lead_sentences, actor_cues
        See :func:`doc_frames`.
    dense_sentences : bool
        Keep zero rows in ``frame_sentences`` (large: sentences x frames).

    Returns
    -------
    dict
        ``frame_sentences``, ``frame_docs``, ``frame_summary`` (module docstring).

    Examples
    --------
    >>> import pandas as pd
    >>> from framelens import schema
    >>> out = step({"matches": schema.empty("matches"), "sentences": schema.empty("sentences")})
    >>> sorted(out)
    ['frame_docs', 'frame_sentences', 'frame_summary']
    """
    schemes = _check_schemes(schemes)
    if "matches" not in tables or "sentences" not in tables:
        raise ValueError("framing.step needs the 'matches' and 'sentences' tables")
    if not sentence_min_cues > 0:
        raise ValueError("sentence_min_cues must be > 0 (a sentence needs a cue to be coded)")
    _check_actor_cues(actor_cues)
    matches, sentences = tables["matches"], tables["sentences"]
    docs = tables.get("docs")
    if thresholds is not None and set(thresholds) <= set(SCHEMES):
        per_scheme = dict(thresholds)
    else:
        per_scheme = {s: thresholds for s in schemes}
    tmatches = _separate_title_matches(docs, schemes)
    # extract the columns once as numpy arrays (see _match_arrays)
    ma = _match_arrays(matches)
    sa = _sentence_arrays(sentences)
    for s in schemes:
        if len(ma["lexicon"]) and not (ma["lexicon"] == s).any():
            log.debug("framing: no %r matches in this batch (lexicon configured?)", s)
    ends = _title_ends(docs)
    sf, fd, summaries = [], [], []
    for s in schemes:
        core = _sentence_core(_scheme_hits(ma, s, actor_cues), len(scheme_frames(s)),
                              sentence_min_cues)
        sf.append(_sentence_table(core, s, sentences=sentences, dense=dense_sentences,
                                  sentence_min_cues=sentence_min_cues))
        arrays: dict = {}
        fd.append(doc_frames(matches, sa, scheme=s, docs=docs,
                             thresholds=per_scheme.get(s), sentence_min_cues=sentence_min_cues,
                             headline_weight=headline_weight, lead_weight=lead_weight,
                             lead_sentences=lead_sentences, title_matches=tmatches,
                             actor_cues=actor_cues, _sf=core,
                             _ends=ends, _arrays=arrays))
        summaries.append(_summary_from_arrays(arrays, s, with_sentences=True))
    summary = pd.concat(summaries, ignore_index=True)
    summary["scheme"] = pd.Categorical(_str(summary["scheme"]), categories=list(SCHEMES))
    return {
        "frame_sentences": _concat_cat(sf),
        "frame_docs": _concat_cat(fd),
        "frame_summary": summary,
    }


def _concat_cat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-scheme tables; ``frame`` becomes a Categorical over all frames."""
    cats = []
    for p in parts:
        cats += [c for c in p["frame"].cat.categories if c not in cats]
    out = pd.concat([p.assign(frame=p["frame"].cat.set_categories(cats),
                              scheme=p["scheme"].cat.set_categories(list(SCHEMES)))
                     for p in parts], ignore_index=True)
    return out


# --------------------------------------------------------------------------- comparisons
@dataclasses.dataclass(frozen=True)
class GroupComparison:
    """Frame x group contingency with a chi-square test of independence.

    Attributes
    ----------
    table : DataFrame
        Observed counts, groups (rows) x frames (columns), zero rows/columns kept.
    expected : DataFrame
        Expected counts under independence, ``row_total * col_total / n``.
    residuals : DataFrame
        Adjusted standardised residuals (Haberman 1973):
        ``(O - E) / sqrt(E * (1 - row_total/n) * (1 - col_total/n))``; 0 where E = 0.
        |r| > 1.96 marks a cell that departs from independence at about the 5% level
        (uncorrected for the number of cells).
    chi2, dof, p_value : float, int, float
        Pearson chi-square (no continuity correction) over the rows and columns with
        non-zero totals; NaN with dof 0 when fewer than two of either remain.
    cramers_v : float
        ``sqrt(chi2 / (n * (min(r, c) - 1)))``.
    measure : str
        What was counted (``present``, ``primary`` or ``n_cues``).
    n : float
        Total count.
    """

    table: pd.DataFrame
    expected: pd.DataFrame
    residuals: pd.DataFrame
    chi2: float
    dof: int
    p_value: float
    cramers_v: float
    measure: str
    n: float

    def tidy(self) -> pd.DataFrame:
        """Long form: group, frame, observed, expected, residual, share (of the group)."""
        rows = self.table.sum(axis=1)
        share = self.table.div(rows.where(rows > 0, 1), axis=0)
        out = pd.DataFrame({
            "observed": self.table.stack(),
            "expected": self.expected.stack(),
            "residual": self.residuals.stack(),
            "share": share.stack(),
        })
        out.index.names = ["group", "frame"]
        return out.reset_index()


def _measure_counts(frame_docs: pd.DataFrame, measure: str) -> pd.Series:
    if measure == "present":
        return frame_docs["present"].astype(float)
    if measure == "primary":
        return frame_docs["primary"].astype(float)
    if measure in ("n_cues", "n_hits", "n_sentences"):
        return frame_docs[measure].astype(float)
    raise ValueError(f"measure must be 'present', 'primary', 'n_cues', 'n_hits' or "
                     f"'n_sentences', got {measure!r}")


def _one_scheme(frame_docs: pd.DataFrame, scheme: str | None) -> tuple[pd.DataFrame, str]:
    _require(frame_docs, "frame_docs", ("doc_id", "scheme", "frame"))
    have = list(dict.fromkeys(frame_docs["scheme"].astype(str)))
    if scheme is None:
        if len(have) > 1:
            raise ValueError(f"frame_docs holds several schemes {have}; pass scheme=...")
        scheme = have[0] if have else SCHEMES[0]
    scheme_info(scheme)
    return frame_docs.loc[_str(frame_docs["scheme"]) == scheme], scheme


def contingency_test(table: pd.DataFrame, measure: str = "counts") -> GroupComparison:
    """Chi-square test and adjusted residuals for any table of counts (rows x columns).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame([[10, 0], [0, 10]], index=["A", "B"], columns=["x", "y"])
    >>> r = contingency_test(t)
    >>> round(r.chi2, 1), round(float(r.residuals.loc["A", "x"]), 3)
    (20.0, 4.472)
    """
    from scipy import stats

    obs = table.astype(float)
    n = float(obs.to_numpy().sum())
    rt = obs.sum(axis=1).to_numpy()
    ct = obs.sum(axis=0).to_numpy()
    exp = np.outer(rt, ct) / n if n > 0 else np.zeros(obs.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        den = np.sqrt(exp * np.outer(1 - rt / n, 1 - ct / n)) if n > 0 else np.zeros(obs.shape)
        res = np.where(den > 0, (obs.to_numpy() - exp) / den, 0.0)
    keep_r, keep_c = rt > 0, ct > 0
    if keep_r.sum() >= 2 and keep_c.sum() >= 2:
        chi2, p, dof, _ = stats.chi2_contingency(obs.to_numpy()[np.ix_(keep_r, keep_c)],
                                                 correction=False)
        v = math.sqrt(chi2 / (n * (min(keep_r.sum(), keep_c.sum()) - 1)))
    else:
        chi2, p, dof, v = float("nan"), float("nan"), 0, float("nan")
    return GroupComparison(
        table=obs, expected=pd.DataFrame(exp, index=obs.index, columns=obs.columns),
        residuals=pd.DataFrame(res, index=obs.index, columns=obs.columns),
        chi2=float(chi2), dof=int(dof), p_value=float(p), cramers_v=float(v),
        measure=measure, n=n,
    )


def frame_by_group(
    frame_docs: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    by: str = "outlet",
    scheme: str | None = None,
    measure: str = "present",
) -> GroupComparison:
    """Frame x group contingency table, chi-square test and adjusted residuals.

    Parameters
    ----------
    frame_docs : DataFrame
        Output of :func:`doc_frames` / ``step()["frame_docs"]``.
    docs : DataFrame
        The ``docs`` table with the grouping column.
    by : str
        Any column of ``docs`` (outlet, language, a user metadata column ...). Missing
        values form the group ``"(missing)"``.
    scheme : str, optional
        Needed when ``frame_docs`` holds several schemes.
    measure : {"present", "primary", "n_cues", "n_hits", "n_sentences"}
        What is counted per cell: documents where the frame is present (multi-label: a
        document can count in several cells, so the chi-square's independence
        assumption is only approximate); documents by primary frame (one cell per
        document with cues: the textbook test); or cue / sentence counts (many per
        document: the test then overstates significance - read residuals descriptively).

    Returns
    -------
    GroupComparison

    Examples
    --------
    >>> import pandas as pd
    >>> fd = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "scheme": ["generic"] * 4,
    ...                    "frame": ["conflict", "economic"] * 2,
    ...                    "present": [True, False, False, True]})
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]})
    >>> frame_by_group(fd, docs, by="outlet").table.loc["X", "conflict"]
    np.float64(1.0)
    """
    fd, scheme = _one_scheme(frame_docs, scheme)
    _require(docs, "docs", ("doc_id", by))
    frames = list(scheme_frames(scheme))
    grp = docs.assign(doc_id=docs["doc_id"].astype(str)).set_index("doc_id")[by]
    grp = grp.astype(object).where(grp.notna(), "(missing)").astype(str)
    g = fd["doc_id"].astype(str).map(grp).fillna("(missing)")
    val = _measure_counts(fd, measure)
    t = pd.DataFrame({"group": g.to_numpy(), "frame": _str(fd["frame"]),
                      "v": val.to_numpy()}) \
        .pivot_table(index="group", columns="frame", values="v", aggfunc="sum", fill_value=0.0)
    groups = sorted(set(grp.tolist()) | set(t.index))
    t = t.reindex(index=groups, columns=frames, fill_value=0.0)
    t.index.name, t.columns.name = by, "frame"
    return contingency_test(t, measure=measure)


def frames_over_time(
    frame_docs: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    freq: str = "M",
    scheme: str | None = None,
    measure: str = "present",
    by: str | None = None,
) -> pd.DataFrame:
    """Frame shares per period (and group).

    Parameters
    ----------
    freq : str
        A pandas period alias: ``"D"``, ``"W"``, ``"M"``, ``"Q"``, ``"Y"``.
    measure : {"present", "primary", "score"}
        ``present``: share of the period's documents in which the frame is present;
        ``primary``: share of documents with that primary frame; ``score``: mean frame
        profile score.
    by : str, optional
        A docs column to split by (e.g. ``"outlet"``).

    Returns
    -------
    DataFrame
        period (Timestamp of the period start), [by], frame, n_docs, value. Documents
        without a date are left out (a log line says how many).

    Examples
    --------
    >>> import pandas as pd
    >>> fd = pd.DataFrame({"doc_id": ["a", "b"], "scheme": ["generic"] * 2,
    ...                    "frame": ["conflict"] * 2, "present": [True, False]})
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"],
    ...                      "date": pd.to_datetime(["2024-01-03", "2024-01-20"])})
    >>> frames_over_time(fd, docs).query("frame == 'conflict'").value.tolist()
    [0.5]
    """
    if measure not in ("present", "primary", "score"):
        raise ValueError(f"measure must be 'present', 'primary' or 'score', got {measure!r}")
    fd, scheme = _one_scheme(frame_docs, scheme)
    _require(docs, "docs", ("doc_id", "date") + ((by,) if by else ()))
    dates = pd.to_datetime(docs["date"], errors="coerce")
    try:
        per = dates.dt.to_period(freq)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"freq {freq!r} is not a pandas period alias (use D, W, M, Q or Y)") from exc
    meta = pd.DataFrame({"doc_id": _str(docs["doc_id"]),
                         "period": per.dt.start_time.to_numpy()})
    if by:
        meta[by] = docs[by].astype(object).where(docs[by].notna(), "(missing)").astype(str).to_numpy()
    n_missing = int(meta["period"].isna().sum())
    if n_missing:
        log.info("frames_over_time: %d document(s) without a date left out", n_missing)
    meta = meta.dropna(subset=["period"])
    d = pd.DataFrame({"doc_id": _str(fd["doc_id"]),
                      "frame": pd.Categorical(fd["frame"].astype(str),
                                              categories=list(scheme_frames(scheme))),
                      "v": fd[measure].astype(float).to_numpy()}).merge(meta, on="doc_id")
    keys = ["period"] + ([by] if by else [])
    out = d.groupby(keys + ["frame"], observed=False).agg(n_docs=("doc_id", "nunique"),
                                                          value=("v", "mean")).reset_index()
    out = out[out["n_docs"] > 0].reset_index(drop=True)
    out["value"] = out["value"].fillna(0.0)
    return out


_TOKEN_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")


def _token_counts(texts: Sequence[str], min_len: int) -> tuple[list[str], np.ndarray, list]:
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(token_pattern=None, tokenizer=lambda t: _TOKEN_RE.findall(fold(t)),
                          lowercase=False)
    try:
        x = vec.fit_transform([t if isinstance(t, str) else "" for t in texts])
    except ValueError:  # empty vocabulary
        return [], np.zeros((len(texts), 0)), []
    vocab = vec.get_feature_names_out().tolist()
    keep = np.array([len(v) >= min_len for v in vocab], dtype=bool)
    return [v for v, k in zip(vocab, keep) if k], x[:, np.flatnonzero(keep)], vocab


def keyness(
    docs: pd.DataFrame,
    target,
    *,
    by: str | None = None,
    reference=None,
    text_col: str = "text",
    correction: str = "williams",
    min_count: int = 2,
    min_len: int = 1,
    stopwords: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Keyness of terms in a target group against a reference (log-likelihood G²).

    For each term, with ``a`` / ``b`` its count in target / reference and ``c`` / ``d``
    the counts of all other terms, the 2x2 table [[a, b], [c, d]] gives expected
    ``E_ij = row_i * col_j / N`` and ``G² = 2 Σ O_ij ln(O_ij / E_ij)`` (0 ln 0 = 0).
    The sign follows quanteda's ``textstat_keyness``: positive when the term is more
    frequent in the target than expected (``a > E_11``), negative otherwise.
    ``correction`` follows quanteda's ``textstat_keyness(measure = "lr")``: ``"none"``;
    ``"yates"`` moves each observed cell 0.5 toward its expected value, only when
    ``|ad - bc| >= N/2`` and some expected count is below 5; ``"williams"`` (default)
    divides G² by ``q = 1 + (N/(a+b) + N/(c+d) - 1)(N/(a+c) + N/(b+d) - 1) / (6N)``, with
    ``q = 1`` when any cell of the table is 0. ``p`` is the chi-square(1) upper tail of
    |G²|. Effect size: ``log_ratio = log2((a / n_t) / (b / n_r))`` (Hardie 2014's log
    ratio), n_t and n_r the group totals, where a zero ``a`` or ``b`` is replaced by 0.5
    (framelens's convention; Hardie's definition leaves zero counts undefined).

    Parameters
    ----------
    docs : DataFrame
        Any table with a text column (``docs`` or ``sentences``).
    target : array-like of bool, or a value of ``docs[by]``
        Rows forming the target group.
    by : str, optional
        Column whose value ``target`` names.
    reference : value of ``docs[by]``, optional
        Reference group; default: every other row.
    correction : {"williams", "yates", "none"}
    min_count : int
        Drop terms with fewer occurrences in target + reference.
    min_len : int
        Drop terms shorter than this many characters.
    stopwords : iterable of str, optional
        Terms to leave out (compared after folding).

    Returns
    -------
    DataFrame
        term, n_target, n_reference, G2, p, log_ratio, sorted by G2 descending.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"text": ["war war peace", "trade trade peace"], "g": ["A", "B"]})
    >>> k = keyness(d, "A", by="g", min_count=1, correction="none")
    >>> k.iloc[0]["term"], int(k.iloc[0]["n_target"])
    ('war', 2)
    """
    if correction not in ("williams", "yates", "none"):
        raise ValueError(f"correction must be 'williams', 'yates' or 'none', got {correction!r}")
    _require(docs, "docs", (text_col,) + ((by,) if by else ()))
    if by is not None:
        vals = docs[by].astype(object)
        tmask = (vals == target).to_numpy(dtype=bool)
        rmask = ~tmask if reference is None else (vals == reference).to_numpy(dtype=bool)
        if not tmask.any():
            raise ValueError(f"no rows with {by} == {target!r}; values: {sorted(map(str, vals.dropna().unique()))[:20]}")
    else:
        tmask = np.asarray(target, dtype=bool)
        if tmask.shape != (len(docs),):
            raise ValueError("target must be a boolean mask with one entry per row of docs "
                             "(or pass by=COLUMN and a group value)")
        rmask = ~tmask if reference is None else np.asarray(reference, dtype=bool)
    rmask = rmask & ~tmask
    texts = docs[text_col].astype(object).where(docs[text_col].notna(), "").tolist()
    vocab, x, _ = _token_counts(texts, min_len)
    empty = pd.DataFrame({"term": pd.Series(dtype=str), "n_target": pd.Series(dtype=np.int64),
                          "n_reference": pd.Series(dtype=np.int64), "G2": pd.Series(dtype=float),
                          "p": pd.Series(dtype=float), "log_ratio": pd.Series(dtype=float)})
    if not vocab:
        return empty
    a = np.asarray(x[np.flatnonzero(tmask)].sum(axis=0)).ravel().astype(float)
    b = np.asarray(x[np.flatnonzero(rmask)].sum(axis=0)).ravel().astype(float)
    out = _g2_table(np.array(vocab), a, b, correction=correction)
    if stopwords:
        stop = {fold(s) for s in stopwords}
        out = out[~out["term"].isin(stop)]
    out = out[(out["n_target"] + out["n_reference"]) >= min_count]
    return out.sort_values(["G2", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _g2_table(terms: np.ndarray, a: np.ndarray, b: np.ndarray, *, correction: str) -> pd.DataFrame:
    from scipy import stats

    nt, nr = a.sum(), b.sum()
    c, d = nt - a, nr - b
    n = nt + nr
    with np.errstate(divide="ignore", invalid="ignore"):
        e11 = (a + b) * (a + c) / n
        e12 = (a + b) * (b + d) / n
        e21 = (c + d) * (a + c) / n
        e22 = (c + d) * (b + d) / n
        oa, ob, oc, od = a.copy(), b.copy(), c.copy(), d.copy()
        if correction == "yates":
            # quanteda: only when |ad - bc| >= N/2 AND some expected count < 5; each
            # cell then moves 0.5 toward its expectation
            app = (np.abs(a * d - b * c) >= n / 2) & (
                (e11 < 5) | (e12 < 5) | (e21 < 5) | (e22 < 5))
            s = np.where(a * d - b * c > 0, 0.5, -0.5) * app
            oa, ob, oc, od = a - s, b + s, c + s, d - s

        def term(o, e):
            return np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / np.where(e > 0, e, 1)), 0.0)

        g2 = 2 * (term(oa, e11) + term(ob, e12) + term(oc, e21) + term(od, e22))
        if correction == "williams":
            # quanteda: q = 1 when any cell of the 2x2 table is 0
            q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
            q = np.where((a * b * c * d == 0) | ~np.isfinite(q) | (q <= 0), 1.0, q)
            g2 = g2 / q
        g2 = np.clip(np.nan_to_num(g2, nan=0.0), 0, None)
        g2 = np.where(a > e11, g2, -g2)
        # log ratio (Hardie 2014): log2 of the ratio of relative frequencies; a zero count
        # is replaced by 0.5 (framelens's convention, not part of Hardie's definition)
        lr = np.log2((np.where(a > 0, a, 0.5) / np.where(nt > 0, nt, 1))
                     / (np.where(b > 0, b, 0.5) / np.where(nr > 0, nr, 1)))
    return pd.DataFrame({"term": terms, "n_target": a.astype(np.int64),
                         "n_reference": b.astype(np.int64), "G2": g2,
                         "p": stats.chi2.sf(np.abs(g2), 1), "log_ratio": lr})


def _pattern_regex(pattern: str) -> re.Pattern:
    """Glob/phrase pattern -> regex on folded text with word boundaries."""
    words = fold(pattern.strip()).split()
    if not words:
        raise ValueError("kwic pattern is empty")
    parts = []
    for w in words:
        if w.endswith("*"):
            parts.append(re.escape(w[:-1]) + r"\w*")
        else:
            parts.append(re.escape(w))
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")


_WORD_RE = re.compile(r"\S+")


def kwic(
    docs: pd.DataFrame,
    pattern: str,
    *,
    matches: pd.DataFrame | None = None,
    lexicon: str | None = None,
    window: int = 8,
    max_rows: int | None = None,
) -> pd.DataFrame:
    """Keyword in context for a term/phrase/glob or a lexicon category.

    If ``matches`` is given and ``pattern`` is a category in it (optionally of
    ``lexicon``), the category's match spans are shown; otherwise ``pattern`` is a
    word, a phrase or a prefix glob (``sanction*``) searched case- and
    diacritics-insensitively on word boundaries.

    Parameters
    ----------
    docs : DataFrame
        doc_id and text.
    pattern : str
        Term, phrase, glob or category name.
    window : int
        Number of whitespace-separated words of context on each side.
    max_rows : int, optional
        Stop after this many rows.

    Returns
    -------
    DataFrame
        doc_id, start, end, left, match, right (``text[start:end] == match``), and
        term / category when taken from ``matches``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ["New EU sanctions hit Russia hard."]})
    >>> r = kwic(d, "sanction*", window=2)
    >>> r[["start", "end", "left", "match", "right"]].values.tolist()
    [[7, 16, 'New EU', 'sanctions', 'hit Russia']]
    """
    _require(docs, "docs", ("doc_id", "text"))
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"window must be an int >= 0, got {window!r}")
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"].astype(object)))
    spans: list[tuple] = []
    from_matches = False
    if matches is not None and len(matches):
        _require(matches, "matches", ("doc_id", "start", "end", "category"))
        sel = _str(matches["category"]) == pattern
        if lexicon is not None:
            sel &= _str(matches["lexicon"]) == lexicon
        if sel.any():
            from_matches = True
            m = matches.loc[sel].sort_values(["doc_id", "start"], kind="stable")
            spans = list(zip(m["doc_id"].astype(str), m["start"].astype(int), m["end"].astype(int),
                             m["term"].astype(str) if "term" in m else [""] * len(m),
                             m["category"].astype(str)))
    if not from_matches:
        rx = _pattern_regex(pattern)
        for did, text in texts.items():
            if not isinstance(text, str):
                continue
            for mo in rx.finditer(fold(text)):
                spans.append((did, mo.start(), mo.end(), pattern, ""))
                if max_rows and len(spans) >= max_rows:
                    break
            if max_rows and len(spans) >= max_rows:
                break
    rows = {"doc_id": [], "start": [], "end": [], "left": [], "match": [], "right": []}
    extra = {"term": [], "category": []}
    bounds_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for did, s, e, term, cat in spans[: max_rows or None]:
        text = texts.get(did)
        if not isinstance(text, str):
            continue
        if did not in bounds_cache:
            ws = [(mo.start(), mo.end()) for mo in _WORD_RE.finditer(text)]
            bounds_cache[did] = (np.array([w[0] for w in ws], dtype=np.int64),
                                 np.array([w[1] for w in ws], dtype=np.int64))
        starts, ends = bounds_cache[did]
        i_left = int(np.searchsorted(ends, s, side="right"))     # words ending at/before s
        lo = starts[max(i_left - window, 0)] if window and i_left > 0 else s
        i_right = int(np.searchsorted(starts, e, side="left"))  # first word starting at/after e
        hi = ends[min(i_right + window, len(ends)) - 1] if window and i_right < len(starts) else e
        rows["doc_id"].append(did)
        rows["start"].append(int(s))
        rows["end"].append(int(e))
        rows["left"].append(" ".join(text[lo:s].split()))
        rows["match"].append(text[s:e])
        rows["right"].append(" ".join(text[e:max(hi, e)].split()))
        extra["term"].append(term)
        extra["category"].append(cat)
    out = pd.DataFrame(rows)
    out["start"] = out["start"].astype(np.int64)
    out["end"] = out["end"].astype(np.int64)
    if from_matches:
        out["term"] = extra["term"]
        out["category"] = extra["category"]
    return out


# --------------------------------------------------------------------------- helpers for notebooks
def cue_terms(
    matches: pd.DataFrame,
    *,
    scheme: str,
    docs: pd.DataFrame | None = None,
    by: str | None = None,
    n: int = 10,
    actor_cues: str = "exclude",
) -> pd.DataFrame:
    """The most frequent cue terms per frame (and group).

    Parameters
    ----------
    matches : DataFrame
        The ``matches`` table.
    scheme : str
        ``"policy"`` or ``"generic"``.
    docs : DataFrame, optional
        Needed for ``by`` and to report the surface form (the folded matched text, e.g.
        "sanctions" for the pattern ``sanction*``); without it the pattern is reported.
    by : str, optional
        A docs column to split by.
    n : int
        Terms kept per frame (and group).
    actor_cues : {"exclude", "down-weight", "count"}
        As in :func:`doc_frames` (country and capital names left out by default).

    Returns
    -------
    DataFrame
        [by], frame, term, n_cues (sum of weights), n_docs, rank (1 = most frequent).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b"], "sent_id": [0, 0, 0], "start": [0, 9, 0],
    ...                   "end": [8, 14, 5], "lexicon": ["generic"] * 3,
    ...                   "category": ["conflict"] * 3, "term": ["clash*", "war", "war"],
    ...                   "weight": [1.0, 1.0, 1.0]})
    >>> cue_terms(m, scheme="generic")[["term", "n_cues", "n_docs"]].values.tolist()
    [['war', 2.0, 2], ['clash*', 1.0, 1]]
    """
    frames = scheme_frames(scheme)
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    h = _scheme_hits(matches, scheme, _check_actor_cues(actor_cues))
    term = h["term"].copy()
    if docs is not None:
        _require(docs, "docs", ("doc_id", "text") + ((by,) if by else ()))
        texts = dict(zip(_str(docs["doc_id"]), docs["text"].astype(object)))
        st = matches["start"].to_numpy(dtype=np.int64)[h["index"]]
        en = matches["end"].to_numpy(dtype=np.int64)[h["index"]]
        folded: dict[str, str] = {}
        for i, (d, a_, b_) in enumerate(zip(h["doc"], st, en)):     # one slice per cue
            if d not in folded:
                t = texts.get(d)
                folded[d] = fold(t) if isinstance(t, str) else ""
            term[i] = folded[d][a_:b_] or term[i]
    elif by is not None:
        raise ValueError("by=... needs docs=... (the grouping column lives in docs)")
    h = pd.DataFrame({"doc_id": h["doc"], "frame": np.asarray(frames, dtype=object)[h["f"]],
                      "term": term, "w": h["w"]})
    keys = ["frame", "term"]
    if by:
        g = docs.assign(doc_id=docs["doc_id"].astype(str)).set_index("doc_id")[by]
        h = h.assign(**{by: h["doc_id"].map(g.astype(object).where(g.notna(), "(missing)"))
                        .fillna("(missing)").astype(str)})
        keys = [by] + keys
    out = h.groupby(keys, sort=False).agg(n_cues=("w", "sum"), n_docs=("doc_id", "nunique")) \
        .reset_index()
    out["frame"] = pd.Categorical(out["frame"], categories=list(frames))
    out = out.sort_values(keys[:-2] + ["frame", "n_cues", "term"],
                          ascending=[True] * (len(keys) - 2) + [True, False, True], kind="stable")
    out["rank"] = out.groupby(keys[:-1], observed=True).cumcount() + 1
    return out[out["rank"] <= n].reset_index(drop=True)


def check_params(
    *,
    scheme: str,
    docs: pd.DataFrame | None = None,
    group_col: str | None = None,
    date_from: str = "",
    date_to: str = "",
) -> dict[str, Any]:
    """Validate notebook parameters; return them normalised.

    Returns
    -------
    dict
        scheme, frames, group_col, date_from / date_to (Timestamp or None) and, with
        ``docs``, ``doc_ids``: the documents inside the date range (all when no range;
        undated documents are kept only when no range is set).

    Examples
    --------
    >>> check_params(scheme="generic")["frames"][:2]
    ('responsibility', 'human_interest')
    """
    frames = scheme_frames(scheme)
    out: dict[str, Any] = {"scheme": scheme, "frames": frames, "group_col": group_col}
    for key, val in (("date_from", date_from), ("date_to", date_to)):
        if val in (None, ""):
            out[key] = None
            continue
        try:
            out[key] = pd.Timestamp(str(val))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{key}={val!r} is not a date; use YYYY-MM-DD or leave it empty") from exc
    if out["date_from"] is not None and out["date_to"] is not None and out["date_from"] > out["date_to"]:
        raise ValueError(f"date_from {date_from!r} is after date_to {date_to!r}")
    if docs is not None:
        _require(docs, "docs", ("doc_id",))
        if group_col is not None and group_col not in docs.columns:
            raise ValueError(f"group_col {group_col!r} is not a docs column; choose one of "
                             f"{[c for c in docs.columns if c != 'text']}")
        keep = np.ones(len(docs), dtype=bool)
        if out["date_from"] is not None or out["date_to"] is not None:
            if "date" not in docs.columns:
                raise ValueError("a date range needs a 'date' column in docs")
            d = pd.to_datetime(docs["date"], errors="coerce")
            keep &= d.notna().to_numpy()
            if out["date_from"] is not None:
                keep &= (d >= out["date_from"]).fillna(False).to_numpy()
            if out["date_to"] is not None:
                keep &= (d <= out["date_to"]).fillna(False).to_numpy()
        out["doc_ids"] = _str(docs["doc_id"])[keep].tolist()
    return out
