"""Lesson 04: its PyTorch errors, exercises and worked examples, checked outside nbval.

nbval only compares stored outputs with fresh ones; a ``raises-exception`` cell would also pass
if it stopped raising. So the errors are reproduced here and compared with the sources' texts
and with what the notebook stores; the exercises' check cells are run with answers found
independently (by PyTorch). Lesson 03's checks are in ``test_lesson_03.py``.
"""

import ast
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import arithmetic, reference, transposed

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSON_04 = NOTEBOOKS / "04_transposed_convolution.ipynb"
# PyTorch warns (once) that an even effective kernel needs a padded copy of the input
SAME_PADDING_WARNING = "ignore:Using padding='same' with even kernel lengths:UserWarning"


def read(path):
    return nbformat.read(path, as_version=4)


def code_cells(path):
    return [cell for cell in read(path).cells if cell.cell_type == "code"]


def run_cell(source, namespace):
    """Execute a cell's source; return the value of its last expression, as IPython shows it."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    return None


def setup_namespace(path):
    """A namespace after the lesson's setup cell (its imports and seeds)."""
    namespace = {}
    run_cell(code_cells(path)[0].source, namespace)
    return namespace


def cell_defining(path, text):
    matches = [cell.source for cell in code_cells(path) if text in cell.source]
    assert len(matches) == 1, f"{len(matches)} cells of {path.name} contain {text!r}"
    return matches[0]


def error_text(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


# --------------------------------------------------------------------------- raises-exception
def seed000_integer_weight():
    transpc = nn.ConvTranspose2d(1, 1, kernel_size=2, stride=1, padding=0, bias=False)
    transpc.weight.data = torch.tensor([[1, -1], [-2, 2]]).reshape(1, 1, 2, 2)


def seed000_dtype_mismatch():
    transpc = nn.ConvTranspose2d(1, 1, kernel_size=2, stride=1, padding=0, bias=False)
    transpc.weight.data = torch.tensor([[1, -1], [-2, 2]], dtype=torch.float64).reshape(1, 1, 2, 2)
    transpc(torch.tensor([[80, 111], [85, 105]]).reshape(1, 1, 2, 2))


def test_seed000_errors_are_unchanged_in_this_torch():
    """The two messages seed 000 quotes, word for word (PyTorch 2.14 still prints them)."""
    assert error_text(seed000_integer_weight) == (
        "RuntimeError",
        "data set to a tensor that requires gradients must be floating point or complex dtype",
    )
    assert error_text(seed000_dtype_mismatch) == (
        "RuntimeError",
        "expected scalar type Long but found Double",
    )


EXPECTED_ERRORS = {
    LESSON_04: [
        seed000_integer_weight,
        seed000_dtype_mismatch,
        lambda: nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)(
            torch.zeros(1, 1, 3, 3), output_size=(7, 7)
        ),
        lambda: F.conv_transpose2d(
            torch.ones(1, 1, 2, 2), torch.ones(1, 1, 2, 2), stride=2, padding=2
        ),
        lambda: nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=2)(
            torch.zeros(1, 1, 3, 3)
        ),
    ],
}


@pytest.mark.parametrize("path", [LESSON_04], ids=lambda p: p.stem)
def test_raises_exception_cells_store_the_errors_pytorch_raises(path):
    stored = []
    for cell in code_cells(path):
        errors = [out for out in cell.outputs if out.output_type == "error"]
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        assert tagged == bool(errors), f"error output and tag disagree in: {cell.source[:60]}"
        stored += [(out.ename, out.evalue) for out in errors]
    assert stored == [error_text(fn) for fn in EXPECTED_ERRORS[path]]


def test_the_text_of_the_output_size_error_lists_conv_input_sizes():
    _, message = error_text(EXPECTED_ERRORS[LESSON_04][2])
    low, high = arithmetic.conv_input_sizes(3, 3, s=2, p=1)
    assert f"valid sizes range from [{low}, {low}] to [{high}, {high}]" in message


# --------------------------------------------------------------------------- seed examples
@pytest.mark.parametrize(
    ("i", "k", "s", "p", "stated"),
    [(2, 3, 1, 0, 4), (2, 3, 2, 0, 5), (2, 3, 1, 0, 4)],
    ids=["seed001-stride1", "seed001-stride2", "seed003-fig4.1"],
)
def test_seed_transposed_sizes(i, k, s, p, stated):
    shape = nn.ConvTranspose2d(1, 1, k, s, p)(torch.rand(1, 1, i, i)).shape[-1]
    assert arithmetic.conv_transpose_output_size(i, k, s, p) == shape == stated


def test_seed003_tensorflow_same_is_stride_times_input():
    """Seed 003: TensorFlow's 'same' gives s * i; lesson 04's PyTorch settings reproduce it."""
    namespace = setup_namespace(LESSON_04)
    run_cell(cell_defining(LESSON_04, "same_transposed_padding(k, s)"), namespace)  # asserts s*i


# --------------------------------------------------------------------------- exercises
def torch_same_transposed(k, s):
    for p in range(k):
        for a in range(s):
            layer = nn.ConvTranspose2d(1, 1, k, s, p, output_padding=a)
            if all(layer(torch.zeros(1, 1, i, i)).shape[-1] == s * i for i in (3, 4, 5)):
                return p, a
    raise AssertionError


def torch_output_padding_back_to(size, from_size, k, s, p):
    for a in range(s):
        layer = nn.ConvTranspose2d(1, 1, k, s, p, output_padding=a)
        if layer(torch.zeros(1, 1, from_size, from_size)).shape[-1] == size:
            return a
    raise AssertionError


