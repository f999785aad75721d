"""load_corpus: read, validate and report any supported source."""

from __future__ import annotations

import codecs
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from framelens.core.schema import DOC_COLUMNS
from framelens.errors import CorpusError

from .model import Corpus
from .problems import METADATA_FIELDS, problem_row, problems_frame
from .readers import READERS, SUFFIXES, Options, detect_format
from .validate import normalise

log = logging.getLogger(__name__)


class Prepared(NamedTuple):
    """A source with checked options: what :func:`prepare` returns."""

    source: Any  # the path (a Path) or the DataFrame
    name: str  # the source as given, used in messages
    fmt: str  # a key of READERS
    opts: Options
    defaults: dict
    max_chars: int
    check_language: bool


def load_corpus(
    source: Any,
    *,
    format: str | None = None,
    text_col: Any = "text",
    id_col: Any = None,
    title_col: Any = "title",
    outlet_col: Any = "outlet",
    date_col: Any = "date",
    url_col: Any = "url",
    language_col: Any = "language",
    metadata: Any = None,
    defaults: Mapping[str, Any] | None = None,
    encoding: str = "utf-8",
    max_chars: int = 1_000_000,
    check_language: bool = True,
    recursive: bool = True,
    ignore: Sequence[str] = (),
    title_line: bool = False,
) -> Corpus:
    """Load, normalise and validate a corpus.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        A folder of ``.txt`` files, a single ``.txt``, ``.csv``, ``.tsv``/``.tab``,
        ``.jsonl``/``.ndjson`` or ``.parquet``/``.pq`` file, or a DataFrame (never
        modified).
    format : str, optional
        Force a format (a key of :data:`READERS`) instead of detecting it from the
        extension.
    text_col, id_col, title_col, outlet_col, date_col, url_col, language_col : str
        Source columns (or front-matter/sidecar keys) holding each field. ``id_col=None``
        uses a ``doc_id`` column when there is one; otherwise ids are the file path
        without ``.txt`` relative to the folder (txt) or :func:`doc_hash` of the text.
        A missing text column (or a non-default column you named) raises ``ValueError``
        listing the available columns.
    metadata : str, path or DataFrame, optional
        Sidecar metadata for a txt folder: a table with a ``file`` column (file name or
        path relative to the folder) and any of the fields above plus other columns.
        Defaults to ``metadata.csv`` in the folder when present. Sidecar values override
        YAML front matter; listed files that are missing are ``missing_file`` errors.
    defaults : mapping, optional
        Values for missing metadata, e.g. ``{"outlet": "RT", "language": "en"}``; keys
        other than the standard fields add or fill user columns.
    encoding : str, default "utf-8"
        Encoding of text files. Undecodable bytes become U+FFFD with a
        ``decode_error`` warning.
    max_chars : int, default 1_000_000
        Longer documents get a ``too_long`` warning (they are kept).
    check_language : bool, default True
        Flag documents that are probably not English (``not_english`` warning), unless
        their ``language`` says they are not English anyway.
    recursive : bool, default True
        Read ``.txt`` files in subfolders of a txt folder too (sorted by relative path).
    ignore : sequence of str, default ()
        Glob patterns (matched against the relative path and the file name) of files in
        a txt folder that are neither read nor reported, e.g. ``["planted.yaml",
        "drafts/*"]``.
    title_line : bool, default False
        In a folder of .txt files (or one .txt file), the first line of each file (after
        any front matter) is the title and the text starts after it (blank lines after
        the title are skipped), as in folders where each article reads
        ``"Title\\n\\nBody"``. A title from front matter or the sidecar wins. Only for
        .txt sources.

    Returns
    -------
    Corpus
        ``docs`` and ``problems`` tables (see the module docstring for the codes).

    Raises
    ------
    framelens.errors.CorpusError
        When the source (or the metadata file) does not exist, for invalid options, or
        when the text column (or another column you named) is not in the source. A
        ``ValueError``, as before; the message names the thing and the fix.

    Notes
    -----
    Text is kept verbatim except ``"\\r\\n"`` -> ``"\\n"``. In a txt folder, files are
    read in sorted order of their relative path; hidden files, documentation beside the
    corpus (README/LICENSE files, ``*.md``, ``*.yaml`` datasheets) and
    files matching ``ignore`` are ignored, other non-.txt files get a ``skipped_file``
    warning. YAML front matter
    (``---`` lines at the very start) is metadata; the document text is what follows
    the closing ``---`` line, and offsets refer to that text.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"body": ["Putin said it.", "EU leaders met."],
    ...                    "date": ["2024-10-20", "yesterday"]})
    >>> c = load_corpus(df, text_col="body", defaults={"outlet": "RT"})
    >>> c.docs["outlet"].tolist(), c.docs["date"].dt.strftime("%Y-%m-%d").tolist()
    (['RT', 'RT'], ['2024-10-20', nan])
    >>> c.problems["code"].tolist()
    ['bad_date']
    """
    # long: the one public entry point; its docstring documents every option
    # the checks and what to read are shared with the batch reader (iter_batches)
    prep = prepare(
        source,
        format=format,
        text_col=text_col,
        id_col=id_col,
        title_col=title_col,
        outlet_col=outlet_col,
        date_col=date_col,
        url_col=url_col,
        language_col=language_col,
        metadata=metadata,
        defaults=defaults,
        encoding=encoding,
        max_chars=max_chars,
        check_language=check_language,
        recursive=recursive,
        ignore=ignore,
        title_line=title_line,
    )
    if isinstance(prep, Corpus):
        return prep
    name, opts, defaults = prep.name, prep.opts, prep.defaults
    raw = READERS[prep.fmt](prep.source, opts)
    docs, problems = normalise(
        raw,
        opts,
        defaults=defaults,
        max_chars=prep.max_chars,
        check_language=prep.check_language,
    )
    pf = problems_frame(problems)
    n_err_records = int(((pf["severity"].astype(str) == "error") & pf["record"].notna()).sum())
    if raw.n_records != len(docs) + n_err_records:  # pragma: no cover - invariant
        log.warning(
            "%s: %d records read but %d docs + %d error rows",
            name,
            raw.n_records,
            len(docs),
            n_err_records,
        )
    log.info("loaded %d documents from %s (%d problems)", len(docs), name, len(pf))
    return Corpus(docs, pf, name, raw.n_records)


