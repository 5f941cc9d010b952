"""Elections through the services: nominate, open, cast, close, count; and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.core.tally import METHODS, parse_blt
from orgburo.elections import box, casting, counting, credentials
from orgburo.elections import service as elections
from orgburo.elections.models import Ballot, CredentialUse, NamedVote
from orgburo.errors import Conflict, Invalid, NotFound
from orgburo.members import service as members
from tests.election_factories import close_and_count, election, party, vote


def names(session: Session, *ids: str) -> list[str]:
    return [members.get_or_raise(session, i).name for i in ids]


def test_a_ranked_election_elects_by_the_count_and_stores_its_sheet(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people, method="stv-scottish", seats=2)
    a, b, c, d = names(session, "F000", "F001", "F002", "F003")
    for i, slip in enumerate(issued):
        vote(session, made, slip, [a, c] if i % 3 else [b, d])
    result = close_and_count(session, made)
    assert result.quorum_met
    assert result.cast == len(issued)
    assert set(result.elected) == {a, b}
    assert result.sheet is not None
    assert result.sheet["stages"][0]["action"] == "first preferences"


def test_the_count_equals_a_recount_of_the_published_blt(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people, method="meek", seats=2)
    a, b, c, _ = names(session, "F000", "F001", "F002", "F003")
    for i, slip in enumerate(issued):
        vote(session, made, slip, [[a, b], [c, a], [b], [c, b, a]][i % 4])
    result = close_and_count(session, made)
    recount = METHODS["meek"](parse_blt(box.blt_text(session, made)), seed=made.seed)
    assert recount.to_dict() == result.sheet


def test_for_against_elects_those_kept_on_more_than_half(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people, method="for-against", seats=3)
    a, b, c, d = names(session, "F000", "F001", "F002", "F003")
    kept = [[a, b, c], [a, b], [a, c], [a], [a, b, d], [b, c], [a, d], [b, d]]
    for slip, marks in zip(issued, kept, strict=True):
        vote(session, made, slip, marks)
    result = close_and_count(session, made)
    assert result.elected == [a, b]


def test_the_seed_of_the_lot_is_recorded_and_decides_an_unbroken_tie(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people, method="block", seats=1, candidates=2, seed=11)
    a, b = names(session, "F000", "F001")
    for i, slip in enumerate(issued):
        vote(session, made, slip, [a] if i % 2 else [b])
    result = close_and_count(session, made)
    assert result.sheet is not None
    assert result.sheet["seed"] == 11
    expected = METHODS["block"](parse_blt(box.blt_text(session, made)), seed=11).elected
    assert result.elected == list(expected)
    assert any("lot" in note for note in result.sheet["stages"][0]["notes"])


def test_without_a_quorum_the_count_is_stored_but_elects_nobody(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people, method="irv", seats=1, quorum=(1, 2))
    a = names(session, "F000")[0]
    for slip in issued[: len(issued) // 2]:
        vote(session, made, slip, [a])
    result = close_and_count(session, made)
    assert not result.quorum_met
    assert result.elected == []
    assert result.sheet is not None


def test_spoiled_and_blank_ballots_count_for_turnout_but_not_as_votes(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people, method="irv", seats=1)
    a = names(session, "F000")[0]
    casting.cast(
        session, code=made.code, credential=issued[0].credential, marks=[], spoil=True, actor=SYSTEM
    )
    vote(session, made, issued[1], [])
    for slip in issued[2:]:
        vote(session, made, slip, [a])
    result = close_and_count(session, made)
    assert (result.cast, result.spoiled, result.blank) == (len(issued), 1, 1)
    assert result.sheet is not None
    assert result.sheet["valid"] == str(len(issued) - 2)


def test_too_many_marks_are_refused_with_the_reason(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people, method="block", seats=2)
    with pytest.raises(Invalid, match="too many marks: 3 for 2 seats"):
        vote(session, made, issued[0], names(session, "F000", "F001", "F002"))


def test_a_name_that_was_not_nominated_is_refused(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people)
    with pytest.raises(Invalid, match="'Nobody' is not a candidate on this ballot"):
        vote(session, made, issued[0], ["Nobody"])


def test_a_candidate_marked_twice_is_refused(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people)
    a = names(session, "F000")[0]
    with pytest.raises(Invalid, match="marked more than once"):
        vote(session, made, issued[0], [a, a])


def test_a_credential_votes_once(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people)
    a = names(session, "F000")[0]
    vote(session, made, issued[0], [a])
    with pytest.raises(Conflict, match="credential: has already been used"):
        vote(session, made, issued[0], [a])
    assert session.scalar(select(func.count()).select_from(Ballot)) == 1


def test_an_unknown_credential_is_refused(session: Session) -> None:
    people = party(session)
    made, _ = election(session, people)
    with pytest.raises(Invalid, match="credential: is not a valid credential"):
        casting.cast(session, code=made.code, credential="AAAA-BBBB", marks=[], actor=SYSTEM)


def test_a_vote_after_the_close_is_refused(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people)
    elections.close_poll(session, code=made.code, actor=SYSTEM)
    with pytest.raises(Conflict, match="is closed; no ballot is accepted"):
        vote(session, made, issued[0], [])


def test_a_vote_after_the_closing_time_is_refused(session: Session) -> None:
    people = party(session)
    past = datetime.now(UTC) - timedelta(minutes=1)
    made, issued = election(session, people, closes_at=past)
    with pytest.raises(Conflict, match="closed at"):
        vote(session, made, issued[0], [])


def test_a_vote_before_the_poll_opens_is_refused(session: Session) -> None:
    people = party(session)
    election(session, people)
    elections.create(
        session,
        code="E2",
        title="Another",
        congress_code="X",
        terms=elections.Terms(method="irv"),
        actor=SYSTEM,
    )
    with pytest.raises(Conflict, match="has not opened yet"):
        casting.cast(session, code="E2", credential="AAAA", marks=[], actor=SYSTEM)


def test_a_lost_credential_is_replaced_and_the_old_one_stops_working(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people)
    new = credentials.reissue(session, election=made, person_id="F000", actor=SYSTEM)
    old = next(i for i in issued if i.person.external_id == "F000")
    with pytest.raises(Invalid, match="is not a valid credential"):
        vote(session, made, old, [])
    vote(session, made, new, [])


def test_a_used_credential_cannot_be_replaced(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people)
    slip = next(i for i in issued if i.person.external_id == "F000")
    vote(session, made, slip, [])
    with pytest.raises(Conflict, match="has already voted"):
        credentials.reissue(session, election=made, person_id="F000", actor=SYSTEM)


def test_the_box_is_published_only_after_the_close(session: Session) -> None:
    people = party(session)
    made, _ = election(session, people)
    with pytest.raises(Conflict, match="published when the poll closes"):
        box.published(session, made.code)


def test_a_receipt_finds_its_ballot_and_its_marks(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people)
    a, b = names(session, "F002", "F000")
    receipt = vote(session, made, issued[0], [a, b])
    found = box.find_receipt(session, code=made.code, receipt=receipt.code.upper())
    assert found.marks == (a, b)
    with pytest.raises(NotFound, match="no ballot in the box"):
        box.find_receipt(session, code=made.code, receipt="0" * 20)


def test_an_election_is_counted_once(session: Session) -> None:
    people = party(session)
    made, _ = election(session, people)
    close_and_count(session, made)
    with pytest.raises(Conflict, match="is counted; only a closed poll is counted"):
        counting.count(session, code=made.code, actor=SYSTEM)


def test_an_open_poll_is_not_counted(session: Session) -> None:
    people = party(session)
    made, _ = election(session, people)
    with pytest.raises(Conflict, match="is open; only a closed poll is counted"):
        counting.count(session, code=made.code, actor=SYSTEM)


def test_nominations_close_when_the_poll_opens(session: Session) -> None:
    people = party(session)
    made, _ = election(session, people)
    with pytest.raises(Conflict, match="nominations closed at opening"):
        elections.nominate(session, code=made.code, person_id="F007", actor=SYSTEM)


def test_only_full_members_may_stand_at_a_congress(session: Session) -> None:
    people = party(session)
    election(session, people)
    elections.create(
        session,
        code="E2",
        title="Another",
        congress_code="X",
        terms=elections.Terms(method="irv"),
        actor=SYSTEM,
    )
    with pytest.raises(Invalid, match="'K000' is not a full member of ROOT"):
        elections.nominate(session, code="E2", person_id="K000", actor=SYSTEM)


def test_a_withdrawn_candidate_leaves_the_paper_and_the_rest_move_up(session: Session) -> None:
    people = party(session)
    election(session, people, code="E0")
    elections.create(
        session,
        code="E2",
        title="Another",
        congress_code="X",
        terms=elections.Terms(method="irv"),
        actor=SYSTEM,
    )
    for i in ("F000", "F001", "F002"):
        elections.nominate(session, code="E2", person_id=i, actor=SYSTEM)
    elections.withdraw(session, code="E2", person_id="F001", actor=SYSTEM)
    made = elections.get_or_raise(session, "E2")
    listed = [(n.position, n.label) for n in elections.nominations(session, made)]
    assert listed == [(1, "Member F000"), (2, "Member F002")]


def test_an_open_vote_names_each_voter_beside_their_ballot(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people, mode="open")
    vote(session, made, issued[0], [])
    named = session.scalars(select(NamedVote)).all()
    assert [n.voter_name for n in named] == [issued[0].person.name]


def test_a_secret_vote_names_nobody(session: Session) -> None:
    people = party(session)
    made, issued = election(session, people)
    vote(session, made, issued[0], [])
    assert session.scalar(select(func.count()).select_from(NamedVote)) == 0
    assert session.scalar(select(func.count()).select_from(CredentialUse)) == 1
