"""Helpers for the notebook series *Convolution Arithmetic, by hand and by PyTorch*.

Modules, each named after one concept and introduced by the lesson in brackets:

- :mod:`helpers.arithmetic` -- output sizes of convolution, pooling and transposed
  convolution (01);
- :mod:`helpers.reference` -- from-scratch NumPy operators that agree with
  ``torch.nn.functional`` (01);
- :mod:`helpers.drawing` -- matplotlib pictures of grids, windows, receptive fields (01);
- :mod:`helpers.widgets` -- the slider explorers (01);
- :mod:`helpers.exercises` -- checking a learner's answers (01);
- :mod:`helpers.receptive_field` -- receptive fields of stacked convolutions (03);
- :mod:`helpers.transposed` -- the three views of transposed convolution, checkerboards (04);
- :mod:`helpers.channels` -- channels, groups and parameter counts (05);
- :mod:`helpers.shapes` -- ``explain_shapes``, a model's sizes with their formulas (06);
- :mod:`helpers.mnist` -- real MNIST, the seed's models, training and evaluation (06).
"""
