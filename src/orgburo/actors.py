"""Who is acting. Every changing service takes an `actor`; accounts and roles build on it."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The person or process behind a change, as the audit trail names it."""

    name: str
    user_id: int | None = None
    is_admin: bool = False


SYSTEM = Actor(name="system", is_admin=True)


def cli_actor() -> Actor:
    """The operator at the command line, named by their operating-system account."""
    try:
        user = getpass.getuser()
    except OSError:
        user = "unknown"
    return Actor(name=f"cli:{user}", is_admin=True)
