"""helpers.drawing: the cells each primitive draws, checked against PyTorch where it says how."""

import ast
import itertools
import pkgutil
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from matplotlib.collections import LineCollection, PatchCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import PathPatch

from helpers import channels, drawing, reference, transposed

LESSON_MODULES = {
    "helpers.channels",
    "helpers.mnist",
    "helpers.receptive_field",
    "helpers.reference",
    "helpers.training",
    "helpers.transposed",
    "helpers.widgets",
}
SUBMODULES = sorted(info.name for info in pkgutil.iter_modules(drawing.__path__))


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


def squares(artist):
    """Top-left corners (row, col) of the unit squares of a PatchCollection or compound patch."""
    if isinstance(artist, PatchCollection):
        corners = [path.vertices.min(axis=0) for path in artist.get_paths()]
    else:  # highlight_cells: one closed square per 5 vertices
        corners = list(artist.get_path().vertices.reshape(-1, 5, 2).min(axis=1))
    return {(round(y0), round(x0)) for x0, y0 in corners}


def collection_cells(ax):
    """Top-left corners (row, col) of the squares in patch collections and compound patches."""
    found = set()
    for artist in ax.collections + ax.patches:
        if isinstance(artist, PatchCollection | PathPatch):
            found |= squares(artist)
    return found


def added_artists(ax, draw):
    """Run ``draw()``; return (what it returned, the artists that appeared on ``ax``)."""
    before = set(ax.get_children())
    returned = draw()
    return returned, set(ax.get_children()) - before


# --------------------------------------------------------------------------- package layout
def test_every_exported_name_exists_and_window_taps_come_from_windows():
    assert all(hasattr(drawing, name) for name in drawing.__all__)
    from helpers import windows

    assert drawing.window_taps is windows.window_taps  # index arithmetic lives in windows


@pytest.mark.parametrize("name", SUBMODULES)
def test_no_drawing_module_imports_a_lesson_module(name):
    path = Path(drawing.__file__).parent / f"{name}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    assert not imported & LESSON_MODULES
    # and no import hides inside a function
    nested = [
        node
        for func in ast.walk(tree)
        if isinstance(func, ast.FunctionDef)
        for node in ast.walk(func)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert nested == []


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
    returned, added = added_artists(ax, lambda: drawing.draw_grid(ax, values, padding=1))
    cells, borders, numbers, zeros = returned
    assert set(returned) == added
    assert isinstance(cells, PolyCollection) and len(cells.get_paths()) == 4 * 5
    assert numbers.labels == ["0", "1", "2", "3", "4", "5"]
    assert zeros.labels == ["0"] * 14  # the ring of padding cells
    assert labels(ax) == numbers.labels + zeros.labels
    assert np.allclose(zeros.get_facecolor()[0], to_rgba(drawing.COLORS["faint"]))
    rgba = fills(ax)
    assert rgba.shape[:2] == (4, 5)
    assert np.allclose(rgba[0, 0], to_rgba(drawing.COLORS["padding"]))
    assert np.allclose(rgba[1, 1], to_rgba(drawing.COLORS["input"]))
    assert np.allclose(rgba[-1, -1], rgba[0, 0]) and np.allclose(rgba[2, 3], rgba[1, 1])
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # rows grow downwards


def test_draw_grid_large_has_no_numbers_and_asymmetric_padding():
    ax = axes()
    cells, _ = drawing.draw_grid(ax, np.zeros((28, 28)), padding=(1, 2))
    assert labels(ax) == [] and len(cells.get_paths()) == 31 * 31
    x0, x1 = ax.get_xlim()
    assert round(x1 - x0 - 2 * 0.15) == 28 + 3


def test_draw_grid_four_paddings_and_title():
    ax = axes()
    cells, _, title = drawing.draw_grid(ax, shape=(2, 2), padding=(1, 0, 0, 3), title="t")
    assert title.get_text() == "t" and title in ax.texts
    assert fills(ax).shape[:2] == (3, 5)


def test_draw_grid_pad_label_and_shape_only():
    ax = axes()
    drawing.draw_grid(ax, np.ones((2, 2)), padding=1, pad_label="")
    assert labels(ax) == ["1"] * 4
    ax = axes()
    drawing.draw_grid(ax, shape=(3, 4), padding=0)
    assert labels(ax) == [] and fills(ax).shape[:2] == (3, 4)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({}, ValueError, "values or shape"),
        ({"values": np.zeros(3)}, ValueError, r"values has shape \(3,\): must be 2-D"),
        ({"values": np.zeros((2, 2)), "padding": (1, 2, 3)}, ValueError, r"padding=\(1, 2, 3\)"),
        ({"shape": (2, 2), "padding": -1}, ValueError, "padding=-1 is invalid: must be >= 0"),
        ({"shape": (2, 2), "padding": 1.5}, TypeError, "padding=1.5 is invalid"),
        ({"shape": (2, 2.0)}, TypeError, r"shape=\(2, 2.0\) is invalid"),
    ],
)
def test_draw_grid_refuses_bad_input_naming_the_parameter(kwargs, error, match):
    with pytest.raises(error, match=match):
        drawing.draw_grid(axes(), **kwargs)


