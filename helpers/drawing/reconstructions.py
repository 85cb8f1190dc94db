"""Pictures of lesson 07: rows of reconstructions, and checkerboard scores as bars.

Introduced in notebook 07. Both functions take arrays and numbers already computed (by
:mod:`helpers.autoencoders` and :mod:`helpers.checkerboard`) and return their artists.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from .figure import COLORS
from .images import tile

__all__ = ["BAR_COLORS", "draw_image_rows", "draw_score_bars"]

#: One colour per decoder, in the order of :data:`helpers.autoencoders.DECODERS`.
BAR_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")


def _as_stack(name: str, images) -> np.ndarray:
    if hasattr(images, "detach"):
        images = images.detach().cpu().numpy()
    array = np.asarray(images, dtype=float)
    if array.ndim == 4 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 3:
        raise ValueError(
            f"{name}.shape={array.shape} is invalid: must be (N, H, W) or (N, 1, H, W)"
        )
    return array


def draw_image_rows(
    ax: Axes, rows: Mapping[str, object], *, title: str | None = None, vmax: float = 1.0
) -> list[Artist]:
    """One labelled row of images per entry, e.g. test digits and each decoder's attempt.

    Parameters
    ----------
    ax : Axes
    rows : mapping of str to array_like, each (N, H, W) or (N, 1, H, W)
        Row label to images; every row the same ``N``, ``H`` and ``W``.
    title : str, optional
    vmax : float, default=1.0
        Grey scale from 0 (white) to ``vmax`` (black), the same for every row.

    Returns
    -------
    list of Artist
        The image, then one text per row label, then the title when given.

    Raises
    ------
    ValueError
        If ``rows`` is empty or the rows differ in shape.

    Notes
    -----
    Introduced in notebook 07.

    Examples
    --------
    >>> from helpers.drawing import new_figure
    >>> fig, (ax,) = new_figure()
    >>> artists = draw_image_rows(ax, {"a": np.zeros((3, 4, 4)), "b": np.ones((3, 4, 4))})
    >>> artists[0].get_array().shape, [a.get_text() for a in artists[1:]]
    ((9, 14), ['a', 'b'])
    """
    stacks = {label: _as_stack(f"rows[{label!r}]", images) for label, images in rows.items()}
    if not stacks:
        raise ValueError("rows is invalid: must hold at least one row")
    shapes = {stack.shape for stack in stacks.values()}
    if len(shapes) != 1:
        raise ValueError(f"rows is invalid: every row must have the same shape, got {shapes}")
    n, h, _ = shapes.pop()
    sheet = tile(np.concatenate(list(stacks.values())), ncols=n, gap=1, fill=0.0)
    picture = ax.imshow(sheet, cmap="gray_r", vmin=0.0, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    artists: list[Artist] = [picture]
    for row, label in enumerate(stacks):
        y = row * (h + 1) + h / 2 - 0.5
        artists.append(ax.text(-1.5, y, label, ha="right", va="center", fontsize=8))
    if title:
        artists.append(ax.set_title(title, fontsize=9))
    return artists


def draw_score_bars(
    ax: Axes,
    scores: Mapping[str, Mapping[str, float]],
    *,
    baseline: float | None = None,
    baseline_label: str = "real digits",
    title: str | None = None,
) -> list[Artist]:
    """Grouped bars: for each condition, one bar per decoder, on a logarithmic axis.

    Parameters
    ----------
    ax : Axes
    scores : mapping of str to mapping of str to float
        Condition (e.g. ``"at init"``) to decoder name to score; every condition names
        the same decoders, in the same order.
    baseline : float, optional
        A dashed horizontal line, e.g. the score of the real test digits.
    baseline_label : str, default="real digits"
    title : str, optional

    Returns
    -------
    list of Artist
        The bar containers (one per decoder), the baseline line if any, the legend.

    Notes
    -----
    Introduced in notebook 07. Scores of 0 are drawn at 1e-4 so the log axis can show them.
    """
    conditions = list(scores)
    if not conditions:
        raise ValueError("scores is invalid: must hold at least one condition")
    decoders = list(scores[conditions[0]])
    width = 0.8 / len(decoders)
    positions = np.arange(len(conditions))
    artists: list[Artist] = []
    for n, name in enumerate(decoders):
        heights = [max(scores[c][name], 1e-4) for c in conditions]
        artists.append(
            ax.bar(
                positions + (n - (len(decoders) - 1) / 2) * width,
                heights,
                width,
                label=name,
                color=BAR_COLORS[n % len(BAR_COLORS)],
                edgecolor=COLORS["grid"],
            )  # fmt: skip
        )
    if baseline is not None:
        line = ax.axhline(baseline, color="#333", linestyle="--", linewidth=1, label=baseline_label)
        artists.append(line)
    ax.set_yscale("log")
    ax.set_xticks(positions, conditions, fontsize=8)
    ax.set_ylabel("checkerboard score", fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    artists.append(ax.legend(fontsize=7, ncols=2))
    if title:
        artists.append(ax.set_title(title, fontsize=9))
    return artists
