"""The public surface is exactly what facade.__all__ lists, documented, and reprs say facade.X."""

from __future__ import annotations

import inspect

import facade
import facade.errors


def test_all_lists_every_public_name_and_nothing_else() -> None:
    """A public name in facade that __all__ misses fails here, like httpx's test."""
    public = {
        name
        for name, value in vars(facade).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert public == set(facade.__all__)
    assert facade.__all__ == sorted(facade.__all__)


def test_every_public_name_has_a_docstring() -> None:
    """Each exported class has its own docstring."""
    for name in facade.__all__:
        value = getattr(facade, name)
        assert inspect.getdoc(value), name


def test_every_error_is_exported_and_in_the_tree() -> None:
    """Every class in facade.errors is exported, derives from FirecrawlError, and is drawn in
    the module docstring's tree."""
    tree = facade.errors.__doc__ or ""
    for name in facade.errors.__all__:
        error = getattr(facade.errors, name)
        assert issubclass(error, facade.FirecrawlError)
        assert getattr(facade, name) is error
        assert name in tree, f"{name} is missing from the tree in facade/errors.py"


def test_reprs_name_the_public_module() -> None:
    """Classes defined in private modules present themselves as facade.X."""
    assert facade.StatusClient.__module__ == "facade"
    assert facade.PollPolicy.__module__ == "facade"
    assert facade.JobNotFoundError.__module__ == "facade.errors"


def test_version_is_served_from_package_metadata() -> None:
    """facade.__version__ is the installed distribution's version."""
    assert facade.__version__ == "0.1.0"
