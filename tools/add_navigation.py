"""Insert or update the navigation cells of the lesson notebooks.

Each lesson gets the same markdown cell as its first and its last cell. For lesson 02 it is
(wrapped here; the links form one line in the cell)::

    <!--NAVIGATION-->
    [< 01 · Convolution arithmetic](01_convolution_arithmetic.ipynb) |
    [Contents (README)](../README.md) | [03 · Dilated convolution >](03_dilated_convolution.ipynb)

The cells are generated: edit ``LESSONS`` here, never the cells. They are recognised by the
cell tag ``navigation`` or, if the tags were lost, by the marker comment on their first line.
Running the script again changes nothing (it is idempotent). Lessons that do not exist yet are
skipped, and neighbours link only to lessons that exist, so no link is ever dead.

After PDSH's ``tools/add_navigation.py`` (jakevdp/PythonDataScienceHandbook).

Usage::

    python tools/add_navigation.py            # every lesson in notebooks/
    python tools/add_navigation.py --check    # exit 1 if a notebook needs an update
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO_ROOT / "notebooks"

LESSONS = [
    ("01_convolution_arithmetic.ipynb", "Convolution arithmetic"),
    ("02_pooling.ipynb", "Pooling"),
    ("03_dilated_convolution.ipynb", "Dilated convolution"),
    ("04_transposed_convolution.ipynb", "Transposed convolution"),
    ("05_multichannel.ipynb", "Multi-channel convolution"),
    ("06_mlp_vs_cnn_mnist.ipynb", "MLP vs CNN on MNIST"),
    ("07_decoder_checkerboard.ipynb", "Decoders and checkerboard artifacts"),
    ("08_designing_shapes.ipynb", "Designing shapes"),
]
CONTENTS = ("../README.md", "Contents (README)")
NAV_TAG = "navigation"
NAV_MARKER = "<!--NAVIGATION-->"
NAV_CELL_IDS = ("navigation-top", "navigation-bottom")


def lesson_label(filename, title):
    """``"02 · Pooling"`` for ``("02_pooling.ipynb", "Pooling")``; the title if unnumbered."""
    number = filename.split("_", 1)[0]
    return f"{number} · {title}" if number.isdigit() else title


def navigation_source(filename, lessons=None, contents=CONTENTS):
    """Markdown of the navigation cell of one lesson.

    Parameters
    ----------
    filename : str
        The lesson's file name, one of the names in ``lessons``.
    lessons : sequence of (str, str), optional
        Ordered ``(file name, title)`` pairs; previous and next are taken from this order.
        Default: ``LESSONS``.
    contents : (str, str), default=CONTENTS
        Link and text of the table of contents, relative to the notebook.

    Returns
    -------
    str
        The marker line, then ``< previous | Contents | next >``; the first lesson has no
        previous link and the last one no next link.

    Raises
    ------
    ValueError
        If ``filename`` is not in ``lessons``.

    Examples
    --------
    >>> print(navigation_source("02_b.ipynb", [("01_a.ipynb", "A"), ("02_b.ipynb", "B")]))
    <!--NAVIGATION-->
    [< 01 · A](01_a.ipynb) | [Contents (README)](../README.md)
    """
    lessons = LESSONS if lessons is None else lessons
    names = [name for name, _ in lessons]
    if filename not in names:
        raise ValueError(f"filename == {filename!r}, must be one of the lessons {names}")
    index = names.index(filename)
    parts = []
    if index > 0:
        name, title = lessons[index - 1]
        parts.append(f"[< {lesson_label(name, title)}]({name})")
    parts.append(f"[{contents[1]}]({contents[0]})")
    if index + 1 < len(lessons):
        name, title = lessons[index + 1]
        parts.append(f"[{lesson_label(name, title)} >]({name})")
    return NAV_MARKER + "\n" + " | ".join(parts)


def is_navigation_cell(cell):
    """True for a cell this script generated (tagged ``navigation`` or starting with the marker)."""
    if cell.cell_type != "markdown":
        return False
    tags = cell.get("metadata", {}).get("tags", [])
    return NAV_TAG in tags or cell.source.lstrip().startswith(NAV_MARKER)


def _navigation_cell(source, cell_id, with_id):
    cell = new_markdown_cell(source, metadata={"tags": [NAV_TAG]})
    if with_id:
        cell["id"] = cell_id
    else:
        cell.pop("id", None)
    return cell


def add_navigation(nb, source):
    """Make ``source`` the first and the last cell of ``nb``, removing older navigation cells.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A version-4 notebook, changed in place.
    source : str
        Markdown of the navigation cell (see `navigation_source`).

    Returns
    -------
    bool
        True if the notebook changed.

    Notes
    -----
    Navigation cells anywhere in the notebook are removed first, then two are inserted with
    fixed cell ids, so a second call returns False and leaves ``nb`` as it was.
    """
    before = nbformat.writes(nb)
    with_id = (nb.nbformat, nb.nbformat_minor) >= (4, 5)
    cells = [cell for cell in nb.cells if not is_navigation_cell(cell)]
    top = _navigation_cell(source, NAV_CELL_IDS[0], with_id)
    bottom = _navigation_cell(source, NAV_CELL_IDS[1], with_id)
    nb.cells = [top, *cells, bottom]
    return nbformat.writes(nb) != before


def existing_lessons(folder, lessons=None):
    """The ``(file name, title)`` pairs of ``lessons`` (default ``LESSONS``) found in ``folder``."""
    lessons = LESSONS if lessons is None else lessons
    folder = Path(folder)
    return [(name, title) for name, title in lessons if (folder / name).is_file()]


def update_folder(folder=NOTEBOOK_DIR, lessons=None, write=True):
    """Add or refresh the navigation cells of every existing lesson in ``folder``.

    Parameters
    ----------
    folder : str or Path, default=NOTEBOOK_DIR
        The folder holding the lesson notebooks.
    lessons : sequence of (str, str), optional
        Ordered ``(file name, title)`` pairs. Default: ``LESSONS``.
    write : bool, default=True
        If False, only report which notebooks would change.

    Returns
    -------
    list of Path
        The notebooks that changed (or would change, with ``write=False``).
    """
    folder = Path(folder)
    present = existing_lessons(folder, lessons)
    changed = []
    for name, _ in present:
        path = folder / name
        nb = nbformat.read(path, as_version=4)
        if add_navigation(nb, navigation_source(name, present)):
            changed.append(path)
            if write:
                nbformat.write(nb, path)
    return changed


def main(argv=None):
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--folder", type=Path, default=NOTEBOOK_DIR, help="lesson folder (default: notebooks/)"
    )
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if an update is needed"
    )
    args = parser.parse_args(argv)

    present = existing_lessons(args.folder)
    missing = [name for name, title in LESSONS if (name, title) not in present]
    changed = update_folder(args.folder, write=not args.check)
    verb = "needs an update" if args.check else "updated"
    for path in changed:
        print(f"{path}: {verb}")
    print(f"{len(present)} lesson(s) found, {len(changed)} {verb}.")
    if missing:
        print(f"Not there yet (skipped): {', '.join(missing)}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
