"""Report suite over a large generated corpus: each report kernel's peak RSS.

Writes a seeded corpusgen corpus of ``--docs`` documents as JSON lines, then runs
``framelens run --corpus CORPUS`` (the repository's ``workbook.yaml``, one report at a
time) into a temporary output folder and analysis cache. While it runs, a sampler reads
``/proc`` every ``--interval`` seconds and keeps, per process, the high-water mark of its
resident memory (``VmHWM``, which the kernel keeps for the whole life of a process, so a
sample taken before the process ends holds its peak up to then). Processes are sorted
into the runner (``framelens run``, which also analyses the corpus, streamed, before the
first report), one ``framelens.runner.execute`` process per report, and the Jupyter
kernel it starts (its child), named after the report's spec file.

The target of the scale issue: every report's kernel below 2 GB on a 100k-document
corpus, with every notebook opening the tables lazily.

Usage::

    .venv/bin/python benchmarks/bench_reports.py --docs 100000 \
        --out benchmarks/out/reports_100k.json
    .venv/bin/python benchmarks/bench_reports.py --docs 2000              # a quick check

Output: one JSON object with the corpus, the run's wall time, its exit code, the runner's
peak RSS and one row per report (status from ``manifest.json``, kernel and executor peak
RSS in MB, seconds), and the same as a table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpusgen  # noqa: E402


def _status(pid: int) -> dict[str, str]:
    out = {}
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            for line in f:
                k, _, v = line.partition(":")
                out[k] = v.strip()
    except OSError:
        pass
    return out


def _cmdline(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def _kb(v: str | None) -> int:
    return int(v.split()[0]) if v else 0


class Sampler(threading.Thread):
    """Peak ``VmHWM`` (kB) of the runner and of every process below it, by pid."""

    def __init__(self, root_pid: int, interval: float):
        super().__init__(daemon=True)
        self.root, self.interval = root_pid, interval
        self.peak: dict[int, int] = {}
        self.info: dict[int, dict] = {}
        self.stop = threading.Event()

    def sample(self) -> None:
        parent: dict[int, int] = {}
        status: dict[int, dict] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            st = _status(int(name))
            if st:
                status[int(name)] = st
                parent[int(name)] = int(st.get("PPid", "0"))

        def below_root(pid: int) -> bool:
            while pid > 1:
                if pid == self.root:
                    return True
                pid = parent.get(pid, 0)
            return False

        for pid, st in status.items():
            if not below_root(pid):
                continue
            hwm = _kb(st.get("VmHWM"))
            if hwm >= self.peak.get(pid, 0):
                self.peak[pid] = hwm
            if pid not in self.info:
                self.info[pid] = {"ppid": parent.get(pid), "cmd": _cmdline(pid)}

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.interval)


def classify(sampler: Sampler) -> tuple[int, list[dict]]:
    """The runner's peak (kB) and one row per report executor with its kernel's peak."""
    rows = []
    by_parent: dict[int, list[int]] = {}
    for pid, info in sampler.info.items():
        by_parent.setdefault(info["ppid"], []).append(pid)
    for pid, info in sampler.info.items():
        cmd = info["cmd"]
        if "framelens.runner.execute" not in cmd:
            continue
        spec = cmd[cmd.index("framelens.runner.execute") + 1] if len(cmd) > 2 else ""
        name = Path(spec).name.removesuffix(".json")
        try:
            name = json.loads(Path(spec).read_text(encoding="utf-8")).get("name", name)
        except (OSError, ValueError):
            pass
        kids = by_parent.get(pid, [])
        kernels = [k for k in kids if "ipykernel" in " ".join(sampler.info[k]["cmd"])]
        kernel_kb = max((sampler.peak.get(k, 0) for k in kernels), default=0)
        rows.append(
            {
                "report": name,
                "executor_peak_mb": round(sampler.peak.get(pid, 0) / 1024, 1),
                "kernel_peak_mb": round(kernel_kb / 1024, 1),
                "kernels": len(kernels),
            }
        )
    return sampler.peak.get(sampler.root, 0), sorted(rows, key=lambda r: r["report"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000, help="corpusgen documents")
    ap.add_argument("--seed", type=int, default=corpusgen.SEED)
    ap.add_argument("--corpus", help="an existing JSONL corpus instead of generating one")
    ap.add_argument("--workbook", default=str(ROOT / "workbook.yaml"))
    ap.add_argument("--interval", type=float, default=0.25, help="sampling interval (s)")
    ap.add_argument("--timeout", type=int, default=7200, help="seconds per notebook")
    ap.add_argument("--workdir", help="corpus, cache and reports go here (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--out", help="JSON results")
    args = ap.parse_args(argv)

    work = Path(args.workdir or tempfile.mkdtemp(prefix="framelens-bench-reports-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.corpus:
            corpus = Path(args.corpus).resolve()
            info = {"path": str(corpus), "bytes_file": corpus.stat().st_size}
        else:
            corpus = work / f"corpus_{args.docs}_{args.seed}.jsonl"
            print(f"writing {args.docs:,} documents to {corpus} ...", file=sys.stderr, flush=True)
            info = corpusgen.write_jsonl(corpus, args.docs, seed=args.seed)
        env = dict(os.environ, FRAMELENS_CACHE_DIR=str(work / "cache"))
        exe = Path(sys.executable).with_name("framelens")
        cmd = [str(exe) if exe.exists() else "framelens", "run", "--workbook", args.workbook]
        cmd += ["--corpus", str(corpus), "--out", str(work / "reports"), "--jobs", "1"]
        cmd += ["--timeout", str(args.timeout), "--force"]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT))
        sampler = Sampler(proc.pid, args.interval)
        sampler.start()
        rc = proc.wait()
        sampler.stop.set()
        sampler.join()
        wall = time.perf_counter() - t0
        runner_kb, rows = classify(sampler)
        manifest = work / "reports" / "manifest.json"
        statuses = {}
        if manifest.exists():
            data = json.loads(manifest.read_text(encoding="utf-8"))
            for r in data.get("reports", []):
                statuses[r.get("name")] = (r.get("status"), r.get("runtime_s"))
        for r in rows:
            r["status"], r["runtime_s"] = statuses.get(r["report"], (None, None))
        result = {
            "corpus": {"docs": args.docs if not args.corpus else None, **info},
            "command": " ".join(cmd),
            "returncode": rc,
            "wall_s": round(wall, 1),
            "runner_peak_mb": round(runner_kb / 1024, 1),
            "reports": rows,
            "max_kernel_peak_mb": max((r["kernel_peak_mb"] for r in rows), default=None),
            "on_disk_cache_mb": round(
                sum(p.stat().st_size for p in (work / "cache").rglob("*") if p.is_file()) / 1e6, 1
            ),
            "load_average": os.getloadavg(),
        }
        print(f"{'report':<28} {'status':<8} {'kernel MB':>10} {'executor MB':>12} {'s':>8}")
        for r in rows:
            print(
                f"{r['report']:<28} {str(r['status']):<8} {r['kernel_peak_mb']:>10.1f} "
                f"{r['executor_peak_mb']:>12.1f} {r['runtime_s'] or 0:>8}"
            )
        runner_mb = result["runner_peak_mb"]
        print(f"runner (streamed analysis + planning): {runner_mb:.1f} MB; rc {rc}; {wall:.0f} s")
        if args.out:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
        return rc
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
