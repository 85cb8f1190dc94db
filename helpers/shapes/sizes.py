"""``input_sizes_that_run``: every input size on which a model runs, found from shapes alone.

A model's forward pass on PyTorch's ``meta`` device computes every shape and makes every
shape check that a real pass makes, but no arithmetic on data. The search runs a copy of the
model there (its parameters and buffers replaced by ``meta`` tensors of the same shapes, the
caller's model untouched) once per size. Batch normalisation in evaluation mode keeps the
shape, but its ``meta`` rule is the slowest part of such a pass (about 85 % of a ResNet-50
pass), so in the copy each ``BatchNorm1d/2d/3d`` is replaced by a layer that makes the
same checks -- the number of axes, the channel count, and more than one value per channel
when it uses batch statistics -- and returns its input. A pass that cannot run on ``meta``
(an operation without a ``meta`` rule, or one that reads values) is run again for real, on
a copy of the model on its own device. Introduced in notebook 08.
"""

from __future__ import annotations

import copy
import math

import torch
from torch import nn

from helpers.shapes.recording import check_input_size
from helpers.validation import check_int

__all__ = ["describe_sizes", "input_sizes_that_run", "size_text", "sizes_line", "spatial_axes"]

#: Batch-normalisation layers replaced in the ``meta`` copy, with the input ranks they accept.
_BATCH_NORMS = {nn.BatchNorm1d: (2, 3), nn.BatchNorm2d: (4,), nn.BatchNorm3d: (5,)}


