"""MNIST for lesson 06: the real files, checked, loaded into memory, and moved about.

- :func:`load_mnist` -- the dataset through ``torchvision.datasets.MNIST``, from
  ``MNIST_ROOT`` or downloaded into ``./data``; missing files raise
  :class:`MnistNotFoundError`, files that are there but broken :class:`MnistFileError`;
- :func:`check_mnist_files` -- the four IDX files' headers and sizes, checked before
  torchvision reads them;
- :func:`to_tensors` / :func:`load_mnist_tensors` -- a whole split as one float tensor,
  scaled to ``[0, 1]`` once (what ``ToTensor`` does image by image);
- :func:`shift_images`, :func:`random_shifts`, :func:`shift_accuracies` -- the translation
  test, and shift augmentation.

The seed's models live in :mod:`helpers.models`, training and testing in
:mod:`helpers.training`; every name they export is re-exported here, so ``mnist.train``,
``mnist.seed_cnn`` and the rest keep working.

Introduced in notebook 06. Source: seed 001 ("Utility of Convolutional Neural Network over
Multilayer Perceptron"); the IDX format is described on Yann LeCun's MNIST page.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import torch
import torchvision
from torch import nn
from torch.nn import functional as F

from helpers.models import (
    CLASSES,
    SIDE,
    cnn_flat_features,
    cnn_receptive_field,
    parameter_count,
    seed_cnn,
    seed_mlp,
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
    time_batches,
    train,
)
from helpers.validation import check_int

__all__ = [
    "CLASSES",
    "CNN_RECIPE",
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
    "random_shifts",
    "seed_cnn",
    "seed_mlp",
    "shift_accuracies",
    "shift_images",
    "time_batches",
    "to_tensors",
    "train",
]

#: Where torchvision's root is looked for when ``MNIST_ROOT`` is not set.
DEFAULT_ROOT = "./data"
#: The four IDX files: name -> (magic number, shape). Magic ``0x0803`` = unsigned bytes in
#: 3 dimensions (images), ``0x0801`` = unsigned bytes in 1 dimension (labels).
IDX_FILES = {
    "train-images-idx3-ubyte": (0x0803, (60_000, SIDE, SIDE)),
    "train-labels-idx1-ubyte": (0x0801, (60_000,)),
    "t10k-images-idx3-ubyte": (0x0803, (10_000, SIDE, SIDE)),
    "t10k-labels-idx1-ubyte": (0x0801, (10_000,)),
}


class MnistNotFoundError(RuntimeError):
    """MNIST is neither on disk nor downloadable; the message says where it looked."""


class MnistFileError(RuntimeError):
    """An MNIST file is there but broken; the message names the file and what is wrong.

    Attributes
    ----------
    path : Path
        The broken file.
    problem : str
        What is wrong with it, e.g. ``"truncated: 1,000 bytes, expected 7,840,016"``.
    """

    def __init__(self, path: Path, problem: str):
        self.path, self.problem = path, problem
        super().__init__(
            f"MNIST file {path} is broken: {problem}. Fix: replace it with an intact copy "
            f"(copy the four IDX files into {path.parent} again, or delete them and call "
            "load_mnist(download=True))."
        )


def mnist_root(root: str | os.PathLike | None = None) -> tuple[Path, bool]:
    """Find torchvision's root folder for MNIST, and whether it came from ``MNIST_ROOT``.

    Parameters
    ----------
    root : path-like, optional
        An explicit root; wins over the environment.

    Returns
    -------
    root : Path
        ``root``, else ``$MNIST_ROOT``, else ``./data``; the folder that holds ``MNIST/raw/``.
    configured : bool
        True when the root was given (argument or environment): then nothing is downloaded
        unless asked, so a misconfigured CI fails fast instead of going to the network.

    Notes
    -----
    Introduced in notebook 06.
    """
    if root is not None:
        return Path(root), True
    from_env = os.environ.get("MNIST_ROOT")
    if from_env:
        return Path(from_env), True
    return Path(DEFAULT_ROOT), False


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
        Per-image transform, e.g. ``torchvision.transforms.ToTensor()`` as in seed 001.

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
    Introduced in notebook 06; seed 001 calls ``torchvision.datasets.MNIST(root='./data',
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
    if _missing_files(root_path) and download:
        _download_atomically(root_path)
    if _missing_files(root_path):
        raise MnistNotFoundError(_not_found_message(root_path, download))
    check_mnist_files(root_path)
    dataset = torchvision.datasets.MNIST(
        str(root_path), train=train, transform=transform, download=False
    )
    if dataset.targets.numel() and not 0 <= dataset.targets.min() <= dataset.targets.max() < 10:
        prefix = "train" if train else "t10k"
        raise MnistFileError(
            _raw_folder(root_path) / f"{prefix}-labels-idx1-ubyte",
            f"labels must be digits 0-9, found {dataset.targets.min()}..{dataset.targets.max()}",
        )
    return dataset


def _raw_folder(root: Path) -> Path:
    return root / "MNIST" / "raw"


def _missing_files(root: Path) -> list[str]:
    raw = _raw_folder(root)
    return [name for name in IDX_FILES if not (raw / name).is_file()]


def check_mnist_files(root: str | os.PathLike | None = None) -> None:
    """Check the header and the size of each of the four MNIST IDX files.

    Parameters
    ----------
    root : path-like, optional
        torchvision's root, as for :func:`load_mnist`.

    Raises
    ------
    MnistNotFoundError
        If a file is missing.
    MnistFileError
        Naming the first broken file and what is wrong: shorter than its header, a gzip
        archive not unpacked, a wrong magic number, wrong counts or image size in the
        header, or a size that does not match the header (truncated, or extra bytes).

    Notes
    -----
    Introduced in notebook 06. An IDX file is a big-endian header, the magic number
    ``0x00000800 + 256 * type + dimensions`` and one 4-byte count per dimension, then the
    values: 16 + 60,000 x 28 x 28 = 47,040,016 bytes for the training images. torchvision
    0.29 checks none of this: ``MNIST._check_exists`` only asks whether the four files
    exist, and reading a broken one fails with a bare ``AssertionError`` (bad magic), a
    ``RuntimeError`` about a tensor shape (truncated, extra bytes) or not at all (a wrong
    count in a file of matching size).
    """
    root_path, _ = mnist_root(root)
    raw = _raw_folder(root_path)
    missing = _missing_files(root_path)
    if missing:
        raise MnistNotFoundError(_not_found_message(root_path, tried_download=False))
    for name, (magic, shape) in IDX_FILES.items():
        problem = _idx_problem(raw / name, magic, shape)
        if problem:
            raise MnistFileError(raw / name, problem)


def _idx_problem(path: Path, magic: int, shape: tuple[int, ...]) -> str | None:
    """What is wrong with one IDX file, or None when its header and size are right."""
    header = 4 * (1 + len(shape))
    size = path.stat().st_size
    with path.open("rb") as file:
        head = file.read(header)
    if head[:2] == b"\x1f\x8b":
        return "it is a gzip archive: unpack it (gunzip) first"
    if size < header:
        return f"truncated: {size:,} bytes, shorter than its {header}-byte header"
    found = int.from_bytes(head[:4], "big")
    if found != magic:
        return f"magic number 0x{found:08x}, expected 0x{magic:08x}: not an MNIST {_kind(shape)}"
    counts = tuple(int.from_bytes(head[4 * i : 4 * i + 4], "big") for i in range(1, len(shape) + 1))
    if counts != shape:
        return f"the header says shape {counts}, expected {shape}"
    expected = header + math.prod(shape)
    if size != expected:
        what = "truncated" if size < expected else f"{size - expected:,} bytes too many"
        return f"{what}: {size:,} bytes, expected {expected:,} ({header} + {math.prod(shape):,})"
    return None


def _kind(shape: tuple[int, ...]) -> str:
    return "image file" if len(shape) == 3 else "label file"


def _not_found_message(root: Path, tried_download: bool) -> str:
    where = _raw_folder(root).resolve()
    attempt = "the download failed" if tried_download else "download was not enabled"
    missing = ", ".join(_missing_files(root)) or "none"
    return (
        f"MNIST not found: looked for the four IDX files in {where} (missing: {missing}) "
        f"and {attempt}. "
        "Fix: set MNIST_ROOT to the folder that holds MNIST/raw/ (torchvision's root), "
        f"or connect to the internet and call load_mnist(download=True) to fetch it into {root}."
    )


def _download_atomically(root: Path) -> None:
    """Download into a temporary folder inside ``root``; move the files in only on success."""
    created_root = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".mnist-download-", dir=root))
    try:
        torchvision.datasets.MNIST(str(staging), train=True, download=True)
        raw = _raw_folder(root)
        raw.mkdir(parents=True, exist_ok=True)
        check_mnist_files(staging)  # a broken download is not moved into place
        for path in _raw_folder(staging).iterdir():
            os.replace(path, raw / path.name)
    except MnistFileError:
        if created_root:
            shutil.rmtree(root, ignore_errors=True)
        raise
    except (RuntimeError, OSError) as error:
        if created_root:
            shutil.rmtree(root, ignore_errors=True)
        raise MnistNotFoundError(_not_found_message(root, tried_download=True)) from error
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
