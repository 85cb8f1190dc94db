"""MNIST for lesson 06: the real files, checked, loaded into memory, and moved about.

- :func:`load_mnist` -- the dataset through ``torchvision.datasets.MNIST``, from
  ``MNIST_ROOT`` or downloaded into ``./data``; missing files raise
  :class:`MnistNotFoundError`, files that are there but broken :class:`MnistFileError`;
- :func:`check_mnist_files` -- the four IDX files' headers and sizes, checked before
  torchvision reads them (in :mod:`helpers.mnist_files`, with :func:`mnist_root` and the
  two errors);
- :func:`to_tensors` / :func:`load_mnist_tensors` -- a whole split as one float tensor,
  scaled to ``[0, 1]`` once (what ``ToTensor`` does image by image);
- :func:`shift_images`, :func:`random_shifts`, :func:`shift_accuracies` -- the translation
  test, and shift augmentation.

The source's models live in :mod:`helpers.models`, training and testing in
:mod:`helpers.training`; every name they export is re-exported here, so ``mnist.train``,
``mnist.source_cnn`` and the rest keep working.

Introduced in notebook 06. Source: a notebook post titled "Utility of Convolutional Neural
Network over Multilayer Perceptron"; the IDX format is described on Yann LeCun's MNIST page.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import torch
import torchvision
from torch import nn
from torch.nn import functional as F

from helpers.mnist_files import (
    DEFAULT_ROOT,
    IDX_FILES,
    MnistFileError,
    MnistNotFoundError,
    check_mnist_files,
    missing_files,
    mnist_root,
    raw_folder,
)
from helpers.models import (
    CLASSES,
    SIDE,
    cnn_flat_features,
    cnn_receptive_field,
    parameter_count,
    seed_cnn,
    seed_mlp,
    source_cnn,
    source_mlp,
)
from helpers.shapes import explain_shapes
from helpers.training import (
    CNN_RECIPE,
    FAST_RECIPE,
    MLP_RECIPE,
    EpochStats,
    History,
    PrecisionChoice,
    Recipe,
    ShuffledBatches,
    Split,
    choose_device,
    choose_precision,
    confusion_matrix,
    evaluate,
    hold_out,
    label_smoothing_floor,
    predict,
    search_learning_rate,
    time_batches,
    train,
)
from helpers.validation import check_int

__all__ = [
    "CLASSES",
    "CNN_RECIPE",
    "DEFAULT_ROOT",
    "FAST_RECIPE",
    "IDX_FILES",
    "MLP_RECIPE",
    "SIDE",
    "EpochStats",
    "History",
    "MnistFileError",
    "MnistNotFoundError",
    "PrecisionChoice",
    "Recipe",
    "ShuffledBatches",
    "Split",
    "check_mnist_files",
    "choose_device",
    "choose_precision",
    "cnn_flat_features",
    "cnn_receptive_field",
    "confusion_matrix",
    "evaluate",
    "explain_shapes",
    "hold_out",
    "label_smoothing_floor",
    "load_mnist",
    "load_mnist_tensors",
    "mnist_root",
    "parameter_count",
    "predict",
    "search_learning_rate",
    "random_shifts",
    "seed_cnn",
    "seed_mlp",
    "source_cnn",
    "source_mlp",
    "shift_accuracies",
    "shift_images",
    "time_batches",
    "to_tensors",
    "train",
]


def load_mnist(
    train: bool = True,
    *,
    root: str | os.PathLike | None = None,
    download: bool | None = None,
    transform: Callable | None = None,
) -> torchvision.datasets.MNIST:
    """The MNIST training or test set, through ``torchvision.datasets.MNIST``.

    Parameters
    ----------
    train : bool, default=True
        The 60,000 training images, or the 10,000 test images.
    root : path-like, optional
        torchvision's root (the folder holding ``MNIST/raw/``); default ``$MNIST_ROOT``,
        else ``./data``.
    download : bool, optional
        Download when the files are missing. Default: only when the default root
        ``./data`` is used.
    transform : callable, optional
        Per-image transform, e.g. ``torchvision.transforms.ToTensor()`` as in the source.

    Returns
    -------
    torchvision.datasets.MNIST
        ``.data`` is a ``uint8`` tensor of shape ``(N, 28, 28)``, ``.targets`` an ``int64``
        tensor of shape ``(N,)``.

    Raises
    ------
    MnistFileError
        If a file is there but broken (see :func:`check_mnist_files`), or a label is not a
        digit 0-9; the message names the file and what is wrong with it.
    MnistNotFoundError
        If the files are missing and cannot be downloaded. The message names the folder
        it looked in and the two fixes (set ``MNIST_ROOT``, or connect and download).
        Nothing is left half-written: a download goes to a temporary folder inside the
        root and is moved into ``MNIST/raw/`` only when all four files arrived.

    Notes
    -----
    Introduced in notebook 06; the source calls ``torchvision.datasets.MNIST(root='./data',
    train=True, transform=transforms.ToTensor(), download=True)``.

    Examples
    --------
    >>> test_set = load_mnist(train=False)  # doctest: +SKIP
    >>> test_set.data.shape  # doctest: +SKIP
    torch.Size([10000, 28, 28])
    """
    root_path, configured = mnist_root(root)
    if download is None:
        download = not configured
    if missing_files(root_path) and download:
        _download_atomically(root_path)
    if missing_files(root_path):
        raise MnistNotFoundError.at(root_path, tried_download=download)
    check_mnist_files(root_path)
    dataset = torchvision.datasets.MNIST(
        str(root_path), train=train, transform=transform, download=False
    )
    if dataset.targets.numel() and not 0 <= dataset.targets.min() <= dataset.targets.max() < 10:
        prefix = "train" if train else "t10k"
        raise MnistFileError(
            raw_folder(root_path) / f"{prefix}-labels-idx1-ubyte",
            f"labels must be digits 0-9, found {dataset.targets.min()}..{dataset.targets.max()}",
        )
    return dataset


def _download_atomically(root: Path) -> None:
    """Download into a temporary folder inside ``root``; move the files in only on success."""
    created_root = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".mnist-download-", dir=root))
    try:
        torchvision.datasets.MNIST(str(staging), train=True, download=True)
        raw = raw_folder(root)
        raw.mkdir(parents=True, exist_ok=True)
        check_mnist_files(staging)  # a broken download is not moved into place
        for path in raw_folder(staging).iterdir():
            os.replace(path, raw / path.name)
    except MnistFileError:
        if created_root:
            shutil.rmtree(root, ignore_errors=True)
        raise
    except (RuntimeError, OSError) as error:
        if created_root:
            shutil.rmtree(root, ignore_errors=True)
        raise MnistNotFoundError.at(root, tried_download=True) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def to_tensors(dataset: torchvision.datasets.MNIST) -> Split:
    """All images of a torchvision MNIST dataset as one float tensor, scaled once.

    Parameters
    ----------
    dataset : torchvision.datasets.MNIST

    Returns
    -------
    Split
        ``images = dataset.data[:, None].float() / 255``: the same numbers that
        ``transforms.ToTensor()`` makes image by image, in one operation.

    Notes
    -----
    Introduced in notebook 06. Going through ``DataLoader`` and ``ToTensor`` converts each
    image to a PIL image and back, 60,000 times an epoch; slicing one tensor does not.
    """
    images = dataset.data.unsqueeze(1).to(torch.get_default_dtype()).div(255)
    return Split(images, dataset.targets.clone())


def load_mnist_tensors(
    *, root: str | os.PathLike | None = None, download: bool | None = None
) -> tuple[Split, Split]:
    """The training and the test set as in-memory :class:`Split` s.

    Parameters
    ----------
    root, download
        As for :func:`load_mnist`.

    Returns
    -------
    train, test : Split
        60,000 and 10,000 images.

    Notes
    -----
    Introduced in notebook 06.
    """
    return (
        to_tensors(load_mnist(True, root=root, download=download)),
        to_tensors(load_mnist(False, root=root, download=download)),
    )


def shift_images(images: torch.Tensor, dx: int = 0, dy: int = 0) -> torch.Tensor:
    """Move every image ``dx`` pixels right and ``dy`` down, filling with zeros.

    Parameters
    ----------
    images : torch.Tensor, shape (..., H, W)
    dx, dy : int, default=0
        Shifts; negative values move left / up. ``|dx| < W`` and ``|dy| < H``.

    Raises
    ------
    TypeError, ValueError
        If a shift is not an int, or moves the image out of its frame entirely.

    Returns
    -------
    torch.Tensor
        Same shape; the pixels pushed over the edge are lost (no wrap-around).

    Notes
    -----
    Introduced in notebook 06, for the translation test.

    Examples
    --------
    >>> shift_images(torch.arange(1.0, 5.0).reshape(1, 4), dx=1)
    tensor([[0., 1., 2., 3.]])
    """
    height, width = images.shape[-2:]
    dx = check_int("dx", dx, minimum=1 - width, maximum=width - 1)
    dy = check_int("dy", dy, minimum=1 - height, maximum=height - 1)
    shifted = torch.zeros_like(images)
    rows_to, rows_from = _overlap(dy, height)
    cols_to, cols_from = _overlap(dx, width)
    shifted[..., rows_to, cols_to] = images[..., rows_from, cols_from]
    return shifted


def random_shifts(max_shift: int) -> Callable[[torch.Tensor, torch.Generator], torch.Tensor]:
    """Shift augmentation: a batch transform moving each image by its own random offset.

    Parameters
    ----------
    max_shift : int
        Largest move in pixels along each axis, ``max_shift >= 0``.

    Returns
    -------
    callable
        ``transform(images, generator) -> images``: every image of ``images`` (shape
        ``(N, C, H, W)``) moved by ``dx, dy`` drawn uniformly from
        ``-max_shift..max_shift`` with ``generator``, filled with zeros as
        :func:`shift_images` does. Pass it as ``train(..., augment=...)``.

    Notes
    -----
    Introduced in notebook 06: training on shifted digits buys an MLP much of the shift
    tolerance that a CNN's weight sharing and pooling build in. One indexing operation per
    batch: the batch is zero-padded by ``max_shift`` and each image's window is cut out.

    Examples
    --------
    >>> shift = random_shifts(2)
    >>> shift(torch.ones(3, 1, 5, 5), torch.Generator().manual_seed(0)).shape
    torch.Size([3, 1, 5, 5])
    """
    check_int("max_shift", max_shift, minimum=0)

    def transform(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        m = max_shift
        n, height, width = len(images), images.shape[-2], images.shape[-1]
        starts = torch.randint(0, 2 * m + 1, (2, n, 1), generator=generator).to(images.device)
        rows = torch.arange(height, device=images.device) + starts[0]  # (n, height)
        cols = torch.arange(width, device=images.device) + starts[1]  # (n, width)
        padded = F.pad(images, (m, m, m, m)).movedim(1, -1)  # (n, H + 2m, W + 2m, C)
        index = torch.arange(n, device=images.device)[:, None, None]
        return padded[index, rows[:, :, None], cols[:, None, :]].movedim(-1, 1)

    return transform


def shift_accuracies(
    model: nn.Module, data: Split, shifts: Iterable[int], *, direction: tuple[int, int] = (1, 0)
) -> list[float]:
    """Accuracy on ``data`` with every image moved by each shift: the translation test.

    Parameters
    ----------
    model : nn.Module
    data : Split
        The images to move (the full test set in notebook 06).
    shifts : iterable of int
        Distances in pixels, e.g. ``range(4)``.
    direction : (int, int), default=(1, 0)
        Pixels moved per unit of shift along x (right) and y (down): ``(1, 0)`` moves right,
        ``(0, -1)`` up, ``(1, 1)`` diagonally.

    Returns
    -------
    list of float
        :func:`evaluate` on the shifted images, one value per shift.

    Notes
    -----
    Introduced in notebook 06. See :func:`shift_images`.
    """
    dx, dy = (check_int("direction", v) for v in direction)
    return [
        evaluate(model, Split(shift_images(data.images, dx=s * dx, dy=s * dy), data.labels))
        for s in shifts
    ]


def _overlap(shift: int, size: int) -> tuple[slice, slice]:
    """Destination and source slices of a zero-filled shift along one axis."""
    if shift >= 0:
        return slice(shift, size), slice(0, size - shift)
    return slice(0, size + shift), slice(-shift, size)
