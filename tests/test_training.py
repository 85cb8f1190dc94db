"""helpers.training: recipes, batches, the precision choice, the training loop, evaluation.

Synthetic data throughout (no MNIST needed); tests/test_mnist.py trains on the real digits.
"""

import math

import numpy as np
import pytest
import torch
from torch import nn

from helpers import training
from helpers.training import precision as precision_module
from helpers.training import search as search_module


@pytest.fixture(autouse=True)
def one_thread():
    """Run each test with PyTorch on one thread, as under ``OMP_NUM_THREADS=1``.

    ``choose_precision`` also times one thread against the current count when that count is
    larger; the faked timings below describe the one-thread case, whatever the machine has.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _blobs(n: int = 256, seed: int = 0) -> training.Split:
    """Ten easy classes: each image is the class's own bright pixel plus noise."""
    gen = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 10, (n,), generator=gen)
    images = 0.1 * torch.rand(n, 1, 4, 4, generator=gen)
    images.view(n, -1)[torch.arange(n), labels] += 1.0
    return training.Split(images, labels)


class Recorder(nn.Module):
    """A linear classifier that records, per training forward pass, the batch size and weights."""

    def __init__(self, pixels: int = 16):
        super().__init__()
        self.linear = nn.Linear(pixels, 10)
        self.batch_sizes, self.weights = [], []

    def forward(self, x):
        if self.training:
            self.batch_sizes.append(len(x))
            self.weights.append(self.linear.weight.detach().clone())
        return self.linear(x.flatten(1))


# --------------------------------------------------------------------------- recipes
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": 0}, ValueError, "epochs=0 is invalid: must be >= 1"),
        ({"batch_size": 1.5}, TypeError, "batch_size=1.5 is invalid: must be an int"),
        ({"lr": 0}, ValueError, "lr=0 is invalid: must be > 0"),
        ({"lr": "fast"}, TypeError, "lr='fast' is invalid: must be a real number"),
        ({"schedule": "cosine"}, ValueError, "schedule='cosine' is invalid"),
        ({"label_smoothing": 1.0}, ValueError, r"label_smoothing=1.0 is invalid: must be in \[0"),
        ({"precision": "fp8"}, ValueError, "precision='fp8' is invalid"),
        ({"channels_last": 1}, TypeError, "channels_last=1 is invalid: must be a bool"),
        ({"precision": "auto", "channels_last": True}, ValueError, "measurement chooses"),
    ],
)
def test_recipe_rejects_bad_settings(kwargs, error, match):
    with pytest.raises(error, match=match):
        training.Recipe(**kwargs)


