"""Fixtures of the browser test: one JupyterLab server and one headless Chromium per test run.

Everything runs in a temporary sandbox: HOME, the Jupyter, IPython and matplotlib folders and
the JupyterLab settings (a kernel starts without a dialog, no news, no autosave) point there,
and the server's root is a copy of ``notebooks/``, so the real notebooks are never written.

Each lesson is opened and run from top to bottom once per test run (:func:`lesson`), and every
test of that lesson looks at the same page: pytest runs them one after another, and the lesson's
kernel is shut down before the next lesson opens. Every process started here is stopped by its
process group after the last browser test (before nbval runs the notebooks, so they do not
compete for memory).

Without Chromium (``/usr/bin/chromium``, or the executable named by ``CHROMIUM``) or the
``playwright`` package the browser tests skip, except under CI (``CI=true``), where they fail:
CI must run them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_harness import (
    LESSON_PAGE,
    ExplorerCell,
    browser_missing_reason,
    explorer_cells,
    must_not_skip,
    read_notebook,
    screenshot_name,
)
from lab import launch_chromium, notebook_page, sandbox_environment, start_lab, stop_lab

#: The Chromium (or Chrome) executable: Debian's by default, another with CHROMIUM=/path.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
#: Milliseconds for a kernel to start, and for a whole lesson to run (CI machines vary).
RUN_ALL_TIMEOUT_MS = 600_000
#: Where the session's browser processes are stopped: after the last browser test.
PROCESSES = pytest.StashKey[contextlib.ExitStack]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item; under CI a skipped browser test is a failure."""
    report = yield
    if report.skipped and item.get_closest_marker("browser") and must_not_skip(os.environ):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"browser test skipped under CI=true, where it must run: {reason}"
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last browser test of the run, stop JupyterLab and Chromium."""
    if nextitem is not None and nextitem.get_closest_marker("browser"):
        return
    later = item.session.items[item.session.items.index(item) + 1 :]
    if not any(other.get_closest_marker("browser") for other in later):
        stack = item.config.stash.get(PROCESSES, None)
        if stack is not None:
            stack.close()


@dataclass(frozen=True)
class LabServer:
    """A running JupyterLab: its address, token and the folder it serves."""

    base_url: str
    token: str
    root: Path


@dataclass(frozen=True)
class OpenLesson:
    """A lesson opened in JupyterLab and run from top to bottom."""

    page: object  # playwright.sync_api.Page
    path: Path  # the notebook in notebooks/
    notebook: dict  # the copy JupyterLab opened, as JSON
    explorers: list[ExplorerCell]

    def cell(self, index: int):
        """Locator of the cell with this index in the notebook."""
        return self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Path of the Chromium executable; skips (fails under CI) when it or playwright is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        has_playwright = False
    else:
        has_playwright = True
    reason = browser_missing_reason(CHROMIUM, has_playwright)
    if reason and must_not_skip(os.environ):
        pytest.fail(f"browser test cannot run under CI=true: {reason}", pytrace=False)
    if reason:
        pytest.skip(f"browser test needs Chromium and playwright: {reason}")
    return CHROMIUM


@pytest.fixture(scope="session")
def sandbox_env(tmp_path_factory) -> dict[str, str]:
    """Environment for JupyterLab, its kernels and Chromium, with every folder in a temp dir."""
    return sandbox_environment(tmp_path_factory.mktemp("browser-sandbox"))


@pytest.fixture(scope="session")
def processes(request):
    """The stack of browser processes, closed after the last browser test (or at the end)."""
    with contextlib.ExitStack() as stack:
        request.config.stash[PROCESSES] = stack
        yield stack


@pytest.fixture(scope="session")
def lab_server(chromium, sandbox_env, processes, tmp_path_factory, request):
    """JupyterLab on a free loopback port, serving a copy of ``notebooks/``."""
    root = tmp_path_factory.mktemp("lab-root")
    source = request.config.rootpath / "notebooks"
    shutil.copytree(
        source, root / "notebooks", ignore=shutil.ignore_patterns("data", ".ipynb_checkpoints")
    )
    if (source / "data").is_dir():
        (root / "notebooks" / "data").symlink_to(source / "data")
    token = os.urandom(16).hex()
    log = root.parent / f"{root.name}-jupyterlab.log"
    try:
        process, base_url = start_lab(root, token, sandbox_env, log)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    processes.callback(stop_lab, process, base_url, token)
    return LabServer(base_url, token, root)


@pytest.fixture(scope="session")
def browser(chromium, sandbox_env, processes):
    """Headless Debian Chromium driven by playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    processes.callback(driver.stop)
    browser = launch_chromium(driver, chromium, sandbox_env)
    processes.callback(browser.close)  # playwright stops Chromium's process group
    return browser


@pytest.fixture(scope="session")
def lesson(request, lab_server, browser, processes, artifacts):
    """The lesson ``request.param`` (a file name in ``notebooks/``) opened and run, once a run.

    Use it indirectly, ``pytest.mark.parametrize("lesson", [name], indirect=True)``: every
    test of one lesson, in any module, then sees the same page. pytest groups those tests (a
    session-scoped parameter) and shuts the kernel down before the next lesson is opened. A
    test that moves a control must not rely on a state another test leaves: each explorer's
    controls are moved by one test only (``browser_harness.DEDICATED``).
    """
    name = request.param
    relative = f"notebooks/{name}"
    stem = Path(name).stem
    with contextlib.ExitStack() as own:
        page = own.enter_context(notebook_page(
            browser, lab_server, relative, f"test-{stem}", RUN_ALL_TIMEOUT_MS,
            failure_screenshot=artifacts / screenshot_name(f"{stem}-run-failure"), **LESSON_PAGE,
        ))  # fmt: skip
        processes.callback(own.close)  # shut its kernel down before the server, if that is first
        notebook = read_notebook(lab_server.root / relative)  # the copy that JupyterLab opened
        yield OpenLesson(page, Path(name), notebook, explorer_cells(notebook))


@pytest.fixture
def opened(lesson, request, artifacts):
    """:func:`lesson`, with a screenshot of the page when the test fails."""
    yield lesson
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        lesson.page.screenshot(path=artifacts / screenshot_name(f"{request.node.name}-failure"))


@pytest.fixture(scope="session")
def artifacts(request) -> Path:
    """``test-artifacts/browser/`` (git-ignored): screenshots after each interaction and failure."""
    folder = request.config.rootpath / "test-artifacts" / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
