"""Sliding-window explorers: convolution (notebook 01) and pooling (notebook 02).

Both slide a ``k x k`` window over a padded square input and write one output cell per
window position; they differ in the size rule (:func:`helpers.arithmetic.conv_size` or
:func:`helpers.arithmetic.pool_size`), in what a window computes (a sum under a kernel of
ones, a maximum, a mean) and in the padding's value (``0`` or ``−∞``). :class:`SlidingExplorer`
holds everything they share: the slider ranges, the formula line, the picture
(:func:`helpers.drawing.draw_sliding_window`) and the values; :class:`ConvExplorer` and
:class:`PoolExplorer` fill in the differences.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from helpers import arithmetic, drawing, reference
from helpers.arithmetic import SizeResult
from helpers.widgets.base import (
    MAX_LISTED,
    Explorer,
    ExplorerState,
    Settings,
    example_input,
    int_slider,
    position_slider,
    set_range,
)
from helpers.widgets.render import reuse_axes
from helpers.widgets.text import html_table, rule_message

__all__ = [
    "SEED_000_INPUT",
    "ConvExplorer",
    "PoolExplorer",
    "SlidingExplorer",
    "SlidingState",
    "conv_explorer",
    "pool_explorer",
    "pool_input",
]

#: Seed 000's 4 x 4 max-pooling example; the pool explorer's input starts with it.
SEED_000_INPUT = np.array(
    [[50, 77, 111, 94], [28, 80, 100, 40], [85, 79, 63, 74], [67, 55, 105, 123]]
)

#: Terms of a window's sum written out before the rest is elided with "…".
MAX_TERMS = 16


@dataclass(frozen=True, kw_only=True, eq=False)
class SlidingState(ExplorerState):
    """A sliding-window explorer's computed state.

    Parameters
    ----------
    output_size : int
        The output size (square output).
    size : SizeResult
        The arithmetic's answer behind it.
    x : ndarray, shape (i, i)
        The input, without padding.
    out : ndarray, shape (output_size, output_size)
        The output, computed by :mod:`helpers.reference`.
    """

    x: np.ndarray
    out: np.ndarray


class SlidingExplorer(Explorer):
    """A window sliding over a padded square input, one output cell per position.

    Subclasses give the size rule (:meth:`size`), the input (:meth:`example`), the
    operation (:meth:`operate`), the padding value and the text of one window's result;
    the controls must include ``i, k, s, p, step, cell`` (``d`` is optional, default 1).
    """

    STEP_CONTROL = "step"
    REUSE_AXES = True
    #: What to change when the window does not fit.
    ADVICE = "Make i or p larger, or k smaller."

    # ------------------------------------------------------------------ what subclasses give
    def size(self, params: Settings) -> SizeResult:
        """The output size by :mod:`helpers.arithmetic` for these control values."""
        raise NotImplementedError

    def example(self, i: int) -> np.ndarray:
        """The input grid of size ``i`` (without padding)."""
        raise NotImplementedError

    def operate(self, x: np.ndarray, params: Settings) -> np.ndarray:
        """The output of the layer on ``x``, by :mod:`helpers.reference`."""
        raise NotImplementedError

    def pad_value(self, params: Settings) -> float:
        """The padding's value (shown in the picture, used in the window's terms)."""
        return 0.0

    def window_text(self, terms: list[str], value: str, params: Settings) -> str:
        """The arithmetic of one window, e.g. ``"1 + 2 + 3 = <b>6</b>"``."""
        raise NotImplementedError

    def values_title(self, params: Settings) -> str:
        """The heading of the values table."""
        return "<b>output</b>"

    def overhang(self, params: Settings) -> int:
        """Extra input columns kept in view on the right (a ceil-mode window overhanging)."""
        return 0

    # ------------------------------------------------------------------ the shared hooks
    def adapt_ranges(self, params: Settings) -> None:
        """Let the position sliders walk the output cells; grey them out when there is none."""
        o = self.size(params).value
        for name in ("step", "cell"):
            set_range(self.controls[name], (o or 1) ** 2 - 1, enabled=o is not None)

    def compute(self, params: Settings) -> SlidingState:
        """The input and the output; raises the arithmetic's error when there is no output."""
        size = self.size(params)
        if size.value is None:
            raise size.error
        x = self.example(params.i)
        return SlidingState(output_size=size.value, size=size, x=x, out=self.operate(x, params))

    def formula_html(self, params: Settings, result: SlidingState | None) -> str:
        """The formula in letters, then with the numbers and the result (or why there is none)."""
        size = self.size(params) if result is None else result.size
        text = f"<b>o</b> = {size.symbolic(compact=True)} = <b>{size.html(compact=True)}</b>"
        return text + (f" ({html.escape(size.note)})" if size.note else "")

    def explain(self, error: Exception, params: Settings) -> str:
        """The rule the combination breaks, as :mod:`helpers.arithmetic` words it."""
        return rule_message(self.size(params), self.ADVICE)

    def _pad_label(self, params: Settings) -> str:
        return drawing.format_value(self.pad_value(params))

    def draw(self, fig: Figure, params: Settings, result: SlidingState | None) -> None:
        """The padded input with the current window, beside the output with its cell."""
        v, d = params, params.get("d", 1)
        o = 1 if result is None else result.output_size
        ax_in, ax_out = reuse_axes(
            fig, 2, width_ratios=[v.i + 2 * v.p + self.overhang(v), max(o, 3)]
        )
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9, wspace=0.1)
        if result is None:
            drawing.draw_grid(
                ax_in,
                self.example(v.i),
                padding=v.p,
                pad_label=self._pad_label(v),
                title=f"input {v.i}×{v.i}",
            )
            drawing.draw_kernel_window(ax_in, 0, 0, v.k, v.s, d, color="#cc0000")
            ax_out.set_axis_off()
            return
        drawing.draw_sliding_window(
            ax_in,
            ax_out,
            result.x,
            result.out,
            k=v.k,
            s=v.s,
            p=v.p,
            d=d,
            step=v.step,
            cell=v.cell,
            pad_label=self._pad_label(v),
        )

    def values_html(self, params: Settings, result: SlidingState) -> str:
        """The output table, the current cell marked, and the arithmetic of its window."""
        v, o = params, result.output_size
        if o > MAX_LISTED:
            return ""
        current = divmod(v.step, o)
        extent = v.i + 2 * v.p
        taps = drawing.window_taps(*current, v.k, v.s, v.get("d", 1))
        # ceil mode: taps past the right padding are outside the input and not counted
        taps = [(r, c) for r, c in taps if r < extent and c < extent]
        padded = np.pad(result.x.astype(float), v.p, constant_values=self.pad_value(v))
        terms = [drawing.format_value(padded[r, c]) for r, c in taps]
        value = drawing.format_value(result.out[current])
        return (
            f"<div style='margin-left:1em'>{self.values_title(v)}<br>"
            f"{html_table(result.out, current, None)}<br>"
            f"out[{current[0]}, {current[1]}] = {self.window_text(terms, value, v)}</div>"
        )


