"""Every table, imported in one place so the metadata is complete for Alembic and tests."""

from orgburo.audit import AuditEntry
from orgburo.bodies.models import Body, BodyEvent, BodyLink
from orgburo.census.models import CensusTally
from orgburo.db import Base
from orgburo.members.models import AttributeDefinition, MemberEvent, Membership, Person

__all__ = [
    "AttributeDefinition",
    "AuditEntry",
    "Base",
    "Body",
    "BodyEvent",
    "BodyLink",
    "CensusTally",
    "MemberEvent",
    "Membership",
    "Person",
]
