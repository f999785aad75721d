"""Colours and figure style of every report: the Okabe–Ito palette, tints, matplotlib.

Colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), which
stays distinguishable under the common colour-vision deficiencies; highlight
backgrounds are light tints of the same hues so the text stays readable. One colour per
reporting-verb class, the same in every report (:data:`VERB_CLASS_COLORS`).

Every text a report figure draws - titles, axis labels, tick labels, legends, cell
annotations, network labels - is corpus-controlled and is drawn as *plain text*:
:func:`use_style` (which :func:`new_axes`, the start of every figure helper, applies)
turns matplotlib's mathtext off (``text.parse_math``), so an outlet named ``$\\foo{$``
is shown as written instead of being parsed as a formula (and failing to draw).

Examples
--------
>>> color_map(["b", "a"], tints=False)
{'a': '#E69F00', 'b': '#56B4E9'}
>>> ax = label_axes(new_axes(figsize=(3, 2)), title="t", xlabel="x", ylabel="y")
>>> ax.get_title()
't'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "PALETTE",
    "OKABE_ITO",
    "TINTS",
    "VERB_CLASS_COLORS",
    "color_map",
    "use_style",
    "new_axes",
    "label_axes",
]

#: Okabe–Ito colours, in their customary order (black last: used for text/reference lines).
PALETTE: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
OKABE_ITO: tuple[str, ...] = tuple(v for k, v in PALETTE.items() if k != "black")
#: One colour per reporting-verb class (METHODS.md §2), the same in every report.
VERB_CLASS_COLORS: dict[str, str] = {
    "neutral": PALETTE["blue"],
    "endorsing": PALETTE["bluish_green"],
    "distancing": PALETTE["orange"],
    "guilt_implying": PALETTE["vermillion"],
}

_CSS_COLOR = re.compile(
    r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|rgba?\(\s*[\d.%]+\s*,\s*[\d.%]+\s*,\s*[\d.%]+\s*(,\s*[\d.]+\s*)?\))$"
)


def _tint(hex_color: str, amount: float = 0.6) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#{:02X}{:02X}{:02X}".format(*mix)


#: Light tints of :data:`OKABE_ITO` for text-highlight backgrounds (same order), then
#: medium tints of the same hues for an 8th to 14th label.
TINTS: tuple[str, ...] = tuple(_tint(c) for c in OKABE_ITO) + tuple(
    _tint(c, 0.35) for c in OKABE_ITO
)


def _check_color(label: str, color: Any) -> str:
    c = str(color).strip()
    if not _CSS_COLOR.match(c):
        raise ValueError(
            f"colour for {label!r} must be a CSS colour like '#E69F00', 'orange' or "
            f"'rgb(1,2,3)', not {color!r}"
        )
    return c


def color_map(
    labels: Sequence[Any], *, colors: Mapping[Any, str] | None = None, tints: bool = True
) -> dict[str, str]:
    """A stable label -> colour mapping: given ``colors`` first, then the palette in
    sorted label order (so the same labels always get the same colours).

    Parameters
    ----------
    labels : sequence
        Labels (converted to ``str``; duplicates ignored).
    colors : mapping, optional, keyword-only
        label -> CSS colour, used as given (validated: a hex colour, a colour name or
        ``rgb()``/``rgba()``; anything else raises ``ValueError``).
    tints : bool, keyword-only
        Light :data:`TINTS` (for highlight backgrounds, the default) or the full-strength
        :data:`OKABE_ITO` colours (for lines and bars). Colours repeat after 14 (tints)
        or 7 labels.

    Returns
    -------
    dict
        ``{label: colour}`` in sorted label order.

    Examples
    --------
    >>> color_map(["b", "a"], tints=False)
    {'a': '#E69F00', 'b': '#56B4E9'}
    """
    given = {str(k): _check_color(str(k), v) for k, v in (colors or {}).items()}
    base = TINTS if tints else OKABE_ITO
    out: dict[str, str] = {}
    i = 0
    for lab in sorted({str(x) for x in labels}):
        if lab in given:
            out[lab] = given[lab]
        else:
            out[lab] = base[i % len(base)]
            i += 1
    return out


# --------------------------------------------------------------------------- matplotlib
def use_style() -> None:
    """Apply the framelens matplotlib style: Okabe–Ito colour cycle, readable sizes,
    light grid, no top/right spines, PNG figures (deterministic bytes in reports), and
    every text drawn as plain text (``text.parse_math`` off: labels taken from a corpus,
    such as an outlet ``$x$``, are never parsed as mathtext).

    Changes the global ``matplotlib.rcParams`` (and, inside a kernel, the inline figure
    format); safe to call repeatedly.

    Returns
    -------
    None

    Examples
    --------
    >>> use_style()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["axes.prop_cycle"].by_key()["color"][0]
    '#E69F00'
    >>> mpl.rcParams["text.parse_math"]
    False
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
            "figure.figsize": (7.5, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "savefig.bbox": "tight",
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "legend.frameon": False,
            "font.size": 10,
            "svg.hashsalt": "framelens",
            "image.cmap": "cividis",
            # corpus text in labels, ticks and legends is never mathtext ("$\\foo{$")
            "text.parse_math": False,
        }
    )
    try:  # inline figures as PNG in notebooks and reports
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except Exception:  # not in a kernel: nothing to configure
        pass


def new_axes(ax=None, *, figsize: tuple[float, float] = (7, 4)):
    """Return ``ax``, or a new styled matplotlib Axes of ``figsize`` when ``ax`` is None.

    Every figure helper of the measure families starts here, so that all report figures
    share one style.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        An existing Axes to draw on (returned unchanged).
    figsize : (float, float), keyword-only
        Width and height in inches of a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = new_axes(figsize=(3, 2))
    >>> ax.figure.get_size_inches().tolist()
    [3.0, 2.0]
    """
    import matplotlib.pyplot as plt

    use_style()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def label_axes(ax, *, title: str, xlabel: str, ylabel: str, source: str | None = None):
    """Set a title and both axis labels (all required: a figure must say what it shows).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    title, xlabel, ylabel : str, keyword-only
        Non-empty texts; an empty one raises ``ValueError`` naming it.
    source : str, optional, keyword-only
        A small note under the plot (data source, caveat).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Examples
    --------
    >>> ax = label_axes(new_axes(), title="Documents per month", xlabel="month", ylabel="documents")
    >>> ax.get_title(), ax.get_ylabel()
    ('Documents per month', 'documents')
    """
    for name, v in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"label_axes needs a non-empty {name}")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if source:
        ax.annotate(
            source,
            xy=(0, -0.18),
            xycoords="axes fraction",
            fontsize=8,
            color="#555555",
            ha="left",
            va="top",
        )
    return ax
