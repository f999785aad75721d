"""Recording a run: the report results, ``manifest.json`` and ``index.html``.

:class:`Recorder` holds the manifest entries of a run — reports kept from the previous
run, up-to-date ones (skipped), and each executed one as it finishes — and rewrites
``manifest.json`` and ``index.html`` atomically after every report, so an interrupted
run leaves a consistent record (unfinished reports are listed as pending).

Examples
--------
>>> r = RunResult([ReportResult("a", "a", "ok", 1.0)], Path("out"), Path("out/index.html"),
...               Path("out/manifest.json"), 1.5)
>>> r.ok, r.executed
(True, ['a'])
"""

from __future__ import annotations

import dataclasses
import json
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from framelens import __version__
from framelens.runner.planner import BUILD, MANIFEST_VERSION, Planned
from framelens.runner.render import atomic_write, error_page_html, index_html, provenance_html
from framelens.runner.workers import now

__all__ = ["ReportResult", "RunResult", "Recorder", "Interrupted", "load_previous", "say"]

_STATUSES = ("ok", "failed", "skipped")


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (SIGTERM, SIGINT, SIGHUP): its workers and kernels
    are stopped and unfinished reports are recorded as failed. ``signum`` names the
    signal; the command exits with ``128 + signum``."""

    def __init__(self, signum: int, name: str):
        super().__init__(f"interrupted by {name}")
        self.signum, self.name = signum, name


def say(progress: bool, msg: str) -> None:
    """A progress line on stderr (when ``progress``)."""
    if progress:
        print(msg, file=sys.stderr, flush=True)


def load_previous(path: Path) -> dict[str, Any]:
    """The previous run's manifest, or ``{}`` when missing, unreadable or of an older
    format (then every report is rendered again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("manifest_version") != MANIFEST_VERSION:
        return {}
    return data


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
            f"{len(self.reports)} report(s): {n['ok']} rendered, "
            f"{n['skipped']} up to date (skipped), "
            f"{n['failed']} failed, in {self.elapsed_s:.1f} s"
        )
        lines.append(f"index: {self.index}")
        if self.failed:
            lines.append("FAILED: " + ", ".join(self.failed) + " (open their HTML for the error)")
        return "\n".join(lines)


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


