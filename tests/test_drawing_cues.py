"""Colour is never the only cue: kernel copies and channel groups differ by a second cue too.

Each test reads the artists a drawing function returns (or adds) and checks that two copies,
or two groups, that differ in colour also differ in what a reader who cannot tell the colours
apart can see: a letter or name written in the picture, or the line style of their frames and
lines.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba

from helpers import channels, drawing, reference, transposed, widgets


def axes():
    fig, (ax,) = drawing.new_figure()
    return ax


def written(artists) -> list[str]:
    """Every label of the glyph collections among ``artists`` (draw_labels), in order."""
    return [label for a in artists for label in getattr(a, "labels", [])]


def dash_pattern(collection) -> tuple:
    """The dash pattern of a collection's first line (offset dropped), comparable across styles."""
    _, dashes = collection.get_linestyle()[0]
    return tuple(dashes) if dashes is not None else ()


# --------------------------------------------------------------------------- kernel copies
def test_copy_letters_and_line_styles_differ_between_neighbouring_copies():
    letters = [drawing.copy_letter(m, n, 3) for m, n in np.ndindex(3, 3)]
    assert letters == list("abcdefghi")
    assert len({drawing.copy_letter(0, n, 60) for n in range(60)}) == 60  # past z: aa, ab, ...
    for m, n in np.ndindex(3, 3):  # the copy on the right and the one below overlap it
        here = drawing.copy_linestyle(m, n, 3)
        assert here != drawing.copy_linestyle(m, (n + 1) % 3, 3)
        assert here != drawing.copy_linestyle((m + 1) % 3, n, 3)


def story(x, k=3, s=2, p=1):
    """Arrays of draw_transposed_steps for input ``x`` and a kernel of ones."""
    weight = np.ones((k, k))
    copies, carve, _ = transposed.kernel_copies(x, weight, s, p)
    buffer = copies.sum(axis=(0, 1))
    out = reference.conv_transpose2d(x[None], weight[None, None], stride=s, padding=p)[0]
    return {"copies": copies, "buffer": buffer, "out": out, "k": k, "s": s, "carve": carve}


def test_transposed_steps_tell_each_copy_by_letter_and_line_style():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    fig, panels = drawing.new_figure(x.size + 3)
    drawing.draw_transposed_steps(panels, x, **story(x))
    # the input: each element's letter, in raster order
    assert written(panels[0].collections)[-4:] == ["a", "b", "c", "d"]
    # each copy's panel: its letter in the caption, its cells framed in its own line style
    captions = [
        next(t.get_text() for t in ax.texts if "kernel" in t.get_text()) for ax in panels[1:5]
    ]
    assert [c.split(":")[0] for c in captions] == ["copy a", "copy b", "copy c", "copy d"]
    styles = []
    for panel in panels[1:5]:
        (frames,) = [c for c in panel.collections if isinstance(c, PatchCollection)]
        styles.append(dash_pattern(frames))
    assert len(set(styles)) == 4, styles
    # the buffer: each copy's frames in the style of its panel
    buffer_frames = [c for c in panels[-2].collections if isinstance(c, PatchCollection)]
    assert [dash_pattern(f) for f in buffer_frames] == styles


def test_buffer_footprints_take_the_style_given_or_their_copys_in_raster_order():
    taps = drawing.window_taps(0, 0, 2, 2)
    ax = axes()
    given = drawing.draw_transposed_buffer(
        ax, np.zeros((4, 4)), footprints=[(taps, "#ff0000", "dotted"), (taps, "#00ff00", "dotted")]
    )
    frames = [a for a in given if isinstance(a, PatchCollection)]
    assert dash_pattern(frames[0]) == dash_pattern(frames[1]) != ()
    ax = axes()
    default = drawing.draw_transposed_buffer(
        ax, np.zeros((4, 4)), footprints=[(taps, "#ff0000"), (taps, "#00ff00")]
    )
    first, second = [dash_pattern(a) for a in default if isinstance(a, PatchCollection)]
    assert first == () and second != ()  # solid, then dashed: copy_linestyle of copies a, b


def test_colored_input_letters_only_the_coloured_elements():
    x = np.arange(6).reshape(2, 3)
    ax = axes()
    returned = drawing.draw_colored_input(ax, x, selected=(1, 2))
    assert written(returned)[-1:] == ["f"]
    big = np.zeros((20, 20))
    (letters,) = drawing.draw_copy_letters(axes(), [(0, 0), (19, 19)], 20, corner=False)
    assert letters.labels == ["a", drawing.copy_letter(19, 19, 20)]
    centre = letters.get_offsets()[0]
    assert tuple(centre) == (0.5, 0.5)  # centred where no value is written
    returned = drawing.draw_colored_input(axes(), big, show_values=False)
    assert len(written(returned)) == big.size


