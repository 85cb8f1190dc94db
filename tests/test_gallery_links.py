"""Links between the lessons and the gallery.

Every GIF of the gallery is linked from the lesson that teaches its case, and every gallery
link in a lesson points at a GIF that exists.
"""

import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "docs" / "gallery"
CASES = json.loads((GALLERY / "gallery.json").read_text(encoding="utf-8"))["cases"]
LINK = re.compile(r"\]\(\.\./docs/gallery/([^)#]+)\)")


def lesson_links(number):
    (path,) = (ROOT / "notebooks").glob(f"{number}_*.ipynb")
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return set(LINK.findall(text))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_gif_is_linked_from_its_lesson(case):
    number = case["lesson"].split()[0]
    assert case["file"] in lesson_links(number), f"lesson {case['lesson']} does not link it"


@pytest.mark.parametrize("number", ["01", "02", "03", "04", "05", "06", "07", "08"])
def test_gallery_links_in_lessons_resolve(number):
    missing = sorted(name for name in lesson_links(number) if not (GALLERY / name).is_file())
    assert not missing, f"lesson {number} links to missing gallery files {missing}"
