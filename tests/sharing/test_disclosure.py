"""`sharing.disclosure.package_statements`: what a disclosure package may hold, on a
store stand-in whose two views (exporter, recipient) are written out by hand."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime

from pinchpoint.sharing.disclosure import package_statements
from pinchpoint.store import Scope, Statement
from pinchpoint.store.scope import REDACTED

EXPORTER = Scope.owner("NCA")
RECIPIENT = Scope.owner("PAF")
WHEN = datetime(2024, 5, 1)


def statement(id_: str, value: str, owner: str = "NCA", handling: str = "P") -> Statement:
    return Statement(id_, f"entity-{id_}", "Person", "name", value, None, None, "src", "r1",
                     owner, "1", "A", "1A", handling, None, "OFFICIAL", WHEN, WHEN, "b1")


class Views:
    """A store whose reads return, per scope, the statements given for that scope's
    agency (one entity per statement)."""

    def __init__(self, **by_agency: list[Statement]) -> None:
        self.by_agency = by_agency

    def iter_entities(self, scope: Scope, chunk: int = 50_000) -> Iterator[list[Statement]]:
        for st in self.by_agency.get(scope.agency, []):
            yield [st]


def test_only_what_both_exporter_and_recipient_see() -> None:
    both, exporter_only, recipient_only = (statement(i, i) for i in ("a", "b", "c"))
    store = Views(NCA=[both, exporter_only], PAF=[both, recipient_only])
    assert package_statements(store, EXPORTER, RECIPIENT) == [both]


def test_the_more_redacted_version_travels() -> None:
    plain = statement("v", "Victim Name", owner="BF")
    hidden = dataclasses.replace(plain, value=REDACTED)
    store = Views(NCA=[hidden], PAF=[plain])
    assert package_statements(store, EXPORTER, RECIPIENT) == [hidden]


def test_europol_h2_of_other_owners_is_never_passed_on() -> None:
    own = statement("own", "ours", owner="NCA", handling="H2")
    theirs = statement("theirs", "Europol's", owner="EUROPOL", handling="H2")
    h1 = statement("h1", "fine", owner="EUROPOL", handling="H1")
    store = Views(NCA=[own, theirs, h1], PAF=[own, theirs, h1])
    assert package_statements(store, EXPORTER, RECIPIENT) == [own, h1]