@pytest.mark.parametrize(
    ("recipe", "batch", "first_lr"),
    [
        (training.CNN_RECIPE, 100, 0.01),  # the source's CNN: constant 0.01, batches of 100
        (training.MLP_RECIPE, 100, 0.001),  # the source's MLP: constant 0.001
        (training.Recipe(batch_size=50, lr=0.02), 50, 0.02 / 25),  # one-cycle starts at lr/25
    ],
)
def test_train_follows_the_recipe(recipe, batch, first_lr):
    data = _blobs(250)
    model = Recorder()
    training.train(model, data, data, recipe, progress=False, device="cpu")
    per_epoch = [batch] * (250 // batch) + ([250 % batch] if 250 % batch else [])
    assert model.batch_sizes == per_epoch * recipe.epochs
    # Adam's first update moves every weight with a non-zero gradient by the learning rate
    step = (model.weights[1] - model.weights[0]).abs()
    assert step.max().item() == pytest.approx(first_lr, rel=1e-3)


def test_label_smoothing_floor_is_the_smallest_loss():
    eps, k = 0.1, 10
    floor = training.label_smoothing_floor(eps, k)
    assert floor == pytest.approx(0.5003, abs=1e-4)
    loss = nn.CrossEntropyLoss(label_smoothing=eps)
    target = torch.tensor([3])
    best = torch.full((1, k), eps / k).index_fill_(1, target, 1 - eps + eps / k).log()
    assert loss(best, target).item() == pytest.approx(floor, rel=1e-6)
    gen = torch.Generator().manual_seed(0)
    for _ in range(20):  # any other logits do worse
        assert loss(best + 0.3 * torch.randn(1, k, generator=gen), target).item() > floor
    confident = torch.zeros(1, k).index_fill_(1, target, 50.0)  # what plain CE rewards
    assert loss(confident, target).item() > floor + 3
    assert training.label_smoothing_floor(0.0, k) == 0.0
    with pytest.raises(ValueError, match=r"epsilon=1 is invalid: must be in \[0, 1\)"):
        training.label_smoothing_floor(1, k)


# --------------------------------------------------------------------------- batches
def test_hold_out_partitions_the_split():
    data = _blobs(100)
    rest, held = training.hold_out(data, 30, seed=3)
    assert (len(rest), len(held)) == (70, 30)
    rows = torch.cat([rest.images, held.images]).flatten(1)
    assert torch.equal(torch.sort(rows, dim=0).values, torch.sort(data.images.flatten(1), 0).values)
    again, _ = training.hold_out(data, 30, seed=3)
    other, _ = training.hold_out(data, 30, seed=4)
    assert torch.equal(again.labels, rest.labels) and not torch.equal(other.images, rest.images)
    with pytest.raises(ValueError, match="size=100 is invalid: must be <= 99"):
        training.hold_out(data, 100)


def test_shuffled_batches_visit_every_image_once_in_new_orders():
    data = training.Split(torch.arange(10.0).reshape(10, 1, 1, 1), torch.arange(10))
    batches = training.ShuffledBatches(data, 4, seed=0, device=torch.device("cpu"))
    passes = [torch.cat([labels for _, labels in batches]) for _ in range(3)]
    for order in passes:
        assert sorted(order.tolist()) == list(range(10))
    assert not torch.equal(passes[0], passes[1])
    repeat = training.ShuffledBatches(data, 4, seed=0, device=torch.device("cpu"))
    assert torch.equal(torch.cat([labels for _, labels in repeat]), passes[0])
    for images, labels in batches:  # images travel with their labels
        assert torch.equal(images.flatten(), labels.float())


def test_shuffled_batches_apply_the_transform():
    data = training.Split(torch.ones(6, 1, 2, 2), torch.zeros(6, dtype=torch.long))
    batches = training.ShuffledBatches(
        data, 4, seed=0, device=torch.device("cpu"), transform=lambda x, g: 2 * x
    )
    assert all(torch.equal(images, 2 * torch.ones_like(images)) for images, _ in batches)


def test_shuffled_batches_keep_their_order_when_a_transform_draws_random_numbers():
    data = training.Split(torch.arange(20.0).reshape(20, 1, 1, 1), torch.arange(20))

    def noisy(images, generator):
        return images + torch.rand(images.shape, generator=generator)

    def orders(transform):
        batches = training.ShuffledBatches(
            data, 8, seed=3, device=torch.device("cpu"), transform=transform
        )
        return [torch.cat([labels for _, labels in batches]) for _ in range(3)]

    plain, transformed = orders(None), orders(noisy)
    assert all(torch.equal(a, b) for a, b in zip(plain, transformed, strict=True))
    first = training.ShuffledBatches(data, 8, seed=3, device=torch.device("cpu"), transform=noisy)
    again = training.ShuffledBatches(data, 8, seed=3, device=torch.device("cpu"), transform=noisy)
    assert all(
        torch.equal(x, y) for (x, _), (y, _) in zip(first, again, strict=True)
    )  # the transform's draws repeat run after run


def test_time_batches_draws_only_what_is_asked():
    drawn = []

    def batches():
        for n in range(10):
            drawn.append(n)
            yield n

    assert training.time_batches(batches(), 3) >= 0
    assert drawn == [0, 1, 2]


def test_time_batches_with_repeats_warms_up_then_times_fresh_passes():
    passes = []

    class Batches:
        def __iter__(self):
            passes.append([])
            for n in range(10):
                passes[-1].append(n)
                yield n

    assert training.time_batches(Batches(), 3, repeats=2) >= 0
    assert passes == [[0], [0, 1, 2], [0, 1, 2]]  # one warm-up batch, then two timed passes


def test_time_batches_rejects_zero_repeats():
    with pytest.raises(ValueError, match="repeats=0 is invalid"):
        training.time_batches([], 1, repeats=0)


# --------------------------------------------------------------------------- devices, precision
@pytest.mark.parametrize("cuda", [True, False])
def test_choose_device_takes_cuda_only_when_pytorch_sees_it(monkeypatch, cuda):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    assert training.choose_device() == torch.device("cuda" if cuda else "cpu")


def test_choose_precision_measures_a_copy_and_leaves_the_model_alone():
    training.clear_precision_cache()
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.Flatten(), nn.Linear(4 * 6 * 6, 10))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    batch = torch.rand(8, 1, 8, 8)
    rng = torch.random.get_rng_state()
    choice = training.choose_precision(model, batch, device="cpu", budget=0.5)
    assert torch.equal(torch.random.get_rng_state(), rng)
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key])
    assert model[0].weight.is_contiguous()  # not converted to channels-last
    assert set(choice.step_seconds) == {
        "float32",
        "float32 + channels-last",
        "bfloat16 autocast + channels-last",
    }
    assert all(s > 0 for s in choice.step_seconds.values())
    assert choice.steps >= 1 and choice.device == "cpu"
    assert choice.label in choice.step_seconds and choice.label in str(choice)


