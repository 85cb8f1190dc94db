"""``explain_shapes``: a torchsummary-like table whose sizes show the arithmetic behind them.

For every layer of a model (nested ``nn.Sequential`` s included) the table lists the output
shape that PyTorch produced, the parameter count, and, for convolutions, transposed
convolutions and pooling layers, the size formula of lessons 01-04 with the layer's numbers
in it, e.g. ``⌊(28 + 2·2 − 5)/1⌋ + 1 = 28``. Each number after ``=`` comes from
:mod:`helpers.arithmetic` and is checked against the shape PyTorch produced (forward hooks).

Introduced in notebook 06, after ``torchsummary.summary`` (seed 001).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import torch
from torch import nn

from helpers import arithmetic

__all__ = ["LayerShape", "ShapeTable", "explain_shapes"]

# Layer classes whose output size helpers.arithmetic computes, with their spatial rank.
_CONV = {nn.Conv1d: 1, nn.Conv2d: 2, nn.Conv3d: 3}
_TRANSPOSED = {nn.ConvTranspose1d: 1, nn.ConvTranspose2d: 2, nn.ConvTranspose3d: 3}
_MAX_POOL = {nn.MaxPool1d: 1, nn.MaxPool2d: 2, nn.MaxPool3d: 3}
_AVG_POOL = {nn.AvgPool1d: 1, nn.AvgPool2d: 2, nn.AvgPool3d: 3}
_AXES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


@dataclass(frozen=True)
class LayerShape:
    """One row of a :class:`ShapeTable`.

    Attributes
    ----------
    name : str
        The module's dotted name in the model (``"conv1.0"``).
    kind : str
        Its class name (``"Conv2d"``).
    input_shape, output_shape : tuple of int
        Shapes PyTorch passed in and produced, batch axis excluded.
    params : int
        The layer's own parameters.
    formula : str
        The size formula with numbers, or ``""`` for layers that keep or do not compute
        a spatial size.
    """

    name: str
    kind: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int
    formula: str


@dataclass(frozen=True)
class ShapeTable:
    """The result of :func:`explain_shapes`; prints as a table.

    Attributes
    ----------
    input_shape : tuple of int
    rows : tuple of LayerShape
        In the order the layers ran.
    total_params : int
        Every parameter of the model.
    """

    input_shape: tuple[int, ...]
    rows: tuple[LayerShape, ...]
    total_params: int

    def __str__(self) -> str:
        header = ("Layer (type)", "Output shape", "Param #", "Output size")
        body = [("input", _shape_text(self.input_shape), "", "")]
        body += [
            (f"{r.name} ({r.kind})", _shape_text(r.output_shape), f"{r.params:,}", r.formula)
            for r in self.rows
        ]
        widths = [max(len(line[j]) for line in [header, *body]) for j in range(3)]
        lines = [_table_line(header, widths)]
        rule = "=" * len(lines[0])
        lines = [lines[0], rule, *(_table_line(line, widths) for line in body), rule]
        lines.append(f"Total params: {self.total_params:,}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


def _table_line(cells: tuple[str, str, str, str], widths: list[int]) -> str:
    name, shape, params, formula = cells
    text = f"{name:<{widths[0]}}  {shape:<{widths[1]}}  {params:>{widths[2]}}  {formula}"
    return text.rstrip()


def _shape_text(shape: tuple[int, ...]) -> str:
    return str([-1, *shape])


def explain_shapes(model: nn.Module, input_size) -> ShapeTable:
    """Run ``model`` once and explain every layer's output shape with its formula.

    Parameters
    ----------
    model : nn.Module
        Any model whose ``forward`` takes one tensor: ``nn.Sequential`` s, nested or not,
        with convolutions, transposed convolutions, max/average pooling, ``Flatten``,
        ``Linear`` and element-wise layers (those keep the shape, without a formula).
    input_size : tuple of int
        One input's shape without the batch axis, as for ``torchsummary.summary``:
        ``(1, 28, 28)`` for an MNIST image.

    Returns
    -------
    ShapeTable
        Prints as a table: layer, output shape (``-1`` for the batch), parameters and,
        for convolution, transposed convolution and pooling layers, the output-size formula
        per spatial axis with its numbers, e.g. ``⌊(28 + 2·2 − 5)/1⌋ + 1 = 28``
        (``H: …; W: …`` when the axes differ). ``Flatten`` shows the product it takes.

    Raises
    ------
    TypeError, ValueError
        If ``input_size`` is not a tuple of positive ints.
    RuntimeError
        If a formula disagrees with the shape PyTorch produced (a bug here, never expected).

    Notes
    -----
    Introduced in notebook 06. A batch of one zero image goes through the model in eval
    mode under ``torch.no_grad()``, on the model's device and dtype; forward hooks on the
    leaf modules record the shapes, as ``torchsummary`` does. The model's mode is restored.
    The sizes come from :mod:`helpers.arithmetic`: ``conv_output_size``,
    ``pool_output_size`` and ``conv_transpose_output_size`` (lessons 01, 02 and 04).

    Examples
    --------
    >>> block = nn.Sequential(nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2))
    >>> print(explain_shapes(block, (1, 28, 28)))
    Layer (type)   Output shape      Param #  Output size
    =====================================================
    input          [-1, 1, 28, 28]
    0 (Conv2d)     [-1, 16, 28, 28]      416  ⌊(28 + 2·2 − 5)/1⌋ + 1 = 28
    1 (ReLU)       [-1, 16, 28, 28]        0
    2 (MaxPool2d)  [-1, 16, 14, 14]        0  ⌊(28 + 2·0 − 2)/2⌋ + 1 = 14
    =====================================================
    Total params: 416
    """
    input_size = _check_input_size(input_size)
    calls = _record_calls(model, input_size)
    rows = tuple(_row(name, module, x, y) for name, module, x, y in calls)
    total = sum(p.numel() for p in model.parameters())
    return ShapeTable(input_size, rows, total)


def _check_input_size(input_size) -> tuple[int, ...]:
    if not isinstance(input_size, tuple | list) or not input_size:
        raise TypeError(f"input_size={input_size!r} is invalid: must be a tuple of ints")
    for value in input_size:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"input_size={input_size!r} is invalid: must be a tuple of ints")
        if value < 1:
            raise ValueError(f"input_size={input_size!r} is invalid: every size must be >= 1")
    return tuple(int(v) for v in input_size)


def _record_calls(model: nn.Module, input_size: tuple[int, ...]) -> list:
    """(name, module, input shape, output shape) of every leaf-module call, in order."""
    calls = []

    def hook(module, inputs, output):
        x = next((t for t in inputs if isinstance(t, torch.Tensor)), None)
        y = output[0] if isinstance(output, tuple | list) else output
        if isinstance(x, torch.Tensor) and isinstance(y, torch.Tensor):
            calls.append((names[module], module, tuple(x.shape), tuple(y.shape)))

    names = {m: name or "(model)" for name, m in model.named_modules() if not list(m.children())}
    handles = [module.register_forward_hook(hook) for module in names]
    parameter = next(model.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    dtype = parameter.dtype if parameter is not None else torch.get_default_dtype()
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros((1, *input_size), device=device, dtype=dtype))
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return calls


def _row(name: str, module: nn.Module, x_shape, y_shape) -> LayerShape:
    params = sum(p.numel() for p in module.parameters(recurse=False))
    formula = _formula(module, x_shape, y_shape)
    return LayerShape(name, type(module).__name__, x_shape[1:], y_shape[1:], params, formula)


def _formula(module: nn.Module, x_shape, y_shape) -> str:
    if isinstance(module, nn.Flatten):
        return _flatten_formula(module, x_shape, y_shape)
    explain = _explainer(module)
    if explain is None:
        return ""
    explain_axis, rank = explain
    per_axis = []
    for axis in range(rank):
        i, o_torch = x_shape[-rank + axis], y_shape[-rank + axis]
        text, o = explain_axis(module, axis, i)
        if o != o_torch:
            raise RuntimeError(
                f"{type(module).__name__} axis {axis}: the formula gives {o}, "
                f"PyTorch produced {o_torch} ({text})"
            )
        per_axis.append(f"{text} = {o}")
    if len(set(per_axis)) == 1:
        return per_axis[0]
    return "; ".join(f"{a}: {t}" for a, t in zip(_AXES[rank], per_axis, strict=True))


def _explainer(module: nn.Module):
    """The per-axis explaining function for the module's class, and its spatial rank."""
    for table, function in (
        (_CONV, _conv_axis),
        (_TRANSPOSED, _transposed_axis),
        (_MAX_POOL, _pool_axis),
        (_AVG_POOL, _pool_axis),
    ):
        for cls, rank in table.items():
            if isinstance(module, cls):
                return function, rank
    return None


