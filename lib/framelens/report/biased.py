"""The sentences with the highest bias score, their cues highlighted by voice.

Part of the neutrality report (:mod:`framelens.report.neutrality` re-exports
:func:`top_biased_html`). The ranking reads four columns of ``sentence_bias``; the
sentences, their matches and their other scores are read for the top sentences'
documents only (filter push-down), so the section is cheap on a corpus of any size.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framelens.measures import neutrality as nt
from framelens.report.core import escape, note_html
from framelens.report.highlight import highlight_html

__all__ = ["VOICE_COLORS", "cue_spans", "top_biased_html"]

#: Highlight colours per voice (light tints of Okabe-Ito hues).
VOICE_COLORS = {"author": "#F5C2A0", "quoted": "#BFE0F5", "reported": "#B8E6D6"}


def cue_spans(
    matches: pd.DataFrame,
    lexicons=(nt.BIAS_LEXICON, nt.DISCOURSE_LEXICON),
    *,
    text: str | None = None,
    offset: int = 0,
):
    """Highlight spans; the hover title names lexicon, category and the matched words
    (from ``text``, whose first character is at ``offset``; else the pattern term)."""
    m = matches[matches["lexicon"].astype(str).isin(list(lexicons))]
    st, en = m["start"].to_numpy(), m["end"].to_numpy()
    if text is not None:
        words = [text[int(a) - offset : int(b) - offset] for a, b in zip(st, en)]
    else:
        words = m["term"].astype(str).tolist()
    return pd.DataFrame(
        {
            "start": st,
            "end": en,
            "label": (m["voice"].astype(str) + " voice").to_numpy(),
            "title": [
                f"{lx}: {c} ({w}) - {v} voice"
                for lx, c, w, v in zip(
                    m["lexicon"].astype(str),
                    m["category"].astype(str),
                    words,
                    m["voice"].astype(str),
                )
            ],
        }
    )


def _biased_sentence_html(rd: dict, body: str, *, score: str, ccols, grp: str) -> str:
    """One ranked sentence: its scores, voice, author-voice cues, largest components."""
    comps = sorted(((c[2:], rd[c]) for c in ccols), key=lambda t: -abs(t[1]))[:4]
    comp = ", ".join(f"{escape(k)} {v:+.2f}" for k, v in comps)
    ncue = int(sum(int(rd[c]) for c in nt.CUE_FEATURES if c in rd))
    auth = (
        f" · author-only score {rd['bias_score_author']:.2f}"
        if "bias_score_author" in rd and score == "bias_score"
        else f" · all-voice score {rd['bias_score']:.2f}"
        if score != "bias_score"
        else ""
    )
    lab = "author-only score" if score == "bias_score_author" else "score"
    return (
        f'<div style="margin:6px 0"><strong>{lab} {rd[score]:.2f}</strong> '
        f"<small>{escape(grp)} · {escape(str(rd['doc_id']))} · sentence {int(rd['sent_id'])} · "
        f"voice: <b>{escape(str(rd['voice']))}</b> · author-voice cues "
        f"{int(rd['n_author_cues'])} of {ncue}{auth} · "
        f"largest components: {comp}</small>{body}</div>"
    )


def top_biased_html(
    analysis: Any,
    *,
    n: int = 10,
    docs: pd.DataFrame | None = None,
    by: str = "outlet",
    voices: str = "author",
    score: str | None = None,
) -> str:
    """The ``n`` sentences with the highest bias score, cues highlighted by voice, each
    with its dominant voice, how many of its cues are the author's, and its largest
    score components (HTML string; all text escaped).

    Parameters
    ----------
    voices : {"author", "all"}
        ``"author"`` (default) ranks only sentences with at least one bias cue in the
        author's voice - the outlet's own wording; ``"all"`` ranks every sentence,
        which mostly surfaces the quoted words of sources.
    score : {"bias_score_author", "bias_score"}, optional
        Rank by the author-only variant (the same model on the author-voice cues only;
        the default with ``voices="author"``) or by the score over all voices' cues (the
        default with ``voices="all"``). Both scores are shown for every sentence.

    Examples
    --------
    >>> from IPython.display import HTML                       # doctest: +SKIP
    >>> HTML(top_biased_html(an, n=10, voices="author"))        # doctest: +SKIP
    """
    # long: the docstring explains both rankings; the body is one loop over the top rows
    if voices not in ("author", "all"):
        raise ValueError(f"voices must be 'author' or 'all', not {voices!r}")
    if score is None:
        score = "bias_score_author" if voices == "author" else "bias_score"
    if score not in ("bias_score", "bias_score_author"):
        raise ValueError(f"score must be 'bias_score' or 'bias_score_author', not {score!r}")
    if score not in analysis.columns("sentence_bias"):
        raise ValueError(f"sentence_bias has no {score!r} column; re-run the neutrality step")
    docs = analysis.docs if docs is None else docs
    order = dict(by=[score, "doc_id", "sent_id"], ascending=[False, True, True])
    # rank on four columns, then read the top sentences' documents only (push-down)
    rank = analysis.table("sentence_bias", columns=["doc_id", "sent_id", "n_author_cues", score])
    pool = rank[rank["n_author_cues"] > 0] if voices == "author" else rank
    keys = pool.sort_values(**order).head(n)
    ids = keys["doc_id"].astype(str).unique().tolist()
    sb = analysis.rows_of("sentence_bias", ids)
    wanted = set(zip(keys["doc_id"].astype(str), keys["sent_id"].astype(int)))
    hit = [(str(d), int(i)) in wanted for d, i in zip(sb["doc_id"], sb["sent_id"])]
    top = sb[np.asarray(hit, dtype=bool)].sort_values(**order).head(n)
    sentences = analysis.rows_of("sentences", ids)
    sent = sentences.assign(doc_id=sentences["doc_id"].astype(str))
    m = analysis.rows_of("matches", ids)
    meta = docs.assign(doc_id=docs["doc_id"].astype(str)).set_index("doc_id")
    parts = []
    ccols = [c for c in sb.columns if c.startswith("c_")]
    for r in top.itertuples(index=False):
        d = str(r.doc_id)
        grp = meta[by].get(d, "") if by in meta.columns else ""
        srow = sent[(sent["doc_id"] == d) & (sent["sent_id"] == r.sent_id)]
        if srow.empty:
            continue
        s0 = int(srow["start"].iloc[0])
        mm = m[(m["doc_id"].astype(str) == d) & (m["sent_id"] == r.sent_id)]
        stext = str(srow["text"].iloc[0])
        body = highlight_html(
            stext,
            cue_spans(mm, text=stext, offset=s0),
            colors={f"{v} voice": c for v, c in VOICE_COLORS.items()},
            title_col="title",
            offset=s0,
            legend=False,
        )
        parts.append(_biased_sentence_html(r._asdict(), body, score=score, ccols=ccols, grp=grp))
    if not parts:
        return note_html(
            "No sentences scored."
            if voices == "all"
            else "No sentence has a bias cue in the author's voice "
            "(voices='all' ranks every sentence)."
        )
    label = {
        "bias_score": "bias score (cues of all voices)",
        "bias_score_author": "author-only bias score (author-voice cues only)",
    }[score]
    head = note_html(
        f"Ranked by {label}; "
        + (
            "only sentences with at least one cue in the author's voice. "
            if voices == "author"
            else "all sentences, whatever the voice of their cues. "
        )
        + "Voice = the voice covering most of the sentence; highlights are coloured by the "
        "voice of each cue."
    )
    return head + "".join(parts)
