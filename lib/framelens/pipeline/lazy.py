"""Tables opened lazily: a mapping that reads a saved table on first use.

A loaded analysis keeps its tables on disk until one is used (``an.quotes``,
``an.tables["quotes"]``): notebooks that read three tables of twenty read three.
Row counts come from the manifest, so listing sizes reads nothing.

Examples
--------
>>> import pandas as pd
>>> t = LazyTables({"docs": 1}, lambda name: pd.DataFrame({"doc_id": ["a"]}))
>>> t.is_loaded("docs"), len(t["docs"]), t.is_loaded("docs")
(False, 1, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping

import pandas as pd

__all__ = ["LazyTables"]


class LazyTables(MutableMapping):
    """``{name: DataFrame}`` whose values are read by ``load(name)`` on first access.

    Parameters
    ----------
    rows : mapping of str to int
        The saved tables and their row counts (the manifest's ``tables``).
    load : callable
        ``load(name) -> DataFrame``, called once per table.
    """

    def __init__(self, rows: Mapping[str, int], load: Callable[[str], pd.DataFrame]):
        self._rows = {str(k): int(v) for k, v in rows.items()}
        self._load = load
        self._data: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._data:
            if name not in self._rows:
                raise KeyError(name)
            self._data[name] = self._load(name)
        return self._data[name]

    def __setitem__(self, name: str, df: pd.DataFrame) -> None:
        self._data[name] = df
        self._rows[name] = len(df)

    def __delitem__(self, name: str) -> None:
        if name not in self._rows:
            raise KeyError(name)
        del self._rows[name]
        self._data.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._rows))

    def __len__(self) -> int:
        return len(self._rows)

    def is_loaded(self, name: str) -> bool:
        """Whether table ``name`` is in memory (read, or set since opening)."""
        return name in self._data

    def rows(self, name: str) -> int:
        """Row count of ``name`` without reading it (-1 when not known before reading:
        a view of some documents, :meth:`framelens.pipeline.Analysis.view`)."""
        return len(self._data[name]) if name in self._data else self._rows[name]

    def __repr__(self) -> str:
        return f"LazyTables({', '.join(f'{k}={self.rows(k)}' for k in self._rows)})"
