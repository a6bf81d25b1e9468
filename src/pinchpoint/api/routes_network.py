"""The caller's resolved network: neighbourhoods, ranking, groups, plans and paths.

Every answer is computed on `project(store, scope, ...)`, the network of what the
caller may see, with the same `pinchpoint.network` functions as `pinchpoint network`;
projections, analyses and ego graphs are kept per scope key until the app's next write
(`pinchpoint.api.cache`), so two readers share them only when they see exactly the same
statements. Each time window asked for (`since`, `until`) is a network of its own.

Victims and witnesses are never targets: neither those recorded so (`Network.targetable`)
nor anyone whose details the caller sees withheld (`[redacted]`: only a protected person's
are), whose category the caller may not see at all (`never_targets`).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import igraph as ig  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc
from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from pinchpoint.api import cache
from pinchpoint.api.deps import AppState, Session, SessionDep
from pinchpoint.api.entities import (
    LABEL_COLUMNS,
    agency_titles,
    any_visible,
    briefs,
    label_of,
    resolved_map,
)
from pinchpoint.api.routes_money import graph_for
from pinchpoint.api.search import index as search_index
from pinchpoint.money import RatesError
from pinchpoint.network import (
    Analysis,
    Network,
    NetworkError,
    analyse,
    gather,
    plan,
    rank,
    shortest_paths,
)
from pinchpoint.network.analysis import DETECTED
from pinchpoint.network.compare import compare, shielded
from pinchpoint.network.disruption import removal_curve
from pinchpoint.network.paths import of_types
from pinchpoint.network.project import NOT_RESOLVED, project
from pinchpoint.store import Scope
from pinchpoint.store.scope import REDACTED
from pinchpoint.store.sql_store import SqlStore

router = APIRouter(prefix="/api")
NOT_FOUND = "no such entity"
SinceQ = Annotated[date | None, Query(description="ties dated on or after (YYYY-MM-DD)")]
UntilQ = Annotated[date | None, Query(description="ties dated on or before (YYYY-MM-DD)")]
TypesQ = Annotated[str | None, Query(max_length=500, description="link types, comma-separated")]
NEVER_TARGETS = "victims and witnesses are never targets"


def network_of(session: Session, since: date | None = None, until: date | None = None
               ) -> Network:
    """The caller's projected network; 409 before the scope is resolved."""
    if since and until and since > until:
        raise HTTPException(400, f"since {since} is after until {until}")
    if not cache.resolution(session.store, session.scope).resolved:
        raise HTTPException(409, NOT_RESOLVED)
    return network_for(session.store, session.scope, since, until, session.generation)


def network_for(store: SqlStore, scope: Scope, since: date | None, until: date | None,
                inputs_at: int) -> Network:
    """The scope's projected network, made once per scope key until the next write."""
    return cache.derived(store, scope, ("network", since, until),
                         lambda: project(store, scope, since, until), inputs_at=inputs_at,
                         **_window(since, until))


def analysis_of(session: Session, network: Network, since: date | None, until: date | None
                ) -> Analysis:
    """The analysis (400 when the workspace's rates file is bad)."""
    try:
        return analysis_for(session.store, session.scope, network, since, until,
                            session.generation, session.workspace.path)
    except RatesError as exc:
        raise HTTPException(400, str(exc)) from None


def analysis_for(store: SqlStore, scope: Scope, network: Network, since: date | None,
                 until: date | None, inputs_at: int, workspace: Path) -> Analysis:
    """Scores, groups and the head of every group of the scope's network, with the money
    and call direction the scope sees (`network.gather`), made once with it: kept only
    under the generation `network` was read at (`inputs_at`)."""
    def make() -> Analysis:
        signals = gather(store, scope, graph=graph_for(store, scope, workspace, inputs_at))
        # Who may head a group is who may be a target: a person whose details are withheld
        # from the scope is a victim or witness though their category may not be visible,
        # so they neither head nor name a group, nor get a criminal role (issue 19).
        withheld = withheld_people(store, scope, inputs_at)
        return analyse(shielded(network, protected_in(network, withheld)), DETECTED, 0,
                       signals)

    return cache.derived(store, scope, ("analysis", since, until), make,
                         inputs_at=inputs_at, **_window(since, until))


