"""docs/architecture.md cannot drift from the code: it states the layers the import-linter
contract checks (pyproject.toml), in the same order, and names every package; and every
top-level package sits in a layer, so a new stage cannot escape the contract."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "pinchpoint"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PACKAGES = sorted(init.parent.relative_to(SRC).as_posix() for init in SRC.rglob("__init__.py")
                  if init.parent != SRC)


def contract_layers() -> list[str]:
    """The layers contract's layers, highest first, without the `pinchpoint.` prefix."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return [" ".join(layer.replace("pinchpoint.", "").split()) for layer in layers]


def documented_layers() -> list[str]:
    """The first column of the first code block under the doc's `## Layers` heading."""
    section = DOC.split("\n## Layers\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    return [" ".join(re.split(r"\s{2,}", line.strip())[0].split())
            for line in block.splitlines() if line.strip()]


def test_the_doc_states_the_contract_layers_in_order() -> None:
    assert documented_layers() == contract_layers()


@pytest.mark.parametrize("package", PACKAGES)
def test_the_doc_names_every_package(package: str) -> None:
    assert re.search(rf"`{re.escape(package)}/?`", DOC), f"docs/architecture.md omits {package}/"


def test_every_top_level_package_sits_in_a_layer() -> None:
    layered = {name for layer in contract_layers() for name in re.split(r"\s*[|:]\s*", layer)}
    top_level = {package for package in PACKAGES if "/" not in package}
    assert top_level <= layered, f"not in any layer of pyproject.toml: {top_level - layered}"
