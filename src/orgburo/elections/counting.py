"""Counting a closed poll, storing the count sheet, and seating the elected.

The count reads the published BLT text of the box (`box.blt_text`) with the same parser
and method as `orgburo tally`, with the seed recorded when the election was created, so
a recount of the published file gives the same result by construction. The result is
binding only if the quorum was met: more than `quorum` of the voters cast a ballot
(spoiled and blank ballots count towards the quorum). A binding result fills the organ's
seats of that kind from the day of the election (ending the seats it replaces) or starts
the office's new term; a count that elects nobody leaves the sitting holders in place.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import Actor
from orgburo.bodies.models import Body
from orgburo.core.tally import METHODS, parse_blt
from orgburo.elections import box, casting, credentials
from orgburo.elections import service as elections
from orgburo.elections.models import Election, ElectionResult, Nomination
from orgburo.errors import Conflict
from orgburo.members.models import Person
from orgburo.offices import seats
from orgburo.offices import service as offices
from orgburo.offices.models import Office


def result_of(session: Session, election: Election) -> ElectionResult | None:
    """The stored count of the election, if it has been counted."""
    return session.get(ElectionResult, election.id)


def count(session: Session, *, code: str, actor: Actor) -> ElectionResult:
    """Count a closed poll once; store turnout, quorum, the elected and the count sheet."""
    election = elections.lock(session, code)
    elections.require_change(session, actor, election)
    if election.status != "closed":
        raise Conflict(f"election: {code!r} is {election.status}; only a closed poll is counted")
    the_paper = casting.paper(session, election)
    stored = box.ballots(session, election)
    voted, entitled = elections.turnout(session, election)
    if voted != len(stored):
        raise Conflict(f"box: {len(stored)} ballots for {voted} used credentials; not counted")
    result = ElectionResult(
        election_id=election.id,
        counted_at=credentials.now(),
        electorate=entitled,
        cast=len(stored),
        spoiled=sum(b.spoiled for b in stored),
        blank=sum(not b.spoiled and not b.marks for b in stored),
        quorum_met=len(stored) * election.quorum_den > election.quorum_num * entitled,
        elected=[],
        sheet=None,
    )
    if _countable(election, result):
        sheet = _tally(election, box.blt_text(session, election, the_paper))
        result.sheet = sheet
        result.elected = list(sheet["elected"]) if result.quorum_met else []
    session.add(result)
    election.status = "counted"
    session.flush()
    _seat(session, election, result.elected, actor)
    _audit(session, election, result, actor)
    return result


def _countable(election: Election, result: ElectionResult) -> bool:
    """Something to count: a valid ballot that marks someone (for/against: any valid one)."""
    valid = result.cast - result.spoiled
    if election.method != "for-against":
        valid -= result.blank
    return valid > 0


def _tally(election: Election, text: str) -> dict[str, Any]:
    counted = METHODS[election.method](parse_blt(text), seed=election.seed)
    return counted.to_dict()


def _seat(session: Session, election: Election, elected: list[str], actor: Actor) -> None:
    if not elected:
        return
    people = _people(session, election, elected)
    if election.organ_id is not None:
        organ = session.get(Body, election.organ_id)
        assert organ is not None
        seats.fill(
            session,
            organ=organ,
            kind=election.seat_kind,
            people=people,
            on=election.held_on,
            actor=actor,
            election_id=election.id,
        )
    elif election.office_id is not None:
        office = session.get(Office, election.office_id)
        assert office is not None
        start = offices.TermStart(
            holder_name=people[0].name,
            person=people[0],
            started_on=election.held_on,
            election_id=election.id,
        )
        offices.start_term(session, office=office, start=start, actor=actor)


def _people(session: Session, election: Election, labels: list[str]) -> list[Person]:
    query = (
        select(Nomination.label, Person)
        .join(Person, Person.id == Nomination.person_id)
        .where(Nomination.election_id == election.id)
    )
    by_label: dict[str, Person] = {row[0]: row[1] for row in session.execute(query)}
    return [by_label[label] for label in labels]


def _audit(session: Session, election: Election, result: ElectionResult, actor: Actor) -> None:
    audit.record(
        session,
        actor=actor,
        action="election.counted",
        target=("election", election.code),
        after={
            "electorate": result.electorate,
            "cast": result.cast,
            "spoiled": result.spoiled,
            "blank": result.blank,
            "quorum_met": result.quorum_met,
            "elected": result.elected,
            "seed": election.seed,
        },
    )