# --------------------------------------------------------------------------- convolution
class ConvExplorer(SlidingExplorer):
    """Explorer of ``torch.nn.Conv2d`` arithmetic on a square input; see :func:`conv_explorer`."""

    ADVICE = "Make i or p larger, or k or d smaller."

    def size(self, params: Settings) -> SizeResult:
        """:func:`helpers.arithmetic.conv_size` of ``i, k, s, p, d``."""
        return arithmetic.conv_size(params.i, params.k, params.s, params.p, params.d)

    def example(self, i: int) -> np.ndarray:
        """:func:`~helpers.widgets.base.example_input`."""
        return example_input(i)

    def operate(self, x: np.ndarray, params: Settings) -> np.ndarray:
        """:func:`helpers.reference.conv2d` with a ``k x k`` kernel of ones."""
        weight = np.ones((1, 1, params.k, params.k), dtype=np.int64)
        return reference.conv2d(
            x[None], weight, stride=params.s, padding=params.p, dilation=params.d
        )[0]

    def window_text(self, terms: list[str], value: str, params: Settings) -> str:
        """The window's cells added up (elided after :data:`MAX_TERMS` terms)."""
        if len(terms) > MAX_TERMS:
            terms = [*terms[: MAX_TERMS - 1], "…"]
        return f"{' + '.join(terms)} = <b>{value}</b>"

    def values_title(self, params: Settings) -> str:
        """What each output cell is."""
        return (
            "<b>output</b> (kernel of ones: each output is the sum of the cells under the window)"
        )


