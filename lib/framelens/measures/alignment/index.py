"""The alignment index of a focal actor toward camps."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .common import ALIGNMENT_COLUMNS, camp_of, check_camps

log = logging.getLogger(__name__)


def alignment_index(
    events: pd.DataFrame,
    *,
    focal: str,
    camps: Mapping[str, Sequence[str]],
    by: str | Sequence[str] | None = "doc_id",
    docs: pd.DataFrame | None = None,
    include_historical: bool = False,
) -> pd.DataFrame:
    """Net relation weight of the focal actor toward each camp, and a two-camp index.

    For every event between the focal actor (root ``focal``) and an actor of camp ``k``
    (a camp item matches the other actor's root or one of its blocs), in either
    direction or undirected: ``net_k = sum(w)``, ``gross_k = sum(|w|)``. With the first
    two camps A and B::

        index = (net_A - net_B) / (gross_A + gross_B)        in [-1, 1]

    +1: only cooperation with A and / or only conflict with B; -1 the reverse; 0 balanced
    or no evidence (NaN when there are no events with either camp).

    Parameters
    ----------
    events : DataFrame
        :func:`events` output.
    focal : str
        Root of the focal actor (e.g. ``"SRB"``); no default.
    camps : mapping
        Camp name -> list of roots or blocs, e.g. ``{"RUS": ["RUS", "BLR"], "WST":
        ["WST"]}`` (see :func:`check_camps`); no default. The first two are A and B.
    by : str, list or None
        Group columns (``doc_id``; or a docs column such as ``outlet`` when ``docs`` is
        given; None for the whole table).
    docs : DataFrame, optional
        Joined on ``doc_id`` to group by document metadata.
    include_historical : bool
        Count historical events (default False).

    Returns
    -------
    DataFrame
        One row per group and camp: ``by`` columns, focal, camp, n_events, n_coop,
        n_conflict, net, gross, index (the A-vs-B index, repeated on the group's rows),
        camp_a, camp_b, event_ids (";"-joined ``doc_id:event_id`` of the events used).

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"doc_id": ["d", "d"], "event_id": [0, 1],
    ...     "source_root": ["SRB", "EU"], "target_root": ["RUS", "SRB"],
    ...     "source_blocs": ["", "WST"], "target_blocs": ["BRICS", ""],
    ...     "weight": [4.0, -5.0], "historical": [False, False]})
    >>> a = alignment_index(ev, focal="SRB", camps={"RUS": ["RUS", "BLR"], "WST": ["WST"]})
    >>> a[["camp", "net", "index"]].values.tolist()
    [['RUS', 4.0, 1.0], ['WST', -5.0, 1.0]]
    """
    # long: group keys, one accumulation pass and the per-camp rows share the accumulator
    if not isinstance(focal, str) or not focal:
        raise ValueError(f"focal must be an actor root such as 'SRB', not {focal!r}")
    camps = check_camps(camps)
    names = list(camps)
    a_name, b_name = names[0], names[1]
    group_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    ev = events if events is not None else pd.DataFrame()
    # every group gets rows, even without events: groups of docs (if given) or of events
    key_src = None
    if group_cols and docs is not None and all(c in docs.columns for c in group_cols):
        key_src = docs[group_cols]
    elif group_cols and len(ev) and all(c in ev.columns for c in group_cols):
        key_src = ev[group_cols]
    base_keys = (
        sorted(set(_join_keys(key_src, group_cols))) if key_src is not None and len(key_src) else []
    )
    if len(ev) and not include_historical and "historical" in ev:
        ev = ev[~ev["historical"].astype(bool)]
    if docs is not None and group_cols and any(c not in ev.columns for c in group_cols):
        meta = docs[["doc_id"] + [c for c in group_cols if c != "doc_id"]].copy()
        meta["doc_id"] = meta["doc_id"].astype(str)
        ev = (
            ev.assign(doc_id=ev["doc_id"].astype(str)).merge(meta, on="doc_id", how="left")
            if len(ev)
            else ev
        )
    missing = [c for c in group_cols if len(ev) and c not in ev.columns]
    if missing:
        raise ValueError(
            f"cannot group by {missing}: not in events; pass docs=... with those columns"
        )
    rows = []
    if len(ev):
        src_f = ev["source_root"].astype(str).to_numpy() == focal
        tgt_f = ev["target_root"].astype(str).to_numpy() == focal
        other_root = np.where(src_f, ev["target_root"].astype(str), ev["source_root"].astype(str))
        other_blocs = np.where(
            src_f, ev["target_blocs"].astype(str), ev["source_blocs"].astype(str)
        )
        involved = src_f | tgt_f
        memb = camp_of(list(other_root), list(other_blocs), camps)
        w = ev["weight"].to_numpy(dtype=float)
        ids = (ev["doc_id"].astype(str) + ":" + ev["event_id"].astype(str)).to_numpy()
        keys = _join_keys(ev, group_cols) if group_cols else np.array([""] * len(ev))
        acc: dict[tuple, dict] = {}
        for i in np.flatnonzero(involved):
            for k in memb[i]:
                r = acc.setdefault(
                    (keys[i], k),
                    {"n": 0, "coop": 0, "conf": 0, "net": 0.0, "gross": 0.0, "ids": []},
                )
                r["n"] += 1
                r["coop"] += int(w[i] > 0)
                r["conf"] += int(w[i] < 0)
                r["net"] += w[i]
                r["gross"] += abs(w[i])
                r["ids"].append(ids[i])
        all_keys = sorted(set(keys) | set(base_keys)) if group_cols else [""]
    else:
        acc, all_keys = {}, ([""] if not group_cols else base_keys)
    for g in all_keys:
        ra = acc.get((g, a_name), {"net": 0.0, "gross": 0.0})
        rb = acc.get((g, b_name), {"net": 0.0, "gross": 0.0})
        den = ra["gross"] + rb["gross"]
        idx = (ra["net"] - rb["net"]) / den if den > 0 else np.nan
        parts = g.split("\x1f") if group_cols else []
        for k in names:
            r = acc.get((g, k), {"n": 0, "coop": 0, "conf": 0, "net": 0.0, "gross": 0.0, "ids": []})
            row = dict(zip(group_cols, parts))
            row.update(
                focal=focal,
                camp=k,
                n_events=r["n"],
                n_coop=r["coop"],
                n_conflict=r["conf"],
                net=r["net"],
                gross=r["gross"],
                index=idx,
                camp_a=a_name,
                camp_b=b_name,
                event_ids=";".join(r["ids"]),
            )
            rows.append(row)
    cols = group_cols + [c for c in ALIGNMENT_COLUMNS if c not in group_cols and c != "doc_id"]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=ALIGNMENT_COLUMNS.get(c, "string")) for c in cols})
    out = pd.DataFrame(rows)[cols]
    for c in cols:
        if c in ALIGNMENT_COLUMNS:
            out[c] = out[c].astype(ALIGNMENT_COLUMNS[c])
    return out


def _join_keys(df: pd.DataFrame, cols: Sequence[str]) -> np.ndarray:
    def key(c: str) -> np.ndarray:
        # a missing group value is the "(missing)" group, never NaN or "nan"
        return df[c].astype("string").fillna("(missing)").astype(str).to_numpy(dtype=object)

    out = key(cols[0])
    for c in cols[1:]:
        out = out + "\x1f" + key(c)
    return out
