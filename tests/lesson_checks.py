"""What the lesson tests share: a cell's code run outside Jupyter, and a lesson's reading checks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat

#: Words of the workshop that wrote the lessons, which a learner never saw.
WORKSHOP_WORDS = re.compile(r"seed 00\d|seed00\d|issue \d|tests/|test_\w+\.py", re.IGNORECASE)


def run_cell(source: str, namespace: dict):
    """Execute a cell's source; return the value of its last expression, as IPython shows it."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    return None


def setup_namespace(path: Path) -> dict:
    """A namespace after the lesson's setup cell (its imports and seeds; IPython magics skipped)."""
    cells = nbformat.read(path, as_version=4).cells
    source = next(cell.source for cell in cells if cell.cell_type == "code")
    namespace = {}
    run_cell("\n".join(line for line in source.splitlines() if not line.startswith("%")), namespace)
    return namespace


def assert_reads_as_a_lesson(cells) -> None:
    """One H1, no skipped heading levels, no workshop words, alt text, short error output.

    Also: no link text "here" or "this", nothing on stderr, no ``plt.show()`` (a picture is
    shown with its alt text instead).
    """
    levels = [
        len(line) - len(line.lstrip("#"))
        for cell in cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("#")
    ]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    for cell in cells:
        assert not WORKSHOP_WORDS.search(cell.source), cell.source[:80]
        assert not re.search(r"\[(here|this)\]", cell.source, re.IGNORECASE), cell.source[:80]
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr", cell.source[:60]
            if "image/png" in out.get("data", {}) and "_explorer(" not in cell.source:
                assert out.metadata["image/png"]["alt"].strip(), cell.source[:60]
            if out.output_type == "error":
                assert len(out.traceback) == 1, cell.source[:60]  # %xmode Minimal: no internals
        if cell.cell_type == "code":
            assert "plt.show()" not in cell.source, cell.source[:60]


def exercise_feedback_and_expected(source: str, namespace: dict):
    """Run an exercise cell as the learner first meets it; return its feedback and its expected.

    The cell starts with ``answer = ...`` and ends with ``check(answer, expected, ...)``; the
    expected value is the second argument of that call, evaluated after the cell ran.
    """
    tree = ast.parse(source)
    first, last = tree.body[0], tree.body[-1]
    assert isinstance(first, ast.Assign) and [t.id for t in first.targets] == ["answer"]
    assert isinstance(first.value, ast.Constant) and first.value.value is Ellipsis
    call = last.value
    assert isinstance(call, ast.Call) and call.func.id == "check" and call.args[0].id == "answer"
    feedback = run_cell(source, namespace)
    expected = eval(compile(ast.Expression(call.args[1]), "<cell>", "eval"), namespace)
    return feedback, expected


def assert_exercise_accepts(cell_id: str, source: str, namespace: dict, pytorch_answer) -> None:
    """The exercise says "not answered yet"; its expected value accepts PyTorch's answer only.

    ``pytorch_answer()`` is called after the cell ran, and must be accepted by the lesson's
    ``check`` (from ``namespace``); a wrong answer, -1, must be refused.
    """
    unanswered, expected = exercise_feedback_and_expected(source, namespace)
    assert unanswered.correct is None, cell_id
    answer = pytorch_answer()
    check = namespace["check"]
    assert check(answer, expected).correct is True, (cell_id, answer, expected)
    assert check(-1, expected).correct is False, cell_id
