"""The framing pipeline step."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from framelens.core.normalize import fold

from ..registry import Option, register_step
from .documents import DEFAULTS, doc_frames, sentence_arrays, summary_from_arrays, title_ends
from .schemes import (
    ACTOR_CUE_MODES,
    SCHEMES,
    as_str_array,
    check_actor_cues,
    check_schemes,
    scheme_frames,
)
from .sentences import match_arrays, scheme_hits, sentence_core, sentence_table

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def _title_matcher(schemes: tuple[str, ...]):
    from framelens import lexicon

    return lexicon.Matcher([lexicon.load(s) for s in schemes])


def _separate_title_matches(
    docs: pd.DataFrame | None, schemes: tuple[str, ...]
) -> pd.DataFrame | None:
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
        if fold(txt[lead_ws : lead_ws + len(t)]) == fold(t):
            continue  # the headline is in the text: weighted as sentences
        rows.append((did, t))
    if not rows:
        return None
    try:
        from framelens import lexicon

        tdocs = pd.DataFrame({"doc_id": [r[0] for r in rows], "text": [r[1] for r in rows]})
        n = len(tdocs)
        sents = pd.DataFrame(
            {
                "doc_id": tdocs["doc_id"],
                "sent_id": np.zeros(n, dtype=np.int32),
                "para_id": np.zeros(n, dtype=np.int32),
                "start": np.zeros(n, dtype=np.int64),
                "end": tdocs["text"].str.len().astype("int64"),
                "text": tdocs["text"],
                "n_words": np.ones(n, dtype=np.int32),
            }
        )
        segs = pd.DataFrame(
            {
                "doc_id": tdocs["doc_id"],
                "start": np.zeros(n, dtype=np.int64),
                "end": tdocs["text"].str.len().astype("int64"),
                "voice": ["author"] * n,
                "quote_id": pd.array([pd.NA] * n, dtype="Int64"),
            }
        )
        return lexicon.match(tdocs, _title_matcher(schemes), sentences=sents, segments=segs)
    except Exception as exc:  # headline weighting is a refinement; never fail the step
        log.warning(
            "framing: could not match separate titles (%s); headline weighting "
            "applies only to titles that open the text",
            exc,
        )
        return None


def _check_schemes(value) -> str | None:
    try:
        check_schemes(value)
    except ValueError as exc:
        return str(exc)
    return None


def _positive(value) -> str | None:
    return None if value > 0 else f"must be > 0, not {value!r}"


def _non_negative(value) -> str | None:
    return None if value >= 0 else f"must be >= 0, not {value!r}"


OPTIONS = (
    Option(
        "schemes",
        (list, tuple, str),
        SCHEMES,
        "frame schemes to compute (lexicons of those names must be matched)",
        check=_check_schemes,
    ),
    Option(
        "thresholds",
        Mapping,
        None,
        "presence thresholds: {scheme: thresholds}, or one flat mapping for every scheme",
    ),
    Option(
        "sentence_min_cues",
        float,
        DEFAULTS["sentence_min_cues"],
        "cue weight a sentence needs to be coded with a frame",
        check=_positive,
    ),
    Option(
        "headline_weight",
        float,
        DEFAULTS["headline_weight"],
        "weight of headline cues",
        check=_non_negative,
    ),
    Option(
        "lead_weight",
        float,
        DEFAULTS["lead_weight"],
        "weight of lead-sentence cues",
        check=_non_negative,
    ),
    Option(
        "lead_sentences",
        int,
        DEFAULTS["lead_sentences"],
        "sentences that form the lead",
        check=_non_negative,
    ),
    Option("dense_sentences", bool, False, "keep zero rows in frame_sentences"),
    Option(
        "actor_cues",
        str,
        DEFAULTS["actor_cues"],
        "how cues that are actor names count",
        choices=ACTOR_CUE_MODES,
    ),
)


@register_step(
    "framing",
    requires=("matches", "sentences"),
    provides=("frame_sentences", "frame_docs", "frame_summary"),
    options=OPTIONS,
)
def step(
    tables: Mapping[str, pd.DataFrame],
    *,
    schemes: Sequence[str],
    thresholds: Mapping[str, Any] | None,
    sentence_min_cues: float,
    headline_weight: float,
    lead_weight: float,
    lead_sentences: int,
    dense_sentences: bool,
    actor_cues: str,
) -> dict[str, pd.DataFrame]:
    """Pipeline step: frame tables for one batch.

    Options and their defaults are :data:`OPTIONS` (registered step ``framing``).

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
    >>> from framelens.core import schema
    >>> out = step({"matches": schema.empty("matches"), "sentences": schema.empty("sentences")})
    >>> sorted(out)
    ['frame_docs', 'frame_sentences', 'frame_summary']
    """
    # long: numpydoc for eight options; the body loops once over the schemes
    schemes = check_schemes(schemes)
    if "matches" not in tables or "sentences" not in tables:
        raise ValueError("framing.step needs the 'matches' and 'sentences' tables")
    if not sentence_min_cues > 0:
        raise ValueError("sentence_min_cues must be > 0 (a sentence needs a cue to be coded)")
    check_actor_cues(actor_cues)
    matches, sentences = tables["matches"], tables["sentences"]
    docs = tables.get("docs")
    if thresholds is not None and set(thresholds) <= set(SCHEMES):
        per_scheme = dict(thresholds)
    else:
        per_scheme = {s: thresholds for s in schemes}
    tmatches = _separate_title_matches(docs, schemes)
    # extract the columns once as numpy arrays (see match_arrays)
    ma = match_arrays(matches)
    sa = sentence_arrays(sentences)
    for s in schemes:
        if len(ma["lexicon"]) and not (ma["lexicon"] == s).any():
            log.debug("framing: no %r matches in this batch (lexicon configured?)", s)
    ends = title_ends(docs)
    sf, fd, summaries = [], [], []
    for s in schemes:
        core = sentence_core(
            scheme_hits(ma, s, actor_cues), len(scheme_frames(s)), sentence_min_cues
        )
        sf.append(
            sentence_table(
                core,
                s,
                sentences=sentences,
                dense=dense_sentences,
                sentence_min_cues=sentence_min_cues,
            )
        )
        arrays: dict = {}
        fd.append(
            doc_frames(
                matches,
                sa,
                scheme=s,
                docs=docs,
                thresholds=per_scheme.get(s),
                sentence_min_cues=sentence_min_cues,
                headline_weight=headline_weight,
                lead_weight=lead_weight,
                lead_sentences=lead_sentences,
                title_matches=tmatches,
                actor_cues=actor_cues,
                _sf=core,
                _ends=ends,
                _arrays=arrays,
            )
        )
        summaries.append(summary_from_arrays(arrays, s, with_sentences=True))
    summary = pd.concat(summaries, ignore_index=True)
    summary["scheme"] = pd.Categorical(as_str_array(summary["scheme"]), categories=list(SCHEMES))
    order = _doc_order(docs, sentences)
    return {
        "frame_sentences": _doc_major(_concat_cat(sf), order),
        "frame_docs": _doc_major(_concat_cat(fd), order),
        "frame_summary": _doc_major(summary, order),
    }


def _doc_order(docs: pd.DataFrame | None, sentences: pd.DataFrame) -> pd.Index:
    """The batch's documents in corpus order (``docs``, else the sentences' order)."""
    ids = docs["doc_id"] if docs is not None and "doc_id" in docs else sentences["doc_id"]
    return pd.Index(pd.unique(as_str_array(ids)))


def _doc_major(table: pd.DataFrame, order: pd.Index) -> pd.DataFrame:
    """Rows in document order, keeping the per-scheme order within a document (stable).

    Batches are consecutive slices of the corpus, so a document-major order makes the
    concatenated batches the same table whatever the batch size; documents missing from
    ``order`` keep their place after the known ones.
    """
    if table.empty:
        return table
    pos = order.get_indexer(as_str_array(table["doc_id"]))
    pos = np.where(pos < 0, len(order), pos)
    idx = np.argsort(pos, kind="stable")
    if (idx == np.arange(len(idx))).all():
        return table
    return table.iloc[idx].reset_index(drop=True)


def _concat_cat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-scheme tables; ``frame`` becomes a Categorical over all frames."""
    cats = []
    for p in parts:
        cats += [c for c in p["frame"].cat.categories if c not in cats]
    out = pd.concat(
        [
            p.assign(
                frame=p["frame"].cat.set_categories(cats),
                scheme=p["scheme"].cat.set_categories(list(SCHEMES)),
            )
            for p in parts
        ],
        ignore_index=True,
    )
    return out
