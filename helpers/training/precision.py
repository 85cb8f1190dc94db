"""Where and in which precision to train, chosen by measuring the machine at hand.

bfloat16 autocast with channels-last tensors halves a small CNN's step time on a CPU with
AVX-512 bfloat16 instructions, and makes it several times *slower* on one without them (an
AVX2 laptop), where oneDNN emulates bfloat16. No list of CPU names says which: a few timed
training steps of each candidate do, in a second or two, once per session.

Introduced in notebook 06. Emulate an AVX2 laptop on an AVX-512 machine by
starting Python with ``ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2``.
"""

from __future__ import annotations

import contextlib
import copy
import os
import statistics
import time
from dataclasses import dataclass, field

import torch
from torch import nn

from helpers.validation import check_bool, check_choice, check_int, check_real

__all__ = [
    "PrecisionChoice",
    "choose_device",
    "choose_precision",
    "clear_precision_cache",
    "fixed_precision",
]

FP32 = torch.float32
_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
_CACHE: dict[tuple, PrecisionChoice] = {}


def choose_device() -> torch.device:
    """The device to train on: the first CUDA GPU when PyTorch sees one, else the CPU.

    Returns
    -------
    torch.device
        ``cuda`` when ``torch.cuda.is_available()``, else ``cpu``.

    Notes
    -----
    Introduced in notebook 06.
    """
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@dataclass(frozen=True)
class PrecisionChoice:
    """A dtype and memory layout for training, with the step times that chose them.

    Attributes
    ----------
    device : str
        ``"cpu"`` or ``"cuda"``.
    dtype : torch.dtype
        ``torch.float32`` (no autocast), ``torch.bfloat16`` or ``torch.float16`` (autocast;
        float16 with a gradient scaler).
    channels_last : bool
        Model and batches stored NHWC.
    step_seconds : dict of str to float
        Median seconds of one training step (forward, backward, Adam) per candidate label;
        empty when nothing was measured.
    steps : int
        Timed steps per candidate.
    reason : str
        Why this candidate won, in a sentence.
    threads : int, optional
        CPU threads to train with, when the measurement found fewer than PyTorch's current
        count faster (two threads fighting other processes for two busy cores); None: leave
        the count alone.

    Notes
    -----
    Introduced in notebook 06.
    """

    device: str
    dtype: torch.dtype
    channels_last: bool
    step_seconds: dict[str, float] = field(default_factory=dict)
    steps: int = 0
    reason: str = "asked for"
    threads: int | None = None

    @property
    def autocast(self) -> bool:
        """True when the forward pass runs under ``torch.autocast``."""
        return self.dtype != torch.float32

    @property
    def label(self) -> str:
        """E.g. ``"bfloat16 autocast + channels-last"``, ``"float32, 1 thread"``."""
        return _label(self.dtype, self.channels_last, self.threads)

    @contextlib.contextmanager
    def threads_context(self):
        """Run with :attr:`threads` CPU threads (when set), restoring the count afterwards."""
        before = torch.get_num_threads()
        if self.threads is not None:
            torch.set_num_threads(self.threads)
        try:
            yield
        finally:
            torch.set_num_threads(before)

    def autocast_context(self):
        """``torch.autocast`` for this choice, or a context that does nothing for float32."""
        if not self.autocast:
            return contextlib.nullcontext()
        return torch.autocast(self.device, dtype=self.dtype)

    def __str__(self) -> str:
        """The choice and the reason, then one line of step time per candidate."""
        lines = [f"{self.label} on {self.device}: {self.reason}"]
        for label, seconds in self.step_seconds.items():
            lines.append(f"  {label:<46}{1e3 * seconds:8.1f} ms per step")
        return "\n".join(lines)


def _label(dtype: torch.dtype, channels_last: bool, threads=None, ambient=None) -> str:
    name = str(dtype).removeprefix("torch.")
    text = name if dtype == torch.float32 else f"{name} autocast"
    text += " + channels-last" if channels_last else ""
    if threads is not None and threads != ambient:
        text += f", {threads} thread" + ("s" if threads > 1 else "")
    return text


