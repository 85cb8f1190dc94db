"""The explorers' pictures, made fast: figures drawn on again, encoded as compact PNG bytes.

Creating a matplotlib ``Axes`` is the slowest part of a redraw, so an explorer can keep its
figure and Axes between redraws (:func:`strip_figure`, :func:`reuse_axes`); the pictures
are the same bytes as on a new figure (tested).

A slider move waits for the redraw, the PNG encoding, the transfer and the decoding, so the
encoder matters for how fast an explorer feels (``bench/latency.py`` measures it end to end).
By default the picture is rendered at twice the pixel density and shown at half its pixel
size (``.image.layout.width``), so the digits in the grid cells are sharp on a HiDPI screen
(device pixel ratio 2, issue 13.3); the figures are flat colours and text, so a 64-colour
palette PNG (Pillow's fast octree) keeps it as small as the 1x RGBA PNG was, and looks
the same. Measured on 2 busy cores (CPU time, conv explorer): 72 dpi RGBA by matplotlib's
``savefig`` 31 ms and 14 kB; this encoder at 2x, palette, 19 ms (Agg 12 ms, quantising
5 ms, zlib 1.5 ms) and 14 kB. zlib level 1 instead of 3 saves nothing measurable on a
palette image and makes it 25 % larger; an RGB PNG at level 1 takes 6 times longer to write.

Text is the other slow part: Agg rasterises a ``Text``'s glyphs on every draw (3 ms for a
caption at 2x), so every caption and number is drawn as a cached glyph outline
(:class:`helpers.drawing.PathText`, :class:`helpers.drawing.CellLabels`, 0.1 ms).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpec
from matplotlib.transforms import Bbox
from PIL import Image

__all__ = ["PictureFormat", "render_picture", "reuse_axes", "strip_figure"]


@dataclass(frozen=True)
class PictureFormat:
    """How an explorer's picture is encoded.

    Parameters
    ----------
    density : float, default=2.0
        Image pixels per CSS pixel: 2 renders at twice the resolution and the page shows
        the picture at half its pixel size (sharp at device pixel ratio 2).
    colors : int or None, default=64
        Quantise to a palette of at most this many colours (Pillow's fast octree);
        None keeps full RGBA.
    compress_level : int, default=3
        zlib level of the PNG: as fast as level 1 on a palette image, and smaller.
    """

    density: float = 2.0
    colors: int | None = 64
    compress_level: int = 3

    def css_width(self, figsize: tuple[float, float], dpi: float) -> str:
        """CSS width of the picture: the figure's width in inches times ``dpi`` pixels.

        Parameters
        ----------
        figsize : (float, float)
            Figure size in inches.
        dpi : float
            CSS pixels per inch.

        Returns
        -------
        str
            For example ``"432px"`` for a 6-inch figure at 72 dpi.
        """
        return f"{round(figsize[0] * dpi)}px"


def render_picture(fig: Figure, dpi: float = 72, picture: PictureFormat | None = None) -> bytes:
    r"""Render ``fig`` with the Agg canvas and encode it as a PNG.

    Parameters
    ----------
    fig : Figure
        A pyplot-free figure (an Agg canvas is attached if it has none).
    dpi : float, default=72
        CSS pixels per inch; the image has ``dpi * picture.density`` pixels per inch.
    picture : PictureFormat or None, default=None
        Pixel density and palette; None: :class:`PictureFormat` defaults.

    Returns
    -------
    bytes
        The PNG file, for ``ipywidgets.Image(value=...)``. The same figure gives the same
        bytes (no timestamp or software tag is written).

    Examples
    --------
    >>> fig = Figure(figsize=(2, 1))
    >>> png = render_picture(fig)  # 2 inches at 72 CSS pixels per inch, twice the density
    >>> png[:8] == b"\x89PNG\r\n\x1a\n", Image.open(io.BytesIO(png)).size
    (True, (288, 144))
    """
    picture = picture or PictureFormat()
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    fig.set_dpi(dpi * picture.density)
    canvas.draw()
    rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw")
    if picture.colors is None:
        image = rgba
    else:
        image = rgba.convert("RGB").quantize(picture.colors, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=picture.compress_level)
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
        ``fig``, its Axes empty, their titles blank and their data limits reset, as
        :func:`reuse_axes` expects them.
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
        ax.dataLim.set_points(Bbox.null().get_points())
        ax.ignore_existing_data_limits = True
    return fig


def reuse_axes(fig: Figure, ncols: int = 1, *, width_ratios=None, rect=None) -> list:
    """``ncols`` Axes side by side on ``fig``: those it has, or new ones.

    Creating an ``Axes`` is the slowest part of an explorer's redraw; an explorer with
    ``REUSE_AXES = True`` draws on one figure again and again, its artists removed in between,
    and asks for its Axes here instead of ``fig.subplots``.

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
