"""Reader for attribution annotations in BRAT standoff, in PolNeAR's published layout.

Layout
    ``<root>/text/<name>.txt`` (the article, UTF-8, offsets are Python string offsets)
    and ``<root>/attributions/<name>[_<annotator>].ann`` (annotator id: four hex digits
    after the last underscore, or no suffix). Nothing is copied: the files are read
    from the path given.
Choice of annotator
    Some articles were annotated by several annotators (one ``.ann`` file each). Exactly
    one file per article is kept: the first by sorted file name, i.e. the file without a
    suffix, else the lexicographically smallest annotator id. Deterministic and
    independent of the annotations' content.
Spans
    ``T`` lines ``T<n><TAB><Type> <start> <end>[;<start> <end>...]<TAB><text>``;
    discontinuous spans keep their fragments, written ``"10-20;30-40"`` in the
    ``*_frags`` columns, with ``*_start`` / ``*_end`` the outer extent.
Events
    ``E`` lines ``E<n><TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1`` (any event
    type; a second content role ``Content2`` is merged into the content fragments). An
    event without a content span is skipped; a missing cue or source gives missing
    offsets.

Examples
--------
>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / "text").mkdir(); (root / "attributions").mkdir()
>>> _ = (root / "text" / "a.txt").write_text("Kim said it rained.")
>>> ann = "T1\\tSource 0 3\\tKim\\nT2\\tCue 4 8\\tsaid\\nT3\\tContent 9 18\\tit rained\\n"
>>> ann += "E1\\tAttribution:T2 Content:T3 Cue:T2 Source:T1\\n"
>>> _ = (root / "attributions" / "a_00aa.ann").write_text(ann)
>>> docs, attrs = read_brat(root)
>>> attrs[["doc_id", "content_frags", "cue_frags", "source_frags"]].values.tolist()
[['a', '9-18', '4-8', '0-3']]
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from framelens.errors import CorpusError

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "read_brat",
    "list_articles",
    "parse_ann",
    "frags_to_str",
    "str_to_frags",
]

#: Columns of the attributions table :func:`read_brat` returns.
ATTRIBUTION_COLUMNS = (
    "doc_id",
    "attr_id",
    "has_source",
    "content_start",
    "content_end",
    "content_frags",
    "cue_start",
    "cue_end",
    "cue_frags",
    "source_start",
    "source_end",
    "source_frags",
)
_ANNOTATOR = re.compile(r"^(.*)_([0-9a-f]{4})$")


def frags_to_str(frags) -> str:
    """Fragments ``[(s, e), ...]`` as ``"s-e;s-e"``.

    Examples
    --------
    >>> frags_to_str([(1, 4), (9, 12)])
    '1-4;9-12'
    """
    return ";".join(f"{a}-{b}" for a, b in frags)


def str_to_frags(value) -> list[tuple[int, int]]:
    """``"s-e;s-e"`` as fragments; missing or empty gives ``[]``.

    Examples
    --------
    >>> str_to_frags("1-4;9-12"), str_to_frags(None)
    ([(1, 4), (9, 12)], [])
    """
    if not isinstance(value, str) or not value:
        return []
    return [tuple(int(x) for x in p.split("-")) for p in value.split(";")]


def _span_frags(spec: str) -> list[tuple[int, int]]:
    out = []
    for part in spec.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return sorted(out)


def parse_ann(path: str | Path) -> list[dict]:
    """Parse one ``.ann`` file into attribution dicts with fragment lists.

    Parameters
    ----------
    path : path
        A BRAT standoff file.

    Returns
    -------
    list of dict
        ``attr_id``, ``content``, ``cue``, ``source`` (sorted fragment lists).

    Examples
    --------
    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "x.ann")
    >>> _ = open(f, "w").write("T1\\tContent 0 2;5 7\\tab cd\\nE1\\tAttribution:T1 Content:T1\\n")
    >>> parse_ann(f)[0]["content"]
    [(0, 2), (5, 7)]
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[tuple[str, dict[str, list[str]]]] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or not parts[0]:
                continue
            if parts[0][0] == "T":
                _typ, _, spec = parts[1].partition(" ")
                try:
                    spans[parts[0]] = _span_frags(spec)
                except ValueError as exc:
                    raise CorpusError(
                        f"{path}, line {lineno}: span {spec!r} is not '<start> <end>[;...]'; "
                        "fix the offsets or remove the line"
                    ) from exc
            elif parts[0][0] == "E":
                roles: dict[str, list[str]] = {}
                for item in parts[1].split():
                    role, _, tid = item.partition(":")
                    roles.setdefault(role, []).append(tid)
                events.append((parts[0], roles))
    rows = []
    for eid, roles in events:

        def frags(*names, roles=roles):
            return sorted(f for r in names for t in roles.get(r, []) for f in spans.get(t, []))

        content = frags("Content", "Content2")
        if content:
            rows.append(
                {"attr_id": eid, "content": content, "cue": frags("Cue"), "source": frags("Source")}
            )
    return rows


