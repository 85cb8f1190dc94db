"""helpers.channels against PyTorch and torchsummary (notebook 05)."""

from __future__ import annotations

import contextlib
import io
import itertools
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchsummary import summary

from helpers import arithmetic, channels, reference

CHANNELS = range(1, 7)
KERNELS = [1, 3, (2, 3)]


def torch_outcome(layer_cls, c_in, c_out, k, groups, **kwargs):
    """Return ``(True, layer)`` if PyTorch builds the layer, else ``(False, error)``."""
    try:
        return True, layer_cls(c_in, c_out, k, groups=groups, **kwargs)
    except ValueError as err:
        return False, err


def summary_total_params(model: nn.Module, input_size) -> int:
    """Return the "Total params" line of ``torchsummary.summary``."""
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        summary(model, input_size, device="cpu")
    return int(re.search(r"Total params: ([\d,]+)", text.getvalue()).group(1).replace(",", ""))


def numel(layer: nn.Module) -> int:
    return sum(p.numel() for p in layer.parameters())


# --------------------------------------------------------------------------- shapes and counts
@pytest.mark.parametrize("k", KERNELS)
def test_weight_shapes_and_counts_match_pytorch_or_both_refuse(k):
    for c_in, c_out, groups in itertools.product(CHANNELS, CHANNELS, CHANNELS):
        for layer_cls, shape_fn in (
            (nn.Conv2d, channels.conv_weight_shape),
            (nn.ConvTranspose2d, channels.conv_transpose_weight_shape),
        ):
            ok, layer = torch_outcome(layer_cls, c_in, c_out, k, groups)
            if not ok:
                with pytest.raises(ValueError, match=f"groups={groups} does not divide"):
                    shape_fn(c_in, c_out, k, groups)
                continue
            assert shape_fn(c_in, c_out, k, groups) == tuple(layer.weight.shape)
            for bias in (True, False):
                expected = numel(layer_cls(c_in, c_out, k, groups=groups, bias=bias))
                assert channels.conv_param_count(c_in, c_out, k, groups, bias) == expected


def test_check_groups_names_the_same_channel_count_as_pytorch():
    # PyTorch checks the input channels first: both divisibility rules broken -> in_channels.
    for c_in, c_out, groups in [(4, 6, 4), (6, 4, 4), (3, 5, 2), (4, 6, 3)]:
        _, err = torch_outcome(nn.Conv2d, c_in, c_out, 3, groups)
        name = "c_in" if "in_channels" in str(err) else "c_out"
        with pytest.raises(ValueError, match=f"does not divide {name}="):
            channels.check_groups(c_in, c_out, groups)


@pytest.mark.parametrize(
    ("args", "error", "text"),
    [
        ((0, 3, 1), ValueError, "c_in=0 is invalid: must be >= 1"),
        ((2, 0, 1), ValueError, "c_out=0 is invalid"),
        ((2, 3, 0), ValueError, "groups=0 is invalid"),
        ((2.0, 3, 1), TypeError, "c_in=2.0 is invalid: must be an int"),
        ((2, 3, True), TypeError, "groups=True"),
    ],
)
def test_check_groups_rejects_bad_arguments(args, error, text):
    with pytest.raises(error, match=re.escape(text)):
        channels.check_groups(*args)


def test_groups_zero_is_refused_by_pytorch_too():
    with pytest.raises(ValueError, match="groups must be a positive integer"):
        nn.Conv2d(2, 3, 3, groups=0)


@pytest.mark.parametrize(
    ("kernel_size", "error"), [(0, ValueError), ((3, 0), ValueError), ((1, 2, 3), ValueError)]
)
def test_bad_kernel_sizes(kernel_size, error):
    with pytest.raises(error, match="kernel_size"):
        channels.conv_weight_shape(2, 3, kernel_size)


def test_bias_must_be_a_bool():
    with pytest.raises(TypeError, match="bias=1 is invalid"):
        channels.conv_param_count(2, 3, 3, bias=1)


