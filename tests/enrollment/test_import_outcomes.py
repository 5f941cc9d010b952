"""Meeting outcomes in bulk: the same rules as one vote at a time, all of it or nothing."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.census import tallies
from orgburo.census.models import CensusTally
from orgburo.enrollment import outcomes
from orgburo.enrollment.models import WORKERS_MEETING as WORKERS
from orgburo.enrollment.models import Application, Meeting, Vote
from orgburo.errors import Invalid
from orgburo.members import service as members
from orgburo.members.models import Membership, Person

from . import helpers
from .helpers import PEASANT, apply, campaign, recommend, snapshot

HEADER = ["ref", "held", "present", "for", "against", "abstained", "kind", "non_party", "reason"]
WORKERS_VOTE = ["A2", "1924-03-05", "1", "30", "2", "1", WORKERS, "40", ""]
DECISIONS = [
    ["A1", "1924-03-10", "3", "3", "0", "0", "", "", ""],
    ["A2", "1924-03-10", "3", "2", "1", "0", "", "", ""],
    ["A3", "1924-03-10", "3", "1", "2", "0", "", "", "no trade"],
]


def applications(session: Session) -> None:
    campaign(session)
    apply(session, "A1")
    recommend(session, "A1", "R1", "R2")
    apply(session, "A2", {**helpers.WORKER, "birth_year": 1902})
    apply(session, "A3", {**helpers.WORKER, "birth_year": 1903})


def write(folder: Path, rows: list[list[str]]) -> Path:
    path = folder / "outcomes.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def load(session: Session, path: Path) -> outcomes.OutcomesResult:
    return outcomes.import_outcomes(session, campaign_code="LE", path=path, actor=SYSTEM)


def refused(session: Session, path: Path) -> list[tuple[int | None, str, str]]:
    before = snapshot(session)
    with pytest.raises(Invalid) as caught:
        load(session, path)
    assert snapshot(session) == before
    return [(p.row, p.field, p.reason) for p in caught.value.problems]


def tally_rows(session: Session) -> set[tuple[object, ...]]:
    query = select(
        CensusTally.body_id,
        CensusTally.status,
        CensusTally.dimension,
        CensusTally.value,
        CensusTally.n,
    ).where(CensusTally.n != 0)
    return {tuple(r) for r in session.execute(query)}


def registry(session: Session) -> list[tuple[object, ...]]:
    query = (
        select(
            Person.external_id,
            Person.name,
            Person.occupation,
            Membership.status,
            Membership.started_on,
        )
        .join(Membership, Membership.person_id == Person.id)
        .order_by(Person.external_id)
    )
    return [tuple(r) for r in session.execute(query)]


def test_outcomes_admit_refuse_and_record_every_vote(session: Session, tmp_path: Path) -> None:
    applications(session)
    result = load(session, write(tmp_path, [WORKERS_VOTE, *DECISIONS]))
    assert (result.admitted, result.refused, result.supported, result.meetings) == (2, 1, 1, 2)
    status = dict(session.execute(select(Application.ref, Application.status)).all())
    assert status == {"A1": "admitted", "A2": "admitted", "A3": "refused"}
    reasons = session.scalars(select(Vote.reason).where(~Vote.carried)).all()
    assert reasons == ["no trade"]
    spell = members.current_spell(session, members.get_or_raise(session, "LE-A2"))
    assert spell is not None
    assert (spell.status, spell.started_on) == ("candidate", date(1924, 3, 10))


def test_the_open_meeting_records_its_roll_and_attendance(session: Session, tmp_path: Path) -> None:
    applications(session)
    load(session, write(tmp_path, [WORKERS_VOTE, *DECISIONS]))
    held = session.scalars(select(Meeting).order_by(Meeting.held_on)).all()
    assert [(m.kind, m.members_on_roll, m.members_present, m.non_party_present) for m in held] == [
        (WORKERS, None, 1, 40),
        ("open_meeting", 4, 3, 0),
    ]


def test_bulk_admissions_keep_the_census_tallies_right(session: Session, tmp_path: Path) -> None:
    applications(session)
    load(session, write(tmp_path, [WORKERS_VOTE, *DECISIONS]))
    kept = tally_rows(session)
    tallies.rebuild(session)
    assert tally_rows(session) == kept


def test_bulk_and_one_vote_at_a_time_give_the_same_registry(
    session: Session, tmp_path: Path
) -> None:
    applications(session)
    load(session, write(tmp_path, [WORKERS_VOTE, *DECISIONS]))
    bulk = registry(session)
    session.rollback()
    applications(session)
    workers = helpers.meeting(session, date(1924, 3, 5), 1, kind=WORKERS, non_party_present=40)
    helpers.vote(session, workers, "A2", (30, 2, 1))
    held = helpers.meeting(session)
    for ref, _, _, yes, no, abstained, *_ in DECISIONS:
        helpers.vote(session, held, ref, (int(yes), int(no), int(abstained)))
    assert registry(session) == bulk


def test_reimporting_outcomes_changes_nothing(session: Session, tmp_path: Path) -> None:
    applications(session)
    path = write(tmp_path, [WORKERS_VOTE, *DECISIONS])
    load(session, path)
    before = {k: v for k, v in snapshot(session).items() if k != "audit_entries"}
    again = load(session, path)
    assert (again.unchanged, again.admitted) == (4, 0)
    assert {k: v for k, v in snapshot(session).items() if k != "audit_entries"} == before


def test_a_meeting_without_quorum_is_refused(session: Session, tmp_path: Path) -> None:
    applications(session)
    rows = [[*DECISIONS[0][:2], "2", "2", "0", "0", "", "", ""]]
    assert refused(session, write(tmp_path, rows)) == [
        (1, "present", "2 of 4 full members present; a quorum is 3")
    ]


def test_a_second_decision_is_refused_in_the_file_and_against_the_store(
    session: Session, tmp_path: Path
) -> None:
    applications(session)
    twice = [DECISIONS[0], ["A1", "1924-03-17", "3", "0", "3", "0", "", "", ""]]
    assert refused(session, write(tmp_path, twice)) == [
        (2, "ref", "'A1' is decided again: a second decision (row 1)")
    ]
    load(session, write(tmp_path, DECISIONS[:1]))
    assert refused(session, write(tmp_path, twice[1:])) == [
        (1, "ref", "'A1' was already decided on 1924-03-10")
    ]


def test_an_admission_without_recommendations_is_refused(session: Session, tmp_path: Path) -> None:
    applications(session)
    assert refused(session, write(tmp_path, DECISIONS[1:2])) == [
        (
            1,
            "ref",
            "'A2' has 0 of the 2 recommendations required "
            "and no workers' general meeting supported it",
        )
    ]


def test_unknown_applications_and_bad_cells_are_named(session: Session, tmp_path: Path) -> None:
    applications(session)
    rows = [
        ["A9", "1924-03-10", "3", "3", "0", "0", "", "", ""],
        ["A1", "1924-02-30", "3", "3", "0", "0", "", "", ""],
        ["A1", "1924-03-10", "3", "3", "1", "0", "", "", ""],
    ]
    found = refused(session, write(tmp_path, rows))
    assert (2, "held", "'1924-02-30' is not a date in the form YYYY-MM-DD") in found
    assert (3, "for", "4 votes cast but fewer people present to vote") in found
    assert refused(session, write(tmp_path, rows[:1])) == [
        (1, "ref", "campaign 'LE' has no application 'A9'")
    ]


def test_a_group_ceiling_is_kept_in_bulk(session: Session, tmp_path: Path) -> None:
    campaign(session)
    for i in (1, 2):
        apply(session, f"P{i}", {**PEASANT, "birth_year": 1890 + i})
        recommend(session, f"P{i}", "R1", "R2")
    rows = [[f"P{i}", "1924-03-10", "3", "3", "0", "0", "", "", ""] for i in (1, 2)]
    assert refused(session, write(tmp_path, rows)) == [
        (2, "ref", "admitting 'P2' would exceed the ceiling of group 'peasants' (1)")
    ]


def test_a_former_member_is_readmitted_in_bulk_under_their_registry_id(
    session: Session, tmp_path: Path
) -> None:
    campaign(session)
    members.end(session, external_id="S9", reason="left", on=date(1923, 1, 1), actor=SYSTEM)
    apply(session, "A1", body="S1", registry_id="S9")
    recommend(session, "A1", "R1", "R2")
    rows = [["A1", "1924-03-10", "1", "1", "0", "0", "", "", ""]]
    with pytest.raises(Invalid, match="'S1' has no full members"):
        load(session, write(tmp_path, rows))
    helpers.factories.member(session, "S8", "S1", status="full")
    result = load(session, write(tmp_path, rows))
    assert result.admitted == 1
    spell = members.current_spell(session, members.get_or_raise(session, "S9"))
    assert spell is not None
    assert (spell.status, spell.started_on) == ("candidate", date(1924, 3, 10))
