"""Output size of nearest-neighbour (or any other) resizing along one axis.

``torch.nn.Upsample`` and ``torch.nn.functional.interpolate`` take either the output
``size`` or a ``scale_factor``; with a factor the output has ``floor(i * scale_factor)``
cells, whatever the interpolation mode. Introduced in notebook 07 (the resize-then-convolve
decoder).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from helpers.validation import ShapeRuleError, check_int

__all__ = ["upsample_output_size"]


def _check_factor(scale_factor) -> float:
    """``scale_factor`` as a float, checked: a real number, finite and > 0."""
    if not isinstance(scale_factor, numbers.Real) or isinstance(scale_factor, bool | np.bool_):
        raise TypeError(f"scale_factor={scale_factor!r} is invalid: must be an int or a float")
    factor = float(scale_factor)
    if not math.isfinite(factor):
        raise ShapeRuleError("scale_factor", scale_factor, "must be a finite number")
    if not factor > 0:
        raise ShapeRuleError("scale_factor", scale_factor, "must be > 0")
    return factor


def upsample_output_size(i: int, scale_factor: float | None = None, size: int | None = None) -> int:
    """Output size of ``torch.nn.Upsample`` / ``F.interpolate`` along one axis.

    Parameters
    ----------
    i : int
        Input size, ``i >= 1``.
    scale_factor : int or float, optional
        The multiplier, a finite number ``> 0`` (``2``, ``1.5``, ``0.5``). Exactly one of
        ``scale_factor`` and ``size`` must be given, as PyTorch requires.
    size : int, optional
        The output size asked for, ``size >= 1``; returned as it is.

    Returns
    -------
    int
        ``o = floor(i * scale_factor)`` (the product in double precision, as PyTorch
        computes it), or ``size``.

    Raises
    ------
    TypeError
        If ``i`` or ``size`` is not an int, or ``scale_factor`` is not a real number
        (``bool`` is refused, as the package refuses it for every size).
    ValueError
        If both or neither of ``scale_factor`` and ``size`` are given; if ``i < 1``,
        ``size < 1``, or ``scale_factor`` is not finite and positive; or if
        ``floor(i * scale_factor) < 1`` (a :class:`helpers.validation.ShapeRuleError`
        on the output size: PyTorch refuses an empty output too).

    See Also
    --------
    conv_output_size : The convolution that follows the resize in Distill's fix.

    Notes
    -----
    Source: ``torch.nn.Upsample`` documentation, ``H_out = floor(H_in * scale_factor)``,
    and ``compute_output_size`` in ATen's ``UpSample.cpp``. The formula is the same for
    every ``mode`` (``"nearest"``, ``"bilinear"``, ...); only the values differ.
    Introduced in notebook 07: nearest ×2 makes a 7 × 7 code 14 × 14.

    Examples
    --------
    >>> upsample_output_size(7, scale_factor=2)
    14
    >>> upsample_output_size(7, scale_factor=1.5), upsample_output_size(7, scale_factor=0.5)
    (10, 3)
    >>> upsample_output_size(7, size=12)
    12
    >>> upsample_output_size(1, scale_factor=0.5)
    Traceback (most recent call last):
        ...
    helpers.validation.ShapeRuleError: output size floor(1 · 0.5) = 0 is invalid: must be >= 1
    """
    i = check_int("i", i, minimum=1)
    if (scale_factor is None) == (size is None):
        given = "both" if size is not None else "neither"
        raise ValueError(
            f"scale_factor={scale_factor!r}, size={size!r} is invalid: exactly one of "
            f"scale_factor and size must be given ({given} was)"
        )
    if size is not None:
        return check_int("size", size, minimum=1)
    factor = _check_factor(scale_factor)
    o = math.floor(i * factor)
    if o < 1:
        raise ShapeRuleError(
            "output size", o, "must be >= 1", expression=f"floor({i} · {scale_factor!r})"
        )
    return o
