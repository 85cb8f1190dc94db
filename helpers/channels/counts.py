"""Weight shapes and parameter counts of (transposed, grouped, depthwise) convolutions.

Introduced in notebook 05 (the documentation of ``torch.nn.Conv2d`` /
``torch.nn.ConvTranspose2d``; MobileNet's depthwise separable block).
"""

from __future__ import annotations

from collections.abc import Sequence

from helpers.channels.groups import check_groups
from helpers.validation import check_bool, check_int, check_tuple

__all__ = [
    "KernelSize",
    "conv_param_count",
    "conv_transpose_weight_shape",
    "conv_weight_shape",
    "depthwise_param_count",
    "depthwise_separable_param_count",
]

KernelSize = int | Sequence[int]


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
    kh, kw = check_tuple("kernel_size", kernel_size, 2, 1)
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
    kh, kw = check_tuple("kernel_size", kernel_size, 2, 1)
    groups = check_groups(c_in, c_out, groups)
    return c_in, c_out // groups, kh, kw


def conv_param_count(
    c_in: int, c_out: int, kernel_size: KernelSize, groups: int = 1, bias: bool = True
) -> int:
    """Count the learnable parameters of a (transposed) 2-D convolution layer.

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
    check_bool("bias", bias)
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
