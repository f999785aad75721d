"""``framelens run``: workbook -> papermill -> self-contained HTML, incrementally.

What :func:`run` does, in order:

1. reads and validates the workbook and checks every job's parameters against its
   notebook's ``parameters`` cell (nothing runs when one is wrong);
2. expands jobs into reports (per doc_id / outlet / column value / parameter set);
3. computes each report's key — notebook SHA-256, parameters, the analysis key (corpus
   content + configuration + lexicons + package version), the package source and
   ``with_code`` — and skips reports whose key equals the previous manifest's and whose
   HTML exists (no kernel, no heavy import: an unchanged suite re-runs in about a second);
4. runs the analysis ONCE per (corpus, config) in this process, which fills the cache
   the notebooks read (``FRAMELENS_CACHE_DIR`` is set for their kernels);
5. executes the remaining notebooks in worker processes (``jobs`` at a time) with the
   ``framelens`` kernel, the notebook's folder as working directory and a timeout;
6. renders every executed notebook to HTML (failed ones too, with the error), writes
   ``index.html`` and ``manifest.json`` atomically after each report.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import fnmatch
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from framelens import __version__
from framelens.core.resources import DATA_DIR, TEMPLATES_DIR
from framelens.runner.render import atomic_write, error_page_html, index_html, provenance_html, tail
from framelens.runner.workbook import (
    Report,
    Workbook,
    WorkbookError,
    check_parameters,
    expand_job,
    filter_values,
    load_workbook,
    notebook_parameters,
    safe_name,
)

__all__ = ["run", "RunResult", "ReportResult", "plan", "KERNEL_NAME", "MANIFEST_VERSION"]

log = logging.getLogger(__name__)

KERNEL_NAME = "framelens"
#: Bumped when the report format changes, so old reports are re-rendered.
MANIFEST_VERSION = 1
BUILD = "_build"
_STATUSES = ("ok", "failed", "skipped")


# ----------------------------------------------------------------------------- results
@dataclasses.dataclass
class ReportResult:
    """The outcome of one report in one run: ``status`` is ok, failed or skipped."""

    name: str
    job: str
    status: str
    runtime_s: float | None = None
    html: Path | None = None
    error: str | None = None


@dataclasses.dataclass
class RunResult:
    """What :func:`run` did. ``ok`` is False when any report failed."""

    reports: list[ReportResult]
    out: Path
    index: Path
    manifest: Path
    elapsed_s: float

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def failed(self) -> list[str]:
        return [r.name for r in self.reports if r.status == "failed"]

    @property
    def skipped(self) -> list[str]:
        return [r.name for r in self.reports if r.status == "skipped"]

    @property
    def executed(self) -> list[str]:
        return [r.name for r in self.reports if r.status != "skipped"]

    def summary(self) -> str:
        """A few lines for the terminal: one per report, totals, failures, where to look."""
        lines = []
        w = max([len(r.name) for r in self.reports] + [6])
        for r in self.reports:
            t = (
                f"{r.runtime_s:7.1f} s"
                if r.runtime_s is not None and r.status != "skipped"
                else " " * 9
            )
            lines.append(
                f"  {r.status.upper():<8} {r.name:<{w}} {t}" + (f"  {r.error}" if r.error else "")
            )
        n = {s: sum(1 for r in self.reports if r.status == s) for s in _STATUSES}
        lines.append(
            f"{len(self.reports)} report(s): {n['ok']} rendered, {n['skipped']} up to date (skipped), "
            f"{n['failed']} failed, in {self.elapsed_s:.1f} s"
        )
        lines.append(f"index: {self.index}")
        if self.failed:
            lines.append("FAILED: " + ", ".join(self.failed) + " (open their HTML for the error)")
        return "\n".join(lines)


# ----------------------------------------------------------------------------- helpers
def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _say(progress: bool, msg: str) -> None:
    if progress:
        print(msg, file=sys.stderr, flush=True)


def _templates_hash() -> str:
    """Hash of the report template: a new report format re-renders every report."""
    from framelens.core.provenance import sha256_path

    return sha256_path(TEMPLATES_DIR)


def _lexicon_files_hash(config: str | None) -> dict[str, str]:
    """Hashes of the built-in lexicon files a configuration names (cheap: no lexicon is
    parsed), so an edited built-in lexicon invalidates the memoised analysis key."""
    from framelens.core.provenance import sha256_file
    from framelens.pipeline import Config

    try:
        cfg = Config.from_file(config) if config else Config()
    except Exception as exc:
        raise WorkbookError(f"configuration {config}: {exc}") from None
    lexdir = DATA_DIR
    names = list(cfg.lexicons) + (["actors"] if "actors" in cfg.steps and not cfg.gazetteer else [])
    names.append("reporting_verbs")  # read by the text layer for every analysis
    out = {}
    for n in names:
        for ext in (".yaml", ".yml", ".json"):
            f = lexdir / f"{n}{ext}"
            if f.is_file():
                out[n] = sha256_file(f)
                break
    return out


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


def _load_prev(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("manifest_version") != MANIFEST_VERSION:
        return {}
    return data


def _cache_dir(wb: Workbook) -> Path:
    env = os.environ.get("FRAMELENS_CACHE_DIR")
    return Path(env).resolve() if env else wb.path.parent / ".framelens-cache"


# ----------------------------------------------------------------------------- planning
@dataclasses.dataclass
class _Planned:
    report: Report
    key: str
    entry: dict[str, Any]
    skip: bool = False


class _Analyses:
    """Memo of analysis keys by a cheap fingerprint (corpus bytes, configuration files,
    built-in lexicon files used, package version): a re-run with nothing changed neither
    loads the corpus nor parses a lexicon."""

    def __init__(self, prev: Mapping[str, Any], template_hash: str):
        self.memo: dict[str, dict[str, Any]] = {}
        self.prev = dict(prev or {})
        self.template_hash = template_hash
        self._fp: dict[tuple, str] = {}
        self._sha: dict[str, str] = {}
        self._corpora: dict[str, Any] = {}

    def corpus_sha(self, corpus: str) -> str:
        from framelens.core.provenance import sha256_path

        if corpus not in self._sha:
            if not Path(corpus).exists():
                raise WorkbookError(f"corpus {corpus} not found")
            self._sha[corpus] = sha256_path(corpus)
        return self._sha[corpus]

    def fingerprint(self, corpus: str, config: str | None) -> str:
        from framelens.core.provenance import package_fingerprint, stable_json_hash

        k = (corpus, config)
        if k not in self._fp:
            # the package's own code is part of it: edited code never reuses an old analysis
            self._fp[k] = stable_json_hash(
                {
                    "corpus": self.corpus_sha(corpus),
                    "config": _config_fingerprint(config),
                    "lexicon_files": _lexicon_files_hash(config),
                    "framelens": __version__,
                    "code": package_fingerprint(),
                }
            )[:32]
        return self._fp[k]

    def _corpus(self, corpus: str):
        if corpus not in self._corpora:
            from framelens.corpus import load_corpus

            self._corpora[corpus] = load_corpus(corpus)
        return self._corpora[corpus]

    def info(self, corpus: str, config: str | None) -> dict[str, Any]:
        fp = self.fingerprint(corpus, config)
        if fp not in self.memo:
            if fp in self.prev:
                self.memo[fp] = dict(self.prev[fp])
            else:
                from framelens.pipeline import Config, analysis_key, lexicon_hashes

                cfg = Config.from_file(config) if config else Config()
                c = self._corpus(corpus)
                self.memo[fp] = {
                    "corpus": corpus,
                    "corpus_sha256": self.corpus_sha(corpus),
                    "config": config,
                    "config_hash": cfg.hash,
                    "analysis_key": analysis_key(c, cfg),
                    "lexicons": lexicon_hashes(cfg),
                    "values": {},
                }
        return self.memo[fp]

    def values(self, corpus: str, config: str | None, column: str, job: str) -> list[str]:
        info = self.info(corpus, config)
        vals = info.setdefault("values", {})
        if column not in vals:
            docs = self._corpus(corpus).docs
            if column not in docs.columns:
                raise WorkbookError(
                    f"job {job!r}: cannot expand over {column!r}: the corpus has no such column; "
                    f"columns: {sorted(map(str, docs.columns))}"
                )
            vals[column] = sorted({str(v) for v in docs[column].dropna().astype(str).tolist()})
        return list(vals[column])


def _info(analyses: _Analyses, job: str, corpus: str, config: str | None) -> dict[str, Any]:
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
    prev: Mapping[str, Any] | None = None,
    with_code: bool = False,
    template_hash: str | None = None,
    analyses: _Analyses | None = None,
) -> list[_Planned]:
    """Validate parameters, expand jobs and compute every report's key (no execution).

    Parameters
    ----------
    wb : Workbook
        A validated workbook (:func:`~framelens.runner.workbook.load_workbook`).
    only : sequence of str, optional, keyword-only
        Job names or report names (shell patterns allowed); default: every job.
    prev : mapping, optional, keyword-only
        The previous run's ``manifest.json`` (as a dict): a report whose key is unchanged
        there is planned as skipped.
    with_code : bool, keyword-only
        Whether the HTML shows code cells (part of each report's key).
    template_hash : str, optional, keyword-only
        Hash of the HTML templates (computed when not given; part of each key).
    analyses : optional, keyword-only
        A shared memo of corpus hashes and analysis fingerprints (internal; one is made
        when not given).

    Returns
    -------
    list
        One planned entry per report, in workbook order, each with ``.report``
        (:class:`~framelens.runner.workbook.Report`), ``.key`` (hash of notebook,
        parameters, corpus, configuration and environment), ``.entry`` (its manifest
        record) and ``.skip``.

    Raises
    ------
    WorkbookError
        When a job's parameters do not match its notebook, an expansion finds nothing,
        or ``only`` matches no job.

    Examples
    --------
    >>> wb = load_workbook("workbook.yaml")                            # doctest: +SKIP
    >>> [p.report.name for p in plan(wb, only=["article", "corpus"])]  # doctest: +SKIP
    ['corpus', 'article-000_fbaa5b5f07ee96ab']
    """
    return _plan(
        wb,
        only=only,
        prev=prev,
        with_code=with_code,
        template_hash=template_hash,
        analyses=analyses,
    )[0]


def _plan(
    wb: Workbook,
    *,
    only: Sequence[str] | None,
    prev: Mapping[str, Any] | None,
    with_code: bool,
    template_hash: str | None,
    analyses: _Analyses | None,
) -> tuple[list[_Planned], set[str]]:
    """:func:`plan`, plus the names of the jobs selected as a whole."""
    template_hash = template_hash or _templates_hash()
    analyses = analyses or _Analyses((prev or {}).get("analyses", {}), template_hash)
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
    planned = _plan_jobs(wb, jobs, analyses, with_code=with_code, template_hash=template_hash)
    if only:
        for pat in report_pats:
            if not any(fnmatch.fnmatchcase(p.report.name, pat) for p in planned):
                raise WorkbookError(
                    f"--only {pat!r} matches no job and no report; jobs: {[j.name for j in wb.jobs]}"
                )
        planned = [
            p
            for p in planned
            if p.report.job in whole
            or any(fnmatch.fnmatchcase(p.report.name, pat) for pat in report_pats)
        ]
    return planned, whole


def _plan_jobs(
    wb: Workbook, jobs: Sequence[Any], analyses: _Analyses, *, with_code: bool, template_hash: str
) -> list[_Planned]:
    from framelens.core.provenance import package_fingerprint, sha256_file, stable_json_hash

    planned: list[_Planned] = []
    names_seen: dict[str, tuple[str, str]] = {}
    nb_hash: dict[Path, str] = {}
    for job in jobs:
        declared = notebook_parameters(job.notebook)
        params = dict(job.parameters)
        for key, top in (("corpus", wb.corpus), ("config", wb.config)):
            if key in declared and key not in params and top is not None:
                params[key] = top
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
        values = None
        if "over" in ex:
            if not corpus:
                raise WorkbookError(
                    f"job {job.name!r}: expanding over {ex['over']!r} needs a corpus"
                )
            _info(analyses, job.name, corpus, config)
            values = filter_values(job, analyses.values(corpus, config, ex["over"], job.name))
            if not values:
                raise WorkbookError(f"job {job.name!r}: no {ex['over']!r} values to expand over")
        for raw_name, p in expand_job(job, params, values):
            if "parameter_sets" in ex:
                check_parameters(job.name, job.notebook, p, declared)
            name = safe_name(raw_name)
            if name in names_seen and names_seen[name][1] != raw_name:
                # different raw names that sanitise alike ("a b", "a/b"): keep both, apart
                name = f"{name}-{hashlib.sha1(raw_name.encode('utf-8')).hexdigest()[:8]}"
            if name in names_seen:
                raise WorkbookError(
                    f"job {job.name!r}: report name {name!r} is also produced by job "
                    f"{names_seen[name][0]!r}; give the jobs different 'output' templates"
                )
            names_seen[name] = (job.name, raw_name)
            rep_corpus = p.get("corpus") if "corpus" in declared else None
            rep_corpus = rep_corpus or (corpus if "corpus" in declared else None)
            rep_config = (p.get("config") or config) if "config" in declared else None
            if job.notebook not in nb_hash:
                nb_hash[job.notebook] = sha256_file(job.notebook)
            inputs: dict[str, Any] = {
                "notebook": {"path": str(job.notebook), "sha256": nb_hash[job.notebook]}
            }
            a_key = None
            if rep_corpus:
                info = _info(analyses, job.name, rep_corpus, rep_config)
                a_key = info["analysis_key"]
                inputs["corpus"] = {"path": rep_corpus, "sha256": info["corpus_sha256"]}
                inputs["config"] = {"path": rep_config or "(default)", "hash": info["config_hash"]}
                inputs["lexicons"] = dict(info["lexicons"])
            inputs["report_template_sha256"] = template_hash
            key = stable_json_hash(
                {
                    "v": MANIFEST_VERSION,
                    "notebook": nb_hash[job.notebook],
                    "parameters": p,
                    "analysis": a_key,
                    "template": template_hash,
                    "framelens": __version__,
                    "code": package_fingerprint(),
                    "with_code": bool(with_code),
                }
            )[:32]
            rep = Report(
                name=name,
                job=job.name,
                notebook=job.notebook,
                parameters=p,
                corpus=rep_corpus,
                config=rep_config,
                timeout=job.timeout,
            )
            entry = {
                "name": name,
                "job": job.name,
                "notebook": str(job.notebook),
                "parameters": p,
                "inputs": inputs,
                "analysis_key": a_key,
                "key": key,
                "framelens": __version__,
                "with_code": bool(with_code),
                "html": f"{name}.html",
                "ipynb": f"{BUILD}/{name}.ipynb",
            }
            planned.append(_Planned(rep, key, entry))
    return planned


# ----------------------------------------------------------------------------- kernel
def _same_python(exe: str) -> bool:
    try:
        return os.path.abspath(exe) == os.path.abspath(sys.executable) or (
            Path(exe).exists()
            and Path(exe).samefile(sys.executable)
            and Path(exe).parent.resolve() == Path(sys.executable).parent.resolve()
        )
    except OSError:
        return False


def resolve_kernel(build: Path) -> tuple[str, dict[str, str]]:
    """The kernel name to use and extra environment for the workers.

    The ``framelens`` kernelspec registered by ``make venv`` is used when it runs this
    Python; otherwise a private kernelspec pointing at ``sys.executable`` is written under
    ``<out>/_build/jupyter`` and put first on ``JUPYTER_PATH``, so a mismatched or missing
    kernel cannot break a run.

    Parameters
    ----------
    build : Path
        The run's build folder (``<out>/_build``), where a private kernelspec goes.

    Returns
    -------
    (str, dict)
        The kernel name (always :data:`KERNEL_NAME`) and environment variables to add
        for the workers (empty when the registered kernelspec is used, else
        ``{"JUPYTER_PATH": ...}``).

    Examples
    --------
    >>> name, env = resolve_kernel(Path("reports/_build"))   # doctest: +SKIP
    >>> name                                                 # doctest: +SKIP
    'framelens'
    """
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        try:
            spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
            if spec.argv and _same_python(spec.argv[0]):
                return KERNEL_NAME, {}
            log.info(
                "kernelspec %r runs %s, not this Python; using a private one",
                KERNEL_NAME,
                spec.argv[0] if spec.argv else "?",
            )
        except NoSuchKernel:
            log.info("no %r kernelspec registered (make kernel); using a private one", KERNEL_NAME)
    except ImportError:  # pragma: no cover - jupyter_client comes with papermill
        pass
    root = build / "jupyter"
    kdir = root / "kernels" / KERNEL_NAME
    kdir.mkdir(parents=True, exist_ok=True)
    atomic_write(
        kdir / "kernel.json",
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python (framelens runner)",
                "language": "python",
            },
            indent=1,
        ),
    )
    jp = os.environ.get("JUPYTER_PATH")
    return KERNEL_NAME, {"JUPYTER_PATH": str(root) + (os.pathsep + jp if jp else "")}


# ----------------------------------------------------------------------------- execution
def _worker_env(cache_dir: Path, extra: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    env["FRAMELENS_CACHE_DIR"] = str(cache_dir)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["PYTHONHASHSEED"] = "0"
    env["TQDM_DISABLE"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


class _Workers:
    """The worker processes running now, so an interrupted run can stop them (they run
    in their own sessions and would not see the terminal's Ctrl-C)."""

    def __init__(self):
        self.procs: set[subprocess.Popen] = set()
        self.lock = threading.Lock()
        self.stopping = False

    def add(self, proc: subprocess.Popen) -> None:
        with self.lock:
            self.procs.add(proc)
        if self.stopping:
            self.kill(proc)

    def discard(self, proc: subprocess.Popen) -> None:
        with self.lock:
            self.procs.discard(proc)

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                proc.kill()
            except ProcessLookupError:
                pass

    def kill_all(self) -> None:
        self.stopping = True
        with self.lock:
            procs = list(self.procs)
        for proc in procs:
            self.kill(proc)


#: Seconds allowed on top of a notebook's timeout for kernel start-up and HTML rendering.
KERNEL_GRACE_S = 30


def _run_one(
    spec: dict[str, Any], env: Mapping[str, str], timeout: float, workers: _Workers | None = None
) -> dict[str, Any]:
    if workers is not None and workers.stopping:
        return {
            "status": "failed",
            "error": "run interrupted before this report started",
            "finished": _now(),
        }
    build = Path(spec["result"]).parent
    spec_path = build / f"{spec['name']}.job.json"
    atomic_write(spec_path, json.dumps(spec, indent=1, default=str))
    Path(spec["result"]).unlink(missing_ok=True)
    log_path = build / f"{spec['name']}.log"
    t0 = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as logf:
        proc = subprocess.Popen(
            [sys.executable, "-m", "framelens.runner.execute", str(spec_path)],
            stdout=logf,
            stderr=subprocess.STDOUT,
            env=dict(env),
            cwd=spec["cwd"],
            start_new_session=True,
        )
        if workers is not None:
            workers.add(proc)
        try:
            # `timeout` bounds the whole notebook (papermill also applies it per cell);
            # KERNEL_GRACE_S more for starting the kernel and rendering the HTML
            proc.wait(timeout=timeout + KERNEL_GRACE_S)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
            _Workers.kill(proc)
            proc.wait()
        finally:
            if workers is not None:
                workers.discard(proc)
    elapsed = round(time.perf_counter() - t0, 2)
    try:
        result = json.loads(Path(spec["result"]).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        why = (
            f"timed out after {timeout:g} s"
            if timed_out
            else f"worker exited with code {proc.returncode}"
        )
        log_tail = tail(log_path.read_text(errors="replace"))
        result = {
            "status": "failed",
            "error": f"{why}; log tail:\n{log_tail}",
            "runtime_s": elapsed,
            "finished": _now(),
        }
        from framelens.runner.execute import render_executed, running_path

        partial = running_path(Path(spec["ipynb"]))
        if partial.exists():  # the notebook as far as it got before the worker was stopped
            partial.replace(spec["ipynb"])
        try:
            render_executed(spec, result)
        except Exception as exc:  # last resort: a page that says what happened
            atomic_write(spec["html"], error_page_html(spec["name"], f"{result['error']}\n{exc}"))
    # runtime = the worker's wall time (kernel start, execution, rendering);
    # execute_s = the notebook's execution alone
    result["execute_s"] = result.get("runtime_s")
    result["runtime_s"] = elapsed
    return result


def _kept_analyses(
    prev: Mapping[str, Any], memo: Mapping[str, Any], reports: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """This run's analyses plus earlier ones a listed report still refers to."""
    used = {r.get("analysis_key") for r in reports}
    out = {
        k: v for k, v in prev.items() if isinstance(v, Mapping) and v.get("analysis_key") in used
    }
    out.update(memo)
    return out


# ----------------------------------------------------------------------------- run
def run(
    workbook: str | Path = "workbook.yaml",
    *,
    corpus: str | Path | None = None,
    out: str | Path = "reports",
    jobs: int = 1,
    only: str | Sequence[str] | None = None,
    force: bool = False,
    with_code: bool = False,
    timeout: float = 600,
    progress: bool = True,
) -> RunResult:
    """Render the reports of a workbook into ``out`` (see the module docstring).

    Parameters
    ----------
    workbook : path
        The workbook YAML (default ``workbook.yaml`` in the current folder).
    corpus : path, optional, keyword-only
        Overrides the corpus of every job.
    out : path
        Output folder: ``<name>.html``, ``index.html``, ``manifest.json``, ``_build/``.
    jobs : int
        Notebooks executed in parallel.
    only : str or list of str, optional
        Job names (shell-style patterns allowed) to run; other reports are kept as they are.
    force : bool
        Re-run even reports whose inputs did not change.
    with_code : bool
        Show code cells in the HTML (default: hidden; failing cells are always shown).
    timeout : float
        Seconds allowed per notebook (its execution; each cell is bounded by it too), plus
        ``KERNEL_GRACE_S`` for starting the kernel and rendering.
    progress : bool
        Print progress lines and elapsed times on stderr.

    Returns
    -------
    RunResult
        ``.ok`` is False when any report failed; ``.failed`` names them.

    Raises
    ------
    WorkbookError
        When the workbook or a job's parameters are invalid (before anything runs).

    Examples
    --------
    >>> result = run("workbook.yaml", out="reports", jobs=2)   # doctest: +SKIP
    >>> print(result.summary())                                 # doctest: +SKIP
    """
    t_start = time.perf_counter()
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise WorkbookError(f"jobs must be a positive integer, not {jobs!r}")
    if not isinstance(timeout, (int, float)) or timeout <= 0:
        raise WorkbookError(f"timeout must be a positive number of seconds, not {timeout!r}")
    if isinstance(only, str):
        only = [only]
    wb = load_workbook(workbook, corpus=corpus)
    out = Path(out).resolve()
    build = out / BUILD
    manifest_path, index_path = out / "manifest.json", out / "index.html"
    prev = _load_prev(manifest_path)
    prev_reports = {
        r["name"]: r for r in prev.get("reports", []) if isinstance(r, dict) and "name" in r
    }

    template_hash = _templates_hash()
    analyses = _Analyses(prev.get("analyses", {}), template_hash)
    planned, whole_jobs = _plan(
        wb,
        only=only,
        prev=prev,
        with_code=with_code,
        template_hash=template_hash,
        analyses=analyses,
    )
    for p in planned:
        old = prev_reports.get(p.report.name)
        p.skip = bool(
            not force
            and old
            and old.get("key") == p.key
            and old.get("status") == "ok"
            and (out / f"{p.report.name}.html").exists()
        )
    to_run = [p for p in planned if not p.skip]
    _say(
        progress,
        f"framelens run: {len(planned)} report(s), {len(planned) - len(to_run)} up to date, "
        f"{len(to_run)} to render (jobs={jobs})",
    )

    # the manifest keeps the reports --only did not select (of jobs still in the
    # workbook), in workbook order; a job run as a whole drops reports it no longer makes
    job_order = {j.name: i for i, j in enumerate(wb.jobs)}
    entries: dict[str, dict[str, Any]] = {}
    for r in prev.get("reports", []):
        if isinstance(r, dict) and r.get("job") in job_order and r.get("job") not in whole_jobs:
            entries[r["name"]] = r
    for p in planned:
        if p.skip:
            e = dict(prev_reports[p.report.name])
            e.update(last_action="skipped")
            entries[p.report.name] = e
        else:
            entries[p.report.name] = {**p.entry, "status": "pending", "last_action": "started"}

    results: dict[str, ReportResult] = {
        p.report.name: ReportResult(
            p.report.name,
            p.report.job,
            "skipped",
            prev_reports[p.report.name].get("runtime_s"),
            out / f"{p.report.name}.html",
        )
        for p in planned
        if p.skip
    }
    env_info: dict[str, Any] = {}
    lock = threading.Lock()
    git = None

    def write_outputs() -> None:
        ordered = sorted(entries.values(), key=lambda e: job_order.get(e.get("job"), 1 << 30))
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "framelens": __version__,
            "workbook": str(wb.path),
            "out": str(out),
            "generated": _now(),
            "git_commit": git,
            "environment": env_info or prev.get("environment"),
            "analyses": _kept_analyses(prev.get("analyses", {}), analyses.memo, ordered),
            "reports": ordered,
        }
        atomic_write(manifest_path, json.dumps(manifest, indent=2, sort_keys=False, default=str))
        atomic_write(index_path, index_html(manifest, title=wb.title))

    from framelens.core.provenance import git_commit

    git = git_commit(wb.path.parent)
    if not to_run:
        write_outputs()
        return _finish(planned, results, out, index_path, manifest_path, t_start, progress)

    from framelens.core.provenance import environment

    env_info.update(environment())
    write_outputs()  # reports about to run are listed as pending: an interrupted run shows it
    cache_dir = _cache_dir(wb)
    build.mkdir(parents=True, exist_ok=True)

    # 1. the analysis, once per (corpus, config), in this process: warms the cache
    failed_analysis: dict[tuple, str] = {}
    for pair in sorted(
        {(p.report.corpus, p.report.config) for p in to_run if p.report.corpus},
        key=lambda t: (t[0], t[1] or ""),
    ):
        t0 = time.perf_counter()
        _say(progress, f"analysing {pair[0]}" + (f" with {pair[1]}" if pair[1] else "") + " ...")
        try:
            from framelens.pipeline import analyze

            # the corpus the planning step already read (when it had to) is not read again
            an = analyze(analyses._corpus(pair[0]), pair[1] or None, cache_dir=cache_dir)
            _say(
                progress,
                f"  analysis ready: {len(an.docs)} document(s) in {time.perf_counter() - t0:.1f} s",
            )
        except Exception as exc:  # every report on this corpus fails; others go on
            failed_analysis[pair] = f"analysis of {pair[0]} failed: {type(exc).__name__}: {exc}"
            _say(progress, "  " + failed_analysis[pair])

    kernel, extra_env = resolve_kernel(build)
    env = _worker_env(cache_dir, extra_env)
    total = len(to_run)
    done = 0

    def record(p: _Planned, res: dict[str, Any]) -> None:
        nonlocal done
        status = "ok" if res.get("status") == "ok" else "failed"
        e = dict(p.entry)
        e.update(
            status=status,
            error=res.get("error") if status == "failed" else None,
            runtime_s=res.get("runtime_s"),
            execute_s=res.get("execute_s"),
            finished=res.get("finished"),
            key_figures=res.get("key_figures") or {},
            environment=env_info,
            git_commit=git,
            last_action="rendered",
        )
        with lock:
            done += 1
            entries[p.report.name] = e
            results[p.report.name] = ReportResult(
                p.report.name,
                p.report.job,
                status,
                res.get("runtime_s"),
                out / f"{p.report.name}.html",
                (res.get("error") or "failed").splitlines()[0] if status == "failed" else None,
            )
            write_outputs()
            t = res.get("runtime_s")
            _say(
                progress,
                f"[{done}/{total}] {p.report.name}: {status}"
                + (f" in {t:.1f} s" if isinstance(t, (int, float)) else "")
                + f" [{time.perf_counter() - t_start:.0f} s elapsed]"
                + (f" - {results[p.report.name].error}" if status == "failed" else ""),
            )

    def spec_of(p: _Planned) -> dict[str, Any]:
        entry = {**p.entry, "environment": env_info, "git_commit": git}
        return {
            "name": p.report.name,
            "notebook": str(p.report.notebook),
            "parameters": dict(p.report.parameters),
            "cwd": str(p.report.notebook.parent),
            "kernel_name": kernel,
            "timeout": p.report.timeout or timeout,
            "ipynb": str(build / f"{p.report.name}.ipynb"),
            "html": str(out / f"{p.report.name}.html"),
            "result": str(build / f"{p.report.name}.result.json"),
            "with_code": with_code,
            "title": f"{p.report.name} · framelens",
            "entry": entry,
        }

    runnable = []
    for p in to_run:
        pair = (p.report.corpus, p.report.config)
        if pair in failed_analysis:
            res = {
                "status": "failed",
                "error": failed_analysis[pair],
                "runtime_s": 0.0,
                "finished": _now(),
            }
            entry = {**p.entry, **res, "environment": env_info, "git_commit": git}
            atomic_write(
                out / f"{p.report.name}.html",
                error_page_html(p.report.name, res["error"], provenance_html(entry)),
            )
            record(p, res)
        else:
            runnable.append(p)

    workers = _Workers()
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        started: dict[Any, tuple[_Planned, float]] = {}
        for p in runnable:
            fut = pool.submit(_run_one, spec_of(p), env, p.report.timeout or timeout, workers)
            started[fut] = (p, time.perf_counter())
        _say(progress, "rendering: " + ", ".join(p.report.name for p in runnable))
        pending = set(started)
        last_beat = time.perf_counter()
        while pending:
            finished, pending = wait(pending, timeout=5, return_when=FIRST_COMPLETED)
            for fut in finished:
                p, _ = started[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # the runner's own bug: still record it
                    res = {
                        "status": "failed",
                        "error": f"{type(exc).__name__}: {exc}",
                        "finished": _now(),
                    }
                record(p, res)
            if pending and time.perf_counter() - last_beat > 30:
                last_beat = time.perf_counter()
                _say(
                    progress,
                    f"  ... still rendering ({time.perf_counter() - t_start:.0f} s elapsed)",
                )
    except BaseException:  # Ctrl-C: stop the workers; unfinished reports stay 'pending'
        workers.kill_all()
        pool.shutdown(wait=False, cancel_futures=True)
        _say(progress, "framelens run: interrupted; unfinished reports are listed as pending")
        raise
    pool.shutdown(wait=True)
    return _finish(planned, results, out, index_path, manifest_path, t_start, progress)


def _finish(
    planned: Iterable[_Planned],
    results: Mapping[str, ReportResult],
    out: Path,
    index_path: Path,
    manifest_path: Path,
    t_start: float,
    progress: bool,
) -> RunResult:
    ordered = [results[p.report.name] for p in planned if p.report.name in results]
    res = RunResult(
        ordered, out, index_path, manifest_path, round(time.perf_counter() - t_start, 3)
    )
    return res
