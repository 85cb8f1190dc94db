"""helpers.widgets.memory and the explorers' use of it: remembered pictures are the drawings."""

import asyncio

import pytest
from explorers import FACTORIES, name

from helpers import widgets
from helpers.widgets import base
from helpers.widgets.memory import Drawn, PictureMemory, neighbours


def first_slider(explorer):
    return next(
        c
        for c in explorer.controls.values()
        if isinstance(c, base.widgets.IntSlider) and c.max > c.min and not c.disabled
    )


def drawn(value: bytes) -> Drawn:
    return Drawn(None, value)


def test_memory_drops_the_least_recently_used():
    memory = PictureMemory(2)
    memory.put("a", drawn(b"a"))
    memory.put("b", drawn(b"b"))
    assert memory.get("a").picture == b"a"  # "a" is now the most recently used
    memory.put("c", drawn(b"c"))
    assert "b" not in memory and "a" in memory and "c" in memory and len(memory) == 2
    memory.clear()
    assert len(memory) == 0 and memory.get("a") is None


def test_memory_of_size_zero_keeps_nothing():
    memory = PictureMemory(0)
    memory.put("a", drawn(b"a"))
    assert memory.get("a") is None and len(memory) == 0


@pytest.mark.parametrize("size", [-1, 2.0, True, "8"])
def test_memory_size_must_be_a_non_negative_int(size):
    with pytest.raises((TypeError, ValueError), match=rf"size={size!r} is invalid"):
        PictureMemory(size)


def test_neighbours_stay_in_range_and_come_in_the_way_of_the_move():
    values = {"i": 5, "k": 1}
    assert [v["i"] for v in neighbours(values, "i", 1, 12)] == [6, 4]
    assert [v["i"] for v in neighbours(values, "i", 1, 12, direction=-1)] == [4, 6]
    assert [v["k"] for v in neighbours(values, "k", 1, 7)] == [2]
    assert all(v["k"] == 1 for v in neighbours(values, "i", 1, 12))  # the others unchanged
    assert values == {"i": 5, "k": 1}


@pytest.mark.parametrize("factory", FACTORIES, ids=name)
def test_a_remembered_picture_is_the_same_as_a_new_drawing(factory):
    explorer = factory()
    slider = first_slider(explorer)
    start = slider.value
    other = start + 1 if start < slider.max else start - 1
    slider.value = other
    slider.value = start  # from memory now
    assert len(explorer.memory) == 2
    fresh = factory()
    fresh.memory = PictureMemory(0)
    fresh.redraw()
    assert bytes(explorer.image.value) == bytes(fresh.image.value)
    assert explorer.formula.value == fresh.formula.value
    assert repr(explorer) == repr(fresh)


def test_an_impossible_combination_is_remembered_with_its_message():
    explorer = widgets.conv_explorer(i=3, k=3)
    explorer.controls["k"].value = 5  # larger than the input
    message = explorer.message.value
    explorer.controls["k"].value = 3
    explorer.controls["k"].value = 5
    assert message and explorer.message.value == message and explorer.output_size is None


def test_a_changed_figure_size_is_not_served_from_memory():
    explorer = widgets.conv_explorer()
    before = bytes(explorer.image.value)
    explorer.figsize = (4.0, 2.0)
    explorer.redraw()
    assert bytes(explorer.image.value) != before


async def _move_from_browser(explorer, control, value, settle_s):
    await asyncio.sleep(2 * base.COALESCE_S)  # not part of a drag: redrawn at once
    control.set_state({"value": value})  # as the browser's message does
    await asyncio.sleep(settle_s)


def _remembered(explorer, name):
    """The values of control ``name`` in the explorer's memory."""
    return sorted(dict(key[0])[name] for key in explorer.memory._drawings)


@pytest.mark.parametrize(
    "factory", [widgets.conv_explorer, widgets.pool_explorer, widgets.transposed_explorer]
)
def test_after_a_move_in_the_browser_the_next_step_is_drawn_ahead(factory):
    explorer = factory()
    slider = explorer.controls["i"]
    start = slider.value
    shown = []
    explorer.image.observe(lambda change: shown.append(slider.value), "value")
    asyncio.run(_move_from_browser(explorer, slider, start + 1, 0.5))
    assert shown == [start + 1]  # the neighbours are only remembered, not shown
    assert _remembered(explorer, "i") == [start, start + 1, start + 2]
    slider.value = start + 2  # served from memory: the same as a new drawing
    fresh = factory(i=start + 2)
    assert bytes(explorer.image.value) == bytes(fresh.image.value)
    assert explorer.formula.value == fresh.formula.value


def test_nothing_is_drawn_ahead_after_a_change_made_by_code():
    explorer = widgets.conv_explorer()

    async def change():
        explorer.controls["i"].value = 6
        await asyncio.sleep(0.5)

    asyncio.run(change())
    assert len(explorer.memory) == 2  # i = 5 and 6 only


def test_without_memory_nothing_is_drawn_ahead():
    explorer = widgets.conv_explorer()
    explorer.memory = PictureMemory(0)
    asyncio.run(_move_from_browser(explorer, explorer.controls["i"], 6, 0.5))
    assert len(explorer.memory) == 0 and explorer.output_size == 4


def test_a_new_change_cancels_the_drawing_ahead():
    explorer = widgets.conv_explorer()

    async def moves():
        await asyncio.sleep(2 * base.COALESCE_S)  # not part of a drag: redrawn at once
        explorer.controls["i"].set_state({"value": 6})
        explorer.controls["k"].value = 2  # before the drawing ahead starts
        await asyncio.sleep(0.5)

    asyncio.run(moves())
    assert _remembered(explorer, "i") == [5, 6, 6]  # k = 3, 3 and 2; no i = 7 drawn ahead


def test_the_step_drawn_ahead_follows_the_way_the_slider_moved():
    explorer = widgets.conv_explorer(i=5)
    asyncio.run(_move_from_browser(explorer, explorer.controls["i"], 4, 0.5))
    assert _remembered(explorer, "i") == [3, 4, 5]  # 3 drawn ahead, not 5's other side
    asyncio.run(_move_from_browser(explorer, explorer.controls["i"], 5, 0.5))
    assert _remembered(explorer, "i") == [3, 4, 5, 6]  # moving up again: 6
