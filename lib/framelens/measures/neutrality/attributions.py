"""Attribution: reporting-verb classes per speaker and their asymmetry."""

from __future__ import annotations

import functools
import logging
import unicodedata
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from framelens.core.schema import VERB_CLASSES

from .common import (
    UNATTRIBUTED,
    as_categorical,
    as_str_array,
    camp_of_sources,
    need_columns,
)

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1 << 16)
def _plain_name(name: str) -> str:
    """A speaker name without diacritics and extra spaces ("Oliver Várhelyi" ->
    "Oliver Varhelyi"), so that spelling variants count as one source."""
    if name.isascii():
        return " ".join(name.split())
    base = unicodedata.normalize("NFKD", name)
    return " ".join(
        "".join(c for c in base if not unicodedata.combining(c)).translate(_NAME_EXTRA).split()
    )


_NAME_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "s"})


def source_key(quotes: pd.DataFrame) -> pd.Series:
    """The source a quote is attributed to: the **person** - the resolved ``speaker``,
    else ``speaker_surface`` (names without diacritics, so "Vučić" and "Vucic" are one
    source) - else, when no name is known at all, the ``speaker_actor`` code, else
    ``"(unattributed)"``. The actor code is the source's *affiliation* (see
    :func:`sources`), not its identity: two ministers of one government are two sources.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"speaker_actor": ["SRBGOV", "SRBGOV", ""],
    ...                   "speaker": ["Aleksandar Vučić", "Aleksandar Vulin", ""],
    ...                   "speaker_surface": ["He", "", ""]})
    >>> source_key(q).tolist()
    ['Aleksandar Vucic', 'Aleksandar Vulin', '(unattributed)']
    """
    out = speaker(quotes)
    if "speaker_actor" in quotes.columns:
        v = np.array([x.strip() for x in as_str_array(quotes["speaker_actor"])], dtype=object)
        out = np.where((out == UNATTRIBUTED) & (v != ""), v, out)
    return pd.Series(out, index=quotes.index, name="source", dtype=object)


def verb_counted(quotes: pd.DataFrame) -> np.ndarray:
    """Which quotes carry their reporting verb's count (boolean array).

    A partial quote nested in an indirect one ('He noted that ... "not simple" ...')
    shares that quote's reporting verb: the same ``verb_start``. Verb-class counts count
    each reporting verb once per ``(doc_id, verb_start)`` - the first quote of the group
    in table order carries it; quotes without a verb position (``verb_start`` missing
    or the column absent) each count once.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"doc_id": ["d"] * 4, "verb_start": [5, 5, None, 40]})
    >>> verb_counted(q).tolist()
    [True, False, True, True]
    """
    n = len(quotes)
    if "verb_start" not in quotes.columns or n == 0:
        return np.ones(n, dtype=bool)
    vs = pd.to_numeric(quotes["verb_start"], errors="coerce").astype("float64").to_numpy()
    has = ~np.isnan(vs)
    doc = (
        as_str_array(quotes["doc_id"])
        if "doc_id" in quotes.columns
        else np.full(n, "", dtype=object)
    )
    dup = pd.DataFrame({"d": doc, "v": vs}).duplicated(["d", "v"], keep="first").to_numpy()
    return ~(has & dup)


def speaker(quotes: pd.DataFrame) -> np.ndarray:
    """Resolved speaker, else surface form, else "(unattributed)"; diacritics removed."""
    out = np.full(len(quotes), UNATTRIBUTED, dtype=object)
    for col in ("speaker_surface", "speaker"):  # later wins
        if col in quotes.columns:
            v = np.array([_plain_name(x) for x in as_str_array(quotes[col])], dtype=object)
            out = np.where(v != "", v, out)
    return out


