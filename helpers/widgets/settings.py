"""The control values an explorer's hooks receive: read-only, by name or as attributes.

Introduced with :class:`helpers.widgets.base.Explorer`: ``compute`` gets one :class:`Settings`,
the state it returns keeps them, and the explorer's picture memory keys its drawings by them.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["Settings"]


class Settings(Mapping):
    """Read-only control values by name, also readable as attributes.

    Parameters
    ----------
    values : mapping of str to object
        Control values by name.

    Examples
    --------
    >>> v = Settings({"i": 5, "k": 3})
    >>> v.i + v["k"], dict(v)
    (8, {'i': 5, 'k': 3})
    """

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, object]):
        object.__setattr__(self, "_values", dict(values))

    def __getitem__(self, name: str):
        """The value of control ``name``."""
        return self._values[name]

    def __iter__(self):
        """The control names, in display order."""
        return iter(self._values)

    def __len__(self) -> int:
        """The number of controls."""
        return len(self._values)

    def __getattr__(self, name: str):
        """The value of control ``name``, as an attribute."""
        try:
            return object.__getattribute__(self, "_values")[name]
        except KeyError:
            raise AttributeError(f"no control named {name!r}: known are {list(self)}") from None

    def __reduce__(self):
        """Copied and pickled by value (``copy.deepcopy`` of a state copies its settings)."""
        return (type(self), (self._values,))

    def __setattr__(self, name: str, value) -> None:
        """Refuse: settings are read-only."""
        raise AttributeError("Settings are read-only: change the explorer's controls instead")

    def __repr__(self) -> str:
        """``Settings({...})``."""
        return f"Settings({self._values!r})"
