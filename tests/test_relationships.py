"""helpers.relationships: each of the paper's 15 Relationships holds in PyTorch on its conditions.

For every Relationship and every parameter combination of a small grid that meets its
conditions, three numbers must agree: the paper's closed form, helpers.arithmetic, and the
shape PyTorch computes. For the transposed ones (8-14), the equivalent direct convolution of
the paper (k' = k, s' = 1, p' = k - 1 - p on the stretched input, a zeros bottom/right) must
give nn.ConvTranspose2d's values, not only its size. And each Relationship must be named in
the lesson section the index points to.
"""

import itertools
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn
from torch_oracle import size_or_none, torch_conv_size, torch_pool_size, torch_transpose_size

from helpers import arithmetic, drawing, relationships, transposed

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CONV_GRID = [
    dict(i=i, k=k, s=s, p=p, d=d)
    for i, k, s, p, d in itertools.product(range(1, 9), range(1, 6), (1, 2, 3), range(4), (1, 2))
]
TRANSPOSED_GRID = [
    dict(i_=i_, k=k, s=s, p=p, a=a)
    for i_, k, s, p, a in itertools.product(range(1, 6), range(1, 6), (1, 2, 3), range(4), range(3))
]


def torch_size(kind, params):
    """The output size PyTorch computes, or None where it refuses the combination."""
    if kind == "transposed":
        i_, k, s, p, a = (params[n] for n in ("i_", "k", "s", "p", "a"))
        return size_or_none(torch_transpose_size, i_, k, s, p, output_padding=a)
    i, k, s, p, d = (params[n] for n in ("i", "k", "s", "p", "d"))
    oracle = torch_pool_size if kind == "pool" else torch_conv_size
    return size_or_none(oracle, i, k, s, p, d)


def test_fifteen_numbered_in_order():
    assert [r.number for r in relationships.RELATIONSHIPS] == list(range(1, 16))
    assert relationships.relationship(15).kind == "dilated"


@pytest.mark.parametrize("number", range(1, 16))
def test_relationship_agrees_with_pytorch_on_its_conditions(number):
    rel = relationships.relationship(number)
    grid = TRANSPOSED_GRID if rel.kind == "transposed" else CONV_GRID
    checked = 0
    for params in grid:
        if not rel.holds(**params):
            continue
        expected = torch_size(rel.kind, params)
        if expected is None or expected < 1:
            continue  # PyTorch refuses (kernel larger than the input, say): nothing to size
        assert rel.closed_form(**params) == rel.output_size(**params) == expected, params
        checked += 1
    assert checked >= 5  # the conditions leave real cases to check


@pytest.mark.parametrize("number", [1, 3, 4, 8, 10, 11, 12])
def test_conditions_matter(number):
    """Outside its conditions the closed form is wrong somewhere: the conditions are needed."""
    rel = relationships.relationship(number)
    grid = TRANSPOSED_GRID if rel.kind == "transposed" else CONV_GRID
    wrong = [
        params
        for params in grid
        if not rel.holds(**params)
        and (expected := torch_size(rel.kind, params)) is not None
        and rel.closed_form(**params) != expected
    ]
    assert wrong


def test_relationship_7_is_pytorch_pooling_without_padding():
    rel = relationships.relationship(7)
    assert not rel.holds(i=5, k=2, s=2, p=1)  # the padded form is PyTorch's, not the paper's
    assert arithmetic.pool_output_size(5, 2, 2, 1) == torch_size(
        "pool", dict(i=5, k=2, s=2, p=1, d=1)
    )


