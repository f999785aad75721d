"""Each report's key result in one sentence, computed from its tables.

A notebook records the sentence as the key figure ``finding``
(:func:`framelens.report.keyfigures.key_figures`); the report index shows it first.
Every function here takes tables (and the parameters the report ran with) and returns
a plain sentence; none recomputes a measure beyond the aggregation the report shows.

Examples
--------
>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "Y", "X"],
...                      "date": ["2024-01-05", None, "2024-03-01"]})
>>> corpus_finding(docs, by="outlet")
'3 documents from 2 outlets, dated 2024-01-05 to 2024-03-01 (1 without a date)'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from framelens.measures import alignment as al
from framelens.report.core import MISSING_GROUP as MISSING
from framelens.report.framing import frame_label
from framelens.report.params import group_docs
from framelens.report.quote_units import quote_counts
from framelens.report.speakers import is_pronoun

__all__ = [
    "actor_names",
    "corpus_finding",
    "article_finding",
    "framing_finding",
    "neutrality_finding",
    "alignment_finding",
    "validation_finding",
]

_SHOW_GROUPS = 5


def _plural(noun: str, n: int) -> str:
    return noun if n == 1 or noun.endswith("s") else f"{noun}s"


def _more(parts: list[str], n_total: int) -> str:
    text = "; ".join(parts)
    return text + (f"; and {n_total - len(parts)} more" if n_total > len(parts) else "")


def actor_names(mentions: pd.DataFrame | None, codes: Sequence[str]) -> dict[str, str]:
    """A readable name per actor code: its most frequent surface form in ``mentions``
    (mentions of persons left out; ties broken alphabetically), else the code itself.

    Examples
    --------
    >>> m = pd.DataFrame({"root": ["SRB", "SRB", "SRB", "RUS"], "person": ["", "", "Vucic", ""],
    ...                   "surface": ["Serbia", "Serbia", "Vucic", "Moscow"]})
    >>> actor_names(m, ["SRB", "RUS", "WST"])
    {'SRB': 'Serbia', 'RUS': 'Moscow', 'WST': 'WST'}
    """
    out = {}
    for code in codes:
        name = str(code)
        if mentions is not None and len(mentions) and {"root", "surface"} <= set(mentions):
            m = mentions[mentions["root"].astype(str) == str(code)]
            if "person" in m.columns:
                m = m[m["person"].fillna("").astype(str) == ""]
            if len(m):
                n = m["surface"].astype(str).value_counts()
                name = sorted(n.index, key=lambda s: (-n[s], s))[0]
        out[str(code)] = name
    return out


def corpus_finding(docs: pd.DataFrame, *, by: str) -> str:
    """ "N documents from K outlets", with the date range when documents are dated.

    Examples
    --------
    >>> corpus_finding(pd.DataFrame({"doc_id": ["a"], "outlet": [None]}), by="outlet")
    '1 document, no outlet recorded'
    """
    g = group_docs(docs, by)
    n = len(g)
    groups = g[by].astype(str)
    known = groups[groups != MISSING]
    head = f"{n} {_plural('document', n)}"
    if not len(known):
        out = f"{head}, no {by} recorded"
    else:
        k = known.nunique()
        out = f"{head} from {k} {_plural(by, k)}"
        if len(known) < n:
            out += f" ({n - len(known)} without {by})"
    if "date" in g.columns:
        d = pd.to_datetime(g["date"], errors="coerce")
        if d.notna().any():
            out += f", dated {d.min():%Y-%m-%d} to {d.max():%Y-%m-%d}"
            if d.isna().any():
                out += f" ({int(d.isna().sum())} without a date)"
    return out


def article_finding(docs: pd.DataFrame, quotes: pd.DataFrame | None, *, top: int = 4) -> str:
    """The article's title, its quoted passages and quotations, and its named speakers
    by number of quotations (pronouns and unattributed quotes left out).

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "title": ["Talks resume"]})
    >>> q = pd.DataFrame({"doc_id": ["a"] * 4, "kind": ["direct", "partial", "indirect", "direct"],
    ...                   "start": [0, 5, 30, 60], "end": [20, 9, 50, 70],
    ...                   "speaker": ["Ana Brnabic", "Ana Brnabic", "he", "Josep Borrell"]})
    >>> article_finding(d, q)
    '"Talks resume": 2 quoted passages, 4 quotations; speakers: Ana Brnabic (2), Josep Borrell (1)'
    """
    title = ""
    if "title" in docs.columns and len(docs) and pd.notna(docs["title"].iloc[0]):
        title = str(docs["title"].iloc[0]).strip()
    name = f'"{title}"' if title else str(docs["doc_id"].iloc[0])
    c = quote_counts(quotes)
    p, q = c["quoted passages"], c["quotations"]
    out = f"{name}: {p} quoted {_plural('passage', p)}, {q} {_plural('quotation', q)}"
    if quotes is None or not len(quotes) or "speaker" not in quotes.columns:
        return out
    s = quotes["speaker"].astype("string").dropna()
    s = s[(s.str.strip() != "") & (s != "(unattributed)") & ~s.map(is_pronoun).astype(bool)]
    if not len(s):
        return out + "; no named speaker"
    n = s.value_counts()
    ranked = sorted(n.index, key=lambda k: (-n[k], k))
    parts = [f"{k} ({n[k]})" for k in ranked[:top]]
    return out + "; speakers: " + ", ".join(parts) + (" ..." if len(ranked) > top else "")


def framing_finding(summary: pd.DataFrame, docs: pd.DataFrame, *, by: str, scheme: str) -> str:
    """The most frequent primary frame per group (documents without any cue left out).

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": list("abcd"), "scheme": "policy",
    ...     "primary_frame": ["economic", "economic", "none", "none"]})
    >>> d = pd.DataFrame({"doc_id": list("abcd"), "outlet": ["X", "X", "X", "Y"]})
    >>> print(framing_finding(s, d, by="outlet", scheme="policy"))
    Most frequent primary frame (policy): X Economic consequences (2 of 3 documents);
    Y no frame cues (1 document)
    """
    s = summary[summary["scheme"].astype(str) == scheme]
    g = group_docs(docs, by)[["doc_id", by]].assign(doc_id=lambda d: d["doc_id"].astype(str))
    s = s.assign(doc_id=s["doc_id"].astype(str)).merge(g, on="doc_id")
    if not len(s):
        return f"No document has {scheme} frame cues"
    sizes = s.groupby(by).size()
    framed = s[s["primary_frame"].astype(str) != "none"]
    order = sorted(sizes.index, key=lambda k: (-sizes[k], str(k)))
    parts = []
    for i, grp in enumerate(order[:_SHOW_GROUPS]):
        f = framed[framed[by] == grp]["primary_frame"].astype(str).value_counts()
        if not len(f):
            n = sizes[grp]
            parts.append(f"{grp} no frame cues ({n} {_plural('document', n)})")
            continue
        top = sorted(f.index, key=lambda k: (-f[k], k))[0]
        of = f"of {sizes[grp]} documents" if i == 0 else f"of {sizes[grp]}"
        parts.append(f"{grp} {frame_label(top)} ({f[top]} {of})")
    return f"Most frequent primary frame ({scheme}): " + _more(parts, len(order))


def neutrality_finding(profile: pd.DataFrame, docs: pd.DataFrame, *, by: str) -> str:
    """The group with the highest author-voice evaluative rate (per 1,000 author words,
    pooled over its documents: summed cues over summed author words), and the lowest.

    Examples
    --------
    >>> p = pd.DataFrame({"doc_id": list("abc"), "tokens_author": [1000, 3000, 500],
    ...                   "author_evaluative_rate": [10.0, 2.0, 4.0]})
    >>> d = pd.DataFrame({"doc_id": list("abc"), "outlet": ["X", "X", "Y"]})
    >>> print(neutrality_finding(p, d, by="outlet"))
    Highest author-voice evaluative rate: X, 4.0 per 1,000 author words
    (lowest: Y, 4.0; 2 outlets)
    """
    g = group_docs(docs, by)[["doc_id", by]].assign(doc_id=lambda d: d["doc_id"].astype(str))
    p = profile.assign(doc_id=profile["doc_id"].astype(str)).merge(g, on="doc_id")
    tok = pd.to_numeric(p["tokens_author"], errors="coerce").fillna(0)
    rate = pd.to_numeric(p["author_evaluative_rate"], errors="coerce").fillna(0)
    p = p.assign(_cues=rate * tok / 1000, _tok=tok)
    t = p.groupby(by)[["_cues", "_tok"]].sum()
    t = t[t["_tok"] > 0]
    if not len(t):
        return "No author-voice words to rate"
    t["rate"] = 1000 * t["_cues"] / t["_tok"]
    ranked = sorted(t.index, key=lambda k: (-round(t.loc[k, "rate"], 9), str(k)))
    hi, lo = ranked[0], ranked[-1]
    if len(ranked) == 1:
        return f"{hi}: author-voice evaluative rate {t.loc[hi, 'rate']:.1f} per 1,000 author words"
    return (
        f"Highest author-voice evaluative rate: {hi}, {t.loc[hi, 'rate']:.1f} per 1,000 author "
        f"words (lowest: {lo}, {t.loc[lo, 'rate']:.1f}; {len(ranked)} {_plural(by, 2)})"
    )


def alignment_finding(
    events: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    by: str,
    focal: str,
    camps: Mapping[str, Sequence[str]],
    names: Mapping[str, str] | None = None,
) -> str:
    """The focal actor's alignment index in the group with the most events.

    ``"RT: Serbia's alignment index 0.88 toward Russia (17 events)"``: the index of
    :func:`framelens.measures.alignment.alignment_index` per group, for the group whose
    events with the camps are the most (ties: alphabetical); positive = toward the first
    camp. ``names`` maps codes to readable names (:func:`actor_names`).

    Examples
    --------
    >>> ev = pd.DataFrame({"doc_id": ["a", "a", "b"], "event_id": [0, 1, 0],
    ...     "source_root": ["SRB", "SRB", "SRB"], "target_root": ["RUS", "EU", "EU"],
    ...     "source_blocs": ["", "", ""], "target_blocs": ["", "WST", "WST"],
    ...     "weight": [4.0, -2.0, 1.0], "historical": [False, False, False]})
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["RT", "Y"]})
    >>> alignment_finding(ev, d, by="outlet", focal="SRB", camps={"RUS": ["RUS"], "WST": ["WST"]},
    ...                   names={"SRB": "Serbia", "RUS": "Russia", "WST": "the West"})
    "RT: Serbia's alignment index 1.00 toward Russia (2 events)"
    """
    names = dict(names or {})
    fname = names.get(focal, focal)
    camp_names = [names.get(k, k) for k in camps]
    g = group_docs(docs, by)
    a = al.alignment_index(events, focal=focal, camps=camps, by=by, docs=g)
    n = a.groupby(by)["n_events"].sum()
    if not len(n) or not int(n.max()):
        return f"No relation event involves {fname} and {' or '.join(camp_names)}"
    top = sorted(n.index, key=lambda k: (-n[k], str(k)))[0]
    idx = float(a.loc[a[by] == top, "index"].iloc[0])
    if not np.isfinite(idx) or idx == 0:
        toward = f"balanced between {camp_names[0]} and {camp_names[1]}"
    else:
        toward = f"toward {camp_names[0] if idx > 0 else camp_names[1]}"
    return f"{top}: {fname}'s alignment index {idx:.2f} {toward} ({int(n[top])} events)"


def validation_finding(agreement: pd.DataFrame, tool: pd.DataFrame | None = None) -> str:
    """Coders' agreement per variable and whether the tool agrees as well.

    Parameters
    ----------
    agreement : DataFrame
        :func:`framelens.coding.agreement` output.
    tool : DataFrame, optional
        :func:`framelens.coding.tool_agreement` output.

    Examples
    --------
    >>> ag = pd.DataFrame({"variable": ["bias"], "alpha": [0.8], "alpha_lo": [0.55],
    ...                    "alpha_hi": [1.0], "n_units": [12]})
    >>> ta = pd.DataFrame({"variable": ["bias"], "kappa_coders": [0.8], "kappa_tool": [0.5]})
    >>> print(validation_finding(ag, ta))
    bias: coders alpha 0.80 (95% CI 0.55 to 1.00, 12 units); framelens vs coders kappa 0.50,
    below the coders' 0.80
    """
    parts = []
    tl = tool.set_index("variable") if tool is not None and len(tool) else None
    for r in agreement.itertuples():
        s = f"{r.variable}: coders alpha {r.alpha:.2f}"
        if np.isfinite(getattr(r, "alpha_lo", np.nan)):
            s += f" (95% CI {r.alpha_lo:.2f} to {r.alpha_hi:.2f}, {r.n_units} units)"
        if tl is not None and r.variable in tl.index:
            kc, kt = (
                float(tl.loc[r.variable, "kappa_coders"]),
                float(tl.loc[r.variable, "kappa_tool"]),
            )
            if np.isfinite(kc) and np.isfinite(kt):
                word = "as high as" if kt >= kc else "below"
                s += f"; framelens vs coders kappa {kt:.2f}, {word} the coders' {kc:.2f}"
        parts.append(s)
    return "; ".join(parts) if parts else "No coded variable"
