"""HTML pieces the explorers share: the values table and the line naming a broken rule."""

from __future__ import annotations

import html

import numpy as np

from helpers import drawing
from helpers.arithmetic import SizeResult

__all__ = ["html_table", "rule_message"]


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
    """One friendly line (HTML) for a combination that :mod:`helpers.arithmetic` refuses.

    Parameters
    ----------
    size : SizeResult
        An impossible result (``size.value is None``).
    advice : str, default=""
        What to change, appended when the output size is the problem.

    Returns
    -------
    str
        The broken rule with its subject, escaped, e.g. ``"The output size o = −1 must
        be >= 1 (the kernel does not fit in the padded input). Make i or p larger."``.

    Examples
    --------
    >>> from helpers.arithmetic import conv_transpose_size
    >>> rule_message(conv_transpose_size(2, 3, s=1, output_padding=1))
    'output_padding = 1 must be smaller than either the stride s=1 or the dilation d=1.'
    """
    parameter = getattr(size.error, "parameter", None)
    if parameter is None:
        return html.escape(str(size.error))
    if parameter == "output size":
        text = f"The output size o = {drawing.format_value(size.raw)} {size.rule}."
        text += f" {advice}" if advice else ""
    else:
        text = f"{parameter} = {size.error.value!r} {size.rule}."
    return html.escape(text)