@pytest.mark.parametrize(
    ("i_", "k", "s", "p", "a"),
    [(2, 3, 1, 0, 0), (6, 4, 1, 2, 0), (5, 3, 1, 1, 0), (7, 3, 1, 2, 0), (2, 3, 2, 0, 0),
     (3, 3, 2, 1, 0), (3, 3, 2, 1, 1), (3, 4, 3, 1, 2)],
    ids=["fig4.1", "fig4.2", "fig4.3", "fig4.4", "fig4.5", "fig4.6", "fig4.7", "k4s3a2"],
)  # fmt: skip
def test_equivalent_direct_convolution_gives_conv_transpose_values(i_, k, s, p, a):
    rng = np.random.default_rng(i_ * 100 + k * 10 + s)
    x = rng.normal(size=(i_, i_))
    w = rng.normal(size=(k, k))
    eq = relationships.equivalent_convolution(i_, k, s, p, a)
    assert (eq.k, eq.s, eq.p, eq.a) == (k, 1, k - 1 - p, a)
    stretched = transposed.stretched_padded_input(x, k, stride=s, padding=p, output_padding=a)
    assert stretched.shape == (eq.stretched + 2 * eq.p + a,) * 2
    assert np.count_nonzero(stretched) == i_ * i_  # only the input's cells, zeros elsewhere
    direct = F.conv2d(
        torch.tensor(stretched[None, None]), torch.tensor(w[::-1, ::-1].copy()[None, None])
    )
    theirs = nn.ConvTranspose2d(1, 1, k, s, p, output_padding=a, bias=False).double()
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(w[None, None]))
        expected = theirs(torch.tensor(x[None, None]))
    assert direct.shape[-1] == eq.output_size == expected.shape[-1]
    assert torch.allclose(direct, expected)


def test_multiple_of_s_condition_of_12_and_13():
    """I + 2p - k a multiple of s is exactly when the transpose needs no a (output_padding)."""
    for i, k, s, p in itertools.product(range(3, 12), range(1, 5), (2, 3), range(3)):
        if i + 2 * p < k:
            continue
        o = arithmetic.conv_output_size(i, k, s, p)
        multiple = (i + 2 * p - k) % s == 0
        back = arithmetic.conv_transpose_output_size(o, k, s, p)
        assert (back == i) == multiple
        a = transposed.matching_output_padding(i, k, s, p)
        assert relationships.relationship(14).closed_form(o, k, s, p, a) == i


def test_index_table_and_bad_numbers():
    table = relationships.index_table(links="notebooks/")
    assert len(table.splitlines()) == 17 and "(notebooks/04_transposed_convolution.ipynb)" in table
    with pytest.raises(ValueError, match="number=16"):
        relationships.relationship(16)
    with pytest.raises(TypeError, match="number"):
        relationships.relationship(2.0)


@pytest.mark.parametrize("number", range(1, 16))
def test_named_in_the_section_the_index_gives(number):
    rel = relationships.relationship(number)
    cells = nbformat.read(NOTEBOOKS / rel.lesson, as_version=4).cells
    headings = [
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "markdown"
        and any(line.lstrip("#").strip().replace(". ", " ", 1) == rel.section.replace("§", "")
                for line in cell.source.splitlines() if line.startswith("#"))
    ]  # fmt: skip
    assert headings, f"no heading {rel.section!r} in {rel.lesson}"
    start = headings[0]
    following = [i for i, c in enumerate(cells) if i > start and c.source.startswith("## ")]
    stop = following[0] if following else len(cells)
    text = "\n".join(c.source for c in cells[start:stop] if c.cell_type == "markdown")
    assert f"Relationship {number}" in text


def test_drawing_marks_exactly_the_input_cells_of_the_stretched_input():
    x = np.arange(1.0, 10.0).reshape(3, 3)
    padded = transposed.stretched_padded_input(x, 3, stride=2, padding=1, output_padding=1)
    out = transposed.transposed_conv_as_convolution(x, np.ones((3, 3)), 2, 1, output_padding=1)
    axes = Figure().subplots(1, 2)
    artists = drawing.draw_equivalent_convolution(*axes, padded, out, k=3, s=2, p_prime=1, a=1)
    highlight = artists[-1]
    vertices = highlight.get_path().vertices.reshape(-1, 5, 2)  # one closed square per cell
    corners = {tuple(square.min(axis=0)) for square in vertices}
    rows, cols = np.nonzero(padded)  # the input's cells are the only non-zero ones
    assert corners == {(float(c), float(r)) for r, c in zip(rows, cols, strict=True)}
    with pytest.raises(ValueError, match="padded.shape"):
        drawing.draw_equivalent_convolution(*axes, np.zeros((2, 2)), out, k=3, s=2, p_prime=1)
