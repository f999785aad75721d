"""The reader of a folder of .txt files (or one file): YAML front matter and a sidecar
metadata table."""

from __future__ import annotations

import fnmatch
import logging
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

import pandas as pd
import yaml

from framelens.errors import CorpusError

from .problems import (
    IGNORED_NAMES,
    MAX_FRONT_MATTER_CHARS,
    MAX_FRONT_MATTER_NODES,
    problem_row,
)
from .sources import (
    SUFFIXES,
    Options,
    Raw,
    SourceError,
    decode_bytes,
    has_nul,
    is_missing,
    scalar_value,
)
from .tabular import read_table

log = logging.getLogger(__name__)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _FrontMatterLoader(_YAML_LOADER):  # type: ignore[misc, valid-type]
    """Safe YAML without timestamps: dates stay strings, parsed (or reported as
    ``bad_date``) with every other date, so ``2024-02-30`` cannot abort the load."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in _YAML_LOADER.yaml_implicit_resolvers.items()
}


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*(?:\n|\Z)", re.S | re.M)
# a --- line, then a "key: value" line: metadata whose closing --- line is missing
_UNCLOSED = re.compile(r"\A---[ \t]*\n[ \t]*[A-Za-z_][\w .-]*:(?:[ \t]|\n|\Z)")


def _too_many_nodes(obj: Any, limit: int) -> bool:
    """True when ``obj`` (aliases expanded, cycles followed) holds more than ``limit``
    nodes; stops counting at the limit, so an alias bomb costs nothing."""
    stack, n = [obj], 0
    while stack:
        n += 1
        if n > limit:
            return True
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple, set)):
            stack.extend(v)
    return False


def _front_matter(text: str) -> tuple[dict | None, str, str | None]:
    """Split YAML front matter from a text: (metadata or None, body, problem or None).

    When the block between the ``---`` lines is not a YAML mapping (or is larger than
    :data:`MAX_FRONT_MATTER_CHARS` characters or :data:`MAX_FRONT_MATTER_NODES` nodes),
    the whole text is kept as the body (it may be a rule in the article, not metadata)
    with a problem.
    """
    if not text.startswith("---"):
        return None, text, None
    m = _FRONT_MATTER.match(text)
    if not m:
        if _UNCLOSED.match(text):
            return (
                None,
                text,
                "front matter opened by --- is never closed by a second --- line "
                "(add it after the metadata)",
            )
        return None, text, None
    body = text[m.end() :]
    block = m.group(1)
    if len(block) > MAX_FRONT_MATTER_CHARS:
        return (
            None,
            text,
            (
                f"front matter of {len(block):,} characters, more than the limit of "
                f"{MAX_FRONT_MATTER_CHARS:,} characters"
            ),
        )
    try:
        meta = yaml.load(block, Loader=_FrontMatterLoader) if block.strip() else {}
    except yaml.YAMLError as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        return None, text, f"front matter is not valid YAML ({first})"
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as e:
        return None, text, f"front matter cannot be read ({type(e).__name__}: {e})"
    if not isinstance(meta, dict):
        return None, text, f"front matter is a YAML {type(meta).__name__}, not a mapping"
    if _too_many_nodes(meta, MAX_FRONT_MATTER_NODES):
        return (
            None,
            text,
            (
                f"front matter expands to more than {MAX_FRONT_MATTER_NODES:,} values "
                "(YAML aliases repeated, or a structure that refers to itself)"
            ),
        )
    return {str(k): v for k, v in meta.items()}, body, None


_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")


def _title_line(body: str) -> tuple[str | None, str]:
    """Split ``"Title\n\nText"`` into the title (None if blank) and the text."""
    first, _, rest = body.partition("\n")
    rest = rest[_BLANK_LINES.match(rest).end() :]
    title = first.strip()
    return (title or None), rest


def _scan_folder(root: Path, recursive: bool) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Relative POSIX paths of all files (and broken links) under root, sorted, and
    notes ``(rel, code, why)`` about linked folders.

    A link to a folder outside the corpus is followed (``followed_link``); a link to a
    folder already read (inside the corpus, or a loop back to it) is not
    (``skipped_file``), so no file is read twice and no walk runs forever.
    """
    inside = {os.path.realpath(d) for d, _, _ in os.walk(root)}  # the real folders
    out: list[str] = []
    links: list[tuple[str, str]] = []
    notes: list[tuple[str, str, str]] = []
    seen = set(inside)
    stack = [(root, PurePosixPath())]
    while stack:
        folder, rel_dir = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            notes.append(
                (rel_dir.as_posix(), "skipped_file", f"cannot list the folder ({e.strerror})")
            )
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = rel_dir / entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                out.append(rel.as_posix())
                continue
            if not recursive:
                log.info("%s: not reading subfolder %s (recursive=False)", root, rel)
                continue
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if target in seen:
                    notes.append(
                        (
                            rel.as_posix(),
                            "skipped_file",
                            "a link to a folder that is read anyway (inside the corpus, or a "
                            "loop back to it); not followed, so no file is read twice",
                        )
                    )
                    continue
                seen.add(target)
                seen.update(os.path.realpath(d) for d, _, _ in os.walk(target))
                links.append((rel.as_posix(), target))
            stack.append((Path(entry.path), rel))
    for rel, target in links:
        n = sum(1 for f in out if f.startswith(rel + "/") and f.lower().endswith(".txt"))
        notes.append(
            (
                rel,
                "followed_link",
                f"a link to the folder {target}; followed, {n} .txt file"
                f"{'' if n == 1 else 's'} read from it. Copy the files in (or pass ignore=) "
                "if that is not meant",
            )
        )
    return sorted(out), notes


