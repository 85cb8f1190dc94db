"""Shapes through a whole model: a table of every layer's size, and why a model breaks.

- :func:`explain_shapes` -- a torchsummary-like :class:`ShapeTable`, one row per layer call,
  with the size formula behind each size (:mod:`helpers.shapes.table`);
- :func:`explain_shape_error` -- when PyTorch refuses an input because of shapes, a
  :class:`ShapeReport` naming the layer, what reached it, what it needed, the arithmetic
  behind both, a fix and the sizes that run (:mod:`helpers.shapes.diagnosis`);
- :func:`input_sizes_that_run` -- every input size up to a bound on which a model runs,
  found on PyTorch's ``meta`` device (:mod:`helpers.shapes.sizes`).

Both run the model once with hooks (:mod:`helpers.shapes.recording`) and render every
formula from :mod:`helpers.arithmetic` (:mod:`helpers.shapes.formulas`). Introduced in
notebook 06 (``explain_shapes``); notebook 08 adds any module, ``explain_shape_error`` and
``input_sizes_that_run``.
"""

from helpers.shapes.diagnosis import ShapeReport, explain_shape_error
from helpers.shapes.sizes import input_sizes_that_run
from helpers.shapes.table import LayerShape, ShapeTable, explain_shapes

__all__ = [
    "LayerShape",
    "ShapeReport",
    "ShapeTable",
    "explain_shape_error",
    "explain_shapes",
    "input_sizes_that_run",
]
