"""Statistics over framelens tables: keyness, KWIC, contingency tests, bootstrap, reliability.

The room imports only :mod:`framelens.core` (and numpy, scipy, pandas). The modules
:mod:`.keyness` and :mod:`.kwic` hold the functions of the same names
(``stats.keyness.keyness``, ``stats.kwic.kwic``; :mod:`framelens.measures.framing`
re-exports both): a package export never shares its name with a submodule.

Examples
--------
>>> import pandas as pd
>>> from framelens import stats
>>> d = pd.DataFrame({"doc_id": ["a"], "text": ["New EU sanctions hit Russia."]})
>>> stats.kwic.kwic(d, "sanction*", window=1)["match"].tolist()
['sanctions']
"""

from __future__ import annotations

from . import bootstrap, contingency, keyness, kwic, reliability
from .bootstrap import bootstrap_ci, percentile_ci, resample_indices
from .contingency import GroupComparison, contingency_test
from .keyness import g2_table, term_counts
from .kwic import PATTERN_TYPES, pattern_regex
from .reliability import cohen_kappa, fleiss_kappa, krippendorff_alpha, ratings_matrix

__all__ = [
    "bootstrap",
    "contingency",
    "keyness",
    "kwic",
    "reliability",
    "GroupComparison",
    "contingency_test",
    "g2_table",
    "term_counts",
    "PATTERN_TYPES",
    "pattern_regex",
    "bootstrap_ci",
    "percentile_ci",
    "resample_indices",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "ratings_matrix",
]
