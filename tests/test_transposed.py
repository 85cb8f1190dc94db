"""helpers.transposed and helpers.receptive_field: the seeds' numbers and PyTorch agree."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch_oracle import image_tensor, torch_or_refused, torch_transposed

from helpers import arithmetic, receptive_field, reference, transposed

SEED000_X = [[80, 111], [85, 105]]
SEED000_W = [[1, -1], [-2, 2]]
SEED004_X = [[2, 4], [0, 1]]
SEED004_W = [[3, 1], [1, 5]]


# --------------------------------------------------------------------------- seed examples
def test_seed000_stride2_copies_tile_the_printed_4x4():
    copies, pad, out_size = transposed.kernel_copies(SEED000_X, SEED000_W, stride=2)
    printed = [
        [80, -80, 111, -111],
        [-160, 160, -222, 222],
        [85, -85, 105, -105],
        [-170, 170, -210, 210],
    ]
    assert (pad, out_size) == ((0, 0), (4, 4))
    np.testing.assert_array_equal(copies.sum(axis=(0, 1)), printed)
    np.testing.assert_array_equal(torch_transposed(SEED000_X, SEED000_W, stride=2), printed)
    # stride 2 = kernel size: every output cell comes from exactly one copy
    assert ((copies != 0).sum(axis=(0, 1)) == 1).all()


def test_seed000_stride1_four_copies_as_drawn():
    copies, _, _ = transposed.kernel_copies(SEED000_X, SEED000_W, stride=1)
    drawn = {  # the seed's four coloured 3x3 matrices (blank cells are zero)
        (0, 0): [[80, -80, 0], [-160, 160, 0], [0, 0, 0]],
        (0, 1): [[0, 111, -111], [0, -222, 222], [0, 0, 0]],
        (1, 0): [[0, 0, 0], [85, -85, 0], [-170, 170, 0]],
        (1, 1): [[0, 0, 0], [0, 105, -105], [0, -210, 210]],
    }
    for index, matrix in drawn.items():
        np.testing.assert_array_equal(copies[index], matrix)
    printed = [[80, 31, -111], [-75, -42, 117], [-170, -40, 210]]
    np.testing.assert_array_equal(copies.sum(axis=(0, 1)), printed)
    np.testing.assert_array_equal(torch_transposed(SEED000_X, SEED000_W, stride=1), printed)


def test_seed003_1d_and_its_three_views():
    expected = [2, 4, 9, 6, 9]
    np.testing.assert_array_equal(
        F.conv_transpose1d(
            torch.tensor([[[2.0, 3.0]]]), torch.tensor([[[1.0, 2.0, 3.0]]]), stride=2
        )[0, 0],
        expected,
    )
    np.testing.assert_array_equal(
        transposed.transposed_conv_as_convolution([[2.0, 3.0]], [[1.0, 2.0, 3.0]], stride=2)[0],
        expected,
    )
    copies, _, _ = transposed.kernel_copies([[2, 3]], [[1, 2, 3]], stride=2)
    np.testing.assert_array_equal(copies[0, 0, 0], [2, 4, 6, 0, 0])  # "2 x [1,2,3] = [2,4,6]"
    np.testing.assert_array_equal(copies[0, 1, 0], [0, 0, 3, 6, 9])
    c = transposed.conv_matrix((1, 5), [[1, 2, 3]], stride=2)
    np.testing.assert_array_equal(c.T @ np.array([2, 3]), expected)


def test_seed003_2d_intermediate_then_carved():
    x, w = [[1, 2], [3, 4]], [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]
    copies, pad, out_size = transposed.kernel_copies(x, w, stride=2, padding=1)
    intermediate = [
        [1, 1, 3, 2, 2],
        [0, 0, 0, 0, 0],
        [2, 2, 4, 2, 2],
        [0, 0, 0, 0, 0],
        [-3, -3, -7, -4, -4],
    ]
    carved = [[0, 0, 0], [2, 4, 2], [0, 0, 0]]
    assert (pad, out_size) == ((1, 1), (3, 3))
    np.testing.assert_array_equal(copies[0, 0, :3, :3], w)  # "starting in output[0][0]"
    np.testing.assert_array_equal(copies[0, 1, :3, 2:], np.multiply(2, w))  # "moving right by 2"
    np.testing.assert_array_equal(copies.sum(axis=(0, 1)), intermediate)
    np.testing.assert_array_equal(torch_transposed(x, w, stride=2, padding=1), carved)
    np.testing.assert_array_equal(copies.sum(axis=(0, 1))[1:-1, 1:-1], carved)


def test_seed004_eight_by_eight_and_the_6_and_12():
    w = np.arange(1.0, 17.0).reshape(4, 4)
    out = torch_transposed(np.ones((4, 4)), w, stride=2, padding=1)
    np.testing.assert_array_equal(out[0], [6, 12, 14, 12, 14, 12, 14, 7])
    np.testing.assert_array_equal(out[-1], [10, 20, 22, 20, 22, 20, 22, 11])
    np.testing.assert_array_equal(out[2], [20, 40, 44, 40, 44, 40, 44, 22])
    terms_00 = transposed.output_cell_terms(np.ones((4, 4)), w, 0, 0, stride=2, padding=1)
    assert [(t.input_index, t.kernel_index, t.kernel_value) for t in terms_00] == [
        ((0, 0), (1, 1), 6.0)
    ]
    terms_01 = transposed.output_cell_terms(np.ones((4, 4)), w, 0, 1, stride=2, padding=1)
    assert [(t.input_index, t.kernel_index, t.kernel_value) for t in terms_01] == [
        ((0, 0), (1, 2), 7.0),
        ((0, 1), (1, 0), 5.0),
    ]


@pytest.mark.parametrize(
    ("s", "p", "shape"), [(1, 0, (3, 3)), (1, 1, (1, 1)), (2, 0, (4, 4)), (2, 1, (2, 2))]
)
def test_seed004_buffer_pictures(s, p, shape):
    copies, pad, out_size = transposed.kernel_copies(SEED004_X, SEED004_W, stride=s, padding=p)
    assert out_size == shape == torch_transposed(SEED004_X, SEED004_W, stride=s, padding=p).shape
    buffer = copies.sum(axis=(0, 1))
    carved = buffer[pad[0] : buffer.shape[0] - pad[0], pad[1] : buffer.shape[1] - pad[1]]
    np.testing.assert_array_equal(
        carved, torch_transposed(SEED004_X, SEED004_W, stride=s, padding=p)
    )
    # the blue buffer of the seed: 2 * kernel = [[6, 2], [2, 10]]
    np.testing.assert_array_equal(copies[0, 0, :2, :2], [[6, 2], [2, 10]])


def test_seed004_typo_p2_is_impossible():
    """The seed's "s=2, p=2: output is 2x2" can only mean p=1: p=2 leaves nothing."""
    with pytest.raises(ValueError, match="must be >= 1"):
        arithmetic.conv_transpose_output_size(2, 2, s=2, p=2)
    with pytest.raises(RuntimeError, match="Output size is too small"):
        torch_transposed(SEED004_X, SEED004_W, stride=2, padding=2)
    assert arithmetic.conv_transpose_output_size(2, 2, s=2, p=1) == 2


