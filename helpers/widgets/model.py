"""``model_explorer``: a slider per spatial axis of a model's input, and every layer's size.

Move the height (the length of a 1-D signal, the depth of a clip) and the table of
:func:`helpers.shapes.explain_shapes` follows: each layer's output shape, with the formula
and numbers behind it. When the model does not run, the layer that fails is the last row,
marked, with :func:`helpers.shapes.explain_shape_error`'s headline and fix; a line says
which sizes run (:func:`helpers.shapes.input_sizes_that_run`).

An :class:`~helpers.widgets.base.Explorer` like the others: :meth:`ModelExplorer.compute`
turns the slider values into a :class:`ModelState` and never raises; the picture, the status
line, the table, the sizes line and the display bundle left for viewers without a kernel are
rendered from that state alone; pictures are remembered and the next step of a moved slider
is drawn ahead while the kernel is idle. Introduced in notebook 08.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from functools import cache

import ipywidgets as widgets
from matplotlib.figure import Figure
from torch import nn

from helpers.shapes import explain_shape_error, input_sizes_that_run
from helpers.shapes.diagnosis import default_up_to
from helpers.shapes.recording import check_input_size
from helpers.shapes.report import dims
from helpers.shapes.sizes import sizes_line
from helpers.shapes.table import LayerShape
from helpers.widgets.base import Explorer, ExplorerState
from helpers.widgets.controls import int_slider
from helpers.widgets.settings import Settings

__all__ = ["ModelExplorer", "ModelState", "model_explorer", "state_alt", "state_html"]

#: The sliders' names and labels by the number of spatial axes.
AXIS_LABELS = {
    1: (("L", "length L"),),
    2: (("H", "height H"), ("W", "width W")),
    3: (("D", "depth D"), ("H", "height H"), ("W", "width W")),
}
#: Figure size in inches and CSS pixels per inch of the picture.
FIGSIZE, DPI = (6.0, 2.8), 72
#: Background of the failing row (the row also says "fails here": colour is not the only cue).
FAILING = "#fce5cd"


@dataclass(frozen=True, kw_only=True, eq=False)
class ModelState(ExplorerState):
    """Everything the views show, for one setting of the sliders.

    Attributes
    ----------
    input_shape : tuple of int
        The input tried, batch axis excluded.
    runs : bool
        Whether the forward pass went through.
    rows : tuple of LayerShape
        The layers that ran, in order, with their formulas.
    output_shapes : tuple of tuple of int
        What the model returned (when it runs).
    failing : str
        ``"name (Kind)"`` of the layer (or operation) that failed; ``""`` when it runs.
    arrived : str
        The shapes that reached it, as ``"8×64×64, 8×65×65"``.
    headline, fix, error : str
        :func:`helpers.shapes.explain_shape_error`'s headline, fix and PyTorch's message.
    sizes_line : str
        Which sizes run when every spatial axis has the same size, and which were tried.
    message : str
        A friendly note when something other than a shape stopped the model; else ``""``.
    formula : tuple of str
        The status line (:func:`status_html`), empty when there is a message.
    caption : tuple of str
        The status line as plain text, then the spatial size after each layer: the
        picture's alt text (:func:`state_alt`).
    """

    input_shape: tuple[int, ...]
    runs: bool
    rows: tuple[LayerShape, ...] = ()
    output_shapes: tuple[tuple[int, ...], ...] = ()
    failing: str = ""
    arrived: str = ""
    headline: str = ""
    fix: str = ""
    error: str = ""
    sizes_line: str = ""


def axis_settings(input_shape: tuple[int, ...]) -> Settings:
    """The sliders' values for an input shape: ``(1, 28, 30)`` -> ``{"H": 28, "W": 30}``."""
    names = [name for name, _ in AXIS_LABELS[len(input_shape) - 1]]
    return Settings(dict(zip(names, input_shape[1:], strict=True)))


def _first_line(error: Exception) -> str:
    text = str(error).splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def compute_state(model: nn.Module, input_shape: tuple[int, ...], sizes: str) -> ModelState:
    """The state for one input shape; never raises (a failure becomes the state's message)."""
    common = {"settings": axis_settings(input_shape), "input_shape": input_shape}
    try:
        report = explain_shape_error(model, input_shape, up_to=0)
    except Exception as error:  # not a shape problem: say it, do not show a traceback
        return ModelState(
            **common, runs=False, sizes_line=sizes,
            message=f"The model stopped with an error that is not about shapes: "
            f"{_first_line(error)}",
        )  # fmt: skip
    rows = report.table.rows if report.table is not None else ()
    if report.runs:
        state = ModelState(
            **common, runs=True, rows=rows, output_shapes=report.output_shapes,
            headline=report.headline, sizes_line=sizes,
        )  # fmt: skip
    else:
        state = ModelState(
            **common, runs=False, rows=rows, failing=f"{report.layer} ({report.kind})",
            arrived=", ".join(dims(s) for s in report.arrived), headline=report.headline,
            fix=report.fix, error=report.error, sizes_line=sizes,
        )  # fmt: skip
    caption = tuple(line for line in (status_text(state), series_text(state)) if line)
    return replace(state, formula=(status_html(state),), caption=caption)


