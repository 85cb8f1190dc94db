"""1-D convolution and transposed convolution: the 2-D operators with height 1.

Introduced in notebooks 03 and 04.
"""

from __future__ import annotations

import numpy as np

from helpers.reference._common import as_batch, check_weight
from helpers.reference.conv import conv2d
from helpers.reference.transposed import conv_transpose2d
from helpers.validation import check_tuple

__all__ = ["conv1d", "conv_transpose1d"]


def _single(name: str, value, minimum: int) -> int:
    """PyTorch's spellings of a 1-D parameter (``2``, ``(2,)``, ``[2]``) as an int."""
    return check_tuple(name, value, 1, minimum)[0]


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> np.ndarray:
    """1-D convolution, as ``torch.nn.functional.conv1d``; a height-1 :func:`conv2d`.

    Parameters
    ----------
    x : array_like, shape (N, C_in, L) or (C_in, L)
        Input.
    weight : array_like, shape (C_out, C_in / groups, k)
        Kernels.
    bias, stride, padding, dilation, groups
        As for :func:`conv2d`, with ints or 1-tuples (or ``"valid"`` / ``"same"``).

    Returns
    -------
    ndarray, shape (N, C_out, L_out) or (C_out, L_out)
        As :func:`conv2d`, along the one axis.

    Raises
    ------
    TypeError, ValueError
        For the argument combinations PyTorch refuses, naming the argument.

    Notes
    -----
    Introduced in notebook 03 (study notes on dilated convolution:
    ``y[i] = sum_k x[i + r*k] w[k]``).

    Examples
    --------
    >>> conv1d(np.array([[1.0, 2.0, 3.0, 4.0, 5.0]]), np.array([[[1.0, 1.0]]]), dilation=3)
    array([[5., 7.]])
    """
    xb, unbatched = as_batch(x, spatial_dims=1)
    weight = check_weight(weight, 3)
    pad = padding if isinstance(padding, str) else (0, _single("padding", padding, 0))
    out = conv2d(
        xb[:, :, None, :],
        weight[:, :, None, :],
        bias,
        (1, _single("stride", stride, 1)),
        pad,
        (1, _single("dilation", dilation, 1)),
        groups,
    )[:, :, 0, :]
    return out[0] if unbatched else out


def conv_transpose1d(
    x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
) -> np.ndarray:
    """1-D transposed convolution, as ``torch.nn.functional.conv_transpose1d``.

    Parameters
    ----------
    x : array_like, shape (N, C_in, L) or (C_in, L)
        Input.
    weight : array_like, shape (C_in, C_out / groups, k)
        Kernels, input channels first.
    bias, stride, padding, output_padding, groups, dilation
        As for :func:`conv_transpose2d`, with ints or 1-tuples.

    Returns
    -------
    ndarray, shape (N, C_out, L_out) or (C_out, L_out)
        As :func:`conv_transpose2d`, along the one axis.

    Raises
    ------
    TypeError, ValueError
        For the argument combinations PyTorch refuses, naming the argument.

    Notes
    -----
    Introduced in notebook 04.

    Examples
    --------
    >>> conv_transpose1d(np.array([[2.0, 3.0]]), np.array([[[1.0, 2.0, 3.0]]]), stride=2)
    array([[2., 4., 9., 6., 9.]])
    """
    xb, unbatched = as_batch(x, spatial_dims=1)
    weight = check_weight(weight, 3)
    out = conv_transpose2d(
        xb[:, :, None, :],
        weight[:, :, None, :],
        bias,
        (1, _single("stride", stride, 1)),
        (0, _single("padding", padding, 0)),
        (0, _single("output_padding", output_padding, 0)),
        groups,
        (1, _single("dilation", dilation, 1)),
    )[:, :, 0, :]
    return out[0] if unbatched else out
