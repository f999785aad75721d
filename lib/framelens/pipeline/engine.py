"""analyze(): batches, steps, local and Dask engines."""

from __future__ import annotations

import gc
import json
import logging
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framelens import __version__
from framelens.core import provenance, schema
from framelens.errors import ConfigError, FramelensError, OutputError, TableError

from .analysis import Analysis
from .cache import default_cache_dir, key_of, problems_sha256, resource_hashes
from .config import ENGINES, MANIFEST, Config, as_config, registry

log = logging.getLogger(__name__)


def run_step(name: str, tables: Mapping[str, pd.DataFrame], config: Config) -> dict:
    """Run the registered step ``name`` on one batch with the options of ``config``.

    Raises
    ------
    TableError
        When the batch lacks a table the step requires.
    FramelensError
        When the step rejects its input (the message starts with the step's name);
        any other error carries a note naming the step.
    """
    spec = registry().get_step(name)
    missing = [t for t in spec.requires if t not in tables]
    if missing:
        raise TableError(
            f"step {name!r} requires the table(s) {missing}, which no earlier step "
            f"provided; steps run: {list(config.steps)}"
        )
    try:
        return spec.func(tables, **config.step_options(name))
    except FramelensError as exc:
        raise type(exc)(f"step {name!r}: {exc}") from exc
    except ValueError as exc:
        raise FramelensError(f"step {name!r}: {exc}") from exc
    except Exception as exc:
        exc.add_note(f"(in the framelens step {name!r})")
        raise


def step_records(config: Config) -> dict[str, dict[str, Any]]:
    """What the manifest records per step: resolved options, requires, provides, updates.

    Examples
    --------
    >>> rec = step_records(Config(steps=["framing"], sentiment=False))["framing"]
    >>> rec["options"]["headline_weight"], rec["requires"]
    (2.0, ['matches', 'sentences'])
    """
    out = {}
    for name in config.steps:
        spec = registry().get_step(name)
        out[name] = {
            "options": _plain(config.step_options(name)),
            "requires": list(spec.requires),
            "provides": list(spec.provides),
            "updates": list(getattr(spec, "updates", ())),
        }
    return out


def _plain(value: Any) -> Any:
    """JSON form of an option value (tuples as lists, paths as strings)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def concat_tables(frames: list[pd.DataFrame], name: str | None = None) -> pd.DataFrame:
    """The batches' frames of table ``name`` as one table (categories restored)."""
    frames = [f for f in frames if f is not None]
    if not frames:
        return schema.empty(name) if name in schema.TABLES else pd.DataFrame()
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return frames[0].iloc[0:0].reset_index(drop=True)
    out = pd.concat(nonempty, ignore_index=True)
    for col in out.columns:  # categories of different batches union into object: restore
        if col in schema.CATEGORICAL and out[col].dtype == object:
            out[col] = out[col].astype("category")
    return out


def analyze_batch(docs: pd.DataFrame, config: Config, matcher=None) -> dict[str, pd.DataFrame]:
    """Run every step of ``config`` over one batch of documents.

    This is the unit of work of both engines. ``matcher`` is the compiled lexicon
    matcher (compiled from ``config.lexicons`` when not given). The text layer runs
    with ``config.attribution`` (the learned model or the rules).

    Returns
    -------
    dict of DataFrame
        The batch's tables: sentences, quotes, segments, problems, matches, mentions,
        sentiment (when enabled) and every measure table.
    """
    was_collecting = gc.isenabled()
    gc.disable()  # the steps build many small containers and few cycles: collect after
    try:
        return _analyze_batch(docs, config, matcher)
    finally:
        if was_collecting:
            gc.enable()


