"""helpers.validation: one path for every check, PyTorch's spellings, the caller's names."""

import pickle

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch_oracle import outcome, torch_call

from helpers import reference as R
from helpers.validation import (
    ShapeRuleError,
    as_array,
    check_bool,
    check_choice,
    check_int,
    check_real,
    check_tuple,
)

X = np.arange(2 * 7 * 8, dtype=np.float64).reshape(1, 2, 7, 8)
W = np.ones((2, 2, 3, 3))
X1 = X[:, :, 0, :]
W1 = W[:, :, 0, :]

OPERATORS = {
    "conv2d": (F.conv2d, R.conv2d, (X, W)),
    "conv_transpose2d": (F.conv_transpose2d, R.conv_transpose2d, (X, W)),
    "max_pool2d": (F.max_pool2d, R.max_pool2d, (X, 3)),
    "avg_pool2d": (F.avg_pool2d, R.avg_pool2d, (X, 3)),
    "conv1d": (F.conv1d, R.conv1d, (X1, W1)),
    "conv_transpose1d": (F.conv_transpose1d, R.conv_transpose1d, (X1, W1)),
}

SPELLINGS = [
    # accepted by PyTorch
    ("conv2d", {"stride": 2}),
    ("conv2d", {"stride": (2,)}),
    ("conv2d", {"stride": [1, 2]}),
    ("conv2d", {"stride": np.int64(2)}),
    ("conv2d", {"stride": (np.int64(2), 1)}),
    ("conv2d", {"padding": (1,)}),
    ("conv2d", {"dilation": [2]}),
    ("conv2d", {"groups": np.int64(2)}),
    ("conv_transpose2d", {"stride": (2,), "output_padding": (1,)}),
    ("conv_transpose2d", {"stride": [2, 3], "output_padding": [1, 2]}),
    ("max_pool2d", {"stride": None}),
    ("max_pool2d", {"stride": ()}),
    ("max_pool2d", {"stride": []}),
    ("max_pool2d", {"stride": (2,)}),
    ("max_pool2d", {"kernel_size": (2,), "padding": (1,)}),
    ("max_pool2d", {"kernel_size": torch.Size([2, 3])}),
    ("avg_pool2d", {"stride": ()}),
    ("avg_pool2d", {"divisor_override": -2}),
    ("conv1d", {"stride": (2,), "padding": [1], "dilation": (2,)}),
    ("conv_transpose1d", {"stride": [2], "output_padding": (1,)}),
    # refused for the type
    ("conv2d", {"stride": 1.5}),
    ("conv2d", {"stride": True}),
    ("conv2d", {"stride": "2"}),
    ("conv2d", {"stride": np.array([2, 2])}),
    ("conv2d", {"stride": (2.0, 1)}),
    ("conv2d", {"groups": 1.0}),
    ("conv2d", {"groups": True}),
    ("max_pool2d", {"ceil_mode": 1}),
    ("max_pool2d", {"ceil_mode": np.bool_(True)}),
    ("avg_pool2d", {"count_include_pad": 1}),
    ("avg_pool2d", {"divisor_override": 2.0}),
    ("avg_pool2d", {"divisor_override": True}),
    ("max_pool2d", {"kernel_size": 2.0}),
    # refused for the value
    ("conv2d", {"stride": 0}),
    ("conv2d", {"stride": (1, 1, 1)}),
    ("conv2d", {"stride": ()}),
    ("conv2d", {"padding": -1}),
    ("conv2d", {"padding": "full"}),
    ("conv2d", {"groups": 0}),
    ("conv_transpose2d", {"output_padding": 1}),
    ("conv_transpose2d", {"stride": 2, "output_padding": (0, 2)}),
    ("max_pool2d", {"padding": 2}),
    ("max_pool2d", {"stride": 0}),
    ("max_pool2d", {"stride": (1, 1, 1)}),
    ("max_pool2d", {"kernel_size": (3, 3, 3)}),
    ("avg_pool2d", {"divisor_override": 0}),
    ("conv1d", {"stride": (2, 2)}),
]


def same_kind(ours: Exception, theirs: Exception) -> bool:
    """PyTorch raises TypeError for a type and RuntimeError (or ValueError) for a value."""
    if isinstance(theirs, TypeError):
        return type(ours) is TypeError
    return isinstance(ours, ValueError)