MAX_WINDOWS = 4
"""Networks of time windows (`since`, `until`) kept per scope besides the whole one."""


def _window(since: date | None, until: date | None) -> dict[str, Any]:
    """How a windowed network's derived data is kept: the whole network until the next
    write; those of the `MAX_WINDOWS` most recent windows besides (each is a projection
    of its own; a client stepping through dates would otherwise keep them all)."""
    if since is None and until is None:
        return {}
    return {"group": ("window", (since, until)), "keep": MAX_WINDOWS}


def warm(state: AppState, scope: Scope) -> None:
    """Make what a new session of `scope` will ask for first (resolution, statements,
    search index, network and its analysis), so that its first search or profile does
    not wait seconds for them. Run in a thread after login; a request that comes first
    waits for the same build instead of starting another (`cache.derived`)."""
    store = state.store()
    at = cache.generation()
    try:
        if cache.resolution(store, scope).resolved:
            network = network_for(store, scope, None, None, at)
            analysis_for(store, scope, network, None, None, at, state.workspace.path)
            ego_graph(store, scope, at, (None, None), network, None)
        cache.statements(store, scope)
        search_index(store, scope)
    finally:
        store.close()


def link_types(types: str | None) -> set[str] | None:
    """The link types of a comma-separated `types` (None: every type)."""
    wanted = {t.strip() for t in types.split(",") if t.strip()} if types else set()
    return wanted or None


def redacted_people(session: Session) -> frozenset[str]:
    """The canonical ids of the people of whom the caller sees a value withheld
    (`withheld_people`)."""
    return withheld_people(session.store, session.scope, session.generation)


def withheld_people(store: SqlStore, scope: Scope, inputs_at: int) -> frozenset[str]:
    """The canonical ids of the people of whom `scope` sees a value withheld: only a
    victim's or witness's details are (`pinchpoint.store.redaction`), so each is one even
    where the statement saying so is not the scope's to see. Read from the scope's
    statements in memory, once per scope until the next write (`inputs_at`)."""
    def make() -> frozenset[str]:
        table = cache.statements(store, scope).table
        withheld = pc.equal(table.column("value"), REDACTED)
        records = pc.unique(pc.filter(table.column("entity_id"), withheld)).to_pylist()
        canonical = cache.resolution(store, scope).canonical
        return frozenset(canonical.get(str(r), str(r)) for r in records)

    found: frozenset[str] = cache.derived(store, scope, "redacted-people", make,
                                          inputs_at=inputs_at)
    return found


def never_targets(session: Session, network: Network) -> npt.NDArray[np.bool_]:
    """Who in `network` may never be a target: victims and witnesses, recorded so or with
    their details withheld from the caller."""
    return protected_in(network, redacted_people(session))


def protected_in(network: Network, withheld: frozenset[str]) -> npt.NDArray[np.bool_]:
    """Per node of `network`: a victim or witness, recorded so or among `withheld` (the
    people whose details the reader sees withheld)."""
    protected = ~network.targetable()
    if withheld:
        protected |= np.isin(np.asarray(network.ids, dtype=object), list(withheld))
    return protected


def _ego(session: Session, key: tuple[Any, ...], network: Network, index: int, hops: int,
         types: set[str] | None) -> tuple[list[int], list[int]]:
    """Nodes within `hops` of `index` over links of `types`, and those links."""
    graph, wanted = ego_graph(session.store, session.scope, session.generation, key,
                              network, types)
    nodes = sorted(graph.neighborhood(index, order=hops))
    inside = np.zeros(network.n, dtype=bool)
    inside[nodes] = True
    links = np.flatnonzero(wanted & inside[network.src] & inside[network.dst])
    return nodes, [int(e) for e in links]


