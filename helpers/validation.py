"""One validation path for every public function of :mod:`helpers`.

Each check takes the parameter's name *as the caller spelled it*, the value, and the
rule, and either returns the normalised value or raises:

- ``TypeError`` when the value has the wrong type (``"s=1.5 is invalid: must be an int"``);
- ``ValueError`` (a :class:`ShapeRuleError`, which carries ``.parameter``, ``.value`` and
  ``.rule``) when the type is right but the value breaks a rule
  (``"s=0 is invalid: must be >= 1"``).

The checks accept exactly the spellings PyTorch's ``torch.nn.functional`` accepts for
an n-D integer parameter: an int, a tuple or list of n ints, or of one int (broadcast
to every axis); for pooling's ``stride``, ``None`` or an empty tuple means "the kernel
size". Modelled on scikit-learn's ``check_scalar`` (``sklearn/utils/validation.py``).
Introduced in notebook 01.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = [
    "ShapeRuleError",
    "as_array",
    "check_bool",
    "check_choice",
    "check_int",
    "check_padding",
    "check_real",
    "check_str",
    "check_tuple",
    "check_window",
]


class ShapeRuleError(ValueError):
    """A value of the right type that breaks a rule; names the parameter, value and rule.

    Parameters
    ----------
    parameter : str
        The parameter's name as the caller spelled it (``"padding"``, ``"p"``), or a
        description such as ``"output size"``.
    value : object
        The offending value, shown with ``repr`` (or the computed number).
    rule : str
        What the value must satisfy, e.g. ``"must be >= 1"``.
    where : str, optional
        Where the rule broke, e.g. ``"along the height"``.
    expression : str, optional
        The formula, with numbers, that produced ``value``; shown before it.
    message : str, optional
        The whole message, when the standard ``"name=value is invalid: rule"`` does
        not read well (e.g. ``"x has shape (2,): must be 3-D or 4-D"``).

    Attributes
    ----------
    parameter, value, rule, where, expression
        As given.

    Examples
    --------
    >>> err = ShapeRuleError("padding", 5, "must be at most half the kernel size")
    >>> str(err)
    'padding=5 is invalid: must be at most half the kernel size'
    >>> err.parameter, err.value, isinstance(err, ValueError)
    ('padding', 5, True)
    >>> str(ShapeRuleError("output size", -1, "must be >= 1", expression="3 - 5 + 1"))
    'output size 3 - 5 + 1 = -1 is invalid: must be >= 1'
    """

    def __init__(
        self,
        parameter: str,
        value,
        rule: str,
        *,
        where: str = "",
        expression: str | None = None,
        message: str | None = None,
    ):
        self.parameter = parameter
        self.value = value
        self.rule = rule
        self.where = where
        self.expression = expression
        if message is None:
            shown = f"{parameter}={value!r}"
            if expression is not None:
                shown = f"{parameter} {expression} = {value!r}"
            place = f" {where}" if where else ""
            message = f"{shown} is invalid{place}: {rule}"
        super().__init__(message)

    def __reduce__(self):
        """Keep the attributes through pickling (multiprocessing, subprocess tests)."""
        fields = (self.parameter, self.value, self.rule, self.where, self.expression)
        return _rebuild, (*fields, str(self))


def _rebuild(parameter, value, rule, where, expression, message) -> ShapeRuleError:
    return ShapeRuleError(
        parameter, value, rule, where=where, expression=expression, message=message
    )


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def check_int(name: str, value, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` after checking its type and range.

    The one integer check of the package: every module that validates a count, a size
    or a hyper-parameter calls it, so every such error reads the same.

    Parameters
    ----------
    name : str
        The parameter's name, as the caller spells it.
    value : int
        Any integral value, NumPy integers included (``bool`` is refused, as PyTorch
        refuses it for sizes).
    minimum, maximum : int, optional
        The smallest and largest values allowed.

    Returns
    -------
    int
        ``int(value)``.

    Raises
    ------
    TypeError
        If ``value`` is not an integer: ``"s=1.5 is invalid: must be an int"``.
    ShapeRuleError
        A ``ValueError``, if ``value < minimum`` (``"s=0 is invalid: must be >= 1"``)
        or ``value > maximum``.

    Examples
    --------
    >>> check_int("groups", 2, 1)
    2
    >>> check_int("s", 0, minimum=1)
    Traceback (most recent call last):
        ...
    helpers.validation.ShapeRuleError: s=0 is invalid: must be >= 1
    """
    if not _is_int(value):
        raise TypeError(f"{name}={value!r} is invalid: must be an int")
    if minimum is not None and value < minimum:
        raise ShapeRuleError(name, value, f"must be >= {minimum}")
    if maximum is not None and value > maximum:
        raise ShapeRuleError(name, value, f"must be <= {maximum}")
    return int(value)


