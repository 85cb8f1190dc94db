"""Lesson 04: its PyTorch errors, exercises and worked examples, checked outside nbval.

nbval only compares stored outputs with fresh ones; a ``raises-exception`` cell would also pass
if it stopped raising. So the errors are reproduced here and compared with the sources' texts
and with what the notebook stores; the exercises' check cells are run with answers found
independently (by PyTorch). Lesson 03's checks are in ``test_lesson_03.py``.
"""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from lesson_checks import (
    assert_exercise_accepts,
    assert_reads_as_a_lesson,
    run_cell,
    setup_namespace,
)
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


def cell_with_id(path, cell_id):
    (cell,) = [cell for cell in read(path).cells if cell.get("id") == cell_id]
    return cell


def cell_defining(path, text):
    matches = [cell.source for cell in code_cells(path) if text in cell.source]
    assert len(matches) == 1, f"{len(matches)} cells of {path.name} contain {text!r}"
    return matches[0]


def error_text(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


# --------------------------------------------------------------------------- raises-exception
def blog_integer_weight():
    transpc = nn.ConvTranspose2d(1, 1, kernel_size=2, stride=1, padding=0, bias=False)
    transpc.weight.data = torch.tensor([[1, -1], [-2, 2]]).reshape(1, 1, 2, 2)


def blog_dtype_mismatch():
    transpc = nn.ConvTranspose2d(1, 1, kernel_size=2, stride=1, padding=0, bias=False)
    transpc.weight.data = torch.tensor([[1, -1], [-2, 2]], dtype=torch.float64).reshape(1, 1, 2, 2)
    transpc(torch.tensor([[80, 111], [85, 105]]).reshape(1, 1, 2, 2))


def test_gan_blog_post_errors_are_unchanged_in_this_torch():
    """The two messages the GAN blog post quotes, word for word (PyTorch 2.14 still prints them)."""
    assert error_text(blog_integer_weight) == (
        "RuntimeError",
        "data set to a tensor that requires gradients must be floating point or complex dtype",
    )
    assert error_text(blog_dtype_mismatch) == (
        "RuntimeError",
        "expected scalar type Long but found Double",
    )


EXPECTED_ERRORS = {
    LESSON_04: [
        blog_integer_weight,
        blog_dtype_mismatch,
        lambda: nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)(
            torch.zeros(1, 1, 3, 3), output_size=(7, 7)
        ),
        lambda: nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=2)(
            torch.zeros(1, 1, 3, 3)
        ),
        lambda: F.conv_transpose2d(
            torch.ones(1, 1, 2, 2), torch.ones(1, 1, 2, 2), stride=2, padding=2
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
    ids=["mnist-notebook-stride1", "mnist-notebook-stride2", "study-notes-fig4.1"],
)
def test_sources_transposed_sizes(i, k, s, p, stated):
    shape = nn.ConvTranspose2d(1, 1, k, s, p)(torch.rand(1, 1, i, i)).shape[-1]
    assert arithmetic.conv_transpose_output_size(i, k, s, p) == shape == stated


def test_study_notes_tensorflow_same_is_stride_times_input():
    """The study notes: TensorFlow's 'same' gives s * i; lesson 04's PyTorch settings match it."""
    namespace = setup_namespace(LESSON_04)
    cell = cell_with_id(LESSON_04, "l04-31")
    assert "same_transposed_padding(k, s)" in cell.source
    run_cell(cell.source, namespace)  # the cell asserts o == s * i for every setting it prints
    for k, s in [(3, 2), (4, 2), (5, 2), (3, 1), (5, 3)]:
        assert torch_same_transposed(k, s) == transposed.same_transposed_padding(k, s)


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


LESSON_04_EXERCISES = {  # exercise cell id -> the answer PyTorch gives, found without our helpers
    "l04-81": lambda: nn.ConvTranspose2d(1, 1, 4, 2, 1)(torch.zeros(1, 1, 16, 16)).shape[-1],
    "l04-83": lambda: torch_output_padding_back_to(10, from_size=5, k=3, s=2, p=1),
    "l04-85": lambda: F.conv_transpose1d(torch.tensor([[[1.0, 2.0]]]), torch.ones(1, 1, 3))[
        0, 0
    ].tolist(),
    "l04-ex6-check": lambda: torch_direct_padding(k=5, s=2, p=1),
}


def test_lesson04_exercises_accept_the_answers_pytorch_gives():
    namespace = setup_namespace(LESSON_04)
    exercises = [c.id for c in code_cells(LESSON_04) if c.source.startswith("answer = ...")]
    assert exercises == list(LESSON_04_EXERCISES)
    for cell_id, pytorch_answer in LESSON_04_EXERCISES.items():
        source = cell_with_id(LESSON_04, cell_id).source
        assert_exercise_accepts(cell_id, source, namespace, pytorch_answer)


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


def test_lesson04_fig41_is_two_paddings():
    """The study notes' 'i=4, k=3, p=2': conv 4 -> 2 with p = 0; its transpose 2 -> 4 has p' = 2."""
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


# --------------------------------------------------------------------------- lesson 04 for learners
def test_lesson04_reads_as_a_lesson():
    """One H1, no skipped heading levels, no workshop words, alt text, short error output."""
    nb = read(LESSON_04)
    assert LESSON_04.stat().st_size < 1_000_000 and len(nb.cells) <= 75
    assert_reads_as_a_lesson(nb.cells)
    assert "checkerboard_explorer" not in "".join(c.source for c in nb.cells)
    assert any("07_decoder_checkerboard.ipynb" in c.source for c in nb.cells)
