"""Lesson 06 (MLP vs CNN on MNIST): the claims its cells make, and the rules its text follows.

The lesson shows one visible check per claim; the checks that would read like a test live here.
"""

import json
import re
from pathlib import Path

import pytest
import torch
from torch import nn

from helpers import arithmetic, channels, mnist

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "06_mlp_vs_cnn_mnist.ipynb"


@pytest.fixture(scope="module")
def cells():
    return json.loads(NOTEBOOK.read_text())["cells"]


def _source(cell) -> str:
    return "".join(cell["source"])


# --------------------------------------------------------------------------- the claims
def test_parameter_counts_by_formula_are_pytorchs():
    cnn, mlp = mnist.source_cnn(), mnist.source_mlp()
    by_formula = (
        channels.conv_param_count(1, 16, 5)
        + channels.conv_param_count(16, 32, 5)
        + mnist.cnn_flat_features() * 10
        + 10
    )
    assert by_formula == mnist.parameter_count(cnn) == 28_938
    assert 784 * 500 + 500 + 500 * 10 + 10 == mnist.parameter_count(mlp) == 397_510
    first_layer = 784 * 500 + 500
    assert round(100 * first_layer / 397_510, 1) == 98.7  # "98.7 % in its first layer"


def test_feature_maps_go_28_14_7():
    sizes, side = [], 28
    for _ in range(2):
        side = arithmetic.pool_output_size(arithmetic.conv_output_size(side, 5, p=2), 2)
        sizes.append(side)
    assert sizes == [14, 7]
    assert mnist.source_cnn().conv2(mnist.source_cnn().conv1(torch.zeros(1, 1, 28, 28))).shape == (
        1,
        32,
        7,
        7,
    )


def test_multiply_adds_counted_by_hooks_match_the_lessons_formula():
    counted = {"n": 0}

    def count(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            counted["n"] += output.numel() * module.in_channels * k
        elif isinstance(module, nn.Linear):
            counted["n"] += module.in_features * module.out_features

    totals = {}
    for name, model in (("CNN", mnist.source_cnn()), ("MLP", mnist.source_mlp())):
        counted["n"] = 0
        hooks = [m.register_forward_hook(count) for m in model.modules()]
        model(torch.zeros(1, 1, 28, 28))
        for hook in hooks:
            hook.remove()
        totals[name] = counted["n"]
    # the lesson's conv_multiply_adds: o² k² C_in C_out per convolution, plus the linear layer
    assert totals["CNN"] == 28 * 28 * 25 * 1 * 16 + 14 * 14 * 25 * 16 * 32 + 1568 * 10
    assert totals["MLP"] == 784 * 500 + 500 * 10
    assert round(totals["CNN"] / totals["MLP"], 1) == 7.1  # "about seven times"


def test_label_smoothing_floor_is_about_half_a_nat():
    assert mnist.label_smoothing_floor(0.1, 10) == pytest.approx(0.500, abs=5e-4)


def test_receptive_field_and_its_three_block_exercise():
    assert mnist.cnn_receptive_field() == 16
    assert mnist.cnn_receptive_field(blocks=3) == 16 + 4 * 4 + 1 * 4  # the exercise's hint


def test_pooling_moves_by_one_cell_for_a_two_pixel_shift():
    fresh = mnist.source_cnn(seed=0)
    x = torch.zeros(1, 1, 28, 28)
    x[..., 8:20, 9:17] = torch.rand(12, 8, generator=torch.Generator().manual_seed(0))
    with torch.inference_mode():
        pooled, moved = fresh.conv1(x), fresh.conv1(mnist.shift_images(x, dx=2))
    assert torch.allclose(moved[..., 2:-2, 3:-1], pooled[..., 2:-2, 2:-2], atol=1e-5)
    assert not torch.allclose(moved, pooled, atol=1e-5)  # not invariant


# --------------------------------------------------------------------------- the text
TIMING = re.compile(r"\b\d+(\.\d+)?\s?(s|ms|seconds|minutes?)\b(?![-\w])")


def test_no_measured_time_is_typed_into_the_prose(cells):
    for cell in cells:
        if cell["cell_type"] == "markdown":
            text = _source(cell)
            assert not TIMING.search(text), TIMING.search(text).group(0)


def test_digit_box_is_described_as_20_by_20_centred_by_mass(cells):
    prose = " ".join(_source(c) for c in cells if c["cell_type"] == "markdown")
    assert "20×20" in prose and "centre of mass" in prose
    assert "margin of 4" not in prose


# The cells whose printed numbers vary between machines (timings, the precision chosen, and
# every accuracy of a trained model: float32 sums in a different order on another CPU). Each
# one's meaning is asserted by the untagged cell named, at or after it (None: nothing claimed).
MACHINE_DEPENDENT = {
    "e8d63dc4": "memory-faster-check",  # timing the two ways of batching
    "d9af189a": None,  # choose_precision: a measurement only (its rule: tests of the helper)
    "93fb3415": "lr-inside-check",  # the learning-rate search
    "lr-cost": None,  # its cost: the number of candidates follows the search
    "5f6439ee": "be305725",  # the two 2-epoch runs
    "4f08d08d": "be305725",  # the MLP in the CNN's time
    "170a1dae": "be305725",  # the table of the three runs
    "f2ed6f22": "cc203f83",  # the source's last-batch accuracy
    "a8387097": "64f2d919",  # one epoch of the source's recipe
    "64f2d919": "64f2d919",  # asserts its own comparison
    "32b9a242": "859646c6",  # the shift test
    "c832e10e": "770b1831",  # the MLP trained on shifted digits
    "shift-drops": "shift-seeds-check",  # the shift test with three random seeds
}


def _tags(cell) -> list[str]:
    return cell["metadata"].get("tags", [])


def test_exactly_the_machine_dependent_cells_are_not_compared_by_nbval(cells):
    ignored = {c["id"] for c in cells if "nbval-ignore-output" in _tags(c)}
    assert ignored == set(MACHINE_DEPENDENT)


def test_each_ignored_output_is_followed_by_a_compared_check(cells):
    position = {c["id"]: i for i, c in enumerate(cells)}
    for ignored, check in MACHINE_DEPENDENT.items():
        if check is None:
            continue
        assert position[check] >= position[ignored], (ignored, check)
        assert "assert " in _source(cells[position[check]]), check


def test_training_cells_left_to_nbval_store_no_output(cells):
    trains = ("mnist.train(", "choose_precision(", "time_batches(", "shift_accuracies(")
    for cell in cells:
        if cell["cell_type"] != "code" or "nbval-ignore-output" in _tags(cell):
            continue
        if any(t in _source(cell) for t in trains):
            assert cell["outputs"] == [], cell["id"]  # nothing machine-dependent to compare


def test_no_progress_bar_is_stored(cells):
    for cell in cells:
        for output in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {}), cell[
                "id"
            ]


