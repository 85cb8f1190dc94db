"""Matplotlib drawings of grids, sliding kernel windows, outputs and receptive fields.

Every picture in the lessons is built from a few primitives that draw on an ``Axes``
and return it (the caller makes the figure and calls ``plt.show()``):

- :func:`draw_grid` -- a grid of cells, with its padding shaded and the numbers
  written in the cells while the grid is small enough to read;
- :func:`highlight_cells` and :func:`outline_cells` -- fill or frame chosen cells;
- :func:`draw_kernel_window` -- the (dilated) kernel window of one output position,
  its taps framed and the gaps between them left open;
- :func:`draw_receptive_field` -- the input cells, padding included, that feed one
  output cell;
- :func:`draw_output_grid` -- an output grid with the cell being computed and a
  selected cell marked;
- :func:`draw_sliding_window` -- input and output side by side, one step of the
  sliding window (the still version of the conv_arithmetic animations).

Coordinates: cell ``(row, col)`` of a grid drawn at ``origin=(x0, y0)`` covers
``x0 + col <= x <= x0 + col + 1`` and ``y0 + row <= y <= y0 + row + 1``; rows grow
downwards, as in an array. Rows and columns of a padded input count from the top-left
*padding* cell, so input cell ``(r, c)`` is padded cell ``(r + p, c + p)``.

:func:`new_figure` and :func:`render_png` make and render a ``matplotlib.figure.Figure``
without pyplot, for the explorers in :mod:`helpers.widgets`.

Introduced in notebook 01; the drawings follow Dumoulin & Visin (2016),
arXiv:1603.07285, and vdumoulin/conv_arithmetic.
"""

from __future__ import annotations

import functools
import io
import numbers
from collections.abc import Iterable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection, PathCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

__all__ = [
    "COLORS",
    "draw_grid",
    "draw_image",
    "draw_kernel_window",
    "draw_labels",
    "draw_output_grid",
    "draw_receptive_field",
    "draw_sliding_window",
    "fit_view",
    "format_value",
    "highlight_cells",
    "new_figure",
    "outline_cells",
    "render_png",
    "set_title",
    "window_taps",
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
    "faint": "#999999",  # text in padding cells
}

#: Grids with more rows or columns than this are drawn without numbers in the cells.
MAX_LABELLED = 12

Cell = tuple[int, int]


# --------------------------------------------------------------------------- small helpers
def format_value(value) -> str:
    """Short text for one cell: integers without a decimal point, floats to two decimals.

    Parameters
    ----------
    value : number
        The value to write; ``-inf`` (max-pooling padding) becomes ``"−∞"``.

    Returns
    -------
    str

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


def _padding4(padding) -> tuple[int, int, int, int]:
    """``(top, bottom, left, right)`` from an int, a ``(before, after)`` pair or four ints."""
    if isinstance(padding, numbers.Integral):
        return (int(padding),) * 4
    padding = tuple(int(v) for v in padding)
    if len(padding) == 2:
        return padding[0], padding[1], padding[0], padding[1]
    if len(padding) == 4:
        return padding  # type: ignore[return-value]
    raise ValueError(
        f"padding={padding!r} is invalid: must be an int, (before, after) or "
        "(top, bottom, left, right)"
    )


def _pair(value) -> tuple[int, int]:
    if isinstance(value, numbers.Integral):
        return int(value), int(value)
    return int(value[0]), int(value[1])


def fit_view(ax: Axes, margin: float = 0.15) -> Axes:
    """Frame everything drawn so far: equal aspect, rows growing downwards, no axis lines.

    Parameters
    ----------
    ax : Axes
    margin : float, default=0.15
        Space around the drawing, in cells.

    Returns
    -------
    Axes
        ``ax``, its limits set from its data limits.
    """
    box = ax.dataLim
    if np.isfinite([box.x0, box.x1, box.y0, box.y1]).all():
        ax.set_xlim(box.x0 - margin, box.x1 + margin)
        ax.set_ylim(box.y1 + margin, box.y0 - margin)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def new_figure(ncols: int = 1, *, figsize=(6.0, 3.0), width_ratios=None) -> tuple[Figure, list]:
    """A pyplot-free ``Figure`` with one row of axes.

    Parameters
    ----------
    ncols : int, default=1
    figsize : (float, float), default=(6.0, 3.0)
        Inches.
    width_ratios : sequence of float, optional

    Returns
    -------
    fig : Figure
        Not registered with pyplot: nothing global changes, and it is freed with its
        last reference.
    axes : list of Axes
    """
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=False, gridspec_kw={"width_ratios": width_ratios})
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9, wspace=0.08)
    return fig, list(axes[0])


def render_png(fig: Figure, dpi: float = 72) -> bytes:
    """Render a figure to PNG bytes with matplotlib's Agg canvas.

    Parameters
    ----------
    fig : Figure
    dpi : float, default=72
        Pixels per inch; a 6 x 3 inch figure at 72 dpi is 432 x 216 pixels.

    Returns
    -------
    bytes
        The PNG file, for ``ipywidgets.Image(value=...)``.
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    # Light compression: the PNG goes to the browser once, encoding it is on every redraw.
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


