"""The explorer base class: settings -> state -> views, in one direction.

Every explorer is an :class:`Explorer`, an ``ipywidgets.VBox`` holding

- ``.controls`` -- a dict from parameter name (``"i"``, ``"k"``, ``"s"``, ...) to its control;
- ``.boxes`` -- a dict from each slider's name to the number box shown in place of its
  readout, named by the slider's label (:func:`~helpers.widgets.controls.slider_row`);
- ``.formula`` -- an ``HTML`` widget: the formula with the numbers, the result in
  ``<span class="output-size">N</span>``;
- ``.message`` -- an ``HTML`` widget, empty when all is well, else one line
  (``class="explorer-message"``) naming the rule the current combination breaks;
- ``.image`` -- the picture (a PNG in an ``Image``), drawn with :mod:`helpers.drawing`;
- ``.values`` -- an ``HTML`` widget with the output values (small sizes only).

On every change the explorer calls :meth:`Explorer.compute` with the control values
(:class:`Settings`); it returns an :class:`ExplorerState` for every combination, possible or
not, without raising: the arithmetic's answer, the message, the formula and values lines
(as HTML and as plain text), the slider ranges and the arrays to draw. Every view -- the
picture (:meth:`Explorer.draw`), the HTML widgets, the repr, the stored static bundle, the
alt text and the GIF captions of :mod:`helpers.animation` -- is rendered from that state
and changes nothing. A picture memory (:mod:`helpers.widgets.memory`) caches the pure
function settings -> (state, picture).

Introduced in notebook 01; after ezyang's convolution visualizer and vdumoulin/conv_arithmetic.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import ipywidgets as widgets
from matplotlib.figure import Figure

from helpers.arithmetic import SizeResult
from helpers.validation import check_choice
from helpers.widgets.controls import (
    control_panel,
    example_input,
    int_slider,
    position_slider,
    set_range,
)
from helpers.widgets.memory import Drawn, PictureMemory, neighbours
from helpers.widgets.render import (
    css_width,
    render_picture,
    render_svg,
    reuse_axes,
    strip_figure,
)
from helpers.widgets.settings import Settings
from helpers.widgets.static import static_bundle
from helpers.widgets.text import message_html, svg_html, values_html

__all__ = [
    "MAX_LISTED",
    "Explorer",
    "ExplorerState",
    "Settings",
    "example_input",
    "int_slider",
    "position_slider",
    "reuse_axes",
    "set_range",
]

#: Output grids larger than this (rows or columns) are not listed in ``.values``.
MAX_LISTED = 8

#: Drawings remembered by control values; ``PictureMemory(0)`` draws every picture anew.
KEEP_PICTURES = 64

#: Seconds after a redraw during which changes from the browser (a drag) are coalesced.
COALESCE_S = 0.03

#: Seconds after a redraw before the moved slider's next step is drawn ahead: the messages
#: of the picture just drawn, and then the rest (:data:`TEXT_AFTER_S`), leave the kernel first.
DRAW_AHEAD_AFTER_S = 0.035

#: Seconds after a picture that moved in the browser before the formula, the message, the
#: values, the number boxes and the sliders' ranges follow it: the browser shows the new
#: picture in a frame of its own, without laying out the rest in the same frame.
TEXT_AFTER_S = 0.03


# --------------------------------------------------------------------------- the state
@dataclass(frozen=True, kw_only=True, eq=False)
class ExplorerState:
    """Everything an explorer shows for one combination of its controls, possible or not.

    Subclasses add the arrays their explorer draws (``None`` when there is no output).

    Parameters
    ----------
    settings : Settings
        The control values this state was computed for.
    size : SizeResult or None, default=None
        The answer of :mod:`helpers.arithmetic`, when the explorer has one.
    message : str, default=""
        The broken rule, as plain text; empty when the combination is possible.
    formula, values : tuple of str, default=()
        The formula lines and the values lines, as HTML.
    caption : tuple of str, default=()
        The same lines as plain text (GIF captions, alt text).
    ranges : mapping of str to (int, bool), default={}
        Control name -> ``(maximum, enabled)`` for the sliders this state narrows.
    summary : str, default=""
        ``name=value`` after the arrow of the explorer's repr (default ``output_size=N``).
    """

    settings: Settings
    size: SizeResult | None = None
    message: str = ""
    formula: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    caption: tuple[str, ...] = ()
    ranges: Mapping[str, tuple[int, bool]] = field(default_factory=dict)
    summary: str = ""

    @property
    def output_size(self) -> int | None:
        """The output size, None when impossible or when there is no size."""
        return None if self.size is None else self.size.value

    @property
    def alt(self) -> str:
        """A description of the picture for a reader who cannot see it: the caption lines."""
        return "; ".join(line for line in (*self.caption, self.message) if line)

    def __repr__(self) -> str:
        """``Name(settings, summary)``, short."""
        return f"{type(self).__name__}({dict(self.settings)}, {self.summary or self.output_size})"


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop when called from a message handler, else None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _direction(change) -> int:
    """+1 when an int control's value went up, -1 when it went down (else +1)."""
    old, new = change.get("old"), change.get("new")
    if isinstance(old, int) and isinstance(new, int) and new < old:
        return -1
    return 1


