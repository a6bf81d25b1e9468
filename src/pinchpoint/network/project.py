"""The projection of a resolved workspace into a Network: who is tied to whom, and why.

Entity resolution decides who is who; this module turns what the scope sees into the
typed multigraph every analysis runs on. One node per resolved person (the canonical
id of its cluster), and links of three kinds:

1. **relationships**: an entity that ties two parties (a payment's payer and
   beneficiary, a call, a message, an association, a family tie, a membership, an
   unknown link; see `EDGE_SCHEMATA`). Each end is mapped through the resolution, so
   the calls of a smuggler's three phones all land on one node;
2. **shared identifiers**: two resolved people holding the same phone number, e-mail or
   document number (their own, or through a handset or identity document they hold)
   get a `shared_phone` / `shared_email` / `shared_document` link: the resolution keeps
   two people who shared a burner apart, and this says that they did;
3. **co-occurrence**: people named together by any other entity (an arrest event, a
   crossing, a seizure) get a `co_occurrence` link; members of one organisation get a
   `co_membership` link unless organisations are projected as nodes.

Links between the same two people of the same type are one link whose weight is the
number of entities behind it, whose evidence is every statement id behind it (the
statements that name the two ends) and whose dates span those entities' dates.
Everything is read through the caller's scope (`pinchpoint.store.graph_reads`), so an
agency's network holds only what it may see.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from pinchpoint.model.category import PROTECTED_CATEGORIES, parse_category
from pinchpoint.model.display_name import UNGRADED, UNSEEN, Tally, choose
from pinchpoint.network.graph import Link, Network, NetworkError, Node
from pinchpoint.resolve import resolution_map
from pinchpoint.store import graph_reads
from pinchpoint.store.graph_reads import Reference
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

NOT_RESOLVED = ("nothing is resolved for this scope yet: run `pinchpoint resolve` first, "
                "or analyse a plain graph with --edges FILE")

# schema -> (properties of one end, properties of the other end, link type)
EDGE_SCHEMATA: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "Payment": (("payer",), ("beneficiary",), "payment"),
    "Call": (("caller",), ("receiver",), "call"),
    "Message": (("sender",), ("recipients",), "message"),
    "Associate": (("person",), ("associate",), "associate"),
    "Family": (("person",), ("relative",), "family"),
    "Membership": (("member",), ("organization",), "membership"),
    "UnknownLink": (("subject",), ("object",), "link"),
    "Employment": (("employee",), ("employer",), "employment"),
    "Directorship": (("director",), ("organization",), "directorship"),
    "Representation": (("agent",), ("client",), "representation"),
}
ORGANISATIONS = ("Organization", "Company", "PublicBody")
# Larger sets are not turned into cliques: an entity naming 200 people, or a phone
# number 50 people hold (a hotline, a hawala office's number), says little about any
# two of them and would swamp every measure.
MAX_CLIQUE = 25
MAX_SHARED = 10


@dataclass(slots=True)  # one per link: millions at national scale
class _Tie:
    weight: float = 0.0
    evidence: set[str] = field(default_factory=set)
    first: str | None = None
    last: str | None = None

    def add(self, evidence: Iterable[str], span: tuple[str, str] | None) -> None:
        self.weight += 1.0
        self.evidence.update(evidence)
        if span is not None:
            self.first = min(self.first or span[0], span[0])
            self.last = max(self.last or span[1], span[1])


@dataclass
class _Builder:
    ties: dict[tuple[str, str, str], _Tie] = field(default_factory=dict)

    def add(self, a: str, b: str, kind: str, evidence: Iterable[str],
            span: tuple[str, str] | None) -> None:
        if a == b:
            return
        key = (a, b, kind) if a < b else (b, a, kind)
        self.ties.setdefault(key, _Tie()).add(evidence, span)

    def clique(self, ends: dict[str, set[str]], kind: str, span: tuple[str, str] | None
               ) -> None:
        if 2 <= len(ends) <= MAX_CLIQUE:
            for a, b in combinations(sorted(ends), 2):
                self.add(a, b, kind, ends[a] | ends[b], span)

    def links(self) -> list[Link]:
        """The links in key order; each tie is let go as its link is made, so the ties'
        evidence sets and the links' evidence tuples are never all held at once."""
        return [self._link(key, self.ties.pop(key)) for key in sorted(self.ties)]

    @staticmethod
    def _link(key: tuple[str, str, str], tie: _Tie) -> Link:
        a, b, kind = key
        return Link(a, b, kind, tie.weight, tuple(sorted(tie.evidence)), tie.first, tie.last)


