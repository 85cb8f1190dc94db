"""Numbers and short labels in cells, drawn as one collection of cached glyph outlines.

Drawing 50 ``Text`` artists costs about 40 ms, most of an explorer's redraw; one
``PathCollection`` of cached glyph outlines costs about 2 ms. :func:`draw_labels` writes
any labels this way; :func:`write_values` writes a grid's values and padding labels.

Introduced in notebook 01.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

from .figure import COLORS, format_value

__all__ = ["draw_labels"]


def write_values(ax, values, padding, origin, pad_label, size) -> list[Artist]:
    """Write a grid's values, and ``pad_label`` in its padding cells.

    Parameters
    ----------
    ax : Axes
        An ``Axes`` holding the grid, drawn at ``origin``.
    values : ndarray, shape (H, W)
        The values of the inner cells.
    padding : (int, int, int, int)
        ``(top, bottom, left, right)``, already checked.
    origin : (float, float)
        Where the top-left padding cell starts.
    pad_label : str
        Text of the padding cells; ``""`` writes none.
    size : float
        Font size in points.

    Returns
    -------
    list of Artist
        The values' ``PathCollection`` and the padding labels' (in the faint colour),
        each left out when empty.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, (ax,) = new_figure()
    >>> inner, ring = write_values(ax, np.eye(2), (1, 0, 0, 0), (0, 0), "0", 9)
    >>> inner.labels, ring.labels
    (['1', '0', '0', '1'], ['0', '0'])
    """
    top, bottom, left, right = padding
    height, width = values.shape
    x0, y0 = origin
    labels, centers, pad_centers = [], [], []
    for r in range(-top, height + bottom):
        for c in range(-left, width + right):
            center = (x0 + left + c + 0.5, y0 + top + r + 0.5)
            if 0 <= r < height and 0 <= c < width:
                labels.append(format_value(values[r, c]))
                centers.append(center)
            elif pad_label:
                pad_centers.append(center)
    pad_labels = [pad_label] * len(pad_centers)
    return draw_labels(ax, labels, centers, fontsize=size) + draw_labels(
        ax, pad_labels, pad_centers, fontsize=size, color=COLORS["faint"]
    )


@functools.lru_cache(maxsize=4096)
def _label_path(text: str) -> Path:
    """Outline of ``text`` at size 1, centred on (0, 0); cached, as cells repeat their numbers."""
    path = TextPath((0, 0), text, size=1, prop=FontProperties(family="DejaVu Sans"))
    vertices = path.vertices.copy()
    if len(vertices):
        vertices -= (vertices.min(axis=0) + vertices.max(axis=0)) / 2
    return Path(vertices, path.codes)


def draw_labels(
    ax: Axes,
    labels: Sequence[str],
    centers: Sequence[tuple[float, float]],
    *,
    fontsize: float = 9,
    color: str = COLORS["text"],
) -> list[Artist]:
    """Write short labels centred on points, all as one collection of glyph outlines.

    Parameters
    ----------
    ax : Axes
        Where to write.
    labels : sequence of str
        The texts.
    centers : sequence of (x, y)
        Data coordinates of each label's centre.
    fontsize : float, default=9
        Points; the labels keep their size when the figure is rendered at another dpi.
    color : color, default=COLORS["text"]
        Fill of the glyphs.

    Returns
    -------
    list of Artist
        One ``PathCollection`` whose ``labels`` attribute holds the strings, in
        order; an empty list when ``labels`` is empty.

    Notes
    -----
    Introduced in notebook 01. Drawing 50 ``Text`` artists costs about 40 ms, most of an
    explorer's redraw; one ``PathCollection`` of cached glyph outlines costs about 2 ms.
    """
    if not labels:
        return []
    collection = PathCollection(
        [_label_path(label) for label in labels],
        offsets=np.asarray(centers, dtype=float),
        offset_transform=ax.transData,
        transform=Affine2D().scale(fontsize / 72) + ax.figure.dpi_scale_trans,
        facecolor=color,
        edgecolor="none",
    )
    collection.labels = list(labels)
    return [ax.add_collection(collection, autolim=False)]
