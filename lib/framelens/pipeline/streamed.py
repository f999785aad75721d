"""analyze_to(): analyse a corpus file or folder batch by batch, straight to disk.

The corpus is read with :func:`framelens.corpus.iter_batches`; each batch goes through
the same batch function as :func:`~framelens.pipeline.analyze` (``analyze_batch``) and
each of its tables is written as the next Parquet part of the analysis folder
(:class:`~framelens.pipeline.store.PartWriter`) as soon as the batch is done. Only one
batch of tables is in memory, plus the problem rows (one per input problem; batches
without problems leave nothing behind) and the duplicate checks' dictionary of ids and
text hashes. The folder
loads as any analysis (:meth:`Analysis.load`, lazily), and its tables equal those of
``analyze(load_corpus(source), config)`` row for row.

The analysis key of a streamed source is the hash of the source's bytes (every file of
a folder, by relative path; the sidecar metadata file too), the load options and the
configuration, with the resources, framelens' version and code and the table libraries
(:func:`~framelens.pipeline.cache.key_of`). It stands for the same thing as the key of
``analyze``: the documents and problems ``load_corpus`` makes are a function of the
source's bytes, the load options and framelens' code, all of which are in the key, so
equal keys mean equal tables. (The keys differ in value: ``analyze`` hashes the loaded
documents, which a streamed run never holds.)
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core import provenance
from framelens.errors import ConfigError

from .analysis import Analysis
from .cache import key_of, resource_hashes
from .config import ENGINES, MANIFEST, Config, as_config
from .engine import analyze_batch, concat_tables, manifest_of, merge_problems

log = logging.getLogger(__name__)

__all__ = ["analyze_to", "source_sha256", "streamed_key", "cache_folder"]


def source_sha256(source: str | Path, load_options: Mapping[str, Any] | None = None) -> str:
    """Hash of a corpus source's bytes and the options it is loaded with.

    A file: its SHA-256; a folder: each file's relative path and SHA-256 (sorted); a
    ``metadata=`` path among the options: its SHA-256 too.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.jsonl"; _ = f.write_text('{"text": "a"}')
    >>> source_sha256(f) == source_sha256(f, {}) != source_sha256(f, {"text_col": "body"})
    True
    """
    path = Path(source)
    if path.is_dir():
        files = {
            p.relative_to(path).as_posix(): provenance.sha256_file(p)
            for p in sorted(path.rglob("*"))
            if p.is_file()
        }
    else:
        files = {path.name: provenance.sha256_file(path)}
    options = {k: v for k, v in dict(load_options or {}).items() if v is not None}
    meta = options.get("metadata")
    if isinstance(meta, (str, os.PathLike)) and Path(meta).is_file():
        options["metadata"] = provenance.sha256_file(Path(meta))
    return provenance.stable_json_hash({"files": files, "options": options})


def streamed_key(
    source: str | Path,
    config: Config | Mapping | str | Path | None = None,
    *,
    resources: Mapping[str, str] | None = None,
    **load_options: Any,
) -> str:
    """The key :func:`analyze_to` gives the analysis of ``source`` (no corpus is read:
    the source's bytes are hashed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.jsonl"; _ = f.write_text('{"text": "a"}')
    >>> len(streamed_key(f, {"sentiment": False, "steps": []}))
    24
    """
    config = as_config(config)
    src_sha = source_sha256(source, load_options)
    res = resource_hashes(config) if resources is None else resources
    return key_of(src_sha, config, res, problems_sha256=src_sha)


def cache_folder(
    source: str | Path,
    config: Config | Mapping | str | Path | None = None,
    *,
    cache_dir: str | Path | None = None,
    **load_options: Any,
) -> Path:
    """Where the streamed analysis of ``source`` is cached: ``<cache_dir>/<key>``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.jsonl"; _ = f.write_text('{"text": "a"}')
    >>> cache_folder(f, cache_dir="/tmp/c").parent
    PosixPath('/tmp/c')
    """
    from .cache import default_cache_dir

    key = streamed_key(source, config, **load_options)
    return Path(cache_dir or default_cache_dir()) / key


def analyze_to(
    out: str | Path,
    source: str | Path,
    config: Config | Mapping | str | Path | None = None,
    *,
    overwrite: bool = False,
    progress: bool | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    **load_options: Any,
) -> Analysis:
    """Analyse the corpus at ``source`` batch by batch into the analysis folder ``out``.

    Parameters
    ----------
    out : path
        The analysis folder (as :meth:`Analysis.save` writes it). When it already holds
        the analysis of this source and configuration (same key), that is returned.
    source : path
        A corpus file or folder, as :func:`framelens.load_corpus` reads it.
    config : Config, mapping, path or None
        What to compute; ``config.batch_size`` documents per batch.
    overwrite : bool, keyword-only
        As :meth:`Analysis.save`.
    progress : bool or None, keyword-only
        Show documents and MB per second (None: when the source is over 1 MB).
    engine : {"local", "dask"}, keyword-only
        ``"dask"``: the batches are read, analysed and written by Dask tasks
        (:mod:`.scaleout`; ``dask`` extra needed); the tables are the local engine's.
    scheduler : str, optional, keyword-only
        With ``engine="dask"``: an existing cluster's scheduler address
        (``"tcp://host:8786"``), or a local Dask scheduler (``"synchronous"``,
        ``"threads"``, ``"processes"``); default: the running distributed client, else
        a LocalCluster with one worker per core.
    workers : int, optional, keyword-only
        With ``engine="dask"``: start a LocalCluster of this many worker processes
        (one thread each) for this run.
    **load_options
        The options of :func:`framelens.load_corpus`.

    Returns
    -------
    Analysis
        The analysis loaded from ``out`` (tables read on first use).

    Examples
    --------
    >>> an = analyze_to("out/an", "data/sample", {"sentiment": False})  # doctest: +SKIP
    """
    # long: the batch loop and the writer's clean-up on failure stay together
    from framelens import lexicon
    from framelens.corpus import concat_problems, iter_batches

    config = as_config(config)
    if engine not in ENGINES:
        raise ConfigError(f"engine must be one of {ENGINES}, not {engine!r}")
    if engine == "local" and (scheduler is not None or workers is not None):
        raise ConfigError(
            f"scheduler= and workers= are options of engine='dask' (got engine={engine!r}); "
            "pass engine='dask' (--workers N / --scheduler ADDRESS) or leave them out"
        )
    resources = resource_hashes(config)
    src_sha = source_sha256(source, load_options)
    key = streamed_key(source, config, resources=resources, **load_options)
    out = Path(out)
    done = _existing(out, key)
    if done is not None:
        return done
    from .store import PartWriter

    t0 = time.perf_counter()
    matcher = (
        lexicon.compiled([lexicon.load(n) for n in config.lexicons]) if engine == "local" else None
    )
    writer = PartWriter(out, overwrite=overwrite)
    corpus_problems: list[pd.DataFrame] = []
    text_problems: list[pd.DataFrame] = []
    n_docs = 0
    bar = _progress(source, progress)
    try:
        if engine == "dask":
            from .scaleout import executor, fill

            with executor(scheduler, workers=workers) as ex:
                n_docs, corpus_problems, text_problems = fill(
                    writer, ex, source, config, load_options=load_options, bar=bar
                )
                engine_name = f"dask ({ex.name})"
        else:
            engine_name = "local"
            for docs, problems in iter_batches(
                source, batch_size=config.batch_size, **load_options
            ):
                if len(problems) or not corpus_problems:  # kept: rows (and one for columns)
                    corpus_problems.append(problems)
                writer.add("docs", docs.reset_index(drop=True))
                if len(docs):
                    tables = analyze_batch(docs, config, matcher)
                    tp = tables.pop("problems", None)
                    if tp is not None and (len(tp) or not text_problems):
                        text_problems.append(tp)
                    for name, df in tables.items():
                        writer.add(name, df)
                n_docs += len(docs)
                if bar is not None:
                    bar.update(int(docs["text"].str.len().sum()) if len(docs) else 0)
                    bar.set_postfix(docs=n_docs)
        cp = concat_problems(corpus_problems)
        writer.add("problems", merge_problems(cp, concat_tables(text_problems, "problems")))
        corpus = _Summary(docs=range(n_docs), source=str(source))
        manifest = manifest_of(key, corpus, src_sha, config, resources, engine_name, 0.0)
        manifest["corpus"].update(source_sha256=src_sha, streamed=True, n_problems=len(cp))
        manifest["seconds"] = round(time.perf_counter() - t0, 3)
        manifest["config"] = config.to_dict()
        writer.finish(manifest)
    except BaseException:
        writer.abort()
        raise
    finally:
        if bar is not None:
            bar.close()
    log.info("framelens: analysed %d documents into %s", n_docs, out)
    return Analysis.load(out, verify=False)


class _Summary:
    """What the manifest reads of a corpus: ``docs`` (its length) and ``source``."""

    def __init__(self, docs, source: str):
        self.docs, self.source = docs, source


def _existing(out: Path, key: str) -> Analysis | None:
    """The analysis at ``out`` when it has ``key`` and its files are as saved."""
    if not (out / MANIFEST).is_file():
        return None
    try:
        an = Analysis.load(out, verify=True)
    except Exception as exc:  # damaged: recomputed
        log.warning("framelens: analysis at %s not used (%s); recomputing", out, exc)
        return None
    return an if an.manifest.get("key") == key else None


def _progress(source, progress: bool | None):
    """A progress bar over characters read (MB/s), or None."""
    path = Path(source)
    size = (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else path.stat().st_size
    )
    show = size > 1_000_000 if progress is None else progress
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=size, unit="B", unit_scale=True, desc="framelens analyze")
