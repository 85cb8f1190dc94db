"""helpers.mnist: real MNIST loading (and its failure), the source's models, training, tests."""

import contextlib
import io
import os
import shutil
from pathlib import Path
from urllib.error import URLError

import numpy as np
import pytest
import torch
import torchvision
from torch import nn
from torchsummary import summary
from torchvision import transforms

from helpers import mnist

RAW_FILES = [Path(url).stem for url, _ in torchvision.datasets.MNIST.resources]


def _real_root() -> Path | None:
    root = os.environ.get("MNIST_ROOT")
    if root and all((Path(root) / "MNIST" / "raw" / name).is_file() for name in RAW_FILES):
        return Path(root)
    return None


needs_mnist = pytest.mark.skipif(
    _real_root() is None, reason="MNIST_ROOT does not point at the MNIST IDX files"
)


@pytest.fixture(scope="module")
def splits():
    """The real training and test sets, in memory (skipped without MNIST_ROOT)."""
    if _real_root() is None:
        pytest.skip("MNIST_ROOT does not point at the MNIST IDX files")
    return mnist.load_mnist_tensors()


# --------------------------------------------------------------------------- loading
@needs_mnist
def test_load_mnist_reads_the_real_files():
    train_set, test_set = mnist.load_mnist(True), mnist.load_mnist(False)
    assert train_set.data.shape == (60000, 28, 28)
    assert test_set.data.shape == (10000, 28, 28)
    assert train_set.data.dtype == torch.uint8
    assert set(test_set.targets.unique().tolist()) == set(range(10))


@needs_mnist
def test_to_tensors_equals_the_per_image_totensor_path():
    per_image = mnist.load_mnist(False, transform=transforms.ToTensor())
    split = mnist.to_tensors(mnist.load_mnist(False))
    assert split.images.shape == (10000, 1, 28, 28)
    assert split.images.dtype == torch.float32
    for index in (0, 1, 4321, 9999):
        image, label = per_image[index]
        assert torch.equal(split.images[index], image)
        assert split.labels[index].item() == label


def test_mnist_root_prefers_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_ROOT", str(tmp_path / "env"))
    assert mnist.mnist_root(tmp_path / "arg") == (tmp_path / "arg", True)
    assert mnist.mnist_root() == (tmp_path / "env", True)
    monkeypatch.delenv("MNIST_ROOT")
    assert mnist.mnist_root() == (Path("./data"), False)


def _no_network(monkeypatch, calls):
    """Replace torchvision's downloader with one that writes half a file and fails."""

    def fake_download(url, download_root, filename=None, md5=None, **kwargs):
        calls.append(url)
        Path(download_root, filename).write_bytes(b"half a file")
        raise URLError("no network in tests")

    monkeypatch.setattr(torchvision.datasets.mnist, "download_and_extract_archive", fake_download)


def test_configured_root_without_files_names_the_folder_and_the_fixes(monkeypatch, tmp_path):
    calls = []
    _no_network(monkeypatch, calls)
    monkeypatch.setenv("MNIST_ROOT", str(tmp_path))
    with pytest.raises(mnist.MnistNotFoundError) as error:
        mnist.load_mnist()
    message = str(error.value)
    assert str((tmp_path / "MNIST" / "raw").resolve()) in message
    assert "MNIST_ROOT" in message and "download" in message
    assert calls == []  # a configured root never goes to the network unless asked
    assert list(tmp_path.iterdir()) == []


