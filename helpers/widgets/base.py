"""The explorer base class: controls, formula, message, picture and values kept in step.

Every explorer is an :class:`Explorer`, an ``ipywidgets.VBox`` holding

- ``.controls`` -- a dict from parameter name (``"i"``, ``"k"``, ``"s"``, ``"p"``,
  ``"d"``, ``"step"``, ``"cell"``, ...) to its control widget;
- ``.formula`` -- an ``HTML`` widget with the numbers substituted into the formula and
  the result in ``<span class="output-size">N</span>``;
- ``.message`` -- an ``HTML`` widget, empty when all is well, else one friendly line
  (``class="explorer-message"``) naming the rule the current combination breaks;
- ``.image`` -- an ``Image`` (PNG) drawn with :mod:`helpers.drawing` on a pyplot-free
  ``Figure`` and rendered by :func:`helpers.widgets.render.render_picture`;
- ``.values`` -- an ``HTML`` widget with the output values (small sizes only);
- ``.output_size`` -- the current output size, ``None`` when the combination is
  impossible (or when the explorer has no output grid).

A subclass builds its controls and fills the hooks :meth:`Explorer.compute` (returning an
:class:`ExplorerState`), :meth:`Explorer.formula_html`, :meth:`Explorer.draw` and, optionally,
:meth:`Explorer.values_html`, :meth:`Explorer.adapt_ranges`, :meth:`Explorer.explain`. Every
hook receives the control values as :class:`Settings`: ``v.i`` and ``v["i"]`` both work.

Introduced in notebook 01; after ezyang's convolution visualizer and vdumoulin/conv_arithmetic.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.figure import Figure

from helpers.arithmetic import SizeResult
from helpers.widgets.controls import example_input, int_slider, position_slider, set_range
from helpers.widgets.memory import Drawn, PictureMemory, neighbours
from helpers.widgets.render import PictureFormat, render_picture, strip_figure
from helpers.widgets.settings import Settings
from helpers.widgets.static import static_bundle

__all__ = [
    "MAX_LISTED",
    "Explorer",
    "ExplorerState",
    "Settings",
    "example_input",
    "int_slider",
    "position_slider",
    "set_range",
]

#: Output grids larger than this (rows or columns) are not listed in ``.values``.
MAX_LISTED = 8

#: Seconds after a redraw during which changes from the browser (a drag) are coalesced.
COALESCE_S = 0.03

#: Seconds after a redraw before the moved slider's next step is drawn ahead: the messages
#: of the picture just drawn leave the kernel first.
DRAW_AHEAD_AFTER_S = 0.03


# --------------------------------------------------------------------------- typed state
@dataclass(frozen=True, kw_only=True, eq=False)
class ExplorerState:
    """What :meth:`Explorer.compute` found for a possible combination of the controls.

    Subclasses add the arrays their explorer draws (``x``, ``out``, ...).

    Parameters
    ----------
    output_size : int or None
        The output size shown in the formula; ``None`` for an explorer without an
        output grid (the channels explorer).
    size : SizeResult or None, default=None
        The answer of :mod:`helpers.arithmetic` behind ``output_size``, when there is one.
    """

    output_size: int | None
    size: SizeResult | None = None


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


def _output_size_of(state) -> int | tuple | None:
    """``state.output_size``; a mapping with an ``"output_size"`` key (the older hook) works too."""
    if state is None:
        return None
    if isinstance(state, Mapping):
        return state["output_size"]
    return state.output_size


# --------------------------------------------------------------------------- the base class
class Explorer(widgets.VBox):
    """Controls, formula, message, picture and values of one explorer, kept in step.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
        The parameter controls, in display order; ``"step"`` and ``"cell"`` (if present)
        walk over positions.
    figsize : (float, float), default=(6.0, 3.0)
        Size of the figure in inches (CSS size at 72 dpi).
    dpi : float, default=72
        Resolution of the picture in CSS pixels per inch.
    picture : PictureFormat or None, default=None
        How the picture is encoded (pixel density, palette); None: the default
        :class:`~helpers.widgets.render.PictureFormat`.

    Attributes
    ----------
    controls, formula, message, image, values, output_size
        See the module docstring.
    state : ExplorerState or None
        What :meth:`compute` returned last; None when the combination is impossible.

    Notes
    -----
    :meth:`redraw` runs on every change of a control; changes made while it runs (a
    slider clamped by :meth:`adapt_ranges`) do not start another redraw. Use :meth:`set`
    to change several controls with one redraw. Changes that come from the browser within
    :data:`COALESCE_S` of the last redraw (a slider dragged faster than it redraws) are
    drawn once, :data:`COALESCE_S` later, with the latest values; changes made by code
    always redraw at once, so a notebook cell reads the new state on its next line.

    The last :attr:`KEEP_PICTURES` drawings are remembered by control values
    (:attr:`memory`), so a value seen before shows its picture without drawing it; after a
    slider is moved in the browser, the picture one step further the same way is drawn
    while the kernel is idle, so the next arrow-key press finds its picture ready (the
    way back is remembered).
    ``explorer.memory = PictureMemory(0)`` turns both off. :meth:`compute` and :meth:`draw`
    must therefore depend only on the control values and on what the explorer was built
    with.
    """

    #: The control that walks the positions shown one by one, if any (see :attr:`step_control`).
    STEP_CONTROL: str | None = None
    #: The attribute named in the ``repr``, after the control values.
    SUMMARY = "output_size"
    #: True when :meth:`draw` gets its Axes from :func:`reuse_axes`: the picture is then drawn
    #: on one figure again and again (much faster than a new figure per redraw).
    REUSE_AXES = False
    #: Drawings remembered by control values; 0 draws every picture anew and none ahead.
    KEEP_PICTURES = 64

    def __init__(
        self,
        controls: Mapping[str, widgets.ValueWidget],
        *,
        figsize: tuple[float, float] = (6.0, 3.0),
        dpi: float = 72,
        picture: PictureFormat | None = None,
    ):
        self.controls = dict(controls)
        self.formula = widgets.HTML()
        self.message = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.values = widgets.HTML()
        self.output_size = None
        self.state = None
        self.figsize = figsize
        self.dpi = dpi
        self.picture = picture or PictureFormat()
        self._settings = Settings({})
        self._busy = False
        self._figure: Figure | None = None
        self._finished = float("-inf")  # when the last redraw ended (time.perf_counter)
        self._pending: asyncio.TimerHandle | None = None
        self.memory = PictureMemory(self.KEEP_PICTURES)
        self._ahead: asyncio.TimerHandle | None = None
        self._moved: tuple[str, int] | None = None  # the slider moved in the browser, its way
        panel = widgets.GridBox(
            list(self.controls.values()),
            layout=widgets.Layout(grid_template_columns="repeat(2, 340px)"),
        )
        super().__init__(
            children=[panel, self.formula, self.message, widgets.HBox([self.image, self.values])]
        )
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    # ------------------------------------------------------------------ hooks
    def adapt_ranges(self, params: Settings) -> None:
        """Narrow slider ranges so impossible values cannot be picked (optional hook).

        Parameters
        ----------
        params : Settings
            Current control values. Changing a slider's ``max`` may clamp its value;
            the base class then calls this again until nothing changes.
        """

    def compute(self, params: Settings) -> ExplorerState:
        """Compute everything shown; raise ``ValueError`` for an impossible combination.

        Parameters
        ----------
        params : Settings
            Current control values by name.

        Returns
        -------
        ExplorerState
            Passed to the other hooks as ``result``.
        """
        raise NotImplementedError

    def formula_html(self, params: Settings, result: ExplorerState | None) -> str:
        """HTML of the formula with numbers; ``result`` is None when impossible."""
        raise NotImplementedError

    def draw(self, fig: Figure, params: Settings, result: ExplorerState | None) -> None:
        """Draw on the ``Figure`` ``fig`` (empty); ``result`` is None when impossible."""
        raise NotImplementedError

    def values_html(self, params: Settings, result: ExplorerState) -> str:
        """HTML of the output values (optional hook; default: nothing)."""
        return ""

    def explain(self, error: Exception, params: Settings) -> str:
        """One friendly line (HTML) for an impossible combination (default: the error text)."""
        return html.escape(str(error))

    # ------------------------------------------------------------------ public API
    def __repr__(self) -> str:
        """``Name(control=value, ...) -> output_size=N``: the cell's stored text output."""
        # Short and stable: the notebook stores this as the cell's text output.
        settings = ", ".join(f"{name}={value!r}" for name, value in self.params().items())
        return f"{type(self).__name__}({settings}) -> {self.SUMMARY}={getattr(self, self.SUMMARY)}"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The widget view, plus the picture and the formula for front ends without widgets."""
        bundle = super()._repr_mimebundle_(**kwargs) or {"text/plain": repr(self)}
        bundle.update(static_bundle(self))
        return bundle

    @property
    def step_control(self) -> str | None:
        """Name of the control that walks the positions shown one by one, or None.

        ``"step"`` for the sliding-window and transposed explorers (output windows,
        input copies); an animation makes one frame per value of it.
        """
        return self.STEP_CONTROL if self.STEP_CONTROL in self.controls else None

    def params(self) -> dict:
        """Current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def draw_into(self, fig: Figure) -> Figure:
        """Draw the current state on the empty ``Figure`` ``fig`` (what ``.image`` shows).

        Parameters
        ----------
        fig : matplotlib.figure.Figure
            An empty figure, e.g. one frame of an animation.

        Returns
        -------
        Figure
            ``fig``.
        """
        self.draw(fig, self._settings, self.state)
        return fig

    def figure(self) -> Figure:
        """A new pyplot-free ``Figure`` of :attr:`figsize` with the current picture drawn."""
        return self.draw_into(Figure(figsize=self.figsize))

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
            self._settle_ranges()
            for name, value in values.items():
                if self.controls[name].value != value:
                    self.controls[name].value = value
        return self

    # ------------------------------------------------------------------ machinery
    def _on_change(self, change) -> None:
        if self._busy:
            return
        # A change from the browser (the widget's property lock is held) that arrives right
        # after a redraw, or while one is scheduled, is part of a drag: redraw once, shortly,
        # with the latest values, instead of once per value in the queue (no stale frames).
        from_browser = bool(getattr(change.owner, "_property_lock", None))
        if from_browser:
            name = next(n for n, control in self.controls.items() if control is change.owner)
            self._moved = (name, _direction(change))
        recent = time.perf_counter() - self._finished < COALESCE_S
        loop = _running_loop() if from_browser and (recent or self._pending) else None
        if loop is None:
            self.redraw()
        elif self._pending is None:
            self._pending = loop.call_later(COALESCE_S, self._redraw_pending)

    def _redraw_pending(self) -> None:
        self._pending = None
        self.redraw()

    def _outcome(self, params: Settings) -> tuple[ExplorerState | None, str]:
        """What :meth:`compute` gives for ``params``, and the message (empty when possible)."""
        try:
            return self.compute(params), ""
        except (ValueError, TypeError) as error:
            message = (
                f'<span class="explorer-message" style="color:#b45f06">'
                f"⚠ {self.explain(error, params)}</span>"
            )
            return None, message

    def _render(self, params: Settings, state: ExplorerState | None) -> bytes:
        """The PNG of ``params``: drawn on the last figure stripped, or on a new one."""
        if not self.REUSE_AXES:
            fig = Figure(figsize=self.figsize)
        else:
            if self._figure is None or tuple(self._figure.get_size_inches()) != tuple(self.figsize):
                self._figure = Figure(figsize=self.figsize)
            fig = strip_figure(self._figure)
        self.draw(fig, params, state)
        return render_picture(fig, self.dpi, self.picture)

    def _memory_key(self, params: Settings) -> tuple:
        """What a picture depends on: the control values and the figure's size and format."""
        return (tuple(params.items()), tuple(self.figsize), self.dpi, self.picture)

    def _drawing(self, params: Settings) -> Drawn:
        """The state, message and picture of ``params``: remembered, or computed and drawn."""
        key = self._memory_key(params)
        drawn = self.memory.get(key)
        if drawn is None:
            state, message = self._outcome(params)
            drawn = Drawn(state, message, self._render(params, state))
            self.memory.put(key, drawn)
        return drawn

    def _plan_ahead(self) -> None:
        """After a slider moved in the browser, draw its next step soon (see the class notes)."""
        moved, self._moved = self._moved, None
        loop = _running_loop()
        control = self.controls.get(moved[0]) if moved else None
        steppable = isinstance(control, widgets.IntSlider) and not control.disabled
        if loop is None or self.memory.size == 0 or not steppable:
            return
        around = neighbours(self.params(), moved[0], control.min, control.max, moved[1])
        # one picture: the next step the same way (the way back is usually remembered already)
        for values in around:
            if self._memory_key(Settings(values)) not in self.memory:
                self._ahead = loop.call_later(DRAW_AHEAD_AFTER_S, self._draw_ahead, values)
                return

    def _draw_ahead(self, values: dict) -> None:
        """Draw the picture of ``values`` into :attr:`memory`, showing nothing."""
        self._ahead = None
        try:
            self._drawing(Settings(values))
        except Exception:  # noqa: BLE001, S110  (a guess ahead; the real redraw reports any error)
            pass

    def _settle_ranges(self) -> Settings:
        """Call :meth:`adapt_ranges` until the control values stop changing."""
        params = Settings(self.params())
        for _ in range(5):
            self.adapt_ranges(params)
            settled = Settings(self.params())
            if settled == params:
                break
            params = settled
        return params

    def redraw(self) -> None:
        """Recompute the output, the formula, the message, the values and the picture.

        The picture is sent first: the browser decodes it while the text follows.
        """
        for timer in (self._pending, self._ahead):
            if timer is not None:
                timer.cancel()
        self._pending = self._ahead = None
        self._busy = True
        try:
            with contextlib.ExitStack() as held:
                # the controls' new ranges reach the browser after the picture, in one message each
                for control in self.controls.values():
                    held.enter_context(control.hold_sync())
                self._show(self._settle_ranges())
        finally:
            self._busy = False
            self._finished = time.perf_counter()
        self._plan_ahead()

    def _show(self, params: Settings) -> None:
        """Send the picture of ``params``, then its message, formula and values."""
        drawn = self._drawing(params)
        self._settings, self.state = params, drawn.state
        self.output_size = _output_size_of(drawn.state)
        self.image.layout.width = self.picture.css_width(self.figsize, self.dpi)
        self.image.value = drawn.png
        self.message.value = drawn.message
        self.formula.value = self.formula_html(params, drawn.state)
        self.values.value = "" if drawn.state is None else self.values_html(params, drawn.state)
