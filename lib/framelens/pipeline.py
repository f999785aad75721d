"""The analysis pipeline: ``analyze()`` orders the steps, batches, caches.

``analyze`` runs once per (corpus, configuration). Documents are processed in batches;
each batch goes through the text layer (sentences, quotes, voice segments), ONE
compiled lexicon matcher for all configured lexicons, the actor gazetteer, optional
VADER sentiment, and the measure steps (framing, neutrality, alignment). Every step is
a pure function over the batch's tables (see docs/architecture.md). The result is an
:class:`Analysis` - the tidy tables plus a manifest of what made them - saved as
Parquet under a cache folder keyed by the content hash of corpus and configuration, so
an unchanged corpus + configuration is loaded, not recomputed.

The same batch function runs on a Dask cluster with ``engine="dask"``: there is one code
path, not two implementations.

Examples
--------
>>> import framelens
>>> corpus = framelens.load_corpus("data/sample")                    # doctest: +SKIP
>>> an = framelens.analyze(corpus, framelens.Config(sentiment=False))  # doctest: +SKIP
>>> an.matches.groupby("lexicon", observed=True).size()              # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from . import provenance, schema

__all__ = [
    "Config", "Analysis", "analyze", "open_analysis", "analysis_key", "lexicon_hashes",
    "default_cache_dir", "STEPS", "DEFAULT_LEXICONS",
]

log = logging.getLogger(__name__)

#: Built-in lexicons matched by default (one compiled matcher for all of them).
DEFAULT_LEXICONS = ("policy", "generic", "bias_cues", "neutrality_discourse", "relations")

#: Measure steps, in order: name -> "module:function". A registry, not an if-chain.
STEPS: dict[str, str] = {
    "actors": "framelens.actors:step",
    "framing": "framelens.framing:step",
    "neutrality": "framelens.neutrality:step",
    "alignment": "framelens.alignment:step",
}

_BASE_TABLES = ("docs", "problems", "sentences", "quotes", "segments", "matches", "mentions")
_ENGINES = ("local", "dask")
MANIFEST = "manifest.json"


# --------------------------------------------------------------------------- config
@dataclasses.dataclass(frozen=True)
class Config:
    """What an analysis computes. Constructors only store parameters.

    Parameters
    ----------
    lexicons : tuple of str
        Built-in lexicon names or paths to lexicon files (any format
        :func:`framelens.lexicon.load` reads); all are compiled into one matcher.
    gazetteer : str or None
        Path to an actor gazetteer replacing the built-in one (None: built-in).
    sentiment : bool
        Compute VADER sentence sentiment (the costliest step per byte).
    steps : tuple of str
        Measure steps to run, names from :data:`STEPS`, in that order.
    batch_size : int
        Documents per batch.
    options : mapping
        Keyword options per step name, e.g. ``{"framing": {"sentence_min_cues": 2}}``.

    Examples
    --------
    >>> c = Config(sentiment=False)
    >>> c.hash == Config(sentiment=False).hash
    True
    >>> Config.from_dict({"sentiment": False}) == c
    True
    """

    lexicons: tuple[str, ...] = DEFAULT_LEXICONS
    gazetteer: str | None = None
    sentiment: bool = True
    steps: tuple[str, ...] = tuple(STEPS)
    batch_size: int = 200
    options: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        for name in ("lexicons", "steps"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ValueError(
                    f"{name} must be a list of names, e.g. {name}=[{value!r}], not {value!r}"
                )
            object.__setattr__(self, name, tuple(value))
        if not isinstance(self.sentiment, bool):
            raise ValueError(f"sentiment must be true or false, not {self.sentiment!r}")
        if self.gazetteer is not None and not isinstance(self.gazetteer, (str, os.PathLike)):
            raise ValueError(f"gazetteer must be a path or None, not {self.gazetteer!r}")
        if not isinstance(self.options, Mapping) or not all(
            isinstance(v, Mapping) for v in self.options.values()
        ):
            raise ValueError("options must map step names to mappings of keyword options")
        unknown = [s for s in self.steps if s not in STEPS]
        if unknown:
            raise ValueError(f"unknown step(s) {unknown}; choose from {list(STEPS)}")
        if "alignment" in self.steps and "actors" not in self.steps:
            raise ValueError("the 'alignment' step needs the 'actors' step; add it to steps")
        bad_opts = [k for k in self.options if k not in STEPS]
        if bad_opts:
            raise ValueError(f"options given for unknown step(s) {bad_opts}; steps are {list(STEPS)}")
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, not {self.batch_size!r}")

    def __hash__(self):  # options is a dict
        return hash(self.hash)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (what is hashed and written into manifests)."""
        return {
            "lexicons": list(self.lexicons),
            "gazetteer": self.gazetteer,
            "sentiment": bool(self.sentiment),
            "steps": list(self.steps),
            "batch_size": int(self.batch_size),
            "options": {k: dict(v) for k, v in sorted(self.options.items())},
        }

    @property
    def hash(self) -> str:
        """Content hash of the configuration (batch size excluded: it does not change results)."""
        d = self.to_dict()
        d.pop("batch_size")
        return provenance.stable_json_hash(d)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Config:
        """Build a Config from plain data, rejecting unknown keys with the valid ones."""
        data = dict(data or {})
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - fields)
        if unknown:
            raise ValueError(f"unknown configuration key(s) {unknown}; valid keys: {sorted(fields)}")
        return cls(**data)

    @classmethod
    def from_file(cls, path: str | Path) -> Config:
        """Read a YAML (or JSON) configuration file."""
        import yaml

        p = Path(path)
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise FileNotFoundError(f"{p}: configuration file not found") from None
        except yaml.YAMLError as exc:
            raise ValueError(f"{p}: not valid YAML ({exc}); fix the file or pass no config") from None
        if not isinstance(data, dict):
            raise ValueError(f"{p}: a configuration file must hold a mapping of keys to values")
        try:
            return cls.from_dict(data)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{p}: {exc}") from None


