"""Destinations and role types: the data decrees refer to, kept by administrators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.core.tree import check_code
from orgburo.errors import Conflict, Invalid, NotFound, Problem

from .models import DESTINATION_KINDS, Destination, RoleType

T = TypeVar("T", Destination, RoleType)


def destination(session: Session, code: str, field: str = "destination") -> Destination:
    """The destination with this code, or NotFound naming the field."""
    return _by_code(session, Destination, code, field, "destination")


def role(session: Session, code: str, field: str = "role") -> RoleType:
    """The role type with this code, or NotFound naming the field."""
    return _by_code(session, RoleType, code, field, "role")


def _by_code(session: Session, model: type[T], code: str, field: str, what: str) -> T:
    found = session.scalar(select(model).where(model.code == code))
    if found is None:
        raise NotFound(f"{field}: no {what} has the code {code!r}")
    return found


def destinations(session: Session) -> Sequence[Destination]:
    """Every destination, by code."""
    return session.scalars(select(Destination).order_by(Destination.code)).all()


def roles(session: Session) -> Sequence[RoleType]:
    """Every role type, by code."""
    return session.scalars(select(RoleType).order_by(RoleType.code)).all()


def add_destination(
    session: Session, *, code: str, name: str, kind: str, actor: Actor
) -> Destination:
    """Add a front (`kind` front) or a sector of the labour front (`kind` labour)."""
    access.require_admin(actor, "add destinations")
    problems = _named_problems(code, name)
    if kind not in DESTINATION_KINDS:
        problems.append(Problem("kind", f"{kind!r} is not one of {', '.join(DESTINATION_KINDS)}"))
    if problems:
        raise Invalid(problems)
    _require_new(session, Destination, code, "destination")
    made = Destination(code=code, name=name.strip(), kind=kind)
    session.add(made)
    session.flush()
    after = {"code": code, "name": made.name, "kind": kind}
    audit.record(
        session,
        actor=actor,
        action="mobilization.destination_added",
        target=("destination", code),
        after=after,
    )
    return made


def add_role(session: Session, *, code: str, name: str, actor: Actor) -> RoleType:
    """Add a role type that decrees can ask to fill."""
    access.require_admin(actor, "add role types")
    problems = _named_problems(code, name)
    if problems:
        raise Invalid(problems)
    _require_new(session, RoleType, code, "role")
    made = RoleType(code=code, name=name.strip())
    session.add(made)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="mobilization.role_added",
        target=("role", code),
        after={"code": code, "name": made.name},
    )
    return made


def _named_problems(code: str, name: str) -> list[Problem]:
    problems = []
    try:
        check_code(code)
    except Invalid as error:
        problems += error.problems
    if not name.strip() or len(name) > 200:
        problems.append(Problem("name", "must be 1 to 200 characters"))
    return problems


def _require_new(session: Session, model: type[T], code: str, what: str) -> None:
    if session.scalar(select(model.id).where(model.code == code)) is not None:
        raise Conflict(f"code: a {what} with the code {code!r} already exists")
