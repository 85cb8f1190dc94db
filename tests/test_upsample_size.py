"""helpers.arithmetic.upsample_output_size against F.interpolate and nn.Upsample."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from helpers.arithmetic import ShapeRuleError, upsample_output_size


def torch_size(i, **options):
    """The last axis of ``F.interpolate`` on a 1 x 1 x i signal (nearest)."""
    return F.interpolate(torch.zeros(1, 1, i), mode="nearest", **options).shape[-1]


def torch_outcome(i, **options):
    """``torch_size``, or the kind of error PyTorch raises."""
    try:
        return torch_size(i, **options)
    except (RuntimeError, ValueError, TypeError) as err:
        return type(err).__name__


@given(i=st.integers(1, 60), factor=st.integers(1, 6))
def test_integer_factors_match_interpolate(i, factor):
    assert upsample_output_size(i, scale_factor=factor) == torch_size(i, scale_factor=factor)


@given(
    i=st.integers(1, 60),
    factor=st.floats(0.05, 6.0, allow_nan=False, allow_infinity=False),
)
def test_float_factors_match_interpolate(i, factor):
    expected = torch_outcome(i, scale_factor=factor)
    if isinstance(expected, str):  # an empty output: PyTorch refuses it, and so do we
        with pytest.raises(ShapeRuleError, match="output size"):
            upsample_output_size(i, scale_factor=factor)
    else:
        assert upsample_output_size(i, scale_factor=factor) == expected


@pytest.mark.parametrize("factor", [1.5, 2.5, 0.5, 1.25, 3.0, 0.3, 1 / 3])
@pytest.mark.parametrize("i", [1, 2, 3, 7, 10, 13, 14, 27, 28])
def test_non_integer_factors_floor_as_pytorch_does(i, factor):
    expected = torch_outcome(i, scale_factor=factor)
    if isinstance(expected, str):
        assert math.floor(i * factor) == 0
        with pytest.raises(ValueError):
            upsample_output_size(i, scale_factor=factor)
        return
    assert upsample_output_size(i, scale_factor=factor) == expected
    module = nn.Upsample(scale_factor=factor, mode="nearest")
    assert module(torch.zeros(1, 1, i, i)).shape[-2:] == (expected, expected)


def test_the_size_spelling_is_returned_as_pytorch_returns_it():
    for i, size in [(7, 14), (7, 3), (1, 9), (28, 28)]:
        assert upsample_output_size(i, size=size) == torch_size(i, size=size) == size


def test_numpy_numbers_are_accepted_as_pytorch_accepts_them():
    assert upsample_output_size(np.int64(10), scale_factor=np.float32(1.5)) == torch_size(
        10, scale_factor=np.float32(1.5)
    )
    assert upsample_output_size(10, scale_factor=np.int64(2)) == 20


def test_lesson_07_resize_doubles_7_and_14():
    assert [upsample_output_size(i, scale_factor=2) for i in (7, 14)] == [14, 28]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ValueError, "exactly one of scale_factor and size .*neither"),
        ({"scale_factor": 2, "size": 14}, ValueError, "exactly one .*both"),
        ({"scale_factor": "2"}, TypeError, r"scale_factor='2' is invalid: must be an int or"),
        ({"scale_factor": True}, TypeError, "scale_factor=True is invalid"),
        ({"scale_factor": 0.0}, ValueError, r"scale_factor=0.0 is invalid: must be > 0"),
        ({"scale_factor": -2}, ValueError, r"scale_factor=-2 is invalid: must be > 0"),
        ({"scale_factor": math.nan}, ValueError, "scale_factor=nan is invalid: must be a finite"),
        ({"scale_factor": math.inf}, ValueError, "scale_factor=inf is invalid: must be a finite"),
        ({"scale_factor": 0.1}, ValueError, r"output size floor\(7 · 0.1\) = 0 is invalid"),
        ({"size": 14.0}, TypeError, r"size=14.0 is invalid: must be an int"),
        ({"size": 0}, ValueError, r"size=0 is invalid: must be >= 1"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, error, message):
    with pytest.raises(error, match=message):
        upsample_output_size(7, **kwargs)


def test_pytorch_refuses_the_same_values():
    # the values refused above for their value are refused by PyTorch too
    for options in [
        {},
        {"scale_factor": 2, "size": 14},
        {"scale_factor": 0.0},
        {"scale_factor": -2.0},
        {"scale_factor": 0.1},
        {"scale_factor": math.inf},
        {"size": 0},
        {"size": 14.0},
    ]:
        assert isinstance(torch_outcome(7, **options), str), options


@pytest.mark.parametrize(("i", "error"), [(0, ValueError), (1.5, TypeError), (True, TypeError)])
def test_bad_input_size_names_i(i, error):
    with pytest.raises(error, match=f"i={i!r} is invalid"):
        upsample_output_size(i, scale_factor=2)
