"""Shared fixtures for the network tests: the published networks under ../shared/data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinchpoint.network import Link, Network, Node

NETWORKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "networks"


@pytest.fixture
def networks() -> Path:
    """The reference networks folder; the test is skipped, saying so, when it is absent."""
    if not NETWORKS.is_dir():
        pytest.skip(f"reference data not found at {NETWORKS} (../shared/data/networks)")
    return NETWORKS


@pytest.fixture
def smugglers() -> Network:
    """A small typed network: two cells joined by a broker, a victim, dated evidence."""
    nodes = [
        Node("boss", "The Boss", "suspect", "organiser", "Calais"),
        Node("fixer", "Fixer", "suspect", "recruiter", "Calais"),
        Node("driver", "Driver", "suspect", "driver", "Calais"),
        Node("broker", "Broker", "suspect", "money", "Brussels"),
        Node("pilot", "Pilot", "suspect", "pilot", "Dunkirk"),
        Node("supplier", "Supplier", "suspect", "supplier", "Dunkirk"),
        Node("mule", "Mule", "suspect", "courier", "Dunkirk"),
        Node("victim", "A migrant", "victim", None, "Dunkirk"),
    ]
    links = [
        Link("boss", "fixer", "call", 5, ("call-1",), "2024-01-01", "2024-01-03"),
        Link("boss", "driver", "meeting", 1, ("obs-1",), "2024-01-02"),
        Link("fixer", "driver", "call", 2, ("call-2",), "2024-01-02"),
        Link("boss", "broker", "payment", 3, ("pay-1",), "2024-01-05"),
        Link("boss", "broker", "call", 1, ("call-3",), "2024-01-04"),
        Link("broker", "pilot", "payment", 2, ("pay-2",), "2024-01-06"),
        Link("pilot", "supplier", "call", 4, ("call-4",), "2024-01-07"),
        Link("supplier", "mule", "meeting", 1, ("obs-2",), "2024-01-08"),
        Link("pilot", "mule", "call", 1, ("call-5",), "2024-01-03"),
        Link("victim", "pilot", "message", 1, ("msg-1",), "2024-01-09"),
        Link("victim", "supplier", "message", 1, ("msg-2",), "2024-01-09"),
    ]
    return Network.from_records(links, nodes)
