"""Solving for the layer: every kernel, stride, padding and dilation that maps ``i`` to ``o``.

The size functions of :mod:`helpers.arithmetic` answer "what size comes out of this layer?".
Designing a network asks the reverse: "which layer takes 28 to 14?". The two functions here
search every combination within small bounds and keep those whose output size, computed by
:func:`~helpers.arithmetic.conv_size` or :func:`~helpers.arithmetic.conv_transpose_size`
(the one source of each formula; ``value`` is None where the size functions refuse), is the
target. Several answers exist because the floor in the formula merges ``s`` input sizes.

Introduced in notebook 08.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from helpers import arithmetic

__all__ = ["ConvConfig", "ConvTransposeConfig", "conv_configs", "conv_transpose_configs"]


class ConvConfig(NamedTuple):
    """One convolution that gives the target size: kernel, stride, padding, dilation."""

    k: int
    s: int
    p: int
    d: int


class ConvTransposeConfig(NamedTuple):
    """One transposed convolution that gives the target size."""

    k: int
    s: int
    p: int
    d: int
    output_padding: int


#: Smallest value of each parameter, as the size functions require.
_MINIMUM = {
    **{"i": 1, "o": 1, "k": 1, "s": 1, "p": 0, "d": 1, "output_padding": 0},
    **{"max_k": 1, "max_s": 1, "max_p": 0, "max_d": 1},
}


def _checked(**values) -> dict:
    """Validate every given argument (None = searched) the way the size functions do."""
    checked = {}
    for name, value in values.items():
        if value is not None:
            checked[name] = arithmetic.check_int(name, value, _MINIMUM[name])
        else:
            checked[name] = None
    return checked


def _choices(fixed: int | None, minimum: int, maximum: int) -> range:
    """Return the values a parameter may take: the one given, else ``minimum..maximum``."""
    return range(fixed, fixed + 1) if fixed is not None else range(minimum, maximum + 1)


def _windows(a: dict):
    """Every ``(k, s, d)`` within the bounds in ``a`` (validated arguments), and its ``max_p``."""
    for k in _choices(a["k"], 1, a["max_k"]):
        for s in _choices(a["s"], 1, a["max_s"]):
            for d in _choices(a["d"], 1, a["max_d"]):
                yield k, s, d, d * (k - 1) if a["max_p"] is None else a["max_p"]


def _paddings(fixed: int | None, low: int, high: int, max_p: int) -> range:
    """The paddings in ``low..high`` that the search allows: ``0..max_p``, or the one given."""
    if fixed is not None:
        return range(fixed, fixed + 1) if low <= fixed <= high else range(0)
    return range(max(low, 0), min(high, max_p) + 1)


@lru_cache(maxsize=1024)
def _conv_solutions(i, o, k, s, p, d, max_k, max_s, max_p, max_d) -> tuple[ConvConfig, ...]:
    """:func:`conv_configs` for validated arguments, as a tuple (cached: the explorer asks often).

    For each ``(k, s, d)`` the floor in ``o = floor((i + 2p - d(k - 1) - 1) / s) + 1`` holds
    ``o`` for ``s`` consecutive values of ``2p``, from ``(o - 1)s + d(k - 1) + 1 - i``; only the
    paddings in that range are tried, each confirmed by :func:`~helpers.arithmetic.conv_size`.
    """
    a = {"k": k, "s": s, "p": p, "d": d, "max_k": max_k, "max_s": max_s, "max_p": max_p}
    a["max_d"] = max_d
    found = []
    for k_, s_, d_, max_p_ in _windows(a):
        low = (o - 1) * s_ + d_ * (k_ - 1) + 1 - i  # the smallest 2p that reaches o
        for p_ in _paddings(p, -(-low // 2), (low + s_ - 1) // 2, max_p_):
            if arithmetic.conv_size(i, k_, s_, p_, d_).value == o:
                found.append(ConvConfig(k_, s_, p_, d_))
    return tuple(sorted(found))


@lru_cache(maxsize=1024)
def _transpose_solutions(
    i, o, k, s, p, d, output_padding, max_k, max_s, max_p, max_d
) -> tuple[ConvTransposeConfig, ...]:
    """:func:`conv_transpose_configs` for validated arguments, as a tuple (cached).

    ``o = (i - 1)s - 2p + d(k - 1) + output_padding + 1`` fixes ``2p - output_padding`` for
    each ``(k, s, d)``: each allowed ``output_padding`` gives at most one padding, confirmed
    by :func:`~helpers.arithmetic.conv_transpose_size`.
    """
    a = {"k": k, "s": s, "p": p, "d": d, "max_k": max_k, "max_s": max_s, "max_p": max_p}
    a["max_d"] = max_d
    found = []
    for k_, s_, d_, max_p_ in _windows(a):
        gap = (i - 1) * s_ + d_ * (k_ - 1) + 1 - o  # = 2p - output_padding
        for extra in _choices(output_padding, 0, max(s_, d_) - 1):
            if (gap + extra) % 2:
                continue
            for p_ in _paddings(p, (gap + extra) // 2, (gap + extra) // 2, max_p_):
                size = arithmetic.conv_transpose_size(i, k_, s_, p_, d_, extra)
                if size.value == o:
                    found.append(ConvTransposeConfig(k_, s_, p_, d_, extra))
    return tuple(sorted(found))


def conv_configs(
    i: int,
    o: int,
    *,
    k: int | None = None,
    s: int | None = None,
    p: int | None = None,
    d: int | None = None,
    max_k: int = 7,
    max_s: int = 4,
    max_p: int | None = None,
    max_d: int = 4,
) -> list[ConvConfig]:
    """Every convolution, within bounds, that maps input size ``i`` to output size ``o``.

    Parameters
    ----------
    i : int
        Input size, ``i >= 1``.
    o : int
        Target output size, ``o >= 1``.
    k, s, p, d : int, optional
        Kernel size, stride, padding and dilation to hold fixed; the others are searched.
        A fixed value is used even when it lies outside the bounds.
    max_k : int, default=7
        Largest kernel size searched (from 1).
    max_s : int, default=4
        Largest stride searched (from 1).
    max_p : int, optional
        Largest padding searched (from 0). Default ``d*(k - 1)`` for each ``(k, d)``: the
        largest padding at which every window still touches the input.
    max_d : int, default=4
        Largest dilation searched (from 1).

    Returns
    -------
    list of ConvConfig
        Named tuples ``(k, s, p, d)`` with ``conv_output_size(i, k, s, p, d) == o``, simplest
        first: sorted by kernel size, then stride, padding and dilation. Empty when there
        is none.

    Raises
    ------
    TypeError
        If an argument is not an int (``bool`` refused), as the size functions raise.
    ValueError
        If an argument is out of range (``i``, ``o``, ``k``, ``s``, ``d`` and the
        ``max_`` bounds ``>= 1``; ``p`` and ``max_p >= 0``), naming it.

    See Also
    --------
    conv_transpose_configs : The same search for transposed convolutions.
    helpers.arithmetic.conv_size : The formula each candidate is checked with.

    Notes
    -----
    Introduced in notebook 08. For each ``(k, s, d)`` within the bounds the formula is
    solved for ``p``: the floor keeps the output at ``o`` while ``2p`` runs over ``s``
    consecutive values, so at most ``s // 2 + 1`` paddings are tried (not every padding up
    to ``max_p``), and each one is sized by :func:`helpers.arithmetic.conv_size`, the one
    source of the formula. Answers are cached per argument list. In practice one prefers an odd
    kernel with "half" padding ``p = (k - 1) // 2`` and the stride doing the down-sampling,
    which is why ``k=3`` fixed is a useful query.

    Examples
    --------
    >>> conv_configs(28, 14, k=3, d=1)
    [ConvConfig(k=3, s=2, p=1, d=1)]
    >>> conv_configs(28, 14, k=3)[1]   # dilation 2 and twice the padding also work
    ConvConfig(k=3, s=2, p=2, d=2)
    >>> conv_configs(3, 9, max_k=3, max_d=2)  # padding d·(k − 1) grows i by at most 4
    []
    """
    a = _checked(i=i, o=o, k=k, s=s, p=p, d=d, max_k=max_k, max_s=max_s, max_p=max_p, max_d=max_d)
    return list(_conv_solutions(**a))


def conv_transpose_configs(
    i: int,
    o: int,
    *,
    k: int | None = None,
    s: int | None = None,
    p: int | None = None,
    d: int | None = None,
    output_padding: int | None = None,
    max_k: int = 7,
    max_s: int = 4,
    max_p: int | None = None,
    max_d: int = 4,
) -> list[ConvTransposeConfig]:
    """Every transposed convolution, within bounds, that maps size ``i`` to size ``o``.

    Parameters
    ----------
    i : int
        Input size, ``i >= 1``.
    o : int
        Target output size, ``o >= 1``.
    k, s, p, d, output_padding : int, optional
        Parameters to hold fixed; the others are searched. ``output_padding`` is searched
        over ``0 .. max(s, d) - 1``, PyTorch's rule.
    max_k, max_s, max_p, max_d : int
        Bounds of the search, as in :func:`conv_configs` (``max_p`` defaults to
        ``d*(k - 1)``, the padding at which the equivalent direct convolution pads nothing).

    Returns
    -------
    list of ConvTransposeConfig
        Named tuples ``(k, s, p, d, output_padding)`` with
        ``conv_transpose_output_size(i, k, s, p, d, output_padding) == o``, sorted by kernel
        size, then stride, padding, dilation and output padding. Empty when there is none.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is out of range, naming it (``output_padding >= 0``; a fixed
        ``output_padding`` that breaks ``output_padding < max(s, d)`` for every candidate
        simply gives no configuration).

    See Also
    --------
    conv_configs : The forward direction.
    helpers.arithmetic.conv_transpose_output_size : The formula each candidate is checked with.

    Notes
    -----
    Introduced in notebook 08. A decoder that undoes ``conv_configs``' choice uses the same
    ``k, s, p`` and picks ``output_padding`` to recover the size the floor merged. For each
    ``(k, s, d)`` and allowed ``output_padding`` the formula is solved for ``p`` (at most one
    padding), and the candidate is sized by :func:`helpers.arithmetic.conv_transpose_size`.
    Answers are cached per argument list.

    Examples
    --------
    >>> conv_transpose_configs(7, 14, k=3, s=2, d=1)
    [ConvTransposeConfig(k=3, s=2, p=1, d=1, output_padding=1)]
    >>> conv_transpose_configs(7, 14, k=4, d=1)[0]
    ConvTransposeConfig(k=4, s=2, p=1, d=1, output_padding=0)
    """
    a = _checked(
        i=i, o=o, k=k, s=s, p=p, d=d, output_padding=output_padding,
        max_k=max_k, max_s=max_s, max_p=max_p, max_d=max_d,
    )  # fmt: skip
    return list(_transpose_solutions(**a))
