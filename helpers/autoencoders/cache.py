"""Trained autoencoders kept on disk, so that a lesson trains each recipe once.

A trained model is a pure function of what made it: the decoder, the random seed, the steps,
the batch size, the learning rate, the precision, the training and test data, the code of the
model and of the training loop, PyTorch's version and its number of threads. The cache file's
name is a hash of all of these, so a change to any of them misses the old file and trains
again. Each file starts with the SHA-256 of the rest; a file that fails the check, or cannot
be read, is ignored and the model is trained (and the file rewritten). Files are written to a
temporary name and renamed into place (``os.replace``), so a reader never sees half a file.

Whether trained or loaded, the model returned is a fresh build with the trained weights
loaded, so every output computed from it is the same either way.

Introduced in notebook 07.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

from helpers.autoencoders import design, models, training
from helpers.autoencoders.models import CHANNELS, build_autoencoder, upsampler_of
from helpers.autoencoders.training import ReconstructionRun, train_reconstruction
from helpers.training import Split, batches, check_split, precision
from helpers.validation import check_choice, check_int, check_real

__all__ = [
    "CACHE_VARIABLE",
    "Recipe",
    "TrainedAutoencoder",
    "cache_directory",
    "cache_key",
    "data_fingerprint",
    "trained_autoencoders",
]

#: The environment variable that moves the cache (default: ``.cache/decoders`` in the project).
CACHE_VARIABLE = "DECODER_CACHE_DIR"

_MAGIC = b"decoder-cache-1\n"


@dataclass(frozen=True)
class Recipe:
    """Everything :func:`train_reconstruction` is given for one autoencoder, besides the data.

    Attributes
    ----------
    decoder : str
        A name in :data:`helpers.autoencoders.DECODERS`.
    seed : int
        The random seed of the initial weights and of the shuffles.
    steps : int
        Optimiser steps.
    batch_size : int, default=128
    lr : float, default=0.01
    precision : {"float32", "bfloat16"}, default="float32"

    Notes
    -----
    Introduced in notebook 07.
    """

    decoder: str
    seed: int
    steps: int
    batch_size: int = 128
    lr: float = 0.01
    precision: str = "float32"

    def __post_init__(self):
        """Check every field (``TypeError`` / ``ValueError`` naming it)."""
        upsampler_of(self.decoder)
        check_int("seed", self.seed, minimum=0)
        check_int("steps", self.steps, minimum=1)
        check_int("batch_size", self.batch_size, minimum=1)
        check_real("lr", self.lr, minimum=0, include_min=False)
        check_choice("precision", self.precision, ("float32", "bfloat16"))


@dataclass(frozen=True)
class TrainedAutoencoder:
    """One trained autoencoder and how it was obtained.

    Attributes
    ----------
    recipe : Recipe
    model : nn.Sequential
        Freshly built, the trained weights loaded, on the CPU, in evaluation mode.
    run : ReconstructionRun
        As training returned it (the seconds are those of the original training).
    loaded : bool
        True when the weights came from the cache.
    path : Path
        The cache file.

    Notes
    -----
    Introduced in notebook 07.
    """

    recipe: Recipe
    model: nn.Sequential
    run: ReconstructionRun
    loaded: bool
    path: Path

    def __str__(self) -> str:
        """One line: decoder, seed, the run, and whether it was loaded."""
        how = "loaded from the cache" if self.loaded else "trained now"
        return f"{self.recipe.decoder:11s} seed {self.recipe.seed}: {self.run} ({how})"


def cache_directory(directory=None) -> Path:
    """The cache folder: ``directory``, else ``$DECODER_CACHE_DIR``, else ``.cache/decoders``.

    The default sits in the project folder (next to ``helpers``), which git ignores.

    Notes
    -----
    Introduced in notebook 07.
    """
    if directory is None:
        directory = os.environ.get(CACHE_VARIABLE) or (
            Path(__file__).resolve().parents[2] / ".cache" / "decoders"
        )
    return Path(directory)


def data_fingerprint(split: Split) -> str:
    """The SHA-256 of a split's images and labels (shapes, types and bytes).

    Notes
    -----
    Introduced in notebook 07.
    """
    check_split("split", split)
    digest = hashlib.sha256()
    for tensor in (split.images, split.labels):
        tensor = tensor.detach().cpu().contiguous()
        digest.update(f"{tuple(tensor.shape)} {tensor.dtype}".encode())
        digest.update(tensor.numpy().tobytes())
    return digest.hexdigest()


def _code_version() -> str:
    """A hash of the source of the modules that build and train the models."""
    digest = hashlib.sha256()
    for module in (design, models, training, batches, precision):
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()


def cache_key(recipe: Recipe, train_fingerprint: str, test_fingerprint: str) -> str:
    """The hash that names a recipe's cache file.

    Parameters
    ----------
    recipe : Recipe
    train_fingerprint, test_fingerprint : str
        :func:`data_fingerprint` of the two splits.

    Returns
    -------
    str
        SHA-256 (hex) of the recipe, the decoder's layers and channels, both fingerprints,
        the code version, ``torch.__version__`` and ``torch.get_num_threads()``.

    Notes
    -----
    Introduced in notebook 07.
    """
    made_of = {
        "recipe": asdict(recipe),
        "upsampler": asdict(upsampler_of(recipe.decoder)),
        "channels": list(CHANNELS),
        "train": train_fingerprint,
        "test": test_fingerprint,
        "code": _code_version(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }
    return hashlib.sha256(json.dumps(made_of, sort_keys=True).encode()).hexdigest()


def _fresh(recipe: Recipe, state: dict) -> nn.Sequential:
    model = build_autoencoder(recipe.decoder, seed=recipe.seed)
    model.load_state_dict(state, strict=True)
    return model.eval()


def _write(path: Path, key: str, state: dict, run: ReconstructionRun) -> None:
    buffer = io.BytesIO()
    run_fields = asdict(run) | {"losses": list(run.losses)}
    torch.save({"key": key, "state": state, "run": run_fields}, buffer)
    payload = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(_MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(path: Path, key: str):
    """``(state, run)`` from a sound file for ``key``; None if missing, stale or broken."""
    try:
        data = path.read_bytes()
        header, _, payload = data[len(_MAGIC) :].partition(b"\n")
        if not data.startswith(_MAGIC) or header.decode() != hashlib.sha256(payload).hexdigest():
            return None
        stored = torch.load(io.BytesIO(payload), weights_only=True)
        if stored["key"] != key:
            return None
        fields = stored["run"] | {"losses": tuple(stored["run"]["losses"])}
        return stored["state"], ReconstructionRun(**fields)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, EOFError):
        return None


def trained_autoencoders(recipes, train_data: Split, test_data: Split, *, directory=None):
    """Each recipe's trained autoencoder, from the cache when a sound file is there.

    Parameters
    ----------
    recipes : iterable of Recipe
    train_data, test_data : Split
        Passed to :func:`train_reconstruction` (fingerprinted once for all recipes).
    directory : str or Path, optional
        See :func:`cache_directory`.

    Returns
    -------
    list of TrainedAutoencoder
        In the order of ``recipes``.

    Raises
    ------
    TypeError
        If a recipe is not a :class:`Recipe` or a split not a
        :class:`helpers.training.Split`.

    Notes
    -----
    Introduced in notebook 07. A missing, stale (another key) or broken (hash mismatch,
    unreadable) file means training on the CPU and writing the file; a folder that cannot
    be written only costs the saving. The model returned is rebuilt from the weights in
    both cases, so that what follows does not depend on which case it was.
    """
    recipes = list(recipes)
    for n, recipe in enumerate(recipes):
        if not isinstance(recipe, Recipe):
            raise TypeError(f"recipes[{n}]={recipe!r} is invalid: must be a Recipe")
    fingerprints = data_fingerprint(train_data), data_fingerprint(test_data)
    folder = cache_directory(directory)
    results = []
    for recipe in recipes:
        key = cache_key(recipe, *fingerprints)
        path = folder / f"{recipe.decoder.replace(' ', '-')}-seed{recipe.seed}-{key[:16]}.pt"
        stored = _read(path, key)
        if stored is None:
            model = build_autoencoder(recipe.decoder, seed=recipe.seed)
            run = train_reconstruction(
                model, train_data, test_data, steps=recipe.steps, batch_size=recipe.batch_size,
                lr=recipe.lr, seed=recipe.seed, precision=recipe.precision, device="cpu",
            )  # fmt: skip
            state = {name: value.detach().cpu().contiguous() for name, value in
                     model.state_dict().items()}  # fmt: skip
            try:
                _write(path, key, state, run)
            except OSError:
                pass  # a read-only folder: the model is still returned
            results.append(TrainedAutoencoder(recipe, _fresh(recipe, state), run, False, path))
        else:
            state, run = stored
            results.append(TrainedAutoencoder(recipe, _fresh(recipe, state), run, True, path))
    return results
