"""helpers.reference: property tests against torch.nn.functional in float64."""

import re
import warnings

import numpy as np
import pytest
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from torch_oracle import outcome, torch_call

from helpers import reference as R

pairs = st.tuples
small = st.integers


@st.composite
def conv_case(draw, transposed=False):
    """Return a random convolution: shapes, channels, groups and hyper-parameters, some invalid."""
    groups = draw(small(1, 3))
    c_in = groups * draw(small(1, 2))
    c_out = groups * draw(small(1, 2))
    if draw(st.integers(0, 9)) == 0:  # now and then a channel count groups does not divide
        c_out += 1
    kernel = draw(pairs(small(1, 4), small(1, 4)))
    weight_shape = (
        (c_in, c_out // groups, *kernel) if transposed else (c_out, c_in // groups, *kernel)
    )
    seed = draw(small(0, 2**16))
    rng = np.random.default_rng(seed)
    batch = draw(st.sampled_from([None, 1, 2]))
    spatial = draw(pairs(small(1, 9), small(1, 9)))
    shape = (c_in, *spatial) if batch is None else (batch, c_in, *spatial)
    case = {
        "x": rng.standard_normal(shape),
        "weight": rng.standard_normal(weight_shape),
        "bias": rng.standard_normal(c_out - (c_out % groups)) if draw(st.booleans()) else None,
        # PyTorch's spellings: an int, a pair, a 1-tuple (broadcast)
        "stride": draw(st.one_of(small(1, 3), pairs(small(0, 3), small(1, 3)), pairs(small(1, 3)))),
        "padding": draw(
            st.one_of(small(0, 3), pairs(small(-1, 3), small(0, 3)), pairs(small(0, 2)))
        ),
        "dilation": draw(st.one_of(small(1, 3), pairs(small(1, 3), small(1, 3)))),
        "groups": groups,
    }
    if transposed:
        case["output_padding"] = draw(st.one_of(small(0, 2), pairs(small(0, 2), small(0, 2))))
    elif draw(st.integers(0, 5)) == 0:
        case["padding"] = draw(st.sampled_from(["same", "valid"]))
    return case


def assert_agrees(torch_fn, ours_fn, *args, **kwargs):
    """Both refuse, or both compute the same array to ~1e-10."""
    if "x" in kwargs:  # PyTorch calls it `input`: pass it by position to both
        args = (kwargs.pop("x"), *args)
    with warnings.catch_warnings():  # "same" with an even kernel: a warning about a copy
        warnings.simplefilter("ignore", UserWarning)
        ok_theirs, theirs = outcome(torch_call, torch_fn, *args, **kwargs)
    ok_ours, ours = outcome(ours_fn, *args, **kwargs)
    assert ok_ours == ok_theirs, f"ours: {ours!r}; PyTorch: {theirs!r}"
    if ok_ours:
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10)
    else:
        assert isinstance(ours, ValueError | TypeError)
        # named as the caller spelled it: never the formula's letters (p=5 for padding=5)
        assert not re.search(r"\b[ikspd]=", str(ours)), str(ours)


@given(conv_case())
def test_conv2d_matches_pytorch(case):
    assert_agrees(F.conv2d, R.conv2d, **case)


@given(conv_case(transposed=True))
def test_conv_transpose2d_matches_pytorch(case):
    assert_agrees(F.conv_transpose2d, R.conv_transpose2d, **case)


@st.composite
def pool_case(draw, with_dilation=True):
    rng = np.random.default_rng(draw(small(0, 2**16)))
    batch = draw(st.sampled_from([None, 1, 2]))
    spatial = draw(pairs(small(1, 9), small(1, 9)))
    channels = draw(small(1, 3))
    shape = (channels, *spatial) if batch is None else (batch, channels, *spatial)
    case = {
        "x": rng.standard_normal(shape),
        "kernel_size": draw(st.one_of(small(1, 4), pairs(small(0, 4), small(1, 4)))),
        "stride": draw(
            st.one_of(
                st.none(),
                st.just(()),
                small(1, 3),
                pairs(small(0, 3), small(1, 3)),
                pairs(small(1, 3)),
            )
        ),
        "padding": draw(st.one_of(small(0, 2), pairs(small(-1, 2), small(0, 2)))),
        "ceil_mode": draw(st.booleans()),
    }
    if with_dilation:
        case["dilation"] = draw(st.one_of(small(1, 3), pairs(small(1, 3), small(1, 3))))
    else:
        case["count_include_pad"] = draw(st.booleans())
    return case


