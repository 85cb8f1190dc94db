"""Slider explorers: drag a parameter, watch the formula, the picture and the output change.

One module per kind of explorer, all built on :class:`Explorer` (``base``):

- ``base`` -- :class:`Explorer`, its typed state :class:`ExplorerState`, sliders, the example input;
- ``settings`` -- :class:`Settings`, the control values every hook receives;
- ``sliding`` -- :class:`SlidingExplorer`, shared by :func:`conv_explorer` (notebook 01) and
  :func:`pool_explorer` (notebook 02);
- ``transposed`` -- :func:`transposed_explorer` and :func:`checkerboard_explorer` (notebook 04);
- ``channels`` -- :func:`channels_explorer` (notebook 05);
- ``decoder`` -- :func:`decoder_explorer` (notebook 07); ``design`` -- :func:`design_explorer`
  (notebook 08);
- ``text`` -- HTML pieces (the values table, the broken-rule line);
- ``render`` -- the picture encoder; ``memory`` -- pictures remembered and drawn ahead;
- ``static`` -- the picture and formula left for front ends without widgets.

Sizes come from :mod:`helpers.arithmetic`, arrays from the lesson modules, pictures from
:mod:`helpers.drawing`. After ezyang's convolution visualizer and vdumoulin/conv_arithmetic.
"""

from helpers.widgets.base import (
    MAX_LISTED,
    Explorer,
    ExplorerState,
    Settings,
    example_input,
    int_slider,
    position_slider,
    set_range,
)
from helpers.widgets.channels import LAYERS, ChannelsExplorer, ChannelsState, channels_explorer
from helpers.widgets.decoder import DecoderExplorer, decoder_explorer  # noqa: F401
from helpers.widgets.design import DesignExplorer, design_explorer  # noqa: F401
from helpers.widgets.model import ModelExplorer, model_explorer  # noqa: F401
from helpers.widgets.render import PictureFormat, render_picture, reuse_axes
from helpers.widgets.sliding import (
    SEED_000_INPUT,
    ConvExplorer,
    PoolExplorer,
    SlidingExplorer,
    SlidingState,
    conv_explorer,
    pool_explorer,
    pool_input,
)
from helpers.widgets.text import html_table, rule_message
from helpers.widgets.transposed import (
    GAP,
    CheckerboardExplorer,
    CheckerboardState,
    TransposedExplorer,
    TransposedState,
    checkerboard_explorer,
    transposed_example,
    transposed_explorer,
)

__all__ = [
    "GAP",
    "LAYERS",
    "MAX_LISTED",
    "SEED_000_INPUT",
    "ChannelsExplorer",
    "ChannelsState",
    "CheckerboardExplorer",
    "CheckerboardState",
    "ConvExplorer",
    "Explorer",
    "ExplorerState",
    "PictureFormat",
    "PoolExplorer",
    "Settings",
    "SlidingExplorer",
    "SlidingState",
    "TransposedExplorer",
    "TransposedState",
    "channels_explorer",
    "checkerboard_explorer",
    "conv_explorer",
    "example_input",
    "html_table",
    "int_slider",
    "pool_explorer",
    "pool_input",
    "position_slider",
    "render_picture",
    "reuse_axes",
    "rule_message",
    "set_range",
    "transposed_example",
    "transposed_explorer",
]
