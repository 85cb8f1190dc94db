"""The transposed-convolution and checkerboard explorers, driven without a browser.

Every combination of the parameter sliders is swept with the picture switched off (drawing
and rendering are most of a redraw); the pictures themselves are drawn and rendered for each
slider value one at a time, for every copy and output cell at a few settings, and for a
seeded sample of combinations.
"""

import itertools
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch_oracle import torch_transposed

from helpers import arithmetic, drawing, reference, transposed, widgets

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TRANSPOSED_PARAMS = ("i", "k", "s", "p", "d", "output_padding")
CHECKERBOARD_PARAMS = ("i", "k", "s", "p", "d")


def slider_values(explorer, name):
    control = explorer.controls[name]
    return range(control.min, control.max + 1)


def all_combinations(explorer, names):
    return itertools.product(*(slider_values(explorer, name) for name in names))


def shown_size(explorer):
    """The output size written in the formula's ``output-size`` span, or None."""
    found = re.search(r'<span class="output-size">(\d+)</span>', explorer.formula.value)
    return None if found is None else int(found.group(1))


@pytest.fixture
def no_pictures(monkeypatch):
    """Skip drawing and rendering: the numbers, formula and message are still computed."""
    monkeypatch.setattr(widgets.base, "render_picture", lambda fig, dpi=72: b"")
    for cls in (widgets.TransposedExplorer, widgets.CheckerboardExplorer):
        monkeypatch.setattr(cls, "draw", lambda self, fig, state: None)


# --------------------------------------------------------------------------- contract
def test_transposed_explorer_contract_and_seed003_default():
    explorer = widgets.transposed_explorer()
    assert set(explorer.controls) == {*TRANSPOSED_PARAMS, "step", "cell"}
    assert all(control.description for control in explorer.controls.values())
    assert explorer.output_size == 3 == shown_size(explorer)
    assert explorer.message.value == ""
    assert explorer.image.format == "png" and bytes(explorer.image.value).startswith(PNG_SIGNATURE)
    # at the defaults the explorer shows seed 003's 2-D example
    result = explorer.compute(widgets.Settings(explorer.params()))
    seed003_buffer = [
        [1, 1, 3, 2, 2],
        [0, 0, 0, 0, 0],
        [2, 2, 4, 2, 2],
        [0, 0, 0, 0, 0],
        [-3, -3, -7, -4, -4],
    ]
    np.testing.assert_array_equal(result.copies.sum(axis=(0, 1)), seed003_buffer)
    np.testing.assert_array_equal(result.out, [[0, 0, 0], [2, 4, 2], [0, 0, 0]])
    assert explorer.set(cell=4).values.value.count("<b>4</b>") == 1  # out[1, 1] = ... = 4
    assert "1·(−1) + 2·(−1) + 3·1 + 4·1" in explorer.values.value


def test_checkerboard_explorer_contract():
    explorer = widgets.checkerboard_explorer()
    assert set(explorer.controls) == set(CHECKERBOARD_PARAMS)
    assert explorer.output_size == arithmetic.conv_transpose_output_size(3, 3, 2) == 7
    assert "uneven" in explorer.formula.value and "checkerboard" in explorer.formula.value
    assert explorer.set(k=4).output_size == 8
    assert "even: every interior cell is covered 2 times" in explorer.formula.value
    assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)


def test_start_values_outside_the_sliders_raise_but_impossible_ones_explain():
    with pytest.raises(ValueError, match="output_padding=4 is invalid: must be <= 3"):
        widgets.transposed_explorer(output_padding=4)
    with pytest.raises(ValueError, match="k=8 is invalid"):
        widgets.checkerboard_explorer(k=8)
    explorer = widgets.transposed_explorer(s=1, output_padding=1)  # reachable, impossible
    assert explorer.output_size is None
    rule = arithmetic.conv_transpose_size(2, 3, s=1, p=1, output_padding=1).rule
    assert "output_padding = 1 " + rule in explorer.message.value  # worded by arithmetic
    assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)


def test_output_padding_chooses_among_the_merged_input_sizes():
    """The explorer's output_padding steps through conv_input_sizes (lesson 01's floor)."""
    explorer = widgets.transposed_explorer(i=3, k=3, s=3, p=1)
    sizes = [explorer.set(output_padding=a).output_size for a in range(3)]
    assert sizes == arithmetic.conv_input_sizes(3, 3, s=3, p=1)


# --------------------------------------------------------------------------- full sweeps
def test_transposed_explorer_every_combination(no_pictures):
    explorer = widgets.transposed_explorer()
    combos = list(all_combinations(explorer, TRANSPOSED_PARAMS))
    assert len(combos) == 6 * 5 * 4 * 5 * 3 * 4  # 7200
    impossible = 0
    for combo in combos:
        args = dict(zip(TRANSPOSED_PARAMS, combo, strict=True))
        explorer.set(**args)
        try:
            expected = arithmetic.conv_transpose_output_size(*combo)
        except ValueError:
            impossible += 1
            assert explorer.output_size is None and shown_size(explorer) is None
            assert (
                explorer.message.value.count("⚠") == 1 and "Traceback" not in explorer.message.value
            )
            assert ("output_padding =" in explorer.message.value) == (
                args["output_padding"] >= max(args["s"], args["d"])
            )
            assert explorer.controls["cell"].disabled
            continue
        assert explorer.output_size == expected == shown_size(explorer)
        assert explorer.message.value == ""
        assert explorer.controls["step"].max == args["i"] ** 2 - 1
        assert explorer.controls["cell"].max == expected**2 - 1
    assert 0 < impossible < len(combos)


