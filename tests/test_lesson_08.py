"""Lesson 08: the design explorer against PyTorch, and the lesson's numbers against PyTorch."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import nbformat
import pytest
import torch
import torchvision
from IPython.core.interactiveshell import InteractiveShell
from matplotlib.figure import Figure
from torch import nn

from helpers import receptive_field
from helpers.arithmetic import conv_configs, conv_transpose_configs
from helpers.arithmetic.configs import ConvConfig, ConvTransposeConfig
from helpers.mnist import source_cnn
from helpers.widgets import Settings, design_explorer
from helpers.widgets.design import MAX_SHOWN, DesignExplorer, pytorch_line
from helpers.widgets.render import render_picture


def built_size(code: str, i: int) -> int:
    """Build the explorer's PyTorch line with one channel in and out; its output size on i×i."""
    layer = eval(code, {"nn": nn, "C_in": 1, "C_out": 1})  # the line as a learner would paste it
    with torch.no_grad():
        out = layer(torch.zeros(1, 1, i, i))
    assert out.shape[2] == out.shape[3]
    return out.shape[2]


def assert_consistent(explorer: DesignExplorer) -> None:
    """Either configurations whose size is right, or the friendly message; never both."""
    v = explorer.params()
    if explorer.state.chosen is None:
        assert explorer.output_size is None
        assert "explorer-message" in explorer.message.value
        assert f"maps {v['i']} to {v['o']}" in explorer.message.value
        assert "Traceback" not in explorer.message.value
        assert explorer.formula.value == "<b>o</b> = no configuration"
        return
    state = explorer.state
    assert explorer.message.value == ""
    assert state.output_size == v["o"]
    assert state.chosen == state.configs[v["choice"]]
    assert f"<code>{state.code}</code>" in explorer.formula.value
    assert state.code in repr(explorer)
    assert built_size(state.code, v["i"]) == v["o"]
    assert explorer.controls["choice"].max == len(state.configs) - 1


@pytest.mark.parametrize("direction", ["conv", "transposed"])
def test_sweep_every_state_lists_right_sizes_or_says_none(direction):
    explorer = design_explorer(direction=direction)
    seen = {True: 0, False: 0}
    for i, o, k in itertools.product([1, 3, 7, 14, 28], [1, 4, 7, 14, 29, 56], [None, 3]):
        explorer.set(i=i, o=o, k=k)
        assert_consistent(explorer)
        seen[explorer.state.chosen is not None] += 1
    assert seen[True] and seen[False]  # the sweep met both kinds of state


def test_every_configuration_in_the_list_builds_the_target_size():
    explorer = design_explorer(28, 7, k=None, d=None)
    count = len(explorer.state.configs)
    assert count == len(conv_configs(28, 7))
    for choice in range(0, count, max(count // 8, 1)):
        explorer.set(choice=choice)
        assert_consistent(explorer)


def test_the_list_and_the_picture_follow_the_direction_switch():
    explorer = design_explorer(7, 14, k=4)
    assert explorer.state.chosen is None  # a convolution cannot grow 7 to 14 with k = 4
    assert "try &#x27;transposed&#x27;" in explorer.message.value
    explorer.set(direction="transposed")
    assert explorer.state.configs == tuple(conv_transpose_configs(7, 14, k=4, d=1))
    assert explorer.state.code == (
        "nn.ConvTranspose2d(C_in, C_out, kernel_size=4, stride=2, padding=1)"
    )
    assert explorer.image.value[:4] == b"\x89PNG"
    assert "<table" in explorer.values.value and "output_padding" in explorer.values.value


def test_the_resnet_stem_and_the_values_table():
    explorer = design_explorer(224, 112, k=7, d=None)
    assert explorer.state.code == "nn.Conv2d(C_in, C_out, kernel_size=7, stride=2, padding=3)"
    rows = explorer.values.value.count("<tr")
    assert rows == 1 + len(conv_configs(224, 112, k=7))  # header + one per configuration


def test_a_long_list_is_cut_with_a_count():
    explorer = design_explorer(28, 14, k=None, d=None)
    total = len(conv_configs(28, 14))
    assert total > 12
    assert f"… and {total - 12} more" in explorer.values.value


def test_a_choice_beyond_a_shorter_list_is_clamped():
    explorer = design_explorer(28, 14, k=None, d=None)
    explorer.set(choice=20)
    explorer.set(k=3, d=1)  # one configuration left
    assert explorer.params()["choice"] == 0
    assert explorer.controls["choice"].disabled
    assert_consistent(explorer)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"i": 0}, ValueError),
        ({"o": 300}, ValueError),
        ({"i": 2.5}, TypeError),
        ({"k": 8}, ValueError),
        ({"d": 0}, ValueError),
        ({"direction": "up"}, ValueError),
    ],
)
def test_bad_starting_values_are_refused(arguments, error):
    name = next(iter(arguments))
    with pytest.raises(error, match=f"^{name}="):
        design_explorer(**arguments)


