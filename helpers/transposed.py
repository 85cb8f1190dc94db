"""Transposed convolution taken apart: the pieces that lesson 04 draws and proves.

:func:`helpers.reference.conv_transpose2d` computes a transposed convolution; this
module exposes the steps behind it, one picture or one proof each, for a single
channel (2-D arrays in, 2-D arrays out):

- :func:`kernel_copies` -- the scaled kernel copy that each input element scatters
  into the intermediate buffer (seeds 000, 003 and 004 draw these);
- :func:`output_cell_terms` -- which input elements and kernel taps sum into one
  output cell (seed 004: why ``out[0, 0] = 6`` and ``out[0, 1] = 12``);
- :func:`conv_matrix` -- the sparse matrix ``C`` of a small convolution, so that
  ``conv = C @ x`` and ``transposed conv = C.T @ y`` (proof 1);
- :func:`zero_stretch`, :func:`stretched_padded_input` and
  :func:`transposed_conv_as_convolution` -- transposed convolution as an ordinary
  convolution of the zero-stretched, ``d(k - 1) - p``-padded input with the flipped
  kernel (proof 2);
- :func:`matching_output_padding` and :func:`same_transposed_padding` -- the
  ``output_padding`` arithmetic (the paper's ``a``, TensorFlow's ``"same"``);
- :func:`overlap_counts`, :func:`overlap_counts_2d`, :func:`overlap_pattern`,
  :func:`nearest_upsample` and :func:`resize_convolution` -- checkerboard artifacts
  and their cure (Odena, Dumoulin & Olah, *Deconvolution and Checkerboard
  Artifacts*, Distill 2016).

Every computation calls :mod:`helpers.reference` or :mod:`helpers.arithmetic`
rather than re-deriving them. Introduced in notebook 04.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from helpers import arithmetic, reference
from helpers.arithmetic import check_int

__all__ = [
    "Term",
    "conv_matrix",
    "kernel_copies",
    "matching_output_padding",
    "nearest_upsample",
    "output_cell_terms",
    "overlap_counts",
    "overlap_counts_2d",
    "overlap_pattern",
    "resize_convolution",
    "same_transposed_padding",
    "stretched_padded_input",
    "transposed_conv_as_convolution",
    "zero_stretch",
]


class Term(NamedTuple):
    """One product ``input_value * kernel_value`` that lands in an output cell."""

    input_index: tuple[int, int]
    kernel_index: tuple[int, int]
    input_value: float
    kernel_value: float


# --------------------------------------------------------------------------- validation
def _matrix(name: str, value) -> np.ndarray:
    """``value`` as a non-empty numeric 2-D array (one channel)."""
    array = np.asarray(value)
    if not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} has dtype {array.dtype}: must be numeric")
    if array.ndim != 2 or min(array.shape) < 1:
        raise ValueError(f"{name} has shape {array.shape}: must be a non-empty 2-D array")
    return array


def _as_4d(array: np.ndarray) -> np.ndarray:
    """A single-channel 2-D array as PyTorch's ``(1, 1, H, W)``."""
    return array[np.newaxis, np.newaxis]


