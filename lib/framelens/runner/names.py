"""Report file names: ASCII, inside the output folder, unique, never the run's own files.

Examples
--------
>>> safe_name("article-Škoda"), safe_name("index")
('article-Skoda', 'index-report')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from framelens.errors import WorkbookError

__all__ = ["safe_name", "name_hash", "RESERVED_NAMES"]

_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")

#: Names a report cannot have: the run's own files (compared case-insensitively, as
#: case-insensitive file systems would).
RESERVED_NAMES = ("index", "manifest", "build")


def name_hash(raw: str) -> str:
    """Eight hex digits of SHA-1 of ``raw``: what tells apart names that sanitise alike.

    Examples
    --------
    >>> name_hash("новости")
    'd562cb0f'
    """
    return hashlib.sha1(str(raw).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _ascii(name: str) -> tuple[str, bool]:
    """``name`` transliterated (NFKD, combining marks dropped) and whether characters
    without an ASCII form were lost."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_ = kept.encode("ascii", "ignore").decode("ascii")
    return ascii_, len(ascii_) != len(kept)


def safe_name(name: str, *, max_len: int = 120) -> str:
    """A file-name-safe version of ``name``: ASCII, no path separators, no leading dots,
    never the name of the run's own files.

    Letters are transliterated to ASCII (Unicode NFKD, accents dropped: ``café`` ->
    ``cafe``); when characters without an ASCII form are dropped (``новости``), eight
    hex digits of the name's hash are appended so different names stay apart. Other
    characters outside ``[A-Za-z0-9._-]`` become ``_``; ``..`` cannot survive, so a
    report name built from a doc_id or a parameter can never leave the output folder.
    ``index``, ``manifest`` and ``build`` (any case) get ``-report`` appended, so a report
    never replaces ``index.html`` or ``manifest.json``.

    Parameters
    ----------
    name : str
        A report name (``str()`` of anything is accepted).
    max_len : int, keyword-only
        Longer names are cut to this many characters.

    Returns
    -------
    str
        A non-empty name of ``[A-Za-z0-9._-]`` not starting or ending with ``.``, ``_``
        or ``-``.

    Raises
    ------
    WorkbookError
        When nothing usable is left of an ASCII name (e.g. ``"../.."``).

    Examples
    --------
    >>> safe_name("../../etc/passwd")
    'etc_passwd'
    >>> safe_name("article-000_fbaa5b5f07ee96ab")
    'article-000_fbaa5b5f07ee96ab'
    >>> safe_name("Škoda café"), safe_name("article-новости"), safe_name("Index")
    ('Skoda_cafe', 'article-c2282590', 'Index-report')
    """
    raw = str(name)
    ascii_, lossy = _ascii(raw)
    s = _NAME_RE.sub("_", ascii_)
    s = re.sub(r"\.{2,}", "_", s)
    s = re.sub(r"_{2,}", "_", s).strip("._-")
    s = s[:max_len].rstrip("._-")
    if lossy:
        s = f"{s}-{name_hash(raw)}" if s else name_hash(raw)
    if not s:
        raise WorkbookError(
            f"report name {name!r} has no usable characters; use letters, digits, '-', '_' or '.'"
        )
    if s.casefold() in RESERVED_NAMES:
        s = f"{s}-report"
    return s
