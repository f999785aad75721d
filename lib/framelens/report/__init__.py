"""Display helpers for notebooks and reports.

:mod:`framelens.report.core` holds what every report uses: a colour-blind-safe palette
(Okabe–Ito) and matplotlib style, highlighted text as HTML with all corpus text
escaped, tables with a CSV download, and key figures the report index shows. One module
per measure family (:mod:`framelens.report.framing`, :mod:`framelens.report.neutrality`,
:mod:`framelens.report.alignment`) builds that family's figures and article section on top
of it; :mod:`framelens.report.article` and :mod:`framelens.report.corpus` hold the pieces of the
article and corpus reports (and check those notebooks' parameters).

Submodules are imported on use (``import framelens.report.framing``) so that importing
``framelens.report`` stays cheap.

Examples
--------
>>> from framelens.report.core import highlight_html
>>> import pandas as pd
>>> html = highlight_html("a <b> c", pd.DataFrame({"start": [2], "end": [5], "label": ["x"]}))
>>> "&lt;b&gt;" in html
True
"""

from __future__ import annotations

import importlib

__all__ = ["core", "article", "corpus", "framing", "neutrality", "alignment"]


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
