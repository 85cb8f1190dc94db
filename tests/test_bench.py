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


def _runs(times: dict, reached=10.0) -> dict:
    rows = [
        {"model": model, "seed": seed, "precision": precision, "used": precision,
         "train_seconds": seconds, "best_accuracy": 0.99, "seconds_to_target": reached,
         "epochs_to_target": 2}
        for (model, seed, precision), seconds in times.items()
    ]  # fmt: skip
    choices = {m: {"chosen": "float32", "seconds": 1.0, "step_ms": {}} for m in ("CNN", "MLP")}
    return {"rows": rows, "choices": choices, "threads": 2, "isa": {}}


def test_mnist_summary_compares_each_seed_with_its_own_float32_run(bench):
    runs = _runs(
        {
            ("CNN", 0, "auto"): 9.0, ("CNN", 0, "float32"): 10.0,
            ("CNN", 1, "auto"): 19.0, ("CNN", 1, "float32"): 20.0,
            ("MLP", 0, "auto"): 3.0, ("MLP", 0, "float32"): 4.0,
        }
    )  # fmt: skip
    summary = bench.mnist_summary(runs, 0.99)
    # the measurement's 1 s is charged to every auto run: (9 + 1) / 10 and (19 + 1) / 20
    assert summary["CNN auto"]["ratio_to_float32_with_choice"] == 1.0
    assert summary["CNN float32"]["ratio_to_float32_with_choice"] == 1.0
    assert summary["CNN auto"]["median_train_seconds"] == 14.0
    assert summary["MLP auto"]["ratio_to_float32_with_choice"] == 1.0
    assert summary["MLP auto"]["runs_reaching_target"] == "1/1"


def test_emulated_runs_start_python_with_both_avx2_variables(bench, monkeypatch):
    seen = {}

    class Done:
        stdout = 'progress\n{"rows": [], "choices": {}}\n'

    def fake_run(command, env, **kwargs):
        seen["command"], seen["env"] = command, env
        return Done()

    monkeypatch.setattr(bench.subprocess, "run", fake_run)
    assert bench._emulated_runs([0], ["auto"], 0.99) == {"rows": [], "choices": {}}
    assert seen["env"]["ONEDNN_MAX_CPU_ISA"] == "AVX2"
    assert seen["env"]["ATEN_CPU_CAPABILITY"] == "avx2"
    assert "--mnist-worker" in seen["command"]