def _as_config(config: Config | Mapping | str | Path | None) -> Config:
    if config is None or config == "":
        return Config()
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return Config.from_dict(config)
    return Config.from_file(config)


# --------------------------------------------------------------------------- analysis
class Analysis:
    """The tidy tables of one analysis, with the configuration and manifest that made them.

    Tables are attributes (``an.docs``, ``an.quotes``, ``an.frame_docs`` …) and live in
    ``an.tables``. Not a god object: measures are plain functions over these tables.

    Examples
    --------
    >>> an = Analysis({"docs": schema.empty("docs")})
    >>> an.docs.empty
    True
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame], *, config: Config | None = None,
                 manifest: Mapping[str, Any] | None = None):
        self.tables: dict[str, pd.DataFrame] = {
            name: schema.conform(df, name) for name, df in tables.items()
        }
        for name in _BASE_TABLES:
            self.tables.setdefault(name, schema.empty(name))
        self.config = config or Config()
        self.manifest: dict[str, Any] = dict(manifest or {})

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(
            f"Analysis has no table {name!r}; tables: {', '.join(sorted(tables))}"
        )

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return f"<Analysis {sizes}>"

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name`` (same as the attribute)."""
        return getattr(self, name)

    def doc(self, doc_id: str) -> Analysis:
        """A one-document view: every table filtered to ``doc_id``.

        Raises
        ------
        KeyError
            When the document is not in the analysis (the message lists a few ids).
        """
        ids = self.docs["doc_id"].astype(str)
        if not (ids == doc_id).any():
            sample = ", ".join(ids.head(5).tolist())
            raise KeyError(f"doc_id {doc_id!r} is not in this analysis (e.g. {sample})")
        sub = {
            k: (v[v["doc_id"].astype(str) == doc_id].reset_index(drop=True) if "doc_id" in v.columns else v)
            for k, v in self.tables.items()
        }
        return Analysis(sub, config=self.config, manifest=self.manifest)

    def save(self, path: str | Path) -> Path:
        """Write every table as Parquet plus ``manifest.json`` into folder ``path``.

        The folder is written next to its destination and moved into place, so a
        reader never sees half an analysis.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=path.parent))
        try:
            for name, df in self.tables.items():
                df.to_parquet(tmp / f"{name}.parquet", index=False)
            manifest = dict(self.manifest)
            manifest["tables"] = {k: int(len(v)) for k, v in self.tables.items()}
            manifest["config"] = self.config.to_dict()
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str))
            if path.exists():
                shutil.rmtree(path)
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return path

    @classmethod
    def load(cls, path: str | Path) -> Analysis:
        """Read an analysis written by :meth:`save`."""
        path = Path(path)
        mf = path / MANIFEST
        if not mf.exists():
            raise FileNotFoundError(f"{path}: no {MANIFEST} here; is this a saved framelens analysis?")
        manifest = json.loads(mf.read_text())
        tables = {name: pd.read_parquet(path / f"{name}.parquet") for name in manifest.get("tables", {})}
        return cls(tables, config=Config.from_dict(manifest.get("config")), manifest=manifest)


# --------------------------------------------------------------------------- hashing / cache
def lexicon_hashes(config: Config | None = None) -> dict[str, str]:
    """Content hash of every lexicon (and the gazetteer) a configuration uses."""
    from . import lexicon

    config = _as_config(config)
    out = {}
    for name in config.lexicons:
        lex = lexicon.load(name)
        out[lex.name] = lex.hash
    if "actors" in config.steps:
        out["gazetteer"] = _gazetteer_hash(config.gazetteer)
    # the text layer's reporting-verb classes decide every quote's verb_class
    out["reporting_verbs"] = provenance.sha256_file(
        Path(__file__).parent / "lexicons" / "reporting_verbs.yaml")
    return out


def _gazetteer_hash(path: str | None) -> str:
    if path:
        return provenance.sha256_file(path)
    builtin = Path(__file__).parent / "lexicons" / "actors.yaml"
    return provenance.sha256_file(builtin) if builtin.exists() else "missing"


def analysis_key(corpus, config: Config | None = None) -> str:
    """The cache key of an analysis: hash of the documents, configuration, lexicon
    contents and package version."""
    config = _as_config(config)
    return _key(provenance.sha256_frame(_docs_of(corpus)), config)


def _key(docs_sha256: str, config: Config) -> str:
    return provenance.stable_json_hash(
        {
            "docs": docs_sha256,
            "config": config.hash,
            "lexicons": lexicon_hashes(config),
            "framelens": __version__,
            "code": provenance.package_fingerprint(),
        }
    )[:24]


def default_cache_dir() -> Path:
    """``$FRAMELENS_CACHE_DIR``, else ``.framelens-cache`` in the nearest folder above the
    current one holding ``pyproject.toml`` or ``workbook.yaml``, else ``~/.cache/framelens``."""
    env = os.environ.get("FRAMELENS_CACHE_DIR")
    if env:
        return Path(env)
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if (d / "workbook.yaml").exists() or (d / "pyproject.toml").exists():
            return d / ".framelens-cache"
    return Path.home() / ".cache" / "framelens"


def _docs_of(corpus) -> pd.DataFrame:
    from .corpus import Corpus, load_corpus

    if isinstance(corpus, Corpus):
        return corpus.docs
    if isinstance(corpus, pd.DataFrame):
        if "doc_id" in corpus.columns and "text" in corpus.columns:
            return corpus
        return load_corpus(corpus).docs
    return load_corpus(corpus).docs


# --------------------------------------------------------------------------- the batch function
def _step_function(name: str):
    mod, func = STEPS[name].split(":")
    try:
        module = importlib.import_module(mod)
    except ModuleNotFoundError as exc:
        if exc.name == mod:
            raise RuntimeError(
                f"step {name!r} needs module {mod}, which is not installed; "
                f"leave it out with Config(steps=...)"
            ) from None
        raise
    return getattr(module, func)


def _concat(frames: list[pd.DataFrame], name: str | None = None) -> pd.DataFrame:
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
    matcher (compiled from ``config.lexicons`` when not given).

    Returns
    -------
    dict of DataFrame
        The batch's tables: sentences, quotes, segments, problems, matches, mentions,
        sentiment (when enabled) and every measure table.
    """
    from . import lexicon, text

    if matcher is None:
        matcher = lexicon.Matcher([lexicon.load(n) for n in config.lexicons])
    tables: dict[str, pd.DataFrame] = {"docs": docs}
    tables.update(text.process(docs))
    tables["matches"] = lexicon.match(
        docs, matcher, sentences=tables["sentences"], segments=tables["segments"]
    )
    tables.setdefault("mentions", schema.empty("mentions"))
    if config.sentiment:
        from .sentiment import sentence_sentiment

        tables["sentiment"] = sentence_sentiment(tables["sentences"])
    for name in config.steps:
        opts = dict(config.options.get(name, {}))
        if name == "actors" and config.gazetteer:
            opts.setdefault("gazetteer", config.gazetteer)
        out = _step_function(name)(tables, **opts)
        tables.update(out)
    tables.pop("docs")
    return tables