@pytest.mark.parametrize(("c", "k", "m"), [(1, 3, 1), (32, 3, 1), (8, 5, 2), (6, (3, 1), 3)])
def test_depthwise_count_matches_pytorch(c, k, m):
    layer = nn.Conv2d(c, c * m, k, groups=c)
    assert channels.depthwise_param_count(c, k, depth_multiplier=m) == numel(layer)


@pytest.mark.parametrize(("c_in", "c_out", "k"), [(32, 64, 3), (3, 16, 5), (8, 8, (3, 1))])
def test_counts_match_torchsummary(c_in, c_out, k):
    size = (c_in, 12, 12)
    # torchsummary reports the layers *inside* the model: a bare layer must be wrapped
    standard = nn.Sequential(nn.Conv2d(c_in, c_out, k))
    depthwise = nn.Sequential(nn.Conv2d(c_in, c_in, k, groups=c_in))
    separable = nn.Sequential(nn.Conv2d(c_in, c_in, k, groups=c_in), nn.Conv2d(c_in, c_out, 1))
    assert summary_total_params(standard, size) == channels.conv_param_count(c_in, c_out, k)
    assert summary_total_params(depthwise, size) == channels.depthwise_param_count(c_in, k)
    assert summary_total_params(separable, size) == channels.depthwise_separable_param_count(
        c_in, c_out, k
    )


def test_separable_without_bias_is_the_advertised_fraction():
    c_in, c_out, k = 32, 64, 3
    ratio = channels.depthwise_separable_param_count(
        c_in, c_out, k, bias=False
    ) / channels.conv_param_count(c_in, c_out, k, bias=False)
    assert ratio == pytest.approx(1 / c_out + 1 / k**2)


# --------------------------------------------------------------------------- connectivity
@pytest.mark.parametrize("layer_cls", [nn.Conv2d, nn.ConvTranspose2d])
def test_connectivity_is_where_pytorch_passes_signal(layer_cls):
    """A 1x1 layer of all-ones weights maps one-hot channel c to 1 exactly where c is linked."""
    for c_in, c_out, groups in itertools.product(CHANNELS, CHANNELS, CHANNELS):
        if c_in % groups or c_out % groups:
            continue
        layer = layer_cls(c_in, c_out, 1, groups=groups, bias=False)
        with torch.no_grad():
            layer.weight.fill_(1.0)
            one_hot = torch.eye(c_in).reshape(c_in, c_in, 1, 1)  # batch of one-hot pixels
            passes = layer(one_hot)[:, :, 0, 0].T != 0  # (C_out, C_in)
        expected = channels.channel_connectivity(c_in, c_out, groups)
        np.testing.assert_array_equal(expected, passes.numpy())
        k_h, k_w = 3, 2
        assert expected.sum() * k_h * k_w == channels.conv_param_count(
            c_in, c_out, (k_h, k_w), groups, bias=False
        )


def test_channel_groups_partition_the_channels():
    groups = channels.channel_groups(6, 9, 3)
    assert [list(i) for i, _ in groups] == [[0, 1], [2, 3], [4, 5]]
    assert [list(o) for _, o in groups] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    with pytest.raises(ValueError, match="groups=4 does not divide c_in=6"):
        channels.channel_groups(6, 8, 4)


# --------------------------------------------------------------------------- the rule, by pieces
CASES = [
    dict(c_in=2, c_out=3, groups=1, k=3, stride=1, padding=0, batched=True),
    dict(c_in=4, c_out=6, groups=2, k=(2, 3), stride=2, padding=1, batched=False),
    dict(c_in=3, c_out=3, groups=3, k=2, stride=(1, 2), padding=0, batched=True),
    dict(c_in=6, c_out=4, groups=2, k=1, stride=1, padding=(0, 1), batched=True),
]


