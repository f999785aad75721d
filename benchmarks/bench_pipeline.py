"""End-to-end benchmark of ``framelens.analyze``: MB/s, CPU seconds per step, peak RSS.

Builds the deterministic news-like corpus of ``bench_foundation.build_corpus`` (seeded,
word lists written there; imported, not copied) of ``--mb`` megabytes and runs
``framelens.analyze(docs, config, use_cache=False)`` for each configuration:

* ``default``       - ``Config()`` (VADER sentence sentiment on, all steps);
* ``sentiment_off`` - ``Config(sentiment=False)``;
* ``tone_off``      - ``Config(sentiment=False, options={"alignment": {"mention_tone": False}})``
  (no target tone; skipped when the alignment step has no ``tone`` option).

Every step of the batch function is timed in CPU seconds (``time.process_time``) by
wrapping the functions ``analyze_batch`` calls, for the duration of the run only:
``text.process``, ``lexicon.match``, ``sentiment.sentence_sentiment`` and the step
functions of ``pipeline.STEPS`` (actors, framing, neutrality, alignment). Calls of
wrapped functions inside a step are booked as ``step/function`` and stay part of the
step: ``alignment/events``, ``alignment/tone`` (the target-tone model),
``framing/lexicon.match`` (titles). The remainder (concatenation, manifest, matcher
compile) is reported as ``other``. The
text layer alone (``text.process``) gives the reference speed: ``ratio`` is the
end-to-end MB/s divided by the text layer's MB/s in the same run.

Usage::

    .venv/bin/python benchmarks/bench_pipeline.py            # 4 MB corpus
    .venv/bin/python benchmarks/bench_pipeline.py --mb 1 --configs default

Steady state (``--steady``): the corpus of ``corpusgen.docs_of_mb`` (the scaling
benchmark's text), the lexicon matcher compiled once, a warm-up ``analyze_batch`` on
the first 20 documents (imports, gazetteer, models, first-call costs), then
``analyze_batch`` over batches of ``--batch`` documents (default 200, ``Config``'s
batch size, as ``analyze`` runs them; ``--batch 0``: one batch of the whole corpus),
timed per step as above; ``--profile FILE`` writes a cProfile of the timed part
instead of timing the steps. ``fast`` is ``tone_off`` (no sentence sentiment, no target
tone)::

    .venv/bin/python benchmarks/bench_pipeline.py --steady --mb 2 --configs default,tone_off
    .venv/bin/python benchmarks/bench_pipeline.py --steady --mb 2 --configs default \
        --profile /tmp/analyze.prof

Results: a table on stdout and ``benchmarks/out/pipeline.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_foundation import build_corpus, machine_info, maxrss_mb  # noqa: E402

OUT = HERE / "out" / "pipeline.json"
STEP_ORDER = (
    "text.process",
    "lexicon.match",
    "actors",
    "sentiment",
    "framing",
    "neutrality",
    "alignment",
    "alignment/events",
    "alignment/tone",
)


@contextmanager
def step_timers(acc: dict[str, float]):
    """Wrap the functions ``analyze_batch`` calls so that each adds its CPU seconds to
    ``acc``; the originals are restored on exit. The registered steps are timed through
    ``pipeline.engine.run_step`` (booked under the step's name). A wrapped function
    called inside another (framing matches titles with ``lexicon.match``; alignment's
    events and tone) is booked as ``outer/inner`` and is part of the outer step's time."""
    from framelens import lexicon, sentiment, text
    from framelens.measures.alignment import steps as alignment_steps
    from framelens.pipeline import engine

    patches = [
        (text, "process", lambda a: "text.process"),
        (lexicon, "match", lambda a: "lexicon.match"),
        (sentiment, "sentence_sentiment", lambda a: "sentiment"),
        (alignment_steps, "events", lambda a: "events"),
        (alignment_steps, "tone", lambda a: "tone"),
        (engine, "run_step", lambda a: a[0]),  # run_step(name, tables, config)
    ]
    saved = []
    stack: list[str] = []

    def wrap(fn, label_of):
        def inner(*a, **k):
            label = label_of(a)
            key = f"{stack[0]}/{label}" if stack else label
            stack.append(label)
            t = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                stack.pop()
                acc[key] = acc.get(key, 0.0) + time.process_time() - t

        inner.__wrapped__ = fn
        return inner

    for mod, attr, label_of in patches:
        orig = getattr(mod, attr)
        saved.append((mod, attr, orig))
        setattr(mod, attr, wrap(orig, label_of))
    try:
        yield acc
    finally:
        for mod, attr, orig in reversed(saved):
            setattr(mod, attr, orig)


def configs(names):
    from framelens import Config

    all_ = {
        "default": Config(),
        "sentiment_off": Config(sentiment=False),
        # the alignment step's tone toward actors off (its option mention_tone)
        "tone_off": Config(sentiment=False, options={"alignment": {"mention_tone": False}}),
    }
    return {n: all_[n] for n in names if n in all_}


def run(docs, config, mb: float) -> dict:
    import framelens

    acc: dict[str, float] = {}
    gc.collect()
    rss0 = maxrss_mb()
    w = time.perf_counter()
    with step_timers(acc):
        t = time.process_time()
        an = framelens.analyze(docs, config, use_cache=False, progress=False)
        cpu = time.process_time() - t
    wall = time.perf_counter() - w
    inner = sum(v for k, v in acc.items() if "/" not in k)
    steps = {k: round(acc[k], 3) for k in STEP_ORDER if k in acc}
    steps.update({k: round(v, 3) for k, v in sorted(acc.items()) if k not in steps})
    steps["other"] = round(cpu - inner, 3)
    text_s = acc.get("text.process", float("nan"))
    return {
        "config": config.to_dict(),
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "mb_per_s": round(mb / cpu, 3),
        "text_mb_per_s": round(mb / text_s, 3),
        "ratio_to_text": round(text_s / cpu, 3),
        "steps_cpu_s": steps,
        "steps_mb_per_s": {k: round(mb / v, 2) for k, v in steps.items() if v > 0},
        "rows": {k: int(len(v)) for k, v in an.tables.items()},
        "max_rss_mb_before": round(rss0, 1),
        "max_rss_mb_after": round(maxrss_mb(), 1),
    }


def run_steady(docs, config, mb: float, batch: int, profile: str | None = None) -> dict:
    """Steady-state ``analyze_batch`` per step (see the module docstring)."""
    from framelens import lexicon
    from framelens.pipeline import engine

    matcher = lexicon.compiled([lexicon.load(n) for n in config.lexicons])
    engine.analyze_batch(docs.iloc[:20], config, matcher)  # warm-up
    size = batch or len(docs)
    batches = [docs.iloc[i : i + size] for i in range(0, len(docs), size)]
    acc: dict[str, float] = {}
    gc.collect()
    if profile:
        import cProfile

        pr = cProfile.Profile()
        t = time.process_time()
        pr.enable()
        for b in batches:
            engine.analyze_batch(b, config, matcher)
        pr.disable()
        cpu = time.process_time() - t
        pr.dump_stats(profile)
        return {"cpu_s": round(cpu, 3), "profile": profile, "n_batches": len(batches)}
    with step_timers(acc):
        t = time.process_time()
        for b in batches:
            engine.analyze_batch(b, config, matcher)
        cpu = time.process_time() - t
    inner = sum(v for k, v in acc.items() if "/" not in k)
    steps = {k: round(acc[k], 3) for k in STEP_ORDER if k in acc}
    steps.update({k: round(v, 3) for k, v in sorted(acc.items()) if k not in steps})
    steps["other"] = round(cpu - inner, 3)
    text_s = acc.get("text.process", float("nan"))
    return {
        "config": config.to_dict(),
        "n_batches": len(batches),
        "cpu_s": round(cpu, 3),
        "wall_s": float("nan"),
        "mb_per_s": round(mb / cpu, 3),
        "text_mb_per_s": round(mb / text_s, 3),
        "ratio_to_text": round(text_s / cpu, 3),
        "steps_cpu_s": steps,
        "max_rss_mb_after": round(maxrss_mb(), 1),
    }


def print_table(res: dict) -> None:
    runs = res["runs"]
    names = list(runs)
    print(
        f"corpus: {res['corpus']['mb']:.2f} MB, {res['corpus']['n_docs']} docs "
        f"({res['corpus'].get('source', 'bench_foundation.build_corpus')}, "
        f"seed {res['corpus']['seed']})"
    )
    print(f"{'step (CPU s)':<20}" + "".join(f"{n:>16}" for n in names))
    keys = [k for k in (*STEP_ORDER, "other") if any(k in r["steps_cpu_s"] for r in runs.values())]
    keys += sorted({k for r in runs.values() for k in r["steps_cpu_s"] if k not in keys})
    for k in keys:
        print(
            f"{k:<20}"
            + "".join(f"{runs[n]['steps_cpu_s'].get(k, float('nan')):>16.2f}" for n in names)
        )
    for label, key, fmt in (
        ("total CPU s", "cpu_s", ".2f"),
        ("wall s", "wall_s", ".2f"),
        ("MB/s (CPU)", "mb_per_s", ".3f"),
        ("text layer MB/s", "text_mb_per_s", ".3f"),
        ("end-to-end / text", "ratio_to_text", ".3f"),
        ("max RSS MB", "max_rss_mb_after", ".0f"),
    ):
        print(f"{label:<20}" + "".join(f"{runs[n][key]:>16{fmt}}" for n in names))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=4.0, help="corpus size in MB (default 4)")
    ap.add_argument(
        "--configs",
        default="default,sentiment_off,tone_off",
        help="comma-separated: default, sentiment_off, tone_off",
    )
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--steady", action="store_true", help="steady-state analyze_batch per step")
    ap.add_argument("--batch", type=int, default=200, help="--steady: documents per batch")
    ap.add_argument("--profile", default=None, help="--steady: write a cProfile here")
    args = ap.parse_args(argv)
    import framelens
    from bench_foundation import SEED
    from framelens import actors

    if args.steady:
        return main_steady(args, argv)
    docs = build_corpus(args.mb)
    mb = docs["text"].str.encode("utf-8").str.len().sum() / 1e6
    _ = actors.load_gazetteer().automaton  # compiled once per process; not part of any run
    framelens.analyze(docs.iloc[:5], framelens.Config(), use_cache=False, progress=False)  # warm-up
    res = {
        "machine": machine_info(),
        "framelens": framelens.__version__,
        "corpus": {"mb": round(mb, 3), "n_docs": int(len(docs)), "seed": SEED},
        "command": "benchmarks/bench_pipeline.py " + " ".join(argv or sys.argv[1:]),
        "runs": {},
    }
    for name, cfg in configs(args.configs.split(",")).items():
        res["runs"][name] = run(docs, cfg, mb)
        print(f"{name}: {res['runs'][name]['mb_per_s']:.3f} MB/s", file=sys.stderr)
    res["max_rss_mb"] = round(maxrss_mb(), 1)
    print_table(res)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2))
    print(f"max RSS of the whole run: {res['max_rss_mb']:.0f} MB; JSON: {out}")
    return 0


def main_steady(args, argv) -> int:
    import corpusgen
    import framelens

    docs = corpusgen.docs_of_mb(args.mb)
    mb = docs["text"].str.encode("utf-8").str.len().sum() / 1e6
    res = {
        "machine": machine_info(),
        "framelens": framelens.__version__,
        "corpus": {
            "mb": round(mb, 3),
            "n_docs": int(len(docs)),
            "seed": corpusgen.SEED,
            "source": "corpusgen.docs_of_mb",
        },
        "command": "benchmarks/bench_pipeline.py " + " ".join(argv or sys.argv[1:]),
        "runs": {},
    }
    for name, cfg in configs(args.configs.split(",")).items():
        res["runs"][name] = run_steady(docs, cfg, mb, args.batch, args.profile)
        print(f"{name}: {res['runs'][name]['cpu_s']:.3f} CPU s", file=sys.stderr)
    if args.profile:
        print(json.dumps(res["runs"], indent=2))
        return 0
    res["max_rss_mb"] = round(maxrss_mb(), 1)
    print(f"steady state, batches of {args.batch or 'all'} documents (corpusgen)")
    print_table(res)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
