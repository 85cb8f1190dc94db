"""The explorers' controls: sliders of one look, their number boxes, menus, the example input.

Every explorer builds its controls from these (:func:`int_slider` for a parameter,
:func:`position_slider` for a position walked in raster order, :func:`choice_menu` for a
choice), narrows them with :func:`set_range`, and draws :func:`example_input` unless its
lesson has its own example. Each slider is shown with a :class:`NumberBox` in place of its
readout (:func:`slider_row`): ipywidgets 8 gives a slider's handle no accessible name, while
a number box is named by its ``<label>``, so a screen reader says "stride s" on the box.
Re-exported by :mod:`helpers.widgets.base` and :mod:`helpers.widgets`.

Introduced in notebook 01.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers.validation import check_int

__all__ = [
    "SLIDER_LAYOUT",
    "NumberBox",
    "Slider",
    "choice_menu",
    "control_panel",
    "example_input",
    "int_slider",
    "position_slider",
    "set_range",
    "slider_row",
]

#: Width of a slider and of its label, shared by every explorer; a slider shown by
#: :func:`slider_row` leaves ``box_width`` of it to its number box.
SLIDER_LAYOUT = {"style": {"description_width": "9em"}, "width": "330px", "box_width": "64px"}

#: Width of a column of the explorers' control panel (:func:`control_panel`).
PANEL_COLUMN = "340px"


class Slider(widgets.IntSlider):
    """An ``IntSlider`` that knows whether its current change came from the browser.

    ``from_front_end`` is True while a value sent by the front end is applied (ipywidgets'
    public ``Widget.set_state``), so the explorer can coalesce a drag.
    """

    from_front_end = False

    def set_state(self, sync_data) -> None:
        """Apply state sent by the front end, flagging the change as the browser's."""
        self.from_front_end = True
        try:
            super().set_state(sync_data)
        finally:
            self.from_front_end = False


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
    Slider
        An ``IntSlider``, continuous updates on, 330 pixels wide; ``description`` is its
        accessible name.

    Raises
    ------
    TypeError
        If ``value`` is not an int (``bool`` included).
    ValueError
        If ``value`` is outside ``[low, high]`` (a slider would clamp it silently).

    Examples
    --------
    >>> int_slider("k", 3, 1, 7, "kernel size k").max
    7
    """
    value = check_int(name, value, low, high)
    return Slider(
        value=value,
        min=low,
        max=high,
        description=description,
        continuous_update=True,
        style=SLIDER_LAYOUT["style"],
        layout=widgets.Layout(width=SLIDER_LAYOUT["width"]),
    )


def position_slider(description: str) -> widgets.IntSlider:
    """A slider over positions in raster order; the explorer's state sets its max (``ranges``).

    Parameters
    ----------
    description : str
        Label shown next to the slider.

    Returns
    -------
    Slider
        From 0 to 0 until the explorer knows the output size.
    """
    return Slider(
        0,
        min=0,
        max=0,
        description=description,
        style=SLIDER_LAYOUT["style"],
        layout=widgets.Layout(width=SLIDER_LAYOUT["width"]),
    )


def choice_menu(options, value, description: str) -> widgets.Dropdown:
    """A menu of choices, as wide as a slider and labelled like one.

    A ``<select>`` named by its ``<label>``: a screen reader says the description and the
    chosen entry, and the arrow keys change it (ipywidgets' ``ToggleButtons`` name only
    each button, and show the chosen one by its colour alone).

    Parameters
    ----------
    options : sequence
        The entries, or ``(label, value)`` pairs.
    value
        The chosen entry's value.
    description : str
        Label shown next to the menu; its accessible name.

    Returns
    -------
    ipywidgets.Dropdown

    Examples
    --------
    >>> choice_menu(["max", "avg"], "avg", "mode").index
    1
    """
    return widgets.Dropdown(
        options=options,
        value=value,
        description=description,
        style=SLIDER_LAYOUT["style"],
        layout=widgets.Layout(width=SLIDER_LAYOUT["width"]),
    )


class NumberBox(widgets.IntText):
    """The number box shown beside a slider, in step with it (:func:`slider_row`).

    Its ``<label>`` (the slider's description) names its ``<input>``, so it is the slider's
    accessible twin: typed into, or stepped with the arrow keys. It is kept in step with the
    slider in the kernel: a move of the slider only adds a small message to the browser, and
    a value typed into the box moves the slider, whose own range clamps it (the box then
    shows the clamped value). It has no range of its own, since the slider's changes with the
    other controls; it is disabled whenever the slider is.
    """


def slider_row(slider: widgets.IntSlider) -> tuple[widgets.HBox, NumberBox]:
    """A slider and its :class:`NumberBox`, which takes the place of the slider's readout.

    Parameters
    ----------
    slider : ipywidgets.IntSlider
        A slider of :func:`int_slider` or :func:`position_slider`; its readout is turned off
        and its width shared with the box.

    Returns
    -------
    row : ipywidgets.HBox
        The slider, then the box.
    box : NumberBox
        Labelled with the slider's description (its label is zero pixels wide: the
        slider's label is the one seen), its value kept equal to the slider's both ways,
        disabled with it.

    Examples
    --------
    >>> row, box = slider_row(int_slider("s", 2, 1, 4, "stride s"))
    >>> box.description, box.value, row.children[0].readout
    ('stride s', 2, False)
    """
    box_width = SLIDER_LAYOUT["box_width"]
    slider.readout = False
    slider.layout.width = f"calc({SLIDER_LAYOUT['width']} - {box_width})"
    box = NumberBox(
        value=slider.value,
        description=slider.description,
        continuous_update=True,
        style={"description_width": "0px"},
        layout=widgets.Layout(width=box_width),
    )
    # Kept in step in the kernel, not the browser: a link in the browser makes the box send
    # its value to the kernel on every key press, ahead of the slider's (measured about 30 ms
    # slower). A typed value the slider clamps is shown clamped in the box too.
    slider.observe(lambda change: setattr(box, "value", change["new"]), names="value")
    box.observe(lambda change: _move_slider(slider, box, change["new"]), names="value")
    widgets.dlink((slider, "disabled"), (box, "disabled"))  # greyed out with its slider
    return widgets.HBox([slider, box], layout=widgets.Layout(width="auto")), box


def _move_slider(slider: widgets.IntSlider, box: NumberBox, value: int) -> None:
    """Set ``slider`` to a value typed into its ``box``; show what the slider kept."""
    slider.value = value
    if box.value != slider.value:
        box.value = slider.value


def control_panel(controls) -> tuple[widgets.GridBox, dict[str, NumberBox]]:
    """The explorers' control panel: two columns, each slider in a :func:`slider_row`.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
        The controls by name, in display order.

    Returns
    -------
    panel : ipywidgets.GridBox
        The controls, two per row, each slider with its number box.
    boxes : dict of str to NumberBox
        The number box of each slider, by the slider's name.

    Examples
    --------
    >>> panel, boxes = control_panel({"k": int_slider("k", 3, 1, 7, "kernel size k"),
    ...                               "mode": choice_menu(["max", "avg"], "max", "mode")})
    >>> list(boxes), len(panel.children)
    (['k'], 2)
    """
    cells, boxes = [], {}
    for name, control in controls.items():
        if isinstance(control, widgets.IntSlider):
            control, boxes[name] = slider_row(control)
        cells.append(control)
    layout = widgets.Layout(grid_template_columns=f"repeat(2, {PANEL_COLUMN})")
    return widgets.GridBox(cells, layout=layout), boxes


def set_range(slider: widgets.IntSlider, high: int, *, enabled: bool = True) -> None:
    """Set a slider's maximum (clamping its value into range) and its enabled state.

    Parameters
    ----------
    slider : ipywidgets.IntSlider
        The slider to narrow or widen.
    high : int
        Its new maximum.
    enabled : bool, default=True
        False greys it out (its positions mean nothing for an impossible combination).
    """
    if slider.max != high:
        if slider.value > high:
            slider.value = high
        slider.max = high
    slider.disabled = not enabled


def example_input(size: int, *, high: int = 10, seed: int = 0) -> np.ndarray:
    """The fixed example input of the explorers: seeded integers in ``[0, high)``.

    Parameters
    ----------
    size : int
        The grid is ``size x size``.
    high : int, default=10
        Values are below this; small digits keep the sums readable.
    seed : int, default=0
        Seed of ``numpy.random.default_rng``.

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
