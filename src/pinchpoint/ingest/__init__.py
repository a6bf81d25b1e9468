"""Ingest: one module per source kind, each turning a file into statements and quarantine."""
