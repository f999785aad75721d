"""The attributed share: how much of each group's text is someone else's words.

Two figures, from the text layer's tables only:

* **words by voice** (:func:`attributed_share`): the ``segments`` table partitions every
  document's characters into the author's voice, *quoted* voice (inside a direct or
  partial quotation) and *reported* voice (inside an indirect-speech clause); the words
  of each segment (:mod:`framelens.core.tokens`) are summed per group, and
  ``share_attributed = (quoted + reported) / all words``;
* **named speakers** (:func:`named_speaker_share`): the share of quotations (rows of
  ``quotes``) whose speaker is a name - not missing, not ``(unattributed)`` and not a
  pronoun the text layer could not resolve (:mod:`framelens.report.speakers`).

Which system made the attributions and which kinds count is said by
:func:`counted_kinds_note`: with the learned attribution model (``Config.attribution``,
the default of ``framelens analyze``) speech and evidential ("according to", "a report
found") attributions are reported voice and cognition ("believes") the author's; the
rule layer (``attribution="rules"``) finds direct, partial and indirect speech only.

Examples
--------
>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["He said it was fine. We agree."],
...                      "outlet": ["X"]})
>>> seg = pd.DataFrame({"doc_id": ["a", "a"], "start": [0, 20], "end": [20, 30],
...                     "voice": ["reported", "author"]})
>>> share = attributed_share(seg, docs, by="outlet")
>>> share[["outlet", "words", "share_attributed"]].values.tolist()
[['X', 7, 0.714]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framelens.core.tokens import count_words
from framelens.report.core import PALETTE, label_axes, new_axes, note_html, table_html
from framelens.report.params import group_docs
from framelens.report.reading import parts, read
from framelens.report.speakers import is_pronoun

__all__ = [
    "UNATTRIBUTED",
    "SEGMENT_COLUMNS",
    "QUOTE_COLUMNS",
    "voice_words",
    "voice_words_of",
    "attributed_share_of",
    "attributed_share",
    "named_speaker_share",
    "counted_kinds_note",
    "plot_attributed_share",
    "attributed_parts",
]

#: The speaker value of a quotation the text layer could not attribute.
UNATTRIBUTED = "(unattributed)"
_VOICES = ("author", "reported", "quoted")
#: Segments whose text slices are counted at once (bounds memory on large corpora).
_CHUNK = 100_000
#: The columns of ``segments`` the word counts read.
SEGMENT_COLUMNS = ["doc_id", "start", "end", "voice"]
#: The columns of ``quotes`` the speaker and kind counts read.
QUOTE_COLUMNS = ["doc_id", "speaker", "kind", "attribution"]
_COLORS = {
    "author": PALETTE["orange"],
    "reported": PALETTE["bluish_green"],
    "quoted": PALETTE["sky_blue"],
}


def voice_words(segments: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Words per document and voice, counted on each segment's slice of the text.

    Returns
    -------
    DataFrame
        ``doc_id, words_author, words_reported, words_quoted`` (one row per document
        of ``docs``; a document without segments has zeros).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One two three.", "Four."]})
    >>> seg = pd.DataFrame({"doc_id": ["a", "a"], "start": [0, 4], "end": [4, 14],
    ...                     "voice": ["author", "quoted"]})
    >>> voice_words(seg, docs).values.tolist()
    [['a', 1, 0, 2], ['b', 0, 0, 0]]
    """
    ids = docs["doc_id"].astype(str)
    out = pd.DataFrame({"doc_id": ids.to_numpy()})
    for v in _VOICES:
        out[f"words_{v}"] = 0
    if segments is None or not len(segments):
        return out
    texts = docs["text"].astype("string").fillna("").tolist()
    # each segment's document as an integer code into docs (-1: not in docs)
    code = pd.Categorical(segments["doc_id"].astype("string"), categories=ids.unique()).codes
    row = pd.Index(ids).get_indexer(ids.unique())[code]
    keep = code >= 0
    row, codes_voice = (
        row[keep],
        pd.Categorical(segments["voice"].astype("string"), categories=_VOICES),
    )
    vcode = codes_voice.codes[keep]
    starts, ends = segments["start"].to_numpy()[keep], segments["end"].to_numpy()[keep]
    words = np.zeros(len(row), dtype="int64")
    for lo in range(0, len(row), _CHUNK):  # the slices of one chunk at a time in memory
        hi = min(lo + _CHUNK, len(row))
        words[lo:hi] = count_words(
            [texts[r][int(a) : int(b)] for r, a, b in zip(row[lo:hi], starts[lo:hi], ends[lo:hi])]
        )
    for j, v in enumerate(_VOICES):
        sel = vcode == j
        out[f"words_{v}"] = np.bincount(row[sel], weights=words[sel], minlength=len(ids)).astype(
            "int64"
        )
    return out