@given(pool_case())
def test_max_pool2d_matches_pytorch(case):
    assert_agrees(F.max_pool2d, R.max_pool2d, **case)


@given(pool_case(with_dilation=False))
def test_avg_pool2d_matches_pytorch(case):
    assert_agrees(F.avg_pool2d, R.avg_pool2d, **case)


@given(pool_case(with_dilation=False), small(1, 5))
def test_avg_pool2d_divisor_override_matches_pytorch(case, divisor):
    assert_agrees(F.avg_pool2d, R.avg_pool2d, **case, divisor_override=divisor)


@given(small(1, 12), small(1, 5), small(1, 3), small(0, 3), small(1, 3), small(0, 2))
def test_1d_operators_match_pytorch(length, k, s, p, d, op):
    rng = np.random.default_rng(length * 100 + k)
    x, w = rng.standard_normal((2, length)), rng.standard_normal((2, 3, k))
    assert_agrees(F.conv1d, R.conv1d, x, w.transpose(1, 0, 2), stride=s, padding=p, dilation=d)
    assert_agrees(
        F.conv_transpose1d,
        R.conv_transpose1d,
        x,
        w,
        stride=s,
        padding=p,
        output_padding=op,
        dilation=d,
    )


def test_transposed_buffer_carves_to_the_output():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 3)), rng.standard_normal((2, 1, 3, 3))
    buffer, padding, out_size = R.transposed_buffer(x, w, stride=2, padding=1)
    assert buffer.shape == (1, 7, 7) and padding == (1, 1) and out_size == (5, 5)
    np.testing.assert_allclose(
        buffer[:, 1:6, 1:6], R.conv_transpose2d(x, w, stride=2, padding=1), rtol=0, atol=0
    )


# ------------------------------------------------------------------ seed examples, exactly
def test_seed_000_max_pool():
    x = np.array([[50, 77, 111, 94], [28, 80, 100, 40], [85, 79, 63, 74], [67, 55, 105, 123]])
    np.testing.assert_array_equal(R.max_pool2d(x[None], 2, 2)[0], [[80, 111], [85, 123]])


POOLING_POST_INPUT = np.array([[80.0, 111.0], [85.0, 105.0]])
SEED_000_KERNEL = np.array([[1.0, -1.0], [-2.0, 2.0]])


def test_seed_000_transposed_stride_2():
    out = R.conv_transpose2d(POOLING_POST_INPUT[None], SEED_000_KERNEL[None, None], stride=2)
    expected = [
        [80, -80, 111, -111],
        [-160, 160, -222, 222],
        [85, -85, 105, -105],
        [-170, 170, -210, 210],
    ]
    np.testing.assert_array_equal(out[0], expected)


def test_seed_000_transposed_stride_1():
    out = R.conv_transpose2d(POOLING_POST_INPUT[None], SEED_000_KERNEL[None, None], stride=1)
    np.testing.assert_array_equal(out[0], [[80, 31, -111], [-75, -42, 117], [-170, -40, 210]])


def test_seed_003_one_dimensional():
    out = R.conv_transpose1d(np.array([[2.0, 3.0]]), np.array([[[1.0, 2.0, 3.0]]]), stride=2)
    np.testing.assert_array_equal(out[0], [2, 4, 9, 6, 9])


def test_seed_003_two_dimensional_intermediate_and_carved():
    x = np.array([[[1.0, 2.0], [3.0, 4.0]]])
    w = np.array([[[[1.0, 1.0, 1.0], [0, 0, 0], [-1, -1, -1]]]])
    buffer, padding, out_size = R.transposed_buffer(x, w, stride=2, padding=1)
    np.testing.assert_array_equal(
        buffer[0],
        [
            [1, 1, 3, 2, 2],
            [0, 0, 0, 0, 0],
            [2, 2, 4, 2, 2],
            [0, 0, 0, 0, 0],
            [-3, -3, -7, -4, -4],
        ],
    )
    assert padding == (1, 1) and out_size == (3, 3)
    out = R.conv_transpose2d(x, w, stride=2, padding=1)
    np.testing.assert_array_equal(out[0], [[0, 0, 0], [2, 4, 2], [0, 0, 0]])


