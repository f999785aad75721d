"""The framing report's comparisons that need more than one group or a date.

A corpus without metadata (a folder of ``.txt`` files) has one group and no dates; these
sections then return a note saying so instead of a table of key words against nothing
or an empty time axis. Each returns a list of parts (HTML strings, matplotlib Figures)
for :func:`framelens.report.core.show`.

Examples
--------
>>> import pandas as pd
>>> d = pd.DataFrame({"doc_id": ["a", "b"], "text": ["x y", "y z"], "outlet": ["A", "B"]})
>>> keyness_parts(d, by="outlet", min_count=1)[0].startswith('<div class="fl-table-wrap"')
True
"""

from __future__ import annotations

import pandas as pd

from framelens.measures import framing
from framelens.report.core import note_html, table_html
from framelens.report.framing import plot_frames_over_time, readable_frames
from framelens.report.params import group_docs

__all__ = ["keyness_parts", "frames_over_time_parts"]


def keyness_parts(docs: pd.DataFrame, *, by: str, n: int = 25, min_count: int = 3) -> list:
    """Key words of the largest group against all others, as an escaped table
    (:func:`framelens.measures.framing.keyness`); a note instead when there is no second
    group to compare with.

    Returns a list of HTML parts for :func:`framelens.report.core.show`.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ["x y"], "outlet": [None]})
    >>> "needs at least two groups" in keyness_parts(d, by="outlet")[0]
    True
    """
    g = group_docs(docs, by)
    counts = g[by].astype(str).value_counts()
    if len(counts) < 2:
        only = counts.index[0] if len(counts) else "no documents"
        return [
            note_html(
                f"Keyness needs at least two groups to compare; every document is in one "
                f"{by} group, {only!r}, so there are no key words against nothing."
            )
        ]
    target = sorted(counts.index, key=lambda k: (-counts[k], k))[0]
    key = framing.keyness(g.assign(_g=g[by].astype(str)), target, by="_g", min_count=min_count)
    table = readable_frames(key.head(n)).round({"G2": 2, "log_ratio": 2})
    return [
        table_html(table, name=f"keyness-{target}", caption=f"Key words of {target} (vs. the rest)")
    ]


def frames_over_time_parts(
    frame_docs: pd.DataFrame, docs: pd.DataFrame, *, scheme: str, freq: str = "M"
) -> list:
    """:func:`plot_frames_over_time` of the dated documents, or a note when none has a date.

    Returns a list of parts (a matplotlib Figure or an HTML note) for
    :func:`framelens.report.core.show`.
    """
    over = framing.frames_over_time(frame_docs, docs, freq=freq, scheme=scheme)
    if over.empty:
        return [note_html("No document has a date: there are no frames over time to show.")]
    import matplotlib.pyplot as plt

    fig = plot_frames_over_time(over).figure
    plt.close(fig)
    return [fig]
