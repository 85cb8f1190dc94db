"""``explain_shape_error``: why PyTorch refuses an input, in the lessons' arithmetic.

The model runs once (:func:`helpers.shapes.recording.record`). When PyTorch raises, the
failure is read in three parts: *where* (the module running, and the torch function that
raised with the shapes it got and who produced them), *what* (PyTorch's message, matched
against the shape errors it raises: a ``Linear`` that gets the wrong number of features, a
kernel larger than its padded input, a channel count that does not match, tensors joined by
``torch.cat`` or ``+`` whose sizes differ, a ``view`` that does not fit) and *why* (the size
formulas of the layers that ran, from :mod:`helpers.arithmetic`). Every input size up to a
bound is tried (:func:`helpers.shapes.sizes.input_sizes_that_run`), so that the report can
name the smallest that runs; it says what it tried. Introduced in notebook 08.
"""

from __future__ import annotations

import math
import re

import torch
from torch import nn

from helpers.shapes.formulas import AXES, axis_sizes, spatial_rank
from helpers.shapes.recording import Failure, Recording, Source, check_input_size, record
from helpers.shapes.report import ShapeReport, dims
from helpers.shapes.sizes import describe_sizes, input_sizes_that_run, sizes_line, spatial_axes
from helpers.shapes.table import ShapeTable, rows_of
from helpers.validation import check_int

__all__ = ["default_up_to", "explain_shape_error"]

_MATMUL = re.compile(r"mat1 and mat2 shapes cannot be multiplied")
_TOO_SMALL = re.compile(r"Kernel size can't be greater|[Oo]utput size is too small")
_CHANNELS = re.compile(
    r"to have \d+ channels, but got \d+ channels|running_mean should contain|"
    r"number of channels in input"
)
#: What a layer calls the channel count it expects.
_CHANNEL_ATTRIBUTES = ("in_channels", "num_features", "num_channels")
#: The batched input each spatial rank needs.
_LAYOUTS = {1: "(N, C, L)", 2: "(N, C, H, W)", 3: "(N, C, D, H, W)"}
_JOIN = re.compile(r"Sizes of tensors must match|must match the size of tensor b")
_VIEW = re.compile(r"shape '\[(.*?)\]' is invalid for input of size (\d+)")
_ELEMENTWISE = {"add", "__add__", "__iadd__", "add_", "sub", "__sub__", "mul", "__mul__"}


def _label(source: Source | None) -> str:
    if source is None:
        return "the input"
    return f"`{source.name}`" if source.is_module else f"`{source.name}` in forward"


def _product(shape: tuple[int, ...]) -> str:
    return f"{'·'.join(map(str, shape))} = {math.prod(shape)}" if len(shape) > 1 else str(shape[0])


def _sized_rows(table: ShapeTable) -> list[str]:
    """``name (Kind): formula`` for every row whose size comes from a formula."""
    return [f"{row.name} ({row.kind}): {row.formula}" for row in table.rows if row.formula]


def _flattened(source: Source | None) -> tuple[str, tuple[int, ...]] | None:
    """For a tensor made by ``view``/``flatten``/``reshape``: who made the 2-D+ original."""
    if source is None or source.is_module or not source.inputs:
        return None
    shape, origin = source.inputs[0]
    return (_label(origin), shape[1:]) if len(shape) > 2 else None


def _unflattened(module: nn.Linear, name: str, shape: tuple, table: ShapeTable) -> dict:
    needed, per_input = module.in_features, shape[1:]
    return {
        "headline": (
            f"`{name}` (Linear) expects {needed} features on the last axis, but gets a "
            f"{dims(per_input)} map, whose last axis has {shape[-1]}: it was not flattened."
        ),
        "needed": f"(N, {needed}): one row of {needed} features per input",
        "why": [*_sized_rows(table), f"flattened, {dims(per_input)} is {_product(per_input)}"],
        "fix": (
            f"flatten before it (nn.Flatten() or x.flatten(1)), and build it for "
            f"{math.prod(per_input)} features: nn.Linear({math.prod(per_input)}, "
            f"{module.out_features})"
        ),
    }


def _built_for(needed: int, shape: tuple[int, ...]) -> str:
    """Say what map a ``Linear`` of ``needed`` features was built for, given what arrives."""
    channels, cells = shape[0], math.prod(shape[1:])
    per_channel, remainder = divmod(needed, channels)
    side = math.isqrt(per_channel)
    if remainder:
        return f"{needed} is not a multiple of the {channels} channels that arrive"
    if len(shape) == 3 and side * side == per_channel:
        return f"{needed} = {channels}·{side}·{side}: it was built for {side}×{side} maps"
    return f"{needed} = {channels}·{per_channel}: {per_channel} cells per channel; {cells} arrive"


