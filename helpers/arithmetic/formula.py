"""The output-size formulas as text: one template each, rendered in three styles.

Every formula the lessons show (in an error message, an explorer's formula line, a
table of layer sizes) is rendered here from one template, so that the text always
matches what :mod:`helpers.arithmetic.sizes` computes:

- ``"unicode"`` -- ``⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1``, for widgets and tables;
- ``"ascii"`` -- ``floor((5 + 2*1 - 1*(3 - 1) - 1) / 2) + 1``, for error messages;
- ``"html"`` -- the Unicode text, HTML-escaped.

Introduced in notebook 01.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from helpers.validation import check_choice

__all__ = ["STYLES", "TEMPLATES", "render", "render_number"]

#: One template per formula, in Unicode, with ``{name}`` for each parameter and
#: ``{lo}``/``{hi}`` for the floor (or ceiling) brackets.
TEMPLATES = {
    "window": "{lo}({i} + 2·{p} − {d}·({k} − 1) − 1) / {s}{hi} + 1",
    "window_undilated": "{lo}({i} + 2·{p} − {k}) / {s}{hi} + 1",
    "transposed": "({i} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {output_padding} + 1",
    "stretched": "({i} − 1)·{s} + 1",
    "equivalent_padding": "{d}·({k} − 1) − {p}",
    "stride_one": "{i} − {d}·({k} − 1)",
    "conv_weight": "({c_out}, {c_in}/{groups}, {k}, {k})",
    "conv_transpose_weight": "({c_in}, {c_out}/{groups}, {k}, {k})",
    "conv_params": "{k}·{k}·({c_in}/{groups})·{c_out} + {c_out}",
    "conv_transpose_params": "{k}·{k}·{c_in}·({c_out}/{groups}) + {c_out}",
}

#: The rendering styles.
STYLES = ("unicode", "ascii", "html")

_ASCII = str.maketrans({"·": "*", "−": "-", "⌊": "floor(", "⌋": ")", "⌈": "ceil(", "⌉": ")"})
_BRACKETS = {False: ("⌊", "⌋"), True: ("⌈", "⌉")}


def render(
    template: str, values: Mapping[str, object], style: str = "unicode", ceil: bool = False
) -> str:
    """Fill a template of :data:`TEMPLATES` with numbers (or letters) in one style.

    Parameters
    ----------
    template : str
        A key of :data:`TEMPLATES`.
    values : mapping
        The value of every parameter the template names: ints for the formula with
        numbers, the parameters' own names for the formula in letters.
    style : {"unicode", "ascii", "html"}, default="unicode"
        See the module docstring.
    ceil : bool, default=False
        Round up (``⌈ ⌉``, ``ceil(...)``) instead of down.

    Returns
    -------
    str
        The formula. In letters, a number times a letter is written without the dot
        (``2p``), as in the lessons' prose.

    Raises
    ------
    ValueError
        For an unknown template or style.

    Examples
    --------
    >>> render("window", dict(i=5, k=3, s=2, p=1, d=1))
    '⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1'
    >>> render("window", dict(i=5, k=3, s=2, p=1, d=1), "ascii", ceil=True)
    'ceil((5 + 2*1 - 1*(3 - 1) - 1) / 2) + 1'
    >>> render("window_undilated", dict(i="i", k="k", s="s", p="p"))
    '⌊(i + 2p − k) / s⌋ + 1'
    """
    check_choice("template", template, sorted(TEMPLATES))
    check_choice("style", style, STYLES)
    lo, hi = _BRACKETS[bool(ceil)]
    shown = {name: render_number(value) for name, value in values.items()}
    text = TEMPLATES[template].format(lo=lo, hi=hi, **shown)
    if style == "ascii":
        return text.translate(_ASCII)
    text = re.sub(r"(\d)·([a-z])", r"\1\2", text)
    return html.escape(text) if style == "html" else text


def render_number(value, style: str = "unicode") -> str:
    """Return an int as the formulas show it: a true minus sign ``−`` except in ASCII.

    Parameters
    ----------
    value : int or str
        A number, or a letter (returned unchanged).
    style : {"unicode", "ascii", "html"}, default="unicode"

    Returns
    -------
    str

    Examples
    --------
    >>> render_number(-1), render_number(-1, "ascii"), render_number("k")
    ('−1', '-1', 'k')
    """
    text = str(value)
    return text if style == "ascii" else text.replace("-", "−")
