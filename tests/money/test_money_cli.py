"""`pinchpoint money trace|sinks` on the documented examples: the flow graph is read
through the reader's scope and resolution, amounts add up with the rates given, every
read is logged with its arguments, and bad input is one sentence, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from pinchpoint.access import directory
from pinchpoint.access.journal import open_log
from pinchpoint.cli import app
from pinchpoint.demo.examples import ingest_examples
from pinchpoint.money import build
from pinchpoint.store import Scope, init_workspace

RATES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "rates.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = init_workspace(tmp_path_factory.mktemp("money") / "ws", "NCA")
    ingest_examples(workspace)
    with workspace.open_store() as store:
        directory.add_agency(store.con, "BORDER-FORCE")
        directory.add_user(store.con, "bf-1", "BORDER-FORCE", "analyst", "SECRET",
                           "correct horse battery")
    assert cli(workspace.path, "resolve").exit_code == 0  # the operator's scope
    return workspace.path


def cli(ws: Path, *args: str) -> Result:
    return runner.invoke(app, ["--workspace", str(ws), *args])


def ok_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_graph_reads_every_payment_and_counts_the_incomplete(ws: Path) -> None:
    from pinchpoint.store import open_workspace
    with open_workspace(ws).open_store(read_only=True) as store:
        graph = build(store, Scope.owner("NCA"))
    assert {t.reference for t in graph.transfers} >= {"HW-1001", "HW-1003", "HW-1006"}
    assert sum(graph.incomplete.values()) >= 1  # the ledger row with no date
    assert all(t.provenance.owners == ("NCA",) for t in graph.transfers)
    assert "Amanj Hassan Zada" in graph.labels.values()


def test_payments_read_a_slice_at_a_time_are_the_payments_read_at_once(ws: Path) -> None:
    from pinchpoint.store import open_workspace
    from pinchpoint.store.money_reads import payments
    with open_workspace(ws).open_store(read_only=True) as store:
        whole = payments(store, Scope.owner("NCA"))
        assert len(whole) > 3
        for size in (1, 2, 3):  # ranges of ids, each a separate aggregate
            assert payments(store, Scope.owner("NCA"), slice_size=size) == whole, size


def test_the_graph_streams_the_payments_a_chunk_at_a_time(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The flow graph never holds every payment row (2 KB each, statement ids and all):
    it reads them a chunk at a time, and the chunks are the payments."""
    from pinchpoint.money import flows
    from pinchpoint.store import open_workspace
    from pinchpoint.store.money_reads import payment_rows, payments
    with open_workspace(ws).open_store(read_only=True) as store:
        whole = payments(store, Scope.owner("NCA"))
        for chunk in (1, 2, 10_000):
            assert list(payment_rows(store, Scope.owner("NCA"), chunk=chunk)) == whole
        expected = build(store, Scope.owner("NCA"))
        read: list[object] = []

        def counted(*args: Any) -> Any:
            for row in payment_rows(*args, chunk=1):
                read.append(row.id)
                yield row

        monkeypatch.setattr(flows, "payment_rows", counted)
        assert build(store, Scope.owner("NCA")).transfers == expected.transfers
    assert read == [row.id for row in whole]