def test_draw_grid_heat_map_colours_follow_values():
    ax = axes()
    drawing.draw_grid(ax, np.array([[0.0, 1.0]]), cmap="viridis")
    rgba = fills(ax)
    assert np.allclose(rgba[0, 0], plt.get_cmap("viridis")(0.0))
    assert np.allclose(rgba[0, 1], plt.get_cmap("viridis")(1.0))


def test_highlight_and_outline_return_their_one_artist():
    ax = axes()
    drawing.draw_grid(ax, shape=(4, 4))
    assert drawing.highlight_cells(ax, []) == []
    (patch,) = drawing.highlight_cells(ax, [(0, 1), (3, 3)], color="#ff0000", alpha=0.5)
    assert squares(patch) == {(0, 1), (3, 3)}
    assert np.allclose(patch.get_facecolor(), to_rgba("#ff0000", 0.5))
    (frame,) = drawing.outline_cells(ax, (1, 2), (2, 1), inset=0.1)
    assert frame.get_xy() == pytest.approx((2.1, 1.1))
    assert (frame.get_width(), frame.get_height()) == pytest.approx((0.8, 1.8))
    (caption,) = drawing.label_grid(ax, "caption", 4)
    assert caption.get_text() == "caption" and caption.get_position() == (2, -0.2)


# --------------------------------------------------------------------------- windows and fields
def test_kernel_window_frames_each_tap_of_a_dilated_kernel():
    ax = axes()
    drawing.draw_grid(ax, shape=(7, 7))
    returned, added = added_artists(
        ax, lambda: drawing.draw_kernel_window(ax, 1, 0, k=3, s=2, d=2, weights=np.arange(9))
    )
    span, taps, *weights = returned
    assert set(returned) == added
    assert squares(taps) == {tuple(t) for t in drawing.window_taps(1, 0, 3, 2, 2).tolist()}
    assert span.get_linestyle() == "--"  # the gaps stay open
    assert span.get_xy() == (0, 2) and span.get_width() == span.get_height() == 5
    assert [t.get_text() for t in weights] == [f"×{w}" for w in range(9)]


def test_kernel_window_without_dilation_is_one_solid_frame():
    ax = axes()
    span, taps = drawing.draw_kernel_window(ax, 0, 1, k=(2, 3), s=(1, 2))
    assert span.get_linestyle() == "-" and (span.get_height(), span.get_width()) == (2, 3)
    assert squares(taps) == {(r, c) for r in (0, 1) for c in (2, 3, 4)}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"k": 1.5}, TypeError, "k=1.5 is invalid"),
        ({"s": 0}, ValueError, "s=0 is invalid: must be >= 1"),
        ({"d": (1, 2, 3)}, ValueError, r"d=\(1, 2, 3\) is invalid"),
    ],
)
def test_kernel_window_refuses_bad_parameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        drawing.draw_kernel_window(axes(), 0, 0, **kwargs)


