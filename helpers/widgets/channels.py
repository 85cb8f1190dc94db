"""The channels explorer (notebook 05): input and output channels, groups, the weight's shape.

One layer's channel wiring: which input channels feed which output channels (one colour
per group), its weight shape and its parameter count, for ``torch.nn.Conv2d`` and
``torch.nn.ConvTranspose2d``. Shapes and counts come from :mod:`helpers.channels`, the
pictures from :mod:`helpers.drawing`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from helpers import channels as channels_lesson
from helpers import drawing
from helpers.arithmetic.formula import render
from helpers.validation import ShapeRuleError, check_choice
from helpers.widgets.base import Explorer, ExplorerState, Settings, int_slider, reuse_axes
from helpers.widgets.controls import choice_menu
from helpers.widgets.text import HTML, TEXT, Markup

__all__ = ["LAYERS", "ChannelsExplorer", "ChannelsState", "channels_explorer"]

#: The two layers the channels explorer describes, as ``torch.nn`` names them.
LAYERS = ("Conv2d", "ConvTranspose2d")


@dataclass(frozen=True, kw_only=True, eq=False)
class ChannelsState(ExplorerState):
    """The channels explorer's state (no output size: the explorer has no spatial input).

    Parameters
    ----------
    weight_shape : tuple of int or None
        ``torch.nn.<layer>(...).weight.shape``; None when PyTorch refuses the layer.
    param_count : int or None
        Weights and biases of the layer.
    connectivity : ndarray of bool, shape (C_out, C_in), or None
        :func:`helpers.channels.channel_connectivity`: which inputs feed which outputs.
    """

    weight_shape: tuple[int, int, int, int] | None = None
    param_count: int | None = None
    connectivity: np.ndarray | None = None


def _layer_lines(v: Settings, state_shape, count, m: Markup) -> list[str]:
    """The weight shape and parameter count, in letters and with the numbers (templates)."""
    prefix = "conv" if v.layer == "Conv2d" else "conv_transpose"
    letters = {"c_in": "C_in", "c_out": "C_out", "groups": "groups", "k": "k"}
    numbers = {"c_in": v.c_in, "c_out": v.c_out, "groups": v.groups, "k": v.k}
    weight = (
        f"{m.bold('weight')} {render(prefix + '_weight', letters)} = "
        f"{render(prefix + '_weight', numbers)}"
    )
    if state_shape is None:
        return [f"{weight}: not whole numbers, so there is no such layer"]
    shape = "(" + ", ".join(str(n) for n in state_shape) + ")"
    params = f"{render(prefix + '_params', letters)} = {render(prefix + '_params', numbers)}"
    if m.html:
        shape = f'<span class="weight-shape">{shape}</span>'
        count = f'<span class="param-count">{count}</span>'
    return [f"{weight} = {m.bold(shape)}", f"{m.bold('parameters')} = {params} = {m.bold(count)}"]


def _sum_lines(v: Settings, m: Markup) -> list[str]:
    """Each output channel as a sum of single-channel (transposed) convolutions."""
    transposed = v.layer != "Conv2d"
    star = "⋆ᵀ" if transposed else "⋆"
    operation = "transposed convolution" if transposed else "convolution"
    lines = [f"{m.bold('each output channel')} ({star} = one single-channel {operation})"]
    for inputs, outputs in channels_lesson.channel_groups(v.c_in, v.c_out, v.groups):
        for j, o in enumerate(outputs):
            terms = [
                f"x{c} {star} w[{c}, {j}]" if transposed else f"x{c} {star} w[{o}, {i}]"
                for i, c in enumerate(inputs)
            ]
            lines.append(f"y{o} = {' + '.join(terms)} + b[{o}]")
    return lines


class ChannelsExplorer(Explorer):
    """Explorer of a layer's channels and groups; see :func:`channels_explorer`.

    :attr:`weight_shape` is the weight shape (a 4-tuple, as ``layer.weight.shape``) and
    :attr:`param_count` the number of parameters; both ``None`` when ``groups`` does
    not divide the channels. ``.output_size`` is always ``None``: the layer's output size
    depends on an input size, which this explorer does not have.
    """

    @property
    def weight_shape(self) -> tuple[int, int, int, int] | None:
        """The current layer's weight shape (``None`` when the layer cannot exist)."""
        return self.state.weight_shape

    @property
    def param_count(self) -> int | None:
        """Weights and biases of the current layer (``None`` when it cannot exist)."""
        return self.state.param_count

    def set(self, **values) -> ChannelsExplorer:
        """Set several controls, the channel counts first, then redraw once.

        The ``groups`` slider's range follows the channel counts, so they are set and
        the range adapted before ``groups``: ``set(c_in=8, c_out=8, groups=8)`` works
        from any starting point instead of clamping ``groups`` to the old range.

        Returns
        -------
        ChannelsExplorer
            ``self``, to chain or display.

        Raises
        ------
        ValueError
            If a name is not a control (nothing is changed then).
        """
        if set(values) - set(self.controls):
            return super().set(**values)  # raises, naming the unknown controls
        with self.hold():
            for name in ("c_in", "c_out"):
                if name in values:
                    self.controls[name].value = values.pop(name)
            self._settle()
            super().set(**values)
        return self

    def compute(self, settings: Settings) -> ChannelsState:
        """Weight shape, parameter count and wiring; a message when groups do not divide."""
        v = settings
        ranges = {"groups": (min(v.c_in, v.c_out), True)}
        try:
            channels_lesson.check_groups(v.c_in, v.c_out, v.groups)
        except ShapeRuleError as error:  # PyTorch's rule, worded once in helpers.channels
            fits = [
                g for g in range(1, min(v.c_in, v.c_out) + 1) if not (v.c_in % g or v.c_out % g)
            ]
            message = (
                f"{error} (PyTorch refuses it too). groups that divide both {v.c_in} and "
                f"{v.c_out}: {', '.join(map(str, fits))}."
            )
            formula = _layer_lines(v, None, None, HTML)
            return ChannelsState(
                settings=v,
                message=message,
                formula=tuple(formula),
                caption=tuple(_layer_lines(v, None, None, TEXT)),
                ranges=ranges,
                summary="weight_shape=None",
            )
        shape_of = (
            channels_lesson.conv_weight_shape
            if v.layer == "Conv2d"
            else channels_lesson.conv_transpose_weight_shape
        )
        shape = shape_of(v.c_in, v.c_out, v.k, v.groups)
        count = channels_lesson.conv_param_count(v.c_in, v.c_out, v.k, v.groups)
        return ChannelsState(
            settings=v,
            formula=tuple(_layer_lines(v, shape, count, HTML)),
            values=tuple(_sum_lines(v, HTML)),
            caption=(*_layer_lines(v, shape, count, TEXT), *_sum_lines(v, TEXT)),
            ranges=ranges,
            summary=f"weight_shape={shape}",
            weight_shape=shape,
            param_count=count,
            connectivity=channels_lesson.channel_connectivity(v.c_in, v.c_out, v.groups),
        )

    def draw(self, fig: Figure, state: ChannelsState) -> None:
        """The channel wiring beside the grid of kernels."""
        v = state.settings
        ax_links, ax_blocks = reuse_axes(fig, 2, width_ratios=[3, 2])
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.88, wspace=0.15)
        if state.connectivity is None:
            nothing = np.zeros((v.c_out, v.c_in), dtype=bool)  # the channels, no lines
            drawing.draw_channel_connectivity(
                ax_links, nothing, title=f"groups={v.groups}: no such layer"
            )
            ax_blocks.set_axis_off()
            return
        kernels = int(state.connectivity.sum())
        drawing.draw_channel_connectivity(
            ax_links,
            state.connectivity,
            title=f"{kernels} lines = {kernels} kernels of {v.k}×{v.k}",
        )
        drawing.draw_weight_blocks(ax_blocks, state.connectivity, title="weight: a cell per kernel")


