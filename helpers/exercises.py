"""Checkable exercises: predict a number (or a shape), then let the notebook check it.

Two ways to answer, for every lesson:

- in code: ``check(answer, expected)`` returns a :class:`Feedback` that shows
  "Correct" or "Not yet" (and a hint), where ``answer = ...`` is the placeholder the
  learner replaces and ``expected`` is computed by :mod:`helpers.arithmetic`,
  :mod:`helpers.reference` or PyTorch in the same cell, never typed in;
- in a widget: ``quiz(question, expected)`` shows a text box and a *Check* button.

Answers compare as numbers (with a tolerance), as sequences or arrays (same shape,
close values; a ``torch.Size`` is a sequence), or as text (case and surrounding spaces
ignored).

Introduced in notebook 01; every lesson's exercises use it.
"""

from __future__ import annotations

import ast
import html
import numbers
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from helpers.validation import check_real, check_str

__all__ = ["Feedback", "check", "is_correct", "parse_answer", "quiz"]

#: What the learner has not replaced yet.
PLACEHOLDERS = (Ellipsis, None)


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer; shows as one line of text (or coloured HTML).

    Attributes
    ----------
    correct : bool or None
        True or False; None while the answer is still the placeholder ``...``.
    message : str
        The line shown to the learner.
    """

    correct: bool | None
    message: str

    def __repr__(self) -> str:
        """Show the message, so that a notebook cell ending in ``check(...)`` prints it."""
        return self.message

    def __bool__(self) -> bool:
        """Be truthy only when correct, so that ``assert check(...)`` works."""
        return bool(self.correct)

    def _repr_html_(self) -> str:
        color = {True: "#38761d", False: "#b45f06", None: "#666666"}[self.correct]
        return f'<span style="color:{color}">{html.escape(self.message)}</span>'


def _as_array(value) -> np.ndarray | None:
    """Return a numeric array for a number, sequence, array or tensor; None for anything else."""
    if isinstance(value, str | bytes | bool):
        return None
    if hasattr(value, "detach"):  # a torch.Tensor, without importing torch
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def is_correct(answer, expected, *, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether ``answer`` matches ``expected``.

    Parameters
    ----------
    answer, expected
        Numbers, sequences (lists, tuples, ``torch.Size``), arrays, tensors, strings or
        booleans.
    rtol, atol : float
        Tolerances for numbers, as in ``numpy.allclose``; each ``>= 0``.

    Returns
    -------
    bool
        Strings: equal ignoring case and surrounding spaces. Booleans: equal, and only to
        booleans. Numbers and sequences: same shape and ``allclose``.

    Raises
    ------
    TypeError, ValueError
        If ``rtol`` or ``atol`` is not a non-negative real number.

    Examples
    --------
    >>> is_correct(3, 3.0), is_correct([1, 2], (1, 2)), is_correct(" Max ", "max")
    (True, True, True)
    >>> is_correct(True, 1), is_correct([1, 2], [1, 2, 3])
    (False, False)
    """
    rtol, atol = check_real("rtol", rtol, minimum=0), check_real("atol", atol, minimum=0)
    if isinstance(expected, str) or isinstance(answer, str):
        return str(answer).strip().lower() == str(expected).strip().lower()
    if isinstance(expected, bool | np.bool_) or isinstance(answer, bool | np.bool_):
        same_kind = isinstance(answer, bool | np.bool_) and isinstance(expected, bool | np.bool_)
        return same_kind and bool(answer) == bool(expected)
    got, want = _as_array(answer), _as_array(expected)
    if got is None or want is None:
        return answer == expected
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def check(answer, expected, *, hint: str | None = None, rtol: float = 1e-6) -> Feedback:
    """Check a learner's answer against the computed one.

    Parameters
    ----------
    answer
        The learner's prediction; ``...`` (or None) means "not answered yet".
    expected
        The right answer, computed in the notebook (by :mod:`helpers.arithmetic`,
        :mod:`helpers.reference` or PyTorch), never typed in.
    hint : str, optional
        Shown after a wrong answer.
    rtol : float, default=1e-6
        Relative tolerance for numbers.

    Returns
    -------
    Feedback
        ``correct`` True/False/None and a one-line ``message``; it is falsy unless
        correct, so ``assert check(...)`` works in a test.

    Raises
    ------
    TypeError, ValueError
        If ``hint`` is not a str (or None), or ``rtol`` not a non-negative number.

    Notes
    -----
    Introduced in notebook 01. A wrong answer does not reveal the expected one: the hint
    points at the formula instead, and the next cell usually computes it.

    Examples
    --------
    >>> check(..., 3)
    Not answered yet: replace ... with your prediction and run the cell again.
    >>> check(3, 3)
    Correct!
    >>> check(4, 3, hint="use the floor")
    Not yet: 4 is not it. Hint: use the floor
    """
    hint = check_str("hint", hint, optional=True)
    rtol = check_real("rtol", rtol, minimum=0)
    if any(answer is placeholder for placeholder in PLACEHOLDERS):
        return Feedback(
            None, "Not answered yet: replace ... with your prediction and run the cell again."
        )
    if is_correct(answer, expected, rtol=rtol):
        return Feedback(True, "Correct!")
    message = f"Not yet: {_short(answer)} is not it."
    if hint:
        message += f" Hint: {hint}"
    return Feedback(False, message)


