"""The codebook: the variables coders fill in, their level and allowed values.

A codebook is a small table (one row per variable) with ``variable``, ``level``
(nominal / ordinal / interval), ``values`` (the allowed values, in order: the order
is the scale of an ordinal variable) and ``definition`` (the text coders read).
:func:`codebook` builds and validates it from a list of mappings (or a DataFrame).

Examples
--------
>>> cb = codebook([{"variable": "bias", "level": "nominal", "values": ["biased", "neutral"],
...                 "definition": "Is the sentence written in biased language?"}])
>>> cb[["variable", "level"]].to_dict("records")
[{'variable': 'bias', 'level': 'nominal'}]
>>> allowed(cb, "bias")
('biased', 'neutral')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.errors import CodingError

__all__ = ["LEVELS", "codebook", "read_codebook", "allowed", "value_codes"]

#: Levels of measurement a variable may declare (Krippendorff's alpha uses the level).
LEVELS = ("nominal", "ordinal", "interval")

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_KEYS = ("variable", "level", "values", "definition")


def _clean_values(name: str, values) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise CodingError(f"codebook variable {name!r}: values must be a list, got {values!r}")
    out = tuple(str(v).strip() for v in values)
    if len(out) < 2:
        raise CodingError(f"codebook variable {name!r}: give at least two allowed values")
    dup = sorted({v for v in out if out.count(v) > 1})
    if dup or "" in out:
        raise CodingError(f"codebook variable {name!r}: values repeat or are blank: {dup}")
    return out


def codebook(spec) -> pd.DataFrame:
    """Validate a codebook spec and return it as a table, one row per variable.

    Parameters
    ----------
    spec : list of mappings or DataFrame
        Each with ``variable`` (a name: letters, digits, underscores), ``level``
        (one of :data:`LEVELS`), ``values`` (a list of at least two allowed values;
        for ordinal and interval variables in scale order, interval values numeric)
        and ``definition`` (text shown on the codebook sheet).

    Returns
    -------
    DataFrame
        Columns ``variable, level, values, definition``; ``values`` holds tuples of str.

    Raises
    ------
    CodingError
        Naming the variable and what is wrong with it.

    Examples
    --------
    >>> codebook([{"variable": "tone", "level": "interval", "values": [-1, 0, 1],
    ...            "definition": "Tone toward the actor"}])["values"].iloc[0]
    ('-1', '0', '1')
    """
    rows = spec.to_dict("records") if isinstance(spec, pd.DataFrame) else list(spec)
    if not rows:
        raise CodingError("the codebook has no variables; give at least one")
    out, seen = [], set()
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise CodingError(f"codebook entry {i} must be a mapping, got {type(row).__name__}")
        unknown = sorted(set(row) - set(_KEYS))
        missing = [k for k in _KEYS if k not in row]
        if unknown or missing:
            raise CodingError(
                f"codebook entry {i}: missing {missing}, unknown {unknown}; keys are {_KEYS}"
            )
        name = str(row["variable"])
        if not _NAME.match(name) or name in seen:
            raise CodingError(
                f"codebook variable {name!r}: names are unique, start with a letter and "
                "use letters, digits and underscores"
            )
        seen.add(name)
        if row["level"] not in LEVELS:
            raise CodingError(
                f"codebook variable {name!r}: level must be one of {LEVELS}, not {row['level']!r}"
            )
        values = _clean_values(name, row["values"])
        if row["level"] == "interval":
            try:
                [float(v) for v in values]
            except ValueError:
                raise CodingError(
                    f"codebook variable {name!r}: interval values must be numbers: {values}"
                ) from None
        out.append((name, row["level"], values, str(row["definition"])))
    return pd.DataFrame(out, columns=list(_KEYS))


def _tool_mapping(where: str, entry: Mapping) -> dict[str, Any] | None:
    tool, cuts = entry.get("tool"), entry.get("cuts")
    if tool is None:
        if cuts is not None:
            raise CodingError(f"{where}: 'cuts' without 'tool'; name the score as table.column")
        return None
    values = entry.get("values")
    n_values = len(values) if isinstance(values, list | tuple) else 0
    if isinstance(cuts, str) or not isinstance(cuts, list | tuple) or len(cuts) != n_values - 1:
        raise CodingError(f"{where}: give cuts, one fewer than its values (a list of numbers)")
    try:
        return {"tool": str(tool), "cuts": [float(c) for c in cuts]}
    except (TypeError, ValueError):
        raise CodingError(f"{where}: cuts must be numbers, got {list(cuts)}") from None


def _words_loader():
    """YAML's safe loader that keeps ``yes``/``no``/``on``/``off`` as the words coders
    type (YAML 1.1 would make ``values: [yes, no]`` the values "True" and "False")."""
    import yaml

    class WordsLoader(yaml.SafeLoader):
        pass

    WordsLoader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return WordsLoader


def read_codebook(path: str | Path) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Read a codebook YAML file: the :func:`codebook` table and each variable's tool score.

    The file is a list of :func:`codebook` entries (or a mapping with such a list under
    ``variables``); an entry may also name the tool's score of the variable,
    ``tool: table.column``, with ``cuts``, one fewer than its values, saying how the score
    maps to them (the validation report reads these; the sheets ignore them).

    Parameters
    ----------
    path : path
        The YAML file.

    Returns
    -------
    (DataFrame, dict)
        The codebook and ``variable -> {"tool": "table.column", "cuts": [...]}`` for the
        variables that name a tool score.

    Raises
    ------
    CodingError
        Naming the file (and the entry) when it is missing, not YAML or not a codebook.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "codebook.yaml")
    >>> _ = open(p, "w").write("- {variable: bias, level: nominal, values: [no, yes], "
    ...                        "definition: Biased, tool: sentence_bias.bias_score, cuts: [0.5]}")
    >>> cb, tools = read_codebook(p)
    >>> cb["values"].iloc[0], tools
    (('no', 'yes'), {'bias': {'tool': 'sentence_bias.bias_score', 'cuts': [0.5]}})
    """
    import yaml

    path = Path(path)
    if not path.is_file():
        raise CodingError(f"{path}: no codebook here; write the round's codebook.yaml")
    try:
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=_words_loader())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CodingError(f"{path}: cannot read the codebook: {exc}") from None
    if isinstance(spec, Mapping) and "variables" in spec:
        spec = spec["variables"]
    if not isinstance(spec, list):
        raise CodingError(
            f"{path}: a codebook is a YAML list of variables (variable, level, values, "
            f"definition), not {type(spec).__name__}"
        )
    entries, tools = [], {}
    for i, entry in enumerate(spec):
        if not isinstance(entry, Mapping):
            raise CodingError(f"{path}: entry {i} must be a mapping, got {type(entry).__name__}")
        where = f"{path}: variable {entry.get('variable', i)!r}"
        mapping = _tool_mapping(where, entry)
        if mapping is not None:
            tools[str(entry.get("variable"))] = mapping
        entries.append({k: v for k, v in entry.items() if k not in ("tool", "cuts")})
    try:
        return codebook(entries), tools
    except CodingError as exc:
        raise CodingError(f"{path}: {exc}") from None


