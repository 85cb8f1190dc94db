"""The explorers as a learner uses them: real JupyterLab, headless Chromium, sliders moved by keys.

For every notebook in ``notebooks/`` that calls an explorer (a new lesson is picked up by
itself) the notebook is opened in a fresh JupyterLab workspace and run from top to bottom,
once per test run: the lesson's other browser tests look at the same page (``conftest.lesson``).
Then every code cell must have run, only cells tagged ``raises-exception`` may show an error,
and each explorer must be on screen. Finally the stride and padding sliders (the channel and
groups sliders of the channels explorer) are moved with the arrow keys, and the output size on
screen must become what ``helpers.arithmetic`` (PyTorch for weight shapes) gives for the
values the sliders now show, and the figure must change (an explorer not yet listed in
``browser_harness.MOVES``/``ORACLES``: its first two sliders, figure only; an explorer in
``browser_harness.DEDICATED`` is moved by its own test instead). A screenshot of each notebook
is saved in ``test-artifacts/browser/`` afterwards, and on failure. The page has device pixel
ratio 2: every explorer picture must have twice the pixels of its CSS width (sharp on a HiDPI
screen), and the static copy of the picture that the display bundle carries for front ends
without widgets must not show beside the live widget.

Deselect with ``-m "not browser"``; see ``conftest.py`` for the server and the browser.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser_harness import (
    DEDICATED,
    LESSON_PAGE,
    MOVES,
    ORACLES,
    UPDATE_TIMEOUT_S,
    ExplorerCell,
    choose_key,
    expected_output_size,
    explorer_cells,
    explorer_notebooks,
    on_lesson_pages,
    parse_output_size,
    raises_exception_cells,
    read_notebook,
    screenshot_name,
)
from ipywidgets import IntSlider
from lab import reading_controls

from helpers import widgets

pytestmark = pytest.mark.browser

NOTEBOOKS = explorer_notebooks(Path(__file__).resolve().parents[2] / "notebooks")
#: The lessons with an explorer whose sliders this module moves (not one in ``DEDICATED``).
MOVED_HERE = [
    path
    for path in NOTEBOOKS
    if any(cell.function not in DEDICATED for cell in explorer_cells(read_notebook(path)))
]


def lessons(paths: list[Path]):
    """Run the test on each of these lessons' shared page (``conftest.lesson``)."""
    return on_lesson_pages([path.name for path in paths])


# --------------------------------------------------------------------------- in the page
CELL_STATES = """() => window.jupyterapp.shell.currentWidget.content.widgets.map((cell, index) => {
    const model = cell.model;
    const code = model.type === 'code';
    return {
        index: index,
        type: model.type,
        executionCount: code ? model.executionCount : null,
        errors: code ? model.outputs.toJSON().filter(o => o.output_type === 'error')
            .map(o => o.ename + ': ' + o.evalue) : [],
    };
})"""

#: The explorer's controls: the children of its grid box.
CONTROL = ".widget-gridbox > .jupyter-widgets"
CONTROLS = reading_controls("cell => readControls(cell)")

#: The picture's width in image pixels and in CSS pixels.
IMAGE_WIDTHS = "img => [img.naturalWidth, img.getBoundingClientRect().width]"

DISPLAY = """cell => {
    // the output size (a weight shape in the channels explorer); none when impossible
    const size = cell.querySelector('.output-size:not(.impossible), .weight-shape');
    const message = cell.querySelector('.explorer-message');
    return {size: size ? size.textContent.trim() : null,
            message: message ? message.textContent.trim() : ''};
}"""


# --------------------------------------------------------------------------- the tests
@lessons(NOTEBOOKS)
def test_every_cell_runs_and_only_tagged_cells_show_errors(opened):
    states = opened.page.evaluate(CELL_STATES)
    assert len(states) == len(opened.notebook["cells"]), "JupyterLab shows another cell count"
    not_run = [s["index"] for s in states if s["type"] == "code" and s["executionCount"] is None]
    assert not not_run, f"Run All stopped: cells {not_run} did not run"
    allowed = raises_exception_cells(opened.notebook)
    errors = {s["index"]: s["errors"] for s in states if s["errors"] and s["index"] not in allowed}
    assert not errors, f"error outputs in cells not tagged raises-exception: {errors}"