# --------------------------------------------------------------------------- grids
def _cell_colors(values, shape, color, cmap, vmin, vmax) -> np.ndarray:
    """RGBA colour of every inner cell: one colour, or the values through a colormap."""
    if cmap is None or values is None:
        return np.broadcast_to(np.array(to_rgba(color)), (*shape, 4))
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

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
    origin: tuple[float, float] = (0, 0),
    color: str = COLORS["input"],
    pad_color: str = COLORS["padding"],
    pad_label: str = "0",
    show_values: bool | None = None,
    cmap: str | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    title: str | None = None,
    fontsize: float | None = None,
) -> Axes:
    """Draw a 2-D grid of cells, its padding shaded, numbers in the cells when small.

    Parameters
    ----------
    ax : Axes
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
    fontsize : float, optional
        Default: smaller for larger grids.

    Returns
    -------
    Axes
        ``ax``, framed by :func:`fit_view`.

    Notes
    -----
    Introduced in notebook 01. The cells are one ``PolyCollection`` (fills and borders)
    and the numbers one collection of glyph outlines, so a redraw stays fast.

    Examples
    --------
    >>> fig, (ax,) = new_figure(figsize=(2, 2))
    >>> ax = draw_grid(ax, np.arange(9).reshape(3, 3), padding=1)
    >>> [float(x) for x in ax.get_xlim()]   # 3 cells + 2 padding cells, and a margin
    [-0.15, 5.15]
    """
    if values is not None:
        values = np.asarray(values)
        if values.ndim != 2:
            raise ValueError(f"values has shape {values.shape}: must be 2-D (H, W)")
        shape = values.shape
    if shape is None:
        raise ValueError("draw_grid needs values or shape")
    height, width = _pair(shape)
    top, bottom, left, right = _padding4(padding)
    rows, cols = height + top + bottom, width + left + right
    x0, y0 = origin

    rgba = np.empty((rows, cols, 4))
    rgba[:] = to_rgba(pad_color)
    rgba[top : top + height, left : left + width] = _cell_colors(
        values, (height, width), color, cmap, vmin, vmax
    )
    # One collection of squares, filled and bordered: a single, fast draw call.
    rr, cc = np.mgrid[0:rows, 0:cols].reshape(2, -1, 1)
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]])
    squares = np.stack([x0 + cc + corners[:, 0], y0 + rr + corners[:, 1]], axis=-1)
    ax.add_collection(
        PolyCollection(
            squares,
            facecolors=rgba.reshape(-1, 4),
            edgecolors=COLORS["grid"],
            linewidths=0.6,
        ),
        autolim=False,
    )
    ax.update_datalim([(x0, y0), (x0 + cols, y0 + rows)])

    if show_values is None:
        show_values = values is not None and max(rows, cols) <= MAX_LABELLED
    if show_values:
        size = fontsize or (9 if max(rows, cols) <= 7 else 7)
        _write_values(ax, values, (top, bottom, left, right), origin, pad_label, size)
    if title:
        set_title(ax, title)
    return fit_view(ax)


def set_title(ax: Axes, title: str, fontsize: float = 9) -> Axes:
    """Write a title above the axes, as ``ax.set_title`` does, but cheaper to render.

    Parameters
    ----------
    ax : Axes
    title : str
    fontsize : float, default=9

    Returns
    -------
    Axes

    Notes
    -----
    ``set_title`` measures the tick labels on every draw to place the title, which
    costs a third of a redraw in the explorers; a text in axes coordinates does not.
    """
    ax.text(0.5, 1.01, title, transform=ax.transAxes, ha="center", va="bottom", fontsize=fontsize)
    return ax


def _write_values(ax, values, padding, origin, pad_label, size) -> None:
    top, bottom, left, right = padding
    height, width = values.shape
    x0, y0 = origin
    labels, centers, pad_centers = [], [], []
    for r in range(-top, height + bottom):
        for c in range(-left, width + right):
            center = (x0 + left + c + 0.5, y0 + top + r + 0.5)
            if 0 <= r < height and 0 <= c < width:
                labels.append(format_value(values[r, c]))
                centers.append(center)
            elif pad_label:
                pad_centers.append(center)
    draw_labels(ax, labels, centers, fontsize=size)
    draw_labels(
        ax, [pad_label] * len(pad_centers), pad_centers, fontsize=size, color=COLORS["faint"]
    )


@functools.lru_cache(maxsize=4096)
def _label_path(text: str) -> Path:
    """Outline of ``text`` at size 1, centred on (0, 0); cached, as cells repeat their numbers."""
    path = TextPath((0, 0), text, size=1, prop=FontProperties(family="DejaVu Sans"))
    vertices = path.vertices.copy()
    if len(vertices):
        vertices -= (vertices.min(axis=0) + vertices.max(axis=0)) / 2
    return Path(vertices, path.codes)


def draw_labels(
    ax: Axes,
    labels: Sequence[str],
    centers: Sequence[tuple[float, float]],
    *,
    fontsize: float = 9,
    color: str = COLORS["text"],
) -> Axes:
    """Write short labels centred on points, all as one collection of glyph outlines.

    Parameters
    ----------
    ax : Axes
    labels : sequence of str
    centers : sequence of (x, y)
        Data coordinates of each label's centre.
    fontsize : float, default=9
        Points; the labels keep their size when the figure is rendered at another dpi.
    color : color, default=COLORS["text"]

    Returns
    -------
    Axes
        ``ax``; the collection's ``labels`` attribute holds the strings, in order.

    Notes
    -----
    Introduced in notebook 01. Drawing 50 ``Text`` artists costs about 40 ms, most of an
    explorer's redraw; one ``PathCollection`` of cached glyph outlines costs about 2 ms.
    """
    if not labels:
        return ax
    collection = PathCollection(
        [_label_path(label) for label in labels],
        offsets=np.asarray(centers, dtype=float),
        offset_transform=ax.transData,
        transform=Affine2D().scale(fontsize / 72) + ax.figure.dpi_scale_trans,
        facecolor=color,
        edgecolor="none",
    )
    collection.labels = list(labels)
    ax.add_collection(collection, autolim=False)
    return ax


def highlight_cells(
    ax: Axes,
    cells: Iterable[Cell],
    *,
    origin: tuple[float, float] = (0, 0),
    color: str = COLORS["field"],
    alpha: float = 0.45,
    hatch: str | None = None,
) -> Axes:
    """Fill chosen cells with a translucent colour.

    Parameters
    ----------
    ax : Axes
    cells : iterable of (row, col)
        Cells in the coordinates of the grid drawn at ``origin`` (padded coordinates
        for a padded grid). Cells outside that grid are drawn too.
    origin : (float, float), default=(0, 0)
    color : color, default=COLORS["field"]
    alpha : float, default=0.45
    hatch : str, optional
        A matplotlib hatch such as ``"//"``, to tell overlapping highlights apart.

    Returns
    -------
    Axes
    """
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)
    offsets = np.array([(c, r) for r, c in cells], dtype=float).reshape(-1, 1, 2)
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
        ax.add_artist(patch)  # add_patch would walk every segment to update the limits
        ax.update_datalim([vertices.min(axis=0), vertices.max(axis=0)])
    return fit_view(ax)