def list_articles(root: str | Path) -> dict[str, Path]:
    """Map each article name to its chosen ``.ann`` file (see the module docstring).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> r = pathlib.Path(tempfile.mkdtemp())
    >>> (r / "text").mkdir(); (r / "attributions").mkdir()
    >>> _ = (r / "text" / "a.txt").write_text("x")
    >>> for n in ("a_ff00", "a_0b11"):
    ...     _ = (r / "attributions" / f"{n}.ann").write_text("")
    >>> list_articles(r)["a"].name
    'a_0b11.ann'
    """
    root = Path(root)
    tdir, adir = root / "text", root / "attributions"
    if not tdir.is_dir() or not adir.is_dir():
        raise CorpusError(
            f"{root}: expected the folders text/ and attributions/ (PolNeAR's layout: "
            "text/<name>.txt, attributions/<name>[_annotator].ann); give the split folder, "
            "e.g. .../polnear/train"
        )
    texts = {p.stem for p in tdir.glob("*.txt")}
    chosen: dict[str, Path] = {}
    for p in sorted(adir.glob("*.ann")):
        m = _ANNOTATOR.match(p.stem)
        doc = m.group(1) if m and m.group(1) in texts else p.stem
        if doc in texts and doc not in chosen:
            chosen[doc] = p
    return dict(sorted(chosen.items()))


def _extent(frags):
    return (frags[0][0], max(b for _, b in frags)) if frags else (None, None)


def read_brat(root: str | Path, *, limit: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read an annotated split into a docs table and an attributions table.

    Parameters
    ----------
    root : path
        The split folder holding ``text/`` and ``attributions/``.
    limit : int, optional, keyword-only
        Read only the first ``limit`` articles (sorted by name).

    Returns
    -------
    docs : DataFrame
        ``doc_id``, ``text``, ``annotator`` (empty when the file has no suffix),
        ``publisher`` (the name before the first underscore).
    attributions : DataFrame
        :data:`ATTRIBUTION_COLUMNS`; ``*_start`` / ``*_end`` are nullable integers.

    Examples
    --------
    >>> read_brat("/no/such/folder")                   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    framelens.errors.CorpusError: /no/such/folder: expected the folders text/ ...
    """
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise CorpusError(f"limit must be a positive integer or None, got {limit!r}")
    root = Path(root)
    arts = list_articles(root)
    if not arts:
        raise CorpusError(f"{root}: no article has both text/<name>.txt and an .ann file")
    if limit is not None:
        arts = dict(list(arts.items())[:limit])
    drows, arows = [], []
    for doc, ann in arts.items():
        with open(root / "text" / f"{doc}.txt", encoding="utf-8", newline="") as fh:
            text = fh.read()
        drows.append((doc, text, ann.stem[len(doc) + 1 :], doc.split("_")[0]))
        for r in parse_ann(ann):
            cs, ce = _extent(r["content"])
            qs, qe = _extent(r["cue"])
            ss, se = _extent(r["source"])
            arows.append(
                (doc, r["attr_id"], bool(r["source"]), cs, ce, frags_to_str(r["content"]))
                + (qs, qe, frags_to_str(r["cue"]), ss, se, frags_to_str(r["source"]))
            )
    docs = pd.DataFrame(drows, columns=["doc_id", "text", "annotator", "publisher"])
    attrs = pd.DataFrame(arows, columns=list(ATTRIBUTION_COLUMNS))
    for c in ATTRIBUTION_COLUMNS:
        if c.endswith(("_start", "_end")):
            attrs[c] = attrs[c].astype("Int64")
    return docs, attrs
