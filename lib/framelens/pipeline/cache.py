"""The analysis cache: the one analysis key, the resource hashes and the cache folder.

Everything an analysis reads besides the documents is a *resource*: the lexicons of
``Config.lexicons``, the reporting-verb lexicon of the text layer, the attribution
model's weights (``Config.attribution="model"``, the default), and the files each
selected step declares (``resources`` of :func:`framelens.measures.register_step`,
e.g. the ``actors`` step's gazetteer), given the step's resolved options.
:func:`resource_hashes` hashes them, and the analysis key (:func:`analysis_key`) is the
hash of the documents, the configuration, the resource hashes, the package version and
the package's own files. The runner calls the same functions; nothing is listed twice.

Examples
--------
>>> from framelens.pipeline import Config
>>> sorted(resource_hashes(Config(lexicons=["policy"], steps=[], sentiment=False)))
['attribution_model', 'policy', 'reporting_verbs']
>>> sorted(resource_hashes(Config(lexicons=[], steps=[], attribution="rules")))
['reporting_verbs']
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd

from framelens import __version__
from framelens.core import provenance
from framelens.errors import ConfigError

from .config import Config, as_config, registry

log = logging.getLogger(__name__)

__all__ = [
    "resource_hashes",
    "resource_files",
    "analysis_key",
    "key_of",
    "problems_sha256",
    "default_cache_dir",
    "CACHE_DIR_ENV",
]

#: Environment variable naming the cache folder (the runner sets it for its notebooks).
CACHE_DIR_ENV = "FRAMELENS_CACHE_DIR"

#: Label of the text layer's reporting-verb lexicon among the resources.
REPORTING_VERBS = "reporting_verbs"
#: Label of the attribution model's weights among the resources.
ATTRIBUTION_MODEL = "attribution_model"


def _resources(config: Config) -> list[tuple[str, str, Path]]:
    """``(label, reader, path)`` of every resource file: the text layer's reporting-verb
    lexicon and (``attribution="model"``) the model's weights, then each selected step's
    declared files (a label two readers share is prefixed with the step name,
    ``step.label``)."""
    from framelens.text.words import LEXICON_PATH

    declared = [(REPORTING_VERBS, "text", Path(LEXICON_PATH))]
    if config.attribution == "model":
        from framelens.core.resources import data_path
        from framelens.text.attribution_model import MODEL_FILE

        declared.append((ATTRIBUTION_MODEL, "text", data_path(MODEL_FILE)))
    for step in config.steps:
        paths = registry().resource_paths(step, config.step_options(step))
        declared.extend((label, step, Path(path)) for label, path in paths.items())
    count: dict[str, int] = {}
    for label, _, _ in declared:
        count[label] = count.get(label, 0) + 1
    return [
        (f"{reader}.{label}" if count[label] > 1 else label, reader, path)
        for label, reader, path in declared
    ]


def resource_files(config: Config | None = None) -> dict[str, Path]:
    """The resource files an analysis with ``config`` reads, ``{label: path}``: the text
    layer's reporting-verb lexicon and the files the selected steps declare (lexicons of
    ``Config.lexicons`` are hashed by content, see :func:`resource_hashes`).

    Examples
    --------
    >>> from framelens.pipeline import Config
    >>> sorted(resource_files(Config(steps=["actors"], sentiment=False)))
    ['attribution_model', 'gazetteer', 'reporting_verbs']
    """
    return {label: path for label, _, path in _resources(as_config(config))}


def resource_hashes(config: Config | None = None) -> dict[str, str]:
    """Content hash of every resource an analysis with ``config`` reads.

    Parameters
    ----------
    config : Config, mapping, path or None
        The configuration (see :func:`framelens.pipeline.config.as_config`).

    Returns
    -------
    dict
        ``{lexicon name: Lexicon.hash}`` for ``config.lexicons`` and
        ``{label: sha256 of the file}`` for :func:`resource_files`.

    Raises
    ------
    ConfigError
        When a step's resource file does not exist (the message names the step).

    Examples
    --------
    >>> from framelens.pipeline import Config
    >>> h = resource_hashes(Config(steps=["actors"], lexicons=[], attribution="rules"))
    >>> sorted(h), len(h["gazetteer"])
    (['gazetteer', 'reporting_verbs'], 64)
    """
    from framelens import lexicon

    config = as_config(config)
    out: dict[str, str] = {}
    for name in config.lexicons:
        lex = lexicon.load(name)
        out[lex.name] = lex.hash
    for label, reader, path in _resources(config):
        if not path.is_file():
            fix = (
                "the package's data folder is incomplete: reinstall framelens"
                if reader == "text"
                else f"fix the path in the configuration (options.{reader})"
            )
            raise ConfigError(f"step {reader!r} reads {label} from {path}, not a file; {fix}")
        out[label] = provenance.sha256_file(path)
    return out


def analysis_key(corpus, config: Config | None = None, *, resources=None) -> str:
    """The cache key of an analysis of ``corpus`` (a Corpus, a DataFrame or a path).

    The hash of the documents, the corpus's input problems, the configuration, the
    resource hashes, the package version, the package's own files and the versions of
    the libraries that compute tables (:func:`key_of`): the key :func:`analyze` uses.
    A DataFrame or path is loaded with :func:`framelens.load_corpus` first, as
    ``analyze`` does.

    Parameters
    ----------
    corpus : Corpus, DataFrame or path
    config : Config, mapping, path or None
    resources : dict, optional, keyword-only
        Precomputed :func:`resource_hashes` of ``config``.

    Examples
    --------
    >>> import pandas as pd
    >>> from framelens.pipeline import Config
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One.", ""]})
    >>> len(analysis_key(docs, Config(steps=[], sentiment=False)))
    24
    """
    config = as_config(config)
    corpus = _corpus_of(corpus)
    return key_of(
        provenance.sha256_frame(corpus.docs),
        config,
        resources,
        problems_sha256=problems_sha256(corpus.problems, source=corpus.source),
    )


def problems_sha256(problems: pd.DataFrame, *, source: str | None = None) -> str:
    """Content hash of a corpus's ``problems`` table, independent of how the corpus path
    was spelt: the ``source`` column and the ``source`` prefix of each message (the path
    as given, ``data/sample`` or ``/abs/data/sample``) are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"source": ["x.csv"], "message": ["x.csv, row 2: empty"]})
    >>> moved = p.assign(source="/d/x.csv", message="/d/x.csv, row 2: empty")
    >>> problems_sha256(p) == problems_sha256(moved)
    True
    """
    p = problems.drop(columns=["source"], errors="ignore")
    if "message" in p.columns and len(p):
        prefixes = problems["source"].astype(str) if "source" in problems.columns else None
        if prefixes is None and source:
            prefixes = pd.Series(str(source), index=p.index)
        if prefixes is not None:
            msgs = p["message"].astype(str)
            cut = [m[len(s) + 2 :] if m.startswith(f"{s}, ") else m for m, s in zip(msgs, prefixes)]
            p = p.assign(message=cut)
    return provenance.sha256_frame(p.reset_index(drop=True))


#: Libraries whose code computes tables (sentences, matches, sentiment, Parquet types):
#: their versions are part of the analysis key.
TABLE_LIBRARIES = ("pandas", "numpy", "pyarrow", "nltk", "pyahocorasick", "vaderSentiment")


def _library_versions() -> dict[str, str | None]:
    from importlib import metadata

    out: dict[str, str | None] = {}
    for name in TABLE_LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def key_of(
    docs_sha256: str,
    config: Config,
    resources: dict[str, str] | None = None,
    *,
    problems_sha256: str | None = None,
) -> str:
    """The analysis key from the documents' hash and the problems' hash
    (:func:`problems_sha256`; ``resources``: precomputed :func:`resource_hashes` of
    ``config``).

    ``problems_sha256`` is part of every key :func:`analyze` makes; a caller that
    leaves it out gets a key of the documents alone, which no cached analysis has.
    """
    parts = {
        "docs": docs_sha256,
        "config": config.hash,
        "lexicons": resource_hashes(config) if resources is None else resources,
        "framelens": __version__,
        "code": provenance.package_fingerprint(analysis=True),
        "libraries": _library_versions(),
    }
    if problems_sha256 is not None:
        parts["problems"] = problems_sha256
    return provenance.stable_json_hash(parts)[:24]


def default_cache_dir(project: str | Path | None = None) -> Path:
    """Where analyses are cached: the one rule for the pipeline, the CLI and the runner.

    ``$FRAMELENS_CACHE_DIR`` if set; else ``.framelens-cache`` in ``project`` when given
    (the runner passes the workbook's folder); else in the nearest folder at or above
    the current one holding ``pyproject.toml`` or ``workbook.yaml``; else
    ``~/.cache/framelens``.

    Examples
    --------
    >>> import os
    >>> default_cache_dir("/tmp/proj").as_posix() if CACHE_DIR_ENV not in os.environ else ""
    '/tmp/proj/.framelens-cache'
    """
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    if project is not None:
        return Path(project).expanduser().resolve() / ".framelens-cache"
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if (d / "workbook.yaml").exists() or (d / "pyproject.toml").exists():
            return d / ".framelens-cache"
    return Path.home() / ".cache" / "framelens"


def _corpus_of(corpus):
    """A Corpus from a Corpus, a DataFrame or a path (loaded as :func:`analyze` loads it)."""
    from framelens.corpus import Corpus, load_corpus

    return corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
