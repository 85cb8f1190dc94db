"""Build a static HTML site of the series from the committed, executed notebooks.

Nothing is executed: every page shows the outputs stored in the notebooks, so each explorer
shows the picture and formula it left in its ``text/html`` output. Pages:

- ``index.html`` -- the README, the front page;
- ``NN_name.html`` -- the lessons, in file-name order, each with previous / next links;
- ``gallery/index.html`` -- the animation gallery (``docs/gallery/``), its GIFs beside it;
- ``files/...`` -- any other repository file a page links to (figures such as
  ``bench/results/scaling.png``), copied so that no internal link is broken.

Built with nbconvert's ``HTMLExporter`` (JupyterLab template), which works offline; the
template's CDN scripts (require.js, MathJax, mermaid, the widget manager) are left out, so
the pages load nothing from the network. Instead of MathJax, every ``$...$`` and ``$$...$$``
span of the markdown (markdown cells, ``text/markdown`` outputs) is converted at build time by
``latex2mathml`` into MathML (:class:`MathRenderer`), which the browser draws and a screen
reader reads as maths; a span it cannot convert is shown as ``<code class="math-fallback">``
and counted. Links between notebooks (``02_pooling.ipynb``) become links between pages
(``02_pooling.html``).

Accessibility (WCAG 2.1 AA, checked by axe-core in the browser tests): every picture output
carries the alt text stored in its metadata (``{"image/png": {"alt": ...}}``, which the lab
template of nbconvert does not read, so :data:`TEMPLATE` writes it); :data:`CSS` gives prompts,
highlighted code and coloured error output at least 4.5:1 contrast, underlines links in text,
and names the two navigation landmarks apart.

Usage::

    python tools/build_site.py                    # into build/site/ (git-ignored)
    python tools/build_site.py --out /tmp/site    # elsewhere
    python tools/build_site.py --notebooks /tmp/executed   # notebooks from another folder
"""

from __future__ import annotations

