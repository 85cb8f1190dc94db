"""Slider explorers: drag a parameter, watch the formula, the picture and the output change.

Every explorer is an :class:`Explorer`, an ``ipywidgets.VBox`` holding

- ``.controls`` -- a dict from parameter name (``"i"``, ``"k"``, ``"s"``, ``"p"``,
  ``"d"``, ``"step"``, ``"cell"``, ...) to its control widget;
- ``.formula`` -- an ``HTML`` widget with the numbers substituted into the formula and
  the result in ``<span class="output-size">N</span>``;
- ``.message`` -- an ``HTML`` widget, empty when all is well, else one friendly line
  naming the rule the current combination breaks;
- ``.image`` -- an ``Image`` (PNG) drawn with :mod:`helpers.drawing` on a pyplot-free
  ``Figure`` and rendered by the Agg canvas;
- ``.values`` -- an ``HTML`` widget with the output values (small sizes only);
- ``.output_size`` -- the current output size, ``None`` when the combination is
  impossible.

A subclass builds its controls and fills four hooks: :meth:`Explorer.compute`,
:meth:`Explorer.formula_html`, :meth:`Explorer.draw` and (optionally)
:meth:`Explorer.values_html`, :meth:`Explorer.adapt_ranges`, :meth:`Explorer.explain`.
The base class observes the controls, keeps the slider ranges consistent, turns the
``ValueError`` of an impossible combination into ``.message`` and renders the figure.

Introduced in notebook 01 (``conv_explorer``) and notebook 02 (``pool_explorer``);
after ezyang's convolution visualizer and vdumoulin/conv_arithmetic.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterator, Mapping

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from helpers import arithmetic, drawing, reference

__all__ = [
    "Explorer",
    "conv_explorer",
    "example_input",
    "int_slider",
    "pool_explorer",
    "pool_input",
    "position_slider",
]

#: Output grids larger than this (rows or columns) are not listed in ``.values``.
MAX_LISTED = 8

#: Seed 000's 4 x 4 max-pooling example; the pool explorer's input starts with it.
SEED_000_INPUT = np.array(
    [[50, 77, 111, 94], [28, 80, 100, 40], [85, 79, 63, 74], [67, 55, 105, 123]]
)


# --------------------------------------------------------------------------- building blocks
def int_slider(name: str, value: int, low: int, high: int, description: str) -> widgets.IntSlider:
    """An ``IntSlider`` that refuses a starting value outside its range.

    Parameters
    ----------
    name : str
        The explorer's argument name, used in the error message.
    value, low, high : int
        Start value and range.
    description : str
        Label shown next to the slider.

    Returns
    -------
    ipywidgets.IntSlider

    Raises
    ------
    ValueError
        If ``value`` is outside ``[low, high]`` (a slider would clamp it silently).
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name}={value!r} is invalid: must be an int")
    if not low <= value <= high:
        raise ValueError(f"{name}={value} is invalid: the slider goes from {low} to {high}")
    return widgets.IntSlider(
        value=int(value),
        min=low,
        max=high,
        description=description,
        continuous_update=True,
        style={"description_width": "9em"},
        layout=widgets.Layout(width="330px"),
    )


def example_input(size: int, *, high: int = 10, seed: int = 0) -> np.ndarray:
    """The fixed example input of the explorers: seeded integers in ``[0, high)``.

    Parameters
    ----------
    size : int
        The grid is ``size x size``.
    high : int, default=10
        Values are below this; small digits keep the sums readable.
    seed : int, default=0

    Returns
    -------
    ndarray of int64, shape (size, size)
        The same grid for the same arguments, on every machine.

    Examples
    --------
    >>> example_input(3).shape
    (3, 3)
    """
    return np.random.default_rng(seed).integers(0, high, size=(size, size))


