"""Signed intelligence packages between Pinchpoint instances."""
