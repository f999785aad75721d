"""The workbook file: report jobs, their parameters and expansions.

A workbook (``workbook.yaml``) lists report jobs. Each job names a notebook, its
parameters, and optionally an expansion into several reports (one per ``doc_id``, per
outlet, per value of a docs column, or per entry of a list of parameter sets) with an
output name template::

    corpus: data/sample          # default corpus, passed as the `corpus` parameter
    config: null                 # optional analysis configuration (YAML), `config`
    jobs:
      - name: article
        notebook: notebooks/article.ipynb
        parameters: {doc_id: "000_fbaa5b5f07ee96ab"}
        output: article-{doc_id}
      - name: outlets
        notebook: notebooks/corpus.ipynb
        expand: {over: outlet, parameter: outlet}
        output: corpus-{outlet}

Paths in the workbook are relative to the workbook file and reach notebooks as
absolute paths. Everything here is validated before anything runs: errors name the
job and the fix (:class:`WorkbookError`).

Examples
--------
>>> src = "import math\\nx = 1  # a comment\\nname: str = 'a'\\n"
>>> notebook_parameters_from_source(src)
{'x': 1, 'name': 'a'}
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from framelens.errors import WorkbookError
from framelens.runner.names import RESERVED_NAMES, name_hash, safe_name

__all__ = [
    "WorkbookError",
    "Job",
    "Report",
    "Workbook",
    "load_workbook",
    "notebook_parameters",
    "notebook_parameters_from_source",
    "check_parameters",
    "safe_name",
    "name_hash",
    "RESERVED_NAMES",
    "expand_job",
]

_JOB_KEYS = {"name", "notebook", "parameters", "expand", "output", "description", "timeout"}
_EXPAND_KEYS = {"over", "parameter", "values", "parameter_sets"}
_TOP_KEYS = {"corpus", "config", "jobs", "version", "title", "description"}
#: Parameters the runner fills in from the workbook's top level when a notebook declares them.
IMPLICIT = ("corpus", "config")


# ---------------------------------------------------------------------------- parameters cell
def notebook_parameters_from_source(
    source: str, *, where: str = "parameters cell"
) -> dict[str, Any]:
    """The literal assignments of a parameters cell, as ``{name: default}``.

    Only ``name = <literal>`` and ``name: type = <literal>`` statements (and comments,
    imports, docstrings) are allowed; anything else raises :class:`WorkbookError`, because
    papermill's injected values could not override it reliably.

    Parameters
    ----------
    source : str
        The source code of the parameters cell.
    where : str, keyword-only
        How error messages name the cell (e.g. ``"article.ipynb parameters cell"``).

    Returns
    -------
    dict
        ``{name: default value}`` in source order.

    Raises
    ------
    WorkbookError
        On a syntax error, a statement that is not a literal assignment, or a value that
        is an expression; the message gives the line and the fix.

    Examples
    --------
    >>> notebook_parameters_from_source('corpus = "../data/sample"\\nlimit: int = 5')
    {'corpus': '../data/sample', 'limit': 5}
    >>> notebook_parameters_from_source("n = len('ab')")
    Traceback (most recent call last):
    ...
    framelens.errors.WorkbookError: parameters cell, line 1: `n` must be assigned a literal ...
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise WorkbookError(f"{where}: not valid Python ({exc.msg}, line {exc.lineno})") from None
    out: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            continue  # a docstring / string comment
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            target, value = node.targets[0].id, node.value
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.value is not None
        ):
            target, value = node.target.id, node.value
        else:
            raise WorkbookError(
                f'{where}, line {node.lineno}: only literal assignments like `name = "value"` '
                f"belong in a parameters cell; move other code to the next cell"
            )
        try:
            out[target] = ast.literal_eval(value)
        except ValueError:
            raise WorkbookError(
                f"{where}, line {node.lineno}: `{target}` must be assigned a literal "
                f"(string, number, bool, None, list, dict), not an expression"
            ) from None
    return out


def notebook_parameters(path: str | Path) -> dict[str, Any]:
    """Defaults declared in the cell tagged ``parameters`` of the notebook at ``path``.

    Parameters
    ----------
    path : str or Path
        An ``.ipynb`` file.

    Returns
    -------
    dict
        ``{name: default}``, as :func:`notebook_parameters_from_source` reads the cell.

    Raises
    ------
    WorkbookError
        When the file is missing or not a notebook, when there is no code cell tagged
        ``parameters`` or more than one, or when the cell holds more than literals.

    Examples
    --------
    >>> notebook_parameters("notebooks/corpus.ipynb")          # doctest: +SKIP
    {'corpus': '../data/sample', 'config': '', 'group_col': 'outlet'}
    """
    p = Path(path)
    try:
        nb = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorkbookError(f"{p}: notebook not found") from None
    except json.JSONDecodeError as exc:
        raise WorkbookError(f"{p}: not a notebook (invalid JSON: {exc.msg})") from None
    cells = [
        c for c in nb.get("cells", []) if "parameters" in (c.get("metadata", {}).get("tags") or [])
    ]
    if len(cells) != 1:
        raise WorkbookError(
            f"{p}: needs exactly one cell tagged 'parameters' (found {len(cells)}); "
            f"in JupyterLab: select the cell, open the property inspector, add the tag"
        )
    if cells[0].get("cell_type") != "code":
        raise WorkbookError(f"{p}: the cell tagged 'parameters' must be a code cell")
    src = cells[0].get("source", "")
    src = "".join(src) if isinstance(src, list) else src
    return notebook_parameters_from_source(src, where=f"{p.name} parameters cell")


