"""Output sizes of an n-D operator: one size function applied along every spatial axis.

Introduced in notebook 01 (the reference operators) and used by every n-D helper.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from helpers.arithmetic.result import SizeResult
from helpers.validation import ShapeRuleError

__all__ = ["AXIS_NAMES", "TORCH_NAMES", "spatial_sizes"]

#: How messages name the spatial axes, last axis last.
AXIS_NAMES = ("depth", "height", "width")

#: PyTorch's names of the size parameters, for the messages of PyTorch-like functions.
TORCH_NAMES = {
    "k": "kernel_size",
    "s": "stride",
    "p": "padding",
    "d": "dilation",
    "output_padding": "output_padding",
    "ceil_mode": "ceil_mode",
}


def spatial_sizes(
    size_fn: Callable[..., SizeResult],
    spatial: Sequence[int],
    kernel: Sequence[int],
    names: Mapping[str, str] | None = None,
    **per_axis: Sequence,
) -> tuple[int, ...]:
    """Apply a ``SizeResult`` function along each spatial axis; raise the first broken rule.

    Parameters
    ----------
    size_fn : callable
        :func:`~helpers.arithmetic.conv_size`, :func:`~helpers.arithmetic.pool_size` or
        :func:`~helpers.arithmetic.conv_transpose_size`.
    spatial, kernel : sequence of int
        Input and kernel size per axis.
    names : mapping, optional
        The caller's names of the parameters (``{"p": "padding"}``); the input size
        of axis ``a`` is called ``x.shape[a]`` (counted from the end).
    **per_axis : sequence
        Every other parameter of ``size_fn``, one entry per axis (``s=(2, 1)``).

    Returns
    -------
    tuple of int
        One output size per axis.

    Raises
    ------
    TypeError, ValueError
        As ``size_fn``; an impossible combination is a
        :class:`~helpers.validation.ShapeRuleError` naming the parameter as the caller
        spelled it and the axis, e.g. ``"padding=5 is invalid along the height: ..."``.

    Examples
    --------
    >>> from helpers.arithmetic import pool_size
    >>> spatial_sizes(pool_size, (5, 6), (2, 2), s=(2, 2), p=(0, 1), d=(1, 1),
    ...               ceil_mode=(False, False))
    (2, 4)
    >>> try:
    ...     spatial_sizes(pool_size, (5, 5), (3, 3), {"p": "padding"}, s=(1, 1), p=(0, 2),
    ...                   d=(1, 1), ceil_mode=(False, False))
    ... except ValueError as err:
    ...     print(err.parameter, err.value, err.where)
    padding 2 along the width
    """
    sizes = []
    for axis, axis_name in enumerate(AXIS_NAMES[-len(spatial) :]):
        args = {key: value[axis] for key, value in per_axis.items()}
        axis_names = {"i": f"x.shape[{axis - len(spatial)}]", **(names or {})}
        result = size_fn(spatial[axis], kernel[axis], **args, names=axis_names)
        if result.error is not None:
            err = result.error
            raise ShapeRuleError(
                err.parameter,
                err.value,
                err.rule,
                where=f"along the {axis_name}",
                expression=err.expression,
            ) from None
        sizes.append(result.value)
    return tuple(sizes)
