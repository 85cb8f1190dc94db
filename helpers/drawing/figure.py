"""Figures and their rendering: the shared colours, number labels, view and PNG output.

Everything here is used by every other drawing module: :data:`COLORS` (a colour means
the same thing in every lesson), :func:`format_value` (the text written in a cell),
:func:`fit_view` (the frame of a grid drawing), :func:`set_title`, and the pyplot-free
:func:`new_figure` and :func:`render_png` that the explorers of :mod:`helpers.widgets`
draw with.

Introduced in notebook 01.
"""

from __future__ import annotations

import functools
import io
import numbers

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

__all__ = [
    "COLORS",
    "LABEL_SIZE",
    "MAX_LABELLED",
    "PathText",
    "fit_view",
    "format_value",
    "new_figure",
    "render_png",
    "set_title",
    "write_text",
]

#: The font of every label and caption (matplotlib's default, shipped with it).
FONT = FontProperties(family="DejaVu Sans")

#: Colours shared by every drawing, so a colour means the same thing in every lesson.
COLORS = {
    "input": "#cfe2f3",  # input cells
    "padding": "#e6e6e6",  # zero (or -inf) padding
    "output": "#d9ead3",  # output cells
    "kernel": "#e69138",  # the kernel window at the current step, and its output cell
    "field": "#8e7cc3",  # the receptive field of the selected output cell
    "grid": "#666666",  # cell borders
    "text": "#222222",
    "faint": "#999999",  # text in padding cells
}

#: Font size (points) of every number and label: 9 CSS pixels in an explorer (72 CSS pixels
#: per inch), the least that stays readable (issue 13.3). Numbers that do not fit their cells
#: at this size are left out (:class:`helpers.drawing.labels.CellLabels`), never shrunk.
LABEL_SIZE = 9

#: Grids with more rows or columns than this are drawn without numbers in the cells.
MAX_LABELLED = 12

#: A cell ``(row, col)`` of a grid.
Cell = tuple[int, int]

#: Where a grid's top-left cell starts, ``(x0, y0)`` in data coordinates.
Origin = tuple[float, float]


def format_value(value) -> str:
    """Short text for one cell: integers without a decimal point, floats to two decimals.

    Parameters
    ----------
    value : number
        The value to write; ``-inf`` (max-pooling padding) becomes ``"−∞"``.

    Returns
    -------
    str
        The text, with a true minus sign ``"−"``.

    Notes
    -----
    Introduced in notebook 01.

    Examples
    --------
    >>> format_value(3.0), format_value(2.25), format_value(-1 / 3), format_value(-np.inf)
    ('3', '2.25', '−0.33', '−∞')
    """
    if isinstance(value, numbers.Integral):
        return str(int(value)).replace("-", "−")
    value = float(value)
    if np.isinf(value):
        return "−∞" if value < 0 else "∞"
    if value == round(value):
        return str(int(round(value))).replace("-", "−")
    return f"{value:.2f}".rstrip("0").rstrip(".").replace("-", "−")


def fit_view(ax: Axes, margin: float = 0.15) -> Axes:
    """Frame everything drawn so far: equal aspect, rows growing downwards, no axis lines.

    Parameters
    ----------
    ax : Axes
        The axes to frame.
    margin : float, default=0.15
        Space around the drawing, in cells.

    Returns
    -------
    Axes
        ``ax``, its limits set from its data limits. This function adds no artist.

    Notes
    -----
    Introduced in notebook 01. Grid drawings call it last, so several grids drawn on
    one ``Axes`` (at different origins) are all in view.
    """
    box = ax.dataLim
    if np.isfinite([box.x0, box.x1, box.y0, box.y1]).all():
        # What set_xlim and set_ylim do, without their unit and callback machinery (a tenth
        # of an explorer's redraw, as every drawing function frames the view again).
        ax.set_autoscale_on(False)
        ax.viewLim.set_points(
            np.array([[box.x0 - margin, box.y1 + margin], [box.x1 + margin, box.y0 - margin]])
        )
        ax.stale = True
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


@functools.lru_cache(maxsize=1024)
def glyph_outline(text: str) -> Path:
    """Outline of ``text`` at font size 1, its baseline at ``y = 0``; cached.

    Examples
    --------
    >>> outline = glyph_outline("lp")
    >>> bool(outline.vertices[:, 1].max() > 0 > outline.vertices[:, 1].min())
    True
    """
    return TextPath((0, 0), text, size=1, prop=FONT)


@functools.lru_cache(maxsize=1)
def _line_box() -> tuple[float, float]:
    """Ascent and descent of a line at size 1, from "lp" (as matplotlib lays out a line)."""
    vertices = glyph_outline("lp").vertices[:, 1]
    return float(vertices.max()), float(-vertices.min())


