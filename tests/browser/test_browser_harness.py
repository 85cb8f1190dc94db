"""Unit tests of the browser test's pure helpers (no browser, no server: they always run)."""

import importlib
import json
from pathlib import Path

import pytest
import torch
from browser_harness import (
    CHROMIUM_FLAGS,
    DEDICATED,
    LAB_SETTINGS,
    MOVES,
    ORACLES,
    browser_missing_reason,
    choose_key,
    expected_output_size,
    explorer_cells,
    explorer_notebooks,
    must_not_skip,
    on_lesson_pages,
    parse_output_size,
    raises_exception_cells,
    read_notebook,
    weight_shape,
    workspace_url,
)
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers import widgets


def notebook(*cells):
    """Notebook JSON with these cells; a cell is a source string or a (source, tags) pair."""
    made = []
    for cell in cells:
        source, tags = cell if isinstance(cell, tuple) else (cell, [])
        new = new_markdown_cell(source) if source.startswith("#") else new_code_cell(source)
        if tags:
            new.metadata["tags"] = tags
        made.append(new)
    return json.loads(json.dumps(new_notebook(cells=made)))


def test_explorer_cells_finds_calls_in_code_cells_only():
    nb = notebook(
        "# conv_explorer() in markdown does not count",
        "x = 1",
        "conv_explorer(i=5, k=3)",
        "from helpers import widgets\nwidgets.pool_explorer()",
        "def my_explorer(a):\n    return a",
        "explorer = channels_explorer(c_in=2)\nexplorer",
    )
    found = [(cell.index, cell.function) for cell in explorer_cells(nb)]
    assert found == [(2, "conv_explorer"), (3, "pool_explorer"), (5, "channels_explorer")]


def test_explorer_cells_accepts_a_source_split_in_lines():
    nb = notebook("placeholder")
    nb["cells"][0]["source"] = ["from helpers.widgets import conv_explorer\n", "conv_explorer()"]
    assert [cell.function for cell in explorer_cells(nb)] == ["conv_explorer"]


def test_explorer_notebooks_keeps_those_with_an_explorer(tmp_path):
    (tmp_path / "01_a.ipynb").write_text(json.dumps(notebook("conv_explorer()")))
    (tmp_path / "02_b.ipynb").write_text(json.dumps(notebook("print(1)")))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "03_c.ipynb").write_text(json.dumps(notebook("pool_explorer()")))
    assert [path.name for path in explorer_notebooks(tmp_path)] == ["01_a.ipynb"]


def test_on_lesson_pages_gives_each_name_to_the_lesson_fixture_with_its_stem_as_id():
    mark = on_lesson_pages(("07_decoder_checkerboard.ipynb", "08_designing_shapes.ipynb"))
    assert mark.name == "parametrize"
    assert mark.args == ("lesson", ["07_decoder_checkerboard.ipynb", "08_designing_shapes.ipynb"])
    assert mark.kwargs["indirect"] is True
    assert mark.kwargs["ids"]("07_decoder_checkerboard.ipynb") == "07_decoder_checkerboard"


def test_raises_exception_cells_are_the_tagged_ones():
    nb = notebook(
        "1",
        ("1 / 0", ["raises-exception"]),
        ("2", ["nbval-skip"]),
        ("x", ["a", "raises-exception"]),
    )
    assert raises_exception_cells(nb) == {1, 3}


def test_workspace_url_opens_one_notebook_in_a_reset_workspace():
    url = workspace_url("http://127.0.0.1:8888/", "test-01", "notebooks/01 a.ipynb", "t0k")
    assert url == (
        "http://127.0.0.1:8888/lab/workspaces/test-01/tree/notebooks/01%20a.ipynb?reset&token=t0k"
    )


