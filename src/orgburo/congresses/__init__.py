"""Congresses, conferences and plenums: delegates, credentials, and which organ elects which."""
