"""Animated GIFs of the explorers' step-throughs, drawn by our own code.

An explorer walks its output positions with one control (``explorer.step_control``:
``"step"`` for convolution and pooling, the input cell for the transposed scatter).
:func:`explorer_frames` turns that walk into a sequence of frames, one per position,
and :func:`save_gif` writes them with matplotlib's :class:`~matplotlib.animation.PillowWriter`
(no ImageMagick, no LaTeX). Every frame shows the explorer's picture (input and output
labelled), its formula line with the numbers and the current step's arithmetic.

:class:`TransposedAsConvolution` adds the one view no explorer draws: a transposed
convolution computed as an ordinary stride-1 convolution of the zero-stretched,
padded input with the flipped kernel (:func:`helpers.transposed.stretched_padded_input`,
:func:`helpers.transposed.transposed_conv_as_convolution`).

The GIFs are reproducible: the same frames give the same bytes (one shared palette,
no dithering, no timestamps in the GIF format). ``tools/make_gallery.py`` uses this
module to regenerate ``docs/gallery/``. Introduced for the gallery of the series
; the explorers are those of notebooks 01 to 04.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from matplotlib.animation import PillowWriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from PIL import Image, ImageDraw, ImageFont

from helpers import arithmetic, drawing, transposed
from helpers.arithmetic.formula import render
from helpers.widgets import Settings

__all__ = [
    "FrameSource",
    "GifInfo",
    "PaletteGifWriter",
    "TransposedAsConvolution",
    "explorer_frames",
    "save_gif",
    "write_caption",
]

#: Colours of a GIF's shared palette: flat cells and anti-aliased text need few.
PALETTE_COLORS = 24
#: Caption font size in pixels (for a 240-pixel-high frame) and line height in inches.
CAPTION_PIXELS = 10
CAPTION_LINE = 0.22


# --------------------------------------------------------------------------- frame sources
class FrameSource(Protocol):
    """What :func:`save_gif` animates: a fixed-size picture per frame and its caption."""

    title: str
    figsize: tuple[float, float]
    caption_lines: int

    def __len__(self) -> int:
        """Number of frames."""

    def draw(self, fig, index: int) -> list[str]:
        """Draw frame ``index`` on an empty figure; return the caption's lines."""


@dataclass
class ExplorerFrames:
    """One frame per value of an explorer's step control; see :func:`explorer_frames`."""

    explorer: object
    control: str
    follow: tuple[str, ...]
    title: str
    caption_lines: int = 5

    @property
    def figsize(self) -> tuple[float, float]:
        """The explorer's figure size in inches: the picture part of each frame."""
        return tuple(self.explorer.figsize)

    def __len__(self) -> int:
        """Number of values of the step control (its slider range, set by the explorer)."""
        slider = self.explorer.controls[self.control]
        return slider.max - slider.min + 1

    def draw(self, fig, index: int) -> list[str]:
        """Draw the explorer at step ``index`` on ``fig``.

        Parameters
        ----------
        fig : Figure or SubFigure
            Empty.
        index : int
            ``0 <= index < len(self)``.

        Returns
        -------
        list of str
            The formula line(s) and the step's arithmetic, as plain text.
        """
        explorer = self.explorer
        value = explorer.controls[self.control].min + index
        # The explorer's pure compute and its draw: the widgets are not redrawn (that would
        # render a second PNG per frame), the explorer is left as it was.
        steps = {name: value for name in (self.control, *self.follow)}
        state = explorer.compute(Settings({**explorer.params(), **steps}))
        explorer.draw(fig, state)
        return list(state.caption)


