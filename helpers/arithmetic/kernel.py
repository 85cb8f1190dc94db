"""The span of a dilated kernel and the padding that keeps a size ("same").

Introduced in notebook 03. Dumoulin & Visin (2016), arXiv:1603.07285, section 5.1.
"""

from __future__ import annotations

from helpers.validation import check_int

__all__ = [
    "effective_kernel_size",
    "equivalent_padding",
    "max_pool_padding",
    "same_padding",
]


def effective_kernel_size(k: int, d: int = 1) -> int:
    """Size of a dilated kernel, gaps included.

    Parameters
    ----------
    k : int
        Kernel size, ``k >= 1``.
    d : int, default=1
        Dilation, ``d >= 1``; ``d - 1`` gaps sit between neighbouring taps.

    Returns
    -------
    int
        ``d*(k - 1) + 1``, which is ``k + (k - 1)*(d - 1)``.

    Notes
    -----
    Introduced in notebook 03. Dumoulin & Visin (2016), section 5.1.

    Examples
    --------
    >>> effective_kernel_size(3, d=2)
    5
    """
    k = check_int("k", k, 1)
    d = check_int("d", d, 1)
    return d * (k - 1) + 1


def equivalent_padding(k: int, p: int = 0, d: int = 1) -> int:
    """Padding of the direct convolution equivalent to a transposed one: ``q = d(k − 1) − p``.

    Parameters
    ----------
    k : int
        Kernel size, ``k >= 1``.
    p : int, default=0
        The transposed convolution's padding, ``p >= 0``.
    d : int, default=1
        Dilation, ``d >= 1``.

    Returns
    -------
    int
        ``d*(k - 1) - p``: pad the zero-stretched input by this much on each side (negative:
        crop) and convolve with the flipped kernel at stride 1.

    Notes
    -----
    Introduced in notebook 04. Dumoulin & Visin (2016), relationship 14.

    Examples
    --------
    >>> equivalent_padding(3, p=1), equivalent_padding(3, p=0, d=2)
    (1, 4)
    """
    return effective_kernel_size(k, d) - 1 - check_int("p", p, 0)


def max_pool_padding(k: int) -> int:
    """The largest implicit padding PyTorch's pooling accepts for a window of size ``k``.

    Parameters
    ----------
    k : int
        Window size, ``k >= 1``.

    Returns
    -------
    int
        ``k // 2``: half the window, rounded down, so that every window holds at least one
        input cell.

    Notes
    -----
    Introduced in notebook 02. PyTorch's ``pool2d_shape_check`` ("pad should be at most half
    of effective kernel size"), checked against the plain kernel size for 2-D pooling.

    Examples
    --------
    >>> max_pool_padding(3), max_pool_padding(4)
    (1, 2)
    """
    return check_int("k", k, 1) // 2


def same_padding(k: int, d: int = 1) -> tuple[int, int]:
    """Return the padding ``(before, after)`` that keeps the size unchanged at stride 1.

    Parameters
    ----------
    k : int
        Kernel size, ``k >= 1``.
    d : int, default=1
        Dilation, ``d >= 1``.

    Returns
    -------
    tuple of int
        ``(total // 2, total - total // 2)`` with ``total = d*(k - 1)``, the
        effective kernel size minus one. When the effective kernel is even the
        extra cell goes after (right / bottom), as PyTorch's ``padding="same"``
        and MobileNet's ``fixed_padding`` do.

    See Also
    --------
    effective_kernel_size

    Notes
    -----
    Introduced in notebook 03 (MobileNet's ``fixed_padding``, as a blog post on
    dilated convolution quotes it). The padding is asymmetric exactly when ``k`` is
    even and ``d`` is odd. For odd ``k`` and ``d = 1`` it is ``p = floor(k / 2)``
    on both sides, the paper's "half" padding (relationship 3).

    Examples
    --------
    >>> same_padding(3)
    (1, 1)
    >>> same_padding(4)
    (1, 2)
    >>> same_padding(3, d=2)
    (2, 2)
    """
    total = effective_kernel_size(k, d) - 1
    return total // 2, total - total // 2
