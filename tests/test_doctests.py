"""The Examples sections of every helpers module run as written."""

import doctest
import importlib
import pkgutil

import pytest

import helpers

MODULES = sorted(info.name for info in pkgutil.iter_modules(helpers.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"helpers.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
