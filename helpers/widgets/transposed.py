"""Transposed-convolution explorers (notebook 04): the scattered copies, and the checkerboard.

:class:`TransposedExplorer` shows how every input element scatters a scaled copy of the
kernel into a buffer, the copies summed, then ``p`` cells carved off each side;
:class:`CheckerboardExplorer` counts how many copies cover each output cell, the uneven
pattern behind checkerboard artifacts. The arrays come from :mod:`helpers.transposed` and
:mod:`helpers.reference`, the sizes from :func:`helpers.arithmetic.conv_transpose_size`,
the pictures from :mod:`helpers.drawing`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from helpers import arithmetic, drawing, reference
from helpers import transposed as transposed_lesson
from helpers.arithmetic import SizeResult
from helpers.widgets.base import (
    MAX_LISTED,
    Explorer,
    ExplorerState,
    Settings,
    int_slider,
    position_slider,
    reuse_axes,
)
from helpers.widgets.text import HTML, TEXT, Markup, html_table, rule_message

__all__ = [
    "GAP",
    "CheckerboardExplorer",
    "CheckerboardState",
    "TransposedExplorer",
    "TransposedState",
    "checkerboard_explorer",
    "transposed_example",
    "transposed_explorer",
]

#: Empty cells between the grids that share one Axes.
GAP = 1.5


def transposed_example(i: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The transposed explorer's input and kernel: the study notes' 2-D example when ``i=2, k=3``.

    Parameters
    ----------
    i : int
        Input size (square).
    k : int
        Kernel size (square).

    Returns
    -------
    x : ndarray of int64, shape (i, i)
        ``1, 2, ..., i*i`` row by row, so every copy is easy to tell apart.
    weight : ndarray of int64, shape (k, k)
        A top row of ones, a bottom row of minus ones (a horizontal-edge kernel),
        zeros between; ``[[1]]`` when ``k = 1``.

    Examples
    --------
    >>> x, w = transposed_example(2, 3)
    >>> x.tolist(), w.tolist()
    ([[1, 2], [3, 4]], [[1, 1, 1], [0, 0, 0], [-1, -1, -1]])
    """
    x = np.arange(1, i * i + 1).reshape(i, i)
    weight = np.zeros((k, k), dtype=np.int64)
    weight[-1] = -1
    weight[0] = 1
    return x, weight


def _factor(value) -> str:
    """A number for a product written out: negatives in parentheses, with a real minus."""
    text = drawing.format_value(value)
    return f"({text})" if text.startswith("−") else text


def _single_axes(fig: Figure):
    """One frameless Axes filling the figure: the explorers draw every grid on it."""
    (ax,) = reuse_axes(fig, rect=(0.01, 0.01, 0.98, 0.98))
    ax.set_axis_off()
    return ax


def _size(params: Settings, **changes) -> SizeResult:
    """:func:`helpers.arithmetic.conv_transpose_size` of the controls (``changes`` replace some)."""
    v = {**params, **changes}
    return arithmetic.conv_transpose_size(
        v["i"], v["k"], v["s"], v["p"], v["d"], v.get("output_padding", 0)
    )


# --------------------------------------------------------------------------- the scatter
@dataclass(frozen=True, kw_only=True, eq=False)
class TransposedState(ExplorerState):
    """The transposed explorer's state.

    Parameters
    ----------
    x, weight : ndarray
        :func:`transposed_example`.
    copies : ndarray, shape (i, i, B, B), or None
        :func:`helpers.transposed.kernel_copies`: one scaled kernel copy per input cell.
    buffer : ndarray, shape (B, B), or None
        The sum of the copies, before carving.
    out : ndarray, shape (o, o), or None
        :func:`helpers.reference.conv_transpose2d`: the buffer with ``p`` carved off.
    """

    x: np.ndarray
    weight: np.ndarray
    copies: np.ndarray | None = None
    buffer: np.ndarray | None = None
    out: np.ndarray | None = None


def _size_line(size: SizeResult, m: Markup) -> str:
    """``o = formula = numbers = value``."""
    return f"{m.bold('o')} = {size.symbolic()} = {m.bold(m.size(size))}"


