"""Display helpers for notebooks and reports.

:mod:`framelens.report.core` holds what every report uses: escaping, tables with a CSV
download, notes and sections; :mod:`~framelens.report.style` the colour-blind-safe
palette (Okabe–Ito) and matplotlib style, :mod:`~framelens.report.highlight`
highlighted text as HTML with all corpus text escaped, :mod:`~framelens.report.keyfigures`
the key figures the report index shows, :mod:`~framelens.report.params` the one
notebook-parameter helper (check a notebook's parameters, select its documents) and
:mod:`~framelens.report.notebook` what else a validation cell needs (paths that resolve
from ``notebooks/`` and from the repository root; injected parameters checked by name). One module
per measure family (:mod:`framelens.report.framing`, :mod:`framelens.report.neutrality`,
:mod:`framelens.report.alignment`) builds that family's figures and article section on top
of it; :mod:`framelens.report.article` and :mod:`framelens.report.corpus` hold the pieces of the
article and corpus reports, :mod:`~framelens.report.attributed` the attributed-share figure,
:mod:`~framelens.report.speakers` the pronoun filter of speaker rankings,
:mod:`~framelens.report.findings` each report's key result in one sentence and
:mod:`~framelens.report.validation` the validation report's tables. Reports never
recompute a measure: they read the analysis's tables and the options it recorded.

Submodules are imported on use (``import framelens.report.framing``) so that importing
``framelens.report`` stays cheap.

Examples
--------
>>> from framelens.report.highlight import highlight_html
>>> import pandas as pd
>>> html = highlight_html("a <b> c", pd.DataFrame({"start": [2], "end": [5], "label": ["x"]}))
>>> "&lt;b&gt;" in html
True
"""

from __future__ import annotations

import importlib

__all__ = [
    "core",
    "style",
    "highlight",
    "keyfigures",
    "params",
    "notebook",
    "quote_units",
    "input_quality",
    "speakers",
    "attributed",
    "findings",
    "validation",
    "article",
    "corpus",
    "framing",
    "framing_compare",
    "neutrality",
    "alignment",
]


def __getattr__(name: str):
    if name in __all__:
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise  # the module exists but something it imports is missing
            raise AttributeError(
                f"framelens.report.{name} is not available in this installation"
            ) from None
    raise AttributeError(f"module 'framelens.report' has no attribute {name!r}")