# --------------------------------------------------------------------------- views
def _code(text: str) -> str:
    """Escape; names in backticks become ``<code>``."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if n % 2 else p for n, p in enumerate(parts))


def state_html(state: ModelState) -> str:
    """The table: input, every layer that ran, and the failing layer marked as the last row."""
    head = "<tr><th>Layer (type)</th><th>Output shape</th><th>Output size</th></tr>"
    body = [f"<tr><td>input</td><td>{dims(state.input_shape)}</td><td></td></tr>"]
    body += [
        f"<tr><td>{html.escape(r.name)} ({r.kind})</td><td>{dims(r.output_shape)}</td>"
        f"<td>{html.escape(r.formula)}</td></tr>"
        for r in state.rows
    ]
    if state.failing:
        body.append(
            f'<tr class="failing" style="background:{FAILING}"><td><b>✗ '
            f"{html.escape(state.failing)}</b></td><td>{state.arrived} arrive</td>"
            "<td><b>fails here</b>: see the message above</td></tr>"
        )
    caption = f"Every layer's size for an input of {dims(state.input_shape)}"
    return f'<table class="model-layers"><caption>{caption}</caption>{head}{"".join(body)}</table>'


def status_html(state: ModelState) -> str:
    """The line above the picture: the output size, or the failure's headline and fix.

    Empty when the model stopped for another reason (the state's message says why).
    """
    if state.message:
        return ""
    if state.runs:
        returned = " and ".join(dims(s) for s in state.output_shapes) or "no tensor"
        return (
            f"<div>✓ runs on {dims(state.input_shape)}: each sample gives an output of size "
            f'<span class="output-size">{returned}</span></div>'
        )
    fix = f"<br><b>Fix</b>: {_code(state.fix)}" if state.fix else ""
    return (
        f'<div class="explorer-message" style="background:{FAILING};padding:4px">'
        f"<b>✗ does not run</b>: {_code(state.headline)}{fix}"
        f"<br><small>PyTorch said: {html.escape(state.error)}</small></div>"
    )


def status_text(state: ModelState) -> str:
    """The status line as plain text; empty when the state has a message instead."""
    if state.message:
        return ""
    if state.runs:
        returned = " and ".join(dims(s) for s in state.output_shapes) or "no tensor"
        return f"runs on {dims(state.input_shape)}: each sample gives an output of size {returned}"
    headline = state.headline.replace("`", "").rstrip(".")
    return f"does not run on {dims(state.input_shape)}: {headline}"


def sizes_html(state: ModelState) -> str:
    """The line with the sizes that run."""
    if not state.sizes_line:
        return ""
    return f'<div class="sizes-that-run">Every axis the same size: {state.sizes_line}</div>'


def _series(state: ModelState) -> tuple[list[str], list[tuple[int, ...]]]:
    """Names and spatial sizes of the input and of each layer that keeps spatial axes."""
    rank = len(state.input_shape) - 1
    names, sizes = ["input"], [state.input_shape[1:]]
    for row in state.rows:
        if len(row.output_shape) == rank + 1:
            names.append(row.name)
            sizes.append(row.output_shape[1:])
    return names, sizes


def series_text(state: ModelState) -> str:
    """The spatial size after each layer, as text: ``"28×28 → 26×26 → …; the model runs"``."""
    _, sizes = _series(state)
    steps = " → ".join(dims(s) for s in sizes)
    end = f"; fails at {state.failing}" if state.failing else "; the model runs"
    return f"spatial size after each layer: {steps}{end}"


def state_alt(state: ModelState) -> str:
    """Alt text of the picture: the status and the size after each layer, with numbers."""
    return state.alt


def draw_state(state: ModelState, fig: Figure | None = None) -> Figure:
    """Each spatial axis's size after each layer, the failing layer marked, on ``fig``.

    ``fig`` (default: a new figure of :data:`FIGSIZE`) is cleared first: its line plot's
    limits and legend must not carry over from an earlier state.
    """
    if fig is None:
        fig = Figure(figsize=FIGSIZE)
    fig.clear()
    ax = fig.add_axes((0.09, 0.36, 0.89, 0.56))
    names, sizes = _series(state)
    labels = [label for _, label in AXIS_LABELS[len(state.input_shape) - 1]]
    for axis, (label, marker) in enumerate(zip(labels, "os^", strict=False)):
        ax.plot(range(len(sizes)), [s[axis] for s in sizes], marker=marker, label=label)
    if state.failing:  # one more tick, named and crossed, and a dashed line
        names = [*names, f"✗ {state.failing}"]
        ax.axvline(len(sizes), color="#b45f06", linestyle="--", label="✗ fails here")
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=7)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("size")
    ax.legend(loc="upper right", fontsize=8)
    title = "runs" if state.runs else "does not run"
    ax.set_title(f"input {dims(state.input_shape)}: {title}", fontsize=9)
    return fig


# --------------------------------------------------------------------------- the widget
class ModelExplorer(Explorer):
    """Sliders for the input's spatial sizes, the status, the picture, the sizes, the table.

    Build it with :func:`model_explorer`. ``controls`` maps an axis name (``"H"``) to its
    slider, ``boxes`` to the number box beside it (named by its label, for screen readers:
    ipywidgets' slider handle has no accessible name; see
    :func:`helpers.widgets.controls.control_panel`); :meth:`compute` is the pure function
    from slider values to a :class:`ModelState`; ``state`` is the one shown. ``formula``
    holds the status line, ``message`` a failure that is not about shapes, ``sizes`` the
    sizes that run and ``table`` every layer's size.
    """

    def __init__(self, model: nn.Module, input_size: tuple[int, ...]):
        self.model, self.input_size = model, input_size
        self.up_to = default_up_to(input_size)
        self._sizes_that_run = cache(self._sizes_text)
        controls = {
            name: int_slider(name, input_size[n], 1, self.up_to, label)
            for n, (name, label) in enumerate(AXIS_LABELS[len(input_size) - 1], 1)
        }
        self.sizes, self.table = widgets.HTML(), widgets.HTML()
        super().__init__(controls, figsize=FIGSIZE, dpi=DPI)
        self.children = (*self.children, self.sizes, self.table)

    def _sizes_text(self) -> str:
        try:
            found = input_sizes_that_run(self.model, self.input_size, up_to=self.up_to)
        except Exception as error:  # said, not raised
            return f"could not be tried: {_first_line(error)}"
        return sizes_line(found, self.up_to, len(self.input_size) - 1)

    def compute(self, settings: Settings) -> ModelState:
        """The state for these slider values; never raises."""
        shape = (self.input_size[0], *(settings[name] for name in self.controls))
        return compute_state(self.model, shape, self._sizes_that_run())

    def draw(self, fig: Figure, state: ModelState) -> None:
        """Each axis's size after each layer (:func:`draw_state`)."""
        draw_state(state, fig)

    def _show(self, state: ModelState, picture: bytes) -> None:
        """The common views, then the sizes line and the table."""
        super()._show(state, picture)
        self.sizes.value = sizes_html(state)
        self.table.value = state_html(state)

    def __repr__(self) -> str:
        """``ModelExplorer(Sequential, input (1, 28, 28)) -> runs``: the stored text output."""
        verdict = "runs" if self.state.runs else f"fails at {self.state.failing}"
        model = type(self.model).__name__
        return f"ModelExplorer({model}, input {self.state.input_shape}) -> {verdict}"

    def _repr_mimebundle_(self, **kwargs):
        """The explorers' bundle (widget view, picture, alt text), the table added to the HTML."""
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)
        data["text/html"] += sizes_html(self.state) + state_html(self.state)
        return data, metadata


