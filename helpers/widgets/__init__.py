"""Slider explorers: drag a parameter, watch the formula, the picture and the output change.

One module per kind of explorer, all built on :class:`Explorer` (``base``):

- ``base`` -- :class:`Explorer`, its state :class:`ExplorerState`, sliders, the example input;
- ``controls`` -- the sliders, each shown with a number box named by its label, the menus;
- ``settings`` -- :class:`Settings`, the control values ``compute`` receives;
- ``sliding`` -- :class:`SlidingExplorer`, shared by :func:`conv_explorer` (notebook 01) and
  :func:`pool_explorer` (notebook 02);
- ``transposed`` -- :func:`transposed_explorer` and :func:`checkerboard_explorer` (notebook 04);
- ``channels`` -- :func:`channels_explorer` (notebook 05);
- ``decoder`` -- :func:`decoder_explorer` (notebook 07); ``design`` -- :func:`design_explorer`
  and ``model`` -- :func:`model_explorer`, any model's input sizes (notebook 08);
- ``text`` -- lines written once for HTML and plain text (the values table, the broken rule);
- ``render`` -- the picture encoders; ``memory`` -- pictures remembered and drawn ahead;
- ``static`` -- the picture, formula and alt text left for front ends without widgets.

Data flows one way: control values (:class:`Settings`) -> ``compute`` -> an
:class:`ExplorerState` -> the views (picture, formula, message, values, repr, stored
bundle, GIF captions), which change nothing. To write a new explorer:

1. subclass :class:`Explorer` and its state (a frozen dataclass adding the arrays to draw);
2. ``compute(settings)`` returns the state for *every* combination, never raising: ask
   :mod:`helpers.arithmetic` once for the size, put its rule in ``message`` when there is no
   output, the formula and values lines in ``formula``/``values`` (HTML) and ``caption``
   (plain text; :data:`~helpers.widgets.text.HTML` and ``TEXT`` write both from one
   builder), and the slider ranges in ``ranges``;
3. ``draw(fig, state)`` draws the state on Axes from :func:`reuse_axes`;
4. a factory function builds the controls (:func:`int_slider`, with a description that
   names the parameter, e.g. ``"stride s"``; a choice is a
   :func:`~helpers.widgets.controls.choice_menu`) and returns ``YourExplorer(controls)``;
   the explorer shows each slider with a number box that carries its name for screen
   readers (:func:`~helpers.widgets.controls.control_panel`).

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
from helpers.widgets.decoder import DecoderExplorer, DecoderState, decoder_explorer
from helpers.widgets.design import DesignExplorer, DesignState, design_explorer
from helpers.widgets.model import ModelExplorer, model_explorer
from helpers.widgets.render import render_picture, render_svg, reuse_axes
from helpers.widgets.sliding import (
    POOLING_POST_INPUT,
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
    "POOLING_POST_INPUT",
    "ChannelsExplorer",
    "ChannelsState",
    "CheckerboardExplorer",
    "CheckerboardState",
    "ConvExplorer",
    "DecoderExplorer",
    "DecoderState",
    "DesignExplorer",
    "DesignState",
    "Explorer",
    "ExplorerState",
    "ModelExplorer",
    "PoolExplorer",
    "Settings",
    "SlidingExplorer",
    "SlidingState",
    "TransposedExplorer",
    "TransposedState",
    "channels_explorer",
    "checkerboard_explorer",
    "conv_explorer",
    "decoder_explorer",
    "design_explorer",
    "example_input",
    "model_explorer",
    "html_table",
    "int_slider",
    "pool_explorer",
    "pool_input",
    "position_slider",
    "render_picture",
    "render_svg",
    "reuse_axes",
    "rule_message",
    "set_range",
    "transposed_example",
    "transposed_explorer",
]