def outline_cells(
    ax: Axes,
    top_left: Cell,
    size: Cell = (1, 1),
    *,
    origin: tuple[float, float] = (0, 0),
    color: str = COLORS["kernel"],
    linewidth: float = 2.5,
    linestyle: str = "-",
    inset: float = 0.0,
) -> Axes:
    """Frame a rectangle of cells.

    Parameters
    ----------
    ax : Axes
    top_left : (row, col)
    size : (rows, cols), default=(1, 1)
    origin : (float, float), default=(0, 0)
    color : color, default=COLORS["kernel"]
    linewidth : float, default=2.5
    linestyle : str, default="-"
    inset : float, default=0.0
        Shrink the frame by this many cells on every side (to nest frames).

    Returns
    -------
    Axes
    """
    _outline(ax, top_left, size, origin, color, linewidth, linestyle, inset)
    return fit_view(ax)


def _outline(ax, top_left, size, origin, color, linewidth, linestyle="-", inset=0.0) -> None:
    (r, c), (h, w) = top_left, size
    ax.add_patch(
        Rectangle(
            (origin[0] + c + inset, origin[1] + r + inset),
            w - 2 * inset,
            h - 2 * inset,
            fill=False,
            edgecolor=color,
            linewidth=linewidth,
            linestyle=linestyle,
        )
    )


# --------------------------------------------------------------------------- windows
def window_taps(row: int, col: int, k=3, s=1, d=1) -> np.ndarray:
    """Padded-input cells that the kernel taps when it computes output cell ``(row, col)``.

    Parameters
    ----------
    row, col : int
        Output cell.
    k, s, d : int or (int, int)
        Kernel size, stride and dilation, as for :func:`helpers.reference.conv2d`.

    Returns
    -------
    ndarray of int, shape (kH*kW, 2)
        Rows of ``(r, c)`` in padded coordinates: ``r = row*s + a*d`` for
        ``a = 0..kH-1``, likewise for ``c``; kernel tap ``(a, b)`` is row ``a*kW + b``.

    Notes
    -----
    Introduced in notebook 01. For a single layer this is the receptive field of the
    output cell (the dilation's gaps are not part of it).

    Examples
    --------
    >>> window_taps(1, 0, k=2, s=2, d=3).tolist()
    [[2, 0], [2, 3], [5, 0], [5, 3]]
    """
    (kh, kw), (sh, sw), (dh, dw) = _pair(k), _pair(s), _pair(d)
    rows = row * sh + dh * np.arange(kh)
    cols = col * sw + dw * np.arange(kw)
    return np.stack(np.meshgrid(rows, cols, indexing="ij"), axis=-1).reshape(-1, 2)


def draw_kernel_window(
    ax: Axes,
    row: int,
    col: int,
    k=3,
    s=1,
    d=1,
    *,
    origin: tuple[float, float] = (0, 0),
    color: str = COLORS["kernel"],
    weights=None,
) -> Axes:
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
    color : color, default=COLORS["kernel"]
    weights : array_like, shape (kH, kW), optional
        Written small in the corner of each tap (``×w``), when given.

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 01 (dilation: notebook 03).
    """
    (kh, kw), (sh, sw), (dh, dw) = _pair(k), _pair(s), _pair(d)
    top, left = row * sh, col * sw
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    taps = window_taps(row, col, (kh, kw), (sh, sw), (dh, dw))
    if (dh, dw) == (1, 1):  # a solid frame around the whole window
        _outline(ax, (top, left), span, origin, color, 2.5)
    else:  # a dashed span, so the gaps between the taps stay visible
        _outline(ax, (top, left), span, origin, color, 1.2, "--")
    inset = 0.08  # one collection for all taps: much cheaper than one patch per tap
    frames = [
        Rectangle((origin[0] + c + inset, origin[1] + r + inset), 1 - 2 * inset, 1 - 2 * inset)
        for r, c in taps
    ]
    ax.add_collection(
        PatchCollection(frames, facecolor="none", edgecolor=color, linewidth=1.5),
        autolim=False,
    )
    if weights is not None:
        weights = np.asarray(weights)
        for (r, c), w in zip(taps, weights.ravel(), strict=True):
            ax.text(
                origin[0] + c + 0.95,
                origin[1] + r + 0.95,
                f"×{format_value(w)}",
                ha="right",
                va="bottom",
                fontsize=7,
                color="#783f04",
            )
    return fit_view(ax)


def draw_receptive_field(
    ax: Axes,
    row: int,
    col: int,
    k=3,
    s=1,
    d=1,
    *,
    origin: tuple[float, float] = (0, 0),
    color: str = COLORS["field"],
    hatch: str | None = "//",
) -> Axes:
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
    color : color, default=COLORS["field"]
    hatch : str or None, default="//"

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 01, after ezyang's convolution visualizer, which lights the
    same cells when the pointer hovers over an output cell.
    """
    taps = [tuple(t) for t in window_taps(row, col, k, s, d)]
    return highlight_cells(ax, taps, origin=origin, color=color, alpha=0.35, hatch=hatch)


