"""Config: what an analysis computes, validated against the step registry.

The measure steps and their options are declared once, in the step registry
(:mod:`framelens.measures.registry`). ``Config`` checks a configuration against it when
it is made: an unknown step, an unknown option (``{"framing": {"headline_weigth": 2}}``)
or an ill-typed one raises :class:`~framelens.errors.ConfigError` naming the step and
its valid options, so nothing fails later inside a step.

Dependencies between steps follow from what they require and provide: selecting a step
whose input table only an unselected step provides (``alignment`` needs the
``mentions`` of ``actors``) is a ``ConfigError`` that names the step to add. The
missing step is not added silently: the configuration says what runs. Steps are kept
in dependency order, so equal selections are equal configurations.

Examples
--------
>>> Config(steps=["alignment"])
Traceback (most recent call last):
...
framelens.errors.ConfigError: step 'alignment' requires the table 'mentions', which the \
step 'actors' provides; add 'actors' to steps
>>> Config(steps=["framing", "actors"]).steps
('actors', 'framing')
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from framelens.core import provenance
from framelens.errors import ConfigError

log = logging.getLogger(__name__)

__all__ = ["Config", "as_config", "default_steps", "ATTRIBUTIONS", "DEFAULT_LEXICONS", "MANIFEST"]

#: Built-in lexicons matched by default (one compiled matcher for all of them).
DEFAULT_LEXICONS = ("policy", "generic", "bias_cues", "neutrality_discourse", "relations")

BASE_TABLES = ("docs", "problems", "sentences", "quotes", "segments", "matches", "mentions")

ENGINES = ("local", "dask")

#: Attribution systems of the text layer (``Config.attribution``): the learned model
#: (:mod:`framelens.text.attribution_layer`) or the rule layer alone.
ATTRIBUTIONS = ("model", "rules")

MANIFEST = "manifest.json"

#: Top-level configuration keys that set a step's option: key -> (step, option).
STEP_SHORTCUTS = {"gazetteer": ("actors", "gazetteer")}


def registry():
    """The step registry with the built-in steps registered (imported on first use,
    so that ``import framelens.pipeline`` stays light)."""
    from framelens import measures

    return measures


def default_steps() -> tuple[str, ...]:
    """Every registered step, in dependency order (the default ``Config.steps``).

    Examples
    --------
    >>> default_steps()
    ('actors', 'framing', 'neutrality', 'alignment')
    """
    return tuple(registry().steps())


def _normal_options(options: Any) -> dict[str, dict[str, Any]]:
    """Validate ``Config.options`` against the registry; drop values equal to defaults.

    Dropping defaults makes equal configurations equal (and hash the same) whether an
    option is left out or set to its default.
    """
    if not isinstance(options, Mapping) or not all(
        isinstance(v, Mapping) for v in options.values()
    ):
        raise ConfigError(
            "options must map step names to mappings of keyword options, e.g. "
            "options={'framing': {'headline_weight': 2.0}}"
        )
    reg = registry()
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(options, key=str):
        try:
            spec = reg.get_step(name)
        except ConfigError as exc:
            raise ConfigError(f"options: {exc}") from None
        given = dict(options[name])
        reg.resolve_options(name, given)  # unknown or ill-typed: ConfigError
        kept = {k: v for k, v in given.items() if not _same(v, spec.options[k].default)}
        if kept:
            out[name] = kept
    return out


def _same(a: Any, b: Any) -> bool:
    """``a`` and ``b`` are the same option value (``2`` is ``2.0``; ``True`` is not ``1``)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


