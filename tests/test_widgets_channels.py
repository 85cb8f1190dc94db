"""channels_explorer driven without a browser, checked against PyTorch (notebook 05)."""

from __future__ import annotations

import html
import itertools

import numpy as np
import pytest
import torch
from torch import nn

from helpers import channels, widgets

LAYER_CLASSES = {"Conv2d": nn.Conv2d, "ConvTranspose2d": nn.ConvTranspose2d}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def pytorch_layer(layer: str, c_in: int, c_out: int, k: int, groups: int):
    """The PyTorch layer, or None when PyTorch refuses to build it."""
    try:
        return LAYER_CLASSES[layer](c_in, c_out, k, groups=groups)
    except ValueError as err:
        assert "must be divisible by groups" in str(err)
        return None


def assert_shows(explorer: widgets.ChannelsExplorer, layer_obj) -> None:
    """What the explorer displays agrees with PyTorch's layer (or its refusal)."""
    assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)
    assert "Traceback" not in explorer.message.value
    assert explorer.output_size is None  # no input size, so no output size
    if layer_obj is None:
        assert explorer.weight_shape is None
        assert explorer.param_count is None
        assert "does not divide" in explorer.message.value
        assert "weight-shape" not in explorer.formula.value
        assert explorer.values.value == ""
        return
    shape = tuple(layer_obj.weight.shape)
    count = sum(p.numel() for p in layer_obj.parameters())
    assert explorer.message.value == ""
    assert explorer.weight_shape == shape
    assert explorer.param_count == count
    assert f'<span class="weight-shape">{shape}</span>' in explorer.formula.value
    assert f'<span class="param-count">{count}</span>' in explorer.formula.value
    assert explorer.values.value.count("<br>y") == explorer.controls["c_out"].value


def sweep():
    """Every reachable (c_in, c_out, groups), the layer and kernel size varied along the way."""
    for n, (c_in, c_out) in enumerate(itertools.product(range(1, 9), range(1, 9))):
        for groups in range(1, min(c_in, c_out) + 1):
            layer = ("Conv2d", "ConvTranspose2d")[(n + groups) % 2]
            yield c_in, c_out, groups, (n + groups) % 5 + 1, layer


def test_sweep_matches_pytorch_and_never_raises():
    explorer = widgets.channels_explorer()
    explorer.dpi = 24  # the picture is checked for being a PNG only; keep the sweep quick
    seen = {"Conv2d": [0, 0], "ConvTranspose2d": [0, 0]}  # [built, refused]
    for c_in, c_out, groups, k, layer in sweep():
        explorer.set(c_in=c_in, c_out=c_out, groups=groups, k=k, layer=layer)
        assert explorer.params() == dict(c_in=c_in, c_out=c_out, groups=groups, k=k, layer=layer)
        assert explorer.controls["groups"].max == min(c_in, c_out)
        layer_obj = pytorch_layer(layer, c_in, c_out, k, groups)
        assert_shows(explorer, layer_obj)
        seen[layer][layer_obj is None] += 1
    # 204 reachable channel/group combinations, split between the two layers;
    # both outcomes occur for both layers
    assert sum(sum(v) for v in seen.values()) == sum(
        min(a, b) for a in range(1, 9) for b in range(1, 9)
    )
    assert all(built > 0 and refused > 0 for built, refused in seen.values())


@pytest.mark.parametrize("layer", ["Conv2d", "ConvTranspose2d"])
def test_every_kernel_size_for_both_layers(layer):
    explorer = widgets.channels_explorer(layer=layer)
    explorer.dpi = 24
    for k, (c_in, c_out, groups) in itertools.product(
        range(1, 6), [(4, 6, 2), (3, 5, 1), (6, 4, 4)]
    ):
        explorer.set(c_in=c_in, c_out=c_out, groups=groups, k=k)
        assert_shows(explorer, pytorch_layer(layer, c_in, c_out, k, groups))


def test_moving_one_slider_at_a_time_clamps_groups_and_never_raises():
    explorer = widgets.channels_explorer(c_in=8, c_out=8, groups=8)
    explorer.dpi = 24
    rng = np.random.default_rng(0)
    for _ in range(40):
        name = rng.choice(["c_in", "c_out", "groups", "k"])
        slider = explorer.controls[name]
        slider.value = int(rng.integers(slider.min, slider.max + 1))
        c_in, c_out, groups, k = (
            explorer.controls[n].value for n in ("c_in", "c_out", "groups", "k")
        )
        assert groups <= min(c_in, c_out)
        assert_shows(explorer, pytorch_layer("Conv2d", c_in, c_out, k, groups))


def test_message_names_the_rule_and_the_groups_that_work():
    explorer = widgets.channels_explorer(c_in=6, c_out=4, groups=3)
    text = html.unescape(explorer.message.value)
    assert "groups=3 does not divide c_out=4" in text
    assert "divide both 6 and 4: 1, 2." in text
    assert explorer.formula.value.endswith("not whole numbers, so there is no such layer")


def test_values_list_the_input_channels_pytorch_connects():
    explorer = widgets.channels_explorer(c_in=4, c_out=6, groups=2)
    lines = explorer.values.value.split("<br>")[1:]
    links = channels.channel_connectivity(4, 6, 2)
    # cross-check the connectivity itself with PyTorch: a 1x1 all-ones layer, one-hot pixels
    layer = nn.Conv2d(4, 6, 1, groups=2, bias=False)
    with torch.no_grad():
        layer.weight.fill_(1.0)
        passes = (layer(torch.eye(4).reshape(4, 4, 1, 1))[:, :, 0, 0].T != 0).numpy()
    np.testing.assert_array_equal(links, passes)
    for o, line in enumerate(lines):
        listed = {c for c in range(4) if f"x{c} ⋆" in line}
        assert listed == set(np.flatnonzero(links[o])), line


def test_transposed_values_index_the_transposed_layout():
    explorer = widgets.channels_explorer(c_in=4, c_out=6, groups=2, layer="ConvTranspose2d")
    assert explorer.weight_shape == tuple(nn.ConvTranspose2d(4, 6, 3, groups=2).weight.shape)
    # output 4 is the second output of group 1, fed by inputs 2 and 3: w[c, 1]
    assert "y4 = x2 ⋆ᵀ w[2, 1] + x3 ⋆ᵀ w[3, 1] + b[4]" in explorer.values.value


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        (dict(c_in=2, c_out=3, groups=3), "groups=3 is invalid: must be <= 2"),
        (dict(c_in=9), "c_in=9 is invalid: must be <= 8"),
        (dict(k=0), "k=0 is invalid"),
        (dict(layer="Linear"), "layer='Linear' is invalid"),
    ],
)
def test_bad_starting_values_are_refused(kwargs, text):
    with pytest.raises(ValueError, match=text):
        widgets.channels_explorer(**kwargs)


def test_unknown_control_is_refused_before_anything_changes():
    explorer = widgets.channels_explorer()
    with pytest.raises(ValueError, match=r"unknown controls \['colour'\]"):
        explorer.set(c_in=5, colour="red")
    assert explorer.controls["c_in"].value == 2
