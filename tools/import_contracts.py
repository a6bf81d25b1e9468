"""Import contracts that import-linter has no built-in type for.

Registered in pyproject.toml (`contract_types` in `[tool.importlinter]`); `lint-imports`
puts the current directory on `sys.path`, so it finds this module when run from the
repository root, as `make imports` does.

`underscore_names`: no module uses another package's underscore names. A package is a
first-level part of a root package (`pinchpoint.store`, `pinchpoint.access`, ...; a
top-level module such as `pinchpoint.cli` counts as one), and an underscore name is any
imported name, module segment or attribute of an imported name that starts with `_`
(dunders such as `__version__` excepted). A package's underscore names are its own to
change; reaching for them from outside is how two write paths and hidden cycles grew.
The import graph says which modules import another package; their source, parsed with
`ast`, says exactly which names they take, however the import is spread over lines.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain.contract import Contract, ContractCheck


class Use(NamedTuple):
    """One underscore name (`name`, dotted in full) used by `importer` at `line`."""

    importer: str
    line: int
    name: str


class UnderscoreNamesContract(Contract):
    """No module imports, or reads an attribute of, another package's underscore names."""

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        roots: list[str] = list(self.session_options["root_packages"])
        uses = sorted({use for importer in sorted(_crossing_importers(graph, roots))
                       for use in _underscore_uses(importer, roots)})
        return ContractCheck(kept=not uses, metadata={"uses": uses})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Underscore names used from another package:", bold=False)
        output.new_line()
        for use in check.metadata["uses"]:
            output.print_error(f"- {use.importer} (l.{use.line}) uses {use.name}", bold=False)
        output.new_line()


def package_of(module: str) -> str:
    """The package a dotted name belongs to: its first two parts (`pinchpoint.store`)."""
    return ".".join(module.split(".")[:2])


def is_underscore(part: str) -> bool:
    """A private name: a leading underscore, but not a dunder (`__future__`)."""
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


def underscore_prefix(name: str) -> str | None:
    """`name` up to and including its first underscore part, or None when it has none."""
    parts = name.split(".")
    for index, part in enumerate(parts):
        if is_underscore(part):
            return ".".join(parts[: index + 1])
    return None


def _crossing_importers(graph: ImportGraph, roots: Sequence[str]) -> set[str]:
    """Modules of the root packages that import a module of another of their packages:
    the only ones that can break the contract."""
    return {importer for importer in graph.modules if _root(importer) in roots
            and any(_root(imported) in roots and package_of(imported) != package_of(importer)
                    for imported in graph.find_modules_directly_imported_by(importer))}


def _root(module: str) -> str:
    return module.split(".")[0]


def _underscore_uses(importer: str, roots: Sequence[str]) -> Iterator[Use]:
    found = _source(importer)
    if found is None:
        return
    path, is_package = found
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for line, name in _references(tree, importer, is_package):
        prefix = underscore_prefix(name)
        if prefix and _root(name) in roots and package_of(name) != package_of(importer):
            yield Use(importer, line, prefix)


def _source(module: str) -> tuple[Path, bool] | None:
    """The module's file and whether it is a package, found without importing it."""
    spec = importlib.util.find_spec(_root(module))
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations))).joinpath(*module.split(".")[1:])
    if (base / "__init__.py").is_file():
        return base / "__init__.py", True
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py"), False
    return None


def _references(tree: ast.Module, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """Every dotted name the module imports, and every attribute it reads from a name an
    import bound (`directory._exists` after `from pinchpoint.access import directory`)."""
    bound: dict[str, str] = {}
    for line, name, binding in _imports(tree, module, is_package):
        yield line, name
        if binding:
            bound[binding[0]] = binding[1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_underscore(node.attr):
            chain = _chain(node)
            if chain and chain[0] in bound:
                yield node.lineno, ".".join([bound[chain[0]], *chain[1:]])


def _imports(tree: ast.Module, module: str, is_package: bool
             ) -> Iterator[tuple[int, str, tuple[str, str] | None]]:
    """(line, dotted name, (local name, what it names) or None) for each imported name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                head = alias.name.split(".")[0]
                local = (alias.asname, alias.name) if alias.asname else (head, head)
                yield alias.lineno, alias.name, local
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            yield node.lineno, base, None
            for alias in node.names:
                if alias.name != "*":
                    name = f"{base}.{alias.name}"
                    yield alias.lineno, name, (alias.asname or alias.name, name)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module a `from ... import` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    package = parts if is_package else parts[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _chain(node: ast.Attribute) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None when the chain does not start at a plain name."""
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    return [current.id, *reversed(parts)]