def _read_sidecar(meta: Any, opts: Options) -> tuple[pd.DataFrame | None, list]:
    """Read a sidecar metadata table: a path or a DataFrame with a ``file`` column."""
    problems: list[dict] = []
    if isinstance(meta, pd.DataFrame):
        df = meta.rename(columns=str)
        sname = "metadata DataFrame"
    else:
        path = Path(meta)
        sname = str(path)
        if not path.exists():
            raise CorpusError(
                f"metadata file {path} does not exist; pass metadata= "
                "the path of a CSV with a 'file' column"
            )
        fmt = SUFFIXES.get(path.suffix.lower())
        if fmt not in ("csv", "tsv", "jsonl", "parquet"):
            raise CorpusError(
                f"metadata file {path}: unknown format {path.suffix!r}; use a "
                ".csv, .tsv, .jsonl or .parquet file with a 'file' column"
            )
        str_cols = set(opts.mapped().values()) | {opts.id_col or "doc_id", "file"}
        try:
            df, records, broken, _bad, notes = read_table(path, fmt, opts.encoding, str_cols)
        except SourceError as e:
            problems.append(
                problem_row(sname, None, None, e.code, e.message + " The metadata was not used.")
            )
            return None, problems
        for rec, code, why in notes:
            problems.append(problem_row(sname, rec, None, code, f"{sname}, {rec}: {why}."))
        for rec, why in broken:
            problems.append(
                problem_row(
                    sname,
                    rec,
                    None,
                    "bad_metadata",
                    f"{sname}, {rec}: {why}; this metadata row was skipped, "
                    "fix it to give its file metadata.",
                )
            )
    if "file" not in df.columns:
        raise CorpusError(
            f"{sname}: the sidecar metadata needs a 'file' column naming each "
            f".txt file; available columns: {', '.join(map(str, df.columns))}"
        )
    return df.reset_index(drop=True), problems


def _free_name(base: str, taken: Any) -> str:
    name, k = base, 2
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    return name


class TxtScan(NamedTuple):
    """A folder of .txt files as scanned: its ``name``, ``root``, the .txt files to read
    (``txt``, relative POSIX paths in order), the sidecar metadata of each (``meta``),
    the problems of the scan and the sidecar (in ``raw``, with the sidecar's records),
    and whether the source is ``single`` .txt file."""

    name: str
    root: Path
    txt: list[str]
    meta: dict[str, dict]
    raw: Raw
    single: bool


def read_txt(source: Path, opts: Options) -> Raw:
    """Read a folder of .txt files (or one .txt file) into raw records."""
    scan = scan_txt(source, opts)
    raw = scan.raw
    rows: list[dict] = []
    for rel in scan.txt:
        read_txt_file(scan, rel, opts, raw, rows)
    raw.problems.extend(no_txt_problems(scan))
    raw.frame = txt_frame(rows, opts.text_col)
    return raw


