"""The shared primitives every room uses, each defined once.

- :mod:`~framelens.core.schema` — every table contract and vocabulary (VOICES,
  VERB_CLASSES, KINDS, ...).
- :mod:`~framelens.core.tokens` — the one word definition and length unit.
- :mod:`~framelens.core.spans` — the one locator: character offset -> sent_id and voice.
- :mod:`~framelens.core.normalize` — offset-preserving folding.
- :mod:`~framelens.core.provenance` — hashes, versions, git commit.
- :mod:`~framelens.core.resources` — where the package data lives.

``core`` imports nothing from the rest of framelens except :mod:`framelens.errors`.
"""
