"""A transposed convolution drawn as the paper's direct convolution (Relationships 8-14).

Dumoulin & Visin (2016, arXiv:1603.07285, section 4, Figs. 4.1-4.7) draw every
transposed convolution as an ordinary stride-1 convolution: the input stretched with
``s - 1`` zeros between its cells, ``p' = k - 1 - p`` zeros around it, and ``a``
more zeros at the bottom and right. :func:`draw_equivalent_convolution` draws that
picture from arrays computed elsewhere (the padded, stretched input of
:func:`helpers.transposed.stretched_padded_input` and the output of
:func:`helpers.transposed.transposed_conv_as_convolution`); it computes no size.

Introduced in notebook 04.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from helpers.validation import check_int

from .grids import highlight_cells
from .sliding import draw_sliding_window

__all__ = ["INPUT_CELL_COLOR", "draw_equivalent_convolution"]

#: Colour of the cells that hold the transposed convolution's own input values.
INPUT_CELL_COLOR = "#f6b26b"


def draw_equivalent_convolution(
    ax_input: Axes,
    ax_output: Axes,
    padded,
    out,
    *,
    k: int,
    s: int,
    p_prime: int,
    a: int = 0,
    step: int | None = 0,
    weights=None,
) -> list[Artist]:
    """The stretched, padded input with one window of the direct convolution, and its output.

    Parameters
    ----------
    ax_input, ax_output : Axes
        Where to draw the stretched input and the output.
    padded : array_like, shape (H, W)
        The stretched input with its ``p'`` zeros on every side and ``a`` more at the
        bottom and right, as :func:`helpers.transposed.stretched_padded_input` returns.
    out : array_like, shape (H_out, W_out)
        The output of the direct (= transposed) convolution.
    k : int
        Kernel size, ``k' = k``.
    s : int
        Stride of the transposed convolution: the input's cells sit ``s`` apart.
    p_prime : int
        The paper's ``p' >= 0``, zeros on each side of the stretched input.
    a : int, default=0
        Zeros added at the bottom and right (PyTorch's ``output_padding``).
    step : int or None, default=0
        Output position (raster order) whose window is drawn.
    weights : array_like, shape (k, k), optional
        Kernel weights written in the window (the *flipped* kernel).

    Returns
    -------
    list of Artist
        What :func:`helpers.drawing.draw_sliding_window` draws (padding ``p'`` on the
        top and left, ``p' + a`` on the bottom and right; the inserted zeros drawn as
        input cells holding 0), then the highlight of the cells that carry input values.

    Raises
    ------
    TypeError, ValueError
        If ``k``, ``s``, ``p_prime`` or ``a`` is not a valid int, or ``padded`` is not a
        2-D array at least ``2*p_prime + a + 1`` cells wide.

    Notes
    -----
    Introduced in notebook 04, one picture per Relationship 8-14.

    Examples
    --------
    >>> import numpy as np
    >>> from helpers.drawing import new_figure
    >>> fig, axes = new_figure(2)
    >>> padded = np.pad([[1, 0, 2], [0, 0, 0], [3, 0, 4]], 1)   # i' = 2, s = 2, p' = 1
    >>> artists = draw_equivalent_convolution(*axes, padded, np.zeros((3, 3)), k=3, s=2, p_prime=1)
    >>> [t.get_text() for t in axes[0].texts[-1:] + axes[1].texts[-1:]]
    ['input 3×3, padding 1', 'output 3×3']
    """
    k, s = check_int("k", k, 1), check_int("s", s, 1)
    p_prime, a = check_int("p_prime", p_prime, 0), check_int("a", a, 0)
    padded = np.asarray(padded)
    if padded.ndim != 2 or min(padded.shape) < 2 * p_prime + a + 1:
        raise ValueError(
            f"padded.shape={padded.shape} is invalid: must be 2-D and at least "
            f"2*p_prime + a + 1 = {2 * p_prime + a + 1} cells wide"
        )
    rows, cols = (n - 2 * p_prime - a for n in padded.shape)
    inner = padded[p_prime : p_prime + rows, p_prime : p_prime + cols]
    pad = p_prime if a == 0 else (p_prime, p_prime + a, p_prime, p_prime + a)
    artists = draw_sliding_window(
        ax_input, ax_output, inner, out, k=k, p=pad, step=step, weights=weights
    )
    cells = [(p_prime + r, p_prime + c) for r in range(0, rows, s) for c in range(0, cols, s)]
    artists += highlight_cells(ax_input, cells, color=INPUT_CELL_COLOR, alpha=0.5)
    return artists
