"""Pure helpers of the browser test: which notebooks to open, what to expect, which key to press.

Nothing here starts a process or touches a browser; the fixtures in ``conftest.py`` and the
test module do that. Each helper is unit-tested in ``test_browser_harness.py``.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import pytest
from lab import CHROMIUM_FLAGS, LAB_SETTINGS, workspace_url  # noqa: F401  (used by the tests)

from helpers import arithmetic

#: How every lesson page is opened (``browser.new_context`` options): a HiDPI screen, where the
#: explorers' pictures must be sharp (twice the pixels of their CSS size).
LESSON_PAGE = {"viewport": {"width": 1280, "height": 1000}, "device_scale_factor": 2}

#: A call of an explorer in a code cell, e.g. ``conv_explorer(i=5)``; group 1 is its name.
EXPLORER_CALL = re.compile(r"\b([A-Za-z_]\w*_explorer)\(")
#: Seconds for one key press or slider move to reach the kernel and come back as text and
#: picture.
UPDATE_TIMEOUT_S = 30


class ExplorerCell(NamedTuple):
    """A code cell that calls an explorer: its index among all cells and the function name."""

    index: int
    function: str


def on_lesson_pages(names: Sequence[str]) -> pytest.MarkDecorator:
    """Run a test once on each of these lessons' shared page (``conftest.lesson``).

    Parameters
    ----------
    names : sequence of str
        Notebook file names, e.g. ``["07_decoder_checkerboard.ipynb"]``; each is also a test
        id, without its ``.ipynb``.

    Returns
    -------
    pytest.MarkDecorator
        ``pytest.mark.parametrize("lesson", names, indirect=True, ...)``: the lesson fixture
        receives each name.
    """
    return pytest.mark.parametrize(
        "lesson", list(names), indirect=True, ids=lambda name: Path(name).stem
    )


def read_notebook(path: Path) -> dict:
    """The notebook at ``path`` as plain JSON (no validation: a broken file should fail later)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _source(cell: Mapping) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def explorer_cells(notebook: Mapping) -> list[ExplorerCell]:
    """Code cells that call an explorer, in notebook order.

    Parameters
    ----------
    notebook : mapping
        Notebook JSON (nbformat 4).

    Returns
    -------
    list of ExplorerCell
        One entry per code cell whose source calls ``*_explorer(``; a definition
        (``def x_explorer(``) does not count.
    """
    found = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        calls = [m for m in EXPLORER_CALL.finditer(_source(cell)) if not _is_definition(m)]
        if calls:
            found.append(ExplorerCell(index, calls[0].group(1)))
    return found


def _is_definition(match: re.Match) -> bool:
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    return match.string[line_start : match.start()].strip() == "def"


def explorer_notebooks(folder: Path) -> list[Path]:
    """The notebooks in ``folder`` (not its subfolders) that call an explorer, sorted by name."""
    return [
        path for path in sorted(Path(folder).glob("*.ipynb")) if explorer_cells(read_notebook(path))
    ]


def raises_exception_cells(notebook: Mapping) -> set[int]:
    """Indices of the cells tagged ``raises-exception`` (allowed to show an error)."""
    return {
        index
        for index, cell in enumerate(notebook.get("cells", []))
        if "raises-exception" in cell.get("metadata", {}).get("tags", [])
    }


# --------------------------------------------------------------------------- expected sizes
def weight_shape(c_in: int, c_out: int, k: int, groups: int = 1, layer: str = "Conv2d"):
    """``torch.nn.<layer>(c_in, c_out, k, groups=groups).weight.shape`` as a tuple.

    PyTorch is the oracle for the channels explorer (``helpers.arithmetic`` has no weight
    shapes). The layer is built on the ``meta`` device, so no memory is filled.

    Raises
    ------
    ValueError
        When PyTorch refuses the layer (``groups`` does not divide the channels).
    """
    import torch  # imported here: only the channels explorer needs it

    layer_class = getattr(torch.nn, layer)
    module = layer_class(c_in, c_out, k, groups=groups, bias=False, device="meta")
    return tuple(module.weight.shape)


