"""Lexicon file formats: project YAML, CSV, quanteda-style YAML and LIWC .dic; dump and to_frame."""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import logging
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .model import (
    BUILTIN_DIR,
    FORMATS,
    Category,
    Lexicon,
    LexiconError,
    Pattern,
    from_project_data,
    node_where,
    parse_pattern,
)

log = logging.getLogger(__name__)


def available() -> list[str]:
    """Names of the built-in lexicons (``lib/framelens/lexicons/<name>.yaml``).

    Examples
    --------
    >>> isinstance(available(), list)
    True
    """
    if not BUILTIN_DIR.is_dir():
        return []
    names = set()
    for p in BUILTIN_DIR.iterdir():
        if p.suffix in (".yaml", ".yml") and p.stem != "actors":
            names.add(p.stem)
    return sorted(names)


def load(name_or_path: str | Path | Lexicon, *, format: str | None = None) -> Lexicon:
    """Load a lexicon by built-in name or from a file.

    Parameters
    ----------
    name_or_path : str, Path or Lexicon
        A built-in name (see :func:`available`), or a path to a project YAML lexicon,
        a CSV/TSV file (``term,category[,weight]``), a quanteda-style YAML dictionary
        (``category: [terms]``, nested keys joined with ``.``) or a LIWC ``.dic`` file.
        A Lexicon is returned unchanged.
    format : {"yaml", "csv", "quanteda", "liwc"}, optional
        Overrides the guess from the extension (``.yaml``/``.yml`` with a top-level
        ``categories`` key is the project format, otherwise quanteda; ``.csv``/``.tsv``;
        ``.dic``).

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        With the file, line and the fix.

    Examples
    --------
    >>> lex = load("policy")                          # doctest: +SKIP
    >>> lex = load("my_dictionary.dic")               # doctest: +SKIP
    """
    if isinstance(name_or_path, Lexicon):
        return name_or_path
    if format is not None and format not in FORMATS:
        raise LexiconError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if not isinstance(name_or_path, (str, Path)):
        raise TypeError(f"load() takes a name, a path or a Lexicon, got {type(name_or_path)}")
    path = Path(name_or_path)
    if (
        isinstance(name_or_path, str)
        and not path.suffix
        and "/" not in name_or_path
        and "\\" not in name_or_path
    ):
        for ext in (".yaml", ".yml"):
            cand = BUILTIN_DIR / f"{name_or_path}{ext}"
            if cand.is_file():
                return _load_file(cand, format or "yaml")
        if not path.exists():
            close = difflib.get_close_matches(name_or_path, available(), n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise LexiconError(
                f"no built-in lexicon {name_or_path!r} and no such file.{hint} "
                f"Built-in lexicons: {', '.join(available()) or '(none)'}; or pass a path "
                "to a .yaml, .csv, .tsv or .dic file"
            )
    if not path.exists():
        raise LexiconError(f"{path}: no such lexicon file; check the path")
    if path.is_dir():
        raise LexiconError(f"{path}: is a folder; pass one lexicon file")
    if format is None:
        ext = path.suffix.lower()
        if ext in (".yaml", ".yml"):
            format = "yaml"  # the project format or quanteda, decided on the content
        elif ext in (".csv", ".tsv", ".txt"):
            format = "csv"
        elif ext == ".dic":
            format = "liwc"
        else:
            raise LexiconError(
                f"{path}: cannot tell the lexicon format from the extension {ext!r}; "
                f"name it .yaml, .csv, .tsv or .dic or pass format= one of {', '.join(FORMATS)}"
            )
    return _load_file(path, format)


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        warnings.warn(
            f"{path}:{line}: not valid UTF-8; read as Windows-1252. Save the file as UTF-8 "
            "to silence this warning",
            stacklevel=4,
        )
        return raw.decode("cp1252", errors="replace")


#: Parsed lexicons by (resolved path, format, sha256 of the bytes): a file is parsed
#: once per process however often a configuration names it (Lexicon is immutable).
_CACHE: dict[tuple[str, str, str], Lexicon] = {}


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


def _load_file(path: Path, format: str) -> Lexicon:
    raw = path.read_bytes()
    key = (str(path.resolve()), format, hashlib.sha256(raw).hexdigest())
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    lex = _parse_file(path, format)
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[key] = lex
    return lex


def _parse_file(path: Path, format: str) -> Lexicon:
    text = _read_text(path)
    if format == "csv":
        return _load_csv(text, path)
    if format == "liwc":
        return _load_liwc(text, path)
    loader = _YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise LexiconError(
            f"{where}: YAML syntax error ({problem}); check indentation, and quote terms "
            "that start with * or contain ': '"
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, Mapping):
        raise LexiconError(
            f"{path}:1: a lexicon YAML file must be a mapping (name:, categories: ... or "
            f"category: [terms]), got {type(data).__name__}"
        )
    if format == "yaml" and "categories" in data:
        return from_project_data(data, source=str(path), node=node)
    if format == "yaml" and "name" in data and "version" in data:
        raise LexiconError(
            f"{path}:1: a project lexicon needs a 'categories:' mapping of category names "
            "to patterns"
        )
    return _from_quanteda_data(data, path=path, node=node)


def _from_quanteda_data(data: Mapping, *, path: Path, node) -> Lexicon:
    cats: dict[str, list[Pattern]] = {}

    def walk(obj, prefix: list):
        for key, val in obj.items():
            keypath = prefix + [key]
            cname = ".".join(str(k) for k in keypath)
            if isinstance(val, Mapping):
                walk(val, keypath)
            elif isinstance(val, (list, str)):
                terms = [val] if isinstance(val, str) else val
                if not terms:
                    raise LexiconError(
                        f"{node_where(str(path), node, keypath)}: dictionary key {cname!r} has no "
                        "terms; give it a list of terms or remove it"
                    )
                pats = cats.setdefault(cname, [])
                for i, t in enumerate(terms):
                    if not isinstance(t, (str, int, float)) or isinstance(t, bool):
                        raise LexiconError(
                            f"{node_where(str(path), node, keypath + [i])}: term {t!r} of "
                            f"{cname!r} must be a string"
                        )
                    pats.append(
                        parse_pattern(str(t), where=node_where(str(path), node, keypath + [i]))
                    )
            else:
                raise LexiconError(
                    f"{node_where(str(path), node, keypath)}: dictionary key {cname!r} must hold a "
                    f"list of terms or nested keys, got {val!r}"
                )

    walk(data, [])
    return Lexicon(
        name=path.stem,
        description=f"quanteda-style dictionary {path.name}",
        categories={k: Category(k, "", tuple(v)) for k, v in cats.items()},
        source=str(path),
    )


def _load_csv(text: str, path: Path) -> Lexicon:
    delim = (
        "\t"
        if path.suffix.lower() == ".tsv"
        or ("\t" in text.split("\n", 1)[0] and "," not in text.split("\n", 1)[0])
        else ","
    )
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    cols = {"term": 0, "category": 1, "weight": 2}
    first = 0
    while first < len(rows) and not any(c.strip() for c in rows[first]):
        first += 1
    if first < len(rows):
        head = [c.strip().lower() for c in rows[first]]
        if "term" in head or "category" in head:
            if "term" not in head or "category" not in head:
                raise LexiconError(
                    f"{path}:{first + 1}: the header must name the columns 'term' and "
                    f"'category' (optional 'weight'), found {rows[first]}"
                )
            cols = {c: head.index(c) for c in ("term", "category", "weight") if c in head}
            first += 1
    cats: dict[str, list[Pattern]] = {}
    for i in range(first, len(rows)):
        row = rows[i]
        if not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        line = i + 1
        need = max(cols["term"], cols["category"]) + 1
        if len(row) < need or not row[cols["term"]].strip() or not row[cols["category"]].strip():
            raise LexiconError(
                f"{path}:{line}: expected 'term{delim}category[{delim}weight]', got "
                f"{delim.join(row)!r}; give every row a term and a category"
            )
        spec: Any = row[cols["term"]]
        if "weight" in cols and len(row) > cols["weight"] and row[cols["weight"]].strip():
            w = row[cols["weight"]].strip()
            try:
                wf = float(w)
            except ValueError:
                raise LexiconError(
                    f"{path}:{line}: weight {w!r} is not a number; write e.g. 0.5"
                ) from None
            spec = {"term": spec, "weight": wf}
        cats.setdefault(row[cols["category"]].strip(), []).append(
            parse_pattern(spec, where=f"{path}:{line}")
        )
    if not cats:
        raise LexiconError(f"{path}: no 'term,category' rows found")
    return Lexicon(
        name=path.stem,
        description=f"CSV lexicon {path.name}",
        categories={k: Category(k, "", tuple(v)) for k, v in cats.items()},
        source=str(path),
    )


def _load_liwc(text: str, path: Path) -> Lexicon:
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or lines[i].strip() != "%":
        raise LexiconError(
            f"{path}:{i + 1}: a LIWC .dic file starts with a line '%', then 'number<TAB>"
            "category' lines, another '%', then 'term<TAB>numbers' lines"
        )
    i += 1
    numbers: dict[str, str] = {}
    while i < len(lines) and lines[i].strip() != "%":
        line = lines[i].strip()
        if line:
            parts = line.split(None, 1)
            if len(parts) != 2 or not parts[0].isdigit():
                raise LexiconError(
                    f"{path}:{i + 1}: expected 'number<TAB>category' in the header, got "
                    f"{lines[i]!r}"
                )
            numbers[str(int(parts[0]))] = parts[1].strip()
        i += 1
    if i >= len(lines):
        raise LexiconError(
            f"{path}: the category header is not closed by a second '%' line; add it after "
            "the last 'number<TAB>category' line"
        )
    if not numbers:
        raise LexiconError(f"{path}: the header between the '%' lines lists no categories")
    cats: dict[str, list[Pattern]] = {name: [] for name in numbers.values()}
    for j in range(i + 1, len(lines)):
        raw = lines[j]
        if not raw.strip():
            continue
        if "\t" in raw:
            fields = [f for f in raw.split("\t") if f.strip()]
            term, codes = fields[0].strip(), " ".join(fields[1:]).split()
        else:  # space-separated: the trailing run of numbers are the codes
            toks = raw.split()
            k = len(toks)
            while k > 1 and toks[k - 1].isdigit():
                k -= 1
            term, codes = " ".join(toks[:k]), toks[k:]
        if not codes:
            raise LexiconError(
                f"{path}:{j + 1}: term {term!r} has no category numbers; write "
                "'term<TAB>number [number ...]'"
            )
        pat = parse_pattern(term, where=f"{path}:{j + 1}")
        for code in codes:
            if not code.isdigit():
                warnings.warn(
                    f"{path}:{j + 1}: LIWC conditional or malformed category {code!r} of "
                    f"{term!r} is not supported and was skipped",
                    stacklevel=4,
                )
                continue
            name = numbers.get(str(int(code)))
            if name is None:
                raise LexiconError(
                    f"{path}:{j + 1}: term {term!r} uses category number {code} which the "
                    f"header does not define; header numbers: {', '.join(numbers)}"
                )
            cats[name].append(pat)
    empty = [k for k, v in cats.items() if not v]
    return Lexicon(
        name=path.stem,
        description=f"LIWC-format dictionary {path.name}",
        categories={k: Category(k, "", tuple(v)) for k, v in cats.items()},
        source=str(path),
        meta={"empty_categories": empty} if empty else {},
    )


def _pattern_spec(p: Pattern):
    if p.kind == "regex":
        return {"regex": p.term} if p.weight == 1.0 else {"regex": p.term, "weight": p.weight}
    if p.weight != 1.0:
        return {"term": p.term, "weight": p.weight}
    return p.term


def dump(lexicon: Lexicon, path: str | Path) -> Path:
    """Write ``lexicon`` as a project YAML file; ``load(path)`` gives it back.

    Examples
    --------
    >>> dump(load("policy"), "policy_copy.yaml")       # doctest: +SKIP
    """
    lexicon = load(lexicon) if not isinstance(lexicon, Lexicon) else lexicon
    data: dict[str, Any] = {
        "name": lexicon.name,
        "version": lexicon.version,
        "description": lexicon.description,
        "citations": list(lexicon.citations),
        "licence": lexicon.licence,
        "categories": {
            c.name: {
                "description": c.description,
                "patterns": [_pattern_spec(p) for p in c.patterns],
            }
            for c in lexicon.categories.values()
        },
    }
    for k, v in lexicon.meta.items():
        data[k] = v
    path = Path(path)
    path.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
    return path
