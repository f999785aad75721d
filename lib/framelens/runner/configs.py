"""Configuration files whose paths hold wherever they are read.

A configuration file may name files (user lexicons, a gazetteer, a step's resource) by
relative path. Those paths are relative to the configuration file itself — not to the
folder a command happens to run in: notebooks run in ``notebooks/``, ``framelens
analyze`` in the user's folder, and both must read the same files.
:func:`absolute_config` gives the configuration with such paths made absolute;
:func:`portable_config` writes that version once (content-addressed) for the notebooks,
whose ``open_analysis(corpus, config=path)`` reads a file.

Examples
--------
>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "terms.yaml").write_text("name: t")
>>> _ = (d / "c.yaml").write_text("lexicons: [terms.yaml, framing]\\nsentiment: false\\n")
>>> data = absolute_config(d / "c.yaml")
>>> data["lexicons"][0] == str((d / "terms.yaml").resolve()), data["lexicons"][1]
(True, 'framing')
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from framelens.errors import ConfigError, LexiconError

__all__ = ["absolute_paths", "absolute_config", "portable_config", "load_config", "checked_config"]


def _is_relative_path(value: str) -> bool:
    return 0 < len(value) < 500 and "\n" not in value and not Path(value).is_absolute()


def absolute_paths(data: Any, base: Path) -> tuple[Any, bool]:
    """``data`` (a parsed YAML document) with every string that names an existing file
    or folder relative to ``base`` replaced by its absolute path; and whether any was.

    Other values (names of built-in lexicons, options) are left as they are.

    Examples
    --------
    >>> absolute_paths({"a": ["no-such-file.yaml", 3]}, Path("."))
    ({'a': ['no-such-file.yaml', 3]}, False)
    """
    if isinstance(data, dict):
        pairs = [(k, absolute_paths(v, base)) for k, v in data.items()]
        return {k: v for k, (v, _) in pairs}, any(c for _, (_, c) in pairs)
    if isinstance(data, list):
        items = [absolute_paths(v, base) for v in data]
        return [v for v, _ in items], any(c for _, c in items)
    if isinstance(data, str) and _is_relative_path(data):
        q = base / Path(data).expanduser()
        try:
            if q.exists():
                return str(q.resolve()), True
        except OSError:  # a name too long for a path, or not one at all
            pass
    return data, False


def _read(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration file ({exc})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{path}: not valid YAML ({exc}); fix the file or pass no config"
        ) from None


def absolute_config(path: str | Path) -> dict[str, Any]:
    """The configuration mapping of the YAML file at ``path``, with the paths it names
    relative to the file made absolute (:func:`absolute_paths`).

    Raises
    ------
    ConfigError
        When the file is missing, unreadable, not YAML or not a mapping.
    """
    p = Path(path).expanduser()
    data = _read(p)
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: a configuration file must hold a mapping of keys to values")
    return absolute_paths(data, p.resolve().parent)[0]


def load_config(path: str | Path | None):
    """A :class:`framelens.pipeline.Config` from a file whose relative paths are read
    relative to the file (None or ``""``: the default configuration)."""
    from framelens.pipeline import Config

    if not path:
        return Config()
    try:
        return Config.from_dict(absolute_config(path))
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ConfigError) and str(exc).startswith(str(path)):
            raise
        raise ConfigError(f"{path}: {exc}") from None


def checked_config(path: str | Path | None):
    """:func:`load_config`, with every lexicon the configuration names found: a missing
    one is an error naming the file (``framelens check`` and ``analyze``; it surfaced
    mid-analysis without the file's name).

    Examples
    --------
    >>> checked_config(None).lexicons == load_config(None).lexicons
    True
    """
    from framelens.pipeline.cache import resource_hashes

    config = load_config(path)
    try:
        resource_hashes(config)
    except (LexiconError, OSError) as exc:
        raise ConfigError(f"{path or 'the default configuration'}: {exc}") from None
    return config


def portable_config(path: str | Path, *, folder: str | Path) -> str:
    """A configuration file that reads the same files from any working folder.

    ``path`` itself when it names no relative path; otherwise a copy with absolute
    paths, written once into ``folder`` as ``<stem>-<hash>.yaml`` (the hash of the
    original's path and the copy's content), whose path is returned.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "plain.yaml").write_text("sentiment: false\\n")
    >>> portable_config(d / "plain.yaml", folder=d / "out") == str(d / "plain.yaml")
    True
    """
    import yaml

    p = Path(path).expanduser().resolve()
    data = _read(p)
    if not isinstance(data, dict):
        return str(p)  # the pipeline reports it, naming the file
    fixed, changed = absolute_paths(data, p.parent)
    if not changed:
        return str(p)
    text = (
        f"# {p} with the paths it names made absolute (written by framelens run)\n"
        + yaml.safe_dump(fixed, sort_keys=False, allow_unicode=True)
    )
    digest = hashlib.sha256(f"{p}\n{text}".encode()).hexdigest()[:12]
    target = Path(folder) / f"{p.stem}-{digest}.yaml"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        from framelens.runner.render import atomic_write

        atomic_write(target, text)
    return str(target)
