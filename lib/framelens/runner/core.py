"""``framelens run``: workbook -> papermill -> self-contained HTML, incrementally.

:func:`run` is four steps, each in its own module:

1. **plan** (:mod:`.planner`): read the workbook, check every job's parameters against its
   notebook's ``parameters`` cell (nothing runs when one is wrong), expand jobs into
   reports and key each one; a report whose key equals the previous manifest's and
   whose HTML exists is skipped (no kernel: an unchanged suite re-runs in seconds);
2. **warm** (:mod:`.warm`): run the analysis ONCE per (corpus, config) in this process,
   into the cache folder the notebooks read (:func:`framelens.pipeline.cache.default_cache_dir`);
3. **execute** (:mod:`.workers`): execute the remaining notebooks in worker processes
   (``jobs`` at a time) with the ``framelens`` kernel, the notebook's folder as working
   directory and a timeout; each renders its HTML (failed ones too, with the error);
4. **record** (:mod:`.record`): write ``manifest.json`` and ``index.html`` atomically
   after each report.

Examples
--------
>>> result = run("workbook.yaml", out="reports", jobs=2)   # doctest: +SKIP
>>> result.ok, result.failed                               # doctest: +SKIP
(True, [])
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from framelens.errors import FramelensError, OutputError, WorkbookError
from framelens.runner.options import prepare_corpus
from framelens.runner.planner import BUILD, AnalysisMemo, Planned, plan_run, templates_hash
from framelens.runner.record import Interrupted, Recorder, RunResult, load_previous, say
from framelens.runner.warm import warm
from framelens.runner.workbook import Workbook, load_workbook
from framelens.runner.workers import (
    INTERRUPTED,
    Workers,
    now,
    resolve_kernel,
    run_one,
    worker_env,
)

__all__ = [
    "run",
    "check_out",
    "check_replaced",
    "prepare_corpora",
    "problem_notes",
    "stop_on_signals",
    "STOP_SIGNALS",
]


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
    parameters: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    metadata: str | Path | None = None,
    title_line: bool = False,
    read_options: Mapping[str, Any] | None = None,
    overwrite: bool = False,
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
        :data:`~framelens.runner.workers.KERNEL_GRACE_S` for starting the kernel and
        rendering.
    progress : bool
        Print progress lines and elapsed times on stderr.
    parameters : mapping, optional
        Notebook parameters set in every job whose notebook declares them
        (``-p NAME=VALUE``; strings are read as the declared default's type). A name no
        notebook declares is a :class:`WorkbookError`.
    defaults : mapping, optional
        Values for missing docs columns (``--default outlet=RT``), given to
        :func:`framelens.load_corpus`.
    metadata : path, optional
        A CSV with a ``doc_id`` column whose other columns are joined to the documents
        (``--metadata FILE``); unmatched ids are problems listed in the index. With
        ``defaults`` or ``metadata`` the notebooks read the prepared documents
        (:func:`~framelens.runner.options.prepare_corpus`).
    title_line : bool
        The corpus is a folder of ``.txt`` files whose first line is the title
        (``--title-line``); the notebooks then read the prepared documents too.
    read_options : mapping, optional
        How to read the corpus, given to :func:`framelens.load_corpus`: ``text_col``,
        ``id_col``, ``title_col``, ``outlet_col``, ``date_col``, ``format``, ``encoding``
        (``--text-col`` ...); the notebooks then read the prepared documents too.
    overwrite : bool
        Replace files in ``out`` that a run writes (``index.html``, ``manifest.json``,
        ``_build/``, a report's ``<name>.html``) when ``out`` is not a folder of framelens
        reports; without it such files stop the run before anything is written.

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
    # long: the docstring is half of it; the body is the four steps plan, warm, execute, record
    t_start = time.perf_counter()
    _check_run_options(jobs, timeout)
    wb = load_workbook(workbook, corpus=corpus)
    out = check_out(out)
    if defaults or metadata or title_line or read_options:
        wb = prepare_corpora(
            wb,
            defaults=defaults,
            metadata=metadata,
            title_line=title_line,
            read_options=read_options,
            progress=progress,
        )
    prev = load_previous(out / "manifest.json")
    # 1. plan
    memo = AnalysisMemo(prev.get("analyses", {}))
    only = [only] if isinstance(only, str) else only
    planned, whole = plan_run(
        wb,
        only=only,
        with_code=with_code,
        template=templates_hash(),
        memo=memo,
        overrides=parameters,
    )
    check_replaced(out, [p.report.name for p in planned], overwrite=overwrite)
    _mark_skips(planned, prev, out, force=force)
    to_run = [p for p in planned if not p.skip]
    say(
        progress,
        f"framelens run: {len(planned)} report(s), {len(planned) - len(to_run)} up to date, "
        f"{len(to_run)} to render (jobs={jobs})",
    )
    rec = Recorder(wb, out, prev, planned, whole, memo, progress=progress)
    from framelens.core.provenance import environment, git_commit

    rec.git = git_commit(wb.path.parent)
    if not to_run:
        rec.write()
        return rec.result(planned, time.perf_counter() - t_start)
    rec.env_info.update(environment())
    rec.write()  # reports about to run are listed as pending while they run
    with stop_on_signals():
        try:
            _warm_and_execute(wb, to_run, rec, out, timeout=timeout, jobs=jobs, with_code=with_code)
        except KeyboardInterrupt as exc:
            why = exc.name if isinstance(exc, Interrupted) else "SIGINT"
            names = rec.interrupt(f"{INTERRUPTED} (the run was stopped by {why}); run it again")
            say(
                progress,
                f"framelens run: interrupted by {why}; workers and kernels stopped; "
                f"{len(names)} unfinished report(s) recorded as failed",
            )
            raise
    return rec.result(planned, time.perf_counter() - t_start)


def _warm_and_execute(
    wb, to_run: Sequence[Planned], rec: Recorder, out: Path, *, timeout, jobs, with_code
) -> None:
    """Steps 2-4 of :func:`run`: warm the analyses, execute, record."""
    # 2. warm
    from framelens.pipeline.cache import default_cache_dir

    cache_dir = default_cache_dir(wb.path.parent)
    (out / BUILD).mkdir(parents=True, exist_ok=True)
    pairs = [(p.report.corpus, p.report.config) for p in to_run if p.report.corpus]
    failed = warm(pairs, rec.memo, cache_dir=cache_dir, progress=rec.progress)
    runnable = []
    for p in to_run:
        error = failed.get((p.report.corpus, p.report.config))
        if error:
            rec.record_failure(p, error)
        else:
            runnable.append(p)
    # 3. execute, 4. record (after each report)
    kernel, extra_env = resolve_kernel(out / BUILD)
    specs = {
        p.report.name: _spec(p, rec, out, kernel=kernel, timeout=timeout, with_code=with_code)
        for p in runnable
    }
    _execute(runnable, specs, worker_env(cache_dir, extra_env), rec, jobs=jobs, timeout=timeout)


#: The signals that stop a run cleanly (workers and kernels stopped, reports recorded).
STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


@contextlib.contextmanager
def stop_on_signals():
    """Within the block, SIGTERM, SIGINT and SIGHUP raise :class:`Interrupted` in the main
    thread (once: a second signal during the clean-up is ignored); the previous handlers
    are restored afterwards. Outside the main thread nothing is installed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    sigs = [getattr(signal, n) for n in STOP_SIGNALS if hasattr(signal, n)]
    previous = {s: signal.getsignal(s) for s in sigs}

    def handler(signum, frame):
        for s in sigs:
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum, signal.Signals(signum).name)

    for s in sigs:
        signal.signal(s, handler)
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def prepare_corpora(
    wb: Workbook,
    *,
    defaults: Mapping[str, Any] | None,
    metadata: str | Path | None,
    title_line: bool = False,
    read_options: Mapping[str, Any] | None = None,
    progress: bool = False,
) -> Workbook:
    """``wb`` with every corpus it names replaced by its prepared documents
    (:func:`~framelens.runner.options.prepare_corpus`: read with ``read_options``,
    ``defaults`` filled in, ``metadata`` joined), and notes for the index naming the corpus
    and its problems."""
    from framelens.pipeline.cache import default_cache_dir

    folder = default_cache_dir(wb.path.parent) / "corpora"
    corpora = {wb.corpus} | {j.parameters.get("corpus") for j in wb.jobs}
    prepared, notes = {}, list(wb.notes)
    how = ", ".join(
        [f"--{k.replace('_', '-')} {v}" for k, v in (read_options or {}).items()]
        + [f"--default {k}={v}" for k, v in (defaults or {}).items()]
        + ([f"--metadata {metadata}"] if metadata else [])
        + (["--title-line"] if title_line else [])
    )
    for c in sorted(x for x in corpora if isinstance(x, str) and x):
        if not Path(c).exists():
            raise WorkbookError(f"corpus {c} not found")
        prepared[c], problems = prepare_corpus(
            c,
            defaults=defaults,
            metadata=metadata,
            title_line=title_line,
            read_options=read_options,
            folder=folder,
        )
        notes.append(f"{Path(c).name}: documents prepared with {how}")
        for m in problem_notes(c, problems):
            notes.append(f"{Path(c).name}: {m}")
            say(progress, f"  {m}")
    jobs = tuple(
        dataclasses.replace(
            j, parameters={**j.parameters, "corpus": prepared[j.parameters["corpus"]]}
        )
        if j.parameters.get("corpus") in prepared
        else j
        for j in wb.jobs
    )
    return dataclasses.replace(
        wb, corpus=prepared.get(wb.corpus, wb.corpus), jobs=jobs, notes=tuple(notes)
    )


