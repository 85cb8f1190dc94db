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
the pages load nothing from the network (formulas in markdown show as TeX source). Links
between notebooks (``02_pooling.ipynb``) become links between pages (``02_pooling.html``).

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
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
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


def exporter() -> HTMLExporter:
    """nbconvert's HTML exporter with the site template and the static display priority."""
    result = HTMLExporter(
        extra_loaders=[DictLoader({"site.html.j2": TEMPLATE})],
        template_file="site.html.j2",
    )
    result.display_data_priority = list(DISPLAY_PRIORITY)
    return result


def page_notebook(page: Page):
    """The notebook of a page: the lesson itself, or a markdown file as one markdown cell."""
    if page.source.suffix == ".ipynb":
        return nbformat.read(page.source, as_version=4)
    text = page.source.read_text(encoding="utf-8")
    return new_notebook(cells=[new_markdown_cell(text)], metadata={"title": page.title})


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


def build(out: Path, notebooks: Path, root: Path = REPO_ROOT) -> list[Path]:
    """Build the whole site into ``out``.

    Parameters
    ----------
    out : Path
        Emptied first (see :func:`prepare_out`).
    notebooks : Path
        Folder of the executed lesson notebooks.
    root : Path, default=REPO_ROOT

    Returns
    -------
    list of Path
        The HTML pages written, in navigation order.
    """
    prepare_out(out)
    pages = plan_pages(notebooks, root)
    html_exporter = exporter()
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
    pages = build(args.out.resolve(), args.notebooks.resolve())
    for page in pages:
        print(os.path.relpath(page, args.out.resolve()))
    index = args.out.resolve() / "index.html"
    print(f"{len(pages)} pages in {args.out}; open file://{index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
