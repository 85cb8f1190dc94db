"""Transposed convolution: coloured kernel copies, the summed buffer, the carved padding.

Each input element scatters a scaled copy of the kernel into an intermediate buffer;
the copies are summed, and the padding is carved off the buffer's border
(Dumoulin & Visin 2016, section 4). Each element and its copy share a colour, a letter
(on the element and in the copy's caption) and a line style (the copy's frames), from
:mod:`helpers.drawing.copies`. The
arrays (the copies, the buffer, the carved output) are computed by
:mod:`helpers.transposed` and :mod:`helpers.reference`; these functions only draw them.
Every function takes an ``origin``, so that the explorers can put several grids on one
``Axes`` (one ``Axes`` renders much faster than four).

Introduced in notebook 04, after the coloured matrices of a blog post on pooling and
transposed convolutions and of a question and answer about the padding of
ConvTranspose2d, and the overlap pictures of Odena, Dumoulin & Olah, "Deconvolution and
Checkerboard Artifacts", Distill (2016).
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from helpers.validation import ShapeRuleError, as_array, check_tuple, check_window
from helpers.windows import window_taps

from .copies import (
    COPY_COLORS,
    COPY_LINESTYLES,
    copy_color,
    copy_letter,
    copy_linestyle,
    draw_copy_letters,
)
from .figure import COLORS, MAX_LABELLED, Cell, Origin, fit_view, format_value
from .grids import (
    draw_grid,
    frame_cells,
    highlight_cells,
    label_grid,
    mark_selected,
    outline_cells,
)
from .labels import draw_labels
from .sliding import draw_output_grid

__all__ = [
    "draw_carve",
    "draw_colored_input",
    "draw_kernel_copy",
    "draw_overlap_counts",
    "draw_transposed_buffer",
    "draw_transposed_steps",
]


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


def _caption(ax: Axes, title: str | None, width: int, origin: Origin) -> list[Artist]:
    """The caption above a ``width``-wide grid (:func:`label_grid`); nothing without a title."""
    return label_grid(ax, title, width, origin=origin) if title else []


def draw_carve(ax: Axes, shape: Cell, carve, *, origin: Origin = (0, 0)) -> list[Artist]:
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
        Where the buffer starts.

    Returns
    -------
    list of Artist
        The hatched ring (a ``PathPatch``) and the frame of the kept region (a
        ``Rectangle``, when something is kept); nothing when ``carve`` is 0.

    Notes
    -----
    Introduced in notebook 04 (the study notes: "carve the padding out"). The kept region
    is framed in the kernel colour.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, (ax,) = new_figure()
    >>> ring, kept = draw_carve(ax, (5, 5), 1)
    >>> kept.get_xy(), kept.get_width()
    ((1.0, 1.0), 3.0)
    """
    carve = check_tuple("carve", carve, 2, minimum=0)
    if max(carve) == 0:
        return []
    artists = highlight_cells(
        ax, _ring(shape, carve), origin=origin, color="#777777", alpha=0.3, hatch="xx"
    )
    kept = (shape[0] - 2 * carve[0], shape[1] - 2 * carve[1])
    if min(kept) > 0:
        artists += outline_cells(
            ax, carve, kept, origin=origin, color=COLORS["kernel"], linewidth=2.0
        )
    return artists


