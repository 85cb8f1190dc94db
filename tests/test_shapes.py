"""helpers.shapes.explain_shapes: every formula it writes evaluates to the size PyTorch produces."""

import contextlib
import io
import re
from collections import OrderedDict

import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from torch import nn
from torchsummary import summary

from helpers.mnist import seed_cnn, seed_mlp
from helpers.shapes import explain_shapes

AXIS_PREFIX = re.compile(r"^[LDHW]: ")
LAST_WINDOW_NOTE = " (the last window would start in the padding)"


def evaluate_formula(text: str) -> tuple[int, int]:
    """Evaluate ``⌊(28 + 2·2 − 5)/1⌋ + 1 = 28`` as Python: (left side, right side)."""
    left, right = AXIS_PREFIX.sub("", text).replace(LAST_WINDOW_NOTE, "").split(" = ")
    python = left.replace("·", "*").replace("−", "-")
    python = re.sub(r"⌊(\(.*?\))/(\d+)⌋", r"(\1 // \2)", python)
    python = re.sub(r"⌈(\(.*?\))/(\d+)⌉", r"(-(-\1 // \2))", python)
    return eval(python, {"__builtins__": {}}), int(right)


def axis_formulas(formula: str, rank: int) -> list[str]:
    """One formula per spatial axis (a single shared formula is repeated)."""
    parts = formula.split("; ")
    return parts * rank if len(parts) == 1 else parts


def check_layer(layer: nn.Module, input_shape: tuple[int, ...]):
    """explain_shapes of one layer: its formulas evaluate to PyTorch's output sizes."""
    try:
        with torch.no_grad():
            expected = layer(torch.zeros(1, *input_shape)).shape[1:]
    except RuntimeError:
        assume(False)  # PyTorch rejects the combination; nothing to explain
    # PyTorch returns an empty map for some transposed convolutions whose output size is 0;
    # helpers.arithmetic rejects those (reported to the lead), so they are not explained.
    assume(min(expected) > 0)
    (row,) = explain_shapes(layer, input_shape).rows
    assert row.output_shape == tuple(expected)
    rank = len(input_shape) - 1
    for formula, size in zip(axis_formulas(row.formula, rank), expected[1:], strict=True):
        left, right = evaluate_formula(formula)
        assert left == right == size, formula


# --------------------------------------------------------------------------- seed 001's CNN
def test_seed_cnn_table_shows_28_14_7_with_the_formulas():
    table = explain_shapes(seed_cnn(), (1, 28, 28))
    rows = {row.name: row for row in table.rows}
    assert rows["conv1.0"].formula == "⌊(28 + 2·2 − 5)/1⌋ + 1 = 28"  # the example
    assert rows["conv1.2"].output_shape == (16, 14, 14)
    assert rows["conv2.2"].output_shape == (32, 7, 7)
    assert rows["flatten"].formula == "32·7·7 = 1568"
    assert rows["out"].formula == ""
    assert table.total_params == 28938


@pytest.mark.parametrize(
    ("build", "input_size"), [(seed_cnn, (1, 28, 28)), (seed_mlp, (1, 28, 28))]
)
def test_table_agrees_with_torchsummary(build, input_size):
    model = build()
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        summary(model, input_size=input_size, device="cpu")
    torchsummary_rows = re.findall(
        r"^\s+(\w+)-\d+\s+(\[.*?\])\s+([\d,]+)$", buffer.getvalue(), re.M
    )
    table = explain_shapes(model, input_size)
    ours = [(row.kind, str([-1, *row.output_shape]), f"{row.params:,}") for row in table.rows]
    assert ours == torchsummary_rows
    assert f"Total params: {table.total_params:,}" in buffer.getvalue()


def test_table_prints_every_layer_once_in_order():
    text = str(explain_shapes(seed_cnn(), (1, 28, 28)))
    names = ["conv1.0", "conv1.1", "conv1.2", "conv2.0", "conv2.1", "conv2.2", "flatten", "out"]
    positions = [text.index(f"{name} (") for name in names]
    assert positions == sorted(positions)
    assert text.splitlines()[-1] == "Total params: 28,938"
    assert repr(explain_shapes(seed_cnn(), (1, 28, 28))) == text


# --------------------------------------------------------------------------- properties
sizes = st.integers(1, 40)
kernels = st.integers(1, 7)
strides = st.integers(1, 4)
dilations = st.integers(1, 3)


