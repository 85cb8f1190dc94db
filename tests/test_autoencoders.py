"""Lesson 07's autoencoders: planned sizes against PyTorch, the probes, the training loop."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import arithmetic, transposed
from helpers import autoencoders as ae
from helpers.checkerboard import checkerboard_score
from helpers.training import Split


def _shapes(model, x):
    """The spatial size after every leaf module, recorded by forward hooks."""
    sizes = []
    hooks = [
        m.register_forward_hook(lambda _m, _i, out: sizes.append(tuple(out.shape[-2:])))
        for m in model.modules()
        if not list(m.children())
    ]
    model(x)
    for hook in hooks:
        hook.remove()
    return sizes


def test_encoder_plan_matches_pytorch():
    plans = ae.encoder_plan()
    assert [(p.i, p.o) for p in plans] == [(28, 14), (14, 7)]
    encoder = ae.build_encoder()
    sizes = _shapes(encoder, torch.zeros(2, 1, 28, 28))
    assert sizes == [(14, 14), (14, 14), (7, 7)]
    assert all(p.formula.endswith(f"= {p.o}") for p in plans)


def test_encoder_plan_refuses_a_size_the_formula_does_not_give():
    with pytest.raises(ValueError, match="maps 28 to 14, not 13"):
        ae.encoder_plan((28, 13))


@pytest.mark.parametrize("name", list(ae.DECODERS))
def test_every_decoder_plan_matches_pytorch_and_ends_at_28(name):
    plans = ae.decoder_plan(ae.DECODERS[name])
    assert [(p.i, p.o) for p in plans] == [(7, 14), (14, 28)]
    decoder = ae.build_decoder(name)
    out = decoder(torch.randn(3, ae.CHANNELS[1], 7, 7))
    assert out.shape == (3, 1, 28, 28)
    assert out.min() >= 0 and out.max() <= 1  # the sigmoid
    for plan in plans:
        if plan.kind == "transposed":
            size = arithmetic.conv_transpose_output_size(
                plan.i, plan.k, plan.s, plan.p, output_padding=plan.output_padding
            )
            layer = nn.ConvTranspose2d(1, 1, plan.k, plan.s, plan.p, plan.output_padding)
            assert size == plan.o == layer(torch.zeros(1, 1, plan.i, plan.i)).shape[-1]
        else:  # nearest resize, then a "same" convolution
            layer = plan.build(1, 1)
            x = torch.zeros(1, 1, plan.i, plan.i)
            upsampled = arithmetic.upsample_output_size(plan.i, scale_factor=plan.s)
            assert layer[0](x).shape[-1] == upsampled == plan.s * plan.i
            assert layer(x).shape[-1] == plan.o
            assert plan.formula.startswith(f"{plan.s}·{plan.i} = {upsampled}, then ")


def test_a_resize_plan_that_misses_the_size_shows_both_steps():
    with pytest.raises(ValueError, match=r"nearest ×3 makes 7 into 21; .* gives 21, not 14"):
        ae.decoder_plan(ae.Upsampler("x", "resize", 3, s=3, p=1), (7, 14))


def test_output_padding_comes_from_conv_input_sizes():
    # k = 3, s = 2, p = 1: Conv2d maps 13 and 14 to 7; reaching 14 needs a = 1
    assert arithmetic.conv_input_sizes(7, 3, 2, 1) == [13, 14]
    assert ae.output_padding_for(7, 14, 3, 2, 1) == 1
    assert ae.output_padding_for(7, 13, 3, 2, 1) == 0
    assert ae.output_padding_for(7, 14, 4, 2, 1) == 0
    assert ae.output_padding_for(7, 14, 5, 2, 2) == ae.output_padding_for(14, 28, 5, 2, 2) == 1
    for i, o, k, s, p in [(7, 14, 5, 2, 2), (5, 15, 3, 3, 0), (4, 9, 3, 2, 0)]:
        a = ae.output_padding_for(i, o, k, s, p)
        layer = nn.ConvTranspose2d(1, 1, k, s, p, output_padding=a)
        assert layer(torch.zeros(1, 1, i, i)).shape[-1] == o


def test_output_padding_for_an_unreachable_size_lists_the_reachable_ones():
    with pytest.raises(ValueError, match=r"takes 7 to 15, 16 .*never to 14"):
        ae.output_padding_for(7, 14, 5, 2, 1)


@pytest.mark.parametrize(
    ("k", "s", "overlap"), [(3, 2, "uneven"), (4, 2, "even"), (2, 2, "none"), (6, 3, "even")]
)
def test_overlap_kind_follows_the_overlap_pattern(k, s, overlap):
    upsampler = ae.Upsampler("x", "transposed", k, s)
    assert upsampler.overlap == overlap
    assert (len(set(transposed.overlap_pattern(k, s))) == 1) == (overlap != "uneven")


def test_upsampler_and_decoder_errors():
    with pytest.raises(ValueError, match="kind='bilinear' is invalid"):
        ae.Upsampler("x", "bilinear", 3)
    with pytest.raises(ValueError, match="decoder='deconv' is invalid: must be one of"):
        ae.build_decoder("deconv")
    with pytest.raises(TypeError, match="decoder=3 is invalid"):
        ae.build_decoder(3)
    with pytest.raises(TypeError, match="channels=16 is invalid"):
        ae.build_encoder(16)


def test_seeds_make_the_same_weights_and_leave_the_global_state_alone():
    state = torch.random.get_rng_state()
    first, second = ae.build_autoencoder("even", seed=3), ae.build_autoencoder("even", seed=3)
    assert torch.equal(torch.random.get_rng_state(), state)
    for a, b in zip(first.parameters(), second.parameters(), strict=True):
        assert torch.equal(a, b)
    other = ae.build_autoencoder("resize", seed=3)  # the same encoder for every decoder
    assert torch.equal(other.encoder.conv1.weight, first.encoder.conv1.weight)


@pytest.mark.parametrize(("k", "s"), [(3, 2), (4, 2), (2, 2), (5, 3)])
def test_uniform_weights_turn_a_constant_code_into_the_overlap_count(k, s):
    layer = ae.uniform_weights(nn.ConvTranspose2d(2, 1, k, stride=s))
    out = ae.constant_code_image(layer, size=5).numpy()
    fan_in = 2 * k * k / (s * s)
    counts = transposed.overlap_counts_2d(5, k, s)
    assert np.allclose(out, 2 * counts / fan_in, atol=1e-6)


def test_uneven_overlap_is_a_checkerboard_even_overlap_and_resize_are_not():
    scores = {
        name: checkerboard_score(
            ae.constant_code_image(ae.uniform_weights(ae.build_decoder(name))), 4
        )
        for name in ae.DECODERS
    }
    assert scores["uneven"] > 0.5
    assert max(scores["even"], scores["no overlap"], scores["resize"]) < 0.05


@pytest.mark.parametrize("seed", range(4))
def test_at_random_initialisation_resize_scores_below_every_transposed_decoder(seed):
    scores = {
        name: checkerboard_score(ae.constant_code_image(ae.build_decoder(name, seed=seed)), 4)
        for name in ae.DECODERS
    }
    assert scores["resize"] < min(scores["uneven"], scores["even"], scores["no overlap"])


def test_input_gradient_of_a_strided_convolution_is_its_transpose():
    torch.manual_seed(0)
    conv = nn.Conv2d(1, 1, 3, stride=2, padding=1, bias=False)
    x = torch.randn(1, 1, 8, 8)
    upstream = torch.randn(1, 1, 4, 4)
    gradient = ae.input_gradient(conv, x, upstream)
    expected = F.conv_transpose2d(
        upstream, conv.weight.detach(), stride=2, padding=1, output_padding=1
    )
    assert torch.allclose(gradient, expected, atol=1e-6)
    uneven = ae.input_gradient(ae.uniform_weights(conv), torch.zeros(1, 1, 28, 28))[0, 0]
    even = ae.input_gradient(
        ae.uniform_weights(nn.Conv2d(1, 1, 4, stride=2, padding=1)), torch.zeros(1, 1, 28, 28)
    )[0, 0]
    plain = ae.input_gradient(
        ae.uniform_weights(nn.Conv2d(1, 1, 3, padding=1)), torch.zeros(1, 1, 28, 28)
    )[0, 0]
    assert checkerboard_score(uneven) > 0.5
    assert checkerboard_score(even) < 0.01 and checkerboard_score(plain) < 0.01


def test_random_codes_follow_the_real_codes_and_repeat_with_the_seed():
    encoder = ae.build_encoder()
    images = torch.rand(300, 1, 28, 28)
    codes = ae.random_codes(encoder, images, 2000, seed=1)
    assert codes.shape == (2000, ae.CHANNELS[1], 7, 7)
    assert torch.equal(codes, ae.random_codes(encoder, images, 2000, seed=1))
    with torch.no_grad():
        real = encoder(images)
    assert torch.allclose(codes.mean(0), real.mean(0), atol=4 * real.std(0).max() / 2000**0.5)


def _digit_like(n, seed):
    """Blobs on a dark background: enough structure to learn in a few steps."""
    g = torch.Generator().manual_seed(seed)
    centres = torch.randint(8, 20, (n, 2), generator=g).float()
    rows = torch.arange(28.0)
    dy = (rows[None, :, None] - centres[:, 0, None, None]) ** 2
    dx = (rows[None, None, :] - centres[:, 1, None, None]) ** 2
    images = torch.exp(-(dx + dy) / 18)[:, None]
    return Split(images, torch.zeros(n, dtype=torch.long))


def test_training_reduces_the_reconstruction_error():
    train, test = _digit_like(512, 0), _digit_like(200, 1)
    model = ae.build_autoencoder("resize")
    before = ae.reconstruction_error(model, test.images)
    run = ae.train_reconstruction(model, train, test, steps=40, batch_size=64, lr=0.01)
    assert run.steps == len(run.losses) == 40
    assert run.images_seen == 40 * 64  # five passes over 512 images, reshuffled
    assert run.test_error == pytest.approx(ae.reconstruction_error(model, test.images))
    assert run.test_error < 0.5 * before
    assert "40 steps" in str(run) and run.precision == "float32"


def test_one_pass_by_default_and_bad_arguments():
    train = _digit_like(100, 0)
    run = ae.train_reconstruction(ae.build_autoencoder("even"), train, train, batch_size=32)
    assert run.steps == 4 and run.images_seen == 100
    with pytest.raises(
        TypeError, match="train_data of type Tensor is invalid: must be a helpers.training.Split"
    ):
        ae.train_reconstruction(ae.build_autoencoder("even"), train.images, train)
    with pytest.raises(ValueError, match="steps=0 is invalid"):
        ae.train_reconstruction(ae.build_autoencoder("even"), train, train, steps=0)
    with pytest.raises(ValueError, match="lr=0 is invalid"):
        ae.train_reconstruction(ae.build_autoencoder("even"), train, train, lr=0)


def test_reconstruct_batches_and_restores_the_mode():
    model = ae.build_autoencoder("uneven").train()
    images = torch.rand(7, 1, 28, 28)
    out = ae.reconstruct(model, images, batch_size=3)
    assert out.shape == images.shape and model.training
    with torch.no_grad():
        assert torch.allclose(out, model(images), atol=1e-6)


@pytest.fixture
def tiny_data():
    return _digit_like(64, 0), _digit_like(32, 1)


def _recipe(**changes):
    fields = {"decoder": "even", "seed": 0, "steps": 2, "batch_size": 32} | changes
    return ae.Recipe(**fields)


def test_cache_trains_once_then_loads_the_same_model(tiny_data, tmp_path):
    train, test = tiny_data
    (first,) = ae.trained_autoencoders([_recipe()], train, test, directory=tmp_path)
    (second,) = ae.trained_autoencoders([_recipe()], train, test, directory=tmp_path)
    assert not first.loaded and second.loaded and first.path == second.path
    assert first.run == second.run
    for (name, a), (_, b) in zip(
        first.model.state_dict().items(), second.model.state_dict().items(), strict=True
    ):
        assert torch.equal(a, b), name
    out_first = ae.reconstruct(first.model, test.images)
    assert torch.equal(out_first, ae.reconstruct(second.model, test.images))
    assert list(tmp_path.iterdir()) == [first.path]  # no temporary file left behind
    assert "loaded from the cache" in str(second) and "trained now" in str(first)


def test_cache_key_changes_with_everything_that_made_the_model(tiny_data):
    train, test = tiny_data
    prints = ae.cache.data_fingerprint(train), ae.cache.data_fingerprint(test)
    base = ae.cache.cache_key(_recipe(), *prints)
    assert base == ae.cache.cache_key(_recipe(), *prints)
    for change in ({"decoder": "uneven"}, {"seed": 1}, {"steps": 3}, {"batch_size": 16},
                   {"lr": 0.02}, {"precision": "bfloat16"}):  # fmt: skip
        assert ae.cache.cache_key(_recipe(**change), *prints) != base, change
    other = Split(train.images.clone(), train.labels)
    other.images[0, 0, 0, 0] += 0.5
    assert ae.cache.data_fingerprint(other) != prints[0]
    assert ae.cache.cache_key(_recipe(), prints[1], prints[0]) != base


def test_a_broken_or_stale_file_is_never_used(tiny_data, tmp_path):
    train, test = tiny_data
    (first,) = ae.trained_autoencoders([_recipe()], train, test, directory=tmp_path)
    data = bytearray(first.path.read_bytes())
    data[-20] ^= 0xFF  # one flipped byte: the stored hash no longer matches
    first.path.write_bytes(bytes(data))
    (again,) = ae.trained_autoencoders([_recipe()], train, test, directory=tmp_path)
    assert not again.loaded
    (loaded,) = ae.trained_autoencoders([_recipe()], train, test, directory=tmp_path)
    assert loaded.loaded  # the retrained file was written back, sound
    first.path.write_bytes(b"not a cache file")
    assert not ae.trained_autoencoders([_recipe()], train, test, directory=tmp_path)[0].loaded
    # a file under the right name but made for another key (here: other test data)
    stale = ae.trained_autoencoders([_recipe()], train, _digit_like(32, 2), directory=tmp_path)
    stale[0].path.replace(first.path)
    assert not ae.trained_autoencoders([_recipe()], train, test, directory=tmp_path)[0].loaded


def test_cache_folder_from_the_environment(tiny_data, tmp_path, monkeypatch):
    monkeypatch.setenv(ae.CACHE_VARIABLE, str(tmp_path / "elsewhere"))
    assert ae.cache_directory() == tmp_path / "elsewhere"
    assert ae.cache_directory(tmp_path) == tmp_path
    train, test = tiny_data
    (result,) = ae.trained_autoencoders([_recipe()], train, test)
    assert result.path.parent == tmp_path / "elsewhere" and result.path.exists()
    monkeypatch.delenv(ae.CACHE_VARIABLE)
    assert ae.cache_directory().parts[-2:] == (".cache", "decoders")


def test_recipe_and_trained_autoencoders_refuse_bad_input(tiny_data):
    with pytest.raises(ValueError, match="decoder='deconv' is invalid"):
        _recipe(decoder="deconv")
    with pytest.raises(ValueError, match="steps=0 is invalid"):
        _recipe(steps=0)
    with pytest.raises(ValueError, match="precision='float16' is invalid"):
        _recipe(precision="float16")
    train, test = tiny_data
    with pytest.raises(TypeError, match=r"recipes\[0\]='even' is invalid: must be a Recipe"):
        ae.trained_autoencoders(["even"], train, test)
