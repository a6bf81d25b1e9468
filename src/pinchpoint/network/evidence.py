"""Evidence as an analyst reads it: "call 2024-03-02, Do Huu Dung to Hewa Hamad Amin".

Every link of a workspace network carries the ids of the statements behind it (the
statements that name its two ends, `pinchpoint.network.project`), and a disruption plan
or a path cites those ids. Forty hexadecimal characters tell an analyst nothing; this
module turns cited ids back into what they record: the kind of entity they belong to
(its schema), its date, an amount or an identifier where there is one, and the parties
at its ends, named by the label the network gives their resolved person (so the three
records of one smuggler read as one name), or else by the entity's own name.

Everything is read through the reader's scope (`pinchpoint.store.evidence_reads`): a
cited statement the scope cannot see is not described at all, and a party the scope
cannot see is not named, so a description never tells a partner more than its own
reads would. Statement ids stay with each description for anyone who needs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from followthemoney.types import registry

from pinchpoint.model.ftm import get_model
from pinchpoint.network.graph import Network, NetworkError
from pinchpoint.network.project import EDGE_SCHEMATA
from pinchpoint.store.evidence_reads import Fact, canonical_ids, cited_facts, entity_facts
from pinchpoint.store.graph_reads import DATE_PROPS
from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore

# How the two sides of a relationship read: a flow goes from one side to the other.
JOINERS = {"Payment": " to ", "Call": " to ", "Message": " to ", "Membership": " in ",
           "Employment": " at ", "Directorship": " of ", "Representation": " for "}
QUALIFIERS = ("relationship", "role")  # "associate (phone contact)"
PARTIES = 4  # parties named by an event or other entity before "+N more"


@dataclass(frozen=True)
class Evidence:
    """One entity behind cited statements, described: `text` is what a person reads."""

    entity_id: str
    schema: str
    date: str | None
    parties: tuple[str, ...]
    text: str
    statement_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Entity:
    schema: str
    values: dict[str, list[str]] = field(default_factory=dict)

    def first(self, prop: str) -> str | None:
        found = [v for v in self.values.get(prop, []) if v != REDACTED]
        return found[0] if found else None


def describe_evidence(store: SqlStore, scope: Scope, network: Network,
                      cited: Sequence[Sequence[str]]) -> list[list[Evidence]]:
    """For each list of cited statement ids (a plan step's, a hop's): the entities
    behind them, described, in the order they were first cited. Ids the scope does not
    see are left out, so a list may come back shorter, or empty.

    `network` names the parties, so it must be the one projected through the same
    `scope` (as the CLI and the API do); an empty network names them by their own
    visible names."""
    facts = {f.statement_id: f for f in cited_facts(store, scope, _flat(cited))}
    entities = _entities(entity_facts(store, scope, sorted({f.entity_id for f in facts.values()})))
    ends = sorted({v for e in entities.values() for v in _references(e)} - set(entities))
    known = {**entities, **_entities(entity_facts(store, scope, ends))}
    labels = _Labels(network, known, canonical_ids(store, scope, sorted(known)))
    return [_describe(ids, facts, known, labels) for ids in cited]


def varied(found: Sequence[Evidence]) -> list[Evidence]:
    """The same evidence, reordered so the first few cover different ties: one of each
    kind and pair of parties in turn (a person's first twenty cited statements may all
    be payments to one associate; three lines should show three ties)."""
    groups: dict[tuple[str, tuple[str, ...]], list[Evidence]] = {}
    for item in found:
        groups.setdefault((item.schema, tuple(sorted(item.parties))), []).append(item)
    rounds = max((len(group) for group in groups.values()), default=0)
    return [group[n] for n in range(rounds) for group in groups.values() if n < len(group)]


def _flat(cited: Sequence[Sequence[str]]) -> list[str]:
    return sorted({i for ids in cited for i in ids})


def _entities(facts: Iterable[Fact]) -> dict[str, _Entity]:
    out: dict[str, _Entity] = {}
    for fact in facts:
        entity = out.setdefault(fact.entity_id, _Entity(fact.schema))
        entity.values.setdefault(fact.prop, []).append(fact.value)
    return out


@cache
def _reference_props(schema: str) -> frozenset[str]:
    """The properties of `schema` whose values are other entities' ids."""
    found = get_model().get(schema)
    if found is None:
        return frozenset()
    return frozenset(p.name for p in found.properties.values() if p.type == registry.entity)


def _references(entity: _Entity) -> list[str]:
    props = _reference_props(entity.schema)
    return [v for prop, values in entity.values.items() if prop in props for v in values]


