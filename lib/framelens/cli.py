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
``framelens code``       coding sheets: ``code export`` a sample, ``code import`` filled sheets
``framelens train``      fit a supervised model on a labelled dataset, or refit the
                         attribution model on BRAT data (``train attribution PATH``)
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from framelens import __version__
from framelens.errors import FramelensError

__all__ = ["main", "build_parser", "check_scheduler", "LOCAL_SCHEDULERS", "COLUMN_OPTIONS"]

#: Metadata columns whose name the reading options may give (``--outlet-col Source``).
COLUMN_OPTIONS = ("title_col", "outlet_col", "date_col")


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
    for name in COLUMN_OPTIONS:
        col = name.removesuffix("_col")
        g.add_argument(f"--{col}-col", help=f"column holding the {col} (default: {col})")
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
    g.add_argument(
        "--title-line",
        action="store_true",
        help="a folder of .txt files whose first line is the title",
    )


def _load_options(args) -> dict:
    out = {"text_col": args.text_col}
    if args.title_line:
        out["title_line"] = True
    if args.format:
        out["format"] = args.format
    if args.id_col:
        out["id_col"] = args.id_col
    out.update({k: v for k in COLUMN_OPTIONS if (v := getattr(args, k))})
    if args.metadata:
        out["metadata"] = args.metadata
    if args.encoding != "utf-8":
        out["encoding"] = args.encoding
    if args.default:  # as framelens run reads it: the name stripped, never blank
        from framelens.runner.options import parse_assignments

        out["defaults"] = parse_assignments(args.default, flag="--default")
    if args.ignore:
        out["ignore"] = list(args.ignore)
    if args.no_language_check:
        out["check_language"] = False
    return out


def _add_run_parser(sub) -> None:
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
    r.add_argument(
        "-p",
        "--parameter",
        action="append",
        metavar="NAME=VALUE",
        default=[],
        help="set a notebook parameter in every job whose notebook declares it, e.g. "
        "-p focal=HUN or -p doc_id=ID (repeatable; checked like workbook parameters)",
    )
    r.add_argument(
        "--default",
        action="append",
        metavar="COLUMN=VALUE",
        default=[],
        help="fill a missing docs column of the corpus, e.g. --default outlet=RT (repeatable)",
    )
    r.add_argument(
        "--metadata",
        metavar="FILE",
        help="CSV with a doc_id column: its other columns are joined to the documents",
    )
    r.add_argument(
        "--title-line",
        action="store_true",
        help="a folder of .txt files whose first line is the title (e.g. SemEval articles)",
    )
    r.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an index.html, manifest.json or report page in --out that an earlier "
        "framelens run did not write (other files are kept)",
    )
    for col in ("text", "id", "title", "outlet", "date"):
        r.add_argument(f"--{col}-col", help=f"column of --corpus holding the {col}")
    r.add_argument("--format", help="format of --corpus when the extension does not tell")
    r.add_argument("--encoding", help="text encoding of --corpus (default: utf-8)")


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

    _add_run_parser(sub)

    a = sub.add_parser("analyze", help="analyse a corpus and save its tables")
    a.add_argument("path", help="corpus: folder of .txt, .csv, .tsv, .jsonl or .parquet")
    a.add_argument("--config", help="YAML configuration (see framelens.Config)")
    a.add_argument("--out", help="folder for the tables (default: the analysis cache)")
    a.add_argument(
        "--overwrite",
        action="store_true",
        help="write into a non-empty --out folder that is not a framelens analysis "
        "(its other files are kept)",
    )
    a.add_argument("--no-sentiment", action="store_true", help="skip VADER sentiment (faster)")
    a.add_argument("--engine", choices=("local", "dask"), default="local")
    a.add_argument("--scheduler", help="Dask scheduler or distributed address (with --engine dask)")
    a.add_argument(
        "--workers",
        type=int,
        help="start a Dask LocalCluster of N worker processes (implies --engine dask; with --out)",
    )
    a.add_argument(
        "--no-cache", action="store_true", help="recompute even if a cached analysis exists"
    )
    _add_load_options(a)

    c = sub.add_parser(
        "check", help="validate a corpus, list its problems and what the reports will miss"
    )
    c.add_argument("path")
    c.add_argument("--config", help="analysis configuration (its alignment focal actor is checked)")
    c.add_argument("--focal", help="focal actor code to look for (e.g. SRB; overrides --config)")
    c.add_argument(
        "--group-col", default="outlet", help="column the reports compare (default: outlet)"
    )
    _add_load_options(c)

    e = sub.add_parser("evaluate", help="validate a measure on a labelled dataset")
    e.add_argument(
        "task",
        help="dataset task, e.g. babe, semeval-frames, narrative-frames, "
        "semeval-techniques, ukraine-tone, newsmtsc ('list' lists them)",
    )
    e.add_argument("path", nargs="?", help="the dataset in its published layout")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.add_argument(
        "--train",
        metavar="DEV_PATH",
        help="train the supervised model on DEV_PATH (ukraine-tone: a NewsMTSC JSONL file) "
        "and score it on PATH",
    )
    e.add_argument("--out", help="also write the JSON to this file")
    e.add_argument(
        "--learning-curve",
        action="store_true",
        help="instead: the supervised recipe's learning curve on PATH (grouped CV on 10/25/"
        "50/100%% of the training groups)",
    )
    _add_code_parsers(sub)
    _add_train_parser(sub)
    return ap


