"""Lesson 03 (dilated convolution): errors, exercises, written-out code and claims, checked.

nbval only compares stored outputs with fresh ones; a ``raises-exception`` cell would also pass
if it stopped raising. So the errors are reproduced here and compared with what the notebook
stores; the exercises' check cells are run with answers found independently (by PyTorch); the
code the lesson writes out (the blog post's 1-D definition, ``fixed_padding``, TensorFlow's
"SAME" rule) is found by cell id and run against PyTorch; and the general statements of the
prose (when "same" padding is asymmetric, TensorFlow's strided padding, receptive fields) are
checked on many cases.
"""

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from lesson_checks import run_cell
from torch import nn

from helpers import arithmetic, mnist, receptive_field
from helpers.exercises import check

LESSON_03 = Path(__file__).resolve().parent.parent / "notebooks" / "03_dilated_convolution.ipynb"
# PyTorch warns that an even effective kernel needs a padded copy of the input
SAME_PADDING_WARNING = "ignore:Using padding='same' with even kernel lengths:UserWarning"


def cells():
    return nbformat.read(LESSON_03, as_version=4).cells


def code_cells():
    return [cell for cell in cells() if cell.cell_type == "code"]


def cell_source(cell_id):
    """The source of the cell with this id (ids are stable; the tests find cells by them)."""
    (source,) = [cell.source for cell in cells() if cell.get("id") == cell_id]
    return source


def lesson_namespace():
    """The names the lesson's setup cell imports and its code cells use."""
    return {
        "arithmetic": arithmetic,
        "check": check,
        "F": F,
        "nn": nn,
        "np": np,
        "receptive_field": receptive_field,
        "torch": torch,
    }


