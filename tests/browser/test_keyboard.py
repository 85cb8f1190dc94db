"""The convolution explorer by keyboard alone, in JupyterLab: Tab to each control, arrows move it.

A small notebook is generated into the server's folder (a heading and one cell,
``conv_explorer()``; no lesson is run) and run in a fresh JupyterLab workspace. The first
control of the explorer gets the focus -- where a learner arrives by Tab from the page -- and
from there only keys are pressed. Each slider comes with a number box in place of its readout;
for each slider, in order:

- the focused element is the slider's handle. Its accessible name must be the parameter
  ("stride s") if it has one; ipywidgets 8.1 gives the handle none and offers no public way to
  set one (a screen reader hears "slider" and the value), so otherwise the number box beside
  it must have that name, and the handle's visible label must say it too;
- one arrow key changes the slider's value by one step; the number box shows the new value,
  the picture changes, and the formula's output size is what
  :func:`helpers.arithmetic.conv_output_size` gives for the values the boxes now show;
- Tab moves the focus to the number box, whose accessible name (the text of its ``<label>``,
  as Chromium computes it) is the parameter; an arrow key there moves the value back, the
  slider's handle follows (``aria-valuenow``), and the picture and the formula follow again;
- Tab moves the focus on to the next slider without leaving the explorer.

Screenshots after each key go to ``test-artifacts/browser/``. Deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import time

import nbformat
import pytest
from browser_harness import UPDATE_TIMEOUT_S
from lab import notebook_page, reading_controls
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from playwright.sync_api import expect

from helpers.arithmetic import conv_output_size

pytestmark = pytest.mark.browser

RUN_ALL_TIMEOUT_MS = 300_000
#: (visible label, key on the slider, parameter) in the order of the explorer's controls; each
#: key is one step that keeps the configuration valid, and the key on the box steps back.
MOVES = (
    ("input size i", "ArrowRight", "i"),
    ("kernel size k", "ArrowLeft", "k"),
    ("stride s", "ArrowRight", "s"),
    ("padding p", "ArrowRight", "p"),
    ("dilation d", "ArrowRight", "d"),
    ("step (window)", "ArrowRight", None),
    ("cell (receptive field)", "ArrowRight", None),
)
#: The key on a number box that undoes a slider's key.
BACK = {"ArrowRight": "ArrowDown", "ArrowLeft": "ArrowUp"}

#: What the explorer shows: each control (label, number box, accessible name of the box),
#: each slider handle's value, the output size, the picture.
SHOWN = reading_controls("""() => {
    const text = el => (el ? el.textContent.trim() : '');
    const area = document.querySelector('.jp-OutputArea');
    const handles = [...area.querySelectorAll('.widget-gridbox .noUi-handle')];
    const image = area.querySelector('.widget-image');
    return {controls: readControls(area),
            handles: handles.map(h => Number(h.getAttribute('aria-valuenow'))),
            size: text(area.querySelector('.output-size')),
            picture: image ? image.src : ''};
}""")

#: The focused element: its role, the control it belongs to and that control's number box.
FOCUSED = """() => {
    const el = document.activeElement;
    const row = el && el.closest('.widget-gridbox > .jupyter-widgets');
    const box = row && row.querySelector('input[type=number]');
    const label = row && row.querySelector('.widget-slider .widget-label');
    const rows = [...document.querySelectorAll(
        '.jp-OutputArea .widget-gridbox > .jupyter-widgets')];
    return {role: el ? (el.getAttribute('role') || el.type || el.tagName.toLowerCase()) : '',
            isBox: Boolean(box) && el === box,
            row: rows.indexOf(row),
            inExplorer: Boolean(el && el.closest('.jp-OutputArea')),
            visibleLabel: label ? label.textContent.trim() : ''};
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


def _shown_values(shown: dict) -> dict:
    """The parameter values the number boxes show, by parameter name."""
    return {p: int(shown["controls"][i]["value"]) for i, (_, _, p) in enumerate(MOVES) if p}


def _check_follows(page, n: int, before: dict, what: str) -> dict:
    """Wait until control ``n``'s box, its handle, the picture and the formula all follow.

    The picture and the formula are separate messages (the picture first), so the formula is
    waited for too: its output size must become what ``conv_output_size`` gives for the
    values the boxes show.
    """
    after = _wait_for(
        page,
        lambda s, b=before: (
            s["controls"][n]["value"] != b["controls"][n]["value"]
            and s["handles"][n] == int(s["controls"][n]["value"])  # the handle follows the box
            and s["picture"] != b["picture"]
            and _formula_follows(s)
        ),
        what,
    )
    return after


def _formula_follows(shown: dict) -> bool:
    """Whether the formula's output size is the one of the values the boxes show."""
    try:
        return int(shown["size"]) == conv_output_size(**_shown_values(shown))
    except ValueError:  # a box or the size caught between two values
        return False


def test_every_control_by_tab_and_arrow_keys_is_named_and_the_picture_and_formula_follow(
    explorer_page, artifacts
):
    page = explorer_page
    area = page.locator(".jp-OutputArea").first
    shown = page.evaluate(SHOWN)
    assert [c["label"] for c in shown["controls"]] == [label for label, _, _ in MOVES]
    assert all(c["kind"] == "slider" for c in shown["controls"]), shown["controls"]
    assert [c["name"] for c in shown["controls"]] == [label for label, _, _ in MOVES]
    page.locator(".jp-OutputArea .widget-slider [role=slider]").first.focus()
    for n, (label, key, parameter) in enumerate(MOVES):
        where = f"{label!r}"
        if n:  # Tab on from the previous box to this slider, without leaving the explorer
            page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["inExplorer"] and focused["role"] == "slider", (where, focused)
        assert focused["row"] == n and focused["visibleLabel"] == label, (where, focused)
        handle = area.locator(":focus")
        if area.get_by_role("slider", name=label, exact=True).count() == 0:
            # the handle has no accessible name of its own: the box beside it carries it
            box = (
                area.locator(".widget-gridbox > .jupyter-widgets")
                .nth(n)
                .get_by_role("spinbutton", name=label, exact=True)
            )
            expect(box).to_have_count(1)
        else:
            expect(handle).to_have_accessible_name(label)

        before = page.evaluate(SHOWN)
        page.keyboard.press(key)
        _check_follows(page, n, before, f"{key} on the slider {where}")
        page.screenshot(path=artifacts / f"keyboard-{n}-{parameter or 'position'}-slider.png")
        assert page.evaluate(FOCUSED)["role"] == "slider", "the focus stays on the moved slider"

        page.keyboard.press("Tab")  # to the slider's number box
        focused = page.evaluate(FOCUSED)
        assert focused["isBox"] and focused["row"] == n, (where, focused)
        expect(area.locator(":focus")).to_have_accessible_name(label)
        before = page.evaluate(SHOWN)
        page.keyboard.press(BACK[key])
        after = _check_follows(page, n, before, f"{BACK[key]} on the box {where}")
        page.screenshot(path=artifacts / f"keyboard-{n}-{parameter or 'position'}-box.png")
        assert after["controls"][n]["value"] == shown["controls"][n]["value"], "one step back"
        assert page.evaluate(FOCUSED)["isBox"], "the focus stays on the box"
