"""The disruption planner: which supplier or storage site, taken out, removes the most
boats (then engines) from the chain.

Every boat and engine the records name (seized or not) depends on the suppliers
upstream of it (sellers and importers) and on the storage sites it was found in.
Greedy, as maximum coverage is usually planned: each step takes the target that
removes the most boats not yet removed (ties: more engines, then the label), and
says how many that step removed and how many all steps so far have. A victim or a
witness is never a target. A boat no supplier or site is known for cannot be removed
this way; the plan says how many there are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pinchpoint.supply.chains import chain_of
from pinchpoint.supply.link import Supply
from pinchpoint.supply.rows import UPSTREAM

COUNTED = ("boat", "engine")


@dataclass(frozen=True)
class Target:
    id: str
    kind: str  # supplier | site
    label: str


@dataclass(frozen=True)
class Step:
    """One disruption and what it removes, alone and with the steps before it."""

    rank: int
    target: Target
    boats: int
    engines: int
    cumulative_boats: int
    cumulative_engines: int

    def as_dict(self) -> dict[str, object]:
        return {"rank": self.rank, "target": self.target.id, "kind": self.target.kind,
                "label": self.target.label, "boats": self.boats, "engines": self.engines,
                "cumulative_boats": self.cumulative_boats,
                "cumulative_engines": self.cumulative_engines}


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    boats: int  # every boat the records name
    engines: int
    unreachable_boats: int  # boats with no known supplier or site

    def as_dict(self) -> dict[str, object]:
        return {"boats": self.boats, "engines": self.engines,
                "unreachable_boats": self.unreachable_boats,
                "steps": [s.as_dict() for s in self.steps]}


def site_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "site:" + " ".join(re.sub(r"[^\w]+", " ", folded).split())


def _dependencies(supply: Supply) -> tuple[dict[str, set[Target]], dict[str, str]]:
    """Per counted unit: the targets it depends on; and each unit's kind."""
    depends: dict[str, set[Target]] = {}
    kinds: dict[str, str] = {}
    for unit in supply.units:
        if unit.kind not in COUNTED:
            continue
        chain = chain_of(unit, supply.handlers)
        kinds[chain.id] = unit.kind
        targets = depends.setdefault(chain.id, set())
        for sighting in chain.sightings:
            targets.update(Target(n.handler, "supplier", n.label) for n in sighting.parties
                           if n.role in UPSTREAM)
            if sighting.kind == "storage" and (sighting.site or sighting.place.text):
                text = sighting.site or sighting.place.text
                targets.add(Target(site_key(text), "site", text))
    return depends, kinds


def plan(supply: Supply, steps: int = 5) -> Plan:
    """The greedy plan of up to `steps` disruptions (module docstring)."""
    depends, kinds = _dependencies(supply)
    named: dict[tuple[str, str], Target] = {}
    covers: dict[Target, set[str]] = {}
    for unit, targets in sorted(depends.items()):
        for target in sorted(targets, key=lambda t: (t.kind, t.id, t.label)):
            # one target per id: a site's text may vary between records
            one = named.setdefault((target.kind, target.id), target)
            covers.setdefault(one, set()).add(unit)
    removed: set[str] = set()
    made: list[Step] = []
    for rank in range(1, steps + 1):
        gains = {t: _gain(covers[t] - removed, kinds) for t in covers}
        if not gains:
            break
        best = min(gains, key=lambda t: (-gains[t][0], -gains[t][1], t.label, t.id))
        boats, engines = gains[best]
        if boats + engines == 0:
            break
        removed |= covers.pop(best)
        made.append(Step(rank, best, boats, engines, *_gain(removed, kinds)))
    total = [u for u, k in kinds.items() if k == "boat"]
    return Plan(tuple(made), len(total), sum(k == "engine" for k in kinds.values()),
                sum(1 for u in total if not depends[u]))


def _gain(units: set[str], kinds: dict[str, str]) -> tuple[int, int]:
    """(boats, engines) among `units`."""
    return (sum(kinds[u] == "boat" for u in units), sum(kinds[u] == "engine" for u in units))


__all__ = ["Plan", "Step", "Target", "plan", "site_key"]