def error_text(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


# --------------------------------------------------------------------------- raises-exception
EXPECTED_ERRORS = [
    lambda: nn.Conv2d(1, 1, kernel_size=3, stride=2, padding="same"),
    lambda: nn.Conv2d(1, 1, kernel_size=3, dilation=3)(torch.zeros(1, 1, 6, 6)),
]


def test_raises_exception_cells_store_the_errors_pytorch_raises():
    stored = []
    for cell in code_cells():
        errors = [out for out in cell.outputs if out.output_type == "error"]
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        assert tagged == bool(errors), f"error output and tag disagree in: {cell.source[:60]}"
        for out in errors:
            assert len(out.traceback) == 1, "the setup cell's %xmode Minimal shows one line"
        stored += [(out.ename, out.evalue) for out in errors]
    assert stored == [error_text(fn) for fn in EXPECTED_ERRORS]


def test_setup_cell_shows_errors_minimally():
    assert code_cells()[0].source.startswith("%xmode Minimal\n")


# --------------------------------------------------------------------------- code in the lesson
def test_dilated_conv1d_definition_matches_torch():
    namespace = lesson_namespace()
    run_cell(cell_source("l03-15"), namespace)
    rng = np.random.default_rng(3)
    for n, k, r in [(10, 3, 1), (10, 3, 2), (10, 3, 3), (7, 3, 2), (12, 4, 3), (5, 1, 4)]:
        x, w = rng.normal(size=n), rng.normal(size=k)
        expected = F.conv1d(torch.tensor(x)[None, None], torch.tensor(w)[None, None], dilation=r)
        got = namespace["dilated_conv1d"](x, w, r)
        np.testing.assert_allclose(got, expected[0, 0].numpy(), atol=1e-12)


@pytest.mark.filterwarnings(SAME_PADDING_WARNING)
def test_fixed_padding_is_same_padding_and_torch_same():
    namespace = lesson_namespace()
    run_cell(cell_source("l03-18"), namespace)
    fixed_padding = namespace["fixed_padding"]
    x = torch.randn(1, 1, 7, 7, dtype=torch.float64)
    for k in range(1, 6):
        for d in range(1, 4):
            before, after = arithmetic.same_padding(k, d)
            assert fixed_padding(k, d) == (before, after, before, after)
            w = torch.randn(1, 1, k, k, dtype=torch.float64)
            same = F.conv2d(x, w, padding="same", dilation=d)
            by_hand = F.conv2d(F.pad(x, fixed_padding(k, d)), w, dilation=d)
            assert torch.allclose(same, by_hand) and same.shape == x.shape


def tf_same_functions():
    namespace = {**lesson_namespace(), "math": __import__("math")}
    run_cell(cell_source("l03-18"), namespace)
    run_cell(cell_source("l03-tf-same-def"), namespace)
    return namespace["tf_same_padding"], namespace["fixed_padding"]


@pytest.mark.parametrize("s", [2, 3])
@pytest.mark.parametrize(("k", "d"), [(3, 1), (5, 1), (3, 2), (7, 1)])
def test_tf_same_and_fixed_padding_give_ceil_i_over_s(k, d, s):
    """TF's strided SAME padding depends on i; fixed_padding does not; both give ceil(i / s)."""
    tf_same, fixed = tf_same_functions()
    w = torch.randn(1, 1, k, k)
    befores = set()
    for i in range(6, 16):
        x = torch.randn(1, 1, i, i)
        for pad in (tf_same(i, k, s, d), fixed(k, d)[:2]):
            o = F.conv2d(F.pad(x, 2 * tuple(pad)), w, stride=s, dilation=d).shape[-1]
            assert o == -(-i // s)
        befores.add(tf_same(i, k, s, d)[0])
    assert len(befores) > 1  # SAME's padding before the input changes with i


def torch_output_count(i, total, k, d):
    """How many outputs PyTorch gives at stride 2 on ``i`` cells padded by ``total`` in all."""
    try:
        out = F.conv1d(torch.zeros(1, 1, i + total), torch.ones(1, 1, k), stride=2, dilation=d)
    except RuntimeError:  # the dilated kernel does not fit
        return None
    return out.shape[-1]


@pytest.mark.parametrize(("k", "d"), [(3, 1), (5, 1), (7, 1), (9, 1), (3, 2), (5, 2), (3, 3)])
def test_tf_same_at_stride_2_pads_n_minus_1_n_for_even_and_n_n_for_odd_inputs(k, d):
    """The lesson's rule for TF's SAME at stride 2 and an odd effective kernel 2n + 1.

    SAME pads the least total that gives ceil(i / 2) outputs (PyTorch counts them): (n - 1, n)
    for even i and (n, n) for odd i.
    """
    tf_same, fixed = tf_same_functions()
    n = arithmetic.effective_kernel_size(k, d) // 2
    for i in range(1, 30):
        counts = [torch_output_count(i, total, k, d) for total in range(4 * n + 2)]
        least = next(t for t, out in enumerate(counts) if out is not None and out == -(-i // 2))
        assert tf_same(i, k, 2, d) == (least // 2, least - least // 2)
        assert tf_same(i, k, 2, d) == ((n - 1, n) if i % 2 == 0 else (n, n))
        if i % 2:
            assert tf_same(i, k, 2, d) == fixed(k, d)[:2]


def torch_same_padding(k, d):
    """The (before, after) that reproduces PyTorch's padding='same', found by trying them."""
    x = torch.randn(1, 1, 9, 9, dtype=torch.float64)
    w = torch.randn(1, 1, k, k, dtype=torch.float64)
    total = d * (k - 1)
    same = F.conv2d(x, w, padding="same", dilation=d)
    for before in range(total + 1):
        padded = F.pad(x, (before, total - before, before, total - before))
        if torch.allclose(F.conv2d(padded, w, dilation=d), same):
            return before, total - before
    raise AssertionError("no padding reproduces padding='same'")


@pytest.mark.filterwarnings(SAME_PADDING_WARNING)
def test_same_padding_is_asymmetric_exactly_for_even_k_and_odd_d():
    for k in range(1, 6):
        for d in range(1, 5):
            before, after = torch_same_padding(k, d)
            assert (before != after) == (k % 2 == 0 and d % 2 == 1), (k, d)
            assert (before, after) == arithmetic.same_padding(k, d)


def test_source_notebook_dilated_example():
    """The source notebook: i=7, k=3, d=2 gives 3, by the formula and by nn.Conv2d."""
    model = nn.Conv2d(1, 1, 3, 1, 0, dilation=2)
    assert arithmetic.conv_output_size(7, 3, d=2) == 3 == model(torch.zeros(1, 1, 7, 7)).shape[-1]


# --------------------------------------------------------------------------- receptive fields
def autograd_field(model, shape):
    """Bounding box (rows, cols) of the input cells the centre output cell depends on."""
    x = torch.ones(1, *shape, requires_grad=True)
    out = model(x)
    out[(0, 0, *(n // 2 for n in out.shape[2:]))].backward()
    nonzero = np.nonzero(x.grad[0, 0].numpy())
    return tuple(int(ax.max() - ax.min()) + 1 for ax in nonzero)


def ones_stack(layers):
    """Conv1d layers (k, s, d) with all-ones weights: every path adds a positive amount."""
    stack = nn.Sequential(*[nn.Conv1d(1, 1, k, s, dilation=d, bias=False) for k, s, d in layers])
    for layer in stack:
        nn.init.ones_(layer.weight)
    return stack


@pytest.mark.parametrize("seed", range(12))
def test_receptive_field_with_strides_is_what_autograd_sees(seed):
    rng = np.random.default_rng(seed)
    layers = [
        (int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 3)))
        for _ in range(int(rng.integers(1, 5)))
    ]
    kernels, strides, dilations = (list(column) for column in zip(*layers, strict=True))
    expected = receptive_field.receptive_field_size(kernels, dilations, strides)
    assert autograd_field(ones_stack(layers), (1, 200)) == (expected,)
    growth = receptive_field.receptive_field_growth(kernels, dilations, strides)
    assert growth[-1] == (expected, int(np.prod(strides)))


def mnist_cnn_body(pool):
    block = [nn.Conv2d(1, 1, 5, padding=2, bias=False), nn.ReLU(), pool(2)]
    block2 = [nn.Conv2d(1, 1, 5, padding=2, bias=False), nn.ReLU(), pool(2)]
    model = nn.Sequential(*block, *block2)
    for layer in model:
        if isinstance(layer, nn.Conv2d):
            nn.init.ones_(layer.weight)
    return model


def test_mnist_cnn_receptive_field_is_16_by_autograd():
    assert receptive_field.model_receptive_field(mnist.seed_cnn()) == (16, 16)
    assert receptive_field.model_receptive_field(mnist_cnn_body(nn.MaxPool2d)) == (16, 16)
    # average pooling has the max pooling's windows, and passes a gradient to all of them
    assert autograd_field(mnist_cnn_body(nn.AvgPool2d), (1, 28, 28)) == (16, 16)
    # max pooling passes it to one cell per window: over random inputs, never outside 16 x 16
    torch.manual_seed(0)
    model, seen = mnist_cnn_body(nn.MaxPool2d), np.zeros((28, 28), bool)
    for _ in range(40):
        x = torch.rand(1, 1, 28, 28, requires_grad=True)
        model(x)[0, 0, 3, 3].backward()
        seen |= x.grad[0, 0].numpy() != 0
    rows, cols = np.nonzero(seen)
    assert rows.max() - rows.min() + 1 <= 16 and cols.max() - cols.min() + 1 <= 16


def test_model_receptive_field_refuses_what_it_cannot_size():
    with pytest.raises(ValueError, match="transposed"):
        receptive_field.model_receptive_field(nn.Sequential(nn.ConvTranspose2d(1, 1, 3)))
    with pytest.raises(TypeError, match="Upsample"):
        receptive_field.model_receptive_field(nn.Sequential(nn.Conv2d(1, 1, 3), nn.Upsample(2)))
    with pytest.raises(ValueError, match="no convolution"):
        receptive_field.model_receptive_field(nn.Sequential(nn.Flatten(), nn.Linear(4, 2)))
    stops = nn.Sequential(nn.Conv2d(1, 1, 3), nn.Flatten(), nn.Linear(4, 2))
    assert receptive_field.model_receptive_field(stops) == (3, 3)


# --------------------------------------------------------------------------- exercises
def torch_dependence_1d(dilations):
    stack = nn.Sequential(*[nn.Conv1d(1, 1, 3, dilation=d, bias=False) for d in dilations])
    for layer in stack:
        nn.init.ones_(layer.weight)
    x = torch.zeros(1, 1, 64, requires_grad=True)
    stack(x)[0, 0, 0].backward()
    return x.grad[0, 0].numpy()


def smallest_fitting_input(k, d):
    for i in range(1, 64):
        try:
            nn.Conv2d(1, 1, k, dilation=d)(torch.zeros(1, 1, i, i))
        except RuntimeError:
            continue
        return i
    raise AssertionError


def lesson_03_answers():
    return [
        smallest_fitting_input(5, 3),  # span of a 5x5 kernel at d=3
        nn.Conv2d(1, 1, 3, dilation=4)(torch.zeros(1, 1, 32, 32)).shape[-1],
        torch_same_padding(4, 2),
        int(np.flatnonzero(torch_dependence_1d([1, 2, 4, 1]))[-1]) + 1,
        int((torch_dependence_1d([2, 2]) != 0).sum()),
        autograd_field(ones_stack([(3, 2, 1), (3, 2, 1), (3, 1, 1)]), (1, 200))[0],
    ]


@pytest.mark.filterwarnings(SAME_PADDING_WARNING)
def test_exercises_accept_the_answers_pytorch_gives():
    answers = lesson_03_answers()  # found by PyTorch, independently of our helpers
    namespace = lesson_namespace()
    exercises = [cell.source for cell in code_cells() if cell.source.startswith("answer = ...")]
    assert len(exercises) == len(answers)
    for source, answer in zip(exercises, answers, strict=True):
        unanswered = run_cell(source, namespace)
        assert unanswered.correct is None
        feedback = run_cell(source.replace("answer = ...", f"answer = {answer!r}", 1), namespace)
        assert feedback.correct is True, (source, answer, feedback)
        wrong = run_cell(source.replace("answer = ...", "answer = -1", 1), namespace)
        assert wrong.correct is False


# --------------------------------------------------------------------------- notebook hygiene
WORKSHOP_WORDS = re.compile(r"seed 00\d|seed_00\d|issue \d+|tests/|test_\w+\.py", re.IGNORECASE)


def test_no_workshop_words():
    for cell in cells():
        assert not WORKSHOP_WORDS.search(cell.source), cell.source[:80]


def test_headings_one_h1_no_skipped_levels_and_link_texts_say_where():
    levels = []
    for cell in cells():
        if cell.cell_type == "markdown":
            levels += [len(m) for m in re.findall(r"^(#+) ", cell.source, flags=re.MULTILINE)]
            assert not re.search(r"\[(here|this|link)\]", cell.source, flags=re.IGNORECASE)
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_notebook_is_small_clean_titled_and_every_figure_has_alt_text():
    assert LESSON_03.stat().st_size < 1_000_000
    titles = [c.source for c in cells() if c.cell_type == "markdown" and c.source.startswith("# ")]
    assert titles and titles[0].startswith("# 03 · ")
    figures = 0
    for cell in code_cells():
        assert all(out.get("name") != "stderr" for out in cell.outputs), cell.source[:60]
        assert "plt.show()" not in cell.source, cell.source[:60]
        if "plt.subplots" in cell.source:
            figures += 1
            assert re.search(r"show\(\s*fig,\s*alt=", cell.source), cell.source[:60]
            (png,) = [out for out in cell.outputs if "image/png" in out.get("data", {})]
            assert png.metadata["image/png"]["alt"].strip(), cell.source[:60]
    assert figures == 5