def draw_colored_input(
    ax: Axes,
    x,
    *,
    selected: Cell | None = None,
    origin: Origin = (0, 0),
    title: str | None = None,
    show_values: bool | None = None,
) -> list[Artist]:
    """Draw a transposed convolution's input, each element in the colour of its copy.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    x : array_like, shape (H, W)
        The input.
    selected : (row, col), optional
        Only this element is coloured (the explorer's current copy); default: all.
    origin : (float, float), default=(0, 0)
        Where the grid starts.
    title : str, optional
        Caption above the grid.
    show_values : bool, optional
        As in :func:`draw_grid`.

    Returns
    -------
    list of Artist
        The grid's artists, one fill per coloured element, the elements' letters
        (:func:`~helpers.drawing.copies.draw_copy_letters`: in a corner when the values
        are written, else centred), then the caption.

    Notes
    -----
    Introduced in notebook 04.
    """
    x = as_array("x", x, 2, "2-D (H, W)")
    if show_values is None:
        show_values = max(x.shape) <= MAX_LABELLED
    artists = draw_grid(ax, x, color="white", origin=origin, show_values=show_values)
    coloured = [
        (m, n) for m, n in np.ndindex(*x.shape) if selected is None or (m, n) == tuple(selected)
    ]
    for m, n in coloured:
        color = copy_color(m, n, x.shape[1])
        artists += highlight_cells(ax, [(m, n)], origin=origin, color=color, alpha=0.5)
    artists += draw_copy_letters(ax, coloured, x.shape[1], origin=origin, corner=show_values)
    artists += _caption(ax, title, x.shape[1], origin)
    return artists


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
    linestyle: str = COPY_LINESTYLES[0],
    carve=0,
    origin: Origin = (0, 0),
    title: str | None = None,
    show_values: bool | None = None,
) -> list[Artist]:
    """Draw the kernel copy of input element ``(m, n)`` in the intermediate buffer.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    copy : array_like, shape (B_h, B_w)
        The buffer holding only this copy, as :func:`helpers.transposed.kernel_copies`
        returns it.
    m, n : int
        The input element; the copy's top-left tap sits at ``(m*s, n*s)``.
    k, s, d : int or (int, int)
        Kernel size, stride and dilation.
    color : color, default=COPY_COLORS[0]
        The copy's colour, usually ``copy_color(m, n, W)``.
    linestyle : str, default="solid"
        The line style of the frames of the copy's cells, usually ``copy_linestyle(m, n, W)``
        (the same frames mark the copy in :func:`draw_transposed_buffer`).
    carve : int or (int, int), default=0
        Padding to be carved off, hatched.
    origin : (float, float), default=(0, 0)
        Where the buffer starts.
    title : str, optional
        Caption above the grid.
    show_values : bool, optional
        Write the copy's values; by default when the buffer is small.

    Returns
    -------
    list of Artist
        The buffer's grid, the copy's fill, the frames of its cells (one
        ``PatchCollection``), its values (one collection,
        :func:`~helpers.drawing.labels.draw_labels`), the carve (:func:`draw_carve`),
        then the caption.

    Notes
    -----
    Introduced in notebook 04, after the coloured matrices of a blog post on pooling and
    transposed convolutions and of a question and answer about ConvTranspose2d.
    The cells outside the copy are left blank: they hold zeros. The copy's cells
    are :func:`helpers.windows.window_taps` of ``(m, n)``.
    """
    copy = as_array("copy", copy, 2, "2-D (B_h, B_w)")
    k, s, d = check_window(k, s, d)
    x0, y0 = origin
    footprint = [(int(r), int(c)) for r, c in window_taps(m, n, k, s, d)]
    artists = draw_grid(ax, shape=copy.shape, color="white", origin=origin, show_values=False)
    artists += highlight_cells(ax, footprint, origin=origin, color=color, alpha=0.5)
    artists += _frames(ax, footprint, origin, color, linestyle, depth=0, autolim=False)
    if show_values is None:
        show_values = max(copy.shape) <= MAX_LABELLED
    if show_values:
        texts = [format_value(copy[r, c]) for r, c in footprint]
        centers = [(x0 + c + 0.5, y0 + r + 0.5) for r, c in footprint]
        artists += draw_labels(ax, texts, centers, room=1.0)
    artists += draw_carve(ax, copy.shape, carve, origin=origin)
    artists += _caption(ax, title, copy.shape[1], origin)
    return artists


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
) -> list[Artist]:
    """Draw the intermediate buffer (the summed copies), the padding to carve hatched.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    buffer : array_like, shape (B_h, B_w)
        :func:`helpers.reference.transposed_buffer` of one channel.
    carve : int or (int, int), default=0
        Cells carved off each side; what stays is the output, framed.
    footprints : iterable of (cells, color) or (cells, color, linestyle), optional
        Kernel copies to mark: each copy's cells framed in its colour and line style
        (default: the ``n``-th footprint gets ``COPY_LINESTYLES[n % 4]``, the style of the
        ``n``-th copy in raster order), nested so that a cell covered by several copies
        shows several frames.
    selected : (row, col), optional
        A buffer cell to mark (the explorer's selected output cell, shifted by the
        carve).
    origin : (float, float), default=(0, 0)
        Where the buffer starts.
    title : str, optional
        Caption above the grid.
    show_values : bool, optional
        As in :func:`draw_grid`.

    Returns
    -------
    list of Artist
        The grid's artists, one ``PatchCollection`` of frames per footprint, the
        carve, the selected cell, then the caption.

    Notes
    -----
    Introduced in notebook 04 (the study notes' "5x5 intermediate", the stride-2
    question's buffers).
    """
    buffer = as_array("buffer", buffer, 2, "2-D (B_h, B_w)")
    artists = draw_grid(ax, buffer, color=COLORS["output"], origin=origin, show_values=show_values)
    for depth, (cells, color, *style) in enumerate(footprints):
        linestyle = style[0] if style else COPY_LINESTYLES[depth % len(COPY_LINESTYLES)]
        artists += _frames(ax, cells, origin, color, linestyle, depth=depth, autolim=True)
    artists += draw_carve(ax, buffer.shape, carve, origin=origin)
    if selected is not None:
        artists += mark_selected(ax, selected, origin=origin)
    artists += _caption(ax, title, buffer.shape[1], origin)
    fit_view(ax)
    return artists