def _fake_measure(monkeypatch, fp32: float, mixed: float):
    calls = []

    def fake(model, inputs, device, candidates, budget, steps):
        calls.append(candidates)
        return [[fp32 if dtype == torch.float32 else mixed] * 3 for dtype, _, _ in candidates]

    monkeypatch.setattr(precision_module, "_measure", fake)
    training.clear_precision_cache()
    return calls


@pytest.mark.parametrize(
    ("fp32", "mixed", "dtype", "channels_last"),
    [
        (0.010, 0.005, torch.bfloat16, True),  # twice as fast: bfloat16
        (0.010, 0.0097, torch.float32, False),  # 3 % faster: not worth the rounding
        (0.010, 0.066, torch.float32, False),  # emulated bfloat16, an AVX2 laptop
    ],
)
def test_choose_precision_takes_the_measured_winner(monkeypatch, fp32, mixed, dtype, channels_last):
    _fake_measure(monkeypatch, fp32, mixed)
    choice = training.choose_precision(nn.Linear(4, 2), torch.zeros(2, 4), device="cpu")
    assert (choice.dtype, choice.channels_last) == (dtype, channels_last)
    assert choice.step_seconds == {"float32": fp32, "bfloat16 autocast + channels-last": mixed}


@pytest.mark.parametrize(
    ("times", "label"),
    [
        ((0.010, 0.005, 0.066), "float32 + channels-last"),  # an AVX2 laptop: layout alone wins
        ((0.010, 0.012, 0.066), "float32"),
        ((0.010, 0.008, 0.004), "bfloat16 autocast + channels-last"),
    ],
)
def test_choose_precision_times_float32_channels_last_for_a_cnn(monkeypatch, times, label):
    calls = _fake_measure(monkeypatch, 0, 0)
    monkeypatch.setattr(
        precision_module, "_measure", lambda *a: calls.append(a[3]) or [[t] * 3 for t in times]
    )
    cnn = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))
    choice = training.choose_precision(cnn, torch.zeros(2, 1, 6, 6), device="cpu")
    assert choice.label == label
    assert [c[:2] for c in calls[-1]] == [
        (torch.float32, False),
        (torch.float32, True),
        (torch.bfloat16, True),
    ]


