"""framelens: transparent, validated measures of framing, neutrality language and
geopolitical alignment in news, with every number traceable to highlighted text.

The public entry points are :func:`load_corpus` and :func:`analyze`; the measures
live in the modules :mod:`framelens.measures.framing`, :mod:`framelens.measures.neutrality`,
:mod:`framelens.measures.alignment` and :mod:`framelens.sentiment`, and work on the tidy tables
described in docs/architecture.md.

Examples
--------
>>> import framelens
>>> corpus = framelens.load_corpus("data/sample")        # doctest: +SKIP
>>> an = framelens.analyze(corpus)                        # doctest: +SKIP
>>> an.quotes[["speaker", "verb", "verb_class"]].head()   # doctest: +SKIP
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

__all__ = ["__version__", "load_corpus", "Corpus", "analyze", "Analysis", "Config"]

_LAZY = {
    "load_corpus": "framelens.corpus",
    "Corpus": "framelens.corpus",
    "analyze": "framelens.pipeline",
    "Analysis": "framelens.pipeline",
    "Config": "framelens.pipeline",
}


def __getattr__(name: str):
    # Lazy so that `import framelens` stays fast (the CLI's start-up, the runner's skips).
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'framelens' has no attribute {name!r}")
