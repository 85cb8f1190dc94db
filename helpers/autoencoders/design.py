"""The shapes of an autoencoder, designed before any layer is built.

An encoder of strided convolutions takes 28 -> 14 -> 7; each decoder mirrors it 7 -> 14 -> 28
with one of four upsampling layers. Every size comes from :mod:`helpers.arithmetic`: the
encoder's from the convolution formula, the transposed convolution's ``output_padding``
from :func:`helpers.arithmetic.conv_input_sizes` (the input sizes that the floor of lesson 01
merged, one of which the decoder must pick), and the resize decoder's from
:func:`helpers.arithmetic.upsample_output_size` and a "same" convolution.

Introduced in notebook 07.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from helpers import arithmetic, transposed
from helpers.validation import check_choice, check_int

__all__ = [
    "DECODERS",
    "LayerPlan",
    "Upsampler",
    "decoder_plan",
    "encoder_plan",
    "output_padding_for",
]

#: The encoder's sizes, and the decoder's on the way back.
ENCODER_SIZES = (28, 14, 7)
DECODER_SIZES = (7, 14, 28)


@dataclass(frozen=True)
class Upsampler:
    """One way to double a feature map: a transposed convolution, or resize then convolve.

    Attributes
    ----------
    name : str
        The decoder's name in the lesson (``"uneven"``, ``"even"``, ``"no overlap"``,
        ``"resize"``).
    kind : {"transposed", "resize"}
        ``nn.ConvTranspose2d(k, stride=s, padding=p)``, or ``nn.Upsample(scale_factor=s,
        mode="nearest")`` followed by ``nn.Conv2d(k, padding=p)``.
    k, s, p : int
        Kernel size, stride (the upsampling factor) and padding.

    Notes
    -----
    Introduced in notebook 07.
    """

    name: str
    kind: str
    k: int
    s: int = 2
    p: int = 0

    def __post_init__(self):
        """Check ``kind``, ``k``, ``s`` and ``p`` (``TypeError`` / ``ValueError`` naming them)."""
        check_choice("kind", self.kind, ("transposed", "resize"))
        check_int("k", self.k, minimum=1)
        check_int("s", self.s, minimum=1)
        check_int("p", self.p, minimum=0)

    @property
    def overlap(self) -> str:
        """``"uneven"``, ``"even"`` or ``"none"`` (kernel copies of lesson 04), or ``"resize"``.

        From :func:`helpers.transposed.overlap_pattern`: the copies covering an interior
        cell, per phase; none when ``k <= s`` and every phase is covered once.
        """
        if self.kind == "resize":
            return "resize"
        pattern = transposed.overlap_pattern(self.k, self.s)
        if len(set(pattern.tolist())) > 1:
            return "uneven"
        return "none" if self.k <= self.s else "even"

    def label(self) -> str:
        """A short description, e.g. ``"ConvTranspose2d k=3, s=2, p=1"``."""
        if self.kind == "resize":
            return f"nearest ×{self.s}, then Conv2d k={self.k}, p={self.p}"
        return f"ConvTranspose2d k={self.k}, s={self.s}, p={self.p}"


#: The lesson's four decoders: Distill's uneven overlap, even overlap, no overlap, and their
#: fix.
DECODERS = {
    "uneven": Upsampler("uneven", "transposed", k=3, s=2, p=1),
    "even": Upsampler("even", "transposed", k=4, s=2, p=1),
    "no overlap": Upsampler("no overlap", "transposed", k=2, s=2, p=0),
    "resize": Upsampler("resize", "resize", k=3, s=2, p=1),
}


@dataclass(frozen=True)
class LayerPlan:
    """One planned layer: its sizes and hyper-parameters, with the formula that gave them.

    Attributes
    ----------
    kind : {"conv", "transposed", "resize"}
    i, o : int
        Input and output size (square maps).
    k, s, p : int
        Kernel size, stride (upsampling factor for ``"resize"``), padding.
    output_padding : int
        For ``"transposed"``; 0 otherwise.
    formula : str
        The size formula with the numbers, from :class:`helpers.arithmetic.SizeResult`.

    Notes
    -----
    Introduced in notebook 07.
    """

    kind: str
    i: int
    o: int
    k: int
    s: int
    p: int
    output_padding: int
    formula: str

    def build(self, c_in: int, c_out: int) -> nn.Module:
        """The PyTorch layer of this plan, from ``c_in`` to ``c_out`` channels.

        Returns
        -------
        nn.Module
            ``nn.Conv2d``, ``nn.ConvTranspose2d``, or for ``"resize"`` an
            ``nn.Sequential(nn.Upsample, nn.Conv2d)``.
        """
        if self.kind == "conv":
            return nn.Conv2d(c_in, c_out, self.k, stride=self.s, padding=self.p)
        if self.kind == "transposed":
            return nn.ConvTranspose2d(
                c_in, c_out, self.k, stride=self.s, padding=self.p,
                output_padding=self.output_padding,
            )  # fmt: skip
        return nn.Sequential(
            nn.Upsample(scale_factor=self.s, mode="nearest"),
            nn.Conv2d(c_in, c_out, self.k, padding=self.p),
        )


def _sizes(name: str, sizes) -> tuple[int, ...]:
    if not isinstance(sizes, tuple | list) or len(sizes) < 2:
        raise TypeError(f"{name}={sizes!r} is invalid: must be a tuple of at least two sizes")
    return tuple(check_int(f"{name}[{n}]", size, minimum=1) for n, size in enumerate(sizes))


def encoder_plan(sizes=ENCODER_SIZES, k: int = 3, s: int = 2, p: int = 1) -> list[LayerPlan]:
    """The strided convolutions that take ``sizes[0]`` to ``sizes[-1]``, checked layer by layer.

    Parameters
    ----------
    sizes : tuple of int, default=(28, 14, 7)
        The map size before the first layer and after each layer.
    k, s, p : int, default=3, 2, 1
        Every layer's kernel size, stride and padding.

    Returns
    -------
    list of LayerPlan
        One ``"conv"`` plan per step, its ``formula`` from
        :func:`helpers.arithmetic.conv_size`.

    Raises
    ------
    ValueError
        If the formula does not give the next size (the message shows the formula).

    Notes
    -----
    Introduced in notebook 07: ``⌊(28 + 2 - 3)/2⌋ + 1 = 14`` and ``⌊(14 + 2 - 3)/2⌋ + 1 = 7``.

    Examples
    --------
    >>> [(plan.i, plan.o) for plan in encoder_plan()]
    [(28, 14), (14, 7)]
    """
    sizes = _sizes("sizes", sizes)
    plans = []
    for i, o in zip(sizes, sizes[1:], strict=False):
        result = arithmetic.conv_size(i, k, s, p)
        if result.value != o:
            raise ValueError(
                f"a Conv2d with k={k}, s={s}, p={p} maps {i} to {result.value}, not {o}: "
                f"{result.text()}"
            )
        plans.append(LayerPlan("conv", i, o, k, s, p, 0, result.text()))
    return plans


def output_padding_for(i: int, o: int, k: int, s: int = 1, p: int = 0) -> int:
    """The ``output_padding`` that makes a transposed convolution take ``i`` to ``o``.

    Parameters
    ----------
    i : int
        The transposed convolution's input size (the forward convolution's output).
    o : int
        The size wanted.
    k, s, p : int
        Kernel size, stride, padding.

    Returns
    -------
    int
        ``a = o - min(candidates)``, where ``candidates`` =
        :func:`helpers.arithmetic.conv_input_sizes` ``(i, k, s, p)`` are the sizes that
        the convolution with the same ``(k, s, p)`` maps to ``i``: the transposed
        convolution reaches exactly these, one for each ``a`` in ``0 .. s - 1``.

    Raises
    ------
    ValueError
        If ``o`` is not one of the candidates (they are listed).

    Notes
    -----
    Introduced in notebook 07: for ``k = 3, s = 2, p = 1`` the candidates for ``i = 7`` are
    13 and 14, so reaching 14 takes ``output_padding = 1``.

    Examples
    --------
    >>> output_padding_for(7, 14, k=3, s=2, p=1), output_padding_for(7, 14, k=4, s=2, p=1)
    (1, 0)
    """
    o = check_int("o", o, minimum=1)
    candidates = arithmetic.conv_input_sizes(i, k, s, p)
    if o not in candidates:
        reachable = ", ".join(map(str, candidates)) or "no size at all"
        raise ValueError(
            f"o={o} is invalid: a ConvTranspose2d with k={k}, s={s}, p={p} takes {i} to "
            f"{reachable} (output_padding 0 to {s - 1}), never to {o}; change k or p"
        )
    a = o - arithmetic.conv_transpose_output_size(i, k, s, p)
    assert arithmetic.conv_transpose_output_size(i, k, s, p, output_padding=a) == o
    return a


def decoder_plan(upsampler: Upsampler, sizes=DECODER_SIZES) -> list[LayerPlan]:
    """The upsampling layers that take ``sizes[0]`` back to ``sizes[-1]``.

    Parameters
    ----------
    upsampler : Upsampler
        One of :data:`DECODERS`, or any other.
    sizes : tuple of int, default=(7, 14, 28)

    Returns
    -------
    list of LayerPlan
        ``"transposed"`` plans with the ``output_padding`` of :func:`output_padding_for`
        and the formula of :func:`helpers.arithmetic.conv_transpose_size`; or ``"resize"``
        plans: nearest upsampling by ``s`` (``floor(s·i)`` cells, from
        :func:`helpers.arithmetic.upsample_output_size`), then a convolution whose size
        :func:`helpers.arithmetic.conv_size` gives and which must keep it.

    Raises
    ------
    TypeError
        If ``upsampler`` is not an :class:`Upsampler`.
    ValueError
        If a size cannot be reached.

    Notes
    -----
    Introduced in notebook 07.

    Examples
    --------
    >>> [plan.output_padding for plan in decoder_plan(DECODERS["uneven"])]
    [1, 1]
    """
    if not isinstance(upsampler, Upsampler):
        raise TypeError(f"upsampler={upsampler!r} is invalid: must be an Upsampler")
    sizes = _sizes("sizes", sizes)
    k, s, p = upsampler.k, upsampler.s, upsampler.p
    plans = []
    for i, o in zip(sizes, sizes[1:], strict=False):
        if upsampler.kind == "transposed":
            a = output_padding_for(i, o, k, s, p)
            formula = arithmetic.conv_transpose_size(i, k, s, p, output_padding=a).text()
            plans.append(LayerPlan("transposed", i, o, k, s, p, a, formula))
            continue
        upsampled = arithmetic.upsample_output_size(i, scale_factor=s)
        result = arithmetic.conv_size(upsampled, k, 1, p)
        if result.value != o:
            raise ValueError(
                f"nearest ×{s} makes {i} into {upsampled}; a Conv2d with k={k}, p={p} then "
                f"gives {result.value}, not {o}: {result.text()}"
            )
        formula = f"{s}·{i} = {upsampled}, then {result.text()}"
        plans.append(LayerPlan("resize", i, o, k, s, p, 0, formula))
    return plans
