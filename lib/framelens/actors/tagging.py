"""Actor mentions in documents and the actors of quoted speakers."""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.core.normalize import fold
from framelens.core.schema import MENTION_COLUMNS
from framelens.core.spans import locate_arrays
from framelens.errors import TableError

from .dates import clause_dates, doc_ref_dates
from .gazetteer import (
    GENERIC_PERSON_AGENTS,
    MENTION_EXTRA_COLUMNS,
    NAME_AFTER,
    PERSON_AGENTS,
    PLACE_BEFORE,
    PRONOUNS,
    Gazetteer,
    Target,
    actor_code,
    load_gazetteer,
    title_words,
)

log = logging.getLogger(__name__)


def _qualified(text: str, s: int, cand_ends: set[int], *, generic: bool) -> bool:
    """Is the name starting at ``s`` qualified by a preceding capitalised modifier that
    makes it another body ("Serbia's National Security Council")?

    The word before (same sentence, one space between) must be capitalised and not
    sentence-initial nor an article. For an ordinary name a modifier that is itself a
    gazetteer hit ending there ("Soviet Red Army") is allowed; a *generic* name
    ("Security Council", "Customs Union") is rejected after any capitalised word or
    any possessive ("Russia's Security Council", "the EU Customs Union").
    """
    if s < 2 or text[s - 1] != " ":
        return False
    j = s - 1
    i = j
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    word = text[i:j]
    if not word:
        return False
    possessive = word.endswith(("'s", "’s", "s'", "s’"))
    core = word.rstrip("'’s") if possessive else word
    if not core[:1].isupper() or core.lower() in {"the", "a", "an"}:
        return False
    k = i - 1
    while k >= 0 and text[k] == " ":
        k -= 1
    sentence_initial = k < 0 or text[k] in ".!?\n\"“”:;(‘'"
    if sentence_initial and not possessive:
        return False
    if generic:
        return True
    return not possessive and not any(e in cand_ends for e in (j, j - 2) if e > 0)


def _boundary_ok(text: str, s: int, e: int) -> bool:
    return (s == 0 or not text[s - 1].isalnum()) and (e >= len(text) or not text[e].isalnum())


def _case_ok(orig: str, case: str | None) -> bool:
    if case is None:
        return True
    if case == "upper":
        return orig.replace(".", "").replace("-", "").isupper()
    if case == "title":
        return title_words(orig)
    return orig[:1].isupper()


def _find(text: str, gaz: Gazetteer, folded: str | None = None) -> list[tuple[int, int, Target]]:
    """Leftmost-longest, non-overlapping gazetteer hits in ``text`` (one automaton pass)."""
    folded = fold(text) if folded is None else folded
    cands = []
    for end, (n, t) in gaz.automaton.iter(folded):
        s, e = end - n + 1, end + 1
        if (
            _boundary_ok(folded, s, e)
            and _case_ok(text[s:e], t.case)
            and not (s >= 4 and folded[s - 4 : s] in ("pro-", "nti-"))
        ):
            cands.append((s, -e, t))
    # capitalised names qualified by another proper modifier name another body
    ends = {-ne for _s, ne, _t in cands}
    cands = [
        c
        for c in cands
        if not (
            (c[2].generic or (c[2].case == "title" and c[2].person is None))
            and _qualified(text, c[0], ends, generic=c[2].generic)
        )
    ]
    cands.sort(key=lambda c: (c[0], c[1]))
    out, last = [], -1
    for s, ne, t in cands:
        if s >= last:
            out.append((s, -ne, t))
            last = -ne
    return out


def _empty_mentions() -> pd.DataFrame:
    cols = {**MENTION_COLUMNS, **MENTION_EXTRA_COLUMNS}
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})