# --------------------------------------------------------------------------- properties vs PyTorch
def geometry():
    """(h, w, kh, kw, s, p, d) with a kernel that fits the padded input."""
    return st.tuples(
        st.integers(1, 6),
        st.integers(1, 6),
        st.integers(1, 4),
        st.integers(1, 4),
        st.integers(1, 3),
        st.integers(0, 3),
        st.integers(1, 3),
    )


@settings(max_examples=80)
@given(geometry(), st.integers(0, 2**32 - 1))
def test_conv_matrix_is_conv_and_its_transpose_is_transposed_conv(geo, seed):
    h, w, kh, kw, s, p, d = geo
    try:
        oh = arithmetic.conv_output_size(h, kh, s, p, d)
        ow = arithmetic.conv_output_size(w, kw, s, p, d)
    except ValueError:
        assume(False)
    rng = np.random.default_rng(seed)
    x, k, y = rng.normal(size=(h, w)), rng.normal(size=(kh, kw)), rng.normal(size=(oh, ow))
    c = transposed.conv_matrix((h, w), k, s, p, d)
    conv = F.conv2d(image_tensor(x), image_tensor(k), stride=s, padding=p, dilation=d)[0, 0].numpy()
    np.testing.assert_allclose(c @ x.ravel(), conv.ravel(), atol=1e-10)
    a = (
        transposed.matching_output_padding(h, kh, s, p, d),
        transposed.matching_output_padding(w, kw, s, p, d),
    )
    back = torch_transposed(y, k, stride=s, padding=p, dilation=d, output_padding=a)
    np.testing.assert_allclose(c.T @ y.ravel(), back.ravel(), atol=1e-10)
    # proof 3: the same numbers are the gradient of conv2d with respect to its input
    xt = image_tensor(x).requires_grad_()
    F.conv2d(xt, image_tensor(k), stride=s, padding=p, dilation=d).backward(image_tensor(y))
    np.testing.assert_allclose(xt.grad[0, 0].numpy(), back, atol=1e-10)