def test_choose_precision_skips_channels_last_float32_without_a_convolution(monkeypatch):
    calls = _fake_measure(monkeypatch, 0.01, 0.02)
    training.choose_precision(nn.Linear(4, 2), torch.zeros(2, 4), device="cpu")
    assert [c[:2] for c in calls[0]] == [(torch.float32, False), (torch.bfloat16, True)]


# --------------------------------------------------------------------------- learning-rate search
def _fake_train(monkeypatch, accuracy):
    """``train`` replaced by a score that depends on the learning rate only."""
    tried = []

    def fake(model, fit, validation, recipe, **kwargs):
        tried.append(recipe.lr)
        history = training.History(precision="float32")
        history.epochs.append(training.EpochStats(1, 0.5, 0.9, accuracy(recipe.lr), 0.1))
        return history

    monkeypatch.setattr(search_module, "train", fake)
    return tried


@pytest.mark.parametrize(
    ("peak", "expected"),
    [
        (0.01, []),  # inside at once: nothing added
        (0.001, [0.001, 0.001 / 3]),  # at the small edge twice: widened downwards twice
        (0.1, [0.09, 0.27]),  # at the large edge twice: widened upwards twice
    ],
)
def test_search_learning_rate_widens_until_the_best_is_inside(monkeypatch, peak, expected):
    tried = _fake_train(monkeypatch, lambda lr: 1 - abs(math.log(lr / peak)))
    data = _blobs(64)
    result = training.search_learning_rate(
        lambda seed: nn.Linear(16, 10), data, data, training.Recipe(), (0.003, 0.01, 0.03)
    )
    assert tried == pytest.approx([0.003, 0.01, 0.03, *expected])
    assert result.inside
    assert result.best == pytest.approx(min(result.scores, key=lambda lr: abs(math.log(lr / peak))))
    assert list(result.scores) == sorted(result.scores)
    assert result.steps == math.ceil(64 / 128)


def test_search_learning_rate_reports_when_the_grid_ran_out(monkeypatch):
    _fake_train(monkeypatch, lambda lr: lr)  # always the largest: never inside
    data = _blobs(64)
    result = training.search_learning_rate(
        lambda seed: nn.Linear(16, 10),
        data,
        data,
        training.Recipe(),
        (0.01, 0.03),
        max_candidates=4,
    )
    assert len(result.scores) == 4 and not result.inside
    assert result.best == max(result.scores)


def test_search_learning_rate_rejects_bad_arguments():
    data, build = _blobs(8), lambda seed: nn.Linear(16, 10)
    with pytest.raises(ValueError, match="candidates=0 is invalid: must be > 0"):
        training.search_learning_rate(build, data, data, training.Recipe(), (0, 0.1))
    with pytest.raises(ValueError, match="candidates=.* must hold at least two rates"):
        training.search_learning_rate(build, data, data, training.Recipe(), (0.1,))
    with pytest.raises(TypeError, match="validation of type list is invalid"):
        training.search_learning_rate(build, data, [], training.Recipe(), (0.1, 0.3))
    with pytest.raises(ValueError, match="factor=1 is invalid"):
        training.search_learning_rate(build, data, data, training.Recipe(), (0.1, 0.3), factor=1)


@pytest.mark.parametrize(("bf16", "dtype"), [(True, torch.bfloat16), (False, torch.float16)])
def test_choose_precision_on_cuda_uses_the_supported_mixed_precision(monkeypatch, bf16, dtype):
    calls = _fake_measure(monkeypatch, 0.001, 0.002)  # even when it measured slower
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: bf16)
    choice = training.choose_precision(nn.Linear(4, 2), torch.zeros(2, 4), device="cuda")
    assert (choice.device, choice.dtype, choice.channels_last) == ("cuda", dtype, True)
    threads = torch.get_num_threads()
    assert calls[0] == [(torch.float32, False, threads), (dtype, True, threads)]


