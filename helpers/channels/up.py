"""The APL ``UP``: a transposed convolution with kernel = stride as one tensor product.

Aaron Hsu's APL ``UP ← {((2×¯1↓⍴⍵),¯1↑⍴⍺)⍴0 2 1 3 4⍉⍵+.×⍺}``. Introduced in notebook 05.
"""

from __future__ import annotations

import numpy as np

from helpers.validation import ShapeRuleError, as_array

__all__ = [
    "to_up_layout",
    "upsample_tensordot",
]


def to_up_layout(weight) -> np.ndarray:
    """Reorder a ``ConvTranspose2d`` weight into the layout :func:`upsample_tensordot` uses.

    Parameters
    ----------
    weight : array_like, shape (C_in, C_out, kH, kW)
        PyTorch's transposed layout (``groups=1``).

    Returns
    -------
    ndarray, shape (C_in, kH, kW, C_out)
        The same numbers, the output-channel axis moved last: APL's ``ic k k oc``.

    Notes
    -----
    Introduced in notebook 05.

    Examples
    --------
    >>> to_up_layout(np.zeros((3, 5, 2, 2))).shape
    (3, 2, 2, 5)
    """
    weight = as_array("weight", weight, 4, "4-D (C_in, C_out, kH, kW)")
    return weight.transpose(0, 2, 3, 1)


def upsample_tensordot(x, kernel) -> np.ndarray:
    """Transposed convolution with kernel = stride, as one tensor product and a reshape.

    Aaron Hsu's APL ``UP ← {((2×¯1↓⍴⍵),¯1↑⍴⍺)⍴0 2 1 3 4⍉⍵+.×⍺}``, quoted in a blog
    post on multi-channel transposed convolution, for any kernel size ``k`` (the APL
    hard-codes 2).

    Parameters
    ----------
    x : array_like, shape (H, W, C_in)
        Channels-last input (APL's ``⍵``).
    kernel : array_like, shape (C_in, k, k, C_out)
        APL's ``⍺``: for every input channel, a ``k x k`` block of ``C_out``-vectors.
        :func:`to_up_layout` converts PyTorch's ``(C_in, C_out, k, k)`` to it.

    Returns
    -------
    ndarray, shape (k*H, k*W, C_out)
        Channels last. Equal to ``ConvTranspose2d(C_in, C_out, k, stride=k,
        bias=False)`` after :func:`to_channels_first`.

    Notes
    -----
    Introduced in notebook 05. The three APL steps, one NumPy call each:

    1. ``⍵+.×⍺`` is ``np.tensordot(x, kernel, axes=1)``, shape ``(H, W, k, k, C_out)``:
       every pixel's channel vector times the kernel, i.e. the ``k x k`` output
       block of that pixel (``einsum("yxc,cijo->yxijo", x, kernel)``).
    2. ``0 2 1 3 4⍉`` swaps the axes 1 and 2 into ``(H, k, W, k, C_out)``, so that
       block row ``i`` of input row ``y`` comes right after those of row ``y``.
    3. ``⍴`` reshapes to ``(k*H, k*W, C_out)``: output pixel ``(k*y + i, k*x + j)``
       holds ``sum_c x[y, x, c] * kernel[c, i, j, :]``.

    Because the stride equals the kernel size the ``k x k`` copies tile the
    output without overlapping, so nothing needs adding up: the layer is a
    per-pixel linear map ``C_in -> k*k*C_out`` followed by a rearrangement.

    Examples
    --------
    >>> upsample_tensordot(np.ones((13, 17, 3)), np.ones((3, 2, 2, 5))).shape
    (26, 34, 5)
    """
    x = as_array("x", x, 3, "(H, W, C_in), channels last")
    kernel = np.asarray(kernel)
    if kernel.ndim != 4 or kernel.shape[1] != kernel.shape[2] or kernel.shape[0] != x.shape[2]:
        rule = f"must be (C_in={x.shape[2]}, k, k, C_out), a square kernel for every input channel"
        message = f"kernel has shape {kernel.shape}: {rule}"
        raise ShapeRuleError("kernel", kernel.shape, rule, message=message)
    h, w, _ = x.shape
    _, k, _, c_out = kernel.shape
    blocks = np.tensordot(x, kernel, axes=1)  # (H, W, k, k, C_out)
    return blocks.transpose(0, 2, 1, 3, 4).reshape(k * h, k * w, c_out)
