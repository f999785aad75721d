"""The analysis pipeline: ``analyze()`` runs the registered steps in batches, cached.

``analyze`` runs once per (corpus, configuration). Documents are processed in batches;
each batch goes through the text layer (sentences, quotes, voice segments), ONE
compiled lexicon matcher for all configured lexicons, optional VADER sentence
sentiment, and then the selected measure steps of the step registry
(:mod:`framelens.measures.registry`: ``actors``, ``framing``, ``neutrality``,
``alignment``, ...) in dependency order. Every step is a pure function over the
batch's tables (see docs/architecture.md). The result is an :class:`Analysis` - the
tidy tables plus a manifest of what made them, including each step's resolved options
(:meth:`Analysis.step_options`) - saved as Parquet under a cache folder keyed by the
content hash of corpus, configuration and resources (:mod:`.cache`), so an unchanged
corpus + configuration is loaded, not recomputed.

Sentence sentiment is a table of the base layer, not a registered step: it is switched
by ``Config.sentiment``, computed before the steps, and read by the steps that use it
when it is there (``neutrality``); a step cannot require it.

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

from .analysis import Analysis
from .cache import (
    analysis_key,
    default_cache_dir,
    resource_files,
    resource_hashes,
)
from .config import DEFAULT_LEXICONS, MANIFEST, Config, default_steps
from .engine import analyze, analyze_batch, open_analysis, run_step, step_records
from .store import check_destination as check_output
from .streamed import analyze_to, cache_folder, streamed_key

__all__ = [
    "Config",
    "Analysis",
    "analyze",
    "analyze_to",
    "cache_folder",
    "streamed_key",
    "analyze_batch",
    "open_analysis",
    "check_output",
    "run_step",
    "step_records",
    "analysis_key",
    "resource_hashes",
    "resource_files",
    "default_cache_dir",
    "default_steps",
    "DEFAULT_LEXICONS",
    "MANIFEST",
]


def __getattr__(name: str):
    # ``STEPS`` (step name -> "module:function") was a hand-kept map; it is now derived
    # from the step registry, for callers not yet moved to framelens.measures.steps().
    if name == "STEPS":
        from framelens import measures

        return {n: f"{s.func.__module__}:{s.func.__name__}" for n, s in measures.steps().items()}
    raise AttributeError(f"module 'framelens.pipeline' has no attribute {name!r}")
