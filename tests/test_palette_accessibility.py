"""The colours the drawings really use: text readable on every cell, palettes apart for all eyes.

Two checks, on the colour constants of :mod:`helpers.drawing` (not on copies of them):

**Contrast** (WCAG 2.1 success criterion 1.4.3, AA): every text colour the drawing code writes
on a cell has a contrast ratio of at least 4.5:1 with that cell's colour. A cell's colour is
what Agg paints: the cell colour, with a translucent highlight (``highlight_cells``' colour
and alpha) blended over it in sRGB, or a colour map's colour at the top of the range used.
Cell labels are 9 pt (``LABEL_SIZE``) and weights 7 pt, "normal" text for WCAG, so 4.5:1.

**Colour vision** (colour never the only channel, but still a channel for everyone): each
palette whose colours stand for different things in one picture -- the roles of
``COLORS`` (input, padding, output, kernel window, receptive field), the kernel copies of
``COPY_COLORS``, the channel groups of ``GROUP_COLORS``, the bars of ``BAR_COLORS`` -- keeps
every pair of its colours at a CIEDE2000 difference ΔE00 >= 5 for normal vision and under
simulated protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009, severity
1.0, the matrices of ``colour-science``).

Why ΔE00 >= 5: ΔE00 = 1 is about one just-noticeable difference for large patches seen side
by side; the discriminable difference grows as marks get smaller (Stone, Szafir & Setlur,
"An engineering model for color difference as a function of size", 2014), and our cells and
bars are small, separated by grid lines, and must be matched to a legend or a caption, not
only told apart when touching. Five JNDs is a margin for that; a pair below it is one a
reader with that colour vision may take for the same colour.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from helpers.drawing.channels import GROUP_COLORS
from helpers.drawing.copies import COPY_COLORS
from helpers.drawing.figure import COLORS
from helpers.drawing.reconstructions import BAR_COLORS
from helpers.drawing.relationships import INPUT_CELL_COLOR

# colour-science warns about optional packages it lacks, and switches NumPy's printing to its
# 1.13 style on import; both stay inside this module (the doctests of helpers print arrays).
_print_options = np.get_printoptions()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import colour
np.set_printoptions(**_print_options)

MIN_CONTRAST = 4.5
MIN_DELTA_E = 5.0
DEFICIENCIES = ("Protanomaly", "Deuteranomaly", "Tritanomaly")  # at severity 1: -opia
#: The weights written in the kernel window's cells (``draw_kernel_window``).
WEIGHT_TEXT = "#783f04"


def relative_luminance(rgb) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour with components in [0, 1]."""
    rgb = np.asarray(rgb, dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(one, two) -> float:
    """WCAG 2.1 contrast ratio of two colours (any matplotlib colour), 1 to 21."""
    low, high = sorted(relative_luminance(to_rgb(c)) for c in (one, two))
    return (high + 0.05) / (low + 0.05)


def over(colour, alpha: float, background) -> tuple[float, float, float]:
    """``colour`` at opacity ``alpha`` painted over ``background`` (Agg blends in sRGB)."""
    top, bottom = np.array(to_rgb(colour)), np.array(to_rgb(background))
    return tuple(alpha * top + (1 - alpha) * bottom)


def simulate(rgb, deficiency: str | None) -> np.ndarray:
    """What a viewer with ``deficiency`` (None: normal vision) sees of an sRGB colour."""
    rgb = np.asarray(to_rgb(rgb))
    if deficiency is None:
        return rgb
    matrix = colour.matrix_cvd_Machado2009(deficiency, 1.0)
    linear = colour.models.eotf_sRGB(rgb)
    return colour.models.eotf_inverse_sRGB(np.clip(linear @ matrix.T, 0, 1))


def delta_e(one, two, deficiency: str | None = None) -> float:
    """CIEDE2000 difference of two sRGB colours as a viewer with ``deficiency`` sees them."""
    lab = [colour.XYZ_to_Lab(colour.sRGB_to_XYZ(simulate(c, deficiency))) for c in (one, two)]
    return float(colour.delta_E(*lab, method="CIE 2000"))


def text_pairs() -> dict[str, tuple[str, tuple]]:
    """Every (text colour, cell colour) the drawing code paints, named by where it happens."""
    text, faint = COLORS["text"], COLORS["faint"]
    cells = {name: COLORS[name] for name in ("input", "padding", "output")} | {"blank": "white"}
    pairs = {f"value on {name} cell": (text, cells[name]) for name in cells}
    pairs["padding label on padding cell"] = (faint, COLORS["padding"])
    for name in ("input", "padding", "output"):
        for alpha in (0.35, 0.45):
            pairs[f"value on {name} under the receptive field ({alpha})"] = (
                text,
                over(COLORS["field"], alpha, cells[name]),
            )
        pairs[f"weight on {name} cell in the kernel window"] = (WEIGHT_TEXT, cells[name])
    pairs["value on the current output cell"] = (text, over(COLORS["kernel"], 0.55, "#d9ead3"))
    for n, copy in enumerate(COPY_COLORS):
        pairs[f"value on kernel copy {n} ({copy})"] = (text, over(copy, 0.5, "white"))
    pairs["value in a carved ring"] = (text, over("#777777", 0.3, "white"))
    pairs["value on a highlighted input cell (relationships)"] = (
        text,
        over(INPUT_CELL_COLOR, 0.5, "white"),
    )
    return pairs


TEXT_PAIRS = text_pairs()
PALETTES = {
    "COLORS roles": [COLORS[n] for n in ("input", "padding", "output", "kernel", "field")],
    "COPY_COLORS": list(COPY_COLORS),
    "GROUP_COLORS": list(GROUP_COLORS),
    "BAR_COLORS": list(BAR_COLORS),
}


def test_contrast_and_delta_e_agree_with_known_values():
    assert contrast_ratio("black", "white") == pytest.approx(21)
    assert contrast_ratio("#777777", "white") == pytest.approx(4.48, abs=0.01)
    assert over("black", 0.5, "white") == pytest.approx((0.5, 0.5, 0.5))
    assert delta_e("#ff0000", "#ff0000") == pytest.approx(0, abs=1e-9)
    # red and green, far apart for normal vision, close for a deuteranope
    assert delta_e("#d62728", "#2ca02c") > 40
    assert delta_e("#d62728", "#2ca02c", "Deuteranomaly") < delta_e("#d62728", "#2ca02c") / 2


@pytest.mark.parametrize("where", TEXT_PAIRS, ids=list(TEXT_PAIRS))
def test_text_on_every_cell_colour_has_4_5_to_1(where):
    text, background = TEXT_PAIRS[where]
    assert contrast_ratio(text, background) >= MIN_CONTRAST


def test_confusion_matrix_counts_are_readable_on_their_shading():
    from helpers.drawing import draw_confusion_matrix, new_figure

    fig, (ax,) = new_figure()
    matrix = np.array([[50, 0, 9], [3, 40, 1], [0, 7, 45]])
    draw_confusion_matrix(ax, matrix)
    (image,) = ax.images
    shading = image.to_rgba(image.get_array())
    low = []
    for text in ax.texts:
        col, row = (int(round(v)) for v in text.get_position())
        ratio = contrast_ratio(text.get_color(), shading[row, col, :3])
        if ratio < MIN_CONTRAST:
            low.append(f"{text.get_text()} at ({row}, {col}): {ratio:.2f}")
    assert len(ax.texts) == matrix.size and low == []


def test_overlap_counts_are_readable_on_their_shading():
    from matplotlib.collections import PolyCollection

    from helpers.drawing import draw_overlap_counts, new_figure

    fig, (ax,) = new_figure()
    counts = np.array([1, 2, 1, 2, 4, 2, 1, 2, 1])
    draw_overlap_counts(ax, counts)
    faces = [
        c.get_facecolors()[:, :3]
        for c in ax.collections
        if isinstance(c, PolyCollection) and len(c.get_facecolors()) == counts.size
    ]
    assert faces, "the overlap grid's cells"
    darkest = min(faces[0], key=relative_luminance)
    assert contrast_ratio(COLORS["text"], darkest) >= MIN_CONTRAST


def confusable_pairs(palette: list[str]) -> list[str]:
    """``"a ~ b under X: ΔE00 = v"`` for each pair of ``palette`` closer than the threshold."""
    found = []
    for one, two in itertools.combinations(palette, 2):
        for deficiency in (None, *DEFICIENCIES):
            difference = delta_e(one, two, deficiency)
            if difference < MIN_DELTA_E:
                found.append(f"{one} ~ {two} under {deficiency or 'normal'}: {difference:.1f}")
    return found


@pytest.mark.parametrize("name", PALETTES, ids=list(PALETTES))
def test_palette_stays_apart_under_simulated_colour_blindness(name):
    assert confusable_pairs(PALETTES[name]) == []