def test_party_labels_read_a_batch_of_parties_at_a_time(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parties' names are read a batch of whole parties at a time (a national
    store's two million parties at once outgrew the machine): the labels are those read
    at once, and no party's records are split between batches."""
    from pinchpoint.money import flows
    from pinchpoint.store import open_workspace
    with open_workspace(ws).open_store(read_only=True) as store:
        expected = build(store, Scope.owner("NCA")).labels
        monkeypatch.setattr(flows, "ENTITY_SLICE", 1)
        assert build(store, Scope.owner("NCA")).labels == expected
    records = {"a": {"a1", "a2", "a3"}, "b": {"b1"}, "c": {"c1"}, "d": {"d1", "d2"}}
    assert list(flows._batches(records, 2)) == [["a"], ["b", "c"], ["d"]]
    assert list(flows._batches(records, 10)) == [["a", "b", "c", "d"]]
    assert list(flows._batches({}, 2)) == []


def test_trace_follows_the_money_hop_by_hop(ws: Path) -> None:
    found = ok_json(cli(ws, "money", "trace", "--from", "Amanj Hassan Zada", "--rates",
                        str(RATES), "--json"))
    assert found["label"] == "Amanj Hassan Zada" and found["base"] == "GBP"
    hops = {h["hop"]: h for h in found["hops"]}
    assert {s["reference"] for s in hops[1]["steps"]} >= {"HW-1001", "HW-1003"}
    second = {s["reference"]: s for s in hops[2]["steps"]}
    # HW-1006 (3,000 EUR) passes on only the 1,800 EUR that reached Dilan Karim.
    assert float(second["HW-1006"]["carried"]) == pytest.approx(1800 * 0.8465)
    assert second["HW-1006"]["provenance"]["sources"] == ["hawala-ranya"]
    table = cli(ws, "money", "trace", "--from", "Amanj Hassan Zada", "--rates", str(RATES))
    assert table.exit_code == 0 and "HW-1006" in table.stdout and "hop 2" in table.stdout


def test_sinks_rank_who_keeps_the_money(ws: Path) -> None:
    found = ok_json(cli(ws, "money", "sinks", "--rates", str(RATES), "--json"))
    kept = [float(s["kept"]) for s in found["sinks"]]
    assert kept == sorted(kept, reverse=True) and kept[0] > 0 and found["unconverted"] == 0
    # The examples' rates.csv was kept in the workspace as they were ingested.
    kept = ok_json(cli(ws, "money", "sinks", "--json"))
    assert kept["unconverted"] == 0 and "kept in the workspace" in kept["rates"]
    assert kept["sinks"] == found["sinks"]


def test_party_is_a_profiles_money_and_agrees_with_sinks(ws: Path) -> None:
    sunk = ok_json(cli(ws, "money", "sinks", "--json"))["sinks"][0]
    found = ok_json(cli(ws, "money", "party", sunk["party"], "--json"))
    assert found["party"] == sunk["party"] and found["kept"] == sunk["kept"]
    assert found["received"] == sunk["received"] and found["counterparties"]
    table = cli(ws, "money", "party", sunk["label"])
    assert table.exit_code == 0 and "deals most with" in table.stdout
    assert cli(ws, "money", "party", "nobody at all").exit_code == 2


def test_rates_kept_in_the_workspace(ws: Path, tmp_path: Path) -> None:
    shown = cli(ws, "money", "rates")
    assert shown.exit_code == 0 and "rates into GBP for EUR, GBP, IQD, USD" in shown.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("currency,to_base\nGBP,1\nEUR,x\n")
    refused = cli(ws, "money", "rates", str(bad))
    assert refused.exit_code != 0 and "line 3" in refused.output
    assert "IQD" in cli(ws, "money", "rates").stdout  # the kept file is unchanged
    assert cli(ws, "--as", "bf-1", "money", "rates", str(RATES)).exit_code != 0  # analysts


def test_reads_are_scoped_and_logged(ws: Path) -> None:
    refused = cli(ws, "--as", "bf-1", "money", "trace", "--from", "Amanj Hassan Zada")
    assert refused.exit_code != 0 and "no party" in refused.output
    assert "Traceback" not in refused.output
    cli(ws, "--purpose", "Operation Seagull money", "money", "sinks", "--top", "3")
    with open_log(ws) as log:
        last = log.entries("NCA", action="consultation")[-1]
    assert "money sinks" in last.what and last.detail["arguments"]["top"] == "3"
    assert last.why == "Operation Seagull money"


@pytest.mark.parametrize(("args", "fragment"), [
    (("money", "trace", "--from", "Amanj Hassan Zada", "--rates", "missing.csv"),
     "cannot be read"),
    (("money", "trace", "--from", "a"), "no party"),
    (("money", "trace", "--from", "Amanj Hassan Zada", "--since", "2024-05-01",
      "--until", "2024-01-01"), "after"),
])
def test_bad_input_is_one_sentence(ws: Path, args: tuple[str, ...], fragment: str) -> None:
    result = cli(ws, *args)
    assert result.exit_code != 0 and fragment in result.output
    assert "Traceback" not in result.output
