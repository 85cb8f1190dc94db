"""The explorers' lines, written once for HTML and for plain text.

An explorer's state carries its formula and values lines twice: as HTML for the widgets and
the stored bundle, and as plain text for the GIF captions and the alt text. Both come from
one builder called with :data:`HTML` or :data:`TEXT` (a :class:`Markup`), so the two never
disagree.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from helpers import drawing
from helpers.arithmetic import SizeResult

__all__ = [
    "HTML",
    "TEXT",
    "Markup",
    "html_table",
    "message_html",
    "rule_message",
    "svg_html",
    "values_html",
]


@dataclass(frozen=True)
class Markup:
    """How a line is written: HTML (``html=True``) or plain text.

    Examples
    --------
    >>> HTML.bold("o = 3"), TEXT.bold("o = 3"), HTML.escape("a < b"), TEXT.escape("a < b")
    ('<b>o = 3</b>', 'o = 3', 'a &lt; b', 'a < b')
    """

    html: bool

    def bold(self, text: str) -> str:
        """``text`` in bold (HTML) or as it is."""
        return f"<b>{text}</b>" if self.html else text

    def escape(self, text: str) -> str:
        """``text`` escaped for HTML, or as it is."""
        return html.escape(text) if self.html else text

    def size(self, size: SizeResult, compact: bool = False) -> str:
        """The formula with numbers and its value (``size.html`` or ``size.text``)."""
        return size.html(compact) if self.html else size.text(compact=compact)


HTML = Markup(html=True)
TEXT = Markup(html=False)


def message_html(message: str) -> str:
    """The broken rule as one warning line (``class="explorer-message"``); "" when none.

    Examples
    --------
    >>> message_html("")
    ''
    >>> message_html("p < 0")
    '<span class="explorer-message" style="color:#b45f06">⚠ p &lt; 0</span>'
    """
    if not message:
        return ""
    return f'<span class="explorer-message" style="color:#b45f06">⚠ {html.escape(message)}</span>'


def values_html(lines) -> str:
    """The values lines in one indented block; "" when there are none."""
    if not lines:
        return ""
    return "<div style='margin-left:1em'>" + "<br>".join(lines) + "</div>"


def svg_html(svg: bytes, width: str) -> str:
    """An SVG picture inline, scaled to the CSS ``width``."""
    body = svg.decode()
    body = body[body.index("<svg") :]
    return (
        f'<div class="explorer-svg" style="width:{width};max-width:100%;line-height:0">'
        "<style>.explorer-svg svg{width:100%;height:auto}</style>"
        f"{body}</div>"
    )


def html_table(values: np.ndarray, current=None, selected=None) -> str:
    """A small HTML table of output values, the current and the selected cells marked.

    Parameters
    ----------
    values : ndarray, shape (rows, cols)
        Values, written with :func:`helpers.drawing.format_value`.
    current, selected : (int, int) or None
        Cell shaded in the kernel colour / outlined in the field colour.

    Returns
    -------
    str
        ``<table>`` HTML, one ``<td>`` per value in raster order.
    """
    rows = []
    for r, row in enumerate(values):
        cells = []
        for c, value in enumerate(row):
            style = "padding:2px 6px;border:1px solid #999;text-align:right;"
            if (r, c) == current:
                style += f"background:{drawing.COLORS['kernel']};"
            if (r, c) == selected:
                style += f"outline:2px solid {drawing.COLORS['field']};"
            cells.append(f'<td style="{style}">{drawing.format_value(value)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table style="border-collapse:collapse">' + "".join(rows) + "</table>"


def rule_message(size: SizeResult, advice: str = "") -> str:
    """One friendly line (plain text) for a combination that :mod:`helpers.arithmetic` refuses.

    Parameters
    ----------
    size : SizeResult
        An impossible result (``size.value is None``).
    advice : str, default=""
        What to change, appended when the output size is the problem.

    Returns
    -------
    str
        The broken rule with its subject, as plain text, e.g. ``"The output size o = −1 must
        be >= 1 (the kernel does not fit in the padded input). Make i or p larger."``.

    Examples
    --------
    >>> from helpers.arithmetic import conv_transpose_size
    >>> rule_message(conv_transpose_size(2, 3, s=1, output_padding=1))
    'output_padding = 1 must be smaller than either the stride s=1 or the dilation d=1.'
    """
    parameter = getattr(size.error, "parameter", None)
    if parameter is None:
        return str(size.error)
    if parameter == "output size":
        text = f"The output size o = {drawing.format_value(size.raw)} {size.rule}."
        text += f" {advice}" if advice else ""
    else:
        text = f"{parameter} = {size.error.value!r} {size.rule}."
    return text
