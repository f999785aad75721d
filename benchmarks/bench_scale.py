"""Scaling benchmark: ``framelens.analyze`` on 10k / 100k (/ 1M) generated documents.

For each size the corpus is written as JSONL by ``corpusgen.py`` (seeded; document ``i``
is the same at every size) and then, each in a fresh child process so that peak RSS is
the run's own:

1. ``framelens.analyze(path, config, use_cache=False)``: CPU seconds (user + system of
   the child, all threads), wall seconds, peak RSS, documents/s and MB/s, after a
   warm-up on the first 5 documents whose CPU time (imports, gazetteer, models: the
   per-process cost) is recorded apart as ``setup_cpu_s``;
2. the baseline, NLTK ``PunktSentenceTokenizer()`` (untrained, no downloads) plus
   ``TreebankWordTokenizer().tokenize`` per sentence over the same texts (the first
   ``--baseline-mb`` MB of them when given), in CPU seconds;

and ``ratio`` = analyze MB/s / baseline MB/s (CPU) of the same run. Configurations:
``default`` (``Config()``), ``nosent`` (``Config(sentiment=False)``) and ``fast``
(``Config(sentiment=False)`` with the alignment option ``mention_tone=False``: no
sentence sentiment, no target tone).

Usage::

    .venv/bin/python benchmarks/bench_scale.py                      # 10k and 100k documents
    .venv/bin/python benchmarks/bench_scale.py --sizes 2000 --configs default,fast
    .venv/bin/python benchmarks/bench_scale.py --mb 2 --configs default   # a 2 MB corpus
    .venv/bin/python benchmarks/bench_scale.py --sizes 1000000 --baseline-mb 50  # 1M: by hand

Local streamed engine vs Dask (``--dask N``): ``framelens.pipeline.analyze_to`` into a
temporary folder, once with the local engine and once with ``engine="dask",
workers=N`` (a LocalCluster of N processes, one thread each, started inside the timing),
each in a fresh child process; wall seconds, the ratio local / Dask, the driver's peak
RSS, each worker's peak RSS and CPU seconds, and the tables' row counts (equal)::

    .venv/bin/python benchmarks/bench_scale.py --mb 20 --dask 2 --configs default

Streamed runs at each size (``--streamed``: ``analyze_to`` into a temporary folder,
batch by batch, instead of ``analyze``; ``--workers N``: on a LocalCluster of N
workers). ``peak_rss_mb`` is then the driver's, ``workers_peak_rss_mb`` each worker's
(asked of the workers after the run), ``cpu_s`` the driver's plus the workers' CPU::

    .venv/bin/python benchmarks/bench_scale.py --streamed --sizes 10000,100000 --configs default
    .venv/bin/python benchmarks/bench_scale.py --streamed --workers 2 --sizes 1000000 \\
        --configs default --baseline-mb 50

The 1M run is a benchmark option only (hours on 2 cores), never a test. ``--save``
also saves each analysis (outside the timing) and records its size on disk.

Identical tables before / after a change (exact ``assert_frame_equal``; old code from
a worktree of the earlier commit, on ``PYTHONPATH``)::

    PYTHONPATH=/tmp/fl-before/lib .venv/bin/python benchmarks/bench_scale.py \\
        dump --mb 2 --out /tmp/tables-before
    .venv/bin/python benchmarks/bench_scale.py dump --mb 2 --out /tmp/tables-after
    .venv/bin/python benchmarks/bench_scale.py compare /tmp/tables-before /tmp/tables-after

Results: a table on stdout and ``benchmarks/out/scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpusgen  # noqa: E402

OUT = HERE / "out" / "scale.json"
CONFIGS = ("default", "nosent", "fast")


def make_config(name: str):
    from framelens import Config

    if name == "default":
        return Config()
    if name == "nosent":
        return Config(sentiment=False)
    if name == "fast":
        return Config(sentiment=False, options={"alignment": {"mention_tone": False}})
    raise SystemExit(f"unknown configuration {name!r}; choose from {', '.join(CONFIGS)}")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _peak_rss_mb() -> float:
    """This process's peak resident set (MB).

    Linux keeps ``ru_maxrss`` across ``execve``, so a child started by this benchmark
    would report the parent's peak (the generated corpus) as its own; ``VmHWM`` of
    /proc/self/status belongs to the process's own address space and starts anew.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def child_analyze(jsonl: str, config: str, save: bool) -> dict:
    """One analyze run over a JSONL file (in this process), after a warm-up on its first
    5 documents (imports, gazetteer, VADER and models loaded: ``setup_cpu_s``, reported
    apart; the per-process cost, not the throughput)."""
    import pandas as pd

    import framelens

    c = _cpu()
    head = pd.read_json(jsonl, lines=True, nrows=5, dtype={"doc_id": str, "date": str})
    framelens.analyze(head, make_config(config), use_cache=False, progress=False)
    setup = _cpu() - c
    rss0 = _peak_rss_mb()
    w, c = time.perf_counter(), _cpu()
    an = framelens.analyze(jsonl, make_config(config), use_cache=False, progress=False)
    cpu, wall = _cpu() - c, time.perf_counter() - w
    out = {
        "setup_cpu_s": round(setup, 3),
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_before_mb": round(rss0, 1),
        "rows": {k: int(len(v)) for k, v in an.tables.items()},
    }
    if save:
        with tempfile.TemporaryDirectory() as d:
            an.save(Path(d) / "an")
            out["on_disk_mb"] = round(_dir_size(Path(d)) / 1e6, 2)
    return out