def _frames(ax, cells, origin, color, linestyle, *, depth: int, autolim: bool) -> list[Artist]:
    """Frame a copy's cells in its colour and line style, ``depth`` frames in from the border."""
    inset = 0.04 + 0.05 * (depth % 6)
    artists = frame_cells(
        ax, cells, origin=origin, color=color, inset=inset, linewidth=1.3, autolim=autolim
    )
    for frame in artists:
        frame.set_linestyle(linestyle)
    return artists


def draw_transposed_steps(axes, x, copies, buffer, out, *, k, s=1, d=1, carve=0) -> list[Artist]:
    """Draw the whole story of a small transposed convolution, one panel per step.

    Parameters
    ----------
    axes : sequence of Axes
        ``H*W + 3`` of them: the input, one per kernel copy, the summed buffer with
        the padding to carve, the output. Each copy is told apart by its colour, its
        letter (on its input element and in its panel's caption, ``copy a: …``) and the
        line style of its frames (in its panel and in the buffer).
    x : array_like, shape (H, W)
        The input.
    copies : array_like, shape (H, W, B_h, B_w)
        ``copies[m, n]``: the buffer holding only ``x[m, n]`` times the kernel, as
        :func:`helpers.transposed.kernel_copies` returns it.
    buffer : array_like, shape (B_h, B_w)
        The copies summed (:func:`helpers.reference.transposed_buffer`).
    out : array_like, shape (H_out, W_out)
        The output: the buffer with ``carve`` cells carved off each side
        (:func:`helpers.reference.conv_transpose2d`).
    k : int or (int, int)
        Kernel size (``weight.shape``), keyword-only.
    s, d : int or (int, int), default=1
        Stride and dilation: where each copy sits.
    carve : int or (int, int), default=0
        The transposed convolution's ``padding``: the cells hatched on the buffer's
        border (:func:`helpers.transposed.kernel_copies` returns it as a pair).

    Returns
    -------
    list of Artist
        The artists of every panel, in panel order (each artist's ``axes`` says
        which).

    Raises
    ------
    ValueError
        If the number of axes is not ``H*W + 3``, or the arrays do not have the
        shapes above.

    Notes
    -----
    Introduced in notebook 04: the pooling post's four copies summed, the stride-2 question's buffer
    pictures. Nothing is computed here: the copies, the buffer and the output come
    from :mod:`helpers.transposed` and :mod:`helpers.reference`.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> x = np.array([[1, 2]])
    >>> copies = np.zeros((1, 2, 2, 3))
    >>> copies[0, 0, :, 0:2], copies[0, 1, :, 1:3] = 1, 2   # a 2x2 kernel of ones, s = 1
    >>> fig, axes = new_figure(5)
    >>> artists = draw_transposed_steps(
    ...     axes, x, copies, copies.sum(axis=(0, 1)), [[1, 3, 2], [1, 3, 2]], k=2
    ... )
    >>> [t.get_text() for ax in axes for t in ax.texts if "×" in t.get_text()]
    ['input 1×2', 'copy a: 1 × kernel', 'copy b: 2 × kernel', 'sum 2×3', 'output 2×3']
    """
    x = as_array("x", x, 2, "2-D (H, W)")
    copies = as_array("copies", copies, 4, "(H, W, B_h, B_w), as transposed.kernel_copies gives")
    buffer = as_array("buffer", buffer, 2, "2-D (B_h, B_w)")
    out = as_array("out", out, 2, "2-D (H_out, W_out)")
    k, s, d = check_window(k, s, d)
    axes = list(axes)
    if len(axes) != x.size + 3:
        raise ShapeRuleError("axes", len(axes), f"must hold H*W + 3 = {x.size + 3} Axes")
    if copies.shape[:2] != x.shape or copies.shape[2:] != buffer.shape:
        raise ShapeRuleError(
            "copies",
            copies.shape,
            f"must be (H, W, B_h, B_w) = {x.shape + buffer.shape}",
            message=f"copies has shape {copies.shape}: must be {x.shape + buffer.shape}"
            " (x's shape, then buffer's)",
        )
    width = x.shape[1]
    artists = draw_colored_input(axes[0], x, title=f"input {x.shape[0]}×{width}")
    for ax, (m, n) in zip(axes[1:-2], np.ndindex(*x.shape), strict=True):
        artists += draw_kernel_copy(
            ax,
            copies[m, n],
            m,
            n,
            k,
            s,
            d,
            color=copy_color(m, n, width),
            linestyle=copy_linestyle(m, n, width),
            carve=carve,
            title=f"copy {copy_letter(m, n, width)}: {format_value(x[m, n])} × kernel",
        )
    footprints = [
        (window_taps(m, n, k, s, d), copy_color(m, n, width), copy_linestyle(m, n, width))
        for m, n in np.ndindex(*x.shape)
    ]
    title = f"sum {buffer.shape[0]}×{buffer.shape[1]}"
    artists += draw_transposed_buffer(axes[-2], buffer, carve, footprints=footprints, title=title)
    artists += draw_output_grid(axes[-1], out)
    artists += label_grid(axes[-1], f"output {out.shape[0]}×{out.shape[1]}", out.shape[1])
    return artists


