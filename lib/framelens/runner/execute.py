"""Execute one notebook with papermill and render its HTML report (a worker process).

The runner starts one ``python -m framelens.runner.execute SPEC.json`` process per
report (several in parallel with ``--jobs``); papermill starts the notebook's kernel as
a further process. The spec names the notebook, parameters, kernel, working folder,
timeout and output paths; the worker writes the executed notebook and the HTML page
atomically, then a result JSON (status, error, failing cell, key figures, timings).

A notebook that raises still yields a report: papermill saves the partially executed
notebook, and the page shows a failure banner plus the failing cell and its traceback.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from framelens.runner.render import (
    atomic_write,
    failure_banner_html,
    find_error,
    key_figures_of,
    provenance_html,
    render_notebook_html,
)

__all__ = ["execute", "render_executed", "running_path", "main"]


def _error_text(out: dict) -> str:
    return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()


def render_executed(spec: dict[str, Any], result: dict[str, Any]) -> None:
    """Render the executed notebook at ``spec['ipynb']`` to ``spec['html']`` (atomic)."""
    import nbformat

    from framelens.runner.render import error_page_html

    entry = dict(spec.get("entry") or {})
    entry.update({k: result.get(k) for k in ("status", "runtime_s", "finished", "error")})
    footer = provenance_html(entry)
    ipynb = Path(spec["ipynb"])
    if not ipynb.exists():
        atomic_write(
            spec["html"], error_page_html(spec["name"], result.get("error") or "no output", footer)
        )
        return
    nb = nbformat.read(ipynb, as_version=4)
    banner = ""
    if result.get("status") != "ok":
        err = find_error(nb)
        banner = failure_banner_html(
            spec["name"],
            result.get("error") or "failed",
            cell=_code_index(nb, err[0]) if err else None,
        )
    page = render_notebook_html(
        nb,
        title=spec.get("title") or spec["name"],
        with_code=bool(spec.get("with_code")),
        banner=banner,
        footer=footer,
    )
    atomic_write(spec["html"], page)


def running_path(ipynb: Path) -> Path:
    """Where papermill writes the notebook while it runs (moved to ``ipynb`` at the end)."""
    return ipynb.with_name(f".{ipynb.name}.running.ipynb")


def _code_index(nb, cell_index: int) -> int:
    return sum(1 for c in nb.cells[:cell_index] if c.get("cell_type") == "code")


def execute(spec: dict[str, Any]) -> dict[str, Any]:
    """Run the notebook of ``spec`` and render it; return the result record."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    ipynb = Path(spec["ipynb"])
    ipynb.parent.mkdir(parents=True, exist_ok=True)
    tmp = running_path(ipynb)
    ipynb.unlink(missing_ok=True)  # never render a previous run's notebook as this one's
    tmp.unlink(missing_ok=True)
    result: dict[str, Any] = {"status": "ok", "error": None}
    try:
        pm.execute_notebook(
            spec["notebook"],
            str(tmp),
            parameters=spec.get("parameters") or {},
            kernel_name=spec["kernel_name"],
            cwd=spec["cwd"],
            execution_timeout=spec.get("timeout"),
            progress_bar=False,
            log_output=False,
            language="python",
        )
    except PapermillExecutionError as exc:
        result.update(
            status="failed", error=f"{exc.ename}: {exc.evalue}", failed_cell=exc.exec_count
        )
    except Exception as exc:  # kernel died, timeout, bad notebook ...
        result.update(status="failed", error=f"{type(exc).__name__}: {exc}")
    if tmp.exists():
        tmp.replace(ipynb)
    result["runtime_s"] = round(time.perf_counter() - t0, 2)
    result["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    if ipynb.exists():
        nb = nbformat.read(ipynb, as_version=4)
        result["key_figures"] = key_figures_of(nb)
        err = find_error(nb)
        if err and result["status"] == "ok":  # an error output that did not stop the run
            result.update(status="failed", error=_error_text(err[1]))
    render_executed(spec, result)
    return result


def _fast_imports() -> None:
    """jsonschema (via nbformat) imports ``rfc3987_syntax`` when installed, which builds a
    grammar at import time (1-2 s per worker). Notebook validation never checks the IRI
    formats it serves, so the worker tells Python it is absent."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    """``python -m framelens.runner.execute SPEC.json``: writes ``SPEC.result.json``."""
    _fast_imports()
    argv = sys.argv[1:] if argv is None else argv
    spec_path = Path(argv[0])
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    try:
        result = execute(spec)
    except Exception as exc:  # rendering itself failed: still report it
        import traceback

        result = {
            "status": "failed",
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
        }
    atomic_write(spec["result"], json.dumps(result, default=str))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
