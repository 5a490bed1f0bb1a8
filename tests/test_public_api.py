"""The public surface is exactly `__all__`, documented, and reprs say firecrawl_status.X."""

from __future__ import annotations

import inspect

import firecrawl_status
import firecrawl_status.errors


def test_all_lists_every_public_name_and_nothing_else() -> None:
    """A public name in firecrawl_status that __all__ misses fails here, like httpx's test."""
    from firecrawl_status import _exports

    # (pytest's assertion rewriting adds "@py_builtins" to a plugin's modules.)
    exported = {name for name in vars(_exports) if not name.startswith(("_", "@"))}
    assert exported - {"annotations"} == set(firecrawl_status.__all__) == set(_exports.__all__)
    firecrawl_status.StatusClient  # noqa: B018 (the first use loads every public name)
    public = {
        name
        for name, value in vars(firecrawl_status).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert public == set(firecrawl_status.__all__)
    assert firecrawl_status.__all__ == sorted(firecrawl_status.__all__)


def test_every_public_name_has_a_docstring() -> None:
    """Each exported class has its own docstring."""
    for name in firecrawl_status.__all__:
        value = getattr(firecrawl_status, name)
        assert inspect.getdoc(value), name


def test_every_error_is_exported_and_in_the_tree() -> None:
    """Every class in firecrawl_status.errors is exported, derives from FirecrawlError, and is
    drawn in
    the module docstring's tree."""
    tree = firecrawl_status.errors.__doc__ or ""
    for name in firecrawl_status.errors.__all__:
        error = getattr(firecrawl_status.errors, name)
        assert issubclass(error, firecrawl_status.FirecrawlError)
        assert getattr(firecrawl_status, name) is error
        assert name in tree, f"{name} is missing from the tree in facade/firecrawl_status/errors.py"


def test_reprs_name_the_public_module() -> None:
    """Classes defined in private modules present themselves as firecrawl_status.X."""
    assert firecrawl_status.StatusClient.__module__ == "firecrawl_status"
    assert firecrawl_status.PollPolicy.__module__ == "firecrawl_status"
    assert firecrawl_status.JobNotFoundError.__module__ == "firecrawl_status.errors"


def test_version_is_served_from_package_metadata() -> None:
    """firecrawl_status.__version__ is the installed distribution's version."""
    assert firecrawl_status.__version__ == "0.1.0"
