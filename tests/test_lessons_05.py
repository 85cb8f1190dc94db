"""Lesson 05: its exercises, error cells and claims, checked outside nbval.

The lesson shows one visible check per idea; the checks that used to sit in its cells as runs of
asserts live here, with answers found by PyTorch independently of our helpers:

- every exercise accepts the answer PyTorch gives and refuses a wrong one;
- the error cells raise the errors they store;
- the "why == fails" claims (products exact in float64, both layers within one float32 rounding,
  the twice-rounded sum differs from the correctly rounded one) hold for other seeds;
- kernel = stride: the APL ``UP`` steps and the layouts (and a flat input giving the kernel tiled,
  which lesson 07 teaches and lesson 05 links to);
- a 1x1 convolution is a linear layer at every pixel; depthwise with a depth multiplier;
- the lesson reads as a lesson: one H1, headings in order, alt text on every picture, short error
  output, no workshop words.
"""

from fractions import Fraction
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

from helpers import channels, reference

LESSON_05 = Path(__file__).resolve().parent.parent / "notebooks" / "05_multichannel.ipynb"


def code_cells():
    return [c for c in nbformat.read(LESSON_05, as_version=4).cells if c.cell_type == "code"]


def cell_with_id(cell_id):
    (cell,) = [c for c in nbformat.read(LESSON_05, as_version=4).cells if c.get("id") == cell_id]
    return cell


# --------------------------------------------------------------------------- exercises
def torch_params(module):
    return sum(t.numel() for t in module.parameters())


def input_channels_of_output_5():
    weight = nn.Conv2d(6, 9, 3, groups=3).weight  # (9, 2, 3, 3): output 5 reads 2 channels
    first = (5 // (9 // 3)) * (6 // 3)
    return list(range(first, first + weight.shape[1]))


def upsampled_shape_channels_last():
    up = nn.ConvTranspose2d(4, 2, 3, stride=3)(torch.zeros(1, 4, 7, 9)).shape
    return (up[2], up[3], up[1])


LESSON_05_EXERCISES = {  # exercise cell id -> the answer PyTorch gives, found without our helpers
    "4e585b92": lambda: torch_params(nn.Conv2d(16, 32, 3, groups=4)),
    "30897472": lambda: tuple(nn.ConvTranspose2d(16, 32, 3, groups=4).weight.shape),
    "8b444f9a": lambda: torch_params(
        nn.Sequential(nn.Conv2d(64, 64, 5, groups=64), nn.Conv2d(64, 64, 1))
    ),
    "64963575": input_channels_of_output_5,
    "266b7461": upsampled_shape_channels_last,
}


def test_exercises_accept_the_answers_pytorch_gives():
    """Each exercise cell, run as the learner meets it, says "not answered yet".

    Its expected value (the second argument of its ``check`` call) accepts PyTorch's answer and
    refuses a wrong one.
    """
    namespace = setup_namespace(LESSON_05)
    exercises = [c.id for c in code_cells() if c.source.startswith("answer = ...")]
    assert exercises == list(LESSON_05_EXERCISES)
    for cell_id, pytorch_answer in LESSON_05_EXERCISES.items():
        assert_exercise_accepts(cell_id, cell_with_id(cell_id).source, namespace, pytorch_answer)


def test_quiz_expects_what_a_channels_last_reader_sees():
    quiz = run_cell(cell_with_id("db1e50f1").source, setup_namespace(LESSON_05))
    assert quiz.expected == torch.zeros(1, 3, 8, 8).permute(0, 3, 1, 2).shape[1] == 8


# --------------------------------------------------------------------------- error cells
ERRORS = {
    "nn.Conv2d(3, 8, kernel_size=3)(torch.zeros(1, 32, 32, 3))": RuntimeError,
    "nn.Conv2d(4, 6, 3, groups=4)": ValueError,
    "channels.check_groups(4, 6, 4)": ValueError,
}


def test_error_cells_raise_what_they_store():
    cells = [c for c in code_cells() if "raises-exception" in c.metadata.get("tags", [])]
    assert sorted(c.source.strip() for c in cells) == sorted(ERRORS)
    for cell in cells:
        source = cell.source.strip()
        with pytest.raises(ERRORS[source]) as caught:
            eval(source, {"nn": nn, "torch": torch, "channels": channels})
        (stored,) = [o for o in cell.outputs if o.output_type == "error"]
        assert stored.evalue == str(caught.value)
    for cell in code_cells():
        if "raises-exception" not in cell.metadata.get("tags", []):
            assert not any(o.output_type == "error" for o in cell.outputs), cell.source


# --------------------------------------------------------------------------- why == fails
def test_float32_products_are_exact_in_float64_their_sums_not_always():
    gen = torch.Generator().manual_seed(0)
    a, b, c, d = (torch.randn(200, generator=gen) for _ in range(4))
    p1, p2 = a.double() * b.double(), c.double() * d.double()
    for i in range(200):  # exact rational arithmetic as the judge
        assert Fraction(float(a[i])) * Fraction(float(b[i])) == Fraction(float(p1[i]))
    inexact = sum(
        Fraction(float(p1[i])) + Fraction(float(p2[i])) != Fraction(float(p1[i] + p2[i]))
        for i in range(200)
    )
    assert 0 < inexact < 200


@pytest.mark.parametrize("seed", range(6))
def test_both_layers_within_one_float32_rounding_of_the_float64_value(seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(1, 2, 5, 6, generator=gen)
    w = torch.randn(2, 1, 2, 2, generator=gen)
    singles = sum(F.conv_transpose2d(x[:, c : c + 1], w[c : c + 1], stride=2) for c in range(2))
    together = F.conv_transpose2d(x, w, stride=2)
    reference64 = F.conv_transpose2d(x.double(), w.double(), stride=2)
    bound = torch.finfo(torch.float32).eps * F.conv_transpose2d(
        x.double().abs(), w.double().abs(), stride=2
    )
    for result in (singles, together):
        assert ((result.double() - reference64).abs() <= bound).all()
    assert torch.allclose(singles, together, atol=1e-6)  # the default atol=1e-8 can fail near 0


def test_twice_rounded_sum_differs_from_the_correctly_rounded_one_somewhere():
    gen = torch.Generator().manual_seed(0)
    x, w = torch.randn(1, 2, 3, 4, generator=gen), torch.randn(2, 1, 2, 2, generator=gen)
    singles = sum(F.conv_transpose2d(x[:, c : c + 1], w[c : c + 1], stride=2) for c in range(2))
    once = F.conv_transpose2d(x.double(), w.double(), stride=2).float()
    assert 0 < int((singles != once).sum()) < singles.numel()


# --------------------------------------------------------------------------- kernel = stride
def test_up_layout_and_channel_zero_by_hand():
    rng = np.random.default_rng(0)
    inp, ker = rng.random((13, 17, 3)), rng.random((3, 2, 2, 5))  # the blog post's APL shapes
    up = nn.ConvTranspose2d(3, 5, 2, stride=2, bias=False).double()
    with torch.no_grad():
        up.weight.copy_(torch.from_numpy(ker.transpose(0, 3, 1, 2)))
        torch_out = up(torch.from_numpy(channels.to_channels_first(inp).copy())).numpy()
    assert np.array_equal(channels.to_up_layout(up.weight.detach().numpy()), ker)
    ours = channels.upsample_tensordot(inp, ker)
    assert np.allclose(channels.to_channels_first(ours), torch_out)
    by_hand = sum(
        F.conv_transpose2d(
            torch.from_numpy(inp[None, None, :, :, c].copy()),
            torch.from_numpy(ker[c, None, None, :, :, 0].copy()),
            stride=2,
        )[0, 0].numpy()
        for c in range(3)
    )
    assert np.allclose(ours[:, :, 0], by_hand)


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_kernel_equal_stride_tiles_the_kernel_on_a_flat_input(k):
    """No overlap is not no pattern (taught in lesson 07; lesson 05 links there)."""
    gen = torch.Generator().manual_seed(k)
    w = torch.randn(1, 1, k, k, dtype=torch.float64, generator=gen)
    out = F.conv_transpose2d(torch.ones(1, 1, 3, 3, dtype=torch.float64), w, stride=k)
    assert torch.equal(out[0, 0], w[0, 0].repeat(3, 3))
    assert np.array_equal(reference.conv_transpose2d(np.ones((1, 3, 3)), w.numpy(), stride=k)[0],
                          out[0, 0].numpy())  # fmt: skip
    equal_taps = F.conv_transpose2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, k, k), stride=k)
    assert torch.equal(equal_taps, torch.ones_like(equal_taps))  # flat only if the taps are equal


