"""helpers.shapes.explain_shapes: every formula it writes evaluates to the size PyTorch produces."""

import contextlib
import copy
import io
import re
from collections import OrderedDict

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn
from torchsummary import summary

from helpers.mnist import seed_cnn, seed_mlp
from helpers.shapes import explain_shape_error, explain_shapes, input_sizes_that_run
from helpers.shapes.sizes import describe_sizes, sizes_line

AXIS_PREFIX = re.compile(r"^[LDHW]: ")


def evaluate_formula(text: str) -> tuple[int, int]:
    """Evaluate ``⌊(28 + 2·2 − 5) / 1⌋ + 1 = 28`` as Python: (left side, right side).

    A ceil-mode correction ``⌈…⌉ + 1 = 4 − 1 = 3`` is checked step by step.
    """
    left, *steps = AXIS_PREFIX.sub("", text).split(" = ")
    python = left.replace("·", "*").replace("−", "-")
    python = re.sub(r"⌊(\(.*?\)) / (\d+)⌋", r"(\1 // \2)", python)
    python = re.sub(r"⌈(\(.*?\)) / (\d+)⌉", r"(-(-\1 // \2))", python)
    value = eval(python, {"__builtins__": {}})
    for step in steps[:-1]:
        raw, _, dropped = step.partition(" − ")
        assert int(raw) == value
        value -= int(dropped or 0)
    return value, int(steps[-1])


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
        if " → " in formula:  # asymmetric "same" padding, adaptive pooling, Upsample
            assert formula.endswith(f"→ {size}"), formula
            continue
        left, right = evaluate_formula(formula)
        assert left == right == size, formula


# --------------------------------------------------------------------------- seed 001's CNN
def test_seed_cnn_table_shows_28_14_7_with_the_formulas():
    table = explain_shapes(seed_cnn(), (1, 28, 28))
    rows = {row.name: row for row in table.rows}
    assert rows["conv1.0"].formula == "⌊(28 + 2·2 − 5) / 1⌋ + 1 = 28"  # the example
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
    assert row.formula == "⌈(5 + 2·1 − 2) / 2⌉ + 1 = 4 − 1 = 3"
    assert evaluate_formula(row.formula) == (3, 3)


def test_axes_that_differ_are_labelled():
    (row,) = explain_shapes(nn.Conv2d(1, 1, (3, 5), stride=(1, 2)), (1, 10, 20)).rows
    assert row.formula == "H: ⌊(10 + 2·0 − 3) / 1⌋ + 1 = 8; W: ⌊(20 + 2·0 − 5) / 2⌋ + 1 = 8"


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


# --------------------------------------------------------------------------- notebook 08
few = settings(max_examples=60)


@few
@given(i=sizes, k=kernels, s=strides, p=st.integers(0, 3), d=dilations)
def test_conv1d_and_conv3d_formulas(i, k, s, p, d):
    check_layer(nn.Conv1d(1, 2, k, stride=s, padding=p, dilation=d), (1, i))
    check_layer(nn.Conv3d(1, 1, (k, 3, 1), stride=(s, 1, 2), padding=(p, 1, 0)), (1, i, 5, 4))


@few
@given(i=st.integers(1, 10), k=kernels, s=strides, p=st.integers(0, 3), a=st.integers(0, 3))
def test_conv_transpose1d_and_3d_formulas(i, k, s, p, a):
    assume(a < s)
    check_layer(nn.ConvTranspose1d(1, 1, k, stride=s, padding=p, output_padding=a), (1, i))
    check_layer(
        nn.ConvTranspose3d(1, 1, (k, 2, 1), stride=(s, 2, 1), padding=(p, 0, 0)), (1, i, 2, 3)
    )


