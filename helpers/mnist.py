"""MNIST for lesson 06: the real data, seed 001's two models, and honest training and testing.

- :func:`load_mnist` -- the dataset through ``torchvision.datasets.MNIST``, from
  ``MNIST_ROOT`` or downloaded into ``./data``, with one clear error when neither works;
- :func:`to_tensors` / :func:`load_mnist_tensors` -- the whole split as one float tensor,
  scaled to ``[0, 1]`` once (what ``ToTensor`` does image by image);
- :func:`seed_mlp` and :func:`seed_cnn` -- seed 001's MLP (784-500-10) and CNN (two 5x5
  convolutions and poolings, then a linear layer whose size :func:`cnn_flat_features`
  derives with :mod:`helpers.arithmetic`);
- :class:`Recipe`, :func:`train`, :func:`evaluate`, :func:`predict` -- seeded training with
  a progress bar and a per-epoch history, and accuracy over the *whole* test set;
- :func:`shift_images` and :func:`confusion_matrix` -- the translation test and the errors.

Introduced in notebook 06. Source: seed 001 ("Utility of Convolutional Neural Network over
Multilayer Perceptron"); the one-cycle schedule is Smith & Topin (2017), arXiv:1708.07120;
label smoothing is Szegedy et al. (2016), arXiv:1512.00567.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torchvision
from torch import nn
from tqdm.auto import tqdm

from helpers import arithmetic
from helpers.shapes import explain_shapes

__all__ = [
    "CNN_RECIPE",
    "FAST_RECIPE",
    "MLP_RECIPE",
    "EpochStats",
    "History",
    "MnistNotFoundError",
    "Recipe",
    "ShuffledBatches",
    "Split",
    "choose_device",
    "cnn_flat_features",
    "confusion_matrix",
    "evaluate",
    "explain_shapes",
    "load_mnist",
    "load_mnist_tensors",
    "mnist_root",
    "parameter_count",
    "predict",
    "seed_cnn",
    "seed_mlp",
    "shift_accuracies",
    "shift_images",
    "to_tensors",
    "time_batches",
    "train",
]

#: MNIST images are 28 x 28 pixels, one channel, ten classes.
SIDE = 28
CLASSES = 10
#: Where torchvision's root is looked for when ``MNIST_ROOT`` is not set.
DEFAULT_ROOT = "./data"


# =========================================================================== data
class MnistNotFoundError(RuntimeError):
    """MNIST is neither on disk nor downloadable; the message says where it looked."""


def mnist_root(root: str | os.PathLike | None = None) -> tuple[Path, bool]:
    """torchvision's root folder for MNIST, and whether it came from ``MNIST_ROOT``.

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
    if not _has_raw_files(root_path) and download:
        _download_atomically(root_path)
    try:
        return torchvision.datasets.MNIST(
            str(root_path), train=train, transform=transform, download=False
        )
    except RuntimeError as error:  # torchvision: "Dataset not found. You can use download=True"
        raise MnistNotFoundError(_not_found_message(root_path, download)) from error


def _raw_folder(root: Path) -> Path:
    return root / "MNIST" / "raw"


def _has_raw_files(root: Path) -> bool:
    raw = _raw_folder(root)
    names = (Path(url).stem for url, _ in torchvision.datasets.MNIST.resources)
    return all((raw / name).is_file() for name in names)


def _not_found_message(root: Path, tried_download: bool) -> str:
    where = _raw_folder(root).resolve()
    attempt = "the download failed" if tried_download else "download was not enabled"
    return (
        f"MNIST not found: looked for the four IDX files in {where} and {attempt}. "
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
        for path in _raw_folder(staging).iterdir():
            os.replace(path, raw / path.name)
    except (RuntimeError, OSError) as error:
        if created_root:
            shutil.rmtree(root, ignore_errors=True)
        raise MnistNotFoundError(_not_found_message(root, tried_download=True)) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True)
