"""The four MNIST IDX files on disk: where they are looked for, and whether they are intact.

- :func:`mnist_root` -- torchvision's root folder: an argument, ``$MNIST_ROOT`` or ``./data``;
- :func:`check_mnist_files` -- each file's header and size against :data:`IDX_FILES`;
- :class:`MnistNotFoundError` (a file is missing) and :class:`MnistFileError` (a file is
  there but broken), each message naming the place to look and the fix.

Introduced in notebook 06; :mod:`helpers.mnist` re-exports every name, and loads the files
once they pass. Source: the IDX format as described on Yann LeCun's MNIST page.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from helpers.models import SIDE

__all__ = [
    "DEFAULT_ROOT",
    "IDX_FILES",
    "MnistFileError",
    "MnistNotFoundError",
    "check_mnist_files",
    "missing_files",
    "mnist_root",
    "raw_folder",
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

    @classmethod
    def at(cls, root: Path, tried_download: bool) -> MnistNotFoundError:
        """The error for ``root``: the folder searched, the missing files, the two fixes.

        Parameters
        ----------
        root : Path
            torchvision's root (the folder holding ``MNIST/raw/``).
        tried_download : bool
            Whether a download was attempted (and failed).

        Returns
        -------
        MnistNotFoundError
        """
        where = raw_folder(root).resolve()
        attempt = "the download failed" if tried_download else "download was not enabled"
        missing = ", ".join(missing_files(root)) or "none"
        return cls(
            f"MNIST not found: looked for the four IDX files in {where} (missing: {missing}) "
            f"and {attempt}. "
            "Fix: set MNIST_ROOT to the folder that holds MNIST/raw/ (torchvision's root), "
            f"or connect to the internet and call load_mnist(download=True) to fetch it "
            f"into {root}."
        )


class MnistFileError(RuntimeError):
    """An MNIST file is there but broken; the message names the file and what is wrong.

    Parameters
    ----------
    path : Path
        The broken file.
    problem : str
        What is wrong with it.

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


def raw_folder(root: Path) -> Path:
    """The folder torchvision reads the IDX files from: ``root / "MNIST" / "raw"``.

    Parameters
    ----------
    root : Path
        torchvision's root.

    Returns
    -------
    Path
    """
    return root / "MNIST" / "raw"


def missing_files(root: Path) -> list[str]:
    """The names of the IDX files that are not in :func:`raw_folder` ``(root)``.

    Parameters
    ----------
    root : Path
        torchvision's root.

    Returns
    -------
    list of str
        In the order of :data:`IDX_FILES`; empty when all four are there.
    """
    raw = raw_folder(root)
    return [name for name in IDX_FILES if not (raw / name).is_file()]


def check_mnist_files(root: str | os.PathLike | None = None) -> None:
    """Check the header and the size of each of the four MNIST IDX files.

    Parameters
    ----------
    root : path-like, optional
        torchvision's root, as for :func:`helpers.mnist.load_mnist`.

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
    raw = raw_folder(root_path)
    if missing_files(root_path):
        raise MnistNotFoundError.at(root_path, tried_download=False)
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
        kind = "image file" if len(shape) == 3 else "label file"
        return f"magic number 0x{found:08x}, expected 0x{magic:08x}: not an MNIST {kind}"
    counts = tuple(int.from_bytes(head[4 * i : 4 * i + 4], "big") for i in range(1, len(shape) + 1))
    if counts != shape:
        return f"the header says shape {counts}, expected {shape}"
    expected = header + math.prod(shape)
    if size != expected:
        what = "truncated" if size < expected else f"{size - expected:,} bytes too many"
        return f"{what}: {size:,} bytes, expected {expected:,} ({header} + {math.prod(shape):,})"
    return None
