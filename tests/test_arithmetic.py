"""helpers.arithmetic: property tests against PyTorch, the paper's relationships, validation."""

import dataclasses
import math
import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st
from torch_oracle import outcome, torch_conv_size, torch_pool_size, torch_transpose_size

from helpers.arithmetic import (
    ShapeRuleError,
    conv_input_sizes,
    conv_output_size,
    conv_size,
    conv_transpose_output_size,
    conv_transpose_size,
    effective_kernel_size,
    equivalent_padding,
    max_pool_padding,
    pool_output_size,
    pool_size,
    same_padding,
)

sizes = st.integers(1, 24)
kernels = st.integers(1, 8)
strides = st.integers(1, 5)
paddings = st.integers(0, 6)
dilations = st.integers(1, 4)


def assert_same_outcome(ours, theirs):
    """Both raise, or both return the same size."""
    ok_ours, value_ours = ours
    ok_theirs, value_theirs = theirs
    assert ok_ours == ok_theirs, f"ours: {value_ours!r}; PyTorch: {value_theirs!r}"
    if ok_ours:
        assert value_ours == value_theirs
    else:
        assert isinstance(value_ours, ValueError)


# ------------------------------------------------------------------ agreement with PyTorch
@given(sizes, kernels, strides, paddings, dilations)
def test_conv_output_size_matches_pytorch(i, k, s, p, d):
    assert_same_outcome(
        outcome(conv_output_size, i, k, s, p, d), outcome(torch_conv_size, i, k, s, p, d)
    )


@given(sizes, kernels, strides, paddings, dilations, st.booleans())
def test_pool_output_size_matches_pytorch(i, k, s, p, d, ceil_mode):
    assert_same_outcome(
        outcome(pool_output_size, i, k, s, p, d, ceil_mode),
        outcome(torch_pool_size, i, k, s, p, d, ceil_mode),
    )


@given(sizes, kernels, strides, paddings, dilations, st.integers(0, 5))
def test_conv_transpose_output_size_matches_pytorch(i, k, s, p, d, op):
    assert_same_outcome(
        outcome(conv_transpose_output_size, i, k, s, p, d, op),
        outcome(torch_transpose_size, i, k, s, p, d, op),
    )


@given(kernels, dilations, sizes)
def test_same_padding_matches_pytorch_same(k, d, i):
    before, after = same_padding(k, d)
    x = torch.arange(float(i), dtype=torch.float64).reshape(1, 1, i)
    w = torch.rand(1, 1, k, dtype=torch.float64, generator=torch.Generator().manual_seed(k))
    with warnings.catch_warnings():  # PyTorch warns that odd totals need a padded copy
        warnings.simplefilter("ignore", UserWarning)
        theirs = F.conv1d(x, w, padding="same", dilation=d)
    ours = F.conv1d(F.pad(x, (before, after)), w, dilation=d)
    assert before + after == effective_kernel_size(k, d) - 1
    assert 0 <= after - before <= 1
    torch.testing.assert_close(ours, theirs)


@given(st.integers(1, 12), kernels, strides, st.integers(0, 3), dilations)
def test_conv_input_sizes_are_exactly_the_preimage(o, k, s, p, d):
    found = conv_input_sizes(o, k, s, p, d)
    smallest = max(1, (o - 1) * s + d * (k - 1) + 1 - 2 * p)
    brute = [
        i
        for i in range(1, smallest + s + 2)
        if outcome(torch_conv_size, i, k, s, p, d) == (True, o)
    ]
    assert found == brute
    assert len(found) <= s


@given(sizes, kernels, strides, st.integers(0, 3), dilations)
def test_output_padding_selects_each_ambiguous_input_size(i, k, s, p, d):
    """The transposed convolution reaches every input size the forward conv confuses."""
    ok, o = outcome(conv_output_size, i, k, s, p, d)
    assume(ok)
    unclipped_smallest = (o - 1) * s + d * (k - 1) + 1 - 2 * p
    assert i in conv_input_sizes(o, k, s, p, d)
    for j in conv_input_sizes(o, k, s, p, d):
        a = j - unclipped_smallest  # the paper's `a`, always < s
        if a < max(s, d):
            assert conv_transpose_output_size(o, k, s, p, d, a) == j


