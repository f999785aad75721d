"""Keyness of terms between two groups (log-likelihood G2, as quanteda's textstat_keyness).

Terms are the words of :mod:`framelens.core.tokens` in folded text (lower case, no
diacritics), so a keyness term is a word in the sense every length and rate uses.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from framelens.core.normalize import fold
from framelens.core.schema import require
from framelens.core.tokens import WORD_RE

__all__ = ["keyness", "g2_table", "term_counts"]

log = logging.getLogger(__name__)


def term_counts(
    texts: Sequence[str], target: np.ndarray, reference: np.ndarray, *, min_len: int = 1
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Vocabulary (sorted, over all texts) and each term's count in target / reference rows.

    Examples
    --------
    >>> v, a, b = term_counts(["War, war!", "Peace"], np.array([True, False]),
    ...                       np.array([False, True]))
    >>> v, a.tolist(), b.tolist()
    (['peace', 'war'], [0.0, 2.0], [1.0, 0.0])
    """
    findall = WORD_RE.findall
    ct: Counter = Counter()
    cr: Counter = Counter()
    vocab: set[str] = set()
    for text, t, r in zip(texts, target.tolist(), reference.tolist()):
        words = findall(fold(text)) if isinstance(text, str) and text else []
        vocab.update(words)
        if t:
            ct.update(words)
        elif r:
            cr.update(words)
    terms = sorted(v for v in vocab if len(v) >= min_len)
    a = np.array([ct.get(v, 0) for v in terms], dtype=float)
    b = np.array([cr.get(v, 0) for v in terms], dtype=float)
    return terms, a, b