def allowed(cb: pd.DataFrame, variable: str) -> tuple[str, ...]:
    """The allowed values of ``variable`` in codebook ``cb``.

    Examples
    --------
    >>> cb = codebook([{"variable": "x", "level": "ordinal", "values": ["low", "high"],
    ...                 "definition": ""}])
    >>> allowed(cb, "x")
    ('low', 'high')
    """
    hit = cb.loc[cb["variable"] == variable, "values"]
    if hit.empty:
        raise CodingError(f"variable {variable!r} is not in the codebook ({list(cb['variable'])})")
    return tuple(hit.iloc[0])


def value_codes(cb: pd.DataFrame, variable: str) -> dict[str, float]:
    """Numbers for the values of ``variable``: interval values as numbers, nominal and
    ordinal values as their rank in the codebook order (what alpha and kappa compute on).

    Examples
    --------
    >>> cb = codebook([{"variable": "x", "level": "ordinal", "values": ["low", "mid", "high"],
    ...                 "definition": ""}])
    >>> value_codes(cb, "x")
    {'low': 0.0, 'mid': 1.0, 'high': 2.0}
    """
    values = allowed(cb, variable)
    level = cb.loc[cb["variable"] == variable, "level"].iloc[0]
    if level == "interval":
        return {v: float(v) for v in values}
    return {v: float(i) for i, v in enumerate(values)}
