"""From-scratch NumPy reference operators, argument for argument like ``torch.nn.functional``.

Each operator takes a batched ``(N, C, H, W)`` or unbatched ``(C, H, W)`` array,
int or ``(h, w)`` hyper-parameters and PyTorch's weight layouts, validates them
once at this public boundary (accepting exactly what PyTorch accepts), and computes
with whole-array operations and loops over *kernel taps*, never over pixels: for each
tap, one strided view of the input (gathering: convolution, pooling) or one strided
``+=`` into the output (scattering: transposed convolution), plus one matrix product.

Introduced in notebook 01; the transposed convolution in notebook 04.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence

import numpy as np

from helpers import arithmetic

__all__ = [
    "avg_pool2d",
    "conv1d",
    "conv2d",
    "conv_transpose1d",
    "conv_transpose2d",
    "max_pool2d",
]

Pair = int | Sequence[int]


# --------------------------------------------------------------------------- validation
def _pair(name: str, value: Pair) -> tuple[int, int]:
    """Normalise an int or an ``(h, w)`` pair to a tuple of two ints."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value), int(value)
    if (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) == 2
        and all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value)
    ):
        return int(value[0]), int(value[1])
    raise TypeError(f"{name}={value!r} is invalid: must be an int or a pair of ints (h, w)")


def _as_batch(x, name: str = "x", spatial_dims: int = 2) -> tuple[np.ndarray, bool]:
    """Return ``x`` with a batch axis and whether one was added."""
    x = np.asarray(x)
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise TypeError(f"{name} has dtype {x.dtype}: must be numeric")
    if x.ndim == spatial_dims + 1:
        return x[np.newaxis], True
    if x.ndim == spatial_dims + 2:
        return x, False
    raise ValueError(
        f"{name} has shape {x.shape}: must be {spatial_dims + 2}-D (batched) or "
        f"{spatial_dims + 1}-D (unbatched)"
    )


def _float_dtype(*arrays: np.ndarray) -> np.dtype:
    """Floating dtype of the result: float32 stays float32, ints become float64."""
    return np.result_type(*arrays, np.float32)


def _check_weight(weight, n_dims: int = 4) -> np.ndarray:
    weight = np.asarray(weight)
    if weight.ndim != n_dims:
        raise ValueError(f"weight has shape {weight.shape}: must be {n_dims}-D")
    return weight


def _check_bias(bias, channels: int) -> np.ndarray | None:
    if bias is None:
        return None
    bias = np.asarray(bias)
    if bias.shape != (channels,):
        raise ValueError(
            f"bias has shape {bias.shape}: must be ({channels},), one per output channel"
        )
    return bias


def _check_pair_min(name: str, value: tuple[int, int], minimum: int) -> None:
    if min(value) < minimum:
        raise ValueError(f"{name}={value} is invalid: every entry must be >= {minimum}")


def _sizes(size_fn, x_shape, kernel, **pairs) -> tuple[int, int]:
    """Apply a one-axis size function of :mod:`helpers.arithmetic` to (height, width).

    The caller has already checked each argument's range under its PyTorch name;
    what remains (an empty output, pooling padding, output_padding) is reported
    with the axis it failed on.
    """
    out = []
    for axis, axis_name in enumerate(("height", "width")):
        args = {key: value[axis] for key, value in pairs.items()}
        try:
            out.append(size_fn(x_shape[axis], kernel[axis], **args))
        except ValueError as err:
            raise ValueError(f"along the {axis_name}: {err}") from None
    return out[0], out[1]