# ------------------------------------------------------------------ kernel span and paddings
# (the paper's 15 Relationships are checked against PyTorch in test_relationships.py)
@given(st.integers(0, 4))
def test_same_padding_of_an_odd_kernel_is_half_of_it(n):
    k = 2 * n + 1
    assert same_padding(k) == (k // 2, k // 2)


@given(kernels, dilations)
def test_effective_kernel_size_counts_the_gaps(k, d):
    assert effective_kernel_size(k, d) == k + (k - 1) * (d - 1)


@given(sizes, kernels, strides, paddings, dilations)
def test_equivalent_padding_gives_the_transposed_size(i, k, s, p, d):
    """Stretched input padded by q each side, stride-1 convolution: the transposed size."""
    q = equivalent_padding(k, p, d)
    stretched = (i - 1) * s + 1
    assume(stretched + 2 * q >= effective_kernel_size(k, d))
    assert stretched + 2 * q - effective_kernel_size(k, d) + 1 == conv_transpose_output_size(
        i, k, s, p, d
    )


# ------------------------------------------------------------------ seed examples
@pytest.mark.parametrize(
    "args, expected",
    [
        ((4, 3), 2),  # seed 001: no padding, unit stride
        ((5, 4, 1, 2), 6),  # zero padding
        ((5, 3, 1, 1), 5),  # half padding
        ((5, 3, 1, 2), 7),  # full padding
        ((5, 3, 2, 1), 3),  # strided
        ((6, 3, 2, 1), 3),  # the floor hides the sixth column
        ((7, 3, 1, 0, 2), 3),  # dilated
    ],
)
def test_seed_001_conv_sizes(args, expected):
    assert conv_output_size(*args) == expected


def test_seed_sizes_of_pooling_and_transposed():
    assert pool_output_size(28, 3, 2) == 13  # seed 001
    assert pool_output_size(4, 2, 2) == 2  # seed 000
    assert [pool_output_size(n, 2) for n in (28, 14)] == [14, 7]  # seed 001's MNIST CNN
    assert conv_transpose_output_size(2, 3, 1) == 4  # seed 001
    assert conv_transpose_output_size(2, 3, 2) == 5
    assert conv_transpose_output_size(2, 2, 2) == 4  # seed 000
    assert conv_transpose_output_size(2, 2, 1) == 3
    assert conv_transpose_output_size(2, 3, 2, 1) == 3  # seed 003
    assert conv_transpose_output_size(4, 4, 2, 1) == 8  # seed 004
    assert conv_input_sizes(3, 3, 2, 1) == [5, 6]  # seed 001


def test_seed_003_fixed_padding():
    def fixed_padding(kernel_size, dilation):  # the seed's code, as printed
        kernel_size_effective = kernel_size + (kernel_size - 1) * (dilation - 1)
        pad_total = kernel_size_effective - 1
        pad_beg = pad_total // 2
        return pad_beg, pad_total - pad_beg

    for k in range(1, 8):
        for d in range(1, 5):
            assert same_padding(k, d) == fixed_padding(k, d)


# ------------------------------------------------------------------ validation messages
@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: conv_output_size(5, 3, s=0), ["s=0", ">= 1"]),
        (lambda: conv_output_size(5, 3, p=-1), ["p=-1", ">= 0"]),
        (lambda: conv_output_size(5, 3, d=0), ["d=0", ">= 1"]),
        (lambda: conv_output_size(0, 3), ["i=0"]),
        (lambda: conv_output_size(5, 6), ["output size", "= 0", ">= 1"]),
        (lambda: pool_output_size(5, 3, p=2), ["p=2", "half the kernel", "1"]),
        (lambda: pool_output_size(5, 6), ["output size", ">= 1"]),
        (
            lambda: conv_transpose_output_size(5, 3, s=2, output_padding=2),
            ["output_padding=2", "stride s=2", "dilation d=1"],
        ),
        (lambda: conv_transpose_output_size(1, 1, p=1), ["output size", "= -1"]),
        (lambda: conv_input_sizes(0, 3), ["o=0"]),
    ],
)
def test_errors_name_parameter_value_and_rule(call, words):
    with pytest.raises(ValueError) as info:
        call()
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("bad", [2.0, "3", None, True])
def test_non_integers_are_type_errors(bad):
    with pytest.raises(TypeError, match="must be an int"):
        conv_output_size(5, bad)


def test_ceil_mode_must_be_bool():
    with pytest.raises(TypeError, match="ceil_mode"):
        pool_output_size(5, 2, ceil_mode=1)


def test_numpy_integers_are_accepted():
    import numpy as np

    assert conv_output_size(np.int64(5), np.int32(3)) == 3


# ------------------------------------------------------------------ SizeResult
def evaluate(text: str) -> int:
    """Evaluate one side of a rendered formula, reading its symbols as Python."""
    python = text.translate(
        str.maketrans({"⌊": "floor(", "⌋": ")", "⌈": "ceil(", "⌉": ")", "·": "*", "−": "-"})
    )
    return eval(python, {"__builtins__": {}, "floor": math.floor, "ceil": math.ceil})


def check_size_result(result, plain_outcome, torch_outcome):
    """``value`` is None exactly when the plain function and PyTorch refuse."""
    ok_plain, plain = plain_outcome
    assert (result.value is not None) == ok_plain == torch_outcome[0]
    if ok_plain:
        assert result.value == plain == torch_outcome[1]
        assert result.rule is None and result.error is None
    else:
        assert isinstance(result.error, ShapeRuleError)
        assert str(result.error) == str(plain)  # the wrapper raises exactly this error
        assert result.rule == result.error.rule and result.rule
    steps = result.text().split(" = ")
    assert evaluate(steps[0]) == result.raw  # the numbers shown give the raw value
    assert evaluate(steps[-1]) == (result.raw if result.value is None else result.value)
    assert evaluate(steps[1].split(" − ")[0]) == result.raw  # then the raw value itself
    assert len(steps) == (3 if result.dropped else 2)
    assert evaluate(result.expression("ascii").replace("*", "·")) == result.raw
    last = steps[-1].replace("-", "−")
    css = "output-size" if result.ok else "output-size impossible"
    assert result.html().endswith(f'<span class="{css}">{last}</span>')