def _batches(docs: pd.DataFrame, size: int) -> Iterable[pd.DataFrame]:
    for i in range(0, len(docs), size):
        yield docs.iloc[i : i + size]


# --------------------------------------------------------------------------- analyze
def analyze(corpus_or_docs, config: Config | Mapping | str | Path | None = None, *,
            cache_dir: str | Path | None = None, use_cache: bool = True,
            progress: bool | None = None, engine: str = "local",
            scheduler: str | None = None) -> Analysis:
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
    from .corpus import Corpus, load_corpus

    if engine not in _ENGINES:
        raise ValueError(f"engine must be one of {_ENGINES}, not {engine!r}")
    config = _as_config(config)
    if isinstance(corpus_or_docs, Corpus):
        corpus = corpus_or_docs
    else:
        corpus = load_corpus(corpus_or_docs)
    docs = corpus.docs
    docs_sha256 = provenance.sha256_frame(docs)  # hashed once: the key and the manifest
    key = _key(docs_sha256, config)
    cache_path = Path(cache_dir or default_cache_dir()) / key
    if use_cache and (cache_path / MANIFEST).exists():
        log.info("framelens: loading cached analysis %s", cache_path)
        try:
            return Analysis.load(cache_path)
        except Exception as exc:  # a damaged cache is recomputed, not trusted
            log.warning("framelens: cached analysis at %s unreadable (%s); recomputing", cache_path, exc)

    from . import lexicon

    t0 = time.perf_counter()
    lexicons = [lexicon.load(n) for n in config.lexicons]
    matcher = lexicon.Matcher(lexicons)
    n_batches = max(1, -(-len(docs) // config.batch_size))
    log.info("framelens: analysing %d documents in %d batch(es)", len(docs), n_batches)
    if engine == "local":
        show = (n_batches > 1) if progress is None else progress
        from tqdm import tqdm  # not tqdm.auto: kernels without ipywidgets print warnings

        results = [
            analyze_batch(b, config, matcher)
            for b in tqdm(_batches(docs, config.batch_size), total=n_batches,
                          desc="framelens analyze", unit="batch", disable=not show)
        ]
    else:
        results = _run_dask(docs, config, matcher, scheduler=scheduler)

    names: list[str] = []
    for r in results:
        names.extend(n for n in r if n not in names)
    tables: dict[str, pd.DataFrame] = {"docs": docs.reset_index(drop=True)}
    for name in names:
        tables[name] = _concat([r.get(name) for r in results], name)
    tables["problems"] = _merge_problems(corpus.problems, tables.get("problems"))
    elapsed = time.perf_counter() - t0
    manifest = {
        "key": key,
        "framelens": __version__,
        "code_sha256": provenance.package_fingerprint(),
        "corpus": {"source": getattr(corpus, "source", None), "n_docs": int(len(docs)),
                   "docs_sha256": docs_sha256},
        "config_hash": config.hash,
        "lexicons": {lx.name: lx.hash for lx in lexicons},
        "environment": provenance.environment(),
        "engine": engine,
        "seconds": round(elapsed, 3),
    }
    manifest["lexicons"] = {**manifest["lexicons"], **lexicon_hashes(config)}
    an = Analysis(tables, config=config, manifest=manifest)
    log.info("framelens: analysed %d documents in %.1f s", len(docs), elapsed)
    if use_cache:
        an.save(cache_path)
        log.info("framelens: tables saved to %s", cache_path)
    return an


def _merge_problems(corpus_problems: pd.DataFrame, text_problems: pd.DataFrame | None) -> pd.DataFrame:
    """Input problems first, then the text layer's; a quotation mark the corpus validator
    already reported for a document (``unbalanced_quotes``) is not reported again by the
    text layer (``unmatched_quote``)."""
    if text_problems is not None and len(text_problems) and len(corpus_problems):
        seen = corpus_problems.loc[corpus_problems["code"].astype(str) == "unbalanced_quotes", "doc_id"]
        dup = (text_problems["code"].astype(str) == "unmatched_quote") & text_problems["doc_id"].isin(seen)
        text_problems = text_problems[~dup]
    return _concat([corpus_problems, text_problems], "problems")


def _run_dask(docs: pd.DataFrame, config: Config, matcher, *, scheduler: str | None):
    try:
        import dask
    except ImportError:
        raise RuntimeError(
            "engine='dask' needs dask: pip install 'framelens[dask]'"
        ) from None
    tasks = [dask.delayed(analyze_batch)(b, config, matcher) for b in _batches(docs, config.batch_size)]
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


def open_analysis(corpus: str | Path, *, config: Config | Mapping | str | Path | None = None,
                  cache_dir: str | Path | None = None, **load_options: Any) -> Analysis:
    """Load the corpus at ``corpus`` and return its (cached) analysis.

    What notebooks call: the report runner computes the analysis once beforehand, so
    every notebook of a report suite loads the same cached tables.

    Examples
    --------
    >>> an = open_analysis("../data/sample")   # doctest: +SKIP
    """
    from .corpus import load_corpus

    return analyze(load_corpus(corpus, **load_options), config, cache_dir=cache_dir)
