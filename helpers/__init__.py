"""Helpers for the notebook series *Convolution Arithmetic, by hand and by PyTorch*.

Each module or subpackage holds one concept; the lesson that introduces it is in brackets.

Checking and computing

- :mod:`helpers.validation` -- the one checking path: integers, tuples in PyTorch's
  spellings, and ``ShapeRuleError`` naming the parameter, the value and the rule (01);
- :mod:`helpers.arithmetic` -- every output size in the package, with the formula and its
  numbers (``conv_size`` and friends return a ``SizeResult``); ``conv_configs`` and
  ``conv_transpose_configs`` solve for the layer (01, 08);
- :mod:`helpers.windows` -- which input cells a kernel window touches (01);
- :mod:`helpers.reference` -- from-scratch NumPy operators that agree with
  ``torch.nn.functional`` (01);
- :mod:`helpers.relationships` -- the fifteen Relationships of Dumoulin & Visin (01-04);
- :mod:`helpers.receptive_field` -- receptive fields of stacks with strides, dilation and
  pooling (03);
- :mod:`helpers.transposed` -- the scatter, matrix and stretched-input views of transposed
  convolution, and kernel overlap (04);
- :mod:`helpers.channels` -- channels, groups, layouts and parameter counts (05);
- :mod:`helpers.shapes` -- ``explain_shapes`` and ``explain_shape_error`` for any model (06, 08);
- :mod:`helpers.checkerboard` -- a checkerboard score for images (07).

Data, models and training

- :mod:`helpers.mnist` -- real MNIST, checked file by file, and image shifts (06);
- :mod:`helpers.models` -- the source notebook's MLP and CNN (06);
- :mod:`helpers.training` -- recipes, the precision chosen by measurement, the training loop,
  batches and evaluation (06);
- :mod:`helpers.autoencoders` -- an encoder and four mirrored decoders, reconstruction
  training and probes (07).

Showing

- :mod:`helpers.drawing` -- matplotlib pictures: grids, windows, transposed copies, channels,
  training curves, reconstructions (01-07);
- :mod:`helpers.widgets` -- the slider explorers, which also leave a static picture (01-08);
- :mod:`helpers.animation` -- explorers stepped through as animated GIFs (the gallery);
- :mod:`helpers.exercises` -- checking a learner's answers (01).
"""
