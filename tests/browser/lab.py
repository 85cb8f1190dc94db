"""A sandboxed JupyterLab server and headless Chromium, for the browser test and bench/latency.py.

Nothing here imports pytest or the project: the browser test's fixtures (``conftest.py``) and
the standalone latency benchmark (``bench/latency.py``, which loads this file by its path)
share it. Everything runs in a temporary sandbox: HOME, the Jupyter, IPython and matplotlib
folders and the JupyterLab settings (a kernel starts without a dialog, no news, no autosave)
point there. Every process started here is stopped by its process group.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

#: Chromium flags that work in the CI container (no sandbox, no GPU, no network chatter).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

#: JupyterLab user settings, by file below the settings folder. Without them a "Select Kernel"
#: dialog, the news question or an autosave into the notebook can get in the way.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "autoStartDefaultKernel": True,
        # every cell attached to the DOM, so cells out of view can be inspected
        "windowingMode": "none",
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}

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

# --------------------------------------------------------------------------- in the page
#: True once ``path`` is the current notebook and its kernel is idle (arg: the path).
KERNEL_IDLE = """path => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    const bar = document.querySelector('.jp-StatusBar-Widget');
    return Boolean(panel && panel.context && panel.context.path === path && kernel
        && kernel.status === 'idle' && bar && bar.textContent.includes('| Idle'));
}"""

#: Run All; ``window.__runAll.done`` turns true when the kernel has run every cell.
#: Run All settles at the first error reply, even one of a cell tagged raises-exception, while
#: the kernel goes on with the cells queued behind it: an empty request queued last answers
#: when the kernel has dealt with all of them.
RUN_ALL = """async () => {
    const commands = window.jupyterapp.commands;
    const panel = window.jupyterapp.shell.currentWidget;
    await commands.execute('notebook:clear-all-cell-outputs');
    window.__runAll = {done: false};
    commands.execute('runmenu:run-all')
        .then(ok => ({ok: ok}), error => ({error: String(error)}))
        .then(async result => {
            await panel.sessionContext.session.kernel.requestExecute(
                {code: '', silent: true, store_history: false, stop_on_error: false}).done;
            window.__runAll = {done: true, ...result};
        })
        .catch(error => { window.__runAll = {done: true, error: String(error)}; });
}"""

#: Shut the notebook's kernel down (closing the page would leave it running).
SHUT_DOWN_KERNEL = "() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()"

#: A JavaScript statement that defines ``readControls(root)``: the controls of the explorer
#: panels below ``root`` (the children of each ``.widget-gridbox``), in order, as
#: ``{label, kind, value, ...}``. ``label`` is the text the control shows; ``kind`` is
#: ``'slider'`` (``value``: what its number box shows, as text; ``min`` and ``max`` from the
#: handle's ARIA attributes; ``name``: the text of the box's ``<label>``), ``'menu'``
#: (``value``: the chosen entry's text), ``'checkbox'`` (``value``: checked) or ``'other'``.
#: The browser tests read the explorers' controls with it (:func:`reading_controls`): a
#: slider's readout is off, its number box shows the value.
READ_CONTROLS = """const readControls = root => Array.from(
        root.querySelectorAll('.widget-gridbox > .jupyter-widgets')).map(w => {
    const text = el => (el ? el.textContent.trim() : '');
    const label = text(w.querySelector('.widget-label-basic span')
        || w.querySelector('.widget-label'));
    const handle = w.querySelector('.noUi-handle');
    if (handle) {
        const box = w.querySelector('input[type=number]');
        return {label: label, kind: 'slider', value: box ? box.value : '',
                name: box ? Array.from(box.labels).map(text).join(' ') : '',
                min: Number(handle.getAttribute('aria-valuemin')),
                max: Number(handle.getAttribute('aria-valuemax'))};
    }
    const select = w.querySelector('select');
    if (select) {
        return {label: label, kind: 'menu', value: text(select.options[select.selectedIndex])};
    }
    const check = w.querySelector('input[type=checkbox]');
    if (check) { return {label: label, kind: 'checkbox', value: check.checked}; }
    return {label: label, kind: 'other', value: ''};
});"""


def reading_controls(function: str) -> str:
    """A page snippet: ``function``, a JavaScript function, with ``readControls`` in its scope.

    Parameters
    ----------
    function : str
        The source of a function for ``page.evaluate`` / ``locator.evaluate``.

    Returns
    -------
    str
        An expression whose value is that function (Playwright calls it, with the argument):
        :data:`READ_CONTROLS` comes before it.
    """
    return f"(() => {{ {READ_CONTROLS}\n return {function}; }})()"


def workspace_url(base_url: str, workspace: str, notebook: str, token: str) -> str:
    """URL that opens ``notebook`` (a path below the server root) alone in a fresh workspace.

    A workspace of its own and ``reset`` keep JupyterLab from reopening a previous notebook.
    """
    return (
        f"{base_url.rstrip('/')}/lab/workspaces/{quote(workspace)}/tree/{quote(notebook)}"
        f"?reset&token={quote(token)}"
    )


# --------------------------------------------------------------------------- the server
def sandbox_environment(base: Path, windowing_mode: str = "none") -> dict[str, str]:
    """Environment for JupyterLab, its kernels and Chromium, every folder below ``base``.

    ``windowing_mode`` is the notebook's ``windowingMode`` setting: ``"none"`` keeps every
    cell in the DOM (for tests that inspect cells out of view); JupyterLab's default,
    ``"contentVisibility"``, lets the browser skip cells out of view, as a learner's does.
    """
    env = dict(os.environ)
    for variable, folder in SANDBOX_DIRS.items():
        path = Path(base) / folder
        path.mkdir(parents=True, exist_ok=True)
        env[variable] = str(path)
    for name, settings in LAB_SETTINGS.items():
        if "windowingMode" in settings:
            settings = {**settings, "windowingMode": windowing_mode}
        target = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(settings), encoding="utf-8")
    # the kernelspec says "python": make it this interpreter
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("MPLBACKEND", None)
    return env


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_lab(root: Path, token: str, env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """Start JupyterLab serving ``root`` in its own process group; wait until its API answers.

    Returns
    -------
    process : subprocess.Popen
    base_url : str

    Raises
    ------
    RuntimeError
        If the server does not answer within :data:`SERVER_START_TIMEOUT` (it is stopped).
    """
    port = free_port()
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
        if api(base_url, token, "status") is not None:
            return process, base_url
        time.sleep(0.25)
    stop_lab(process, base_url, token)
    tail = log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"JupyterLab did not answer on {base_url} (log {log}):\n{tail}")


def api(base_url: str, token: str, path: str, method: str = "GET"):
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


def descendants(pid: int) -> list[int]:
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


def stop_lab(process: subprocess.Popen, base_url: str, token: str) -> None:
    """Shut the kernels down, then stop the server's and any leftover kernel's process group."""
    for kernel in api(base_url, token, "kernels") or []:
        api(base_url, token, f"kernels/{kernel['id']}", method="DELETE")
    leftovers = descendants(process.pid)
    kill_group(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        kill_group(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    for pid in leftovers:  # kernels run in process groups of their own
        try:
            group = os.getpgid(pid)
        except ProcessLookupError:
            continue
        if group != os.getpgrp():
            kill_group(group, signal.SIGKILL)


def kill_group(group: int, sig: signal.Signals) -> None:
    """Send ``sig`` to a process group that may be gone already."""
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        pass


def launch_chromium(playwright, executable: Path, env: dict):
    """Headless Debian Chromium through playwright (its own browser download is not used)."""
    return playwright.chromium.launch(
        executable_path=str(executable), headless=True, args=list(CHROMIUM_FLAGS), env=env
    )


def open_and_run(page, base_url: str, token: str, relative: str, workspace: str, timeout_ms: int):
    """Open notebook ``relative`` in its own workspace, run all cells, wait for an idle kernel.

    Parameters
    ----------
    page : playwright.sync_api.Page
    base_url, token : str
        The server.
    relative : str
        The notebook's path below the server root.
    workspace : str
        A workspace name of its own.
    timeout_ms : int
        For the kernel to start, and again for all cells to run.
    """
    page.goto(workspace_url(base_url, workspace, relative, token))
    page.wait_for_function(KERNEL_IDLE, arg=relative, timeout=timeout_ms)
    page.evaluate(RUN_ALL)
    page.wait_for_function("window.__runAll.done", timeout=timeout_ms)
    page.wait_for_function(KERNEL_IDLE, arg=relative, timeout=timeout_ms)


@contextlib.contextmanager
def notebook_page(
    browser,
    lab_server,
    relative: str,
    workspace: str,
    timeout_ms: int,
    *,
    failure_screenshot: Path,
    **context_options,
):
    """A fresh browser context with notebook ``relative`` opened and run; the page inside.

    A screenshot goes to ``failure_screenshot`` when the notebook does not run. On leaving,
    and when it does not run (a cell still running must not slow what comes next), the kernel
    is shut down (closing the page would leave it running) and the context closed.

    Parameters
    ----------
    browser : playwright.sync_api.Browser
    lab_server
        The server, with ``base_url`` and ``token``.
    relative, workspace, timeout_ms
        As for :func:`open_and_run`.
    failure_screenshot : Path
        Where the page is saved if running it fails.
    **context_options
        For ``browser.new_context`` (``viewport``, ``device_scale_factor``, ...).
    """
    context = browser.new_context(**context_options)
    page = context.new_page()
    try:
        open_and_run(page, lab_server.base_url, lab_server.token, relative, workspace, timeout_ms)
    except Exception:
        page.screenshot(path=failure_screenshot)
        with contextlib.suppress(Exception):  # the page may not have a kernel yet
            page.evaluate(SHUT_DOWN_KERNEL)
        context.close()
        raise
    try:
        yield page
    finally:
        page.evaluate(SHUT_DOWN_KERNEL)
        context.close()
