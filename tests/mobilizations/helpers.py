"""A small organization with members, destinations and roles, and a decree to issue."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.audit import AuditEntry
from orgburo.members.models import MemberEvent
from orgburo.mobilizations import catalogs
from orgburo.mobilizations.models import Decree, Ending, Entry, Exclusion, FitClassRow, Quota
from orgburo.mobilizations.specs import DecreeSpec, QuotaSpec, RoleLineSpec, SubQuotaSpec
from tests.factories import member, small_tree

ISSUED = date(1920, 4, 26)
AFTER = date(1920, 5, 1)
JOINED = date(1918, 3, 1)

# Members per cell: (id, attributes). N1 has 4, N2 has 2, S1 has 3.
PEOPLE: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "N1": [
        ("N1-a", {"red_army": True, "responsible_position": True, "birth_year": 1895}),
        ("N1-b", {"red_army": False, "birth_year": 1880}),
        ("N1-c", {"red_army": True, "birth_year": 1900}),
        ("N1-d", {"birth_year": 1870}),
    ],
    "N2": [
        ("N2-a", {"red_army": True, "responsible_position": True, "birth_year": 1890}),
        ("N2-b", {"birth_year": 1899}),
    ],
    "S1": [
        ("S1-a", {"red_army": True, "birth_year": 1897}),
        ("S1-b", {"responsible_position": True, "birth_year": 1885}),
        ("S1-c", {"birth_year": 1901, "sex": "female"}),
    ],
}


def organization(session: Session) -> None:
    """The small tree with nine members, two destinations and two role types."""
    small_tree(session)
    for cell, people in PEOPLE.items():
        for external_id, attributes in people:
            member(session, external_id, cell, on=JOINED, **attributes)
    catalogs.add_destination(session, code="WEST", name="Western Front", kind="front", actor=SYSTEM)
    catalogs.add_destination(session, code="RAIL", name="Transport", kind="labour", actor=SYSTEM)
    catalogs.add_role(session, code="commissar", name="Commissar", actor=SYSTEM)
    catalogs.add_role(session, code="instructor", name="Instructor", actor=SYSTEM)


def spec(**changes: Any) -> DecreeSpec:
    """An individual call-up of 6 for the Western Front, 2 of them responsible personnel."""
    base = DecreeSpec(
        code="D1",
        title="Call-up for the Western Front",
        issuing_body="CC",
        issued_on=ISSUED,
        basis="individual",
        destination="WEST",
        quota=QuotaSpec(
            total=6, subquotas=(SubQuotaSpec("responsible", "responsible_position", 2),)
        ),
        term="temporary",
        term_months=4,
        criteria='sex == "male"',
        roles=(
            RoleLineSpec("commissar", 2, requirement="red_army and responsible_position"),
            RoleLineSpec("instructor", 3, destination="RAIL"),
        ),
    )
    return replace(base, **changes)


def quota(**changes: Any) -> QuotaSpec:
    """The default quota with some fields changed."""
    return replace(spec().quota, **changes)


TABLES = (Decree, Exclusion, Quota, Entry, Ending, FitClassRow, MemberEvent, AuditEntry)


def snapshot(session: Session) -> dict[str, int]:
    """Row counts of every table a mobilization command writes to."""
    session.flush()
    return {
        t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES
    }
