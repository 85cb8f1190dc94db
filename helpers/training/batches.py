"""In-memory data for training: a ``Split``, hold-out splits, and seeded shuffled batches.

Introduced in notebook 06: slicing batches out of one tensor replaces a ``DataLoader`` that
converts every image through PIL, 60,000 times an epoch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch

from helpers.validation import check_int

__all__ = ["ShuffledBatches", "Split", "check_split", "hold_out", "time_batches"]


@dataclass(frozen=True)
class Split:
    """A whole split of a labelled image dataset in memory.

    Attributes
    ----------
    images : torch.Tensor
        ``float32``, shape ``(N, C, H, W)``; for MNIST ``(N, 1, 28, 28)`` in ``[0, 1]``.
    labels : torch.Tensor
        ``int64``, shape ``(N,)``.

    Notes
    -----
    Introduced in notebook 06. ``len(split)`` is ``N``.
    """

    images: torch.Tensor
    labels: torch.Tensor

    def __len__(self) -> int:
        """Number of images, ``N``."""
        return len(self.labels)


def check_split(name: str, value) -> Split:
    """Return ``value`` after checking that it is a :class:`Split`.

    Parameters
    ----------
    name : str
        The parameter's name, as the caller spells it.
    value : Split
        The data.

    Returns
    -------
    Split

    Raises
    ------
    TypeError
        ``"data of type DataLoader is invalid: must be a helpers.training.Split"``; the type,
        not the value, is shown, since a tensor's or a loader's ``repr`` can run to pages.

    Notes
    -----
    Introduced in notebook 06: a ``DataLoader`` passed where a whole split is wanted would
    invite the source's last-batch mistake.

    Examples
    --------
    >>> check_split("data", [1, 2])
    Traceback (most recent call last):
        ...
    TypeError: data of type list is invalid: must be a helpers.training.Split
    """
    if not isinstance(value, Split):
        raise TypeError(
            f"{name} of type {type(value).__name__} is invalid: must be a helpers.training.Split"
        )
    return value


def hold_out(split: Split, size: int, *, seed: int = 0) -> tuple[Split, Split]:
    """Carve a validation split out of a training split, at random (seeded).

    Parameters
    ----------
    split : Split
        The training split; the test split is never used for choices.
    size : int
        Images held out for validation, ``1 <= size < len(split)``.
    seed : int, default=0
        Seeds the private generator of the random permutation.

    Returns
    -------
    rest, held_out : Split
        ``len(split) - size`` and ``size`` images; together exactly the images of ``split``,
        each once.

    Raises
    ------
    TypeError, ValueError
        If ``split`` is not a :class:`Split` or ``size`` is out of range.

    Notes
    -----
    Introduced in notebook 06, to choose each model's learning rate without looking at the
    test set.

    Examples
    --------
    >>> split = Split(torch.zeros(10, 1, 2, 2), torch.arange(10))
    >>> rest, held = hold_out(split, 3)
    >>> len(rest), len(held)
    (7, 3)
    """
    check_split("split", split)
    check_int("size", size, minimum=1, maximum=len(split) - 1)
    order = torch.randperm(len(split), generator=torch.Generator().manual_seed(seed))
    rest, held = order[size:], order[:size]
    return (
        Split(split.images[rest], split.labels[rest]),
        Split(split.images[held], split.labels[held]),
    )


class ShuffledBatches:
    """The batches of an in-memory split, reshuffled (seeded) at every pass.

    Parameters
    ----------
    split : Split
    batch_size : int
    seed : int
        Seeds the private generator of the shuffles: pass after pass, the orders differ,
        run after run they repeat.
    device : torch.device
        Where the whole split is copied once.
    transform : callable, optional
        ``transform(images, generator) -> images``, applied to every batch, e.g.
        :func:`helpers.mnist.random_shifts` for augmentation. It gets a generator of its
        own, also seeded from ``seed``, so the batches come in the same order with and
        without it.

    Notes
    -----
    Introduced in notebook 06. ``len()`` is the number of batches; the last one may be
    smaller, as with ``DataLoader(drop_last=False)``.

    Examples
    --------
    >>> split = Split(torch.zeros(300, 1, 28, 28), torch.zeros(300, dtype=torch.long))
    >>> batches = ShuffledBatches(split, 128, seed=0, device=torch.device("cpu"))
    >>> len(batches), [len(labels) for _, labels in batches]
    (3, [128, 128, 44])
    """

    def __init__(
        self,
        split: Split,
        batch_size: int,
        seed: int,
        device: torch.device,
        transform: Callable | None = None,
    ):
        self.images = split.images.to(device)
        self.labels = split.labels.to(device)
        self.batch_size = check_int("batch_size", batch_size, minimum=1)
        self.generator = torch.Generator().manual_seed(seed)
        self.transform = transform
        # One draw from a second generator seeded alike gives the transform a stream of its
        # own: drawing from the shuffles' generator would change the order of later passes.
        draw = torch.randint(2**62, (1,), generator=torch.Generator().manual_seed(seed))
        self.transform_generator = torch.Generator().manual_seed(int(draw))

    def __len__(self) -> int:
        """Number of batches, ``ceil(N / batch_size)``."""
        return -(-len(self.labels) // self.batch_size)

    def __iter__(self):
        """Yield ``(images, labels)`` batches in a new random order."""
        order = torch.randperm(len(self.labels), generator=self.generator)
        order = order.to(self.images.device)
        for start in range(0, len(order), self.batch_size):
            index = order[start : start + self.batch_size]
            images = self.images[index]
            if self.transform is not None:
                images = self.transform(images, self.transform_generator)
            yield images, self.labels[index]


def batch_source(data, batch_size: int, seed: int, device: torch.device, transform=None):
    """:class:`ShuffledBatches` for a :class:`Split`; any other sized iterable as it is."""
    if isinstance(data, Split):
        return ShuffledBatches(data, batch_size, seed, device, transform)
    if not hasattr(data, "__len__"):
        raise TypeError(f"train_data={data!r} is invalid: must be a Split or a sized iterable")
    if transform is not None:
        raise TypeError("augment is invalid with a DataLoader: pass a Split, or transform there")
    return data


def time_batches(batches: Iterable, count: int, repeats: int = 1) -> float:
    """Seconds to draw the first ``count`` batches from ``batches`` (no model involved).

    Parameters
    ----------
    batches : iterable of (images, labels)
        A ``DataLoader`` or :class:`ShuffledBatches`; with ``repeats > 1`` it must be
        iterable again (a fresh pass each time), as both are.
    count : int
        Batches to draw, ``count >= 1``.
    repeats : int, default=1
        Timed passes, ``repeats >= 1``. With more than one, one untimed batch is drawn first
        (a warm-up: first calls allocate and load code) and the shortest pass is returned,
        the one least slowed down by other programs on the machine.

    Returns
    -------
    float
        Wall-clock seconds, ``time.perf_counter`` differences (the minimum over the passes).

    Notes
    -----
    Introduced in notebook 06, to compare the source's per-image ``ToTensor`` loader with
    batches sliced from memory.
    """
    check_int("count", count, minimum=1)
    check_int("repeats", repeats, minimum=1)
    if repeats > 1:
        next(iter(batches))
    return min(_time_one_pass(batches, count) for _ in range(repeats))


def _time_one_pass(batches: Iterable, count: int) -> float:
    start = time.perf_counter()
    for drawn, _ in enumerate(batches, start=1):
        if drawn == count:
            break
    return time.perf_counter() - start
