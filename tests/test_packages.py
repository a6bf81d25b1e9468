"""Every package has a front door: a docstring saying what it is for and an `__all__`
whose every name resolves, so a caller knows what it may import and the rest is the
package's own to change (the import contract keeps others off its underscore names)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import pinchpoint

SRC = Path(pinchpoint.__file__).resolve().parent
PACKAGES = sorted(
    ".".join(("pinchpoint", *init.parent.relative_to(SRC).parts))
    for init in SRC.rglob("__init__.py"))


def test_the_packages_are_found() -> None:
    assert {"pinchpoint", "pinchpoint.ingest", "pinchpoint.store"} <= set(PACKAGES)


@pytest.mark.parametrize("name", PACKAGES)
def test_package_has_a_docstring_and_a_resolving_all(name: str) -> None:
    package = importlib.import_module(name)
    assert (package.__doc__ or "").strip(), f"{name} has no docstring"
    exported = getattr(package, "__all__", None)
    assert exported, f"{name} has no __all__"
    assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"
    missing = [export for export in exported if not hasattr(package, export)]
    assert not missing, f"{name}.__all__ names what it does not have: {missing}"