def ego_graph(store: SqlStore, scope: Scope, inputs_at: int, key: tuple[Any, ...],
              network: Network, types: set[str] | None) -> tuple[ig.Graph, np.ndarray]:
    """The graph of the wanted link types (and which links those are), built once per
    network and kept with it: reading the link types per request cost more than the
    answer. `warm` makes the unfiltered one, which a neighbourhood of one hop reads on
    the event loop (`Session.answer_soon`, `quick`)."""
    def build() -> tuple[ig.Graph, np.ndarray]:
        kinds = np.asarray(network.link_attrs.get("type") or ["link"] * network.m,
                           dtype=object)
        wanted = np.ones(network.m, dtype=bool) if types is None else np.isin(
            kinds, list(types))
        graph = ig.Graph(n=network.n)
        graph.add_edges(np.column_stack([network.src[wanted], network.dst[wanted]]))
        return graph, wanted

    made: tuple[ig.Graph, np.ndarray] = cache.derived(
        store, scope, ("ego-graph", *key, frozenset(types or ())), build,
        inputs_at=inputs_at, **_window(*key))
    return made


@router.get("/entities/{entity_id}/neighbourhood", response_model=dict[str, Any],
            responses={404: {"description": NOT_FOUND}, 409: {"description": NOT_RESOLVED}})
async def neighbourhood(session: SessionDep, entity_id: str,
                        hops: int = Query(1, ge=1, le=4), types: TypesQ = None,
                        since: SinceQ = None, until: UntilQ = None) -> Response:
    """The entity and everything within `hops` links of it in the caller's network; each
    node with its broker role and whether it is `protected` (a victim or witness: never
    a target, and shown with no role)."""
    found = await session.answer_soon(
        ("neighbourhood", entity_id, hops, types, since, until),
        lambda: _neighbourhood(session, entity_id, hops, types, since, until),
        # one hop of the whole network is milliseconds; a wider or filtered one is
        # built first, which may take seconds
        quick=hops == 1 and not (types or since or until))
    if found is None:
        raise HTTPException(404, NOT_FOUND)
    return found


def _neighbourhood(session: Session, entity_id: str, hops: int, types: str | None,
                   since: date | None, until: date | None) -> dict[str, Any] | None:
    canon, records = cache.resolution(session.store, session.scope).of(entity_id)
    if not any_visible(session.store, session.scope, records):
        return None
    network = network_of(session, since, until)
    wanted = link_types(types)
    try:
        index = network.index(canon)
    except NetworkError:
        info = briefs(session.store, session.scope, [canon])
        label = info[canon].label if canon in info else canon
        return {"nodes": [{"id": canon, "label": label, "category": None, "role": None,
                           "broker_role": None, "group": None, "score": None,
                           "protected": canon in redacted_people(session)}], "edges": []}
    result = analysis_of(session, network, since, until)
    nodes, links = _ego(session, (since, until), network, index, hops,
                        wanted)
    found = result.groups
    category, role = network.attribute("category"), network.attribute("role")
    protected = never_targets(session, network)
    brokers = result.scores.brokerage
    attrs = network.link_attrs
    kinds, evidence = attrs.get("type"), attrs.get("evidence")
    first, last = attrs.get("first_seen"), attrs.get("last_seen")
    return {
        "nodes": label_unnamed(session, [
                  {"id": network.ids[i], "label": network.label(i), "category": category[i],
                   "role": role[i],
                   "broker_role": None if protected[i] else brokers.main_role(i),
                   "protected": bool(protected[i]),
                   "group": found.groups[found.membership[i]].id,
                   "score": float(result.scores.score[i])} for i in nodes]),
        "edges": [{"source": network.ids[int(network.src[e])],
                   "target": network.ids[int(network.dst[e])],
                   "type": kinds[e] if kinds else "link",
                   "weight": float(network.weight[e]),
                   "evidence": list((evidence[e] if evidence else None) or ()),
                   "first_seen": first[e] if first else None,
                   "last_seen": last[e] if last else None}
                  for e in links],
    }


