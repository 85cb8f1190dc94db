"""Transposed convolution as an ordinary convolution of a zero-stretched, padded input.

Check 1 of "transposed" in lesson 04: :func:`zero_stretch`,
:func:`stretched_padded_input` and :func:`transposed_conv_as_convolution` (Dumoulin &
Visin 2016, section 4.5; PyTorch's ``ConvTranspose2d`` documentation). Introduced in
notebook 04.
"""

from __future__ import annotations

import numpy as np

from helpers import reference
from helpers.arithmetic import equivalent_padding
from helpers.transposed._common import as_4d, one_channel, square_params, transposed_shape
from helpers.validation import check_int, check_tuple

__all__ = [
    "stretched_padded_input",
    "transposed_conv_as_convolution",
    "zero_stretch",
]


def zero_stretch(x, stride: int):
    """Insert ``stride - 1`` zeros between neighbouring elements of a 2-D array.

    Parameters
    ----------
    x : array_like, shape (H, W)
    stride : int
        ``stride >= 1``; 1 returns a copy.

    Returns
    -------
    ndarray, shape ((H - 1)*stride + 1, (W - 1)*stride + 1)
        ``x[m, n]`` sits at ``(m*stride, n*stride)``; every other cell is zero.

    Notes
    -----
    Introduced in notebook 04: the "fractionally strided" view of Dumoulin &
    Visin (2016), section 4.5.

    Examples
    --------
    >>> zero_stretch([[1, 2], [3, 4]], 2)
    array([[1, 0, 2],
           [0, 0, 0],
           [3, 0, 4]])
    """
    x = one_channel("x", x)
    stride = check_int("stride", stride, 1)
    h, w = x.shape
    stretched = np.zeros(((h - 1) * stride + 1, (w - 1) * stride + 1), dtype=x.dtype)
    stretched[::stride, ::stride] = x
    return stretched


def stretched_padded_input(
    x, kernel_size, stride: int = 1, padding: int = 0, dilation: int = 1, output_padding: int = 0
):
    """Return the input that an *ordinary* convolution turns into the transposed convolution.

    Parameters
    ----------
    x : array_like, shape (H, W)
    kernel_size : int or (int, int)
    stride, padding, dilation, output_padding : int
        The transposed convolution's arguments.

    Returns
    -------
    ndarray
        :func:`zero_stretch` of ``x``, then ``q = dilation*(k - 1) - padding``
        zeros on each side (cropped instead when ``q < 0``) and ``output_padding``
        more at the bottom and right. A convolution of it with the flipped kernel
        (stride 1, same dilation, no padding) has the transposed output size.

    Raises
    ------
    TypeError, ValueError
        For combinations PyTorch refuses (via
        :func:`helpers.arithmetic.conv_transpose_size`).

    Notes
    -----
    Introduced in notebook 04. PyTorch's documentation of ``ConvTranspose2d``:
    "padding ... adds dilation * (kernel_size - 1) - padding amount of zero
    padding to both sizes of the input" (a question and answer about stride 2 and
    padding 1 quotes it); Dumoulin & Visin
    (2016), relationship 14.

    Examples
    --------
    >>> stretched_padded_input([[2, 3]], (1, 3), stride=2)
    array([[0, 0, 2, 0, 3, 0, 0]])
    """
    x = one_channel("x", x)
    kernel_size = check_tuple("kernel_size", kernel_size, 2, 1)
    stride, padding, dilation, output_padding = square_params(
        stride, padding, dilation, output_padding
    )
    transposed_shape(x.shape, kernel_size, stride, padding, dilation, output_padding)
    stretched = zero_stretch(x, stride)
    for axis, k in enumerate(kernel_size):
        q = equivalent_padding(k, padding, dilation)
        stretched = _pad_or_crop(stretched, axis, q, q + output_padding)
    return stretched


def _pad_or_crop(array: np.ndarray, axis: int, before: int, after: int) -> np.ndarray:
    """Add zeros (positive counts) or remove cells (negative counts) at each end of an axis."""
    widths = [(0, 0)] * array.ndim
    widths[axis] = (max(before, 0), max(after, 0))
    array = np.pad(array, widths)
    stop = array.shape[axis] - max(-after, 0)
    return np.take(array, np.arange(max(-before, 0), stop), axis=axis)


def transposed_conv_as_convolution(
    x, weight, stride: int = 1, padding: int = 0, dilation: int = 1, output_padding: int = 0
):
    """Return a transposed convolution computed as an ordinary convolution.

    Parameters
    ----------
    x : array_like, shape (H, W)
    weight : array_like, shape (kH, kW)
    stride, padding, dilation, output_padding : int
        As for :func:`helpers.reference.conv_transpose2d`.

    Returns
    -------
    ndarray, shape (H_out, W_out)
        :func:`helpers.reference.conv2d` (stride 1, no padding, same dilation) of
        :func:`stretched_padded_input` with the kernel flipped in both directions;
        equal to ``conv_transpose2d(x, weight, ...)``.

    Notes
    -----
    Introduced in notebook 04 (check 1 of "transposed", on examples). This is the slow way:
    about ``stride**2`` times more multiplications, most of them by inserted
    zeros, which is why the reference scatters kernel copies instead.

    Examples
    --------
    >>> transposed_conv_as_convolution([[2.0, 3.0]], [[1.0, 2.0, 3.0]], stride=2)
    array([[2., 4., 9., 6., 9.]])
    """
    weight = one_channel("weight", weight)
    stretched = stretched_padded_input(x, weight.shape, stride, padding, dilation, output_padding)
    flipped = weight[::-1, ::-1]
    return reference.conv2d(as_4d(stretched), as_4d(flipped), dilation=dilation)[0, 0]
