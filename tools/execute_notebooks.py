"""Re-execute lesson notebooks reproducibly, in place.

nbval compares the outputs stored in each notebook with fresh ones, so the stored outputs must
come from a clean, top-to-bottom run and must not churn between runs. For every notebook this
script:

1. clears old metadata, keeping cell ``tags`` and the notebook's ``kernelspec`` and
   ``language_info`` (``ClearMetadataPreprocessor`` with preserve masks);
2. runs every cell in a fresh kernel started from *this* interpreter (as ``--nbval-current-env``
   does), with the notebook's folder as working directory, no per-cell timestamps
   (``record_timing=False``) and no stored widget state (``store_widget_state=False``);
3. stops with an error if a cell fails, unless that cell is tagged ``raises-exception``;
4. checks that the execution counts of the code cells run 1..N;
5. replaces the random ``model_id`` of each widget output by one derived from the cell id:
   without stored widget state the id points nowhere anyway, and a fixed one keeps diffs quiet;
6. writes the notebook back only if something changed.

Usage::

    python tools/execute_notebooks.py                      # every notebooks/*.ipynb
    python tools/execute_notebooks.py notebooks/02_pooling.ipynb --timeout 300

Afterwards run ``python tools/add_navigation.py`` to refresh the navigation cells.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbconvert.preprocessors import (
    CellExecutionError,
    ClearMetadataPreprocessor,
    ExecutePreprocessor,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
CURRENT_ENV_KERNEL = "python3"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class _CurrentEnvKernelSpecManager(KernelSpecManager):
    """Kernel specs that always start ``sys.executable``, whatever the notebook names."""

    def get_kernel_spec(self, kernel_name):
        import ipykernel.kernelspec

        return self.kernel_spec_class(
            resource_dir=ipykernel.kernelspec.RESOURCES,
            **ipykernel.kernelspec.get_kernel_dict(),
        )


def clear_metadata(nb):
    """Drop old metadata, keeping cell tags and the notebook's kernelspec and language_info.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook, changed in place.

    Returns
    -------
    nbformat.NotebookNode
        The same notebook, its metadata rebuilt as ``NotebookNode`` objects.
    """
    clearer = ClearMetadataPreprocessor(
        enabled=True,
        preserve_cell_metadata_mask={"tags"},
        preserve_nb_metadata_mask={"kernelspec", "language_info"},
    )
    nb, _ = clearer.preprocess(nb, {})
    return nbformat.from_dict(nb)


def renumber_execution_counts(nb):
    """Check, and if needed set, execution counts 1..N over the code cells that ran.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook, changed in place.

    Returns
    -------
    bool
        True if a count had to be changed.

    Notes
    -----
    A fresh kernel numbers the cells 1..N by itself; this only repairs unusual cases (a cell
    that runs ``%reset``, for instance). Empty code cells are not executed and keep ``None``.
    """
    changed = False
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        count += 1
        if cell.execution_count != count:
            cell.execution_count = count
            changed = True
        for output in cell.outputs:
            if output.output_type == "execute_result" and output.execution_count != count:
                output.execution_count = count
                changed = True
    return changed


def fix_widget_model_ids(nb):
    """Give every widget output a model id derived from its cell id and position.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook, changed in place.

    Returns
    -------
    int
        How many widget outputs were found.

    Notes
    -----
    The kernel draws a random ``model_id`` per widget on every run. Because the widget state is
    not stored (``store_widget_state=False``), the id refers to nothing once the kernel is gone,
    so a stable id loses nothing and stops a one-line diff per widget on every re-run.
    """
    found = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        key = cell.get("id", str(index))
        for position, output in enumerate(cell.outputs):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None or "model_id" not in view:
                continue
            digest = hashlib.sha256(f"{key}:{position}".encode()).hexdigest()
            view["model_id"] = digest[:32]
            found += 1
    return found


def execute_notebook(path, timeout=600, kernel_name=None):
    """Run one notebook top to bottom in a fresh kernel and store its outputs in place.

    Parameters
    ----------
    path : str or Path
        The ``.ipynb`` file.
    timeout : int, default=600
        Seconds allowed per cell.
    kernel_name : str or None, default=None
        A kernelspec to run instead of the current interpreter.

    Returns
    -------
    bool
        True if the file was rewritten, False if its content did not change.

    Raises
    ------
    nbconvert.preprocessors.CellExecutionError
        If a cell that is not tagged ``raises-exception`` raises; the file is left untouched.
    """
    path = Path(path).resolve()
    before = path.read_text(encoding="utf-8")
    nb = clear_metadata(nbformat.reads(before, as_version=4))

    executor = ExecutePreprocessor(
        timeout=timeout,
        allow_errors=False,
        record_timing=False,
        store_widget_state=False,
    )
    if kernel_name is None:
        km = AsyncKernelManager(
            kernel_name=CURRENT_ENV_KERNEL,
            kernel_spec_manager=_CurrentEnvKernelSpecManager(),
        )
    else:
        executor.kernel_name = kernel_name
        km = None
    executor.preprocess(nb, {"metadata": {"path": str(path.parent)}}, km=km)
    nb = nbformat.from_dict(nb)
    renumber_execution_counts(nb)
    fix_widget_model_ids(nb)

    after = nbformat.writes(nb) + "\n"
    if after == before:
        return False
    nbformat.validate(nb)
    path.write_text(after, encoding="utf-8")
    return True


def default_notebooks():
    """Every ``notebooks/*.ipynb``, sorted by name."""
    return sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def main(argv=None):
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        help="notebooks to run (default: every notebooks/*.ipynb)",
    )
    parser.add_argument(
        "--timeout", type=int, default=600, help="seconds allowed per cell (default: 600)"
    )
    parser.add_argument(
        "--kernel-name",
        default=None,
        help="run this kernelspec instead of the current interpreter",
    )
    args = parser.parse_args(argv)

    paths = args.notebooks or default_notebooks()
    if not paths:
        print(f"No notebooks found in {NOTEBOOK_DIR}.")
        return 0
    missing = [str(p) for p in paths if not Path(p).is_file()]
    if missing:
        parser.error(f"not a file: {', '.join(missing)}")
    if os.environ.pop("MPLBACKEND", None) is not None:
        # nbval compares the figure's text/plain repr, which a non-inline backend removes.
        print("Ignoring MPLBACKEND: notebooks must run with the inline backend.")

    failures = []
    for path in paths:
        start = time.perf_counter()
        print(f"{path} ...", end=" ", flush=True)
        try:
            changed = execute_notebook(path, timeout=args.timeout, kernel_name=args.kernel_name)
        except CellExecutionError as error:
            print("FAILED")
            print(error, file=sys.stderr)
            failures.append(str(path))
            continue
        status = "updated" if changed else "unchanged"
        print(f"{status} ({time.perf_counter() - start:.1f} s)")

    if failures:
        print(
            f"\n{len(failures)} notebook(s) failed and were left untouched: "
            f"{', '.join(failures)}.\n"
            "Fix the cell, or tag it `raises-exception` if the error is the lesson.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
