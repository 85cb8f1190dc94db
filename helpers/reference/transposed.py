"""2-D transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

Computed the way lesson 04 draws it: scatter one scaled kernel copy per input
element into an intermediate buffer, sum, carve. Introduced in notebook 04.
"""

from __future__ import annotations

import numpy as np

from helpers.arithmetic import TORCH_NAMES, conv_transpose_size, spatial_sizes
from helpers.reference._common import (
    Pair,
    as_batch,
    check_bias,
    check_weight,
    float_dtype,
)
from helpers.validation import ShapeRuleError, check_int, check_tuple

__all__ = ["conv_transpose2d", "transposed_buffer"]


def conv_transpose2d(
    x,
    weight,
    bias=None,
    stride: Pair = 1,
    padding: Pair = 0,
    output_padding: Pair = 0,
    groups: int = 1,
    dilation: Pair = 1,
) -> np.ndarray:
    """2-D transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

    Computed the way the lessons draw it: every input element scatters a copy of
    the kernel, scaled by its value, into an intermediate buffer, the copy placed
    ``stride`` cells from its neighbours' copies; the copies are summed; then
    ``padding`` cells are carved off each side (and ``output_padding`` extra cells
    kept at the bottom and right).

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W) or (C_in, H, W)
        Input.
    weight : array_like, shape (C_in, C_out / groups, kH, kW)
        Kernels, PyTorch's transposed layout (input channels first).
    bias : array_like, shape (C_out,), optional
        Added to every position of each output channel.
    stride, dilation : int or (int, int), default=1
        Distance between neighbouring kernel copies, and spacing between taps.
    padding : int or (int, int), default=0
        Cells carved off each side of the full buffer.
    output_padding : int or (int, int), default=0
        Extra cells at the bottom and right; smaller than ``max(stride, dilation)``.
    groups : int, default=1
        Input and output channels split into this many independent groups.

    Returns
    -------
    ndarray, shape (N, C_out, H_out, W_out) or (C_out, H_out, W_out)
        With ``H_out = (H - 1)*s - 2*p + d*(kH - 1) + output_padding + 1``
        (:func:`helpers.arithmetic.conv_transpose_output_size`).

    Raises
    ------
    TypeError, ValueError
        For the argument combinations PyTorch refuses, naming the argument as
        spelled in the call.

    See Also
    --------
    helpers.reference.conv2d : Its adjoint: ``<conv2d(x, w), y> == <x, conv_transpose2d(y, w)>``.

    Notes
    -----
    Introduced in notebook 04. One matrix product forms every scaled copy at once;
    the sum then needs one strided ``+=`` per kernel tap, ``kH*kW`` in all.

    Examples
    --------
    >>> x = np.array([[[80.0, 111.0], [85.0, 105.0]]])
    >>> w = np.array([[[[1.0, -1.0], [-2.0, 2.0]]]])
    >>> conv_transpose2d(x, w)[0]
    array([[  80.,   31., -111.],
           [ -75.,  -42.,  117.],
           [-170.,  -40.,  210.]])
    """
    full = transposed_buffer(x, weight, stride, padding, output_padding, groups, dilation)
    buffer, (pad_h, pad_w), (out_h, out_w) = full
    out = buffer[..., pad_h : pad_h + out_h, pad_w : pad_w + out_w]
    c_out = out.shape[-3]
    bias = check_bias(bias, c_out)
    if bias is not None:
        out = out + bias.astype(out.dtype, copy=False)[:, None, None]
    return np.ascontiguousarray(out)


def transposed_buffer(
    x,
    weight,
    stride: Pair = 1,
    padding: Pair = 0,
    output_padding: Pair = 0,
    groups: int = 1,
    dilation: Pair = 1,
) -> tuple[np.ndarray, tuple[int, int], tuple[int, int]]:
    """Return the intermediate buffer of a transposed convolution, before carving.

    Parameters
    ----------
    x, weight, stride, padding, output_padding, groups, dilation
        As for :func:`conv_transpose2d`.

    Returns
    -------
    buffer : ndarray
        The summed kernel copies, shape ``(..., C_out, B_h, B_w)`` with
        ``B = (H - 1)*s + d*(k - 1) + 1 + output_padding`` (unbatched input gives
        an unbatched buffer).
    padding : (int, int)
        The cells to carve off each side.
    out_size : (int, int)
        The final output size, ``B - 2*padding``.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv_transpose2d`.

    Notes
    -----
    Introduced in notebook 04 (study notes on transposed convolution: "5x5
    intermediate, carved to 3x3").

    Examples
    --------
    >>> buffer, padding, out_size = transposed_buffer(np.ones((1, 2, 2)), np.ones((1, 1, 3, 3)),
    ...                                               stride=2, padding=1)
    >>> buffer.shape, padding, out_size
    ((1, 5, 5), (1, 1), (3, 3))
    """
    xb, unbatched = as_batch(x)
    weight = check_weight(weight)
    groups = check_int("groups", groups, 1)
    c_in, c_out_per_group, kh, kw = weight.shape
    if xb.shape[1] != c_in:
        rule = (
            f"x has {xb.shape[1]} channels but the transposed weight of shape {weight.shape} "
            f"expects {c_in}: input channels must equal weight.shape[0]"
        )
        raise ShapeRuleError("x", xb.shape[1], rule, message=rule)
    if c_in % groups:
        raise ShapeRuleError("groups", groups, f"must divide the {c_in} input channels")
    s = check_tuple("stride", stride, 2, 1)
    p = check_tuple("padding", padding, 2, 0)
    op = check_tuple("output_padding", output_padding, 2, 0)
    d = check_tuple("dilation", dilation, 2, 1)
    out_h, out_w = spatial_sizes(
        conv_transpose_size, xb.shape[2:], (kh, kw), TORCH_NAMES, s=s, p=p, d=d, output_padding=op
    )
    n, _, h, w = xb.shape
    dtype = float_dtype(xb, weight)
    g_in = c_in // groups
    # copies[n, i, j, g*o, y, x] = sum over c of x[n, g, c, y, x] * weight[g, c, o, i, j]:
    # every scaled kernel copy at once, as one matrix product per group
    columns = xb.astype(dtype, copy=False).reshape(n, groups, g_in, h * w).swapaxes(2, 3)
    kernels = weight.astype(dtype, copy=False).reshape(groups, g_in, c_out_per_group * kh * kw)
    copies = (columns @ kernels).reshape(n, groups, h, w, c_out_per_group, kh, kw)
    copies = np.ascontiguousarray(copies.transpose(0, 5, 6, 1, 4, 2, 3))
    copies = copies.reshape(n, kh, kw, groups * c_out_per_group, h, w)
    buffer = np.zeros((n, groups * c_out_per_group, out_h + 2 * p[0], out_w + 2 * p[1]), dtype)
    for i in range(kh):  # one strided add per kernel tap: all input positions at once
        for j in range(kw):
            rows = slice(i * d[0], i * d[0] + (h - 1) * s[0] + 1, s[0])
            cols = slice(j * d[1], j * d[1] + (w - 1) * s[1] + 1, s[1])
            buffer[:, :, rows, cols] += copies[:, i, j]
    return (buffer[0] if unbatched else buffer), p, (out_h, out_w)
