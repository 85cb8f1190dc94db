"""The explorers' controls: sliders of one look, their ranges, and the fixed example input.

Every explorer builds its controls from these (:func:`int_slider` for a parameter,
:func:`position_slider` for a position walked in raster order), narrows them with
:func:`set_range`, and draws :func:`example_input` unless its lesson has its own example.
Re-exported by :mod:`helpers.widgets.base` and :mod:`helpers.widgets`.

Introduced in notebook 01.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers.validation import check_int

__all__ = ["SLIDER_LAYOUT", "Slider", "example_input", "int_slider", "position_slider", "set_range"]

#: Width of a slider and of its label, shared by every explorer.
SLIDER_LAYOUT = {"style": {"description_width": "9em"}, "width": "330px"}


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
