"""The step registry: every measure step declares what it requires, provides and reads.

A *step* is a function ``step(tables, **options) -> dict[str, DataFrame]`` over one
batch of tables. It is registered once, with

- ``requires``: the tables it needs (``docs``, ``sentences``, ``mentions``, ...);
- ``provides``: the tables it makes;
- ``updates``: base tables it returns a new version of (``actors`` fills
  ``quotes.speaker_actor``): a step reading such a table runs after it when both are
  selected, but does not need it;
- ``options``: one :class:`Option` per keyword option, holding the option's ONE
  default, its type and, for closed sets, its choices;
- ``resources``: the files the step reads given its resolved options (they go into the
  analysis cache key and the provenance).

The dependency rule between steps follows from ``requires`` / ``provides``: a step runs
after every registered step that provides a table it requires, and a configuration
that selects a step without the step providing its input is rejected
(:func:`order_steps`). A table no registered step provides (``docs``, ``sentences``,
``matches``, ...) is a base table of the text layer.

The registered function is a thin wrapper of the decorated one: calling it resolves
the options first (:func:`resolve_options`: defaults filled in, unknown or ill-typed
options rejected with a :class:`~framelens.errors.ConfigError` naming the step), so the
decorated function takes its options keyword-only and without defaults.

Examples
--------
>>> import pandas as pd
>>> import framelens.measures  # registers the built-in steps
>>> list(steps())
['actors', 'framing', 'neutrality', 'alignment']
>>> get_step("alignment").requires
('docs', 'sentences', 'mentions')
>>> resolve_options("framing", {"headline_weight": 3.0})["headline_weight"]
3.0
>>> resolve_options("framing", {"headline_weigth": 3.0})
Traceback (most recent call last):
...
framelens.errors.ConfigError: framing has no option 'headline_weigth'; valid options: \
actor_cues, dense_sentences, headline_weight, lead_sentences, lead_weight, schemes, \
sentence_min_cues, thresholds (did you mean 'headline_weight'?)
"""

from __future__ import annotations

import difflib
import functools
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pandas import DataFrame

from framelens.errors import ConfigError

__all__ = [
    "Option",
    "StepSpec",
    "register_step",
    "steps",
    "get_step",
    "resolve_options",
    "resource_paths",
    "order_steps",
    "providers",
    "unregister_step",
]


def _type_name(t: type) -> str:
    names = {
        type(None): "None",
        bool: "true/false",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        tuple: "a list",
        dict: "a mapping",
        Mapping: "a mapping",
        Sequence: "a list",
    }
    return names.get(t, getattr(t, "__name__", str(t)))


@dataclass(frozen=True)
class Option:
    """One keyword option of a step: its name, type, single default and documentation.

    Parameters
    ----------
    name : str
        The keyword.
    type : type or tuple of types
        Accepted types (checked with ``isinstance``; ``int`` is accepted where
        ``float`` is, ``bool`` never counts as a number). ``None`` is accepted when
        the default is ``None`` or ``type(None)`` is among the types.
    default : any
        The one default value (what :func:`resolve_options` fills in).
    doc : str
        One line for the reader of a configuration or a report.
    choices : tuple, optional
        The allowed values; for a list value, the allowed elements.
    check : callable, optional
        ``check(value) -> str | None``: a further check; a returned string is the
        reason the value is invalid.

    Examples
    --------
    >>> o = Option("lead_sentences", int, 2, "sentences that count as the lead")
    >>> o.validate("framing", 3), o.expected
    (3, 'an integer')
    """

    name: str
    type: type | tuple[type, ...]
    default: Any
    doc: str
    choices: tuple | None = None
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)

    @property
    def types(self) -> tuple[type, ...]:
        """The accepted types as a tuple (``float`` options accept ``int`` too)."""
        ts = self.type if isinstance(self.type, tuple) else (self.type,)
        if float in ts and int not in ts:
            ts = (*ts, int)
        return ts

    @property
    def expected(self) -> str:
        """The accepted types in words (for messages)."""
        ts = self.type if isinstance(self.type, tuple) else (self.type,)
        if self.default is None and type(None) not in ts:
            ts = (*ts, type(None))
        words = list(dict.fromkeys(_type_name(t) for t in ts))
        return " or ".join(words)

    def validate(self, step: str, value: Any) -> Any:
        """Return ``value`` if valid for this option, else raise :class:`ConfigError`."""
        if value is None and (self.default is None or type(None) in self.types):
            return value
        ts = self.types
        ok = isinstance(value, ts) and not (
            isinstance(value, bool) and bool not in ts and (int in ts or float in ts)
        )
        if not ok:
            raise ConfigError(f"{step} option {self.name!r} must be {self.expected}, not {value!r}")
        if self.choices is not None:
            items = value if isinstance(value, (list, tuple)) else [value]
            bad = [v for v in items if v not in self.choices]
            if bad:
                raise ConfigError(
                    f"{step} option {self.name!r}: {bad[0]!r} is not one of "
                    f"{', '.join(map(repr, self.choices))}"
                )
        if self.check is not None:
            why = self.check(value)
            if why:
                raise ConfigError(f"{step} option {self.name!r}: {why}")
        return value