def _worker_usage() -> dict:
    """This process's peak RSS (MB) and CPU seconds (run in each Dask worker)."""
    return {"peak_rss_mb": round(_peak_rss_mb(), 1), "cpu_s": round(_cpu(), 3)}


def child_streamed(jsonl: str, config: str, workers: int) -> dict:
    """One ``analyze_to`` run (local engine when ``workers`` is 0, else a LocalCluster of
    ``workers`` processes, one thread each, started inside the timing) into a temporary
    folder: wall time, the driver's CPU time and peak RSS, and with workers each
    worker's peak RSS and CPU time (asked of the workers after the run)."""
    from framelens.pipeline import analyze_to

    rss0 = _peak_rss_mb()
    cluster = client = None
    with tempfile.TemporaryDirectory() as d:
        w, c = time.perf_counter(), _cpu()
        opts: dict = {}
        if workers:
            from distributed import Client, LocalCluster

            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
            opts = {"engine": "dask", "scheduler": cluster.scheduler_address}
        startup = time.perf_counter() - w
        an = analyze_to(Path(d) / "an", jsonl, make_config(config), progress=False, **opts)
        wall, cpu = time.perf_counter() - w, _cpu() - c
        rows = dict(an.manifest["tables"])
        disk = _dir_size(Path(d) / "an")
    out = {
        "wall_s": round(wall, 3),
        "driver_cpu_s": round(cpu, 3),
        "driver_peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_before_mb": round(rss0, 1),
        "on_disk_mb": round(disk / 1e6, 2),
        "engine": an.manifest["engine"],
        "rows": rows,
    }
    if client is not None:
        usage = list(client.run(_worker_usage).values())
        out.update(
            cluster_startup_s=round(startup, 3),
            workers_peak_rss_mb=[u["peak_rss_mb"] for u in usage],
            workers_cpu_s=[u["cpu_s"] for u in usage],
        )
        client.close()
        cluster.close()
    return out


def bench_dask(args) -> dict:
    """Local streamed engine vs a Dask LocalCluster of ``args.dask`` workers, one run."""
    sizes = [f"{args.mb:g}mb"] if args.mb else [s.strip() for s in args.sizes.split(",")]
    res = {
        "command": "benchmarks/bench_scale.py " + " ".join(sys.argv[1:]),
        "cores": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "dask_runs": [],
    }
    for size in sizes:
        path, info = write_corpus(size, args.seed, Path(args.corpus_dir))
        for name in args.configs.split(","):
            local = _spawn("streamed", str(path), name, "0")
            dask_ = _spawn("streamed", str(path), name, str(args.dask))
            run = {
                "size": size,
                "n_docs": info["n_docs"],
                "mb": round(info["bytes_text"] / 1e6, 3),
                "file_mb": round(path.stat().st_size / 1e6, 3),
                "config": name,
                "local": local,
                "dask": dask_,
                "workers": args.dask,
                "ratio": round(local["wall_s"] / dask_["wall_s"], 3),
                "same_rows": local["rows"] == dask_["rows"],
            }
            res["dask_runs"].append(run)
            print(
                f"{size} {name}: local {local['wall_s']:.1f} s, dask({args.dask}) "
                f"{dask_['wall_s']:.1f} s: {run['ratio']:.2f}x; driver peak RSS "
                f"{local['driver_peak_rss_mb']:.0f} / {dask_['driver_peak_rss_mb']:.0f} MB",
                file=sys.stderr,
            )
        if not args.keep_corpus:
            path.unlink()
    res["load_average_at_end"] = os.getloadavg()
    return res


