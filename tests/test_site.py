"""Fast tests of tools/build_site.py: page plan, links, navigation, MathML, contrast, alt text."""

import base64
import importlib.util
import io
import re
import sys
from html.parser import HTMLParser
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


def test_a_span_becomes_mathml_that_a_screen_reader_reads():
    maths = site.MathRenderer()
    mathml = maths.html(r"o = \lfloor (i + 2p - k)/s \rfloor + 1")
    assert mathml.startswith('<math display="inline">') and mathml.endswith("</math>")
    assert "<mi>o</mi>" in mathml and "<mn>2</mn>" in mathml and "&#x0230A;" in mathml
    assert "\\" not in mathml  # no TeX left
    assert maths.html(r"o = \lfloor (i + 2p - k)/s \rfloor + 1") is mathml  # cached
    assert maths.html("o = i", display=True).startswith('<math display="block">')


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
def test_the_tex_constructs_of_our_notebooks_convert(tex):
    maths = site.MathRenderer()
    assert maths.html(tex).startswith("<math")
    assert maths.fallbacks == []


@pytest.mark.parametrize("tex", [r"\frobnicate{x}", r"\frac{1}{", "a^"])
def test_tex_the_converter_cannot_do_falls_back_to_readable_code(tex):
    maths = site.MathRenderer()
    assert maths.html(tex) == f'<code class="math-fallback">${tex}$</code>'
    assert maths.fallbacks == [tex]


def _every_markdown_source() -> list[str]:
    """Markdown of the site: README, gallery, every lesson's cells and markdown outputs."""
    sources = [(ROOT / "README.md").read_text(encoding="utf-8")]
    gallery = ROOT / "docs" / "gallery" / "README.md"
    if gallery.is_file():
        sources.append(gallery.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                sources.append(cell.source)
            for output in cell.get("outputs", []):
                if "text/markdown" in output.get("data", {}):
                    sources.append(output["data"]["text/markdown"])
    return sources


def test_every_formula_of_the_lessons_converts_to_mathml():
    maths = site.MathRenderer()
    exporter = site.exporter(maths)
    nb = new_notebook(cells=[new_markdown_cell(s) for s in _every_markdown_source()])
    body, _ = exporter.from_notebook_node(nb)
    assert maths.fallbacks == []
    assert len(maths.cache) > 0 and body.count("<math ") >= len(maths.cache)


def _markdown(source: str) -> str:
    maths = site.MathRenderer()
    nb = new_notebook(cells=[new_markdown_cell(source)])
    body, _ = site.exporter(maths).from_notebook_node(nb)
    return body


def test_code_spans_and_escaped_dollars_are_left_alone():
    body = _markdown("Code `$x$` and `a $b$ c`; money \\$5 and \\$6; maths $y$.")
    assert "<code>$x$</code>" in body and "<code>a $b$ c</code>" in body
    assert "$5 and $6" in body
    assert body.count("<math ") == 1 and "<mi>y</mi>" in body


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
    assert body.count("<math ") == 1 and "<mi>z</mi>" in body


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
    assert lesson.count("<math ") == 6 and lesson.count('<math display="block">') == 1
    for page in written:
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"<(pre|code|math|style|script)\b.*?</\1>", "", text, flags=re.DOTALL)
        text = re.sub(r"<[^>]*>", "", text)
        assert not re.search(r"\$[^$\s][^$]*\$", text), page.name
        assert not re.search(r"\\(?:times|text|lfloor|frac|le|begin)\b", text), page.name


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alts: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


def image_alts(page: str) -> list[str | None]:
    """The alt attribute of every ``<img>`` of a page, in order (None where missing)."""
    parser = _Images()
    parser.feed(page)
    return parser.alts


def test_picture_outputs_carry_the_alt_text_of_their_metadata():
    alt = 'A 5×5 input, the 3×3 window "highlighted" at (0, 0)'
    outputs = [
        new_output(
            "display_data", data={"image/png": _png()}, metadata={"image/png": {"alt": alt}}
        ),
        new_output(
            "display_data", data={"image/jpeg": _png()}, metadata={"image/jpeg": {"alt": "j"}}
        ),
    ]
    nb = new_notebook(cells=[new_code_cell("show(fig, alt=...)", outputs=outputs)])
    body, _ = site.exporter().from_notebook_node(nb)
    assert image_alts(body) == [alt, "j"]


def test_contrast_ratio_follows_wcag_and_readable_colours_reach_it():
    assert site.contrast_ratio("#000", "#ffffff") == pytest.approx(21)
    assert site.contrast_ratio("#777777", "#fff") == pytest.approx(4.48, abs=0.01)
    assert site.contrast_ratio("rgb(0, 135, 0)", "#ffdddd") == pytest.approx(3.72, abs=0.01)
    for colour in ("#60c6c8", "#ddb62b", "#aa22ff", "#008800", "#ffffff"):
        darker = site.readable(colour, "#ffdddd")
        assert site.contrast_ratio(darker, "#ffdddd") >= 4.5
        assert site.contrast_ratio(site.readable(colour, "#ffdddd", 4.0), "#ffdddd") < 4.5 + 0.2
    assert site.readable("#1a5fb4", "#ffffff") == "#1a5fb4"  # readable already: unchanged


def test_theme_colours_are_overridden_with_readable_ones():
    css = site.theme_css(site.exporter().template_paths)
    for name, colour in re.findall(r"(--jp-mirror-editor-[\w-]+-color): (#\w{6})", css):
        assert site.contrast_ratio(colour, site.EDITOR_BACKGROUND) >= 4.5, name
    ansi = re.findall(r"\.ansi-([a-z-]+)-fg \{ color: (#\w{6})", css)
    assert len(ansi) >= 16  # eight colours, normal and intense
    for name, colour in ansi:
        assert site.contrast_ratio(colour, site.ERROR_BACKGROUND) >= 4.5, name
    inline = site.readable_inline_colours('<span style="color: rgb(96,198,200)">Cell</span>')
    found = re.search(r'color: (#\w{6})"', inline)[1]
    assert site.contrast_ratio(found, site.ERROR_BACKGROUND) >= 4.5


def test_landmarks_are_named_apart_and_empty_header_cells_head_nothing(repo, tmp_path):
    out = tmp_path / "out"
    (repo / "notebooks" / "02_second.ipynb").write_text(
        nbformat.writes(
            new_notebook(cells=[new_markdown_cell("# 02 · Second\n\n| | a |\n|--|--|\n| b | 1 |")])
        )
    )
    site.build(out, repo / "notebooks", repo)
    page = (out / "02_second.html").read_text(encoding="utf-8")
    labels = re.findall(r'<nav [^>]*aria-label="([^"]+)"', page)
    assert len(labels) == 2 and len(set(labels)) == 2
    assert "<th></th>" not in page and "<td></td>" in page and "<th>a</th>" in page
