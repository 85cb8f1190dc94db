"""Build a static HTML site of the series from the committed, executed notebooks.

Nothing is executed: every page shows the outputs stored in the notebooks, so each explorer
shows the picture and formula it left in its ``text/html`` output (issue 16.1). Pages:

- ``index.html`` -- the README, the front page;
- ``NN_name.html`` -- the lessons, in file-name order, each with previous / next links;
- ``gallery/index.html`` -- the animation gallery (``docs/gallery/``), its GIFs beside it;
- ``files/...`` -- any other repository file a page links to (figures such as
  ``bench/results/scaling.png``), copied so that no internal link is broken.

Built with nbconvert's ``HTMLExporter`` (JupyterLab template), which works offline; the
template's CDN scripts (require.js, MathJax, mermaid, the widget manager) are left out, so
the pages load nothing from the network. Instead of MathJax, every ``$...$`` and ``$$...$$``
span of the markdown (markdown cells, ``text/markdown`` outputs) is drawn at build time with
matplotlib's mathtext into an inline SVG (:class:`MathRenderer`), its TeX as the accessible
label; a span mathtext cannot draw is shown as ``<code class="math-fallback">`` and counted.
Links between notebooks (``02_pooling.ipynb``) become links between pages (``02_pooling.html``).

Usage::

    python tools/build_site.py                    # into build/site/ (git-ignored)
    python tools/build_site.py --out /tmp/site    # elsewhere
    python tools/build_site.py --notebooks /tmp/executed   # notebooks from another folder
"""

from __future__ import annotations

