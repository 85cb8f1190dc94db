"""Fixtures of the browser test: one JupyterLab server and one headless Chromium per module.

Everything runs in a temporary sandbox: HOME, the Jupyter, IPython and matplotlib folders and
the JupyterLab settings (a kernel starts without a dialog, no news, no autosave) point there,
and the server's root is a copy of ``notebooks/``, so the real notebooks are never written.
Every process started here is stopped by its process group when the test module is done
(before nbval runs the notebooks, so they do not compete for memory).

Without Chromium (``/usr/bin/chromium``, or the executable named by ``CHROMIUM``) or the
``playwright`` package the browser tests skip, except under CI (``CI=true``), where they fail:
CI must run them.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_harness import browser_missing_reason, must_not_skip
from lab import launch_chromium, sandbox_environment, start_lab, stop_lab

#: The Chromium (or Chrome) executable: Debian's by default, another with CHROMIUM=/path.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


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


@dataclass(frozen=True)
class LabServer:
    """A running JupyterLab: its address, token and the folder it serves."""

    base_url: str
    token: str
    root: Path


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


@pytest.fixture(scope="module")
def lab_server(chromium, sandbox_env, tmp_path_factory, request):
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
    try:
        yield LabServer(base_url, token, root)
    finally:
        stop_lab(process, base_url, token)


@pytest.fixture(scope="module")
def browser(chromium, sandbox_env):
    """Headless Debian Chromium driven by playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    try:
        browser = launch_chromium(driver, chromium, sandbox_env)
        try:
            yield browser
        finally:
            browser.close()  # playwright stops Chromium's process group
    finally:
        driver.stop()


@pytest.fixture(scope="session")
def artifacts(request) -> Path:
    """``test-artifacts/browser/`` (git-ignored): screenshots after each interaction and failure."""
    folder = request.config.rootpath / "test-artifacts" / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
