"""The report runner: ``workbook.yaml`` -> papermill -> self-contained HTML reports.

``framelens run`` (and ``make reports``) call :func:`run`. See :mod:`.core` for what a
run does, :mod:`.workbook` for the workbook format and parameter checks, :mod:`.render`
for the HTML pages, :mod:`.execute` for the worker that executes one notebook.

Examples
--------
>>> from framelens.runner import run
>>> result = run("workbook.yaml", out="reports", jobs=2)   # doctest: +SKIP
>>> result.ok, result.failed                               # doctest: +SKIP
(True, [])
"""

from __future__ import annotations

from framelens.runner.core import KERNEL_NAME, ReportResult, RunResult, plan, resolve_kernel, run
from framelens.runner.workbook import (
    Job,
    Report,
    Workbook,
    WorkbookError,
    check_parameters,
    load_workbook,
    notebook_parameters,
    notebook_parameters_from_source,
    safe_name,
)

__all__ = [
    "run",
    "RunResult",
    "ReportResult",
    "plan",
    "resolve_kernel",
    "KERNEL_NAME",
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
