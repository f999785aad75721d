"""The report runner: ``workbook.yaml`` -> papermill -> self-contained HTML reports.

``framelens run`` (and ``make reports``) call :func:`run`, which is four steps in four
modules: :mod:`.planner` (check parameters, expand jobs, key reports), :mod:`.warm` (the
analysis, once), :mod:`.workers` (one worker process per notebook) and :mod:`.record`
(manifest and index). :mod:`.workbook` reads the workbook format and the notebooks'
parameters cells, :mod:`.render` makes the HTML pages, :mod:`.execute` is the worker.

Examples
--------
>>> from framelens.runner import run
>>> result = run("workbook.yaml", out="reports", jobs=2)   # doctest: +SKIP
>>> result.ok, result.failed                               # doctest: +SKIP
(True, [])
"""

from __future__ import annotations

from framelens.errors import WorkbookError
from framelens.runner.core import check_out, run
from framelens.runner.planner import MANIFEST_VERSION, plan
from framelens.runner.record import ReportResult, RunResult
from framelens.runner.workbook import (
    Job,
    Report,
    Workbook,
    check_parameters,
    load_workbook,
    notebook_parameters,
    notebook_parameters_from_source,
    safe_name,
)
from framelens.runner.workers import KERNEL_NAME, resolve_kernel

__all__ = [
    "run",
    "check_out",
    "RunResult",
    "ReportResult",
    "plan",
    "resolve_kernel",
    "KERNEL_NAME",
    "MANIFEST_VERSION",
    "load_workbook",
    "Workbook",
    "Job",
    "Report",
    "WorkbookError",
    "notebook_parameters",
    "notebook_parameters_from_source",
    "check_parameters",
    "safe_name",
]
