"""The ``framelens`` command: thin argument parsing over the package.

Every error a user can cause is a :class:`framelens.errors.FramelensError` (or one of
its room subclasses: ConfigError, CorpusError, LexiconError, TableError,
WorkbookError); the command prints its message, without a traceback, and exits with
status 2.

Subcommands
-----------
``framelens run``        render the reports of a workbook (papermill + nbconvert)
``framelens analyze``    analyse a corpus and save its tables (Parquet + manifest)
``framelens check``      validate a corpus and list its problems (exit 1 on errors)
``framelens evaluate``   validate a measure against a labelled dataset (``--json``)
``framelens train``      refit a learned model on annotated data (``attribution PATH``)
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from framelens import __version__
from framelens.errors import FramelensError

__all__ = ["main", "build_parser"]


def _add_load_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("reading the corpus")
    g.add_argument(
        "--format",
        help="input format when the extension does not tell (txt, csv, tsv, jsonl, parquet)",
    )
    g.add_argument("--text-col", default="text", help="column holding the text (default: text)")
    g.add_argument(
        "--id-col",
        help="column holding document ids (default: doc_id if present, else a hash of the text)",
    )
    g.add_argument("--metadata", help="sidecar metadata CSV for a folder of .txt files")
    g.add_argument(
        "--encoding", default="utf-8", help="text encoding of the files (default: utf-8)"
    )
    g.add_argument(
        "--default",
        action="append",
        metavar="COLUMN=VALUE",
        default=[],
        help="fill a missing metadata column, e.g. --default outlet=RT (repeatable)",
    )
    g.add_argument(
        "--ignore",
        action="append",
        metavar="GLOB",
        default=[],
        help="files of a .txt folder to skip without a warning (repeatable)",
    )
    g.add_argument(
        "--no-language-check", action="store_true", help="skip the probably-not-English check"
    )


def _load_options(args) -> dict:
    out = {"text_col": args.text_col}
    if args.format:
        out["format"] = args.format
    if args.id_col:
        out["id_col"] = args.id_col
    if args.metadata:
        out["metadata"] = args.metadata
    if args.encoding != "utf-8":
        out["encoding"] = args.encoding
    if args.default:
        pairs = [d.partition("=") for d in args.default]
        bad = [d for d, (_, eq, _) in zip(args.default, pairs) if not eq]
        if bad:
            raise FramelensError(f"--default takes COLUMN=VALUE, not {bad[0]!r}")
        out["defaults"] = {k: v for k, _, v in pairs}
    if args.ignore:
        out["ignore"] = list(args.ignore)
    if args.no_language_check:
        out["check_language"] = False
    return out


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``framelens`` command."""
    ap = argparse.ArgumentParser(
        prog="framelens",
        description="framelens: framing, neutrality language and geopolitical alignment "
        "in news, with evidence.",
    )
    ap.add_argument("--version", action="version", version=f"framelens {__version__}")
    ap.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log lines (-vv for debug)"
    )
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("run", help="render the reports of a workbook")
    r.add_argument(
        "--workbook", default="workbook.yaml", help="workbook file (default: workbook.yaml)"
    )
    r.add_argument("--corpus", help="corpus path overriding every job's corpus")
    r.add_argument("--out", default="reports", help="output folder (default: reports)")
    r.add_argument(
        "--jobs", type=int, default=1, help="notebooks executed in parallel (default: 1)"
    )
    r.add_argument("--only", action="append", help="run only this job (repeatable)")
    r.add_argument("--force", action="store_true", help="re-run jobs even when nothing changed")
    r.add_argument("--with-code", action="store_true", help="show code cells in the HTML reports")
    r.add_argument(
        "--timeout",
        type=int,
        default=600,
        help="seconds per notebook, plus 30 s to start its kernel and render (default: 600)",
    )

    a = sub.add_parser("analyze", help="analyse a corpus and save its tables")
    a.add_argument("path", help="corpus: folder of .txt, .csv, .tsv, .jsonl or .parquet")
    a.add_argument("--config", help="YAML configuration (see framelens.Config)")
    a.add_argument("--out", help="folder for the tables (default: the analysis cache)")
    a.add_argument("--no-sentiment", action="store_true", help="skip VADER sentiment (faster)")
    a.add_argument("--engine", choices=("local", "dask"), default="local")
    a.add_argument("--scheduler", help="Dask scheduler or distributed address (with --engine dask)")
    a.add_argument(
        "--no-cache", action="store_true", help="recompute even if a cached analysis exists"
    )
    _add_load_options(a)

    c = sub.add_parser("check", help="validate a corpus and list its problems")
    c.add_argument("path")
    _add_load_options(c)

    e = sub.add_parser("evaluate", help="validate a measure on a labelled dataset")
    e.add_argument(
        "task",
        help="dataset task, e.g. babe, semeval-frames, narrative-frames, "
        "semeval-techniques, ukraine-tone, newsmtsc ('list' lists them)",
    )
    e.add_argument("path", nargs="?", help="the dataset in its published layout")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.add_argument("--out", help="also write the JSON to this file")

    t = sub.add_parser("train", help="refit a learned model on annotated data")
    t.add_argument("model", choices=["attribution"], help="which model to refit")
    t.add_argument("path", help="BRAT standoff data in PolNeAR's layout (text/, attributions/)")
    t.add_argument("--out", default="attribution_model.crfsuite", help="weights file to write")
    return ap


