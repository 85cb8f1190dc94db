"""The decoder explorer: pick a decoder and see its overlap map, its checkerboard, a digit.

A menu picks one of the four decoders of lesson 07 (:data:`helpers.autoencoders.DECODERS`)
or an untrained transposed convolution with any kernel size ``k`` and stride ``s`` (the two
sliders, active only then). Three panels show

1. the overlap count of one upsampling step from a 7 x 7 map (lesson 04's
   :func:`helpers.transposed.overlap_counts_2d`, or the resize-then-convolve count of
   :func:`helpers.transposed.resize_convolution`);
2. what a freshly initialised decoder (seed 0) makes of a constant code, with its
   checkerboard score (:func:`helpers.checkerboard.checkerboard_score`);
3. a test digit and its reconstruction by the *trained* decoder, when trained models are
   given, with the reconstruction's score.

Introduced in notebook 07.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn

from helpers import autoencoders, checkerboard, drawing, transposed
from helpers.validation import check_choice
from helpers.widgets.base import Explorer, ExplorerState, Settings, int_slider, reuse_axes
from helpers.widgets.controls import choice_menu
from helpers.widgets.text import HTML, TEXT, Markup

__all__ = ["CUSTOM", "DecoderExplorer", "DecoderState", "decoder_explorer"]

#: The menu entry for an untrained transposed convolution with the sliders' k and s.
CUSTOM = "untrained k, s"
#: Side of the code map that the decoders start from.
CODE_SIDE = 7


@dataclass(frozen=True, kw_only=True, eq=False)
class DecoderState(ExplorerState):
    """What the decoder explorer shows for one setting of its controls.

    Parameters
    ----------
    label : str
        The layer, e.g. ``"ConvTranspose2d k=3, s=2, p=1"``.
    pattern : ndarray or None
        Interior overlap counts per phase (:func:`helpers.transposed.overlap_pattern`);
        None for resize-then-convolve.
    counts : ndarray
        The overlap count map of one step from a 7 x 7 map of ones.
    constant : ndarray
        A fresh decoder's output for a constant code.
    period : int
        The period scored: the product of the upsampling strides.
    score : float
        :func:`helpers.checkerboard.checkerboard_score` of ``constant``.
    digit, reconstruction : ndarray or None
        The chosen test image and the trained decoder's reconstruction (None without
        trained models, or for the untrained layer).
    digit_score : float or None
        The reconstruction's score.
    """

    label: str
    pattern: np.ndarray | None
    counts: np.ndarray
    constant: np.ndarray
    period: int
    score: float
    digit: np.ndarray | None = None
    reconstruction: np.ndarray | None = None
    digit_score: float | None = None

    @property
    def output_size(self) -> int:
        """Side of the constant-code image."""
        return self.constant.shape[-1]


def _custom_output(k: int, s: int) -> np.ndarray:
    """A fresh ``ConvTranspose2d(4, 1, k, s)`` (seed 0) applied to a 7 x 7 code of ones."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        layer = nn.ConvTranspose2d(autoencoders.CHANNELS[1], 1, k, stride=s)
    return autoencoders.constant_code_image(layer, CODE_SIDE).numpy()


def _overlap_lines(label, pattern, period, score, digit, digit_score, m: Markup) -> list[str]:
    """The layer, its overlap, and the constant-code score (``<span class="output-size">``)."""
    if pattern is None:
        overlap = "resize then convolve: every cell is a full 3×3 sum (no uneven overlap)"
    else:
        counts = ", ".join(str(c) for c in pattern)
        kind = "even" if len(set(pattern.tolist())) == 1 else "uneven"
        overlap = f"interior cells covered {counts} times in turn ({kind})"
    shown = f"{score:.3f}"
    if m.html:
        shown = f'<span class="output-size">{shown}</span>'
    line = f"checkerboard score of a constant code at initialisation (period {period}): {shown}"
    if digit_score is not None:
        line += (
            f"; the same score for the trained reconstruction of test digit {digit}: "
            f"{digit_score:.4f} (a faint pattern on a digit: this score cannot tell it from noise)"
        )
    return [f"{m.bold(m.escape(label))}: {overlap}", line]