# --------------------------------------------------------------------------- convolution
def conv2d(
    x,
    weight,
    bias=None,
    stride: Pair = 1,
    padding: Pair | str = 0,
    dilation: Pair = 1,
    groups: int = 1,
) -> np.ndarray:
    """2-D convolution (cross-correlation), as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W) or (C_in, H, W)
        Input.
    weight : array_like, shape (C_out, C_in / groups, kH, kW)
        Kernels, PyTorch's layout.
    bias : array_like, shape (C_out,), optional
        Added to every position of each output channel.
    stride, dilation : int or (int, int), default=1
        Step between windows, and spacing between kernel taps.
    padding : int, (int, int), "valid" or "same", default=0
        Zeros added on each side. ``"same"`` pads ``d*(k - 1)`` in total, the
        extra cell after when that is odd; it needs stride 1.
    groups : int, default=1
        Input and output channels split into this many independent groups.

    Returns
    -------
    ndarray, shape (N, C_out, H_out, W_out) or (C_out, H_out, W_out)
        ``out[n, o, y, x] = bias[o] + sum over c, i, j of
        weight[o, c, i, j] * x_pad[n, g*C_in/groups + c, y*s + i*d, x*s + j*d]``,
        with ``H_out`` from :func:`helpers.arithmetic.conv_output_size`.

    Raises
    ------
    TypeError, ValueError
        For the argument combinations PyTorch refuses, naming the argument.

    Notes
    -----
    Introduced in notebook 01. For each of the ``kH*kW`` kernel taps, a strided view
    of the padded input holds the cell that tap sees in every window; stacking the
    views ("im2col") turns the whole convolution into one matrix product per group,
    ``(C_out/groups) x (kH*kW*C_in/groups)`` times ``(kH*kW*C_in/groups) x (H_out*W_out)``.

    Examples
    --------
    >>> conv2d(np.arange(16.0).reshape(1, 4, 4), np.ones((1, 1, 3, 3))).shape
    (1, 2, 2)
    """
    xb, unbatched = _as_batch(x)
    weight = _check_weight(weight)
    groups = arithmetic.check_int("groups", groups, 1)
    c_out, c_per_group, kh, kw = weight.shape
    _check_channels(xb.shape[1], c_per_group * groups, c_out, groups, weight.shape)
    bias = _check_bias(bias, c_out)
    _check_kernel(weight.shape)
    s = _pair("stride", stride)
    d = _pair("dilation", dilation)
    _check_pair_min("stride", s, 1)
    _check_pair_min("dilation", d, 1)
    pad_before, pad_after = _conv_padding(padding, s, d, (kh, kw))
    # Symmetric padding goes through the arithmetic; "same" may be asymmetric.
    extra = (pad_after[0] - pad_before[0], pad_after[1] - pad_before[1])
    out_h, out_w = _sizes(
        arithmetic.conv_output_size,
        (xb.shape[2] + extra[0], xb.shape[3] + extra[1]),
        (kh, kw),
        s=s,
        p=pad_before,
        d=d,
    )
    dtype = _float_dtype(xb, weight) if bias is None else _float_dtype(xb, weight, bias)
    xp = np.pad(
        xb.astype(dtype, copy=False),
        ((0, 0), (0, 0), (pad_before[0], pad_after[0]), (pad_before[1], pad_after[1])),
    )
    # im2col: one strided view per kernel tap, stacked, then one matrix product per group
    n, c_out_per_group = xb.shape[0], c_out // groups
    columns = np.empty((n, groups, kh * kw, c_per_group, out_h, out_w), dtype)
    for tap_index, tap in enumerate(_taps(xp, (kh, kw), s, d, (out_h, out_w))):
        columns[:, :, tap_index] = tap.reshape(n, groups, c_per_group, out_h, out_w)
    kernels = weight.astype(dtype, copy=False).reshape(groups, c_out_per_group, c_per_group, -1)
    kernels = kernels.transpose(0, 1, 3, 2).reshape(groups, c_out_per_group, -1)
    out = kernels @ columns.reshape(n, groups, kh * kw * c_per_group, out_h * out_w)
    out = out.reshape(n, c_out, out_h, out_w)
    if bias is not None:
        out = out + bias.astype(dtype, copy=False)[:, None, None]
    return out[0] if unbatched else out


def _check_kernel(shape) -> None:
    if min(shape[2:]) < 1:
        raise ValueError(f"weight has shape {tuple(shape)}: kernel sizes must be >= 1")


def _check_channels(c_in: int, expected: int, c_out: int, groups: int, shape) -> None:
    if c_in != expected:
        raise ValueError(
            f"x has {c_in} channels but weight of shape {tuple(shape)} with groups={groups} "
            f"expects {expected}: input channels must equal weight.shape[1] * groups"
        )
    if c_out % groups:
        raise ValueError(
            f"groups={groups} is invalid: must divide the {c_out} output channels "
            f"of weight shape {tuple(shape)}"
        )


