"""Grids of cells: the cells, their padding, the numbers in them, highlights and frames.

Coordinates: cell ``(row, col)`` of a grid drawn at ``origin=(x0, y0)`` covers
``x0 + col <= x <= x0 + col + 1`` and ``y0 + row <= y <= y0 + row + 1``; rows grow
downwards, as in an array. Rows and columns of a padded grid count from the top-left
*padding* cell, so input cell ``(r, c)`` is padded cell ``(r + p, c + p)``.

Every function draws on the ``Axes`` it is given and returns the list of artists it
added. Cells are drawn as a few collections, not one artist per cell, and their
numbers by :mod:`helpers.drawing.labels`, so that an explorer redraws in milliseconds.

Introduced in notebook 01.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from matplotlib import colormaps
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection, PolyCollection
from matplotlib.colors import Normalize, to_rgba
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from helpers.validation import as_array, check_padding, check_tuple

from .figure import (
    COLORS,
    LABEL_SIZE,
    MAX_LABELLED,
    Cell,
    Origin,
    fit_view,
    set_title,
    write_text,
)
from .labels import write_values

__all__ = [
    "draw_grid",
    "highlight_cells",
    "label_grid",
    "outline_cells",
]


def _cell_colors(values, shape, color, cmap, vmin, vmax) -> np.ndarray:
    """RGBA colour of every inner cell: one colour, or the values through a colormap."""
    if cmap is None or values is None:
        return np.broadcast_to(np.array(to_rgba(color)), (*shape, 4))
    finite = np.where(np.isfinite(values), values, np.nan)
    norm = Normalize(
        np.nanmin(finite) if vmin is None else vmin, np.nanmax(finite) if vmax is None else vmax
    )
    return colormaps[cmap](norm(finite))


def draw_grid(
    ax: Axes,
    values=None,
    *,
    shape: Cell | None = None,
    padding=0,
    origin: Origin = (0, 0),
    color: str = COLORS["input"],
    pad_color: str = COLORS["padding"],
    pad_label: str = "0",
    show_values: bool | None = None,
    cmap: str | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    title: str | None = None,
    fontsize: float | None = None,
) -> list[Artist]:
    """Draw a 2-D grid of cells, its padding shaded, numbers in the cells when small.

    Parameters
    ----------
    ax : Axes
        Where to draw; framed by :func:`fit_view` afterwards.
    values : array_like, shape (H, W), optional
        What to write in the (unpadded) cells; omit it and give ``shape`` for an empty grid.
    shape : (int, int), optional
        ``(H, W)`` when ``values`` is omitted.
    padding : int, (before, after) or (top, bottom, left, right), default=0
        Padding cells drawn around the grid in ``pad_color``.
    origin : (float, float), default=(0, 0)
        Where the top-left padding cell starts, to put several grids on one ``Axes``.
    color, pad_color : color, optional
        Fill of the cells and of the padding cells.
    pad_label : str, default="0"
        Text written in padding cells (``"−∞"`` for max pooling, ``""`` for none).
    show_values : bool, optional
        Write the numbers; by default only when the padded grid has at most
        ``MAX_LABELLED`` rows and columns.
    cmap : str, optional
        Colour the cells by value with this colormap (a heat map) instead of ``color``.
    vmin, vmax : float, optional
        Colormap limits; default to the range of ``values``.
    title : str, optional
        Written above the axes (:func:`set_title`).
    fontsize : float, default=LABEL_SIZE
        Points. Numbers wider than 90 % of a cell as rendered are left out, not
        shrunk (:class:`~helpers.drawing.labels.CellLabels`).

    Returns
    -------
    list of Artist
        The cells (one ``PolyCollection``, first), their borders (a ``LineCollection``
        of ``rows + cols + 2`` lines), then the numbers of the cells and
        of the padding (each a ``PathCollection`` whose ``labels`` attribute holds the
        strings), then the title.

    Raises
    ------
    ValueError
        If ``values`` is not 2-D, if neither ``values`` nor ``shape`` is given, or if
        ``padding`` or ``shape`` is negative or of another length.

    Notes
    -----
    Introduced in notebook 01. The cells are one ``PolyCollection`` (the fills; the
    borders are a ``LineCollection`` drawn with it) and the numbers one collection of
    glyph outlines, so a redraw stays fast.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, (ax,) = new_figure(figsize=(2, 2))
    >>> grid = np.arange(9).reshape(3, 3)
    >>> cells, borders, numbers, padding_zeros = draw_grid(ax, grid, padding=1)
    >>> len(cells.get_paths()), len(borders.get_segments()), numbers.labels[:4]
    (25, 12, ['0', '1', '2', '3'])
    >>> len(padding_zeros.labels)
    16
    >>> [float(x) for x in ax.get_xlim()]   # 3 cells + 2 padding cells, and a margin
    [-0.15, 5.15]
    """
    if values is not None:
        values = as_array("values", values, 2, "2-D (H, W)")
        shape = values.shape
    if shape is None:
        raise ValueError("draw_grid needs values or shape")
    height, width = check_tuple("shape", shape, 2, minimum=0)
    top, bottom, left, right = check_padding("padding", padding)
    rows, cols = height + top + bottom, width + left + right
    x0, y0 = origin

    rgba = np.empty((rows, cols, 4))
    rgba[:] = to_rgba(pad_color)
    rgba[top : top + height, left : left + width] = _cell_colors(
        values, (height, width), color, cmap, vmin, vmax
    )
    # The fills as one collection, the borders as rows + cols + 2 straight lines across the
    # grid (Agg would otherwise stroke every inner border twice, once per square).
    rr, cc = np.mgrid[0:rows, 0:cols].reshape(2, -1, 1)
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]])
    squares = np.stack([x0 + cc + corners[:, 0], y0 + rr + corners[:, 1]], axis=-1)
    cells = PolyCollection(
        squares, facecolors=rgba.reshape(-1, 4), edgecolors="none", antialiased=False
    )
    lines = [[(x0, y0 + r), (x0 + cols, y0 + r)] for r in range(rows + 1)]
    lines += [[(x0 + c, y0), (x0 + c, y0 + rows)] for c in range(cols + 1)]
    borders = LineCollection(lines, colors=COLORS["grid"], linewidths=0.6)
    artists: list[Artist] = [
        ax.add_collection(cells, autolim=False),
        ax.add_collection(borders, autolim=False),
    ]
    ax.update_datalim([(x0, y0), (x0 + cols, y0 + rows)])

    if show_values is None:
        show_values = values is not None and max(rows, cols) <= MAX_LABELLED
    if show_values:
        size = fontsize or LABEL_SIZE
        artists += write_values(ax, values, (top, bottom, left, right), origin, pad_label, size)
    if title:
        artists.append(set_title(ax, title))
    fit_view(ax)
    return artists


def highlight_cells(
    ax: Axes,
    cells: Iterable[Cell],
    *,
    origin: Origin = (0, 0),
    color: str = COLORS["field"],
    alpha: float = 0.45,
    hatch: str | None = None,
) -> list[Artist]:
    """Fill chosen cells with a translucent colour.

    Parameters
    ----------
    ax : Axes
        An ``Axes`` holding a grid drawn at ``origin``.
    cells : iterable of (row, col)
        Cells in the coordinates of the grid drawn at ``origin`` (padded coordinates
        for a padded grid). Cells outside that grid are drawn too.
    origin : (float, float), default=(0, 0)
        Where the grid starts.
    color : color, default=COLORS["field"]
        Fill colour.
    alpha : float, default=0.45
        Opacity of the fill.
    hatch : str, optional
        A matplotlib hatch such as ``"//"``, to tell overlapping highlights apart.

    Returns
    -------
    list of Artist
        One ``PathPatch`` (a compound path of all the cells), or nothing when
        ``cells`` is empty.

    Notes
    -----
    Introduced in notebook 01.
    """
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)
    offsets = np.array([(c, r) for r, c in cells], dtype=float).reshape(-1, 1, 2)
    artists: list[Artist] = []
    if len(offsets):
        # One compound path: Agg fills and hatches it once, not once per cell.
        vertices = (offsets + corners + np.asarray(origin, dtype=float)).reshape(-1, 2)
        codes = np.tile([Path.MOVETO] + [Path.LINETO] * 3 + [Path.CLOSEPOLY], len(offsets))
        patch = PathPatch(
            Path(vertices, codes),
            facecolor=to_rgba(color, alpha),
            edgecolor=to_rgba(color, 0.9) if hatch else "none",
            hatch=hatch,
            linewidth=0,
        )
        artists.append(ax.add_artist(patch))  # add_patch would walk every segment
        ax.update_datalim([vertices.min(axis=0), vertices.max(axis=0)])
    fit_view(ax)
    return artists


def outline_cells(
    ax: Axes,
    top_left: Cell,
    size: Cell = (1, 1),
    *,
    origin: Origin = (0, 0),
    color: str = COLORS["kernel"],
    linewidth: float = 2.5,
    linestyle: str = "-",
    inset: float = 0.0,
) -> list[Artist]:
    """Frame a rectangle of cells.

    Parameters
    ----------
    ax : Axes
        An ``Axes`` holding a grid drawn at ``origin``.
    top_left : (row, col)
        The rectangle's first cell.
    size : (rows, cols), default=(1, 1)
        The rectangle's size in cells.
    origin : (float, float), default=(0, 0)
        Where the grid starts.
    color : color, default=COLORS["kernel"]
        Frame colour.
    linewidth : float, default=2.5
        Points.
    linestyle : str, default="-"
        A matplotlib line style (``"--"`` for dashed).
    inset : float, default=0.0
        Shrink the frame by this many cells on every side (to nest frames).

    Returns
    -------
    list of Artist
        One ``Rectangle``.

    Notes
    -----
    Introduced in notebook 01.
    """
    (r, c), (h, w) = top_left, size
    frame = Rectangle(
        (origin[0] + c + inset, origin[1] + r + inset),
        w - 2 * inset,
        h - 2 * inset,
        fill=False,
        edgecolor=color,
        linewidth=linewidth,
        linestyle=linestyle,
    )
    artists: list[Artist] = [ax.add_artist(frame)]  # add_patch would walk the path again
    x, y = frame.get_xy()
    ax.update_datalim([(x, y), (x + frame.get_width(), y + frame.get_height())])
    fit_view(ax)
    return artists


def frame_cells(
    ax: Axes, cells, *, origin: Origin, color: str, inset: float, linewidth: float, autolim: bool
) -> list[Artist]:
    """Frame each of ``cells`` on its own, slightly inside it, as one collection.

    Parameters
    ----------
    ax : Axes
        An ``Axes`` holding a grid drawn at ``origin``.
    cells : iterable of (row, col)
        The cells to frame.
    origin : (float, float)
        Where the grid starts.
    color : color
        Frame colour.
    inset : float
        Distance of each frame from its cell's border, in cells.
    linewidth : float
        Points.
    autolim : bool
        Whether the frames widen the data limits.

    Returns
    -------
    list of Artist
        One ``PatchCollection``: much cheaper to render than a patch per cell.

    Notes
    -----
    Used by the kernel window (notebook 01) and the kernel copies (notebook 04).
    """
    x0, y0 = origin
    side = 1 - 2 * inset
    frames = [Rectangle((x0 + c + inset, y0 + r + inset), side, side) for r, c in cells]
    collection = PatchCollection(frames, facecolor="none", edgecolor=color, linewidth=linewidth)
    return [ax.add_collection(collection, autolim=autolim)]


def label_grid(
    ax: Axes, text: str, width: float, *, origin: Origin = (0, 0), fontsize: float = LABEL_SIZE
) -> list[Artist]:
    """Write a caption centred above a grid drawn at ``origin`` (grids sharing one Axes).

    Parameters
    ----------
    ax : Axes
        An ``Axes`` holding a grid drawn at ``origin``.
    text : str
        The caption.
    width : float
        Width of the grid in cells, padding included.
    origin : (float, float), default=(0, 0)
        Where the grid starts.
    fontsize : float, default=LABEL_SIZE
        Points.

    Returns
    -------
    list of Artist
        One ``Text``. The view is widened upwards to leave room for it.

    Notes
    -----
    Introduced in notebook 04, where one ``Axes`` holds four grids: one ``Axes``
    renders much faster than four.
    """
    x0, y0 = origin
    caption = write_text(
        ax, x0 + width / 2, y0 - 0.2, text, ha="center", va="bottom", fontsize=fontsize
    )
    ax.update_datalim([(x0, y0 - 1.3)])
    fit_view(ax)
    return [caption]


def mark_selected(ax: Axes, cell: Cell, *, origin: Origin) -> list[Artist]:
    """Hatch the selected cell in the receptive-field colour (output grid, transposed buffer).

    Parameters
    ----------
    ax : Axes
        An ``Axes`` holding a grid drawn at ``origin``.
    cell : (row, col)
        The cell.
    origin : (float, float)
        Where the grid starts.

    Returns
    -------
    list of Artist
        One ``PathPatch``.
    """
    return highlight_cells(ax, [cell], origin=origin, color=COLORS["field"], alpha=0.35, hatch="//")
