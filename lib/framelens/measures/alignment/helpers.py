"""Removed: the alignment notebook's parameter checks and its event recomputation.

A notebook's parameters are checked by ``framelens.report.params.select`` (focal actor,
camps, group column, dates), and reports read the analysis's ``events`` table: events
depend on the focal actor the analysis ran with (``options.alignment.focal``), so they
are never recomputed for a report. These names stay only until
``alignment/__init__.py`` stops re-exporting them; calling one says where to go.

Examples
--------
>>> events_for(None)
Traceback (most recent call last):
...
framelens.errors.FramelensError: alignment.events_for was removed: ...
"""

from __future__ import annotations

from framelens.errors import FramelensError

__all__ = ["check_parameters", "events_for"]


def check_parameters(*args, **kwargs):
    """Removed: use ``framelens.report.params.select(analysis, focal=..., camp_a=...,
    camp_b=..., group_col=..., date_from=..., date_to=...)``."""
    raise FramelensError(
        "alignment.check_parameters was removed: check a notebook's parameters with "
        "framelens.report.params.select(analysis, focal=..., camp_a=..., camp_b=..., "
        "group_col=..., date_from=..., date_to=...)"
    )


def events_for(*args, **kwargs):
    """Removed: read ``analysis.events`` (computed with the configured focal actor)."""
    raise FramelensError(
        "alignment.events_for was removed: read analysis.events, which the analysis "
        "computed for options.alignment.focal (set it in the configuration)"
    )