def draw_output_grid(
    ax: Axes,
    values=None,
    *,
    shape: Cell | None = None,
    current: Cell | None = None,
    selected: Cell | None = None,
    origin: tuple[float, float] = (0, 0),
    title: str | None = None,
    show_values: bool | None = None,
) -> Axes:
    """Draw an output grid, the cell being computed filled, a selected cell framed.

    Parameters
    ----------
    ax : Axes
    values : array_like, shape (H, W), optional
        Output values; or give ``shape`` for an empty grid.
    shape : (int, int), optional
    current : (row, col), optional
        The cell the kernel window is computing now (kernel colour).
    selected : (row, col), optional
        The cell whose receptive field is shown (receptive-field colour).
    origin : (float, float), default=(0, 0)
    title : str, optional
    show_values : bool, optional
        As in :func:`draw_grid`.

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 01.
    """
    draw_grid(
        ax,
        values,
        shape=shape,
        origin=origin,
        color=COLORS["output"],
        title=title,
        show_values=show_values,
    )
    if current is not None:
        highlight_cells(ax, [current], origin=origin, color=COLORS["kernel"], alpha=0.55)
    if selected is not None:
        highlight_cells(
            ax, [selected], origin=origin, color=COLORS["field"], alpha=0.35, hatch="//"
        )
        outline_cells(ax, selected, origin=origin, color=COLORS["field"], linewidth=2.0)
    return ax


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
) -> tuple[Axes, Axes]:
    """One step of a sliding window: padded input with the window, output with its cell.

    Parameters
    ----------
    ax_input, ax_output : Axes
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
    pad_label : str, default="0"
        Text in the padding cells (``"−∞"`` for max pooling).
    weights : array_like, shape (kH, kW), optional
        Kernel weights written in the window's taps.

    Returns
    -------
    (Axes, Axes)

    Notes
    -----
    Introduced in notebook 01; pooling windows in notebook 02. The titles give the
    sizes, so the figure can be read against the formula.

    Examples
    --------
    >>> fig, axes = new_figure(2)
    >>> _ = draw_sliding_window(*axes, np.zeros((5, 5)), out_shape=(3, 3), k=3, s=2, p=1, step=4)
    """
    if isinstance(x, tuple) and len(x) == 2 and all(isinstance(n, numbers.Integral) for n in x):
        x_values, x_shape = None, x
    else:
        x_values = np.asarray(x)
        x_shape = x_values.shape
    if out is not None:
        out = np.asarray(out)
        out_shape = out.shape
    out_h, out_w = _pair(out_shape)
    top, bottom, left, right = _padding4(p)
    pad_text = f", padding {p}" if max(top, bottom, left, right) else ""
    draw_grid(
        ax_input,
        x_values,
        shape=x_shape,
        padding=(top, bottom, left, right),
        pad_label=pad_label,
        title=f"input {x_shape[0]}×{x_shape[1]}{pad_text}",
    )
    current = selected = None
    if cell is not None:
        selected = divmod(cell, out_w)
        draw_receptive_field(ax_input, *selected, k, s, d)
    if step is not None:
        current = divmod(step, out_w)
        draw_kernel_window(ax_input, *current, k, s, d, weights=weights)
    draw_output_grid(
        ax_output,
        out,
        shape=(out_h, out_w),
        current=current,
        selected=selected,
        title=f"output {out_h}×{out_w}",
    )
    return ax_input, ax_output


def draw_image(
    ax: Axes,
    image,
    *,
    title: str | None = None,
    cmap: str = "gray",
    vmin: float | None = None,
    vmax: float | None = None,
) -> Axes:
    """Show a 2-D array as a picture: no ticks, square pixels.

    Parameters
    ----------
    ax : Axes
    image : array_like, shape (H, W)
    title : str, optional
    cmap : str, default="gray"
    vmin, vmax : float, optional

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 02 (noise and pooling).
    """
    ax.imshow(np.asarray(image), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)
    return ax


# =========================================================================== lesson 05: channels
# Appended by the lesson-05 engineer: channel connectivity (input channels -> output channels).
from matplotlib.collections import LineCollection  # noqa: E402  (kept inside this section)

from helpers import channels as _channels  # noqa: E402

__all__ += ["GROUP_COLORS", "draw_channel_connectivity", "draw_channel_sum", "draw_weight_blocks"]

#: One colour per channel group, cycled (matplotlib's "tab10").
GROUP_COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


def _channel_column(ax: Axes, x: float, top: float, prefix: str, face, edges) -> list[float]:
    """Draw one channel box per edge colour down a column; return each box's centre y."""
    tops = top + 1.5 * np.arange(len(edges))
    boxes = [Rectangle((x, y), 1, 1) for y in tops]
    ax.add_collection(PatchCollection(boxes, facecolor=face, edgecolor=edges, linewidth=2.0))
    for c, y in enumerate(tops):
        ax.text(x + 0.5, y + 0.5, f"{prefix}{c}", ha="center", va="center", fontsize=8)
    ax.update_datalim([(x, top), (x + 1, tops[-1] + 1)])
    return list(tops + 0.5)