def _add_code_parsers(sub) -> None:
    code = sub.add_parser("code", help="coding sheets for human coders, and agreement")
    cs = code.add_subparsers(dest="code_command", required=True, metavar="ACTION")
    x = cs.add_parser("export", help="sample units of a saved analysis into coding sheets")
    x.add_argument("analysis", help="folder of a saved analysis (framelens analyze --out)")
    x.add_argument("--codebook", required=True, help="YAML list of variables (see docs)")
    x.add_argument("--out", required=True, help="folder for the sheets")
    x.add_argument("--kind", default="sentences", help="sentences, quotations, events, documents")
    x.add_argument("--n", type=int, default=100, help="units to sample (default: 100)")
    x.add_argument("--coders", default="coder1,coder2", help="comma-separated coder names")
    x.add_argument("--score", help="TABLE.COLUMN: the tool's value per unit (score strata)")
    x.add_argument("--strata", default="outlet,score_bin", help="outlet, score_bin, date_bin")
    x.add_argument("--seed", type=int, default=0, help="random_state of the sample")
    x.add_argument(
        "--overwrite", action="store_true", help="replace the sheets of an earlier export in --out"
    )
    i = cs.add_parser("import", help="read filled sheets into a codes table; print agreement")
    i.add_argument("sheets", nargs="+", help="filled .csv or .xlsx sheets")
    i.add_argument("--codebook", required=True, help="the codebook YAML of the export")
    i.add_argument("--units", help="the exported <name>.units.csv (checks missing units)")
    i.add_argument("--out", help="write the codes table here (.csv or .parquet)")


def _add_train_parser(sub) -> None:
    t = sub.add_parser("train", help="fit a transparent supervised model (skops + JSON card)")
    t.add_argument(
        "task",
        help="babe, semeval-frames, narrative-frames, newsmtsc (a .skops model), or "
        "attribution (the CRF attribution model, from BRAT data in PolNeAR's layout)",
    )
    t.add_argument("path", help="the labelled dataset in its published layout")
    t.add_argument(
        "--out",
        help="model file (.skops; for attribution .crfsuite, default "
        "attribution_model.crfsuite); the card goes beside it",
    )
    t.add_argument("--group", default="article", choices=("article", "outlet"))
    t.add_argument("--cv", action="store_true", help="also cross-validate (scores in the card)")


def _cmd_run(args) -> int:
    from framelens import runner
    from framelens.runner.options import parse_assignments

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
        parameters=parse_assignments(args.parameter, flag="-p"),
        defaults=parse_assignments(args.default, flag="--default"),
        metadata=args.metadata,
        title_line=args.title_line,
        overwrite=args.overwrite,
        read_options={
            k: v
            for k in ("text_col", "id_col", *COLUMN_OPTIONS, "format", "encoding")
            if (v := getattr(args, k)) is not None
        },
    )
    print(result.summary())
    return 0 if result.ok else 1


