"""Fast tests of tools/build_site.py: page plan, links, navigation, maths drawn, small sites."""

import base64
import importlib.util
import io
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
site = importlib.util.module_from_spec(_spec)
sys.modules["build_site"] = site  # dataclasses look their module up there
_spec.loader.exec_module(site)


def _png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "orange").save(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def explorer_output() -> dict:
    """An explorer's display bundle as helpers.widgets stores it: widget view, PNG and HTML."""
    png = _png()
    return new_output(
        "execute_result",
        data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
            "image/png": png,
            "text/html": f'<img class="explorer-picture" src="data:image/png;base64,{png}">',
            "text/plain": "ConvExplorer(i=5) -> output_size=3",
        },
        execution_count=1,
    )


@pytest.fixture
def repo(tmp_path):
    """A tiny repository: README, two lessons linking each other, a gallery, a figure."""
    (tmp_path / "README.md").write_text(
        "# Series\n\n| # | lesson |\n| --- | --- |\n| 01 | [First](notebooks/01_first.ipynb) |\n\n"
        "[gallery](docs/gallery/README.md), ![fig](figs/plot.png), [req](requirements.txt), "
        "[gone](missing.md), [web](https://example.org/x.ipynb)\n",
        encoding="utf-8",
    )
    (tmp_path / "requirements.txt").write_text("numpy\n")
    (tmp_path / "figs").mkdir()
    Image.new("RGB", (2, 2)).save(tmp_path / "figs" / "plot.png")
    gallery = tmp_path / "docs" / "gallery"
    gallery.mkdir(parents=True)
    (gallery / "README.md").write_text("# Gallery\n\n![a](a.gif)\n", encoding="utf-8")
    Image.new("P", (2, 2)).save(gallery / "a.gif")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    first = new_notebook(
        cells=[
            new_markdown_cell("# 01 · First\n\nNext: [second](02_second.ipynb#Goals)."),
            new_code_cell("conv_explorer()", outputs=[explorer_output()], execution_count=1),
        ]
    )
    second = new_notebook(
        cells=[new_markdown_cell("# 02 · Second\n\n## Goals\n\n[back](../README.md)")]
    )
    nbformat.write(first, notebooks / "01_first.ipynb")
    nbformat.write(second, notebooks / "02_second.ipynb")
    (notebooks / "scratch.ipynb").write_text(nbformat.writes(new_notebook()))  # not a lesson
    return tmp_path


def test_plan_lists_front_page_lessons_in_order_then_gallery(repo):
    pages = site.plan_pages(repo / "notebooks", repo)
    assert [p.target for p in pages] == [
        "index.html",
        "01_first.html",
        "02_second.html",
        "gallery/index.html",
    ]
    assert pages[1].title == "01 · First" and pages[1].label == "01"


def test_links_are_rewritten_relative_to_each_page(repo):
    pages = site.plan_pages(repo / "notebooks", repo)
    text = (
        '<a href="02_second.ipynb#Goals">n</a><a href="../README.md">c</a>'
        '<img src="../figs/plot.png"><a href="#local">l</a><a href="https://x.org/a.ipynb">w</a>'
    )
    new, files = site.rewrite_links(text, pages[1], pages, repo, repo / "notebooks")
    assert 'href="02_second.html#Goals"' in new
    assert 'href="index.html"' in new
    assert 'src="files/figs/plot.png"' in new
    assert 'href="#local"' in new and 'href="https://x.org/a.ipynb"' in new
    assert files == {"figs/plot.png"}
    # a lesson showing a gallery GIF: the site keeps the GIFs in gallery/
    new, files = site.rewrite_links(
        '<img src="../docs/gallery/a.gif">', pages[1], pages, repo, repo / "notebooks"
    )
    assert new == '<img src="gallery/a.gif">' and files == {"docs/gallery/a.gif"}
    # from the gallery page, one folder down
    new, _ = site.rewrite_links('<a href="../../README.md">c</a>', pages[3], pages, repo, repo)
    assert new == '<a href="../index.html">c</a>'


