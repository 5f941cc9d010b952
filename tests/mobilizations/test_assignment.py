"""Assigning called-up members to role lines, and explaining why."""

from __future__ import annotations

from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.core.assignment import classes_of, plan
from orgburo.core.selection import score_parts
from orgburo.members import service as members
from orgburo.mobilizations import assignment, decrees, quotas, reads, selection

from .helpers import AFTER, ISSUED, organization, spec


def assigned(session: Session) -> list[reads.EntryRow]:
    organization(session)
    decrees.issue(session, spec=spec(), actor=SYSTEM)
    quotas.apportion(session, code="D1", actor=SYSTEM)
    selection.propose(session, code="D1", on=AFTER, actor=SYSTEM)
    assignment.assign(session, code="D1", actor=SYSTEM)
    return reads.entries(session, code="D1", actor=SYSTEM)


def test_role_counts_are_respected_and_only_qualified_members_fill_a_line(
    session: Session,
) -> None:
    rows = assigned(session)
    commissars = [r for r in rows if r.role == "commissar"]
    instructors = [r for r in rows if r.role == "instructor"]
    assert len(commissars) <= 2
    assert len(instructors) <= 3
    for row in commissars:
        person = members.get_or_raise(session, row.id)
        assert person.red_army
        assert person.responsible_position
        assert row.destination == "WEST"
    assert all(r.destination == "RAIL" for r in instructors)


def test_the_stored_assignment_reaches_the_optimum_of_the_plan(session: Session) -> None:
    rows = assigned(session)
    fits = [
        tuple(
            line.fit
            for line in reads.explain(session, code="D1", external_id=r.id, actor=SYSTEM).lines
        )
        for r in rows
    ]
    classes, _ = classes_of(fits)
    best = plan(classes, [2, 3])
    placed = [r for r in rows if r.role is not None]
    assert len(placed) == best.filled
    assert sum(r.fit or 0 for r in placed) == best.total_fit


def test_the_explanation_names_the_score_parts_and_the_requirements_met(
    session: Session,
) -> None:
    rows = assigned(session)
    commissar = next(r for r in rows if r.role == "commissar")
    why = reads.explain(session, code="D1", external_id=commissar.id, actor=SYSTEM)
    assert why.score.total == commissar.score
    line = why.lines[0]
    assert (line.role, line.met, line.fit) == ("commissar", True, 3)
    assert "red_army is true" in line.why
    person = members.get_or_raise(session, commissar.id)
    spell = members.current_spell(session, person)
    assert spell is not None
    expected = score_parts(
        roles_met=sum(line.met for line in why.lines),
        started_on=spell.started_on,
        on=ISSUED,
        red_army=person.red_army,
        birth_year=person.birth_year,
    )
    assert why.score == expected
