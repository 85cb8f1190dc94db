"""Pictures of lesson 07's measurements: a measure against planted amplitudes, and seeds.

Introduced in notebook 07. Both functions take numbers already computed (by
:func:`helpers.checkerboard.periodic_amplitude`) and return their artists. Every group is
named on the axis and every series in the legend, and the series differ in marker shape as
well as colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

__all__ = ["draw_calibration", "draw_seed_spread"]

_COLORS = ("#4c72b0", "#dd8452", "#55a868", "#8172b3", "#c44e52")
_MARKERS = ("o", "s", "^", "D", "v")


def _floor_band(ax: Axes, floor: tuple[float, float] | None, label: str) -> list[Artist]:
    if floor is None:
        return []
    low, high = (float(value) for value in floor)
    if not low <= high:
        raise ValueError(f"floor={floor!r} is invalid: must be (low, high) with low <= high")
    return [ax.axhspan(low, high, color="#bbbbbb", alpha=0.5, hatch="//", label=label)]


def draw_calibration(
    ax: Axes,
    planted: Sequence[float],
    measured: Sequence[float],
    *,
    floor: tuple[float, float] | None = None,
    floor_label: str = "without a planted pattern",
    title: str | None = None,
) -> list[Artist]:
    """The measured amplitude against the planted one, with the diagonal ``measured = planted``.

    Parameters
    ----------
    ax : Axes
    planted, measured : sequence of float
        The same length: the amplitude planted and what the measure found.
    floor : (float, float), optional
        A hatched band: the range the measure gives on the controls without a pattern.
    floor_label : str, default="without a planted pattern"
    title : str, optional

    Returns
    -------
    list of Artist
        The points, the diagonal, the band if any, the legend (and the title).

    Raises
    ------
    ValueError
        If the two sequences differ in length, or ``floor`` is not ordered.

    Notes
    -----
    Introduced in notebook 07.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> artists = draw_calibration(ax, [0, 0.01], [0.004, 0.011], floor=(-0.002, 0.004))
    >>> [a.get_label() for a in artists[:3]]
    ['without a planted pattern', 'measured = planted', 'digits + planted pattern']
    >>> plt.close(fig)
    """
    planted, measured = np.asarray(planted, float), np.asarray(measured, float)
    if planted.shape != measured.shape or planted.ndim != 1:
        raise ValueError(
            f"planted and measured are invalid: must be 1-D of one length, got shapes "
            f"{planted.shape} and {measured.shape}"
        )
    artists: list[Artist] = _floor_band(ax, floor, floor_label)
    top = float(max(planted.max(initial=0), measured.max(initial=0))) * 1.1 or 1.0
    artists += ax.plot([0, top], [0, top], color="#333", linestyle="--", linewidth=1,
                       label="measured = planted")  # fmt: skip
    artists += ax.plot(planted, measured, "o", color=_COLORS[0], label="digits + planted pattern")
    ax.set_xlabel("planted amplitude (root mean square)", fontsize=8)
    ax.set_ylabel("periodic amplitude measured", fontsize=8)
    ax.tick_params(labelsize=8)
    artists.append(ax.legend(fontsize=7, loc="upper left"))
    if title:
        artists.append(ax.set_title(title, fontsize=9))
    return artists


def draw_seed_spread(
    ax: Axes,
    values: Mapping[str, Mapping[str, Sequence[float]]],
    *,
    floor: tuple[float, float] | None = None,
    floor_label: str = "controls without a pattern",
    ylabel: str = "periodic amplitude",
    title: str | None = None,
) -> list[Artist]:
    """One point per random seed, grouped by condition, one marker and colour per decoder.

    Parameters
    ----------
    ax : Axes
    values : mapping of str to mapping of str to sequence of float
        Condition to decoder to the values of its seeds; every condition names the same
        decoders.
    floor : (float, float), optional
        A hatched band, e.g. the range of the controls without a pattern.
    floor_label : str, default="controls without a pattern"
    ylabel : str, default="periodic amplitude"
    title : str, optional

    Returns
    -------
    list of Artist
        The point sets (one per decoder), the band if any, the legend (and the title).

    Raises
    ------
    ValueError
        If ``values`` is empty or ``floor`` is not ordered.

    Notes
    -----
    Introduced in notebook 07.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> artists = draw_seed_spread(ax, {"codes": {"uneven": [0.005, 0.007], "resize": [-0.005]}})
    >>> [(line.get_label(), line.get_marker(), len(line.get_ydata())) for line in artists[:2]]
    [('uneven', 'o', 2), ('resize', 's', 1)]
    >>> plt.close(fig)
    """
    conditions = list(values)
    if not conditions:
        raise ValueError("values is invalid: must hold at least one condition")
    decoders = list(values[conditions[0]])
    artists: list[Artist] = _floor_band(ax, floor, floor_label)
    width = 0.8 / len(decoders)
    for n, name in enumerate(decoders):
        xs, ys = [], []
        for c, condition in enumerate(conditions):
            seeds = np.asarray(values[condition][name], float)
            offset = c + (n - (len(decoders) - 1) / 2) * width
            xs += list(offset + np.linspace(-0.25, 0.25, len(seeds)) * width)
            ys += list(seeds)
        artists += ax.plot(xs, ys, _MARKERS[n % len(_MARKERS)], color=_COLORS[n % len(_COLORS)],
                           markersize=4, label=name)  # fmt: skip
    ax.set_xticks(range(len(conditions)), conditions, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    artists.append(ax.legend(fontsize=7, ncols=2))
    if title:
        artists.append(ax.set_title(title, fontsize=9))
    return artists