def random_case(rng, case, transposed):
    c_in, c_out, groups, k = case["c_in"], case["c_out"], case["groups"], case["k"]
    shape_fn = channels.conv_transpose_weight_shape if transposed else channels.conv_weight_shape
    x = rng.standard_normal((2, c_in, 5, 6) if case["batched"] else (c_in, 5, 6))
    weight = rng.standard_normal(shape_fn(c_in, c_out, k, groups))
    bias = rng.standard_normal(c_out)
    return x, weight, bias


def assert_channel_by_channel_matches(ours_fn, torch_fn, case, *, transposed, seed):
    """``ours_fn`` (a sum of single-channel layers) equals ``torch_fn`` on a random ``case``."""
    x, weight, bias = random_case(np.random.default_rng(seed), case, transposed=transposed)
    kwargs = dict(stride=case["stride"], padding=case["padding"])
    ours = ours_fn(x, weight, bias, case["groups"], **kwargs)
    theirs = torch_fn(
        *map(torch.from_numpy, (x, weight, bias)), groups=case["groups"], **kwargs
    ).numpy()
    np.testing.assert_allclose(ours, theirs, atol=1e-10)


@pytest.mark.parametrize("case", CASES)
def test_conv2d_channel_by_channel_matches_pytorch(case):
    assert_channel_by_channel_matches(
        channels.conv2d_channel_by_channel, F.conv2d, case, transposed=False, seed=0
    )


@pytest.mark.parametrize("case", CASES)
def test_conv_transpose2d_channel_by_channel_matches_pytorch(case):
    assert_channel_by_channel_matches(
        channels.conv_transpose2d_channel_by_channel,
        F.conv_transpose2d,
        case,
        transposed=True,
        seed=1,
    )


def test_channel_by_channel_rejects_a_weight_of_the_wrong_layout():
    x = np.zeros((2, 5, 5))
    with pytest.raises(ValueError, match=r"must be \(C_out, C_in/groups, kH, kW\)"):
        channels.conv2d_channel_by_channel(x, np.zeros((2, 3, 3, 3)))
    with pytest.raises(ValueError, match=r"must be \(C_in, C_out/groups, kH, kW\)"):
        channels.conv_transpose2d_channel_by_channel(x, np.zeros((3, 2, 3, 3)))


def seed_002_layers(c_in: int, c_out: int):
    """Seed 002's ``double`` and the single-channel layers that share its weights."""
    double = nn.ConvTranspose2d(c_in, c_out, (2, 2), stride=2, bias=False)
    singles = [nn.ConvTranspose2d(1, 1, (2, 2), stride=2, bias=False) for _ in range(c_in)]
    with torch.no_grad():
        for c, single in enumerate(singles):
            single.weight[:] = double.weight[c : c + 1, 0:1]
    return double, singles


def test_seed_002_input_channels_add_up():
    torch.manual_seed(0)
    double, (single1, single2) = seed_002_layers(2, 1)
    assert tuple(double.weight.shape) == (2, 1, 2, 2)  # the seed's "2 1 2 2"
    inp = torch.randn((1, 2, 3, 4))
    with torch.no_grad():
        out = double(inp)
        pieces = single1(inp[0:1, 0:1]) + single2(inp[0:1, 1:2])
        assert torch.allclose(out, pieces)
        assert (out - pieces).abs().max() < 1e-6  # the seed saw 2.9802e-08
        by_hand = channels.conv_transpose2d_channel_by_channel(
            inp.numpy(), double.weight.numpy(), stride=2
        )
    np.testing.assert_allclose(by_hand, out.numpy(), atol=1e-6)


def test_seed_002_output_channels_are_independent():
    torch.manual_seed(0)
    double = nn.ConvTranspose2d(3, 2, (2, 2), stride=2, bias=False)
    single1 = nn.ConvTranspose2d(3, 1, (2, 2), stride=2, bias=False)
    single2 = nn.ConvTranspose2d(3, 1, (2, 2), stride=2, bias=False)
    with torch.no_grad():
        single1.weight[:] = double.weight[:, 0:1]
        single2.weight[:] = double.weight[:, 1:2]
        inp = torch.randn((1, 3, 2, 4))
        out = double(inp)
        assert torch.allclose(out[0, 0], single1(inp)[0, 0])
        assert torch.allclose(out[0, 1], single2(inp)[0, 0])
        # and not by accident: the two output channels differ
        assert not torch.allclose(out[0, 0], out[0, 1])


