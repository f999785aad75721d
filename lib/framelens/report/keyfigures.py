"""Key figures: the headline numbers a report shows and the report index lists.

:func:`key_figures` displays a small table and records the figures under the MIME type
:data:`KEY_FIGURES_MIME` in the notebook's output; the runner reads them back from the
executed notebook (:func:`framelens.runner.render.key_figures_of`). This module imports
only the standard library, so the runner can read the constant without loading pandas.

Examples
--------
>>> bundle = key_figures({"documents": 4}, display=False)
>>> bundle[KEY_FIGURES_MIME]["figures"]
{'documents': 4}
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

__all__ = ["KEY_FIGURES_MIME", "key_figures"]

#: MIME type of the key-figures record in a notebook's outputs (the one definition).
KEY_FIGURES_MIME = "application/vnd.framelens.key-figures+json"


def _plain(v: Any) -> Any:
    if hasattr(v, "item") and callable(v.item) and getattr(v, "ndim", None) == 0:
        v = v.item()  # a NumPy scalar
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, (int, str)) or v is None:
        return v
    return str(v)


def key_figures(figures: Mapping[str, Any], *, title: str = "Key figures", display: bool = True):
    """Show a small table of headline numbers and record them for the report index.

    The output carries the figures as JSON under the MIME type
    ``application/vnd.framelens.key-figures+json``; the runner reads it from the executed
    notebook and shows the figures in ``reports/index.html``.

    Parameters
    ----------
    figures : mapping
        name -> value (numbers or short strings), in display order; NumPy scalars become
        plain numbers, NaN/inf become ``None``.
    title : str, keyword-only
        Heading of the small table.
    display : bool, keyword-only
        Show the bundle (default) or return it.

    Returns
    -------
    dict or None
        The display bundle (``text/html``, ``text/plain`` and the key-figures JSON) when
        ``display=False``, else None.

    Raises
    ------
    ValueError
        When ``figures`` is empty or not a mapping.

    Examples
    --------
    >>> bundle = key_figures({"documents": 4, "quotes per 1,000 words": 3.25}, display=False)
    >>> bundle["application/vnd.framelens.key-figures+json"]["figures"]["documents"]
    4
    """
    from framelens.report.core import escape

    if not isinstance(figures, Mapping) or not figures:
        raise ValueError("key_figures needs a non-empty mapping of name -> value")
    clean = {str(k): _plain(v) for k, v in figures.items()}

    def shown(v: Any) -> Any:
        if isinstance(v, float):
            return f"{v:,.3g}"
        if isinstance(v, int) and not isinstance(v, bool):
            return f"{v:,}"
        return v

    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:12px'>{escape(k)}</th>"
        f"<td style='text-align:right'>{escape(shown(v))}</td></tr>"
        for k, v in clean.items()
    )
    bundle = {
        "text/html": f'<div class="fl-key-figures"><strong>{escape(title)}</strong>'
        f"<table>{rows}</table></div>",
        "text/plain": json.dumps(clean, ensure_ascii=False),
        # notebooks are saved with sorted keys: "order" keeps the author's order
        KEY_FIGURES_MIME: {"title": str(title), "figures": clean, "order": list(clean)},
    }
    if not display:
        return bundle
    from IPython.display import display as _display

    _display(bundle, raw=True)
    return None