@few
@given(i=sizes, k=kernels, s=strides, p=st.integers(0, 3), ceil=st.booleans())
def test_pool1d_and_3d_formulas(i, k, s, p, ceil):
    assume(p <= k // 2)
    check_layer(nn.AvgPool1d(k, stride=s, padding=p, ceil_mode=ceil), (1, i))
    check_layer(
        nn.MaxPool3d((k, 1, 2), stride=(s, 1, 2), padding=(p, 0, 1), ceil_mode=ceil), (1, i, 3, 4)
    )


@pytest.mark.parametrize(
    ("layer", "input_shape", "formula"),
    [
        (nn.AdaptiveAvgPool2d(7), (3, 13, 13), "adaptive: 13 → 7"),
        (nn.AdaptiveMaxPool1d(4), (2, 10), "adaptive: 10 → 4"),
        (nn.AdaptiveAvgPool2d((None, 2)), (1, 5, 6), "H: adaptive: 5 → 5; W: adaptive: 6 → 2"),
        (nn.Upsample(scale_factor=2), (1, 32, 32), "×2: 32 → 64"),
        (nn.Upsample(size=(9, 4)), (1, 3, 3), "H: size: 3 → 9; W: size: 3 → 4"),
        (nn.Upsample(scale_factor=1.5, mode="nearest"), (1, 5), "×1.5: 5 → 7"),
    ],
)
def test_sizes_set_by_an_argument_show_what_pytorch_chose(layer, input_shape, formula):
    (row,) = explain_shapes(layer, input_shape).rows
    with torch.no_grad():
        assert row.output_shape == tuple(layer(torch.zeros(1, *input_shape)).shape[1:])
    assert row.formula == formula


class UNet(nn.Module):
    """Two levels: 64 → 32 → 16 → 32 → 64, with a torch.cat skip connection at each level."""

    def __init__(self, c=4):
        super().__init__()

        def block(c_in, c_out):
            return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU())

        self.enc1, self.enc2, self.bottom = block(1, c), block(c, 2 * c), block(2 * c, 4 * c)
        self.pool = nn.MaxPool2d(2)
        self.up2 = nn.ConvTranspose2d(4 * c, 2 * c, 2, stride=2)
        self.dec2 = block(4 * c, 2 * c)
        self.up1 = nn.ConvTranspose2d(2 * c, c, 2, stride=2)
        self.dec1 = block(2 * c, c)
        self.head = nn.Conv2d(c, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        b = self.bottom(self.pool(e2))
        d2 = self.dec2(torch.cat([self.up2(b), e2], dim=1))
        return self.head(self.dec1(torch.cat([self.up1(d2), e1], dim=1)))


class Residual(nn.Module):
    def __init__(self, pad_b=1):
        super().__init__()
        self.a, self.b = nn.Conv2d(4, 4, 3, padding=1), nn.Conv2d(4, 4, 3, padding=pad_b)

    def forward(self, x):
        return x + self.b(torch.relu(self.a(x)))


def test_non_sequential_model_rows_follow_the_calls():
    table = explain_shapes(UNet(), (1, 64, 64))
    names = [row.name for row in table.rows]
    assert names == [
        "enc1.0", "enc1.1", "pool", "enc2.0", "enc2.1", "pool", "bottom.0", "bottom.1",
        "up2", "dec2.0", "dec2.1", "up1", "dec1.0", "dec1.1", "head",
    ]  # fmt: skip
    shapes = {}
    model = UNet()
    for name, module in model.named_modules():
        if not list(module.children()):
            module.register_forward_hook(
                lambda m, x, y, name=name: shapes.setdefault(name, []).append(tuple(y.shape[1:]))
            )
    with torch.no_grad():
        model(torch.zeros(1, 1, 64, 64))
    assert [row.output_shape for row in table.rows] == [shapes[n].pop(0) for n in names]
    up1 = table.rows[names.index("up1")]
    assert evaluate_formula(up1.formula) == (64, 64)
    for row in table.rows:
        if row.formula and "·" in row.formula and row.kind != "Flatten":
            assert evaluate_formula(row.formula)[1] == row.output_shape[-1]


def test_residual_model_and_total_params():
    model = Residual()
    table = explain_shapes(model, (4, 9, 9))
    assert [r.name for r in table.rows] == ["a", "b"]  # torch.relu and + are not modules
    assert table.total_params == sum(p.numel() for p in model.parameters())


def test_a_model_that_does_not_run_raises_pytorchs_error_with_a_pointer():
    with pytest.raises(RuntimeError, match="Sizes of tensors must match") as info:
        explain_shapes(UNet(), (1, 65, 65))
    assert any("explain_shape_error" in note for note in info.value.__notes__)


# --------------------------------------------------------------------------- explain_shape_error
def leaf_shapes(model: nn.Module, input_size) -> list[tuple[str, tuple, tuple]]:
    """PyTorch's own record: (name, input shape, output shape) of every leaf call that ran."""
    seen, handles = [], []
    for name, module in model.named_modules():
        if not list(module.children()):

            def hook(module, x, y, name=name):
                seen.append((name, x[0].shape[1:], y.shape[1:]))

            handles.append(module.register_forward_hook(hook))
    with contextlib.suppress(RuntimeError), torch.no_grad():
        model(torch.zeros(1, *input_size))
    for handle in handles:
        handle.remove()
    return seen


def pytorch_refuses(model: nn.Module, input_size) -> str:
    with pytest.raises(RuntimeError) as info, torch.no_grad():
        model(torch.zeros(1, *input_size))
    return str(info.value).splitlines()[0]


def test_seed_cnn_with_a_linear_built_for_the_wrong_size():
    model = seed_cnn()
    model.out = nn.Linear(1600, 10)
    report = explain_shape_error(model, (1, 28, 28))
    arrived = leaf_shapes(model, (1, 28, 28))[-1][2]  # what the Flatten made, per PyTorch
    assert not report.runs
    assert (report.layer, report.kind, report.arrived) == ("out", "Linear", (tuple(arrived),))
    assert report.headline == (
        f"`out` (Linear) expects 1600 features; 32·7·7 = {arrived[0]} arrive after `conv2.2`."
    )
    assert "nn.Linear(1568, 10)" in report.fix
    assert report.error == f"RuntimeError: {pytorch_refuses(model, (1, 28, 28))}"
    assert "conv2.2 (MaxPool2d): ⌊(14 + 2·0 − 2) / 2⌋ + 1 = 7" in report.why
    assert "1600 = 32·50: 50 cells per channel; 49 arrive" in report.why
    assert report.sizes_that_run == ()  # no square input gives 1600 = 32·50 features
    assert report.sizes_line.startswith("none of the sizes from 1×1 to 64×64 runs")
    assert not any(brute_force_runs(model, (1, s, s)) for s in range(1, 65))


def test_a_linear_built_for_another_input_names_the_maps_and_inputs_that_fit():
    model = seed_cnn()
    model.out = nn.Linear(32 * 8 * 8, 10)
    report = explain_shape_error(model, (1, 28, 28))
    assert "2048 = 32·8·8: it was built for 8×8 maps" in report.why
    assert 32 in report.sizes_that_run
    assert "keep it and give an input that runs (it runs from 32×32 to 35×35)" in report.fix
    for s in report.sizes_that_run:
        explain_shapes(model, (1, s, s))  # each one runs


class ViewNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv, self.fc = nn.Conv2d(1, 4, 3), nn.Linear(4 * 26 * 26, 3)

    def forward(self, x):
        x = self.conv(x)
        return self.fc(x.view(x.size(0), -1))


def test_a_linear_after_view_in_forward():
    report = explain_shape_error(ViewNet(), (1, 30, 30))
    assert (
        report.headline
        == "`fc` (Linear) expects 2704 features; 4·28·28 = 3136 arrive after `conv`."
    )
    assert report.sizes_that_run == (28,)
    assert report.sizes_line == "runs only at 28×28 (tried: every size from 1×1 to 64×64)"


@pytest.mark.parametrize("size", [1, 2, 3])
def test_a_kernel_larger_than_its_padded_input(size):
    model = seed_cnn()
    refused = pytorch_refuses(model, (1, size, size))
    last_ran = leaf_shapes(model, (1, size, size))
    names = [name for name, _ in model.named_modules() if name and not list(_.children())]
    failing = names[len(last_ran)]  # the first leaf that did not finish
    report = explain_shape_error(model, (1, size, size), up_to=0)
    assert report.layer == failing
    assert report.arrived == (tuple(last_ran[-1][2]),)
    assert "the output would be empty" in report.headline
    assert any("must be >= 1" in line for line in report.why)
    assert report.error == f"RuntimeError: {refused}"


def test_a_conv_kernel_too_large_names_the_axis_and_rule():
    report = explain_shape_error(nn.Conv2d(1, 1, (3, 7)), (1, 9, 5))
    assert report.why == (
        "(model) along W: ⌊(5 + 2·0 − 7) / 1⌋ + 1 = −1: must be >= 1 "
        "(the kernel does not fit in the padded input)",
    )
    assert report.sizes_that_run == tuple(range(7, 65))  # the kernel spans 7 along W
    assert report.fix.startswith("give an input that runs (it runs from 7×7), or pad more")


def test_channel_mismatch_after_a_skip_connection():
    model = UNet()
    model.dec1 = nn.Sequential(nn.Conv2d(12, 4, 3, padding=1), nn.ReLU())  # 4 + 4 arrive
    report = explain_shape_error(model, (1, 64, 64))
    assert report.layer == "dec1.0"
    assert report.headline == "`dec1.0` (Conv2d) expects 12 input channels; 8 arrive."
    assert "torch.cat joins 4 (`up1`) + 4 (`enc1`) = 8" in report.why
    assert "nn.Conv2d(8, 4, …)" in report.fix
    assert report.arrived == ((8, 64, 64),)


def test_channel_mismatch_in_a_sequential():
    report = explain_shape_error(nn.Sequential(nn.Conv2d(1, 8, 3), nn.Conv2d(16, 4, 3)), (1, 9, 9))
    assert (report.layer, report.headline) == (
        "1",
        "`1` (Conv2d) expects 16 input channels; 8 arrive.",
    )
    assert "`0` gives 8" in report.why


def unet_skip_pairs(model: UNet, size: int) -> list[tuple[tuple, tuple]]:
    """The (up-sampled, skip) shapes each cat gets, computed with the model's own parts."""
    with torch.no_grad():
        e1 = model.enc1(torch.zeros(1, 1, size, size))
        e2 = model.enc2(model.pool(e1))
        up2 = model.up2(model.bottom(model.pool(e2)))
        pairs = [(tuple(up2.shape[1:]), tuple(e2.shape[1:]))]
        if up2.shape == e2.shape:
            up1 = model.up1(model.dec2(torch.cat([up2, e2], 1)))
            pairs.append((tuple(up1.shape[1:]), tuple(e1.shape[1:])))
    return pairs


@pytest.mark.parametrize("size", [65, 66, 63, 62])
def test_skip_connection_sizes_differ_in_cat(size):
    model = UNet()
    report = explain_shape_error(model, (1, size, size))
    up, skip = unet_skip_pairs(model, size)[-1]
    assert up != skip
    assert (report.layer, report.kind) == ("(model)", "torch.cat")
    assert report.arrived == (up, skip)
    assert f"H: {up[1]} ≠ {skip[1]}" in report.headline
    assert report.sizes_that_run == tuple(range(4, 2 * size + 1, 4))
    assert "runs at multiples of 4 from 4×4" in report.sizes_line
    assert report.fix.startswith("use an input size that runs (it runs at multiples of 4")
    assert report.error.startswith("RuntimeError: Sizes of tensors must match")


def test_skip_connection_sizes_differ_in_add():
    report = explain_shape_error(Residual(pad_b=0), (4, 9, 9))
    assert report.kind == "`add`"
    assert report.arrived == ((4, 9, 9), (4, 7, 7))
    assert "the input (4×9×9) and `b` (4×7×7)" in report.headline


def test_a_model_that_runs_says_so_and_shows_its_table():
    report = explain_shape_error(seed_cnn(), (1, 28, 28))
    assert report.runs and report.layer is None
    assert report.output_shapes == ((10,),)
    assert str(report).startswith(
        "The model runs on an input of shape (1, 28, 28): it returns an output of shape (10,)"
        " per sample.\nLayers that ran:"
    )
    assert str(explain_shapes(seed_cnn(), (1, 28, 28))) in str(report).replace("\n  ", "\n")


def test_the_report_prints_as_text_html_and_pretty():
    from IPython.lib.pretty import pretty

    report = explain_shape_error(UNet(), (1, 65, 65))
    text = str(report)
    assert text.splitlines()[0] == report.headline
    assert "Fix: " in text and "PyTorch said: RuntimeError" in text
    assert pretty(report) == text == repr(report)
    page = report._repr_html_()
    assert page.startswith('<div class="shape-report">')
    assert "torch.cat in <code>(model)</code>.forward joins <code>up1</code>" in page


class Typo(nn.Module):
    def forward(self, x):
        return x.no_such_method()


def test_errors_that_are_not_about_shapes_are_raised():
    with pytest.raises(AttributeError):
        explain_shape_error(Typo(), (1, 4))


@pytest.mark.parametrize(
    ("arguments", "error"),
    [({"input_size": 28}, TypeError), ({"input_size": (1, 0)}, ValueError),
     ({"up_to": -1}, ValueError), ({"up_to": 1.5}, TypeError)],
)  # fmt: skip
def test_explain_shape_error_validates(arguments, error):
    arguments = {"input_size": (1, 28, 28), **arguments}
    with pytest.raises(
        error, match=next(iter(a for a in arguments if a != "input_size"), "input_size")
    ):
        explain_shape_error(seed_cnn(), **arguments)


def test_one_and_three_dimensional_models():
    causal = nn.Sequential(
        nn.ConstantPad1d((2, 0), 0), nn.Conv1d(1, 4, 3), nn.Conv1d(4, 4, 3, dilation=2, padding=4)
    )
    table = explain_shapes(causal, (1, 16))
    assert table.rows[1].formula == "⌊(18 + 2·0 − 3) / 1⌋ + 1 = 16"
    assert table.rows[2].formula == "⌊(16 + 2·4 − 2·(3 − 1) − 1) / 1⌋ + 1 = 20"
    video = nn.Conv3d(3, 8, (3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3))
    (row,) = explain_shapes(video, (3, 16, 112, 112)).rows
    assert row.output_shape == (8, 16, 56, 56)
    assert row.formula.startswith("D: ⌊(16 + 2·1 − 3) / 1⌋ + 1 = 16; H: ")


def test_a_lazy_linear_is_explained_after_its_first_call():
    model = seed_cnn()
    model.out = nn.LazyLinear(10)
    assert explain_shape_error(model, (1, 28, 28)).runs
    assert explain_shapes(model, (1, 28, 28)).rows[-1].params == 1568 * 10 + 10


def test_a_linear_on_a_map_that_was_not_flattened():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.Linear(4 * 7 * 7, 10))
    with torch.no_grad():
        arrived = model[0](torch.zeros(1, 1, 9, 9)).shape[1:]
    report = explain_shape_error(model, (1, 9, 9), up_to=0)
    assert report.layer == "1" and report.arrived == (tuple(arrived),)
    assert "gets a 4×7×7 map, whose last axis has 7: it was not flattened" in report.headline
    assert "nn.Linear(196, 10)" in report.fix
    fixed = nn.Sequential(model[0], nn.Flatten(), nn.Linear(196, 10))
    assert explain_shape_error(fixed, (1, 9, 9)).runs  # the suggested fix runs