@router.get("/network/rank", responses={409: {"description": NOT_RESOLVED}})
def network_rank(session: SessionDep, top: int = Query(20, ge=1, le=1000),
                 since: SinceQ = None, until: UntilQ = None) -> list[dict[str, Any]]:
    """Kingpin ranking (victims and witnesses never listed, those whose details are
    withheld from the caller neither), each ingredient shown."""
    network = network_of(session, since, until)
    result = analysis_of(session, network, since, until)
    withheld = redacted_people(session)
    ranked = rank(network, result.scores, top + len(withheld), result.groups.labels(),
                  result.suggested_roles())
    kept = [entry for entry in ranked if entry.id not in withheld][:top]
    return label_unnamed(session, [{**entry.to_dict(), "rank": place}
                                   for place, entry in enumerate(kept, start=1)])


@router.get("/network/groups", responses={409: {"description": NOT_RESOLVED}})
def network_groups(session: SessionDep, since: SinceQ = None, until: UntilQ = None
                   ) -> dict[str, Any]:
    """The groups, each named after its heads; a head the records give no name is
    named by their phone number in the group's name, never by id (`unnamed_labels`)."""
    network = network_of(session, since, until)
    found = analysis_of(session, network, since, until).groups
    unnamed = sorted({lead for group in found.groups for lead in group.leaders
                      if network.label(network.index(lead)) == lead})
    labels = unnamed_labels(session, unnamed) if unnamed else {}
    return {"modularity": found.modularity, "seed": found.seed,
            "groups": [{**asdict(group), "name": _relabel(group.name, labels)}
                       for group in found.groups]}


@router.get("/network/leaders", responses={400: {"description": "bad rates"},
                                           404: {"description": "no such group"},
                                           409: {"description": NOT_RESOLVED}})
def network_leaders(session: SessionDep, group: str | None = Query(None, max_length=20)
                    ) -> list[dict[str, Any]]:
    """The head of every group (or of `group`): members ordered by how likely each leads
    it, with a suggested role and why; victims and witnesses never listed."""
    network = network_of(session)
    every = analysis_of(session, network, None, None).leaders
    chosen = [entry for entry in every if group is None or entry.group == group]
    if group is not None and not chosen:
        raise HTTPException(404, f"no group {group!r}: the groups are G1 to G{len(every)}")
    return [entry.to_dict() for entry in chosen]


class PlanRequest(BaseModel):
    k: int = Field(5, ge=0, le=500)
    strategy: str = Field("betweenness", max_length=40)
    mode: str = Field("sequential", max_length=40)
    block: int = Field(5, ge=1, le=500)
    rewire: bool = False
    targets: list[str] | None = Field(None, max_length=500,
                                      description="analyst's own arrest order")
    since: date | None = None
    until: date | None = None


@router.post("/network/plan", responses={400: {"description": "bad plan"},
                                         409: {"description": NOT_RESOLVED}})
def network_plan(session: SessionDep, body: PlanRequest) -> dict[str, Any]:
    """A disruption plan; with `targets`, the curve of arresting exactly those, in order."""
    network = network_of(session, body.since, body.until)
    session.record("consultation", "POST /api/network/plan", detail=body.model_dump(mode="json"))
    if body.targets is not None:
        return _own_plan(session, network, body.targets)
    try:  # nobody whose details are withheld from the caller is proposed either
        found = plan(shielded(network, never_targets(session, network)), body.k,
                     body.strategy, body.mode, body.block, body.rewire)
    except NetworkError as exc:
        raise HTTPException(400, str(exc)) from None
    return found.to_dict()


def _own_plan(session: Session, network: Network, targets: list[str]) -> dict[str, Any]:
    """The analyst's own arrest order; 400 for a victim or witness among the targets
    (the workbench offers none, but the server is the guard)."""
    canonical = resolved_map(session.store, session.scope)
    protected = never_targets(session, network)
    order: list[int] = []
    for target in targets:
        try:
            i = network.index(canonical.get(target, target))
        except NetworkError:
            raise HTTPException(404, f"{NOT_FOUND}: {target}") from None
        if protected[i]:
            raise HTTPException(400, f"{target} is a victim or witness (recorded so, or "
                                f"their details are withheld from you): {NEVER_TARGETS}")
        if i not in order:
            order.append(i)
    curve = removal_curve(network, order)
    return {"strategy": "analyst", "targets": [network.ids[i] for i in order],
            "labels": [network.label(i) for i in order], "curve": curve,
            "lcc_start": int(max(network.simple().connected_components().sizes(), default=0)),
            "fragmentation_curve": None}


