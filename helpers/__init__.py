"""Helpers for the notebook series *Convolution Arithmetic, by hand and by PyTorch*.

Modules, each named after one concept:

- :mod:`helpers.arithmetic` -- output sizes of convolution, pooling and transposed convolution;
- :mod:`helpers.reference` -- from-scratch NumPy operators that agree with ``torch.nn.functional``;
- the drawing, widget, channel and MNIST modules used by the lessons.
"""