def project(store: SqlStore, scope: Scope, since: date | None = None,
            until: date | None = None, organisations: bool = False) -> Network:
    """The network of resolved people that `scope` sees.

    With `since` / `until`, only entities whose dates overlap that range give links
    (an entity's dates are its date, start, end or posting time). Undated entities and
    shared identifiers cannot be placed in time and are always kept. People with no
    link are not nodes. With `organisations`, organisations become nodes too (a
    membership links member and organisation) instead of tying their members together.
    Raises NetworkError when the scope has not been resolved.
    """
    if since and until and since > until:
        raise NetworkError(f"--since {since} is after --until {until}")
    if not graph_reads.resolved_count(store, scope):
        raise NetworkError(NOT_RESOLVED)
    canonical = resolution_map(store, scope)
    window = (since.isoformat() if since else "0000", until.isoformat() if until else "9999")
    builder = _Builder()
    members: dict[str, dict[str, set[str]]] = defaultdict(dict)
    spans: dict[str, tuple[str, str] | None] = {}
    for found in graph_reads.pointing(store, scope, ("Person", *ORGANISATIONS), dates=True):
        span = found.span
        if span is not None and (span[1] < window[0] or span[0] > window[1][:10]):
            continue
        ends = _ends(found.refs, canonical, organisations)
        _relate(builder, found.refs[0].schema, ends, span, organisations, members, spans)
    for org, held in members.items():
        builder.clique(held, "co_membership", spans.get(org))
    _shared(builder, store, scope, canonical)
    links = builder.links()
    used = {end for link in links for end in (link.source, link.target)}
    nodes = _person_nodes(store, scope, used, _roles(store, scope, canonical))
    if organisations:
        nodes += _org_nodes(store, scope, used - {node.id for node in nodes})
    store.release_memory()  # the whole store was read: its cached blocks are not needed
    return Network.from_records(links, nodes)


def _ends(group: list[Reference], canonical: dict[str, str], organisations: bool
          ) -> dict[str, dict[str, set[str]]]:
    """property -> node id -> the statement ids naming it, for ends that are nodes."""
    ends: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for ref in group:
        if ref.target_schema == "Person":
            node = canonical.get(ref.target, ref.target)
        elif ref.schema in EDGE_SCHEMATA and (organisations or ref.schema == "Membership"):
            node = ref.target  # an arresting agency "involved" in an event is no tie
        else:
            continue
        ends[ref.prop].setdefault(node, set()).add(ref.statement_id)
    return ends


def _relate(builder: _Builder, schema: str, ends: dict[str, dict[str, set[str]]],
            span: tuple[str, str] | None, organisations: bool,
            members: dict[str, dict[str, set[str]]],
            spans: dict[str, tuple[str, str] | None]) -> None:
    """The links one entity gives: its two parties, or everyone it names together."""
    if schema == "Membership" and not organisations:
        for org in ends.get("organization", {}):
            for member, ids in ends.get("member", {}).items():
                members[org].setdefault(member, set()).update(ids)
            if span is not None:
                old = spans.get(org) or span
                spans[org] = (min(old[0], span[0]), max(old[1], span[1]))
        return
    if schema in EDGE_SCHEMATA:
        left, right, kind = EDGE_SCHEMATA[schema]
        for a, a_ids in _merge(ends, left).items():
            for b, b_ids in _merge(ends, right).items():
                builder.add(a, b, kind, a_ids | b_ids, span)
        return
    together = _merge(ends, tuple(ends))
    builder.clique(together, "co_occurrence", span)


