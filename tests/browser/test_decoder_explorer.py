"""Lesson 07's decoder explorer as a learner uses it: real JupyterLab, keys on its controls.

Notebook 07 is opened in a fresh JupyterLab workspace and run from top to bottom, once per
test run: the general notebook checks (``test_notebooks_in_jupyterlab.py``) look at the same
page (it trains the four decoders on real MNIST: set ``MNIST_ROOT`` as for nbval; the fixtures
pass the environment on to the kernel). Then this test, the only one that touches the
explorer, moves its controls with the keyboard, as a learner would: the test-digit slider (the
trained reconstruction changes), the decoder menu (to the untrained ``k, s`` layer), then the
``k`` and the ``s`` slider. After every move the picture must change, and no traceback may
appear (no error output, no explorer message, no exception in the kernel's redraw). In the
untrained case the picture is deterministic, so the score on screen must equal
:func:`helpers.checkerboard.checkerboard_score`, computed here, of a fresh
``ConvTranspose2d(k, s)`` (seed 0) applied to a constant code, for the ``k`` and ``s`` the
sliders show.

Deselect with ``-m "not browser"``; see ``conftest.py`` for the server and the browser.
"""

from __future__ import annotations

import json
import re
import time

import pytest
import torch
from browser_harness import UPDATE_TIMEOUT_S, on_lesson_pages, raises_exception_cells
from lab import reading_controls
from torch import nn

from helpers.autoencoders import CHANNELS
from helpers.checkerboard import checkerboard_score
from helpers.widgets.decoder import CODE_SIDE, CUSTOM

NOTEBOOK = "07_decoder_checkerboard.ipynb"
pytestmark = [pytest.mark.browser, on_lesson_pages([NOTEBOOK])]

# --------------------------------------------------------------------------- in the page
ERROR_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map(cell =>
    cell.model.type !== 'code' ? [] : cell.model.outputs.toJSON()
        .filter(o => o.output_type === 'error' || (o.output_type === 'stream'
                                                   && o.name === 'stderr'))
        .map(o => o.output_type === 'error' ? o.ename + ': ' + o.evalue : o.text))"""

#: What the explorer shows: the menu, the sliders' numbers, the score, the text, the message.
SHOWN = reading_controls("""cell => {
    const text = el => (el ? el.textContent.trim() : '');
    const sliders = {};
    for (const c of readControls(cell)) {
        if (c.kind === 'slider') { sliders[c.label] = c.value; }
    }
    const select = cell.querySelector('.widget-gridbox select');
    const score = cell.querySelector('.output-size');
    return {decoder: select ? select.value : null, sliders: sliders, score: text(score),
            formula: text(score && (score.closest('.widget-html-content')
                                    || score.parentElement)),
            message: text(cell.querySelector('.explorer-message'))};
}""")

#: Run ``code`` in the notebook's kernel, outside any cell; resolves to what it printed.
KERNEL_PRINT = """async code => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const future = kernel.requestExecute({code: code, silent: false, store_history: false});
    let text = '';
    future.onIOPub = msg => {
        const type = msg.header.msg_type;
        if (type === 'stream') { text += msg.content.text; }
        if (type === 'error') { text += 'ERROR ' + msg.content.ename + ': ' + msg.content.evalue; }
    };
    await future.done;
    return text;
}"""

#: Record every exception the explorer's redraw raises (a callback's traceback goes to the
#: kernel's log, not to the cell, so the test looks for it in the kernel).
WATCH_REDRAW = """
_decoder_redraw_errors = []
_decoder_redraw = explorer.redraw
def _watched_redraw(*args, **kwargs):
    try:
        _decoder_redraw(*args, **kwargs)
    except BaseException as error:
        _decoder_redraw_errors.append(repr(error))
        raise
explorer.redraw = _watched_redraw
print("watching")
"""

REPORT = "import json; print(json.dumps([explorer.params(), _decoder_redraw_errors]))"


def untrained_score(k: int, s: int) -> str:
    """The explorer's untrained case, recomputed: a fresh layer (seed 0), a code of ones."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        layer = nn.ConvTranspose2d(CHANNELS[1], 1, k, stride=s)
    with torch.no_grad():
        image = layer(torch.ones(1, CHANNELS[1], CODE_SIDE, CODE_SIDE))[0, 0]
    return f"{checkerboard_score(image, s):.3f}"


def _errors(page, notebook) -> dict[int, list[str]]:
    allowed = raises_exception_cells(notebook)
    outputs = page.evaluate(ERROR_OUTPUTS)
    return {n: found for n, found in enumerate(outputs) if found and n not in allowed}