@dataclass(frozen=True)
class StepSpec:
    """A registered step (see the module docstring).

    ``func`` is the registered wrapper: it resolves the options, then runs the step.
    """

    name: str
    func: Callable[..., dict[str, DataFrame]]
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    options: Mapping[str, Option]
    resources: Callable[[Mapping[str, Any]], Mapping[str, Path]] | None = None
    updates: tuple[str, ...] = ()
    check: Callable[[Mapping[str, Any]], str | None] | None = field(default=None, compare=False)
    doc: str = ""
    default: bool = True

    def defaults(self) -> dict[str, Any]:
        """Every option's default."""
        return {k: o.default for k, o in self.options.items()}


_REGISTRY: dict[str, StepSpec] = {}


def register_step(
    name: str,
    *,
    requires: Iterable[str],
    provides: Iterable[str],
    options: Iterable[Option] = (),
    resources: Callable[[Mapping[str, Any]], Mapping[str, Path]] | None = None,
    updates: Iterable[str] = (),
    check: Callable[[Mapping[str, Any]], str | None] | None = None,
    default: bool = True,
) -> Callable[[Callable[..., dict[str, DataFrame]]], Callable[..., dict[str, DataFrame]]]:
    """Decorator registering ``func(tables, **options)`` as the pipeline step ``name``.

    long: the docstring documents every argument; the body only builds one StepSpec.

    Parameters
    ----------
    name : str
        The step name used in ``Config.steps`` and ``Config.options``.
    requires, provides : iterable of str
        Table names the step needs and makes.
    options : iterable of Option
        The step's keyword options (their defaults are the only defaults).
    resources : callable, optional
        ``resources(resolved_options) -> {label: Path}``: files the step reads.
    updates : iterable of str
        Base tables the step returns a new version of (ordering only).
    check : callable, optional
        ``check(resolved_options) -> str | None``: a check across options (e.g. one
        option needs another); a returned string is the reason they are invalid.
    default : bool
        Whether the step runs by default (is in :func:`steps` and so in the default
        ``Config.steps``); ``False``: opt-in, run only when a configuration selects it.

    Returns
    -------
    callable
        A decorator; the decorated function is replaced by a wrapper that resolves
        options (:func:`resolve_options`) before calling it.

    Raises
    ------
    ConfigError
        When ``name`` is already registered or an option name repeats.

    Examples
    --------
    >>> @register_step("doc_lengths_example", requires=("docs",), provides=("doc_lengths",),
    ...                options=[Option("scale", float, 1.0, "multiplier")])
    ... def doc_lengths(tables, *, scale):
    ...     d = tables["docs"]
    ...     return {"doc_lengths": d.assign(n=d["text"].str.len() * scale)[["doc_id", "n"]]}
    >>> out = doc_lengths({"docs": DataFrame({"doc_id": ["a"], "text": ["abc"]})}, scale=2)
    >>> unregister_step("doc_lengths_example")
    >>> out["doc_lengths"]["n"].tolist()
    [6]
    """
    if name in _REGISTRY:
        raise ConfigError(f"a step named {name!r} is already registered")
    opts: dict[str, Option] = {}
    for o in options:
        if o.name in opts:
            raise ConfigError(f"step {name!r} declares the option {o.name!r} twice")
        o.validate(name, o.default)
        opts[o.name] = o

    def decorate(func: Callable[..., dict[str, DataFrame]]):
        @functools.wraps(func)
        def step(tables: Mapping[str, DataFrame], **given: Any) -> dict[str, DataFrame]:
            return func(tables, **resolve_options(name, given))

        _REGISTRY[name] = StepSpec(
            name=name,
            func=step,
            requires=tuple(requires),
            provides=tuple(provides),
            options=types.MappingProxyType(opts),
            resources=resources,
            updates=tuple(updates),
            check=check,
            doc=(func.__doc__ or "").strip().split("\n")[0],
            default=bool(default),
        )
        return step

    return decorate


def unregister_step(name: str) -> None:
    """Remove a registered step (for tests and examples)."""
    _REGISTRY.pop(name, None)