class Split:
    """A whole MNIST split in memory.

    Attributes
    ----------
    images : torch.Tensor
        ``float32``, shape ``(N, 1, 28, 28)``, values in ``[0, 1]``.
    labels : torch.Tensor
        ``int64``, shape ``(N,)``.
    """

    images: torch.Tensor
    labels: torch.Tensor

    def __len__(self) -> int:
        return len(self.labels)


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
    for name, value, size in (("dx", dx, width), ("dy", dy, height)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name}={value!r} is invalid: must be an int")
        if abs(value) >= size:
            raise ValueError(f"{name}={value} is invalid: |{name}| must be < {size}")
    shifted = torch.zeros_like(images)
    rows_to, rows_from = _overlap(dy, height)
    cols_to, cols_from = _overlap(dx, width)
    shifted[..., rows_to, cols_to] = images[..., rows_from, cols_from]
    return shifted


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
    dx, dy = direction
    return [
        evaluate(model, Split(shift_images(data.images, dx=s * dx, dy=s * dy), data.labels))
        for s in shifts
    ]


def _overlap(shift: int, size: int) -> tuple[slice, slice]:
    """Destination and source slices of a zero-filled shift along one axis."""
    if shift >= 0:
        return slice(shift, size), slice(0, size - shift)
    return slice(0, size + shift), slice(-shift, size)


# =========================================================================== models
def cnn_flat_features(
    side: int = SIDE,
    channels: int = 32,
    *,
    blocks: int = 2,
    kernel: int = 5,
    padding: int = 2,
    pool: int = 2,
) -> int:
    """Inputs of the CNN's linear layer: channels x side x side after the conv/pool blocks.

    Parameters
    ----------
    side : int, default=28
        Input height and width.
    channels : int, default=32
        Channels of the last block.
    blocks : int, default=2
        Number of (convolution, ReLU, max-pool) blocks.
    kernel, padding : int, default=5, 2
        Convolution kernel size and padding (stride 1).
    pool : int, default=2
        Max-pool window and stride.

    Returns
    -------
    int
        ``channels * o * o`` where ``o`` follows ``side`` through each block with
        :func:`helpers.arithmetic.conv_output_size` and ``pool_output_size``.

    Notes
    -----
    Introduced in notebook 06: seed 001 types ``nn.Linear(32 * 7 * 7, 10)``; the 7 comes
    from 28 -> 28 -> 14 -> 14 -> 7.

    Examples
    --------
    >>> cnn_flat_features()
    1568
    >>> cnn_flat_features(padding=0)   # 28 -> 24 -> 12 -> 8 -> 4
    512
    """
    size = side
    for _ in range(blocks):
        size = arithmetic.conv_output_size(size, kernel, p=padding)
        size = arithmetic.pool_output_size(size, pool)
    return channels * size * size


@contextlib.contextmanager
def _seeded(seed: int):
    """Build a model from a private random stream, leaving the global one untouched."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def seed_mlp(hidden: int = 500, *, seed: int = 0) -> nn.Sequential:
    """Seed 001's multilayer perceptron: flatten, 784 -> hidden, ReLU, hidden -> 10.

    Parameters
    ----------
    hidden : int, default=500
        Hidden units.
    seed : int, default=0
        Seeds the initial weights (the global random state is left alone).

    Returns
    -------
    nn.Sequential
        Takes images ``(N, 1, 28, 28)``; returns logits ``(N, 10)``. With 500 hidden units
        it has 784*500 + 500 + 500*10 + 10 = 397,510 parameters.

    Notes
    -----
    Introduced in notebook 06. Seed 001's ``NeuralNet`` reshapes the batch to ``(N, 784)``
    in its training loop; ``nn.Flatten`` does it inside the model.

    Examples
    --------
    >>> parameter_count(seed_mlp())
    397510
    """
    with _seeded(seed):
        return nn.Sequential(
            nn.Flatten(),
            nn.Linear(SIDE * SIDE, hidden),
            nn.ReLU(),
            nn.Linear(hidden, CLASSES),
        )


def seed_cnn(channels: tuple[int, int] = (16, 32), *, seed: int = 0) -> nn.Sequential:
    """Seed 001's CNN: two (5x5 conv, pad 2, ReLU, 2x2 max-pool) blocks, then a linear layer.

    Parameters
    ----------
    channels : (int, int), default=(16, 32)
        Output channels of the two convolutions.
    seed : int, default=0
        Seeds the initial weights (the global random state is left alone).

    Returns
    -------
    nn.Sequential
        Children ``conv1``, ``conv2`` (each an ``nn.Sequential``), ``flatten``, ``out``, as in
        the seed. Takes ``(N, 1, 28, 28)``; returns logits ``(N, 10)``. The linear layer's
        input size comes from :func:`cnn_flat_features`; with (16, 32) channels the model
        has 28,938 parameters.

    Notes
    -----
    Introduced in notebook 06. The seed's ``forward`` also returned the flattened features
    "for visualization"; here ``model.conv1(x)`` gives any intermediate map instead.

    Examples
    --------
    >>> cnn = seed_cnn()
    >>> cnn.out
    Linear(in_features=1568, out_features=10, bias=True)
    >>> parameter_count(cnn)
    28938
    """
    c1, c2 = channels
    with _seeded(seed):
        return nn.Sequential(
            OrderedDict(
                conv1=_conv_block(1, c1),
                conv2=_conv_block(c1, c2),
                flatten=nn.Flatten(),
                out=nn.Linear(cnn_flat_features(channels=c2), CLASSES),
            )
        )


def _conv_block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, kernel_size=5, stride=1, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(kernel_size=2),
    )


def parameter_count(model: nn.Module) -> int:
    """Number of learnable parameters, as torchsummary's "Trainable params".

    Examples
    --------
    >>> parameter_count(nn.Conv2d(1, 16, 5))   # 5*5*1*16 + 16
    416
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


