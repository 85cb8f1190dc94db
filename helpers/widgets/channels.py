"""The channels explorer (notebook 05): input and output channels, groups, the weight's shape.

One layer's channel wiring: which input channels feed which output channels (one colour
per group), its weight shape and its parameter count, for ``torch.nn.Conv2d`` and
``torch.nn.ConvTranspose2d``. Shapes and counts come from :mod:`helpers.channels`, the
pictures from :mod:`helpers.drawing`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from helpers import channels as channels_lesson
from helpers import drawing
from helpers.widgets.base import (
    Explorer,
    ExplorerState,
    Settings,
    int_slider,
    set_range,
)
from helpers.widgets.render import reuse_axes

__all__ = ["LAYERS", "ChannelsExplorer", "ChannelsState", "channels_explorer"]

#: The two layers the channels explorer describes, as ``torch.nn`` names them.
LAYERS = ("Conv2d", "ConvTranspose2d")


@dataclass(frozen=True, kw_only=True, eq=False)
class ChannelsState(ExplorerState):
    """The channels explorer's computed state.

    Parameters
    ----------
    output_size : None
        The explorer has no spatial input, so no output size.
    weight_shape : tuple of int
        ``torch.nn.<layer>(...).weight.shape``.
    param_count : int
        Weights and biases of the layer.
    connectivity : ndarray of bool, shape (C_out, C_in)
        :func:`helpers.channels.channel_connectivity`: which inputs feed which outputs.
    """

    weight_shape: tuple[int, int, int, int]
    param_count: int
    connectivity: np.ndarray


class ChannelsExplorer(Explorer):
    """Explorer of a layer's channels and groups; see :func:`channels_explorer`.

    :attr:`weight_shape` is the weight shape (a 4-tuple, as ``layer.weight.shape``) and
    :attr:`param_count` the number of parameters; both ``None`` when ``groups`` does
    not divide the channels. ``.output_size`` is always ``None``: the layer's output size
    depends on an input size, which this explorer does not have.
    """

    SUMMARY = "weight_shape"
    REUSE_AXES = True

    @property
    def weight_shape(self) -> tuple[int, int, int, int] | None:
        """The current layer's weight shape (``None`` when the layer cannot exist)."""
        return None if self.state is None else self.state.weight_shape

    @property
    def param_count(self) -> int | None:
        """Weights and biases of the current layer (``None`` when it cannot exist)."""
        return None if self.state is None else self.state.param_count

    def adapt_ranges(self, params: Settings) -> None:
        """Groups larger than either channel count never divide it: the slider stops there."""
        set_range(self.controls["groups"], min(params.c_in, params.c_out))

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
            self._settle_ranges()
            super().set(**values)
        return self

    def compute(self, params: Settings) -> ChannelsState:
        """Weight shape and parameter count; ``ValueError`` when groups do not divide."""
        v = params
        shape_of = (
            channels_lesson.conv_weight_shape
            if v.layer == "Conv2d"
            else channels_lesson.conv_transpose_weight_shape
        )
        return ChannelsState(
            output_size=None,
            weight_shape=shape_of(v.c_in, v.c_out, v.k, v.groups),
            param_count=channels_lesson.conv_param_count(v.c_in, v.c_out, v.k, v.groups),
            connectivity=channels_lesson.channel_connectivity(v.c_in, v.c_out, v.groups),
        )

    def formula_html(self, params: Settings, result: ChannelsState | None) -> str:
        """The weight shape and the parameter count, in letters and with the numbers."""
        v = params
        if v.layer == "Conv2d":
            symbols = "(C_out, C_in/groups, k, k)"
            numbers = f"({v.c_out}, {v.c_in}/{v.groups}, {v.k}, {v.k})"
            count = f"{v.k}·{v.k}·{v.c_in // v.groups}·{v.c_out} + {v.c_out}"
            count_symbols = "k·k·(C_in/groups)·C_out + C_out"
        else:
            symbols = "(C_in, C_out/groups, k, k)"
            numbers = f"({v.c_in}, {v.c_out}/{v.groups}, {v.k}, {v.k})"
            count = f"{v.k}·{v.k}·{v.c_in}·{v.c_out // v.groups} + {v.c_out}"
            count_symbols = "k·k·C_in·(C_out/groups) + C_out"
        weight = f"<b>weight</b> {symbols} = {numbers}"
        if result is None:
            return f"{weight}: not whole numbers, so there is no such layer"
        shape = ", ".join(str(n) for n in result.weight_shape)
        return (
            f'{weight} = <b><span class="weight-shape">({shape})</span></b><br>'
            f"<b>parameters</b> = {count_symbols} = {count} = "
            f'<b><span class="param-count">{result.param_count}</span></b>'
        )

    def explain(self, error: Exception, params: Settings) -> str:
        """The refusal, and the groups that would work."""
        c_in, c_out = params.c_in, params.c_out
        fits = [g for g in range(1, min(c_in, c_out) + 1) if c_in % g == 0 and c_out % g == 0]
        return (
            f"{html.escape(str(error))} (PyTorch refuses it too). "
            f"groups that divide both {c_in} and {c_out}: {', '.join(map(str, fits))}."
        )

    def draw(self, fig: Figure, params: Settings, result: ChannelsState | None) -> None:
        """The channel wiring beside the grid of kernels."""
        v = params
        ax_links, ax_blocks = reuse_axes(fig, 2, width_ratios=[3, 2])
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.88, wspace=0.15)
        if result is None:
            nothing = np.zeros((v.c_out, v.c_in), dtype=bool)  # the channels, no lines
            drawing.draw_channel_connectivity(
                ax_links, nothing, title=f"groups={v.groups}: no such layer"
            )
            ax_blocks.set_axis_off()
            return
        kernels = int(result.connectivity.sum())
        drawing.draw_channel_connectivity(
            ax_links,
            result.connectivity,
            title=f"{kernels} lines = {kernels} kernels of {v.k}×{v.k}",
        )
        drawing.draw_weight_blocks(
            ax_blocks, result.connectivity, title="weight: a cell per kernel"
        )

    def values_html(self, params: Settings, result: ChannelsState) -> str:
        """Each output channel as a sum of single-channel (transposed) convolutions."""
        v = params
        transposed = v.layer != "Conv2d"
        star = "⋆ᵀ" if transposed else "⋆"
        lines = []
        for inputs, outputs in channels_lesson.channel_groups(v.c_in, v.c_out, v.groups):
            for j, o in enumerate(outputs):
                terms = [
                    f"x{c} {star} w[{c}, {j}]" if transposed else f"x{c} {star} w[{o}, {i}]"
                    for i, c in enumerate(inputs)
                ]
                lines.append(f"y{o} = {' + '.join(terms)} + b[{o}]")
        operation = "transposed convolution" if transposed else "convolution"
        return (
            f"<div style='margin-left:1em;font-family:monospace;font-size:90%'>"
            f"<b>each output channel</b> ({star} = one single-channel {operation})<br>"
            + "<br>".join(lines)
            + "</div>"
        )


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
    if layer not in LAYERS:
        raise ValueError(f"layer={layer!r} is invalid: must be one of {LAYERS}")
    controls = {
        "c_in": int_slider("c_in", c_in, 1, 8, "input channels C_in"),
        "c_out": int_slider("c_out", c_out, 1, 8, "output channels C_out"),
        "groups": int_slider("groups", groups, 1, min(c_in, c_out), "groups"),
        "k": int_slider("k", k, 1, 5, "kernel size k"),
        "layer": widgets.ToggleButtons(
            options=list(LAYERS), value=layer, description="layer", style={"button_width": "120px"}
        ),
    }
    return ChannelsExplorer(controls, figsize=(7.0, 3.0))
