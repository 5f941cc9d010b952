"""A rule in SQL keeps exactly the members `Rule.evaluate` passes, unknowns included."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.core.rules import compile_rule
from orgburo.members import service as members
from orgburo.members.attributes import declare
from orgburo.members.models import Person
from orgburo.mobilizations import rule_sql
from orgburo.mobilizations.criteria import rule_catalog
from orgburo.mobilizations.reads import person_values

from .helpers import ISSUED, PEOPLE, organization

RULES = [
    "red_army",
    "not red_army",
    "red_army or responsible_position",
    "not (red_army and responsible_position)",
    'sex == "male" and age <= 30',
    "birth_year not in [1890, 1895]",
    "dialect",
    "not dialect",
    "languages >= 2 or komsomol",
    'region_name != "east"',
]


@pytest.mark.parametrize("text", RULES)
def test_the_sql_condition_passes_exactly_whom_the_rule_passes(session: Session, text: str) -> None:
    organization(session)
    declare(session, name="dialect", type="boolean", actor=SYSTEM)
    declare(session, name="languages", type="integer", actor=SYSTEM)
    declare(session, name="region_name", type="text", actor=SYSTEM)
    changes = {
        "N1-a": {"dialect": "true", "languages": "3", "region_name": "east"},
        "N1-b": {"dialect": "false", "languages": "1", "region_name": "west"},
    }
    for external_id, values in changes.items():
        members.change_attributes(
            session, external_id=external_id, changes=values, on=ISSUED, actor=SYSTEM
        )
    known = rule_catalog(session)
    rule = compile_rule(text, known)
    condition = rule_sql.condition(rule.node, known, ISSUED.year)
    in_sql = set(session.scalars(select(Person.external_id).where(condition)))
    people = [members.get_or_raise(session, i) for c in PEOPLE.values() for i, _ in c]
    in_python = {
        p.external_id for p in people if rule.evaluate(person_values(p, ISSUED.year)).passed
    }
    assert in_sql == in_python