class CompareRequest(BaseModel):
    k: int = Field(10, ge=0, le=200)
    strategies: list[Annotated[str, Field(max_length=40)]] = Field(
        ["betweenness", "degree", "katz", "ci", "pagerank", "kpp"], max_length=6,
        description="strategies to run, in order")
    mode: str = Field("sequential", max_length=40)
    block: int = Field(5, ge=1, le=200)
    rewire: bool = False
    random_runs: int = Field(20, ge=1, le=100, description="random arrest sets drawn")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the random draws")
    since: date | None = None
    until: date | None = None


@router.post("/network/plan/compare", responses={400: {"description": "bad plan"},
                                                 409: {"description": NOT_RESOLVED}})
def network_plan_compare(session: SessionDep, body: CompareRequest) -> dict[str, Any]:
    """Each strategy's plan (`plan`: targets and removal curve) and the random baseline
    (the mean, lowest and highest curve of `random_runs` seeded random arrest sets),
    all with `k` arrests; no victim or witness is ever a target, recorded so or with
    their details withheld from the caller. Kept per scope until the next write."""
    network = network_of(session, body.since, body.until)
    session.record("consultation", "POST /api/network/plan/compare",
                   detail=body.model_dump(mode="json"))
    name = ("plan-compare", body.since, body.until, body.k, tuple(body.strategies),
            body.mode, body.block, body.rewire, body.random_runs, body.seed)

    def make() -> dict[str, Any]:
        guarded = shielded(network, never_targets(session, network))
        found = compare(guarded, body.k, body.strategies, body.mode, body.block,
                        body.rewire, body.random_runs, body.seed)
        lcc = int(max(guarded.simple().connected_components().sizes(), default=0))
        return {**found.to_dict(), "mode": body.mode, "block": body.block,
                "rewire": body.rewire, "lcc_start": lcc}

    try:
        answer: dict[str, Any] = cache.derived(
            session.store, session.scope, name, make, inputs_at=session.generation,
            group=("plan-compare", name), keep=MAX_WINDOWS)
    except NetworkError as exc:
        raise HTTPException(400, str(exc)) from None
    return answer


@router.get("/network/path", responses={404: {"description": "no path or unknown id"},
                                        409: {"description": NOT_RESOLVED}})
def network_path(session: SessionDep, a: str = Query(..., max_length=200),
                 b: str = Query(..., max_length=200), k: int = Query(1, ge=1, le=20),
                 weighted: bool = False, time_order: bool = False, types: TypesQ = None,
                 since: SinceQ = None, until: UntilQ = None) -> list[dict[str, Any]]:
    """The shortest paths from a to b; with `types`, over links of those types only
    (each hop then lists only those links), as the neighbourhood's filter."""
    network = network_of(session, since, until)
    wanted = link_types(types)
    if wanted is not None:
        network = typed_network(session, network, (since, until), wanted)
    canonical = resolved_map(session.store, session.scope)
    left, right = canonical.get(a, a), canonical.get(b, b)
    try:
        found = shortest_paths(network, left, right, k, weighted, time_order)
    except NetworkError:
        raise HTTPException(404, f"{NOT_FOUND} in the network") from None
    if not found:
        over = f" over {', '.join(sorted(wanted))} links" if wanted else ""
        raise HTTPException(404, f"no path from {a} to {b}{over}")
    return [path.to_dict() for path in found]