def prepare(
    source: Any,
    *,
    format: str | None = None,
    text_col: Any = "text",
    id_col: Any = None,
    title_col: Any = "title",
    outlet_col: Any = "outlet",
    date_col: Any = "date",
    url_col: Any = "url",
    language_col: Any = "language",
    metadata: Any = None,
    defaults: Mapping[str, Any] | None = None,
    encoding: str = "utf-8",
    max_chars: int = 1_000_000,
    check_language: bool = True,
    recursive: bool = True,
    ignore: Sequence[str] = (),
    title_line: bool = False,
) -> Prepared | Corpus:
    """The checked options of :func:`load_corpus` and what to read (the same options);
    a Corpus (with its ``unknown_format`` problem) when the format is unknown.

    What :func:`load_corpus` and :func:`framelens.corpus.iter_batches` share.

    Raises
    ------
    framelens.errors.CorpusError
        As :func:`load_corpus`.

    Examples
    --------
    >>> import pandas as pd
    >>> prepare(pd.DataFrame({"text": ["a"]})).fmt
    'dataframe'
    """
    # long: the option checks of load_corpus, one by one, each with its own message
    # ---- validate options
    for opt, val in (
        ("text_col", text_col),
        ("title_col", title_col),
        ("outlet_col", outlet_col),
        ("date_col", date_col),
        ("url_col", url_col),
        ("language_col", language_col),
    ):
        if val is None or isinstance(val, (list, dict, set)):
            raise CorpusError(f"{opt} must be a column name, got {val!r}")
    if isinstance(id_col, (list, dict, set)):
        raise CorpusError(f"id_col must be a column name or None, got {id_col!r}")
    if format is not None and format not in READERS:
        raise CorpusError(f"unknown format {format!r}; known formats: {', '.join(sorted(READERS))}")
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise CorpusError(f"unknown encoding {encoding!r}; use e.g. 'utf-8' or 'cp1252'") from None
    if isinstance(max_chars, bool) or not isinstance(max_chars, (int, np.integer)) or max_chars < 1:
        raise CorpusError(f"max_chars must be a positive int, got {max_chars!r}")
    if defaults is None:
        defaults = {}
    if not isinstance(defaults, Mapping):
        raise CorpusError(
            f"defaults must be a mapping like {{'outlet': 'RT'}}, got {type(defaults).__name__}"
        )
    bad_keys = [k for k in defaults if k in ("doc_id", "text", "source")]
    if bad_keys:
        raise CorpusError(
            f"defaults cannot set {', '.join(bad_keys)}; only metadata "
            f"({', '.join(METADATA_FIELDS)} or your own columns)"
        )
    if isinstance(ignore, str) or not all(isinstance(x, str) for x in ignore):
        raise CorpusError(f"ignore must be a list of glob patterns like ['*.yaml'], got {ignore!r}")
    if metadata is not None and not isinstance(metadata, (str, os.PathLike, pd.DataFrame)):
        raise CorpusError(
            "metadata must be a path to a table with a 'file' column, or a "
            f"DataFrame; got {type(metadata).__name__}"
        )

    # column names are compared as strings (readers turn every column name into a str)
    opts = Options(
        text_col=str(text_col),
        id_col=None if id_col is None else str(id_col),
        title_col=str(title_col),
        outlet_col=str(outlet_col),
        date_col=str(date_col),
        url_col=str(url_col),
        language_col=str(language_col),
        metadata=metadata,
        encoding=encoding,
        recursive=bool(recursive),
        ignore=tuple(ignore),
        title_line=bool(title_line),
    )

    # ---- read
    if isinstance(source, pd.DataFrame):
        name = "DataFrame"
        fmt = format or "dataframe"
        if fmt != "dataframe":
            raise CorpusError(f"format={fmt!r} does not apply to a DataFrame source")
    else:
        if not isinstance(source, (str, os.PathLike)):
            raise TypeError(
                f"source must be a path or a pandas DataFrame, got {type(source).__name__}"
            )
        path = Path(source)
        name = str(source)
        if not path.exists() and not path.is_symlink():
            raise CorpusError(f"corpus source {name} does not exist")
        fmt = format or detect_format(path)
        if fmt is None:
            msg = (
                f"{name}: unknown format {path.suffix or '(no extension)'!r}; known "
                f"extensions: {', '.join(sorted(SUFFIXES))}. Rename the file or pass "
                f"format= (one of {', '.join(sorted(k for k in READERS if k != 'dataframe'))})."
            )
            problems = problems_frame([problem_row(name, None, None, "unknown_format", msg)])
            return Corpus(_empty_docs(), problems, name, 0)
        if fmt == "dataframe":
            raise CorpusError("format='dataframe' needs a DataFrame source")
        source = path
    if title_line and fmt != "txt":
        raise CorpusError(
            f"title_line=True applies to a folder of .txt files (or one .txt file), not to "
            f"a {fmt} source; map the title with title_col= instead"
        )
    return Prepared(source, name, fmt, opts, dict(defaults), int(max_chars), bool(check_language))


def _empty_docs() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DOC_COLUMNS.items()})
