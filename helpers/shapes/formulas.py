"""The size formula of one layer, per spatial axis, as :mod:`helpers.arithmetic` renders it.

Convolutions, transposed convolutions and max/average pooling get a
:class:`~helpers.arithmetic.SizeResult` per axis from ``conv_size``, ``conv_transpose_size``
and ``pool_size``; its ``text(compact=True)`` is the formula shown, e.g.
``⌊(28 + 2·2 − 5) / 1⌋ + 1 = 28``. ``Flatten`` shows the product it takes; adaptive pooling
and ``Upsample`` show the sizes PyTorch chose (``adaptive: 13 → 7``, ``×2: 32 → 64``), as
their size is set by an argument, not by a window formula. Introduced in notebook 06;
adaptive pooling, ``Upsample`` and ``padding="same"`` in notebook 08.
"""

from __future__ import annotations

from torch import nn

from helpers import arithmetic

__all__ = ["AXES", "axis_sizes", "layer_formula", "spatial_rank"]

#: Layer classes whose output size :mod:`helpers.arithmetic` computes, by kind.
CONV = (nn.Conv1d, nn.Conv2d, nn.Conv3d)
TRANSPOSED = (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)
POOL = (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d)
ADAPTIVE = (
    nn.AdaptiveAvgPool1d,
    nn.AdaptiveAvgPool2d,
    nn.AdaptiveAvgPool3d,
    nn.AdaptiveMaxPool1d,
    nn.AdaptiveMaxPool2d,
    nn.AdaptiveMaxPool3d,
)
#: Spatial rank of each class above.
_RANK = {cls: n for group in (CONV, TRANSPOSED) for n, cls in enumerate(group, 1)}
_RANK |= {cls: 1 + n % 3 for group in (POOL, ADAPTIVE) for n, cls in enumerate(group)}
#: Names of the spatial axes by rank (``D`` is depth, or the frames of a video).
AXES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


def spatial_rank(module: nn.Module, x_shape: tuple[int, ...]) -> int | None:
    """How many trailing axes of the input are spatial for ``module``, or None (no formula)."""
    for cls, rank in _RANK.items():
        if isinstance(module, cls):
            return rank
    if isinstance(module, nn.Upsample):
        return len(x_shape) - 2
    return None


def _at(value, axis: int) -> int:
    """Return the value of an int-or-tuple hyper-parameter along one axis."""
    return int(value[axis]) if isinstance(value, tuple | list) else int(value)


def _conv(module, axis: int, i: int) -> arithmetic.SizeResult | str:
    k, s, d = (_at(getattr(module, a), axis) for a in ("kernel_size", "stride", "dilation"))
    if module.padding == "valid":
        return arithmetic.conv_size(i, k, s, 0, d)
    if module.padding != "same":
        return arithmetic.conv_size(i, k, s, _at(module.padding, axis), d)
    before, after = arithmetic.same_padding(k, d)
    if before == after:
        return arithmetic.conv_size(i, k, s, before, d)
    # One padding per side in the formula: fold the extra cell after into the input size.
    o = arithmetic.conv_size(i + after - before, k, s, before, d).value
    return f"padding 'same' = {before} + {after}: {i} → {o}"


def _transposed(module, axis: int, i: int) -> arithmetic.SizeResult:
    k, s, p, d, a = (
        _at(getattr(module, name), axis)
        for name in ("kernel_size", "stride", "padding", "dilation", "output_padding")
    )
    return arithmetic.conv_transpose_size(i, k, s, p, d, a)


def _pool(module, axis: int, i: int) -> arithmetic.SizeResult:
    k = _at(module.kernel_size, axis)
    stride = module.stride if module.stride not in (None, (), []) else module.kernel_size
    s, p = _at(stride, axis), _at(module.padding, axis)
    d = _at(getattr(module, "dilation", 1), axis)
    return arithmetic.pool_size(i, k, s, p, d, module.ceil_mode)