def _type_name(v: Any) -> str:
    return "None" if v is None else type(v).__name__


def _compatible(default: Any, value: Any) -> bool:
    if default is None or value is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float) and isinstance(value, int):
        return True
    if isinstance(default, (list, tuple)) and isinstance(value, (list, tuple)):
        return True
    if isinstance(default, str) and isinstance(value, (list, tuple)):
        # one code or several (camps such as ["RUS", "BLR"])
        return all(isinstance(v, str) for v in value)
    return isinstance(value, type(default))


def check_parameters(
    job: str, notebook: str | Path, given: Mapping[str, Any], declared: Mapping[str, Any]
) -> None:
    """Raise :class:`WorkbookError` when ``given`` names a parameter the notebook does not
    declare, or a value whose type differs from the declared default's.

    A default of ``None`` accepts anything, an int is accepted for a float default, and
    lists and tuples are interchangeable, a list of strings is accepted for a string
    default (one code or several, as for camps); bools match only bools.

    Parameters
    ----------
    job : str
        The job name (for the message).
    notebook : str or Path
        The notebook (its file name appears in the message).
    given : mapping
        The parameters the workbook passes.
    declared : mapping
        The notebook's defaults (:func:`notebook_parameters`).

    Returns
    -------
    None

    Raises
    ------
    WorkbookError
        Naming the job, the parameter and the valid names or the expected type.

    Examples
    --------
    >>> check_parameters("article", "article.ipynb", {"doc_id": "a"}, {"doc_id": "", "config": ""})
    >>> check_parameters("article", "article.ipynb", {"docid": "a"}, {"doc_id": ""})
    Traceback (most recent call last):
    ...
    framelens.errors.WorkbookError: job 'article': unknown parameter(s) ['docid'] for ...
    """
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise WorkbookError(
            f"job {job!r}: unknown parameter(s) {unknown} for {Path(notebook).name}; "
            f"valid names: {sorted(declared)}"
        )
    for k, v in given.items():
        if not _compatible(declared[k], v):
            raise WorkbookError(
                f"job {job!r}: parameter {k!r} is {_type_name(v)} ({v!r}) but "
                f"{Path(notebook).name} declares {_type_name(declared[k])} ({declared[k]!r})"
            )


# ---------------------------------------------------------------------------- data classes
@dataclasses.dataclass(frozen=True)
class Job:
    """One workbook entry (before expansion)."""

    name: str
    notebook: Path
    parameters: Mapping[str, Any]
    output: str | None = None
    expand: Mapping[str, Any] | None = None
    description: str = ""
    timeout: float | None = None


@dataclasses.dataclass(frozen=True)
class Report:
    """One report to render: a job with concrete parameters and an output name."""

    name: str
    job: str
    notebook: Path
    parameters: Mapping[str, Any]
    corpus: str | None = None
    config: str | None = None
    timeout: float | None = None


@dataclasses.dataclass(frozen=True)
class Workbook:
    """A validated workbook: top-level corpus/config (absolute) and its jobs."""

    path: Path
    corpus: str | None
    config: str | None
    jobs: tuple[Job, ...]
    title: str = "framelens reports"
    #: True when ``corpus`` came from ``--corpus`` (not from the workbook file).
    corpus_given: bool = False
    #: What the index says about the corpus (how it was prepared, its problems).
    notes: tuple[str, ...] = ()
    #: The corpus's name as the index shows it (the folder or file name).
    corpus_label: str = ""

    def job(self, name: str) -> Job:
        for j in self.jobs:
            if j.name == name:
                return j
        raise WorkbookError(f"no job named {name!r}; jobs: {[j.name for j in self.jobs]}")


def _abs(base: Path, p: str | None) -> str | None:
    if p is None or p == "":
        return None
    q = Path(p).expanduser()
    return str((q if q.is_absolute() else base / q).resolve())


