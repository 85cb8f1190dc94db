"""Every text in an explorer's picture is at least 9 CSS pixels high, and every number fits.

The picture is rendered at ``helpers.widgets.render.DENSITY`` image pixels per CSS pixel
and shown at its CSS width, so a text's CSS height is its rendered pixel height divided by the
density. Definition used here: a text's height is the height of its line box as matplotlib lays
it out, ``Text.get_window_extent(renderer).height`` (for one line, the font size: a 9-point text
at 72 CSS pixels per inch is 9 CSS pixels; its digits' ink is about 0.73 of that). The numbers in
cells are glyph outlines (``drawing.CellLabels``), measured as a ``Text`` of the same string and
font size rendered on the same figure. Each is checked at the default settings, at the largest
settings (every slider as high as it goes while there is an output) and at a few in between;
numbers that are drawn must also fit inside their cells.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from helpers import drawing, widgets
from helpers.widgets import render

#: The least CSS height of any text in a picture.
MIN_CSS_PX = 9.0

#: Settings between the default and the largest, where cells get small but keep numbers.
MIDDLE = {
    widgets.conv_explorer: [dict(i=8, p=2), dict(i=12, k=7), dict(i=7, k=2, p=2, d=2)],
    widgets.pool_explorer: [dict(i=9, k=3, s=1, p=1), dict(i=12, k=2, mode="avg")],
    widgets.transposed_explorer: [dict(i=3, k=3, s=2, p=0), dict(i=4, k=3, s=2, p=0)],
    widgets.checkerboard_explorer: [dict(i=5, k=4, s=2), dict(i=8, k=3, s=1)],
    widgets.channels_explorer: [dict(c_in=8, c_out=8, groups=2, k=5)],
}
FACTORIES = list(MIDDLE)


def load_bench():
    """bench/latency.py, for the largest settings it measures (the same helper here)."""
    path = Path(__file__).resolve().parent.parent / "bench" / "latency.py"
    spec = importlib.util.spec_from_file_location("latency_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    namespace: dict = {}
    exec(module.LARGEST, namespace)  # the project's own code
    return namespace["largest"]


largest = load_bench()


def rendered(explorer):
    """The explorer's figure drawn as its picture is: (figure, renderer, density)."""
    density = render.DENSITY
    fig = explorer.figure()
    fig.set_dpi(explorer.dpi * density)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return fig, canvas.get_renderer(), density


def drawn_texts(fig):
    """The Text artists a draw writes: figure texts, Axes texts and non-empty titles."""
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += ax.texts
        texts.append(ax.title)
    return [t for t in texts if t.get_visible() and t.get_text()]


def css_heights(explorer):
    """(what, CSS height) of every text drawn, and the number collections drawn."""
    fig, renderer, density = rendered(explorer)
    heights = [
        (t.get_text(), t.get_window_extent(renderer).height / density) for t in drawn_texts(fig)
    ]
    numbers = [c for ax in fig.axes for c in ax.collections if isinstance(c, drawing.CellLabels)]
    for collection in numbers:
        assert collection.shown is not None  # drawn, so it decided
        if collection.shown:
            probe = Text(0, 0, max(collection.labels, key=len), fontsize=collection.fontsize)
            probe.set_figure(fig)
            heights.append(
                (collection.labels[0], probe.get_window_extent(renderer).height / density)
            )
    return heights, numbers


def settings(factory):
    """Default, the settings in between, and the largest: one explorer each."""
    yield "default", factory()
    for change in MIDDLE[factory]:
        yield str(change), factory().set(**change)
    yield "largest", largest(factory())


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_text_is_at_least_9_css_pixels_high(factory):
    for name, explorer in settings(factory):
        heights, _ = css_heights(explorer)
        assert heights, name
        small = [(text, round(h, 2)) for text, h in heights if h < MIN_CSS_PX - 1e-6]
        assert small == [], (factory.__name__, name, small)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_numbers_drawn_fit_their_cells(factory):
    for name, explorer in settings(factory):
        fig, renderer, density = rendered(explorer)
        for ax in fig.axes:
            for collection in ax.collections:
                if not (isinstance(collection, drawing.CellLabels) and collection.shown):
                    continue
                (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1, 1)])
                cell = min(abs(x1 - x0), abs(y1 - y0))
                scale = collection.fontsize / 72 * fig.dpi
                for path in collection.get_paths():
                    if len(path.vertices):
                        assert np.ptp(path.vertices[:, 0]) * scale < cell, (name, collection.labels)


@pytest.mark.parametrize("factory", FACTORIES[:4], ids=lambda f: f.__name__)
def test_default_pictures_show_their_numbers(factory):
    """Numbers are left out only where they would not fit: at the defaults all are drawn."""
    _, numbers = css_heights(factory())
    assert numbers and all(collection.shown for collection in numbers)