# =========================================================================== training
@dataclass(frozen=True)
class Recipe:
    """How to train: optimiser settings, schedule, batch size and speed options.

    Attributes
    ----------
    epochs : int, default=1
    batch_size : int, default=128
    lr : float, default=0.01
        Adam's learning rate; the peak of the one-cycle schedule.
    schedule : {"one-cycle", "constant"}, default="one-cycle"
        ``torch.optim.lr_scheduler.OneCycleLR`` over all steps, or a fixed rate.
    label_smoothing : float, default=0.1
        ``nn.CrossEntropyLoss(label_smoothing=...)``, ``0 <= value < 1``.
    channels_last : bool, default=False
        Store the model and batches channels-last (NHWC).
    bf16 : bool, default=False
        Run forward and loss under ``torch.autocast(dtype=torch.bfloat16)``.

    Notes
    -----
    Introduced in notebook 06. Every field is checked here, once.
    """

    epochs: int = 1
    batch_size: int = 128
    lr: float = 0.01
    schedule: str = "one-cycle"
    label_smoothing: float = 0.1
    channels_last: bool = False
    bf16: bool = False

    def __post_init__(self):
        for name in ("epochs", "batch_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}={value!r} is invalid: must be an int >= 1")
        if not self.lr > 0:
            raise ValueError(f"lr={self.lr!r} is invalid: must be > 0")
        if self.schedule not in ("one-cycle", "constant"):
            raise ValueError(
                f"schedule={self.schedule!r} is invalid: must be 'one-cycle' or 'constant'"
            )
        if not 0 <= self.label_smoothing < 1:
            raise ValueError(
                f"label_smoothing={self.label_smoothing!r} is invalid: must be in [0, 1)"
            )


#: Seed 001's CNN recipe: Adam at a constant 0.01, batches of 100, 5 epochs, plain loss.
CNN_RECIPE = Recipe(epochs=5, batch_size=100, lr=0.01, schedule="constant", label_smoothing=0.0)
#: Seed 001's MLP recipe: Adam at a constant 0.001, batches of 100, 2 epochs, plain loss.
MLP_RECIPE = Recipe(epochs=2, batch_size=100, lr=0.001, schedule="constant", label_smoothing=0.0)
#: The lesson's recipe: batches of 128, Adam with a one-cycle schedule peaking at 0.01,
#: label smoothing 0.1, channels-last and bfloat16 autocast.
FAST_RECIPE = Recipe(epochs=2, channels_last=True, bf16=True)


@dataclass(frozen=True)
class EpochStats:
    """One epoch of training: mean loss, accuracies in [0, 1], training seconds."""

    epoch: int
    loss: float
    train_accuracy: float
    test_accuracy: float
    seconds: float


