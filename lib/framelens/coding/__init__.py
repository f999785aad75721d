"""The coding room: coding sheets, the ``codes`` table and agreement with human coders.

A coding round: :func:`export` samples units (sentences, quotations, relation events,
documents) from an analysis, stratified and seeded, and writes CSV and XLSX sheets with
a codebook; coders fill them in; :func:`import_codes` reads them back into the tidy
``codes`` table, validating every cell; :func:`agreement` and :func:`tool_agreement`
report reliability among coders and between the tool and the coders.

The room imports :mod:`framelens.core`, :mod:`framelens.errors` and
:mod:`framelens.stats` only; it reads an analysis through its tables.

Examples
--------
>>> from framelens import coding
>>> cb = coding.codebook([{"variable": "bias", "level": "nominal",
...                        "values": ["biased", "neutral"], "definition": "Biased wording?"}])
>>> list(cb["variable"])
['bias']
"""

from __future__ import annotations

from .codebooks import LEVELS, allowed, codebook, read_codebook, value_codes
from .exporting import export
from .importing import codes_from_sheet, import_codes, read_sheet
from .intercoder import (
    TOOL,
    agreement,
    disagreements,
    pairwise_kappa,
    percent_agreement,
    reliability_matrix,
    tool_agreement,
    tool_codes,
)
from .sample import STRATA, allocate, sample_units
from .sheets import (
    HIDDEN_COLUMNS,
    coder_column,
    coding_sheet,
    neutralise,
    read_units,
    unneutralise,
    write_codes,
)
from .unit_table import UNIT_KINDS, units

__all__ = [
    "TOOL",
    "LEVELS",
    "STRATA",
    "UNIT_KINDS",
    "HIDDEN_COLUMNS",
    "agreement",
    "allocate",
    "allowed",
    "codebook",
    "coder_column",
    "codes_from_sheet",
    "coding_sheet",
    "disagreements",
    "export",
    "import_codes",
    "neutralise",
    "pairwise_kappa",
    "percent_agreement",
    "read_codebook",
    "read_sheet",
    "read_units",
    "reliability_matrix",
    "sample_units",
    "tool_agreement",
    "tool_codes",
    "units",
    "unneutralise",
    "value_codes",
    "write_codes",
]
