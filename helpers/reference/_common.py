"""What every reference operator shares: the batch axis, dtypes, weights and sizes.

Private: the public operators validate their arguments here, once, under the names
the caller used, then compute. Introduced in notebook 01.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from helpers.validation import ShapeRuleError, as_array

Pair = int | Sequence[int]


def as_batch(x, name: str = "x", spatial_dims: int = 2) -> tuple[np.ndarray, bool]:
    """Return ``x`` as an array with a batch axis, and whether one was added."""
    layout = f"{spatial_dims + 2}-D (batched) or {spatial_dims + 1}-D (unbatched)"
    x = as_array(name, x, (spatial_dims + 1, spatial_dims + 2), layout)
    if x.ndim == spatial_dims + 1:
        return x[np.newaxis], True
    return x, False


def check_weight(weight, n_dims: int = 4) -> np.ndarray:
    """``weight`` as an array of ``n_dims`` axes whose kernel sizes are at least 1."""
    weight = as_array("weight", weight, n_dims)
    if min(weight.shape[2:]) < 1:
        raise ShapeRuleError(
            "weight",
            weight.shape,
            "kernel sizes must be >= 1",
            message=f"weight has shape {weight.shape}: kernel sizes must be >= 1",
        )
    return weight


def check_bias(bias, channels: int) -> np.ndarray | None:
    """``bias`` as an array of shape ``(channels,)``, or None."""
    if bias is None:
        return None
    bias = as_array("bias", bias, 1)
    if bias.shape != (channels,):
        rule = f"must be ({channels},), one per output channel"
        message = f"bias has shape {bias.shape}: {rule}"
        raise ShapeRuleError("bias", bias.shape, rule, message=message)
    return bias


def float_dtype(*arrays: np.ndarray) -> np.dtype:
    """Floating dtype of the result: float32 stays float32, ints become float64."""
    return np.result_type(*arrays, np.float32)


def taps(xp: np.ndarray, kernel, s, d, out_size) -> Iterator[np.ndarray]:
    """For each kernel tap (i, j), the input cell it sees in every window, as a strided view.

    Reducing these ``kH*kW`` views (max, sum) pools every window at once.
    """
    for i in range(kernel[0]):
        rows = slice(i * d[0], i * d[0] + (out_size[0] - 1) * s[0] + 1, s[0])
        for j in range(kernel[1]):
            cols = slice(j * d[1], j * d[1] + (out_size[1] - 1) * s[1] + 1, s[1])
            yield xp[:, :, rows, cols]