def test_receptive_field_shades_the_taps_padding_included():
    ax = axes()
    drawing.draw_grid(ax, np.zeros((5, 5)), padding=1)
    (field,) = drawing.draw_receptive_field(ax, 0, 2, k=3, s=2)
    assert squares(field) == {(r, c) for r in range(3) for c in range(4, 7)}
    assert field.get_hatch() == "//"


def test_output_grid_marks_current_and_selected_cells():
    ax = axes()
    returned, added = added_artists(
        ax,
        lambda: drawing.draw_output_grid(
            ax, np.arange(9).reshape(3, 3), current=(0, 1), selected=(2, 2)
        ),
    )
    assert set(returned) == added
    assert collection_cells(ax) == {(0, 1), (2, 2)}
    assert labels(ax) == [str(v) for v in range(9)]
    current, selected = (a for a in returned if isinstance(a, PathPatch))
    assert np.allclose(current.get_facecolor(), to_rgba(drawing.COLORS["kernel"], 0.55))
    assert np.allclose(selected.get_facecolor(), to_rgba(drawing.COLORS["field"], 0.35))


def test_sliding_window_step_and_cell_are_raster_positions():
    ax_in, ax_out = drawing.new_figure(2)[1]
    returned = drawing.draw_sliding_window(
        ax_in, ax_out, (5, 5), out_shape=(3, 3), k=3, s=2, p=1, step=5, cell=7
    )
    assert {a.axes for a in returned} == {ax_in, ax_out}
    # step 5 is output (1, 2); cell 7 is output (2, 1)
    assert collection_cells(ax_out) == {(1, 2), (2, 1)}
    input_cells = collection_cells(ax_in)
    assert {tuple(t) for t in drawing.window_taps(2, 1, 3, 2).tolist()} <= input_cells
    assert {tuple(t) for t in drawing.window_taps(1, 2, 3, 2).tolist()} <= input_cells
    assert "input 5×5, padding 1" in [t.get_text() for t in ax_in.texts]
    assert "output 3×3" in [t.get_text() for t in ax_out.texts]


def test_sliding_window_refuses_bad_input():
    ax_in, ax_out = drawing.new_figure(2)[1]
    with pytest.raises(ValueError, match="needs out or out_shape"):
        drawing.draw_sliding_window(ax_in, ax_out, (5, 5))
    with pytest.raises(ValueError, match=r"p=\(1, 2, 3\) is invalid"):
        drawing.draw_sliding_window(ax_in, ax_out, (5, 5), out_shape=(3, 3), p=(1, 2, 3))
    with pytest.raises(ValueError, match="step=-1 is invalid"):
        drawing.draw_sliding_window(ax_in, ax_out, (5, 5), out_shape=(3, 3), step=-1)


# --------------------------------------------------------------------------- figures
def test_new_figure_does_not_touch_pyplot():
    before = plt.get_fignums()
    fig, axes_ = drawing.new_figure(2, figsize=(4, 2), width_ratios=[2, 1])
    drawing.draw_grid(axes_[0], np.eye(3))
    fig.canvas.draw()
    assert plt.get_fignums() == before
    assert fig.canvas.get_width_height() == (400, 200)


def test_draw_image_hides_ticks():
    ax = axes()
    picture, title = drawing.draw_image(ax, np.eye(4), title="eye")
    assert picture in ax.images and title.get_text() == "eye"
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []


def test_tiles_normalise_each_image_and_digits_label_mistakes():
    ax = axes()
    images = np.stack([np.full((2, 2), 10.0), np.arange(4.0).reshape(2, 2)])
    (sheet,) = drawing.draw_tiles(ax, images, ncols=2)
    data = np.ma.filled(sheet.get_array(), np.nan)
    assert data.shape == (2, 5) and np.isnan(data[:, 2]).all()  # the gap between the two
    assert data[:, 3:].min() == 0 and data[:, 3:].max() == 1  # the second image rescaled
    ax = axes()
    _, *texts = drawing.draw_digits(ax, np.zeros((3, 28, 28)), [1, 2, 3], predictions=[1, 7, 3])
    assert [t.get_text() for t in texts] == ["1→1", "2→7", "3→3"]
    colors = [t.get_color() for t in texts]
    assert colors == [drawing.COLORS["text"], drawing.COLORS["kernel"], drawing.COLORS["text"]]


