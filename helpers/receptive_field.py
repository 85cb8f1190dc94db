"""Receptive fields of stacked convolutions, and the holes that dilation can leave.

A stack of stride-1 convolutions sees ``1 + sum((k - 1)*d)`` input cells from one
output cell: growth linear in depth for plain 3x3 layers, exponential when the
dilations double (Yu & Koltun, *Multi-Scale Context Aggregation by Dilated
Convolutions*, ICLR 2016). Repeating one dilation leaves gaps that no path
reaches: the "gridding" problem (Wang et al., *Understanding Convolution for
Semantic Segmentation*, WACV 2018).

Introduced in notebook 03.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from helpers import arithmetic, reference

__all__ = ["input_dependence", "input_dependence_2d", "receptive_field_size"]


def _layers(
    kernel_sizes: Sequence[int], dilations: Sequence[int] | None, strides: Sequence[int] | None
) -> list[tuple[int, int, int]]:
    """Validated ``(k, d, s)`` per layer; missing dilations and strides are 1."""
    if isinstance(kernel_sizes, numbers.Integral) or len(kernel_sizes) == 0:
        raise ValueError(f"kernel_sizes={kernel_sizes!r} is invalid: must be a non-empty list")
    n = len(kernel_sizes)
    dilations = [1] * n if dilations is None else list(dilations)
    strides = [1] * n if strides is None else list(strides)
    for name, values in (("dilations", dilations), ("strides", strides)):
        if len(values) != n:
            raise ValueError(
                f"{name}={values!r} is invalid: must have one entry per layer ({n} layers)"
            )
    for s in strides:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1:
            raise ValueError(f"strides={strides!r} is invalid: every stride must be an int >= 1")
    for k, d in zip(kernel_sizes, dilations, strict=True):
        arithmetic.effective_kernel_size(k, d)  # names k or d when one is out of range
    return [
        (int(k), int(d), int(s)) for k, d, s in zip(kernel_sizes, dilations, strides, strict=True)
    ]


def receptive_field_size(
    kernel_sizes: Sequence[int],
    dilations: Sequence[int] | None = None,
    strides: Sequence[int] | None = None,
) -> int:
    """How many input cells (along one axis) one output cell of a conv stack depends on.

    Parameters
    ----------
    kernel_sizes : sequence of int
        Kernel size of each layer, first layer first.
    dilations : sequence of int, optional
        Dilation of each layer; all 1 by default.
    strides : sequence of int, optional
        Stride of each layer; all 1 by default.

    Returns
    -------
    int
        ``1 + sum_l (effective_kernel_size(k_l, d_l) - 1) * prod_{j<l} s_j``: each
        layer widens the field by its effective kernel minus one, measured in the
        input's cells (hence the product of the earlier strides). The span from
        the first to the last cell, gaps included (see :func:`input_dependence`).

    Raises
    ------
    TypeError, ValueError
        If a list is empty, the lengths differ or an entry is out of range.

    Notes
    -----
    Introduced in notebook 03. Yu & Koltun (2016): 3x3 layers with dilations
    1, 2, 4, ..., 2**(L-1) reach ``2**(L+1) - 1`` cells; plain ones ``2L + 1``.

    Examples
    --------
    >>> receptive_field_size([3, 3, 3, 3])
    9
    >>> receptive_field_size([3, 3, 3, 3], dilations=[1, 2, 4, 8])
    31
    """
    size, jump = 1, 1
    for k, d, s in _layers(kernel_sizes, dilations, strides):
        size += (arithmetic.effective_kernel_size(k, d) - 1) * jump
        jump *= s
    return size


def input_dependence(kernel_sizes: Sequence[int], dilations: Sequence[int] | None = None):
    """Along one axis: through how many paths one output cell reads each input cell.

    Parameters
    ----------
    kernel_sizes : sequence of int
        Kernel size of each stride-1 layer, first layer first.
    dilations : sequence of int, optional
        Dilation of each layer; all 1 by default.

    Returns
    -------
    ndarray of int, shape (receptive_field_size,)
        Entry ``j`` counts the chains of kernel taps, one per layer, that connect
        input cell ``j`` of the receptive field to the output cell. A zero inside
        the field is a cell the output never sees: the gridding caveat. With all
        weights equal to one, this is the gradient of the output with respect to
        the input.

    Notes
    -----
    Introduced in notebook 03. Computed backwards from the output: a one-cell
    impulse goes through each layer's transposed convolution
    (:func:`helpers.reference.conv_transpose1d`) with an all-ones kernel, last
    layer first.

    Examples
    --------
    >>> input_dependence([3, 3], dilations=[2, 2])
    array([1, 0, 2, 0, 3, 0, 2, 0, 1])
    """
    layers = _layers(kernel_sizes, dilations, None)
    paths = np.ones((1, 1))
    for k, d, _ in reversed(layers):
        paths = reference.conv_transpose1d(paths, np.ones((1, 1, k)), dilation=d)
    return np.rint(paths[0]).astype(int)


def input_dependence_2d(kernel_sizes: Sequence[int], dilations: Sequence[int] | None = None):
    """The 2-D version of :func:`input_dependence` for square kernels.

    Parameters
    ----------
    kernel_sizes, dilations : sequence of int
        As for :func:`input_dependence`, the same along both axes.

    Returns
    -------
    ndarray of int, shape (r, r)
        Paths from each input cell of the ``r x r`` receptive field to the centre
        output cell; zeros show the grid of cells that a repeated dilation skips.

    Notes
    -----
    Introduced in notebook 03. With square all-ones kernels it is the outer
    product of the 1-D counts; computed with
    :func:`helpers.reference.conv_transpose2d` all the same.

    Examples
    --------
    >>> input_dependence_2d([3], dilations=[2])
    array([[1, 0, 1, 0, 1],
           [0, 0, 0, 0, 0],
           [1, 0, 1, 0, 1],
           [0, 0, 0, 0, 0],
           [1, 0, 1, 0, 1]])
    """
    layers = _layers(kernel_sizes, dilations, None)
    paths = np.ones((1, 1, 1))
    for k, d, _ in reversed(layers):
        paths = reference.conv_transpose2d(paths, np.ones((1, 1, k, k)), dilation=d)
    return np.rint(paths[0]).astype(int)
