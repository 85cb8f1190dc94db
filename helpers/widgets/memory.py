"""The pictures an explorer remembers, and the neighbours it draws ahead of the learner.

A slider moved one step and back, or a drag that passes a value again, asks for a picture
the explorer has already drawn: :class:`PictureMemory` keeps the last pictures (with their
computed state) by control values, so those presses cost no drawing. After a
slider moves, the explorer also draws the picture one step further the same way while the
kernel is idle (the first of :func:`neighbours` it has not drawn), so the next press of an
arrow key, the usual way to step through a slider, finds its picture ready.

The memory is a cache of a pure function: the state and the picture depend only on the
control values (and on what the explorer was built with), so a remembered picture is the
same bytes as a new drawing (tested).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass

from helpers.validation import check_int

__all__ = ["Drawn", "PictureMemory", "neighbours"]


@dataclass(frozen=True)
class Drawn:
    """One drawing of an explorer: what :meth:`Explorer.compute` gave, and its picture.

    Parameters
    ----------
    state : ExplorerState
        The computed state.
    picture : bytes
        The picture drawn from it.
    """

    state: object
    picture: bytes


class PictureMemory:
    """The last ``size`` drawings by key, the least recently used dropped first.

    Parameters
    ----------
    size : int
        How many drawings to keep; 0 keeps none (every picture is drawn anew).

    Examples
    --------
    >>> memory = PictureMemory(2)
    >>> for key in "abc":
    ...     memory.put(key, Drawn(None, key.encode()))
    >>> "a" in memory, memory.get("c").picture, len(memory)
    (False, b'c', 2)
    """

    def __init__(self, size: int):
        self.size = check_int("size", size, minimum=0)
        self._drawings: OrderedDict[Hashable, Drawn] = OrderedDict()

    def get(self, key: Hashable) -> Drawn | None:
        """The drawing kept under ``key`` (now the most recently used), or None."""
        drawn = self._drawings.get(key)
        if drawn is not None:
            self._drawings.move_to_end(key)
        return drawn

    def put(self, key: Hashable, drawn: Drawn) -> None:
        """Keep ``drawn`` under ``key``, dropping the least recently used beyond ``size``."""
        if self.size == 0:
            return
        self._drawings[key] = drawn
        self._drawings.move_to_end(key)
        while len(self._drawings) > self.size:
            self._drawings.popitem(last=False)

    def clear(self) -> None:
        """Forget every drawing."""
        self._drawings.clear()

    def __contains__(self, key: Hashable) -> bool:
        """Whether a drawing is kept under ``key``."""
        return key in self._drawings

    def __len__(self) -> int:
        """How many drawings are kept."""
        return len(self._drawings)


def neighbours(
    values: Mapping[str, object], name: str, low: int, high: int, direction: int = 1
) -> Iterator[dict]:
    """The control values one step either side of control ``name``, the others unchanged.

    Parameters
    ----------
    values : mapping of str to object
        Current control values.
    name : str
        The control that moved; its value must be an int.
    low, high : int
        Its slider's range.
    direction : {1, -1}, default=1
        The way it last moved: that side comes first.

    Yields
    ------
    dict
        ``values`` with ``name`` one step up or down, inside ``low..high``.

    Examples
    --------
    >>> [v["k"] for v in neighbours({"i": 5, "k": 3}, "k", 1, 7, direction=-1)]
    [2, 4]
    >>> [v["k"] for v in neighbours({"k": 7}, "k", 1, 7)]
    [6]
    """
    for step in (direction, -direction):
        value = values[name] + step
        if low <= value <= high:
            yield {**values, name: value}
