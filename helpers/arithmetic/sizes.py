"""Output sizes of convolution, pooling and transposed convolution along one axis.

Two layers, one formula each:

- :func:`conv_size`, :func:`pool_size`, :func:`conv_transpose_size` return a
  :class:`~helpers.arithmetic.result.SizeResult` and never raise for an impossible
  combination of valid numbers (the result says which rule it breaks);
- :func:`conv_output_size`, :func:`pool_output_size`, :func:`conv_transpose_output_size`
  return the int, and raise that rule as a :class:`helpers.validation.ShapeRuleError`.

Both raise ``TypeError`` / ``ValueError`` for a single argument of the wrong type or
out of range, as PyTorch refuses it. Dumoulin & Visin (2016), arXiv:1603.07285, and
the shape formulas of ``torch.nn.Conv2d``, ``torch.nn.MaxPool2d`` and
``torch.nn.ConvTranspose2d``. Introduced in notebook 01.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from helpers.arithmetic.kernel import max_pool_padding
from helpers.arithmetic.result import SizeResult
from helpers.validation import ShapeRuleError, check_bool, check_int

__all__ = [
    "conv_input_sizes",
    "conv_output_size",
    "conv_size",
    "conv_transpose_output_size",
    "conv_transpose_size",
    "pool_output_size",
    "pool_size",
]

#: The rule an empty output breaks, for a window that does not fit.
KERNEL_FITS = "must be >= 1 (the kernel does not fit in the padded input)"
#: The rule an empty output breaks, for a transposed convolution.
OUTPUT_SURVIVES = "must be >= 1 (the padding carves away the whole output)"
#: Why ceil mode can lower the size by one.
LAST_WINDOW = "the last window would start in the right padding, so PyTorch drops it"

_LETTERS = ("i", "k", "s", "p", "d")


def _check_window(i, k, s, p, d, names: Mapping[str, str]) -> dict:
    """Return the five common parameters, checked under the caller's names."""
    minimum = {"i": 1, "k": 1, "s": 1, "p": 0, "d": 1}
    values = dict(zip(_LETTERS, (i, k, s, p, d), strict=True))
    return {key: check_int(names.get(key, key), values[key], minimum[key]) for key in _LETTERS}


def _called(names: Mapping[str, str], key: str, value: int, word: str) -> str:
    """Name a parameter: ``"the stride s=2"`` by its letter, ``"stride=2"`` by the caller's name."""
    name = names.get(key, key)
    return f"the {word} {name}={value}" if name == key else f"{name}={value}"


