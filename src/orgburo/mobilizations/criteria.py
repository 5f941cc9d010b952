"""A decree's rules compiled against the attribute catalog: who qualifies, who is exempt,
who counts toward each sub-quota, and who may fill each role line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.core.attributes import INTEGER, Attribute
from orgburo.core.rules import Rule, compile_rule
from orgburo.members.attributes import catalog

from .models import Decree, RoleLine, SubQuota

AGE = Attribute("age", INTEGER, core=False, label="Age in the decree's year (by calendar year)")


@dataclass(frozen=True)
class DecreeRules:
    """A decree's compiled rules; `exemptions` is None when nobody is exempt by rule."""

    criteria: Rule
    exemptions: Rule | None
    subquotas: tuple[tuple[SubQuota, Rule], ...]
    lines: tuple[tuple[RoleLine, Rule], ...]


def rule_catalog(session: Session) -> dict[str, Attribute]:
    """The names decree rules may use: every member attribute, and `age`."""
    return {**catalog(session), AGE.name: AGE}


def subquotas(session: Session, decree: Decree) -> Sequence[SubQuota]:
    """The decree's sub-quotas in their order."""
    query = select(SubQuota).where(SubQuota.decree_id == decree.id)
    return session.scalars(query.order_by(SubQuota.position)).all()


def role_lines(session: Session, decree: Decree) -> Sequence[RoleLine]:
    """The decree's role lines in their order."""
    query = select(RoleLine).where(RoleLine.decree_id == decree.id)
    return session.scalars(query.order_by(RoleLine.position)).all()


def decree_rules(session: Session, decree: Decree) -> DecreeRules:
    """The decree's rules, compiled against today's catalog."""
    known = rule_catalog(session)
    exempt = decree.exemptions.strip()
    return DecreeRules(
        criteria=compile_rule(decree.criteria, known, field="criteria"),
        exemptions=compile_rule(exempt, known, field="exemptions") if exempt else None,
        subquotas=tuple(
            (s, compile_rule(s.rule, known, field=f"subquotas[{s.position}].rule"))
            for s in subquotas(session, decree)
        ),
        lines=tuple(
            (line, compile_rule(line.requirement, known, field=f"roles[{line.position}]"))
            for line in role_lines(session, decree)
        ),
    )