def mentions(
    docs: pd.DataFrame,
    *,
    sentences: pd.DataFrame,
    segments: pd.DataFrame | None = None,
    quotes: pd.DataFrame | None = None,
    gazetteer: Gazetteer | str | Path | None = None,
) -> pd.DataFrame:
    """Actor mentions in each document, coded at the document's (or sentence's) date.

    Parameters
    ----------
    docs : DataFrame
        ``doc_id``, ``text`` and (optional) ``date``; undated documents are coded at the
        gazetteer's ``reference_date``.
    sentences : DataFrame, keyword-only
        The sentences table (``doc_id, sent_id, start, end`` [, ``text``]).
    segments : DataFrame, optional
        Voice segments; without them every mention has voice "author".
    quotes : DataFrame, optional
        Quotes with resolved ``speaker`` / ``speaker_start`` / ``speaker_end``: pronoun
        speakers ("he said") become mentions of the resolved person, and role phrases
        that are speakers ("The Serbian leader noted") are linked to that person.
    gazetteer : Gazetteer or path, optional
        Defaults to the built-in gazetteer.

    Returns
    -------
    DataFrame
        :data:`framelens.core.schema.MENTION_COLUMNS` (``doc_id, sent_id, start, end,
        surface, actor, role, blocs, voice``) plus ``root`` (country / organisation
        code), ``person`` (resolved person or empty) and ``ref_date`` (the date the
        mention was coded at). ``role`` "LOC" marks a capital used as a place, which
        takes part in no relation.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ["Moscow warned Kiev."], "date": [pd.NaT]})
    >>> s = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [0], "end": [19]})
    >>> mentions(d, sentences=s)["actor"].tolist()
    ['RUSGOV', 'UKRGOV']
    """
    # long: one pass per document whose resolution state (named roots, last persons, speakers) is
    #  carried across its hits
    for col in ("doc_id", "text"):
        if col not in docs:
            raise TableError(f"docs needs a {col!r} column (got {list(docs.columns)})")
    for col in ("doc_id", "start"):
        if col not in sentences:
            raise TableError(f"sentences needs a {col!r} column (the text.process table)")
    gaz = load_gazetteer(gazetteer) if not isinstance(gazetteer, Gazetteer) else gazetteer
    doc_dates = doc_ref_dates(docs, gaz)
    sents = sentences
    if "text" not in sents and len(sents):
        texts = dict(zip(docs["doc_id"].astype(str), docs["text"].astype(str)))
        sents = sents.assign(
            text=[
                texts[d][s:e]
                for d, s, e in zip(
                    sents["doc_id"].astype(str).tolist(),
                    sents["start"].tolist(),
                    sents["end"].tolist(),
                )
            ]
        )
    cd = clause_dates(sents, doc_dates) if len(sents) else None
    clause_map: dict[str, list[tuple[int, int, np.datetime64]]] = {}
    if cd is not None:
        for d, lo, hi, day in zip(
            cd["doc_id"].astype(str).tolist(),
            cd["start"].tolist(),
            cd["end"].tolist(),
            cd["date"].to_numpy().astype("datetime64[D]"),
        ):
            clause_map.setdefault(d, []).append((lo, hi, day))

    speakers = _speaker_spans(quotes)
    rows: dict[str, list] = {
        k: []
        for k in (
            "doc_id",
            "start",
            "end",
            "surface",
            "actor",
            "role",
            "blocs",
            "root",
            "person",
            "ref_date",
        )
    }
    for doc_id, text in zip(docs["doc_id"].astype(str), docs["text"].astype(str)):
        folded = fold(text)
        hits = _find(text, gaz, folded)
        clauses = clause_map.get(doc_id, ())
        # sorted, disjoint clauses (the usual case): the one holding s by bisection
        c_lo = _disjoint_starts(clauses)
        named_roots: set[str] = set()
        last_person: dict[str, list[tuple[str, str | None, str]]] = {}
        sp = speakers.get(doc_id, {})
        covered = set()
        for s, e, t in hits:
            doc_day = day = doc_dates[doc_id]
            if c_lo is not None:
                k = bisect_right(c_lo, s) - 1
                if k >= 0 and s < clauses[k][1]:
                    day = clauses[k][2]
            else:
                for lo, hi, cday in clauses:
                    if lo <= s < hi:
                        day = cday
                        break
            if day != doc_day and t.person and _titled_in_office(folded[s:e], t, doc_day):
                day = doc_day  # "Prime Minister Ana Brnabic" is the sitting PM
            if t.anaphor and (t.root or "") not in named_roots:
                continue  # "the alliance" before any NATO mention: not NATO
            root, role, office = gaz.resolve(t, day)
            named_roots.add(root)
            person = t.person
            if (t.metonym or (role == "STATE" and t.case == "cap" and not t.codes)) and (
                PLACE_BEFORE.search(folded[max(0, s - 40) : s])
                or (t.metonym and NAME_AFTER.match(text, e))
            ):
                role = "LOC"
            if person:
                last_person.setdefault(root, []).append((person, office, role))
            elif t.agent and t.agent in PERSON_AGENTS and role == "GOV":
                person = _link_role(last_person.get(root, []), t.agent)
            if (s, e) in sp and not person:
                person = sp[(s, e)]
            covered.add((s, e))
            _append(rows, doc_id, s, e, text[s:e], root, role, gaz.blocs(root, day), person, day)
        # pronoun speakers resolved by the text layer
        for (s, e), name in sp.items():
            if (s, e) in covered or fold(text[s:e]).strip() not in PRONOUNS:
                continue
            t = gaz.people.get(gaz.person_alias.get(fold(name), ""), None)
            if t is None:
                continue
            day = doc_dates[doc_id]
            root, role, _ = gaz.resolve(t, day)
            _append(rows, doc_id, s, e, text[s:e], root, role, gaz.blocs(root, day), t.person, day)
    if not rows["doc_id"]:
        return _empty_mentions()
    starts = np.asarray(rows["start"], dtype="int64")
    sent_id, voice = locate_arrays(rows["doc_id"], starts, sentences=sentences, segments=segments)
    out = pd.DataFrame(
        {
            "doc_id": pd.array(rows["doc_id"], dtype="string"),
            "sent_id": sent_id.astype("int32"),
            "start": starts,
            "end": np.asarray(rows["end"], dtype="int64"),
            "surface": pd.array(rows["surface"], dtype="string"),
            "actor": pd.array(rows["actor"], dtype="string"),
            "role": pd.Categorical(rows["role"]),
            "blocs": pd.array(rows["blocs"], dtype="string"),
            "voice": voice,
            "root": pd.array(rows["root"], dtype="string"),
            "person": pd.array(rows["person"], dtype="string"),
            "ref_date": pd.to_datetime(np.asarray(rows["ref_date"], dtype="datetime64[D]")).astype(
                "datetime64[ns]"
            ),
        }
    )
    return out.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def _disjoint_starts(clauses) -> list[int] | None:
    """The clause starts when the clauses ``(lo, hi, day)`` are sorted and disjoint
    (then the first clause holding an offset is the last one starting at or before it),
    else None (the caller scans them in order)."""
    los = [c[0] for c in clauses]
    for k in range(len(clauses)):
        if clauses[k][0] > clauses[k][1] or (k and clauses[k - 1][1] > clauses[k][0]):
            return None
    return los