def test_conv_transpose_weight_is_the_weight_of_its_adjoint_conv():
    """The gradient of conv2d w.r.t. its input is conv_transpose2d with the same weight."""
    rng = np.random.default_rng(2)
    weight = torch.from_numpy(rng.standard_normal(channels.conv_weight_shape(4, 6, 3, groups=2)))
    x = torch.from_numpy(rng.standard_normal((1, 4, 7, 7))).requires_grad_()
    out = F.conv2d(x, weight, stride=2, groups=2)
    grad_out = torch.from_numpy(rng.standard_normal(out.shape))
    (grad_x,) = torch.autograd.grad(out, x, grad_out)
    # read as a transposed convolution from 6 channels to 4, the same tensor has the right shape
    assert tuple(weight.shape) == channels.conv_transpose_weight_shape(6, 4, 3, groups=2)
    transposed = reference.conv_transpose2d(
        grad_out.numpy(), weight.numpy(), stride=2, groups=2, output_padding=0
    )
    np.testing.assert_allclose(transposed, grad_x.numpy(), atol=1e-10)


# --------------------------------------------------------------------------- layouts
def test_channels_last_round_trip_and_pytorch_permute():
    x = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)
    last = channels.to_channels_last(x)
    np.testing.assert_array_equal(last, torch.from_numpy(x).permute(0, 2, 3, 1).numpy())
    np.testing.assert_array_equal(channels.to_channels_first(last), x)
    np.testing.assert_array_equal(channels.to_channels_last(x[0]), x[0].transpose(1, 2, 0))
    with pytest.raises(ValueError, match=r"x has shape \(4, 5\): must be 3-D"):
        channels.to_channels_last(np.zeros((4, 5)))


def test_seed_003_channels_last_pitfall():
    """Seed 003: input (1, 1, 2, 2) gives (1, 2, 4, 1) when the library reads channels last."""
    k, s = 3, 2
    # PyTorch padding for TensorFlow's "same" transposed convolution (output = stride * input)
    p, op = 1, 1
    assert arithmetic.conv_transpose_output_size(2, k, s, p, output_padding=op) == s * 2
    x = np.arange(1.0, 5.0).reshape(1, 1, 2, 2)
    meant = reference.conv_transpose2d(
        x, np.ones((1, 1, k, k)), stride=s, padding=p, output_padding=op
    )
    assert meant.shape == (1, 1, 4, 4)
    # read channels last: N=1, H=1, W=2, C=2, one filter
    read = channels.to_channels_first(x)
    assert read.shape == (1, 2, 1, 2)
    out = reference.conv_transpose2d(
        read, np.ones((2, 1, k, k)), stride=s, padding=p, output_padding=op
    )
    assert channels.to_channels_last(out).shape == (1, 2, 4, 1)
    torch_out = F.conv_transpose2d(
        torch.from_numpy(read),
        torch.ones(2, 1, k, k, dtype=torch.float64),
        stride=s,
        padding=p,
        output_padding=op,
    )
    np.testing.assert_allclose(out, torch_out.numpy())


@pytest.mark.parametrize("batched", [True, False])
def test_linear_at_every_pixel_is_a_1x1_convolution(batched):
    torch.manual_seed(0)
    linear = nn.Linear(3, 5).double()
    conv = nn.Conv2d(3, 5, 1).double()
    with torch.no_grad():
        conv.weight[:] = linear.weight[:, :, None, None]
        conv.bias[:] = linear.bias
        x = torch.randn((2, 3, 4, 6) if batched else (3, 4, 6), dtype=torch.float64)
        by_linear = linear(x.movedim(-3, -1)).movedim(-1, -3).numpy()
        by_conv = conv(x).numpy()
    w, b = linear.weight.detach().numpy(), linear.bias.detach().numpy()
    ours = channels.linear_at_every_pixel(x.numpy(), w, b)
    np.testing.assert_allclose(ours, by_linear, atol=1e-12)
    np.testing.assert_allclose(ours, by_conv, atol=1e-12)
    np.testing.assert_allclose(reference.conv2d(x.numpy(), w[:, :, None, None], b), by_conv)