@lessons(NOTEBOOKS)
def test_explorer_views_render(opened):
    page = opened.page
    broken = page.locator(".jp-OutputArea-output", has_text="Error displaying widget")
    assert broken.count() == 0, broken.first.inner_text()
    for explorer in opened.explorers:
        cell = opened.cell(explorer.index)
        where = f"cell {explorer.index} ({explorer.function})"
        cell.locator(".widget-gridbox .noUi-handle").first.wait_for(timeout=10_000)
        image = cell.locator("img.widget-image").first
        image.scroll_into_view_if_needed()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), f"{where}: no figure"
        display = cell.evaluate(DISPLAY)
        assert display["size"] or display["message"], f"{where}: neither output size nor message"
        natural, css = image.evaluate(IMAGE_WIDTHS)
        scale = LESSON_PAGE["device_scale_factor"]
        assert abs(natural - scale * css) <= 2, f"{where}: {natural} px, {css} CSS px: not {scale}x"
        # the bundle's static picture and HTML are for front ends without widgets: not here
        static = cell.locator(".jp-OutputArea img:not(.widget-image), .explorer-static")
        assert static.count() == 0, f"{where}: the static picture shows beside the live widget"


@lessons(MOVED_HERE)
def test_arrow_keys_update_output_size_and_figure(opened, artifacts):
    for explorer in opened.explorers:
        if explorer.function in DEDICATED:
            continue  # its own test moves its controls, on this same page
        cell = opened.cell(explorer.index)
        controls = getattr(widgets, explorer.function)().controls  # built here for its labels
        names = {control.description: name for name, control in controls.items()}
        for name in _sliders_to_move(explorer.function, controls):
            _move_and_check(opened.page, cell, explorer, names, name)
        cell.locator(".jp-OutputArea").screenshot(
            path=artifacts / screenshot_name(f"{opened.path.stem}-cell{explorer.index}")
        )
    opened.page.screenshot(path=artifacts / screenshot_name(opened.path.stem))


# --------------------------------------------------------------------------- helpers
def _sliders_to_move(function: str, controls: dict) -> tuple[str, ...]:
    """:data:`MOVES` of the explorer; for one not listed there, its first two sliders."""
    if function in MOVES:
        return MOVES[function]
    sliders = [
        name
        for name, control in controls.items()
        if isinstance(control, IntSlider) and name not in ("step", "cell")
    ]
    return tuple(sliders[:2])


def _read_controls(cell, names: dict[str, str]) -> tuple[dict, dict]:
    """Values shown by the controls (sliders' number boxes, ...) and the slider ranges, by name."""
    values, ranges = {}, {}
    for control in cell.evaluate(CONTROLS):
        name = names[control["label"]]
        if control["kind"] == "slider":
            values[name] = int(control["value"])
            ranges[name] = (int(control["min"]), int(control["max"]))
        else:
            values[name] = control["value"]
    return values, ranges


def _shown_size(display: dict):
    return None if display["size"] is None else parse_output_size(display["size"])


def _move_and_check(page, cell, explorer: ExplorerCell, names: dict, name: str) -> None:
    """Press an arrow key on slider ``name``; check the output size and the figure.

    The output size is checked for explorers with an oracle in :data:`ORACLES`; for any
    other explorer only that the slider moved and the figure changed.
    """
    where = f"{explorer.function} in cell {explorer.index}, slider {name!r}"
    oracle = ORACLES.get(explorer.function)

    def size_of(values):
        return expected_output_size(explorer.function, values) if oracle else None

    values, ranges = _read_controls(cell, names)
    if oracle:
        assert _shown_size(cell.evaluate(DISPLAY)) == size_of(values), f"{where}: before moving"
    key = choose_key(values, name, *ranges[name], size_of)
    assert key, f"{where}: the slider cannot move, its range is {ranges[name]}"
    image = cell.locator("img.widget-image").first
    picture = image.screenshot()
    label = next(label for label, control in names.items() if control == name)
    handle = cell.locator(CONTROL).filter(has=page.get_by_text(label, exact=True))
    handle.locator(".noUi-handle").focus()
    page.keyboard.press(key)

    def shows_expected(now, display):
        if not oracle:
            return True
        expected = size_of(now)
        return _shown_size(display) == expected and (expected is not None or display["message"])

    deadline = time.monotonic() + UPDATE_TIMEOUT_S
    while True:
        now, _ = _read_controls(cell, names)
        display = cell.evaluate(DISPLAY)
        changed_picture = image.screenshot() != picture
        if now[name] != values[name] and changed_picture and shows_expected(now, display):
            break
        if time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    assert now[name] == values[name] + (1 if key == "ArrowRight" else -1), (
        f"{where}: {key} moved the slider from {values[name]} to {now[name]}"
    )
    if oracle:
        expected = size_of(now)
        assert _shown_size(display) == expected, (
            f"{where}: shows output size {display['size']!r} for {now}, "
            f"{oracle.__name__} gives {expected}"
        )
        if expected is None:
            assert display["message"], f"{where}: impossible combination {now} but no message"
    assert changed_picture, f"{where}: the figure did not change after {key}"
