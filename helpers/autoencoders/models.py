"""The encoder and the four decoders of lesson 07, built from their plans.

Introduced in notebook 07. The channel counts are small on purpose: the code is
``4 x 7 x 7 = 196`` numbers for a 784-pixel image, and one pass of training takes seconds
on a laptop's CPU.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from helpers.autoencoders.design import (
    DECODER_SIZES,
    DECODERS,
    ENCODER_SIZES,
    Upsampler,
    decoder_plan,
    encoder_plan,
)
from helpers.validation import check_choice, check_int

__all__ = ["CHANNELS", "build_autoencoder", "build_decoder", "build_encoder", "upsampler_of"]

#: Channels after the first and the second encoder layer (the code has the second).
CHANNELS = (16, 4)


def _channels(channels) -> tuple[int, int]:
    if not isinstance(channels, tuple | list) or len(channels) != 2:
        raise TypeError(f"channels={channels!r} is invalid: must be a pair (hidden, code)")
    return tuple(check_int(f"channels[{n}]", c, minimum=1) for n, c in enumerate(channels))


def upsampler_of(decoder) -> Upsampler:
    """An :class:`Upsampler` from itself or from a name in :data:`DECODERS`.

    Raises
    ------
    TypeError, ValueError
        If ``decoder`` is neither, or the name is unknown (the known names are listed).
    """
    if isinstance(decoder, Upsampler):
        return decoder
    if not isinstance(decoder, str):
        raise TypeError(f"decoder={decoder!r} is invalid: must be a name or an Upsampler")
    return DECODERS[check_choice("decoder", decoder, DECODERS)]


def build_encoder(channels=CHANNELS, *, seed: int = 0) -> nn.Sequential:
    """Two strided convolutions, 1 x 28 x 28 -> hidden x 14 x 14 -> code x 7 x 7.

    Parameters
    ----------
    channels : (int, int), default=(16, 4)
        Hidden channels and code channels.
    seed : int, default=0
        Seeds the initial weights (PyTorch's default initialisation), without touching
        the global random state.

    Returns
    -------
    nn.Sequential
        ``conv1, relu1, conv2``, the sizes from :func:`encoder_plan`; the code is linear
        (no ReLU), so that random codes can be drawn from a Gaussian.

    Notes
    -----
    Introduced in notebook 07.

    Examples
    --------
    >>> build_encoder()(torch.zeros(2, 1, 28, 28)).shape
    torch.Size([2, 4, 7, 7])
    """
    hidden, code = _channels(channels)
    first, second = encoder_plan(ENCODER_SIZES)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(check_int("seed", seed, minimum=0))
        layers = [("conv1", first.build(1, hidden)), ("relu1", nn.ReLU())]
        layers.append(("conv2", second.build(hidden, code)))
    return nn.Sequential(OrderedDict(layers))


def build_decoder(decoder, channels=CHANNELS, *, seed: int = 0) -> nn.Sequential:
    """The encoder's mirror, code x 7 x 7 -> hidden x 14 x 14 -> 1 x 28 x 28, in [0, 1].

    Parameters
    ----------
    decoder : str or Upsampler
        A name in :data:`DECODERS` (``"uneven"``, ``"even"``, ``"no overlap"``,
        ``"resize"``) or any :class:`Upsampler`.
    channels : (int, int), default=(16, 4)
        As for :func:`build_encoder`.
    seed : int, default=0

    Returns
    -------
    nn.Sequential
        ``up1, relu1, up2, sigmoid``; the two upsampling layers come from
        :func:`decoder_plan`.

    Notes
    -----
    Introduced in notebook 07.

    Examples
    --------
    >>> build_decoder("uneven").up1
    ConvTranspose2d(4, 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))
    """
    upsampler = upsampler_of(decoder)
    hidden, code = _channels(channels)
    first, second = decoder_plan(upsampler, DECODER_SIZES)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(check_int("seed", seed, minimum=0) + 1)
        layers = [("up1", first.build(code, hidden)), ("relu1", nn.ReLU())]
        layers += [("up2", second.build(hidden, 1)), ("sigmoid", nn.Sigmoid())]
    return nn.Sequential(OrderedDict(layers))


def build_autoencoder(decoder, channels=CHANNELS, *, seed: int = 0) -> nn.Sequential:
    """:func:`build_encoder` followed by :func:`build_decoder`.

    Parameters
    ----------
    decoder : str or Upsampler
    channels : (int, int), default=(16, 4)
    seed : int, default=0
        The same seed gives every decoder the same encoder to start from.

    Returns
    -------
    nn.Sequential
        With the two parts as ``.encoder`` and ``.decoder``.

    Notes
    -----
    Introduced in notebook 07.

    Examples
    --------
    >>> build_autoencoder("resize")(torch.zeros(1, 1, 28, 28)).shape
    torch.Size([1, 1, 28, 28])
    """
    return nn.Sequential(
        OrderedDict(
            encoder=build_encoder(channels, seed=seed),
            decoder=build_decoder(decoder, channels, seed=seed),
        )
    )
