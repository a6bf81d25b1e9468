"""`pinchpoint demo generate`: a synthetic smuggling case file with its ground truth.

The scenario is built month by month: for every group, its shipments, crossings,
payments, adverts and the operations against it; at the end of each month every CSV
source gets that month's rows in date order, and the truth rows that list record
locators are written. The output depends on the seed alone (and on the official
small-boat figures, whose file is named in the manifest): the same seed gives
byte-identical files.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pinchpoint.demo import europol, journeys, money, online, operations, supply
from pinchpoint.demo.config import PERIOD_MONTHS, RATES, SIZES
from pinchpoint.demo.context import Context, PassengerBand, year_month
from pinchpoint.demo.errors import ScenarioError
from pinchpoint.demo.exchange import write_rates
from pinchpoint.demo.network import build_world
from pinchpoint.demo.people import Ids
from pinchpoint.demo.phones import PhoneBook
from pinchpoint.demo.truth import Truth
from pinchpoint.demo.writers import Entry, Sources

GENERATOR_VERSION = 2
ROOT = Path(__file__).resolve().parents[3]
SMALL_BOATS = ROOT.parent / "shared" / "data" / "small_boats" / "yearly.csv"
MANIFEST = "manifest.yaml"


@dataclass
class Manifest:
    """What was written: the manifest's entries and totals for the summary."""

    out: Path
    size: str
    seed: int
    entries: list[Entry]
    groups: int
    persons: int
    band: tuple[int, int]
    band_source: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(e.records for e in self.entries)

    @property
    def corruptions(self) -> int:
        return sum(e.expect_quarantined for e in self.entries)


def _prepare(out: Path) -> None:
    """An empty folder, or a previous scenario's folder (whose outputs are replaced)."""
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"{out} exists and is not a folder")
    if out.exists() and any(out.iterdir()):
        if not (out / MANIFEST).exists():
            raise ScenarioError(f"{out} is not empty and holds no scenario; choose an empty "
                                "folder")
        for name in ("sources", "truth"):
            shutil.rmtree(out / name, ignore_errors=True)
        (out / MANIFEST).unlink()
    out.mkdir(parents=True, exist_ok=True)


Progress = Callable[[int, int], None]


def generate(size: str, seed: int, out: str | Path, small_boats: Path | None = SMALL_BOATS,
             progress: Progress | None = None) -> Manifest:
    """Write a scenario of the given size into ``out``; returns what was written."""
    if size not in SIZES:
        raise ScenarioError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    started = time.perf_counter()
    preset = SIZES[size]
    out = Path(out)
    _prepare(out)
    rng = random.Random(f"{seed}:scenario")
    ids = Ids()
    phones = PhoneBook(offset=rng.randrange(10**6))
    world = build_world(random.Random(f"{seed}:world"), ids, phones, preset)
    for outlet in world.outlets:
        outlet.ledger = f"ledger:{outlet.id}" if rng.random() < RATES.ledger_seized else None
    truth = Truth(out / "truth")
    truth.world(world)
    sources = Sources(out, seed, truth)
    band = PassengerBand.load(small_boats)
    ctx = Context(seed, preset, world, ids, phones, truth, sources, band)
    steps = (supply.month, journeys.month, money.month, online.month, operations.month)
    for index in range(PERIOD_MONTHS):
        ctx.month = index
        for group in world.groups:
            group_rng = random.Random(f"{seed}:{group.id}:{index}")
            for step in steps:
                step(ctx, group, group_rng)
        sources.flush()
        for write in ctx.deferred:
            write()
        ctx.deferred.clear()
        if progress:
            progress(index + 1, PERIOD_MONTHS)
    europol.write(ctx)
    supply.write_chains(ctx)
    write_rates(out)
    truth.ties(world)
    truth.close()
    manifest = Manifest(out, size, seed, sorted(sources.entries, key=lambda e: e.file),
                        len(world.groups), truth.counts.get("persons", 0),
                        (band.low, band.high), band.source)
    manifest.seconds = time.perf_counter() - started
    _write_manifest(manifest)
    return manifest


def _flow(data: object) -> str:
    """A YAML flow mapping (JSON is valid YAML), so large manifests write fast."""
    return json.dumps(data, ensure_ascii=False)


def _write_manifest(m: Manifest) -> None:
    first, last = year_month(0), year_month(PERIOD_MONTHS - 1)
    scenario = {"size": m.size, "seed": m.seed, "generator": GENERATOR_VERSION,
                "period": f"{first[0]}-{first[1]:02d}..{last[0]}-{last[1]:02d}",
                "groups": m.groups, "persons": m.persons, "files": len(m.entries),
                "records": m.records, "corruptions": m.corruptions,
                "passenger_band": list(m.band), "passenger_means_from": m.band_source}
    lines = ["# A Pinchpoint demo scenario: every source file, how to ingest it, and how many",
             "# items it quarantines on purpose (truth/corruptions.csv lists each one).",
             "# `pinchpoint demo ingest DIR` reads this list; docs/formats.md describes it.",
             f"scenario: {_flow(scenario)}", "sources:"]
    for e in m.entries:
        lines.append(f"  - {{kind: {e.kind}, file: {_flow(e.file)}, "
                     f"options: {_flow(e.options)}, expect_quarantined: "
                     f"{e.expect_quarantined}, records: {e.records}}}")
    (m.out / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
