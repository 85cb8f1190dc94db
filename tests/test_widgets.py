"""conv_explorer and pool_explorer driven without a browser: sliders set, displays compared.

Every combination on a grid of slider values is set programmatically; the output size shown (and
the number in the formula) must equal ``helpers.arithmetic``, ``.message`` must be set exactly
when the arithmetic refuses, and nothing may raise. Values shown are compared with PyTorch.
"""

import asyncio
import copy
import html
import io
import itertools
import pickle
import re

import ipywidgets
import numpy as np
import PIL.Image
import pytest
import torch
import torch.nn.functional as F
from explorers import FACTORIES
from explorers import name as factory_name
from matplotlib.figure import Figure

from helpers import arithmetic, widgets

PNG = b"\x89PNG\r\n\x1a\n"
SPAN = re.compile(r'<span class="output-size">(\d+)</span>')


def expected_conv(params):
    try:
        return arithmetic.conv_output_size(*(params[n] for n in ("i", "k", "s", "p", "d")))
    except ValueError:
        return None


def expected_pool(params):
    try:
        return arithmetic.pool_output_size(
            params["i"], params["k"], params["s"], params["p"], ceil_mode=params["ceil_mode"]
        )
    except ValueError:
        return None


def assert_consistent(explorer, expected):
    """The displays of ``explorer`` agree with the size ``expected`` (None: impossible)."""
    assert explorer.output_size == expected
    spans = SPAN.findall(explorer.formula.value)
    assert explorer.image.value[:8] == PNG
    if expected is None:
        assert explorer.message.value != ""
        assert "Traceback" not in explorer.message.value
        assert spans == []
        assert explorer.values.value == ""
        assert explorer.controls["step"].disabled and explorer.controls["cell"].disabled
    else:
        assert explorer.message.value == ""
        assert spans == [str(expected)]
        assert explorer.controls["step"].max == explorer.controls["cell"].max == expected**2 - 1
        assert not explorer.controls["step"].disabled


def table_values(html):
    """Numbers of the ``<td>`` cells of the values table, in raster order."""
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    return [float(c.replace("−", "-")) for c in cells]


# --------------------------------------------------------------------------- conv sweep
CONV_GRID = list(itertools.product(range(1, 7), range(1, 5), range(1, 4), range(0, 3), range(1, 3)))


def test_conv_explorer_sweep_matches_arithmetic():
    explorer = widgets.conv_explorer()
    impossible = 0
    for i, k, s, p, d in CONV_GRID:
        explorer.set(i=i, k=k, s=s, p=p, d=d)
        params = explorer.params()
        assert (params["i"], params["k"], params["s"], params["p"], params["d"]) == (i, k, s, p, d)
        expected = expected_conv(params)
        impossible += expected is None
        assert_consistent(explorer, expected)
    assert len(CONV_GRID) == 432
    assert 0 < impossible < len(CONV_GRID)  # both kinds of combination were reached


def test_conv_explorer_single_slider_changes_redraw():
    explorer = widgets.conv_explorer(i=5, k=3, s=1, p=0)
    for name, value in [("i", 7), ("s", 2), ("p", 1), ("d", 2), ("k", 4), ("i", 3), ("d", 1)]:
        before = explorer.image.value
        explorer.controls[name].value = value
        assert_consistent(explorer, expected_conv(explorer.params()))
        assert explorer.image.value != before


@pytest.mark.parametrize(
    ("i", "k", "s", "p", "d"), [(5, 3, 2, 1, 1), (6, 2, 1, 1, 2), (4, 3, 1, 0, 1)]
)
def test_conv_explorer_every_step_and_cell(i, k, s, p, d):
    explorer = widgets.conv_explorer(i=i, k=k, s=s, p=p, d=d)
    o = explorer.output_size
    x = torch.tensor(widgets.example_input(i)[None, None], dtype=torch.float64)
    torch_out = F.conv2d(
        x, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s, padding=p, dilation=d
    )
    images = set()
    for step in range(o * o):
        explorer.set(step=step, cell=(o * o - 1 - step))
        assert_consistent(explorer, o)
        assert table_values(explorer.values.value) == torch_out.flatten().tolist()
        row, col = divmod(step, o)
        assert f"out[{row}, {col}] = " in explorer.values.value
        shown = re.search(r"= <b>([^<]*)</b></div>", explorer.values.value).group(1)
        assert float(shown.replace("−", "-")) == torch_out[0, 0, row, col].item()
        images.add(explorer.image.value)
    assert len(images) == o * o  # every step draws a different picture


