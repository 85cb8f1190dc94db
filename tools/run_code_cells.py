"""Run lessons' code cells top to bottom in one Python process, without Jupyter.

For a machine that has PyTorch but no Jupyter (a lent GPU machine, say): it checks that a
lesson's code and its asserts hold there, on whatever device the lesson picks
(``helpers.training.choose_device``). It compares no stored output: that is nbval's job, on
the CPU. For every notebook, in a namespace of its own and with the notebook's folder as the
working directory, each code cell is run in order with its IPython magics (lines starting
with ``%`` or ``!``) left out and matplotlib drawing off screen; an exception in a cell not
tagged ``raises-exception`` is printed and counted as a failure, and the next cell still runs.
Each cell's time and outcome are printed.

Usage::

    python tools/run_code_cells.py notebooks/06_mlp_vs_cnn_mnist.ipynb notebooks/07_*.ipynb

Exits with 1 if any cell failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
import traceback
from pathlib import Path

RAISES = "raises-exception"


def code_cells(notebook: dict) -> list[tuple[str, str, list[str]]]:
    """``(cell id, source without magics, tags)`` of each code cell, in order."""
    cells = []
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        tags = cell.get("metadata", {}).get("tags", [])
        cells.append((cell.get("id", f"cell {number}"), "\n".join(lines), tags))
    return cells


def run_notebook(path: Path) -> list[str]:
    """Run the code cells of the notebook at ``path``; the ids of the cells that failed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    notebook = json.loads(path.read_text(encoding="utf-8"))
    namespace = {"__name__": "__main__"}
    failed = []
    with contextlib.chdir(path.resolve().parent):
        for cell_id, source, tags in code_cells(notebook):
            began = time.perf_counter()
            try:
                exec(compile(source, f"{path.name}:{cell_id}", "exec"), namespace)
                outcome = "ok"
            except Exception as error:  # reported; the next cell still runs
                outcome = f"raised {type(error).__name__}"
                if RAISES not in tags:
                    traceback.print_exc()
                    failed.append(cell_id)
                    outcome += " (FAILED)"
            plt.close("all")
            print(
                f"{path.name} {cell_id}: {outcome}, {time.perf_counter() - began:.1f} s", flush=True
            )
    return failed


def main(argv: list[str] | None = None) -> int:
    """Run each notebook named; 1 if a cell failed, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    failures = {}
    for path in args.notebooks:
        began = time.perf_counter()
        failed = run_notebook(path)
        print(f"{path}: {time.perf_counter() - began:.1f} s, {len(failed)} failed", flush=True)
        if failed:
            failures[str(path)] = failed
    print("failed cells:", failures or "none")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
