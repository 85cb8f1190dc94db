"""Transposed convolution taken apart: the pieces that lesson 04 draws and checks.

:func:`helpers.reference.conv_transpose2d` computes a transposed convolution; this
package exposes the steps behind it, one picture or one check each, for a single
channel (2-D arrays in, 2-D arrays out), one concept per module:

- :mod:`~helpers.transposed.scatter` -- :func:`kernel_copies`, the scaled kernel copy
  that each input element scatters into the intermediate buffer (the blog post, study
  notes and question-and-answer of lesson 04 draw these by hand), and
  :func:`output_cell_terms`, which input elements and kernel taps sum into one output
  cell (why ``out[0, 0] = 6`` and ``out[0, 1] = 12`` for ``ConvTranspose2d(1, 1, 4, 2, 1)``);
- :mod:`~helpers.transposed.conv_matrix` -- :func:`conv_matrix`, the sparse matrix
  ``C`` of a small convolution, so that ``conv = C @ x`` and
  ``transposed conv = C.T @ y`` (the definition of *transposed*);
- :mod:`~helpers.transposed.stretch` -- :func:`zero_stretch`,
  :func:`stretched_padded_input` and :func:`transposed_conv_as_convolution`:
  transposed convolution as an ordinary convolution of the zero-stretched,
  ``d(k - 1) - p``-padded input with the flipped kernel (checked on examples);
- :mod:`~helpers.transposed.output_padding` -- :func:`matching_output_padding` and
  :func:`same_transposed_padding`, the ``output_padding`` arithmetic (the paper's
  ``a``, TensorFlow's ``"same"``);
- :mod:`~helpers.transposed.overlap` -- :func:`overlap_counts`,
  :func:`overlap_counts_2d`, :func:`overlap_pattern`, :func:`nearest_upsample` and
  :func:`resize_convolution`: uneven overlap, one source of checkerboard artifacts, and
  the resize-then-convolve alternative (Odena, Dumoulin & Olah, *Deconvolution and
  Checkerboard Artifacts*, Distill 2016).

Every computation calls :mod:`helpers.reference` or :mod:`helpers.arithmetic`
rather than re-deriving them. Introduced in notebook 04; the overlap counts are used in
notebooks 05 and 07.
"""

from helpers.transposed.conv_matrix import conv_matrix
from helpers.transposed.output_padding import matching_output_padding, same_transposed_padding
from helpers.transposed.overlap import (
    nearest_upsample,
    overlap_counts,
    overlap_counts_2d,
    overlap_pattern,
    resize_convolution,
)
from helpers.transposed.scatter import Term, kernel_copies, output_cell_terms
from helpers.transposed.stretch import (
    stretched_padded_input,
    transposed_conv_as_convolution,
    zero_stretch,
)

__all__ = [
    "Term",
    "conv_matrix",
    "kernel_copies",
    "matching_output_padding",
    "nearest_upsample",
    "output_cell_terms",
    "overlap_counts",
    "overlap_counts_2d",
    "overlap_pattern",
    "resize_convolution",
    "same_transposed_padding",
    "stretched_padded_input",
    "transposed_conv_as_convolution",
    "zero_stretch",
]
