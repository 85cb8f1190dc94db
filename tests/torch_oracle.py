"""Ask PyTorch what it computes, or whether it refuses, for the property tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch


def outcome(fn: Callable, *args, **kwargs) -> tuple[bool, object]:
    """Return ``(True, result)`` if ``fn`` succeeds, else ``(False, exception)``."""
    try:
        return True, fn(*args, **kwargs)
    except (RuntimeError, ValueError, TypeError, IndexError) as err:
        return False, err


def to_torch(value):
    """NumPy arrays become float64 tensors; everything else passes through."""
    return torch.from_numpy(value) if isinstance(value, np.ndarray) else value


def torch_call(fn: Callable, *args, **kwargs):
    """Call a ``torch.nn.functional`` operator on NumPy inputs, returning NumPy."""
    result = fn(*(to_torch(a) for a in args), **{k: to_torch(v) for k, v in kwargs.items()})
    return result.numpy()
