"""The streamed analysis on a Dask cluster: workers read, analyse and write their batches.

What :func:`framelens.pipeline.analyze_to` runs with ``engine="dask"``. The driver plans
the batches (:func:`.partitions.plan`: byte offsets of the batches of a JSON lines, CSV
or TSV file, row ranges of a Parquet file, file lists of a .txt folder) and never holds
the corpus; each task reads its own batch from the source
file, runs :func:`~framelens.pipeline.engine.analyze_batch` and writes the batch's table
parts straight into the analysis's temporary folder (``<table>/part-<batch>.parquet``, so
the order does not depend on which task finishes first), and returns only small metadata:
the files it wrote (rows, SHA-256), its problem rows, and the ids and text hashes its
duplicate checks were shown.

Repeats across batches (a ``doc_id`` or a text used in an earlier batch) are found from
those lists in a second, cheap pass: the driver replays them in batch order and, for
each batch that meets an id or a text of an earlier batch, reruns that batch with a
duplicate checker seeded with just those entries, until nothing changes (usually one
rerun of the few batches concerned, none for a corpus without repeats). The problem rows
and tables are then those of the local streamed run.

Other sources (a DataFrame, files the line readers do not stream: another encoding than
UTF-8, a byte-order mark, a quoted field that never closes ...) are read on the driver,
as the local run reads them (a log line says so); only the analysis of each batch runs
on the cluster.

The analysis folder must be on a file system the workers share with the driver (always
so for a LocalCluster).
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core import provenance
from framelens.corpus.plan import for_batch
from framelens.errors import ConfigError

from . import partitions
from .config import Config

log = logging.getLogger(__name__)

__all__ = ["run_batches", "replay_seeds", "executor"]


@functools.lru_cache(maxsize=4)
def _matcher(lexicons: tuple[str, ...]):
    """The compiled lexicon matcher, once per worker process."""
    from framelens import lexicon

    return lexicon.compiled([lexicon.load(n) for n in lexicons])


def _write_batch(tmp: str, index: int, width: int, docs: pd.DataFrame, config: Config) -> dict:
    """Analyse one batch and write its parts; what the driver needs to know of it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .engine import analyze_batch

    tables = {"docs": docs.reset_index(drop=True)}
    text_problems = None
    if len(docs):
        out = analyze_batch(docs, config, _matcher(tuple(config.lexicons)))
        text_problems = out.pop("problems", None)
        tables.update(out)
    files: dict[str, dict] = {}
    empty: dict[str, pd.DataFrame] = {}
    for name, df in tables.items():
        if len(df) == 0:
            empty[name] = df.iloc[0:0]
            continue
        rel = f"{name}/part-{index:0{width}d}.parquet"
        (Path(tmp) / name).mkdir(exist_ok=True)
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), Path(tmp) / rel)
        files[rel] = {
            "table": name,
            "rows": len(df),
            "sha256": provenance.sha256_file(Path(tmp) / rel),
        }
    n_chars = int(docs["text"].str.len().sum()) if len(docs) else 0
    return {
        "index": index,
        "files": files,
        "empty": empty,
        "names": list(tables),
        "text_problems": text_problems,
        "n_docs": len(docs),
        "n_chars": n_chars,
    }


def planned_task(p, batch, seed, tmp: str, width: int, config: Config) -> dict:
    """A Dask task: read batch ``batch`` of plan ``p`` (duplicate checker seeded with
    ``seed``), analyse it and write its parts into ``tmp``."""
    checker = partitions.RecordingChecker(seed)
    docs, problems = partitions.read(p, batch, checker=checker)
    meta = _write_batch(tmp, batch.index, width, docs, config)
    meta.update(
        problems=problems,
        phases=list(problems.attrs.get("phases", [])),
        texts=checker.texts,
        ids=checker.ids,
        seed=seed,
    )
    return meta


def docs_task(index: int, docs: pd.DataFrame, tmp: str, width: int, config: Config) -> dict:
    """A Dask task over a batch the driver read: analyse it and write its parts."""
    return _write_batch(tmp, index, width, docs, config)


