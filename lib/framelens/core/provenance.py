"""Provenance: content hashes, environment capture and manifests.

Every saved analysis and every rendered report records what made it: SHA-256 of its
inputs (files, folders, DataFrames, lexicons), its parameters, the package and
dependency versions and the git commit of the project when there is one. Hashes depend
on content only (not on file times or the order in which a folder is listed), so the
same inputs always give the same hash.

Examples
--------
>>> from framelens.core.provenance import sha256_bytes, stable_json_hash
>>> sha256_bytes(b"abc")[:12]
'ba7816bf8f01'
>>> stable_json_hash({"b": 1, "a": [1, 2]}) == stable_json_hash({"a": [1, 2], "b": 1})
True
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "sha256_bytes",
    "sha256_file",
    "sha256_path",
    "sha256_frame",
    "stable_json_hash",
    "package_versions",
    "package_fingerprint",
    "environment",
    "git_commit",
    "DEPENDENCIES",
]

#: Distributions whose versions are recorded in every manifest.
DEPENDENCIES = (
    "framelens",
    "pandas",
    "numpy",
    "pyarrow",
    "nltk",
    "pyahocorasick",
    "vaderSentiment",
    "scikit-learn",
    "scipy",
    "statsmodels",
    "networkx",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbformat",
    "nbclient",
    "ipykernel",
    "jupyter_client",
    "ipython",
    "jupyterlab",
    "pyyaml",
    "tqdm",
    "krippendorff",
    "dask",
    "distributed",
)

_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    """SHA-256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_path(
    path: str | Path, *, exclude: tuple[str, ...] = (".ipynb_checkpoints", "__pycache__")
) -> str:
    """SHA-256 of a file, or of a folder's files (relative names + contents, sorted).

    Hidden files and the names in ``exclude`` are skipped in folders.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("x")
    >>> len(sha256_path(d))
    64
    """
    p = Path(path)
    if p.is_file():
        return sha256_file(p)
    if not p.is_dir():
        raise FileNotFoundError(f"{p}: no such file or folder")
    h = hashlib.sha256()
    for f in sorted(q for q in p.rglob("*") if q.is_file()):
        rel = f.relative_to(p)
        if any(part.startswith(".") or part in exclude for part in rel.parts):
            continue
        h.update(rel.as_posix().encode("utf-8") + b"\0")
        h.update(sha256_file(f).encode("ascii") + b"\n")
    return h.hexdigest()


def stable_json_hash(obj: Any) -> str:
    """SHA-256 of a canonical JSON rendering (sorted keys, no whitespace)."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return sha256_bytes(text.encode("utf-8"))


def sha256_frame(df: pd.DataFrame) -> str:
    """Content hash of a DataFrame: column names, dtypes and values (row order counts).

    Examples
    --------
    >>> import pandas as pd
    >>> sha256_frame(pd.DataFrame({"a": [1]})) == sha256_frame(pd.DataFrame({"a": [1]}))
    True
    """
    h = hashlib.sha256()
    h.update(json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode("utf-8"))
    hashed = pd.util.hash_pandas_object(df.astype(object).where(df.notna(), None), index=False)
    h.update(hashed.to_numpy().tobytes())
    return h.hexdigest()


#: Subpackages that present tables but never compute them: left out of the analysis
#: fingerprint, so editing a report's code does not re-run the analysis it reads.
PRESENTATION = ("report", "runner", "templates")


def package_fingerprint(*, analysis: bool = False) -> str:
    """SHA-256 of the framelens package's own files (code and built-in lexicons).

    Part of every cache key, so that an analysis or report made by other code - an
    edited checkout, not only another version - is never reused. Computed once per
    process.

    Parameters
    ----------
    analysis : bool, keyword-only
        Leave out the subpackages in :data:`PRESENTATION` (reports, the runner, the
        HTML templates): the fingerprint of the code that computes an analysis's
        tables, which the analysis cache key uses. Report keys use the whole package.

    Examples
    --------
    >>> package_fingerprint() != package_fingerprint(analysis=True)
    True
    """
    return _fingerprint(PRESENTATION if analysis else ())


@functools.cache
def _fingerprint(skip: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for rel, digest in _package_files():
        if rel.split("/", 1)[0] not in skip:
            h.update(rel.encode("utf-8") + b"\0")
            h.update(digest.encode("ascii"))
    return h.hexdigest()


@functools.cache
def _package_files() -> tuple[tuple[str, str], ...]:
    """``(relative path, sha256)`` of the package's code and data files, hashed once."""
    root = Path(__file__).resolve().parent.parent
    return tuple(
        (f.relative_to(root).as_posix(), sha256_file(f))
        for f in sorted(root.rglob("*"))
        if f.suffix in (".py", ".yaml", ".yml", ".json", ".j2") and "__pycache__" not in f.parts
    )


def package_versions(names: tuple[str, ...] = DEPENDENCIES) -> dict[str, str | None]:
    """Installed versions of the given distributions (``None`` when absent)."""
    out: dict[str, str | None] = {}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            out[n] = None
    return out


def git_commit(path: str | Path = ".") -> str | None:
    """The git commit of the repository holding ``path`` (``+dirty`` when modified), or None."""
    try:
        cwd = Path(path)
        cwd = cwd if cwd.is_dir() else cwd.parent
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=5
        )
        if rev.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=5,
        )
        return rev.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def environment() -> dict[str, Any]:
    """Python, platform and dependency versions of this process."""
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "packages": package_versions(),
    }
