"""Autoencoders for lesson 07: one encoder, four decoders, reconstruction training, probes.

- :mod:`~helpers.autoencoders.design` -- the sizes of every layer, from
  :mod:`helpers.arithmetic`, before anything is built (:func:`encoder_plan`,
  :func:`decoder_plan`, :func:`output_padding_for`, the four :data:`DECODERS`);
- :mod:`~helpers.autoencoders.models` -- :func:`build_encoder`, :func:`build_decoder`,
  :func:`build_autoencoder`;
- :mod:`~helpers.autoencoders.training` -- :func:`train_reconstruction` with lesson 06's
  batches, device and precision, and :func:`reconstruction_error` over a whole split;
- :mod:`~helpers.autoencoders.cache` -- :func:`trained_autoencoders`: each :class:`Recipe`
  trained once and kept on disk, loaded while nothing that made it has changed;
- :mod:`~helpers.autoencoders.probes` -- constant codes, uniform weights, random codes and
  input gradients, the inputs on which checkerboards show.

Introduced in notebook 07, after Odena, Dumoulin & Olah, "Deconvolution and Checkerboard
Artifacts", Distill (2016).
"""

from helpers.autoencoders.cache import (
    CACHE_VARIABLE,
    Recipe,
    TrainedAutoencoder,
    cache_directory,
    trained_autoencoders,
)
from helpers.autoencoders.design import (
    DECODER_SIZES,
    DECODERS,
    ENCODER_SIZES,
    LayerPlan,
    Upsampler,
    decoder_plan,
    encoder_plan,
    output_padding_for,
)
from helpers.autoencoders.models import (
    CHANNELS,
    build_autoencoder,
    build_decoder,
    build_encoder,
    upsampler_of,
)
from helpers.autoencoders.probes import (
    constant_code_image,
    input_gradient,
    random_codes,
    uniform_weights,
)
from helpers.autoencoders.training import (
    ReconstructionRun,
    reconstruct,
    reconstruction_error,
    train_reconstruction,
)

__all__ = [
    "CACHE_VARIABLE",
    "CHANNELS",
    "DECODERS",
    "DECODER_SIZES",
    "ENCODER_SIZES",
    "LayerPlan",
    "Recipe",
    "ReconstructionRun",
    "TrainedAutoencoder",
    "Upsampler",
    "build_autoencoder",
    "build_decoder",
    "build_encoder",
    "cache_directory",
    "constant_code_image",
    "decoder_plan",
    "encoder_plan",
    "input_gradient",
    "output_padding_for",
    "random_codes",
    "reconstruct",
    "reconstruction_error",
    "train_reconstruction",
    "trained_autoencoders",
    "uniform_weights",
    "upsampler_of",
]
