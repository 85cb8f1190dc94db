"""Numbers and short labels in cells, drawn as one collection of cached glyph outlines.

Drawing 50 ``Text`` artists costs about 40 ms, most of an explorer's redraw; one
``PathCollection`` of cached glyph outlines costs about 2 ms. :func:`draw_labels` writes
any labels this way; :func:`write_values` writes a grid's values and padding labels.

Labels are :data:`~helpers.drawing.figure.LABEL_SIZE` points (9 CSS pixels in an explorer)
and never shrink: a :class:`CellLabels` collection given the room of one cell
checks, when it is drawn, that its widest label fits the cell as rendered, and draws nothing
otherwise (``shown`` says which), so a large grid has no numbers rather than tiny ones.

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

from .figure import COLORS, LABEL_SIZE, format_value

__all__ = ["CellLabels", "draw_labels"]

#: Part of a cell's width that its widest label may fill.
FILL = 0.9


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
    # the padding's labels and the values are written together or not at all
    return draw_labels(
        ax, labels, centers, fontsize=size, room=1.0, fit_also=pad_labels[:1]
    ) + draw_labels(
        ax,
        pad_labels,
        pad_centers,
        fontsize=size,
        color=COLORS["faint"],
        room=1.0,
        fit_also=labels,
    )


@functools.lru_cache(maxsize=4096)
def _label_path(text: str) -> Path:
    """Outline of ``text`` at size 1, centred on (0, 0); cached, as cells repeat their numbers."""
    path = TextPath((0, 0), text, size=1, prop=FontProperties(family="DejaVu Sans"))
    vertices = path.vertices.copy()
    if len(vertices):
        vertices -= (vertices.min(axis=0) + vertices.max(axis=0)) / 2
    return Path(vertices, path.codes)


@functools.lru_cache(maxsize=4096)
def label_width(text: str) -> float:
    """Width of ``text``'s glyph outline at font size 1 (in ems), as :func:`draw_labels` draws it.

    Examples
    --------
    >>> round(label_width("0"), 2), round(label_width("123"), 2)
    (0.57, 1.83)
    """
    vertices = _label_path(text).vertices
    return float(np.ptp(vertices[:, 0])) if len(vertices) else 0.0


class CellLabels(PathCollection):
    """Glyph outlines of labels, one per cell, drawn only when the widest fits its cell.

    Parameters
    ----------
    labels : sequence of str
        The texts, kept as the ``labels`` attribute.
    fontsize : float
        Points, kept as the ``fontsize`` attribute.
    room : float or None
        Width of one label's cell in data units of the Axes; None: always drawn.
    fit_also : sequence of str, default=()
        Labels drawn elsewhere in cells of the same size that must fit too: a grid's
        values and its padding's labels are drawn together or not at all.
    **kwargs
        Passed to ``PathCollection`` (paths, offsets, transforms, colours).

    Attributes
    ----------
    shown : bool or None
        Whether the last draw wrote the labels (None before the first draw).
    """

    def __init__(
        self,
        labels: Sequence[str],
        fontsize: float,
        room: float | None,
        fit_also: Sequence[str] = (),
        **kwargs,
    ):
        super().__init__([_label_path(label) for label in labels], **kwargs)
        self.labels, self.fontsize, self.room = list(labels), fontsize, room
        self.fit_also = list(fit_also)
        self.shown: bool | None = None

    def fits(self) -> bool:
        """Whether the widest label fits in ``FILL`` of its cell at the current layout."""
        if self.room is None or self.axes is None:
            return True
        (x0, y0), (x1, y1) = self.axes.transData.transform([(0, 0), (self.room, self.room)])
        cell = min(abs(x1 - x0), abs(y1 - y0))  # pixels
        widest = (
            max(map(label_width, self.labels + self.fit_also))
            * self.fontsize
            / 72
            * self.figure.dpi
        )
        return bool(widest <= FILL * cell)

    def draw(self, renderer) -> None:
        """Draw the labels if they fit their cells (the Axes' aspect is applied by now)."""
        self.shown = self.fits()
        if self.shown:
            super().draw(renderer)


def draw_labels(
    ax: Axes,
    labels: Sequence[str],
    centers: Sequence[tuple[float, float]],
    *,
    fontsize: float = LABEL_SIZE,
    color: str = COLORS["text"],
    room: float | None = None,
    fit_also: Sequence[str] = (),
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
    fontsize : float, default=LABEL_SIZE
        Points; the labels keep their size when the figure is rendered at another dpi.
    color : color, default=COLORS["text"]
        Fill of the glyphs.
    room : float, optional
        Width (and height) of each label's cell in data units: when the figure is drawn,
        the labels are left out unless the widest fits in 90 % of it. Default: always drawn.
    fit_also : sequence of str, default=()
        With ``room``: labels of other cells that must fit too (see :class:`CellLabels`).

    Returns
    -------
    list of Artist
        One :class:`CellLabels` collection whose ``labels`` attribute holds the strings,
        in order; an empty list when ``labels`` is empty.

    Notes
    -----
    Introduced in notebook 01. Drawing 50 ``Text`` artists costs about 40 ms, most of an
    explorer's redraw; one ``PathCollection`` of cached glyph outlines costs about 2 ms.
    """
    if not labels:
        return []
    collection = CellLabels(
        labels,
        fontsize,
        room,
        fit_also,
        offsets=np.asarray(centers, dtype=float),
        offset_transform=ax.transData,
        transform=Affine2D().scale(fontsize / 72) + ax.figure.dpi_scale_trans,
        facecolor=color,
        edgecolor="none",
    )
    return [ax.add_collection(collection, autolim=False)]