def torch_interior_counts(k, s):
    counts = F.conv_transpose1d(torch.ones(1, 1, 20), torch.ones(1, 1, k), stride=s)[0, 0]
    return [int(c) for c in counts[4 * s : 5 * s]]  # one period, far from the edges


def lesson_04_answers():
    return [
        nn.ConvTranspose2d(1, 1, 4, 2, 1)(torch.zeros(1, 1, 16, 16)).shape[-1],
        torch_output_padding_back_to(10, from_size=5, k=3, s=2, p=1),
        F.conv_transpose1d(torch.tensor([[[1.0, 2.0]]]), torch.ones(1, 1, 3))[0, 0].tolist(),
        torch_interior_counts(5, 2),
        torch_same_transposed(5, 2),
        torch_direct_padding(k=5, s=2, p=1),
        nn.ConvTranspose2d(1, 1, 3, stride=1, padding=1, dilation=2, output_padding=1)(
            torch.zeros(1, 1, 5, 5)
        ).shape[-1],
    ]


def torch_direct_padding(k, s, p):
    """The zeros p' around the stretched input that make F.conv2d equal F.conv_transpose2d."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(1, 1, 4, 4, dtype=torch.float64, generator=gen)
    w = torch.randn(1, 1, k, k, dtype=torch.float64, generator=gen)
    stretched = torch.zeros(1, 1, 3 * s + 1, 3 * s + 1, dtype=torch.float64)
    stretched[..., ::s, ::s] = x
    want = F.conv_transpose2d(x, w, stride=s, padding=p)
    for p_prime in range(k):
        got = F.conv2d(F.pad(stretched, (p_prime,) * 4), w.flip(-1, -2))
        if got.shape == want.shape and torch.allclose(got, want):
            return p_prime
    raise AssertionError("no padding of the stretched input gives the transposed convolution")


@pytest.mark.filterwarnings(SAME_PADDING_WARNING)
@pytest.mark.parametrize(
    ("path", "answers"),
    [(LESSON_04, lesson_04_answers)],
    ids=["04"],
)
def test_exercises_accept_the_answers_pytorch_gives(path, answers):
    answers = answers()  # found by PyTorch, independently of our helpers
    namespace = setup_namespace(path)
    exercises = [cell.source for cell in code_cells(path) if cell.source.startswith("answer = ...")]
    assert len(exercises) == len(answers)
    for source, answer in zip(exercises, answers, strict=True):
        unanswered = run_cell(source, namespace)
        assert unanswered.correct is None
        feedback = run_cell(source.replace("answer = ...", f"answer = {answer!r}", 1), namespace)
        assert feedback.correct is True, (source, answer, feedback)
        wrong = run_cell(source.replace("answer = ...", "answer = -1", 1), namespace)
        assert wrong.correct is False


# --------------------------------------------------------------------------- notebook hygiene
@pytest.mark.parametrize("path", [LESSON_04], ids=lambda p: p.stem)
def test_notebook_is_small_clean_and_titled(path):
    nb = read(path)
    assert path.stat().st_size < 1_000_000
    number = path.name[:2]
    titles = [c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("# ")]
    assert titles and titles[0].startswith(f"# {number} · ")
    for cell in code_cells(path):
        assert all(out.get("name") != "stderr" for out in cell.outputs), cell.source[:60]
        if "plt.subplots" in cell.source:
            assert cell.source.rstrip().endswith("plt.show()"), cell.source[:60]


def test_lesson04_fig41_is_two_paddings():
    """Seed 003's 'i=4, k=3, p=2': conv 4 -> 2 with p = 0; its transpose 2 -> 4 has p' = 2."""
    assert nn.Conv2d(1, 1, 3)(torch.zeros(1, 1, 4, 4)).shape[-1] == 2
    assert nn.ConvTranspose2d(1, 1, 3)(torch.zeros(1, 1, 2, 2)).shape[-1] == 4
    assert torch_direct_padding(k=3, s=1, p=0) == 2
    assert nn.ConvTranspose2d(1, 1, 3, padding=2)(torch.zeros(1, 1, 4, 4)).shape[-1] == 2


@pytest.mark.parametrize("d", [2, 3])
def test_output_padding_below_dilation_is_an_allowance_not_a_remainder(d):
    for i in range(2 * d + 1, 12):  # stride 1: the floor drops nothing, no remainder to restore
        assert transposed.matching_output_padding(i, 3, s=1, p=1, d=d) == 0
    for a in range(d):
        layer = nn.ConvTranspose2d(1, 1, 3, stride=1, padding=1, dilation=d, output_padding=a)
        assert layer(torch.zeros(1, 1, 5, 5)).shape[-1] == arithmetic.conv_transpose_output_size(
            5, 3, 1, 1, d, output_padding=a
        )
    with pytest.raises(RuntimeError, match="output padding must be smaller"):
        nn.ConvTranspose2d(1, 1, 3, stride=1, dilation=d, output_padding=d)(torch.zeros(1, 1, 5, 5))


def test_lesson04_gradient_of_a_strided_convolution_is_our_transposed_reference():
    """Lesson 04 shows autograd = F.conv_transpose2d; our reference agrees too (seeded, 3 cases)."""
    rng = np.random.default_rng(0)
    for i, a in ((5, 0), (6, 1)):
        x = torch.tensor(rng.normal(size=(1, 1, i, i)), requires_grad=True)
        w = rng.normal(size=(3, 3))
        g = torch.tensor(rng.normal(size=(1, 1, 3, 3)))
        F.conv2d(x, torch.tensor(w[None, None]), stride=2, padding=1).backward(g)
        ours = reference.conv_transpose2d(
            g[0].numpy(), w[None, None], stride=2, padding=1, output_padding=a
        )
        assert np.allclose(ours, x.grad[0].numpy())