@pytest.mark.parametrize(
    ("model", "input_size", "attribute"),
    [
        (nn.Sequential(nn.Conv2d(1, 8, 3), nn.BatchNorm2d(16)), (1, 6, 6), "num_features=16"),
        (nn.Sequential(nn.Conv1d(1, 6, 3), nn.GroupNorm(2, 8)), (1, 7), "num_channels=8"),
    ],
)
def test_normalisation_layers_with_the_wrong_channel_count(model, input_size, attribute):
    pytorch_refuses(model, input_size)
    report = explain_shape_error(model, input_size, up_to=0)
    assert report.layer == "1"
    assert report.needed.endswith(f"({attribute})")
    assert f"expects {attribute.split('=')[1]} input channels" in report.headline


@pytest.mark.parametrize(
    ("model", "input_size", "rank", "got"),
    [
        (nn.Sequential(nn.Flatten(), nn.Conv2d(1, 2, 3)), (1, 6, 6), 4, "2-D one of shape (1, 36)"),
        (nn.Sequential(nn.Flatten(), nn.MaxPool2d(2)), (1, 6, 6), 4, "2-D one of shape (1, 36)"),
        (nn.Sequential(nn.Identity(), nn.Conv1d(1, 2, 3)), (1, 2, 6, 6), 3,
         "5-D one of shape (1, 1, 2, 6, 6)"),
    ],
)  # fmt: skip
def test_a_layer_that_gets_the_wrong_number_of_axes(model, input_size, rank, got):
    pytorch_refuses(model, input_size)
    report = explain_shape_error(model, input_size, up_to=0)
    assert report.layer == "1"
    assert report.headline.endswith(f"but gets a {got}.")
    assert report.needed.startswith(f"a {rank}-D batch")


