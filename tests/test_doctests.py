"""The Examples sections of every helpers module, subpackages included, run as written."""

import doctest
import importlib
import pkgutil
import re

import pytest

import helpers

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(helpers.__path__, prefix=f"{helpers.__name__}.")
)

EXAMPLES_HEADING = re.compile(r"^\s*Examples\n\s*-{8,}\s*$", re.MULTILINE)


def test_the_walk_reaches_the_subpackages():
    assert {"helpers.arithmetic.sizes", "helpers.reference.conv", "helpers.validation"} <= set(
        MODULES
    )


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder().find(module)
    with_heading = [t for t in tests if t.docstring and EXAMPLES_HEADING.search(t.docstring)]
    silent = [t.name for t in with_heading if not t.examples]
    assert not silent, f"an Examples section with no runnable example: {silent}"
    examples = [example for test in tests for example in test.examples]
    if not examples:
        pytest.skip(f"{name} has no doctest examples")
    if all(example.options.get(doctest.SKIP) for example in examples):
        pytest.skip(f"{name}: all {len(examples)} examples are marked +SKIP")
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0
    assert result.attempted > 0
