"""Lesson 08's design explorer as a learner uses it: real JupyterLab, arrow keys on its sliders.

Notebook 08 is opened in a fresh JupyterLab workspace and run from top to bottom, once per
test run: the general notebook checks (``test_notebooks_in_jupyterlab.py``) look at the same
page, and only this test moves the explorer's controls. Then the
target-size slider and the input-size slider of its design explorer are moved with the
keyboard, as a learner would. After each move the configurations listed on screen, the
"… and N more" count and the PyTorch line must be those that
:func:`helpers.arithmetic.conv_configs` (``conv_transpose_configs`` for the transposed
direction) and :func:`helpers.widgets.design.pytorch_line` give for the values the controls
now show, the picture must change, and no traceback may appear (no error output in a cell not
tagged ``raises-exception``, no explorer message while a configuration exists).

Deselect with ``-m "not browser"``; see ``conftest.py`` for the server and the browser.
"""

from __future__ import annotations

import time

import pytest
from browser_harness import UPDATE_TIMEOUT_S, on_lesson_pages, raises_exception_cells
from lab import reading_controls

from helpers.arithmetic import conv_configs, conv_transpose_configs
from helpers.widgets.design import MAX_ROWS, pytorch_line

NOTEBOOK = "08_designing_shapes.ipynb"
pytestmark = [pytest.mark.browser, on_lesson_pages([NOTEBOOK])]
#: The sliders moved, by label, and the key pressed on each.
MOVES = (("input size i", "ArrowRight"), ("target size o", "ArrowRight"))

# --------------------------------------------------------------------------- in the page
ERROR_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map(cell =>
    cell.model.type !== 'code' ? [] : cell.model.outputs.toJSON()
        .filter(o => o.output_type === 'error')
        .map(o => o.ename + ': ' + o.evalue))"""

#: What the explorer shows: controls, listed configurations, the count, the code, the message.
SHOWN = reading_controls("""cell => {
    const text = el => (el ? el.textContent.trim() : '');
    const sliders = {}, menus = {};
    for (const c of readControls(cell)) {
        if (c.kind === 'slider') { sliders[c.label] = c.value; }
        if (c.kind === 'menu') { menus[c.label] = c.value; }
    }
    const table = cell.querySelector('table.design-configs');
    const rows = table ? Array.from(table.querySelectorAll('tr')).slice(1).map(
        tr => Array.from(tr.querySelectorAll('td')).map(td => Number(td.textContent))) : [];
    const values = cell.querySelector('.design-configs');
    return {sliders: sliders, menus: menus,
            direction: menus['direction'],
            rows: rows,
            listing: text(values && values.parentElement),
            code: text(cell.querySelector('.widget-html code')),
            message: text(cell.querySelector('.explorer-message')),
            page: cell.textContent};
}""")


def expected(shown: dict) -> tuple[list, str | None]:
    """The configurations and the PyTorch line for the values the controls show."""
    i, o = int(shown["sliders"]["input size i"]), int(shown["sliders"]["target size o"])
    choice = int(shown["sliders"]["configuration #"])
    held = {
        name: None if shown["menus"][label] == "any" else int(shown["menus"][label])
        for name, label in (("k", "kernel size k"), ("d", "dilation d"))
    }
    direction = "conv" if shown["direction"] == "convolution" else "transposed"
    search = conv_configs if direction == "conv" else conv_transpose_configs
    configs = search(i, o, **held)
    code = pytorch_line(configs[min(choice, len(configs) - 1)], direction) if configs else None
    return configs, code


def matches(shown: dict) -> bool:
    """Whether the list and the PyTorch line on screen are the expected ones."""
    configs, code = expected(shown)
    listed = [row[1:] for row in shown["rows"]]  # the first column is the row number
    return listed == [list(c) for c in configs[:MAX_ROWS]] and shown["code"] == (code or "")


def _press(page, cell, label: str, key: str) -> tuple[dict, dict, bool]:
    """Press ``key`` on slider ``label``; wait for the new picture and a list that fits.

    Returns what the explorer showed before and after, and whether the picture changed.
    """
    image = cell.locator("img.widget-image").first
    picture = image.screenshot()
    before = cell.evaluate(SHOWN)
    slider = cell.locator(".widget-gridbox .widget-slider").filter(has_text=label)
    slider.locator(".noUi-handle").focus()
    page.keyboard.press(key)
    deadline = time.monotonic() + UPDATE_TIMEOUT_S
    while True:
        shown = cell.evaluate(SHOWN)
        changed = image.screenshot() != picture
        moved = shown["sliders"][label] != before["sliders"][label]
        if (moved and changed and matches(shown)) or time.monotonic() > deadline:
            return before, shown, changed
        page.wait_for_timeout(200)


def test_arrow_keys_change_the_list_and_the_line_as_conv_configs_says(opened, artifacts):
    """Each key press: the list, the PyTorch line and the picture follow the slider, no error."""
    page, notebook = opened.page, opened.notebook
    allowed = raises_exception_cells(notebook)
    errors = {n: e for n, e in enumerate(page.evaluate(ERROR_OUTPUTS)) if e and n not in allowed}
    assert not errors, f"error outputs after Run All: {errors}"
    (explorer,) = [c for c in opened.explorers if c.function == "design_explorer"]
    cell = opened.cell(explorer.index)
    cell.locator("img.widget-image").first.wait_for(timeout=10_000)
    cell.scroll_into_view_if_needed()
    start = cell.evaluate(SHOWN)
    assert start["direction"] == "convolution", start
    assert start["rows"] and matches(start), f"before any key: {start} vs {expected(start)}"
    try:
        for label, key in MOVES:
            before, shown, changed = _press(page, cell, label, key)
            step = 1 if key == "ArrowRight" else -1
            assert int(shown["sliders"][label]) == int(before["sliders"][label]) + step, shown
            assert changed, f"{label}: the picture did not change after {key}"
            configs, code = expected(shown)
            assert configs, f"{shown['sliders']}: the moves are chosen to keep a solution"
            listed = [tuple(row[1:]) for row in shown["rows"]]
            assert listed == [tuple(c) for c in configs[:MAX_ROWS]], (label, listed, configs)
            assert shown["code"] == code, (label, shown["code"], code)
            assert (shown["rows"], shown["code"]) != (before["rows"], before["code"]), label
            more = len(configs) - MAX_ROWS
            assert (f"… and {more} more" in shown["listing"]) == (more > 0), shown["listing"]
            assert not shown["message"], f"{label}: message {shown['message']!r}"
            assert "Traceback" not in shown["page"], f"{label}: a traceback is shown"
    finally:
        cell.locator(".jp-OutputArea").screenshot(path=artifacts / "design-explorer.png")
    errors = {n: e for n, e in enumerate(page.evaluate(ERROR_OUTPUTS)) if e and n not in allowed}
    assert not errors, f"error outputs after the key presses: {errors}"