@dataclass
class History:
    """Per-epoch statistics of one training run.

    Attributes
    ----------
    epochs : list of EpochStats
        ``train_accuracy`` is counted on the training batches as they were seen (the model
        still changing); ``test_accuracy`` on the whole test set after the epoch;
        ``seconds`` is the training time of the epoch, the test excluded.
    """

    epochs: list[EpochStats] = field(default_factory=list)

    @property
    def test_accuracy(self) -> float:
        """Full-test-set accuracy after the last epoch."""
        return self.epochs[-1].test_accuracy

    @property
    def seconds(self) -> float:
        """Total training time."""
        return sum(e.seconds for e in self.epochs)

    def seconds_to(self, accuracy: float) -> float | None:
        """Training seconds until the test accuracy first reached ``accuracy``; else None."""
        elapsed = 0.0
        for stats in self.epochs:
            elapsed += stats.seconds
            if stats.test_accuracy >= accuracy:
                return elapsed
        return None

    def __str__(self) -> str:
        lines = ["epoch    loss   train %   test %   seconds"]
        lines += [
            f"{e.epoch:5d}  {e.loss:6.4f}   {100 * e.train_accuracy:6.2f}   "
            f"{100 * e.test_accuracy:6.2f}   {e.seconds:7.1f}"
            for e in self.epochs
        ]
        return "\n".join(lines)


def choose_device() -> torch.device:
    """CUDA when available, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def train(
    model: nn.Module,
    train_data: Split | Iterable,
    test_data: Split,
    recipe: Recipe = FAST_RECIPE,
    *,
    seed: int = 0,
    device: torch.device | str | None = None,
    progress: bool = True,
    description: str = "training",
) -> History:
    """Train ``model`` in place with Adam; test on the whole test set after every epoch.

    Parameters
    ----------
    model : nn.Module
        Maps images ``(N, 1, 28, 28)`` to logits ``(N, 10)``.
    train_data : Split or iterable of (images, labels)
        A :class:`Split` is shuffled and cut into batches in memory (``recipe.batch_size``);
        anything else, such as seed 001's ``DataLoader``, is iterated as it is once per epoch.
    test_data : Split
        Evaluated with :func:`evaluate` after each epoch.
    recipe : Recipe, default=FAST_RECIPE
    seed : int, default=0
        Seeds the shuffling of a :class:`Split`.
    device : torch.device or str, optional
        Default :func:`choose_device`. The model is moved there.
    progress : bool, default=True
        Show a ``tqdm.auto`` bar (a widget in Jupyter).
    description : str, default="training"
        The bar's label.

    Returns
    -------
    History

    Notes
    -----
    Introduced in notebook 06. With ``bf16`` the forward pass runs in bfloat16 under
    autocast while the weights, the optimiser and :func:`evaluate` stay in float32.
    """
    if not isinstance(recipe, Recipe):
        raise TypeError(f"recipe={recipe!r} is invalid: must be a Recipe")
    device = torch.device(device) if device is not None else choose_device()
    model.to(device)
    if recipe.channels_last:
        model.to(memory_format=torch.channels_last)
    batches = _batch_source(train_data, recipe.batch_size, seed, device)
    steps = len(batches)
    optimizer = torch.optim.Adam(model.parameters(), lr=recipe.lr)
    scheduler = None
    if recipe.schedule == "one-cycle":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=recipe.lr, total_steps=recipe.epochs * steps
        )
    loss_fn = nn.CrossEntropyLoss(label_smoothing=recipe.label_smoothing)
    history = History()
    with tqdm(total=recipe.epochs * steps, desc=description, disable=not progress) as bar:
        for epoch in range(1, recipe.epochs + 1):
            start = time.perf_counter()
            loss, correct, seen = _train_epoch(
                model, batches, optimizer, scheduler, loss_fn, recipe, device, bar
            )
            seconds = time.perf_counter() - start
            test_accuracy = evaluate(model, test_data)
            history.epochs.append(
                EpochStats(epoch, loss / seen, correct / seen, test_accuracy, seconds)
            )
            bar.set_postfix(loss=f"{loss / seen:.3f}", test=f"{100 * test_accuracy:.2f}%")
    return history


def _train_epoch(model, batches, optimizer, scheduler, loss_fn, recipe, device, bar):
    """One pass over the batches; returns (summed loss, correct predictions, images seen)."""
    model.train()
    total_loss = torch.zeros((), device=device)
    correct = torch.zeros((), dtype=torch.long, device=device)
    seen = 0
    for images, labels in batches:
        images, labels = images.to(device), labels.to(device)
        if recipe.channels_last:
            images = images.contiguous(memory_format=torch.channels_last)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=recipe.bf16):
            logits = model(images)
            loss = loss_fn(logits, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        # Summed on the device: an .item() per batch would wait for the GPU every step.
        total_loss += loss.detach().float() * len(labels)
        correct += (logits.argmax(1) == labels).sum()
        seen += len(labels)
        bar.update()
    return total_loss.item(), correct.item(), seen


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

    def __init__(self, split: Split, batch_size: int, seed: int, device: torch.device):
        self.images = split.images.to(device)
        self.labels = split.labels.to(device)
        self.batch_size = batch_size
        self.generator = torch.Generator().manual_seed(seed)

    def __len__(self) -> int:
        return -(-len(self.labels) // self.batch_size)

    def __iter__(self):
        order = torch.randperm(len(self.labels), generator=self.generator)
        order = order.to(self.images.device)
        for start in range(0, len(order), self.batch_size):
            index = order[start : start + self.batch_size]
            yield self.images[index], self.labels[index]


def _batch_source(data, batch_size: int, seed: int, device: torch.device):
    if isinstance(data, Split):
        return ShuffledBatches(data, batch_size, seed, device)
    if not hasattr(data, "__len__"):
        raise TypeError(f"train_data={data!r} is invalid: must be a Split or a sized iterable")
    return data


def time_batches(batches: Iterable, count: int) -> float:
    """Seconds to draw the first ``count`` batches from ``batches`` (no model involved).

    Parameters
    ----------
    batches : iterable of (images, labels)
        A ``DataLoader`` or :class:`ShuffledBatches`.
    count : int
        Batches to draw, ``count >= 1``.

    Returns
    -------
    float
        Wall-clock seconds, ``time.perf_counter`` differences.

    Notes
    -----
    Introduced in notebook 06, to compare seed 001's per-image ``ToTensor`` loader with
    batches sliced from memory.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count={count!r} is invalid: must be an int >= 1")
    start = time.perf_counter()
    for drawn, _ in enumerate(batches, start=1):
        if drawn == count:
            break
    return time.perf_counter() - start


