"""Output-size arithmetic of convolution, pooling and transposed convolution.

The only place in :mod:`helpers` that computes a size. Every function works on one
spatial axis: integers in, an integer (or a list of integers, or a
:class:`SizeResult`) out. Each one accepts exactly the arguments PyTorch accepts and
raises ``ValueError`` (or ``TypeError`` for a non-integer) naming the parameter, its
value and the rule for the ones PyTorch rejects.

Modules:

- :mod:`~helpers.arithmetic.sizes` -- the size functions, plain (``conv_output_size``)
  and with their formula (``conv_size``, returning a :class:`SizeResult`);
- :mod:`~helpers.arithmetic.result` -- :class:`SizeResult`;
- :mod:`~helpers.arithmetic.formula` -- the formula templates, rendered as Unicode,
  ASCII or HTML;
- :mod:`~helpers.arithmetic.kernel` -- dilated kernel span and "same" padding;
- :mod:`~helpers.arithmetic.axes` -- a size function applied along every spatial axis.

The formulas follow Dumoulin & Visin, *A guide to convolution arithmetic for deep
learning* (2016), arXiv:1603.07285, and the shape formulas in the documentation of
``torch.nn.Conv2d``, ``torch.nn.MaxPool2d`` and ``torch.nn.ConvTranspose2d``.
Introduced in notebook 01.
"""

from helpers.arithmetic.axes import TORCH_NAMES, spatial_sizes
from helpers.arithmetic.configs import conv_configs, conv_transpose_configs  # noqa: F401
from helpers.arithmetic.formula import render
from helpers.arithmetic.kernel import (
    effective_kernel_size,
    equivalent_padding,
    max_pool_padding,
    same_padding,
)
from helpers.arithmetic.result import SizeResult
from helpers.arithmetic.sizes import (
    conv_input_sizes,
    conv_output_size,
    conv_size,
    conv_transpose_output_size,
    conv_transpose_size,
    pool_output_size,
    pool_size,
)
from helpers.arithmetic.upsample import upsample_output_size
from helpers.validation import ShapeRuleError, check_int

__all__ = [
    "ShapeRuleError",
    "SizeResult",
    "TORCH_NAMES",
    "check_int",
    "conv_input_sizes",
    "conv_output_size",
    "conv_size",
    "conv_transpose_output_size",
    "conv_transpose_size",
    "effective_kernel_size",
    "equivalent_padding",
    "max_pool_padding",
    "pool_output_size",
    "pool_size",
    "render",
    "same_padding",
    "spatial_sizes",
    "upsample_output_size",
]
