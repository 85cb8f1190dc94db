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

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from helpers import arithmetic, drawing, reference
from helpers.arithmetic import SizeResult
from helpers.validation import check_bool, check_choice
from helpers.widgets.base import (
    MAX_LISTED,
    Explorer,
    ExplorerState,
    Settings,
    example_input,
    int_slider,
    position_slider,
    reuse_axes,
)
from helpers.widgets.controls import choice_menu
from helpers.widgets.text import HTML, TEXT, Markup, html_table, rule_message

__all__ = [
    "POOLING_POST_INPUT",
    "ConvExplorer",
    "PoolExplorer",
    "SlidingExplorer",
    "SlidingState",
    "conv_explorer",
    "pool_explorer",
    "pool_input",
]

#: The pooling blog post's 4 x 4 max-pooling example; the pool explorer's input starts with it.
POOLING_POST_INPUT = np.array(
    [[50, 77, 111, 94], [28, 80, 100, 40], [85, 79, 63, 74], [67, 55, 105, 123]]
)

#: Terms of a window's sum written out before the rest is elided with "…".
MAX_TERMS = 16


@dataclass(frozen=True, kw_only=True, eq=False)
class SlidingState(ExplorerState):
    """A sliding-window explorer's state.

    Parameters
    ----------
    x : ndarray, shape (i, i)
        The input, without padding.
    out : ndarray, shape (o, o) or None
        The output, computed by :mod:`helpers.reference`; None when impossible.
    """

    x: np.ndarray
    out: np.ndarray | None = None


def _position(step: int, out: np.ndarray) -> tuple[int, int]:
    """The output cell of position ``step`` in raster order (the last one if beyond)."""
    return divmod(min(step, out.size - 1), out.shape[1])