def fixed_precision(
    precision: str, channels_last: bool, device: torch.device | str
) -> PrecisionChoice:
    """The :class:`PrecisionChoice` for an explicit recipe setting (nothing measured).

    Parameters
    ----------
    precision : {"float32", "bfloat16", "float16"}
    channels_last : bool
    device : torch.device or str

    Returns
    -------
    PrecisionChoice

    Raises
    ------
    TypeError, ValueError
        If ``precision`` is not one of the three names or ``channels_last`` not a bool.

    Notes
    -----
    Introduced in notebook 06.
    """
    check_choice("precision", precision, _DTYPES)
    check_bool("channels_last", channels_last)
    return PrecisionChoice(torch.device(device).type, _DTYPES[precision], channels_last)


def clear_precision_cache() -> None:
    """Forget every measured choice, so that the next :func:`choose_precision` measures again."""
    _CACHE.clear()


def choose_precision(
    model: nn.Module,
    example_batch,
    *,
    device: torch.device | str | None = None,
    budget: float = 2.0,
    steps: int = 5,
    cache: bool = True,
) -> PrecisionChoice:
    """Measure a few training steps in float32 and in mixed precision; return the faster.

    Parameters
    ----------
    model : nn.Module
        The model to be trained; a copy is measured, ``model`` itself is left unchanged.
    example_batch : torch.Tensor or (torch.Tensor, ...)
        A batch of inputs of the size training will use (or an ``(inputs, labels)`` pair).
    device : torch.device or str, optional
        Default :func:`choose_device`.
    budget : float, default=2.0
        Seconds the measurement may take in all, warm-up included, ``> 0``.
    steps : int, default=5
        Timed steps per candidate (fewer when the budget runs out; at least 2, or 1 for a
        candidate that is clearly slower).
    cache : bool, default=True
        Reuse the choice measured earlier in this session for the same model structure,
        batch shape, device and thread count.

    Returns
    -------
    PrecisionChoice
        On the CPU, float32 (contiguous, or channels-last when the model has a convolution
        and the batch is 4-D) or bfloat16 autocast + channels-last, whichever had the
        smaller median step time; bfloat16 must be at least 5 % faster than the faster
        float32 layout to win, since it changes the numbers (the layout does not). With
        more than one thread, each is also timed on a single thread, and the faster count
        is kept (``threads``): on a busy machine two threads
        that wait for each other can be many times slower than one. On CUDA, the mixed
        precision the GPU supports (bfloat16 when ``torch.cuda.is_bf16_supported()``, else
        float16 with a gradient scaler) with channels-last; both candidates' step times are
        measured and reported all the same.

    Notes
    -----
    Introduced in notebook 06. One step is a forward pass under the
    candidate's autocast, a loss (the mean square of the outputs: the step's cost does not
    depend on which loss), a backward pass and an Adam step. Each candidate first runs one
    untimed warm-up step (oneDNN builds its kernels on the first calls); then the
    candidates alternate step by step, so that a burst of load on a shared machine hits
    both. A candidate more than three times as slow as the other after one timed step is
    not timed further. The budget is checked after each round of at least two; a round
    can overrun it on a slow machine.

    Examples
    --------
    >>> choice = choose_precision(nn.Linear(4, 2), torch.zeros(8, 4))  # doctest: +SKIP
    >>> print(choice)  # doctest: +SKIP
    float32 on cpu: mixed precision took 1.52x the fastest float32 time
      float32                                  0.1 ms per step
      bfloat16 autocast + channels-last        0.2 ms per step
    """
    check_int("steps", steps, minimum=2)
    check_real("budget", budget, minimum=0, include_min=False)
    check_bool("cache", cache)
    device = torch.device(device) if device is not None else choose_device()
    inputs = example_batch[0] if isinstance(example_batch, tuple | list) else example_batch
    if not isinstance(inputs, torch.Tensor):
        raise TypeError(f"example_batch={example_batch!r} is invalid: must be a tensor")
    key = _cache_key(model, inputs, device)
    if cache and key in _CACHE:
        return _CACHE[key]
    mixed = _mixed_dtype(device)
    ambient = torch.get_num_threads()
    counts = [ambient, 1] if device.type == "cpu" and ambient > 1 else [ambient]
    layouts = [(FP32, False), (FP32, True), (mixed, True)]
    if not _has_convolution(model) or inputs.dim() != 4:
        layouts.remove((FP32, True))  # channels-last changes nothing without a convolution
    candidates = [(dtype, channels_last, n) for n in counts for dtype, channels_last in layouts]
    with torch.random.fork_rng(devices=[]):
        try:
            times = _measure(model, inputs, device, candidates, budget, steps)
        finally:
            torch.set_num_threads(ambient)
    medians = {c: statistics.median(t) for c, t in zip(candidates, times, strict=True)}
    choice = _decide(medians, device, ambient, min(len(t) for t in times))
    if cache:
        _CACHE[key] = choice
    return choice


