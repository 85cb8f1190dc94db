"""The pinned environment, and what the package declares.

requirements.txt, environment.yml and pyproject.toml agree, and the packages installed in this
interpreter are the pinned versions.
"""

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[0-9][A-Za-z0-9.+!-]*)$")


def requirement_lines():
    """The non-blank, non-comment lines of requirements.txt, in order."""
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def pins():
    """``{name: version}`` for every ``name==version`` line of requirements.txt."""
    return {m["name"]: m["version"] for m in map(PIN.match, requirement_lines()) if m}


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_requirements_pin_every_package_and_end_with_the_project():
    lines = requirement_lines()
    assert lines[-1] == "-e .", f"the last line must install the project itself, got {lines[-1]!r}"
    unpinned = [line for line in lines[:-1] if not PIN.match(line)]
    assert not unpinned, f"every requirement must be pinned with ==, these are not: {unpinned}"
    names = [PIN.match(line)["name"].lower() for line in lines[:-1]]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"pinned twice: {duplicates}"


def test_torch_and_torchvision_pins_work_together():
    """Torchvision's compiled operators load only beside the torch build they were made for."""
    import torch
    import torchvision

    boxes = torch.tensor([[0.0, 0.0, 2.0, 2.0], [0.1, 0.1, 2.0, 2.0], [5.0, 5.0, 6.0, 6.0]])
    kept = torchvision.ops.nms(boxes, torch.tensor([0.9, 0.8, 0.7]), iou_threshold=0.5)
    assert kept.tolist() == [0, 2]


def test_pyproject_lists_every_third_party_import_of_helpers():
    """Installing the package alone (``pip install .``) must bring everything it imports."""
    import ast
    import sys

    declared = {
        re.split(r"[\s=<>!~\[;]", dep, maxsplit=1)[0].lower()
        for dep in pyproject()["project"]["dependencies"]
    }
    imported = set()
    for path in (ROOT / "helpers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported if name not in sys.stdlib_module_names}
    third_party -= {"helpers"}
    distribution = {"PIL": "pillow", "yaml": "pyyaml"}
    missing = sorted(n for n in third_party if distribution.get(n, n).lower() not in declared)
    assert not missing, f"helpers imports {missing}, which pyproject.toml does not list"


def test_environment_yml_installs_requirements_txt_on_python_311():
    env = environment()
    assert env["name"] == "conv-arithmetic"
    assert env["channels"] == ["conda-forge"]
    deps = env["dependencies"]
    assert "python=3.11" in deps, f"environment.yml must ask for python=3.11, has {deps}"
    assert "pip" in deps
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert pip_sections == [["-r requirements.txt"]], (
        "environment.yml must take its pip packages from requirements.txt only, "
        f"found {pip_sections}"
    )
    conda_names = {re.split(r"[=<>!]", d)[0].lower() for d in deps if isinstance(d, str)}
    doubled = conda_names & {name.lower() for name in pins()}
    assert not doubled, f"installed by both conda and pip: {sorted(doubled)}"


def test_pyproject_targets_python_311():
    config = pyproject()
    assert config["project"]["requires-python"] == ">=3.11"
    assert config["tool"]["ruff"]["target-version"] == "py311"


@pytest.mark.parametrize(("name", "pinned"), sorted(pins().items()))
def test_installed_version_matches_pin(name, pinned):
    try:
        installed = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        pytest.fail(f"{name} is not installed; run `python -m pip install -r requirements.txt`")
    # A local label such as torch's "+cpu" names the build, not a different release.
    assert Version(installed).public == Version(pinned).public, (
        f"{name} {installed} is installed but requirements.txt pins {pinned}; "
        "run `python -m pip install -r requirements.txt`"
    )


def test_project_itself_is_installed_from_this_checkout():
    name = pyproject()["project"]["name"]
    assert importlib.metadata.version(name) == pyproject()["project"]["version"]
    import helpers

    assert Path(helpers.__file__).resolve().parent == ROOT / "helpers"
