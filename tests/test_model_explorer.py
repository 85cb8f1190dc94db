"""helpers.widgets.model_explorer: a state for every slider setting, views drawn from it only."""

import dataclasses
import html

import pytest
import torch
from torch import nn

from helpers.models import source_cnn
from helpers.shapes import explain_shape_error, input_sizes_that_run
from helpers.widgets import ModelExplorer, Settings, model_explorer
from helpers.widgets.model import ModelState, compute_state, draw_state, state_alt, state_html
from helpers.widgets.render import render_picture


class TinyUNet(nn.Module):
    """Two poolings and two skip connections joined by torch.cat: multiples of 4."""

    def __init__(self, c=2):
        super().__init__()
        self.enc1, self.enc2 = nn.Conv2d(1, c, 3, padding=1), nn.Conv2d(c, c, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.up2, self.up1 = (nn.ConvTranspose2d(c, c, 2, stride=2) for _ in range(2))
        self.dec2, self.dec1 = nn.Conv2d(2 * c, c, 3, padding=1), nn.Conv2d(2 * c, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        d2 = self.dec2(torch.cat([self.up2(self.pool(e2)), e2], 1))
        return self.dec1(torch.cat([self.up1(d2), e1], 1))


def causal() -> nn.Sequential:
    return nn.Sequential(nn.ConstantPad1d((2, 0), 0), nn.Conv1d(1, 2, 3), nn.MaxPool1d(2))


def video() -> nn.Sequential:
    return nn.Sequential(nn.Conv3d(1, 2, 3), nn.MaxPool3d(2), nn.Flatten(), nn.Linear(2 * 27, 3))


class Typo(nn.Module):
    def forward(self, x):
        return x.no_such_method()


def assert_agrees(explorer: ModelExplorer, state: ModelState) -> None:
    """The state says what explain_shape_error says, and the views show it."""
    report = explain_shape_error(explorer.model, state.input_shape, up_to=0)
    assert state.runs == report.runs
    assert state.headline == report.headline
    assert state.rows == report.table.rows
    if report.runs:
        assert state.output_shapes == report.output_shapes and not state.failing
    else:
        assert state.failing == f"{report.layer} ({report.kind})" and state.fix == report.fix
    table = state_html(state)
    assert ("fails here" in table) == (not state.runs)
    assert all(html.escape(row.formula) in table for row in state.rows)
    assert "; spatial size after each layer: " in state_alt(state)
    assert state_alt(state).startswith("runs on" if state.runs else "does not run on")


@pytest.mark.parametrize(
    ("build", "input_size", "step"),
    [(source_cnn, (1, 28, 28), 3), (TinyUNet, (1, 16, 16), 3), (causal, (1, 8), 1),
     (video, (1, 8, 8, 8), 5)],
)  # fmt: skip
def test_a_sweep_of_every_axis_never_raises_and_agrees_with_explain_shape_error(
    build, input_size, step
):
    torch.manual_seed(0)
    explorer = model_explorer(build(), input_size)
    for name in explorer.controls:
        for value in range(1, explorer.up_to + 1, step):
            settings = {**explorer.params(), name: value}
            state = explorer.compute(Settings(settings))
            assert state.input_shape[1:] == tuple(settings.values())
            assert not state.message, state.message
            assert_agrees(explorer, state)


def test_moving_a_slider_redraws_every_view_from_the_new_state():
    explorer = model_explorer(source_cnn(), (1, 28, 28))
    assert explorer.state.runs and 'class="output-size">10<' in explorer.formula.value
    picture = bytes(explorer.image.value)
    explorer.controls["H"].value = 20
    assert explorer.state.input_shape == (1, 20, 28)
    assert explorer.state.formula == explorer.compute(Settings({"H": 20, "W": 28})).formula
    assert not explorer.state.runs and explorer.state.failing == "out (Linear)"
    assert explorer.state.headline in explorer.formula.value.replace("<code>", "`").replace(
        "</code>", "`"
    )
    assert "Fix" in explorer.formula.value and "fails here" in explorer.table.value
    assert bytes(explorer.image.value) != picture
    assert "runs from 28×28 to 31×31" in explorer.sizes.value


def test_the_sizes_line_is_what_input_sizes_that_run_finds():
    model = TinyUNet()
    explorer = model_explorer(model, (1, 16, 16))
    found = input_sizes_that_run(model, (1, 16, 16), up_to=explorer.up_to)
    assert found == tuple(range(4, 65, 4))
    assert "runs at multiples of 4 from 4×4 (tried: every size from 1×1 to 64×64)" in (
        explorer.sizes.value
    )


def test_a_model_that_fails_for_another_reason_gets_a_message_not_a_traceback():
    explorer = model_explorer(Typo(), (1, 8, 8))
    assert explorer.state.message.startswith("The model stopped with an error")
    assert "AttributeError" in explorer.message.value and not explorer.formula.value
    explorer.controls["H"].value = 9  # still no exception
    assert "explorer-message" in explorer.message.value


def test_compute_never_changes_the_views_and_views_never_change_the_state():
    explorer = model_explorer(source_cnn(), (1, 28, 28))
    shown = (explorer.formula.value, explorer.table.value, bytes(explorer.image.value))
    state = explorer.compute(Settings({"H": 5, "W": 5}))
    assert (explorer.formula.value, explorer.table.value, bytes(explorer.image.value)) == shown
    frozen = dataclasses.asdict(state)
    state_html(state), state_alt(state), draw_state(state)
    assert dataclasses.asdict(state) == frozen


def test_a_picture_drawn_on_a_used_figure_is_the_same_as_on_a_new_one():
    small = compute_state(source_cnn(), (1, 20, 20), "")
    large = compute_state(source_cnn(), (1, 28, 60), "")
    used = draw_state(large)
    assert render_picture(draw_state(small, used), 72) == render_picture(draw_state(small), 72)


def test_the_display_bundle_holds_a_table_a_picture_and_its_alt_text():
    explorer = model_explorer(TinyUNet(), (1, 17, 17))
    bundle, metadata = explorer._repr_mimebundle_()
    assert {"text/plain", "text/html", "image/png"} <= set(bundle)
    assert (
        bundle["text/plain"]
        == "ModelExplorer(TinyUNet, input (1, 17, 17)) -> fails at (model) (torch.cat)"
    )
    alt = metadata["image/png"]["alt"]
    assert alt == state_alt(explorer.state) and alt.endswith("fails at (model) (torch.cat)")
    assert f'alt="{alt}"' in bundle["text/html"]
    assert '<table class="model-layers">' in bundle["text/html"]


def test_controls_are_named_by_axis_with_accessible_labels():
    labels = {
        (1, 8): ["length L"],
        (1, 28, 28): ["height H", "width W"],
        (1, 8, 8, 8): ["depth D", "height H", "width W"],
    }
    models = {(1, 8): causal(), (1, 28, 28): source_cnn(), (1, 8, 8, 8): video()}
    for size, expected in labels.items():
        explorer = model_explorer(models[size], size)
        assert [c.description for c in explorer.controls.values()] == expected
        assert all(c.min == 1 and c.max == explorer.up_to for c in explorer.controls.values())


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"model": "cnn"}, TypeError, "model=str"),
        ({"input_size": 28}, TypeError, "input_size"),
        ({"input_size": (1, 0, 4)}, ValueError, "input_size"),
        ({"input_size": (784,)}, ValueError, "1 to 3 spatial sizes"),
        ({"input_size": (1, 2, 2, 2, 2)}, ValueError, "1 to 3 spatial sizes"),
    ],
)
def test_bad_arguments_are_refused(arguments, error, match):
    with pytest.raises(error, match=match):
        model_explorer(**{"model": source_cnn(), "input_size": (1, 28, 28), **arguments})


def test_compute_state_of_a_model_that_runs():
    state = compute_state(nn.Conv2d(1, 2, 3), (1, 5, 5), "")
    assert state.runs and state.output_shapes == ((2, 3, 3),) and state.rows[0].formula