def load_workbook(
    path: str | Path = "workbook.yaml", *, corpus: str | Path | None = None
) -> Workbook:
    """Read and validate a workbook file.

    Parameters
    ----------
    path : path
        The workbook YAML.
    corpus : path, optional, keyword-only
        Overrides the corpus of every job (relative to the current folder).

    Returns
    -------
    Workbook
        Top-level ``corpus``/``config`` as absolute paths (or None), the title and the
        validated :class:`Job` entries (notebook paths absolute, relative to the
        workbook file).

    Raises
    ------
    WorkbookError
        On any structural problem, naming the job and the fix.

    Examples
    --------
    >>> wb = load_workbook("workbook.yaml")                   # doctest: +SKIP
    >>> [j.name for j in wb.jobs]                             # doctest: +SKIP
    ['corpus', 'article', 'framing', 'neutrality', 'alignment']
    """
    # long: one check per workbook key in file order, so each message names job and fix
    import yaml

    p = Path(path).resolve()
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorkbookError(f"{path}: workbook not found (pass --workbook PATH)") from None
    except yaml.YAMLError as exc:
        raise WorkbookError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise WorkbookError(f"{path}: a workbook is a mapping with a 'jobs' list")
    extra = sorted(set(data) - _TOP_KEYS)
    if extra:
        raise WorkbookError(f"{path}: unknown top-level key(s) {extra}; valid: {sorted(_TOP_KEYS)}")
    base = p.parent
    jobs_raw = data.get("jobs")
    if not isinstance(jobs_raw, list) or not jobs_raw:
        raise WorkbookError(f"{path}: 'jobs' must be a non-empty list of jobs")
    top_corpus = (
        str(Path(corpus).expanduser().resolve()) if corpus else _abs(base, data.get("corpus"))
    )
    top_config = _abs(base, data.get("config"))
    jobs: list[Job] = []
    seen: set[str] = set()
    for i, raw in enumerate(jobs_raw):
        label = f"job #{i + 1}"
        if not isinstance(raw, dict):
            raise WorkbookError(f"{path}: {label} must be a mapping with 'name' and 'notebook'")
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise WorkbookError(f"{path}: {label} needs a 'name' (a short string)")
        label = f"job {name!r}"
        if name in seen:
            raise WorkbookError(f"{path}: {label} appears twice; job names must be unique")
        seen.add(name)
        if safe_name(name) != name:
            raise WorkbookError(
                f"{path}: {label}: use only letters, digits, '-', '_' and '.' in job names "
                f"(e.g. {safe_name(name)!r})"
            )
        extra = sorted(set(raw) - _JOB_KEYS)
        if extra:
            raise WorkbookError(
                f"{path}: {label}: unknown key(s) {extra}; valid: {sorted(_JOB_KEYS)}"
            )
        nb = raw.get("notebook")
        if not isinstance(nb, str):
            raise WorkbookError(f"{path}: {label} needs 'notebook: path/to/notebook.ipynb'")
        nb_path = Path(_abs(base, nb))
        if not nb_path.is_file():
            raise WorkbookError(f"{path}: {label}: notebook {nb} not found (looked at {nb_path})")
        params = raw.get("parameters") or {}
        if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
            raise WorkbookError(f"{path}: {label}: 'parameters' must map names to values")
        params = dict(params)
        for key in IMPLICIT:  # per-job corpus/config: relative to the workbook
            if isinstance(params.get(key), str) and params[key]:
                params[key] = _abs(base, params[key])
        if corpus and "corpus" in params:
            params["corpus"] = top_corpus
        output = raw.get("output")
        if output is not None and not isinstance(output, str):
            raise WorkbookError(
                f"{path}: {label}: 'output' must be a name template like 'article-{{doc_id}}'"
            )
        expand = raw.get("expand")
        if expand is not None:
            expand = _check_expand(path, label, expand)
        job_timeout = raw.get("timeout")
        if job_timeout is not None and (
            isinstance(job_timeout, bool)
            or not isinstance(job_timeout, (int, float))
            or job_timeout <= 0
        ):
            raise WorkbookError(f"{path}: {label}: 'timeout' must be a positive number of seconds")
        jobs.append(
            Job(
                name=name,
                notebook=nb_path,
                parameters=params,
                output=output,
                expand=expand,
                description=str(raw.get("description") or ""),
                timeout=job_timeout,
            )
        )
    return Workbook(
        path=p,
        corpus=top_corpus,
        config=top_config,
        jobs=tuple(jobs),
        title=_title(str(data.get("title") or "framelens reports"), top_corpus if corpus else None),
        corpus_given=bool(corpus),
        corpus_label=Path(top_corpus).name if top_corpus else "",
    )


def _title(title: str, corpus: str | None) -> str:
    """The workbook's title; under ``--corpus`` the corpus's name replaces "sample
    corpus" (or is appended), so the index never names a corpus it does not show."""
    if not corpus:
        return title
    name = Path(corpus).name or str(corpus)
    if "sample corpus" in title:
        return title.replace("sample corpus", name)
    return f"{title} - {name}"


