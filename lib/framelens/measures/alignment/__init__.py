"""Relations between actors, tone toward actors, alignment index and networks.

A *relation event* is a relation cue (``relations`` lexicon: CAMEO root classes with
Goldstein weights, see ``lexicons/relations.yaml``) together with the actors the
sentence structure ties to it. Rules (documented in docs/methods/alignment.md):

* **scope** - a sentence is cut into clauses (``;``, ``:``, `` - ``, and before
  *despite, but, although, though, while, whereas, however, after, because*); each
  actor mention of a clause belongs to the nearest cue of the clause (ties: the cue
  before it); mentions inside a cue's span ("Serbia-Russia relations") belong to it;
* **pairs** - cue with actors on both sides: directed from the nearest actor on the left
  (and actors coordinated with it by "and") to the actors on the right ("X thanked Y");
  "<cue> from|by X" (pressure from the West): X is the source, the target the actors on
  the left or else the focal actor when the sentence names it; actors inside the cue or
  only on one side of it: undirected pairs among them; one side empty and the focal
  actor named elsewhere in the sentence: undirected pair with the focal actor;
* **own phrase** (conflict cues and reversals) - source and target come from the cue's own
  phrase first ("X's war", "war of X against Y", "its aggression", "sanctions against
  Y"); a missing side is filled only from the same clause, never from the focal actor
  named elsewhere;
* **reversal** - renege on, withdraw from, pull out of, scrap, abandon, tear up, suspend
  ... a cooperative cue (a treaty, a deal) is coded 16 REDUCE RELATIONS (-4.0) with
  ``reversal`` true;
* **shared history** - "shared struggle", "fought together", "wars of liberation" give no
  conflict event between the partners (only toward a target in the cue's own phrase);
* **confidence** - every event has a ``confidence`` in [0, 1]: the weaker of its two
  roles (1.0 own phrase, 0.8 a resolved "its", then by word distance in the clause, 0.3
  outside it), times 0.8 when negated, refused or reversed;
* **negation** - a negator (not, n't, never, no, without, unlikely, fail to) at most 4
  words before the cue flips the sign and halves the weight; "not change / end / cut
  ... <cooperation>" is a double negation and is not flipped;
* **refusal** - "refuse / reject / decline to <conflict cue>" ("refused to join the
  sanctions") yields a 12 REJECT event from the refuser to the actors pressing for the
  act (sources of "pressure / demands from" in the same sentence) and the flipped,
  halved conflict weight toward the remaining actors (the would-be target, Russia);
* **irrealis** - cues inside a demanded action ("asking Serbia to cut off relations",
  "the condition ... to normalize relations") are not events of their own;
* **history** - a sentence coded at an explicit year at least ``historical_years`` before
  the document (the 1944 liberation of Belgrade) gives ``historical`` events, left out
  of the alignment index by default.

Examples
--------
>>> import pandas as pd
>>> from framelens.measures.alignment import analyze_text
>>> ev = analyze_text("Serbia thanked Russia for gas supplies.", date="2024-10-20")["events"]
>>> ev[["source", "target", "cue", "weight"]].values.tolist()[0]
['SRB', 'RUS', 'thanked', 3.5]
"""

from __future__ import annotations

from .common import (
    ACTOR_TONE_COLUMNS,
    ALIGNMENT_COLUMNS,
    EVENT_COLUMNS,
    TONE_COLUMNS,
    camp_of,
    check_camps,
    clause_bounds,
    relation_matches,
    relations_lexicon,
)
from .event_coding import events
from .index import alignment_index
from .networks import network
from .steps import analyze_text, step
from .tone_model import TONE_MODEL
from .tones import TONE_FEATURES, actor_tone, span_tone, target_features, target_tone, tone

__all__ = [
    "EVENT_COLUMNS",
    "ALIGNMENT_COLUMNS",
    "TONE_COLUMNS",
    "ACTOR_TONE_COLUMNS",
    "relations_lexicon",
    "relation_matches",
    "events",
    "tone",
    "actor_tone",
    "alignment_index",
    "network",
    "clause_bounds",
    "span_tone",
    "step",
    "target_features",
    "target_tone",
    "TONE_FEATURES",
    "TONE_MODEL",
    "analyze_text",
    "camp_of",
    "check_camps",
]