def _html_table(values: np.ndarray, current=None, selected=None) -> str:
    """A small HTML table of output values, the current and the selected cells marked."""
    rows = []
    for r, row in enumerate(values):
        cells = []
        for c, value in enumerate(row):
            style = "padding:2px 6px;border:1px solid #999;text-align:right;"
            if (r, c) == current:
                style += f"background:{drawing.COLORS['kernel']};"
            if (r, c) == selected:
                style += f"outline:2px solid {drawing.COLORS['field']};"
            cells.append(f'<td style="{style}">{drawing.format_value(value)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table style="border-collapse:collapse">' + "".join(rows) + "</table>"


def _span(value: int) -> str:
    return f'<span class="output-size">{value}</span>'


def position_slider(description: str) -> widgets.IntSlider:
    """A slider over output positions in raster order; :meth:`Explorer.adapt_ranges` sets its max.

    Parameters
    ----------
    description : str

    Returns
    -------
    ipywidgets.IntSlider
        From 0 to 0 until the explorer knows the output size.
    """
    return widgets.IntSlider(
        0,
        min=0,
        max=0,
        description=description,
        style={"description_width": "9em"},
        layout=widgets.Layout(width="330px"),
    )


# --------------------------------------------------------------------------- the base class
class Explorer(widgets.VBox):
    """Controls, formula, message, picture and values of one explorer, kept in step.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
        The parameter controls, in display order; ``"step"`` and ``"cell"`` (if present)
        walk over output positions.
    figsize : (float, float), default=(6.0, 3.0)
        Size of the figure in inches.
    dpi : float, default=72
        Resolution of the PNG; small figures at 72 dpi keep a redraw well under 100 ms.

    Attributes
    ----------
    controls, formula, message, image, values, output_size
        See the module docstring.

    Notes
    -----
    Subclasses override the hooks below. :meth:`redraw` runs on every change of a
    control; changes made while it runs (a slider clamped by :meth:`adapt_ranges`) do
    not start another redraw. Use :meth:`set` to change several controls with one redraw.
    """

    def __init__(
        self,
        controls: Mapping[str, widgets.ValueWidget],
        *,
        figsize: tuple[float, float] = (6.0, 3.0),
        dpi: float = 72,
    ):
        self.controls = dict(controls)
        self.formula = widgets.HTML()
        self.message = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.values = widgets.HTML()
        self.output_size = None
        self.figsize = figsize
        self.dpi = dpi
        self._busy = False
        panel = widgets.GridBox(
            list(self.controls.values()),
            layout=widgets.Layout(grid_template_columns="repeat(2, 340px)"),
        )
        super().__init__(
            children=[
                panel,
                self.formula,
                self.message,
                widgets.HBox([self.image, self.values]),
            ]
        )
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    # ------------------------------------------------------------------ hooks
    def adapt_ranges(self, params: dict) -> None:
        """Narrow slider ranges so impossible values cannot be picked (optional hook).

        Parameters
        ----------
        params : dict
            Current control values. Changing a slider's ``max`` may clamp its value;
            the base class then calls this again until nothing changes.
        """

    def compute(self, params: dict) -> dict:
        """Compute everything shown; raise ``ValueError`` for an impossible combination.

        Parameters
        ----------
        params : dict
            Current control values by name.

        Returns
        -------
        dict
            Must hold ``"output_size"``; the rest is passed to the other hooks.
        """
        raise NotImplementedError

    def formula_html(self, params: dict, result: dict | None) -> str:
        """HTML of the formula with numbers; ``result`` is None when impossible."""
        raise NotImplementedError

    def draw(self, fig, params: dict, result: dict | None) -> None:
        """Draw on the ``Figure`` ``fig`` (empty); ``result`` is None when impossible."""
        raise NotImplementedError

    def values_html(self, params: dict, result: dict) -> str:
        """HTML of the output values (optional hook; default: nothing)."""
        return ""

    def explain(self, error: Exception, params: dict) -> str:
        """One friendly line for an impossible combination (default: the error text)."""
        return html.escape(str(error))

    # ------------------------------------------------------------------ machinery
    def __repr__(self) -> str:
        # Short and stable: the notebook stores this as the cell's text output.
        settings = ", ".join(f"{name}={value!r}" for name, value in self.params().items())
        return f"{type(self).__name__}({settings}) -> output_size={self.output_size}"

    def params(self) -> dict:
        """Current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Change several controls inside this block; one redraw follows it."""
        busy, self._busy = self._busy, True
        try:
            yield
        finally:
            self._busy = busy
        if not busy:
            self.redraw()

    def set(self, **values) -> Explorer:
        """Set several controls, by name, then redraw once.

        Values are applied together: ``set(k=4, p=2)`` works even when the padding
        slider only reaches 2 once ``k`` is 4.

        Returns
        -------
        Explorer
            ``self``, to chain or display.
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}: known are {list(self.controls)}")
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value
            # A value clamped by a range that the other new values widen gets a second chance.
            self._settle_ranges()
            for name, value in values.items():
                if self.controls[name].value != value:
                    self.controls[name].value = value
        return self

    def _on_change(self, change) -> None:
        if not self._busy:
            self.redraw()

    def _settle_ranges(self) -> dict:
        """Call :meth:`adapt_ranges` until the control values stop changing."""
        params = self.params()
        for _ in range(5):
            self.adapt_ranges(params)
            settled = self.params()
            if settled == params:
                break
            params = settled
        return params

    def redraw(self) -> None:
        """Recompute the output, the formula, the message, the values and the picture."""
        self._busy = True
        try:
            params = self._settle_ranges()
            try:
                result = self.compute(params)
            except (ValueError, TypeError) as error:
                result = None
                self.message.value = (
                    f'<span class="explorer-message" style="color:#b45f06">'
                    f"⚠ {self.explain(error, params)}</span>"
                )
            else:
                self.message.value = ""
            self.output_size = None if result is None else result["output_size"]
            self.formula.value = self.formula_html(params, result)
            self.values.value = "" if result is None else self.values_html(params, result)
            fig = Figure(figsize=self.figsize)
            self.draw(fig, params, result)
            self.image.value = drawing.render_png(fig, dpi=self.dpi)
        finally:
            self._busy = False


def _set_range(slider: widgets.IntSlider, high: int, *, enabled: bool = True) -> None:
    """Set a slider's maximum (its value is clamped into range) and its enabled state."""
    if slider.max != high:
        if slider.value > high:
            slider.value = high
        slider.max = high
    slider.disabled = not enabled


# --------------------------------------------------------------------------- convolution
class ConvExplorer(Explorer):
    """Explorer of ``torch.nn.Conv2d`` arithmetic on a square input; see :func:`conv_explorer`."""

    def adapt_ranges(self, params: dict) -> None:
        try:
            o = arithmetic.conv_output_size(
                params["i"], params["k"], params["s"], params["p"], params["d"]
            )
        except ValueError:
            o = 1
            enabled = False
        else:
            enabled = True
        for name in ("step", "cell"):
            _set_range(self.controls[name], o * o - 1, enabled=enabled)

    def compute(self, params: dict) -> dict:
        i, k, s, p, d = (params[name] for name in ("i", "k", "s", "p", "d"))
        o = arithmetic.conv_output_size(i, k, s, p, d)
        x = example_input(i)
        weight = np.ones((k, k), dtype=np.int64)
        out = reference.conv2d(x[None], weight[None, None], stride=s, padding=p, dilation=d)[0]
        return {"output_size": o, "x": x, "weight": weight, "out": out}

    def formula_html(self, params: dict, result: dict | None) -> str:
        i, k, s, p, d = (params[name] for name in ("i", "k", "s", "p", "d"))
        if d == 1:
            symbols = "⌊(i + 2p − k) / s⌋ + 1"
            numbers = f"⌊({i} + 2·{p} − {k}) / {s}⌋ + 1"
        else:
            symbols = "⌊(i + 2p − d·(k − 1) − 1) / s⌋ + 1"
            numbers = f"⌊({i} + 2·{p} − {d}·({k} − 1) − 1) / {s}⌋ + 1"
        raw = (i + 2 * p - d * (k - 1) - 1) // s + 1
        value = _span(result["output_size"]) if result else f"{raw}".replace("-", "−")
        verdict = "" if result else " &lt; 1: no output"
        return f"<b>o</b> = {symbols} = {numbers} = <b>{value}</b>{verdict}"

    def explain(self, error: Exception, params: dict) -> str:
        i, k, p, d = params["i"], params["k"], params["p"], params["d"]
        span = arithmetic.effective_kernel_size(k, d)
        return (
            f"The kernel does not fit: it spans d·(k − 1) + 1 = {span} cells but the padded "
            f"input has only i + 2p = {i + 2 * p}. Make i or p larger, or k or d smaller."
        )

    def draw(self, fig, params: dict, result: dict | None) -> None:
        i, k, s, p, d = (params[name] for name in ("i", "k", "s", "p", "d"))
        o = result["output_size"] if result else 1
        ax_in, ax_out = fig.subplots(1, 2, gridspec_kw={"width_ratios": [i + 2 * p, max(o, 3)]})
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9, wspace=0.1)
        if result is None:
            drawing.draw_grid(ax_in, example_input(i), padding=p, title=f"input {i}×{i}")
            drawing.draw_kernel_window(ax_in, 0, 0, k, s, d, color="#cc0000")
            ax_out.set_axis_off()
            return
        drawing.draw_sliding_window(
            ax_in,
            ax_out,
            result["x"],
            result["out"],
            k=k,
            s=s,
            p=p,
            d=d,
            step=params["step"],
            cell=params["cell"],
        )

    def values_html(self, params: dict, result: dict) -> str:
        out, o = result["out"], result["output_size"]
        if o > MAX_LISTED:
            return ""
        current = divmod(params["step"], o)
        taps = drawing.window_taps(*current, params["k"], params["s"], params["d"])
        padded = np.pad(result["x"], params["p"])
        terms = [drawing.format_value(padded[r, c]) for r, c in taps]
        shown = " + ".join(terms) if len(terms) <= 16 else " + ".join(terms[:15]) + " + …"
        value = drawing.format_value(out[current])
        return (
            "<div style='margin-left:1em'><b>output</b> (kernel of ones: each output is the "
            f"sum of the cells under the window)<br>{_html_table(out, current, None)}"
            f"<br>out[{current[0]}, {current[1]}] = {shown} = <b>{value}</b></div>"
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
        An :class:`Explorer` with controls ``i, k, s, p, d`` and ``step`` (the output
        position whose window is drawn, in raster order) and ``cell`` (the output
        position whose receptive field is shaded). The input is :func:`example_input`,
        the kernel all ones, the output computed by :func:`helpers.reference.conv2d`.

    Raises
    ------
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

    Returns
    -------
    ndarray of int64, shape (size, size)
        :func:`example_input` with values below 100, its top-left ``min(size, 4)``
        square replaced by seed 000's grid, so ``size=4`` is exactly seed 000's input.

    Examples
    --------
    >>> pool_input(4)[0].tolist()
    [50, 77, 111, 94]
    """
    x = example_input(size, high=100)
    n = min(size, 4)
    x[:n, :n] = SEED_000_INPUT[:n, :n]
    return x


class PoolExplorer(Explorer):
    """Explorer of ``MaxPool2d`` / ``AvgPool2d`` arithmetic; see :func:`pool_explorer`."""

    def adapt_ranges(self, params: dict) -> None:
        # PyTorch allows at most half the window as padding: the slider stops there.
        _set_range(self.controls["p"], params["k"] // 2)
        try:
            o = self._output_size(self.params())
        except ValueError:
            o, enabled = 1, False
        else:
            enabled = True
        for name in ("step", "cell"):
            _set_range(self.controls[name], o * o - 1, enabled=enabled)

    @staticmethod
    def _output_size(params: dict) -> int:
        return arithmetic.pool_output_size(
            params["i"], params["k"], params["s"], params["p"], ceil_mode=params["ceil_mode"]
        )

    def compute(self, params: dict) -> dict:
        i, k, s, p = (params[name] for name in ("i", "k", "s", "p"))
        o = self._output_size(params)
        x = pool_input(i)
        if params["mode"] == "max":
            out = reference.max_pool2d(x[None], k, s, p, ceil_mode=params["ceil_mode"])[0]
        else:
            out = reference.avg_pool2d(x[None], k, s, p, ceil_mode=params["ceil_mode"])[0]
        return {"output_size": o, "x": x, "out": out}

    def formula_html(self, params: dict, result: dict | None) -> str:
        i, k, s, p, ceil = (params[name] for name in ("i", "k", "s", "p", "ceil_mode"))
        left, right = ("⌈", "⌉") if ceil else ("⌊", "⌋")
        span = i + 2 * p - k
        raw = (-(-span // s) if ceil else span // s) + 1
        text = (
            f"<b>o</b> = {left}(i + 2p − k) / s{right} + 1 = "
            f"{left}({i} + 2·{p} − {k}) / {s}{right} + 1 = "
        )
        if result is None:
            return text + f"<b>{raw}</b>".replace("-", "−") + " &lt; 1: no output"
        o = result["output_size"]
        if o != raw:  # ceil mode: a last window starting in the right padding is dropped
            return (
                text + f"{raw} − 1 = <b>{_span(o)}</b> (the last window would start in the "
                "right padding, so PyTorch drops it)"
            )
        return text + f"<b>{_span(o)}</b>"

    def explain(self, error: Exception, params: dict) -> str:
        i, k, p = params["i"], params["k"], params["p"]
        if p > k // 2:
            return html.escape(str(error))
        return (
            f"The window does not fit: k = {k} is larger than the padded input "
            f"i + 2p = {i + 2 * p}. Make i or p larger, or k smaller."
        )

    def _pad_label(self, params: dict) -> str:
        return "−∞" if params["mode"] == "max" else "0"

    def draw(self, fig, params: dict, result: dict | None) -> None:
        i, k, s, p = (params[name] for name in ("i", "k", "s", "p"))
        o = result["output_size"] if result else 1
        ax_in, ax_out = fig.subplots(
            1, 2, gridspec_kw={"width_ratios": [i + 2 * p + k // 2, max(o, 3)]}
        )
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9, wspace=0.1)
        if result is None:
            drawing.draw_grid(
                ax_in,
                pool_input(i),
                padding=p,
                pad_label=self._pad_label(params),
                title=f"input {i}×{i}",
            )
            drawing.draw_kernel_window(ax_in, 0, 0, k, s, color="#cc0000")
            ax_out.set_axis_off()
            return
        drawing.draw_sliding_window(
            ax_in,
            ax_out,
            result["x"],
            result["out"],
            k=k,
            s=s,
            p=p,
            step=params["step"],
            cell=params["cell"],
            pad_label=self._pad_label(params),
        )

    def values_html(self, params: dict, result: dict) -> str:
        out, o = result["out"], result["output_size"]
        if o > MAX_LISTED:
            return ""
        current = divmod(params["step"], o)
        p = params["p"]
        size = params["i"] + 2 * p
        taps = drawing.window_taps(*current, params["k"], params["s"])
        # ceil mode: taps past the right padding are outside the input and not counted
        taps = [(r, c) for r, c in taps if r < size and c < size]
        fill = -np.inf if params["mode"] == "max" else 0
        padded = np.pad(result["x"].astype(float), p, constant_values=fill)
        terms = [drawing.format_value(padded[r, c]) for r, c in taps]
        value = drawing.format_value(out[current])
        if params["mode"] == "max":
            step = f"max({', '.join(terms)}) = <b>{value}</b>"
        else:
            step = f"({' + '.join(terms)}) / {len(terms)} = <b>{value}</b>"
        return (
            f"<div style='margin-left:1em'><b>output</b> ({params['mode']} pooling)<br>"
            f"{_html_table(out, current, None)}<br>out[{current[0]}, {current[1]}] = {step}</div>"
        )


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

    Returns
    -------
    PoolExplorer
        An :class:`Explorer` with controls ``i, k, s, p, ceil_mode, mode, step, cell``.
        The input is :func:`pool_input` (seed 000's grid when ``i = 4``), the output
        computed by :func:`helpers.reference.max_pool2d` or ``avg_pool2d``
        (``count_include_pad=True``, PyTorch's default).

    Raises
    ------
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
    if isinstance(p, int) and p > k // 2:
        raise ValueError(f"p={p} is invalid: pooling padding must be at most k // 2 = {k // 2}")
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


# =========================================================================== lesson 05: channels
# Appended by the lesson-05 engineer: channels_explorer (channels, groups, weight shape).
from helpers import channels as _channels  # noqa: E402  (kept inside this section)

__all__ += ["ChannelsExplorer", "channels_explorer"]

#: The two layers the channels explorer describes, as ``torch.nn`` names them.
LAYERS = ("Conv2d", "ConvTranspose2d")


class ChannelsExplorer(Explorer):
    """Explorer of a layer's channels and groups; see :func:`channels_explorer`.

    ``.output_size`` is the weight shape (a 4-tuple, as ``layer.weight.shape``) and
    :attr:`param_count` the number of parameters; both ``None`` when ``groups`` does
    not divide the channels.
    """

    def adapt_ranges(self, params: dict) -> None:
        # groups larger than either channel count can never divide it: the slider stops there
        _set_range(self.controls["groups"], min(params["c_in"], params["c_out"]))

    def set(self, **values) -> ChannelsExplorer:
        """Set several controls, the channel counts first, then redraw once.

        The ``groups`` slider's range follows the channel counts, so they are set and
        the range adapted before ``groups``: ``set(c_in=8, c_out=8, groups=8)`` works
        from any starting point instead of clamping ``groups`` to the old range.
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

    @property
    def param_count(self) -> int | None:
        """Weights and biases of the current layer (``None`` when it cannot exist)."""
        c_in, c_out, groups, k = (self.controls[n].value for n in ("c_in", "c_out", "groups", "k"))
        try:
            return _channels.conv_param_count(c_in, c_out, k, groups)
        except ValueError:
            return None

    def compute(self, params: dict) -> dict:
        c_in, c_out, groups, k = (params[n] for n in ("c_in", "c_out", "groups", "k"))
        if params["layer"] == "Conv2d":
            shape = _channels.conv_weight_shape(c_in, c_out, k, groups)
        else:
            shape = _channels.conv_transpose_weight_shape(c_in, c_out, k, groups)
        return {"output_size": shape, "params": _channels.conv_param_count(c_in, c_out, k, groups)}

    def formula_html(self, params: dict, result: dict | None) -> str:
        c_in, c_out, g, k = (params[n] for n in ("c_in", "c_out", "groups", "k"))
        if params["layer"] == "Conv2d":
            symbols, numbers = "(C_out, C_in/groups, k, k)", f"({c_out}, {c_in}/{g}, {k}, {k})"
            count = f"{k}·{k}·{c_in // g}·{c_out} + {c_out}"
            count_symbols = "k·k·(C_in/groups)·C_out + C_out"
        else:
            symbols, numbers = "(C_in, C_out/groups, k, k)", f"({c_in}, {c_out}/{g}, {k}, {k})"
            count = f"{k}·{k}·{c_in}·{c_out // g} + {c_out}"
            count_symbols = "k·k·C_in·(C_out/groups) + C_out"
        weight = f"<b>weight</b> {symbols} = {numbers}"
        if result is None:
            return f"{weight}: not whole numbers, so there is no such layer"
        shape = ", ".join(str(n) for n in result["output_size"])
        return (
            f'{weight} = <b><span class="output-size">({shape})</span></b><br>'
            f"<b>parameters</b> = {count_symbols} = {count} = "
            f'<b><span class="param-count">{result["params"]}</span></b>'
        )

    def explain(self, error: Exception, params: dict) -> str:
        c_in, c_out = params["c_in"], params["c_out"]
        fits = [g for g in range(1, min(c_in, c_out) + 1) if c_in % g == 0 and c_out % g == 0]
        return (
            f"{html.escape(str(error))} (PyTorch refuses it too). "
            f"groups that divide both {c_in} and {c_out}: {', '.join(map(str, fits))}."
        )

    def draw(self, fig, params: dict, result: dict | None) -> None:
        c_in, c_out, g, k = (params[n] for n in ("c_in", "c_out", "groups", "k"))
        ax_links, ax_blocks = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.88, wspace=0.15)
        if result is None:
            drawing.draw_channel_connectivity(
                ax_links, c_in, c_out, None, title=f"groups={g}: no such layer"
            )
            ax_blocks.set_axis_off()
            return
        kernels = c_in * c_out // g
        drawing.draw_channel_connectivity(
            ax_links, c_in, c_out, g, title=f"{kernels} lines = {kernels} kernels of {k}×{k}"
        )
        drawing.draw_weight_blocks(ax_blocks, c_in, c_out, g, title="weight: a cell per kernel")

    def values_html(self, params: dict, result: dict) -> str:
        """Each output channel as a sum of single-channel (transposed) convolutions."""
        c_in, c_out, g = params["c_in"], params["c_out"], params["groups"]
        transposed = params["layer"] != "Conv2d"
        star = "⋆ᵀ" if transposed else "⋆"
        lines = []
        for inputs, outputs in _channels.channel_groups(c_in, c_out, g):
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
        An :class:`Explorer` with controls ``c_in, c_out, groups, k, layer``.
        ``.output_size`` is the weight shape, ``(C_out, C_in/groups, k, k)`` for
        ``Conv2d`` and ``(C_in, C_out/groups, k, k)`` for ``ConvTranspose2d`` (the
        value of ``torch.nn.<layer>(...).weight.shape``), or ``None`` when PyTorch
        would refuse the layer. ``.formula`` shows that shape (in the
        ``output-size`` span) and, on a second line, the parameter count
        ``k·k·(C_in/groups)·C_out + C_out`` with its numbers (in a ``param-count``
        span, also :attr:`ChannelsExplorer.param_count`). The picture joins every
        input channel to the output channels it feeds, one colour per group, next
        to the ``C_out x C_in`` grid of kernels; ``.values`` writes each output
        channel as a sum of single-channel convolutions.

    Raises
    ------
    ValueError
        If a starting value is outside its slider's range, or ``layer`` is unknown.

    Notes
    -----
    Introduced in notebook 05.

    Examples
    --------
    >>> explorer = channels_explorer(c_in=4, c_out=6, groups=2)
    >>> explorer.output_size, explorer.param_count
    ((6, 2, 3, 3), 114)
    >>> explorer.set(groups=4).message.value != "", explorer.output_size
    (True, None)
    """
    if layer not in LAYERS:
        raise ValueError(f"layer={layer!r} is invalid: must be one of {LAYERS}")
    c_in_slider = int_slider("c_in", c_in, 1, 8, "input channels C_in")
    c_out_slider = int_slider("c_out", c_out, 1, 8, "output channels C_out")
    controls = {
        "c_in": c_in_slider,
        "c_out": c_out_slider,
        "groups": int_slider("groups", groups, 1, min(c_in, c_out), "groups"),
        "k": int_slider("k", k, 1, 5, "kernel size k"),
        "layer": widgets.ToggleButtons(
            options=list(LAYERS), value=layer, description="layer", style={"button_width": "120px"}
        ),
    }
    return ChannelsExplorer(controls, figsize=(7.0, 3.0))


# =========================================================================== lessons 03-04
# Transposed convolution and checkerboard explorers (notebook 04), built on Explorer above.
# Computations live in helpers/transposed.py; pictures in the lessons 03-04 part of drawing.

from helpers import transposed as _transposed  # noqa: E402  (kept inside this section)

__all__ += [
    "CheckerboardExplorer",
    "TransposedExplorer",
    "checkerboard_explorer",
    "transposed_example",
    "transposed_explorer",
]


def transposed_example(i: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The transposed explorer's input and kernel: seed 003's 2-D example when ``i=2, k=3``.

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


#: Empty cells between the grids that share one Axes.
GAP = 1.5


def _single_axes(fig):
    """One frameless Axes filling the figure: the explorers draw every grid on it."""
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_axis_off()
    return ax


class TransposedExplorer(Explorer):
    """Explorer of ``torch.nn.ConvTranspose2d`` arithmetic; see :func:`transposed_explorer`."""

    NAMES = ("i", "k", "s", "p", "d", "output_padding")

    def _args(self, params: dict) -> tuple[int, ...]:
        return tuple(params[name] for name in self.NAMES)

    def adapt_ranges(self, params: dict) -> None:
        i = params["i"]
        _set_range(self.controls["step"], i * i - 1)
        try:
            o = arithmetic.conv_transpose_output_size(*self._args(params))
        except ValueError:
            o, enabled = 1, False
        else:
            enabled = True
        _set_range(self.controls["cell"], o * o - 1, enabled=enabled)

    def compute(self, params: dict) -> dict:
        i, k, s, p, d, op = self._args(params)
        o = arithmetic.conv_transpose_output_size(i, k, s, p, d, op)
        x, weight = transposed_example(i, k)
        copies, carve, _ = _transposed.kernel_copies(x, weight, s, p, d, op)
        buffer = copies.sum(axis=(0, 1))
        out = buffer[carve[0] : carve[0] + o, carve[1] : carve[1] + o]
        return {"output_size": o, "x": x, "weight": weight, "copies": copies, "out": out}

    def formula_html(self, params: dict, result: dict | None) -> str:
        i, k, s, p, d, op = self._args(params)
        full = (i - 1) * s + d * (k - 1) + 1 + op
        raw = full - 2 * p
        value = _span(result["output_size"]) if result else f"{raw}".replace("-", "−")
        verdict = ""
        if result is None:
            verdict = " (output_padding too large)" if op >= max(s, d) else " &lt; 1: no output"
        return (
            "<b>o</b> = (i − 1)·s − 2p + d·(k − 1) + output_padding + 1 = "
            f"({i} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1 = <b>{value}</b>{verdict}"
            f"<br>buffer {full}×{full}, then carve p = {p} off each side"
        )

    def explain(self, error: Exception, params: dict) -> str:
        i, k, s, p, d, op = self._args(params)
        if op >= max(s, d):
            return (
                f"output_padding = {op} must be smaller than the stride s = {s} or the dilation "
                f"d = {d}: it only chooses among the {max(s, d)} sizes that the floor of the "
                "forward convolution merged (lesson 01)."
            )
        full = (i - 1) * s + d * (k - 1) + 1 + op
        return (
            f"The padding carves away everything: the buffer is {full} cells wide and carving "
            f"p = {p} from each side leaves {_factor(full - 2 * p)}. Make p smaller, or i, k, s "
            "or d larger."
        )

    def draw(self, fig, params: dict, result: dict | None) -> None:
        i, k, s, p, d, op = self._args(params)
        ax = _single_axes(fig)
        if result is None:
            x, weight = transposed_example(i, k)
            drawing.draw_colored_input(ax, x, title=f"input {i}×{i}")
            drawing.draw_grid(ax, weight, origin=(i + GAP, 0), color=drawing.COLORS["kernel"])
            drawing.label_grid(ax, "kernel", k, origin=(i + GAP, 0))
            return
        copies, x = result["copies"], result["x"]
        full, o = copies.shape[-1], result["output_size"]
        m, n = divmod(params["step"], i)
        row, col = divmod(params["cell"], o)
        color = drawing.copy_color(m, n, i)
        labelled = full <= drawing.MAX_LABELLED  # one rule for every panel
        left = [0, i + GAP, i + full + 2 * GAP, i + 2 * full + 3 * GAP]
        drawing.draw_colored_input(
            ax, x, selected=(m, n), title=f"input {i}×{i}", show_values=labelled
        )
        drawing.draw_kernel_copy(
            ax,
            copies[m, n],
            m,
            n,
            k,
            s,
            d,
            color=color,
            carve=p,
            origin=(left[1], 0),
            title=f"copy of x[{m}, {n}] = {x[m, n]}",
            show_values=labelled,
        )
        footprint = drawing.window_taps(m, n, k, s, d)
        drawing.draw_transposed_buffer(
            ax,
            copies.sum(axis=(0, 1)),
            p,
            footprints=[(footprint, color)],
            selected=(row + p, col + p),
            origin=(left[2], 0),
            title=f"sum of copies {full}×{full}",
            show_values=labelled,
        )
        drawing.draw_output_grid(
            ax, result["out"], selected=(row, col), origin=(left[3], 0), show_values=labelled
        )
        drawing.label_grid(ax, f"output {o}×{o}", o, origin=(left[3], 0))

    def values_html(self, params: dict, result: dict) -> str:
        i, k, s, p, d, op = self._args(params)
        o, x = result["output_size"], result["x"]
        m, n = divmod(params["step"], i)
        row, col = divmod(params["cell"], o)
        terms = _transposed.output_cell_terms(x, result["weight"], row, col, s, p, d, op)
        products = " + ".join(f"{_factor(t.input_value)}·{_factor(t.kernel_value)}" for t in terms)
        value = drawing.format_value(result["out"][row, col])
        sum_text = f"{products} = <b>{value}</b>" if terms else "<b>0</b> (no copy reaches it)"
        table = _html_table(result["out"], None, (row, col)) if o <= MAX_LISTED else ""
        return (
            f"<div style='margin-left:1em'>x[{m}, {n}] = {x[m, n]} scatters {x[m, n]} × kernel "
            f"with its corner at ({m}·{s}, {n}·{s}) = ({m * s}, {n * s})<br>"
            f"out[{row}, {col}] = buffer[{row + p}, {col + p}] = {sum_text}<br>{table}</div>"
        )


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
        An :class:`Explorer` with controls ``i, k, s, p, d, output_padding``, ``step``
        (the input element whose kernel copy is shown) and ``cell`` (the output cell
        whose sum is spelled out). The input and kernel are
        :func:`transposed_example` (seed 003's 2-D example at the defaults), the
        copies from :func:`helpers.transposed.kernel_copies`.

    Raises
    ------
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


class CheckerboardExplorer(Explorer):
    """Explorer of transposed-convolution overlap counts; see :func:`checkerboard_explorer`."""

    NAMES = ("i", "k", "s", "p", "d")

    def _args(self, params: dict) -> tuple[int, ...]:
        return tuple(params[name] for name in self.NAMES)

    def compute(self, params: dict) -> dict:
        i, k, s, p, d = self._args(params)
        o = arithmetic.conv_transpose_output_size(i, k, s, p, d)
        return {
            "output_size": o,
            "counts_1d": _transposed.overlap_counts(i, k, s, p, d),
            "counts_2d": _transposed.overlap_counts_2d(i, k, s, p, d),
            "resized": _transposed.resize_convolution(np.ones((i, i)), np.ones((k, k)), s),
            "pattern": _transposed.overlap_pattern(k, s, d),
        }

    def formula_html(self, params: dict, result: dict | None) -> str:
        i, k, s, p, d = self._args(params)
        raw = (i - 1) * s - 2 * p + d * (k - 1) + 1
        value = _span(result["output_size"]) if result else f"{raw}".replace("-", "−")
        text = (
            f"<b>o</b> = (i − 1)·s − 2p + d·(k − 1) + 1 = ({i} − 1)·{s} − 2·{p} + {d}·({k} − 1)"
            f" + 1 = <b>{value}</b>"
        )
        if result is None:
            return text + " &lt; 1: no output"
        pattern = result["pattern"]
        counts = ", ".join(str(c) for c in pattern)
        if len(set(pattern.tolist())) == 1:
            verdict = f"even: every interior cell is covered {pattern[0]} times (no checkerboard)"
        else:
            verdict = f"uneven: interior cells are covered {counts} times in turn (checkerboard)"
        return f"{text}<br>every s = {s} cells the pattern repeats: {verdict}"

    def explain(self, error: Exception, params: dict) -> str:
        i, k, s, p, d = self._args(params)
        full = (i - 1) * s + d * (k - 1) + 1
        return (
            f"The padding carves away everything: {full} cells minus 2·{p} leaves "
            f"{_factor(full - 2 * p)}. Make p smaller."
        )

    def draw(self, fig, params: dict, result: dict | None) -> None:
        k, s = params["k"], params["s"]
        ax = _single_axes(fig)
        if result is None:
            ax.text(0.5, 0.5, "no output", ha="center", va="center", transform=ax.transAxes)
            return
        o = result["output_size"]
        # each map on its own colour scale: what matters is whether it is even
        vmax = result["counts_2d"].max()
        drawing.draw_overlap_counts(ax, result["counts_1d"], origin=(0, -2.6), vmax=vmax)
        drawing.label_grid(ax, "transposed conv: 1-D, then 2-D", o, origin=(0, -2.6))
        drawing.draw_overlap_counts(ax, result["counts_2d"], vmax=vmax)
        drawing.draw_overlap_counts(
            ax, result["resized"], origin=(o + GAP, 0), title=f"resize ×{s}, then {k}×{k} conv"
        )

    def values_html(self, params: dict, result: dict) -> str:
        counts = " ".join(str(c) for c in result["counts_1d"])
        return f"<div style='margin-left:1em'>1-D counts: {counts}</div>"


def checkerboard_explorer(
    i: int = 3, k: int = 3, s: int = 2, p: int = 0, d: int = 1
) -> CheckerboardExplorer:
    """Sliders for the overlap of kernel copies: when does a checkerboard appear?

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
        An :class:`Explorer` with controls ``i, k, s, p, d``. The picture shows
        :func:`helpers.transposed.overlap_counts` (one row) above
        :func:`helpers.transposed.overlap_counts_2d`, next to the same count for
        nearest-neighbour resizing followed by a ``k x k`` convolution
        (:func:`helpers.transposed.resize_convolution`); the formula line says whether
        the interior overlap is even (:func:`helpers.transposed.overlap_pattern`).

    Raises
    ------
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