def test_predict_prompts_come_before_the_cell_that_answers(cells):
    prompts = [i for i, c in enumerate(cells) if "**Predict" in _source(c)]
    assert len(prompts) >= 2
    for i in prompts:
        assert cells[i]["cell_type"] == "markdown"
        assert cells[i + 1]["cell_type"] == "code"  # run something before reading on


def _cell(cells, cell_id):
    return next(c for c in cells if c["id"] == cell_id)


def test_lesson_never_chooses_on_the_test_set(cells):
    split = _source(_cell(cells, "82e037c1"))  # the hold-out cell
    search = _source(_cell(cells, "93fb3415"))  # the learning-rate search
    assert "mnist.hold_out(train," in split
    code = "\n".join(line.split("#")[0] for line in search.splitlines())
    assert re.search(r"\bfit,\s*validation\b", code)
    assert not re.search(r"\btest\b", code)  # the variable `test` (test_accuracy is a name)


def test_the_chosen_rates_are_asserted_to_lie_inside_the_grid(cells):
    check = _cell(cells, "lr-inside-check")
    assert "assert search.inside" in _source(check)
    assert not check["metadata"].get("tags")  # checked, never skipped or ignored


WORKSHOP = re.compile(r"\b[Ss]eed 00\d\b|[Ss]eed's|\bissue \d+|tests/test_|seed_(mlp|cnn|loader)")


def test_no_workshop_words_in_the_lesson(cells):
    for cell in cells:
        match = WORKSHOP.search(_source(cell))
        assert match is None, (cell["id"], match.group(0))


def test_every_figure_cell_shows_with_alt_text(cells):
    for cell in cells:
        text = _source(cell)
        if cell["cell_type"] == "code" and "plt.subplots" in text:
            assert "plt.show()" not in text and "show(" in text and "alt=" in text, cell["id"]
            alts = [
                o["metadata"].get("image/png", {}).get("alt", "")
                for o in cell["outputs"]
                if "image/png" in o.get("data", {})
            ]
            assert alts and all(alts), cell["id"]


def test_error_cells_show_the_message_only(cells):
    assert "%xmode Minimal" in _source(cells[2])
    for cell in cells:
        if "raises-exception" in cell["metadata"].get("tags", []):
            (error,) = [o for o in cell["outputs"] if o["output_type"] == "error"]
            assert len(error["traceback"]) <= 3, cell["id"]


def test_headings_are_in_order(cells):
    levels = [
        len(line) - len(line.lstrip("#"))
        for cell in cells
        if cell["cell_type"] == "markdown"
        for line in _source(cell).splitlines()
        if line.startswith("#")
    ]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