class TransposedExplorer(Explorer):
    """Explorer of ``torch.nn.ConvTranspose2d`` arithmetic; see :func:`transposed_explorer`."""

    #: What to change when the padding carves away everything.
    ADVICE = "Make p smaller, or i, k, s or d larger."

    def compute(self, settings: Settings) -> TransposedState:
        """Copies, buffer and output (None when impossible), and every line shown."""
        v, size = settings, _size(settings)
        x, weight = transposed_example(v.i, v.k)
        o = size.value
        ranges = {"step": (v.i**2 - 1, True), "cell": ((o or 1) ** 2 - 1, o is not None)}
        full = _size(v, p=0).raw

        def formula(m: Markup) -> list[str]:
            return [
                _size_line(size, m),
                f"buffer {full}×{full}, then carve p = {v.p} off each side",
            ]

        common = dict(settings=v, size=size, ranges=ranges, x=x, weight=weight)
        if o is None:
            return TransposedState(
                message=rule_message(size, self.ADVICE),
                formula=tuple(formula(HTML)),
                caption=tuple(formula(TEXT)),
                **common,
            )
        copies, _, _ = transposed_lesson.kernel_copies(x, weight, v.s, v.p, v.d, v.output_padding)
        out = reference.conv_transpose2d(
            x[None],
            weight[None, None],
            stride=v.s,
            padding=v.p,
            output_padding=v.output_padding,
            dilation=v.d,
        )[0]
        m_, n_ = divmod(min(v.step, v.i**2 - 1), v.i)
        row, col = divmod(min(v.cell, o**2 - 1), o)
        terms = transposed_lesson.output_cell_terms(
            x, weight, row, col, v.s, v.p, v.d, v.output_padding
        )

        def values(m: Markup) -> list[str]:
            products = " + ".join(
                f"{_factor(t.input_value)}·{_factor(t.kernel_value)}" for t in terms
            )
            value = drawing.format_value(out[row, col])
            total = (
                f"{products} = {m.bold(value)}" if terms else f"{m.bold('0')} (no copy reaches it)"
            )
            lines = [
                f"x[{m_}, {n_}] = {x[m_, n_]} scatters {x[m_, n_]} × kernel with its corner at "
                f"({m_}·{v.s}, {n_}·{v.s}) = ({m_ * v.s}, {n_ * v.s})",
                f"out[{row}, {col}] = buffer[{row + v.p}, {col + v.p}] = {total}",
            ]
            if m.html:
                lines.append(html_table(out, None, (row, col)) if o <= MAX_LISTED else "")
            return lines

        return TransposedState(
            formula=tuple(formula(HTML)),
            values=tuple(values(HTML)),
            caption=(*formula(TEXT), *values(TEXT)),
            copies=copies,
            buffer=copies.sum(axis=(0, 1)),
            out=out,
            **common,
        )

    def draw(self, fig: Figure, state: TransposedState) -> None:
        """Input, the current copy, the buffer with the carving, and the output."""
        v = state.settings
        ax = _single_axes(fig)
        if state.out is None:
            drawing.draw_colored_input(ax, state.x, title=f"input {v.i}×{v.i}")
            drawing.draw_grid(
                ax, state.weight, origin=(v.i + GAP, 0), color=drawing.COLORS["kernel"]
            )
            drawing.label_grid(ax, "kernel", v.k, origin=(v.i + GAP, 0))
            return
        full, o = state.buffer.shape[-1], state.out.shape[0]
        m, n = divmod(min(v.step, v.i**2 - 1), v.i)
        row, col = divmod(min(v.cell, o**2 - 1), o)
        color = drawing.copy_color(m, n, v.i)
        linestyle, letter = drawing.copy_linestyle(m, n, v.i), drawing.copy_letter(m, n, v.i)
        labelled = full <= drawing.MAX_LABELLED  # one rule for every panel
        left = [0, v.i + GAP, v.i + full + 2 * GAP, v.i + 2 * full + 3 * GAP]
        drawing.draw_colored_input(
            ax, state.x, selected=(m, n), title=f"input {v.i}×{v.i}", show_values=labelled
        )
        drawing.draw_kernel_copy(
            ax,
            state.copies[m, n],
            m,
            n,
            v.k,
            v.s,
            v.d,
            color=color,
            linestyle=linestyle,
            carve=v.p,
            origin=(left[1], 0),
            title=f"copy {letter} of x[{m}, {n}] = {state.x[m, n]}",
            show_values=labelled,
        )
        drawing.draw_transposed_buffer(
            ax,
            state.buffer,
            v.p,
            footprints=[(drawing.window_taps(m, n, v.k, v.s, v.d), color, linestyle)],
            selected=(row + v.p, col + v.p),
            origin=(left[2], 0),
            title=f"sum of copies {full}×{full}",
            show_values=labelled,
        )
        drawing.draw_output_grid(
            ax, state.out, selected=(row, col), origin=(left[3], 0), show_values=labelled
        )
        drawing.label_grid(ax, f"output {o}×{o}", o, origin=(left[3], 0))