def test_lab_settings_start_the_kernel_and_silence_news_and_autosave():
    assert LAB_SETTINGS["@jupyterlab/notebook-extension/tracker.jupyterlab-settings"][
        "autoStartDefaultKernel"
    ]
    notification = LAB_SETTINGS["@jupyterlab/apputils-extension/notification.jupyterlab-settings"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    assert not LAB_SETTINGS["@jupyterlab/docmanager-extension/plugin.jupyterlab-settings"][
        "autosave"
    ]
    assert "--no-sandbox" in CHROMIUM_FLAGS and "--headless" in CHROMIUM_FLAGS


@pytest.mark.parametrize(
    ("function", "values", "expected"),
    [
        # seed-free cases checked against PyTorch below; here the argument plumbing
        ("conv_explorer", {"i": 5, "k": 3, "s": 2, "p": 1, "d": 1, "step": 0, "cell": 0}, 3),
        ("conv_explorer", {"i": 3, "k": 5, "s": 1, "p": 0, "d": 1}, None),
        ("pool_explorer", {"i": 5, "k": 2, "s": 2, "p": 0, "mode": "max", "ceil_mode": True}, 3),
        ("pool_explorer", {"i": 5, "k": 2, "s": 2, "p": 0, "mode": "avg", "ceil_mode": False}, 2),
        ("transposed_explorer", {"i": 2, "k": 3, "s": 2, "p": 1, "d": 1, "output_padding": 1}, 4),
        (
            "transposed_explorer",
            {"i": 2, "k": 3, "s": 2, "p": 1, "d": 1, "output_padding": 2},
            None,
        ),
    ],
)
def test_expected_output_size_matches_pytorch(function, values, expected):
    assert expected_output_size(function, values) == expected
    if expected is None:
        return
    x = torch.zeros(1, 1, values["i"], values["i"])
    if function == "conv_explorer":
        layer = torch.nn.Conv2d(1, 1, values["k"], values["s"], values["p"], values["d"])
    elif function == "pool_explorer":
        layer = torch.nn.MaxPool2d(
            values["k"], values["s"], values["p"], ceil_mode=values["ceil_mode"]
        )
    else:
        layer = torch.nn.ConvTranspose2d(
            1,
            1,
            values["k"],
            values["s"],
            values["p"],
            values["output_padding"],
            dilation=values["d"],
        )
    assert layer(x).shape[-1] == expected


def test_weight_shape_is_pytorchs_and_none_when_groups_do_not_divide():
    values = {"c_in": 4, "c_out": 6, "groups": 2, "k": 3, "layer": "Conv2d"}
    assert expected_output_size("channels_explorer", values) == (6, 2, 3, 3)
    transposed = {**values, "layer": "ConvTranspose2d"}
    assert expected_output_size("channels_explorer", transposed) == (4, 3, 3, 3)
    assert expected_output_size("channels_explorer", {**values, "groups": 4}) is None
    with pytest.raises(ValueError, match="divisible by groups"):
        weight_shape(4, 6, 3, groups=4)


@pytest.mark.parametrize("function", sorted(MOVES))
def test_every_moved_control_exists_in_the_explorer(function):
    explorer = getattr(widgets, function)()
    assert set(MOVES[function]) <= set(explorer.controls), "a moved slider the explorer lacks"


@pytest.mark.parametrize("function", sorted(DEDICATED))
def test_an_explorer_left_to_its_own_test_is_moved_there(function):
    """The generic test skips it: its own module must open a lesson that shows it."""
    module = importlib.import_module(DEDICATED[function])
    opens = [
        mark.args[1]
        for mark in module.pytestmark
        if mark.name == "parametrize" and mark.args[0] == "lesson"
    ]
    assert opens, f"{module.__name__} opens no lesson"
    notebooks = Path(__file__).resolve().parents[2] / "notebooks"
    shown = {
        cell.function
        for name in opens[0]
        for cell in explorer_cells(read_notebook(notebooks / name))
    }
    assert function in shown, f"{module.__name__} opens {opens[0]}, none shows {function}"
    assert function not in MOVES, "a control moved by two tests on one shared page"


@pytest.mark.parametrize("function", sorted(ORACLES))
def test_every_oracle_agrees_with_its_explorer(function):
    explorer = getattr(widgets, function)()
    state = explorer.state  # the channels explorer shows a weight shape, the others a size
    shown = state.weight_shape if function == "channels_explorer" else state.output_size
    assert expected_output_size(function, explorer.params()) == shown


@pytest.mark.parametrize(
    ("text", "expected"), [("3", 3), (" 12 ", 12), ("(6, 2, 3, 3)", (6, 2, 3, 3)), ("(4,)", (4,))]
)
def test_parse_output_size(text, expected):
    assert parse_output_size(text) == expected


def test_parse_output_size_rejects_text_without_a_number():
    with pytest.raises(ValueError, match="no integer"):
        parse_output_size("no output")


def conv_size(values):
    return expected_output_size("conv_explorer", values)


def test_choose_key_prefers_a_move_that_changes_the_output_size():
    values = {"i": 5, "k": 3, "s": 1, "p": 0, "d": 1}
    assert choose_key(values, "s", 1, 4, conv_size) == "ArrowRight"  # 3 -> 2
    at_top = {**values, "s": 4}  # 4 -> 3 keeps o = 1; nothing else possible
    assert conv_size(at_top) == conv_size({**at_top, "s": 3}) == 1
    assert choose_key(at_top, "s", 1, 4, conv_size) == "ArrowLeft"


def test_choose_key_goes_left_when_right_keeps_the_size():
    values = {"i": 6, "k": 3, "s": 2, "p": 0, "d": 1}  # o = 2; s=3 -> 2, s=1 -> 4
    assert choose_key(values, "s", 1, 4, conv_size) == "ArrowLeft"


def test_choose_key_prefers_a_possible_combination_and_none_when_stuck():
    values = {"i": 3, "k": 3, "s": 1, "p": 0, "d": 1}  # k = 2 gives 2, k = 4 is impossible
    assert choose_key(values, "k", 1, 7, conv_size) == "ArrowLeft"
    assert choose_key(values, "p", 0, 0, conv_size) is None


def test_browser_missing_reason_names_what_is_missing(tmp_path):
    present = tmp_path / "chromium"
    present.write_text("")
    assert browser_missing_reason(present, True) is None
    reason = browser_missing_reason(tmp_path / "none", False)
    assert "none not found" in reason and "playwright" in reason


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({"CI": "true"}, True), ({"CI": "TRUE"}, True), ({"CI": "false"}, False), ({}, False)],
)
def test_must_not_skip_under_ci(environ, expected):
    assert must_not_skip(environ) is expected
