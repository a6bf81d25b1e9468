"""The one error the scenario generator raises for a user's mistake (a CLI sentence)."""

from __future__ import annotations


class ScenarioError(ValueError):
    """The output folder or the options cannot make a scenario."""