class SeedForward(nn.Module):
    """The source's MNIST CNN as written there: ``x.view`` in forward, returning ``(output, x)``."""

    def __init__(self, features=32 * 7 * 7):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(1, 16, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2))
        self.conv2 = nn.Sequential(nn.Conv2d(16, 32, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2))
        self.out = nn.Linear(features, 10)

    def forward(self, x):
        x = self.conv2(self.conv1(x))
        x = x.view(x.size(0), -1)
        return self.out(x), x


def test_the_source_s_own_forward_with_view_and_two_outputs():
    report = explain_shape_error(SeedForward(), (1, 28, 28))
    assert report.output_shapes == ((10,), (1568,))
    assert report.headline.endswith("it returns outputs of shapes (10,) and (1568,) per sample.")
    broken = explain_shape_error(SeedForward(1600), (1, 28, 28))
    assert broken.headline == (
        "`out` (Linear) expects 1600 features; 32·7·7 = 1568 arrive after `conv2`."
    )  # a Linear built for the wrong size, with x.view instead of nn.Flatten
    assert "`conv2` gives 32×7×7; flattened: 32·7·7 = 1568" in broken.why


class OutputSizeCall(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(1, 1, 3, stride=2, padding=1)
        self.up = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)

    def forward(self, x):
        return self.up(self.down(x), output_size=x.shape)