def channels_explorer(
    c_in: int = 2, c_out: int = 3, groups: int = 1, k: int = 3, layer: str = "Conv2d"
) -> ChannelsExplorer:
    """Sliders for input and output channels, groups and kernel size of one layer.

    Parameters
    ----------
    c_in : int, default=2
        Input channels, 1 to 8.
    c_out : int, default=3
        Output channels, 1 to 8.
    groups : int, default=1
        1 to ``min(c_in, c_out)`` (the slider stops there); a value that does not
        divide both channel counts shows ``.message`` instead of a layer.
    k : int, default=3
        Kernel size (square), 1 to 5.
    layer : {"Conv2d", "ConvTranspose2d"}, default="Conv2d"
        Which weight layout to show; the parameter count is the same for both.

    Returns
    -------
    ChannelsExplorer
        An :class:`~helpers.widgets.base.Explorer` with controls ``c_in, c_out, groups,
        k, layer``. :attr:`ChannelsExplorer.weight_shape` is ``(C_out, C_in/groups, k,
        k)`` for ``Conv2d`` and ``(C_in, C_out/groups, k, k)`` for ``ConvTranspose2d``
        (the value of ``torch.nn.<layer>(...).weight.shape``), or ``None`` when PyTorch
        would refuse the layer. ``.formula`` shows that shape (in a ``weight-shape``
        span) and, on a second line, the parameter count ``k·k·(C_in/groups)·C_out +
        C_out`` with its numbers (in a ``param-count`` span, also
        :attr:`ChannelsExplorer.param_count`). The picture joins every input channel
        to the output channels it feeds, one colour per group, next to the
        ``C_out x C_in`` grid of kernels; ``.values`` writes each output channel as a
        sum of single-channel convolutions.

    Raises
    ------
    TypeError
        If a starting value is not an int.
    ValueError
        If a starting value is outside its slider's range, or ``layer`` is unknown.

    Notes
    -----
    Introduced in notebook 05.

    Examples
    --------
    >>> explorer = channels_explorer(c_in=4, c_out=6, groups=2)
    >>> explorer.weight_shape, explorer.param_count
    ((6, 2, 3, 3), 114)
    >>> explorer.set(groups=4).message.value != "", explorer.weight_shape
    (True, None)
    """
    check_choice("layer", layer, LAYERS)
    controls = {
        "c_in": int_slider("c_in", c_in, 1, 8, "input channels C_in"),
        "c_out": int_slider("c_out", c_out, 1, 8, "output channels C_out"),
        "groups": int_slider("groups", groups, 1, min(c_in, c_out), "groups"),
        "k": int_slider("k", k, 1, 5, "kernel size k"),
        "layer": choice_menu(LAYERS, layer, "layer"),
    }
    return ChannelsExplorer(controls, figsize=(7.0, 3.0))
