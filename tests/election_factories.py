"""Builders for congresses, elections and the chain, through the real services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.congresses import chain, delegates
from orgburo.congresses import service as congresses
from orgburo.congresses.models import Congress
from orgburo.core.delegates import Norm
from orgburo.elections import casting, counting, credentials
from orgburo.elections import service as elections
from orgburo.elections.models import Election, ElectionResult
from orgburo.members.models import Person
from tests.factories import body, member

OPENS = date(1921, 3, 8)
CHAIN: dict[str, Any] = {
    "organs": [
        {
            "code": "CC",
            "name": "Central Committee",
            "kind": "committee",
            "elected_by": "congress",
            "seats": {"full": 3, "candidate": 1},
            "method": "for-against",
        },
        {
            "code": "PB",
            "name": "Political Bureau",
            "kind": "bureau",
            "elected_by": "CC",
            "seats": {"full": 2},
            "method": "block",
        },
    ],
    "offices": [
        {"code": "GENSEC", "title": "General Secretary", "elected_by": "CC", "method": "irv"}
    ],
}


def party(session: Session, full: int = 8, candidates: int = 2) -> list[Person]:
    """ROOT > (R1 > C1, R2 > C2); `full` full members and some candidates, alternating."""
    body(session, "ROOT", kind="committee", level="centre")
    body(session, "R1", "ROOT", level="region")
    body(session, "R2", "ROOT", level="region")
    body(session, "C1", "R1", kind="primary_organization")
    body(session, "C2", "R2", kind="primary_organization")
    people = [member(session, f"F{i:03d}", ("C1", "C2")[i % 2]) for i in range(full)]
    for i in range(candidates):
        member(session, f"K{i:03d}", ("C1", "C2")[i % 2], status="candidate")
    return people


def congress(session: Session, people: Sequence[Person], code: str = "X") -> Congress:
    """A congress of ROOT whose voting delegates are `people`, credentials checked."""
    sitting = congresses.create(
        session,
        code=code,
        name="Tenth Congress",
        kind="congress",
        body_code="ROOT",
        opens_on=OPENS,
        norm=Norm("per-members", 1),
        actor=SYSTEM,
    )
    for person in people:
        region = "R1" if int(person.external_id[1:]) % 2 == 0 else "R2"
        delegates.add(
            session,
            code=sitting.code,
            person_id=person.external_id,
            organization=region,
            vote="voting",
            actor=SYSTEM,
        )
    delegates.check_credentials(session, code=sitting.code, actor=SYSTEM)
    return sitting


def election(
    session: Session,
    people: Sequence[Person],
    *,
    method: str = "stv-scottish",
    seats: int = 2,
    candidates: int = 4,
    code: str = "E1",
    **terms: Any,
) -> tuple[Election, list[credentials.Issued]]:
    """An open election at a congress of `people`, the first `candidates` of them standing."""
    sitting = congresses.get(session, "X") or congress(session, people)
    made = elections.create(
        session,
        code=code,
        title="Test election",
        congress_code=sitting.code,
        terms=elections.Terms(method=method, seats=seats, seed=terms.pop("seed", 7), **terms),
        actor=SYSTEM,
    )
    for person in people[:candidates]:
        elections.nominate(session, code=code, person_id=person.external_id, actor=SYSTEM)
    issued = elections.open_poll(session, code=code, actor=SYSTEM)
    return made, issued


def vote(
    session: Session, election: Election, issued: credentials.Issued, marks: Sequence[str]
) -> casting.Receipt:
    """Cast `marks` with the credential."""
    return casting.cast(
        session, code=election.code, credential=issued.credential, marks=marks, actor=SYSTEM
    )


def close_and_count(session: Session, election: Election) -> ElectionResult:
    """Close the poll and count it."""
    elections.close_poll(session, code=election.code, actor=SYSTEM)
    return counting.count(session, code=election.code, actor=SYSTEM)


def load_chain(session: Session) -> None:
    """The small test chain under ROOT."""
    chain.load(session, data=CHAIN, body_code="ROOT", opened_on=date(1918, 1, 1), actor=SYSTEM)