def axis_sizes(module: nn.Module, x_shape: tuple[int, ...]) -> list | None:
    """One :class:`~helpers.arithmetic.SizeResult` (or a text) per spatial axis, or None.

    Parameters
    ----------
    module : nn.Module
        A convolution, transposed convolution or max/average pooling layer (others: None).
    x_shape : tuple of int
        The shape that reaches it; its last ``rank`` axes are the spatial ones.

    Returns
    -------
    list or None
        For each spatial axis, what :mod:`helpers.arithmetic` says about it (an impossible
        combination has ``value`` None and names its ``rule``).
    """
    if isinstance(module, CONV):
        size = _conv
    elif isinstance(module, TRANSPOSED):
        size = _transposed
    elif isinstance(module, POOL):
        size = _pool
    else:
        return None
    rank = spatial_rank(module, x_shape)
    return [size(module, axis, x_shape[len(x_shape) - rank + axis]) for axis in range(rank)]


def _called_with_output_size(result: arithmetic.SizeResult, o: int) -> arithmetic.SizeResult:
    """Size it with the ``output_padding`` PyTorch chose for ``forward(x, output_size=...)``."""
    params = {**result.params, "output_padding": 0}
    smallest = arithmetic.conv_transpose_size(**params)
    params["output_padding"] = o - smallest.value
    return arithmetic.conv_transpose_size(**params)


def _flatten(module: nn.Flatten, x_shape, y_shape) -> str:
    start, end = module.start_dim % len(x_shape), module.end_dim % len(x_shape)
    merged = x_shape[start : end + 1]
    if len(merged) < 2:
        return ""
    return f"{'·'.join(map(str, merged))} = {y_shape[start]}"


def _chosen(module: nn.Module, i: int, o: int) -> str:
    """Adaptive pooling and ``Upsample``: the size comes from an argument."""
    if isinstance(module, ADAPTIVE):
        return f"adaptive: {i} → {o}"
    if module.scale_factor is not None:
        return f"×{_show(module.scale_factor)}: {i} → {o}"
    return f"size: {i} → {o}"


def _show(factor) -> str:
    factor = factor[0] if isinstance(factor, tuple | list) and len(set(factor)) == 1 else factor
    return f"{factor:g}" if isinstance(factor, float) else str(factor)


def layer_formula(module: nn.Module, x_shape, y_shape) -> str:
    """Write the formula column of one row: per axis, ``H: …; W: …`` when they differ.

    Parameters
    ----------
    module : nn.Module
    x_shape, y_shape : tuple of int
        Input and output shapes PyTorch passed and produced (batch axis included).

    Returns
    -------
    str
        ``""`` for layers without a size formula (element-wise layers, ``Linear``).

    Raises
    ------
    RuntimeError
        If a formula disagrees with the shape PyTorch produced (a bug here, never expected).
    """
    if isinstance(module, nn.Flatten):
        return _flatten(module, x_shape, y_shape)
    rank = spatial_rank(module, x_shape)
    if rank is None:
        return ""
    sizes = axis_sizes(module, x_shape)
    per_axis = []
    for axis in range(rank):
        i, o = x_shape[len(x_shape) - rank + axis], y_shape[len(y_shape) - rank + axis]
        if sizes is None:
            per_axis.append(_chosen(module, i, o))
            continue
        result = sizes[axis]
        if isinstance(result, str):
            per_axis.append(result)
            continue
        note = ""
        if result.value != o and isinstance(module, TRANSPOSED):
            result, note = _called_with_output_size(result, o), " (output_size at the call)"
        if result.value != o:
            raise RuntimeError(
                f"{type(module).__name__} axis {axis}: the formula gives {result.value}, "
                f"PyTorch produced {o} ({result.text()})"
            )
        per_axis.append(result.text(compact=True) + note)
    if len(set(per_axis)) == 1:
        return per_axis[0]
    return "; ".join(f"{a}: {t}" for a, t in zip(AXES[rank], per_axis, strict=True))
