"""Synthetic organizations: realistic, deterministic, and large."""
