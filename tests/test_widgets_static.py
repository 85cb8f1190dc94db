"""Explorers leave a picture where no kernel runs: the display bundle, its alt text, an export.

The bundle must carry the widget view (JupyterLab shows only that), the current picture as
``image/png``, the formula line and the picture as ``text/html`` (nbconvert's HTML export,
nbviewer and VS Code without widgets show that), and the short ``text/plain`` repr. nbval
compares ``text/html``: once ``tests/sanitize.cfg`` has replaced the PNG data it must not
change between runs.
"""

from __future__ import annotations

import base64
import html
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from explorers import FACTORIES, name
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

from helpers import widgets

PNG = b"\x89PNG\r\n\x1a\n"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SANITIZE = Path(__file__).with_name("sanitize.cfg")
INLINE_PNG = re.compile(r'<img[^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def sanitize(text: str) -> str:
    """``text`` after the nbval sanitizer's substitutions (the pairs in tests/sanitize.cfg)."""
    lines = SANITIZE.read_text(encoding="utf-8").splitlines()
    pairs = [
        (a.removeprefix("regex: "), b.removeprefix("replace: "))
        for a, b in zip(lines, lines[1:], strict=False)
        if a.startswith("regex: ") and b.startswith("replace: ")
    ]
    for pattern, replacement in pairs:
        text = re.sub(pattern, replacement, text)
    return text


@pytest.mark.parametrize("factory", FACTORIES, ids=name)
def test_bundle_carries_view_picture_formula_and_repr(factory):
    explorer = factory()
    bundle, metadata = explorer._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.model_id
    assert repr(explorer).startswith(bundle["text/plain"].removesuffix("…"))  # ipywidgets cuts
    png = base64.b64decode(bundle["image/png"])
    assert png[:8] == PNG and png == bytes(explorer.image.value)
    page = bundle["text/html"]
    assert explorer.formula.value in page and explorer.values.value in page
    (inline,) = INLINE_PNG.findall(page)
    assert base64.b64decode(inline) == png
    # the alt text describes the state: the formula with its numbers, in the page and metadata
    alt = metadata["image/png"]["alt"]
    assert alt == explorer.state.alt and explorer.state.caption[0] in alt
    assert f'alt="{html.escape(alt)}"' in page


def test_alt_text_follows_the_state():
    explorer = widgets.conv_explorer(i=5, k=3, s=2, p=1)
    assert "⌊(5 + 2·1 − 3) / 2⌋ + 1 = 3" in explorer.state.alt
    explorer.set(k=7, p=0)
    assert explorer.state.message in explorer.state.alt
    assert "⌊(5 + 2·0 − 7) / 2⌋ + 1 = 0" in explorer.state.alt


def test_bundle_follows_the_sliders_and_the_message():
    explorer = widgets.conv_explorer()
    before, _ = explorer._repr_mimebundle_()
    explorer.set(k=7)  # impossible: a message instead of an output
    after, _ = explorer._repr_mimebundle_()
    assert after["image/png"] != before["image/png"]
    assert 'class="explorer-message"' in after["text/html"]
    assert 'class="explorer-message"' not in before["text/html"]
    assert after["text/plain"].endswith("output_size=None")


def test_html_is_deterministic_once_sanitized():
    first = widgets.transposed_explorer(i=3)._repr_mimebundle_()[0]["text/html"]
    second = widgets.transposed_explorer(i=3)._repr_mimebundle_()[0]["text/html"]
    other = widgets.transposed_explorer(i=3).set(step=1)._repr_mimebundle_()[0]["text/html"]
    assert sanitize(first) == sanitize(second)
    assert INLINE_PNG.findall(sanitize(first)) == ["PNG"]  # the data replaced, the rest kept
    assert sanitize(other) != sanitize(first)  # sanitizing keeps what the learner reads


def test_html_export_of_an_executed_notebook_shows_the_picture(tmp_path):
    """Nbconvert --execute, widget state not stored (as the project stores notebooks), to HTML."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from helpers.widgets import conv_explorer"),
        nbformat.v4.new_code_cell("conv_explorer(i=5, k=3, s=2, p=1)"),
    ]
    ExecutePreprocessor(timeout=300, kernel_name="python3", store_widget_state=False).preprocess(
        notebook, {"metadata": {"path": str(tmp_path)}}
    )
    (output,) = notebook.cells[1].outputs
    assert {WIDGET_VIEW, "image/png", "text/html", "text/plain"} <= set(output["data"])
    page, _ = HTMLExporter().from_notebook_node(notebook)
    shown = INLINE_PNG.findall(page)
    assert len(shown) == 1, "the export shows the picture exactly once"
    assert base64.b64decode(shown[0])[:8] == PNG
    assert '<span class="output-size">3</span>' in page
    assert output["metadata"]["image/png"]["alt"].startswith("o = ⌊(i + 2p − k) / s⌋ + 1")
    (tmp_path / "export.html").write_text(page, encoding="utf-8")


def test_stored_explorer_output_passes_strict_nbval(tmp_path):
    """Executed and stored, then rerun by nbval: the sanitized HTML compares equal."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from helpers.widgets import transposed_explorer"),
        nbformat.v4.new_code_cell("transposed_explorer(i=3, k=2)"),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    ExecutePreprocessor(timeout=300, kernel_name="python3", store_widget_state=False).preprocess(
        notebook, {"metadata": {"path": str(tmp_path)}}
    )
    path = tmp_path / "explorer.ipynb"
    nbformat.write(notebook, path)
    command = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-q"]
    command += ["--nbval-sanitize-with", str(SANITIZE), "-p", "no:cacheprovider", str(path)]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "2 passed" in run.stdout
