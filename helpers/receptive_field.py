"""Receptive fields of stacked convolutions and poolings, and the holes dilation can leave.

A stack of stride-1 convolutions sees ``1 + sum((k - 1)*d)`` input cells from one
output cell: growth linear in depth for plain 3x3 layers, exponential when the
dilations double (Yu & Koltun, *Multi-Scale Context Aggregation by Dilated
Convolutions*, ICLR 2016). With strides (and pooling, which is a strided window
too) each layer's term is multiplied by the product of the strides before it
(Araujo, Norris & Sim, *Computing Receptive Fields of Convolutional Neural
Networks*, Distill 2019). Repeating one dilation leaves gaps that no path
reaches: the "gridding" problem (Wang et al., *Understanding Convolution for
Semantic Segmentation*, WACV 2018).

Introduced in notebook 03; :func:`model_receptive_field` is used in notebook 06.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
from torch import nn

from helpers import arithmetic, reference
from helpers.validation import check_int

__all__ = [
    "input_dependence",
    "input_dependence_2d",
    "model_receptive_field",
    "receptive_field_growth",
    "receptive_field_size",
]

#: Modules that change no position: skipped when walking a model.
_POINTWISE = (
    nn.Identity,
    nn.ReLU,
    nn.LeakyReLU,
    nn.GELU,
    nn.SiLU,
    nn.Sigmoid,
    nn.Tanh,
    nn.Softmax,
    nn.LogSoftmax,
    nn.Dropout,
    nn.Dropout2d,
    nn.modules.batchnorm._BatchNorm,
)
#: Modules after which one output cell sees the whole input: the walk stops there.
_GLOBAL = (nn.Flatten, nn.Linear, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)


def _layers(
    kernel_sizes: Sequence[int], dilations: Sequence[int] | None, strides: Sequence[int] | None
) -> list[tuple[int, int, int]]:
    """Validated ``(k, d, s)`` per layer; missing dilations and strides are 1."""
    if isinstance(kernel_sizes, numbers.Integral) or len(kernel_sizes) == 0:
        raise ValueError(f"kernel_sizes={kernel_sizes!r} is invalid: must be a non-empty list")
    n = len(kernel_sizes)
    dilations = [1] * n if dilations is None else list(dilations)
    strides = [1] * n if strides is None else list(strides)
    for name, values in (("dilations", dilations), ("strides", strides)):
        if len(values) != n:
            raise ValueError(
                f"{name}={values!r} is invalid: must have one entry per layer ({n} layers)"
            )
    for s in strides:
        check_int("strides", s, minimum=1)
    for k, d in zip(kernel_sizes, dilations, strict=True):
        arithmetic.effective_kernel_size(k, d)  # names k or d when one is out of range
    return [
        (int(k), int(d), int(s)) for k, d, s in zip(kernel_sizes, dilations, strides, strict=True)
    ]


def receptive_field_size(
    kernel_sizes: Sequence[int],
    dilations: Sequence[int] | None = None,
    strides: Sequence[int] | None = None,
) -> int:
    """How many input cells (along one axis) one output cell of a conv stack depends on.

    Parameters
    ----------
    kernel_sizes : sequence of int
        Kernel size of each layer, first layer first.
    dilations : sequence of int, optional
        Dilation of each layer; all 1 by default.
    strides : sequence of int, optional
        Stride of each layer; all 1 by default.

    Returns
    -------
    int
        ``1 + sum_l (effective_kernel_size(k_l, d_l) - 1) * prod_{j<l} s_j``: each
        layer widens the field by its effective kernel minus one, measured in the
        input's cells (hence the product of the earlier strides). The span from
        the first to the last cell, gaps included (see :func:`input_dependence`).

    Raises
    ------
    TypeError, ValueError
        If a list is empty, the lengths differ or an entry is out of range.

    Notes
    -----
    Introduced in notebook 03. Yu & Koltun (2016): 3x3 layers with dilations
    1, 2, 4, ..., 2**(L-1) reach ``2**(L+1) - 1`` cells; plain ones ``2L + 1``.

    Examples
    --------
    >>> receptive_field_size([3, 3, 3, 3])
    9
    >>> receptive_field_size([3, 3, 3, 3], dilations=[1, 2, 4, 8])
    31
    >>> receptive_field_size([5, 2, 5, 2], strides=[1, 2, 1, 2])  # lesson 02's MNIST CNN
    16
    """
    return receptive_field_growth(kernel_sizes, dilations, strides)[-1][0]


def receptive_field_growth(
    kernel_sizes: Sequence[int],
    dilations: Sequence[int] | None = None,
    strides: Sequence[int] | None = None,
) -> list[tuple[int, int]]:
    """The receptive field after each layer, and the input distance between its cells.

    Parameters
    ----------
    kernel_sizes, dilations, strides : sequence of int
        As for :func:`receptive_field_size`; a pooling layer is a layer like any
        other (its window is ``k``, its stride usually ``k`` too).

    Returns
    -------
    list of (int, int)
        One ``(r_l, j_l)`` per layer: ``r_l`` input cells seen by one cell of
        layer ``l``'s output, and ``j_l = s_1 * ... * s_l``, how many input cells
        apart two neighbouring cells of that output are (the "jump"). The
        recurrence is ``r_l = r_(l-1) + (d_l*(k_l - 1) + 1 - 1) * j_(l-1)``,
        starting from ``r_0 = j_0 = 1``.

    Raises
    ------
    TypeError, ValueError
        As :func:`receptive_field_size`.

    Notes
    -----
    Introduced in notebook 03. Layer ``l`` reads ``k_l`` neighbouring cells of
    the map below it, and neighbouring cells of that map lie ``j_(l-1)`` input
    cells apart; so its kernel adds ``(k_l - 1)*j_(l-1)`` cells. The padding
    changes where the field sits, not how wide it is (near a border part of it
    is padding).

    Examples
    --------
    >>> receptive_field_growth([5, 2, 5, 2], strides=[1, 2, 1, 2])
    [(5, 1), (6, 2), (14, 2), (16, 4)]
    """
    size, jump, growth = 1, 1, []
    for k, d, s in _layers(kernel_sizes, dilations, strides):
        size += (arithmetic.effective_kernel_size(k, d) - 1) * jump
        jump *= s
        growth.append((size, jump))
    return growth


def _pair(value, n: int) -> tuple[int, ...]:
    """A PyTorch int-or-tuple parameter as an n-tuple."""
    if isinstance(value, numbers.Integral):
        return (int(value),) * n
    return tuple(int(v) for v in value)


def _leaves(module: nn.Module):
    """The leaf modules in registration order, a module used twice listed twice."""
    children = [child for child in module._modules.values() if child is not None]
    if not children:
        yield module
    for child in children:  # not .modules(), which lists a reused module once
        yield from _leaves(child)


def _spatial_layers(model: nn.Module) -> list[nn.Module]:
    """The convolution and pooling modules of ``model``, in order, up to a global layer."""
    layers = []
    for module in _leaves(model):
        if isinstance(module, _POINTWISE):
            continue
        if isinstance(module, _GLOBAL):
            break
        if isinstance(module, nn.modules.conv._ConvTransposeNd):
            raise ValueError(
                f"model contains {module!r}: a transposed convolution spreads one input "
                "cell over many outputs; this receptive field covers convolutions and pooling"
            )
        if not isinstance(module, nn.modules.conv._ConvNd | nn.MaxPool2d | nn.AvgPool2d):
            raise TypeError(
                f"model contains {module!r}: unknown effect on positions (supported: Conv, "
                "MaxPool2d, AvgPool2d, pointwise layers; Flatten/Linear/adaptive pooling end it)"
            )
        layers.append(module)
    if not layers:
        raise ValueError(f"model={type(model).__name__} has no convolution or pooling layer")
    return layers


def model_receptive_field(model: nn.Module) -> tuple[int, ...]:
    """The receptive field of one cell of a model's last spatial map, per axis.

    Parameters
    ----------
    model : torch.nn.Module
        Convolutions (``nn.Conv1d``/``2d``/``3d``), ``nn.MaxPool2d``,
        ``nn.AvgPool2d`` and pointwise layers (activations, batch norm, dropout),
        in the order they were registered (for ``nn.Sequential``, the order
        they run; a module used twice counts twice). The walk stops at the first
        ``Flatten``, ``Linear`` or adaptive pooling: after it, every output sees
        the whole input.

    Returns
    -------
    tuple of int
        One :func:`receptive_field_size` per spatial axis, from each layer's
        ``kernel_size``, ``stride`` and ``dilation`` (1 for average pooling).

    Raises
    ------
    TypeError
        For a module whose effect on positions is unknown.
    ValueError
        For a transposed convolution, or a model without any convolution or pooling.

    Notes
    -----
    Introduced in notebook 03, used in notebook 06: the MNIST CNN of notebook 02 (two
    blocks of a 5x5 convolution, padding 2, and a 2x2 max pooling) gives ``(16, 16)``:
    ``1 + 4*1 + 1*1 + 4*2 + 1*2``, the field that PyTorch's autograd finds too.

    Examples
    --------
    >>> from torch import nn
    >>> block = [nn.Conv2d(1, 1, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2)]
    >>> model_receptive_field(nn.Sequential(*block, *block, nn.Flatten()))
    (16, 16)
    """
    layers = _spatial_layers(model)
    first = layers[0]
    n = len(first.kernel_size) if isinstance(first, nn.modules.conv._ConvNd) else 2
    sizes = []
    for axis in range(n):
        kernel_sizes, dilations, strides = [], [], []
        for layer in layers:
            stride = layer.kernel_size if layer.stride is None else layer.stride
            kernel_sizes.append(_pair(layer.kernel_size, n)[axis])
            dilations.append(_pair(getattr(layer, "dilation", 1), n)[axis])
            strides.append(_pair(stride, n)[axis])
        sizes.append(receptive_field_size(kernel_sizes, dilations, strides))
    return tuple(sizes)


def input_dependence(kernel_sizes: Sequence[int], dilations: Sequence[int] | None = None):
    """Along one axis: through how many paths one output cell reads each input cell.

    Parameters
    ----------
    kernel_sizes : sequence of int
        Kernel size of each stride-1 layer, first layer first.
    dilations : sequence of int, optional
        Dilation of each layer; all 1 by default.

    Returns
    -------
    ndarray of int, shape (receptive_field_size,)
        Entry ``j`` counts the chains of kernel taps, one per layer, that connect
        input cell ``j`` of the receptive field to the output cell. A zero inside
        the field is a cell the output never sees: the gridding caveat. With all
        weights equal to one, this is the gradient of the output with respect to
        the input.

    Notes
    -----
    Introduced in notebook 03. Computed backwards from the output: a one-cell
    impulse goes through each layer's transposed convolution
    (:func:`helpers.reference.conv_transpose1d`) with an all-ones kernel, last
    layer first.

    Examples
    --------
    >>> input_dependence([3, 3], dilations=[2, 2])
    array([1, 0, 2, 0, 3, 0, 2, 0, 1])
    """
    layers = _layers(kernel_sizes, dilations, None)
    paths = np.ones((1, 1))
    for k, d, _ in reversed(layers):
        paths = reference.conv_transpose1d(paths, np.ones((1, 1, k)), dilation=d)
    return np.rint(paths[0]).astype(int)


def input_dependence_2d(kernel_sizes: Sequence[int], dilations: Sequence[int] | None = None):
    """The 2-D version of :func:`input_dependence` for square kernels.

    Parameters
    ----------
    kernel_sizes, dilations : sequence of int
        As for :func:`input_dependence`, the same along both axes.

    Returns
    -------
    ndarray of int, shape (r, r)
        Paths from each input cell of the ``r x r`` receptive field to the centre
        output cell; zeros show the grid of cells that a repeated dilation skips.

    Notes
    -----
    Introduced in notebook 03. With square all-ones kernels it is the outer
    product of the 1-D counts; computed with
    :func:`helpers.reference.conv_transpose2d` all the same.

    Examples
    --------
    >>> input_dependence_2d([3], dilations=[2])
    array([[1, 0, 1, 0, 1],
           [0, 0, 0, 0, 0],
           [1, 0, 1, 0, 1],
           [0, 0, 0, 0, 0],
           [1, 0, 1, 0, 1]])
    """
    layers = _layers(kernel_sizes, dilations, None)
    paths = np.ones((1, 1, 1))
    for k, d, _ in reversed(layers):
        paths = reference.conv_transpose2d(paths, np.ones((1, 1, k, k)), dilation=d)
    return np.rint(paths[0]).astype(int)