@pytest.mark.parametrize("size", [13, 14])
def test_a_transposed_convolution_called_with_output_size(size):
    (_, up) = explain_shapes(OutputSizeCall(), (1, size, size)).rows
    assert up.output_shape == (1, size, size)
    note = " (output_size at the call)"
    assert up.formula.endswith(note) == (size == 14)  # 13 is what output_padding=0 gives anyway
    assert evaluate_formula(up.formula.removesuffix(note)) == (size, size)


# --------------------------------------------------------------------------- sizes that run
def brute_force_runs(model: nn.Module, shape: tuple[int, ...]) -> bool:
    """A real forward pass on zeros, on a copy of the model in evaluation mode."""
    twin = copy.deepcopy(model).eval()
    try:
        with torch.no_grad():
            twin(torch.zeros(1, *shape))
    except (RuntimeError, ValueError, IndexError):
        return False
    return True


def brute_force_sizes(model, input_size, up_to, axis=None) -> tuple[int, ...]:
    every = range(1, len(input_size)) if len(input_size) > 1 else (0,)  # a flat input: its axis
    axes = (axis,) if axis is not None else every
    return tuple(
        s
        for s in range(1, up_to + 1)
        if brute_force_runs(model, tuple(s if a in axes else n for a, n in enumerate(input_size)))
    )


