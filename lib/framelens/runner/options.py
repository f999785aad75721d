"""What ``framelens run`` adds on the command line: parameter overrides and metadata.

``-p NAME=VALUE`` overrides a notebook parameter in every job whose notebook declares
it (:func:`parse_assignments`, :func:`coerce`; the planner checks the value like a
workbook parameter and rejects names no notebook declares). ``--default COLUMN=VALUE``
and ``--metadata FILE`` change the documents themselves: :func:`prepare_corpus` loads
the corpus with those defaults, joins the metadata CSV by ``doc_id`` (each id of the
file that matches no document, and each document without a row, is a problem) and
writes the documents as one Parquet file the notebooks read instead of the corpus.

Examples
--------
>>> parse_assignments(["focal=HUN", "top_n=5"], flag="-p")
{'focal': 'HUN', 'top_n': '5'}
>>> coerce("5", 10), coerce("[RUS, BLR]", ["RUS"]), coerce("5", "x")
(5, ['RUS', 'BLR'], '5')
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from framelens.errors import FramelensError

__all__ = ["parse_assignments", "coerce", "prepare_corpus", "join_metadata"]


def parse_assignments(items: Sequence[str], *, flag: str) -> dict[str, str]:
    """``["a=1", "b=x"]`` -> ``{"a": "1", "b": "x"}``; anything without ``=`` or with an
    empty name raises :class:`FramelensError` naming ``flag``."""
    out: dict[str, str] = {}
    for item in items or ():
        name, eq, value = str(item).partition("=")
        if not eq or not name.strip():
            raise FramelensError(f"{flag} takes NAME=VALUE, not {item!r}")
        out[name.strip()] = value
    return out


def coerce(raw: Any, default: Any) -> Any:
    """The value of a command-line parameter for a notebook whose default is ``default``:
    the text itself for a string default, else the text read as YAML (``5``, ``0.5``,
    ``true``, ``[RUS, BLR]``, ``null``); a non-string ``raw`` is returned as it is."""
    if not isinstance(raw, str) or isinstance(default, str):
        return raw
    import yaml

    try:
        return yaml.safe_load(raw) if raw.strip() else raw
    except yaml.YAMLError:
        return raw


def _read_metadata(path: Path):
    import pandas as pd

    if not path.is_file():
        raise FramelensError(f"--metadata {path}: no such file")
    try:
        meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        raise FramelensError(f"--metadata {path}: cannot read it as CSV ({exc})") from None
    if "doc_id" not in meta.columns:
        hint = (
            "; a 'file' column is the sidecar of a .txt folder, which framelens check and "
            "analyze --metadata read: for run, name each document by its doc_id (the file's "
            "path without .txt) or put the sidecar in the folder as metadata.csv"
            if "file" in meta.columns
            else ""
        )
        raise FramelensError(
            f"--metadata {path}: needs a 'doc_id' column to join on; "
            f"columns: {list(map(str, meta.columns))}{hint}"
        )
    reserved = sorted({"text", "source"} & set(meta.columns))
    if reserved:
        raise FramelensError(
            f"--metadata {path}: cannot set {reserved} (only metadata columns); rename them"
        )
    return meta


def join_metadata(docs, path: str | Path):
    """``docs`` with the columns of the CSV at ``path`` joined by ``doc_id`` (its non-empty
    values replace the documents' own), and the problems of the join.

    Returns
    -------
    (DataFrame, list of dict)
        The new documents table (``docs`` is not modified) and problem rows
        (:func:`framelens.corpus.problems.problem_row`): ``bad_metadata`` for an id that
        matches no document and for documents without a row, ``duplicate_metadata`` for
        an id listed twice (the first row is used).
    """
    import pandas as pd

    from framelens.corpus.problems import problem_row

    p = Path(path)
    meta = _read_metadata(p)
    src, problems = str(p), []
    dup = meta["doc_id"].duplicated(keep="first")
    for i in meta.index[dup]:
        d = meta.at[i, "doc_id"]
        msg = f"{src}, row {i + 2}: doc_id {d!r} listed again; the first row is used"
        problems.append(problem_row(src, f"row {i + 2}", d, "duplicate_metadata", msg))
    meta = meta[~dup]
    ids = set(docs["doc_id"].astype(str))
    for i, d in meta["doc_id"].items():
        if d not in ids:
            msg = f"{src}, row {i + 2}: doc_id {d!r} matches no document of the corpus"
            problems.append(problem_row(src, f"row {i + 2}", d, "bad_metadata", msg))
    missing = sorted(ids - set(meta["doc_id"]))
    if missing:
        msg = (
            f"{src}: {len(missing)} document(s) have no row (e.g. {missing[:3]}); "
            "their metadata stays as loaded"
        )
        problems.append(problem_row(src, None, None, "bad_metadata", msg))
    out = docs.copy()
    by_id = meta.set_index("doc_id")
    if "date" in by_id.columns:  # parsed as the loaders parse dates; a bad one is reported
        from framelens.corpus.validate import parse_dates

        dates, bad = parse_dates(meta["date"])
        for i, d, v in zip(meta.index[bad], meta["doc_id"][bad], meta["date"][bad]):
            msg = (
                f"{src}, row {i + 2}: cannot parse the date {v!r} of doc_id {d!r}; the "
                "document keeps its own date. Write dates as ISO 8601 (2024-10-20)"
            )
            problems.append(problem_row(src, f"row {i + 2}", d, "bad_date", msg))
        by_id["date"] = dates.to_numpy()
    for col in by_id.columns:
        values = out["doc_id"].astype(str).map(by_id[col])
        if col == "date":
            new = values if col not in out.columns else values.fillna(out[col])
            out[col] = pd.to_datetime(new)
            continue
        values = values.replace("", pd.NA)
        out[col] = values if col not in out.columns else values.fillna(out[col].astype(object))
    return out, problems


def prepare_corpus(
    corpus: str,
    *,
    defaults: Mapping[str, Any] | None = None,
    metadata: str | Path | None = None,
    title_line: bool = False,
    read_options: Mapping[str, Any] | None = None,
    folder: str | Path,
) -> tuple[str, Any]:
    """The corpus at ``corpus`` with ``defaults`` filled in and ``metadata`` joined,
    written as ``<folder>/<name>-<hash>.parquet`` (the hash of the documents); its path
    and the problems of loading and joining (a DataFrame). ``title_line``: a folder of
    ``.txt`` files whose first line is the title; ``read_options``: other options of
    :func:`framelens.load_corpus` (``text_col``, ``id_col``, ``format``, ``encoding``).

    The notebooks then read that file as their corpus. Its documents are the loaded
    ones (the ``source`` column is left out: the file is the source now).
    """
    from framelens.corpus import load_corpus
    from framelens.corpus.problems import problems_frame

    opts = {**(read_options or {}), **({"title_line": True} if title_line else {})}
    c = load_corpus(corpus, defaults=dict(defaults or {}), **opts)
    docs, rows = c.docs, []
    if metadata:
        docs, rows = join_metadata(docs, metadata)
    import pandas as pd

    problems = (
        pd.concat([c.problems, problems_frame(rows)], ignore_index=True) if rows else (c.problems)
    )
    docs = docs.drop(columns=["source"], errors="ignore")
    from framelens.core.provenance import sha256_frame

    digest = hashlib.sha256(f"{corpus}\n{sha256_frame(docs)}".encode()).hexdigest()[:12]
    target = Path(folder) / f"{Path(corpus).name or 'corpus'}-{digest}.parquet"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        docs.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    return str(target), problems
