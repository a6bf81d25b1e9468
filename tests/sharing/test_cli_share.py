"""`pinchpoint share ...` between two workspaces, end to end through the CLI: keys are
exchanged, a grant decides what goes in the package, the receiver imports it with the
sender as owner, and a tampered or untrusted package is refused with nothing imported."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from pinchpoint.cli import app

runner = CliRunner()
ENV: dict[str, str | None] = {"PINCHPOINT_USER": None, "PINCHPOINT_WORKSPACE": None}
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def cli(ws: Path, *args: str) -> Result:
    return runner.invoke(app, ["--workspace", str(ws), *args], env=ENV)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def statements(ws: Path) -> int:
    return int(json.loads(ok(cli(ws, "status", "--json")).stdout)["statements"])


def test_share_between_two_instances(tmp_path: Path) -> None:
    nca, paf = tmp_path / "nca", tmp_path / "paf"
    ok(cli(nca, "init", "--agency", "NCA"))
    ok(cli(paf, "init", "--agency", "PAF-FR"))
    ok(cli(nca, "ingest", "ledger", str(EXAMPLES / "ledger.csv"), "--source", "ledger-a"))
    ok(cli(nca, "ingest", "seizures", str(EXAMPLES / "seizures.csv"), "--source", "seiz-a"))
    ok(cli(nca, "agency", "add", "PAF-FR"))
    package = tmp_path / "to-paf.zip"

    # Nothing granted yet: the package is empty of statements.
    ok(cli(nca, "share", "export", "--to", "PAF-FR", "--out", str(package),
           "--reason", "JIT exchange"))
    ok(cli(paf, "share", "trust", "NCA", ok(cli(nca, "share", "key")).stdout.strip()))
    ok(cli(paf, "share", "import", str(package)))
    assert statements(paf) == 0

    # One source granted: exactly that source arrives, owned by NCA.
    ok(cli(nca, "share", "grant", "--to", "PAF-FR", "--source", "seiz-a",
           "--reason", "JIT exchange"))
    ok(cli(nca, "share", "export", "--to", "PAF-FR", "--out", str(package),
           "--reason", "JIT exchange"))
    before = statements(paf)
    ok(cli(paf, "share", "import", str(package)))
    status = json.loads(ok(cli(paf, "status", "--json")).stdout)
    assert set(status["by_source"]) == {"seiz-a"}
    assert statements(paf) > before
    assert "NCA" in status["by_owner"]
    assert statements(paf) == status["statements"]

    # Importing again adds nothing; a changed byte or an untrusted sender imports nothing.
    again = statements(paf)
    ok(cli(paf, "share", "import", str(package)))
    assert statements(paf) == again
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(bytes(data))
    refused = cli(paf, "share", "import", str(tampered))
    assert refused.exit_code == 2 and refused.stderr.startswith("error: ")
    assert "nothing imported" in refused.stderr
    assert statements(paf) == again
    stranger = tmp_path / "stranger"
    ok(cli(stranger, "init", "--agency", "NCA"))
    refused = cli(stranger, "share", "import", str(package))
    assert refused.exit_code == 2 and "nothing imported" in refused.stderr

    # Every disclosure and collection is in the two audit logs.
    log = json.loads(ok(cli(nca, "audit", "show", "--json", "--action", "disclosure")).stdout)
    assert [e["recipients"] for e in log] == [["PAF-FR"]] * 3
    got = json.loads(ok(cli(paf, "audit", "show", "--json", "--action", "collection")).stdout)
    assert sum("from NCA" in e["what"] for e in got) == 3
    assert ok(cli(paf, "audit", "verify")).stdout.startswith("OK")
