"""The Corpus: a docs table and a problems table."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd

from .problems import plural, problem_counts

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False, repr=False)
class Corpus:
    """A loaded, validated corpus.

    Parameters
    ----------
    docs : pandas.DataFrame
        One row per document; columns of :data:`framelens.core.schema.DOC_COLUMNS`, then user
        metadata columns.
    problems : pandas.DataFrame
        One row per input problem; columns of :data:`framelens.core.schema.PROBLEM_COLUMNS`.
    source : str
        What was read: the path as given, or ``"DataFrame"``.
    n_records : int or None
        Input records seen (``len(docs)`` + records dropped with an error row).

    Examples
    --------
    >>> import pandas as pd
    >>> from framelens import load_corpus
    >>> from framelens import load_corpus
    >>> c = load_corpus(pd.DataFrame({"text": ["One text here."], "outlet": ["X"]}))
    >>> len(c)
    1
    >>> print(c.summary().splitlines()[0])
    Corpus from DataFrame: 1 document, 1 outlet, no dates
    """

    docs: pd.DataFrame
    problems: pd.DataFrame
    source: str = ""
    n_records: int | None = field(default=None)

    def __len__(self) -> int:
        return len(self.docs)

    def __repr__(self) -> str:
        n_err = int((self.problems["severity"].astype(str) == "error").sum())
        return (
            f"Corpus(source={self.source!r}, docs={len(self.docs)}, "
            f"problems={len(self.problems)} ({n_err} errors))"
        )

    def summary(self) -> str:
        """Return a readable multi-line summary: documents per outlet, date range,
        languages, size, problems by severity and code.

        Returns
        -------
        str
        """
        d = self.docs
        n = len(d)
        outlets = d["outlet"].astype("string").fillna("(no outlet)")
        per_outlet = outlets.value_counts(sort=False).sort_index()
        dates = d["date"].dropna()
        if len(dates):
            span = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
        else:
            span = "no dates"
        n_out = int(d["outlet"].nunique(dropna=True))
        lines = [
            f"Corpus from {self.source}: {plural(n, 'document')}, {plural(n_out, 'outlet')}, {span}"
        ]
        if n:
            chars = d["text"].str.len()
            lines.append(
                f"  characters: {int(chars.sum()):,} in total, median "
                f"{int(chars.median()):,} per document"
            )
            n_nodate = int(d["date"].isna().sum())
            if len(dates) and n_nodate:
                lines.append(f"  documents without a date: {n_nodate}")
            lines.append("  documents per outlet:")
            width = max(len(str(k)) for k in per_outlet.index)
            for name, count in per_outlet.items():
                lines.append(f"    {str(name):<{width}}  {count:>6}")
            langs = d["language"].astype("string").fillna("(unknown)").value_counts()
            lines.append("  languages: " + ", ".join(f"{k} {v}" for k, v in langs.items()))
        if self.n_records is not None:
            lines.append(
                f"  input records: {self.n_records} "
                f"({n} loaded, {self.n_records - n} dropped with an error)"
            )
        counts = problem_counts(self.problems)
        if len(counts):
            n_err = int(counts.loc[counts["severity"] == "error", "n"].sum())
            n_warn = int(counts.loc[counts["severity"] == "warning", "n"].sum())
            lines.append(f"  problems: {plural(n_err, 'error')}, {plural(n_warn, 'warning')}")
            for sev, code, k in counts.itertuples(index=False):
                lines.append(f"    {sev:<7}  {code:<18} {k:>6}")
        else:
            lines.append("  problems: none")
        return "\n".join(lines)
