"""The worker processes: the kernel to use, their environment, one report per process.

Each report runs in its own ``python -m framelens.runner.execute SPEC.json`` process
(its own session, so an interrupted run can stop it and its kernel) with a timeout;
:class:`Workers` keeps the running ones so Ctrl-C stops them all.

Examples
--------
>>> env = worker_env(Path("/tmp/cache"), {})
>>> env["FRAMELENS_CACHE_DIR"], env["PYTHONHASHSEED"]
('/tmp/cache', '0')
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from framelens.pipeline.cache import CACHE_DIR_ENV
from framelens.runner.render import atomic_write, error_page_html, tail

__all__ = [
    "KERNEL_NAME",
    "KERNEL_GRACE_S",
    "INTERRUPTED",
    "resolve_kernel",
    "worker_env",
    "Workers",
    "descendants",
    "run_one",
    "now",
]

log = logging.getLogger(__name__)

KERNEL_NAME = "framelens"


def now() -> str:
    """The current UTC time, ISO 8601 to the second (manifest timestamps)."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


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
def worker_env(cache_dir: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """The environment of the worker processes: the cache folder the notebooks read
    (the one the runner warmed), deterministic hashing, an inline figure backend."""
    env = dict(os.environ)
    env.update(extra)
    env[CACHE_DIR_ENV] = str(cache_dir)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["PYTHONHASHSEED"] = "0"
    env["TQDM_DISABLE"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


class Workers:
    """The worker processes running now, so an interrupted run can stop them (they run
    in their own sessions and would not see the terminal's Ctrl-C).

    Stopping a worker stops everything it started: the kernel runs in a session of its
    own (jupyter_client starts it so), so killing the worker's process group alone would
    leave it running; :meth:`kill` collects the worker's descendants first."""

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
        """SIGKILL the worker, its process group and every process it started (its
        kernel and the kernel's own children)."""
        family = descendants(proc.pid)
        for pid in [proc.pid, *family]:
            for kill in (os.killpg, os.kill):  # a session leader's group, then the process
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError, OSError):
                    pass
        try:
            proc.kill()
        except ProcessLookupError:
            pass

    def kill_all(self) -> None:
        """Stop every running worker and what it started; later :meth:`add` calls kill
        at once, so no report starts after an interruption."""
        self.stopping = True
        with self.lock:
            procs = list(self.procs)
        for proc in procs:
            self.kill(proc)


def descendants(pid: int) -> list[int]:
    """The ids of every process below ``pid`` (children, grandchildren ...), or ``[]``.

    Examples
    --------
    >>> descendants(os.getpid()) == [] or all(isinstance(p, int) for p in descendants(1))
    True
    """
    try:
        import psutil  # installed with ipykernel, which runs the notebooks

        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except Exception:  # no such process (any more), or psutil unusable
        return []


#: The error of a report whose worker an interrupted run stopped.
INTERRUPTED = "run interrupted before this report finished"

#: Seconds allowed on top of a notebook's timeout for kernel start-up and HTML rendering.
KERNEL_GRACE_S = 30


def run_one(
    spec: dict[str, Any], env: Mapping[str, str], timeout: float, workers: Workers | None = None
) -> dict[str, Any]:
    """Execute one report in a worker process (``python -m framelens.runner.execute``)
    and return its result record; a timeout or a dead worker still yields a page."""
    if workers is not None and workers.stopping:
        return {
            "status": "failed",
            "error": INTERRUPTED,
            "finished": now(),
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
            Workers.kill(proc)
            proc.wait()
        finally:
            if workers is not None:
                workers.discard(proc)
    elapsed = round(time.perf_counter() - t0, 2)
    if workers is not None and workers.stopping:  # interrupted: the runner records it
        return {"status": "failed", "error": INTERRUPTED, "runtime_s": elapsed, "finished": now()}
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
            "finished": now(),
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