@pytest.mark.parametrize(
    ("one_thread", "label", "threads"),
    [
        (0.2, "bfloat16 autocast + channels-last, 1 thread", 1),  # two threads fight: one wins
        (2.0, "bfloat16 autocast + channels-last", None),  # a quiet machine: keep both threads
    ],
)
def test_choose_precision_also_times_one_thread(monkeypatch, one_thread, label, threads):
    counts = []
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    monkeypatch.setattr(torch, "set_num_threads", counts.append)

    def fake(model, inputs, device, candidates, budget, steps):
        base = {torch.float32: 0.010, torch.bfloat16: 0.005}
        return [[base[d] * (one_thread if n == 1 else 1.0)] * 3 for d, _, n in candidates]

    monkeypatch.setattr(precision_module, "_measure", fake)
    training.clear_precision_cache()
    choice = training.choose_precision(nn.Linear(4, 2), torch.zeros(2, 4), device="cpu")
    assert (choice.label, choice.threads) == (label, threads)
    assert len(choice.step_seconds) == 4 and counts[-1] == 2  # the count is restored


def test_threads_context_sets_and_restores_the_thread_count():
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        choice = precision_module.PrecisionChoice("cpu", torch.float32, False, threads=1)
        with choice.threads_context():
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 2
        with training.fixed_precision("float32", False, "cpu").threads_context():
            assert torch.get_num_threads() == 2  # None: left alone
    finally:
        torch.set_num_threads(before)


def test_choose_precision_is_cached_per_model_structure_and_batch_shape(monkeypatch):
    calls = _fake_measure(monkeypatch, 0.01, 0.02)
    x = torch.zeros(2, 4)
    first = training.choose_precision(nn.Linear(4, 2), x, device="cpu")
    assert training.choose_precision(nn.Linear(4, 2), x, device="cpu") is first
    training.choose_precision(nn.Linear(4, 3), x, device="cpu")  # another model
    training.choose_precision(nn.Linear(4, 2), torch.zeros(5, 4), device="cpu")  # another batch
    training.choose_precision(nn.Linear(4, 2), x, device="cpu", cache=False)
    assert len(calls) == 4
    training.clear_precision_cache()
    training.choose_precision(nn.Linear(4, 2), x, device="cpu")
    assert len(calls) == 5


def test_choose_precision_rejects_bad_arguments():
    with pytest.raises(ValueError, match="steps=1 is invalid"):
        training.choose_precision(nn.Linear(4, 2), torch.zeros(2, 4), steps=1)
    with pytest.raises(ValueError, match="budget=0 is invalid"):
        training.choose_precision(nn.Linear(4, 2), torch.zeros(2, 4), budget=0)
    with pytest.raises(TypeError, match="budget='2' is invalid: must be a real number"):
        training.choose_precision(nn.Linear(4, 2), torch.zeros(2, 4), budget="2")
    with pytest.raises(TypeError, match="cache=1 is invalid: must be a bool"):
        training.choose_precision(nn.Linear(4, 2), torch.zeros(2, 4), cache=1)
    with pytest.raises(ValueError, match="precision='fp8' is invalid: must be one of 'float32'"):
        training.fixed_precision("fp8", False, "cpu")
    with pytest.raises(TypeError, match="example_batch"):
        training.choose_precision(nn.Linear(4, 2), [[0.0] * 4])


def test_auto_recipe_trains_with_the_measured_choice(monkeypatch):
    _fake_measure(monkeypatch, 0.010, 0.004)
    data = _blobs(64)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.Flatten(), nn.Linear(32, 10))
    recipe = training.Recipe(epochs=1, batch_size=32, precision="auto")
    history = training.train(model, data, data, recipe, progress=False, device="cpu")
    assert history.precision == "bfloat16 autocast + channels-last"
    assert model[0].weight.dtype == torch.float32  # weights stay float32
    assert model[0].weight.is_contiguous(memory_format=torch.channels_last)


