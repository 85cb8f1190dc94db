"""Tests of helpers.animation: frame counts, the direct-convolution view, reproducible GIFs."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image, ImageSequence
from torch_oracle import torch_transposed

from helpers import animation, arithmetic, widgets


@pytest.mark.parametrize(
    "params", [dict(i=4, k=3), dict(i=5, k=3, s=2, p=1), dict(i=7, k=3, d=2), dict(i=6, k=4, s=3)]
)
def test_conv_frames_are_the_output_positions(params):
    frames = animation.explorer_frames(widgets.conv_explorer(), title="t", **params)
    full = {"s": 1, "p": 0, "d": 1, **params}
    o = arithmetic.conv_output_size(full["i"], full["k"], full["s"], full["p"], full["d"])
    assert len(frames) == o * o


def test_transposed_scatter_frames_are_the_input_cells_even_past_the_slider():
    explorer = widgets.transposed_explorer()
    top = explorer.controls["i"].max
    frames = animation.explorer_frames(explorer, title="t", i=top + 1, k=3, p=2)
    assert explorer.controls["i"].value == top + 1
    assert len(frames) == (top + 1) ** 2


def test_captions_are_the_state_lines_as_plain_text():
    frames = animation.explorer_frames(widgets.conv_explorer(), title="t", i=5, k=3)
    fig = Figure(figsize=frames.figsize)
    lines = frames.draw(fig, 4)
    assert lines[0] == "o = ⌊(i + 2p − k) / s⌋ + 1 = ⌊(5 + 2·0 − 3) / 1⌋ + 1 = 3"
    assert lines[-1].startswith("out[1, 1] = ") and "<" not in "".join(lines)


def test_explorer_frames_refuses_an_impossible_case():
    with pytest.raises(ValueError, match="no output"):
        animation.explorer_frames(widgets.conv_explorer(), title="t", i=2, k=5)


def test_frames_leave_the_explorer_as_it_was():
    explorer = widgets.conv_explorer(i=5, k=3)
    frames = animation.explorer_frames(explorer, title="t", follow=("cell",))
    before = explorer.params()
    fig = animation._frame_figure(*frames.figsize)
    lines = frames.draw(fig, 4)
    assert explorer.params() == before
    # the caption holds the formula with numbers and the centre window's sum
    assert lines[0].endswith("= 3")
    x = widgets.example_input(5)
    assert lines[-1].startswith("out[1, 1] = ") and lines[-1].endswith(f"= {x[1:4, 1:4].sum()}")


@pytest.mark.parametrize(
    "i, k, s, p, d, op",
    [(2, 3, 1, 0, 1, 0), (3, 3, 2, 1, 1, 1), (3, 3, 2, 1, 2, 0), (6, 4, 1, 2, 1, 0)],
)
def test_transposed_as_convolution_agrees_with_pytorch(i, k, s, p, d, op):
    x, weight = widgets.transposed_example(i, k)
    frames = animation.TransposedAsConvolution(x, weight, s, p, d, op, title="t")
    expected = torch_transposed(x, weight, stride=s, padding=p, dilation=d, output_padding=op)
    np.testing.assert_allclose(frames.out, expected)
    o = arithmetic.conv_transpose_output_size(i, k, s, p, d, op)
    assert len(frames) == o * o


def test_transposed_as_convolution_caption_spells_the_current_sum():
    x, weight = widgets.transposed_example(2, 3)
    frames = animation.TransposedAsConvolution(x, weight, 1, 0, 1, 0, title="t")
    fig = animation._frame_figure(*frames.figsize)
    lines = frames.draw(fig, 5)  # out[1, 1]
    assert lines[-1].startswith("out[1, 1] = ")
    assert lines[-1].endswith(f"= {frames.out[1, 1]:g}".replace("-", "−"))


def test_save_gif_writes_one_frame_per_position_and_identical_bytes(tmp_path):
    def write(name):
        frames = animation.explorer_frames(widgets.conv_explorer(), title="t", i=5, k=3, s=2)
        return animation.save_gif(frames, tmp_path / name)

    first, second = write("a.gif"), write("b.gif")
    assert first.frames == second.frames == 4
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()
    with Image.open(tmp_path / "a.gif") as image:
        assert image.format == "GIF"
        assert len(list(ImageSequence.Iterator(image))) == 4
        assert image.size == (first.width, first.height)
        # one shared palette of at most PALETTE_COLORS colours, no dithering noise
        assert len(image.convert("RGB").getcolors(1 << 16)) <= animation.PALETTE_COLORS