def test_navigation_has_previous_contents_and_next(repo):
    pages = site.plan_pages(repo / "notebooks", repo)
    bottom = site.navigation(pages[1], pages, bottom=True)
    assert 'href="index.html" rel="prev"' in bottom
    assert 'href="02_second.html" rel="next"' in bottom
    top = site.navigation(pages[3], pages)
    assert 'href="../01_first.html"' in top and 'href="index.html" aria-current="page"' in top


def test_build_writes_every_page_offline_with_the_explorer_picture(repo, tmp_path):
    out = tmp_path / "out"
    written = site.build(out, repo / "notebooks", repo)
    assert [p.relative_to(out).as_posix() for p in written] == [
        "index.html",
        "01_first.html",
        "02_second.html",
        "gallery/index.html",
    ]
    lesson = (out / "01_first.html").read_text(encoding="utf-8")
    assert 'class="explorer-picture"' in lesson  # the static picture, not the widget view
    assert "application/vnd.jupyter.widget-view+json" not in lesson
    for page in written:
        text = page.read_text(encoding="utf-8")
        for cdn in ("cdnjs", "unpkg", "jsdelivr", "<script src="):
            assert cdn not in text, (page.name, cdn)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01_first.html"' in index and "<table" in index
    assert 'href="gallery/index.html"' in index and 'href="files/requirements.txt"' in index
    assert 'href="missing.md"' in index  # left alone: the browser test reports it
    assert (out / "files" / "figs" / "plot.png").is_file()
    assert (out / "gallery" / "a.gif").is_file()


