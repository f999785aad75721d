"""Geopolitical actors: a dated gazetteer (PETRARCH2 style) and actor mentions.

The gazetteer (``lexicons/actors.yaml``; format in docs/methods/alignment.md) maps
phrases to actor codes made of a *root* (ISO-3166 alpha-3 country such as ``SRB``, or
an organisation / bloc such as ``EU``, ``NATO``, ``WST`` for "the West") and a *role*
(``GOV``, ``MIL``, ``MED``, ``OPP``, ``CVL``, ``BUS``, ``LEG``, ``ELI``). People carry
date-restricted codes: Aleksandar Vucic is ``SRBGOV`` from 2012-07-27 and ``SRBELI``
before. Every document is coded at its own date; a clause that names an earlier year
("... in 1944") is coded at that year, except a person whose title in the text is an
office they hold on the document date (see :func:`clause_dates`).

All phrases are compiled into ONE Aho-Corasick automaton, run once per document over
``normalize.fold(text)`` (so offsets are offsets into the original text); hits are
filtered on word boundaries and resolved leftmost-longest, which makes "Serbian
President Aleksandar Vucic" one mention.

Examples
--------
>>> import pandas as pd
>>> from framelens.actors import mentions
>>> docs = pd.DataFrame({"doc_id": ["d"], "text": ["Serbian President Aleksandar Vučić met Putin."],
...                      "date": [pd.Timestamp("2024-10-20")]})
>>> sents = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [45]})
>>> m = mentions(docs, sentences=sents, segments=None)
>>> m[["surface", "actor"]].values.tolist()
[['Serbian President Aleksandar Vučić', 'SRBGOV'], ['Putin', 'RUSGOV']]
"""

from __future__ import annotations

from .dates import clause_dates, sentence_dates
from .gazetteer import (
    BARE_ROLES,
    BUILTIN_PATH,
    MENTION_EXTRA_COLUMNS,
    Dated,
    Gazetteer,
    Target,
    actor_code,
    load_gazetteer,
)
from .tagging import mentions, speaker_actors

__all__ = [
    "Gazetteer",
    "load_gazetteer",
    "mentions",
    "speaker_actors",
    "sentence_dates",
    "clause_dates",
    "MENTION_EXTRA_COLUMNS",
    "BUILTIN_PATH",
]