def _short(value) -> str:
    text = repr(value) if not isinstance(value, numbers.Number) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_answer(text: str):
    """Read what a learner typed: a Python literal if it is one, else the text.

    Parameters
    ----------
    text : str

    Returns
    -------
    object
        ``"3"`` gives 3, ``"(1, 16, 14, 14)"`` a tuple, ``"max"`` the string ``"max"``;
        an empty box gives ``...`` (not answered).

    Examples
    --------
    >>> parse_answer(" 13 "), parse_answer("[1, 2]"), parse_answer("ceil")
    (13, [1, 2], 'ceil')
    """
    text = text.strip()
    if not text:
        return ...
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


class Quiz(widgets.VBox):
    """A question, a text box, a *Check* button and the feedback line.

    Attributes
    ----------
    answer : ipywidgets.Text
    button : ipywidgets.Button
    feedback : ipywidgets.HTML
    """

    def __init__(self, question: str, expected, *, hint: str | None = None):
        question = check_str("question", question)
        self.expected = expected
        self.hint = check_str("hint", hint, optional=True)
        self.answer = widgets.Text(placeholder="your answer", layout=widgets.Layout(width="16em"))
        self.button = widgets.Button(description="Check")
        self.feedback = widgets.HTML()
        self.button.on_click(lambda _: self.submit())
        super().__init__(
            children=[
                widgets.HTML(question),
                widgets.HBox([self.answer, self.button]),
                self.feedback,
            ]
        )

    def __repr__(self) -> str:
        return f"Quiz({self.children[0].value!r})"

    def submit(self) -> Feedback:
        """Check what is in the text box and show the verdict.

        Returns
        -------
        Feedback
        """
        result = check(parse_answer(self.answer.value), self.expected, hint=self.hint)
        self.feedback.value = result._repr_html_()
        return result


def quiz(question: str, expected, *, hint: str | None = None) -> Quiz:
    """Return a small quiz widget: type an answer, press *Check*.

    Parameters
    ----------
    question : str
        HTML of the question.
    expected
        The computed right answer (see :func:`check`).
    hint : str, optional

    Returns
    -------
    Quiz
        An ``ipywidgets.VBox``; ``.submit()`` checks the current text, as the button does.

    Raises
    ------
    TypeError
        If ``question`` is not a str, or ``hint`` not a str or None.

    Notes
    -----
    Introduced in notebook 01.

    Examples
    --------
    >>> q = quiz("Output size of a 3x3 kernel on a 7x7 input?", 5)
    >>> q.answer.value = "5"
    >>> q.submit().correct
    True
    """
    return Quiz(question, expected, hint=hint)
