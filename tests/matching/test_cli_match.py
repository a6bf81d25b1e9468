"""`pinchpoint match ...` between two instances, end to end through the CLI: a filter from
one, a check at the other (hits on phone, document and a name across scripts), a request,
the owner's answer, and every step in both audit logs; a tampered filter and a filter
under another group's key are refused."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from pinchpoint.cli import app

runner = CliRunner()
ENV: dict[str, str | None] = {"PINCHPOINT_USER": None, "PINCHPOINT_WORKSPACE": None}
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
HEADER = "ref,full_name,aliases,dob,nationality,category,phone,passport,address\n"
# NCA's people; PAF holds the first three again in other spellings and scripts.
NCA_ROWS = (
    'N1,Amanj Hassan Zada,,1984-07-01,Iraq,suspect,+9647501234567,A12345678,\n'
    'N2,Zeeshan Banghis,,1979,Pakistan,suspect,+923001234567,,\n'
    'N3,Rebin Jalal Karim,,1990-03-02,Iraq,suspect,,,\n'
    'N4,Unrelated Person Here,,1970,Iraq,suspect,+447911123456,B7654321,\n'
    'N5,Shirin Ahmadi,,2001-02-14,Afghanistan,victim,+447824746944,P0099172,\n')
PAF_ROWS = (
    'F1,Aman Hasan Zadah,,,Iraq,suspect,,A12345678,\n'
    'F2,Z. Bangash,,,Pakistan,suspect,+92 300 1234567,,\n'
    'F3,ريبين جلال كريم,,1990,Iraq,suspect,,,\n'
    'F4,Someone Else Entirely,,1985,France,suspect,+33612345678,C1111111,\n'
    'F5,Shirin Ahmadi Other,,2001,Afghanistan,suspect,+447824746944,,\n')


def cli(ws: Path, *args: str) -> Result:
    return runner.invoke(app, ["--workspace", str(ws), *args], env=ENV)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def _instance(tmp: Path, agency: str, rows: str, other: str) -> Path:
    ws = tmp / agency.lower()
    ok(cli(ws, "init", "--agency", agency))
    people = tmp / f"{agency}.csv"
    people.write_text(HEADER + rows, encoding="utf-8")
    ok(cli(ws, "ingest", "table", str(people), "--mapping",
           str(EXAMPLES / "people_mapping.yaml"), "--source", f"{agency}-nominals"))
    ok(cli(ws, "agency", "add", other))
    ok(cli(ws, "agency", "join", agency, "calais"))
    ok(cli(ws, "agency", "join", other, "calais"))
    return ws


def test_hit_no_hit_between_two_instances(tmp_path: Path) -> None:
    nca = _instance(tmp_path, "NCA", NCA_ROWS, "PAF-FR")
    paf = _instance(tmp_path, "PAF-FR", PAF_ROWS, "NCA")
    key = tmp_path / "calais.key"
    ok(cli(nca, "match", "key", "export", "--group", "calais", "--out", str(key),
           "--reason", "Calais Group key to PAF"))
    ok(cli(paf, "match", "key", "import", str(key), "--reason", "Calais Group key"))
    ok(cli(paf, "share", "trust", "NCA", ok(cli(nca, "share", "key")).stdout.strip()))
    ok(cli(nca, "share", "trust", "PAF-FR", ok(cli(paf, "share", "key")).stdout.strip()))

    filt = tmp_path / "nca.filter"
    ok(cli(nca, "match", "filter", "--group", "calais", "--out", str(filt),
           "--reason", "Calais Group hit/no-hit"))
    hits = json.loads(ok(cli(paf, "match", "check", str(filt), "--json")).stdout)
    by_label = {h["label"]: h for h in hits}
    assert by_label["Aman Hasan Zadah"]["kinds"] == ["document"]
    assert by_label["Z. Bangash"]["kinds"] == ["phone"]
    assert by_label["ريبين جلال كريم"]["kinds"] == ["name"]
    assert by_label["ريبين جلال كريم"]["exact"] == {"name": True}
    # NCA's victim is not in its filter: her phone is left out.
    assert "Shirin Ahmadi Other" not in by_label
    assert len(hits) == 3
    assert by_label["Aman Hasan Zadah"]["strength"] > by_label["ريبين جلال كريم"]["strength"]

    request = tmp_path / "request.zip"
    ok(cli(paf, "match", "request", "--to", "NCA", "--reason", "Operation Kite: who is F1",
           "--out", str(request)))
    received = ok(cli(nca, "match", "receive", str(request), "--reason", "PAF asks"))
    assert "3 of 3 items match" in received.stdout
    rows = json.loads(ok(cli(nca, "match", "requests", "--json")).stdout)
    request_id = rows[0]["id"]
    answer_file = tmp_path / "answer.zip"
    ok(cli(nca, "match", "answer", request_id, "--disclose", "--reason", "JIT agreed",
           "--out", str(answer_file)))
    assert answer_file.with_suffix(".package.zip").exists()
    ok(cli(paf, "match", "receive", str(answer_file), "--reason", "NCA's answer"))
    mine = json.loads(ok(cli(paf, "match", "requests", "--json")).stdout)
    assert mine[0]["status"] == "disclosed"
    imported = ok(cli(paf, "share", "import", str(answer_file.with_suffix(".package.zip"))))
    assert "from NCA" in imported.stdout

    for ws, actions in ((nca, {"disclosure", "collection"}), (paf, {"disclosure",
                                                                     "collection"})):
        log = json.loads(ok(cli(ws, "audit", "show", "--json")).stdout)
        about = [e for e in log if request_id in e["what"]]
        assert {e["action"] for e in about} == actions, (ws, about)


def test_refused_filters(tmp_path: Path) -> None:
    nca = _instance(tmp_path, "NCA", NCA_ROWS, "PAF-FR")
    paf = _instance(tmp_path, "PAF-FR", PAF_ROWS, "NCA")
    ok(cli(paf, "share", "trust", "NCA", ok(cli(nca, "share", "key")).stdout.strip()))
    filt = tmp_path / "nca.filter"
    ok(cli(nca, "match", "filter", "--group", "calais", "--out", str(filt),
           "--reason", "hit/no-hit"))
    # PAF holds no key of NCA's group here (its own "calais" key is another key).
    ok(cli(paf, "match", "key", "rotate", "--group", "calais", "--reason", "own key"))
    refused = cli(paf, "match", "check", str(filt))
    assert refused.exit_code == 2 and "does not hold" in refused.stderr
    data = bytearray(filt.read_bytes())
    data[-40] ^= 0x01
    tampered = tmp_path / "tampered.filter"
    tampered.write_bytes(bytes(data))
    refused = cli(paf, "match", "check", str(tampered))
    assert refused.exit_code == 2 and "refused" in refused.stderr
