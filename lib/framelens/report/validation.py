"""The validation report: a coding round read back, the tool as one more coder.

A *round folder* holds what :func:`framelens.coding.export` wrote (``<name>.units.csv``),
the codebook as YAML (``codebook.yaml``: the :func:`framelens.coding.codebook` entries,
each optionally with ``tool: "table.column"`` and ``cuts: [...]`` saying how the tool's
score maps to the allowed values) and the filled sheets in ``filled/``. :func:`read_round`
imports them with :func:`framelens.coding.import_codes`; :func:`tool_codes_of` turns the
analysis's current scores into codes of the coder ``framelens``; :func:`confusion` and
:func:`worst_units` show where tool and coders part.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"unit_id": ["u1", "u1", "u1", "u2", "u2", "u2"],
...                   "coder": ["ann", "bob", "framelens"] * 2, "variable": "bias",
...                   "value": ["biased", "biased", "neutral", "neutral", "neutral", "neutral"]})
>>> confusion(c, "bias").to_dict()
{'neutral': {'biased': 2, 'neutral': 2}}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens import coding
from framelens.errors import CodingError

__all__ = [
    "read_codebook",
    "read_round",
    "round_view",
    "round_texts",
    "tool_codes_of",
    "confusion",
    "worst_units",
    "compare",
    "plot_agreement",
    "agreement_parts",
    "tool_parts",
]


def read_codebook(path: str | Path) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """The codebook of a round (``codebook.yaml``) and each variable's tool mapping
    (:func:`framelens.coding.read_codebook`).

    Returns
    -------
    (DataFrame, dict)
        :func:`framelens.coding.codebook` table and ``variable -> {"tool": "table.column",
        "cuts": [...]}`` for the variables that name a tool score.

    Raises
    ------
    CodingError
        When the file is missing or a mapping has the wrong number of cuts.
    """
    return coding.read_codebook(path)


def read_round(folder: str | Path, *, name: str = "coding_sheet") -> dict[str, Any]:
    """Read a coding round: codebook, exported units and every filled sheet's codes.

    Returns
    -------
    dict
        ``codebook``, ``tools`` (see :func:`read_codebook`), ``units`` (the exported
        sample) and ``codes`` (the tidy ``codes`` table), ``sheets`` (paths read).
    """
    folder = Path(folder)
    cb, tools = read_codebook(folder / "codebook.yaml")
    units_path = folder / f"{name}.units.csv"
    if not units_path.is_file():
        raise CodingError(f"{units_path}: no exported units; run framelens.coding.export first")
    units = coding.read_units(units_path)
    sheets = sorted((folder / "filled").glob("*.csv")) + sorted((folder / "filled").glob("*.xlsx"))
    if not sheets:
        raise CodingError(f"{folder / 'filled'}: no filled coding sheets (CSV or XLSX)")
    codes = coding.import_codes(sheets, cb, units=units)
    return {"codebook": cb, "tools": tools, "units": units, "codes": codes, "sheets": sheets}


def round_view(analysis: Any, units: pd.DataFrame) -> Any:
    """The analysis restricted to the documents of a round's units (an
    :meth:`~framelens.pipeline.Analysis.view`, read on first use), so that a round of a
    few hundred units does not read a large corpus's tables; other objects as they are."""
    if not hasattr(analysis, "view") or "doc_id" not in units:
        return analysis
    return analysis.view(sorted(set(units["doc_id"].astype(str))))


def round_texts(analysis: Any, rnd: Mapping[str, Any]) -> pd.DataFrame:
    """The units of the round's kind (:func:`framelens.coding.units`) of the documents
    its units come from: their text and context as the sheets showed them."""
    units = rnd["units"]
    kind = str(units["unit_kind"].iloc[0]) if len(units) else "sentences"
    return coding.units(round_view(analysis, units), kind)


