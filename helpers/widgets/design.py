"""The design explorer: pick an input size and the output size you want, get the layers.

Sliders set the input size ``i`` and the target output size ``o``; a switch picks the
direction (a convolution, or a transposed convolution for a decoder's way back); two menus
can hold the kernel size and the dilation fixed. The list of every configuration comes from
:func:`helpers.arithmetic.conv_configs` or :func:`helpers.arithmetic.conv_transpose_configs`,
the ``choice`` slider walks it, and the chosen one is shown three ways: its size formula
(a :class:`~helpers.arithmetic.SizeResult`), a one-row picture (the sliding window of lesson
01 or the kernel copies of lesson 04, drawn by :mod:`helpers.drawing`) and the PyTorch line
that builds it. Introduced in notebook 08.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure

from helpers import arithmetic, drawing, transposed
from helpers.validation import check_choice
from helpers.widgets.base import Explorer, ExplorerState, Settings, int_slider
from helpers.widgets.controls import choice_menu
from helpers.widgets.text import HTML, TEXT, Markup

__all__ = ["DesignExplorer", "DesignState", "design_explorer", "pytorch_line"]

#: The largest input and target sizes on the sliders (the ResNet stem's 224 fits).
MAX_SIZE = 256
#: Configurations listed below the picture; the rest are counted.
MAX_ROWS = 12
#: Cells of a row shown at most; a longer row is shown from one end (cells stay readable).
MAX_SHOWN = 40
#: Kernel copies framed in the transposed picture.
MAX_FRAMED = 16
#: The direction menu's entries: label, value.
DIRECTIONS = (("convolution", "conv"), ("transposed", "transposed"))
#: Search bounds, as the two functions' defaults.
BOUNDS = {"max_k": 7, "max_s": 4, "max_d": 4}


@lru_cache(maxsize=256)
def _search(direction: str, i: int, o: int, k: int | None, d: int | None) -> tuple:
    """Every configuration for these settings (cached: the ranges and the state both ask)."""
    search = arithmetic.conv_configs if direction == "conv" else arithmetic.conv_transpose_configs
    return tuple(search(i, o, k=k, d=d, **BOUNDS))


def pytorch_line(config, direction: str = "conv") -> str:
    """Write the PyTorch line that builds ``config``, leaving out arguments at their default.

    Parameters
    ----------
    config : ConvConfig or ConvTransposeConfig
        One configuration from :func:`helpers.arithmetic.conv_configs` or
        :func:`helpers.arithmetic.conv_transpose_configs`.
    direction : {"conv", "transposed"}, default="conv"

    Returns
    -------
    str
        E.g. ``"nn.Conv2d(C_in, C_out, kernel_size=3, stride=2, padding=1)"``.

    Examples
    --------
    >>> from helpers.arithmetic import conv_transpose_configs
    >>> pytorch_line(conv_transpose_configs(7, 14, k=3, s=2, d=1)[0], "transposed")
    'nn.ConvTranspose2d(C_in, C_out, kernel_size=3, stride=2, padding=1, output_padding=1)'
    """
    names = {"s": "stride", "p": "padding", "d": "dilation", "output_padding": "output_padding"}
    defaults = {"s": 1, "p": 0, "d": 1, "output_padding": 0}
    given = [f"kernel_size={config.k}"] + [
        f"{names[field]}={getattr(config, field)}"
        for field in config._fields[1:]
        if getattr(config, field) != defaults[field]
    ]
    layer = "nn.Conv2d" if direction == "conv" else "nn.ConvTranspose2d"
    return f"{layer}(C_in, C_out, {', '.join(given)})"


@dataclass(frozen=True, kw_only=True, eq=False)
class DesignState(ExplorerState):
    """The design explorer's state (``size`` is the chosen configuration's).

    Parameters
    ----------
    configs : tuple
        Every configuration found, simplest first (empty when there is none).
    chosen : ConvConfig or ConvTransposeConfig or None
        The one the ``choice`` slider points at.
    code : str
        The PyTorch line that builds it ("" when there is none).
    """

    configs: tuple = ()
    chosen: tuple | None = None
    code: str = ""


def _none_found(v: Settings) -> str:
    """Why nothing maps ``i`` to ``o`` within the bounds, and what to try."""
    held = ", ".join(f"{n} = {getattr(v, n)}" for n in ("k", "d") if getattr(v, n))
    within = ", ".join(f"{n[4:]} ≤ {b}" for n, b in BOUNDS.items())
    layer = "convolution" if v.direction == "conv" else "transposed convolution"
    text = f"No {layer} with {within}{', ' + held if held else ''} maps {v.i} to {v.o}."
    if v.direction == "conv" and v.o > v.i:
        return text + " A convolution grows its input only by its padding: try 'transposed'."
    if v.direction == "transposed" and v.o < v.i:
        return text + " A transposed convolution rarely shrinks: try 'convolution'."
    return text + " Free the kernel size or the dilation, or pick a nearby size."


def _config_table(configs: tuple, chosen: tuple, count_line: str) -> str:
    """The configurations as an HTML table, the chosen one marked."""
    fields = configs[0]._fields
    head = "".join(f"<th>{name}</th>" for name in ("#", *fields))
    rows = []
    for n, config in enumerate(configs[:MAX_ROWS]):
        style = f' style="background:{drawing.COLORS["kernel"]}"' if config == chosen else ""
        cells = "".join(f"<td>{value}</td>" for value in (n, *config))
        rows.append(f"<tr{style}>{cells}</tr>")
    more = len(configs) - MAX_ROWS
    tail = f"<br>… and {more} more" if more > 0 else ""
    return (
        f"<b>{count_line}</b>"
        f'<table class="design-configs" style="border-collapse:collapse">'
        f"<tr>{head}</tr>{''.join(rows)}</table>{tail}"
    )


class DesignExplorer(Explorer):
    """Solve for the layer between two sizes; see :func:`design_explorer`."""

    @property
    def summary(self) -> str:
        """``"3 configurations, chosen: nn.Conv2d(...)"``, or ``"none"`` (for the ``repr``)."""
        return self.state.summary.removeprefix("summary=")

    def compute(self, settings: Settings) -> DesignState:
        """Find the configurations; a message when there is none."""
        v = settings
        configs = _search(v.direction, v.i, v.o, v.k, v.d)
        count = len(configs)
        ranges = {"choice": (max(count - 1, 0), count > 1)}
        if not configs:
            return DesignState(
                settings=v,
                message=_none_found(v),
                formula=("<b>o</b> = no configuration",),
                caption=("o = no configuration",),
                ranges=ranges,
                summary="summary=none",
            )
        chosen = configs[min(v.choice, count - 1)]
        if v.direction == "conv":
            size = arithmetic.conv_size(v.i, *chosen)
        else:
            size = arithmetic.conv_transpose_size(v.i, *chosen)
        code = pytorch_line(chosen, v.direction)
        count_line = f"{count} configuration{'s' * (count > 1)}"

        def formula(m: Markup) -> str:
            return f"{m.bold('o')} = {size.symbolic(compact=True)} = {m.bold(m.size(size, True))}"

        return DesignState(
            settings=v,
            size=size,
            formula=(formula(HTML), f"<code>{html.escape(code)}</code>"),
            values=(_config_table(configs, chosen, count_line),),
            caption=(formula(TEXT), code, count_line),
            ranges=ranges,
            summary=f"summary={count_line}, chosen: {code}",
            configs=configs,
            chosen=chosen,
            code=code,
        )

    def draw(self, fig: Figure, state: DesignState) -> None:
        """One row: the sliding window (convolution) or the kernel copies (transposed)."""
        v = state.settings
        if state.chosen is None:
            top, bottom = _two_rows(fig)
            top.set_axis_off()
            bottom.set_axis_off()
            fig.text(0.5, 0.5, "no configuration", ha="center", va="center", color="#b45f06")
            return
        if v.direction == "conv":
            _draw_conv(fig, v.i, state)
        else:
            _draw_transposed(fig, v.i, state)


def _draw_conv(fig: Figure, i: int, result: DesignState) -> None:
    k, s, p, d = result.chosen
    o = result.output_size
    ax_in, ax_out = _two_rows(fig)
    drawing.draw_sliding_window(
        ax_in,
        ax_out,
        (1, i),
        out_shape=(1, o),
        k=(1, k),
        s=(1, s),
        p=(0, 0, p, p),
        d=(1, d),
        step=o - 1,  # the last window: where the floor lets it stop
        cell=0,
    )
    _frame(ax_in, ax_out, i + 2 * p, o, end="right")


def _draw_transposed(fig: Figure, i: int, result: DesignState) -> None:
    k, s, p, d, a = result.chosen
    # the uncarved sum of the copies of a kernel of ones, and the output_padding cells after it
    counts = np.pad(transposed.overlap_counts(i, k, s, 0, d), (0, a))[np.newaxis]
    footprints = [  # the first copies framed: enough to see the stride, quick to draw
        (drawing.window_taps(0, n, (1, k), (1, s), (1, d)), drawing.copy_color(0, n, i))
        for n in range(min(i, MAX_FRAMED))
    ]
    ax_in, ax_buf = _two_rows(fig)
    _draw_colored_row(ax_in, i)
    title = f"copies summed: {counts.shape[1]}, carve {p} per side → {result.output_size}"
    drawing.draw_transposed_buffer(ax_buf, counts, (0, p), footprints=footprints)
    drawing.label_grid(ax_buf, title, min(counts.shape[1], MAX_SHOWN))  # centred in view
    _frame(ax_in, ax_buf, i, counts.shape[1], end="left")


def _two_rows(fig: Figure) -> list:
    """The figure's two Axes, one above the other: those it has, or new ones.

    Creating an ``Axes`` costs more than drawing a row, so the explorer keeps them
    (:func:`helpers.widgets.render.strip_figure` empties them in between).
    """
    axes = fig.axes
    if len(axes) == 2 and all(ax.get_subplotspec() is not None for ax in axes):
        return axes
    fig.clear()
    axes = list(fig.subplots(2, 1))
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.05, top=0.85, hspace=0.9)
    return axes


def _draw_colored_row(ax, i: int) -> None:
    """The transposed convolution's input row, each element in the colour of its copy.

    The picture of :func:`helpers.drawing.draw_colored_input` for ``np.ones((1, i))``, with
    one fill per colour instead of one per element (256 elements: 20 times faster), and
    only the elements in view drawn; only the framed copies (:data:`MAX_FRAMED`) are
    lettered.
    """
    drawn = min(i, MAX_SHOWN + 1)  # the cells in view (see _frame)
    drawing.draw_grid(ax, np.ones((1, drawn)), color="white")
    for first, color in enumerate(drawing.COPY_COLORS[:drawn]):  # as drawing.copy_color(0, n, i)
        columns = range(first, drawn, len(drawing.COPY_COLORS))
        drawing.highlight_cells(ax, [(0, n) for n in columns], color=color, alpha=0.5)
    # the framed copies' letters: their second cue beside the colour (the frames' line style)
    framed = [(0, n) for n in range(min(i, MAX_FRAMED))]
    drawing.draw_copy_letters(ax, framed, i, corner=drawn <= drawing.MAX_LABELLED)
    drawing.label_grid(ax, f"input {i}", min(i, MAX_SHOWN))  # centred in view


def _frame(top, bottom, top_cells: int, bottom_cells: int, *, end: str) -> None:
    """One cell the same width in both rows, so the sizes compare by eye.

    A row longer than :data:`MAX_SHOWN` cells is shown in part, from its ``end``
    (``"right"``: the last window of a convolution; ``"left"``: the first copies of a
    transposed one), and the Axes says how many cells are out of view.
    """
    width = min(max(top_cells, bottom_cells), MAX_SHOWN) + 1
    for ax, cells in ((top, top_cells), (bottom, bottom_cells)):
        left = ax.get_xlim()[0]
        hidden = cells - (width - 1)
        if hidden > 0 and end == "right":
            left += hidden
        ax.set_xlim(left, left + width)
        if hidden > 0:
            where = (0.0, "left", "first") if end == "right" else (1.0, "right", "last")
            ax.text(
                where[0], 1.01, f"⋯ {where[2]} {hidden} of {cells} cells not shown",
                transform=ax.transAxes, ha=where[1], va="bottom", fontsize=8,
                color=drawing.COLORS["faint"],
            )  # fmt: skip


def design_explorer(
    i: int = 28, o: int = 14, *, k: int | None = None, d: int | None = 1, direction: str = "conv"
) -> DesignExplorer:
    """Sliders for an input size and a target output size; the layers that connect them.

    Parameters
    ----------
    i : int, default=28
        Input size, 1 to 256.
    o : int, default=14
        Target output size, 1 to 256.
    k : int or None, default=None
        Kernel size to hold fixed (1 to 7), or None to search every one.
    d : int or None, default=1
        Dilation to hold fixed (1 to 4), or None to search every one.
    direction : {"conv", "transposed"}, default="conv"
        Solve for a ``Conv2d`` or for a ``ConvTranspose2d``.

    Returns
    -------
    DesignExplorer
        An :class:`Explorer` with controls ``direction, i, o, k, d, choice``: ``choice``
        walks the configurations, simplest first. ``.formula`` shows the chosen one's size
        formula and PyTorch line, ``.values`` the list, ``.image`` a one-row picture. When no
        configuration exists, ``.message`` says so and suggests what to change.

    Raises
    ------
    TypeError, ValueError
        If a starting value is not an int in its slider's range, or ``direction`` is not
        one of the two.

    Notes
    -----
    Introduced in notebook 08. Searches with :func:`helpers.arithmetic.conv_configs` and
    :func:`helpers.arithmetic.conv_transpose_configs` within ``k ≤ 7, s ≤ 4, d ≤ 4``.

    Examples
    --------
    >>> explorer = design_explorer(28, 14, k=3)
    >>> explorer.state.code
    'nn.Conv2d(C_in, C_out, kernel_size=3, stride=2, padding=1)'
    """
    check_choice("direction", direction, [value for _, value in DIRECTIONS])
    menus = {"k": (k, 7, "kernel size k"), "d": (d, 4, "dilation d")}
    controls = {
        "direction": choice_menu(DIRECTIONS, direction, "direction"),
        "i": int_slider("i", i, 1, MAX_SIZE, "input size i"),
        "o": int_slider("o", o, 1, MAX_SIZE, "target size o"),
    }
    for name, (value, high, label) in menus.items():
        if value is not None:
            int_slider(name, value, 1, high, label)  # validates the starting value
        options = [("any", None), *((str(n), n) for n in range(1, high + 1))]
        controls[name] = choice_menu(options, value, label)
    controls["choice"] = int_slider("choice", 0, 0, 0, "configuration #")
    return DesignExplorer(controls, figsize=(8.0, 2.2))