def test_linear_at_every_pixel_rejects_a_mismatched_weight():
    with pytest.raises(ValueError, match=r"must be \(C_out, 3\)"):
        channels.linear_at_every_pixel(np.zeros((3, 4, 4)), np.zeros((5, 2)))


# --------------------------------------------------------------------------- seed 002's UP
@pytest.mark.parametrize(("h", "w", "c_in", "c_out", "k"), [(13, 17, 3, 5, 2), (4, 5, 2, 3, 3)])
def test_upsample_tensordot_is_conv_transpose_with_stride_equal_kernel(h, w, c_in, c_out, k):
    rng = np.random.default_rng(3)
    inp = rng.random((h, w, c_in))  # APL's ?13 17 3⍴0: channels last
    ker = rng.random((c_in, k, k, c_out))  # APL's ?3 2 2 5⍴0
    out = channels.upsample_tensordot(inp, ker)
    assert out.shape == (k * h, k * w, c_out)
    layer = nn.ConvTranspose2d(c_in, c_out, k, stride=k, bias=False).double()
    with torch.no_grad():
        layer.weight[:] = torch.from_numpy(ker.transpose(0, 3, 1, 2))
        torch_out = layer(torch.from_numpy(channels.to_channels_first(inp).copy())).numpy()
    np.testing.assert_allclose(channels.to_channels_first(out), torch_out, atol=1e-12)
    np.testing.assert_array_equal(channels.to_up_layout(layer.weight.detach().numpy()), ker)
    # the seed's check: channel 0 is the sum of single-channel transposed convolutions
    by_hand = sum(
        reference.conv_transpose2d(inp[None, :, :, c], ker[c, None, None, :, :, 0], stride=k)[0]
        for c in range(c_in)
    )
    np.testing.assert_allclose(out[:, :, 0], by_hand, atol=1e-12)
    # einsum spelling of the same three steps
    einsum = np.einsum("yxc,cijo->yixjo", inp, ker).reshape(k * h, k * w, c_out)
    np.testing.assert_allclose(out, einsum, atol=1e-12)


@pytest.mark.parametrize(
    ("x_shape", "ker_shape", "text"),
    [
        ((1, 13, 17, 3), (3, 2, 2, 5), "must be \\(H, W, C_in\\)"),
        ((13, 17, 3), (2, 2, 2, 5), "C_in=3"),
        ((13, 17, 3), (3, 2, 3, 5), "square kernel"),
    ],
)
def test_upsample_tensordot_rejects_bad_shapes(x_shape, ker_shape, text):
    with pytest.raises(ValueError, match=text):
        channels.upsample_tensordot(np.zeros(x_shape), np.zeros(ker_shape))


# ----------------------------------------------------------------- notebook 05's error cells
def test_notebook_05_error_cells_raise_what_the_notebook_shows():
    """The ``raises-exception`` cells pass under nbval even if nothing raises: check here."""
    with pytest.raises(
        RuntimeError,
        match=re.escape("expected input[1, 32, 32, 3] to have 3 channels, but got 32 channels"),
    ):
        nn.Conv2d(3, 8, kernel_size=3)(torch.zeros(1, 32, 32, 3))
    with pytest.raises(ValueError, match="^out_channels must be divisible by groups$"):
        nn.Conv2d(4, 6, 3, groups=4)
    with pytest.raises(
        ValueError,
        match="^groups=4 does not divide c_out=6: every group needs whole output channels$",
    ):
        channels.check_groups(4, 6, 4)