def test_conv_explorer_shrinking_output_clamps_step():
    explorer = widgets.conv_explorer(i=8, k=3)
    explorer.set(step=35, cell=20)
    explorer.controls["i"].value = 4
    assert explorer.controls["step"].value == explorer.controls["cell"].value == 3
    assert_consistent(explorer, 2)


def test_conv_explorer_formula_substitutes_the_numbers():
    explorer = widgets.conv_explorer(i=5, k=3, s=2, p=1)
    assert '⌊(5 + 2·1 − 3) / 2⌋ + 1 = <span class="output-size">3</span>' in (
        explorer.formula.value
    )
    explorer.set(d=2)
    assert "⌊(5 + 2·1 − 2·(3 − 1) − 1) / 2⌋ + 1" in explorer.formula.value


def test_conv_explorer_impossible_kernel_gets_one_friendly_line():
    explorer = widgets.conv_explorer(i=3, k=5)
    assert explorer.output_size is None
    assert "does not fit" in explorer.message.value and "5" in explorer.message.value
    assert "\n" not in explorer.message.value
    explorer.controls["p"].value = 1
    assert_consistent(explorer, 1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"i": 13}, "i=13 is invalid"), ({"k": 0}, "k=0 is invalid"), ({"s": 1.5}, "must be an int")],
)
def test_conv_explorer_refuses_start_values_outside_the_sliders(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        widgets.conv_explorer(**kwargs)


# --------------------------------------------------------------------------- pool sweep
# every (i, k, s, p, ceil_mode) with p <= k // 2, PyTorch's limit (the slider stops there)
POOL_GRID = [
    (i, k, s, p, ceil_mode)
    for i, k, s, ceil_mode in itertools.product(
        range(1, 7), range(1, 5), range(1, 4), [False, True]
    )
    for p in range(k // 2 + 1)
]


def test_pool_explorer_sweep_matches_arithmetic():
    explorer = widgets.pool_explorer()
    seen, impossible = set(), 0
    for n, (i, k, s, p, ceil_mode) in enumerate(POOL_GRID):
        mode = "max" if n % 2 else "avg"
        explorer.set(i=i, k=k, s=s, p=p, ceil_mode=ceil_mode, mode=mode)
        params = explorer.params()
        assert (params["i"], params["k"], params["s"], params["p"]) == (i, k, s, p)
        assert explorer.controls["p"].max == k // 2
        expected = expected_pool(params)
        impossible += expected is None
        assert_consistent(explorer, expected)
        seen.add((i, k, s, p, ceil_mode))
    assert len(seen) == 288
    assert 0 < impossible < len(seen)


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize(
    ("i", "k", "s", "p", "ceil_mode"), [(4, 2, 2, 0, False), (5, 2, 2, 1, True), (5, 3, 2, 1, True)]
)
def test_pool_explorer_values_match_pytorch(mode, i, k, s, p, ceil_mode):
    explorer = widgets.pool_explorer(i=i, k=k, s=s, p=p, ceil_mode=ceil_mode, mode=mode)
    x = torch.tensor(widgets.pool_input(i)[None, None], dtype=torch.float64)
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    torch_out = pool(x, k, s, p, ceil_mode=ceil_mode)
    o = torch_out.shape[-1]
    assert explorer.output_size == o
    for step in range(o * o):
        explorer.set(step=step)
        assert table_values(explorer.values.value) == pytest.approx(
            torch_out.flatten().tolist(), abs=0.005
        )
        shown = re.search(r"= <b>([^<]*)</b></div>", explorer.values.value).group(1)
        row, col = divmod(step, o)
        assert float(shown.replace("−", "-")) == pytest.approx(
            torch_out[0, 0, row, col].item(), abs=0.005
        )


def test_pool_explorer_default_is_seed_000():
    explorer = widgets.pool_explorer()
    assert explorer.output_size == 2
    assert table_values(explorer.values.value) == [80, 111, 85, 123]
    assert "max(50, 77, 28, 80) = <b>80</b>" in explorer.values.value


def test_pool_explorer_ceil_mode_formula_explains_the_dropped_window():
    explorer = widgets.pool_explorer(i=5, k=2, s=2, p=1, ceil_mode=True)
    assert explorer.output_size == 3
    assert "⌈(5 + 2·1 − 2) / 2⌉ + 1 = 4 − 1" in explorer.formula.value
    assert "right padding" in explorer.formula.value


def test_pool_explorer_padding_slider_follows_the_window():
    explorer = widgets.pool_explorer(i=6, k=4, s=2, p=2)
    explorer.controls["k"].value = 2
    assert explorer.controls["p"].value == 1 and explorer.controls["p"].max == 1
    assert_consistent(explorer, expected_pool(explorer.params()))
    explorer.controls["p"].value = 3  # beyond the slider: clamped, never an error
    assert explorer.controls["p"].value == 1
    explorer.set(k=6, p=3)  # set() applies both: p=3 is allowed once k=6
    assert explorer.params()["p"] == 3
    assert_consistent(explorer, expected_pool(explorer.params()))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"k": 2, "p": 2}, "at most half the kernel size, k // 2 = 1"),
        ({"mode": "min"}, "must be one of 'max', 'avg'"),
        ({"ceil_mode": 1}, "must be a bool"),
    ],
)
def test_pool_explorer_refuses_bad_start_values(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        widgets.pool_explorer(**kwargs)


def test_pool_explorer_default_stride_is_the_window():
    assert widgets.pool_explorer(k=3, s=None, i=9).params()["s"] == 3


# --------------------------------------------------------------------------- the base class
class Toy(widgets.Explorer):
    """A minimal explorer, as later lessons write them: one slider, size = n - 2."""

    def compute(self, settings):
        size = arithmetic.conv_size(settings.n, 3)
        message = "" if size.ok else size.error.args[0]
        return widgets.ExplorerState(
            settings=settings, size=size, message=message, formula=(size.html(),)
        )

    def draw(self, fig, state):
        (ax,) = widgets.reuse_axes(fig)
        ax.plot([0, state.settings.n])


def test_base_class_contract_for_new_explorers():
    toy = Toy({"n": ipywidgets.IntSlider(5, min=1, max=9)})
    assert isinstance(toy, ipywidgets.VBox)
    assert toy.output_size == 3 and toy.message.value == "" and toy.image.value[:8] == PNG
    toy.controls["n"].value = 2
    assert toy.output_size is None and toy.state.size.value is None
    assert "must be &gt;= 1" in toy.message.value  # the rule, escaped, no traceback
    assert toy.values.value == ""
    toy.controls["n"].value = 9
    assert toy.output_size == 7 and toy.message.value == ""
    assert SPAN.findall(toy.formula.value) == ["7"]
    assert repr(toy) == "Toy(n=9) -> output_size=7"
    with pytest.raises(AttributeError):
        toy.state.message = "changed"  # the state is frozen
    with pytest.raises(ValueError, match="unknown controls"):
        toy.set(m=1)


def test_hold_redraws_once():
    toy = Toy({"n": ipywidgets.IntSlider(5, min=1, max=9)})
    calls = []
    original = toy.compute
    toy.compute = lambda settings: calls.append(settings) or original(settings)
    with toy.hold():
        toy.controls["n"].value = 6
        toy.controls["n"].value = 7
    assert [c["n"] for c in calls] == [7]


def test_explorer_repr_is_short_and_stable():
    assert repr(widgets.conv_explorer()) == (
        "ConvExplorer(i=5, k=3, s=1, p=0, d=1, step=0, cell=0) -> output_size=3"
    )


def test_example_input_is_fixed():
    assert np.array_equal(widgets.example_input(6), widgets.example_input(6))
    assert widgets.example_input(6).max() < 10


def test_settings_read_like_a_dict_and_attributes_but_never_change():
    settings = widgets.Settings({"i": 5, "k": 3})
    assert settings.i == settings["i"] == 5 and dict(settings) == {"i": 5, "k": 3}
    assert settings == {"i": 5, "k": 3} and settings.get("d", 1) == 1
    with pytest.raises(AttributeError, match="no control named 'd'"):
        settings.d  # noqa: B018
    with pytest.raises(AttributeError, match="read-only"):
        settings.i = 6


def test_settings_copy_and_pickle_by_value():
    settings = widgets.Settings({"i": 5, "k": 3})
    for copied in (
        copy.copy(settings),
        copy.deepcopy(settings),
        pickle.loads(pickle.dumps(settings)),
    ):
        assert copied == settings and copied is not settings and copied.k == 3


@pytest.mark.parametrize(
    ("factory", "control"),
    [
        (widgets.conv_explorer, "step"),
        (widgets.pool_explorer, "step"),
        (widgets.transposed_explorer, "step"),
        (widgets.checkerboard_explorer, None),
        (widgets.channels_explorer, None),
    ],
)
def test_step_control_and_figure_show_the_current_state(factory, control):
    explorer = factory()
    assert explorer.step_control == control
    if control:
        explorer.set(**{control: explorer.controls[control].max})
    fig = explorer.figure()
    assert fig.axes and fig.get_size_inches().tolist() == list(explorer.figsize)
    again = widgets.render_picture(explorer.draw_into(Figure(figsize=explorer.figsize)))
    assert again == bytes(explorer.image.value)  # the same drawing as the widget's picture


def test_explorers_size_by_arithmetic_only():
    """The number shown is the arithmetic's SizeResult, the message its rule."""
    explorer = widgets.conv_explorer(i=3, k=5)
    size = arithmetic.conv_size(3, 5)
    assert explorer.state.size == size and explorer.state.out is None
    assert html.escape(size.rule) in explorer.message.value
    assert size.html(compact=True) in explorer.formula.value


def test_reused_axes_draw_what_a_new_figure_draws():
    """The explorers draw on one figure again and again: the pictures equal fresh ones."""
    moves = {
        widgets.conv_explorer: [dict(i=7), dict(step=3), dict(k=7), dict(i=12, p=4), dict(k=2)],
        widgets.pool_explorer: [dict(i=5, ceil_mode=True, p=1), dict(step=2), dict(mode="avg")],
        widgets.transposed_explorer: [dict(i=3), dict(s=1, output_padding=1), dict(s=2, p=4)],
        widgets.checkerboard_explorer: [dict(i=5), dict(p=3, i=1, k=1), dict(i=8, k=7)],
        widgets.channels_explorer: [dict(c_in=4, c_out=6, groups=2), dict(groups=4)],
    }
    for factory, changes in moves.items():
        explorer = factory()
        for change in changes:
            explorer.set(**change)
            fresh = widgets.render_picture(explorer.figure(), explorer.dpi)
            assert bytes(explorer.image.value) == fresh, (factory.__name__, change)


def test_picture_has_twice_the_pixels_of_its_css_size():
    explorer = widgets.conv_explorer()
    png = PIL.Image.open(io.BytesIO(bytes(explorer.image.value)))
    css = int(explorer.image.layout.width.removesuffix("px"))
    assert css == explorer.figsize[0] * explorer.dpi == 432
    assert png.size[0] == 2 * css and png.mode == "P"  # HiDPI, palette


def test_browser_changes_in_a_burst_redraw_once_with_the_latest_value():
    explorer = widgets.conv_explorer()
    calls = []  # the value of i behind each picture shown
    explorer.image.observe(lambda change: calls.append(explorer.controls["i"].value), "value")

    async def drag():
        for i in (6, 7, 8, 9):  # as the browser's messages of a drag set the value
            explorer.controls["i"].set_state({"value": i})
        await asyncio.sleep(widgets.base.COALESCE_S * 5)

    asyncio.run(drag())
    assert calls and calls[-1] == 9 and len(calls) < 4
    assert SPAN.findall(explorer.formula.value) == [str(arithmetic.conv_output_size(9, 3))]


def _record_messages(explorer, sent):
    """Record ``(widget name, keys)`` for every state message the explorer's widgets send."""
    named = {name: w for name, w in vars(explorer).items() if isinstance(w, ipywidgets.Widget)}
    named |= {f"box {name}": box for name, box in explorer.boxes.items()}
    named |= {f"slider {name}": control for name, control in explorer.controls.items()}
    for name, widget in named.items():
        send = widget.send_state

        def record(key=None, name=name, send=send):
            keys = sorted(key) if isinstance(key, set | list | tuple) else [key]
            if keys:  # a hold released with nothing changed sends no message
                sent.append((name, keys))
            return send(key)

        widget.send_state = record


def test_a_move_in_the_browser_sends_the_picture_first_and_the_rest_after_it():
    explorer = widgets.conv_explorer()
    sent = []
    _record_messages(explorer, sent)

    async def press():
        await asyncio.sleep(widgets.base.COALESCE_S * 2)  # not part of a drag
        explorer.controls["i"].set_state({"value": 6})  # as the browser's message does
        assert [name for name, _ in sent] == ["image"]  # only the picture so far
        await asyncio.sleep(widgets.base.TEXT_AFTER_S * 3)

    asyncio.run(press())
    names = [name for name, _ in sent]
    assert names[0] == "image" and {"formula", "values", "box i"} <= set(names[1:]), sent
    assert SPAN.findall(explorer.formula.value) == [str(arithmetic.conv_output_size(6, 3))]
    assert explorer.boxes["i"].value == 6


def test_a_change_made_by_code_sends_what_a_browser_move_still_held():
    explorer = widgets.conv_explorer()
    sent = []
    _record_messages(explorer, sent)

    async def press_then_cell():
        await asyncio.sleep(widgets.base.COALESCE_S * 2)
        explorer.controls["i"].set_state({"value": 6})  # the browser: the rest is held
        assert [name for name, _ in sent] == ["image"]
        explorer.controls["k"].value = 5  # a cell, before the hold runs out: all sent now
        assert "box i" in [name for name, _ in sent], sent

    asyncio.run(press_then_cell())


def test_the_model_explorer_holds_its_table_behind_the_picture_too():
    explorer = widgets.model_explorer()
    sent = []
    _record_messages(explorer, sent)

    async def press():
        await asyncio.sleep(widgets.base.COALESCE_S * 2)
        explorer.controls["H"].set_state({"value": 20})
        assert [name for name, _ in sent] == ["image"]
        await asyncio.sleep(widgets.base.TEXT_AFTER_S * 3)

    asyncio.run(press())
    assert "table" in [name for name, _ in sent[1:]], sent


def test_a_change_made_by_code_sends_everything_at_once():
    explorer = widgets.conv_explorer()
    sent = []
    _record_messages(explorer, sent)

    async def cell():
        explorer.controls["i"].value = 6
        assert {"image", "formula", "values", "box i"} <= {name for name, _ in sent}, sent

    asyncio.run(cell())


def test_changes_made_by_code_redraw_at_once_even_in_a_running_loop():
    """A notebook cell runs inside the kernel's event loop: its changes are never deferred."""
    explorer = widgets.conv_explorer()

    async def cell():
        for i in (6, 7, 8):
            explorer.controls["i"].value = i
            assert SPAN.findall(explorer.formula.value) == [str(i - 2)]

    asyncio.run(cell())


# --------------------------------------------------------------------------- the state contract
def sweep_values(control):
    """Values to sweep for a control: the ends of a slider (a position far beyond), each option."""
    if isinstance(control, ipywidgets.IntSlider):
        return [control.min, control.max, 999] if control.max == 0 else [control.min, control.max]
    if isinstance(control, ipywidgets.Checkbox):
        return [False, True]
    options = [opt[1] if isinstance(opt, tuple) else opt for opt in control.options]
    return options if len(options) <= 3 else [options[0], options[1], options[-1]]


@pytest.mark.parametrize("factory", FACTORIES, ids=factory_name)
def test_compute_returns_a_state_for_every_combination_and_views_change_nothing(factory):
    explorer = factory()
    grid = [sweep_values(control) for control in explorer.controls.values()]
    for combination in itertools.product(*grid):
        settings = widgets.Settings(dict(zip(explorer.controls, combination, strict=True)))
        state = explorer.compute(settings)  # never raises, possible or not
        assert state.settings == settings
        if state.size is not None:  # the message is the arithmetic's refusal, and only that
            assert (state.message == "") == state.size.ok
        assert all(name in explorer.controls for name in state.ranges)
    before = dict(vars(explorer))
    repr(explorer), explorer._repr_mimebundle_(), explorer.figure(), explorer.state.alt
    assert {k: id(v) for k, v in vars(explorer).items()} == {k: id(v) for k, v in before.items()}