def replay_seeds(calls: Sequence[tuple[list, list]]) -> list[dict | None]:
    """For each batch (in order), what its duplicate checker must know of the batches
    before it: the entries of the ids and text hashes it uses that earlier batches
    registered, or None when it uses none.

    ``calls[b]`` is ``(texts, ids)``: the ``(hash, record, doc_id)`` and ``(doc_id,
    record)`` the batch's checker was shown, in order.

    Examples
    --------
    >>> calls = [([("h1", "line 1", "a")], [("a", "line 1")]),
    ...          ([("h1", "line 2", "b")], [("b", "line 2")])]
    >>> replay_seeds(calls)
    [None, {'texts': {'h1': ('line 1', 'a', 1)}, 'ids': {}}]
    """
    texts: dict[str, tuple[str, str, int]] = {}
    ids: dict[str, str] = {}
    seeds: list[dict | None] = []
    for text_calls, id_calls in calls:
        s_texts = {h: texts[h] for h, _, _ in text_calls if h in texts}
        s_ids = {d: ids[d] for d, _ in id_calls if d in ids}
        seeds.append({"texts": s_texts, "ids": s_ids} if s_texts or s_ids else None)
        for h, rec, d in text_calls:
            got = texts.get(h)
            texts[h] = (rec, d, 1) if got is None else (got[0], got[1], got[2] + 1)
        for d, rec in id_calls:
            ids.setdefault(d, rec)
    return seeds


class executor:
    """Run tasks on Dask: a distributed ``Client`` (an address, a LocalCluster of
    ``workers`` processes, or the running client), or a local Dask scheduler by name
    (``"synchronous"``, ``"threads"``, ``"processes"``). A context manager; closes what it
    started.

    Examples
    --------
    >>> with executor("synchronous") as ex:
    ...     ex.map(lambda a, b: a + b, [(1, 2), (3, 4)])
    [3, 7]
    """

    LOCAL = ("synchronous", "threads", "processes")

    def __init__(self, scheduler: str | None = None, *, workers: int | None = None):
        if workers is not None and (
            isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
        ):
            raise ConfigError(f"workers must be a positive int, got {workers!r}")
        if workers is not None and scheduler is not None:
            raise ConfigError(
                "give either workers= (a LocalCluster is started) or scheduler= (an existing "
                f"cluster's address), not both (got workers={workers}, scheduler={scheduler!r})"
            )
        self.scheduler, self.workers = scheduler, workers
        self.client = self.cluster = None

    def __enter__(self):
        try:
            import dask  # noqa: F401
        except ImportError:
            raise ConfigError("engine='dask' needs dask: pip install 'framelens[dask]'") from None
        if self.scheduler in self.LOCAL:
            return self
        from distributed import Client, LocalCluster, get_client

        if self.scheduler is not None:
            self.client = Client(self.scheduler)
        elif self.workers is not None:
            self.cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self.client = Client(self.cluster)
        else:
            try:
                self.client, self.scheduler = get_client(), "running"
            except ValueError:
                self.workers = os.cpu_count() or 1
                return self.__enter__()
        return self

    def __exit__(self, *exc):
        if self.client is not None and self.scheduler != "running":
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    @property
    def name(self) -> str:
        """What ran the tasks, for the manifest."""
        if self.client is None:
            return str(self.scheduler)
        return f"distributed:{len(self.client.scheduler_info().get('workers', {}))} workers"

    def map(self, func: Callable, args: Sequence[tuple], *, done: Callable | None = None):
        """``[func(*a) for a in args]`` on the cluster; ``done(result)`` as each finishes."""
        if self.client is None:
            import dask

            results = list(
                dask.compute(
                    *[dask.delayed(func, pure=False)(*a) for a in args], scheduler=self.scheduler
                )
            )
            for r in results if done else ():
                done(r)
            return results
        from distributed import as_completed

        futures = [self.client.submit(func, *a, pure=False) for a in args]
        for fut in as_completed(futures) if done else ():
            done(fut.result())
        return self.client.gather(futures)