def child_nltk(jsonl: str, baseline_mb: float | None) -> dict:
    """NLTK Punkt + Treebank over the texts of a JSONL file (the first MB when capped)."""
    from nltk.tokenize import TreebankWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    texts, size = [], 0
    cap = int(baseline_mb * 1e6) if baseline_mb else None
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)["text"]
            texts.append(t)
            size += len(t.encode("utf-8"))
            if cap and size >= cap:
                break
    punkt, tb = PunktSentenceTokenizer(), TreebankWordTokenizer()
    w, c = time.perf_counter(), _cpu()
    n_sent = n_tok = 0
    for t in texts:
        for s in punkt.tokenize(t):
            n_sent += 1
            n_tok += len(tb.tokenize(s))
    cpu, wall = _cpu() - c, time.perf_counter() - w
    return {
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "mb": round(size / 1e6, 3),
        "n_docs": len(texts),
        "n_sentences": n_sent,
        "n_tokens": n_tok,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def _spawn(*args: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "_child", *args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:  # say why the child failed, not only that it did
        sys.stderr.write(r.stderr[-4000:])
        raise SystemExit(f"benchmark child {' '.join(args)} failed with exit code {r.returncode}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def write_corpus(size: str, seed: int, folder: Path) -> tuple[Path, dict]:
    """``size`` is a document count ("10000") or megabytes ("2mb")."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"corpus_{size}_{seed}.jsonl"
    if size.endswith("mb"):
        docs = corpusgen.docs_of_mb(float(size[:-2]), seed=seed)
        with path.open("w", encoding="utf-8") as f:
            for rec in docs.to_dict("records"):
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        info = {"n_docs": len(docs), "bytes_text": sum(len(t.encode()) for t in docs["text"])}
    else:
        info = corpusgen.write_jsonl(path, int(size), seed=seed)
    return path, info


def bench(args) -> dict:
    import framelens

    sizes = [f"{args.mb:g}mb"] if args.mb else [s.strip() for s in args.sizes.split(",")]
    res = {
        "framelens": framelens.__version__,
        "framelens_path": str(Path(framelens.__file__).parent),
        "command": "benchmarks/bench_scale.py " + " ".join(sys.argv[1:]),
        "cores": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "seed": args.seed,
        "runs": [],
    }
    folder = Path(args.corpus_dir)
    for size in sizes:
        path, info = write_corpus(size, args.seed, folder)
        mb = info["bytes_text"] / 1e6
        base = _spawn("nltk", str(path), str(args.baseline_mb or 0))
        base_mbs = base["mb"] / base["cpu_s"]
        for name in args.configs.split(","):
            if args.streamed:
                a = _spawn("streamed", str(path), name, str(args.workers))
                a["peak_rss_mb"] = a["driver_peak_rss_mb"]
                a["cpu_s"] = round(a["driver_cpu_s"] + sum(a.get("workers_cpu_s", [])), 3)
            else:
                a = _spawn("analyze", str(path), name, "1" if args.save else "0")
            run = {
                "size": size,
                "n_docs": info["n_docs"],
                "mb": round(mb, 3),
                "config": name,
                **{k: v for k, v in a.items() if k != "rows"},
                "docs_per_s": round(info["n_docs"] / a["cpu_s"], 1),
                "mb_per_s": round(mb / a["cpu_s"], 3),
                "mb_per_s_wall": round(mb / a["wall_s"], 3),
                "rss_per_input": round(a["peak_rss_mb"] / mb, 2),
                "nltk": base,
                "nltk_mb_per_s": round(base_mbs, 3),
                "ratio_to_nltk": round(mb / a["cpu_s"] / base_mbs, 3),
                "rows": a["rows"],
            }
            res["runs"].append(run)
            print(
                f"{size} {name}: {run['mb_per_s']:.3f} MB/s, {run['ratio_to_nltk']:.2f}x NLTK",
                file=sys.stderr,
            )
        if not args.keep_corpus:
            path.unlink()
    res["load_average_at_end"] = os.getloadavg()
    return res


def print_table(res: dict) -> None:
    cols = (
        ("size", "size", "s"),
        ("config", "config", "s"),
        ("docs", "n_docs", "d"),
        ("MB", "mb", ".2f"),
        ("CPU s", "cpu_s", ".1f"),
        ("wall s", "wall_s", ".1f"),
        ("peak RSS MB", "peak_rss_mb", ".0f"),
        ("docs/s", "docs_per_s", ".1f"),
        ("MB/s", "mb_per_s", ".3f"),
        ("NLTK MB/s", "nltk_mb_per_s", ".3f"),
        ("vs NLTK", "ratio_to_nltk", ".2f"),
    )
    print(" | ".join(c[0] for c in cols))
    for r in res["runs"]:
        print(" | ".join(format(r[k], f) for _, k, f in cols))


def dump(args) -> int:
    """Analyse a generated corpus in this process and pickle every table (for compare)."""
    import framelens

    docs = corpusgen.docs_of_mb(args.dump_mb, seed=args.seed)
    out = Path(args.dump_out)
    out.mkdir(parents=True, exist_ok=True)
    for name in args.dump_configs.split(","):
        an = framelens.analyze(docs, make_config(name), use_cache=False, progress=False)
        for t, df in an.tables.items():
            df.to_pickle(out / f"{name}__{t}.pkl")
        print(f"{name}: {len(an.tables)} tables -> {out} ({framelens.__file__})")
    return 0


def compare(args) -> int:
    """Exact ``assert_frame_equal`` of every table pickled by two ``dump`` runs."""
    import pandas as pd

    a, b = Path(args.a), Path(args.b)
    names_a = sorted(p.name for p in a.glob("*.pkl"))
    names_b = sorted(p.name for p in b.glob("*.pkl"))
    if names_a != names_b:
        print(f"different tables: {sorted(set(names_a) ^ set(names_b))}")
        return 1
    bad = 0
    for n in names_a:
        x, y = pd.read_pickle(a / n), pd.read_pickle(b / n)
        try:
            pd.testing.assert_frame_equal(x, y, check_exact=True)
            print(f"identical  {n[:-4]:<40} {len(x):>9} rows")
        except AssertionError as e:
            bad += 1
            print(f"DIFFERENT  {n[:-4]:<40} {e}".splitlines()[0])
    print(f"{len(names_a) - bad} of {len(names_a)} tables identical")
    return 1 if bad else 0


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_child"]:
        kind, *rest = argv[1:]
        if kind == "nltk":
            r = child_nltk(rest[0], float(rest[1]) or None)
        elif kind == "streamed":
            r = child_streamed(rest[0], rest[1], int(rest[2]))
        else:
            r = child_analyze(rest[0], rest[1], rest[2] == "1")
        print(json.dumps(r))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=corpusgen.SEED)
    ap.add_argument("--configs", default="default,fast", help="default, nosent, fast")
    sub = ap.add_subparsers(dest="cmd")
    d = sub.add_parser("dump", help="pickle every table of one analysis per configuration")
    d.add_argument("--mb", type=float, default=2.0, dest="dump_mb")
    d.add_argument("--configs", default="default,nosent,fast", dest="dump_configs")
    d.add_argument("--out", required=True, dest="dump_out")
    c = sub.add_parser("compare", help="exact comparison of two dump folders")
    c.add_argument("a")
    c.add_argument("b")
    ap.add_argument("--sizes", default="10000,100000", help="document counts, comma-separated")
    ap.add_argument("--mb", type=float, default=0.0, help="one corpus of this many MB instead")
    ap.add_argument("--baseline-mb", type=float, default=0.0, help="cap the NLTK text (MB)")
    ap.add_argument("--save", action="store_true", help="record each analysis' size on disk")
    ap.add_argument("--keep-corpus", action="store_true", help="keep the JSONL files")
    ap.add_argument("--corpus-dir", default=str(HERE / "out"))
    ap.add_argument("--out", default=str(OUT), help="JSON results")
    ap.add_argument(
        "--dask", type=int, default=0, metavar="N", help="local streamed vs N Dask workers"
    )
    ap.add_argument(
        "--streamed", action="store_true", help="analyze_to (batches to disk), not analyze"
    )
    ap.add_argument(
        "--workers", type=int, default=0, metavar="N", help="with --streamed: N Dask workers"
    )
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        return dump(args)
    if args.cmd == "compare":
        return compare(args)
    if args.workers and not args.streamed:
        raise SystemExit("--workers N applies to --streamed runs")
    if args.dask:
        res = bench_dask(args)
        out = Path(args.out).with_name("scale_dask.json") if args.out == str(OUT) else args.out
        Path(out).write_text(json.dumps(res, indent=2))
        print(json.dumps(res["dask_runs"], indent=1))
        return 0
    res = bench(args)
    print_table(res)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2))
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