def spatial_axes(input_size: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of ``input_size`` that are sizes, not channels: all but the first.

    A one-axis input (a flat vector) has no channel axis: its one axis is the size.

    Examples
    --------
    >>> spatial_axes((3, 224, 224)), spatial_axes((1, 32)), spatial_axes((784,))
    ((1, 2), (1,), (0,))
    """
    return tuple(range(1, len(input_size))) if len(input_size) > 1 else (0,)


class _BatchNormShape(nn.Module):
    """What ``BatchNorm1d/2d/3d`` checks in a forward pass, without its arithmetic."""

    def __init__(self, layer: nn.Module, ranks: tuple[int, ...]):
        super().__init__()
        self.kind, self.ranks, self.channels = type(layer).__name__, ranks, layer.num_features
        self.batch_statistics = layer.training or not layer.track_running_stats

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() not in self.ranks:
            wanted = " or ".join(f"{r}D" for r in self.ranks)
            raise ValueError(f"expected {wanted} input (got {x.dim()}D input)")
        if x.shape[1] != self.channels:
            raise RuntimeError(
                f"running_mean should contain {x.shape[1]} elements not {self.channels}"
            )
        if self.batch_statistics and math.prod(x.shape) // x.shape[1] == 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {x.shape}"
            )
        return x


def _meta_copy(model: nn.Module) -> nn.Module:
    """A copy of ``model`` on the ``meta`` device, batch norms replaced by their checks.

    The memo of ``copy.deepcopy`` hands every parameter and buffer a ``meta`` tensor of the
    same shape, so no data is copied. Lazy parameters, which have no shape yet, are copied.
    """
    memo = {}
    for tensor in [*model.parameters(), *model.buffers()]:
        empty = torch.empty_like(tensor, device="meta")
        if isinstance(tensor, nn.Parameter):
            empty = nn.Parameter(empty, requires_grad=tensor.requires_grad)
        memo[id(tensor)] = empty
    twin = copy.deepcopy(model, memo).to("meta").eval()
    for name, module in list(twin.named_modules()):
        ranks = _BATCH_NORMS.get(type(module))
        if ranks is not None and name:
            parent, _, child = name.rpartition(".")
            twin.get_submodule(parent).register_module(child, _BatchNormShape(module, ranks))
    return twin


def _is_lazy(model: nn.Module) -> bool:
    return any(isinstance(p, nn.parameter.UninitializedTensorMixin) for p in model.parameters())


def _dtype_and_device(model: nn.Module) -> tuple[torch.dtype, torch.device]:
    for tensor in [*model.parameters(), *model.buffers()]:
        if not isinstance(tensor, nn.parameter.UninitializedTensorMixin):
            return tensor.dtype, tensor.device
    return torch.get_default_dtype(), torch.device("cpu")


def _runs(model: nn.Module, shape: tuple[int, ...], dtype, device) -> bool | None:
    """True or False; None when the pass could not tell (no ``meta`` rule, values read)."""
    try:
        with torch.no_grad():
            model(torch.zeros((1, *shape), dtype=dtype, device=device))
    except NotImplementedError:
        return None
    except (RuntimeError, ValueError, IndexError) as error:
        return None if device.type == "meta" and "meta" in str(error).lower() else False
    return True


def input_sizes_that_run(
    model: nn.Module, input_size, *, up_to: int, axis: int | None = None
) -> tuple[int, ...]:
    """The sizes ``s`` in ``1 .. up_to`` on which ``model`` runs, in ascending order.

    Parameters
    ----------
    model : nn.Module
        Any module whose ``forward`` takes one tensor. It is left as it was: its
        parameters, device and mode.
    input_size : tuple of int
        One input's shape without the batch axis, e.g. ``(3, 224, 224)``. Its first axis
        holds the channels and is kept (unless it is the only axis).
    up_to : int
        The largest size tried, ``>= 1``.
    axis : int or None, default=None
        None: ``s`` replaces every spatial axis (``(3, s, s)``). An index into
        ``input_size`` (1 for the height of ``(3, 224, 224)``): ``s`` replaces that axis
        only, the others keep their sizes.

    Returns
    -------
    tuple of int
        Exactly the sizes on which a forward pass (evaluation mode, one input) completes;
        empty when none up to ``up_to`` does.

    Raises
    ------
    TypeError
        If ``model`` is not an ``nn.Module``, or an argument is not an int (``input_size``:
        not a tuple of ints).
    ValueError
        If a size is below 1, ``up_to < 1``, or ``axis`` is not a spatial axis.

    See Also
    --------
    helpers.shapes.explain_shape_error : Why one size fails, and the smallest that runs.

    Notes
    -----
    Introduced in notebook 08. The model runs once per size on PyTorch's ``meta`` device
    (shapes only; see the module's docstring); a size that the ``meta`` pass cannot decide
    runs for real. A model with lazy layers runs for real, on a fresh copy per size, since
    its first call fixes their sizes. Cost: about a tenth of a real pass of the same model on the
    CPU for a large input, independent of the input size.

    Examples
    --------
    >>> cnn = nn.Sequential(nn.Conv2d(1, 4, 5), nn.MaxPool2d(2), nn.Flatten(),
    ...                     nn.Linear(4 * 12 * 12, 10))
    >>> input_sizes_that_run(cnn, (1, 28, 28), up_to=40)
    (28, 29)
    >>> input_sizes_that_run(cnn, (1, 28, 28), up_to=40, axis=2)
    (28, 29)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model={type(model).__name__} is invalid: must be a torch.nn.Module")
    input_size = check_input_size(input_size)
    up_to = check_int("up_to", up_to, minimum=1)
    axes = spatial_axes(input_size)
    if axis is not None:
        check_int("axis", axis)
        if axis not in axes:
            raise ValueError(
                f"axis={axis} is invalid: must be a spatial axis of input_size={input_size}, "
                f"one of {', '.join(map(str, axes))}"
            )
        axes = (axis,)
    dtype, device = _dtype_and_device(model)
    lazy = _is_lazy(model)  # its first call fixes its sizes: a fresh real copy per size
    template = None if lazy else _meta_copy(model)
    real = None
    found = []
    for s in range(1, up_to + 1):
        shape = tuple(s if a in axes else n for a, n in enumerate(input_size))
        runs = None if lazy else _runs(template, shape, dtype, torch.device("meta"))
        if runs is None:  # decided by a real pass, on a copy
            if real is None or lazy:
                real = copy.deepcopy(model).eval()
            runs = _runs(real, shape, dtype, device)
        if runs:
            found.append(s)
    return tuple(found)


def size_text(s: int, rank: int) -> str:
    """``s`` on every one of ``rank`` axes, as a learner writes it: ``63×63``.

    Examples
    --------
    >>> size_text(63, 2), size_text(16, 3), size_text(32, 1)
    ('63×63', '16×16×16', '32')
    """
    return "×".join([str(s)] * rank)


def _ranges(sizes: tuple[int, ...]) -> list[tuple[int, int]]:
    """Consecutive sizes grouped: ``(1, 2, 3, 7)`` -> ``[(1, 3), (7, 7)]``."""
    groups = []
    for s in sizes:
        if groups and s == groups[-1][1] + 1:
            groups[-1][1] = s
        else:
            groups.append([s, s])
    return [tuple(g) for g in groups]


def describe_sizes(sizes: tuple[int, ...], up_to: int, rank: int, *, listed: int = 4) -> str:
    """Say which sizes in ``1 .. up_to`` run, shortest form first; ``""`` when none does.

    Parameters
    ----------
    sizes : tuple of int
        What :func:`input_sizes_that_run` returned, ascending.
    up_to : int
        The largest size it tried.
    rank : int
        How many axes the size is written on (2: ``63×63``).
    listed : int, default=4
        At most this many groups of consecutive sizes are written out.

    Returns
    -------
    str
        ``"from 63×63"`` (every size from 63 up to ``up_to``), ``"at multiples of 16 from
        16×16"``, ``"at 5×5, 9×9, 13×13, … (steps of 4)"``, ``"from 28×28 to 31×31"``, ``"only at
        16×16"``, or the groups: ``"at 12×12 to 15×15, 28×28"``.

    Examples
    --------
    >>> describe_sizes(tuple(range(63, 120)), 119, 2)
    'from 63×63'
    >>> describe_sizes((16, 32, 48, 64), 70, 2)
    'at multiples of 16 from 16×16'
    >>> describe_sizes((28, 29, 30, 31), 64, 2)
    'from 28×28 to 31×31'
    """
    if not sizes:
        return ""
    first, last = sizes[0], sizes[-1]
    groups = _ranges(sizes)
    if len(groups) == 1:
        if first == last:
            return f"only at {size_text(first, rank)}"
        if last == up_to:
            return f"from {size_text(first, rank)}"
        return f"from {size_text(first, rank)} to {size_text(last, rank)}"
    step = sizes[1] - first
    steps = {b - a for a, b in zip(sizes, sizes[1:], strict=False)}
    if steps == {step} and last + step > up_to and len(sizes) > 2:
        if first % step == 0:
            return f"at multiples of {step} from {size_text(first, rank)}"
        start = ", ".join(size_text(first + n * step, rank) for n in range(3))
        return f"at {start}, … (steps of {step})"
    words = [
        size_text(a, rank) if a == b else f"{size_text(a, rank)} to {size_text(b, rank)}"
        for a, b in groups[:listed]
    ]
    more = " and more" if len(groups) > listed else ""
    return "at " + ", ".join(words) + more


def sizes_line(sizes: tuple[int, ...], up_to: int, rank: int) -> str:
    """One sentence: which sizes run, and which were tried (so it claims no more).

    Examples
    --------
    >>> sizes_line((28, 29, 30, 31), 64, 2)
    'runs from 28×28 to 31×31 (tried: every size from 1×1 to 64×64)'
    >>> sizes_line((), 64, 2)
    'none of the sizes from 1×1 to 64×64 runs (each tried): change the model, not the input'
    """
    tried = f"{size_text(1, rank)} to {size_text(up_to, rank)}"
    if not sizes:
        return f"none of the sizes from {tried} runs (each tried): change the model, not the input"
    return f"runs {describe_sizes(sizes, up_to, rank)} (tried: every size from {tried})"