def attribution(quotes: pd.DataFrame, *, by: Iterable[str] = ("doc_id", "speaker")) -> pd.DataFrame:
    """Reporting-verb class mix per group of quotes (default per document and speaker).

    Each **reporting verb counts once** (:func:`verb_counted`): a partial quote nested
    in an indirect quote shares its verb and does not count it again. ``n`` is the
    number of reporting verbs of the class, ``n_verbs`` of all classes in the group,
    ``share = n / n_verbs``; ``n_quotes`` is the number of quotes of the group (each
    quote, nested or not). All four classes are kept (n = 0). A missing speaker is
    ``"(unattributed)"``; a missing verb class counts as ``neutral`` - other unknown
    values raise.

    Parameters
    ----------
    quotes : DataFrame
        The ``quotes`` table (``verb_class``, ideally ``verb_start``, and the ``by``
        columns). ``"source"`` may be used in ``by``: see :func:`source_key`.
    by : iterable of str, keyword-only

    Returns
    -------
    DataFrame
        ``*by, verb_class, n, n_verbs, n_quotes, share``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"doc_id": ["d"] * 4, "speaker": ["A", "A", "A", "B"],
    ...                   "verb_class": ["endorsing", "endorsing", "neutral", "distancing"],
    ...                   "verb_start": [3, 3, 50, 90]})   # quotes 0 and 1 share a verb
    >>> a = attribution(q)
    >>> r = a.query("speaker == 'A' and verb_class == 'endorsing'").iloc[0]
    >>> int(r["n"]), int(r["n_verbs"]), int(r["n_quotes"]), float(r["share"])
    (1, 2, 3, 0.5)
    """
    # long: numpydoc with the counting rule; the body is 50 lines
    by = list(by)
    if not by:
        raise ValueError("by must name at least one column, e.g. ('doc_id', 'speaker')")
    need_columns(quotes, ["verb_class"], "quotes")
    q = pd.DataFrame(index=quotes.index)
    for c in by:
        if c == "source":
            q[c] = source_key(quotes).to_numpy()
        elif c == "speaker":
            q[c] = speaker(quotes)
        elif c in quotes.columns:
            q[c] = as_str_array(quotes[c])
        else:
            raise ValueError(
                f"quotes has no column {c!r} to group by; columns: "
                f"{list(quotes.columns)} (or 'source')"
            )
    vc = as_str_array(quotes["verb_class"])
    vc = np.where(vc == "", "neutral", vc)
    bad = sorted(set(vc) - set(VERB_CLASSES))
    if bad:
        raise ValueError(f"unknown verb_class value(s) {bad}; expected {VERB_CLASSES}")
    q["verb_class"] = vc
    if len(q) == 0:
        cols = {c: pd.Series([], dtype=object) for c in by}
        cols.update(
            verb_class=as_categorical([], VERB_CLASSES),
            n=pd.Series([], dtype="int64"),
            n_verbs=pd.Series([], dtype="int64"),
            n_quotes=pd.Series([], dtype="int64"),
            share=pd.Series([], dtype="float64"),
        )
        return pd.DataFrame(cols)
    # groups in order of first appearance, counted with integer codes (bincount): the
    # group x verb-class grid, sorted by the groups' keys and the classes' order
    cols = [q[c].to_numpy(dtype=object) for c in by]
    gid = np.zeros(len(q), dtype=np.int64)
    for col in cols:
        code, uniq = pd.factorize(col, sort=False)
        gid = gid * len(uniq) + code
    gid, first = pd.factorize(gid, sort=False)
    n_groups = len(first)
    rep = np.unique(gid, return_index=True)[1]  # each group's first row
    keys = [col[rep] for col in cols]
    order = sorted(range(n_groups), key=lambda i: tuple(k[i] for k in keys))
    k_cls = len(VERB_CLASSES)
    vcode = pd.Index(list(VERB_CLASSES)).get_indexer(vc)
    counted = verb_counted(quotes)
    n = np.bincount(gid[counted] * k_cls + vcode[counted], minlength=n_groups * k_cls).reshape(
        n_groups, k_cls
    )[order]
    n_quotes = np.bincount(gid, minlength=n_groups)[order]
    return verb_grid({c: k[order] for c, k in zip(by, keys)}, n, n_quotes)


