"""The alignment pipeline step and one-call analysis of a text."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from .common import TONE_COLUMNS, empty_frame, relation_matches
from .event_coding import events
from .index import alignment_index
from .tones import actor_tone
from .tones import tone as mention_tone_fn

log = logging.getLogger(__name__)


def step(
    tables: Mapping[str, pd.DataFrame],
    *,
    focal: str = "SRB",
    camps: Mapping[str, Sequence[str]] | None = None,
    historical_years: int = 25,
    relation_weight: float = 0.25,
    target_factor: float = 0.5,
    tone: bool = True,
) -> dict[str, pd.DataFrame]:
    """Pipeline step: ``events``, ``mention_tone``, ``actor_tone`` and ``alignment``.

    ``actor_tone`` aggregates ``mention_tone`` per (doc_id, root); ``alignment`` is
    :func:`alignment_index` per document for ``focal`` and ``camps``.

    Parameters
    ----------
    tables : mapping
        Needs ``docs``, ``sentences``, ``mentions``; uses ``matches`` and ``segments``.
    focal, camps, historical_years : see :func:`events` and :func:`alignment_index`.
    relation_weight, target_factor : see :func:`tone`.
    tone : bool, default True
        Compute the tone toward actors (``mention_tone``, ``actor_tone``). The
        target-tone model scores 7 VADER contexts per mention and is most of the
        step's cost (and about a third of a whole ``analyze``); it runs whatever
        ``Config.sentiment`` says, because its features *are* VADER scores and
        ``mention_tone`` must mean the same with sentence sentiment on or off. With
        ``tone=False`` (``Config(options={"alignment": {"tone": False}})``) both tables
        are empty with their usual columns; ``events`` and the alignment index (built
        from relation events only) are unchanged.

    Examples
    --------
    >>> from framelens.measures.alignment import analyze_text
    >>> r = analyze_text("Serbia thanked Russia for gas supplies.", date="2024-10-20")
    >>> tabs = {"docs": r["docs"], "sentences": r["sentences"], "mentions": r["mentions"],
    ...         "matches": r["matches"]}
    >>> out = step(tabs, tone=False)
    >>> len(out["events"]), len(out["mention_tone"]), list(out["actor_tone"].columns)[:3]
    (1, 0, ['doc_id', 'root', 'n_mentions'])
    """
    if not isinstance(tone, bool):
        raise ValueError(f"tone must be True or False, not {tone!r}")
    docs = tables["docs"]
    ev = events(
        docs,
        sentences=tables["sentences"],
        mentions=tables.get("mentions"),
        matches=tables.get("matches"),
        segments=tables.get("segments"),
        focal=focal,
        historical_years=historical_years,
    )
    if tone:
        matches = tables.get("matches")
        if (
            matches is None
            or not len(matches)
            or not (matches["lexicon"].astype(str) == "relations").any()
        ):
            matches = relation_matches(
                docs, sentences=tables["sentences"], segments=tables.get("segments")
            )
        mt = _tone_fn()(
            tables.get("mentions"),
            sentences=tables["sentences"],
            events=ev,
            matches=matches,
            relation_weight=relation_weight,
            target_factor=target_factor,
        )
    else:
        if relation_weight < 0 or target_factor < 0:
            raise ValueError("relation_weight and target_factor must be >= 0")
        mt = empty_frame(TONE_COLUMNS)
    return {
        "events": ev,
        "mention_tone": mt,
        "actor_tone": actor_tone(mt),
        "alignment": alignment_index(ev, focal=focal, camps=camps, by="doc_id", docs=docs),
    }


def _tone_fn():
    # the step's boolean option ``tone`` shadows the tone() function inside step()
    return mention_tone_fn


def _simple_sentences(docs: pd.DataFrame) -> pd.DataFrame:
    """Sentences by a plain regex (used when framelens.text is not available)."""
    rows = {"doc_id": [], "sent_id": [], "start": [], "end": [], "text": []}
    pat = re.compile(
        r"[^\n]+?(?:(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bMs)[.!?](?=\s+[A-Z\"“])|$)", re.M
    )
    for d, t in zip(docs["doc_id"].astype(str), docs["text"].astype(str)):
        k = 0
        for m in pat.finditer(t):
            s, e = m.start(), m.end()
            while s < e and t[s].isspace():
                s += 1
            if s >= e:
                continue
            rows["doc_id"].append(d)
            rows["sent_id"].append(k)
            rows["start"].append(s)
            rows["end"].append(e)
            rows["text"].append(t[s:e])
            k += 1
    return pd.DataFrame(rows).astype({"sent_id": "int32", "start": "int64", "end": "int64"})


def analyze_text(
    text: str | Iterable[str],
    *,
    date=None,
    focal: str = "SRB",
    camps: Mapping[str, Sequence[str]] | None = None,
    gazetteer=None,
) -> dict[str, pd.DataFrame]:
    """Run actors + alignment on one text (or a list) - for examples, tests and notebooks.

    Uses :func:`framelens.text.layer` when available, else a simple sentence splitter.
    """
    from framelens import actors

    texts = [text] if isinstance(text, str) else list(text)
    docs = pd.DataFrame(
        {
            "doc_id": [f"t{i}" for i in range(len(texts))],
            "text": texts,
            "date": pd.to_datetime([date] * len(texts)),
        }
    )
    try:
        from framelens import text as text_mod

        tables = dict(text_mod.process(docs))
    except ImportError:
        tables = {"sentences": _simple_sentences(docs), "quotes": None, "segments": None}
    tables["docs"] = docs
    out = actors.step(tables, gazetteer=gazetteer)
    tables.update({k: v for k, v in out.items()})
    tables["matches"] = relation_matches(
        docs, sentences=tables["sentences"], segments=tables.get("segments")
    )
    res = step(tables, focal=focal, camps=camps)
    return {
        "docs": docs,
        "sentences": tables["sentences"],
        "mentions": tables["mentions"],
        "matches": tables["matches"],
        **res,
    }