import argparse
import html
import os
import posixpath
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jinja2 import DictLoader, pass_context
from latex2mathml.converter import convert as latex_to_mathml
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat.v4 import new_markdown_cell, new_notebook

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "build" / "site"
#: A file in every built site; a non-empty ``--out`` folder without it is not overwritten.
MARKER = ".built-by-build_site"
LESSON = re.compile(r"^(\d\d)_\w+\.ipynb$")
#: Output mimetypes in order of preference: the static picture (``text/html``) before the
#: widget view, which needs widget state and a CDN script that a static page does not have.
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/latex",
    "image/png",
    "image/jpeg",
    "text/plain",
]
#: The site template: JupyterLab's, without CDN scripts, with a navigation bar.
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style type="text/css">{{ resources.site_css }}</style>{%- endblock -%}
{%- block input scoped -%}
<div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor" data-type="inline">
<div class="cm-editor cm-s-jupyter">
{{ cell.source | highlight_code(metadata=cell.metadata) }}
</div>
</div>
{%- endblock input -%}
{%- block data_png scoped -%}
{%- set alt = output.metadata.get('image/png', {}).get('alt') or cell.metadata.get('alt') -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- if alt %} alt="{{ alt | escape_html }}"{% endif %}>
</div>
{%- endblock data_png -%}
{%- block data_jpg scoped -%}
{%- set alt = output.metadata.get('image/jpeg', {}).get('alt') or cell.metadata.get('alt') -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/jpeg;base64,{{ output.data['image/jpeg'] | escape_html }}"
{%- if alt %} alt="{{ alt | escape_html }}"{% endif %}>
</div>
{%- endblock data_jpg -%}
{%- block body_header -%}
{{ super() }}
{{ resources.site_nav_top }}
{%- endblock body_header -%}
{%- block body_footer -%}
{{ resources.site_nav_bottom }}
{{ super() }}
{%- endblock body_footer -%}
"""
CSS = """
nav.site-nav { font-family: sans-serif; font-size: 14px; padding: 8px 16px; background: #f3f3f3;
  border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap; gap: 4px 14px; }
nav.site-nav.bottom { border-top: 1px solid #ddd; border-bottom: none; margin-top: 24px; }
nav.site-nav a { color: #1a5fb4; text-decoration: none; }
nav.site-nav a:hover, nav.site-nav a:focus { text-decoration: underline; }
nav.site-nav a[aria-current="page"] { font-weight: bold; color: #222; }
main { max-width: 1100px; margin: 0 auto; }
math { font-size: 1.15em; }
math[display="block"] { margin: 0.6em 0; }
code.math-fallback { color: #a40000; }
body .jp-RenderedHTMLCommon a:link, body .jp-RenderedHTMLCommon a:visited {
  text-decoration: underline; }
.jp-InputPrompt, .jp-OutputPrompt, .jp-InputArea-prompt, .jp-OutputArea-prompt {
  opacity: 1 !important; }
"""
#: Text must stand out from its background by this contrast ratio (WCAG 2.1 AA, normal text).
MIN_CONTRAST = 4.5
#: Backgrounds the theme's colours are read on: code cells, and error output (the lightest
#: output background that coloured text of an output can sit on is white, the darkest this).
EDITOR_BACKGROUND, ERROR_BACKGROUND = "#f5f5f5", "#ffdddd"
#: Theme declarations whose colour is text: CSS variables, and the ANSI colour classes.
THEME_COLOUR = re.compile(
    r"(?P<name>--jp-(?:mirror-editor-[\w-]+|cell-(?:in|out)prompt-font|cell-prompt-not-active-font)"
    r"-color):\s*(?P<value>#[0-9a-fA-F]{3,6}|rgb\([\d,\s]+\))"
)
ANSI_COLOUR = re.compile(
    r"(?P<name>\.jp-RenderedText pre \.ansi-[a-z-]+-fg)\s*\{\s*color:\s*(?P<value>#[0-9a-fA-F]{6})"
)
INLINE_COLOUR = re.compile(r'style="color: rgb\((\d+),\s*(\d+),\s*(\d+)\)"')


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rgb``, ``#rrggbb`` or ``rgb(r, g, b)`` as three integers 0..255."""
    if colour.startswith("rgb("):
        red, green, blue = (int(v) for v in colour[4:-1].split(","))
        return red, green, blue
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def relative_luminance(colour: tuple[int, int, int]) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour (0 black .. 1 white)."""
    linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(one: str | tuple, two: str | tuple) -> float:
    """WCAG 2.1 contrast ratio of two colours, from 1 (same) to 21 (black on white).

    Examples
    --------
    >>> round(contrast_ratio("#000", "#fff"), 1)
    21.0
    """
    lum = sorted(relative_luminance(rgb(c) if isinstance(c, str) else c) for c in (one, two))
    return (lum[1] + 0.05) / (lum[0] + 0.05)


def readable(colour: str, background: str, minimum: float = MIN_CONTRAST) -> str:
    """``colour``, darkened towards black (hue kept) until it has ``minimum`` contrast.

    Returns
    -------
    str
        ``#rrggbb``; the colour itself when it is readable already.

    Examples
    --------
    >>> readable("#008800", "#f5f5f5")
    '#008300'
    >>> readable("#000000", "#ffffff")
    '#000000'
    """
    red, green, blue = rgb(colour)
    for step in range(256):
        scale = 1 - step / 255
        darker = (round(red * scale), round(green * scale), round(blue * scale))
        if contrast_ratio(darker, background) >= minimum:
            return "#{:02x}{:02x}{:02x}".format(*darker)
    return "#000000"


def theme_css(template_paths: list[str]) -> str:
    """CSS overriding each text colour of the lab theme that is too faint, with a darker one.

    Reads the theme (``theme-light.css``) and the ANSI classes (``index.css``) of nbconvert's
    lab template, so an upgrade's new colours are checked too. Code colours are made readable
    on the code cell background, prompts on white, ANSI colours on the error background.
    """
    rules, variables = [], []
    for folder in template_paths:
        static = Path(folder) / "lab" / "static"
        if (static / "theme-light.css").is_file():
            theme = (static / "theme-light.css").read_text(encoding="utf-8")
            for match in THEME_COLOUR.finditer(theme):
                background = EDITOR_BACKGROUND if "mirror" in match["name"] else "#ffffff"
                variables.append(f"{match['name']}: {readable(match['value'], background)};")
            index = (static / "index.css").read_text(encoding="utf-8")
            for match in ANSI_COLOUR.finditer(index):
                colour = readable(match["value"], ERROR_BACKGROUND)
                rules.append(f"body {match['name']} {{ color: {colour}; }}")
            break
    return ":root:root { " + " ".join(variables) + " }\n" + "\n".join(rules) + "\n"


def readable_inline_colours(text: str) -> str:
    """Darken each ``style="color: rgb(...)"`` (coloured tracebacks) to readable on errors."""

    def replace(match: re.Match) -> str:
        colour = "rgb({},{},{})".format(*match.groups())
        return f'style="color: {readable(colour, ERROR_BACKGROUND)}"'

    return INLINE_COLOUR.sub(replace, text)


@dataclass(frozen=True)
class Page:
    """One page of the site: where it comes from, where it goes, its title."""

    source: Path  # a notebook or a markdown file, absolute
    target: str  # POSIX path inside the site, e.g. "02_pooling.html"
    title: str
    label: str  # short name in the navigation bar


def notebook_title(path: Path) -> str:
    """The text of the notebook's first level-1 heading, else its file stem.

    Parameters
    ----------
    path : Path

    Returns
    -------
    str
        For example ``"02 · Pooling"``.
    """
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def plan_pages(notebooks: Path, root: Path = REPO_ROOT) -> list[Page]:
    """Every page of the site in navigation order: front page, lessons, gallery.

    Parameters
    ----------
    notebooks : Path
        Folder of the lesson notebooks (``NN_name.ipynb``).
    root : Path, default=REPO_ROOT
        The repository (``README.md``, ``docs/gallery/``).

    Returns
    -------
    list of Page
    """
    pages = [Page(root / "README.md", "index.html", "Convolution Arithmetic", "Contents")]
    for path in sorted(notebooks.glob("*.ipynb")):
        if LESSON.match(path.name):
            label = path.name[:2]
            pages.append(Page(path, f"{path.stem}.html", notebook_title(path), label))
    gallery = root / "docs" / "gallery" / "README.md"
    if gallery.is_file():
        pages.append(Page(gallery, "gallery/index.html", "Animation gallery", "Gallery"))
    return pages


def site_path(repo_path: str, pages: list[Page], root: Path, notebooks: Path) -> str | None:
    """Where a repository file lives in the site (POSIX), or None if it does not exist.

    Parameters
    ----------
    repo_path : str
        Normalised POSIX path relative to ``root`` (a lesson may sit in ``notebooks``).
    pages : list of Page
    root, notebooks : Path

    Returns
    -------
    str or None
        A page's target for a page source; ``gallery/<name>`` for a gallery file;
        ``files/<repo_path>`` for any other file; ``index.html`` for a folder.
    """
    path = root / repo_path
    for page in pages:
        if page.source.resolve() == path.resolve():
            return page.target
        if page.source.suffix == ".ipynb" and path.name == page.source.name:
            if path.parent.resolve() in (notebooks.resolve(), (root / "notebooks").resolve()):
                return page.target
    if repo_path.startswith("docs/gallery/") and path.is_file():
        return "gallery/" + repo_path.removeprefix("docs/gallery/")
    if path.is_dir():
        return "index.html"
    if path.is_file():
        return "files/" + repo_path
    return None


HREF = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>[^"]*)"')


def rewrite_links(text: str, page: Page, pages: list[Page], root: Path, notebooks: Path):
    """Point the relative links of one page at the site's pages and copied files.

    Parameters
    ----------
    text : str
        The page's HTML.
    page : Page
        The page, whose source folder the links are relative to.
    pages : list of Page
    root, notebooks : Path

    Returns
    -------
    text : str
        The HTML with every relative link rewritten (fragments kept).
    files : set of str
        Repository paths of the files to copy into ``files/`` or ``gallery/``.
    """
    files: set[str] = set()
    if page.source.suffix == ".ipynb":
        base = "notebooks"  # the lessons' links are written relative to notebooks/
    else:
        base = page.source.parent.relative_to(root).as_posix()
    here = posixpath.dirname(page.target)

    def replace(match: re.Match) -> str:
        url = html.unescape(match["url"])
        if not url or url.startswith(("#", "data:", "mailto:")) or re.match(r"^\w+://", url):
            return match[0]
        path, _, fragment = url.partition("#")
        repo_path = posixpath.normpath(posixpath.join(base, path))
        target = site_path(repo_path, pages, root, notebooks)
        if target is None:
            return match[0]
        if target.startswith(("files/", "gallery/")) and not target.endswith(".html"):
            files.add(repo_path)
        new = posixpath.relpath(target, here or ".") + (f"#{fragment}" if fragment else "")
        return f'{match["attr"]}="{html.escape(new, quote=True)}"'

    return HREF.sub(replace, text), files


def navigation(page: Page, pages: list[Page], *, bottom: bool = False) -> str:
    """The navigation bar of a page: every page on top; previous, contents, next below.

    Parameters
    ----------
    page : Page
    pages : list of Page
    bottom : bool, default=False

    Returns
    -------
    str
        A ``<nav class="site-nav">`` element; links relative to the page.
    """
    here = posixpath.dirname(page.target) or "."

    def link(other: Page, text: str, rel: str = "") -> str:
        href = posixpath.relpath(other.target, here)
        current = ' aria-current="page"' if other == page else ""
        rel_attr = f' rel="{rel}"' if rel else ""
        return f'<a href="{href}"{current}{rel_attr}>{html.escape(text)}</a>'

    if not bottom:
        items = [link(other, other.label, "") for other in pages]
        return '<nav class="site-nav top" aria-label="All pages">' + " ".join(items) + "</nav>"
    index = pages.index(page)
    items = []
    if index > 0:
        items.append(link(pages[index - 1], f"← {pages[index - 1].title}", "prev"))
    items.append(link(pages[0], "Contents", ""))
    if index + 1 < len(pages):
        items.append(link(pages[index + 1], f"{pages[index + 1].title} →", "next"))
    return (
        '<nav class="site-nav bottom" aria-label="Previous and next page">'
        + " | ".join(items)
        + "</nav>"
    )


#: Text of a MathML token element that is a TeX command, which the converter did not know.
_UNKNOWN_COMMAND = re.compile(r">[^<]*\\[A-Za-z]")


@dataclass
class MathRenderer:
    r"""Converts TeX maths spans into MathML, which the browser draws and a screen reader reads.

    The converter is ``latex2mathml`` (pure Python, run at build time, so a page needs no
    script). A span it cannot convert -- it raises, or it leaves a TeX command it does not know
    as text -- is shown as ``<code class="math-fallback">`` with its dollars and counted.
    Spans are cached by their TeX.

    Attributes
    ----------
    fallbacks : list of str
        Every span that could not be converted.
    cache : dict
        ``(tex, display) -> html`` of the spans converted so far.

    Examples
    --------
    >>> maths = MathRenderer()
    >>> maths.html(r"3\times 3")
    '<math display="inline"><mrow><mn>3</mn><mo>&#x000D7;</mo><mn>3</mn></mrow></math>'
    >>> maths.fallbacks
    []
    """

    fallbacks: list[str] = field(default_factory=list)
    cache: dict[tuple[str, bool], str] = field(default_factory=dict)

    def html(self, tex: str, display: bool = False) -> str:
        """The HTML of one span: a ``<math>`` element, or a ``math-fallback`` code element.

        Parameters
        ----------
        tex : str
            The TeX between the dollars.
        display : bool, default=False
            ``$$...$$``: a block of its own (``display="block"``), centred.

        Returns
        -------
        str
        """
        key = (tex, display)
        if key not in self.cache:
            self.cache[key] = self._convert(tex, display)
        return self.cache[key]

    def _convert(self, tex: str, display: bool) -> str:
        try:
            mathml = latex_to_mathml(tex, display="block" if display else "inline")
        except Exception:  # latex2mathml's own errors: missing argument, unbalanced braces, ...
            mathml = None
        if mathml is None or not tex.strip() or _UNKNOWN_COMMAND.search(mathml):
            self.fallbacks.append(tex)
            dollars = "$$" if display else "$"
            return f'<code class="math-fallback">{dollars}{html.escape(tex)}{dollars}</code>'
        # HTML knows the MathML namespace; an ampersand the converter left bare is escaped.
        mathml = mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1)
        return re.sub(r"&(?!#?\w+;)", "&amp;", mathml)


class MathMarkdownRenderer(IPythonRenderer):
    """nbconvert's markdown renderer with maths drawn by a :class:`MathRenderer`."""

    def __init__(self, maths: MathRenderer, **options):
        super().__init__(**options)
        self.maths = maths

    def inline_math(self, body: str) -> str:
        """``$...$``: an inline drawing."""
        return self.maths.html(body)

    def block_math(self, body: str) -> str:
        """``$$...$$``: a drawing on its own line."""
        return self.maths.html(body, display=True)

    def latex_environment(self, name: str, body: str) -> str:
        r"""``\begin{name}...\end{name}`` outside dollars: drawn as display maths."""
        return self.maths.html(rf"\begin{{{name}}}{body}\end{{{name}}}", display=True)


class SiteExporter(HTMLExporter):
    """nbconvert's HTML exporter; the maths of markdown drawn as inline SVG.

    Markdown is what markdown cells hold and ``text/markdown`` outputs (JupyterLab draws their
    maths too); code, ``text/plain`` and ``text/html`` never pass through :meth:`markdown2html`,
    so a ``$`` there stays as written.
    """

    maths: MathRenderer | None = None

    @pass_context
    def markdown2html(self, context, source):
        """Markdown to HTML, its maths drawn by :attr:`maths`."""
        cell = context.get("cell", {})
        if self.maths is None:
            return super().markdown2html(context, source)
        renderer = MathMarkdownRenderer(
            self.maths,
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        return MarkdownWithMath(renderer=renderer).render(source)


def exporter(maths: MathRenderer | None = None) -> SiteExporter:
    """The site's HTML exporter: template, static display priority, maths drawn by ``maths``.

    Parameters
    ----------
    maths : MathRenderer, optional
        A new one by default.

    Returns
    -------
    SiteExporter
    """
    result = SiteExporter(
        extra_loaders=[DictLoader({"site.html.j2": TEMPLATE})],
        template_file="site.html.j2",
    )
    result.display_data_priority = list(DISPLAY_PRIORITY)
    result.maths = MathRenderer() if maths is None else maths
    return result


def page_notebook(page: Page):
    """The notebook of a page: the lesson, or a markdown file as one cell (with a fixed id)."""
    if page.source.suffix == ".ipynb":
        return nbformat.read(page.source, as_version=4)
    text = page.source.read_text(encoding="utf-8")
    return new_notebook(cells=[new_markdown_cell(text, id="page")], metadata={"title": page.title})


def render(page: Page, pages: list[Page], html_exporter: HTMLExporter) -> str:
    """The HTML of one page (links not yet rewritten)."""
    nb = page_notebook(page)
    nb.metadata["title"] = page.title
    resources = {
        "metadata": {"name": page.title},
        "site_css": CSS + theme_css(html_exporter.template_paths),
        "site_nav_top": navigation(page, pages),
        "site_nav_bottom": navigation(page, pages, bottom=True),
    }
    body, _ = html_exporter.from_notebook_node(nb, resources=resources)
    # an empty header cell (a table's corner) heads nothing: a screen reader skips a data cell
    body = re.sub(r"<th(\s[^>]*)?></th>", r"<td\1></td>", body)
    return readable_inline_colours(body)


def prepare_out(out: Path) -> None:
    """Empty ``out`` if it is a site built before (or empty); refuse any other folder."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise SystemExit(f"--out {out} is not empty and not a site built by this script")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Generated by tools/build_site.py; safe to delete.\n")


def build(
    out: Path, notebooks: Path, root: Path = REPO_ROOT, *, maths: MathRenderer | None = None
) -> list[Path]:
    """Build the whole site into ``out``.

    Parameters
    ----------
    out : Path
        Emptied first (see :func:`prepare_out`).
    notebooks : Path
        Folder of the executed lesson notebooks.
    root : Path, default=REPO_ROOT
    maths : MathRenderer, optional
        Draws the maths; pass one to read its ``fallbacks`` afterwards.

    Returns
    -------
    list of Path
        The HTML pages written, in navigation order.
    """
    prepare_out(out)
    pages = plan_pages(notebooks, root)
    html_exporter = exporter(maths)
    written, files = [], set()
    for page in pages:
        text, needed = rewrite_links(
            render(page, pages, html_exporter), page, pages, root, notebooks
        )
        files |= needed
        target = out / page.target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    gallery = root / "docs" / "gallery"
    if gallery.is_dir():
        files |= {f"docs/gallery/{path.name}" for path in gallery.glob("*.gif")}
    for repo_path in sorted(files):
        target = out / site_path(repo_path, pages, root, notebooks)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / repo_path, target)
    return written


def main(argv: list[str] | None = None) -> int:
    """Build the site and print its pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder (build/site/)")
    parser.add_argument(
        "--notebooks", type=Path, default=REPO_ROOT / "notebooks", help="lesson notebooks"
    )
    args = parser.parse_args(argv)
    maths = MathRenderer()
    pages = build(args.out.resolve(), args.notebooks.resolve(), maths=maths)
    for page in pages:
        print(os.path.relpath(page, args.out.resolve()))
    for tex in maths.fallbacks:
        print(f"maths shown as TeX source (latex2mathml cannot convert it): ${tex}$")
    print(f"{len(maths.cache)} distinct maths spans as MathML, {len(maths.fallbacks)} fallbacks")
    index = args.out.resolve() / "index.html"
    print(f"{len(pages)} pages in {args.out}; open file://{index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