class UNet3(nn.Module):
    """Three poolings with batch norm and an addition as the skip connection: multiples of 8."""

    def __init__(self, c=2):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU())
        self.down = nn.ModuleList(nn.Conv2d(c, c, 3, stride=2, padding=1) for _ in range(3))
        self.up = nn.ModuleList(nn.ConvTranspose2d(c, c, 2, stride=2) for _ in range(3))

    def forward(self, x):
        skips = [self.stem(x)]
        for down in self.down:
            skips.append(down(skips[-1]))
        y = skips.pop()
        for up in self.up:
            y = up(y) + skips.pop()
        return y


class Branches(nn.Module):
    """A forward that reads a value: PyTorch's meta device cannot run it, a real pass can."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 1, 3)

    def forward(self, x):
        y = self.conv(x)
        return y if y.sum() >= 0 else -y


def causal_1d() -> nn.Sequential:
    return nn.Sequential(
        nn.ConstantPad1d((2, 0), 0), nn.Conv1d(1, 2, 3), nn.MaxPool1d(3, stride=2),
        nn.Conv1d(2, 2, 3, dilation=2), nn.Flatten(), nn.Linear(2 * 5, 1),
    )  # fmt: skip


def video_3d() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv3d(1, 2, 3, stride=(1, 2, 2), padding=(0, 1, 1)), nn.BatchNorm3d(2),
        nn.MaxPool3d(2), nn.AdaptiveAvgPool3d(1),
    )  # fmt: skip


def batch_statistics_cnn() -> nn.Sequential:
    """Batch norm without running statistics: a 1×1 map of one input has one value."""
    return nn.Sequential(nn.Conv2d(1, 2, 3, stride=2), nn.BatchNorm2d(2, track_running_stats=False))


def lazy_cnn() -> nn.Sequential:
    model = seed_cnn()
    model.out = nn.LazyLinear(10)
    return model


@pytest.mark.parametrize(
    ("build", "input_size", "up_to", "axis"),
    [
        (seed_cnn, (1, 28, 28), 40, None),
        (UNet, (1, 64, 64), 40, None),
        (UNet3, (1, 64, 64), 40, None),
        (UNet3, (1, 64, 48), 40, 2),
        (causal_1d, (1, 32), 40, None),
        (video_3d, (1, 8, 16, 16), 12, None),
        (video_3d, (1, 8, 16, 16), 12, 1),
        (batch_statistics_cnn, (1, 9, 9), 12, None),
        (lazy_cnn, (1, 28, 28), 40, None),
        (Branches, (1, 8, 8), 10, None),
        (lambda: Residual(pad_b=0), (4, 9, 9), 10, None),
        (lambda: nn.Sequential(nn.Flatten(), nn.Linear(6, 2)), (6,), 10, None),
    ],
)
def test_input_sizes_that_run_agrees_with_a_real_pass_on_every_size(build, input_size, up_to, axis):
    torch.manual_seed(0)
    model = build()
    found = input_sizes_that_run(model, input_size, up_to=up_to, axis=axis)
    assert found == brute_force_sizes(model, input_size, up_to, axis)


@pytest.mark.parametrize(
    ("name", "input_size", "up_to"),
    [("alexnet", (3, 224, 224), 70), ("resnet18", (3, 224, 224), 36),
     ("squeezenet1_0", (3, 224, 224), 40)],
)  # fmt: skip
def test_input_sizes_that_run_agrees_with_a_real_pass_on_torchvision_models(
    name, input_size, up_to
):
    import torchvision

    model = getattr(torchvision.models, name)(weights=None)
    found = input_sizes_that_run(model, input_size, up_to=up_to)
    assert found == brute_force_sizes(model, input_size, up_to)
    assert found  # the range reaches sizes that run


def test_input_sizes_that_run_on_a_torchvision_video_model():
    import torchvision

    model = torchvision.models.video.r3d_18(weights=None)
    found = input_sizes_that_run(model, (3, 16, 112, 112), up_to=6)
    assert found == brute_force_sizes(model, (3, 16, 112, 112), 6)


def test_the_sizes_of_the_lesson_s_examples():
    assert input_sizes_that_run(seed_cnn(), (1, 28, 28), up_to=64) == (28, 29, 30, 31)
    assert input_sizes_that_run(UNet(), (1, 64, 64), up_to=64) == tuple(range(4, 65, 4))


def test_alexnet_at_40_names_63_and_claims_nothing_it_did_not_try():
    import torchvision

    report = explain_shape_error(torchvision.models.alexnet(weights=None), (3, 40, 40))
    assert report.sizes_that_run == tuple(range(63, 81))
    assert report.sizes_line == "runs from 63×63 (tried: every size from 1×1 to 80×80)"
    assert report.fix.startswith("give an input that runs (it runs from 63×63)")
    assert "none" not in str(report)


def test_input_sizes_that_run_leaves_the_model_as_it_was():
    model = UNet3().train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    input_sizes_that_run(model, (1, 16, 16), up_to=20)
    assert model.training and all(m.training for m in model.modules())
    after = model.state_dict()
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) and after[k].device.type == "cpu" for k in before)
    assert isinstance(model.stem[1], nn.BatchNorm2d)
    lazy = lazy_cnn()
    input_sizes_that_run(lazy, (1, 28, 28), up_to=32)
    assert isinstance(lazy.out.weight, nn.parameter.UninitializedParameter)


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"model": "cnn"}, TypeError, "model=str"),
        ({"input_size": 28}, TypeError, "input_size"),
        ({"up_to": 0}, ValueError, "up_to=0"),
        ({"up_to": 2.5}, TypeError, "up_to=2.5"),
        ({"axis": 0}, ValueError, "axis=0 is invalid: must be a spatial axis"),
        ({"axis": 3}, ValueError, "one of 1, 2"),
        ({"axis": "H"}, TypeError, "axis='H'"),
    ],
)
def test_input_sizes_that_run_validates(arguments, error, match):
    arguments = {"model": seed_cnn(), "input_size": (1, 28, 28), "up_to": 30, **arguments}
    with pytest.raises(error, match=match):
        input_sizes_that_run(**arguments)


@pytest.mark.parametrize(
    ("sizes", "up_to", "rank", "text"),
    [
        ((), 10, 2, ""),
        ((5,), 10, 2, "only at 5×5"),
        ((3, 4, 5), 5, 1, "from 3"),
        ((3, 4, 5), 9, 3, "from 3×3×3 to 5×5×5"),
        ((8, 16, 24), 30, 2, "at multiples of 8 from 8×8"),
        ((5, 9, 13), 16, 2, "at 5×5, 9×9, 13×13, … (steps of 4)"),
        ((8, 16), 30, 2, "at 8×8, 16×16"),
        ((1, 2, 5, 8, 9, 12, 20), 30, 1, "at 1 to 2, 5, 8 to 9, 12 and more"),
    ],
)
def test_describe_sizes(sizes, up_to, rank, text):
    assert describe_sizes(sizes, up_to, rank) == text
    line = sizes_line(sizes, up_to, rank)
    assert (
        line.endswith(
            f"every size from 1{'×1' * (rank - 1)} to {up_to}" + f"×{up_to}" * (rank - 1) + ")"
        )
        if sizes
        else line.startswith("none")
    )