def _linear(module: nn.Linear, name: str, failure: Failure, table: ShapeTable, runs: str) -> dict:
    shape, source = failure.tensors[0] if failure.tensors else (failure.input_shape, None)
    if len(shape) > 2:
        return _unflattened(module, name, shape, table)
    arrived, needed = shape[-1], module.in_features
    flat = _flattened(source)
    rows = table.rows
    if flat is None and rows and rows[-1].kind == "Flatten":
        flat = (f"`{rows[-2].name}`" if len(rows) > 1 else "the input", rows[-1].input_shape)
    origin = (
        f"{_product(flat[1])} arrive after {flat[0]}"
        if flat
        else f"{arrived} arrive from {_label(source)}"
    )
    why = _sized_rows(table)
    if flat:
        if not rows or rows[-1].kind != "Flatten":  # a Flatten row already shows the product
            why.append(f"{flat[0]} gives {dims(flat[1])}; flattened: {_product(flat[1])}")
        why.append(_built_for(needed, flat[1]))
    return {
        "headline": f"`{name}` (Linear) expects {needed} features; {origin}.",
        "needed": f"{needed} features (in_features={needed})",
        "why": why,
        "fix": (
            f"build it for what arrives: nn.Linear({arrived}, {module.out_features})"
            + (f" ({'*'.join(map(str, flat[1]))} = {arrived})" if flat else "")
            + f", or nn.LazyLinear({module.out_features}), which reads in_features at its first"
            " call" + (f"; or keep it and give an input that runs ({runs})" if runs else "")
        ),
    }


def _too_small(
    module: nn.Module, name: str, failure: Failure, table: ShapeTable, runs: str
) -> dict:
    shape = failure.input_shape
    rank = spatial_rank(module, shape)
    sizes = axis_sizes(module, shape) or []
    broken = [
        (axis, result)
        for axis, result in zip(AXES[rank], sizes, strict=True)
        if not isinstance(result, str) and result.value is None
    ]
    why = _sized_rows(table)
    texts = {}  # axes with the same formula share one line
    for axis, result in broken:
        texts.setdefault(f"{result.text(compact=True)}: {result.rule}", []).append(axis)
    why += [f"{name} along {' and '.join(axes)}: {text}" for text, axes in texts.items()]
    spatial = dims(shape[len(shape) - rank :])
    return {
        "headline": (
            f"`{name}` ({type(module).__name__}) gets a {spatial} map ({dims(shape[1:])}), too "
            "small for its window: the output would be empty."
        ),
        "needed": "an output size of at least 1 along every axis",
        "why": why,
        "fix": (
            (f"give an input that runs ({runs}), or " if runs else "")
            + "pad more before this layer (padding=…), or use a smaller kernel or fewer "
            "down-sampling steps"
        ),
    }


def _channels(module: nn.Module, name: str, failure: Failure, table: ShapeTable) -> dict:
    attribute = next(a for a in _CHANNEL_ATTRIBUTES if hasattr(module, a))
    needed, arrived = getattr(module, attribute), failure.input_shape[1]
    _, source = failure.tensors[0] if failure.tensors else (None, None)
    if source is not None and not source.is_module and source.name == "cat":
        parts = [f"{shape[1]} ({_label(origin)})" for shape, origin in source.inputs]
        origin = f"torch.cat joins {' + '.join(parts)} = {arrived}"
    else:
        origin = f"{_label(source)} gives {arrived}"
    kind = type(module).__name__
    if hasattr(module, "out_channels"):
        rebuilt = f"nn.{kind}({arrived}, {module.out_channels}, …)"
    else:
        rebuilt = f"{attribute}={arrived}"
    return {
        "headline": f"`{name}` ({kind}) expects {needed} input channels; {arrived} arrive.",
        "needed": f"{needed} channels ({attribute}={needed})",
        "why": [*_sized_rows(table), origin],
        "fix": f"build it for what arrives, {rebuilt}, or make the layer before it give {needed}",
    }