def check_real(
    name: str,
    value,
    minimum: float | None = None,
    maximum: float | None = None,
    *,
    include_min: bool = True,
    include_max: bool = True,
) -> float:
    """Return ``value`` as a ``float`` after checking that it is a real number in range.

    Parameters
    ----------
    name : str
        The parameter's name, as the caller spells it.
    value : int or float
        Any ``numbers.Real``, NumPy floats and integers included (``bool`` is refused).
    minimum, maximum : float, optional
        The bounds of the allowed interval; None: unbounded on that side.
    include_min, include_max : bool, default=True
        Whether the bound itself is allowed (``>=``, ``<=``) or not (``>``, ``<``).

    Returns
    -------
    float
        ``float(value)``.

    Raises
    ------
    TypeError
        If ``value`` is not a real number: ``"lr='fast' is invalid: must be a real number"``.
    ShapeRuleError
        A ``ValueError``, if ``value`` is outside the interval; NaN always is, once a bound
        is given. The rule reads ``"must be > 0"``, or ``"must be in [0, 1)"`` with both bounds.

    Notes
    -----
    Modelled on scikit-learn's ``check_scalar`` (``sklearn/utils/validation.py``), whose
    ``include_boundaries`` becomes two flags here.

    Examples
    --------
    >>> check_real("rtol", 1e-6, minimum=0)
    1e-06
    >>> check_real("label_smoothing", 1, 0, 1, include_max=False)
    Traceback (most recent call last):
        ...
    helpers.validation.ShapeRuleError: label_smoothing=1 is invalid: must be in [0, 1)
    """
    if not isinstance(value, numbers.Real) or isinstance(value, bool | np.bool_):
        raise TypeError(f"{name}={value!r} is invalid: must be a real number")
    above = minimum is None or (value >= minimum if include_min else value > minimum)
    below = maximum is None or (value <= maximum if include_max else value < maximum)
    if not (above and below):
        rule = _interval_rule(minimum, maximum, include_min, include_max)
        raise ShapeRuleError(name, value, rule)
    return float(value)


def _interval_rule(minimum, maximum, include_min: bool, include_max: bool) -> str:
    """``"must be >= 0"``, ``"must be < 1"`` or ``"must be in [0, 1)"``."""
    if maximum is None:
        return f"must be {'>=' if include_min else '>'} {minimum}"
    if minimum is None:
        return f"must be {'<=' if include_max else '<'} {maximum}"
    low, high = "[" if include_min else "(", "]" if include_max else ")"
    return f"must be in {low}{minimum}, {maximum}{high}"


def check_choice(name: str, value, choices: Iterable):
    """Return ``value`` after checking that it is one of ``choices``.

    Parameters
    ----------
    name : str
        The parameter's name, as the caller spells it.
    value : object
        The setting, e.g. ``"one-cycle"``.
    choices : iterable
        The allowed values, e.g. ``("one-cycle", "constant")``, in the order the message
        lists them. ``True`` does not stand for ``1`` (nor ``False`` for ``0``).

    Returns
    -------
    object
        ``value``.

    Raises
    ------
    TypeError
        If every choice is a ``str`` and ``value`` is not:
        ``"schedule=3 is invalid: must be a str, one of 'one-cycle', 'constant'"``.
    ShapeRuleError
        A ``ValueError``, if ``value`` is none of the choices:
        ``"schedule='cosine' is invalid: must be one of 'one-cycle', 'constant'"``.

    Examples
    --------
    >>> check_choice("mode", "zeros", ("zeros", "reflect"))
    'zeros'
    >>> check_choice("mode", "wrap", ("zeros", "reflect"))
    Traceback (most recent call last):
        ...
    helpers.validation.ShapeRuleError: mode='wrap' is invalid: must be one of 'zeros', 'reflect'
    """
    choices = tuple(choices)
    listed = ", ".join(map(repr, choices))
    if all(isinstance(c, str) for c in choices) and not isinstance(value, str):
        raise TypeError(f"{name}={value!r} is invalid: must be a str, one of {listed}")
    is_bool = isinstance(value, bool | np.bool_)
    for choice in choices:
        if isinstance(choice, bool | np.bool_) == is_bool and choice == value:
            return value
    raise ShapeRuleError(name, value, f"must be one of {listed}")


