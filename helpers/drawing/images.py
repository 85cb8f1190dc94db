"""Arrays shown as pictures: one image, a contact sheet of many, digits with their labels.

:func:`tile` arranges equally sized images in one array (it draws nothing);
:func:`draw_image` shows an array with square pixels and no ticks; :func:`draw_tiles`
and :func:`draw_digits` show a sheet of filters, feature maps or MNIST digits.

Introduced in notebook 02 (noise and pooling); sheets in notebook 06.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from .figure import COLORS

__all__ = [
    "draw_digits",
    "draw_image",
    "draw_tiles",
    "tile",
]


def draw_image(
    ax: Axes,
    image,
    *,
    title: str | None = None,
    cmap: str = "gray",
    vmin: float | None = None,
    vmax: float | None = None,
) -> list[Artist]:
    """Show a 2-D array as a picture: no ticks, square pixels.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    image : array_like, shape (H, W)
        The pixels.
    title : str, optional
        Set with ``ax.set_title``.
    cmap : str, default="gray"
        A matplotlib colormap.
    vmin, vmax : float, optional
        Colormap limits; default to the range of ``image``.

    Returns
    -------
    list of Artist
        The ``AxesImage``, then the title when one is given.

    Notes
    -----
    Introduced in notebook 02 (noise and pooling).

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, (ax,) = new_figure()
    >>> (picture,) = draw_image(ax, np.eye(3))
    >>> picture.get_array().shape
    (3, 3)
    """
    picture = ax.imshow(np.asarray(image), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    artists: list[Artist] = [picture]
    if title:
        artists.append(ax.set_title(title, fontsize=9))
    return artists


def tile(images, ncols: int = 8, *, gap: int = 1, fill: float = np.nan) -> np.ndarray:
    """Arrange equally sized images in a grid, one array (a contact sheet).

    Parameters
    ----------
    images : array_like, shape (N, H, W)
        The images.
    ncols : int, default=8
        Images per row; the last row may be incomplete.
    gap : int, default=1
        Pixels between neighbours.
    fill : float, default=nan
        Value of the gaps and empty places (NaN draws as the background).

    Returns
    -------
    ndarray, shape (rows*(H + gap) - gap, ncols*(W + gap) - gap)
        With ``rows = ceil(N / ncols)``; image ``n`` starts at row
        ``(n // ncols)*(H + gap)`` and column ``(n % ncols)*(W + gap)``.

    Notes
    -----
    Introduced in notebook 06.

    Examples
    --------
    >>> tile(np.ones((3, 2, 2)), ncols=2).shape
    (5, 5)
    """
    images = np.asarray(images, dtype=float)
    n, height, width = images.shape
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    sheet = np.full((nrows * (height + gap) - gap, ncols * (width + gap) - gap), fill)
    for index, image in enumerate(images):  # a loop over images, not pixels
        row, col = divmod(index, ncols)
        top, left = row * (height + gap), col * (width + gap)
        sheet[top : top + height, left : left + width] = image
    return sheet


def draw_tiles(
    ax: Axes,
    images,
    *,
    ncols: int = 8,
    cmap: str = "gray",
    symmetric: bool = False,
    normalize: bool = True,
    title: str | None = None,
) -> list[Artist]:
    """Show many small images (filters, feature maps) as one sheet.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    images : array_like, shape (N, H, W)
        The images, all of one size.
    ncols : int, default=8
        Images per row.
    cmap : str, default="gray"
        A matplotlib colormap.
    symmetric : bool, default=False
        Centre the colours on zero (for weights, which are positive or negative); use
        a diverging ``cmap`` such as ``"RdBu_r"``.
    normalize : bool, default=True
        Scale each image on its own (to ``[0, 1]``, or to ``[-1, 1]`` when symmetric),
        so that a weak map is as readable as a strong one.
    title : str, optional
        Set with ``ax.set_title``.

    Returns
    -------
    list of Artist
        As :func:`draw_image` returns them, for the sheet :func:`tile` makes.

    Notes
    -----
    Introduced in notebook 06 (learned ``conv1`` filters and feature maps).
    """
    images = np.asarray(images, dtype=float)
    if normalize:
        axes = (1, 2)
        if symmetric:
            scale = np.abs(images).max(axis=axes, keepdims=True)
            images = images / np.where(scale > 0, scale, 1)
        else:
            low = images.min(axis=axes, keepdims=True)
            span = images.max(axis=axes, keepdims=True) - low
            images = (images - low) / np.where(span > 0, span, 1)
    limit = np.nanmax(np.abs(images)) if symmetric else None
    vmin, vmax = (-limit, limit) if symmetric else (None, None)
    return draw_image(ax, tile(images, ncols), title=title, cmap=cmap, vmin=vmin, vmax=vmax)


def draw_digits(
    ax: Axes,
    images,
    labels=None,
    *,
    predictions=None,
    ncols: int = 8,
    title: str | None = None,
) -> list[Artist]:
    """Draw a sheet of digits, each with its label (and the model's answer, if given).

    Parameters
    ----------
    ax : Axes
        Where to draw.
    images : array_like, shape (N, 28, 28) or (N, 1, 28, 28)
        The digits, ink as values in ``[0, 1]``.
    labels : array_like of int, shape (N,), optional
        Written in the top-left corner of each digit.
    predictions : array_like of int, shape (N,), optional
        Written as ``label→prediction``, in the kernel colour when they differ.
    ncols : int, default=8
        Digits per row.
    title : str, optional
        Set with ``ax.set_title``.

    Returns
    -------
    list of Artist
        The sheet (as :func:`draw_image` returns it), then one ``Text`` per label.

    Notes
    -----
    Introduced in notebook 06 (a look at MNIST; the gallery of mistakes).
    """
    images = np.asarray(images, dtype=float)
    images = images.reshape(len(images), *images.shape[-2:])
    height, width = images.shape[1:]
    artists = draw_image(ax, tile(images, ncols), title=title, cmap="gray_r", vmin=0, vmax=1)
    if labels is None:
        return artists
    ncols = max(1, min(ncols, len(images)))
    for index, label in enumerate(np.asarray(labels)):
        row, col = divmod(index, ncols)
        text, color = f"{label}", COLORS["text"]
        if predictions is not None:
            guess = np.asarray(predictions)[index]
            text = f"{label}→{guess}"
            color = COLORS["kernel"] if guess != label else COLORS["text"]
        caption = ax.text(
            col * (width + 1) + 0.5,
            row * (height + 1) + 0.5,
            text,
            color=color,
            fontsize=8,
            va="top",
            ha="left",
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 0.5},
        )
        artists.append(caption)
    return artists
