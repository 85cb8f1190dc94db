"""Unit tests for the maintenance scripts in tools/ (navigation cells, notebook execution)."""

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def _load(name):
    """Import ``tools/<name>.py`` (tools/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nav = _load("add_navigation")
execute = _load("execute_notebooks")

LESSONS = [("01_a.ipynb", "A"), ("02_b.ipynb", "B"), ("03_c.ipynb", "C")]
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def tiny_notebook(*sources, minor=5):
    """A notebook with one markdown cell, then one code cell per source."""
    nb = new_notebook(metadata={"kernelspec": dict(KERNELSPEC)})
    nb.cells = [new_markdown_cell("# Title"), *(new_code_cell(s) for s in sources)]
    if minor < 5:
        nb.nbformat_minor = minor
        for cell in nb.cells:
            del cell["id"]
    return nb


def write(nb, path):
    nbformat.write(nb, path)
    return path


# --- add_navigation --------------------------------------------------------------------------


def test_lesson_list_names_every_notebook_in_order():
    on_disk = sorted(path.name for path in nav.NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    listed = [name for name, _ in nav.LESSONS]
    assert listed == on_disk, "tools/add_navigation.py LESSONS must list every lesson, in order"
    numbers = [int(name[:2]) for name in listed]
    assert numbers == list(range(1, len(listed) + 1)), (
        "lessons are numbered 01, 02, ... without gaps"
    )


def test_navigation_source_middle_first_last():
    middle = nav.navigation_source("02_b.ipynb", LESSONS)
    assert middle.splitlines()[0] == nav.NAV_MARKER
    assert middle.splitlines()[1] == (
        "[< 01 · A](01_a.ipynb) | [Contents (README)](../README.md) | [03 · C >](03_c.ipynb)"
    )
    first = nav.navigation_source("01_a.ipynb", LESSONS)
    assert "[<" not in first and "[02 · B >](02_b.ipynb)" in first
    last = nav.navigation_source("03_c.ipynb", LESSONS)
    assert "[< 02 · B](02_b.ipynb)" in last and " >]" not in last


def test_navigation_source_rejects_unknown_lesson():
    with pytest.raises(ValueError, match="'99_z.ipynb'"):
        nav.navigation_source("99_z.ipynb", LESSONS)


def test_add_navigation_puts_tagged_cell_first_and_last():
    nb = tiny_notebook("x = 1")
    source = nav.navigation_source("02_b.ipynb", LESSONS)
    assert nav.add_navigation(nb, source) is True
    assert len(nb.cells) == 4
    for cell in (nb.cells[0], nb.cells[-1]):
        assert cell.cell_type == "markdown"
        assert cell.source == source
        assert cell.metadata["tags"] == [nav.NAV_TAG]
    assert [c.source for c in nb.cells[1:-1]] == ["# Title", "x = 1"]
    nbformat.validate(nb)


def test_add_navigation_is_idempotent():
    nb = tiny_notebook("x = 1")
    source = nav.navigation_source("01_a.ipynb", LESSONS)
    nav.add_navigation(nb, source)
    once = nbformat.writes(nb)
    assert nav.add_navigation(nb, source) is False
    assert nbformat.writes(nb) == once


def test_add_navigation_replaces_stale_and_stray_cells():
    nb = tiny_notebook("x = 1", "y = 2")
    stale = new_markdown_cell("old links", metadata={"tags": ["navigation"]})
    untagged = new_markdown_cell(nav.NAV_MARKER + "\nlost its tag")
    nb.cells = [stale, *nb.cells[:2], untagged, *nb.cells[2:]]
    source = nav.navigation_source("03_c.ipynb", LESSONS)
    assert nav.add_navigation(nb, source) is True
    assert [c.source for c in nb.cells] == [source, "# Title", "x = 1", "y = 2", source]
    nbformat.validate(nb)


def test_add_navigation_keeps_a_notebook_without_cell_ids_valid():
    nb = tiny_notebook("x = 1", minor=4)
    nav.add_navigation(nb, nav.navigation_source("01_a.ipynb", LESSONS))
    assert all("id" not in cell for cell in nb.cells)
    nbformat.validate(nb)


def test_is_navigation_cell_ignores_code_and_other_markdown():
    assert not nav.is_navigation_cell(new_code_cell("# <!--NAVIGATION-->"))
    assert not nav.is_navigation_cell(new_markdown_cell("See the navigation below."))
    assert nav.is_navigation_cell(new_markdown_cell("", metadata={"tags": ["navigation"]}))


def test_update_folder_skips_missing_lessons_and_links_only_existing(tmp_path):
    write(tiny_notebook("x = 1"), tmp_path / "01_a.ipynb")
    write(tiny_notebook("x = 3"), tmp_path / "03_c.ipynb")
    changed = nav.update_folder(tmp_path, LESSONS)
    assert sorted(p.name for p in changed) == ["01_a.ipynb", "03_c.ipynb"]
    assert not (tmp_path / "02_b.ipynb").exists()
    first = nbformat.read(tmp_path / "01_a.ipynb", as_version=4)
    assert "[03 · C >](03_c.ipynb)" in first.cells[0].source
    assert "02_b" not in first.cells[0].source


def test_update_folder_second_run_leaves_files_byte_identical(tmp_path):
    path = write(tiny_notebook("x = 1"), tmp_path / "02_b.ipynb")
    nav.update_folder(tmp_path, LESSONS)
    once = path.read_bytes()
    assert nav.update_folder(tmp_path, LESSONS) == []
    assert path.read_bytes() == once


def test_update_folder_refreshes_links_when_a_lesson_appears(tmp_path):
    write(tiny_notebook("x = 1"), tmp_path / "01_a.ipynb")
    nav.update_folder(tmp_path, LESSONS)
    write(tiny_notebook("x = 2"), tmp_path / "02_b.ipynb")
    changed = nav.update_folder(tmp_path, LESSONS)
    assert {p.name for p in changed} == {"01_a.ipynb", "02_b.ipynb"}
    first = nbformat.read(tmp_path / "01_a.ipynb", as_version=4)
    assert "[02 · B >](02_b.ipynb)" in first.cells[-1].source


def test_main_check_reports_then_passes(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(nav, "LESSONS", LESSONS)
    write(tiny_notebook("x = 1"), tmp_path / "01_a.ipynb")
    assert nav.main(["--folder", str(tmp_path), "--check"]) == 1
    assert nav.NAV_MARKER not in (tmp_path / "01_a.ipynb").read_text()
    assert nav.main(["--folder", str(tmp_path)]) == 0
    assert nav.main(["--folder", str(tmp_path), "--check"]) == 0
    assert "Not there yet (skipped): 02_b.ipynb, 03_c.ipynb" in capsys.readouterr().out


# --- execute_notebooks: pure helpers ---------------------------------------------------------


def test_clear_metadata_keeps_tags_kernelspec_and_language_info():
    nb = tiny_notebook("x = 1")
    nb.metadata.update(language_info={"name": "python"}, widgets={"state": {}}, toc={"a": 1})
    nb.cells[1].metadata = {"tags": ["raises-exception"], "collapsed": True, "scrolled": True}
    nb = execute.clear_metadata(nb)
    assert set(nb.metadata) == {"kernelspec", "language_info"}
    assert nb.cells[1].metadata == {"tags": ["raises-exception"]}
    nbformat.validate(nb)


def test_renumber_execution_counts_skips_empty_cells_and_fixes_results():
    nb = tiny_notebook("a", "", "b", "c")
    counts = [None, 7, None, 3, 4]
    for cell, count in zip(nb.cells, counts, strict=True):
        if cell.cell_type == "code":
            cell.execution_count = count
    nb.cells[4].outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=4)
    ]
    assert execute.renumber_execution_counts(nb) is True
    assert [c.execution_count for c in nb.cells[1:]] == [1, None, 2, 3]
    assert nb.cells[4].outputs[0].execution_count == 3
    assert execute.renumber_execution_counts(nb) is False


def test_fix_widget_model_ids_is_deterministic():
    def widget_output(model_id):
        return nbformat.v4.new_output(
            "display_data",
            data={
                execute.WIDGET_VIEW: {"model_id": model_id, "version_major": 2},
                "text/plain": "IntSlider(value=0)",
            },
        )

    nb = tiny_notebook("w")
    nb.cells[1].outputs = [widget_output("random1")]
    other = tiny_notebook("w")
    other.cells[1].id = nb.cells[1].id
    other.cells[1].outputs = [widget_output("random2")]
    assert execute.fix_widget_model_ids(nb) == execute.fix_widget_model_ids(other) == 1
    ids = [n.cells[1].outputs[0].data[execute.WIDGET_VIEW]["model_id"] for n in (nb, other)]
    assert ids[0] == ids[1] != "random1"
    assert len(ids[0]) == 32


# --- execute_notebooks: a real kernel ---------------------------------------------------------


def test_execute_notebook_runs_in_its_folder_and_is_reproducible(tmp_path):
    nb = tiny_notebook("import os\nprint(os.path.basename(os.getcwd()))", "1 / 0", "2 + 2")
    nb.cells[2].metadata["tags"] = ["raises-exception"]
    folder = tmp_path / "lesson_folder"
    folder.mkdir()
    path = write(nb, folder / "nb.ipynb")

    assert execute.execute_notebook(path, timeout=60) is True
    done = nbformat.read(path, as_version=4)
    assert done.cells[1].outputs[0].text == "lesson_folder\n"
    assert done.cells[2].outputs[0].ename == "ZeroDivisionError"
    assert done.cells[2].metadata == {"tags": ["raises-exception"]}
    assert done.cells[3].outputs[0].data["text/plain"] == "4"
    assert [c.execution_count for c in done.cells[1:]] == [1, 2, 3]
    assert "execution" not in json.dumps([c.metadata for c in done.cells])
    assert "widgets" not in done.metadata
    assert done.metadata.kernelspec.name == "python3"

    once = path.read_bytes()
    assert execute.execute_notebook(path, timeout=60) is False
    assert path.read_bytes() == once


def test_execute_notebook_fails_loudly_and_leaves_the_file(tmp_path):
    path = write(tiny_notebook("x = 1", "undefined_name"), tmp_path / "bad.ipynb")
    before = path.read_bytes()
    with pytest.raises(execute.CellExecutionError, match="undefined_name"):
        execute.execute_notebook(path, timeout=60)
    assert path.read_bytes() == before
    assert execute.main([str(path), "--timeout", "60"]) == 1


# --- run_code_cells -------------------------------------------------------------------------
run_cells = _load("run_code_cells")


def test_run_code_cells_runs_in_order_skips_magics_and_reports_failed_cells(tmp_path, capsys):
    nb = tiny_notebook(
        "%xmode Minimal\nx = 1",
        "x += 1\n!echo not python",
        "raise ValueError('shown on purpose')",
        "assert x == 3, x",  # fails: x is 2
        "open('here.txt', 'w').write(str(x))",  # still runs, in the notebook's folder
    )
    nb.cells[3].metadata["tags"] = [run_cells.RAISES]
    (tmp_path / "lesson").mkdir()
    path = write(nb, tmp_path / "lesson" / "a.ipynb")
    assert run_cells.run_notebook(path) == [nb.cells[4].id]
    assert (tmp_path / "lesson" / "here.txt").read_text() == "2"
    assert "AssertionError: 2" in capsys.readouterr().err


def test_run_code_cells_exit_status(tmp_path):
    good = write(tiny_notebook("y = 2", "assert y == 2"), tmp_path / "good.ipynb")
    bad = write(tiny_notebook("assert False"), tmp_path / "bad.ipynb")
    assert run_cells.main([str(good)]) == 0
    assert run_cells.main([str(good), str(bad)]) == 1
