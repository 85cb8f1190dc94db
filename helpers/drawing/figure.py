"""Figures: the shared colours, cell text, framing, captions and a pyplot-free figure.

Everything here is used by every other drawing module: :data:`COLORS` (a colour means
the same thing in every lesson), :func:`format_value` (the text written in a cell),
:func:`fit_view` (the frame of a grid drawing), :func:`set_title`, :func:`write_text`, and
the pyplot-free :func:`new_figure`. Only matplotlib's public API is used.

Introduced in notebook 01.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = [
    "COLORS",
    "LABEL_SIZE",
    "MAX_LABELLED",
    "fit_view",
    "format_value",
    "new_figure",
    "set_title",
    "write_text",
]

#: Colours shared by every drawing, so a colour means the same thing in every lesson.
COLORS = {
    "input": "#cfe2f3",  # input cells
    "padding": "#e6e6e6",  # zero (or -inf) padding
    "output": "#d9ead3",  # output cells
    "kernel": "#e69138",  # the kernel window at the current step, and its output cell
    "field": "#8e7cc3",  # the receptive field of the selected output cell
    "grid": "#666666",  # cell borders
    "text": "#222222",
    "faint": "#666666",  # text in padding cells
}

#: Font size (points) of every number and label: 9 CSS pixels in an explorer (72 CSS pixels
#: per inch), the least that stays readable. Numbers that do not fit their cells
#: at this size are left out (:class:`helpers.drawing.labels.CellLabels`), never shrunk.
LABEL_SIZE = 9

#: Grids with more rows or columns than this are drawn without numbers in the cells.
MAX_LABELLED = 12

#: A cell ``(row, col)`` of a grid.
Cell = tuple[int, int]

#: Where a grid's top-left cell starts, ``(x0, y0)`` in data coordinates.
Origin = tuple[float, float]


def format_value(value) -> str:
    """Short text for one cell: integers without a decimal point, floats to two decimals.

    Parameters
    ----------
    value : number
        The value to write; ``-inf`` (max-pooling padding) becomes ``"−∞"``.

    Returns
    -------
    str
        The text, with a true minus sign ``"−"``.

    Notes
    -----
    Introduced in notebook 01.

    Examples
    --------
    >>> format_value(3.0), format_value(2.25), format_value(-1 / 3), format_value(-np.inf)
    ('3', '2.25', '−0.33', '−∞')
    """
    if isinstance(value, numbers.Integral):
        return str(int(value)).replace("-", "−")
    value = float(value)
    if np.isinf(value):
        return "−∞" if value < 0 else "∞"
    if value == round(value):
        return str(int(round(value))).replace("-", "−")
    return f"{value:.2f}".rstrip("0").rstrip(".").replace("-", "−")


def fit_view(ax: Axes, margin: float = 0.15) -> Axes:
    """Frame everything drawn so far: equal aspect, rows growing downwards, no axis lines.

    Parameters
    ----------
    ax : Axes
        The axes to frame.
    margin : float, default=0.15
        Space around the drawing, in cells.

    Returns
    -------
    Axes
        ``ax``, its limits set from its data limits. This function adds no artist.

    Notes
    -----
    Introduced in notebook 01. Grid drawings call it last, so several grids drawn on
    one ``Axes`` (at different origins) are all in view.
    """
    box = ax.dataLim
    if np.isfinite([box.x0, box.x1, box.y0, box.y1]).all():
        ax.set_xlim(box.x0 - margin, box.x1 + margin)
        ax.set_ylim(box.y1 + margin, box.y0 - margin)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def write_text(ax: Axes, x: float, y: float, text: str, **kwargs) -> Text:
    """``ax.text(x, y, text, **kwargs)`` at :data:`LABEL_SIZE` points, not clipped.

    Parameters
    ----------
    ax : Axes
        Where to write; the text joins ``ax.texts``.
    x, y : float
        Position, in data coordinates unless ``transform`` is given.
    text : str
        One line.
    **kwargs
        ``Text`` properties (``ha``, ``va``, ``fontsize``, ``color``, ``transform``).

    Returns
    -------
    Text
        The text, in ``ax.texts``.

    Examples
    --------
    >>> fig, (ax,) = new_figure()
    >>> caption = write_text(ax, 0, 0, "input 3×3", ha="center")
    >>> caption in ax.texts, caption.get_text(), caption.get_fontsize()
    (True, 'input 3×3', 9.0)
    """
    return ax.text(x, y, text, **{"clip_on": False, "fontsize": LABEL_SIZE, **kwargs})


def set_title(ax: Axes, title: str, fontsize: float = LABEL_SIZE) -> Text:
    """Write a title above the axes, as ``ax.set_title`` does, but cheaper to render.

    Parameters
    ----------
    ax : Axes
        Where to write.
    title : str
        The text.
    fontsize : float, default=LABEL_SIZE
        Points.

    Returns
    -------
    Text
        The title, in axes coordinates.

    Notes
    -----
    ``set_title`` measures the tick labels on every draw to place the title, which
    costs a third of a redraw in the explorers; a text in axes coordinates does not.
    """
    return write_text(
        ax, 0.5, 1.01, title, transform=ax.transAxes, ha="center", va="bottom", fontsize=fontsize
    )


def new_figure(ncols: int = 1, *, figsize=(6.0, 3.0), width_ratios=None) -> tuple[Figure, list]:
    """Make a pyplot-free ``Figure`` with one row of axes.

    Parameters
    ----------
    ncols : int, default=1
        Number of axes, side by side.
    figsize : (float, float), default=(6.0, 3.0)
        Inches.
    width_ratios : sequence of float, optional
        Relative widths of the axes.

    Returns
    -------
    fig : Figure
        Not registered with pyplot: nothing global changes, and it is freed with its
        last reference.
    axes : list of Axes
        ``ncols`` of them, left to right.

    Notes
    -----
    Introduced in notebook 01, for the explorers.

    Examples
    --------
    >>> fig, axes = new_figure(2, figsize=(4, 2))
    >>> len(axes), fig.get_size_inches().tolist()
    (2, [4.0, 2.0])
    """
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=False, gridspec_kw={"width_ratios": width_ratios})
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9, wspace=0.08)
    return fig, list(axes[0])
