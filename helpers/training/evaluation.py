"""Testing a trained model: batched outputs, predictions, accuracy, the confusion matrix.

Introduced in notebook 06, where the source's ``test()`` reported the accuracy of its last batch
of 100 images instead of all 10,000.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import torch
from torch import nn

from helpers.training.batches import Split, check_split
from helpers.validation import check_int

__all__ = ["batched_outputs", "confusion_matrix", "evaluate", "predict"]


def batched_outputs(
    model: nn.Module,
    images: torch.Tensor,
    *,
    batch_size: int = 200,
    transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> torch.Tensor:
    """``model(images)`` batch by batch in ``torch.inference_mode()``, gathered on the CPU.

    Parameters
    ----------
    model : nn.Module
        Put in eval mode for the call; its train/eval mode is restored afterwards, even
        when the forward pass raises.
    images : torch.Tensor, shape (N, ...)
        Any batch of inputs (images, or codes for a decoder); each slice is moved to the
        device of the model's first parameter or buffer (the CPU for a model with neither).
    batch_size : int, default=200
        Inputs per forward pass; only speed and memory depend on it.
    transform : callable, optional
        ``transform(outputs) -> tensor``, applied to each batch's outputs on the device
        before they move to the CPU: ``lambda out: out.argmax(1)`` keeps one class per
        image instead of ten logits.

    Returns
    -------
    torch.Tensor
        The (transformed) outputs of all ``N`` inputs, concatenated along the first axis,
        on the CPU, in the model's output dtype. ``N = 0`` makes one forward pass on the
        empty batch, so the result keeps the model's output shape.

    Raises
    ------
    TypeError, ValueError
        If ``batch_size`` is not an int ``>= 1``.

    See Also
    --------
    predict : the arg-max classes, built on this.

    Notes
    -----
    Introduced in notebook 06. ``inference_mode`` records no autograd graph, so memory
    holds one batch's activations at a time.

    Examples
    --------
    >>> double = nn.Linear(1, 1, bias=False)
    >>> _ = nn.init.constant_(double.weight, 2.0)
    >>> batched_outputs(double, torch.arange(5.0).reshape(5, 1), batch_size=2).flatten()
    tensor([0., 2., 4., 6., 8.])
    """
    check_int("batch_size", batch_size, minimum=1)
    tensors = itertools.chain(model.parameters(), model.buffers())
    device = next((t.device for t in tensors), torch.device("cpu"))
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            parts = []
            for start in range(0, max(len(images), 1), batch_size):
                outputs = model(images[start : start + batch_size].to(device))
                if transform is not None:
                    outputs = transform(outputs)
                parts.append(outputs.cpu())
    finally:
        model.train(was_training)
    return torch.cat(parts)


def predict(model: nn.Module, images: torch.Tensor, *, batch_size: int = 200) -> torch.Tensor:
    """Predicted classes of ``images``, computed in ``torch.inference_mode()``.

    Parameters
    ----------
    model : nn.Module
        Maps images ``(N, C, H, W)`` to logits ``(N, classes)``.
    images : torch.Tensor, shape (N, C, H, W)
    batch_size : int, default=200
        Images per forward pass; only speed and memory depend on it.

    Returns
    -------
    torch.Tensor
        ``int64``, shape ``(N,)``, on the CPU: the arg-max of the logits.

    See Also
    --------
    batched_outputs : the raw outputs, batch by batch.

    Notes
    -----
    Introduced in notebook 06. The model is put in eval mode for the call and its
    previous mode restored afterwards (see :func:`batched_outputs`).
    """
    return batched_outputs(model, images, batch_size=batch_size, transform=_classes)


def _classes(logits: torch.Tensor) -> torch.Tensor:
    return logits.argmax(1)


def evaluate(model: nn.Module, data: Split, *, batch_size: int = 200) -> float:
    """Accuracy over *every* image of ``data``, in ``torch.inference_mode()``.

    Parameters
    ----------
    model : nn.Module
    data : Split
        Pass the full test split: all 10,000 images count.
    batch_size : int, default=200

    Returns
    -------
    float
        Fraction correct, in ``[0, 1]``.

    Raises
    ------
    TypeError
        If ``data`` is not a :class:`Split` (a ``DataLoader`` would invite the source's
        last-batch mistake).

    Notes
    -----
    Introduced in notebook 06. The source's ``test()`` overwrote ``accuracy`` in its loop and
    printed the last batch's: 100 images, not 10,000.
    """
    check_split("data", data)
    predictions = predict(model, data.images, batch_size=batch_size)
    return (predictions == data.labels).double().mean().item()


def confusion_matrix(
    labels: torch.Tensor, predictions: torch.Tensor, *, classes: int = 10
) -> torch.Tensor:
    """Counts of (true class, predicted class) pairs.

    Parameters
    ----------
    labels, predictions : torch.Tensor
        Integer classes in ``0..classes-1``, same shape.
    classes : int, default=10
        Number of classes (10 for MNIST).

    Returns
    -------
    torch.Tensor
        ``int64``, shape ``(classes, classes)``; row = true class, column = prediction; the
        diagonal holds the correct answers.

    Raises
    ------
    ValueError
        If the shapes differ or a class is outside ``0..classes-1``.

    Notes
    -----
    Introduced in notebook 06.

    Examples
    --------
    >>> confusion_matrix(torch.tensor([3, 3, 5]), torch.tensor([3, 5, 5]))[3:6, 3:6]
    tensor([[1, 0, 1],
            [0, 0, 0],
            [0, 0, 1]])
    """
    check_int("classes", classes, minimum=1)
    if labels.shape != predictions.shape:
        raise ValueError(
            f"labels.shape={tuple(labels.shape)} and predictions.shape="
            f"{tuple(predictions.shape)} are invalid: must be equal"
        )
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values.numel() and not 0 <= int(values.min()) <= int(values.max()) < classes:
            raise ValueError(f"{name} is invalid: every class must be in 0..{classes - 1}")
    flat = labels.long().flatten() * classes + predictions.long().flatten()
    return torch.bincount(flat, minlength=classes * classes).reshape(classes, classes)
