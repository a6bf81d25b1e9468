"""What each party keeps counts an escrowed fee once, and a boss's takings are not a
hawala settlement (issue 15: the money up to the head of a group)."""

from __future__ import annotations

import random

from test_typologies import Book, ordinary_year

from pinchpoint.money import alerts, escrow_holders, single_currency, sinks
from pinchpoint.money.party import party_money


def escrow_book() -> tuple[Book, set[str], set[str]]:
    """A year of ordinary traffic; six fees left with a hawaladar for a collector and
    released days later; the collector sends 70 % of it up to a boss."""
    book = Book()
    ordinary_year(book, random.Random(5))
    deposits = {book.pay(f"migrant-{k}", "collector", 200 + k % 3, 2_000 + 300 * k)
                for k in range(6)}
    releases = {book.pay("hawaladar", "collector", 212 + k % 2, 2_000 + 300 * k)
                for k in range(6)}
    book.pay("collector", "boss", 230, 0.7 * sum(2_000 + 300 * k for k in range(6)))
    return book, deposits, releases


def test_an_escrowed_deposit_is_held_by_the_hawaladar_who_released_it() -> None:
    book, deposits, releases = escrow_book()
    held = escrow_holders(book.graph())
    assert {k for k, v in held.items() if v == "hawaladar"} == deposits
    assert not releases & set(held)


def test_the_collector_receives_each_fee_once_and_the_boss_keeps_most() -> None:
    book, _, _ = escrow_book()
    graph = book.graph()
    graph.rates = single_currency("GBP")
    fees = sum(2_000 + 300 * k for k in range(6))
    collector = party_money(graph, "collector")
    assert float(collector.received) == fees  # not twice: deposits went to the hawaladar
    assert abs(float(collector.kept) - 0.3 * fees) < 1
    kept = {s.party: float(s.kept) for s in sinks(graph, top=1000)[0]}
    assert kept["boss"] > kept["collector"]
    assert "hawaladar" not in kept  # it passed on what it held


def test_a_boss_taking_from_his_collectors_is_not_a_settlement() -> None:
    """A collector passes on most of what it takes to a boss who also takes cash from
    couriers and pays his lieutenants: large payments to a busy, hawala-like party, but
    no squaring of books. A real settlement between two hawaladars still is one."""
    book = Book()
    ordinary_year(book, random.Random(11))
    for month in range(12):
        day = month * 30 + 5
        for k in range(25):  # a collector paid by many and paying many, like a hawaladar
            book.pay(f"payer-{month}-{k}", "collector", day, 1_500 + 10 * k)
            book.pay("collector", f"driver-{month}-{k}", day + 1, 400)
        book.pay("collector", "boss", day + 20, 30_000)
        for k in range(6):
            book.pay(f"courier-{k}", "boss", day + 3 + k, 900 + k)
            book.pay("boss", f"lieutenant-{k}", day + 22, 2_000)
    settlements = alerts(book.graph(), ["settlement"])
    assert not [a for a in settlements if "boss" in {p for p, _ in a.parties}]