def providers(table: str, *, updates: bool = False) -> list[str]:
    """Names of the registered steps that provide ``table`` (registration order).

    With ``updates=True`` also the steps that return a new version of it.
    """
    return [
        s.name
        for s in _REGISTRY.values()
        if table in s.provides or (updates and table in s.updates)
    ]


def steps(*, optional: bool = False) -> dict[str, StepSpec]:
    """Every registered default step, in dependency order (with ``optional=True`` the
    opt-in steps too, registered with ``default=False``).

    A step comes after the steps providing (or updating) a table it requires; otherwise
    registration order is kept (a stable topological sort).
    """
    done: dict[str, StepSpec] = {}
    visiting: set[str] = set()

    def visit(spec: StepSpec) -> None:
        if spec.name in done:
            return
        if spec.name in visiting:
            raise ConfigError(f"steps depend on each other in a cycle through {spec.name!r}")
        visiting.add(spec.name)
        for table in spec.requires:
            for p in providers(table, updates=True):
                if p != spec.name:
                    visit(_REGISTRY[p])
        visiting.discard(spec.name)
        done[spec.name] = spec

    for spec in list(_REGISTRY.values()):
        visit(spec)
    return {n: s for n, s in done.items() if optional or s.default}


def _suggest(word: str, valid: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(valid), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def get_step(name: str) -> StepSpec:
    """The registered step ``name``; an unknown name raises :class:`ConfigError`.

    Examples
    --------
    >>> get_step("framng")
    Traceback (most recent call last):
    ...
    framelens.errors.ConfigError: unknown step 'framng'; valid steps: actors, framing, \
neutrality, alignment, models (did you mean 'framing'?)
    """
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        valid = list(steps(optional=True))
        raise ConfigError(
            f"unknown step {name!r}; valid steps: {', '.join(valid)}"
            + (_suggest(name, valid) if isinstance(name, str) else "")
        ) from None


def resolve_options(name: str, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The options of step ``name``: ``given`` validated, defaults filled in.

    Parameters
    ----------
    name : str
        A registered step.
    given : mapping, optional
        Options set by the user (e.g. ``Config.options[name]``).

    Returns
    -------
    dict
        Every option of the step, in declaration order.

    Raises
    ------
    ConfigError
        Unknown step, unknown option (with the valid options and a close match), wrong
        type or a value outside the choices (naming the step, option and expected type).

    Examples
    --------
    >>> resolve_options("framing", {"lead_sentences": "two"})
    Traceback (most recent call last):
    ...
    framelens.errors.ConfigError: framing option 'lead_sentences' must be an integer, not 'two'
    """
    spec = get_step(name)
    given = dict(given or {})
    unknown = [k for k in given if k not in spec.options]
    if unknown:
        k = unknown[0]
        valid = ", ".join(sorted(spec.options)) or "(none)"
        raise ConfigError(
            f"{name} has no option {k!r}; valid options: {valid}" + _suggest(str(k), spec.options)
        )
    resolved = {
        k: o.validate(name, given[k]) if k in given else o.default for k, o in spec.options.items()
    }
    why = spec.check(resolved) if spec.check is not None else None
    if why:
        raise ConfigError(f"{name} options: {why}")
    return resolved


def resource_paths(name: str, options: Mapping[str, Any] | None = None) -> dict[str, Path]:
    """Files step ``name`` reads with ``options`` (resolved first): ``{label: Path}``.

    Examples
    --------
    >>> sorted(resource_paths("actors"))
    ['gazetteer']
    """
    spec = get_step(name)
    if spec.resources is None:
        return {}
    resolved = resolve_options(name, options)
    return {k: Path(v) for k, v in spec.resources(resolved).items() if v is not None}


def order_steps(names: Iterable[str]) -> tuple[str, ...]:
    """Check a selection of steps and return it in dependency order.

    Raises :class:`ConfigError` for an unknown step, or a step requiring a table that
    only an unselected step provides.

    Examples
    --------
    >>> order_steps(["alignment", "actors"])
    ('actors', 'alignment')
    >>> order_steps(["alignment"])
    Traceback (most recent call last):
    ...
    framelens.errors.ConfigError: step 'alignment' requires the table 'mentions', which \
the step 'actors' provides; add 'actors' to steps
    """
    chosen = list(dict.fromkeys(names))
    for n in chosen:
        get_step(n)
    for n in chosen:
        for table in _REGISTRY[n].requires:
            ps = [p for p in providers(table) if p != n]
            if ps and not any(p in chosen for p in ps):
                raise ConfigError(
                    f"step {n!r} requires the table {table!r}, which the step "
                    f"{ps[0]!r} provides; add {ps[0]!r} to steps"
                )
    return tuple(s for s in steps(optional=True) if s in chosen)