def _check_expand(path, label: str, expand: Any) -> dict[str, Any]:
    if not isinstance(expand, dict):
        raise WorkbookError(
            f"{path}: {label}: 'expand' must be a mapping "
            "(over: doc_id | outlet | <column>, or parameter_sets: [...])"
        )
    extra = sorted(set(expand) - _EXPAND_KEYS)
    if extra:
        raise WorkbookError(
            f"{path}: {label}: unknown expand key(s) {extra}; valid: {sorted(_EXPAND_KEYS)}"
        )
    has_over, has_sets = "over" in expand, "parameter_sets" in expand
    if has_over == has_sets:
        raise WorkbookError(
            f"{path}: {label}: 'expand' needs exactly one of 'over' or 'parameter_sets'"
        )
    if has_sets:
        sets = expand["parameter_sets"]
        if not isinstance(sets, list) or not sets or not all(isinstance(s, dict) for s in sets):
            raise WorkbookError(
                f"{path}: {label}: 'parameter_sets' must be a non-empty list of mappings"
            )
        return {"parameter_sets": [dict(s) for s in sets]}
    over = expand["over"]
    if not isinstance(over, str) or not over:
        raise WorkbookError(
            f"{path}: {label}: 'over' must name a docs column (doc_id, outlet, ...)"
        )
    values = expand.get("values")
    if values is not None:
        if isinstance(values, dict):
            bad = sorted(set(values) - {"regex", "limit"})
            if bad:
                raise WorkbookError(
                    f"{path}: {label}: 'values' filter keys are 'regex' and 'limit', not {bad}"
                )
            if "regex" in values:
                try:
                    re.compile(str(values["regex"]))
                except re.error as exc:
                    raise WorkbookError(f"{path}: {label}: bad 'values.regex': {exc}") from None
            if "limit" in values and (not isinstance(values["limit"], int) or values["limit"] < 1):
                raise WorkbookError(f"{path}: {label}: 'values.limit' must be a positive integer")
        elif not isinstance(values, list) or not values:
            raise WorkbookError(
                f"{path}: {label}: 'values' must be a list of values or a filter {{regex:, limit:}}"
            )
    return {"over": over, "parameter": str(expand.get("parameter") or over), "values": values}


# ---------------------------------------------------------------------------- expansion
def _format_name(
    job: Job, template: str | None, params: Mapping[str, Any], suffix: str | None
) -> str:
    if template is None:
        return job.name if suffix is None else f"{job.name}-{suffix}"
    try:
        raw = template.format(
            **{k: ("" if v is None else v) for k, v in params.items()}, job=job.name
        )
    except (KeyError, IndexError) as exc:
        raise WorkbookError(
            f"job {job.name!r}: output template {template!r} uses {exc} which is not a parameter; "
            f"parameters: {sorted(params)}"
        ) from None
    except ValueError as exc:
        raise WorkbookError(f"job {job.name!r}: output template {template!r}: {exc}") from None
    return raw


def expand_job(
    job: Job, params: Mapping[str, Any], values: Sequence[Any] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """The (raw output name, parameters) pairs of one job.

    ``params`` are the job's parameters with the implicit ones filled in; ``values`` are
    the values of the ``over`` column when the job expands over one (the caller reads
    them from the corpus).
    """
    ex = job.expand
    if not ex:
        return [(_format_name(job, job.output, params, None), dict(params))]
    out = []
    if "parameter_sets" in ex:
        for i, extra in enumerate(ex["parameter_sets"]):
            p = {**params, **extra}
            out.append((_format_name(job, job.output, p, str(i + 1)), p))
        return out
    for v in values or []:
        p = {**params, ex["parameter"]: v}
        out.append((_format_name(job, job.output, p, str(v)), p))
    return out


def filter_values(job: Job, available: Sequence[Any]) -> list[Any]:
    """Apply a job's ``expand.values`` (list or ``{regex, limit}`` filter) to the
    values found in the corpus (sorted); listed values missing from the corpus are an error."""
    ex = job.expand or {}
    want = ex.get("values")
    avail = sorted(
        {str(v) for v in available if v is not None and str(v) not in ("", "nan", "<NA>", "NaT")}
    )
    if want is None:
        return avail
    if isinstance(want, list):
        missing = [str(v) for v in want if str(v) not in set(avail)]
        if missing:
            raise WorkbookError(
                f"job {job.name!r}: {ex['over']} value(s) {missing} not in the corpus "
                f"(e.g. {avail[:5]})"
            )
        return [str(v) for v in want]
    out = avail
    if "regex" in want:
        rx = re.compile(str(want["regex"]))
        out = [v for v in out if rx.search(v)]
    if "limit" in want:
        out = out[: int(want["limit"])]
    return out