def test_failed_download_leaves_nothing_behind(monkeypatch, tmp_path):
    calls = []
    _no_network(monkeypatch, calls)
    monkeypatch.delenv("MNIST_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(mnist.MnistNotFoundError, match="the download failed") as error:
        mnist.load_mnist(train=False)
    assert calls  # it did try
    assert str((tmp_path / "data" / "MNIST" / "raw").resolve()) in str(error.value)
    assert "MNIST_ROOT" in str(error.value)
    assert not (tmp_path / "data").exists()


def test_failed_download_into_an_existing_root_keeps_the_root_clean(monkeypatch, tmp_path):
    _no_network(monkeypatch, [])
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(mnist.MnistNotFoundError):
        mnist.load_mnist(root=tmp_path, download=True)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@needs_mnist
def test_successful_download_is_moved_into_place(monkeypatch, tmp_path):
    source = _real_root() / "MNIST" / "raw"

    def fake_download(url, download_root, filename=None, md5=None, **kwargs):
        name = Path(filename).stem  # the archive's name without .gz
        shutil.copyfile(source / name, Path(download_root, name))

    monkeypatch.setattr(torchvision.datasets.mnist, "download_and_extract_archive", fake_download)
    test_set = mnist.load_mnist(False, root=tmp_path / "fresh", download=True)
    assert len(test_set) == 10000
    assert sorted(p.name for p in (tmp_path / "fresh").iterdir()) == ["MNIST"]
    assert sorted(p.name for p in (tmp_path / "fresh" / "MNIST" / "raw").iterdir()) == sorted(
        RAW_FILES
    )


# --------------------------------------------------------------------------- broken files
def _write_idx(path: Path, magic: int, shape: tuple[int, ...], extra: int = 0) -> None:
    """An IDX file of zeros with the given header: sparse, so 47 MB cost nothing."""
    with path.open("wb") as file:
        file.write(magic.to_bytes(4, "big"))
        for n in shape:
            file.write(n.to_bytes(4, "big"))
        file.truncate(4 * (1 + len(shape)) + int(np.prod(shape)) + extra)


def _fake_root(tmp_path: Path) -> Path:
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name, (magic, shape) in mnist.IDX_FILES.items():
        _write_idx(raw / name, magic, shape)
    return tmp_path


def test_intact_files_load(tmp_path):
    test_set = mnist.load_mnist(False, root=_fake_root(tmp_path))
    assert test_set.data.shape == (10000, 28, 28) and int(test_set.targets.max()) == 0


@pytest.mark.parametrize(
    ("name", "damage", "problem"),
    [
        ("t10k-images-idx3-ubyte", lambda p: p.write_bytes(b"\x00\x00"), "truncated: 2 bytes"),
        ("t10k-images-idx3-ubyte", lambda p: os.truncate(p, 1000), "truncated: 1,000 bytes"),
        ("train-labels-idx1-ubyte", lambda p: _append(p, 5), "5 bytes too many"),
        ("t10k-labels-idx1-ubyte", lambda p: _write_idx(p, 0x0803, (10000,)), "magic number"),
        ("train-images-idx3-ubyte", lambda p: _write_idx(p, 0x0803, (59999, 28, 28)), "59999"),
        ("t10k-images-idx3-ubyte", lambda p: _write_idx(p, 0x0803, (10000, 32, 32)), "32, 32"),
        ("t10k-images-idx3-ubyte", lambda p: p.write_bytes(b"\x1f\x8b" + bytes(30)), "gzip"),
    ],
)
def test_broken_files_are_named_with_what_is_wrong(tmp_path, name, damage, problem):
    root = _fake_root(tmp_path)
    path = root / "MNIST" / "raw" / name
    damage(path)
    for train in (True, False):  # either split: the four files are checked together
        with pytest.raises(mnist.MnistFileError, match=problem) as error:
            mnist.load_mnist(train, root=root)
        assert error.value.path == path and str(path) in str(error.value)
        assert "not found" not in str(error.value)


def _append(path: Path, count: int) -> None:
    with path.open("ab") as file:
        file.write(bytes(count))


def test_labels_that_are_not_digits_are_reported(tmp_path):
    root = _fake_root(tmp_path)
    path = root / "MNIST" / "raw" / "t10k-labels-idx1-ubyte"
    with path.open("r+b") as file:
        file.seek(8 + 17)
        file.write(bytes([12]))
    with pytest.raises(mnist.MnistFileError, match="labels must be digits 0-9, found 0..12"):
        mnist.load_mnist(False, root=root)
    assert len(mnist.load_mnist(True, root=root)) == 60000  # the training labels are fine


def test_a_missing_file_is_still_not_found(tmp_path):
    root = _fake_root(tmp_path)
    (root / "MNIST" / "raw" / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(mnist.MnistNotFoundError, match="missing: t10k-labels-idx1-ubyte"):
        mnist.load_mnist(False, root=root)


def test_torchvision_alone_misreports_a_truncated_file(tmp_path):
    # Why load_mnist checks first: torchvision 0.29 only asks whether the files exist.
    root = _fake_root(tmp_path)
    os.truncate(root / "MNIST" / "raw" / "t10k-images-idx3-ubyte", 1000)
    with pytest.raises(RuntimeError, match="shape"):
        torchvision.datasets.MNIST(str(root), train=False)


# --------------------------------------------------------------------------- models
class SeedCNN(nn.Module):
    """The source's CNN, as printed in the source."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Sequential(
            nn.Conv2d(in_channels=1, out_channels=16, kernel_size=5, stride=1, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2),
        )
        self.conv2 = nn.Sequential(nn.Conv2d(16, 32, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2))
        self.out = nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = self.conv2(x)
        x = x.view(x.size(0), -1)
        return self.out(x), x


def _torchsummary_text(model, input_size):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        summary(model, input_size=input_size, device="cpu")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("build", "total"), [(mnist.source_mlp, "397,510"), (mnist.source_cnn, "28,938")]
)
def test_parameter_counts_are_the_seeds_torchsummary_numbers(build, total):
    model = build()
    assert f"Total params: {total}" in _torchsummary_text(model, (1, 28, 28))
    assert mnist.parameter_count(model) == int(total.replace(",", ""))


def test_seed_cnn_computes_what_the_seeds_class_computes():
    ours, theirs = mnist.source_cnn(seed=3), SeedCNN()
    theirs.load_state_dict(ours.state_dict())  # same parameter names and shapes
    x = torch.rand(5, 1, 28, 28)
    assert torch.equal(ours(x), theirs(x)[0])


def test_seed_mlp_computes_what_the_seeds_class_computes():
    model = mnist.source_mlp(seed=1)
    x = torch.rand(4, 1, 28, 28)
    first, _, second = model[1], model[2], model[3]
    expected = second(torch.relu(first(x.reshape(-1, 28 * 28))))
    assert torch.equal(model(x), expected)


@pytest.mark.parametrize(
    ("side", "kernel", "padding", "pool", "blocks"),
    [(28, 5, 2, 2, 2), (28, 5, 0, 2, 2), (28, 3, 1, 2, 3), (32, 3, 0, 3, 1), (29, 5, 2, 2, 2)],
)
def test_cnn_flat_features_matches_pytorch(side, kernel, padding, pool, blocks):
    layers, channels = [], 1
    for _ in range(blocks):
        layers += [nn.Conv2d(channels, 4, kernel, padding=padding), nn.MaxPool2d(pool)]
        channels = 4
    out = nn.Sequential(*layers)(torch.zeros(1, 1, side, side))
    expected = out.flatten(1).shape[1]
    flat = mnist.cnn_flat_features(
        side, 4, blocks=blocks, kernel=kernel, padding=padding, pool=pool
    )
    assert flat == expected


def test_models_are_seeded_without_touching_the_global_generator():
    state = torch.random.get_rng_state()
    a, b, c = mnist.source_cnn(seed=0), mnist.source_cnn(seed=0), mnist.source_cnn(seed=1)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert torch.equal(a.conv1[0].weight, b.conv1[0].weight)
    assert not torch.equal(a.conv1[0].weight, c.conv1[0].weight)


def test_cnn_receptive_field_is_the_input_patch_one_cell_depends_on():
    # The source's geometry with linear pieces (average pooling routes the gradient through
    # every window cell; max-pooling would pick one): the gradient of one central cell of
    # the 7x7 map is non-zero exactly on the patch the formula predicts.
    layers = nn.Sequential(nn.Conv2d(1, 1, 5, padding=2), nn.AvgPool2d(2))
    layers.append(nn.Conv2d(1, 1, 5, padding=2)).append(nn.AvgPool2d(2))
    for conv in (layers[0], layers[2]):
        nn.init.ones_(conv.weight)
    x = torch.zeros(1, 1, 28, 28, requires_grad=True)
    layers(x)[0, 0, 3, 3].backward()
    rows, cols = torch.nonzero(x.grad[0, 0], as_tuple=True)
    side = mnist.cnn_receptive_field()
    assert side == 16
    assert rows.max() - rows.min() + 1 == side and cols.max() - cols.min() + 1 == side


def test_every_name_helpers_mnist_had_still_works_there():
    from helpers import mnist_files, models, training

    before_the_split = (
        "CNN_RECIPE FAST_RECIPE MLP_RECIPE EpochStats History MnistNotFoundError Recipe "
        "ShuffledBatches Split choose_device cnn_flat_features confusion_matrix evaluate "
        "explain_shapes load_mnist load_mnist_tensors mnist_root parameter_count predict "
        "seed_cnn seed_mlp shift_accuracies shift_images to_tensors time_batches train"
    ).split()
    assert set(before_the_split) <= set(mnist.__all__)
    added = ["source_cnn", "source_mlp", "search_learning_rate"]
    assert set(added) <= set(mnist.__all__)
    assert mnist.seed_cnn is mnist.source_cnn and mnist.seed_mlp is mnist.source_mlp
    for name in before_the_split + added + ["IDX_FILES", "MnistFileError", "check_mnist_files"]:
        for home in (models, training, mnist_files):
            if name in home.__all__:
                assert getattr(mnist, name) is getattr(home, name), name


# --------------------------------------------------------------------------- shifts, counts
def _shift_by_loops(image: np.ndarray, dx: int, dy: int) -> np.ndarray:
    out = np.zeros_like(image)
    height, width = image.shape
    for r in range(height):
        for c in range(width):
            if 0 <= r - dy < height and 0 <= c - dx < width:
                out[r, c] = image[r - dy, c - dx]
    return out


@pytest.mark.parametrize("dx", [-3, -1, 0, 2, 5])
@pytest.mark.parametrize("dy", [-2, 0, 1, 4])
def test_shift_images_moves_pixels_and_fills_zeros(dx, dy):
    images = torch.arange(2 * 6 * 7, dtype=torch.float32).reshape(2, 1, 6, 7) + 1
    shifted = mnist.shift_images(images, dx=dx, dy=dy)
    for n in range(2):
        expected = _shift_by_loops(images[n, 0].numpy(), dx, dy)
        np.testing.assert_array_equal(shifted[n, 0].numpy(), expected)


@pytest.mark.parametrize(("kwargs", "match"), [({"dx": 7}, "dx=7"), ({"dy": -6}, "dy=-6")])
def test_shift_images_rejects_shifts_as_large_as_the_image(kwargs, match):
    with pytest.raises(ValueError, match=match):
        mnist.shift_images(torch.zeros(1, 6, 7), **kwargs)


def test_random_shifts_move_each_image_by_its_own_offset():
    images = torch.rand(200, 1, 6, 7)
    shifted = mnist.random_shifts(2)(images, torch.Generator().manual_seed(0))
    offsets = []
    for image, moved in zip(images, shifted, strict=True):
        found = [
            (dx, dy)
            for dx in range(-2, 3)
            for dy in range(-2, 3)
            if torch.equal(mnist.shift_images(image, dx=dx, dy=dy), moved)
        ]
        assert len(found) == 1
        offsets += found
    assert len(set(offsets)) == 25  # every offset from -2 to 2 along each axis occurs
    again = mnist.random_shifts(2)(images, torch.Generator().manual_seed(0))
    assert torch.equal(again, shifted)
    assert torch.equal(mnist.random_shifts(0)(images, torch.Generator()), images)


# --------------------------------------------------------------------------- train
def _small(split, n):
    return mnist.Split(split.images[:n], split.labels[:n])


@needs_mnist
def test_train_records_each_epoch_and_learns(splits):
    train, test = splits
    recipe = mnist.Recipe(epochs=2, batch_size=64)
    model = mnist.source_mlp(hidden=64)
    history = mnist.train(model, _small(train, 3000), _small(test, 1000), recipe, progress=False)
    assert [e.epoch for e in history.epochs] == [1, 2]
    for stats in history.epochs:
        assert 0 <= stats.train_accuracy <= 1 and stats.seconds > 0
        assert np.isfinite(stats.loss)
    assert history.test_accuracy > 0.8  # chance is 0.1
    assert history.test_accuracy == pytest.approx(mnist.evaluate(model, _small(test, 1000)))
    assert history.seconds == pytest.approx(sum(e.seconds for e in history.epochs))


@needs_mnist
def test_train_takes_the_seeds_dataloader(splits):
    train, test = splits
    dataset = torch.utils.data.TensorDataset(train.images[:1000], train.labels[:1000])
    loader = torch.utils.data.DataLoader(dataset, batch_size=100, shuffle=True)
    history = mnist.train(
        mnist.source_mlp(hidden=32), loader, _small(test, 500), mnist.MLP_RECIPE, progress=False
    )
    assert len(history.epochs) == mnist.MLP_RECIPE.epochs


@needs_mnist
def test_bfloat16_recipe_keeps_float32_weights_in_channels_last(splits):
    train, test = splits
    model = mnist.source_cnn(channels=(4, 8))
    recipe = mnist.Recipe(epochs=1, precision="bfloat16", channels_last=True)
    history = mnist.train(model, _small(train, 512), _small(test, 256), recipe, progress=False)
    weight = model.conv2[0].weight
    assert weight.dtype == torch.float32
    assert weight.is_contiguous(memory_format=torch.channels_last)
    assert history.precision == "bfloat16 autocast + channels-last"


@needs_mnist
def test_evaluate_uses_the_full_test_set(splits):
    _, test = splits
    labels = test.labels

    class Ones(nn.Module):
        def __init__(self):
            super().__init__()
            self.bias = nn.Parameter(torch.eye(10)[1])

        def forward(self, x):
            return self.bias.expand(len(x), 10)

    expected = (labels == 1).double().mean().item()  # 1,135 ones among 10,000
    assert mnist.evaluate(Ones(), test) == pytest.approx(expected)
    assert expected == pytest.approx(0.1135)


def test_dataloader_iterators_have_no_next_method_any_more():
    # Notebook 06 shows the source's `examples.next()` failing (a raises-exception cell).
    dataset = torch.utils.data.TensorDataset(torch.zeros(4, 1, 28, 28), torch.zeros(4))
    examples = iter(torch.utils.data.DataLoader(dataset, batch_size=2))
    with pytest.raises(AttributeError, match="object has no attribute 'next'"):
        examples.next()
    images, _ = next(examples)  # the built-in next() is the fix
    assert images.shape == (2, 1, 28, 28)
