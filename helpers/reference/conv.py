"""2-D convolution (cross-correlation), as ``torch.nn.functional.conv2d``.

Introduced in notebook 01.
"""

from __future__ import annotations

import numpy as np

from helpers.arithmetic import TORCH_NAMES, conv_size, same_padding, spatial_sizes
from helpers.reference._common import (
    Pair,
    as_batch,
    check_bias,
    check_weight,
    float_dtype,
    taps,
)
from helpers.validation import ShapeRuleError, check_int, check_tuple

__all__ = ["conv2d"]


def conv2d(
    x,
    weight,
    bias=None,
    stride: Pair = 1,
    padding: Pair | str = 0,
    dilation: Pair = 1,
    groups: int = 1,
) -> np.ndarray:
    """2-D convolution (cross-correlation), as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W) or (C_in, H, W)
        Input.
    weight : array_like, shape (C_out, C_in / groups, kH, kW)
        Kernels, PyTorch's layout.
    bias : array_like, shape (C_out,), optional
        Added to every position of each output channel.
    stride, dilation : int or (int, int), default=1
        Step between windows, and spacing between kernel taps.
    padding : int, (int, int), "valid" or "same", default=0
        Zeros added on each side. ``"same"`` pads ``d*(k - 1)`` in total, the
        extra cell after when that is odd; it needs stride 1.
    groups : int, default=1
        Input and output channels split into this many independent groups.

    Returns
    -------
    ndarray, shape (N, C_out, H_out, W_out) or (C_out, H_out, W_out)
        ``out[n, o, y, x] = bias[o] + sum over c, i, j of
        weight[o, c, i, j] * x_pad[n, g*C_in/groups + c, y*s + i*d, x*s + j*d]``,
        with ``H_out`` from :func:`helpers.arithmetic.conv_output_size`.

    Raises
    ------
    TypeError, ValueError
        For the argument combinations PyTorch refuses, naming the argument as
        spelled in the call.

    Notes
    -----
    Introduced in notebook 01. For each of the ``kH*kW`` kernel taps, a strided view
    of the padded input holds the cell that tap sees in every window; stacking the
    views ("im2col") turns the whole convolution into one matrix product per group,
    ``(C_out/groups) x (kH*kW*C_in/groups)`` times ``(kH*kW*C_in/groups) x (H_out*W_out)``.

    Examples
    --------
    >>> conv2d(np.arange(16.0).reshape(1, 4, 4), np.ones((1, 1, 3, 3))).shape
    (1, 2, 2)
    """
    xb, unbatched = as_batch(x)
    weight = check_weight(weight)
    groups = check_int("groups", groups, 1)
    c_out, c_per_group, kh, kw = weight.shape
    _check_channels(xb.shape[1], c_per_group * groups, c_out, groups, weight.shape)
    bias = check_bias(bias, c_out)
    s = check_tuple("stride", stride, 2, 1)
    d = check_tuple("dilation", dilation, 2, 1)
    pad_before, pad_after = _conv_padding(padding, stride, s, d, (kh, kw))
    # Symmetric padding goes through the arithmetic; "same" may be asymmetric.
    extra = (pad_after[0] - pad_before[0], pad_after[1] - pad_before[1])
    out_h, out_w = spatial_sizes(
        conv_size,
        (xb.shape[2] + extra[0], xb.shape[3] + extra[1]),
        (kh, kw),
        TORCH_NAMES,
        s=s,
        p=pad_before,
        d=d,
    )
    dtype = float_dtype(xb, weight) if bias is None else float_dtype(xb, weight, bias)
    xp = np.pad(
        xb.astype(dtype, copy=False),
        ((0, 0), (0, 0), (pad_before[0], pad_after[0]), (pad_before[1], pad_after[1])),
    )
    # im2col: one strided view per kernel tap, stacked, then one matrix product per group
    n, c_out_per_group = xb.shape[0], c_out // groups
    columns = np.empty((n, groups, kh * kw, c_per_group, out_h, out_w), dtype)
    for tap_index, tap in enumerate(taps(xp, (kh, kw), s, d, (out_h, out_w))):
        columns[:, :, tap_index] = tap.reshape(n, groups, c_per_group, out_h, out_w)
    kernels = weight.astype(dtype, copy=False).reshape(groups, c_out_per_group, c_per_group, -1)
    kernels = kernels.transpose(0, 1, 3, 2).reshape(groups, c_out_per_group, -1)
    out = kernels @ columns.reshape(n, groups, kh * kw * c_per_group, out_h * out_w)
    out = out.reshape(n, c_out, out_h, out_w)
    if bias is not None:
        out = out + bias.astype(dtype, copy=False)[:, None, None]
    return out[0] if unbatched else out


def _check_channels(c_in: int, expected: int, c_out: int, groups: int, shape) -> None:
    if c_in != expected:
        rule = (
            f"x has {c_in} channels but weight of shape {tuple(shape)} with groups={groups} "
            f"expects {expected}: input channels must equal weight.shape[1] * groups"
        )
        raise ShapeRuleError("x", c_in, rule, message=rule)
    if c_out % groups:
        rule = f"must divide the {c_out} output channels of weight shape {tuple(shape)}"
        raise ShapeRuleError("groups", groups, rule)


def _conv_padding(padding, stride, s, d, kernel) -> tuple[tuple[int, int], tuple[int, int]]:
    """Return the padding before and after, per axis, for ``conv2d``'s ``padding`` argument."""
    if not isinstance(padding, str):
        p = check_tuple("padding", padding, 2, 0)
        return p, p
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding != "same":
        raise ShapeRuleError("padding", padding, "must be an int, a pair, 'valid' or 'same'")
    if s != (1, 1):
        raise ShapeRuleError(
            "padding", padding, "'same' needs stride 1", where=f"with stride={stride!r}"
        )
    before, after = zip(
        *(same_padding(k, dd) for k, dd in zip(kernel, d, strict=True)),
        strict=True,
    )
    return tuple(before), tuple(after)
