"""Lesson 07's claims that the notebook cannot assert: its error cell, explorer, exercises."""

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from helpers import autoencoders as ae
from helpers import drawing, reference, transposed
from helpers.checkerboard import checkerboard_score
from helpers.drawing.artifacts import draw_calibration, draw_seed_spread
from helpers.exercises import check
from helpers.widgets import DecoderExplorer, decoder_explorer
from helpers.widgets.decoder import CUSTOM

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "07_decoder_checkerboard.ipynb"


def _cells():
    return json.loads(NOTEBOOK.read_text())["cells"]


def test_the_failing_cell_fails_with_the_planned_message():
    (cell,) = [c for c in _cells() if "raises-exception" in c["metadata"].get("tags", [])]
    assert "output_padding_for(7, 14, k=5, s=2, p=1)" in "".join(cell["source"])
    with pytest.raises(ValueError, match=r"takes 7 to 15, 16 \(output_padding 0 to 1\), never"):
        ae.output_padding_for(7, 14, k=5, s=2, p=1)
    (error,) = [o for o in cell["outputs"] if o["output_type"] == "error"]
    assert error["ename"] == "ValueError" and "never to 14" in error["evalue"]


#: Cells whose output depends on the trained weights or on timings (checked by asserts instead).
MACHINE_DEPENDENT = {
    "106b0463",  # choose_precision's timings
    "ae5932c4",  # the training log
    "4dc998dd",  # test errors per seed
    "f50082d9",  # periodic amplitudes per seed
    "l07-gradient-random",  # the trained encoder's input gradient per phase
    "51d5972a",  # the decoder explorer with trained models
    "l07-failed-runs",  # failed runs per decoder
    "l07-closing-table",
}