@given(sizes, kernels, strides, paddings, dilations)
def test_conv_size_agrees_with_its_wrapper_and_pytorch(i, k, s, p, d):
    result = conv_size(i, k, s, p, d)
    assert result.kind == "conv" and result.params == dict(i=i, k=k, s=s, p=p, d=d)
    assert result.raw == (i + 2 * p - d * (k - 1) - 1) // s + 1
    check_size_result(
        result, outcome(conv_output_size, i, k, s, p, d), outcome(torch_conv_size, i, k, s, p, d)
    )


@given(sizes, kernels, strides, paddings, dilations, st.booleans())
def test_pool_size_agrees_with_its_wrapper_and_pytorch(i, k, s, p, d, ceil_mode):
    result = pool_size(i, k, s, p, d, ceil_mode)
    assert result.kind == "pool" and result.params["ceil_mode"] is ceil_mode
    check_size_result(
        result,
        outcome(pool_output_size, i, k, s, p, d, ceil_mode),
        outcome(torch_pool_size, i, k, s, p, d, ceil_mode),
    )
    if result.dropped:  # only ceil mode drops a window, one at most, and says why
        assert ceil_mode and result.value == result.raw - 1 and "right padding" in result.note


@given(sizes, kernels, strides, paddings, dilations, st.integers(0, 5))
def test_conv_transpose_size_agrees_with_its_wrapper_and_pytorch(i, k, s, p, d, op):
    result = conv_transpose_size(i, k, s, p, d, op)
    assert result.kind == "transposed" and result.params["output_padding"] == op
    check_size_result(
        result,
        outcome(conv_transpose_output_size, i, k, s, p, d, op),
        outcome(torch_transpose_size, i, k, s, p, d, op),
    )


def test_size_result_texts():
    result = conv_size(5, 3, s=2, p=1)
    assert result.text() == "⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3"
    assert result.text("ascii") == "floor((5 + 2*1 - 1*(3 - 1) - 1) / 2) + 1 = 3"
    assert (
        result.html() == '⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = <span class="output-size">3</span>'
    )
    assert result.symbolic() == "⌊(i + 2p − d·(k − 1) − 1) / s⌋ + 1"
    assert result.symbolic(compact=True) == "⌊(i + 2p − k) / s⌋ + 1"
    assert conv_transpose_size(2, 3).symbolic() == (
        "(i − 1)·s − 2p + d·(k − 1) + output_padding + 1"
    )
    dropped = pool_size(5, 2, s=2, p=1, ceil_mode=True)
    assert (dropped.raw, dropped.value) == (4, 3)
    assert dropped.text(compact=True) == "⌈(5 + 2·1 − 2) / 2⌉ + 1 = 4 − 1 = 3"
    impossible = conv_size(3, 5)
    assert impossible.text() == "⌊(3 + 2·0 − 1·(5 − 1) − 1) / 1⌋ + 1 = −1"
    assert 'class="output-size impossible">−1<' in impossible.html()


@pytest.mark.parametrize(
    "result, parameter, value, words",
    [
        (conv_size(3, 5), "output size", -1, ["kernel does not fit"]),
        (pool_size(5, 3, p=2), "p", 2, ["half the kernel size", "k // 2 = 1"]),
        (pool_size(5, 3, p=2, names={"p": "padding", "k": "kernel_size"}), "padding", 2,
         ["kernel_size // 2 = 1"]),
        (conv_transpose_size(5, 3, s=2, output_padding=2), "output_padding", 2,
         ["stride s=2", "dilation d=1"]),
        (conv_transpose_size(1, 1, p=1), "output size", -1, ["carves away"]),
    ],
)  # fmt: skip
def test_size_result_names_the_broken_rule(result, parameter, value, words):
    assert result.value is None and not result.ok
    assert (result.error.parameter, result.error.value) == (parameter, value)
    for word in words:
        assert word in result.rule
    assert str(result.error).startswith(parameter)


def test_size_results_refuse_bad_single_parameters_and_are_frozen():
    with pytest.raises(TypeError, match="s=1.5"):
        conv_size(5, 3, s=1.5)
    with pytest.raises(ValueError, match="d=0"):
        pool_size(5, 3, d=0)
    with pytest.raises(ValueError, match="stride=0"):
        conv_transpose_size(5, 3, s=0, names={"s": "stride"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        conv_size(5, 3).value = 4


@pytest.mark.parametrize("k", range(1, 8))
def test_max_pool_padding_is_the_largest_padding_pytorch_accepts(k):
    def accepted(p):
        try:
            torch.nn.functional.max_pool2d(torch.zeros(1, 1, 16, 16), k, padding=p)
        except RuntimeError:
            return False
        return True

    assert max_pool_padding(k) == max(p for p in range(k + 2) if accepted(p))