#: At most this many problems of a prepared corpus are named on the index page.
MAX_PROBLEM_NOTES = 10


def problem_notes(corpus: str, problems) -> list[str]:
    """Lines for the index naming the problems of loading (and joining) a prepared
    corpus: the reports read the prepared documents, whose own load cannot see the
    records dropped or the metadata left empty on the way. Errors first, at most
    :data:`MAX_PROBLEM_NOTES`, then how many more and where to see them all.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"severity": ["warning", "error"], "message": ["w", "e"]})
    >>> problem_notes("x.csv", p)
    ['1 input error(s) and 1 warning(s) while reading x.csv:', 'error: e', 'warning: w']
    """
    if problems is None or not len(problems):
        return []
    sev = problems["severity"].astype(str)
    ordered = problems.assign(_e=(sev != "error")).sort_values("_e", kind="stable")
    lines = [
        f"{int((sev == 'error').sum())} input error(s) and {int((sev != 'error').sum())} "
        f"warning(s) while reading {corpus}:"
    ]
    lines += [f"{r.severity}: {r.message}" for r in ordered.head(MAX_PROBLEM_NOTES).itertuples()]
    if len(problems) > MAX_PROBLEM_NOTES:
        lines.append(
            f"... and {len(problems) - MAX_PROBLEM_NOTES} more: framelens check {corpus} "
            "lists them all"
        )
    return lines