def test_training_plots_draw_the_numbers_they_are_given():
    ax = axes()
    curves = {"MLP": [0.9, 0.95], "CNN": [0.97, 0.99]}
    mlp, cnn, target, legend = drawing.draw_accuracy_curves(ax, curves, target=0.99)
    assert list(cnn.get_ydata()) == [97.0, 99.0] and list(cnn.get_xdata()) == [1, 2]
    assert list(target.get_ydata()) == [99.0, 99.0]
    assert [t.get_text() for t in legend.get_texts()] == ["MLP", "CNN"]
    ax = axes()
    (line, _) = drawing.draw_shift_curves(ax, [0, 2], {"CNN": [0.99, 0.5]})
    assert list(line.get_xdata()) == [0, 2] and list(line.get_ydata()) == [99.0, 50.0]
    ax = axes()
    matrix = np.array([[5, 1], [0, 7]])
    image, *counts = drawing.draw_confusion_matrix(ax, matrix)
    assert [t.get_text() for t in counts] == ["5", "1", "0", "7"]
    assert image.get_array()[0, 0] == 0 and image.get_array()[0, 1] == 1  # diagonal unshaded


# --------------------------------------------------------------------------- transposed
def transposed_example(s=2, p=1, d=1, op=0):
    x, weight = np.array([[1, 2], [3, -1]]), np.array([[1, 0, 2], [-1, 1, 0], [0, 2, 1]])
    copies, carve, _ = transposed.kernel_copies(x, weight, s, p, d, op)
    buffer = reference.transposed_buffer(x[None, None], weight[None, None], s, p, op, 1, d)[0]
    out = reference.conv_transpose2d(
        x[None], weight[None, None], stride=s, padding=p, output_padding=op, dilation=d
    )[0]
    return x, weight, copies, buffer[0, 0], out, carve


@pytest.mark.parametrize(("s", "p", "d", "op"), [(2, 1, 1, 0), (1, 0, 1, 0), (2, 0, 2, 1)])
def test_transposed_steps_draw_the_arrays_they_are_given(s, p, d, op):
    x, weight, copies, buffer, out, carve = transposed_example(s, p, d, op)
    fig, panels = drawing.new_figure(x.size + 3)
    returned = drawing.draw_transposed_steps(
        panels, x, copies, buffer, out, k=weight.shape, s=s, d=d, carve=carve
    )
    assert {a.axes for a in returned} == set(panels)
    for panel, (m, n) in zip(panels[1:-2], np.ndindex(*x.shape), strict=True):
        color = drawing.copy_color(m, n, x.shape[1])
        fill = next(a for a in panel.patches if isinstance(a, PathPatch))
        assert np.allclose(fill.get_facecolor(), to_rgba(color, 0.5))
        assert squares(fill) == {tuple(t) for t in drawing.window_taps(m, n, 3, s, d).tolist()}
        written = sorted(labels(panel))
        expected = [drawing.format_value(copies[m, n][r, c]) for r, c in squares(fill)]
        assert written == sorted(expected)
    assert labels(panels[-2])[: buffer.size] == [drawing.format_value(v) for v in buffer.ravel()]
    assert labels(panels[-1]) == [drawing.format_value(v) for v in out.ravel()]
    captions = [t.get_text() for ax in panels for t in ax.texts if "×" in t.get_text()]
    assert captions[0] == f"input {x.shape[0]}×{x.shape[1]}"
    assert captions[-1] == f"output {out.shape[0]}×{out.shape[1]}"


def test_transposed_steps_refuse_the_old_call_and_mismatched_arrays():
    x, weight, copies, buffer, out, carve = transposed_example()
    fig, panels = drawing.new_figure(x.size + 3)
    with pytest.raises(TypeError):
        drawing.draw_transposed_steps(panels, x, weight, s=2)  # the old signature
    with pytest.raises(ValueError, match="must hold H\\*W \\+ 3 = 7 Axes"):
        drawing.draw_transposed_steps(panels[:-1], x, copies, buffer, out, k=3, s=2)
    with pytest.raises(ValueError, match="copies has shape"):
        drawing.draw_transposed_steps(panels, x, copies[:1], buffer, out, k=3, s=2)
    with pytest.raises(ValueError, match=r"copies has shape \(3, 3\)"):
        drawing.draw_transposed_steps(panels, x, weight, buffer, out, k=3, s=2)


