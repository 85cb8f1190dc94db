"""``ShapeReport``: what :func:`helpers.shapes.explain_shape_error` found, printable anywhere.

It prints as plain text (``print``, ``str``, IPython's pretty printer) and as HTML in a
notebook. Introduced in notebook 08.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from helpers.shapes.table import ShapeTable

__all__ = ["ShapeReport", "dims"]

_CODE = re.compile(r"`([^`]+)`")


def _html(text: str) -> str:
    """Escape ``text`` for HTML; the names written in backticks become ``<code>``."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


def dims(shape: tuple[int, ...]) -> str:
    """Write a shape without its batch axis as a learner does: ``32×7×7``."""
    return "×".join(map(str, shape))


@dataclass(frozen=True)
class ShapeReport:
    """Whether a model runs on an input, and if not, where, why and what to change.

    Attributes
    ----------
    input_shape : tuple of int
        The input tried, batch axis excluded.
    runs : bool
        True when the forward pass went through.
    headline : str
        One sentence: the layer, what reached it and what it needed (or that it runs).
    layer : str or None
        Dotted name of the layer (or of the module whose ``forward`` ran the failing
        operation); None when the model runs.
    kind : str or None
        Its class name, or the operation (``"torch.cat"``).
    arrived : tuple of tuple of int
        The shapes that reached it, batch axis excluded.
    needed : str
        What it needed, in words.
    why : tuple of str
        The arithmetic behind both, one step per line.
    fix : str
        A suggested change.
    sizes_that_run : tuple of int
        The sizes ``s`` on which the model runs when ``s`` replaces every spatial axis of
        the input, ascending (tried, not guessed: every size up to a bound).
    sizes_line : str
        Which sizes run and which were tried: ``"runs from 63×63 (tried: every size from
        1×1 to 80×80)"``; ``""`` when the model runs or nothing was tried.
    error : str
        PyTorch's error as ``"RuntimeError: message"`` (first line); ``""`` when it runs.
    table : ShapeTable
        The layers that ran (before the failure); printed only when the model runs, as
        ``why`` holds the formulas of a failing run.
    output_shapes : tuple of tuple of int
        What the model returned, batch axis excluded (when it runs).
    """

    input_shape: tuple[int, ...]
    runs: bool
    headline: str
    layer: str | None = None
    kind: str | None = None
    arrived: tuple[tuple[int, ...], ...] = ()
    needed: str = ""
    why: tuple[str, ...] = ()
    fix: str = ""
    sizes_that_run: tuple[int, ...] = ()
    sizes_line: str = ""
    error: str = ""
    table: ShapeTable | None = None
    output_shapes: tuple[tuple[int, ...], ...] = ()

    def _sections(self) -> list[tuple[str, str | list[str]]]:
        """(label, text or lines) in print order; empty ones left out."""
        sections = []
        if not self.runs:
            sections.append(("Layer", f"{self.layer} ({self.kind})"))
            sections.append(("Arrived", ", ".join(dims(s) for s in self.arrived)))
            sections.append(("Needed", self.needed))
            sections.append(("Why", list(self.why)))
            sections.append(("Fix", self.fix))
            sections.append(("Inputs that run", self.sizes_line))
            sections.append(("PyTorch said", self.error))
        if self.runs and self.table is not None:
            sections.append(("Layers that ran", self.table.lines()))
        return [(label, text) for label, text in sections if text]

    def __str__(self) -> str:
        """Return the report as plain text, one section per line."""
        lines = [self.headline]
        for label, text in self._sections():
            if isinstance(text, list):
                lines.append(f"{label}:")
                lines.extend(f"  {line}" for line in text)
            else:
                lines.append(f"{label}: {text}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        """Return the plain text, as :meth:`__str__`."""
        return str(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        """Return the report as HTML: the headline, then one definition per section."""
        color = "#38761d" if self.runs else "#b45f06"
        parts = [f'<p style="color:{color}"><b>{_html(self.headline)}</b></p><dl>']
        for label, text in self._sections():
            parts.append(f"<dt><b>{html.escape(label)}</b></dt>")
            if isinstance(text, list) and label.startswith("Layers"):
                parts.append(f"<dd><pre>{html.escape(chr(10).join(text))}</pre></dd>")
            elif isinstance(text, list):
                items = "".join(f"<li>{_html(line)}</li>" for line in text)
                parts.append(f"<dd><ul>{items}</ul></dd>")
            else:
                parts.append(f"<dd>{_html(text)}</dd>")
        parts.append("</dl>")
        return '<div class="shape-report">' + "".join(parts) + "</div>"
