"""helpers.drawing: the cells each primitive draws, checked against PyTorch where it says how."""

import itertools
import struct

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from matplotlib.collections import PatchCollection, PolyCollection
from matplotlib.patches import PathPatch, Rectangle

from helpers import drawing


def torch_receptive_field(row, col, k, s, d, padded_size):
    """Padded-input cells with a nonzero gradient of output (row, col): PyTorch's answer."""
    x = torch.ones(1, 1, padded_size, padded_size, dtype=torch.float64, requires_grad=True)
    out = F.conv2d(x, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s, dilation=d)
    out[0, 0, row, col].backward()
    return {tuple(rc) for rc in torch.nonzero(x.grad[0, 0]).tolist()}


def axes():
    fig, (ax,) = drawing.new_figure()
    return ax


def labels(ax):
    """Every label written in cells by draw_labels, in drawing order."""
    return [label for c in ax.collections for label in getattr(c, "labels", [])]


def fills(ax):
    """Face colours of the grid cells, shape (rows, cols, 4), of the one grid on ``ax``."""
    (grid,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    corners = np.array([path.vertices.min(axis=0) for path in grid.get_paths()])
    shape = (int(corners[:, 1].max()) + 1, int(corners[:, 0].max()) + 1)
    return grid.get_facecolors().reshape(*shape, 4)


def collection_cells(ax):
    """Top-left corners (row, col) of the squares in patch collections and compound patches."""
    squares = [
        path.vertices
        for collection in ax.collections
        if isinstance(collection, PatchCollection)
        for path in collection.get_paths()
    ]
    for patch in ax.patches:
        if isinstance(patch, PathPatch):  # highlight_cells: one closed square per 5 vertices
            squares += list(patch.get_path().vertices.reshape(-1, 5, 2))
    return {(round(y0), round(x0)) for x0, y0 in (square.min(axis=0) for square in squares)}


# --------------------------------------------------------------------------- window_taps
@pytest.mark.parametrize(("k", "s", "d"), list(itertools.product([1, 2, 3], [1, 2, 3], [1, 2])))
def test_window_taps_are_the_cells_pytorch_differentiates(k, s, d):
    padded = 9
    span = d * (k - 1) + 1
    o = (padded - span) // s + 1
    for row, col in itertools.product(range(o), repeat=2):
        taps = {tuple(t) for t in drawing.window_taps(row, col, k, s, d).tolist()}
        assert len(taps) == k * k
        assert taps == torch_receptive_field(row, col, k, s, d, padded)


def test_window_taps_order_is_kernel_raster_order():
    taps = drawing.window_taps(0, 0, k=(2, 3), s=1, d=(1, 2))
    assert taps.tolist() == [[0, 0], [0, 2], [0, 4], [1, 0], [1, 2], [1, 4]]


# --------------------------------------------------------------------------- format_value
@pytest.mark.parametrize(
    ("value", "text"),
    [(3, "3"), (np.int64(-4), "−4"), (2.0, "2"), (2.5, "2.5"), (1 / 3, "0.33"), (-np.inf, "−∞")],
)
def test_format_value(value, text):
    assert drawing.format_value(value) == text


# --------------------------------------------------------------------------- draw_grid
def test_draw_grid_writes_every_cell_and_shades_padding():
    ax = axes()
    values = np.arange(6).reshape(2, 3)
    assert drawing.draw_grid(ax, values, padding=1) is ax
    texts = labels(ax)
    assert len(texts) == 4 * 5  # 2x3 cells and a ring of 14 padding cells
    assert texts[:6] == ["0", "1", "2", "3", "4", "5"] and set(texts[6:]) == {"0"}
    rgba = fills(ax)
    assert rgba.shape[:2] == (4, 5)
    assert not np.allclose(rgba[0, 0], rgba[1, 1])  # padding and input differ
    assert np.allclose(rgba[0, 0], rgba[-1, -1]) and np.allclose(rgba[1, 1], rgba[2, 3])
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # rows grow downwards


def test_draw_grid_large_has_no_numbers_and_asymmetric_padding():
    ax = axes()
    drawing.draw_grid(ax, np.zeros((28, 28)), padding=(1, 2))
    assert labels(ax) == []
    x0, x1 = ax.get_xlim()
    assert round(x1 - x0 - 2 * 0.15) == 28 + 3


def test_draw_grid_pad_label_and_shape_only():
    ax = axes()
    drawing.draw_grid(ax, np.ones((2, 2)), padding=1, pad_label="")
    assert labels(ax) == ["1"] * 4
    ax = axes()
    drawing.draw_grid(ax, shape=(3, 4), padding=0)
    assert labels(ax) == [] and fills(ax).shape[:2] == (3, 4)
    with pytest.raises(ValueError, match="values or shape"):
        drawing.draw_grid(axes())
    with pytest.raises(ValueError, match="must be 2-D"):
        drawing.draw_grid(axes(), np.zeros(3))
    with pytest.raises(ValueError, match="padding"):
        drawing.draw_grid(axes(), np.zeros((2, 2)), padding=(1, 2, 3))


def test_draw_grid_heat_map_colours_follow_values():
    ax = axes()
    drawing.draw_grid(ax, np.array([[0.0, 1.0]]), cmap="viridis")
    rgba = fills(ax)
    assert not np.allclose(rgba[0, 0], rgba[0, 1])


# --------------------------------------------------------------------------- windows and fields
def test_kernel_window_frames_each_tap_of_a_dilated_kernel():
    ax = axes()
    drawing.draw_grid(ax, shape=(7, 7))
    drawing.draw_kernel_window(ax, 1, 0, k=3, s=2, d=2, weights=np.arange(9))
    frames = collection_cells(ax)
    assert frames == {tuple(t) for t in drawing.window_taps(1, 0, 3, 2, 2).tolist()}
    spans = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(spans) == 1 and spans[0].get_linestyle() == "--"  # the gaps stay open
    assert spans[0].get_width() == spans[0].get_height() == 5
    assert sorted(t.get_text() for t in ax.texts) == sorted(f"×{w}" for w in range(9))


def test_receptive_field_shades_the_taps_padding_included():
    ax = axes()
    drawing.draw_grid(ax, np.zeros((5, 5)), padding=1)
    drawing.draw_receptive_field(ax, 0, 2, k=3, s=2)
    assert collection_cells(ax) == {(r, c) for r in range(3) for c in range(4, 7)}


def test_output_grid_marks_current_and_selected_cells():
    ax = axes()
    drawing.draw_output_grid(ax, np.arange(9).reshape(3, 3), current=(0, 1), selected=(2, 2))
    assert collection_cells(ax) == {(0, 1), (2, 2)}
    assert labels(ax) == [str(v) for v in range(9)]


def test_sliding_window_step_and_cell_are_raster_positions():
    ax_in, ax_out = drawing.new_figure(2)[1]
    drawing.draw_sliding_window(
        ax_in, ax_out, (5, 5), out_shape=(3, 3), k=3, s=2, p=1, step=5, cell=7
    )
    # step 5 is output (1, 2); cell 7 is output (2, 1)
    assert collection_cells(ax_out) == {(1, 2), (2, 1)}
    input_cells = collection_cells(ax_in)
    assert {tuple(t) for t in drawing.window_taps(2, 1, 3, 2).tolist()} <= input_cells
    assert {tuple(t) for t in drawing.window_taps(1, 2, 3, 2).tolist()} <= input_cells
    assert "input 5×5, padding 1" in [t.get_text() for t in ax_in.texts]


# --------------------------------------------------------------------------- figures
def test_new_figure_and_render_png_do_not_touch_pyplot():
    before = plt.get_fignums()
    fig, axes_ = drawing.new_figure(2, figsize=(4, 2), width_ratios=[2, 1])
    drawing.draw_grid(axes_[0], np.eye(3))
    png = drawing.render_png(fig, dpi=50)
    assert plt.get_fignums() == before
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (200, 100)


def test_draw_image_hides_ticks():
    ax = axes()
    assert drawing.draw_image(ax, np.eye(4), title="eye") is ax
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
