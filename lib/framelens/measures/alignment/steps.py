"""The alignment pipeline step and one-call analysis of a text."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ..mentions import actors_step
from ..registry import Option, register_step
from .common import ALIGNMENT_COLUMNS, TONE_COLUMNS, check_camps, empty_frame, relation_matches
from .event_coding import events
from .index import alignment_index
from .tones import actor_tone, tone

log = logging.getLogger(__name__)


def _check_camps(camps) -> str | None:
    try:
        check_camps(camps)
    except ValueError as exc:
        return str(exc)
    return None


def _check_focal(focal) -> str | None:
    return None if focal.strip() else "must be an actor root such as 'SRB', not ''"


def _check_options(options: Mapping) -> str | None:
    if options["focal"] is not None and options["camps"] is None:
        return (
            f"focal is {options['focal']!r} but camps is not set; set "
            "options.alignment.camps, e.g. {'RUS': ['RUS', 'BLR'], 'WST': ['WST']}"
        )
    return None


OPTIONS = (
    Option(
        "focal",
        str,
        None,
        "root of the focal actor (e.g. 'SRB'); None: no alignment index",
        check=_check_focal,
    ),
    Option(
        "camps",
        Mapping,
        None,
        "camp name -> list of roots or blocs, e.g. {'RUS': ['RUS', 'BLR'], 'WST': ['WST']}",
        check=_check_camps,
    ),
    Option("historical_years", int, 25, "a clause naming a year this far back is historical"),
    Option("relation_weight", float, 0.25, "weight of relation cues in the target tone"),
    Option("target_factor", float, 0.5, "weight of the target context in the target tone"),
    Option(
        "mention_tone",
        bool,
        True,
        "compute the tone toward actors (mention_tone, actor_tone; most of the step's cost)",
    ),
)


@register_step(
    "alignment",
    requires=("docs", "sentences", "mentions"),
    provides=("events", "mention_tone", "actor_tone", "alignment"),
    options=OPTIONS,
    check=_check_options,
)
def step(
    tables: Mapping[str, pd.DataFrame],
    *,
    focal: str | None,
    camps: Mapping[str, Sequence[str]] | None,
    historical_years: int,
    relation_weight: float,
    target_factor: float,
    mention_tone: bool,
) -> dict[str, pd.DataFrame]:
    """Pipeline step: ``events``, ``mention_tone``, ``actor_tone`` and ``alignment``.

    Options and their defaults are :data:`OPTIONS` (registered step ``alignment``).
    ``actor_tone`` aggregates ``mention_tone`` per (doc_id, root); ``alignment`` is
    :func:`alignment_index` per document for ``focal`` and ``camps``. There is no
    default focal actor: with ``focal=None`` events are coded without completing
    one-sided cues and the ``alignment`` table is empty (a log line says to set
    ``options.alignment.focal`` and ``camps``).

    Parameters
    ----------
    tables : mapping
        Needs ``docs``, ``sentences``, ``mentions``; uses ``matches``, ``segments`` and
        ``quotes`` (the reported clause of an attribution, :func:`events`).
    focal, camps, historical_years : see :func:`events` and :func:`alignment_index`.
    relation_weight, target_factor : see :func:`framelens.measures.alignment.tone`.
    mention_tone : bool, default True
        Compute the tone toward actors (``mention_tone``, ``actor_tone``). The
        target-tone model scores 7 VADER contexts per mention and is most of the
        step's cost (and about a third of a whole ``analyze``); it runs whatever
        ``Config.sentiment`` says, because its features *are* VADER scores and
        ``mention_tone`` must mean the same with sentence sentiment on or off. With
        ``mention_tone=False`` (``Config(options={"alignment": {"mention_tone": False}})``)
        both tables are empty with their usual columns; ``events`` and the alignment
        index (built from relation events only) are unchanged.

    Examples
    --------
    >>> from framelens.measures.alignment import analyze_text
    >>> camps = {"RUS": ["RUS", "BLR"], "WST": ["WST"]}
    >>> r = analyze_text("Serbia thanked Russia for gas supplies.", date="2024-10-20",
    ...                  focal="SRB", camps=camps)
    >>> tabs = {"docs": r["docs"], "sentences": r["sentences"], "mentions": r["mentions"],
    ...         "matches": r["matches"]}
    >>> out = step(tabs, focal="SRB", camps=camps, mention_tone=False)
    >>> len(out["events"]), len(out["mention_tone"]), list(out["actor_tone"].columns)[:3]
    (1, 0, ['doc_id', 'root', 'n_mentions'])
    >>> out["alignment"][["camp", "net"]].values.tolist()
    [['RUS', 3.5], ['WST', 0.0]]
    >>> len(step(tabs)["alignment"])
    0
    """
    # long: numpydoc for six options; the body is 46 lines
    docs = tables["docs"]
    ev = events(
        docs,
        sentences=tables["sentences"],
        mentions=tables.get("mentions"),
        matches=tables.get("matches"),
        segments=tables.get("segments"),
        quotes=tables.get("quotes"),
        focal=focal,
        historical_years=historical_years,
    )
    if mention_tone:
        matches = tables.get("matches")
        if (
            matches is None
            or not len(matches)
            or not (matches["lexicon"].astype(str) == "relations").any()
        ):
            matches = relation_matches(
                docs, sentences=tables["sentences"], segments=tables.get("segments")
            )
        mt = tone(
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
    if focal is None:
        log.info(
            "alignment: no focal actor, so the alignment table is empty; set "
            "options.alignment.focal (and camps) to compute the alignment index"
        )
        index = empty_frame(ALIGNMENT_COLUMNS)
    else:
        index = alignment_index(ev, focal=focal, camps=camps, by="doc_id", docs=docs)
    return {
        "events": ev,
        "mention_tone": mt,
        "actor_tone": actor_tone(mt),
        "alignment": index,
    }


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
    focal: str | None = None,
    camps: Mapping[str, Sequence[str]] | None = None,
    gazetteer=None,
) -> dict[str, pd.DataFrame]:
    """Run actors + alignment on one text (or a list) - for examples, tests and notebooks.

    Uses :func:`framelens.text.process` when available, else a simple sentence splitter.
    ``focal`` and ``camps`` are the alignment step's options (no defaults: without a
    focal actor the ``alignment`` table is empty).
    """
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
    out = actors_step(tables, gazetteer=gazetteer)
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
