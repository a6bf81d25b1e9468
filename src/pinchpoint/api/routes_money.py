"""The caller's money: flows between parties, traces and sinks (issue 15).

The same `pinchpoint.money` functions as `pinchpoint money`, on the payments the caller
may see, joined to the caller's resolution. The flow graph is made once per scope key
until the app's next write (`pinchpoint.api.cache`), with the workspace's rates
(`pinchpoint money rates`) or, without them, the most common currency alone. Every
request is logged like every other read. `party/{id}` is a profile's money in and out;
`payments?id=` the payments an alert names.
"""

from __future__ import annotations

import pathlib
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from pinchpoint.api import cache
from pinchpoint.api.deps import Session, SessionDep
from pinchpoint.money import (
    TYPOLOGIES,
    FlowError,
    FlowGraph,
    RatesError,
    TraceError,
    TypologyError,
    alerts,
    between,
    build,
    party_money,
    payments_of,
    sinks,
    trace,
    trace_sinks,
    workspace_rates,
)
from pinchpoint.money.trace import DEFAULT_HOPS
from pinchpoint.store import Scope
from pinchpoint.store.sql_store import SqlStore

router = APIRouter(prefix="/api/money")
PartyQ = Annotated[str, Query(alias="from", max_length=200,
                              description="the party: id, start of an id, or name")]


def graph_of(session: Session) -> FlowGraph:
    """The caller's flow graph, with the workspace's rates (400 if they cannot be read)."""
    try:
        return graph_for(session.store, session.scope, session.workspace.path,
                         session.generation)
    except RatesError as exc:
        raise HTTPException(400, str(exc)) from None


def graph_for(store: SqlStore, scope: Scope, workspace: pathlib.Path, inputs_at: int
              ) -> FlowGraph:
    """The scope's flow graph, made once per scope key until the next write (the money
    routes and the network's analysis share it)."""
    return cache.derived(store, scope, ("money",),
                         lambda: build(store, scope, workspace_rates(workspace)),
                         freeze=False, inputs_at=inputs_at)


def _find(graph: FlowGraph, text: str) -> str:
    try:
        return graph.find(text)
    except FlowError as exc:
        raise HTTPException(404, str(exc)) from None


def _base(graph: FlowGraph) -> dict[str, Any]:
    assert graph.rates is not None
    return {"base": graph.rates.base, "rates": graph.rates.source}


@router.get("/sinks")
def money_sinks(session: SessionDep, top: int = Query(20, ge=1, le=500)) -> dict[str, Any]:
    """Who keeps the money the caller can see: in minus out, in the base currency."""
    graph = graph_of(session)
    found, unconverted = sinks(graph, top)
    return {**_base(graph), "unconverted": unconverted, "incomplete": dict(graph.incomplete),
            "sinks": [s.as_dict() for s in found]}


@router.get("/trace", responses={404: {"description": "no such party"}})
def money_trace(
    session: SessionDep, start: PartyQ,
    to: Annotated[str | None, Query(max_length=200)] = None,
    since: date | None = None, until: date | None = None, back: bool = False,
    hops: int = Query(DEFAULT_HOPS, ge=1, le=12),
    tolerance: float = Query(0.05, ge=0.0, le=1.0),
) -> dict[str, Any]:
    """Where money from a party went (or, with back, came from), hop by hop."""
    graph = graph_of(session)
    party = _find(graph, start)
    target = _find(graph, to) if to else None
    try:
        found = trace(graph, party, target, since.isoformat() if since else None,
                      until.isoformat() if until else None, "in" if back else "out", hops,
                      Decimal(str(tolerance)))
    except TraceError as exc:
        raise HTTPException(400, str(exc)) from None
    steps = [s.as_dict(graph) for s in found.steps]
    return {**_base(graph), "start": party, "direction": found.direction, "steps": steps,
            "labels": {p: graph.label(p) for s in found.steps for p in (s.sender, s.receiver)},
            "held": [h.as_dict() for h in trace_sinks(graph, found, 50)],
            "unconverted": len(found.unconverted)}


@router.get("/alerts")
def money_alerts(
    session: SessionDep,
    typology: Annotated[list[str] | None, Query(
        max_length=len(TYPOLOGIES), description=f"only these: {', '.join(TYPOLOGIES)}")] = None,
    top: int = Query(50, ge=1, le=1000),
) -> dict[str, Any]:
    """Laundering typologies in the caller's payments, highest score first, each with its
    payments, references, parties, dates, total, reason and weakest grading."""
    graph = graph_of(session)
    wanted = tuple(sorted(set(typology))) if typology else None
    try:
        found = cache.derived(session.store, session.scope, ("money alerts", wanted),
                              lambda: alerts(graph, wanted), freeze=False,
                              inputs_at=session.generation)
    except TypologyError as exc:
        raise HTTPException(400, str(exc)) from None
    return {**_base(graph), "alerts": [a.as_dict() for a in found[:top]]}


@router.get("/flows")
def money_flows(session: SessionDep, top: int = Query(25, ge=2, le=200)) -> dict[str, Any]:
    """Money between the `top` parties by volume, summed per payer and beneficiary (in
    the base currency): what a Sankey of the caller's money draws."""
    graph = graph_of(session)
    return {**_base(graph), **between(graph, top)}


@router.get("/party/{entity_id}")
def money_party(session: SessionDep, entity_id: Annotated[str, Path(max_length=200)],
                top: int = Query(5, ge=1, le=50)) -> dict[str, Any]:
    """One party's money in and out and its top counterparties (a profile's money): the
    entity's canonical id in the caller's resolution, as its profile is; all zero for
    a party in no payment the caller can see."""
    graph = graph_of(session)
    canon, _records = cache.resolution(session.store, session.scope).of(entity_id)
    return {**_base(graph), **party_money(graph, canon, top).as_dict()}


@router.get("/payments")
def money_payments(
    session: SessionDep,
    payment: Annotated[list[str], Query(alias="id", max_length=1000,
                                        description="payment entity ids (an alert's)")],
) -> dict[str, Any]:
    """The payments with these ids that the caller can see, in time order, with their
    parties' labels and values in the base currency (an alert's payments, expanded)."""
    graph = graph_of(session)
    return {**_base(graph), "payments": payments_of(graph, payment)}