class SlidingExplorer(Explorer):
    """A window sliding over a padded square input, one output cell per position.

    Subclasses give the size rule (:meth:`size`), the input (:meth:`example`), the
    operation (:meth:`operate`), the padding value and the text of one window's result;
    the controls must include ``i, k, s, p, step, cell`` (``d`` is optional, default 1).
    """

    #: What to change when the window does not fit.
    ADVICE = "Make i or p larger, or k smaller."

    # ------------------------------------------------------------------ what subclasses give
    def size(self, v: Settings) -> SizeResult:
        """The output size by :mod:`helpers.arithmetic` for these control values."""
        raise NotImplementedError

    def example(self, i: int) -> np.ndarray:
        """The input grid of size ``i`` (without padding)."""
        raise NotImplementedError

    def operate(self, x: np.ndarray, v: Settings) -> np.ndarray:
        """The output of the layer on ``x``, by :mod:`helpers.reference`."""
        raise NotImplementedError

    def pad_value(self, v: Settings) -> float:
        """The padding's value (shown in the picture, used in the window's terms)."""
        return 0.0

    def window_text(self, terms: list[str], value: str, v: Settings, m: Markup) -> str:
        """The arithmetic of one window, e.g. ``"1 + 2 + 3 = <b>6</b>"``."""
        raise NotImplementedError

    def values_title(self, v: Settings, m: Markup) -> str:
        """The heading of the values table."""
        return m.bold("output")

    def ranges(self, v: Settings, size: SizeResult) -> dict:
        """The position sliders walk the output cells; greyed out when there is none."""
        o = size.value
        return {name: ((o or 1) ** 2 - 1, o is not None) for name in ("step", "cell")}

    def overhang(self, v: Settings) -> int:
        """Extra input columns kept in view on the right (a ceil-mode window overhanging)."""
        return 0

    # ------------------------------------------------------------------ state and picture
    def compute(self, settings: Settings) -> SlidingState:
        """The input, the output (None when impossible) and every line shown."""
        v, size = settings, self.size(settings)
        x = self.example(v.i)
        out = None if size.value is None else self.operate(x, v)

        def formula(m: Markup) -> str:
            line = f"{m.bold('o')} = {size.symbolic(compact=True)} = {m.bold(m.size(size, True))}"
            return line + (f" ({m.escape(size.note)})" if size.note else "")

        def values(m: Markup) -> list[str]:
            if out is None or size.value > MAX_LISTED:
                return []
            return [
                self.values_title(v, m),
                *([html_table(out, _position(v.step, out), None)] if m.html else []),
                self._window_line(v, x, out, m),
            ]

        return SlidingState(
            settings=v,
            size=size,
            message="" if size.ok else rule_message(size, self.ADVICE),
            formula=(formula(HTML),),
            values=tuple(values(HTML)),
            caption=(formula(TEXT), *values(TEXT)),
            ranges=self.ranges(v, size),
            x=x,
            out=out,
        )

    def _window_line(self, v: Settings, x: np.ndarray, out: np.ndarray, m: Markup) -> str:
        """``out[r, c] = ...``: the arithmetic of the current window."""
        current = _position(v.step, out)
        extent = v.i + 2 * v.p
        taps = drawing.window_taps(*current, v.k, v.s, v.get("d", 1))
        # ceil mode: taps past the right padding are outside the input and not counted
        taps = [(r, c) for r, c in taps if r < extent and c < extent]
        padded = np.pad(x.astype(float), v.p, constant_values=self.pad_value(v))
        terms = [drawing.format_value(padded[r, c]) for r, c in taps]
        value = drawing.format_value(out[current])
        return f"out[{current[0]}, {current[1]}] = {self.window_text(terms, value, v, m)}"

    def draw(self, fig: Figure, state: SlidingState) -> None:
        """The padded input with the current window, beside the output with its cell."""
        v, d, out = state.settings, state.settings.get("d", 1), state.out
        o = 1 if out is None else out.shape[0]
        ax_in, ax_out = reuse_axes(
            fig, 2, width_ratios=[v.i + 2 * v.p + self.overhang(v), max(o, 3)]
        )
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9, wspace=0.1)
        pad_label = drawing.format_value(self.pad_value(v))
        if out is None:
            drawing.draw_grid(
                ax_in, state.x, padding=v.p, pad_label=pad_label, title=f"input {v.i}×{v.i}"
            )
            drawing.draw_kernel_window(ax_in, 0, 0, v.k, v.s, d, color="#cc0000")
            ax_out.set_axis_off()
            return
        drawing.draw_sliding_window(
            ax_in,
            ax_out,
            state.x,
            out,
            k=v.k,
            s=v.s,
            p=v.p,
            d=d,
            step=min(v.step, o * o - 1),
            cell=min(v.cell, o * o - 1),
            pad_label=pad_label,
        )


