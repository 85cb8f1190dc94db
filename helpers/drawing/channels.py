"""Channels: which input channels feed which output channel, and the weight tensor's blocks.

Both pictures draw a *connectivity matrix*: a boolean ``(C_out, C_in)`` array, ``True``
where output channel ``o`` depends on input channel ``c``, as
:func:`helpers.channels.channel_connectivity` computes it. The channel groups are read
off the matrix (neighbouring channels with the same connections are in one group),
and each group gets one of :data:`GROUP_COLORS` and, for a reader who does not tell the
colours apart, a name (``g1``, ``g2``, ...: :func:`group_name`) written beside its channels
and in its block of the weight, and a line style (:data:`GROUP_LINESTYLES`) for its lines.
:func:`draw_channel_sum` shows one output channel as the sum of single-channel
convolutions, from the pieces that :mod:`helpers.channels` computes.

Introduced in notebook 05, after the multi-channel blog post's diagram.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from helpers.validation import ShapeRuleError, as_array

from .figure import COLORS, fit_view, set_title, write_text
from .grids import draw_grid, highlight_cells
from .labels import draw_labels

__all__ = [
    "GROUP_COLORS",
    "GROUP_LINESTYLES",
    "draw_channel_connectivity",
    "draw_channel_sum",
    "draw_weight_blocks",
    "group_name",
]

#: One colour per channel group, cycled (Paul Tol's "muted" scheme, told apart under
#: protanopia, deuteranopia and tritanopia).
GROUP_COLORS = (
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#DDDDDD",
)

#: One line style per channel group, cycled with its colour (the connectivity's lines).
GROUP_LINESTYLES = ("solid", "dashed", "dotted", "dashdot")


def group_name(g: int) -> str:
    """The name written for channel group ``g`` (counted from 0): ``g1``, ``g2``, ...

    Examples
    --------
    >>> group_name(0), group_name(3)
    ('g1', 'g4')
    """
    return f"g{g + 1}"


def _group_names(ax: Axes, x: float, centres, groups) -> list[Artist]:
    """Write each group's name once, at ``x``, level with the middle of its channels."""
    names, points = [], []
    for g in range(int(groups[-1]) + 1):
        names.append(group_name(g))
        points.append((x, float(np.mean(np.asarray(centres)[groups == g]))))
    return draw_labels(ax, names, points)


_LAYOUT = "a (C_out, C_in) boolean array, such as helpers.channels.channel_connectivity()"


def _connectivity(connectivity) -> np.ndarray:
    """Validate ``connectivity`` and return it as booleans."""
    links = as_array("connectivity", connectivity, 2, _LAYOUT)
    if links.dtype != bool:
        raise TypeError(f"connectivity has dtype {links.dtype}: must be {_LAYOUT}")
    if min(links.shape) < 1:
        raise ShapeRuleError(
            "connectivity",
            links.shape,
            "needs at least one channel on each side",
            message=f"connectivity has shape {links.shape}: needs at least one channel each side",
        )
    return links