def conv_explorer(i: int = 5, k: int = 3, s: int = 1, p: int = 0, d: int = 1) -> ConvExplorer:
    """Sliders for a 2-D convolution's input size, kernel, stride, padding and dilation.

    Parameters
    ----------
    i : int, default=5
        Input size (square input), 1 to 12.
    k : int, default=3
        Kernel size, 1 to 7.
    s : int, default=1
        Stride, 1 to 4.
    p : int, default=0
        Zero padding on each side, 0 to 4.
    d : int, default=1
        Dilation, 1 to 4.

    Returns
    -------
    ConvExplorer
        An :class:`~helpers.widgets.base.Explorer` with controls ``i, k, s, p, d`` and
        ``step`` (the output position whose window is drawn, in raster order) and ``cell``
        (the output position whose receptive field is shaded). The input is
        :func:`~helpers.widgets.base.example_input`, the kernel all ones, the output
        computed by :func:`helpers.reference.conv2d`, the size by
        :func:`helpers.arithmetic.conv_size`.

    Raises
    ------
    TypeError
        If a starting value is not an int.
    ValueError
        If a starting value is outside its slider's range.

    Notes
    -----
    Introduced in notebook 01. A kernel larger than the padded input can be picked;
    ``.message`` then names the rule instead of showing a traceback.

    Examples
    --------
    >>> explorer = conv_explorer(i=5, k=3, s=2, p=1)
    >>> explorer.output_size
    3
    """
    controls = {
        "i": int_slider("i", i, 1, 12, "input size i"),
        "k": int_slider("k", k, 1, 7, "kernel size k"),
        "s": int_slider("s", s, 1, 4, "stride s"),
        "p": int_slider("p", p, 0, 4, "padding p"),
        "d": int_slider("d", d, 1, 4, "dilation d"),
        "step": position_slider("step (window)"),
        "cell": position_slider("cell (receptive field)"),
    }
    return ConvExplorer(controls)


# --------------------------------------------------------------------------- pooling
def pool_input(size: int) -> np.ndarray:
    """The pool explorer's input: seed 000's 4 x 4 example in the top-left corner.

    Parameters
    ----------
    size : int
        The grid is ``size x size``.

    Returns
    -------
    ndarray of int64, shape (size, size)
        :func:`~helpers.widgets.base.example_input` with values below 100, its top-left
        ``min(size, 4)`` square replaced by seed 000's grid, so ``size=4`` is exactly seed
        000's input.

    Examples
    --------
    >>> pool_input(4)[0].tolist()
    [50, 77, 111, 94]
    """
    x = example_input(size, high=100)
    n = min(size, 4)
    x[:n, :n] = SEED_000_INPUT[:n, :n]
    return x