@pytest.fixture(scope="module")
def latency():
    path = BENCH.parent / "latency.py"
    spec = importlib.util.spec_from_file_location("latency_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_latency_walk_steps_one_value_at_a_time_from_end_to_end(latency):
    value, seen = 5, [5]
    for key in latency.walk(5, 1, 12, 30):
        value += 1 if key == "ArrowRight" else -1
        seen.append(value)
    assert min(seen) == 1 and max(seen) == 12  # the whole range, both ways
    assert all(abs(a - b) == 1 for a, b in zip(seen, seen[1:], strict=False))
    assert latency.walk(12, 1, 12, 2) == ["ArrowLeft", "ArrowLeft"]


def test_latency_notebook_has_the_floor_then_each_explorer(latency, tmp_path):
    import nbformat

    cases = [
        latency.FLOOR_CASE,
        ("conv_explorer", "default"),
        ("conv_explorer", "default" + latency.MEMORY_OFF),
        ("decoder_explorer", "largest" + latency.MEMORY_OFF),
    ]
    latency.write_notebook(tmp_path / "group.ipynb", cases, "")
    notebook = nbformat.read(tmp_path / "group.ipynb", as_version=4)
    sources = [cell.source for cell in notebook.cells]
    assert len(sources) == 5 and "ipywidgets.Image" in sources[1]
    assert sources[2] == "widgets.conv_explorer()"
    assert sources[3] == "forget(widgets.conv_explorer())"
    assert sources[4] == "largest(forget(widgets.decoder_explorer(decoder=widgets.decoder.CUSTOM)))"


def test_latency_rows_are_compared_with_the_floor_of_their_own_group(latency):
    floor = end = latency.FLOOR_CASE[0]
    rows = [
        {"explorer": floor, "setting": "floor", "group": 1, "median_ms": 40.0},
        {"explorer": "conv_explorer", "setting": "default", "group": 1, "median_ms": 45.0},
        {"explorer": end, "setting": "floor, end", "group": 1, "median_ms": 50.0},
        {"explorer": floor, "setting": "floor", "group": 2, "median_ms": 60.0},
        {"explorer": "pool_explorer", "setting": "default", "group": 2, "median_ms": 45.0},
        {"explorer": "pool_explorer", "setting": "largest", "group": 2, "error": "timeout"},
        {"explorer": end, "setting": "floor, end", "group": 2, "median_ms": 60.0},
    ]
    latency.add_floor_ratios(rows)
    assert [r.get("vs_png_floor") for r in rows] == [0.89, 1.0, 1.11, 1.0, 0.75, None, 1.0]
    assert rows[4]["png_floor_ms"] == 60.0
    assert "vs_run_png_floor" not in rows[1]  # no press was recorded: no floor for the run


def test_latency_rows_are_compared_with_the_median_floor_press_of_the_run(latency):
    floor = latency.FLOOR_CASE[0]
    rows = [
        {"explorer": floor, "setting": "floor", "group": 1, "median_ms": 30.0,
         "latencies_ms": [30.0, 30.0, 70.0]},
        {"explorer": "conv_explorer", "setting": "default", "group": 1, "median_ms": 45.0,
         "latencies_ms": [45.0]},
        {"explorer": floor, "setting": "floor", "group": 2, "median_ms": 60.0,
         "latencies_ms": [60.0, 60.0, 50.0]},
    ]  # fmt: skip
    latency.add_floor_ratios(rows)
    # the presses of both floors pooled: 30, 30, 50, 60, 60, 70 -> median 55, not the explorer's
    assert rows[1]["run_png_floor_ms"] == 55.0
    assert rows[1]["vs_run_png_floor"] == 0.82
    assert rows[1]["vs_png_floor"] == 1.5


def test_latency_notebook_cells_run(latency, tmp_path):
    """The setup and the floor run as the browser's kernel runs them; forget turns memory off."""
    namespace: dict = {}
    exec(latency.IMPORT_HELPERS.format(helpers="") + latency.LARGEST + latency.FORGET, namespace)  # noqa: S102
    exec(latency.FLOOR.rsplit("\n", 2)[0], namespace)  # noqa: S102  (all but the display line)
    namespace["_slider"].value = 6
    assert bytes(namespace["_image"].value) == namespace["_pngs"][1] != namespace["_pngs"][0]
    explorer = namespace["forget"](eval("widgets.conv_explorer()", namespace))  # noqa: S307
    explorer.controls["i"].value = 6
    assert len(explorer.memory) == 0


def test_latency_moves_a_live_slider_of_every_explorer(latency):
    import helpers.widgets

    namespace = {"widgets": helpers.widgets}
    for name in latency.explorer_names(""):
        explorer = eval(latency.explorer_call(name), namespace)  # noqa: S307
        slider = latency.live_slider(explorer)
        assert not slider.disabled and slider.max > slider.min, name


def test_latency_table_prints_every_row_of_the_stored_report(latency, capsys):
    report = json.loads((BENCH.parent / "results" / "latency.json").read_text())
    latency.print_rows(report["rows"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 + len(report["rows"])
    floor = next(line for line in lines if line.startswith("ipywidgets Image"))
    assert " 864/432 " in floor  # the picture's pixels for its CSS width: twice, for HiDPI


def test_latency_presses_are_set_by_the_option_and_recorded(latency, tmp_path, monkeypatch):
    walks = []

    def measure(groups, helpers_dir, presses, drag_steps, scale):
        walks.append((presses, [case for group in groups for case in group]))
        return []

    monkeypatch.setattr(latency, "measure", measure)
    output = tmp_path / "latency.json"
    args = ["--only", "conv_explorer", "--memory", "on", "--picture", "png", "--output"]
    report = latency.main(["--presses", "7", *args, str(output)])
    latency.main(["--quick", *args, str(output)])
    assert [presses for presses, _ in walks] == [7, 10]
    assert report["presses"] == 7 and json.loads(output.read_text())["presses"] == 10
    floor, *explorer, end = walks[0][1]  # one page: the floor, the explorer, the floor again
    assert floor == latency.FLOOR_CASE and end == (floor[0], "floor, end")
    assert explorer == [("conv_explorer", "default"), ("conv_explorer", "largest")]
    with pytest.raises(SystemExit):
        latency.main(["--presses", "0", *args, str(output)])
