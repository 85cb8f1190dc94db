"""The explorers' pictures: one figure drawn on again, encoded as compact PNG (or SVG) bytes.

Creating a matplotlib ``Axes`` is the slowest part of a redraw, so every explorer keeps its
figure and Axes between redraws (:func:`strip_figure`, :func:`reuse_axes`); the pictures
are the same bytes as on a new figure (tested).

A slider move waits for the redraw, the encoding, the transfer and the decoding, so the
encoder matters for how fast an explorer feels (``bench/latency.py`` measures it end to
end, PNG against SVG). The PNG is rendered at :data:`DENSITY` times the pixel density and
shown at its CSS size, so the digits in the grid cells are sharp on a HiDPI screen; the
figures are flat colours and text, so a :data:`COLORS`-colour palette (Pillow's fast
octree) keeps it small. Only matplotlib's public API is used (``canvas.draw``,
``buffer_rgba``, ``savefig``).
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpec
from PIL import Image

__all__ = ["css_width", "render_picture", "render_svg", "reuse_axes", "strip_figure"]

#: Image pixels per CSS pixel: sharp at device pixel ratio 2.
DENSITY = 2.0
#: Palette size of the PNG.
COLORS = 64
#: zlib level of the PNG: as fast as level 1 on a palette image, and smaller.
COMPRESS_LEVEL = 3


def css_width(figsize: tuple[float, float], dpi: float) -> str:
    """CSS width of a picture: the figure's width in inches times ``dpi`` pixels.

    Examples
    --------
    >>> css_width((6.0, 3.0), 72)
    '432px'
    """
    return f"{round(figsize[0] * dpi)}px"


def render_picture(fig: Figure, dpi: float = 72) -> bytes:
    r"""Render ``fig`` with the Agg canvas and encode it as a palette PNG.

    Parameters
    ----------
    fig : Figure
        A pyplot-free figure (an Agg canvas is attached if it has none).
    dpi : float, default=72
        CSS pixels per inch; the image has ``dpi * DENSITY`` pixels per inch.

    Returns
    -------
    bytes
        The PNG file, for ``ipywidgets.Image(value=...)``. The same figure gives the same
        bytes (no timestamp or software tag is written).

    Examples
    --------
    >>> png = render_picture(Figure(figsize=(2, 1)))
    >>> png[:8] == b"\x89PNG\r\n\x1a\n", Image.open(io.BytesIO(png)).size
    (True, (288, 144))
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    fig.set_dpi(dpi * DENSITY)
    canvas.draw()
    rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw")
    image = rgba.convert("RGB").quantize(COLORS, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=COMPRESS_LEVEL)
    return buffer.getvalue()


def render_svg(fig: Figure) -> bytes:
    """Render ``fig`` as an SVG, its text kept as text (``svg.fonttype = "none"``).

    Parameters
    ----------
    fig : Figure
        A pyplot-free figure.

    Returns
    -------
    bytes
        The SVG file without its date (so the same figure gives the same bytes).

    Examples
    --------
    >>> render_svg(Figure(figsize=(2, 1)))[:5]
    b'<?xml'
    """
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "explorer"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def strip_figure(fig: Figure) -> Figure:
    """Remove every artist drawn on ``fig``'s Axes, keeping the Axes (cheap to draw on again).

    Parameters
    ----------
    fig : Figure
        A figure an explorer drew on.

    Returns
    -------
    Figure
        ``fig``, its Axes empty, their titles blank and their data limits reset
        (``Axes.relim``), as :func:`reuse_axes` expects them.
    """
    for text in list(fig.texts):
        text.remove()
    for ax in fig.axes:
        for group in (ax.artists, ax.collections, ax.images, ax.lines, ax.patches, ax.texts):
            for artist in list(group):
                artist.remove()
        for loc in ("left", "center", "right"):
            if ax.get_title(loc):
                ax.set_title("", loc=loc)
        ax.relim()
    return fig


def reuse_axes(fig: Figure, ncols: int = 1, *, width_ratios=None, rect=None) -> list:
    """``ncols`` Axes side by side on ``fig``: those it has, or new ones.

    Creating an ``Axes`` is the slowest part of an explorer's redraw; an explorer draws on
    one figure again and again, its artists removed in between, and asks for its Axes here
    instead of ``fig.subplots``.

    Parameters
    ----------
    fig : Figure
        The figure to draw on.
    ncols : int, default=1
        Axes in one row.
    width_ratios : sequence of float, optional
        Relative widths, as for ``fig.subplots(gridspec_kw={"width_ratios": ...})``.
    rect : (float, float, float, float), optional
        With ``ncols=1``: the Axes' position in figure coordinates (``fig.add_axes``).

    Returns
    -------
    list of Axes
        The same as a new figure would have, positioned the same.
    """
    axes = fig.axes
    if rect is not None:
        if len(axes) == 1 and axes[0].get_subplotspec() is None:
            axes[0].set_position(rect)
            return axes
        fig.clear()
        return [fig.add_axes(rect)]
    if len(axes) == ncols and all(ax.get_subplotspec() is not None for ax in axes):
        grid = GridSpec(1, ncols, figure=fig, width_ratios=width_ratios)
        for ax, spec in zip(axes, grid, strict=True):
            ax.set_subplotspec(spec)
        return axes
    fig.clear()
    return list(np.atleast_1d(fig.subplots(1, ncols, gridspec_kw={"width_ratios": width_ratios})))