def test_transposed_explorer_values_match_torch(no_pictures):
    explorer = widgets.transposed_explorer()
    checked = 0
    for combo in all_combinations(explorer, TRANSPOSED_PARAMS):
        i, k, s, p, d, op = combo
        try:
            arithmetic.conv_transpose_output_size(*combo)
        except ValueError:
            continue
        settings = dict(zip(TRANSPOSED_PARAMS, combo, strict=True), step=0, cell=0)
        result = explorer.compute(widgets.Settings(settings))
        x, weight = widgets.transposed_example(i, k)
        expected = torch_transposed(x, weight, stride=s, padding=p, output_padding=op, dilation=d)
        np.testing.assert_array_equal(result.out, expected)
        checked += 1
    assert checked > 3000


def test_checkerboard_explorer_every_combination(no_pictures):
    explorer = widgets.checkerboard_explorer()
    combos = list(all_combinations(explorer, CHECKERBOARD_PARAMS))
    assert len(combos) == 8 * 7 * 4 * 4 * 3  # 2688
    for combo in combos:
        explorer.set(**dict(zip(CHECKERBOARD_PARAMS, combo, strict=True)))
        i, k, s, p, d = combo
        try:
            expected = arithmetic.conv_transpose_output_size(i, k, s, p, d)
        except ValueError:
            assert explorer.output_size is None and "carves away" in explorer.message.value
            continue
        assert explorer.output_size == expected == shown_size(explorer)
        assert explorer.message.value == ""
        even = len(set(transposed.overlap_pattern(k, s, d).tolist())) == 1
        assert ("no checkerboard" in explorer.formula.value) == even


# --------------------------------------------------------------------------- pictures
def rendered_ok(explorer):
    return bytes(explorer.image.value).startswith(PNG_SIGNATURE)


def assert_draws_every_value(explorer, name):
    """Move slider ``name`` through all its values: each picture is drawn and rendered."""
    for value in slider_values(explorer, name):
        explorer.set(**{name: value})
        assert rendered_ok(explorer)


@pytest.mark.parametrize("name", TRANSPOSED_PARAMS)
def test_transposed_explorer_draws_every_slider_value(name):
    explorer = widgets.transposed_explorer()
    assert_draws_every_value(explorer, name)
    explorer.set(i=6, k=5, s=4, p=0, d=3, output_padding=3)  # the largest picture
    assert explorer.output_size == 36 and rendered_ok(explorer)


@pytest.mark.parametrize(
    "setting",
    [
        {},
        {"i": 3, "k": 2, "s": 1, "p": 0},
        {"i": 2, "k": 4, "s": 2, "p": 1, "d": 2, "output_padding": 1},
    ],
)
def test_transposed_explorer_every_copy_and_cell(setting, monkeypatch):
    explorer = widgets.transposed_explorer().set(**setting)
    assert_draws_every_value(explorer, "step")  # every copy, drawn and rendered
    # drawn, not rendered
    monkeypatch.setattr(widgets.base, "render_picture", lambda fig, dpi=72, picture=None: b"")
    for cell in slider_values(explorer, "cell"):  # every output cell, its sum spelled out
        explorer.set(cell=cell)
        row, col = divmod(cell, explorer.output_size)
        value = explorer.compute(widgets.Settings(explorer.params())).out[row, col]
        assert f"= <b>{drawing.format_value(value)}</b>" in explorer.values.value


@pytest.mark.parametrize("name", CHECKERBOARD_PARAMS)
def test_checkerboard_explorer_draws_every_slider_value(name):
    assert_draws_every_value(widgets.checkerboard_explorer(), name)


def test_random_combinations_draw():
    rng = np.random.default_rng(0)
    explorers = [
        (widgets.transposed_explorer(), TRANSPOSED_PARAMS),
        (widgets.checkerboard_explorer(), CHECKERBOARD_PARAMS),
    ]
    for explorer, names in explorers:
        for _ in range(40):
            values = {n: int(rng.choice(slider_values(explorer, n))) for n in names}
            explorer.set(**values)
            assert rendered_ok(explorer)
            assert (explorer.output_size is None) == bool(explorer.message.value)


def test_overlap_maps_shown_are_the_reference_ones():
    explorer = widgets.checkerboard_explorer(i=4, k=3, s=2)
    result = explorer.compute(widgets.Settings(explorer.params()))
    ones = reference.conv_transpose2d(np.ones((1, 4, 4)), np.ones((1, 1, 3, 3)), stride=2)[0]
    np.testing.assert_array_equal(result.counts_2d, ones)
    ones_1d = F.conv_transpose1d(torch.ones(1, 1, 4), torch.ones(1, 1, 3), stride=2)[0, 0]
    np.testing.assert_array_equal(result.counts_1d, ones_1d.numpy())
