"""Every explorer control has an accessible name, and each slider's number box follows it.

ipywidgets 8 gives a slider's handle no accessible name; a number box (``BoundedIntText``) is
named by its ``<label>``, the box's description. So every slider of every explorer has a
:class:`~helpers.widgets.controls.NumberBox` beside it, described as the slider is, in place of
its readout, and linked to it in the browser (``jslink``: no trip through the kernel per key
press). Every other control is a menu or a checkbox with a description (ipywidgets'
``ToggleButtons`` name each button but not the choice). What the browser makes of it is
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


def links_of(box) -> dict[str, tuple]:
    """``attribute -> (kind, source, target)`` of a box's links, as the browser gets them."""
    found = {}
    for link in box.links:
        (source, name), (target, other) = link.source, link.target
        assert name == other
        found[name] = (type(link).__name__, source, target)
    return found


@pytest.mark.parametrize("factory", ALL, ids=factory_name)
def test_every_slider_has_a_number_box_named_as_it_and_linked_in_the_browser(factory):
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
        links = links_of(box)
        assert links["value"] == ("Link", slider, box)  # both ways: typing moves the slider
        for attribute in ("min", "max", "disabled"):
            assert links[attribute] == ("DirectionalLink", slider, box)


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


def sent_by(widget, monkeypatch) -> list:
    """The messages ``widget`` sends to the front end from now on."""
    sent: list = []
    monkeypatch.setattr(widget, "_send", lambda msg, buffers=None: sent.append(msg))
    return sent


def test_the_kernel_keeps_what_the_browser_sends_to_a_box_and_sends_nothing_back(monkeypatch):
    """A value may reach a box before its new maximum: clamping it would move the slider back."""
    box = NumberBox(value=3, min=1, max=4)
    sent = sent_by(box, monkeypatch)
    box.set_state({"value": 7})  # as a message from the front end
    assert box.value == 7
    box.set_state({"max": 2, "min": 5, "disabled": True})
    assert (box.min, box.max, box.disabled) == (5, 2, True)
    assert sent == []  # no clamped value, no echo
    bounded = ipywidgets.BoundedIntText(value=3, min=1, max=4)
    sent = sent_by(bounded, monkeypatch)
    bounded.set_state({"value": 7})
    assert bounded.value == 4  # the plain widget clamps, and says so to the front end
    assert sent and any(m.get("state", {}).get("value") == 4 for m in sent), sent


def test_slider_row_puts_the_box_in_place_of_the_readout():
    slider = int_slider("s", 2, 1, 4, "stride s")
    slider.disabled = True
    row, box = slider_row(slider)
    assert row.children == (slider, box)
    assert (box.value, box.min, box.max, box.disabled) == (2, 1, 4, True)  # as the slider, then
    slider.max = 6  # ... kept in step in the browser only (the links), not by the kernel
    assert box.max == 4
    assert not slider.readout and box.style.description_width == "0px"  # the label seen once
    panel, boxes = control_panel({"s": int_slider("s", 2, 1, 4, "stride s")})
    assert list(boxes) == ["s"] and isinstance(panel, ipywidgets.GridBox)