@pytest.mark.parametrize("precision", ["float32", "bfloat16", "float16"])
def test_every_precision_learns_the_easy_classes(precision):
    data = _blobs(512)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 10))
    recipe = training.Recipe(epochs=3, batch_size=32, lr=0.05, precision=precision)
    history = training.train(model, data, data, recipe, progress=False, device="cpu")
    assert history.precision.startswith(precision)
    assert all(math.isfinite(e.loss) for e in history.epochs)
    assert history.test_accuracy > 0.9  # chance is 0.1


# --------------------------------------------------------------------------- the loop
def test_train_is_repeatable_with_a_seed_and_differs_without():
    data = _blobs(300)

    def run(seed):
        model = nn.Sequential(nn.Flatten(), nn.Linear(16, 10))
        torch.nn.init.zeros_(model[1].weight), torch.nn.init.zeros_(model[1].bias)
        return training.train(model, data, data, training.Recipe(epochs=2), seed=seed,
                              progress=False, device="cpu")  # fmt: skip

    a, b, c = run(7), run(7), run(8)
    assert [e.loss for e in a.epochs] == [e.loss for e in b.epochs]
    assert [e.loss for e in a.epochs] != [e.loss for e in c.epochs]
    assert [e.epoch for e in a.epochs] == [1, 2] and a.seconds == sum(e.seconds for e in a.epochs)


def test_train_takes_a_dataloader():
    data = _blobs(200)
    dataset = torch.utils.data.TensorDataset(data.images, data.labels)
    loader = torch.utils.data.DataLoader(dataset, batch_size=50)
    model = Recorder()
    history = training.train(model, loader, data, training.MLP_RECIPE, progress=False)
    assert model.batch_sizes == [50] * 8 and len(history.epochs) == 2
    with pytest.raises(TypeError, match="augment is invalid with a DataLoader"):
        training.train(model, loader, data, augment=lambda x, g: x, progress=False)
    with pytest.raises(TypeError, match="recipe=.* must be a Recipe"):
        training.train(model, data, data, recipe={"epochs": 1})


def test_train_applies_augment_to_training_batches_only():
    data = _blobs(64)
    model = Recorder()
    seen = []

    def augment(images, generator):
        seen.append(len(images))
        return images

    recipe = training.Recipe(epochs=1, batch_size=16)
    training.train(model, data, data, recipe, augment=augment, progress=False, device="cpu")
    assert seen == [16] * 4


def test_seconds_to_finds_the_first_epoch_over_the_threshold():
    history = training.History(
        [
            training.EpochStats(1, 0.5, 0.9, 0.985, 4.0),
            training.EpochStats(2, 0.3, 0.95, 0.991, 5.0),
            training.EpochStats(3, 0.2, 0.97, 0.989, 6.0),
        ]
    )
    assert history.epochs_to(0.99) == 2 and history.seconds_to(0.99) == 9.0
    assert history.seconds_to(0.995) is None and history.epochs_to(0.995) is None
    assert history.test_accuracy == 0.989
    assert str(history).splitlines()[2].split() == ["2", "0.3000", "95.00", "99.10", "5.0"]


# --------------------------------------------------------------------------- evaluation
class ConstantModel(nn.Module):
    """Always answers ``answer``; records whether it ran in inference mode and eval mode."""

    def __init__(self, answer: int):
        super().__init__()
        self.logits = nn.Parameter(torch.zeros(10))
        with torch.no_grad():
            self.logits[answer] = 1.0
        self.modes = set()

    def forward(self, x):
        self.modes.add((torch.is_inference_mode_enabled(), self.training))
        return self.logits.expand(len(x), 10)


def test_evaluate_counts_every_image_not_the_last_batch():
    labels = torch.tensor([3] * 901 + [5] * 100)  # 1,001 images: the last batch has one
    split = training.Split(torch.zeros(len(labels), 1, 28, 28), labels)
    model = ConstantModel(3)
    assert training.evaluate(model, split, batch_size=500) == pytest.approx(901 / 1001)
    assert model.modes == {(True, False)}  # inference mode, eval mode
    assert model.training  # restored


