"""Export a coding round: sample units from an analysis and write the sheets.

Examples
--------
>>> import tempfile, pandas as pd
>>> from framelens.coding.codebooks import codebook
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One.", "Two."], "outlet": ["X", "Y"]})
>>> cb = codebook([{"variable": "topic", "level": "nominal", "values": ["econ", "other"],
...                 "definition": "Main topic"}])
>>> out = export({"docs": docs}, cb, tempfile.mkdtemp(), kind="documents", n=2,
...              coders=["ann", "bob"], strata=("outlet",))
>>> sorted(p.suffix for p in out["files"])
['.csv', '.csv', '.xlsx']
>>> out["units"]["unit_id"].tolist()
['a', 'b']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from framelens.errors import CodingError

from .sample import sample_units
from .sheets import coding_sheet, write_csv, write_units, write_xlsx
from .unit_table import units as make_units

__all__ = ["export"]


def _targets(out_dir: Path, name: str, *, overwrite: bool) -> tuple[list[Path], list[str]]:
    """The four files of an export of ``name`` into ``out_dir`` and those already there;
    an earlier round there is an error unless ``overwrite``."""
    targets = [out_dir / f"{name}{s}" for s in (".csv", ".codebook.csv", ".xlsx", ".units.csv")]
    if out_dir.exists() and not out_dir.is_dir():
        raise CodingError(f"{out_dir}: is a file, not a folder for the coding sheets")
    there = [str(p) for p in targets if p.exists()]
    if there and not overwrite:
        raise CodingError(
            f"{out_dir} already holds a coding round ({', '.join(there)}); nothing was "
            "written. Choose another folder or name, or pass overwrite=True "
            "(framelens code export --overwrite) to replace it"
        )
    return targets, there


def export(
    analysis,
    codebook,
    out_dir,
    *,
    kind: str = "sentences",
    n: int = 100,
    coders: Sequence[str] = ("coder1", "coder2"),
    score: str | None = None,
    tool_variable: str | None = None,
    strata: Sequence[str] = ("outlet", "score_bin"),
    n_bins: int = 3,
    random_state: int = 0,
    name: str = "coding_sheet",
    overwrite: bool = False,
) -> dict:
    """Draw a stratified, seeded sample of units and write it as CSV and XLSX sheets.

    Parameters
    ----------
    analysis : Analysis or mapping of tables
    codebook : DataFrame
        From :func:`framelens.coding.codebooks.codebook`.
    out_dir : path
        Folder for ``<name>.csv``, ``<name>.codebook.csv``, ``<name>.xlsx`` and
        ``<name>.units.csv`` (the sample, for :func:`~framelens.coding.importing.import_codes`).
    kind : {"sentences", "quotations", "events", "documents"}, keyword-only
    n : int
        Sample size.
    coders : list of str
        Names of the coders: one blank column each per variable.
    score : str, optional
        ``"table.column"``: the tool's value per unit (strata ``score_bin``; written to
        the hidden column ``tool[<tool_variable>]``).
    tool_variable : str, optional
        The codebook variable the score stands for (default: the first variable).
    strata, n_bins, random_state
        See :func:`framelens.coding.sample.sample_units`. Without ``score`` the
        ``score_bin`` stratum is dropped.
    name : str
        Stem of the files.
    overwrite : bool
        Replace the files of an earlier export of ``name`` in ``out_dir``; without it an
        existing one is a :class:`~framelens.errors.CodingError` (sheets coders may have
        filled in are never replaced by accident).

    Returns
    -------
    dict
        ``{"units": sampled units, "sheet": the sheet DataFrame, "files": [paths],
        "units_file": path of <name>.units.csv}``.
    """
    out_dir = Path(out_dir)
    targets, there = _targets(out_dir, name, overwrite=overwrite)
    strata = tuple(strata)
    if score is None:
        strata = tuple(s for s in strata if s != "score_bin")
    all_units = make_units(analysis, kind, score=score)
    if all_units.empty:
        raise CodingError(f"the analysis has no {kind} to sample")
    picked = sample_units(all_units, n=n, strata=strata, n_bins=n_bins, random_state=random_state)
    tool = None
    if score is not None:
        tool = {tool_variable or str(codebook["variable"].iloc[0]): "tool_value"}
    sheet = coding_sheet(picked, codebook, coders=coders, tool=tool)
    try:
        files = write_csv(sheet, out_dir / f"{name}.csv", codebook=codebook)
        files.append(write_xlsx(sheet, out_dir / f"{name}.xlsx", codebook=codebook))
        keep = [c for c in picked.columns if c not in ("text", "context")]
        units_file = write_units(picked[keep], targets[3])
    except BaseException:  # never leave half a new round behind (it would block the next)
        for p in targets:
            if str(p) not in there:
                p.unlink(missing_ok=True)
        raise
    return {"units": picked, "sheet": sheet, "files": files, "units_file": units_file}
