"""conv_configs / conv_transpose_configs: checked against PyTorch, by brute force over the bounds.

PyTorch is the oracle: a configuration is right when a real layer built from it produces the
target size, and complete when no other candidate within the bounds makes PyTorch produce it.
"""

from __future__ import annotations

import itertools

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch_oracle import size_or_none, torch_conv_size, torch_transpose_size

from helpers import arithmetic
from helpers.arithmetic import conv_configs, conv_transpose_configs

PAIRS = [(28, 14), (14, 7), (28, 7), (224, 112), (7, 7), (5, 3), (1, 1), (64, 32), (65, 32)]
UP_PAIRS = [(7, 14), (14, 28), (32, 64), (3, 5), (1, 1), (2, 4), (5, 9)]


def brute_force_conv(i, o, max_k=7, max_s=4, max_d=4, max_p=None) -> set:
    found = set()
    for k, s, d in itertools.product(range(1, max_k + 1), range(1, max_s + 1), range(1, max_d + 1)):
        for p in range((d * (k - 1) if max_p is None else max_p) + 1):
            if size_or_none(torch_conv_size, i, k, s, p, d) == o:
                found.add((k, s, p, d))
    return found


def brute_force_transpose(i, o, max_k=7, max_s=4, max_d=4) -> set:
    found = set()
    for k, s, d in itertools.product(range(1, max_k + 1), range(1, max_s + 1), range(1, max_d + 1)):
        for p, a in itertools.product(range(d * (k - 1) + 1), range(max(s, d) + 1)):
            # a == max(s, d) is one past PyTorch's rule: it must refuse, so it is never found
            if size_or_none(torch_transpose_size, i, k, s, p, d, a) == o:
                found.add((k, s, p, d, a))
    return found


# --------------------------------------------------------------------------- real layers
@pytest.mark.parametrize(("i", "o"), PAIRS)
def test_every_conv_config_builds_a_conv2d_of_that_size(i, o):
    configs = conv_configs(i, o)
    assert configs, "each pair here has a solution"
    for k, s, p, d in configs:
        layer = nn.Conv2d(1, 1, (k, 1), stride=(s, 1), padding=(p, 0), dilation=(d, 1))
        with torch.no_grad():
            assert layer(torch.zeros(1, 1, i, 2)).shape[2] == o


@pytest.mark.parametrize(("i", "o"), UP_PAIRS)
def test_every_transpose_config_builds_a_conv_transpose2d_of_that_size(i, o):
    configs = conv_transpose_configs(i, o)
    assert configs
    for k, s, p, d, a in configs:
        assert a < max(s, d)
        layer = nn.ConvTranspose2d(
            1, 1, (k, 1), stride=(s, 1), padding=(p, 0), dilation=(d, 1), output_padding=(a, 0)
        )
        with torch.no_grad():
            assert layer(torch.zeros(1, 1, i, 2)).shape[2] == o


# --------------------------------------------------------------------------- completeness
@pytest.mark.parametrize(("i", "o"), [(28, 14), (14, 7), (7, 7), (5, 3), (3, 9)])
def test_brute_force_over_the_default_bounds_finds_nothing_missed(i, o):
    assert set(conv_configs(i, o)) == brute_force_conv(i, o)


@pytest.mark.parametrize(("i", "o"), [(7, 14), (3, 5), (2, 4)])
def test_transpose_brute_force_finds_nothing_missed(i, o):
    assert set(conv_transpose_configs(i, o)) == brute_force_transpose(i, o)


def test_no_configuration_is_an_empty_list():
    # with k <= 3 and d <= 2 "full" padding d·(k − 1) grows 3 by at most 4
    assert conv_configs(3, 9, max_k=3, max_d=2) == []
    assert brute_force_conv(3, 9, max_k=3, max_d=2) == set()
    assert conv_transpose_configs(1, 30, max_k=3, max_s=2, max_d=2) == []
    assert conv_configs(5, 3, k=2, s=1, d=1) == []


@settings(max_examples=40)
@given(i=st.integers(1, 20), o=st.integers(1, 20))
def test_property_conv_configs_equal_brute_force(i, o):
    assert set(conv_configs(i, o, max_k=4, max_s=3, max_d=2)) == brute_force_conv(
        i, o, max_k=4, max_s=3, max_d=2
    )


@settings(max_examples=30)
@given(i=st.integers(1, 8), o=st.integers(1, 24))
def test_property_transpose_configs_equal_brute_force(i, o):
    assert set(conv_transpose_configs(i, o, max_k=4, max_s=3, max_d=2)) == brute_force_transpose(
        i, o, max_k=4, max_s=3, max_d=2
    )


@settings(max_examples=40)
@given(i=st.integers(1, 30), o=st.integers(1, 30), max_p=st.integers(0, 5))
def test_property_explicit_max_p_bounds_the_padding(i, o, max_p):
    configs = conv_configs(i, o, max_k=5, max_s=3, max_d=2, max_p=max_p)
    assert all(c.p <= max_p for c in configs)
    assert set(configs) == brute_force_conv(i, o, max_k=5, max_s=3, max_d=2, max_p=max_p)


# --------------------------------------------------------------------------- order and fields
@pytest.mark.parametrize(("i", "o"), PAIRS)
def test_simplest_first_and_default_max_p(i, o):
    configs = conv_configs(i, o)
    keys = [(c.k, c.s, c.p, c.d) for c in configs]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert all(c.p <= c.d * (c.k - 1) for c in configs)


