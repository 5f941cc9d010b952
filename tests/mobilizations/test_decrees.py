"""Issuing a decree: authority over the scope, references and rules checked, ended kinds."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM, Actor, RoleGrant
from orgburo.bodies import service as bodies
from orgburo.errors import Conflict, Invalid, PermissionDenied
from orgburo.mobilizations import decrees
from orgburo.mobilizations.specs import RoleLineSpec, SubQuotaSpec

from .helpers import ISSUED, organization, quota, snapshot, spec


def secretary_of(session: Session, code: str) -> Actor:
    body = bodies.get_or_raise(session, code)
    return Actor("secretary", grants=(RoleGrant("secretary", body.id, body.id),))


def refused(session: Session, error: type[Exception], actor: Actor = SYSTEM, **changes: object):
    before = snapshot(session)
    with pytest.raises(error) as caught:
        decrees.issue(session, spec=spec(**changes), actor=actor)
    assert snapshot(session) == before
    return caught.value


def test_a_decree_keeps_its_terms_quota_and_role_lines(session: Session) -> None:
    organization(session)
    decrees.issue(session, spec=spec(), actor=SYSTEM)
    shown = decrees.view(session, code="D1", actor=SYSTEM)
    assert (shown.issuing_body, shown.scope, shown.destination) == ("CC", "CC", "WEST")
    assert [(s.name, s.count) for s in shown.subquotas] == [("responsible", 2)]
    assert [(line.role, line.destination, line.count) for line in shown.lines] == [
        ("commissar", "WEST", 2),
        ("instructor", "RAIL", 3),
    ]


def test_a_scope_outside_the_issuing_body_is_refused_naming_scope(session: Session) -> None:
    organization(session)
    error = refused(session, Invalid, issuing_body="NORTH", scope="S1")
    assert [p.field for p in error.problems] == ["scope"]


def test_an_officer_cannot_issue_for_a_body_above_them(session: Session) -> None:
    organization(session)
    actor = secretary_of(session, "NORTH")
    refused(session, PermissionDenied, actor=actor)
    made = decrees.issue(session, spec=spec(issuing_body="NORTH", code="D2"), actor=actor)
    assert made.scope_body_id == bodies.get_or_raise(session, "NORTH").id


def test_an_unknown_role_or_destination_is_named_by_its_line(session: Session) -> None:
    organization(session)
    error = refused(
        session,
        Invalid,
        roles=(
            RoleLineSpec("commissar", 1),
            RoleLineSpec("instructor", 1),
            RoleLineSpec("cook", 1, destination="MOON"),
        ),
    )
    assert {p.field for p in error.problems} == {"roles[2].role", "roles[2].destination"}


def test_every_problem_of_a_decree_is_reported_at_once(session: Session) -> None:
    organization(session)
    error = refused(
        session,
        Invalid,
        basis="voluntary",
        term_months=None,
        destination="MOON",
        criteria='ocupation == "worker"',
        quota=quota(total=1, subquotas=(SubQuotaSpec("x", "komsomol", 5),)),
    )
    assert {p.field for p in error.problems} == {
        "basis",
        "term_months",
        "destination",
        "criteria",
        "quota.subquotas",
    }


def test_a_second_decree_with_the_same_code_is_a_conflict(session: Session) -> None:
    organization(session)
    decrees.issue(session, spec=spec(), actor=SYSTEM)
    refused(session, Conflict)


def test_a_decree_of_a_kind_ended_above_its_scope_is_refused(session: Session) -> None:
    organization(session)
    decrees.end_kind(
        session,
        body_code="CC",
        from_on=date(1920, 1, 1),
        destination_kind="front",
        basis="individual",
        note="no more call-ups",
        actor=SYSTEM,
    )
    error = refused(session, Invalid, issuing_body="NORTH")
    assert error.problems[0].field == "issued_on"
    assert "'CC' ended individual mobilizations to the front sector" in error.problems[0].reason
    labour = spec(code="D3", issuing_body="NORTH", destination="RAIL")
    assert decrees.issue(session, spec=labour, actor=SYSTEM).code == "D3"
    earlier = spec(code="D4", issued_on=date(1919, 12, 31))
    assert decrees.issue(session, spec=earlier, actor=SYSTEM).issued_on < date(1920, 1, 1)


def test_an_ending_in_a_lower_body_does_not_bind_a_higher_one(session: Session) -> None:
    organization(session)
    decrees.end_kind(session, body_code="SOUTH", from_on=date(1920, 1, 1), actor=SYSTEM)
    assert decrees.issue(session, spec=spec(), actor=SYSTEM).issued_on == ISSUED


def test_a_decree_keeps_the_bodies_it_leaves_out(session: Session) -> None:
    organization(session)
    decrees.issue(session, spec=spec(excluded=("S1", "N2")), actor=SYSTEM)
    shown = decrees.view(session, code="D1", actor=SYSTEM)
    assert shown.excluded == ("N2", "S1")
    assert decrees.describe(session, shown.decree)["excluded"] == ["N2", "S1"]


def test_an_excluded_body_outside_the_scope_or_unknown_is_refused_naming_it(
    session: Session,
) -> None:
    organization(session)
    error = refused(
        session, Invalid, scope="NORTH", excluded=("N1", "S1", "MOON", "NORTH", "N1", "CC")
    )
    reasons = {p.field: p.reason for p in error.problems}
    assert set(reasons) == {
        "excluded[1]",
        "excluded[2]",
        "excluded[3]",
        "excluded[4]",
        "excluded[5]",
    }
    assert "outside the subtree of the scope 'NORTH'" in reasons["excluded[1]"]
    assert "no body has the code 'MOON'" in reasons["excluded[2]"]
    assert "the scope itself" in reasons["excluded[3]"]
    assert "excluded twice" in reasons["excluded[4]"]
    assert "outside the subtree" in reasons["excluded[5]"]
