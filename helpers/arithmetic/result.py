"""``SizeResult``: one computed output size, with its formula, raw value and broken rule.

:func:`helpers.arithmetic.conv_size`, :func:`~helpers.arithmetic.pool_size` and
:func:`~helpers.arithmetic.conv_transpose_size` return one; explorers, tables and
error messages render it instead of re-deriving the formula. Introduced in notebook 01.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from helpers.arithmetic.formula import render, render_number

__all__ = ["SizeResult"]


@dataclass(frozen=True)
class SizeResult:
    """The output size along one axis, or why there is none.

    Attributes
    ----------
    kind : {"conv", "pool", "transposed"}
        Which formula.
    params : dict
        The validated parameters: ``i, k, s, p, d`` and, for pooling, ``ceil_mode``,
        for the transposed convolution, ``output_padding``.
    raw : int
        The formula's value before the ``>= 1`` check and the ceil-mode correction.
    value : int or None
        The output size; None when the combination is impossible.
    rule : str or None
        The rule the combination breaks, worded for a learner (None when possible).
    error : ValueError or None
        The :class:`helpers.validation.ShapeRuleError` the plain size function raises.
    note : str or None
        Why ``value`` differs from ``raw`` when ceil mode drops a last window.

    Examples
    --------
    >>> from helpers.arithmetic import conv_size
    >>> result = conv_size(5, 3, s=2, p=1)
    >>> result.value, result.raw, result.rule
    (3, 3, None)
    >>> result.text()
    '⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3'
    >>> conv_size(3, 5).rule
    'must be >= 1 (the kernel does not fit in the padded input)'
    """

    kind: str
    params: dict = field(hash=False)
    raw: int
    value: int | None
    rule: str | None = None
    error: ValueError | None = field(default=None, compare=False, repr=False)
    note: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the combination is possible (``value`` is not None)."""
        return self.value is not None

    @property
    def dropped(self) -> bool:
        """Whether ceil mode dropped a last window that would start in the right padding."""
        return self.value is not None and self.value != self.raw

    def _template(self, compact: bool) -> str:
        if self.kind == "transposed":
            return "transposed"
        return "window_undilated" if compact and self.params["d"] == 1 else "window"

    def _render(self, values: dict, style: str, compact: bool) -> str:
        ceil = self.params.get("ceil_mode", False)
        return render(self._template(compact), values, style, ceil=ceil)

    def symbolic(self, style: str = "unicode", compact: bool = False) -> str:
        """Return the formula in letters, e.g. ``⌊(i + 2p − d·(k − 1) − 1) / s⌋ + 1``.

        Parameters
        ----------
        style : {"unicode", "ascii", "html"}, default="unicode"
            See :func:`helpers.arithmetic.formula.render`.
        compact : bool, default=False
            Without dilation (``d = 1``), show ``⌊(i + 2p − k) / s⌋ + 1``.

        Returns
        -------
        str
        """
        letters = {name: name for name in self.params if name != "ceil_mode"}
        return self._render(letters, style, compact)

    def expression(self, style: str = "unicode", compact: bool = False) -> str:
        """Return the formula with the numbers substituted, without its value.

        Parameters
        ----------
        style : {"unicode", "ascii", "html"}, default="unicode"
        compact : bool, default=False
            As for :meth:`symbolic`.

        Returns
        -------
        str
        """
        numbers = {name: value for name, value in self.params.items() if name != "ceil_mode"}
        return self._render(numbers, style, compact)

    def text(self, style: str = "unicode", compact: bool = False) -> str:
        """Return the formula with numbers, then ``=`` and its value.

        Parameters
        ----------
        style : {"unicode", "ascii"}, default="unicode"
        compact : bool, default=False
            As for :meth:`symbolic`.

        Returns
        -------
        str
            E.g. ``⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3``. When ceil mode drops
            the last window: ``... = 3 − 1 = 2``. When impossible the text ends with
            the raw value (``= −1``).

        Examples
        --------
        >>> from helpers.arithmetic import pool_size
        >>> pool_size(5, 2, s=2, ceil_mode=True).text(compact=True)
        '⌈(5 + 2·0 − 2) / 2⌉ + 1 = 3'
        >>> pool_size(5, 2, s=2, p=1, ceil_mode=True).text("ascii", compact=True)
        'ceil((5 + 2*1 - 2) / 2) + 1 = 4 - 1 = 3'
        """
        return " = ".join(self._steps(style, compact))

    def _steps(self, style: str, compact: bool) -> list[str]:
        steps = [self.expression(style, compact), render_number(self.raw, style)]
        if self.dropped:
            minus = "-" if style == "ascii" else "−"
            steps[-1] += f" {minus} {self.raw - self.value}"
            steps.append(render_number(self.value, style))
        return steps

    def html(self, compact: bool = False) -> str:
        """Return the formula with numbers as HTML, its value in ``<span class="output-size">``.

        Parameters
        ----------
        compact : bool, default=False
            As for :meth:`symbolic`.

        Returns
        -------
        str
            :meth:`text`, escaped, the last number wrapped in
            ``<span class="output-size">``; the class is ``"output-size impossible"``
            when there is no output.

        Examples
        --------
        >>> from helpers.arithmetic import conv_size
        >>> conv_size(5, 3).html(compact=True)
        '⌊(5 + 2·0 − 3) / 1⌋ + 1 = <span class="output-size">3</span>'
        """
        *steps, last = (html.escape(step) for step in self._steps("unicode", compact))
        css = "output-size" if self.ok else "output-size impossible"
        return " = ".join([*steps, f'<span class="{css}">{last}</span>'])