def _at(value, axis: int) -> int:
    """The value of an int-or-tuple hyper-parameter along one axis."""
    return int(value[axis]) if isinstance(value, tuple | list) else int(value)


def _conv_axis(module, axis: int, i: int) -> tuple[str, int]:
    k, s, d = (_at(getattr(module, a), axis) for a in ("kernel_size", "stride", "dilation"))
    if module.padding == "same":
        before, after = arithmetic.same_padding(k, d)
    elif module.padding == "valid":
        before = after = 0
    else:
        before = after = _at(module.padding, axis)
    padded = f"{i} + 2·{before}" if before == after else f"{i} + {before} + {after}"
    span = f"{k}" if d == 1 else f"{d}·({k} − 1) − 1"
    text = f"⌊({padded} − {span})/{s}⌋ + 1"
    # Asymmetric padding is folded into the input size; arithmetic takes one padding per side.
    o = arithmetic.conv_output_size(i + after - before, k, s=s, p=before, d=d)
    return text, o


def _transposed_axis(module, axis: int, i: int) -> tuple[str, int]:
    k, s, p, d, a = (
        _at(getattr(module, name), axis)
        for name in ("kernel_size", "stride", "padding", "dilation", "output_padding")
    )
    text = f"({i} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {a} + 1"
    o = arithmetic.conv_transpose_output_size(i, k, s=s, p=p, d=d, output_padding=a)
    return text, o


def _pool_axis(module, axis: int, i: int) -> tuple[str, int]:
    k = _at(module.kernel_size, axis)
    s = _at(module.stride if module.stride is not None else module.kernel_size, axis)
    p = _at(module.padding, axis)
    d = _at(getattr(module, "dilation", 1), axis)
    span = f"{k}" if d == 1 else f"{d}·({k} − 1) − 1"
    left, right = ("⌈", "⌉") if module.ceil_mode else ("⌊", "⌋")
    text = f"{left}({i} + 2·{p} − {span})/{s}{right} + 1"
    o = arithmetic.pool_output_size(i, k, s=s, p=p, d=d, ceil_mode=module.ceil_mode)
    if module.ceil_mode and o == -(-(i + 2 * p - d * (k - 1) - 1) // s):
        text += " − 1 (the last window would start in the padding)"
    return text, o


def _flatten_formula(module: nn.Flatten, x_shape, y_shape) -> str:
    start, end = module.start_dim % len(x_shape), module.end_dim % len(x_shape)
    merged = x_shape[start : end + 1]
    if len(merged) < 2:
        return ""
    product = 1
    for size in merged:
        product *= size
    return f"{'·'.join(map(str, merged))} = {product}"