class PoolExplorer(SlidingExplorer):
    """Explorer of ``MaxPool2d`` / ``AvgPool2d`` arithmetic; see :func:`pool_explorer`."""

    def adapt_ranges(self, params: Settings) -> None:
        """PyTorch allows at most half the window as padding: the slider stops there."""
        set_range(self.controls["p"], arithmetic.max_pool_padding(params.k))
        super().adapt_ranges(Settings(self.params()))

    def size(self, params: Settings) -> SizeResult:
        """:func:`helpers.arithmetic.pool_size` of ``i, k, s, p, ceil_mode``."""
        return arithmetic.pool_size(
            params.i, params.k, params.s, params.p, ceil_mode=params.ceil_mode
        )

    def example(self, i: int) -> np.ndarray:
        """:func:`pool_input`."""
        return pool_input(i)

    def operate(self, x: np.ndarray, params: Settings) -> np.ndarray:
        """:func:`helpers.reference.max_pool2d` or ``avg_pool2d``."""
        pool = reference.max_pool2d if params.mode == "max" else reference.avg_pool2d
        return pool(x[None], params.k, params.s, params.p, ceil_mode=params.ceil_mode)[0]

    def pad_value(self, params: Settings) -> float:
        """``−∞`` for max pooling (never the maximum), ``0`` for average pooling."""
        return -np.inf if params.mode == "max" else 0.0

    def overhang(self, params: Settings) -> int:
        """Room for a ceil-mode window that overhangs the right padding."""
        return params.k // 2

    def window_text(self, terms: list[str], value: str, params: Settings) -> str:
        """``max(a, b, ...)`` or ``(a + b + ...) / n`` of the window's cells."""
        if params.mode == "max":
            return f"max({', '.join(terms)}) = <b>{value}</b>"
        return f"({' + '.join(terms)}) / {len(terms)} = <b>{value}</b>"

    def values_title(self, params: Settings) -> str:
        """Which pooling."""
        return f"<b>output</b> ({params.mode} pooling)"


def pool_explorer(
    i: int = 4,
    k: int = 2,
    s: int | None = 2,
    p: int = 0,
    ceil_mode: bool = False,
    mode: str = "max",
) -> PoolExplorer:
    """Sliders for max or average pooling: input size, window, stride, padding, ceil_mode.

    Parameters
    ----------
    i : int, default=4
        Input size (square input), 1 to 12.
    k : int, default=2
        Window size, 1 to 6.
    s : int or None, default=2
        Stride, 1 to 6; ``None`` means ``s = k``, PyTorch's default.
    p : int, default=0
        Padding on each side, at most ``k // 2`` (PyTorch's rule; the slider stops there).
    ceil_mode : bool, default=False
        Round the window count up.
    mode : {"max", "avg"}, default="max"
        Max or average pooling.

    Returns
    -------
    PoolExplorer
        An :class:`~helpers.widgets.base.Explorer` with controls ``i, k, s, p, ceil_mode,
        mode, step, cell``. The input is :func:`pool_input` (seed 000's grid when
        ``i = 4``), the output computed by :func:`helpers.reference.max_pool2d` or
        ``avg_pool2d`` (``count_include_pad=True``, PyTorch's default), the size by
        :func:`helpers.arithmetic.pool_size`.

    Raises
    ------
    TypeError
        If a starting value is not an int, or ``ceil_mode`` not a bool.
    ValueError
        If a starting value is outside its slider's range, ``p > k // 2``, or ``mode``
        is not ``"max"`` or ``"avg"``.

    Notes
    -----
    Introduced in notebook 02.

    Examples
    --------
    >>> pool_explorer().output_size
    2
    """
    if s is None:
        s = k
    if mode not in ("max", "avg"):
        raise ValueError(f"mode={mode!r} is invalid: must be 'max' or 'avg'")
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"ceil_mode={ceil_mode!r} is invalid: must be a bool")
    k_slider = int_slider("k", k, 1, 6, "window size k")
    if isinstance(p, int) and p > arithmetic.max_pool_padding(k):
        limit = arithmetic.max_pool_padding(k)
        raise ValueError(f"p={p} is invalid: pooling padding must be at most k // 2 = {limit}")
    controls = {
        "i": int_slider("i", i, 1, 12, "input size i"),
        "k": k_slider,
        "s": int_slider("s", s, 1, 6, "stride s"),
        "p": int_slider("p", p, 0, 3, "padding p"),
        "mode": widgets.ToggleButtons(
            options=["max", "avg"], value=mode, description="mode", style={"button_width": "60px"}
        ),
        "ceil_mode": widgets.Checkbox(value=ceil_mode, description="ceil_mode"),
        "step": position_slider("step (window)"),
        "cell": position_slider("cell (receptive field)"),
    }
    return PoolExplorer(controls)
