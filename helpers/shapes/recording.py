"""Run a model once and record what every module and every torch operation did to the shapes.

Forward pre-hooks and hooks on every module keep a stack of the modules running and the
calls of the leaf modules, in the order they ran (a module called twice is recorded twice);
a ``TorchFunctionMode`` watches every torch function, remembers which module or operation
produced each tensor, and, if one raises, which function it was and the shapes it got. This
is what :func:`helpers.shapes.explain_shapes` and :func:`helpers.shapes.explain_shape_error`
read. Introduced in notebook 06 (the hooks, after ``torchsummary``) and notebook 08.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

__all__ = ["Call", "Failure", "Recording", "check_input_size", "record"]

ROOT = "(model)"
_LAZY = nn.parameter.UninitializedTensorMixin


def check_input_size(input_size) -> tuple[int, ...]:
    """``input_size`` as a tuple of positive ints (one input's shape, batch axis excluded).

    Raises
    ------
    TypeError
        If it is not a non-empty tuple or list of ints.
    ValueError
        If a size is below 1.
    """
    if not isinstance(input_size, tuple | list) or not input_size:
        raise TypeError(f"input_size={input_size!r} is invalid: must be a tuple of ints")
    for value in input_size:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"input_size={input_size!r} is invalid: must be a tuple of ints")
        if value < 1:
            raise ValueError(f"input_size={input_size!r} is invalid: every size must be >= 1")
    return tuple(int(v) for v in input_size)


@dataclass(frozen=True)
class Call:
    """One call of a leaf module: its name, the module, input and output shapes (batch included)."""

    name: str
    module: nn.Module
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]


@dataclass(frozen=True)
class Source:
    """Who produced a tensor: a module (``"conv2"``) or a torch operation (``"cat"``).

    ``inputs`` holds the shapes and sources of an operation's tensor arguments, so that a
    flattened tensor can say what it was flattened from.
    """

    name: str
    is_module: bool
    inputs: tuple[tuple[tuple[int, ...], Source | None], ...] = ()


@dataclass(frozen=True)
class Failure:
    """Where a forward pass raised.

    Attributes
    ----------
    error : Exception
        What PyTorch raised.
    stack : tuple of str
        The modules running when it raised, outermost first (``"(model)"`` is the model).
    function : str or None
        The torch function that raised (``"cat"``, ``"add"``, ``"linear"``, ``"conv2d"``).
    tensors : tuple of (shape, Source or None)
        The shapes of its tensor arguments, with who produced each (batch included).
    input_shape : tuple of int or None
        The shape that reached the innermost running module.
    """

    error: Exception
    stack: tuple[str, ...]
    function: str | None
    tensors: tuple[tuple[tuple[int, ...], Source | None], ...]
    input_shape: tuple[int, ...] | None


@dataclass
class Recording:
    """Leaf calls in order, the modules by name, and the failure if the pass raised."""

    calls: list[Call] = field(default_factory=list)
    modules: dict[str, nn.Module] = field(default_factory=dict)
    failure: Failure | None = None
    output: object = None


def _tensors(values) -> list[torch.Tensor]:
    """Pick the tensors among ``values``, one level of lists and tuples unpacked (``cat``).

    A lazy module's uninitialized parameters are left out: they have no shape yet.
    """
    found = []
    for value in values:
        found.extend(value if isinstance(value, tuple | list) else [value])
    # a lazy module's parameters have no shape until its first call
    return [t for t in found if isinstance(t, torch.Tensor) and not isinstance(t, _LAZY)]


class _Watch(TorchFunctionMode):
    """Remember who produced each tensor and which torch function raised first."""

    def __init__(self, sources: dict, stack: list, entered: dict):
        super().__init__()
        self.sources, self.stack, self.entered = sources, stack, entered
        self.failure = None

    def described(self, tensors) -> tuple:
        return tuple((tuple(t.shape), self.sources.get(id(t), (None,))[0]) for t in tensors)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        arguments = [*args, *kwargs.values()]
        try:
            result = func(*args, **kwargs)
        except Exception as error:
            if self.failure is None:
                self.failure = (error, getattr(func, "__name__", str(func)), arguments)
            raise
        if isinstance(result, torch.Tensor) and id(result) not in self.sources:
            inputs = self.described(_tensors(arguments))
            name = getattr(func, "__name__", str(func))
            self.sources[id(result)] = (Source(name, False, inputs), result)
        return result


def _device_and_dtype(model: nn.Module):
    parameter = next(model.parameters(), None)
    if parameter is None:
        return torch.device("cpu"), torch.get_default_dtype()
    return parameter.device, parameter.dtype


def record(model: nn.Module, input_size: tuple[int, ...]) -> Recording:
    """Run ``model`` on one zero input of ``input_size`` and record its calls.

    Parameters
    ----------
    model : nn.Module
        Any module whose ``forward`` takes one tensor.
    input_size : tuple of int
        Validated by :func:`check_input_size`; a batch axis of 1 is added.

    Returns
    -------
    Recording
        ``failure`` is None when the model ran; PyTorch's exception is kept, not raised.

    Notes
    -----
    Eval mode under ``torch.no_grad()``, on the model's device and dtype; the model's mode is
    restored and every hook removed, whatever happens.
    """
    recording = Recording(modules={name or ROOT: m for name, m in model.named_modules()})
    names = {id(m): name for name, m in recording.modules.items()}
    leaves = {id(m) for m in recording.modules.values() if not list(m.children())}
    stack, entered, sources = [], {}, {}

    def before(module, inputs):
        name = names[id(module)]
        stack.append(name)
        tensors = _tensors(inputs)
        entered[len(stack)] = tuple(tensors[0].shape) if tensors else None

    def after(module, inputs, output):
        name = stack.pop()
        y = output[0] if isinstance(output, tuple | list) and output else output
        if isinstance(y, torch.Tensor) and name != ROOT:
            sources[id(y)] = (Source(name, True), y)  # the outermost module that returned it
        x = entered.pop(len(stack) + 1, None)
        if id(module) in leaves and x is not None and isinstance(y, torch.Tensor):
            recording.calls.append(Call(name, module, x, tuple(y.shape)))

    handles = []
    for module in recording.modules.values():
        handles.append(module.register_forward_pre_hook(before))
        handles.append(module.register_forward_hook(after))
    device, dtype = _device_and_dtype(model)
    was_training = model.training
    watch = _Watch(sources, stack, entered)
    x = torch.zeros((1, *input_size), device=device, dtype=dtype)  # made outside: no source
    try:
        model.eval()
        with torch.no_grad(), watch:
            recording.output = model(x)
    except Exception as error:  # kept for the explanation; callers decide whether to raise
        function, tensors = None, ()
        if watch.failure is not None and watch.failure[0] is error:
            _, function, arguments = watch.failure
            tensors = watch.described(_tensors(arguments))
        recording.failure = Failure(error, tuple(stack), function, tensors, entered.get(len(stack)))
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return recording