class _Labels:
    """The name a party goes by: its resolved person's label in the network, else its
    own visible name, else what it is ("unnamed person"); never an id."""

    def __init__(self, network: Network, known: dict[str, _Entity],
                 canonical: dict[str, str]) -> None:
        self.network, self.known, self.canonical = network, known, canonical

    def __call__(self, entity_id: str) -> str | None:
        entity = self.known.get(entity_id)
        if entity is None:
            return None  # not visible: not named
        try:
            node = self.network.index(self.canonical.get(entity_id, entity_id))
        except NetworkError:
            node = None
        if node is not None and self.network.label(node) != self.network.ids[node]:
            return self.network.label(node)
        return entity.first("name") or f"unnamed {kind(entity.schema)}"


def kind(schema: str) -> str:
    """What an entity of `schema` is called in a sentence: "payment", "other link"."""
    found = get_model().get(schema)
    return (found.label if found is not None else schema).lower()


def _describe(ids: Sequence[str], facts: dict[str, Fact], known: dict[str, _Entity],
              labels: _Labels) -> list[Evidence]:
    cited: dict[str, list[Fact]] = {}
    for statement_id in ids:
        if statement_id in facts:
            fact = facts[statement_id]
            cited.setdefault(fact.entity_id, []).append(fact)
    return [_evidence(entity_id, known[entity_id], group, labels)
            for entity_id, group in cited.items() if entity_id in known]


def _evidence(entity_id: str, entity: _Entity, cited: list[Fact], labels: _Labels
              ) -> Evidence:
    when = _date(entity)
    sides = _sides(entity_id, entity, labels)
    parties = tuple(name for side in sides for name in side)
    joiner = JOINERS.get(entity.schema, " and ") if entity.schema in EDGE_SCHEMATA else ", "
    said = joiner.join(_names(side) for side in sides if side)
    if entity.schema == "Person":  # an identifier a person holds: a shared phone
        head = ", ".join(_identifiers(entity, cited))
        text = f"{head} of {said}" if head else said
    else:
        head = " ".join(part for part in (kind(entity.schema) + _qualifier(entity), when)
                        if part)
        text = ", ".join(part for part in (head, *_details(entity, cited), said) if part)
    return Evidence(entity_id, entity.schema, when, parties, text,
                    tuple(fact.statement_id for fact in cited))


def _sides(entity_id: str, entity: _Entity, labels: _Labels) -> list[list[str]]:
    """The named parties: a relationship's two sides, or everyone else an entity names
    who is a person (an arrest's suspects, not the arresting agency)."""
    if entity.schema == "Person":
        return [[name] for name in [labels(entity_id)] if name]
    if entity.schema in EDGE_SCHEMATA:
        left, right, _ = EDGE_SCHEMATA[entity.schema]
        return [_labelled(entity, props, labels) for props in (left, right)]
    people = [ref for ref in dict.fromkeys(_references(entity))
              if labels.known.get(ref, _Entity("")).schema == "Person"]
    return [[name for ref in people if (name := labels(ref))]]


def _labelled(entity: _Entity, props: tuple[str, ...], labels: _Labels) -> list[str]:
    refs = dict.fromkeys(v for prop in props for v in entity.values.get(prop, []))
    return list(dict.fromkeys(name for ref in refs if (name := labels(ref))))


def _names(side: list[str]) -> str:
    shown = ", ".join(side[:PARTIES])
    return shown + (f" +{len(side) - PARTIES} more" if len(side) > PARTIES else "")


def _date(entity: _Entity) -> str | None:
    days = sorted(v[:10] for prop in DATE_PROPS for v in entity.values.get(prop, [])
                  if len(v) >= 10 and v[4] == "-" and v[:4].isdigit())
    return days[0] if days else None


def _qualifier(entity: _Entity) -> str:
    for prop in QUALIFIERS:
        value = entity.first(prop)
        if value:
            return f" ({value})"
    return ""


def _details(entity: _Entity, cited: list[Fact]) -> list[str]:
    """What else identifies it: an amount, a name (an arrest's), a cited identifier."""
    out = []
    amount = entity.first("amount")
    if amount is not None:
        out.append(" ".join(p for p in (_amount(amount), entity.first("currency")) if p))
    name = entity.first("name")
    if name is not None and entity.schema not in EDGE_SCHEMATA:
        out.append(name)
    return out + _identifiers(entity, cited)


def _identifiers(entity: _Entity, cited: list[Fact]) -> list[str]:
    """Cited values that are not references: the phone number two people share."""
    props = _reference_props(entity.schema)
    schema = get_model().get(entity.schema)
    out = []
    for fact in cited:
        if fact.prop in props or fact.value == REDACTED or schema is None:
            continue
        prop = schema.get(fact.prop)
        out.append(f"{(prop.label if prop else fact.prop).lower()} {fact.value}")
    return list(dict.fromkeys(out))


def _amount(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"