@settings(max_examples=120)
@given(geometry(), st.integers(0, 2), st.integers(0, 2**32 - 1))
def test_transposed_conv_as_convolution_matches_torch(geo, op, seed):
    h, w, kh, kw, s, p, d = geo
    rng = np.random.default_rng(seed)
    x, k = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
    expected = torch_or_refused(
        lambda: torch_transposed(x, k, stride=s, padding=p, dilation=d, output_padding=op),
        lambda: transposed.transposed_conv_as_convolution(x, k, s, p, d, op),
    )
    if expected is None:
        return
    got = transposed.transposed_conv_as_convolution(x, k, s, p, d, op)
    np.testing.assert_allclose(got, expected, atol=1e-10)


@settings(max_examples=80)
@given(geometry(), st.integers(0, 2), st.integers(0, 2**32 - 1))
def test_kernel_copies_and_cell_terms_add_up(geo, op, seed):
    h, w, kh, kw, s, p, d = geo
    rng = np.random.default_rng(seed)
    x, k = rng.integers(-5, 6, size=(h, w)), rng.integers(-5, 6, size=(kh, kw))
    expected = torch_or_refused(
        lambda: torch_transposed(x, k, stride=s, padding=p, dilation=d, output_padding=op),
        lambda: transposed.kernel_copies(x, k, s, p, d, op),
    )
    if expected is None:
        return
    copies, pad, out_size = transposed.kernel_copies(x, k, s, p, d, op)
    buffer = copies.sum(axis=(0, 1))
    np.testing.assert_array_equal(
        buffer[pad[0] : pad[0] + out_size[0], pad[1] : pad[1] + out_size[1]], expected
    )
    for m in range(h):  # each copy is the scaled kernel, placed at (m*s, n*s)
        for n in range(w):
            window = copies[m, n, m * s :, n * s :][: d * (kh - 1) + 1 : d, : d * (kw - 1) + 1 : d]
            np.testing.assert_array_equal(window, x[m, n] * k)
    for row, col in np.ndindex(*out_size):
        terms = transposed.output_cell_terms(x, k, row, col, s, p, d, op)
        assert sum(t.input_value * t.kernel_value for t in terms) == expected[row, col]
        assert all(x[t.input_index] == t.input_value for t in terms)


@settings(max_examples=100)
@given(
    st.integers(1, 12), st.integers(1, 5), st.integers(1, 4), st.integers(0, 3), st.integers(1, 3)
)
def test_matching_output_padding_is_the_papers_a(i, k, s, p, d):
    result = arithmetic.conv_size(i, k, s, p, d)
    assume(result.ok)
    o = result.value
    a = transposed.matching_output_padding(i, k, s, p, d)
    assert 0 <= a < s
    assert arithmetic.conv_transpose_output_size(o, k, s, p, d, output_padding=a) == i
    sizes = arithmetic.conv_input_sizes(o, k, s, p, d)
    assert i in sizes
    assert sizes[-1] - i == s - 1 - a  # the larger candidates need a larger a


