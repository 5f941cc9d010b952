"""Roles scoped to the tree: what each role may read and change, checked in the services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.accounts import service as accounts
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.census import service as census
from orgburo.errors import Invalid, PermissionDenied
from orgburo.members import attributes, importer
from orgburo.members import service as members
from orgburo.members.history import history
from orgburo.members.roster import roster
from tests.factories import PASSWORD, body, member, small_tree

ON = date(1925, 1, 1)


def populate(session: Session) -> None:
    """CC > (NORTH > N1, N2, NCC (commission), SOUTH > S1), a member in N1 and in S1."""
    small_tree(session)
    body(session, "NCC", "NORTH", kind="commission")
    member(session, "n", "N1", status="candidate")
    member(session, "s", "S1", status="candidate")


def actor_of(
    session: Session, name: str, *roles: tuple[str, str], member: str | None = None
) -> Actor:
    accounts.create(session, name=name, password=PASSWORD, member_id=member, actor=actor_admin())
    for role, code in roles:
        accounts.grant(session, name=name, role=role, body_code=code, actor=actor_admin())
    return accounts.actor_for(session, accounts.get_or_raise(session, name))


def actor_admin() -> Actor:
    return Actor(name="test-admin", is_admin=True)


def test_a_secretary_reads_and_changes_their_subtree_only(session: Session) -> None:
    populate(session)
    secretary = actor_of(session, "sec", ("secretary", "NORTH"))
    n1, s1 = bodies.get_or_raise(session, "N1"), bodies.get_or_raise(session, "S1")
    assert access.may_change_body(session, secretary, n1.id)
    assert not access.may_read_body(session, secretary, s1.id)


def test_a_control_commission_reads_the_subtree_it_is_attached_to(session: Session) -> None:
    populate(session)
    controller = actor_of(session, "ctl", ("control_commission", "NCC"))
    n2 = bodies.get_or_raise(session, "N2")
    assert access.may_read_body(session, controller, n2.id)
    assert not access.may_change_body(session, controller, n2.id)


def test_a_control_commission_role_must_be_held_on_a_commission(session: Session) -> None:
    populate(session)
    accounts.create(session, name="x", password=PASSWORD, actor=actor_admin())
    with pytest.raises(Invalid, match="body: a control commission role is held on a commission"):
        accounts.grant(
            session, name="x", role="control_commission", body_code="NORTH", actor=actor_admin()
        )


def test_an_ordinary_member_reads_their_own_record_and_nothing_else(session: Session) -> None:
    populate(session)
    own = actor_of(session, "m", member="n")
    assert members.view(session, external_id="n", actor=own).external_id == "n"
    with pytest.raises(PermissionDenied, match="id: 's' is outside the members you may see"):
        members.view(session, external_id="s", actor=own)


def test_an_ordinary_member_cannot_change_their_own_record(session: Session) -> None:
    populate(session)
    own = actor_of(session, "m", member="n")
    with pytest.raises(PermissionDenied):
        members.confirm(session, external_id="n", on=ON, actor=own)


def test_the_census_outside_ones_subtree_is_refused(session: Session) -> None:
    populate(session)
    secretary = actor_of(session, "sec", ("secretary", "NORTH"))
    assert census.census(session, body_code="NORTH", by=["sex"], actor=secretary).total == 1
    with pytest.raises(PermissionDenied, match="body: 'SOUTH' is outside the bodies you may see"):
        census.census(session, body_code="SOUTH", by=["sex"], actor=secretary)


def test_the_census_of_an_ancestor_is_refused(session: Session) -> None:
    populate(session)
    secretary = actor_of(session, "sec", ("secretary", "NORTH"))
    with pytest.raises(PermissionDenied):
        census.census(session, body_code="CC", by=["sex"], actor=secretary)


def test_a_roster_outside_ones_subtree_is_refused(session: Session) -> None:
    populate(session)
    secretary = actor_of(session, "sec", ("bureau_member", "NORTH"))
    assert [
        e.person.external_id for e in roster(session, body_code="NORTH", actor=secretary).entries
    ] == ["n"]
    with pytest.raises(PermissionDenied):
        roster(session, body_code="SOUTH", actor=secretary)


def test_a_member_history_outside_ones_subtree_is_refused(session: Session) -> None:
    populate(session)
    secretary = actor_of(session, "sec", ("secretary", "NORTH"))
    with pytest.raises(PermissionDenied):
        history(session, members.get_or_raise(session, "s"), actor=secretary)


@pytest.mark.parametrize(
    "change",
    [
        lambda s, a: members.confirm(s, external_id="s", on=ON, actor=a),
        lambda s, a: members.end(s, external_id="s", reason="left", on=ON, actor=a),
        lambda s, a: members.change_attributes(
            s, external_id="s", changes={"sex": "female"}, on=ON, actor=a
        ),
        lambda s, a: members.transfer(s, external_id="s", to_body_code="N1", on=ON, actor=a),
        lambda s, a: members.transfer(s, external_id="n", to_body_code="S1", on=ON, actor=a),
        lambda s, a: members.admit(
            s, external_id="new", name="New", body_code="S1", on=ON, actor=a
        ),
        lambda s, a: bodies.create(
            s, code="S9", name="S9", kind="committee", parent_code="SOUTH", actor=a
        ),
        lambda s, a: bodies.create(s, code="R2", name="R2", kind="committee", actor=a),
        lambda s, a: bodies.move(s, code="N2", new_parent_code="SOUTH", on=ON, actor=a),
        lambda s, a: bodies.change(s, code="S1", name="Renamed", on=ON, actor=a),
        lambda s, a: bodies.close(s, code="S1", on=ON, actor=a),
        lambda s, a: attributes.declare(s, name="shoe", type="text", actor=a),
    ],
    ids=[
        "confirm",
        "end",
        "update",
        "transfer in",
        "transfer out",
        "admit",
        "open body",
        "open root",
        "move",
        "rename",
        "close",
        "declare attribute",
    ],
)
def test_a_secretary_cannot_change_anything_outside_their_subtree(
    session: Session, change: object
) -> None:
    populate(session)
    secretary = actor_of(session, "sec", ("secretary", "NORTH"))
    with pytest.raises(PermissionDenied):
        change(session, secretary)  # type: ignore[operator]


def test_a_secretary_changes_members_inside_their_subtree(session: Session) -> None:
    populate(session)
    secretary = actor_of(session, "sec", ("secretary", "NORTH"))
    members.transfer(session, external_id="n", to_body_code="N2", on=ON, actor=secretary)
    members.confirm(session, external_id="n", on=ON, actor=secretary)
    assert members.current_spell(session, members.get_or_raise(session, "n")).status == "full"  # type: ignore[union-attr]


def test_the_tree_starts_at_the_tops_of_an_actors_scopes(session: Session) -> None:
    populate(session)
    officer = actor_of(
        session, "o", ("secretary", "NORTH"), ("bureau_member", "N1"), ("secretary", "S1")
    )
    assert [b.code for b in access.top_bodies(session, officer)] == ["NORTH", "S1"]


def test_an_import_into_a_subtree_refuses_rows_outside_it(session: Session, tmp_path: Path) -> None:
    populate(session)
    secretary = actor_of(session, "sec", ("secretary", "NORTH"))
    rows = "id,name,body,status,joined,social_situation,occupation,sex,birth_year,nationality\n"
    rows += "10,In Side,N1,full,1920-01-01,worker,worker,male,1890,A\n"
    rows += "11,Out Side,S1,full,1920-01-01,worker,worker,male,1890,A\n"
    (tmp_path / "m.csv").write_text(rows)
    with pytest.raises(Invalid, match="row 2, body: 'S1' is outside 'NORTH'"):
        importer.import_file(session, tmp_path / "m.csv", actor=secretary, within="NORTH")


def test_an_import_without_a_subtree_needs_an_administrator(
    session: Session, tmp_path: Path
) -> None:
    populate(session)
    secretary = actor_of(session, "sec", ("secretary", "NORTH"))
    (tmp_path / "m.csv").write_text("id\n")
    with pytest.raises(PermissionDenied, match="only an administrator may import members"):
        importer.import_file(session, tmp_path / "m.csv", actor=secretary)


def test_an_answer_is_not_kept_once_the_tree_changes(session: Session) -> None:
    populate(session)
    secretary = actor_of(session, "sec", ("secretary", "NORTH"))
    s1 = bodies.get_or_raise(session, "S1")
    assert not access.may_read_body(session, secretary, s1.id)
    bodies.move(session, code="S1", new_parent_code="NORTH", on=ON, actor=actor_admin())
    assert access.may_read_body(session, secretary, s1.id)
