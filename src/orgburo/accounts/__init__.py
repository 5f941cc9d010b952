"""Accounts: users, their roles on bodies, passwords, sessions and API tokens."""
