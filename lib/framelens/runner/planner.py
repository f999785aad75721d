"""Planning a run: check parameters, expand jobs into reports, key every report.

Nothing is executed here. :func:`plan` checks every job's parameters against its
notebook's ``parameters`` cell, expands jobs (per doc_id, outlet, column value or
parameter set) and computes each report's key: the hash of the notebook, its
parameters, the analysis key (documents, configuration, resources, package version
and code), the report template and ``with_code``. The analysis key comes from
:mod:`framelens.pipeline.cache`, the one place that knows what an analysis reads.

Examples
--------
>>> from framelens.runner.workbook import load_workbook
>>> wb = load_workbook("workbook.yaml")                            # doctest: +SKIP
>>> [p.report.name for p in plan(wb, only=["corpus"])]              # doctest: +SKIP
['corpus']
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from framelens import __version__
from framelens.core.resources import TEMPLATES_DIR
from framelens.errors import WorkbookError
from framelens.runner.configs import load_config, portable_config
from framelens.runner.options import coerce
from framelens.runner.workbook import (
    Job,
    Report,
    Workbook,
    check_parameters,
    expand_job,
    filter_values,
    name_hash,
    notebook_parameters,
    safe_name,
)

__all__ = ["Planned", "AnalysisMemo", "plan", "plan_run", "templates_hash", "MANIFEST_VERSION"]

#: Bumped when the report format changes, so old reports are re-rendered.
MANIFEST_VERSION = 1
BUILD = "_build"


def templates_hash() -> str:
    """Hash of the report template: a new report format re-renders every report."""
    from framelens.core.provenance import sha256_path

    return sha256_path(TEMPLATES_DIR)


def _resolve(value: Any, base: Path) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    p = Path(value).expanduser()
    return str((p if p.is_absolute() else base / p).resolve())


def _config_fingerprint(config: str | None) -> dict[str, Any]:
    """Hash of a config file plus any files it names (user lexicons, gazetteer)."""
    from framelens.core.provenance import sha256_file

    if not config:
        return {}
    p = Path(config)
    if not p.is_file():
        raise WorkbookError(f"configuration file {config} not found")
    out = {"config": sha256_file(p)}
    try:
        import yaml

        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except Exception:  # the pipeline reports bad YAML with a clear message later
        return out
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
        elif isinstance(x, str) and len(x) < 500:
            for base in (p.parent, Path.cwd()):
                q = base / x
                if q.is_file():
                    out[x] = sha256_file(q)
                    break
    return out


def _config(config: str | None):
    """The Config of a file, its relative paths read relative to the file."""
    try:
        return load_config(config)
    except Exception as exc:
        raise WorkbookError(f"configuration {config}: {exc}") from None


@dataclasses.dataclass
class Planned:
    """One report of a run: its :class:`~framelens.runner.workbook.Report`, key,
    manifest entry, and whether it is up to date (``skip``)."""

    report: Report
    key: str
    entry: dict[str, Any]
    skip: bool = False


class AnalysisMemo:
    """The analyses of a run, by (corpus, configuration): corpus hashes, analysis keys,
    resource hashes and expansion values, reused from the previous manifest when a cheap
    fingerprint (corpus bytes, configuration files, resources, package version and code)
    is unchanged, so an unchanged suite neither loads the corpus nor analyses it."""

    def __init__(self, prev: Mapping[str, Any]):
        self.memo: dict[str, dict[str, Any]] = {}
        self.prev = dict(prev or {})
        self._fp: dict[tuple, str] = {}
        self._sha: dict[str, str] = {}
        self._resources: dict[str | None, dict[str, str]] = {}

    def corpus_sha(self, corpus: str) -> str:
        """SHA-256 of the corpus file or folder (once per run)."""
        from framelens.core.provenance import sha256_path

        if corpus not in self._sha:
            if not Path(corpus).exists():
                raise WorkbookError(f"corpus {corpus} not found")
            self._sha[corpus] = sha256_path(corpus)
        return self._sha[corpus]

    def resources(self, config: str | None) -> dict[str, str]:
        """:func:`framelens.pipeline.cache.resource_hashes` of a configuration (once)."""
        from framelens.pipeline.cache import resource_hashes

        if config not in self._resources:
            try:
                self._resources[config] = resource_hashes(_config(config))
            except WorkbookError:
                raise
            except Exception as exc:
                raise WorkbookError(f"configuration {config}: {exc}") from None
        return self._resources[config]

    def fingerprint(self, corpus: str, config: str | None) -> str:
        """A cheap key of (corpus, config): no corpus is loaded, nothing analysed."""
        from framelens.core.provenance import package_fingerprint, stable_json_hash

        k = (corpus, config)
        if k not in self._fp:
            # the package's own code is part of it: edited code never reuses an old analysis
            self._fp[k] = stable_json_hash(
                {
                    "corpus": self.corpus_sha(corpus),
                    "config": _config_fingerprint(config),
                    "resources": self.resources(config),
                    "framelens": __version__,
                    "code": package_fingerprint(),
                }
            )[:32]
        return self._fp[k]

    def batches(self, corpus: str):
        """The corpus's documents, batch by batch (:func:`framelens.corpus.iter_batches`):
        planning never holds a whole corpus, only what it keeps of each batch."""
        from framelens.corpus.stream import iter_batches

        for docs, _ in iter_batches(corpus, batch_size=PLAN_BATCH):
            yield docs

    def info(self, corpus: str, config: str | None) -> dict[str, Any]:
        """The manifest record of the analysis of ``corpus`` with ``config``."""
        fp = self.fingerprint(corpus, config)
        if fp not in self.memo:
            if fp in self.prev:
                self.memo[fp] = dict(self.prev[fp])
            else:
                from framelens.pipeline import streamed_key

                cfg = _config(config)
                res = self.resources(config)
                self.memo[fp] = {
                    "corpus": corpus,
                    "corpus_sha256": self.corpus_sha(corpus),
                    "config": config,
                    "config_hash": cfg.hash,
                    # the key of the streamed analysis the runner warms: the corpus's
                    # bytes are hashed, the corpus is not loaded
                    "analysis_key": streamed_key(corpus, cfg, resources=res),
                    "lexicons": dict(res),
                    "values": {},
                }
        return self.memo[fp]

    def title(self, corpus: str, config: str | None, doc_id: str) -> str | None:
        """The title of document ``doc_id`` (recorded, so a re-run need not load the corpus)."""
        titles = self.info(corpus, config).setdefault("titles", {})
        if doc_id not in titles:
            titles[doc_id] = None
            for docs in self.batches(corpus):
                if (docs["doc_id"].astype(str) == doc_id).any():
                    titles[doc_id] = _title(docs, doc_id)
                    break
        return titles[doc_id]

    def values(self, corpus: str, config: str | None, column: str, job: str) -> list[str]:
        """The sorted values of a docs column (for ``expand: {over: column}``)."""
        info = self.info(corpus, config)
        vals = info.setdefault("values", {})
        if column not in vals:
            seen: set[str] = set()
            for docs in self.batches(corpus):  # every batch has the source's columns
                if column not in docs.columns:
                    raise WorkbookError(
                        f"job {job!r}: cannot expand over {column!r}: the corpus has no such "
                        f"column; columns: {sorted(map(str, docs.columns))}"
                    )
                seen.update(str(v) for v in docs[column].dropna().astype(str).tolist())
            vals[column] = sorted(seen)
        return list(vals[column])


def _title(docs, doc_id: str) -> str | None:
    if "title" not in docs.columns:
        return None
    hit = docs.loc[docs["doc_id"].astype(str) == doc_id, "title"]
    if not len(hit) or hit.isna().iloc[0] or not str(hit.iloc[0]).strip():
        return None
    return str(hit.iloc[0]).strip()


def _info(analyses: AnalysisMemo, job: str, corpus: str, config: str | None) -> dict[str, Any]:
    try:
        return analyses.info(corpus, config)
    except WorkbookError as exc:
        if f"job {job!r}" in str(exc):
            raise
        raise WorkbookError(f"job {job!r}: {exc}") from None
    except Exception as exc:
        raise WorkbookError(
            f"job {job!r}: cannot prepare the analysis of {corpus}"
            + (f" with {config}" if config else " (default configuration)")
            + f": {type(exc).__name__}: {exc}"
        ) from exc


def plan(
    wb: Workbook,
    *,
    only: Sequence[str] | None = None,
    with_code: bool = False,
    prev: Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> list[Planned]:
    """Validate parameters, expand jobs and compute every report's key (no execution).

    Parameters
    ----------
    wb : Workbook
        A validated workbook (:func:`~framelens.runner.workbook.load_workbook`).
    only : sequence of str, optional, keyword-only
        Job names or report names (shell patterns allowed); default: every job.
    with_code : bool, keyword-only
        Whether the HTML shows code cells (part of each report's key).
    prev : mapping, optional, keyword-only
        The previous run's ``manifest.json``: its analyses are reused when unchanged.
    overrides : mapping, optional, keyword-only
        ``{parameter: value}`` set in every job whose notebook declares the parameter
        (``framelens run -p NAME=VALUE``); a string is read as the declared default's
        type (:func:`~framelens.runner.options.coerce`). A name no notebook of the run
        declares is an error.

    Returns
    -------
    list of Planned
        One entry per report, in workbook order.

    Raises
    ------
    WorkbookError
        When a job's parameters do not match its notebook, an expansion finds nothing,
        or ``only`` matches no job.

    Examples
    --------
    >>> wb = load_workbook("workbook.yaml")                            # doctest: +SKIP
    >>> [p.report.name for p in plan(wb, only=["article", "corpus"])]  # doctest: +SKIP
    ['article-000_fbaa5b5f07ee96ab', 'corpus']
    """
    memo = AnalysisMemo((prev or {}).get("analyses", {}))
    return plan_run(
        wb,
        only=only,
        with_code=with_code,
        template=templates_hash(),
        memo=memo,
        overrides=overrides,
    )[0]


def plan_run(
    wb: Workbook,
    *,
    only: Sequence[str] | None,
    with_code: bool,
    template: str,
    memo: AnalysisMemo,
    overrides: Mapping[str, Any] | None = None,
) -> tuple[list[Planned], set[str]]:
    """:func:`plan` for :func:`~framelens.runner.run`: also returns the names of the
    jobs run as a whole (whose earlier reports the manifest drops)."""
    jobs = list(wb.jobs)
    whole = {j.name for j in jobs}
    report_pats: list[str] = []
    if only:
        whole = {j.name for pat in only for j in jobs if fnmatch.fnmatchcase(j.name, pat)}
        report_pats = [
            pat for pat in only if not any(fnmatch.fnmatchcase(j.name, pat) for j in jobs)
        ]
        if not report_pats:
            jobs = [j for j in jobs if j.name in whole]
    overrides = _absolute_paths(overrides or {})
    planned = _plan_jobs(
        wb, jobs, memo, with_code=with_code, template=template, overrides=overrides
    )
    if only:
        for pat in report_pats:
            if not any(fnmatch.fnmatchcase(p.report.name, pat) for p in planned):
                raise WorkbookError(
                    f"--only {pat!r} matches no job and no report; "
                    f"jobs: {[j.name for j in wb.jobs]}"
                )
        planned = [
            p
            for p in planned
            if p.report.job in whole
            or any(fnmatch.fnmatchcase(p.report.name, pat) for pat in report_pats)
        ]
    return planned, whole


def _absolute_paths(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``-p corpus=...`` / ``-p config=...`` are paths relative to the current folder."""
    out = dict(overrides)
    for key in ("corpus", "config"):
        if isinstance(out.get(key), str) and out[key]:
            out[key] = _resolve(out[key], Path.cwd())
    return out


def _job_parameters(
    wb: Workbook, job: Job, overrides: Mapping[str, Any]
) -> tuple[dict, dict, str | None, str | None]:
    """(declared defaults, parameters, corpus, config) of a job, checked."""
    declared = notebook_parameters(job.notebook)
    params = dict(job.parameters)
    for key, top in (("corpus", wb.corpus), ("config", wb.config)):
        if key in declared and key not in params and top is not None:
            params[key] = top
    for key, value in overrides.items():  # -p NAME=VALUE, checked below like the rest
        if key in declared:
            params[key] = coerce(value, declared[key])
    # config="" in a notebook means "the default configuration"
    check_parameters(job.name, job.notebook, params, declared)
    ex = job.expand or {}
    if "over" in ex and ex["parameter"] not in declared:
        raise WorkbookError(
            f"job {job.name!r}: expands over {ex['over']!r} into parameter {ex['parameter']!r}, "
            f"which {job.notebook.name} does not declare; valid names: {sorted(declared)} "
            f"(set expand.parameter)"
        )
    here = job.notebook.parent  # notebook defaults are relative to the notebook
    corpus = params["corpus"] if "corpus" in params else _resolve(declared.get("corpus"), here)
    config = params["config"] if "config" in params else _resolve(declared.get("config"), here)
    return declared, params, corpus, config


def _expansion_values(job: Job, memo: AnalysisMemo, corpus, config) -> list | None:
    ex = job.expand or {}
    if "over" not in ex:
        return None
    if not corpus:
        raise WorkbookError(f"job {job.name!r}: expanding over {ex['over']!r} needs a corpus")
    _info(memo, job.name, corpus, config)
    values = filter_values(job, memo.values(corpus, config, ex["over"], job.name))
    if not values:
        raise WorkbookError(f"job {job.name!r}: no {ex['over']!r} values to expand over")
    return values


def _plan_jobs(
    wb: Workbook,
    jobs: Sequence[Job],
    memo: AnalysisMemo,
    *,
    with_code: bool,
    template: str,
    overrides: Mapping[str, Any],
) -> list[Planned]:
    # long: one loop from job to keyed reports; each step is a call with its own docstring
    from framelens.core.provenance import sha256_file

    planned: list[Planned] = []
    names_seen: dict[str, tuple[str, str]] = {}
    nb_hash: dict[Path, str] = {}
    declared_anywhere: set[str] = set()
    for job in jobs:
        declared, params, corpus, config = _job_parameters(wb, job, overrides)
        declared_anywhere |= set(declared)
        values = _expansion_values(job, memo, corpus, config)
        note = _pick_document(
            wb, job, declared, params, memo, corpus, config, chosen="doc_id" in overrides
        )
        if job.notebook not in nb_hash:
            nb_hash[job.notebook] = sha256_file(job.notebook)
        for raw_name, p in expand_job(job, params, values):
            if "parameter_sets" in (job.expand or {}):
                check_parameters(job.name, job.notebook, p, declared)
            name = _unique_name(job, raw_name, names_seen)
            rep_corpus = (p.get("corpus") or corpus) if "corpus" in declared else None
            rep_config = (p.get("config") or config) if "config" in declared else None
            if rep_config:  # the notebook runs in its own folder: paths the file names hold
                rep_config = p["config"] = _portable(wb, rep_config)
            rep = Report(
                name=name,
                job=job.name,
                notebook=job.notebook,
                parameters=p,
                corpus=rep_corpus,
                config=rep_config,
                timeout=job.timeout,
            )
            planned.append(_keyed(rep, nb_hash[job.notebook], memo, with_code, template))
            planned[-1].entry.update(description=job.description, note=note)
            planned[-1].entry["title"] = _title_of(memo, rep, declared)
    unknown = sorted(set(overrides) - declared_anywhere)
    if unknown:
        raise WorkbookError(
            f"-p {', '.join(unknown)}: no notebook of this run declares "
            f"{'it' if len(unknown) == 1 else 'them'}; valid names: {sorted(declared_anywhere)}"
        )
    return planned


#: Records per batch when planning reads a corpus (expansion values, a document's title).
PLAN_BATCH = 5000


#: How many documents a single-document job (``doc_id`` set, no expansion) shows when its
#: ``doc_id`` is not in a corpus given with ``--corpus``: the first ones by ``doc_id``.
FALLBACK_DOCUMENTS = 1


def _pick_document(
    wb, job, declared, params, memo, corpus, config, *, chosen: bool = False
) -> str | None:
    """A single-document job whose ``doc_id`` the corpus lacks: under ``--corpus`` it
    shows the corpus's first document by id instead (a note says so); otherwise (or when
    the user ``chosen`` that id with ``-p doc_id=ID``) the error says which ids exist."""
    ex = job.expand or {}
    if "doc_id" not in declared or ex.get("parameter") == "doc_id" or not corpus:
        return None
    if "parameter_sets" in ex:
        return None  # each set names its own document; the notebook checks it
    doc_id = params.get("doc_id", declared["doc_id"])
    if not isinstance(doc_id, str) or not doc_id:
        return None
    _info(memo, job.name, corpus, config)
    ids = memo.values(corpus, config, "doc_id", job.name)
    if doc_id in ids:
        return None
    if not ids:
        raise WorkbookError(f"job {job.name!r}: the corpus {corpus} has no documents")
    if chosen:
        raise WorkbookError(
            f"-p doc_id={doc_id}: no such document in the corpus {corpus} "
            f"(e.g. {ids[:3]}); pass one of its ids"
        )
    if not wb.corpus_given:
        raise WorkbookError(
            f"job {job.name!r}: doc_id {doc_id!r} is not in the corpus {corpus} "
            f"(e.g. {ids[:3]}); set another doc_id in the workbook or -p doc_id=ID"
        )
    params["doc_id"] = ids[0]
    return (
        f"doc_id {doc_id!r} is not in {Path(corpus).name}; showing its first document by "
        f"id instead ({ids[0]!r}); pick another with -p doc_id=ID"
    )


def _title_of(memo: AnalysisMemo, rep: Report, declared: Mapping[str, Any]) -> str | None:
    """The title of a single-document report's document (None for other reports)."""
    doc_id = rep.parameters.get("doc_id")
    if "doc_id" not in declared or not isinstance(doc_id, str) or not rep.corpus:
        return None
    return memo.title(rep.corpus, rep.config, doc_id)


def _portable(wb: Workbook, config: str) -> str:
    """:func:`~framelens.runner.configs.portable_config` into the cache folder's
    ``configs/`` (a configuration that names no relative path is used as it is)."""
    from framelens.pipeline.cache import default_cache_dir

    if not Path(config).is_file():
        raise WorkbookError(f"configuration file {config} not found")
    return portable_config(config, folder=default_cache_dir(wb.path.parent) / "configs")


def _unique_name(job: Job, raw_name: str, names_seen: dict[str, tuple[str, str]]) -> str:
    """The report's file name: :func:`safe_name` of the raw name, unique in the run
    (compared case-insensitively); a raw name with nothing usable gets a hash name."""
    try:
        name = safe_name(raw_name)
    except WorkbookError:  # e.g. a doc_id of punctuation only: never abort the run for it
        name = f"{job.name}-{name_hash(raw_name)}"
    if name.casefold() in names_seen and names_seen[name.casefold()][1] != raw_name:
        # different raw names that sanitise alike ("a b", "a/b", "A", "a"): keep both, apart
        name = f"{name}-{name_hash(raw_name)}"
    if name.casefold() in names_seen:
        raise WorkbookError(
            f"job {job.name!r}: report name {name!r} is also produced by job "
            f"{names_seen[name.casefold()][0]!r}; give the jobs different 'output' templates"
        )
    names_seen[name.casefold()] = (job.name, raw_name)
    return name


def _keyed(rep: Report, nb_sha: str, memo: AnalysisMemo, with_code: bool, template: str) -> Planned:
    """The report's inputs, key and manifest entry."""
    from framelens.core.provenance import package_fingerprint, stable_json_hash

    inputs: dict[str, Any] = {"notebook": {"path": str(rep.notebook), "sha256": nb_sha}}
    a_key = None
    if rep.corpus:
        info = _info(memo, rep.job, rep.corpus, rep.config)
        a_key = info["analysis_key"]
        inputs["corpus"] = {"path": rep.corpus, "sha256": info["corpus_sha256"]}
        inputs["config"] = {"path": rep.config or "(default)", "hash": info["config_hash"]}
        inputs["lexicons"] = dict(info["lexicons"])
    inputs["report_template_sha256"] = template
    key = stable_json_hash(
        {
            "v": MANIFEST_VERSION,
            "notebook": nb_sha,
            "parameters": rep.parameters,
            "analysis": a_key,
            "template": template,
            "framelens": __version__,
            "code": package_fingerprint(),
            "with_code": bool(with_code),
        }
    )[:32]
    entry = {
        "name": rep.name,
        "job": rep.job,
        "notebook": str(rep.notebook),
        "parameters": rep.parameters,
        "inputs": inputs,
        "analysis_key": a_key,
        "key": key,
        "framelens": __version__,
        "with_code": bool(with_code),
        "html": f"{rep.name}.html",
        "ipynb": f"{BUILD}/{rep.name}.ipynb",
    }
    return Planned(rep, key, entry)
