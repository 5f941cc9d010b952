"""Elections: counting ballots by the organization's rules (the maths lives in core.tally)."""