def verb_grid(keys: dict, n: np.ndarray, n_quotes: np.ndarray) -> pd.DataFrame:
    """The table of :func:`attribution` from its counts: ``keys`` (column -> one value
    per group, in the groups' order), ``n`` (groups x :data:`VERB_CLASSES` counts of
    reporting verbs) and ``n_quotes`` (quotes per group); ``share = n / n_verbs``.

    Examples
    --------
    >>> verb_grid({"doc_id": np.array(["a"], dtype=object)}, np.array([[1, 1, 0, 0]]),
    ...           np.array([3]))[["verb_class", "n", "n_verbs", "n_quotes", "share"]].head(2)
      verb_class  n  n_verbs  n_quotes  share
    0    neutral  1        2         3    0.5
    1  endorsing  1        2         3    0.5
    """
    k_cls = len(VERB_CLASSES)
    n_groups = len(n)
    n_verbs = np.repeat(n.sum(axis=1), k_cls)
    n = n.reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n_verbs > 0, n / np.where(n_verbs > 0, n_verbs, 1), np.nan)
    out = pd.DataFrame({c: np.repeat(v, k_cls) for c, v in keys.items()})
    out["verb_class"] = as_categorical(
        np.tile(np.array(VERB_CLASSES, dtype=object), n_groups), VERB_CLASSES
    )
    out["n"] = n.astype("int64")
    out["n_verbs"] = n_verbs.astype("int64")
    out["n_quotes"] = np.repeat(n_quotes, k_cls).astype("int64")
    out["share"] = share.astype("float64")
    return out