def test_carve_hatches_the_ring_and_frames_what_stays():
    ax = axes()
    drawing.draw_grid(ax, shape=(5, 4))
    ring, kept = drawing.draw_carve(ax, (5, 4), (2, 1))
    inner = {(r, c) for r in range(2, 3) for c in range(1, 3)}
    assert squares(ring) == {(r, c) for r in range(5) for c in range(4)} - inner
    assert kept.get_xy() == (1, 2) and (kept.get_width(), kept.get_height()) == (2, 1)
    assert drawing.draw_carve(ax, (5, 4), 0) == []
    with pytest.raises(ValueError, match="carve=-1 is invalid"):
        drawing.draw_carve(ax, (5, 4), -1)


def test_colored_input_and_buffer_footprints():
    ax = axes()
    x = np.arange(4).reshape(2, 2)
    returned = drawing.draw_colored_input(ax, x, selected=(1, 0), title="in")
    (fill,) = [a for a in returned if isinstance(a, PathPatch)]
    assert squares(fill) == {(1, 0)}
    assert np.allclose(fill.get_facecolor(), to_rgba(drawing.copy_color(1, 0, 2), 0.5))
    ax = axes()
    taps = drawing.window_taps(0, 1, 2, 2)
    returned = drawing.draw_transposed_buffer(
        ax, np.zeros((4, 4)), footprints=[(taps, "#ff0000"), (taps, "#00ff00")]
    )
    frames = [a for a in returned if isinstance(a, PatchCollection)]
    assert [squares(f) for f in frames] == [{tuple(t) for t in taps.tolist()}] * 2
    widths = [np.ptp(f.get_paths()[0].vertices[:, 0]) for f in frames]
    assert widths[0] > widths[1]  # nested: the second copy's frames sit inside the first's


def test_overlap_counts_row_and_map():
    ax = axes()
    counts = transposed.overlap_counts_2d(4, 3, 2)
    cells, _, numbers, title = drawing.draw_overlap_counts(ax, counts, title="k = 3, s = 2")
    assert numbers.labels == [str(v) for v in counts.ravel()]
    assert title.get_text() == "k = 3, s = 2"
    ax = axes()
    drawing.draw_overlap_counts(ax, np.array([1, 2, 1]))
    assert fills(ax).shape[:2] == (1, 3)


# --------------------------------------------------------------------------- channels
@pytest.mark.parametrize(("c_in", "c_out", "groups"), [(2, 3, 1), (4, 6, 2), (8, 8, 8), (1, 1, 1)])
def test_connectivity_draws_one_line_per_kernel_in_its_group_colour(c_in, c_out, groups):
    links = channels.channel_connectivity(c_in, c_out, groups)
    ax = axes()
    returned, added = added_artists(ax, lambda: drawing.draw_channel_connectivity(ax, links))
    assert set(returned) == added
    (lines,) = [a for a in returned if isinstance(a, LineCollection)]
    assert len(lines.get_segments()) == links.sum() == c_in * c_out // groups
    group_of_output = {
        o: g
        for g, (_, outs) in enumerate(channels.channel_groups(c_in, c_out, groups))
        for o in outs
    }
    expected = [
        to_rgba(drawing.GROUP_COLORS[group_of_output[o]], 0.8)
        for o, _ in zip(*np.nonzero(links), strict=True)
    ]
    assert np.allclose(lines.get_colors(), expected)
    names = sorted(label for a in returned for label in getattr(a, "labels", []))
    groups = [drawing.group_name(g) for g in range(groups)] * 2  # beside each column
    channel_names = [f"x{c}" for c in range(c_in)] + [f"y{o}" for o in range(c_out)]
    assert names == sorted(channel_names + groups)