def typed_network(session: Session, network: Network, window: tuple[date | None, date | None],
                  types: set[str]) -> Network:
    """`network` with only links of `types` (`paths.of_types`), made once per window and
    set of types; each is a copy of the links, so only the `MAX_WINDOWS` most recently
    made are kept (an analyst ticking through the types would otherwise keep them all)."""
    name = ("typed-network", *window, frozenset(types))
    made: Network = cache.derived(session.store, session.scope, name,
                                  lambda: of_types(network, types), inputs_at=session.generation,
                                  group=("typed-network", name), keep=MAX_WINDOWS)
    return made


@router.get("/network/people", responses={400: {"description": "bad rates"},
                                          409: {"description": NOT_RESOLVED}})
def network_people(session: SessionDep, top: int = Query(100, ge=1, le=1000)
                   ) -> dict[str, Any]:
    """The key people: the kingpin ranking (`network_rank`: victims and witnesses never
    listed, those whose details are withheld from the caller neither), each person with
    their group's name (not its number), their suggested role and whether they head
    their group (`network_leaders`), in one answer the workbench's table reads. Made
    once per scope and `top` until the next write, as the network and analysis are."""
    network = network_of(session)
    return cache.derived(session.store, session.scope, ("people", top),
                         lambda: _people(session, network, top),
                         inputs_at=session.generation)


def _people(session: Session, network: Network, top: int) -> dict[str, Any]:
    """`network_people`'s answer: the ranking joined with the groups and their heads;
    a person the records give no name (and a group named after one) is labelled by
    their phone number, never by id (`unnamed_labels`)."""
    result = analysis_of(session, network, None, None)
    groups = {group.id: group for group in result.groups.groups}
    heads = {lead.members[0].id: lead.group for lead in result.leaders if lead.members}
    why = {m.id: m.why for lead in result.leaders for m in lead.members}
    ranked = network_rank(session, top, None, None)
    named = {str(e["group"]) for e in ranked} & set(groups)
    unnamed = {e["id"] for e in ranked if e["label"] == e["id"]} | {
        lead for g in named for lead in groups[g].leaders
        if network.label(network.index(lead)) == lead}
    labels = unnamed_labels(session, sorted(unnamed)) if unnamed else {}
    names = {g: _relabel(groups[g].name, labels) for g in named}
    people = [{**entry, "label": labels.get(entry["id"], entry["label"]),
               "group_name": names.get(str(entry["group"])),
               "group_size": groups[entry["group"]].size if entry["group"] in named else None,
               "head": heads.get(entry["id"]) == entry["group"] and entry["group"] is not None,
               "why": why.get(entry["id"])}
              for entry in ranked]
    return {"total": int((~never_targets(session, network)).sum()),
            "weights": dict(result.scores.weights), "people": people}


def _relabel(name: str, labels: dict[str, str]) -> str:
    """A group's name (its leaders' labels joined) with each id in it replaced by `labels`."""
    for person, label in labels.items():
        name = name.replace(person, label)
    return name

def label_unnamed(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows (ranked people, neighbourhood nodes) with each id given as a label replaced by
    the phone number or e-mail the records hold (`unnamed_labels`): an id is never a name
    on screen (issue 19)."""
    unnamed = sorted({str(row["id"]) for row in rows if row["label"] == row["id"]})
    if not unnamed:
        return rows
    labels = unnamed_labels(session, unnamed)
    return [{**row, "label": labels.get(str(row["id"]), row["label"])} for row in rows]


def unnamed_labels(session: Session, ids: list[str]) -> dict[str, str]:
    """A label for each person the records give no visible name (the network labels them
    by id), by the rule every view uses (`entities.label_of`): the phone number or e-mail
    address their records hold most, "witness (identity withheld, Border Force)" for one
    whose name is withheld from the caller, else "unnamed person"; an id is never the
    name a table shows."""
    view = cache.statements(session.store, session.scope)
    resolution = cache.resolution(session.store, session.scope)
    titles = agency_titles(session.store)
    labels: dict[str, str] = {}
    for person in ids:
        cols = view.columns(resolution.of(person)[1], LABEL_COLUMNS)
        labels[person] = label_of(zip(*(cols[c] for c in LABEL_COLUMNS), strict=True),
                                  "person", "unnamed person", titles)
    return labels