def _cmd_run(args) -> int:
    from framelens import runner

    result = runner.run(
        args.workbook,
        corpus=args.corpus,
        out=args.out,
        jobs=args.jobs,
        only=args.only,
        force=args.force,
        with_code=args.with_code,
        timeout=args.timeout,
        progress=True,
    )
    print(result.summary())
    return 0 if result.ok else 1


def _cmd_analyze(args) -> int:
    from framelens.corpus import load_corpus
    from framelens.pipeline import Analysis, Config, analyze, default_cache_dir

    config = Config.from_file(args.config) if args.config else Config()
    if args.no_sentiment:
        config = Config.from_dict({**config.to_dict(), "sentiment": False})
    corpus = load_corpus(args.path, **_load_options(args))
    an = analyze(
        corpus,
        config,
        use_cache=not args.no_cache,
        engine=args.engine,
        scheduler=args.scheduler,
        progress=True,
    )
    where = default_cache_dir() / an.manifest.get("key", "")
    if args.out:
        where = Analysis.save(an, args.out)
    print(f"analysed {len(an.docs)} documents; tables in {where}:")
    for name, df in an.tables.items():
        print(f"  {name:<24} {len(df):>9,} rows")
    n_err = int((an.problems["severity"].astype(str) == "error").sum()) if len(an.problems) else 0
    if n_err:
        print(f"{n_err} input error(s): run `framelens check {args.path}` for details")
    return 0


def _cmd_check(args) -> int:
    from framelens.corpus import has_errors, load_corpus, problems_report

    corpus = load_corpus(args.path, **_load_options(args))
    print(problems_report(corpus.problems) if len(corpus.problems) else "no problems found")
    print(corpus.summary())
    return 1 if has_errors(corpus.problems) else 0


def _cmd_evaluate(args) -> int:
    from framelens.evaluation import evaluate, tasks

    if args.task == "list":
        print("\n".join(tasks()))
        return 0
    if not args.path:
        print("framelens evaluate: give the dataset path after the task name", file=sys.stderr)
        return 2
    result = evaluate(args.task, args.path)
    text = json.dumps(result, indent=None if args.json else 2, sort_keys=True, default=float)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2, sort_keys=True, default=float))
    print(text)
    return 0


def _cmd_train(args) -> int:
    from framelens.evaluation.polnear import train_attribution

    card = train_attribution(args.path, out=args.out)
    print(
        f"fitted on {card['n_documents']} documents ({card['n_tokens']} tokens) -> {args.out}; "
        f"use text.process(docs, attribution='model', model={args.out!r})"
    )
    return 0


_COMMANDS = {
    "run": _cmd_run,
    "analyze": _cmd_analyze,
    "check": _cmd_check,
    "evaluate": _cmd_evaluate,
    "train": _cmd_train,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``framelens`` console script."""
    args = build_parser().parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    if args.command in ("run", "analyze"):
        level = min(level, logging.INFO)
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S"
    )
    try:
        return _COMMANDS[args.command](args)
    except FramelensError as exc:  # bad input or options: the message says what to fix
        return _error(args.command, exc)
    except (FileNotFoundError, ValueError, KeyError, RuntimeError) as exc:
        # errors of libraries framelens calls (a missing file, a bad value) get the same
        # treatment: a message, no traceback
        return _error(args.command, exc.args[0] if isinstance(exc, KeyError) and exc.args else exc)


def _error(command: str, msg: object) -> int:
    """Print ``framelens COMMAND: error: MSG`` on stderr; exit status 2."""
    print(f"framelens {command}: error: {msg}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
