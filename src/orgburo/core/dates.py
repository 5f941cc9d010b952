"""Rules about dates that every service applies the same way."""

from __future__ import annotations

from datetime import date

from orgburo.errors import Invalid


def check_not_future(field: str, when: date, today: date) -> date:
    """History records what happened: a date after today is refused."""
    if when > today:
        raise Invalid.one(
            field, f"{when.isoformat()} is in the future (today is {today.isoformat()})"
        )
    return when


def check_not_before(field: str, when: date, earliest: date, what: str) -> date:
    """History is appended in order: a change cannot predate `earliest`."""
    if when < earliest:
        raise Invalid.one(field, f"{when.isoformat()} is before {what} ({earliest.isoformat()})")
    return when


def parse_date(field: str, raw: str) -> date:
    """An ISO date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise Invalid.one(field, f"{raw!r} is not a date in the form YYYY-MM-DD") from None
