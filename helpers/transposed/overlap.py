"""How many kernel copies overlap each output cell, and resize-then-convolve.

Uneven overlap is one source of checkerboard artifacts.

After Odena, Dumoulin & Olah, *Deconvolution and Checkerboard Artifacts*, Distill
(2016). Used in notebooks 05 and 07.
"""

from __future__ import annotations

import numpy as np

from helpers import reference
from helpers.arithmetic import conv_transpose_output_size
from helpers.transposed._common import as_4d, one_channel
from helpers.validation import check_int

__all__ = [
    "nearest_upsample",
    "overlap_counts",
    "overlap_counts_2d",
    "overlap_pattern",
    "resize_convolution",
]


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
        counts in the interior are one source of a checkerboard pattern.

    Notes
    -----
    Used in notebook 07, after Odena, Dumoulin & Olah, "Deconvolution and
    Checkerboard Artifacts", Distill (2016).

    Examples
    --------
    >>> overlap_counts(4, 3, s=2)
    array([1, 1, 2, 1, 2, 1, 2, 1, 1])
    >>> overlap_counts(4, 4, s=2)
    array([1, 1, 2, 2, 2, 2, 2, 2, 1, 1])
    """
    conv_transpose_output_size(i, k, s, p, d, output_padding)  # validates
    counts = reference.conv_transpose1d(
        np.ones((1, i)), np.ones((1, 1, k)), None, s, p, output_padding, 1, d
    )[0]
    return np.rint(counts).astype(int)


def overlap_counts_2d(
    i: int, k: int, s: int = 1, p: int = 0, d: int = 1, output_padding: int = 0
) -> np.ndarray:
    """Return the 2-D overlap count map of a square transposed convolution.

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
    Introduced in notebook 05 (Odena, Dumoulin & Olah, Distill 2016).

    Examples
    --------
    >>> overlap_counts_2d(2, 3, s=2)
    array([[1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1],
           [2, 2, 4, 2, 2],
           [1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1]])
    """
    conv_transpose_output_size(i, k, s, p, d, output_padding)  # validates
    counts = reference.conv_transpose2d(
        np.ones((1, i, i)), np.ones((1, 1, k, k)), None, s, p, output_padding, 1, d
    )[0]
    return np.rint(counts).astype(int)


def overlap_pattern(k: int, s: int, d: int = 1) -> np.ndarray:
    """Return the repeating overlap counts far from the edges, one stride period long.

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
        equal (even overlap) exactly when the taps spread evenly over the
        residues, e.g. when ``s`` divides ``k`` at ``d = 1``; even overlap alone
        does not make a flat output (that depends on the kernel's values).

    Notes
    -----
    Used in notebook 07 (Odena, Dumoulin & Olah, Distill 2016: "the kernel
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
    Used in notebook 07.

    Examples
    --------
    >>> nearest_upsample([[1, 2]], 2)
    array([[1, 1, 2, 2],
           [1, 1, 2, 2]])
    """
    x = one_channel("x", x)
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
    Used in notebook 07: the alternative that Odena, Dumoulin & Olah
    (Distill 2016) recommend over transposed convolution for upsampling.

    Examples
    --------
    >>> resize_convolution(np.ones((2, 2)), np.ones((3, 3)), 2)
    array([[4., 6., 6., 4.],
           [6., 9., 9., 6.],
           [6., 9., 9., 6.],
           [4., 6., 6., 4.]])
    """
    weight = one_channel("weight", weight)
    upsampled = nearest_upsample(x, scale)
    return reference.conv2d(as_4d(upsampled), as_4d(weight), padding="same")[0, 0]
