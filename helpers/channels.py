"""Channels: weight shapes, parameter counts, groups, layouts and seed 002's ``UP``.

A convolution layer with ``C_in`` input and ``C_out`` output channels holds one
``kH x kW`` kernel for every (input channel, output channel) pair that is connected;
``groups`` splits the channels into independent blocks so that fewer pairs are.
This module counts those kernels, lays them out the way PyTorch does, says which
pairs are connected, and rebuilds multi-channel (transposed) convolution from
single-channel pieces computed by :mod:`helpers.reference`.

Introduced in notebook 05. Sources: seed 002 (multi-channel transposed convolution
and Aaron Hsu's APL ``UP``), seed 003 (the channels-last pitfall), and the
documentation of ``torch.nn.Conv2d`` / ``torch.nn.ConvTranspose2d`` (weight shapes
and the ``groups`` rule).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers import reference
from helpers.arithmetic import check_int

__all__ = [
    "channel_connectivity",
    "channel_groups",
    "check_groups",
    "conv2d_channel_by_channel",
    "conv_param_count",
    "conv_transpose2d_channel_by_channel",
    "conv_transpose_weight_shape",
    "conv_weight_shape",
    "depthwise_param_count",
    "depthwise_separable_param_count",
    "linear_at_every_pixel",
    "to_channels_first",
    "to_channels_last",
    "to_up_layout",
    "upsample_tensordot",
]

KernelSize = int | Sequence[int]


# --------------------------------------------------------------------------- validation
def _kernel_pair(kernel_size: KernelSize) -> tuple[int, int]:
    """Normalise an int or an ``(kH, kW)`` pair, each entry ``>= 1``."""
    if isinstance(kernel_size, Sequence) and not isinstance(kernel_size, str):
        if len(kernel_size) != 2:
            raise ValueError(
                f"kernel_size={tuple(kernel_size)!r} is invalid: must be an int or a pair (kH, kW)"
            )
        return tuple(check_int("kernel_size", k, 1) for k in kernel_size)
    k = check_int("kernel_size", kernel_size, 1)
    return k, k


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
    ValueError: groups=4 does not divide c_out=6: every group needs whole output channels
    """
    c_in = check_int("c_in", c_in, 1)
    c_out = check_int("c_out", c_out, 1)
    groups = check_int("groups", groups, 1)
    for name, channels, kind in (("c_in", c_in, "input"), ("c_out", c_out, "output")):
        if channels % groups:
            raise ValueError(
                f"groups={groups} does not divide {name}={channels}: "
                f"every group needs whole {kind} channels"
            )
    return groups


# --------------------------------------------------------------------------- shapes and counts
def conv_weight_shape(
    c_in: int, c_out: int, kernel_size: KernelSize, groups: int = 1
) -> tuple[int, int, int, int]:
    """Shape of ``torch.nn.Conv2d(c_in, c_out, kernel_size, groups=groups).weight``.

    Parameters
    ----------
    c_in, c_out : int
        Input and output channels, each ``>= 1``.
    kernel_size : int or (int, int)
        Kernel height and width.
    groups : int, default=1
        Must divide both ``c_in`` and ``c_out``.

    Returns
    -------
    tuple of 4 ints
        ``(C_out, C_in / groups, kH, kW)``: one row of kernels per *output*
        channel, each row holding a kernel for every input channel of its group.

    Raises
    ------
    TypeError, ValueError
        As :func:`check_groups`, and for a kernel size below 1.

    See Also
    --------
    conv_transpose_weight_shape : The transposed layout, input channels first.

    Notes
    -----
    Introduced in notebook 05.

    Examples
    --------
    >>> conv_weight_shape(2, 3, 3)
    (3, 2, 3, 3)
    >>> conv_weight_shape(4, 6, (3, 5), groups=2)
    (6, 2, 3, 5)
    """
    kh, kw = _kernel_pair(kernel_size)
    groups = check_groups(c_in, c_out, groups)
    return c_out, c_in // groups, kh, kw