def predict(model: nn.Module, images: torch.Tensor, *, batch_size: int = 200) -> torch.Tensor:
    """Predicted classes of ``images``, computed in ``torch.inference_mode()``.

    Parameters
    ----------
    model : nn.Module
    images : torch.Tensor, shape (N, 1, 28, 28)
    batch_size : int, default=200
        Images per forward pass; only speed and memory depend on it.

    Returns
    -------
    torch.Tensor
        ``int64``, shape ``(N,)``, on the CPU.

    Notes
    -----
    Introduced in notebook 06. The model is put in eval mode for the call and its
    previous mode restored afterwards.
    """
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

    Notes
    -----
    Introduced in notebook 06. Seed 001's ``test()`` overwrote ``accuracy`` in its loop and
    printed the last batch's: 100 images, not 10,000.
    """
    if not isinstance(data, Split):
        raise TypeError(f"data={data!r} is invalid: must be a Split")
    predictions = predict(model, data.images, batch_size=batch_size)
    return (predictions == data.labels).double().mean().item()


def confusion_matrix(labels: torch.Tensor, predictions: torch.Tensor) -> torch.Tensor:
    """Counts of (true class, predicted class) pairs.

    Parameters
    ----------
    labels, predictions : torch.Tensor
        Integer classes in ``0..9``, same shape.

    Returns
    -------
    torch.Tensor
        ``int64``, shape ``(10, 10)``; row = true class, column = prediction; the diagonal
        holds the correct answers.

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
    if labels.shape != predictions.shape:
        raise ValueError(
            f"labels.shape={tuple(labels.shape)} and predictions.shape="
            f"{tuple(predictions.shape)} are invalid: must be equal"
        )
    flat = labels.long().flatten() * CLASSES + predictions.long().flatten()
    return torch.bincount(flat, minlength=CLASSES * CLASSES).reshape(CLASSES, CLASSES)
