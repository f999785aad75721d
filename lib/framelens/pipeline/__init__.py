"""The analysis pipeline: ``analyze()`` orders the steps, batches, caches.

``analyze`` runs once per (corpus, configuration). Documents are processed in batches;
each batch goes through the text layer (sentences, quotes, voice segments), ONE
compiled lexicon matcher for all configured lexicons, the actor gazetteer, optional
VADER sentiment, and the measure steps (framing, neutrality, alignment). Every step is
a pure function over the batch"s tables (see docs/architecture.md). The result is an
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

from .analysis import Analysis
from .cache import analysis_key, default_cache_dir, lexicon_hashes
from .config import DEFAULT_LEXICONS, MANIFEST, STEPS, Config
from .engine import analyze, analyze_batch, open_analysis

__all__ = [
    "Config",
    "Analysis",
    "analyze",
    "open_analysis",
    "analysis_key",
    "lexicon_hashes",
    "default_cache_dir",
    "STEPS",
    "DEFAULT_LEXICONS",
]