def draw_channel_connectivity(
    ax: Axes,
    c_in: int,
    c_out: int,
    groups: int | None = 1,
    *,
    title: str | None = None,
    gap: float = 5.0,
) -> Axes:
    """Input channels on the left, output channels on the right, a line per kernel.

    Parameters
    ----------
    ax : Axes
    c_in, c_out : int
        Numbers of input and output channels, each ``>= 1``.
    groups : int or None, default=1
        Must divide ``c_in`` and ``c_out``; each group's lines and boxes get one of
        :data:`GROUP_COLORS`. ``None`` draws the channels only, in grey (the
        explorer does this when ``groups`` is impossible).
    title : str, optional
    gap : float, default=5.0
        Horizontal distance between the two columns, in box widths.

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        If ``groups`` does not divide the channels (:func:`helpers.channels.check_groups`).

    Notes
    -----
    Introduced in notebook 05, after seed 002's diagram. A line joins input channel
    ``c`` to output channel ``o`` when ``o`` depends on ``c``
    (:func:`helpers.channels.channel_connectivity`); each line is one ``kH x kW``
    kernel of the weight tensor, so there are ``C_in * C_out / groups`` of them.

    Examples
    --------
    >>> fig, (ax,) = new_figure(figsize=(3, 2))
    >>> ax = draw_channel_connectivity(ax, 4, 2, groups=2)
    >>> len(ax.collections[-1].get_segments())    # one line per kernel
    4
    """
    if groups is None:
        _channels.check_groups(c_in, c_out, 1)  # the channel counts must still be valid
        in_colors, out_colors = [COLORS["faint"]] * c_in, [COLORS["faint"]] * c_out
        links = np.zeros((c_out, c_in), dtype=bool)
    else:
        links = _channels.channel_connectivity(c_in, c_out, groups)
        in_colors = [GROUP_COLORS[c * groups // c_in % len(GROUP_COLORS)] for c in range(c_in)]
        out_colors = [GROUP_COLORS[o * groups // c_out % len(GROUP_COLORS)] for o in range(c_out)]
    tallest = 1.5 * max(c_in, c_out) - 0.5
    top_in, top_out = ((tallest - (1.5 * n - 0.5)) / 2 for n in (c_in, c_out))
    left = _channel_column(ax, 0.0, top_in, "x", COLORS["input"], in_colors)
    right = _channel_column(ax, 1 + gap, top_out, "y", COLORS["output"], out_colors)
    pairs = list(zip(*np.nonzero(links), strict=True))  # (output, input), one per kernel
    segments = [[(1, left[c]), (1 + gap, right[o])] for o, c in pairs]
    colors = [to_rgba(out_colors[o], 0.8) for o, _ in pairs]
    ax.add_collection(LineCollection(segments, colors=colors, linewidths=1.2))
    if title:
        set_title(ax, title)
    return fit_view(ax)


def draw_weight_blocks(
    ax: Axes, c_in: int, c_out: int, groups: int = 1, *, title: str | None = None
) -> Axes:
    """The weight tensor seen as a ``C_out x C_in`` grid: one cell per possible kernel.

    Parameters
    ----------
    ax : Axes
    c_in, c_out : int
    groups : int, default=1
        Must divide ``c_in`` and ``c_out``.
    title : str, optional

    Returns
    -------
    Axes
        Rows are output channels, columns input channels. The cells of existing
        kernels are filled with their group's colour: the whole grid for
        ``groups=1``, ``groups`` diagonal blocks otherwise, the diagonal alone for a
        depthwise layer. Empty cells are kernels the layer does not have.

    Notes
    -----
    Introduced in notebook 05. ``Conv2d``'s weight ``(C_out, C_in/groups, k, k)``
    stores each row's filled cells side by side; ``ConvTranspose2d``'s
    ``(C_in, C_out/groups, k, k)`` stores each column's.

    Examples
    --------
    >>> fig, (ax,) = new_figure(figsize=(2, 2))
    >>> ax = draw_weight_blocks(ax, 4, 4, groups=4)
    """
    draw_grid(ax, shape=(c_out, c_in), color="white", show_values=False)
    for g, (inputs, outputs) in enumerate(_channels.channel_groups(c_in, c_out, groups)):
        cells = [(o, c) for o in outputs for c in inputs]
        highlight_cells(ax, cells, color=GROUP_COLORS[g % len(GROUP_COLORS)], alpha=0.6)
    # the first and last channel only: text is the slow part of a redraw
    for c in {0, c_in - 1}:
        ax.text(c + 0.5, -0.15, f"x{c}", ha="center", va="bottom", fontsize=7)
    for o in {0, c_out - 1}:
        ax.text(-0.15, o + 0.5, f"y{o}", ha="right", va="center", fontsize=7)
    ax.update_datalim([(-0.8, -0.8)])
    if title:
        set_title(ax, title)
    return fit_view(ax)


def draw_channel_sum(
    axes,
    x,
    kernels,
    pieces,
    out,
    *,
    o: int = 0,
    transposed: bool = False,
    bias: bool = True,
    cmap: str | None = None,
) -> np.ndarray:
    """One output channel as the sum of single-channel (transposed) convolutions.

    Parameters
    ----------
    axes : array of Axes, shape (C_in, 4)
        Row ``c`` shows input channel ``c``, its kernel and the piece it contributes;
        the last column of row 0 shows the sum (the other cells of that column stay
        empty).
    x : array_like, shape (C_in, H, W)
        The input channels.
    kernels : array_like, shape (C_in, kH, kW)
        The kernel of each input channel for output channel ``o``.
    pieces : array_like, shape (C_in, H_out, W_out)
        ``x[c]`` convolved (or transposed-convolved) with ``kernels[c]``.
    out : array_like, shape (H_out, W_out)
        Output channel ``o``: the pieces summed, plus the bias.
    o : int, default=0
        The output channel's index, for the titles.
    transposed : bool, default=False
        Title the kernels ``w[c, o]`` (``ConvTranspose2d``'s layout) and the pieces
        with ``⋆ᵀ``, instead of ``w[o, c]`` and ``⋆``.
    bias : bool, default=True
        Whether the title of the sum mentions a bias.
    cmap : str, optional
        Colour the inputs, and the pieces with the sum, by value with this colormap
        (two scales symmetric about zero: inputs, outputs) and write no numbers in
        them (for real-valued data, whose numbers would not fit). The kernels keep
        their numbers.

    Returns
    -------
    ndarray of Axes

    Notes
    -----
    Introduced in notebook 05 (seed 002: "for each input channel, there would be a
    kernel; then, each kernel would be applied to its input channel; finally, the
    outputs produced by each kernel would be summed up").
    """
    axes = np.asarray(axes).reshape(len(x), 4)
    star = "⋆ᵀ" if transposed else "⋆"
    shade_in = _symmetric_shading(cmap, x)
    shade_out = _symmetric_shading(cmap, pieces, out)
    kernel_color = to_rgba(COLORS["kernel"], 0.45)
    for c, row in enumerate(axes):
        w_name = f"w[{c}, {o}]" if transposed else f"w[{o}, {c}]"
        draw_grid(row[0], x[c], title=f"x{c}", **shade_in)
        draw_grid(row[1], kernels[c], color=kernel_color, title=w_name)
        piece_title = f"x{c} {star} {w_name}"
        draw_grid(row[2], pieces[c], color=COLORS["output"], title=piece_title, **shade_out)
        row[3].set_axis_off()
    total = f"y{o} = sum + b[{o}]" if bias else f"y{o} = sum"
    draw_grid(axes[0, 3], out, color=COLORS["output"], title=total, **shade_out)
    return axes


def _symmetric_shading(cmap: str | None, *arrays) -> dict:
    """``draw_grid`` arguments for a colormap centred on zero over ``arrays`` (or none)."""
    if cmap is None:
        return {}
    top = max(float(np.abs(np.asarray(a, dtype=float)).max()) for a in arrays) or 1.0
    return {"cmap": cmap, "vmin": -top, "vmax": top, "show_values": False}


# =========================================================================== lessons 03-04
# Transposed convolution and checkerboard drawings (notebook 04). This section is maintained
# with helpers/transposed.py; the primitives above are reused, not changed. Every function
# takes an ``origin``, so that the explorers can put several grids on one Axes (one Axes
# renders much faster than four).

__all__ += [
    "COPY_COLORS",
    "copy_color",
    "draw_carve",
    "draw_colored_input",
    "draw_kernel_copy",
    "draw_overlap_counts",
    "draw_transposed_buffer",
    "draw_transposed_steps",
    "label_grid",
]

#: One colour per input element: its kernel copy has the same colour in every picture.
COPY_COLORS = (
    "#4a86e8",
    "#e06666",
    "#6aa84f",
    "#f1c232",
    "#8e7cc3",
    "#e69138",
    "#45818e",
    "#c27ba0",
)

Origin = tuple[float, float]


def copy_color(m: int, n: int, width: int) -> str:
    """The colour of input element ``(m, n)`` of a ``width``-wide input and of its kernel copy.

    Parameters
    ----------
    m, n : int
        Row and column of the input element.
    width : int
        Number of input columns.

    Returns
    -------
    str
        An entry of :data:`COPY_COLORS`, cycling in raster order.

    Examples
    --------
    >>> copy_color(0, 0, 2), copy_color(1, 0, 2)
    ('#4a86e8', '#6aa84f')
    """
    return COPY_COLORS[(m * width + n) % len(COPY_COLORS)]


def label_grid(
    ax: Axes, text: str, width: float, *, origin: Origin = (0, 0), fontsize: float = 9
) -> Axes:
    """Write a caption centred above a grid drawn at ``origin`` (grids sharing one Axes).

    Parameters
    ----------
    ax : Axes
    text : str
    width : float
        Width of the grid in cells, padding included.
    origin : (float, float), default=(0, 0)
    fontsize : float, default=9

    Returns
    -------
    Axes
        The view is widened upwards to leave room for the caption.

    Notes
    -----
    Introduced in notebook 04.
    """
    x0, y0 = origin
    ax.text(x0 + width / 2, y0 - 0.2, text, ha="center", va="bottom", fontsize=fontsize)
    ax.update_datalim([(x0, y0 - 1.3)])
    return fit_view(ax)


def _ring(shape: Cell, carve: Cell) -> list[Cell]:
    """Cells within ``carve`` of the border of a ``shape`` grid: what the padding removes."""
    rows, cols = np.indices(shape)
    inside = (
        (rows >= carve[0])
        & (rows < shape[0] - carve[0])
        & (cols >= carve[1])
        & (cols < shape[1] - carve[1])
    )
    return [(int(r), int(c)) for r, c in zip(*np.nonzero(~inside), strict=True)]


def draw_carve(ax: Axes, shape: Cell, carve, *, origin: Origin = (0, 0)) -> Axes:
    """Hatch the border cells that a transposed convolution's padding carves off.

    Parameters
    ----------
    ax : Axes
        An ``Axes`` holding the intermediate buffer, drawn at ``origin``.
    shape : (int, int)
        Buffer size.
    carve : int or (int, int)
        Cells carved off each side (the transposed convolution's ``padding``).
    origin : (float, float), default=(0, 0)

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 04 (seed 003: "carve the padding out"). The kept region
    is framed in the kernel colour.
    """
    carve = _pair(carve)
    if max(carve) == 0:
        return ax
    highlight_cells(ax, _ring(shape, carve), origin=origin, color="#777777", alpha=0.3, hatch="xx")
    kept = (shape[0] - 2 * carve[0], shape[1] - 2 * carve[1])
    if min(kept) > 0:
        outline_cells(ax, carve, kept, origin=origin, color=COLORS["kernel"], linewidth=2.0)
    return ax


def draw_colored_input(
    ax: Axes,
    x,
    *,
    selected: Cell | None = None,
    origin: Origin = (0, 0),
    title: str | None = None,
    show_values: bool | None = None,
) -> Axes:
    """Draw a transposed convolution's input, each element in the colour of its copy.

    Parameters
    ----------
    ax : Axes
    x : array_like, shape (H, W)
    selected : (row, col), optional
        Only this element is coloured (the explorer's current copy); default: all.
    origin : (float, float), default=(0, 0)
    title : str, optional
        Caption above the grid.
    show_values : bool, optional
        As in :func:`draw_grid`.

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 04.
    """
    x = np.asarray(x)
    draw_grid(ax, x, color="white", origin=origin, show_values=show_values)
    for m, n in np.ndindex(*x.shape):
        if selected is None or (m, n) == tuple(selected):
            color = copy_color(m, n, x.shape[1])
            highlight_cells(ax, [(m, n)], origin=origin, color=color, alpha=0.5)
    if title:
        label_grid(ax, title, x.shape[1], origin=origin)
    return ax


def draw_kernel_copy(
    ax: Axes,
    copy,
    m: int,
    n: int,
    k,
    s=1,
    d=1,
    *,
    color: str = COPY_COLORS[0],
    carve=0,
    origin: Origin = (0, 0),
    title: str | None = None,
    show_values: bool | None = None,
) -> Axes:
    """Draw the kernel copy of input element ``(m, n)`` in the intermediate buffer.

    Parameters
    ----------
    ax : Axes
    copy : array_like, shape (B_h, B_w)
        The buffer holding only this copy, as :func:`helpers.transposed.kernel_copies`
        returns it.
    m, n : int
        The input element; the copy's top-left tap sits at ``(m*s, n*s)``.
    k, s, d : int or (int, int)
        Kernel size, stride and dilation.
    color : color, default=COPY_COLORS[0]
        The copy's colour, usually ``copy_color(m, n, W)``.
    carve : int or (int, int), default=0
        Padding to be carved off, hatched.
    origin : (float, float), default=(0, 0)
    title : str, optional
        Caption above the grid.
    show_values : bool, optional
        Write the copy's values; by default when the buffer is small.

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 04, after the coloured matrices of seeds 000 and 004.
    The cells outside the copy are left blank: they hold zeros.
    """
    copy = np.asarray(copy)
    x0, y0 = origin
    footprint = [(int(r), int(c)) for r, c in window_taps(m, n, k, s, d)]
    draw_grid(ax, shape=copy.shape, color="white", origin=origin, show_values=False)
    highlight_cells(ax, footprint, origin=origin, color=color, alpha=0.5)
    if show_values is None:
        show_values = max(copy.shape) <= MAX_LABELLED
    if show_values:
        size = 9 if max(copy.shape) <= 7 else 7
        for r, c in footprint:
            text = format_value(copy[r, c])
            ax.text(x0 + c + 0.5, y0 + r + 0.5, text, ha="center", va="center", fontsize=size)
    draw_carve(ax, copy.shape, carve, origin=origin)
    if title:
        label_grid(ax, title, copy.shape[1], origin=origin)
    return ax


def draw_transposed_buffer(
    ax: Axes,
    buffer,
    carve=0,
    *,
    footprints=(),
    selected: Cell | None = None,
    origin: Origin = (0, 0),
    title: str | None = None,
    show_values: bool | None = None,
) -> Axes:
    """Draw the intermediate buffer (the summed copies), the padding to carve hatched.

    Parameters
    ----------
    ax : Axes
    buffer : array_like, shape (B_h, B_w)
        :func:`helpers.reference.transposed_buffer` of one channel.
    carve : int or (int, int), default=0
        Cells carved off each side; what stays is the output, framed.
    footprints : iterable of (cells, color), optional
        Kernel copies to mark: each copy's cells framed in its colour, nested so that
        a cell covered by several copies shows several frames.
    selected : (row, col), optional
        A buffer cell to mark (the explorer's selected output cell, shifted by the
        carve).
    origin : (float, float), default=(0, 0)
    title : str, optional
        Caption above the grid.
    show_values : bool, optional
        As in :func:`draw_grid`.

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 04 (seed 003's "5x5 intermediate", seed 004's buffers).
    """
    buffer = np.asarray(buffer)
    draw_grid(ax, buffer, color=COLORS["output"], origin=origin, show_values=show_values)
    x0, y0 = origin
    for depth, (cells, color) in enumerate(footprints):
        inset = 0.04 + 0.05 * (depth % 6)
        side = 1 - 2 * inset
        frames = [Rectangle((x0 + c + inset, y0 + r + inset), side, side) for r, c in cells]
        # one collection per copy: far cheaper to render than a patch per cell
        ax.add_collection(PatchCollection(frames, facecolor="none", edgecolor=color, linewidth=1.3))
    draw_carve(ax, buffer.shape, carve, origin=origin)
    if selected is not None:
        highlight_cells(
            ax, [selected], origin=origin, color=COLORS["field"], alpha=0.35, hatch="//"
        )
    if title:
        label_grid(ax, title, buffer.shape[1], origin=origin)
    return fit_view(ax)


def draw_transposed_steps(axes, x, weight, s=1, p=0, d=1, output_padding=0) -> list:
    """The whole story of a small transposed convolution, one panel per step.

    Parameters
    ----------
    axes : sequence of Axes
        ``H*W + 3`` of them: the input, one per kernel copy, the summed buffer with
        the padding to carve, the output.
    x : array_like, shape (H, W)
    weight : array_like, shape (kH, kW)
    s, p, d, output_padding : int
        Stride, padding, dilation and output padding.

    Returns
    -------
    list of Axes

    Notes
    -----
    Introduced in notebook 04: seed 000's four copies summed, seed 004's buffer
    pictures. Computed by :func:`helpers.transposed.kernel_copies`.
    """
    from helpers import transposed  # drawing stays importable without the lesson modules

    x, weight = np.asarray(x), np.asarray(weight)
    axes = list(axes)
    if len(axes) != x.size + 3:
        raise ValueError(f"axes has {len(axes)} entries: must be H*W + 3 = {x.size + 3}")
    copies, carve, out_size = transposed.kernel_copies(x, weight, s, p, d, output_padding)
    draw_colored_input(axes[0], x, title=f"input {x.shape[0]}×{x.shape[1]}")
    for ax, (m, n) in zip(axes[1:-2], np.ndindex(*x.shape), strict=True):
        color = copy_color(m, n, x.shape[1])
        title = f"{format_value(x[m, n])} × kernel"
        draw_kernel_copy(
            ax, copies[m, n], m, n, weight.shape, s, d, color=color, carve=carve, title=title
        )
    buffer = copies.sum(axis=(0, 1))
    footprints = [
        (window_taps(m, n, weight.shape, s, d), copy_color(m, n, x.shape[1]))
        for m, n in np.ndindex(*x.shape)
    ]
    title = f"sum {buffer.shape[0]}×{buffer.shape[1]}"
    draw_transposed_buffer(axes[-2], buffer, carve, footprints=footprints, title=title)
    out = buffer[carve[0] : carve[0] + out_size[0], carve[1] : carve[1] + out_size[1]]
    draw_output_grid(axes[-1], out)
    label_grid(axes[-1], f"output {out_size[0]}×{out_size[1]}", out_size[1])
    return axes


def draw_overlap_counts(
    ax: Axes,
    counts,
    *,
    origin: Origin = (0, 0),
    vmax: float | None = None,
    cmap: str = "Purples",
    title: str | None = None,
) -> Axes:
    """Draw how many kernel copies cover each output cell, as a heat map with numbers.

    Parameters
    ----------
    ax : Axes
    counts : array_like, shape (o,) or (o_h, o_w)
        :func:`helpers.transposed.overlap_counts` (one row) or
        :func:`helpers.transposed.overlap_counts_2d`.
    origin : (float, float), default=(0, 0)
        To stack the 1-D row above the 2-D map, columns aligned.
    vmax : float, optional
        The largest count to expect (the scale starts at 0); default: the largest
        count. It is drawn mid-dark, so the numbers stay readable.
    cmap : str, default="Purples"
    title : str, optional
        Caption above the grid.

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 04, after the overlap pictures of Odena, Dumoulin & Olah,
    "Deconvolution and Checkerboard Artifacts", Distill (2016).
    """
    counts = np.asarray(counts)
    if counts.ndim == 1:
        counts = counts[np.newaxis]
    vmax = counts.max() if vmax is None else vmax
    top = 1.6 * max(vmax, 1)  # the largest count at about 60% of the colour map
    draw_grid(ax, counts, origin=origin, cmap=cmap, vmin=0, vmax=top)
    if title:
        label_grid(ax, title, counts.shape[1], origin=origin)
    return ax


# =========================================================================== lesson 06: MNIST
# Pictures of real data and of training results; every function draws on one Axes.
__all__ += [
    "draw_accuracy_curves",
    "draw_confusion_matrix",
    "draw_digits",
    "draw_shift_curves",
    "draw_tiles",
    "tile",
]


def tile(images, ncols: int = 8, *, gap: int = 1, fill: float = np.nan) -> np.ndarray:
    """Arrange equally sized images in a grid, one array (a contact sheet).

    Parameters
    ----------
    images : array_like, shape (N, H, W)
    ncols : int, default=8
        Images per row; the last row may be incomplete.
    gap : int, default=1
        Pixels between neighbours.
    fill : float, default=nan
        Value of the gaps and empty places (NaN draws as the background).

    Returns
    -------
    ndarray, shape (rows*(H + gap) - gap, ncols*(W + gap) - gap)
        With ``rows = ceil(N / ncols)``; image ``n`` starts at row
        ``(n // ncols)*(H + gap)`` and column ``(n % ncols)*(W + gap)``.

    Notes
    -----
    Introduced in notebook 06.

    Examples
    --------
    >>> tile(np.ones((3, 2, 2)), ncols=2).shape
    (5, 5)
    """
    images = np.asarray(images, dtype=float)
    n, height, width = images.shape
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    sheet = np.full((nrows * (height + gap) - gap, ncols * (width + gap) - gap), fill)
    for index, image in enumerate(images):  # a loop over images, not pixels
        row, col = divmod(index, ncols)
        top, left = row * (height + gap), col * (width + gap)
        sheet[top : top + height, left : left + width] = image
    return sheet


def draw_tiles(
    ax: Axes,
    images,
    *,
    ncols: int = 8,
    cmap: str = "gray",
    symmetric: bool = False,
    normalize: bool = True,
    title: str | None = None,
) -> Axes:
    """Show many small images (filters, feature maps) as one sheet.

    Parameters
    ----------
    ax : Axes
    images : array_like, shape (N, H, W)
    ncols : int, default=8
    cmap : str, default="gray"
    symmetric : bool, default=False
        Centre the colours on zero (for weights, which are positive or negative); use
        a diverging ``cmap`` such as ``"RdBu_r"``.
    normalize : bool, default=True
        Scale each image on its own (to ``[0, 1]``, or to ``[-1, 1]`` when symmetric),
        so that a weak map is as readable as a strong one.
    title : str, optional

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 06 (learned ``conv1`` filters and feature maps).
    """
    images = np.asarray(images, dtype=float)
    if normalize:
        axes = (1, 2)
        if symmetric:
            scale = np.abs(images).max(axis=axes, keepdims=True)
            images = images / np.where(scale > 0, scale, 1)
        else:
            low = images.min(axis=axes, keepdims=True)
            span = images.max(axis=axes, keepdims=True) - low
            images = (images - low) / np.where(span > 0, span, 1)
    limit = np.nanmax(np.abs(images)) if symmetric else None
    vmin, vmax = (-limit, limit) if symmetric else (None, None)
    return draw_image(ax, tile(images, ncols), title=title, cmap=cmap, vmin=vmin, vmax=vmax)


def draw_digits(
    ax: Axes,
    images,
    labels=None,
    *,
    predictions=None,
    ncols: int = 8,
    title: str | None = None,
) -> Axes:
    """A sheet of digits, each with its label (and the model's answer, if given).

    Parameters
    ----------
    ax : Axes
    images : array_like, shape (N, 28, 28) or (N, 1, 28, 28)
    labels : array_like of int, shape (N,), optional
        Written in the top-left corner of each digit.
    predictions : array_like of int, shape (N,), optional
        Written as ``label→prediction``, in the kernel colour when they differ.
    ncols : int, default=8
    title : str, optional

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 06 (a look at MNIST; the gallery of mistakes).
    """
    images = np.asarray(images, dtype=float)
    images = images.reshape(len(images), *images.shape[-2:])
    height, width = images.shape[1:]
    draw_image(ax, tile(images, ncols), title=title, cmap="gray_r", vmin=0, vmax=1)
    if labels is None:
        return ax
    ncols = max(1, min(ncols, len(images)))
    for index, label in enumerate(np.asarray(labels)):
        row, col = divmod(index, ncols)
        text, color = f"{label}", COLORS["text"]
        if predictions is not None:
            guess = np.asarray(predictions)[index]
            text = f"{label}→{guess}"
            color = COLORS["kernel"] if guess != label else COLORS["text"]
        ax.text(
            col * (width + 1) + 0.5,
            row * (height + 1) + 0.5,
            text,
            color=color,
            fontsize=8,
            va="top",
            ha="left",
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 0.5},
        )
    return ax


def draw_accuracy_curves(
    ax: Axes, curves, *, target: float | None = None, title: str | None = None
) -> Axes:
    """Test accuracy (in %) after each epoch, one line per model.

    Parameters
    ----------
    ax : Axes
    curves : mapping from str to sequence of float
        Model name to its accuracies in ``[0, 1]``, one per epoch (epoch 1 first).
    target : float, optional
        An accuracy in ``[0, 1]`` to mark with a dashed line (the lesson's 99 %).
    title : str, optional

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 06.
    """
    for name, accuracies in curves.items():
        epochs = np.arange(1, len(accuracies) + 1)
        ax.plot(epochs, 100 * np.asarray(accuracies), marker="o", label=name)
    if target is not None:
        ax.axhline(100 * target, color=COLORS["faint"], linestyle="--", linewidth=1)
    ax.set_xlabel("epoch")
    ax.set_ylabel("full-test accuracy (%)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def draw_shift_curves(ax: Axes, shifts, curves, *, title: str | None = None) -> Axes:
    """Accuracy (in %) against the shift of the test images, one line per model.

    Parameters
    ----------
    ax : Axes
    shifts : sequence of int
        Pixels moved.
    curves : mapping from str to sequence of float
        Model name to its accuracies in ``[0, 1]``, one per shift.
    title : str, optional

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 06 (the translation test).
    """
    for name, accuracies in curves.items():
        ax.plot(shifts, 100 * np.asarray(accuracies), marker="o", label=name)
    ax.set_xticks(list(shifts))
    ax.set_xlabel("shift (pixels)")
    ax.set_ylabel("full-test accuracy (%)")
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def draw_confusion_matrix(ax: Axes, matrix, *, title: str | None = None) -> Axes:
    """A 10 x 10 confusion matrix: errors shaded, every count written.

    Parameters
    ----------
    ax : Axes
    matrix : array_like of int, shape (C, C)
        Row = true class, column = prediction.
    title : str, optional

    Returns
    -------
    Axes

    Notes
    -----
    Introduced in notebook 06. The diagonal (correct answers) is left unshaded so that
    the few errors set the colour scale; its counts are written in grey.
    """
    matrix = np.asarray(matrix)
    errors = matrix.astype(float).copy()
    np.fill_diagonal(errors, 0)
    ax.imshow(errors, cmap="Oranges", vmin=0, vmax=max(errors.max(), 1))
    for (row, col), count in np.ndenumerate(matrix):
        color = COLORS["faint"] if row == col else COLORS["text"]
        ax.text(col, row, str(count), ha="center", va="center", fontsize=6, color=color)
    ticks = np.arange(len(matrix))
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.tick_params(labelsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    if title:
        ax.set_title(title, fontsize=10)
    return ax