def txt_frame(rows: list[dict], text_key: str, columns: list[str] | None = None) -> pd.DataFrame:
    """The rows of .txt files as the raw frame (``columns``: every column, in order; a
    column none of ``rows`` has gets missing values of pandas' text dtype, the dtype a
    text column with gaps has in the whole folder's frame)."""
    if rows:
        frame = pd.DataFrame(rows)
        frame.columns = [str(c) for c in frame.columns]
    else:
        frame = pd.DataFrame({text_key: pd.Series(dtype=object)})
    if columns is not None:
        missing = [c for c in columns if c not in frame.columns]
        frame = frame.reindex(columns=columns)
        for c in missing:
            frame[c] = frame[c].astype("str")
    return frame


def scan_txt(source: Path, opts: Options) -> TxtScan:
    """List the .txt files of a folder (or one .txt file) and read its sidecar metadata:
    what every batch of the folder shares."""
    # long: one sequential pass (scan, sidecar) whose problem rows share the same local state
    name = str(source)
    raw = Raw(name=name, strict_columns=False)
    raw.records, raw.sources, raw.default_ids = [], [], []
    if source.is_dir():
        root = source
        sidecar = opts.metadata
        if sidecar is None and (root / "metadata.csv").is_file():
            sidecar = root / "metadata.csv"
        names, notes = _scan_folder(root, opts.recursive)
        for rel, code, why in notes:
            raw.problems.append(problem_row(name, rel, None, code, f"{name}, {rel}: {why}."))
    else:  # one .txt file: a sidecar (given, or metadata.csv beside it) may describe it
        root = source.parent
        sidecar = opts.metadata
        if sidecar is None and (root / "metadata.csv").is_file():
            sidecar = root / "metadata.csv"
        names = [source.name]
    single = not source.is_dir()
    sidecar_rel = None
    if isinstance(sidecar, (str, os.PathLike)):
        try:
            sidecar_rel = Path(sidecar).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            sidecar_rel = None

    txt: list[str] = []
    for rel in names:
        if rel == sidecar_rel or any(
            fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(PurePosixPath(rel).name, pat)
            for pat in opts.ignore
        ):
            continue
        if rel.lower().endswith(".txt"):
            txt.append(rel)
        elif IGNORED_NAMES.match(PurePosixPath(rel).name):
            log.debug("%s: ignoring %s (documentation, not data)", name, rel)
        else:
            raw.problems.append(
                problem_row(
                    name,
                    rel,
                    None,
                    "skipped_file",
                    f"{name}, {rel}: not a .txt file, so it was not "
                    "read; move it out of the corpus folder or load it "
                    "separately (e.g. load_corpus('...csv')).",
                )
            )

    # sidecar metadata
    meta_rows: dict[str, dict] = {}
    if sidecar is not None:
        sdf, sprobs = _read_sidecar(sidecar, opts)
        raw.problems.extend(sprobs)
        if sdf is not None:
            sname = "metadata DataFrame" if isinstance(sidecar, pd.DataFrame) else str(sidecar)
            txt_set = set(txt)
            by_base: dict[str, list[str]] = {}
            for rel in txt:
                by_base.setdefault(PurePosixPath(rel).name, []).append(rel)
            cols = [c for c in sdf.columns if c != "file"]
            files = sdf["file"].astype("string").tolist()
            values = {c: sdf[c].tolist() for c in cols}
            for i, f in enumerate(files):
                if f is None or f is pd.NA or not str(f).strip():
                    raw.n_records += 1
                    raw.problems.append(
                        problem_row(
                            sname,
                            f"row {i + 1}",
                            None,
                            "missing_file",
                            f"{sname}, row {i + 1}: the 'file' value is "
                            "empty; fill it in or remove the row.",
                        )
                    )
                    continue
                key = str(f).strip().replace("\\", "/")
                if key.startswith("./"):
                    key = key[2:]
                rel = key if key in txt_set else None
                if rel is None and len(by_base.get(PurePosixPath(key).name, [])) == 1:
                    rel = by_base[PurePosixPath(key).name][0]
                if rel is None and single:
                    continue  # the sidecar describes other files of the folder too
                if rel is None:
                    extra = "" if key.lower().endswith(".txt") else " (only .txt files are read)"
                    raw.n_records += 1
                    raw.problems.append(
                        problem_row(
                            sname,
                            key,
                            None,
                            "missing_file",
                            f"{sname}, file {key}: listed in the "
                            f"metadata but not found in {name}{extra}; "
                            "add the file or remove the row.",
                        )
                    )
                    continue
                if rel in meta_rows:
                    raw.problems.append(
                        problem_row(
                            sname,
                            key,
                            None,
                            "duplicate_metadata",
                            f"{sname}, file {key}: listed more than "
                            "once; the first row was used, remove the "
                            "others.",
                        )
                    )
                    continue
                meta_rows[rel] = {c: values[c][i] for c in cols if not is_missing(values[c][i])}

    return TxtScan(name, root, txt, meta_rows, raw, single)


