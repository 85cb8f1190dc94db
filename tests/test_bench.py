"""bench/run.py: its pieces work and its quick mode writes a complete report (no timing limits)."""

import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_measure_times_each_call(bench):
    calls = []
    times = bench.measure(lambda: calls.append(1), repeats=4, warmup=2)
    assert len(calls) == 6 and len(times) == 4
    assert all(t >= 0 for t in times)


def test_print_table_aligns_columns(bench, capsys):
    bench.print_table("T", ["name", "ms"], [["conv2d", 1.5], ["max_pool2d", 12.25]])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "T"
    assert len({len(line) for line in lines[1:]}) == 1  # header, rule and rows equally wide
    assert lines[3].startswith("conv2d ") and lines[3].endswith("1.5")


def test_every_explorer_is_benchmarked(bench):
    import helpers.widgets

    names = {n for n in dir(helpers.widgets) if n.endswith("_explorer") and not n.startswith("_")}
    assert set(bench.explorer_factories()) == names
    assert {"conv_explorer", "pool_explorer", "transposed_explorer"} <= names


def test_quick_reference_and_redraw_report(bench, tmp_path):
    output = tmp_path / "report.json"
    bench.main(["--quick", "--only", "reference", "redraw", "--output", str(output)])
    report = json.loads(output.read_text())
    cases = {row["case"] for row in report["reference"]}
    assert cases == {case[0] for case in bench.reference_cases()}
    assert all(row["ours_ms"] > 0 and row["torch_ms"] > 0 for row in report["reference"])
    assert {row["explorer"] for row in report["redraw"]} == set(bench.explorer_factories())
    assert not any(row["message"] for row in report["redraw"])  # defaults are valid settings
