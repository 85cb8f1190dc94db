"""``explain_shapes``: a torchsummary-like table whose sizes show the arithmetic behind them.

For every leaf module a model calls (nested and non-sequential models included; a module
called twice gives two rows) the table lists the output shape that PyTorch produced, the
parameter count and, for convolutions, transposed convolutions and pooling layers, the size
formula with the layer's numbers in it, e.g. ``⌊(28 + 2·2 − 5) / 1⌋ + 1 = 28``, rendered by
:mod:`helpers.arithmetic` and checked against the shape PyTorch produced.

Introduced in notebook 06, after ``torchsummary.summary``, which a notebook comparing an
MLP with a CNN on MNIST uses; any module in notebook 08.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from helpers.shapes.formulas import layer_formula
from helpers.shapes.recording import Call, check_input_size, record

__all__ = ["LayerShape", "ShapeTable", "explain_shapes", "rows_of", "shape_text"]


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
        One input's shape, batch axis excluded.
    rows : tuple of LayerShape
        In the order the layers ran.
    total_params : int
        Every parameter of the model.
    """

    input_shape: tuple[int, ...]
    rows: tuple[LayerShape, ...]
    total_params: int

    def lines(self, *, total: bool = True) -> list[str]:
        """Return the table's lines; ``total=False`` leaves out the parameter total."""
        header = ("Layer (type)", "Output shape", "Param #", "Output size")
        body = [("input", shape_text(self.input_shape), "", "")]
        body += [
            (f"{r.name} ({r.kind})", shape_text(r.output_shape), f"{r.params:,}", r.formula)
            for r in self.rows
        ]
        widths = [max(len(line[j]) for line in [header, *body]) for j in range(3)]
        first = _table_line(header, widths)
        rule = "=" * len(first)
        lines = [first, rule, *(_table_line(line, widths) for line in body), rule]
        if total:
            lines.append(f"Total params: {self.total_params:,}")
        return lines

    def __str__(self) -> str:
        """Return the table as text."""
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        """Return the table as text, as :meth:`__str__`."""
        return str(self)


def _table_line(cells: tuple[str, str, str, str], widths: list[int]) -> str:
    name, shape, params, formula = cells
    text = f"{name:<{widths[0]}}  {shape:<{widths[1]}}  {params:>{widths[2]}}  {formula}"
    return text.rstrip()


def shape_text(shape: tuple[int, ...]) -> str:
    """Write a shape without its batch axis as torchsummary does: ``[-1, 16, 28, 28]``."""
    return str([-1, *shape])


def rows_of(calls: list[Call]) -> tuple[LayerShape, ...]:
    """Make one :class:`LayerShape` per recorded leaf call, in order."""
    return tuple(
        LayerShape(
            call.name,
            type(call.module).__name__,
            call.input_shape[1:],
            call.output_shape[1:],
            sum(p.numel() for p in call.module.parameters(recurse=False)),
            layer_formula(call.module, call.input_shape, call.output_shape),
        )
        for call in calls
    )


def explain_shapes(model: nn.Module, input_size) -> ShapeTable:
    """Run ``model`` once and explain every layer's output shape with its formula.

    Parameters
    ----------
    model : nn.Module
        Any module whose ``forward`` takes one tensor: ``nn.Sequential`` s, nested or not,
        and models with their own ``forward`` (skip connections with ``torch.cat`` or
        ``+``), with ``Conv1d/2d/3d``, ``ConvTranspose1d/2d/3d``, max/average pooling
        (``ceil_mode`` too), adaptive pooling, ``Upsample``, ``Flatten``, ``Linear`` and
        element-wise layers (those keep the shape, without a formula).
    input_size : tuple of int
        One input's shape without the batch axis, as for ``torchsummary.summary``:
        ``(1, 28, 28)`` for an MNIST image.

    Returns
    -------
    ShapeTable
        Prints as a table: one row per leaf-module call in the order they ran (a module
        called twice gives two rows), its output shape (``-1`` for the batch), its own
        parameters and, for convolution, transposed convolution and pooling layers, the
        output-size formula per spatial axis with its numbers, e.g.
        ``⌊(28 + 2·2 − 5) / 1⌋ + 1 = 28`` (``H: …; W: …`` when the axes differ).
        ``Flatten`` shows the product it takes, adaptive pooling and ``Upsample`` the
        sizes they were told to produce; a transposed convolution called with
        ``output_size=`` shows the ``output_padding`` PyTorch chose for it. Operations
        in ``forward`` (``torch.cat``, ``+``, ``view``) are not modules and get no row.

    Raises
    ------
    TypeError, ValueError
        If ``input_size`` is not a tuple of positive ints.
    RuntimeError
        What PyTorch raised if the model does not run on this input (with a note to call
        :func:`helpers.shapes.explain_shape_error`), or if a formula disagrees with the
        shape PyTorch produced (a bug here, never expected).

    See Also
    --------
    explain_shape_error : Why a model does not run on an input, and what to change.

    Notes
    -----
    Introduced in notebook 06. A batch of one zero image goes through the model in eval
    mode under ``torch.no_grad()``, on the model's device and dtype; forward hooks on the
    modules record the shapes, as ``torchsummary`` does. The model's mode is restored.
    The formulas are :class:`helpers.arithmetic.SizeResult` texts from ``conv_size``,
    ``pool_size`` and ``conv_transpose_size`` (lessons 01, 02 and 04).

    Examples
    --------
    >>> block = nn.Sequential(nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2))
    >>> print(explain_shapes(block, (1, 28, 28)))
    Layer (type)   Output shape      Param #  Output size
    =====================================================
    input          [-1, 1, 28, 28]
    0 (Conv2d)     [-1, 16, 28, 28]      416  ⌊(28 + 2·2 − 5) / 1⌋ + 1 = 28
    1 (ReLU)       [-1, 16, 28, 28]        0
    2 (MaxPool2d)  [-1, 16, 14, 14]        0  ⌊(28 + 2·0 − 2) / 2⌋ + 1 = 14
    =====================================================
    Total params: 416
    """
    input_size = check_input_size(input_size)
    recording = record(model, input_size)
    if recording.failure is not None:
        error = recording.failure.error
        error.add_note(
            f"helpers.shapes.explain_shape_error(model, {input_size}) explains where and why."
        )
        raise error
    total = sum(p.numel() for p in model.parameters())
    return ShapeTable(input_size, rows_of(recording.calls), total)