def check_replaced(out: Path, names: Sequence[str], *, overwrite: bool) -> None:
    """Refuse to replace the user's own files: when ``out`` holds no manifest of a
    framelens run, the files a run writes there (``index.html``, ``manifest.json``,
    ``_build``, ``<name>.html`` of the reports ``names``) must not exist yet, unless
    ``overwrite``. Other files in ``out`` are never touched.

    Raises
    ------
    OutputError
        Naming the files and the fix.

    Examples
    --------
    >>> check_replaced(Path("/nonexistent-folder"), ["corpus"], overwrite=False)
    """
    if overwrite or not out.is_dir():
        return
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if isinstance(manifest, dict) and "manifest_version" in manifest and "reports" in manifest:
        return  # reports of an earlier run: a run replaces its own files
    ours = ["index.html", "manifest.json", BUILD, *(f"{n}.html" for n in names)]
    there = [n for n in dict.fromkeys(ours) if (out / n).exists()]
    if there:
        raise OutputError(
            f"--out {out} is not a folder of framelens reports, and a run would replace "
            f"{', '.join(there)} in it; nothing was written. Choose another folder, move "
            "those files, or pass --overwrite to replace them (other files are kept)"
        )


def check_out(out: str | Path) -> Path:
    """The output folder, absolute, once it is known to be writable (nothing is written).

    Raises
    ------
    FramelensError
        When ``out`` is a file, lies under a file, or it (or the folder it would be
        made in) cannot be written; the message names the path and the fix.

    Examples
    --------
    >>> check_out("/proc/version")
    Traceback (most recent call last):
    ...
    framelens.errors.FramelensError: --out /proc/version is a file, not a folder; ...
    """
    path = Path(out).expanduser().absolute()
    near = path
    while not near.exists() and near != near.parent:
        near = near.parent
    if not near.is_dir():
        where = "is a file" if near == path else f"is inside {near}, which is a file"
        raise FramelensError(f"--out {path} {where}, not a folder; choose another folder")
    if not os.access(near, os.W_OK | os.X_OK):
        what = "is read-only" if near == path else f"would be made in {near}, which is read-only"
        raise FramelensError(
            f"--out {path} {what}; choose a folder you can write to, or make it writable"
        )
    return path.resolve()