def test_connectivity_without_links_draws_grey_channels_only():
    ax = axes()
    returned = drawing.draw_channel_connectivity(ax, np.zeros((4, 6), dtype=bool), title="none")
    boxes = [a for a in returned if isinstance(a, PatchCollection)]
    assert [len(b.get_paths()) for b in boxes] == [6, 4]
    assert all(np.allclose(b.get_edgecolor(), to_rgba(drawing.COLORS["faint"])) for b in boxes)
    assert len(ax.collections[-1].get_segments()) == 0


@pytest.mark.parametrize(
    ("connectivity", "error", "match"),
    [
        (2, ValueError, r"connectivity has shape \(\)"),
        (np.ones((2, 3), dtype=int), TypeError, "connectivity has dtype int"),
        (np.ones((0, 3), dtype=bool), ValueError, "at least one channel"),
    ],
)
def test_connectivity_refuses_what_is_not_a_boolean_matrix(connectivity, error, match):
    with pytest.raises(error, match=match):
        drawing.draw_channel_connectivity(axes(), connectivity)
    with pytest.raises(error, match=match):
        drawing.draw_weight_blocks(axes(), connectivity)


@pytest.mark.parametrize(("c_in", "c_out", "groups"), [(2, 3, 1), (4, 6, 2), (6, 4, 2), (4, 4, 4)])
def test_weight_blocks_fill_the_kernels_of_each_group(c_in, c_out, groups):
    ax = axes()
    links = channels.channel_connectivity(c_in, c_out, groups)
    returned = drawing.draw_weight_blocks(ax, links, title="w")
    blocks = [a for a in returned if isinstance(a, PathPatch)]
    assert len(blocks) == groups
    for g, (block, (inputs, outputs)) in enumerate(
        zip(blocks, channels.channel_groups(c_in, c_out, groups), strict=True)
    ):
        assert squares(block) == {(o, c) for o in outputs for c in inputs}
        assert np.allclose(block.get_facecolor(), to_rgba(drawing.GROUP_COLORS[g], 0.6))
    assert fills(ax).shape[:2] == (c_out, c_in)


def test_channel_sum_fills_a_row_per_input_channel():
    fig = plt.figure()
    grid = fig.subplots(2, 4)
    x, kernels = np.ones((2, 3, 3)), np.arange(8).reshape(2, 2, 2)
    pieces, out = np.ones((2, 2, 2)), np.full((2, 2), 2.0)
    returned = drawing.draw_channel_sum(grid, x, kernels, pieces, out, o=1)
    plt.close(fig)
    assert grid[0, 3].has_data() and not grid[1, 3].has_data()  # the sum, once, in row 0
    assert {a.axes for a in returned} == set(grid[:, :3].ravel()) | {grid[0, 3]}
    titles = [t.get_text() for t in returned if hasattr(t, "get_text") and t.get_text()]
    assert titles == [
        "x0",
        "w[1, 0]",
        "x0 ⋆ w[1, 0]",
        "x1",
        "w[1, 1]",
        "x1 ⋆ w[1, 1]",
        "y1 = sum + b[1]",
    ]
    assert labels(grid[1, 1]) == ["4", "5", "6", "7"]


# --------------------------------------------------------------------------- captions
def test_write_text_is_a_plain_text_at_label_size():
    fig, (ax,) = drawing.new_figure(figsize=(3, 2))
    caption = drawing.write_text(ax, 0.5, 0.5, "input 5×5", ha="center")
    assert caption in ax.texts and caption.get_fontsize() == drawing.LABEL_SIZE
    assert not caption.get_clip_on()


def test_cell_numbers_are_left_out_when_they_do_not_fit():
    values = np.full((3, 3), 123)
    for figsize, fits in (((3, 3), True), ((0.6, 0.6), False)):
        fig, (ax,) = drawing.new_figure(figsize=figsize)
        _, _, numbers = drawing.draw_grid(ax, values)
        assert numbers.fontsize == drawing.LABEL_SIZE and numbers.shown is None
        fig.canvas.draw()
        assert numbers.shown is fits
