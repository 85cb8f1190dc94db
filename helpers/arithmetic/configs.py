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


def _candidates(a: dict):
    """Every ``(k, s, p, d)`` within the bounds in ``a`` (validated arguments)."""
    for k in _choices(a["k"], 1, a["max_k"]):
        for s in _choices(a["s"], 1, a["max_s"]):
            for d in _choices(a["d"], 1, a["max_d"]):
                max_p = d * (k - 1) if a["max_p"] is None else a["max_p"]
                for p in _choices(a["p"], 0, max_p):
                    yield k, s, p, d


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
    helpers.arithmetic.conv_output_size : The formula each candidate is checked with.

    Notes
    -----
    Introduced in notebook 08. Brute force over at most
    ``max_k * max_s * max_d * (max_p + 1)`` candidates (about 3,000 with the defaults), each
    sized by :func:`helpers.arithmetic.conv_size`. In practice one prefers an odd
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
    found = [
        ConvConfig(*config)
        for config in _candidates(a)
        if arithmetic.conv_size(a["i"], *config).value == a["o"]
    ]
    return sorted(found)


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
    ``k, s, p`` and picks ``output_padding`` to recover the size the floor merged.

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
    found = []
    for k_, s_, p_, d_ in _candidates(a):
        for extra in _choices(a["output_padding"], 0, max(s_, d_) - 1):
            size = arithmetic.conv_transpose_size(a["i"], k_, s_, p_, d_, extra)
            if size.value == a["o"]:
                found.append(ConvTransposeConfig(k_, s_, p_, d_, extra))
    return sorted(found)