@pytest.mark.parametrize(
    ("config", "line"),
    [
        (ConvConfig(3, 1, 0, 1), "nn.Conv2d(C_in, C_out, kernel_size=3)"),
        (ConvConfig(3, 2, 2, 2),
         "nn.Conv2d(C_in, C_out, kernel_size=3, stride=2, padding=2, dilation=2)"),
        (ConvTransposeConfig(2, 2, 0, 1, 0),
         "nn.ConvTranspose2d(C_in, C_out, kernel_size=2, stride=2)"),
        (ConvTransposeConfig(3, 2, 1, 1, 1),
         "nn.ConvTranspose2d(C_in, C_out, kernel_size=3, stride=2, padding=1, output_padding=1)"),
    ],
)  # fmt: skip
def test_pytorch_line_leaves_defaults_out(config, line):
    direction = "conv" if isinstance(config, ConvConfig) else "transposed"
    assert pytorch_line(config, direction) == line


# --------------------------------------------------------------------------- the lesson notebook
LESSON = Path(__file__).resolve().parent.parent / "notebooks" / "08_designing_shapes.ipynb"


def code_cells() -> list:
    return [cell for cell in nbformat.read(LESSON, as_version=4).cells if cell.cell_type == "code"]


def cell_starting(text: str):
    (cell,) = [cell for cell in code_cells() if cell.source.startswith(text)]
    return cell


@pytest.fixture(scope="module")
def lesson():
    """The notebook's setup cell and its TinyUNet, run as the notebook runs them."""
    shell = InteractiveShell.instance()  # the setup cell starts with %xmode Minimal
    for source in (code_cells()[0].source, cell_starting("def conv_block").source):
        assert shell.run_cell(source).success
    namespace = dict(shell.user_ns)
    namespace["unet"] = namespace["TinyUNet"]()
    return namespace