def _analyze_batch(docs: pd.DataFrame, config: Config, matcher) -> dict[str, pd.DataFrame]:
    from framelens import lexicon, text

    if matcher is None:
        matcher = lexicon.compiled([lexicon.load(n) for n in config.lexicons])
    tables: dict[str, pd.DataFrame] = {"docs": docs}
    tables.update(text.process(docs, attribution=config.attribution))
    tables["matches"] = lexicon.match(
        docs, matcher, sentences=tables["sentences"], segments=tables["segments"]
    )
    tables.setdefault("mentions", schema.empty("mentions"))
    if config.sentiment:
        from framelens.sentiment import sentence_sentiment

        tables["sentiment"] = sentence_sentiment(tables["sentences"])
    for name in config.steps:  # dependency order (Config keeps them so)
        tables.update(run_step(name, tables, config))
    tables.pop("docs")
    return tables


def _batches(docs: pd.DataFrame, size: int) -> Iterable[pd.DataFrame]:
    for i in range(0, len(docs), size):
        yield docs.iloc[i : i + size]


def analyze(
    corpus_or_docs,
    config: Config | Mapping | str | Path | None = None,
    *,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: bool | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> Analysis:
    """Analyse a corpus: text layer, lexicon matches, actors, sentiment and measures.

    Parameters
    ----------
    corpus_or_docs : Corpus, DataFrame or path
        A :class:`framelens.corpus.Corpus`, a docs DataFrame (or any DataFrame
        :func:`framelens.load_corpus` accepts) or a path to load.
    config : Config, mapping, path or None
        What to compute (:class:`Config`; a mapping or a YAML path are converted).
    cache_dir : path, optional, keyword-only
        Where analyses are cached (default :func:`default_cache_dir`).
    use_cache : bool
        Load a cached analysis with the same key instead of recomputing, and save new ones.
    progress : bool or None
        Show a progress bar over batches (None: when there is more than one batch).
    engine : {"local", "dask"}
        ``"dask"`` runs the same batch function as Dask tasks (``dask`` extra needed).
    scheduler : str, optional
        Dask scheduler ("processes", "threads", "synchronous", or a distributed
        Client's address); default: a running distributed Client, else "processes".

    Returns
    -------
    Analysis

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ['Vucic said "we stay neutral."']})
    >>> an = analyze(docs, Config(sentiment=False), use_cache=False)  # doctest: +SKIP
    >>> an.quotes["speaker"].tolist()                                 # doctest: +SKIP
    ['Vucic']
    """
    from framelens.corpus import Corpus, load_corpus

    if engine not in ENGINES:
        raise ConfigError(f"engine must be one of {ENGINES}, not {engine!r}")
    config = as_config(config)
    corpus = corpus_or_docs if isinstance(corpus_or_docs, Corpus) else load_corpus(corpus_or_docs)
    docs = corpus.docs
    docs_sha256 = provenance.sha256_frame(docs)  # hashed once: the key and the manifest
    problems_sha = problems_sha256(corpus.problems, source=corpus.source)
    resources = resource_hashes(config)
    key = key_of(docs_sha256, config, resources, problems_sha256=problems_sha)
    cache_path = Path(cache_dir or default_cache_dir()) / key
    cached = _cached(cache_path, key) if use_cache else None
    if cached is not None:
        return cached

    from framelens import lexicon

    t0 = time.perf_counter()
    matcher = lexicon.compiled([lexicon.load(n) for n in config.lexicons])
    results = _run_batches(docs, config, matcher, engine, progress=progress, scheduler=scheduler)
    names: list[str] = []
    for r in results:
        names.extend(n for n in r if n not in names)
    tables: dict[str, pd.DataFrame] = {"docs": docs.reset_index(drop=True)}
    for name in names:
        tables[name] = concat_tables([r.get(name) for r in results], name)
    tables["problems"] = merge_problems(corpus.problems, tables.get("problems"))
    elapsed = time.perf_counter() - t0
    manifest = manifest_of(key, corpus, docs_sha256, config, resources, engine, elapsed)
    manifest["corpus"]["problems_sha256"] = problems_sha
    an = Analysis(tables, config=config, manifest=manifest, parts=_parts(docs, results, config))
    log.info("framelens: analysed %d documents in %.1f s", len(docs), elapsed)
    if use_cache:  # the entry is framelens' own: a damaged one is replaced
        save_cache_entry(an, cache_path, key)
    return an


def save_cache_entry(an: Analysis, cache_path: Path, key: str) -> None:
    """Save ``an`` as the cache entry ``cache_path`` of ``key``.

    Two processes that analyse the same corpus with the same configuration at once (two
    report kernels of one run) write the same entry. When the write fails because the
    other process has just put a complete entry of the same key there, that entry is
    kept and nothing is raised; any other failure is raised.
    """
    try:
        an.save(cache_path, overwrite=True)
    except OutputError:
        if _entry_key(Path(cache_path)) != key:
            raise
        log.info("framelens: %s was written meanwhile by another process; kept", cache_path)
        return
    log.info("framelens: tables saved to %s", cache_path)


def _entry_key(path: Path) -> str | None:
    """The key in the manifest of the cache entry ``path`` (None when it has none)."""
    try:
        return json.loads((path / MANIFEST).read_text(encoding="utf-8")).get("key")
    except (OSError, ValueError, AttributeError):
        return None


def _parts(docs: pd.DataFrame, results: list[dict], config: Config) -> dict[str, list[int]]:
    """Row counts of each table's batches (the parts a saved analysis is written in);
    ``problems`` (corpus and text problems merged) is one part."""
    parts = {"docs": [len(b) for b in _batches(docs, config.batch_size)]}
    for r in results:
        for name, df in r.items():
            if name != "problems":
                parts.setdefault(name, []).append(0 if df is None else len(df))
    return parts


def _cached(cache_path: Path, key: str) -> Analysis | None:
    """The analysis saved at ``cache_path``, verified (row counts and SHA-256 of each
    table as its manifest records them), or None: a damaged or changed entry is
    recomputed with a warning naming the file, never trusted."""
    if not (cache_path / MANIFEST).exists():
        return None
    log.info("framelens: loading cached analysis %s", cache_path)
    try:
        an = Analysis.load(cache_path, verify=True)
    except Exception as exc:  # a damaged cache is recomputed, not trusted
        log.warning("framelens: cached analysis at %s not used (%s); recomputing", cache_path, exc)
        return None
    if an.manifest.get("key") != key or "files" not in an.manifest:
        why = "its key differs" if an.manifest.get("key") != key else "it carries no file hashes"
        log.warning("framelens: cached analysis at %s not used (%s); recomputing", cache_path, why)
        return None
    return an


def _run_batches(docs, config, matcher, engine, *, progress, scheduler) -> list[dict]:
    """The batches' tables, computed by ``engine`` (local with a progress bar, or Dask)."""
    n_batches = max(1, -(-len(docs) // config.batch_size))
    log.info("framelens: analysing %d documents in %d batch(es)", len(docs), n_batches)
    if engine != "local":
        return _run_dask(docs, config, matcher, scheduler=scheduler)
    show = (n_batches > 1) if progress is None else progress
    from tqdm import tqdm  # not tqdm.auto: kernels without ipywidgets print warnings

    return [
        analyze_batch(b, config, matcher)
        for b in tqdm(
            _batches(docs, config.batch_size),
            total=n_batches,
            desc="framelens analyze",
            unit="batch",
            disable=not show,
        )
    ]


def manifest_of(key, corpus, docs_sha256, config, resources, engine, elapsed) -> dict:
    """What made an analysis: key, code, corpus, configuration, resources, steps."""
    return {
        "key": key,
        "framelens": __version__,
        "code_sha256": provenance.package_fingerprint(),
        "corpus": {
            "source": getattr(corpus, "source", None),
            "n_docs": int(len(corpus.docs)),
            "docs_sha256": docs_sha256,
        },
        "config_hash": config.hash,
        "attribution": attribution_record(config),
        "lexicons": resources,
        "steps": step_records(config),
        "environment": provenance.environment(),
        "engine": engine,
        "seconds": round(elapsed, 3),
    }


def attribution_record(config: Config) -> dict:
    """What the manifest records of the text layer's attribution system: ``system``
    (``"model"`` or ``"rules"``), the attribution kinds counted as reported voice and as
    author voice, and for the model its weights' provenance (file, SHA-256, training
    data hash, parameters).

    Examples
    --------
    >>> attribution_record(Config(attribution="rules", sentiment=False))["system"]
    'rules'
    >>> r = attribution_record(Config(sentiment=False))
    >>> r["system"], r["reported_voice"], r["author_voice"], len(r["weights_sha256"])
    ('model', ['speech', 'evidential'], ['cognition'], 64)
    """
    from framelens.core.resources import data_path
    from framelens.text.voice import AUTHOR_KINDS, REPORTED_KINDS

    if config.attribution == "rules":
        return {
            "system": "rules",
            "reported_voice": [],
            "author_voice": [],
            "note": "the rule layer assigns no attribution kinds: every indirect clause is "
            "reported voice",
        }
    from framelens.text.attribution_model import MODEL_FILE

    path = data_path(MODEL_FILE)
    card_path = path.with_suffix(".json")
    card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else {}
    return {
        "system": "model",
        "reported_voice": list(REPORTED_KINDS),
        "author_voice": list(AUTHOR_KINDS),
        "weights": MODEL_FILE,
        "weights_sha256": provenance.sha256_file(path),
        "data_sha256": card.get("data_sha256"),
        "params": card.get("params", {}),
    }


def merge_problems(
    corpus_problems: pd.DataFrame, text_problems: pd.DataFrame | None
) -> pd.DataFrame:
    """Input problems first, then the text layer's; a quotation mark the corpus validator
    already reported for a document (``unbalanced_quotes``) is not reported again by the
    text layer (``unmatched_quote``)."""
    if text_problems is not None and len(text_problems) and len(corpus_problems):
        seen = corpus_problems.loc[
            corpus_problems["code"].astype(str) == "unbalanced_quotes", "doc_id"
        ]
        dup = (text_problems["code"].astype(str) == "unmatched_quote") & text_problems[
            "doc_id"
        ].isin(seen)
        text_problems = text_problems[~dup]
    return concat_tables([corpus_problems, text_problems], "problems")


def _run_dask(docs: pd.DataFrame, config: Config, matcher, *, scheduler: str | None):
    try:
        import dask
    except ImportError:
        raise RuntimeError("engine='dask' needs dask: pip install 'framelens[dask]'") from None
    tasks = [
        dask.delayed(analyze_batch)(b, config, matcher) for b in _batches(docs, config.batch_size)
    ]
    kwargs: dict[str, Any] = {}
    if scheduler is not None:
        if "://" in scheduler or ":" in scheduler:
            from distributed import Client

            with Client(scheduler) as client:
                return list(client.compute(tasks, sync=True))
        kwargs["scheduler"] = scheduler
    else:
        try:
            from distributed import get_client

            get_client()  # a running client: dask uses it by default
        except (ImportError, ValueError):
            kwargs["scheduler"] = "processes"
    return list(dask.compute(*tasks, **kwargs))


def open_analysis(
    corpus: str | Path,
    *,
    config: Config | Mapping | str | Path | None = None,
    cache_dir: str | Path | None = None,
    **load_options: Any,
) -> Analysis:
    """The (cached) analysis of the corpus file or folder at ``corpus``, opened lazily.

    What notebooks call: the report runner computes the analysis once beforehand
    (:func:`framelens.pipeline.analyze_to` into :func:`~.streamed.cache_folder`), so every
    notebook of a report suite opens the same tables, read on first use, without reading
    the corpus (its key is the hash of the source's bytes). When nothing is cached yet,
    the corpus is analysed batch by batch into the cache. A corpus that is not a path (a
    Corpus or a DataFrame) is analysed in memory by :func:`analyze`.

    Examples
    --------
    >>> an = open_analysis("../data/sample")   # doctest: +SKIP
    """
    from framelens.corpus import Corpus

    if isinstance(corpus, (Corpus, pd.DataFrame)):
        return analyze(corpus, config, cache_dir=cache_dir)
    from .streamed import analyze_to, cache_folder

    folder = cache_folder(corpus, config, cache_dir=cache_dir, **load_options)
    return analyze_to(folder, corpus, config, overwrite=True, **load_options)
