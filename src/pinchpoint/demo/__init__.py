"""Demo data: the documented example files and (later) the scenario generator."""
