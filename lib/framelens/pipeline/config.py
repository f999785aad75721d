"""Config: what an analysis computes."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from framelens.core import provenance

log = logging.getLogger(__name__)


#: Built-in lexicons matched by default (one compiled matcher for all of them).
DEFAULT_LEXICONS = ("policy", "generic", "bias_cues", "neutrality_discourse", "relations")


#: Measure steps, in order: name -> "module:function". A registry, not an if-chain.
STEPS: dict[str, str] = {
    "actors": "framelens.actors:step",
    "framing": "framelens.measures.framing:step",
    "neutrality": "framelens.measures.neutrality:step",
    "alignment": "framelens.measures.alignment:step",
}


BASE_TABLES = ("docs", "problems", "sentences", "quotes", "segments", "matches", "mentions")


ENGINES = ("local", "dask")


MANIFEST = "manifest.json"


@dataclasses.dataclass(frozen=True)
class Config:
    """What an analysis computes. Constructors only store parameters.

    Parameters
    ----------
    lexicons : tuple of str
        Built-in lexicon names or paths to lexicon files (any format
        :func:`framelens.lexicon.load` reads); all are compiled into one matcher.
    gazetteer : str or None
        Path to an actor gazetteer replacing the built-in one (None: built-in).
    sentiment : bool
        Compute VADER sentence sentiment (the costliest step per byte).
    steps : tuple of str
        Measure steps to run, names from :data:`STEPS`, in that order.
    batch_size : int
        Documents per batch.
    options : mapping
        Keyword options per step name, e.g. ``{"framing": {"sentence_min_cues": 2}}``.

    Examples
    --------
    >>> c = Config(sentiment=False)
    >>> c.hash == Config(sentiment=False).hash
    True
    >>> Config.from_dict({"sentiment": False}) == c
    True
    """

    lexicons: tuple[str, ...] = DEFAULT_LEXICONS
    gazetteer: str | None = None
    sentiment: bool = True
    steps: tuple[str, ...] = tuple(STEPS)
    batch_size: int = 200
    options: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        for name in ("lexicons", "steps"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ValueError(
                    f"{name} must be a list of names, e.g. {name}=[{value!r}], not {value!r}"
                )
            object.__setattr__(self, name, tuple(value))
        if not isinstance(self.sentiment, bool):
            raise ValueError(f"sentiment must be true or false, not {self.sentiment!r}")
        if self.gazetteer is not None and not isinstance(self.gazetteer, (str, os.PathLike)):
            raise ValueError(f"gazetteer must be a path or None, not {self.gazetteer!r}")
        if not isinstance(self.options, Mapping) or not all(
            isinstance(v, Mapping) for v in self.options.values()
        ):
            raise ValueError("options must map step names to mappings of keyword options")
        unknown = [s for s in self.steps if s not in STEPS]
        if unknown:
            raise ValueError(f"unknown step(s) {unknown}; choose from {list(STEPS)}")
        if "alignment" in self.steps and "actors" not in self.steps:
            raise ValueError("the 'alignment' step needs the 'actors' step; add it to steps")
        bad_opts = [k for k in self.options if k not in STEPS]
        if bad_opts:
            raise ValueError(
                f"options given for unknown step(s) {bad_opts}; steps are {list(STEPS)}"
            )
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, not {self.batch_size!r}")

    def __hash__(self):  # options is a dict
        return hash(self.hash)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (what is hashed and written into manifests)."""
        return {
            "lexicons": list(self.lexicons),
            "gazetteer": self.gazetteer,
            "sentiment": bool(self.sentiment),
            "steps": list(self.steps),
            "batch_size": int(self.batch_size),
            "options": {k: dict(v) for k, v in sorted(self.options.items())},
        }

    @property
    def hash(self) -> str:
        """Content hash of the configuration (batch size excluded: it does not change results)."""
        d = self.to_dict()
        d.pop("batch_size")
        return provenance.stable_json_hash(d)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Config:
        """Build a Config from plain data, rejecting unknown keys with the valid ones."""
        data = dict(data or {})
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - fields)
        if unknown:
            raise ValueError(
                f"unknown configuration key(s) {unknown}; valid keys: {sorted(fields)}"
            )
        return cls(**data)

    @classmethod
    def from_file(cls, path: str | Path) -> Config:
        """Read a YAML (or JSON) configuration file."""
        import yaml

        p = Path(path)
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise FileNotFoundError(f"{p}: configuration file not found") from None
        except yaml.YAMLError as exc:
            raise ValueError(
                f"{p}: not valid YAML ({exc}); fix the file or pass no config"
            ) from None
        if not isinstance(data, dict):
            raise ValueError(f"{p}: a configuration file must hold a mapping of keys to values")
        try:
            return cls.from_dict(data)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{p}: {exc}") from None


def as_config(config: Config | Mapping | str | Path | None) -> Config:
    if config is None or config == "":
        return Config()
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return Config.from_dict(config)
    return Config.from_file(config)