def test_named_fields():
    first = conv_configs(28, 14, k=3, d=1)[0]
    assert (first.k, first.s, first.p, first.d) == (3, 2, 1, 1)
    assert first._fields == ("k", "s", "p", "d")
    up = conv_transpose_configs(7, 14, k=3, s=2, d=1)[0]
    assert up._fields == ("k", "s", "p", "d", "output_padding")
    assert (up.p, up.output_padding) == (1, 1)
    keys = [tuple(c) for c in conv_transpose_configs(7, 14)]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    "fixed", [{"k": 3}, {"s": 2}, {"p": 1}, {"d": 1}, {"k": 3, "d": 1}, {"k": 5, "s": 2, "p": 2}]
)
@pytest.mark.parametrize(("i", "o"), [(28, 14), (14, 7), (28, 28)])
def test_fixed_arguments_filter_the_free_search(fixed, i, o):
    free = conv_configs(i, o)
    held = conv_configs(i, o, **fixed)
    assert held == [c for c in free if all(getattr(c, n) == v for n, v in fixed.items())]


def test_a_fixed_value_outside_the_bounds_is_still_used():
    configs = conv_configs(224, 112, k=9, max_k=7)
    assert configs and all(c.k == 9 for c in configs)
    assert conv_configs(28, 28, p=10, d=5, k=5, max_d=2) == [(5, 1, 10, 5)]


@pytest.mark.parametrize("a", [0, 1, 2])
def test_fixed_output_padding(a):
    configs = conv_transpose_configs(7, 14, output_padding=a)
    assert configs
    assert all(c.output_padding == a and a < max(c.s, c.d) for c in configs)
    assert configs == [c for c in conv_transpose_configs(7, 14) if c.output_padding == a]


def test_the_practical_choices():
    # 28 → 14 → 7 with a 3×3 kernel, the ResNet stem, DCGAN's doubling
    assert conv_configs(28, 14, k=3, d=1) == [(3, 2, 1, 1)]
    assert conv_configs(14, 7, k=3, d=1) == [(3, 2, 1, 1)]
    assert (7, 2, 3, 1) in conv_configs(224, 112, k=7, d=1)
    assert conv_transpose_configs(7, 14, k=4, s=2, d=1) == [(4, 2, 1, 1, 0)]


# --------------------------------------------------------------------------- refusals
REFUSALS = [
    ({"i": 0}, lambda: arithmetic.conv_output_size(0, 3)),
    ({"i": 2.5}, lambda: arithmetic.conv_output_size(2.5, 3)),
    ({"i": True}, lambda: arithmetic.conv_output_size(True, 3)),
    ({"k": 0}, lambda: arithmetic.conv_output_size(5, 0)),
    ({"k": 3.0}, lambda: arithmetic.conv_output_size(5, 3.0)),
    ({"s": 0}, lambda: arithmetic.conv_output_size(5, 3, s=0)),
    ({"p": -1}, lambda: arithmetic.conv_output_size(5, 3, p=-1)),
    ({"d": 0}, lambda: arithmetic.conv_output_size(5, 3, d=0)),
    ({"d": "2"}, lambda: arithmetic.conv_output_size(5, 3, d="2")),
]


def _raised(call):
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    return info.type, str(info.value)


@pytest.mark.parametrize(("bad", "size_call"), REFUSALS)
@pytest.mark.parametrize("search", [conv_configs, conv_transpose_configs])
def test_refusals_mirror_the_size_functions(search, bad, size_call):
    arguments = {"i": 5, "o": 3, **bad}
    i, o = arguments.pop("i"), arguments.pop("o")
    assert _raised(lambda: search(i, o, **arguments)) == _raised(size_call)


@pytest.mark.parametrize(
    ("arguments", "error", "name"),
    [
        ({"o": 0}, ValueError, "o=0"),
        ({"o": 1.5}, TypeError, "o=1.5"),
        ({"max_k": 0}, ValueError, "max_k=0"),
        ({"max_s": 0}, ValueError, "max_s=0"),
        ({"max_d": 2.0}, TypeError, "max_d=2.0"),
        ({"max_p": -1}, ValueError, "max_p=-1"),
    ],
)
@pytest.mark.parametrize("search", [conv_configs, conv_transpose_configs])
def test_bad_target_and_bounds_are_named(search, arguments, error, name):
    arguments = {"i": 5, "o": 3, **arguments}
    with pytest.raises(error, match=f"^{name} is invalid"):
        search(arguments.pop("i"), arguments.pop("o"), **arguments)


def test_output_padding_is_validated_like_the_size_function():
    expected = _raised(lambda: arithmetic.conv_transpose_output_size(5, 3, output_padding=-1))
    assert _raised(lambda: conv_transpose_configs(5, 3, output_padding=-1)) == expected
    with pytest.raises(TypeError, match="output_padding=0.5"):
        conv_transpose_configs(5, 3, output_padding=0.5)


# --------------------------------------------------------------------------- large sizes, cache
@pytest.mark.parametrize(("i", "o"), [(256, 128), (255, 3), (224, 112), (100, 100)])
def test_large_inputs_equal_brute_force(i, o):
    # the padding is solved for, not searched: the far end of the slider ranges too
    assert set(conv_configs(i, o)) == brute_force_conv(i, o)


@pytest.mark.parametrize(("i", "o"), [(128, 256), (64, 255)])
def test_large_transpose_equal_brute_force(i, o):
    assert set(conv_transpose_configs(i, o, max_k=5, max_s=3, max_d=3)) == brute_force_transpose(
        i, o, max_k=5, max_s=3, max_d=3
    )


def test_the_returned_list_is_the_caller_s_own():
    # answers are cached: a caller that edits its list must not change the next answer
    first = conv_configs(28, 14)
    first.clear()
    assert conv_configs(28, 14) == sorted(brute_force_conv(28, 14))
    up = conv_transpose_configs(7, 14)
    up.append(None)
    assert None not in conv_transpose_configs(7, 14)