def explorer_frames(
    explorer, *, title: str, follow: Sequence[str] = (), caption_lines: int = 5, **values
) -> ExplorerFrames:
    """The step-through of an explorer, ready for :func:`save_gif`.

    Parameters
    ----------
    explorer : helpers.widgets.Explorer
        Any explorer with a step control (``explorer.step_control``, or a ``"step"``
        control in older explorers).
    title : str
        First line of every frame's caption.
    follow : sequence of str, optional
        Controls set to the same value as the step control in each frame (the conv
        explorer's ``"cell"``, so the receptive field follows the window).
    caption_lines : int, default=5
        Lines reserved below the picture for the formula and the step's arithmetic.
    **values
        Control values to set first (``i=5, k=3, ...``). A value above a slider's
        maximum widens that slider: the gallery may show a case the lesson's slider
        does not reach.

    Returns
    -------
    ExplorerFrames
        ``len()`` is the number of positions the step control walks: the output
        positions, or the input cells of the transposed scatter.

    Raises
    ------
    ValueError
        If the explorer has no step control, or the values give no output.

    Examples
    --------
    >>> from helpers.widgets import conv_explorer
    >>> len(explorer_frames(conv_explorer(), title="demo", i=5, k=3, s=2, p=1))
    9
    """
    control = getattr(explorer, "step_control", None)
    if control is None and "step" in explorer.controls:
        control = "step"
    if control is None:
        raise ValueError(f"{type(explorer).__name__} has no step control to animate")
    for name, value in values.items():
        slider = explorer.controls[name]
        if isinstance(value, int) and hasattr(slider, "max") and value > slider.max:
            slider.max = value
    explorer.set(**values)
    if explorer.output_size is None:
        raise ValueError(f"{values} gives no output: {explorer.state.message}")
    return ExplorerFrames(explorer, control, tuple(follow), title, caption_lines)


# --------------------------------------------------------------------------- transposed as conv
class TransposedAsConvolution:
    """Frames of a transposed convolution computed as a stride-1 convolution.

    Parameters
    ----------
    x : array_like, shape (H, W)
        The transposed convolution's input.
    weight : array_like, shape (k, k)
        Its kernel; the frames slide the *flipped* kernel.
    s, p, d, output_padding : int
        The transposed convolution's stride, padding, dilation and output padding.
    title : str
        First caption line.

    Notes
    -----
    The stretched input holds ``x[m, n]`` at ``(q + m*s, q + n*s)`` with
    ``q = d*(k - 1) - p`` (Dumoulin & Visin 2016, relationship 14; PyTorch's
    ``ConvTranspose2d`` documentation). Each input element keeps the colour and the
    letter of its kernel copy in the scatter view (:func:`helpers.drawing.copy_color`,
    :func:`helpers.drawing.copy_letter`), inserted zeros are white and the padding grey.
    One frame per output position.
    """

    def __init__(self, x, weight, s=1, p=0, d=1, output_padding=0, *, title: str):
        self.x, self.weight = np.asarray(x), np.asarray(weight)
        self.s, self.p, self.d, self.op = s, p, d, output_padding
        self.title = title
        self.caption_lines = 6
        k = self.weight.shape[0]
        self.padded = transposed.stretched_padded_input(self.x, k, s, p, d, output_padding)
        self.out = transposed.transposed_conv_as_convolution(
            self.x, self.weight, s, p, d, output_padding
        )
        self.size = arithmetic.conv_transpose_output_size(
            self.x.shape[0], k, s, p, d, output_padding
        )
        width = self.padded.shape[1] + k + self.size + 3
        self.figsize = (max(6.5, 0.36 * width), 3.0)

    def __len__(self) -> int:
        """One frame per output cell."""
        return self.out.size

    def _split(self) -> tuple[int, int, np.ndarray]:
        """The padding before / after (``q``, ``q + output_padding``) and the inner block."""
        q = arithmetic.equivalent_padding(self.weight.shape[0], self.p, self.d)
        before, after = max(q, 0), max(q + self.op, 0)
        end = self.padded.shape[0] - after
        return before, after, self.padded[before:end, before:end]

    def draw(self, fig, index: int) -> list[str]:
        """Draw output position ``index`` (raster order) on ``fig``; return the caption lines.

        Parameters
        ----------
        fig : Figure or SubFigure
            Empty.
        index : int
            ``0 <= index < len(self)``.

        Returns
        -------
        list of str
            The stretch and padding arithmetic, the output size and the current sum.
        """
        i, k = self.x.shape[0], self.weight.shape[0]
        s, p, d, op = self.s, self.p, self.d, self.op
        before, after, inner = self._split()
        q = arithmetic.equivalent_padding(k, p, d)
        row, col = divmod(index, self.out.shape[1])
        flipped = self.weight[::-1, ::-1]
        ax = fig.add_axes((0.01, 0.01, 0.98, 0.9))
        ax.set_axis_off()
        size = self.padded.shape[0]
        drawing.draw_grid(ax, inner, padding=(before, after, before, after), color="white")
        inside = [  # the input elements on the stretched grid, and where
            ((m, n), (q + m * s, q + n * s))
            for m, n in np.ndindex(*self.x.shape)
            if 0 <= q + m * s < size and 0 <= q + n * s < size
        ]
        for (m, n), cell in inside:
            drawing.highlight_cells(ax, [cell], color=drawing.copy_color(m, n, i), alpha=0.5)
        drawing.draw_copy_letters(  # each element's letter, as in the scatter view
            ax,
            [element for element, _ in inside],
            i,
            at=[cell for _, cell in inside],
            corner=size <= drawing.MAX_LABELLED,
        )
        drawing.draw_kernel_window(ax, row, col, k, 1, d)
        drawing.label_grid(ax, f"input {i}×{i} stretched and padded: {size}×{size}", size)
        kernel_at = (size + 1.5, 0)
        drawing.draw_grid(ax, flipped, origin=kernel_at, color=drawing.COLORS["kernel"])
        drawing.label_grid(ax, "flipped kernel", k, origin=kernel_at)
        out_at = (size + k + 3, 0)
        drawing.draw_output_grid(ax, self.out, current=(row, col), origin=out_at)
        drawing.label_grid(ax, f"output {self.size}×{self.size}", self.size, origin=out_at)
        taps = drawing.window_taps(row, col, k, 1, d)
        terms = [
            f"{drawing.format_value(self.padded[r, c])}·{drawing.format_value(w)}"
            for (r, c), w in zip(taps, flipped.ravel(), strict=True)
            if self.padded[r, c] != 0
        ]
        value = drawing.format_value(self.out[row, col])
        products = " + ".join(terms) if terms else "only zeros"
        letters = {name: name for name in "iskdp"}

        def both(template: str, **numbers) -> str:
            return f"{render(template, letters)} = {render(template, numbers)}"

        stretched = (i - 1) * s + 1
        return [
            f"stretch: {both('stretched', i=i, s=s)} = {stretched};  "
            f"pad q = {both('equivalent_padding', d=d, k=k, p=p)} = {q} each side"
            + (f", + output_padding {op} bottom/right" if op else ""),
            f"stride-1 convolution: o = {render('stride_one', dict(i=size, d=d, k=k))} = "
            f"{self.size}, the transposed convolution's output size",
            f"out[{row}, {col}] = {products} = {value}",
        ]


