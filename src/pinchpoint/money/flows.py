"""The money-flow graph: every payment the scope can see as one directed, dated,
amount-carrying transfer between resolved parties, with its provenance.

A payment is read from its statements (a ledger row, an FtM `Payment`, a partner's
package alike), so what a reader cannot see is not in the graph. Its payer and
beneficiary are the resolved entities their records belong to in the scope's last
resolution (a record not resolved stands for itself), so two ledgers' spellings of the
same hawaladar are one party. A payment that lacks a payer, a beneficiary, an amount or
a date is not a transfer; it is counted in `FlowGraph.incomplete` with the reason, never
silently dropped. Where sources disagree (two amounts, two dates), the transfer keeps
the first and says so in `conflicts`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from pinchpoint.model.display_name import Tally, display_name
from pinchpoint.model.handling import CLASSIFICATION_ORDER
from pinchpoint.money.rates import Rates, single_currency
from pinchpoint.store import resolution as tables
from pinchpoint.store.money_reads import NAME_PROPS, PaymentRow, party_names, payment_rows
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import ENTITY_SLICE, SqlStore

_V = TypeVar("_V")
MIN_PREFIX = 8  # as for record ids (pinchpoint.resolve.ids): shorter starts name too many


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a transfer comes from, and the weakest grade and every handling code of
    the statements that make it (the most restrictive marking wins when shown)."""

    owners: tuple[str, ...]
    sources: tuple[str, ...]
    source_grade: str
    info_grade: str
    handling: tuple[str, ...]
    conditions: tuple[str, ...]
    classification: str

    def as_dict(self) -> dict[str, object]:
        return {"owners": list(self.owners), "sources": list(self.sources),
                "source_grade": self.source_grade, "info_grade": self.info_grade,
                "handling": list(self.handling), "conditions": list(self.conditions),
                "classification": self.classification}


@dataclass(frozen=True, slots=True)
class Transfer:
    """One payment: from a party to a party, on a day, an amount in its currency."""

    id: str  # the Payment entity
    payer: str  # resolved party ids
    beneficiary: str
    day: str  # YYYY-MM-DD
    amount: Decimal
    currency: str
    reference: str | None
    provenance: Provenance
    conflicts: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"payment": self.id, "payer": self.payer, "beneficiary": self.beneficiary,
                "date": self.day, "amount": str(self.amount), "currency": self.currency,
                "reference": self.reference, "provenance": self.provenance.as_dict(),
                "conflicts": list(self.conflicts)}


@dataclass
class FlowGraph:
    """The transfers in time order, the parties' labels, and what could not be read."""

    transfers: list[Transfer]
    labels: dict[str, str]
    rates: Rates | None = None
    incomplete: Counter[str] = field(default_factory=Counter)
    # the escrowed deposits and their holders (`held.escrow_holders`), found once per graph
    escrow_cache: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def label(self, party: str) -> str:
        return self.labels.get(party, party)

    def value(self, transfer: Transfer) -> Decimal | None:
        """The transfer's amount in the base currency (None without a rate)."""
        if self.rates is None:
            return None
        return self.rates.to_base(transfer.amount, transfer.currency, transfer.day)

    def parties(self) -> set[str]:
        return {p for t in self.transfers for p in (t.payer, t.beneficiary)}

    def find(self, text: str) -> str:
        """The party `text` names: its id, the start (8 characters or more) of exactly
        one id, as tables print them, or exactly one party's label (any case)."""
        parties = self.parties()
        if text in parties:
            return text
        found = sorted(p for p in parties
                       if len(text) >= MIN_PREFIX and p.startswith(text))
        if not found:
            found = sorted(p for p in parties if self.label(p).casefold() == text.casefold())
        if len(found) == 1:
            return found[0]
        if not found:
            raise FlowError(f"no party {text!r} in any transfer this scope can see")
        named = ", ".join(f"{p[:12]} ({self.label(p)})" for p in found[:5])
        raise FlowError(f"{text!r} names {len(found)} parties ({named}): give an id")

    def default_rates(self) -> Rates:
        """Without a rates file: the most common currency, alone."""
        counts = Counter(t.currency for t in self.transfers)
        return single_currency(counts.most_common(1)[0][0] if counts else "GBP")


class FlowError(ValueError):
    """A party that names none, or several, of the graph's parties."""


class _Shared(dict[object, object]):
    """One object per distinct value: a national store holds millions of payments but a
    few thousand provenances, days and currencies, and a transfer that pointed at its
    own copies of them took kilobytes (the 10M-record run's leaders read ran out of
    memory building them)."""

    def one(self, value: _V) -> _V:
        return self.setdefault(value, value)  # type: ignore[return-value]


