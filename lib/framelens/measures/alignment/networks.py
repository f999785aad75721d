"""Signed and co-occurrence actor networks."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)


def network(
    data: pd.DataFrame,
    *,
    kind: str = "signed",
    level: str = "root",
    min_weight: float = 0.0,
    include_historical: bool = False,
):
    """Actor network as a :class:`networkx.Graph`.

    Parameters
    ----------
    data : DataFrame
        ``events`` (kind "signed") or ``mentions`` (kind "cooccurrence").
    kind : {"signed", "cooccurrence"}
        signed: edge weight = net Goldstein weight between two actors (attributes
        ``weight``, ``n``, ``n_coop``, ``n_conflict``, ``sign``); cooccurrence: edge
        weight = number of sentences naming both actors. Node attribute ``count``:
        number of events / mentions.
    level : {"root", "actor"}
        Nodes are roots (SRB) or full actor codes (SRBGOV).
    min_weight : float
        Drop edges with ``|weight| < min_weight``.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"source_root": ["SRB", "EU"], "target_root": ["RUS", "SRB"],
    ...     "source": ["SRB", "EU"], "target": ["RUS", "SRB"], "weight": [4.0, -5.0]})
    >>> g = network(ev)
    >>> sorted((u, v, d["weight"]) for u, v, d in g.edges(data=True))
    [('SRB', 'EU', -5.0), ('SRB', 'RUS', 4.0)]
    """
    import networkx as nx

    if kind not in {"signed", "cooccurrence"}:
        raise ValueError(f"kind must be 'signed' or 'cooccurrence', not {kind!r}")
    if level not in {"root", "actor"}:
        raise ValueError(f"level must be 'root' or 'actor', not {level!r}")
    g = nx.Graph(kind=kind)
    if data is None or not len(data):
        return g
    if kind == "signed":
        ev = data
        if not include_historical and "historical" in ev:
            ev = ev[~ev["historical"].astype(bool)]
        a = ev["source_root" if level == "root" else "source"].astype(str).tolist()
        b = ev["target_root" if level == "root" else "target"].astype(str).tolist()
        for u, v, w in zip(a, b, ev["weight"].astype(float)):
            for n in (u, v):
                if n not in g:
                    g.add_node(n, count=0)
                g.nodes[n]["count"] += 1
            if u == v:
                continue
            d = g.get_edge_data(u, v) or {"weight": 0.0, "n": 0, "n_coop": 0, "n_conflict": 0}
            d["weight"] += w
            d["n"] += 1
            d["n_coop"] += int(w > 0)
            d["n_conflict"] += int(w < 0)
            g.add_edge(u, v, **d)
        for _u, _v, d in g.edges(data=True):
            d["sign"] = int(np.sign(d["weight"]))
    else:
        ms = data[data["role"].astype(str) != "LOC"] if "role" in data else data
        col = "root" if level == "root" else "actor"
        for n, c in ms[col].astype(str).value_counts().items():
            g.add_node(n, count=int(c))
        for _, grp in ms.groupby([ms["doc_id"].astype(str), ms["sent_id"]], sort=False):
            nodes = sorted(set(grp[col].astype(str)))
            for x in range(len(nodes)):
                for y in range(x + 1, len(nodes)):
                    d = g.get_edge_data(nodes[x], nodes[y]) or {"weight": 0}
                    g.add_edge(nodes[x], nodes[y], weight=d["weight"] + 1)
    if min_weight > 0:
        g.remove_edges_from(
            [(u, v) for u, v, d in g.edges(data=True) if abs(d["weight"]) < min_weight]
        )
    return g
