"""The multi-channel rule, by pieces: sums of single-channel (transposed) convolutions.

The ``mcTC`` of a blog post on multi-channel transposed convolution: "for each input
channel, there would be a kernel ... the outputs produced by each kernel would be summed
up". Introduced in notebook 05.
"""

from __future__ import annotations

import numpy as np

from helpers import reference
from helpers.channels.groups import channel_groups
from helpers.validation import ShapeRuleError, as_array

__all__ = [
    "conv2d_channel_by_channel",
    "conv_transpose2d_channel_by_channel",
]


def conv2d_channel_by_channel(x, weight, bias=None, groups: int = 1, **conv_kwargs) -> np.ndarray:
    """Multi-channel convolution as a sum of single-channel convolutions.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W) or (C_in, H, W)
    weight : array_like, shape (C_out, C_in / groups, kH, kW)
    bias : array_like, shape (C_out,), optional
    groups : int, default=1
    **conv_kwargs
        ``stride``, ``padding``, ``dilation``, passed on to
        :func:`helpers.reference.conv2d`.

    Returns
    -------
    ndarray
        As :func:`helpers.reference.conv2d`; output channel ``o`` is
        ``bias[o] + sum over the input channels c of o's group of
        conv2d(x[c], weight[o, c - first input channel of the group])``.

    Notes
    -----
    Introduced in notebook 05. Deliberately slow: one single-channel
    convolution per connected (input, output) pair, to show the rule; use
    :func:`helpers.reference.conv2d` for the real thing.

    Examples
    --------
    >>> x, w = np.ones((2, 4, 4)), np.ones((3, 2, 3, 3))
    >>> out = conv2d_channel_by_channel(x, w)
    >>> out.shape, out[0, 0, 0].item()   # two channels, nine ones each
    ((3, 2, 2), 18.0)
    """
    x, unbatched = _batched(x)
    weight = _weight_for(x, weight, 1, groups, "(C_out, C_in/groups, kH, kW)")
    c_out = weight.shape[0]
    outputs = []
    for inputs, outs in channel_groups(x.shape[1], c_out, groups):
        for o in outs:
            pieces = [
                reference.conv2d(x[:, c : c + 1], weight[o : o + 1, j : j + 1], **conv_kwargs)
                for j, c in enumerate(inputs)
            ]
            outputs.append(_add_bias(sum(pieces), bias, o))
    out = np.concatenate(outputs, axis=1)
    return out[0] if unbatched else out


def conv_transpose2d_channel_by_channel(
    x, weight, bias=None, groups: int = 1, **conv_kwargs
) -> np.ndarray:
    """Multi-channel transposed convolution as a sum of single-channel ones.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W) or (C_in, H, W)
    weight : array_like, shape (C_in, C_out / groups, kH, kW)
    bias : array_like, shape (C_out,), optional
    groups : int, default=1
    **conv_kwargs
        ``stride``, ``padding``, ``output_padding``, ``dilation``, passed on to
        :func:`helpers.reference.conv_transpose2d`.

    Returns
    -------
    ndarray
        As :func:`helpers.reference.conv_transpose2d`; output channel ``o`` is
        ``bias[o] + sum over the input channels c of o's group of
        conv_transpose2d(x[c], weight[c, o - first output channel of the group])``
        (the blog post's ``mcTC``: "for each input channel, there would be a kernel ...
        the outputs produced by each kernel would be summed up").

    Notes
    -----
    Introduced in notebook 05. Deliberately slow, like
    :func:`conv2d_channel_by_channel`.

    Examples
    --------
    >>> x, w = np.ones((2, 3, 4)), np.ones((2, 1, 2, 2))     # the blog post's ``double``
    >>> conv_transpose2d_channel_by_channel(x, w, stride=2).shape
    (1, 6, 8)
    """
    x, unbatched = _batched(x)
    weight = _weight_for(x, weight, 0, 1, "(C_in, C_out/groups, kH, kW)")
    c_out = weight.shape[1] * groups
    outputs = []
    for inputs, outs in channel_groups(x.shape[1], c_out, groups):
        for j, o in enumerate(outs):
            pieces = [
                reference.conv_transpose2d(
                    x[:, c : c + 1], weight[c : c + 1, j : j + 1], **conv_kwargs
                )
                for c in inputs
            ]
            outputs.append(_add_bias(sum(pieces), bias, o))
    out = np.concatenate(outputs, axis=1)
    return out[0] if unbatched else out


def _batched(x) -> tuple[np.ndarray, bool]:
    x = as_array("x", x, (3, 4), "(N, C, H, W) or (C, H, W)")
    return (x[np.newaxis], True) if x.ndim == 3 else (x, False)


def _weight_for(x: np.ndarray, weight, axis: int, factor: int, layout: str) -> np.ndarray:
    """Check that ``weight.shape[axis] * factor`` is the number of input channels."""
    weight = np.asarray(weight)
    if weight.ndim != 4 or weight.shape[axis] * factor != x.shape[1]:
        rule = f"must be {layout}"
        message = f"weight has shape {weight.shape} but x has {x.shape[1]} channels: weight {rule}"
        raise ShapeRuleError("weight", weight.shape, rule, message=message)
    return weight


def _add_bias(channel: np.ndarray, bias, o: int) -> np.ndarray:
    return channel if bias is None else channel + np.asarray(bias)[o]
