"""The ``groups`` rule: which input channels feed which output channels.

Introduced in notebook 05 (``torch.nn.Conv2d``'s documentation of ``groups``).
"""

from __future__ import annotations

import numpy as np

from helpers.validation import ShapeRuleError, check_int

__all__ = [
    "channel_connectivity",
    "channel_groups",
    "check_groups",
]


def check_groups(c_in: int, c_out: int, groups: int) -> int:
    """Check that ``groups`` splits both channel counts evenly, as PyTorch requires.

    Parameters
    ----------
    c_in, c_out : int
        Input and output channels, each ``>= 1``.
    groups : int
        Number of independent channel groups, ``>= 1``.

    Returns
    -------
    int
        ``groups``, unchanged.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is below 1, or ``groups`` does not divide ``c_in`` or
        ``c_out`` (in that order, the order in which ``torch.nn.Conv2d`` and
        ``torch.nn.ConvTranspose2d`` check). The message names both numbers and
        is short enough to show as the explorer's one-line message.

    Notes
    -----
    Introduced in notebook 05. PyTorch allows zero channels (an empty layer);
    this lesson does not, so ``c_in`` and ``c_out`` must be at least 1.

    Examples
    --------
    >>> check_groups(4, 6, 2)
    2
    >>> check_groups(4, 6, 4)
    Traceback (most recent call last):
        ...
    helpers.validation.ShapeRuleError: groups=4 does not divide c_out=6: every group needs whole
    output channels
    """
    c_in = check_int("c_in", c_in, 1)
    c_out = check_int("c_out", c_out, 1)
    groups = check_int("groups", groups, 1)
    for name, channels, kind in (("c_in", c_in, "input"), ("c_out", c_out, "output")):
        if channels % groups:
            rule = f"every group needs whole {kind} channels"
            message = f"groups={groups} does not divide {name}={channels}: {rule}"
            raise ShapeRuleError("groups", groups, rule, message=message)
    return groups


def channel_groups(c_in: int, c_out: int, groups: int = 1) -> list[tuple[range, range]]:
    """Return the input and output channels of each group.

    Parameters
    ----------
    c_in, c_out, groups
        As for :func:`check_groups`.

    Returns
    -------
    list of (range, range)
        One ``(input channels, output channels)`` pair per group, in order: group
        ``g`` takes the ``g``-th consecutive block of ``C_in/groups`` input
        channels and produces the ``g``-th block of ``C_out/groups`` outputs.

    Notes
    -----
    Introduced in notebook 05.

    Examples
    --------
    >>> channel_groups(4, 6, 2)
    [(range(0, 2), range(0, 3)), (range(2, 4), range(3, 6))]
    """
    groups = check_groups(c_in, c_out, groups)
    c_in_g, c_out_g = c_in // groups, c_out // groups
    return [
        (range(g * c_in_g, (g + 1) * c_in_g), range(g * c_out_g, (g + 1) * c_out_g))
        for g in range(groups)
    ]


def channel_connectivity(c_in: int, c_out: int, groups: int = 1) -> np.ndarray:
    """Which input channels feed which output channel.

    Parameters
    ----------
    c_in, c_out, groups
        As for :func:`check_groups`.

    Returns
    -------
    ndarray of bool, shape (C_out, C_in)
        ``True`` at ``[o, c]`` when output channel ``o`` depends on input channel
        ``c``: when both are in the same group. Each ``True`` is one ``kH x kW``
        kernel, so ``connectivity.sum() * kH * kW`` is the weight count. The same
        matrix holds for ``ConvTranspose2d``.

    Notes
    -----
    Introduced in notebook 05.

    Examples
    --------
    >>> channel_connectivity(4, 2, 2).astype(int)
    array([[1, 1, 0, 0],
           [0, 0, 1, 1]])
    """
    connected = np.zeros((c_out, c_in), dtype=bool)
    for inputs, outputs in channel_groups(c_in, c_out, groups):
        connected[outputs.start : outputs.stop, inputs.start : inputs.stop] = True
    return connected
