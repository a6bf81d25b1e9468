"""The supply chain (issue 17): every seized boat, engine and piece of equipment linked
by its serial number to whatever else names it (sales invoices, customs declarations,
storage searches, vehicle checks, seizures in other countries) and to the people and
companies those records name; supplier hubs ranked by how many seized items they are
upstream of, makes and models over time, the time from import to seizure, the chain on
the map, and a planner of which supplier or storage site to disrupt.

A stage beside money and ingest: it reads the store through the scope (and the scope's
last resolution, for who is who) and writes nothing, so a partner never gets a link
from a record it cannot see. Read once with `link`, then ask `chains`, `hubs`,
`makes_over_time`, `lead_times`, `plan` and `legs` of the result. docs/supply.md.
"""

from pinchpoint.supply.chains import ItemChain, Named, Sighting, chain_of, chains
from pinchpoint.supply.hubs import (
    Disputed,
    Hub,
    LeadTimes,
    MakeMonth,
    disputed,
    hubs,
    hubs_report,
    lead_times,
    makes_over_time,
)
from pinchpoint.supply.link import Supply, Unit, link, units_of
from pinchpoint.supply.parties import Handlers, group_parties, name_key
from pinchpoint.supply.places import GAZETTEER, Place, place
from pinchpoint.supply.plan import Plan, Step, Target, plan
from pinchpoint.supply.routes import Leg, legs, places_of
from pinchpoint.supply.rows import KINDS, ROLES, UPSTREAM, Row, read_rows
from pinchpoint.supply.serials import make_key, makes_agree, serial_key

__all__ = ["GAZETTEER", "KINDS", "ROLES", "UPSTREAM", "Disputed", "Handlers", "Hub",
           "ItemChain", "LeadTimes", "Leg", "MakeMonth", "Named", "Place", "Plan", "Row",
           "Sighting", "Step", "Supply", "Target", "Unit", "chain_of", "chains",
           "disputed", "group_parties", "hubs", "hubs_report", "lead_times", "legs", "link",
           "make_key", "makes_agree", "makes_over_time", "name_key", "place", "places_of",
           "plan",           "read_rows", "serial_key", "units_of"]
