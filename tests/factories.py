"""Small builders for tests: a tree of bodies and members, through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.accounts import service as accounts
from orgburo.actors import SYSTEM
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.census.models import CensusTally
from orgburo.members import service as members
from orgburo.members.models import Person

FOUNDED = date(1918, 1, 1)


def body(session: Session, code: str, parent: str | None = None, **fields: Any) -> Body:
    """A body under `parent`, opened on FOUNDED unless told otherwise."""
    values: dict[str, Any] = {"name": code.title(), "kind": "committee", "opened_on": FOUNDED}
    values.update(fields)
    return bodies.create(session, code=code, parent_code=parent, actor=SYSTEM, **values)


def small_tree(session: Session) -> None:
    """CC > (NORTH > (N1, N2), SOUTH > S1): two regions, three cells."""
    body(session, "CC", kind="committee", level="centre")
    body(session, "NORTH", "CC", level="region", zone="rear")
    body(session, "SOUTH", "CC", level="region", zone="near_front")
    for code, parent in (("N1", "NORTH"), ("N2", "NORTH"), ("S1", "SOUTH")):
        body(session, code, parent, kind="primary_organization", level="cell")


def member(
    session: Session,
    external_id: str,
    body_code: str,
    on: date = date(1920, 1, 1),
    status: str = "full",
    name: str | None = None,
    **attributes: Any,
) -> Person:
    """A member admitted on `on` with the given attributes (named after the id unless named)."""
    defaults: dict[str, Any] = {"social_situation": "worker", "sex": "male", "birth_year": 1890}
    defaults.update(attributes)
    return members.admit(
        session,
        external_id=external_id,
        name=name or f"Member {external_id}",
        body_code=body_code,
        on=on,
        status=status,
        actor=SYSTEM,
        attributes=defaults,
    )


def tally_rows(session: Session) -> set[tuple[object, ...]]:
    """Every non-zero census tally row, to compare upkeep with a recount."""
    query = select(
        CensusTally.body_id,
        CensusTally.status,
        CensusTally.dimension,
        CensusTally.value,
        CensusTally.n,
    ).where(CensusTally.n != 0)
    return {tuple(r) for r in session.execute(query)}


PASSWORD = "correct horse battery staple"


def account(
    session: Session,
    name: str,
    *,
    admin: bool = False,
    roles: tuple[tuple[str, str], ...] = (),
    member_id: str | None = None,
) -> str:
    """An account with the given roles (role, body code); returns an API token for it."""
    accounts.create(
        session, name=name, password=PASSWORD, is_admin=admin, member_id=member_id, actor=SYSTEM
    )
    for role, code in roles:
        accounts.grant(session, name=name, role=role, body_code=code, actor=SYSTEM)
    return accounts.issue_token(session, name=name, actor=SYSTEM)


class Clock:
    """A clock that stands still until a test moves `now`."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