def test_every_code_cell_ran_in_order_and_only_trained_numbers_are_unchecked():
    code = [c for c in _cells() if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    ignored = {c["id"] for c in code if "nbval-ignore-output" in c["metadata"].get("tags", [])}
    assert ignored == MACHINE_DEPENDENT


def test_every_picture_has_alt_text_and_the_headings_are_in_order():
    images = [
        o for c in _cells() if c["cell_type"] == "code" for o in c["outputs"]
        if "image/png" in o.get("data", {})
        and "application/vnd.jupyter.widget-view+json" not in o["data"]  # explorers: their own
    ]  # fmt: skip
    assert len(images) >= 6
    for output in images:
        assert len(output["metadata"]["image/png"]["alt"]) > 40
    levels = [
        len(line) - len(line.lstrip("#"))
        for c in _cells() if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines() if line.startswith("#")
    ]  # fmt: skip
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_no_workshop_words_in_the_lesson():
    text = "\n".join("".join(c["source"]) for c in _cells()).lower()
    for word in ("seed 00", "issue ", "tests/", "test_lesson"):
        assert word not in text, word


def test_exercise_answers():
    assert ae.output_padding_for(7, 14, k=5, s=2, p=2) == 1  # exercise 1
    pairs = [(3, 2), (4, 2), (5, 2), (6, 2), (6, 3), (7, 3), (9, 3)]
    even = [(k, s) for k, s in pairs if len(set(transposed.overlap_pattern(k, s))) == 1]
    assert even == [(4, 2), (6, 2), (6, 3), (9, 3)]  # exercise 2: s divides k
    assert check(sorted([(9, 3), (4, 2), (6, 3), (6, 2)]), sorted(even))  # in any order
    torch.manual_seed(0)
    layer = torch.nn.ConvTranspose2d(4, 1, 2, stride=2)
    image = ae.constant_code_image(layer, size=7)
    assert checkerboard_score(image, 2) == pytest.approx(1.0)  # exercise 3: the kernel, tiled
    assert torch.allclose(image[:2, :2], image[2:4, 4:6])
    taps = np.array([1.0, 3.0, 2.0])  # exercise 4: w0 + w2 = w1, not a multiple of [1/2, 1, 1/2]
    out = reference.conv_transpose1d(np.ones((1, 8)), taps[None, None], stride=2)[0]
    assert np.allclose(out[3:-3], 3.0)


def test_uneven_overlap_is_neither_necessary_nor_sufficient():
    assert len(set(transposed.overlap_pattern(3, 2).tolist())) == 2  # uneven
    half = np.array([0.5, 1.0, 0.5])
    flat_1d = reference.conv_transpose1d(np.ones((1, 8)), half[None, None], stride=2)[0]
    assert np.allclose(flat_1d[1:-1], 1.0)  # uneven overlap, flat interior
    flat_2d = reference.conv_transpose2d(
        np.ones((1, 6, 6)), np.outer(half, half)[None, None], stride=2
    )[0]
    assert np.allclose(flat_2d[1:-1, 1:-1], 1.0)
    stripes = reference.conv_transpose1d(
        np.ones((1, 8)), np.array([[[1.0, 2.0, 3.0, 4.0]]]), stride=2
    )[0]
    assert set(stripes[3:-3].tolist()) == {4.0, 6.0}  # even overlap, stripes
    tiled = reference.conv_transpose1d(np.ones((1, 8)), np.array([[[1.0, 3.0]]]), stride=2)[0]
    assert np.array_equal(tiled, np.tile([1.0, 3.0], 8))  # no overlap, the kernel tiled


def test_a_strided_convolutions_gradient_is_a_checkerboard_only_when_the_taps_do_not_cancel():
    zeros = torch.zeros(1, 1, 28, 28)
    half = torch.tensor([0.5, 1.0, 0.5])
    for taps, flat in ((torch.ones(3), False), (half, True)):  # equal weights, bilinear
        conv = torch.nn.Conv2d(1, 1, 3, stride=2, padding=1, bias=False)
        with torch.no_grad():
            conv.weight.copy_(torch.outer(taps, taps)[None, None])
        inner = ae.input_gradient(conv, zeros)[0, 0, 1:-1, 1:-1]
        assert (len(set(inner.ravel().tolist())) == 1) == flat
        assert (checkerboard_score(inner, 2) > 0.5) != flat


def test_the_opening_number_and_the_random_initialisation_table():
    scores = {
        name: checkerboard_score(ae.constant_code_image(ae.build_decoder(name, seed=0)), 4)
        for name in ae.DECODERS
    }
    assert scores["uneven"] > 0.8 and scores["resize"] < 0.1
    assert scores["no overlap"] == pytest.approx(1.0)


@pytest.fixture(scope="module")
def explorer():
    models = {name: ae.build_autoencoder(name) for name in ae.DECODERS}
    images = torch.rand(4, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    return decoder_explorer(models, images)


def test_explorer_shows_every_decoder_without_a_message(explorer):
    for name in ae.DECODERS:
        explorer.set(decoder=name)
        assert explorer.message.value == ""
        assert explorer.state.reconstruction.shape == (28, 28)
        assert explorer.state.period == 4
        assert explorer.image.value[:4] == b"\x89PNG"
    assert explorer.set(decoder="resize").score < explorer.set(decoder="even").score


def test_explorer_untrained_layer_for_every_k_and_s(explorer):
    explorer.set(decoder=CUSTOM)
    assert not explorer.controls["k"].disabled and explorer.controls["digit"].disabled
    for k, s in itertools.product(range(1, 8), range(1, 5)):
        explorer.set(k=k, s=s)
        assert explorer.message.value == "", (k, s)
        state = explorer.state
        assert state.output_size == (7 - 1) * s + k
        assert np.array_equal(state.counts, transposed.overlap_counts_2d(7, k, s))
        assert state.digit is None
    explorer.set(decoder="uneven", k=3, s=2)
    assert explorer.controls["k"].disabled


def test_explorer_formula_names_the_overlap(explorer):
    explorer.set(decoder="uneven")
    assert "covered 2, 1 times in turn (uneven)" in explorer.formula.value
    explorer.set(decoder="even")
    assert "(even)" in explorer.formula.value
    explorer.set(decoder="resize")
    assert "resize then convolve" in explorer.formula.value


def test_explorer_without_models_draws_and_says_so():
    bare = decoder_explorer(decoder="even")
    assert isinstance(bare, DecoderExplorer) and bare.state.digit is None
    fig = bare.figure()
    assert isinstance(fig, Figure)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "no trained models given" in texts
    assert repr(bare).startswith("DecoderExplorer(decoder='even'")


def test_explorer_refuses_bad_starting_values():
    with pytest.raises(ValueError, match="decoder='deconv' is invalid"):
        decoder_explorer(decoder="deconv")
    with pytest.raises(ValueError, match="k=9 is invalid"):
        decoder_explorer(k=9)


def test_drawing_rows_and_bars():
    fig, (ax,) = drawing.new_figure()
    artists = drawing.draw_image_rows(ax, {"a": torch.zeros(2, 1, 5, 5), "b": np.ones((2, 5, 5))})
    assert artists[0].get_array().shape == (11, 11)
    with pytest.raises(ValueError, match="same shape"):
        drawing.draw_image_rows(ax, {"a": np.zeros((2, 5, 5)), "b": np.zeros((3, 5, 5))})
    fig, (ax,) = drawing.new_figure()
    bars = drawing.draw_score_bars(ax, {"x": {"u": 0.5, "r": 0.0}, "y": {"u": 0.1, "r": 0.01}})
    heights = [rect.get_height() for rect in bars[0]] + [rect.get_height() for rect in bars[1]]
    assert heights == [0.5, 0.1, 1e-4, 0.01]  # 0 drawn at the log axis' floor


def test_drawing_calibration_and_seed_spread():
    fig, (ax,) = drawing.new_figure()
    artists = draw_calibration(ax, [0, 0.01, 0.02], [0.004, 0.011, 0.02], floor=(-0.002, 0.004))
    points = [
        a for a in artists if getattr(a, "get_label", lambda: "")() == "digits + planted pattern"
    ]
    assert np.allclose(points[0].get_ydata(), [0.004, 0.011, 0.02])
    with pytest.raises(ValueError, match="one length"):
        draw_calibration(ax, [0, 1], [0])
    with pytest.raises(ValueError, match="low <= high"):
        draw_calibration(ax, [0], [0], floor=(1, 0))
    fig, (ax,) = drawing.new_figure()
    values = {"a": {"x": [1, 2, 3], "y": [4, 5, 6]}, "b": {"x": [0, 0, 0], "y": [1, 1, 1]}}
    artists = draw_seed_spread(ax, values, floor=(0, 0.5))
    series = [a for a in artists if getattr(a, "get_label", lambda: "")() in ("x", "y")]
    assert [len(line.get_xdata()) for line in series] == [6, 6]
    assert series[0].get_marker() != series[1].get_marker()  # not colour alone
    with pytest.raises(ValueError, match="at least one condition"):
        draw_seed_spread(ax, {})
