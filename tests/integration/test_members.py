from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.errors import Conflict, Invalid, NotFound
from orgburo.members import attributes
from orgburo.members import service as members
from orgburo.members.history import history
from orgburo.members.models import Membership, Person
from tests.factories import member, small_tree


def test_a_member_history_shows_every_step_in_order(session: Session) -> None:
    small_tree(session)
    member(session, "7", "N1", on=date(1920, 1, 1), status="candidate")
    members.confirm(session, external_id="7", on=date(1920, 7, 1), actor=SYSTEM)
    members.transfer(session, external_id="7", to_body_code="S1", on=date(1921, 2, 1), actor=SYSTEM)
    members.change_attributes(
        session,
        external_id="7",
        changes={"occupation": "employee"},
        on=date(1922, 1, 1),
        actor=SYSTEM,
    )
    members.end(session, external_id="7", reason="expelled", on=date(1923, 1, 1), actor=SYSTEM)
    steps = [
        (e.on, e.kind) for e in history(session, members.get_or_raise(session, "7"), actor=SYSTEM)
    ]
    assert steps == [
        (date(1920, 1, 1), "admitted"),
        (date(1920, 7, 1), "confirmed"),
        (date(1921, 2, 1), "transferred"),
        (date(1922, 1, 1), "attribute_changed"),
        (date(1923, 1, 1), "expelled"),
    ]


def test_nothing_is_overwritten_spells_are_closed_and_new_ones_opened(session: Session) -> None:
    small_tree(session)
    member(session, "7", "N1", status="candidate")
    members.confirm(session, external_id="7", on=date(1920, 7, 1), actor=SYSTEM)
    spells = members.spells(session, members.get_or_raise(session, "7"))
    assert [(m.status, m.started_on, m.ended_on) for m, _ in spells] == [
        ("candidate", date(1920, 1, 1), date(1920, 7, 1)),
        ("full", date(1920, 7, 1), None),
    ]


def test_admitting_a_current_member_again_is_a_conflict(session: Session) -> None:
    small_tree(session)
    member(session, "7", "N1")
    with pytest.raises(Conflict, match="id: '7' is already a member"):
        member(session, "7", "N2")


def test_a_change_dated_before_birth_is_refused(session: Session) -> None:
    small_tree(session)
    with pytest.raises(Invalid, match="on: .* before the person's birth"):
        member(session, "7", "N1", on=date(1920, 1, 1), birth_year=1925)


def test_a_change_dated_before_the_last_one_is_refused(session: Session) -> None:
    small_tree(session)
    member(session, "7", "N1", on=date(1921, 1, 1))
    with pytest.raises(Invalid, match="on: 1920-01-01 is before the person's last recorded change"):
        members.transfer(
            session, external_id="7", to_body_code="S1", on=date(1920, 1, 1), actor=SYSTEM
        )


def test_an_unknown_attribute_is_refused_until_declared(session: Session) -> None:
    small_tree(session)
    with pytest.raises(Invalid, match="shoe_size: is not a known attribute"):
        member(session, "7", "N1", shoe_size="42")
    attributes.declare(session, name="shoe_size", type="integer", actor=SYSTEM)
    person = member(session, "7", "N1", shoe_size="42")
    assert person.extra == {"shoe_size": 42}


def test_a_bad_value_names_the_attribute_and_the_reason(session: Session) -> None:
    small_tree(session)
    with pytest.raises(Invalid, match="social_situation: 'noble' is not one of"):
        member(session, "7", "N1", social_situation="noble")


def test_a_failed_admission_leaves_the_store_as_it_was(session: Session) -> None:
    small_tree(session)
    before = session.scalar(select(func.count()).select_from(Person))
    with pytest.raises(NotFound):
        member(session, "7", "NOWHERE")
    assert session.scalar(select(func.count()).select_from(Person)) == before
    assert session.scalar(select(func.count()).select_from(Membership)) == 0


def test_a_dead_member_cannot_be_readmitted(session: Session) -> None:
    small_tree(session)
    member(session, "7", "N1")
    members.end(session, external_id="7", reason="died", on=date(1921, 1, 1), actor=SYSTEM)
    with pytest.raises(Invalid, match="died on 1921-01-01"):
        member(session, "7", "N1", on=date(1922, 1, 1))


def test_a_former_member_can_be_readmitted_later(session: Session) -> None:
    small_tree(session)
    member(session, "7", "N1")
    members.end(session, external_id="7", reason="left", on=date(1921, 1, 1), actor=SYSTEM)
    member(session, "7", "S1", on=date(1924, 3, 1))
    kinds = [e.kind for e in history(session, members.get_or_raise(session, "7"), actor=SYSTEM)]
    assert kinds == ["admitted", "left", "admitted"]
