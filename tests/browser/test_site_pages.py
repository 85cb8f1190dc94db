r"""The static site in headless Chromium: every page loads cleanly, every explorer shows a picture.

The site is built by ``tools/build_site.py`` from the committed notebooks into a temporary
folder (``SITE_NOTEBOOKS=/folder`` builds it from other executed notebooks) and opened from
``file://`` URLs. For every page: no console error and no uncaught exception, every image
loaded (``naturalWidth > 0``), every internal link pointing at an existing file (and at an
existing ``id`` for a fragment), every image with a non-empty alt text that is not nbconvert's
placeholder, no raw TeX (``\\lfloor``, ``$...$``) in the text outside code, every formula
(MathML ``<math>``) of nonzero size, and, for a lesson, one loaded explorer picture per
explorer cell. Screenshots of an explorer rendered statically and of a markdown
cell with maths go to ``test-artifacts/site/``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import static_site
from browser_harness import explorer_cells, read_notebook
from static_site import PAGES, ROOT, open_page

IDS = re.compile(r'\bid="([^"]+)"')
#: What nbconvert writes on an image that has no alt text of its own.
NO_ALT = "No description has been provided for this image"

pytestmark = pytest.mark.browser

#: Runs in the page once it has loaded: images, links, explorer pictures, maths, raw TeX.
INSPECT = r"""() => {
  const images = [...document.images].map(img => ({
    src: img.currentSrc.slice(0, 80), loaded: img.complete && img.naturalWidth > 0,
    alt: img.getAttribute('alt'), explorer: img.classList.contains('explorer-picture')}));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  const maths = [...document.querySelectorAll('math')].map(math => {
    const box = math.getBoundingClientRect();
    return {text: math.textContent, width: box.width, height: box.height};
  });
  const text = document.body.cloneNode(true);
  text.querySelectorAll('pre, code, math, style, script').forEach(element => element.remove());
  const tex = text.textContent.match(/\\[A-Za-z]+|\$[^$\s][^$]*\$/g) || [];
  return {images, links, maths, tex: tex.slice(0, 10)};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return static_site.build(tmp_path_factory.mktemp("site") / "site")


def _broken_links(site: Path, page_file: Path, links: list[str]) -> list[str]:
    """Internal links (file:// inside the site) whose file or fragment does not exist."""
    broken = []
    for link in links:
        url = urlparse(link)
        if url.scheme != "file":
            continue
        target = Path(unquote(url.path))
        if not target.is_file() or site.resolve() not in target.resolve().parents:
            broken.append(link)
        elif url.fragment and target.suffix == ".html":
            # nbconvert writes heading ids percent-encoded, as the link carries them
            ids = {html.unescape(i) for i in IDS.findall(target.read_text(encoding="utf-8"))}
            if not {url.fragment, unquote(url.fragment)} & ids:
                broken.append(link)
    return broken


@pytest.mark.parametrize("page", PAGES, ids=[p.target for p in PAGES])
def test_page_loads_cleanly(browser, site, page):
    page_file, errors = site / page.target, []
    with open_page(browser, page_file, errors) as tab:
        found = tab.evaluate(INSPECT)
    assert errors == [], errors
    assert [i["src"] for i in found["images"] if not i["loaded"]] == []
    assert _broken_links(site, page_file, found["links"]) == []
    assert found["tex"] == [], "raw TeX in the page text (outside code)"
    assert [m for m in found["maths"] if not (m["width"] > 0 and m["height"] > 0)] == []
    no_alt = [i["src"] for i in found["images"] if not (i["alt"] or "").strip()]
    assert no_alt == [], "images without alt text"
    placeholder = [i["src"] for i in found["images"] if i["alt"] == NO_ALT]
    assert placeholder == [], "images with nbconvert's placeholder instead of a description"
    if page.source.suffix == ".ipynb":
        expected = len(explorer_cells(read_notebook(page.source)))
        pictures = [i for i in found["images"] if i["explorer"] and i["loaded"]]
        assert len(pictures) >= expected, f"{len(pictures)} explorer pictures, {expected} explorers"


def screenshot(element, page, what: str) -> Path:
    """Scroll ``element`` into view; save it as ``test-artifacts/site/<page stem>-<what>.png``."""
    folder = ROOT / "test-artifacts" / "site"
    folder.mkdir(parents=True, exist_ok=True)
    element.scroll_into_view_if_needed()
    path = folder / f"{Path(page.target).stem}-{what}.png"
    element.screenshot(path=str(path))
    return path


def test_screenshot_of_an_explorer_rendered_statically(browser, site):
    page = next(
        p for p in PAGES if p.source.suffix == ".ipynb" and explorer_cells(read_notebook(p.source))
    )
    with open_page(browser, site / page.target) as tab:
        path = screenshot(tab.locator(".explorer-static").first, page, "explorer")
        width = tab.evaluate(
            "() => document.querySelector('.explorer-static img.explorer-picture').naturalWidth"
        )
    assert path.stat().st_size > 0 and width > 0


def test_screenshot_of_maths_as_mathml(browser, site):
    page = next(p for p in PAGES if p.source.suffix == ".ipynb")
    with open_page(browser, site / page.target) as tab:
        cell = tab.locator(".jp-MarkdownCell", has=tab.locator('math[display="block"]')).first
        path = screenshot(cell, page, "maths")
        sizes = cell.evaluate(
            "c => [...c.querySelectorAll('math')].map(m => m.getBoundingClientRect().height)"
        )
    assert path.stat().st_size > 0 and sizes and min(sizes) > 0
