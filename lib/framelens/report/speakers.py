"""Speakers in report rankings: pronouns never rank as a speaker or a camp.

The text layer resolves "he said" to a person where it can; an unresolved pronoun
("they", "I", "we") is not a source anyone can check, so every speaker or camp ranking
a report shows drops such rows with :func:`drop_pronouns` and says how many it dropped
(:func:`pronoun_note`). An actor code in capitals (``US``, ``IT``) is not a pronoun.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"camp": ["SRB", "they", "US", "He", "I"], "n": [5, 3, 2, 1, 1]})
>>> kept, n = drop_pronouns(t, "camp")
>>> kept["camp"].tolist(), n
(['SRB', 'US'], 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = ["PRONOUNS", "VERB_MIX_COLUMNS", "is_pronoun", "drop_pronouns", "pronoun_note"]

#: The columns of ``quotes`` the verb mix per group and per speaker camp reads
#: (:func:`framelens.measures.neutrality.group_verb_mix`): ids, verb, speaker names.
VERB_MIX_COLUMNS = ["doc_id", "verb_class", "verb_start", "speaker", "speaker_surface",
                    "speaker_actor"]  # fmt: skip

#: Pronouns (lower case) that are never shown as a speaker or a camp.
PRONOUNS = frozenset(
    """i me my mine myself we us our ours ourselves you your yours yourself yourselves
    he him his himself she her hers herself it its itself they them their theirs themselves
    one someone somebody anyone anybody everyone everybody nobody this that these those
    who whom""".split()
)


def is_pronoun(value: Any) -> bool:
    """True when ``value`` is a pronoun ("he", "They", "I"), not an actor code ("US").

    Examples
    --------
    >>> [is_pronoun(v) for v in ("he", "They", "I", "US", "IT", "Serbia", None)]
    [True, True, True, False, False, False, False]
    """
    if not isinstance(value, str):
        return False
    v = value.strip()
    if len(v) > 1 and v.isupper():
        return False  # an actor code such as US or IT
    return v.lower() in PRONOUNS


def drop_pronouns(table: pd.DataFrame, columns: str | Sequence[str]) -> tuple[pd.DataFrame, int]:
    """``table`` without the rows whose value in any of ``columns`` is a pronoun.

    Parameters
    ----------
    table : DataFrame
        Not modified.
    columns : str or list of str
        Speaker or camp columns; columns the table lacks are ignored.

    Returns
    -------
    (DataFrame, int)
        The kept rows (index reset) and how many rows were dropped.

    Examples
    --------
    >>> t = pd.DataFrame({"speaker": ["Ana Brnabic", "she"], "camp": ["SRB", "SRB"]})
    >>> drop_pronouns(t, ["speaker", "camp"])[1]
    1
    """
    cols = [columns] if isinstance(columns, str) else list(columns)
    bad = pd.Series(False, index=table.index)
    for c in cols:
        if c in table.columns:
            bad |= table[c].map(is_pronoun).astype(bool)
    return table[~bad].reset_index(drop=True), int(bad.sum())


def pronoun_note(n_dropped: int, *, what: str = "speaker rankings") -> str:
    """The note that says pronouns are left out of ``what`` (and how many rows went).

    Examples
    --------
    >>> pronoun_note(2)
    'Pronouns (he, she, they, I, we, it ...) are never shown as a speaker or camp: 2 rows \
whose speaker the text layer left as a pronoun are left out of the speaker rankings.'
    """
    rows = f"{n_dropped} row{'s' if n_dropped != 1 else ''}"
    return (
        "Pronouns (he, she, they, I, we, it ...) are never shown as a speaker or camp: "
        f"{rows} whose speaker the text layer left as a pronoun are left out of the {what}."
    )