@pytest.mark.parametrize(("name", "kwargs"), SPELLINGS, ids=lambda v: repr(v)[:40])
def test_reference_accepts_and_refuses_what_pytorch_does(name, kwargs):
    torch_fn, ours_fn, args = OPERATORS[name]
    if "kernel_size" in kwargs:
        args = args[:1]
    ok_theirs, theirs = outcome(torch_call, torch_fn, *args, **kwargs)
    ok_ours, ours = outcome(ours_fn, *args, **kwargs)
    assert ok_ours == ok_theirs, f"ours: {ours!r}; PyTorch: {theirs!r}"
    if ok_ours:
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    else:
        assert same_kind(ours, theirs), f"ours: {ours!r}; PyTorch: {theirs!r}"
        # the message names one of the parameters as the call spelled it
        assert any(f"{key}=" in str(ours) for key in kwargs), str(ours)


@pytest.mark.parametrize(
    "call, words, not_words",
    [
        (lambda: R.max_pool2d(X, 2, padding=5), ["padding=5", "half the kernel"], ["p=5"]),
        (lambda: R.max_pool2d(X, (3, 3), padding=(0, 2)), ["padding=2", "width"], ["p="]),
        (lambda: R.avg_pool2d(X, 2, stride=(1, 0)), ["stride=(1, 0)", ">= 1"], ["s="]),
        (lambda: R.conv2d(X, W, dilation=(1, 5)), ["width", "output size"], []),
        (
            lambda: R.conv_transpose2d(X, W, stride=(2, 1), output_padding=1),
            ["output_padding=1", "width", "stride=1"],
            ["s="],
        ),
        (lambda: R.conv1d(X1, W1, stride=[0]), ["stride=[0]"], []),
        (lambda: R.conv2d(X, W, groups=3), ["groups=3"], []),
    ],
)
def test_errors_name_the_parameter_as_the_caller_spelled_it(call, words, not_words):
    with pytest.raises(ValueError) as info:
        call()
    for word in words:
        assert word in str(info.value)
    for word in not_words:
        assert word not in str(info.value)


# ------------------------------------------------------------------ the checks themselves
@pytest.mark.parametrize("value", [3, np.int64(3), np.int8(3), np.uint16(3)])
def test_check_int_accepts_python_and_numpy_integers(value):
    result = check_int("k", value, 1, 5)
    assert result == 3 and type(result) is int


@pytest.mark.parametrize("value", [True, np.bool_(True), 3.0, "3", None, [3]])
def test_check_int_refuses_other_types(value):
    with pytest.raises(TypeError, match=r"^k=.* is invalid: must be an int$"):
        check_int("k", value, 1)


@pytest.mark.parametrize(("value", "rule"), [(0, "must be >= 1"), (9, "must be <= 5")])
def test_check_int_range_errors_carry_parameter_value_and_rule(value, rule):
    with pytest.raises(ShapeRuleError) as info:
        check_int("kernel_size", value, 1, 5)
    assert (info.value.parameter, info.value.value, info.value.rule) == ("kernel_size", value, rule)
    assert str(info.value) == f"kernel_size={value} is invalid: {rule}"


@pytest.mark.parametrize("value", [0.5, 1, np.float32(0.5), np.float64(0.5), np.int64(1)])
def test_check_real_accepts_every_real_number(value):
    result = check_real("lr", value, 0, 1)
    assert result == float(value) and type(result) is float


@pytest.mark.parametrize("value", [True, np.bool_(False), "0.5", None, [0.5], 1j])
def test_check_real_refuses_other_types(value):
    with pytest.raises(TypeError, match=r"^lr=.* is invalid: must be a real number$"):
        check_real("lr", value, 0)


@pytest.mark.parametrize(
    ("value", "kwargs", "rule"),
    [
        (-1, {"minimum": 0}, "must be >= 0"),
        (0, {"minimum": 0, "include_min": False}, "must be > 0"),
        (2.5, {"maximum": 2}, "must be <= 2"),
        (2, {"maximum": 2, "include_max": False}, "must be < 2"),
        (1.0, {"minimum": 0, "maximum": 1, "include_max": False}, "must be in [0, 1)"),
        (0, {"minimum": 0, "maximum": 1, "include_min": False}, "must be in (0, 1]"),
        (-0.5, {"minimum": 0, "maximum": 1}, "must be in [0, 1]"),
        (float("nan"), {"minimum": 0}, "must be >= 0"),
        (float("nan"), {"maximum": 0}, "must be <= 0"),
    ],
)
def test_check_real_range_errors_carry_parameter_value_and_rule(value, kwargs, rule):
    with pytest.raises(ShapeRuleError) as info:
        check_real("label_smoothing", value, **kwargs)
    assert info.value.parameter == "label_smoothing" and info.value.rule == rule
    assert str(info.value) == f"label_smoothing={value!r} is invalid: {rule}"


