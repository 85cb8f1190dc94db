"""The static site the browser tests open: its builder, its pages, and one page in a fresh tab.

The site is built by ``tools/build_site.py`` from the committed notebooks (``SITE_NOTEBOOKS``
names another folder of executed notebooks) and opened from ``file://`` URLs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
build_site = importlib.util.module_from_spec(_spec)
sys.modules["build_site"] = build_site  # dataclasses look their module up there
_spec.loader.exec_module(build_site)

NOTEBOOKS = Path(os.environ.get("SITE_NOTEBOOKS", ROOT / "notebooks")).resolve()
PAGES = build_site.plan_pages(NOTEBOOKS)
#: The window every site page is opened in (``browser.new_context`` options).
SITE_PAGE = {"viewport": {"width": 1200, "height": 900}}


def build(out: Path) -> Path:
    """Build the site from :data:`NOTEBOOKS` into ``out``; return ``out``."""
    build_site.build(out, NOTEBOOKS)
    return out


@contextlib.contextmanager
def open_page(browser, page_file: Path, errors: list[str] | None = None) -> Iterator:
    """A new tab showing ``page_file``, loaded; its browser context is closed on leaving.

    With ``errors``, the page's console errors, uncaught exceptions and failed requests are
    appended to that list, from before the page starts loading.
    """
    context = browser.new_context(**SITE_PAGE)
    try:
        tab = context.new_page()
        if errors is not None:
            tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.on("requestfailed", lambda r: errors.append(f"request failed: {r.url[:100]}"))
        tab.goto(page_file.as_uri(), wait_until="load")
        yield tab
    finally:
        context.close()