# --------------------------------------------------------------------------- the scatter view
def kernel_copies(
    x, weight, stride: int = 1, padding: int = 0, dilation: int = 1, output_padding: int = 0
) -> tuple[np.ndarray, tuple[int, int], tuple[int, int]]:
    """The scaled kernel copy each input element scatters into the buffer.

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
    Introduced in notebook 04 (seed 000's four coloured copies, seed 004's
    buffers). Each copy is :func:`helpers.reference.transposed_buffer` of the
    input with every other element zeroed: one batched call, ``H*W`` images.

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
    x = _matrix("x", x)
    weight = _matrix("weight", weight)
    h, w = x.shape
    # one image per input element: the input with every other element zeroed
    one_hot = np.eye(h * w, dtype=x.dtype).reshape(h * w, 1, h, w) * x
    buffers, pad, out_size = reference.transposed_buffer(
        one_hot, _as_4d(weight), stride, padding, output_padding, 1, dilation
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
    """The products that sum into output cell ``(row, col)`` of a transposed convolution.

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
    ValueError
        If ``(row, col)`` is outside the output.

    Notes
    -----
    Introduced in notebook 04, for seed 004's question "how are the 6 in (0, 0)
    and the 12 in (0, 1) computed?".

    Examples
    --------
    >>> w = np.arange(1.0, 17.0).reshape(4, 4)
    >>> [t.kernel_value for t in output_cell_terms(np.ones((4, 4)), w, 0, 1, 2, 1)]
    [7.0, 5.0]
    """
    x = _matrix("x", x)
    weight = _matrix("weight", weight)
    stride, padding, dilation = (
        check_int("stride", stride, 1),
        check_int("padding", padding, 0),
        check_int("dilation", dilation, 1),
    )
    out_shape = [
        arithmetic.conv_transpose_output_size(n, k, stride, padding, dilation, output_padding)
        for n, k in zip(x.shape, weight.shape, strict=True)
    ]
    for name, value, size in (("row", row, out_shape[0]), ("col", col, out_shape[1])):
        if not 0 <= check_int(name, value, 0) < size:
            raise ValueError(f"{name}={value} is invalid: the output has {size} {name}s")
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


# --------------------------------------------------------------------------- proof 1: C and C.T
def conv_matrix(input_shape, weight, stride: int = 1, padding: int = 0, dilation: int = 1):
    """The matrix ``C`` of a one-channel convolution: ``conv2d(x).ravel() == C @ x.ravel()``.

    Parameters
    ----------
    input_shape : int or (int, int)
        Input size ``(H, W)``; an int means a square input.
    weight : array_like, shape (kH, kW)
        The kernel.
    stride, padding, dilation : int
        As for :func:`helpers.reference.conv2d`.

    Returns
    -------
    ndarray, shape (H_out * W_out, H * W)
        Row ``r`` holds the kernel taps at the input positions (row-major) that
        output cell ``r`` reads; taps that fall on the zero padding are dropped.
        Mostly zeros: each row has at most ``kH*kW`` non-zero entries.

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range or the kernel does not fit.

    See Also
    --------
    helpers.reference.conv_transpose2d : Multiplies by ``C.T``.

    Notes
    -----
    Introduced in notebook 04: Dumoulin & Visin (2016), section 4.1, build this
    matrix for a 3x3 kernel on a 4x4 input; the transposed convolution is the
    product with its transpose, hence the name. Built from index arithmetic, not
    from a convolution routine, so that checking it against PyTorch proves
    something.

    Examples
    --------
    >>> conv_matrix(3, [[1, 2], [3, 4]]).shape
    (4, 9)
    >>> conv_matrix(3, [[1, 2], [3, 4]])[0]
    array([1, 2, 0, 3, 4, 0, 0, 0, 0])
    """
    weight = _matrix("weight", weight)
    if isinstance(input_shape, numbers.Integral):
        input_shape = (input_shape, input_shape)
    h, w = (check_int("input_shape", n, 1) for n in input_shape)
    stride, padding, dilation = (
        check_int("stride", stride, 1),
        check_int("padding", padding, 0),
        check_int("dilation", dilation, 1),
    )
    kh, kw = weight.shape
    oh = arithmetic.conv_output_size(h, kh, stride, padding, dilation)
    ow = arithmetic.conv_output_size(w, kw, stride, padding, dilation)
    out_y, out_x, tap_y, tap_x = np.meshgrid(
        np.arange(oh), np.arange(ow), np.arange(kh), np.arange(kw), indexing="ij"
    )
    in_y = out_y * stride + tap_y * dilation - padding
    in_x = out_x * stride + tap_x * dilation - padding
    inside = (in_y >= 0) & (in_y < h) & (in_x >= 0) & (in_x < w)
    matrix = np.zeros((oh * ow, h * w), dtype=weight.dtype)
    rows = (out_y * ow + out_x)[inside]
    cols = (in_y * w + in_x)[inside]
    matrix[rows, cols] = weight[tap_y, tap_x][inside]  # (row, col) pairs are distinct
    return matrix


# --------------------------------------------------------------------------- proof 2: stretch
def zero_stretch(x, stride: int):
    """Insert ``stride - 1`` zeros between neighbouring elements of a 2-D array.

    Parameters
    ----------
    x : array_like, shape (H, W)
    stride : int
        ``stride >= 1``; 1 returns a copy.

    Returns
    -------
    ndarray, shape ((H - 1)*stride + 1, (W - 1)*stride + 1)
        ``x[m, n]`` sits at ``(m*stride, n*stride)``; every other cell is zero.

    Notes
    -----
    Introduced in notebook 04: the "fractionally strided" view of Dumoulin &
    Visin (2016), section 4.5.

    Examples
    --------
    >>> zero_stretch([[1, 2], [3, 4]], 2)
    array([[1, 0, 2],
           [0, 0, 0],
           [3, 0, 4]])
    """
    x = _matrix("x", x)
    stride = check_int("stride", stride, 1)
    h, w = x.shape
    stretched = np.zeros(((h - 1) * stride + 1, (w - 1) * stride + 1), dtype=x.dtype)
    stretched[::stride, ::stride] = x
    return stretched


def stretched_padded_input(
    x, kernel_size, stride: int = 1, padding: int = 0, dilation: int = 1, output_padding: int = 0
):
    """The input that an *ordinary* convolution turns into the transposed convolution.

    Parameters
    ----------
    x : array_like, shape (H, W)
    kernel_size : int or (int, int)
    stride, padding, dilation, output_padding : int
        The transposed convolution's arguments.

    Returns
    -------
    ndarray
        :func:`zero_stretch` of ``x``, then ``q = dilation*(k - 1) - padding``
        zeros on each side (cropped instead when ``q < 0``) and ``output_padding``
        more at the bottom and right. A convolution of it with the flipped kernel
        (stride 1, same dilation, no padding) has the transposed output size.

    Raises
    ------
    TypeError, ValueError
        For combinations PyTorch refuses (via
        :func:`helpers.arithmetic.conv_transpose_output_size`).

    Notes
    -----
    Introduced in notebook 04. PyTorch's documentation of ``ConvTranspose2d``:
    "padding ... adds dilation * (kernel_size - 1) - padding amount of zero
    padding to both sizes of the input" (seed 004 quotes it); Dumoulin & Visin
    (2016), relationship 14.

    Examples
    --------
    >>> stretched_padded_input([[2, 3]], (1, 3), stride=2)
    array([[0, 0, 2, 0, 3, 0, 0]])
    """
    x = _matrix("x", x)
    if isinstance(kernel_size, numbers.Integral):
        kernel_size = (kernel_size, kernel_size)
    for n, k in zip(x.shape, kernel_size, strict=True):  # validates every argument
        arithmetic.conv_transpose_output_size(n, k, stride, padding, dilation, output_padding)
    stretched = zero_stretch(x, stride)
    for axis, k in enumerate(kernel_size):
        q = dilation * (k - 1) - padding
        stretched = _pad_or_crop(stretched, axis, q, q + output_padding)
    return stretched


def _pad_or_crop(array: np.ndarray, axis: int, before: int, after: int) -> np.ndarray:
    """Add zeros (positive counts) or remove cells (negative counts) at each end of an axis."""
    widths = [(0, 0)] * array.ndim
    widths[axis] = (max(before, 0), max(after, 0))
    array = np.pad(array, widths)
    stop = array.shape[axis] - max(-after, 0)
    return np.take(array, np.arange(max(-before, 0), stop), axis=axis)


def transposed_conv_as_convolution(
    x, weight, stride: int = 1, padding: int = 0, dilation: int = 1, output_padding: int = 0
):
    """A transposed convolution computed as an ordinary convolution.

    Parameters
    ----------
    x : array_like, shape (H, W)
    weight : array_like, shape (kH, kW)
    stride, padding, dilation, output_padding : int
        As for :func:`helpers.reference.conv_transpose2d`.

    Returns
    -------
    ndarray, shape (H_out, W_out)
        :func:`helpers.reference.conv2d` (stride 1, no padding, same dilation) of
        :func:`stretched_padded_input` with the kernel flipped in both directions;
        equal to ``conv_transpose2d(x, weight, ...)``.

    Notes
    -----
    Introduced in notebook 04 (proof 2 of "transposed"). This is the slow way:
    about ``stride**2`` times more multiplications, most of them by inserted
    zeros, which is why the reference scatters kernel copies instead.

    Examples
    --------
    >>> transposed_conv_as_convolution([[2.0, 3.0]], [[1.0, 2.0, 3.0]], stride=2)
    array([[2., 4., 9., 6., 9.]])
    """
    weight = _matrix("weight", weight)
    stretched = stretched_padded_input(x, weight.shape, stride, padding, dilation, output_padding)
    flipped = weight[::-1, ::-1]
    return reference.conv2d(_as_4d(stretched), _as_4d(flipped), dilation=dilation)[0, 0]


# --------------------------------------------------------------------------- output_padding
def matching_output_padding(i: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """The ``output_padding`` that takes a convolution's output size back to ``i``.

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
    arithmetic.conv_output_size(i, k, s, p, d)  # validates, and the kernel must fit
    # the cells the floor dropped: the remainder of the division in conv_output_size
    return (i + 2 * p - d * (k - 1) - 1) % s


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
    Introduced in notebook 04 (seed 003: "'same' would yield output_size =
    stride * input_size"). Arithmetic only; no TensorFlow involved.

    Examples
    --------
    >>> same_transposed_padding(3, s=2)
    (1, 1)
    >>> same_transposed_padding(4, s=2)
    (1, 0)
    """
    k, s, d = check_int("k", k, 1), check_int("s", s, 1), check_int("d", d, 1)
    excess = d * (k - 1) + 1 - s  # what 2*padding - output_padding must equal
    padding = max(0, math.ceil(excess / 2))
    output_padding = 2 * padding - excess
    if output_padding >= max(s, d):
        raise ValueError(
            f"k={k}, s={s}, d={d}: 'same' needs output_padding={output_padding}, but it must be "
            f"smaller than either the stride or the dilation (TensorFlow pads unequally instead)"
        )
    return padding, output_padding


# --------------------------------------------------------------------------- checkerboard
def overlap_counts(
    i: int, k: int, s: int = 1, p: int = 0, d: int = 1, output_padding: int = 0
) -> np.ndarray:
    """How many kernel copies cover each output cell of a 1-D transposed convolution.

    Parameters
    ----------
    i, k, s, p, d, output_padding : int
        Input size, kernel size, stride, padding, dilation, output padding.

    Returns
    -------
    ndarray of int, shape (o,)
        The transposed convolution of an all-ones input with an all-ones kernel;
        ``o`` from :func:`helpers.arithmetic.conv_transpose_output_size`. Uneven
        counts in the interior are the checkerboard pattern.

    Notes
    -----
    Introduced in notebook 04 after Odena, Dumoulin & Olah, "Deconvolution and
    Checkerboard Artifacts", Distill (2016).

    Examples
    --------
    >>> overlap_counts(4, 3, s=2)
    array([1, 1, 2, 1, 2, 1, 2, 1, 1])
    >>> overlap_counts(4, 4, s=2)
    array([1, 1, 2, 2, 2, 2, 2, 2, 1, 1])
    """
    arithmetic.conv_transpose_output_size(i, k, s, p, d, output_padding)
    counts = reference.conv_transpose1d(
        np.ones((1, i)), np.ones((1, 1, k)), None, s, p, output_padding, 1, d
    )[0]
    return np.rint(counts).astype(int)


def overlap_counts_2d(
    i: int, k: int, s: int = 1, p: int = 0, d: int = 1, output_padding: int = 0
) -> np.ndarray:
    """The 2-D overlap count map of a square transposed convolution.

    Parameters
    ----------
    i, k, s, p, d, output_padding : int
        As for :func:`overlap_counts`, the same along both axes.

    Returns
    -------
    ndarray of int, shape (o, o)
        The transposed convolution of ``ones((i, i))`` with ``ones((k, k))``: the
        outer product of the 1-D counts, so uneven counts become a checkerboard.

    Notes
    -----
    Introduced in notebook 04 (Odena, Dumoulin & Olah, Distill 2016).

    Examples
    --------
    >>> overlap_counts_2d(2, 3, s=2)
    array([[1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1],
           [2, 2, 4, 2, 2],
           [1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1]])
    """
    arithmetic.conv_transpose_output_size(i, k, s, p, d, output_padding)
    counts = reference.conv_transpose2d(
        np.ones((1, i, i)), np.ones((1, 1, k, k)), None, s, p, output_padding, 1, d
    )[0]
    return np.rint(counts).astype(int)


def overlap_pattern(k: int, s: int, d: int = 1) -> np.ndarray:
    """The repeating overlap counts far from the edges, one stride period long.

    Parameters
    ----------
    k : int
        Kernel size.
    s : int
        Stride.
    d : int, default=1
        Dilation.

    Returns
    -------
    ndarray of int, shape (s,)
        Entry ``r`` counts the kernel taps ``j`` with ``j*d = r (mod s)``: how many
        copies cover an interior cell at position ``r`` within its period. All
        equal (no checkerboard) exactly when the taps spread evenly over the
        residues, e.g. when ``s`` divides ``k`` at ``d = 1``.

    Notes
    -----
    Introduced in notebook 04 (Odena, Dumoulin & Olah, Distill 2016: "the kernel
    size is divisible by the stride").

    Examples
    --------
    >>> overlap_pattern(3, 2)
    array([2, 1])
    >>> overlap_pattern(4, 2)
    array([2, 2])
    """
    k, s, d = check_int("k", k, 1), check_int("s", s, 1), check_int("d", d, 1)
    return np.bincount(np.arange(k) * d % s, minlength=s)


def nearest_upsample(x, scale: int):
    """Repeat every element of a 2-D array ``scale`` times along both axes.

    Parameters
    ----------
    x : array_like, shape (H, W)
    scale : int
        ``scale >= 1``.

    Returns
    -------
    ndarray, shape (H*scale, W*scale)
        As ``torch.nn.functional.interpolate(mode="nearest", scale_factor=scale)``.

    Notes
    -----
    Introduced in notebook 04.

    Examples
    --------
    >>> nearest_upsample([[1, 2]], 2)
    array([[1, 1, 2, 2],
           [1, 1, 2, 2]])
    """
    x = _matrix("x", x)
    scale = check_int("scale", scale, 1)
    return np.repeat(np.repeat(x, scale, axis=0), scale, axis=1)


def resize_convolution(x, weight, scale: int):
    """Upsample by nearest neighbour, then convolve with ``"same"`` padding.

    Parameters
    ----------
    x : array_like, shape (H, W)
    weight : array_like, shape (kH, kW)
    scale : int
        Upsampling factor, playing the role of the transposed convolution's stride.

    Returns
    -------
    ndarray, shape (H*scale, W*scale)
        Every output cell is a full weighted sum of ``kH*kW`` upsampled cells, so
        an even input gives an even output away from the border: no checkerboard.

    Notes
    -----
    Introduced in notebook 04: the alternative that Odena, Dumoulin & Olah
    (Distill 2016) recommend over transposed convolution for upsampling.

    Examples
    --------
    >>> resize_convolution(np.ones((2, 2)), np.ones((3, 3)), 2)
    array([[4., 6., 6., 4.],
           [6., 9., 9., 6.],
           [6., 9., 9., 6.],
           [4., 6., 6., 4.]])
    """
    weight = _matrix("weight", weight)
    upsampled = nearest_upsample(x, scale)
    return reference.conv2d(_as_4d(upsampled), _as_4d(weight), padding="same")[0, 0]