def _append(rows, doc_id, s, e, surface, root, role, blocs, person, day):
    rows["doc_id"].append(doc_id)
    rows["start"].append(s)
    rows["end"].append(e)
    rows["surface"].append(surface)
    rows["actor"].append(actor_code(root, role) if role != "LOC" else root)
    rows["role"].append(role)
    rows["blocs"].append(blocs)
    rows["root"].append(root)
    rows["person"].append(person or "")
    rows["ref_date"].append(day)


def _titled_in_office(surface_folded: str, t: Target, day: np.datetime64) -> bool:
    """Does the mention's own title name an office ``t`` holds on ``day``?"""
    for o in t.offices:
        if o.covers(day) and re.search(rf"\b{re.escape(o.value)}\b", surface_folded):
            return True
    return False


def _link_role(previous: list[tuple[str, str | None, str]], agent: str) -> str | None:
    """Last person of the same root whose office matches ``agent`` (a generic agent such
    as "leader" takes the last person in government)."""
    for person, office, _role in reversed(previous):
        if office and office == agent:
            return person
    if agent in GENERIC_PERSON_AGENTS:
        for person, _office, role in reversed(previous):
            if role == "GOV":
                return person
    return None


def _speaker_spans(quotes: pd.DataFrame | None) -> dict[str, dict[tuple[int, int], str]]:
    out: dict[str, dict[tuple[int, int], str]] = {}
    if quotes is None or not len(quotes) or "speaker_start" not in quotes:
        return out
    q = quotes[quotes["speaker_start"].notna() & quotes["speaker"].notna()]
    for d, s, e, name in zip(
        q["doc_id"].astype(str).tolist(),
        q["speaker_start"].tolist(),
        q["speaker_end"].tolist(),
        q["speaker"].astype(str).tolist(),
    ):
        if name:
            out.setdefault(d, {})[(int(s), int(e))] = name
    return out


