"""Commonality across seized phones: a number saved on many arrivals' phones ranks first,
with the names it was saved under and whether it was contacted before the seizure; an
arrival's own number is never ranked; a victim label cannot hide another agency's
suspect; the scope decides what is counted; the CLI and REST give the same answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.ingest import IngestOptions, ingest_file
from pinchpoint.phones import PhonesError, common, devices
from pinchpoint.store import Scope, Workspace, init_workspace

SMUGGLER = "+447911123401"
DRIVER = "+33612345678"
SHARED_SUSPECT = "+447911123777"  # an arrival's own number that NCA calls a suspect's


def own(k: int) -> str:
    return f"+4479111235{k:02d}"


def extraction(k: int, contacts: list[tuple[str, str]], calls: list[tuple[str, str]],
               category: str = "victim", seized: str = "2025-06-10") -> dict[str, Any]:
    """Device k: its owner, contacts (label, number) and calls (day, number)."""
    return {"extraction": {"seized_at": seized, "exhibit": f"BF/{k}"},
            "device": {"imei": f"3500000000000{k:02d}", "phone_numbers": [own(k)],
                       "owner": {"name": f"Arrival {k}", "category": category}},
            "contacts": [{"id": str(i), "name": name, "phones": [number]}
                         for i, (name, number) in enumerate(contacts)],
            "calls": [{"timestamp": f"{day}T10:00:00Z", "direction": "outgoing",
                       "number": number, "duration_seconds": 30} for day, number in calls]}


def write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    folder = tmp_path_factory.mktemp("phones")
    workspace = init_workspace(folder / "ws", "BORDER-FORCE")
    labels = ["Kak Rebwar", "Rebwar UK", "Rebwar boat", "ريبوار", "Rebwar"]
    for k in range(5):
        contacts = [(labels[k], SMUGGLER), ("Mum", f"+96475000000{k:02d}")]
        if k < 3:
            contacts.append(("Driver Calais", DRIVER))
        if k > 0:
            contacts.append(("Ali from the camp", own(0)))  # a fellow arrival
        calls = [("2025-06-01", SMUGGLER), ("2025-06-20" if k == 4 else "2025-05-30", SMUGGLER)]
        data = extraction(k, contacts, calls if k != 1 else [("2025-07-01", SMUGGLER)])
        ingest_file(workspace, "phone", write(folder, f"bf_phone_{k}.json", data))
    # Two more phones hold SHARED_SUSPECT: a victim's own number to Border Force...
    victim = extraction(7, [("Smuggler?", SMUGGLER)], [])
    victim["device"]["phone_numbers"] = [SHARED_SUSPECT]
    ingest_file(workspace, "phone", write(folder, "bf_phone_7.json", victim))
    for k in (8, 9):
        data = extraction(k, [("Hama", SHARED_SUSPECT)], [])
        ingest_file(workspace, "phone", write(folder, f"bf_phone_{k}.json", data))
    # ...and a suspect's to NCA, whose seized phone of a suspect holds SMUGGLER too.
    suspect = extraction(10, [("Boss", SMUGGLER)], [], category="suspect")
    suspect["device"]["phone_numbers"] = [SHARED_SUSPECT]
    ingest_file(workspace, "phone", write(folder, "nca_phone_10.json", suspect),
                IngestOptions(owner="NCA"))
    return workspace


def everyone() -> Scope:
    return Scope("BORDER-FORCE", frozenset({"BORDER-FORCE", "NCA"}))


def test_the_number_on_most_phones_ranks_first_with_its_names(ws: Workspace) -> None:
    with ws.open_store(read_only=True) as store:
        found = common(store, everyone())
    first = found.ranked[0]
    assert first.identifier == SMUGGLER
    assert first.devices == 7 and first.arrival_devices == 6  # five, 7, and NCA's suspect
    assert {n.name for n in first.names} >= {"Kak Rebwar", "ريبوار", "Boss"}
    assert first.first_contact is not None and first.first_contact.startswith("2025-05-30")
    assert first.last_contact is not None and first.last_contact.startswith("2025-07-01")
    # devices 0, 2, 3, 4 called it before their seizure (10 June); device 1 only after
    assert (first.before_seizure, first.dated_devices) == (4, 5)
    assert [c.identifier for c in found.ranked][:2] == [SMUGGLER, DRIVER]


def test_an_arrivals_own_number_is_counted_never_ranked(ws: Workspace) -> None:
    with ws.open_store(read_only=True) as store:
        found = common(store, everyone())
    ranked = {c.identifier for c in found.ranked}
    assert own(0) not in ranked  # on four phones, but a victim's
    assert found.protected >= 1


def test_a_victim_label_is_no_shield_for_another_agencys_suspect(ws: Workspace) -> None:
    with ws.open_store(read_only=True) as store:
        found = common(store, everyone())
    (disputed,) = [d for d in found.disputed if d.identifier == SHARED_SUSPECT]
    assert disputed.protected_by == ("BORDER-FORCE",)
    assert disputed.accused_by == ("NCA",)
    assert SHARED_SUSPECT not in {c.identifier for c in found.ranked}


def test_the_scope_decides_what_is_counted(ws: Workspace) -> None:
    with ws.open_store(read_only=True) as store:
        found = common(store, Scope.owner("BORDER-FORCE"))
    first = found.ranked[0]
    assert (first.identifier, first.devices) == (SMUGGLER, 6)
    assert all(n.agency == "BORDER-FORCE" for n in first.names)
    assert not found.disputed  # NCA's suspect label is not visible: protected only


def test_min_devices_and_bad_bounds(ws: Workspace) -> None:
    with ws.open_store(read_only=True) as store:
        assert [c.identifier for c in common(store, everyone(), min_devices=4).ranked] == [
            SMUGGLER]
        with pytest.raises(PhonesError, match="at least 1"):
            common(store, everyone(), min_devices=0)
        listed = devices(store, everyone(), "+33 6 12 34 56 78")
    assert [d for d, _ in listed] == [f"BORDER-FORCE/bf_phone_{k}.json" for k in range(3)]
    assert {day for _, day in listed} == {"2025-06-10"}


def test_the_cli_prints_the_same_ranking(ws: Workspace) -> None:
    result = CliRunner().invoke(app, ["--workspace", str(ws.path), "phones", "common",
                                      "--min-devices", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ranked"][0]["identifier"] == SMUGGLER
    assert data["min_devices"] == 3
    bad = CliRunner().invoke(app, ["--workspace", str(ws.path), "phones", "devices", " "])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
