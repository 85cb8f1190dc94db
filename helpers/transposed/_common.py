"""What the one-channel helpers of lesson 04 share: 2-D arrays in, ``(1, 1, H, W)`` out.

Private. Introduced in notebook 04.
"""

from __future__ import annotations

import numpy as np

from helpers.arithmetic import TORCH_NAMES, conv_transpose_size, spatial_sizes
from helpers.validation import ShapeRuleError, as_array, check_int


def one_channel(name: str, value) -> np.ndarray:
    """``value`` as a non-empty numeric 2-D array (one channel)."""
    array = as_array(name, value, 2, "a non-empty 2-D array")
    if min(array.shape) < 1:
        rule = "must be a non-empty 2-D array"
        raise ShapeRuleError(
            name, array.shape, rule, message=f"{name} has shape {array.shape}: {rule}"
        )
    return array


def as_4d(array: np.ndarray) -> np.ndarray:
    """Return a single-channel 2-D array as PyTorch's ``(1, 1, H, W)``."""
    return array[np.newaxis, np.newaxis]


def square_params(stride, padding, dilation, output_padding=0) -> tuple[int, int, int, int]:
    """Return the int parameters of a one-channel helper, checked under their names."""
    return (
        check_int("stride", stride, 1),
        check_int("padding", padding, 0),
        check_int("dilation", dilation, 1),
        check_int("output_padding", output_padding, 0),
    )


def transposed_shape(x_shape, kernel_shape, s: int, p: int, d: int, op: int) -> tuple[int, int]:
    """Output height and width of a transposed convolution, from :mod:`helpers.arithmetic`."""
    return spatial_sizes(
        conv_transpose_size,
        x_shape,
        kernel_shape,
        TORCH_NAMES,
        s=(s, s),
        p=(p, p),
        d=(d, d),
        output_padding=(op, op),
    )