def check_str(name: str, value, optional: bool = False) -> str | None:
    """Return ``value`` after checking that it is a ``str`` (or None, when optional).

    Parameters
    ----------
    name : str
        The parameter's name, as the caller spells it.
    value : str or None
        The text.
    optional : bool, default=False
        Whether None is allowed.

    Returns
    -------
    str or None

    Raises
    ------
    TypeError
        ``"hint=3 is invalid: must be a str"``.

    Examples
    --------
    >>> check_str("hint", None, optional=True) is None
    True
    """
    if isinstance(value, str) or (optional and value is None):
        return value
    allowed = "a str or None" if optional else "a str"
    raise TypeError(f"{name}={value!r} is invalid: must be {allowed}")


def check_bool(name: str, value) -> bool:
    """Return ``value`` after checking that it is a Python ``bool``.

    Parameters
    ----------
    name : str
        The parameter's name, as the caller spells it.
    value : bool
        ``True`` or ``False``; ``1``, ``"yes"`` and ``numpy.bool_`` are refused, as
        PyTorch refuses them for ``ceil_mode``.

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        ``"ceil_mode=1 is invalid: must be a bool"``.

    Examples
    --------
    >>> check_bool("ceil_mode", True)
    True
    """
    if not isinstance(value, bool):
        raise TypeError(f"{name}={value!r} is invalid: must be a bool")
    return value


def check_tuple(
    name: str,
    value,
    n: int,
    minimum: int | None = None,
    maximum: int | None = None,
    *,
    default: tuple[int, ...] | None = None,
) -> tuple[int, ...]:
    """Normalise PyTorch's spellings of an n-D integer parameter to a tuple of n ints.

    Parameters
    ----------
    name : str
        The parameter's name, as the caller spells it.
    value : int, tuple or list of int
        An int (the same on every axis), ``n`` ints, or one int in a tuple or list
        (broadcast, as PyTorch does).
    n : int
        The number of spatial axes.
    minimum, maximum : int, optional
        Bounds for every entry.
    default : tuple of int, optional
        Returned for ``None`` or an empty tuple or list; pooling passes the kernel
        size here, because ``max_pool2d(x, 3, stride=())`` means ``stride=3``.

    Returns
    -------
    tuple of n ints

    Raises
    ------
    TypeError
        If ``value`` is not an int or a tuple or list of ints (a string, a float, a
        NumPy array: PyTorch refuses them too).
    ShapeRuleError
        A ``ValueError``, if the sequence has the wrong length or an entry is out of
        range. The message shows the value as the caller wrote it.

    Examples
    --------
    >>> check_tuple("stride", 2, 2), check_tuple("stride", (2,), 2)
    ((2, 2), (2, 2))
    >>> check_tuple("stride", [1, 2], 2)
    (1, 2)
    >>> check_tuple("stride", (), 2, default=(3, 3))
    (3, 3)
    >>> check_tuple("padding", (1, -1), 2, minimum=0)
    Traceback (most recent call last):
        ...
    helpers.validation.ShapeRuleError: padding=(1, -1) is invalid: every entry must be >= 0
    """
    if default is not None and (
        value is None or (isinstance(value, tuple | list) and len(value) == 0)
    ):
        return tuple(default)
    spelled = f"an int or a tuple of {n} ints" if n > 1 else "an int or a tuple of 1 int"
    if _is_int(value):
        entries = (int(value),) * n
        check_int(name, value, minimum, maximum)
        return entries
    if not isinstance(value, tuple | list):
        raise TypeError(f"{name}={value!r} is invalid: must be {spelled}")
    if not all(_is_int(v) for v in value):
        raise TypeError(f"{name}={value!r} is invalid: must be {spelled}")
    if len(value) not in (1, n):
        raise ShapeRuleError(name, value, f"must be {spelled} (got {len(value)} entries)")
    entries = tuple(int(v) for v in value) * (n if len(value) == 1 else 1)
    if minimum is not None and min(entries) < minimum:
        raise ShapeRuleError(name, value, f"every entry must be >= {minimum}")
    if maximum is not None and max(entries) > maximum:
        raise ShapeRuleError(name, value, f"every entry must be <= {maximum}")
    return entries


