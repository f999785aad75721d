"""Where the package's own data lives: built-in lexicons, gazetteer and fitted models.

Examples
--------
>>> data_path("policy.yaml").name
'policy.yaml'
>>> data_path("policy.yaml").exists()
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "DATA_DIR", "TEMPLATES_DIR", "data_path"]

#: The installed ``framelens`` package folder.
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Built-in lexicons, the actor gazetteer and fitted model weights (package data).
DATA_DIR = PACKAGE_DIR / "lexicons"
#: Report templates.
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def data_path(name: str) -> Path:
    """The path of the package data file ``name`` (e.g. ``"actors.yaml"``)."""
    return DATA_DIR / name