def read_txt_file(scan: TxtScan, rel: str, opts: Options, raw: Raw, rows: list[dict]) -> None:
    """Read the file ``rel`` of a scanned folder into ``raw`` (its record, problems) and
    ``rows`` (its row, when it is read)."""
    # long: the file's checks in order, each with its own problem row
    name, root, meta_rows = scan.name, scan.root, scan.meta
    text_key = opts.text_col
    path = root / rel
    raw.n_records += 1
    try:
        data = path.read_bytes()
    except OSError as e:
        why = e.strerror or type(e).__name__
        raw.problems.append(
            problem_row(
                name,
                rel,
                None,
                "unreadable_file",
                f"{name}, {rel}: cannot read the file ({why}); "
                "check that it exists (not a broken link) and that "
                "you may read it.",
            )
        )
        return
    if has_nul(data, opts.encoding):
        raw.problems.append(
            problem_row(
                name,
                rel,
                None,
                "wrong_format",
                f"{name}, {rel}: contains NUL bytes, so it is not a "
                "plain-text file (binary data renamed .txt?); the "
                "file was skipped, convert it to UTF-8 text or "
                "remove it.",
            )
        )
        return
    text, bad = decode_bytes(data, opts.encoding)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    fm, body, fm_problem = _front_matter(text)
    row: dict[str, Any] = {}
    if opts.title_line:
        title, body = _title_line(body)
        if title is not None:
            row[opts.title_col] = title
    if fm_problem:
        raw.problems.append(
            problem_row(
                name,
                rel,
                None,
                "bad_front_matter",
                f"{name}, {rel}: {fm_problem}; it was not used as "
                "metadata and stays part of the text. Fix the YAML "
                "between the --- lines.",
            )
        )
    if fm:
        row.update({k: scalar_value(v) for k, v in fm.items()})
    if rel in meta_rows:
        row.update(meta_rows[rel])
    if text_key in row:  # a front-matter/sidecar field named like the text: keep its value
        new = _free_name(f"{text_key}_orig", row)
        row[new] = row.pop(text_key)
        raw.problems.append(
            problem_row(
                name,
                rel,
                None,
                "renamed_column",
                f"{name}, {rel}: the front matter (or sidecar) has a field {text_key!r}, "
                f"the name of the document text; its value is kept as {new!r}. Rename the "
                "field to choose the name.",
            )
        )
    row[text_key] = body
    if bad:
        raw.text_unreadable[len(rows)] = bad
    rows.append(row)
    raw.records.append(rel)
    raw.sources.append(rel)  # relative to the corpus folder: tables don't depend on its place
    stem = rel[:-4] if rel.lower().endswith(".txt") else rel
    raw.default_ids.append(stem)


def no_txt_problems(scan: TxtScan) -> list[dict]:
    """The ``empty_source`` problem of a folder without .txt files (none otherwise)."""
    raw, name = scan.raw, scan.name
    if not scan.txt and not any(p["code"] == "missing_file" for p in raw.problems):
        others = [p["record"] for p in raw.problems if p["code"] == "skipped_file"]
        hint = (
            f" (found {', '.join(others[:5])}{' ...' if len(others) > 5 else ''}; to "
            "load a table pass its path, e.g. load_corpus('folder/file.csv'))"
            if others
            else ""
        )
        return [
            problem_row(
                name,
                None,
                None,
                "empty_source",
                f"{name}: no .txt files found{hint}; nothing to load.",
            )
        ]
    return []
