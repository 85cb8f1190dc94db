"""helpers.exercises: check(), is_correct(), parse_answer() and the quiz widget."""

import ipywidgets
import numpy as np
import pytest
import torch

from helpers.exercises import Feedback, check, is_correct, parse_answer, quiz


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (3, 3),
        (3.0, 3),
        (np.int64(13), 13),
        (0.1 + 0.2, 0.3),
        ([5, 6], [5, 6]),
        ((1, 16, 14, 14), torch.Size([1, 16, 14, 14])),
        (np.array([[80, 111], [85, 123]]), torch.tensor([[80, 111], [85, 123]])),
        (" Max ", "max"),
        (True, True),
    ],
)
def test_right_answers(answer, expected):
    assert is_correct(answer, expected)
    feedback = check(answer, expected)
    assert feedback.correct is True and bool(feedback)
    assert repr(feedback) == "Correct!"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (4, 3),
        (3.01, 3),
        ([5], [5, 6]),
        ([5, 6], [6, 5]),
        ((1, 16, 14), torch.Size([1, 16, 14, 14])),
        ("avg", "max"),
        (1, True),  # a number is not a yes/no answer
        (True, 1),
        ([1, "a"], [1, 2]),
    ],
)
def test_wrong_answers(answer, expected):
    assert not is_correct(answer, expected)
    feedback = check(answer, expected, hint="look at the formula")
    assert feedback.correct is False and not feedback
    assert feedback.message.startswith("Not yet:")
    assert feedback.message.endswith("Hint: look at the formula")
    assert str(expected) not in feedback.message.replace(str(answer), "")  # no spoiler


@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_answered(placeholder):
    feedback = check(placeholder, 3)
    assert feedback.correct is None and not feedback
    assert "Not answered yet" in feedback.message


def test_feedback_html_is_escaped_and_coloured():
    html = Feedback(False, "Not yet: '<b>' is not it.")._repr_html_()
    assert "&lt;b&gt;" in html and "color:" in html


def test_long_answers_are_shortened():
    message = check(list(range(100)), [0]).message
    assert len(message) < 80 and "..." in message


def test_tolerance():
    assert check(1.0000001, 1).correct
    assert not check(1.001, 1).correct
    assert check(1.001, 1, rtol=1e-2).correct


@pytest.mark.parametrize(
    ("text", "value"),
    [(" 13 ", 13), ("2.5", 2.5), ("[5, 6]", [5, 6]), ("(1, 2)", (1, 2)), ("max", "max"), ("", ...)],
)
def test_parse_answer(text, value):
    assert parse_answer(text) == value


def test_quiz_widget_checks_what_was_typed():
    q = quiz("Output size?", 13, hint="floor")
    assert isinstance(q, ipywidgets.VBox)
    assert q.submit().correct is None
    q.answer.value = "12"
    assert q.submit().correct is False
    assert "Hint: floor" in q.feedback.value
    q.answer.value = "13"
    q.button.click()  # the button does the same as submit()
    assert "Correct!" in q.feedback.value
    assert repr(q) == "Quiz('Output size?')"


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        (lambda: check(3, 3, hint=3), TypeError, "hint=3 is invalid: must be a str or None"),
        (lambda: check(3, 3, rtol="1e-6"), TypeError, "rtol='1e-6' is invalid"),
        (lambda: check(3, 3, rtol=-1.0), ValueError, "rtol=-1.0 is invalid: must be >= 0"),
        (lambda: is_correct(3, 3, atol=float("nan")), ValueError, "atol=nan"),
        (lambda: quiz(None, 3), TypeError, "question=None is invalid: must be a str"),
    ],
)
def test_bad_arguments_name_the_parameter(call, error, text):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(text)
