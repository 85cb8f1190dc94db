"""Every explorer of :mod:`helpers.widgets` at its defaults: the one list the tests share."""

from __future__ import annotations

from helpers import widgets


def _decoder_explorer():
    """The decoder explorer with its untrained layer, whose sliders are live."""
    return widgets.decoder_explorer(decoder=widgets.decoder.CUSTOM)


#: One factory per explorer, each called with no arguments.
FACTORIES = [
    widgets.conv_explorer,
    widgets.pool_explorer,
    widgets.transposed_explorer,
    widgets.checkerboard_explorer,
    widgets.channels_explorer,
    widgets.design_explorer,
    _decoder_explorer,
    widgets.model_explorer,
]


def name(factory) -> str:
    """The factory's name, as a test id."""
    return factory.__name__.lstrip("_")
