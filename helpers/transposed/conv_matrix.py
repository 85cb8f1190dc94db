"""The matrix ``C`` of a convolution: ``conv = C @ x``, ``transposed conv = C.T @ y``.

The definition of "transposed" in lesson 04 (Dumoulin & Visin 2016, section 4.1).
Introduced in notebook 04.
"""

from __future__ import annotations

import numpy as np

from helpers.arithmetic import TORCH_NAMES, conv_size, spatial_sizes
from helpers.transposed._common import one_channel, square_params
from helpers.validation import check_tuple

__all__ = [
    "conv_matrix",
]


def conv_matrix(input_shape, weight, stride: int = 1, padding: int = 0, dilation: int = 1):
    """Return the matrix ``C`` of a one-channel convolution: ``conv2d(x).ravel() == C @ x.ravel()``.

    Parameters
    ----------
    input_shape : int or (int, int)
        Input size ``(H, W)``; an int means a square input.
    weight : array_like, shape (kH, kW)
        The kernel.
    stride, padding, dilation : int
        As for :func:`helpers.reference.conv2d`.

    Returns
    -------
    ndarray, shape (H_out * W_out, H * W)
        Row ``r`` holds the kernel taps at the input positions (row-major) that
        output cell ``r`` reads; taps that fall on the zero padding are dropped.
        Mostly zeros: each row has at most ``kH*kW`` non-zero entries.

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range or the kernel does not fit.

    See Also
    --------
    helpers.reference.conv_transpose2d : Multiplies by ``C.T``.

    Notes
    -----
    Introduced in notebook 04: Dumoulin & Visin (2016), section 4.1, build this
    matrix for a 3x3 kernel on a 4x4 input; the transposed convolution is the
    product with its transpose, hence the name. Built from index arithmetic, not
    from a convolution routine, so that checking it against PyTorch proves
    something.

    Examples
    --------
    >>> conv_matrix(3, [[1, 2], [3, 4]]).shape
    (4, 9)
    >>> conv_matrix(3, [[1, 2], [3, 4]])[0]
    array([1, 2, 0, 3, 4, 0, 0, 0, 0])
    """
    weight = one_channel("weight", weight)
    h, w = check_tuple("input_shape", input_shape, 2, 1)
    stride, padding, dilation, _ = square_params(stride, padding, dilation)
    kh, kw = weight.shape
    oh, ow = spatial_sizes(
        conv_size,
        (h, w),
        (kh, kw),
        TORCH_NAMES,
        s=(stride,) * 2,
        p=(padding,) * 2,
        d=(dilation,) * 2,
    )
    out_y, out_x, tap_y, tap_x = np.meshgrid(
        np.arange(oh), np.arange(ow), np.arange(kh), np.arange(kw), indexing="ij"
    )
    in_y = out_y * stride + tap_y * dilation - padding
    in_x = out_x * stride + tap_x * dilation - padding
    inside = (in_y >= 0) & (in_y < h) & (in_x >= 0) & (in_x < w)
    matrix = np.zeros((oh * ow, h * w), dtype=weight.dtype)
    rows = (out_y * ow + out_x)[inside]
    cols = (in_y * w + in_x)[inside]
    matrix[rows, cols] = weight[tap_y, tap_x][inside]  # (row, col) pairs are distinct
    return matrix
