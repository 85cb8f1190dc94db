"""2-D max and average pooling, as ``torch.nn.functional.max_pool2d`` / ``avg_pool2d``.

Introduced in notebook 02.
"""

from __future__ import annotations

import numpy as np

from helpers.arithmetic import TORCH_NAMES, pool_size, spatial_sizes
from helpers.reference._common import Pair, as_batch, float_dtype, taps
from helpers.validation import ShapeRuleError, check_bool, check_int, check_tuple

__all__ = ["avg_pool2d", "max_pool2d"]


def _pool_setup(x, kernel_size, stride, padding, dilation, ceil_mode):
    """Validate pooling arguments; return the batch, sizes and the needed right padding."""
    xb, unbatched = as_batch(x)
    k = check_tuple("kernel_size", kernel_size, 2, 1)
    # PyTorch reads a missing stride (None or an empty list) as "stride = kernel_size"
    s = check_tuple("stride", stride, 2, 1, default=k)
    p = check_tuple("padding", padding, 2, 0)
    d = check_tuple("dilation", dilation, 2, 1)
    ceil_mode = check_bool("ceil_mode", ceil_mode)
    out = spatial_sizes(
        pool_size, xb.shape[2:], k, TORCH_NAMES, s=s, p=p, d=d, ceil_mode=(ceil_mode, ceil_mode)
    )
    # ceil mode can need cells beyond the right padding: windows are clipped there
    after = tuple(
        max(p[a], (out[a] - 1) * s[a] + d[a] * (k[a] - 1) + 1 - xb.shape[2 + a] - p[a])
        for a in range(2)
    )
    return xb, unbatched, k, s, p, d, out, after


def max_pool2d(
    x,
    kernel_size: Pair,
    stride: Pair | None = None,
    padding: Pair = 0,
    dilation: Pair = 1,
    ceil_mode: bool = False,
) -> np.ndarray:
    """2-D max pooling, as ``torch.nn.functional.max_pool2d``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W) or (C, H, W)
        Input.
    kernel_size : int or (int, int)
        Window size.
    stride : int or (int, int), optional
        Defaults to ``kernel_size`` (also for ``None`` or ``()``, as in PyTorch).
    padding : int or (int, int), default=0
        Implicit ``-inf`` padding, at most half the kernel size.
    dilation : int or (int, int), default=1
        Spacing between the window's taps.
    ceil_mode : bool, default=False
        Round the window count up instead of down.

    Returns
    -------
    ndarray, shape (N, C, H_out, W_out) or (C, H_out, W_out)
        The maximum of each window, ``H_out`` from
        :func:`helpers.arithmetic.pool_output_size`; the input dtype is kept.

    Raises
    ------
    TypeError, ValueError
        For the argument combinations PyTorch refuses, naming the argument as
        spelled in the call (``padding=5``, not ``p=5``).

    Notes
    -----
    Introduced in notebook 02.

    Examples
    --------
    >>> x = np.array([[[50, 77, 111, 94], [28, 80, 100, 40],
    ...                [85, 79, 63, 74], [67, 55, 105, 123]]])
    >>> max_pool2d(x, 2)
    array([[[ 80, 111],
            [ 85, 123]]])
    """
    xb, unbatched, k, s, p, d, out, after = _pool_setup(
        x, kernel_size, stride, padding, dilation, ceil_mode
    )
    if np.issubdtype(xb.dtype, np.floating):
        lowest = -np.inf
    elif xb.dtype == bool:
        lowest = False
    else:
        lowest = np.iinfo(xb.dtype).min
    xp = np.pad(xb, ((0, 0), (0, 0), (p[0], after[0]), (p[1], after[1])), constant_values=lowest)
    windows = taps(xp, k, s, d, out)
    result = next(windows).copy()
    for tap in windows:
        np.maximum(result, tap, out=result)
    return result[0] if unbatched else result


def avg_pool2d(
    x,
    kernel_size: Pair,
    stride: Pair | None = None,
    padding: Pair = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    """2-D average pooling, as ``torch.nn.functional.avg_pool2d``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W) or (C, H, W)
        Input.
    kernel_size : int or (int, int)
        Window size.
    stride : int or (int, int), optional
        Defaults to ``kernel_size`` (also for ``None`` or ``()``, as in PyTorch).
    padding : int or (int, int), default=0
        Implicit zero padding, at most half the kernel size.
    ceil_mode : bool, default=False
        Round the window count up instead of down.
    count_include_pad : bool, default=True
        Whether the zero padding counts in the divisor.
    divisor_override : int, optional
        A fixed nonzero divisor for every window.

    Returns
    -------
    ndarray, shape (N, C, H_out, W_out) or (C, H_out, W_out)
        Window sums over the divisor. As in PyTorch, a window that pokes past the
        right padding in ceil mode divides by the cells it covers up to the end
        of that padding (or the real cells only, without ``count_include_pad``).

    Raises
    ------
    TypeError, ValueError
        For the argument combinations PyTorch refuses, naming the argument.

    Notes
    -----
    Introduced in notebook 02.

    Examples
    --------
    >>> avg_pool2d(np.arange(16.0).reshape(1, 4, 4), 2)
    array([[[ 2.5,  4.5],
            [10.5, 12.5]]])
    """
    xb, unbatched, k, s, p, _, out, after = _pool_setup(
        x, kernel_size, stride, padding, 1, ceil_mode
    )
    count_include_pad = check_bool("count_include_pad", count_include_pad)
    if divisor_override is not None:
        divisor_override = check_int("divisor_override", divisor_override)
        if divisor_override == 0:
            raise ShapeRuleError("divisor_override", 0, "must be nonzero")
    dtype = float_dtype(xb)
    xp = np.pad(xb.astype(dtype, copy=False), ((0, 0), (0, 0), (p[0], after[0]), (p[1], after[1])))
    sums = sum(taps(xp, k, s, (1, 1), out))
    if divisor_override is not None:
        divisor = np.asarray(divisor_override, dtype)
    else:
        rows, cols = (
            _window_counts(out[a], k[a], s[a], p[a], xb.shape[2 + a], count_include_pad)
            for a in range(2)
        )
        divisor = np.outer(rows, cols).astype(dtype)
    result = sums / divisor
    return result[0] if unbatched else result


def _window_counts(n_out: int, k: int, s: int, p: int, size: int, include_pad: bool) -> np.ndarray:
    """Cells each pooling window counts along one axis (PyTorch's divisor rule)."""
    start = np.arange(n_out) * s - p
    end = np.minimum(start + k, size + p)
    if include_pad:
        return end - start
    return np.minimum(end, size) - np.maximum(start, 0)
