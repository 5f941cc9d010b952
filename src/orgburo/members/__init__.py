"""The member registry: persons, memberships with their full history, attributes."""
