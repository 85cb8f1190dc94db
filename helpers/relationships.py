"""The 15 numbered Relationships of Dumoulin & Visin's guide, as data.

*A guide to convolution arithmetic for deep learning* (Dumoulin & Visin, 2016,
arXiv:1603.07285) states its results as Relationships 1-15: seven for convolution
and pooling, seven for transposed convolution, one for dilation. Each
:class:`Relationship` here holds its number, its statement, its formula twice (the
paper's closed form, and the same size computed by :mod:`helpers.arithmetic`), the
conditions under which it holds, and the lesson section that teaches it.
Notebook 01 checks Relationships 1-6 against PyTorch on their conditions; the project's
tests check all 15.

The transposed Relationships 8-14 take the arguments of ``nn.ConvTranspose2d``:
the input size ``i_`` (the paper's i'), ``k``, ``s``, PyTorch's ``padding`` ``p``
(the padding of the convolution being transposed) and ``output_padding`` ``a``.
The paper describes the same layer as a *direct* convolution with ``k' = k``,
``s' = 1`` and padding ``p' = k - 1 - p`` of the stretched input:
:func:`equivalent_convolution`.

Introduced in notebook 01 (the index); each lesson names the ones it teaches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from helpers import arithmetic

__all__ = [
    "RELATIONSHIPS",
    "EquivalentConvolution",
    "Relationship",
    "equivalent_convolution",
    "index_table",
    "relationship",
]


@dataclass(frozen=True)
class Relationship:
    """One numbered Relationship of the paper.

    Attributes
    ----------
    number : int
        1 to 15, as in the paper.
    case : str
        Short name of the case, e.g. ``"half (same) padding"``.
    statement : str
        What the paper states, in words (conditions, then the result).
    formula : str
        The closed form as text, in the paper's letters.
    kind : str
        ``"conv"``, ``"pool"``, ``"transposed"`` or ``"dilated"``: the layer it sizes.
    holds : callable
        ``holds(**params) -> bool``: whether the parameters meet its conditions.
    closed_form : callable
        The paper's formula as a function of the parameters.
    output_size : callable
        The same size from :mod:`helpers.arithmetic` (the package's one size formula).
    lesson : str
        Notebook file that teaches it.
    section : str
        The section heading inside that notebook.
    """

    number: int
    case: str
    statement: str
    formula: str
    kind: str
    holds: Callable[..., bool]
    closed_form: Callable[..., int]
    output_size: Callable[..., int]
    lesson: str
    section: str

    def __repr__(self) -> str:
        """Number, case and formula, on one line."""
        return f"Relationship {self.number} ({self.case}): {self.formula}"

    def where(self) -> str:
        """Lesson and section, e.g. ``"01 · §2 No zero padding, unit stride"``."""
        return f"{self.lesson[:2]} · {self.section}"


@dataclass(frozen=True)
class EquivalentConvolution:
    """The direct convolution that a transposed convolution equals (Relationships 8-14).

    Attributes
    ----------
    k, s, p : int
        The paper's ``k' = k``, ``s' = 1`` and ``p' = k - 1 - p`` (per side; negative
        means cropping, which PyTorch's formula allows but the paper does not use).
    stretched : int
        The paper's stretched input size: ``(i' - 1)*s + 1``, ``s - 1`` zeros between cells.
    a : int
        Zeros added at the bottom/right (PyTorch's ``output_padding``).
    output_size : int
        ``stretched + a + 2*p' - k + 1``, the transposed convolution's output size.
    """

    k: int
    s: int
    p: int
    stretched: int
    a: int
    output_size: int


def equivalent_convolution(i_: int, k: int, s: int = 1, p: int = 0, a: int = 0):
    """The direct convolution equivalent to ``ConvTranspose(k, stride=s, padding=p)``.

    Parameters
    ----------
    i_ : int
        The transposed convolution's input size (the paper's i').
    k, s, p, a : int
        Kernel size, stride, PyTorch's ``padding`` and ``output_padding``.

    Returns
    -------
    EquivalentConvolution
        ``k' = k``, ``s' = 1``, ``p' = k - 1 - p``, the stretched size ``(i' - 1)s + 1``
        and ``a``; its ``output_size`` equals
        :func:`helpers.arithmetic.conv_transpose_output_size`.

    Raises
    ------
    TypeError, ValueError
        For arguments ``nn.ConvTranspose2d`` refuses (via
        :func:`helpers.arithmetic.conv_transpose_output_size`).

    Notes
    -----
    Introduced in notebook 04 (Dumoulin & Visin 2016, section 4, Figs. 4.1-4.7).
    The arrays themselves: :func:`helpers.transposed.stretched_padded_input`.

    Examples
    --------
    >>> equivalent_convolution(2, 3)   # Fig. 4.1: 2x2 -> 4x4, p' = 2
    EquivalentConvolution(k=3, s=1, p=2, stretched=2, a=0, output_size=4)
    >>> equivalent_convolution(3, 3, s=2, p=1, a=1)   # Fig. 4.7
    EquivalentConvolution(k=3, s=1, p=1, stretched=5, a=1, output_size=6)
    """
    size = arithmetic.conv_transpose_output_size(i_, k, s, p, output_padding=a)
    q = arithmetic.equivalent_padding(k, p)
    return EquivalentConvolution(k, 1, q, (i_ - 1) * s + 1, a, size)


def _conv(i, k, s=1, p=0, d=1):
    return arithmetic.conv_output_size(i, k, s, p, d)


def _transposed(i_, k, s=1, p=0, a=0):
    return arithmetic.conv_transpose_output_size(i_, k, s, p, output_padding=a)


_L01, _L02 = "01_convolution_arithmetic.ipynb", "02_pooling.ipynb"
_L03, _L04 = "03_dilated_convolution.ipynb", "04_transposed_convolution.ipynb"
_TRANSPOSED = "§3 The output size: Relationships 8–14"

RELATIONSHIPS: tuple[Relationship, ...] = (
    Relationship(
        1, "no zero padding, unit strides",
        "For any i and k, and for s = 1 and p = 0: o = (i − k) + 1.",
        "o = (i − k) + 1", "conv",
        lambda i, k, s=1, p=0, d=1: s == 1 and p == 0 and d == 1,
        lambda i, k, s=1, p=0, d=1: (i - k) + 1,
        _conv, _L01, "§2 No zero padding, unit stride",
    ),
    Relationship(
        2, "zero padding, unit strides",
        "For any i, k and p, and for s = 1: o = (i − k) + 2p + 1.",
        "o = (i − k) + 2p + 1", "conv",
        lambda i, k, s=1, p=0, d=1: s == 1 and d == 1,
        lambda i, k, s=1, p=0, d=1: (i - k) + 2 * p + 1,
        _conv, _L01, "§3 Zero padding, unit stride",
    ),
    Relationship(
        3, "half (same) padding",
        "For any i, for k odd (k = 2n + 1), s = 1 and p = ⌊k/2⌋ = n: o = i.",
        "o = i + 2⌊k/2⌋ − (k − 1) = i", "conv",
        lambda i, k, s=1, p=0, d=1: k % 2 == 1 and s == 1 and p == k // 2 and d == 1,
        lambda i, k, s=1, p=0, d=1: i,
        _conv, _L01, "§4 Half (\"same\") padding",
    ),
    Relationship(
        4, "full padding",
        "For any i and k, and for p = k − 1 and s = 1: o = i + (k − 1).",
        "o = i + 2(k − 1) − (k − 1) = i + (k − 1)", "conv",
        lambda i, k, s=1, p=0, d=1: s == 1 and p == k - 1 and d == 1,
        lambda i, k, s=1, p=0, d=1: i + (k - 1),
        _conv, _L01, "§5 Full padding",
    ),
    Relationship(
        5, "no zero padding, non-unit strides",
        "For any i, k and s, and for p = 0: o = ⌊(i − k)/s⌋ + 1.",
        "o = ⌊(i − k)/s⌋ + 1", "conv",
        lambda i, k, s=1, p=0, d=1: p == 0 and d == 1,
        lambda i, k, s=1, p=0, d=1: (i - k) // s + 1,
        _conv, _L01, "§6 Non-unit strides and the general formula",
    ),
    Relationship(
        6, "zero padding, non-unit strides",
        "For any i, k, p and s: o = ⌊(i + 2p − k)/s⌋ + 1.",
        "o = ⌊(i + 2p − k)/s⌋ + 1", "conv",
        lambda i, k, s=1, p=0, d=1: d == 1,
        lambda i, k, s=1, p=0, d=1: (i + 2 * p - k) // s + 1,
        _conv, _L01, "§6 Non-unit strides and the general formula",
    ),
    Relationship(
        7, "pooling (no padding)",
        "For any i, k and s (pooling, no padding): o = ⌊(i − k)/s⌋ + 1. "
        "PyTorch's padded form ⌊(i + 2p − k)/s⌋ + 1 is not in the paper.",
        "o = ⌊(i − k)/s⌋ + 1", "pool",
        lambda i, k, s=1, p=0, d=1: p == 0 and d == 1,
        lambda i, k, s=1, p=0, d=1: (i - k) // s + 1,
        lambda i, k, s=1, p=0, d=1: arithmetic.pool_output_size(i, k, s, p, d),
        _L02, "§2 The same window arithmetic",
    ),
    Relationship(
        8, "transpose of no padding, unit strides",
        "A convolution with s = 1, p = 0 and k has a transposed convolution equal to a direct "
        "one with k′ = k, s′ = s and p′ = k − 1; its output size is o′ = i′ + (k − 1).",
        "o′ = i′ + (k − 1)", "transposed",
        lambda i_, k, s=1, p=0, a=0: s == 1 and p == 0 and a == 0,
        lambda i_, k, s=1, p=0, a=0: i_ + (k - 1),
        _transposed, _L04, _TRANSPOSED,
    ),
    Relationship(
        9, "transpose of zero padding, unit strides",
        "A convolution with s = 1, k and p has a transposed convolution equal to a direct one "
        "with k′ = k, s′ = s and p′ = k − p − 1; o′ = i′ + (k − 1) − 2p.",
        "o′ = i′ + (k − 1) − 2p", "transposed",
        lambda i_, k, s=1, p=0, a=0: s == 1 and a == 0 and p <= k - 1,
        lambda i_, k, s=1, p=0, a=0: i_ + (k - 1) - 2 * p,
        _transposed, _L04, _TRANSPOSED,
    ),
    Relationship(
        10, "transpose of half padding",
        "A convolution with k = 2n + 1, s = 1 and p = ⌊k/2⌋ = n has a transposed convolution "
        "equal to a direct one with k′ = k, s′ = s and p′ = p; o′ = i′.",
        "o′ = i′ + (k − 1) − 2p = i′", "transposed",
        lambda i_, k, s=1, p=0, a=0: k % 2 == 1 and s == 1 and p == k // 2 and a == 0,
        lambda i_, k, s=1, p=0, a=0: i_,
        _transposed, _L04, _TRANSPOSED,
    ),
    Relationship(
        11, "transpose of full padding",
        "A convolution with s = 1, k and p = k − 1 has a transposed convolution equal to a "
        "direct one with k′ = k, s′ = s and p′ = 0; o′ = i′ − (k − 1).",
        "o′ = i′ + (k − 1) − 2p = i′ − (k − 1)", "transposed",
        lambda i_, k, s=1, p=0, a=0: s == 1 and p == k - 1 and a == 0,
        lambda i_, k, s=1, p=0, a=0: i_ - (k - 1),
        _transposed, _L04, _TRANSPOSED,
    ),
    Relationship(
        12, "transpose of no padding, non-unit strides",
        "A convolution with p = 0, k and s, whose input size i makes i − k a multiple of s, has "
        "a transposed convolution equal to a direct one on the stretched input ĩ′ (s − 1 zeros "
        "between cells) with k′ = k, s′ = 1 and p′ = k − 1; o′ = s(i′ − 1) + k.",
        "o′ = s(i′ − 1) + k", "transposed",
        lambda i_, k, s=1, p=0, a=0: p == 0 and a == 0,
        lambda i_, k, s=1, p=0, a=0: s * (i_ - 1) + k,
        _transposed, _L04, _TRANSPOSED,
    ),
    Relationship(
        13, "transpose of zero padding, non-unit strides",
        "A convolution with k, s and p, whose input size i makes i + 2p − k a multiple of s, "
        "has a transposed convolution equal to a direct one on the stretched input ĩ′ with "
        "k′ = k, s′ = 1 and p′ = k − p − 1; o′ = s(i′ − 1) + k − 2p.",
        "o′ = s(i′ − 1) + k − 2p", "transposed",
        lambda i_, k, s=1, p=0, a=0: a == 0 and p <= k - 1,
        lambda i_, k, s=1, p=0, a=0: s * (i_ - 1) + k - 2 * p,
        _transposed, _L04, _TRANSPOSED,
    ),
    Relationship(
        14, "transpose of zero padding, non-unit strides, any input size",
        "A convolution with k, s and p has a transposed convolution equal to a direct one on "
        "the stretched input ĩ′ with a = (i + 2p − k) mod s zeros added at the bottom and right, "
        "k′ = k, s′ = 1 and p′ = k − p − 1; o′ = s(i′ − 1) + a + k − 2p.",
        "o′ = s(i′ − 1) + a + k − 2p", "transposed",
        lambda i_, k, s=1, p=0, a=0: a < s and p <= k - 1,
        lambda i_, k, s=1, p=0, a=0: s * (i_ - 1) + a + k - 2 * p,
        _transposed, _L04, "§4 `output_padding` is the paper's $a$",
    ),
    Relationship(
        15, "dilated convolution",
        "For any i, k, p and s, and for a dilation rate d: "
        "o = ⌊(i + 2p − k − (k − 1)(d − 1))/s⌋ + 1.",
        "o = ⌊(i + 2p − k − (k − 1)(d − 1))/s⌋ + 1", "dilated",
        lambda i, k, s=1, p=0, d=1: True,
        lambda i, k, s=1, p=0, d=1: (i + 2 * p - k - (k - 1) * (d - 1)) // s + 1,
        _conv, _L03, "§2 Output size with dilation",
    ),
)  # fmt: skip


def relationship(number: int) -> Relationship:
    """Relationship ``number`` of the paper.

    Parameters
    ----------
    number : int
        1 to 15.

    Returns
    -------
    Relationship

    Raises
    ------
    TypeError, ValueError
        If ``number`` is not an int from 1 to 15.

    Examples
    --------
    >>> relationship(3)
    Relationship 3 (half (same) padding): o = i + 2⌊k/2⌋ − (k − 1) = i
    >>> relationship(3).where()
    '01 · §4 Half ("same") padding'
    """
    number = arithmetic.check_int("number", number, 1)
    if number > len(RELATIONSHIPS):
        raise ValueError(f"number={number} is invalid: the paper has Relationships 1 to 15")
    return RELATIONSHIPS[number - 1]


def index_table(*, links: str | None = None) -> str:
    """A Markdown table: every Relationship, its formula and where it is taught.

    Parameters
    ----------
    links : str, optional
        Folder prefix for links to the lessons, e.g. ``"notebooks/"`` in the README or
        ``""`` inside ``notebooks/``; None writes the lesson number without a link.

    Returns
    -------
    str
        A header, a separator and 15 rows: number, case, formula, lesson and section.

    Examples
    --------
    >>> print(index_table().splitlines()[2])
    | 1 | no zero padding, unit strides | o = (i − k) + 1 | 01 | §2 No zero padding, unit stride |
    """
    rows = ["| Relationship | Case | Formula | Lesson | Section |", "|---|---|---|---|---|"]
    for r in RELATIONSHIPS:
        lesson = r.lesson[:2] if links is None else f"[{r.lesson[:2]}]({links}{r.lesson})"
        section = r.section.replace("|", "\\|")
        rows.append(f"| {r.number} | {r.case} | {r.formula} | {lesson} | {section} |")
    return "\n".join(rows)