class PathText(Text):
    """A one-line ``Text`` rendered as its cached glyph outline: 30 times faster to draw.

    Agg rasterises a ``Text``'s glyphs on every draw (about 3 ms for a short caption at
    twice the pixel density, the largest part of an explorer's redraw); this ``Text``
    fills its outline (:func:`glyph_outline`) instead, aligned by ``ha`` and ``va`` on the
    same line box. Everything else (``get_text``, ``get_window_extent``, ``ax.texts``) is
    a ``Text``'s. Rotated, multi-line, boxed or mathtext texts draw as a plain ``Text``.
    """

    def _plain(self) -> bool:
        text = self.get_text()
        return (
            self.get_rotation() != 0
            or "\n" in text
            or "$" in text
            or self.get_bbox_patch() is not None
            or self.get_path_effects() != []
        )

    def draw(self, renderer) -> None:
        """Fill the outline, aligned as ``ha`` and ``va`` ask (or draw as a ``Text``)."""
        if not self.get_visible() or not self.get_text() or self._plain():
            super().draw(renderer)
            return
        outline = glyph_outline(self.get_text())
        scale = self.get_fontsize() / 72 * self.figure.dpi
        x, y = self.get_transform().transform(self.get_unitless_position())
        left, right = (outline.vertices[:, 0].min(), outline.vertices[:, 0].max())
        ascent, descent = _line_box()
        shift_x = {"left": 0.0, "center": -(left + right) / 2, "right": -right}
        shift_y = {"baseline": 0.0, "center_baseline": 0.0, "bottom": descent, "top": -ascent}
        dx = shift_x[self.get_horizontalalignment()]
        dy = shift_y.get(self.get_verticalalignment(), (descent - ascent) / 2)  # center
        gc = renderer.new_gc()
        self._set_gc_clip(gc)
        gc.set_linewidth(0)
        gc.set_antialiased(True)
        color = to_rgba(self.get_color(), self.get_alpha())
        transform = Affine2D().translate(dx, dy).scale(scale).translate(x, y)
        renderer.draw_path(gc, outline, transform, rgbFace=color)
        gc.restore()
        self.stale = False


def write_text(ax: Axes, x: float, y: float, text: str, **kwargs) -> Text:
    """``ax.text(x, y, text, **kwargs)``, drawn fast as a :class:`PathText`.

    Parameters
    ----------
    ax : Axes
        Where to write; the text joins ``ax.texts``.
    x, y : float
        Position, in data coordinates unless ``transform`` is given.
    text : str
        One line.
    **kwargs
        ``Text`` properties (``ha``, ``va``, ``fontsize``, ``color``, ``transform``).

    Returns
    -------
    Text
        The :class:`PathText`.

    Examples
    --------
    >>> fig, (ax,) = new_figure()
    >>> caption = write_text(ax, 0, 0, "input 3×3", ha="center")
    >>> caption in ax.texts, caption.get_text(), caption.get_fontsize()
    (True, 'input 3×3', 9.0)
    """
    artist = PathText(x, y, text, **{"clip_on": False, "fontsize": LABEL_SIZE, **kwargs})
    return ax._add_text(artist)  # what ax.text does with the Text it makes


def set_title(ax: Axes, title: str, fontsize: float = LABEL_SIZE) -> Text:
    """Write a title above the axes, as ``ax.set_title`` does, but cheaper to render.

    Parameters
    ----------
    ax : Axes
        Where to write.
    title : str
        The text.
    fontsize : float, default=LABEL_SIZE
        Points.

    Returns
    -------
    Text
        The title, in axes coordinates.

    Notes
    -----
    ``set_title`` measures the tick labels on every draw to place the title, which
    costs a third of a redraw in the explorers; a text in axes coordinates does not.
    """
    return write_text(
        ax, 0.5, 1.01, title, transform=ax.transAxes, ha="center", va="bottom", fontsize=fontsize
    )


def new_figure(ncols: int = 1, *, figsize=(6.0, 3.0), width_ratios=None) -> tuple[Figure, list]:
    """Make a pyplot-free ``Figure`` with one row of axes.

    Parameters
    ----------
    ncols : int, default=1
        Number of axes, side by side.
    figsize : (float, float), default=(6.0, 3.0)
        Inches.
    width_ratios : sequence of float, optional
        Relative widths of the axes.

    Returns
    -------
    fig : Figure
        Not registered with pyplot: nothing global changes, and it is freed with its
        last reference.
    axes : list of Axes
        ``ncols`` of them, left to right.

    Notes
    -----
    Introduced in notebook 01, for the explorers.

    Examples
    --------
    >>> fig, axes = new_figure(2, figsize=(4, 2))
    >>> len(axes), fig.get_size_inches().tolist()
    (2, [4.0, 2.0])
    """
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=False, gridspec_kw={"width_ratios": width_ratios})
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9, wspace=0.08)
    return fig, list(axes[0])


def render_png(fig: Figure, dpi: float = 72) -> bytes:
    """Render a figure to PNG bytes with matplotlib's Agg canvas.

    Parameters
    ----------
    fig : Figure
        Any figure, made by :func:`new_figure` or by pyplot.
    dpi : float, default=72
        Pixels per inch; a 6 x 3 inch figure at 72 dpi is 432 x 216 pixels.

    Returns
    -------
    bytes
        The PNG file, for ``ipywidgets.Image(value=...)``.

    Notes
    -----
    Introduced in notebook 01. The PNG is lightly compressed: it goes to the browser
    once, but it is encoded on every redraw.
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