def tool_codes_of(
    analysis: Any, units: pd.DataFrame, codebook: pd.DataFrame, tools: Mapping[str, Mapping]
) -> pd.DataFrame:
    """The tool's current value of each unit as codes of :data:`framelens.coding.TOOL`.

    Each variable's score (``tool: "table.column"``) is cut into its allowed values at
    ``cuts`` (a score below the first cut is the first value; a cut belongs to the
    value above it). Units the score does not reach get no tool code.
    """
    kind = str(units["unit_kind"].iloc[0]) if "unit_kind" in units and len(units) else "sentences"
    analysis = round_view(analysis, units)
    parts = []
    for var, spec in tools.items():
        scored = coding.units(analysis, kind, score=spec["tool"])[["unit_id", "tool_value"]]
        u = units[["unit_id"]].astype(str).merge(scored, on="unit_id", how="left")
        vals = coding.allowed(codebook, var)
        x = pd.to_numeric(u["tool_value"], errors="coerce").to_numpy(dtype=float)
        bins = np.digitize(x, spec["cuts"])
        u["value"] = [vals[b] if np.isfinite(v) else None for b, v in zip(bins, x)]
        parts.append(coding.tool_codes(u, codebook, variable=var, column="value"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def confusion(codes: pd.DataFrame, variable: str, *, tool: str = coding.TOOL) -> pd.DataFrame:
    """Coders' values (rows) against the tool's (columns), pooled over coders: each cell
    counts (unit, coder) pairs."""
    c = codes[codes["variable"].astype(str) == variable]
    t = c[c["coder"] == tool][["unit_id", "value"]].rename(columns={"value": "tool"})
    h = c[c["coder"] != tool][["unit_id", "value"]].rename(columns={"value": "coder"})
    m = h.merge(t, on="unit_id")
    out = pd.crosstab(m["coder"], m["tool"])
    out.index.name, out.columns.name = "coders", variable + " (framelens)"
    return out


def worst_units(
    codes: pd.DataFrame,
    units_text: pd.DataFrame,
    variable: str,
    *,
    n: int = 10,
    tool: str = coding.TOOL,
    coders: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The units where the tool and the coders disagree most, with their text.

    ``against_tool`` = coders whose value differs from the tool's; ties broken by
    coders' own disagreement, then unit id.

    Examples
    --------
    >>> c = pd.DataFrame({"unit_id": ["u1", "u1", "u1"], "coder": ["ann", "bob", "framelens"],
    ...                   "variable": "v", "value": ["a", "b", "b"]})
    >>> worst_units(c, pd.DataFrame({"unit_id": ["u1"], "text": ["T"]}), "v").to_dict("records")
    [{'unit_id': 'u1', 'text': 'T', 'framelens': 'b', 'ann': 'a', 'bob': 'b', 'against_tool': 1, \
'coders_differ': True}]
    """
    c = codes[codes["variable"].astype(str) == variable]
    wide = c.pivot_table(index="unit_id", columns="coder", values="value", aggfunc="first")
    humans = [str(k) for k in (coders or wide.columns) if str(k) != tool and k in wide.columns]
    if tool not in wide.columns or not humans:
        return pd.DataFrame(columns=["unit_id", "text", tool, *humans, "against_tool"])
    wide = wide[wide[tool].notna()]
    against = sum((wide[h].notna() & (wide[h] != wide[tool])).astype(int) for h in humans)
    out = wide[[tool, *humans]].assign(
        against_tool=against, coders_differ=wide[humans].nunique(axis=1) > 1
    )
    out = out.reset_index().merge(units_text[["unit_id", "text"]], on="unit_id", how="left")
    out = out.sort_values(
        ["against_tool", "coders_differ", "unit_id"], ascending=[False, False, True]
    )
    out = out[out["against_tool"] > 0]
    cols = ["unit_id", "text", tool, *humans, "against_tool", "coders_differ"]
    return out[cols].head(n).reset_index(drop=True)


def compare(analysis: Any, rnd: Mapping[str, Any], *, n_boot: int = 500) -> dict[str, Any]:
    """Agreement among the coders and, where the analysis scores the round's units, of
    the tool with them.

    Returns
    -------
    dict
        ``agreement`` (:func:`framelens.coding.agreement`), ``pairs`` (pairwise kappa),
        ``tool`` (the tool's codes), ``codes`` (coders' and tool's codes), ``vs_tool``
        (:func:`framelens.coding.tool_agreement`, or None when the tool scored no unit of
        the round: a round coded on another corpus) and ``notes``.
    """
    cb, codes = rnd["codebook"], rnd["codes"]
    tool = tool_codes_of(analysis, rnd["units"], cb, rnd["tools"])
    notes = []
    if not len(tool):
        notes.append(
            "The analysis scores none of the round's units (was the round coded on another "
            "corpus?): only the agreement among the coders is shown."
        )
    both = pd.concat([codes, tool], ignore_index=True) if len(tool) else codes
    pairs = [coding.pairwise_kappa(codes, cb, v).assign(variable=v) for v in cb["variable"]]
    return {
        "codebook": cb,
        "agreement": coding.agreement(codes, cb, n_boot=n_boot, random_state=0),
        "pairs": pd.concat(pairs, ignore_index=True),
        "tool": tool,
        "codes": both,
        "vs_tool": coding.tool_agreement(both, cb, n_boot=n_boot, random_state=0)
        if len(tool)
        else None,
        "notes": notes,
    }


def plot_agreement(res: Mapping[str, Any], *, ax=None):
    """Bars of Krippendorff's alpha per variable: among the coders (with the bootstrap
    95% interval) and with framelens as one more coder."""
    from framelens.report.core import PALETTE, label_axes, new_axes

    ag = res["agreement"]
    ax = new_axes(ax, figsize=(7, 0.8 * max(len(ag), 2) + 1.5))
    y = np.arange(len(ag))
    a = ag["alpha"].to_numpy(dtype=float)
    err = np.vstack([a - ag["alpha_lo"].to_numpy(float), ag["alpha_hi"].to_numpy(float) - a])
    ax.barh(y - 0.2, a, height=0.4, xerr=np.nan_to_num(np.abs(err)), color=PALETTE["blue"],
            label="coders (95% CI)")  # fmt: skip
    vt = res.get("vs_tool")
    if vt is not None:
        w = ag[["variable"]].merge(vt, on="variable", how="left")["alpha_with_tool"]
        ax.barh(y + 0.2, w.to_numpy(float), height=0.4, color=PALETTE["orange"],
                label="coders + framelens")  # fmt: skip
    ax.axvline(0.667, color="#888888", ls=":", lw=1)
    ax.axvline(0.8, color="#444444", ls="--", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels(ag["variable"].astype(str))
    ax.set_xlim(min(-0.2, float(np.nanmin(a)) - 0.1 if len(a) else 0), 1)
    ax.legend(fontsize=8, loc="lower right")
    return label_axes(
        ax, title="Krippendorff's alpha per variable", xlabel="alpha", ylabel="variable",
        source="dotted 0.667 / dashed 0.8: Krippendorff's thresholds for tentative / firm use",
    )  # fmt: skip


def agreement_parts(res: Mapping[str, Any]) -> list:
    """The coders' agreement: figure, per-variable table and the pairwise kappas."""
    import matplotlib.pyplot as plt

    from framelens.report.core import note_html, table_html

    fig = plot_agreement(res).figure
    plt.close(fig)
    return [
        *[note_html(n) for n in res["notes"]],
        fig,
        table_html(res["agreement"].round(3), name="agreement", caption="Agreement among coders"),
        table_html(res["pairs"].round(3), name="pairwise-kappa", caption="Kappa per coder pair"),
    ]


def tool_parts(res: Mapping[str, Any], texts: pd.DataFrame, *, n: int = 8) -> list:
    """framelens against the coders: the agreement table, a confusion matrix and the
    units where they part most per variable (or a note when the tool scored nothing)."""
    from framelens.report.core import note_html, table_html

    if res["vs_tool"] is None:
        return [note_html(n_) for n_ in res["notes"]]
    parts = [
        table_html(
            res["vs_tool"].round(3), name="tool-agreement", caption="framelens against the coders"
        )  # fmt: skip
    ]
    for v in res["codebook"]["variable"]:
        parts.append(
            table_html(
                confusion(res["codes"], v),
                name=f"confusion-{v}",
                caption=f"{v}: coders (rows) x framelens (columns)",
            )  # fmt: skip
        )
        parts.append(
            table_html(
                worst_units(res["codes"], texts, v, n=n),
                name=f"disagreements-{v}",
                caption=f"{v}: units where framelens and the coders disagree most",
            )  # fmt: skip
        )
    return parts