def transposed_explorer(
    i: int = 2, k: int = 3, s: int = 2, p: int = 1, d: int = 1, output_padding: int = 0
) -> TransposedExplorer:
    """Sliders for a transposed convolution: the scattered copies, the buffer, the carving.

    Parameters
    ----------
    i : int, default=2
        Input size (square input), 1 to 6.
    k : int, default=3
        Kernel size, 1 to 5.
    s : int, default=2
        Stride: the distance between neighbouring copies, 1 to 4.
    p : int, default=1
        Padding: cells carved off each side of the buffer, 0 to 4.
    d : int, default=1
        Dilation, 1 to 3.
    output_padding : int, default=0
        Extra cells kept at the bottom and right, 0 to 3; must be smaller than
        ``max(s, d)``.

    Returns
    -------
    TransposedExplorer
        An :class:`~helpers.widgets.base.Explorer` with controls ``i, k, s, p, d,
        output_padding``, ``step`` (the input element whose kernel copy is shown) and
        ``cell`` (the output cell whose sum is spelled out). The input and kernel are
        :func:`transposed_example` (the study notes' 2-D example at the defaults), the copies
        from :func:`helpers.transposed.kernel_copies`, the size from
        :func:`helpers.arithmetic.conv_transpose_size`.

    Raises
    ------
    TypeError
        If a starting value is not an int.
    ValueError
        If a starting value is outside its slider's range. Impossible combinations
        (too much padding, ``output_padding >= max(s, d)``) are shown in ``.message``.

    Notes
    -----
    Introduced in notebook 04.

    Examples
    --------
    >>> explorer = transposed_explorer()
    >>> explorer.output_size
    3
    >>> explorer.set(output_padding=1).output_size
    4
    """
    controls = {
        "i": int_slider("i", i, 1, 6, "input size i"),
        "k": int_slider("k", k, 1, 5, "kernel size k"),
        "s": int_slider("s", s, 1, 4, "stride s"),
        "p": int_slider("p", p, 0, 4, "padding p"),
        "d": int_slider("d", d, 1, 3, "dilation d"),
        "output_padding": int_slider("output_padding", output_padding, 0, 3, "output_padding"),
        "step": position_slider("copy (input cell)"),
        "cell": position_slider("output cell"),
    }
    return TransposedExplorer(controls, figsize=(9.0, 2.8))


# --------------------------------------------------------------------------- checkerboard
@dataclass(frozen=True, kw_only=True, eq=False)
class CheckerboardState(ExplorerState):
    """The checkerboard explorer's state (arrays None when there is no output).

    Parameters
    ----------
    counts_1d, counts_2d : ndarray of int or None
        :func:`helpers.transposed.overlap_counts` and ``overlap_counts_2d``.
    resized : ndarray or None
        :func:`helpers.transposed.resize_convolution` of ones: the even alternative.
    pattern : ndarray of int, shape (s,), or None
        :func:`helpers.transposed.overlap_pattern`: interior coverage, period ``s``.
    """

    counts_1d: np.ndarray | None = None
    counts_2d: np.ndarray | None = None
    resized: np.ndarray | None = None
    pattern: np.ndarray | None = None


