"""Every lesson is navigable by headings and links, and every picture it shows is described.

Over all notebooks in ``notebooks/`` (WCAG 2.1: 1.1.1 non-text content, 1.3.1 info and
relationships, 2.4.4 link purpose, 2.4.6 headings):

- exactly one level-1 heading (``# NN · Title``), and each heading at most one level deeper
  than the one before it (``#`` then ``##``, never ``#`` then ``###``);
- every link text says where it goes: not empty, not a bare "here", "this", "link", "click
  here", "more", and not the bare address;
- every image output (``image/png``, ``image/jpeg``, ``image/svg+xml``) carries a non-empty
  alt text in its metadata, ``{"image/png": {"alt": "..."}}``, as ``helpers.display.show``
  stores it;
- every GIF of the animation gallery's page has a description as its alt text.

Headings and links are read from the markdown as nbconvert's renderer (mistune) parses it,
so a ``#`` inside a code block or a link inside code is not counted.
"""

from __future__ import annotations

import re
from pathlib import Path

import mistune
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
#: Link texts that do not say where a link goes (compared lower-case, without punctuation).
VAGUE_LINK_TEXTS = {"", "here", "this", "link", "click here", "more", "read more", "this link"}

_parse = mistune.create_markdown(renderer=None, plugins=["table", "strikethrough"])


def _walk(tokens: list[dict]):
    """Every token of a mistune AST, depth first, in document order."""
    for token in tokens:
        yield token
        yield from _walk(token.get("children") or [])


def _text(token: dict) -> str:
    """The plain text inside a token (its raw text and its children's)."""
    return token.get("raw", "") + "".join(_text(child) for child in token.get("children") or [])


def headings(source: str) -> list[tuple[int, str]]:
    r"""``(level, text)`` of each heading of a markdown source, in order.

    Examples
    --------
    >>> headings("# A\n\n```\n# not a heading\n```\n\n## B")
    [(1, 'A'), (2, 'B')]
    """
    return [
        (token["attrs"]["level"], _text(token).strip())
        for token in _walk(_parse(source))
        if token["type"] == "heading"
    ]


def links(source: str) -> list[tuple[str, str]]:
    """``(text, url)`` of each link of a markdown source (images excluded), in order.

    Examples
    --------
    >>> links("See [lesson 02](02_pooling.ipynb), `[not](a link)`, ![pic](p.png).")
    [('lesson 02', '02_pooling.ipynb')]
    """
    return [
        (_text(token).strip(), token["attrs"]["url"])
        for token in _walk(_parse(source))
        if token["type"] == "link"
    ]


def _markdown_cells(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


def heading_problems(levels: list[tuple[int, str]]) -> list[str]:
    """What breaks the outline: not exactly one H1, the H1 not first, a level skipped.

    Examples
    --------
    >>> heading_problems([(1, "T"), (2, "A"), (3, "a"), (2, "B")])
    []
    >>> heading_problems([(1, "T"), (3, "a"), (1, "U")])
    ["2 level-1 headings ['T', 'U'], need exactly 1", "'a' (level 3) follows level 1"]
    """
    problems = []
    ones = [text for level, text in levels if level == 1]
    if len(ones) != 1:
        problems.append(f"{len(ones)} level-1 headings {ones}, need exactly 1")
    if levels and levels[0][0] != 1:
        problems.append(f"the first heading {levels[0][1]!r} is level {levels[0][0]}, not 1")
    for (before, _), (level, text) in zip(levels, levels[1:], strict=False):
        if level > before + 1:
            problems.append(f"{text!r} (level {level}) follows level {before}")
    return problems


def vague_link(text: str, url: str) -> bool:
    """Whether a link's text fails to say where it goes.

    Examples
    --------
    >>> vague_link("here", "02_pooling.ipynb"), vague_link("02 · Pooling", "02_pooling.ipynb")
    (True, False)
    >>> vague_link("https://arxiv.org/abs/1603.07285", "https://arxiv.org/abs/1603.07285")
    True
    """
    words = re.sub(r"[^\w\s]", "", text).strip().lower()
    return words in VAGUE_LINK_TEXTS or text.strip() == url.strip()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_one_h1_then_headings_without_skipped_levels(path):
    levels = [h for source in _markdown_cells(path) for h in headings(source)]
    assert heading_problems(levels) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_link_texts_say_where_they_go(path):
    found = [link for source in _markdown_cells(path) for link in links(source)]
    assert found, "a lesson links its neighbours (generated navigation)"
    assert [link for link in found if vague_link(*link)] == []


def image_outputs_without_alt(path: Path) -> list[str]:
    """``cell N output M (mime)`` for every image output whose metadata has no alt text."""
    missing = []
    for n, cell in enumerate(nbformat.read(path, as_version=4).cells):
        for m, output in enumerate(cell.get("outputs", [])):
            for mime in IMAGE_TYPES:
                if mime in output.get("data", {}):
                    alt = output.get("metadata", {}).get(mime, {}).get("alt", "")
                    if not (isinstance(alt, str) and alt.strip()):
                        missing.append(f"cell {n} output {m} ({mime})")
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_image_output_has_alt_text(path):
    assert image_outputs_without_alt(path) == []


def test_the_alt_check_finds_a_picture_without_one(tmp_path):
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    shown = new_output("display_data", data={"image/png": "AAAA"})
    described = new_output(
        "display_data", data={"image/png": "AAAA"}, metadata={"image/png": {"alt": "A 3×3 grid"}}
    )
    blank = new_output(
        "display_data", data={"image/png": "AAAA"}, metadata={"image/png": {"alt": " "}}
    )
    path = tmp_path / "01_x.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("", outputs=[shown, described, blank])]), path)
    assert image_outputs_without_alt(path) == [
        "cell 0 output 0 (image/png)",
        "cell 0 output 2 (image/png)",
    ]


def test_every_gallery_gif_has_a_description_as_alt_text():
    source = (ROOT / "docs" / "gallery" / "README.md").read_text(encoding="utf-8")
    images = [
        (_text(token).strip(), token["attrs"]["url"])
        for token in _walk(_parse(source))
        if token["type"] == "image"
    ]
    gifs = sorted(path.name for path in (ROOT / "docs" / "gallery").glob("*.gif"))
    assert sorted(url for _, url in images) == gifs
    for alt, url in images:
        assert alt.startswith("Animation in ") and len(alt.split()) >= 12, (url, alt)
