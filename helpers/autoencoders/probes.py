"""Inputs that make checkerboard artifacts visible: constant codes, random codes, gradients.

Each function returns images for :func:`helpers.checkerboard.checkerboard_score`:

- :func:`constant_code_image` -- a decoder's output for a code that is the same number
  everywhere (Distill's first claim: uneven overlap paints a checkerboard on it);
- :func:`uniform_weights` -- a copy of a decoder whose every weight is the same positive
  number and every bias zero, so that its output is lesson 04's overlap count, passed on
  through the layers;
- :func:`random_codes` -- codes drawn like the encoder's codes of real images, to decode
  pictures no training image pinned down;
- :func:`input_gradient` -- the gradient of a sum of outputs with respect to the input,
  by autograd (Distill's last claim: a strided convolution's gradient carries the pattern).

Introduced in notebook 07.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from helpers.autoencoders.training import reconstruct
from helpers.validation import check_int

__all__ = ["constant_code_image", "input_gradient", "random_codes", "uniform_weights"]


def _first_channels(decoder: nn.Module) -> int:
    for module in decoder.modules():
        if isinstance(module, nn.Conv2d | nn.ConvTranspose2d):
            return module.in_channels
    raise TypeError(f"decoder={decoder!r} is invalid: it has no convolution")


def constant_code_image(decoder: nn.Module, size: int = 7, value: float = 1.0) -> torch.Tensor:
    """The decoder's image for a code of ``value`` at every position and channel.

    Parameters
    ----------
    decoder : nn.Module
        Maps ``(N, C, size, size)`` codes to images; ``C`` is read off its first
        convolution.
    size : int, default=7
        The code's side.
    value : float, default=1.0

    Returns
    -------
    torch.Tensor, shape (H, W)
        The output's first channel, float32 on the CPU, computed without gradients.

    Notes
    -----
    Introduced in notebook 07. A constant code has no picture in it: whatever varies in the
    output, the layers put there.

    Examples
    --------
    >>> from helpers.autoencoders import build_decoder
    >>> constant_code_image(build_decoder("uneven")).shape
    torch.Size([28, 28])
    """
    size = check_int("size", size, minimum=1)
    code = torch.full((1, _first_channels(decoder), size, size), float(value))
    device = next(decoder.parameters()).device
    with torch.inference_mode():
        return decoder(code.to(device))[0, 0].float().cpu()


def uniform_weights(module: nn.Module) -> nn.Module:
    """A copy of ``module`` with every convolution weight ``1 / fan_in`` and every bias 0.

    Parameters
    ----------
    module : nn.Module

    Returns
    -------
    nn.Module
        A deep copy; ``module`` is unchanged. ``fan_in`` is ``C_in * kH * kW`` for a
        ``Conv2d`` and ``C_in * kH * kW / (sH * sW)`` for a ``ConvTranspose2d`` (the
        average number of taps that reach an output cell), so that no layer grows the
        values on average.

    Notes
    -----
    Introduced in notebook 07. With equal weights a transposed convolution of a constant
    input is lesson 04's overlap count (:func:`helpers.transposed.overlap_counts_2d`)
    times that weight.
    """
    clone = copy.deepcopy(module)
    with torch.no_grad():
        for layer in clone.modules():
            if isinstance(layer, nn.ConvTranspose2d):
                c_in, _, kh, kw = layer.weight.shape
                fan_in = c_in * kh * kw / (layer.stride[0] * layer.stride[1])
            elif isinstance(layer, nn.Conv2d):
                _, c_in, kh, kw = layer.weight.shape
                fan_in = c_in * kh * kw
            else:
                continue
            layer.weight.fill_(1.0 / fan_in)
            if layer.bias is not None:
                layer.bias.zero_()
    return clone


def random_codes(encoder: nn.Module, images: torch.Tensor, count: int, *, seed: int = 0):
    """Codes drawn from a Gaussian with the mean and spread of the encoder's real codes.

    Parameters
    ----------
    encoder : nn.Module
        Maps images to codes ``(N, C, h, w)``.
    images : torch.Tensor
        Real images whose codes set the mean and the standard deviation, element by
        element (e.g. the first 2,000 test images).
    count : int
        Codes to draw, ``count >= 1``.
    seed : int, default=0
        Seeds a private generator.

    Returns
    -------
    torch.Tensor, shape (count, C, h, w)
        ``mean + std * z`` with ``z`` standard normal, float32 on the CPU.

    Notes
    -----
    Introduced in notebook 07. A decoded random code is what a generator makes: a picture
    no training image pinned down, where the layers' own patterns show.
    """
    count = check_int("count", count, minimum=1)
    codes = reconstruct(encoder, images)  # the codes, batch by batch, in inference mode
    generator = torch.Generator().manual_seed(check_int("seed", seed, minimum=0))
    noise = torch.randn((count, *codes.shape[1:]), generator=generator)
    return codes.mean(0) + codes.std(0) * noise


def input_gradient(module: nn.Module, images: torch.Tensor, upstream=None) -> torch.Tensor:
    """The gradient of ``sum(upstream * module(images))`` with respect to ``images``.

    Parameters
    ----------
    module : nn.Module
    images : torch.Tensor, shape (N, C, H, W)
    upstream : torch.Tensor, optional
        The gradient arriving at the output, shape of ``module(images)``; default all
        ones (the gradient of the plain sum).

    Returns
    -------
    torch.Tensor
        Same shape as ``images``, float32 on the CPU, computed by autograd.

    Notes
    -----
    Introduced in notebook 07. For a convolution this is the transposed convolution of
    ``upstream`` with the same weight (lesson 04, "Check 2: the gradient of a convolution"),
    so the backward pass of a strided convolution scatters kernel copies: what a
    discriminator passes back to a generator.

    Examples
    --------
    >>> conv = nn.Conv2d(1, 1, 3, stride=2, padding=1, bias=False)
    >>> input_gradient(conv, torch.zeros(1, 1, 6, 6)).shape
    torch.Size([1, 1, 6, 6])
    """
    device = next(module.parameters()).device
    x = images.detach().to(device).float().requires_grad_(True)
    output = module(x)
    weights = torch.ones_like(output) if upstream is None else upstream.to(output)
    (gradient,) = torch.autograd.grad(output, x, weights)
    return gradient.detach().cpu()
