"""Pinchpoint: an intelligence workbench for organised immigration crime."""

__version__ = "0.1.0"

__all__ = ["__version__"]
