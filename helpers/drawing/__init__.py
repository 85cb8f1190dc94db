"""Matplotlib pictures for the lessons: one module per kind of picture.

- :mod:`~helpers.drawing.figure` -- the shared :data:`COLORS`, cell text
  (:func:`format_value`), framing (:func:`fit_view`, :func:`set_title`), captions
  (:func:`write_text`) and the pyplot-free :func:`new_figure` (01);
- :mod:`~helpers.drawing.grids` -- grids of cells with their padding, highlighted and
  framed cells, captions (01);
- :mod:`~helpers.drawing.labels` -- numbers in cells, as fast glyph outlines, at
  :data:`LABEL_SIZE` points or not at all (:class:`CellLabels`) (01);
- :mod:`~helpers.drawing.sliding` -- the kernel window of one step, its receptive
  field, the output grid, and both side by side (01-03);
- :mod:`~helpers.drawing.images` -- arrays as pictures, contact sheets, digits (02, 06);
- :mod:`~helpers.drawing.copies` -- how each kernel copy is told apart: colour, letter,
  line style (04);
- :mod:`~helpers.drawing.transposed` -- kernel copies, the summed buffer, the carved
  padding, overlap counts (04);
- :mod:`~helpers.drawing.channels` -- channel connectivity, weight blocks, one output
  channel as a sum (05);
- :mod:`~helpers.drawing.training` -- accuracy curves and the confusion matrix (06).

Drawing draws: every ``draw_*`` function takes the ``Axes`` to draw on (the caller makes
the figure, as in matplotlib's ``my_plotter`` pattern) and arrays that are already
computed, and returns the list of artists it added. No drawing module imports a lesson
module; the index arithmetic of a window is :func:`helpers.windows.window_taps`
(re-exported here), and every size comes from :mod:`helpers.arithmetic` or from the
arrays themselves.

Coordinates: cell ``(row, col)`` of a grid drawn at ``origin=(x0, y0)`` covers
``x0 + col <= x <= x0 + col + 1`` and ``y0 + row <= y <= y0 + row + 1``; rows grow
downwards, as in an array. Rows and columns of a padded input count from the top-left
*padding* cell, so input cell ``(r, c)`` is padded cell ``(r + p, c + p)``.

Introduced in notebook 01; the drawings follow Dumoulin & Visin (2016),
arXiv:1603.07285, and vdumoulin/conv_arithmetic.

Examples
--------
>>> from helpers import drawing
>>> fig, (ax,) = drawing.new_figure()
>>> cells, borders, numbers = drawing.draw_grid(ax, [[1, 2], [3, 4]])
>>> len(cells.get_paths()), numbers.labels
(4, ['1', '2', '3', '4'])
"""

from helpers.windows import window_taps

from .channels import (
    GROUP_COLORS,
    GROUP_LINESTYLES,
    draw_channel_connectivity,
    draw_channel_sum,
    draw_weight_blocks,
    group_name,
)
from .copies import (
    COPY_COLORS,
    COPY_LINESTYLES,
    copy_color,
    copy_letter,
    copy_linestyle,
    draw_copy_letters,
)
from .figure import (
    COLORS,
    LABEL_SIZE,
    MAX_LABELLED,
    fit_view,
    format_value,
    new_figure,
    set_title,
    write_text,
)
from .grids import draw_grid, highlight_cells, label_grid, outline_cells
from .images import draw_digits, draw_image, draw_tiles, tile
from .labels import CellLabels, draw_labels
from .reconstructions import draw_image_rows as draw_image_rows
from .reconstructions import draw_score_bars as draw_score_bars
from .relationships import draw_equivalent_convolution as draw_equivalent_convolution
from .sliding import draw_kernel_window, draw_output_grid, draw_receptive_field, draw_sliding_window
from .training import draw_accuracy_curves, draw_confusion_matrix, draw_shift_curves
from .transposed import (
    draw_carve,
    draw_colored_input,
    draw_kernel_copy,
    draw_overlap_counts,
    draw_transposed_buffer,
    draw_transposed_steps,
)

__all__ = [
    "COLORS",
    "COPY_COLORS",
    "COPY_LINESTYLES",
    "GROUP_COLORS",
    "GROUP_LINESTYLES",
    "LABEL_SIZE",
    "MAX_LABELLED",
    "CellLabels",
    "copy_color",
    "copy_letter",
    "copy_linestyle",
    "draw_accuracy_curves",
    "draw_carve",
    "draw_channel_connectivity",
    "draw_channel_sum",
    "draw_colored_input",
    "draw_confusion_matrix",
    "draw_copy_letters",
    "draw_digits",
    "draw_grid",
    "draw_image",
    "draw_kernel_copy",
    "draw_kernel_window",
    "draw_labels",
    "draw_output_grid",
    "draw_overlap_counts",
    "draw_receptive_field",
    "draw_shift_curves",
    "draw_sliding_window",
    "draw_tiles",
    "draw_transposed_buffer",
    "draw_transposed_steps",
    "draw_weight_blocks",
    "fit_view",
    "format_value",
    "group_name",
    "highlight_cells",
    "label_grid",
    "new_figure",
    "outline_cells",
    "set_title",
    "tile",
    "window_taps",
    "write_text",
]
