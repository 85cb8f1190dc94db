"""Measure what users of the series wait for, on the machine at hand.

Usage::

    python bench/run.py                 # everything (about 5 minutes on 2 cores)
    python bench/run.py --quick         # a small version, fit for CI
    python bench/run.py --only reference redraw

Sections (each reported as the median of several runs after a warm-up):

reference  ``helpers.reference`` against ``torch.nn.functional`` on the same inputs, as a ratio
redraw     explorer redraws: a slider change to a finished PNG, at default and largest sizes
notebooks  wall time of the strict nbval run of each notebook
mnist      lesson 06's training (CNN over seeds, MLP), per precision ("auto" = measured, float32,
           ...): training time, time to 99 % full-test accuracy, the ratio to float32 run back to
           back; natively and, in a subprocess started with ONEDNN_MAX_CPU_ISA=AVX2
           ATEN_CPU_CAPABILITY=avx2, on an emulated AVX2 laptop
mnist-search  lesson 06's learning-rate search on 100 %, 50 % and 25 % of the fitting split:
           whether the shorter searches pick the rate that the whole split picks (not default)
scaling    reference ``conv2d`` cost against input size and channels, beside PyTorch's curve,
           plotted to ``bench/results/scaling.png``
latency    end to end, in JupyterLab and headless Chromium: ``bench/latency.py`` (a slider press
           to the new picture per explorer, a drag, the pictures' pixel and CSS widths), with
           its own report ``bench/results/latency.json``; ``--quick`` presses 10 times, not 30.
           Not part of the default run (it needs Chromium and a quiet machine): ask for it
           with ``--only latency``

Results are printed as tables and written to ``bench/results/latest.json``; the README's
"Performance" section quotes them.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from helpers import reference
from helpers.widgets.memory import PictureMemory

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


# ------------------------------------------------------------------ timing
def measure(fn: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    """Seconds per call of ``fn``, ``repeats`` times after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def percentile(times: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``times``, linearly interpolated."""
    return float(np.percentile(times, q))


def print_table(title: str, header: list[str], rows: list[list[object]]) -> None:
    """Print ``rows`` under ``header`` as an aligned plain-text table."""
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]
    numeric = [all(isinstance(row[i], int | float) for row in rows) for i in range(len(header))]
    print(f"\n{title}")
    for row in [header, ["-" * w for w in widths], *cells]:
        print(
            "  ".join(
                c.rjust(w) if right else c.ljust(w)
                for c, w, right in zip(row, widths, numeric, strict=True)
            )
        )


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


# ------------------------------------------------------------------ 1. reference vs PyTorch
def reference_cases() -> list[tuple[str, Callable, Callable, tuple, dict, float | None]]:
    """(name, ours, PyTorch's, input shapes, keyword arguments, target ratio) of each case."""
    conv = ((1, 8, 64, 64), (16, 8, 3, 3))
    transposed = ((1, 16, 32, 32), (16, 8, 4, 4))
    pool = ((1, 16, 64, 64),)
    return [
        ("conv2d 8->16 k3 p1", reference.conv2d, F.conv2d, conv, {"padding": 1}, 3.0),
        (
            "conv2d dilation 2",
            reference.conv2d,
            F.conv2d,
            conv,
            {"padding": 2, "dilation": 2},
            3.0,
        ),
        (
            "conv2d groups 4",
            reference.conv2d,
            F.conv2d,
            ((1, 8, 64, 64), (16, 2, 3, 3)),
            {"padding": 1, "groups": 4},
            3.0,
        ),
        (
            "conv_transpose2d 16->8 k4 s2 p1",
            reference.conv_transpose2d,
            F.conv_transpose2d,
            transposed,
            {"stride": 2, "padding": 1},
            5.0,
        ),
        (
            "conv_transpose2d dilation 2",
            reference.conv_transpose2d,
            F.conv_transpose2d,
            transposed,
            {"stride": 2, "padding": 1, "dilation": 2},
            5.0,
        ),
        (
            "conv_transpose2d groups 4",
            reference.conv_transpose2d,
            F.conv_transpose2d,
            ((1, 16, 32, 32), (16, 2, 4, 4)),
            {"stride": 2, "padding": 1, "groups": 4},
            5.0,
        ),
        ("max_pool2d k2", reference.max_pool2d, F.max_pool2d, pool, {"kernel_size": 2}, None),
        (
            "max_pool2d k3 s2 d2",
            reference.max_pool2d,
            F.max_pool2d,
            pool,
            {"kernel_size": 3, "stride": 2, "dilation": 2},
            None,
        ),
    ]


def bench_reference(repeats: int, dtypes: tuple[str, ...]) -> list[dict]:
    """Time the reference operators against PyTorch, per case and dtype."""
    rng = np.random.default_rng(0)
    rows = []
    for dtype in dtypes:
        for name, ours, theirs, shapes, kwargs, target in reference_cases():
            arrays = [rng.standard_normal(shape).astype(dtype) for shape in shapes]
            tensors = [torch.from_numpy(a) for a in arrays]
            np.testing.assert_allclose(  # a benchmark of a wrong answer is worthless
                ours(*arrays, **kwargs),
                theirs(*tensors, **kwargs).numpy(),
                rtol=1e-4,
                atol=1e-4,
            )
            with torch.inference_mode():
                t_theirs = statistics.median(measure(partial(theirs, *tensors, **kwargs), repeats))
            t_ours = statistics.median(measure(partial(ours, *arrays, **kwargs), repeats))
            ratio = t_ours / t_theirs
            rows.append(
                {
                    "case": name,
                    "dtype": dtype,
                    "ours_ms": t_ours * 1e3,
                    "torch_ms": t_theirs * 1e3,
                    "ratio": ratio,
                    "target": target,
                    "met": None if target is None else ratio <= target,
                }
            )
    print_table(
        "Reference operators vs PyTorch (CPU, median ms)",
        ["case", "dtype", "ours", "PyTorch", "ratio", "target", "met"],
        [
            [r["case"], r["dtype"], r["ours_ms"], r["torch_ms"], r["ratio"], _target(r), _met(r)]
            for r in rows
        ],
    )
    return rows


def _target(row: dict) -> str:
    return "-" if row["target"] is None else f"<= {row['target']:g}x"


def _met(row: dict) -> str:
    return "-" if row["met"] is None else ("yes" if row["met"] else "NO")


# ------------------------------------------------------------------ 2. explorer redraws
def explorer_factories() -> dict[str, Callable]:
    """Every public ``*_explorer`` function of ``helpers.widgets``."""
    widgets = importlib.import_module("helpers.widgets")
    return {
        name: fn
        for name, fn in inspect.getmembers(widgets, inspect.isfunction)
        if name.endswith("_explorer") and not name.startswith("_")
    }


def _toggle_control(explorer) -> Callable[[], None]:
    """A change a learner makes: move the first movable int slider one step and back.

    An explorer whose int sliders are all fixed at its defaults (disabled, or min = max)
    toggles its first choice control (a dropdown) between its first two options instead.
    """
    enabled = [c for c in explorer.controls.values() if not getattr(c, "disabled", False)]
    sliders = [c for c in enabled if hasattr(c, "max") and isinstance(c.value, int)]
    movable = [s for s in sliders if s.max > s.min]
    if movable:
        control = movable[0]
        step = 1 if control.value < control.max else -1
        values = [control.value, control.value + step]
    else:
        control = next(c for c in enabled if len(getattr(c, "options", ())) >= 2)
        values = [control.value, next(v for v in _option_values(control) if v != control.value)]
    state = {"n": 0}

    def change() -> None:
        state["n"] += 1
        control.value = values[state["n"] % 2]  # the observer recomputes and renders

    return change


def _option_values(control) -> list:
    """The values a selection widget can take (its options may be labels or (label, value))."""
    return [o[1] if isinstance(o, tuple) else o for o in control.options]


def _maximise(explorer) -> None:
    """Drag every int slider to its top, in order, letting ranges adapt in between."""
    for _ in range(2):  # ranges adapt to each other: a second pass reaches the new tops
        for control in explorer.controls.values():
            if hasattr(control, "max") and isinstance(control.value, int):
                if not getattr(control, "disabled", False):
                    control.value = control.max


def bench_redraw(repeats: int, largest: bool) -> list[dict]:
    """Time each explorer's redraw, slider change to PNG, at default or largest settings.

    The explorers' memory is off, so every change draws its picture: the time a value the
    learner has not seen before takes (a remembered one takes about a millisecond).
    """
    rows = []
    for name, factory in explorer_factories().items():
        settings = [("default", lambda e: None)]
        if largest:
            settings.append(("largest", _maximise))
        for label, prepare in settings:
            explorer = factory()
            if hasattr(explorer, "memory"):  # the model explorer remembers no pictures
                explorer.memory = PictureMemory(0)  # every redraw draws
            prepare(explorer)
            times = measure(_toggle_control(explorer), repeats, warmup=2)
            rows.append(
                {
                    "explorer": name,
                    "sizes": label,
                    "median_ms": statistics.median(times) * 1e3,
                    "p95_ms": percentile(times, 95) * 1e3,
                    "message": bool(explorer.state.message),
                }
            )
    for row in rows:
        row["met"] = row["median_ms"] < 100 and row["p95_ms"] < 200
    print_table(
        "Explorer redraw: slider change to finished PNG (ms; target median < 100, p95 < 200)",
        ["explorer", "sizes", "median", "p95", "met"],
        [
            [r["explorer"], r["sizes"], r["median_ms"], r["p95_ms"], "yes" if r["met"] else "NO"]
            for r in rows
        ],
    )
    return rows


# ------------------------------------------------------------------ 3. notebooks under nbval
def bench_notebooks() -> list[dict]:
    """Time strict nbval on each notebook, in a subprocess."""
    rows = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        rows.append(
            {
                "notebook": path.name,
                "seconds": time.perf_counter() - start,
                "passed": done.returncode == 0,
            }
        )
    total = sum(r["seconds"] for r in rows)
    print_table(
        f"Notebooks under strict nbval (s; total {total:.0f} s, target < 300 s)",
        ["notebook", "seconds", "passed"],
        [[r["notebook"], r["seconds"], r["passed"]] for r in rows],
    )
    return rows


# ------------------------------------------------------------------ 4. MNIST
#: Set together, before Python starts: oneDNN and ATen limited to AVX2, a learner's laptop.
EMULATE_AVX2 = {"ONEDNN_MAX_CPU_ISA": "AVX2", "ATEN_CPU_CAPABILITY": "avx2"}


def mnist_runs(seeds: list[int], precisions: list[str], target: float) -> dict:
    """Lesson 06's training in this process: the precision choice, then each run back to back.

    For each model the measured choice of ``choose_precision`` (and how long it took) comes
    first; then, per seed, one run per precision of ``helpers.mnist.FAST_RECIPE`` (two
    epochs), alternating, so that a change in the machine's load hits all precisions.
    Times count training only (the per-epoch test pass excluded); time to ``target`` is at
    epoch granularity (the accuracy is tested once an epoch).
    """
    mnist = importlib.import_module("helpers.mnist")
    train_data, test_data = mnist.load_mnist_tensors()
    choices, rows = {}, []
    for name, build in (("CNN", mnist.source_cnn), ("MLP", mnist.source_mlp)):
        start = time.perf_counter()
        choice = mnist.choose_precision(build(), train_data.images[:128])
        choices[name] = {
            "chosen": choice.label,
            "seconds": time.perf_counter() - start,
            "step_ms": {k: 1e3 * v for k, v in choice.step_seconds.items()},
        }
        for seed in seeds if name == "CNN" else seeds[:1]:
            for precision in precisions:
                recipe = replace(
                    mnist.FAST_RECIPE, precision=precision, channels_last=precision == "bfloat16"
                )
                model = build(seed=seed)
                history = mnist.train(
                    model, train_data, test_data, recipe, seed=seed, progress=False
                )
                rows.append(
                    {
                        "model": name,
                        "seed": seed,
                        "precision": precision,
                        "used": history.precision,
                        "train_seconds": history.seconds,
                        "best_accuracy": max(e.test_accuracy for e in history.epochs),
                        "seconds_to_target": history.seconds_to(target),
                        "epochs_to_target": history.epochs_to(target),
                    }
                )
    isa = {k: os.environ.get(k) for k in EMULATE_AVX2}
    return {"isa": isa, "threads": torch.get_num_threads(), "choices": choices, "rows": rows}


def _emulated_runs(seeds: list[int], precisions: list[str], target: float) -> dict:
    """:func:`mnist_runs` in a fresh Python started with :data:`EMULATE_AVX2` set."""
    spec = json.dumps({"seeds": seeds, "precisions": precisions, "target": target})
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--mnist-worker", spec],
        cwd=ROOT,
        env=os.environ | EMULATE_AVX2,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def mnist_summary(runs: dict, target: float) -> dict:
    """Median time to ``target`` and training time per (model, precision), and the ratios.

    ``ratio_to_float32`` is the median over seeds of each run's training seconds divided by
    the float32 run of the same seed (measured back to back); ``with_choice`` adds the
    measurement's seconds to every "auto" run.
    """
    summary = {}
    for model in ("CNN", "MLP"):
        mine = [r for r in runs["rows"] if r["model"] == model]
        fp32 = {r["seed"]: r["train_seconds"] for r in mine if r["precision"] == "float32"}
        for precision in sorted({r["precision"] for r in mine}):
            these = [r for r in mine if r["precision"] == precision]
            reached = [r["seconds_to_target"] for r in these if r["seconds_to_target"]]
            extra = runs["choices"][model]["seconds"] if precision == "auto" else 0.0
            ratios = [
                (r["train_seconds"] + extra) / fp32[r["seed"]] for r in these if r["seed"] in fp32
            ]
            summary[f"{model} {precision}"] = {
                "used": sorted({r["used"] for r in these}),
                "median_train_seconds": statistics.median(r["train_seconds"] for r in these),
                "median_seconds_to_target": statistics.median(reached) if reached else None,
                "runs_reaching_target": f"{len(reached)}/{len(these)}",
                "ratio_to_float32_with_choice": statistics.median(ratios) if ratios else None,
            }
    return summary


def bench_mnist(
    seeds: list[int], precisions: list[str], target: float = 0.99, emulate: bool = True
) -> dict:
    """Time to ``target`` natively and on an emulated AVX2 laptop, per precision (see above).

    Targets: emulated, "auto" within 1.15x of float32; natively, "auto" no
    slower than bfloat16 + channels-last (the lesson's former fixed choice) or float32.
    """
    report = {"native": mnist_runs(seeds, precisions, target)}
    if emulate:
        report["emulated AVX2"] = _emulated_runs(seeds, precisions, target)
    for setting, runs in report.items():
        summary = mnist_summary(runs, target)
        runs["summary"] = summary
        for model, choice in runs["choices"].items():
            steps = ", ".join(f"{k} {v:.1f} ms" for k, v in choice["step_ms"].items())
            print(f"\n{setting}, {model}: chose {choice['chosen']} in {choice['seconds']:.2f} s")
            print(f"  measured step times: {steps}")
        print_table(
            f"MNIST, {setting} ({runs['threads']} threads): lesson recipe, 2 epochs, full test "
            f"set; time to {100 * target:.0f} % at epoch granularity",
            ["model, precision", "used", "train s", f"s to {100 * target:.0f} %", "reached",
             "x float32"],
            [
                [k, "; ".join(v["used"]), v["median_train_seconds"],
                 v["median_seconds_to_target"] or "never", v["runs_reaching_target"],
                 v["ratio_to_float32_with_choice"] or "-"]
                for k, v in summary.items()
            ],
        )  # fmt: skip
    return report


def bench_lr_search(fractions: list[float], rates: list[float], seeds: list[int]) -> dict:
    """Whether a learning-rate search on part of the fitting split ranks rates as the whole does.

    Lesson 06 chooses each model's peak rate on a validation split. For each model, seed and
    fraction of the 50,000 fitting images, one epoch of ``FAST_RECIPE`` (the one-cycle
    schedule squeezed into it) per rate is scored on the 10,000 validation images. Reported:
    the validation accuracy per rate, the best rate, and whether it equals the best rate of
    the whole split (fraction 1) for the same seed, with the search's training seconds.
    """
    mnist = importlib.import_module("helpers.mnist")
    train_data, _ = mnist.load_mnist_tensors()
    fit, validation = mnist.hold_out(train_data, 10_000, seed=0)
    recipe = replace(mnist.FAST_RECIPE, epochs=1)
    rows = []
    for name, build in (("MLP", mnist.source_mlp), ("CNN", mnist.source_cnn)):
        for seed in seeds:
            for fraction in sorted(fractions, reverse=True):
                size = round(fraction * len(fit))
                part = mnist.Split(fit.images[:size], fit.labels[:size])  # fit is shuffled
                start = time.perf_counter()
                search = mnist.search_learning_rate(
                    build, part, validation, recipe, rates, max_candidates=len(rates), seed=seed
                )
                rows.append(
                    {
                        "model": name,
                        "seed": seed,
                        "fraction": fraction,
                        "steps": search.steps,
                        "seconds": time.perf_counter() - start,
                        "scores": {str(k): v for k, v in search.scores.items()},
                        "best": search.best,
                        "ranking": sorted(search.scores, key=search.scores.get, reverse=True),
                    }
                )
    full = {(r["model"], r["seed"]): r for r in rows if r["fraction"] == max(fractions)}
    for row in rows:
        reference_row = full[row["model"], row["seed"]]
        row["same_best_as_full"] = row["best"] == reference_row["best"]
    print_table(
        "Learning-rate search: validation accuracy (%) per rate, one epoch on part of the split",
        ["model", "seed", "fraction", "steps", "seconds", *[f"{r:g}" for r in rates], "best",
         "same best"],
        [
            [r["model"], r["seed"], r["fraction"], r["steps"], r["seconds"],
             *[100 * r["scores"][str(float(x))] for x in rates], r["best"],
             r["same_best_as_full"]]
            for r in rows
        ],
    )  # fmt: skip
    return {"fractions": fractions, "rates": rates, "rows": rows}


# ------------------------------------------------------------------ 5. scaling
def bench_scaling(repeats: int, sizes: list[int], channels: list[int]) -> list[dict]:
    """Time reference conv2d against PyTorch over input sizes and channel counts."""
    rng = np.random.default_rng(0)
    rows = []
    for c in channels:
        for n in sizes:
            x = rng.standard_normal((1, c, n, n)).astype("float32")
            w = rng.standard_normal((c, c, 3, 3)).astype("float32")
            tx, tw = torch.from_numpy(x), torch.from_numpy(w)
            with torch.inference_mode():
                theirs = statistics.median(measure(partial(F.conv2d, tx, tw, padding=1), repeats))
            ours = statistics.median(measure(partial(reference.conv2d, x, w, padding=1), repeats))
            rows.append({"channels": c, "size": n, "ours_ms": ours * 1e3, "torch_ms": theirs * 1e3})
    print_table(
        "Scaling of conv2d (k3 p1, C -> C channels, float32; median ms)",
        ["channels", "size", "ours", "PyTorch", "ratio"],
        [
            [r["channels"], r["size"], r["ours_ms"], r["torch_ms"], r["ours_ms"] / r["torch_ms"]]
            for r in rows
        ],
    )
    _plot_scaling(rows, RESULTS / "scaling.png")
    return rows


def _plot_scaling(rows: list[dict], path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3.6), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for i, c in enumerate(sorted({r["channels"] for r in rows})):
        mine = [r for r in rows if r["channels"] == c]
        sizes = [r["size"] for r in mine]
        color = f"C{i}"
        ax.loglog(sizes, [r["ours_ms"] for r in mine], "o-", color=color, label=f"ours, C={c}")
        ax.loglog(sizes, [r["torch_ms"] for r in mine], "s--", color=color, label=f"PyTorch, C={c}")
    ax.set_xlabel("input height = width")
    ax.set_ylabel("median time (ms)")
    ax.set_title("conv2d 3x3: helpers.reference vs PyTorch (CPU)")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)


# ------------------------------------------------------------------ 6. latency
def bench_latency(quick: bool) -> dict:
    """``bench/latency.py`` in this process: its table is printed, its report returned."""
    spec = importlib.util.spec_from_file_location("latency_bench", ROOT / "bench" / "latency.py")
    latency = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(latency)
    return latency.main(["--quick"] if quick else [])


# ------------------------------------------------------------------ main
def machine() -> dict:
    """Describe the machine the figures come from: CPU, threads, versions, load."""
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "load_average": os.getloadavg()[0],
    }