@given(i=sizes, j=sizes, k=kernels, s=strides, p=st.integers(0, 4), d=dilations)
def test_conv2d_formula(i, j, k, s, p, d):
    check_layer(nn.Conv2d(2, 3, k, stride=s, padding=p, dilation=d), (2, i, j))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")
@given(i=sizes, k=kernels, d=dilations, padding=st.sampled_from(["same", "valid"]))
def test_conv2d_string_padding_formula(i, k, d, padding):
    check_layer(nn.Conv2d(1, 1, (k, 3), padding=padding, dilation=(d, 1)), (1, i, 9))


@given(i=sizes, k=kernels, s=strides, p=st.integers(0, 3), d=dilations, ceil=st.booleans())
def test_max_pool2d_formula(i, k, s, p, d, ceil):
    assume(p <= k // 2)
    check_layer(nn.MaxPool2d(k, stride=s, padding=p, dilation=d, ceil_mode=ceil), (1, i, i + 1))


@given(i=sizes, k=kernels, s=strides, p=st.integers(0, 3), ceil=st.booleans())
def test_avg_pool2d_formula(i, k, s, p, ceil):
    assume(p <= k // 2)
    check_layer(nn.AvgPool2d(k, stride=s, padding=p, ceil_mode=ceil), (1, i, i))


@given(
    i=st.integers(1, 12),
    k=kernels,
    s=strides,
    p=st.integers(0, 3),
    d=dilations,
    a=st.integers(0, 3),
)
def test_conv_transpose2d_formula(i, k, s, p, d, a):
    assume(a < max(s, d))
    check_layer(
        nn.ConvTranspose2d(1, 2, k, stride=s, padding=p, dilation=d, output_padding=a), (1, i, i)
    )


@given(i=sizes, k=kernels, s=strides, p=st.integers(0, 3))
def test_conv1d_and_max_pool1d_formulas(i, k, s, p):
    check_layer(nn.Conv1d(1, 2, k, stride=s, padding=p), (1, i))
    assume(p <= k // 2)
    check_layer(nn.MaxPool1d(k, stride=s, padding=p), (1, i))


def test_ceil_mode_dropping_the_last_window_is_said():
    # 5 + 2·1 − 2 = 5, ceil(5/2) + 1 = 4, but window 4 would start at 6, in the right padding.
    (row,) = explain_shapes(nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True), (1, 5, 5)).rows
    assert row.output_shape == (1, 3, 3)
    assert row.formula.endswith("= 3")
    assert "⌈(5 + 2·1 − 2)/2⌉ + 1 − 1 (the last window" in row.formula
    assert evaluate_formula(row.formula) == (3, 3)


def test_axes_that_differ_are_labelled():
    (row,) = explain_shapes(nn.Conv2d(1, 1, (3, 5), stride=(1, 2)), (1, 10, 20)).rows
    assert row.formula == "H: ⌊(10 + 2·0 − 3)/1⌋ + 1 = 8; W: ⌊(20 + 2·0 − 5)/2⌋ + 1 = 8"


# --------------------------------------------------------------------------- other models
def test_nested_sequentials_flatten_and_linear():
    model = nn.Sequential(
        OrderedDict(
            features=nn.Sequential(
                nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU()),
                nn.AvgPool2d(2),
            ),
            head=nn.Sequential(nn.Flatten(), nn.Linear(8 * 16 * 16, 5)),
        )
    )
    model.train()
    table = explain_shapes(model, (3, 32, 32))
    assert [row.name for row in table.rows] == [
        "features.0.0",
        "features.0.1",
        "features.0.2",
        "features.1",
        "head.0",
        "head.1",
    ]
    assert table.rows[-2].formula == "8·16·16 = 2048"
    assert table.rows[-1].output_shape == (5,)
    assert table.rows[1].params == 16  # BatchNorm's weight and bias
    assert model.training  # the mode is restored


def test_a_module_called_twice_gives_two_rows():
    conv = nn.Conv2d(1, 1, 3)
    model = nn.Sequential(OrderedDict(a=conv, b=conv))
    rows = explain_shapes(model, (1, 9, 9)).rows
    assert [row.output_shape for row in rows] == [(1, 7, 7), (1, 5, 5)]


@pytest.mark.parametrize(
    ("input_size", "error", "match"),
    [
        (28, TypeError, "must be a tuple"),
        ((1, 28.0, 28), TypeError, "must be a tuple of ints"),
        ((1, 0, 28), ValueError, "must be >= 1"),
    ],
)
def test_input_size_is_validated(input_size, error, match):
    with pytest.raises(error, match=match):
        explain_shapes(seed_cnn(), input_size)
