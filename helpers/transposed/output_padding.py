"""Choosing ``output_padding``: the paper's ``a`` and TensorFlow's ``"same"``.

Introduced in notebook 04 (Dumoulin & Visin 2016, relationship 14; TensorFlow's "same",
as the study notes on transposed convolution state it).
"""

from __future__ import annotations

import math

from helpers.arithmetic import conv_output_size, conv_transpose_size
from helpers.validation import ShapeRuleError, check_int

__all__ = [
    "matching_output_padding",
    "same_transposed_padding",
]


def matching_output_padding(i: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """Return the ``output_padding`` that takes a convolution's output size back to ``i``.

    Parameters
    ----------
    i : int
        Input size of the forward convolution.
    k, s, p, d : int
        Its kernel size, stride, padding and dilation.

    Returns
    -------
    int
        ``a = (i + 2*p - d*(k - 1) - 1) mod s``, the remainder that the floor of
        :func:`helpers.arithmetic.conv_output_size` dropped, so that
        ``conv_transpose_output_size(conv_output_size(i, ...), ..., output_padding=a)
        == i``: how far ``i`` lies above the smallest input size that gives the
        same output (see :func:`helpers.arithmetic.conv_input_sizes`), always ``< s``.

    Notes
    -----
    Introduced in notebook 04: the paper's ``a`` (Dumoulin & Visin 2016,
    relationship 14), the cells the floor of lesson 01 hid.

    Examples
    --------
    >>> matching_output_padding(5, 3, s=2, p=1), matching_output_padding(6, 3, s=2, p=1)
    (0, 1)
    """
    o = conv_output_size(i, k, s, p, d)  # validates, and the kernel must fit
    # the cells the floor dropped: how far i lies above the smallest input that gives o,
    # which is the transposed convolution's size without output_padding
    return i - conv_transpose_size(o, k, s, p, d).raw


def same_transposed_padding(k: int, s: int = 1, d: int = 1) -> tuple[int, int]:
    """PyTorch's ``(padding, output_padding)`` that give TensorFlow's ``"same"``: ``o = s*i``.

    Parameters
    ----------
    k : int
        Kernel size.
    s : int, default=1
        Stride.
    d : int, default=1
        Dilation.

    Returns
    -------
    (int, int)
        The smallest ``padding`` and its ``output_padding`` with
        ``2*padding - output_padding = d*(k - 1) + 1 - s``, so that
        :func:`helpers.arithmetic.conv_transpose_output_size` gives ``s*i`` for
        every ``i``.

    Raises
    ------
    ValueError
        When PyTorch's symmetric padding cannot do it: ``s = d = 1`` with an even
        kernel needs ``output_padding = 1``, which PyTorch refuses (TensorFlow pads
        the two sides unequally instead).

    Notes
    -----
    Introduced in notebook 04 (the study notes: "'same' would yield output_size =
    stride * input_size"). Arithmetic only; no TensorFlow involved.

    Examples
    --------
    >>> same_transposed_padding(3, s=2)
    (1, 1)
    >>> same_transposed_padding(4, s=2)
    (1, 0)
    """
    k, s, d = check_int("k", k, 1), check_int("s", s, 1), check_int("d", d, 1)
    # o = s*i for every i needs 2*padding - output_padding = (the size from i = 1) - s
    excess = conv_transpose_size(1, k, s, 0, d).raw - s
    padding = max(0, math.ceil(excess / 2))
    output_padding = 2 * padding - excess
    if output_padding >= max(s, d):
        rule = (
            "must be smaller than either the stride or the dilation "
            "(TensorFlow pads unequally instead)"
        )
        message = (
            f"k={k}, s={s}, d={d}: 'same' needs output_padding={output_padding}, but it {rule}"
        )
        raise ShapeRuleError("output_padding", output_padding, rule, message=message)
    return padding, output_padding
