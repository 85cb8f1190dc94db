"""How each kernel copy of a transposed convolution is told apart: colour, letter, line style.

Each input element scatters a scaled copy of the kernel; every picture of it gives the
element and its copy the same colour (:func:`copy_color`), and, for a reader who does not
tell the colours apart, the same letter (:func:`copy_letter`, written by
:func:`draw_copy_letters`) and line style (:func:`copy_linestyle`). Used by
:mod:`helpers.drawing.transposed`, the design explorer and the GIFs of
:mod:`helpers.animation`.

Introduced in notebook 04.
"""

from __future__ import annotations

from matplotlib.artist import Artist
from matplotlib.axes import Axes

from .figure import LABEL_SIZE, Origin
from .labels import draw_labels

__all__ = [
    "COPY_COLORS",
    "COPY_LINESTYLES",
    "LETTER_CORNER",
    "copy_color",
    "copy_letter",
    "copy_linestyle",
    "draw_copy_letters",
]

#: One colour per input element: its kernel copy has the same colour in every picture.
#: Okabe & Ito's palette, told apart under protanopia, deuteranopia and tritanopia.
COPY_COLORS = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
)


def copy_color(m: int, n: int, width: int) -> str:
    """Return the colour of input element ``(m, n)`` of a ``width``-wide input and of its copy.

    Parameters
    ----------
    m, n : int
        Row and column of the input element.
    width : int
        Number of input columns.

    Returns
    -------
    str
        An entry of :data:`COPY_COLORS`, cycling in raster order.

    Notes
    -----
    Introduced in notebook 04.

    Examples
    --------
    >>> copy_color(0, 0, 2), copy_color(1, 0, 2)
    ('#E69F00', '#009E73')
    """
    return COPY_COLORS[(m * width + n) % len(COPY_COLORS)]


#: One line style per input element, cycled: the frames of its copy (with its colour).
COPY_LINESTYLES = ("solid", "dashed", "dotted", "dashdot")

#: Where a copy's letter sits in a cell that also shows a value: its top-left corner.
LETTER_CORNER = (0.2, 0.24)


def copy_letter(m: int, n: int, width: int) -> str:
    """Return the letter of input element ``(m, n)`` and of its copy: a, b, ..., z, aa, ab, ...

    Parameters
    ----------
    m, n : int
        Row and column of the input element.
    width : int
        Number of input columns.

    Returns
    -------
    str
        The element's place in raster order, as letters (never two elements the same).

    Notes
    -----
    Introduced in notebook 04: the second cue beside :func:`copy_color`.

    Examples
    --------
    >>> copy_letter(0, 0, 2), copy_letter(1, 1, 2), copy_letter(0, 26, 30)
    ('a', 'd', 'aa')
    """
    index, letters = m * width + n + 1, ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def copy_linestyle(m: int, n: int, width: int) -> str:
    """Return the line style of the frames of input element ``(m, n)``'s copy.

    Parameters
    ----------
    m, n : int
        Row and column of the input element.
    width : int
        Number of input columns.

    Returns
    -------
    str
        An entry of :data:`COPY_LINESTYLES`, cycling in raster order: neighbouring copies,
        which overlap, differ in line as well as in colour.

    Examples
    --------
    >>> copy_linestyle(0, 0, 2), copy_linestyle(0, 1, 2)
    ('solid', 'dashed')
    """
    return COPY_LINESTYLES[(m * width + n) % len(COPY_LINESTYLES)]


def draw_copy_letters(
    ax: Axes,
    cells,
    width: int,
    *,
    origin: Origin = (0, 0),
    corner: bool = True,
    at=None,
) -> list[Artist]:
    """Write each input element's :func:`copy_letter` in its cell.

    Parameters
    ----------
    ax : Axes
        An ``Axes`` holding the input grid, drawn at ``origin``.
    cells : iterable of (row, col)
        The input elements to letter.
    width : int
        Number of input columns.
    origin : (float, float), default=(0, 0)
        Where the grid starts.
    corner : bool, default=True
        In the cell's top-left corner (the cell shows its value too), or centred.
    at : iterable of (row, col), optional
        The grid cell of each element, when the grid is not the input itself (the
        stretched input of a transposed convolution); default: ``cells``.

    Returns
    -------
    list of Artist
        One :func:`~helpers.drawing.labels.draw_labels` collection (its ``labels`` hold the
        letters); left out when drawn if a letter does not fit its part of the cell.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, (ax,) = new_figure()
    >>> (letters,) = draw_copy_letters(ax, [(0, 0), (1, 1)], 2)
    >>> letters.labels
    ['a', 'd']
    """
    cells = [(int(m), int(n)) for m, n in cells]
    places = cells if at is None else [(int(r), int(c)) for r, c in at]
    dx, dy = LETTER_CORNER if corner else (0.5, 0.5)
    x0, y0 = origin
    return draw_labels(
        ax,
        [copy_letter(m, n, width) for m, n in cells],
        [(x0 + c + dx, y0 + r + dy) for r, c in places],
        fontsize=LABEL_SIZE,
        room=2 * min(dx, dy),
    )
