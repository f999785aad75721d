"""The analysis cache: the one analysis key, resource hashes and the cache folder."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd

from framelens import __version__
from framelens.core import provenance
from framelens.core.resources import data_path

from .config import Config, as_config

log = logging.getLogger(__name__)


def lexicon_hashes(config: Config | None = None) -> dict[str, str]:
    """Content hash of every lexicon (and the gazetteer) a configuration uses."""
    from framelens import lexicon

    config = as_config(config)
    out = {}
    for name in config.lexicons:
        lex = lexicon.load(name)
        out[lex.name] = lex.hash
    if "actors" in config.steps:
        out["gazetteer"] = _gazetteer_hash(config.gazetteer)
    # the text layer's reporting-verb classes decide every quote's verb_class
    out["reporting_verbs"] = provenance.sha256_file(data_path("reporting_verbs.yaml"))
    return out


def _gazetteer_hash(path: str | None) -> str:
    if path:
        return provenance.sha256_file(path)
    builtin = data_path("actors.yaml")
    return provenance.sha256_file(builtin) if builtin.exists() else "missing"


def analysis_key(corpus, config: Config | None = None) -> str:
    """The cache key of an analysis: hash of the documents, configuration, lexicon
    contents and package version."""
    config = as_config(config)
    return key_of(provenance.sha256_frame(_docs_of(corpus)), config)


def key_of(docs_sha256: str, config: Config) -> str:
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
    from framelens.corpus import Corpus, load_corpus

    if isinstance(corpus, Corpus):
        return corpus.docs
    if isinstance(corpus, pd.DataFrame):
        if "doc_id" in corpus.columns and "text" in corpus.columns:
            return corpus
        return load_corpus(corpus).docs
    return load_corpus(corpus).docs
