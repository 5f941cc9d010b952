"""Offices and their holders over time; seats on elected organs."""
