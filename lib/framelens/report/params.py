"""The one notebook-parameter helper: check a report's parameters, select its documents.

Every notebook has one ``parameters`` cell of literals and, right after it, one call to
:func:`select`, which checks the parameters against the analysis the notebook reads —
the grouping column is a docs column, the document exists, the dates parse and are in
order, the frame scheme was analysed, the focal actor is the one the analysis coded
events for and is mentioned in the corpus, the camps are known codes — and returns a
:class:`Selection`: the selected documents and every table restricted to them. A wrong
parameter stops the notebook there with a :class:`~framelens.errors.WorkbookError`
whose message names the parameter and the valid values.

:func:`step_options` gives the options a step actually ran with, as the analysis
recorded them, so that a report's notes cannot contradict the configuration.

Examples
--------
>>> import pandas as pd
>>> from framelens.pipeline import Analysis
>>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["x", "y", "z"],
...                      "outlet": ["X", "Y", "Y"],
...                      "date": pd.to_datetime(["2024-01-05", "2024-03-01", None])})
>>> sel = select(Analysis({"docs": docs}), group_col="outlet", date_from="2024-02-01")
>>> sel.doc_ids
['b']
>>> select(Analysis({"docs": docs}), group_col="outlte")
Traceback (most recent call last):
...
framelens.errors.WorkbookError: group_col 'outlte' is not a docs column; choose one of \
['doc_id', 'outlet', 'date']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pandas as pd

from framelens.core.schema import DOC_COLUMNS
from framelens.errors import WorkbookError
from framelens.report.core import MISSING_GROUP
from framelens.report.notebook import check_injected, resolve_path
from framelens.report.reading import columns_of, read

__all__ = [
    "Selection",
    "select",
    "step_options",
    "group_docs",
    "resolve_path",
    "check_injected",
]


@dataclasses.dataclass(frozen=True)
class Selection:
    """A notebook's checked parameters and the documents they select.

    Attributes
    ----------
    analysis : Analysis
        The whole analysis the notebook opened.
    docs : DataFrame
        The selected documents (a date range, one document, or all).
    group_col : str or None
        The docs column groups are compared by.
    date_from, date_to : Timestamp or None
        The inclusive date range (None = open).
    doc_id : str or None
        The one document of an article report.
    scheme : str or None
        The frame scheme of a framing report; ``frames`` are its frame keys.
    focal : str or None
        The focal actor of an alignment report (the analysis's own focal actor).
    camps : dict or None
        ``{camp name: [roots or blocs]}`` of an alignment report.
    top_n : int or None
        How many top items a report lists.
    focal_mentioned : bool or None
        Whether the corpus (the selected documents) mentions the focal actor; the
        alignment sections that need it show a note instead of empty figures.
    notes : tuple of str
        What a report should tell its reader about the selection (a corpus without
        values in ``group_col``, a focal actor never mentioned ...).
    whole : bool
        Whether every document of the analysis is selected (tables are then read
        without a document filter).
    """

    analysis: Any
    docs: pd.DataFrame
    group_col: str | None = None
    date_from: pd.Timestamp | None = None
    date_to: pd.Timestamp | None = None
    doc_id: str | None = None
    scheme: str | None = None
    frames: tuple[str, ...] | None = None
    focal: str | None = None
    camps: dict[str, list[str]] | None = None
    top_n: int | None = None
    focal_mentioned: bool | None = None
    notes: tuple[str, ...] = ()
    whole: bool = False

    @property
    def doc_ids(self) -> list[str]:
        """The selected doc ids as strings, in docs order."""
        return self.docs["doc_id"].astype(str).tolist()

    @property
    def filter_ids(self) -> list[str] | None:
        """The doc ids to restrict tables to: None when every document is selected."""
        return None if self.whole else self.doc_ids

    def table(
        self,
        name: str,
        *,
        columns: Sequence[str] | None = None,
        without: Sequence[str] = (),
        filters=None,
    ) -> pd.DataFrame:
        """The analysis table ``name`` restricted to the selected documents.

        Tables without a ``doc_id`` column are returned whole. A table of a loaded
        analysis that is not in memory yet is read with filter push-down (only the
        selected documents' rows) and, with ``columns``, column push-down: a report
        over a large corpus reads what it shows, not whole tables.

        Parameters
        ----------
        name : str
        columns : list of str, optional, keyword-only
            Only these columns.
        without : list of str, keyword-only
            Leave these columns out (e.g. the quotations' ``text`` when only their
            speakers and verbs are counted); unknown names are ignored.
        filters : list of tuples or pyarrow expression, optional, keyword-only
            Only the rows that match as well (``[("lexicon", "==", "policy")]``), as
            :meth:`framelens.pipeline.Analysis.table` takes them.

        Examples
        --------
        >>> import pandas as pd
        >>> from framelens.pipeline import Analysis
        >>> an = Analysis({"docs": pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"]})})
        >>> select(an, doc_id="b").table("docs", columns=["text"])["text"].tolist()
        ['y']
        """
        if name == "docs":
            return self.docs if columns is None else self.docs[list(columns)]
        an = self.analysis
        if name not in an.tables:
            raise WorkbookError(
                f"the analysis has no table {name!r}; tables: {sorted(an.tables)} "
                "(was the step that makes it in the configuration's steps?)"
            )
        unknown = [c for c in columns or () if c not in set(columns_of(an, name))]
        if unknown:
            raise WorkbookError(
                f"table {name!r} has no column(s) {unknown}; its columns: {columns_of(an, name)}"
            )
        return read(an, name, columns=columns, without=without, doc_ids=self.filter_ids,
                    filters=filters)  # fmt: skip

    def view(self):
        """An :class:`~framelens.pipeline.Analysis` of the selected documents only
        (configuration and manifest kept); each table is read, restricted to the
        documents, on first use."""
        return self.analysis.view(self.filter_ids)


def step_options(analysis: Any, step: str) -> dict[str, Any]:
    """The options ``step`` ran with, as recorded by the analysis (defaults filled in).

    Parameters
    ----------
    analysis : Analysis
        An analysis made by :func:`framelens.analyze` (or loaded from its folder).
    step : str
        A registered step name (``"framing"``, ``"alignment"`` ...).

    Returns
    -------
    dict
        Option name -> value, every option of the step
        (:meth:`framelens.pipeline.Analysis.step_options`: the manifest's record).

    Raises
    ------
    ConfigError
        When the step did not run in this analysis.

    Examples
    --------
    >>> from framelens.pipeline import Analysis
    >>> step_options(Analysis({}), "framing")["lead_sentences"] >= 0
    True
    """
    return dict(analysis.step_options(step))


# --------------------------------------------------------------------------- groups
def group_docs(docs: pd.DataFrame, by: str) -> pd.DataFrame:
    """A copy of ``docs`` whose column ``by`` holds every document's group as a string:
    a missing value (or a missing column) becomes the group ``"(missing)"``.

    Missing metadata is normal (a folder of ``.txt`` files has no outlet and no date):
    every report groups by this column, so such documents form one group of their own
    instead of disappearing or crashing a figure. Date columns are left as they are.

    Parameters
    ----------
    docs : DataFrame
        A docs table (not modified).
    by : str
        The grouping column; created (all ``"(missing)"``) when absent.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", None]})
    >>> group_docs(d, "outlet")["outlet"].tolist()
    ['X', '(missing)']
    >>> group_docs(d[["doc_id"]], "outlet")["outlet"].tolist()
    ['(missing)', '(missing)']
    """
    if by not in docs.columns:
        return docs.assign(**{by: MISSING_GROUP})
    col = docs[by]
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return docs
    return docs.assign(**{by: col.astype("string").fillna(MISSING_GROUP).astype(str)})


# --------------------------------------------------------------------------- checks
def _check_group_col(docs: pd.DataFrame, group_col: Any) -> tuple[str, list[str]]:
    valid = [str(c) for c in docs.columns if c != "text"]
    known = valid + [c for c in DOC_COLUMNS if c != "text" and c not in valid]
    if not isinstance(group_col, str) or group_col not in known:
        what = "cannot be the text column" if group_col == "text" else "is not a docs column"
        raise WorkbookError(f"group_col {group_col!r} {what}; choose one of {valid}")
    col = docs[group_col] if group_col in docs.columns else pd.Series([None] * len(docs))
    if len(docs) and col.isna().all():
        return group_col, [
            f"No document has a value in {group_col!r}: all form the group "
            f"{MISSING_GROUP!r}, so the comparisons between groups have one group. Add "
            "the metadata (a sidecar CSV, front matter or a column of the corpus file) to "
            "compare groups."
        ]
    return group_col, []


def _date(name: str, value: Any) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    try:
        return pd.Timestamp(str(value))
    except (ValueError, TypeError):
        raise WorkbookError(
            f'{name}={value!r} is not a date; use YYYY-MM-DD, or "" for no limit'
        ) from None


def _in_range(docs: pd.DataFrame, start, end) -> pd.DataFrame:
    if start is None and end is None:
        return docs
    if start is not None and end is not None and start > end:
        raise WorkbookError(f"date_from {start.date()} is after date_to {end.date()}")
    if "date" not in docs.columns:
        raise WorkbookError("a date range needs a 'date' column in docs; set date_from = \"\"")
    dates = pd.to_datetime(docs["date"], errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert(None)
    keep = dates.notna()
    if start is not None:
        keep &= dates >= start
    if end is not None:
        keep &= dates <= end
    out = docs[keep.fillna(False).to_numpy()]
    if not len(out):
        raise WorkbookError(
            f"no document is dated between {start.date() if start is not None else '...'} and "
            f"{end.date() if end is not None else '...'}; widen date_from / date_to"
        )
    return out


def _check_doc_id(docs: pd.DataFrame, doc_id: Any) -> pd.DataFrame:
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise WorkbookError(
            f"doc_id must be a non-empty string (a docs.doc_id value), not {doc_id!r}"
        )
    ids = docs["doc_id"].astype(str)
    if not (ids == doc_id).any():
        sample = ", ".join(sorted(ids.tolist())[:10]) or "(the corpus has no documents)"
        raise WorkbookError(f"doc_id {doc_id!r} is not in the corpus; valid ids include: {sample}")
    return docs[(ids == doc_id).to_numpy()]


def _check_scheme(analysis: Any, scheme: Any) -> tuple[str, tuple[str, ...]]:
    from framelens.measures import framing

    ran = [str(s) for s in step_options(analysis, "framing").get("schemes") or framing.SCHEMES]
    if not isinstance(scheme, str) or scheme not in ran:
        raise WorkbookError(f"scheme {scheme!r} was not analysed; choose one of {ran}")
    return scheme, tuple(framing.scheme_frames(scheme))


def _known_codes(analysis: Any) -> set[str]:
    from framelens.actors import load_gazetteer

    gaz = load_gazetteer(getattr(getattr(analysis, "config", None), "gazetteer", None))
    return set(gaz.roots) | set(gaz.bloc_members_) | {"WST"}


def _check_focal(analysis: Any, focal: Any, known: set[str], doc_ids) -> tuple[str, list[str]]:
    ran = step_options(analysis, "alignment").get("focal")
    focal = ran if focal in (None, "") else focal
    if not isinstance(focal, str) or not focal:
        raise WorkbookError(
            "no focal actor: set the parameter focal (e.g. 'SRB') and the analysis option "
            "options.alignment.focal in the configuration"
        )
    if focal not in known:
        raise WorkbookError(f"focal {focal!r} is not an actor root of the gazetteer")
    if ran != focal:
        raise WorkbookError(
            f"focal {focal!r} is not the focal actor the analysis coded events for ({ran!r}): "
            f"set options.alignment.focal: {focal} in the configuration (the config "
            "parameter), or use that focal actor"
        )
    have = columns_of(analysis, "mentions") if "mentions" in analysis.tables else []
    if "root" in have:  # the two columns the check reads, not the whole table
        mentions = read(analysis, "mentions", columns=["doc_id", "root"])
    else:
        mentions = pd.DataFrame({"doc_id": [], "root": []})
    if "doc_id" in mentions:
        mentions = mentions[mentions["doc_id"].astype(str).isin(doc_ids).to_numpy()]
    roots = mentions["root"].astype(str)
    if not (roots == focal).any():
        top = roots.value_counts().head(8).index.tolist()
        return focal, [
            f"The selected documents never mention the focal actor {focal!r}, so there is "
            f"no alignment index, no alignment over time and no strongest relations of "
            f"{focal!r} to show. Actors mentioned most: {top or 'none'}. Set "
            "options.alignment.focal (and the parameter focal) to one of them."
        ]
    return focal, []


def _check_camps(analysis: Any, camp_a: Any, camp_b: Any, known: set[str]) -> dict[str, list]:
    if camp_a in (None, "") and camp_b in (None, ""):
        ran = step_options(analysis, "alignment").get("camps")
        if not ran:
            raise WorkbookError("no camps: set camp_a and camp_b (e.g. 'RUS' and 'WST')")
        return {str(k): [str(x) for x in v] for k, v in dict(ran).items()}
    camps: dict[str, list[str]] = {}
    for c in (camp_a, camp_b):
        items = [c] if isinstance(c, str) else list(c) if isinstance(c, Sequence) else []
        if not items or any(not isinstance(x, str) or x not in known for x in items):
            raise WorkbookError(
                f"camp {c!r}: give a root or bloc code or a list of them (e.g. 'RUS', 'WST', "
                f"['RUS', 'BLR']); the gazetteer's codes include {sorted(known)[:12]}"
            )
        camps["+".join(items)] = items
    if len(camps) != 2:
        raise WorkbookError("camp_a and camp_b must differ")
    return camps


# --------------------------------------------------------------------------- select
def select(
    analysis: Any,
    *,
    doc_id: str | None = None,
    group_col: str | None = None,
    date_from: str | None = "",
    date_to: str | None = "",
    scheme: str | None = None,
    focal: str | None = None,
    camp_a: str | Sequence[str] | None = None,
    camp_b: str | Sequence[str] | None = None,
    top_n: int | None = None,
) -> Selection:
    """Check a notebook's parameters against ``analysis`` and select its documents.

    Only the parameters a notebook passes (not ``None``) are checked.
    Parameters
    ----------
    analysis : Analysis
        The analysis the notebook reads (``framelens.pipeline.open_analysis``).
    doc_id : str, optional, keyword-only
        One document (an article report); must be in the corpus.
    group_col : str, optional, keyword-only
        A docs column other than ``text`` (or a standard docs column the corpus lacks).
        In the selected ``docs`` its missing values are the group ``"(missing)"``
        (:func:`group_docs`).
    date_from, date_to : str, keyword-only
        Inclusive ISO dates; ``""`` = open. With a range, undated documents are left
        out; a range that selects nothing is an error.
    scheme : str, optional, keyword-only
        A frame scheme the analysis ran (``options.framing.schemes``).
    focal : str, optional, keyword-only
        The focal actor of an alignment report: ``""`` means the analysis's own;
        another one must equal it (events complete one-sided cues with it). When the
        selected documents never mention it, the selection says so
        (``focal_mentioned`` False and a note) instead of failing.
    camp_a, camp_b : str or list of str, optional, keyword-only
        Roots or blocs of the gazetteer (``"RUS"``, ``"WST"``, ``["RUS", "BLR"]``);
        both ``""`` = the analysis's camps (``options.alignment.camps``).
    top_n : int, optional, keyword-only
        A positive count of items to list.

    Returns
    -------
    Selection

    Raises
    ------
    WorkbookError
        Naming the parameter and its valid values.

    Examples
    --------
    >>> import pandas as pd
    >>> from framelens.pipeline import Analysis
    >>> an = Analysis({"docs": pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"]})})
    >>> select(an, doc_id="b").doc_ids
    ['b']
    >>> select(an, doc_id="c")
    Traceback (most recent call last):
    ...
    framelens.errors.WorkbookError: doc_id 'c' is not in the corpus; valid ids include: a, b
    """
    # long: one check per parameter, in the order a notebook declares them
    docs = analysis.tables["docs"]
    n_all = len(docs)
    out: dict[str, Any] = {}
    notes: list[str] = []
    if group_col is not None:
        out["group_col"], more = _check_group_col(docs, group_col)
        notes += more
    out["date_from"], out["date_to"] = _date("date_from", date_from), _date("date_to", date_to)
    docs = _in_range(docs, out["date_from"], out["date_to"])
    if doc_id is not None:
        docs = _check_doc_id(docs, doc_id)
        out["doc_id"] = doc_id
    if scheme is not None:
        out["scheme"], out["frames"] = _check_scheme(analysis, scheme)
    if focal is not None or camp_a is not None or camp_b is not None:
        known = _known_codes(analysis)
        ids = set(docs["doc_id"].astype(str))
        out["focal"], more = _check_focal(analysis, focal, known, ids)
        out["focal_mentioned"] = not more
        notes += more
        out["camps"] = _check_camps(analysis, camp_a, camp_b, known)
    if top_n is not None:
        if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
            raise WorkbookError(f"top_n must be a positive integer, not {top_n!r}")
        out["top_n"] = top_n
    if group_col is not None:
        docs = group_docs(docs, group_col)
    out["whole"] = doc_id is None and len(docs) == n_all
    return Selection(analysis=analysis, docs=docs.reset_index(drop=True), notes=tuple(notes), **out)
