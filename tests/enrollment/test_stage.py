"""The end of the candidate stage, recorded in the member's history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.enrollment import stage
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members
from orgburo.members.history import history

from . import helpers
from .helpers import campaign, snapshot

END = date(1924, 9, 10)


def review(session: Session, outcome: str, on: date = END, **kw: object) -> None:
    stage.review(session, campaign_code="LE", ref="A1", outcome=outcome, on=on, actor=SYSTEM, **kw)  # type: ignore[arg-type]


def steps(session: Session) -> list[tuple[date, str]]:
    return [
        (s.on, s.kind)
        for s in history(session, members.get_or_raise(session, "LE-A1"), actor=SYSTEM)
    ]


def test_a_confirmed_candidate_becomes_a_full_member(session: Session) -> None:
    campaign(session)
    helpers.admitted(session, "A1")
    review(session, "confirmed")
    assert steps(session) == [(date(1924, 3, 10), "admitted"), (END, "confirmed")]
    spell = members.current_spell(session, members.get_or_raise(session, "LE-A1"))
    assert spell is not None
    assert spell.status == "full"


def test_an_extension_moves_the_end_of_the_stage_and_is_in_the_history(session: Session) -> None:
    campaign(session)
    application = helpers.admitted(session, "A1")
    review(session, "extended", months=3, note="absent")
    assert application.stage_ends_on == date(1924, 12, 10)
    assert steps(session)[-1] == (END, "candidate_stage_extended")
    review(session, "confirmed", date(1924, 12, 10))
    assert application.stage_outcome == "confirmed"


def test_a_candidate_not_confirmed_leaves_with_that_reason(session: Session) -> None:
    campaign(session)
    helpers.admitted(session, "A1")
    review(session, "not_confirmed", note="did not attend")
    assert steps(session)[-1] == (END, "not_confirmed")
    assert members.current_spell(session, members.get_or_raise(session, "LE-A1")) is None


def test_the_stage_cannot_be_reviewed_before_it_ends(session: Session) -> None:
    campaign(session)
    helpers.admitted(session, "A1")
    before = snapshot(session)
    with pytest.raises(Invalid, match="on: the candidate stage of 'A1' runs until 1924-09-10"):
        review(session, "confirmed", date(1924, 9, 9))
    assert snapshot(session) == before


def test_a_stage_is_reviewed_once(session: Session) -> None:
    campaign(session)
    helpers.admitted(session, "A1")
    review(session, "confirmed")
    with pytest.raises(Conflict, match="already reviewed"):
        review(session, "not_confirmed", date(1924, 10, 1))


def test_an_extension_needs_its_months(session: Session) -> None:
    campaign(session)
    helpers.admitted(session, "A1")
    with pytest.raises(Invalid, match="months"):
        review(session, "extended")