def _descendants(box: widgets.Box) -> Iterator[widgets.Widget]:
    """Every widget inside ``box``, at any depth (not ``box`` itself)."""
    for child in box.children:
        yield child
        if isinstance(child, widgets.Box):
            yield from _descendants(child)


# --------------------------------------------------------------------------- the base class
class Explorer(widgets.VBox):
    """Controls, formula, message, picture and values of one explorer, kept in step.

    A new explorer is a subclass with two methods, built with its controls:
    ``compute(settings) -> ExplorerState`` (pure, never raises) and
    ``draw(fig, state)`` (draws the state on ``fig``, asking :func:`reuse_axes` for its
    Axes); see :mod:`helpers.widgets`.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
        The parameter controls, in display order; ``"step"`` (if present) walks the
        positions one by one (:attr:`step_control`).
    figsize : (float, float), default=(6.0, 3.0)
        Size of the figure in inches (CSS size at 72 dpi).
    dpi : float, default=72
        CSS pixels per inch of the picture.

    Attributes
    ----------
    controls, boxes, formula, message, image, values
        See the module docstring.
    state : ExplorerState
        What :meth:`compute` returned for the current control values.
    memory : PictureMemory
        Pictures remembered by control values; ``PictureMemory(0)`` turns memory and
        drawing ahead off.

    Notes
    -----
    :meth:`redraw` runs on every change of a control; changes made while it runs (a
    slider clamped to a new range) do not start another. Use :meth:`set` to change several
    controls with one redraw. Changes that come from the browser
    (:attr:`~helpers.widgets.controls.Slider.from_front_end`) within :data:`COALESCE_S` of
    the last redraw are drawn once, :data:`COALESCE_S` later, with the latest values;
    changes made by code redraw at once. After a change from the browser the new picture is
    sent at once and the rest (formula, message, values, number boxes, slider ranges)
    :data:`TEXT_AFTER_S` later, so the browser lays out the picture in a frame of its own;
    after a change made by code everything is sent together. After a slider moved in the
    browser, the picture one step further the same way is drawn while the kernel is idle.
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
        self.image: widgets.Image | widgets.HTML = widgets.Image(
            format="png", layout=widgets.Layout(max_width="100%")
        )
        self.values = widgets.HTML()
        self.figsize = figsize
        self.dpi = dpi
        self.state: ExplorerState | None = None
        self.memory = PictureMemory(KEEP_PICTURES)
        self._busy = False
        self._figure: Figure | None = None
        self._finished = float("-inf")  # when the last redraw ended (time.perf_counter)
        self._pending: asyncio.TimerHandle | None = None
        self._ahead: asyncio.TimerHandle | None = None
        self._held: contextlib.ExitStack | None = None  # the rest, waiting for the picture
        self._release: asyncio.TimerHandle | None = None
        # observed before the number boxes are linked: a move redraws first, so the picture
        # leaves the kernel ahead of the box's new value
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        panel, self.boxes = control_panel(self.controls)
        super().__init__(
            children=[panel, self.formula, self.message, widgets.HBox([self.image, self.values])]
        )
        self.redraw()

    # ------------------------------------------------------------------ what subclasses give
    def compute(self, settings: Settings) -> ExplorerState:
        """Everything shown for ``settings``; pure, and never raises.

        Parameters
        ----------
        settings : Settings
            Control values by name.

        Returns
        -------
        ExplorerState
            Possible or not (``state.message`` then names the broken rule).
        """
        raise NotImplementedError

    def draw(self, fig: Figure, state: ExplorerState) -> None:
        """Draw ``state`` on ``fig`` (its Axes emptied; get them with :func:`reuse_axes`)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ public API
    @property
    def output_size(self) -> int | None:
        """The current output size, None when impossible (or without an output grid)."""
        return self.state.output_size

    @property
    def step_control(self) -> str | None:
        """``"step"`` when the explorer walks positions one by one (an animation's frames)."""
        return "step" if "step" in self.controls else None

    def __repr__(self) -> str:
        """``Name(control=value, ...) -> output_size=N``: the cell's stored text output."""
        settings = ", ".join(f"{name}={value!r}" for name, value in self.state.settings.items())
        summary = self.state.summary or f"output_size={self.state.output_size}"
        return f"{type(self).__name__}({settings}) -> {summary}"

    def _repr_mimebundle_(self, **kwargs) -> tuple[dict, dict]:
        """The widget view, and the picture, formula and alt text for front ends without it."""
        bundle = super()._repr_mimebundle_(**kwargs) or {"text/plain": repr(self)}
        png = self.png() if isinstance(self.image, widgets.HTML) else bytes(self.image.value)
        data, metadata = static_bundle(self.state, png, css_width(self.figsize, self.dpi))
        return {**bundle, **data}, metadata

    def params(self) -> dict:
        """Current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def draw_into(self, fig: Figure, state: ExplorerState | None = None) -> Figure:
        """Draw ``state`` (default: the current one) on the empty ``Figure`` ``fig``."""
        self.draw(fig, self.state if state is None else state)
        return fig

    def figure(self) -> Figure:
        """A new pyplot-free ``Figure`` of :attr:`figsize` with the current picture drawn."""
        return self.draw_into(Figure(figsize=self.figsize))

    def png(self, state: ExplorerState | None = None) -> bytes:
        """The PNG of ``state`` (default: the current one), drawn on a new figure."""
        return render_picture(self.draw_into(Figure(figsize=self.figsize), state), self.dpi)

    def show_as(self, picture: str) -> Explorer:
        """Show the picture as ``"png"`` (an ``Image``, the default) or ``"svg"`` (inline HTML).

        The stored static bundle stays a PNG either way. ``bench/latency.py`` compares both.
        """
        picture = check_choice("picture", picture, ("png", "svg"))
        image = widgets.HTML() if picture == "svg" else widgets.Image(format="png")
        image.layout.max_width = "100%"
        self.children[-1].children = (image, self.values)
        self.image = image
        self.memory.clear()
        self.redraw()
        return self

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

        Raises
        ------
        ValueError
            If a name is not a control (nothing is changed then).
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}: known are {list(self.controls)}")
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value
            # A value clamped by a range that the other new values widen gets a second chance.
            self._settle()
            for name, value in values.items():
                if self.controls[name].value != value:
                    self.controls[name].value = value
        return self

    # ------------------------------------------------------------------ machinery
    def _on_change(self, change) -> None:
        if self._busy:
            return
        # A change from the browser that arrives right after a redraw, or while one is
        # scheduled, is part of a drag: redraw once, shortly, with the latest values.
        from_browser = getattr(change.owner, "from_front_end", False)
        recent = time.perf_counter() - self._finished < COALESCE_S
        loop = _running_loop() if from_browser and (recent or self._pending) else None
        if loop is None:
            moved = (change.owner, _direction(change)) if from_browser else None
            self.redraw(moved=moved, from_browser=from_browser)
        elif self._pending is None:
            self._pending = loop.call_later(
                COALESCE_S, functools.partial(self.redraw, from_browser=True)
            )

    def _settle(self) -> ExplorerState:
        """The state of the current values, after narrowing the sliders it names.

        A narrowed slider may clamp its value; the state of the clamped values is then
        computed (at most once per control).
        """
        for _ in range(len(self.controls) + 1):
            settings = Settings(self.params())
            state = self._state(settings)
            for name, (high, enabled) in state.ranges.items():
                set_range(self.controls[name], high, enabled=enabled)
            if Settings(self.params()) == settings:
                break
        return state

    def _key(self, settings: Settings) -> tuple:
        """What a picture depends on: the control values, the figure's size and the format."""
        svg = isinstance(self.image, widgets.HTML)
        return (tuple(settings.items()), tuple(self.figsize), self.dpi, svg)

    def _state(self, settings: Settings) -> ExplorerState:
        """The state of ``settings``: remembered with its picture, or computed."""
        drawn = self.memory.get(self._key(settings))
        return self.compute(settings) if drawn is None else drawn.state

    def _drawing(self, state: ExplorerState) -> Drawn:
        """``state`` and its picture: remembered, or drawn."""
        key = self._key(state.settings)
        drawn = self.memory.get(key)
        if drawn is None:
            if self._figure is None or tuple(self._figure.get_size_inches()) != tuple(self.figsize):
                self._figure = Figure(figsize=self.figsize)
            fig = strip_figure(self._figure)
            self.draw(fig, state)
            svg = isinstance(self.image, widgets.HTML)
            drawn = Drawn(state, render_svg(fig) if svg else render_picture(fig, self.dpi))
            self.memory.put(key, drawn)
        return drawn

    def _plan_ahead(self, moved) -> None:
        """After a slider moved in the browser, draw its next step soon (see the class notes)."""
        loop = _running_loop()
        control, direction = moved if moved else (None, 1)
        steppable = isinstance(control, widgets.IntSlider) and not control.disabled
        if loop is None or self.memory.size == 0 or not steppable:
            return
        name = next(n for n, c in self.controls.items() if c is control)
        for values in neighbours(self.params(), name, control.min, control.max, direction):
            settings = Settings(values)
            if self._key(settings) not in self.memory:
                self._ahead = loop.call_later(DRAW_AHEAD_AFTER_S, self._draw_ahead, settings)
                return

    def _draw_ahead(self, settings: Settings) -> None:
        """Draw the picture of ``settings`` into :attr:`memory`, showing nothing."""
        self._ahead = None
        self._drawing(self.compute(settings))

    def redraw(self, moved=None, *, from_browser: bool = False) -> None:
        """Compute the state of the controls and show it: picture first, then the rest.

        Parameters
        ----------
        moved : (control, int) or None
            The control that moved and its way (+1 or -1): its next step is drawn ahead.
        from_browser : bool, default=False
            The change came from the browser: in the kernel's event loop, the picture is
            sent at once and the rest (text, number boxes, ranges) :data:`TEXT_AFTER_S`
            later. Changes made by code are sent together, at once.
        """
        for timer in (self._pending, self._ahead):
            if timer is not None:
                timer.cancel()
        self._pending = self._ahead = None
        loop = _running_loop() if from_browser else None
        if loop is None:
            self._send_the_rest()  # nothing waits behind a change made by code
        self._busy = True
        try:
            with contextlib.ExitStack() as now:
                held = now if loop is None else self._hold_the_rest(loop)
                # the controls' new ranges reach the browser after the picture
                for control in self.controls.values():
                    held.enter_context(control.hold_sync())
                state = self._settle()
                self._show(state, self._drawing(state).picture)
        finally:
            self._busy = False
            self._finished = time.perf_counter()
        self._plan_ahead(moved)

    def _hold_the_rest(self, loop: asyncio.AbstractEventLoop) -> contextlib.ExitStack:
        """Hold every widget shown but the picture until :data:`TEXT_AFTER_S` from the first hold.

        Held widgets change in the kernel at once; only their messages to the browser wait.
        A drag keeps adding to the same hold, so the text follows at least that often.
        """
        if self._held is None:
            self._held = contextlib.ExitStack()
            for widget in _descendants(self):
                if widget is not self.image:
                    self._held.enter_context(widget.hold_sync())
            self._release = loop.call_later(TEXT_AFTER_S, self._send_the_rest)
        return self._held

    def _send_the_rest(self) -> None:
        """Send what :meth:`_hold_the_rest` held back (nothing if nothing is held)."""
        if self._release is not None:
            self._release.cancel()
        held, self._held, self._release = self._held, None, None
        if held is not None:
            held.close()

    def _show(self, state: ExplorerState, picture: bytes) -> None:
        """Render ``state`` into the widgets (the only place that writes them)."""
        self.state = state
        self.image.layout.width = css_width(self.figsize, self.dpi)
        if isinstance(self.image, widgets.HTML):
            self.image.value = svg_html(picture, css_width(self.figsize, self.dpi))
        else:
            self.image.value = picture
        self.message.value = message_html(state.message)
        self.formula.value = "<br>".join(state.formula)
        self.values.value = values_html(state.values)
