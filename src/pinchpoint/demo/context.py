"""What every event module shares while a scenario is generated, and small helpers.

Each month of each group draws from its own ``random.Random`` seeded with the scenario
seed, the group and the month, so output depends only on the seed and never on the
order Python happens to iterate anything in.
"""

from __future__ import annotations

import calendar
import csv
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from pinchpoint.demo.config import (
    FALLBACK_YEARLY_MEANS,
    PERIOD_MONTHS,
    PERIOD_START,
    Size,
)
from pinchpoint.demo.network import World
from pinchpoint.demo.people import Ids, Person
from pinchpoint.demo.phones import PhoneBook
from pinchpoint.demo.truth import Slot, Truth
from pinchpoint.demo.writers import Sources

BAND_CONCENTRATION = 12.0  # how tightly per-boat counts gather round the year's mean


@dataclass(frozen=True)
class PassengerBand:
    """Dinghy passenger counts: per year around the official mean, within one band.

    The band runs from 85% of the lowest yearly mean to 103% of the highest, over the
    scenario's years (45-70 for 2024-2026): boats well below the average are common,
    boats far above the yearly average are rare. Counts are Beta-distributed on the band
    with the year's official mean, so the generated yearly means match the official ones.
    """

    means: dict[int, float]
    low: int
    high: int
    source: str  # the file read, or "built-in"

    @classmethod
    def load(cls, path: Path | None) -> PassengerBand:
        years = range(PERIOD_START.year, year_month(PERIOD_MONTHS - 1)[0] + 1)
        means = dict(FALLBACK_YEARLY_MEANS)
        source = "built-in"
        if path is not None and path.is_file():
            with open(path, encoding="utf-8", newline="") as fh:
                read = {int(r["n_year"]): float(r["migrants_per_boat"])
                        for r in csv.DictReader(fh) if r.get("migrants_per_boat")}
            if all(y in read for y in years):
                means, source = read, path.name
        wanted = {y: means[y] for y in years}
        low = math.floor(0.85 * min(wanted.values()))
        high = math.ceil(1.03 * max(wanted.values()))
        return cls(wanted, low, high, source)

    def draw(self, rng: random.Random, year: int) -> int:
        mean = min(max(self.means[year], self.low + 0.5), self.high - 0.5)
        mu = (mean - self.low) / (self.high - self.low)
        x = rng.betavariate(mu * BAND_CONCENTRATION, (1 - mu) * BAND_CONCENTRATION)
        return min(self.high, max(self.low, round(self.low + x * (self.high - self.low))))


@dataclass
class Chain:
    """One supply chain: a shipment of boats and engines from import to the beach."""

    id: str
    group: str
    supplier: Person
    origin: str
    route: str
    storage: str
    driver: Person
    vehicle: str
    boats: list[str]
    engines: list[str]
    lifejackets: int
    crossings: list[str] = field(default_factory=list)
    seizures: list[str] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)


@dataclass
class Context:
    seed: int
    size: Size
    world: World
    ids: Ids
    phones: PhoneBook
    truth: Truth
    sources: Sources
    band: PassengerBand
    chains: dict[str, Chain] = field(default_factory=dict)
    # group id -> boats ready at the coast: (boat id, engine id, chain id)
    stock: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    serials: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # make, model, no.
    boat_chain: dict[str, str] = field(default_factory=dict)
    nominals: dict[tuple[str, str], str] = field(default_factory=dict)
    europol_known: dict[str, Person] = field(default_factory=dict)
    seq: dict[str, int] = field(default_factory=dict)
    # truth rows that list records, written once the month's files have locators
    deferred: list[Callable[[], None]] = field(default_factory=list)
    month: int = 0

    @property
    def rate(self) -> float:
        return self.size.intensity

    def next_seq(self, key: str) -> int:
        self.seq[key] = self.seq.get(key, 0) + 1
        return self.seq[key]

    def nominal(self, agency: str, person: Person) -> str:
        """The agency's own reference for a person, the same in all its records."""
        key = (agency, person.id)
        ref = self.nominals.get(key)
        if ref is None:
            ref = self.nominals[key] = f"{agency}-NOM-{self.next_seq('nom:' + agency):06d}"
        return ref

    @property
    def ym(self) -> tuple[int, int]:
        return year_month(self.month)


def year_month(index: int) -> tuple[int, int]:
    months = PERIOD_START.month - 1 + index
    return PERIOD_START.year + months // 12, months % 12 + 1


def day_in(rng: random.Random, year: int, month: int, low: int = 1, high: int | None = None
           ) -> date:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, rng.randint(low, min(high or last, last)))


def moment(rng: random.Random, day: date, night: bool = False) -> datetime:
    hour = rng.choice((0, 1, 2, 3, 4, 22, 23)) if night else rng.randint(7, 23)
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60))


def shift(day: date, days: int) -> date:
    """A day moved, but never out of its month (a month's rows are written together)."""
    moved = day + timedelta(days=days)
    if moved.month != day.month or moved.year != day.year:
        last = calendar.monthrange(day.year, day.month)[1]
        return date(day.year, day.month, 1 if days < 0 else last)
    return moved


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method: small means only (every rate here is a few per month)."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def amount_text(amount: int, rng: random.Random) -> str:
    """Amounts as ledgers write them: with or without thousands separators."""
    return f"{amount:,}" if rng.random() < 0.6 else str(amount)