#: For each explorer, the function that gives its output size from the control values.
ORACLES: dict[str, Callable] = {
    "conv_explorer": arithmetic.conv_output_size,
    "pool_explorer": arithmetic.pool_output_size,
    "transposed_explorer": arithmetic.conv_transpose_output_size,
    "checkerboard_explorer": arithmetic.conv_transpose_output_size,
    "channels_explorer": weight_shape,
}

#: The sliders moved with the keyboard, in this order. Other explorers: their first two sliders.
MOVES: dict[str, tuple[str, ...]] = {
    "conv_explorer": ("s", "p"),
    "pool_explorer": ("s", "p"),
    "transposed_explorer": ("s", "p"),
    "checkerboard_explorer": ("s", "p"),
    # no stride here: more output channels, then more groups (which must divide both counts)
    "channels_explorer": ("c_out", "groups"),
}

#: Explorers whose controls only a test of their own moves, by its module in ``tests/browser``
#: (it moves the sliders the generic test would, and checks more). A lesson's tests share one
#: page, so each explorer is moved by one test alone, from the state that Run All leaves.
DEDICATED: dict[str, str] = {
    "decoder_explorer": "test_decoder_explorer",
    "design_explorer": "test_design_explorer",
}


def expected_output_size(function: str, values: Mapping[str, object]):
    """What the oracle gives for the explorer ``function`` at these control values.

    Parameters
    ----------
    function : str
        Explorer name, a key of :data:`ORACLES`.
    values : mapping
        Control values by parameter name; those the oracle does not take (``step``,
        ``mode``, ...) are ignored.

    Returns
    -------
    int, tuple of int or None
        None when the combination is impossible (the oracle raises ``ValueError``).
    """
    oracle = ORACLES[function]
    accepted = inspect.signature(oracle).parameters
    try:
        return oracle(**{name: value for name, value in values.items() if name in accepted})
    except ValueError:
        return None


def parse_output_size(text: str):
    """The number(s) in an ``output-size`` span: ``"3"`` gives 3, ``"(6, 2, 3, 3)"`` a tuple.

    Raises
    ------
    ValueError
        If the text holds no integer.
    """
    numbers = [int(n) for n in re.findall(r"-?\d+", text.replace("−", "-"))]
    if not numbers:
        raise ValueError(f"output-size text {text!r} is invalid: it holds no integer")
    if len(numbers) == 1 and "(" not in text:
        return numbers[0]
    return tuple(numbers)


def choose_key(
    values: Mapping[str, object],
    name: str,
    low: int,
    high: int,
    size_of: Callable[[Mapping[str, object]], object],
) -> str | None:
    """The arrow key that moves slider ``name`` one step to the most telling place.

    Preference: a possible combination whose output size differs from the current one,
    then any possible combination, then an impossible one (its message is checked then).

    Parameters
    ----------
    values : mapping
        Current control values by name; ``values[name]`` is the slider's value.
    name : str
        The slider to move.
    low, high : int
        The slider's current range (the DOM's ``aria-valuemin`` / ``aria-valuemax``).
    size_of : callable
        Output size for given values, None when impossible.

    Returns
    -------
    {"ArrowRight", "ArrowLeft"} or None
        None when the slider cannot move (``low == high``).
    """
    now = size_of(values)
    ranked = []
    for key, delta in (("ArrowRight", 1), ("ArrowLeft", -1)):
        value = values[name] + delta
        if not low <= value <= high:
            continue
        size = size_of({**values, name: value})
        ranked.append((size is not None and size != now, size is not None, delta > 0, key))
    return max(ranked)[-1] if ranked else None


def screenshot_name(text: str) -> str:
    """A file name for a screenshot of ``text`` (a test id): odd characters become ``_``."""
    return re.sub(r"[^\w.-]+", "_", text).strip("_") + ".png"


def browser_missing_reason(executable: Path, has_playwright: bool) -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    missing = []
    if not Path(executable).is_file():
        missing.append(f"{executable} not found (Debian: apt-get install chromium)")
    if not has_playwright:
        missing.append("the Python package playwright is not installed")
    return "; ".join(missing) or None


def must_not_skip(environ: Mapping[str, str]) -> bool:
    """True under CI (``CI=true``): there a missing browser fails the test instead of skipping."""
    return environ.get("CI", "").lower() == "true"
