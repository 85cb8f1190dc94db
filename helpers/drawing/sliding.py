"""Sliding windows: the kernel window of one step, its receptive field, the output grid.

:func:`draw_sliding_window` puts the padded input and the output side by side, one
step of the sliding window (the still version of the conv_arithmetic animations); it
is built from :func:`draw_kernel_window`, :func:`draw_receptive_field` and
:func:`draw_output_grid`. Which input cells a window covers is index arithmetic, done
by :func:`helpers.windows.window_taps`; the span of a dilated kernel comes from
:func:`helpers.arithmetic.effective_kernel_size`.

Introduced in notebook 01 (pooling windows: notebook 02; dilation: notebook 03). The
drawings follow Dumoulin & Visin (2016), arXiv:1603.07285, and vdumoulin/conv_arithmetic.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from helpers.arithmetic import effective_kernel_size
from helpers.validation import check_int, check_padding, check_tuple, check_window
from helpers.windows import window_taps

from .figure import COLORS, Cell, Origin, fit_view, format_value
from .grids import (
    draw_grid,
    frame_cells,
    highlight_cells,
    mark_selected,
    outline_cells,
)

__all__ = [
    "draw_kernel_window",
    "draw_output_grid",
    "draw_receptive_field",
    "draw_sliding_window",
]


def draw_kernel_window(
    ax: Axes,
    row: int,
    col: int,
    k=3,
    s=1,
    d=1,
    *,
    origin: Origin = (0, 0),
    color: str = COLORS["kernel"],
    weights=None,
) -> list[Artist]:
    """Draw the kernel window that computes output cell ``(row, col)``.

    The span of the window is framed with a dashed line; each tap is framed solid, so a
    dilated kernel shows its gaps.

    Parameters
    ----------
    ax : Axes
        An ``Axes`` holding the padded input, drawn at ``origin``.
    row, col : int
        Output cell.
    k, s, d : int or (int, int)
        Kernel size, stride and dilation.
    origin : (float, float), default=(0, 0)
        Where the padded input starts.
    color : color, default=COLORS["kernel"]
        Colour of the frames.
    weights : array_like, shape (kH, kW), optional
        Written small in the corner of each tap (``×w``), when given.

    Returns
    -------
    list of Artist
        The span's ``Rectangle`` (solid for ``d = 1``, dashed otherwise), the taps'
        frames (one ``PatchCollection``), then one ``Text`` per weight.

    Notes
    -----
    Introduced in notebook 01 (dilation: notebook 03). The taps are
    :func:`helpers.windows.window_taps`.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, (ax,) = new_figure()
    >>> span, taps = draw_kernel_window(ax, 0, 1, k=3, s=2, d=2)
    >>> span.get_width(), span.get_linestyle(), len(taps.get_paths())
    (5.0, '--', 9)
    """
    (kh, kw), (sh, sw), (dh, dw) = check_window(k, s, d)
    taps = window_taps(row, col, (kh, kw), (sh, sw), (dh, dw))
    top_left = tuple(taps[0])  # the first tap: (row*s, col*s)
    span = (effective_kernel_size(kh, dh), effective_kernel_size(kw, dw))
    if (dh, dw) == (1, 1):  # a solid frame around the whole window
        artists = outline_cells(ax, top_left, span, origin=origin, color=color, linewidth=2.5)
    else:  # a dashed span, so the gaps between the taps stay visible
        artists = outline_cells(
            ax, top_left, span, origin=origin, color=color, linewidth=1.2, linestyle="--"
        )
    # one collection for all taps: much cheaper than one patch per tap
    artists += frame_cells(
        ax, taps, origin=origin, color=color, inset=0.08, linewidth=1.5, autolim=False
    )
    if weights is not None:
        weights = np.asarray(weights)
        for (r, c), w in zip(taps, weights.ravel(), strict=True):
            text = ax.text(
                origin[0] + c + 0.95,
                origin[1] + r + 0.95,
                f"×{format_value(w)}",
                ha="right",
                va="bottom",
                fontsize=7,
                color="#783f04",
            )
            artists.append(text)
    fit_view(ax)
    return artists


def draw_receptive_field(
    ax: Axes,
    row: int,
    col: int,
    k=3,
    s=1,
    d=1,
    *,
    origin: Origin = (0, 0),
    color: str = COLORS["field"],
    hatch: str | None = "//",
) -> list[Artist]:
    """Shade the input cells, padding included, that feed output cell ``(row, col)``.

    Parameters
    ----------
    ax : Axes
        An ``Axes`` holding the padded input, drawn at ``origin``.
    row, col : int
        Output cell.
    k, s, d : int or (int, int)
        Kernel size, stride and dilation.
    origin : (float, float), default=(0, 0)
        Where the padded input starts.
    color : color, default=COLORS["field"]
        Fill colour.
    hatch : str or None, default="//"
        A matplotlib hatch.

    Returns
    -------
    list of Artist
        One ``PathPatch`` covering the cells (:func:`highlight_cells`).

    Notes
    -----
    Introduced in notebook 01, after ezyang's convolution visualizer, which lights the
    same cells when the pointer hovers over an output cell. For a single layer the
    receptive field is the window's taps (:func:`helpers.windows.window_taps`); the
    dilation's gaps are not part of it.
    """
    k, s, d = check_window(k, s, d)
    taps = [tuple(t) for t in window_taps(row, col, k, s, d)]
    return highlight_cells(ax, taps, origin=origin, color=color, alpha=0.35, hatch=hatch)


def draw_output_grid(
    ax: Axes,
    values=None,
    *,
    shape: Cell | None = None,
    current: Cell | None = None,
    selected: Cell | None = None,
    origin: Origin = (0, 0),
    title: str | None = None,
    show_values: bool | None = None,
) -> list[Artist]:
    """Draw an output grid, the cell being computed filled, a selected cell framed.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    values : array_like, shape (H, W), optional
        Output values; or give ``shape`` for an empty grid.
    shape : (int, int), optional
        ``(H, W)`` when ``values`` is omitted.
    current : (row, col), optional
        The cell the kernel window is computing now (kernel colour).
    selected : (row, col), optional
        The cell whose receptive field is shown (receptive-field colour).
    origin : (float, float), default=(0, 0)
        Where the grid starts.
    title : str, optional
        Written above the axes.
    show_values : bool, optional
        As in :func:`draw_grid`.

    Returns
    -------
    list of Artist
        The grid's artists (:func:`draw_grid`), then the current cell's fill, then
        the selected cell's fill and frame.

    Notes
    -----
    Introduced in notebook 01.
    """
    artists = draw_grid(
        ax,
        values,
        shape=shape,
        origin=origin,
        color=COLORS["output"],
        title=title,
        show_values=show_values,
    )
    if current is not None:
        artists += highlight_cells(ax, [current], origin=origin, color=COLORS["kernel"], alpha=0.55)
    if selected is not None:
        artists += mark_selected(ax, selected, origin=origin)
        artists += outline_cells(ax, selected, origin=origin, color=COLORS["field"], linewidth=2.0)
    return artists


def draw_sliding_window(
    ax_input: Axes,
    ax_output: Axes,
    x,
    out=None,
    *,
    k=3,
    s=1,
    p=0,
    d=1,
    step: int | None = 0,
    cell: int | None = None,
    out_shape: Cell | None = None,
    pad_label: str = "0",
    weights=None,
) -> list[Artist]:
    """One step of a sliding window: padded input with the window, output with its cell.

    Parameters
    ----------
    ax_input, ax_output : Axes
        Where to draw the input and the output.
    x : array_like, shape (H, W), or (int, int)
        The input, unpadded; or its shape ``(H, W)`` for a grid without numbers.
    out : array_like, shape (H_out, W_out), optional
        The output values; or give ``out_shape``.
    k, s, d : int or (int, int)
        Kernel (window) size, stride and dilation.
    p : int, (before, after) or (top, bottom, left, right), default=0
        Padding drawn around ``x``.
    step : int or None, default=0
        Output position in raster order (row by row) whose window is drawn.
    cell : int or None, optional
        Output position in raster order whose receptive field is shaded.
    out_shape : (int, int), optional
        ``(H_out, W_out)`` when ``out`` is omitted: computed by the caller
        (:func:`helpers.arithmetic.conv_output_size`), never here.
    pad_label : str, default="0"
        Text in the padding cells (``"−∞"`` for max pooling).
    weights : array_like, shape (kH, kW), optional
        Kernel weights written in the window's taps.

    Returns
    -------
    list of Artist
        The input grid, its receptive field and kernel window, then the output grid
        with its cells marked (each artist's ``axes`` says where it is).

    Raises
    ------
    TypeError, ValueError
        If ``p``, ``k``, ``s``, ``d``, ``step`` or ``cell`` is not a valid value, or
        neither ``out`` nor ``out_shape`` is given.

    Notes
    -----
    Introduced in notebook 01; pooling windows in notebook 02. The titles give the
    sizes, so the figure can be read against the formula.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, axes = new_figure(2)
    >>> artists = draw_sliding_window(
    ...     *axes, np.zeros((5, 5)), out_shape=(3, 3), k=3, s=2, p=1, step=4
    ... )
    >>> [t.get_text() for t in axes[0].texts + axes[1].texts]
    ['input 5×5, padding 1', 'output 3×3']
    """
    if isinstance(x, tuple) and len(x) == 2 and all(isinstance(n, numbers.Integral) for n in x):
        x_values, x_shape = None, x
    else:
        x_values = np.asarray(x)
        x_shape = x_values.shape
    if out is not None:
        out = np.asarray(out)
        out_shape = out.shape
    if out_shape is None:
        raise ValueError("draw_sliding_window needs out or out_shape")
    out_h, out_w = check_tuple("out_shape", out_shape, 2, minimum=1)
    top, bottom, left, right = check_padding("p", p)
    pad_text = f", padding {p}" if max(top, bottom, left, right) else ""
    artists = draw_grid(
        ax_input,
        x_values,
        shape=x_shape,
        padding=(top, bottom, left, right),
        pad_label=pad_label,
        title=f"input {x_shape[0]}×{x_shape[1]}{pad_text}",
    )
    current = selected = None
    if cell is not None:
        selected = divmod(check_int("cell", cell, minimum=0), out_w)
        artists += draw_receptive_field(ax_input, *selected, k, s, d)
    if step is not None:
        current = divmod(check_int("step", step, minimum=0), out_w)
        artists += draw_kernel_window(ax_input, *current, k, s, d, weights=weights)
    artists += draw_output_grid(
        ax_output,
        out,
        shape=(out_h, out_w),
        current=current,
        selected=selected,
        title=f"output {out_h}×{out_w}",
    )
    return artists
