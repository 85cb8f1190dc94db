"""Channel layouts: channels first (PyTorch) and channels last (TensorFlow, APL's ``UP``).

Introduced in notebook 05 (the channels-last pitfall that study notes on transposed
convolution describe).
"""

from __future__ import annotations

import numpy as np

from helpers.validation import ShapeRuleError, as_array

__all__ = [
    "linear_at_every_pixel",
    "to_channels_first",
    "to_channels_last",
]


def to_channels_last(x) -> np.ndarray:
    """``(N, C, H, W)`` to ``(N, H, W, C)`` (or ``(C, H, W)`` to ``(H, W, C)``).

    Parameters
    ----------
    x : array_like, 3-D or 4-D, channels first (PyTorch's layout)

    Returns
    -------
    ndarray
        A view with the channel axis moved to the end (TensorFlow's default
        ``data_format="channels_last"``, and the APL ``UP``'s layout).

    Notes
    -----
    Introduced in notebook 05 (the channels-last pitfall).

    Examples
    --------
    >>> to_channels_last(np.zeros((1, 3, 4, 5))).shape
    (1, 4, 5, 3)
    """
    return np.moveaxis(_image(x), -3, -1)


def to_channels_first(x) -> np.ndarray:
    """``(N, H, W, C)`` to ``(N, C, H, W)`` (or ``(H, W, C)`` to ``(C, H, W)``).

    Parameters
    ----------
    x : array_like, 3-D or 4-D, channels last

    Returns
    -------
    ndarray
        A view with the last axis moved in front of height and width.

    Notes
    -----
    Introduced in notebook 05; the inverse of :func:`to_channels_last`.

    Examples
    --------
    >>> to_channels_first(np.zeros((1, 4, 5, 3))).shape
    (1, 3, 4, 5)
    """
    return np.moveaxis(_image(x), -1, -3)


def _image(x) -> np.ndarray:
    return as_array("x", x, (3, 4), "3-D (one image) or 4-D (a batch)")


def linear_at_every_pixel(x, weight, bias=None) -> np.ndarray:
    """Apply one ``nn.Linear`` to the channel vector of every pixel.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W) or (C_in, H, W)
    weight : array_like, shape (C_out, C_in)
        ``nn.Linear``'s layout.
    bias : array_like, shape (C_out,), optional

    Returns
    -------
    ndarray, shape (N, C_out, H, W) or (C_out, H, W)
        ``out[..., :, y, x] = weight @ x[..., :, y, x] + bias``, which is what a
        1x1 convolution with weight ``weight[:, :, None, None]`` computes.

    Notes
    -----
    Introduced in notebook 05. Channels are moved last so that one matrix
    product handles every pixel at once, then moved back.

    Examples
    --------
    >>> linear_at_every_pixel(np.ones((2, 3, 4)), np.ones((5, 2))).shape
    (5, 3, 4)
    """
    pixels = to_channels_last(x)
    weight = as_array("weight", weight, 2, f"(C_out, {pixels.shape[-1]})")
    if weight.shape[1] != pixels.shape[-1]:
        rule = f"must be (C_out, {pixels.shape[-1]}), one row per output channel"
        message = f"weight has shape {weight.shape}: {rule} over the input channels"
        raise ShapeRuleError("weight", weight.shape, rule, message=message)
    out = pixels @ weight.T
    if bias is not None:
        out = out + np.asarray(bias)
    return to_channels_first(out)