# --------------------------------------------------------------------------- convolution
class ConvExplorer(SlidingExplorer):
    """Explorer of ``torch.nn.Conv2d`` arithmetic on a square input; see :func:`conv_explorer`."""

    ADVICE = "Make i or p larger, or k or d smaller."

    def size(self, v: Settings) -> SizeResult:
        """:func:`helpers.arithmetic.conv_size` of ``i, k, s, p, d``."""
        return arithmetic.conv_size(v.i, v.k, v.s, v.p, v.d)

    def example(self, i: int) -> np.ndarray:
        """:func:`~helpers.widgets.base.example_input`."""
        return example_input(i)

    def operate(self, x: np.ndarray, v: Settings) -> np.ndarray:
        """:func:`helpers.reference.conv2d` with a ``k x k`` kernel of ones."""
        weight = np.ones((1, 1, v.k, v.k), dtype=np.int64)
        return reference.conv2d(x[None], weight, stride=v.s, padding=v.p, dilation=v.d)[0]

    def window_text(self, terms: list[str], value: str, v: Settings, m: Markup) -> str:
        """The window's cells added up (elided after :data:`MAX_TERMS` terms)."""
        if len(terms) > MAX_TERMS:
            terms = [*terms[: MAX_TERMS - 1], "…"]
        return f"{' + '.join(terms)} = {m.bold(value)}"

    def values_title(self, v: Settings, m: Markup) -> str:
        """What each output cell is."""
        return (
            f"{m.bold('output')} (kernel of ones: each output is the sum of the cells under "
            "the window)"
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
    """The pool explorer's input: the pooling post's 4 x 4 example in the top-left corner.

    Parameters
    ----------
    size : int
        The grid is ``size x size``.

    Returns
    -------
    ndarray of int64, shape (size, size)
        :func:`~helpers.widgets.base.example_input` with values below 100, its top-left
        ``min(size, 4)`` square replaced by the pooling post's grid, so ``size=4`` is exactly
        the post's input.

    Examples
    --------
    >>> pool_input(4)[0].tolist()
    [50, 77, 111, 94]
    """
    x = example_input(size, high=100)
    n = min(size, 4)
    x[:n, :n] = POOLING_POST_INPUT[:n, :n]
    return x


class PoolExplorer(SlidingExplorer):
    """Explorer of ``MaxPool2d`` / ``AvgPool2d`` arithmetic; see :func:`pool_explorer`."""

    def ranges(self, v: Settings, size: SizeResult) -> dict:
        """PyTorch allows at most half the window as padding: the slider stops there."""
        return {"p": (arithmetic.max_pool_padding(v.k), True), **super().ranges(v, size)}

    def size(self, v: Settings) -> SizeResult:
        """:func:`helpers.arithmetic.pool_size` of ``i, k, s, p, ceil_mode``."""
        return arithmetic.pool_size(v.i, v.k, v.s, v.p, ceil_mode=v.ceil_mode)

    def example(self, i: int) -> np.ndarray:
        """:func:`pool_input`."""
        return pool_input(i)

    def operate(self, x: np.ndarray, v: Settings) -> np.ndarray:
        """:func:`helpers.reference.max_pool2d` or ``avg_pool2d``."""
        pool = reference.max_pool2d if v.mode == "max" else reference.avg_pool2d
        return pool(x[None], v.k, v.s, v.p, ceil_mode=v.ceil_mode)[0]

    def pad_value(self, v: Settings) -> float:
        """``−∞`` for max pooling (never the maximum), ``0`` for average pooling."""
        return -np.inf if v.mode == "max" else 0.0

    def overhang(self, v: Settings) -> int:
        """Room for a ceil-mode window that overhangs the right padding."""
        return v.k // 2

    def window_text(self, terms: list[str], value: str, v: Settings, m: Markup) -> str:
        """``max(a, b, ...)`` or ``(a + b + ...) / n`` of the window's cells."""
        if v.mode == "max":
            return f"max({', '.join(terms)}) = {m.bold(value)}"
        return f"({' + '.join(terms)}) / {len(terms)} = {m.bold(value)}"

    def values_title(self, v: Settings, m: Markup) -> str:
        """Which pooling."""
        return f"{m.bold('output')} ({v.mode} pooling)"


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
        mode, step, cell``. The input is :func:`pool_input` (the pooling post's grid when
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
    mode = check_choice("mode", mode, ("max", "avg"))
    ceil_mode = check_bool("ceil_mode", ceil_mode)
    k_slider = int_slider("k", k, 1, 6, "window size k")
    size = arithmetic.pool_size(i, k, s, p, ceil_mode=ceil_mode)
    if size.error is not None and size.error.parameter == "p":  # the slider would clamp it
        raise size.error
    controls = {
        "i": int_slider("i", i, 1, 12, "input size i"),
        "k": k_slider,
        "s": int_slider("s", s, 1, 6, "stride s"),
        "p": int_slider("p", p, 0, 3, "padding p"),
        "mode": choice_menu(["max", "avg"], mode, "mode"),
        "ceil_mode": widgets.Checkbox(value=ceil_mode, description="ceil_mode"),
        "step": position_slider("step (window)"),
        "cell": position_slider("cell (receptive field)"),
    }
    return PoolExplorer(controls)