def test_evaluate_rejects_a_loader():
    loader = [(torch.zeros(1, 1, 28, 28), torch.zeros(1))]
    with pytest.raises(TypeError, match="^data of type list is invalid: must be a helpers"):
        training.evaluate(ConstantModel(0), loader)
    with pytest.raises(TypeError, match="^split of type Tensor is invalid"):
        training.hold_out(torch.zeros(4, 1, 2, 2), 1)
    split = _blobs(4)
    assert training.check_split("data", split) is split


class Affine(nn.Module):
    """``3x + 1`` on any shape; records the batch sizes, inference mode and eval mode."""

    def __init__(self):
        super().__init__()
        self.register_buffer("scale", torch.tensor(3.0))
        self.calls = []

    def forward(self, x):
        self.calls.append((len(x), torch.is_inference_mode_enabled(), self.training))
        return self.scale * x + 1


@pytest.mark.parametrize(("n", "batch_size"), [(10, 3), (10, 10), (10, 200), (1, 1)])
def test_batched_outputs_are_the_whole_forward_pass_batch_by_batch(n, batch_size):
    images = torch.rand(n, 2, 3, generator=torch.Generator().manual_seed(n))
    model = Affine()
    outputs = training.batched_outputs(model, images, batch_size=batch_size)
    assert torch.equal(outputs, 3 * images + 1)
    sizes = [size for size, _, _ in model.calls]
    assert sizes == [min(batch_size, n - start) for start in range(0, n, batch_size)]
    assert {(mode, train) for _, mode, train in model.calls} == {(True, False)}
    assert model.training and not outputs.requires_grad


def test_batched_outputs_transform_each_batch_and_restore_eval_mode():
    model = Affine().eval()
    images = torch.arange(6.0).reshape(6, 1)
    halves = training.batched_outputs(model, images, batch_size=4, transform=lambda y: y[:, 0])
    assert halves.tolist() == [1.0, 4.0, 7.0, 10.0, 13.0, 16.0]
    assert not model.training  # eval mode stays eval mode
    assert training.batched_outputs(model, images[:0]).shape == (0, 1)
    assert training.batched_outputs(nn.Flatten(), torch.ones(2, 1, 2)).shape == (2, 2)


def test_batched_outputs_restore_the_mode_when_the_model_fails():
    class Broken(nn.Linear):
        def forward(self, x):
            raise RuntimeError("broken")

    model = Broken(1, 1)
    with pytest.raises(RuntimeError, match="broken"):
        training.batched_outputs(model, torch.zeros(3, 1))
    assert model.training
    with pytest.raises(ValueError, match="batch_size=0 is invalid: must be >= 1"):
        training.batched_outputs(model, torch.zeros(3, 1), batch_size=0)


def test_predict_is_the_arg_max_of_the_outputs():
    gen = torch.Generator().manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 10))
    images = torch.rand(45, 1, 4, 4, generator=gen)
    predictions = training.predict(model, images, batch_size=7)
    assert predictions.dtype == torch.int64 and predictions.shape == (45,)
    with torch.no_grad():
        assert torch.equal(predictions, model(images).argmax(1))


def test_confusion_matrix_counts_every_pair():
    rng = np.random.default_rng(0)
    labels, predictions = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    matrix = training.confusion_matrix(torch.from_numpy(labels), torch.from_numpy(predictions))
    expected = np.zeros((10, 10), dtype=int)
    for t, p in zip(labels, predictions, strict=True):
        expected[t, p] += 1
    np.testing.assert_array_equal(matrix.numpy(), expected)
    small = training.confusion_matrix(torch.tensor([0, 2]), torch.tensor([1, 2]), classes=3)
    assert small.tolist() == [[0, 1, 0], [0, 0, 0], [0, 0, 1]]
    with pytest.raises(ValueError, match="labels is invalid: every class must be in 0..2"):
        training.confusion_matrix(torch.tensor([3]), torch.tensor([0]), classes=3)
    with pytest.raises(ValueError, match="must be equal"):
        training.confusion_matrix(torch.tensor([0, 1]), torch.tensor([0]))
