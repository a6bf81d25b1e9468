"""Follow the money: the flow graph of every payment a scope can see, traces hop by
hop in time order, who ends up with it, and laundering typologies (issue 15).

A stage beside ingest, resolve and sharing: it reads the store through the scope and
the scope's resolution, and writes nothing. Amounts keep their currency; totals across
currencies use the rates the user supplies (`pinchpoint.money.rates`).
"""

from pinchpoint.money.flows import FlowError, FlowGraph, Provenance, Transfer, build
from pinchpoint.money.held import Counted, counted, customers, escrow_holders
from pinchpoint.money.party import (
    Counterparty,
    PartyMoney,
    party_money,
    payments_of,
)
from pinchpoint.money.rates import (
    Rates,
    RatesError,
    chosen_rates,
    read_rates,
    save_rates,
    single_currency,
    workspace_rates,
)
from pinchpoint.money.sinks import Held, Sink, between, sinks, trace_sinks
from pinchpoint.money.trace import Step, Trace, TraceError, trace
from pinchpoint.money.typologies import (
    THRESHOLDS,
    TYPOLOGIES,
    Alert,
    Params,
    TypologyError,
    alerts,
)

__all__ = ["THRESHOLDS", "TYPOLOGIES", "Alert", "Counted", "Counterparty", "FlowError",
           "FlowGraph", "Held", "Params", "PartyMoney", "Provenance", "Rates", "RatesError",
           "Sink", "Step", "Trace", "TraceError", "Transfer", "TypologyError", "alerts",
           "between", "build", "chosen_rates", "counted", "customers", "escrow_holders",
           "party_money", "payments_of", "read_rates", "save_rates", "single_currency", "sinks",
           "trace", "trace_sinks", "workspace_rates"]
