"""Ask PyTorch what it computes, or whether it refuses, for the property tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch
import torch.nn.functional as F


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


def torch_conv_size(i, k, s=1, p=0, d=1) -> int:
    """Output length of ``conv1d`` (the 2-D layer's rule, per axis); raises when PyTorch refuses."""
    x, w = torch.zeros(1, 1, i, dtype=torch.float64), torch.zeros(1, 1, k, dtype=torch.float64)
    return F.conv1d(x, w, stride=s, padding=p, dilation=d).shape[-1]


def torch_pool_size(i, k, s=None, p=0, d=1, ceil_mode=False) -> int:
    """Output width of ``max_pool2d`` on a ``1 x i`` image; raises when PyTorch refuses."""
    x = torch.zeros(1, 1, 1, i, dtype=torch.float64)
    s = k if s is None else s
    return F.max_pool2d(x, (1, k), (1, s), (0, p), (1, d), ceil_mode=ceil_mode).shape[-1]


def torch_transpose_size(i, k, s=1, p=0, d=1, output_padding=0) -> int:
    """Output length of ``conv_transpose1d``; raises when PyTorch refuses."""
    x, w = torch.zeros(1, 1, i, dtype=torch.float64), torch.zeros(1, 1, k, dtype=torch.float64)
    out = F.conv_transpose1d(x, w, stride=s, padding=p, output_padding=output_padding, dilation=d)
    return out.shape[-1]


def size_or_none(fn: Callable, *args, **kwargs) -> int | None:
    """``fn(*args, **kwargs)``, or None when PyTorch refuses or the size is not positive."""
    ok, size = outcome(fn, *args, **kwargs)
    return size if ok and size > 0 else None


def image_tensor(array) -> torch.Tensor:
    """A 2-D array as a float64 ``(1, 1, H, W)`` tensor: one image of one channel."""
    return torch.tensor(np.asarray(array, dtype=np.float64))[None, None]


def torch_transposed(x, w, **kwargs) -> np.ndarray:
    """``F.conv_transpose2d`` of a 2-D input by a 2-D kernel, in float64; raises when it refuses."""
    return F.conv_transpose2d(image_tensor(x), image_tensor(w), **kwargs)[0, 0].numpy()


def torch_or_refused(theirs: Callable, ours: Callable):
    """``theirs()``, PyTorch's answer; or None when PyTorch refuses and ``ours()`` refuses too.

    PyTorch refuses with a ``RuntimeError``; ``ours()`` must then raise ``ValueError``.
    """
    try:
        return theirs()
    except RuntimeError:
        with pytest.raises(ValueError):
            ours()
        return None
