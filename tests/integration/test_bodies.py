from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.audit import AuditEntry
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.errors import Conflict, Invalid, NotFound
from tests.factories import body, member, small_tree


def codes(session: Session, ids: object) -> set[str]:
    return set(session.scalars(select(Body.code).where(Body.id.in_(ids))))  # type: ignore[arg-type]


def test_subtree_holds_the_body_and_everything_under_it(session: Session) -> None:
    small_tree(session)
    north = bodies.get_or_raise(session, "NORTH")
    assert codes(session, bodies.subtree_ids(session, north.id)) == {"NORTH", "N1", "N2"}


def test_ancestors_run_from_the_root_down(session: Session) -> None:
    small_tree(session)
    n1 = bodies.get_or_raise(session, "N1")
    assert [b.code for b in bodies.ancestors(session, n1.id)] == ["CC", "NORTH"]


def test_moving_a_body_keeps_the_past_tree(session: Session) -> None:
    small_tree(session)
    bodies.move(session, code="N2", new_parent_code="SOUTH", on=date(1921, 1, 1), actor=SYSTEM)
    north = bodies.get_or_raise(session, "NORTH")
    south = bodies.get_or_raise(session, "SOUTH")
    assert codes(session, bodies.subtree_ids(session, north.id)) == {"NORTH", "N1"}
    assert codes(session, bodies.subtree_ids(session, south.id)) == {"SOUTH", "S1", "N2"}
    past = bodies.subtree_ids(session, north.id, at=date(1920, 6, 1))
    assert codes(session, past) == {"NORTH", "N1", "N2"}
    assert [
        e.kind for e in bodies.history(session, bodies.get_or_raise(session, "N2"), actor=SYSTEM)
    ] == [
        "opened",
        "moved",
    ]


def test_moving_a_whole_region_moves_its_cells_too(session: Session) -> None:
    small_tree(session)
    body(session, "WEST", "CC")
    bodies.move(session, code="NORTH", new_parent_code="WEST", on=date(1921, 1, 1), actor=SYSTEM)
    west = bodies.get_or_raise(session, "WEST")
    assert codes(session, bodies.subtree_ids(session, west.id)) == {"WEST", "NORTH", "N1", "N2"}
    n1 = bodies.get_or_raise(session, "N1")
    assert [b.code for b in bodies.ancestors(session, n1.id)] == ["CC", "WEST", "NORTH"]


def test_a_move_under_its_own_descendant_is_refused_and_changes_nothing(session: Session) -> None:
    small_tree(session)
    links = session.scalar(select(func.count()).select_from(BodyLink))
    with pytest.raises(Invalid, match="parent: the move would make the body its own ancestor"):
        bodies.move(session, code="NORTH", new_parent_code="N1", on=date(1921, 1, 1), actor=SYSTEM)
    assert session.scalar(select(func.count()).select_from(BodyLink)) == links


def test_an_unknown_parent_is_named_in_the_error(session: Session) -> None:
    with pytest.raises(NotFound, match="parent: no body has the code 'NOWHERE'"):
        body(session, "X", "NOWHERE")


def test_a_duplicate_code_is_a_conflict(session: Session) -> None:
    body(session, "CC")
    with pytest.raises(Conflict, match="code"):
        body(session, "CC")


def test_an_unknown_kind_is_refused(session: Session) -> None:
    with pytest.raises(Invalid, match="kind: 'army' is not a kind of body"):
        body(session, "X", kind="army")


def test_an_opening_date_in_the_future_is_refused(session: Session) -> None:
    with pytest.raises(Invalid, match="opened_on: .* is in the future"):
        body(session, "X", opened_on=date(2999, 1, 1))


def test_a_body_with_members_cannot_be_closed(session: Session) -> None:
    small_tree(session)
    member(session, "1", "N1")
    with pytest.raises(Conflict, match="still has current members"):
        bodies.close(session, code="N1", on=date(1925, 1, 1), actor=SYSTEM)


def test_closing_an_empty_cell_removes_it_from_todays_tree_only(session: Session) -> None:
    small_tree(session)
    bodies.close(session, code="N2", on=date(1925, 1, 1), actor=SYSTEM)
    north = bodies.get_or_raise(session, "NORTH")
    assert codes(session, bodies.subtree_ids(session, north.id)) == {"NORTH", "N1"}
    assert "N2" in codes(session, bodies.subtree_ids(session, north.id, at=date(1924, 1, 1)))


def test_every_body_change_is_in_the_audit_trail(session: Session) -> None:
    small_tree(session)
    bodies.change(session, code="N1", name="Putilov works cell", on=date(1922, 1, 1), actor=SYSTEM)
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions.count("body.opened") == 6
    assert actions[-1] == "body.changed"
