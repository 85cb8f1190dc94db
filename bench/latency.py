"""End-to-end slider latency of the explorers, as a learner feels it in JupyterLab.

Usage::

    python bench/latency.py                  # every explorer, 30 presses each (a few minutes)
    python bench/latency.py --quick          # 10 presses each, shorter drags
    python bench/latency.py --presses 60     # more presses: a steadier median
    python bench/latency.py --helpers DIR    # measure the helpers package in DIR/helpers
    python bench/latency.py --only conv_explorer pool_explorer

For every ``*_explorer`` function of :mod:`helpers.widgets` (the decoder explorer with its
untrained layer, whose sliders are live), at its default settings and at its largest possible
settings, a generated notebook of that explorer alone (its settings between two floors, below)
is opened in a fresh page of a sandboxed JupyterLab (``tests/browser/lab.py``, with
JupyterLab's default windowing, as a learner has it) in headless Chromium and:

- the first live slider is walked with the arrow keys from one end of its range to the
  other and back, 30 presses (10 with ``--quick``, N with ``--presses N``), 60 ms after each
  picture (a brisk learner). Each press is
  timed from the ``keydown`` event to the first animation frame after the new picture is
  decoded (``img.decode()``), all in the page (``performance.now()``); the arrival of the
  picture's WebSocket message splits the time into the kernel's part (message, redraw,
  message back) and the browser's (load, decode, next frame). A press that leaves the
  picture the same (no new picture is sent) is counted, not timed;
- the same slider is dragged with the mouse across its whole range; the time from releasing
  it to the last picture, and the pictures that arrive after the release (a backlog of stale
  frames), are recorded;
- the picture's PNG size (bytes), its pixel width and its CSS width are recorded, with the
  CPU time of the Python side of a redraw (control change to PNG, in this process), with
  the explorer's memory off (a picture drawn) and on (a picture remembered).

The first row, "ipywidgets Image / floor", is no explorer: a bare slider whose observer swaps
two ready PNGs into a bare ``ipywidgets.Image``; "ipywidgets HTML (SVG) / floor" swaps two
ready inline SVGs (text kept as text) in a bare ``ipywidgets.HTML``: what the widget round
trip and the browser cost with no drawing at all, on this machine, in this page. Each explorer
has a page of its own, as a learner opens one lesson, with the floors measured right before it
and right after it ("floor, end"); each row's ``vs_png_floor`` is its median over the mean of
those two PNG floor medians, and ``vs_run_png_floor`` its median over the median of every PNG
floor press of the run (the steadier reference: a floor's median moves by a frame between
walks). The first walk in a page is slower: one untimed walk of the first floor comes first in
every page. ``--picture svg`` (or ``both``,
the default) measures the explorers with ``explorer.show_as("svg")``: the picture as inline
SVG in an ``HTML`` widget instead of a PNG in an ``Image``. Each explorer is
measured with its memory (:mod:`helpers.widgets.memory`) on and, as "memory off", with every
picture drawn (``--memory on`` or ``off`` measures one way only).

To compare with an older version, unpack it and point ``--helpers`` at it, e.g.
``git archive 815d49f | tar -x -C /tmp/before && python bench/latency.py --helpers /tmp/before
--output bench/results/latency-before.json``.

Targets: median <= 40 ms and p95 <= 60 ms per explorer and setting; the drag's last picture
within 200 ms of the release. Results are printed and written to
``bench/results/latency.json`` with the machine's load average: on a busy machine the
numbers are pessimistic, so rerun this on a quiet one.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import inspect
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
TARGETS = {"median_ms": 40.0, "p95_ms": 60.0, "drag_release_ms": 200.0}
VIEWPORT = {"width": 1280, "height": 1000}
#: Milliseconds to wait for one picture, and for the kernel and all cells.
PICTURE_TIMEOUT_MS = 20_000
RUN_TIMEOUT_MS = 300_000
#: A drag is over when no picture arrived for this long (milliseconds).
QUIET_MS = 1_500


def load_module(name: str, path: Path):
    """Import the file ``path`` as module ``name`` (the browser test's lab machinery)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


LAB = load_module("lab", ROOT / "tests" / "browser" / "lab.py")

# --------------------------------------------------------------------------- the notebook
#: Imports ``helpers`` from the folder HELPERS (or the installed one when it is empty).
IMPORT_HELPERS = """\
import importlib.util, inspect, sys, time
HELPERS = {helpers!r}
if HELPERS:
    folder = HELPERS + "/helpers"
    spec = importlib.util.spec_from_file_location(
        "helpers", folder + "/__init__.py", submodule_search_locations=[folder]
    )
    sys.modules["helpers"] = module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
from helpers import widgets
"""

FORGET = '''\
def forget(explorer):
    """The explorer without its memory (if it has one): every picture drawn anew, none ahead."""
    if hasattr(explorer, "memory"):
        from helpers.widgets.memory import PictureMemory

        explorer.memory = PictureMemory(0)
    return explorer
'''

#: The floor: a bare ipywidgets slider and Image, the observer swapping two ready PNGs (the
#: conv explorer's, i = 5 and 6). What the widget round trip and the browser cost by themselves.
FLOOR = """\
import ipywidgets
if "_pngs" not in globals():  # made once: every floor cell swaps the same two pictures
    _explorer = widgets.conv_explorer()
    _pngs = [bytes(_explorer.image.value)]
    _explorer.controls["i"].value = 6
    _pngs.append(bytes(_explorer.image.value))
_slider = ipywidgets.IntSlider(value=5, min=1, max=12)
_image = ipywidgets.Image(value=_pngs[0], format="png", layout=_explorer.image.layout)
_slider.observe(
    lambda change, image=_image, pngs=_pngs: setattr(image, "value", pngs[change["new"] % 2 == 0]),
    "value",
)  # bound now: a later floor cell reuses these names
ipywidgets.VBox([ipywidgets.GridBox([_slider]), _image])
"""
FLOOR_CASE = ("ipywidgets Image", "floor")

#: The SVG floor: the same slider swapping two ready inline SVGs (the conv explorer's, text
#: kept as text) in a bare ``ipywidgets.HTML``.
FLOOR_SVG = """\
import ipywidgets
if "_svgs" not in globals():  # made once: every floor cell swaps the same two pictures
    _svg_explorer = widgets.conv_explorer().show_as("svg")
    _svgs = [_svg_explorer.image.value]
    _svg_explorer.controls["i"].value = 6
    _svgs.append(_svg_explorer.image.value)
_svg_slider = ipywidgets.IntSlider(value=5, min=1, max=12)
_svg_image = ipywidgets.HTML(value=_svgs[0])
_svg_slider.observe(
    lambda change, image=_svg_image, svgs=_svgs: setattr(
        image, "value", svgs[change["new"] % 2 == 0]
    ),
    "value",
)  # bound now: a later floor cell reuses these names
ipywidgets.VBox([ipywidgets.GridBox([_svg_slider]), _svg_image])
"""
FLOOR_SVG_CASE = ("ipywidgets HTML (SVG)", "floor")
#: Each floor is measured right before and right after every explorer (a page slows down).
FLOORS = {
    FLOOR_CASE: FLOOR,
    FLOOR_SVG_CASE: FLOOR_SVG,
    ("ipywidgets Image", "floor, end"): FLOOR,
    ("ipywidgets HTML (SVG)", "floor, end"): FLOOR_SVG,
}
#: A setting's suffix when the explorer's memory is off (every picture drawn).
MEMORY_OFF = ", memory off"
#: A setting's suffix when the explorer shows its picture as inline SVG.
SVG = ", svg"


def parse_setting(setting: str) -> tuple[str, bool]:
    """The sizes and whether memory is on: ``"largest, memory off"`` -> ``("largest", False)``."""
    setting = setting.removesuffix(SVG)
    return setting.removesuffix(MEMORY_OFF), not setting.endswith(MEMORY_OFF)


LARGEST = '''\
def largest(explorer):
    """Every int slider but the position ones as high as it goes while there is an output."""
    for name, control in explorer.controls.items():
        value = getattr(control, "value", None)
        slider = hasattr(control, "max") and isinstance(value, int) and not isinstance(value, bool)
        if name in ("step", "cell") or not slider or control.disabled:
            continue
        for candidate in range(control.max, control.min - 1, -1):
            explorer.set(**{name: candidate})
            if not explorer.message.value:
                break
    return explorer
'''


#: Arguments that make an explorer's sliders live: the decoder explorer's k and s move only
#: for its untrained layer (its digit slider needs lesson 07's trained models).
ARGUMENTS = {"decoder_explorer": "decoder=widgets.decoder.CUSTOM"}


def explorer_call(name: str) -> str:
    """The code that builds explorer ``name`` with live sliders: ``widgets.conv_explorer()``."""
    return f"widgets.{name}({ARGUMENTS.get(name, '')})"


def live_slider(explorer):
    """The first enabled slider of ``explorer`` with more than one value (what the bench moves)."""
    return next(
        control
        for control in explorer.controls.values()
        if hasattr(control, "max") and control.max > control.min and not control.disabled
    )


def explorer_names(helpers_dir: str) -> list[str]:
    """Every public ``*_explorer`` function of ``helpers.widgets`` (of ``helpers_dir`` if set)."""
    namespace: dict = {}
    exec(IMPORT_HELPERS.format(helpers=helpers_dir), namespace)  # our own code
    widgets = namespace["widgets"]
    return sorted(
        name
        for name, fn in inspect.getmembers(widgets, inspect.isfunction)
        if name.endswith("_explorer") and not name.startswith("_")
    )


def write_notebook(path: Path, cases: list[tuple[str, str]], helpers_dir: str) -> None:
    """A notebook at ``path``: the imports, then the floor or an explorer per case, a cell each."""
    import nbformat

    setup = IMPORT_HELPERS.format(helpers=helpers_dir) + LARGEST + FORGET
    cells = [nbformat.v4.new_code_cell(setup)]
    for name, setting in cases:
        if (name, setting) in FLOORS:
            cells.append(nbformat.v4.new_code_cell(FLOORS[name, setting]))
            continue
        sizes, remember = parse_setting(setting)
        call = explorer_call(name)
        if setting.endswith(SVG):
            call += '.show_as("svg")'
        call = call if remember else f"forget({call})"
        cells.append(nbformat.v4.new_code_cell(call if sizes == "default" else f"largest({call})"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)


def python_side(name: str, setting: str, helpers_dir: str, repeats: int) -> dict:
    """PNG bytes and the CPU time of a redraw (first live slider one step and back).

    Measured in this process twice: with the explorer's memory off (every picture drawn,
    ``python_redraw_cpu_ms``) and on (the two pictures remembered after the first round,
    ``python_remembered_cpu_ms``).
    """
    namespace: dict = {}
    exec(IMPORT_HELPERS.format(helpers=helpers_dir) + LARGEST + FORGET, namespace)
    sizes, _ = parse_setting(setting)
    report = {}
    for label, remember in (("python_redraw_cpu_ms", False), ("python_remembered_cpu_ms", True)):
        explorer = eval(explorer_call(name), namespace)  # our own code
        if not remember:
            namespace["forget"](explorer)
        if sizes == "largest":
            namespace["largest"](explorer)
        slider = live_slider(explorer)
        step = -1 if slider.value == slider.max else 1
        values = [slider.value, slider.value + step]
        png_sizes, times = [], []
        for n in range(repeats + 2):
            start = time.process_time()  # CPU time: less disturbed by other work on the machine
            slider.value = values[(n + 1) % 2]
            times.append(time.process_time() - start)
            png_sizes.append(len(bytes(explorer.image.value)))
        report[label] = statistics.median(times[2:]) * 1e3
    report["png_bytes_median"] = int(statistics.median(png_sizes))
    report["png_bytes_max"] = max(png_sizes)
    return report


# --------------------------------------------------------------------------- in the page
INSTALL = """cell => {
    let img = cell.querySelector('img.widget-image');
    const state = {events: [], down: null, up: null};
    if (img) {
      img.addEventListener('load', () => {
        const loaded = performance.now();
        img.decode().catch(() => null).then(() => requestAnimationFrame(() => {
            state.events.push({loaded: loaded, shown: performance.now(),
                               natural: img.naturalWidth,
                               css: img.getBoundingClientRect().width});
        }));
      });
    } else {  // an inline SVG in an HTML widget: a new picture replaces its content
      const box = cell.querySelector('svg').closest('.widget-html-content');
      img = {naturalWidth: 0, getBoundingClientRect: () => box.getBoundingClientRect()};
      new MutationObserver(() => {
        const loaded = performance.now();
        requestAnimationFrame(() => {
            state.events.push({loaded: loaded, shown: performance.now(), natural: 0,
                               css: box.getBoundingClientRect().width});
        });
      }).observe(box, {childList: true});
    }
    // the formula, message and values change only when the kernel answers
    const texts = new MutationObserver(() => { state.text = performance.now(); });
    cell.querySelectorAll('.widget-html').forEach(el => texts.observe(
        el, {subtree: true, childList: true, characterData: true}));
    state.text = null;
    cell.addEventListener('keydown', () => { state.down = performance.now(); }, true);
    window.addEventListener('pointerup', () => { state.up = performance.now(); }, true);
    window.__latency = state;
    return {natural: img.naturalWidth, css: img.getBoundingClientRect().width};
}"""

#: The first enabled slider's track and handle (a disabled slider's track has ``disabled``).
LIVE_TRACK = ".widget-gridbox .noUi-target:not([disabled])"
LIVE_HANDLE = f"{LIVE_TRACK} .noUi-handle"

#: Before the page loads: the time and size of every message the kernel's WebSocket receives,
#: so a press splits into the part before its picture arrives and the part in the browser.
WEBSOCKET_LOG = """(() => {
    const Native = window.WebSocket;
    window.__received = [];
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', event => window.__received.push({
                t: performance.now(), n: event.data.byteLength || event.data.size
                    || event.data.length || 0}));
        }
    };
})();"""

COUNT = "() => window.__latency.events.length"
#: The last press, its picture and when the largest message after the press (the picture's)
#: arrived.
LAST = """() => {
    const s = window.__latency;
    const event = s.events[s.events.length - 1];
    const after = window.__received.filter(m => m.t >= s.down && (!event || m.t <= event.shown));
    const picture = after.reduce((a, b) => (b.n > a.n ? b : a), {t: null, n: -1});
    window.__received = [];
    return {down: s.down, event: event, arrived: picture.t};
}"""
DRAG_EVENTS = "() => ({up: window.__latency.up, events: window.__latency.events})"


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile, linearly interpolated (as numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def handle_range(handle) -> tuple[int, int, int]:
    """The slider's value, min and max from its ARIA attributes."""
    return tuple(
        int(float(handle.get_attribute(a)))
        for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax")
    )


def walk(value: int, low: int, high: int, presses: int) -> list[str]:
    """Arrow keys that walk a slider from ``value`` to one end of its range, then to the other.

    Examples
    --------
    >>> walk(2, 1, 3, 5)
    ['ArrowRight', 'ArrowLeft', 'ArrowLeft', 'ArrowRight', 'ArrowRight']
    """
    keys, step = [], -1 if value == high else 1
    for _ in range(presses):
        if not low <= value + step <= high:
            step = -step
        value += step
        keys.append("ArrowRight" if step > 0 else "ArrowLeft")
    return keys


#: A press is answered when its picture is shown, or (the same picture: no new image is sent)
#: when the text changed and no picture followed within this many milliseconds.
SAME_PICTURE_MS = 1_000
ANSWERED = """([count, quiet]) => {
    const s = window.__latency;
    return s.events.length > count
        || (s.text !== null && s.text > s.down && performance.now() - s.text > quiet);
}"""


def press_series(page, cell, presses: int, warmup: int = 3) -> tuple[list[float], list[float], int]:
    """Arrow-key presses walking the first live slider end to end.

    Returns the latency of each press that changed the picture (ms), when its picture's
    message arrived in the browser (ms after the press), and how many presses left the
    picture the same (e.g. "no configuration" for neighbouring sizes).
    """
    handle = cell.locator(LIVE_HANDLE).first
    keys = walk(*handle_range(handle), warmup + presses)
    handle.focus()
    latencies, arrivals, unchanged = [], [], 0
    for n, key in enumerate(keys):
        count = page.evaluate(COUNT)
        page.keyboard.press(key)
        page.wait_for_function(ANSWERED, arg=[count, SAME_PICTURE_MS], timeout=PICTURE_TIMEOUT_MS)
        last = page.evaluate(LAST)
        if n < warmup:
            pass
        elif page.evaluate(COUNT) == count:
            unchanged += 1
        else:
            latencies.append(last["event"]["shown"] - last["down"])
            if last["arrived"] is not None:
                arrivals.append(last["arrived"] - last["down"])
        page.wait_for_timeout(60)  # the formula and the values follow the picture
    return latencies, arrivals, unchanged


def drag(page, cell, steps: int, step_ms: int) -> dict:
    """Drag the first slider from its left end to its right end; what arrives after release."""
    handle = cell.locator(LIVE_HANDLE).first
    track = cell.locator(LIVE_TRACK).first
    handle.scroll_into_view_if_needed()
    box, grip = track.bounding_box(), handle.bounding_box()
    y = grip["y"] + grip["height"] / 2
    left, right = box["x"] + 1, box["x"] + box["width"] - 1
    page.mouse.move(grip["x"] + grip["width"] / 2, y)
    page.mouse.down()
    for n in range(steps + 1):
        page.mouse.move(left + (right - left) * n / steps, y)
        page.wait_for_timeout(step_ms)
    before = page.evaluate(COUNT)
    page.mouse.up()
    quiet_since, seen = time.monotonic(), before
    while time.monotonic() - quiet_since < QUIET_MS / 1e3:
        page.wait_for_timeout(100)
        now = page.evaluate(COUNT)
        if now != seen:
            seen, quiet_since = now, time.monotonic()
    record = page.evaluate(DRAG_EVENTS)
    after = [e for e in record["events"] if e["loaded"] > record["up"]]
    value, _, high = handle_range(handle)
    return {
        "pictures_during_drag": before,
        "pictures_after_release": len(after),
        "release_to_last_ms": (after[-1]["shown"] - record["up"]) if after else 0.0,
        "reached_max": value == high,
    }


# --------------------------------------------------------------------------- the run
def measure_cell(page, cell, presses: int, drag_steps: int) -> dict:
    """Key presses and a drag on the explorer in ``cell``: latencies, widths, the drag."""
    cell.locator("img.widget-image, .widget-html-content svg").first.wait_for(
        timeout=PICTURE_TIMEOUT_MS
    )
    cell.scroll_into_view_if_needed()
    sizes = cell.evaluate(INSTALL)
    latencies, arrivals, unchanged = press_series(page, cell, presses)
    if not latencies:
        return {"error": f"none of {unchanged} presses changed the picture"}
    arrived = statistics.median(arrivals) if arrivals else None
    return {
        "presses": len(latencies),
        "presses_same_picture": unchanged,
        "median_ms": statistics.median(latencies),
        # the median press: its picture arrives, then the browser loads, decodes and shows it
        "picture_arrives_median_ms": arrived,
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies),
        "latencies_ms": [round(t, 1) for t in latencies],
        "natural_width_px": sizes["natural"],
        "css_width_px": sizes["css"],
        "drag": drag(page, cell, drag_steps, step_ms=25),
    }


def measure(groups, helpers_dir: str, presses: int, drag_steps: int, scale: float) -> list[dict]:
    """Open each group of cases as a notebook of its own in JupyterLab and measure its cells.

    Each group (one explorer's settings, with the floor right before and right after it) is a
    fresh notebook in a fresh page, as a learner opens one lesson, so an explorer is compared
    with floors measured in the same page, not with a page that other explorers filled. A group
    whose page cannot be opened or run gives an error row for each of its cases; the others are
    still measured.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="latency-") as tmp:
        tmp = Path(tmp)
        # JupyterLab's default windowing, as a learner has it: cells out of view are skipped
        env = LAB.sandbox_environment(tmp / "sandbox", windowing_mode="contentVisibility")
        root = tmp / "root"
        root.mkdir()
        token = os.urandom(16).hex()
        process, base_url = LAB.start_lab(root, token, env, tmp / "lab.log")
        try:
            with sync_playwright() as driver:
                browser = LAB.launch_chromium(driver, CHROMIUM, env)
                for number, group in enumerate(groups, 1):
                    notebook = f"latency-{number}.ipynb"
                    write_notebook(root / notebook, group, helpers_dir)
                    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=scale)
                    context.add_init_script(WEBSOCKET_LOG)
                    try:
                        rows += measure_page(
                            context.new_page(), base_url, token, notebook, group, number,
                            presses, drag_steps,
                        )  # fmt: skip
                    except PlaywrightError as error:  # this page failed; measure the others
                        first_line = str(error).splitlines()[0]
                        rows += [
                            {"explorer": name, "setting": setting, "group": number,
                             "error": first_line}
                            for name, setting in group
                        ]  # fmt: skip
                    finally:
                        context.close()
                browser.close()
        finally:
            LAB.stop_lab(process, base_url, token)
    return rows


def measure_page(page, base_url, token, notebook, group, number, presses, drag_steps):
    """Run one group's notebook in ``page``, then walk each of its cells; one row a case.

    The notebook's kernel is shut down afterwards, whatever happened.
    """
    from playwright.sync_api import Error as PlaywrightError

    try:
        LAB.open_and_run(page, base_url, token, notebook, f"latency-{number}", RUN_TIMEOUT_MS)
        cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
        try:  # one untimed walk of the first case: the first walk in a page is slower
            measure_cell(page, cells.nth(1), presses, drag_steps)
        except PlaywrightError as error:
            print(f"  the untimed first walk failed: {error}", flush=True)
        rows = []
        for index, (name, setting) in enumerate(group, start=1):
            try:
                row = measure_cell(page, cells.nth(index), presses, drag_steps)
            except PlaywrightError as error:  # one explorer failing does not stop the rest
                row = {"error": str(error).splitlines()[0]}
            row = {"explorer": name, "setting": setting, "group": number, **row}
            print(f"  {row}", flush=True)
            rows.append(row)
        return rows
    finally:
        with contextlib.suppress(PlaywrightError):
            page.evaluate(LAB.SHUT_DOWN_KERNEL)


def add_floor_ratios(rows: list[dict]) -> None:
    """Compare each measured row with the PNG floor of its own page and with the run's.

    ``png_floor_ms`` is the mean of the PNG floor medians measured in the row's group (right
    before and right after its explorer) and ``vs_png_floor`` the row's median over it;
    ``run_png_floor_ms`` is the median of every PNG floor press of the run (all pages) and
    ``vs_run_png_floor`` the row's median over that.
    """
    floors = [r for r in rows if r["explorer"] == FLOOR_CASE[0] and "median_ms" in r]
    presses = [ms for r in floors for ms in r.get("latencies_ms", [])]
    for row in rows:
        if "median_ms" not in row:
            continue
        floor = [r["median_ms"] for r in floors if r["group"] == row["group"]]
        if floor:
            row["png_floor_ms"] = round(statistics.mean(floor), 1)
            row["vs_png_floor"] = round(row["median_ms"] / statistics.mean(floor), 2)
        if presses:
            row["run_png_floor_ms"] = round(statistics.median(presses), 1)
            row["vs_run_png_floor"] = round(row["median_ms"] / statistics.median(presses), 2)


def print_rows(rows: list[dict]) -> None:
    """The report's rows as a table: latency, drag, arrival, widths, PNG bytes, Python time."""
    print(
        f"\n{'explorer':22} {'setting':19} {'median':>7} {'p95':>7} {'drag':>7} "
        f"{'after':>5} {'arrive':>6} {'px/CSS':>8} {'PNG B':>7} {'cpu ms':>6} {'hit ms':>6} "
        f"{'floor':>6} {'vs':>5} {'run':>5} met"
    )
    for r in rows:
        if "error" in r:
            print(f"{r['explorer']:22} {r['setting']:19} failed: {r['error']}")
            continue
        print(
            f"{r['explorer']:22} {r['setting']:19} {r['median_ms']:7.1f} {r['p95_ms']:7.1f} "
            f"{r['drag']['release_to_last_ms']:7.1f} {r['drag']['pictures_after_release']:5d} "
            f"{r['picture_arrives_median_ms'] or float('nan'):6.1f} "
            f"{r['natural_width_px']:>4}/{round(r['css_width_px']):<3} "
            f"{r.get('png_bytes_median', 0):7d} {r.get('python_redraw_cpu_ms', 0):6.1f} "
            f"{r.get('python_remembered_cpu_ms', 0):6.1f} {r.get('png_floor_ms', 0):6.1f} "
            f"{r.get('vs_png_floor', 0):5.2f} {r.get('vs_run_png_floor', 0):5.2f} "
            f"{'yes' if r['met'] else 'NO'}"
        )


def positive_int(text: str) -> int:
    """``argparse`` type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv: list[str] | None = None) -> dict:
    """Measure, print the table, write the JSON report; return the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 presses each, shorter drags")
    parser.add_argument(
        "--presses",
        type=positive_int,
        default=None,
        metavar="N",
        help="presses per walk (default 30, 10 with --quick)",
    )
    parser.add_argument("--only", nargs="+", metavar="EXPLORER", help="e.g. conv_explorer")
    parser.add_argument("--helpers", default="", metavar="DIR", help="import DIR/helpers")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio")
    parser.add_argument(
        "--memory",
        choices=["both", "on", "off"],
        default="both",
        help="explorers with their memory on, off (every picture drawn), or each both ways",
    )
    parser.add_argument(
        "--picture",
        choices=["both", "png", "svg"],
        default="both",
        help="the picture as a PNG Image, as inline SVG, or each both ways (and both floors)",
    )
    parser.add_argument("--label", default="", help="a name for this run in the JSON")
    parser.add_argument("--output", type=Path, default=RESULTS / "latency.json")
    args = parser.parse_args(argv)
    helpers_dir = str(Path(args.helpers).resolve()) if args.helpers else ""
    names = args.only or explorer_names(helpers_dir)
    suffixes = {"both": ["", MEMORY_OFF], "on": [""], "off": [MEMORY_OFF]}[args.memory]
    settings = [sizes + suffix for suffix in suffixes for sizes in ("default", "largest")]
    pictures = {"both": ["", SVG], "png": [""], "svg": [SVG]}[args.picture]
    settings = [setting + picture for picture in pictures for setting in settings]
    floors = [FLOOR_CASE] * ("" in pictures) + [FLOOR_SVG_CASE] * (SVG in pictures)
    ends = [(name, "floor, end") for name, _ in floors]
    groups = [[*floors, *((name, setting) for setting in settings), *ends] for name in names]
    cases = [case for group in groups for case in group]
    presses = args.presses if args.presses is not None else (10 if args.quick else 30)
    load_before = os.getloadavg()
    started = time.time()
    print(f"measuring {len(cases)} explorer settings, {presses} presses each", flush=True)
    drag_steps = 15 if args.quick else 40
    rows = measure(groups, helpers_dir, presses, drag_steps, args.scale)
    for row in rows:
        if "error" in row:
            row["met"] = False
            continue
        if (row["explorer"], row["setting"]) not in FLOORS and SVG not in row["setting"]:
            row.update(python_side(row["explorer"], row["setting"], helpers_dir, repeats=10))
        row["met"] = (
            row["median_ms"] <= TARGETS["median_ms"]
            and row["p95_ms"] <= TARGETS["p95_ms"]
            and row["drag"]["release_to_last_ms"] <= TARGETS["drag_release_ms"]
        )
    add_floor_ratios(rows)
    report = {
        "label": args.label,
        "quick": args.quick,
        "presses": presses,
        "helpers": helpers_dir or "installed",
        "device_scale_factor": args.scale,
        "memory": args.memory,
        "targets": TARGETS,
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "seconds": round(time.time() - started, 1),
        },
        "rows": rows,
    }
    print_rows(rows)
    print(f"load average before {load_before}, after {report['machine']['load_average_after']}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.output}")
    return report


if __name__ == "__main__":
    main()
