"""Laundering typologies: alerts over the flow graph (issue 15, item 2).

Eight typologies, each a rule over the transfers' columns (docs/money.md, "Typologies",
says each rule and its parameters): the AMLworld patterns `fan_in`, `fan_out`,
`scatter_gather`, `gather_scatter` and `cycle` (Altman et al. 2023), `structuring`
below per-currency reporting thresholds, and the hawala `escrow_release` and
`settlement`. Every rule looks at windows in time and at a party's own habit, so a
business busy all year is not an alert for being busy.

An alert names its payments (entity ids and transaction references), its parties, its
dates, its total, one sentence saying why, and the grading and handling of the weakest
and most restricted of the statements behind its payments: an alert is no better
sourced, and no less restricted, than its worst payment.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from pinchpoint.money.columns import Columns, iso
from pinchpoint.money.detect_cycles import cycles
from pinchpoint.money.detect_fans import fans
from pinchpoint.money.detect_hawala import escrow_releases, settlements, structuring
from pinchpoint.money.flows import CLASSIFICATIONS, FlowGraph, Transfer
from pinchpoint.money.found import THRESHOLDS, Found, Params

FANS = ("fan_in", "fan_out", "scatter_gather", "gather_scatter")
TYPOLOGIES = (*FANS, "cycle", "structuring", "escrow_release", "settlement")

Detector = Callable[[Columns, Params, set[str]], list[Found]]
#: Each detector and the typologies it finds (the four fans are found together: a burst
#: that is part of a scatter-gather is not also a fan-out).
DETECTORS: dict[str, tuple[tuple[str, ...], Detector]] = {
    "fans": (FANS, fans),
    "cycle": (("cycle",), lambda c, p, _: cycles(c, p)),
    "structuring": (("structuring",), lambda c, p, _: structuring(c, p)),
    "escrow_release": (("escrow_release",), lambda c, p, _: escrow_releases(c, p)),
    "settlement": (("settlement",), lambda c, p, _: settlements(c, p)),
}


class TypologyError(ValueError):
    """A typology that is not one of TYPOLOGIES."""


def thresholds(given: Iterable[str]) -> dict[str, float]:
    """The default thresholds with the user's `CURRENCY=AMOUNT`s over them."""
    table = dict(THRESHOLDS)
    for text in given:
        currency, _, amount = text.partition("=")
        try:
            value = float(amount.replace(",", ""))
        except ValueError:
            value = -1.0
        if not currency.strip() or not value > 0:
            raise TypologyError(f"threshold {text!r}: give CURRENCY=AMOUNT, e.g. GBP=1000")
        table[currency.strip().upper()] = value
    return table


def find(cols: Columns, typologies: Iterable[str] | None = None,
         params: Params | None = None) -> list[Found]:
    """What the detectors find in the columns, highest score first."""
    wanted = set(typologies or TYPOLOGIES)
    unknown = wanted - set(TYPOLOGIES)
    if unknown:
        raise TypologyError(f"no typology {sorted(unknown)[0]!r}: one of "
                            f"{', '.join(TYPOLOGIES)}")
    found: list[Found] = []
    for covers, detector in DETECTORS.values():
        if wanted & set(covers) and len(cols):
            found += [f for f in detector(cols, params or Params(), wanted)
                      if f.typology in wanted]
    found = _most_specific(found)
    found.sort(key=lambda f: (-f.score, f.typology, int(cols.day[f.rows].min())))
    return found


def _most_specific(found: list[Found]) -> list[Found]:
    """Without the fans that are mostly an escrow release's deposits (or releases): the
    migrants paying one collector within days are a fan-in, and an escrow."""
    escrowed = {r for f in found if f.typology == "escrow_release" for r in f.rows.tolist()}
    if not escrowed:
        return found
    return [f for f in found if f.typology not in ("fan_in", "fan_out") or
            2 * sum(r in escrowed for r in f.rows.tolist()) < len(f.rows)]


@dataclass(frozen=True)
class Alert:
    typology: str
    score: float
    why: str
    payments: tuple[str, ...]
    references: tuple[str, ...]
    parties: tuple[tuple[str, str], ...]  # (id, label)
    start: str
    end: str
    total: Decimal
    currency: str
    provenance: dict[str, object]

    def as_dict(self) -> dict[str, object]:
        return {"typology": self.typology, "score": self.score, "why": self.why,
                "payments": list(self.payments), "references": list(self.references),
                "parties": [{"id": p, "label": label} for p, label in self.parties],
                "start": self.start, "end": self.end, "total": str(self.total),
                "currency": self.currency, **self.provenance}


def alerts(graph: FlowGraph, typologies: Iterable[str] | None = None,
           params: Params | None = None) -> list[Alert]:
    """The graph's alerts, highest score first (see the module docstring)."""
    cols = Columns.from_graph(graph)
    return [alert(graph, cols, f) for f in find(cols, typologies, params)]


def alert(graph: FlowGraph, cols: Columns, found: Found) -> Alert:
    """A finding named: its payments' ids, references, parties and provenance."""
    assert cols.transfers is not None
    rows = sorted(set(found.rows.tolist()), key=lambda r: (int(cols.day[r]), r))
    transfers = [cols.transfers[r] for r in rows]
    ids = [cols.parties[int(p)] for p in dict.fromkeys(found.parties.tolist())]
    total, currency = _total(graph, transfers)
    return Alert(
        found.typology, found.score,
        re.sub(r"\{(\d+)\}", lambda m: graph.label(cols.parties[int(m[1])]), found.why),
        tuple(t.id for t in transfers),
        tuple(dict.fromkeys(t.reference for t in transfers if t.reference)),
        tuple((p, graph.label(p)) for p in ids), iso(int(cols.day[rows].min())),
        iso(int(cols.day[rows].max())), total, currency, _provenance(transfers))


def _total(graph: FlowGraph, transfers: list[Transfer]) -> tuple[Decimal, str]:
    """In the payments' one currency, or in the base currency where they mix."""
    currencies = Counter(t.currency for t in transfers)
    if len(currencies) == 1:
        return sum((t.amount for t in transfers), Decimal(0)), next(iter(currencies))
    rates = graph.rates or graph.default_rates()
    values = [rates.to_base(t.amount, t.currency, t.day) for t in transfers]
    return sum((v for v in values if v is not None), Decimal(0)), rates.base


def _provenance(transfers: list[Transfer]) -> dict[str, object]:
    """The weakest grades and every handling code of the payments' statements."""
    marks = [t.provenance for t in transfers]
    return {
        "source_grade": max(m.source_grade for m in marks),
        "info_grade": max(m.info_grade for m in marks),
        "handling": sorted({h for m in marks for h in m.handling}),
        "conditions": sorted({c for m in marks for c in m.conditions}),
        "classification": max((m.classification for m in marks), key=CLASSIFICATIONS.index),
        "owners": sorted({o for m in marks for o in m.owners}),
        "sources": sorted({s for m in marks for s in m.sources}),
    }


__all__ = ["DETECTORS", "THRESHOLDS", "TYPOLOGIES", "Alert", "Params", "TypologyError",
           "alert", "alerts", "find", "thresholds"]