def as_array(name: str, value, ndim: int | Sequence[int], layout: str | None = None) -> np.ndarray:
    """Return ``value`` as a numeric NumPy array with an allowed number of axes.

    Parameters
    ----------
    name : str
        The argument's name, as the caller spells it (``"x"``, ``"weight"``).
    value : array_like
        Numbers or booleans.
    ndim : int or sequence of int
        The allowed numbers of axes.
    layout : str, optional
        The expected shape in words, e.g. ``"(N, C, H, W) or (C, H, W)"``; by default
        the allowed ``ndim`` values.

    Returns
    -------
    ndarray

    Raises
    ------
    TypeError
        If the dtype is not numeric or boolean (strings, objects).
    ShapeRuleError
        A ``ValueError``, if ``value.ndim`` is not allowed; the message shows the shape.

    Examples
    --------
    >>> as_array("weight", [[1, 2], [3, 4]], 2).shape
    (2, 2)
    >>> as_array("x", [1, 2], (3, 4), "(N, C, H, W) or (C, H, W)")
    Traceback (most recent call last):
        ...
    helpers.validation.ShapeRuleError: x has shape (2,): must be (N, C, H, W) or (C, H, W)
    """
    array = np.asarray(value)
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} has dtype {array.dtype}: must be numeric")
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if array.ndim not in allowed:
        wanted = layout or " or ".join(f"{k}-D" for k in allowed)
        raise ShapeRuleError(
            name,
            array.shape,
            f"must be {wanted}",
            message=f"{name} has shape {array.shape}: must be {wanted}",
        )
    return array


def check_padding(name: str, padding) -> tuple[int, int, int, int]:
    """``(top, bottom, left, right)`` from an int, a ``(before, after)`` pair or four ints.

    Parameters
    ----------
    name : str
        The parameter's name, as the caller spells it (``"padding"``, ``"p"``).
    padding : int, (int, int) or (int, int, int, int)
        The same on every side; ``before`` (top and left) and ``after`` (bottom and
        right); or each side. Every entry ``>= 0``.

    Returns
    -------
    (int, int, int, int)
        ``(top, bottom, left, right)``.

    Raises
    ------
    TypeError
        If ``padding`` is not an int or a tuple or list of ints.
    ValueError
        If an entry is negative, or the tuple has another length than 1, 2 or 4.

    Examples
    --------
    >>> check_padding("p", 1), check_padding("p", (0, 1)), check_padding("p", (1, 2, 3, 4))
    ((1, 1, 1, 1), (0, 1, 0, 1), (1, 2, 3, 4))
    """
    if isinstance(padding, tuple | list) and len(padding) == 4:
        return check_tuple(name, padding, 4, minimum=0)  # type: ignore[return-value]
    if isinstance(padding, tuple | list) and len(padding) not in (1, 2):
        raise ShapeRuleError(
            name, padding, "must be an int, (before, after) or (top, bottom, left, right)"
        )
    before, after = check_tuple(name, padding, 2, minimum=0)
    return before, after, before, after


def check_window(k, s, d) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Normalise a window's kernel size, stride and dilation to pairs of ints ``>= 1``.

    Parameters
    ----------
    k, s, d : int or (int, int)
        Kernel size, stride and dilation, spelled as PyTorch accepts them.

    Returns
    -------
    ((int, int), (int, int), (int, int))
        ``k``, ``s`` and ``d`` as ``(height, width)`` pairs.

    Raises
    ------
    TypeError, ValueError
        From :func:`helpers.validation.check_tuple`, naming ``k``, ``s`` or ``d``.

    Examples
    --------
    >>> check_window(3, (2,), [1, 2])
    ((3, 3), (2, 2), (1, 2))
    """
    return (
        check_tuple("k", k, 2, minimum=1),
        check_tuple("s", s, 2, minimum=1),
        check_tuple("d", d, 2, minimum=1),
    )  # type: ignore[return-value]