def _merge(ends: dict[str, dict[str, set[str]]], props: tuple[str, ...]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for prop in props:
        for node, ids in ends.get(prop, {}).items():
            out.setdefault(node, set()).update(ids)
    return out


def _shared(builder: _Builder, store: SqlStore, scope: Scope, canonical: dict[str, str]
            ) -> None:
    """People holding the same phone, e-mail or document number."""
    holders: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    for item in graph_reads.held_identifiers(store, scope, persons_only=True):
        node = canonical.get(item.holder, item.holder)
        holders[(item.kind, item.value)].setdefault(node, set()).add(item.statement_id)
    for (kind, _value), ends in sorted(holders.items()):
        if len(ends) <= MAX_SHARED:
            builder.clique(ends, f"shared_{kind}", None)


PERSON_PROPS = ("name", "personCategory", "country", "nationality")


def _roles(store: SqlStore, scope: Scope, canonical: dict[str, str]) -> dict[str, str]:
    """A person's role in the business where a membership records one (most frequent)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for chunk in store.entity_values(scope, "Membership", ("member", "role")):
        for item in chunk:
            for member in item.values.get("member", []):
                counts[canonical.get(member, member)].update(item.values.get("role", []))
    return {node: c.most_common(1)[0][0] for node, c in counts.items() if c}


def _person_nodes(store: SqlStore, scope: Scope, used: set[str], roles: dict[str, str]
                  ) -> list[Node]:
    """One node per resolved person with a link, its values counted over its records."""
    nodes = []
    for person in graph_reads.person_summaries(store, scope, PERSON_PROPS):
        if person.node not in used:
            continue
        seen = {prop: Counter(person.values.get(prop, {})) for prop in PERSON_PROPS}
        attrs = {"records": str(person.records), "kind": "person"}
        if seen["nationality"]:
            attrs["nationality"] = _top(seen["nationality"]) or ""
        nodes.append(Node(person.node, _name(person), _category(seen["personCategory"]),
                          roles.get(person.node), _top(seen["country"]), attrs))
    return sorted(nodes, key=lambda node: node.id)  # PostgreSQL's collation may differ


def _name(person: graph_reads.PersonSummary) -> str | None:
    """The person's display name by the one rule every view uses (`model.display_name`:
    the name the most records state, folded; ties to the better grade, the earliest,
    the alphabetically first). None when no name is visible: the API then names them by
    their phone number, or as a withheld witness (`routes_network.label_unnamed`)."""
    ties = person.ties.get("name", {})
    return choose({value: Tally(count, *ties.get(value, (UNGRADED, UNSEEN)))
                   for value, count in person.values.get("name", {}).items()})


def _top(counts: Counter[str]) -> str | None:
    """The most frequent value; ties go to the alphabetically first, so it is stable."""
    if not counts:
        return None
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def _category(counts: Counter[str]) -> str | None:
    """A victim or witness record anywhere in the cluster wins: a smuggled person must
    never be ranked because another record of them was uncategorised or said suspect."""
    protected = [c for c in counts if parse_category(c) in PROTECTED_CATEGORIES]
    if protected:
        return _top(Counter({c: counts[c] for c in protected}))
    return _top(counts)


def _org_nodes(store: SqlStore, scope: Scope, wanted: set[str]) -> list[Node]:
    nodes: list[Node] = []
    if not wanted:
        return nodes
    for schema in ORGANISATIONS:
        for chunk in store.entity_values(scope, schema, ("name", "country"),
                                         sorted(wanted)):
            for item in chunk:
                if item.entity_id in wanted:
                    wanted.discard(item.entity_id)
                    names = Counter(item.values.get("name", []))
                    nodes.append(Node(item.entity_id,
                                      choose({n: Tally(c) for n, c in names.items()}),
                                      None, "organisation",
                                      _top(Counter(item.values.get("country", []))),
                                      {"kind": "organisation"}))
    return sorted(nodes, key=lambda node: node.id)
