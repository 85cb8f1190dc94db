"""Every explorer control has an accessible name, and each slider's number box follows it.

ipywidgets 8 gives a slider's handle no accessible name; a number box (``BoundedIntText``) is
named by its ``<label>``, the box's description. So every slider of every explorer has a
:class:`~helpers.widgets.controls.NumberBox` beside it, described as the slider is, in place of
its readout, and linked to it in the kernel (a link in the browser would send the box's value
to the kernel ahead of the slider's on every key press). Every other control is a menu or a
checkbox with a description (ipywidgets' ``ToggleButtons`` name each button but not the
choice). What the browser makes of it is
checked by ``tests/browser/test_keyboard.py``.
"""

from __future__ import annotations

import ipywidgets
import pytest
from explorers import FACTORIES
from explorers import name as factory_name
from torch import nn

from helpers import widgets
from helpers.widgets.controls import NumberBox, control_panel, int_slider, slider_row


def model_explorer():
    model = nn.Sequential(nn.Conv2d(1, 2, 5), nn.MaxPool2d(2))
    return widgets.model_explorer(model, (1, 12, 12))


ALL = [*FACTORIES, model_explorer]


@pytest.mark.parametrize("factory", ALL, ids=factory_name)
def test_every_slider_has_a_number_box_named_as_it_and_linked_to_it(factory):
    explorer = factory()
    sliders = {n: c for n, c in explorer.controls.items() if isinstance(c, ipywidgets.IntSlider)}
    assert sliders and set(explorer.boxes) == set(sliders)
    panel = explorer.children[0]
    for name, slider in sliders.items():
        box = explorer.boxes[name]
        assert isinstance(box, NumberBox)
        assert box.description == slider.description != ""
        assert not slider.readout  # the box shows the value, once
        rows = [row.children for row in panel.children if isinstance(row, ipywidgets.HBox)]
        assert (slider, box) in rows
        assert box.value == slider.value
        step = -1 if slider.value == slider.max else 1
        slider.value += step  # the slider moves the box, the box moves the slider
        assert box.value == slider.value
        box.value -= step
        assert slider.value == box.value


@pytest.mark.parametrize("factory", ALL, ids=factory_name)
def test_every_other_control_is_a_described_menu_or_checkbox(factory):
    explorer = factory()
    for name, control in explorer.controls.items():
        if isinstance(control, ipywidgets.IntSlider):
            continue
        assert isinstance(control, (ipywidgets.Dropdown, ipywidgets.Checkbox)), (name, control)
        assert control.description, name


def test_the_python_api_is_the_sliders():
    explorer = widgets.conv_explorer()
    assert all(isinstance(c, ipywidgets.IntSlider) for c in explorer.controls.values())
    explorer.set(k=4, p=2)
    assert explorer.params()["k"] == 4 and explorer.controls["p"].value == 2


def test_a_value_typed_into_a_box_moves_the_slider_within_its_range():
    explorer = widgets.conv_explorer()
    slider, box = explorer.controls["k"], explorer.boxes["k"]
    box.set_state({"value": 4})  # as a message from the front end
    assert slider.value == 4 and explorer.state.settings["k"] == 4
    box.set_state({"value": slider.max + 5})  # beyond the range: the slider clamps it
    assert slider.value == slider.max and box.value == slider.max
    explorer.set(k=2)  # code moves the slider: the box follows
    assert box.value == 2


def test_slider_row_puts_the_box_in_place_of_the_readout():
    slider = int_slider("s", 2, 1, 4, "stride s")
    row, box = slider_row(slider)
    assert row.children == (slider, box) and box.value == 2
    slider.value = 3
    assert box.value == 3
    assert not box.disabled
    slider.disabled = True  # an impossible combination greys the slider out: the box too
    assert box.disabled
    assert not slider.readout and box.style.description_width == "0px"  # the label seen once
    panel, boxes = control_panel({"s": int_slider("s", 2, 1, 4, "stride s")})
    assert list(boxes) == ["s"] and isinstance(panel, ipywidgets.GridBox)