@pytest.mark.parametrize(
    ("value", "kwargs"),
    [
        (0, {"minimum": 0}),
        (1, {"maximum": 1}),
        (1e-300, {"minimum": 0, "include_min": False}),
        (0.999, {"minimum": 0, "maximum": 1, "include_max": False}),
        (float("inf"), {}),
        (float("nan"), {}),  # no bound: no rule to break
    ],
)
def test_check_real_accepts_values_inside_the_interval(value, kwargs):
    result = check_real("x", value, **kwargs)
    assert result == value or (np.isnan(result) and np.isnan(value))


def test_check_choice():
    assert check_choice("schedule", "constant", ("one-cycle", "constant")) == "constant"
    assert check_choice("precision", "float32", {"float32": 1, "bfloat16": 2}) == "float32"
    with pytest.raises(ShapeRuleError) as info:
        check_choice("schedule", "cosine", ["one-cycle", "constant"])
    assert str(info.value) == (
        "schedule='cosine' is invalid: must be one of 'one-cycle', 'constant'"
    )
    assert (info.value.parameter, info.value.value) == ("schedule", "cosine")
    with pytest.raises(TypeError, match=r"^schedule=3 is invalid: must be a str, one of 'a'"):
        check_choice("schedule", 3, ("a", "b"))


def test_check_choice_does_not_take_a_bool_for_a_number():
    assert check_choice("groups", 1, (1, 2)) == 1
    assert check_choice("flag", True, (True, None)) is True
    with pytest.raises(ShapeRuleError, match=r"^groups=True is invalid: must be one of 1, 2$"):
        check_choice("groups", True, (1, 2))
    with pytest.raises(ShapeRuleError):
        check_choice("flag", 1, (True, None))


def test_check_bool():
    assert check_bool("ceil_mode", False) is False
    for bad in (1, 0, np.bool_(True), "True", None):
        with pytest.raises(TypeError, match="ceil_mode=.* must be a bool"):
            check_bool("ceil_mode", bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2, (2, 2, 2)), ((2,), (2, 2, 2)), ([1, 2, 3], (1, 2, 3)), (torch.Size([4]), (4, 4, 4))],
)
def test_check_tuple_spellings(value, expected):
    assert check_tuple("stride", value, 3) == expected


@pytest.mark.parametrize(
    ("value", "error", "text"),
    [
        ((1, 2), ShapeRuleError, "stride=(1, 2) is invalid: must be an int or a tuple of 3 ints"),
        ((), ShapeRuleError, "stride=() is invalid"),
        (None, TypeError, "stride=None is invalid"),
        ((1, 2.0, 3), TypeError, "stride=(1, 2.0, 3)"),
        ((1, True, 3), TypeError, "stride=(1, True, 3)"),
        ((1, 0, 3), ShapeRuleError, "stride=(1, 0, 3) is invalid: every entry must be >= 1"),
        (0, ShapeRuleError, "stride=0 is invalid: must be >= 1"),
    ],
)
def test_check_tuple_refusals(value, error, text):
    with pytest.raises(error) as info:
        check_tuple("stride", value, 3, 1)
    assert type(info.value) is error
    assert str(info.value).startswith(text)


def test_check_tuple_default_is_for_missing_values_only():
    assert check_tuple("stride", None, 2, 1, default=(3, 4)) == (3, 4)
    assert check_tuple("stride", [], 2, 1, default=(3, 4)) == (3, 4)
    assert check_tuple("stride", 2, 2, 1, default=(3, 4)) == (2, 2)


def test_as_array():
    assert as_array("x", [[1, 2]], (2, 3)).shape == (1, 2)
    with pytest.raises(TypeError, match="x has dtype <U1: must be numeric"):
        as_array("x", ["a"], 1)
    with pytest.raises(ShapeRuleError, match=r"^x has shape \(2,\): must be 2-D or 3-D$"):
        as_array("x", [1, 2], (2, 3))


def test_shape_rule_error_survives_pickling():
    err = ShapeRuleError("padding", 5, "must be small", where="along the height")
    copy = pickle.loads(pickle.dumps(err))
    assert str(copy) == str(err) == "padding=5 is invalid along the height: must be small"
    assert (copy.parameter, copy.value, copy.rule, copy.where) == (
        "padding",
        5,
        "must be small",
        "along the height",
    )