def _decide(medians: dict, device: torch.device, ambient: int, steps: int) -> PrecisionChoice:
    """The winner among the measured ``(dtype, channels_last, threads)`` candidates."""
    fastest = {}  # per dtype: its best candidate (the thread count that ran it fastest)
    for candidate, seconds in medians.items():
        if candidate[0] not in fastest or seconds < medians[fastest[candidate[0]]]:
            fastest[candidate[0]] = candidate
    fp32, mixed = fastest[FP32], next(c for d, c in fastest.items() if d != FP32)
    ratio = medians[mixed] / medians[fp32]
    if device.type == "cuda":
        winner, reason = mixed, f"the mixed precision this GPU supports ({mixed[0]})"
    elif ratio < 0.95:
        winner, reason = mixed, f"a step took {ratio:.2f}x the fastest float32 time"
    else:
        winner, reason = fp32, f"mixed precision took {ratio:.2f}x the fastest float32 time"
    dtype, channels_last, threads = winner
    if threads != ambient:
        reason += f"; 1 thread beat {ambient} here (busy cores?)"
    step_seconds = {_label(d, c, n, ambient): t for (d, c, n), t in medians.items()}
    return PrecisionChoice(
        device.type,
        dtype,
        channels_last,
        step_seconds,
        steps,
        reason,
        threads if threads != ambient else None,
    )


def _has_convolution(model: nn.Module) -> bool:
    return any(isinstance(m, nn.Conv2d | nn.ConvTranspose2d) for m in model.modules())


def _mixed_dtype(device: torch.device) -> torch.dtype:
    if device.type == "cuda" and not torch.cuda.is_bf16_supported():
        return torch.float16
    return torch.bfloat16


def _cache_key(model: nn.Module, inputs: torch.Tensor, device: torch.device) -> tuple:
    shapes = tuple(tuple(p.shape) for p in model.parameters())
    isa = os.environ.get("ONEDNN_MAX_CPU_ISA"), os.environ.get("ATEN_CPU_CAPABILITY")
    return (repr(model), shapes, tuple(inputs.shape), str(device), torch.get_num_threads(), isa)


def _measure(model, inputs, device, candidates, budget, steps) -> list[list[float]]:
    """Seconds of each timed step, per candidate (see :func:`choose_precision`)."""
    start = time.perf_counter()
    runners = [_StepRunner(model, inputs, device, *candidate) for candidate in candidates]
    for runner in runners:
        runner.step()  # warm-up: oneDNN builds its kernels, Adam its state
    times: list[list[float]] = [[] for _ in runners]
    for timed in range(steps):
        fastest = min(statistics.median(t) for t in times) if timed >= 1 else None
        for runner, seconds in zip(runners, times, strict=True):
            if fastest is not None and statistics.median(seconds) > 3 * fastest:
                continue  # clearly the slower one: do not spend the budget on it
            seconds.append(runner.timed_step())
        if timed >= 1 and time.perf_counter() - start > budget:
            break
    return times


class _StepRunner:
    """One candidate: a copy of the model, its optimiser and its scaler, stepping on ``inputs``."""

    def __init__(self, model, inputs, device, dtype, channels_last, threads):
        self.device, self.threads = device, threads
        self.model = copy.deepcopy(model).to(device).train()
        self.inputs = inputs.to(device)
        if channels_last:
            self.model.to(memory_format=torch.channels_last)
            if inputs.dim() == 4:
                self.inputs = self.inputs.contiguous(memory_format=torch.channels_last)
        self.choice = PrecisionChoice(device.type, dtype, channels_last)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-6)
        self.scaler = torch.amp.GradScaler(device.type, enabled=dtype == torch.float16)

    def step(self) -> None:
        torch.set_num_threads(self.threads)
        with self.choice.autocast_context():
            loss = self.model(self.inputs).float().square().mean()
        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()

    def timed_step(self) -> float:
        _synchronize(self.device)
        torch.set_num_threads(self.threads)
        start = time.perf_counter()
        self.step()
        _synchronize(self.device)
        return time.perf_counter() - start


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
