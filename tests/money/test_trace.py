"""Traces and sinks on hand-made flow graphs: money passes on only what was held (within
the tolerance), in time order, hop by hop; `--to` keeps the chains that reach; a
backwards trace finds where money came from; a busy exchange keeps little."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pinchpoint.money import FlowGraph, Provenance, Transfer, sinks, trace
from pinchpoint.money.flows import FlowError
from pinchpoint.money.rates import parse_rates, single_currency
from pinchpoint.money.trace import TraceError

PROVENANCE = Provenance(("NCA",), ("ledger",), "2", "B", ("P",), (), "OFFICIAL")


def graph(*rows: tuple[str, str, str, int] | tuple[str, str, str, int, str]) -> FlowGraph:
    transfers = [Transfer(f"p{i}", row[0], row[1], row[2], Decimal(row[3]),
                          row[4] if len(row) > 4 else "GBP", f"REF-{i}", PROVENANCE)
                 for i, row in enumerate(rows)]
    transfers.sort(key=lambda t: (t.day, t.id))
    return FlowGraph(transfers, {"boss": "The Boss"}, single_currency("GBP"))


def carried(found: object) -> list[tuple[int, str, str, Decimal]]:
    return [(s.hop, s.sender, s.receiver, s.carried) for s in found.steps]  # type: ignore[attr-defined]


def test_a_hop_carries_no_more_than_was_held() -> None:
    g = graph(("a", "h", "2024-01-01", 1000), ("x", "h", "2024-01-02", 9000),
              ("h", "boss", "2024-01-03", 5000), ("h", "y", "2024-01-04", 5000))
    found = trace(g, "a")
    assert carried(found) == [(1, "a", "h", Decimal(1000)), (2, "h", "boss", Decimal(1000))]
    assert found.held == {"boss": Decimal(1000)}


def test_money_received_after_a_payment_is_not_in_it() -> None:
    g = graph(("h", "boss", "2024-01-01", 500), ("a", "h", "2024-01-02", 500))
    assert carried(trace(g, "a")) == [(1, "a", "h", Decimal(500))]


def test_same_day_chains_pass_on_whatever_the_order_in_the_ledger() -> None:
    g = graph(("h", "boss", "2024-01-05", 900), ("a", "h", "2024-01-05", 900))
    assert [s[2] for s in carried(trace(g, "a"))] == ["h", "boss"]


def test_the_tolerance_covers_a_fee_and_no_more() -> None:
    g = graph(("a", "h", "2024-01-01", 1000), ("b", "h", "2024-01-01", 1000),
              ("h", "boss", "2024-01-02", 1030))
    steps = trace(g, "a").steps
    assert steps[-1].carried == Decimal(1000) and steps[-1].parents == (0,)


def test_hops_stop_at_the_limit() -> None:
    chain = [(f"n{i}", f"n{i + 1}", f"2024-01-0{i + 1}", 100) for i in range(6)]
    assert max(s.hop for s in trace(graph(*chain), "n0", hops=3).steps) == 3


def test_to_keeps_only_the_chains_that_reach() -> None:
    g = graph(("a", "h", "2024-01-01", 100), ("a", "z", "2024-01-01", 100),
              ("h", "boss", "2024-01-02", 100))
    assert [s[2] for s in carried(trace(g, "a", to="boss"))] == ["h", "boss"]


def test_back_finds_where_the_money_came_from() -> None:
    g = graph(("a", "h", "2024-01-01", 700), ("b", "h", "2024-01-02", 300),
              ("h", "boss", "2024-01-03", 1000), ("c", "h", "2024-01-04", 5000))
    found = trace(g, "boss", direction="in")
    assert found.held == {"a": Decimal(700), "b": Decimal(300)}


def test_the_window_and_currencies() -> None:
    g = graph(("a", "h", "2023-12-31", 100), ("a", "h", "2024-01-02", 100, "USD"),
              ("a", "h", "2024-01-03", 100, "EUR"))
    g.rates = parse_rates("currency,to_base\nGBP,1\nUSD,0.8\n")
    found = trace(g, "a", since="2024-01-01")
    assert carried(found) == [(1, "a", "h", Decimal("80.0"))]
    assert [t.currency for t in found.unconverted] == ["EUR"]


def test_bad_traces_are_refused() -> None:
    g = graph(("a", "h", "2024-01-01", 100))
    for call in (lambda: trace(g, "nobody"), lambda: trace(g, "a", direction="up"),
                 lambda: trace(g, "a", since="2024-02-01", until="2024-01-01")):
        with pytest.raises(TraceError):
            call()


def test_parties_are_found_by_id_start_or_label() -> None:
    g = graph(("alpha-one-1", "boss", "2024-01-01", 1), ("alpha-one-2", "boss", "2024-01-01", 1),
              ("alpha-two", "boss", "2024-01-01", 1))
    assert g.find("boss") == "boss" and g.find("the boss") == "boss"
    assert g.find("alpha-tw") == "alpha-two"
    with pytest.raises(FlowError, match="names 2 parties"):
        g.find("alpha-one")
    with pytest.raises(FlowError, match="no party"):
        g.find("alpha")  # too short to be the start of an id
    with pytest.raises(FlowError, match="no party"):
        g.find("zz")


def test_a_busy_exchange_keeps_little_and_the_boss_keeps_most() -> None:
    rows = [(f"m{i}", "hawala", "2024-01-01", 100) for i in range(50)]
    rows += [("hawala", "boss", "2024-01-02", 4500), ("hawala", "driver", "2024-01-02", 400)]
    found, unconverted = sinks(graph(*rows), top=3)
    assert [s.party for s in found] == ["boss", "driver", "hawala"]
    assert found[0].kept == 4500 and found[2].kept == 100 and found[2].payers == 50
    assert unconverted == 0