def _check_run_options(jobs: Any, timeout: Any) -> None:
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise WorkbookError(f"jobs must be a positive integer, not {jobs!r}")
    if not isinstance(timeout, (int, float)) or timeout <= 0:
        raise WorkbookError(f"timeout must be a positive number of seconds, not {timeout!r}")


def _mark_skips(planned: Sequence[Planned], prev: dict, out: Path, *, force: bool) -> None:
    """A report is up to date when its key, status and HTML are as the last run left them."""
    old = {r["name"]: r for r in prev.get("reports", []) if isinstance(r, dict) and "name" in r}
    for p in planned:
        o = old.get(p.report.name)
        p.skip = bool(
            not force
            and o
            and o.get("key") == p.key
            and o.get("status") == "ok"
            and (out / f"{p.report.name}.html").exists()
        )


def _spec(
    p: Planned, rec: Recorder, out: Path, *, kernel: str, timeout: float, with_code: bool
) -> dict[str, Any]:
    """What the worker of one report needs (written as its job JSON)."""
    build = out / BUILD
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
        "entry": rec.entry(p),
    }


def _execute(
    runnable: Sequence[Planned],
    specs: dict[str, dict[str, Any]],
    env: dict[str, str],
    rec: Recorder,
    *,
    jobs: int,
    timeout: float,
) -> None:
    """Run the reports ``jobs`` at a time; record each as it finishes. An interruption
    (a signal, Ctrl-C) stops the workers and their kernels; :func:`run` records the
    unfinished reports as failed."""
    workers = Workers()
    pool = ThreadPoolExecutor(max_workers=jobs)
    started: dict = {}
    try:
        started = {
            pool.submit(run_one, specs[p.report.name], env, p.report.timeout or timeout, workers): p
            for p in runnable
        }
        say(rec.progress, "rendering: " + ", ".join(p.report.name for p in runnable))
        pending, last_beat = set(started), time.perf_counter()
        while pending:
            finished, pending = wait(pending, timeout=5, return_when=FIRST_COMPLETED)
            for fut in finished:
                try:
                    res = fut.result()
                except Exception as exc:  # the runner's own bug: still record it
                    res = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
                    res["finished"] = now()
                rec.record(started[fut], res)
            if pending and time.perf_counter() - last_beat > 30:
                last_beat = time.perf_counter()
                elapsed = time.perf_counter() - rec.t_start
                say(rec.progress, f"  ... still rendering ({elapsed:.0f} s elapsed)")
    except BaseException:
        workers.kill_all()  # workers, kernels and what they started
        pool.shutdown(wait=True, cancel_futures=True)  # the threads return once those are dead
        for fut, p in started.items():  # reports that finished meanwhile keep their result
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                res = fut.result()
                if (
                    res.get("error") != INTERRUPTED
                    and rec.entries[p.report.name].get("status") == "pending"
                ):
                    rec.record(p, res)
        raise
    pool.shutdown(wait=True)
