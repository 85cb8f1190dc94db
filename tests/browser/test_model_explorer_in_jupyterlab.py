"""The model explorer as a learner uses it: real JupyterLab, arrow keys on its controls.

A small notebook with just the explorer (a CNN whose ``Linear`` takes 28×28 and 29×29 inputs)
is written into the server's copy of ``notebooks/``, opened in a fresh JupyterLab workspace
and run. Each axis has a number box with an accessible name ("height H", "width W"), linked
to its slider; both move with the arrow keys. After each key press the status line, the
failing row of the table and the line of sizes that run must be what
:func:`helpers.shapes.explain_shape_error` and :func:`helpers.shapes.input_sizes_that_run`
give for the sizes the sliders now show, and no traceback may appear. Lesson 08 itself is
not run here.

Deselect with ``-m "not browser"``; see ``conftest.py`` for the server and the browser.
"""

from __future__ import annotations

import time

import nbformat
import pytest
from browser_harness import UPDATE_TIMEOUT_S
from lab import notebook_page, reading_controls
from nbformat.v4 import new_code_cell, new_notebook
from torch import nn

from helpers.shapes import explain_shape_error, input_sizes_that_run
from helpers.shapes.sizes import sizes_line

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 1000}
#: Milliseconds for the kernel to start and the notebook to run.
RUN_TIMEOUT_MS = 300_000
#: The model, as the generated notebook and this test build it.
MODEL_SOURCE = (
    "nn.Sequential(nn.Conv2d(1, 2, 5), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2 * 12 * 12, 3))"
)
SOURCE = f"""from torch import nn

from helpers.widgets import model_explorer

model_explorer({MODEL_SOURCE}, (1, 28, 28))"""

#: Key presses (on the named number box, or on the slider's handle) and the value the slider
#: must show after each: fails, runs, runs, fails.
MOVES = (
    ("height H", "box", "ArrowDown", 27),
    ("height H", "box", "ArrowUp", 28),
    ("width W", "slider", "ArrowRight", 29),
    ("width W", "box", "ArrowUp", 30),
)

SHOWN = reading_controls("""cell => {
    const text = el => (el ? el.textContent.trim() : '');
    const sliders = {};
    for (const c of readControls(cell)) {
        if (c.kind === 'slider') { sliders[c.label] = Number(c.value); }
    }
    const failing = cell.querySelector('table.model-layers tr.failing');
    return {sliders: sliders,
            output: text(cell.querySelector('.output-size')),
            message: text(cell.querySelector('.explorer-message')),
            failing: text(failing),
            sizes: text(cell.querySelector('.sizes-that-run')),
            rows: cell.querySelectorAll('table.model-layers tr').length,
            page: cell.textContent};
}""")


def model() -> nn.Module:
    return eval(MODEL_SOURCE, {"nn": nn})


@pytest.fixture(scope="module")
def explorer_page(lab_server, browser, artifacts):
    """The generated notebook opened in its own workspace and run; the page."""
    relative = "notebooks/model_explorer_only.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(SOURCE)]), lab_server.root / relative)
    failure = artifacts / "model-explorer-run-failure.png"
    with notebook_page(
        browser, lab_server, relative, "test-model-explorer", RUN_TIMEOUT_MS,
        failure_screenshot=failure, viewport=VIEWPORT,
    ) as page:  # fmt: skip
        yield page


def expected(height: int, width: int) -> dict:
    report = explain_shape_error(model(), (1, height, width), up_to=0)
    return {"runs": report.runs, "headline": report.headline, "failing": report.layer}


def _press(page, cell, label: str, control: str, key: str, before: dict) -> dict:
    if control == "box":
        target = cell.get_by_role("spinbutton", name=label)
    else:
        slider = cell.locator(".widget-gridbox .widget-slider").filter(has_text=label)
        target = slider.locator(".noUi-handle")
    target.focus()
    page.keyboard.press(key)
    deadline = time.monotonic() + UPDATE_TIMEOUT_S
    while True:
        shown = cell.evaluate(SHOWN)
        moved = shown["sliders"] != before["sliders"]
        settled = moved and (shown["output"] or shown["failing"])
        want = expected(shown["sliders"]["height H"], shown["sliders"]["width W"])
        if settled and bool(shown["failing"]) != want["runs"] or time.monotonic() > deadline:
            return shown
        page.wait_for_timeout(200)


def test_the_sliders_are_named_and_keys_update_the_table_and_the_message(explorer_page, artifacts):
    page = explorer_page
    cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(0)
    cell.locator(".widget-gridbox .noUi-handle").first.wait_for(timeout=30_000)
    for label in ("height H", "width W"):
        assert cell.get_by_role("spinbutton", name=label).count() == 1, f"no box named {label!r}"
    shown = cell.evaluate(SHOWN)
    assert shown["sliders"] == {"height H": 28, "width W": 28}
    assert shown["output"] == "3" and not shown["failing"] and not shown["message"]
    found = input_sizes_that_run(model(), (1, 28, 28), up_to=64)
    assert found == (28, 29)
    assert shown["sizes"].endswith(sizes_line(found, 64, 2))
    try:
        for label, control, key, size in MOVES:
            shown = _press(page, cell, label, control, key, shown)
            assert shown["sliders"][label] == size, (label, key, shown["sliders"])
            want = expected(shown["sliders"]["height H"], shown["sliders"]["width W"])
            if want["runs"]:
                assert shown["output"] == "3" and not shown["failing"], shown
            else:
                assert shown["failing"].startswith(f"✗ {want['failing']}"), shown["failing"]
                assert "fails here" in shown["failing"]
                headline = want["headline"].replace("`", "")
                assert headline in shown["message"], (headline, shown["message"])
                assert "Fix" in shown["message"]
            assert "Traceback" not in shown["page"]
    finally:
        cell.locator(".jp-OutputArea").screenshot(path=artifacts / "model-explorer.png")