def _name_code(name: str, day, gaz: Gazetteer, targets: dict | None = None) -> str | None:
    """A speaker name's actor code at ``day``: the name, the name without possessives,
    else the first gazetteer hit inside it (see :func:`speaker_actors`). ``targets``
    memoises the name's gazetteer target, which does not depend on the day."""
    found = None if targets is None else targets.get(name)
    if found is None:
        found = _name_target(name, gaz)
        if targets is not None:
            targets[name] = found
    t, by_phrase = found
    if t is None:
        return None
    if by_phrase:  # Gazetteer.code: the phrase's target at the date read as a day
        root, role, _ = gaz.resolve(t, gaz._day(day))
    else:
        root, role, _ = gaz.resolve(t, gaz.reference_date if day is None else day)
    return actor_code(root, role)


def _name_target(name: str, gaz: Gazetteer) -> tuple[Target | None, bool]:
    """The target :func:`_name_code` codes: (target, True) for the name or the name
    without possessives as a phrase or person (:meth:`Gazetteer.target`), (target, False)
    for the first gazetteer hit inside it, (None, False) for none."""
    t = gaz.target(name)
    if t is None:
        t = gaz.target(re.sub(r"['\u2019]s\b", "", name))
    if t is not None:
        return t, True
    hits = _find(name, gaz)
    return (hits[0][2], False) if hits else (None, False)


def _containing(ms, s: int, e: int, unsorted: bool) -> str | None:
    """The first mention ``(start, end, actor)`` of ``ms`` that contains ``s .. e``; in
    start order the scan stops at the first mention starting after ``s``."""
    for a0, a1, a in ms:
        if a0 > s and not unsorted:
            return None
        if a0 <= s and e <= a1:
            return a
    return None


def speaker_actors(
    quotes: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    mentions: pd.DataFrame | None = None,
    gazetteer: Gazetteer | str | Path | None = None,
) -> pd.Series:
    """Actor code of each quote's speaker.

    The speaker span's mention wins (it was coded in context), or else a mention that
    contains the span (speaker "Ursula von der Leyen" inside "European Commission
    President Ursula von der Leyen"); otherwise the resolved ``speaker`` name is looked
    up as a person or a gazetteer phrase at the document's date, possessives read as
    modifiers ("Russia's ambassador" = "Russia ambassador" -> RUSGOV), and finally the
    first gazetteer hit inside the name. Institution speakers ("European Commission",
    "U.S. embassy", "Western diplomats") are gazetteer phrases. Unknown speakers
    (including every person not in the gazetteer) get ``<NA>``.

    Returns
    -------
    pandas.Series of string, aligned with ``quotes``.
    """
    gaz = load_gazetteer(gazetteer) if not isinstance(gazetteer, Gazetteer) else gazetteer
    if not len(quotes):
        return pd.Series(pd.array([], dtype="string"), index=quotes.index)
    dates = doc_ref_dates(docs, gaz)
    by_span = {}
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    unsorted: set[str] = set()
    if mentions is not None and len(mentions):
        for d, s, e, a in zip(
            mentions["doc_id"].astype(str).tolist(),
            mentions["start"].tolist(),
            mentions["end"].tolist(),
            mentions["actor"].astype(str).tolist(),
        ):
            by_span[(d, int(s), int(e))] = a
            by_doc.setdefault(d, []).append((int(s), int(e), a))
    # documents whose mentions are not in start order (the mentions table is sorted)
    unsorted = {
        d for d, ms in by_doc.items() if any(ms[k - 1][0] > ms[k][0] for k in range(1, len(ms)))
    }
    out = []
    by_name: dict[tuple, str | None] = {}  # (speaker name, date) -> code, within this call
    targets: dict[str, tuple] = {}  # speaker name -> its gazetteer target (any date)
    has_span = "speaker_start" in quotes
    ss = quotes["speaker_start"].tolist() if has_span else [None] * len(quotes)
    se = quotes["speaker_end"].tolist() if has_span else [None] * len(quotes)
    for i, (d, name) in enumerate(
        zip(quotes["doc_id"].astype(str).tolist(), quotes["speaker"].tolist())
    ):
        code = None
        s, e = ss[i], se[i]
        if s is not None and pd.notna(s):
            code = by_span.get((d, int(s), int(e)))
            if code is None:
                code = _containing(by_doc.get(d, ()), int(s), int(e), d in unsorted)
        if code is None and isinstance(name, str) and name:
            day = dates.get(d)
            key = (name, day)
            if key in by_name:
                code = by_name[key]
            else:
                code = by_name[key] = _name_code(name, day, gaz, targets)
        out.append(code)
    return pd.Series(pd.array(out, dtype="string"), index=quotes.index)