def _conv_padding(padding, s, d, kernel) -> tuple[tuple[int, int], tuple[int, int]]:
    """Padding before and after, per axis, for ``conv2d``'s ``padding`` argument."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding == "same":
            if s != (1, 1):
                raise ValueError(
                    f"padding='same' is invalid with stride={s}: 'same' needs stride 1"
                )
            before, after = zip(
                *(arithmetic.same_padding(k, dd) for k, dd in zip(kernel, d, strict=True)),
                strict=True,
            )
            return tuple(before), tuple(after)
        raise ValueError(
            f"padding={padding!r} is invalid: must be an int, a pair, 'valid' or 'same'"
        )
    p = _pair("padding", padding)
    _check_pair_min("padding", p, 0)
    return p, p


def _taps(xp: np.ndarray, kernel, s, d, out_size) -> Iterator[np.ndarray]:
    """For each kernel tap (i, j), the input cell it sees in every window, as a strided view.

    Reducing these ``kH*kW`` views (max, sum) pools every window at once.
    """
    for i in range(kernel[0]):
        rows = slice(i * d[0], i * d[0] + (out_size[0] - 1) * s[0] + 1, s[0])
        for j in range(kernel[1]):
            cols = slice(j * d[1], j * d[1] + (out_size[1] - 1) * s[1] + 1, s[1])
            yield xp[:, :, rows, cols]


def conv_transpose2d(
    x,
    weight,
    bias=None,
    stride: Pair = 1,
    padding: Pair = 0,
    output_padding: Pair = 0,
    groups: int = 1,
    dilation: Pair = 1,
) -> np.ndarray:
    """2-D transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

    Computed the way the lessons draw it: every input element scatters a copy of
    the kernel, scaled by its value, into an intermediate buffer, the copy placed
    ``stride`` cells from its neighbours' copies; the copies are summed; then
    ``padding`` cells are carved off each side (and ``output_padding`` extra cells
    kept at the bottom and right).

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W) or (C_in, H, W)
        Input.
    weight : array_like, shape (C_in, C_out / groups, kH, kW)
        Kernels, PyTorch's transposed layout (input channels first).
    bias : array_like, shape (C_out,), optional
    stride, dilation : int or (int, int), default=1
    padding : int or (int, int), default=0
        Cells carved off each side of the full buffer.
    output_padding : int or (int, int), default=0
        Extra cells at the bottom and right; smaller than ``max(stride, dilation)``.
    groups : int, default=1

    Returns
    -------
    ndarray, shape (N, C_out, H_out, W_out) or (C_out, H_out, W_out)
        With ``H_out = (H - 1)*s - 2*p + d*(kH - 1) + output_padding + 1``
        (:func:`helpers.arithmetic.conv_transpose_output_size`).

    Raises
    ------
    TypeError, ValueError
        For the argument combinations PyTorch refuses, naming the argument.

    See Also
    --------
    conv2d : Its adjoint: ``<conv2d(x, w), y> == <x, conv_transpose2d(y, w)>``.

    Notes
    -----
    Introduced in notebook 04. One matrix product forms every scaled copy at once;
    the sum then needs one strided ``+=`` per kernel tap, ``kH*kW`` in all.

    Examples
    --------
    >>> x = np.array([[[80.0, 111.0], [85.0, 105.0]]])
    >>> w = np.array([[[[1.0, -1.0], [-2.0, 2.0]]]])
    >>> conv_transpose2d(x, w)[0]
    array([[  80.,   31., -111.],
           [ -75.,  -42.,  117.],
           [-170.,  -40.,  210.]])
    """
    full = transposed_buffer(x, weight, stride, padding, output_padding, groups, dilation)
    buffer, (pad_h, pad_w), (out_h, out_w) = full
    out = buffer[..., pad_h : pad_h + out_h, pad_w : pad_w + out_w]
    c_out = out.shape[-3]
    bias = _check_bias(bias, c_out)
    if bias is not None:
        out = out + bias.astype(out.dtype, copy=False)[:, None, None]
    return np.ascontiguousarray(out)


def transposed_buffer(
    x,
    weight,
    stride: Pair = 1,
    padding: Pair = 0,
    output_padding: Pair = 0,
    groups: int = 1,
    dilation: Pair = 1,
) -> tuple[np.ndarray, tuple[int, int], tuple[int, int]]:
    """The intermediate buffer of a transposed convolution, before carving.

    Parameters
    ----------
    x, weight, stride, padding, output_padding, groups, dilation
        As for :func:`conv_transpose2d`.

    Returns
    -------
    buffer : ndarray
        The summed kernel copies, shape ``(..., C_out, B_h, B_w)`` with
        ``B = (H - 1)*s + d*(k - 1) + 1 + output_padding`` (unbatched input gives
        an unbatched buffer).
    padding : (int, int)
        The cells to carve off each side.
    out_size : (int, int)
        The final output size, ``B - 2*padding``.

    Notes
    -----
    Introduced in notebook 04 (seed 003's "5x5 intermediate, carved to 3x3").
    """
    xb, unbatched = _as_batch(x)
    weight = _check_weight(weight)
    groups = arithmetic.check_int("groups", groups, 1)
    c_in, c_out_per_group, kh, kw = weight.shape
    _check_kernel(weight.shape)
    if xb.shape[1] != c_in:
        raise ValueError(
            f"x has {xb.shape[1]} channels but the transposed weight of shape {weight.shape} "
            f"expects {c_in}: input channels must equal weight.shape[0]"
        )
    if c_in % groups:
        raise ValueError(f"groups={groups} is invalid: must divide the {c_in} input channels")
    s = _pair("stride", stride)
    p = _pair("padding", padding)
    op = _pair("output_padding", output_padding)
    d = _pair("dilation", dilation)
    for name, value, minimum in (("stride", s, 1), ("padding", p, 0), ("dilation", d, 1)):
        _check_pair_min(name, value, minimum)
    _check_pair_min("output_padding", op, 0)
    if any(op[a] >= max(s[a], d[a]) for a in range(2)):
        raise ValueError(
            f"output_padding={op} is invalid: each entry must be smaller than either "
            f"the stride {s} or the dilation {d} along its axis"
        )
    out_h, out_w = _sizes(
        arithmetic.conv_transpose_output_size,
        xb.shape[2:],
        (kh, kw),
        s=s,
        p=p,
        d=d,
        output_padding=op,
    )
    n, _, h, w = xb.shape
    dtype = _float_dtype(xb, weight)
    g_in = c_in // groups
    # copies[n, i, j, g*o, y, x] = sum over c of x[n, g, c, y, x] * weight[g, c, o, i, j]:
    # every scaled kernel copy at once, as one matrix product per group
    columns = xb.astype(dtype, copy=False).reshape(n, groups, g_in, h * w).swapaxes(2, 3)
    kernels = weight.astype(dtype, copy=False).reshape(groups, g_in, c_out_per_group * kh * kw)
    copies = (columns @ kernels).reshape(n, groups, h, w, c_out_per_group, kh, kw)
    copies = np.ascontiguousarray(copies.transpose(0, 5, 6, 1, 4, 2, 3))
    copies = copies.reshape(n, kh, kw, groups * c_out_per_group, h, w)
    buffer = np.zeros((n, groups * c_out_per_group, out_h + 2 * p[0], out_w + 2 * p[1]), dtype)
    for i in range(kh):  # one strided add per kernel tap: all input positions at once
        for j in range(kw):
            rows = slice(i * d[0], i * d[0] + (h - 1) * s[0] + 1, s[0])
            cols = slice(j * d[1], j * d[1] + (w - 1) * s[1] + 1, s[1])
            buffer[:, :, rows, cols] += copies[:, i, j]
    return (buffer[0] if unbatched else buffer), p, (out_h, out_w)


# --------------------------------------------------------------------------- pooling
def _pool_setup(x, kernel_size, stride, padding, dilation, ceil_mode):
    """Validate pooling arguments; return the batch, sizes and the needed right padding."""
    xb, unbatched = _as_batch(x)
    k = _pair("kernel_size", kernel_size)
    # PyTorch reads a missing stride (None or an empty list) as "stride = kernel_size"
    default_stride = stride is None or (isinstance(stride, Sequence) and len(stride) == 0)
    s = k if default_stride else _pair("stride", stride)
    p = _pair("padding", padding)
    d = _pair("dilation", dilation)
    for name, value, minimum in (
        ("kernel_size", k, 1),
        ("stride", s, 1),
        ("padding", p, 0),
        ("dilation", d, 1),
    ):
        _check_pair_min(name, value, minimum)
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"ceil_mode={ceil_mode!r} is invalid: must be a bool")
    out = _sizes(
        arithmetic.pool_output_size,
        xb.shape[2:],
        k,
        s=s,
        p=p,
        d=d,
        ceil_mode=(ceil_mode, ceil_mode),
    )
    # ceil mode can need cells beyond the right padding: windows are clipped there
    after = tuple(
        max(p[a], (out[a] - 1) * s[a] + d[a] * (k[a] - 1) + 1 - xb.shape[2 + a] - p[a])
        for a in range(2)
    )
    return xb, unbatched, k, s, p, d, out, after


def max_pool2d(
    x,
    kernel_size: Pair,
    stride: Pair | None = None,
    padding: Pair = 0,
    dilation: Pair = 1,
    ceil_mode: bool = False,
) -> np.ndarray:
    """2-D max pooling, as ``torch.nn.functional.max_pool2d``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W) or (C, H, W)
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``kernel_size``.
    padding : int or (int, int), default=0
        Implicit ``-inf`` padding, at most half the kernel size.
    dilation : int or (int, int), default=1
    ceil_mode : bool, default=False

    Returns
    -------
    ndarray, shape (N, C, H_out, W_out) or (C, H_out, W_out)
        The maximum of each window, ``H_out`` from
        :func:`helpers.arithmetic.pool_output_size`; the input dtype is kept.

    Notes
    -----
    Introduced in notebook 02.

    Examples
    --------
    >>> x = np.array([[[50, 77, 111, 94], [28, 80, 100, 40],
    ...                [85, 79, 63, 74], [67, 55, 105, 123]]])
    >>> max_pool2d(x, 2)
    array([[[ 80, 111],
            [ 85, 123]]])
    """
    xb, unbatched, k, s, p, d, out, after = _pool_setup(
        x, kernel_size, stride, padding, dilation, ceil_mode
    )
    if np.issubdtype(xb.dtype, np.floating):
        lowest = -np.inf
    elif xb.dtype == bool:
        lowest = False
    else:
        lowest = np.iinfo(xb.dtype).min
    xp = np.pad(xb, ((0, 0), (0, 0), (p[0], after[0]), (p[1], after[1])), constant_values=lowest)
    taps = _taps(xp, k, s, d, out)
    result = next(taps).copy()
    for tap in taps:
        np.maximum(result, tap, out=result)
    return result[0] if unbatched else result


def avg_pool2d(
    x,
    kernel_size: Pair,
    stride: Pair | None = None,
    padding: Pair = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    """2-D average pooling, as ``torch.nn.functional.avg_pool2d``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W) or (C, H, W)
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``kernel_size``.
    padding : int or (int, int), default=0
        Implicit zero padding, at most half the kernel size.
    ceil_mode : bool, default=False
    count_include_pad : bool, default=True
        Whether the zero padding counts in the divisor.
    divisor_override : int, optional
        A fixed divisor for every window.

    Returns
    -------
    ndarray, shape (N, C, H_out, W_out) or (C, H_out, W_out)
        Window sums over the divisor. As in PyTorch, a window that pokes past the
        right padding in ceil mode divides by the cells it covers up to the end
        of that padding (or the real cells only, without ``count_include_pad``).

    Notes
    -----
    Introduced in notebook 02.

    Examples
    --------
    >>> avg_pool2d(np.arange(16.0).reshape(1, 4, 4), 2)
    array([[[ 2.5,  4.5],
            [10.5, 12.5]]])
    """
    xb, unbatched, k, s, p, _, out, after = _pool_setup(
        x, kernel_size, stride, padding, 1, ceil_mode
    )
    if not isinstance(count_include_pad, bool):
        raise TypeError(f"count_include_pad={count_include_pad!r} is invalid: must be a bool")
    if divisor_override is not None and (
        isinstance(divisor_override, bool)
        or not isinstance(divisor_override, numbers.Integral)
        or divisor_override == 0
    ):
        raise ValueError(f"divisor_override={divisor_override!r} is invalid: must be a nonzero int")
    dtype = _float_dtype(xb)
    xp = np.pad(xb.astype(dtype, copy=False), ((0, 0), (0, 0), (p[0], after[0]), (p[1], after[1])))
    sums = sum(_taps(xp, k, s, (1, 1), out))
    if divisor_override is not None:
        divisor = np.asarray(divisor_override, dtype)
    else:
        rows, cols = (
            _window_counts(out[a], k[a], s[a], p[a], xb.shape[2 + a], count_include_pad)
            for a in range(2)
        )
        divisor = np.outer(rows, cols).astype(dtype)
    result = sums / divisor
    return result[0] if unbatched else result


def _window_counts(n_out: int, k: int, s: int, p: int, size: int, include_pad: bool) -> np.ndarray:
    """Cells each pooling window counts along one axis (PyTorch's divisor rule)."""
    start = np.arange(n_out) * s - p
    end = np.minimum(start + k, size + p)
    if include_pad:
        return end - start
    return np.minimum(end, size) - np.maximum(start, 0)


# --------------------------------------------------------------------------- 1-D
def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> np.ndarray:
    """1-D convolution, as ``torch.nn.functional.conv1d``; a height-1 :func:`conv2d`.

    Parameters
    ----------
    x : array_like, shape (N, C_in, L) or (C_in, L)
    weight : array_like, shape (C_out, C_in / groups, k)
    bias, stride, padding, dilation, groups
        As for :func:`conv2d`, with ints (or ``"valid"`` / ``"same"``).

    Returns
    -------
    ndarray, shape (N, C_out, L_out) or (C_out, L_out)

    Notes
    -----
    Introduced in notebook 03 (seed 003's ``y[i] = sum_k x[i + r*k] w[k]``).

    Examples
    --------
    >>> conv1d(np.array([[1.0, 2.0, 3.0, 4.0, 5.0]]), np.array([[[1.0, 1.0]]]), dilation=3)
    array([[5., 7.]])
    """
    xb, unbatched = _as_batch(x, spatial_dims=1)
    weight = _check_weight(weight, 3)
    pad = padding if isinstance(padding, str) else (0, _single("padding", padding))
    out = conv2d(
        xb[:, :, None, :],
        weight[:, :, None, :],
        bias,
        (1, _single("stride", stride)),
        pad,
        (1, _single("dilation", dilation)),
        groups,
    )[:, :, 0, :]
    return out[0] if unbatched else out


def conv_transpose1d(
    x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
) -> np.ndarray:
    """1-D transposed convolution, as ``torch.nn.functional.conv_transpose1d``.

    Parameters
    ----------
    x : array_like, shape (N, C_in, L) or (C_in, L)
    weight : array_like, shape (C_in, C_out / groups, k)
    bias, stride, padding, output_padding, groups, dilation
        As for :func:`conv_transpose2d`, with ints.

    Returns
    -------
    ndarray, shape (N, C_out, L_out) or (C_out, L_out)

    Notes
    -----
    Introduced in notebook 04.

    Examples
    --------
    >>> conv_transpose1d(np.array([[2.0, 3.0]]), np.array([[[1.0, 2.0, 3.0]]]), stride=2)
    array([[2., 4., 9., 6., 9.]])
    """
    xb, unbatched = _as_batch(x, spatial_dims=1)
    weight = _check_weight(weight, 3)
    out = conv_transpose2d(
        xb[:, :, None, :],
        weight[:, :, None, :],
        bias,
        (1, _single("stride", stride)),
        (0, _single("padding", padding)),
        (0, _single("output_padding", output_padding)),
        groups,
        (1, _single("dilation", dilation)),
    )[:, :, 0, :]
    return out[0] if unbatched else out


def _single(name: str, value) -> int:
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}={value!r} is invalid: must be an int")
    return int(value)