def test_build_refuses_to_empty_a_folder_it_did_not_build(repo, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    with pytest.raises(SystemExit, match="not a site built"):
        site.build(precious, repo / "notebooks", repo)
    assert (precious / "keep.txt").read_text() == "mine"
    out = tmp_path / "again"
    site.build(out, repo / "notebooks", repo)
    site.build(out, repo / "notebooks", repo)  # a site built before is rebuilt
    assert (out / "index.html").is_file()


def _maths_notebook(folder: Path) -> Path:
    """A one-lesson repository whose markdown has maths, code spans, escaped dollars."""
    (folder / "notebooks").mkdir(parents=True)
    (folder / "README.md").write_text("# S\n\nSize $o = i$.\n", encoding="utf-8")
    lesson = new_notebook(
        cells=[
            new_markdown_cell(
                "# 01 · Maths\n\nA $3\\times 3$ kernel, $C_\\text{in}$ channels, "
                "$k \\le 6$, $(m \\bmod s)$.\n\n$$o = \\left\\lfloor \\frac{i + 2p - k}{s} "
                "\\right\\rfloor + 1.$$\n\nInput $\\begin{smallmatrix}1 & 2\\\\ 3 & 4"
                "\\end{smallmatrix}$."
            ),
            new_code_cell("x = '$a$'  # $b$", outputs=[], execution_count=1),
        ]
    )
    nbformat.write(lesson, folder / "notebooks" / "01_maths.ipynb")
    return folder


def test_a_span_renders_to_an_inline_svg_labelled_with_its_tex():
    maths = site.MathRenderer()
    svg = maths.html(r"o = \lfloor (i + 2p - k)/s \rfloor + 1")
    assert svg.startswith('<svg class="math" role="img" aria-label="o = \\lfloor (i + 2p - k)/s')
    assert "<title>o = \\lfloor (i + 2p - k)/s \\rfloor + 1</title>" in svg
    assert re.search(r'<path fill="currentColor" d="M[-\d. MLQCZ]+"/>', svg)
    width, height, lower = (float(v) for v in re.findall(r"(-?[\d.]+)em", svg))
    assert width > 5 * height > 0 and lower < 0  # wide, one line, below the baseline
    assert 'id="' not in svg and "<metadata" not in svg
    assert maths.html(r"o = \lfloor (i + 2p - k)/s \rfloor + 1") is svg  # cached
    display = maths.html("o = i", display=True)
    assert display.startswith('<span class="math-display"><svg class="math"')


@pytest.mark.parametrize(
    "tex",
    [
        r"3\times 3",
        r"C_\text{in}",
        r"k \le 6",
        r"i \ge 1",
        r"a = (i + 2p - k) \bmod s",
        r"j \equiv r \pmod s",
        r"P = \max\big((o - 1)\,s,\; 0\big)",
        r"\underbrace{k^2 C_\text{in}}_\text{depthwise} + C_\text{out}",
        r"\begin{smallmatrix}1 & 0 & 2\\ 0 & 0 & 0\\ 3 & 0 & 4\end{smallmatrix}",
        r"\tilde{x}^\prime \cdot \lceil x \rceil \quad \ldots \dots \operatorname{softmax}",
    ],
)
def test_the_tex_of_our_notebooks_parses(tex):
    maths = site.MathRenderer()
    assert maths.html(tex).startswith("<svg")
    assert maths.fallbacks == []


def test_tex_mathtext_cannot_draw_falls_back_to_readable_code():
    maths = site.MathRenderer()
    assert maths.html(r"\frobnicate{x}") == ('<code class="math-fallback">$\\frobnicate{x}$</code>')
    assert maths.fallbacks == [r"\frobnicate{x}"]


def _markdown(source: str) -> str:
    maths = site.MathRenderer()
    nb = new_notebook(cells=[new_markdown_cell(source)])
    body, _ = site.exporter(maths).from_notebook_node(nb)
    return body


def test_code_spans_and_escaped_dollars_are_left_alone():
    body = _markdown("Code `$x$` and `a $b$ c`; money \\$5 and \\$6; maths $y$.")
    assert "<code>$x$</code>" in body and "<code>a $b$ c</code>" in body
    assert "$5 and $6" in body
    assert body.count('class="math"') == 1 and 'aria-label="y"' in body


def test_maths_in_code_and_in_plain_or_html_outputs_is_left_alone():
    outputs = [
        new_output("stream", text="cost $p$ in $q$\n"),
        new_output("display_data", data={"text/html": "<b>$h$</b>", "text/plain": "h"}),
        new_output("display_data", data={"text/markdown": "markdown $z$"}),
    ]
    nb = new_notebook(cells=[new_code_cell("s = '$x$ and $y$'", outputs=outputs)])
    body, _ = site.exporter().from_notebook_node(nb)
    assert "$x$ and $y$" in body and "cost $p$ in $q$" in body and "<b>$h$</b>" in body
    # markdown output is markdown, whose maths JupyterLab draws too
    assert body.count('class="math"') == 1 and 'aria-label="z"' in body


def test_build_twice_gives_identical_bytes(tmp_path):
    repo = _maths_notebook(tmp_path / "repo")
    first = site.build(tmp_path / "a", repo / "notebooks", repo)
    second = site.build(tmp_path / "b", repo / "notebooks", repo)
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name


def test_no_page_shows_raw_maths_outside_code(tmp_path):
    repo = _maths_notebook(tmp_path / "repo")
    maths = site.MathRenderer()
    written = site.build(tmp_path / "out", repo / "notebooks", repo, maths=maths)
    assert maths.fallbacks == []
    lesson = (tmp_path / "out" / "01_maths.html").read_text(encoding="utf-8")
    assert lesson.count('class="math"') == 6 and lesson.count('<span class="math-display">') == 1
    for page in written:
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"<(pre|code|svg|style|script)\b.*?</\1>", "", text, flags=re.DOTALL)
        text = re.sub(r"<[^>]*>", "", text)
        assert not re.search(r"\$[^$\s][^$]*\$", text), page.name
        assert not re.search(r"\\(?:times|text|lfloor|frac|le|begin)\b", text), page.name