def _cmd_analyze(args) -> int:
    from framelens.corpus import load_corpus
    from framelens.pipeline import Analysis, Config, analyze, default_cache_dir

    if args.workers is not None and args.workers < 1:
        raise FramelensError(f"--workers takes a positive number of processes, not {args.workers}")
    if args.out:  # before the analysis: a folder that cannot be written fails at once
        from framelens.runner import check_out

        check_out(args.out)
        _check_analysis_folder(Path(args.out), overwrite=args.overwrite)
    if args.engine == "dask" and args.scheduler:
        check_scheduler(args.scheduler)
    from framelens.runner.configs import checked_config

    config = checked_config(args.config)  # paths in the file are relative to the file
    if args.no_sentiment:
        config = Config.from_dict({**config.to_dict(), "sentiment": False})
    if args.out and not args.no_cache:
        # streamed: batch by batch into --out, one batch of tables in memory at a time;
        # with Dask each worker reads its own batches and writes its own parts
        from framelens.pipeline import analyze_to

        an = analyze_to(
            args.out, args.path, config, overwrite=args.overwrite, progress=True,
            engine="dask" if args.workers else args.engine, scheduler=args.scheduler,
            workers=args.workers, **_load_options(args),
        )  # fmt: skip
        where = Path(args.out)
    else:
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
            where = Analysis.save(an, args.out, overwrite=args.overwrite)
    rows = an.manifest.get("tables") or {k: len(v) for k, v in an.tables.items()}
    print(f"analysed {rows.get('docs', 0)} documents; tables in {where}:")
    for name, n in rows.items():
        print(f"  {name:<24} {int(n):>9,} rows")
    n_err = int((an.problems["severity"].astype(str) == "error").sum()) if len(an.problems) else 0
    if n_err:
        print(f"{n_err} input error(s): run `framelens check {args.path}` for details")
    return 0


def _check_analysis_folder(path: Path, *, overwrite: bool) -> None:
    """Before the analysis: refuse a non-empty folder that is not an analysis (as
    :meth:`framelens.pipeline.Analysis.save` would after it) unless ``overwrite``."""
    from framelens.pipeline.store import is_analysis

    if overwrite or not path.is_dir() or not any(path.iterdir()) or is_analysis(path):
        return
    raise FramelensError(
        f"--out {path} is not empty and is not a framelens analysis; nothing was written. "
        "Choose a new or empty folder, or pass --overwrite to add the analysis's files to "
        "it (other files are kept)"
    )


#: Names of Dask's local schedulers (not an address to connect to).
LOCAL_SCHEDULERS = ("threads", "threading", "processes", "multiprocessing", "sync", "synchronous")


def check_scheduler(address: str, *, timeout: float = 5.0) -> None:
    """Raise a :class:`FramelensError` when the distributed scheduler at ``address``
    (``tcp://host:port`` or ``host:port``) does not accept a connection within
    ``timeout`` seconds; Dask's local scheduler names are accepted as they are.

    Examples
    --------
    >>> check_scheduler("threads")
    """
    if address in LOCAL_SCHEDULERS:
        return
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or not port:
        raise FramelensError(
            f"--scheduler {address!r} is not a Dask scheduler address; use tcp://HOST:PORT "
            f"or one of {', '.join(LOCAL_SCHEDULERS)}"
        )
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        raise FramelensError(
            f"cannot reach the Dask scheduler at {address} ({exc.strerror or exc}); start it "
            "(`dask scheduler`), check the address, or leave out --scheduler for a local one"
        ) from None


def _cmd_check(args) -> int:
    from framelens.corpus import has_errors, load_corpus, problems_report

    corpus = load_corpus(args.path, **_load_options(args))
    print(problems_report(corpus.problems) if len(corpus.problems) else "no problems found")
    print(corpus.summary())
    warnings = _coverage(corpus, args)
    if warnings:
        print("reports with little to show:")
        print("\n".join(f"  WARNING {w}" for w in warnings))
    return 1 if has_errors(corpus.problems) else 0


def _coverage(corpus, args) -> list[str]:
    """:func:`framelens.runner.coverage.report_coverage` of a loaded corpus; the focal
    actor's mentions come from a (cached) analysis with the actors step only."""
    from framelens.runner.configs import checked_config
    from framelens.runner.coverage import report_coverage

    if not len(corpus.docs):
        return []
    config = checked_config(args.config)
    focal = args.focal or config.step_options("alignment").get("focal") or None
    mentions = None
    if focal:
        from framelens.pipeline import Config, analyze

        only_actors = Config.from_dict(
            {**config.to_dict(), "steps": ["actors"], "sentiment": False}
        )
        mentions = analyze(corpus, only_actors, progress=False).tables["mentions"]
    return report_coverage(corpus.docs, group_col=args.group_col, focal=focal, mentions=mentions)


