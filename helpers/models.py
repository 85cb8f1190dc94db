"""The source's two MNIST models, rebuilt as ``nn.Sequential`` s, and their sizes.

- :func:`source_mlp` -- the multilayer perceptron, 784-500-10;
- :func:`source_cnn` -- two (5x5 convolution, ReLU, 2x2 max-pool) blocks and a linear layer
  whose input size :func:`cnn_flat_features` derives with :mod:`helpers.arithmetic`;
- :func:`cnn_receptive_field` -- how many input pixels one cell of the CNN's last feature map
  sees, from :mod:`helpers.receptive_field`;
- :func:`parameter_count` -- torchsummary's "Trainable params".

Introduced in notebook 06. Source: a notebook post titled "Utility of Convolutional Neural
Network over Multilayer Perceptron" that trains both models on MNIST.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict

import torch
from torch import nn

from helpers import arithmetic, receptive_field

__all__ = [
    "CLASSES",
    "SIDE",
    "cnn_flat_features",
    "cnn_receptive_field",
    "parameter_count",
    "seed_cnn",
    "seed_mlp",
    "source_cnn",
    "source_mlp",
]

#: MNIST images are 28 x 28 pixels, one channel, ten classes.
SIDE = 28
CLASSES = 10


def cnn_flat_features(
    side: int = SIDE,
    channels: int = 32,
    *,
    blocks: int = 2,
    kernel: int = 5,
    padding: int = 2,
    pool: int = 2,
) -> int:
    """Inputs of the CNN's linear layer: channels x side x side after the conv/pool blocks.

    Parameters
    ----------
    side : int, default=28
        Input height and width.
    channels : int, default=32
        Channels of the last block.
    blocks : int, default=2
        Number of (convolution, ReLU, max-pool) blocks.
    kernel, padding : int, default=5, 2
        Convolution kernel size and padding (stride 1).
    pool : int, default=2
        Max-pool window and stride.

    Returns
    -------
    int
        ``channels * o * o`` where ``o`` follows ``side`` through each block with
        :func:`helpers.arithmetic.conv_output_size` and ``pool_output_size``.

    Raises
    ------
    TypeError, ValueError
        From :mod:`helpers.arithmetic`, naming the parameter, when a size is out of range
        or the input becomes too small for a block.

    Notes
    -----
    Introduced in notebook 06: the source types ``nn.Linear(32 * 7 * 7, 10)``; the 7 comes
    from 28 -> 28 -> 14 -> 14 -> 7.

    Examples
    --------
    >>> cnn_flat_features()
    1568
    >>> cnn_flat_features(padding=0)   # 28 -> 24 -> 12 -> 8 -> 4
    512
    """
    size = side
    for _ in range(blocks):
        size = arithmetic.conv_output_size(size, kernel, p=padding)
        size = arithmetic.pool_output_size(size, pool)
    return channels * size * size


def cnn_receptive_field(*, blocks: int = 2, kernel: int = 5, pool: int = 2) -> int:
    """Side of the input square that one cell of the CNN's last feature map depends on.

    Parameters
    ----------
    blocks : int, default=2
        Number of (convolution, ReLU, max-pool) blocks.
    kernel : int, default=5
        Convolution kernel size (stride 1).
    pool : int, default=2
        Max-pool window and stride.

    Returns
    -------
    int
        :func:`helpers.receptive_field.receptive_field_size` of the layers
        ``[kernel, pool] * blocks`` with strides ``[1, pool] * blocks``:
        ``1 + sum_l (k_l - 1) * prod_{j<l} s_j``. For the source's CNN,
        ``1 + 4 + 1*1 + 4*2 + 1*2 = 16``.

    Notes
    -----
    Introduced in notebook 06, for the translation test: a cell of the 7x7 map sees a 16x16
    patch of the image, and neighbouring cells' patches start 4 pixels apart (the product
    of the strides). Padding moves the patches but does not change their size.

    Examples
    --------
    >>> cnn_receptive_field()
    16
    """
    kernels = [kernel, pool] * blocks
    strides = [1, pool] * blocks
    return receptive_field.receptive_field_size(kernels, strides=strides)


@contextlib.contextmanager
def _seeded(seed: int):
    """Build a model from a private random stream, leaving the global one untouched."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def source_mlp(hidden: int = 500, *, seed: int = 0) -> nn.Sequential:
    """The source's multilayer perceptron: flatten, 784 -> hidden, ReLU, hidden -> 10.

    Parameters
    ----------
    hidden : int, default=500
        Hidden units.
    seed : int, default=0
        Seeds the initial weights (the global random state is left alone).

    Returns
    -------
    nn.Sequential
        Takes images ``(N, 1, 28, 28)``; returns logits ``(N, 10)``. With 500 hidden units
        it has 784*500 + 500 + 500*10 + 10 = 397,510 parameters.

    Notes
    -----
    Introduced in notebook 06. The source's ``NeuralNet`` reshapes the batch to ``(N, 784)``
    in its training loop; ``nn.Flatten`` does it inside the model.

    Examples
    --------
    >>> parameter_count(source_mlp())
    397510
    """
    with _seeded(seed):
        return nn.Sequential(
            nn.Flatten(),
            nn.Linear(SIDE * SIDE, hidden),
            nn.ReLU(),
            nn.Linear(hidden, CLASSES),
        )


def source_cnn(channels: tuple[int, int] = (16, 32), *, seed: int = 0) -> nn.Sequential:
    """The source's CNN: two (5x5 conv, pad 2, ReLU, 2x2 max-pool) blocks, then a linear layer.

    Parameters
    ----------
    channels : (int, int), default=(16, 32)
        Output channels of the two convolutions.
    seed : int, default=0
        Seeds the initial weights (the global random state is left alone).

    Returns
    -------
    nn.Sequential
        Children ``conv1``, ``conv2`` (each an ``nn.Sequential``), ``flatten``, ``out``, as in
        the source. Takes ``(N, 1, 28, 28)``; returns logits ``(N, 10)``. The linear layer's
        input size comes from :func:`cnn_flat_features`; with (16, 32) channels the model
        has 28,938 parameters.

    Notes
    -----
    Introduced in notebook 06. The source's ``forward`` also returned the flattened features
    "for visualization"; here ``model.conv1(x)`` gives any intermediate map instead.

    Examples
    --------
    >>> cnn = source_cnn()
    >>> cnn.out
    Linear(in_features=1568, out_features=10, bias=True)
    >>> parameter_count(cnn)
    28938
    """
    c1, c2 = channels
    with _seeded(seed):
        return nn.Sequential(
            OrderedDict(
                conv1=_conv_block(1, c1),
                conv2=_conv_block(c1, c2),
                flatten=nn.Flatten(),
                out=nn.Linear(cnn_flat_features(channels=c2), CLASSES),
            )
        )


#: Earlier names of :func:`source_mlp` and :func:`source_cnn`, kept so that older code still runs.
seed_mlp, seed_cnn = source_mlp, source_cnn


def _conv_block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, kernel_size=5, stride=1, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(kernel_size=2),
    )


def parameter_count(model: nn.Module) -> int:
    """Number of learnable parameters, as torchsummary's "Trainable params".

    Parameters
    ----------
    model : nn.Module

    Returns
    -------
    int
        The sum of ``p.numel()`` over the parameters with ``requires_grad``.

    Notes
    -----
    Introduced in notebook 06.

    Examples
    --------
    >>> parameter_count(nn.Conv2d(1, 16, 5))   # 5*5*1*16 + 16
    416
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