# --------------------------------------------------------------------------- 1x1 and depthwise
def test_one_by_one_convolution_is_a_linear_layer_at_every_pixel():
    torch.manual_seed(0)
    linear = nn.Linear(3, 5).double()
    x = torch.randn(2, 3, 4, 6, dtype=torch.float64)
    w, b = linear.weight.detach().numpy(), linear.bias.detach().numpy()
    by_linear = linear(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2).detach().numpy()
    assert np.allclose(channels.linear_at_every_pixel(x.numpy(), w, b), by_linear)
    assert channels.conv_param_count(3, 5, 1) == torch_params(nn.Conv2d(3, 5, 1)) == 20


@pytest.mark.parametrize(("c_in", "multiplier", "k"), [(32, 1, 3), (32, 2, 3), (3, 4, 5)])
def test_depthwise_with_a_depth_multiplier(c_in, multiplier, k):
    layer = nn.Conv2d(c_in, multiplier * c_in, k, groups=c_in)
    assert layer.weight.shape == (multiplier * c_in, 1, k, k)
    assert channels.depthwise_param_count(c_in, k, depth_multiplier=multiplier) == torch_params(
        layer
    )


# --------------------------------------------------------------------------- for learners
def test_lesson_reads_as_a_lesson():
    """One H1, no skipped heading levels, no workshop words, alt text, short error output."""
    assert_reads_as_a_lesson(nbformat.read(LESSON_05, as_version=4).cells)


def test_overlap_is_one_source_of_checkerboards_and_no_overlap_is_taught_once():
    """Lesson 05 says uneven overlap is *one* source, and links to lesson 07 for the rest."""
    text = "\n".join(c.source for c in nbformat.read(LESSON_05, as_version=4).cells)
    assert "Overlap is where checkerboards come from" not in text
    assert "one source of checkerboard artifacts" in text.lower()
    assert "07_decoder_checkerboard.ipynb" in text
    assert "np.tile(" not in text  # the tiled kernel on a flat input is lesson 07's derivation