def _cmd_evaluate(args) -> int:
    from framelens.evaluation import evaluate, format_table, tasks

    if args.task == "list":
        print("\n".join(tasks()))
        return 0
    if not args.path:
        print("framelens evaluate: give the dataset path after the task name", file=sys.stderr)
        return 2
    if args.learning_curve:
        return _learning_curve(args)
    result = evaluate(args.task, args.path, train=args.train)
    text = json.dumps(result, sort_keys=True, default=float) if args.json else format_table(result)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2, sort_keys=True, default=float))
    print(text)
    return 0


def _learning_curve(args) -> int:
    from framelens.evaluation.learned import dataset_learning_curve

    lc = dataset_learning_curve(args.task, args.path)
    records = lc.to_dict("records")
    if args.out:
        Path(args.out).write_text(json.dumps(records, indent=2, default=float))
    print(json.dumps(records, default=float) if args.json else lc.round(3).to_string(index=False))
    return 0


def _codebook_file(path):
    from framelens.coding import read_codebook

    return read_codebook(path)[0]


def _cmd_code(args) -> int:

    from framelens import coding
    from framelens.pipeline import Analysis

    cb = _codebook_file(args.codebook)
    if args.code_command == "export":
        res = coding.export(
            Analysis.load(args.analysis), cb, args.out, kind=args.kind, n=args.n,
            coders=[c.strip() for c in args.coders.split(",") if c.strip()], score=args.score,
            strata=[s.strip() for s in args.strata.split(",") if s.strip()],
            random_state=args.seed, overwrite=args.overwrite,
        )  # fmt: skip
        print(f"{len(res['units'])} units sampled; wrote:")
        for f in [*res["files"], res["units_file"]]:
            print(f"  {f}")
        return 0
    units = coding.read_units(args.units) if args.units else None
    codes = coding.import_codes(args.sheets, cb, units=units)
    if args.out:
        coding.write_codes(codes, args.out)
    print(f"{len(codes)} codes from {codes['coder'].nunique()} coder(s)")
    print(coding.agreement(codes, cb).to_string(index=False))
    return 0


def _train_data(task: str, path: str, group: str):
    """(X, y, groups, numeric, licence) of a labelled dataset for ``framelens train``."""
    from framelens.evaluation.learned import training_data

    d = training_data(task, path, group=group)
    return d["X"], d["y"], d["groups"], d["numeric"], d["licence"]


def _cmd_train(args) -> int:
    if args.task == "attribution":
        args.out = args.out or "attribution_model.crfsuite"
        return _train_attribution(args)
    if not args.out:
        raise FramelensError(f"train {args.task}: give --out MODEL.skops, where to write it")
    from framelens.measures import supervised as sv

    X, y, groups, numeric, licence = _train_data(args.task, args.path, args.group)
    model = sv.fit(args.task, X, y, groups=groups, numeric=numeric)
    cv = sv.cross_validate(args.task, X, y, groups=groups, numeric=numeric) if args.cv else None
    card = sv.card(model, X, y, cv=cv, licence=licence, dataset=str(args.path))
    path, card_path = sv.persist.save_model(model, args.out, card=card)
    print(f"model {path}\ncard  {card_path}")
    if cv:
        print({k: v for k, v in cv.items() if k.endswith("_f1")})
    return 0


def _train_attribution(args) -> int:
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
    "code": _cmd_code,
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
    except KeyboardInterrupt as exc:  # Ctrl-C or a signal: `run` has stopped its workers
        signum = getattr(exc, "signum", 2)
        print(f"framelens {args.command}: {exc or 'interrupted'}", file=sys.stderr)
        return 128 + int(signum)
    except FramelensError as exc:  # bad input or options: the message says what to fix
        return _error(args.command, exc)
    except OSError as exc:  # a file that cannot be read or written, an unreachable host
        return _error(args.command, _os_message(exc))
    except (ValueError, KeyError, RuntimeError) as exc:
        # errors of libraries framelens calls (a missing file, a bad value) get the same
        # treatment: a message, no traceback
        return _error(args.command, exc.args[0] if isinstance(exc, KeyError) and exc.args else exc)


def _os_message(exc: OSError) -> str:
    """One line for an operating-system error: the path (when there is one) and why."""
    if exc.filename is not None and exc.strerror:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc) or type(exc).__name__


def _error(command: str, msg: object) -> int:
    """Print ``framelens COMMAND: error: MSG`` on stderr; exit status 2."""
    print(f"framelens {command}: error: {msg}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