# --------------------------------------------------------------------------- writing a GIF
class PaletteGifWriter(PillowWriter):
    """:class:`~matplotlib.animation.PillowWriter` with one shared palette and fixed bytes.

    Parameters
    ----------
    fps : float, default=2
        Frames per second.
    colors : int, default=PALETTE_COLORS
        Size of the palette, chosen from all frames together (median cut, no dithering).
    hold : int, default=3
        The last frame stays ``hold`` times as long, so a loop visibly restarts.

    Notes
    -----
    Quantising each frame on its own gives each frame its own palette (larger files)
    and lets a colour flicker between frames; one palette for the whole animation does
    neither. Pillow writes no date or software name into a GIF, so equal frames give
    equal bytes.
    """

    def __init__(self, fps: float = 2, colors: int = PALETTE_COLORS, hold: int = 3):
        super().__init__(fps=fps)
        self.colors = colors
        self.hold = hold

    def grab_captioned(self, picture: float, title: str, lines: list[str], limit: int) -> None:
        """Grab the figure as a frame, then write a caption below its top ``picture`` part.

        Parameters
        ----------
        picture : float
            Fraction of the frame's height that the picture takes; the caption goes below.
        title, lines, limit
            As for :func:`write_caption`.
        """
        self.grab_frame()
        frame = self._frames[-1] = self._frames[-1].convert("RGB")
        write_caption(frame, round(picture * frame.height) + 2, title, lines, limit)

    def finish(self) -> None:
        """Quantise every frame to one palette and write the GIF (called by ``saving``)."""
        frames = [frame.convert("RGB") for frame in self._frames]
        width, height = frames[0].size
        sheet = Image.new("RGB", (width, height * len(frames)))
        for n, frame in enumerate(frames):
            sheet.paste(frame, (0, n * height))
        palette = sheet.quantize(self.colors, method=Image.Quantize.MEDIANCUT)
        indexed = [frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in frames]
        step = int(1000 / self.fps)
        durations = [step] * (len(indexed) - 1) + [step * self.hold]
        indexed[0].save(
            self.outfile,
            format="GIF",
            save_all=True,
            append_images=indexed[1:],
            duration=durations if len(indexed) > 1 else step,
            loop=0,
            optimize=True,
        )