def run_batches(
    ex: executor, source, config: Config, tmp: Path, *, load_options: dict, bar=None
) -> tuple[list[dict], list[pd.DataFrame]]:
    """Every batch of ``source`` analysed by ``ex``'s tasks into ``tmp``: the batches'
    metadata in order and the corpus problems of each (phases in ``attrs``)."""
    # long: plan, first round, reruns until the duplicate checks agree, in one place
    p = partitions.plan(source, batch_size=config.batch_size, **load_options)

    def tick(meta: dict) -> None:
        if bar is not None:
            bar.update(meta["n_chars"])

    if p is None:
        return _driver_read(ex, source, config, tmp, load_options, tick)
    width = max(5, len(str(len(p.batches) - 1)))
    log.info("framelens: %d batch(es) of %s planned for the cluster", len(p.batches), source)
    args = [(for_batch(p, b), b, None, str(tmp), width, config) for b in p.batches]
    metas = ex.map(planned_task, args, done=tick)
    for _ in range(len(metas) + 1):
        seeds = replay_seeds([(m["texts"], m["ids"]) for m in metas])
        todo = [i for i, (m, s) in enumerate(zip(metas, seeds)) if m["seed"] != s]
        if not todo:
            break
        log.info("framelens: %d batch(es) rerun for repeats of earlier batches", len(todo))
        again = ex.map(planned_task, [(*args[i][:2], seeds[i], *args[i][3:]) for i in todo])
        for i, meta in zip(todo, again):
            for rel in set(metas[i]["files"]) - set(meta["files"]):
                (tmp / rel).unlink(missing_ok=True)  # a table this batch no longer has rows for
            metas[i] = meta
    problems = []
    for m in metas:
        m["problems"].attrs["phases"] = m["phases"]
        problems.append(m["problems"])
    return metas, problems


def _driver_read(ex, source, config, tmp, load_options, tick) -> tuple[list[dict], list]:
    """Sources without a plan: read in batches on the driver, analysed on the cluster."""
    from framelens.corpus import iter_batches

    log.info(
        "framelens: %s is not a source the workers can read in parts (see "
        "framelens.corpus.plan); it is read on the driver and only its analysis runs on "
        "the cluster",
        source,
    )
    batches = list(iter_batches(source, batch_size=config.batch_size, **load_options))
    width = max(5, len(str(len(batches) - 1)))
    args = [(i, docs, str(tmp), width, config) for i, (docs, _) in enumerate(batches)]
    problems = [pr for _, pr in batches]
    del batches
    return ex.map(docs_task, args, done=tick), problems


def harmonise(tmp: Path, files: dict[str, dict]) -> None:
    """Give every part of a table the Arrow schema of its first part where it can be cast
    (as :class:`~framelens.pipeline.store.PartWriter` writes them); ``files`` updated."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    first: dict[str, Any] = {}
    for rel in sorted(files):
        info = files[rel]
        schema = pq.read_schema(tmp / rel)
        want = first.setdefault(info["table"], schema)
        if schema.equals(want):  # field types as PartWriter compares them
            continue
        try:
            table = pq.read_table(tmp / rel).cast(want)
        except (pa.ArrowException, ValueError, TypeError):
            continue  # kept as it is; the dataset reader unifies what it can
        pq.write_table(table, tmp / rel)
        info["sha256"] = provenance.sha256_file(tmp / rel)


def fill(writer, ex: executor, source, config: Config, *, load_options: dict, bar=None):
    """Run every batch of ``source`` on ``ex`` into ``writer``'s temporary folder and
    register the parts with it: ``(n_docs, corpus problems per batch, text problems)``."""
    metas, problems = run_batches(
        ex, source, config, writer.tmp, load_options=load_options, bar=bar
    )
    for m in metas:
        for name in m["names"]:
            writer.rows.setdefault(name, 0)
        for rel, info in m["files"].items():
            writer.files[rel] = dict(info)
            writer.rows[info["table"]] += info["rows"]
        for name, df in m["empty"].items():
            writer.add(name, df)  # records the table's columns; no rows, no part
    harmonise(writer.tmp, writer.files)
    text_problems = [m["text_problems"] for m in metas]
    return sum(m["n_docs"] for m in metas), problems, text_problems
