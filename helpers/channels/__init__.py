"""Channels: weight shapes, parameter counts, groups, layouts and the APL ``UP``.

A convolution layer with ``C_in`` input and ``C_out`` output channels holds one
``kH x kW`` kernel for every (input channel, output channel) pair that is connected;
``groups`` splits the channels into independent blocks so that fewer pairs are.
This package counts those kernels, lays them out the way PyTorch does, says which
pairs are connected, and rebuilds multi-channel (transposed) convolution from
single-channel pieces computed by :mod:`helpers.reference`. One concept per module:

- :mod:`~helpers.channels.groups` -- the ``groups`` rule and the connectivity
  (:func:`check_groups`, :func:`channel_groups`, :func:`channel_connectivity`);
- :mod:`~helpers.channels.counts` -- weight shapes and parameter counts;
- :mod:`~helpers.channels.by_channel` -- the multi-channel rule as a sum of
  single-channel convolutions;
- :mod:`~helpers.channels.layouts` -- channels first / last, ``nn.Linear`` at every pixel;
- :mod:`~helpers.channels.up` -- Aaron Hsu's APL ``UP`` as one tensor product.

Introduced in notebook 05. Sources: a blog post on multi-channel transposed convolution
(with Aaron Hsu's APL ``UP``), study notes on transposed convolution (the channels-last
pitfall), and the
documentation of ``torch.nn.Conv2d`` / ``torch.nn.ConvTranspose2d`` (weight shapes
and the ``groups`` rule).
"""

from helpers.channels.by_channel import (
    conv2d_channel_by_channel,
    conv_transpose2d_channel_by_channel,
)
from helpers.channels.counts import (
    conv_param_count,
    conv_transpose_weight_shape,
    conv_weight_shape,
    depthwise_param_count,
    depthwise_separable_param_count,
)
from helpers.channels.groups import channel_connectivity, channel_groups, check_groups
from helpers.channels.layouts import linear_at_every_pixel, to_channels_first, to_channels_last
from helpers.channels.up import to_up_layout, upsample_tensordot

__all__ = [
    "channel_connectivity",
    "channel_groups",
    "check_groups",
    "conv2d_channel_by_channel",
    "conv_param_count",
    "conv_transpose2d_channel_by_channel",
    "conv_transpose_weight_shape",
    "conv_weight_shape",
    "depthwise_param_count",
    "depthwise_separable_param_count",
    "linear_at_every_pixel",
    "to_channels_first",
    "to_channels_last",
    "to_up_layout",
    "upsample_tensordot",
]
