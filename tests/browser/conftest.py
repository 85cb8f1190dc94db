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

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_harness import (
    CHROMIUM_FLAGS,
    LAB_SETTINGS,
    browser_missing_reason,
    must_not_skip,
)

#: The Chromium (or Chrome) executable: Debian's by default, another with CHROMIUM=/path.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
#: Seconds JupyterLab may take to answer (2-5 s measured on 2 cores; CI machines vary).
SERVER_START_TIMEOUT = 120
#: Folders that must not reach the real home directory: environment variable -> subfolder.
SANDBOX_DIRS = {
    "HOME": "home",
    "XDG_CONFIG_HOME": "home/.config",
    "XDG_CACHE_HOME": "home/.cache",
    "JUPYTER_CONFIG_DIR": "jupyter/config",
    "JUPYTER_DATA_DIR": "jupyter/data",
    "JUPYTER_RUNTIME_DIR": "jupyter/runtime",
    "JUPYTERLAB_SETTINGS_DIR": "jupyterlab/settings",
    "JUPYTERLAB_WORKSPACES_DIR": "jupyterlab/workspaces",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
}


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
    base = tmp_path_factory.mktemp("browser-sandbox")
    env = dict(os.environ)
    for variable, folder in SANDBOX_DIRS.items():
        path = base / folder
        path.mkdir(parents=True, exist_ok=True)
        env[variable] = str(path)
    for name, settings in LAB_SETTINGS.items():
        target = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(settings), encoding="utf-8")
    # the kernelspec says "python": make it this interpreter
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("MPLBACKEND", None)
    return env


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
    process, base_url = _start_lab(root, token, sandbox_env, log)
    try:
        yield LabServer(base_url, token, root)
    finally:
        _stop_lab(process, base_url, token)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_lab(root: Path, token: str, env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """Start JupyterLab in its own process group and wait until its API answers."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, to run commands
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        if _api(base_url, token, "status") is not None:
            return process, base_url
        time.sleep(0.25)
    _stop_lab(process, base_url, token)
    tail = log.read_text(errors="replace")[-3000:]
    pytest.fail(f"JupyterLab did not answer on {base_url} (log {log}):\n{tail}", pytrace=False)


def _api(base_url: str, token: str, path: str, method: str = "GET"):
    """JSON answer of the Jupyter server REST API, or None when it does not answer."""
    request = urllib.request.Request(
        f"{base_url}/api/{path}", method=method, headers={"Authorization": f"token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
    except (OSError, urllib.error.URLError):
        return None
    return json.loads(body) if body else {}


def _descendants(pid: int) -> list[int]:
    """Process ids below ``pid`` (read from /proc; empty where there is none)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _stop_lab(process: subprocess.Popen, base_url: str, token: str) -> None:
    """Shut the kernels down, then stop the server's and any leftover kernel's process group."""
    for kernel in _api(base_url, token, "kernels") or []:
        _api(base_url, token, f"kernels/{kernel['id']}", method="DELETE")
    leftovers = _descendants(process.pid)
    _kill_group(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    for pid in leftovers:  # kernels run in process groups of their own
        try:
            group = os.getpgid(pid)
        except ProcessLookupError:
            continue
        if group != os.getpgrp():
            _kill_group(group, signal.SIGKILL)


def _kill_group(group: int, sig: signal.Signals) -> None:
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def browser(chromium, sandbox_env):
    """Headless Debian Chromium driven by playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    try:
        browser = driver.chromium.launch(
            executable_path=str(chromium),
            headless=True,
            args=list(CHROMIUM_FLAGS),
            env=sandbox_env,
        )
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
