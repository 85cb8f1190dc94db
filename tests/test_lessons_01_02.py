"""What notebooks 01 and 02 claim, checked outside the notebooks.

- the error cells (tagged ``raises-exception``) raise exactly the errors their text describes,
  and the stored error text is what PyTorch / helpers.arithmetic say today;
- every exercise's expected answer agrees with PyTorch;
- the sources' printed numbers (the source notebook's torchsummary tables, the blog post's
  max pooling) are reproduced;
- the general statements (the floor's unread cells, log_softmax over one channel, noise,
  translation) hold beyond the one seeded example the notebook shows;
- the notebooks' shape: one H1, figures with alt text, short error output, no workshop words.
"""

import contextlib
import io
import itertools
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchsummary import summary

from helpers import arithmetic, reference

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSON_01 = NOTEBOOKS / "01_convolution_arithmetic.ipynb"
LESSON_02 = NOTEBOOKS / "02_pooling.ipynb"


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def cell_source(path, cell_id):
    """The source of the cell with this id (ids are stable; the tests find cells by them)."""
    cells = nbformat.read(path, as_version=4).cells
    (source,) = [cell.source for cell in cells if cell.get("id") == cell_id]
    return source


def summary_text(model, input_size):
    """What ``torchsummary.summary`` prints, on the CPU."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        summary(model, input_size, device="cpu")
    return out.getvalue()


def table_rows(text):
    """The layer rows of a torchsummary table, whitespace-normalised."""
    return [" ".join(line.split()) for line in text.splitlines() if re.match(r"\s+\w+-\d+ ", line)]


# --------------------------------------------------------------------------- error cells
ERROR_CELLS = {
    # source of the cell: (exception type, text it must contain)
    "nn.Conv2d(1, 1, kernel_size=5)(torch.zeros(1, 1, 3, 3))": (
        RuntimeError,
        "Kernel size can't be greater than actual input size",
    ),
    "arithmetic.conv_output_size(3, 5)": (
        ValueError,
        "the kernel does not fit in the padded input",
    ),
    "nn.MaxPool2d(kernel_size=2, padding=2)(torch.zeros(1, 1, 4, 4))": (
        RuntimeError,
        "pad should be at most half of effective kernel size",
    ),
    "arithmetic.pool_output_size(4, 2, p=2)": (
        ValueError,
        "pooling padding must be at most half the kernel size",
    ),
}


def error_cells():
    for path in (LESSON_01, LESSON_02):
        for cell in code_cells(path):
            if "raises-exception" in cell.metadata.get("tags", []):
                yield path.name, cell


def test_error_cells_are_exactly_the_known_ones():
    assert sorted(cell.source.strip() for _, cell in error_cells()) == sorted(ERROR_CELLS)


@pytest.mark.parametrize("source", sorted(ERROR_CELLS))
def test_error_cell_raises_the_stated_error(source):
    error_type, text = ERROR_CELLS[source]
    with pytest.raises(error_type, match=re.escape(text)) as caught:
        eval(source, {"nn": nn, "torch": torch, "arithmetic": arithmetic})
    stored = [
        output
        for _, cell in error_cells()
        if cell.source.strip() == source
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert len(stored) == 1
    assert stored[0].ename == type(caught.value).__name__  # ValueError or a subclass of it
    assert stored[0].evalue == str(caught.value)


def test_only_error_cells_have_errors():
    for path in (LESSON_01, LESSON_02):
        for cell in code_cells(path):
            has_error = any(o.output_type == "error" for o in cell.outputs)
            assert has_error == ("raises-exception" in cell.metadata.get("tags", [])), cell.source


# --------------------------------------------------------------------------- exercises
def torch_conv_size(i, k, s=1, p=0):
    return nn.Conv2d(1, 1, k, s, p)(torch.zeros(1, 1, i, i)).shape[-1]


def torch_pool_size(i, k, s=None, p=0, ceil_mode=False):
    return nn.MaxPool2d(k, s, p, ceil_mode=ceil_mode)(torch.zeros(1, 1, i, i)).shape[-1]


def mnist_cnn_flat_features(side):
    body = nn.Sequential(
        nn.Conv2d(1, 16, 5, 1, 2), nn.MaxPool2d(2), nn.Conv2d(16, 32, 5, 1, 2), nn.MaxPool2d(2)
    )
    return body(torch.zeros(1, 1, side, side)).flatten(1).shape[1]


EXERCISES = [
    # (notebook, expression the notebook checks against, the same answer from PyTorch)
    (LESSON_01, "arithmetic.conv_output_size(7, 3, s=2, p=0)", lambda: torch_conv_size(7, 3, 2)),
    (
        LESSON_01,
        "arithmetic.conv_output_size(224, 7, s=2, p=3)",
        lambda: torch_conv_size(224, 7, 2, 3),
    ),
    (
        LESSON_01,
        "arithmetic.same_padding(5)[0]",
        lambda: next(p for p in range(5) if torch_conv_size(6, 5, 1, p) == 6),
    ),
    (
        LESSON_01,
        "sum(t.numel() for t in nn.Conv2d(3, 16, kernel_size=5).parameters())",
        lambda: 5 * 5 * 3 * 16 + 16,
    ),
    (
        LESSON_01,
        "arithmetic.conv_input_sizes(4, 3, s=3)",
        lambda: [i for i in range(1, 30) if i >= 3 and torch_conv_size(i, 3, 3) == 4],
    ),
    (
        LESSON_01,
        "arithmetic.conv_output_size(10, 4, s=3, p=1)",
        lambda: torch_conv_size(10, 4, 3, 1),
    ),
    (LESSON_02, "arithmetic.pool_output_size(55, 3, s=2)", lambda: torch_pool_size(55, 3, 2)),
    (
        LESSON_02,
        "arithmetic.pool_output_size(7, 2, ceil_mode=True)",
        lambda: torch_pool_size(7, 2, ceil_mode=True),
    ),
    (
        LESSON_02,
        "arithmetic.pool_output_size(7, 2, s=2, p=1, ceil_mode=True)",
        lambda: torch_pool_size(7, 2, 2, 1, ceil_mode=True),
    ),
    (
        LESSON_02,
        "tuple(nn.AdaptiveAvgPool2d(1)(torch.zeros(1, 64, 9, 9)).shape)",
        lambda: tuple(torch.zeros(1, 64, 9, 9).mean(dim=(2, 3), keepdim=True).shape),
    ),
]
# Exercises whose expression needs the notebook's own variables: the notebook checks against
# the expression, and the test named beside it finds the same answer independently.
NOTEBOOK_EXERCISES = [
    (
        LESSON_02,
        "max(p for p in range(6) if accepted(p))",
        "test_padding_exercise_limit_is_pytorch_s",
    ),
    (LESSON_02, "cnn.conv2[0].out_channels * side * side", "test_cifar_exercise_answer"),
    (LESSON_02, "min(rms, key=rms.get)", "test_pepper_exercise_answer"),
]


def notebook_sources(path):
    return "\n".join(cell.source for cell in code_cells(path))


@pytest.mark.parametrize(("path", "expression", "from_torch"), EXERCISES)
def test_exercise_answers_agree_with_pytorch(path, expression, from_torch):
    assert expression in notebook_sources(path)  # the notebook checks against this expression
    namespace = {"arithmetic": arithmetic, "nn": nn, "torch": torch}
    assert eval(expression, namespace) == from_torch()


@pytest.mark.parametrize(("path", "expression", "test_name"), NOTEBOOK_EXERCISES)
def test_notebook_exercises_are_in_the_notebook_and_tested(path, expression, test_name):
    assert expression in notebook_sources(path)
    assert callable(globals().get(test_name)), f"no test {test_name} proves this answer"


def test_padding_exercise_limit_is_pytorch_s():
    def runs(p):
        try:
            nn.MaxPool2d(5, padding=p)(torch.zeros(1, 1, 8, 8))
        except RuntimeError:
            return False
        return True

    assert max(p for p in range(6) if runs(p)) == 5 // 2


def test_cifar_exercise_answer():
    side = arithmetic.pool_output_size(arithmetic.pool_output_size(32, 2), 2)
    assert 32 * side * side == mnist_cnn_flat_features(32) == 2048


def test_pepper_exercise_answer():
    # the notebook's images come from default_rng(0), drawn in this order
    errors = noise_errors(0)
    assert min(("max", "avg"), key=lambda name: errors["pepper", name]) == "max"


def test_every_exercise_cell_is_listed():
    for path in (LESSON_01, LESSON_02):
        checks = [c.source for c in code_cells(path) if re.search(r"check\(\s*answer", c.source)]
        listed = [e for p, e, _ in EXERCISES + NOTEBOOK_EXERCISES if p == path]
        assert len(checks) == len([e for e in listed if "conv_output_size(10, 4" not in e])
        for source in checks:
            assert source.startswith("answer = ...")  # stored unanswered: no spoiler


# --------------------------------------------------------------------------- the source notebook
SOURCE_TABLES = [
    # (out_channels, i, k, s, p, the Conv2d row the source notebook printed)
    (1, 4, 3, 1, 0, "Conv2d-1 [-1, 1, 2, 2] 10"),
    (1, 5, 4, 1, 2, "Conv2d-1 [-1, 1, 6, 6] 17"),
    (1, 5, 3, 1, 1, "Conv2d-1 [-1, 1, 5, 5] 10"),
    (32, 5, 3, 1, 2, "Conv2d-1 [-1, 32, 7, 7] 320"),
    (1, 5, 3, 2, 1, "Conv2d-1 [-1, 1, 3, 3] 10"),
    (1, 6, 3, 2, 1, "Conv2d-1 [-1, 1, 3, 3] 10"),
]


@pytest.mark.parametrize(("c_out", "i", "k", "s", "p", "printed"), SOURCE_TABLES)
def test_source_notebook_summary_tables(c_out, i, k, s, p, printed):
    model = nn.Sequential(nn.Conv2d(1, c_out, k, s, p))
    assert table_rows(summary_text(model, (1, i, i))) == [printed]
    o = arithmetic.conv_output_size(i, k, s, p)
    assert f"[-1, {c_out}, {o}, {o}]" in printed
    assert f"] {k * k * 1 * c_out + c_out}" in printed


def test_floor_ambiguity_i5_i6():
    assert arithmetic.conv_input_sizes(3, 3, s=2, p=1) == [5, 6]
    assert torch_conv_size(5, 3, 2, 1) == torch_conv_size(6, 3, 2, 1) == 3
    assert torch_conv_size(4, 3, 2, 1) != 3 and torch_conv_size(7, 3, 2, 1) != 3


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("shape", [(1, 1, 4, 4), (8, 1, 5, 3), (2, 1, 1, 1)])
def test_log_softmax_over_one_channel_is_zero_and_learns_nothing(seed, shape):
    torch.manual_seed(seed)
    conv = nn.Conv2d(1, 1, 1)
    x = torch.randn(shape) * 100  # large values too: still exactly 0
    out = F.log_softmax(conv(x), dim=1)
    assert torch.equal(out, torch.zeros_like(out))
    out.sum().backward()
    assert torch.count_nonzero(conv.weight.grad) == 0 and torch.count_nonzero(conv.bias.grad) == 0


@pytest.mark.parametrize("k", [1, 3, 5, 7, 9])
def test_half_padding_of_odd_kernels_keeps_the_size(k):
    """Relationship 3, checked in lesson 01 only for k = 3."""
    assert arithmetic.same_padding(k) == (k // 2, k // 2)
    assert arithmetic.conv_output_size(5, k, p=k // 2) == torch_conv_size(5, k, 1, k // 2) == 5


def test_ceil_mode_drops_a_window_that_would_start_in_the_right_padding():
    for i, k, s, p in itertools.product(range(2, 12), range(2, 5), range(1, 4), range(3)):
        if p > k // 2 or i + 2 * p < k:
            continue
        floor = arithmetic.pool_output_size(i, k, s, p)
        ceil = arithmetic.pool_output_size(i, k, s, p, ceil_mode=True)
        assert ceil == torch_pool_size(i, k, s, p, ceil_mode=True)
        plain = -(-(i + 2 * p - k) // s) + 1  # the ceiling without the rule
        assert ceil == (plain - 1 if (plain - 1) * s >= i + p else plain)
        assert floor <= ceil <= floor + 1


def test_pooling_has_no_parameters_and_pools_each_channel_alone():
    for layer in (nn.MaxPool2d(2), nn.AvgPool2d(3), nn.AdaptiveAvgPool2d(1)):
        assert sum(t.numel() for t in layer.parameters()) == 0
    x = torch.randn(2, 5, 8, 8, generator=torch.Generator().manual_seed(0))
    for pool in (lambda t: F.max_pool2d(t, 2), lambda t: F.avg_pool2d(t, 3, 1, 1)):
        alone = torch.cat([pool(x[:, c : c + 1]) for c in range(5)], dim=1)
        assert torch.equal(pool(x), alone)


def test_pooling_shrinks_the_linear_layer_after_it_not_the_convolutions():
    def count(model, kind):
        return sum(
            t.numel() for m in model.modules() if isinstance(m, kind) for t in m.parameters()
        )

    convs = [nn.Conv2d(1, 16, 5, 1, 2), nn.Conv2d(16, 32, 5, 1, 2)]
    with_pooling = nn.Sequential(convs[0], nn.MaxPool2d(2), convs[1], nn.MaxPool2d(2))
    without = nn.Sequential(*convs)
    for body in (with_pooling, without):
        assert count(body, nn.Conv2d) == 416 + 12_832
    flat = [body(torch.zeros(1, 1, 28, 28)).flatten(1).shape[1] for body in (with_pooling, without)]
    assert flat == [32 * 7 * 7, 32 * 28 * 28]


@pytest.mark.parametrize(("i", "o"), [(10, 4), (7, 7), (7, 3), (5, 8), (13, 5)])
def test_adaptive_pooling_windows(i, o):
    x = torch.randn(1, 1, i, generator=torch.Generator().manual_seed(i))
    windows = [(j * i // o, -(-(j + 1) * i // o)) for j in range(o)]
    by_windows = torch.stack([x[0, 0, a:b].mean() for a, b in windows])
    assert torch.allclose(F.adaptive_avg_pool1d(x, o)[0, 0], by_windows)


def test_reference_pooling_agrees_with_torch_on_noisy_images():
    for seed in range(3):
        rng = np.random.default_rng(seed)
        image = rng.random((1, 32, 32))
        t = torch.tensor(image)
        assert np.allclose(reference.max_pool2d(image, 2), F.max_pool2d(t, 2).numpy())
        assert np.allclose(reference.avg_pool2d(image, 2), F.avg_pool2d(t, 2).numpy())


def test_convolution_is_shift_equivariant_away_from_the_border():
    gen = torch.Generator().manual_seed(0)
    x, w = torch.rand(1, 1, 12, 12, generator=gen), torch.rand(1, 1, 3, 3, generator=gen)
    for shift in (1, 2, 3):
        moved = F.conv2d(torch.roll(x, shift, dims=-1), w)
        assert torch.allclose(moved[..., shift:], F.conv2d(x, w)[..., :-shift])


def test_pooling_example_of_the_source_notebook():
    assert arithmetic.pool_output_size(28, 3, s=2) == torch_pool_size(28, 3, 2) == 13


# ------------------------------------------------------------------------- the blog post, lesson 02
BLOG_POST_INPUT = [[50, 77, 111, 94], [28, 80, 100, 40], [85, 79, 63, 74], [67, 55, 105, 123]]


def test_blog_post_max_pool():
    x = np.array(BLOG_POST_INPUT)[None]
    assert reference.max_pool2d(x, 2).tolist() == [[[80, 111], [85, 123]]]
    assert F.max_pool2d(torch.tensor(x), 2).tolist() == [[[80, 111], [85, 123]]]


SOURCE_CNN_ROWS = [  # as the source notebook printed them
    "Conv2d-1 [-1, 16, 28, 28] 416",
    "ReLU-2 [-1, 16, 28, 28] 0",
    "MaxPool2d-3 [-1, 16, 14, 14] 0",
    "Conv2d-4 [-1, 32, 14, 14] 12,832",
    "ReLU-5 [-1, 32, 14, 14] 0",
    "MaxPool2d-6 [-1, 32, 7, 7] 0",
    "Linear-7 [-1, 10] 15,690",
]


def test_notebook_cnn_reproduces_the_source_summary():
    namespace = {"nn": nn}
    exec(cell_source(LESSON_02, "4feacafd"), namespace)  # the cell that defines the class
    text = summary_text(namespace["CNN"](), (1, 28, 28))
    assert table_rows(text) == SOURCE_CNN_ROWS
    assert "Total params: 28,938" in text
    assert namespace["CNN"]().out.in_features == 32 * 7 * 7 == mnist_cnn_flat_features(28)


def noise_errors(seed):
    """RMS noise that survives 2x2 max and average pooling, per noise kind (as notebook 02)."""
    rng = np.random.default_rng(seed)
    clean = np.zeros((32, 32))
    clean[8:24, 8:24] = 1.0
    noisy = {
        "gaussian": clean + rng.normal(0, 0.3, clean.shape),
        "pepper": np.where(rng.random(clean.shape) < 0.2, 0.0, clean),
        "salt": np.where(rng.random(clean.shape) < 0.2, 1.0, clean),
    }
    errors = {}
    for noise, image in noisy.items():
        for name, pool in (("max", F.max_pool2d), ("avg", F.avg_pool2d)):
            diff = pool(torch.tensor(image[None]), 2) - pool(torch.tensor(clean[None]), 2)
            errors[noise, name] = diff.square().mean().sqrt().item()
    return errors


@pytest.mark.parametrize("seed", range(8))
def test_noise_verdict_holds_for_other_seeds(seed):
    errors = noise_errors(seed)
    assert errors["gaussian", "avg"] < errors["gaussian", "max"]
    assert errors["pepper", "max"] < errors["pepper", "avg"]
    assert errors["salt", "avg"] < errors["salt", "max"]


def test_translation_keeps_about_a_third_of_max_pooled_outputs():
    # For i.i.d. pixels a 2x2 max survives a one-pixel shift iff the largest of the 6 cells the
    # two windows cover is in the 2 shared ones: probability 2/6.
    fractions = []
    for seed in range(20):
        image = torch.rand(1, 28, 28, generator=torch.Generator().manual_seed(seed))
        shifted = torch.roll(image, 1, dims=2)
        same = F.max_pool2d(image, 2) == F.max_pool2d(shifted, 2)
        fractions.append(same[0, :, 1:].float().mean().item())
    assert abs(np.mean(fractions) - 1 / 3) < 0.03


# --------------------------------------------------------------------------- the floor's cells
def columns_read(i, k, s, p):
    """Which input columns some output depends on (non-zero gradient), by autograd."""
    x = torch.zeros(1, 1, 1, i, requires_grad=True)
    F.conv2d(x, torch.ones(1, 1, 1, k), stride=(1, s), padding=(0, p)).sum().backward()
    return (x.grad[0, 0, 0] != 0).tolist()


def test_lesson_01_floor_example_drops_padding_with_p1_and_an_input_column_with_p0():
    assert all(columns_read(6, 3, 2, 1))  # i = 6, p = 1: every input column is read
    assert columns_read(6, 3, 2, 0) == [True] * 5 + [False]  # p = 0: the sixth is not
    assert arithmetic.conv_input_sizes(2, 3, s=2, p=0) == [5, 6]


def test_cells_after_the_last_window_are_never_read():
    """Section 7's rule: the padded cells read are exactly the first (o - 1)s + k."""
    for i, k, s, p in itertools.product(range(1, 10), range(1, 5), range(1, 4), range(3)):
        if i + 2 * p < k:
            continue
        o = arithmetic.conv_output_size(i, k, s, p)
        reach = (o - 1) * s + k  # padded cells 0 .. reach - 1 lie under some window
        expected = [p + col < reach for col in range(i)]
        if s <= k:  # windows overlap or touch: no gaps between them
            assert columns_read(i, k, s, p) == expected, (i, k, s, p)