def _press(page, cell, control, key: str, done) -> dict:
    """Focus ``control``, press ``key``, wait until the picture changed and ``done(shown)``.

    The browser shows the new menu entry or slider value at once, and the kernel sends the
    new picture before the new text: ``done`` must wait for the text of the new state.
    """
    image = cell.locator("img.widget-image").first
    before = image.screenshot()
    control.focus()
    page.keyboard.press(key)
    deadline = time.monotonic() + UPDATE_TIMEOUT_S
    while True:
        shown = cell.evaluate(SHOWN)
        changed = image.screenshot() != before
        if (changed and done(shown)) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    assert changed, f"{key} on {control}: the picture did not change; shown {shown}"
    assert not shown["message"], f"{key} on {control}: message {shown['message']!r}"
    return shown


def _slider(cell, label: str):
    return cell.locator(".widget-gridbox .widget-slider").filter(has_text=label)


def _untrained_shown(shown) -> bool:
    """Whether the text has caught up with the k and s sliders (it follows the picture)."""
    k, s = shown["sliders"]["kernel size k"], shown["sliders"]["stride s"]
    return f"untrained ConvTranspose2d k={k}, s={s}," in shown["formula"]


def test_keys_change_picture_and_score_as_the_checkerboard_score_says(opened, artifacts):
    page, notebook = opened.page, opened.notebook
    assert not _errors(page, notebook), f"error outputs after Run All: {_errors(page, notebook)}"
    (explorer,) = [c for c in opened.explorers if c.function == "decoder_explorer"]
    cell = opened.cell(explorer.index)
    cell.locator("img.widget-image").first.wait_for(timeout=10_000)
    cell.scroll_into_view_if_needed()
    assert page.evaluate(KERNEL_PRINT, WATCH_REDRAW).strip() == "watching"
    start = cell.evaluate(SHOWN)
    assert start["decoder"] == "uneven" and start["sliders"]["test digit"] == "0", start
    assert re.fullmatch(r"\d\.\d{3}", start["score"]), start
    try:
        # 1. the trained decoder reconstructs the next test digit: new picture and text
        shown = _press(
            page, cell, _slider(cell, "test digit").locator(".noUi-handle"), "ArrowRight",
            lambda s: s["sliders"]["test digit"] == "1" and "test digit 1" in s["formula"],
        )  # fmt: skip
        assert shown["score"] == start["score"], "the constant-code score depends on no digit"
        assert "trained reconstruction of test digit 1" in shown["formula"], shown

        # 2. the menu, by keyboard, to its last entry: one untrained ConvTranspose2d(k, s)
        shown = _press(
            page, cell, cell.locator(".widget-gridbox select"), "End",
            lambda s: s["decoder"] == CUSTOM and _untrained_shown(s),
        )  # fmt: skip
        k, s = int(shown["sliders"]["kernel size k"]), int(shown["sliders"]["stride s"])
        assert shown["score"] == untrained_score(k, s), (k, s, shown)
        assert f"k={k}, s={s}" in shown["formula"], shown

        # 3. then the kernel size and the stride, one arrow key each
        for label, key in (("kernel size k", "ArrowRight"), ("stride s", "ArrowRight")):
            before = shown

            def moved(now, before=before, label=label):
                return now["sliders"][label] != before["sliders"][label] and _untrained_shown(now)

            shown = _press(page, cell, _slider(cell, label).locator(".noUi-handle"), key, moved)
            k, s = int(shown["sliders"]["kernel size k"]), int(shown["sliders"]["stride s"])
            assert int(shown["sliders"][label]) == int(before["sliders"][label]) + 1, shown
            assert shown["score"] == untrained_score(k, s), (label, k, s, shown)
            assert shown["score"] != before["score"], f"{label}: the score did not change"
    finally:
        cell.locator(".jp-OutputArea").screenshot(path=artifacts / "decoder-explorer.png")
    params, redraw_errors = json.loads(page.evaluate(KERNEL_PRINT, REPORT).strip())
    assert not redraw_errors, f"the explorer's redraw raised in the kernel: {redraw_errors}"
    assert params == {"decoder": CUSTOM, "k": k, "s": s, "digit": 1}, params
    assert not _errors(page, notebook), f"error outputs after the keys: {_errors(page, notebook)}"
    output = cell.locator(".jp-OutputArea").inner_text()
    assert "Traceback" not in output and "Error" not in output, output
