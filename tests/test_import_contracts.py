"""The underscore-names contract (tools/import_contracts.py) on small packages made here:
it must fail on each way of reaching another package's private names, and pass on a
package that only uses public names or its own private ones."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tools/, as `lint-imports` finds it from the repository root

from tools.import_contracts import UnderscoreNamesContract, Use  # noqa: E402

PACKAGE = {
    "__init__.py": '"""A root package."""\n__version__ = "1"\n',
    "a/__init__.py": "_SECRET = 1\nPUBLIC = 2\n",
    "a/inner.py": "def _helper() -> None: ...\ndef public() -> None: ...\n",
    "a/_hidden.py": "VALUE = 1\n",
    "a/own.py": "from synth.a.inner import _helper\nfrom . import _hidden\n_helper()\n",
    "b/__init__.py": "",
    "b/clean.py": """\
        from __future__ import annotations
        import synth.a.inner as inner
        from synth import __version__
        from synth.a import PUBLIC
        from ..a.inner import public
        inner.public()
        inner.__name__
        """,
}

VIOLATIONS = """\
    from synth.a.inner import (
        public,
        _helper,
    )
    from synth.a import _hidden
    from synth.a._hidden import VALUE
    from synth.a import inner
    import synth.a.inner
    from ..a import _SECRET as secret


    def use() -> None:
        inner._helper()
        synth.a.inner._helper()
    """


def make(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: dict[str, str]) -> None:
    for name, text in {**PACKAGE, **extra}.items():
        path = tmp_path / "synth" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(tmp_path))


def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: dict[str, str]) -> list[Use]:
    make(tmp_path, monkeypatch, extra)
    contract = UnderscoreNamesContract("underscore names", {"root_packages": ["synth"]}, {})
    result = contract.check(grimp.build_graph("synth", cache_dir=None), verbose=False)
    assert result.kept == (not result.metadata["uses"])
    return list(result.metadata["uses"])


def test_public_names_and_own_private_names_keep_the_contract(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert check(tmp_path, monkeypatch, {}) == []


def test_every_way_of_reaching_another_package_private_name_breaks_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uses = check(tmp_path, monkeypatch, {"b/bad.py": VIOLATIONS})
    assert uses == [
        Use("synth.b.bad", 3, "synth.a.inner._helper"),  # inside a multi-line import
        Use("synth.b.bad", 5, "synth.a._hidden"),
        Use("synth.b.bad", 6, "synth.a._hidden"),
        Use("synth.b.bad", 9, "synth.a._SECRET"),  # a relative import, renamed
        Use("synth.b.bad", 13, "synth.a.inner._helper"),  # an attribute of an import
        Use("synth.b.bad", 14, "synth.a.inner._helper"),
    ]


def test_lint_imports_finds_the_contract_type_and_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    """Registered as in pyproject.toml, `lint-imports` reports the name and exits 1."""
    make(tmp_path, monkeypatch, {"b/bad.py": VIOLATIONS})
    config = tmp_path / "pyproject.toml"
    config.write_text(textwrap.dedent("""\
        [tool.importlinter]
        root_package = "synth"
        contract_types = ["underscore_names: tools.import_contracts.UnderscoreNamesContract"]

        [[tool.importlinter.contracts]]
        name = "No underscore names from another package"
        type = "underscore_names"
        """))
    monkeypatch.chdir(tmp_path)
    assert lint_imports(str(config), no_cache=True, no_logo=True, is_debug_mode=True) == 1
    out = capfd.readouterr().out
    assert "synth.b.bad (l.3) uses synth.a.inner._helper" in out


def test_pyproject_registers_the_contract() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert "underscore_names: tools.import_contracts.UnderscoreNamesContract" in (
        config["contract_types"])
    assert "underscore_names" in {contract["type"] for contract in config["contracts"]}