def draw_overlap_counts(
    ax: Axes,
    counts,
    *,
    origin: Origin = (0, 0),
    vmax: float | None = None,
    cmap: str = "Purples",
    title: str | None = None,
) -> list[Artist]:
    """Draw how many kernel copies cover each output cell, as a heat map with numbers.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    counts : array_like, shape (o,) or (o_h, o_w)
        :func:`helpers.transposed.overlap_counts` (one row) or
        :func:`helpers.transposed.overlap_counts_2d`.
    origin : (float, float), default=(0, 0)
        To stack the 1-D row above the 2-D map, columns aligned.
    vmax : float, optional
        The largest count to expect (the scale starts at 0); default: the largest
        count. It is drawn mid-dark, so the numbers stay readable.
    cmap : str, default="Purples"
        A matplotlib colormap.
    title : str, optional
        Caption above the grid.

    Returns
    -------
    list of Artist
        The grid's artists (:func:`draw_grid`), then the caption.

    Notes
    -----
    Introduced in notebook 04, after the overlap pictures of Odena, Dumoulin & Olah,
    "Deconvolution and Checkerboard Artifacts", Distill (2016).
    """
    counts = as_array("counts", counts, (1, 2), "(o,) or (o_h, o_w)")
    if counts.ndim == 1:
        counts = counts[np.newaxis]
    vmax = counts.max() if vmax is None else vmax
    top = 1.7 * max(vmax, 1)  # the largest count at under 60% of the map, where text stays readable
    artists = draw_grid(ax, counts, origin=origin, cmap=cmap, vmin=0, vmax=top)
    artists += _caption(ax, title, counts.shape[1], origin)
    return artists
