"""``train``: seeded Adam training of a classifier, tested on a whole split after every epoch.

Introduced in notebook 06.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import torch
from torch import nn
from tqdm.auto import tqdm

from helpers.training.batches import Split, batch_source
from helpers.training.evaluation import evaluate
from helpers.training.history import EpochStats, History
from helpers.training.precision import (
    PrecisionChoice,
    choose_device,
    choose_precision,
    fixed_precision,
)
from helpers.training.recipes import FAST_RECIPE, Recipe

__all__ = ["train"]


def train(
    model: nn.Module,
    train_data: Split | Iterable,
    test_data: Split,
    recipe: Recipe = FAST_RECIPE,
    *,
    seed: int = 0,
    device: torch.device | str | None = None,
    augment: Callable | None = None,
    progress: bool = True,
    description: str = "training",
) -> History:
    """Train ``model`` in place with Adam; test on the whole test set after every epoch.

    Parameters
    ----------
    model : nn.Module
        Maps images ``(N, C, H, W)`` to logits ``(N, classes)``.
    train_data : Split or iterable of (images, labels)
        A :class:`Split` is shuffled and cut into batches in memory (``recipe.batch_size``);
        anything else, such as the source's ``DataLoader``, is iterated as it is once per epoch.
    test_data : Split
        Evaluated with :func:`evaluate` after each epoch (a validation split while choosing
        settings, the test split only for the final run).
    recipe : Recipe, default=FAST_RECIPE
    seed : int, default=0
        Seeds the shuffling of a :class:`Split` and ``augment``.
    device : torch.device or str, optional
        Default :func:`choose_device`. The model is moved there.
    augment : callable, optional
        ``augment(images, generator) -> images``, applied to every training batch of a
        :class:`Split` (e.g. :func:`helpers.mnist.random_shifts`).
    progress : bool, default=True
        Show a ``tqdm.auto`` bar (a widget in Jupyter).
    description : str, default="training"
        The bar's label.

    Returns
    -------
    History
        One :class:`EpochStats` per epoch, and the precision used.

    Raises
    ------
    TypeError
        If ``recipe`` is not a :class:`Recipe` or ``train_data`` is not a Split or a
        sized iterable.

    Notes
    -----
    Introduced in notebook 06. With ``recipe.precision="auto"`` the precision comes from
    :func:`choose_precision` on the first batch's shape (measured once a session per model
    structure), and with it the number of CPU threads when one thread measured faster.
    Under bfloat16 or float16 autocast only the forward pass and the loss run in
    16 bits: the weights, Adam's state and :func:`evaluate` stay in float32.
    """
    if not isinstance(recipe, Recipe):
        raise TypeError(f"recipe={recipe!r} is invalid: must be a Recipe")
    device = torch.device(device) if device is not None else choose_device()
    batches = batch_source(train_data, recipe.batch_size, seed, device, augment)
    choice = _precision(recipe, model, train_data, batches, device)
    model.to(device)
    if choice.channels_last:
        model.to(memory_format=torch.channels_last)
    steps = len(batches)
    optimizer = torch.optim.Adam(model.parameters(), lr=recipe.lr)
    scheduler = None
    if recipe.schedule == "one-cycle":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=recipe.lr, total_steps=recipe.epochs * steps
        )
    step = _Step(model, optimizer, scheduler, recipe.label_smoothing, choice, device)
    history = History(precision=choice.label)
    bar = tqdm(total=recipe.epochs * steps, desc=description, disable=not progress)
    with bar, choice.threads_context():
        for epoch in range(1, recipe.epochs + 1):
            start = time.perf_counter()
            loss, correct, seen = _train_epoch(step, batches, device, bar)
            seconds = time.perf_counter() - start
            test_accuracy = evaluate(model, test_data)
            history.epochs.append(
                EpochStats(epoch, loss / seen, correct / seen, test_accuracy, seconds)
            )
            bar.set_postfix(loss=f"{loss / seen:.3f}", test=f"{100 * test_accuracy:.2f}%")
    return history


def _precision(recipe, model, train_data, batches, device) -> PrecisionChoice:
    if recipe.precision != "auto":
        return fixed_precision(recipe.precision, recipe.channels_last, device)
    if isinstance(train_data, Split):  # a slice: drawing a batch would advance the shuffles
        example = train_data.images[: recipe.batch_size]
    else:
        example = next(iter(batches))[0]
    return choose_precision(model, example, device=device)


class _Step:
    """One optimisation step in the chosen precision; returns the loss and the logits."""

    def __init__(self, model, optimizer, scheduler, label_smoothing, choice, device):
        self.model, self.optimizer, self.scheduler = model, optimizer, scheduler
        self.loss_fn = nn.CrossEntropyLoss(label_smoothing=label_smoothing)
        self.choice = choice
        self.scaler = torch.amp.GradScaler(device.type, enabled=choice.dtype == torch.float16)

    def __call__(self, images, labels):
        if self.choice.channels_last and images.dim() == 4:
            images = images.contiguous(memory_format=torch.channels_last)
        with self.choice.autocast_context():
            logits = self.model(images)
            loss = self.loss_fn(logits, labels)
        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        if self.scheduler is not None:
            self.scheduler.step()
        return loss, logits


def _train_epoch(step: _Step, batches, device, bar) -> tuple[float, int, int]:
    """One pass over the batches; returns (summed loss, correct predictions, images seen)."""
    step.model.train()
    total_loss = torch.zeros((), device=device)
    correct = torch.zeros((), dtype=torch.long, device=device)
    seen = 0
    for images, labels in batches:
        images, labels = images.to(device), labels.to(device)
        loss, logits = step(images, labels)
        # Summed on the device: an .item() per batch would wait for the GPU every step.
        total_loss += loss.detach().float() * len(labels)
        correct += (logits.argmax(1) == labels).sum()
        seen += len(labels)
        bar.update()
    return total_loss.item(), correct.item(), seen