def _groups(links: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the group index of every output and of every input channel.

    A new group starts where a channel's connections differ from its predecessor's:
    groups are consecutive blocks of channels (PyTorch's ``groups``).
    """

    def starts(rows):
        return np.concatenate([[0], np.cumsum((rows[1:] != rows[:-1]).any(axis=1))])

    return starts(links), starts(links.T)


def _channel_column(ax: Axes, x: float, top: float, prefix: str, face, edges):
    """Draw one channel box per edge colour down a column; return their centres and artists."""
    tops = top + 1.5 * np.arange(len(edges))
    boxes = [Rectangle((x, y), 1, 1) for y in tops]
    column = PatchCollection(boxes, facecolor=face, edgecolor=edges, linewidth=2.0)
    artists: list[Artist] = [ax.add_collection(column)]
    names = [f"{prefix}{c}" for c in range(len(edges))]
    artists += draw_labels(ax, names, [(x + 0.5, y + 0.5) for y in tops], room=1.0)
    ax.update_datalim([(x, top), (x + 1, tops[-1] + 1)])
    return tops + 0.5, artists


def draw_channel_connectivity(
    ax: Axes, connectivity, *, title: str | None = None, gap: float = 5.0
) -> list[Artist]:
    """Input channels on the left, output channels on the right, a line per kernel.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    connectivity : array_like of bool, shape (C_out, C_in)
        ``True`` at ``[o, c]`` when output channel ``o`` depends on input channel
        ``c``: :func:`helpers.channels.channel_connectivity`. Each group's lines and
        boxes get one of :data:`GROUP_COLORS`, its lines one of
        :data:`GROUP_LINESTYLES`, and its name (:func:`group_name`) is written beside its
        channels on both sides. An all-``False`` matrix draws the
        channels only, in grey (the explorer does this when ``groups`` is
        impossible).
    title : str, optional
        Written above the axes.
    gap : float, default=5.0
        Horizontal distance between the two columns, in box widths.

    Returns
    -------
    list of Artist
        The input column (boxes, and their names as one
        :func:`~helpers.drawing.labels.draw_labels` collection), the output column, the
        group names (one collection per side, when there are lines), the lines (one
        ``LineCollection``, possibly empty), then the title.

    Raises
    ------
    TypeError
        If ``connectivity`` is not boolean (for example the old call
        ``draw_channel_connectivity(ax, c_in, c_out, groups)``).
    ValueError
        If ``connectivity`` is not 2-D with at least one channel on each side.

    Notes
    -----
    Introduced in notebook 05, after the multi-channel blog post's diagram. Each line is one
    ``kH x kW`` kernel of the weight tensor, so there are ``C_in * C_out / groups``
    of them.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, (ax,) = new_figure(figsize=(3, 2))
    >>> two_groups = np.kron(np.eye(2, dtype=bool), np.ones((1, 2), dtype=bool))
    >>> two_groups.astype(int)
    array([[1, 1, 0, 0],
           [0, 0, 1, 1]])
    >>> *_, lines = draw_channel_connectivity(ax, two_groups)
    >>> len(lines.get_segments())    # one line per kernel
    4
    """
    links = _connectivity(connectivity)
    c_out, c_in = links.shape
    if links.any():
        out_group, in_group = _groups(links)
        in_colors = [GROUP_COLORS[g % len(GROUP_COLORS)] for g in in_group]
        out_colors = [GROUP_COLORS[g % len(GROUP_COLORS)] for g in out_group]
    else:
        in_colors, out_colors = [COLORS["faint"]] * c_in, [COLORS["faint"]] * c_out
    tallest = 1.5 * max(c_in, c_out) - 0.5
    top_in, top_out = ((tallest - (1.5 * n - 0.5)) / 2 for n in (c_in, c_out))
    left, artists = _channel_column(ax, 0.0, top_in, "x", COLORS["input"], in_colors)
    right, more = _channel_column(ax, 1 + gap, top_out, "y", COLORS["output"], out_colors)
    artists += more
    pairs = list(zip(*np.nonzero(links), strict=True))  # (output, input), one per kernel
    segments = [[(1, left[c]), (1 + gap, right[o])] for o, c in pairs]
    colors = [to_rgba(out_colors[o], 0.8) for o, _ in pairs]
    styles = ["solid"] * len(pairs)
    if links.any():
        artists += _group_names(ax, -0.9, left, in_group)
        artists += _group_names(ax, 2 + gap + 0.9, right, out_group)
        ax.update_datalim([(-1.8, top_in), (3.8 + gap, top_out)])
        styles = [GROUP_LINESTYLES[out_group[o] % len(GROUP_LINESTYLES)] for o, _ in pairs]
    lines = LineCollection(segments, colors=colors, linewidths=1.2, linestyles=styles)
    artists.append(ax.add_collection(lines))
    if title:
        artists.append(set_title(ax, title))
    fit_view(ax)
    return artists


def draw_weight_blocks(ax: Axes, connectivity, *, title: str | None = None) -> list[Artist]:
    """Draw the weight tensor as a ``C_out x C_in`` grid: one cell per possible kernel.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    connectivity : array_like of bool, shape (C_out, C_in)
        As for :func:`draw_channel_connectivity`.
    title : str, optional
        Written above the axes.

    Returns
    -------
    list of Artist
        The grid, one fill per group, the group names (one collection, right of the
        grid, each level with its group's rows), the channel names, then the title.
        Rows are output channels, columns input channels. The cells of existing kernels
        are filled with their group's colour: the whole grid for ``groups=1``,
        ``groups`` diagonal blocks otherwise, the diagonal alone for a depthwise layer.
        Empty cells are kernels the layer does not have.

    Raises
    ------
    TypeError, ValueError
        As for :func:`draw_channel_connectivity`.

    Notes
    -----
    Introduced in notebook 05. ``Conv2d``'s weight ``(C_out, C_in/groups, k, k)``
    stores each row's filled cells side by side; ``ConvTranspose2d``'s
    ``(C_in, C_out/groups, k, k)`` stores each column's.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, (ax,) = new_figure(figsize=(2, 2))
    >>> depthwise = np.eye(4, dtype=bool)
    >>> grid, *fills = draw_weight_blocks(ax, depthwise)[:5]
    >>> len(fills)    # one block (here one cell) per group
    4
    """
    links = _connectivity(connectivity)
    c_out, c_in = links.shape
    artists = draw_grid(ax, shape=(c_out, c_in), color="white", show_values=False)
    out_group, _ = _groups(links)
    for g in range(out_group[-1] + 1):
        cells = [
            (int(o), int(c)) for o, c in zip(*np.nonzero(links), strict=True) if out_group[o] == g
        ]
        color = GROUP_COLORS[g % len(GROUP_COLORS)]
        artists += highlight_cells(ax, cells, color=color, alpha=0.6)
    if links.any():  # each group's name right of the grid, level with its rows, on white
        artists += _group_names(ax, c_in + 0.9, np.arange(c_out) + 0.5, out_group)
        ax.update_datalim([(c_in + 1.8, 0)])
    # the first and last channel only: text is the slow part of a redraw
    for c in {0, c_in - 1}:
        artists.append(write_text(ax, c + 0.5, -0.15, f"x{c}", ha="center", va="bottom"))
    for o in {0, c_out - 1}:
        artists.append(write_text(ax, -0.15, o + 0.5, f"y{o}", ha="right", va="center"))
    ax.update_datalim([(-0.8, -0.8)])
    if title:
        artists.append(set_title(ax, title))
    fit_view(ax)
    return artists


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
) -> list[Artist]:
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
    list of Artist
        The artists of every panel, row by row, the sum last.

    Notes
    -----
    Introduced in notebook 05 (the multi-channel blog post: "for each input channel, there
    would be a kernel; then, each kernel would be applied to its input channel; finally, the
    outputs produced by each kernel would be summed up").
    """
    axes = np.asarray(axes).reshape(len(x), 4)
    star = "⋆ᵀ" if transposed else "⋆"
    shade_in = _symmetric_shading(cmap, x)
    shade_out = _symmetric_shading(cmap, pieces, out)
    kernel_color = to_rgba(COLORS["kernel"], 0.45)
    artists: list[Artist] = []
    for c, row in enumerate(axes):
        w_name = f"w[{c}, {o}]" if transposed else f"w[{o}, {c}]"
        artists += draw_grid(row[0], x[c], title=f"x{c}", **shade_in)
        artists += draw_grid(row[1], kernels[c], color=kernel_color, title=w_name)
        piece_title = f"x{c} {star} {w_name}"
        artists += draw_grid(
            row[2], pieces[c], color=COLORS["output"], title=piece_title, **shade_out
        )
        row[3].set_axis_off()
    total = f"y{o} = sum + b[{o}]" if bias else f"y{o} = sum"
    artists += draw_grid(axes[0, 3], out, color=COLORS["output"], title=total, **shade_out)
    return artists


def _symmetric_shading(cmap: str | None, *arrays) -> dict:
    """``draw_grid`` arguments for a colormap centred on zero over ``arrays`` (or none)."""
    if cmap is None:
        return {}
    top = max(float(np.abs(np.asarray(a, dtype=float)).max()) for a in arrays) or 1.0
    return {"cmap": cmap, "vmin": -top, "vmax": top, "show_values": False}
