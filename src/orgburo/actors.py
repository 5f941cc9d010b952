"""Who is acting, and on which parts of the tree. Every service takes an `actor`.

An actor is built once per request (from the signed-in account) or per command (the
local operator) and carries everything the access checks in `orgburo.access` need:
whether it administers the system, the roles it holds on bodies, and the registry
person the account belongs to.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class RoleGrant:
    """A role held on a body; `scope_id` is the root of the subtree the role covers.

    For officers the scope is the body itself; for a control commission it is the body
    the commission is attached to (the commission's parent).
    """

    role: str
    body_id: int
    scope_id: int


@dataclass(frozen=True)
class Actor:
    """The person or process behind a request or a change, as the audit trail names it."""

    name: str
    user_id: int | None = None
    is_admin: bool = False
    grants: tuple[RoleGrant, ...] = ()
    person_id: int | None = None


SYSTEM = Actor(name="system", is_admin=True)


def cli_actor() -> Actor:
    """The operator at the command line, named by their operating-system account.

    Whoever can run commands on the server can also read the database file or its
    credentials, so the command line acts as an administrator.
    """
    try:
        user = getpass.getuser()
    except OSError:
        user = "unknown"
    return Actor(name=f"cli:{user}", is_admin=True)
