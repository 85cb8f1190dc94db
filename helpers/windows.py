"""Index arithmetic of sliding windows: which input cells a kernel taps.

Pure computation (no drawing): :mod:`helpers.drawing` frames these cells and the
explorers list their values. Introduced in notebook 01.
"""

from __future__ import annotations

import numpy as np

from helpers.validation import check_tuple

__all__ = ["window_taps"]


def window_taps(row: int, col: int, k=3, s=1, d=1) -> np.ndarray:
    """Padded-input cells that the kernel taps when it computes output cell ``(row, col)``.

    Parameters
    ----------
    row, col : int
        Output cell.
    k, s, d : int or (int, int)
        Kernel size, stride and dilation, as for :func:`helpers.reference.conv2d`.

    Returns
    -------
    ndarray of int, shape (kH*kW, 2)
        Rows of ``(r, c)`` in padded coordinates: ``r = row*s + a*d`` for
        ``a = 0..kH-1``, likewise for ``c``; kernel tap ``(a, b)`` is row ``a*kW + b``.

    Raises
    ------
    TypeError, ValueError
        If ``k``, ``s`` or ``d`` is not an int or pair of ints (PyTorch's spellings).

    Notes
    -----
    Introduced in notebook 01. For a single layer this is the receptive field of the
    output cell (the dilation's gaps are not part of it).

    Examples
    --------
    >>> window_taps(1, 0, k=2, s=2, d=3).tolist()
    [[2, 0], [2, 3], [5, 0], [5, 3]]
    """
    kh, kw = check_tuple("k", k, 2)
    sh, sw = check_tuple("s", s, 2)
    dh, dw = check_tuple("d", d, 2)
    rows = row * sh + dh * np.arange(kh)
    cols = col * sw + dw * np.arange(kw)
    return np.stack(np.meshgrid(rows, cols, indexing="ij"), axis=-1).reshape(-1, 2)
