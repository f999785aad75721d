"""The measures: registered steps over the analysis tables.

Importing this package registers every built-in step (:mod:`.registry`): ``actors``
(:mod:`.mentions`), ``framing``, ``neutrality`` and ``alignment``. Each step declares the
tables it requires and provides, its options (with their one set of defaults) and the
files it reads.

Examples
--------
>>> from framelens import measures
>>> list(measures.steps())
['actors', 'framing', 'neutrality', 'alignment']
"""

from __future__ import annotations

from . import registry
from .registry import (
    Option,
    StepSpec,
    get_step,
    order_steps,
    register_step,
    resolve_options,
    resource_paths,
    steps,
)

# the step modules register themselves on import, in this order
# isort: off
from . import mentions
from . import framing, neutrality, alignment
from .supervised import step as supervised_step  # the opt-in step ``models``

# isort: on

supervised_step.register()

__all__ = [
    "registry",
    "mentions",
    "framing",
    "neutrality",
    "alignment",
    "Option",
    "StepSpec",
    "register_step",
    "steps",
    "get_step",
    "resolve_options",
    "resource_paths",
    "order_steps",
]
