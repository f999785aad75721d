"""Helpers every evaluation task shares: the dataset hash and the bootstrap.

Each task reports ``data_sha256``, the fingerprint of the data it read
(:func:`dataset_sha256`, one rule for every task), and bootstrap confidence intervals
from :func:`framelens.stats.bootstrap.bootstrap_ci` (re-exported here), resampling the
unit the task names in ``params["bootstrap_unit"]``.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text("x")
>>> dataset_sha256(d / "a.txt")[:12]      # the file's sha256, as sha256sum prints it
'2d711642b726'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from framelens.core.provenance import sha256_file
from framelens.stats.bootstrap import bootstrap_ci

__all__ = ["dataset_sha256", "bootstrap_ci"]


def dataset_sha256(source: str | Path | Iterable[str | Path]) -> str:
    """The sha256 fingerprint of an evaluation dataset.

    Parameters
    ----------
    source : path or iterable of paths
        A file, a folder (every file below it) or the files a reader used.

    Returns
    -------
    str
        For one file, the file's sha256 (what ``sha256sum`` prints). For several files,
        the sha256 over the files in sorted path order, each contributing its name, a
        NUL byte, its bytes and a NUL byte.

    Raises
    ------
    FileNotFoundError
        When ``source`` names no file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "a.txt"):
    ...     _ = (d / name).write_text(name)
    >>> dataset_sha256(d) == dataset_sha256([d / "b.txt", d / "a.txt"])
    True
    """
    if isinstance(source, (str, Path)):
        p = Path(source)
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    else:
        files = [Path(f) for f in source]
    if not files:
        raise FileNotFoundError(f"{source}: no data files to hash")
    if len(files) == 1:
        return sha256_file(files[0])
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.as_posix()):
        h.update(f.name.encode("utf-8") + b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()