@pytest.mark.parametrize("k", range(1, 8))
@pytest.mark.parametrize("s", range(1, 5))
@pytest.mark.parametrize("d", [1, 2])
def test_same_transposed_padding_gives_stride_times_input(k, s, d):
    try:
        p, op = transposed.same_transposed_padding(k, s, d)
    except ValueError as err:
        assert (s, d, k % 2) == (1, 1, 0)  # only an even kernel at stride 1
        assert "output_padding=1" in str(err)
        return
    for i in (1, 2, 5):
        assert arithmetic.conv_transpose_output_size(i, k, s, p, d, op) == s * i
        out = F.conv_transpose2d(
            torch.ones(1, 1, i, i), torch.ones(1, 1, k, k), None, s, p, op, 1, d
        )
        assert out.shape[-1] == s * i


@settings(max_examples=80)
@given(
    st.integers(1, 8),
    st.integers(1, 6),
    st.integers(1, 4),
    st.integers(0, 3),
    st.integers(1, 3),
    st.integers(0, 2),
)
def test_overlap_counts_match_torch(i, k, s, p, d, op):
    expected = torch_or_refused(
        lambda: F.conv_transpose1d(torch.ones(1, 1, i), torch.ones(1, 1, k), None, s, p, op, 1, d),
        lambda: transposed.overlap_counts(i, k, s, p, d, op),
    )
    if expected is None:
        return
    counts = transposed.overlap_counts(i, k, s, p, d, op)
    np.testing.assert_array_equal(counts, expected[0, 0].numpy())
    counts_2d = transposed.overlap_counts_2d(i, k, s, p, d, op)
    np.testing.assert_array_equal(counts_2d, np.outer(counts, counts))


@pytest.mark.parametrize("k", range(1, 9))
@pytest.mark.parametrize("s", range(1, 5))
@pytest.mark.parametrize("d", [1, 2, 3])
def test_overlap_pattern_is_the_interior_of_the_map(k, s, d):
    pattern = transposed.overlap_pattern(k, s, d)
    counts = transposed.overlap_counts(20, k, s, d=d)
    span = d * (k - 1)  # cells within one kernel span of an edge see fewer copies
    for x in range(span, len(counts) - span):
        assert counts[x] == pattern[x % s]
    if d == 1:  # Odena et al.: even overlap exactly when the stride divides the kernel
        assert (len(set(pattern)) == 1) == (k % s == 0)


@pytest.mark.parametrize("scale", [1, 2, 3])
def test_resize_convolution_matches_torch(scale):
    rng = np.random.default_rng(scale)
    x, k = rng.normal(size=(3, 4)), rng.normal(size=(3, 3))
    up = F.interpolate(image_tensor(x), scale_factor=scale, mode="nearest")
    np.testing.assert_array_equal(transposed.nearest_upsample(x, scale), up[0, 0].numpy())
    expected = F.conv2d(up, image_tensor(k), padding="same")[0, 0].numpy()
    np.testing.assert_allclose(transposed.resize_convolution(x, k, scale), expected, atol=1e-12)


def test_resize_convolution_has_no_checkerboard_where_transposed_conv_does():
    flat = np.ones((6, 6))
    kernel = np.ones((3, 3))
    deconv = reference.conv_transpose2d(flat[None], kernel[None, None], stride=2)[0]
    resized = transposed.resize_convolution(flat, kernel, 2)
    assert len(np.unique(deconv[3:-3, 3:-3])) > 1
    assert len(np.unique(resized[1:-1, 1:-1])) == 1


