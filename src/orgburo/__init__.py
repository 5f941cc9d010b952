"""Orgburo: run a large membership organization built as a tree of bodies."""

__version__ = "0.1.0"