def test_transposed_explorer_shows_the_current_copys_letter_and_style():
    explorer = widgets.transposed_explorer(i=2, k=3, s=2, p=1)
    styles = {}
    for step in (0, 1):
        explorer.set(step=step)
        fig = explorer.figure()
        (ax,) = fig.axes
        letter = "ab"[step]
        assert any(t.get_text().startswith(f"copy {letter} of x[0, {step}]") for t in ax.texts)
        assert letter in written(ax.collections)
        color = to_rgba(drawing.copy_color(0, step, 2))
        frames = [
            c
            for c in ax.collections
            if isinstance(c, PatchCollection) and np.allclose(c.get_edgecolor()[0], color)
        ]
        assert len(frames) == 2  # the copy's cells, and the same cells in the buffer
        styles[step] = {dash_pattern(f) for f in frames}
        assert len(styles[step]) == 1
    assert styles[0] != styles[1]


# --------------------------------------------------------------------------- channel groups
@pytest.mark.parametrize(("c_in", "c_out", "groups"), [(4, 6, 2), (8, 8, 8), (6, 3, 3)])
def test_connectivity_names_each_group_and_gives_its_lines_a_style(c_in, c_out, groups):
    links = channels.channel_connectivity(c_in, c_out, groups)
    ax = axes()
    returned = drawing.draw_channel_connectivity(ax, links)
    names = [drawing.group_name(g) for g in range(groups)]
    assert written(returned).count("g1") == 2  # beside the inputs and beside the outputs
    assert sorted(set(written(returned)) & set(names)) == sorted(names)
    left, right = sorted(ax.get_xlim())
    for collection in [a for a in returned if "g1" in getattr(a, "labels", [])]:
        xs = collection.get_offsets()[:, 0]  # half a box each side for "g1": inside the view
        assert left < xs.min() - 0.5 and xs.max() + 0.5 < right, (xs, (left, right))
    (lines,) = [a for a in returned if isinstance(a, LineCollection)]
    group_of_output = {
        o: g
        for g, (_, outs) in enumerate(channels.channel_groups(c_in, c_out, groups))
        for o in outs
    }
    styles = lines.get_linestyle()
    pairs = list(zip(*np.nonzero(links), strict=True))
    by_group: dict[int, set] = {}
    for (o, _), (_, dashes) in zip(pairs, styles, strict=True):  # a style per line
        by_group.setdefault(group_of_output[o], set()).add(tuple(dashes or ()))
    assert all(len(s) == 1 for s in by_group.values())  # one style per group
    firsts = [by_group[g] for g in range(min(groups, len(drawing.GROUP_LINESTYLES)))]
    assert all(a != b for n, a in enumerate(firsts) for b in firsts[n + 1 :])


def test_weight_blocks_name_each_group_beside_its_rows():
    links = channels.channel_connectivity(4, 6, 2)
    ax = axes()
    returned = drawing.draw_weight_blocks(ax, links)
    (names,) = [a for a in returned if "g1" in getattr(a, "labels", [])]
    assert names.labels == ["g1", "g2"]
    (x1, y1), (x2, y2) = names.get_offsets()
    assert x1 == x2 > 4  # right of the 4 input columns
    assert (y1, y2) == (1.5, 4.5)  # the middle of rows 0-2 and of rows 3-5


def test_channels_without_links_draw_no_group_names():
    nothing = np.zeros((3, 2), dtype=bool)
    for draw in (drawing.draw_channel_connectivity, drawing.draw_weight_blocks):
        assert not {"g1"} & set(written(draw(axes(), nothing)))


def test_the_stretched_input_letters_each_element_where_it_lands():
    """The transposed convolution as a convolution: x[m, n] sits at (q + m*s, q + n*s)."""
    from matplotlib.figure import Figure

    from helpers import animation

    frames = animation.TransposedAsConvolution(
        np.array([[1, 2], [3, 4]]), np.ones((3, 3)), s=2, p=1, title="t"
    )
    fig = Figure(figsize=frames.figsize)
    frames.draw(fig, 0)
    (ax,) = fig.axes
    (letters,) = [c for c in ax.collections if getattr(c, "labels", None) == list("abcd")]
    q = 1  # d*(k - 1) - p
    corners = {(q + m * 2, q + n * 2) for m, n in np.ndindex(2, 2)}
    dx, dy = drawing.copies.LETTER_CORNER
    assert {(round(y - dy), round(x - dx)) for x, y in letters.get_offsets()} == corners