def test_log_softmax_over_32_channels_is_not_zero():
    torch.manual_seed(0)
    out = F.log_softmax(nn.Conv2d(1, 32, 3, padding=2)(torch.randn(8, 1, 5, 5)), dim=1)
    assert (out != 0).any()
    assert torch.allclose(out.exp().sum(dim=1), torch.ones(8, 7, 7))


# --------------------------------------------------------------------------- notebook shape
WORKSHOP_WORDS = re.compile(r"seed 00\d|seed_00\d|issue \d+|tests/|test_\w+\.py", re.IGNORECASE)


@pytest.mark.parametrize(
    ("path", "title", "links", "figures"),
    [
        (LESSON_01, "# 01 · Convolution arithmetic", ["02_pooling.ipynb"], 7),
        (
            LESSON_02,
            "# 02 · Pooling",
            ["01_convolution_arithmetic.ipynb", "03_dilated_convolution.ipynb"],
            3,
        ),
    ],
)
def test_notebook_skeleton(path, title, links, figures):
    nb = nbformat.read(path, as_version=4)
    assert path.stat().st_size < 1_000_000
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert any(source.startswith(title) for source in markdown)
    intro = next(source for source in markdown if source.startswith(title))
    assert all(link in intro for link in links)
    assert code_cells(path)[0].source.startswith("%xmode Minimal\n")  # short error output
    shown = 0
    for n, cell in enumerate(code_cells(path)):
        assert n == 0 or len(cell.source.splitlines()) <= 16, cell.source  # setup cell: imports
        assert "plt.show()" not in cell.source, cell.source
        if "plt.subplots" in cell.source:
            shown += 1
            assert re.search(r"show\(\s*fig,\s*alt=", cell.source), cell.source
            (png,) = [out for out in cell.outputs if "image/png" in out.get("data", {})]
            assert png.metadata["image/png"]["alt"].strip(), cell.source
        assert not any(o.get("name") == "stderr" for o in cell.outputs), cell.source
        for out in cell.outputs:
            if out.output_type == "error":
                assert len(out.traceback) == 1, cell.source  # the message, not the internals
    assert shown == figures
    assert any("_explorer(" in cell.source for cell in code_cells(path))


@pytest.mark.parametrize("path", [LESSON_01, LESSON_02], ids=lambda p: p.stem)
def test_no_workshop_words_one_h1_no_skipped_levels(path):
    levels = []
    for cell in nbformat.read(path, as_version=4).cells:
        assert not WORKSHOP_WORDS.search(cell.source), cell.source[:80]
        if cell.cell_type == "markdown":
            levels += [len(m) for m in re.findall(r"^(#+) ", cell.source, flags=re.MULTILINE)]
            assert not re.search(r"\[(here|this|link)\]", cell.source, flags=re.IGNORECASE)
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