@dataclasses.dataclass(frozen=True)
class Config:
    """What an analysis computes. Constructors only store (and validate) parameters.

    Parameters
    ----------
    lexicons : tuple of str
        Built-in lexicon names or paths to lexicon files (any format
        :func:`framelens.lexicon.load` reads); all are compiled into one matcher.
    gazetteer : str or None
        Path to an actor gazetteer replacing the built-in one (None: built-in); the
        ``gazetteer`` option of the ``actors`` step.
    sentiment : bool
        Compute VADER sentence sentiment (the costliest step per byte).
    steps : tuple of str
        Registered measure steps to run (default: all, :func:`default_steps`); kept in
        dependency order.
    batch_size : int
        Documents per batch (default 1000). Memory grows with the batch, not with the
        corpus; per-batch costs (pandas calls per step) shrink with larger batches. Every
        table is the same for any batch size, so it is not part of :attr:`hash`.
    attribution : {"model", "rules"}
        Attribution system of the text layer, passed to :func:`framelens.text.process`:
        ``"model"`` (default), the learned attribution model (quotes gain
        ``attribution`` kinds and ``speaker_id``), or ``"rules"``, the rule layer alone.
        Part of :attr:`hash` (and so of the cache key); the manifest records it.
    options : mapping
        Keyword options per step name, e.g. ``{"framing": {"sentence_min_cues": 2}}``;
        checked against each step's declared options. Values equal to the default are
        dropped (see :meth:`step_options` for the resolved options).

    Raises
    ------
    ConfigError
        Unknown step, unknown or ill-typed option, a step without the step providing its
        input, or a field of the wrong type.

    Examples
    --------
    >>> c = Config(sentiment=False)
    >>> c.hash == Config(sentiment=False).hash
    True
    >>> Config.from_dict({"sentiment": False}) == c
    True
    >>> c.hash == Config(sentiment=False, attribution="rules").hash
    False
    >>> Config(attribution="crf")
    Traceback (most recent call last):
    ...
    framelens.errors.ConfigError: attribution must be one of ['model', 'rules'] (the \
learned attribution model or the rule layer), not 'crf'

    >>> Config(options={"framing": {"headline_weigth": 2}})
    Traceback (most recent call last):
    ...
    framelens.errors.ConfigError: framing has no option 'headline_weigth'; valid options: \
actor_cues, dense_sentences, headline_weight, lead_sentences, lead_weight, schemes, \
sentence_min_cues, thresholds (did you mean 'headline_weight'?)
    """

    lexicons: tuple[str, ...] = DEFAULT_LEXICONS
    gazetteer: str | None = None
    sentiment: bool = True
    steps: tuple[str, ...] = dataclasses.field(default_factory=default_steps)
    batch_size: int = 1000
    attribution: str = "model"
    options: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        for name in ("lexicons", "steps"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ConfigError(
                    f"{name} must be a list of names, e.g. {name}=[{value!r}], not {value!r}"
                )
            object.__setattr__(self, name, tuple(value))
        if not isinstance(self.sentiment, bool):
            raise ConfigError(f"sentiment must be true or false, not {self.sentiment!r}")
        if self.gazetteer is not None and not isinstance(self.gazetteer, (str, os.PathLike)):
            raise ConfigError(f"gazetteer must be a path or None, not {self.gazetteer!r}")
        if isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int):
            raise ConfigError(f"batch_size must be a positive integer, not {self.batch_size!r}")
        if self.batch_size < 1:
            raise ConfigError(f"batch_size must be a positive integer, not {self.batch_size!r}")
        if not isinstance(self.attribution, str) or self.attribution not in ATTRIBUTIONS:
            raise ConfigError(
                f"attribution must be one of {list(ATTRIBUTIONS)} (the learned attribution "
                f"model or the rule layer), not {self.attribution!r}"
            )
        object.__setattr__(self, "steps", registry().order_steps(self.steps))
        object.__setattr__(self, "options", _normal_options(self.options))
        for key, (step, option) in STEP_SHORTCUTS.items():
            top, inner = getattr(self, key), self.options.get(step, {}).get(option)
            if top is not None and inner is not None and str(top) != str(inner):
                raise ConfigError(
                    f"{key} is {top!r} but options.{step}.{option} is {inner!r}; set one"
                )
        for name in self.steps:  # options that check each other (registry.resolve_options)
            self.step_options(name)

    def __hash__(self):  # options is a dict
        return hash(self.hash)

    def step_options(self, name: str) -> dict[str, Any]:
        """The resolved options of step ``name``: what it runs with, defaults included.

        Examples
        --------
        >>> Config(options={"framing": {"lead_sentences": 3}}).step_options("framing")[
        ...     "lead_sentences"]
        3
        """
        given = dict(self.options.get(name, {}))
        for key, (step, option) in STEP_SHORTCUTS.items():
            if step == name and getattr(self, key) is not None:
                given.setdefault(option, getattr(self, key))
        return registry().resolve_options(name, given)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (what is hashed and written into manifests)."""
        return {
            "lexicons": list(self.lexicons),
            "gazetteer": self.gazetteer,
            "sentiment": bool(self.sentiment),
            "steps": list(self.steps),
            "batch_size": int(self.batch_size),
            "attribution": self.attribution,
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
        """Build a Config from plain data, rejecting unknown keys with the valid ones.

        Examples
        --------
        >>> Config.from_dict({"sentimnet": False})
        Traceback (most recent call last):
        ...
        framelens.errors.ConfigError: unknown configuration key(s) ['sentimnet']; valid \
keys: ['attribution', 'batch_size', 'gazetteer', 'lexicons', 'options', 'sentiment', \
'steps']
        """
        data = dict(data or {})
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - fields, key=str)
        if unknown:
            raise ConfigError(
                f"unknown configuration key(s) {unknown}; valid keys: {sorted(fields)}"
            )
        if data.get("options") is None:
            data.pop("options", None)
        return cls(**data)

    @classmethod
    def from_file(cls, path: str | Path) -> Config:
        """Read a YAML (or JSON) configuration file; errors name the file."""
        import yaml

        p = Path(path)
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise FileNotFoundError(f"{p}: configuration file not found") from None
        except yaml.YAMLError as exc:
            raise ConfigError(
                f"{p}: not valid YAML ({exc}); fix the file or pass no config"
            ) from None
        if not isinstance(data, dict):
            raise ConfigError(f"{p}: a configuration file must hold a mapping of keys to values")
        try:
            return cls.from_dict(data)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{p}: {exc}") from None


def as_config(config: Config | Mapping | str | Path | None) -> Config:
    """A :class:`Config` from a Config, a mapping, a YAML path or None (the default).

    Examples
    --------
    >>> as_config({"sentiment": False}) == Config(sentiment=False)
    True
    """
    if config is None or config == "":
        return Config()
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return Config.from_dict(config)
    return Config.from_file(config)
