"""ruff lint and format checks over the project's code and notebooks (config: pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGETS = [
    name for name in ("helpers", "tests", "tools", "bench", "notebooks") if (ROOT / name).is_dir()
]


def ruff(*args):
    """Run this interpreter's ruff from the repository root; return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *TARGETS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "fix"),
    [
        (("check", "--no-fix", "--output-format=full"), "ruff check --fix"),
        (("format", "--check", "--diff"), "ruff format"),
    ],
    ids=["check", "format"],
)
def test_ruff(args, fix):
    result = ruff(*args)
    assert result.returncode == 0, (
        f"`ruff {' '.join(args)}` failed (exit {result.returncode}); "
        f"`python -m {fix} {' '.join(TARGETS)}` may fix it.\n{result.stdout}{result.stderr}"
    )
