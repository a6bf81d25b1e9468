"""Each typology detector finds an instance planted into a small year of ordinary
payments, and none flags the busy legitimate businesses trading evenly all year: a
shop paid by dozens of customers every week, a payroll paying its staff every month,
a tenant paying rent just under the threshold, a shop paying its suppliers."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from pinchpoint.money import TYPOLOGIES, Alert, FlowGraph, Params, Provenance, Transfer, alerts
from pinchpoint.money.typologies import TypologyError, thresholds

PLAIN = Provenance(("NCA",), ("ledger-a",), "1", "A", ("P0",), (), "OFFICIAL")
WEAK = Provenance(("NCA",), ("tip-off",), "3", "C", ("P2",), ("no onward sharing",),
                  "SECRET")
YEAR = date(2024, 1, 1)


class Book:
    def __init__(self) -> None:
        self.transfers: list[Transfer] = []

    def pay(self, payer: str, payee: str, day: int, amount: float, currency: str = "GBP",
            provenance: Provenance = PLAIN) -> str:
        ident = f"pay-{len(self.transfers):05d}"
        self.transfers.append(Transfer(
            ident, payer, payee, (YEAR + timedelta(days=day)).isoformat(),
            Decimal(str(round(amount, 2))), currency, f"REF-{len(self.transfers)}",
            provenance))
        return ident

    def graph(self) -> FlowGraph:
        ordered = sorted(self.transfers, key=lambda t: (t.day, t.id))
        return FlowGraph(ordered, {})


def ordinary_year(book: Book, rng: random.Random) -> None:
    """300 people paying each other and a shop; the shop paid by 40 customers every
    week; a payroll paying 30 staff monthly; the shop paying suppliers fortnightly; a
    tenant paying 950 rent every month."""
    people = [f"p{n:03d}" for n in range(300)]
    for payer in people:
        for _ in range(rng.randint(2, 14)):
            payee = rng.choice(people) if rng.random() < 0.6 else "shop"
            if payee != payer:
                book.pay(payer, payee, rng.randrange(365), rng.lognormvariate(3.8, 1.0))
    for week in range(52):
        for customer in rng.sample(people, 40):
            book.pay(customer, "shop", week * 7 + rng.randrange(7), rng.uniform(5, 90))
    staff = people[:30]
    for month in range(12):
        book.pay("company", "payroll", month * 30 + 22, 60_000)
        for person in staff:
            book.pay("payroll", person, month * 30 + 24, 2_000)
        book.pay("tenant", "landlord", month * 30 + 1, 950)
    for fortnight in range(26):
        for supplier in ("supplier-1", "supplier-2", "supplier-3"):
            book.pay("shop", supplier, fortnight * 14 + 3, rng.uniform(2_000, 4_000))


def planted(book: Book) -> dict[str, set[str]]:
    """One instance of every typology; the payments of each."""
    found: dict[str, set[str]] = {}
    found["fan_out"] = {book.pay("fo-src", f"fo-{k}", 100 + k % 3, 3_000 + k * 10)
                        for k in range(7)}
    found["fan_in"] = {book.pay(f"fi-{k}", "fi-dst", 130 + k % 4, 2_500 + k * 10)
                       for k in range(7)}
    sg = {book.pay("sg-src", f"sg-{k}", 160 + k % 2, 4_000 + k) for k in range(6)}
    found["scatter_gather"] = sg | {book.pay(f"sg-{k}", "sg-dst", 163 + k % 2, 3_900 + k)
                                    for k in range(6)}
    gs = {book.pay(f"gsi-{k}", "gs-hub", 190 + k % 3, 3_000 + k) for k in range(6)}
    found["gather_scatter"] = gs | {book.pay("gs-hub", f"gso-{k}", 194 + k % 2, 2_800 + k)
                                    for k in range(6)}
    ring = ["c-a", "c-b", "c-c", "c-d"]
    found["cycle"] = {book.pay(a, b, 220 + 2 * n, 9_000 * 0.97 ** n)
                      for n, (a, b) in enumerate(zip(ring, ring[1:] + ring[:1], strict=True))}
    found["structuring"] = {book.pay("smurf", "boss", 250 + k, 975 - 10 * k,
                                     provenance=WEAK if k == 0 else PLAIN) for k in range(4)}
    deposits = {book.pay(f"migrant-{k}", "collector", 280 + k, 2_500 + 100 * k)
                for k in range(3)}
    found["escrow_release"] = deposits | {
        book.pay("hawaladar-1", "collector", 290 + k, 2_500 + 100 * k) for k in range(3)}
    found["settlement"] = {book.pay("hawaladar-2", "hawaladar-1", 300, 75_000)}
    book.pay("hawaladar-2", "collector-2", 200, 1_500)  # it releases fees too
    book.pay("migrant-9", "collector-2", 190, 1_500)
    book.pay("hawaladar-2", "collector-2", 202, 1_700)
    book.pay("migrant-8", "collector-2", 191, 1_700)
    return found


@pytest.fixture(scope="module")
def year() -> tuple[list[Alert], dict[str, set[str]]]:
    book = Book()
    ordinary_year(book, random.Random(7))
    truth = planted(book)
    return alerts(book.graph()), truth


BUSY = {"shop", "payroll", "company", "landlord", "tenant", "supplier-1", "supplier-2",
        "supplier-3"}


@pytest.mark.parametrize("typology", TYPOLOGIES)
def test_each_detector_finds_its_planted_instance(
        year: tuple[list[Alert], dict[str, set[str]]], typology: str) -> None:
    found, truth = year
    mine = [a for a in found if a.typology == typology]
    best = max((len(truth[typology] & set(a.payments)) for a in mine), default=0)
    assert best >= len(truth[typology]) * 0.8, (typology, [a.why for a in mine])


def test_busy_businesses_trading_all_year_are_not_alerts(
        year: tuple[list[Alert], dict[str, set[str]]]) -> None:
    found, _ = year
    flagged = {p for a in found for p, _ in a.parties[:2]}
    assert not flagged & BUSY, [a.why for a in found if {p for p, _ in a.parties} & BUSY]


def test_no_alert_is_made_of_ordinary_traffic_alone(
        year: tuple[list[Alert], dict[str, set[str]]]) -> None:
    found, truth = year
    planted_ids = set().union(*truth.values())
    stray = [a.why for a in found if not set(a.payments) & planted_ids]
    assert len(stray) <= 1, stray  # chance may make one in 300 people's year


def test_an_alert_carries_its_payments_dates_total_and_weakest_source(
        year: tuple[list[Alert], dict[str, set[str]]]) -> None:
    found, _ = year
    alert = next(a for a in found if a.typology == "structuring")
    data = alert.as_dict()
    assert set(data) >= {"typology", "score", "references", "payments", "parties", "start",
                         "end", "total", "currency", "why", "source_grade", "info_grade",
                         "handling", "classification"}
    assert data["currency"] == "GBP" and Decimal(str(data["total"])) == Decimal(3840)
    assert len(data["references"]) == 4 and all(r.startswith("REF-") for r in
                                                 data["references"])
    # the weakest and most restricted of its sources, not the majority's
    assert (data["source_grade"], data["info_grade"]) == ("3", "C")
    assert data["classification"] == "SECRET" and "P2" in data["handling"]
    assert data["conditions"] == ["no onward sharing"]
    assert "smurf" in alert.why and "boss" in alert.why and "threshold" in alert.why
    assert 0 < alert.score <= 1 and alert.start <= alert.end


def test_thresholds_are_configurable() -> None:
    book = Book()
    for k in range(4):
        book.pay("a", "b", 10 + k, 9_800)
    for k in range(20):  # others paying such sums now and then, over the year
        book.pay(f"x{k}", f"y{k}", 15 * k, 9_500)
    assert not alerts(book.graph(), ["structuring"])
    found = alerts(book.graph(), ["structuring"],
                   Params(thresholds=thresholds(["gbp=10,000"])))
    assert [a.typology for a in found] == ["structuring"]
    with pytest.raises(TypologyError):
        thresholds(["GBP"])
    with pytest.raises(TypologyError):
        alerts(book.graph(), ["smurfing"])


def test_nothing_to_read_is_no_alert() -> None:
    assert alerts(FlowGraph([], {})) == []
    book = Book()
    book.pay("a", "b", 1, 100)
    assert alerts(book.graph()) == []


def test_an_escrow_is_not_also_a_fan_in_and_unresolved_names_are_one_party() -> None:
    """Six migrants paying a collector within days are a fan-in and an escrow: the
    alert is the escrow. The hawaladar's records, left as two parties of one name,
    release as one."""
    book = Book()
    ordinary_year(book, random.Random(3))
    deposits = {book.pay(f"migrant-{k}", "collector", 200 + k % 3, 2_000 + 300 * k)
                for k in range(6)}
    releases = {book.pay(f"hawaladar-{k % 2}", "collector", 212 + k % 2, 2_000 + 300 * k)
                for k in range(6)}
    graph = book.graph()
    graph.labels.update({"hawaladar-0": "Kawa Aziz", "hawaladar-1": "Kawa Aziz"})
    found = alerts(graph)
    escrow = [a for a in found if a.typology == "escrow_release"]
    assert len(escrow) == 1 and set(escrow[0].payments) == deposits | releases
    assert not [a for a in found if a.typology == "fan_in"]
    assert [a for a in alerts(graph, ["fan_in"])]  # asked for alone, the fan is there


def test_crossings_released_on_following_days_are_two_escrows() -> None:
    """One hawaladar releases two crossings' fees to one collector, the second batch
    the day after the first ends: no day passes without a release, yet they are two
    arrivals, so two alerts, each with its own deposits and releases."""
    book = Book()
    ordinary_year(book, random.Random(5))
    batches = []
    for crossing, (paid, released) in enumerate(((190, 210), (193, 213))):
        amounts = [2_000 + 700 * k + 100 * crossing for k in range(4)]
        deposits = {book.pay(f"migrant-{crossing}-{k}", "collector", paid + k, a)
                    for k, a in enumerate(amounts)}
        batches.append(deposits | {book.pay("hawaladar", "collector", released + k % 3, a)
                                   for k, a in enumerate(amounts)})
    escrow = [set(a.payments) for a in alerts(book.graph(), ["escrow_release"])]
    assert sorted(escrow, key=sorted) == sorted(batches, key=sorted)


def test_a_hawaladar_resolved_with_its_collector_still_releases() -> None:
    """Where the hawaladar's and the collector's records were resolved into one party
    (namesakes), the releases are that party paying itself the amounts the migrants
    paid it days before: still an escrow."""
    book = Book()
    ordinary_year(book, random.Random(6))
    deposits = {book.pay(f"migrant-{k}", "nawzad", 200 + k, 2_000 + 300 * k)
                for k in range(4)}
    releases = {book.pay("nawzad", "nawzad", 210 + k % 2, 2_000 + 300 * k)
                for k in range(4)}
    escrow = alerts(book.graph(), ["escrow_release"])
    assert len(escrow) == 1 and set(escrow[0].payments) == deposits | releases
    assert "itself" in escrow[0].why


def test_fees_released_the_day_they_were_paid_are_an_escrow() -> None:
    """A ledger dates by the day: a deposit and its release written on one day (the
    release a little less, or in another currency) are still paired, whichever of the
    two is the smaller."""
    book = Book()
    ordinary_year(book, random.Random(8))
    deposits = {book.pay(f"migrant-{k}", "collector", 200, 2_000 + 600 * k)
                for k in range(3)}
    releases = {book.pay("hawaladar", "collector", 200 + k % 2, 1_995 + 600 * k)
                for k in range(3)}
    escrow = alerts(book.graph(), ["escrow_release"])
    assert len(escrow) == 1 and set(escrow[0].payments) == deposits | releases