def model_explorer(model: nn.Module | None = None, input_size=None) -> ModelExplorer:
    """Explore which input sizes a model takes: a slider per spatial axis, every layer's size.

    Parameters
    ----------
    model : nn.Module or None, default=None
        Any module whose ``forward`` takes one tensor of 1, 2 or 3 spatial axes. None: the
        MNIST CNN of lesson 06 (:func:`helpers.models.source_cnn`).
    input_size : tuple of int or None, default=None
        One input's shape without the batch axis, channels first: ``(1, 28, 28)``; its
        spatial sizes are where the sliders start (each goes from 1 to
        :func:`helpers.shapes.diagnosis.default_up_to`). None: ``(1, 28, 28)``.

    Returns
    -------
    ModelExplorer
        Shows the output shape (or the failing layer, marked, with the headline and the
        fix of :func:`helpers.shapes.explain_shape_error`), a picture of each axis's size
        after each layer, the sizes that run with every axis the same size, and the table
        of :func:`helpers.shapes.explain_shapes` with each layer's formula.

    Raises
    ------
    TypeError
        If ``model`` is not an ``nn.Module`` or ``input_size`` not a tuple of ints.
    ValueError
        If a size is below 1 or ``input_size`` does not have 2 to 4 axes.

    Notes
    -----
    Introduced in notebook 08. The model runs once per slider move (evaluation mode, on
    zeros); the sizes that run are found once, on PyTorch's ``meta`` device.
    """
    if model is None:
        from helpers.models import source_cnn

        model = source_cnn()
    if not isinstance(model, nn.Module):
        raise TypeError(f"model={type(model).__name__} is invalid: must be a torch.nn.Module")
    input_size = check_input_size((1, 28, 28) if input_size is None else input_size)
    if not 2 <= len(input_size) <= 4:
        raise ValueError(
            f"input_size={input_size} is invalid: must be (channels, 1 to 3 spatial sizes)"
        )
    return ModelExplorer(model, input_size)