def attributed_share(segments: pd.DataFrame, docs: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Words in the author's, reported and quoted voice per group, and their shares.

    Parameters
    ----------
    segments : DataFrame
        The ``segments`` table (``doc_id, start, end, voice``).
    docs : DataFrame
        ``doc_id, text`` and the column ``by`` (missing values are ``(missing)``).
    by : str, keyword-only
        The grouping column.

    Returns
    -------
    DataFrame
        ``<by>, n_docs, words, words_author, words_reported, words_quoted,
        share_author, share_reported, share_quoted, share_attributed`` (shares rounded
        to 3 places), one row per group, sorted by group.
    """
    g = group_docs(docs, by)
    return _share(voice_words(segments, g), g, by)


def voice_words_of(analysis: Any, docs: pd.DataFrame, *, doc_ids=None) -> pd.DataFrame:
    """:func:`voice_words` of the analysis's ``segments``, read part by part
    (:func:`framelens.report.reading.parts`; each document's segments are in one part,
    so the per-document counts are those of the whole table).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One two three.", "Four."]})
    >>> seg = pd.DataFrame({"doc_id": ["a", "a"], "start": [0, 4], "end": [4, 14],
    ...                     "voice": ["author", "quoted"]})
    >>> voice_words_of({"docs": docs, "segments": seg}, docs).values.tolist()
    [['a', 1, 0, 2], ['b', 0, 0, 0]]
    """
    ids = docs["doc_id"].astype(str)
    out = voice_words(None, docs)
    cols = [f"words_{v}" for v in _VOICES]
    total = {c: np.zeros(len(out), dtype="int64") for c in cols}
    where = pd.Index(ids)
    for part in parts(analysis, "segments", columns=SEGMENT_COLUMNS, doc_ids=doc_ids):
        if not len(part):
            continue
        mine = docs[ids.isin(set(part["doc_id"].astype(str))).to_numpy()]
        w = voice_words(part, mine)
        rows = where.get_indexer(w["doc_id"])
        for c in cols:
            np.add.at(total[c], rows, w[c].to_numpy())
    for c in cols:
        out[c] = total[c]
    return out


def attributed_share_of(sel: Any) -> pd.DataFrame:
    """:func:`attributed_share` of a :class:`~framelens.report.params.Selection` (its
    documents, grouped by ``sel.group_col``), the segments read part by part."""
    by = sel.group_col
    g = group_docs(sel.docs, by)
    return _share(voice_words_of(sel.analysis, g, doc_ids=sel.filter_ids), g, by)


def _share(words: pd.DataFrame, g: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per group of ``g``: documents, words per voice and their shares."""
    w = words.merge(g[["doc_id", by]].assign(doc_id=g["doc_id"].astype(str)), on="doc_id")
    cols = [f"words_{v}" for v in _VOICES]
    t = w.groupby(by, sort=True)[cols].sum()
    t.insert(0, "n_docs", w.groupby(by, sort=True).size())
    t.insert(1, "words", t[cols].sum(axis=1))
    den = t["words"].where(t["words"] > 0)
    for v in _VOICES:
        t[f"share_{v}"] = (t[f"words_{v}"] / den).round(3)
    t["share_attributed"] = ((t["words_reported"] + t["words_quoted"]) / den).round(3)
    return t.reset_index()


def _pronoun(speaker: pd.Series) -> pd.Series:
    """True where the speaker is a pronoun left unresolved; False where it is missing
    (a plain loop: ``Series.map`` of an all-missing text column gives Arrow ``null``
    values that ``fillna(False)`` cannot fill)."""
    values = speaker.astype(object)
    return pd.Series(
        [isinstance(v, str) and bool(is_pronoun(v)) for v in values],
        index=speaker.index,
        dtype=bool,
    )


def _named(speaker: pd.Series) -> pd.Series:
    s = speaker.astype("string")
    empty = (s.isna() | (s.str.strip() == "") | (s == UNATTRIBUTED)).fillna(True)
    return ~empty.astype(bool) & ~_pronoun(speaker)


def named_speaker_share(quotes: pd.DataFrame, docs: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Quotations per group and the share with a named speaker.

    A speaker is *named* unless it is missing, ``(unattributed)`` or a pronoun left
    unresolved (``pronoun`` counts those).

    Returns
    -------
    DataFrame
        ``<by>, quotations, named, pronoun, no_speaker, share_named`` per group (every
        group of ``docs``, zeros included).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["", ""], "outlet": ["X", "Y"]})
    >>> q = pd.DataFrame({"doc_id": ["a", "a", "a", "a"],
    ...                   "speaker": ["Ana Brnabic", "he", None, "(unattributed)"]})
    >>> named_speaker_share(q, docs, by="outlet").values.tolist()
    [['X', 4, 1, 1, 2, 0.25], ['Y', 0, 0, 0, 0, nan]]
    """
    g = group_docs(docs, by)
    grp = dict(zip(g["doc_id"].astype(str), g[by]))
    groups = sorted(set(grp.values()), key=str)
    q = quotes if quotes is not None else pd.DataFrame({"doc_id": [], "speaker": []})
    q = q[q["doc_id"].astype(str).isin(grp)]
    spk = q["speaker"] if "speaker" in q.columns else pd.Series(pd.NA, index=q.index)
    t = pd.DataFrame(
        {by: q["doc_id"].astype(str).map(grp).to_numpy(), "named": _named(spk).to_numpy(),
         "pronoun": _pronoun(spk).to_numpy()}
    )  # fmt: skip
    out = pd.DataFrame({by: groups})
    out["quotations"] = out[by].map(t.groupby(by).size()).fillna(0).astype(int)
    out["named"] = out[by].map(t.groupby(by)["named"].sum()).fillna(0).astype(int)
    out["pronoun"] = out[by].map(t.groupby(by)["pronoun"].sum()).fillna(0).astype(int)
    out["no_speaker"] = out["quotations"] - out["named"] - out["pronoun"]
    den = out["quotations"].where(out["quotations"] > 0)
    out["share_named"] = (out["named"] / den).round(3)
    return out


def counted_kinds_note(quotes: pd.DataFrame | None, *, system: str | None = None) -> str:
    """Which attribution system made the quotes and which kinds the figures count.

    ``system`` is ``"model"`` or ``"rules"`` (``Config.attribution``, recorded in the
    manifest); None: read from the quotes table (the model's has an ``attribution``
    column).

    Examples
    --------
    >>> counted_kinds_note(pd.DataFrame({"kind": ["direct", "indirect"]}))[:46]
    'Attribution system: the rule layer (attributio'
    >>> counted_kinds_note(pd.DataFrame({"kind": ["indirect"], "attribution": ["speech"]}))[:50]
    'Attribution system: the learned attribution model '
    """
    has = quotes is not None and len(quotes) > 0
    if system is None:
        system = "model" if quotes is not None and "attribution" in quotes.columns else "rules"
    kinds = sorted(quotes["kind"].astype(str).unique()) if has and "kind" in quotes else []
    told = ", ".join(kinds) if kinds else "none"
    if system == "model":
        head = (
            'Attribution system: the learned attribution model (attribution="model", the '
            "default of framelens analyze). Counted as reported voice: speech (said, told) "
            'and evidential attributions ("according to", "a report found"); cognition '
            '("believes", "thinks") counts as the author\'s voice, its quoted words as '
            "quoted."
        )
    else:
        head = (
            'Attribution system: the rule layer (attribution="rules"). It finds direct, '
            "partial and indirect speech and assigns no attribution kinds: every indirect "
            "clause counts as reported voice; cognition and evidential attributions are "
            'found only by the learned model (attribution="model", the default).'
        )
    att = ""
    if has and "attribution" in quotes.columns:
        n = quotes["attribution"].astype(str).value_counts()
        att = " Attribution kinds in this analysis: " + ", ".join(f"{k} {v}" for k, v in n.items())
        att += "."
    return f"{head} Quotation kinds counted as attributed: {told}.{att}"


def plot_attributed_share(share: pd.DataFrame, *, by: str, ax=None):
    """Stacked horizontal bars per group: shares of words in the author's, reported and
    quoted voice, labelled with the attributed share."""
    ax = new_axes(ax, figsize=(8.5, 0.55 * max(len(share), 2) + 1.6))
    y = np.arange(len(share))
    left = np.zeros(len(share))
    for v in _VOICES:
        vals = share[f"share_{v}"].fillna(0).to_numpy(dtype=float)
        ax.barh(y, vals, left=left, color=_COLORS[v], label=f"{v} voice")
        left += vals
    ax.set_yticks(y)
    ax.set_yticklabels(
        [f"{g} ({a:.0%} attributed)" if pd.notna(a) else f"{g} (no words)"
         for g, a in zip(share[by].astype(str), share["share_attributed"])]
    )  # fmt: skip
    ax.set_xlim(0, 1)
    ax.legend(ncol=3, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.06))
    return label_axes(
        ax, title="Whose words? Share of words per voice", xlabel="share of words", ylabel=by,
        source="reported + quoted = attributed share (voice segments of the text layer)",
    )  # fmt: skip


def _system(sel: Any) -> str | None:
    """``model`` / ``rules`` from the analysis manifest of a selection, if recorded."""
    for obj in (sel, getattr(sel, "analysis", None), getattr(sel, "an", None)):
        rec = (getattr(obj, "manifest", None) or {}).get("attribution")
        if isinstance(rec, dict) and rec.get("system") in ("model", "rules"):
            return rec["system"]
    return None


def attributed_parts(sel: Any) -> list:
    """The attributed-share section of a selection: figure, two tables and the notes.

    ``sel`` is a :class:`~framelens.report.params.Selection` with ``group_col``; show
    the parts with :func:`framelens.report.core.show`.
    """
    import matplotlib.pyplot as plt

    by = sel.group_col
    share = attributed_share_of(sel)
    quotes = read(sel.analysis, "quotes", columns=QUOTE_COLUMNS, doc_ids=sel.filter_ids)
    named = named_speaker_share(quotes, sel.docs, by=by)
    fig = plot_attributed_share(share, by=by).figure
    plt.close(fig)
    n_pron = int(named["pronoun"].sum())
    return [
        fig,
        table_html(share, name=f"attributed-share-by-{by}", caption=f"Words per voice per {by}"),
        table_html(
            named, name=f"named-speakers-by-{by}", caption="Quotations with a named speaker"
        ),
        note_html(counted_kinds_note(quotes, system=_system(sel))),
        note_html(
            f"{n_pron} quotation(s) have a pronoun the text layer could not resolve as "
            "speaker: they count as not named here and are left out of every speaker and "
            "camp ranking in these reports."
        ),
    ]
