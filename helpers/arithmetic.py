"""Output-size arithmetic of convolution, pooling and transposed convolution.

Every function works on one spatial axis: integers in, an integer (or a list of
integers) out. Each one accepts exactly the arguments PyTorch accepts and raises
``ValueError`` (or ``TypeError`` for a non-integer) naming the parameter, its value
and the rule for the ones PyTorch rejects.

The formulas follow Dumoulin & Visin, *A guide to convolution arithmetic for deep
learning* (2016), arXiv:1603.07285, and the shape formulas in the documentation of
``torch.nn.Conv2d``, ``torch.nn.MaxPool2d`` and ``torch.nn.ConvTranspose2d``.
Introduced in notebook 01.
"""

from __future__ import annotations

import numbers

__all__ = [
    "conv_input_sizes",
    "conv_output_size",
    "conv_transpose_output_size",
    "effective_kernel_size",
    "pool_output_size",
    "same_padding",
]


def check_int(name: str, value, minimum: int) -> int:
    """Return ``value`` as an ``int`` after checking its type and lower bound.

    The one integer check of the package: every module that validates a count, a size
    or a hyper-parameter calls it, so every such error reads the same.

    Parameters
    ----------
    name : str
        The parameter's name, as the caller spells it.
    value : int
        Any integral value (``bool`` is refused).
    minimum : int
        The smallest value allowed.

    Raises
    ------
    TypeError
        If ``value`` is not an integer: ``"s=1.5 is invalid: must be an int"``.
    ValueError
        If ``value < minimum``: ``"s=0 is invalid: must be >= 1"``.

    Examples
    --------
    >>> check_int("groups", 2, 1)
    2
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}={value!r} is invalid: must be an int")
    if value < minimum:
        raise ValueError(f"{name}={value!r} is invalid: must be >= {minimum}")
    return int(value)


def _check_common(i: int, k: int, s: int, p: int, d: int) -> tuple[int, int, int, int, int]:
    return (
        check_int("i", i, 1),
        check_int("k", k, 1),
        check_int("s", s, 1),
        check_int("p", p, 0),
        check_int("d", d, 1),
    )


def _check_output(o: int, formula: str) -> int:
    if o < 1:
        raise ValueError(
            f"output size {formula} = {o} is invalid: must be >= 1 "
            "(the kernel does not fit in the padded input)"
        )
    return o


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


def conv_output_size(i: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """Output size of a convolution along one axis.

    Parameters
    ----------
    i : int
        Input size, ``i >= 1``.
    k : int
        Kernel size, ``k >= 1``.
    s : int, default=1
        Stride, ``s >= 1``.
    p : int, default=0
        Zero padding on *each* side, ``p >= 0``.
    d : int, default=1
        Dilation, ``d >= 1``.

    Returns
    -------
    int
        ``floor((i + 2*p - d*(k - 1) - 1) / s) + 1``: the number of positions the
        (dilated) kernel takes when it starts at the left edge of the padded input
        and moves by ``s`` while it still fits.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is out of range, or the dilated kernel is larger than the
        padded input (the output would be empty), as PyTorch refuses.

    See Also
    --------
    conv_input_sizes : The input sizes that give a chosen output size.
    conv_transpose_output_size : The transposed direction.

    Notes
    -----
    Introduced in notebook 01. Dumoulin & Visin (2016), arXiv:1603.07285,
    relationship 6 (general case) and 15 (dilated).

    Examples
    --------
    >>> conv_output_size(5, 3, s=2, p=1)
    3
    >>> conv_output_size(6, 3, s=2, p=1)   # the floor hides the sixth column
    3
    >>> conv_output_size(7, 3, d=2)        # the kernel spans 5 cells
    3
    """
    i, k, s, p, d = _check_common(i, k, s, p, d)
    o = (i + 2 * p - d * (k - 1) - 1) // s + 1
    return _check_output(o, f"floor(({i} + 2*{p} - {d}*({k} - 1) - 1) / {s}) + 1")


def pool_output_size(
    i: int,
    k: int,
    s: int | None = None,
    p: int = 0,
    d: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Output size of max or average pooling along one axis.

    Parameters
    ----------
    i : int
        Input size, ``i >= 1``.
    k : int
        Window size, ``k >= 1``.
    s : int or None, default=None
        Stride, ``s >= 1``; ``None`` means ``s = k`` (non-overlapping windows),
        PyTorch's default.
    p : int, default=0
        Implicit padding on each side, ``0 <= p <= k // 2``.
    d : int, default=1
        Dilation (max pooling only), ``d >= 1``.
    ceil_mode : bool, default=False
        Round the window count up instead of down.

    Returns
    -------
    int
        ``floor((i + 2*p - d*(k - 1) - 1) / s) + 1``, or with ``ceil`` in place of
        ``floor`` when ``ceil_mode``. In ceil mode a last window that would start
        in the right padding is dropped: every window must start inside the input
        or the left padding.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If an argument is out of range, ``p > k // 2``, or the output is empty.

    See Also
    --------
    conv_output_size : The same window arithmetic for convolution.

    Notes
    -----
    Introduced in notebook 02. Dumoulin & Visin (2016), relationship 7, and
    PyTorch's ``pooling_output_shape``. PyTorch checks the padding against the
    plain kernel size ``k`` for 2-D pooling, even when dilated.

    Examples
    --------
    >>> pool_output_size(4, 2)
    2
    >>> pool_output_size(28, 3, s=2)
    13
    >>> pool_output_size(5, 2, ceil_mode=True)
    3
    """
    if s is None:
        s = k
    i, k, s, p, d = _check_common(i, k, s, p, d)
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"ceil_mode={ceil_mode!r} is invalid: must be a bool")
    if p > k // 2:
        raise ValueError(
            f"p={p} is invalid: pooling padding must be at most half the kernel size, "
            f"k // 2 = {k // 2}"
        )
    span = i + 2 * p - d * (k - 1) - 1
    if ceil_mode:
        o = -(-span // s) + 1
        if (o - 1) * s >= i + p:  # the last window would start in the right padding
            o -= 1
        formula = f"ceil(({i} + 2*{p} - {d}*({k} - 1) - 1) / {s}) + 1"
    else:
        o = span // s + 1
        formula = f"floor(({i} + 2*{p} - {d}*({k} - 1) - 1) / {s}) + 1"
    return _check_output(o, formula)


def conv_transpose_output_size(
    i: int,
    k: int,
    s: int = 1,
    p: int = 0,
    d: int = 1,
    output_padding: int = 0,
) -> int:
    """Output size of a transposed convolution along one axis.

    Parameters
    ----------
    i : int
        Input size, ``i >= 1``.
    k : int
        Kernel size, ``k >= 1``.
    s : int, default=1
        Stride, ``s >= 1``: the distance between neighbouring kernel copies.
    p : int, default=0
        Cells carved off *each* side of the full result, ``p >= 0``.
    d : int, default=1
        Dilation, ``d >= 1``.
    output_padding : int, default=0
        Extra cells added on one side (the paper's ``a``),
        ``0 <= output_padding < max(s, d)``.

    Returns
    -------
    int
        ``(i - 1)*s - 2*p + d*(k - 1) + output_padding + 1``.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is out of range, ``output_padding >= max(s, d)``, or the
        padding carves away the whole output.

    See Also
    --------
    conv_output_size : The direction this one transposes.

    Notes
    -----
    Introduced in notebook 04. Dumoulin & Visin (2016), relationships 8 to 14;
    ``torch.nn.ConvTranspose2d``. ``output_padding`` chooses among the input sizes
    that :func:`conv_input_sizes` returns for the forward convolution.

    An output size of 0 is refused, as PyTorch's shape check refuses it. (PyTorch
    2.14's float32 oneDNN path skips that check for some kernels and returns an empty
    tensor, e.g. ``k=4, p=2`` on a 1-pixel input; its float64 path raises.)

    Examples
    --------
    >>> conv_transpose_output_size(2, 2, s=2)
    4
    >>> conv_transpose_output_size(2, 3, s=2, p=1)
    3
    >>> conv_transpose_output_size(3, 3, s=2, p=1, output_padding=1)
    6
    """
    i, k, s, p, d = _check_common(i, k, s, p, d)
    output_padding = check_int("output_padding", output_padding, 0)
    if output_padding >= max(s, d):
        raise ValueError(
            f"output_padding={output_padding} is invalid: must be smaller than either "
            f"the stride s={s} or the dilation d={d}"
        )
    o = (i - 1) * s - 2 * p + d * (k - 1) + output_padding + 1
    formula = f"({i} - 1)*{s} - 2*{p} + {d}*({k} - 1) + {output_padding} + 1"
    return _check_output(o, formula)


def same_padding(k: int, d: int = 1) -> tuple[int, int]:
    """Padding ``(before, after)`` that keeps the size unchanged at stride 1.

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
    Introduced in notebook 03 (seed 003's ``fixed_padding``). For odd ``k`` and
    ``d = 1`` this is ``p = floor(k / 2)`` on both sides, the paper's "half"
    padding (relationship 2).

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


def conv_input_sizes(o: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> list[int]:
    """Every input size that a convolution maps to output size ``o``.

    Parameters
    ----------
    o : int
        Output size, ``o >= 1``.
    k, s, p, d : int
        Kernel size, stride, padding and dilation, as in :func:`conv_output_size`.

    Returns
    -------
    list of int
        The sizes ``i = (o - 1)*s + d*(k - 1) + 1 - 2*p + a`` for
        ``a = 0, ..., s - 1`` that are at least 1, in increasing order. The floor in
        :func:`conv_output_size` makes ``s`` input sizes share one output size; the
        list is empty when no input gives ``o`` (too much padding).

    See Also
    --------
    conv_output_size
    conv_transpose_output_size : Its ``output_padding`` selects one of these sizes.

    Notes
    -----
    Introduced in notebook 01. Dumoulin & Visin (2016), section 4.6 and
    relationship 14.

    Examples
    --------
    >>> conv_input_sizes(3, 3, s=2, p=1)
    [5, 6]
    """
    o = check_int("o", o, 1)
    _, k, s, p, d = _check_common(1, k, s, p, d)
    smallest = (o - 1) * s + d * (k - 1) + 1 - 2 * p
    return [i for i in range(smallest, smallest + s) if i >= 1]
