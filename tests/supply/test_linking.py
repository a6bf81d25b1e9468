"""Seized items linked across files, agencies and countries through noisy serials,
only through what the scope sees; victims never handlers, hubs or targets; the
planner removes the most first."""

from __future__ import annotations

from supply_world import ALL

from pinchpoint.store import Scope, Workspace
from pinchpoint.supply import Supply, chains, hubs, lead_times, legs, link, plan


def _link(world: Workspace, owners: frozenset[str] = ALL) -> Supply:
    with world.open_store(read_only=True) as store:
        return link(store, Scope("NCA", owners))


def _engine(supply: Supply) -> dict[str, object]:
    found = [c for c in chains(supply) if c.serial.upper().startswith("6BG")]
    assert len(found) == 1
    return found[0].as_dict()


def test_a_seized_engine_links_to_every_record_naming_its_serial(world: Workspace) -> None:
    engine = _engine(_link(world))
    kinds = sorted(s["kind"] for s in engine["links"])  # type: ignore[attr-defined]
    assert kinds == ["import", "import", "purchase", "storage", "transport"]
    roles = {(h["role"], h["label"]) for h in engine["handlers"]}  # type: ignore[attr-defined]
    assert ("seller", "Marmara Trade GmbH") in roles and ("driver", "Hemin Rasul") in roles
    assert ("renter", "Dilan Kaya") in roles
    assert all(s["provenance"]["owner"] for s in engine["links"])  # type: ignore[attr-defined]
    assert engine["import_to_seizure_days"] == 18  # first import 2 March, seized 20 March


def test_one_serial_on_two_makes_is_two_items(world: Workspace) -> None:
    suzuki = [c for c in chains(_link(world)) if c.make == "Suzuki"]
    assert len(suzuki) == 1
    assert {s.kind for s in suzuki[0].links} == {"purchase", "import"}  # not the Tohatsu


def test_items_nothing_else_names_are_listed_only_when_asked(world: Workspace) -> None:
    supply = _link(world)
    assert all(c.links for c in chains(supply, linked_only=True))
    assert any(c.serial == "FR-ZDC99999C525" for c in chains(supply))
    assert not any(c.serial == "FR-ZDC99999C525" for c in chains(supply, linked_only=True))


def test_an_agency_that_cannot_see_a_record_never_gets_its_link(world: Workspace) -> None:
    engine = _engine(_link(world, frozenset({"PAF-FR", "BKA-DE"})))
    kinds = {s["kind"] for s in engine["links"]}  # type: ignore[attr-defined]
    assert kinds == {"purchase", "storage", "import"}  # the victim file is PAF-FR's
    assert "BG25IM0000001" not in str(engine)
    assert "Hemin Rasul" not in str(engine)
    assert chains(_link(world, frozenset({"BKA-DE"}))) == []  # no seizure seen, no chain


def test_victims_are_never_handlers_hubs_or_targets(world: Workspace) -> None:
    supply = _link(world)
    assert "Sara Ahmadi" not in str([c.as_dict() for c in chains(supply)])
    assert "Sara Ahmadi" not in {h.label for h in hubs(supply)}
    assert "Sara Ahmadi" not in {s.target.label for s in plan(supply, 10).steps}


def test_the_hub_is_one_company_across_files_and_spellings(world: Workspace) -> None:
    ranked = hubs(_link(world))
    top = ranked[0]
    assert top.label == "Marmara Trade GmbH"
    assert len(top.seized_items) == 3 and top.roles == {"seller", "importer"}
    assert top.countries == {"fr"}
    assert [h.label for h in ranked][1:] == ["Small Boats OOD"]


def test_the_planner_removes_the_most_first(world: Workspace) -> None:
    found = plan(_link(world), 5)
    gains = [s.boats * 1000 + s.engines for s in found.steps]
    assert gains == sorted(gains, reverse=True)
    assert found.steps[0].target.label == "Marmara Trade GmbH"
    # the Tohatsu only a vehicle check names has no known supplier or site
    assert (found.steps[-1].cumulative_engines, found.engines) == (3, 4)
    assert [s.cumulative_boats for s in found.steps] == sorted(
        s.cumulative_boats for s in found.steps)


def test_lead_times_and_the_map(world: Workspace) -> None:
    supply = _link(world)
    lead = lead_times(supply)
    assert (lead.items, lead.shortest, lead.longest) == (2, 18, 31)  # Yamaha, Suzuki
    drawn = legs(chains(supply))
    names = {(leg.start.text, leg.end.text) for leg in drawn}
    assert ("Burgas port", "lorry park, Fürstenauer Weg, Osnabrück") in names
    placed = {p.text: p for leg in drawn for p in (leg.start, leg.end)}
    assert placed["Gravelines beach"].lat is not None
    assert placed["cn"].precision == "country"
