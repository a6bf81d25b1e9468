"""The short summary `make demo` ends with: what the ingested scenario holds.

It reads the store through a scope like every other read path. The scope is the one a
demo needs: the workspace's agency, to whom every agency named in the scenario's
manifest has shared its records (a real workspace decides such sharing by grants).
Entities are counted as ingested, before entity resolution merges anyone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pinchpoint.demo.examples import load_manifest
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore
from pinchpoint.store.workspace import Workspace

LANGUAGE_NAMES = {"eng": "English", "ckb": "Sorani", "ara": "Arabic", "pus": "Pashto",
                  "prs": "Dari", "sqi": "Albanian", "vie": "Vietnamese"}


@dataclass
class Summary:
    agency: str
    owners: list[str]
    files: int = 0
    expected_quarantine: int = 0
    quarantined: int = 0
    statements: int = 0
    entities: int = 0
    schemata: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    payments: Counter[str] = field(default_factory=Counter)  # currency -> total amount
    passengers: int = 0
    deaths: int = 0
    items: Counter[str] = field(default_factory=Counter)  # item kind -> quantity
    languages: Counter[str] = field(default_factory=Counter)


def demo_scope(workspace: Workspace, folder: Path) -> tuple[Scope, list[dict[str, object]]]:
    """The workspace's agency seeing every agency the scenario's manifest names."""
    entries = load_manifest(folder)
    owners = {str(dict(e["options"]).get("owner") or workspace.agency) for e in entries}
    return Scope(workspace.agency, frozenset(owners | {workspace.agency})), entries


def _number(values: list[str]) -> float:
    try:
        return float(values[0]) if values else 0.0
    except ValueError:
        return 0.0


def summarise(workspace: Workspace, folder: Path, scope: Scope | None = None,
              store: SqlStore | None = None) -> Summary:
    """The scenario as `scope` sees it [default: every agency of its manifest], read from
    `store` [default: the workspace's store, opened read-only]."""
    trusted, entries = demo_scope(workspace, folder)
    scope = scope or trusted
    owners = sorted(scope.visible_owners | {g.owner for g in scope.grants})
    summary = Summary(scope.agency, owners, files=len(entries),
                      expected_quarantine=sum(int(str(e.get("expect_quarantined", 0)))
                                              for e in entries))
    if store is None:
        with workspace.open_store(read_only=True) as own:
            _read(own, scope, summary)
    else:
        _read(store, scope, summary)
    return summary


def _read(store: SqlStore, scope: Scope, summary: Summary) -> None:
    counts = store.counts(scope)
    summary.statements, summary.entities = counts.statements, counts.entities
    summary.quarantined = counts.quarantined
    for statements in store.iter_entities(scope):
        props: dict[str, list[str]] = {}
        for s in statements:
            props.setdefault(s.prop, []).append(s.value)
        _count(summary, statements[0].schema, props)


def _count(summary: Summary, schema: str, props: dict[str, list[str]]) -> None:
    summary.schemata[schema] += 1
    if schema == "Person":
        summary.categories[(props.get("personCategory") or ["uncategorised"])[0]] += 1
    elif schema == "Payment":
        for currency in props.get("currency", ["?"])[:1]:
            summary.payments[currency] += int(_number(props.get("amount", [])))
    elif schema == "Crossing":
        summary.passengers += int(_number(props.get("passengerCount", [])))
        summary.deaths += int(_number(props.get("deaths", [])))
    elif schema == "SeizedItem":
        for kind in props.get("itemKind", ["other"])[:1]:
            summary.items[kind] += int(_number(props.get("quantity", ["1"])))
    elif schema == "SocialMediaPost":
        for language in props.get("language", [])[:1]:
            summary.languages[LANGUAGE_NAMES.get(language, language)] += 1


def lines(s: Summary) -> list[str]:
    """The summary as sentences an analyst can read."""
    n = s.schemata
    people = ", ".join(f"{v:,} {k}" for k, v in s.categories.most_common())
    money = ", ".join(f"{c} {v:,}" for c, v in sorted(s.payments.items()))
    items = ", ".join(f"{v:,} {k}" for k, v in s.items.most_common())
    languages = ", ".join(f"{v:,} {k}" for k, v in s.languages.most_common())
    out = [
        f"Sources: {s.files} files from {len(s.owners)} agencies "
        f"({', '.join(s.owners)}): {s.statements:,} statements about {s.entities:,} "
        "entities (before entity resolution).",
        f"People: {n['Person']:,} person records: {people}.",
        f"Money: {n['Payment']:,} transfers in seized hawala ledgers ({money}).",
        f"Crossings: {n['Crossing']:,} crossing records, {s.passengers:,} passengers counted, "
        f"{s.deaths} death{'' if s.deaths == 1 else 's'}.",
        f"Seizures: {n['Seizure']:,} seizures: {items}.",
        f"Online: {n['SocialMediaPost']:,} crossing adverts from {n['UserAccount']:,} "
        f"accounts ({languages}).",
        f"Phones: {n['Handset']:,} handsets extracted: {n['Call']:,} calls, "
        f"{n['Message']:,} messages. Case reports: {n['PlainText']:,}.",
    ]
    verdict = "as planted" if s.quarantined == s.expected_quarantine else \
        f"but {s.expected_quarantine} were planted: check `pinchpoint quarantine`"
    out.append(f"Quarantine: {s.quarantined} values or rows held back with a reason, "
               f"{verdict}.")
    return out
