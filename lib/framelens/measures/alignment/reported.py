"""The reported clause of an attribution as the scope of a relation cue.

An actor named in the source span of an attribution (the text layer's ``quotes``) is not
an actor of a relation cue inside that attribution's content when the content gives the
cue both sides itself (rule 5c of docs/methods/alignment.md).
"""

from __future__ import annotations

import re

import pandas as pd


def attributions_by_doc(quotes: pd.DataFrame | None) -> dict[str, list[tuple[int, int, int, int]]]:
    """The attributions with a source span, per document.

    Parameters
    ----------
    quotes : DataFrame or None
        The text layer's ``quotes`` (``doc_id``, ``start``, ``end``, ``speaker_start``,
        ``speaker_end``).

    Returns
    -------
    dict
        doc_id -> list of ``(content_start, content_end, source_start, source_end)``.

    Examples
    --------
    >>> q = pd.DataFrame({"doc_id": ["a", "a"], "start": [20, 0], "end": [40, 9],
    ...                   "speaker_start": pd.array([13, None], dtype="Int64"),
    ...                   "speaker_end": pd.array([19, None], dtype="Int64")})
    >>> attributions_by_doc(q)
    {'a': [(20, 40, 13, 19)]}
    """
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    if quotes is None or not len(quotes) or "speaker_start" not in quotes:
        return out
    q = quotes[quotes["speaker_start"].notna() & quotes["speaker_end"].notna()]
    cols = [q[c].tolist() for c in ("start", "end", "speaker_start", "speaker_end")]
    for d, *span in zip(q["doc_id"].astype(str).tolist(), *cols):
        out.setdefault(d, []).append(tuple(int(x) for x in span))
    return out


_SPEAKER_PRONOUN = re.compile(r"\b(?:he|she|they|we|i|his|her|their|our|my)\b")


def barred_mentions(c_list, att, ftext, ms) -> list[set[int]]:
    """Per cue, the mentions of its sentence that may not be its actors.

    Those in the source span of an attribution whose content holds the cue, when the
    content names two actors of its own, one of them before the cue (the reported
    clause gives the cue both sides), and does not refer to its speaker with a pronoun
    before the cue ("he would", "our country"). Otherwise the speaker stays a
    candidate: "BRICS offers partnership", explained Vulin (of Serbia); Vucic said
    "the talks with Putin" went well (the speaker is the talks' implicit subject).

    Parameters
    ----------
    c_list : list of dict
        The sentence's cues (``start``, ``end``).
    att : sequence of tuple
        Attributions overlapping the sentence, as :func:`attributions_by_doc` gives them.
    ftext : str
        The folded (lower-case) document text.
    ms : mapping
        The sentence's mentions: lists ``start``, ``end``, ``root``.

    Returns
    -------
    list of set of int
        Per cue, indices into the mention lists.

    Examples
    --------
    >>> t = "according to lavrov, the united states threatened serbia."
    >>> ms = {"start": [13, 21, 50], "end": [19, 38, 56], "root": ["RUS", "USA", "SRB"]}
    >>> barred_mentions([{"start": 39, "end": 49}], [(21, 56, 13, 19)], t, ms)
    [{0}]
    """
    m_start, m_end, m_root = ms["start"], ms["end"], ms["root"]
    out: list[set[int]] = [set() for _ in c_list]
    for i, c in enumerate(c_list):
        for cs, ce, ss, se in att:
            if not (cs <= c["start"] and c["end"] <= ce) or ss <= c["start"] < se:
                continue
            src = {j for j in range(len(m_start)) if ss <= m_start[j] and m_end[j] <= se}
            own = [
                j for j in range(len(m_start)) if j not in src and cs <= m_start[j] < m_end[j] <= ce
            ]
            if (
                src
                and len({m_root[j] for j in own}) >= 2
                and any(m_end[j] <= c["start"] for j in own)
                and not _SPEAKER_PRONOUN.search(ftext[cs : c["start"]])
            ):
                out[i].update(src)
    return out
