"""Issue 14, finding 6: partners keep the sender's signed audit heads.

Whoever holds a workspace's folder and key can cut the tail off its audit log together
with the tail's heads, and the log alone still verifies. Every sharing package now
carries the sender's latest signed head; the recipient keeps it, refuses a later
package whose head is smaller (the log lost entries), and `share heads --json` gives
the sender's auditor the list that `audit verify --trusted` checks the log against.
"""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner, Result

from pinchpoint.access import journal, keys
from pinchpoint.cli import app
from pinchpoint.sharing import sealed
from pinchpoint.sharing.package import PackageError, read_package

runner = CliRunner()
ENV: dict[str, str | None] = {"PINCHPOINT_USER": None, "PINCHPOINT_WORKSPACE": None}


def cli(ws: Path, *args: str) -> Result:
    return runner.invoke(app, ["--workspace", str(ws), *args], env=ENV)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


class Partners:
    """NCA, which exports, and PAF, which trusts NCA's key and imports."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.nca, self.paf = folder / "nca", folder / "paf"
        ok(cli(self.nca, "init", "--agency", "NCA"))
        ok(cli(self.paf, "init", "--agency", "PAF"))
        ok(cli(self.nca, "agency", "add", "PAF"))
        ok(cli(self.paf, "share", "trust", "NCA", ok(cli(self.nca, "share", "key")).stdout))
        self.sent = 0

    def export(self) -> Path:
        self.sent += 1
        package = self.folder / f"package-{self.sent}.zip"
        ok(cli(self.nca, "share", "export", "--to", "PAF", "--out", str(package),
               "--reason", "joint operation"))
        return package

    def held(self) -> list[dict[str, object]]:
        found: list[dict[str, object]] = json.loads(
            ok(cli(self.paf, "share", "heads", "--from", "NCA", "--json")).stdout)
        return found

    def nca_size(self) -> int:
        with journal.open_log(self.nca) as log:
            return log.head().size


@pytest.fixture
def partners(tmp_path: Path) -> Partners:
    return Partners(tmp_path)


def _truncate(ws: Path, keep: int) -> None:
    """Cut the log to its first `keep` entries, their heads kept, the rest gone: what
    whoever holds the folder can do; the log alone still verifies."""
    con = duckdb.connect(str(ws / journal.AUDIT_FILE))
    try:
        con.execute("DELETE FROM audit_log WHERE seq >= ?", [keep])
        con.execute("DELETE FROM audit_heads WHERE size > ?", [keep])
        con.execute("DELETE FROM audit_frontier")
    finally:
        con.close()


def test_a_package_carries_the_head_and_the_import_keeps_it(partners: Partners) -> None:
    """(e) The signed header carries the sender's latest head; importing keeps it."""
    package = partners.export()
    with zipfile.ZipFile(package) as archive:
        header = json.loads(archive.read("package.json"))
    head = header["audit_head"]
    assert set(head) == {"size", "root", "at", "key_id", "signature"}
    assert head["key_id"] == header["key_id"]
    assert 0 < head["size"] < partners.nca_size()  # the export's own entry came after
    ok(cli(partners.paf, "share", "import", str(package)))
    ok(cli(partners.paf, "share", "import", str(package)))  # again: kept once
    assert [{k: h[k] for k in head} for h in partners.held()] == [head]


def test_a_smaller_head_from_the_same_key_is_refused(partners: Partners) -> None:
    """(e) The sender's log shrank between two packages: the second is refused."""
    ok(cli(partners.paf, "share", "import", str(partners.export())))
    for _ in range(3):
        partners.export()  # more entries in NCA's log
    ok(cli(partners.paf, "share", "import", str(partners.export())))
    before = partners.held()
    _truncate(partners.nca, 2)
    refused = cli(partners.paf, "share", "import", str(partners.export()))
    assert refused.exit_code == 2, refused.output
    assert "entries were removed" in refused.stderr and "nothing imported" in refused.stderr
    assert partners.held() == before


def test_a_head_the_package_key_did_not_sign_is_refused(partners: Partners) -> None:
    """The head is checked against the package's own (trusted) key: a package whose
    header claims a longer log than the sender's key signed is refused."""
    package = partners.export()
    with zipfile.ZipFile(package) as archive:
        header = json.loads(archive.read("package.json"))
        body = archive.read("statements.jsonl")
    header["audit_head"]["size"] += 100
    key = keys.signing_key(partners.nca)
    raw = json.dumps(header).encode()
    forged = partners.folder / "forged.zip"
    forged.write_bytes(sealed.canonical_zip([
        ("package.json", raw), ("signature", base64.b64encode(key.sign(raw)) + b"\n"),
        ("statements.jsonl", body)]))
    with pytest.raises(PackageError, match=r"audit head in package\.json is not signed"):
        read_package(forged, {"NCA": [key.public_key()]})


def test_partners_heads_catch_a_truncated_log(partners: Partners, tmp_path: Path) -> None:
    """(d) Cut off the tail with its heads: the log alone verifies, but the heads
    PAF received (`share heads --json`) make `audit verify --trusted` fail."""
    for _ in range(3):
        ok(cli(partners.paf, "share", "import", str(partners.export())))
    kept = tmp_path / "heads.json"
    kept.write_text(ok(cli(partners.paf, "share", "heads", "--from", "NCA", "--json")).stdout)
    assert len(json.loads(kept.read_text())) == 3
    verified = ok(cli(partners.nca, "audit", "verify", "--trusted", str(kept)))
    assert "3 trusted heads still covered" in verified.stdout
    _truncate(partners.nca, 2)
    assert ok(cli(partners.nca, "audit", "verify")).stdout.startswith("OK: ")
    failed = cli(partners.nca, "audit", "verify", "--trusted", str(kept))
    assert failed.exit_code == 1
    assert failed.stdout.count("a trusted head covers") == 3


def test_share_heads_is_for_auditors_and_administrators(partners: Partners) -> None:
    ok(cli(partners.paf, "user", "add", "paf.analyst", "--agency", "PAF", "--role",
           "analyst", "--clearance", "OFFICIAL"))
    refused = runner.invoke(app, ["--workspace", str(partners.paf), "--as", "paf.analyst",
                                  "share", "heads", "--from", "NCA"], env=ENV)
    assert refused.exit_code == 2 and "auditor" in refused.stderr