import argparse
import html
import logging
import math
import os
import posixpath
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np
from jinja2 import DictLoader, pass_context
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextToPath
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
nav.site-nav a[aria-current="page"] { font-weight: bold; color: #222; }
main { max-width: 1100px; margin: 0 auto; }
svg.math { display: inline-block; overflow: visible; }
span.math-display { display: block; text-align: center; margin: 0.6em 0; }
code.math-fallback { color: #a40000; }
"""


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
        return '<nav class="site-nav top">' + " ".join(items) + "</nav>"
    index = pages.index(page)
    items = []
    if index > 0:
        items.append(link(pages[index - 1], f"← {pages[index - 1].title}", "prev"))
    items.append(link(pages[0], "Contents", ""))
    if index + 1 < len(pages):
        items.append(link(pages[index + 1], f"{pages[index + 1].title} →", "next"))
    return '<nav class="site-nav bottom">' + " | ".join(items) + "</nav>"


#: Font units per em of the maths drawings, the mathtext font set, and how many em of the page
#: one em of maths takes (Computer Modern looks small beside the page's sans-serif).
EM, MATH_FONT, MATH_SCALE = 100, "cm", 1.15
#: Height of the maths axis (the middle of a minus sign) above the baseline, in font units.
AXIS = 25
_NOT_LETTER = r"(?![A-Za-z])"
#: TeX that mathtext lacks, rewritten into TeX it has: (pattern, replacement), in this order.
TEX_REWRITES = [
    (r"\\(?:big|Big|bigg|Bigg)[lrm]?" + _NOT_LETTER, ""),  # sized delimiters: normal size
    (r"\\(?:display|text|script)style" + _NOT_LETTER, ""),
    (r"\\le" + _NOT_LETTER, r"\\leq"),
    (r"\\ge" + _NOT_LETTER, r"\\geq"),
    (r"\\[td]frac" + _NOT_LETTER, r"\\frac"),
    (r"\\[lr]vert" + _NOT_LETTER, "|"),
    (r"\\[lr]Vert" + _NOT_LETTER, r"\\|"),
    (r"\\pmod\s*(\{[^{}]*\}|\\[A-Za-z]+|[^\s\\])", r"\\;(\\mathrm{mod}\\;\1)"),
    (r"\\b?mod" + _NOT_LETTER, r"\\;\\mathrm{mod}\\;"),
    (r"\\textbf" + _NOT_LETTER, r"\\mathbf"),
    (r"\\texttt" + _NOT_LETTER, r"\\mathtt"),
    (r"\\(?:textit|emph)" + _NOT_LETTER, r"\\mathit"),
    (r"\\&", "&"),
]
#: A matrix without delimiters, which mathtext cannot typeset: laid out cell by cell instead.
MATRIX = re.compile(r"\\begin\{(smallmatrix|matrix)\}(.*?)\\end\{\1\}", re.DOTALL)
_SVG_CODES = {MplPath.MOVETO: "M", MplPath.LINETO: "L", MplPath.CURVE3: "Q", MplPath.CURVE4: "C"}


def _argument(tex: str, start: int) -> tuple[str, int]:
    """One TeX argument at ``tex[start:]``: a braced group, a command (with its group), a char."""
    i = start
    while i < len(tex) and tex[i].isspace():
        i += 1
    if i == len(tex):
        raise ValueError(f"missing argument in {tex!r}")
    if tex[i] == "{":
        depth = 0
        for j in range(i, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[j], 0) if tex[j - 1] != "\\" or j == i else 0
            if depth == 0:
                return tex[i + 1 : j], j + 1
        raise ValueError(f"unbalanced braces in {tex!r}")
    command = re.match(r"\\[A-Za-z]+|\\.", tex[i:])
    if command is None:
        return tex[i], i + 1
    end = i + command.end()
    if tex.startswith("{", end):
        _, end = _argument(tex, end)
    return tex[i:end], end


def mathtext_tex(tex: str) -> str:
    r"""Rewrite TeX into the subset matplotlib's mathtext parses.

    Parameters
    ----------
    tex : str
        The inside of a ``$...$`` span, e.g. ``r"k \le 6"``.

    Returns
    -------
    str
        One line; the commands of :data:`TEX_REWRITES` replaced, and
        ``\underbrace{A}_{B}`` written as ``\underset{B}{A}`` (no brace drawn).

    Examples
    --------
    >>> mathtext_tex(r"a \bmod s \le 2")
    'a \\;\\mathrm{mod}\\; s \\leq 2'
    """
    tex = " ".join(tex.split())
    for pattern, replacement in TEX_REWRITES:
        tex = re.sub(pattern, replacement, tex)
    while (start := tex.find(r"\underbrace")) >= 0:
        body, end = _argument(tex, start + len(r"\underbrace"))
        rest = tex[end:].lstrip()
        if rest.startswith("_"):
            under, after = _argument(rest, 1)
            tex = tex[:start] + rf"\underset{{{under}}}{{{body}}}" + rest[after:]
        else:
            tex = tex[:start] + "{" + body + "}" + tex[end:]
    return tex


@dataclass(frozen=True)
class Box:
    """Outlines of drawn maths, in font units (``EM`` per em), baseline at y = 0, y upwards."""

    verts: np.ndarray  # (n, 2)
    codes: np.ndarray  # (n,) matplotlib path codes
    width: float
    ascent: float
    descent: float

    def moved(self, dx: float, dy: float, scale: float = 1.0) -> np.ndarray:
        """The vertices scaled by ``scale``, then shifted by ``(dx, dy)``."""
        return self.verts * scale + (dx, dy)


def _stack(parts: list[tuple[Box, float, float, float]], width: float, ascent: float) -> Box:
    """One box of ``(box, dx, dy, scale)`` parts, ``width`` wide, ``ascent`` high."""
    verts = [box.moved(dx, dy, scale) for box, dx, dy, scale in parts]
    codes = [box.codes for box, *_ in parts]
    descent = max([0.0] + [scale * box.descent - dy for box, _, dy, scale in parts])
    return Box(
        np.concatenate(verts or [np.empty((0, 2))]),
        np.concatenate(codes or [np.empty(0, np.uint8)]),
        width,
        ascent,
        descent,
    )


def svg_path_data(box: Box) -> str:
    """The SVG ``d`` attribute of a box's outlines (y flipped), to 0.1 font unit."""

    def number(value: float) -> str:
        text = f"{value:.1f}".removesuffix(".0")
        return "0" if text == "-0" else text

    parts = []
    for points, code in MplPath(box.verts, box.codes).iter_segments(simplify=False):
        if code == MplPath.CLOSEPOLY:
            parts.append("Z")
        else:
            xy = np.asarray(points).reshape(-1, 2) * (1, -1)
            parts.append(_SVG_CODES[code] + " ".join(number(v) for v in xy.ravel()))
    return "".join(parts)


class _GlyphWarnings(logging.Handler):
    """Collects mathtext's warnings (a glyph missing from the font) while a span is drawn."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class MathRenderer:
    r"""Draws TeX maths spans as inline SVG with matplotlib's mathtext, offline.

    Each span becomes one ``<svg class="math" role="img">`` holding a single outline path
    (no ids, no metadata, so a build is byte-identical to the last), sized in em units of the
    surrounding text and lowered by the depth mathtext reports, so its baseline is the
    text's; the TeX is its ``aria-label`` and ``<title>``. Spans are cached by their TeX.

    Attributes
    ----------
    fallbacks : list of str
        Every span mathtext could not draw (shown as ``<code class="math-fallback">``).
    cache : dict
        ``(tex, display) -> html`` of the spans drawn so far.

    Examples
    --------
    >>> maths = MathRenderer()
    >>> maths.html(r"3\times 3").startswith('<svg class="math" role="img" aria-label="3\\times 3"')
    True
    >>> maths.fallbacks
    []
    """

    fallbacks: list[str] = field(default_factory=list)
    cache: dict[tuple[str, bool], str] = field(default_factory=dict)

    def __post_init__(self):
        """The font (``EM`` points, the mathtext font set) and the outline converter."""
        self._prop = FontProperties(size=EM, math_fontfamily=MATH_FONT)
        self._paths = TextToPath()

    def _text_box(self, tex: str) -> Box | None:
        """A mathtext drawing of ``tex`` (None if blank); ValueError if mathtext cannot."""
        if not tex.strip():
            return None
        source = f"${tex}$"
        logger, warnings = logging.getLogger("matplotlib._mathtext"), _GlyphWarnings()
        logger.addHandler(warnings)
        try:
            width, height, depth, *_ = self._paths.mathtext_parser.parse(source, 72, self._prop)
            verts, codes = self._paths.get_text_path(self._prop, source, ismath=True)
        except Exception as error:  # pyparsing's errors, and a few others of mathtext
            raise ValueError(str(error).splitlines()[-1] if str(error) else repr(error)) from None
        finally:
            logger.removeHandler(warnings)
        if warnings.messages:
            raise ValueError(warnings.messages[0])
        verts = np.asarray(verts, dtype=float).reshape(-1, 2)
        return Box(verts, np.asarray(codes, np.uint8), width, height - depth, depth)

    def _matrix_box(self, body: str, scale: float) -> Box:
        """A matrix without delimiters: cells centred in columns, centred on the maths axis."""
        rows = [row.split("&") for row in body.split(r"\\") if row.strip()]
        cells = [[self._text_box(cell) for cell in row] for row in rows]
        n_cols = max(len(row) for row in cells)
        widths = [
            max((row[j].width for row in cells if j < len(row) and row[j]), default=0)
            for j in range(n_cols)
        ]
        ascents = [max([0.7 * EM] + [c.ascent for c in row if c]) for row in cells]
        descents = [max([0.3 * EM] + [c.descent for c in row if c]) for row in cells]
        gap, sep = 0.15 * EM, 0.5 * EM
        height = scale * (sum(ascents) + sum(descents) + gap * (len(rows) - 1))
        top = AXIS + height / 2
        parts, y = [], top
        for row, ascent, descent in zip(cells, ascents, descents, strict=True):
            y -= scale * ascent
            x = 0.0
            for j, cell in enumerate(row):
                if cell is not None:
                    parts.append((cell, x + scale * (widths[j] - cell.width) / 2, y, scale))
                x += scale * (widths[j] + sep)
            y -= scale * (descent + gap)
        width = scale * (sum(widths) + sep * (n_cols - 1))
        return _stack(parts, width, top)

    def box(self, tex: str) -> Box:
        """The drawing of one span (after :func:`mathtext_tex`); ValueError if impossible."""
        tex = mathtext_tex(tex)
        pieces, start = [], 0
        for match in MATRIX.finditer(tex):
            pieces.append(self._text_box(tex[start : match.start()]))
            pieces.append(self._matrix_box(match[2], 0.8 if match[1] == "smallmatrix" else 1))
            start = match.end()
        pieces = [piece for piece in [*pieces, self._text_box(tex[start:])] if piece]
        if not pieces:
            raise ValueError("empty formula")
        if len(pieces) == 1:
            return pieces[0]
        parts, x = [], 0.0
        for piece in pieces:
            parts.append((piece, x, 0.0, 1.0))
            x += piece.width + 0.25 * EM
        return _stack(parts, x - 0.25 * EM, max(piece.ascent for piece in pieces))

    def html(self, tex: str, display: bool = False) -> str:
        """The HTML of one span: an inline SVG, or a ``math-fallback`` code element.

        Parameters
        ----------
        tex : str
            The TeX between the dollars.
        display : bool, default=False
            ``$$...$$``: the drawing centred on a line of its own.

        Returns
        -------
        str
        """
        key = (tex, display)
        if key not in self.cache:
            self.cache[key] = self._draw(tex, display)
        return self.cache[key]

    def _draw(self, tex: str, display: bool) -> str:
        dollars = "$$" if display else "$"
        label = html.escape(" ".join(tex.split()), quote=True)
        try:
            box = self.box(tex)
        except ValueError:
            self.fallbacks.append(tex)
            return f'<code class="math-fallback">{dollars}{html.escape(tex)}{dollars}</code>'
        top, height = math.floor(-box.ascent), math.ceil(box.ascent + box.descent)
        width = math.ceil(box.width)

        def em(units: float) -> str:
            return f"{units * MATH_SCALE / EM:.3f}em"

        svg = (
            f'<svg class="math" role="img" aria-label="{label}" viewBox="0 {top} {width} '
            f'{height}" style="width:{em(width)};height:{em(height)};vertical-align:'
            f'{em(-height - top)}"><title>{label}</title>'
            f'<path fill="currentColor" d="{svg_path_data(box)}"/></svg>'
        )
        return f'<span class="math-display">{svg}</span>' if display else svg


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
        "site_css": CSS,
        "site_nav_top": navigation(page, pages),
        "site_nav_bottom": navigation(page, pages, bottom=True),
    }
    body, _ = html_exporter.from_notebook_node(nb, resources=resources)
    return body


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
        print(f"maths shown as TeX source (mathtext cannot draw it): ${tex}$")
    print(f"{len(maths.cache)} distinct maths spans drawn, {len(maths.fallbacks)} fallbacks")
    index = args.out.resolve() / "index.html"
    print(f"{len(pages)} pages in {args.out}; open file://{index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