def conv_transpose_weight_shape(
    c_in: int, c_out: int, kernel_size: KernelSize, groups: int = 1
) -> tuple[int, int, int, int]:
    """Shape of ``torch.nn.ConvTranspose2d(c_in, c_out, kernel_size, groups=groups).weight``.

    Parameters
    ----------
    c_in, c_out, kernel_size, groups
        As for :func:`conv_weight_shape`.

    Returns
    -------
    tuple of 4 ints
        ``(C_in, C_out / groups, kH, kW)``: the first two axes swap roles. A
        transposed convolution from ``C_in`` to ``C_out`` channels is the
        transpose (adjoint) of an ordinary convolution from ``C_out`` to ``C_in``
        channels, whose weight is ``(C_in, C_out / groups, kH, kW)``; the two
        share one weight tensor.

    Raises
    ------
    TypeError, ValueError
        As :func:`check_groups`, and for a kernel size below 1.

    See Also
    --------
    conv_weight_shape : The ordinary layout, output channels first.

    Notes
    -----
    Introduced in notebook 05.

    Examples
    --------
    >>> conv_transpose_weight_shape(2, 3, 3)
    (2, 3, 3, 3)
    >>> conv_transpose_weight_shape(4, 6, 3, groups=2)
    (4, 3, 3, 3)
    """
    kh, kw = _kernel_pair(kernel_size)
    groups = check_groups(c_in, c_out, groups)
    return c_in, c_out // groups, kh, kw


def conv_param_count(
    c_in: int, c_out: int, kernel_size: KernelSize, groups: int = 1, bias: bool = True
) -> int:
    """Number of learnable parameters of a (transposed) 2-D convolution layer.

    Parameters
    ----------
    c_in, c_out, kernel_size, groups
        As for :func:`conv_weight_shape`.
    bias : bool, default=True
        Whether the layer has one bias per output channel.

    Returns
    -------
    int
        ``kH*kW*(C_in/groups)*C_out + C_out*bias``. The same number for
        ``Conv2d`` and ``ConvTranspose2d``: ``(C_in/groups)*C_out`` equals
        ``C_in*(C_out/groups)``, only the layout differs.

    Raises
    ------
    TypeError, ValueError
        As :func:`check_groups`, and for a kernel size below 1 or a non-bool bias.

    Notes
    -----
    Introduced in notebook 05 (notebook 01 reads the ``groups=1`` case off
    ``torchsummary``). The input's height and width play no part: a convolution
    reuses the same kernels at every position.

    Examples
    --------
    >>> conv_param_count(2, 3, 3)            # 3*3*2*3 + 3
    57
    >>> conv_param_count(32, 64, 3, groups=4)
    4672
    """
    if not isinstance(bias, bool):
        raise TypeError(f"bias={bias!r} is invalid: must be a bool")
    _, c_per_group, kh, kw = conv_weight_shape(c_in, c_out, kernel_size, groups)
    return kh * kw * c_per_group * c_out + (c_out if bias else 0)


def depthwise_param_count(
    channels: int, kernel_size: KernelSize, depth_multiplier: int = 1, bias: bool = True
) -> int:
    """Parameters of a depthwise convolution: ``groups = C_in``, one kernel per channel.

    Parameters
    ----------
    channels : int
        Input channels ``C_in``, each filtered on its own.
    kernel_size : int or (int, int)
    depth_multiplier : int, default=1
        Output channels per input channel (``C_out = channels * depth_multiplier``).
    bias : bool, default=True

    Returns
    -------
    int
        ``kH*kW*1*C_out + C_out*bias`` with ``C_out = channels * depth_multiplier``,
        i.e. :func:`conv_param_count` with ``groups=channels``.

    Notes
    -----
    Introduced in notebook 05. ``nn.Conv2d(C, C*m, k, groups=C)`` in PyTorch.

    Examples
    --------
    >>> depthwise_param_count(32, 3)          # 3*3*1*32 + 32
    320
    """
    channels = check_int("channels", channels, 1)
    depth_multiplier = check_int("depth_multiplier", depth_multiplier, 1)
    return conv_param_count(
        channels, channels * depth_multiplier, kernel_size, groups=channels, bias=bias
    )


def depthwise_separable_param_count(
    c_in: int, c_out: int, kernel_size: KernelSize, bias: bool = True
) -> int:
    """Parameters of a depthwise convolution followed by a pointwise (1x1) one.

    Parameters
    ----------
    c_in, c_out : int
        Channels into the depthwise layer and out of the pointwise layer.
    kernel_size : int or (int, int)
        The depthwise kernel; the pointwise kernel is 1x1.
    bias : bool, default=True
        Whether *both* layers have biases (PyTorch's default).

    Returns
    -------
    int
        ``(kH*kW*C_in + C_in*bias) + (C_in*C_out + C_out*bias)``; without the biases
        this is ``1/C_out + 1/(kH*kW)`` times the ordinary layer's count.

    Notes
    -----
    Introduced in notebook 05. The building block of MobileNet (Howard et al.
    2017, arXiv:1704.04861) and Xception (Chollet 2017, arXiv:1610.02357).

    Examples
    --------
    >>> depthwise_separable_param_count(32, 64, 3)    # 320 + 2112
    2432
    """
    return depthwise_param_count(c_in, kernel_size, bias=bias) + conv_param_count(
        c_in, c_out, 1, bias=bias
    )


