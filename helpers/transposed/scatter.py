"""The scatter view: each input element scatters a scaled kernel copy.

:func:`kernel_copies` gives the copies (the sources of lesson 04 draw them by hand) and
:func:`output_cell_terms` the products that sum into one output cell (why
``ConvTranspose2d(1, 1, 4, 2, 1)`` with weights 1..16 on ones gives ``out[0, 0] = 6`` and
``out[0, 1] = 12``). Introduced in notebook 04.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from helpers import reference
from helpers.transposed._common import as_4d, one_channel, square_params, transposed_shape
from helpers.validation import ShapeRuleError, check_int

__all__ = [
    "Term",
    "kernel_copies",
    "output_cell_terms",
]


class Term(NamedTuple):
    """One product ``input_value * kernel_value`` that lands in an output cell."""

    input_index: tuple[int, int]
    kernel_index: tuple[int, int]
    input_value: float
    kernel_value: float


def kernel_copies(
    x, weight, stride: int = 1, padding: int = 0, dilation: int = 1, output_padding: int = 0
) -> tuple[np.ndarray, tuple[int, int], tuple[int, int]]:
    """Return the scaled kernel copy each input element scatters into the buffer.

    Parameters
    ----------
    x : array_like, shape (H, W)
        One-channel input.
    weight : array_like, shape (kH, kW)
        One-channel kernel.
    stride, padding, dilation, output_padding : int
        As for :func:`helpers.reference.conv_transpose2d`.

    Returns
    -------
    copies : ndarray, shape (H, W, B_h, B_w)
        ``copies[m, n]`` is the full intermediate buffer holding only
        ``x[m, n] * weight``, its top-left tap at ``(m*stride, n*stride)``;
        ``B = (H - 1)*stride + dilation*(k - 1) + 1 + output_padding``.
        Summed over ``m, n`` they give :func:`helpers.reference.transposed_buffer`.
    padding : (int, int)
        The cells to carve off each side of the buffer.
    out_size : (int, int)
        The final output size.

    Raises
    ------
    TypeError, ValueError
        For arguments PyTorch refuses (see :func:`helpers.reference.transposed_buffer`).

    Notes
    -----
    Introduced in notebook 04 (a blog post's four coloured copies, a question and
    answer's buffers at stride 1 and 2, padding 0 and 1). Each copy is
    :func:`helpers.reference.transposed_buffer` of the input with every other
    element zeroed: one batched call, ``H*W`` images.

    Examples
    --------
    >>> copies, _, _ = kernel_copies([[80, 111], [85, 105]], [[1, -1], [-2, 2]])
    >>> copies.shape
    (2, 2, 3, 3)
    >>> copies[0, 1]
    array([[   0.,  111., -111.],
           [   0., -222.,  222.],
           [   0.,    0.,    0.]])
    """
    x = one_channel("x", x)
    weight = one_channel("weight", weight)
    h, w = x.shape
    # one image per input element: the input with every other element zeroed
    one_hot = np.eye(h * w, dtype=x.dtype).reshape(h * w, 1, h, w) * x
    buffers, pad, out_size = reference.transposed_buffer(
        one_hot, as_4d(weight), stride, padding, output_padding, 1, dilation
    )
    return buffers.reshape(h, w, *buffers.shape[-2:]), pad, out_size


def output_cell_terms(
    x,
    weight,
    row: int,
    col: int,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    output_padding: int = 0,
) -> list[Term]:
    """Return the products that sum into output cell ``(row, col)`` of a transposed convolution.

    Parameters
    ----------
    x : array_like, shape (H, W)
    weight : array_like, shape (kH, kW)
    row, col : int
        Output cell, counted in the carved (final) output.
    stride, padding, dilation, output_padding : int
        As for :func:`helpers.reference.conv_transpose2d`.

    Returns
    -------
    list of Term
        One entry per kernel copy covering the cell: input element ``(m, n)`` and
        kernel tap ``(a, b)`` with ``m*stride + a*dilation = row + padding`` (and
        the same for columns), ordered by input element. Their products sum to the
        output value; an empty list means no copy reaches the cell (it is 0).

    Raises
    ------
    TypeError, ValueError
        For arguments PyTorch refuses, or if ``(row, col)`` is outside the output.

    Notes
    -----
    Introduced in notebook 04, for a question about ``ConvTranspose2d`` with stride
    2 and padding 1: "how are the 6 in (0, 0) and the 12 in (0, 1) computed?".

    Examples
    --------
    >>> w = np.arange(1.0, 17.0).reshape(4, 4)
    >>> [t.kernel_value for t in output_cell_terms(np.ones((4, 4)), w, 0, 1, 2, 1)]
    [7.0, 5.0]
    """
    x = one_channel("x", x)
    weight = one_channel("weight", weight)
    stride, padding, dilation, output_padding = square_params(
        stride, padding, dilation, output_padding
    )
    out_shape = transposed_shape(x.shape, weight.shape, stride, padding, dilation, output_padding)
    for name, value, size in (("row", row, out_shape[0]), ("col", col, out_shape[1])):
        if not 0 <= check_int(name, value, 0) < size:
            raise ShapeRuleError(name, value, f"the output has {size} {name}s")
    # tap a of copy m lands on buffer cell m*stride + a*dilation; solve for m per tap
    taps = np.argwhere(np.ones(weight.shape, dtype=bool))
    offset = np.array([row, col]) + padding - taps * dilation
    sources = offset // stride
    hits = np.all((offset % stride == 0) & (sources >= 0) & (sources < x.shape), axis=1)
    terms = [
        Term(tuple(map(int, m)), tuple(map(int, a)), x[tuple(m)].item(), weight[tuple(a)].item())
        for m, a in zip(sources[hits], taps[hits], strict=True)
    ]
    return sorted(terms)
