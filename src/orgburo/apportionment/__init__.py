"""Apportionment as a tool: `orgburo apportion` and `POST /api/apportion` over the core methods."""