# --------------------------------------------------------------------------- connectivity
def channel_groups(c_in: int, c_out: int, groups: int = 1) -> list[tuple[range, range]]:
    """The input and output channels of each group.

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


# --------------------------------------------------------------------------- the rule, by pieces
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
        (seed 002's ``mcTC``: "for each input channel, there would be a kernel ...
        the outputs produced by each kernel would be summed up").

    Notes
    -----
    Introduced in notebook 05. Deliberately slow, like
    :func:`conv2d_channel_by_channel`.

    Examples
    --------
    >>> x, w = np.ones((2, 3, 4)), np.ones((2, 1, 2, 2))     # seed 002's ``double``
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
    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError(f"x has shape {x.shape}: must be (N, C, H, W) or (C, H, W)")
    return (x[np.newaxis], True) if x.ndim == 3 else (x, False)


def _weight_for(x: np.ndarray, weight, axis: int, factor: int, layout: str) -> np.ndarray:
    """Check that ``weight.shape[axis] * factor`` is the number of input channels."""
    weight = np.asarray(weight)
    if weight.ndim != 4 or weight.shape[axis] * factor != x.shape[1]:
        raise ValueError(
            f"weight has shape {weight.shape} but x has {x.shape[1]} channels: "
            f"weight must be {layout}"
        )
    return weight


def _add_bias(channel: np.ndarray, bias, o: int) -> np.ndarray:
    return channel if bias is None else channel + np.asarray(bias)[o]


# --------------------------------------------------------------------------- layouts
def to_channels_last(x) -> np.ndarray:
    """``(N, C, H, W)`` to ``(N, H, W, C)`` (or ``(C, H, W)`` to ``(H, W, C)``).

    Parameters
    ----------
    x : array_like, 3-D or 4-D, channels first (PyTorch's layout)

    Returns
    -------
    ndarray
        A view with the channel axis moved to the end (TensorFlow's default
        ``data_format="channels_last"``, and the APL ``UP``'s layout).

    Notes
    -----
    Introduced in notebook 05 (seed 003's pitfall).

    Examples
    --------
    >>> to_channels_last(np.zeros((1, 3, 4, 5))).shape
    (1, 4, 5, 3)
    """
    return np.moveaxis(_image(x), -3, -1)


def to_channels_first(x) -> np.ndarray:
    """``(N, H, W, C)`` to ``(N, C, H, W)`` (or ``(H, W, C)`` to ``(C, H, W)``).

    Parameters
    ----------
    x : array_like, 3-D or 4-D, channels last

    Returns
    -------
    ndarray
        A view with the last axis moved in front of height and width.

    Notes
    -----
    Introduced in notebook 05; the inverse of :func:`to_channels_last`.

    Examples
    --------
    >>> to_channels_first(np.zeros((1, 4, 5, 3))).shape
    (1, 3, 4, 5)
    """
    return np.moveaxis(_image(x), -1, -3)


def _image(x) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError(f"x has shape {x.shape}: must be 3-D (one image) or 4-D (a batch)")
    return x


def linear_at_every_pixel(x, weight, bias=None) -> np.ndarray:
    """Apply one ``nn.Linear`` to the channel vector of every pixel.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W) or (C_in, H, W)
    weight : array_like, shape (C_out, C_in)
        ``nn.Linear``'s layout.
    bias : array_like, shape (C_out,), optional

    Returns
    -------
    ndarray, shape (N, C_out, H, W) or (C_out, H, W)
        ``out[..., :, y, x] = weight @ x[..., :, y, x] + bias``, which is what a
        1x1 convolution with weight ``weight[:, :, None, None]`` computes.

    Notes
    -----
    Introduced in notebook 05. Channels are moved last so that one matrix
    product handles every pixel at once, then moved back.

    Examples
    --------
    >>> linear_at_every_pixel(np.ones((2, 3, 4)), np.ones((5, 2))).shape
    (5, 3, 4)
    """
    pixels = to_channels_last(x)
    weight = np.asarray(weight)
    if weight.ndim != 2 or weight.shape[1] != pixels.shape[-1]:
        raise ValueError(
            f"weight has shape {weight.shape}: must be (C_out, {pixels.shape[-1]}), "
            "one row per output channel over the input channels"
        )
    out = pixels @ weight.T
    if bias is not None:
        out = out + np.asarray(bias)
    return to_channels_first(out)


# --------------------------------------------------------------------------- seed 002's UP
def to_up_layout(weight) -> np.ndarray:
    """Reorder a ``ConvTranspose2d`` weight into the layout :func:`upsample_tensordot` uses.

    Parameters
    ----------
    weight : array_like, shape (C_in, C_out, kH, kW)
        PyTorch's transposed layout (``groups=1``).

    Returns
    -------
    ndarray, shape (C_in, kH, kW, C_out)
        The same numbers, the output-channel axis moved last: APL's ``ic k k oc``.

    Notes
    -----
    Introduced in notebook 05.

    Examples
    --------
    >>> to_up_layout(np.zeros((3, 5, 2, 2))).shape
    (3, 2, 2, 5)
    """
    weight = np.asarray(weight)
    if weight.ndim != 4:
        raise ValueError(f"weight has shape {weight.shape}: must be 4-D (C_in, C_out, kH, kW)")
    return weight.transpose(0, 2, 3, 1)


def upsample_tensordot(x, kernel) -> np.ndarray:
    """Transposed convolution with kernel = stride, as one tensor product and a reshape.

    Aaron Hsu's APL ``UP ← {((2×¯1↓⍴⍵),¯1↑⍴⍺)⍴0 2 1 3 4⍉⍵+.×⍺}`` from seed 002,
    for any kernel size ``k`` (the APL hard-codes 2).

    Parameters
    ----------
    x : array_like, shape (H, W, C_in)
        Channels-last input (APL's ``⍵``).
    kernel : array_like, shape (C_in, k, k, C_out)
        APL's ``⍺``: for every input channel, a ``k x k`` block of ``C_out``-vectors.
        :func:`to_up_layout` converts PyTorch's ``(C_in, C_out, k, k)`` to it.

    Returns
    -------
    ndarray, shape (k*H, k*W, C_out)
        Channels last. Equal to ``ConvTranspose2d(C_in, C_out, k, stride=k,
        bias=False)`` after :func:`to_channels_first`.

    Notes
    -----
    Introduced in notebook 05. The three APL steps, one NumPy call each:

    1. ``⍵+.×⍺`` is ``np.tensordot(x, kernel, axes=1)``, shape ``(H, W, k, k, C_out)``:
       every pixel's channel vector times the kernel, i.e. the ``k x k`` output
       block of that pixel (``einsum("yxc,cijo->yxijo", x, kernel)``).
    2. ``0 2 1 3 4⍉`` swaps the axes 1 and 2 into ``(H, k, W, k, C_out)``, so that
       block row ``i`` of input row ``y`` comes right after those of row ``y``.
    3. ``⍴`` reshapes to ``(k*H, k*W, C_out)``: output pixel ``(k*y + i, k*x + j)``
       holds ``sum_c x[y, x, c] * kernel[c, i, j, :]``.

    Because the stride equals the kernel size the ``k x k`` copies tile the
    output without overlapping, so nothing needs adding up: the layer is a
    per-pixel linear map ``C_in -> k*k*C_out`` followed by a rearrangement.

    Examples
    --------
    >>> upsample_tensordot(np.ones((13, 17, 3)), np.ones((3, 2, 2, 5))).shape
    (26, 34, 5)
    """
    x = np.asarray(x)
    kernel = np.asarray(kernel)
    if x.ndim != 3:
        raise ValueError(f"x has shape {x.shape}: must be (H, W, C_in), channels last")
    if kernel.ndim != 4 or kernel.shape[1] != kernel.shape[2] or kernel.shape[0] != x.shape[2]:
        raise ValueError(
            f"kernel has shape {kernel.shape}: must be (C_in={x.shape[2]}, k, k, C_out), "
            "a square kernel for every input channel"
        )
    h, w, _ = x.shape
    _, k, _, c_out = kernel.shape
    blocks = np.tensordot(x, kernel, axes=1)  # (H, W, k, k, C_out)
    return blocks.transpose(0, 2, 1, 3, 4).reshape(k * h, k * w, c_out)
