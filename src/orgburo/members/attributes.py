"""Which attributes a member can carry: the core ones plus those the organization declared."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.core.attributes import (
    ATTRIBUTE_TYPES,
    CHOICE,
    CORE_ATTRIBUTES,
    Attribute,
    AttributeValue,
    parse_value,
)
from orgburo.errors import Conflict, Invalid, Problem
from orgburo.members.models import AttributeDefinition

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
RESERVED = {"id", "name", "body", "status", "joined", *CORE_ATTRIBUTES}
_DECLARED = select(AttributeDefinition).order_by(AttributeDefinition.name)  # built once


def catalog(session: Session) -> dict[str, Attribute]:
    """Every attribute a member may have: core first, then the declared ones."""
    declared = session.scalars(_DECLARED)
    extra = {
        d.name: Attribute(
            d.name, d.type, tuple(d.choices), tallied=False, core=False, label=d.label
        )
        for d in declared
    }
    return {**CORE_ATTRIBUTES, **extra}


def declare(
    session: Session,
    *,
    name: str,
    type: str,
    actor: Actor,
    choices: list[str] | None = None,
    label: str = "",
) -> AttributeDefinition:
    """Declare an organization-specific attribute; no migration is needed."""
    access.require_admin(actor, "declare attributes")
    _check_declaration(name, type, choices or [])
    if name in RESERVED or session.scalar(
        select(AttributeDefinition).where(AttributeDefinition.name == name)
    ):
        raise Conflict(f"name: an attribute called {name!r} already exists")
    definition = AttributeDefinition(name=name, type=type, choices=choices or [], label=label)
    session.add(definition)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="attribute.declared",
        target=("attribute", name),
        after={"name": name, "type": type, "choices": choices or [], "label": label},
    )
    return definition


def _check_declaration(name: str, type: str, choices: list[str]) -> None:
    if not _NAME.match(name):
        raise Invalid.one(
            "name", f"{name!r} must be lower-case letters, digits and _, starting with a letter"
        )
    if type not in ATTRIBUTE_TYPES:
        raise Invalid.one("type", f"{type!r} is not one of {', '.join(ATTRIBUTE_TYPES)}")
    if (type == CHOICE) != bool(choices):
        raise Invalid.one(
            "choices", "a choice attribute needs choices, and only a choice attribute"
        )


def parse_attributes(
    known: Mapping[str, Attribute], raw: Mapping[str, Any]
) -> dict[str, AttributeValue]:
    """Typed values for `raw`; every unknown name and bad value is reported at once."""
    values: dict[str, AttributeValue] = {}
    problems: list[Problem] = []
    for name, value in raw.items():
        attribute = known.get(name)
        if attribute is None:
            problems.append(Problem(name, "is not a known attribute; declare it first"))
            continue
        try:
            values[name] = parse_value(attribute, value)
        except Invalid as error:
            problems.extend(error.problems)
    if problems:
        raise Invalid(problems)
    return values
