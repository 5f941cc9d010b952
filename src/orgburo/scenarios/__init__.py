"""Scenarios: replayable timelines of decisions, and the reference organization as data."""