class DecoderExplorer(Explorer):
    """Explorer of the lesson-07 decoders; see :func:`decoder_explorer`."""

    def __init__(self, controls, *, models: Mapping | None, images, **options):
        self.models = dict(models or {})
        self.images = images
        super().__init__(controls, **options)

    @property
    def score(self) -> float:
        """The constant-code score shown, rounded to 3 decimals."""
        return round(self.state.score, 3)

    def compute(self, settings: Settings) -> DecoderState:
        """Overlap counts, a fresh decoder's constant-code image and score, the digit."""
        v = settings
        custom = v.decoder == CUSTOM
        ranges = {
            "k": (self.controls["k"].max, custom),
            "s": (self.controls["s"].max, custom),
            "digit": (self.controls["digit"].max, not custom and bool(self.models)),
        }
        digit = reconstruction = digit_score = None
        if custom:
            k, s = v.k, v.s
            constant = _custom_output(k, s)
            label = f"untrained ConvTranspose2d k={k}, s={s}, p=0"
            pattern = transposed.overlap_pattern(k, s)
            counts = transposed.overlap_counts_2d(CODE_SIDE, k, s)
            period = s
        else:
            upsampler = autoencoders.upsampler_of(v.decoder)
            first, second = autoencoders.decoder_plan(upsampler)
            k, s, p = upsampler.k, upsampler.s, upsampler.p
            if upsampler.kind == "resize":
                ones = np.ones((CODE_SIDE,) * 2)
                counts = transposed.resize_convolution(ones, np.ones((k, k)), s)
                pattern = None
            else:
                counts = transposed.overlap_counts_2d(
                    CODE_SIDE, k, s, p, output_padding=first.output_padding
                )
                pattern = transposed.overlap_pattern(k, s)
            fresh = autoencoders.build_decoder(upsampler, seed=0)
            constant = autoencoders.constant_code_image(fresh, CODE_SIDE).numpy()
            period, label = first.s * second.s, upsampler.label()
            model = self.models.get(v.decoder)
            if model is not None and self.images is not None:
                image = self.images[v.digit : v.digit + 1]
                reconstruction = autoencoders.reconstruct(model, image)[0, 0].numpy()
                digit = np.asarray(image[0, 0])
                digit_score = checkerboard.checkerboard_score(reconstruction, period)
        score = checkerboard.checkerboard_score(constant, period)
        lines = (label, pattern, period, score, v.digit, digit_score)
        return DecoderState(
            settings=v,
            formula=tuple(_overlap_lines(*lines, HTML)),
            caption=tuple(_overlap_lines(*lines, TEXT)),
            ranges=ranges,
            summary=f"score={round(score, 3)}",
            label=label,
            pattern=pattern,
            counts=counts,
            constant=constant,
            period=period,
            score=score,
            digit=digit,
            reconstruction=reconstruction,
            digit_score=digit_score,
        )

    def draw(self, fig: Figure, state: DecoderState) -> None:
        """Three panels: overlap count, constant-code image, digit and reconstruction."""
        axes = reuse_axes(fig, 3, width_ratios=[1, 1, 2])
        vmax = float(np.max(state.counts)) or 1.0
        drawing.draw_overlap_counts(axes[0], state.counts, vmax=vmax, title="overlap from 7×7")
        drawing.fit_view(axes[0])
        drawing.draw_image(
            axes[1],
            state.constant,
            cmap="gray_r",
            title=f"init, constant code: {state.score:.3f}",
        )
        if state.digit is None:
            axes[2].set_axis_off()
            text = "no trained model for this layer" if self.models else "no trained models given"
            drawing.write_text(
                axes[2], 0.5, 0.5, text, ha="center", va="center", transform=axes[2].transAxes
            )
            return
        pair = np.concatenate(
            [state.digit, np.zeros((state.digit.shape[0], 1)), state.reconstruction], axis=1
        )
        drawing.draw_image(
            axes[2], pair, cmap="gray_r", vmin=0.0, vmax=1.0,
            title=f"test digit {state.settings.digit}, trained: {state.digit_score:.4f}",
        )  # fmt: skip


def decoder_explorer(
    models: Mapping | None = None,
    images=None,
    *,
    decoder: str = "uneven",
    k: int = 3,
    s: int = 2,
    digit: int = 0,
) -> DecoderExplorer:
    """A menu of decoders and sliders for an untrained layer: overlap, checkerboard, a digit.

    Parameters
    ----------
    models : mapping of str to nn.Module, optional
        Trained autoencoders by decoder name (the keys of
        :data:`helpers.autoencoders.DECODERS`); without them the third panel stays empty.
    images : torch.Tensor, shape (N, 1, 28, 28), optional
        Test images to reconstruct; the ``digit`` slider picks one.
    decoder : str, default="uneven"
        A name in :data:`helpers.autoencoders.DECODERS`, or :data:`CUSTOM`.
    k : int, default=3
        Kernel size of the untrained layer, 1 to 7.
    s : int, default=2
        Its stride, 1 to 4.
    digit : int, default=0
        Index into ``images``.

    Returns
    -------
    DecoderExplorer
        An :class:`Explorer` with controls ``decoder, k, s, digit``; ``.score`` is the
        constant-code score shown, rounded to 3 decimals.

    Raises
    ------
    ValueError
        If ``decoder`` is not in the menu or a slider value is out of range.

    Notes
    -----
    Introduced in notebook 07.

    Examples
    --------
    >>> decoder_explorer(decoder="resize").score < decoder_explorer(decoder="uneven").score
    True
    """
    options = [*autoencoders.DECODERS, CUSTOM]
    check_choice("decoder", decoder, options)
    count = 1 if images is None else len(images)
    controls = {
        "decoder": choice_menu(options, decoder, "decoder"),
        "k": int_slider("k", k, 1, 7, "kernel size k"),
        "s": int_slider("s", s, 1, 4, "stride s"),
        "digit": int_slider("digit", digit, 0, count - 1, "test digit"),
    }
    return DecoderExplorer(controls, models=models, images=images, figsize=(8.0, 2.8))