def keyness(
    docs: pd.DataFrame,
    target,
    *,
    by: str | None = None,
    reference=None,
    text_col: str = "text",
    correction: str = "williams",
    min_count: int = 2,
    min_len: int = 1,
    stopwords: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Keyness of terms in a target group against a reference (log-likelihood G²).

    For each term, with ``a`` / ``b`` its count in target / reference and ``c`` / ``d``
    the counts of all other terms, the 2x2 table [[a, b], [c, d]] gives expected
    ``E_ij = row_i * col_j / N`` and ``G² = 2 Σ O_ij ln(O_ij / E_ij)`` (0 ln 0 = 0).
    The sign follows quanteda's ``textstat_keyness``: positive when the term is more
    frequent in the target than expected (``a > E_11``), negative otherwise.
    ``correction`` follows quanteda's ``textstat_keyness(measure = "lr")``: ``"none"``;
    ``"yates"`` moves each observed cell 0.5 toward its expected value, only when
    ``|ad - bc| >= N/2`` and some expected count is below 5; ``"williams"`` (default)
    divides G² by ``q = 1 + (N/(a+b) + N/(c+d) - 1)(N/(a+c) + N/(b+d) - 1) / (6N)``, with
    ``q = 1`` when any cell of the table is 0. ``p`` is the chi-square(1) upper tail of
    |G²|. Effect size: ``log_ratio = log2((a / n_t) / (b / n_r))`` (Hardie 2014's log
    ratio), n_t and n_r the group totals, where a zero ``a`` or ``b`` is replaced by 0.5
    (framelens's convention; Hardie's definition leaves zero counts undefined).

    Parameters
    ----------
    docs : DataFrame
        Any table with a text column (``docs`` or ``sentences``).
    target : array-like of bool, or a value of ``docs[by]``
        Rows forming the target group.
    by : str, optional
        Column whose value ``target`` names.
    reference : value of ``docs[by]``, optional
        Reference group; default: every other row.
    correction : {"williams", "yates", "none"}
    min_count : int
        Drop terms with fewer occurrences in target + reference.
    min_len : int
        Drop terms shorter than this many characters.
    stopwords : iterable of str, optional
        Terms to leave out (compared after folding).

    Returns
    -------
    DataFrame
        term, n_target, n_reference, G2, p, log_ratio, sorted by G2 descending. Terms
        are the words of :mod:`framelens.core.tokens` in folded text.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"text": ["war war peace", "trade trade peace"], "g": ["A", "B"]})
    >>> k = keyness(d, "A", by="g", min_count=1, correction="none")
    >>> k.iloc[0]["term"], int(k.iloc[0]["n_target"])
    ('war', 2)
    """
    # long: numpydoc with the G2 formulas and corrections; the body is 41 lines
    if correction not in ("williams", "yates", "none"):
        raise ValueError(f"correction must be 'williams', 'yates' or 'none', got {correction!r}")
    require(docs, (text_col,) + ((by,) if by else ()), table="docs")
    if by is not None:
        vals = docs[by].astype(object)
        tmask = (vals == target).to_numpy(dtype=bool)
        rmask = ~tmask if reference is None else (vals == reference).to_numpy(dtype=bool)
        if not tmask.any():
            values = sorted(map(str, vals.dropna().unique()))[:20]
            raise ValueError(f"no rows with {by} == {target!r}; values: {values}")
    else:
        tmask = np.asarray(target, dtype=bool)
        if tmask.shape != (len(docs),):
            raise ValueError(
                "target must be a boolean mask with one entry per row of docs "
                "(or pass by=COLUMN and a group value)"
            )
        rmask = ~tmask if reference is None else np.asarray(reference, dtype=bool)
    rmask = rmask & ~tmask
    texts = docs[text_col].astype(object).where(docs[text_col].notna(), "").tolist()
    vocab, a, b = term_counts(texts, tmask, rmask, min_len=min_len)
    empty = pd.DataFrame(
        {
            "term": pd.Series(dtype=str),
            "n_target": pd.Series(dtype=np.int64),
            "n_reference": pd.Series(dtype=np.int64),
            "G2": pd.Series(dtype=float),
            "p": pd.Series(dtype=float),
            "log_ratio": pd.Series(dtype=float),
        }
    )
    if not vocab:
        return empty
    out = g2_table(np.array(vocab), a, b, correction=correction)
    if stopwords:
        stop = {fold(s) for s in stopwords}
        out = out[~out["term"].isin(stop)]
    out = out[(out["n_target"] + out["n_reference"]) >= min_count]
    return out.sort_values(["G2", "term"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def g2_table(
    terms: np.ndarray, a: np.ndarray, b: np.ndarray, *, correction: str = "williams"
) -> pd.DataFrame:
    """G², p and log ratio of each term from its target (``a``) and reference (``b``)
    counts (see :func:`keyness` for the formulas).

    Examples
    --------
    >>> t = g2_table(np.array(["x", "y"]), np.array([10.0, 0.0]), np.array([0.0, 10.0]),
    ...              correction="none")
    >>> [round(float(g), 2) for g in t["G2"]]
    [27.73, -27.73]
    """
    from scipy import stats

    nt, nr = a.sum(), b.sum()
    c, d = nt - a, nr - b
    n = nt + nr
    with np.errstate(divide="ignore", invalid="ignore"):
        e11 = (a + b) * (a + c) / n
        e12 = (a + b) * (b + d) / n
        e21 = (c + d) * (a + c) / n
        e22 = (c + d) * (b + d) / n
        oa, ob, oc, od = a.copy(), b.copy(), c.copy(), d.copy()
        if correction == "yates":
            # quanteda: only when |ad - bc| >= N/2 AND some expected count < 5; each
            # cell then moves 0.5 toward its expectation
            app = (np.abs(a * d - b * c) >= n / 2) & ((e11 < 5) | (e12 < 5) | (e21 < 5) | (e22 < 5))
            s = np.where(a * d - b * c > 0, 0.5, -0.5) * app
            oa, ob, oc, od = a - s, b + s, c + s, d - s

        def term(o, e):
            return np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / np.where(e > 0, e, 1)), 0.0)

        g2 = 2 * (term(oa, e11) + term(ob, e12) + term(oc, e21) + term(od, e22))
        if correction == "williams":
            # quanteda: q = 1 when any cell of the 2x2 table is 0
            q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
            q = np.where((a * b * c * d == 0) | ~np.isfinite(q) | (q <= 0), 1.0, q)
            g2 = g2 / q
        g2 = np.clip(np.nan_to_num(g2, nan=0.0), 0, None)
        g2 = np.where(a > e11, g2, -g2)
        # log ratio (Hardie 2014): log2 of the ratio of relative frequencies; a zero count
        # is replaced by 0.5 (framelens's convention, not part of Hardie's definition)
        lr = np.log2(
            (np.where(a > 0, a, 0.5) / np.where(nt > 0, nt, 1))
            / (np.where(b > 0, b, 0.5) / np.where(nr > 0, nr, 1))
        )
    return pd.DataFrame(
        {
            "term": terms,
            "n_target": a.astype(np.int64),
            "n_reference": b.astype(np.int64),
            "G2": g2,
            "p": stats.chi2.sf(np.abs(g2), 1),
            "log_ratio": lr,
        }
    )