def run_check(source: str, answer, namespace: dict):
    """Run an exercise cell with ``answer = ...`` replaced; return its Feedback."""
    module = ast.parse(source)
    assert ast.unparse(module.body[0]) == "answer = ..."
    namespace = {**namespace, "answer": answer}
    for statement in module.body[1:-1]:
        exec(compile(ast.Module([statement], []), "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(module.body[-1].value), "<cell>", "eval"), namespace)


def torch_runs(model, shape) -> bool:
    try:
        with torch.no_grad():
            model(torch.zeros(1, *shape))
    except RuntimeError:
        return False
    return True


def causal_stack(k: int, dilations) -> nn.Sequential:
    layers = []
    for d in dilations:
        conv = nn.Conv1d(1, 1, k, dilation=d)
        nn.init.ones_(conv.weight)
        nn.init.zeros_(conv.bias)
        layers += [nn.ConstantPad1d((d * (k - 1), 0), 0.0), conv]
    return nn.Sequential(*layers)


def input_steps_seen(model: nn.Module, length: int, t: int) -> torch.Tensor:
    """The input steps whose gradient reaches output ``t`` (PyTorch's autograd)."""
    x = torch.zeros(1, 1, length, requires_grad=True)
    model(x)[0, 0, t].backward()
    return x.grad[0, 0].nonzero().flatten()


def pytorch_answers(lesson) -> list:
    """Each exercise's answer, found by trying PyTorch layers (not by our arithmetic)."""
    sizes = [
        (s, p) for s in range(1, 5) for p in range(3)
        if nn.Conv2d(1, 1, 3, stride=s, padding=p)(torch.zeros(1, 1, 56, 56)).shape[-1] == 28
    ]  # fmt: skip
    paddings = [
        (p, a) for p in range(4) for a in range(2)
        if nn.ConvTranspose2d(1, 1, 4, stride=2, padding=p, output_padding=a)(
            torch.zeros(1, 1, 28, 28)).shape[-1] == 56
    ]  # fmt: skip
    runs = {i for i in range(65, 73) if torch_runs(lesson["unet"], (1, i, i))}
    field = len(input_steps_seen(causal_stack(3, [1, 2, 4, 8, 16]), 80, 70))
    video = nn.Conv3d(1, 1, 3, stride=2, padding=1)(torch.zeros(1, 1, 16, 112, 112)).shape[2:]
    return [sizes[0], paddings[0], runs, field, tuple(video)]


def test_the_exercises_accept_the_answers_pytorch_gives(lesson):
    exercises = [cell.source for cell in code_cells() if cell.source.startswith("answer = ...")]
    answers = pytorch_answers(lesson)
    assert len(exercises) == len(answers) == 5
    assert answers[2] == {68, 72} and answers[3] == 63
    assert run_check(exercises[2], [72, 68], lesson).correct is False  # a set, not a list
    assert run_check(exercises[2], {72, 68}, lesson).correct is True  # in any order
    for source, answer in zip(exercises, answers, strict=True):
        assert run_check(source, answer, lesson).correct is True, source
        assert run_check(source, "wrong", lesson).correct is False


def test_raises_exception_cells_store_the_errors_pytorch_raises(lesson):
    stored = []
    for cell in code_cells():
        errors = [out for out in cell.outputs if out.output_type == "error"]
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        assert tagged == bool(errors), f"error output and tag disagree in: {cell.source[:60]}"
        stored += [(out.ename, out.evalue) for out in errors]
    cnn = source_cnn()
    cnn.out = nn.Linear(32 * 4 * 4, 10)
    expected = []
    for model, shape in [(lesson["unet"], (1, 65, 65)), (cnn, (1, 28, 28))]:
        with pytest.raises(RuntimeError) as info:
            model(torch.zeros(1, *shape))
        expected.append(("RuntimeError", str(info.value)))
    assert stored == expected


@pytest.mark.parametrize("layers", range(1, 7))
def test_a_wavenet_stack_sees_2_to_the_L_steps_and_no_future(layers):
    dilations = [2**n for n in range(layers)]
    model = causal_stack(2, dilations)
    length = 2**layers + 8
    seen = input_steps_seen(model, length, length - 1)
    assert seen.tolist() == list(range(length - 2**layers, length))
    assert receptive_field.receptive_field_size([2] * layers, dilations=dilations) == 2**layers
    middle = input_steps_seen(model, length, length // 2)
    assert middle.max().item() == length // 2  # causal: nothing after t
    with torch.no_grad():
        assert model(torch.zeros(1, 1, length)).shape[-1] == length  # left padding keeps T


def test_the_stems_of_resnet18_and_r3d_18_are_what_conv_configs_finds():
    resnet = torchvision.models.resnet18(weights=None)
    with torch.no_grad():
        o = resnet.conv1(torch.zeros(1, 3, 224, 224)).shape[-1]
    assert o == 112
    conv1 = resnet.conv1
    assert (7, conv1.stride[0], conv1.padding[0], 1) in conv_configs(224, o, k=7)
    stem = torchvision.models.video.r3d_18(weights=None).stem[0]
    with torch.no_grad():
        out = stem(torch.zeros(1, 3, 16, 112, 112)).shape[2:]
    for i, o, k, s, p in zip((16, 112, 112), out, stem.kernel_size, stem.stride, stem.padding,
                             strict=True):  # fmt: skip
        assert (k, s, p, 1) in conv_configs(i, o, k=k, d=1)


def test_the_lesson_s_solutions_are_the_ones_it_states():
    assert conv_configs(28, 14, k=3, d=1) == [(3, 2, 1, 1)]
    assert conv_transpose_configs(7, 14, k=3, s=2, d=1) == [(3, 2, 1, 1, 1)]
    assert conv_transpose_configs(7, 14, k=4, d=1) == [(4, 2, 1, 1, 0)]
    assert conv_transpose_configs(16, 32, s=2, d=1)[1] == (2, 2, 0, 1, 0)


def test_a_wide_sweep_of_the_hooks_never_raises():
    """(i, o) over 1–29 × 1–57 in both directions: a state whose size is o, or the message."""
    explorer = design_explorer()
    drawn = 0
    for direction, i, o, k in itertools.product(
        ["conv", "transposed"], range(1, 31, 2), range(1, 61, 4), [None, 3]
    ):
        v = Settings({"direction": direction, "i": i, "o": o, "k": k, "d": 1, "choice": 0})
        state = explorer.compute(v)  # never raises
        if state.chosen is None:
            assert "maps" in state.message
        else:
            assert state.size.value == o and state.configs
        assert state.formula
        if (i + o) % 19 == 0:  # draw a sample of the states, possible or not
            explorer.draw(Figure(figsize=(8, 2.2)), state)
            drawn += 1
    assert drawn > 20


STATES = [
    {"direction": "conv", "i": 28, "o": 14, "k": 3, "d": 1},
    {"direction": "transposed", "i": 7, "o": 14, "k": None, "d": None},
    {"direction": "conv", "i": 256, "o": 128, "k": 7, "d": None},
    {"direction": "conv", "i": 3, "o": 200, "k": None, "d": 1},  # no configuration
    {"direction": "transposed", "i": 256, "o": 256, "k": None, "d": None},
    {"direction": "conv", "i": 28, "o": 14, "k": 3, "d": 1},
]


def test_the_picture_drawn_on_reused_axes_is_the_one_a_new_figure_gets():
    explorer = design_explorer()
    for state in STATES:
        explorer.set(**state)
        fresh = render_picture(explorer.figure(), explorer.dpi)
        assert explorer.image.value == fresh, state


@pytest.mark.parametrize(
    ("state", "note"),
    [
        ({"direction": "conv", "i": 256, "o": 128, "k": 7}, "⋯ first {} of {} cells not shown"),
        (
            {"direction": "transposed", "i": 128, "o": 256, "k": 4},
            "⋯ last {} of {} cells not shown",
        ),
        ({"direction": "conv", "i": 30, "o": 15, "k": 3}, None),
    ],
)
def test_a_long_row_is_shown_in_part_and_says_how_much_is_hidden(state, note):
    explorer = design_explorer().set(**state)
    ax_in, ax_out = explorer.figure().axes
    if explorer.state.chosen._fields[-1] == "output_padding":
        k, s, p, d, a = explorer.state.chosen
        rows = [state["i"], (state["i"] - 1) * s + d * (k - 1) + 1 + a]  # the uncarved buffer
    else:
        rows = [state["i"] + 2 * explorer.state.chosen.p, state["o"]]
    for ax, cells in zip((ax_in, ax_out), rows, strict=True):
        left, right = ax.get_xlim()
        assert right - left == pytest.approx(min(max(rows), MAX_SHOWN) + 1)  # same cell width
        texts = [t.get_text() for t in ax.texts]
        hidden = cells - min(max(rows), MAX_SHOWN)
        if note is None or hidden <= 0:
            assert not any("not shown" in t for t in texts)
        else:
            assert note.format(hidden, cells) in texts


def cell_by_id(cell_id: str):
    (cell,) = [c for c in code_cells() if c.get("id") == cell_id]
    return cell


def test_the_lesson_counts_distinct_layers_and_window_geometries():
    from helpers.arithmetic import conv_configs

    configs = conv_configs(28, 14)
    layers = {tuple(c) for c in configs if c.k > 1} | {
        (1, c.s, c.p, 1) for c in configs if c.k == 1
    }
    stored = cell_by_id("l08-03").outputs[0]["data"]["text/plain"]
    assert stored == str((len(configs), len(layers), 30))
    assert all(c.p <= c.d * (c.k - 1) for c in configs)  # the bound the prose states


@pytest.mark.parametrize(
    ("cell_id", "model", "line"),
    [("l08-73", "Sequential", "runs from 28×28 to 31×31 (tried: every size from 1×1 to 64×64)"),
     ("l08-75", "TinyUNet", "runs at multiples of 4 from 4×4 (tried: every size from 1×1 to 128"),
     ("l08-76", "AlexNet", "runs from 63×63 (tried: every size from 1×1 to 128×128)")],
)  # fmt: skip
def test_the_lesson_explores_three_models_and_stores_their_static_table(cell_id, model, line):
    (output,) = cell_by_id(cell_id).outputs
    assert output["data"]["text/plain"].startswith(f"ModelExplorer({model}, ")
    assert '<table class="model-layers">' in output["data"]["text/html"]
    assert line in output["data"]["text/html"]
    alt = output["metadata"]["image/png"]["alt"]
    assert alt.startswith("runs on ") and "; spatial size after each layer: " in alt


def test_alexnet_runs_from_63_as_the_lesson_s_explorer_says():
    model = torchvision.models.alexnet(weights=None).eval()
    assert not torch_runs(model, (3, 62, 62)) and torch_runs(model, (3, 63, 63))