class CheckerboardExplorer(Explorer):
    """Explorer of transposed-convolution overlap counts; see :func:`checkerboard_explorer`."""

    ADVICE = "Make p smaller."

    def compute(self, settings: Settings) -> CheckerboardState:
        """The overlap counts (None when impossible), and every line shown."""
        v, size = settings, _size(settings)
        if size.value is None:
            return CheckerboardState(
                settings=v,
                size=size,
                message=rule_message(size, self.ADVICE),
                formula=(_size_line(size, HTML),),
                caption=(_size_line(size, TEXT),),
            )
        pattern = transposed_lesson.overlap_pattern(v.k, v.s, v.d)
        counts = ", ".join(str(c) for c in pattern)
        if len(set(pattern.tolist())) == 1:
            verdict = f"even: every interior cell is covered {pattern[0]} times (no checkerboard)"
        else:
            verdict = f"uneven: interior cells are covered {counts} times in turn (checkerboard)"
        repeat = f"every s = {v.s} cells the pattern repeats: {verdict}"
        counts_1d = transposed_lesson.overlap_counts(v.i, v.k, v.s, v.p, v.d)
        listed = f"1-D counts: {' '.join(str(c) for c in counts_1d)}"
        return CheckerboardState(
            settings=v,
            size=size,
            formula=(_size_line(size, HTML), repeat),
            values=(listed,),
            caption=(_size_line(size, TEXT), repeat, listed),
            counts_1d=counts_1d,
            counts_2d=transposed_lesson.overlap_counts_2d(v.i, v.k, v.s, v.p, v.d),
            resized=transposed_lesson.resize_convolution(
                np.ones((v.i, v.i)), np.ones((v.k, v.k)), v.s
            ),
            pattern=pattern,
        )

    def draw(self, fig: Figure, state: CheckerboardState) -> None:
        """The 1-D and 2-D overlap counts beside those of resize-then-convolve."""
        v = state.settings
        ax = _single_axes(fig)
        if state.counts_2d is None:
            drawing.write_text(
                ax, 0.5, 0.5, "no output", ha="center", va="center", transform=ax.transAxes
            )
            return
        o = state.output_size
        # each map on its own colour scale: what matters is whether it is even
        vmax = state.counts_2d.max()
        drawing.draw_overlap_counts(ax, state.counts_1d, origin=(0, -2.6), vmax=vmax)
        drawing.label_grid(ax, "transposed conv: 1-D, then 2-D", o, origin=(0, -2.6))
        drawing.draw_overlap_counts(ax, state.counts_2d, vmax=vmax)
        drawing.draw_overlap_counts(
            ax, state.resized, origin=(o + GAP, 0), title=f"resize ×{v.s}, then {v.k}×{v.k} conv"
        )


def checkerboard_explorer(
    i: int = 3, k: int = 3, s: int = 2, p: int = 0, d: int = 1
) -> CheckerboardExplorer:
    """Sliders for the overlap of kernel copies, to see when a checkerboard appears.

    Parameters
    ----------
    i : int, default=3
        Input size (square input of ones), 1 to 8.
    k : int, default=3
        Kernel size (a kernel of ones), 1 to 7.
    s : int, default=2
        Stride, 1 to 4; also the resize factor of the comparison.
    p : int, default=0
        Padding (cells carved off each side), 0 to 3.
    d : int, default=1
        Dilation, 1 to 3.

    Returns
    -------
    CheckerboardExplorer
        An :class:`~helpers.widgets.base.Explorer` with controls ``i, k, s, p, d``. The
        picture shows :func:`helpers.transposed.overlap_counts` (one row) above
        :func:`helpers.transposed.overlap_counts_2d`, next to the same count for
        nearest-neighbour resizing followed by a ``k x k`` convolution
        (:func:`helpers.transposed.resize_convolution`); the formula line says whether
        the interior overlap is even (:func:`helpers.transposed.overlap_pattern`).

    Raises
    ------
    TypeError
        If a starting value is not an int.
    ValueError
        If a starting value is outside its slider's range.

    Notes
    -----
    Introduced in notebook 04, after Odena, Dumoulin & Olah, "Deconvolution and
    Checkerboard Artifacts", Distill (2016).

    Examples
    --------
    >>> checkerboard_explorer(i=4, k=4, s=2).output_size
    10
    """
    controls = {
        "i": int_slider("i", i, 1, 8, "input size i"),
        "k": int_slider("k", k, 1, 7, "kernel size k"),
        "s": int_slider("s", s, 1, 4, "stride s"),
        "p": int_slider("p", p, 0, 3, "padding p"),
        "d": int_slider("d", d, 1, 3, "dilation d"),
    }
    return CheckerboardExplorer(controls, figsize=(8.0, 3.4))
