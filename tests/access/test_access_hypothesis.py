"""Random statements, sharing groups, grants and readers: what `scope_for` lets a reader
see equals the independent oracle (`access_world.World`), statement by statement
(values after redaction, handling conditions) and in the counts."""

from __future__ import annotations

from typing import Any

from access_world import (
    CLASSIFICATIONS,
    HANDLINGS,
    GrantSpec,
    World,
    apply_grants,
    counts_of,
    keys,
    write_batch,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from postgres import fresh_store

from pinchpoint.access import directory
from pinchpoint.access.entitlements import scope_for
from pinchpoint.model.reader import Clearance, Reader, Role

AGENCIES = ("NCA", "BF", "PAF", "BKA")
SOURCES = ("intel", "seizures")
GROUPS = ("G1", "G2")
PEOPLE = ("p0", "p1", "p2", "p3")
PROPS = ("name", "phone", "birthDate", "nationality")

# H1 (not for court) and H2 (never re-disseminated) twice as likely: their rules differ.
batch_keys = st.tuples(st.sampled_from(AGENCIES), st.sampled_from(SOURCES),
                       st.sampled_from((*HANDLINGS, "H1", "H2")),
                       st.sampled_from(CLASSIFICATIONS))
# (batch index, person, property, value index)
statement_rows = st.tuples(st.integers(0, 4), st.sampled_from(PEOPLE), st.sampled_from(PROPS),
                           st.integers(0, 2))


@st.composite
def worlds(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, str, str]],
                                     dict[int, list[tuple[str, str, str, str]]],
                                     dict[str, set[str]], list[GrantSpec]]:
    """A reader's agency, batches and their rows, sharing groups, grants. Grants and group
    memberships lean towards the reader, so most examples share something with them."""
    reader = draw(st.sampled_from(AGENCIES))
    batches = draw(st.lists(batch_keys, min_size=2, max_size=5, unique=True))
    rows = draw(st.lists(statement_rows, min_size=6, max_size=25))
    by_batch: dict[int, list[tuple[str, str, str, str]]] = {}
    for index, person, prop, value in rows:
        b = index % len(batches)
        by_batch.setdefault(b, []).append((person, "Person", prop, f"{prop}-{person}-{value}"))
    # Victims and witnesses, each marked by one batch; an identity document held by one.
    for person in draw(st.sets(st.sampled_from(PEOPLE), min_size=1, max_size=3)):
        b = draw(st.integers(0, len(batches) - 1))
        category = draw(st.sampled_from(["victim", "Witness", "suspect"]))
        by_batch.setdefault(b, []).append((person, "Person", "personCategory", category))
    if draw(st.booleans()):
        b = draw(st.integers(0, len(batches) - 1))
        holder = draw(st.sampled_from(PEOPLE))
        by_batch.setdefault(b, []).extend([
            ("doc", "Identification", "holder", holder),
            ("doc", "Identification", "number", "DOC-1"),
            ("doc", "Identification", "country", "iq")])
    groups = {g: draw(st.sets(st.sampled_from(AGENCIES), min_size=1)) for g in GROUPS}
    groups[GROUPS[0]].add(reader)
    specs = []
    for _ in range(draw(st.integers(1, 6))):
        # Mostly the owners of the statements, sharing with the reader (directly or
        # through G1, which the reader is in); sometimes anyone with anyone.
        owner = draw(st.sampled_from([b[0] for b in batches if b[0] != reader] or AGENCIES))
        recipient = draw(st.sampled_from([reader, GROUPS[0], GROUPS[0], *AGENCIES, *GROUPS]))
        if recipient == owner:
            continue
        specs.append(GrantSpec(
            owner, recipient, recipient in GROUPS, draw(st.none() | st.sampled_from(SOURCES)),
            draw(st.booleans()), draw(st.sampled_from([False, False, False, True]))))
    return reader, batches, by_batch, groups, specs


@settings(max_examples=40, deadline=None)
@given(world=worlds(), clearance=st.sampled_from(list(Clearance)), court=st.booleans())
def test_scope_for_matches_the_oracle(world: tuple[Any, ...], clearance: Clearance,
                                      court: bool) -> None:
    agency, batches, by_batch, groups, specs = world
    # A store per example: a fresh database (in memory on DuckDB: three times faster).
    with fresh_store() as store:
        con = store.con
        directory.ensure(con)
        for a in AGENCIES:
            directory.add_agency(con, a)
        for group, members in groups.items():
            for member in sorted(members):
                directory.add_to_group(con, group, member)
        apply_grants(con, specs, lambda owner: Reader(f"{owner}.boss", owner,
                                                      Role.ADMINISTRATOR), "test", "done")
        for b, rows in sorted(by_batch.items()):
            owner, source, handling, classification = batches[b]
            write_batch(store, owner, source, handling, classification, rows,
                        quarantined=b % 2)
        oracle = World.load(con, groups, specs)

        reader = Reader(f"{agency}.reader", agency, Role.ANALYST, clearance)
        scope = scope_for(con, reader, court=court)
        expected = oracle.visible(agency, clearance.value, court)
        assert keys(store.statements(scope)) == keys(expected)
        # The same world read by every other agency, for court and not (cheap; it makes
        # each example check eight readers instead of one).
        for other in AGENCIES:
            for for_court in (False, True):
                if (other, for_court) == (agency, court):
                    continue
                scope_other = scope_for(con, Reader(f"{other}.reader", other, Role.ANALYST,
                                                    clearance), court=for_court)
                assert keys(store.statements(scope_other)) == keys(
                    oracle.visible(other, clearance.value, for_court)), (other, for_court)

        counts = store.counts(scope)
        want = counts_of(expected)
        assert (counts.statements, counts.entities) == (want["statements"],
                                                        want["entities"])
        assert counts.by_owner == want["by_owner"]
        assert counts.by_source == want["by_source"]
        assert counts.by_schema == want["by_schema"]
        assert counts.quarantined == len(oracle.own_quarantine(agency, clearance.value,
                                                               court))
        assert {q.id for q in store.quarantine(scope)} == oracle.own_quarantine(
            agency, clearance.value, court)
        assert counts.batches == len(oracle.own_batches(agency))


def test_a_detail_added_after_the_victim_marking_is_redacted() -> None:
    with fresh_store() as store:
        con = store.con
        directory.ensure(con)
        for a in ("NCA", "BF"):
            directory.add_agency(con, a)
        directory.grant(con, Reader("nca.boss", "NCA", Role.SUPERVISOR), "BF", "joint op")
        write_batch(store, "NCA", "intel", "P", "OFFICIAL",
                    [("p1", "Person", "personCategory", "victim")])
        write_batch(store, "NCA", "intel", "P", "OFFICIAL",
                    [("p1", "Person", "name", "Rebin Ali")])
        scope = scope_for(con, Reader("bf.analyst", "BF", Role.ANALYST, Clearance.OFFICIAL))
        names = [s.value for s in store.statements(scope, entity_id="p1") if s.prop == "name"]
        assert names == ["[redacted]"]
