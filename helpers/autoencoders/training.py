"""Training an autoencoder to reconstruct its input, and its error on a whole test split.

The batching (:class:`helpers.training.ShuffledBatches`), the device
(:func:`helpers.training.choose_device`) and the precision
(:func:`helpers.training.choose_precision`) are lesson 06's; only the loss differs from
:func:`helpers.training.train`: the mean squared error between the image and its
reconstruction, and no labels.

Introduced in notebook 07.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch
from torch import nn
from tqdm.auto import tqdm

from helpers.training import (
    PrecisionChoice,
    ShuffledBatches,
    Split,
    batched_outputs,
    check_split,
    choose_device,
    choose_precision,
    fixed_precision,
)
from helpers.validation import check_int, check_real

__all__ = ["ReconstructionRun", "reconstruct", "reconstruction_error", "train_reconstruction"]


@dataclass(frozen=True)
class ReconstructionRun:
    """What one call of :func:`train_reconstruction` did.

    Attributes
    ----------
    steps : int
        Optimiser steps taken.
    images_seen : int
        Training images used (with repeats after a full pass).
    losses : tuple of float
        The training loss (mean squared error per pixel) of every step.
    test_error : float
        :func:`reconstruction_error` on the whole test split after training.
    seconds : float
        Training time, the test excluded.
    precision : str
        The :class:`helpers.training.PrecisionChoice` label used.

    Notes
    -----
    Introduced in notebook 07.
    """

    steps: int
    images_seen: int
    losses: tuple[float, ...]
    test_error: float
    seconds: float
    precision: str

    def __str__(self) -> str:
        """One line: steps, images, precision, test MSE and seconds."""
        return (
            f"{self.steps} steps ({self.images_seen:,} images), {self.precision}: "
            f"test MSE {self.test_error:.4f}, {self.seconds:.1f} s"
        )


def _precision(precision, model, example, device) -> PrecisionChoice:
    if isinstance(precision, PrecisionChoice):
        return precision
    if precision == "auto":
        return choose_precision(model, example, device=device)
    return fixed_precision(precision, precision == "bfloat16", device)


def train_reconstruction(
    model: nn.Module,
    train_data: Split,
    test_data: Split,
    *,
    steps: int | None = None,
    batch_size: int = 128,
    lr: float = 0.01,
    seed: int = 0,
    precision: str | PrecisionChoice = "float32",
    device: torch.device | str | None = None,
    progress: bool = False,
    description: str = "training",
) -> ReconstructionRun:
    """Train ``model`` in place to reproduce its input, with Adam and a one-cycle schedule.

    Parameters
    ----------
    model : nn.Module
        Maps images ``(N, 1, 28, 28)`` in ``[0, 1]`` to images of the same shape.
    train_data : Split
        Shuffled (seeded) and cut into batches in memory; the labels are not used.
    test_data : Split
        Every image is reconstructed after training (:func:`reconstruction_error`).
    steps : int, optional
        Optimiser steps; default one pass over ``train_data``. More than one pass
        reshuffles, as epochs do.
    batch_size : int, default=128
    lr : float, default=0.01
        The peak of ``torch.optim.lr_scheduler.OneCycleLR`` over ``steps``.
    seed : int, default=0
        Seeds the shuffles.
    precision : {"float32", "bfloat16", "auto"} or PrecisionChoice, default="float32"
        ``"bfloat16"``: autocast with channels-last; ``"auto"``: whichever of the two
        :func:`helpers.training.choose_precision` measures faster here.
    device : torch.device or str, optional
        Default :func:`helpers.training.choose_device`.
    progress : bool, default=False
        Show a ``tqdm.auto`` bar.
    description : str, default="training"
        The bar's label.

    Returns
    -------
    ReconstructionRun

    Raises
    ------
    TypeError, ValueError
        If a split is not a :class:`helpers.training.Split`, or ``steps``,
        ``batch_size`` or ``lr`` is out of range.

    Notes
    -----
    Introduced in notebook 07. The loss is ``mean((model(x) - x)**2)``, computed in
    float32 even under autocast. As in lesson 06, only the forward pass runs in bfloat16;
    the weights, Adam's state and the test stay in float32.
    """
    check_split("train_data", train_data)
    check_split("test_data", test_data)
    check_real("lr", lr, minimum=0, include_min=False)
    device = torch.device(device) if device is not None else choose_device()
    batches = ShuffledBatches(train_data, batch_size, seed, device)
    steps = len(batches) if steps is None else check_int("steps", steps, minimum=1)
    choice = _precision(precision, model, train_data.images[:batch_size], device)
    model.to(device)
    if choice.channels_last:
        model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps)
    losses, seen = [], 0
    model.train()
    start = time.perf_counter()
    with tqdm(total=steps, desc=description, disable=not progress) as bar:
        while len(losses) < steps:
            for images, _ in batches:
                if choice.channels_last:
                    images = images.contiguous(memory_format=torch.channels_last)
                with choice.autocast_context():
                    output = model(images)
                loss = nn.functional.mse_loss(output.float(), images)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                scheduler.step()
                losses.append(loss.detach())
                seen += len(images)
                bar.update()
                if len(losses) == steps:
                    break
    seconds = time.perf_counter() - start
    error = reconstruction_error(model, test_data.images)
    history = tuple(torch.stack(losses).cpu().tolist())
    return ReconstructionRun(steps, seen, history, error, seconds, choice.label)


def reconstruct(model: nn.Module, images: torch.Tensor, *, batch_size: int = 1000) -> torch.Tensor:
    """``model(images)`` in float32 and ``torch.inference_mode()``, batch by batch, on the CPU.

    Parameters
    ----------
    model : nn.Module
    images : torch.Tensor, shape (N, C, H, W)
        Codes work too, for a decoder.
    batch_size : int, default=1000

    Returns
    -------
    torch.Tensor
        The outputs, concatenated, float32 on the CPU. The model's train/eval mode is
        restored afterwards.

    Notes
    -----
    Introduced in notebook 07.
    """
    check_int("batch_size", batch_size, minimum=1)
    return batched_outputs(model, images, batch_size=batch_size, transform=_as_float32)


def _as_float32(outputs: torch.Tensor) -> torch.Tensor:
    return outputs.float()


def reconstruction_error(model: nn.Module, images: torch.Tensor, *, batch_size: int = 1000):
    """Mean squared error per pixel between ``images`` and their reconstructions.

    Parameters
    ----------
    model : nn.Module
    images : torch.Tensor, shape (N, 1, 28, 28)
        Pass the whole test split: every image counts.
    batch_size : int, default=1000

    Returns
    -------
    float
        ``mean((model(x) - x)**2)`` over all images and pixels, accumulated in float64.

    Notes
    -----
    Introduced in notebook 07.
    """
    output = reconstruct(model, images, batch_size=batch_size)
    return (output.double() - images.double()).square().mean().item()