def _join(function: str, name: str, failure: Failure, table: ShapeTable, runs: str) -> dict:
    shapes = [shape for shape, _ in failure.tensors]
    sources = [_label(source) for _, source in failure.tensors]
    operation = "torch.cat" if function == "cat" else f"`{function}`"
    spatial = min(len(s) for s in shapes) - 2
    names = AXES.get(spatial, tuple(f"axis {a}" for a in range(spatial)))
    differ = [
        f"{axis}: {' ≠ '.join(str(s[2 + a]) for s in shapes)}"
        for a, axis in enumerate(names)
        if len({s[2 + a] for s in shapes if len(s) > 2 + a}) > 1
    ]
    joined = " and ".join(f"{src} ({dims(s[1:])})" for src, s in zip(sources, shapes, strict=True))
    rule = "every axis but the channels" if function == "cat" else "every axis (or be 1)"
    return {
        "headline": (
            f"{operation} in `{name}`.forward joins {joined}; they must agree on {rule}, "
            f"but {', '.join(differ) or 'they do not'}."
        ),
        "kind": operation,
        "needed": f"tensors whose sizes agree on {rule}",
        "why": [
            *_sized_rows(table),
            *(f"{src} gives {dims(s[1:])}" for src, s in zip(sources, shapes, strict=True)),
        ],
        "fix": (
            (f"use an input size that runs ({runs}), or " if runs else "")
            + "make the sizes meet in forward: crop or pad the skip tensor (F.pad), resize "
            "the other with "
            "F.interpolate(x, size=skip.shape[2:]), or give the transposed convolution the "
            "output_padding the floor dropped"
        ),
    }


def _view(name: str, failure: Failure, table: ShapeTable) -> dict:
    match = _VIEW.search(str(failure.error))
    shape, source = failure.tensors[0]
    return {
        "headline": (
            f"`view` in `{name}`.forward asks for [{match.group(1)}], but {_label(source)} gives "
            f"{dims(shape[1:])}: {_product(shape)} elements."
        ),
        "kind": "view",
        "needed": f"a number of elements that shape [{match.group(1)}] divides",
        "why": [*_sized_rows(table), f"{_label(source)} gives {_product(shape[1:])} per input"],
        "fix": "flatten with x.flatten(1) (or nn.Flatten()) and size the next layer for it",
    }


def _rank(module: nn.Module, name: str, failure: Failure, table: ShapeTable) -> dict:
    shape, rank = failure.input_shape, spatial_rank(module, failure.input_shape)
    layout = _LAYOUTS[rank]
    return {
        "headline": (
            f"`{name}` ({type(module).__name__}) expects a {rank + 2}-D batch {layout}, but "
            f"gets a {len(shape)}-D one of shape {shape}."
        ),
        "needed": f"a {rank + 2}-D batch {layout}",
        "why": _sized_rows(table),
        "fix": (
            f"reshape before it, e.g. x.view(x.size(0), C, …) or nn.Unflatten(1, …), so that "
            f"each input is ({layout[4:]}"
        ),
    }


def _generic(module: nn.Module, name: str, failure: Failure, table: ShapeTable) -> dict:
    shape = failure.input_shape
    arrived = f"gets {dims(shape[1:])}" if shape else "was running"
    return {
        "headline": f"`{name}` ({type(module).__name__}) {arrived} and PyTorch refused it.",
        "needed": "see PyTorch's message",
        "why": _sized_rows(table),
        "fix": "",
    }


def _diagnose(recording: Recording, table: ShapeTable, runs: str) -> dict:
    """The report's fields for a failed pass; ``runs`` says which inputs run ("" if none)."""
    failure = recording.failure
    name = failure.stack[-1] if failure.stack else "(model)"
    module = recording.modules.get(name)
    message, function = str(failure.error), failure.function or ""
    leaf = module is not None and not list(module.children())
    shape = failure.input_shape or ()
    rank = spatial_rank(module, shape) if leaf and shape else None
    if isinstance(module, nn.Linear) and _MATMUL.search(message):
        found = _linear(module, name, failure, table, runs)
    elif rank and not isinstance(module, nn.Upsample) and len(shape) not in (rank + 1, rank + 2):
        found = _rank(module, name, failure, table)
    elif rank and _TOO_SMALL.search(message):
        found = _too_small(module, name, failure, table, runs)
    elif leaf and shape and _CHANNELS.search(message):
        found = _channels(module, name, failure, table)
    elif (function == "cat" or function in _ELEMENTWISE) and _JOIN.search(message):
        found = _join(function, name, failure, table, runs)
    elif function in ("view", "reshape") and _VIEW.search(message):
        found = _view(name, failure, table)
    else:
        found = _generic(module, name, failure, table)
    found.setdefault("kind", type(module).__name__)
    if leaf and failure.input_shape:
        found["arrived"] = (failure.input_shape[1:],)
    else:
        found["arrived"] = tuple(shape[1:] for shape, _ in failure.tensors)
    found["why"] = tuple(found["why"])
    return {"layer": name, **found}


def default_up_to(input_size: tuple[int, ...]) -> int:
    """The largest size :func:`explain_shape_error` tries by default.

    Twice the largest spatial size of ``input_size``, and at least 64.

    Examples
    --------
    >>> default_up_to((3, 40, 40)), default_up_to((1, 28, 28))
    (80, 64)
    """
    return max(64, 2 * max(input_size[a] for a in spatial_axes(input_size)))