def test_not_the_inverse():
    rng = np.random.default_rng(0)
    x, k = rng.normal(size=(4, 4)), rng.normal(size=(3, 3))
    y = reference.conv2d(x[None], k[None, None])
    back = reference.conv_transpose2d(y, k[None, None])[0]
    assert back.shape == x.shape
    assert not np.allclose(back, x)
    c = transposed.conv_matrix(4, k)
    assert not np.allclose(c.T @ c, np.eye(16))


# --------------------------------------------------------------------------- receptive fields
def torch_dependence(kernel_sizes, dilations, strides=None, dims=1):
    """Gradient of one output cell w.r.t. an input just big enough; all-ones weights."""
    strides = strides or [1] * len(kernel_sizes)
    size = receptive_field.receptive_field_size(kernel_sizes, dilations, strides)
    conv = F.conv1d if dims == 1 else F.conv2d
    x = torch.zeros((1, 1) + (size,) * dims, dtype=torch.float64, requires_grad=True)
    y = x
    for k, d, s in zip(kernel_sizes, dilations, strides, strict=True):
        y = conv(y, torch.ones((1, 1) + (k,) * dims, dtype=torch.float64), stride=s, dilation=d)
    assert y.shape[2:] == (1,) * dims  # the field exactly fills the input
    y.sum().backward()
    return x.grad[0, 0].numpy()


@pytest.mark.parametrize(
    ("kernels", "dilations"),
    [
        ([3, 3, 3, 3], [1, 1, 1, 1]),
        ([3, 3, 3, 3], [1, 2, 4, 8]),
        ([3, 3, 3], [2, 2, 2]),
        ([3, 3, 3], [2, 4, 8]),
        ([2, 5, 3], [3, 1, 2]),
    ],
)
def test_input_dependence_is_the_autograd_gradient(kernels, dilations):
    np.testing.assert_array_equal(
        receptive_field.input_dependence(kernels, dilations), torch_dependence(kernels, dilations)
    )
    np.testing.assert_array_equal(
        receptive_field.input_dependence_2d(kernels, dilations),
        torch_dependence(kernels, dilations, dims=2),
    )


def test_receptive_field_growth_linear_vs_exponential():
    for depth in range(1, 7):
        plain = receptive_field.receptive_field_size([3] * depth)
        doubling = receptive_field.receptive_field_size([3] * depth, [2**n for n in range(depth)])
        assert plain == 2 * depth + 1
        assert doubling == 2 ** (depth + 1) - 1
    assert (receptive_field.input_dependence([3] * 4, [1, 2, 4, 8]) > 0).all()  # no holes
    gridded = receptive_field.input_dependence([3] * 3, [2, 2, 2])
    assert (gridded[1::2] == 0).all()  # every odd cell is never seen


@pytest.mark.parametrize(
    ("kernels", "dilations", "strides"),
    [([3, 3], [1, 1], [2, 1]), ([3, 2, 3], [1, 2, 1], [2, 2, 1]), ([5, 3], [1, 1], [1, 3])],
)
def test_receptive_field_size_with_strides(kernels, dilations, strides):
    gradient = torch_dependence(kernels, dilations, strides)
    assert gradient[0] > 0 and gradient[-1] > 0  # the field is exactly the input


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="dilations=.*one entry per layer"):
        receptive_field.receptive_field_size([3, 3], [1])
    with pytest.raises(ValueError, match="strides=.*>= 1"):
        receptive_field.receptive_field_size([3], strides=[0])
    with pytest.raises(ValueError, match="k=0"):
        receptive_field.receptive_field_size([0])
    with pytest.raises(ValueError, match="weight has shape"):
        transposed.kernel_copies([[1.0]], [1.0, 2.0])
    with pytest.raises(ValueError, match="row=3 is invalid: the output has 3 rows"):
        transposed.output_cell_terms(SEED000_X, SEED000_W, 3, 0)
    with pytest.raises(ValueError, match="output_padding=2 is invalid"):
        transposed.stretched_padded_input([[1.0]], 3, stride=2, output_padding=2)
    with pytest.raises(TypeError, match="stride=1.5"):
        transposed.zero_stretch([[1.0]], 1.5)