def attribution_asymmetry(
    quotes: pd.DataFrame,
    *,
    group: str = "camp",
    by: Iterable[str] = ("doc_id",),
    groups: tuple[str, str] | None = None,
    min_quotes: int = 1,
    camp_map: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Do some sources get endorsing verbs and others distancing ones?

    For each group *g* of sources (by default their camp) the **net endorsement** is
    ``E_g = (n_endorsing - n_distancing - n_guilt_implying) / n_verbs_g``
    (in [-1, 1]), counting each reporting verb once (:func:`verb_counted`). The
    asymmetry is ``E_a - E_b`` for two named ``groups`` (signed), otherwise the range
    ``max_g E_g - min_g E_g`` over groups with at least ``min_quotes`` reporting verbs
    (0 when only one group qualifies; NaN when none).

    Parameters
    ----------
    quotes : DataFrame
    group : str, keyword-only
        ``"camp"``, ``"source"`` or any column of ``quotes``.
    by : iterable of str
        Units within which groups are compared (``()`` for the whole table).
    groups : (str, str), optional
        Compare these two groups: asymmetry = E_first - E_second.
    min_quotes : int
        Minimum number of (distinct) reporting verbs of a group.
    camp_map : mapping, optional
        Passed to :func:`sources` logic when ``group == "camp"``.

    Returns
    -------
    DataFrame
        ``*by, n_groups, group_max, net_max, group_min, net_min, asymmetry``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"doc_id": ["d"] * 3, "speaker_actor": ["SRBGOV", "SRBGOV", "EU"],
    ...                   "verb_class": ["endorsing", "neutral", "distancing"]})
    >>> float(attribution_asymmetry(q)["asymmetry"].iloc[0])    # 0.5 - (-1.0)
    1.5
    """
    # long: numpydoc with the formula; the body is 61 lines
    by = list(by)
    if min_quotes < 1:
        raise ValueError("min_quotes must be >= 1")
    need_columns(quotes, ["verb_class"], "quotes")
    q = pd.DataFrame(index=quotes.index)
    for c in by:
        q[c] = as_str_array(need_columns(quotes, [c], "quotes")[c])
    if group == "camp":
        src = source_key(quotes)
        q["_g"] = camp_of_sources(src.to_numpy(), quotes, camp_map)
    elif group == "source":
        q["_g"] = source_key(quotes).to_numpy()
    else:
        q["_g"] = as_str_array(need_columns(quotes, [group], "quotes")[group])
    vc = as_str_array(quotes["verb_class"])
    q["_net"] = np.where(
        vc == "endorsing", 1.0, np.where(np.isin(vc, ["distancing", "guilt_implying"]), -1.0, 0.0)
    )
    q = q[verb_counted(quotes)]  # each reporting verb once (nested partial quotes share it)
    if not by:
        q["_all"] = "all"
        keys = ["_all"]
    else:
        keys = by
    if groups is None and len(q):
        fast = _asymmetry_range(q, keys, min_quotes)
        if fast is not None:
            return fast.drop(columns=["_all"]) if not by else fast
    g = q.groupby(keys + ["_g"], sort=True).agg(net=("_net", "mean"), n=("_net", "size"))
    g = g.reset_index()
    g = g[g["n"] >= min_quotes]
    units = q[keys].drop_duplicates().sort_values(keys).reset_index(drop=True)
    cols = ["n_groups", "group_max", "net_max", "group_min", "net_min", "asymmetry"]
    if groups is not None:
        a, b = groups
        ga = g[g["_g"] == a][keys + ["net"]].rename(columns={"net": "net_max"})
        gb = g[g["_g"] == b][keys + ["net"]].rename(columns={"net": "net_min"})
        out = units.merge(ga, on=keys, how="left").merge(gb, on=keys, how="left")
        out["n_groups"] = out["net_max"].notna().astype("int64") + out["net_min"].notna().astype(
            "int64"
        )
        out["group_max"] = a
        out["group_min"] = b
    else:
        srt = g.sort_values(keys + ["net", "_g"])
        lo = srt.drop_duplicates(keys, keep="first")[keys + ["_g", "net"]].rename(
            columns={"_g": "group_min", "net": "net_min"}
        )
        hi = srt.drop_duplicates(keys, keep="last")[keys + ["_g", "net"]].rename(
            columns={"_g": "group_max", "net": "net_max"}
        )
        ng = g.groupby(keys).size().rename("n_groups").reset_index()
        out = (
            units.merge(ng, on=keys, how="left")
            .merge(hi, on=keys, how="left")
            .merge(lo, on=keys, how="left")
        )
        out["n_groups"] = out["n_groups"].fillna(0).astype("int64")
        out["group_max"] = out["group_max"].fillna("")
        out["group_min"] = out["group_min"].fillna("")
    out["asymmetry"] = out["net_max"] - out["net_min"]
    out = out[keys + cols]
    if not by:
        out = out.drop(columns=["_all"])
    return out


def _asymmetry_range(q: pd.DataFrame, keys: list[str], min_quotes: int) -> pd.DataFrame | None:
    """:func:`attribution_asymmetry`'s range variant (no ``groups``) with integer codes:
    per unit (``keys``) and group (``_g``) the mean ``_net`` and the number of verbs;
    among the groups with at least ``min_quotes`` verbs the highest net endorsement
    (ties: the last group in sort order) and the lowest (ties: the first). The units in
    sort order. None when a key or group is not a string (the caller's pandas path
    handles that)."""
    cols = [q[c].to_numpy(dtype=object) for c in keys]
    grp = q["_g"].to_numpy(dtype=object)
    if not all(isinstance(x, str) for col in (*cols, grp) for x in col):
        return None
    net = q["_net"].to_numpy(dtype="float64")
    uid = np.zeros(len(q), dtype=np.int64)
    for col in cols:
        code, uniq = pd.factorize(col, sort=False)
        uid = uid * len(uniq) + code
    uid, _ = pd.factorize(uid, sort=False)
    n_units = int(uid.max()) + 1
    first = np.unique(uid, return_index=True)[1]
    ukeys = [col[first] for col in cols]
    uorder = sorted(range(n_units), key=lambda i: tuple(k[i] for k in ukeys))
    # (unit, group) cells: verbs and the sum of net (values 1, -1, 0: exact sums)
    gcode, guniq = pd.factorize(grp, sort=False)
    cell, cid = np.unique(uid * len(guniq) + gcode, return_inverse=True)
    cn = np.bincount(cid, minlength=len(cell))
    cs = np.bincount(cid, weights=net, minlength=len(cell))
    cmean = cs / cn
    cunit = cell // len(guniq)
    cgroup = guniq[cell % len(guniq)].astype(object)
    best: dict[int, list] = {}
    for k in np.flatnonzero(cn >= min_quotes).tolist():
        u, m, gname = int(cunit[k]), float(cmean[k]), cgroup[k]
        b = best.get(u)
        if b is None:
            best[u] = [1, m, gname, m, gname]
            continue
        b[0] += 1
        if (m, gname) > (b[1], b[2]):
            b[1], b[2] = m, gname
        if (m, gname) < (b[3], b[4]):
            b[3], b[4] = m, gname
    rows = [best.get(u) for u in uorder]
    out = pd.DataFrame(
        {c: np.array([k[u] for u in uorder], dtype=object) for c, k in zip(keys, ukeys)}
    )
    out["n_groups"] = np.array([r[0] if r else 0 for r in rows], dtype="int64")
    out["group_max"] = np.array([r[2] if r else "" for r in rows], dtype=object)
    out["net_max"] = np.array([r[1] if r else np.nan for r in rows], dtype="float64")
    out["group_min"] = np.array([r[4] if r else "" for r in rows], dtype=object)
    out["net_min"] = np.array([r[3] if r else np.nan for r in rows], dtype="float64")
    out["asymmetry"] = out["net_max"] - out["net_min"]
    return out