def explain_shape_error(model: nn.Module, input_size, *, up_to: int | None = None) -> ShapeReport:
    """Run ``model`` on ``input_size``; if PyTorch refuses it for its shapes, explain why.

    Parameters
    ----------
    model : nn.Module
        Any module whose ``forward`` takes one tensor (as for :func:`explain_shapes`).
    input_size : tuple of int
        One input's shape without the batch axis, e.g. ``(1, 65, 65)``.
    up_to : int or None, default=None
        When the model fails, every size ``s`` from 1 to ``up_to`` on every spatial axis
        (``(1, s, s)``) is tried with :func:`helpers.shapes.sizes.input_sizes_that_run`, and
        the report says which run, or that none up to this bound does; 0 tries none. None:
        :func:`default_up_to` (twice the largest spatial size, at least 64).

    Returns
    -------
    ShapeReport
        Prints as text and as HTML. When the model runs: ``runs`` is True, the headline
        says so and gives the output shapes. Otherwise it names the layer (or, for
        ``torch.cat``, ``+`` and ``view`` in a ``forward``, the module whose ``forward``
        ran them), the shapes that reached it, what it needed, the formulas of the layers
        before it (from :mod:`helpers.arithmetic`), a suggested fix that agrees with the
        sizes that run, those sizes (``"runs from 63×63"``) with the bound tried, and
        PyTorch's own message.

    Raises
    ------
    TypeError, ValueError
        If ``input_size`` is not a tuple of positive ints, or ``up_to`` not an int >= 0.
    Exception
        What the model raised when it is not a ``RuntimeError`` or ``ValueError`` (not a
        shape problem: a typo in ``forward``, say).

    See Also
    --------
    explain_shapes : The table of every layer's size, for a model that runs.
    helpers.shapes.sizes.input_sizes_that_run : Every size that runs, up to a bound.

    Notes
    -----
    Introduced in notebook 08. Recognised: ``Linear`` with the wrong ``in_features``
    (PyTorch: "mat1 and mat2 shapes cannot be multiplied"), a window larger than the padded
    input ("Kernel size can't be greater than actual input size", "Output size is too
    small"), a channel mismatch ("expected input ... to have 16 channels"), ``torch.cat`` and
    element-wise ``+``/``-``/``*`` of tensors whose sizes differ, and a ``view`` that does not
    fit. Any other ``RuntimeError`` is reported with the layer and the shape that reached it.

    Examples
    --------
    >>> model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.Flatten(), nn.Linear(8 * 28 * 28, 10))
    >>> report = explain_shape_error(model, (1, 28, 28))
    >>> print(report.headline)
    `2` (Linear) expects 6272 features; 8·26·26 = 5408 arrive after `0`.
    >>> report.sizes_that_run
    (30,)
    >>> print(report.sizes_line)
    runs only at 30×30 (tried: every size from 1×1 to 64×64)
    """
    input_size = check_input_size(input_size)
    if up_to is not None:
        up_to = check_int("up_to", up_to, minimum=0)
    recording = record(model, input_size)
    total = sum(p.numel() for p in model.parameters())
    table = ShapeTable(input_size, rows_of(recording.calls), total)
    failure = recording.failure
    if failure is None:
        output = recording.output
        outputs = output if isinstance(output, tuple | list) else (output,)
        shapes = tuple(tuple(t.shape[1:]) for t in outputs if isinstance(t, torch.Tensor))
        if not shapes:
            returned = "no tensor"
        elif len(shapes) == 1:
            returned = f"an output of shape {shapes[0]}"
        else:
            returned = "outputs of shapes " + " and ".join(map(str, shapes))
        headline = (
            f"The model runs on an input of shape {input_size}: it returns {returned} per sample."
        )
        return ShapeReport(input_size, True, headline, table=table, output_shapes=shapes)
    if not isinstance(failure.error, RuntimeError | ValueError):
        raise failure.error
    up_to = default_up_to(input_size) if up_to is None else up_to
    rank = len(spatial_axes(input_size))
    sizes = input_sizes_that_run(model, input_size, up_to=up_to) if up_to else ()
    runs = f"it runs {describe_sizes(sizes, up_to, rank)}" if sizes else ""
    found = _diagnose(recording, table, runs)
    error = f"{type(failure.error).__name__}: {str(failure.error).splitlines()[0]}"
    line = sizes_line(sizes, up_to, rank) if up_to else ""
    return ShapeReport(
        input_size, False, error=error, table=table, sizes_that_run=sizes, sizes_line=line,
        **found,
    )  # fmt: skip
