"""Pictures shown in a lesson, each with its alt text.

A screen reader cannot see a figure; it reads the image's alt text. Jupyter keeps that text in
the output's metadata, ``{"image/png": {"alt": "..."}}``, where nbconvert's HTML exporter puts it
on the ``<img>``. ``show`` displays a matplotlib figure that way and closes it, so a lesson cell
ends with ``show(fig, alt=...)`` instead of ``plt.show()``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from IPython.display import display
from matplotlib.figure import Figure

__all__ = ["show"]


def show(fig: Figure, alt: str) -> None:
    """Display ``fig`` in the notebook with ``alt`` as its alt text, then close it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to show.
    alt : str
        A short description of what the picture shows: the sizes, and what is highlighted.

    Raises
    ------
    TypeError
        If ``fig`` is not a matplotlib figure or ``alt`` is not a string.
    ValueError
        If ``alt`` is empty or only whitespace.

    Notes
    -----
    Used by every lesson. The output's ``text/plain`` stays matplotlib's
    ``<Figure size ... with N Axes>``, as with ``plt.show()``.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(alt, str):
        raise TypeError(f"alt must be a str, got {type(alt).__name__}")
    if not alt.strip():
        raise ValueError(f"alt={alt!r} must describe the picture, not be empty")
    display(fig, metadata={"image/png": {"alt": alt.strip()}})
    plt.close(fig)
