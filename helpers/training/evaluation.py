"""Testing a trained classifier: predictions, accuracy over a whole split, the confusion matrix.

Introduced in notebook 06, where seed 001's ``test()`` reported the accuracy of its last batch
of 100 images instead of all 10,000.
"""

from __future__ import annotations

import torch
from torch import nn

from helpers.training.batches import Split
from helpers.validation import check_int

__all__ = ["confusion_matrix", "evaluate", "predict"]


def predict(model: nn.Module, images: torch.Tensor, *, batch_size: int = 200) -> torch.Tensor:
    """Predicted classes of ``images``, computed in ``torch.inference_mode()``.

    Parameters
    ----------
    model : nn.Module
    images : torch.Tensor, shape (N, C, H, W)
    batch_size : int, default=200
        Images per forward pass; only speed and memory depend on it.

    Returns
    -------
    torch.Tensor
        ``int64``, shape ``(N,)``, on the CPU: the arg-max of the logits.

    Notes
    -----
    Introduced in notebook 06. The model is put in eval mode for the call and its
    previous mode restored afterwards.
    """
    check_int("batch_size", batch_size, minimum=1)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            parts = [
                model(images[start : start + batch_size].to(device)).argmax(1).cpu()
                for start in range(0, len(images), batch_size)
            ]
    finally:
        model.train(was_training)
    return torch.cat(parts)


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
        If ``data`` is not a :class:`Split` (a ``DataLoader`` would invite the seed's
        last-batch mistake).

    Notes
    -----
    Introduced in notebook 06. Seed 001's ``test()`` overwrote ``accuracy`` in its loop and
    printed the last batch's: 100 images, not 10,000.
    """
    if not isinstance(data, Split):
        raise TypeError(f"data={data!r} is invalid: must be a Split")
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
