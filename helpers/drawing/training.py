"""Training results: accuracy per epoch, accuracy against a shift, the confusion matrix.

The numbers come from :mod:`helpers.training` (or :mod:`helpers.mnist`); these
functions only plot them, on the ``Axes`` they are given.

Introduced in notebook 06.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from .figure import COLORS

__all__ = [
    "draw_accuracy_curves",
    "draw_confusion_matrix",
    "draw_shift_curves",
]


def _plot_accuracies(
    ax: Axes, xs_of, curves, *, xlabel: str, title: str | None, target: float | None = None
) -> list[Artist]:
    """One line per model in %, the target line, axis labels, grid, legend and title."""
    artists: list[Artist] = [
        line
        for name, accuracies in curves.items()
        for line in ax.plot(xs_of(accuracies), 100 * np.asarray(accuracies), marker="o", label=name)
    ]
    if target is not None:
        line = ax.axhline(100 * target, color=COLORS["faint"], linestyle="--", linewidth=1)
        artists.append(line)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("full-test accuracy (%)")
    ax.grid(alpha=0.3)
    artists.append(ax.legend())
    if title:
        artists.append(ax.set_title(title, fontsize=10))
    return artists


def draw_accuracy_curves(
    ax: Axes, curves, *, target: float | None = None, title: str | None = None
) -> list[Artist]:
    """Test accuracy (in %) after each epoch, one line per model.

    Parameters
    ----------
    ax : Axes
        Where to plot.
    curves : mapping from str to sequence of float
        Model name to its accuracies in ``[0, 1]``, one per epoch (epoch 1 first).
    target : float, optional
        An accuracy in ``[0, 1]`` to mark with a dashed line (the lesson's 99 %).
    title : str, optional
        Set with ``ax.set_title``.

    Returns
    -------
    list of Artist
        One ``Line2D`` per model, the target line (when given), the legend, then
        the title.

    Notes
    -----
    Introduced in notebook 06.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, (ax,) = new_figure()
    >>> mlp, target, legend = draw_accuracy_curves(ax, {"MLP": [0.9, 0.95]}, target=0.99)
    >>> mlp.get_xdata().tolist(), mlp.get_ydata().tolist(), target.get_ydata()
    ([1, 2], [90.0, 95.0], [99.0, 99.0])
    """
    ax.xaxis.get_major_locator().set_params(integer=True)
    return _plot_accuracies(
        ax, lambda a: np.arange(1, len(a) + 1), curves, xlabel="epoch", title=title, target=target
    )


def draw_shift_curves(ax: Axes, shifts, curves, *, title: str | None = None) -> list[Artist]:
    """Accuracy (in %) against the shift of the test images, one line per model.

    Parameters
    ----------
    ax : Axes
        Where to plot.
    shifts : sequence of int
        Pixels moved.
    curves : mapping from str to sequence of float
        Model name to its accuracies in ``[0, 1]``, one per shift.
    title : str, optional
        Set with ``ax.set_title``.

    Returns
    -------
    list of Artist
        One ``Line2D`` per model, the legend, then the title.

    Notes
    -----
    Introduced in notebook 06 (the translation test).
    """
    ax.set_xticks(list(shifts))
    return _plot_accuracies(ax, lambda _: shifts, curves, xlabel="shift (pixels)", title=title)


def draw_confusion_matrix(ax: Axes, matrix, *, title: str | None = None) -> list[Artist]:
    """Draw a confusion matrix (10 x 10 for MNIST): errors shaded, every count written.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    matrix : array_like of int, shape (C, C)
        Row = true class, column = prediction.
    title : str, optional
        Set with ``ax.set_title``.

    Returns
    -------
    list of Artist
        The ``AxesImage`` of the errors, one ``Text`` per count, then the title.

    Notes
    -----
    Introduced in notebook 06. The diagonal (correct answers) is left unshaded so that
    the few errors set the colour scale; its counts are written in grey.
    """
    matrix = np.asarray(matrix)
    errors = matrix.astype(float).copy()
    np.fill_diagonal(errors, 0)
    artists: list[Artist] = [
        ax.imshow(errors, cmap="Oranges", vmin=0, vmax=1.5 * max(errors.max(), 1))
    ]
    for (row, col), count in np.ndenumerate(matrix):
        color = COLORS["faint"] if row == col else COLORS["text"]
        artists.append(
            ax.text(col, row, str(count), ha="center", va="center", fontsize=6, color=color)
        )
    ticks = np.arange(len(matrix))
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.tick_params(labelsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    if title:
        artists.append(ax.set_title(title, fontsize=10))
    return artists