SECTIONS = ("reference", "redraw", "notebooks", "mnist", "mnist-search", "scaling", "latency")
#: What runs without ``--only``.
DEFAULT_SECTIONS = ("reference", "redraw", "notebooks", "mnist", "scaling")


def main(argv: list[str] | None = None) -> dict:
    """Run the chosen sections, print their tables and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small version, fit for CI")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    parser.add_argument(
        "--precisions",
        nargs="+",
        default=["auto", "float32"],
        choices=["auto", "float32", "bfloat16"],
        help="mnist: the recipe precisions to time (bfloat16 = the lesson's former fixed choice)",
    )
    parser.add_argument("--no-emulate", action="store_true", help="mnist: native runs only")
    parser.add_argument("--mnist-worker", help=argparse.SUPPRESS)  # JSON spec; prints JSON
    args = parser.parse_args(argv)
    if args.mnist_worker:
        spec = json.loads(args.mnist_worker)
        runs = mnist_runs(spec["seeds"], spec["precisions"], spec["target"])
        print(json.dumps(runs, default=float))
        return runs
    sections = args.only or (("reference", "redraw", "scaling") if args.quick else DEFAULT_SECTIONS)
    repeats = 5 if args.quick else 25

    report = {"machine": machine(), "quick": args.quick}
    print("Machine:", ", ".join(f"{k}={v}" for k, v in report["machine"].items()))
    if "reference" in sections:
        dtypes = ("float32",) if args.quick else ("float32", "float64")
        # each call takes about a millisecond: many repeats keep the median steady
        report["reference"] = bench_reference(repeats * 4, dtypes)
    if "redraw" in sections:
        report["redraw"] = bench_redraw(repeats if args.quick else 40, largest=not args.quick)
    if "notebooks" in sections:
        report["notebooks"] = bench_notebooks()
    if "mnist" in sections:
        seeds = [0] if args.quick else [0, 1, 2]
        report["mnist"] = bench_mnist(seeds, args.precisions, emulate=not args.no_emulate)
    if "mnist-search" in sections:
        report["mnist_search"] = bench_lr_search(
            [1.0, 0.5, 0.25], [0.001, 0.003, 0.01, 0.03, 0.1], [0] if args.quick else [0, 1]
        )
    if "scaling" in sections:
        sizes = [16, 32, 64] if args.quick else [16, 32, 64, 128]
        channels = [4, 16] if args.quick else [4, 16, 32]
        report["scaling"] = bench_scaling(repeats, sizes, channels)
    if "latency" in sections:
        report["latency"] = bench_latency(args.quick)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1, default=float))
    print(f"\nWritten to {args.output}")
    return report


if __name__ == "__main__":
    main()
