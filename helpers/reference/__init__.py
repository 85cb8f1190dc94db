"""From-scratch NumPy reference operators, argument for argument like ``torch.nn.functional``.

Each operator takes a batched ``(N, C, H, W)`` or unbatched ``(C, H, W)`` array,
int or ``(h, w)`` hyper-parameters and PyTorch's weight layouts, validates them
once at this public boundary through :mod:`helpers.validation` (accepting exactly
what PyTorch accepts, and naming a refused argument as the caller spelled it), takes
every size from :mod:`helpers.arithmetic`, and computes with whole-array operations
and loops over *kernel taps*, never over pixels: for each tap, one strided view of
the input (gathering: convolution, pooling) or one strided ``+=`` into the output
(scattering: transposed convolution), plus one matrix product.

Modules: :mod:`~helpers.reference.conv` (``conv2d``),
:mod:`~helpers.reference.transposed` (``conv_transpose2d``, ``transposed_buffer``),
:mod:`~helpers.reference.pooling` (``max_pool2d``, ``avg_pool2d``) and
:mod:`~helpers.reference.one_d` (``conv1d``, ``conv_transpose1d``).

Introduced in notebook 01; the transposed convolution in notebook 04.
"""

from helpers.reference.conv import conv2d
from helpers.reference.one_d import conv1d, conv_transpose1d
from helpers.reference.pooling import avg_pool2d, max_pool2d
from helpers.reference.transposed import conv_transpose2d, transposed_buffer

__all__ = [
    "avg_pool2d",
    "conv1d",
    "conv2d",
    "conv_transpose1d",
    "conv_transpose2d",
    "max_pool2d",
    "transposed_buffer",
]
