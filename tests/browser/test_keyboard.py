"""The convolution explorer by keyboard alone, in JupyterLab: Tab to each control, arrows move it.

A small notebook is generated into the server's folder (a heading and one cell,
``conv_explorer()``; no lesson is run) and run in a fresh JupyterLab workspace. The first
control of the explorer gets the focus -- where a learner arrives by Tab from the page -- and
from there only keys are pressed. For each slider, in order:

- the focused element is that slider, and the visible label of the slider it belongs to names
  the parameter ("stride s"). (ipywidgets 8.1 gives the slider handle no accessible name of its
  own, and offers no public way to set one, so a screen reader hears only "slider" and the
  value; the label is what a sighted keyboard user reads.)
- one arrow key changes its value by one step;
- the picture changes, and the formula's output size is what
  :func:`helpers.arithmetic.conv_output_size` gives for the values the sliders now show;
- Tab moves the focus on to the next slider without leaving the explorer (a readout that
  takes typing may come between).

Screenshots after each key go to ``test-artifacts/browser/``. Deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import time

import nbformat
import pytest
from browser_harness import UPDATE_TIMEOUT_S
from lab import notebook_page
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers.arithmetic import conv_output_size

pytestmark = pytest.mark.browser

RUN_ALL_TIMEOUT_MS = 300_000
#: Tab presses allowed between one slider and the next (a readout may take one).
MAX_TABS = 3
#: (visible label, key, parameter) in the order of the explorer's controls; each key is one
#: step that keeps the configuration valid (i=6, k=2, s=2, p=1, d=2 gives o=3, so the step
#: and cell sliders can move too).
MOVES = (
    ("input size i", "ArrowRight", "i"),
    ("kernel size k", "ArrowLeft", "k"),
    ("stride s", "ArrowRight", "s"),
    ("padding p", "ArrowRight", "p"),
    ("dilation d", "ArrowRight", "d"),
    ("step (window)", "ArrowRight", None),
    ("cell (receptive field)", "ArrowRight", None),
)

#: What the explorer shows: each slider's label and readout, the output size, the picture.
SHOWN = """() => {
    const text = el => (el ? el.textContent.trim() : '');
    const sliders = [...document.querySelectorAll('.jp-OutputArea .widget-slider')].map(w => ({
        label: text(w.querySelector('.widget-label')),
        value: text(w.querySelector('.widget-readout'))}));
    const size = document.querySelector('.jp-OutputArea .output-size');
    const image = document.querySelector('.jp-OutputArea .widget-image');
    return {sliders, size: text(size), picture: image ? image.src : ''};
}"""

#: The focused element: its role and the visible label of the slider it belongs to.
FOCUSED = """() => {
    const el = document.activeElement;
    const slider = el && el.closest('.widget-slider');
    const label = slider && slider.querySelector('.widget-label');
    return {role: el ? (el.getAttribute('role') || el.tagName.toLowerCase()) : '',
            editable: Boolean(el && el.isContentEditable),
            inExplorer: Boolean(el && el.closest('.jp-OutputArea')),
            label: label ? label.textContent.trim() : ''};
}"""


def _wait_for(page, predicate, what: str) -> dict:
    deadline = time.monotonic() + UPDATE_TIMEOUT_S
    while True:
        shown = page.evaluate(SHOWN)
        if predicate(shown):
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: the explorer still shows {shown}")
        page.wait_for_timeout(200)


@pytest.fixture(scope="module")
def explorer_page(lab_server, browser, artifacts):
    """A generated notebook with one convolution explorer, opened and run."""
    relative = "notebooks/keyboard_conv_explorer.ipynb"
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Convolution explorer by keyboard"),
            new_code_cell("from helpers.widgets import conv_explorer\n\nconv_explorer()"),
        ]
    )
    nbformat.write(notebook, lab_server.root / relative)
    with notebook_page(
        browser, lab_server, relative, "test-keyboard", RUN_ALL_TIMEOUT_MS,
        failure_screenshot=artifacts / "keyboard-run-failure.png",
        viewport={"width": 1280, "height": 1000},
    ) as page:  # fmt: skip
        page.wait_for_selector(".jp-OutputArea .widget-slider [role=slider]", timeout=60_000)
        yield page


def test_every_slider_by_tab_and_arrow_keys_the_picture_and_formula_follow(
    explorer_page, artifacts
):
    page = explorer_page
    shown = page.evaluate(SHOWN)
    assert [s["label"] for s in shown["sliders"]] == [label for label, _, _ in MOVES]
    page.locator(".jp-OutputArea .widget-slider [role=slider]").first.focus()
    for n, (label, key, parameter) in enumerate(MOVES):
        if n:  # Tab on to this slider; any stop on the way must be named too
            for _ in range(MAX_TABS):
                page.keyboard.press("Tab")
                focused = page.evaluate(FOCUSED)
                if focused["role"] == "slider":
                    break
                assert focused["inExplorer"], f"Tab left the explorer before {label!r}"
        focused = page.evaluate(FOCUSED)
        assert focused["role"] == "slider" and focused["label"] == label, focused
        before = page.evaluate(SHOWN)
        page.keyboard.press(key)
        after = _wait_for(
            page,
            lambda s, b=before, i=n: (
                s["sliders"][i]["value"] != b["sliders"][i]["value"]
                and s["picture"] != b["picture"]
            ),
            f"{key} on {label!r}",
        )
        page.screenshot(path=artifacts / f"keyboard-{n}-{parameter or 'position'}.png")
        values = {p: int(after["sliders"][i]["value"]) for i, (_, _, p) in enumerate(MOVES) if p}
        assert int(after["size"]) == conv_output_size(**values), (values, after["size"])
        assert page.evaluate(FOCUSED)["label"] == label, "the focus stays on the moved slider"