def build(store: SqlStore, scope: Scope, rates: Rates | None = None) -> FlowGraph:
    """The scope's flow graph (see the module docstring), adding amounts up with `rates`
    or, without them, in its most common currency alone (`FlowGraph.default_rates`)."""
    canonical = tables.resolution(store, scope)
    incomplete: Counter[str] = Counter()
    transfers: list[Transfer] = []
    records: dict[str, set[str]] = {}
    shared = _Shared()
    for row in payment_rows(store, scope):  # one chunk at a time: no statement ids kept
        made = _transfer(row, canonical, incomplete, shared)
        if made is not None:
            transfers.append(made)
            for record in (*row.payers[:1], *row.beneficiaries[:1]):
                records.setdefault(canonical.get(record, record), set()).add(record)
    transfers.sort(key=lambda t: (t.day, t.id))
    graph = FlowGraph(transfers, _labels(store, scope, records), rates, incomplete)
    graph.rates = rates or graph.default_rates()
    return graph


def _labels(store: SqlStore, scope: Scope, records: dict[str, set[str]]
            ) -> dict[str, str]:
    """Each party's label from its records' names, read a batch of whole parties at a
    time: a national store's two million parties' names at once took gigabytes that
    only the labels, a string per party, need to outlive."""
    labels: dict[str, str] = {}
    for parties in _batches(records, ENTITY_SLICE):
        names = party_names(store, scope, [r for p in parties for r in records[p]])
        labels.update((p, _label(p, (names.get(r, []) for r in records[p])))
                      for p in parties)
    return labels


def _batches(records: dict[str, set[str]], size: int) -> Iterator[list[str]]:
    """The parties in batches of at most `size` records (more for a bigger party)."""
    parties: list[str] = []
    wanted = 0
    for party, group in records.items():
        if parties and wanted + len(group) > size:
            yield parties
            parties, wanted = [], 0
        parties.append(party)
        wanted += len(group)
    if parties:
        yield parties


def _transfer(row: PaymentRow, canonical: dict[str, str], incomplete: Counter[str],
              shared: _Shared) -> Transfer | None:
    missing = [what for what, values in (("payer", row.payers), ("beneficiary",
               row.beneficiaries), ("amount", row.amounts), ("date", row.dates))
               if not values]
    if missing:
        incomplete[f"no {missing[0]}"] += 1
        return None
    amount = _amount(row.amounts[0])
    if amount is None:
        incomplete["amount not a number"] += 1
        return None
    conflicts = tuple(f"{len(values)} {what}s" for what, values in (
        ("amount", row.amounts), ("date", row.dates), ("payer", row.payers),
        ("beneficiary", row.beneficiaries), ("currency", row.currencies)) if len(values) > 1)
    return Transfer(
        id=row.id, payer=shared.one(canonical.get(row.payers[0], row.payers[0])),
        beneficiary=shared.one(canonical.get(row.beneficiaries[0], row.beneficiaries[0])),
        day=shared.one(row.dates[0][:10]), amount=amount,
        currency=shared.one(row.currencies[0].upper() if row.currencies else "XXX"),
        reference=row.references[0] if row.references else None,
        provenance=shared.one(Provenance(
            row.owners, row.sources, row.source_grade, row.info_grade, row.handling,
            row.conditions, _highest(row.classifications))),
        conflicts=shared.one(conflicts))


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


CLASSIFICATIONS = [c.value for c in CLASSIFICATION_ORDER]


def _highest(classifications: tuple[str, ...]) -> str:
    """The highest marking of the transfer's statements (unknown counts as SECRET)."""
    known = [c if c in CLASSIFICATIONS else CLASSIFICATIONS[-1] for c in classifications]
    return max(known, key=CLASSIFICATIONS.index) if known else CLASSIFICATIONS[-1]


def _label(party: str, names: Iterable[list[tuple[str, str, int, str, str]]]) -> str:
    """The party's display name by the rule every view uses (`model.display_name`: the
    name the most records state, folded, ties to the better grade, the earliest, the
    alphabetically first; then its alias, then its phone number)."""
    tallies: dict[str, dict[str, Tally]] = {}
    for found in names:  # one list per record: a record counts once per value
        for prop, value, _n, grade, seen in found:
            at = tallies.setdefault(prop, {})
            at[value] = at[value].plus(Tally(1, grade, seen)) if value in at else Tally(
                1, grade, seen)
    return display_name(tallies, NAME_PROPS) or party


__all__ = ["FlowError", "FlowGraph", "Provenance", "Transfer", "build"]