def _window_formula(i: int, k: int, s: int, p: int, d: int, ceil: bool = False) -> int:
    """``floor((i + 2p - d(k - 1) - 1) / s) + 1``, or with ``ceil``: the one window formula."""
    span = i + 2 * p - d * (k - 1) - 1
    return (-(-span // s) if ceil else span // s) + 1


def _possible(kind: str, params: dict, raw: int, value: int) -> SizeResult:
    """Return a :class:`SizeResult` for a value that may still be empty (``< 1``)."""
    if value >= 1:
        return SizeResult(kind, params, raw, value, note=LAST_WINDOW if value != raw else None)
    rule = OUTPUT_SURVIVES if kind == "transposed" else KERNEL_FITS
    return _broken(kind, params, raw, rule, "output size", raw, show_formula=True)


def _broken(
    kind: str, params: dict, raw: int, rule: str, parameter: str, value, show_formula=False
) -> SizeResult:
    """Return a :class:`SizeResult` with no value, and the error naming ``parameter=value``."""
    result = SizeResult(kind, params, raw, None, rule)
    expression = result.expression("ascii") if show_formula else None
    error = ShapeRuleError(parameter, value, rule, expression=expression)
    return replace(result, error=error)


def _value(result: SizeResult) -> int:
    if result.error is not None:
        raise result.error
    return result.value


def conv_size(
    i: int, k: int, s: int = 1, p: int = 0, d: int = 1, *, names: Mapping[str, str] | None = None
) -> SizeResult:
    """Output size of a convolution along one axis, as a :class:`SizeResult`.

    Parameters
    ----------
    i, k, s, p, d : int
        As for :func:`conv_output_size`.
    names : mapping, optional
        The caller's names for the parameters (``{"p": "padding"}``), used in error
        messages; by default the letters.

    Returns
    -------
    SizeResult
        ``raw = floor((i + 2*p - d*(k - 1) - 1) / s) + 1``; ``value`` is ``raw``
        when at least 1, else None with the rule "the kernel does not fit".

    Raises
    ------
    TypeError, ValueError
        For an argument of the wrong type or out of range (``s=0``).

    Examples
    --------
    >>> conv_size(5, 3, s=2, p=1).text()
    '⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3'
    >>> impossible = conv_size(3, 5)
    >>> impossible.value, impossible.raw, impossible.symbolic()
    (None, -1, '⌊(i + 2p − d·(k − 1) − 1) / s⌋ + 1')
    """
    names = names or {}
    params = _check_window(i, k, s, p, d, names)
    raw = _window_formula(**params)
    return _possible("conv", params, raw, raw)


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
    conv_size : The same, as a :class:`SizeResult` with the formula text.
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
    return _value(conv_size(i, k, s, p, d))


def pool_size(
    i: int,
    k: int,
    s: int | None = None,
    p: int = 0,
    d: int = 1,
    ceil_mode: bool = False,
    *,
    names: Mapping[str, str] | None = None,
) -> SizeResult:
    """Output size of max or average pooling along one axis, as a :class:`SizeResult`.

    Parameters
    ----------
    i, k, s, p, d, ceil_mode
        As for :func:`pool_output_size`.
    names : mapping, optional
        The caller's names for the parameters, used in error messages.

    Returns
    -------
    SizeResult
        ``raw`` is the floor (or ceiling) formula. In ceil mode a last window that
        would start in the right padding is dropped (``value = raw - 1``, with a
        ``note``): every window must start inside the input or the left padding.
        ``value`` is None when ``p > k // 2`` or the output is empty.

    Raises
    ------
    TypeError, ValueError
        For an argument of the wrong type or out of range.

    Examples
    --------
    >>> result = pool_size(5, 2, s=2, p=1, ceil_mode=True)
    >>> result.raw, result.value, result.note
    (4, 3, 'the last window would start in the right padding, so PyTorch drops it')
    >>> pool_size(5, 3, p=2).rule
    'pooling padding must be at most half the kernel size, k // 2 = 1'
    """
    names = names or {}
    params = _check_window(i, k, k if s is None else s, p, d, names)
    ceil_mode = check_bool(names.get("ceil_mode", "ceil_mode"), ceil_mode)
    i, k, s, p, d = (params[key] for key in _LETTERS)
    raw = _window_formula(i, k, s, p, d, ceil_mode)
    params["ceil_mode"] = ceil_mode
    if p > max_pool_padding(k):
        name = names.get("p", "p")
        rule = (
            "pooling padding must be at most half the kernel size, "
            f"{names.get('k', 'k')} // 2 = {max_pool_padding(k)}"
        )
        return _broken("pool", params, raw, rule, name, p)
    value = raw
    if ceil_mode and (raw - 1) * s >= i + p:  # the last window would start in the right padding
        value = raw - 1
    return _possible("pool", params, raw, value)


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
    pool_size : The same, as a :class:`SizeResult` with the formula text.
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
    return _value(pool_size(i, k, s, p, d, ceil_mode))


def conv_transpose_size(
    i: int,
    k: int,
    s: int = 1,
    p: int = 0,
    d: int = 1,
    output_padding: int = 0,
    *,
    names: Mapping[str, str] | None = None,
) -> SizeResult:
    """Output size of a transposed convolution along one axis, as a :class:`SizeResult`.

    Parameters
    ----------
    i, k, s, p, d, output_padding : int
        As for :func:`conv_transpose_output_size`.
    names : mapping, optional
        The caller's names for the parameters, used in error messages.

    Returns
    -------
    SizeResult
        ``raw = (i - 1)*s - 2*p + d*(k - 1) + output_padding + 1``; ``value`` is
        None when ``output_padding >= max(s, d)`` or ``raw < 1``.

    Raises
    ------
    TypeError, ValueError
        For an argument of the wrong type or out of range.

    Examples
    --------
    >>> conv_transpose_size(2, 3, s=2, p=1).text()
    '(2 − 1)·2 − 2·1 + 1·(3 − 1) + 0 + 1 = 3'
    >>> conv_transpose_size(1, 1, p=1).rule
    'must be >= 1 (the padding carves away the whole output)'
    """
    names = names or {}
    params = _check_window(i, k, s, p, d, names)
    op_name = names.get("output_padding", "output_padding")
    params["output_padding"] = op = check_int(op_name, output_padding, 0)
    i, k, s, p, d = (params[key] for key in _LETTERS)
    raw = (i - 1) * s - 2 * p + d * (k - 1) + op + 1
    if op >= max(s, d):
        stride, dilation = _called(names, "s", s, "stride"), _called(names, "d", d, "dilation")
        rule = f"must be smaller than either {stride} or {dilation}"
        return _broken("transposed", params, raw, rule, op_name, op)
    return _possible("transposed", params, raw, raw)


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
    conv_transpose_size : The same, as a :class:`SizeResult` with the formula text.
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
    return _value(conv_transpose_size(i, k, s, p, d, output_padding))


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
        :func:`conv_output_size` makes up to ``s`` input sizes share one output size; the
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
    params = _check_window(1, k, s, p, d, {})
    k, s, p, d = (params[key] for key in "kspd")
    smallest = (o - 1) * s + d * (k - 1) + 1 - 2 * p
    return [i for i in range(smallest, smallest + s) if i >= 1]