def test_seed_004_eight_by_eight():
    w = np.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    out = R.conv_transpose2d(np.ones((1, 1, 4, 4)), w, stride=2, padding=1)[0, 0]
    printed = """
     6 12 14 12 14 12 14  7
    12 24 28 24 28 24 28 14
    20 40 44 40 44 40 44 22
    12 24 28 24 28 24 28 14
    20 40 44 40 44 40 44 22
    12 24 28 24 28 24 28 14
    20 40 44 40 44 40 44 22
    10 20 22 20 22 20 22 11"""
    np.testing.assert_array_equal(out, np.array(printed.split(), dtype=float).reshape(8, 8))


@pytest.mark.parametrize(
    "stride, padding, expected",
    [
        (1, 0, [[6, 14, 4], [2, 17, 21], [0, 1, 5]]),
        (1, 1, [[17]]),
        (2, 0, [[6, 2, 12, 4], [2, 10, 4, 20], [0, 0, 3, 1], [0, 0, 1, 5]]),
        (2, 1, [[10, 4], [0, 3]]),
    ],
)
def test_seed_004_buffers(stride, padding, expected):
    x = np.array([[[2.0, 4.0], [0.0, 1.0]]])
    w = np.array([[[[3.0, 1.0], [1.0, 5.0]]]])
    out = R.conv_transpose2d(x, w, stride=stride, padding=padding)
    np.testing.assert_array_equal(out[0], expected)


# ------------------------------------------------------------------ conventions and errors
def test_integer_inputs_compute_in_float64_and_max_pool_keeps_dtype():
    x = np.arange(16).reshape(1, 4, 4)
    assert R.conv2d(x, np.ones((1, 1, 2, 2), dtype=int)).dtype == np.float64
    assert R.max_pool2d(x, 2).dtype == x.dtype
    assert R.conv2d(x.astype(np.float32), np.ones((1, 1, 2, 2), np.float32)).dtype == np.float32


@pytest.mark.parametrize(
    "call, error, words",
    [
        (
            lambda: R.conv2d(np.ones((1, 3, 5, 5)), np.ones((2, 2, 3, 3))),
            ValueError,
            ["3 channels"],
        ),
        (lambda: R.conv2d(np.ones((5, 5)), np.ones((1, 1, 3, 3))), ValueError, ["shape (5, 5)"]),
        (
            lambda: R.conv2d(np.ones((1, 5, 5)), np.ones((1, 1, 3, 3)), stride=0),
            ValueError,
            ["stride=0", ">= 1"],
        ),
        (
            lambda: R.conv2d(np.ones((1, 5, 5)), np.ones((1, 1, 3, 3)), stride=2, padding="same"),
            ValueError,
            ["'same'", "stride 1"],
        ),
        (
            lambda: R.conv2d(np.ones((1, 5, 5)), np.ones((1, 1, 6, 3))),
            ValueError,
            ["height", "output size"],
        ),
        (
            lambda: R.conv2d(np.ones((1, 5, 5)), np.ones((1, 1, 3, 3)), stride=1.5),
            TypeError,
            ["stride=1.5"],
        ),
        (
            lambda: R.conv_transpose2d(np.ones((1, 5, 5)), np.ones((1, 1, 3, 3)), output_padding=1),
            ValueError,
            ["output_padding=1", "height", "stride=1"],
        ),
        (
            lambda: R.max_pool2d(np.ones((1, 5, 5)), 3, padding=2),
            ValueError,
            ["padding=2", "height", "half the kernel", "kernel_size // 2 = 1"],
        ),
        (
            lambda: R.avg_pool2d(np.ones((1, 5, 5)), 2, padding=-1),
            ValueError,
            ["padding=-1", ">= 0"],
        ),
    ],
)
def test_errors_name_parameter_value_and_rule(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)