class Recorder:
    """The manifest entries and results of one run; writes manifest and index.

    Parameters
    ----------
    wb : Workbook
        The run's workbook (job order, title, path).
    out : Path
        The output folder.
    prev : mapping
        The previous manifest (:func:`load_previous`).
    planned : list of Planned
        This run's reports (``skip`` already decided).
    whole_jobs : set of str
        Jobs run as a whole: their earlier reports that this run does not make are dropped.
    memo : AnalysisMemo
        The run's analyses (recorded under ``analyses``).
    """

    def __init__(self, wb, out: Path, prev, planned, whole_jobs, memo, *, progress: bool):
        self.wb, self.out, self.prev, self.memo = wb, out, prev, memo
        self.progress = progress
        self.manifest_path, self.index_path = out / "manifest.json", out / "index.html"
        self.job_order = {j.name: i for i, j in enumerate(wb.jobs)}
        self.env_info: dict[str, Any] = {}
        self.git: str | None = None
        self.lock = threading.Lock()
        self.done, self.total = 0, sum(1 for p in planned if not p.skip)
        self.t_start = time.perf_counter()
        prev_reports = {
            r["name"]: r for r in prev.get("reports", []) if isinstance(r, dict) and "name" in r
        }
        # the manifest keeps the reports --only did not select (of jobs still in the
        # workbook), in workbook order; a job run as a whole drops reports it no longer makes
        self.entries: dict[str, dict[str, Any]] = {}
        for r in prev.get("reports", []):
            job = r.get("job") if isinstance(r, dict) else None
            if job in self.job_order and job not in whole_jobs:
                self.entries[r["name"]] = r
        self.results: dict[str, ReportResult] = {}
        for p in planned:
            name = p.report.name
            if p.skip:
                now_known = {k: p.entry.get(k) for k in ("description", "note", "title")}
                self.entries[name] = {**prev_reports[name], **now_known, "last_action": "skipped"}
                runtime = prev_reports[name].get("runtime_s")
                html = out / f"{name}.html"
                self.results[name] = ReportResult(name, p.report.job, "skipped", runtime, html)
            else:
                self.entries[name] = {**p.entry, "status": "pending", "last_action": "started"}

    def write(self) -> None:
        """Write ``manifest.json`` and ``index.html`` (atomically)."""
        ordered = sorted(
            self.entries.values(), key=lambda e: self.job_order.get(e.get("job"), 1 << 30)
        )
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "framelens": __version__,
            "workbook": str(self.wb.path),
            "out": str(self.out),
            "generated": now(),
            "git_commit": self.git,
            "environment": self.env_info or self.prev.get("environment"),
            "corpus": self.wb.corpus_label or None,
            "notes": list(self.wb.notes),
            "analyses": _kept_analyses(self.prev.get("analyses", {}), self.memo.memo, ordered),
            "reports": ordered,
        }
        text = json.dumps(manifest, indent=2, sort_keys=False, default=str)
        atomic_write(self.manifest_path, text)
        atomic_write(self.index_path, index_html(manifest, title=self.wb.title))

    def entry(self, p: Planned) -> dict[str, Any]:
        """The report's manifest entry with this run's environment and commit."""
        return {**p.entry, "environment": self.env_info, "git_commit": self.git}

    def record(self, p: Planned, res: Mapping[str, Any]) -> None:
        """Record one finished report (thread-safe) and rewrite manifest and index."""
        status = "ok" if res.get("status") == "ok" else "failed"
        e = self.entry(p)
        e.update(
            status=status,
            error=res.get("error") if status == "failed" else None,
            runtime_s=res.get("runtime_s"),
            execute_s=res.get("execute_s"),
            finished=res.get("finished"),
            key_figures=res.get("key_figures") or {},
            last_action="rendered",
        )
        name = p.report.name
        error = (res.get("error") or "failed").splitlines()[0] if status == "failed" else None
        with self.lock:
            self.done += 1
            self.entries[name] = e
            self.results[name] = ReportResult(
                name, p.report.job, status, res.get("runtime_s"), self.out / f"{name}.html", error
            )
            self.write()
            t = res.get("runtime_s")
            say(
                self.progress,
                f"[{self.done}/{self.total}] {name}: {status}"
                + (f" in {t:.1f} s" if isinstance(t, (int, float)) else "")
                + f" [{time.perf_counter() - self.t_start:.0f} s elapsed]"
                + (f" - {error}" if error else ""),
            )

    def record_failure(self, p: Planned, error: str) -> None:
        """A report that cannot run (its analysis failed): an error page and its record."""
        res = {"status": "failed", "error": error, "runtime_s": 0.0, "finished": now()}
        atomic_write(
            self.out / f"{p.report.name}.html",
            error_page_html(p.report.name, error, provenance_html({**self.entry(p), **res})),
        )
        self.record(p, res)

    def interrupt(self, reason: str) -> list[str]:
        """Record every report still pending as failed with ``reason`` (an error page in
        place of its HTML, its stale build files removed, nothing left that looks
        fresh), rewrite manifest and index; return the reports' names."""
        with self.lock:
            names = [n for n, e in self.entries.items() if e.get("status") == "pending"]
            for name in names:
                e = self.entries[name]
                e.update(
                    status="failed",
                    error=reason,
                    finished=now(),
                    runtime_s=None,
                    key_figures={},
                    last_action="interrupted",
                )
                self._stale_files_away(name)
                atomic_write(
                    self.out / f"{name}.html",
                    error_page_html(name, reason, provenance_html(e)),
                )
                self.results[name] = ReportResult(
                    name, str(e.get("job")), "failed", None, self.out / f"{name}.html", reason
                )
            self.write()
        return names

    def _stale_files_away(self, name: str) -> None:
        """The executed notebook of an earlier run and what a stopped worker left."""
        build = self.out / BUILD
        for f in (build / f"{name}.ipynb", build / f".{name}.ipynb.running.ipynb"):
            f.unlink(missing_ok=True)
        for folder, pattern in ((self.out, f".{name}.html.*.tmp"), (build, f".{name}.*.tmp")):
            for f in folder.glob(pattern):
                f.unlink(missing_ok=True)

    def result(self, planned: Sequence[Planned], elapsed_s: float) -> RunResult:
        """The :class:`RunResult` of the run, reports in plan order."""
        ordered = [self.results[p.report.name] for p in planned if p.report.name in self.results]
        return RunResult(
            ordered, self.out, self.index_path, self.manifest_path, round(elapsed_s, 3)
        )
