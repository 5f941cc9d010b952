"""Who sees a decree: it reaches into the bodies of its scope, and each body's entries
are read by the readers of that body."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from orgburo.accounts import service as accounts
from orgburo.actors import SYSTEM, Actor
from orgburo.errors import PermissionDenied
from orgburo.mobilizations import decrees, quotas, reads, selection
from tests.factories import PASSWORD

from .helpers import AFTER, organization, quota, spec


def officer(session: Session, name: str, scope: str) -> Actor:
    accounts.create(session, name=name, password=PASSWORD, actor=SYSTEM)
    accounts.grant(session, name=name, role="secretary", body_code=scope, actor=SYSTEM)
    return accounts.actor_for(session, accounts.get_or_raise(session, name))


def called_up(session: Session) -> None:
    organization(session)
    decrees.issue(session, spec=spec(quota=quota(total=4, subquotas=())), actor=SYSTEM)
    quotas.apportion(session, code="D1", actor=SYSTEM)
    selection.propose(session, code="D1", on=AFTER, actor=SYSTEM)


def test_a_decree_of_the_centre_is_listed_to_a_cell_secretary(session: Session) -> None:
    called_up(session)
    cell = officer(session, "n1", "N1")
    assert [v.decree.code for v in decrees.list_decrees(session, actor=cell)] == ["D1"]
    assert decrees.view(session, code="D1", actor=cell).decree.code == "D1"


def test_a_cell_secretary_lists_their_cells_entries_only(session: Session) -> None:
    called_up(session)
    cell = officer(session, "n1", "N1")
    listed = reads.entries(session, code="D1", body_code="N1", actor=cell)
    everyone = reads.entries(session, code="D1", body_code="N1", actor=SYSTEM)
    assert [r.id for r in listed] == [r.id for r in everyone]
    assert {r.body for r in listed} == {"N1"}
    with pytest.raises(PermissionDenied):
        reads.entries(session, code="D1", body_code="N2", actor=cell)
    with pytest.raises(PermissionDenied):
        reads.entries(session, code="D1", actor=cell)  # the whole scope is not theirs
    with pytest.raises(PermissionDenied):
        reads.quota_table(session, code="D1", actor=cell)


def test_a_decree_of_another_region_is_not_shown(session: Session) -> None:
    organization(session)
    decrees.issue(
        session,
        spec=spec(issuing_body="SOUTH", quota=quota(total=1, subquotas=()), roles=()),
        actor=SYSTEM,
    )
    north = officer(session, "north", "NORTH")
    assert decrees.list_decrees(session, actor=north) == []
    with pytest.raises(PermissionDenied, match="decree"):
        decrees.view(session, code="D1", actor=north)