def _frame_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), facecolor="white")
    FigureCanvasAgg(fig)
    return fig


@functools.lru_cache(maxsize=8)
def _font(bold: bool, pixels: int) -> ImageFont.FreeTypeFont:
    """Matplotlib's DejaVu Sans (always installed with it) at a size in pixels."""
    name = findfont(FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal"))
    return ImageFont.truetype(name, pixels)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Break ``text`` at spaces into lines no wider than ``width`` pixels (a word never splits)."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and font.getlength(candidate) > width:
            lines.append(line)
            candidate = word
        line = candidate
    return [*lines, line] if line else lines


def write_caption(image: Image.Image, top: int, title: str, lines: list[str], limit: int) -> None:
    """Write the title in bold, then ``lines``, wrapped to the width (``limit + 1`` lines at most).

    Parameters
    ----------
    image : PIL.Image.Image
        A frame; the caption goes below pixel row ``top``.
    top : int
    title : str
    lines : list of str
    limit : int
        Lines after a one-line title; a longer title leaves fewer, the rest is cut.

    Notes
    -----
    Drawn with Pillow's FreeType renderer, which is several times faster than a
    matplotlib ``Text`` of the same length (half of a frame's time otherwise).
    """
    draw = ImageDraw.Draw(image)
    pixels = max(8, round(CAPTION_PIXELS * image.height / 260))
    bold, plain = _font(True, pixels + 1), _font(False, pixels)
    margin, step = 4, round(pixels * 1.35)
    width = image.width - 2 * margin
    heading = _wrap(title, bold, width)
    wrapped = [piece for line in lines for piece in _wrap(line, plain, width)]
    body = [(line, bold) for line in heading] + [(line, plain) for line in wrapped]
    for n, (line, font) in enumerate(body[: limit + 1]):
        draw.text((margin, top + n * step), line, fill=drawing.COLORS["text"], font=font)


@dataclass(frozen=True)
class GifInfo:
    """What :func:`save_gif` wrote: the path, the frame count, the size in bytes and pixels."""

    path: Path
    frames: int
    nbytes: int
    width: int
    height: int


def save_gif(source: FrameSource, path, *, dpi: float = 64, fps: float = 2) -> GifInfo:
    """Write every frame of ``source`` into an animated GIF.

    Parameters
    ----------
    source : FrameSource
        :func:`explorer_frames` or :class:`TransposedAsConvolution`.
    path : str or Path
        The GIF to write; its folder must exist.
    dpi : float, default=64
        Pixels per inch; a 6 x 3 inch picture with its caption is about 384 x 240.
    fps : float, default=2

    Returns
    -------
    GifInfo

    Notes
    -----
    Each frame is one new pyplot-free figure: the picture in an upper sub-figure of the
    source's ``figsize``, grabbed by the writer; the caption (title, formula, the step's
    arithmetic) is then written below it, wrapped to the width (:func:`write_caption`).
    """
    path = Path(path)
    width, height = source.figsize
    caption = CAPTION_LINE * (source.caption_lines + 1) + 0.1
    writer = PaletteGifWriter(fps=fps)
    with writer.saving(_frame_figure(width, height + caption), str(path), dpi):
        for index in range(len(source)):
            # a new figure per frame: clearing one costs more than making one
            writer.fig = _frame_figure(width, height + caption)
            top, _ = writer.fig.subfigures(2, 1, height_ratios=[height, caption])
            lines = source.draw(top, index)
            writer.grab_captioned(
                height / (height + caption), source.title, lines, source.caption_lines
            )
    with Image.open(path) as image:
        frames, size = image.n_frames, image.size
    return GifInfo(path, frames, path.stat().st_size, *size)
